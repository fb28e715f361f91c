//! Autograd against central finite differences in float64, one row per
//! differentiable op (every variant of `autograd::Op`).
//!
//! Each case builds its float64 inputs from fixed values, runs the op, and
//! reduces the output to a scalar with fixed weights (so the upstream gradient
//! is not all ones). The analytic gradient of every input must agree with
//! `(f(x + h) - f(x - h)) / 2h` to 1e-6 relative. Inputs sit away from kinks
//! (|x|, relu, clamp bounds, max ties).

use nnlearn::nn::functional::{cross_entropy, l1_loss, CrossEntropyOptions};
use nnlearn::tensor::{
    no_grad, BinaryOp, DType, NormOrd, PointLoss, Reduction, Result, Scalar, Tensor, TensorIndex,
    UnaryOp,
};

/// A float64 input: shape and values.
struct Input {
    shape: Vec<usize>,
    values: Vec<f64>,
}

/// `n` distinct values in (-1.6, 1.6) away from 0 and from each other.
fn spread(shape: &[usize], seed: u64) -> Input {
    let n: usize = shape.iter().product();
    let values = (0..n)
        .map(|i| {
            let k = (i as u64 * 7 + seed * 13) % 29;
            let v = 0.11 * (k as f64 - 14.0) + 0.037 * ((i as f64) + seed as f64).sin();
            if v.abs() < 0.05 {
                v + 0.2
            } else {
                v
            }
        })
        .collect();
    Input {
        shape: shape.to_vec(),
        values,
    }
}

/// Positive values in (0.3, 2.3), for log, sqrt, pow bases and divisors.
fn positive(shape: &[usize], seed: u64) -> Input {
    let mut i = spread(shape, seed);
    for v in &mut i.values {
        *v = v.abs() + 0.3;
    }
    i
}

/// Values in (0.05, 0.95), for binary cross-entropy inputs and targets.
fn unit(shape: &[usize], seed: u64) -> Input {
    let mut i = spread(shape, seed);
    for v in &mut i.values {
        *v = 0.5 + 0.28 * *v;
    }
    i
}

fn tensor(values: &[f64], shape: &[usize]) -> Tensor {
    Tensor::from_vec(values.to_vec(), shape).unwrap()
}

fn long(values: &[i64], shape: &[usize]) -> Tensor {
    Tensor::from_vec(values.to_vec(), shape).unwrap()
}

/// `sum(f(inputs) * w)` with fixed weights `w` shaped like the output.
fn weighted(out: &Tensor) -> Result<Tensor> {
    let n = out.numel();
    let w: Vec<f64> = (0..n).map(|i| 0.5 + 0.25 * ((i % 5) as f64)).collect();
    out.mul(&Tensor::from_vec(w, out.shape())?)?
        .sum(None, false)
}

fn scalar_value(f: &dyn Fn(&[Tensor]) -> Result<Tensor>, inputs: &[Input]) -> f64 {
    let ts: Vec<Tensor> = inputs.iter().map(|i| tensor(&i.values, &i.shape)).collect();
    let out = no_grad(|| f(&ts).and_then(|o| weighted(&o))).unwrap();
    out.to_vec::<f64>().unwrap()[0]
}

/// Compares autograd with central differences for every input element.
fn check(name: &str, inputs: Vec<Input>, f: &dyn Fn(&[Tensor]) -> Result<Tensor>) {
    let leaves: Vec<Tensor> = inputs.iter().map(|i| tensor(&i.values, &i.shape)).collect();
    for t in &leaves {
        t.set_requires_grad(true).unwrap();
    }
    let out = f(&leaves).unwrap_or_else(|e| panic!("{name}: forward failed: {e}"));
    assert_eq!(out.dtype(), DType::F64, "{name}: output dtype");
    let root = weighted(&out).unwrap();
    nnlearn::tensor::autograd::backward(&root, None, false).unwrap();
    let h = 1e-6;
    let mut probe: Vec<Input> = inputs
        .iter()
        .map(|i| Input {
            shape: i.shape.clone(),
            values: i.values.clone(),
        })
        .collect();
    for (k, leaf) in leaves.iter().enumerate() {
        let analytic = leaf
            .grad()
            .unwrap_or_else(|| panic!("{name}: input {k} got no grad"));
        assert_eq!(analytic.shape(), leaf.shape(), "{name}: grad {k} shape");
        let analytic = analytic.to_vec::<f64>().unwrap();
        for (j, &a) in analytic.iter().enumerate() {
            let x = inputs[k].values[j];
            probe[k].values[j] = x + h;
            let up = scalar_value(f, &probe);
            probe[k].values[j] = x - h;
            let down = scalar_value(f, &probe);
            probe[k].values[j] = x;
            let numeric = (up - down) / (2.0 * h);
            let tol = 1e-6 * a.abs().max(numeric.abs()).max(1.0);
            assert!(
                (a - numeric).abs() <= tol,
                "{name}: d/d input{k}[{j}]: autograd {a} vs finite difference {numeric}"
            );
        }
    }
}

fn s(v: f64) -> Tensor {
    Tensor::wrapped_scalar(Scalar::Float(v))
}

#[test]
fn elementwise_binary_with_broadcasting() {
    check("add", vec![spread(&[2, 3], 1), spread(&[3], 2)], &|x| {
        x[0].add(&x[1])
    });
    check("sub", vec![spread(&[2, 1], 1), spread(&[1, 3], 2)], &|x| {
        x[0].sub(&x[1])
    });
    check("mul", vec![spread(&[2, 3], 3), spread(&[2, 1], 4)], &|x| {
        x[0].mul(&x[1])
    });
    check("div", vec![spread(&[2, 3], 5), positive(&[3], 6)], &|x| {
        x[0].div(&x[1])
    });
    check(
        "pow tensor^tensor",
        vec![positive(&[2, 3], 7), spread(&[3], 8)],
        &|x| x[0].pow(&x[1]),
    );
    check("cumsum", vec![spread(&[2, 3, 2], 70)], &|x| x[0].cumsum(1));
    check("pow tensor^scalar", vec![spread(&[2, 3], 9)], &|x| {
        x[0].pow_s(3.0)
    });
    check("pow tensor^2.5", vec![positive(&[4], 9)], &|x| {
        x[0].pow_s(2.5)
    });
    check("pow scalar^tensor", vec![spread(&[2, 3], 10)], &|x| {
        s(1.7).pow(&x[0])
    });
    check(
        "remainder",
        vec![spread(&[2, 3], 15), positive(&[3], 16)],
        &|x| x[0].binary(BinaryOp::Rem, &x[1]),
    );
    check("rsub", vec![spread(&[3], 11)], &|x| x[0].rsub_s(2.0));
    check(
        "maximum",
        vec![spread(&[2, 3], 12), spread(&[3], 13)],
        &|x| x[0].binary(BinaryOp::Maximum, &x[1]),
    );
    check(
        "minimum",
        vec![spread(&[2, 3], 12), spread(&[2, 1], 14)],
        &|x| x[0].binary(BinaryOp::Minimum, &x[1]),
    );
}

#[test]
fn elementwise_unary() {
    use UnaryOp::*;
    for op in [Neg, Abs, Exp, Sin, Cos, Tanh, Sigmoid, Relu, Sign, Round] {
        check(&format!("{op:?}"), vec![spread(&[2, 3], 20)], &move |x| {
            x[0].unary(op)
        });
    }
    for op in [Log, Log1p, Sqrt] {
        check(&format!("{op:?}"), vec![positive(&[2, 3], 21)], &move |x| {
            x[0].unary(op)
        });
    }
    check("clamp both", vec![spread(&[2, 4], 22)], &|x| {
        x[0].clamp(Some(-0.5), Some(0.6))
    });
    check("clamp min", vec![spread(&[2, 4], 23)], &|x| {
        x[0].clamp(Some(-0.5), None)
    });
    check("clamp max", vec![spread(&[2, 4], 24)], &|x| {
        x[0].clamp(None, Some(0.6))
    });
}

#[test]
fn where_cast_clone() {
    check("where", vec![spread(&[2, 3], 30), spread(&[3], 31)], &|x| {
        let cond = Tensor::from_vec(vec![true, false, true, false, false, true], &[2, 3])?;
        Tensor::where_(&cond, &x[0], &x[1])
    });
    check("clone", vec![spread(&[2, 3], 33)], &|x| {
        x[0].clone_tensor()?.mul(&x[0])
    });
}

#[test]
fn reductions() {
    check("sum all", vec![spread(&[2, 3], 40)], &|x| {
        x[0].mul(&x[0])?.sum(None, false)
    });
    check("sum dims keepdim", vec![spread(&[2, 3, 2], 41)], &|x| {
        x[0].sum(Some(&[0, 2]), true)
    });
    check("mean all", vec![spread(&[2, 3], 42)], &|x| {
        x[0].mul(&x[0])?.mean(None, false)
    });
    check("mean dim", vec![spread(&[2, 3], 43)], &|x| {
        x[0].mean(Some(&[-1]), false)
    });
    check("prod all", vec![spread(&[2, 3], 44)], &|x| {
        x[0].prod(None, false)
    });
    check("prod dim", vec![spread(&[3, 4], 45)], &|x| {
        x[0].prod(Some(1), true)
    });
    check("prod with a zero", vec![spread(&[4], 45)], &|x| {
        x[0].mul(&Tensor::from_vec(vec![1.0, 0.0, 1.0, 1.0], &[4])?)?
            .prod(None, false)
    });
    check("max all", vec![spread(&[2, 3], 46)], &|x| {
        x[0].max_all(true)
    });
    check("min all", vec![spread(&[2, 3], 47)], &|x| {
        x[0].max_all(false)
    });
    check("max dim", vec![spread(&[3, 4], 48)], &|x| {
        Ok(x[0].max_dim(1, false, true)?.0)
    });
    check("min dim keepdim", vec![spread(&[3, 4], 49)], &|x| {
        Ok(x[0].max_dim(0, true, false)?.0)
    });
    check("var", vec![spread(&[3, 4], 50)], &|x| {
        x[0].var(Some(&[1]), 1.0, false)
    });
    check("var all biased", vec![spread(&[3, 4], 51)], &|x| {
        x[0].var(None, 0.0, false)
    });
    check("std", vec![spread(&[3, 4], 52)], &|x| {
        x[0].std(Some(&[0]), 1.0, true)
    });
    check("std all", vec![spread(&[3, 4], 53)], &|x| {
        x[0].std(None, 1.0, false)
    });
    for (p, label) in [
        (NormOrd::P(1.0), "norm 1"),
        (NormOrd::P(2.0), "norm 2"),
        (NormOrd::Inf, "norm inf"),
        (NormOrd::P(3.0), "norm 3"),
    ] {
        check(label, vec![spread(&[3, 4], 54)], &move |x| {
            x[0].norm(p, None, false)
        });
        check(label, vec![spread(&[3, 4], 55)], &move |x| {
            x[0].norm(p, Some(&[1]), false)
        });
    }
    check("logsumexp", vec![spread(&[3, 4], 56)], &|x| {
        x[0].logsumexp(&[1], false)
    });
    check("logsumexp keepdim", vec![spread(&[3, 4], 57)], &|x| {
        x[0].logsumexp(&[0, 1], true)
    });
}

#[test]
fn matrix_products() {
    check("mm", vec![spread(&[2, 3], 60), spread(&[3, 4], 61)], &|x| {
        x[0].mm(&x[1])
    });
    check(
        "mm transposed",
        vec![spread(&[3, 2], 60), spread(&[4, 3], 61)],
        &|x| x[0].t()?.mm(&x[1].t()?),
    );
    check(
        "addmm",
        vec![spread(&[4], 62), spread(&[2, 3], 63), spread(&[3, 4], 64)],
        &|x| Tensor::addmm(&x[0], &x[1], &x[2]),
    );
    check(
        "linear 2-D",
        vec![spread(&[5, 3], 65), spread(&[2, 3], 66), spread(&[2], 67)],
        &|x| x[0].linear(&x[1], Some(&x[2])),
    );
    check(
        "linear 3-D",
        vec![
            spread(&[2, 2, 3], 65),
            spread(&[2, 3], 66),
            spread(&[2], 67),
        ],
        &|x| x[0].linear(&x[1], Some(&x[2])),
    );
    check(
        "linear no bias",
        vec![spread(&[3], 68), spread(&[2, 3], 69)],
        &|x| x[0].linear(&x[1], None),
    );
    check("mv", vec![spread(&[2, 3], 70), spread(&[3], 71)], &|x| {
        x[0].mv(&x[1])
    });
    check("dot", vec![spread(&[4], 72), spread(&[4], 73)], &|x| {
        x[0].dot(&x[1])
    });
    check(
        "bmm",
        vec![spread(&[2, 2, 3], 74), spread(&[2, 3, 2], 75)],
        &|x| x[0].bmm(&x[1]),
    );
    check(
        "matmul 1x2",
        vec![spread(&[3], 76), spread(&[3, 2], 77)],
        &|x| x[0].matmul(&x[1]),
    );
    check(
        "matmul 3x2",
        vec![spread(&[2, 2, 3], 78), spread(&[3, 2], 79)],
        &|x| x[0].matmul(&x[1]),
    );
    check(
        "matmul 3x1",
        vec![spread(&[2, 2, 3], 78), spread(&[3], 79)],
        &|x| x[0].matmul(&x[1]),
    );
    check(
        "matmul broadcast batch",
        vec![spread(&[2, 1, 2, 3], 80), spread(&[3, 3, 2], 81)],
        &|x| x[0].matmul(&x[1]),
    );
    check(
        "matmul 1x3",
        vec![spread(&[3], 82), spread(&[2, 3, 2], 83)],
        &|x| x[0].matmul(&x[1]),
    );
}

#[test]
fn shape_ops() {
    let sq = |x: &Tensor| x.mul(x);
    check("view", vec![spread(&[2, 3], 90)], &move |x| {
        sq(&x[0].view(&[3, 2])?)
    });
    check(
        "reshape of a transpose (copy)",
        vec![spread(&[2, 3], 91)],
        &move |x| sq(&x[0].t()?.reshape(&[6])?),
    );
    check(
        "view splitting a transposed dim",
        vec![spread(&[2, 6], 92)],
        &move |x| sq(&x[0].t()?.view(&[3, 2, 2])?),
    );
    check("unsqueeze/squeeze", vec![spread(&[2, 3], 93)], &move |x| {
        sq(&x[0]
            .unsqueeze(1)?
            .squeeze(Some(1))?
            .unsqueeze(-1)?
            .squeeze(None)?)
    });
    check("permute", vec![spread(&[2, 3, 2], 94)], &move |x| {
        sq(&x[0].permute(&[2, 0, 1])?)
    });
    check("transpose", vec![spread(&[2, 3, 2], 95)], &move |x| {
        sq(&x[0].transpose(0, 2)?)
    });
    check("t", vec![spread(&[2, 3], 96)], &move |x| sq(&x[0].t()?));
    check(".T", vec![spread(&[2, 3, 2], 97)], &move |x| {
        sq(&x[0].numpy_t()?)
    });
    check("expand", vec![spread(&[3, 1], 98)], &move |x| {
        sq(&x[0].expand(&[2, 3, 4])?)
    });
    check("repeat", vec![spread(&[2, 3], 99)], &move |x| {
        sq(&x[0].repeat(&[2, 1, 2])?)
    });
    check(
        "cat",
        vec![spread(&[2, 3], 100), spread(&[2, 1], 101)],
        &move |x| sq(&Tensor::cat(&[x[0].clone(), x[1].clone()], 1)?),
    );
    check(
        "stack",
        vec![spread(&[2, 3], 102), spread(&[2, 3], 103)],
        &move |x| sq(&Tensor::stack(&[x[0].clone(), x[1].clone()], 1)?),
    );
    check("select", vec![spread(&[3, 4], 104)], &move |x| {
        sq(&x[0].select(1, -2)?)
    });
    check("slice with step", vec![spread(&[5, 4], 105)], &move |x| {
        sq(&x[0].index(&[
            TensorIndex::Slice(Some(1), None, Some(2)),
            TensorIndex::Slice(None, Some(3), None),
        ])?)
    });
    check("flatten", vec![spread(&[2, 3, 2], 106)], &move |x| {
        sq(&x[0].flatten(1, 2)?)
    });
    check("split + chunk", vec![spread(&[5, 2], 107)], &move |x| {
        let parts = x[0].split(2, 0)?;
        let chunks = x[0].chunk(2, 1)?;
        parts[2].mul(&chunks[1].select(0, 0)?)
    });
}

#[test]
fn advanced_indexing() {
    let sq = |x: &Tensor| x.mul(x);
    check(
        "int tensor index with repeats",
        vec![spread(&[4, 3], 110)],
        &move |x| sq(&x[0].index(&[TensorIndex::Tensor(long(&[2, 0, 2, -1], &[4]))])?),
    );
    check(
        "int tensor on dim 1",
        vec![spread(&[3, 4], 111)],
        &move |x| {
            sq(&x[0].index(&[
                TensorIndex::Slice(None, None, None),
                TensorIndex::Tensor(long(&[1, 3, 1], &[3])),
            ])?)
        },
    );
    check("two int tensors", vec![spread(&[3, 4], 112)], &move |x| {
        sq(&x[0].index(&[
            TensorIndex::Tensor(long(&[0, 2], &[2])),
            TensorIndex::Tensor(long(&[3, 1], &[2])),
        ])?)
    });
    check("bool mask", vec![spread(&[2, 3], 113)], &move |x| {
        let mask = Tensor::from_vec(vec![true, false, true, true, false, false], &[2, 3])?;
        sq(&x[0].index(&[TensorIndex::Tensor(mask)])?)
    });
    check(
        "bool mask from a comparison",
        vec![spread(&[6], 114)],
        &move |x| {
            let mask = x[0].binary_scalar(BinaryOp::Gt, Scalar::Float(0.0))?;
            sq(&x[0].index(&[TensorIndex::Tensor(mask)])?)
        },
    );
}

#[test]
fn softmax_family() {
    check("softmax dim 1", vec![spread(&[3, 4], 120)], &|x| {
        x[0].softmax(1, false)
    });
    check("softmax dim 0", vec![spread(&[3, 4], 121)], &|x| {
        x[0].softmax(0, false)
    });
    check("log_softmax", vec![spread(&[3, 4], 122)], &|x| {
        x[0].softmax(-1, true)
    });
    check(
        "log_softmax 3-D middle",
        vec![spread(&[2, 3, 2], 123)],
        &|x| x[0].softmax(1, true),
    );
}

#[test]
fn pointwise_losses() {
    for r in [Reduction::Mean, Reduction::Sum, Reduction::None] {
        let tag = format!("{r:?}");
        check(
            &format!("mse {tag}"),
            vec![spread(&[3, 2], 130), spread(&[3, 2], 131)],
            &move |x| x[0].point_loss(&x[1], PointLoss::Mse, r),
        );
        check(
            &format!("l1 {tag}"),
            vec![spread(&[3, 2], 132), spread(&[3, 2], 133)],
            &move |x| l1_loss(&x[0], &x[1], r),
        );
        check(
            &format!("huber {tag}"),
            vec![spread(&[3, 2], 134), spread(&[3, 2], 135)],
            &move |x| x[0].point_loss(&x[1], PointLoss::Huber(0.7), r),
        );
        check(
            &format!("smooth_l1 {tag}"),
            vec![spread(&[3, 2], 136), spread(&[3, 2], 137)],
            &move |x| x[0].point_loss(&x[1], PointLoss::SmoothL1(0.6), r),
        );
        check(
            &format!("bce {tag}"),
            vec![unit(&[3, 2], 138), unit(&[3, 2], 139)],
            &move |x| x[0].point_loss(&x[1], PointLoss::Bce, r),
        );
        check(
            &format!("bce_with_logits {tag}"),
            vec![spread(&[3, 2], 140), unit(&[3, 2], 141)],
            &move |x| x[0].point_loss(&x[1], PointLoss::BceWithLogits, r),
        );
    }
    check(
        "mse broadcast target",
        vec![spread(&[3, 2], 142), spread(&[2], 143)],
        &|x| x[0].point_loss(&x[1], PointLoss::Mse, Reduction::Mean),
    );
}

#[test]
fn class_losses() {
    let target = || long(&[2, 0, 3], &[3]);
    let weight = || tensor(&[0.5, 1.5, 1.0, 2.0], &[4]);
    for r in [Reduction::Mean, Reduction::Sum, Reduction::None] {
        let tag = format!("{r:?}");
        check(
            &format!("nll {tag}"),
            vec![spread(&[3, 4], 150)],
            &move |x| x[0].softmax(1, true)?.nll_loss(&target(), None, r, -100),
        );
        check(
            &format!("nll weight {tag}"),
            vec![spread(&[3, 4], 151)],
            &move |x| {
                x[0].softmax(1, true)?
                    .nll_loss(&target(), Some(&weight()), r, -100)
            },
        );
        let opts = move |weight: Option<Tensor>, label_smoothing: f64| CrossEntropyOptions {
            weight,
            reduction: r,
            label_smoothing,
            ignore_index: -100,
        };
        check(
            &format!("cross_entropy {tag}"),
            vec![spread(&[3, 4], 152)],
            &move |x| cross_entropy(&x[0], &target(), &opts(None, 0.0)),
        );
        check(
            &format!("cross_entropy weight {tag}"),
            vec![spread(&[3, 4], 153)],
            &move |x| cross_entropy(&x[0], &target(), &opts(Some(weight()), 0.0)),
        );
        check(
            &format!("cross_entropy smoothing {tag}"),
            vec![spread(&[3, 4], 154)],
            &move |x| cross_entropy(&x[0], &target(), &opts(None, 0.2)),
        );
        check(
            &format!("cross_entropy weight+smoothing {tag}"),
            vec![spread(&[3, 4], 155)],
            &move |x| cross_entropy(&x[0], &target(), &opts(Some(weight()), 0.2)),
        );
        check(
            &format!("cross_entropy probabilities {tag}"),
            vec![spread(&[3, 4], 156), spread(&[3, 4], 157)],
            &move |x| {
                let p = x[1].softmax(1, false)?;
                cross_entropy(&x[0], &p, &opts(Some(weight()), 0.1))
            },
        );
    }
    check("cross_entropy 1-D input", vec![spread(&[4], 158)], &|x| {
        cross_entropy(&x[0], &long(&[1], &[]), &CrossEntropyOptions::default())
    });
    check("nll ignore_index", vec![spread(&[3, 4], 159)], &|x| {
        x[0].softmax(1, true)?
            .nll_loss(&long(&[2, -100, 3], &[3]), None, Reduction::Mean, -100)
    });
}

#[test]
fn convolution_and_pooling() {
    check(
        "conv2d with bias, stride and padding",
        vec![
            spread(&[2, 2, 5, 4], 40),
            spread(&[3, 2, 3, 2], 41),
            spread(&[3], 42),
        ],
        &|x| x[0].conv2d(&x[1], Some(&x[2]), [2, 1], [1, 1]),
    );
    check(
        "conv2d unbatched, no bias",
        vec![spread(&[1, 4, 4], 43), spread(&[2, 1, 2, 2], 44)],
        &|x| x[0].conv2d(&x[1], None, [1, 1], [0, 0]),
    );
    // Overlapping windows (stride 1) and padding; spread's values have no ties.
    check("max_pool2d", vec![spread(&[2, 5, 5], 45)], &|x| {
        x[0].max_pool2d([3, 2], Some([1, 2]), [1, 1])
    });
}

#[test]
fn recurrent_layers() {
    use nnlearn::nn::rnn::{Nonlinearity, Rnn, RnnCell, RnnShape};
    use nnlearn::tensor::random::Generator;
    // The layers' float32 parameters are replaced by the float64 inputs 1..
    let shape = |nonlinearity| RnnShape {
        input_size: 3,
        hidden_size: 2,
        nonlinearity,
        bias: true,
    };
    let params = || {
        vec![
            spread(&[2, 3], 50),
            spread(&[2, 2], 51),
            spread(&[2], 52),
            spread(&[2], 53),
        ]
    };
    let cell = RnnCell::new(&mut Generator::new(0), shape(Nonlinearity::Tanh)).unwrap();
    let mut inputs = vec![spread(&[4, 3], 54), spread(&[4, 2], 55)];
    inputs.extend(params());
    check("RNNCell", inputs, &|x| {
        let mut c = cell.clone();
        let w = &mut c.weights;
        w.weight_ih = x[2].clone();
        w.weight_hh = x[3].clone();
        (w.bias_ih, w.bias_hh) = (Some(x[4].clone()), Some(x[5].clone()));
        c.forward(&x[0], Some(&x[1]))
    });
    let rnn = Rnn::new(&mut Generator::new(0), shape(Nonlinearity::Tanh), 1, true).unwrap();
    let mut inputs = vec![spread(&[2, 3, 3], 56), positive(&[1, 2, 2], 57)];
    inputs.extend(params());
    check("RNN (batch_first): output and h_n", inputs, &|x| {
        let mut r = rnn.clone();
        let w = &mut r.layers[0];
        w.weight_ih = x[2].clone();
        w.weight_hh = x[3].clone();
        (w.bias_ih, w.bias_hh) = (Some(x[4].clone()), Some(x[5].clone()));
        let (out, h_n) = r.forward(&x[0], Some(&x[1]))?;
        Tensor::cat(&[out.flatten(0, -1)?, h_n.flatten(0, -1)?], 0)
    });
}

#[test]
fn gradients_accumulate_through_shared_subgraphs() {
    check("reuse", vec![spread(&[2, 3], 160)], &|x| {
        let y = x[0].exp()?;
        y.mul(&y)?
            .add(&x[0].t()?.t()?)?
            .sub(&y.sum(Some(&[0]), true)?)
    });
}

/// `to(dtype)` cannot be finite-differenced through float32, so its gradient
/// (ToCopyBackward0: the upstream gradient cast back) is checked exactly.
#[test]
fn to_dtype_casts_the_gradient_back() {
    let x = tensor(&[0.5, -1.25], &[2]);
    x.set_requires_grad(true).unwrap();
    let y = x.to_dtype(DType::F32).unwrap();
    assert_eq!(y.grad_fn(), Some("ToCopyBackward0"));
    let w = Tensor::from_vec(vec![3.0f32, -2.0], &[2]).unwrap();
    let loss = y.mul(&w).unwrap().sum(None, false).unwrap();
    nnlearn::tensor::autograd::backward(&loss, None, false).unwrap();
    let g = x.grad().unwrap();
    assert_eq!(g.dtype(), DType::F64);
    assert_eq!(g.to_vec::<f64>().unwrap(), vec![3.0, -2.0]);
}

/// `torch.autograd.grad` with respect to leaves and intermediate tensors.
/// PyTorch: x = torch.tensor([0.5, -2.0], dtype=torch.float64, requires_grad=True);
/// h = x * x; y = (h * 3).sum(); torch.autograd.grad(y, [x, h]) -> ([3., -12.], [3., 3.])
#[test]
fn autograd_grad_of_leaves_and_intermediates() {
    let x = tensor(&[0.5, -2.0], &[2]);
    x.set_requires_grad(true).unwrap();
    let h = x.mul(&x).unwrap();
    let y = h.mul_s(3.0).unwrap().sum(None, false).unwrap();
    let grads = nnlearn::tensor::autograd::grad(&y, &[x.clone(), h.clone()], None, false).unwrap();
    assert_eq!(grads[0].to_vec::<f64>().unwrap(), vec![3.0, -12.0]);
    assert_eq!(grads[1].to_vec::<f64>().unwrap(), vec![3.0, 3.0]);
    assert!(x.grad().is_none(), "autograd.grad leaves .grad alone");
}

/// PyTorch's AccumulateGrad adds later gradients in place and never writes
/// into a tensor it did not make. PyTorch:
/// w = torch.ones(2, requires_grad=True); (w*2).sum().backward(); g = w.grad
/// (w*3).sum().backward(); g -> tensor([5., 5.]), w.grad is g -> True;
/// v = torch.ones(2); x = torch.zeros(2, requires_grad=True)
/// x.backward(v); x.backward(v); v -> tensor([1., 1.]), x.grad -> tensor([2., 2.])
#[test]
fn gradients_accumulate_in_place() {
    let backward =
        |t: &Tensor, g: Option<&Tensor>| nnlearn::tensor::autograd::backward(t, g, false).unwrap();
    let w = tensor(&[1.0, 1.0], &[2]);
    w.set_requires_grad(true).unwrap();
    backward(&w.mul_s(2.0).unwrap().sum(None, false).unwrap(), None);
    let first = w.grad().unwrap();
    backward(&w.mul_s(3.0).unwrap().sum(None, false).unwrap(), None);
    assert_eq!(first.to_vec::<f64>().unwrap(), vec![5.0, 5.0]);
    assert_eq!(w.grad().unwrap().id(), first.id());

    let v = tensor(&[1.0, 1.0], &[2]);
    let x = tensor(&[0.0, 0.0], &[2]);
    x.set_requires_grad(true).unwrap();
    backward(&x, Some(&v));
    backward(&x, Some(&v));
    assert_eq!(
        v.to_vec::<f64>().unwrap(),
        vec![1.0, 1.0],
        "the seed is not written"
    );
    assert_eq!(x.grad().unwrap().to_vec::<f64>().unwrap(), vec![2.0, 2.0]);
}

#[test]
fn layers() {
    check("embedding with repeats", vec![spread(&[5, 3], 90)], &|x| {
        Tensor::embedding(&x[0], &long(&[4, 1, 4, 0, 2, 4], &[2, 3]), None)
    });
    check("embedding padding_idx", vec![spread(&[4, 2], 91)], &|x| {
        // Row 1 is padding and never picked, so its finite difference is 0 too.
        Tensor::embedding(&x[0], &long(&[0, 3, 3, 2], &[4]), Some(1))
    });
    check(
        "layer_norm affine",
        vec![spread(&[3, 4], 92), spread(&[4], 93), spread(&[4], 94)],
        &|x| x[0].layer_norm(&[4], Some(&x[1]), Some(&x[2]), 1e-5),
    );
    check(
        "layer_norm over two dims",
        vec![spread(&[2, 2, 3], 95)],
        &|x| x[0].layer_norm(&[2, 3], None, None, 1e-3),
    );
    check(
        "layer_norm weight only",
        vec![spread(&[2, 5], 96), spread(&[5], 97)],
        &|x| x[0].layer_norm(&[5], Some(&x[1]), None, 1e-5),
    );
}

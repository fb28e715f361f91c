//! Random shapes, dtypes, values and arguments (many of them invalid) thrown
//! at the engine: every call must return Ok or Err, never panic. Backward runs
//! on whatever comes out, so the gradient formulas see the odd shapes too.

use nnlearn::nn::functional::{cross_entropy, CrossEntropyOptions};
use nnlearn::tensor::autograd::backward;
use nnlearn::tensor::{
    BinaryOp, DType, NormOrd, PointLoss, Reduction, Result, Scalar, Tensor, TensorIndex, UnaryOp,
};
use proptest::prelude::*;

const DTYPES: [DType; 4] = [DType::F32, DType::F64, DType::I64, DType::Bool];
const VALUES: [f64; 8] = [0.0, 1.0, -1.0, 2.5, -0.5, 3.0, f64::NAN, f64::INFINITY];

#[derive(Debug, Clone)]
struct Spec {
    shape: Vec<usize>,
    dtype: usize,
    picks: Vec<usize>,
    grad: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(0usize..4, 0..4),
        0usize..4,
        prop::collection::vec(0usize..8, 64),
        any::<bool>(),
    )
        .prop_map(|(shape, dtype, picks, grad)| Spec {
            shape,
            dtype,
            picks,
            grad,
        })
}

fn build(s: &Spec) -> Tensor {
    let n: usize = s.shape.iter().product();
    let values: Vec<f64> = (0..n).map(|i| VALUES[s.picks[i % s.picks.len()]]).collect();
    let dtype = DTYPES[s.dtype];
    let t = Tensor::from_vec(values, &s.shape).unwrap();
    // Casting NaN/inf to int64 is fine (saturating), as in PyTorch it is "undefined".
    let t = t.to_dtype(dtype).unwrap();
    if s.grad && dtype.is_float() {
        t.set_requires_grad(true).unwrap();
    }
    t
}

fn shape_arg(p: &[i64]) -> Vec<i64> {
    p.iter().map(|&x| x.clamp(-1, 4)).collect()
}

fn sizes(p: &[i64]) -> Vec<usize> {
    p.iter().map(|&x| x.unsigned_abs() as usize % 4).collect()
}

const REDUCTIONS: [Reduction; 3] = [Reduction::None, Reduction::Mean, Reduction::Sum];
const UNARY: [UnaryOp; 13] = [
    UnaryOp::Neg,
    UnaryOp::Abs,
    UnaryOp::Exp,
    UnaryOp::Log,
    UnaryOp::Log1p,
    UnaryOp::Sqrt,
    UnaryOp::Sin,
    UnaryOp::Cos,
    UnaryOp::Tanh,
    UnaryOp::Sigmoid,
    UnaryOp::Relu,
    UnaryOp::Sign,
    UnaryOp::Round,
];
const BINARY: [BinaryOp; 18] = [
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Mul,
    BinaryOp::Div,
    BinaryOp::FloorDiv,
    BinaryOp::Rem,
    BinaryOp::Pow,
    BinaryOp::Maximum,
    BinaryOp::Minimum,
    BinaryOp::Eq,
    BinaryOp::Ne,
    BinaryOp::Lt,
    BinaryOp::Le,
    BinaryOp::Gt,
    BinaryOp::Ge,
    BinaryOp::LogicalAnd,
    BinaryOp::BitAnd,
    BinaryOp::BitXor,
];

fn item(i: i64, p: &[i64]) -> TensorIndex {
    match i.rem_euclid(5) {
        0 => TensorIndex::Int(p[0]),
        1 => TensorIndex::Slice(Some(p[0]), Some(p[1]), Some(p[2])),
        2 => TensorIndex::NewAxis,
        3 => TensorIndex::Ellipsis,
        _ => TensorIndex::Slice(None, None, None),
    }
}

/// Op number `op` on `a` and `b` with small integer arguments `p`.
fn apply(op: usize, a: &Tensor, b: &Tensor, p: &[i64]) -> Result<Tensor> {
    let d = p[0];
    let r = REDUCTIONS[p[1].rem_euclid(3) as usize];
    match op {
        0 => a.binary(BINARY[p[0].rem_euclid(18) as usize], b),
        1 => a.binary_scalar(BINARY[p[0].rem_euclid(18) as usize], Scalar::Int(p[1])),
        2 => a.binary_scalar(
            BINARY[p[0].rem_euclid(18) as usize],
            Scalar::Float(p[1] as f64 / 2.0),
        ),
        3 => a.unary(UNARY[p[0].rem_euclid(13) as usize]),
        4 => a.clamp(Some(p[0] as f64), (p[1] > 0).then_some(p[2] as f64)),
        5 => Tensor::where_(a, b, a),
        6 => a.to_dtype(DTYPES[p[0].rem_euclid(4) as usize]),
        7 => a.sum(Some(&[d, p[1]]), p[2] > 0),
        8 => a.mean(Some(&[d]), p[1] > 0),
        9 => a.prod(Some(d), p[1] > 0),
        10 => a.max_all(p[0] > 0),
        11 => Ok(a.max_dim(d, p[1] > 0, p[2] > 0)?.0),
        12 => a.argmax((p[1] > 0).then_some(d), p[2] > 0, true),
        13 => a.var(Some(&[d]), p[1] as f64, p[2] > 0),
        14 => a.std(None, 1.0, false),
        15 => a.norm(
            [
                NormOrd::P(2.0),
                NormOrd::P(1.0),
                NormOrd::Inf,
                NormOrd::P(3.0),
                NormOrd::P(0.0),
            ][p[1].rem_euclid(5) as usize],
            Some(&[d]),
            p[2] > 0,
        ),
        16 => a.logsumexp(&[d], p[1] > 0),
        17 => a.mm(b),
        18 => Tensor::addmm(b, a, a),
        19 => a.mv(b),
        20 => a.dot(b),
        21 => a.bmm(b),
        22 => a.matmul(b),
        23 => a.view(&shape_arg(p)),
        24 => a.reshape(&shape_arg(p)),
        25 => a.unsqueeze(d),
        26 => a.squeeze((p[1] > 0).then_some(d)),
        27 => a.permute(&p[..a.dim().min(3)]),
        28 => a.transpose(d, p[1]),
        29 => a.t(),
        30 => a.numpy_t(),
        31 => a.expand(&shape_arg(p)),
        32 => a.repeat(&sizes(p)),
        33 => Tensor::cat(&[a.clone(), b.clone()], d),
        34 => Tensor::stack(&[a.clone(), b.clone()], d),
        35 => a.select(d, p[1]),
        36 => a.index(&[item(p[3], p), item(p[4], &p[1..])]),
        37 => a.index(&[TensorIndex::Tensor(b.clone())]),
        38 => a.index(&[
            TensorIndex::Slice(None, None, None),
            TensorIndex::Tensor(b.clone()),
        ]),
        39 => a.softmax(d, p[1] > 0),
        40 => {
            let loss = [
                PointLoss::Mse,
                PointLoss::Huber(1.0),
                PointLoss::SmoothL1(0.5),
                PointLoss::Bce,
                PointLoss::BceWithLogits,
            ];
            a.point_loss(b, loss[p[2].rem_euclid(5) as usize], r)
        }
        41 => a.nll_loss(b, None, r, p[2]),
        42 => {
            let o = CrossEntropyOptions {
                reduction: r,
                label_smoothing: p[2] as f64 / 4.0,
                ..Default::default()
            };
            cross_entropy(a, b, &o)
        }
        43 => a.linear(b, Some(b)),
        44 => a.flatten(d, p[1]),
        45 => Ok(a.chunk(p[1].unsigned_abs() as usize, d)?.swap_remove(0)),
        46 => Ok(a.split(p[1].unsigned_abs() as usize, d)?.swap_remove(0)),
        47 => a.narrow(d, p[1], p[2].unsigned_abs() as usize),
        48 => {
            a.index_put(&[item(p[3], p)], b)?;
            Ok(a.clone())
        }
        49 => a.all_any((p[1] > 0).then_some(d), p[2] > 0, p[3] > 0),
        50 => {
            a.copy_(b)?;
            Ok(a.clone())
        }
        51 => a.item().map(|_| a.clone()),
        52 => a.isclose(b, 1e-5, 1e-8, p[1] > 0),
        53 => Ok(a.split_sizes(&sizes(p), d)?.swap_remove(0)),
        54 => a.outer(b),
        55 => a.bitwise_not(),
        56 => Tensor::arange(
            Scalar::Int(p[0]),
            Scalar::Int(p[1]),
            Scalar::Int(p[2]),
            None,
        ),
        // Sizes beyond the element limit, or beyond usize.
        57 => a.repeat(&[1 << 40, 1 << 40, 3]),
        58 => a.expand(&[1 << 20, 1 << 20, 1 << 20, 3])?.contiguous(),
        59 => Tensor::zeros(&[usize::MAX / 2, 3], DTYPES[p[0].rem_euclid(4) as usize]),
        60 => Tensor::arange(Scalar::Int(0), Scalar::Int(i64::MAX), Scalar::Int(1), None),
        61 => Tensor::linspace(0.0, 1.0, 1 << 40, DType::F32),
        62 => a.reshape(&[i64::MAX, 2, -1]),
        63 => a.unsqueeze(0)?.expand(&[1 << 30, -1])?.sum(None, false),
        _ => a.clone_tensor(),
    }
}

const OPS: usize = 65;

proptest! {
    #![proptest_config(ProptestConfig { cases: 30000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_op_panics(sa in spec(), sb in spec(), ops in prop::collection::vec((0..OPS, prop::collection::vec(-4i64..5, 5)), 1..4)) {
        let (mut a, b) = (build(&sa), build(&sb));
        for (op, p) in &ops {
            match apply(*op, &a, &b, p) {
                Ok(t) => a = t,
                Err(e) => {
                    prop_assert!(!e.to_string().is_empty(), "empty error message from op {op}");
                }
            }
        }
        if a.requires_grad() {
            // Backward through whatever came out, reduced to a scalar if needed.
            let root = if a.numel() == 1 { Ok(a.clone()) } else { a.sum(None, false) };
            if let Ok(root) = root {
                let _ = backward(&root, None, false);
            }
        }
    }
}

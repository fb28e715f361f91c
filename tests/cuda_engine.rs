//! The engine on a CUDA device against the engine on the CPU: every op and
//! its backward, on the same data. On a GPU the kernels run and float32
//! results must agree to 1e-5 (relative and absolute); on a machine without
//! one, an emulated device (host memory, the CPU engine standing in for the
//! kernels) drives the same device paths, and results must agree exactly.

use nnlearn::lesson::{checker, Catalog};
use nnlearn::tensor::cuda;
use nnlearn::tensor::random::Generator;
use nnlearn::tensor::{
    BinaryOp, DType, Device, NormOrd, PointLoss, Reduction, Scalar, Tensor, TensorIndex, UnaryOp,
};

const GPU: Device = Device::Cuda(0);

/// Uses the GPU when there is one, else the emulated device; says which.
fn setup() -> f64 {
    cuda::emulate_without_gpu();
    assert!(cuda::is_available(), "{}", cuda::cuda_status().summary());
    if cuda::is_emulated() {
        0.0
    } else {
        1e-5
    }
}

fn random(shape: &[usize], seed: u64) -> Tensor {
    let n = shape.iter().product();
    let v = Generator::new(seed).uniform_f32(n, -2.0, 2.0);
    Tensor::from_vec(v, shape).unwrap()
}

/// The same leaf on `device`, requiring grad when it is a float tensor.
fn leaf(t: &Tensor, device: Device) -> Tensor {
    let moved = t.detach().to_device(device).unwrap().detach();
    if moved.dtype().is_float() {
        moved.set_requires_grad(true).unwrap();
    }
    moved
}

fn backward(root: &Tensor) -> nnlearn::tensor::Result<()> {
    nnlearn::tensor::autograd::backward(root, None, false)
}

fn assert_close(got: &Tensor, want: &Tensor, tol: f64, what: &str) {
    assert_eq!(got.shape(), want.shape(), "{what}: shape");
    assert_eq!(got.dtype(), want.dtype(), "{what}: dtype");
    let (g, w) = (got.to_vec::<f64>().unwrap(), want.to_vec::<f64>().unwrap());
    for (i, (a, b)) in g.iter().zip(&w).enumerate() {
        let same = a == b || (a.is_nan() && b.is_nan()) || (a - b).abs() <= tol * (1.0 + b.abs());
        assert!(same, "{what}: element {i} is {a} on CUDA, {b} on the CPU");
    }
}

/// Runs `op` on both devices: the CUDA result stays on CUDA and matches the
/// CPU's; so does the gradient of its sum w.r.t. each float input.
fn check(
    name: &str,
    inputs: &[&Tensor],
    op: impl Fn(&[Tensor]) -> nnlearn::tensor::Result<Tensor>,
) {
    let tol = setup();
    check_within(name, inputs, tol, op);
}

/// `check` with a relative tolerance even on the emulated device.
fn check_within(
    name: &str,
    inputs: &[&Tensor],
    tol: f64,
    op: impl Fn(&[Tensor]) -> nnlearn::tensor::Result<Tensor>,
) {
    setup();
    let cpu: Vec<Tensor> = inputs.iter().map(|t| leaf(t, Device::Cpu)).collect();
    let gpu: Vec<Tensor> = inputs.iter().map(|t| leaf(t, GPU)).collect();
    let (want, got) = (op(&cpu).unwrap(), op(&gpu).unwrap());
    assert_eq!(got.device(), GPU, "{name}: result device");
    assert_close(&got, &want, tol, name);
    assert_eq!(got.grad_fn(), want.grad_fn(), "{name}: grad_fn");
    if !want.requires_grad() {
        return;
    }
    backward(&want.sum(None, false).unwrap()).unwrap();
    backward(&got.sum(None, false).unwrap()).unwrap();
    for (i, (c, g)) in cpu.iter().zip(&gpu).enumerate() {
        match (c.grad(), g.grad()) {
            (Some(cg), Some(gg)) => {
                assert_eq!(gg.device(), GPU, "{name}: grad {i} device");
                assert_close(&gg, &cg, tol, &format!("{name}: grad of input {i}"));
            }
            (None, None) => {}
            (c, g) => panic!("{name}: input {i} has grad {c:?} on the CPU, {g:?} on CUDA"),
        }
    }
}

#[test]
fn elementwise_ops_and_their_gradients() {
    let (a, b, row) = (random(&[3, 4], 1), random(&[3, 4], 2), random(&[4], 3));
    check("add broadcast", &[&a, &row], |t| t[0].add(&t[1]));
    check("sub", &[&a, &b], |t| t[0].sub(&t[1]));
    check("mul", &[&a, &row], |t| t[0].mul(&t[1]));
    check("div", &[&a, &b], |t| t[0].div(&t[1]));
    check("pow scalar", &[&a], |t| t[0].pow_s(2.0));
    check("scalar minus", &[&a], |t| t[0].rsub_s(1.5));
    check("maximum", &[&a, &b], |t| {
        t[0].binary(BinaryOp::Maximum, &t[1])
    });
    check("cpu scalar tensor", &[&a], |t| {
        t[0].mul(&Tensor::scalar_tensor(Scalar::Float(3.0), DType::F32)?)
    });
    for op in [
        UnaryOp::Neg,
        UnaryOp::Abs,
        UnaryOp::Exp,
        UnaryOp::Tanh,
        UnaryOp::Sigmoid,
        UnaryOp::Relu,
        UnaryOp::Sin,
    ] {
        check(&format!("{op:?}"), &[&a], move |t| t[0].unary(op));
    }
    check("log", &[&a], |t| t[0].abs()?.add_s(1.0)?.log());
    check("sqrt", &[&a], |t| t[0].abs()?.add_s(0.5)?.sqrt());
    check("clamp", &[&a], |t| t[0].clamp(Some(-0.5), Some(1.0)));
    check("where", &[&a, &b], |t| {
        Tensor::where_(&t[0].binary(BinaryOp::Gt, &t[1])?, &t[0], &t[1])
    });
    check("compare", &[&a, &b], |t| t[0].binary(BinaryOp::Le, &t[1]));
    check("to float64", &[&a], |t| t[0].to_dtype(DType::F64));
}

#[test]
fn integer_ops_stay_exact() {
    let ints = Tensor::from_vec(vec![7i64, -3, 10, 0, 5, -8], &[2, 3]).unwrap();
    let divisors = Tensor::from_vec(vec![2i64, 5, -4], &[3]).unwrap();
    check("int add", &[&ints, &divisors], |t| t[0].add(&t[1]));
    check("int floor_divide", &[&ints, &divisors], |t| {
        t[0].binary(BinaryOp::FloorDiv, &t[1])
    });
    check("int true divide", &[&ints, &divisors], |t| t[0].div(&t[1]));
    check("int sum", &[&ints], |t| t[0].sum(Some(&[1]), false));
}

#[test]
fn reductions_and_their_gradients() {
    let x = random(&[2, 3, 4], 4);
    check("sum all", &[&x], |t| t[0].sum(None, false));
    check("sum dim", &[&x], |t| t[0].sum(Some(&[1]), false));
    check("sum dims keepdim", &[&x], |t| t[0].sum(Some(&[0, 2]), true));
    check("mean", &[&x], |t| t[0].mean(None, false));
    check("mean dim", &[&x], |t| t[0].mean(Some(&[-1]), true));
    check("prod", &[&x], |t| t[0].prod(Some(2), false));
    check("var", &[&x], |t| t[0].var(Some(&[1]), 1.0, false));
    check("std", &[&x], |t| t[0].std(None, 1.0, false));
    check("norm", &[&x], |t| {
        t[0].norm(NormOrd::P(2.0), Some(&[2]), false)
    });
    check("max dim", &[&x], |t| Ok(t[0].max_dim(1, false, true)?.0));
    check("argmax", &[&x], |t| t[0].argmax(Some(2), false, true));
    check("max all", &[&x], |t| t[0].max_all(true));
    check("logsumexp", &[&x], |t| t[0].logsumexp(&[1], false));
}

#[test]
fn softmax_and_losses() {
    let logits = random(&[4, 3], 5);
    let target = random(&[4, 3], 6);
    check("softmax dim 1", &[&logits], |t| t[0].softmax(1, false));
    // The CPU's kernel for other dims rounds differently from its last-dim
    // one; the emulated device runs the one the CPU would.
    check("softmax dim 0", &[&logits], |t| t[0].softmax(0, false));
    let wide = random(&[7, 5, 3], 7);
    check("log_softmax dim 1", &[&wide], |t| t[0].softmax(1, true));
    check("softmax of a transposed view", &[&wide], |t| {
        t[0].transpose(0, 2)?.softmax(2, false)
    });
    check("log_softmax", &[&logits], |t| t[0].softmax(-1, true));
    check("mse", &[&logits, &target], |t| {
        t[0].point_loss(&t[1], PointLoss::Mse, Reduction::Mean)
    });
    check("huber none", &[&logits, &target], |t| {
        t[0].point_loss(&t[1], PointLoss::Huber(1.0), Reduction::None)
    });
    check("bce with logits", &[&logits, &target], |t| {
        let y = t[1].sigmoid()?;
        t[0].point_loss(&y, PointLoss::BceWithLogits, Reduction::Sum)
    });
    let classes = Tensor::from_vec(vec![0i64, 2, 1, 2], &[4]).unwrap();
    let weights = Tensor::from_vec(vec![0.5f32, 2.0, 1.0], &[3]).unwrap();
    check(
        "weighted nll, no reduction",
        &[&logits, &classes, &weights],
        |t| {
            t[0].softmax(1, true)?
                .nll_loss(&t[1], Some(&t[2]), Reduction::None, 1)
        },
    );
    check("nll of log_softmax", &[&logits, &classes], |t| {
        t[0].softmax(1, true)?
            .nll_loss(&t[1], None, Reduction::Mean, -100)
    });
}

#[test]
fn matrix_products() {
    let (a, b) = (random(&[5, 3], 7), random(&[3, 4], 8));
    let batch = random(&[2, 5, 3], 9);
    check("mm", &[&a, &b], |t| t[0].mm(&t[1]));
    check("a Gram matrix reads one storage twice", &[&a], |t| {
        t[0].mm(&t[0].t()?)
    });
    check("a square reads one storage twice", &[&a], |t| {
        t[0].mul(&t[0])
    });
    check(
        "mm of a transposed view",
        &[&a, &random(&[4, 3], 10)],
        |t| t[0].mm(&t[1].t()?),
    );
    check("matmul batch @ matrix", &[&batch, &b], |t| {
        t[0].matmul(&t[1])
    });
    check("bmm", &[&batch, &random(&[2, 3, 4], 11)], |t| {
        t[0].bmm(&t[1])
    });
    check(
        "linear",
        &[&a, &random(&[4, 3], 12), &random(&[4], 13)],
        |t| t[0].linear(&t[1], Some(&t[2])),
    );
    check("mv", &[&a, &random(&[3], 14)], |t| t[0].mv(&t[1]));
    check("dot", &[&random(&[3], 15), &random(&[3], 16)], |t| {
        t[0].dot(&t[1])
    });
    check("outer", &[&random(&[3], 17), &random(&[2], 18)], |t| {
        t[0].outer(&t[1])
    });
}

#[test]
fn products_of_strided_views_round_as_on_the_cpu() {
    // For k >= 4 the CPU rounds by the operands' strides (gemm.rs); the
    // emulated device multiplies the views themselves, not contiguous copies.
    let (x, w, b) = (random(&[6, 9], 63), random(&[5, 9], 64), random(&[5], 65));
    check("x @ W.T", &[&x, &w], |t| t[0].mm(&t[1].t()?));
    check("linear k=9", &[&x, &w, &b], |t| {
        t[0].linear(&t[1], Some(&t[2]))
    });
    check("mm of a column slice", &[&x, &w], |t| {
        t[0].narrow(1, 1, 5)?.mm(&t[1].narrow(1, 2, 5)?.t()?)
    });
    check("mv of a transposed view", &[&x, &random(&[6], 66)], |t| {
        t[0].t()?.mv(&t[1])
    });
    check("dot of strided vectors", &[&x], |t| {
        t[0].select(1, 0)?.dot(&t[0].select(1, 3)?)
    });
    let batch = random(&[3, 9, 6], 67);
    check("bmm of transposed batches", &[&batch], |t| {
        t[0].transpose(1, 2)?.bmm(&t[0])
    });
}

#[test]
fn integer_products_are_refused_as_on_cuda() {
    setup();
    let ints = Tensor::from_vec(vec![1i64, 2, 3, 4], &[2, 2]).unwrap();
    let on_gpu = ints.to_device(GPU).unwrap();
    assert_eq!(
        on_gpu.mm(&on_gpu).unwrap_err().to_string(),
        "\"addmm_cuda\" not implemented for 'Long'"
    );
    assert!(ints.mm(&ints).is_ok(), "the CPU multiplies integers");
}

#[test]
fn shapes_and_indexing() {
    let x = random(&[3, 4], 19);
    check("transpose contiguous", &[&x], |t| {
        t[0].transpose(0, 1)?.contiguous()
    });
    check("reshape", &[&x], |t| t[0].reshape(&[2, -1]));
    check("cumsum", &[&x], |t| t[0].cumsum(1));
    check("cat", &[&x, &random(&[2, 4], 20)], |t| {
        Tensor::cat(&[t[0].clone(), t[1].clone()], 0)
    });
    check("stack", &[&x, &random(&[3, 4], 21)], |t| {
        Tensor::stack(&[t[0].clone(), t[1].clone()], 1)
    });
    check("select column", &[&x], |t| {
        t[0].index(&[TensorIndex::Slice(None, None, None), TensorIndex::Int(1)])
    });
    check("boolean mask", &[&x], |t| {
        let mask = t[0].binary_scalar(BinaryOp::Gt, Scalar::Float(0.0))?;
        t[0].index(&[TensorIndex::Tensor(mask)])
    });
    check("repeat", &[&random(&[2], 22)], |t| t[0].repeat(&[3, 2]));
}

#[test]
fn moves_between_devices() {
    setup();
    let x = random(&[2, 3], 23);
    let g = x.to_device(GPU).unwrap();
    assert_eq!(g.device(), GPU);
    assert_eq!(g.to_device(GPU).unwrap().id(), g.id(), "already there");
    let back = g.to_device(Device::Cpu).unwrap();
    assert_eq!(back.device(), Device::Cpu);
    assert_eq!(back.to_vec::<f32>().unwrap(), x.to_vec::<f32>().unwrap());
    // A view moves as its own elements, in order.
    let view = g.t().unwrap().to_device(Device::Cpu).unwrap();
    assert_eq!(
        view.to_vec::<f32>().unwrap(),
        x.t().unwrap().to_vec::<f32>().unwrap()
    );
    assert!(g.repr().unwrap().ends_with(", device='cuda:0')"), "{:?}", g);
}

#[test]
fn mixing_devices_is_pytorchs_error() {
    setup();
    let (c, g) = (random(&[2], 24), random(&[2], 25).to_device(GPU).unwrap());
    let expected = "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!";
    assert_eq!(g.add(&c).unwrap_err().to_string(), expected);
    assert_eq!(c.add(&g).unwrap_err().to_string(), expected);
    let m = random(&[2, 2], 26);
    assert_eq!(
        m.mm(&g.reshape(&[2, 1]).unwrap()).unwrap_err().to_string(),
        expected
    );
}

#[test]
fn in_place_writes_reach_device_memory() {
    setup();
    let g = Tensor::zeros(&[2, 3], DType::F32)
        .unwrap()
        .to_device(GPU)
        .unwrap();
    g.copy_(&random(&[3], 27)).unwrap();
    g.index_put(
        &[TensorIndex::Int(0)],
        &Tensor::scalar_tensor(Scalar::Float(1.0), DType::F32).unwrap(),
    )
    .unwrap();
    assert_eq!(g.device(), GPU);
    let row = random(&[3], 27).to_vec::<f32>().unwrap();
    assert_eq!(g.to_vec::<f32>().unwrap(), [vec![1.0; 3], row].concat());
}

#[test]
fn a_parameter_moved_in_place_keeps_its_handles() {
    setup();
    let p = random(&[2], 28).to_parameter(true).unwrap();
    let held = p.clone();
    p.move_storage(GPU).unwrap();
    assert_eq!(held.device(), GPU);
    backward(&p.mul_s(2.0).unwrap().sum(None, false).unwrap()).unwrap();
    let grad = held.grad().unwrap();
    assert_eq!(
        (grad.device(), grad.to_vec::<f32>().unwrap()),
        (GPU, vec![2.0, 2.0])
    );
}

#[test]
fn lessons_pass_with_cuda_as_the_default_device() {
    setup();
    let report = checker::check_all_on(&Catalog::embedded(), GPU);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn lessons_pass_when_they_move_to_cuda_themselves() {
    setup();
    // Lesson 6 picks `device = 'cuda' if torch.cuda.is_available() else 'cpu'`.
    let report = checker::check_all_on(&Catalog::embedded(), Device::Cpu);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn convolution_pooling_and_recurrent_layers() {
    use nnlearn::nn::rnn::{Nonlinearity, Rnn, RnnCell, RnnShape};
    let (x, w, b) = (
        random(&[2, 3, 6, 5], 40),
        random(&[4, 3, 3, 2], 41),
        random(&[4], 42),
    );
    check("conv2d", &[&x, &w, &b], |t| {
        t[0].conv2d(&t[1], Some(&t[2]), [2, 1], [1, 1])
    });
    check("conv2d unbatched", &[&random(&[3, 4, 4], 43), &w], |t| {
        t[0].conv2d(&t[1], None, [1, 1], [0, 0])
    });
    check("max_pool2d", &[&x], |t| {
        t[0].max_pool2d([3, 2], Some([1, 2]), [1, 1])
    });
    // The layers' parameters are inputs 2.. so that each device gets its own.
    let shape = RnnShape {
        input_size: 3,
        hidden_size: 3,
        nonlinearity: Nonlinearity::Tanh,
        bias: true,
    };
    let params = [
        random(&[3, 3], 44),
        random(&[3, 3], 45),
        random(&[3], 46),
        random(&[3], 47),
    ];
    let with = |mut w: nnlearn::nn::rnn::RnnWeights, t: &[Tensor]| {
        w.weight_ih = t[2].clone();
        w.weight_hh = t[3].clone();
        (w.bias_ih, w.bias_hh) = (Some(t[4].clone()), Some(t[5].clone()));
        w
    };
    let cell = RnnCell::new(&mut Generator::new(0), shape).unwrap();
    let seq = random(&[3, 2, 3], 48);
    let h = random(&[2, 3], 49);
    let [p0, p1, p2, p3] = &params;
    check(
        "RNNCell",
        &[&seq.select(0, 0).unwrap(), &h, p0, p1, p2, p3],
        |t| {
            let c = RnnCell {
                weights: with(cell.weights.clone(), t),
                ..cell.clone()
            };
            c.forward(&t[0], Some(&t[1]))
        },
    );
    let rnn = Rnn::new(&mut Generator::new(0), shape, 1, false).unwrap();
    check(
        "RNN",
        &[&seq, &h.unsqueeze(0).unwrap(), p0, p1, p2, p3],
        |t| {
            let r = Rnn {
                layers: vec![with(rnn.layers[0].clone(), t)],
                ..rnn.clone()
            };
            let (out, h_n) = r.forward(&t[0], Some(&t[1]))?;
            Tensor::cat(&[out.flatten(0, -1)?, h_n.flatten(0, -1)?], 0)
        },
    );
}

#[test]
fn embedding_layer_norm_and_dropout() {
    let weight = random(&[6, 3], 40);
    let indices = Tensor::from_vec(vec![5i64, 0, 5, 2, 1, 5], &[2, 3]).unwrap();
    check("embedding", &[&weight, &indices], |t| {
        Tensor::embedding(&t[0], &t[1], None)
    });
    check("embedding with padding", &[&weight, &indices], |t| {
        Tensor::embedding(&t[0], &t[1], Some(5))
    });
    let (x, w, b) = (random(&[4, 5], 41), random(&[5], 42), random(&[5], 43));
    check("layer_norm affine", &[&x, &w, &b], |t| {
        t[0].layer_norm(&[5], Some(&t[1]), Some(&t[2]), 1e-5)
    });
    check(
        "layer_norm plain, two dims",
        &[&random(&[2, 3, 4], 44)],
        |t| t[0].layer_norm(&[3, 4], None, None, 1e-5),
    );
    check("dropout", &[&random(&[30, 7], 45)], |t| {
        nnlearn::nn::dropout::dropout(&t[0], 0.3, true, &mut Generator::new(0))
    });
}

#[test]
fn sums_over_leading_and_strided_dims_add_in_the_cpus_order() {
    // The CPU's sum order depends on the layout (cascade.rs); the emulated
    // device must not reduce a permuted copy instead.
    let x = random(&[37, 19, 5], 60);
    for dims in [&[0][..], &[1], &[0, 1], &[0, 2], &[1, 2]] {
        check(&format!("sum {dims:?}"), &[&x], |t| {
            t[0].sum(Some(dims), false)
        });
        check(&format!("mean {dims:?}"), &[&x], |t| {
            t[0].mean(Some(dims), true)
        });
    }
    check("sum of a transposed view", &[&x], |t| {
        t[0].transpose(0, 2)?.sum(Some(&[1]), false)
    });
    // A bias broadcast over many rows: its gradient sums the rows.
    let (rows, bias) = (random(&[40, 16], 61), random(&[16], 62));
    check("bias over 40 rows", &[&rows, &bias], |t| {
        t[0].add(&t[1])?.mul(&t[0])
    });
}

#[test]
fn sampling_from_device_tensors_stays_on_the_device() {
    setup();
    let probs = Tensor::from_vec(vec![0.1f32, 0.0, 0.6, 0.3, 1.0, 2.0, 0.5, 0.0], &[2, 4]).unwrap();
    let on_gpu = probs.to_device(GPU).unwrap();
    for (n, replacement) in [(1, true), (6, true), (3, false), (1, false)] {
        let want = probs
            .multinomial(&mut Generator::new(42), n, replacement)
            .unwrap();
        let got = on_gpu
            .multinomial(&mut Generator::new(42), n, replacement)
            .unwrap();
        assert_eq!(got.device(), GPU, "multinomial({n}, {replacement}) device");
        assert_eq!(got.to_vec::<i64>().unwrap(), want.to_vec::<i64>().unwrap());
    }
    let p = probs.div_s(2.0).unwrap();
    let want = p.bernoulli(&mut Generator::new(7)).unwrap();
    let got = p
        .to_device(GPU)
        .unwrap()
        .bernoulli(&mut Generator::new(7))
        .unwrap();
    assert_eq!(got.device(), GPU, "bernoulli device");
    assert_eq!(got.to_vec::<f32>().unwrap(), want.to_vec::<f32>().unwrap());
}

/// Everything a program printed.
struct Printed(String);

impl nnlearn::lang::Sink for Printed {
    fn print(&mut self, text: &str) {
        self.0.push_str(text);
    }
    fn plot(&mut self, _: &str, _: f64) {}
}

fn printed_on(device: Device, source: &str) -> String {
    let mut session = nnlearn::lang::torch::new_session_with(0, device);
    let mut out = Printed(String::new());
    if let Err(e) = session.run(source, "<test>", &mut out) {
        panic!("on {device:?}: {e:?}\n{}", out.0);
    }
    out.0
}

#[test]
fn random_functions_of_device_tensors_draw_as_on_the_cpu() {
    setup();
    // With CUDA the default device: `torch.normal` with tensor arguments,
    // `bernoulli(p)` and `multinomial` give the CPU's numbers, on CUDA.
    let source = "import torch
torch.manual_seed(3)
m = torch.tensor([0.0, 10.0, -5.0])
s = torch.tensor([1.0, 0.1, 2.0])
print(torch.normal(m, 1.0), torch.normal(0.0, s), torch.normal(m, s))
x = torch.ones(2, 3)
print(x.bernoulli(0.5), torch.bernoulli(x * 0.5))
g = torch.Generator().manual_seed(42)
p = torch.tensor([0.1, 0.0, 0.6, 0.3])
print(torch.multinomial(p, 3, replacement=False, generator=g))
print(torch.multinomial(p, 1, generator=g).item(), torch.multinomial(p, 5, True))
";
    let cpu = printed_on(Device::Cpu, source);
    let gpu = printed_on(GPU, source);
    assert_eq!(gpu.matches("device='cuda:0'").count(), 7, "{gpu}");
    assert_eq!(gpu.replace(", device='cuda:0'", ""), cpu);
}

#[test]
fn legacy_types_and_half_floats_on_cuda() {
    setup();
    let types = "import torch
x = torch.tensor([1.5, 2.5])
print(x.type(), x.type(torch.IntTensor).device, x.type('torch.cuda.DoubleTensor').device, x.type(torch.int8).device)
";
    assert_eq!(
        printed_on(GPU, types),
        "torch.cuda.FloatTensor cpu cuda:0 cuda:0\n"
    );
    // Half products (float32 accumulation) and half ops with a Python
    // number (computed in float32 with the number unrounded) as on the CPU.
    let halves = "import torch
h = torch.tensor([0.1, 1.5, -2.25, 1000.7], dtype=torch.float16)
print(h * 0.1, h / 0.3, h @ h, h.reshape(2, 2) @ h.reshape(2, 2).t())
b = h.bfloat16()
print(b * 0.1, b.reshape(2, 2) @ b.reshape(2, 2))
";
    let (cpu, gpu) = (printed_on(Device::Cpu, halves), printed_on(GPU, halves));
    assert_eq!(gpu.matches("device='cuda:0'").count(), 6, "{gpu}");
    assert_eq!(gpu.replace(", device='cuda:0'", ""), cpu);
}

//! Every CUDA kernel against the CPU engine on the same data: float32 within
//! 1e-5 relative, float64 within 1e-12, integers and bools exactly. Each test
//! prints why it is skipped on a machine without CUDA.

use nnlearn::tensor::cuda::{self, CudaStorage, MatmulDims, ReduceOp};
use nnlearn::tensor::random::Generator;
use nnlearn::tensor::{BinaryOp, CpuStorage, DType, Layout, PointLoss, Reduction, Tensor, UnaryOp};

/// Whether to run; prints the reason when not.
fn have_gpu() -> bool {
    if cuda::is_available() && !cuda::is_emulated() {
        return true;
    }
    println!("skipped: {}", cuda::cuda_status().summary());
    false
}

fn floats(n: usize, seed: u64, lo: f32, hi: f32) -> Vec<f32> {
    Generator::new(seed).uniform_f32(n, lo, hi)
}

fn tensor(shape: &[usize], seed: u64) -> Tensor {
    let n = shape.iter().product();
    Tensor::from_vec(floats(n, seed, -3.0, 3.0), shape).unwrap()
}

fn up(t: &Tensor) -> CudaStorage {
    cuda::upload(&t.contiguous_storage().unwrap()).unwrap()
}

fn dense(t: &Tensor) -> Layout {
    Layout::contiguous(t.shape())
}

/// The GPU result against the CPU tensor, element by element.
fn check(got: &CudaStorage, want: &Tensor, what: &str) {
    let got = cuda::download(got).unwrap();
    let want = want.contiguous_storage().unwrap();
    assert_eq!(got.dtype(), want.dtype(), "{what}: dtype");
    assert_eq!(got.len(), want.len(), "{what}: length");
    let (g, w, tol): (Vec<f64>, Vec<f64>, f64) = match (&got, &want) {
        (CpuStorage::F32(g), CpuStorage::F32(w)) => (
            g.iter().map(|&x| f64::from(x)).collect(),
            w.iter().map(|&x| f64::from(x)).collect(),
            1e-5,
        ),
        (CpuStorage::F64(g), CpuStorage::F64(w)) => (g.clone(), w.clone(), 1e-12),
        _ => {
            assert_eq!(got, want, "{what}");
            return;
        }
    };
    for (i, (a, b)) in g.iter().zip(&w).enumerate() {
        // allclose with rtol = atol = tol: sums that cancel to near zero
        // differ by rounding relative to their inputs, not to the result.
        let same = (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= tol * (1.0 + b.abs());
        assert!(same, "{what}: element {i} is {a} on CUDA, {b} on the CPU");
    }
}

#[test]
fn upload_download_round_trip() {
    if !have_gpu() {
        return;
    }
    for data in [
        CpuStorage::F32(vec![1.5, -2.0, f32::NAN]),
        CpuStorage::F64(vec![0.1, 1e300]),
        CpuStorage::I64(vec![i64::MIN, 0, i64::MAX]),
        CpuStorage::Bool(vec![true, false, true]),
        CpuStorage::F32(vec![]),
    ] {
        let back = cuda::download(&cuda::upload(&data).unwrap()).unwrap();
        assert_eq!(format!("{back:?}"), format!("{data:?}"));
    }
}

#[test]
fn binary_ops_broadcast_like_the_cpu() {
    if !have_gpu() {
        return;
    }
    use BinaryOp::*;
    let pairs = [
        (vec![4, 3], vec![3]),
        (vec![2, 1, 5], vec![3, 1]),
        (vec![6], vec![]),
    ];
    for (sa, sb) in &pairs {
        for dtype in [DType::F32, DType::F64] {
            let a = tensor(sa, 1).to_dtype(dtype).unwrap();
            let b = tensor(sb, 2).to_dtype(dtype).unwrap();
            for op in [
                Add, Sub, Mul, Div, FloorDiv, Rem, Pow, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge,
            ] {
                let got = cuda::binary(op, &up(&a), &dense(&a), &up(&b), &dense(&b)).unwrap();
                check(
                    &got,
                    &a.binary(op, &b).unwrap(),
                    &format!("{op:?} {sa:?} {sb:?} {dtype}"),
                );
            }
        }
    }
}

#[test]
fn integer_and_bool_binary_ops() {
    if !have_gpu() {
        return;
    }
    use BinaryOp::*;
    let a = Tensor::from_vec(vec![7i64, -7, 9, -9, 0, 5], &[6]).unwrap();
    let b = Tensor::from_vec(vec![2i64, 2, -4, -4, 3, 1], &[6]).unwrap();
    for op in [
        Add, Sub, Mul, FloorDiv, Rem, Pow, Maximum, BitAnd, BitOr, BitXor, Lt,
    ] {
        let b = if op == Pow {
            b.abs().unwrap()
        } else {
            b.clone()
        };
        let got = cuda::binary(op, &up(&a), &dense(&a), &up(&b), &dense(&b)).unwrap();
        check(&got, &a.binary(op, &b).unwrap(), &format!("{op:?} int64"));
    }
    let p = Tensor::from_vec(vec![true, true, false, false], &[4]).unwrap();
    let q = Tensor::from_vec(vec![true, false, true, false], &[4]).unwrap();
    for op in [Add, Mul, BitXor, LogicalAnd, LogicalOr, Pow, Div] {
        let got = cuda::binary(op, &up(&p), &dense(&p), &up(&q), &dense(&q)).unwrap();
        check(&got, &p.binary(op, &q).unwrap(), &format!("{op:?} bool"));
    }
    // torch.tensor([1]) // torch.tensor([0]) on the CPU
    let zero = Tensor::from_vec(vec![0i64], &[1]).unwrap();
    let err = cuda::binary(FloorDiv, &up(&a), &dense(&a), &up(&zero), &dense(&zero)).unwrap_err();
    assert_eq!(err.to_string(), "ZeroDivisionError");
}

#[test]
fn strided_views_are_read_through_their_layout() {
    if !have_gpu() {
        return;
    }
    let base = tensor(&[3, 4], 3);
    let t = base.t().unwrap();
    let view = t.layout().clone();
    let got = cuda::unary(UnaryOp::Exp, &up(&base), &view).unwrap();
    check(&got, &t.exp().unwrap(), "exp of a transposed view");
    let got = cuda::contiguous(&up(&base), &view).unwrap();
    check(
        &got,
        &t.contiguous().unwrap(),
        "contiguous of a transposed view",
    );
    // Row 1 of `base`, first three elements: offset 4, broadcast over t's rows.
    let row = base.select(0, 1).unwrap().narrow(0, 0, 3).unwrap();
    let got = cuda::binary(BinaryOp::Mul, &up(&base), &view, &up(&base), row.layout()).unwrap();
    check(&got, &t.mul(&row).unwrap(), "view times an offset row");
}

#[test]
fn unary_ops_match() {
    if !have_gpu() {
        return;
    }
    use UnaryOp::*;
    let x = tensor(&[5, 7], 4);
    for dtype in [DType::F32, DType::F64] {
        let x = x.to_dtype(dtype).unwrap();
        for op in [
            Neg, Abs, Exp, Log, Log1p, Sqrt, Sin, Cos, Tanh, Sigmoid, Relu, Sign, Round,
        ] {
            let got = cuda::unary(op, &up(&x), &dense(&x)).unwrap();
            check(&got, &x.unary(op).unwrap(), &format!("{op:?} {dtype}"));
        }
    }
    let ints = Tensor::from_vec(vec![-3i64, 0, 4], &[3]).unwrap();
    for op in [Neg, Abs, Relu, Sign, Exp, Sqrt] {
        let got = cuda::unary(op, &up(&ints), &dense(&ints)).unwrap();
        check(&got, &ints.unary(op).unwrap(), &format!("{op:?} int64"));
    }
}

#[test]
fn casts_match() {
    if !have_gpu() {
        return;
    }
    let x = Tensor::from_vec(vec![-2.7f32, -0.0, 0.5, 3.9, f32::NAN, 1e20], &[6]).unwrap();
    for (from, to) in [
        (DType::F32, DType::I64),
        (DType::F32, DType::Bool),
        (DType::F32, DType::F64),
        (DType::I64, DType::F32),
        (DType::Bool, DType::F64),
        (DType::Bool, DType::I64),
    ] {
        let src = x.to_dtype(from).unwrap();
        let got = cuda::cast(&up(&src), &dense(&src), to).unwrap();
        check(&got, &src.to_dtype(to).unwrap(), &format!("{from} -> {to}"));
    }
}

#[test]
fn reductions_match() {
    if !have_gpu() {
        return;
    }
    let x = tensor(&[3, 40, 5], 5);
    for dim in 0..3 {
        let d = [dim as i64];
        let cases = [
            (ReduceOp::Sum, x.sum(Some(&d), false).unwrap()),
            (ReduceOp::Mean, x.mean(Some(&d), false).unwrap()),
            (ReduceOp::Prod, x.prod(Some(dim as i64), false).unwrap()),
        ];
        for (op, want) in cases {
            let got = cuda::reduce(op, &up(&x), x.shape(), dim).unwrap();
            check(&got, &want, &format!("{op:?} over dim {dim}"));
        }
        for is_max in [true, false] {
            let (v, i) = cuda::max_dim(&up(&x), x.shape(), dim, is_max).unwrap();
            let (wv, wi) = x.max_dim(dim as i64, false, is_max).unwrap();
            check(&v, &wv, &format!("max={is_max} values over dim {dim}"));
            check(&i, &wi, &format!("max={is_max} indices over dim {dim}"));
        }
    }
    // Ties pick the first index; a NaN wins.
    let t = Tensor::from_vec(vec![1.0f32, 3.0, 3.0, 0.0, f32::NAN, 2.0, f32::NAN], &[7]).unwrap();
    for len in [4, 7] {
        let s = t.narrow(0, 0, len).unwrap().contiguous().unwrap();
        let (v, i) = cuda::max_dim(&up(&s), s.shape(), 0, true).unwrap();
        let (wv, wi) = s.max_dim(0, false, true).unwrap();
        check(&v, &wv, "max with ties/NaN");
        check(&i, &wi, "argmax with ties/NaN");
    }
    let ints = Tensor::from_vec(
        (0..60).map(|i| i * 7 % 11 - 5).collect::<Vec<i64>>(),
        &[6, 10],
    )
    .unwrap();
    let got = cuda::reduce(ReduceOp::Sum, &up(&ints), ints.shape(), 1).unwrap();
    check(&got, &ints.sum(Some(&[1]), false).unwrap(), "int64 sum");
    let big = tensor(&[100_000], 6);
    let got = cuda::reduce(ReduceOp::Sum, &up(&big), big.shape(), 0).unwrap();
    check(&got, &big.sum(None, false).unwrap(), "sum of 100000");
}

#[test]
fn softmax_and_log_softmax_match() {
    if !have_gpu() {
        return;
    }
    for shape in [vec![4, 7], vec![3, 1000], vec![5]] {
        let x = tensor(&shape, 7);
        for log in [false, true] {
            let got = cuda::softmax(&up(&x), x.shape(), log).unwrap();
            check(
                &got,
                &x.softmax(-1, log).unwrap(),
                &format!("softmax log={log} {shape:?}"),
            );
        }
    }
    let inf = Tensor::from_vec(vec![f32::NEG_INFINITY, 0.0, 1.0], &[1, 3]).unwrap();
    let got = cuda::softmax(&up(&inf), inf.shape(), true).unwrap();
    check(
        &got,
        &inf.softmax(-1, true).unwrap(),
        "log_softmax with -inf",
    );
}

#[test]
fn point_losses_match() {
    if !have_gpu() {
        return;
    }
    let x = tensor(&[6, 5], 8);
    let y = tensor(&[6, 5], 9);
    let p = x.sigmoid().unwrap();
    let q = y.sigmoid().unwrap();
    for loss in [
        PointLoss::Mse,
        PointLoss::Huber(1.0),
        PointLoss::SmoothL1(0.5),
        PointLoss::Bce,
        PointLoss::BceWithLogits,
    ] {
        let (a, b) = if loss == PointLoss::Bce {
            (&p, &q)
        } else {
            (&x, &q)
        };
        for reduction in [Reduction::None, Reduction::Sum, Reduction::Mean] {
            let got = cuda::point_loss(loss, &up(a), &up(b), reduction).unwrap();
            check(
                &got,
                &a.point_loss(b, loss, reduction).unwrap(),
                &format!("{loss:?} {reduction:?}"),
            );
        }
    }
    let err = cuda::point_loss(PointLoss::Bce, &up(&x), &up(&q), Reduction::Mean).unwrap_err();
    assert_eq!(
        err.to_string(),
        "all elements of input should be between 0 and 1"
    );
}

#[test]
fn nll_loss_matches() {
    if !have_gpu() {
        return;
    }
    let logp = tensor(&[5, 4], 10).softmax(-1, true).unwrap();
    let target = Tensor::from_vec(vec![0i64, 3, 1, -100, 2], &[5]).unwrap();
    let weight = Tensor::from_vec(vec![0.5f32, 2.0, 1.0, 0.25], &[4]).unwrap();
    for w in [None, Some(&weight)] {
        for reduction in [Reduction::None, Reduction::Sum, Reduction::Mean] {
            let wd = w.map(up);
            let got =
                cuda::nll_loss(&up(&logp), 4, &up(&target), wd.as_ref(), reduction, -100).unwrap();
            let want = logp.nll_loss(&target, w, reduction, -100).unwrap();
            check(
                &got,
                &want,
                &format!("nll weight={} {reduction:?}", w.is_some()),
            );
        }
    }
    let bad = Tensor::from_vec(vec![0i64, 4, 1, 0, 2], &[5]).unwrap();
    let err = cuda::nll_loss(&up(&logp), 4, &up(&bad), None, Reduction::Mean, -100).unwrap_err();
    assert_eq!(
        (err.class(), err.to_string()),
        ("IndexError", "Target 4 is out of bounds.".to_string())
    );
}

#[test]
fn matmul_matches() {
    if !have_gpu() {
        return;
    }
    for dtype in [DType::F32, DType::F64] {
        let a = tensor(&[5, 7], 11).to_dtype(dtype).unwrap();
        let b = tensor(&[7, 3], 12).to_dtype(dtype).unwrap();
        let got = cuda::matmul(&up(&a), &up(&b), MatmulDims::mm(5, 7, 3)).unwrap();
        check(&got, &a.matmul(&b).unwrap(), &format!("mm {dtype}"));
        let ba = tensor(&[2, 5, 7], 13).to_dtype(dtype).unwrap();
        let bb = tensor(&[2, 7, 3], 14).to_dtype(dtype).unwrap();
        let dims = MatmulDims {
            batch: 2,
            m: 5,
            k: 7,
            n: 3,
            a_batched: true,
            b_batched: true,
        };
        let got = cuda::matmul(&up(&ba), &up(&bb), dims).unwrap();
        check(&got, &ba.matmul(&bb).unwrap(), &format!("bmm {dtype}"));
        let dims = MatmulDims {
            b_batched: false,
            ..dims
        };
        let got = cuda::matmul(&up(&ba), &up(&b), dims).unwrap();
        check(
            &got,
            &ba.matmul(&b).unwrap(),
            &format!("batched @ matrix {dtype}"),
        );
    }
    let ints = Tensor::from_vec(vec![1i64, 2, 3, 4], &[2, 2]).unwrap();
    let err = cuda::matmul(&up(&ints), &up(&ints), MatmulDims::mm(2, 2, 2)).unwrap_err();
    assert_eq!(err.to_string(), "\"addmm_cuda\" not implemented for 'Long'");
}

#[test]
fn where_matches() {
    if !have_gpu() {
        return;
    }
    let a = tensor(&[4, 3], 15);
    let b = tensor(&[3], 16);
    let c = a
        .binary(BinaryOp::Gt, &Tensor::from_vec(vec![0.0f32], &[1]).unwrap())
        .unwrap();
    let got = cuda::where_(
        &up(&c),
        &dense(&c),
        &up(&a),
        &dense(&a),
        &up(&b),
        &dense(&b),
    )
    .unwrap();
    check(&got, &Tensor::where_(&c, &a, &b).unwrap(), "where");
}

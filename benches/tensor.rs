//! Tensor-engine speed: float32 matmul throughput, per-op overhead on tiny
//! tensors, and one linear-regression training step. PyTorch's numbers for
//! the same work: benches/pytorch/bench.py; both sets in benches/RESULTS.md.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nnlearn::nn::{Linear, Module, Optimizer, SgdOptions};
use nnlearn::tensor::autograd::backward;
use nnlearn::tensor::random::Generator;
use nnlearn::tensor::{DType, PointLoss, Reduction, Tensor};
use std::hint::black_box;
use std::time::Duration;

fn matmul(c: &mut Criterion) {
    let n = 1024;
    let mut gen = Generator::new(0);
    let a = Tensor::rand(&mut gen, &[n, n], DType::F32).unwrap();
    let b = Tensor::rand(&mut gen, &[n, n], DType::F32).unwrap();
    let mut g = c.benchmark_group("matmul");
    // Elements per second here are FLOP/s: 2 n^3 per product.
    g.throughput(Throughput::Elements(2 * (n as u64).pow(3)));
    g.bench_function("f32 1024x1024", |bench| {
        bench.iter(|| black_box(a.matmul(&b).unwrap()))
    });
    g.finish();
}

fn small_ops(c: &mut Criterion) {
    let x = Tensor::from_vec((0..12).map(|i| i as f32 * 0.25).collect(), &[4, 3]).unwrap();
    let y = Tensor::from_vec((0..12).map(|i| 1.0 - i as f32 * 0.5).collect(), &[4, 3]).unwrap();
    let mut g = c.benchmark_group("op on 4x3");
    g.bench_function("add", |b| b.iter(|| black_box(x.add(&y).unwrap())));
    g.bench_function("mul", |b| b.iter(|| black_box(x.mul(&y).unwrap())));
    g.bench_function("sum", |b| b.iter(|| black_box(x.sum(None, false).unwrap())));
    g.finish();
}

fn train_step(c: &mut Criterion) {
    let mut gen = Generator::new(42);
    let model = Module::Linear(Linear::new(&mut gen, 1, 1, true).unwrap());
    let x = Tensor::from_vec((0..100).map(|i| i as f32 / 100.0).collect(), &[100, 1]).unwrap();
    let y = x.mul_s(3.0).unwrap().add_s(2.0).unwrap();
    let sgd = SgdOptions {
        lr: 0.1,
        momentum: 0.0,
        dampening: 0.0,
        weight_decay: 0.0,
        nesterov: false,
    };
    let mut opt = Optimizer::sgd(model.parameters(), sgd).unwrap();
    c.bench_function(
        "linear regression step (Linear(1,1), 100x1, MSE, SGD)",
        |b| {
            b.iter(|| {
                opt.zero_grad();
                let pred = model.forward(std::slice::from_ref(&x)).unwrap();
                let loss = pred
                    .point_loss(&y, PointLoss::Mse, Reduction::Mean)
                    .unwrap();
                backward(&loss, None, false).unwrap();
                opt.step().unwrap();
                black_box(loss)
            })
        },
    );
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20)
}

criterion_group! { name = benches; config = config(); targets = matmul, small_ops, train_step }
criterion_main!(benches);

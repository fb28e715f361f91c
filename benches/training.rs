//! One training step of each workload in `../shared/perf` (issue 11), compute
//! only: MLP, CNN and char-RNN steps built from the engine's functional ops,
//! and a float32 1024² matmul. `benches/pytorch/training.py` times the same
//! steps in PyTorch; `benches/compare.sh` runs both and prints the ratios.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nnlearn::nn::functional::{cross_entropy, CrossEntropyOptions};
use nnlearn::nn::{AdamOptions, Optimizer, SgdOptions};
use nnlearn::tensor::autograd::backward;
use nnlearn::tensor::random::Generator;
use nnlearn::tensor::{DType, Tensor};
use std::hint::black_box;
use std::time::Duration;

/// A parameter drawn uniformly from ±1/sqrt(fan_in), as nn.Linear draws.
fn param(gen: &mut Generator, shape: &[usize], fan_in: usize) -> Tensor {
    let bound = 1.0 / (fan_in as f64).sqrt();
    Tensor::uniform(gen, shape, -bound, bound, DType::F32)
        .and_then(|t| t.to_parameter(true))
        .expect("a parameter")
}

fn randn(gen: &mut Generator, shape: &[usize]) -> Tensor {
    Tensor::normal(gen, shape, 0.0, 1.0, DType::F32).expect("normal draws")
}

fn classes(gen: &mut Generator, shape: &[usize], high: i64) -> Tensor {
    Tensor::randint(gen, 0, high, shape, DType::I64).expect("labels")
}

/// zero_grad, `loss()`, backward, step.
fn step(opt: &mut Optimizer, loss: impl Fn() -> Tensor) -> Tensor {
    opt.zero_grad();
    let l = loss();
    backward(&l, None, false).expect("backward");
    opt.step().expect("step");
    l
}

fn ce(out: &Tensor, y: &Tensor) -> Tensor {
    cross_entropy(out, y, &CrossEntropyOptions::default()).expect("cross-entropy")
}

fn mlp(c: &mut Criterion) {
    let mut gen = Generator::new(0);
    let x = randn(&mut gen, &[64, 784]);
    let y = classes(&mut gen, &[64], 10);
    let (w1, b1) = (
        param(&mut gen, &[128, 784], 784),
        param(&mut gen, &[128], 784),
    );
    let (w2, b2) = (
        param(&mut gen, &[10, 128], 128),
        param(&mut gen, &[10], 128),
    );
    let params = vec![w1.clone(), b1.clone(), w2.clone(), b2.clone()];
    let mut opt = Optimizer::adam(params, AdamOptions::default()).expect("adam");
    c.bench_function("mlp step (64x784 -> 128 -> 10, cross-entropy, Adam)", |b| {
        b.iter(|| {
            black_box(step(&mut opt, || {
                let h = x
                    .linear(&w1, Some(&b1))
                    .and_then(|h| h.relu())
                    .expect("hidden");
                ce(&h.linear(&w2, Some(&b2)).expect("logits"), &y)
            }))
        })
    });
}

fn cnn(c: &mut Criterion) {
    let mut gen = Generator::new(0);
    let x = randn(&mut gen, &[32, 1, 28, 28]);
    let y = classes(&mut gen, &[32], 10);
    let (wc, bc) = (param(&mut gen, &[8, 1, 3, 3], 9), param(&mut gen, &[8], 9));
    let fc_in = 8 * 13 * 13;
    let (wf, bf) = (
        param(&mut gen, &[10, fc_in], fc_in),
        param(&mut gen, &[10], fc_in),
    );
    let params = vec![wc.clone(), bc.clone(), wf.clone(), bf.clone()];
    let sgd = SgdOptions {
        lr: 0.01,
        momentum: 0.9,
        dampening: 0.0,
        weight_decay: 0.0,
        nesterov: false,
    };
    let mut opt = Optimizer::sgd(params, sgd).expect("sgd");
    c.bench_function(
        "cnn step (32x1x28x28, conv 8x3x3, relu, maxpool 2, linear, SGD+momentum)",
        |b| {
            b.iter(|| {
                black_box(step(&mut opt, || {
                    let h = x
                        .conv2d(&wc, Some(&bc), [1, 1], [0, 0])
                        .and_then(|h| h.relu())
                        .and_then(|h| h.max_pool2d([2, 2], None, [0, 0]))
                        .and_then(|h| h.reshape(&[32, -1]))
                        .expect("features");
                    ce(&h.linear(&wf, Some(&bf)).expect("logits"), &y)
                }))
            })
        },
    );
}

fn char_rnn(c: &mut Criterion) {
    let (batch, steps, vocab, embed, hidden) = (32, 64, 65, 32, 128);
    let mut gen = Generator::new(0);
    let x = classes(&mut gen, &[batch, steps], vocab as i64);
    let y = classes(&mut gen, &[batch * steps], vocab as i64);
    let emb = randn(&mut gen, &[vocab, embed])
        .to_parameter(true)
        .expect("embedding");
    let w_ih = param(&mut gen, &[hidden, embed], hidden);
    let w_hh = param(&mut gen, &[hidden, hidden], hidden);
    let (b_ih, b_hh) = (
        param(&mut gen, &[hidden], hidden),
        param(&mut gen, &[hidden], hidden),
    );
    let (w_o, b_o) = (
        param(&mut gen, &[vocab, hidden], hidden),
        param(&mut gen, &[vocab], hidden),
    );
    let params = [&emb, &w_ih, &w_hh, &b_ih, &b_hh, &w_o, &b_o]
        .map(|t| t.clone())
        .to_vec();
    let mut opt = Optimizer::adam(params, AdamOptions::default()).expect("adam");
    // nn.RNN(batch_first=True) as aten computes it: the input projection for
    // every step at once, then h = tanh(h W_hh^T + b_hh + projected[t]).
    let forward = || -> nnlearn::tensor::Result<Tensor> {
        let seq = Tensor::embedding(&emb, &x, None)?
            .transpose(0, 1)?
            .contiguous()?;
        let projected = seq
            .reshape(&[(steps * batch) as i64, embed as i64])?
            .linear(&w_ih, Some(&b_ih))?
            .reshape(&[steps as i64, batch as i64, hidden as i64])?;
        let mut h = Tensor::zeros(&[batch, hidden], DType::F32)?;
        let mut outs = Vec::with_capacity(steps);
        for t in 0..steps {
            h = h
                .linear(&w_hh, Some(&b_hh))?
                .add(&projected.select(0, t as i64)?)?
                .tanh()?;
            outs.push(h.clone());
        }
        let out = Tensor::stack(&outs, 1)?.reshape(&[(batch * steps) as i64, hidden as i64])?;
        Ok(ce(&out.linear(&w_o, Some(&b_o))?, &y))
    };
    c.bench_function(
        "char-rnn step (Embedding 65x32, RNN 128, batch 32 x 64 steps, Adam)",
        |b| b.iter(|| black_box(step(&mut opt, || forward().expect("rnn forward")))),
    );
}

fn matmul(c: &mut Criterion) {
    let n = 1024;
    let mut gen = Generator::new(0);
    let (a, b) = (randn(&mut gen, &[n, n]), randn(&mut gen, &[n, n]));
    let mut g = c.benchmark_group("matmul");
    // Elements per second here are FLOP/s: 2 n^3 per product.
    g.throughput(Throughput::Elements(2 * (n as u64).pow(3)));
    g.bench_function("f32 1024x1024", |bench| {
        bench.iter(|| black_box(a.matmul(&b).expect("square")))
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
}

criterion_group! { name = benches; config = config(); targets = mlp, cnn, char_rnn, matmul }
criterion_main!(benches);

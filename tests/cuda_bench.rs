//! The CUDA backend's speed next to the CPU engine's: float32 matrix products
//! at 4096x4096 (GFLOP/s) and an elementwise add over 256M floats (GB/s, three
//! arrays moved). Run by scripts/gpu-check.sh in release mode:
//! `cargo test --release --test cuda_bench -- --ignored --nocapture`.

use std::time::Instant;

use nnlearn::tensor::cuda::{self, CudaStorage, MatmulDims};
use nnlearn::tensor::{BinaryOp, Layout, Tensor};

/// Seconds per run of `f`, the best of `reps` after one warm-up.
fn best_of(reps: usize, mut f: impl FnMut()) -> f64 {
    f();
    (0..reps)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn filled(n: usize, seed: usize) -> Tensor {
    let v: Vec<f32> = (0..n)
        .map(|i| ((i * 7 + seed) % 1000) as f32 / 500.0 - 1.0)
        .collect();
    Tensor::from_vec(v, &[n]).unwrap()
}

fn up(t: &Tensor) -> CudaStorage {
    cuda::upload(&t.contiguous_storage().unwrap()).unwrap()
}

#[test]
#[ignore = "a benchmark: run by scripts/gpu-check.sh"]
fn bench() {
    if !cuda::is_available() {
        println!("skipped: {}", cuda::cuda_status().summary());
        return;
    }
    println!("{}", cuda::cuda_status().summary());
    let n = 4096;
    let flops = 2.0 * (n as f64).powi(3);
    let a = filled(n * n, 1).reshape(&[n as i64, n as i64]).unwrap();
    let b = filled(n * n, 2).reshape(&[n as i64, n as i64]).unwrap();
    let cpu = best_of(1, || drop(a.matmul(&b).unwrap()));
    let (da, db) = (up(&a), up(&b));
    let gpu_matmul = || {
        best_of(5, || {
            drop(cuda::matmul(&da, &db, MatmulDims::mm(n, n, n)).unwrap());
            cuda::synchronize().unwrap();
        })
    };
    let fp32 = gpu_matmul();
    cuda::set_allow_tf32(true);
    let tf32 = gpu_matmul();
    cuda::set_allow_tf32(false);
    println!(
        "matmul 4096x4096 float32: CPU {:.0} GFLOP/s, CUDA {:.0} GFLOP/s (TF32 allowed: {:.0} GFLOP/s)",
        flops / cpu / 1e9,
        flops / fp32 / 1e9,
        flops / tf32 / 1e9
    );
    drop((a, b, da, db));

    let len = 256 << 20;
    let bytes = 3.0 * 4.0 * len as f64;
    let x = filled(len, 3);
    let y = filled(len, 4);
    let cpu = best_of(1, || drop(x.binary(BinaryOp::Add, &y).unwrap()));
    let (dx, dy) = (up(&x), up(&y));
    let l = Layout::contiguous(&[len]);
    let gpu = best_of(5, || {
        drop(cuda::binary(BinaryOp::Add, &dx, &l, &dy, &l).unwrap());
        cuda::synchronize().unwrap();
    });
    println!(
        "add of 256M float32: CPU {:.1} GB/s, CUDA {:.0} GB/s",
        bytes / cpu / 1e9,
        bytes / gpu / 1e9
    );
}

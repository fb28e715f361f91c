//! CUDA next to the CPU, through the engine as snippets use it: float32
//! matrix products at 4096x4096 (GFLOP/s, plain float32 and with TF32
//! allowed) and an elementwise add over 256M floats (GB/s, three arrays
//! moved). Medians of timed runs after a warm-up; each GPU run ends with a
//! synchronize. `cargo bench --bench cuda` (run by scripts/gpu-check.sh);
//! without a GPU it says why and stops.

use std::time::Instant;

use nnlearn::tensor::cuda;
use nnlearn::tensor::{Device, Tensor};

/// Median seconds per run of `f` over `reps` runs, after one warm-up.
fn median_of(reps: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn filled(shape: &[usize], seed: usize) -> Tensor {
    let n = shape.iter().product();
    let v: Vec<f32> = (0..n)
        .map(|i| ((i * 7 + seed) % 1000) as f32 / 500.0 - 1.0)
        .collect();
    Tensor::from_vec(v, shape).expect("benchmark input")
}

fn on_gpu(t: &Tensor) -> Tensor {
    t.to_device(Device::Cuda(0)).expect("upload")
}

fn synced(t: Tensor) {
    drop(t);
    cuda::synchronize().expect("synchronize");
}

fn main() {
    let status = cuda::cuda_status();
    if !cuda::is_available() || cuda::is_emulated() {
        println!("cuda benchmark skipped: {}", status.summary());
        return;
    }
    println!("{}", status.summary());
    let n = 4096;
    let flops = 2.0 * (n as f64).powi(3);
    let (a, b) = (filled(&[n, n], 1), filled(&[n, n], 2));
    let cpu = median_of(3, || drop(a.matmul(&b).expect("cpu matmul")));
    let (ga, gb) = (on_gpu(&a), on_gpu(&b));
    let gpu = |tf32: bool| {
        cuda::set_allow_tf32(tf32);
        median_of(11, || synced(ga.matmul(&gb).expect("cuda matmul")))
    };
    let (fp32, tf32) = (gpu(false), gpu(true));
    cuda::set_allow_tf32(false);
    println!(
        "matmul 4096x4096 float32: CPU {:.0} GFLOP/s, CUDA {:.0} GFLOP/s, CUDA with TF32 {:.0} GFLOP/s",
        flops / cpu / 1e9,
        flops / fp32 / 1e9,
        flops / tf32 / 1e9
    );
    drop((a, b, ga, gb));

    let len = 256 << 20;
    let bytes = 3.0 * 4.0 * len as f64;
    let (x, y) = (filled(&[len], 3), filled(&[len], 4));
    let cpu = median_of(3, || drop(x.add(&y).expect("cpu add")));
    let (gx, gy) = (on_gpu(&x), on_gpu(&y));
    let gpu = median_of(11, || synced(gx.add(&gy).expect("cuda add")));
    println!(
        "add of 256M float32: CPU {:.1} GB/s, CUDA {:.0} GB/s",
        bytes / cpu / 1e9,
        bytes / gpu / 1e9
    );
}

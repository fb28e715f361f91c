//! The process's one CUDA device: its stream, cuBLAS handle and the kernel
//! module, compiled by NVRTC on first use and cached for the process.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use cudarc::cublas::CudaBlas;
use cudarc::driver::{CudaContext, CudaFunction, CudaModule, CudaSlice, CudaStream};
use cudarc::nvrtc::{compile_ptx_with_opts, CompileOptions, Ptx};

use super::super::error::{Result, TensorError};
use super::errors::cuda_unavailable;
use super::probe::{self, cuda_status, CudaStatus};

/// The kernels' source, one translation unit.
const KERNELS: &str = include_str!("kernels.cu");

pub(super) struct Gpu {
    pub stream: Arc<CudaStream>,
    /// Behind a lock because the math mode (TF32 or not) is set per call.
    blas: Mutex<CudaBlas>,
    module: Arc<CudaModule>,
    functions: Mutex<HashMap<String, CudaFunction>>,
    /// Kernels report errors a CPU op would raise (integer division by zero,
    /// a target out of range) by setting this flag.
    flag: Mutex<CudaSlice<i32>>,
}

/// The device, initialised on first use; the error says why CUDA is unusable.
pub(super) fn gpu() -> Result<&'static Gpu> {
    static GPU: OnceLock<std::result::Result<Gpu, String>> = OnceLock::new();
    // Probe first, outside `quietly`, whose calls must not nest.
    cuda_status();
    GPU.get_or_init(|| probe::quietly(init).and_then(|r| r))
        .as_ref()
        .map_err(|reason| cuda_unavailable(reason))
}

fn init() -> std::result::Result<Gpu, String> {
    let ctx = match (cuda_status(), probe::context()) {
        (CudaStatus::Available { .. }, Some(ctx)) => ctx.clone(),
        (CudaStatus::Unavailable(reason), _) => return Err(reason.clone()),
        _ => return Err("the CUDA probe kept no context".into()),
    };
    // One stream orders every use and free of device memory, so cudarc's
    // per-buffer events are pure overhead.
    // SAFETY: nothing here uses a second stream.
    unsafe { ctx.disable_event_tracking() };
    let stream = ctx.default_stream();
    let blas =
        CudaBlas::new(stream.clone()).map_err(|e| format!("cuBLAS failed to start: {e:?}"))?;
    let ptx = compile(arch(&ctx))?;
    let module = ctx
        .load_module(ptx)
        .map_err(|e| format!("the kernels did not load: {}", probe::driver_reason(&e)))?;
    let flag = stream
        .alloc_zeros::<i32>(1)
        .map_err(|e| format!("device memory: {}", probe::driver_reason(&e)))?;
    Ok(Gpu {
        stream,
        blas: Mutex::new(blas),
        module,
        functions: Mutex::new(HashMap::new()),
        flag: Mutex::new(flag),
    })
}

/// The kernels as PTX. No multiply-add contraction, so the arithmetic rounds
/// as the CPU's does.
fn compile(arch: Option<&'static str>) -> std::result::Result<Ptx, String> {
    let opts = CompileOptions {
        fmad: Some(false),
        arch,
        name: Some("nnlearn_kernels.cu".into()),
        ..Default::default()
    };
    compile_ptx_with_opts(KERNELS, opts)
        .map_err(|e| format!("NVRTC could not compile nnlearn's kernels: {e}"))
}

/// The virtual architecture matching the device, so the driver's JIT has the
/// most to work with; NVRTC's default otherwise.
fn arch(ctx: &Arc<CudaContext>) -> Option<&'static str> {
    let (major, minor) = ctx.compute_capability().ok()?;
    Some(match (major, minor) {
        (9, _) => "compute_90",
        (8, 9) => "compute_89",
        (8, 6..) => "compute_86",
        (8, _) => "compute_80",
        (7, 5..) => "compute_75",
        (7, _) => "compute_70",
        (m, _) if m >= 10 => "compute_90",
        _ => return None,
    })
}

/// `torch.backends.cuda.matmul.allow_tf32` (False by default, as in PyTorch
/// since 1.12): lets float32 matrix products use TF32 tensor cores.
static ALLOW_TF32: AtomicBool = AtomicBool::new(false);

pub fn set_allow_tf32(allow: bool) {
    ALLOW_TF32.store(allow, Ordering::Relaxed);
}

pub fn allow_tf32() -> bool {
    ALLOW_TF32.load(Ordering::Relaxed)
}

/// Waits for every queued kernel (for timing; downloads already wait).
pub fn synchronize() -> Result<()> {
    if probe::is_emulated() {
        return Ok(());
    }
    gpu()?
        .stream
        .synchronize()
        .map_err(|e| driver_error("synchronize", &e))
}

impl Gpu {
    /// A kernel of the module by name, looked up once.
    pub fn function(&self, name: &str) -> Result<CudaFunction> {
        let mut cache = lock(&self.functions);
        if let Some(f) = cache.get(name) {
            return Ok(f.clone());
        }
        let f = self
            .module
            .load_function(name)
            .map_err(|e| driver_error(&format!("kernel {name}"), &e))?;
        cache.insert(name.to_string(), f.clone());
        Ok(f)
    }

    pub fn blas(&self) -> MutexGuard<'_, CudaBlas> {
        lock(&self.blas)
    }

    pub fn flag(&self) -> MutexGuard<'_, CudaSlice<i32>> {
        lock(&self.flag)
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A driver failure during an op, as a RuntimeError naming what failed.
pub(super) fn driver_error(what: &str, e: &cudarc::driver::DriverError) -> TensorError {
    TensorError::Runtime(format!("CUDA error in {what}: {}", probe::driver_reason(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NVRTC needs no GPU: wherever libnvrtc loads, the kernels must compile
    /// and export every name the backend launches.
    #[test]
    fn kernels_compile_with_nvrtc_when_present() {
        // SAFETY: only loads the library.
        let present = probe::quietly(|| unsafe { cudarc::nvrtc::sys::is_culib_present() });
        if present != Ok(true) {
            println!("skipped: NVRTC not loadable here ({present:?})");
            return;
        }
        let ptx = match probe::quietly(|| compile(None)) {
            Ok(result) => result.unwrap(),
            Err(panic) => panic!("NVRTC panicked: {panic}"),
        };
        let src = ptx.to_src();
        let mut names = vec!["nll_rows_f32".to_string(), "nll_reduce_f64".to_string()];
        for base in ["binary", "compare", "unary", "where"] {
            names.extend(["f32", "f64", "i64", "u8"].map(|s| format!("{base}_{s}")));
        }
        for base in ["reduce", "extreme"] {
            names.extend(["f32", "f64", "i64"].map(|s| format!("{base}_{s}")));
        }
        for base in ["softmax", "point_loss"] {
            names.extend(["f32", "f64"].map(|s| format!("{base}_{s}")));
        }
        names.extend(["cast_u8_f64".to_string(), "cast_f32_i64".to_string()]);
        for name in names {
            assert!(
                src.contains(&format!(".entry {name}(")),
                "kernel {name} missing"
            );
        }
    }
}

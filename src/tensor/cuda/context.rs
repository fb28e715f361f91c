//! The process's one CUDA device: its stream, cuBLAS handle and the kernel
//! module, compiled by NVRTC on first use and cached for the process.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use cudarc::cublas::CudaBlas;
use cudarc::driver::{CudaContext, CudaFunction, CudaModule, CudaSlice, CudaStream};
use cudarc::nvrtc::{compile_ptx_with_opts, CompileOptions};

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
    let stream = ctx.default_stream();
    let blas = CudaBlas::new(stream.clone()).map_err(|e| format!("cuBLAS failed to start: {e:?}"))?;
    let opts = CompileOptions {
        fmad: Some(false),
        arch: arch(&ctx),
        name: Some("nnlearn_kernels.cu".into()),
        ..Default::default()
    };
    let ptx = compile_ptx_with_opts(KERNELS, opts)
        .map_err(|e| format!("NVRTC could not compile nnlearn's kernels: {e}"))?;
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

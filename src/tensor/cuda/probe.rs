//! Whether CUDA can be used on this machine, found out once per process and
//! never by crashing.
//!
//! cudarc loads libcuda, libnvrtc and libcublas at run time and panics when one
//! is absent or lacks a symbol it expects, so every step here first asks
//! cudarc whether the library loads (`is_culib_present`), and the whole probe
//! runs under `catch_unwind` with a silent panic hook: a broken install ends
//! in `Unavailable(reason)` like a missing one.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use cudarc::driver::{sys, CudaContext, DriverError};

/// What the probe found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CudaStatus {
    Available {
        /// The name of device 0, e.g. `NVIDIA H200`.
        name: String,
        /// Device 0's memory in bytes.
        memory: usize,
        /// The driver's CUDA version as (major, minor), e.g. (12, 8).
        driver_version: (i32, i32),
        device_count: usize,
    },
    /// Why CUDA cannot be used, as a sentence fragment for a learner.
    Unavailable(String),
}

impl CudaStatus {
    /// One line for the status bar and for `--device cuda` falling back to the CPU:
    /// `CUDA: NVIDIA H200, 140 GiB, driver 12.8` or `CUDA unavailable: <reason>`.
    pub fn summary(&self) -> String {
        match self {
            // The emulated device (see `super::emulated`) has no memory of its own.
            CudaStatus::Available { name, memory, .. } if *memory == 0 => format!("CUDA: {name}"),
            CudaStatus::Available {
                name,
                memory,
                driver_version: (major, minor),
                ..
            } => {
                let gib = *memory as f64 / f64::from(1u32 << 30);
                format!("CUDA: {name}, {gib:.0} GiB, driver {major}.{minor}")
            }
            CudaStatus::Unavailable(reason) => format!("CUDA unavailable: {reason}"),
        }
    }
}

/// The probe's result, computed on first use.
pub fn cuda_status() -> &'static CudaStatus {
    &probed().status
}

/// `torch.cuda.is_available()`.
pub fn is_available() -> bool {
    matches!(cuda_status(), CudaStatus::Available { .. })
}

/// `torch.cuda.device_count()`: 0 when CUDA is unavailable.
pub fn device_count() -> usize {
    match cuda_status() {
        CudaStatus::Available { device_count, .. } => *device_count,
        CudaStatus::Unavailable(_) => 0,
    }
}

/// Device 0's context, kept from the probe for the backend.
pub(super) fn context() -> Option<&'static Arc<CudaContext>> {
    probed().context.as_ref()
}

/// Whether this process emulates a CUDA device in host memory (see
/// `cuda/emulated.rs`).
pub fn is_emulated() -> bool {
    probed().emulated
}

/// `NNLEARN_CUDA_EMULATE=1`: where no GPU can be used, emulate one, for tests.
pub const EMULATE_VAR: &str = "NNLEARN_CUDA_EMULATE";

static EMULATE_WITHOUT_GPU: AtomicBool = AtomicBool::new(false);

/// For tests in one process: emulate a device where no GPU can be used, as
/// [`EMULATE_VAR`] does. Takes effect only before the first probe.
pub fn emulate_without_gpu() {
    EMULATE_WITHOUT_GPU.store(true, Ordering::Relaxed);
}

struct Probed {
    status: CudaStatus,
    context: Option<Arc<CudaContext>>,
    emulated: bool,
}

fn probed() -> &'static Probed {
    static PROBED: OnceLock<Probed> = OnceLock::new();
    PROBED.get_or_init(|| {
        let real = probe_driver();
        let wanted = EMULATE_WITHOUT_GPU.load(Ordering::Relaxed)
            || std::env::var(EMULATE_VAR).is_ok_and(|v| v == "1");
        if real.context.is_none() && wanted {
            return Probed {
                status: CudaStatus::Available {
                    name: format!("emulated device ({EMULATE_VAR}=1, host memory)"),
                    memory: 0,
                    driver_version: (0, 0),
                    device_count: 1,
                },
                context: None,
                emulated: true,
            };
        }
        real
    })
}

fn probe_driver() -> Probed {
    match quietly(probe) {
        Ok(Ok((status, context))) => Probed {
            status,
            context: Some(context),
            emulated: false,
        },
        Ok(Err(reason)) | Err(reason) => Probed {
            status: CudaStatus::Unavailable(reason),
            context: None,
            emulated: false,
        },
    }
}

/// Runs `f`, turning a panic into `Err(message)` without printing it (a
/// panic message would tear the terminal UI).
/// Calls must not nest: the hook is swapped under a lock.
pub(super) fn quietly<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    static HOOK: Mutex<()> = Mutex::new(());
    let _swapping = HOOK.lock().unwrap_or_else(|e| e.into_inner());
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(hook);
    result.map_err(|payload| {
        let text = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        format!("the CUDA libraries are broken or incompatible; nnlearn needs CUDA 12.6 or newer ({text})")
    })
}

fn probe() -> Result<(CudaStatus, Arc<CudaContext>), String> {
    // SAFETY: only loads the library and resolves its symbols.
    if !unsafe { sys::is_culib_present() } {
        return Err("no NVIDIA driver found (libcuda.so could not be loaded)".into());
    }
    let count = CudaContext::device_count().map_err(|e| driver_reason(&e))?;
    if count < 1 {
        return Err("the NVIDIA driver found no CUDA device".into());
    }
    let ctx = CudaContext::new(0).map_err(|e| driver_reason(&e))?;
    let name = ctx.name().map_err(|e| driver_reason(&e))?;
    // SAFETY: the device handle comes from a live context.
    let memory = unsafe { cudarc::driver::result::device::total_mem(ctx.cu_device()) }
        .map_err(|e| driver_reason(&e))?;
    let driver_version = driver_version().map_err(|e| driver_reason(&e))?;
    // SAFETY: as for libcuda above.
    if !unsafe { cudarc::nvrtc::sys::is_culib_present() } {
        return Err(
            "the NVRTC library (libnvrtc.so, CUDA 12) is missing; install the CUDA runtime libraries"
                .into(),
        );
    }
    // SAFETY: as for libcuda above.
    if !unsafe { cudarc::cublas::sys::is_culib_present() } {
        return Err(
            "the cuBLAS library (libcublas.so, CUDA 12) is missing; install the CUDA runtime libraries"
                .into(),
        );
    }
    let status = CudaStatus::Available {
        name,
        memory,
        driver_version,
        device_count: count as usize,
    };
    Ok((status, ctx))
}

fn driver_version() -> Result<(i32, i32), DriverError> {
    let mut version = 0;
    // SAFETY: writes one int; the library is loaded.
    unsafe { sys::cuDriverGetVersion(&mut version) }.result()?;
    Ok((version / 1000, version % 1000 / 10))
}

/// A driver error as the driver words it, e.g. `no CUDA-capable device is
/// detected (CUDA_ERROR_NO_DEVICE)`.
pub(super) fn driver_reason(e: &DriverError) -> String {
    match (e.error_string(), e.error_name()) {
        (Ok(text), Ok(name)) => format!("{} ({})", text.to_string_lossy(), name.to_string_lossy()),
        _ => format!("CUDA driver error {:?}", e.0),
    }
}

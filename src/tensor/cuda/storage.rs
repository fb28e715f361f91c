//! Device memory: one buffer per dtype, bools as bytes (0 or 1).

use cudarc::driver::{CudaSlice, DeviceRepr, ValidAsZeroBits};

use super::super::device::Device;
use super::super::dtype::DType;
use super::super::error::{runtime, Result};
use super::super::storage::CpuStorage;
use super::context::{driver_error, gpu, Gpu};

/// A tensor's elements on the GPU. `len` is the element count; the buffer
/// holds at least one element because the driver allocates no empty buffers.
pub struct CudaStorage {
    pub(super) buf: Buffer,
    len: usize,
}

pub(super) enum Buffer {
    Bool(CudaSlice<u8>),
    I64(CudaSlice<i64>),
    F32(CudaSlice<f32>),
    F64(CudaSlice<f64>),
    /// The emulated device's "device memory" (see [`super::emulated`]).
    Host(CpuStorage),
}

/// The element types a device buffer holds, with their kernel name suffixes.
pub(super) trait DevElem: DeviceRepr + ValidAsZeroBits + Copy + Default + 'static {
    const DTYPE: DType;
    /// The suffix of this type's kernels in kernels.cu (`binary_f32`, ...).
    const SUFFIX: &'static str;
    fn wrap(s: CudaSlice<Self>) -> Buffer;
    fn slice(b: &Buffer) -> Option<&CudaSlice<Self>>;
}

macro_rules! dev_elem {
    ($t:ty, $variant:ident, $dtype:ident, $suffix:literal) => {
        impl DevElem for $t {
            const DTYPE: DType = DType::$dtype;
            const SUFFIX: &'static str = $suffix;
            fn wrap(s: CudaSlice<Self>) -> Buffer {
                Buffer::$variant(s)
            }
            fn slice(b: &Buffer) -> Option<&CudaSlice<Self>> {
                match b {
                    Buffer::$variant(s) => Some(s),
                    _ => None,
                }
            }
        }
    };
}
dev_elem!(u8, Bool, Bool, "u8");
dev_elem!(i64, I64, I64, "i64");
dev_elem!(f32, F32, F32, "f32");
dev_elem!(f64, F64, F64, "f64");

/// Runs `$body` with `$T` the device element type of `$dtype`.
macro_rules! with_dev_type {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            $crate::tensor::DType::Bool => {
                type $T = u8;
                $body
            }
            $crate::tensor::DType::I64 => {
                type $T = i64;
                $body
            }
            $crate::tensor::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::tensor::DType::F64 => {
                type $T = f64;
                $body
            }
            // `upload` keeps these in host memory, so no kernel sees them.
            other => {
                return $crate::tensor::error::runtime(format!(
                    "internal error: no CUDA kernels for {other}"
                ))
            }
        }
    };
}
pub(super) use with_dev_type;

/// Whether the kernels handle `dtype`. The other dtypes (the narrow ints,
/// float16, bfloat16) live in host memory even on a real GPU, where every
/// backend call runs the CPU engine on them as the emulated device does.
pub(super) fn has_kernels(dtype: DType) -> bool {
    matches!(dtype, DType::Bool | DType::I64 | DType::F32 | DType::F64)
}

impl CudaStorage {
    pub fn dtype(&self) -> DType {
        match &self.buf {
            Buffer::Bool(_) => DType::Bool,
            Buffer::I64(_) => DType::I64,
            Buffer::F32(_) => DType::F32,
            Buffer::F64(_) => DType::F64,
            Buffer::Host(s) => s.dtype(),
        }
    }

    /// The elements of an emulated device's storage; `None` on a real GPU.
    pub(super) fn emulated(&self) -> Option<&CpuStorage> {
        match &self.buf {
            Buffer::Host(s) => Some(s),
            _ => None,
        }
    }

    pub(super) fn from_host(s: CpuStorage) -> CudaStorage {
        CudaStorage {
            len: s.len(),
            buf: Buffer::Host(s),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The device this storage lives on (the backend drives device 0 only).
    pub fn device(&self) -> Device {
        Device::Cuda(0)
    }

    /// A copy in new device memory (`clone()` of a CUDA tensor).
    pub fn try_clone(&self) -> Result<CudaStorage> {
        if let Some(host) = self.emulated() {
            return Ok(CudaStorage::from_host(host.clone()));
        }
        let gpu = gpu()?;
        with_dev_type!(self.dtype(), T => {
            let copy = gpu
                .stream
                .clone_dtod(self.slice::<T>()?)
                .map_err(|e| driver_error("a device copy", &e))?;
            Ok(CudaStorage::new(copy, self.len))
        })
    }

    pub(super) fn new<T: DevElem>(s: CudaSlice<T>, len: usize) -> CudaStorage {
        CudaStorage {
            buf: T::wrap(s),
            len,
        }
    }

    /// The buffer as `T`; a mismatch is a backend bug reported as an error.
    pub(super) fn slice<T: DevElem>(&self) -> Result<&CudaSlice<T>> {
        match T::slice(&self.buf) {
            Some(s) => Ok(s),
            None => runtime(format!(
                "internal error: CUDA buffer of {} read as {}",
                self.dtype(),
                T::DTYPE
            )),
        }
    }
}

impl std::fmt::Debug for CudaStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CudaStorage({}, {} elements)", self.dtype(), self.len)
    }
}

/// Uninitialised device memory for `len` elements, for a kernel to fill.
pub(super) fn alloc<T: DevElem>(gpu: &Gpu, len: usize) -> Result<CudaSlice<T>> {
    // SAFETY: every caller launches a kernel that writes all `len` elements
    // before the buffer is read.
    unsafe { gpu.stream.alloc::<T>(len.max(1)) }
        .map_err(|e| driver_error("allocating device memory", &e))
}

fn htod<T: DevElem>(gpu: &Gpu, data: &[T]) -> Result<CudaStorage> {
    let padded;
    let src = if data.is_empty() {
        padded = [T::default()];
        &padded[..]
    } else {
        data
    };
    let s = gpu
        .stream
        .clone_htod(src)
        .map_err(|e| driver_error("copying to the GPU", &e))?;
    Ok(CudaStorage::new(s, data.len()))
}

/// Host to device (`.to('cuda')`).
pub fn upload(cpu: &CpuStorage) -> Result<CudaStorage> {
    if super::probe::is_emulated() {
        return Ok(CudaStorage::from_host(cpu.clone()));
    }
    let gpu = gpu()?;
    match cpu {
        CpuStorage::Bool(v) => htod(gpu, &v.iter().map(|&b| u8::from(b)).collect::<Vec<u8>>()),
        CpuStorage::I64(v) => htod(gpu, v),
        CpuStorage::F32(v) => htod(gpu, v),
        CpuStorage::F64(v) => htod(gpu, v),
        other => Ok(CudaStorage::from_host(other.clone())),
    }
}

/// Device to host (`.cpu()`, printing, `item()`); waits for pending kernels.
pub fn download(storage: &CudaStorage) -> Result<CpuStorage> {
    if let Some(host) = storage.emulated() {
        return Ok(host.clone());
    }
    let gpu = gpu()?;
    fn dtoh<T: DevElem>(gpu: &Gpu, s: &CudaStorage) -> Result<Vec<T>> {
        let mut v = gpu
            .stream
            .clone_dtoh(s.slice::<T>()?)
            .map_err(|e| driver_error("copying from the GPU", &e))?;
        v.truncate(s.len());
        Ok(v)
    }
    Ok(match storage.dtype() {
        DType::Bool => CpuStorage::Bool(
            dtoh::<u8>(gpu, storage)?
                .into_iter()
                .map(|b| b != 0)
                .collect(),
        ),
        DType::I64 => CpuStorage::I64(dtoh(gpu, storage)?),
        DType::F32 => CpuStorage::F32(dtoh(gpu, storage)?),
        DType::F64 => CpuStorage::F64(dtoh(gpu, storage)?),
        other => return runtime(format!("internal error: a device buffer of {other}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_can_be_shared_between_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<CudaStorage>();
    }

    #[test]
    fn upload_without_cuda_is_a_clear_error() {
        if super::super::is_available() {
            println!("skipped: CUDA is available here");
            return;
        }
        let err = upload(&CpuStorage::I64(vec![1])).unwrap_err();
        assert!(
            err.to_string().starts_with("CUDA is not available: "),
            "{err}"
        );
    }
}

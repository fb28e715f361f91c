//! Where a tensor's elements live: host memory, or a CUDA device's memory
//! behind [`super::cuda`], split by device as candle splits its storage.

use std::sync::atomic::{AtomicBool, Ordering};

use super::cuda::{self, CudaStorage};
use super::device::Device;
use super::dtype::DType;
use super::element::Element;
use super::error::Result;
use super::interrupt;
use super::layout::Layout;

/// Host memory, one vector per dtype.
#[derive(Clone, Debug, PartialEq)]
pub enum CpuStorage {
    Bool(Vec<bool>),
    U8(Vec<u8>),
    I8(Vec<i8>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    F16(Vec<half::f16>),
    BF16(Vec<half::bf16>),
    F32(Vec<f32>),
    F64(Vec<f64>),
}

impl CpuStorage {
    pub fn dtype(&self) -> DType {
        match self {
            CpuStorage::Bool(_) => DType::Bool,
            CpuStorage::U8(_) => DType::U8,
            CpuStorage::I8(_) => DType::I8,
            CpuStorage::I16(_) => DType::I16,
            CpuStorage::I32(_) => DType::I32,
            CpuStorage::I64(_) => DType::I64,
            CpuStorage::F16(_) => DType::F16,
            CpuStorage::BF16(_) => DType::BF16,
            CpuStorage::F32(_) => DType::F32,
            CpuStorage::F64(_) => DType::F64,
        }
    }

    pub fn len(&self) -> usize {
        crate::with_dtype!(self.dtype(), T => T::slice(self).len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The elements converted to `dtype` as `.to(dtype)` converts them.
    pub fn to_dtype(&self, dtype: DType) -> CpuStorage {
        crate::with_dtype!(self.dtype(), S => {
            crate::with_dtype!(dtype, T => T::wrap(S::slice(self).iter().map(|&x| super::cast::<S, T>(x)).collect()))
        })
    }

    pub fn zeros(dtype: DType, n: usize) -> CpuStorage {
        crate::with_dtype!(dtype, T => T::wrap(vec![T::default(); n]))
    }
}

/// A tensor's elements on one device.
#[derive(Debug)]
pub enum Storage {
    Cpu(CpuStorage),
    Cuda(CudaStorage),
}

/// Set once any storage moves to a CUDA device: until then every tensor is on
/// the CPU and ops skip their device checks.
static CUDA_USED: AtomicBool = AtomicBool::new(false);

pub(crate) fn cuda_used() -> bool {
    CUDA_USED.load(Ordering::Relaxed)
}

impl From<CpuStorage> for Storage {
    fn from(s: CpuStorage) -> Storage {
        Storage::Cpu(s)
    }
}

impl From<CudaStorage> for Storage {
    fn from(s: CudaStorage) -> Storage {
        Storage::Cuda(s)
    }
}

impl Storage {
    pub fn device(&self) -> Device {
        match self {
            Storage::Cpu(_) => Device::Cpu,
            Storage::Cuda(s) => s.device(),
        }
    }

    pub fn dtype(&self) -> DType {
        match self {
            Storage::Cpu(s) => s.dtype(),
            Storage::Cuda(s) => s.dtype(),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Storage::Cpu(s) => s.len(),
            Storage::Cuda(s) => s.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The elements in host memory: borrowed on the CPU, downloaded from a GPU.
    pub fn host(&self) -> Result<std::borrow::Cow<'_, CpuStorage>> {
        Ok(match self {
            Storage::Cpu(s) => std::borrow::Cow::Borrowed(s),
            Storage::Cuda(s) => std::borrow::Cow::Owned(cuda::download(s)?),
        })
    }

    /// This storage on `device`: itself when it is there already, else an
    /// upload or a download (`.to(device)`).
    pub fn into_device(self, device: Device) -> Result<Storage> {
        if self.device() == device {
            return Ok(self);
        }
        cuda::errors::check_device(device)?;
        Ok(match (self, device) {
            (Storage::Cuda(s), Device::Cpu) => Storage::Cpu(cuda::download(&s)?),
            (Storage::Cpu(s), Device::Cuda(_)) => {
                CUDA_USED.store(true, Ordering::Relaxed);
                Storage::Cuda(cuda::upload(&s)?)
            }
            // One GPU: check_device refuses any other ordinal.
            (s, _) => s,
        })
    }
}

/// The elements a layout addresses, in row-major order.
pub fn gather<T: Element>(data: &[T], layout: &Layout) -> Vec<T> {
    // An empty view may point past the end of its storage.
    if layout.numel() == 0 {
        return Vec::new();
    }
    if layout.is_contiguous() {
        return data[layout.offset..layout.offset + layout.numel()].to_vec();
    }
    super::strided::gather(data, &layout.shape, &layout.strides, layout.offset)
}

/// [`gather`] of a large tensor, after a check of the interrupt flag.
pub(crate) fn gather_checked<T: Element>(data: &[T], layout: &Layout) -> Result<Vec<T>> {
    interrupt::check()?;
    Ok(gather(data, layout))
}

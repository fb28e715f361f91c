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
use ndarray::{ArrayViewD, ArrayViewMutD, IxDyn, ShapeBuilder};

/// Host memory, one vector per dtype.
#[derive(Clone, Debug, PartialEq)]
pub enum CpuStorage {
    Bool(Vec<bool>),
    I64(Vec<i64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
}

impl CpuStorage {
    pub fn dtype(&self) -> DType {
        match self {
            CpuStorage::Bool(_) => DType::Bool,
            CpuStorage::I64(_) => DType::I64,
            CpuStorage::F32(_) => DType::F32,
            CpuStorage::F64(_) => DType::F64,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            CpuStorage::Bool(v) => v.len(),
            CpuStorage::I64(v) => v.len(),
            CpuStorage::F32(v) => v.len(),
            CpuStorage::F64(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

/// An ndarray view of the elements a layout addresses in a slice.
pub fn view<'a, T: Element>(data: &'a [T], layout: &Layout) -> ArrayViewD<'a, T> {
    if layout.numel() == 0 {
        return ArrayViewD::from_shape(IxDyn(&layout.shape), &[]).expect("empty view");
    }
    let shape = IxDyn(&layout.shape).strides(IxDyn(&layout.strides));
    // A layout is only ever built inside its storage's bounds.
    ArrayViewD::from_shape(shape, &data[layout.offset..]).expect("layout within storage")
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
    view(data, layout).iter().copied().collect()
}

/// [`gather`], polling the interrupt flag between blocks of a large tensor.
pub(crate) fn gather_checked<T: Element>(data: &[T], layout: &Layout) -> Result<Vec<T>> {
    let n = layout.numel();
    if n <= interrupt::BLOCK {
        return Ok(gather(data, layout));
    }
    if layout.is_contiguous() {
        let mut out = Vec::with_capacity(n);
        for block in data[layout.offset..layout.offset + n].chunks(interrupt::BLOCK) {
            interrupt::check()?;
            out.extend_from_slice(block);
        }
        return Ok(out);
    }
    interrupt::collect(n, view(data, layout).iter().copied())
}

/// A mutable view, for in-place writes through a (non-overlapping) layout.
pub fn view_mut<'a, T: Element>(data: &'a mut [T], layout: &Layout) -> ArrayViewMutD<'a, T> {
    if layout.numel() == 0 {
        return ArrayViewMutD::from_shape(IxDyn(&layout.shape), &mut []).expect("empty view");
    }
    let shape = IxDyn(&layout.shape).strides(IxDyn(&layout.strides));
    ArrayViewMutD::from_shape(shape, &mut data[layout.offset..]).expect("writable layout")
}

//! Where a tensor's elements live.

use super::dtype::DType;
use super::element::Element;
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

/// A mutable view, for in-place writes through a (non-overlapping) layout.
pub fn view_mut<'a, T: Element>(data: &'a mut [T], layout: &Layout) -> ArrayViewMutD<'a, T> {
    if layout.numel() == 0 {
        return ArrayViewMutD::from_shape(IxDyn(&layout.shape), &mut []).expect("empty view");
    }
    let shape = IxDyn(&layout.shape).strides(IxDyn(&layout.strides));
    ArrayViewMutD::from_shape(shape, &mut data[layout.offset..]).expect("writable layout")
}

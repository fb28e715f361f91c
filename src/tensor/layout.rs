//! Shapes, strides and broadcasting.

use super::error::{index_err, runtime, Result};

/// How a tensor's elements map onto its storage (in elements, not bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub shape: Vec<usize>,
    pub strides: Vec<usize>,
    pub offset: usize,
}

impl Layout {
    pub fn contiguous(shape: &[usize]) -> Layout {
        Layout {
            shape: shape.to_vec(),
            strides: contiguous_strides(shape),
            offset: 0,
        }
    }

    pub fn numel(&self) -> usize {
        numel_of(&self.shape)
    }

    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// Row-major without gaps (an empty tensor always is, as in PyTorch).
    /// Whether this layout addresses exactly a storage of `len` elements, in
    /// row-major order (the storage itself can stand for the tensor).
    pub fn is_whole(&self, len: usize) -> bool {
        self.is_contiguous() && self.offset == 0 && len == self.numel()
    }

    pub fn is_contiguous(&self) -> bool {
        if self.numel() == 0 {
            return true;
        }
        let mut expected = 1;
        for (&size, &stride) in self.shape.iter().zip(&self.strides).rev() {
            if size != 1 && stride != expected {
                return false;
            }
            expected *= size;
        }
        true
    }

    /// The layout seen through a broadcast to `shape` (stride 0 on new or size-1 dims).
    pub fn broadcast_to(&self, shape: &[usize]) -> Layout {
        let extra = shape.len() - self.ndim();
        let mut strides = vec![0; shape.len()];
        for i in 0..self.ndim() {
            if self.shape[i] == shape[extra + i] {
                strides[extra + i] = self.strides[i];
            }
        }
        Layout {
            shape: shape.to_vec(),
            strides,
            offset: self.offset,
        }
    }
}

/// The element count of a shape (saturating: sizes come from user input).
pub fn numel_of(shape: &[usize]) -> usize {
    shape.iter().fold(1usize, |n, &d| n.saturating_mul(d))
}

pub fn contiguous_strides(shape: &[usize]) -> Vec<usize> {
    let mut strides = vec![0; shape.len()];
    let mut acc: usize = 1;
    for i in (0..shape.len()).rev() {
        strides[i] = acc;
        acc = acc.saturating_mul(shape[i].max(1));
    }
    strides
}

/// The broadcast shape of two shapes, with PyTorch's error.
pub fn broadcast_shapes(a: &[usize], b: &[usize]) -> Result<Vec<usize>> {
    let n = a.len().max(b.len());
    let mut out = vec![0; n];
    for i in 0..n {
        let da = if i + a.len() >= n {
            a[i + a.len() - n]
        } else {
            1
        };
        let db = if i + b.len() >= n {
            b[i + b.len() - n]
        } else {
            1
        };
        out[i] = if da == db || db == 1 {
            da
        } else if da == 1 {
            db
        } else {
            return runtime(format!(
                "The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension {i}"
            ));
        };
    }
    Ok(out)
}

/// Wraps a possibly negative dim into `0..ndim`, as PyTorch does (a 0-dim tensor accepts -1 and 0).
pub fn wrap_dim(dim: i64, ndim: usize) -> Result<usize> {
    let n = ndim.max(1) as i64;
    if dim < -n || dim >= n {
        return index_err(format!(
            "Dimension out of range (expected to be in range of [{}, {}], but got {dim})",
            -n,
            n - 1
        ));
    }
    Ok(if dim < 0 {
        (dim + n) as usize
    } else {
        dim as usize
    })
}

/// `torch.Size([2, 3])`-style text used inside error messages: `[2, 3]`.
pub fn shape_list(shape: &[usize]) -> String {
    let items: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("[{}]", items.join(", "))
}

//! `cumsum`: running sums along one dim.

use super::autograd::Op;
use super::dtype::DType;
use super::element::Element;
use super::error::Result;
use super::layout::wrap_dim;
use super::{CpuStorage, Tensor};

impl Tensor {
    /// `cumsum(dim)`. PyTorch's CPU kernel accumulates floats in double and
    /// rounds each running sum to the element type; bools and ints sum as int64.
    pub fn cumsum(&self, dim: i64) -> Result<Tensor> {
        self.scan(wrap_dim(dim, self.dim())?, false)
    }

    /// Running sums along `dim`, from the end when `reverse` (the gradient of
    /// a cumsum is the reversed cumsum of its gradient: CumsumBackward0).
    pub(crate) fn scan(&self, dim: usize, reverse: bool) -> Result<Tensor> {
        let shape = self.shape().to_vec();
        let len = shape.get(dim).copied().unwrap_or(1);
        let inner: usize = shape.iter().skip(dim + 1).product();
        let at = (len, inner, reverse);
        let data = match self.dtype() {
            DType::F32 => {
                let sums = running(&self.to_vec::<f64>()?, at, |a, b| a + b, |s| s as f32);
                f32::wrap(sums)
            }
            DType::F64 => f64::wrap(running(&self.to_vec::<f64>()?, at, |a, b| a + b, |s| s)),
            // float16 and bfloat16 accumulate in float32, storing each sum rounded.
            d @ (DType::F16 | DType::BF16) => {
                f32::wrap(running(&self.to_vec::<f32>()?, at, |a, b| a + b, |s| s)).to_dtype(d)
            }
            DType::Bool | DType::U8 | DType::I8 | DType::I16 | DType::I32 | DType::I64 => {
                CpuStorage::I64(running(
                    &self.to_vec::<i64>()?,
                    at,
                    i64::wrapping_add,
                    |s| s,
                ))
            }
        };
        let a = self.clone();
        Tensor::from_op(data, &shape, &[self], || Op::Cumsum(a, dim, reverse))
    }
}

/// The running sums of `values` (row-major, `len` along the scanned dim with
/// `inner` elements after it), accumulated with `add` and stored by `store`.
fn running<A: Copy + Default, T: Copy + Default>(
    values: &[A],
    (len, inner, reverse): (usize, usize, bool),
    add: impl Fn(A, A) -> A,
    store: impl Fn(A) -> T,
) -> Vec<T> {
    let mut out = vec![T::default(); values.len()];
    if len == 0 || inner == 0 {
        return out;
    }
    for (block, chunk) in values.chunks(len * inner).enumerate() {
        for i in 0..inner {
            let mut acc = A::default();
            for step in 0..len {
                let k = if reverse { len - 1 - step } else { step };
                let at = k * inner + i;
                acc = add(acc, chunk[at]);
                out[block * len * inner + at] = store(acc);
            }
        }
    }
    out
}

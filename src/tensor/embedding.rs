//! `F.embedding`: rows of a weight matrix picked by an index tensor, and its
//! backward (EmbeddingBackward0), which adds each output row's gradient into
//! the row it came from.

use super::autograd::Op;
use super::dtype::DType;
use super::error::{index_err, runtime, Result};
use super::{storage, Element, Tensor};

impl Tensor {
    /// `F.embedding(indices, weight, padding_idx)`: `weight[indices]`, shaped
    /// `indices.shape + [embedding_dim]`. Rows at `padding_idx` get no gradient.
    pub fn embedding(
        weight: &Tensor,
        indices: &Tensor,
        padding_idx: Option<usize>,
    ) -> Result<Tensor> {
        if !matches!(indices.dtype(), DType::I64 | DType::I32) {
            return runtime(format!(
                "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got {} instead (while checking arguments for embedding)",
                indices.dtype().tensor_type_name()
            ));
        }
        if weight.dim() != 2 {
            return runtime("'weight' must be 2-D");
        }
        let (rows, dim) = (weight.shape()[0], weight.shape()[1]);
        let picks = row_indices(indices, rows)?;
        let data = weight.read(|s, l| {
            crate::with_dtype!(s.dtype(), T => {
                let w = storage::gather(T::slice(s), l);
                let out: Vec<T> = picks
                    .iter()
                    .flat_map(|&r| w[r * dim..(r + 1) * dim].iter().copied())
                    .collect();
                T::wrap(out)
            })
        })?;
        let mut shape = indices.shape().to_vec();
        shape.push(dim);
        Tensor::from_op(data, &shape, &[weight, indices], || {
            Op::Embedding(weight.clone(), indices.clone(), padding_idx)
        })
    }

    /// EmbeddingBackward0: a zero gradient for `weight` with each row of
    /// `grad` added, in index order, into the row it was gathered from.
    pub(crate) fn embedding_backward(
        grad: &Tensor,
        weight: &Tensor,
        indices: &Tensor,
        padding_idx: Option<usize>,
    ) -> Result<Tensor> {
        let (rows, dim) = (weight.shape()[0], weight.shape()[1]);
        let picks = row_indices(indices, rows)?;
        let data = grad.read(|s, l| {
            crate::with_float!(s.dtype(), F => {
                let g = storage::gather(F::slice(s), l);
                let mut out = vec![F::default(); rows * dim];
                for (k, &r) in picks.iter().enumerate() {
                    if Some(r) == padding_idx {
                        continue;
                    }
                    for (o, &v) in out[r * dim..(r + 1) * dim].iter_mut().zip(&g[k * dim..(k + 1) * dim]) {
                        *o += v;
                    }
                }
                F::wrap(out)
            }, storage::CpuStorage::zeros(s.dtype(), rows * dim))
        })?;
        Tensor::placed(data, &[rows, dim], &[grad])
    }
}

/// The indices as row numbers, each checked against the number of rows.
fn row_indices(indices: &Tensor, rows: usize) -> Result<Vec<usize>> {
    indices
        .to_vec::<i64>()?
        .into_iter()
        .map(|i| match usize::try_from(i) {
            Ok(r) if r < rows => Ok(r),
            _ => index_err("index out of range in self"),
        })
        .collect()
}

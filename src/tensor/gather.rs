//! Index-driven copies along one dim: `index_select`, `gather`, `scatter`
//! (and `scatter_add`), and `F.one_hot`, with PyTorch's checks and messages.

use super::autograd::Op;
use super::dtype::DType;
use super::error::{index_err, runtime, Result};
use super::indexing::TensorIndex;
use super::layout::{shape_list, wrap_dim};
use super::{CpuStorage, Element, Scalar, Tensor};

/// What `scatter` writes: a tensor's elements or one number.
#[derive(Clone, Debug)]
pub enum ScatterSrc {
    Tensor(Tensor),
    Value(Scalar),
}

/// Row-major contiguous strides of `shape`.
fn strides(shape: &[usize]) -> Vec<usize> {
    let mut s = vec![1; shape.len()];
    for d in (0..shape.len().saturating_sub(1)).rev() {
        s[d] = s[d + 1] * shape[d + 1];
    }
    s
}

/// For each element of `index` (row-major), the flat row-major position in
/// a tensor of `shape` that `gather`/`scatter` address: the element's own
/// coordinates with the one along `dim` replaced by its value, which must
/// lie in `shape[dim]`.
fn addressed(index: &Tensor, shape: &[usize], dim: usize) -> Result<Vec<usize>> {
    let values = index.to_vec::<i64>()?;
    let (ishape, target) = (index.shape(), strides(shape));
    let size = shape.get(dim).copied().unwrap_or(1);
    let mut out = Vec::with_capacity(values.len());
    for (flat, &v) in values.iter().enumerate() {
        if v < 0 || v as usize >= size {
            return runtime(format!(
                "index {v} is out of bounds for dimension {dim} with size {size}"
            ));
        }
        let (mut rem, mut pos) = (flat, 0);
        for d in (0..ishape.len()).rev() {
            let coord = if d == dim {
                v as usize
            } else {
                rem % ishape[d]
            };
            pos += coord * target[d];
            rem /= ishape[d];
        }
        out.push(pos);
    }
    Ok(out)
}

/// For each element of a tensor of `inner` (row-major), its flat position
/// in a tensor of the same rank but shape `outer`, each dim no smaller.
fn embedded(inner: &[usize], outer: &[usize]) -> Vec<usize> {
    let target = strides(outer);
    let n: usize = inner.iter().product();
    (0..n)
        .map(|flat| {
            let (mut rem, mut pos) = (flat, 0);
            for d in (0..inner.len()).rev() {
                pos += (rem % inner[d]) * target[d];
                rem /= inner[d];
            }
            pos
        })
        .collect()
}

fn check_index_dtype(index: &Tensor, what: &str) -> Result<()> {
    if matches!(index.dtype(), DType::I64 | DType::I32) {
        Ok(())
    } else {
        runtime(format!("{what}(): Expected dtype int32/int64 for index"))
    }
}

impl Tensor {
    /// `index_select(dim, index)`: the slices at `index` (a vector, or a
    /// 0-dim tensor as a vector of one) along `dim` (IndexSelectBackward0).
    pub fn index_select(&self, dim: i64, index: &Tensor) -> Result<Tensor> {
        if !matches!(index.dtype(), DType::I64 | DType::I32) {
            return runtime("index_select(): Expected dtype int32 or int64 for index");
        }
        if index.dim() > 1 {
            return index_err("index_select(): Index is supposed to be a vector");
        }
        let d = wrap_dim(dim, self.dim())?;
        let size = self.shape().get(d).copied().unwrap_or(1) as i64;
        let index = index.to_dtype_plain(DType::I64)?.reshape(&[-1])?;
        if let Some(bad) = index
            .to_vec::<i64>()?
            .into_iter()
            .find(|&i| i < 0 || i >= size)
        {
            // ATen checks dim 1 in its own kernel, with its own message.
            if d == 1 {
                return runtime(format!(
                    "INDICES element is out of DATA bounds, id={bad} axis_dim={size}"
                ));
            }
            return index_err("index out of range in self");
        }
        let items = select_items(self.dim().max(1), d, &index);
        let source = if self.dim() == 0 {
            self.reshape(&[1])?
        } else {
            self.clone()
        };
        let picked = super::no_grad(|| source.index(&items))?;
        let picked = if self.dim() == 0 {
            picked.reshape(&[])?
        } else {
            picked
        };
        let (a, i) = (self.clone(), index.clone());
        Tensor::from_op(
            picked.contiguous_storage()?,
            picked.shape(),
            &[self],
            || Op::IndexSelect(a, d, i),
        )
    }

    /// `gather(dim, index)`: `out[m] = self[m with m[dim] = index[m]]`
    /// (GatherBackward0).
    pub fn gather(&self, dim: i64, index: &Tensor) -> Result<Tensor> {
        check_index_dtype(index, "gather")?;
        let d = wrap_dim(dim, self.dim())?;
        if index.dim().max(1) != self.dim().max(1) {
            return runtime("Index tensor must have the same number of dimensions as input tensor");
        }
        let (ishape, shape) = (
            padded(index.shape(), self.dim()),
            padded(self.shape(), self.dim()),
        );
        if let Some(bad) = (0..shape.len()).find(|&k| k != d && ishape[k] > shape[k]) {
            return runtime(format!(
                "Size does not match at dimension {bad} expected index {} to be no larger than self {} apart from dimension {d}",
                shape_list(index.shape()),
                shape_list(self.shape())
            ));
        }
        let flat_index = index.reshape_usize(&ishape)?;
        let positions = addressed(&flat_index, &shape, d)?;
        let data = crate::with_dtype!(self.dtype(), T => {
            let src = self.to_vec::<T>()?;
            T::wrap(positions.iter().map(|&p| src[p]).collect())
        });
        let (a, i) = (self.clone(), flat_index.clone());
        Tensor::from_op(data, index.shape(), &[self], || Op::Gather(a, d, i))
    }

    /// `scatter(dim, index, src)` / `scatter_add`: a copy of this tensor
    /// with `src` written (or added) where `gather` would read
    /// (ScatterBackward0/1, ScatterAddBackward0).
    pub fn scatter(&self, dim: i64, index: &Tensor, src: &ScatterSrc, add: bool) -> Result<Tensor> {
        let out = self.detach().clone_tensor()?;
        let d = scatter_into(&out, dim, index, src, add)?;
        let (a, i, s) = (self.clone(), index.clone(), src.clone());
        let inputs: Vec<&Tensor> = match src {
            ScatterSrc::Tensor(t) => vec![self, t],
            ScatterSrc::Value(_) => vec![self],
        };
        Tensor::from_op(out.contiguous_storage()?, self.shape(), &inputs, || {
            Op::Scatter(a, d, i, s, add)
        })
    }

    /// `scatter_(dim, index, src)` / `scatter_add_`, in place.
    pub fn scatter_(&self, dim: i64, index: &Tensor, src: &ScatterSrc, add: bool) -> Result<()> {
        scatter_into(self, dim, index, src, add).map(|_| ())
    }

    /// `F.one_hot(self, num_classes)` (-1: the largest class plus one), int64.
    pub fn one_hot(&self, num_classes: i64) -> Result<Tensor> {
        if self.dtype() != DType::I64 {
            return runtime("one_hot is only applicable to index tensor of type LongTensor.");
        }
        let classes = self.to_vec::<i64>()?;
        let n = if num_classes == -1 {
            match classes.iter().max() {
                Some(&m) => m + 1,
                None => return runtime("Can not infer total number of classes from empty tensor."),
            }
        } else {
            num_classes
        };
        if classes.iter().any(|&c| c < 0) {
            return runtime("Class values must be non-negative.");
        }
        if classes.iter().any(|&c| c >= n) {
            return runtime("Class values must be smaller than num_classes.");
        }
        let n = n.max(0) as usize;
        let mut shape = self.shape().to_vec();
        shape.push(n);
        super::check_shape(&shape)?;
        let mut out = vec![0i64; classes.len() * n];
        for (row, &c) in classes.iter().enumerate() {
            out[row * n + c as usize] = 1;
        }
        Tensor::placed(CpuStorage::I64(out), &shape, &[self])
    }
}

/// A shape as at least one dim (0-dim tensors gather as vectors of one).
fn padded(shape: &[usize], ndim: usize) -> Vec<usize> {
    if ndim == 0 {
        vec![1]
    } else {
        shape.to_vec()
    }
}

/// Index items selecting `index` along `dim` of an `ndim`-dim tensor.
fn select_items(ndim: usize, dim: usize, index: &Tensor) -> Vec<TensorIndex> {
    (0..ndim)
        .map(|k| {
            if k == dim {
                TensorIndex::Tensor(index.clone())
            } else {
                TensorIndex::Slice(None, None, None)
            }
        })
        .collect()
}

/// Writes (or adds) `src` into `dst` where `index` addresses it along `dim`;
/// the dim, wrapped.
fn scatter_into(
    dst: &Tensor,
    dim: i64,
    index: &Tensor,
    src: &ScatterSrc,
    add: bool,
) -> Result<usize> {
    let what = if add { "scatter_add" } else { "scatter" };
    check_index_dtype(index, what)?;
    let d = wrap_dim(dim, dst.dim())?;
    if index.dim().max(1) != dst.dim().max(1) {
        return runtime("Index tensor must have the same number of dimensions as self tensor");
    }
    let (ishape, shape) = (
        padded(index.shape(), dst.dim()),
        padded(dst.shape(), dst.dim()),
    );
    let too_big = (0..shape.len()).any(|k| k != d && ishape[k] > shape[k]);
    if let ScatterSrc::Tensor(s) = src {
        if s.dtype() != dst.dtype() {
            return runtime(format!(
                "{what}(): Expected self.dtype to be equal to src.dtype"
            ));
        }
        if s.dim().max(1) != dst.dim().max(1) {
            return runtime("Index tensor must have the same number of dimensions as src tensor");
        }
        let sshape = padded(s.shape(), s.dim());
        if too_big || (0..shape.len()).any(|k| ishape[k] > sshape[k]) {
            return runtime(format!(
                "Expected index {} to be no larger than self {} apart from dimension {d} and to be no larger size than src {}",
                shape_list(index.shape()),
                shape_list(dst.shape()),
                shape_list(s.shape())
            ));
        }
    } else if too_big {
        return runtime(format!(
            "Expected index {} to be no larger than self {} apart from dimension {d}",
            shape_list(index.shape()),
            shape_list(dst.shape())
        ));
    }
    let positions = addressed(&index.reshape_usize(&ishape)?, &shape, d)?;
    crate::with_dtype!(dst.dtype(), T => {
        let values: Vec<T> = match src {
            ScatterSrc::Tensor(s) => {
                let all = s.to_vec::<T>()?;
                embedded(&ishape, &padded(s.shape(), s.dim())).iter().map(|&p| all[p]).collect()
            }
            ScatterSrc::Value(v) => vec![super::creation::scalar_to::<T>(*v); positions.len()],
        };
        let mut data = dst.to_vec::<T>()?;
        for (&p, v) in positions.iter().zip(values) {
            data[p] = if add { super::indexing::add_elem(data[p], v) } else { v };
        }
        dst.assign_values(&data)?;
    });
    Ok(d)
}

/// The gradient of `gather` (and of `scatter`'s `src`): `g` added into
/// zeros of `shape` where `index` addresses it along `dim`.
pub(crate) fn gather_backward(
    g: &Tensor,
    shape: &[usize],
    dim: usize,
    index: &Tensor,
) -> Result<Tensor> {
    let zeros = Tensor::zeros(shape, g.dtype())?;
    scatter_into(
        &zeros,
        dim as i64,
        index,
        &ScatterSrc::Tensor(g.contiguous()?),
        true,
    )?;
    zeros.to_device(g.device())
}

/// The gradients of `index_select`: `g` added into zeros at the selected slices.
pub(crate) fn index_select_backward(
    g: &Tensor,
    shape: &[usize],
    dim: usize,
    index: &Tensor,
) -> Result<Tensor> {
    let items = select_items(shape.len().max(1), dim, index);
    let padded_shape = padded(shape, shape.len());
    let g = if shape.is_empty() {
        g.reshape(&[1])?
    } else {
        g.clone()
    };
    Tensor::embed(&g, &padded_shape, &items)?.reshape_usize(shape)
}

//! Shape ops: views that share storage, and copies that join or repeat.

use super::autograd::Op;
use super::error::{index_err, runtime, Result};
use super::layout::{shape_list, wrap_dim, Layout};
use super::{interrupt, CpuStorage, Element, Tensor};

impl Tensor {
    /// Resolves a `-1` in a requested shape.
    fn infer_shape(&self, shape: &[i64]) -> Result<Vec<usize>> {
        let numel = self.numel();
        let invalid = || {
            runtime(format!(
                "shape '{}' is invalid for input of size {numel}",
                shape_text(shape)
            ))
        };
        let mut infer = None;
        let mut known: usize = 1;
        for (i, &d) in shape.iter().enumerate() {
            if d == -1 {
                if infer.is_some() {
                    return runtime("only one dimension can be inferred");
                }
                infer = Some(i);
            } else if d < 0 {
                return runtime(format!("invalid shape dimension {d}"));
            } else {
                known = known.saturating_mul(d as usize);
            }
        }
        let mut out: Vec<usize> = shape.iter().map(|&d| d.max(0) as usize).collect();
        match infer {
            Some(i) => {
                if known == 0 || !numel.is_multiple_of(known) {
                    return invalid();
                }
                out[i] = numel / known;
            }
            None if known != numel => return invalid(),
            None => {}
        }
        super::check_shape(&out)?;
        Ok(out)
    }

    /// Strides for viewing this tensor as `shape` without copying, if possible
    /// (PyTorch's `computeStride`).
    fn view_strides(&self, shape: &[usize]) -> Option<Vec<usize>> {
        let old = self.layout();
        if old.is_contiguous() {
            return Some(super::layout::contiguous_strides(shape));
        }
        let numel = self.numel();
        if numel == 0 {
            return Some(super::layout::contiguous_strides(shape));
        }
        let mut new_strides = vec![0; shape.len()];
        let mut view_d = shape.len() as isize - 1;
        let mut chunk_base_stride = *old.strides.last()?;
        let mut tensor_numel = 1;
        let mut view_numel = 1;
        for tensor_d in (0..old.ndim()).rev() {
            tensor_numel *= old.shape[tensor_d];
            if tensor_d == 0
                || (old.shape[tensor_d - 1] != 1
                    && old.strides[tensor_d - 1] != tensor_numel * chunk_base_stride)
            {
                while view_d >= 0 && (view_numel < tensor_numel || shape[view_d as usize] == 1) {
                    new_strides[view_d as usize] = view_numel * chunk_base_stride;
                    view_numel *= shape[view_d as usize];
                    view_d -= 1;
                }
                if view_numel != tensor_numel {
                    return None;
                }
                if tensor_d > 0 {
                    chunk_base_stride = old.strides[tensor_d - 1];
                    tensor_numel = 1;
                    view_numel = 1;
                }
            }
        }
        if view_d != -1 {
            return None;
        }
        Some(new_strides)
    }

    /// `view(*shape)`: fails when the layout cannot be viewed that way.
    pub fn view(&self, shape: &[i64]) -> Result<Tensor> {
        let shape = self.infer_shape(shape)?;
        match self.view_strides(&shape) {
            Some(strides) => Ok(self.view_as_shape(shape, strides)),
            None => runtime("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead."),
        }
    }

    /// `unflatten(dim, sizes)`: dim `dim` viewed as `sizes` (one may be -1).
    pub fn unflatten(&self, dim: i64, sizes: &[i64]) -> Result<Tensor> {
        let d = wrap_dim(dim, self.dim())?;
        if sizes.is_empty() {
            return runtime("unflatten: sizes must be non-empty");
        }
        let size = self.shape().get(d).copied().unwrap_or(1);
        if !sizes.contains(&-1) && sizes.iter().product::<i64>() != size as i64 {
            return runtime(format!(
                "unflatten: Provided sizes {sizes:?} don't multiply up to the size of dim {dim} ({size}) in the input tensor"
            ));
        }
        let dims = |r: &[usize]| r.iter().map(|&s| s as i64).collect::<Vec<_>>();
        let mut shape = dims(&self.shape()[..d]);
        shape.extend(sizes);
        shape.extend(dims(self.shape().get(d + 1..).unwrap_or(&[])));
        self.view(&shape)
    }

    fn view_as_shape(&self, shape: Vec<usize>, strides: Vec<usize>) -> Tensor {
        let layout = Layout {
            shape,
            strides,
            offset: self.layout().offset,
        };
        let (a, s) = (self.clone(), self.shape().to_vec());
        self.view_op(layout, || Op::View(a, s))
    }

    /// `reshape(*shape)`: a view when possible, else a copy.
    pub fn reshape(&self, shape: &[i64]) -> Result<Tensor> {
        let shape = self.infer_shape(shape)?;
        match self.view_strides(&shape) {
            Some(strides) => Ok(self.view_as_shape(shape, strides)),
            None => {
                let copy = self.contiguous()?;
                let strides = super::layout::contiguous_strides(&shape);
                let layout = Layout {
                    shape,
                    strides,
                    offset: 0,
                };
                let (a, s) = (copy.clone(), copy.shape().to_vec());
                Ok(copy.view_op(layout, || Op::UnsafeView(a, s)))
            }
        }
    }

    pub fn reshape_usize(&self, shape: &[usize]) -> Result<Tensor> {
        let shape: Vec<i64> = shape.iter().map(|&d| d as i64).collect();
        self.reshape(&shape)
    }

    /// A contiguous tensor with the same values (self when already contiguous).
    pub fn contiguous(&self) -> Result<Tensor> {
        if self.layout().is_contiguous() && self.layout().offset == 0 {
            return Ok(self.clone());
        }
        self.clone_tensor()
    }

    /// `clone()`: a copy that stays in the graph.
    pub fn clone_tensor(&self) -> Result<Tensor> {
        let a = self.clone();
        Tensor::from_op(self.contiguous_storage()?, self.shape(), &[self], || {
            Op::Clone(a)
        })
    }

    pub fn unsqueeze(&self, dim: i64) -> Result<Tensor> {
        let d = wrap_dim(dim, self.dim() + 1)?;
        let l = self.layout();
        let mut shape = l.shape.clone();
        let mut strides = l.strides.clone();
        let stride = if d < l.ndim() {
            l.strides[d].saturating_mul(l.shape[d])
        } else {
            1
        };
        shape.insert(d, 1);
        strides.insert(d, stride);
        let layout = Layout {
            shape,
            strides,
            offset: l.offset,
        };
        let a = self.clone();
        Ok(self.view_op(layout, || Op::Unsqueeze(a, d)))
    }

    /// `squeeze()` (all size-1 dims) or `squeeze(dim)`.
    pub fn squeeze(&self, dim: Option<i64>) -> Result<Tensor> {
        let l = self.layout();
        let keep: Vec<bool> = match dim {
            None => l.shape.iter().map(|&s| s != 1).collect(),
            Some(d) => {
                let d = wrap_dim(d, self.dim())?;
                (0..l.ndim()).map(|i| i != d || l.shape[i] != 1).collect()
            }
        };
        let pick = |v: &[usize]| -> Vec<usize> {
            v.iter()
                .zip(&keep)
                .filter(|(_, &k)| k)
                .map(|(&x, _)| x)
                .collect()
        };
        let layout = Layout {
            shape: pick(&l.shape),
            strides: pick(&l.strides),
            offset: l.offset,
        };
        let (a, s) = (self.clone(), self.shape().to_vec());
        let all = dim.is_none();
        Ok(self.view_op(layout, || Op::Squeeze(a, s, all)))
    }

    pub fn permute(&self, dims: &[i64]) -> Result<Tensor> {
        let n = self.dim();
        if dims.len() != n {
            return runtime(format!(
                "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {n} is not equal to len(dims) = {}",
                dims.len()
            ));
        }
        let mut perm = Vec::with_capacity(n);
        for &d in dims {
            let d = wrap_dim(d, n)?;
            if perm.contains(&d) {
                return runtime("permute(): duplicate dims are not allowed.");
            }
            perm.push(d);
        }
        let l = self.layout();
        let layout = Layout {
            shape: perm.iter().map(|&p| l.shape[p]).collect(),
            strides: perm.iter().map(|&p| l.strides[p]).collect(),
            offset: l.offset,
        };
        let a = self.clone();
        Ok(self.view_op(layout, || Op::Permute(a, perm)))
    }

    pub fn transpose(&self, d0: i64, d1: i64) -> Result<Tensor> {
        let (a, b, layout) = self.swapped(d0, d1)?;
        let t = self.clone();
        Ok(self.view_op(layout, || Op::Transpose(t, a, b)))
    }

    /// `transpose_(d0, d1)` on a result only the caller holds (RNN's
    /// batch_first output): a view recorded as TransposeBackward1.
    pub(crate) fn transpose_in_place(&self, d0: i64, d1: i64) -> Result<Tensor> {
        let (a, b, layout) = self.swapped(d0, d1)?;
        let t = self.clone();
        Ok(self.view_op(layout, || Op::TransposeInPlace(t, a, b)))
    }

    fn swapped(&self, d0: i64, d1: i64) -> Result<(usize, usize, Layout)> {
        let n = self.dim();
        let (a, b) = (wrap_dim(d0, n)?, wrap_dim(d1, n)?);
        let mut layout = self.layout().clone();
        if n > 0 {
            layout.shape.swap(a, b);
            layout.strides.swap(a, b);
        }
        Ok((a, b, layout))
    }

    /// `t()`: transpose of a tensor with at most 2 dims.
    pub fn t(&self) -> Result<Tensor> {
        if self.dim() > 2 {
            return runtime(format!(
                "t() expects a tensor with <= 2 dimensions, but self is {}D",
                self.dim()
            ));
        }
        let l = self.layout();
        let layout = if self.dim() < 2 {
            l.clone()
        } else {
            Layout {
                shape: vec![l.shape[1], l.shape[0]],
                strides: vec![l.strides[1], l.strides[0]],
                offset: l.offset,
            }
        };
        let a = self.clone();
        Ok(self.view_op(layout, || Op::T(a)))
    }

    /// `.T`: all dims reversed (PyTorch records it as a permute).
    pub fn numpy_t(&self) -> Result<Tensor> {
        let n = self.dim() as i64;
        let dims: Vec<i64> = (0..n).rev().collect();
        self.permute(&dims)
    }

    pub fn flatten(&self, start: i64, end: i64) -> Result<Tensor> {
        if self.dim() == 0 {
            return self.reshape(&[1]);
        }
        let n = self.dim();
        let (s, e) = (wrap_dim(start, n)?, wrap_dim(end, n)?);
        if s > e {
            return runtime("flatten() has invalid args: start_dim cannot come after end_dim");
        }
        if s == e {
            return Ok(self.clone());
        }
        let shape = self.shape();
        let mut new: Vec<i64> = shape[..s].iter().map(|&d| d as i64).collect();
        new.push(shape[s..=e].iter().product::<usize>() as i64);
        new.extend(shape[e + 1..].iter().map(|&d| d as i64));
        self.reshape(&new)
    }

    /// `expand(*sizes)` with `-1` keeping a dim.
    pub fn expand(&self, sizes: &[i64]) -> Result<Tensor> {
        let l = self.layout();
        if sizes.len() < l.ndim() {
            return runtime(format!(
                "expand({}{{{}}}, size=[{}]): the number of sizes provided ({}) must be greater or equal to the number of dimensions in the tensor ({})",
                "torch.FloatTensor",
                shape_list(&l.shape).trim_matches(['[', ']']),
                sizes.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
                sizes.len(),
                l.ndim()
            ));
        }
        let extra = sizes.len() - l.ndim();
        let mut shape = vec![0; sizes.len()];
        let mut strides = vec![0; sizes.len()];
        for i in 0..sizes.len() {
            let want = sizes[i];
            if i < extra {
                if want < 0 {
                    return runtime(format!("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}"));
                }
                shape[i] = want as usize;
                continue;
            }
            let (have, stride) = (l.shape[i - extra], l.strides[i - extra]);
            if want == -1 || want as usize == have {
                shape[i] = have;
                strides[i] = stride;
            } else if have == 1 && want >= 0 {
                shape[i] = want as usize;
            } else {
                return runtime(format!(
                    "The expanded size of the tensor ({want}) must match the existing size ({have}) at non-singleton dimension {i}.  Target sizes: {}.  Tensor sizes: {}",
                    shape_text(sizes),
                    shape_list(&l.shape)
                ));
            }
        }
        let layout = Layout {
            shape,
            strides,
            offset: l.offset,
        };
        // A view, but everything downstream would materialise it.
        super::check_shape(&layout.shape)?;
        let (a, s) = (self.clone(), self.shape().to_vec());
        Ok(self.view_op(layout, || Op::Expand(a, s)))
    }

    pub fn expand_to(&self, shape: &[usize]) -> Result<Tensor> {
        if self.shape() == shape {
            return Ok(self.clone());
        }
        let sizes: Vec<i64> = shape.iter().map(|&d| d as i64).collect();
        self.expand(&sizes)
    }

    /// `repeat(*sizes)`: tiles the tensor.
    pub fn repeat(&self, reps: &[usize]) -> Result<Tensor> {
        if reps.len() < self.dim() {
            return runtime("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
        }
        let extra = reps.len() - self.dim();
        let mut src_shape = vec![1usize; extra];
        src_shape.extend_from_slice(self.shape());
        // Interleave (rep, size) dims, expand, then merge pairs.
        let mut expanded_shape = Vec::new();
        let mut view_shape = Vec::new();
        for (&r, &s) in reps.iter().zip(&src_shape) {
            view_shape.extend([1i64, s as i64]);
            expanded_shape.extend([r as i64, s as i64]);
        }
        let out_shape: Vec<usize> = reps
            .iter()
            .zip(&src_shape)
            .map(|(r, s)| r.saturating_mul(*s))
            .collect();
        super::check_shape(&out_shape)?;
        let base = super::no_grad(|| -> Result<Tensor> {
            self.reshape(&view_shape)?
                .expand(&expanded_shape)?
                .contiguous()
        })?;
        let data = base.contiguous_storage()?;
        let (a, r) = (self.clone(), reps.to_vec());
        Tensor::from_op(data, &out_shape, &[self], || Op::Repeat(a, r))
    }

    /// `torch.cat(tensors, dim)`.
    pub fn cat(tensors: &[Tensor], dim: i64) -> Result<Tensor> {
        let first = match tensors.first() {
            Some(t) => t,
            None => return runtime("torch.cat(): expected a non-empty list of Tensors"),
        };
        let n = first.dim();
        if n == 0 {
            return runtime("zero-dimensional tensor (at position 0) cannot be concatenated");
        }
        let d = wrap_dim(dim, n)?;
        for (i, t) in tensors.iter().enumerate() {
            if t.dim() != n {
                return runtime(format!(
                    "Tensors must have same number of dimensions: got {n} and {}",
                    t.dim()
                ));
            }
            for k in 0..n {
                if k != d && t.shape()[k] != first.shape()[k] {
                    return runtime(format!(
                        "Sizes of tensors must match except in dimension {d}. Expected size {} but got size {} for tensor number {i} in the list.",
                        first.shape()[k],
                        t.shape()[k]
                    ));
                }
            }
        }
        let (data, shape) = joined(tensors, d)?;
        let refs: Vec<&Tensor> = tensors.iter().collect();
        let (ts, sizes) = (
            tensors.to_vec(),
            tensors.iter().map(|t| t.shape()[d]).collect::<Vec<_>>(),
        );
        Tensor::from_op(data, &shape, &refs, || Op::Cat(ts, d, sizes))
    }

    /// `torch.stack(tensors, dim)`.
    pub fn stack(tensors: &[Tensor], dim: i64) -> Result<Tensor> {
        let first = match tensors.first() {
            Some(t) => t,
            None => return runtime("stack expects a non-empty TensorList"),
        };
        for (i, t) in tensors.iter().enumerate() {
            if t.shape() != first.shape() {
                return runtime(format!(
                    "stack expects each tensor to be equal size, but got {} at entry 0 and {} at entry {i}",
                    shape_list(first.shape()),
                    shape_list(t.shape())
                ));
            }
        }
        let d = wrap_dim(dim, first.dim() + 1)? as i64;
        let parts: Vec<Tensor> = super::no_grad(|| {
            tensors
                .iter()
                .map(|t| t.unsqueeze(d))
                .collect::<Result<_>>()
        })?;
        let (data, shape) = joined(&parts, d as usize)?;
        let refs: Vec<&Tensor> = tensors.iter().collect();
        let ts = tensors.to_vec();
        Tensor::from_op(data, &shape, &refs, || Op::Stack(ts, d as usize))
    }

    /// A view of `len` entries of `dim` from `start`, every `step`.
    pub fn slice_dim(&self, dim: usize, start: usize, len: usize, step: usize) -> Tensor {
        let mut layout = self.layout().clone();
        layout.offset = layout
            .offset
            .saturating_add(start.saturating_mul(layout.strides[dim]));
        layout.shape[dim] = len;
        layout.strides[dim] = layout.strides[dim].saturating_mul(step);
        let a = self.clone();
        self.view_op(layout, || Op::Slice(a, dim, start, len, step))
    }

    /// One piece of `split` / `chunk` (or of `split(sizes)` when `with_sizes`).
    fn split_piece(&self, dim: usize, start: usize, len: usize, with_sizes: bool) -> Tensor {
        let mut layout = self.layout().clone();
        layout.offset = layout
            .offset
            .saturating_add(start.saturating_mul(layout.strides[dim]));
        layout.shape[dim] = len;
        let a = self.clone();
        self.view_op(layout, || Op::Split(a, dim, start, len, with_sizes))
    }

    /// `_unsafe_view`: the new shape of a contiguous result, as PyTorch's
    /// matmul records it.
    pub(crate) fn unsafe_view(&self, shape: &[usize]) -> Result<Tensor> {
        let t = self.contiguous()?;
        if t.numel() != shape.iter().product::<usize>() {
            return runtime(format!(
                "shape '{}' is invalid for input of size {}",
                shape_list(shape),
                t.numel()
            ));
        }
        let layout = Layout {
            shape: shape.to_vec(),
            strides: super::layout::contiguous_strides(shape),
            offset: t.layout().offset,
        };
        let (a, s) = (t.clone(), t.shape().to_vec());
        Ok(t.view_op(layout, || Op::UnsafeView(a, s)))
    }

    /// `squeeze_(dims)` as matmul ends a 1-D @ 2-D product (SqueezeBackward4).
    pub(crate) fn squeeze_dims(&self, dims: &[usize]) -> Tensor {
        let l = self.layout();
        let keep = |i: &usize| !(dims.contains(i) && l.shape[*i] == 1);
        let layout = Layout {
            shape: (0..l.ndim()).filter(keep).map(|i| l.shape[i]).collect(),
            strides: (0..l.ndim()).filter(keep).map(|i| l.strides[i]).collect(),
            offset: l.offset,
        };
        let (a, s) = (self.clone(), self.shape().to_vec());
        self.view_op(layout, || Op::SqueezeDims(a, s))
    }

    /// `narrow(dim, start, length)`.
    pub fn narrow(&self, dim: i64, start: i64, len: usize) -> Result<Tensor> {
        if self.dim() == 0 {
            return runtime("narrow() cannot be applied to a 0-dim tensor.");
        }
        let d = wrap_dim(dim, self.dim())?;
        let size = self.shape()[d] as i64;
        let s = if start < 0 { start + size } else { start };
        if s < 0 || s + len as i64 > size {
            return index_err(format!(
                "start ({start}) + length ({len}) exceeds dimension size ({size})."
            ));
        }
        Ok(self.slice_dim(d, s as usize, len, 1))
    }

    /// `select(dim, index)`: removes `dim`.
    pub fn select(&self, dim: i64, index: i64) -> Result<Tensor> {
        if self.dim() == 0 {
            return index_err("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
        }
        let d = wrap_dim(dim, self.dim())?;
        let size = self.shape()[d] as i64;
        if index < -size || index >= size {
            return index_err(format!(
                "index {index} is out of bounds for dimension {d} with size {size}"
            ));
        }
        let i = if index < 0 { index + size } else { index } as usize;
        let l = self.layout();
        let mut layout = l.clone();
        layout.offset = layout.offset.saturating_add(i.saturating_mul(l.strides[d]));
        layout.shape.remove(d);
        layout.strides.remove(d);
        let a = self.clone();
        Ok(self.view_op(layout, || Op::Select(a, d, i)))
    }

    /// `chunk(n, dim)`: up to `n` pieces of equal size (the last may be smaller).
    pub fn chunk(&self, chunks: usize, dim: i64) -> Result<Vec<Tensor>> {
        if self.dim() == 0 {
            return runtime("chunk expects at least a 1-dimensional tensor");
        }
        if chunks == 0 {
            return runtime("chunk expects `chunks` to be greater than 0, got: 0");
        }
        let d = wrap_dim(dim, self.dim())?;
        let size = self.shape()[d];
        let piece = size.div_ceil(chunks).max(1);
        self.split(piece, dim)
    }

    /// `split(size, dim)`: pieces of `size` along `dim`.
    pub fn split(&self, size: usize, dim: i64) -> Result<Vec<Tensor>> {
        let d = self.split_dim(dim)?;
        let total = self.shape()[d];
        if size == 0 {
            if total != 0 {
                return runtime(format!(
                    "split_size can only be 0 if dimension size is 0, but got dimension size of {total}"
                ));
            }
            return Ok(vec![self.split_piece(d, 0, 0, false)]);
        }
        Ok((0..total.div_ceil(size).max(1))
            .map(|k| {
                let start = (k * size).min(total);
                self.split_piece(d, start, size.min(total - start), false)
            })
            .collect())
    }

    fn split_dim(&self, dim: i64) -> Result<usize> {
        if self.dim() == 0 {
            return runtime("split expects at least a 1-dimensional tensor");
        }
        wrap_dim(dim, self.dim())
    }

    /// `split([sizes], dim)`.
    pub fn split_sizes(&self, sizes: &[usize], dim: i64) -> Result<Vec<Tensor>> {
        let d = self.split_dim(dim)?;
        let total = self.shape()[d];
        if sizes.iter().sum::<usize>() != total {
            return runtime(format!(
                "split_with_sizes expects split_sizes to sum exactly to {total} (input tensor's size at dimension {d}), but got split_sizes={}",
                shape_list(sizes)
            ));
        }
        let mut start = 0;
        Ok(sizes
            .iter()
            .map(|&len| {
                let t = self.split_piece(d, start, len, true);
                start += len;
                t
            })
            .collect())
    }
}

fn shape_text(shape: &[i64]) -> String {
    let items: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("[{}]", items.join(", "))
}

/// Copies the rows of one `cat` input (`len` long) into `out`, whose rows are
/// `row` long, at column `start`; polls for interrupts.
/// The elements of `tensors` (checked to fit) joined along `d` in their common dtype, and
/// the joined shape: `cat`'s result, which `stack` takes as its own.
fn joined(tensors: &[Tensor], d: usize) -> Result<(CpuStorage, Vec<usize>)> {
    let Some(first) = tensors.first() else {
        return runtime("expected a non-empty list of Tensors");
    };
    let dtype = tensors
        .iter()
        .map(|t| t.dtype())
        .fold(first.dtype(), |a, b| a.promote(b));
    let mut shape = first.shape().to_vec();
    shape[d] = tensors.iter().map(|t| t.shape()[d]).sum();
    let total = super::layout::numel_of(&shape);
    super::check_alloc(total, dtype)?;
    // Each input's rows go straight into place: one input copied at a time
    // at most (when its dtype or layout differs), never all of them.
    let inner: Vec<usize> = tensors
        .iter()
        .map(|t| t.shape()[d..].iter().product())
        .collect();
    let row: usize = inner.iter().sum();
    let data = crate::with_dtype!(dtype, T => {
        let mut out = vec![T::default(); total];
        let mut start = 0;
        for (t, &len) in tensors.iter().zip(&inner) {
            if len > 0 {
                if t.dtype() == T::DTYPE && t.layout().is_contiguous() {
                    t.read(|s, l| place(&mut out, &T::slice(s)[l.offset..l.offset + l.numel()], start, len, row))??;
                } else {
                    place(&mut out, &t.to_vec::<T>()?, start, len, row)?;
                }
            }
            start += len;
        }
        <T as super::Element>::wrap(out)
    });
    Ok((data, shape))
}

fn place<T: Copy>(out: &mut [T], part: &[T], start: usize, len: usize, row: usize) -> Result<()> {
    let mut since_check = 0;
    for (dst, src) in out.chunks_exact_mut(row).zip(part.chunks_exact(len)) {
        for (d, s) in dst[start..start + len]
            .chunks_mut(interrupt::BLOCK)
            .zip(src.chunks(interrupt::BLOCK))
        {
            if since_check >= interrupt::BLOCK {
                interrupt::check()?;
                since_check = 0;
            }
            d.copy_from_slice(s);
            since_check += s.len();
        }
    }
    Ok(())
}

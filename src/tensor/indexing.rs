//! `t[...]` and `t[...] = v`: basic indexing as views, advanced indexing as gathers.

use super::autograd::Op;
use super::dtype::DType;
use super::error::{index_err, runtime, Result};
use super::layout::broadcast_shapes;
use super::{CpuStorage, Element, Tensor};

/// One item of a subscript.
#[derive(Clone, Debug)]
pub enum TensorIndex {
    Int(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
    NewAxis,
    Ellipsis,
    Tensor(Tensor),
}

impl TensorIndex {
    /// An item that selects by view (no gather).
    pub(crate) fn is_basic(&self) -> bool {
        !matches!(self, TensorIndex::Tensor(_))
    }

    /// How many of the indexed tensor's dims this item consumes.
    fn consumes(&self) -> usize {
        match self {
            TensorIndex::Int(_) | TensorIndex::Slice(..) => 1,
            TensorIndex::NewAxis | TensorIndex::Ellipsis => 0,
            TensorIndex::Tensor(t) if matches!(t.dtype(), DType::Bool | DType::U8) => t.dim(),
            TensorIndex::Tensor(_) => 1,
        }
    }
}

/// Python's slice clamping for a positive step.
fn slice_bounds(start: Option<i64>, stop: Option<i64>, size: usize) -> (usize, usize) {
    let n = size as i64;
    let fix = |v: i64| if v < 0 { (v + n).max(0) } else { v.min(n) };
    let s = start.map_or(0, fix);
    let e = stop.map_or(n, fix);
    (s as usize, e.max(s) as usize)
}

impl Tensor {
    /// `t[items]`.
    pub fn index(&self, items: &[TensorIndex]) -> Result<Tensor> {
        let consumed: usize = items.iter().map(|i| i.consumes()).sum();
        if consumed > self.dim() {
            return index_err(format!(
                "too many indices for tensor of dimension {}",
                self.dim()
            ));
        }
        if items
            .iter()
            .filter(|i| matches!(i, TensorIndex::Ellipsis))
            .count()
            > 1
        {
            return index_err("an index can only have a single ellipsis ('...')");
        }
        let mut view = self.clone();
        let mut dim = 0;
        let mut advanced: Vec<(usize, Tensor)> = Vec::new();
        for item in items {
            match item {
                TensorIndex::Int(i) => view = view.select(dim as i64, *i)?,
                TensorIndex::Slice(start, stop, step) => {
                    let step = step.unwrap_or(1);
                    if step <= 0 {
                        return runtime("step must be greater than zero");
                    }
                    let size = view.shape()[dim];
                    let (s, e) = slice_bounds(*start, *stop, size);
                    let len = (e - s).div_ceil(step as usize);
                    if !(s == 0 && len == size && step == 1) {
                        view = view.slice_dim(dim, s, len, step as usize);
                    }
                    dim += 1;
                }
                TensorIndex::NewAxis => {
                    view = view.unsqueeze(dim as i64)?;
                    dim += 1;
                }
                TensorIndex::Ellipsis => dim += self.dim() - consumed,
                TensorIndex::Tensor(t) => {
                    for (k, idx) in index_tensors(t, &view, dim)?.into_iter().enumerate() {
                        advanced.push((dim + k, idx));
                    }
                    dim += item.consumes();
                }
            }
        }
        if advanced.is_empty() {
            return Ok(view);
        }
        view.gather_advanced(&advanced)
    }

    /// Advanced indexing on `self` at `(dim, long index)` pairs.
    fn gather_advanced(&self, advanced: &[(usize, Tensor)]) -> Result<Tensor> {
        let mut bshape: Vec<usize> = Vec::new();
        for (_, t) in advanced {
            bshape = broadcast_shapes(&bshape, t.shape()).map_err(|_| {
                super::TensorError::Index(format!(
                    "shape mismatch: indexing tensors could not be broadcast together with shapes {}",
                    advanced.iter().map(|(_, t)| super::layout::shape_list(t.shape())).collect::<Vec<_>>().join(", ")
                ))
            })?;
        }
        let adv_dims: Vec<usize> = advanced.iter().map(|(d, _)| *d).collect();
        let adjacent = adv_dims.windows(2).all(|w| w[1] == w[0] + 1);
        let rest: Vec<usize> = (0..self.dim()).filter(|d| !adv_dims.contains(d)).collect();
        let mut perm: Vec<i64> = adv_dims.iter().map(|&d| d as i64).collect();
        perm.extend(rest.iter().map(|&d| d as i64));
        let moved = super::no_grad(|| self.permute(&perm))?;
        let rest_shape: Vec<usize> = rest.iter().map(|&d| self.shape()[d]).collect();
        let rest_size: usize = rest_shape.iter().product();
        let sizes: Vec<usize> = adv_dims.iter().map(|&d| self.shape()[d]).collect();
        let idx: Vec<Vec<i64>> = advanced
            .iter()
            .map(|(_, t)| t.expand_to(&bshape)?.to_vec::<i64>())
            .collect::<Result<_>>()?;
        let count: usize = bshape.iter().product();
        // Each gathered row's linear position over the indexed dims.
        let mut rows = vec![0usize; count];
        for ((&size, column), &dim) in sizes.iter().zip(&idx).zip(&adv_dims) {
            let n = size as i64;
            for (row, &i) in rows.iter_mut().zip(column) {
                if i < -n || i >= n {
                    return index_err(format!(
                        "index {i} is out of bounds for dimension {dim} with size {size}"
                    ));
                }
                *row = *row * size + (if i < 0 { i + n } else { i }) as usize;
            }
        }
        let mut out_shape = bshape.clone();
        out_shape.extend(&rest_shape);
        super::check_size(count * rest_size)?;
        let gathered = crate::with_dtype!(self.dtype(), T => {
            let src = moved.to_vec::<T>()?;
            let mut out = Vec::with_capacity(count * rest_size);
            for &r in &rows {
                out.extend_from_slice(&src[r * rest_size..(r + 1) * rest_size]);
            }
            Tensor::from_storage(T::wrap(out), &out_shape)?
        });
        let first = adv_dims[0];
        let result = if adjacent && first > 0 {
            // Put the broadcast dims back where the indexed dims were.
            let nb = bshape.len();
            let mut p: Vec<i64> = (nb..nb + first).map(|d| d as i64).collect();
            p.extend((0..nb).map(|d| d as i64));
            p.extend((nb + first..out_shape.len()).map(|d| d as i64));
            gathered.permute(&p)?
        } else {
            gathered
        };
        // One node for the whole gather, so its gradient arrives in the result's
        // layout, the layout `embed` scatters in.
        let (a, adv) = (self.clone(), advanced.to_vec());
        Tensor::from_op(
            result.contiguous_storage()?,
            result.shape(),
            &[self],
            || Op::Index(a, adv),
        )
    }

    /// `t[items] = value`, writing through to the shared storage.
    pub fn index_put(&self, items: &[TensorIndex], value: &Tensor) -> Result<()> {
        if self.requires_grad() && self.is_leaf() && super::is_grad_enabled() {
            return runtime(
                "a leaf Variable that requires grad is being used in an in-place operation.",
            );
        }
        let positions = self.positions(items)?;
        let values = value.expand_to(positions.shape()).map_err(|_| {
            super::TensorError::Runtime(format!(
                "shape mismatch: value tensor of shape {} cannot be broadcast to indexing result of shape {}",
                super::layout::shape_list(value.shape()),
                super::layout::shape_list(positions.shape())
            ))
        })?;
        self.write_positions(&positions.to_vec::<i64>()?, &values, false)
    }

    /// The row-major logical index of each element `t[items]` selects.
    fn positions(&self, items: &[TensorIndex]) -> Result<Tensor> {
        let ids = Tensor::from_storage(
            CpuStorage::I64((0..self.numel() as i64).collect()),
            self.shape(),
        )?;
        super::no_grad(|| ids.index(items))
    }

    /// Writes (or adds) `values` at logical positions.
    fn write_positions(&self, positions: &[i64], values: &Tensor, accumulate: bool) -> Result<()> {
        let layout = self.layout().clone();
        crate::with_dtype!(self.dtype(), T => {
            let vals = values.to_vec::<T>()?;
            self.write(|s, _| {
                let data = T::slice_mut(s);
                for (&p, v) in positions.iter().zip(vals) {
                    let mut rem = p as usize;
                    let mut off = layout.offset;
                    for d in (0..layout.ndim()).rev() {
                        off += (rem % layout.shape[d]) * layout.strides[d];
                        rem /= layout.shape[d];
                    }
                    data[off] = if accumulate { add_elem(data[off], v) } else { v };
                }
            })?;
        });
        Ok(())
    }

    /// A zero tensor of `shape` with `grad` added at what `items` select: the
    /// backward of every indexing op.
    pub(crate) fn embed(grad: &Tensor, shape: &[usize], items: &[TensorIndex]) -> Result<Tensor> {
        let zeros = Tensor::zeros(shape, grad.dtype())?.to_device(grad.device())?;
        if items.iter().all(TensorIndex::is_basic) {
            // Distinct elements: copy into the view they select.
            super::no_grad(|| zeros.index(items))?.copy_(grad)?;
            return Ok(zeros);
        }
        let positions = zeros.positions(items)?;
        let g = grad.expand_to(positions.shape())?;
        zeros.write_positions(&positions.to_vec::<i64>()?, &g, true)?;
        Ok(zeros)
    }
}

/// `a + b` in `T` (wrapping for ints, `or` for bools).
pub(crate) fn add_elem<T: Element>(a: T, b: T) -> T {
    match T::DTYPE.kind() {
        super::Kind::Bool => T::from_bool(a.to_bool() || b.to_bool()),
        super::Kind::Int => T::from_i64(a.to_i64().wrapping_add(b.to_i64())),
        super::Kind::Float => T::from_f64(a.to_f64() + b.to_f64()),
    }
}

/// Long index tensors for an index tensor at `dim` (a bool mask becomes one per dim).
fn index_tensors(t: &Tensor, view: &Tensor, dim: usize) -> Result<Vec<Tensor>> {
    match t.dtype() {
        DType::I64 => Ok(vec![t.clone()]),
        DType::I32 => Ok(vec![t.to_dtype_plain(DType::I64)?]),
        DType::Bool | DType::U8 => {
            let t = &t.to_dtype_plain(DType::Bool)?;
            for (k, &s) in t.shape().iter().enumerate() {
                let have = view.shape()[dim + k];
                if s != have {
                    return index_err(format!(
                        "The shape of the mask {} at index {k} does not match the shape of the indexed tensor {} at index {}",
                        super::layout::shape_list(t.shape()),
                        super::layout::shape_list(view.shape()),
                        dim + k
                    ));
                }
            }
            t.nonzero_columns()
        }
        _ => index_err("tensors used as indices must be long, int, byte or bool tensors"),
    }
}

impl Tensor {
    /// The coordinates of true elements, one long tensor per dim.
    fn nonzero_columns(&self) -> Result<Vec<Tensor>> {
        let mask = self.to_vec::<bool>()?;
        let shape = self.shape().to_vec();
        let mut cols: Vec<Vec<i64>> = vec![Vec::new(); shape.len()];
        for (flat, _) in mask.iter().enumerate().filter(|(_, &m)| m) {
            let mut rem = flat;
            for d in (0..shape.len()).rev() {
                cols[d].push((rem % shape[d]) as i64);
                rem /= shape[d];
            }
        }
        cols.into_iter()
            .map(|c| {
                let n = c.len();
                Tensor::placed(CpuStorage::I64(c), &[n], &[self])
            })
            .collect()
    }
}

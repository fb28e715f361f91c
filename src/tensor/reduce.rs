//! Reductions over all elements or over chosen dims.

use super::autograd::Op;
use super::dtype::DType;
use super::element::num_like::FloatOps;
use super::error::{index_err, not_implemented, runtime, Result};
use super::layout::wrap_dim;
use super::ops::dtype_title;
use super::{CpuStorage, Element, Tensor};

/// The `p` of `norm`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NormOrd {
    P(f64),
    Inf,
    NegInf,
}

/// Which dims a reduction folds, resolved against a tensor.
#[derive(Clone, Debug, PartialEq)]
pub struct Reduced {
    /// Sorted, distinct, wrapped dims.
    pub dims: Vec<usize>,
    pub keepdim: bool,
    /// True when the caller named no dim (`x.sum()`), for grad_fn names.
    pub all: bool,
}

impl Reduced {
    pub fn out_shape(&self, shape: &[usize]) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, &s) in shape.iter().enumerate() {
            if self.dims.contains(&i) {
                if self.keepdim {
                    out.push(1);
                }
            } else {
                out.push(s);
            }
        }
        out
    }

    /// The output shape with reduced dims kept as 1, for broadcasting grads back.
    pub fn kept_shape(&self, shape: &[usize]) -> Vec<usize> {
        shape
            .iter()
            .enumerate()
            .map(|(i, &s)| if self.dims.contains(&i) { 1 } else { s })
            .collect()
    }

    /// The number of elements folded into each output element.
    pub fn count(&self, shape: &[usize]) -> usize {
        self.dims.iter().map(|&d| shape[d]).product()
    }
}

impl Tensor {
    /// Resolves `dim=` (None means all dims).
    pub fn reduced(&self, dims: Option<&[i64]>, keepdim: bool) -> Result<Reduced> {
        let n = self.dim();
        let (mut list, all) = match dims {
            None => ((0..n).collect::<Vec<_>>(), true),
            Some([]) => ((0..n).collect(), false),
            Some(ds) => {
                let mut v = Vec::new();
                for &d in ds {
                    let w = wrap_dim(d, n)?;
                    if v.contains(&w) {
                        return runtime(format!(
                            "dim {w} appears multiple times in the list of dims"
                        ));
                    }
                    v.push(w);
                }
                (v, false)
            }
        };
        if n == 0 {
            list.clear();
        }
        list.sort_unstable();
        Ok(Reduced {
            dims: list,
            keepdim,
            all,
        })
    }

    /// The elements as `T`, grouped so each output element's inputs are contiguous.
    fn grouped<T: Element>(&self, r: &Reduced) -> Result<(Vec<T>, usize)> {
        let n = self.dim();
        let mut perm: Vec<i64> = (0..n)
            .filter(|d| !r.dims.contains(d))
            .map(|d| d as i64)
            .collect();
        perm.extend(r.dims.iter().map(|&d| d as i64));
        let inner = r.count(self.shape());
        // Reducing the trailing dims: the groups are already contiguous.
        let in_order = perm.iter().enumerate().all(|(i, &d)| i as i64 == d);
        let data = match in_order {
            true => self.to_vec::<T>()?,
            false => match super::no_grad(|| self.permute(&perm)) {
                Ok(p) => p.to_vec::<T>()?,
                Err(_) => self.to_vec::<T>()?,
            },
        };
        Ok((data, inner))
    }

    /// Folds each group of `f64` values with `f`, giving `dtype` results.
    fn fold_f64(&self, r: &Reduced, dtype: DType, f: impl Fn(&[f64]) -> f64) -> Result<CpuStorage> {
        let (data, inner) = self.grouped::<f64>(r)?;
        let out: Vec<f64> = if inner == 0 {
            let outer: usize = r.out_shape(self.shape()).iter().product();
            vec![f(&[]); outer]
        } else {
            data.chunks(inner).map(&f).collect()
        };
        Ok(crate::with_dtype!(dtype, T => T::wrap(out.into_iter().map(T::from_f64).collect())))
    }

    /// Float sums in PyTorch's order (see `cascade`), each then `finish`ed.
    fn float_sums<F: super::cascade::SumFloat>(
        &self,
        r: &Reduced,
        finish: impl Fn(F) -> F,
    ) -> Result<CpuStorage> {
        self.read(|s, l| {
            let sums = super::cascade::sum(F::slice(s), l, &r.dims);
            F::wrap(sums.into_iter().map(finish).collect())
        })
    }

    pub fn sum(&self, dims: Option<&[i64]>, keepdim: bool) -> Result<Tensor> {
        if self.dtype().is_reduced_float() {
            return self.through_f32(|t| t.sum(dims, keepdim));
        }
        let r = self.reduced(dims, keepdim)?;
        let shape = r.out_shape(self.shape());
        let data: super::Storage = if self.device().is_cuda() {
            super::on_cuda::reduce(super::cuda::ReduceOp::Sum, self, &r)?
        } else if self.dtype().is_float() {
            crate::with_float!(self.dtype(), F => self.float_sums::<F>(&r, |s| s)?, unreachable!())
                .into()
        } else {
            let (data, inner) = self.grouped::<i64>(&r)?;
            let out: Vec<i64> = if inner == 0 {
                vec![0; shape.iter().product()]
            } else {
                data.chunks(inner)
                    .map(|c| c.iter().fold(0i64, |a, &b| a.wrapping_add(b)))
                    .collect()
            };
            CpuStorage::I64(out).into()
        };
        let a = self.clone();
        Tensor::from_op(data, &shape, &[self], || Op::Sum(a, r))
    }

    pub fn mean(&self, dims: Option<&[i64]>, keepdim: bool) -> Result<Tensor> {
        if !self.dtype().is_float() {
            return not_implemented(format!(
                "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {}",
                dtype_title(self.dtype())
            ));
        }
        if self.dtype().is_reduced_float() {
            // The rounded sum, then a rounded division, as ATen's CPU mean.
            let n = self.reduced(dims, keepdim)?.count(self.shape());
            return self.sum(dims, keepdim)?.div_s(n as f64);
        }
        let r = self.reduced(dims, keepdim)?;
        let shape = r.out_shape(self.shape());
        let n = r.count(self.shape());
        // PyTorch's CPU mean: the sum, then a division in the element type.
        let data: super::Storage = if self.device().is_cuda() {
            super::on_cuda::reduce(super::cuda::ReduceOp::Mean, self, &r)?
        } else {
            crate::with_float!(self.dtype(), F => {
                self.float_sums::<F>(&r, |s| s / F::cast(n as f64))?
            }, unreachable!())
            .into()
        };
        let a = self.clone();
        Tensor::from_op(data, &shape, &[self], || Op::Mean(a, r))
    }

    pub fn prod(&self, dim: Option<i64>, keepdim: bool) -> Result<Tensor> {
        if self.dtype().is_reduced_float() {
            return self.through_f32(|t| t.prod(dim, keepdim));
        }
        let dims = dim.map(|d| vec![d]);
        let r = self.reduced(dims.as_deref(), keepdim)?;
        let shape = r.out_shape(self.shape());
        let data = if self.dtype().is_float() {
            match self.dtype() {
                DType::F32 => self.fold_f64(&r, DType::F32, |xs| {
                    xs.iter().fold(1f32, |a, &b| a * b as f32) as f64
                })?,
                _ => self.fold_f64(&r, DType::F64, |xs| xs.iter().product())?,
            }
        } else {
            let (data, inner) = self.grouped::<i64>(&r)?;
            let out: Vec<i64> = if inner == 0 {
                vec![1; shape.iter().product()]
            } else {
                data.chunks(inner)
                    .map(|c| c.iter().fold(1i64, |a, &b| a.wrapping_mul(b)))
                    .collect()
            };
            CpuStorage::I64(out)
        };
        let a = self.clone();
        Tensor::from_op(data, &shape, &[self], || Op::Prod(a, r))
    }

    /// `max()` / `min()` over all elements.
    pub fn max_all(&self, is_max: bool) -> Result<Tensor> {
        let name = if is_max { "max" } else { "min" };
        if self.numel() == 0 {
            return runtime(format!("{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument."));
        }
        let (values, _) = self.extreme(None, false, is_max)?;
        let a = self.clone();
        Tensor::from_op(values.contiguous_storage()?, &[], &[self], || {
            Op::MaxAll(a, is_max)
        })
    }

    /// `max(dim)` / `min(dim)`: values and the index of the first extreme.
    pub fn max_dim(&self, dim: i64, keepdim: bool, is_max: bool) -> Result<(Tensor, Tensor)> {
        let (values, indices) = self.extreme(Some(dim), keepdim, is_max)?;
        let a = self.clone();
        let r = self.reduced(Some(&[dim]), keepdim)?;
        let idx = indices.clone();
        let values = Tensor::from_op(
            values.contiguous_storage()?,
            values.shape(),
            &[self],
            || Op::MaxDim(a, r, idx, is_max),
        )?;
        Ok((values, indices))
    }

    /// `argmax` / `argmin`, over all elements (flattened) or along `dim`.
    pub fn argmax(&self, dim: Option<i64>, keepdim: bool, is_max: bool) -> Result<Tensor> {
        if self.dtype() == DType::Bool {
            let name = if is_max { "argmax" } else { "argmin" };
            return not_implemented(format!("{name}(): does not support bool input"));
        }
        match dim {
            Some(d) => Ok(self.extreme(Some(d), keepdim, is_max)?.1),
            None => {
                let flat = super::no_grad(|| self.reshape(&[-1]))?;
                let idx = flat.extreme(Some(0), false, is_max)?.1;
                if keepdim {
                    let ones = vec![1i64; self.dim()];
                    idx.reshape(&ones)
                } else {
                    Ok(idx)
                }
            }
        }
    }

    fn extreme(&self, dim: Option<i64>, keepdim: bool, is_max: bool) -> Result<(Tensor, Tensor)> {
        let name = if is_max { "max" } else { "min" };
        let r = match dim {
            Some(d) => self.reduced(Some(&[d]), keepdim)?,
            None => self.reduced(None, false)?,
        };
        let inner = r.count(self.shape());
        if inner == 0 {
            return index_err(format!(
                "{name}(): Expected reduction dim {} to have non-zero size.",
                dim.unwrap_or(0)
            ));
        }
        let shape = r.out_shape(self.shape());
        let (data, _) = self.grouped::<f64>(&r)?;
        let (mut vals, mut idxs) = (Vec::new(), Vec::new());
        for chunk in data.chunks(inner) {
            let mut best = 0;
            for (i, &x) in chunk.iter().enumerate() {
                let b = chunk[best];
                if b.is_nan() {
                    break;
                }
                if x.is_nan() || (is_max && x > b) || (!is_max && x < b) {
                    best = i;
                }
            }
            vals.push(chunk[best]);
            idxs.push(best as i64);
        }
        let values = crate::with_dtype!(self.dtype(), T => T::wrap(vals.into_iter().map(T::from_f64).collect()));
        let values = if self.dtype() == DType::I64 {
            // f64 cannot hold every int64: take the exact values by index.
            let (ints, _) = self.grouped::<i64>(&r)?;
            CpuStorage::I64(
                idxs.iter()
                    .enumerate()
                    .map(|(o, &i)| ints[o * inner + i as usize])
                    .collect(),
            )
        } else {
            values
        };
        Ok((
            Tensor::placed(values, &shape, &[self])?,
            Tensor::placed(CpuStorage::I64(idxs), &shape, &[self])?,
        ))
    }

    /// `var` with Bessel's `correction` (1 = unbiased).
    pub fn var(&self, dims: Option<&[i64]>, correction: f64, keepdim: bool) -> Result<Tensor> {
        self.moment(dims, correction, keepdim, false)
    }

    pub fn std(&self, dims: Option<&[i64]>, correction: f64, keepdim: bool) -> Result<Tensor> {
        self.moment(dims, correction, keepdim, true)
    }

    fn moment(
        &self,
        dims: Option<&[i64]>,
        correction: f64,
        keepdim: bool,
        sqrt: bool,
    ) -> Result<Tensor> {
        if !self.dtype().is_float() {
            return not_implemented("std and var only support floating point and complex dtypes");
        }
        let r = self.reduced(dims, keepdim)?;
        let shape = r.out_shape(self.shape());
        let data = self.fold_f64(&r, self.dtype(), |xs| {
            let n = xs.len() as f64;
            let mean = xs.iter().sum::<f64>() / n;
            let ss: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
            let v = ss / (n - correction).max(0.0);
            if sqrt {
                v.sqrt()
            } else {
                v
            }
        })?;
        let a = self.clone();
        Tensor::from_op(data, &shape, &[self], || Op::Moment(a, r, correction, sqrt))
    }

    /// `norm(p, dim, keepdim)` / `torch.linalg.vector_norm`.
    pub fn norm(&self, p: NormOrd, dims: Option<&[i64]>, keepdim: bool) -> Result<Tensor> {
        if !self.dtype().is_float() {
            return not_implemented(format!(
                "linalg.vector_norm: Expected a floating point or complex tensor as input. Got {}",
                dtype_title(self.dtype())
            ));
        }
        let r = self.reduced(dims, keepdim)?;
        let shape = r.out_shape(self.shape());
        let data = self.fold_f64(&r, self.dtype(), |xs| match p {
            NormOrd::Inf => xs.iter().fold(0.0, |a: f64, x| a.max(x.abs())),
            NormOrd::NegInf => xs.iter().fold(f64::INFINITY, |a: f64, x| a.min(x.abs())),
            NormOrd::P(0.0) => xs.iter().filter(|x| **x != 0.0).count() as f64,
            NormOrd::P(1.0) => xs.iter().map(|x| x.abs()).sum(),
            NormOrd::P(2.0) => xs.iter().map(|x| x * x).sum::<f64>().sqrt(),
            NormOrd::P(p) => xs
                .iter()
                .map(|x| x.abs().powf(p))
                .sum::<f64>()
                .powf(1.0 / p),
        })?;
        let a = self.clone();
        Tensor::from_op(data, &shape, &[self], || Op::Norm(a, p, r))
    }

    pub fn logsumexp(&self, dims: &[i64], keepdim: bool) -> Result<Tensor> {
        let src = if self.dtype().is_float() {
            self.clone()
        } else {
            self.to_dtype(DType::F32)?
        };
        let r = src.reduced(Some(dims), keepdim)?;
        let shape = r.out_shape(src.shape());
        // As ATen's logsumexp_out_impl: the max over `dims` (an infinite one
        // replaced by 0), then log(sum(exp(x - max))) + max in the input dtype,
        // the sum in PyTorch's order.
        let maxes = src.fold_f64(&r, src.dtype(), |xs| {
            let m = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            if m.is_infinite() {
                0.0
            } else {
                m
            }
        })?;
        let kept =
            Tensor::from_storage(maxes, &r.kept_shape(src.shape()))?.to_device(src.device())?;
        let out = super::no_grad(|| {
            let sums = src.sub(&kept)?.exp()?.sum(Some(dims), keepdim)?;
            sums.log()?
                .add(&kept.reshape(&shape.iter().map(|&d| d as i64).collect::<Vec<_>>())?)
        })?;
        let data = out.contiguous_storage()?;
        let a = src.clone();
        Tensor::from_op(data, &shape, &[&src], || Op::LogSumExp(a, r))
    }

    /// `all()` / `any()`, over everything or one dim.
    pub fn all_any(&self, dim: Option<i64>, keepdim: bool, all: bool) -> Result<Tensor> {
        let dims = dim.map(|d| vec![d]);
        let r = self.reduced(dims.as_deref(), keepdim)?;
        let shape = r.out_shape(self.shape());
        let (data, inner) = self.grouped::<bool>(&r)?;
        let out: Vec<bool> = if inner == 0 {
            vec![all; shape.iter().product()]
        } else if all {
            data.chunks(inner).map(|c| c.iter().all(|&b| b)).collect()
        } else {
            data.chunks(inner).map(|c| c.iter().any(|&b| b)).collect()
        };
        // uint8 stays uint8, as ATen keeps it for old masks.
        let out = CpuStorage::Bool(out);
        let out = if self.dtype() == DType::U8 {
            out.to_dtype(DType::U8)
        } else {
            out
        };
        Tensor::placed(out, &shape, &[self])
    }

    /// Sums a broadcast gradient back down to `shape`.
    pub fn sum_to(&self, shape: &[usize]) -> Result<Tensor> {
        if self.shape() == shape {
            return Ok(self.clone());
        }
        let extra = self.dim() - shape.len();
        let mut dims: Vec<i64> = (0..extra as i64).collect();
        for (i, &s) in shape.iter().enumerate() {
            if s == 1 && self.shape()[extra + i] != 1 {
                dims.push((extra + i) as i64);
            }
        }
        let summed = if dims.is_empty() {
            self.clone()
        } else {
            self.sum(Some(&dims), true)?
        };
        summed.reshape_usize(shape)
    }
}

//! Softmax and the loss functions, each one op with its own backward (so
//! `grad_fn` names and gradients follow PyTorch).

use super::autograd::Op;
use super::cascade::{sum_all, NllSum, SumFloat};
use super::dtype::DType;
use super::element::num_like::FloatOps;
use super::element::Float;
use super::error::{index_err, not_implemented, runtime, value_err, Result};
use super::layout::wrap_dim;
use super::{kernel, vecmath, CpuStorage, Element, Tensor};

/// `reduction=` of the losses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduction {
    None,
    Mean,
    Sum,
}

impl Reduction {
    pub fn parse(s: &str) -> Result<Reduction> {
        match s {
            "none" => Ok(Reduction::None),
            "mean" => Ok(Reduction::Mean),
            "sum" => Ok(Reduction::Sum),
            _ => value_err(format!("{s} is not a valid value for reduction")),
        }
    }
}

/// The pointwise losses that share one shape of computation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PointLoss {
    Mse,
    Huber(f64),
    SmoothL1(f64),
    Bce,
    BceWithLogits,
}

impl PointLoss {
    pub fn name(self) -> &'static str {
        match self {
            PointLoss::Mse => "MseLossBackward0",
            PointLoss::Huber(_) => "HuberLossBackward0",
            PointLoss::SmoothL1(_) => "SmoothL1LossBackward0",
            PointLoss::Bce => "BinaryCrossEntropyBackward0",
            PointLoss::BceWithLogits => "BinaryCrossEntropyWithLogitsBackward0",
        }
    }

    fn value<F: Float>(self, x: F, y: F) -> F {
        let half = F::cast(0.5);
        match self {
            PointLoss::Mse => (x - y) * (x - y),
            PointLoss::Huber(d) => {
                let (z, d) = ((x - y).abs(), F::cast(d));
                if z < d {
                    half * z * z
                } else {
                    d * (z - half * d)
                }
            }
            PointLoss::SmoothL1(b) => {
                let (z, b) = ((x - y).abs(), F::cast(b));
                if z < b {
                    half * z * z / b
                } else {
                    z - half * b
                }
            }
            PointLoss::Bce => {
                let lo = F::cast(-100.0);
                let l1 = x.ln().max_f(lo);
                let l0 = (F::one() - x).ln().max_f(lo);
                -(y * l1 + (F::one() - y) * l0)
            }
            PointLoss::BceWithLogits => {
                // (1 - y) * x - log_sigmoid(x), with a stable log_sigmoid.
                let log_sig = x.min_f(F::zero()) - (-x.abs()).exp().ln_1p();
                (F::one() - y) * x - log_sig
            }
        }
    }

    /// d loss / d x for one element.
    fn grad<F: Float>(self, x: F, y: F) -> F {
        match self {
            PointLoss::Mse => F::cast(2.0) * (x - y),
            PointLoss::Huber(d) => {
                let (z, d) = (x - y, F::cast(d));
                if z < -d {
                    -d
                } else if z > d {
                    d
                } else {
                    z
                }
            }
            PointLoss::SmoothL1(b) => {
                let (z, b) = (x - y, F::cast(b));
                if z.abs() < b {
                    z / b
                } else if z > F::zero() {
                    F::one()
                } else if z < F::zero() {
                    -F::one()
                } else {
                    F::zero()
                }
            }
            PointLoss::Bce => {
                let eps = F::cast(1e-12);
                (x - y) / ((F::one() - x) * x).max_f(eps)
            }
            PointLoss::BceWithLogits => F::one() / (F::one() + (-x).exp()) - y,
        }
    }

    /// d loss / d y for one element (PyTorch differentiates the target too).
    fn target_grad<F: Float>(self, x: F, y: F) -> F {
        match self {
            PointLoss::Mse | PointLoss::Huber(_) | PointLoss::SmoothL1(_) => -self.grad(x, y),
            PointLoss::Bce => {
                let lo = F::cast(-100.0);
                (F::one() - x).ln().max_f(lo) - x.ln().max_f(lo)
            }
            PointLoss::BceWithLogits => -x,
        }
    }
}

fn check_same_shape(x: &Tensor, y: &Tensor, loss: PointLoss) -> Result<()> {
    if x.shape() != y.shape() {
        let s = |t: &Tensor| format!("torch.Size({})", super::layout::shape_list(t.shape()));
        return match loss {
            PointLoss::Bce | PointLoss::BceWithLogits => value_err(format!(
                "Using a target size ({}) that is different to the input size ({}) is deprecated. Please ensure they have the same size.",
                s(y), s(x)
            )),
            _ => Ok(()),
        };
    }
    Ok(())
}

/// The dtype a pointwise loss computes in, with PyTorch's errors: binary
/// cross-entropy wants matching dtypes, the others promote.
fn loss_dtype(x: &Tensor, y: &Tensor, loss: PointLoss) -> Result<DType> {
    let title = super::ops::dtype_title;
    let kernel = match loss {
        PointLoss::Mse => "mse_cpu",
        PointLoss::Huber(_) => "huber_cpu",
        PointLoss::SmoothL1(_) => "smooth_l1_cpu",
        PointLoss::Bce => "binary_cross_entropy",
        PointLoss::BceWithLogits => "log_sigmoid_cpu",
    };
    let common = match loss {
        PointLoss::Bce => x.dtype(),
        _ => super::ops::result_type(&[x, y]),
    };
    if !common.is_float() || (loss == PointLoss::BceWithLogits && !x.dtype().is_float()) {
        return not_implemented(format!(
            "\"{kernel}\" not implemented for '{}'",
            title(common)
        ));
    }
    match loss {
        PointLoss::Bce if y.dtype() != common => runtime(format!(
            "Found dtype {} but expected {}",
            title(y.dtype()),
            title(common)
        )),
        PointLoss::BceWithLogits if !y.dtype().is_float() => runtime(format!(
            "result type {} can't be cast to the desired output type {}",
            title(common),
            title(y.dtype())
        )),
        _ => Ok(common),
    }
}

/// `sum()` / `mean()` of the pointwise losses, rounded as PyTorch's are.
fn reduce<F: SumFloat>(v: Vec<F>, reduction: Reduction) -> Vec<F> {
    match reduction {
        Reduction::None => v,
        Reduction::Sum => vec![sum_all(&v)],
        Reduction::Mean => vec![sum_all(&v) / F::cast(v.len() as f64)],
    }
}

impl Tensor {
    /// mse / huber / smooth_l1 / bce / bce_with_logits.
    pub fn point_loss(
        &self,
        target: &Tensor,
        loss: PointLoss,
        reduction: Reduction,
    ) -> Result<Tensor> {
        check_same_shape(self, target, loss)?;
        let shape = super::layout::broadcast_shapes(self.shape(), target.shape())?;
        let dtype = loss_dtype(self, target, loss)?;
        if dtype.is_reduced_float() {
            let (x, y) = (self.to_dtype(DType::F32)?, target.to_dtype(DType::F32)?);
            return x.point_loss(&y, loss, reduction)?.to_dtype(dtype);
        }
        if self.dtype() != dtype || target.dtype() != dtype {
            // Mixed dtypes: the loss of the promoted copies (whose ToCopy nodes
            // carry the gradients back).
            return self
                .to_dtype(dtype)?
                .point_loss(&target.to_dtype(dtype)?, loss, reduction);
        }
        let x = self.expand_to(&shape)?;
        let y = target.expand_to(&shape)?;
        let out_shape = if reduction == Reduction::None {
            shape.clone()
        } else {
            vec![]
        };
        if super::op_device(&[self, target])?.is_cuda() {
            let data = super::on_cuda::point_loss(&x, &y, loss, reduction)?;
            let (a, b) = (self.clone(), target.clone());
            return Tensor::from_op(data, &out_shape, &[self, target], || {
                Op::PointLoss(a, b, loss, reduction)
            });
        }
        if loss == PointLoss::Bce && x.to_vec::<f64>()?.iter().any(|v| !(0.0..=1.0).contains(v)) {
            return runtime("all elements of input should be between 0 and 1");
        }
        let data = crate::with_float!(dtype, F => {
            let (xs, ys) = (x.to_vec::<F>()?, y.to_vec::<F>()?);
            let v: Vec<F> = xs.iter().zip(&ys).map(|(&a, &b)| loss.value(a, b)).collect();
            F::wrap(reduce(v, reduction))
        }, unreachable!());
        let (a, b) = (self.clone(), target.clone());
        Tensor::from_op(data, &out_shape, &[self, target], || {
            Op::PointLoss(a, b, loss, reduction)
        })
    }

    /// Gradient of a pointwise loss w.r.t. its input (or, when `wrt_target`, its target).
    pub(crate) fn point_loss_grad(
        x: &Tensor,
        y: &Tensor,
        g: &Tensor,
        loss: PointLoss,
        reduction: Reduction,
        wrt_target: bool,
    ) -> Result<Tensor> {
        let shape = super::layout::broadcast_shapes(x.shape(), y.shape())?;
        let n = shape.iter().product::<usize>().max(1);
        let data = crate::with_float!(x.dtype(), F => {
            let (xs, ys) = (x.expand_to(&shape)?.to_vec::<F>()?, y.expand_to(&shape)?.to_vec::<F>()?);
            let gs = g.expand_to(&shape)?.to_vec::<F>()?;
            let scale = if reduction == Reduction::Mean { F::one() / F::cast(n as f64) } else { F::one() };
            let v: Vec<F> = xs.iter().zip(&ys).zip(&gs).map(|((&a, &b), &gg)| {
                if reduction == Reduction::Mean && loss == PointLoss::Mse {
                    // PyTorch: (2 / n) * (x - y) * grad
                    let d = F::cast(2.0 / n as f64) * (a - b) * gg;
                    if wrt_target { -d } else { d }
                } else if wrt_target {
                    loss.target_grad(a, b) * gg * scale
                } else {
                    loss.grad(a, b) * gg * scale
                }
            }).collect();
            F::wrap(v)
        }, unreachable!());
        let of = if wrt_target { y } else { x };
        Tensor::placed(data, &shape, &[of])?.sum_to(of.shape())
    }

    /// `softmax(dim)` (or `log_softmax` when `log`).
    pub fn softmax(&self, dim: i64, log: bool) -> Result<Tensor> {
        let d = wrap_dim(dim, self.dim())?;
        if !self.dtype().is_float() {
            let last = if d + 1 >= self.dim() { "_lastdim" } else { "" };
            let log = if log { "log_" } else { "" };
            return not_implemented(format!(
                "\"{log}softmax{last}_kernel_impl\" not implemented for '{}'",
                super::ops::dtype_title(self.dtype())
            ));
        }
        if self.dtype().is_reduced_float() {
            return self.through_f32(|x| x.softmax(dim, log));
        }
        let src = self.clone();
        let data: super::Storage = if src.device().is_cuda() {
            super::on_cuda::softmax(&src, d, log)?
        } else if d + 1 >= src.dim() {
            src.softmax_lastdim(log)?.into()
        } else {
            src.softmax_strided(d, log)?.into()
        };
        let a = src.clone();
        Tensor::from_op_saving_result(data, src.shape(), &[&src], |y| Op::Softmax(a, d, log, y))
    }

    /// Softmax over the last dim (contiguous rows), each row as
    /// [`vecmath::softmax_lastdim_row`] computes it.
    fn softmax_lastdim(&self, log: bool) -> Result<CpuStorage> {
        let len = self.shape().last().copied().unwrap_or(1).max(1);
        Ok(crate::with_float!(self.dtype(), F => {
            F::wrap(self.with_elements::<F, _>(|xs| {
                map_rows(xs.len(), len, |i, dst| {
                    vecmath::softmax_lastdim_row(&xs[i * len..][..dst.len()], log, dst)
                })
            })?)
        }, unreachable!("softmax of a float")))
    }

    /// Softmax over dim `d`, not the last: the dim moved last, each row as
    /// [`vecmath::softmax_strided_row`] computes it, and moved back.
    fn softmax_strided(&self, d: usize, log: bool) -> Result<CpuStorage> {
        let src = self;
        let n = src.dim();
        let perm: Vec<i64> = (0..n)
            .filter(|&i| i != d)
            .chain([d])
            .map(|i| i as i64)
            .collect();
        let moved = super::no_grad(|| src.permute(&perm))?;
        let len = src.shape()[d].max(1);
        let data = crate::with_float!(src.dtype(), F => {
            let xs = moved.to_vec::<F>()?;
            // Each row is one column of the dims after `d`; PyTorch vectorizes
            // across those dims in whole vectors only.
            let inner: usize = src.shape().get(d + 1..).unwrap_or(&[]).iter().product();
            let vectorized = vecmath::whole_vectors::<F>(inner);
            F::wrap(map_rows(xs.len(), len, |i, dst| {
                let row = &xs[i * len..i * len + dst.len()];
                let vector = i % inner.max(1) < vectorized;
                vecmath::softmax_strided_row(row, log, vector, dst);
            }))
        }, unreachable!());
        let moved_shape = moved.shape().to_vec();
        let result = Tensor::from_storage(data, &moved_shape)?;
        let mut inverse = vec![0i64; n];
        for (i, &p) in perm.iter().enumerate() {
            inverse[p as usize] = i as i64;
        }
        result.permute(&inverse)?.contiguous_storage()
    }

    /// SoftmaxBackward0 / LogSoftmaxBackward0 from the result `y`: over the
    /// last dim of float32/float64, ATen's fused rows
    /// ([`vecmath::softmax_backward_lastdim_row`], in host memory on every device,
    /// so CUDA's bits are the CPU's); otherwise its formula in ops.
    pub(crate) fn softmax_backward(y: &Tensor, g: &Tensor, d: usize, log: bool) -> Result<Tensor> {
        let fused = d + 1 >= y.dim() && g.shape() == y.shape() && g.dtype() == y.dtype();
        let data = crate::with_float!(y.dtype(), F => {
            if !fused {
                return softmax_backward_composed(y, g, d, log);
            }
            let len = y.shape().last().copied().unwrap_or(1).max(1);
            F::wrap(g.with_elements::<F, _>(|gs| {
                y.with_elements::<F, _>(|ys| {
                    map_rows(ys.len(), len, |i, dst| {
                        let row = i * len..i * len + dst.len();
                        vecmath::softmax_backward_lastdim_row(&gs[row.clone()], &ys[row], log, dst)
                    })
                })
            })??)
        }, return softmax_backward_composed(y, g, d, log));
        Tensor::placed(data, y.shape(), &[y, g])
    }

    /// `nll_loss(input, target, weight, reduction)` with class-index targets.
    pub fn nll_loss(
        &self,
        target: &Tensor,
        weight: Option<&Tensor>,
        reduction: Reduction,
        ignore_index: i64,
    ) -> Result<Tensor> {
        if target.dtype() != DType::I64 {
            return runtime(format!(
                "expected target dtype to be Long or Byte, but got {}",
                super::ops::dtype_title(target.dtype())
            ));
        }
        if !self.dtype().is_float() {
            return not_implemented(format!(
                "\"nll_loss_out_frame\" not implemented for '{}'",
                super::ops::dtype_title(self.dtype())
            ));
        }
        if self.dtype().is_reduced_float() {
            let w = weight.map(|w| w.to_dtype(DType::F32)).transpose()?;
            return self.through_f32(|x| x.nll_loss(target, w.as_ref(), reduction, ignore_index));
        }
        let (batch, classes) = match self.dim() {
            1 => (1, self.shape()[0]),
            2 => (self.shape()[0], self.shape()[1]),
            d => return value_err(format!("Expected 2 or more dimensions (got {d})")),
        };
        let expected_target_dims = if self.dim() == 1 { 0 } else { 1 };
        if target.dim() != expected_target_dims || (self.dim() == 2 && target.shape()[0] != batch) {
            if self.dim() == 2 && target.dim() == 1 {
                return value_err(format!(
                    "Expected input batch_size ({batch}) to match target batch_size ({}).",
                    target.shape()[0]
                ));
            }
            return runtime("0D or 1D target tensor expected, multi-target not supported");
        }
        if let Some(w) = weight {
            if w.numel() != classes {
                return runtime(format!(
                    "weight tensor should be defined either for all {classes} classes or no classes but got weight tensor of shape: {}",
                    super::layout::shape_list(w.shape())
                ));
            }
        }
        let mut operands = vec![self, target];
        operands.extend(weight);
        let data = if super::op_device(&operands)?.is_cuda() {
            super::on_cuda::nll_loss(self, target, weight, classes, (reduction, ignore_index))?
        } else {
            self.nll_loss_cpu(target, weight, classes, reduction, ignore_index)?
                .into()
        };
        let shape = if reduction == Reduction::None {
            target.shape().to_vec()
        } else {
            vec![]
        };
        let (a, b, wt) = (self.clone(), target.clone(), weight.cloned());
        Tensor::from_op(data, &shape, &[self], || {
            Op::NllLoss(a, b, wt, reduction, ignore_index)
        })
    }

    /// The CPU side of [`Tensor::nll_loss`], after its checks.
    fn nll_loss_cpu(
        &self,
        target: &Tensor,
        weight: Option<&Tensor>,
        classes: usize,
        reduction: Reduction,
        ignore_index: i64,
    ) -> Result<CpuStorage> {
        let t = target.to_vec::<i64>()?;
        for &c in &t {
            if c != ignore_index && (c < 0 || c as usize >= classes) {
                return index_err(format!("Target {c} is out of bounds."));
            }
        }
        let w: Vec<f64> = weight.map_or(Ok(vec![1.0; classes]), |w| w.to_vec::<f64>())?;
        Ok(crate::with_float!(self.dtype(), F => {
            self.with_elements::<F, _>(|x| nll_reduce(x, &t, &w, classes, reduction, ignore_index))?
        }, unreachable!("checked float above")))
    }

    pub(crate) fn nll_loss_grad(
        x: &Tensor,
        target: &Tensor,
        weight: Option<&Tensor>,
        reduction: Reduction,
        ignore_index: i64,
        g: &Tensor,
    ) -> Result<Tensor> {
        let classes = *x.shape().last().unwrap_or(&1);
        let t = target.to_vec::<i64>()?;
        let w: Vec<f64> = weight.map_or(Ok(vec![1.0; classes]), |w| w.to_vec::<f64>())?;
        let total_w: f64 = t
            .iter()
            .filter(|&&c| c != ignore_index)
            .map(|&c| w[c as usize])
            .sum();
        let gs = g.to_vec::<f64>()?;
        let scale = if reduction == Reduction::Mean {
            total_w
        } else {
            1.0
        };
        let data = crate::with_dtype!(x.dtype(), T => {
            let mut out = vec![T::from_f64(0.0); x.numel()];
            for (i, &c) in t.iter().enumerate() {
                if c == ignore_index {
                    continue;
                }
                let gi = if reduction == Reduction::None { gs[i] } else { gs[0] };
                out[i * classes + c as usize] = T::from_f64(-w[c as usize] * gi / scale);
            }
            T::wrap(out)
        });
        Tensor::placed(data, x.shape(), &[x])
    }
}

/// nll_loss's forward over the log-probabilities `x` (`classes` per row):
/// each kept row's `-x[target] * weight`, summed in PyTorch's order.
fn nll_reduce<F: Float>(
    x: &[F],
    t: &[i64],
    w: &[f64],
    classes: usize,
    reduction: Reduction,
    ignore_index: i64,
) -> CpuStorage {
    let batch = t.len();
    let mut losses: Vec<F> = Vec::with_capacity(batch);
    let (mut loss_sum, mut weight_sum) = (NllSum::new(batch), NllSum::new(batch));
    for (i, &c) in t.iter().enumerate() {
        if c == ignore_index {
            losses.push(F::zero());
            continue;
        }
        let wc = F::cast(w[c as usize]);
        let loss = -(x[i * classes + c as usize] * wc);
        loss_sum.add(i, loss);
        weight_sum.add(i, wc);
        losses.push(loss);
    }
    let v = match reduction {
        Reduction::None => losses,
        Reduction::Sum => vec![loss_sum.total()],
        Reduction::Mean => vec![loss_sum.total() / weight_sum.total()],
    };
    F::wrap(v)
}

/// `row(i, out)` writes each `len`-long row of a `numel`-element float result
/// (with an exp or log per element), rows split over threads when large.
fn map_rows<F: Float>(numel: usize, len: usize, row: impl Fn(usize, &mut [F]) + Sync) -> Vec<F> {
    let mut out = vec![F::zero(); numel];
    // Work counted in cheap-op elements: an exp per element costs more.
    let work = numel * (kernel::CHEAP / kernel::COSTLY);
    super::split::chunks(&mut out, len, work, row);
    out
}

/// Softmax's and log_softmax's gradients as ATen's formulas, op by op.
fn softmax_backward_composed(y: &Tensor, g: &Tensor, d: usize, log: bool) -> Result<Tensor> {
    let dim = [d as i64];
    if log {
        g.sub(&y.exp()?.mul(&g.sum(Some(&dim), true)?)?)
    } else {
        y.mul(&g.sub(&g.mul(y)?.sum(Some(&dim), true)?)?)
    }
}

/// An f64 vector as a tensor of `dtype`.
pub(crate) fn from_f64s(v: Vec<f64>, shape: &[usize], dtype: DType) -> Result<Tensor> {
    let data: CpuStorage =
        crate::with_dtype!(dtype, T => T::wrap(v.into_iter().map(T::from_f64).collect()));
    Tensor::from_storage(data, shape)
}

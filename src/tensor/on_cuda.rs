//! The engine's kernel paths for tensors on a CUDA device.
//!
//! The ops a training step spends its time in (elementwise, sum and mean,
//! softmax, matrix products, pointwise losses) call the backend's kernels
//! here. Every other op reads a CUDA tensor through [`Tensor::read`], which
//! downloads it, computes on the CPU, and [`Tensor::placed`] uploads the
//! result: slower, but every op works on every device.

use super::cuda::{self, CudaStorage, MatmulDims, ReduceOp};
use super::error::{runtime, Result};
use super::layout::Layout;
use super::reduce::Reduced;
use super::{
    no_grad, BinaryOp, DType, Device, PointLoss, Reduction, Storage, StorageGuard, Tensor, UnaryOp,
};

/// One operand of a kernel: its device buffer and how the tensor views it.
type Operand<'a> = (&'a CudaStorage, &'a Layout);

/// Runs `f` over the CUDA storage and layout of each tensor, taking each
/// storage's lock once (`x * x` and `x @ x.T` read one storage twice).
fn with_all<R>(ts: &[&Tensor], f: impl FnOnce(&[Operand<'_>]) -> Result<R>) -> Result<R> {
    let mut guards: Vec<(&Tensor, StorageGuard<'_>)> = Vec::with_capacity(ts.len());
    let mut slot = Vec::with_capacity(ts.len());
    for &t in ts {
        match guards.iter().position(|(held, _)| held.shares_storage(t)) {
            Some(i) => slot.push(i),
            None => {
                slot.push(guards.len());
                guards.push((t, t.storage_guard()));
            }
        }
    }
    let mut operands = Vec::with_capacity(ts.len());
    for (&t, &i) in ts.iter().zip(&slot) {
        match &*guards[i].1 {
            Storage::Cuda(c) => operands.push((c, t.layout())),
            Storage::Cpu(_) => {
                return runtime("internal error: a CPU tensor reached a CUDA kernel")
            }
        }
    }
    f(&operands)
}

/// An operand's elements as one contiguous buffer: its own storage when that
/// is exactly the tensor, else a contiguous copy.
enum Dense<'a> {
    Whole(&'a CudaStorage),
    Copy(CudaStorage),
}

impl std::ops::Deref for Dense<'_> {
    type Target = CudaStorage;
    fn deref(&self) -> &CudaStorage {
        match self {
            Dense::Whole(s) => s,
            Dense::Copy(s) => s,
        }
    }
}

fn dense<'a>((s, l): Operand<'a>) -> Result<Dense<'a>> {
    if l.is_whole(s.len()) {
        Ok(Dense::Whole(s))
    } else {
        cuda::contiguous(s, l).map(Dense::Copy)
    }
}

/// `t` as `dtype` on `device`: a kernel's operand (CPU scalars are uploaded).
fn operand(t: &Tensor, dtype: DType, device: Device) -> Result<Tensor> {
    no_grad(|| t.to_dtype_plain(dtype)?.to_device(device))
}

pub(crate) fn binary(
    op: BinaryOp,
    a: &Tensor,
    b: &Tensor,
    dtype: DType,
    device: Device,
) -> Result<Storage> {
    let (a, b) = (operand(a, dtype, device)?, operand(b, dtype, device)?);
    with_all(&[&a, &b], |v| {
        cuda::binary(op, v[0].0, v[0].1, v[1].0, v[1].1)
    })
    .map(Storage::Cuda)
}

pub(crate) fn unary(op: UnaryOp, t: &Tensor) -> Result<Storage> {
    with_all(&[t], |v| cuda::unary(op, v[0].0, v[0].1)).map(Storage::Cuda)
}

pub(crate) fn where_(
    cond: &Tensor,
    a: &Tensor,
    b: &Tensor,
    dtype: DType,
    device: Device,
) -> Result<Storage> {
    let c = operand(cond, DType::Bool, device)?;
    let (a, b) = (operand(a, dtype, device)?, operand(b, dtype, device)?);
    with_all(&[&c, &a, &b], |v| {
        cuda::where_(v[0].0, v[0].1, v[1].0, v[1].1, v[2].0, v[2].1)
    })
    .map(Storage::Cuda)
}

/// `sum` / `mean` over `r`'s dims, by one kernel (see [`cuda::reduce_dims`]).
pub(crate) fn reduce(op: ReduceOp, t: &Tensor, r: &Reduced) -> Result<Storage> {
    with_all(&[t], |v| cuda::reduce_dims(op, v[0].0, v[0].1, &r.dims)).map(Storage::Cuda)
}

/// `softmax` / `log_softmax` over `dim` (see [`cuda::softmax_dim`]).
pub(crate) fn softmax(t: &Tensor, dim: usize, log: bool) -> Result<Storage> {
    with_all(&[t], |v| cuda::softmax_dim(v[0].0, v[0].1, dim, log)).map(Storage::Cuda)
}

/// `[batch, m, k] @ [batch, k, n]` through cuBLAS; an operand without the
/// batch dim is shared by every batch.
pub(crate) fn matmul(a: &Tensor, b: &Tensor, dims: MatmulDims) -> Result<Storage> {
    with_all(&[a, b], |v| cuda::matmul_strided(v[0], v[1], dims)).map(Storage::Cuda)
}

/// `nll_loss` of `[batch, classes]` (or `[classes]`) log-probabilities
/// against int64 classes, with optional per-class weights.
pub(crate) fn nll_loss(
    x: &Tensor,
    target: &Tensor,
    weight: Option<&Tensor>,
    classes: usize,
    (reduction, ignore_index): (Reduction, i64),
) -> Result<Storage> {
    let device = x.device();
    let target = operand(target, DType::I64, device)?;
    let weight = weight.map(|w| operand(w, x.dtype(), device)).transpose()?;
    let mut ts = vec![x, &target];
    ts.extend(weight.as_ref());
    with_all(&ts, |v| {
        let w = v.get(2).map(|&w| dense(w)).transpose()?;
        let (x, t) = (dense(v[0])?, dense(v[1])?);
        cuda::nll_loss(&x, classes, &t, w.as_deref(), reduction, ignore_index)
    })
    .map(Storage::Cuda)
}

/// mse / huber / smooth_l1 / bce / bce_with_logits of two tensors of one
/// shape and float dtype (already broadcast).
pub(crate) fn point_loss(
    x: &Tensor,
    y: &Tensor,
    loss: PointLoss,
    reduction: Reduction,
) -> Result<Storage> {
    with_all(&[x, y], |v| {
        cuda::point_loss(loss, &*dense(v[0])?, &*dense(v[1])?, reduction)
    })
    .map(Storage::Cuda)
}

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
use super::{no_grad, BinaryOp, DType, Device, PointLoss, Reduction, Storage, Tensor, UnaryOp};

/// Runs `f` over the CUDA storage and layout of `t`.
fn with_cuda<R>(t: &Tensor, f: impl FnOnce(&CudaStorage, &Layout) -> Result<R>) -> Result<R> {
    t.read_storage(|s, l| match s {
        Storage::Cuda(c) => f(c, l),
        Storage::Cpu(_) => runtime("internal error: a CPU tensor reached a CUDA kernel"),
    })
}

/// `t` as `dtype` on `device`: a kernel's operand (CPU scalars are uploaded).
fn operand(t: &Tensor, dtype: DType, device: Device) -> Result<Tensor> {
    no_grad(|| t.to_dtype_plain(dtype)?.to_device(device))
}

/// Runs `f` over `t`'s elements as one contiguous buffer: its own storage
/// when that is exactly the tensor, else a contiguous copy.
fn with_contiguous<R>(t: &Tensor, f: impl FnOnce(&CudaStorage) -> Result<R>) -> Result<R> {
    with_cuda(t, |s, l| {
        if l.is_contiguous() && l.offset == 0 && s.len() == l.numel() {
            f(s)
        } else {
            f(&cuda::contiguous(s, l)?)
        }
    })
}

pub(crate) fn binary(
    op: BinaryOp,
    a: &Tensor,
    b: &Tensor,
    dtype: DType,
    device: Device,
) -> Result<Storage> {
    let (a, b) = (operand(a, dtype, device)?, operand(b, dtype, device)?);
    with_cuda(&a, |sa, la| {
        with_cuda(&b, |sb, lb| cuda::binary(op, sa, la, sb, lb))
    })
    .map(Storage::Cuda)
}

pub(crate) fn unary(op: UnaryOp, t: &Tensor) -> Result<Storage> {
    with_cuda(t, |s, l| cuda::unary(op, s, l)).map(Storage::Cuda)
}

pub(crate) fn where_(cond: &Tensor, a: &Tensor, b: &Tensor, dtype: DType) -> Result<Storage> {
    let device = Device::Cuda(0);
    let c = operand(cond, DType::Bool, device)?;
    let (a, b) = (operand(a, dtype, device)?, operand(b, dtype, device)?);
    with_cuda(&c, |sc, lc| {
        with_cuda(&a, |sa, la| {
            with_cuda(&b, |sb, lb| cuda::where_(sc, lc, sa, la, sb, lb))
        })
    })
    .map(Storage::Cuda)
}

/// `sum` / `mean` over `r`'s dims: the kept dims first, the reduced ones
/// flattened into one last dim, reduced by one kernel.
pub(crate) fn reduce(op: ReduceOp, t: &Tensor, r: &Reduced) -> Result<Storage> {
    let shape = t.shape();
    let kept: Vec<usize> = (0..shape.len()).filter(|d| !r.dims.contains(d)).collect();
    let perm: Vec<i64> = kept.iter().chain(&r.dims).map(|&d| d as i64).collect();
    let moved = no_grad(|| t.permute(&perm))?;
    let outer: usize = kept.iter().map(|&d| shape[d]).product();
    let len = r.count(shape);
    with_contiguous(&moved, |s| cuda::reduce(op, s, &[outer, len], 1)).map(Storage::Cuda)
}

/// `softmax` / `log_softmax` over `dim`, moved last for the kernel and back.
pub(crate) fn softmax(t: &Tensor, dim: usize, log: bool) -> Result<Storage> {
    let n = t.dim();
    if n == 0 {
        return with_cuda(t, |s, l| {
            cuda::softmax(&cuda::contiguous(s, l)?, &[1], log).map(Storage::Cuda)
        });
    }
    let last = n - 1;
    let moved = no_grad(|| t.transpose(dim as i64, last as i64))?;
    let out = with_contiguous(&moved, |s| cuda::softmax(s, moved.shape(), log))?;
    let result = Tensor::build(
        std::sync::Arc::new(std::sync::RwLock::new(Storage::Cuda(out))),
        Layout::contiguous(moved.shape()),
        t.dtype(),
        None,
    );
    let back = no_grad(|| result.transpose(dim as i64, last as i64))?;
    with_cuda(&back, cuda::contiguous).map(Storage::Cuda)
}

/// `[batch, m, k] @ [batch, k, n]` through cuBLAS; an operand without the
/// batch dim is shared by every batch.
pub(crate) fn matmul(a: &Tensor, b: &Tensor, dims: MatmulDims) -> Result<Storage> {
    with_contiguous(a, |sa| with_contiguous(b, |sb| cuda::matmul(sa, sb, dims))).map(Storage::Cuda)
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
    let device = Device::Cuda(0);
    let target = operand(target, DType::I64, device)?;
    let weight = weight.map(|w| operand(w, x.dtype(), device)).transpose()?;
    with_contiguous(x, |sx| {
        with_contiguous(&target, |st| match &weight {
            Some(w) => with_contiguous(w, |sw| {
                cuda::nll_loss(sx, classes, st, Some(sw), reduction, ignore_index)
            }),
            None => cuda::nll_loss(sx, classes, st, None, reduction, ignore_index),
        })
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
    with_contiguous(x, |sx| {
        with_contiguous(y, |sy| cuda::point_loss(loss, sx, sy, reduction))
    })
    .map(Storage::Cuda)
}

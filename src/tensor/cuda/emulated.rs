//! A CUDA device emulated in host memory, turned on by
//! `NNLEARN_CUDA_EMULATE=1` (see [`super::probe::EMULATE_VAR`]).
//!
//! It exists for the tests: on a machine without a GPU it drives every device
//! path of the engine (placement, mixed-device errors, `.to()`, printing,
//! autograd, and each call into this backend) with the CPU engine standing in
//! for the kernels. The kernels themselves run only on a real GPU
//! (`tests/cuda_kernels.rs`, `scripts/gpu-check.sh`).

use std::sync::{Arc, RwLock};

use super::super::error::Result;
use super::super::{
    no_grad, BinaryOp, DType, Layout, PointLoss, Reduction, Storage, Tensor, UnaryOp,
};
use super::backend::ReduceOp;
use super::blas::MatmulDims;
use super::storage::CudaStorage;

/// A CPU tensor over a copy of the emulated elements (a real GPU buffer
/// beside host-memory operands is downloaded), seen through `layout`.
fn tensor(s: &CudaStorage, layout: &Layout) -> Result<Tensor> {
    let host = match s.emulated() {
        Some(host) => host.clone(),
        None => super::storage::download(s)?,
    };
    let dtype = host.dtype();
    Ok(Tensor::build(
        Arc::new(RwLock::new(Storage::Cpu(host))),
        layout.clone(),
        dtype,
        None,
    ))
}

fn flat(s: &CudaStorage, shape: &[usize]) -> Result<Tensor> {
    tensor(s, &Layout::contiguous(shape))
}

/// The contiguous elements of an op's CPU result, as emulated device memory
/// (on a real GPU, whose host-memory dtypes also come here, uploaded where
/// the kernels can take over).
fn stored(op: impl FnOnce() -> Result<Tensor>) -> Result<CudaStorage> {
    let t = no_grad(op)?;
    super::storage::upload(&t.contiguous_storage()?)
}

pub fn cast(src: &CudaStorage, layout: &Layout, dtype: DType) -> Result<CudaStorage> {
    stored(|| tensor(src, layout)?.to_dtype_plain(dtype))
}

pub fn binary(
    op: BinaryOp,
    a: &CudaStorage,
    la: &Layout,
    b: &CudaStorage,
    lb: &Layout,
) -> Result<CudaStorage> {
    stored(|| tensor(a, la)?.binary(op, &tensor(b, lb)?))
}

pub fn unary(op: UnaryOp, src: &CudaStorage, layout: &Layout) -> Result<CudaStorage> {
    stored(|| tensor(src, layout)?.unary(op))
}

pub fn where_(
    (cond, lc): (&CudaStorage, &Layout),
    (a, la): (&CudaStorage, &Layout),
    (b, lb): (&CudaStorage, &Layout),
) -> Result<CudaStorage> {
    stored(|| Tensor::where_(&tensor(cond, lc)?, &tensor(a, la)?, &tensor(b, lb)?))
}

pub fn reduce(op: ReduceOp, src: &CudaStorage, shape: &[usize], dim: usize) -> Result<CudaStorage> {
    let t = flat(src, shape)?;
    let d = dim as i64;
    stored(|| match op {
        ReduceOp::Sum => t.sum(Some(&[d]), false),
        ReduceOp::Mean => t.mean(Some(&[d]), false),
        ReduceOp::Prod => t.prod(Some(d), false),
    })
}

/// [`super::backend::reduce_dims`]: the CPU's reduction of the tensor as
/// the engine sees it (not of a permuted copy), so the sums add in the CPU's
/// order.
pub fn reduce_dims(
    op: ReduceOp,
    src: &CudaStorage,
    layout: &Layout,
    dims: &[usize],
) -> Result<CudaStorage> {
    let t = tensor(src, layout)?;
    let d: Vec<i64> = dims.iter().map(|&d| d as i64).collect();
    stored(|| match op {
        ReduceOp::Sum => t.sum(Some(&d), false),
        ReduceOp::Mean => t.mean(Some(&d), false),
        ReduceOp::Prod => match d.as_slice() {
            [] => t.prod(None, false),
            [one] => t.prod(Some(*one), false),
            _ => super::super::error::runtime("internal error: prod reduces one dim at a time"),
        },
    })
}

pub fn max_dim(
    src: &CudaStorage,
    shape: &[usize],
    dim: usize,
    is_max: bool,
) -> Result<(CudaStorage, CudaStorage)> {
    let (values, indices) = no_grad(|| flat(src, shape)?.max_dim(dim as i64, false, is_max))?;
    Ok((
        CudaStorage::from_host(values.contiguous_storage()?),
        CudaStorage::from_host(indices.contiguous_storage()?),
    ))
}

pub fn softmax(src: &CudaStorage, shape: &[usize], log: bool) -> Result<CudaStorage> {
    stored(|| flat(src, shape)?.softmax(-1, log))
}

/// [`super::backend::softmax_dim`]: the CPU's softmax over `dim` of the
/// tensor as the engine sees it.
pub fn softmax_dim(
    src: &CudaStorage,
    layout: &Layout,
    dim: usize,
    log: bool,
) -> Result<CudaStorage> {
    stored(|| tensor(src, layout)?.softmax(dim as i64, log))
}

pub fn point_loss(
    loss: PointLoss,
    x: &CudaStorage,
    y: &CudaStorage,
    reduction: Reduction,
) -> Result<CudaStorage> {
    stored(|| flat(x, &[x.len()])?.point_loss(&flat(y, &[y.len()])?, loss, reduction))
}

pub fn nll_loss(
    input: &CudaStorage,
    classes: usize,
    target: &CudaStorage,
    weight: Option<&CudaStorage>,
    reduction: Reduction,
    ignore_index: i64,
) -> Result<CudaStorage> {
    let batch = target.len();
    let x = flat(input, &[batch, classes])?;
    let t = flat(target, &[batch])?;
    let w = weight.map(|w| flat(w, &[classes])).transpose()?;
    stored(|| x.nll_loss(&t, w.as_ref(), reduction, ignore_index))
}

pub fn matmul(a: &CudaStorage, b: &CudaStorage, dims: MatmulDims) -> Result<CudaStorage> {
    let operand = |s, batched: bool, rows, cols| match batched {
        true => flat(s, &[dims.batch, rows, cols]),
        false => flat(s, &[rows, cols]),
    };
    let x = operand(a, dims.a_batched, dims.m, dims.k)?;
    let y = operand(b, dims.b_batched, dims.k, dims.n)?;
    stored(|| x.matmul(&y))
}

/// [`super::blas::matmul_strided`]: the CPU's `dot`, `mm` or `bmm` of the
/// views themselves (the CPU's `mv` is `mm` with the vector as a column).
pub fn matmul_strided(
    (a, la): (&CudaStorage, &Layout),
    (b, lb): (&CudaStorage, &Layout),
) -> Result<CudaStorage> {
    let (x, y) = (tensor(a, la)?, tensor(b, lb)?);
    stored(|| match (x.dim(), y.dim()) {
        (1, 1) => x.dot(&y),
        (3, 3) => x.bmm(&y),
        _ => x.mm(&y),
    })
}

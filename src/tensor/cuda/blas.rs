//! Matrix products through cuBLAS.
//!
//! cuBLAS is column-major and nnlearn row-major: a row-major `[m, k]` matrix
//! is a column-major `[k, m]` one, so `C = A B` is computed as
//! `C^T = B^T A^T`, i.e. gemm with the operands swapped and no transposes.

use cudarc::cublas::sys::{cublasMath_t, cublasOperation_t, cublasSetMathMode};
use cudarc::cublas::{CudaBlas, Gemm, GemmConfig, StridedBatchedConfig};
use cudarc::driver::CudaSlice;

use super::super::dtype::DType;
use super::super::error::{runtime, Result, TensorError};
use super::super::Layout;
use super::context::{allow_tf32, gpu};
use super::storage::{CudaStorage, DevElem};

/// The sizes of `[batch, m, k] @ [batch, k, n] -> [batch, m, n]`. An operand
/// that is not batched is one matrix shared by every batch (a 2-D operand of
/// a batched `matmul`); for `mm` both are unbatched and `batch` is 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatmulDims {
    pub batch: usize,
    pub m: usize,
    pub k: usize,
    pub n: usize,
    pub a_batched: bool,
    pub b_batched: bool,
}

impl MatmulDims {
    /// `[m, k] @ [k, n]`.
    pub fn mm(m: usize, k: usize, n: usize) -> MatmulDims {
        MatmulDims {
            batch: 1,
            m,
            k,
            n,
            a_batched: false,
            b_batched: false,
        }
    }

    fn a_len(&self) -> usize {
        self.m * self.k * if self.a_batched { self.batch } else { 1 }
    }

    fn b_len(&self) -> usize {
        self.k * self.n * if self.b_batched { self.batch } else { 1 }
    }
}

/// [`matmul`] of two tensors as the engine sees them (`src` through its
/// layout: 1-D for `dot`, 2-D for `mm` and `mv`'s column, 3-D for `bmm`). The
/// GPU multiplies contiguous copies; the emulated device runs the CPU's own
/// product of the views, whose rounding depends on their strides.
pub fn matmul_strided(
    (a, la): (&CudaStorage, &Layout),
    (b, lb): (&CudaStorage, &Layout),
    dims: MatmulDims,
) -> Result<CudaStorage> {
    let same = a.dtype() == b.dtype();
    let float = same && matches!(a.dtype(), DType::F32 | DType::F64);
    let half = same && matches!(a.dtype(), DType::F16 | DType::BF16);
    if (float || half) && (a.emulated().is_some() || b.emulated().is_some()) {
        return super::emulated::matmul_strided((a, la), (b, lb));
    }
    if half {
        // PyTorch's CUDA half products accumulate in float32 and round once.
        let cast = |s, l| super::backend::cast(s, l, DType::F32);
        let product = matmul(&cast(a, la)?, &cast(b, lb)?, dims)?;
        let len = product.len();
        return super::backend::cast(&product, &Layout::contiguous(&[len]), a.dtype());
    }
    let (a_copy, b_copy);
    let a = if la.is_whole(a.len()) {
        a
    } else {
        a_copy = super::backend::contiguous(a, la)?;
        &a_copy
    };
    let b = if lb.is_whole(b.len()) {
        b
    } else {
        b_copy = super::backend::contiguous(b, lb)?;
        &b_copy
    };
    matmul(a, b, dims)
}

/// The product of two contiguous float tensors of one dtype, as a new
/// contiguous `[batch, m, n]` (or `[m, n]`) tensor. float32 uses TF32 only
/// when [`super::set_allow_tf32`] allows it. Integer products are refused,
/// as PyTorch does on CUDA.
pub fn matmul(a: &CudaStorage, b: &CudaStorage, dims: MatmulDims) -> Result<CudaStorage> {
    if a.dtype() != b.dtype() {
        return runtime(format!(
            "expected m1 and m2 to have the same dtype, but got: {} != {}",
            super::super::ops::dtype_title(a.dtype()).to_lowercase(),
            super::super::ops::dtype_title(b.dtype()).to_lowercase()
        ));
    }
    if a.len() != dims.a_len() || b.len() != dims.b_len() {
        return runtime("internal error: CUDA matmul sizes do not match the storage");
    }
    match a.dtype() {
        DType::F32 | DType::F64 if a.emulated().is_some() => super::emulated::matmul(a, b, dims),
        DType::F32 => gemm::<f32>(a, b, dims, 1.0, 0.0),
        DType::F64 => gemm::<f64>(a, b, dims, 1.0, 0.0),
        other => runtime(format!(
            "\"addmm_cuda\" not implemented for '{}'",
            super::super::ops::dtype_title(other)
        )),
    }
}

fn int(x: usize) -> Result<i32> {
    i32::try_from(x).or_else(|_| runtime("matrix too large for cuBLAS (a dimension over 2^31)"))
}

fn gemm<T: DevElem>(
    a: &CudaStorage,
    b: &CudaStorage,
    dims: MatmulDims,
    alpha: T,
    beta: T,
) -> Result<CudaStorage>
where
    CudaBlas: Gemm<T>,
{
    let gpu = gpu()?;
    let out_len = dims.batch * dims.m * dims.n;
    // Zeroed: with k == 0 the product is all zeros and cuBLAS may not write.
    let mut out: CudaSlice<T> = gpu
        .stream
        .alloc_zeros(out_len.max(1))
        .map_err(|e| super::context::driver_error("allocating device memory", &e))?;
    if out_len == 0 || dims.k == 0 {
        return Ok(CudaStorage::new(out, out_len));
    }
    let (m, k, n) = (int(dims.m)?, int(dims.k)?, int(dims.n)?);
    let gemm = GemmConfig {
        transa: cublasOperation_t::CUBLAS_OP_N,
        transb: cublasOperation_t::CUBLAS_OP_N,
        m: n,
        n: m,
        k,
        alpha,
        lda: n,
        ldb: k,
        beta,
        ldc: n,
    };
    let stride = |batched: bool, len: usize| if batched { len as i64 } else { 0 };
    let cfg = StridedBatchedConfig {
        gemm,
        batch_size: int(dims.batch)?,
        stride_a: stride(dims.b_batched, dims.k * dims.n),
        stride_b: stride(dims.a_batched, dims.m * dims.k),
        stride_c: (dims.m * dims.n) as i64,
    };
    let blas = gpu.blas();
    let mode = if T::DTYPE == DType::F32 && allow_tf32() {
        cublasMath_t::CUBLAS_TF32_TENSOR_OP_MATH
    } else {
        cublasMath_t::CUBLAS_DEFAULT_MATH
    };
    // SAFETY: the handle is live and guarded by the lock.
    unsafe { cublasSetMathMode(*blas.handle(), mode) }
        .result()
        .map_err(|e| blas_error(&e))?;
    let (sa, sb) = (b.slice::<T>()?, a.slice::<T>()?);
    // SAFETY: the sizes were checked against the buffers' lengths above.
    let result = if dims.batch == 1 {
        unsafe { blas.gemm(gemm, sa, sb, &mut out) }
    } else {
        unsafe { blas.gemm_strided_batched(cfg, sa, sb, &mut out) }
    };
    result.map_err(|e| blas_error(&e))?;
    Ok(CudaStorage::new(out, out_len))
}

fn blas_error(e: &cudarc::cublas::result::CublasError) -> TensorError {
    TensorError::Runtime(format!("CUDA error: cuBLAS failed ({:?})", e.0))
}

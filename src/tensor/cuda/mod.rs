//! The CUDA backend: device memory, NVRTC-compiled kernels and cuBLAS, behind
//! plain functions the engine calls. cudarc is used in this module only.
//!
//! **Availability.** [`cuda_status`] probes once per process and never panics
//! (libraries are loaded at run time; a missing or broken driver, NVRTC or
//! cuBLAS ends in [`CudaStatus::Unavailable`] with a readable reason).
//! `torch.cuda.is_available()` is [`is_available`]; asking for CUDA without it
//! is [`errors::check_device`]'s `RuntimeError: CUDA is not available:
//! <reason>. Tensors can stay on the CPU (device='cpu').`
//!
//! **How the engine uses it.** A tensor's `Storage` is `Cpu` or `Cuda`
//! ([`CudaStorage`]); `.to(device)` is [`upload`] / [`download`]. The ops in
//! `tensor/on_cuda.rs` call [`binary`], [`unary`], [`where_`], [`reduce_dims`],
//! [`softmax_dim`], [`point_loss`] and [`matmul_strided`] (with [`cast`] /
//! [`contiguous`] for their operands); every other op downloads, runs on the CPU and
//! uploads its result. Kernels are compiled once per process on first use
//! and mirror the CPU's arithmetic, so results agree to float tolerance.
//! The backend drives device 0 only; `cuda:1` is `CUDA error: invalid device
//! ordinal`.
//!
//! **Without a GPU**, `NNLEARN_CUDA_EMULATE=1` (or [`emulate_without_gpu`])
//! makes the `emulated` module stand in: device memory is host memory and each backend
//! call runs the CPU engine on the operands as the engine sees them (their own
//! layouts, dims and strides), so the tests drive every device path and its
//! results are the CPU's bit for bit.

mod backend;
mod blas;
mod context;
mod dims;
mod emulated;
pub mod errors;
pub mod probe;
mod storage;

pub use backend::{
    binary, cast, contiguous, max_dim, mse_loss, nll_loss, point_loss, reduce, reduce_dims,
    softmax, softmax_dim, unary, where_, ReduceOp,
};
pub use blas::{matmul, matmul_strided, MatmulDims};
pub use context::{allow_tf32, set_allow_tf32, synchronize};
pub use probe::{
    cuda_status, device_count, emulate_without_gpu, is_available, is_emulated, CudaStatus,
};
pub use storage::{download, upload, CudaStorage};

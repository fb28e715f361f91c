//! The CUDA backend: device memory, NVRTC-compiled kernels and cuBLAS, behind
//! plain functions the engine calls. cudarc is used in this module only.
//!
//! # README: how the engine integrates it
//!
//! **Availability.** [`cuda_status`] probes once per process and never panics
//! (libraries are loaded at run time; a missing or broken driver, NVRTC or
//! cuBLAS ends in [`CudaStatus::Unavailable`] with a readable reason).
//! `torch.cuda.is_available()` is [`is_available`], `torch.cuda.device_count()`
//! is [`device_count`], and the status bar shows [`CudaStatus::summary`]
//! (`CUDA: NVIDIA H200, 140 GiB, driver 12.8` / `CUDA unavailable: <reason>`).
//! `--device cuda` on a machine without CUDA prints that summary and stays on
//! the CPU.
//!
//! **Storage.** The engine's `Arc<RwLock<CpuStorage>>` becomes
//! `Arc<RwLock<Storage>>` with [`Storage`] (`Cpu(CpuStorage)` /
//! `Cuda(CudaStorage)`), split by device as candle does; `Inner.device` then
//! follows the storage. `.to(device)`, `.cuda()`, `.cpu()` and `device=` on
//! creation are [`Storage::to_device`] (creation builds on the CPU and
//! uploads). Asking for CUDA without it is [`errors::check_device`]'s
//! `RuntimeError: CUDA is not available: <reason>. Tensors can stay on the CPU
//! (device='cpu').`
//!
//! **Dispatch.** Each op first finds the operands' device with
//! [`errors::common_device`] (PyTorch's `Expected all tensors to be on the
//! same device, but found at least two devices, cuda:0 and cpu!`; wrapped
//! Python numbers and, for elementwise ops, 0-dim CPU tensors join any
//! device). Where an op reads `Storage::Cpu`, `Storage::Cuda` calls:
//!
//! | engine op | backend call |
//! | --- | --- |
//! | `binary` (ops.rs), after `result_type` | casts with [`cast`] to the compute dtype, then [`binary`] with both layouts (broadcast and views handled in the kernel) |
//! | `unary`, `relu`, `sigmoid`, ... | [`unary`] with the layout |
//! | `to_dtype`, `contiguous`, `clone` | [`cast`] / [`contiguous`] / [`CudaStorage::try_clone`] |
//! | `where_` | [`where_`] |
//! | `sum`, `mean`, `prod` (reduce.rs) | permute the reduced dims last, [`contiguous`], then [`reduce`] over the flattened last dim |
//! | `max(dim)`, `argmax`, `min`, ... | [`max_dim`] |
//! | `softmax`, `log_softmax` (losses.rs) | move `dim` last, [`softmax`] |
//! | `point_loss` (mse, huber, smooth_l1, bce, bce_with_logits) | expand + [`contiguous`], then [`point_loss`] |
//! | `nll_loss` | [`nll_loss`] (shape checks stay in the engine) |
//! | `matmul`, `mm`, `bmm` (linalg.rs) | [`contiguous`], then [`matmul`] with [`MatmulDims`] |
//! | printing, `item()`, `tolist()`, `.cpu()` | [`download`], then the CPU code |
//!
//! Ops without a kernel yet (indexing, cat/stack, clamp, var/std, norms,
//! backward formulas not built from the ops above) can download, run on the
//! CPU and upload the result, so every lesson runs, only slower.
//! A CUDA tensor prints with `device='cuda:0'` through the existing
//! `format::Suffixes::device`.
//!
//! The backend drives device 0 only; `cuda:1` is `CUDA error: invalid device
//! ordinal`. Kernels are compiled once per process on first use (about a
//! second) and mirror the CPU's arithmetic so results agree to float
//! tolerance; `scripts/gpu-check.sh` checks that on a GPU machine.

mod backend;
mod blas;
mod context;
mod dims;
mod emulated;
pub mod errors;
pub mod probe;
mod storage;

pub use backend::{
    binary, cast, contiguous, max_dim, mse_loss, nll_loss, point_loss, reduce, softmax, unary,
    where_, ReduceOp,
};
pub use blas::{matmul, MatmulDims};
pub use context::{allow_tf32, set_allow_tf32, synchronize};
pub use probe::{
    cuda_status, device_count, emulate_without_gpu, is_available, is_emulated, CudaStatus,
};
pub use storage::{download, upload, CudaStorage};

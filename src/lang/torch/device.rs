//! Device moves. Asking for CUDA where it cannot be used is a clear
//! RuntimeError, as the spec requires; the reason comes from the CUDA probe.

use super::convert::{tensor_value, PyResult};
use crate::lang::value::Value;
use crate::tensor::cuda::{cuda_status, CudaStatus};
use crate::tensor::{Device, Tensor};

/// Why CUDA cannot be used here, or None when it can.
pub fn cuda_unavailable_reason() -> Option<String> {
    match cuda_status() {
        CudaStatus::Unavailable(reason) => Some(reason.clone()),
        CudaStatus::Available { name, .. } => Some(format!(
            "found {name}, but this build of nnlearn runs tensors on the CPU only"
        )),
    }
}

pub fn cuda_available() -> bool {
    cuda_unavailable_reason().is_none()
}

/// `x.to(device)`.
pub fn move_to(x: &Tensor, device: Device) -> PyResult<Value> {
    match device {
        Device::Cpu => Ok(tensor_value(x.clone())),
        Device::Cuda(_) => match cuda_unavailable_reason() {
            Some(reason) => Err(super::convert::raise(
                crate::tensor::cuda::errors::cuda_unavailable(&reason),
            )),
            None => Ok(tensor_value(x.clone())),
        },
    }
}

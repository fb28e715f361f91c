//! Device moves. CUDA tensors need the CUDA backend; without a GPU, asking
//! for one is a clear RuntimeError, as the spec requires.

use super::convert::{tensor_value, PyResult};
use crate::lang::value::Value;
use crate::lang::Exception;
use crate::tensor::{Device, Tensor};

/// Why CUDA cannot be used here, or None when it can.
pub fn cuda_unavailable_reason() -> Option<String> {
    Some("no CUDA backend in this build of nnlearn's tensor engine".to_string())
}

pub fn cuda_available() -> bool {
    cuda_unavailable_reason().is_none()
}

/// `x.to(device)`.
pub fn move_to(x: &Tensor, device: Device) -> PyResult<Value> {
    match device {
        Device::Cpu => Ok(tensor_value(x.clone())),
        Device::Cuda(_) => match cuda_unavailable_reason() {
            Some(reason) => Err(Exception::runtime_error(format!(
                "CUDA is not available: {reason}. Use device='cpu' (torch.cuda.is_available() tells which to use)."
            ))),
            None => Ok(tensor_value(x.clone())),
        },
    }
}

//! The errors a learner sees around devices.
//!
//! CPU-only PyTorch answers `.to('cuda')` with `AssertionError: Torch not
//! compiled with CUDA enabled`, which is misleading here (nnlearn always has
//! CUDA support; the machine lacks a driver or a GPU). nnlearn raises
//! `RuntimeError: CUDA is not available: <reason>. Tensors can stay on the CPU
//! (device='cpu').` instead, with the probe's reason. Mixing devices in one op
//! is PyTorch's own message, word for word.

use super::super::device::Device;
use super::super::error::TensorError;
use super::probe::{cuda_status, device_count, CudaStatus};

/// Asking for a CUDA tensor where CUDA is unavailable.
pub fn cuda_unavailable(reason: &str) -> TensorError {
    TensorError::Runtime(format!(
        "CUDA is not available: {reason}. Tensors can stay on the CPU (device='cpu')."
    ))
}

/// `Expected all tensors to be on the same device, but found at least two
/// devices, cuda:0 and cpu!`. PyTorch names the op's common device first (for
/// elementwise ops, the CUDA one), then the first argument that differs.
pub fn mixed_devices(first: Device, second: Device) -> TensorError {
    TensorError::Runtime(format!(
        "Expected all tensors to be on the same device, but found at least two devices, {first} and {second}!"
    ))
}

/// Checks that `device` can hold tensors: always for the CPU; for CUDA only when
/// the probe found a driver and a device of that ordinal.
pub fn check_device(device: Device) -> Result<(), TensorError> {
    let Device::Cuda(ordinal) = device else {
        return Ok(());
    };
    if let CudaStatus::Unavailable(reason) = cuda_status() {
        return Err(cuda_unavailable(reason));
    }
    // The backend drives device 0 only, so a second GPU is "invalid" for now.
    if ordinal >= device_count().min(1) {
        return Err(TensorError::Runtime(
            "CUDA error: invalid device ordinal".to_string(),
        ));
    }
    Ok(())
}

/// The device every operand of one op lives on, or PyTorch's mixed-device
/// error. As in PyTorch's TensorIterator, the first non-CPU device is the
/// common one. Wrapped Python numbers and, for elementwise ops, 0-dim CPU
/// tensors may join a CUDA op (PyTorch's "CPU scalars"), so callers leave them out.
pub fn common_device(devices: &[Device]) -> Result<Device, TensorError> {
    let Some(&first) = devices.first() else {
        return Ok(Device::Cpu);
    };
    let cuda = devices.iter().copied().find(|d| *d != Device::Cpu);
    match cuda {
        None => Ok(first),
        Some(common) => match devices.iter().copied().find(|&d| d != common) {
            None => Ok(common),
            Some(other) => Err(mixed_devices(common, other)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(devices: &[Device], expected: &str) {
        let got = match common_device(devices) {
            Ok(d) => d.to_string(),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expected);
    }

    #[test]
    fn common_device_of_operands() {
        check(&[], "cpu");
        check(&[Device::Cpu, Device::Cpu], "cpu");
        check(&[Device::Cuda(0), Device::Cuda(0)], "cuda:0");
        // torch.ones(2, device='cuda') + torch.ones(2)
        check(
            &[Device::Cuda(0), Device::Cpu],
            "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!",
        );
        // torch.ones(2) + torch.ones(2, device='cuda'): the CUDA device is still named first.
        check(
            &[Device::Cpu, Device::Cuda(0)],
            "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!",
        );
    }

    #[test]
    fn cpu_is_always_usable() {
        assert_eq!(check_device(Device::Cpu), Ok(()));
    }

    #[test]
    fn cuda_is_refused_with_the_reason_when_unavailable() {
        let CudaStatus::Unavailable(reason) = cuda_status() else {
            println!("skipped: CUDA is available here");
            return;
        };
        let err = check_device(Device::Cuda(0)).unwrap_err();
        assert_eq!(err.class(), "RuntimeError");
        assert_eq!(
            err.to_string(),
            format!("CUDA is not available: {reason}. Tensors can stay on the CPU (device='cpu').")
        );
    }
}

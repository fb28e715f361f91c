//! Devices in the language: `.to(device)`, `torch.cuda.*`, and the session's
//! default device. Asking for CUDA where it cannot be used is a clear
//! RuntimeError whose reason comes from the CUDA probe.

use super::convert::{raise, PyResult};
use crate::lang::value::{Args, Value};
use crate::lang::Exception;
use crate::tensor::cuda::{self, cuda_status, CudaStatus};
use crate::tensor::{Device, Tensor};

/// Why CUDA cannot be used here, or None when it can.
pub fn cuda_unavailable_reason() -> Option<String> {
    match cuda_status() {
        CudaStatus::Unavailable(reason) => Some(reason.clone()),
        CudaStatus::Available { .. } => None,
    }
}

pub fn cuda_available() -> bool {
    cuda::is_available()
}

/// `x.to(device)`: `x` itself when it is there already.
pub fn move_to(x: &Tensor, device: Device) -> PyResult<Tensor> {
    x.to_device(device).map_err(raise)
}

/// Checks that tensors can be made on `device` (`set_default_device`,
/// `--device`), with the same error `.to(device)` gives.
pub fn check(device: Device) -> PyResult<()> {
    cuda::errors::check_device(device).map_err(raise)
}

/// `torch.cuda.name(...)`.
pub fn call_cuda(name: &str, args: &Args) -> PyResult<Value> {
    match name {
        "is_available" => Ok(Value::Bool(cuda_available())),
        "device_count" => Ok(Value::Int(cuda::device_count() as i64)),
        "get_device_name" => match cuda_status() {
            CudaStatus::Available { name, .. } => {
                let a = args.bind("get_device_name", &["device"], 0)?;
                if let Some(d) = a[0].as_ref().filter(|d| !matches!(d, Value::None)) {
                    let dev = match d {
                        Value::Int(i) => Device::Cuda((*i).max(0) as usize),
                        other => super::convert::as_device(other)?,
                    };
                    check(dev)?;
                }
                Ok(Value::str(name.clone()))
            }
            CudaStatus::Unavailable(reason) => Err(raise(cuda::errors::cuda_unavailable(reason))),
        },
        // CUDA tensors draw from the CPU generator (see the README), so the
        // CUDA seeds have nothing to seed; PyTorch accepts them without a GPU.
        "manual_seed" | "manual_seed_all" => {
            args.bind(name, &["seed"], 1)?;
            Ok(Value::None)
        }
        "seed" | "seed_all" | "empty_cache" => {
            args.bind(name, &[], 0)?;
            Ok(Value::None)
        }
        "synchronize" => {
            if cuda_available() {
                cuda::synchronize().map_err(raise)?;
            }
            Ok(Value::None)
        }
        _ => Err(Exception::attribute_error(format!(
            "module 'torch.cuda' has no attribute '{name}'"
        ))),
    }
}

/// The names `torch.cuda` offers.
pub const CUDA_FUNCTIONS: &[&str] = &[
    "is_available",
    "device_count",
    "get_device_name",
    "synchronize",
    "manual_seed",
    "manual_seed_all",
    "seed",
    "seed_all",
    "empty_cache",
];

/// `torch._C._nn._parse_to(*args, **kwargs)`, what `Module.to` takes apart:
/// `(device, dtype, non_blocking, memory_format)` from a device, a dtype, a
/// tensor (its device and dtype) and the keywords of `Tensor.to`.
pub fn parse_to(args: &Args) -> PyResult<Value> {
    use super::convert::{as_dtype, as_tensor, DTypeObj, DeviceObj};
    let (mut device, mut dtype, mut non_blocking) = (None, None, false);
    let keywords = args.keywords.iter().map(|(k, v)| (Some(k.as_str()), v));
    for (key, v) in args.positional.iter().map(|v| (None, v)).chain(keywords) {
        if let (None, Some(t)) = (key, as_tensor(v)) {
            (device, dtype) = (Some(t.device()), Some(t.dtype()));
            continue;
        }
        match (key, v) {
            (_, Value::None) | (Some("memory_format" | "copy"), _) => {}
            (None | Some("non_blocking"), Value::Bool(b)) => non_blocking = *b,
            (None | Some("dtype"), v) if as_dtype(v).is_ok() => dtype = as_dtype(v).ok(),
            (None | Some("device"), Value::Int(i)) => {
                device = Some(Device::Cuda((*i).max(0) as usize))
            }
            (None | Some("device"), v) => device = Some(super::convert::as_device(v)?),
            (Some(other), _) => {
                return Err(Exception::type_error(format!(
                    "to() got an unexpected keyword argument '{other}'"
                )))
            }
        }
    }
    Ok(Value::tuple(vec![
        device.map_or(Value::None, |d| DeviceObj::of(d).value()),
        dtype.map_or(Value::None, |d| DTypeObj(d).value()),
        Value::Bool(non_blocking),
        Value::None,
    ]))
}

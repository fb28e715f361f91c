//! `torch.backends` (`cudnn` flags as plain attributes, `mps`, `cuda.matmul`)
//! and `torch.accelerator`, as tutorials probe them to pick a device.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::convert::{no_module_attr, to_bool, DeviceObj, PyResult};
use crate::lang::value::{lock, Args, HostObject, NativeFunction, Value};
use crate::lang::Interp;
use crate::tensor::Device;

/// Which module object this is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Module {
    Backends,
    Cudnn,
    Mps,
    Cuda,
    CudaMatmul,
    Accelerator,
}

impl Module {
    pub fn name(self) -> &'static str {
        match self {
            Module::Backends => "torch.backends",
            Module::Cudnn => "torch.backends.cudnn",
            Module::Mps => "torch.backends.mps",
            Module::Cuda => "torch.backends.cuda",
            Module::CudaMatmul => "torch.backends.cuda.matmul",
            Module::Accelerator => "torch.accelerator",
        }
    }

    /// The modules `import` can name.
    pub const IMPORTABLE: [Module; 5] = [
        Module::Backends,
        Module::Cudnn,
        Module::Mps,
        Module::Cuda,
        Module::Accelerator,
    ];
}

/// The attributes a script set on `torch.backends.cudnn`, shared by every
/// handle on the session's module.
pub type Flags = Arc<Mutex<HashMap<String, Value>>>;

/// cuDNN's flags as PyTorch starts them (nnlearn has no cuDNN: they are
/// only remembered).
pub fn default_flags() -> Flags {
    let flags = [
        ("enabled", true),
        ("benchmark", false),
        ("deterministic", false),
        ("allow_tf32", true),
    ];
    Arc::new(Mutex::new(
        flags
            .into_iter()
            .map(|(k, v)| (k.to_string(), Value::Bool(v)))
            .collect(),
    ))
}

pub struct BackendModule {
    pub module: Module,
    pub flags: Flags,
}

impl BackendModule {
    fn sub(&self, module: Module) -> Value {
        Value::host(BackendModule {
            module,
            flags: self.flags.clone(),
        })
    }
}

fn function(name: &'static str, f: fn(&Args) -> PyResult<Value>) -> Value {
    NativeFunction::value(name, move |_: &mut Interp<'_>, args: Args| f(&args))
}

impl HostObject for BackendModule {
    fn type_name(&self) -> String {
        "module".into()
    }
    fn repr(&self) -> String {
        format!("<module '{}'>", self.module.name())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> PyResult<Value> {
        let missing = || no_module_attr(self.module.name(), name);
        Ok(match (self.module, name) {
            (Module::Backends, "cudnn") => self.sub(Module::Cudnn),
            (Module::Backends, "mps") => self.sub(Module::Mps),
            (Module::Backends, "cuda") => self.sub(Module::Cuda),
            (Module::Cuda, "matmul") => self.sub(Module::CudaMatmul),
            (Module::Cuda, "is_built") | (Module::Cudnn, "is_available") => {
                function("is_available", |_| Ok(Value::Bool(super::cuda_available())))
            }
            (Module::Cudnn, "version") => function("version", |_| Ok(Value::None)),
            (Module::Cudnn, _) => lock(&self.flags).get(name).cloned().ok_or_else(missing)?,
            (Module::Mps, "is_available" | "is_built") => {
                function("is_available", |_| Ok(Value::Bool(false)))
            }
            (Module::CudaMatmul, "allow_tf32") => Value::Bool(crate::tensor::cuda::allow_tf32()),
            (Module::Accelerator, "is_available") => {
                function("is_available", |_| Ok(Value::Bool(super::cuda_available())))
            }
            // nnlearn is built with CUDA, as PyTorch's CUDA wheels are: the
            // accelerator is CUDA, available or not.
            (Module::Accelerator, "current_accelerator") => {
                function("current_accelerator", |args| {
                    let a = args.bind("current_accelerator", &["check_available"], 0)?;
                    let check = a[0].as_ref().map_or(Ok(false), to_bool)?;
                    Ok(if check && !super::cuda_available() {
                        Value::None
                    } else {
                        DeviceObj(Device::Cuda(0), false).value()
                    })
                })
            }
            (Module::Accelerator, "device_count") => function("device_count", |_| {
                Ok(Value::Int(if super::cuda_available() {
                    crate::tensor::cuda::device_count() as i64
                } else {
                    0
                }))
            }),
            _ => return Err(missing()),
        })
    }
    fn set_attr(&self, name: &str, value: Value) -> PyResult<()> {
        match self.module {
            Module::CudaMatmul if name == "allow_tf32" => {
                crate::tensor::cuda::set_allow_tf32(to_bool(&value)?);
            }
            _ => {
                lock(&self.flags).insert(name.to_string(), value);
            }
        }
        Ok(())
    }
}

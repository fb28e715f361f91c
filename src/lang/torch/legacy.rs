//! The legacy tensor API tutorials still use: `torch.Tensor(...)` and the
//! typed classes (`torch.FloatTensor`, `torch.LongTensor`, ...), `t.type(T)`,
//! and `torch.autograd.Variable`, which returns a plain tensor.

use std::any::Any;

use super::convert::{
    as_dtype, as_tensor, raise, shape_from_args, tensor_from_data, tensor_value, to_bool, PyResult,
};
use crate::lang::value::{Args, HostObject, Value};
use crate::lang::{Exception, Interp};
use crate::tensor::{DType, Device, Kind, Tensor};

/// `torch.Tensor` (`None`: the default dtype's class, matching every
/// tensor in `isinstance`) or a typed class such as `torch.LongTensor`.
pub struct TensorClass(pub Option<DType>);

/// The typed classes `torch.` offers.
pub const CLASSES: &[(&str, DType)] = &[
    ("FloatTensor", DType::F32),
    ("DoubleTensor", DType::F64),
    ("HalfTensor", DType::F16),
    ("BFloat16Tensor", DType::BF16),
    ("LongTensor", DType::I64),
    ("IntTensor", DType::I32),
    ("ShortTensor", DType::I16),
    ("CharTensor", DType::I8),
    ("ByteTensor", DType::U8),
    ("BoolTensor", DType::Bool),
];

pub fn class(name: &str) -> Option<Value> {
    match name {
        "Tensor" => Some(Value::host(TensorClass(None))),
        _ => CLASSES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| Value::host(TensorClass(Some(*d)))),
    }
}

impl HostObject for TensorClass {
    fn type_name(&self) -> String {
        match self.0 {
            None => "type".into(),
            Some(_) => "tensortype".into(),
        }
    }
    fn repr(&self) -> String {
        match self.0 {
            None => "<class 'torch.Tensor'>".into(),
            Some(d) => format!("<class '{}'>", d.tensor_type_name()),
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn instance_check(&self, value: &Value) -> Option<bool> {
        let t = as_tensor(value);
        Some(match self.0 {
            None => t.is_some(),
            Some(d) => t.is_some_and(|t| t.dtype() == d && t.device().kind() == "cpu"),
        })
    }
    /// `torch.Tensor(2, 3)` (uninitialised in PyTorch; zeros here), `torch.Tensor(t)`
    /// (a new tensor on `t`'s storage),
    /// `torch.Tensor([1, 2])` (the data as this class's dtype), `torch.Tensor()`.
    fn call(&self, _interp: &mut Interp<'_>, args: Args) -> PyResult<Value> {
        let dtype = self.0.unwrap_or(DType::default_of(Kind::Float));
        let name = self.0.map_or("Tensor".to_string(), |d| {
            d.tensor_type_name()
                .trim_start_matches("torch.")
                .to_string()
        });
        if let Some((k, _)) = args.keywords.iter().find(|(k, _)| k != "device") {
            return Err(Exception::type_error(format!(
                "new() received an invalid combination of arguments - got an unexpected keyword argument '{k}'"
            )));
        }
        if let [Some(t)] = args
            .positional
            .iter()
            .map(as_tensor)
            .collect::<Vec<_>>()
            .as_slice()
        {
            if t.dtype() != dtype {
                return Err(Exception::type_error(format!(
                    "expected {} (got {})",
                    dtype.title(),
                    t.dtype().title()
                )));
            }
            return Ok(tensor_value(t.detach()));
        }
        let t = match args.positional.as_slice() {
            [] => Tensor::zeros(&[0], dtype).map_err(raise)?,
            [data @ (Value::List(_) | Value::Tuple(_))] => tensor_from_data(data, Some(dtype))?,
            [Value::Float(_)] | [Value::Str(_)] => {
                return Err(Exception::type_error(format!(
                    "new(): data must be a sequence (got {})",
                    args.positional[0].type_name()
                )))
            }
            sizes => Tensor::zeros(&shape_from_args(sizes, &name)?, dtype).map_err(raise)?,
        };
        Ok(tensor_value(t))
    }
}

/// The target of `t.type(T)`: a dtype, a legacy class, or its name.
pub fn type_arg(v: &Value) -> PyResult<DType> {
    if let Some(TensorClass(Some(d))) = v.as_host::<TensorClass>() {
        return Ok(*d);
    }
    if let Value::Str(s) = v {
        return DType::ALL
            .into_iter()
            .find(|d| d.tensor_type_name() == **s)
            .ok_or_else(|| Exception::value_error(format!("invalid type: '{s}'")));
    }
    as_dtype(v)
}

/// The target of `t.type(T)` with where it puts the tensor: a legacy class
/// or `'torch.XTensor'` is a CPU type, `'torch.cuda.XTensor'` a CUDA one,
/// and a dtype keeps the tensor's device (`None`), as in PyTorch.
pub fn type_target(v: &Value) -> PyResult<(DType, Option<Device>)> {
    if let Value::Str(s) = v {
        if let Some(rest) = s.strip_prefix("torch.cuda.") {
            let d = type_arg(&Value::str(format!("torch.{rest}")))?;
            return Ok((d, Some(Device::Cuda(0))));
        }
        return Ok((type_arg(v)?, Some(Device::Cpu)));
    }
    let class = v.as_host::<TensorClass>().is_some();
    Ok((type_arg(v)?, class.then_some(Device::Cpu)))
}

/// `torch.autograd.Variable(data, requires_grad=False)`: since PyTorch 0.4
/// a plain tensor sharing `data`'s storage.
pub fn variable(args: &Args) -> PyResult<Value> {
    let a = args.bind("Variable", &["data", "requires_grad", "volatile"], 0)?;
    let t = match a[0].as_ref() {
        None => Tensor::zeros(&[0], DType::default_of(Kind::Float)).map_err(raise)?,
        Some(v) => as_tensor(v)
            .ok_or_else(|| {
                Exception::type_error(format!(
                    "Variable data has to be a tensor, but got {}",
                    v.type_name()
                ))
            })?
            .detach(),
    };
    if a[1].as_ref().map_or(Ok(false), to_bool)? {
        t.set_requires_grad(true).map_err(raise)?;
    }
    Ok(tensor_value(t))
}

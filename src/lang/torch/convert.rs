//! Conversions between language values and tensor-engine types, and the small
//! host objects PyTorch exposes (`torch.float32`, `torch.Size`, devices, ...).

use std::any::Any;
use std::sync::Arc;

use super::tensor_obj::TensorObj;
use crate::lang::ast::CmpOp;
use crate::lang::interp::collect;
use crate::lang::value::{lock, HostObject, Value};
use crate::lang::Exception;
use crate::tensor::{DType, Device, Kind, Scalar, Tensor, TensorError};

/// A tensor-engine error as the Python exception PyTorch raises.
pub fn raise(e: TensorError) -> Exception {
    match e {
        TensorError::Interrupted => Exception::keyboard_interrupt(),
        other => Exception::new(other.class(), other.to_string()),
    }
}

pub type PyResult<T> = Result<T, Exception>;

pub fn tensor_value(t: Tensor) -> Value {
    Value::host(TensorObj::new(t))
}

pub fn ok_tensor(r: crate::tensor::Result<Tensor>) -> PyResult<Value> {
    r.map(tensor_value).map_err(raise)
}

pub fn as_tensor(v: &Value) -> Option<Tensor> {
    v.as_host::<TensorObj>().map(TensorObj::tensor)
}

pub fn expect_tensor(v: &Value, what: &str) -> PyResult<Tensor> {
    as_tensor(v).ok_or_else(|| {
        Exception::type_error(format!(
            "{what}: argument must be Tensor, not {}",
            v.type_name()
        ))
    })
}

/// A Python number as a scalar, if it is one.
pub fn as_scalar(v: &Value) -> Option<Scalar> {
    match v {
        Value::Bool(b) => Some(Scalar::Bool(*b)),
        Value::Int(i) => Some(Scalar::Int(*i)),
        Value::Float(f) => Some(Scalar::Float(*f)),
        _ => None,
    }
}

/// An operand of an arithmetic op: a tensor, or a number as a wrapped scalar.
pub fn operand(v: &Value) -> Option<Tensor> {
    as_tensor(v).or_else(|| as_scalar(v).map(Tensor::wrapped_scalar))
}

pub fn to_f64(v: &Value, what: &str) -> PyResult<f64> {
    match v {
        Value::Bool(b) => Ok(*b as u8 as f64),
        Value::Int(i) => Ok(*i as f64),
        Value::Float(f) => Ok(*f),
        other => match as_tensor(other) {
            Some(t) if t.numel() == 1 => Ok(t.item().map_err(raise)?.to_f64()),
            _ => Err(Exception::type_error(format!(
                "{what} must be a number, not {}",
                other.type_name()
            ))),
        },
    }
}

pub fn to_i64(v: &Value, what: &str) -> PyResult<i64> {
    match v {
        Value::Bool(b) => Ok(*b as i64),
        Value::Int(i) => Ok(*i),
        other => match as_tensor(other) {
            Some(t) if t.numel() == 1 && !t.dtype().is_float() => match t.item().map_err(raise)? {
                Scalar::Int(i) => Ok(i),
                s => Ok(s.to_f64() as i64),
            },
            _ => Err(Exception::type_error(format!(
                "{what} must be int, not {}",
                other.type_name()
            ))),
        },
    }
}

pub fn to_bool(v: &Value) -> PyResult<bool> {
    crate::lang::ops::truthy(v)
}

pub fn to_usize(v: &Value, what: &str) -> PyResult<usize> {
    let i = to_i64(v, what)?;
    if i < 0 {
        return Err(Exception::runtime_error(format!(
            "Trying to create tensor with negative dimension {i}: [{i}]"
        )));
    }
    Ok(i as usize)
}

/// A list of ints from an int, tuple, list or Size.
pub fn int_list(v: &Value, what: &str) -> PyResult<Vec<i64>> {
    if let Some(s) = v.as_host::<SizeObj>() {
        return Ok(s.0.iter().map(|&d| d as i64).collect());
    }
    match v {
        Value::Int(_) | Value::Bool(_) => Ok(vec![to_i64(v, what)?]),
        Value::List(_) | Value::Tuple(_) => collect(v)?.iter().map(|x| to_i64(x, what)).collect(),
        other => Err(Exception::type_error(format!(
            "{what} must be tuple of ints, not {}",
            other.type_name()
        ))),
    }
}

/// The sizes of `zeros(2, 3)`, `zeros((2, 3))` and `zeros([2, 3])`.
pub fn shape_from_args(args: &[Value], what: &str) -> PyResult<Vec<usize>> {
    let dims = match args {
        [single] if !matches!(single, Value::Int(_) | Value::Bool(_)) => int_list(single, what)?,
        many => many
            .iter()
            .map(|v| to_i64(v, what))
            .collect::<PyResult<_>>()?,
    };
    dims.iter()
        .map(|&d| {
            if d < 0 {
                Err(Exception::runtime_error(format!(
                    "Trying to create tensor with negative dimension {d}: {}",
                    shape_text(&dims)
                )))
            } else {
                Ok(d as usize)
            }
        })
        .collect()
}

fn shape_text(dims: &[i64]) -> String {
    let items: Vec<String> = dims.iter().map(|d| d.to_string()).collect();
    format!("[{}]", items.join(", "))
}

/// `dtype=` values.
pub fn as_dtype(v: &Value) -> PyResult<DType> {
    if let Some(d) = v.as_host::<DTypeObj>() {
        return Ok(d.0);
    }
    match v {
        Value::Type(k) => match k.name() {
            "float" => Ok(DType::F64),
            "int" => Ok(DType::I64),
            "bool" => Ok(DType::Bool),
            _ => Err(bad_dtype(v)),
        },
        _ => Err(bad_dtype(v)),
    }
}

fn bad_dtype(v: &Value) -> Exception {
    Exception::type_error(format!("dtype must be torch.dtype, not {}", v.type_name()))
}

pub fn opt_dtype(v: Option<&Value>) -> PyResult<Option<DType>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => as_dtype(v).map(Some),
    }
}

/// `device=` values: a string or a `torch.device`.
pub fn as_device(v: &Value) -> PyResult<Device> {
    if let Some(d) = v.as_host::<DeviceObj>() {
        return Ok(d.0);
    }
    match v {
        Value::Str(s) => Device::parse(s).map_err(raise),
        other => Err(Exception::type_error(format!(
            "device must be str or torch.device, not {}",
            other.type_name()
        ))),
    }
}

/// The nested list/tuple/number data of `torch.tensor(data)`.
pub fn tensor_from_data(data: &Value, dtype: Option<DType>) -> PyResult<Tensor> {
    if let Some(t) = as_tensor(data) {
        let t = t.detach().clone_tensor().map_err(raise)?;
        return match dtype {
            Some(d) => t.to_dtype(d).map_err(raise),
            None => Ok(t),
        };
    }
    let mut shape = Vec::new();
    let mut flat = Vec::new();
    flatten(data, 0, &mut shape, &mut flat)?;
    let inferred = flat.iter().map(|s| s.dtype()).reduce(DType::promote);
    let dtype = dtype.or(inferred).unwrap_or(DType::default_of(Kind::Float));
    Tensor::from_scalars(&flat, &shape, dtype).map_err(raise)
}

fn flatten(v: &Value, depth: usize, shape: &mut Vec<usize>, out: &mut Vec<Scalar>) -> PyResult<()> {
    if let Some(s) = as_scalar(v) {
        if depth < shape.len() {
            return Err(Exception::value_error(format!(
                "expected sequence of length {} at dim {depth} (got {})",
                shape[depth],
                v.type_name()
            )));
        }
        out.push(s);
        return Ok(());
    }
    if let Some(t) = as_tensor(v) {
        if t.numel() == 1 && t.dim() == 0 {
            out.push(t.item().map_err(raise)?);
            return Ok(());
        }
        let items: Vec<Value> = (0..t.shape().first().copied().unwrap_or(0))
            .map(|i| t.select(0, i as i64).map(tensor_value))
            .collect::<crate::tensor::Result<_>>()
            .map_err(raise)?;
        return flatten(&Value::list(items), depth, shape, out);
    }
    let items = match v {
        Value::List(l) => lock(l).clone(),
        Value::Tuple(t) => t.to_vec(),
        Value::BigInt(_) => {
            return Err(Exception::value_error("Overflow when unpacking long long"))
        }
        other => {
            return Err(Exception::type_error(format!(
                "new(): invalid data type '{}'",
                other.type_name()
            )))
        }
    };
    if depth == shape.len() {
        if !out.is_empty() {
            return Err(Exception::value_error(format!(
                "expected sequence of length {} at dim {depth} (got {})",
                shape.get(depth).copied().unwrap_or(0),
                items.len()
            )));
        }
        shape.push(items.len());
    } else if shape[depth] != items.len() {
        return Err(Exception::value_error(format!(
            "expected sequence of length {} at dim {depth} (got {})",
            shape[depth],
            items.len()
        )));
    }
    for item in &items {
        flatten(item, depth + 1, shape, out)?;
    }
    Ok(())
}

/// Nested Python lists of a tensor's values (`tolist()`).
pub fn to_list(t: &Tensor) -> PyResult<Value> {
    fn build(values: &[Value], shape: &[usize]) -> Value {
        match shape {
            [] => values.first().cloned().unwrap_or(Value::None),
            [n] => Value::list(values[..*n].to_vec()),
            [n, rest @ ..] => {
                let chunk: usize = rest.iter().product();
                Value::list((0..*n).map(|i| build(&values[i * chunk..], rest)).collect())
            }
        }
    }
    let values: Vec<Value> = match t.dtype().kind() {
        Kind::Bool => t
            .to_vec::<bool>()
            .map(|v| v.into_iter().map(Value::Bool).collect()),
        Kind::Int => t
            .to_vec::<i64>()
            .map(|v| v.into_iter().map(Value::Int).collect()),
        Kind::Float => t
            .to_vec::<f64>()
            .map(|v| v.into_iter().map(Value::Float).collect()),
    }
    .map_err(raise)?;
    Ok(build(&values, t.shape()))
}

/// A scalar as a Python number.
pub fn scalar_value(s: Scalar) -> Value {
    match s {
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::Int(i),
        Scalar::Float(f) => Value::Float(f),
    }
}

macro_rules! simple_host {
    ($ty:ident, $name:expr) => {
        impl $ty {
            pub fn value(self) -> Value {
                Value::Host(Arc::new(self))
            }
        }
    };
}

/// `torch.float32` and friends.
pub struct DTypeObj(pub DType);
simple_host!(DTypeObj, "dtype");

impl HostObject for DTypeObj {
    fn type_name(&self) -> String {
        "dtype".into()
    }
    fn qualified_type_name(&self) -> String {
        "torch.dtype".into()
    }
    fn repr(&self) -> String {
        self.0.torch_name().into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> PyResult<Value> {
        match name {
            "is_floating_point" => Ok(Value::Bool(self.0.is_float())),
            "is_signed" => Ok(Value::Bool(!matches!(self.0, DType::Bool | DType::U8))),
            "is_complex" => Ok(Value::Bool(false)),
            "itemsize" => Ok(Value::Int(self.0.size_in_bytes() as i64)),
            _ => Err(no_attr("torch.dtype", name)),
        }
    }
    fn compare(&self, op: CmpOp, other: &Value, _reflected: bool) -> Option<PyResult<Value>> {
        let same = other.as_host::<DTypeObj>().map(|o| o.0 == self.0);
        match op {
            CmpOp::Eq => Some(Ok(Value::Bool(same.unwrap_or(false)))),
            CmpOp::Ne => Some(Ok(Value::Bool(!same.unwrap_or(false)))),
            _ => None,
        }
    }
}

/// `torch.device('cpu')`. The flag says whether the CUDA index shows:
/// `torch.device('cuda')` prints as `device(type='cuda')`, a tensor's
/// `.device` as `device(type='cuda', index=0)`.
pub struct DeviceObj(pub Device, pub bool);

impl DeviceObj {
    /// A tensor's device, index included.
    pub fn of(device: Device) -> DeviceObj {
        DeviceObj(device, true)
    }
}
simple_host!(DeviceObj, "device");

impl HostObject for DeviceObj {
    fn type_name(&self) -> String {
        "device".into()
    }
    fn qualified_type_name(&self) -> String {
        "torch.device".into()
    }
    fn repr(&self) -> String {
        match self.0 {
            Device::Cuda(i) if self.1 => format!("device(type='cuda', index={i})"),
            d => format!("device(type='{}')", d.kind()),
        }
    }
    fn str(&self) -> String {
        match self.0 {
            Device::Cuda(_) if self.1 => self.0.to_string(),
            d => d.kind().to_string(),
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> PyResult<Value> {
        match name {
            "type" => Ok(Value::str(self.0.kind())),
            "index" => Ok(match self.0 {
                Device::Cuda(i) if self.1 => Value::Int(i as i64),
                _ => Value::None,
            }),
            _ => Err(no_attr("torch.device", name)),
        }
    }
    fn compare(&self, op: CmpOp, other: &Value, _reflected: bool) -> Option<PyResult<Value>> {
        let same = match other {
            Value::Str(s) => Device::parse(s).map(|d| d == self.0).unwrap_or(false),
            o => o
                .as_host::<DeviceObj>()
                .map(|d| d.0 == self.0)
                .unwrap_or(false),
        };
        match op {
            CmpOp::Eq => Some(Ok(Value::Bool(same))),
            CmpOp::Ne => Some(Ok(Value::Bool(!same))),
            _ => None,
        }
    }
}

/// `torch.Size([2, 3])`: a tuple of ints.
pub struct SizeObj(pub Vec<usize>);
simple_host!(SizeObj, "Size");

impl SizeObj {
    fn items(&self) -> Vec<Value> {
        self.0.iter().map(|&d| Value::Int(d as i64)).collect()
    }
}

impl HostObject for SizeObj {
    fn type_name(&self) -> String {
        "Size".into()
    }
    fn qualified_type_name(&self) -> String {
        "torch.Size".into()
    }
    fn repr(&self) -> String {
        let items: Vec<String> = self.0.iter().map(|d| d.to_string()).collect();
        format!("torch.Size([{}])", items.join(", "))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> PyResult<Value> {
        match name {
            "numel" => {
                let n: usize = self.0.iter().product();
                Ok(crate::lang::NativeFunction::value("numel", move |_, _| {
                    Ok(Value::Int(n as i64))
                }))
            }
            _ => Err(no_attr("torch.Size", name)),
        }
    }
    fn get_item(&self, index: &Value) -> PyResult<Value> {
        match index {
            Value::Slice(_) => {
                let t = Value::tuple(self.items());
                let sliced = crate::lang::index::get_item(&t, index)?;
                let dims = collect(&sliced)?
                    .iter()
                    .map(|v| to_usize(v, "Size"))
                    .collect::<PyResult<_>>()?;
                Ok(SizeObj(dims).value())
            }
            _ => crate::lang::index::get_item(&Value::tuple(self.items()), index),
        }
    }
    fn iterate(&self) -> Option<PyResult<Vec<Value>>> {
        Some(Ok(self.items()))
    }
    fn length(&self) -> Option<PyResult<usize>> {
        Some(Ok(self.0.len()))
    }
    fn compare(&self, op: CmpOp, other: &Value, _reflected: bool) -> Option<PyResult<Value>> {
        let other_dims: Option<Vec<i64>> = match other {
            Value::Tuple(_) => collect(other)
                .ok()
                .map(|v| v.iter().filter_map(|x| to_i64(x, "").ok()).collect()),
            o => o
                .as_host::<SizeObj>()
                .map(|s| s.0.iter().map(|&d| d as i64).collect()),
        };
        let mine: Vec<i64> = self.0.iter().map(|&d| d as i64).collect();
        let same = other_dims.map(|o| o == mine).unwrap_or(false);
        match op {
            CmpOp::Eq => Some(Ok(Value::Bool(same))),
            CmpOp::Ne => Some(Ok(Value::Bool(!same))),
            _ => None,
        }
    }
}

/// `torch.return_types.max(values=..., indices=...)`.
pub struct ReturnTypes {
    pub name: &'static str,
    pub values: Tensor,
    pub indices: Tensor,
}

impl ReturnTypes {
    pub fn value(self) -> Value {
        Value::Host(Arc::new(self))
    }
}

impl HostObject for ReturnTypes {
    fn type_name(&self) -> String {
        self.name.into()
    }
    fn qualified_type_name(&self) -> String {
        format!("torch.return_types.{}", self.name)
    }
    fn repr(&self) -> String {
        format!(
            "torch.return_types.{}(\nvalues={},\nindices={})",
            self.name,
            super::tensor_obj::shown(&self.values),
            super::tensor_obj::shown(&self.indices)
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> PyResult<Value> {
        match name {
            "values" => Ok(tensor_value(self.values.clone())),
            "indices" => Ok(tensor_value(self.indices.clone())),
            _ => Err(no_attr(&self.qualified_type_name(), name)),
        }
    }
    fn get_item(&self, index: &Value) -> PyResult<Value> {
        crate::lang::index::get_item(&Value::tuple(self.pair()), index)
    }
    fn iterate(&self) -> Option<PyResult<Vec<Value>>> {
        Some(Ok(self.pair()))
    }
    fn length(&self) -> Option<PyResult<usize>> {
        Some(Ok(2))
    }
}

impl ReturnTypes {
    fn pair(&self) -> Vec<Value> {
        vec![
            tensor_value(self.values.clone()),
            tensor_value(self.indices.clone()),
        ]
    }
}

/// `module 'torch' has no attribute 'x'`.
pub fn no_module_attr(module: &str, name: &str) -> Exception {
    Exception::attribute_error(format!("module '{module}' has no attribute '{name}'"))
}

pub fn no_attr(type_name: &str, name: &str) -> Exception {
    Exception::attribute_error(format!("'{type_name}' object has no attribute '{name}'"))
}

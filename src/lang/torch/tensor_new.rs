//! `Tensor.new_ones` / `new_zeros` / `new_full` / `new_empty` /
//! `new_tensor`: tensors with this one's dtype and device unless told.

use super::convert::{
    as_scalar, opt_dtype, raise, shape_from_args, tensor_from_data, tensor_value, to_bool, PyResult,
};
use crate::lang::value::{Args, Value};
use crate::lang::Exception;
use crate::tensor::Tensor;

/// The methods this module answers.
pub const METHODS: &[&str] = &[
    "new_ones",
    "new_zeros",
    "new_full",
    "new_empty",
    "new_tensor",
];

/// `x.name(*args)` for a name in [`METHODS`].
pub fn call(x: &Tensor, name: &str, args: &Args) -> PyResult<Value> {
    let mut positional = args.positional.clone();
    let mut keywords = Vec::new();
    let (mut dtype, mut device, mut requires_grad) = (None, None, false);
    for (k, v) in &args.keywords {
        match k.as_str() {
            "dtype" => dtype = opt_dtype(Some(v))?,
            "device" => device = Some(v.clone()),
            "requires_grad" => requires_grad = to_bool(v)?,
            "layout" | "pin_memory" => {}
            _ => keywords.push((k.clone(), v.clone())),
        }
    }
    let dtype = dtype.unwrap_or(x.dtype());
    let take = |positional: &mut Vec<Value>, keywords: &mut Vec<(String, Value)>, key: &str| {
        keywords
            .iter()
            .position(|(k, _)| k == key)
            .map(|i| keywords.remove(i).1)
            .or_else(|| (!positional.is_empty()).then(|| positional.remove(0)))
    };
    let made = match name {
        "new_tensor" => {
            let data = take(&mut positional, &mut keywords, "data").unwrap_or(Value::None);
            tensor_from_data(&data, Some(dtype))?
        }
        "new_full" => {
            let size = take(&mut positional, &mut keywords, "size").unwrap_or(Value::None);
            let fill = take(&mut positional, &mut keywords, "fill_value");
            let v = fill.as_ref().and_then(as_scalar).ok_or_else(|| {
                Exception::type_error("new_full(): argument 'fill_value' must be Number")
            })?;
            let shape = shape_from_args(std::slice::from_ref(&size), "size")?;
            Tensor::full(&shape, v, dtype).map_err(raise)?
        }
        _ => {
            if let Some(i) = keywords.iter().position(|(k, _)| k == "size") {
                positional.push(keywords.remove(i).1);
            }
            let shape = shape_from_args(&positional, "size")?;
            positional.clear();
            let fill = if name == "new_ones" { 1 } else { 0 };
            Tensor::full(&shape, crate::tensor::Scalar::Int(fill), dtype).map_err(raise)?
        }
    };
    if let Some((k, _)) = keywords.first() {
        return Err(Exception::type_error(format!(
            "{name}() got an unexpected keyword argument '{k}'"
        )));
    }
    if !positional.is_empty() {
        return Err(Exception::type_error(format!(
            "{name}() received an invalid combination of arguments"
        )));
    }
    let target = match &device {
        Some(d) => super::convert::as_device(d)?,
        None => x.device(),
    };
    let made = super::device::move_to(&made, target)?;
    if requires_grad {
        super::functions::request_grad(&made)?;
    }
    Ok(tensor_value(made))
}

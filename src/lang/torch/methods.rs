//! Tensor methods (`x.sum(dim=0)`), shared with the `torch.f(x, ...)` functions.

use super::convert::{
    as_device, as_dtype, as_tensor, expect_tensor, int_list, ok_tensor, operand, opt_dtype, raise,
    scalar_value, tensor_value, to_bool, to_f64, to_i64, to_list, PyResult, ReturnTypes, SizeObj,
};
use crate::lang::value::{Args, Value};
use crate::lang::{Exception, Interp};
use crate::tensor::{BinaryOp, DType, Device, NormOrd, Scalar, Tensor, UnaryOp};

/// Every method name `call` understands.
const METHODS: &[&str] = &[
    "size",
    "dim",
    "numel",
    "nelement",
    "item",
    "tolist",
    "reshape",
    "view",
    "view_as",
    "reshape_as",
    "unsqueeze",
    "squeeze",
    "flatten",
    "unflatten",
    "transpose",
    "permute",
    "t",
    "expand",
    "expand_as",
    "repeat",
    "clone",
    "contiguous",
    "detach",
    "chunk",
    "split",
    "narrow",
    "float",
    "double",
    "long",
    "int",
    "short",
    "char",
    "byte",
    "half",
    "bfloat16",
    "bool",
    "to",
    "type",
    "cpu",
    "cuda",
    "abs",
    "neg",
    "exp",
    "log",
    "log1p",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "relu",
    "sign",
    "round",
    "floor",
    "ceil",
    "trunc",
    "fix",
    "frac",
    "log10",
    "log2",
    "exp2",
    "floor_",
    "ceil_",
    "trunc_",
    "frac_",
    "log_",
    "sqrt_",
    "divide",
    "is_signed",
    "square",
    "clamp",
    "clamp_min",
    "clamp_max",
    "clip",
    "pow",
    "add",
    "sub",
    "mul",
    "div",
    "true_divide",
    "floor_divide",
    "remainder",
    "maximum",
    "minimum",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "logical_and",
    "logical_or",
    "logical_not",
    "isnan",
    "isinf",
    "isfinite",
    "matmul",
    "mm",
    "mv",
    "dot",
    "outer",
    "bmm",
    "softmax",
    "log_softmax",
    "sum",
    "mean",
    "prod",
    "max",
    "min",
    "argmax",
    "cumsum",
    "select",
    "argmin",
    "std",
    "var",
    "norm",
    "logsumexp",
    "all",
    "any",
    "backward",
    "requires_grad_",
    "retain_grad",
    "zero_",
    "fill_",
    "add_",
    "sub_",
    "mul_",
    "div_",
    "copy_",
    "clamp_",
    "isclose",
    "allclose",
    "equal",
    "is_floating_point",
    "element_size",
    "where",
    "unbind",
    "sub_",
    "detach_",
    "masked_fill",
    "abs_",
    "neg_",
    "exp_",
    "relu_",
    "sigmoid_",
    "tanh_",
    "pow_",
    "t_",
    "is_contiguous",
    "get_device",
    "numpy",
];

/// Tensor attributes that are not methods.
const ATTRIBUTES: &[&str] = &[
    "shape",
    "dtype",
    "device",
    "ndim",
    "T",
    "mT",
    "data",
    "grad",
    "grad_fn",
    "is_leaf",
    "requires_grad",
    "is_cuda",
];

/// Every attribute and method name a tensor has (for completion).
pub fn tensor_members() -> impl Iterator<Item = &'static str> {
    ATTRIBUTES
        .iter()
        .chain(METHODS)
        .chain(FAMILIES.iter().flat_map(|f| f.iter()))
        .copied()
}

/// The method names implemented in modules of their own.
const FAMILIES: &[&[&str]] = &[
    super::sampling::METHODS,
    super::gathers::METHODS,
    super::tensor_new::METHODS,
];

pub fn is_method(name: &str) -> bool {
    METHODS.contains(&name) || FAMILIES.iter().any(|f| f.contains(&name))
}

fn t(v: Tensor) -> PyResult<Value> {
    Ok(tensor_value(v))
}

fn dims_arg(v: Option<&Value>) -> PyResult<Option<Vec<i64>>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => int_list(v, "dim").map(Some),
    }
}

fn flag(v: Option<&Value>, default: bool) -> PyResult<bool> {
    v.map_or(Ok(default), to_bool)
}

fn opt_f64(v: Option<&Value>, what: &str) -> PyResult<Option<f64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => to_f64(v, what).map(Some),
    }
}

/// The positional ints of `view(2, 3)` / `view((2, 3))`.
fn varargs_ints(args: &Args, what: &str) -> PyResult<Vec<i64>> {
    match args.positional.as_slice() {
        [single] if !matches!(single, Value::Int(_) | Value::Bool(_)) => int_list(single, what),
        many => many.iter().map(|v| to_i64(v, what)).collect(),
    }
}

/// `maximum(): argument 'other' (position 1) must be Tensor, not int`.
pub fn other_not_tensor(name: &str, position: usize, got: Option<&Value>) -> Exception {
    Exception::type_error(format!(
        "{name}(): argument 'other' (position {position}) must be Tensor, not {}",
        got.map_or("NoneType".to_string(), |v| v.type_name())
    ))
}

fn binary_arg(args: &Args, name: &str) -> PyResult<Tensor> {
    let a = args.bind(name, &["other", "alpha"], 1)?;
    let other = a[0].as_ref().map(operand).unwrap_or(None).ok_or_else(|| {
        Exception::type_error(format!(
            "{name}(): argument 'other' must be Tensor or Number"
        ))
    })?;
    match a[1].as_ref() {
        Some(alpha) => other
            .binary_scalar(
                BinaryOp::Mul,
                super::convert::as_scalar(alpha).unwrap_or(Scalar::Int(1)),
            )
            .map_err(raise),
        None => Ok(other),
    }
}

/// `x.name(*args)`.
pub fn call(interp: &mut Interp<'_>, x: &Tensor, name: &str, args: Args) -> PyResult<Value> {
    interp.check_interrupt()?;
    let p = &args.positional;
    match name {
        "size" => {
            let a = args.bind("size", &["dim"], 0)?;
            match a[0].as_ref() {
                None | Some(Value::None) => Ok(SizeObj(x.shape().to_vec()).value()),
                Some(d) => {
                    let d = crate::tensor::layout::wrap_dim(to_i64(d, "dim")?, x.dim())
                        .map_err(raise)?;
                    Ok(Value::Int(x.shape().get(d).copied().unwrap_or(1) as i64))
                }
            }
        }
        "dim" => Ok(Value::Int(x.dim() as i64)),
        "numel" | "nelement" => Ok(Value::Int(x.numel() as i64)),
        "element_size" => Ok(Value::Int(x.dtype().size_in_bytes() as i64)),
        "is_floating_point" => Ok(Value::Bool(x.dtype().is_float())),
        "is_contiguous" => Ok(Value::Bool(x.layout().is_contiguous())),
        "get_device" => Ok(Value::Int(match x.device() {
            Device::Cpu => -1,
            Device::Cuda(i) => i as i64,
        })),
        "item" => Ok(scalar_value(x.item().map_err(raise)?)),
        "tolist" => to_list(x),
        "numpy" => Err(Exception::runtime_error(
            "nnlearn has no NumPy; use .tolist() instead",
        )),
        "reshape" => t(x.reshape(&varargs_ints(&args, "shape")?).map_err(raise)?),
        "view" => {
            if let [v] = p.as_slice() {
                if let Ok(d) = as_dtype(v) {
                    if d != x.dtype() {
                        return Err(Exception::runtime_error("nnlearn cannot reinterpret a tensor's bytes as another dtype; use .to(dtype)"));
                    }
                    return t(x.clone());
                }
            }
            t(x.view(&varargs_ints(&args, "shape")?).map_err(raise)?)
        }
        "view_as" | "reshape_as" => {
            let o = expect_tensor(p.first().unwrap_or(&Value::None), name)?;
            let shape: Vec<i64> = o.shape().iter().map(|&d| d as i64).collect();
            let r = if name == "view_as" {
                x.view(&shape)
            } else {
                x.reshape(&shape)
            };
            ok_tensor(r)
        }
        "unsqueeze" => {
            let a = args.bind("unsqueeze", &["dim"], 1)?;
            ok_tensor(x.unsqueeze(to_i64(a[0].as_ref().unwrap_or(&Value::None), "dim")?))
        }
        "squeeze" => {
            let a = args.bind("squeeze", &["dim"], 0)?;
            let d = match a[0].as_ref() {
                None | Some(Value::None) => None,
                Some(v) => Some(to_i64(v, "dim")?),
            };
            ok_tensor(x.squeeze(d))
        }
        "unflatten" => {
            let a = args.bind("unflatten", &["dim", "sizes"], 2)?;
            let dim = to_i64(a[0].as_ref().unwrap_or(&Value::None), "dim")?;
            let sizes = super::convert::int_list(a[1].as_ref().unwrap_or(&Value::None), "sizes")?;
            ok_tensor(x.unflatten(dim, &sizes))
        }
        "flatten" => {
            let a = args.bind("flatten", &["start_dim", "end_dim"], 0)?;
            let s = a[0].as_ref().map_or(Ok(0), |v| to_i64(v, "start_dim"))?;
            let e = a[1].as_ref().map_or(Ok(-1), |v| to_i64(v, "end_dim"))?;
            ok_tensor(x.flatten(s, e))
        }
        "transpose" => {
            let a = args.bind("transpose", &["dim0", "dim1"], 2)?;
            let d0 = to_i64(a[0].as_ref().unwrap_or(&Value::None), "dim0")?;
            let d1 = to_i64(a[1].as_ref().unwrap_or(&Value::None), "dim1")?;
            ok_tensor(x.transpose(d0, d1))
        }
        "permute" => ok_tensor(x.permute(&varargs_ints(&args, "dims")?)),
        "t" | "t_" => ok_tensor(x.t()),
        "expand" => ok_tensor(x.expand(&varargs_ints(&args, "size")?)),
        "expand_as" => {
            let o = expect_tensor(p.first().unwrap_or(&Value::None), "expand_as")?;
            ok_tensor(x.expand_to(o.shape()))
        }
        "repeat" => {
            let reps: Vec<usize> = varargs_ints(&args, "repeats")?
                .iter()
                .map(|&r| r.max(0) as usize)
                .collect();
            ok_tensor(x.repeat(&reps))
        }
        "clone" => ok_tensor(x.clone_tensor()),
        "contiguous" => ok_tensor(x.contiguous()),
        "detach" | "detach_" => t(x.detach()),
        "chunk" | "split" | "unbind" => split_like(x, name, &args),
        "select" => {
            let a = args.bind("select", &["dim", "index"], 2)?;
            let get = |i: usize, w: &str| to_i64(a[i].as_ref().unwrap_or(&Value::None), w);
            let (dim, index) = (get(0, "dim")?, get(1, "index")?);
            if x.dim() == 0 {
                return Err(raise(crate::tensor::TensorError::Index(
                    "select() cannot be applied to a 0-dim tensor.".into(),
                )));
            }
            let d = crate::tensor::layout::wrap_dim(dim, x.dim()).map_err(raise)?;
            let size = x.shape()[d] as i64;
            if index < -size || index >= size {
                return Err(raise(crate::tensor::TensorError::Index(format!(
                    "select(): index {index} out of range for tensor of size {} at dimension {d}",
                    crate::tensor::layout::shape_list(x.shape())
                ))));
            }
            ok_tensor(x.select(dim, index))
        }
        "narrow" => {
            let a = args.bind("narrow", &["dim", "start", "length"], 3)?;
            let get = |i: usize, w: &str| to_i64(a[i].as_ref().unwrap_or(&Value::None), w);
            ok_tensor(x.narrow(
                get(0, "dim")?,
                get(1, "start")?,
                get(2, "length")?.max(0) as usize,
            ))
        }
        "float" | "double" | "long" | "int" | "short" | "char" | "byte" | "half" | "bfloat16"
        | "bool" => {
            let d = match name {
                "char" => DType::I8,
                "byte" => DType::U8,
                other => DType::from_attr(other).unwrap_or(DType::F32),
            };
            ok_tensor(x.to_dtype(d))
        }
        "type" => {
            let a = args.bind("type", &["dtype", "non_blocking"], 0)?;
            match a[0].as_ref() {
                // A CUDA tensor's class is `torch.cuda.FloatTensor` and so on.
                None | Some(Value::None) => Ok(Value::str(match x.device() {
                    Device::Cpu => x.dtype().tensor_type_name(),
                    Device::Cuda(_) => {
                        x.dtype()
                            .tensor_type_name()
                            .replacen("torch.", "torch.cuda.", 1)
                    }
                })),
                Some(d) => {
                    let (dtype, device) = super::legacy::type_target(d)?;
                    let t = x.to_dtype(dtype).map_err(raise)?;
                    match device {
                        Some(dev) => super::device::move_to(&t, dev).map(tensor_value),
                        None => Ok(tensor_value(t)),
                    }
                }
            }
        }
        "to" => to(x, &args),
        "cpu" => t(super::device::move_to(x, Device::Cpu)?),
        "cuda" => {
            let a = args.bind("cuda", &["device", "non_blocking"], 0)?;
            let dev = match a[0].as_ref() {
                None | Some(Value::None) => Device::Cuda(0),
                Some(Value::Int(i)) => Device::Cuda((*i).max(0) as usize),
                Some(d) => as_device(d)?,
            };
            t(super::device::move_to(x, dev)?)
        }
        "abs" | "neg" | "exp" | "log" | "log1p" | "sqrt" | "sin" | "cos" | "tanh" | "sigmoid"
        | "relu" | "sign" | "floor" | "ceil" | "trunc" | "fix" | "frac" | "log10" | "log2"
        | "exp2" => ok_tensor(x.unary(unary_op(name))),
        "is_signed" => Ok(Value::Bool(!matches!(x.dtype(), DType::Bool | DType::U8))),
        "div" | "divide" | "true_divide" if has_rounding_mode(&args) => {
            let a = args.bind(name, &["other", "rounding_mode"], 1)?;
            let o = a[0].as_ref().and_then(operand).ok_or_else(|| {
                Exception::type_error(format!(
                    "{name}(): argument 'other' must be Tensor or Number"
                ))
            })?;
            match a[1].as_ref() {
                Some(Value::Str(mode)) => {
                    let mode = crate::tensor::Rounding::parse(mode).map_err(raise)?;
                    ok_tensor(x.div_rounded(&o, mode))
                }
                _ => ok_tensor(x.div(&o)),
            }
        }
        _ if super::gathers::METHODS.contains(&name) => super::gathers::call(x, name, &args),
        _ if super::tensor_new::METHODS.contains(&name) => super::tensor_new::call(x, name, &args),
        "round" => {
            let a = args.bind("round", &["decimals"], 0)?;
            match a[0].as_ref() {
                None => ok_tensor(x.unary(UnaryOp::Round)),
                Some(d) => {
                    let scale = 10f64.powi(to_i64(d, "decimals")? as i32);
                    ok_tensor(
                        x.mul_s(scale)
                            .and_then(|y| y.unary(UnaryOp::Round))
                            .and_then(|y| y.div_s(scale)),
                    )
                }
            }
        }
        "square" => ok_tensor(x.mul(x)),
        "clamp" | "clip" => {
            let a = args.bind(name, &["min", "max"], 0)?;
            let (lo, hi) = (a[0].as_ref(), a[1].as_ref());
            let x = clamp_input(x, &[lo, hi])?;
            ok_tensor(x.clamp(opt_f64(lo, "min")?, opt_f64(hi, "max")?))
        }
        "clamp_min" | "clamp_max" => {
            let bound = p.first().unwrap_or(&Value::None);
            let x = clamp_input(x, &[Some(bound)])?;
            let v = Some(to_f64(bound, &name[6..])?);
            match name {
                "clamp_min" => ok_tensor(x.clamp(v, None)),
                _ => ok_tensor(x.clamp(None, v)),
            }
        }
        "pow" => {
            let a = args.bind("pow", &["exponent"], 1)?;
            let e = a[0].as_ref().and_then(operand).ok_or_else(|| {
                Exception::type_error("pow(): argument 'exponent' must be Tensor or Number")
            })?;
            ok_tensor(x.pow(&e))
        }
        "add" | "sub" => {
            let o = binary_arg(&args, name)?;
            ok_tensor(x.binary(
                if name == "add" {
                    BinaryOp::Add
                } else {
                    BinaryOp::Sub
                },
                &o,
            ))
        }
        "maximum" | "minimum" if p.first().is_none_or(|o| as_tensor(o).is_none()) => {
            Err(other_not_tensor(name, 1, p.first()))
        }
        "mul" | "div" | "divide" | "true_divide" | "floor_divide" | "remainder" | "maximum"
        | "minimum" | "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "logical_and" | "logical_or" => {
            let o = binary_arg(&args, name)?;
            ok_tensor(x.binary(binary_op(name), &o))
        }
        "logical_not" => ok_tensor(x.to_dtype(DType::Bool).and_then(|b| b.logical_not())),
        "isnan" => ok_tensor(x.test_floats(f64::is_nan)),
        "isinf" => ok_tensor(x.test_floats(f64::is_infinite)),
        "isfinite" => ok_tensor(x.test_floats(f64::is_finite)),
        "matmul" | "mm" | "mv" | "dot" | "outer" | "bmm" => {
            let param = match name {
                "mm" | "bmm" => "mat2",
                "mv" => "vec",
                "dot" => "tensor",
                "outer" => "vec2",
                _ => "other",
            };
            let a = args.bind(name, &[param], 1)?;
            let o = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), name)?;
            ok_tensor(match name {
                "matmul" => x.matmul(&o),
                "mm" => x.mm(&o),
                "mv" => x.mv(&o),
                "dot" => x.dot(&o),
                "outer" => x.outer(&o),
                _ => x.bmm(&o),
            })
        }
        "softmax" | "log_softmax" => {
            let a = args.bind(name, &["dim", "dtype"], 1)?;
            let d = to_i64(a[0].as_ref().unwrap_or(&Value::None), "dim")?;
            let src = match opt_dtype(a[1].as_ref())? {
                Some(dt) => x.to_dtype(dt).map_err(raise)?,
                None => x.clone(),
            };
            ok_tensor(src.softmax(d, name == "log_softmax"))
        }
        "sum" | "mean" => {
            let a = args.bind(name, &["dim", "keepdim", "dtype"], 0)?;
            let dims = dims_arg(a[0].as_ref())?;
            let keep = flag(a[1].as_ref(), false)?;
            let dtype = opt_dtype(a[2].as_ref())?;
            let src = match dtype {
                Some(dt) => x.to_dtype(dt).map_err(raise)?,
                None => x.clone(),
            };
            let r = if name == "sum" {
                src.sum(dims.as_deref(), keep)
            } else {
                src.mean(dims.as_deref(), keep)
            };
            // `dtype=` is the result's dtype too (an int8 sum wraps in int8).
            ok_tensor(r.and_then(|r| match dtype {
                Some(dt) => r.to_dtype(dt),
                None => Ok(r),
            }))
        }
        "prod" => {
            let a = args.bind("prod", &["dim", "keepdim"], 0)?;
            let d = match a[0].as_ref() {
                None | Some(Value::None) => None,
                Some(v) => Some(to_i64(v, "dim")?),
            };
            ok_tensor(x.prod(d, flag(a[1].as_ref(), false)?))
        }
        "max" | "min" => max_min(x, name, &args),
        "cumsum" => {
            let a = args.bind("cumsum", &["dim", "dtype"], 1)?;
            let x = match opt_dtype(a[1].as_ref())? {
                Some(d) => x.to_dtype(d).map_err(raise)?,
                None => x.clone(),
            };
            ok_tensor(x.cumsum(to_i64(a[0].as_ref().unwrap_or(&Value::None), "dim")?))
        }
        "argmax" | "argmin" => {
            let a = args.bind(name, &["dim", "keepdim"], 0)?;
            let d = match a[0].as_ref() {
                None | Some(Value::None) => None,
                Some(v) => Some(to_i64(v, "dim")?),
            };
            ok_tensor(x.argmax(d, flag(a[1].as_ref(), false)?, name == "argmax"))
        }
        "std" | "var" => {
            let a = args.bind(name, &["dim", "unbiased", "keepdim", "correction"], 0)?;
            let (dim_v, unbiased_v) = match a[0].as_ref() {
                // x.std(False): the first positional is `unbiased`.
                Some(Value::Bool(b)) => (None, Some(Value::Bool(*b))),
                other => (other.cloned(), a[1].clone()),
            };
            let dims = dims_arg(dim_v.as_ref())?;
            let mut correction = if flag(unbiased_v.as_ref(), true)? {
                1.0
            } else {
                0.0
            };
            if let Some(c) = a[3].as_ref() {
                if !matches!(c, Value::None) {
                    correction = to_f64(c, "correction")?;
                }
            }
            let keep = flag(a[2].as_ref(), false)?;
            ok_tensor(if name == "std" {
                x.std(dims.as_deref(), correction, keep)
            } else {
                x.var(dims.as_deref(), correction, keep)
            })
        }
        "norm" => {
            let a = args.bind("norm", &["p", "dim", "keepdim", "dtype"], 0)?;
            let ord = norm_ord(a[0].as_ref())?;
            ok_tensor(x.norm(
                ord,
                dims_arg(a[1].as_ref())?.as_deref(),
                flag(a[2].as_ref(), false)?,
            ))
        }
        "logsumexp" => {
            let a = args.bind("logsumexp", &["dim", "keepdim"], 1)?;
            let dims = dims_arg(a[0].as_ref())?.unwrap_or_default();
            ok_tensor(x.logsumexp(&dims, flag(a[1].as_ref(), false)?))
        }
        "all" | "any" => {
            let a = args.bind(name, &["dim", "keepdim"], 0)?;
            let d = match a[0].as_ref() {
                None | Some(Value::None) => None,
                Some(v) => Some(to_i64(v, "dim")?),
            };
            ok_tensor(x.all_any(d, flag(a[1].as_ref(), false)?, name == "all"))
        }
        "backward" => {
            let a = args.bind(
                "backward",
                &["gradient", "retain_graph", "create_graph", "inputs"],
                0,
            )?;
            let g = match a[0].as_ref() {
                None | Some(Value::None) => None,
                Some(v) => Some(expect_tensor(v, "gradient")?),
            };
            let retain = flag(a[1].as_ref(), false)?;
            super::autograd_fn::with_python_backward(interp, |custom| {
                crate::tensor::autograd::backward_with(x, g.as_ref(), retain, custom)
            })?;
            Ok(Value::None)
        }
        "requires_grad_" => {
            let a = args.bind("requires_grad_", &["requires_grad"], 0)?;
            x.set_requires_grad(flag(a[0].as_ref(), true)?)
                .map_err(raise)?;
            t(x.clone())
        }
        "retain_grad" => {
            x.retain_grad().map_err(raise)?;
            Ok(Value::None)
        }
        "zero_" => fill(x, Scalar::Int(0)),
        "fill_" => {
            let v = p
                .first()
                .and_then(super::convert::as_scalar)
                .ok_or_else(|| Exception::type_error("fill_(): argument 'value' must be Number"))?;
            fill(x, v)
        }
        "add_" | "sub_" | "mul_" | "div_" => {
            let o = binary_arg(&args, name)?;
            inplace(x, binary_op(name.trim_end_matches('_')), &o)?;
            t(x.clone())
        }
        "pow_" => {
            let e = p.first().and_then(operand).ok_or_else(|| {
                Exception::type_error("pow_(): argument 'exponent' must be Tensor or Number")
            })?;
            inplace(x, BinaryOp::Pow, &e)?;
            t(x.clone())
        }
        "abs_" | "neg_" | "exp_" | "relu_" | "sigmoid_" | "tanh_" | "clamp_" | "floor_"
        | "ceil_" | "trunc_" | "frac_" | "log_" | "sqrt_" => {
            let base = name.trim_end_matches('_');
            check_inplace(x)?;
            let v = call(interp, x, base, args)?;
            let r = expect_tensor(&v, name)?;
            crate::tensor::no_grad(|| x.copy_(&r)).map_err(raise)?;
            t(x.clone())
        }
        "copy_" => {
            let src = expect_tensor(p.first().unwrap_or(&Value::None), "copy_")?;
            check_inplace(x)?;
            crate::tensor::no_grad(|| x.copy_(&src)).map_err(raise)?;
            t(x.clone())
        }
        _ if super::sampling::METHODS.contains(&name) => {
            super::sampling::call(interp, x, name, args)
        }
        "isclose" | "allclose" => {
            let a = args.bind(name, &["other", "rtol", "atol", "equal_nan"], 1)?;
            let o = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), name)?;
            let rtol = opt_f64(a[1].as_ref(), "rtol")?.unwrap_or(1e-5);
            let atol = opt_f64(a[2].as_ref(), "atol")?.unwrap_or(1e-8);
            let close = x
                .isclose(&o, rtol, atol, flag(a[3].as_ref(), false)?)
                .map_err(raise)?;
            if name == "isclose" {
                t(close)
            } else {
                Ok(Value::Bool(
                    close.to_vec::<bool>().map_err(raise)?.iter().all(|&b| b),
                ))
            }
        }
        "equal" => {
            let a = args.bind("equal", &["other"], 1)?;
            let o = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), "equal")?;
            Ok(Value::Bool(x.equal(&o).map_err(raise)?))
        }
        "where" => {
            let a = args.bind("where", &["condition", "other"], 2)?;
            let c = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), "where")?;
            let o = a[1].as_ref().and_then(operand).ok_or_else(|| {
                Exception::type_error("where(): argument 'other' must be Tensor or Number")
            })?;
            ok_tensor(Tensor::where_(&c, x, &o))
        }
        "masked_fill" => {
            let a = args.bind("masked_fill", &["mask", "value"], 2)?;
            let m = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), "masked_fill")?;
            let v = a[1].as_ref().and_then(operand).ok_or_else(|| {
                Exception::type_error("masked_fill(): argument 'value' must be Number")
            })?;
            let v = v.to_dtype(x.dtype()).map_err(raise)?;
            ok_tensor(Tensor::where_(&m, &v, x))
        }
        _ => Err(super::convert::no_attr("Tensor", name)),
    }
}

fn unary_op(name: &str) -> UnaryOp {
    match name {
        "abs" => UnaryOp::Abs,
        "neg" => UnaryOp::Neg,
        "exp" => UnaryOp::Exp,
        "log" => UnaryOp::Log,
        "log1p" => UnaryOp::Log1p,
        "sqrt" => UnaryOp::Sqrt,
        "sin" => UnaryOp::Sin,
        "cos" => UnaryOp::Cos,
        "tanh" => UnaryOp::Tanh,
        "sigmoid" => UnaryOp::Sigmoid,
        "relu" => UnaryOp::Relu,
        "floor" => UnaryOp::Floor,
        "ceil" => UnaryOp::Ceil,
        "trunc" | "fix" => UnaryOp::Trunc,
        "frac" => UnaryOp::Frac,
        "log10" => UnaryOp::Log10,
        "log2" => UnaryOp::Log2,
        "exp2" => UnaryOp::Exp2,
        _ => UnaryOp::Sign,
    }
}

/// Whether `div` was given a `rounding_mode` (positionally second, or by name).
fn has_rounding_mode(args: &Args) -> bool {
    args.positional.len() > 1 || args.keywords.iter().any(|(k, _)| k == "rounding_mode")
}

fn binary_op(name: &str) -> BinaryOp {
    match name {
        "add" => BinaryOp::Add,
        "sub" => BinaryOp::Sub,
        "mul" => BinaryOp::Mul,
        "div" | "divide" | "true_divide" => BinaryOp::Div,
        "floor_divide" => BinaryOp::FloorDiv,
        "remainder" => BinaryOp::Rem,
        "maximum" => BinaryOp::Maximum,
        "minimum" => BinaryOp::Minimum,
        "eq" => BinaryOp::Eq,
        "ne" => BinaryOp::Ne,
        "lt" => BinaryOp::Lt,
        "le" => BinaryOp::Le,
        "gt" => BinaryOp::Gt,
        "ge" => BinaryOp::Ge,
        "logical_and" => BinaryOp::LogicalAnd,
        _ => BinaryOp::LogicalOr,
    }
}

pub fn norm_ord(v: Option<&Value>) -> PyResult<NormOrd> {
    Ok(match v {
        None | Some(Value::None) => NormOrd::P(2.0),
        Some(Value::Str(s)) if &**s == "fro" => NormOrd::P(2.0),
        Some(Value::Str(s)) => {
            return Err(Exception::runtime_error(format!(
                "linalg.vector_norm: Unsupported norm '{s}'"
            )))
        }
        Some(v) => {
            let p = to_f64(v, "p")?;
            if p == f64::INFINITY {
                NormOrd::Inf
            } else if p == f64::NEG_INFINITY {
                NormOrd::NegInf
            } else {
                NormOrd::P(p)
            }
        }
    })
}

fn max_min(x: &Tensor, name: &str, args: &Args) -> PyResult<Value> {
    let is_max = name == "max";
    let a = args.bind(name, &["dim", "keepdim"], 0)?;
    match a[0].as_ref() {
        None | Some(Value::None) => ok_tensor(x.max_all(is_max)),
        Some(v) if as_tensor(v).is_some() => {
            let o = as_tensor(v).unwrap_or_else(|| x.clone());
            ok_tensor(x.binary(
                if is_max {
                    BinaryOp::Maximum
                } else {
                    BinaryOp::Minimum
                },
                &o,
            ))
        }
        Some(v) => {
            let d = to_i64(v, "dim")?;
            let (values, indices) = x
                .max_dim(d, flag(a[1].as_ref(), false)?, is_max)
                .map_err(raise)?;
            Ok(ReturnTypes {
                name: if is_max { "max" } else { "min" },
                values,
                indices,
            }
            .value())
        }
    }
}

fn split_like(x: &Tensor, name: &str, args: &Args) -> PyResult<Value> {
    let parts = match name {
        "chunk" => {
            let a = args.bind("chunk", &["chunks", "dim"], 1)?;
            let n = to_i64(a[0].as_ref().unwrap_or(&Value::None), "chunks")?.max(0) as usize;
            x.chunk(n, a[1].as_ref().map_or(Ok(0), |v| to_i64(v, "dim"))?)
        }
        "unbind" => {
            let a = args.bind("unbind", &["dim"], 0)?;
            let d = a[0].as_ref().map_or(Ok(0), |v| to_i64(v, "dim"))?;
            let dim = crate::tensor::layout::wrap_dim(d, x.dim()).map_err(raise)?;
            let len = x.shape().get(dim).copied().ok_or_else(|| {
                Exception::index_error(format!(
                    "Dimension specified as {d} but tensor has no dimensions"
                ))
            })?;
            (0..len).map(|i| x.select(d, i as i64)).collect()
        }
        _ => {
            let a = args.bind("split", &["split_size_or_sections", "dim"], 1)?;
            let d = a[1].as_ref().map_or(Ok(0), |v| to_i64(v, "dim"))?;
            match a[0].as_ref() {
                Some(v @ (Value::List(_) | Value::Tuple(_))) => {
                    let sizes: Vec<usize> = int_list(v, "split_size")?
                        .iter()
                        .map(|&s| s.max(0) as usize)
                        .collect();
                    x.split_sizes(&sizes, d)
                }
                Some(v) => x.split(to_i64(v, "split_size")?.max(0) as usize, d),
                None => x.split(1, d),
            }
        }
    }
    .map_err(raise)?;
    Ok(Value::tuple(parts.into_iter().map(tensor_value).collect()))
}

fn to(x: &Tensor, args: &Args) -> PyResult<Value> {
    let mut out = x.clone();
    let mut targets: Vec<&Value> = args.positional.iter().collect();
    for (k, v) in &args.keywords {
        if k == "dtype" || k == "device" {
            targets.push(v);
        }
    }
    for v in targets {
        if let Some(o) = as_tensor(v) {
            out = out.to_dtype(o.dtype()).map_err(raise)?;
            out = super::device::move_to(&out, o.device())?;
        } else if let Ok(d) = as_dtype(v) {
            out = out.to_dtype(d).map_err(raise)?;
        } else if !matches!(v, Value::Bool(_) | Value::None) {
            out = super::device::move_to(&out, as_device(v)?)?;
        }
    }
    t(out)
}

/// `clamp` promotes its input with the bounds as PyTorch's type promotion
/// does: an integer tensor clamped by a float becomes float32, a bool tensor
/// clamped by an int becomes int64.
fn clamp_input(x: &Tensor, bounds: &[Option<&Value>]) -> PyResult<Tensor> {
    let mut operands = vec![x.clone()];
    operands.extend(bounds.iter().flatten().filter_map(|b| {
        as_tensor(b).or_else(|| super::convert::as_scalar(b).map(Tensor::wrapped_scalar))
    }));
    let refs: Vec<&Tensor> = operands.iter().collect();
    x.to_dtype(crate::tensor::result_type(&refs)).map_err(raise)
}

pub fn check_inplace(x: &Tensor) -> PyResult<()> {
    if x.requires_grad() && crate::tensor::is_grad_enabled() {
        if x.is_leaf() {
            return Err(Exception::runtime_error(
                "a leaf Variable that requires grad is being used in an in-place operation.",
            ));
        }
        return Err(Exception::runtime_error(
            "nnlearn does not record in-place operations on tensors that require grad; write `x = x + y` instead of `x += y`",
        ));
    }
    Ok(())
}

/// `x op= other` in place, keeping x's dtype as PyTorch does.
pub fn inplace(x: &Tensor, op: BinaryOp, other: &Tensor) -> PyResult<()> {
    check_inplace(x)?;
    let r = crate::tensor::no_grad(|| x.binary(op, other)).map_err(raise)?;
    let can_cast = r.dtype() == x.dtype()
        || (x.dtype().is_float() && !r.dtype().is_float())
        || (x.dtype().is_float() && r.dtype().is_float());
    if !can_cast
        || (x.dtype() == DType::I64 && r.dtype().is_float())
        || (x.dtype() == DType::Bool && r.dtype() != DType::Bool)
    {
        return Err(Exception::runtime_error(format!(
            "result type {} can't be cast to the desired output type {}",
            crate::tensor::dtype_title(r.dtype()),
            crate::tensor::dtype_title(x.dtype())
        )));
    }
    if r.shape() != x.shape() {
        return Err(Exception::runtime_error(format!(
            "output with shape {} doesn't match the broadcast shape {}",
            crate::tensor::layout::shape_list(x.shape()),
            crate::tensor::layout::shape_list(r.shape())
        )));
    }
    crate::tensor::no_grad(|| x.copy_(&r)).map_err(raise)
}

fn fill(x: &Tensor, v: Scalar) -> PyResult<Value> {
    check_inplace(x)?;
    v.check_fill(x.dtype(), true).map_err(raise)?;
    let src = Tensor::wrapped_scalar(v);
    crate::tensor::no_grad(|| x.copy_(&src)).map_err(raise)?;
    t(x.clone())
}

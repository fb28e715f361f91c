//! The `torch` namespace's own functions (creation, random numbers, autograd),
//! plus `torch.f(x, ...)` forms of tensor methods.

use super::convert::{
    as_scalar, as_tensor, expect_tensor, ok_tensor, opt_dtype, raise, shape_from_args,
    tensor_from_data, tensor_value, to_bool, to_f64, to_i64, PyResult,
};
use super::generator::SharedGenerator;
use super::methods;
use super::tensor_obj::tensor_list;
use super::TorchState;
use crate::lang::interp::collect;
use crate::lang::value::{lock, Args, Value};
use crate::lang::{Exception, Interp};
use crate::tensor::dtype::default_float;
use crate::tensor::{DType, Device, Scalar, Tensor};

/// Names `torch.` offers (for completion and attribute lookup).
pub const FUNCTIONS: &[&str] = &[
    "tensor",
    "as_tensor",
    "zeros",
    "ones",
    "full",
    "empty",
    "eye",
    "arange",
    "linspace",
    "rand",
    "randn",
    "randint",
    "randperm",
    "multinomial",
    "bernoulli",
    "normal",
    "zeros_like",
    "ones_like",
    "full_like",
    "rand_like",
    "randn_like",
    "empty_like",
    "cat",
    "concat",
    "stack",
    "where",
    "is_tensor",
    "numel",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "is_grad_enabled",
    "set_default_device",
    "maximum",
    "minimum",
    "max",
    "min",
    "abs",
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
    "clamp",
    "clip",
    "pow",
    "add",
    "sub",
    "mul",
    "div",
    "neg",
    "square",
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
    "allclose",
    "isclose",
    "equal",
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
    "reshape",
    "flatten",
    "squeeze",
    "unsqueeze",
    "transpose",
    "permute",
    "t",
    "chunk",
    "split",
    "clone",
    "detach",
    "unbind",
    "narrow",
    "floor_divide",
    "remainder",
    "divide",
    "floor",
    "ceil",
    "trunc",
    "fix",
    "frac",
    "log10",
    "log2",
    "exp2",
    "index_select",
    "gather",
    "scatter",
    "scatter_add",
    "is_floating_point",
    "is_signed",
    "true_divide",
    "masked_fill",
];

/// Calls `torch.name(args)`, writing into `out=` where given.
pub fn call(
    state: &TorchState,
    interp: &mut Interp<'_>,
    name: &str,
    args: Args,
) -> PyResult<Value> {
    interp.check_interrupt()?;
    let mut args = args;
    let without_out: &[&[&str]] = &[
        super::dtypes::FUNCTIONS,
        super::generator::FUNCTIONS,
        super::printing::FUNCTIONS,
    ];
    match super::out::take(name, &mut args, without_out)? {
        Some(out) => super::out::write(name, call_plain(state, interp, name, args)?, &out),
        None => call_plain(state, interp, name, args),
    }
}

fn call_plain(
    state: &TorchState,
    interp: &mut Interp<'_>,
    name: &str,
    args: Args,
) -> PyResult<Value> {
    match name {
        "tensor" | "as_tensor" => {
            let a = args.bind(
                name,
                &["data", "dtype", "device", "requires_grad", "pin_memory"],
                1,
            )?;
            let data = a[0].as_ref().unwrap_or(&Value::None);
            let t = tensor_from_data(data, opt_dtype(a[1].as_ref())?)?;
            let t = place(state, t, a[2].as_ref())?;
            if a[3].as_ref().map_or(Ok(false), to_bool)? {
                request_grad(&t)?;
            }
            Ok(tensor_value(t))
        }
        "zeros" | "ones" | "empty" | "rand" | "randn" => {
            let (shape, o) = shape_and_options(&args, name)?;
            let dtype = o.dtype.unwrap_or_else(default_float);
            let t = match name {
                "zeros" | "empty" => Tensor::zeros(&shape, dtype),
                "ones" => Tensor::ones(&shape, dtype),
                "rand" => Tensor::rand(&mut lock(&*o.rng(state, name)?), &shape, dtype),
                _ => Tensor::normal(&mut lock(&*o.rng(state, name)?), &shape, 0.0, 1.0, dtype),
            }
            .map_err(raise)?;
            finish(state, t, &o)
        }
        "randperm" => {
            let (values, o) = split_options(&args, &["n"])?;
            let n = to_i64(values.first().unwrap_or(&Value::None), "n")?;
            if n < 0 {
                return Err(Exception::runtime_error(format!(
                    "Trying to create tensor with negative dimension {n}: [{n}]"
                )));
            }
            let dtype = o.dtype.unwrap_or(DType::I64);
            let t = Tensor::randperm(&mut lock(&*o.rng(state, name)?), n as usize, dtype)
                .map_err(raise)?;
            finish(state, t, &Options { dtype: None, ..o })
        }
        "multinomial" | "bernoulli" => super::sampling::function(interp, name, args),
        "full" => {
            let a = args.bind(
                "full",
                &["size", "fill_value", "dtype", "device", "requires_grad"],
                2,
            )?;
            let shape = shape_from_args(
                std::slice::from_ref(a[0].as_ref().unwrap_or(&Value::None)),
                "size",
            )?;
            let v = a[1].as_ref().and_then(as_scalar).ok_or_else(|| {
                Exception::type_error("full(): argument 'fill_value' must be Number")
            })?;
            let dtype = opt_dtype(a[2].as_ref())?.unwrap_or(v.dtype());
            let t = Tensor::full(&shape, v, dtype).map_err(raise)?;
            finish(
                state,
                t,
                &Options {
                    dtype: Some(dtype),
                    device: a[3].clone(),
                    requires_grad: a[4].as_ref().map_or(Ok(false), to_bool)?,
                    generator: None,
                },
            )
        }
        "eye" => {
            let a = args.bind("eye", &["n", "m", "dtype", "device", "requires_grad"], 1)?;
            let n = to_i64(a[0].as_ref().unwrap_or(&Value::None), "n")?.max(0) as usize;
            let m = match a[1].as_ref() {
                None | Some(Value::None) => n,
                Some(v) => to_i64(v, "m")?.max(0) as usize,
            };
            let dtype = opt_dtype(a[2].as_ref())?.unwrap_or_else(default_float);
            let t = Tensor::eye(n, m, dtype).map_err(raise)?;
            finish(
                state,
                t,
                &Options {
                    dtype: None,
                    device: a[3].clone(),
                    requires_grad: a[4].as_ref().map_or(Ok(false), to_bool)?,
                    generator: None,
                },
            )
        }
        "arange" => {
            let (nums, o) = split_options(&args, &["start", "end", "step"])?;
            let nums: Vec<Scalar> = nums
                .iter()
                .map(|v| {
                    as_scalar(v)
                        .ok_or_else(|| Exception::type_error("arange(): arguments must be numbers"))
                })
                .collect::<PyResult<_>>()?;
            let (start, end, step) = match nums.as_slice() {
                [e] => (Scalar::Int(0), *e, Scalar::Int(1)),
                [s, e] => (*s, *e, Scalar::Int(1)),
                [s, e, st] => (*s, *e, *st),
                _ => {
                    return Err(Exception::type_error(
                        "arange() received an invalid combination of arguments",
                    ))
                }
            };
            let t = Tensor::arange(start, end, step, o.dtype).map_err(raise)?;
            finish(state, t, &Options { dtype: None, ..o })
        }
        "linspace" => {
            let (nums, o) = split_options(&args, &["start", "end", "steps"])?;
            if nums.len() != 3 {
                return Err(Exception::type_error(
                    "linspace() missing required argument 'steps'",
                ));
            }
            let steps = to_i64(&nums[2], "steps")?;
            if steps < 0 {
                return Err(Exception::runtime_error(
                    "linspace(): number of steps must be non-negative",
                ));
            }
            let t = Tensor::linspace(
                to_f64(&nums[0], "start")?,
                to_f64(&nums[1], "end")?,
                steps as usize,
                o.dtype.unwrap_or_else(default_float),
            )
            .map_err(raise)?;
            finish(state, t, &Options { dtype: None, ..o })
        }
        "randint" => {
            let (nums, o) = split_options(&args, &["low", "high", "size"])?;
            let (low, high, size) = match nums.as_slice() {
                [h, s] => (0, to_i64(h, "high")?, s.clone()),
                [l, h, s] => (to_i64(l, "low")?, to_i64(h, "high")?, s.clone()),
                _ => return Err(Exception::type_error("randint() received an invalid combination of arguments - got wrong number of arguments")),
            };
            let shape = shape_from_args(std::slice::from_ref(&size), "size")?;
            let t = Tensor::randint(
                &mut lock(&*o.rng(state, name)?),
                low,
                high,
                &shape,
                o.dtype.unwrap_or(DType::I64),
            )
            .map_err(raise)?;
            finish(state, t, &Options { dtype: None, ..o })
        }
        "normal" => normal(state, &args),
        "zeros_like" | "ones_like" | "rand_like" | "randn_like" | "empty_like" | "full_like" => {
            like(state, name, &args)
        }
        _ if super::generator::FUNCTIONS.contains(&name) => {
            super::generator::call(state, name, &args)
        }
        "cat" | "concat" | "stack" => {
            let a = args.bind(name, &["tensors", "dim"], 1)?;
            let ts = tensor_list(a[0].as_ref().unwrap_or(&Value::None), name)?;
            let d = a[1].as_ref().map_or(Ok(0), |v| to_i64(v, "dim"))?;
            ok_tensor(if name == "stack" {
                Tensor::stack(&ts, d)
            } else {
                Tensor::cat(&ts, d)
            })
        }
        "where" => {
            let a = args.bind("where", &["condition", "input", "other"], 3)?;
            let c = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), "where")?;
            let x = a[1]
                .as_ref()
                .and_then(super::convert::operand)
                .ok_or_else(|| Exception::type_error("where(): argument 'input' must be Tensor"))?;
            let y = a[2]
                .as_ref()
                .and_then(super::convert::operand)
                .ok_or_else(|| Exception::type_error("where(): argument 'other' must be Tensor"))?;
            ok_tensor(Tensor::where_(&c, &x, &y))
        }
        "is_tensor" => Ok(Value::Bool(
            args.positional.first().and_then(as_tensor).is_some(),
        )),
        "numel" => Ok(Value::Int(
            expect_tensor(args.positional.first().unwrap_or(&Value::None), "numel")?.numel() as i64,
        )),
        "no_grad" => Ok(Value::host(super::GradMode::new(false))),
        "enable_grad" => Ok(Value::host(super::GradMode::new(true))),
        "set_grad_enabled" => {
            let on = to_bool(args.positional.first().unwrap_or(&Value::Bool(true)))?;
            Ok(Value::host(super::GradMode::new(on)))
        }
        "is_grad_enabled" => Ok(Value::Bool(crate::tensor::is_grad_enabled())),
        _ if super::dtypes::FUNCTIONS.contains(&name) => super::dtypes::call(name, &args),
        _ if super::printing::FUNCTIONS.contains(&name) => super::printing::call(name, &args),
        "set_default_device" => {
            let d = super::convert::as_device(args.positional.first().unwrap_or(&Value::None))?;
            super::device::check(d)?;
            state.set_default_device(d);
            Ok(Value::None)
        }
        // Every other name here is the function form of a tensor method.
        _ if methods::is_method(name) => {
            let mut args = args;
            let first = take_input(&mut args, name)?;
            let x = match as_tensor(&first) {
                Some(t) => t,
                None => match as_scalar(&first) {
                    // torch.pow(2, t) and similar: a number as the first operand.
                    Some(s) => Tensor::wrapped_scalar(s),
                    None => {
                        return Err(Exception::type_error(format!(
                            "{name}(): argument 'input' (position 1) must be Tensor, not {}",
                            first.type_name()
                        )))
                    }
                },
            };
            if (name == "maximum" || name == "minimum")
                && args
                    .positional
                    .first()
                    .is_none_or(|o| as_tensor(o).is_none())
            {
                return Err(methods::other_not_tensor(name, 2, args.positional.first()));
            }
            if name == "max" || name == "min" {
                if let Some(o) = args.positional.first().and_then(as_tensor) {
                    let op = if name == "max" {
                        crate::tensor::BinaryOp::Maximum
                    } else {
                        crate::tensor::BinaryOp::Minimum
                    };
                    return ok_tensor(x.binary(op, &o));
                }
            }
            methods::call(interp, &x, name, args)
        }
        _ => Err(super::convert::no_module_attr("torch", name)),
    }
}

/// `requires_grad=True` on a factory, whose refusal of a non-float dtype
/// PyTorch words apart from `requires_grad_()`'s.
pub fn request_grad(t: &Tensor) -> PyResult<()> {
    if !t.dtype().is_float() {
        return Err(Exception::runtime_error(
            "Only Tensors of floating point and complex dtype can require gradients",
        ));
    }
    t.set_requires_grad(true).map_err(raise)
}

/// Removes the `input` argument (positional or keyword) from `args`.
fn take_input(args: &mut Args, name: &str) -> PyResult<Value> {
    if !args.positional.is_empty() {
        return Ok(args.positional.remove(0));
    }
    if let Some(i) = args.keywords.iter().position(|(k, _)| k == "input") {
        return Ok(args.keywords.remove(i).1);
    }
    Err(Exception::type_error(format!(
        "{name}() missing 1 required positional arguments: \"input\""
    )))
}

/// `dtype=`, `device=`, `requires_grad=`, `generator=` of the factory functions.
pub struct Options {
    pub dtype: Option<DType>,
    pub device: Option<Value>,
    pub requires_grad: bool,
    pub generator: Option<Value>,
}

impl Options {
    /// The generator to draw from (`generator=`, else the default one).
    fn rng(&self, state: &TorchState, func: &str) -> PyResult<SharedGenerator> {
        super::generator::chosen(state, self.generator.as_ref(), func)
    }
}

/// Positional values (or their keyword forms, by name) and the factory options.
fn split_options(args: &Args, names: &[&str]) -> PyResult<(Vec<Value>, Options)> {
    let mut values = args.positional.clone();
    let mut o = Options {
        dtype: None,
        device: None,
        requires_grad: false,
        generator: None,
    };
    let mut named: Vec<(usize, Value)> = Vec::new();
    for (k, v) in &args.keywords {
        match k.as_str() {
            "dtype" => o.dtype = opt_dtype(Some(v))?,
            "device" => o.device = Some(v.clone()),
            "requires_grad" => o.requires_grad = to_bool(v)?,
            "generator" => o.generator = Some(v.clone()),
            "layout" | "pin_memory" => {}
            other => match names.iter().position(|n| *n == other) {
                Some(i) => named.push((i, v.clone())),
                None => {
                    return Err(Exception::type_error(format!(
                        "got an unexpected keyword argument '{other}'"
                    )))
                }
            },
        }
    }
    named.sort_by_key(|(i, _)| *i);
    for (_, v) in named {
        values.push(v);
    }
    Ok((values, o))
}

fn shape_and_options(args: &Args, name: &str) -> PyResult<(Vec<usize>, Options)> {
    let (values, o) = split_options(args, &["size"])?;
    Ok((shape_from_args(&values, name)?, o))
}

/// `t` on the `device=` given, else on the session's default device.
fn place(state: &TorchState, t: Tensor, device: Option<&Value>) -> PyResult<Tensor> {
    let dev = match device {
        None | Some(Value::None) => state.default_device(),
        Some(d) => super::convert::as_device(d)?,
    };
    super::device::move_to(&t, dev)
}

fn finish(state: &TorchState, t: Tensor, o: &Options) -> PyResult<Value> {
    let t = match o.dtype {
        Some(d) => t.to_dtype(d).map_err(raise)?,
        None => t,
    };
    let t = place(state, t, o.device.as_ref())?;
    if o.requires_grad {
        request_grad(&t)?;
    }
    Ok(tensor_value(t))
}

fn like(state: &TorchState, name: &str, args: &Args) -> PyResult<Value> {
    let (values, o) = split_options(args, &["input", "fill_value"])?;
    let x = expect_tensor(values.first().unwrap_or(&Value::None), name)?;
    let dtype = o.dtype.unwrap_or(x.dtype());
    let shape = x.shape().to_vec();
    // `*_like` results live where `input` does unless `device=` says otherwise.
    let o = Options {
        device: o
            .device
            .or_else(|| Some(super::convert::DeviceObj::of(x.device()).value())),
        ..o
    };
    let t = match name {
        "zeros_like" | "empty_like" => Tensor::zeros(&shape, dtype),
        "ones_like" => Tensor::ones(&shape, dtype),
        "full_like" => {
            let v = values.get(1).and_then(as_scalar).ok_or_else(|| {
                Exception::type_error("full_like(): argument 'fill_value' must be Number")
            })?;
            Tensor::full(&shape, v, dtype)
        }
        "rand_like" => Tensor::rand(&mut lock(&*o.rng(state, name)?), &shape, dtype),
        _ => Tensor::normal(&mut lock(&*o.rng(state, name)?), &shape, 0.0, 1.0, dtype),
    }
    .map_err(raise)?;
    finish(state, t, &Options { dtype: None, ..o })
}

/// `torch.normal(mean, std, size)` with numbers or tensors.
fn normal(state: &TorchState, args: &Args) -> PyResult<Value> {
    let (values, o) = split_options(args, &["mean", "std", "size"])?;
    let mean = values.first().cloned().unwrap_or(Value::Float(0.0));
    let std = values.get(1).cloned().unwrap_or(Value::Float(1.0));
    match (as_tensor(&mean), as_tensor(&std)) {
        (None, None) => {
            let size = values.get(2).ok_or_else(|| {
                Exception::type_error("normal() missing required argument 'size'")
            })?;
            let shape = shape_from_args(std::slice::from_ref(size), "size")?;
            let t = Tensor::normal(
                &mut lock(&*o.rng(state, "normal")?),
                &shape,
                to_f64(&mean, "mean")?,
                to_f64(&std, "std")?,
                o.dtype.unwrap_or_else(default_float),
            )
            .map_err(raise)?;
            finish(state, t, &Options { dtype: None, ..o })
        }
        (Some(m), None) => {
            let s = to_f64(&std, "std")?;
            let z = Tensor::normal(
                &mut lock(&*o.rng(state, "normal")?),
                m.shape(),
                0.0,
                s,
                m.dtype(),
            )
            .and_then(|z| z.to_device(m.device()))
            .map_err(raise)?;
            ok_tensor(z.add(&m))
        }
        (m, s) => {
            let shape = match (&m, &s) {
                (Some(m), Some(s)) => {
                    crate::tensor::layout::broadcast_shapes(m.shape(), s.shape()).map_err(raise)?
                }
                (None, Some(s)) => s.shape().to_vec(),
                _ => vec![],
            };
            let dtype = s.as_ref().map_or_else(default_float, |s| s.dtype());
            // Drawn on the host, then placed with the tensor arguments.
            let device = s
                .as_ref()
                .or(m.as_ref())
                .map_or(Device::Cpu, Tensor::device);
            let z = Tensor::normal(
                &mut lock(&*o.rng(state, "normal")?),
                &shape,
                0.0,
                1.0,
                dtype,
            )
            .and_then(|z| z.to_device(device))
            .map_err(raise)?;
            let scaled = match &s {
                Some(s) => z.mul(s),
                None => Ok(z),
            }
            .map_err(raise)?;
            let mt = match m {
                Some(m) => m,
                None => Tensor::wrapped_scalar(Scalar::Float(to_f64(&mean, "mean")?)),
            };
            ok_tensor(scaled.add(&mt))
        }
    }
}

/// `torch.autograd.grad(outputs, inputs, grad_outputs=None, retain_graph=None)`.
pub fn autograd_grad(interp: &mut Interp<'_>, args: &Args) -> PyResult<Value> {
    let a = args.bind(
        "grad",
        &[
            "outputs",
            "inputs",
            "grad_outputs",
            "retain_graph",
            "create_graph",
            "allow_unused",
        ],
        2,
    )?;
    let out_v = a[0].clone().unwrap_or(Value::None);
    let output = match as_tensor(&out_v) {
        Some(t) => t,
        None => {
            let items = collect(&out_v)?;
            expect_tensor(items.first().unwrap_or(&Value::None), "grad")?
        }
    };
    let in_v = a[1].clone().unwrap_or(Value::None);
    let inputs = match as_tensor(&in_v) {
        Some(t) => vec![t],
        None => tensor_list(&in_v, "grad")?,
    };
    let g = match a[2].as_ref() {
        None | Some(Value::None) => None,
        Some(v) => match as_tensor(v) {
            Some(t) => Some(t),
            None => collect(v)?.first().and_then(as_tensor),
        },
    };
    let retain = a[3].as_ref().map_or(Ok(false), |v| {
        if matches!(v, Value::None) {
            Ok(false)
        } else {
            to_bool(v)
        }
    })?;
    let allow_unused = match a[5].as_ref() {
        None | Some(Value::None) => false,
        Some(v) => to_bool(v)?,
    };
    let grads = super::autograd_fn::with_python_backward(interp, |custom| {
        crate::tensor::autograd::grad_with(
            &output,
            &inputs,
            g.as_ref(),
            retain,
            allow_unused,
            custom,
        )
    })?;
    Ok(Value::tuple(
        grads
            .into_iter()
            .map(|g| g.map_or(Value::None, tensor_value))
            .collect(),
    ))
}

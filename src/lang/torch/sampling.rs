//! Tensor methods that draw random numbers: the in-place fills
//! (`uniform_`, `normal_`, `random_`, `bernoulli_`, `exponential_`),
//! `bernoulli` and `multinomial`, each with its `generator=` argument.

use super::convert::{
    as_tensor, expect_tensor, raise, tensor_value, to_bool, to_f64, to_i64, PyResult,
};
use super::generator::chosen;
use crate::lang::value::{lock, Args, Value};
use crate::lang::{Exception, Interp};
use crate::tensor::Tensor;

/// The methods this module answers.
pub const METHODS: &[&str] = &[
    "uniform_",
    "normal_",
    "random_",
    "bernoulli_",
    "exponential_",
    "bernoulli",
    "multinomial",
];

/// Splits off `generator=` (keyword-only in PyTorch).
fn take_generator(args: &mut Args) -> Option<Value> {
    let i = args.keywords.iter().position(|(k, _)| k == "generator")?;
    Some(args.keywords.remove(i).1)
}

fn opt_number(v: Option<&Value>, default: f64, what: &str) -> PyResult<f64> {
    v.map_or(Ok(default), |v| to_f64(v, what))
}

/// `x.name(*args)` for a name in [`METHODS`].
pub fn call(interp: &mut Interp<'_>, x: &Tensor, name: &str, args: Args) -> PyResult<Value> {
    let state = super::session_state(interp)?;
    let mut args = args;
    let g = chosen(&state, take_generator(&mut args).as_ref(), name)?;
    let mut gen = lock(&g);
    let (shape, dtype) = (x.shape(), x.dtype());
    let fresh = match name {
        "uniform_" => {
            let a = args.bind(name, &["from", "to"], 0)?;
            let (from, to) = (
                opt_number(a[0].as_ref(), 0.0, "from")?,
                opt_number(a[1].as_ref(), 1.0, "to")?,
            );
            if from > to {
                return Err(Exception::runtime_error(format!(
                    "uniform_ expects to return a [from, to) range, but found from={} > to={}",
                    crate::tensor::error::cpp_number(from),
                    crate::tensor::error::cpp_number(to)
                )));
            }
            Tensor::uniform(&mut gen, shape, from, to, dtype)
        }
        "normal_" => {
            let a = args.bind(name, &["mean", "std"], 0)?;
            let mean = opt_number(a[0].as_ref(), 0.0, "mean")?;
            let std = opt_number(a[1].as_ref(), 1.0, "std")?;
            Tensor::normal(&mut gen, shape, mean, std, dtype)
        }
        "exponential_" => {
            let a = args.bind(name, &["lambd"], 0)?;
            Tensor::exponential(
                &mut gen,
                shape,
                opt_number(a[0].as_ref(), 1.0, "lambd")?,
                dtype,
            )
        }
        "random_" => {
            let a = args.bind(name, &["from", "to"], 0)?;
            let int = |v: &Option<Value>, w| match v {
                None | Some(Value::None) => Ok(None),
                Some(v) => to_i64(v, w).map(Some),
            };
            let (from, to) = match (int(&a[0], "from")?, int(&a[1], "to")?) {
                // random_(to): one bound is the upper one.
                (Some(to), None) if a[1].is_none() => (None, Some(to)),
                pair => pair,
            };
            Tensor::random_ints(&mut gen, shape, dtype, from, to)
        }
        "bernoulli_" => {
            let a = args.bind(name, &["p"], 0)?;
            match a[0].as_ref().and_then(as_tensor) {
                Some(p) => p.expand_to(shape).and_then(|p| p.bernoulli(&mut gen)),
                None => Tensor::bernoulli_scalar(
                    &mut gen,
                    shape,
                    opt_number(a[0].as_ref(), 0.5, "p")?,
                    dtype,
                ),
            }
        }
        "bernoulli" => {
            let a = args.bind(name, &["p"], 0)?;
            let drawn = match a[0].as_ref() {
                None | Some(Value::None) => x.bernoulli(&mut gen),
                // Drawn on the host, placed where `x` lives (as `x.bernoulli()`).
                Some(p) => Tensor::bernoulli_scalar(&mut gen, shape, to_f64(p, "p")?, dtype)
                    .and_then(|t| t.to_device(x.device())),
            };
            return super::convert::ok_tensor(drawn);
        }
        _ => {
            let a = args.bind(name, &["num_samples", "replacement"], 1)?;
            let n = to_i64(a[0].as_ref().unwrap_or(&Value::None), "num_samples")?;
            let replacement = a[1].as_ref().map_or(Ok(false), to_bool)?;
            return super::convert::ok_tensor(x.multinomial(&mut gen, n, replacement));
        }
    }
    .map_err(raise)?;
    drop(gen);
    if x.requires_grad() && x.is_leaf() && crate::tensor::is_grad_enabled() {
        return Err(Exception::runtime_error(
            "a leaf Variable that requires grad is being used in an in-place operation.",
        ));
    }
    crate::tensor::no_grad(|| x.copy_(&fresh)).map_err(raise)?;
    Ok(tensor_value(x.clone()))
}

/// `torch.bernoulli(input, ...)` / `torch.multinomial(input, ...)`.
pub fn function(interp: &mut Interp<'_>, name: &str, args: Args) -> PyResult<Value> {
    let mut args = args;
    let input = if args.positional.is_empty() {
        match args.keywords.iter().position(|(k, _)| k == "input") {
            Some(i) => args.keywords.remove(i).1,
            None => Value::None,
        }
    } else {
        args.positional.remove(0)
    };
    let x = expect_tensor(&input, name)?;
    call(interp, &x, name, args)
}

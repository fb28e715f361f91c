//! Python's `math` module (the functions tutorials use), so that `import math` works.

use std::f64::consts;

use indexmap::IndexMap;

use super::builtins::to_float;
use super::exception::Exception;
use super::interp::Interp;
use super::namespace::Namespace;
use super::value::{Args, NativeFunction, Value};

type Unary = fn(f64) -> f64;
type Domain = fn(f64) -> bool;
type Native = fn(&mut Interp<'_>, Args) -> Result<Value, Exception>;

/// Functions of one float that fail outside their domain or on overflow, as CPython's do.
const UNARY: &[(&str, Unary, Domain)] = &[
    ("sqrt", f64::sqrt, |x| x >= 0.0 || x.is_nan()),
    ("exp", f64::exp, |_| true),
    ("log2", f64::log2, |x| x > 0.0 || x.is_nan()),
    ("log10", f64::log10, |x| x > 0.0 || x.is_nan()),
    ("log1p", f64::ln_1p, |x| x > -1.0 || x.is_nan()),
    ("expm1", f64::exp_m1, |_| true),
    ("sin", f64::sin, |x| !x.is_infinite()),
    ("cos", f64::cos, |x| !x.is_infinite()),
    ("tan", f64::tan, |x| !x.is_infinite()),
    ("tanh", f64::tanh, |_| true),
    ("atan", f64::atan, |_| true),
    ("asin", f64::asin, |x| {
        (-1.0..=1.0).contains(&x) || x.is_nan()
    }),
    ("acos", f64::acos, |x| {
        (-1.0..=1.0).contains(&x) || x.is_nan()
    }),
    ("fabs", f64::abs, |_| true),
];

fn arg(args: &Args, name: &str, i: usize) -> Result<f64, Exception> {
    match args.positional.get(i) {
        Some(v) => to_float(v).map_err(|_| {
            Exception::type_error(format!("must be real number, not {}", v.type_name()))
        }),
        None => Err(Exception::type_error(format!(
            "{name}() takes exactly one argument (0 given)"
        ))),
    }
}

fn checked(x: f64, y: f64) -> Result<Value, Exception> {
    if y.is_nan() && !x.is_nan() {
        return Err(Exception::value_error("math domain error"));
    }
    if y.is_infinite() && x.is_finite() {
        return Err(Exception::new("OverflowError", "math range error"));
    }
    Ok(Value::Float(y))
}

fn float_to_int(name: &str, x: f64) -> Result<Value, Exception> {
    if x.is_nan() {
        return Err(Exception::value_error(
            "cannot convert float NaN to integer",
        ));
    }
    if x.is_infinite() || x.abs() >= 9.2e18 {
        return Err(Exception::new(
            "OverflowError",
            format!("cannot convert float infinity to integer in {name}"),
        ));
    }
    Ok(Value::Int(x as i64))
}

/// The `math` module object.
pub fn module() -> Value {
    let mut attrs = IndexMap::new();
    for &(name, f, domain) in UNARY {
        attrs.insert(
            name.to_string(),
            NativeFunction::value(name, move |_: &mut Interp<'_>, args: Args| {
                args.no_keywords(name)?;
                let x = arg(&args, name, 0)?;
                if !domain(x) {
                    return Err(Exception::value_error("math domain error"));
                }
                checked(x, f(x))
            }),
        );
    }
    let natives: [(&str, Native); 8] = [
        ("log", |_, a| {
            let x = arg(&a, "log", 0)?;
            if x <= 0.0 {
                return Err(Exception::value_error("math domain error"));
            }
            match a.positional.get(1) {
                Some(_) => checked(x, x.ln() / arg(&a, "log", 1)?.ln()),
                None => checked(x, x.ln()),
            }
        }),
        ("pow", |_, a| {
            let (x, y) = (arg(&a, "pow", 0)?, arg(&a, "pow", 1)?);
            checked(x + y, x.powf(y))
        }),
        ("atan2", |_, a| {
            Ok(Value::Float(
                arg(&a, "atan2", 0)?.atan2(arg(&a, "atan2", 1)?),
            ))
        }),
        ("floor", |_, a| {
            float_to_int("floor", arg(&a, "floor", 0)?.floor())
        }),
        ("ceil", |_, a| {
            float_to_int("ceil", arg(&a, "ceil", 0)?.ceil())
        }),
        ("isnan", |_, a| {
            Ok(Value::Bool(arg(&a, "isnan", 0)?.is_nan()))
        }),
        ("isinf", |_, a| {
            Ok(Value::Bool(arg(&a, "isinf", 0)?.is_infinite()))
        }),
        ("isclose", |_, a| {
            let opts = Args::new(Vec::new());
            let kw = Args {
                keywords: a.keywords.clone(),
                ..opts
            }
            .bind("isclose", &["rel_tol", "abs_tol"], 0)?;
            let tol = |v: &Option<Value>, d: f64| v.as_ref().map_or(Ok(d), to_float);
            let (rel, abs) = (tol(&kw[0], 1e-9)?, tol(&kw[1], 0.0)?);
            let (x, y) = (arg(&a, "isclose", 0)?, arg(&a, "isclose", 1)?);
            let close = x == y || (x - y).abs() <= (rel * x.abs().max(y.abs())).max(abs);
            Ok(Value::Bool(close))
        }),
    ];
    for (name, f) in natives {
        attrs.insert(name.to_string(), NativeFunction::value(name, f));
    }
    for (name, c) in [
        ("pi", consts::PI),
        ("e", consts::E),
        ("tau", consts::TAU),
        ("inf", f64::INFINITY),
        ("nan", f64::NAN),
    ] {
        attrs.insert(name.to_string(), Value::Float(c));
    }
    Value::host(Namespace::new("math", attrs))
}

//! Python's `math` module: every function and constant of CPython 3.11's, with its results
//! (the same libm calls, its own gamma, fsum and hypot algorithms) and its errors.

mod floats;
mod integers;
mod libm;
mod special;
mod sums;

use std::f64::consts;

use indexmap::IndexMap;

use super::ast::BinOp;
use super::builtins::{float_to_int, int_of};
use super::exception::Exception;
use super::interp::Interp;
use super::namespace::Namespace;
use super::ops;
use super::value::{Args, NativeFunction, Value};
pub(crate) use floats::frexp;

type Native = fn(&mut Interp<'_>, Args) -> Result<Value, Exception>;

/// What a C math function reports through `errno`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Errno {
    /// Invalid argument or pole: `ValueError`.
    Dom,
    /// Overflow (or an underflow, which CPython ignores): `OverflowError`.
    Range,
}

fn domain_error() -> Exception {
    Exception::value_error("math domain error")
}

fn range_error() -> Exception {
    Exception::new("OverflowError", "math range error")
}

/// `PyFloat_AsDouble`: ints, bools, floats, and objects that convert (`float(tensor)`).
fn real(v: &Value) -> Result<f64, Exception> {
    let not_real = || Exception::type_error(format!("must be real number, not {}", v.type_name()));
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(_) | Value::Bool(_) => v.as_float().ok_or_else(not_real),
        Value::Host(h) => h.to_float().unwrap_or_else(|| Err(not_real())),
        _ => Err(not_real()),
    }
}

fn no_keywords(args: &Args, name: &str) -> Result<(), Exception> {
    match args.keywords.is_empty() {
        true => Ok(()),
        false => Err(Exception::type_error(format!(
            "math.{name}() takes no keyword arguments"
        ))),
    }
}

/// The argument of a one-argument function.
fn one<'a>(args: &'a Args, name: &str) -> Result<&'a Value, Exception> {
    no_keywords(args, name)?;
    match args.positional.as_slice() {
        [x] => Ok(x),
        other => Err(Exception::type_error(format!(
            "math.{name}() takes exactly one argument ({} given)",
            other.len()
        ))),
    }
}

/// The arguments of a two-argument function.
fn two<'a>(args: &'a Args, name: &str) -> Result<(&'a Value, &'a Value), Exception> {
    no_keywords(args, name)?;
    match args.positional.as_slice() {
        [x, y] => Ok((x, y)),
        other => Err(Exception::type_error(format!(
            "{name} expected 2 arguments, got {}",
            other.len()
        ))),
    }
}

/// `math_1`'s verdict on `r = f(x)`: a NaN from a non-NaN is a domain error, an infinity
/// from a finite number an overflow (or a domain error, for a pole).
fn checked_1(x: f64, r: f64, can_overflow: bool) -> Result<f64, Exception> {
    if r.is_nan() && !x.is_nan() {
        return Err(domain_error());
    }
    if r.is_infinite() && x.is_finite() {
        return Err(if can_overflow {
            range_error()
        } else {
            domain_error()
        });
    }
    Ok(r)
}

/// `math_2`'s verdict on `r = f(x, y)`.
fn checked_2(x: f64, y: f64, r: f64) -> Result<Value, Exception> {
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return Err(domain_error());
    }
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        return Err(range_error());
    }
    Ok(Value::Float(r))
}

/// `is_error`: what `errno` means for a result (underflows pass).
fn errno_checked((r, errno): (f64, Option<Errno>)) -> Result<Value, Exception> {
    match errno {
        Some(Errno::Dom) => Err(domain_error()),
        Some(Errno::Range) if r.abs() >= 1.5 => Err(range_error()),
        _ => Ok(Value::Float(r)),
    }
}

/// `loghelper`: ints are checked for sign, floats go through libm with `math_1`'s rules.
fn log_of(v: &Value, f: fn(f64) -> f64) -> Result<f64, Exception> {
    match v.as_int() {
        Some(i) if i <= 0 => Err(domain_error()),
        Some(i) => Ok(f(i as f64)),
        None => {
            let x = real(v)?;
            checked_1(x, f(x), false)
        }
    }
}

type Unary = fn(f64) -> f64;

/// Functions of one float, and whether a finite argument can overflow them.
const UNARY: &[(&str, Unary, bool)] = &[
    ("acos", f64::acos, false),
    ("acosh", libm::acosh, false),
    ("asin", f64::asin, false),
    ("asinh", libm::asinh, false),
    ("atan", f64::atan, false),
    ("atanh", libm::atanh, false),
    ("cbrt", libm::cbrt, false),
    ("cos", f64::cos, false),
    ("cosh", f64::cosh, true),
    ("erf", libm::erf, false),
    ("erfc", libm::erfc, false),
    ("exp", f64::exp, true),
    ("exp2", f64::exp2, true),
    ("expm1", f64::exp_m1, true),
    ("fabs", f64::abs, false),
    ("log1p", f64::ln_1p, false),
    ("sin", f64::sin, false),
    ("sinh", f64::sinh, true),
    ("sqrt", f64::sqrt, false),
    ("tan", f64::tan, false),
    ("tanh", f64::tanh, false),
];

/// `floor`, `ceil`, `trunc`: ints stay as they are, floats round to an int.
fn to_integral(args: &Args, name: &str, round: fn(f64) -> f64) -> Result<Value, Exception> {
    let x = one(args, name)?;
    match x {
        Value::Int(_) | Value::Bool(_) => Ok(Value::Int(int_of(x)?)),
        Value::Float(_) | Value::Host(_) => float_to_int(round(real(x)?)),
        other if name == "trunc" => Err(Exception::type_error(format!(
            "type {} doesn't define __trunc__ method",
            other.type_name()
        ))),
        other => float_to_int(round(real(other)?)),
    }
}

fn unary_float(args: &Args, name: &str, f: fn(f64) -> Value) -> Result<Value, Exception> {
    Ok(f(real(one(args, name)?)?))
}

const FUNCTIONS: &[(&str, Native)] = &[
    ("floor", |_, a| to_integral(&a, "floor", f64::floor)),
    ("ceil", |_, a| to_integral(&a, "ceil", f64::ceil)),
    ("trunc", |_, a| to_integral(&a, "trunc", f64::trunc)),
    ("degrees", |_, a| {
        unary_float(&a, "degrees", |x| Value::Float(x * (180.0 / consts::PI)))
    }),
    ("radians", |_, a| {
        unary_float(&a, "radians", |x| Value::Float(x * (consts::PI / 180.0)))
    }),
    ("isfinite", |_, a| {
        unary_float(&a, "isfinite", |x| Value::Bool(x.is_finite()))
    }),
    ("isinf", |_, a| {
        unary_float(&a, "isinf", |x| Value::Bool(x.is_infinite()))
    }),
    ("isnan", |_, a| {
        unary_float(&a, "isnan", |x| Value::Bool(x.is_nan()))
    }),
    ("ulp", |_, a| {
        unary_float(&a, "ulp", |x| Value::Float(floats::ulp(x)))
    }),
    ("frexp", |_, a| {
        unary_float(&a, "frexp", |x| {
            let (m, e) = frexp(x);
            Value::tuple(vec![Value::Float(m), Value::Int(e as i64)])
        })
    }),
    ("modf", |_, a| {
        unary_float(&a, "modf", |x| {
            let (frac, int) = floats::modf(x);
            Value::tuple(vec![Value::Float(frac), Value::Float(int)])
        })
    }),
    ("gamma", |_, a| {
        errno_checked(special::tgamma(real(one(&a, "gamma")?)?))
    }),
    ("lgamma", |_, a| {
        errno_checked(special::lgamma(real(one(&a, "lgamma")?)?))
    }),
    ("log", log),
    ("log2", |_, a| {
        log_of(one(&a, "log2")?, f64::log2).map(Value::Float)
    }),
    ("log10", |_, a| {
        log_of(one(&a, "log10")?, f64::log10).map(Value::Float)
    }),
    ("pow", |_, a| {
        let (x, y) = two(&a, "pow")?;
        match floats::pow(real(x)?, real(y)?) {
            Ok(r) => Ok(Value::Float(r)),
            Err(true) => Err(domain_error()),
            Err(false) => Err(range_error()),
        }
    }),
    ("atan2", |_, a| {
        let (y, x) = two(&a, "atan2")?;
        let (y, x) = (real(y)?, real(x)?);
        checked_2(y, x, floats::atan2(y, x))
    }),
    ("copysign", |_, a| {
        let (x, y) = two(&a, "copysign")?;
        let (x, y) = (real(x)?, real(y)?);
        checked_2(x, y, x.copysign(y))
    }),
    ("remainder", |_, a| {
        let (x, y) = two(&a, "remainder")?;
        let (x, y) = (real(x)?, real(y)?);
        checked_2(x, y, floats::remainder(x, y))
    }),
    ("fmod", |_, a| {
        let (x, y) = two(&a, "fmod")?;
        let (x, y) = (real(x)?, real(y)?);
        checked_2(x, y, floats::fmod(x, y))
    }),
    ("nextafter", |_, a| {
        let (x, y) = two(&a, "nextafter")?;
        Ok(Value::Float(libm::nextafter(real(x)?, real(y)?)))
    }),
    ("ldexp", |_, a| {
        let (x, i) = two(&a, "ldexp")?;
        let x = real(x)?;
        let Some(exp) = i.as_int() else {
            return Err(Exception::type_error(
                "Expected an int as second argument to ldexp.",
            ));
        };
        if x == 0.0 || !x.is_finite() {
            return Ok(Value::Float(x));
        }
        let r = match i32::try_from(exp) {
            Ok(e) => floats::ldexp(x, e),
            Err(_) if exp > 0 => f64::INFINITY,
            Err(_) => 0f64.copysign(x),
        };
        if r.is_infinite() {
            return Err(range_error());
        }
        Ok(Value::Float(r))
    }),
    ("factorial", |_, a| {
        integers::factorial(int_of(one(&a, "factorial")?)?)
    }),
    ("isqrt", |_, a| {
        let n = one(&a, "isqrt")?;
        if let Value::BigInt(b) = &n {
            if num_traits::Signed::is_negative(&**b) {
                return Err(Exception::value_error(
                    "isqrt() argument must be nonnegative",
                ));
            }
            return Ok(crate::lang::ops::bigint::isqrt(b));
        }
        Ok(Value::Int(integers::isqrt(int_of(n)?)?))
    }),
    ("comb", |_, a| {
        let (n, k) = two(&a, "comb")?;
        integers::comb(int_of(n)?, int_of(k)?)
    }),
    ("perm", |_, a| {
        no_keywords(&a, "perm")?;
        match a.positional.as_slice() {
            [n] | [n, Value::None] => integers::factorial(int_of(n)?),
            [n, k] => integers::perm(int_of(n)?, int_of(k)?),
            [] => Err(Exception::type_error(
                "perm expected at least 1 argument, got 0",
            )),
            more => Err(Exception::type_error(format!(
                "perm expected at most 2 arguments, got {}",
                more.len()
            ))),
        }
    }),
    ("gcd", |_, a| {
        if a.positional.iter().any(|v| matches!(v, Value::BigInt(_))) {
            let mut g = num_bigint::BigInt::default();
            for v in &a.positional {
                let x = crate::lang::ops::bigint::to_big(v).ok_or_else(|| {
                    Exception::type_error(format!(
                        "'{}' object cannot be interpreted as an integer",
                        v.type_name()
                    ))
                })?;
                g = num_integer::Integer::gcd(&g, &x);
            }
            return Ok(crate::lang::ops::bigint::normalize(g));
        }
        Ok(Value::Int(integers::gcd(&ints(&a, "gcd")?)?))
    }),
    ("lcm", |_, a| integers::lcm(&ints(&a, "lcm")?)),
    ("fsum", |interp, a| {
        let items = interp.collect(one(&a, "fsum")?)?;
        let values = items.iter().map(real).collect::<Result<Vec<_>, _>>()?;
        Ok(Value::Float(sums::fsum(values)?))
    }),
    ("hypot", |_, a| {
        no_keywords(&a, "hypot")?;
        let coords = a
            .positional
            .iter()
            .map(|v| real(v).map(f64::abs))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Value::Float(norm(&coords)))
    }),
    ("dist", |interp, a| {
        let (p, q) = two(&a, "dist")?;
        let (p, q) = (interp.collect(p)?, interp.collect(q)?);
        if p.len() != q.len() {
            return Err(Exception::value_error(
                "both points must have the same number of dimensions",
            ));
        }
        let mut diffs = Vec::with_capacity(p.len());
        for (px, qx) in p.iter().zip(&q) {
            diffs.push((real(px)? - real(qx)?).abs());
        }
        Ok(Value::Float(norm(&diffs)))
    }),
    ("prod", prod),
    ("isclose", isclose),
];

/// The arguments of `gcd(*integers)` and `lcm(*integers)`.
fn ints(args: &Args, name: &str) -> Result<Vec<i64>, Exception> {
    no_keywords(args, name)?;
    args.positional.iter().map(int_of).collect()
}

/// `vector_norm` of non-negative values.
fn norm(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(0.0, f64::max);
    let found_nan = values.iter().any(|x| x.is_nan());
    sums::vector_norm(values, max, found_nan)
}

fn log(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    if !args.keywords.is_empty() {
        return Err(Exception::type_error("log() takes no keyword arguments"));
    }
    let (x, base) = match args.positional.as_slice() {
        [x] => (x, None),
        [x, base] => (x, Some(base)),
        _ => return Err(Exception::type_error("math.log requires 1 to 2 arguments")),
    };
    let num = log_of(x, f64::ln)?;
    let Some(base) = base else {
        return Ok(Value::Float(num));
    };
    let den = log_of(base, f64::ln)?;
    ops::binary(BinOp::Div, &Value::Float(num), &Value::Float(den))
}

/// `prod(iterable, /, *, start=1)`: `*` from the start value over the items.
fn prod(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let [iterable] = args.positional.as_slice() else {
        return Err(Exception::type_error(format!(
            "prod() takes exactly 1 positional argument ({} given)",
            args.positional.len()
        )));
    };
    if let Some((key, _)) = args.keywords.iter().find(|(k, _)| k != "start") {
        return Err(Exception::type_error(format!(
            "'{key}' is an invalid keyword argument for prod()"
        )));
    }
    let start = args.keywords.iter().find(|(k, _)| k == "start");
    let mut result = start.map_or(Value::Int(1), |(_, v)| v.clone());
    for item in interp.collect(iterable)? {
        result = ops::binary(BinOp::Mul, &result, &item)?;
    }
    Ok(result)
}

/// `isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0)`.
fn isclose(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    const PARAMS: [&str; 4] = ["a", "b", "rel_tol", "abs_tol"];
    if args.positional.len() > 2 {
        return Err(Exception::type_error(format!(
            "isclose() takes exactly 2 positional arguments ({} given)",
            args.positional.len()
        )));
    }
    let mut slots: [Option<&Value>; 4] = [None; 4];
    for (slot, v) in slots.iter_mut().zip(&args.positional) {
        *slot = Some(v);
    }
    for (key, v) in &args.keywords {
        let Some(i) = PARAMS.iter().position(|p| p == key) else {
            return Err(Exception::type_error(format!(
                "'{key}' is an invalid keyword argument for isclose()"
            )));
        };
        if slots[i].is_some() {
            return Err(Exception::type_error(format!(
                "argument for isclose() given by name ('{key}') and position ({})",
                i + 1
            )));
        }
        slots[i] = Some(v);
    }
    let mut values = [0.0, 0.0, 1e-9, 0.0];
    for (i, slot) in slots.iter().enumerate() {
        match slot {
            Some(v) => values[i] = real(v)?,
            None if i < 2 => {
                return Err(Exception::type_error(format!(
                    "isclose() missing required argument '{}' (pos {})",
                    PARAMS[i],
                    i + 1
                )))
            }
            None => {}
        }
    }
    let [a, b, rel_tol, abs_tol] = values;
    if rel_tol < 0.0 || abs_tol < 0.0 {
        return Err(Exception::value_error("tolerances must be non-negative"));
    }
    if a == b {
        return Ok(Value::Bool(true));
    }
    if a.is_infinite() || b.is_infinite() {
        return Ok(Value::Bool(false));
    }
    let diff = (b - a).abs();
    Ok(Value::Bool(
        diff <= (rel_tol * b).abs() || diff <= (rel_tol * a).abs() || diff <= abs_tol,
    ))
}

/// The `math` module object.
pub fn module() -> Value {
    let mut attrs = IndexMap::new();
    for &(name, f, can_overflow) in UNARY {
        attrs.insert(
            name.to_string(),
            NativeFunction::value(name, move |_: &mut Interp<'_>, args: Args| {
                let x = real(one(&args, name)?)?;
                checked_1(x, f(x), can_overflow).map(Value::Float)
            }),
        );
    }
    for &(name, f) in FUNCTIONS {
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

#[cfg(test)]
mod cases;
#[cfg(test)]
mod tests;

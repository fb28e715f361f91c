//! The built-in classes as conversions: int(), float(), str(), list(), dict(), range(), type()...

use super::{int_of, one_arg};
use crate::lang::dict::Dict;
use crate::lang::exception::Exception;
use crate::lang::interp::{collect, Interp};
use crate::lang::repr::repr;
use crate::lang::set::PySet;
use crate::lang::value::{lock, shared, Args, Range, TypeKind, Value};
use std::sync::Arc;

pub(crate) fn float_to_int(f: f64) -> Result<Value, Exception> {
    if f.is_nan() {
        return Err(Exception::value_error(
            "cannot convert float NaN to integer",
        ));
    }
    if f.is_infinite() {
        return Err(Exception::new(
            "OverflowError",
            "cannot convert float infinity to integer",
        ));
    }
    let t = f.trunc();
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&t) {
        return Ok(crate::lang::ops::bigint::from_float(t));
    }
    Ok(Value::Int(t as i64))
}

/// `float(v)` for numbers, numeric strings and hosts that convert.
pub(crate) fn to_float(v: &Value) -> Result<f64, Exception> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::BigInt(b) => crate::lang::ops::bigint::to_f64(b),
        Value::Bool(b) => Ok(*b as i64 as f64),
        Value::Str(s) => parse_float(s).ok_or_else(|| {
            Exception::value_error(format!("could not convert string to float: {}", repr(v)))
        }),
        Value::Host(h) => h.to_float().unwrap_or_else(|| Err(float_arg_error(v))),
        other => Err(float_arg_error(other)),
    }
}

fn float_arg_error(v: &Value) -> Exception {
    Exception::type_error(format!(
        "float() argument must be a string or a real number, not '{}'",
        v.type_name()
    ))
}

fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    let negative = lower.starts_with('-');
    let special = match unsigned {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(x) = special {
        return (lower.len() - unsigned.len() <= 1).then_some(if negative { -x } else { x });
    }
    let valid = single_underscores(t)
        && t.chars()
            .all(|c| c.is_ascii_digit() || "+-.eE_".contains(c));
    if !valid {
        return None;
    }
    t.replace('_', "").parse().ok()
}

/// Numeric text in `int()`/`float()` takes underscores only singly, between digits.
fn single_underscores(t: &str) -> bool {
    !t.is_empty() && !t.starts_with('_') && !t.ends_with('_') && !t.contains("__")
}

fn to_int(v: &Value, base: Option<i64>) -> Result<Value, Exception> {
    match (v, base) {
        (Value::Int(i), None) => Ok(Value::Int(*i)),
        (Value::BigInt(_), None) => Ok(v.clone()),
        (Value::Bool(b), None) => Ok(Value::Int(*b as i64)),
        (Value::Float(f), None) => float_to_int(*f),
        (Value::Str(s), base) => {
            let base = base.unwrap_or(10);
            if !(base == 0 || (2..=36).contains(&base)) {
                return Err(Exception::value_error(
                    "int() base must be >= 2 and <= 36, or 0",
                ));
            }
            parse_int(s.trim(), base as u32).unwrap_or_else(|| {
                Err(Exception::value_error(format!(
                    "invalid literal for int() with base {base}: {}",
                    repr(v)
                )))
            })
        }
        (Value::Host(h), None) => h
            .to_int()
            .map(|r| r.map(Value::Int))
            .unwrap_or_else(|| Err(int_arg_error(v))),
        (_, Some(_)) => Err(Exception::type_error(
            "int() can't convert non-string with explicit base",
        )),
        (other, None) => Err(int_arg_error(other)),
    }
}

/// CPython's `int(text, base)` syntax: a sign, a `0x`/`0o`/`0b` prefix that base 0
/// infers and its own base allows, and single underscores between digits (or after the
/// prefix). Base 0 without a prefix is decimal and refuses leading zeros, as literals do.
fn parse_int(text: &str, base: u32) -> Option<Result<Value, Exception>> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = unsigned.to_ascii_lowercase();
    let prefixed = [("0x", 16), ("0o", 8), ("0b", 2)]
        .into_iter()
        .find(|(p, b)| lower.starts_with(p) && (base == 0 || base == *b));
    let (base, digits) = match prefixed {
        Some((_, b)) => (b, lower[2..].strip_prefix('_').unwrap_or(&lower[2..])),
        None if base == 0 => {
            if lower.len() > 1
                && lower.starts_with('0')
                && !lower.trim_matches(['0', '_']).is_empty()
            {
                return None;
            }
            (10, lower.as_str())
        }
        None => (base, lower.as_str()),
    };
    if !single_underscores(digits) {
        return None;
    }
    let digits = digits.replace('_', "");
    if !digits.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    let magnitude = i64::from_str_radix(&digits, base).ok();
    Some(match magnitude {
        Some(m) if negative => Ok(Value::Int(-m)),
        Some(m) => Ok(Value::Int(m)),
        None => crate::lang::ops::bigint::parse_digits(&digits, base, negative),
    })
}

fn int_arg_error(v: &Value) -> Exception {
    Exception::type_error(format!(
        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
        v.type_name()
    ))
}

/// Key/value pairs from a dict or an iterable of pairs (for `dict(...)` and `update`).
pub(crate) fn dict_pairs(v: &Value) -> Result<Vec<(Value, Value)>, Exception> {
    if let Value::Dict(d) = v {
        return Ok(crate::lang::value::lock(d).items());
    }
    let mut pairs = Vec::new();
    for (i, item) in collect(v)?.into_iter().enumerate() {
        let kv = collect(&item).map_err(|_| {
            Exception::type_error(format!(
                "cannot convert dictionary update sequence element #{i} to a sequence"
            ))
        })?;
        match <[Value; 2]>::try_from(kv) {
            Ok([k, v]) => pairs.push((k, v)),
            Err(kv) => {
                return Err(Exception::value_error(format!(
                    "dictionary update sequence element #{i} has length {}; 2 is required",
                    kv.len()
                )))
            }
        }
    }
    Ok(pairs)
}

fn range(args: &Args) -> Result<Value, Exception> {
    args.no_keywords("range")?;
    let ints: Vec<i64> = args
        .positional
        .iter()
        .map(int_of)
        .collect::<Result<_, _>>()?;
    let (start, stop, step) = match ints.as_slice() {
        [stop] => (0, *stop, 1),
        [start, stop] => (*start, *stop, 1),
        [start, stop, step] => (*start, *stop, *step),
        [] => {
            return Err(Exception::type_error(
                "range expected at least 1 argument, got 0",
            ))
        }
        more => {
            return Err(Exception::type_error(format!(
                "range expected at most 3 arguments, got {}",
                more.len()
            )))
        }
    };
    if step == 0 {
        return Err(Exception::value_error("range() arg 3 must not be zero"));
    }
    Ok(Value::Range(Arc::new(Range { start, stop, step })))
}

/// `slice(stop)`, `slice(start, stop[, step])`: any values, as CPython stores them.
fn slice(args: &Args) -> Result<Value, Exception> {
    args.no_keywords("slice")?;
    let none = || Value::None;
    let parts = match args.positional.as_slice() {
        [stop] => [none(), stop.clone(), none()],
        [start, stop] => [start.clone(), stop.clone(), none()],
        [start, stop, step] => [start.clone(), stop.clone(), step.clone()],
        [] => {
            return Err(Exception::type_error(
                "slice expected at least 1 argument, got 0",
            ))
        }
        more => {
            return Err(Exception::type_error(format!(
                "slice expected at most 3 arguments, got {}",
                more.len()
            )))
        }
    };
    Ok(Value::Slice(Arc::new(parts)))
}

/// Calling a built-in class: `int(x)`, `list(xs)`, `type(x)`...
pub fn construct(interp: &mut Interp<'_>, kind: &TypeKind, args: Args) -> Result<Value, Exception> {
    let name = kind.name();
    let optional = |args: &Args| -> Result<Option<Value>, Exception> {
        args.no_keywords(name)?;
        match args.positional.as_slice() {
            [] => Ok(None),
            [v] => Ok(Some(v.clone())),
            more => Err(Exception::type_error(format!(
                "{name} expected at most 1 argument, got {}",
                more.len()
            ))),
        }
    };
    match kind {
        TypeKind::Int => {
            let a = args.bind("int", &["x", "base"], 0)?;
            let base = a[1].as_ref().map(int_of).transpose()?;
            match &a[0] {
                None => Ok(Value::Int(0)),
                Some(v) => to_int(v, base),
            }
        }
        TypeKind::Float => Ok(Value::Float(match optional(&args)? {
            None => 0.0,
            Some(v) => to_float(&v)?,
        })),
        TypeKind::Str => Ok(Value::str(match optional(&args)? {
            Some(v) => interp.to_str(&v)?,
            None => String::new(),
        })),
        TypeKind::Bool => Ok(Value::Bool(match optional(&args)? {
            None => false,
            Some(v) => interp.truthy(&v)?,
        })),
        TypeKind::List => Ok(Value::list(match optional(&args)? {
            None => Vec::new(),
            Some(v) => interp.collect(&v)?,
        })),
        TypeKind::Tuple => Ok(Value::tuple(match optional(&args)? {
            None => Vec::new(),
            Some(v) => interp.collect(&v)?,
        })),
        TypeKind::Dict => {
            let mut dict = Dict::new();
            let source = optional(&Args::new(args.positional.clone()))?;
            if let Some(v) = source {
                let pairs = match &v {
                    Value::Dict(_) | Value::List(_) | Value::Tuple(_) => dict_pairs(&v)?,
                    other => {
                        let items = Value::list(interp.collect(other)?);
                        dict_pairs(&items)?
                    }
                };
                for (k, v) in pairs {
                    dict.insert(k, v)?;
                }
            }
            for (k, v) in &args.keywords {
                dict.insert(Value::str(k.as_str()), v.clone())?;
            }
            Ok(Value::Dict(shared(dict)))
        }
        TypeKind::Set | TypeKind::FrozenSet => {
            let table = match optional(&args)? {
                None => PySet::new(),
                Some(v) => match &v {
                    Value::Dict(d) => {
                        let mut t = PySet::new();
                        t.update_dict(&lock(d))?;
                        t
                    }
                    _ => match crate::lang::ops::sets::as_set(&v) {
                        Some(t) => {
                            let mut copy = PySet::new();
                            copy.update(&t);
                            copy
                        }
                        None => PySet::from_values(interp.collect(&v)?)?,
                    },
                },
            };
            Ok(if *kind == TypeKind::Set {
                Value::Set(shared(table))
            } else {
                Value::FrozenSet(Arc::new(table))
            })
        }
        TypeKind::Range => range(&args),
        TypeKind::Type => {
            let v = one_arg(&args, "type")?;
            Ok(match &v {
                Value::Instance(i) => Value::Class(i.class.clone()),
                Value::Host(h) => Value::Type(TypeKind::Named(h.qualified_type_name().into())),
                other => Value::Type(other.type_kind()),
            })
        }
        TypeKind::Named(n) if &**n == "slice" => slice(&args),
        other => Err(Exception::type_error(format!(
            "cannot create '{}' instances",
            other.name()
        ))),
    }
}

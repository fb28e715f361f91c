//! Built-in functions and classes (LANGUAGE.md §1 and the `plot` extension).

mod arith;
mod convert;
mod iterables;
pub use convert::construct;
pub(crate) use convert::float_to_int;
pub(crate) use convert::{dict_pairs, to_float};
use iterables::{any_all, enumerate, min_max, reversed, sorted, sum, zip};

use indexmap::IndexMap;

use crate::lang::exception::Exception;
use crate::lang::interp::Interp;
use crate::lang::repr::{repr, to_str};
use crate::lang::value::{Args, NativeFunction, TypeKind, Value};
use crate::pyfmt;

type Builtin = fn(&mut Interp<'_>, Args) -> Result<Value, Exception>;

const FUNCTIONS: &[(&str, Builtin)] = &[
    ("print", print),
    ("len", len),
    ("abs", abs),
    ("min", |i, a| min_max(i, a, "min")),
    ("max", |i, a| min_max(i, a, "max")),
    ("sum", sum),
    ("round", round),
    ("repr", |_, a| {
        one_arg(&a, "repr").map(|v| Value::str(repr(&v)))
    }),
    ("sorted", sorted),
    ("reversed", reversed),
    ("enumerate", enumerate),
    ("zip", zip),
    ("isinstance", isinstance),
    ("any", |i, a| any_all(i, &a, "any")),
    ("all", |i, a| any_all(i, &a, "all")),
    ("plot", plot),
    ("divmod", arith::divmod),
    ("pow", arith::pow),
];

const TYPES: &[TypeKind] = &[
    TypeKind::Int,
    TypeKind::Float,
    TypeKind::Str,
    TypeKind::Bool,
    TypeKind::List,
    TypeKind::Tuple,
    TypeKind::Dict,
    TypeKind::Range,
    TypeKind::Type,
];

/// Every built-in name.
pub fn table() -> IndexMap<String, Value> {
    let mut names = IndexMap::new();
    for (name, f) in FUNCTIONS {
        let f = *f;
        names.insert(name.to_string(), NativeFunction::value(*name, f));
    }
    for kind in TYPES {
        names.insert(kind.name().to_string(), Value::Type(kind.clone()));
    }
    names
}

fn one_arg(args: &Args, name: &str) -> Result<Value, Exception> {
    args.no_keywords(name)?;
    match args.positional.as_slice() {
        [v] => Ok(v.clone()),
        other => Err(Exception::type_error(format!(
            "{name}() takes exactly one argument ({} given)",
            other.len()
        ))),
    }
}

/// An `int` (or `bool`) argument, with Python's error for anything else.
pub(crate) fn int_of(v: &Value) -> Result<i64, Exception> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        other => Err(Exception::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

fn print(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let opts = Args {
        positional: Vec::new(),
        keywords: args.keywords.clone(),
    }
    .bind("print", &["sep", "end", "flush"], 0)?;
    let text_opt = |v: &Option<Value>, name: &str, default: &str| match v {
        None | Some(Value::None) => Ok(default.to_string()),
        Some(Value::Str(s)) => Ok(s.to_string()),
        Some(other) => Err(Exception::type_error(format!(
            "{name} must be None or a string, not {}",
            other.type_name()
        ))),
    };
    let sep = text_opt(&opts[0], "sep", " ")?;
    let end = text_opt(&opts[1], "end", "\n")?;
    let parts: Vec<String> = args.positional.iter().map(to_str).collect();
    interp.print(&(parts.join(&sep) + &end));
    Ok(Value::None)
}

fn plot(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("plot", &["value", "label"], 1)?;
    let value = a[0].clone().unwrap_or(Value::None);
    let label = match &a[1] {
        None => "loss".to_string(),
        Some(Value::Str(s)) => s.to_string(),
        Some(other) => {
            return Err(Exception::type_error(format!(
                "plot() label must be a string, not {}",
                other.type_name()
            )))
        }
    };
    let x = to_float(&value)?;
    interp.plot(&label, x);
    Ok(Value::None)
}

pub(crate) fn len(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let v = one_arg(&args, "len")?;
    let n = match &v {
        Value::Str(s) => s.chars().count(),
        Value::List(l) => crate::lang::value::lock(l).len(),
        Value::Tuple(t) => t.len(),
        Value::Dict(d) | Value::DictView(_, d) => crate::lang::value::lock(d).len(),
        Value::Range(r) => r.len(),
        Value::Host(h) => match h.length() {
            Some(n) => n?,
            None => return Err(no_len(&v)),
        },
        _ => return Err(no_len(&v)),
    };
    Ok(Value::Int(n as i64))
}

fn no_len(v: &Value) -> Exception {
    Exception::type_error(format!("object of type '{}' has no len()", v.type_name()))
}

fn abs(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let v = one_arg(&args, "abs")?;
    match &v {
        Value::Int(i) => i
            .checked_abs()
            .map(Value::Int)
            .ok_or_else(Exception::overflow),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Float(f) => Ok(Value::Float(f.abs())),
        Value::Host(_) => interp.call_method(&v, "abs", Args::default()),
        other => Err(Exception::type_error(format!(
            "bad operand type for abs(): '{}'",
            other.type_name()
        ))),
    }
}

fn round(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("round", &["number", "ndigits"], 1)?;
    let number = a[0].clone().unwrap_or(Value::None);
    let ndigits = match &a[1] {
        None | Some(Value::None) => None,
        Some(v) => Some(int_of(v)?),
    };
    match (&number, ndigits) {
        // Rounding keeps NaN and infinities, which float_to_int refuses.
        (Value::Float(f), None) => float_to_int(f.round_ties_even()),
        (Value::Float(f), Some(n)) => Ok(Value::Float(pyfmt::round_float(*f, n))),
        (Value::Int(_) | Value::Bool(_), None) => Ok(Value::Int(int_of(&number)?)),
        (Value::Int(_) | Value::Bool(_), Some(n)) => {
            let i = int_of(&number)?;
            if n >= 0 {
                return Ok(Value::Int(i));
            }
            let factor = 10i64.checked_pow((-n) as u32).unwrap_or(i64::MAX);
            let rounded = pyfmt::round_float(i as f64 / factor as f64, 0) as i64;
            rounded
                .checked_mul(factor)
                .map(Value::Int)
                .ok_or_else(Exception::overflow)
        }
        (Value::Host(_), _) => {
            let mut extra = Vec::new();
            if let Some(n) = ndigits {
                extra.push(("decimals".to_string(), Value::Int(n)));
            }
            let args = Args {
                positional: Vec::new(),
                keywords: extra,
            };
            interp.call_method(&number, "round", args)
        }
        (other, _) => Err(Exception::type_error(format!(
            "type {} doesn't define __round__ method",
            other.type_name()
        ))),
    }
}

fn isinstance(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("isinstance")?;
    let [value, class] = args.positional.as_slice() else {
        return Err(Exception::type_error(format!(
            "isinstance expected 2 arguments, got {}",
            args.positional.len()
        )));
    };
    Ok(Value::Bool(instance_of(value, class)?))
}

fn instance_of(value: &Value, class: &Value) -> Result<bool, Exception> {
    match class {
        Value::Type(kind) => Ok(match kind {
            TypeKind::Int => matches!(value, Value::Int(_) | Value::Bool(_)),
            other => value.type_kind() == *other,
        }),
        Value::Tuple(classes) => {
            for c in classes.iter() {
                if instance_of(value, c)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Value::Host(h) => h.instance_check(value).ok_or_else(class_error),
        _ => Err(class_error()),
    }
}

fn class_error() -> Exception {
    Exception::type_error("isinstance() arg 2 must be a type, a tuple of types, or a union")
}

//! Built-in functions and classes (LANGUAGE.md §1 and the `plot` extension).

mod convert;
mod iterables;
mod numbers;
mod objects;
use crate::lang::value::NameMap;
pub use convert::construct;
pub(crate) use convert::float_to_int;
pub(crate) use convert::{dict_pairs, to_float};
use iterables::{any_all, enumerate, filter, map, min_max, reversed, sorted, sum, zip};
pub use objects::{instance_of, is_callable};

use crate::lang::exception::Exception;
use crate::lang::interp::Interp;
use crate::lang::object::{builtin_class, not_implemented, object_class, BUILTIN_EXCEPTIONS};
use crate::lang::value::{lock, Args, NativeFunction, TypeKind, Value};
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
    ("repr", |i, a| {
        let v = one_arg(&a, "repr")?;
        i.repr(&v).map(Value::str)
    }),
    ("sorted", sorted),
    ("reversed", reversed),
    ("enumerate", enumerate),
    ("zip", zip),
    ("isinstance", objects::isinstance),
    ("issubclass", objects::issubclass),
    ("any", |i, a| any_all(i, &a, "any")),
    ("all", |i, a| any_all(i, &a, "all")),
    ("map", map),
    ("filter", filter),
    ("getattr", objects::getattr),
    ("setattr", objects::setattr),
    ("hasattr", objects::hasattr),
    ("delattr", objects::delattr),
    ("vars", objects::vars),
    ("id", objects::id),
    ("hash", objects::hash),
    ("callable", objects::callable),
    ("iter", objects::iter),
    ("next", objects::next),
    ("super", objects::super_),
    ("property", objects::property),
    ("staticmethod", objects::staticmethod),
    ("classmethod", objects::classmethod),
    ("divmod", numbers::divmod),
    ("pow", numbers::pow),
    ("chr", numbers::chr),
    ("ord", numbers::ord),
    ("hex", |_, a| numbers::int_text(&a, "hex", 16, "0x")),
    ("oct", |_, a| numbers::int_text(&a, "oct", 8, "0o")),
    ("bin", |_, a| numbers::int_text(&a, "bin", 2, "0b")),
    ("format", |i, a| {
        let spec = match a.positional.get(1) {
            Some(Value::Str(s)) => s.to_string(),
            Some(other) => {
                return Err(Exception::type_error(format!(
                    "format() argument 2 must be str, not {}",
                    other.type_name()
                )))
            }
            None => String::new(),
        };
        let v = a.positional.first().cloned().unwrap_or(Value::None);
        i.format(&v, &spec).map(Value::str)
    }),
    ("globals", |i, _| Ok(i.globals_dict())),
    ("plot", plot),
];

const TYPES: &[TypeKind] = &[
    TypeKind::Int,
    TypeKind::Float,
    TypeKind::Str,
    TypeKind::Bool,
    TypeKind::List,
    TypeKind::Tuple,
    TypeKind::Dict,
    TypeKind::Set,
    TypeKind::FrozenSet,
    TypeKind::Range,
    TypeKind::Type,
];

/// Every built-in name.
pub fn table() -> NameMap {
    let mut names = NameMap::default();
    for (name, f) in FUNCTIONS {
        let f = *f;
        names.insert(name.to_string(), NativeFunction::value(*name, f));
    }
    for kind in TYPES {
        names.insert(kind.name().to_string(), Value::Type(kind.clone()));
    }
    // Classes without values of their own here, for `isinstance` checks.
    for name in ["slice", "bytes"] {
        names.insert(name.into(), Value::Type(TypeKind::Named(name.into())));
    }
    names.insert("object".into(), Value::Class(object_class()));
    for (name, _) in BUILTIN_EXCEPTIONS {
        if let Some(class) = builtin_class(name) {
            names.insert(name.to_string(), Value::Class(class));
        }
    }
    names.insert("NotImplemented".into(), not_implemented());
    // A program's module is `__main__` (modules nnlearn defines in Python bind their own).
    names.insert("__name__".into(), Value::str("__main__"));
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
        Value::BigInt(_) => Err(Exception::new(
            "OverflowError",
            "Python int too large to convert to C ssize_t",
        )),
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
    let mut parts = Vec::with_capacity(args.positional.len());
    for v in &args.positional {
        parts.push(interp.to_str(v)?);
    }
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

pub(crate) fn len(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let v = one_arg(&args, "len")?;
    Ok(Value::Int(interp.len_of(&v)? as i64))
}

/// `len(v)` of a built-in value.
pub(crate) fn builtin_len(v: &Value) -> Result<usize, Exception> {
    Ok(match v {
        Value::Str(s) => s.chars().count(),
        Value::List(l) => lock(l).len(),
        Value::Tuple(t) => t.len(),
        Value::Dict(d) | Value::DictView(_, d) => lock(d).len(),
        Value::Range(r) => r.len(),
        Value::Set(s) => lock(s).len(),
        Value::FrozenSet(s) => s.len(),
        Value::Host(h) => match h.length() {
            Some(n) => n?,
            None => return Err(no_len(v)),
        },
        _ => return Err(no_len(v)),
    })
}

/// `hash(v)` of a built-in value, as CPython computes it for numbers.
pub(crate) fn builtin_hash(v: &Value) -> Result<i64, Exception> {
    match v {
        Value::FrozenSet(s) => Ok(s.frozenset_hash()),
        other => crate::lang::hash::py_hash(other),
    }
}

fn no_len(v: &Value) -> Exception {
    Exception::type_error(format!("object of type '{}' has no len()", v.type_name()))
}

fn abs(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let v = one_arg(&args, "abs")?;
    match &v {
        Value::Int(i) => Ok(i
            .checked_abs()
            .map_or_else(|| crate::lang::ops::bigint::neg(&(*i).into()), Value::Int)),
        Value::BigInt(b) => Ok(crate::lang::ops::bigint::normalize(
            num_traits::Signed::abs(&**b),
        )),
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
        (Value::BigInt(_), None) => Ok(number),
        (Value::Int(_) | Value::Bool(_) | Value::BigInt(_), Some(n)) if n >= 0 => {
            crate::lang::ops::binary(crate::lang::ast::BinOp::Add, &number, &Value::Int(0))
        }
        (Value::Int(_) | Value::Bool(_) | Value::BigInt(_), Some(n)) => {
            let x = crate::lang::ops::bigint::to_big(&number).unwrap_or_default();
            Ok(crate::lang::ops::bigint::round_digits(&x, n))
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

//! Methods of the built-in types (list, dict, str).

mod dict;
mod list;
mod string;
use dict::dict_method;
use list::list_method;
use string::str_method;

use std::cmp::Ordering;

use crate::lang::ast::CmpOp;
use crate::lang::exception::Exception;
use crate::lang::interp::Interp;
use crate::lang::ops;
use crate::lang::value::{Args, NativeFunction, Value};

const LIST_METHODS: &[&str] = &[
    "append", "extend", "pop", "insert", "index", "copy", "remove", "clear", "reverse", "sort",
    "count",
];

const DICT_METHODS: &[&str] = &[
    "items",
    "keys",
    "values",
    "get",
    "pop",
    "update",
    "copy",
    "clear",
    "setdefault",
];

const STR_METHODS: &[&str] = &[
    "format",
    "join",
    "split",
    "strip",
    "lstrip",
    "rstrip",
    "splitlines",
    "upper",
    "lower",
    "replace",
    "startswith",
    "endswith",
    "find",
    "count",
];

fn methods_of(value: &Value) -> &'static [&'static str] {
    match value {
        Value::List(_) => LIST_METHODS,
        Value::Dict(_) => DICT_METHODS,
        Value::Str(_) => STR_METHODS,
        _ => &[],
    }
}

fn no_attribute(value: &Value, name: &str) -> Exception {
    Exception::attribute_error(format!(
        "'{}' object has no attribute '{name}'",
        value.type_name()
    ))
}

/// `value.name` for a built-in value: a bound method.
pub fn bound(value: &Value, name: &str) -> Result<Value, Exception> {
    let Some(&method) = methods_of(value).iter().find(|m| **m == name) else {
        return Err(no_attribute(value, name));
    };
    let receiver = value.clone();
    Ok(NativeFunction::value(method, move |interp, args| {
        call(interp, &receiver, method, &args)
            .unwrap_or_else(|| Err(no_attribute(&receiver, method)))
    }))
}

/// Calls a method of a built-in value; `None` when `receiver` is not a built-in with that method.
pub fn call(
    interp: &mut Interp<'_>,
    receiver: &Value,
    name: &str,
    args: &Args,
) -> Option<Result<Value, Exception>> {
    if !methods_of(receiver).contains(&name) {
        return match receiver {
            Value::Host(_) => None,
            _ => Some(Err(no_attribute(receiver, name))),
        };
    }
    Some(match receiver {
        Value::List(_) => list_method(interp, receiver, name, args),
        Value::Dict(_) => dict_method(receiver, name, args),
        Value::Str(s) => str_method(s, name, args),
        _ => Err(no_attribute(receiver, name)),
    })
}

/// Positional arguments between `min` and `max` in count, and no keywords.
fn positional<'a>(
    args: &'a Args,
    name: &str,
    min: usize,
    max: usize,
) -> Result<&'a [Value], Exception> {
    args.no_keywords(name)?;
    let n = args.positional.len();
    if n < min || n > max {
        let expected = if min == max {
            format!("exactly {min} argument{}", if min == 1 { "" } else { "s" })
        } else if n < min {
            format!("at least {min} argument{}", if min == 1 { "" } else { "s" })
        } else {
            format!("at most {max} argument{}", if max == 1 { "" } else { "s" })
        };
        return Err(Exception::type_error(format!(
            "{name}() takes {expected} ({n} given)"
        )));
    }
    Ok(&args.positional)
}

/// Stable sort by `key` (a callable or None), descending when `reverse` is true.
pub(crate) fn sort_values(
    interp: &mut Interp<'_>,
    items: Vec<Value>,
    key: Option<&Value>,
    reverse: Option<&Value>,
) -> Result<Vec<Value>, Exception> {
    let reverse = match reverse {
        Some(v) => ops::truthy(v)?,
        None => false,
    };
    let mut keyed = Vec::with_capacity(items.len());
    for item in items {
        let k = match key {
            Some(f) if !matches!(f, Value::None) => {
                interp.call(f, Args::new(vec![item.clone()]))?
            }
            _ => item.clone(),
        };
        keyed.push((k, item));
    }
    let mut error = None;
    keyed.sort_by(|(a, _), (b, _)| {
        if error.is_some() {
            return Ordering::Equal;
        }
        let (x, y) = if reverse { (b, a) } else { (a, b) };
        match ops::compare(CmpOp::Lt, x, y).and_then(|v| ops::truthy(&v)) {
            Ok(true) => Ordering::Less,
            Ok(false) => match ops::compare(CmpOp::Lt, y, x).and_then(|v| ops::truthy(&v)) {
                Ok(true) => Ordering::Greater,
                Ok(false) => Ordering::Equal,
                Err(e) => {
                    error = Some(e);
                    Ordering::Equal
                }
            },
            Err(e) => {
                error = Some(e);
                Ordering::Equal
            }
        }
    });
    match error {
        Some(e) => Err(e),
        None => Ok(keyed.into_iter().map(|(_, v)| v).collect()),
    }
}

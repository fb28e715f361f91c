//! Methods of the built-in types (list, dict, str).

mod dict;
mod list;
mod set;
mod string;
use dict::dict_method;
use list::list_method;
use string::str_method;

use std::cmp::Ordering;

use crate::lang::ast::CmpOp;
use crate::lang::exception::Exception;
use crate::lang::interp::Interp;
use crate::lang::value::{Args, NativeFunction, TypeKind, Value};

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
        Value::Set(_) => set::SET_METHODS,
        Value::FrozenSet(_) => set::FROZENSET_METHODS,
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
    if let Some(attr) = crate::lang::collections::dict_attribute(value, name) {
        return Ok(attr);
    }
    let Some(&method) = methods_of(value).iter().find(|m| **m == name) else {
        return Err(no_attribute(value, name));
    };
    let receiver = value.clone();
    Ok(NativeFunction::value(method, move |interp, args| {
        call(interp, &receiver, method, &args)
            .unwrap_or_else(|| Err(no_attribute(&receiver, method)))
    }))
}

/// `str.upper`, `list.append`...: the method of a built-in type, taking the receiver first.
pub fn unbound(kind: &TypeKind, name: &str) -> Option<Value> {
    let methods = match kind {
        TypeKind::List => LIST_METHODS,
        TypeKind::Dict => DICT_METHODS,
        TypeKind::Str => STR_METHODS,
        TypeKind::Set => set::SET_METHODS,
        _ => return None,
    };
    let &method = methods.iter().find(|m| **m == name)?;
    let kind = kind.clone();
    Some(NativeFunction::value(method, move |interp, args| {
        let Some((receiver, rest)) = args.positional.split_first() else {
            return Err(Exception::type_error(format!(
                "unbound method {}.{method}() needs an argument",
                kind.name()
            )));
        };
        if receiver.type_kind() != kind {
            return Err(Exception::type_error(format!(
                "descriptor '{method}' for '{}' objects doesn't apply to a '{}' object",
                kind.name(),
                receiver.type_name()
            )));
        }
        let args = Args {
            positional: rest.to_vec(),
            keywords: args.keywords.clone(),
        };
        call(interp, receiver, method, &args).unwrap_or_else(|| Err(no_attribute(receiver, method)))
    }))
}

/// Calls a method of a built-in value; `None` when `receiver` is not a built-in with that method.
pub fn call(
    interp: &mut Interp<'_>,
    receiver: &Value,
    name: &str,
    args: &Args,
) -> Option<Result<Value, Exception>> {
    if let Some(result) = crate::lang::collections::dict_method(interp, receiver, name, args) {
        return Some(result);
    }
    if !methods_of(receiver).contains(&name) {
        return match receiver {
            Value::List(_)
            | Value::Dict(_)
            | Value::Str(_)
            | Value::Set(_)
            | Value::FrozenSet(_) => Some(Err(no_attribute(receiver, name))),
            _ => None,
        };
    }
    // Methods that take an iterable see iterator objects and instances as lists.
    let collected;
    let args = if matches!(name, "join" | "extend" | "update")
        && args.positional.iter().any(|a| {
            matches!(
                a,
                Value::Iterator(_) | Value::Generator(_) | Value::Instance(_)
            )
        })
        && !matches!(receiver, Value::Set(_))
    {
        let mut positional = Vec::with_capacity(args.positional.len());
        for a in &args.positional {
            positional.push(match a {
                Value::Iterator(_) | Value::Generator(_) | Value::Instance(_) => {
                    match interp.collect(a) {
                        Ok(items) => Value::list(items),
                        Err(e) => return Some(Err(e)),
                    }
                }
                other => other.clone(),
            });
        }
        collected = Args {
            positional,
            keywords: args.keywords.clone(),
        };
        &collected
    } else {
        args
    };
    Some(match receiver {
        Value::List(_) => list_method(interp, receiver, name, args),
        Value::Dict(_) => dict_method(receiver, name, args),
        Value::Str(s) => str_method(s, name, args),
        Value::Set(_) | Value::FrozenSet(_) => set::set_method(interp, receiver, name, args),
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
        Some(v) => interp.truthy(v)?,
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
        let mut less = |p: &Value, q: &Value| {
            interp
                .compare_op(CmpOp::Lt, p, q)
                .and_then(|v| interp.truthy(&v))
        };
        match less(x, y) {
            Ok(true) => Ordering::Less,
            Ok(false) => match less(y, x) {
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

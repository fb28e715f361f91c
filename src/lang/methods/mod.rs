//! Methods of the built-in types (list, dict, str, tuple, int, float).

mod dict;
mod list;
mod numbers;
mod set;
mod string;
mod unicode_tables;
use dict::dict_method;
pub(crate) use dict::{dict_union, dict_update_in_place};
use list::list_method;
pub use string::is_printable;
use string::{str_method, STR_METHODS};

use std::cmp::Ordering;

use crate::lang::ast::CmpOp;
use crate::lang::exception::Exception;
use crate::lang::interp::Interp;
use crate::lang::value::{Args, NativeFunction, TypeKind, Value};

const LIST_METHODS: &[&str] = &[
    "append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse",
    "sort",
];

const DICT_METHODS: &[&str] = &[
    "clear",
    "copy",
    "fromkeys",
    "get",
    "items",
    "keys",
    "pop",
    "popitem",
    "setdefault",
    "update",
    "values",
];

const TUPLE_METHODS: &[&str] = &["count", "index"];

fn methods_of(value: &Value) -> &'static [&'static str] {
    match value {
        Value::List(_) => LIST_METHODS,
        Value::Dict(_) => DICT_METHODS,
        Value::Str(_) => STR_METHODS,
        Value::Set(_) => set::SET_METHODS,
        Value::FrozenSet(_) => set::FROZENSET_METHODS,
        Value::Tuple(_) => TUPLE_METHODS,
        Value::Int(_) | Value::Bool(_) => numbers::INT_METHODS,
        Value::Float(_) => numbers::FLOAT_METHODS,
        _ => &[],
    }
}

/// The methods of a built-in type, by its type name (for completion).
pub fn type_methods(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "list" => LIST_METHODS,
        "dict" => DICT_METHODS,
        "str" => STR_METHODS,
        "set" => set::SET_METHODS,
        "frozenset" => set::FROZENSET_METHODS,
        "tuple" => TUPLE_METHODS,
        "int" | "bool" => numbers::INT_METHODS,
        "float" => numbers::FLOAT_METHODS,
        _ => &[],
    }
}

/// `str.maketrans`, `dict.fromkeys`, `float.fromhex`: methods that ignore their receiver.
fn is_static(kind: &TypeKind, name: &str) -> bool {
    matches!(
        (kind, name),
        (TypeKind::Str, "maketrans") | (TypeKind::Dict, "fromkeys") | (TypeKind::Float, "fromhex")
    )
}

fn call_static(kind: &TypeKind, args: &Args) -> Result<Value, Exception> {
    match kind {
        TypeKind::Str => string::maketrans(args),
        TypeKind::Dict => dict::fromkeys(args),
        _ => numbers::fromhex(args),
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
    if let Some(attr) = numbers::attribute(value, name) {
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
        TypeKind::Tuple => TUPLE_METHODS,
        TypeKind::Int => numbers::INT_METHODS,
        TypeKind::Float => numbers::FLOAT_METHODS,
        _ => return None,
    };
    let &method = methods.iter().find(|m| **m == name)?;
    let kind = kind.clone();
    if is_static(&kind, method) {
        return Some(NativeFunction::value(method, move |_, args| {
            call_static(&kind, &args)
        }));
    }
    Some(NativeFunction::value(method, move |interp, args| {
        let Some((receiver, rest)) = args.positional.split_first() else {
            return Err(Exception::type_error(format!(
                "unbound method {}.{method}() needs an argument",
                kind.name()
            )));
        };
        let applies = receiver.type_kind() == kind
            || (kind == TypeKind::Int && matches!(receiver, Value::Bool(_)));
        if !applies {
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
    let kind = receiver.type_kind();
    if is_static(&kind, name) {
        return Some(call_static(&kind, args));
    }
    let collected;
    let args = if matches!(name, "join" | "extend" | "update" | "fromkeys")
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
        Value::Tuple(items) => tuple_method(items, name, args),
        Value::Int(_) | Value::Bool(_) | Value::Float(_) => {
            numbers::number_method(receiver, name, args)
        }
        _ => Err(no_attribute(receiver, name)),
    })
}

fn tuple_method(items: &[Value], name: &str, args: &Args) -> Result<Value, Exception> {
    match name {
        "count" => {
            let x = one_arg(args, "tuple.count")?;
            Ok(Value::Int(count(items, x)?))
        }
        _ => match sequence_index(items, args, "tuple.index")? {
            Some(i) => Ok(Value::Int(i as i64)),
            None => Err(Exception::value_error("tuple.index(x): x not in tuple")),
        },
    }
}

/// How many of `items` equal `x`.
fn count(items: &[Value], x: &Value) -> Result<i64, Exception> {
    let mut n = 0;
    for v in items {
        if crate::lang::ops::equals(v, x)? {
            n += 1;
        }
    }
    Ok(n)
}

/// `list.index(x[, start[, stop]])` and `tuple.index`: the first position of `x` in the window.
fn sequence_index(
    items: &[Value],
    args: &Args,
    qualname: impl MethodName,
) -> Result<Option<usize>, Exception> {
    let a = expected(args, qualname, 1, 3)?;
    let bound = |v: Option<&Value>, default: usize| -> Result<usize, Exception> {
        let len = items.len() as i64;
        let i = match v {
            None => return Ok(default),
            Some(Value::Int(i)) => *i,
            Some(Value::Bool(b)) => *b as i64,
            Some(_) => {
                return Err(Exception::type_error(
                    "slice indices must be integers or have an __index__ method",
                ))
            }
        };
        Ok(if i < 0 { (i + len).max(0) } else { i.min(len) } as usize)
    };
    let start = bound(a.get(1), 0)?;
    let stop = bound(a.get(2), items.len())?;
    for (i, v) in items.iter().enumerate().take(stop).skip(start) {
        if crate::lang::ops::equals(v, &a[0])? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// No arguments at all, as CPython's `METH_NOARGS` methods check: `qualname` is `str.upper`.
/// A method's qualified name for argument errors (`dict.get`), and its own part.
pub(crate) trait MethodName: std::fmt::Display {
    fn method(&self) -> &str;
}

impl MethodName for &str {
    fn method(&self) -> &str {
        self.rsplit('.').next().unwrap_or(self)
    }
}

/// `kind.name`, formatted only when an error needs it: methods are called far more often
/// than they fail.
#[derive(Clone, Copy)]
pub(super) struct Qualname<'a> {
    pub(super) kind: &'static str,
    pub(super) name: &'a str,
}

impl std::fmt::Display for Qualname<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.kind, self.name)
    }
}

impl MethodName for Qualname<'_> {
    fn method(&self) -> &str {
        self.name
    }
}

pub(crate) fn no_args(args: &Args, qualname: impl MethodName) -> Result<(), Exception> {
    if !args.keywords.is_empty() {
        return Err(Exception::type_error(format!(
            "{qualname}() takes no keyword arguments"
        )));
    }
    match args.positional.len() {
        0 => Ok(()),
        n => Err(Exception::type_error(format!(
            "{qualname}() takes no arguments ({n} given)"
        ))),
    }
}

/// Exactly one positional argument, as CPython's `METH_O` methods check.
fn one_arg(args: &Args, qualname: impl MethodName) -> Result<&Value, Exception> {
    if !args.keywords.is_empty() {
        return Err(Exception::type_error(format!(
            "{qualname}() takes no keyword arguments"
        )));
    }
    match args.positional.as_slice() {
        [x] => Ok(x),
        a => Err(Exception::type_error(format!(
            "{qualname}() takes exactly one argument ({} given)",
            a.len()
        ))),
    }
}

/// Between `min` and `max` positional arguments, with the messages of CPython's
/// argument clinic (`pop expected at most 1 argument, got 2`).
fn expected(
    args: &Args,
    qualname: impl MethodName,
    min: usize,
    max: usize,
) -> Result<&[Value], Exception> {
    if !args.keywords.is_empty() {
        return Err(Exception::type_error(format!(
            "{qualname}() takes no keyword arguments"
        )));
    }
    let name = qualname.method();
    let n = args.positional.len();
    let plural = |k: usize| if k == 1 { "" } else { "s" };
    let message = if min == max && n != min {
        format!("{name} expected {min} argument{}, got {n}", plural(min))
    } else if n < min {
        format!(
            "{name} expected at least {min} argument{}, got {n}",
            plural(min)
        )
    } else if n > max {
        format!(
            "{name} expected at most {max} argument{}, got {n}",
            plural(max)
        )
    } else {
        return Ok(&args.positional);
    };
    Err(Exception::type_error(message))
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

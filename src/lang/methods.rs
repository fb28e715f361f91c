//! Methods of the built-in types (list, dict, str).

use std::cmp::Ordering;

use super::ast::CmpOp;
use super::exception::Exception;
use super::format::str_format;
use super::interp::{collect, Interp};
use super::ops;
use super::repr::repr;
use super::value::{lock, Args, DictViewKind, NativeFunction, Value};

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

fn int_arg(v: &Value) -> Result<i64, Exception> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        other => Err(Exception::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

fn list_method(
    interp: &mut Interp<'_>,
    receiver: &Value,
    name: &str,
    args: &Args,
) -> Result<Value, Exception> {
    let Value::List(list) = receiver else {
        return Err(no_attribute(receiver, name));
    };
    match name {
        "append" => {
            let a = positional(args, name, 1, 1)?;
            lock(list).extend(a.iter().cloned());
        }
        "extend" => {
            let a = positional(args, name, 1, 1)?;
            let items = collect(&a[0])?;
            lock(list).extend(items);
        }
        "pop" => {
            let a = positional(args, name, 0, 1)?;
            let mut items = lock(list);
            if items.is_empty() {
                return Err(Exception::index_error("pop from empty list"));
            }
            let len = items.len() as i64;
            let i = a.first().map(int_arg).transpose()?.unwrap_or(-1);
            let i = if i < 0 { i + len } else { i };
            if !(0..len).contains(&i) {
                return Err(Exception::index_error("pop index out of range"));
            }
            return Ok(items.remove(i as usize));
        }
        "insert" => {
            let a = positional(args, name, 2, 2)?;
            let mut items = lock(list);
            let len = items.len() as i64;
            let i = int_arg(&a[0])?;
            let i = if i < 0 { (i + len).max(0) } else { i.min(len) };
            items.insert(i as usize, a[1].clone());
        }
        "index" | "count" | "remove" => {
            let a = positional(args, name, 1, 1)?;
            let items = lock(list).clone();
            let mut matches = Vec::new();
            for (i, v) in items.iter().enumerate() {
                if ops::equals(v, &a[0])? {
                    matches.push(i);
                    if name != "count" {
                        break;
                    }
                }
            }
            return match (name, matches.first()) {
                ("count", _) => Ok(Value::Int(matches.len() as i64)),
                ("index", Some(&i)) => Ok(Value::Int(i as i64)),
                ("index", None) => Err(Exception::value_error(format!(
                    "{} is not in list",
                    repr(&a[0])
                ))),
                (_, Some(&i)) => {
                    lock(list).remove(i);
                    Ok(Value::None)
                }
                (_, None) => Err(Exception::value_error("list.remove(x): x not in list")),
            };
        }
        "copy" => {
            positional(args, name, 0, 0)?;
            return Ok(Value::list(lock(list).clone()));
        }
        "clear" => {
            positional(args, name, 0, 0)?;
            lock(list).clear();
        }
        "reverse" => {
            positional(args, name, 0, 0)?;
            lock(list).reverse();
        }
        "sort" => {
            if !args.positional.is_empty() {
                return Err(Exception::type_error(
                    "sort() takes no positional arguments",
                ));
            }
            let opts = Args {
                positional: Vec::new(),
                keywords: args.keywords.clone(),
            }
            .bind("sort", &["key", "reverse"], 0)?;
            let items = lock(list).clone();
            let sorted = sort_values(interp, items, opts[0].as_ref(), opts[1].as_ref())?;
            *lock(list) = sorted;
        }
        _ => return Err(no_attribute(receiver, name)),
    }
    Ok(Value::None)
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

fn dict_method(receiver: &Value, name: &str, args: &Args) -> Result<Value, Exception> {
    let Value::Dict(dict) = receiver else {
        return Err(no_attribute(receiver, name));
    };
    let view = |kind| Ok(Value::DictView(kind, dict.clone()));
    match name {
        "items" | "keys" | "values" => {
            positional(args, name, 0, 0)?;
            match name {
                "items" => view(DictViewKind::Items),
                "keys" => view(DictViewKind::Keys),
                _ => view(DictViewKind::Values),
            }
        }
        "get" => {
            let a = positional(args, name, 1, 2)?;
            Ok(lock(dict)
                .get(&a[0])?
                .or_else(|| a.get(1).cloned())
                .unwrap_or(Value::None))
        }
        "setdefault" => {
            let a = positional(args, name, 1, 2)?;
            let mut d = lock(dict);
            if let Some(v) = d.get(&a[0])? {
                return Ok(v);
            }
            let default = a.get(1).cloned().unwrap_or(Value::None);
            d.insert(a[0].clone(), default.clone())?;
            Ok(default)
        }
        "pop" => {
            let a = positional(args, name, 1, 2)?;
            match (lock(dict).remove(&a[0])?, a.get(1)) {
                (Some(v), _) => Ok(v),
                (None, Some(default)) => Ok(default.clone()),
                (None, None) => Err(Exception::new("KeyError", repr(&a[0]))),
            }
        }
        "update" => {
            let positional_only = Args::new(args.positional.clone());
            let a = positional(&positional_only, name, 0, 1)?;
            let mut pairs = Vec::new();
            if let Some(other) = a.first() {
                pairs = super::builtins::dict_pairs(other)?;
            }
            pairs.extend(
                args.keywords
                    .iter()
                    .map(|(k, v)| (Value::str(k.as_str()), v.clone())),
            );
            let mut d = lock(dict);
            for (k, v) in pairs {
                d.insert(k, v)?;
            }
            Ok(Value::None)
        }
        "copy" => {
            positional(args, name, 0, 0)?;
            Ok(Value::Dict(super::value::shared(lock(dict).clone())))
        }
        "clear" => {
            positional(args, name, 0, 0)?;
            *lock(dict) = super::dict::Dict::new();
            Ok(Value::None)
        }
        _ => Err(no_attribute(receiver, name)),
    }
}

fn str_arg<'a>(v: &'a Value, what: &str) -> Result<&'a str, Exception> {
    match v {
        Value::Str(s) => Ok(s),
        other => Err(Exception::type_error(format!(
            "{what} must be str, not {}",
            other.type_name()
        ))),
    }
}

/// `startswith`/`endswith` accept a string or a tuple of strings.
fn affix_matches(s: &str, affix: &Value, name: &str) -> Result<bool, Exception> {
    let test = |a: &str| {
        if name == "startswith" {
            s.starts_with(a)
        } else {
            s.ends_with(a)
        }
    };
    match affix {
        Value::Str(a) => Ok(test(a)),
        Value::Tuple(items) => {
            for item in items.iter() {
                if test(str_arg(item, name)?) {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        other => Err(Exception::type_error(format!(
            "{name} first arg must be str or a tuple of str, not {}",
            other.type_name()
        ))),
    }
}

fn str_method(s: &str, name: &str, args: &Args) -> Result<Value, Exception> {
    let text = |t: String| Ok(Value::str(t));
    match name {
        "format" => text(str_format(s, args)?),
        "join" => {
            let a = positional(args, name, 1, 1)?;
            let mut parts = Vec::new();
            for (i, item) in collect(&a[0])?.iter().enumerate() {
                match item {
                    Value::Str(p) => parts.push(p.to_string()),
                    other => {
                        return Err(Exception::type_error(format!(
                            "sequence item {i}: expected str instance, {} found",
                            other.type_name()
                        )))
                    }
                }
            }
            text(parts.join(s))
        }
        "split" => {
            let a = args.bind("split", &["sep", "maxsplit"], 0)?;
            let maxsplit = a[1].as_ref().map(int_arg).transpose()?.unwrap_or(-1);
            let limit = if maxsplit < 0 {
                usize::MAX
            } else {
                maxsplit as usize + 1
            };
            let parts: Vec<Value> = match a[0].as_ref().filter(|v| !matches!(v, Value::None)) {
                None => split_whitespace(s, limit),
                Some(sep) => {
                    let sep = str_arg(sep, "must be str or None; sep")?;
                    if sep.is_empty() {
                        return Err(Exception::value_error("empty separator"));
                    }
                    s.splitn(limit, sep).map(Value::str).collect()
                }
            };
            Ok(Value::list(parts))
        }
        "strip" | "lstrip" | "rstrip" => {
            let a = positional(args, name, 0, 1)?;
            let chars: Option<Vec<char>> = match a.first() {
                Some(Value::Str(c)) => Some(c.chars().collect()),
                Some(Value::None) | None => None,
                Some(other) => {
                    return Err(Exception::type_error(format!(
                        "{name} arg must be None or str, not {}",
                        other.type_name()
                    )))
                }
            };
            let strip = |c: char| {
                chars
                    .as_ref()
                    .map_or(c.is_whitespace(), |cs| cs.contains(&c))
            };
            text(
                match name {
                    "strip" => s.trim_matches(strip),
                    "lstrip" => s.trim_start_matches(strip),
                    _ => s.trim_end_matches(strip),
                }
                .to_string(),
            )
        }
        "upper" => {
            positional(args, name, 0, 0)?;
            text(s.to_uppercase())
        }
        "lower" => {
            positional(args, name, 0, 0)?;
            text(s.to_lowercase())
        }
        "replace" => {
            let a = positional(args, name, 2, 3)?;
            let (old, new) = (
                str_arg(&a[0], "replace() argument 1")?,
                str_arg(&a[1], "replace() argument 2")?,
            );
            let count = a.get(2).map(int_arg).transpose()?.unwrap_or(-1);
            text(if count < 0 {
                s.replace(old, new)
            } else {
                s.replacen(old, new, count as usize)
            })
        }
        "startswith" | "endswith" => {
            let a = positional(args, name, 1, 1)?;
            Ok(Value::Bool(affix_matches(s, &a[0], name)?))
        }
        "find" => {
            let a = positional(args, name, 1, 1)?;
            let sub = str_arg(&a[0], "find() argument")?;
            Ok(Value::Int(
                s.find(sub)
                    .map_or(-1, |byte| s[..byte].chars().count() as i64),
            ))
        }
        "count" => {
            let a = positional(args, name, 1, 1)?;
            let sub = str_arg(&a[0], "count() argument")?;
            let n = if sub.is_empty() {
                s.chars().count() + 1
            } else {
                s.matches(sub).count()
            };
            Ok(Value::Int(n as i64))
        }
        _ => Err(Exception::attribute_error(format!(
            "'str' object has no attribute '{name}'"
        ))),
    }
}

/// `str.split()` without a separator: runs of whitespace, at most `limit` parts.
fn split_whitespace(s: &str, limit: usize) -> Vec<Value> {
    let mut parts = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        if parts.len() + 1 == limit {
            parts.push(Value::str(rest));
            break;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        parts.push(Value::str(&rest[..end]));
        rest = rest[end..].trim_start();
    }
    parts
}

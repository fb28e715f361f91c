//! Methods of dict.

use super::{expected, no_args, no_attribute, Qualname};
use crate::lang::exception::Exception;
use crate::lang::interp::collect;
use crate::lang::value::{lock, Args, DictViewKind, Value};

pub(super) fn dict_method(receiver: &Value, name: &str, args: &Args) -> Result<Value, Exception> {
    let Value::Dict(dict) = receiver else {
        return Err(no_attribute(receiver, name));
    };
    let q = Qualname { kind: "dict", name };
    let view = |kind| Ok(Value::DictView(kind, dict.clone()));
    match name {
        "items" | "keys" | "values" => {
            no_args(args, q)?;
            match name {
                "items" => view(DictViewKind::Items),
                "keys" => view(DictViewKind::Keys),
                _ => view(DictViewKind::Values),
            }
        }
        "get" => {
            let a = expected(args, q, 1, 2)?;
            Ok(lock(dict)
                .get(&a[0])?
                .or_else(|| a.get(1).cloned())
                .unwrap_or(Value::None))
        }
        "setdefault" => {
            let a = expected(args, q, 1, 2)?;
            let mut d = lock(dict);
            if let Some(v) = d.get(&a[0])? {
                return Ok(v);
            }
            let default = a.get(1).cloned().unwrap_or(Value::None);
            d.insert(a[0].clone(), default.clone())?;
            Ok(default)
        }
        "pop" => {
            let a = expected(args, q, 1, 2)?;
            let removed = lock(dict).remove(&a[0])?;
            match (removed, a.get(1)) {
                (Some(v), _) => Ok(v),
                (None, Some(default)) => Ok(default.clone()),
                (None, None) => Err(Exception::key_error(&a[0])),
            }
        }
        "popitem" => {
            no_args(args, q)?;
            let item = lock(dict).pop_item(true);
            match item {
                Some((k, v)) => Ok(Value::tuple(vec![k, v])),
                None => Err(Exception::key_error(&Value::str(
                    "popitem(): dictionary is empty",
                ))),
            }
        }
        "update" => {
            let positional_only = Args::new(args.positional.clone());
            let a = expected(&positional_only, q, 0, 1)?;
            let mut pairs = Vec::new();
            if let Some(other) = a.first() {
                pairs = crate::lang::builtins::dict_pairs(other)?;
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
            no_args(args, q)?;
            let copy = lock(dict).clone();
            Ok(Value::Dict(crate::lang::value::shared(copy)))
        }
        "clear" => {
            no_args(args, q)?;
            let mut d = lock(dict);
            let kind = d.kind.clone();
            *d = crate::lang::dict::Dict::of_kind(kind);
            Ok(Value::None)
        }
        _ => Err(no_attribute(receiver, name)),
    }
}

/// `dict.fromkeys(iterable[, value])`.
pub(super) fn fromkeys(args: &Args) -> Result<Value, Exception> {
    let a = expected(args, "dict.fromkeys", 1, 2)?;
    let value = a.get(1).cloned().unwrap_or(Value::None);
    let mut d = crate::lang::dict::Dict::new();
    for key in collect(&a[0])? {
        d.insert(key, value.clone())?;
    }
    Ok(Value::Dict(crate::lang::value::shared(d)))
}

/// `a | b` for two dicts: a copy of `a` updated from `b`.
pub(crate) fn dict_union(a: &Value, b: &Value) -> Option<Result<Value, Exception>> {
    let (Value::Dict(x), Value::Dict(y)) = (a, b) else {
        return None;
    };
    let mut out = lock(x).clone();
    let items = lock(y).items();
    Some((|| {
        for (k, v) in items {
            out.insert(k, v)?;
        }
        Ok(Value::Dict(crate::lang::value::shared(out)))
    })())
}

/// `a |= b` for a dict: `a.update(b)` in place, `b` a mapping or an iterable of pairs.
pub(crate) fn dict_update_in_place(a: &Value, b: &Value) -> Option<Result<Value, Exception>> {
    let Value::Dict(x) = a else {
        return None;
    };
    if lock(x).kind.name() == Some("Counter") {
        return None;
    }
    Some((|| {
        let pairs = crate::lang::builtins::dict_pairs(b)?;
        let mut d = lock(x);
        for (k, v) in pairs {
            d.insert(k, v)?;
        }
        Ok(a.clone())
    })())
}

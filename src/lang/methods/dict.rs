//! Methods of dict.

use super::{no_attribute, positional};
use crate::lang::exception::Exception;
use crate::lang::value::{lock, Args, DictViewKind, Value};

pub(super) fn dict_method(receiver: &Value, name: &str, args: &Args) -> Result<Value, Exception> {
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
                (None, None) => Err(Exception::key_error(&a[0])),
            }
        }
        "update" => {
            let positional_only = Args::new(args.positional.clone());
            let a = positional(&positional_only, name, 0, 1)?;
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
            positional(args, name, 0, 0)?;
            Ok(Value::Dict(crate::lang::value::shared(lock(dict).clone())))
        }
        "clear" => {
            positional(args, name, 0, 0)?;
            *lock(dict) = crate::lang::dict::Dict::new();
            Ok(Value::None)
        }
        _ => Err(no_attribute(receiver, name)),
    }
}

//! Methods of list.

use super::{no_attribute, positional, sort_values};
use crate::lang::builtins::int_of;
use crate::lang::exception::Exception;
use crate::lang::interp::{collect, Interp};
use crate::lang::ops;
use crate::lang::repr::repr;
use crate::lang::value::{lock, Args, Value};

pub(super) fn list_method(
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
            let mut items = lock(list);
            ops::check_len(items.len() + 1)?;
            items.extend(a.iter().cloned());
        }
        "extend" => {
            let a = positional(args, name, 1, 1)?;
            let new = collect(&a[0])?;
            let mut items = lock(list);
            ops::check_len(items.len() + new.len())?;
            items.extend(new);
        }
        "pop" => {
            let a = positional(args, name, 0, 1)?;
            let mut items = lock(list);
            if items.is_empty() {
                return Err(Exception::index_error("pop from empty list"));
            }
            let len = items.len() as i64;
            let i = a.first().map(int_of).transpose()?.unwrap_or(-1);
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
            let i = int_of(&a[0])?;
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

//! Methods of list.

use super::{
    count, expected, no_args, no_attribute, one_arg, sequence_index, sort_values, Qualname,
};
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
    let q = Qualname { kind: "list", name };
    match name {
        "append" => {
            let x = one_arg(args, q)?;
            let mut items = lock(list);
            ops::grow_for(&mut items, 1)?;
            items.push(x.clone());
        }
        "extend" => {
            let x = one_arg(args, q)?;
            let new = collect(x)?;
            let mut items = lock(list);
            ops::grow_for(&mut items, new.len())?;
            items.extend(new);
        }
        "pop" => {
            let a = expected(args, q, 0, 1)?;
            let i = a.first().map(int_of).transpose()?.unwrap_or(-1);
            let mut items = lock(list);
            if items.is_empty() {
                return Err(Exception::index_error("pop from empty list"));
            }
            let len = items.len() as i64;
            let i = if i < 0 { i + len } else { i };
            if !(0..len).contains(&i) {
                return Err(Exception::index_error("pop index out of range"));
            }
            return Ok(items.remove(i as usize));
        }
        "insert" => {
            let a = expected(args, q, 2, 2)?;
            let i = int_of(&a[0])?;
            let mut items = lock(list);
            ops::grow_for(&mut items, 1)?;
            let len = items.len() as i64;
            let i = if i < 0 { (i + len).max(0) } else { i.min(len) };
            items.insert(i as usize, a[1].clone());
        }
        "index" => {
            let items = lock(list).clone();
            return match sequence_index(&items, args, q)? {
                Some(i) => Ok(Value::Int(i as i64)),
                None => Err(Exception::value_error(format!(
                    "{} is not in list",
                    repr(&args.positional[0])
                ))),
            };
        }
        "count" => {
            let x = one_arg(args, q)?;
            let items = lock(list).clone();
            return Ok(Value::Int(count(&items, x)?));
        }
        "remove" => {
            let x = one_arg(args, q)?;
            let items = lock(list).clone();
            let mut found = None;
            for (i, v) in items.iter().enumerate() {
                if ops::equals(v, x)? {
                    found = Some(i);
                    break;
                }
            }
            let Some(i) = found else {
                return Err(Exception::value_error("list.remove(x): x not in list"));
            };
            let mut items = lock(list);
            if i < items.len() {
                items.remove(i);
            }
        }
        "copy" => {
            no_args(args, q)?;
            return Ok(Value::list(lock(list).clone()));
        }
        "clear" => {
            no_args(args, q)?;
            lock(list).clear();
        }
        "reverse" => {
            no_args(args, q)?;
            lock(list).reverse();
        }
        "sort" => {
            if !args.positional.is_empty() {
                return Err(Exception::type_error(
                    "sort() takes no positional arguments",
                ));
            }
            if let Some((key, _)) = args
                .keywords
                .iter()
                .find(|(k, _)| k != "key" && k != "reverse")
            {
                return Err(Exception::type_error(format!(
                    "'{key}' is an invalid keyword argument for sort()"
                )));
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

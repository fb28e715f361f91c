//! Subscripts on built-in sequences and dicts: `x[i]`, `x[a:b:c]`, assignment and `del`.

use super::exception::Exception;
use super::interp::collect;
use super::value::{lock, Range, Value};

/// The positions a slice selects from a sequence of `len` items (CPython's slice.indices).
fn slice_positions(parts: &[Value; 3], len: usize) -> Result<Vec<usize>, Exception> {
    let int = |v: &Value| -> Result<Option<i64>, Exception> {
        match v {
            Value::None => Ok(None),
            Value::Int(i) => Ok(Some(*i)),
            Value::Bool(b) => Ok(Some(*b as i64)),
            _ => Err(Exception::type_error(
                "slice indices must be integers or None or have an __index__ method",
            )),
        }
    };
    let [start, stop, step] = parts;
    let step = int(step)?.unwrap_or(1);
    if step == 0 {
        return Err(Exception::value_error("slice step cannot be zero"));
    }
    let len = len as i64;
    let clamp = |v: Option<i64>, default: i64| -> i64 {
        match v {
            None => default,
            Some(i) if i < 0 => {
                let i = i.saturating_add(len);
                if i < 0 {
                    if step < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    i
                }
            }
            Some(i) if i >= len => {
                if step < 0 {
                    len - 1
                } else {
                    len
                }
            }
            Some(i) => i,
        }
    };
    let (start, stop) = if step > 0 {
        (clamp(int(start)?, 0), clamp(int(stop)?, len))
    } else {
        (clamp(int(start)?, len - 1), clamp(int(stop)?, -1))
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        out.push(i as usize);
        i += step;
    }
    Ok(out)
}

/// A position from an integer index, counting from the end when negative.
fn position(index: i64, len: usize) -> Option<usize> {
    let i = if index < 0 {
        index.checked_add(len as i64)?
    } else {
        index
    };
    (0..len as i64).contains(&i).then_some(i as usize)
}

fn int_index(index: &Value) -> Option<i64> {
    match index {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

fn bad_index(container: &str, index: &Value) -> Exception {
    if let Value::BigInt(_) = index {
        return Exception::new("IndexError", "cannot fit 'int' into an index-sized integer");
    }
    Exception::type_error(format!(
        "{container} indices must be integers or slices, not {}",
        index.type_name()
    ))
}

/// Items of a list/tuple/str-like sequence selected by an int or a slice.
fn select<T: Clone>(
    items: &[T],
    index: &Value,
    what: &str,
) -> Result<Result<T, Vec<T>>, Exception> {
    if let Some(i) = int_index(index) {
        return position(i, items.len())
            .map(|p| Ok(items[p].clone()))
            .ok_or_else(|| Exception::index_error(format!("{what} index out of range")));
    }
    if let Value::Slice(parts) = index {
        return Ok(Err(slice_positions(parts, items.len())?
            .into_iter()
            .map(|p| items[p].clone())
            .collect()));
    }
    Err(bad_index(what, index))
}

pub fn get_item(object: &Value, index: &Value) -> Result<Value, Exception> {
    match object {
        Value::List(list) => {
            let items = lock(list);
            Ok(match select(&items, index, "list")? {
                Ok(v) => v,
                Err(vs) => Value::list(vs),
            })
        }
        Value::Tuple(items) => Ok(match select(items, index, "tuple")? {
            Ok(v) => v,
            Err(vs) => Value::tuple(vs),
        }),
        Value::Str(s) => {
            // ASCII text is indexed by byte, without a copy of every character.
            let picked = if s.is_ascii() {
                select(s.as_bytes(), index, "string").map(|p| match p {
                    Ok(b) => char::from(b).to_string(),
                    Err(bs) => bs.into_iter().map(char::from).collect(),
                })
            } else {
                let chars: Vec<char> = s.chars().collect();
                select(&chars, index, "string").map(|p| match p {
                    Ok(c) => c.to_string(),
                    Err(cs) => cs.into_iter().collect(),
                })
            };
            match picked {
                Ok(text) => Ok(Value::str(text)),
                Err(e) if e.class() == "TypeError" => Err(Exception::type_error(format!(
                    "string indices must be integers, not '{}'",
                    index.type_name()
                ))),
                Err(e) => Err(e),
            }
        }
        Value::Range(r) => range_item(r, index),
        Value::Dict(d) => lock(d)
            .get(index)?
            .ok_or_else(|| Exception::key_error(index)),
        Value::Host(h) => h.get_item(index),
        other => Err(Exception::type_error(format!(
            "'{}' object is not subscriptable",
            other.type_name()
        ))),
    }
}

fn range_item(r: &Range, index: &Value) -> Result<Value, Exception> {
    if let Some(i) = int_index(index) {
        return position(i, r.len())
            .and_then(|p| r.get(p))
            .map(Value::Int)
            .ok_or_else(|| Exception::index_error("range object index out of range"));
    }
    let Value::Slice(parts) = index else {
        return Err(bad_index("range", index));
    };
    let positions = slice_positions(parts, r.len())?;
    let step = match &parts[2] {
        Value::Int(s) => r.step * s,
        _ => r.step,
    };
    let start = positions.first().and_then(|&p| r.get(p)).unwrap_or(r.start);
    let stop = start + step * positions.len() as i64;
    Ok(Value::Range(std::sync::Arc::new(Range {
        start,
        stop,
        step,
    })))
}

pub fn set_item(object: &Value, index: &Value, value: Value) -> Result<(), Exception> {
    match object {
        Value::List(list) => {
            if let Some(i) = int_index(index) {
                let mut items = lock(list);
                let len = items.len();
                let p = position(i, len)
                    .ok_or_else(|| Exception::index_error("list assignment index out of range"))?;
                items[p] = value;
                return Ok(());
            }
            let Value::Slice(parts) = index else {
                return Err(bad_index("list", index));
            };
            let new: Vec<Value> = match &value {
                Value::List(other) => lock(other).clone(),
                other => collect(other)
                    .map_err(|_| Exception::type_error("must assign iterable to extended slice"))?,
            };
            let mut items = lock(list);
            let positions = slice_positions(parts, items.len())?;
            let plain = matches!(parts[2], Value::None | Value::Int(1));
            if plain {
                let start = positions.first().copied().unwrap_or_else(|| {
                    let lower = match &parts[0] {
                        Value::Int(i) => position(*i, items.len()).unwrap_or(if *i < 0 {
                            0
                        } else {
                            items.len()
                        }),
                        _ => 0,
                    };
                    lower.min(items.len())
                });
                items.splice(start..start + positions.len(), new);
                return Ok(());
            }
            if new.len() != positions.len() {
                return Err(Exception::value_error(format!(
                    "attempt to assign sequence of size {} to extended slice of size {}",
                    new.len(),
                    positions.len()
                )));
            }
            for (p, v) in positions.into_iter().zip(new) {
                items[p] = v;
            }
            Ok(())
        }
        Value::Dict(d) => lock(d).insert(index.clone(), value),
        Value::Host(h) => h.set_item(index, value),
        other => Err(Exception::type_error(format!(
            "'{}' object does not support item assignment",
            other.type_name()
        ))),
    }
}

pub fn del_item(object: &Value, index: &Value) -> Result<(), Exception> {
    match object {
        Value::List(list) => {
            let mut items = lock(list);
            if let Some(i) = int_index(index) {
                let p = position(i, items.len())
                    .ok_or_else(|| Exception::index_error("list assignment index out of range"))?;
                items.remove(p);
                return Ok(());
            }
            let Value::Slice(parts) = index else {
                return Err(bad_index("list", index));
            };
            let mut positions = slice_positions(parts, items.len())?;
            positions.sort_unstable();
            for p in positions.into_iter().rev() {
                items.remove(p);
            }
            Ok(())
        }
        Value::Dict(d) => match lock(d).remove(index)? {
            Some(_) => Ok(()),
            None => Err(Exception::key_error(index)),
        },
        other => Err(Exception::type_error(format!(
            "'{}' object does not support item deletion",
            other.type_name()
        ))),
    }
}

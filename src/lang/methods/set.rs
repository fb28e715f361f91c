//! Methods of `set` and `frozenset`.

use crate::lang::exception::Exception;
use crate::lang::interp::Interp;
use crate::lang::ops::sets::{as_set, same_kind};
use crate::lang::set::PySet;
use crate::lang::value::{lock, Args, Value};

pub(super) const SET_METHODS: &[&str] = &[
    "add",
    "discard",
    "remove",
    "pop",
    "clear",
    "copy",
    "update",
    "union",
    "intersection",
    "difference",
    "symmetric_difference",
    "issubset",
    "issuperset",
    "isdisjoint",
    "intersection_update",
    "difference_update",
    "symmetric_difference_update",
];

pub(super) const FROZENSET_METHODS: &[&str] = &[
    "copy",
    "union",
    "intersection",
    "difference",
    "symmetric_difference",
    "issubset",
    "issuperset",
    "isdisjoint",
];

/// The argument of a set method as a table: sets directly, other iterables collected.
fn table_of(interp: &mut Interp<'_>, v: &Value) -> Result<PySet, Exception> {
    match as_set(v) {
        Some(t) => Ok(t),
        None => {
            let items = interp.collect(v)?;
            PySet::from_values(items)
        }
    }
}

fn one(args: &Args, name: &str) -> Result<Value, Exception> {
    args.no_keywords(name)?;
    match args.positional.as_slice() {
        [v] => Ok(v.clone()),
        other => Err(Exception::type_error(format!(
            "set.{name}() takes exactly one argument ({} given)",
            other.len()
        ))),
    }
}

pub(super) fn set_method(
    interp: &mut Interp<'_>,
    receiver: &Value,
    name: &str,
    args: &Args,
) -> Result<Value, Exception> {
    if !matches!(receiver, Value::Set(_) | Value::FrozenSet(_)) {
        return Err(Exception::type_error("descriptor requires a 'set' object"));
    }
    // A snapshot of the receiver, taken only by the methods that read it whole (the
    // mutating ones lock it instead: copying per `add` would make filling a set quadratic).
    let table = || as_set(receiver).unwrap_or_default();
    // Methods that build a new set from any number of iterables.
    let combine = |interp: &mut Interp<'_>, table: PySet, f: fn(&PySet, &PySet) -> PySet| {
        args.no_keywords(name)?;
        let mut result = table;
        for other in &args.positional {
            let other = table_of(interp, other)?;
            result = f(&result, &other);
        }
        Ok::<PySet, Exception>(result)
    };
    match name {
        "copy" => Ok(same_kind(receiver, table())),
        "union" => Ok(same_kind(receiver, combine(interp, table(), PySet::union)?)),
        "intersection" => Ok(same_kind(
            receiver,
            combine(interp, table(), PySet::intersection)?,
        )),
        "difference" => Ok(same_kind(
            receiver,
            combine(interp, table(), PySet::difference)?,
        )),
        "symmetric_difference" => {
            let other = table_of(interp, &one(args, name)?)?;
            Ok(same_kind(receiver, table().symmetric_difference(&other)))
        }
        "issubset" => Ok(Value::Bool(
            table().is_subset(&table_of(interp, &one(args, name)?)?),
        )),
        "issuperset" => Ok(Value::Bool(
            table().is_superset(&table_of(interp, &one(args, name)?)?),
        )),
        "isdisjoint" => Ok(Value::Bool(
            table().is_disjoint(&table_of(interp, &one(args, name)?)?),
        )),
        _ => {
            let Value::Set(shared) = receiver else {
                return Err(Exception::attribute_error(format!(
                    "'frozenset' object has no attribute '{name}'"
                )));
            };
            let value = match name {
                "add" => {
                    let item = one(args, name)?;
                    match interp.custom_hash(&item)? {
                        Some(hash) => {
                            lock(shared).insert_hashed(item, hash);
                        }
                        None => {
                            lock(shared).insert(item)?;
                        }
                    }
                    Value::None
                }
                "discard" => {
                    lock(shared).discard(&one(args, name)?)?;
                    Value::None
                }
                "remove" => {
                    let key = one(args, name)?;
                    if !lock(shared).discard(&key)? {
                        return Err(Exception::key_error(&key));
                    }
                    Value::None
                }
                "pop" => {
                    args.no_keywords(name)?;
                    return lock(shared)
                        .pop()
                        .ok_or_else(|| Exception::new("KeyError", "'pop from an empty set'"));
                }
                "clear" => {
                    lock(shared).clear();
                    Value::None
                }
                _ => {
                    args.no_keywords(name)?;
                    let mut others = Vec::with_capacity(args.positional.len());
                    for other in &args.positional {
                        others.push(table_of(interp, other)?);
                    }
                    let mut target = lock(shared);
                    for other in &others {
                        match name {
                            "update" => target.update(other),
                            "intersection_update" => target.intersection_update(other),
                            "difference_update" => target.difference_update(other),
                            "symmetric_difference_update" => {
                                target.symmetric_difference_update(other)
                            }
                            _ => {
                                return Err(Exception::attribute_error(format!(
                                    "'set' object has no attribute '{name}'"
                                )))
                            }
                        }
                    }
                    Value::None
                }
            };
            Ok(value)
        }
    }
}

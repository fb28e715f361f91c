//! Iteration over values (`for`, comprehensions, and builtins that consume iterables).

use super::super::exception::Exception;
use super::super::ops::check_len;
use super::super::value::{lock, DictViewKind, PyIterator, Range, Shared, Value};
use super::Interp;

/// A position in an iterable. Lists are walked by index, so appending while looping works as in Python.
pub enum ValueIter {
    List(Shared<Vec<Value>>, usize),
    Items(std::vec::IntoIter<Value>),
    Range(Range, usize),
    Shared(Shared<PyIterator>),
}

impl Iterator for ValueIter {
    type Item = Value;

    fn next(&mut self) -> Option<Value> {
        match self {
            ValueIter::List(list, i) => {
                let item = lock(list).get(*i).cloned();
                *i += 1;
                item
            }
            ValueIter::Items(items) => items.next(),
            ValueIter::Range(r, i) => {
                let item = r.get(*i).map(Value::Int);
                *i += 1;
                item
            }
            ValueIter::Shared(it) => lock(it).items.pop_front(),
        }
    }
}

pub fn not_iterable(v: &Value) -> Exception {
    Exception::type_error(format!("'{}' object is not iterable", v.type_name()))
}

/// `iter(v)`.
pub fn iter_value(v: &Value) -> Result<ValueIter, Exception> {
    let items = |v: Vec<Value>| ValueIter::Items(v.into_iter());
    Ok(match v {
        Value::List(l) => ValueIter::List(l.clone(), 0),
        Value::Tuple(t) => items(t.to_vec()),
        Value::Str(s) => items(s.chars().map(|c| Value::str(c.to_string())).collect()),
        Value::Dict(d) | Value::DictView(DictViewKind::Keys, d) => items(lock(d).keys()),
        Value::DictView(DictViewKind::Values, d) => items(lock(d).values()),
        Value::DictView(DictViewKind::Items, d) => items(
            lock(d)
                .items()
                .into_iter()
                .map(|(k, v)| Value::tuple(vec![k, v]))
                .collect(),
        ),
        Value::Range(r) => ValueIter::Range(*r, 0),
        Value::Iterator(it) => ValueIter::Shared(it.clone()),
        Value::Host(h) => match h.iterate() {
            Some(values) => items(values?),
            None => return Err(not_iterable(v)),
        },
        other => return Err(not_iterable(other)),
    })
}

/// Every item of an iterable, refusing sizes that would exhaust memory.
pub fn collect(v: &Value) -> Result<Vec<Value>, Exception> {
    if let Value::Range(r) = v {
        check_len(r.len())?;
        super::super::budget::reserve_items(r.len(), super::super::budget::ITEM_BYTES)?;
    }
    Ok(iter_value(v)?.collect())
}

/// A one-pass iterator value, as `zip`, `enumerate` and generator expressions return.
pub fn iterator(kind: &'static str, items: Vec<Value>) -> Value {
    Value::Iterator(super::super::value::shared(PyIterator {
        kind,
        items: items.into(),
    }))
}

impl Interp<'_> {
    /// Collects an iterable, checking for interrupts while it grows.
    pub fn collect(&self, v: &Value) -> Result<Vec<Value>, Exception> {
        self.check_interrupt()?;
        collect(v)
    }
}

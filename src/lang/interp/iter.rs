//! Iteration over values (`for`, comprehensions, and builtins that consume iterables).
//!
//! A `ValueIter` is a position in an iterable. Built-in containers are walked without calling
//! back into Python; generators, iterator objects and user classes with `__iter__`/`__next__`
//! advance through the interpreter, so stepping takes `&mut Interp`.

use super::super::exception::Exception;
use super::super::ops::check_len;
use super::super::value::{lock, shared, DictViewKind, PyIterator, Shared, Value};
use super::Interp;

pub enum ValueIter {
    /// Lists are walked by index, so appending while looping works as in Python.
    List(Shared<Vec<Value>>, usize),
    Items(std::vec::IntoIter<Value>),
    /// A range's next value and how many are left, its length worked out once.
    Range {
        next: i64,
        step: i64,
        left: usize,
    },
    /// Anything else with `__next__`: a `Value::Iterator`, a generator, an instance.
    Object(Value),
}

pub type NativeStep = dyn FnMut(&mut Interp<'_>) -> Result<Option<Value>, Exception> + Send;

/// What a one-pass iterator object (`Value::Iterator`) produces next.
pub enum IterSource {
    Values(ValueIter),
    Zip(Vec<ValueIter>),
    Enumerate(ValueIter, i64),
    Map(Value, Vec<ValueIter>),
    Filter(Value, ValueIter),
    /// A lazy iterator written in Rust (`itertools`): each call yields the next item.
    Native(Box<NativeStep>),
    /// Being advanced right now (re-entering it is Python's "already executing" error).
    Busy,
}

impl ValueIter {
    pub fn next(&mut self, interp: &mut Interp<'_>) -> Result<Option<Value>, Exception> {
        Ok(match self {
            ValueIter::List(list, i) => {
                let item = lock(list).get(*i).cloned();
                *i += 1;
                item
            }
            ValueIter::Items(items) => items.next(),
            ValueIter::Range { next, step, left } => range_step(next, *step, left),
            ValueIter::Object(object) => interp.next_of(&object.clone())?,
        })
    }

    /// Steps a built-in container without an interpreter; `None` for iterator objects.
    fn next_plain(&mut self) -> Option<Option<Value>> {
        match self {
            ValueIter::Object(_) => None,
            ValueIter::List(list, i) => {
                let item = lock(list).get(*i).cloned();
                *i += 1;
                Some(item)
            }
            ValueIter::Items(items) => Some(items.next()),
            ValueIter::Range { next, step, left } => Some(range_step(next, *step, left)),
        }
    }
}

fn range_step(next: &mut i64, step: i64, left: &mut usize) -> Option<Value> {
    *left = left.checked_sub(1)?;
    let item = *next;
    // Past the last item the sum may overflow; it is never read then.
    *next = next.wrapping_add(step);
    Some(Value::Int(item))
}

pub fn not_iterable(v: &Value) -> Exception {
    Exception::type_error(format!("'{}' object is not iterable", v.type_name()))
}

/// `iter(v)` for values whose iteration needs no Python code; `None` for the others
/// (generators, iterator objects, instances).
fn plain_iter(v: &Value) -> Result<Option<ValueIter>, Exception> {
    let items = |v: Vec<Value>| ValueIter::Items(v.into_iter());
    Ok(Some(match v {
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
        Value::Range(r) => ValueIter::Range {
            next: r.start,
            step: r.step,
            left: r.len(),
        },
        Value::Set(set) => items(lock(set).iter().cloned().collect()),
        Value::FrozenSet(set) => items(set.iter().cloned().collect()),
        Value::Host(h) => match h.iterate() {
            Some(values) => items(values?),
            None => return Err(not_iterable(v)),
        },
        Value::Iterator(_) | Value::Generator(_) | Value::Instance(_) => return Ok(None),
        other => return Err(not_iterable(other)),
    }))
}

/// Every item of a built-in iterable, refusing sizes that would exhaust memory. Iterator
/// objects and instances need [`Interp::collect`].
pub fn collect(v: &Value) -> Result<Vec<Value>, Exception> {
    if let Value::Range(r) = v {
        check_len(r.len())?;
        super::super::budget::reserve_items(r.len(), super::super::budget::ITEM_BYTES)?;
    }
    match plain_iter(v)? {
        Some(mut it) => {
            let mut out = Vec::new();
            while let Some(Some(item)) = it.next_plain() {
                out.push(item);
            }
            Ok(out)
        }
        None => Err(not_iterable(v)),
    }
}

/// A one-pass iterator value over `items`, as `reversed` returns.
pub fn iterator(kind: &'static str, items: Vec<Value>) -> Value {
    iterator_from(
        kind,
        IterSource::Values(ValueIter::Items(items.into_iter())),
    )
}

pub fn iterator_from(kind: &'static str, source: IterSource) -> Value {
    Value::Iterator(shared(PyIterator { kind, source }))
}

impl Interp<'_> {
    /// The old sequence protocol: `obj[0]`, `obj[1]`, ... until `IndexError`.
    fn sequence_iter(&mut self, v: &Value) -> Result<ValueIter, Exception> {
        let mut items = Vec::new();
        loop {
            match self.call_dunder(v, "__getitem__", [Value::Int(items.len() as i64)]) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return Err(not_iterable(v)),
                Err(e) if self.exception_matches_name(&e, "IndexError") => {
                    return Ok(ValueIter::Items(items.into_iter()))
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// `iter(v)`.
    pub fn iter(&mut self, v: &Value) -> Result<ValueIter, Exception> {
        if let Some(it) = plain_iter(v)? {
            return Ok(it);
        }
        match v {
            Value::Instance(_) => {
                let Some(it) = self.call_dunder(v, "__iter__", Vec::new())? else {
                    return self.sequence_iter(v);
                };
                match &it {
                    Value::Instance(_) | Value::Iterator(_) | Value::Generator(_) => {
                        Ok(ValueIter::Object(it))
                    }
                    other => Err(Exception::type_error(format!(
                        "iter() returned non-iterator of type '{}'",
                        other.type_name()
                    ))),
                }
            }
            other => Ok(ValueIter::Object(other.clone())),
        }
    }

    /// `next(it)` on an iterator object; `None` when it is exhausted.
    pub fn next_of(&mut self, it: &Value) -> Result<Option<Value>, Exception> {
        match it {
            Value::Iterator(state) => {
                let mut source = std::mem::replace(&mut lock(state).source, IterSource::Busy);
                let result = self.advance_source(&mut source);
                lock(state).source = source;
                result
            }
            Value::Generator(g) => g.next(self),
            Value::Instance(_) => match self.call_dunder(it, "__next__", Vec::new()) {
                Ok(Some(v)) => Ok(Some(v)),
                Ok(None) => Err(Exception::type_error(format!(
                    "'{}' object is not an iterator",
                    it.type_name()
                ))),
                Err(e) if self.exception_matches_name(&e, "StopIteration") => Ok(None),
                Err(e) => Err(e),
            },
            other => Err(Exception::type_error(format!(
                "'{}' object is not an iterator",
                other.type_name()
            ))),
        }
    }

    fn advance_source(&mut self, source: &mut IterSource) -> Result<Option<Value>, Exception> {
        match source {
            IterSource::Values(it) => it.next(self),
            IterSource::Zip(columns) => {
                if columns.is_empty() {
                    return Ok(None);
                }
                let mut row = Vec::with_capacity(columns.len());
                for column in columns.iter_mut() {
                    match column.next(self)? {
                        Some(v) => row.push(v),
                        None => return Ok(None),
                    }
                }
                Ok(Some(Value::tuple(row)))
            }
            IterSource::Enumerate(it, i) => Ok(match it.next(self)? {
                Some(v) => {
                    let item = Value::tuple(vec![Value::Int(*i), v]);
                    *i += 1;
                    Some(item)
                }
                None => None,
            }),
            IterSource::Map(f, columns) => {
                let mut args = Vec::with_capacity(columns.len());
                for column in columns.iter_mut() {
                    match column.next(self)? {
                        Some(v) => args.push(v),
                        None => return Ok(None),
                    }
                }
                let f = f.clone();
                self.call(&f, super::super::value::Args::new(args))
                    .map(Some)
            }
            IterSource::Filter(f, it) => loop {
                let Some(item) = it.next(self)? else {
                    return Ok(None);
                };
                let keep = match &*f {
                    Value::None => item.clone(),
                    func => {
                        let func = func.clone();
                        self.call(&func, super::super::value::Args::new(vec![item.clone()]))?
                    }
                };
                if self.truthy(&keep)? {
                    return Ok(Some(item));
                }
            },
            IterSource::Native(step) => step(self),
            IterSource::Busy => Err(Exception::value_error("generator already executing")),
        }
    }

    /// Collects an iterable, checking for interrupts and memory as it grows.
    pub fn collect(&mut self, v: &Value) -> Result<Vec<Value>, Exception> {
        self.check_interrupt()?;
        if let Value::Range(r) = v {
            check_len(r.len())?;
        }
        let mut it = self.iter(v)?;
        let mut out = Vec::new();
        while let Some(item) = it.next(self)? {
            if out.len() % 4096 == 4095 {
                self.check_interrupt()?;
                check_len(out.len() + 1)?;
            }
            out.push(item);
        }
        Ok(out)
    }
}

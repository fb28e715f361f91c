//! Insertion-ordered dict with Python's key equality (`1 == 1.0 == True`).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use indexmap::{Equivalent, IndexMap};

use super::exception::Exception;
use super::heap::{Traced, Tracer};
use super::value::Value;

/// A hashable projection of a key value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    None,
    Int(i64),
    /// An int outside the i64 range (or an integral float equal to one).
    Big(Arc<num_bigint::BigInt>),
    Float(u64),
    Str(Arc<str>),
    Tuple(Vec<Key>),
    /// Hosts (and functions) hash by identity, as Python objects without `__eq__` do.
    Identity(usize),
    /// An instance of a class defining `__hash__`, by that hash (computed by the evaluator).
    Hashed(i64),
}

// Written out (not derived) so that `StrKey` can hash the same way without allocating.
impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Key::None => state.write_u8(0),
            Key::Int(i) => {
                state.write_u8(1);
                i.hash(state);
            }
            Key::Big(b) => {
                state.write_u8(7);
                b.hash(state);
            }
            Key::Float(bits) => {
                state.write_u8(2);
                bits.hash(state);
            }
            Key::Str(s) => StrKey(s).hash(state),
            Key::Tuple(items) => {
                state.write_u8(4);
                items.hash(state);
            }
            Key::Identity(address) => {
                state.write_u8(5);
                address.hash(state);
            }
            Key::Hashed(hash) => {
                state.write_u8(6);
                hash.hash(state);
            }
        }
    }
}

/// A borrowed string key, for attribute lookups in instance dicts.
struct StrKey<'a>(&'a str);

impl Hash for StrKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u8(3);
        self.0.hash(state);
    }
}

impl Equivalent<Key> for StrKey<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        matches!(key, Key::Str(s) if &**s == self.0)
    }
}

fn identity<T: ?Sized>(ptr: *const T) -> Key {
    Key::Identity(ptr as *const () as usize)
}

fn key_of(value: &Value) -> Result<Key, Exception> {
    Ok(match value {
        Value::None => Key::None,
        Value::Bool(b) => Key::Int(*b as i64),
        Value::Int(i) => Key::Int(*i),
        Value::BigInt(b) => Key::Big(b.clone()),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Key::Int(*f as i64),
        Value::Float(f) if f.fract() == 0.0 => match crate::lang::ops::bigint::from_float(*f) {
            Value::Int(i) => Key::Int(i),
            Value::BigInt(b) => Key::Big(b),
            _ => Key::Float(f.to_bits()),
        },
        Value::Float(f) => Key::Float(if *f == 0.0 { 0 } else { f.to_bits() }),
        Value::Str(s) => Key::Str(s.clone()),
        Value::Tuple(items) => Key::Tuple(items.iter().map(key_of).collect::<Result<_, _>>()?),
        Value::Function(f) => identity(Arc::as_ptr(f)),
        Value::Host(h) => match h.as_tuple() {
            Some(items) => Key::Tuple(items.iter().map(key_of).collect::<Result<_, _>>()?),
            None => identity(Arc::as_ptr(h)),
        },
        Value::Instance(i) if i.class.lookup("__hash__").is_some() => {
            return Err(Exception::type_error(format!(
                "unhashable type: '{}' (its __hash__ needs the interpreter)",
                i.class.name
            )))
        }
        Value::Instance(i) => identity(Arc::as_ptr(i)),
        Value::Class(c) => identity(Arc::as_ptr(c)),
        Value::Native(f) => identity(Arc::as_ptr(f)),
        Value::Generator(g) => identity(Arc::as_ptr(g)),
        other => {
            return Err(Exception::type_error(format!(
                "unhashable type: '{}'",
                other.type_name()
            )))
        }
    })
}

/// Which `collections` class a dict is: they are dicts with a few methods and behaviours of
/// their own (see `lang::collections`), so every dict operation applies to them unchanged.
#[derive(Clone, Default)]
pub enum DictKind {
    #[default]
    Plain,
    OrderedDict,
    /// `defaultdict` and its `default_factory` (a callable or `None`).
    DefaultDict(Value),
    Counter,
}

impl DictKind {
    /// The class name, `None` for a plain dict.
    pub fn name(&self) -> Option<&'static str> {
        match self {
            DictKind::Plain => None,
            DictKind::OrderedDict => Some("OrderedDict"),
            DictKind::DefaultDict(_) => Some("defaultdict"),
            DictKind::Counter => Some("Counter"),
        }
    }
}

#[derive(Clone, Default)]
pub struct Dict {
    /// Python's order is insertion order, which the map keeps whatever the hasher; a fast
    /// fixed one, as for names (every attribute read goes through an instance's dict).
    entries: IndexMap<Key, (Value, Value), foldhash::fast::FixedState>,
    pub kind: DictKind,
}

/// Deep chains (a linked list of instances) drop without deep recursion.
impl Drop for Dict {
    fn drop(&mut self) {
        if !self.entries.is_empty() {
            super::heap::dispose(std::mem::take(&mut self.entries));
        }
    }
}

impl Traced for Dict {
    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        for (key, value) in self.entries.values() {
            tracer.value(key);
            tracer.value(value);
        }
        if let DictKind::DefaultDict(factory) = &self.kind {
            tracer.value(factory);
        }
        true
    }
}

impl Dict {
    pub fn new() -> Dict {
        Dict::default()
    }

    /// An empty dict of one of the `collections` kinds (`Dict::of_kind(DictKind::OrderedDict)`
    /// for a state dict).
    pub fn of_kind(kind: DictKind) -> Dict {
        Dict {
            entries: IndexMap::default(),
            kind,
        }
    }

    /// An empty plain dict with room for `n` entries.
    pub fn with_capacity(n: usize) -> Dict {
        Dict {
            entries: IndexMap::with_capacity_and_hasher(n, Default::default()),
            kind: DictKind::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, key: &Value) -> Result<Option<Value>, Exception> {
        Ok(self.entries.get(&key_of(key)?).map(|(_, v)| v.clone()))
    }

    /// `get` for a string key, without allocating one.
    pub fn get_str(&self, key: &str) -> Option<Value> {
        self.entries.get(&StrKey(key)).map(|(_, v)| v.clone())
    }

    /// Where the str key `key` is, by insertion order.
    pub fn str_index(&self, key: &str) -> Option<usize> {
        self.entries.get_index_of(&StrKey(key))
    }

    /// The value at `index` when its key is still the str `key`: a cache hit, no hashing.
    pub fn str_at(&mut self, index: usize, key: &str) -> Option<&mut Value> {
        match self.entries.get_index_mut(index) {
            Some((Key::Str(k), (_, v))) if &**k == key => Some(v),
            _ => None,
        }
    }

    pub fn set_str(&mut self, key: &str, value: Value) {
        self.set_str_with(key, value, |k| Arc::from(k));
    }

    /// `set_str` where a new key's string comes from `new_key` (a shared one, say).
    pub fn set_str_with(
        &mut self,
        key: &str,
        value: Value,
        new_key: impl FnOnce(&str) -> Arc<str>,
    ) {
        match self.entries.get_mut(&StrKey(key)) {
            Some(entry) => entry.1 = value,
            None => {
                let key = new_key(key);
                self.entries
                    .insert(Key::Str(key.clone()), (Value::Str(key), value));
            }
        }
    }

    pub fn remove_str(&mut self, key: &str) -> Option<Value> {
        self.entries.shift_remove(&StrKey(key)).map(|(_, v)| v)
    }

    pub fn contains(&self, key: &Value) -> Result<bool, Exception> {
        Ok(self.entries.contains_key(&key_of(key)?))
    }

    /// Inserts or replaces; an existing key keeps its place and its original key object.
    pub fn insert(&mut self, key: Value, value: Value) -> Result<(), Exception> {
        let k = key_of(&key)?;
        match self.entries.get_mut(&k) {
            Some(entry) => entry.1 = value,
            None => {
                self.entries.insert(k, (key, value));
            }
        }
        Ok(())
    }

    pub fn remove(&mut self, key: &Value) -> Result<Option<Value>, Exception> {
        Ok(self.entries.shift_remove(&key_of(key)?).map(|(_, v)| v))
    }

    /// `insert` for a key whose hash the evaluator computed (instances with `__hash__`).
    pub fn insert_hashed(&mut self, key: Value, hash: i64, value: Value) {
        match self.entries.get_mut(&Key::Hashed(hash)) {
            Some(entry) => entry.1 = value,
            None => {
                self.entries.insert(Key::Hashed(hash), (key, value));
            }
        }
    }

    pub fn get_hashed(&self, hash: i64) -> Option<Value> {
        self.entries.get(&Key::Hashed(hash)).map(|(_, v)| v.clone())
    }

    pub fn remove_hashed(&mut self, hash: i64) -> Option<Value> {
        self.entries
            .shift_remove(&Key::Hashed(hash))
            .map(|(_, v)| v)
    }

    /// `OrderedDict.move_to_end`: false when `key` is absent.
    pub fn move_to_end(&mut self, key: &Value, last: bool) -> Result<bool, Exception> {
        let Some(i) = self.entries.get_index_of(&key_of(key)?) else {
            return Ok(false);
        };
        let to = if last { self.entries.len() - 1 } else { 0 };
        self.entries.move_index(i, to);
        Ok(true)
    }

    /// Removes and returns the last (or first) pair.
    pub fn pop_item(&mut self, last: bool) -> Option<(Value, Value)> {
        let entry = if last {
            self.entries.pop()
        } else {
            self.entries.shift_remove_index(0)
        };
        entry.map(|(_, pair)| pair)
    }

    pub fn keys(&self) -> Vec<Value> {
        self.entries.values().map(|(k, _)| k.clone()).collect()
    }

    pub fn values(&self) -> Vec<Value> {
        self.entries.values().map(|(_, v)| v.clone()).collect()
    }

    pub fn items(&self) -> Vec<(Value, Value)> {
        self.entries.values().cloned().collect()
    }
}

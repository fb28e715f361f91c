//! The open-addressing table of CPython 3.11's sets (Objects/setobject.c), slot for slot.

use crate::lang::exception::Exception;
use crate::lang::hash::{key_eq, py_hash};
use crate::lang::value::Value;

/// `PySet_MINSIZE`: every set starts with (and `clear` returns to) a table of 8 slots.
const MIN_SIZE: usize = 8;
/// Slots examined one after another before the probe jumps elsewhere.
const LINEAR_PROBES: u64 = 9;
const PERTURB_SHIFT: u32 = 5;

#[derive(Clone)]
enum Slot {
    Empty,
    /// A deleted entry: lookups probe past it, insertions may reuse it.
    Dummy,
    Active(i64, Value),
}

/// A `set` or `frozenset`: its elements iterate (and print) in CPython's order.
///
/// Not `Clone`: Python's copy (`s.copy()`, `set(s)`) re-lays the table; that is `copy`.
pub struct PySet {
    slots: Vec<Slot>,
    /// Active plus dummy slots.
    fill: usize,
    /// Active slots.
    used: usize,
    /// Where `pop` starts searching; survives `clear` and resizes, as in CPython.
    finger: usize,
}

impl Default for PySet {
    fn default() -> Self {
        PySet::new()
    }
}

/// The slots a lookup of `hash` visits, in order (endless; a table always has an empty slot).
struct Probe {
    mask: u64,
    perturb: u64,
    start: u64,
    offset: u64,
    run: u64,
}

impl Probe {
    fn new(hash: i64, mask: usize) -> Probe {
        let mask = mask as u64;
        let start = hash as u64 & mask;
        Probe {
            mask,
            perturb: hash as u64,
            start,
            offset: 0,
            run: Probe::run(start, mask),
        }
    }

    /// How many further slots follow `start` linearly before the next jump.
    fn run(start: u64, mask: u64) -> u64 {
        if start + LINEAR_PROBES <= mask {
            LINEAR_PROBES
        } else {
            0
        }
    }
}

impl Iterator for Probe {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.offset > self.run {
            self.perturb >>= PERTURB_SHIFT;
            self.start = self
                .start
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(self.perturb)
                & self.mask;
            self.offset = 0;
            self.run = Probe::run(self.start, self.mask);
        }
        let index = self.start + self.offset;
        self.offset += 1;
        Some(index as usize)
    }
}

/// Inserts into a table known to hold neither `key` nor dummies (`set_insert_clean`).
fn insert_clean(slots: &mut [Slot], key: Value, hash: i64) {
    for i in Probe::new(hash, slots.len() - 1) {
        if matches!(slots[i], Slot::Empty) {
            slots[i] = Slot::Active(hash, key);
            return;
        }
    }
}

/// The table size CPython grows to after an insertion fills it (`set_add_entry`).
fn growth(used: usize) -> usize {
    if used > 50000 {
        used * 2
    } else {
        used * 4
    }
}

impl PySet {
    pub fn new() -> PySet {
        PySet {
            slots: vec![Slot::Empty; MIN_SIZE],
            fill: 0,
            used: 0,
            finger: 0,
        }
    }

    /// `set(iterable)` for any iterable but a set or dict: each value added in turn. Also a
    /// display `{a, b}` and a set comprehension.
    pub fn from_values(values: impl IntoIterator<Item = Value>) -> Result<PySet, Exception> {
        let mut set = PySet::new();
        set.update_values(values)?;
        Ok(set)
    }

    /// The frozenset CPython makes of constants `{a, b, ...}` (all items constants after its
    /// constant folding: literals, `-1`, `2**40`, tuples of constants): built from the items,
    /// then rebuilt from its own iteration order when the compiler merges constants
    /// (`merge_consts_recursive`). A `for` loop or comprehension over such a display iterates
    /// this (the AST optimizer's `fold_iter`).
    pub fn constant_frozenset(items: Vec<Value>) -> Result<PySet, Exception> {
        let first = PySet::from_values(items)?;
        PySet::from_values(first.iter().cloned())
    }

    /// A display `{a, b, c, ...}` of more than two constants: CPython compiles it to
    /// `BUILD_SET 0; LOAD_CONST frozenset(...); SET_UPDATE 1`, a merge of `constant_frozenset`.
    pub fn from_constant_display(items: Vec<Value>) -> Result<PySet, Exception> {
        let mut set = PySet::new();
        set.update(&PySet::constant_frozenset(items)?);
        Ok(set)
    }

    /// `set(d)` for a dict `d` is `PySet::new()` then this.
    pub fn update_dict(&mut self, dict: &crate::lang::dict::Dict) -> Result<(), Exception> {
        // `set_update_internal`'s dict branch: one resize up front, then the keys in order.
        if (self.fill + dict.len()) * 5 >= self.mask() * 3 {
            self.resize((self.used + dict.len()) * 2);
        }
        self.update_values(dict.keys())
    }

    pub fn len(&self) -> usize {
        self.used
    }

    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// The elements in table order: Python's iteration and printing order.
    pub fn iter(&self) -> impl Iterator<Item = &Value> + '_ {
        self.entries().map(|(_, key)| key)
    }

    pub(super) fn entries(&self) -> impl Iterator<Item = (i64, &Value)> + '_ {
        self.slots.iter().filter_map(|slot| match slot {
            Slot::Active(hash, key) => Some((*hash, key)),
            _ => None,
        })
    }

    pub(super) fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// `s.add(key)`; true when it was not there yet.
    pub fn insert(&mut self, key: Value) -> Result<bool, Exception> {
        let hash = py_hash(&key)?;
        Ok(self.add_entry(key, hash))
    }

    /// `insert` with a hash the evaluator computed (an instance's own `__hash__`).
    pub fn insert_hashed(&mut self, key: Value, hash: i64) -> bool {
        self.add_entry(key, hash)
    }

    pub fn contains_hashed(&self, key: &Value, hash: i64) -> bool {
        self.find(key, hash).is_some()
    }

    pub fn contains(&self, key: &Value) -> Result<bool, Exception> {
        Ok(self.find(key, py_hash(key)?).is_some())
    }

    /// `s.discard(key)`; true when it was there.
    pub fn discard(&mut self, key: &Value) -> Result<bool, Exception> {
        let hash = py_hash(key)?;
        Ok(self.discard_entry(key, hash))
    }

    /// `s.remove(key)`: KeyError when it is not there.
    pub fn remove(&mut self, key: &Value) -> Result<(), Exception> {
        if self.discard(key)? {
            Ok(())
        } else {
            Err(Exception::key_error(key))
        }
    }

    /// `s.pop()` (`set_pop`): the first element at or after the finger, wrapping around;
    /// `None` for an empty set, where Python raises `KeyError: 'pop from an empty set'`.
    pub fn pop(&mut self) -> Option<Value> {
        if self.used == 0 {
            return None;
        }
        let mask = self.mask();
        let mut i = self.finger & mask;
        while !matches!(self.slots[i], Slot::Active(..)) {
            i = if i == mask { 0 } else { i + 1 };
        }
        let Slot::Active(_, key) = std::mem::replace(&mut self.slots[i], Slot::Dummy) else {
            return None;
        };
        self.used -= 1;
        self.finger = i + 1;
        Some(key)
    }

    /// `s.clear()`: back to an empty table of 8 (the finger stays, as in CPython).
    pub fn clear(&mut self) {
        self.slots = vec![Slot::Empty; MIN_SIZE];
        self.fill = 0;
        self.used = 0;
    }

    /// `s.copy()`, `set(s)`, `frozenset(s)`: a new set merged from this one.
    pub fn copy(&self) -> PySet {
        let mut copy = PySet::new();
        copy.update(self);
        copy
    }

    /// `s.update(other)` and `s |= other` for a set or frozenset `other` (`set_merge`).
    /// Callers skip `s.update(s)`, which CPython leaves alone.
    pub fn update(&mut self, other: &PySet) {
        if other.used == 0 {
            return;
        }
        // One big resize up front, expecting few common keys.
        if (self.fill + other.used) * 5 >= self.mask() * 3 {
            self.resize((self.used + other.used) * 2);
        }
        if self.fill == 0 && self.mask() == other.mask() && other.fill == other.used {
            self.slots.clone_from(&other.slots);
            self.fill = other.fill;
            self.used = other.used;
        } else if self.fill == 0 {
            for (hash, key) in other.entries() {
                insert_clean(&mut self.slots, key.clone(), hash);
            }
            self.fill = other.used;
            self.used = other.used;
        } else {
            for (hash, key) in other.entries() {
                self.add_entry(key.clone(), hash);
            }
        }
    }

    /// `s.update(iterable)` for an iterable that is neither a set nor a dict.
    pub fn update_values(
        &mut self,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<(), Exception> {
        for value in values {
            self.insert(value)?;
        }
        Ok(())
    }

    /// `set_lookkey`: the slot of the element equal to `key`.
    pub(super) fn find(&self, key: &Value, hash: i64) -> Option<usize> {
        for i in Probe::new(hash, self.mask()) {
            match &self.slots[i] {
                Slot::Empty => return None,
                Slot::Active(h, k) if *h == hash && key_eq(k, key) => return Some(i),
                _ => {}
            }
        }
        None
    }

    /// `set_add_entry`: a new key takes the last dummy passed on the way to an empty slot, or
    /// the empty slot itself, and only the latter may grow the table.
    pub(super) fn add_entry(&mut self, key: Value, hash: i64) -> bool {
        let mut free = None;
        let mut empty = 0;
        for i in Probe::new(hash, self.mask()) {
            match &self.slots[i] {
                Slot::Empty => {
                    empty = i;
                    break;
                }
                Slot::Active(h, k) if *h == hash && key_eq(k, &key) => return false,
                Slot::Dummy => free = Some(i),
                Slot::Active(..) => {}
            }
        }
        self.used += 1;
        if let Some(i) = free {
            self.slots[i] = Slot::Active(hash, key);
            return true;
        }
        self.slots[empty] = Slot::Active(hash, key);
        self.fill += 1;
        if self.fill * 5 >= self.mask() * 3 {
            self.resize(growth(self.used));
        }
        true
    }

    /// `set_discard_entry`: the slot becomes a dummy; the table never shrinks here.
    pub(super) fn discard_entry(&mut self, key: &Value, hash: i64) -> bool {
        match self.find(key, hash) {
            Some(i) => {
                self.slots[i] = Slot::Dummy;
                self.used -= 1;
                true
            }
            None => false,
        }
    }

    /// `set_table_resize`: a table of the smallest power of two (at least 8) above `min_used`,
    /// the active entries reinserted in their old table order.
    pub(super) fn resize(&mut self, min_used: usize) {
        let mut size = MIN_SIZE;
        while size <= min_used {
            size <<= 1;
        }
        if size == MIN_SIZE && self.slots.len() == MIN_SIZE && self.fill == self.used {
            return;
        }
        let old = std::mem::replace(&mut self.slots, vec![Slot::Empty; size]);
        self.fill = self.used;
        for slot in old {
            if let Slot::Active(hash, key) = slot {
                insert_clean(&mut self.slots, key, hash);
            }
        }
    }

    /// After removing many elements (`set_difference_update_internal`): when more than a
    /// quarter of the slots are dummies, rebuild.
    pub(super) fn purge_dummies(&mut self) {
        if self.fill - self.used > self.mask() / 4 {
            self.resize(growth(self.used));
        }
    }

    /// Takes `other`'s table, keeping this set's finger (`set_swap_bodies`).
    pub(super) fn take_table(&mut self, other: PySet) {
        self.slots = other.slots;
        self.fill = other.fill;
        self.used = other.used;
    }
}

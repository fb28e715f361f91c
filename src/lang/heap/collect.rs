//! Finding cycles no one else refers to, by trial deletion (CPython's `gcmodule.c`): an
//! object whose every reference comes from other tracked objects is unreachable unless one
//! of the objects reachable from outside leads to it.
//!
//! Roots cannot be listed (any Rust frame may hold a value), so the reference counts find
//! them: a tracked object holding more references than the tracked objects account for is
//! held from outside. Objects that are not tracked (tuples, module-level functions, the dict
//! of an instance) are looked through when they have a single owner, which must then be
//! the object being traced; one with several owners, or a kind that cannot be traced (a
//! tensor, a generator), keeps everything it refers to alive. Every guess goes
//! the safe way: an object is freed only when every reference to it was seen.

use std::any::Any;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use crate::lang::value::Value;

/// An object that can hold values, and so be part of a cycle.
pub trait Traced: Send + Sync {
    /// Shows `tracer` every reference this object holds; false when it is in use (locked
    /// by the code that was running), so that its contents cannot be seen now.
    fn trace(&self, tracer: &mut Tracer<'_>) -> bool;

    /// Where a collection marks the object as one of those it collects; `None` for kinds
    /// that are never tracked (they are only looked through).
    fn slot(&self) -> Option<&Slot> {
        None
    }

    /// Empties the object, once it is known to be unreachable: what it held is handed back
    /// to be dropped after the collection. Only tracked objects are ever cleared.
    fn clear(&self) -> Option<Box<dyn Any + Send>> {
        None
    }
}

/// How far single-owner objects are looked through (a tuple in a tuple in ...) before the
/// tracer gives up on the object being traced.
const DEPTH_LIMIT: usize = 512;

/// A tracked object's mark: the collection that is tracing it (high half) and its index
/// in that collection's list (low half). Marks of other collections mean "not collected
/// now", so nothing needs resetting afterwards; collections are numbered from 1 and a new
/// object's mark is 0.
#[derive(Default)]
pub struct Slot(AtomicU64);

static COLLECTIONS: AtomicU32 = AtomicU32::new(1);

/// What a trace reports: the tracked objects referred to, by index.
pub struct Tracer<'a> {
    collection: u32,
    found: &'a mut dyn FnMut(usize),
    depth: usize,
    complete: bool,
}

impl Tracer<'_> {
    pub fn value(&mut self, value: &Value) {
        match value {
            Value::List(l) => self.object(l),
            Value::Tuple(t) => self.object(t),
            Value::Slice(s) => self.object(s),
            Value::Dict(d) | Value::DictView(_, d) => self.object(d),
            Value::Set(s) => self.object(s),
            Value::FrozenSet(s) => self.object(s),
            Value::Function(f) => self.object(f),
            Value::Instance(i) => self.object(i),
            Value::Method(m) => self.object(m),
            Value::Descriptor(d) => self.object(d),
            Value::Super(s) => self.object(s),
            Value::Class(c) => self.object(c),
            // Leaves, or kinds whose references cannot be seen (they keep their referents
            // alive).
            Value::None
            | Value::Bool(_)
            | Value::Int(_)
            | Value::BigInt(_)
            | Value::Float(_)
            | Value::Str(_)
            | Value::Ellipsis
            | Value::Range(_)
            | Value::Native(_)
            | Value::Type(_)
            | Value::Iterator(_)
            | Value::Host(_)
            | Value::Generator(_) => {}
        }
    }

    /// A reference to `object`: reported when it is tracked, looked through when it has no
    /// other owner.
    pub fn object<T: Traced + ?Sized>(&mut self, object: &Arc<T>) {
        let mark = object
            .slot()
            .map_or(0, |slot| slot.0.load(Ordering::Relaxed));
        if (mark >> 32) as u32 == self.collection {
            (self.found)(mark as u32 as usize);
        } else if Arc::strong_count(object) == 1 {
            if self.depth == DEPTH_LIMIT {
                self.complete = false;
                return;
            }
            self.depth += 1;
            if !object.trace(self) {
                self.complete = false;
            }
            self.depth -= 1;
        }
    }
}

/// Traces `object`, calling `found` with each tracked object it refers to; false when some
/// of its references could not be seen.
fn trace(object: &dyn Traced, collection: u32, found: &mut dyn FnMut(usize)) -> bool {
    let mut tracer = Tracer {
        collection,
        found,
        depth: 0,
        complete: true,
    };
    object.trace(&mut tracer) && tracer.complete
}

/// A collection's working memory, kept from one collection to the next: blocks of a few
/// kilobytes allocated anew each time made glibc consolidate its free lists each time.
#[derive(Default)]
pub(super) struct Scratch {
    /// The objects being collected, with the registry's handles on them.
    pub weak: Vec<Weak<dyn Traced>>,
    pub live: Vec<Arc<dyn Traced>>,
    /// Whether each is still reachable, once [`collect`] has run.
    pub reachable: Vec<bool>,
    outside: Vec<isize>,
    unseen: Vec<bool>,
    pending: Vec<usize>,
    contents: Vec<Box<dyn Any + Send>>,
}

/// Frees the unreachable cycles among `scratch.live` (each tracked object once; references
/// from anywhere else count as from outside), leaving which are still reachable in
/// `scratch.reachable`.
pub(super) fn collect(scratch: &mut Scratch) {
    let Scratch {
        live: objects,
        reachable,
        outside,
        unseen,
        pending,
        contents,
        ..
    } = scratch;
    reachable.clear();
    reachable.resize(objects.len(), true);
    let collection = COLLECTIONS.fetch_add(1, Ordering::Relaxed).max(1);
    for (i, object) in objects.iter().enumerate() {
        if let Some(slot) = object.slot() {
            slot.0
                .store(u64::from(collection) << 32 | i as u64, Ordering::Relaxed);
        }
    }
    // References from outside: every reference but the one held here, less those the
    // tracked objects hold.
    outside.clear();
    outside.extend(objects.iter().map(|o| Arc::strong_count(o) as isize - 1));
    unseen.clear();
    for object in objects.iter() {
        unseen.push(!trace(&**object, collection, &mut |j| outside[j] -= 1));
    }
    if outside.iter().any(|&n| n < 0) {
        return; // A reference counted twice: free nothing rather than guess.
    }
    for (i, reachable) in reachable.iter_mut().enumerate() {
        *reachable = outside[i] > 0 || unseen[i];
    }
    pending.clear();
    pending.extend((0..objects.len()).filter(|&i| reachable[i]));
    while let Some(i) = pending.pop() {
        let complete = trace(&*objects[i], collection, &mut |j| {
            if !reachable[j] {
                reachable[j] = true;
                pending.push(j);
            }
        });
        if !complete {
            // Something reachable may hide behind what was not seen.
            reachable.iter_mut().for_each(|r| *r = true);
            return;
        }
    }
    // Empty every unreachable object before dropping what any of them held, so that each
    // drop stays shallow.
    contents.extend(
        objects
            .iter()
            .zip(reachable.iter())
            .filter(|(_, reachable)| !**reachable)
            .filter_map(|(o, _)| o.clear()),
    );
    contents.clear();
}

/// What a lock guards (a list's items, a dict, a set): seen unless the running code holds
/// the lock.
impl<T: Traced + ?Sized + Send> Traced for Mutex<T> {
    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        match self.try_lock() {
            Ok(inner) => inner.trace(tracer),
            Err(_) => false,
        }
    }
}

/// Lists and tuples: their items.
impl Traced for Vec<Value> {
    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        self.as_slice().trace(tracer)
    }
}

impl Traced for [Value] {
    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        self.iter().for_each(|v| tracer.value(v));
        true
    }
}

impl Traced for [Value; 3] {
    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        self.as_slice().trace(tracer)
    }
}

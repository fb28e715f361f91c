//! What reference counting alone cannot free: cycles of objects that hold each other (a
//! micrograd node and the closure computing its gradient, a parent and its children), and
//! chains so long that dropping them recursively would overflow the stack.
//!
//! Each session has a [`Heap`]: the objects that can hold each other in a cycle
//! (instances, classes, closures, and scopes that closures captured) are registered there
//! when made, and every so often [`collect`] frees the unreachable ones. Only one thread of
//! a session runs at a time (a generator's thread and its consumer take turns), which the
//! collection relies on.

mod collect;
mod trashcan;

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

use super::value::lock;

pub use collect::{Slot, Traced, Tracer};
pub use trashcan::dispose;

/// CPython's generations: the youngest is collected after this many registrations, each
/// older one after this many collections of the one below it (`gc.get_threshold()`).
/// Young objects are still in cache when traced, and an object that survives is traced
/// less and less often.
const THRESHOLDS: [usize; Heap::GENERATIONS] = [700, 10, 10];

/// A collection's working memory is kept for the next one up to this many objects (a few
/// hundred kilobytes); a larger one goes, so that one big collection does not pin it.
const KEEP_SCRATCH: usize = 1 << 14;

/// The tracked objects of one session.
#[derive(Default)]
pub struct Heap {
    registry: Mutex<Registry>,
    /// `gc.disable()` clears it: objects are still tracked, but only `gc.collect()` frees.
    disabled: AtomicBool,
    /// Generator threads whose consumer let go of them while suspended: they unwind on
    /// their own (running `finally` blocks), so no collection may run until they are done.
    orphans: AtomicUsize,
}

#[derive(Default)]
struct Registry {
    generations: [Vec<Weak<dyn Traced>>; Heap::GENERATIONS],
    /// Registrations since the youngest generation was collected; for the others,
    /// collections of the generation below since this one was.
    counts: [usize; Heap::GENERATIONS],
    /// The oldest generation's size after its last collection: it is collected again
    /// only once it has grown by a quarter since (CPython's `long_lived_total`), so that a
    /// program keeping many objects does not trace them all over and over.
    long_lived: usize,
    scratch: collect::Scratch,
}

impl Registry {
    /// The oldest generation due for collection, counting this collection in.
    fn due(&mut self) -> usize {
        self.counts[0] = 0;
        let mut generation = 0;
        while generation + 1 < Heap::GENERATIONS {
            let next = generation + 1;
            self.counts[next] += 1;
            let grown = next + 1 < Heap::GENERATIONS
                || self.generations[next].len() > self.long_lived + self.long_lived / 4;
            if self.counts[next] < THRESHOLDS[next] || !grown {
                break;
            }
            self.counts[next] = 0;
            generation = next;
        }
        generation
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<Heap>>> = const { RefCell::new(None) };
}

impl Heap {
    pub const GENERATIONS: usize = 3;

    pub fn set_enabled(&self, on: bool) {
        self.disabled.store(!on, Ordering::Relaxed);
    }

    pub fn is_enabled(&self) -> bool {
        !self.disabled.load(Ordering::Relaxed)
    }

    /// Makes `heap` the one this thread's new objects are tracked in.
    pub fn install(heap: Arc<Heap>) {
        CURRENT.with(|current| *current.borrow_mut() = Some(heap));
    }

    /// The heap of the session running on this thread.
    pub fn current() -> Option<Arc<Heap>> {
        CURRENT
            .try_with(|current| current.borrow().clone())
            .ok()
            .flatten()
    }

    /// Frees every unreachable cycle now; how many objects were freed.
    pub fn collect(&self) -> usize {
        self.collect_generation(Heap::GENERATIONS - 1)
    }

    /// Frees the unreachable cycles among the objects of `generation` and younger ones;
    /// the survivors move one generation up.
    pub fn collect_generation(&self, generation: usize) -> usize {
        if self.orphans.load(Ordering::Acquire) > 0 {
            return 0;
        }
        let mut registry = lock(&self.registry);
        let mut scratch = std::mem::take(&mut registry.scratch);
        for weak in registry.generations[..=generation]
            .iter_mut()
            .flat_map(|g| g.drain(..))
        {
            if let Some(live) = weak.upgrade() {
                scratch.weak.push(weak);
                scratch.live.push(live);
            }
        }
        drop(registry);
        collect::collect(&mut scratch);
        let freed = scratch.reachable.iter().filter(|r| !**r).count();
        let older = (generation + 1).min(Heap::GENERATIONS - 1);
        let mut registry = lock(&self.registry);
        let survivors = scratch
            .weak
            .drain(..)
            .zip(&scratch.reachable)
            .filter_map(|(w, r)| r.then_some(w));
        registry.generations[older].extend(survivors);
        if generation == Heap::GENERATIONS - 1 {
            registry.long_lived = registry.generations[older].len();
        }
        drop(registry);
        scratch.live.clear(); // The unreachable objects go now, emptied.
        if scratch.live.capacity() <= KEEP_SCRATCH {
            lock(&self.registry).scratch = scratch;
        }
        freed
    }

    fn register(&self, object: Weak<dyn Traced>) -> Option<usize> {
        let mut registry = lock(&self.registry);
        registry.generations[0].push(object);
        registry.counts[0] += 1;
        (registry.counts[0] >= THRESHOLDS[0] && self.is_enabled()).then(|| registry.due())
    }

    /// A generator thread lost its consumer and unwinds alone (see `orphans`); call
    /// [`Heap::orphan_done`] when it has finished.
    pub fn orphan(&self) {
        self.orphans.fetch_add(1, Ordering::AcqRel);
    }

    pub fn orphan_done(&self) {
        self.orphans.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Registers a new object that can be part of a cycle with this thread's heap (if it runs
/// a session), collecting when enough have been made since the last collection.
pub fn track<T: Traced + 'static>(object: &Arc<T>) {
    let due = CURRENT.try_with(|current| {
        let current = current.borrow();
        let heap = current.as_ref()?;
        heap.register(Arc::downgrade(object) as Weak<dyn Traced>)
            .map(|generation| (heap.clone(), generation))
    });
    if let Ok(Some((heap, generation))) = due {
        heap.collect_generation(generation);
    }
}

#[cfg(test)]
mod tests;

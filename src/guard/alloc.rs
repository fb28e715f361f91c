//! The process's global allocator: the system allocator, counting the bytes
//! in use for the memory budget, with a cache of freed large blocks.
//!
//! glibc hands large requests fresh pages from the kernel and returns them on
//! free, so a training loop that makes the same tensors every step faults in
//! new pages every step. Freed blocks of [`CACHED_MIN`] bytes or more are kept
//! instead, by size class (an eighth of an octave, so at most 12.5% is wasted),
//! up to [`cache_cap`] bytes, and reused for the next request of their class,
//! as PyTorch's CPU caching allocator does. The cache is emptied whenever the
//! bytes in use plus the cached ones pass the budget, so it never costs a
//! `MemoryError`.
//!
//! Nothing here may allocate: the counters are atomics, the cache a `Mutex`
//! (a futex) over free lists threaded through the cached blocks themselves.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ptr;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering::Relaxed};
use std::sync::Mutex;

/// Requests this large or larger go through the cache (glibc's mmap threshold).
const CACHED_MIN: usize = 128 << 10;
/// Larger requests go straight to the system (their class size could overflow).
const CACHED_MAX: usize = 1 << 46;
/// Cached blocks have malloc's alignment (calloc then maps zeroed pages lazily),
/// so requests aligned to more bypass the cache.
const CACHED_ALIGN: usize = 16;
const MIN_OCTAVE: u32 = CACHED_MIN.trailing_zeros();
/// Classes per octave, a power of two.
const STEPS: usize = 8;
const STEP_BITS: u32 = STEPS.trailing_zeros();
/// `STEPS` classes per octave from `CACHED_MIN` up to `CACHED_MAX`.
const CLASSES: usize = STEPS * (47 - MIN_OCTAVE as usize);

/// Bytes in use: what the program holds, not counting the cache.
static LIVE: AtomicIsize = AtomicIsize::new(0);
/// The most the cache holds.
static CACHE_CAP: AtomicUsize = AtomicUsize::new(64 << 20);
/// In-use plus cached bytes above this empty the cache (the memory budget).
static FLUSH_AT: AtomicUsize = AtomicUsize::new(usize::MAX);

struct Cache {
    /// The first free block of each class (0 for none); each block's first word
    /// holds the address of the next.
    heads: [usize; CLASSES],
    bytes: usize,
}

static CACHE: Mutex<Cache> = Mutex::new(Cache {
    heads: [0; CLASSES],
    bytes: 0,
});

/// The counting allocator; `lib.rs` installs it as the `#[global_allocator]`.
pub struct Counting;

/// Bytes the program holds on the heap now.
pub fn live() -> usize {
    LIVE.load(Relaxed).max(0) as usize
}

/// Bytes kept in the cache now.
pub fn cached() -> usize {
    lock().bytes
}

pub fn cache_cap() -> usize {
    CACHE_CAP.load(Relaxed)
}

/// Sizes the cache for a budget: an eighth of it, at most 1 GiB, emptied
/// whenever in-use plus cached bytes would pass the budget.
pub(super) fn fit_to_budget(budget: usize) {
    CACHE_CAP.store((budget / 8).min(1 << 30), Relaxed);
    FLUSH_AT.store(budget, Relaxed);
    static FIXED: std::sync::Once = std::sync::Once::new();
    FIXED.call_once(fix_mmap_threshold);
}

/// Keeps glibc's mmap threshold at [`CACHED_MIN`]. By default glibc raises it
/// (up to 32 MiB) each time a mapped block is freed, then serves such sizes
/// from its heap, which keeps freed memory resident: resident memory would
/// drift far above the bytes counted here. The cache does the reuse instead.
fn fix_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a malloc parameter.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, CACHED_MIN as libc::c_int);
    }
}

/// Returns every cached block to the system.
pub fn release_cache() {
    let mut cache = lock();
    release(&mut cache);
}

fn lock() -> std::sync::MutexGuard<'static, Cache> {
    CACHE.lock().unwrap_or_else(|e| e.into_inner())
}

/// What glibc takes for a small request: the size plus an 8-byte header,
/// rounded up to 16, at least 32; so many small objects count what they cost.
fn chunk(size: usize) -> isize {
    (size.saturating_add(8 + 15) & !15).max(32) as isize
}

/// A request served through the cache: its class and the class's size.
#[derive(Clone, Copy, PartialEq)]
struct Class {
    index: usize,
    bytes: usize,
}

impl Class {
    fn of(layout: Layout) -> Option<Class> {
        let size = layout.size();
        if !(CACHED_MIN..=CACHED_MAX).contains(&size) || layout.align() > CACHED_ALIGN {
            return None;
        }
        let step = 1usize << (size.ilog2() - STEP_BITS);
        let bytes = size.div_ceil(step) * step;
        let octave = bytes.ilog2();
        let within = (bytes >> (octave - STEP_BITS)) & (STEPS - 1);
        Some(Class {
            index: (octave - MIN_OCTAVE) as usize * STEPS + within,
            bytes,
        })
    }

    fn at(index: usize) -> Class {
        let bytes = (CACHED_MIN / STEPS * (STEPS + index % STEPS)) << (index / STEPS);
        Class { index, bytes }
    }

    fn layout(self) -> Layout {
        // SAFETY: `bytes` is at most 2^47 and CACHED_ALIGN a power of two.
        unsafe { Layout::from_size_align_unchecked(self.bytes, CACHED_ALIGN) }
    }

    /// A block of this class: a cached one, else a new one from the system.
    unsafe fn take(self, zeroed: bool, requested: usize) -> *mut u8 {
        let reused = {
            let mut cache = lock();
            let head = cache.heads[self.index];
            if head != 0 {
                cache.heads[self.index] = *(head as *const usize);
                cache.bytes -= self.bytes;
            } else if live() + cache.bytes + self.bytes > FLUSH_AT.load(Relaxed) {
                release(&mut cache);
            }
            head as *mut u8
        };
        let block = if !reused.is_null() {
            if zeroed {
                ptr::write_bytes(reused, 0, requested);
            }
            reused
        } else if zeroed {
            System.alloc_zeroed(self.layout())
        } else {
            System.alloc(self.layout())
        };
        if !block.is_null() {
            LIVE.fetch_add(self.bytes as isize, Relaxed);
        }
        block
    }

    /// Keeps a freed block for reuse, unless the cache is full or memory is short.
    unsafe fn give(self, block: *mut u8) {
        LIVE.fetch_sub(self.bytes as isize, Relaxed);
        let (cap, flush_at) = (CACHE_CAP.load(Relaxed), FLUSH_AT.load(Relaxed));
        let mut cache = lock();
        if cache.bytes + self.bytes > cap || live() + cache.bytes + self.bytes > flush_at {
            release(&mut cache);
        }
        if self.bytes > cap || live() + self.bytes > flush_at {
            drop(cache);
            System.dealloc(block, self.layout());
            return;
        }
        *(block as *mut usize) = cache.heads[self.index];
        cache.heads[self.index] = block as usize;
        cache.bytes += self.bytes;
    }
}

/// Frees every cached block.
fn release(cache: &mut Cache) {
    for index in 0..CLASSES {
        let mut head = std::mem::take(&mut cache.heads[index]);
        let class = Class::at(index);
        while head != 0 {
            // SAFETY: every block in the list came from `Class::take` with this
            // class's layout, and its first word links the next one.
            unsafe {
                let next = *(head as *const usize);
                System.dealloc(head as *mut u8, class.layout());
                head = next;
            }
        }
    }
    cache.bytes = 0;
}

// SAFETY: every block is the system allocator's, freed with the layout it was
// allocated with (the class layout for cached sizes, decided by the request's
// size and alignment alone, so `dealloc` finds the same class as `alloc`).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match Class::of(layout) {
            Some(class) => class.take(false, layout.size()),
            None => {
                let block = System.alloc(layout);
                if !block.is_null() {
                    LIVE.fetch_add(chunk(layout.size()), Relaxed);
                }
                block
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match Class::of(layout) {
            Some(class) => class.take(true, layout.size()),
            None => {
                let block = System.alloc_zeroed(layout);
                if !block.is_null() {
                    LIVE.fetch_add(chunk(layout.size()), Relaxed);
                }
                block
            }
        }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        match Class::of(layout) {
            Some(class) => class.give(block),
            None => {
                System.dealloc(block, layout);
                LIVE.fetch_sub(chunk(layout.size()), Relaxed);
            }
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        match (Class::of(layout), Class::of(new_layout)) {
            (None, None) => {
                let moved = System.realloc(block, layout, new_size);
                if !moved.is_null() {
                    LIVE.fetch_add(chunk(new_size) - chunk(layout.size()), Relaxed);
                }
                moved
            }
            (Some(old), Some(new)) if old == new => block,
            _ => {
                let moved = self.alloc(new_layout);
                if !moved.is_null() {
                    ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                    self.dealloc(block, layout);
                }
                moved
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(size: usize) -> Layout {
        Layout::from_size_align(size, 8).expect("a layout")
    }

    fn class(size: usize) -> Class {
        Class::of(layout(size)).expect("a cached size")
    }

    #[test]
    fn classes_are_eighths_of_octaves() {
        assert_eq!(class(CACHED_MIN).bytes, CACHED_MIN);
        assert_eq!(class(CACHED_MIN + 1).bytes, CACHED_MIN / 8 * 9);
        assert_eq!(class(CACHED_MIN * 2 - 1).bytes, CACHED_MIN * 2);
        assert_eq!(class(CACHED_MIN * 2 - 1).index, STEPS);
        assert_eq!(class(3 << 20).bytes, 3 << 20);
        for size in [
            CACHED_MIN,
            200_000,
            1 << 20,
            5_000_000,
            777_777_777,
            CACHED_MAX,
        ] {
            let c = class(size);
            assert!(c.bytes >= size && c.bytes - size <= size / 8, "{size}");
            assert!(c.index < CLASSES);
            assert!(Class::at(c.index) == c, "{size}");
        }
        assert!(Class::of(layout(CACHED_MIN - 1)).is_none());
        let aligned = Layout::from_size_align(CACHED_MIN, 4096).expect("a layout");
        assert!(Class::of(aligned).is_none());
    }

    #[test]
    fn freed_large_blocks_are_reused_and_zeroed_on_request() {
        let big = layout(3 << 20);
        unsafe {
            let a = Counting.alloc(big);
            assert!(!a.is_null());
            a.write_bytes(7, big.size());
            Counting.dealloc(a, big);
            // Another thread may take that block first; a fresh one is zeroed too.
            let b = Counting.alloc_zeroed(big);
            assert!(!b.is_null());
            assert!(std::slice::from_raw_parts(b, big.size())
                .iter()
                .all(|&x| x == 0));
            Counting.dealloc(b, big);
        }
    }

    #[test]
    fn realloc_keeps_the_bytes_across_classes() {
        let sizes = [1000, 300_000, 310_000, 5_000_000, 2000];
        unsafe {
            let mut p = Counting.alloc(layout(sizes[0]));
            for pair in sizes.windows(2) {
                let kept = pair[0].min(pair[1]);
                p.write_bytes(9, kept);
                p = Counting.realloc(p, layout(pair[0]), pair[1]);
                assert!(!p.is_null());
                assert!(std::slice::from_raw_parts(p, kept).iter().all(|&x| x == 9));
            }
            Counting.dealloc(p, layout(sizes[sizes.len() - 1]));
        }
    }
}

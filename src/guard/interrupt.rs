//! The interrupt flag of the session running on this thread, for long
//! operations below the language (tensor kernels) to poll between blocks.
//!
//! A session makes its flag current on its evaluation thread while a program
//! runs ([`watch`]); Esc in the player and Ctrl-C in the REPL raise it.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;

thread_local! {
    static FLAG: RefCell<Option<Arc<AtomicBool>>> = const { RefCell::new(None) };
}

/// Keeps a flag current on this thread; dropping it restores the one before.
#[must_use]
pub struct Watch(Option<Arc<AtomicBool>>);

/// Makes `flag` this thread's interrupt flag until the returned guard drops.
pub fn watch(flag: Arc<AtomicBool>) -> Watch {
    Watch(FLAG.replace(Some(flag)))
}

impl Drop for Watch {
    fn drop(&mut self) {
        FLAG.set(self.0.take());
    }
}

/// This thread's flag, for kernels that poll it from other threads.
pub fn current() -> Option<Arc<AtomicBool>> {
    FLAG.with_borrow(Clone::clone)
}

/// Whether this thread's flag is raised; lowers it, so the interrupt is raised once.
pub fn take() -> bool {
    FLAG.with_borrow(|flag| {
        flag.as_ref()
            .is_some_and(|f| f.load(Relaxed) && f.swap(false, Relaxed))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watched_flag_is_taken_once_and_unwatched_on_drop() {
        assert!(!take());
        let flag = Arc::new(AtomicBool::new(true));
        {
            let _watch = watch(flag.clone());
            assert!(take());
            assert!(!take());
            flag.store(true, Relaxed);
        }
        assert!(!take(), "no longer watched");
        assert!(flag.load(Relaxed));
    }
}

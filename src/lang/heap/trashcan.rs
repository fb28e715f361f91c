//! Dropping deep structures without deep recursion. Dropping a chain of a million linked
//! objects recursively would overflow the stack; past a nesting depth, what a dropped
//! container held is set aside instead and dropped once the outermost drop is done, as
//! CPython's "trashcan" does (`Py_TRASHCAN_BEGIN`).

use std::any::Any;
use std::cell::{Cell, RefCell};

/// Nested drops beyond this many wait for the outermost one.
const NESTING_LIMIT: usize = 64;

thread_local! {
    static NESTING: Cell<usize> = const { Cell::new(0) };
    static DEFERRED: RefCell<Vec<Box<dyn Any>>> = const { RefCell::new(Vec::new()) };
}

/// Drops `contents` (what a container being dropped held), now or, when drops are already
/// nested deep, after the outermost one.
pub fn dispose<T: 'static>(contents: T) {
    let Ok(depth) = NESTING.try_with(Cell::get) else {
        return; // The thread is ending: drop in place.
    };
    if depth >= NESTING_LIMIT {
        // Borrowed only to push or pop, never across a drop. Past the thread's end the
        // closure does not run and `contents` drops in place.
        let _ = DEFERRED.try_with(|d| d.borrow_mut().push(Box::new(contents)));
        return;
    }
    NESTING.set(depth + 1);
    drop(contents);
    if depth == 0 {
        while let Ok(Some(next)) = DEFERRED.try_with(|d| d.borrow_mut().pop()) {
            drop(next);
        }
    }
    NESTING.set(depth);
}

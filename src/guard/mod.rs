//! Guards against runaway programs, below every other layer: the memory
//! budget with the counting allocator behind it, and the interrupt flag long
//! operations poll.
//!
//! The budget is per process: `nnlearn run` and the REPL run one session, and
//! in the player the lesson kernels share it (the kernel that crosses it gets
//! the `MemoryError`). Counting per session would mean tagging every block
//! with its owner, and values move between sessions' threads freely.

pub mod alloc;
pub mod budget;
pub mod interrupt;

pub use budget::{budget, check, parse_size, reserve, set_budget, OverBudget, Size};

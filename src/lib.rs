//! nnlearn: learn the basics of neural networks in the terminal.
//!
//! Layers, each depending only on the ones before it:
//! `guard`, `pyfmt`, `tensor` ← `nn` ← `lang` ← `lesson` ← `plot`, `tui`, `repl`.
//! See ARCHITECTURE.md for the code map and the invariants.

pub mod guard;
pub mod lang;
pub mod lesson;
pub mod nn;
pub mod plot;
pub mod pyfmt;
pub mod repl;
pub mod tensor;
pub mod tui;

/// Counts heap bytes for the memory budget and caches large blocks (`guard::alloc`).
#[global_allocator]
static ALLOCATOR: guard::alloc::Counting = guard::alloc::Counting;

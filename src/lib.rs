//! nnlearn: learn the basics of neural networks in the terminal.
//!
//! Layers, each depending only on the ones before it:
//! `pyfmt`, `tensor` ← `nn` ← `lang` ← `lesson` ← `plot`, `tui`, `repl`.
//! See ARCHITECTURE.md for the code map and the invariants.

pub mod lang;
pub mod lesson;
pub mod nn;
pub mod plot;
pub mod pyfmt;
pub mod repl;
pub mod tensor;
pub mod tui;

//! The snippet language: a Python 3 subset (see /work/shared/spec/LANGUAGE.md).
//!
//! Front end: `lexer` → `parser` → `ast`; `diagnostics` renders errors as Python 3.11 does.
//! `lexer::tokenize` (tokens with kinds, even for broken input) serves syntax highlighting and
//! `lexer::is_incomplete` the REPL's multi-line prompt.
//!
//! Evaluator: `Session` is the API (run a file/cell, REPL echo, variables, interrupt flag).
//! `interp` walks the tree over `value::Value`s; `builtins`, `methods`, `ops`, `index`,
//! `format` and `percent` implement Python's built-in behaviour.
//!
//! Binding host objects (torch): implement `HostObject` (attributes, calls, operators,
//! indexing, iteration, formatting, `with`), wrap with `Value::host`, expose functions with
//! `NativeFunction::value`, group them in a `namespace::Namespace`, then register them with
//! `Session::add_module("torch.nn", ..)` (for `import`) and `Session::set_prelude("nn", ..)`
//! (pre-bound names). Natives get `&mut Interp` (to call back into Python, print, plot, check
//! for interrupts) and `Args` (`Args::bind` matches Python's parameter rules). Raise errors as
//! `Err(Exception::new("RuntimeError", msg))`; the interpreter adds the traceback.

pub mod ast;
pub mod ast_dump;
pub mod budget;
pub mod builtins;
pub mod collections;
pub mod compile;
pub mod diagnostics;
pub mod dict;
pub mod error;
pub mod exception;
pub mod files;
pub mod format;
mod functools_module;
mod gc_module;
pub mod hash;
pub mod heap;
pub mod host;
pub mod index;
pub mod interp;
mod itertools_module;
pub mod lexer;
mod math_module;
pub mod methods;
pub mod namespace;
pub mod object;
pub mod ops;
pub mod parser;
mod percent;
mod random_module;
pub mod repr;
pub mod session;
pub mod set;
pub mod span;
mod strings;
pub mod token;
pub mod torch;
pub mod value;

pub use exception::Exception;
pub use interp::{Interp, Limits, Sink};
pub use session::Session;
pub use value::{Args, HostObject, NativeFunction, Value};

#[cfg(test)]
mod tests;

//! The snippet language: a Python 3 subset (see /work/shared/spec/LANGUAGE.md).
//!
//! Front end: `lexer` → `parser` → `ast`; `diagnostics` renders errors as Python does.
//! Evaluator: `session` (the API) runs `interp` over `value`s, with `builtins`, `methods`,
//! `ops`, `index` and `format` implementing Python's built-in behaviour.

pub mod ast;
pub mod ast_dump;
pub mod builtins;
pub mod diagnostics;
pub mod dict;
pub mod error;
pub mod exception;
pub mod format;
pub mod host;
pub mod index;
pub mod interp;
pub mod lexer;
mod math_module;
pub mod methods;
pub mod namespace;
pub mod ops;
pub mod parser;
mod percent;
pub mod repr;
pub mod session;
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

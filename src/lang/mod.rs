//! The snippet language: a Python 3 subset (see /work/shared/spec/LANGUAGE.md).
//!
//! Front end: `lexer` → `parser` → `ast`; `diagnostics` renders errors as Python does.

pub mod ast;
pub mod ast_dump;
pub mod diagnostics;
pub mod error;
pub mod lexer;
pub mod parser;
pub mod span;
mod strings;
pub mod token;

#[cfg(test)]
mod tests;

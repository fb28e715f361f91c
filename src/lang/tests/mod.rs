mod diagnostics;
pub(super) mod eval;
mod fuzz;
mod host;
mod lexer;
mod parser;

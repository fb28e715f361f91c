mod diagnostics;
mod eval;
mod fuzz;
mod host;
mod lexer;
mod parser;

mod diagnostics;
mod lexer;
mod parser;

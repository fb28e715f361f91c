//! Compile-time errors (SyntaxError and its subclass IndentationError).

use super::span::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// `SyntaxError` or `IndentationError`.
    pub class: &'static str,
    pub message: String,
    pub span: Span,
}

impl SyntaxError {
    pub fn new(message: impl Into<String>, span: Span) -> SyntaxError {
        SyntaxError {
            class: "SyntaxError",
            message: message.into(),
            span,
        }
    }

    pub fn indentation(message: impl Into<String>, span: Span) -> SyntaxError {
        SyntaxError {
            class: "IndentationError",
            message: message.into(),
            span,
        }
    }
}

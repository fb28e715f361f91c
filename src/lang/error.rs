//! Compile-time errors (SyntaxError and its subclass IndentationError).

use super::span::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// `SyntaxError`, `IndentationError` or `TabError`.
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

    /// Indentation whose meaning depends on the tab size (CPython's `TabError`).
    pub fn tab(span: Span) -> SyntaxError {
        SyntaxError {
            class: "TabError",
            message: "inconsistent use of tabs and spaces in indentation".into(),
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

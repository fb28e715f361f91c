//! Python exceptions as Rust values: raised as `Err(Exception)`, never by panicking.

use std::fmt;
use std::sync::Arc;

use super::diagnostics::{render_syntax_error, render_traceback, Frame, SourceFile};
use super::error::SyntaxError;
use super::span::Span;
use super::value::Value;

/// Boxed so that `Result<Value, Exception>` stays small on the evaluator's hot paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Exception(Box<Inner>);

#[derive(Debug, Clone, PartialEq)]
struct Inner {
    class: String,
    message: String,
    /// Frames recorded while unwinding, innermost first.
    traceback: Vec<Frame>,
    /// Where in the innermost not-yet-recorded frame the exception arose.
    location: Option<Span>,
    /// Set for compile errors: they render without a traceback.
    syntax: Option<(Arc<SourceFile>, Vec<SyntaxError>)>,
    /// The Python exception object, once one exists (raised by Python code, or caught).
    object: Payload,
}

/// The exception object; ignored by `==` (tests compare class, message and place).
#[derive(Clone, Default)]
struct Payload(Option<Value>);

impl PartialEq for Payload {
    fn eq(&self, _: &Payload) -> bool {
        true
    }
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "<object>" } else { "-" })
    }
}

impl Exception {
    pub fn new(class: impl Into<String>, message: impl Into<String>) -> Exception {
        Exception(Box::new(Inner {
            class: class.into(),
            message: message.into(),
            traceback: Vec::new(),
            location: None,
            syntax: None,
            object: Payload::default(),
        }))
    }

    /// An exception raised by Python code: `object` is the exception instance, `class` the
    /// name tracebacks show, `message` its `str()`.
    pub fn from_object(class: String, message: String, object: Value) -> Exception {
        let mut e = Exception::new(class, message);
        e.0.object = Payload(Some(object));
        e
    }

    /// The exception instance, if one was made.
    pub fn object(&self) -> Option<&Value> {
        self.0.object.0.as_ref()
    }

    pub(crate) fn set_object(&mut self, object: Value) {
        self.0.object = Payload(Some(object));
    }

    pub fn type_error(message: impl Into<String>) -> Exception {
        Exception::new("TypeError", message)
    }

    pub fn value_error(message: impl Into<String>) -> Exception {
        Exception::new("ValueError", message)
    }

    pub fn index_error(message: impl Into<String>) -> Exception {
        Exception::new("IndexError", message)
    }

    pub fn runtime_error(message: impl Into<String>) -> Exception {
        Exception::new("RuntimeError", message)
    }

    pub fn attribute_error(message: impl Into<String>) -> Exception {
        Exception::new("AttributeError", message)
    }

    pub fn zero_division(message: impl Into<String>) -> Exception {
        Exception::new("ZeroDivisionError", message)
    }

    pub fn overflow() -> Exception {
        Exception::new(
            "OverflowError",
            "integer overflow (nnlearn integers are 64-bit)",
        )
    }

    /// `KeyError(key)`: its message is the key's repr, its `args` the key itself.
    pub fn key_error(key: &Value) -> Exception {
        use super::object::{exception_class, Instance};
        let instance = Instance::new(exception_class("KeyError"));
        *super::value::lock(&instance.args) = Arc::from(vec![key.clone()]);
        Exception::from_object(
            "KeyError".into(),
            super::repr::repr(key),
            Value::Instance(instance),
        )
    }

    pub fn keyboard_interrupt() -> Exception {
        Exception::new("KeyboardInterrupt", "")
    }

    /// The compile errors of `source`; the first error's class names the exception.
    pub fn syntax(source: Arc<SourceFile>, errors: Vec<SyntaxError>) -> Exception {
        let first = errors.first().cloned();
        let (class, message) =
            first.map_or(("SyntaxError", String::new()), |e| (e.class, e.message));
        let mut exception = Exception::new(class, message);
        exception.0.syntax = Some((source, errors));
        exception
    }

    pub fn class(&self) -> &str {
        &self.0.class
    }

    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Traceback frames, outermost first.
    pub fn frames(&self) -> Vec<Frame> {
        self.0.traceback.iter().rev().cloned().collect()
    }

    /// Every syntax error, for compile errors (empty otherwise).
    pub fn syntax_errors(&self) -> &[SyntaxError] {
        self.0
            .syntax
            .as_ref()
            .map_or(&[], |(_, errors)| errors.as_slice())
    }

    /// Records that the exception arose at `span` unless a more precise place is known.
    pub(crate) fn at(mut self, span: Span) -> Exception {
        if self.0.location.is_none() {
            self.0.location = Some(span);
        }
        self
    }

    /// Records the frame the exception is leaving; `fallback` is used when no expression was blamed.
    pub(crate) fn leave_frame(&mut self, source: &Arc<SourceFile>, function: &str, fallback: Span) {
        let span = self.0.location.take().unwrap_or(fallback);
        self.0.traceback.push(Frame {
            source: source.clone(),
            function: function.to_string(),
            span,
        });
    }

    /// The text Python would print for this uncaught exception (ends with a newline).
    pub fn render(&self) -> String {
        match &self.0.syntax {
            Some((source, errors)) => errors
                .iter()
                .map(|e| render_syntax_error(source, e))
                .collect(),
            None => render_traceback(&self.frames(), &self.0.class, &self.0.message),
        }
    }
}

impl fmt::Display for Exception {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.message.is_empty() {
            write!(f, "{}", self.0.class)
        } else {
            write!(f, "{}: {}", self.0.class, self.0.message)
        }
    }
}

impl std::error::Error for Exception {}

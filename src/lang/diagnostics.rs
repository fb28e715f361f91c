//! Python-style rendering of tracebacks and syntax errors (as CPython 3.11 prints them).

use std::sync::Arc;

use unicode_width::UnicodeWidthStr;

use super::error::SyntaxError;
use super::span::{LineIndex, Span};

/// A named source text (a file, a REPL entry, a lesson cell).
#[derive(Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<SourceFile> {
        let text = text.into();
        let lines = LineIndex::new(&text);
        Arc::new(SourceFile {
            name: name.into(),
            text,
            lines,
        })
    }

    pub fn line(&self, span: Span) -> usize {
        self.lines.line(span.start)
    }
}

/// One traceback entry: where in which function execution was.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub source: Arc<SourceFile>,
    /// `<module>` at top level.
    pub function: String,
    pub span: Span,
}

impl Frame {
    pub fn line(&self) -> usize {
        self.source.line(self.span)
    }
}

/// Full traceback text; `frames` are outermost first. Ends with a newline.
pub fn render_traceback(frames: &[Frame], class: &str, message: &str) -> String {
    let mut out = String::from("Traceback (most recent call last):\n");
    let mut i = 0;
    while let Some(frame) = frames.get(i) {
        // Like Python, print a run of identical entries (deep recursion) three times, then a count.
        let run = frames[i..]
            .iter()
            .take_while(|f| same_place(f, frame))
            .count();
        for _ in 0..run.min(REPEATS_SHOWN) {
            out.push_str(&format!(
                "  File \"{}\", line {}, in {}\n",
                frame.source.name,
                frame.line(),
                frame.function
            ));
            out.push_str(&source_excerpt(&frame.source, frame.span, false));
        }
        if run > REPEATS_SHOWN {
            out.push_str(&format!(
                "  [Previous line repeated {} more times]\n",
                run - REPEATS_SHOWN
            ));
        }
        i += run;
    }
    out.push_str(&exception_line(class, message));
    out
}

const REPEATS_SHOWN: usize = 3;

fn same_place(a: &Frame, b: &Frame) -> bool {
    a.source.name == b.source.name && a.line() == b.line() && a.function == b.function
}

/// A syntax error as Python reports it before running anything. Ends with a newline.
pub fn render_syntax_error(source: &SourceFile, error: &SyntaxError) -> String {
    let mut out = format!(
        "  File \"{}\", line {}\n",
        source.name,
        source.line(error.span)
    );
    out.push_str(&source_excerpt(source, error.span, true));
    out.push_str(&exception_line(error.class, &error.message));
    out
}

/// `Class: message`, or just `Class` when there is no message.
pub fn exception_line(class: &str, message: &str) -> String {
    if message.is_empty() {
        format!("{class}\n")
    } else {
        format!("{class}: {message}\n")
    }
}

/// The span's first line, indented by four spaces, with carets under the span. Tracebacks
/// leave out carets that would underline the whole line; syntax errors always show them.
fn source_excerpt(source: &SourceFile, span: Span, always_caret: bool) -> String {
    let line_no = source.line(span);
    let line = source.lines.line_text(&source.text, line_no);
    let trimmed = line.trim_start();
    if trimmed.is_empty() {
        return String::new();
    }
    let line_start = source.lines.line_start(line_no);
    let indent = line.len() - trimmed.len();
    let trimmed_end = line.trim_end().len();
    let from = span
        .start
        .saturating_sub(line_start)
        .clamp(indent, trimmed_end);
    let to = span.end.saturating_sub(line_start).clamp(from, trimmed_end);
    let mut out = format!("    {}\n", trimmed.trim_end());
    let covers_line = from == indent && to == trimmed_end;
    if covers_line && !always_caret {
        return out;
    }
    let pad = display_width(line.get(indent..from));
    let width = display_width(line.get(from..to)).max(1);
    out.push_str(&format!("    {}{}\n", " ".repeat(pad), "^".repeat(width)));
    out
}

fn display_width(text: Option<&str>) -> usize {
    text.map_or(0, UnicodeWidthStr::width)
}

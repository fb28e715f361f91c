//! The rustyline helper: completion, highlighting and the multi-line block validator.

use std::borrow::Cow;
use std::collections::HashSet;

use rustyline::completion::Completer as RustylineCompleter;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper, Hinter};

use super::block::is_complete;
use super::complete::{builtin_names, Completer};
use super::highlight::ansi;
use crate::lang::Session;

#[derive(Helper, Hinter)]
pub struct ReplHelper {
    completer: Completer,
    builtins: HashSet<String>,
}

impl ReplHelper {
    pub fn new(session: &Session) -> ReplHelper {
        let mut helper = ReplHelper {
            completer: Completer::new(),
            builtins: HashSet::new(),
        };
        helper.refresh(session);
        helper
    }

    /// Takes the session's names after a run.
    pub fn refresh(&mut self, session: &Session) {
        self.completer.set_globals(session.globals());
        self.builtins = builtin_names(session);
    }
}

impl RustylineCompleter for ReplHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(self.completer.complete(line, pos))
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _: usize) -> Cow<'l, str> {
        Cow::Owned(ansi(line, &self.builtins))
    }

    /// Any typed character can change how the whole line lexes (an opening quote).
    fn highlight_char(&self, _: &str, _: usize, kind: CmdKind) -> bool {
        kind != CmdKind::MoveCursor
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if is_complete(ctx.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

//! Recursive-descent parser producing `ast::Module`, with Python's error messages.
//! Statements are in `stmt.rs`, expressions in `expr.rs`.

mod atom;
mod expr;
mod locals;
mod stmt;

use std::rc::Rc;

use super::ast::{Expr, Module};
use super::error::SyntaxError;
use super::lexer::{tokenize, tokenize_expr};
use super::span::{LineIndex, Span};
use super::token::{Token, TokenKind};

/// Deepest expression nesting the parser accepts (keeps recursion bounded).
const MAX_DEPTH: usize = 200;

type PResult<T> = Result<T, SyntaxError>;

/// Parses a module. On failure returns every error found, in source order
/// (the parser recovers at the next statement).
pub fn parse(source: &str) -> Result<Module, Vec<SyntaxError>> {
    let lexed = tokenize(source);
    let mut parser = Parser::new(source, Rc::new(LineIndex::new(source)), lexed.tokens);
    let body = parser.module();
    let mut errors = lexed.errors;
    // Errors after a lexical error are usually its consequences (e.g. EOF inside an open bracket).
    let first_lex = errors
        .iter()
        .map(|e| e.span.start)
        .min()
        .unwrap_or(usize::MAX);
    errors.extend(
        parser
            .errors
            .into_iter()
            .filter(|e| e.span.start < first_lex),
    );
    if errors.is_empty() {
        Ok(Module { body })
    } else {
        errors.sort_by_key(|e| e.span.start);
        errors.dedup();
        Err(errors)
    }
}

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

/// Parses the expression of an f-string field found at `span` of `source`, whose lines
/// `lines` indexes (shared, rather than indexed again for every field).
fn parse_embedded_expr(source: &str, lines: Rc<LineIndex>, span: Span) -> PResult<Expr> {
    let text = source.get(span.start..span.end).unwrap_or("");
    let lexed = tokenize_expr(text, span.start);
    if let Some(e) = lexed.errors.into_iter().next() {
        return Err(e);
    }
    let mut parser = Parser::new(source, lines, lexed.tokens);
    let expr = parser.expressions()?;
    if parser.peek() != &TokenKind::EndMarker {
        return Err(parser.invalid_syntax());
    }
    Ok(expr)
}

struct Parser<'a> {
    source: &'a str,
    lines: Rc<LineIndex>,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    /// Enclosing loops in the current function (for `'break' outside loop`).
    loop_depth: usize,
    in_function: bool,
    /// A `yield` was parsed in the current function body.
    saw_yield: bool,
    errors: Vec<SyntaxError>,
}

impl<'a> Parser<'a> {
    fn new(source: &'a str, lines: Rc<LineIndex>, mut tokens: Vec<Token>) -> Parser<'a> {
        tokens.retain(|t| t.kind != TokenKind::Comment);
        if tokens.last().is_none_or(|t| t.kind != TokenKind::EndMarker) {
            let end = source.len();
            tokens.push(Token {
                kind: TokenKind::EndMarker,
                span: Span::new(end, end),
            });
        }
        Parser {
            source,
            lines,
            tokens,
            pos: 0,
            depth: 0,
            loop_depth: 0,
            in_function: false,
            saw_yield: false,
            errors: Vec::new(),
        }
    }

    fn token(&self) -> &Token {
        let last = self.tokens.len() - 1;
        &self.tokens[self.pos.min(last)]
    }

    fn peek(&self) -> &TokenKind {
        &self.token().kind
    }

    fn peek_nth(&self, n: usize) -> &TokenKind {
        let last = self.tokens.len() - 1;
        &self.tokens[(self.pos + n).min(last)].kind
    }

    fn span(&self) -> Span {
        self.token().span
    }

    /// End of the previous token: where a node that just finished ends.
    fn prev_end(&self) -> usize {
        match self.pos.checked_sub(1).and_then(|i| self.tokens.get(i)) {
            Some(t) => t.span.end,
            None => self.span().start,
        }
    }

    fn since(&self, start: usize) -> Span {
        Span::new(start, self.prev_end().max(start))
    }

    fn advance(&mut self) -> Token {
        let tok = self.token().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        tok
    }

    fn at_op(&self, op: &str) -> bool {
        self.peek().is_op(op)
    }

    fn at_keyword(&self, kw: &str) -> bool {
        self.peek().is_keyword(kw)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        let found = self.at_op(op);
        if found {
            self.advance();
        }
        found
    }

    fn eat_keyword(&mut self, kw: &str) -> bool {
        let found = self.at_keyword(kw);
        if found {
            self.advance();
        }
        found
    }

    fn expect_op(&mut self, op: &str) -> PResult<Span> {
        if self.at_op(op) {
            Ok(self.advance().span)
        } else {
            Err(SyntaxError::new(
                format!("expected '{op}'"),
                self.error_span(),
            ))
        }
    }

    /// Where to point at the current token; at a line's end, just after the previous token.
    fn error_span(&self) -> Span {
        match self.peek() {
            TokenKind::Newline | TokenKind::EndMarker | TokenKind::Dedent | TokenKind::Indent => {
                let at = self.prev_end();
                Span::new(at, at + 1)
            }
            _ => self.span(),
        }
    }

    fn invalid_syntax(&self) -> SyntaxError {
        SyntaxError::new("invalid syntax", self.error_span())
    }

    fn expect_name(&mut self) -> PResult<(String, Span)> {
        match self.peek().clone() {
            TokenKind::Name(n) => Ok((n, self.advance().span)),
            _ => Err(self.invalid_syntax()),
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }

    /// Guards recursion on deeply nested input.
    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError::new("too many nested parentheses", self.span()));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

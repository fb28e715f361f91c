//! Python tokenizer: logical lines, INDENT/DEDENT, brackets, numbers, names, operators.
//! Strings live in `strings.rs`.

use super::error::SyntaxError;
use super::span::{LineIndex, Span};
use super::strings;
use super::token::{Token, TokenKind, KEYWORDS, OPERATORS};

/// CPython's limit on bracket nesting; it also bounds the parser's recursion.
const MAX_BRACKET_DEPTH: usize = 200;

/// Everything the lexer found, including what is needed to tell incomplete input from bad input.
#[derive(Debug, Clone, Default)]
pub struct Lexed {
    pub tokens: Vec<Token>,
    pub errors: Vec<SyntaxError>,
    /// Brackets still open at the end of input (innermost last).
    pub open_brackets: Vec<(char, Span)>,
    /// Input ended inside a triple-quoted string.
    pub unterminated_triple: bool,
    /// Input ended with a backslash continuation.
    pub trailing_backslash: bool,
}

/// Tokenizes a whole module. Never fails: problems become `errors` (and `Error` tokens).
pub fn tokenize(src: &str) -> Lexed {
    Lexer::new(src, 0, false).run()
}

/// Tokenizes an expression embedded at byte `base` of a file (an f-string field):
/// line breaks are insignificant, as inside brackets.
pub fn tokenize_expr(src: &str, base: usize) -> Lexed {
    Lexer::new(src, base, true).run()
}

/// Whether an interactive prompt should ask for another line before running `src`:
/// an open bracket or triple-quoted string, a trailing backslash, a line ending with `:`,
/// or an indented block not yet closed by a blank line.
pub fn is_incomplete(src: &str) -> bool {
    let lexed = tokenize(src);
    if !lexed.open_brackets.is_empty() || lexed.unterminated_triple || lexed.trailing_backslash {
        return true;
    }
    let last = lexed.tokens.iter().rev().find(|t| {
        !matches!(
            t.kind,
            TokenKind::Comment | TokenKind::Newline | TokenKind::Dedent | TokenKind::EndMarker
        )
    });
    if last.is_some_and(|t| t.kind.is_op(":")) {
        return true;
    }
    let in_block = lexed.tokens.iter().any(|t| t.kind == TokenKind::Indent);
    let ends_blank = src.ends_with("\n\n") || src.ends_with("\n\r\n");
    in_block && !ends_blank
}

struct Lexer<'a> {
    src: &'a str,
    base: usize,
    pos: usize,
    out: Lexed,
    /// Indentation levels, each as (column, column with tabs counted as one).
    indents: Vec<(usize, usize)>,
    brackets: Vec<(char, Span)>,
    expr_mode: bool,
    lines: LineIndex,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str, base: usize, expr_mode: bool) -> Lexer<'a> {
        Lexer {
            src,
            base,
            pos: 0,
            out: Lexed::default(),
            indents: vec![(0, 0)],
            brackets: Vec::new(),
            expr_mode,
            lines: LineIndex::new(src),
        }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(n)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start, self.base + end)
    }

    fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        let span = self.span(start, end);
        self.out.tokens.push(Token { kind, span });
    }

    fn error(&mut self, message: impl Into<String>, start: usize, end: usize) {
        let span = self.span(start, end);
        self.out.errors.push(SyntaxError::new(message, span));
    }

    fn last_is_newline_or_empty(&self) -> bool {
        match self
            .out
            .tokens
            .iter()
            .rev()
            .find(|t| t.kind != TokenKind::Comment)
        {
            None => true,
            Some(t) => matches!(
                t.kind,
                TokenKind::Newline | TokenKind::Dedent | TokenKind::Indent
            ),
        }
    }

    fn run(mut self) -> Lexed {
        let mut at_line_start = !self.expr_mode;
        while self.pos < self.src.len() {
            if at_line_start && self.brackets.is_empty() {
                at_line_start = false;
                self.indentation();
                continue;
            }
            let Some(c) = self.peek() else { break };
            let start = self.pos;
            match c {
                ' ' | '\t' | '\x0c' => self.pos += 1,
                '\r' | '\n' => {
                    self.pos += if self.src[self.pos..].starts_with("\r\n") {
                        2
                    } else {
                        1
                    };
                    if self.brackets.is_empty() && !self.expr_mode {
                        if !self.last_is_newline_or_empty() {
                            self.push(TokenKind::Newline, start, start + 1);
                        }
                        at_line_start = true;
                    }
                }
                '#' => {
                    let end = self.src[start..]
                        .find(['\n', '\r'])
                        .map_or(self.src.len(), |i| start + i);
                    self.pos = end;
                    self.push(TokenKind::Comment, start, end);
                }
                '\\' => self.backslash(),
                '0'..='9' => self.number(),
                '.' if self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) => self.number(),
                '"' | '\'' => self.string(start),
                c if c == '_' || c.is_alphabetic() => self.name_or_string(),
                _ => self.operator(c),
            }
        }
        self.finish();
        self.out
    }

    /// Measures indentation at the start of a line; blank and comment-only lines do not count.
    /// Like CPython's tokenizer, indentation is measured twice, with tabs to the next
    /// multiple of 8 and with tabs as one column; levels that compare differently under the
    /// two measures are a `TabError`.
    fn indentation(&mut self) {
        let start = self.pos;
        let (mut col, mut alt) = (0, 0);
        while let Some(c) = self.peek() {
            match c {
                ' ' => {
                    col += 1;
                    alt += 1;
                }
                '\t' => {
                    col = (col / 8 + 1) * 8;
                    alt += 1;
                }
                '\x0c' => (col, alt) = (0, 0),
                _ => break,
            }
            self.pos += 1;
        }
        match self.peek() {
            None | Some('\n') | Some('\r') | Some('#') => return,
            _ => {}
        }
        let (current, current_alt) = self.indents.last().copied().unwrap_or((0, 0));
        let span = self.span(start, self.pos);
        if col == current {
            if alt != current_alt {
                self.out.errors.push(SyntaxError::tab(span));
            }
        } else if col > current {
            if alt <= current_alt {
                self.out.errors.push(SyntaxError::tab(span));
            }
            self.indents.push((col, alt));
            self.push(TokenKind::Indent, start, self.pos);
        } else {
            while self.indents.last().is_some_and(|&(top, _)| top > col) {
                self.indents.pop();
                self.push(TokenKind::Dedent, self.pos, self.pos);
            }
            match self.indents.last() {
                Some(&(top, top_alt)) if top == col => {
                    if alt != top_alt {
                        self.out.errors.push(SyntaxError::tab(span));
                    }
                }
                _ => {
                    self.out.errors.push(SyntaxError::indentation(
                        "unindent does not match any outer indentation level",
                        span,
                    ));
                    self.indents.push((col, alt));
                }
            }
        }
    }

    fn backslash(&mut self) {
        let start = self.pos;
        self.pos += 1;
        match self.peek() {
            Some('\n') => self.pos += 1,
            Some('\r') => {
                self.pos += if self.src[self.pos..].starts_with("\r\n") {
                    2
                } else {
                    1
                }
            }
            None => {
                self.out.trailing_backslash = true;
                self.error("unexpected EOF while parsing", start, self.pos);
            }
            Some(_) => {
                self.push(TokenKind::Error, start, self.pos);
                self.error(
                    "unexpected character after line continuation character",
                    start,
                    self.pos,
                );
            }
        }
    }

    fn name_or_string(&mut self) {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == '_' || c.is_alphanumeric() {
                self.pos += c.len_utf8();
            } else {
                break;
            }
        }
        let word = &self.src[start..self.pos];
        let is_prefix = word.len() <= 2 && word.chars().all(|c| "rRfFuUbB".contains(c));
        if is_prefix && matches!(self.peek(), Some('"' | '\'')) {
            self.string(start);
            return;
        }
        let kind = match KEYWORDS
            .iter()
            .find(|k| k.as_bytes().first() == word.as_bytes().first() && **k == word)
        {
            Some(k) => TokenKind::Keyword(k),
            None => TokenKind::Name(word.to_string()),
        };
        self.push(kind, start, self.pos);
    }

    fn string(&mut self, start: usize) {
        let lexed = strings::lex_string(self.src, start, self.base, &self.lines);
        self.pos = lexed.end;
        if lexed.unterminated_triple {
            self.out.unterminated_triple = true;
        }
        self.out.errors.extend(lexed.errors);
        self.push(lexed.kind, start, lexed.end);
    }

    fn number(&mut self) {
        let start = self.pos;
        let rest = &self.src[start..];
        let radix = match rest.get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("0x") => 16,
            Some("0o") => 8,
            Some("0b") => 2,
            _ => 10,
        };
        if radix != 10 {
            self.pos += 2;
            let digits_start = self.pos;
            while self
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                self.pos += 1;
            }
            let digits = self.src[digits_start..self.pos].replace('_', "");
            let kind = match i64::from_str_radix(&digits, radix) {
                Ok(v) => TokenKind::Int(v),
                Err(_) => match num_bigint::BigInt::parse_bytes(digits.as_bytes(), radix) {
                    Some(b) if !digits.starts_with(['+', '-']) => {
                        TokenKind::BigInt(std::sync::Arc::new(b))
                    }
                    _ => self.bad_number(start),
                },
            };
            self.push(kind, start, self.pos);
            return;
        }
        let mut is_float = false;
        self.digits();
        if self.peek() == Some('.') {
            is_float = true;
            self.pos += 1;
            self.digits();
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.pos += 1;
            }
            if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                is_float = true;
                self.digits();
            } else {
                self.pos = save;
            }
        }
        // A number running straight into a name (`1abc`, `1j`) is invalid in this subset.
        if self.peek().is_some_and(|c| c == '_' || c.is_alphanumeric()) {
            while self.peek().is_some_and(|c| c == '_' || c.is_alphanumeric()) {
                self.pos += self.peek().map_or(1, char::len_utf8);
            }
            let kind = self.bad_number(start);
            self.push(kind, start, self.pos);
            return;
        }
        let text = self.src[start..self.pos].replace('_', "");
        let kind = if is_float {
            text.parse()
                .map(TokenKind::Float)
                .unwrap_or_else(|_| self.bad_number(start))
        } else {
            match text.parse::<i64>() {
                Ok(v) if !(text.len() > 1 && text.starts_with('0') && v != 0) => TokenKind::Int(v),
                Ok(_) => {
                    self.error(
                        "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                        start,
                        self.pos,
                    );
                    TokenKind::Error
                }
                Err(_) if text.starts_with('0') => {
                    self.error(
                        "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                        start,
                        self.pos,
                    );
                    TokenKind::Error
                }
                Err(_) => match num_bigint::BigInt::parse_bytes(text.as_bytes(), 10) {
                    Some(b) if text.len() <= crate::lang::ops::bigint::MAX_STR_DIGITS => {
                        TokenKind::BigInt(std::sync::Arc::new(b))
                    }
                    _ => {
                        self.error(
                            "Exceeds the limit (4300 digits) for integer string conversion: value has more digits; use sys.set_int_max_str_digits() to increase the limit",
                            start,
                            self.pos,
                        );
                        TokenKind::Error
                    }
                },
            }
        };
        self.push(kind, start, self.pos);
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '_') {
            self.pos += 1;
        }
    }

    fn bad_number(&mut self, start: usize) -> TokenKind {
        self.error("invalid syntax", start, self.pos);
        TokenKind::Error
    }

    fn operator(&mut self, c: char) {
        let start = self.pos;
        let rest = &self.src[start..];
        // Longest first; compared bytewise in line (a `starts_with` per operator was a
        // `memcmp` call each, a fifth of start-up's lexing).
        let Some(op) = OPERATORS.iter().find(|op| {
            let op = op.as_bytes();
            op.first() == rest.as_bytes().first()
                && rest.len() >= op.len()
                && op.iter().zip(rest.bytes()).all(|(a, b)| *a == b)
        }) else {
            self.pos += c.len_utf8();
            self.push(TokenKind::Error, start, self.pos);
            let message = if c.is_ascii() {
                "invalid syntax".to_string()
            } else {
                format!("invalid character '{c}' (U+{:04X})", c as u32)
            };
            self.error(message, start, self.pos);
            return;
        };
        self.pos += op.len();
        match *op {
            "(" | "[" | "{" => {
                if self.brackets.len() == MAX_BRACKET_DEPTH {
                    self.error("too many nested parentheses", start, self.pos);
                }
                self.brackets.push((c, self.span(start, self.pos)));
            }
            ")" | "]" | "}" => self.close_bracket(c, start),
            _ => {}
        }
        self.push(TokenKind::Op(op), start, self.pos);
    }

    fn close_bracket(&mut self, c: char, start: usize) {
        let expected = match c {
            ')' => '(',
            ']' => '[',
            _ => '{',
        };
        match self.brackets.last() {
            Some(&(open, _)) if open == expected => {
                self.brackets.pop();
            }
            Some(&(open, open_span)) => {
                let line = self.lines.line(open_span.start - self.base);
                let here = self.lines.line(start);
                let message = if line == here {
                    format!("closing parenthesis '{c}' does not match opening parenthesis '{open}'")
                } else {
                    format!("closing parenthesis '{c}' does not match opening parenthesis '{open}' on line {line}")
                };
                self.error(message, start, start + 1);
                self.brackets.pop();
            }
            None => self.error(format!("unmatched '{c}'"), start, start + 1),
        }
    }

    fn finish(&mut self) {
        let end = self.src.len();
        if let Some(&(open, span)) = self.brackets.first() {
            self.out
                .errors
                .push(SyntaxError::new(format!("'{open}' was never closed"), span));
        }
        self.out.open_brackets = std::mem::take(&mut self.brackets);
        if !self.expr_mode {
            if !self.last_is_newline_or_empty() {
                self.push(TokenKind::Newline, end, end);
            }
            while self.indents.len() > 1 {
                self.indents.pop();
                self.push(TokenKind::Dedent, end, end);
            }
        }
        self.push(TokenKind::EndMarker, end, end);
    }
}

//! String and f-string literals: finding their end, decoding escapes, splitting f-string fields.

use super::error::SyntaxError;
use super::span::{LineIndex, Span};
use super::token::{FStringPart, TokenKind};

pub struct LexedString {
    pub kind: TokenKind,
    /// Byte offset just past the literal (relative to the lexed text).
    pub end: usize,
    pub errors: Vec<SyntaxError>,
    pub unterminated_triple: bool,
}

/// Lexes the literal whose prefix (or opening quote) is at `start`. `base` is added to spans.
pub fn lex_string(src: &str, start: usize, base: usize, lines: &LineIndex) -> LexedString {
    let quote_at = start + src[start..].find(['\'', '"']).unwrap_or(0);
    let prefix = src[start..quote_at].to_ascii_lowercase();
    let quote = &src[quote_at..quote_at + 1];
    let triple = src[quote_at..].starts_with(&quote.repeat(3));
    let delim = if triple {
        quote.repeat(3)
    } else {
        quote.to_string()
    };
    let body_start = quote_at + delim.len();
    let mut errors = Vec::new();
    let span = |a: usize, b: usize| Span::new(base + a, base + b);

    let (body_end, end, terminated) = match find_close(src, body_start, &delim, triple) {
        Some(close) => (close, close + delim.len(), true),
        None if triple => (src.len(), src.len(), false),
        None => {
            let eol = src[body_start..]
                .find(['\n', '\r'])
                .map_or(src.len(), |i| body_start + i);
            (eol, eol, false)
        }
    };
    if !terminated {
        let (what, line) = if triple {
            (
                "unterminated triple-quoted string literal",
                lines.line_count(),
            )
        } else {
            ("unterminated string literal", lines.line(start))
        };
        let message = format!("{what} (detected at line {line})");
        errors.push(SyntaxError::new(message, span(start, start + 1)));
        return LexedString {
            kind: TokenKind::Error,
            end,
            errors,
            unterminated_triple: triple,
        };
    }
    if prefix.contains('b') {
        errors.push(SyntaxError::new(
            "bytes literals are not supported",
            span(start, end),
        ));
        return LexedString {
            kind: TokenKind::Error,
            end,
            errors,
            unterminated_triple: false,
        };
    }
    let mut body = Body {
        src,
        pos: body_start,
        end: body_end,
        raw: prefix.contains('r'),
        base,
        errors: Vec::new(),
    };
    let kind = if prefix.contains('f') {
        TokenKind::FString(body.fstring_parts(false))
    } else {
        TokenKind::Str(body.plain())
    };
    errors.append(&mut body.errors);
    LexedString {
        kind,
        end,
        errors,
        unterminated_triple: false,
    }
}

/// Offset of the closing delimiter, skipping escaped characters.
fn find_close(src: &str, from: usize, delim: &str, triple: bool) -> Option<usize> {
    let mut chars = src[from..].char_indices();
    while let Some((i, c)) = chars.next() {
        let at = from + i;
        match c {
            '\\' => {
                chars.next();
            }
            '\n' | '\r' if !triple => return None,
            _ if src[at..].starts_with(delim) => return Some(at),
            _ => {}
        }
    }
    None
}

struct Body<'a> {
    src: &'a str,
    pos: usize,
    end: usize,
    raw: bool,
    base: usize,
    errors: Vec<SyntaxError>,
}

impl Body<'_> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..self.end)?.chars().next()
    }

    fn error(&mut self, message: &str, start: usize, end: usize) {
        let span = Span::new(self.base + start, self.base + end);
        self.errors.push(SyntaxError::new(message, span));
    }

    fn plain(&mut self) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == '\\' && !self.raw {
                self.escape(&mut out);
            } else {
                out.push(c);
                self.pos += c.len_utf8();
            }
        }
        out
    }

    /// Splits an f-string body (or, with `in_spec`, a format spec up to its closing `}`).
    fn fstring_parts(&mut self, in_spec: bool) -> Vec<FStringPart> {
        let mut parts = Vec::new();
        let mut text = String::new();
        while let Some(c) = self.peek() {
            let next = self.src[self.pos + c.len_utf8()..self.end].chars().next();
            match c {
                '{' if next == Some('{') && !in_spec => {
                    text.push('{');
                    self.pos += 2;
                }
                '}' if in_spec => break,
                '}' if next == Some('}') => {
                    text.push('}');
                    self.pos += 2;
                }
                '}' => {
                    self.error(
                        "f-string: single '}' is not allowed",
                        self.pos,
                        self.pos + 1,
                    );
                    self.pos += 1;
                }
                '{' => {
                    if !text.is_empty() {
                        parts.push(FStringPart::Literal(std::mem::take(&mut text)));
                    }
                    self.pos += 1;
                    if let Some(field) = self.field() {
                        parts.push(field);
                    }
                }
                '\\' if !self.raw => self.escape(&mut text),
                _ => {
                    text.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        if !text.is_empty() {
            parts.push(FStringPart::Literal(text));
        }
        parts
    }

    /// Parses `expr!conv:spec}` after a field's opening brace.
    fn field(&mut self) -> Option<FStringPart> {
        let open = self.pos - 1;
        let expr_start = self.pos;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            let next = self.src[self.pos + c.len_utf8()..self.end].chars().next();
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '\\') => {
                    self.error(
                        "f-string expression part cannot include a backslash",
                        self.pos,
                        self.pos + 1,
                    );
                }
                (None, '(' | '[' | '{') => depth += 1,
                (None, ')' | ']') => depth = depth.saturating_sub(1),
                (None, '}') if depth > 0 => depth -= 1,
                (None, '}') => break,
                (None, '!') if depth == 0 && next != Some('=') => break,
                (None, ':') if depth == 0 => break,
                _ => {}
            }
            self.pos += c.len_utf8();
        }
        let expr = Span::new(self.base + expr_start, self.base + self.pos);
        if self.src[expr_start..self.pos].trim().is_empty() {
            self.error("f-string: empty expression not allowed", open, self.pos);
        }
        let mut conversion = None;
        if self.peek() == Some('!') {
            self.pos += 1;
            match self.peek() {
                Some(c @ ('s' | 'r' | 'a')) => {
                    conversion = Some(c);
                    self.pos += 1;
                }
                other => {
                    self.error(
                        "f-string: invalid conversion character: expected 's', 'r', or 'a'",
                        self.pos,
                        self.pos + 1,
                    );
                    self.pos += other.map_or(0, char::len_utf8);
                }
            }
        }
        let mut spec = Vec::new();
        if self.peek() == Some(':') {
            self.pos += 1;
            spec = self.fstring_parts(true);
        }
        if self.peek() == Some('}') {
            self.pos += 1;
        } else {
            self.error("f-string: expecting '}'", open, self.pos);
            self.pos = self.end;
            return None;
        }
        Some(FStringPart::Field {
            expr,
            conversion,
            spec,
        })
    }

    /// Decodes one backslash escape at `pos` into `out`.
    fn escape(&mut self, out: &mut String) {
        let start = self.pos;
        self.pos += 1;
        let Some(c) = self.peek() else {
            out.push('\\');
            return;
        };
        self.pos += c.len_utf8();
        let simple = match c {
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            '\\' => Some('\\'),
            '\'' => Some('\''),
            '"' => Some('"'),
            'a' => Some('\x07'),
            'b' => Some('\x08'),
            'f' => Some('\x0c'),
            'v' => Some('\x0b'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            return;
        }
        match c {
            '\n' => {}
            '\r' => {
                if self.peek() == Some('\n') {
                    self.pos += 1;
                }
            }
            'x' | 'u' | 'U' => {
                let n = match c {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let digits = self
                    .src
                    .get(self.pos..(self.pos + n).min(self.end))
                    .unwrap_or("");
                let code = (digits.len() == n && digits.chars().all(|d| d.is_ascii_hexdigit()))
                    .then(|| u32::from_str_radix(digits, 16).ok())
                    .flatten()
                    .and_then(char::from_u32);
                match code {
                    Some(ch) => {
                        out.push(ch);
                        self.pos += n;
                    }
                    None => {
                        let message = format!(
                            "(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\{c}{} escape",
                            "X".repeat(n)
                        );
                        self.error(&message, start, self.pos);
                    }
                }
            }
            '0'..='7' => {
                let mut value = c.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match self.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            self.pos += 1;
                        }
                        None => break,
                    }
                }
                out.extend(char::from_u32(value));
            }
            _ => {
                out.push('\\');
                out.push(c);
            }
        }
    }
}

//! Tokens produced by the lexer.

use super::span::Span;

/// One piece of an f-string, as the lexer found it.
#[derive(Debug, Clone, PartialEq)]
pub enum FStringPart {
    /// Literal text with escapes and `{{`/`}}` already decoded.
    Literal(String),
    /// A `{expr!conv:spec}` field. `expr` is the span of the expression's source text.
    Field {
        expr: Span,
        conversion: Option<char>,
        spec: Vec<FStringPart>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    Name(String),
    Keyword(&'static str),
    Int(i64),
    /// An int literal too large for an i64.
    BigInt(std::sync::Arc<num_bigint::BigInt>),
    Float(f64),
    Str(String),
    FString(Vec<FStringPart>),
    /// Operators and delimiters, e.g. `+`, `**=`, `(`, `->`.
    Op(&'static str),
    Comment,
    /// End of a logical line.
    Newline,
    Indent,
    Dedent,
    EndMarker,
    /// Text the lexer could not make sense of; a matching error was reported.
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

pub const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Operators, longest first so that the lexer can match greedily.
pub const OPERATORS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", ">>", "<<", "<=", ">=", "==", "!=",
    "+=", "-=", "*=", "/=", "%=", "@=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "@", "&", "|",
    "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=",
];

impl TokenKind {
    pub fn is_op(&self, op: &str) -> bool {
        matches!(self, TokenKind::Op(o) if *o == op)
    }

    pub fn is_keyword(&self, kw: &str) -> bool {
        matches!(self, TokenKind::Keyword(k) if *k == kw)
    }

    /// How the token is named in a dump (used by tests and debugging).
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Name(n) => format!("Name({n})"),
            TokenKind::Keyword(k) => format!("Keyword({k})"),
            TokenKind::Int(i) => format!("Int({i})"),
            TokenKind::BigInt(i) => format!("Int({i})"),
            TokenKind::Float(f) => format!("Float({f:?})"),
            TokenKind::Str(s) => format!("Str({s:?})"),
            TokenKind::FString(parts) => format!("FString({parts:?})"),
            TokenKind::Op(o) => format!("Op({o})"),
            TokenKind::Comment => "Comment".into(),
            TokenKind::Newline => "Newline".into(),
            TokenKind::Indent => "Indent".into(),
            TokenKind::Dedent => "Dedent".into(),
            TokenKind::EndMarker => "EndMarker".into(),
            TokenKind::Error => "Error".into(),
        }
    }
}

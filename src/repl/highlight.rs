//! Syntax colours for the prompt, from the language's own lexer.

use std::collections::HashSet;
use std::ops::Range;

use crate::lang::lexer::tokenize;
use crate::lang::token::TokenKind;

/// What a piece of source is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Keyword,
    /// A built-in function or type, or a pre-bound module (`print`, `torch`).
    Builtin,
    Number,
    String,
    Comment,
    /// Text the lexer rejected.
    Error,
}

impl Class {
    /// The ANSI SGR code (select graphic rendition) for the class.
    fn sgr(self) -> &'static str {
        match self {
            Class::Keyword => "1;35",
            Class::Builtin => "36",
            Class::Number => "33",
            Class::String => "32",
            Class::Comment => "2",
            Class::Error => "31",
        }
    }
}

/// The class of a token, or `None` for text shown plainly (names, operators, layout tokens).
pub fn token_class(kind: &TokenKind, builtins: &HashSet<String>) -> Option<Class> {
    match kind {
        TokenKind::Keyword(_) => Some(Class::Keyword),
        TokenKind::Name(name) if builtins.contains(name) => Some(Class::Builtin),
        TokenKind::Int(_) | TokenKind::BigInt(_) | TokenKind::Float(_) => Some(Class::Number),
        TokenKind::Str(_) | TokenKind::FString(_) => Some(Class::String),
        TokenKind::Comment => Some(Class::Comment),
        TokenKind::Error => Some(Class::Error),
        TokenKind::Name(_)
        | TokenKind::Op(_)
        | TokenKind::Newline
        | TokenKind::Indent
        | TokenKind::Dedent
        | TokenKind::EndMarker => None,
    }
}

/// The coloured byte ranges of `src`, in order and without overlaps.
pub fn classify(src: &str, builtins: &HashSet<String>) -> Vec<(Range<usize>, Class)> {
    let mut spans = Vec::new();
    let mut end = 0;
    for token in tokenize(src).tokens {
        let range = token.span.start..token.span.end.min(src.len());
        if range.start < end || range.is_empty() || src.get(range.clone()).is_none() {
            continue;
        }
        if let Some(class) = token_class(&token.kind, builtins) {
            end = range.end;
            spans.push((range, class));
        }
    }
    spans
}

/// `src` with each classified range wrapped by `wrap(class, text)`; other text is copied.
pub fn render(
    src: &str,
    builtins: &HashSet<String>,
    wrap: impl Fn(Class, &str) -> String,
) -> String {
    let mut out = String::with_capacity(src.len() * 2);
    let mut at = 0;
    for (range, class) in classify(src, builtins) {
        out.push_str(&src[at..range.start]);
        out.push_str(&wrap(class, &src[range.clone()]));
        at = range.end;
    }
    out.push_str(&src[at..]);
    out
}

/// `src` coloured with ANSI escapes (same display width as `src`, as rustyline requires).
pub fn ansi(src: &str, builtins: &HashSet<String>) -> String {
    render(src, builtins, |class, text| {
        format!("\x1b[{}m{text}\x1b[0m", class.sgr())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(src: &str, expected: &str) {
        let builtins: HashSet<String> = ["print", "range", "torch"].map(String::from).into();
        let tagged = render(src, &builtins, |class, text| format!("<{class:?}:{text}>"));
        assert_eq!(tagged, expected, "classes of {src:?}");
    }

    #[test]
    fn token_classes() {
        check(
            "for i in range(3):",
            "<Keyword:for> i <Keyword:in> <Builtin:range>(<Number:3>):",
        );
        check(
            "x = torch.ones(2) * 1.5  # twice",
            "x = <Builtin:torch>.ones(<Number:2>) * <Number:1.5>  <Comment:# twice>",
        );
        check(
            "print(f\"{x:.3f}\", 'a', None)",
            "<Builtin:print>(<String:f\"{x:.3f}\">, <String:'a'>, <Keyword:None>)",
        );
        check("if ok:\n    pass", "<Keyword:if> ok:\n    <Keyword:pass>");
        check("myprint = 1", "myprint = <Number:1>");
        check("x = $", "x = <Error:$>");
        check("s = 'open", "s = <Error:'open>");
    }

    #[test]
    fn ansi_keeps_the_text() {
        let builtins = HashSet::new();
        let src = "def f(x):\n    return x ** 2  # sq";
        let coloured = ansi(src, &builtins);
        assert!(coloured.contains("\x1b[1;35mdef\x1b[0m"));
        let plain: String = strip_ansi(&coloured);
        assert_eq!(plain, src);
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                chars.by_ref().find(|&c| c == 'm');
            } else {
                out.push(c);
            }
        }
        out
    }
}

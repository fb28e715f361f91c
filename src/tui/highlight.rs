//! Syntax highlighting of cell code with the language's own lexer.

use ratatui::style::{Color, Modifier, Style};

use crate::lang::lexer::tokenize;
use crate::lang::token::TokenKind;

/// Built-in functions worth picking out.
const BUILTINS: &[&str] = &[
    "print",
    "plot",
    "range",
    "len",
    "enumerate",
    "zip",
    "abs",
    "min",
    "max",
    "sum",
    "round",
    "int",
    "float",
    "str",
    "list",
    "dict",
    "tuple",
    "isinstance",
    "type",
    "sorted",
];

pub fn style_of(kind: &TokenKind) -> Option<Style> {
    let style = match kind {
        TokenKind::Keyword(_) => Style::new().fg(Color::Magenta),
        TokenKind::Int(_) | TokenKind::Float(_) => Style::new().fg(Color::LightYellow),
        TokenKind::Str(_) | TokenKind::FString(_) => Style::new().fg(Color::Green),
        TokenKind::Comment => Style::new()
            .fg(Color::DarkGray)
            .add_modifier(Modifier::ITALIC),
        TokenKind::Name(name) if BUILTINS.contains(&name.as_str()) => Style::new().fg(Color::Cyan),
        TokenKind::Name(name) if is_library(name) => Style::new().fg(Color::LightBlue),
        TokenKind::Error => Style::new().fg(Color::Red),
        _ => return None,
    };
    Some(style)
}

fn is_library(name: &str) -> bool {
    matches!(name, "torch" | "nn" | "F" | "optim")
}

/// The code's lines, each as `(text, style)` pieces covering the whole line.
pub fn highlight(code: &str, base: Style) -> Vec<Vec<(String, Style)>> {
    let mut styles = vec![None; code.len()];
    for token in tokenize(code).tokens {
        if let Some(style) = style_of(&token.kind) {
            let end = token.span.end.min(code.len());
            for slot in styles.iter_mut().take(end).skip(token.span.start) {
                *slot = Some(style);
            }
        }
    }
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in code.split('\n') {
        let mut pieces: Vec<(String, Style)> = Vec::new();
        for (i, ch) in line.char_indices() {
            let style = base.patch(styles[offset + i].unwrap_or_default());
            match pieces.last_mut() {
                Some((text, s)) if *s == style => text.push(ch),
                _ => pieces.push((ch.to_string(), style)),
            }
        }
        offset += line.len() + 1;
        lines.push(pieces);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_get_their_colours() {
        let lines = highlight(
            "for i in range(3):  # loop\n    x = 'a' + 1.5",
            Style::new(),
        );
        let describe = |line: &[(String, Style)]| -> Vec<String> {
            line.iter()
                .map(|(text, style)| format!("{text}:{:?}", style.fg))
                .collect()
        };
        assert_eq!(
            describe(&lines[0]),
            [
                "for:Some(Magenta)",
                " i :None",
                "in:Some(Magenta)",
                " :None",
                "range:Some(Cyan)",
                "(:None",
                "3:Some(LightYellow)",
                "):  :None",
                "# loop:Some(DarkGray)"
            ]
        );
        assert_eq!(
            describe(&lines[1]),
            [
                "    x = :None",
                "'a':Some(Green)",
                " + :None",
                "1.5:Some(LightYellow)"
            ]
        );
    }
}

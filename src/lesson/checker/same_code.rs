//! Whether two translations of a lesson hold the same code: only comments and
//! the text of string literals may differ.

use crate::lang::lexer::tokenize;
use crate::lang::token::{FStringPart, TokenKind};

/// Whether `a` and `b` are the same code once comments are dropped and string
/// literals are blanked. An f-string keeps its fields (expression, conversion,
/// format spec) and loses only its literal text. Code the lexer rejects must
/// match exactly.
pub fn same_code(a: &str, b: &str) -> bool {
    code_shape(a) == code_shape(b)
}

/// The token stream, one string per token, with comments left out and string
/// literals replaced by a placeholder.
fn code_shape(code: &str) -> Vec<String> {
    let lexed = tokenize(code);
    if !lexed.errors.is_empty() {
        return vec![code.to_string()];
    }
    lexed
        .tokens
        .iter()
        .filter(|token| token.kind != TokenKind::Comment)
        .map(|token| match &token.kind {
            TokenKind::Str(_) => "<str>".to_string(),
            TokenKind::FString(parts) => format!("<f{}>", fstring_fields(code, parts, false)),
            kind => kind.describe(),
        })
        .collect()
}

/// The fields of an f-string as text; `literals` keeps literal parts too (they
/// are code inside a format spec, text elsewhere).
fn fstring_fields(code: &str, parts: &[FStringPart], literals: bool) -> String {
    parts
        .iter()
        .map(|part| match part {
            FStringPart::Literal(text) if literals => text.clone(),
            FStringPart::Literal(_) => String::new(),
            FStringPart::Field {
                expr,
                conversion,
                spec,
            } => {
                let expr = code_shape(code.get(expr.start..expr.end).unwrap_or_default());
                let conversion = conversion.map(|c| format!("!{c}")).unwrap_or_default();
                let spec = fstring_fields(code, spec, true);
                format!("{{{}{conversion}:{spec}}}", expr.join(" "))
            }
        })
        .collect()
}

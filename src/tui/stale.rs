//! Which later cells an edited cell affects: the names it binds against the names they read,
//! found with the language's lexer (an approximation that errs towards marking).

use std::collections::HashSet;

use crate::lang::lexer::tokenize;
use crate::lang::token::TokenKind;

/// Names a cell may bind: assignment targets at the start of a line (`a, b = ...`, `x[0] += 1`
/// counts `x`), `for` targets, and names after `def`, `class`, `import` and `as`.
pub fn bound_names(code: &str) -> HashSet<String> {
    let tokens = tokenize(code).tokens;
    let mut names = HashSet::new();
    let mut line_start = 0;
    let mut depth = 0i32;
    for (i, token) in tokens.iter().enumerate() {
        match &token.kind {
            TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent => line_start = i + 1,
            TokenKind::Op("(" | "[" | "{") => depth += 1,
            TokenKind::Op(")" | "]" | "}") => depth -= 1,
            TokenKind::Op(op) if depth == 0 && is_assignment(op) => {
                let mut inner = 0i32;
                for t in &tokens[line_start..i] {
                    match &t.kind {
                        TokenKind::Op("(" | "[" | "{") => inner += 1,
                        TokenKind::Op(")" | "]" | "}") => inner -= 1,
                        TokenKind::Op(".") => break,
                        TokenKind::Name(name) if inner == 0 => {
                            names.insert(name.clone());
                        }
                        _ => {}
                    }
                }
                line_start = i + 1;
            }
            TokenKind::Keyword("def" | "class" | "import" | "as" | "for") => {
                let targets = tokens[i + 1..]
                    .iter()
                    .take_while(|t| matches!(t.kind, TokenKind::Name(_) | TokenKind::Op(",")));
                for t in targets {
                    if let TokenKind::Name(name) = &t.kind {
                        names.insert(name.clone());
                    }
                }
            }
            _ => {}
        }
    }
    names
}

/// Every name a cell mentions.
pub fn used_names(code: &str) -> HashSet<String> {
    tokenize(code)
        .tokens
        .into_iter()
        .filter_map(|t| match t.kind {
            TokenKind::Name(name) => Some(name),
            _ => None,
        })
        .collect()
}

fn is_assignment(op: &str) -> bool {
    op.ends_with('=') && !matches!(op, "==" | "!=" | "<=" | ">=")
}

/// Indexes of the cells after `changed` to mark stale: those that read a name `changed` binds,
/// and, in turn, those that read a name a marked cell binds. `codes[i]` is `None` for cells
/// that have not run (nothing there to go stale).
pub fn affected(codes: &[Option<&str>], changed: usize) -> Vec<usize> {
    let Some(Some(code)) = codes.get(changed) else {
        return Vec::new();
    };
    let mut names = bound_names(code);
    let mut marked = Vec::new();
    for (i, code) in codes.iter().enumerate().skip(changed + 1) {
        let Some(code) = code else { continue };
        if !used_names(code).is_disjoint(&names) {
            names.extend(bound_names(code));
            marked.push(i);
        }
    }
    marked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_bound(code: &str, expected: &[&str]) {
        let mut got: Vec<String> = bound_names(code).into_iter().collect();
        got.sort();
        assert_eq!(got, expected, "{code:?}");
    }

    #[test]
    fn finds_bound_names() {
        check_bound("x = 1", &["x"]);
        check_bound("a, b = f(c)", &["a", "b"]);
        check_bound("w[0] += lr * g", &["w"]);
        check_bound("model.weight = w", &["model"]);
        check_bound(
            "for i, v in enumerate(xs):\n    total = v",
            &["i", "total", "v"],
        );
        check_bound("def step(x):\n    return x", &["step"]);
        check_bound("import torch as t", &["t", "torch"]);
        check_bound("if x == 1:\n    print(x)", &[]);
        check_bound("f(lr=0.1)", &[]);
    }

    #[test]
    fn marks_readers_and_their_readers() {
        let codes = [
            Some("x = 1\ny = 2"),
            Some("z = x + 1"),
            Some("print(y)"),
            None,
            Some("print(z)"),
            Some("print('unrelated')"),
        ];
        assert_eq!(affected(&codes, 0), [1, 2, 4]);
        assert_eq!(affected(&codes, 2), Vec::<usize>::new());
        assert_eq!(affected(&codes, 9), Vec::<usize>::new());
    }
}

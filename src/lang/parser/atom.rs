//! Primary expressions: atoms, calls, subscripts, displays, comprehensions, strings.

use super::super::ast::{AttrName, Comprehension, Expr, ExprKind, FStringPart, Keyword};
use super::super::error::SyntaxError;
use super::super::span::Span;
use super::super::token::{FStringPart as RawPart, TokenKind};
use super::{boxed, parse_embedded_expr, PResult, Parser};

impl Parser<'_> {
    pub(super) fn primary(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        let mut expr = self.atom()?;
        loop {
            let kind = if self.eat_op(".") {
                let (attr, _) = self.expect_name()?;
                ExprKind::Attribute {
                    value: boxed(expr),
                    attr: AttrName::new(attr),
                }
            } else if self.at_op("(") {
                let (args, keywords) = self.call_arguments()?;
                ExprKind::Call {
                    func: boxed(expr),
                    args,
                    keywords,
                }
            } else if self.eat_op("[") {
                let index = self.subscript()?;
                self.close("]")?;
                ExprKind::Subscript {
                    value: boxed(expr),
                    index: boxed(index),
                }
            } else {
                return Ok(expr);
            };
            expr = Expr {
                kind,
                span: self.since(start),
            };
        }
    }

    /// Expects a closing bracket; a token that could start an expression means a missing comma.
    fn close(&mut self, bracket: &str) -> PResult<()> {
        if self.eat_op(bracket) {
            return Ok(());
        }
        if self.starts_expression() {
            let message = "invalid syntax. Perhaps you forgot a comma?";
            return Err(SyntaxError::new(message, self.span()));
        }
        Err(self.invalid_syntax())
    }

    pub(super) fn call_arguments(&mut self) -> PResult<(Vec<Expr>, Vec<Keyword>)> {
        self.advance();
        self.enter()?;
        let result = self.call_args_inner();
        self.leave();
        result
    }

    fn call_args_inner(&mut self) -> PResult<(Vec<Expr>, Vec<Keyword>)> {
        let mut args = Vec::new();
        let mut keywords: Vec<Keyword> = Vec::new();
        while !self.at_op(")") {
            let start = self.span().start;
            if self.eat_op("**") {
                let value = self.expression()?;
                keywords.push(Keyword {
                    name: None,
                    value,
                    span: self.since(start),
                });
            } else if let (TokenKind::Name(name), true) =
                (self.peek().clone(), self.peek_nth(1).is_op("="))
            {
                self.advance();
                self.advance();
                let value = self.expression()?;
                if keywords.iter().any(|k| k.name.as_deref() == Some(&name)) {
                    let message = format!("keyword argument repeated: {name}");
                    return Err(SyntaxError::new(message, self.since(start)));
                }
                keywords.push(Keyword {
                    name: Some(name),
                    value,
                    span: self.since(start),
                });
            } else {
                let starred = self.at_op("*");
                let arg = self.star_or_named_expression()?;
                if !starred && self.at_keyword("for") {
                    let generators = self.comprehension_clauses()?;
                    let genexp = Expr {
                        kind: ExprKind::GeneratorExp {
                            elt: boxed(arg),
                            generators,
                        },
                        span: self.since(start),
                    };
                    if !args.is_empty() || !keywords.is_empty() || !self.at_op(")") {
                        let message = "Generator expression must be parenthesized";
                        return Err(SyntaxError::new(message, genexp.span));
                    }
                    args.push(genexp);
                    break;
                }
                if keywords.iter().any(|k| k.name.is_none()) {
                    let message = if starred {
                        "iterable argument unpacking follows keyword argument unpacking"
                    } else {
                        "positional argument follows keyword argument unpacking"
                    };
                    return Err(SyntaxError::new(message, arg.span));
                }
                if !starred && !keywords.is_empty() {
                    let message = "positional argument follows keyword argument";
                    return Err(SyntaxError::new(message, arg.span));
                }
                args.push(arg);
            }
            if !self.eat_op(",") {
                break;
            }
        }
        self.close(")")?;
        Ok((args, keywords))
    }

    /// `*expr` (a `Starred`) or an expression, allowing `name := value`.
    pub(super) fn star_or_named_expression(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        if self.eat_op("*") {
            let value = self.binary(1)?;
            return Ok(Expr {
                kind: ExprKind::Starred(boxed(value)),
                span: self.since(start),
            });
        }
        self.walrus_or_expression()
    }

    /// `name := value` or an expression.
    pub(super) fn walrus_or_expression(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        if let (TokenKind::Name(name), true) = (self.peek().clone(), self.peek_nth(1).is_op(":=")) {
            self.advance();
            self.advance();
            let value = self.expression()?;
            return Ok(Expr {
                kind: ExprKind::NamedExpr {
                    name,
                    value: boxed(value),
                },
                span: self.since(start),
            });
        }
        self.expression()
    }

    /// The inside of `x[...]`: indices, slices, or a tuple of them.
    fn subscript(&mut self) -> PResult<Expr> {
        self.comma_list(Self::slice_item, |p| p.starts_expression() || p.at_op(":"))
    }

    fn slice_item(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        let lower = (!self.at_op(":")).then(|| self.expression()).transpose()?;
        if !self.eat_op(":") {
            return lower.ok_or_else(|| self.invalid_syntax());
        }
        let bound = |p: &mut Self| -> PResult<Option<Box<Expr>>> {
            Ok(if p.starts_expression() {
                Some(boxed(p.expression()?))
            } else {
                None
            })
        };
        let upper = bound(self)?;
        let step = if self.eat_op(":") { bound(self)? } else { None };
        Ok(Expr {
            kind: ExprKind::Slice {
                lower: lower.map(boxed),
                upper,
                step,
            },
            span: self.since(start),
        })
    }

    fn comprehension_clauses(&mut self) -> PResult<Vec<Comprehension>> {
        let mut generators = Vec::new();
        while self.eat_keyword("for") {
            let target = self.target_list()?;
            self.check_target(&target, "assign to")?;
            if !self.eat_keyword("in") {
                return Err(SyntaxError::new("expected 'in'", self.error_span()));
            }
            let iter = self.disjunction()?;
            let mut ifs = Vec::new();
            while self.eat_keyword("if") {
                ifs.push(self.disjunction()?);
            }
            generators.push(Comprehension {
                target,
                iter,
                ifs,
                frame: None,
            });
        }
        Ok(generators)
    }

    fn atom(&mut self) -> PResult<Expr> {
        let tok = self.token().clone();
        let literal = match &tok.kind {
            TokenKind::Name(n) => Some(ExprKind::Name(n.clone())),
            TokenKind::Int(i) => Some(ExprKind::Int(*i)),
            TokenKind::BigInt(i) => Some(ExprKind::BigInt(i.clone())),
            TokenKind::Float(f) => Some(ExprKind::Float(*f)),
            TokenKind::Keyword("None") => Some(ExprKind::None),
            TokenKind::Keyword("True") => Some(ExprKind::Bool(true)),
            TokenKind::Keyword("False") => Some(ExprKind::Bool(false)),
            TokenKind::Op("...") => Some(ExprKind::Ellipsis),
            _ => None,
        };
        if let Some(kind) = literal {
            self.advance();
            return Ok(Expr {
                kind,
                span: tok.span,
            });
        }
        match tok.kind {
            TokenKind::Str(_) | TokenKind::FString(_) => self.strings(),
            TokenKind::Op(open @ ("(" | "[" | "{")) => {
                self.advance();
                self.enter()?;
                let result = match open {
                    "(" => self.paren(tok.span.start),
                    "[" => self.list(tok.span.start),
                    _ => self.dict(tok.span.start),
                };
                self.leave();
                result
            }
            TokenKind::Keyword("await") => Err(super::stmt::unsupported("await", tok.span)),
            _ => Err(self.invalid_syntax()),
        }
    }

    /// Adjacent string literals concatenate; any f-string makes the whole an f-string.
    fn strings(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        let mut parts: Vec<FStringPart> = Vec::new();
        let mut any_f = false;
        loop {
            match self.peek().clone() {
                TokenKind::Str(s) => push_literal(&mut parts, s),
                TokenKind::FString(raw) => {
                    any_f = true;
                    for part in self.fstring_parts(&raw)? {
                        match part {
                            FStringPart::Literal(s) => push_literal(&mut parts, s),
                            field => parts.push(field),
                        }
                    }
                }
                _ => break,
            }
            self.advance();
        }
        let kind = match (any_f, parts.as_slice()) {
            (true, _) => ExprKind::FString(parts),
            (false, [FStringPart::Literal(s)]) => ExprKind::Str(s.as_str().into()),
            (false, _) => ExprKind::Str("".into()),
        };
        Ok(Expr {
            kind,
            span: self.since(start),
        })
    }

    fn fstring_parts(&self, raw: &[RawPart]) -> PResult<Vec<FStringPart>> {
        let mut parts = Vec::new();
        for part in raw {
            let RawPart::Field {
                expr,
                conversion,
                spec,
            } = part
            else {
                if let RawPart::Literal(s) = part {
                    parts.push(FStringPart::Literal(s.clone()));
                }
                continue;
            };
            let mut expr_span = *expr;
            let mut conversion = *conversion;
            // `{x=}` prints the expression's text before its value (repr unless a spec is given).
            if let Some(text) = self_documenting(self.source_text(*expr)) {
                parts.push(FStringPart::Literal(text.to_string()));
                let equals = self.source_text(*expr).trim_end().len() - 1;
                expr_span = Span::new(expr.start, expr.start + equals);
                if conversion.is_none() && spec.is_empty() {
                    conversion = Some('r');
                }
            }
            let parsed = parse_embedded_expr(self.source, self.lines.clone(), expr_span).map_err(
                |mut e| {
                    if !e.message.starts_with("f-string") {
                        e.message = format!("f-string: {}", e.message);
                    }
                    e
                },
            )?;
            parts.push(FStringPart::Field {
                expr: boxed(parsed),
                conversion,
                spec: self.fstring_parts(spec)?,
            });
        }
        Ok(parts)
    }

    fn paren(&mut self, start: usize) -> PResult<Expr> {
        if self.eat_op(")") {
            return Ok(Expr {
                kind: ExprKind::Tuple(Vec::new()),
                span: self.since(start),
            });
        }
        if self.at_keyword("yield") {
            let value = self.yield_expression()?;
            self.close(")")?;
            return Ok(value);
        }
        let starred = self.at_op("*");
        let first = self.star_or_named_expression()?;
        if !starred && self.at_keyword("for") {
            let generators = self.comprehension_clauses()?;
            self.close(")")?;
            return Ok(Expr {
                kind: ExprKind::GeneratorExp {
                    elt: boxed(first),
                    generators,
                },
                span: self.since(start),
            });
        }
        if !starred && self.eat_op(")") {
            return Ok(first);
        }
        let elts = self.rest_of_sequence(first, ")")?;
        Ok(Expr {
            kind: ExprKind::Tuple(elts),
            span: self.since(start),
        })
    }

    /// After the first element: `, b, c]` (requires the comma when there is more).
    fn rest_of_sequence(&mut self, first: Expr, close: &str) -> PResult<Vec<Expr>> {
        let mut elts = vec![first];
        while self.eat_op(",") {
            if self.at_op(close) {
                break;
            }
            elts.push(self.star_or_named_expression()?);
        }
        self.close(close)?;
        Ok(elts)
    }

    fn list(&mut self, start: usize) -> PResult<Expr> {
        if self.eat_op("]") {
            return Ok(Expr {
                kind: ExprKind::List(Vec::new()),
                span: self.since(start),
            });
        }
        let starred = self.at_op("*");
        let first = self.star_or_named_expression()?;
        let kind = if !starred && self.at_keyword("for") {
            let generators = self.comprehension_clauses()?;
            self.close("]")?;
            ExprKind::ListComp {
                elt: boxed(first),
                generators,
            }
        } else {
            ExprKind::List(self.rest_of_sequence(first, "]")?)
        };
        Ok(Expr {
            kind,
            span: self.since(start),
        })
    }

    /// `{...}`: a dict or set display, or a dict or set comprehension.
    fn dict(&mut self, start: usize) -> PResult<Expr> {
        if self.eat_op("}") {
            return Ok(Expr {
                kind: ExprKind::Dict(Vec::new()),
                span: self.since(start),
            });
        }
        let first_key = if self.eat_op("**") {
            None
        } else {
            let starred = self.at_op("*");
            let first = self.star_or_named_expression()?;
            if starred || !self.at_op(":") {
                return self.set_display(start, first, starred);
            }
            self.advance();
            Some(first)
        };
        let first_value = self.expression()?;
        if let (Some(key), true) = (&first_key, self.at_keyword("for")) {
            let generators = self.comprehension_clauses()?;
            self.close("}")?;
            return Ok(Expr {
                kind: ExprKind::DictComp {
                    key: boxed(key.clone()),
                    value: boxed(first_value),
                    generators,
                },
                span: self.since(start),
            });
        }
        let mut items = vec![(first_key, first_value)];
        while self.eat_op(",") {
            if self.at_op("}") {
                break;
            }
            if self.eat_op("**") {
                items.push((None, self.expression()?));
                continue;
            }
            let key = self.expression()?;
            self.expect_op(":")?;
            items.push((Some(key), self.expression()?));
        }
        self.close("}")?;
        Ok(Expr {
            kind: ExprKind::Dict(items),
            span: self.since(start),
        })
    }

    fn set_display(&mut self, start: usize, first: Expr, starred: bool) -> PResult<Expr> {
        let kind = if !starred && self.at_keyword("for") {
            let generators = self.comprehension_clauses()?;
            self.close("}")?;
            ExprKind::SetComp {
                elt: boxed(first),
                generators,
            }
        } else {
            ExprKind::Set(self.rest_of_sequence(first, "}")?)
        };
        Ok(Expr {
            kind,
            span: self.since(start),
        })
    }
}

fn push_literal(parts: &mut Vec<FStringPart>, s: String) {
    if let Some(FStringPart::Literal(last)) = parts.last_mut() {
        last.push_str(&s);
    } else {
        parts.push(FStringPart::Literal(s));
    }
}

/// The literal text of a self-documenting field (`x=` or `x = `), if the field is one.
fn self_documenting(field: &str) -> Option<&str> {
    let trimmed = field.trim_end();
    let before = trimmed.strip_suffix('=')?;
    let operator_end = before.ends_with(['=', '!', '<', '>']);
    (!operator_end && !before.trim().is_empty()).then_some(field)
}

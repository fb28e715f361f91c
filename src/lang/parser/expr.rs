//! Expressions, by Python's precedence climbing.

use std::sync::Arc;

use super::super::ast::{BinOp, BoolOp, CmpOp, Expr, ExprKind, FunctionBody, FunctionDef, UnaryOp};
use super::super::error::SyntaxError;
use super::super::token::TokenKind;
use super::{boxed, locals, PResult, Parser};

/// Binding power of the binary operators between comparisons and unary operators.
fn binary_precedence(op: &str) -> Option<(u8, BinOp)> {
    let prec = match op {
        "|" => 1,
        "^" => 2,
        "&" => 3,
        "<<" | ">>" => 4,
        "+" | "-" => 5,
        "*" | "@" | "/" | "//" | "%" => 6,
        _ => return None,
    };
    Some((prec, BinOp::from_symbol(op)?))
}

impl Parser<'_> {
    /// `a, b, c` (a tuple when there is a comma) or one expression.
    pub(super) fn expressions(&mut self) -> PResult<Expr> {
        self.comma_list(Self::star_expression, Self::starts_item)
    }

    /// Assignment-target list for `for` and `del`: stops before `in`.
    pub(super) fn target_list(&mut self) -> PResult<Expr> {
        self.comma_list(Self::target_item, Self::starts_item)
    }

    fn target_item(&mut self) -> PResult<Expr> {
        match self.starred(|p| p.binary(1)) {
            Some(starred) => starred,
            None => self.binary(1),
        }
    }

    fn starts_item(&self) -> bool {
        self.starts_expression() || self.at_op("*")
    }

    /// `*expr` in a tuple, or an expression.
    fn star_expression(&mut self) -> PResult<Expr> {
        match self.starred(|p| p.binary(1)) {
            Some(starred) => starred,
            None => self.expression(),
        }
    }

    /// `*item` as a `Starred` node, when the next token is `*`.
    fn starred(&mut self, item: fn(&mut Self) -> PResult<Expr>) -> Option<PResult<Expr>> {
        let start = self.span().start;
        if !self.eat_op("*") {
            return None;
        }
        Some(item(self).map(|value| Expr {
            kind: ExprKind::Starred(boxed(value)),
            span: self.since(start),
        }))
    }

    /// `yield`, `yield value(s)` or `yield from iterable`; marks the enclosing function a generator.
    pub(super) fn yield_expression(&mut self) -> PResult<Expr> {
        let start = self.advance().span.start;
        if !self.in_function {
            return Err(SyntaxError::new(
                "'yield' outside function",
                self.since(start),
            ));
        }
        self.saw_yield = true;
        let kind = if self.eat_keyword("from") {
            ExprKind::YieldFrom(boxed(self.expression()?))
        } else if self.starts_item() {
            ExprKind::Yield(Some(boxed(self.expressions()?)))
        } else {
            ExprKind::Yield(None)
        };
        Ok(Expr {
            kind,
            span: self.since(start),
        })
    }

    /// `item (, item)* [,]`; `starts_item` tells whether another item follows a comma.
    pub(super) fn comma_list(
        &mut self,
        item: fn(&mut Self) -> PResult<Expr>,
        starts_item: fn(&Self) -> bool,
    ) -> PResult<Expr> {
        let start = self.span().start;
        let first = item(self)?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut elts = vec![first];
        while self.eat_op(",") {
            if !starts_item(self) {
                break;
            }
            elts.push(item(self)?);
        }
        Ok(Expr {
            kind: ExprKind::Tuple(elts),
            span: self.since(start),
        })
    }

    pub(super) fn starts_expression(&self) -> bool {
        match self.peek() {
            TokenKind::Name(_)
            | TokenKind::Int(_)
            | TokenKind::BigInt(_)
            | TokenKind::Float(_)
            | TokenKind::Str(_)
            | TokenKind::FString(_) => true,
            TokenKind::Keyword(k) => ["None", "True", "False", "not", "lambda"].contains(k),
            TokenKind::Op(o) => ["(", "[", "{", "-", "+", "~", "..."].contains(o),
            _ => false,
        }
    }

    pub(super) fn expression(&mut self) -> PResult<Expr> {
        self.enter()?;
        let result = self.conditional();
        self.leave();
        result
    }

    fn conditional(&mut self) -> PResult<Expr> {
        if self.at_keyword("lambda") {
            return self.lambda();
        }
        let start = self.span().start;
        let body = self.disjunction()?;
        if !self.eat_keyword("if") {
            return Ok(body);
        }
        let test = self.disjunction()?;
        if !self.eat_keyword("else") {
            return Err(SyntaxError::new(
                "expected 'else' after 'if' expression",
                self.since(start),
            ));
        }
        let orelse = self.expression()?;
        Ok(Expr {
            kind: ExprKind::IfExp {
                test: boxed(test),
                body: boxed(body),
                orelse: boxed(orelse),
            },
            span: self.since(start),
        })
    }

    fn lambda(&mut self) -> PResult<Expr> {
        let start = self.advance().span.start;
        let params = self.params(":")?;
        self.expect_op(":")?;
        let body = self.expression()?;
        let (locals, globals) = locals::lambda_scope(&params);
        let def = FunctionDef {
            name: "<lambda>".into(),
            params,
            body: FunctionBody::Lambda(body),
            locals,
            globals,
            is_generator: false,
            decorators: Vec::new(),
            span: self.since(start),
            frame: Default::default(),
            names: Default::default(),
        };
        Ok(Expr {
            kind: ExprKind::Lambda(Arc::new(def)),
            span: self.since(start),
        })
    }

    pub(super) fn disjunction(&mut self) -> PResult<Expr> {
        self.bool_chain("or", BoolOp::Or, Self::conjunction)
    }

    fn conjunction(&mut self) -> PResult<Expr> {
        self.bool_chain("and", BoolOp::And, Self::inversion)
    }

    fn bool_chain(
        &mut self,
        kw: &str,
        op: BoolOp,
        next: fn(&mut Self) -> PResult<Expr>,
    ) -> PResult<Expr> {
        let start = self.span().start;
        let mut left = next(self)?;
        while self.eat_keyword(kw) {
            let right = next(self)?;
            left = Expr {
                kind: ExprKind::BoolOp {
                    op,
                    left: boxed(left),
                    right: boxed(right),
                },
                span: self.since(start),
            };
        }
        Ok(left)
    }

    fn inversion(&mut self) -> PResult<Expr> {
        if !self.at_keyword("not") {
            return self.comparison();
        }
        let start = self.advance().span.start;
        self.enter()?;
        let operand = self.inversion();
        self.leave();
        Ok(Expr {
            kind: ExprKind::Unary {
                op: UnaryOp::Not,
                operand: boxed(operand?),
            },
            span: self.since(start),
        })
    }

    fn comparison_op(&mut self) -> Option<CmpOp> {
        let op = match self.peek() {
            TokenKind::Op("<") => CmpOp::Lt,
            TokenKind::Op("<=") => CmpOp::Le,
            TokenKind::Op(">") => CmpOp::Gt,
            TokenKind::Op(">=") => CmpOp::Ge,
            TokenKind::Op("==") => CmpOp::Eq,
            TokenKind::Op("!=") => CmpOp::Ne,
            TokenKind::Keyword("in") => CmpOp::In,
            TokenKind::Keyword("not") if self.peek_nth(1).is_keyword("in") => {
                self.advance();
                CmpOp::NotIn
            }
            TokenKind::Keyword("is") if self.peek_nth(1).is_keyword("not") => {
                self.advance();
                CmpOp::IsNot
            }
            TokenKind::Keyword("is") => CmpOp::Is,
            _ => return None,
        };
        self.advance();
        Some(op)
    }

    fn comparison(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        let left = self.binary(1)?;
        let mut ops = Vec::new();
        while let Some(op) = self.comparison_op() {
            ops.push((op, self.binary(1)?));
        }
        if ops.is_empty() {
            return Ok(left);
        }
        Ok(Expr {
            kind: ExprKind::Compare {
                left: boxed(left),
                ops,
            },
            span: self.since(start),
        })
    }

    /// Left-associative binary operators binding at least as tightly as `min_prec`.
    pub(super) fn binary(&mut self, min_prec: u8) -> PResult<Expr> {
        let start = self.span().start;
        let mut left = self.factor()?;
        while let Some((prec, op)) = match self.peek() {
            TokenKind::Op(o) => binary_precedence(o),
            _ => None,
        } {
            if prec < min_prec {
                break;
            }
            self.advance();
            self.enter()?;
            let right = self.binary(prec + 1);
            self.leave();
            left = Expr {
                kind: ExprKind::Binary {
                    left: boxed(left),
                    op,
                    right: boxed(right?),
                },
                span: self.since(start),
            };
        }
        Ok(left)
    }

    /// Unary `- + ~`, which bind less tightly than `**` on their right.
    fn factor(&mut self) -> PResult<Expr> {
        let op = match self.peek() {
            TokenKind::Op("-") => UnaryOp::Neg,
            TokenKind::Op("+") => UnaryOp::Pos,
            TokenKind::Op("~") => UnaryOp::Invert,
            _ => return self.power(),
        };
        let start = self.advance().span.start;
        self.enter()?;
        let operand = self.factor();
        self.leave();
        Ok(Expr {
            kind: ExprKind::Unary {
                op,
                operand: boxed(operand?),
            },
            span: self.since(start),
        })
    }

    /// `**` is right-associative and its right operand may be negated: `2 ** -1`.
    fn power(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        let base = self.primary()?;
        if !self.eat_op("**") {
            return Ok(base);
        }
        self.enter()?;
        let exponent = self.factor();
        self.leave();
        Ok(Expr {
            kind: ExprKind::Binary {
                left: boxed(base),
                op: BinOp::Pow,
                right: boxed(exponent?),
            },
            span: self.since(start),
        })
    }
}

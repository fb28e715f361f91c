//! Statements and blocks.

use std::sync::Arc;

use super::super::ast::{
    Alias, BinOp, Expr, ExprKind, FunctionBody, FunctionDef, Param, Stmt, StmtKind, WithItem,
};
use super::super::error::SyntaxError;
use super::super::span::Span;
use super::super::token::TokenKind;
use super::{locals, PResult, Parser};

/// Statements Python has but the snippet language leaves out.
const UNSUPPORTED: &[&str] = &[
    "class", "try", "raise", "yield", "async", "await", "except", "finally",
];

impl Parser<'_> {
    pub(super) fn module(&mut self) -> Vec<Stmt> {
        let mut body = Vec::new();
        while self.peek() != &TokenKind::EndMarker {
            self.statement_into(&mut body);
        }
        body
    }

    /// Parses one line's statements (or one compound statement) into `out`; on an error,
    /// records it and skips to the next statement.
    fn statement_into(&mut self, out: &mut Vec<Stmt>) {
        let before = self.pos;
        match self.statement() {
            Ok(mut stmts) => out.append(&mut stmts),
            Err(e) => {
                self.errors.push(e);
                self.recover();
                if self.pos == before && self.peek() != &TokenKind::EndMarker {
                    self.advance();
                }
            }
        }
    }

    /// Skips the rest of the logical line, and a block indented under it.
    fn recover(&mut self) {
        while !matches!(
            self.peek(),
            TokenKind::Newline | TokenKind::EndMarker | TokenKind::Indent | TokenKind::Dedent
        ) {
            self.advance();
        }
        self.eat_newline();
        if self.peek() == &TokenKind::Indent {
            let mut depth = 0usize;
            loop {
                match self.advance().kind {
                    TokenKind::Indent => depth += 1,
                    TokenKind::Dedent => depth -= 1,
                    TokenKind::EndMarker => break,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
            }
        }
    }

    fn eat_newline(&mut self) -> bool {
        let found = self.peek() == &TokenKind::Newline;
        if found {
            self.advance();
        }
        found
    }

    fn statement(&mut self) -> PResult<Vec<Stmt>> {
        let compound = match self.peek() {
            TokenKind::Indent => {
                return Err(SyntaxError::indentation("unexpected indent", self.span()));
            }
            TokenKind::Keyword("if") => self.if_stmt()?,
            TokenKind::Keyword("while") => self.while_stmt()?,
            TokenKind::Keyword("for") => self.for_stmt()?,
            TokenKind::Keyword("def") => self.def_stmt()?,
            TokenKind::Keyword("with") => self.with_stmt()?,
            _ => return self.simple_statements(),
        };
        Ok(vec![compound])
    }

    fn simple_statements(&mut self) -> PResult<Vec<Stmt>> {
        let mut stmts = vec![self.simple_statement()?];
        while self.eat_op(";") {
            if self.peek() == &TokenKind::Newline {
                break;
            }
            stmts.push(self.simple_statement()?);
        }
        if !self.eat_newline() && self.peek() != &TokenKind::EndMarker {
            return Err(self.invalid_syntax());
        }
        Ok(stmts)
    }

    fn simple_statement(&mut self) -> PResult<Stmt> {
        let start = self.span().start;
        let keyword_span = self.span();
        let kind = match self.peek().clone() {
            TokenKind::Keyword("pass") => {
                self.advance();
                StmtKind::Pass
            }
            TokenKind::Keyword(kw @ ("break" | "continue")) => {
                self.advance();
                if self.loop_depth == 0 {
                    let message = format!("'{kw}' outside loop");
                    return Err(SyntaxError::new(message, keyword_span));
                }
                if kw == "break" {
                    StmtKind::Break
                } else {
                    StmtKind::Continue
                }
            }
            TokenKind::Keyword("return") => {
                self.advance();
                let value = self
                    .starts_expression()
                    .then(|| self.expressions())
                    .transpose()?;
                if !self.in_function {
                    return Err(SyntaxError::new(
                        "'return' outside function",
                        self.since(start),
                    ));
                }
                StmtKind::Return(value)
            }
            TokenKind::Keyword("import") => self.import()?,
            TokenKind::Keyword("from") => self.import_from()?,
            TokenKind::Keyword("assert") => {
                self.advance();
                let test = self.expression()?;
                let msg = self.eat_op(",").then(|| self.expression()).transpose()?;
                StmtKind::Assert { test, msg }
            }
            TokenKind::Keyword("del") => {
                self.advance();
                let targets = self.target_list()?;
                let targets = match targets.kind {
                    ExprKind::Tuple(items) => items,
                    _ => vec![targets],
                };
                for t in &targets {
                    self.check_target(t, "delete")?;
                }
                StmtKind::Del(targets)
            }
            TokenKind::Keyword(kw @ ("global" | "nonlocal")) => {
                self.advance();
                let mut names = vec![self.expect_name()?.0];
                while self.eat_op(",") {
                    names.push(self.expect_name()?.0);
                }
                if kw == "global" {
                    StmtKind::Global(names)
                } else {
                    StmtKind::Nonlocal(names)
                }
            }
            TokenKind::Keyword(kw) if UNSUPPORTED.contains(&kw) => {
                let message = format!("'{kw}' is not supported in nnlearn snippets");
                return Err(SyntaxError::new(message, keyword_span));
            }
            _ => self.expression_statement()?,
        };
        Ok(Stmt {
            kind,
            span: self.since(start),
        })
    }

    fn expression_statement(&mut self) -> PResult<StmtKind> {
        let first = self.expressions()?;
        if let TokenKind::Op(op) = self.peek() {
            if let Some(bin) = op.strip_suffix('=').and_then(BinOp::from_symbol) {
                self.check_aug_target(&first)?;
                self.advance();
                let value = self.expressions()?;
                return Ok(StmtKind::AugAssign {
                    target: first,
                    op: bin,
                    value,
                });
            }
        }
        if !self.at_op("=") {
            return Ok(StmtKind::Expr(first));
        }
        let mut targets = vec![first];
        let mut value = None;
        while self.eat_op("=") {
            if let Some(v) = value.take() {
                targets.push(v);
            }
            value = Some(self.expressions()?);
        }
        for t in &targets {
            self.check_target(t, "assign to")?;
        }
        let value = value.ok_or_else(|| self.invalid_syntax())?;
        Ok(StmtKind::Assign { targets, value })
    }

    /// Rejects targets Python rejects, with its message.
    pub(super) fn check_target(&self, target: &Expr, verb: &str) -> PResult<()> {
        let what = match &target.kind {
            ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => {
                return Ok(())
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                return items.iter().try_for_each(|t| self.check_target(t, verb));
            }
            ExprKind::Call { .. } => "function call",
            ExprKind::None | ExprKind::Bool(_) | ExprKind::Ellipsis => {
                let message = format!("cannot {verb} {}", self.source_text(target.span));
                return Err(SyntaxError::new(message, target.span));
            }
            ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Str(_) => "literal",
            ExprKind::FString(_) => "f-string expression",
            ExprKind::Lambda(_) => "lambda",
            ExprKind::Compare { .. } => "comparison",
            ExprKind::IfExp { .. } => "conditional expression",
            ExprKind::ListComp { .. } => "list comprehension",
            ExprKind::GeneratorExp { .. } => "generator expression",
            ExprKind::Dict(_) => "dict literal",
            _ => "expression",
        };
        let hint = if verb == "assign to" {
            " here. Maybe you meant '==' instead of '='?"
        } else {
            ""
        };
        Err(SyntaxError::new(
            format!("cannot {verb} {what}{hint}"),
            target.span,
        ))
    }

    fn check_aug_target(&self, target: &Expr) -> PResult<()> {
        match &target.kind {
            ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
            ExprKind::Tuple(_) => Err(SyntaxError::new(
                "'tuple' is an illegal expression for augmented assignment",
                target.span,
            )),
            _ => Err(SyntaxError::new(
                "illegal expression for augmented assignment",
                target.span,
            )),
        }
    }

    pub(super) fn source_text(&self, span: Span) -> &str {
        self.source.get(span.start..span.end).unwrap_or("")
    }

    fn dotted_name(&mut self) -> PResult<(String, Span)> {
        let (mut name, span) = self.expect_name()?;
        let start = span.start;
        while self.eat_op(".") {
            name.push('.');
            name.push_str(&self.expect_name()?.0);
        }
        Ok((name, self.since(start)))
    }

    fn alias(&mut self, dotted: bool) -> PResult<Alias> {
        let (name, span) = if dotted {
            self.dotted_name()?
        } else {
            self.expect_name()?
        };
        let asname = self
            .eat_keyword("as")
            .then(|| self.expect_name())
            .transpose()?;
        let span = span.to(self.since(span.start));
        Ok(Alias {
            name,
            asname: asname.map(|(n, _)| n),
            span,
        })
    }

    fn import(&mut self) -> PResult<StmtKind> {
        self.advance();
        let mut names = vec![self.alias(true)?];
        while self.eat_op(",") {
            names.push(self.alias(true)?);
        }
        Ok(StmtKind::Import(names))
    }

    fn import_from(&mut self) -> PResult<StmtKind> {
        self.advance();
        let (module, _) = self.dotted_name()?;
        if !self.eat_keyword("import") {
            return Err(self.invalid_syntax());
        }
        if self.at_op("*") {
            let message = "'from ... import *' is not supported in nnlearn snippets";
            return Err(SyntaxError::new(message, self.span()));
        }
        let parens = self.eat_op("(");
        let mut names = vec![self.alias(false)?];
        while self.eat_op(",") {
            if parens && self.at_op(")") {
                break;
            }
            names.push(self.alias(false)?);
        }
        if parens {
            self.expect_op(")")?;
        }
        Ok(StmtKind::ImportFrom { module, names })
    }

    /// `:` then a block; `what` names the statement in "expected an indented block after ...".
    fn block(&mut self, what: &str, header_start: usize) -> PResult<Vec<Stmt>> {
        self.expect_op(":")?;
        if !self.eat_newline() {
            return self.simple_statements();
        }
        if self.peek() != &TokenKind::Indent {
            let line = self.line_of(header_start);
            let message = format!("expected an indented block after {what} on line {line}");
            self.errors.push(SyntaxError::indentation(
                message,
                self.error_span_for_block(),
            ));
            // Recover as if the next statement had been indented, so it is checked in context.
            let mut body = Vec::new();
            if !matches!(self.peek(), TokenKind::Dedent | TokenKind::EndMarker) {
                self.statement_into(&mut body);
            }
            return Ok(body);
        }
        self.advance();
        let mut body = Vec::new();
        while !matches!(self.peek(), TokenKind::Dedent | TokenKind::EndMarker) {
            self.statement_into(&mut body);
        }
        if self.peek() == &TokenKind::Dedent {
            self.advance();
        }
        Ok(body)
    }

    /// Python points at the first token of the line that should have been indented.
    fn error_span_for_block(&self) -> Span {
        match self.peek() {
            TokenKind::EndMarker | TokenKind::Dedent => self.error_span(),
            _ => self.span(),
        }
    }

    fn if_stmt(&mut self) -> PResult<Stmt> {
        let keyword = if self.at_keyword("elif") {
            "elif"
        } else {
            "if"
        };
        let start = self.advance().span.start;
        let test = self.named_expression()?;
        let body = self.block(&format!("'{keyword}' statement"), start)?;
        let orelse = if self.at_keyword("elif") {
            vec![self.if_stmt()?]
        } else {
            self.else_block()?
        };
        Ok(Stmt {
            kind: StmtKind::If { test, body, orelse },
            span: self.since(start),
        })
    }

    fn else_block(&mut self) -> PResult<Vec<Stmt>> {
        if !self.at_keyword("else") {
            return Ok(Vec::new());
        }
        let start = self.advance().span.start;
        self.block("'else' statement", start)
    }

    /// A condition; `:=` is reported rather than misparsed.
    fn named_expression(&mut self) -> PResult<Expr> {
        let test = self.expression()?;
        if self.at_op("=") {
            let message = "invalid syntax. Maybe you meant '==' or ':=' instead of '='?";
            let span = test.span.to(self.span());
            return Err(SyntaxError::new(message, span));
        }
        if self.at_op(":=") {
            let message = "':=' is not supported in nnlearn snippets";
            return Err(SyntaxError::new(message, self.span()));
        }
        Ok(test)
    }

    fn while_stmt(&mut self) -> PResult<Stmt> {
        let start = self.advance().span.start;
        let test = self.named_expression()?;
        self.loop_depth += 1;
        let body = self.block("'while' statement", start);
        self.loop_depth -= 1;
        let body = body?;
        let orelse = self.else_block()?;
        Ok(Stmt {
            kind: StmtKind::While { test, body, orelse },
            span: self.since(start),
        })
    }

    fn for_stmt(&mut self) -> PResult<Stmt> {
        let start = self.advance().span.start;
        let target = self.target_list()?;
        self.check_target(&target, "assign to")?;
        if !self.eat_keyword("in") {
            return Err(SyntaxError::new("expected 'in'", self.error_span()));
        }
        let iter = self.expressions()?;
        self.loop_depth += 1;
        let body = self.block("'for' statement", start);
        self.loop_depth -= 1;
        let body = body?;
        let orelse = self.else_block()?;
        Ok(Stmt {
            kind: StmtKind::For {
                target,
                iter,
                body,
                orelse,
            },
            span: self.since(start),
        })
    }

    fn with_stmt(&mut self) -> PResult<Stmt> {
        let start = self.advance().span.start;
        let mut items = Vec::new();
        loop {
            let context = self.expression()?;
            let target = if self.eat_keyword("as") {
                let t = self.target_list()?;
                self.check_target(&t, "assign to")?;
                Some(t)
            } else {
                None
            };
            items.push(WithItem { context, target });
            if !self.eat_op(",") {
                break;
            }
        }
        let body = self.block("'with' statement", start)?;
        Ok(Stmt {
            kind: StmtKind::With { items, body },
            span: self.since(start),
        })
    }

    fn def_stmt(&mut self) -> PResult<Stmt> {
        let start = self.advance().span.start;
        let (name, _) = self.expect_name()?;
        self.expect_op("(")?;
        let params = self.params(")")?;
        self.expect_op(")")?;
        if self.eat_op("->") {
            self.expression()?;
        }
        let saved = (self.loop_depth, self.in_function);
        self.loop_depth = 0;
        self.in_function = true;
        let body = self.block("function definition", start);
        (self.loop_depth, self.in_function) = saved;
        let body = body?;
        let (locals, globals) = locals::function_scope(&params, &body);
        let def = FunctionDef {
            name,
            params,
            body: FunctionBody::Block(body),
            locals,
            globals,
            span: self.since(start),
        };
        Ok(Stmt {
            kind: StmtKind::FunctionDef(Arc::new(def)),
            span: self.since(start),
        })
    }

    /// Parameters up to (not including) `close`: `a, b=1, c=2`.
    pub(super) fn params(&mut self, close: &str) -> PResult<Vec<Param>> {
        let mut params: Vec<Param> = Vec::new();
        while !self.at_op(close) {
            if self.at_op("*") || self.at_op("**") || self.at_op("/") {
                let message = "'*', '**' and '/' parameters are not supported in nnlearn snippets";
                return Err(SyntaxError::new(message, self.span()));
            }
            let (name, span) = self.expect_name()?;
            if self.at_op(":") && close == ")" {
                self.advance();
                self.expression()?;
            }
            let default = self.eat_op("=").then(|| self.expression()).transpose()?;
            if default.is_none() && params.last().is_some_and(|p| p.default.is_some()) {
                let message = "non-default argument follows default argument";
                return Err(SyntaxError::new(message, span));
            }
            if params.iter().any(|p| p.name == name) {
                let message = format!("duplicate argument '{name}' in function definition");
                return Err(SyntaxError::new(message, span));
            }
            params.push(Param {
                name,
                default,
                span: self.since(span.start),
            });
            if !self.eat_op(",") {
                break;
            }
        }
        Ok(params)
    }
}

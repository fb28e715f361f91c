//! Statements and blocks.

use std::sync::Arc;

use super::super::ast::{
    Alias, BinOp, ClassDef, ExceptHandler, Expr, ExprKind, FunctionBody, FunctionDef, Param,
    ParamKind, Stmt, StmtKind, Try, WithItem,
};
use super::super::error::SyntaxError;
use super::super::span::Span;
use super::super::token::TokenKind;
use super::{locals, PResult, Parser};

/// Keywords that start statements Python has but the snippet language leaves out.
const UNSUPPORTED: &[&str] = &["async", "await"];

/// The error for Python syntax the snippet language leaves out (`async`, `await`, `match`).
pub(super) fn unsupported(what: &str, span: Span) -> SyntaxError {
    SyntaxError::new(
        format!("'{what}' is not supported in nnlearn snippets"),
        span,
    )
}

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
            TokenKind::Keyword("def") => self.def_stmt(Vec::new())?,
            TokenKind::Keyword("class") => self.class_stmt(Vec::new())?,
            TokenKind::Keyword("with") => self.with_stmt()?,
            TokenKind::Keyword("try") => self.try_stmt()?,
            TokenKind::Op("@") => self.decorated()?,
            // `match` is a soft keyword: only `match subject:` with a block is the statement.
            TokenKind::Name(name) if name == "match" && self.line_opens_block() => {
                return Err(unsupported("match", self.span()));
            }
            _ => return self.simple_statements(),
        };
        Ok(vec![compound])
    }

    /// Whether the logical line from here ends with `:` and a block is indented under it.
    fn line_opens_block(&self) -> bool {
        let rest = &self.tokens[self.pos..];
        let Some(end) = rest
            .iter()
            .position(|t| matches!(t.kind, TokenKind::Newline | TokenKind::EndMarker))
        else {
            return false;
        };
        end > 0
            && rest[end - 1].kind.is_op(":")
            && rest
                .get(end + 1)
                .is_some_and(|t| t.kind == TokenKind::Indent)
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
            TokenKind::Keyword("raise") => {
                self.advance();
                let exc = self
                    .starts_expression()
                    .then(|| self.expression())
                    .transpose()?;
                let cause = match exc {
                    Some(_) if self.eat_keyword("from") => Some(self.expression()?),
                    _ => None,
                };
                StmtKind::Raise { exc, cause }
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
                return Err(unsupported(kw, keyword_span));
            }
            _ => self.expression_statement()?,
        };
        Ok(Stmt {
            kind,
            span: self.since(start),
        })
    }

    /// The right-hand side of an assignment: values or a `yield`.
    fn assigned_value(&mut self) -> PResult<Expr> {
        if self.at_keyword("yield") {
            self.yield_expression()
        } else {
            self.expressions()
        }
    }

    fn expression_statement(&mut self) -> PResult<StmtKind> {
        let first = self.assigned_value()?;
        if let TokenKind::Op(op) = self.peek() {
            if let Some(bin) = op.strip_suffix('=').and_then(BinOp::from_symbol) {
                self.check_aug_target(&first)?;
                self.advance();
                let value = self.assigned_value()?;
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
            value = Some(self.assigned_value()?);
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
                let starred = items
                    .iter()
                    .filter(|t| matches!(t.kind, ExprKind::Starred(_)))
                    .count();
                if starred > 1 {
                    let message = "multiple starred expressions in assignment";
                    return Err(SyntaxError::new(message, target.span));
                }
                return items.iter().try_for_each(|t| match &t.kind {
                    ExprKind::Starred(inner) => self.check_target(inner, verb),
                    _ => self.check_target(t, verb),
                });
            }
            ExprKind::Starred(_) => {
                let message = "starred assignment target must be in a list or tuple";
                return Err(SyntaxError::new(message, target.span));
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
        if let (ExprKind::Name(name), true) = (&test.kind, self.at_op(":=")) {
            self.advance();
            let value = self.expression()?;
            return Ok(Expr {
                span: test.span.to(value.span),
                kind: ExprKind::NamedExpr {
                    name: name.clone(),
                    value: Box::new(value),
                },
            });
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

    /// `@decorator` lines, then the `def` or `class` they apply to.
    fn decorated(&mut self) -> PResult<Stmt> {
        let mut decorators = Vec::new();
        while self.eat_op("@") {
            decorators.push(self.named_expression()?);
            if !self.eat_newline() {
                return Err(self.invalid_syntax());
            }
        }
        match self.peek() {
            TokenKind::Keyword("def") => self.def_stmt(decorators),
            TokenKind::Keyword("class") => self.class_stmt(decorators),
            _ => Err(self.invalid_syntax()),
        }
    }

    fn def_stmt(&mut self, decorators: Vec<Expr>) -> PResult<Stmt> {
        let start = self.advance().span.start;
        let (name, _) = self.expect_name()?;
        self.expect_op("(")?;
        let params = self.params(")")?;
        self.expect_op(")")?;
        if self.eat_op("->") {
            self.expression()?;
        }
        let saved = (self.loop_depth, self.in_function, self.saw_yield);
        self.loop_depth = 0;
        self.in_function = true;
        self.saw_yield = false;
        let body = self.block("function definition", start);
        let is_generator = self.saw_yield;
        (self.loop_depth, self.in_function, self.saw_yield) = saved;
        let body = body?;
        let (locals, globals) = locals::function_scope(&params, &body);
        let def = FunctionDef {
            name,
            params,
            body: FunctionBody::Block(body),
            locals,
            globals,
            is_generator,
            decorators,
            span: self.since(start),
            frame: Default::default(),
            names: Default::default(),
        };
        Ok(Stmt {
            kind: StmtKind::FunctionDef(Arc::new(def)),
            span: self.since(start),
        })
    }

    fn class_stmt(&mut self, decorators: Vec<Expr>) -> PResult<Stmt> {
        let start = self.advance().span.start;
        let (name, _) = self.expect_name()?;
        let (bases, keywords) = if self.at_op("(") {
            self.call_arguments()?
        } else {
            (Vec::new(), Vec::new())
        };
        let saved = (self.loop_depth, self.in_function, self.saw_yield);
        self.loop_depth = 0;
        self.in_function = false;
        let body = self.block("class definition", start);
        (self.loop_depth, self.in_function, self.saw_yield) = saved;
        let def = ClassDef {
            name,
            bases,
            keywords,
            body: body?,
            decorators,
            span: self.since(start),
        };
        Ok(Stmt {
            kind: StmtKind::ClassDef(Arc::new(def)),
            span: self.since(start),
        })
    }

    fn try_stmt(&mut self) -> PResult<Stmt> {
        let start = self.advance().span.start;
        let body = self.block("'try' statement", start)?;
        let mut handlers = Vec::new();
        while self.at_keyword("except") {
            let handler_start = self.advance().span.start;
            let (class, name) = if self.at_op(":") {
                (None, None)
            } else {
                let class = self.expressions()?;
                let name = self
                    .eat_keyword("as")
                    .then(|| self.expect_name())
                    .transpose()?;
                (Some(class), name.map(|(n, _)| n))
            };
            if handlers
                .last()
                .is_some_and(|h: &ExceptHandler| h.class.is_none())
            {
                return Err(SyntaxError::new(
                    "default 'except:' must be last",
                    self.since(handler_start),
                ));
            }
            let body = self.block("'except' statement", handler_start)?;
            handlers.push(ExceptHandler {
                class,
                name,
                body,
                span: self.since(handler_start),
            });
        }
        let orelse = if !handlers.is_empty() {
            self.else_block()?
        } else {
            Vec::new()
        };
        let finalbody = if self.at_keyword("finally") {
            let finally_start = self.advance().span.start;
            self.block("'finally' statement", finally_start)?
        } else {
            Vec::new()
        };
        if handlers.is_empty() && finalbody.is_empty() {
            return Err(SyntaxError::new(
                "expected 'except' or 'finally' block",
                self.error_span(),
            ));
        }
        Ok(Stmt {
            kind: StmtKind::Try(Box::new(Try {
                body,
                handlers,
                orelse,
                finalbody,
            })),
            span: self.since(start),
        })
    }

    /// Parameters up to (not including) `close`: `a, b=1, /, c=2, *args, d, **kwargs`.
    pub(super) fn params(&mut self, close: &str) -> PResult<Vec<Param>> {
        let mut params: Vec<Param> = Vec::new();
        let mut kind = ParamKind::Normal;
        while !self.at_op(close) {
            let start = self.span().start;
            if self.eat_op("/") {
                if params.is_empty() || params.iter().any(|p| p.kind != ParamKind::Normal) {
                    return Err(SyntaxError::new("invalid syntax", self.since(start)));
                }
                params
                    .iter_mut()
                    .for_each(|p| p.kind = ParamKind::PositionalOnly);
                if !self.eat_op(",") {
                    break;
                }
                continue;
            }
            let this_kind = if self.eat_op("**") {
                ParamKind::VarKeywords
            } else if self.eat_op("*") {
                if kind == ParamKind::KeywordOnly {
                    let message = "* argument may appear only once";
                    return Err(SyntaxError::new(message, self.since(start)));
                }
                kind = ParamKind::KeywordOnly;
                if self.at_op(",") || self.at_op(close) {
                    if !self.eat_op(",") || self.at_op(close) {
                        let message = "named arguments must follow bare *";
                        return Err(SyntaxError::new(message, self.since(start)));
                    }
                    continue;
                }
                ParamKind::VarArgs
            } else if params.iter().any(|p| p.kind == ParamKind::VarKeywords) {
                let message = "arguments cannot follow var-keyword argument";
                return Err(SyntaxError::new(message, self.span()));
            } else {
                kind
            };
            let (name, span) = self.expect_name()?;
            if self.at_op(":") && close == ")" {
                self.advance();
                self.expression()?;
            }
            let default = if matches!(this_kind, ParamKind::VarArgs | ParamKind::VarKeywords) {
                None
            } else {
                self.eat_op("=").then(|| self.expression()).transpose()?
            };
            let positional = matches!(this_kind, ParamKind::Normal | ParamKind::PositionalOnly);
            if positional
                && default.is_none()
                && params
                    .last()
                    .is_some_and(|p| p.default.is_some() && p.kind == this_kind)
            {
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
                kind: this_kind,
                span: self.since(span.start),
            });
            if !self.eat_op(",") {
                break;
            }
        }
        Ok(params)
    }
}

//! Visiting the direct children of a node, so each pass only spells out the nodes it cares about.

use std::sync::Arc;

use super::super::ast::{Comprehension, Expr, ExprKind, FStringPart, FunctionBody, Stmt, StmtKind};

pub(super) trait Visitor {
    fn expr(&mut self, e: &mut Expr);
    fn stmt(&mut self, s: &mut Stmt);
}

pub(super) fn block(v: &mut impl Visitor, body: &mut [Stmt]) {
    body.iter_mut().for_each(|s| v.stmt(s));
}

fn opt(v: &mut impl Visitor, e: &mut Option<Expr>) {
    if let Some(e) = e {
        v.expr(e);
    }
}

fn opt_box(v: &mut impl Visitor, e: &mut Option<Box<Expr>>) {
    if let Some(e) = e {
        v.expr(e);
    }
}

pub(super) fn stmt(v: &mut impl Visitor, s: &mut Stmt) {
    match &mut s.kind {
        StmtKind::Expr(e) => v.expr(e),
        StmtKind::Assign { targets, value } => {
            v.expr(value);
            targets.iter_mut().for_each(|t| v.expr(t));
        }
        StmtKind::AugAssign { target, value, .. } => {
            v.expr(target);
            v.expr(value);
        }
        StmtKind::If { test, body, orelse } | StmtKind::While { test, body, orelse } => {
            v.expr(test);
            block(v, body);
            block(v, orelse);
        }
        StmtKind::For {
            target,
            iter,
            body,
            orelse,
        } => {
            v.expr(iter);
            v.expr(target);
            block(v, body);
            block(v, orelse);
        }
        StmtKind::FunctionDef(def) => {
            let def = Arc::make_mut(def);
            def.decorators.iter_mut().for_each(|d| v.expr(d));
            def.params.iter_mut().for_each(|p| opt(v, &mut p.default));
            match &mut def.body {
                FunctionBody::Block(body) => block(v, body),
                FunctionBody::Lambda(e) => v.expr(e),
            }
        }
        StmtKind::ClassDef(def) => {
            let def = Arc::make_mut(def);
            def.decorators.iter_mut().for_each(|d| v.expr(d));
            def.bases.iter_mut().for_each(|b| v.expr(b));
            def.keywords.iter_mut().for_each(|k| v.expr(&mut k.value));
            block(v, &mut def.body);
        }
        StmtKind::Return(value) => opt(v, value),
        StmtKind::With { items, body } => {
            for item in items {
                v.expr(&mut item.context);
                opt(v, &mut item.target);
            }
            block(v, body);
        }
        StmtKind::Assert { test, msg } => {
            v.expr(test);
            opt(v, msg);
        }
        StmtKind::Del(targets) => targets.iter_mut().for_each(|t| v.expr(t)),
        StmtKind::Try(t) => {
            block(v, &mut t.body);
            for h in &mut t.handlers {
                opt(v, &mut h.class);
                block(v, &mut h.body);
            }
            block(v, &mut t.orelse);
            block(v, &mut t.finalbody);
        }
        StmtKind::Raise { exc, cause } => {
            opt(v, exc);
            opt(v, cause);
        }
        StmtKind::Break
        | StmtKind::Continue
        | StmtKind::Pass
        | StmtKind::Import(_)
        | StmtKind::ImportFrom { .. }
        | StmtKind::Global(_)
        | StmtKind::Nonlocal(_) => {}
    }
}

pub(super) fn comprehension(v: &mut impl Visitor, generators: &mut [Comprehension]) {
    for g in generators {
        v.expr(&mut g.iter);
        v.expr(&mut g.target);
        g.ifs.iter_mut().for_each(|c| v.expr(c));
    }
}

fn fstring(v: &mut impl Visitor, parts: &mut [FStringPart]) {
    for part in parts {
        if let FStringPart::Field { expr, spec, .. } = part {
            v.expr(expr);
            fstring(v, spec);
        }
    }
}

pub(super) fn expr(v: &mut impl Visitor, e: &mut Expr) {
    match &mut e.kind {
        ExprKind::None
        | ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::BigInt(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Ellipsis
        | ExprKind::Name(_)
        | ExprKind::Local { .. }
        | ExprKind::Global(_)
        | ExprKind::Scoped(_) => {}
        ExprKind::FString(parts) => fstring(v, parts),
        ExprKind::Attribute { value, .. }
        | ExprKind::Starred(value)
        | ExprKind::YieldFrom(value)
        | ExprKind::NamedExpr { value, .. }
        | ExprKind::Unary { operand: value, .. } => v.expr(value),
        ExprKind::Call {
            func,
            args,
            keywords,
        } => {
            v.expr(func);
            args.iter_mut().for_each(|a| v.expr(a));
            keywords.iter_mut().for_each(|k| v.expr(&mut k.value));
        }
        ExprKind::Subscript { value, index } => {
            v.expr(value);
            v.expr(index);
        }
        ExprKind::Slice { lower, upper, step } => {
            opt_box(v, lower);
            opt_box(v, upper);
            opt_box(v, step);
        }
        ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
            items.iter_mut().for_each(|i| v.expr(i))
        }
        ExprKind::Dict(pairs) => {
            for (k, value) in pairs {
                opt(v, k);
                v.expr(value);
            }
        }
        ExprKind::ListComp { elt, generators }
        | ExprKind::GeneratorExp { elt, generators }
        | ExprKind::SetComp { elt, generators } => {
            comprehension(v, generators);
            v.expr(elt);
        }
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => {
            comprehension(v, generators);
            v.expr(key);
            v.expr(value);
        }
        ExprKind::Yield(value) => opt_box(v, value),
        ExprKind::Lambda(def) => {
            let def = Arc::make_mut(def);
            def.params.iter_mut().for_each(|p| opt(v, &mut p.default));
            if let FunctionBody::Lambda(body) = &mut def.body {
                v.expr(body);
            }
        }
        ExprKind::Binary { left, right, .. } | ExprKind::BoolOp { left, right, .. } => {
            v.expr(left);
            v.expr(right);
        }
        ExprKind::Compare { left, ops } => {
            v.expr(left);
            ops.iter_mut().for_each(|(_, e)| v.expr(e));
        }
        ExprKind::IfExp { test, body, orelse } => {
            v.expr(test);
            v.expr(body);
            v.expr(orelse);
        }
    }
}

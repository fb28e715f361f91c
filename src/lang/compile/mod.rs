//! The pass between parsing and running: resolves each function's locals to frame slots.
//!
//! A local that no nested scope (function, lambda, comprehension, class body) mentions is
//! only ever read and written by its own function's code, so it can live in a per-call slot
//! vector and its `Name` nodes become `Local { slot }`. Every other name keeps the dynamic
//! path (the call's shared scope, enclosing scopes, globals, builtins).

mod walk;

use std::collections::HashSet;
use std::sync::Arc;

use super::ast::{Expr, ExprKind, FrameLayout, FunctionBody, FunctionDef, Module, Stmt, StmtKind};
use walk::Visitor;

/// Resolves every function in `module` (module-level names stay dynamic).
pub fn resolve(module: &mut Module) {
    walk::block(&mut Annotate::default(), &mut module.body);
}

fn resolve_function(def: &mut FunctionDef) {
    let mut captured = Captured::default();
    match &mut def.body {
        FunctionBody::Block(body) => walk::block(&mut captured, body),
        FunctionBody::Lambda(e) => captured.expr(e),
    }
    let slots: Vec<String> = def
        .locals
        .iter()
        .filter(|n| !captured.names.contains(*n))
        .cloned()
        .collect();
    let param_slots = def
        .params
        .iter()
        .map(|p| slots.iter().position(|n| *n == p.name))
        .collect();
    let mut annotate = Annotate {
        slots: slots.clone(),
    };
    match &mut def.body {
        FunctionBody::Block(body) => walk::block(&mut annotate, body),
        FunctionBody::Lambda(e) => annotate.expr(e),
    }
    def.frame = FrameLayout { slots, param_slots };
}

fn is_comprehension(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::ListComp { .. }
            | ExprKind::GeneratorExp { .. }
            | ExprKind::SetComp { .. }
            | ExprKind::DictComp { .. }
    )
}

/// The names mentioned inside nested scopes (over-approximated: any mention captures).
#[derive(Default)]
struct Captured {
    nested: bool,
    names: HashSet<String>,
}

impl Captured {
    fn nested(&mut self, visit: impl FnOnce(&mut Captured)) {
        let outer = std::mem::replace(&mut self.nested, true);
        visit(self);
        self.nested = outer;
    }
}

impl Visitor for Captured {
    fn expr(&mut self, e: &mut Expr) {
        match &e.kind {
            ExprKind::Name(n) | ExprKind::NamedExpr { name: n, .. } if self.nested => {
                self.names.insert(n.clone());
            }
            _ => {}
        }
        if matches!(e.kind, ExprKind::Lambda(_)) || is_comprehension(e) {
            self.nested(|c| walk::expr(c, e));
        } else {
            walk::expr(self, e);
        }
    }

    fn stmt(&mut self, s: &mut Stmt) {
        match &s.kind {
            StmtKind::Nonlocal(names) if self.nested => self.names.extend(names.iter().cloned()),
            StmtKind::FunctionDef(_) | StmtKind::ClassDef(_) => {
                return self.nested(|c| walk::stmt(c, s));
            }
            _ => {}
        }
        walk::stmt(self, s);
    }
}

/// Rewrites the names of the current function's slot locals (none outside functions) and
/// resolves the functions nested in what it visits.
#[derive(Default)]
struct Annotate {
    slots: Vec<String>,
}

impl Annotate {
    fn outside_function(&mut self, visit: impl FnOnce(&mut Annotate)) {
        let outer = std::mem::take(&mut self.slots);
        visit(self);
        self.slots = outer;
    }
}

impl Visitor for Annotate {
    fn expr(&mut self, e: &mut Expr) {
        if is_comprehension(e) {
            return self.outside_function(|a| walk::expr(a, e));
        }
        match &mut e.kind {
            ExprKind::Name(name) => {
                if let Some(slot) = self.slots.iter().position(|n| n == name) {
                    let name = std::mem::take(name);
                    e.kind = ExprKind::Local { slot, name };
                }
            }
            ExprKind::Lambda(def) => {
                let def = Arc::make_mut(def);
                for p in &mut def.params {
                    if let Some(d) = &mut p.default {
                        self.expr(d);
                    }
                }
                resolve_function(def);
            }
            _ => walk::expr(self, e),
        }
    }

    fn stmt(&mut self, s: &mut Stmt) {
        match &mut s.kind {
            StmtKind::FunctionDef(def) => {
                let def = Arc::make_mut(def);
                def.decorators.iter_mut().for_each(|d| self.expr(d));
                for p in &mut def.params {
                    if let Some(d) = &mut p.default {
                        self.expr(d);
                    }
                }
                resolve_function(def);
            }
            StmtKind::ClassDef(def) => {
                let def = Arc::make_mut(def);
                def.decorators.iter_mut().for_each(|d| self.expr(d));
                def.bases.iter_mut().for_each(|b| self.expr(b));
                def.keywords
                    .iter_mut()
                    .for_each(|k| self.expr(&mut k.value));
                self.outside_function(|a| walk::block(a, &mut def.body));
            }
            _ => walk::stmt(self, s),
        }
    }
}

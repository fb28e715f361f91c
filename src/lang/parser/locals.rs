//! Which names a function body binds (Python decides local vs. global statically).

use super::super::ast::{Expr, ExprKind, Param, Stmt, StmtKind};

/// `(locals, globals)` of a `def`: parameters and every name the body binds, except
/// names declared `global` or `nonlocal`. Nested functions and comprehensions are not entered.
pub fn function_scope(params: &[Param], body: &[Stmt]) -> (Vec<String>, Vec<String>) {
    let mut bound: Vec<String> = params.iter().map(|p| p.name.clone()).collect();
    let mut declared = Vec::new();
    let mut globals = Vec::new();
    collect_block(body, &mut bound, &mut declared, &mut globals);
    bound.retain(|n| !declared.contains(n));
    let mut locals = Vec::new();
    for name in bound {
        if !locals.contains(&name) {
            locals.push(name);
        }
    }
    (locals, globals)
}

pub fn lambda_scope(params: &[Param]) -> (Vec<String>, Vec<String>) {
    function_scope(params, &[])
}

fn collect_block(
    body: &[Stmt],
    bound: &mut Vec<String>,
    declared: &mut Vec<String>,
    globals: &mut Vec<String>,
) {
    for stmt in body {
        match &stmt.kind {
            StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| target_names(t, bound)),
            StmtKind::AugAssign { target, .. } => target_names(target, bound),
            StmtKind::For {
                target,
                body,
                orelse,
                ..
            } => {
                target_names(target, bound);
                collect_block(body, bound, declared, globals);
                collect_block(orelse, bound, declared, globals);
            }
            StmtKind::If { body, orelse, .. } | StmtKind::While { body, orelse, .. } => {
                collect_block(body, bound, declared, globals);
                collect_block(orelse, bound, declared, globals);
            }
            StmtKind::With { items, body } => {
                for item in items {
                    if let Some(t) = &item.target {
                        target_names(t, bound);
                    }
                }
                collect_block(body, bound, declared, globals);
            }
            StmtKind::FunctionDef(def) => bound.push(def.name.clone()),
            StmtKind::Import(aliases) | StmtKind::ImportFrom { names: aliases, .. } => {
                for alias in aliases {
                    let name = alias.asname.as_deref().unwrap_or(&alias.name);
                    bound.push(name.split('.').next().unwrap_or(name).to_string());
                }
            }
            StmtKind::Del(targets) => targets.iter().for_each(|t| target_names(t, bound)),
            StmtKind::Global(names) => {
                declared.extend(names.iter().cloned());
                globals.extend(names.iter().cloned());
            }
            StmtKind::Nonlocal(names) => declared.extend(names.iter().cloned()),
            _ => {}
        }
    }
}

fn target_names(target: &Expr, bound: &mut Vec<String>) {
    match &target.kind {
        ExprKind::Name(n) => bound.push(n.clone()),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            items.iter().for_each(|t| target_names(t, bound));
        }
        _ => {}
    }
}

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
        walrus_targets_in_stmt(stmt, bound);
        match &stmt.kind {
            StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| t.target_names(bound)),
            StmtKind::AugAssign { target, .. } => target.target_names(bound),
            StmtKind::For {
                target,
                body,
                orelse,
                ..
            } => {
                target.target_names(bound);
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
                        t.target_names(bound);
                    }
                }
                collect_block(body, bound, declared, globals);
            }
            StmtKind::FunctionDef(def) => bound.push(def.name.clone()),
            StmtKind::ClassDef(def) => bound.push(def.name.clone()),
            StmtKind::Try(t) => {
                collect_block(&t.body, bound, declared, globals);
                for handler in &t.handlers {
                    bound.extend(handler.name.iter().cloned());
                    collect_block(&handler.body, bound, declared, globals);
                }
                collect_block(&t.orelse, bound, declared, globals);
                collect_block(&t.finalbody, bound, declared, globals);
            }
            StmtKind::Import(aliases) | StmtKind::ImportFrom { names: aliases, .. } => {
                for alias in aliases {
                    let name = alias.asname.as_deref().unwrap_or(&alias.name);
                    bound.push(name.split('.').next().unwrap_or(name).to_string());
                }
            }
            StmtKind::Del(targets) => targets.iter().for_each(|t| t.target_names(bound)),
            StmtKind::Global(names) => {
                declared.extend(names.iter().cloned());
                globals.extend(names.iter().cloned());
            }
            StmtKind::Nonlocal(names) => declared.extend(names.iter().cloned()),
            _ => {}
        }
    }
}

/// `name := value` binds `name` in the enclosing function, even inside a comprehension.
fn walrus_targets_in_stmt(stmt: &Stmt, bound: &mut Vec<String>) {
    let mut visit = |e: &Expr| walrus_targets(e, bound);
    match &stmt.kind {
        StmtKind::Expr(e) | StmtKind::Return(Some(e)) => visit(e),
        StmtKind::Assign { value, .. } | StmtKind::AugAssign { value, .. } => visit(value),
        StmtKind::If { test, .. } | StmtKind::While { test, .. } => visit(test),
        StmtKind::For { iter, .. } => visit(iter),
        _ => {}
    }
}

fn walrus_targets(e: &Expr, bound: &mut Vec<String>) {
    let mut visit = |e: &Expr| walrus_targets(e, bound);
    match &e.kind {
        ExprKind::NamedExpr { name, value } => {
            bound.push(name.clone());
            walrus_targets(value, bound);
        }
        ExprKind::Call {
            func,
            args,
            keywords,
        } => {
            visit(func);
            args.iter().for_each(&mut visit);
            keywords.iter().for_each(|k| visit(&k.value));
        }
        ExprKind::Attribute { value, .. } | ExprKind::Starred(value) => visit(value),
        ExprKind::Subscript { value, index } => {
            visit(value);
            visit(index);
        }
        ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
            items.iter().for_each(visit)
        }
        ExprKind::Unary { operand, .. } => visit(operand),
        ExprKind::Binary { left, right, .. } | ExprKind::BoolOp { left, right, .. } => {
            visit(left);
            visit(right);
        }
        ExprKind::Compare { left, ops } => {
            visit(left);
            ops.iter().for_each(|(_, e)| visit(e));
        }
        ExprKind::IfExp { test, body, orelse } => {
            visit(test);
            visit(body);
            visit(orelse);
        }
        ExprKind::ListComp { elt, generators }
        | ExprKind::SetComp { elt, generators }
        | ExprKind::GeneratorExp { elt, generators } => {
            visit(elt);
            for g in generators {
                visit(&g.iter);
                g.ifs.iter().for_each(&mut visit);
            }
        }
        _ => {}
    }
}

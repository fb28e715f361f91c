//! Compact S-expression dump of the syntax tree, for tests and debugging.

use super::ast::{
    BoolOp, Expr, ExprKind, FStringPart, FunctionBody, FunctionDef, ParamKind, Stmt, StmtKind,
};

pub fn dump_block(body: &[Stmt]) -> String {
    let mut out = String::new();
    for stmt in body {
        write_stmt(&mut out, stmt, 0);
    }
    out
}

fn block(out: &mut String, label: &str, body: &[Stmt], depth: usize) {
    if body.is_empty() {
        return;
    }
    out.push_str(&format!("{}{label}:\n", "  ".repeat(depth)));
    for stmt in body {
        write_stmt(out, stmt, depth + 1);
    }
}

fn list(items: &[Expr]) -> String {
    items.iter().map(expr).collect::<Vec<_>>().join(" ")
}

fn write_stmt(out: &mut String, stmt: &Stmt, depth: usize) {
    let pad = "  ".repeat(depth);
    let line = match &stmt.kind {
        StmtKind::Expr(e) => format!("(expr {})", expr(e)),
        StmtKind::Assign { targets, value } => {
            format!("(assign [{}] {})", list(targets), expr(value))
        }
        StmtKind::AugAssign { target, op, value } => {
            format!(
                "(augassign {}= {} {})",
                op.symbol(),
                expr(target),
                expr(value)
            )
        }
        StmtKind::If { test, body, orelse } => {
            out.push_str(&format!("{pad}(if {})\n", expr(test)));
            block(out, "then", body, depth + 1);
            block(out, "else", orelse, depth + 1);
            return;
        }
        StmtKind::While { test, body, orelse } => {
            out.push_str(&format!("{pad}(while {})\n", expr(test)));
            block(out, "do", body, depth + 1);
            block(out, "else", orelse, depth + 1);
            return;
        }
        StmtKind::For {
            target,
            iter,
            body,
            orelse,
        } => {
            out.push_str(&format!("{pad}(for {} in {})\n", expr(target), expr(iter)));
            block(out, "do", body, depth + 1);
            block(out, "else", orelse, depth + 1);
            return;
        }
        StmtKind::FunctionDef(def) => {
            out.push_str(&format!(
                "{pad}(def {} locals=[{}])\n",
                signature(def),
                def.locals.join(" ")
            ));
            if let FunctionBody::Block(body) = &def.body {
                block(out, "body", body, depth + 1);
            }
            return;
        }
        StmtKind::With { items, body } => {
            let items: Vec<String> = items
                .iter()
                .map(|i| match &i.target {
                    Some(t) => format!("{} as {}", expr(&i.context), expr(t)),
                    None => expr(&i.context),
                })
                .collect();
            out.push_str(&format!("{pad}(with {})\n", items.join(", ")));
            block(out, "body", body, depth + 1);
            return;
        }
        StmtKind::Break => "(break)".into(),
        StmtKind::Continue => "(continue)".into(),
        StmtKind::Pass => "(pass)".into(),
        StmtKind::Return(v) => format!(
            "(return{})",
            v.as_ref()
                .map(|e| format!(" {}", expr(e)))
                .unwrap_or_default()
        ),
        StmtKind::Import(names) | StmtKind::ImportFrom { names, .. } => {
            let names: Vec<String> = names
                .iter()
                .map(|a| match &a.asname {
                    Some(asname) => format!("{} as {asname}", a.name),
                    None => a.name.clone(),
                })
                .collect();
            match &stmt.kind {
                StmtKind::ImportFrom { module, .. } => {
                    format!("(from {module} import {})", names.join(", "))
                }
                _ => format!("(import {})", names.join(", ")),
            }
        }
        StmtKind::Assert { test, msg } => match msg {
            Some(m) => format!("(assert {} {})", expr(test), expr(m)),
            None => format!("(assert {})", expr(test)),
        },
        StmtKind::Del(targets) => format!("(del {})", list(targets)),
        StmtKind::Global(names) => format!("(global {})", names.join(" ")),
        StmtKind::Nonlocal(names) => format!("(nonlocal {})", names.join(" ")),
        StmtKind::ClassDef(def) => {
            out.push_str(&format!(
                "{pad}(class {} [{}])\n",
                def.name,
                list(&def.bases)
            ));
            block(out, "body", &def.body, depth + 1);
            return;
        }
        StmtKind::Try(t) => {
            out.push_str(&format!("{pad}(try)\n"));
            block(out, "body", &t.body, depth + 1);
            for h in &t.handlers {
                let class = h.class.as_ref().map(expr).unwrap_or_default();
                let name = h.name.as_deref().unwrap_or("");
                block(out, &format!("except {class} {name}"), &h.body, depth + 1);
            }
            block(out, "else", &t.orelse, depth + 1);
            block(out, "finally", &t.finalbody, depth + 1);
            return;
        }
        StmtKind::Raise { exc, cause } => {
            let exc = exc.as_ref().map(expr).unwrap_or_default();
            match cause {
                Some(c) => format!("(raise {exc} from {})", expr(c)),
                None => format!("(raise {exc})"),
            }
        }
    };
    out.push_str(&format!("{pad}{line}\n"));
}

fn signature(def: &FunctionDef) -> String {
    let params: Vec<String> = def
        .params
        .iter()
        .map(|p| {
            let name = match p.kind {
                ParamKind::VarArgs => format!("*{}", p.name),
                ParamKind::VarKeywords => format!("**{}", p.name),
                _ => p.name.clone(),
            };
            match &p.default {
                Some(d) => format!("{name}={}", expr(d)),
                None => name,
            }
        })
        .collect();
    format!("{}({})", def.name, params.join(" "))
}

fn clauses(generators: &[super::ast::Comprehension]) -> String {
    let clauses: Vec<String> = generators
        .iter()
        .map(|g| {
            let ifs: String = g.ifs.iter().map(|c| format!(" if {}", expr(c))).collect();
            format!("for {} in {}{ifs}", expr(&g.target), expr(&g.iter))
        })
        .collect();
    clauses.join(" ")
}

fn opt(e: &Option<Box<Expr>>) -> String {
    e.as_ref().map(|e| expr(e)).unwrap_or_default()
}

fn fstring(parts: &[FStringPart]) -> String {
    parts
        .iter()
        .map(|p| match p {
            FStringPart::Literal(s) => format!("{s:?}"),
            FStringPart::Field {
                expr: e,
                conversion,
                spec,
            } => {
                let conv = conversion.map(|c| format!("!{c}")).unwrap_or_default();
                let spec = if spec.is_empty() {
                    String::new()
                } else {
                    format!(":{}", fstring(spec))
                };
                format!("{{{}{conv}{spec}}}", expr(e))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::None => "None".into(),
        ExprKind::Bool(b) => if *b { "True" } else { "False" }.into(),
        ExprKind::Int(i) => i.to_string(),
        ExprKind::BigInt(i) => i.to_string(),
        ExprKind::Float(f) => format!("{f:?}"),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Ellipsis => "...".into(),
        ExprKind::FString(parts) => format!("(f {})", fstring(parts)),
        ExprKind::Name(n) | ExprKind::Local { name: n, .. } => n.clone(),
        ExprKind::Global(g) => g.name.clone(),
        ExprKind::Scoped(n) => n.name.clone(),
        ExprKind::Attribute { value, attr } => format!("(. {} {attr})", expr(value)),
        ExprKind::Call {
            func,
            args,
            keywords,
        } => {
            let mut parts = vec![expr(func)];
            parts.extend(args.iter().map(expr));
            parts.extend(keywords.iter().map(|k| match &k.name {
                Some(name) => format!("{name}={}", expr(&k.value)),
                None => format!("**{}", expr(&k.value)),
            }));
            format!("(call {})", parts.join(" "))
        }
        ExprKind::Subscript { value, index } => format!("([] {} {})", expr(value), expr(index)),
        ExprKind::Slice { lower, upper, step } => {
            let step = step
                .as_ref()
                .map(|s| format!(":{}", expr(s)))
                .unwrap_or_default();
            format!("{}:{}{step}", opt(lower), opt(upper))
        }
        ExprKind::List(items) => format!("[{}]", list(items)),
        ExprKind::Tuple(items) => format!("(tuple {})", list(items)),
        ExprKind::Dict(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|(k, v)| match k {
                    Some(k) => format!("{}: {}", expr(k), expr(v)),
                    None => format!("**{}", expr(v)),
                })
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        ExprKind::ListComp { elt, generators } | ExprKind::GeneratorExp { elt, generators } => {
            let kind = if matches!(e.kind, ExprKind::ListComp { .. }) {
                "listcomp"
            } else {
                "genexp"
            };
            format!("({kind} {} {})", expr(elt), clauses(generators))
        }
        ExprKind::Lambda(def) => match &def.body {
            FunctionBody::Lambda(body) => format!("(lambda {} {})", signature(def), expr(body)),
            FunctionBody::Block(_) => "(lambda)".into(),
        },
        ExprKind::Unary { op, operand } => format!("({} {})", op.symbol(), expr(operand)),
        ExprKind::Binary { left, op, right } => {
            format!("({} {} {})", op.symbol(), expr(left), expr(right))
        }
        ExprKind::BoolOp { op, left, right } => {
            let word = match op {
                BoolOp::And => "and",
                BoolOp::Or => "or",
            };
            format!("({word} {} {})", expr(left), expr(right))
        }
        ExprKind::Compare { left, ops } => {
            let rest: String = ops
                .iter()
                .map(|(op, e)| format!(" {} {}", op.symbol(), expr(e)))
                .collect();
            format!("(cmp {}{rest})", expr(left))
        }
        ExprKind::IfExp { test, body, orelse } => {
            format!("(ifexp {} {} {})", expr(test), expr(body), expr(orelse))
        }
        ExprKind::Set(items) => format!("(set {})", list(items)),
        ExprKind::Starred(value) => format!("*{}", expr(value)),
        ExprKind::SetComp { elt, generators } => {
            format!("(setcomp {} {})", expr(elt), clauses(generators))
        }
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => format!(
            "(dictcomp {}: {} {})",
            expr(key),
            expr(value),
            clauses(generators)
        ),
        ExprKind::Yield(value) => format!("(yield {})", opt(value)),
        ExprKind::YieldFrom(value) => format!("(yield-from {})", expr(value)),
        ExprKind::NamedExpr { name, value } => format!("(:= {name} {})", expr(value)),
    }
}

//! Evaluating expressions.

use std::sync::Arc;

use super::super::ast::{BoolOp, Comprehension, Expr, ExprKind, FStringPart, Keyword};
use super::super::exception::Exception;
use super::super::format::{convert, format_value};
use super::super::index;
use super::super::ops;
use super::super::value::{Args, Value};
use super::iter::{iter_value, iterator};
use super::{Env, Interp, LocalNames, Scope};

impl Interp<'_> {
    /// Evaluates `e`; an exception raised here is blamed on `e` unless a part of it was blamed.
    pub(crate) fn eval(&mut self, e: &Expr) -> Result<Value, Exception> {
        self.eval_inner(e).map_err(|err| err.at(e.span))
    }

    fn eval_inner(&mut self, e: &Expr) -> Result<Value, Exception> {
        Ok(match &e.kind {
            ExprKind::None => Value::None,
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Int(i) => Value::Int(*i),
            ExprKind::Float(f) => Value::Float(*f),
            ExprKind::Str(s) => Value::str(s.as_str()),
            ExprKind::Ellipsis => Value::Ellipsis,
            ExprKind::FString(parts) => Value::str(self.fstring(parts)?),
            ExprKind::Name(name) => self.lookup(name)?,
            ExprKind::Attribute { value, attr } => {
                let object = self.eval(value)?;
                self.get_attr(&object, attr)?
            }
            ExprKind::Call {
                func,
                args,
                keywords,
            } => {
                if let ExprKind::Attribute { value, attr } = &func.kind {
                    let receiver = self.eval(value)?;
                    let args = self.args(args, keywords)?;
                    return self.call_method(&receiver, attr, args);
                }
                let f = self.eval(func)?;
                let args = self.args(args, keywords)?;
                self.call(&f, args)?
            }
            ExprKind::Subscript { value, index } => {
                let object = self.eval(value)?;
                let index = self.eval(index)?;
                index::get_item(&object, &index)?
            }
            ExprKind::Slice { lower, upper, step } => {
                let mut part = |p: &Option<Box<Expr>>| match p {
                    Some(e) => self.eval(e),
                    None => Ok(Value::None),
                };
                Value::Slice(Arc::new([part(lower)?, part(upper)?, part(step)?]))
            }
            ExprKind::List(items) => Value::list(self.eval_all(items)?),
            ExprKind::Tuple(items) => Value::tuple(self.eval_all(items)?),
            ExprKind::Dict(pairs) => {
                let mut dict = super::super::dict::Dict::new();
                for (k, v) in pairs {
                    let key = self.eval(k)?;
                    let value = self.eval(v)?;
                    dict.insert(key, value).map_err(|err| err.at(k.span))?;
                }
                Value::Dict(super::super::value::shared(dict))
            }
            ExprKind::ListComp { elt, generators } => {
                Value::list(self.comprehension(elt, generators)?)
            }
            ExprKind::GeneratorExp { elt, generators } => {
                iterator("generator", self.comprehension(elt, generators)?)
            }
            ExprKind::Lambda(def) => self.make_function(def)?,
            ExprKind::Unary { op, operand } => {
                let v = self.eval(operand)?;
                ops::unary(*op, &v)?
            }
            ExprKind::Binary { left, op, right } => {
                let a = self.eval(left)?;
                let b = self.eval(right)?;
                ops::binary(*op, &a, &b)?
            }
            ExprKind::BoolOp { op, left, right } => {
                let a = self.eval(left)?;
                let a_true = ops::truthy(&a).map_err(|err| err.at(left.span))?;
                match (op, a_true) {
                    (BoolOp::And, false) | (BoolOp::Or, true) => a,
                    _ => self.eval(right)?,
                }
            }
            ExprKind::Compare { left, ops: chain } => {
                let mut a = self.eval(left)?;
                let mut result = Value::Bool(true);
                for (i, (op, right)) in chain.iter().enumerate() {
                    let b = self.eval(right)?;
                    result = ops::compare(*op, &a, &b)?;
                    if i + 1 < chain.len() && !ops::truthy(&result)? {
                        return Ok(result);
                    }
                    a = b;
                }
                result
            }
            ExprKind::IfExp { test, body, orelse } => {
                let cond = self.eval(test)?;
                if ops::truthy(&cond).map_err(|err| err.at(test.span))? {
                    self.eval(body)?
                } else {
                    self.eval(orelse)?
                }
            }
        })
    }

    fn eval_all(&mut self, items: &[Expr]) -> Result<Vec<Value>, Exception> {
        items.iter().map(|e| self.eval(e)).collect()
    }

    fn args(&mut self, args: &[Expr], keywords: &[Keyword]) -> Result<Args, Exception> {
        let positional = self.eval_all(args)?;
        let mut kw = Vec::with_capacity(keywords.len());
        for k in keywords {
            kw.push((k.name.clone(), self.eval(&k.value)?));
        }
        Ok(Args {
            positional,
            keywords: kw,
        })
    }

    fn fstring(&mut self, parts: &[FStringPart]) -> Result<String, Exception> {
        let mut out = String::new();
        for part in parts {
            match part {
                FStringPart::Literal(s) => out.push_str(s),
                FStringPart::Field {
                    expr,
                    conversion,
                    spec,
                } => {
                    let value = self.eval(expr)?;
                    let value = match conversion {
                        Some(c) => Value::str(convert(&value, *c)),
                        None => value,
                    };
                    let spec = self.fstring(spec)?;
                    let text = format_value(&value, &spec).map_err(|err| err.at(expr.span))?;
                    crate::guard::reserve(out.len() + text.len())?;
                    out.push_str(&text);
                }
            }
        }
        Ok(out)
    }

    /// Runs a comprehension in its own scope (its loop variables do not leak, as in Python 3).
    fn comprehension(
        &mut self,
        elt: &Expr,
        generators: &[Comprehension],
    ) -> Result<Vec<Value>, Exception> {
        let mut names = Vec::new();
        for g in generators {
            target_names(&g.target, &mut names);
        }
        // The first iterable is evaluated in the enclosing scope, as Python does.
        let first = match generators.first() {
            Some(g) => self.eval(&g.iter)?,
            None => return Ok(Vec::new()),
        };
        let env = Env {
            locals: Some((Scope::new(), LocalNames::Comprehension(names))),
            enclosing: self.env.closure(),
            function: self.env.function.clone(),
            source: self.env.source.clone(),
        };
        let outer = std::mem::replace(&mut self.env, env);
        let mut out = Vec::new();
        let result = self.comprehension_level(elt, generators, Some(first), &mut out);
        self.env = outer;
        result.map(|()| out)
    }

    fn comprehension_level(
        &mut self,
        elt: &Expr,
        generators: &[Comprehension],
        iterable: Option<Value>,
        out: &mut Vec<Value>,
    ) -> Result<(), Exception> {
        let Some((g, rest)) = generators.split_first() else {
            ops::check_len(out.len() + 1)?;
            out.push(self.eval(elt)?);
            return Ok(());
        };
        let iterable = match iterable {
            Some(v) => v,
            None => self.eval(&g.iter)?,
        };
        'items: for item in iter_value(&iterable).map_err(|err| err.at(g.iter.span))? {
            self.check_interrupt()?;
            self.assign(&g.target, item)?;
            for cond in &g.ifs {
                let c = self.eval(cond)?;
                if !ops::truthy(&c).map_err(|err| err.at(cond.span))? {
                    continue 'items;
                }
            }
            self.comprehension_level(elt, rest, None, out)?;
        }
        Ok(())
    }
}

fn target_names(target: &Expr, names: &mut Vec<String>) {
    match &target.kind {
        ExprKind::Name(n) => names.push(n.clone()),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            items.iter().for_each(|t| target_names(t, names))
        }
        _ => {}
    }
}

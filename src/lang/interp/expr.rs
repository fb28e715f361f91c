//! Evaluating expressions.

use std::sync::Arc;

use super::super::ast::{BoolOp, Comprehension, Expr, ExprKind, FStringPart, Keyword, UnaryOp};
use super::super::dict::Dict;
use super::super::exception::Exception;
use super::super::ops;
use super::super::set::PySet;
use super::super::value::{lock, shared, Args, Value};
use super::iter::iterator;
use super::{Code, Env, Interp, LocalNames, Scope};

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
            ExprKind::Str(s) => Value::Str(s.clone()),
            ExprKind::Name(name) => self.lookup(name)?,
            ExprKind::Local { slot, name } => self.read_slot(*slot, name)?,
            ExprKind::Global(g) => self.load_global(g)?,
            ExprKind::Scoped(s) => self.load_scoped(s)?,
            ExprKind::Attribute { value, attr } => {
                let object = self.eval(value)?;
                self.load_attr(&object, attr)?
            }
            ExprKind::Call {
                func,
                args,
                keywords,
            } => {
                if let ExprKind::Attribute { value, attr } = &func.kind {
                    let receiver = self.eval(value)?;
                    return self.call_attribute(receiver, attr, func.span, args, keywords);
                }
                let f = self.eval(func)?;
                match &f {
                    Value::Function(function) => {
                        return self.call_user_function(function, args, keywords)
                    }
                    Value::Class(class) => return self.instantiate_call(class, args, keywords),
                    _ => {}
                }
                if args.is_empty() && keywords.is_empty() && self.is_builtin(&f, "super") {
                    return self.zero_arg_super();
                }
                let args = self.args(args, keywords)?;
                self.call(&f, args)?
            }
            ExprKind::Subscript { value, index } => {
                let object = self.eval(value)?;
                let index = self.eval(index)?;
                self.get_item(&object, &index)?
            }
            ExprKind::List(items) => Value::list(self.eval_all(items)?),
            ExprKind::Tuple(items) => Value::tuple(self.eval_all(items)?),
            ExprKind::Unary { op, operand } => {
                let v = self.eval(operand)?;
                self.unary_op(*op, &v)?
            }
            ExprKind::Binary { left, op, right } => {
                let a = self.eval(left)?;
                let b = self.eval(right)?;
                match ops::fast::binary(*op, &a, &b) {
                    Some(v) => v,
                    None => self.binary_op(*op, &a, &b)?,
                }
            }
            ExprKind::BoolOp { op, left, right } => {
                let a = self.eval(left)?;
                let a_true = self.truthy(&a).map_err(|err| err.at(left.span))?;
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
                    result = match ops::fast::compare(*op, &a, &b) {
                        Some(r) => Value::Bool(r),
                        None => self.compare_op(*op, &a, &b)?,
                    };
                    if i + 1 < chain.len() && !self.truthy(&result)? {
                        return Ok(result);
                    }
                    a = b;
                }
                result
            }
            ExprKind::IfExp { test, body, orelse } => {
                let cond = self.eval(test)?;
                if self.truthy(&cond).map_err(|err| err.at(test.span))? {
                    self.eval(body)?
                } else {
                    self.eval(orelse)?
                }
            }
            _ => self.eval_rare(e)?,
        })
    }

    /// The expressions loops and calls rarely evaluate, kept out of `eval_inner` so that its
    /// stack frame, which every nested expression pays for, stays small.
    #[inline(never)]
    fn eval_rare(&mut self, e: &Expr) -> Result<Value, Exception> {
        Ok(match &e.kind {
            ExprKind::FString(parts) => Value::str(self.fstring(parts)?),
            ExprKind::Ellipsis => Value::Ellipsis,
            ExprKind::BigInt(i) => Value::BigInt(i.clone()),
            ExprKind::Slice { lower, upper, step } => {
                let mut part = |p: &Option<Box<Expr>>| match p {
                    Some(e) => self.eval(e),
                    None => Ok(Value::None),
                };
                Value::Slice(Arc::new([part(lower)?, part(upper)?, part(step)?]))
            }
            // CPython builds a display of more than two constants from a frozenset constant,
            // which puts the elements in that frozenset's order.
            ExprKind::Set(items) if items.len() > 2 && items.iter().all(is_constant) => {
                let items = self.eval_all(items)?;
                Value::Set(shared(PySet::from_constant_display(items)?))
            }
            ExprKind::Set(items) => {
                let items = self.eval_all(items)?;
                Value::Set(shared(self.make_set(items)?))
            }
            ExprKind::Dict(pairs) => {
                let mut dict = Dict::new();
                for (k, v) in pairs {
                    match k {
                        Some(k) => {
                            let key = self.eval(k)?;
                            let value = self.eval(v)?;
                            match self.custom_hash(&key)? {
                                Some(hash) => dict.insert_hashed(key, hash, value),
                                None => dict.insert(key, value).map_err(|err| err.at(k.span))?,
                            }
                        }
                        None => {
                            let mapping = self.eval(v)?;
                            for (key, value) in
                                self.mapping_items(&mapping).map_err(|e| e.at(v.span))?
                            {
                                dict.insert(key, value)?;
                            }
                        }
                    }
                }
                Value::Dict(shared(dict))
            }
            ExprKind::ListComp { elt, generators } => {
                Value::list(self.comprehension("<listcomp>", elt, None, generators)?)
            }
            ExprKind::GeneratorExp { elt, generators } => iterator(
                "generator",
                self.comprehension("<genexpr>", elt, None, generators)?,
            ),
            ExprKind::SetComp { elt, generators } => {
                let items = self.comprehension("<setcomp>", elt, None, generators)?;
                Value::Set(shared(self.make_set(items)?))
            }
            ExprKind::DictComp {
                key,
                value,
                generators,
            } => {
                let flat = self.comprehension("<dictcomp>", key, Some(value), generators)?;
                let mut dict = Dict::new();
                for pair in flat.chunks(2) {
                    if let [k, v] = pair {
                        match self.custom_hash(k)? {
                            Some(hash) => dict.insert_hashed(k.clone(), hash, v.clone()),
                            None => dict
                                .insert(k.clone(), v.clone())
                                .map_err(|err| err.at(key.span))?,
                        }
                    }
                }
                Value::Dict(shared(dict))
            }
            ExprKind::Starred(_) => {
                return Err(Exception::new(
                    "SyntaxError",
                    "can't use starred expression here",
                ))
            }
            ExprKind::Yield(value) => {
                let v = match value {
                    Some(v) => self.eval(v)?,
                    None => Value::None,
                };
                self.yield_value(v)?
            }
            ExprKind::YieldFrom(value) => {
                let v = self.eval(value)?;
                self.yield_from(&v)?
            }
            ExprKind::NamedExpr { name, value } => {
                let v = self.eval(value)?;
                self.bind_walrus(name, v.clone());
                v
            }
            ExprKind::Lambda(def) => self.make_function(def)?,
            // `eval_inner` evaluates the rest.
            _ => {
                return Err(Exception::new(
                    "SystemError",
                    "internal error in the evaluator",
                ))
            }
        })
    }

    /// The values of display items, unpacking `*iterable`s.
    fn eval_all(&mut self, items: &[Expr]) -> Result<Vec<Value>, Exception> {
        let mut out = Vec::with_capacity(items.len());
        self.eval_all_into(items, &mut out)?;
        Ok(out)
    }

    fn eval_all_into(&mut self, items: &[Expr], out: &mut Vec<Value>) -> Result<(), Exception> {
        for e in items {
            match &e.kind {
                ExprKind::Starred(inner) => {
                    let v = self.eval(inner)?;
                    let unpacked = self.collect(&v).map_err(|err| err.at(inner.span))?;
                    out.extend(unpacked);
                }
                _ => out.push(self.eval(e)?),
            }
        }
        Ok(())
    }

    pub(super) fn args(&mut self, args: &[Expr], keywords: &[Keyword]) -> Result<Args, Exception> {
        // A vector a returned call gave back: user-function calls hand theirs back in turn.
        let positional = self.pool.args();
        self.args_after(positional, args, keywords)
    }

    /// The arguments of a call, after the `positional` ones already there (a method's
    /// receiver).
    pub(super) fn args_after(
        &mut self,
        mut positional: Vec<Value>,
        args: &[Expr],
        keywords: &[Keyword],
    ) -> Result<Args, Exception> {
        self.eval_all_into(args, &mut positional)?;
        let mut kw: Vec<(String, Value)> = Vec::with_capacity(keywords.len());
        for k in keywords {
            let value = self.eval(&k.value)?;
            match &k.name {
                Some(name) => kw.push((name.clone(), value)),
                None => {
                    for (key, v) in self.mapping_items(&value).map_err(|e| e.at(k.span))? {
                        let Value::Str(key) = key else {
                            return Err(
                                Exception::type_error("keywords must be strings").at(k.span)
                            );
                        };
                        if kw.iter().any(|(n, _)| **n == *key) {
                            return Err(Exception::type_error(format!(
                                "got multiple values for keyword argument '{key}'"
                            ))
                            .at(k.span));
                        }
                        kw.push((key.to_string(), v));
                    }
                }
            }
        }
        Ok(Args {
            positional,
            keywords: kw,
        })
    }

    /// The `(key, value)` pairs of a mapping being unpacked with `**`.
    fn mapping_items(&mut self, mapping: &Value) -> Result<Vec<(Value, Value)>, Exception> {
        match mapping {
            Value::Dict(d) => Ok(lock(d).items()),
            Value::Instance(_) => {
                let keys = self.call_method(mapping, "keys", Args::default())?;
                let keys = self.collect(&keys)?;
                let mut out = Vec::with_capacity(keys.len());
                for k in keys {
                    let v = self.get_item(mapping, &k)?;
                    out.push((k, v));
                }
                Ok(out)
            }
            other => Err(Exception::type_error(format!(
                "argument after ** must be a mapping, not {}",
                other.type_name()
            ))),
        }
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
                    // The common fields, `{n}` and `{s}`, format without a temporary string.
                    if conversion.is_none() && spec.is_empty() {
                        match &value {
                            Value::Str(s) => {
                                crate::guard::reserve(out.len() + s.len())?;
                                out.push_str(s);
                                continue;
                            }
                            Value::Int(i) => {
                                use std::fmt::Write;
                                let _ = write!(out, "{i}");
                                continue;
                            }
                            _ => {}
                        }
                    }
                    let value = match conversion {
                        Some('r') => Value::str(self.repr(&value)?),
                        Some('s') => Value::str(self.to_str(&value)?),
                        Some(c) => Value::str(super::super::format::convert(&value, *c)),
                        None => value,
                    };
                    let spec = self.fstring(spec)?;
                    let text = self
                        .format(&value, &spec)
                        .map_err(|err| err.at(expr.span))?;
                    crate::guard::reserve(out.len() + text.len())?;
                    out.push_str(&text);
                }
            }
        }
        Ok(out)
    }

    /// Runs a comprehension in its own scope (its loop variables do not leak, as in Python 3).
    /// With `value` (a dict comprehension) each step pushes the key, then the value. `kind`
    /// (`<listcomp>`...) is the scope's name in the qualified names of lambdas made inside.
    fn comprehension(
        &mut self,
        kind: &str,
        elt: &Expr,
        value: Option<&Expr>,
        generators: &[Comprehension],
    ) -> Result<Vec<Value>, Exception> {
        if let Some(frame) = generators.first().and_then(|g| g.frame.clone()) {
            return self.comprehension_in_frame(elt, value, generators, frame);
        }
        let mut names = Vec::new();
        for g in generators {
            g.target.target_names(&mut names);
        }
        // The first iterable is evaluated in the enclosing scope, as Python does.
        let first = match generators.first() {
            Some(g) => self.eval_iterable(&g.iter)?,
            None => return Ok(Vec::new()),
        };
        let env = Env {
            locals: Some((Scope::new(), LocalNames::Comprehension(names))),
            code: Arc::new(Code {
                enclosing: self.env.closure(),
                function: self.env.code.function.clone(),
                source: self.env.code.source.clone(),
                class_cell: self.env.code.class_cell.clone(),
                qualname_prefix: format!("{}{kind}.", self.env.code.qualname_prefix).into(),
            }),
            slots: Vec::new(),
        };
        let outer = std::mem::replace(&mut self.env, env);
        let mut out = Vec::new();
        let result = self.comprehension_level(elt, value, generators, Some(first), &mut out);
        self.env = outer;
        result.map(|()| out)
    }

    /// A comprehension whose targets `compile` gave slots `frame` of the running frame.
    fn comprehension_in_frame(
        &mut self,
        elt: &Expr,
        value: Option<&Expr>,
        generators: &[Comprehension],
        frame: std::ops::Range<usize>,
    ) -> Result<Vec<Value>, Exception> {
        if self.env.slots.len() < frame.end {
            self.env.slots.resize(frame.end, None);
        }
        let mut out = Vec::new();
        let result = self.comprehension_level(elt, value, generators, None, &mut out);
        // The targets go out of scope with the comprehension.
        self.env.slots[frame].fill(None);
        result.map(|()| out)
    }

    fn comprehension_level(
        &mut self,
        elt: &Expr,
        value: Option<&Expr>,
        generators: &[Comprehension],
        iterable: Option<Value>,
        out: &mut Vec<Value>,
    ) -> Result<(), Exception> {
        let Some((g, rest)) = generators.split_first() else {
            ops::grow_for(out, 1 + usize::from(value.is_some()))?;
            out.push(self.eval(elt)?);
            if let Some(v) = value {
                out.push(self.eval(v)?);
            }
            return Ok(());
        };
        let iterable = match iterable {
            Some(v) => v,
            None => self.eval_iterable(&g.iter)?,
        };
        let mut items = self.iter(&iterable).map_err(|err| err.at(g.iter.span))?;
        'items: while let Some(item) = items.next(self).map_err(|err| err.at(g.iter.span))? {
            self.check_interrupt()?;
            self.assign(&g.target, item)?;
            for cond in &g.ifs {
                let c = self.eval(cond)?;
                if !self.truthy(&c).map_err(|err| err.at(cond.span))? {
                    continue 'items;
                }
            }
            self.comprehension_level(elt, value, rest, None, out)?;
        }
        Ok(())
    }

    /// The iterable of a `for` or a comprehension. CPython's optimizer turns a set display
    /// of constants there into a frozenset constant, which fixes the iteration order.
    pub(super) fn eval_iterable(&mut self, iter: &Expr) -> Result<Value, Exception> {
        match &iter.kind {
            ExprKind::Set(items) if items.iter().all(is_constant) => {
                let items = self.eval_all(items)?;
                Ok(Value::FrozenSet(Arc::new(PySet::constant_frozenset(
                    items,
                )?)))
            }
            _ => self.eval(iter),
        }
    }
}

/// Whether CPython's compiler folds `e` into a constant: literals, signed numbers and
/// tuples of constants.
fn is_constant(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::None
        | ExprKind::Bool(_)
        | ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Ellipsis => true,
        ExprKind::Unary {
            op: UnaryOp::Neg | UnaryOp::Pos | UnaryOp::Invert,
            operand,
        } => matches!(
            operand.kind,
            ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Bool(_)
        ),
        ExprKind::Tuple(items) => items.iter().all(is_constant),
        _ => false,
    }
}

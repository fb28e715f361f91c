//! Executing statements.

use std::sync::Arc;

use super::super::ast::{Alias, Expr, FunctionDef, Stmt, StmtKind, WithItem};
use super::super::exception::Exception;
use super::super::value::{Args, Function, Value};
use super::Interp;

/// How a block finished.
pub enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

impl Interp<'_> {
    pub(crate) fn exec_block(&mut self, body: &[Stmt]) -> Result<Flow, Exception> {
        for stmt in body {
            match self.exec(stmt)? {
                Flow::Normal => {}
                flow => return Ok(flow),
            }
        }
        Ok(Flow::Normal)
    }

    pub(crate) fn exec(&mut self, stmt: &Stmt) -> Result<Flow, Exception> {
        self.check_interrupt().map_err(|e| e.at(stmt.span))?;
        self.exec_inner(stmt).map_err(|e| e.at(stmt.span))
    }

    fn exec_inner(&mut self, stmt: &Stmt) -> Result<Flow, Exception> {
        match &stmt.kind {
            StmtKind::Expr(e) => {
                self.eval(e)?;
            }
            StmtKind::Assign { targets, value } => {
                let value = self.eval(value)?;
                for target in targets {
                    self.assign(target, value.clone())?;
                }
            }
            StmtKind::AugAssign { target, op, value } => self.aug_assign(target, *op, value)?,
            StmtKind::If { test, body, orelse } => {
                let cond = self.eval(test)?;
                let branch = if self.truthy(&cond).map_err(|e| e.at(test.span))? {
                    body
                } else {
                    orelse
                };
                return self.exec_block(branch);
            }
            StmtKind::While { test, body, orelse } => return self.exec_while(test, body, orelse),
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
            } => return self.exec_for(target, iter, body, orelse),
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::Pass | StmtKind::Global(_) | StmtKind::Nonlocal(_) => {}
            StmtKind::Return(value) => {
                let v = match value {
                    Some(e) => self.eval(e)?,
                    None => Value::None,
                };
                return Ok(Flow::Return(v));
            }
            _ => return self.exec_rare(stmt),
        }
        Ok(Flow::Normal)
    }

    /// The statements loops and calls rarely run, kept out of `exec_inner` so that its stack
    /// frame, which every statement pays for, stays small.
    #[inline(never)]
    fn exec_rare(&mut self, stmt: &Stmt) -> Result<Flow, Exception> {
        match &stmt.kind {
            StmtKind::FunctionDef(def) => {
                let mut decorators = Vec::with_capacity(def.decorators.len());
                for d in &def.decorators {
                    decorators.push(self.eval(d)?);
                }
                let mut f = self.make_function(def)?;
                for d in decorators.iter().rev() {
                    f = self.call(d, Args::new(vec![f]))?;
                }
                self.bind(&def.name, f);
            }
            StmtKind::ClassDef(def) => self.exec_class(def)?,
            StmtKind::Try(t) => return self.exec_try(t),
            StmtKind::Raise { exc, cause } => return self.exec_raise(exc, cause),
            StmtKind::With { items, body } => return self.with(items, body),
            StmtKind::Import(aliases) => {
                for alias in aliases {
                    self.import(alias)?;
                }
            }
            StmtKind::ImportFrom { module, names } => {
                let m = self.module(module)?;
                for alias in names {
                    let full = format!("{module}.{}", alias.name);
                    let value = match self.modules.get(&full) {
                        Some(v) => v.clone(),
                        None => self.get_attr(&m, &alias.name).map_err(|_| {
                            Exception::new(
                                "ImportError",
                                format!(
                                    "cannot import name '{}' from '{module}' (unknown location)",
                                    alias.name
                                ),
                            )
                        })?,
                    };
                    self.bind(alias.asname.as_deref().unwrap_or(&alias.name), value);
                }
            }
            StmtKind::Assert { test, msg } => {
                let cond = self.eval(test)?;
                if !self.truthy(&cond)? {
                    let message = match msg {
                        Some(m) => {
                            let m = self.eval(m)?;
                            self.to_str(&m)?
                        }
                        None => String::new(),
                    };
                    return Err(Exception::new("AssertionError", message).at(test.span));
                }
            }
            StmtKind::Del(targets) => {
                for target in targets {
                    self.delete(target)?;
                }
            }
            // `exec_inner` runs the rest.
            _ => {
                return Err(Exception::new(
                    "SystemError",
                    "internal error in the evaluator",
                ))
            }
        }
        Ok(Flow::Normal)
    }

    fn exec_while(
        &mut self,
        test: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
    ) -> Result<Flow, Exception> {
        loop {
            self.check_interrupt()?;
            let cond = self.eval(test)?;
            if !self.truthy(&cond).map_err(|e| e.at(test.span))? {
                return self.exec_block(orelse);
            }
            match self.exec_block(body)? {
                Flow::Break => break,
                Flow::Return(v) => return Ok(Flow::Return(v)),
                Flow::Normal | Flow::Continue => {}
            }
        }
        Ok(Flow::Normal)
    }

    fn exec_for(
        &mut self,
        target: &Expr,
        iter: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
    ) -> Result<Flow, Exception> {
        let iterable = self.eval_iterable(iter)?;
        let mut items = self.iter(&iterable).map_err(|e| e.at(iter.span))?;
        while let Some(item) = items.next(self).map_err(|e| e.at(iter.span))? {
            self.check_interrupt()?;
            self.assign(target, item)?;
            match self.exec_block(body)? {
                Flow::Break => return Ok(Flow::Normal),
                Flow::Return(v) => return Ok(Flow::Return(v)),
                Flow::Normal | Flow::Continue => {}
            }
        }
        self.exec_block(orelse)
    }

    /// A `def` or `lambda` evaluated here: defaults now, closing over the current scopes.
    pub(crate) fn make_function(&mut self, def: &Arc<FunctionDef>) -> Result<Value, Exception> {
        let mut defaults = Vec::with_capacity(def.params.len());
        for p in &def.params {
            defaults.push(match &p.default {
                Some(e) => Some(self.eval(e)?),
                None => None,
            });
        }
        let names = def.names.under(&self.env.code.qualname_prefix, &def.name);
        let code = self.env.code_for_function(names.name, names.inner_prefix);
        let closes_over_scopes = code.closes_over_scopes();
        let function = Arc::new(Function {
            def: def.clone(),
            defaults,
            code,
            globals: self.globals.clone(),
            qualname: names.qualname,
            attributes: Default::default(),
            gc: Default::default(),
        });
        // A closure is often held more than once (by the scope it was defined in, by a
        // cache, by two objects), so the collector could not look through it: tracked.
        if closes_over_scopes {
            super::super::heap::track(&function);
        }
        Ok(Value::Function(function))
    }

    fn with(
        &mut self,
        items: &[WithItem],
        body: &[super::super::ast::Stmt],
    ) -> Result<Flow, Exception> {
        let Some((item, rest)) = items.split_first() else {
            return self.exec_block(body);
        };
        let manager = self.eval(&item.context)?;
        let entered = match &manager {
            Value::Host(host) => host.enter(self),
            Value::Instance(_) => match self.call_dunder(&manager, "__enter__", Vec::new())? {
                Some(v) => Ok(v),
                None => Err(no_context_manager(&manager)),
            },
            _ => Err(no_context_manager(&manager)),
        }
        .map_err(|e| e.at(item.context.span))?;
        let result = match &item.target {
            Some(target) => self.assign(target, entered),
            None => Ok(()),
        }
        .and_then(|()| self.with(rest, body));
        match &manager {
            Value::Host(host) => {
                let exited = host.exit(self).map_err(|e| e.at(item.context.span));
                let flow = result?;
                exited?;
                Ok(flow)
            }
            _ => {
                let mut pending = result.as_ref().err().cloned();
                let exit_args = match &mut pending {
                    Some(e) => {
                        let object = self.exception_object(e);
                        let class = match &object {
                            Value::Instance(i) => Value::Class(i.class.clone()),
                            _ => Value::None,
                        };
                        vec![class, object, Value::None]
                    }
                    None => vec![Value::None, Value::None, Value::None],
                };
                let suppress = self
                    .call_dunder(&manager, "__exit__", exit_args)
                    .map_err(|e| e.at(item.context.span))?
                    .unwrap_or(Value::None);
                match pending {
                    Some(e) if !self.truthy(&suppress)? => Err(e),
                    Some(_) => Ok(Flow::Normal),
                    None => result,
                }
            }
        }
    }

    pub(crate) fn module(&self, name: &str) -> Result<Value, Exception> {
        self.modules.get(name).cloned().ok_or_else(|| {
            let mut prefix = String::new();
            for part in name.split('.') {
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(part);
                if !self.modules.contains_key(&prefix) {
                    break;
                }
            }
            Exception::new("ModuleNotFoundError", format!("No module named '{prefix}'"))
        })
    }

    fn import(&mut self, alias: &Alias) -> Result<(), Exception> {
        let module = self.module(&alias.name)?;
        match &alias.asname {
            Some(asname) => self.bind(asname, module),
            None => {
                let top = alias.name.split('.').next().unwrap_or(&alias.name);
                let top_module = self.module(top)?;
                self.bind(top, top_module);
            }
        }
        Ok(())
    }
}

fn no_context_manager(v: &Value) -> Exception {
    Exception::type_error(format!(
        "'{}' object does not support the context manager protocol",
        v.type_name()
    ))
}

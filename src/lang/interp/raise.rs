//! `try`/`except`/`else`/`finally` and `raise`: Python exceptions as values.
//!
//! An `Exception` raised by Rust code (a `TypeError` from an operator, PyTorch's
//! `RuntimeError`) carries a class name and message; its Python object is made when a
//! handler binds it (`except ... as e`). One raised by `raise` carries its object already.

use std::sync::Arc;

use super::super::ast::{Expr, Try};
use super::super::exception::Exception;
use super::super::object::{exception_class, Class, Instance};
use super::super::value::{lock, Args, Value};
use super::stmt::Flow;
use super::Interp;

impl Interp<'_> {
    pub(crate) fn exec_try(&mut self, t: &Try) -> Result<Flow, Exception> {
        let result = match self.exec_block(&t.body) {
            Ok(Flow::Normal) => self.exec_block(&t.orelse),
            Ok(flow) => Ok(flow),
            Err(e) if e.syntax_errors().is_empty() => self.handle(t, e),
            Err(e) => Err(e),
        };
        if t.finalbody.is_empty() {
            return result;
        }
        match self.exec_block(&t.finalbody)? {
            Flow::Normal => result,
            // `return`/`break` in `finally` discards the pending exception, as in Python.
            flow => Ok(flow),
        }
    }

    fn handle(&mut self, t: &Try, mut e: Exception) -> Result<Flow, Exception> {
        for handler in &t.handlers {
            if let Some(class) = &handler.class {
                let class = self.eval(class)?;
                if !self
                    .exception_matches(&e, &class)
                    .map_err(|err| err.at(handler.span))?
                {
                    continue;
                }
            }
            if let Some(name) = &handler.name {
                let object = self.exception_object(&mut e);
                self.bind(name, object);
            }
            self.handling.push(e);
            let result = self.exec_block(&handler.body);
            self.handling.pop();
            if let Some(name) = &handler.name {
                let _ = self.unbind(name);
            }
            return result;
        }
        Err(e)
    }

    /// The class of a raised exception.
    fn class_of_exception(e: &Exception) -> Arc<Class> {
        match e.object() {
            Some(Value::Instance(i)) => i.class.clone(),
            _ => exception_class(e.class()),
        }
    }

    /// `except class:` — `class` may be a tuple of classes.
    pub(crate) fn exception_matches(
        &self,
        e: &Exception,
        class: &Value,
    ) -> Result<bool, Exception> {
        match class {
            Value::Class(c) if c.is_exception() => {
                Ok(Self::class_of_exception(e).is_subclass_of(c))
            }
            Value::Tuple(classes) => {
                for c in classes.iter() {
                    if self.exception_matches(e, c)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => Err(Exception::type_error(
                "catching classes that do not inherit from BaseException is not allowed",
            )),
        }
    }

    pub(crate) fn exception_matches_name(&self, e: &Exception, name: &str) -> bool {
        Self::class_of_exception(e).is_subclass_of(&exception_class(name))
    }

    /// The Python object of an exception, made on first use.
    pub(crate) fn exception_object(&self, e: &mut Exception) -> Value {
        if let Some(object) = e.object() {
            return object.clone();
        }
        let instance = Instance::new(exception_class(e.class()));
        let args: Vec<Value> = if e.message().is_empty() {
            Vec::new()
        } else {
            vec![Value::str(e.message())]
        };
        *lock(&instance.args) = Arc::from(args);
        let object = Value::Instance(instance);
        e.set_object(object.clone());
        object
    }

    pub(crate) fn exec_raise(
        &mut self,
        exc: &Option<Expr>,
        cause: &Option<Expr>,
    ) -> Result<Flow, Exception> {
        let Some(exc) = exc else {
            return Err(self
                .handling
                .last()
                .cloned()
                .unwrap_or_else(|| Exception::runtime_error("No active exception to reraise")));
        };
        let value = self.eval(exc)?;
        let object = self.exception_value(value).map_err(|e| e.at(exc.span))?;
        if let (Some(cause), Value::Instance(inst)) = (cause, &object) {
            let cause_value = self.eval(cause)?;
            let cause_value = match cause_value {
                Value::None => Value::None,
                other => self.exception_value(other).map_err(|e| e.at(cause.span))?,
            };
            inst.set("__cause__", cause_value);
            inst.set("__suppress_context__", Value::Bool(true));
        }
        if let (Some(mut context), Value::Instance(inst)) = (self.handling.last().cloned(), &object)
        {
            if inst.get("__context__").is_none() {
                let context = self.exception_object(&mut context);
                if !context.is(&object) {
                    inst.set("__context__", context);
                }
            }
        }
        Err(self.raised(object)?.at(exc.span))
    }

    /// `raise X` accepts an exception class (instantiated with no arguments) or instance.
    fn exception_value(&mut self, value: Value) -> Result<Value, Exception> {
        match &value {
            Value::Class(c) if c.is_exception() => self.instantiate(c, Args::default()),
            Value::Instance(i) if i.class.is_exception() => Ok(value),
            _ => Err(Exception::type_error(
                "exceptions must derive from BaseException",
            )),
        }
    }

    /// The `Exception` that carries a raised exception object.
    pub(crate) fn raised(&mut self, object: Value) -> Result<Exception, Exception> {
        let Value::Instance(inst) = &object else {
            return Err(Exception::type_error(
                "exceptions must derive from BaseException",
            ));
        };
        let class = inst.class.display_name();
        let message = self.to_str(&object)?;
        Ok(Exception::from_object(class, message, object))
    }
}

//! Calling values: user functions (with Python's argument binding), natives, classes, hosts.

use std::sync::Arc;

use super::super::ast::FunctionBody;
use super::super::builtins;
use super::super::exception::Exception;
use super::super::methods;
use super::super::value::{Args, Function, Value};
use super::{Env, Interp, LocalNames, Scope};
use crate::lang::interp::stmt::Flow;

/// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'` as in Python's argument errors.
fn name_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
        [] => String::new(),
    }
}

impl Interp<'_> {
    /// Calls any callable value.
    pub fn call(&mut self, f: &Value, args: Args) -> Result<Value, Exception> {
        match f {
            Value::Function(func) => self.call_function(func, args),
            Value::Native(native) => (native.f)(self, args),
            Value::Type(kind) => builtins::construct(self, kind, args),
            Value::Host(h) => h.call(self, args),
            other => Err(Exception::type_error(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    /// `receiver.name(args)` without building a bound-method value for built-in types.
    pub(crate) fn call_method(
        &mut self,
        receiver: &Value,
        name: &str,
        args: Args,
    ) -> Result<Value, Exception> {
        if let Some(result) = methods::call(self, receiver, name, &args) {
            return result;
        }
        let method = self.get_attr(receiver, name)?;
        self.call(&method, args)
    }

    pub(crate) fn get_attr(&mut self, value: &Value, name: &str) -> Result<Value, Exception> {
        match value {
            Value::Host(h) => h.get_attr(value, name),
            _ => methods::bound(value, name),
        }
    }

    fn call_function(&mut self, func: &Arc<Function>, args: Args) -> Result<Value, Exception> {
        let def = &func.def;
        let locals = Scope::new();
        self.bind_params(func, args, &locals)?;
        // The module frame counts too, as in Python.
        if self.depth + 1 >= self.limits.recursion_depth {
            return Err(Exception::new(
                "RecursionError",
                "maximum recursion depth exceeded",
            ));
        }
        let env = Env {
            locals: Some((locals, LocalNames::Function(def.clone()))),
            enclosing: func.closure.clone(),
            function: def.name.clone(),
            source: func.source.clone(),
        };
        let caller = std::mem::replace(&mut self.env, env);
        self.depth += 1;
        let result = match &def.body {
            FunctionBody::Block(body) => self.exec_block(body).map(|flow| match flow {
                Flow::Return(v) => v,
                _ => Value::None,
            }),
            FunctionBody::Lambda(body) => self.eval(body),
        };
        self.depth -= 1;
        let callee = std::mem::replace(&mut self.env, caller);
        result.map_err(|mut e| {
            e.leave_frame(&callee.source, &callee.function, def.span);
            e
        })
    }

    /// Binds arguments to parameters with Python's rules and messages.
    fn bind_params(&self, func: &Function, args: Args, locals: &Scope) -> Result<(), Exception> {
        let def = &func.def;
        let name = &def.name;
        let params = &def.params;
        if args.positional.len() > params.len() {
            let required = func.defaults.iter().filter(|d| d.is_none()).count();
            let takes = if required == params.len() {
                format!("{}", params.len())
            } else {
                format!("from {required} to {}", params.len())
            };
            let plural = if params.len() == 1 && required == params.len() {
                ""
            } else {
                "s"
            };
            let given = args.positional.len();
            let were = if given == 1 { "was" } else { "were" };
            return Err(Exception::type_error(format!(
                "{name}() takes {takes} positional argument{plural} but {given} {were} given"
            )));
        }
        let mut values: Vec<Option<Value>> = args.positional.into_iter().map(Some).collect();
        values.resize(params.len(), None);
        for (key, value) in args.keywords {
            let Some(i) = params.iter().position(|p| p.name == key) else {
                return Err(Exception::type_error(format!(
                    "{name}() got an unexpected keyword argument '{key}'"
                )));
            };
            if values[i].is_some() {
                return Err(Exception::type_error(format!(
                    "{name}() got multiple values for argument '{key}'"
                )));
            }
            values[i] = Some(value);
        }
        let mut missing = Vec::new();
        for ((param, value), default) in params.iter().zip(values).zip(&func.defaults) {
            match value.or_else(|| default.clone()) {
                Some(v) => locals.set(&param.name, v),
                None => missing.push(param.name.as_str()),
            }
        }
        if !missing.is_empty() {
            let plural = if missing.len() == 1 { "" } else { "s" };
            return Err(Exception::type_error(format!(
                "{name}() missing {} required positional argument{plural}: {}",
                missing.len(),
                name_list(&missing)
            )));
        }
        Ok(())
    }
}

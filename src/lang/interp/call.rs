//! Calling values: user functions (with Python's argument binding), natives, classes,
//! bound methods, instances with `__call__`, hosts.

use std::sync::Arc;

use super::super::ast::{AttrName, Expr, ExprKind, FunctionBody, Keyword, ParamKind};
use super::super::dict::Dict;
use super::super::exception::Exception;
use super::super::methods;
use super::super::object::{Descriptor, Instance, Method};
use super::super::span::Span;
use super::super::value::{shared, Args, Function, Value};
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
            Value::Type(kind) => super::super::builtins::construct(self, kind, args),
            Value::Host(h) => h.call(self, args),
            Value::Method(m) => {
                let mut args = args;
                args.positional.insert(0, m.receiver.clone());
                self.call(&m.function.clone(), args)
            }
            Value::Class(class) => self.instantiate(class, args),
            Value::Instance(_) => match self.call_dunder_args(f, "__call__", args)? {
                Some(v) => Ok(v),
                None => Err(not_callable(f)),
            },
            Value::Descriptor(d) => match &**d {
                Descriptor::StaticMethod(inner) => self.call(&inner.clone(), args),
                _ => Err(not_callable(f)),
            },
            other => Err(not_callable(other)),
        }
    }

    /// `receiver.name(args)` without building a bound-method value where avoidable.
    pub(crate) fn call_method(
        &mut self,
        receiver: &Value,
        name: &str,
        args: Args,
    ) -> Result<Value, Exception> {
        if let Value::Instance(inst) = receiver {
            if let Some(f) = class_function(inst, name) {
                let mut args = args;
                args.positional.insert(0, receiver.clone());
                return self.call_function(&f, args);
            }
        } else if let Some(result) = methods::call(self, receiver, name, &args) {
            return result;
        }
        let method = self.get_attr(receiver, name)?;
        self.call(&method, args)
    }

    /// `receiver.attr(args)` as written in code. On an instance the method is found before
    /// the arguments are evaluated, as in Python, and a function from the class is called
    /// with the receiver as its first argument rather than through a bound method; a failed
    /// lookup is blamed on `span`, the `receiver.attr` part, as CPython's caret shows.
    pub(super) fn call_attribute(
        &mut self,
        receiver: Value,
        attr: &AttrName,
        span: Span,
        args: &[Expr],
        keywords: &[Keyword],
    ) -> Result<Value, Exception> {
        let Value::Instance(inst) = &receiver else {
            let args = self.args(args, keywords)?;
            return self.call_method(&receiver, &attr.name, args);
        };
        if let Some(f) = class_function(inst, &attr.name) {
            if binds_positionally(&f, 1, args, keywords) {
                return self.call_positional(&f, Some(receiver), args);
            }
            let mut positional = self.pool.args();
            positional.push(receiver);
            let args = self.args_after(positional, args, keywords)?;
            return self.call_function(&f, args);
        }
        let method = self.load_attr(&receiver, attr).map_err(|e| e.at(span))?;
        let args = self.args(args, keywords)?;
        self.call(&method, args)
    }

    /// Binds `function` to `receiver` (`obj.method`).
    pub(crate) fn bound(receiver: Value, function: Value) -> Value {
        Value::Method(Arc::new(Method { receiver, function }))
    }

    pub(crate) fn call_function(
        &mut self,
        func: &Arc<Function>,
        args: Args,
    ) -> Result<Value, Exception> {
        let locals = self.pool.scope();
        let mut slots = self.pool.slots(func.def.frame.slots.len());
        let spare = bind_params(func, args, &locals, &mut slots)?;
        self.pool.give_args(spare);
        self.enter(func, locals, slots)
    }

    /// `func(receiver, *args, **keywords)`: a method called without a bound method.
    pub(super) fn call_with_receiver(
        &mut self,
        func: &Arc<Function>,
        receiver: Value,
        args: impl IntoIterator<Item = Value>,
        keywords: Vec<(String, Value)>,
    ) -> Result<Value, Exception> {
        let mut positional = self.pool.args();
        positional.push(receiver);
        positional.extend(args);
        self.call_function(
            func,
            Args {
                positional,
                keywords,
            },
        )
    }

    /// `func(receiver, *args)` when `args` bind positionally (`binds_positionally`).
    fn call_positional(
        &mut self,
        func: &Arc<Function>,
        receiver: Option<Value>,
        args: &[Expr],
    ) -> Result<Value, Exception> {
        let mut slots = self.positional_slots(func, usize::from(receiver.is_some()), args)?;
        if let (Some(receiver), Some(Some(slot))) = (receiver, func.def.frame.param_slots.first()) {
            slots[*slot] = Some(receiver);
        }
        self.enter_with_slots(func, slots)
    }

    /// A frame's slots for a call of `func` that binds positionally, with each of `args`
    /// evaluated straight into its parameter's slot, after `leading` parameters left for the
    /// caller to fill: no `Args` to build and bind.
    #[inline]
    pub(super) fn positional_slots(
        &mut self,
        func: &Function,
        leading: usize,
        args: &[Expr],
    ) -> Result<Vec<Option<Value>>, Exception> {
        let frame = &func.def.frame;
        let mut slots = self.pool.slots(frame.slots.len());
        let params = frame.param_slots.get(leading..).unwrap_or_default();
        for (arg, slot) in args.iter().zip(params) {
            let value = self.eval(arg)?;
            // Every parameter has a slot (`FrameLayout::positional`).
            if let Some(slot) = slot.and_then(|s| slots.get_mut(s)) {
                *slot = Some(value);
            }
        }
        Ok(slots)
    }

    /// Runs a call of `func` whose parameters are all bound in `slots`.
    #[inline]
    pub(super) fn enter_with_slots(
        &mut self,
        func: &Arc<Function>,
        slots: Vec<Option<Value>>,
    ) -> Result<Value, Exception> {
        let locals = self.pool.scope();
        self.enter(func, locals, slots)
    }

    /// Runs a call of `func` whose parameters are bound in `locals` and `slots`.
    fn enter(
        &mut self,
        func: &Arc<Function>,
        locals: Arc<Scope>,
        slots: Vec<Option<Value>>,
    ) -> Result<Value, Exception> {
        let def = &func.def;
        // The module frame counts too, as in Python.
        if self.depth + 1 >= self.limits.recursion_depth {
            return Err(Exception::new(
                "RecursionError",
                "maximum recursion depth exceeded",
            ));
        }
        let env = Env {
            locals: Some((locals, LocalNames::Function(def.clone()))),
            code: func.code.clone(),
            slots,
        };
        if def.is_generator {
            return Ok(self.make_generator(func, env));
        }
        let caller = std::mem::replace(&mut self.env, env);
        // Most calls stay in one module: then the globals need no swap (and no refcounting).
        let caller_globals = (!Arc::ptr_eq(&self.globals, &func.globals))
            .then(|| std::mem::replace(&mut self.globals, func.globals.clone()));
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
        if let Some(globals) = caller_globals {
            self.globals = globals;
        }
        let result = result.map_err(|mut e| {
            e.leave_frame(&callee.code.source, &callee.code.function, def.span);
            e
        });
        self.pool.give_frame(callee);
        result
    }

    /// `f(args)` as written in code, where `f` is a user function: arguments that bind
    /// positionally go straight into its slots.
    #[inline(never)]
    pub(super) fn call_user_function(
        &mut self,
        func: &Arc<Function>,
        args: &[Expr],
        keywords: &[Keyword],
    ) -> Result<Value, Exception> {
        if binds_positionally(func, 0, args, keywords) {
            return self.call_positional(func, None, args);
        }
        let args = self.args(args, keywords)?;
        self.call_function(func, args)
    }
}

/// Whether a call of `func` with `receiver` leading arguments, then `args` and `keywords`,
/// passes exactly one positional argument per parameter, all of them slots.
pub(super) fn binds_positionally(
    func: &Function,
    receiver: usize,
    args: &[Expr],
    keywords: &[Keyword],
) -> bool {
    let def = &func.def;
    def.frame.positional
        && keywords.is_empty()
        && def.params.len() == receiver + args.len()
        && !args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_)))
}

/// The plain function `inst.name` would bind, when the instance's own dict does not shadow
/// it: the call can then pass `inst` first instead of building a bound method.
fn class_function(inst: &Instance, name: &str) -> Option<Arc<Function>> {
    if inst.get(name).is_some() {
        return None;
    }
    match inst.class.lookup(name)? {
        Value::Function(f) => Some(f),
        _ => None,
    }
}

/// Binds arguments to parameters with Python's rules and messages, into the parameters'
/// slots (or the call's shared scope for captured ones). Returns the positional arguments'
/// vector, emptied, for the next call to reuse.
fn bind_params(
    func: &Function,
    mut args: Args,
    locals: &Scope,
    slots: &mut [Option<Value>],
) -> Result<Vec<Value>, Exception> {
    let def = &func.def;
    let name = &func.qualname;
    let params = &def.params;
    let mut place = |i: usize, v: Value| match def.frame.param_slots.get(i).copied().flatten() {
        Some(slot) => slots[slot] = Some(v),
        None => locals.set(&params[i].name, v),
    };
    let plain = |p: &super::super::ast::Param| {
        matches!(p.kind, ParamKind::Normal | ParamKind::PositionalOnly)
    };
    // The common call: exactly one positional argument per plain parameter.
    if args.keywords.is_empty() && args.positional.len() == params.len() && params.iter().all(plain)
    {
        for (i, v) in args.positional.drain(..).enumerate() {
            place(i, v);
        }
        return Ok(args.positional);
    }
    let positional: Vec<usize> = (0..params.len())
        .filter(|&i| {
            matches!(
                params[i].kind,
                ParamKind::Normal | ParamKind::PositionalOnly
            )
        })
        .collect();
    let var_args = params.iter().position(|p| p.kind == ParamKind::VarArgs);
    let var_kw = params.iter().position(|p| p.kind == ParamKind::VarKeywords);
    let mut values: Vec<Option<Value>> = vec![None; params.len()];
    let mut given = std::mem::take(&mut args.positional).into_iter();
    for &i in &positional {
        match given.next() {
            Some(v) => values[i] = Some(v),
            None => break,
        }
    }
    let extra: Vec<Value> = given.collect();
    if !extra.is_empty() && var_args.is_none() {
        let required = positional
            .iter()
            .filter(|&&i| func.defaults[i].is_none())
            .count();
        let takes = if required == positional.len() {
            format!("{}", positional.len())
        } else {
            format!("from {required} to {}", positional.len())
        };
        let plural = if positional.len() == 1 && required == positional.len() {
            ""
        } else {
            "s"
        };
        let count = positional.len() + extra.len();
        let were = if count == 1 { "was" } else { "were" };
        let kw_given = args
            .keywords
            .iter()
            .filter(|(k, _)| {
                params
                    .iter()
                    .any(|p| &p.name == k && p.kind == ParamKind::KeywordOnly)
            })
            .count();
        let kw_note = match kw_given {
            0 => String::new(),
            1 => " positional arguments (and 1 keyword-only argument)".to_string(),
            n => format!(" positional arguments (and {n} keyword-only arguments)"),
        };
        if kw_note.is_empty() {
            return Err(Exception::type_error(format!(
                "{name}() takes {takes} positional argument{plural} but {count} {were} given"
            )));
        }
        return Err(Exception::type_error(format!(
            "{name}() takes {takes} positional argument{plural} but {count}{kw_note} were given"
        )));
    }
    if let Some(i) = var_args {
        values[i] = Some(Value::tuple(extra));
    }
    let mut kwargs = Dict::new();
    for (key, value) in args.keywords {
        let slot = params.iter().position(|p| {
            p.name == key && matches!(p.kind, ParamKind::Normal | ParamKind::KeywordOnly)
        });
        match slot {
            Some(i) if values[i].is_some() => {
                return Err(Exception::type_error(format!(
                    "{name}() got multiple values for argument '{key}'"
                )));
            }
            Some(i) => values[i] = Some(value),
            None if var_kw.is_some() => kwargs.set_str(&key, value),
            None => {
                let positional_only = params
                    .iter()
                    .any(|p| p.name == key && p.kind == ParamKind::PositionalOnly);
                if positional_only {
                    return Err(Exception::type_error(format!(
                        "{name}() got some positional-only arguments passed as keyword arguments: '{key}'"
                    )));
                }
                return Err(Exception::type_error(format!(
                    "{name}() got an unexpected keyword argument '{key}'"
                )));
            }
        }
    }
    if let Some(i) = var_kw {
        values[i] = Some(Value::Dict(shared(kwargs)));
    }
    let mut missing = Vec::new();
    let mut missing_kw = Vec::new();
    for (i, param) in params.iter().enumerate() {
        match values[i].take().or_else(|| func.defaults[i].clone()) {
            Some(v) => place(i, v),
            None if param.kind == ParamKind::KeywordOnly => missing_kw.push(param.name.as_str()),
            None => missing.push(param.name.as_str()),
        }
    }
    for (names, what) in [(missing, "positional"), (missing_kw, "keyword-only")] {
        if !names.is_empty() {
            let plural = if names.len() == 1 { "" } else { "s" };
            return Err(Exception::type_error(format!(
                "{name}() missing {} required {what} argument{plural}: {}",
                names.len(),
                name_list(&names)
            )));
        }
    }
    Ok(Vec::new())
}

fn not_callable(v: &Value) -> Exception {
    Exception::type_error(format!("'{}' object is not callable", v.type_name()))
}

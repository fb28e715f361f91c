//! `class` statements, instantiation, and the methods `object` and `BaseException` provide.

use std::sync::Arc;

use indexmap::IndexMap;

use super::super::ast::{ClassDef, Expr, ExprKind, Keyword, Stmt, StmtKind};
use super::super::exception::Exception;
use super::super::object::{class_dicts_version, object_class, Class, Instance};
use super::super::value::{lock, Args, ClassSlot, Function, NativeFunction, Value};
use super::call::binds_positionally;
use super::{Code, Env, Interp, LocalNames, Scope};

/// `class`'s `__init__` when instantiating it needs nothing but calling that plain function
/// on a new instance: no `__new__`, not an exception class.
fn plain_init(class: &Class) -> Option<Arc<Function>> {
    if class.is_exception() || class.lookup("__new__").is_some() {
        return None;
    }
    match class.lookup("__init__")? {
        Value::Function(f) => Some(f),
        _ => None,
    }
}

fn init_returned_none(result: &Value) -> Result<(), Exception> {
    match result {
        Value::None => Ok(()),
        other => Err(Exception::type_error(format!(
            "__init__() should return None, not '{}'",
            other.type_name()
        ))),
    }
}

/// A body's docstring (`__doc__`), or `None`.
pub(crate) fn docstring(body: &[Stmt]) -> Value {
    match body.first().map(|s| &s.kind) {
        Some(StmtKind::Expr(e)) => match &e.kind {
            ExprKind::Str(s) => Value::Str(s.clone()),
            _ => Value::None,
        },
        _ => Value::None,
    }
}

impl Interp<'_> {
    pub(crate) fn exec_class(&mut self, def: &ClassDef) -> Result<(), Exception> {
        let mut decorators = Vec::with_capacity(def.decorators.len());
        for d in &def.decorators {
            decorators.push(self.eval(d)?);
        }
        let mut bases = Vec::with_capacity(def.bases.len());
        for base in &def.bases {
            match self.eval(base)? {
                Value::Class(c) => bases.push(c),
                other => {
                    return Err(Exception::type_error(format!(
                        "nnlearn classes can only derive from classes defined with 'class' \
                         (and object or the exceptions), not from '{}'",
                        super::super::repr::repr(&other)
                    ))
                    .at(base.span))
                }
            }
        }
        if let Some(k) = def.keywords.first() {
            let message = match k.name.as_deref() {
                Some("metaclass") => {
                    "metaclasses are not supported in nnlearn snippets".to_string()
                }
                Some(name) => format!("__init_subclass__() takes no keyword arguments ('{name}')"),
                None => "class keyword arguments are not supported".to_string(),
            };
            return Err(Exception::type_error(message).at(k.span));
        }
        if bases.is_empty() {
            bases.push(object_class());
        }
        let qualname = format!("{}{}", self.env.code.qualname_prefix, def.name);
        let cell = Arc::new(ClassSlot::default());
        super::super::heap::track(&cell);
        let scope = Scope::new();
        let module = match self.global("__name__") {
            Some(Value::Str(s)) => s.to_string(),
            _ => "__main__".to_string(),
        };
        scope.set("__module__", Value::str(module.as_str()));
        scope.set("__qualname__", Value::str(qualname.as_str()));
        let env = Env {
            locals: Some((scope.clone(), LocalNames::Class)),
            code: Arc::new(Code {
                enclosing: self.env.closure(),
                function: def.name.as_str().into(),
                source: self.env.code.source.clone(),
                class_cell: Some(cell.clone()),
                qualname_prefix: format!("{qualname}.").into(),
            }),
            slots: Vec::new(),
        };
        let outer = std::mem::replace(&mut self.env, env);
        let result = self.exec_block(&def.body);
        let body_env = std::mem::replace(&mut self.env, outer);
        result.map_err(|mut e| {
            e.leave_frame(&body_env.code.source, &body_env.code.function, def.span);
            e
        })?;
        let mut dict: IndexMap<String, Value> = scope.snapshot().into_iter().collect();
        dict.insert("__doc__".into(), docstring(&def.body));
        let class = Class::new(&def.name, &qualname, &module, bases, dict)?;
        cell.set(class.clone());
        let mut value = Value::Class(class);
        for d in decorators.iter().rev() {
            value = self.call(d, Args::new(vec![value]))?;
        }
        self.bind(&def.name, value);
        Ok(())
    }

    /// `class(args)` as written in code. When `__init__` is a plain function the arguments
    /// bind to positionally, they are evaluated straight into its slots; if a class changed
    /// meanwhile, the call goes the general way, as Python looks `__init__` up only after
    /// evaluating them.
    #[inline(never)]
    pub(super) fn instantiate_call(
        &mut self,
        class: &Arc<Class>,
        args: &[Expr],
        keywords: &[Keyword],
    ) -> Result<Value, Exception> {
        let version = class_dicts_version();
        let init = plain_init(class).filter(|init| binds_positionally(init, 1, args, keywords));
        let Some(init) = init else {
            let args = self.args(args, keywords)?;
            return self.instantiate(class, args);
        };
        let mut slots = self.positional_slots(&init, 1, args)?;
        let params = &init.def.frame.param_slots;
        if class_dicts_version() != version {
            let positional = params.iter().flatten().filter_map(|&s| slots[s].take());
            return self.instantiate(class, Args::new(positional.collect()));
        }
        let instance = Value::Instance(Instance::new(class.clone()));
        if let Some(Some(slot)) = params.first() {
            slots[*slot] = Some(instance.clone());
        }
        init_returned_none(&self.enter_with_slots(&init, slots)?)?;
        Ok(instance)
    }

    /// `Class(args)`: a new instance, initialised by `__init__`.
    pub(crate) fn instantiate(
        &mut self,
        class: &Arc<Class>,
        args: Args,
    ) -> Result<Value, Exception> {
        if let Some(new) = class.lookup("__new__") {
            let mut new_args = args.clone();
            new_args.positional.insert(0, Value::Class(class.clone()));
            let new = match &new {
                Value::Descriptor(d) => match &**d {
                    super::super::object::Descriptor::StaticMethod(f) => f.clone(),
                    _ => new.clone(),
                },
                _ => new.clone(),
            };
            let made = self.call(&new, new_args)?;
            let is_ours = matches!(&made, Value::Instance(i) if i.class.is_subclass_of(class));
            if is_ours {
                self.run_init(&made, class, args)?;
            }
            return Ok(made);
        }
        let instance = Instance::new(class.clone());
        if class.is_exception() {
            *lock(&instance.args) = Arc::from(args.positional.clone());
        }
        let value = Value::Instance(instance);
        self.run_init(&value, class, args)?;
        Ok(value)
    }

    fn run_init(&mut self, value: &Value, class: &Arc<Class>, args: Args) -> Result<(), Exception> {
        match class.lookup("__init__") {
            Some(init) => {
                let result = match &init {
                    Value::Function(f) => {
                        self.call_with_receiver(f, value.clone(), args.positional, args.keywords)?
                    }
                    _ => {
                        let mut args = args;
                        args.positional.insert(0, value.clone());
                        self.call(&init, args)?
                    }
                };
                init_returned_none(&result)?;
            }
            None if class.is_exception() => {}
            None if !args.positional.is_empty() || !args.keywords.is_empty() => {
                return Err(Exception::type_error(format!(
                    "{}() takes no arguments",
                    class.name
                )));
            }
            None => {}
        }
        Ok(())
    }

    /// Methods the built-in base classes provide (`object.__init__`, `object.__setattr__`,
    /// `BaseException.__init__`, ...) when no class along the MRO defines `name`.
    pub(crate) fn builtin_method(&self, class: &Arc<Class>, name: &str) -> Option<Value> {
        let exception = class.is_exception();
        let f = match name {
            "__init__" if exception => NativeFunction::value("__init__", |_, args| {
                if let Some(Value::Instance(inst)) = args.positional.first() {
                    *lock(&inst.args) = Arc::from(&args.positional[1..]);
                }
                Ok(Value::None)
            }),
            "__init__" => NativeFunction::value("__init__", |_, args| {
                if args.positional.len() > 1 || !args.keywords.is_empty() {
                    return Err(Exception::type_error(
                        "object.__init__() takes exactly one argument (the instance to initialize)",
                    ));
                }
                Ok(Value::None)
            }),
            "__new__" => {
                NativeFunction::value("__new__", |_, args| match args.positional.first() {
                    Some(Value::Class(c)) => Ok(Value::Instance(Instance::new(c.clone()))),
                    _ => Err(Exception::type_error(
                        "object.__new__(X): X is not a type object",
                    )),
                })
            }
            "__setattr__" => NativeFunction::value("__setattr__", |interp, args| {
                match args.positional.as_slice() {
                    [object, Value::Str(name), value] => {
                        interp.object_setattr(object, name, value.clone())?;
                        Ok(Value::None)
                    }
                    _ => Err(Exception::type_error(
                        "__setattr__ expected an object, a name and a value",
                    )),
                }
            }),
            "__delattr__" => NativeFunction::value("__delattr__", |interp, args| {
                match args.positional.as_slice() {
                    [object, Value::Str(name)] => {
                        interp.object_delattr(object, name)?;
                        Ok(Value::None)
                    }
                    _ => Err(Exception::type_error(
                        "__delattr__ expected an object and a name",
                    )),
                }
            }),
            "__getattribute__" => NativeFunction::value("__getattribute__", |interp, args| {
                match args.positional.as_slice() {
                    [Value::Instance(inst), Value::Str(name)] => match inst.get(name) {
                        Some(v) => Ok(v),
                        None => interp.get_attr(&args.positional[0], name),
                    },
                    _ => Err(Exception::type_error(
                        "__getattribute__ expected an object and a name",
                    )),
                }
            }),
            "__repr__" => NativeFunction::value("__repr__", |interp, args| {
                let object = args.positional.first().cloned().unwrap_or(Value::None);
                Ok(Value::str(interp.default_repr(&object)))
            }),
            "__str__" => NativeFunction::value("__str__", |interp, args| {
                let object = args.positional.first().cloned().unwrap_or(Value::None);
                interp.to_str(&object).map(Value::str)
            }),
            "__eq__" => {
                NativeFunction::value("__eq__", |_, args| match args.positional.as_slice() {
                    [a, b] if a.is(b) => Ok(Value::Bool(true)),
                    _ => Ok(super::super::object::not_implemented()),
                })
            }
            "__hash__" => {
                NativeFunction::value("__hash__", |_, args| match args.positional.first() {
                    Some(Value::Instance(i)) => {
                        Ok(Value::Int((Arc::as_ptr(i) as usize >> 4) as i64))
                    }
                    _ => Ok(Value::Int(0)),
                })
            }
            _ => return None,
        };
        Some(f)
    }
}

//! Attribute access: `obj.name`, `obj.name = v`, `del obj.name` for every kind of value,
//! with Python's lookup order (data descriptors, the instance dict, the class, `__getattr__`).

use std::sync::Arc;

use super::super::exception::Exception;
use super::super::methods;
use super::super::object::{Class, Descriptor};
use super::super::value::{lock, Args, NativeFunction, Value};
use super::Interp;

fn no_attribute(owner: &str, name: &str) -> Exception {
    Exception::attribute_error(format!("'{owner}' object has no attribute '{name}'"))
}

impl Interp<'_> {
    pub(crate) fn get_attr(&mut self, value: &Value, name: &str) -> Result<Value, Exception> {
        match value {
            Value::Host(h) => h.get_attr(value, name),
            Value::Instance(inst) => {
                let class_attr = inst.class.lookup(name);
                if let Some(Value::Descriptor(d)) = &class_attr {
                    if let Descriptor::Property { fget, .. } = &**d {
                        if matches!(fget, Value::None) {
                            return Err(Exception::attribute_error(format!(
                                "property '{name}' of '{}' object has no getter",
                                inst.class.name
                            )));
                        }
                        return self.call(&fget.clone(), Args::new(vec![value.clone()]));
                    }
                }
                if let Some(v) = inst.get(name) {
                    return Ok(v);
                }
                if let Some(attr) = class_attr {
                    return Ok(bind_class_attr(attr, value, &inst.class));
                }
                match name {
                    "__class__" => return Ok(Value::Class(inst.class.clone())),
                    "__dict__" => return Ok(Value::Dict(inst.dict.clone())),
                    _ => {}
                }
                if inst.class.is_exception() {
                    match name {
                        "args" => return Ok(Value::Tuple(inst.args())),
                        "__cause__" | "__context__" | "__traceback__" => return Ok(Value::None),
                        "__suppress_context__" => return Ok(Value::Bool(false)),
                        _ => {}
                    }
                }
                if let Some(builtin) = self.builtin_method(&inst.class, name) {
                    return Ok(Interp::bound(value.clone(), builtin));
                }
                if let Some(getattr) = inst.class.lookup("__getattr__") {
                    let getattr = bind_class_attr(getattr, value, &inst.class);
                    return self.call(&getattr, Args::new(vec![Value::str(name)]));
                }
                Err(no_attribute(&inst.class.name, name))
            }
            Value::Class(class) => self.class_attr(class, name),
            Value::Super(s) => match s.receiver_class.lookup_after(&s.after, name) {
                Some(attr) => Ok(bind_class_attr(attr, &s.receiver, &s.receiver_class)),
                None => match self.builtin_method(&s.receiver_class, name) {
                    Some(builtin) => Ok(Interp::bound(s.receiver.clone(), builtin)),
                    None => Err(Exception::attribute_error(format!(
                        "'super' object has no attribute '{name}'"
                    ))),
                },
            },
            Value::Method(m) => match name {
                "__self__" => Ok(m.receiver.clone()),
                "__func__" => Ok(m.function.clone()),
                _ => self.get_attr(&m.function.clone(), name),
            },
            // Attributes set on the function (`functools.wraps` sets `__name__`) come first.
            Value::Function(f) => match f.attribute(name) {
                Some(v) => Ok(v),
                None => match name {
                    "__name__" => Ok(Value::str(f.def.name.as_str())),
                    "__qualname__" => Ok(Value::Str(f.qualname.clone())),
                    "__module__" => Ok(f.globals.get("__name__").unwrap_or(Value::str("__main__"))),
                    "__doc__" => Ok(super::class::docstring(f.def.body_block())),
                    "__dict__" => Ok(Value::Dict(f.attributes().clone())),
                    "__defaults__" => {
                        let defaults: Vec<Value> = f.defaults.iter().flatten().cloned().collect();
                        Ok(if defaults.is_empty() {
                            Value::None
                        } else {
                            Value::tuple(defaults)
                        })
                    }
                    _ => Err(no_attribute("function", name)),
                },
            },
            Value::Native(f) if matches!(name, "__name__" | "__qualname__") => {
                Ok(Value::str(f.name.as_str()))
            }
            // A qualified name (`torch.Generator`) is a module and a class name.
            Value::Type(kind) => match (name, kind.name().rsplit_once('.')) {
                ("__name__" | "__qualname__", Some((_, class))) => Ok(Value::str(class)),
                ("__name__" | "__qualname__", None) => Ok(Value::str(kind.name())),
                ("__module__", Some((module, _))) => Ok(Value::str(module)),
                ("__module__", None) => Ok(Value::str("builtins")),
                _ => methods::unbound(kind, name).ok_or_else(|| {
                    Exception::attribute_error(format!(
                        "type object '{}' has no attribute '{name}'",
                        kind.name()
                    ))
                }),
            },
            Value::Descriptor(d) => descriptor_attr(value, d, name),
            Value::Generator(_) | Value::Iterator(_) => iterator_method(value, name),
            Value::List(_)
            | Value::Tuple(_)
            | Value::Str(_)
            | Value::Dict(_)
            | Value::DictView(..)
            | Value::Set(_)
            | Value::FrozenSet(_)
            | Value::Range(_)
                if name == "__iter__" =>
            {
                let receiver = value.clone();
                Ok(NativeFunction::value("__iter__", move |interp, _| {
                    let items = interp.collect(&receiver)?;
                    Ok(super::iter::iterator("iterator", items))
                }))
            }
            Value::Slice(parts) => match name {
                "start" => Ok(parts[0].clone()),
                "stop" => Ok(parts[1].clone()),
                "step" => Ok(parts[2].clone()),
                _ => methods::bound(value, name),
            },
            _ => methods::bound(value, name),
        }
    }

    /// `Class.name`: functions come back plain, class methods bound to the class.
    fn class_attr(&mut self, class: &Arc<Class>, name: &str) -> Result<Value, Exception> {
        if let Some(attr) = class.lookup(name) {
            return Ok(match &attr {
                Value::Descriptor(d) => match &**d {
                    Descriptor::StaticMethod(f) => f.clone(),
                    Descriptor::ClassMethod(f) => {
                        Interp::bound(Value::Class(class.clone()), f.clone())
                    }
                    Descriptor::Property { .. } => attr.clone(),
                },
                _ => attr,
            });
        }
        Ok(match name {
            "__name__" => Value::str(class.name.as_str()),
            "__qualname__" => Value::str(class.qualname.as_str()),
            "__module__" => Value::str(class.module.as_str()),
            "__bases__" => Value::tuple(class.bases.iter().cloned().map(Value::Class).collect()),
            "__mro__" => Value::tuple(class.mro().into_iter().map(Value::Class).collect()),
            "__dict__" => {
                let mut dict = super::super::dict::Dict::new();
                for (k, v) in class.own_items() {
                    dict.set_str(&k, v);
                }
                Value::Dict(super::super::value::shared(dict))
            }
            "__doc__" => Value::None,
            _ => match self.builtin_method(class, name) {
                Some(builtin) => builtin,
                None => {
                    return Err(Exception::attribute_error(format!(
                        "type object '{}' has no attribute '{name}'",
                        class.name
                    )))
                }
            },
        })
    }

    pub(crate) fn set_attr(
        &mut self,
        object: &Value,
        name: &str,
        value: Value,
    ) -> Result<(), Exception> {
        match object {
            Value::Host(h) => h.set_attr(name, value),
            Value::Instance(inst) => {
                if let Some(setattr @ Value::Function(_)) = inst.class.lookup("__setattr__") {
                    let setattr = bind_class_attr(setattr, object, &inst.class);
                    self.call(&setattr, Args::new(vec![Value::str(name), value]))?;
                    return Ok(());
                }
                self.object_setattr(object, name, value)
            }
            Value::Class(class) => {
                class.set(name, value);
                Ok(())
            }
            Value::Function(f) => {
                lock(f.attributes()).set_str(name, value);
                Ok(())
            }
            other => Err(Exception::attribute_error(format!(
                "'{}' object attribute '{name}' is read-only",
                other.type_name()
            ))),
        }
    }

    /// `object.__setattr__`: a property's setter, or the instance dict.
    pub(crate) fn object_setattr(
        &mut self,
        object: &Value,
        name: &str,
        value: Value,
    ) -> Result<(), Exception> {
        let Value::Instance(inst) = object else {
            return Err(Exception::type_error(format!(
                "can't apply this __setattr__ to {} object",
                object.type_name()
            )));
        };
        if let Some(Value::Descriptor(d)) = inst.class.lookup(name) {
            if let Descriptor::Property { fset, .. } = &*d {
                if matches!(fset, Value::None) {
                    return Err(Exception::attribute_error(format!(
                        "property '{name}' of '{}' object has no setter",
                        inst.class.name
                    )));
                }
                self.call(&fset.clone(), Args::new(vec![object.clone(), value]))?;
                return Ok(());
            }
        }
        inst.set(name, value);
        Ok(())
    }

    pub(crate) fn del_attr(&mut self, object: &Value, name: &str) -> Result<(), Exception> {
        match object {
            Value::Instance(inst) => {
                if let Some(delattr @ Value::Function(_)) = inst.class.lookup("__delattr__") {
                    let delattr = bind_class_attr(delattr, object, &inst.class);
                    self.call(&delattr, Args::new(vec![Value::str(name)]))?;
                    return Ok(());
                }
                self.object_delattr(object, name)
            }
            Value::Class(class) => match class.remove(name) {
                true => Ok(()),
                false => Err(Exception::attribute_error(format!(
                    "type object '{}' has no attribute '{name}'",
                    class.name
                ))),
            },
            other => Err(no_attribute(&other.type_name(), name)),
        }
    }

    pub(crate) fn object_delattr(&mut self, object: &Value, name: &str) -> Result<(), Exception> {
        let Value::Instance(inst) = object else {
            return Err(no_attribute(&object.type_name(), name));
        };
        match lock(&inst.dict).remove_str(name) {
            Some(_) => Ok(()),
            None => Err(no_attribute(&inst.class.name, name)),
        }
    }
}

/// A class attribute as seen through an instance (or `super()`): functions bind to it.
pub(crate) fn bind_class_attr(attr: Value, receiver: &Value, class: &Arc<Class>) -> Value {
    match &attr {
        Value::Function(_) => Interp::bound(receiver.clone(), attr),
        Value::Descriptor(d) => match &**d {
            Descriptor::StaticMethod(f) => f.clone(),
            Descriptor::ClassMethod(f) => Interp::bound(Value::Class(class.clone()), f.clone()),
            Descriptor::Property { .. } => attr.clone(),
        },
        _ => attr,
    }
}

/// `property.setter` and friends, and `__func__` of the method wrappers.
fn descriptor_attr(this: &Value, d: &Arc<Descriptor>, name: &str) -> Result<Value, Exception> {
    match (&**d, name) {
        (Descriptor::Property { fget, fset, fdel }, _) => {
            let (fget, fset, fdel) = (fget.clone(), fset.clone(), fdel.clone());
            let replace = move |which: &'static str| {
                let (fget, fset, fdel) = (fget.clone(), fset.clone(), fdel.clone());
                NativeFunction::value(which, move |_, args| {
                    let [f] = args.positional.as_slice() else {
                        return Err(Exception::type_error(format!(
                            "{which}() takes exactly one argument"
                        )));
                    };
                    let (mut g, mut s, mut d) = (fget.clone(), fset.clone(), fdel.clone());
                    match which {
                        "getter" => g = f.clone(),
                        "setter" => s = f.clone(),
                        _ => d = f.clone(),
                    }
                    Ok(Value::Descriptor(Arc::new(Descriptor::Property {
                        fget: g,
                        fset: s,
                        fdel: d,
                    })))
                })
            };
            match name {
                "getter" => Ok(replace("getter")),
                "setter" => Ok(replace("setter")),
                "deleter" => Ok(replace("deleter")),
                "fget" => Ok(match &**d {
                    Descriptor::Property { fget, .. } => fget.clone(),
                    _ => Value::None,
                }),
                "fset" => Ok(match &**d {
                    Descriptor::Property { fset, .. } => fset.clone(),
                    _ => Value::None,
                }),
                _ => Err(no_attribute(&this.type_name(), name)),
            }
        }
        (Descriptor::StaticMethod(f) | Descriptor::ClassMethod(f), "__func__") => Ok(f.clone()),
        _ => Err(no_attribute(&this.type_name(), name)),
    }
}

/// `it.__next__`, `gen.send`, ... as bound natives.
fn iterator_method(this: &Value, name: &str) -> Result<Value, Exception> {
    let receiver = this.clone();
    let f: Value = match name {
        "__next__" => NativeFunction::value("__next__", move |interp, args| {
            args.no_keywords("__next__")?;
            interp
                .next_of(&receiver)?
                .ok_or_else(|| Exception::new("StopIteration", ""))
        }),
        "__iter__" => NativeFunction::value("__iter__", move |_, _| Ok(receiver.clone())),
        "send" | "throw" | "close" if matches!(this, Value::Generator(_)) => {
            let Value::Generator(g) = this else {
                return Err(no_attribute(&this.type_name(), name));
            };
            let g = g.clone();
            let which = name.to_string();
            NativeFunction::value(name, move |interp, args| g.method(interp, &which, args))
        }
        "__name__" | "__qualname__" => match this {
            Value::Generator(g) => return Ok(Value::str(g.name())),
            _ => return Err(no_attribute(&this.type_name(), name)),
        },
        _ => return Err(no_attribute(&this.type_name(), name)),
    };
    Ok(f)
}

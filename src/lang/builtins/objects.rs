//! Built-ins about objects and classes: `getattr` and friends, `vars`, `id`, `hash`,
//! `callable`, `iter`/`next`, `super`, `property`/`staticmethod`/`classmethod`,
//! `isinstance`/`issubclass`.

use std::sync::Arc;

use crate::lang::exception::Exception;
use crate::lang::interp::Interp;
use crate::lang::object::{make_super, Class, Descriptor};
use crate::lang::value::{Args, TypeKind, Value};

use super::one_arg;

fn name_arg(v: &Value, what: &str) -> Result<String, Exception> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(Exception::type_error(format!(
            "{what}(): attribute name must be string, not '{}'",
            other.type_name()
        ))),
    }
}

pub(super) fn getattr(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("getattr")?;
    match args.positional.as_slice() {
        [object, name] => interp.get_attr(object, &name_arg(name, "getattr")?),
        [object, name, default] => match interp.get_attr(object, &name_arg(name, "getattr")?) {
            Err(e) if interp.exception_matches_name(&e, "AttributeError") => Ok(default.clone()),
            other => other,
        },
        other => Err(Exception::type_error(format!(
            "getattr expected 2 or 3 arguments, got {}",
            other.len()
        ))),
    }
}

pub(super) fn setattr(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("setattr")?;
    let [object, name, value] = args.positional.as_slice() else {
        return Err(Exception::type_error(format!(
            "setattr expected 3 arguments, got {}",
            args.positional.len()
        )));
    };
    interp.set_attr(object, &name_arg(name, "setattr")?, value.clone())?;
    Ok(Value::None)
}

pub(super) fn hasattr(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("hasattr")?;
    let [object, name] = args.positional.as_slice() else {
        return Err(Exception::type_error(format!(
            "hasattr expected 2 arguments, got {}",
            args.positional.len()
        )));
    };
    match interp.get_attr(object, &name_arg(name, "hasattr")?) {
        Ok(_) => Ok(Value::Bool(true)),
        Err(e) if interp.exception_matches_name(&e, "AttributeError") => Ok(Value::Bool(false)),
        Err(e) => Err(e),
    }
}

pub(super) fn delattr(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("delattr")?;
    let [object, name] = args.positional.as_slice() else {
        return Err(Exception::type_error(format!(
            "delattr expected 2 arguments, got {}",
            args.positional.len()
        )));
    };
    interp.del_attr(object, &name_arg(name, "delattr")?)?;
    Ok(Value::None)
}

pub(super) fn vars(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let v = one_arg(&args, "vars")?;
    match &v {
        Value::Instance(_) | Value::Class(_) | Value::Function(_) => {
            interp.get_attr(&v, "__dict__")
        }
        _ => Err(Exception::type_error(
            "vars() argument must have __dict__ attribute",
        )),
    }
}

/// `id(x)`: the address of the object (values without identity get one per use).
pub(super) fn id(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let v = one_arg(&args, "id")?;
    let address = match &v {
        Value::List(l) => Arc::as_ptr(l) as *const () as usize,
        Value::Dict(d) => Arc::as_ptr(d) as *const () as usize,
        Value::Tuple(t) => Arc::as_ptr(t) as *const () as usize,
        Value::Str(s) => Arc::as_ptr(s) as *const () as usize,
        Value::Function(f) => Arc::as_ptr(f) as *const () as usize,
        Value::Native(f) => Arc::as_ptr(f) as *const () as usize,
        Value::Host(h) => h.identity().unwrap_or(Arc::as_ptr(h) as *const () as usize),
        Value::Class(c) => Arc::as_ptr(c) as usize,
        Value::Instance(i) => Arc::as_ptr(i) as usize,
        Value::Method(m) => Arc::as_ptr(m) as usize,
        Value::Generator(g) => Arc::as_ptr(g) as usize,
        Value::Iterator(i) => Arc::as_ptr(i) as *const () as usize,
        Value::Int(i) => *i as usize,
        other => other as *const Value as usize,
    };
    Ok(Value::Int(address as i64))
}

pub(super) fn hash(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let v = one_arg(&args, "hash")?;
    interp.hash_of(&v).map(Value::Int)
}

pub(super) fn callable(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let v = one_arg(&args, "callable")?;
    Ok(Value::Bool(is_callable(&v)))
}

/// `callable(v)`.
pub fn is_callable(v: &Value) -> bool {
    match v {
        Value::Function(_)
        | Value::Native(_)
        | Value::Type(_)
        | Value::Class(_)
        | Value::Method(_) => true,
        Value::Instance(i) => i.class.lookup("__call__").is_some(),
        Value::Host(h) => h.is_callable(),
        _ => false,
    }
}

pub(super) fn iter(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let v = one_arg(&args, "iter")?;
    match &v {
        Value::Iterator(_) | Value::Generator(_) => Ok(v),
        _ => {
            let it = interp.iter(&v)?;
            Ok(crate::lang::interp::iterator_from(
                iterator_kind(&v),
                crate::lang::interp::IterSource::Values(it),
            ))
        }
    }
}

fn iterator_kind(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "list_iterator",
        Value::Tuple(_) => "tuple_iterator",
        Value::Str(_) => "str_ascii_iterator",
        Value::Range(_) => "range_iterator",
        Value::Dict(_) => "dict_keyiterator",
        _ => "iterator",
    }
}

pub(super) fn next(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("next")?;
    let (it, default) = match args.positional.as_slice() {
        [it] => (it, None),
        [it, default] => (it, Some(default)),
        other => {
            return Err(Exception::type_error(format!(
                "next expected at least 1 argument, got {}",
                other.len()
            )))
        }
    };
    if !matches!(
        it,
        Value::Iterator(_) | Value::Generator(_) | Value::Instance(_)
    ) {
        return Err(Exception::type_error(format!(
            "'{}' object is not an iterator",
            it.type_name()
        )));
    }
    match interp.next_of(it)? {
        Some(v) => Ok(v),
        None => match default {
            Some(d) => Ok(d.clone()),
            None => Err(Exception::new("StopIteration", "")),
        },
    }
}

/// `super(Class, obj)`; the zero-argument form is resolved by the evaluator.
pub(super) fn super_(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("super")?;
    match args.positional.as_slice() {
        [Value::Class(class), receiver] => make_super(class, receiver.clone()),
        [other, _] => Err(Exception::type_error(format!(
            "super() argument 1 must be a type, not {}",
            other.type_name()
        ))),
        _ => Err(Exception::runtime_error("super(): no arguments")),
    }
}

pub(super) fn property(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("property", &["fget", "fset", "fdel", "doc"], 0)?;
    let part = |i: usize| a[i].clone().unwrap_or(Value::None);
    Ok(Value::Descriptor(Arc::new(Descriptor::Property {
        fget: part(0),
        fset: part(1),
        fdel: part(2),
    })))
}

pub(super) fn staticmethod(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let f = one_arg(&args, "staticmethod")?;
    Ok(Value::Descriptor(Arc::new(Descriptor::StaticMethod(f))))
}

pub(super) fn classmethod(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let f = one_arg(&args, "classmethod")?;
    Ok(Value::Descriptor(Arc::new(Descriptor::ClassMethod(f))))
}

pub(super) fn isinstance(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("isinstance")?;
    let [value, class] = args.positional.as_slice() else {
        return Err(Exception::type_error(format!(
            "isinstance expected 2 arguments, got {}",
            args.positional.len()
        )));
    };
    Ok(Value::Bool(instance_of(value, class)?))
}

/// `isinstance(value, class)`, also used by host code.
pub fn instance_of(value: &Value, class: &Value) -> Result<bool, Exception> {
    match class {
        Value::Type(kind) => Ok(match kind {
            TypeKind::Int => matches!(value, Value::Int(_) | Value::Bool(_)),
            TypeKind::Type => matches!(value, Value::Type(_) | Value::Class(_)),
            // The `collections` dicts and namedtuples are subclasses of dict and tuple.
            TypeKind::Dict => matches!(value, Value::Dict(_)),
            TypeKind::Tuple => match value {
                Value::Host(h) => h.as_tuple().is_some(),
                other => matches!(other, Value::Tuple(_)),
            },
            other => value.type_kind() == *other,
        }),
        Value::Class(c) => Ok(match value {
            Value::Instance(i) => i.class.is_subclass_of(c),
            _ => c.name == "object" && c.module == "builtins",
        }),
        Value::Tuple(classes) => {
            for c in classes.iter() {
                if instance_of(value, c)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Value::Host(h) => h
            .instance_check(value)
            .ok_or_else(|| class_error("isinstance")),
        _ => Err(class_error("isinstance")),
    }
}

pub(super) fn issubclass(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("issubclass")?;
    let [sub, class] = args.positional.as_slice() else {
        return Err(Exception::type_error(format!(
            "issubclass expected 2 arguments, got {}",
            args.positional.len()
        )));
    };
    Ok(Value::Bool(subclass_of(sub, class)?))
}

fn subclass_of(sub: &Value, class: &Value) -> Result<bool, Exception> {
    if let Value::Tuple(classes) = class {
        for c in classes.iter() {
            if subclass_of(sub, c)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    match (sub, class) {
        (Value::Class(a), Value::Class(b)) => Ok(a.is_subclass_of(b)),
        (Value::Type(_), Value::Class(b)) => Ok(is_object(b)),
        (Value::Type(a), Value::Type(b)) => {
            Ok(a == b || (*a == TypeKind::Bool && *b == TypeKind::Int))
        }
        (Value::Class(_), Value::Type(_)) => Ok(false),
        (Value::Class(_) | Value::Type(_), _) => Err(class_error("issubclass")),
        _ => Err(Exception::type_error("issubclass() arg 1 must be a class")),
    }
}

fn is_object(c: &Class) -> bool {
    c.name == "object" && c.module == "builtins"
}

fn class_error(what: &str) -> Exception {
    Exception::type_error(format!(
        "{what}() arg 2 must be a type, a tuple of types, or a union"
    ))
}

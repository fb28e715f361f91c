//! The built-in classes that behave as classes (not as `Value::Type` conversions): `object`,
//! the exception hierarchy, and the `NotImplemented` singleton's class. They are made once
//! per process and shared by every session, so `except ValueError` matches an error raised
//! anywhere.

use std::sync::{Arc, LazyLock};

use indexmap::IndexMap;

use super::{Class, Instance};
use crate::lang::value::Value;

/// Every built-in exception and its base, in CPython 3.11's hierarchy.
pub const BUILTIN_EXCEPTIONS: &[(&str, &str)] = &[
    ("BaseException", "object"),
    ("SystemExit", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("GeneratorExit", "BaseException"),
    ("Exception", "BaseException"),
    ("StopIteration", "Exception"),
    ("ArithmeticError", "Exception"),
    ("FloatingPointError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("AssertionError", "Exception"),
    ("AttributeError", "Exception"),
    ("BufferError", "Exception"),
    ("EOFError", "Exception"),
    ("ImportError", "Exception"),
    ("ModuleNotFoundError", "ImportError"),
    ("LookupError", "Exception"),
    ("IndexError", "LookupError"),
    ("KeyError", "LookupError"),
    ("MemoryError", "Exception"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("OSError", "Exception"),
    ("FileExistsError", "OSError"),
    ("FileNotFoundError", "OSError"),
    ("IsADirectoryError", "OSError"),
    ("NotADirectoryError", "OSError"),
    ("PermissionError", "OSError"),
    ("TimeoutError", "OSError"),
    ("ReferenceError", "Exception"),
    ("RuntimeError", "Exception"),
    ("NotImplementedError", "RuntimeError"),
    ("RecursionError", "RuntimeError"),
    ("SyntaxError", "Exception"),
    ("IndentationError", "SyntaxError"),
    ("TabError", "IndentationError"),
    ("SystemError", "Exception"),
    ("TypeError", "Exception"),
    ("ValueError", "Exception"),
    ("UnicodeError", "ValueError"),
    ("UnicodeDecodeError", "UnicodeError"),
    ("Warning", "Exception"),
    ("UserWarning", "Warning"),
    ("DeprecationWarning", "Warning"),
    ("RuntimeWarning", "Warning"),
];

struct Registry {
    classes: IndexMap<&'static str, Arc<Class>>,
    not_implemented: Value,
}

fn plain_class(name: &str, bases: Vec<Arc<Class>>) -> Arc<Class> {
    match Class::new(name, name, "builtins", bases, IndexMap::new()) {
        Ok(c) => c,
        // Single inheritance from classes made just before: C3 always succeeds.
        Err(_) => unreachable!("the built-in hierarchy is a tree"),
    }
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    let mut classes = IndexMap::new();
    let object = plain_class("object", Vec::new());
    classes.insert("object", object.clone());
    for (name, base) in BUILTIN_EXCEPTIONS {
        let base = classes.get(base).cloned().unwrap_or_else(|| object.clone());
        classes.insert(*name, plain_class(name, vec![base]));
    }
    let not_implemented_type = plain_class("NotImplementedType", vec![object]);
    let not_implemented = Value::Instance(Instance::new(not_implemented_type));
    Registry {
        classes,
        not_implemented,
    }
});

/// `object`, or a built-in exception class, by name.
pub fn builtin_class(name: &str) -> Option<Arc<Class>> {
    REGISTRY.classes.get(name).cloned()
}

pub fn object_class() -> Arc<Class> {
    REGISTRY.classes["object"].clone()
}

/// The class of an exception raised by name; names outside the hierarchy (raised by host
/// code) count as plain `Exception`s.
pub fn exception_class(name: &str) -> Arc<Class> {
    builtin_class(name).unwrap_or_else(|| REGISTRY.classes["Exception"].clone())
}

pub fn is_exception_class(name: &str) -> bool {
    name != "object" && REGISTRY.classes.contains_key(name)
}

/// The `NotImplemented` singleton.
pub fn not_implemented() -> Value {
    REGISTRY.not_implemented.clone()
}

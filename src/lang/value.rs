//! Runtime values of the snippet language.

use std::sync::{Arc, Mutex, MutexGuard};

use super::ast::FunctionDef;
use super::dict::Dict;
use super::exception::Exception;
pub use super::host::HostObject;
use super::interp::{Code, Generator, Interp, IterSource, Scope};
use super::object::{Class, Descriptor, Instance, Method, Super};
use super::set::PySet;

pub type Shared<T> = Arc<Mutex<T>>;

/// Names to values in definition order (scopes, class dicts, builtins), with a fast
/// non-cryptographic hash: every variable read goes through one.
pub type NameMap<V = Value> = indexmap::IndexMap<String, V, foldhash::fast::FixedState>;

/// Locks a shared value. A poisoned lock only means another thread panicked mid-update;
/// the data is still the best we have, so keep going.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub fn shared<T>(value: T) -> Shared<T> {
    Arc::new(Mutex::new(value))
}

#[derive(Clone)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    /// An int outside the i64 range (never one that fits: see `ops::bigint::normalize`).
    BigInt(Arc<num_bigint::BigInt>),
    Float(f64),
    Str(Arc<str>),
    List(Shared<Vec<Value>>),
    Tuple(Arc<[Value]>),
    /// `start:stop:step` inside a subscript (each part `None` when left out).
    Slice(Arc<[Value; 3]>),
    /// `...`
    Ellipsis,
    Dict(Shared<Dict>),
    /// `d.keys()`, `d.values()`, `d.items()`: live views of a dict.
    DictView(DictViewKind, Shared<Dict>),
    Range(Arc<Range>),
    Function(Arc<Function>),
    Native(Arc<NativeFunction>),
    /// The built-in classes `int`, `float`, ...; calling one converts.
    Type(TypeKind),
    /// One-pass iterators (`zip`, `enumerate`, `reversed`, generator expressions).
    Iterator(Shared<PyIterator>),
    /// Objects implemented by the host (tensors, modules, the `torch` namespace...).
    Host(Arc<dyn HostObject>),
    /// A class made by a `class` statement, `object`, or a built-in exception.
    Class(Arc<Class>),
    Instance(Arc<Instance>),
    /// A function bound to its receiver.
    Method(Arc<Method>),
    /// `property`, `staticmethod` and `classmethod` objects.
    Descriptor(Arc<Descriptor>),
    Super(Arc<Super>),
    Generator(Arc<Generator>),
    Set(Shared<PySet>),
    FrozenSet(Arc<PySet>),
}

// Values move through every evaluation result: keep them three words (a range or a type's
// name inline would make them four).
const _: () = assert!(std::mem::size_of::<Value>() <= 3 * std::mem::size_of::<usize>());

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DictViewKind {
    Keys,
    Values,
    Items,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl Range {
    pub fn len(&self) -> usize {
        let (lo, hi, step) = if self.step > 0 {
            (self.start as i128, self.stop as i128, self.step as i128)
        } else {
            (self.stop as i128, self.start as i128, -(self.step as i128))
        };
        if hi <= lo {
            0
        } else {
            ((hi - lo + step - 1) / step).min(usize::MAX as i128) as usize
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<i64> {
        (i < self.len()).then(|| self.start + self.step * i as i64)
    }
}

/// The built-in classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeKind {
    NoneType,
    Bool,
    Int,
    Float,
    Str,
    List,
    Tuple,
    Dict,
    Set,
    FrozenSet,
    Range,
    Function,
    BuiltinFunction,
    Type,
    /// Any other class, by name (iterators, views, host classes).
    Named(Arc<str>),
}

impl TypeKind {
    pub fn name(&self) -> &str {
        match self {
            TypeKind::NoneType => "NoneType",
            TypeKind::Bool => "bool",
            TypeKind::Int => "int",
            TypeKind::Float => "float",
            TypeKind::Str => "str",
            TypeKind::List => "list",
            TypeKind::Tuple => "tuple",
            TypeKind::Dict => "dict",
            TypeKind::Set => "set",
            TypeKind::FrozenSet => "frozenset",
            TypeKind::Range => "range",
            TypeKind::Function => "function",
            TypeKind::BuiltinFunction => "builtin_function_or_method",
            TypeKind::Type => "type",
            TypeKind::Named(n) => n,
        }
    }
}

/// A `def` or `lambda` closed over its defining scopes.
pub struct Function {
    pub def: Arc<FunctionDef>,
    /// Default values, evaluated once at definition time (one per parameter, `None` when absent).
    pub defaults: Vec<Option<Value>>,
    /// What its calls share: the scopes it closes over, its file, its class (for `super()`).
    pub code: Arc<Code>,
    /// The globals of the module that defined it (a prelude module's, or the program's).
    pub globals: Arc<Scope>,
    /// `Outer.method` for a function defined in a class body.
    pub qualname: Arc<str>,
    /// `__dict__`: attributes set on the function object, made when first needed (most
    /// functions never get one, and closures are made at every call of their outer function).
    pub attributes: std::sync::OnceLock<Shared<super::dict::Dict>>,
    pub gc: super::heap::Slot,
}

impl Function {
    /// `__dict__`, made on first use.
    pub fn attributes(&self) -> &Shared<super::dict::Dict> {
        self.attributes
            .get_or_init(|| shared(super::dict::Dict::new()))
    }

    /// An attribute set on the function object.
    pub fn attribute(&self, name: &str) -> Option<Value> {
        lock(self.attributes.get()?).get_str(name)
    }
}

/// `__class__`: the class its methods were defined in (for zero-argument `super()`), set
/// once the class body has run. Shared by those methods.
pub type ClassCell = Arc<ClassSlot>;

#[derive(Default)]
pub struct ClassSlot {
    class: std::sync::OnceLock<Arc<Class>>,
    /// The cell and its class refer to each other (through the methods): tracked.
    pub gc: super::heap::Slot,
}

impl ClassSlot {
    pub fn get(&self) -> Option<&Arc<Class>> {
        self.class.get()
    }

    pub fn set(&self, class: Arc<Class>) {
        let _ = self.class.set(class);
    }
}

pub type NativeFn = dyn Fn(&mut Interp<'_>, Args) -> Result<Value, Exception> + Send + Sync;

/// A function implemented in Rust (a builtin, a bound method, a host function).
pub struct NativeFunction {
    pub name: String,
    pub f: Box<NativeFn>,
}

impl NativeFunction {
    pub fn value(
        name: impl Into<String>,
        f: impl Fn(&mut Interp<'_>, Args) -> Result<Value, Exception> + Send + Sync + 'static,
    ) -> Value {
        Value::Native(Arc::new(NativeFunction {
            name: name.into(),
            f: Box::new(f),
        }))
    }
}

/// A one-pass iterator object (`zip`, `enumerate`, `map`, `iter(list)`...).
pub struct PyIterator {
    pub kind: &'static str,
    pub source: IterSource,
}

/// Call arguments.
#[derive(Clone, Default)]
pub struct Args {
    pub positional: Vec<Value>,
    pub keywords: Vec<(String, Value)>,
}

impl Args {
    pub fn new(positional: Vec<Value>) -> Args {
        Args {
            positional,
            keywords: Vec::new(),
        }
    }

    /// Matches arguments to `params` by position then keyword, as Python does for a
    /// function `name(params...)`; the first `required` parameters must be given.
    pub fn bind(
        &self,
        name: &str,
        params: &[&str],
        required: usize,
    ) -> Result<Vec<Option<Value>>, Exception> {
        if self.positional.len() > params.len() {
            return Err(Exception::type_error(format!(
                "{name}() takes {} positional argument{} but {} were given",
                params.len(),
                if params.len() == 1 { "" } else { "s" },
                self.positional.len()
            )));
        }
        let mut bound: Vec<Option<Value>> = self.positional.iter().cloned().map(Some).collect();
        bound.resize(params.len(), None);
        for (key, value) in &self.keywords {
            let Some(i) = params.iter().position(|p| p == key) else {
                return Err(Exception::type_error(format!(
                    "{name}() got an unexpected keyword argument '{key}'"
                )));
            };
            if bound[i].is_some() {
                return Err(Exception::type_error(format!(
                    "{name}() got multiple values for argument '{key}'"
                )));
            }
            bound[i] = Some(value.clone());
        }
        if let Some(missing) = (0..required.min(params.len())).find(|&i| bound[i].is_none()) {
            return Err(Exception::type_error(format!(
                "{name}() missing required argument '{}' (pos {})",
                params[missing],
                missing + 1
            )));
        }
        Ok(bound)
    }

    /// Rejects keyword arguments for functions that take none.
    pub fn no_keywords(&self, name: &str) -> Result<(), Exception> {
        match self.keywords.first() {
            Some((key, _)) => Err(Exception::type_error(format!(
                "{name}() got an unexpected keyword argument '{key}'"
            ))),
            None => Ok(()),
        }
    }
}

impl Value {
    pub fn str(s: impl Into<Arc<str>>) -> Value {
        Value::Str(s.into())
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(shared(items))
    }

    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(items.into())
    }

    pub fn host(object: impl HostObject) -> Value {
        Value::Host(Arc::new(object))
    }

    pub fn type_kind(&self) -> TypeKind {
        match self {
            Value::None => TypeKind::NoneType,
            Value::Bool(_) => TypeKind::Bool,
            Value::Int(_) | Value::BigInt(_) => TypeKind::Int,
            Value::Float(_) => TypeKind::Float,
            Value::Str(_) => TypeKind::Str,
            Value::List(_) => TypeKind::List,
            Value::Tuple(_) => TypeKind::Tuple,
            Value::Slice(_) => TypeKind::Named("slice".into()),
            Value::Ellipsis => TypeKind::Named("ellipsis".into()),
            Value::Dict(d) => super::collections::dict_type(d),
            Value::DictView(kind, _) => TypeKind::Named(
                match kind {
                    DictViewKind::Keys => "dict_keys",
                    DictViewKind::Values => "dict_values",
                    DictViewKind::Items => "dict_items",
                }
                .into(),
            ),
            Value::Range(_) => TypeKind::Range,
            Value::Function(_) => TypeKind::Function,
            Value::Native(_) => TypeKind::BuiltinFunction,
            Value::Type(_) => TypeKind::Type,
            Value::Iterator(it) => TypeKind::Named(lock(it).kind.into()),
            Value::Host(h) => TypeKind::Named(h.type_name().into()),
            Value::Class(_) => TypeKind::Type,
            Value::Instance(i) => TypeKind::Named(i.class.name.as_str().into()),
            Value::Method(_) => TypeKind::Named("method".into()),
            Value::Descriptor(d) => TypeKind::Named(
                match **d {
                    Descriptor::Property { .. } => "property",
                    Descriptor::StaticMethod(_) => "staticmethod",
                    Descriptor::ClassMethod(_) => "classmethod",
                }
                .into(),
            ),
            Value::Super(_) => TypeKind::Named("super".into()),
            Value::Generator(_) => TypeKind::Named("generator".into()),
            Value::Set(_) => TypeKind::Set,
            Value::FrozenSet(_) => TypeKind::FrozenSet,
        }
    }

    /// The class name used in error messages (`'int' object is not callable`).
    pub fn type_name(&self) -> String {
        self.type_kind().name().to_string()
    }

    /// Python's `is`: identity for mutable and host objects, equality of immutable atoms.
    pub fn is(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::None, Value::None) | (Value::Ellipsis, Value::Ellipsis) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::BigInt(a), Value::BigInt(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => Arc::ptr_eq(a, b),
            (Value::Tuple(a), Value::Tuple(b)) => Arc::ptr_eq(a, b),
            (Value::Dict(a), Value::Dict(b)) => Arc::ptr_eq(a, b),
            (Value::Function(a), Value::Function(b)) => Arc::ptr_eq(a, b),
            (Value::Native(a), Value::Native(b)) => Arc::ptr_eq(a, b),
            (Value::Type(a), Value::Type(b)) => a == b,
            (Value::Iterator(a), Value::Iterator(b)) => Arc::ptr_eq(a, b),
            (Value::Class(a), Value::Class(b)) => Arc::ptr_eq(a, b),
            (Value::Instance(a), Value::Instance(b)) => Arc::ptr_eq(a, b),
            (Value::Method(a), Value::Method(b)) => Arc::ptr_eq(a, b),
            (Value::Descriptor(a), Value::Descriptor(b)) => Arc::ptr_eq(a, b),
            (Value::Generator(a), Value::Generator(b)) => Arc::ptr_eq(a, b),
            (Value::Set(a), Value::Set(b)) => Arc::ptr_eq(a, b),
            (Value::FrozenSet(a), Value::FrozenSet(b)) => Arc::ptr_eq(a, b),
            (Value::Host(a), Value::Host(b)) => match (a.identity(), b.identity()) {
                (Some(x), Some(y)) => x == y && a.type_name() == b.type_name(),
                _ => std::ptr::addr_eq(Arc::as_ptr(a), Arc::as_ptr(b)),
            },
            _ => false,
        }
    }

    /// An `int` (or `bool`) as i64.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(*b as i64),
            _ => None,
        }
    }

    /// A Python real number (`int`, `bool` or `float`) as f64.
    pub fn as_float(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            Value::BigInt(b) => num_traits::ToPrimitive::to_f64(&**b),
            other => other.as_int().map(|i| i as f64),
        }
    }

    /// The items of a list or tuple (a snapshot).
    pub fn as_sequence(&self) -> Option<Vec<Value>> {
        match self {
            Value::List(l) => Some(lock(l).clone()),
            Value::Tuple(t) => Some(t.to_vec()),
            _ => None,
        }
    }

    /// Downcasts a host value to its concrete type.
    pub fn as_host<T: HostObject>(&self) -> Option<&T> {
        match self {
            Value::Host(h) => h.as_any().downcast_ref::<T>(),
            _ => None,
        }
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&super::repr::repr(self))
    }
}

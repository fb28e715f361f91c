//! Classes and instances: Python's `type` and `object`, the method resolution order,
//! bound methods and the descriptors `property`, `staticmethod` and `classmethod`.

mod builtin_classes;
mod trace;

use crate::lang::value::NameMap;
use std::any::Any;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use indexmap::IndexMap;

pub use builtin_classes::{
    builtin_class, exception_class, is_exception_class, not_implemented, object_class,
    BUILTIN_EXCEPTIONS,
};

use super::dict::Dict;
use super::exception::Exception;
use super::value::{lock, shared, Shared, Value};

/// A class made by a `class` statement (or one of the built-in classes defined this way).
pub struct Class {
    pub name: String,
    pub qualname: String,
    /// `__main__` for classes defined by the running program.
    pub module: String,
    pub bases: Vec<Arc<Class>>,
    /// The method resolution order after the class itself (C3 linearisation).
    ancestors: Vec<Arc<Class>>,
    dict: Mutex<NameMap>,
    /// What `lookup` found (or did not) for each name asked, while no class changed.
    lookups: Mutex<LookupCache>,
    /// The attribute names its instances were given, first-set order: each new instance's
    /// dict starts with room for them, and shares their strings (as CPython's key-sharing
    /// dicts do) rather than allocating each name again.
    instance_keys: Mutex<Vec<Arc<str>>>,
    /// Whether it derives from `BaseException`, found on first use (every instantiation
    /// asks; the exception classes themselves are made before the answer can be).
    exception: OnceLock<bool>,
    gc: super::heap::Slot,
}

/// Names beyond this many are not shared (an instance used as a bag of many keys).
const SHARED_KEYS: usize = 32;

/// The class dicts' version: equal readings mean no class dict changed and no class was
/// made in between.
pub fn class_dicts_version() -> u64 {
    CLASS_DICTS_CHANGED.load(Ordering::Acquire)
}

/// Bumped after every change to any class's dict, and for every new class. Such changes
/// are rare (a class body runs before its class exists), so one counter for all classes
/// keeps invalidation simple: a subclass's cache depends on its ancestors' dicts too.
static CLASS_DICTS_CHANGED: AtomicU64 = AtomicU64::new(0);

#[derive(Default)]
struct LookupCache {
    version: u64,
    found: NameMap<Option<Value>>,
}

impl Class {
    pub fn new(
        name: &str,
        qualname: &str,
        module: &str,
        bases: Vec<Arc<Class>>,
        dict: IndexMap<String, Value>,
    ) -> Result<Arc<Class>, Exception> {
        let ancestors = linearize(&bases)?;
        // A new class may take a freed one's address: the version tells them apart.
        CLASS_DICTS_CHANGED.fetch_add(1, Ordering::Release);
        let class = Arc::new(Class {
            name: name.to_string(),
            qualname: qualname.to_string(),
            module: module.to_string(),
            bases,
            ancestors,
            dict: Mutex::new(dict.into_iter().collect()),
            lookups: Mutex::default(),
            instance_keys: Mutex::default(),
            exception: OnceLock::new(),
            gc: Default::default(),
        });
        // A class defined in a function refers to that function's scope through its
        // methods, and the scope to it.
        super::heap::track(&class);
        Ok(class)
    }

    /// `__mro__`: the class, then its ancestors in lookup order.
    pub fn mro(self: &Arc<Class>) -> Vec<Arc<Class>> {
        std::iter::once(self.clone())
            .chain(self.ancestors.iter().cloned())
            .collect()
    }

    /// The first definition of `name` along the MRO.
    pub fn lookup(&self, name: &str) -> Option<Value> {
        let version = CLASS_DICTS_CHANGED.load(Ordering::Acquire);
        {
            let mut cache = lock(&self.lookups);
            if cache.version != version {
                cache.found.clear();
                cache.version = version;
            } else if let Some(found) = cache.found.get(name) {
                return found.clone();
            }
        }
        let found = std::iter::once(self)
            .chain(self.ancestors.iter().map(|c| &**c))
            .find_map(|c| c.own(name));
        let mut cache = lock(&self.lookups);
        if cache.version == version {
            cache.found.insert(name.to_string(), found.clone());
        }
        found
    }

    /// Whether a property named `name` or a `__setattr__` along the MRO stands between
    /// `obj.name` and the instance dict (for reads, a property; writes, either).
    pub fn intercepts(&self, name: &str) -> bool {
        let property = match self.lookup(name) {
            Some(Value::Descriptor(d)) => matches!(*d, Descriptor::Property { .. }),
            _ => false,
        };
        property || matches!(self.lookup("__setattr__"), Some(Value::Function(_)))
    }

    /// `name` in the class's own dict.
    pub fn own(&self, name: &str) -> Option<Value> {
        lock(&self.dict).get(name).cloned()
    }

    /// The class's own dict, in definition order (`__dict__`).
    pub fn own_items(&self) -> Vec<(String, Value)> {
        lock(&self.dict)
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    pub fn set(&self, name: &str, value: Value) {
        lock(&self.dict).insert(name.to_string(), value);
        CLASS_DICTS_CHANGED.fetch_add(1, Ordering::Release);
    }

    /// Removes `name` from the class's own dict; whether it was there.
    pub fn remove(&self, name: &str) -> bool {
        let removed = lock(&self.dict).shift_remove(name).is_some();
        CLASS_DICTS_CHANGED.fetch_add(1, Ordering::Release);
        removed
    }

    /// `name` along the MRO, starting after `after` (for `super()`).
    pub fn lookup_after(self: &Arc<Class>, after: &Arc<Class>, name: &str) -> Option<Value> {
        let mro = self.mro();
        let start = mro.iter().position(|c| Arc::ptr_eq(c, after))? + 1;
        mro[start..].iter().find_map(|c| c.own(name))
    }

    pub fn is_subclass_of(&self, other: &Arc<Class>) -> bool {
        std::ptr::eq(self, Arc::as_ptr(other))
            || self.ancestors.iter().any(|c| Arc::ptr_eq(c, other))
    }

    /// The name Python prints for the class in tracebacks and reprs: qualified by its module
    /// unless that is `__main__` or `builtins`.
    pub fn display_name(&self) -> String {
        match self.module.as_str() {
            "__main__" | "builtins" => self.qualname.clone(),
            module => format!("{module}.{}", self.qualname),
        }
    }

    pub fn is_exception(&self) -> bool {
        *self
            .exception
            .get_or_init(|| self.is_subclass_of(&exception_class("BaseException")))
    }
}

/// C3: the MRO Python computes for a class with these bases.
fn linearize(bases: &[Arc<Class>]) -> Result<Vec<Arc<Class>>, Exception> {
    let mut sequences: Vec<Vec<Arc<Class>>> = bases.iter().map(|b| b.mro()).collect();
    sequences.push(bases.to_vec());
    let mut out: Vec<Arc<Class>> = Vec::new();
    loop {
        sequences.retain(|s| !s.is_empty());
        if sequences.is_empty() {
            return Ok(out);
        }
        let head = sequences.iter().map(|s| s[0].clone()).find(|candidate| {
            sequences
                .iter()
                .all(|s| !s[1..].iter().any(|c| Arc::ptr_eq(c, candidate)))
        });
        let Some(head) = head else {
            let names: Vec<&str> = bases.iter().map(|b| b.name.as_str()).collect();
            return Err(Exception::type_error(format!(
                "Cannot create a consistent method resolution order (MRO) for bases {}",
                names.join(", ")
            )));
        };
        for s in &mut sequences {
            if Arc::ptr_eq(&s[0], &head) {
                s.remove(0);
            }
        }
        out.push(head);
    }
}

/// An instance of a user class.
pub struct Instance {
    pub class: Arc<Class>,
    /// `__dict__`, shared so that `vars(obj)` is live.
    pub dict: Shared<Dict>,
    /// `args` of exception instances.
    pub args: Mutex<Arc<[Value]>>,
    /// State that Rust code keeps for instances of the classes it defines (an autograd
    /// `ctx`), out of sight of `__dict__`.
    pub host: OnceLock<Arc<dyn Any + Send + Sync>>,
    gc: super::heap::Slot,
}

/// The `args` every instance starts with, shared: an empty `Arc<[Value]>` still allocates.
fn no_args() -> Arc<[Value]> {
    static EMPTY: OnceLock<Arc<[Value]>> = OnceLock::new();
    EMPTY.get_or_init(|| Arc::from(Vec::new())).clone()
}

impl Instance {
    pub fn new(class: Arc<Class>) -> Arc<Instance> {
        let room = lock(&class.instance_keys).len();
        let instance = Arc::new(Instance {
            class,
            dict: shared(Dict::with_capacity(room)),
            args: Mutex::new(no_args()),
            host: OnceLock::new(),
            gc: Default::default(),
        });
        super::heap::track(&instance);
        instance
    }

    pub fn get(&self, name: &str) -> Option<Value> {
        lock(&self.dict).get_str(name)
    }

    pub fn set(&self, name: &str, value: Value) {
        lock(&self.dict).set_str_with(name, value, |name| {
            let mut keys = lock(&self.class.instance_keys);
            if let Some(key) = keys.iter().find(|k| ***k == *name) {
                return key.clone();
            }
            let key: Arc<str> = name.into();
            if keys.len() < SHARED_KEYS {
                keys.push(key.clone());
            }
            key
        });
    }

    pub fn args(&self) -> Arc<[Value]> {
        lock(&self.args).clone()
    }
}

/// A function bound to its receiver (`obj.method`, or a class for class methods).
pub struct Method {
    pub receiver: Value,
    pub function: Value,
}

/// The wrappers a class body applies with decorators.
pub enum Descriptor {
    Property {
        fget: Value,
        fset: Value,
        fdel: Value,
    },
    StaticMethod(Value),
    ClassMethod(Value),
}

/// `super()` / `super(Class, obj)`: lookups start after `after` in the MRO of `obj`'s class.
pub struct Super {
    pub after: Arc<Class>,
    /// The instance (or, in a class method, the class) the lookup binds to.
    pub receiver: Value,
    pub receiver_class: Arc<Class>,
}

/// The class a value belongs to, for user classes and the built-in classes defined here.
pub fn class_of(value: &Value) -> Option<Arc<Class>> {
    match value {
        Value::Instance(i) => Some(i.class.clone()),
        _ => None,
    }
}

/// `super(class, receiver)`: lookups after `class` in the receiver's MRO.
pub fn make_super(class: &Arc<Class>, receiver: Value) -> Result<Value, Exception> {
    let receiver_class = match &receiver {
        Value::Instance(i) => i.class.clone(),
        Value::Class(c) => c.clone(),
        other => {
            return Err(Exception::type_error(format!(
                "super(type, obj): obj must be an instance or subtype of type, not {}",
                other.type_name()
            )))
        }
    };
    if !receiver_class.is_subclass_of(class) {
        return Err(Exception::type_error(
            "super(type, obj): obj must be an instance or subtype of type",
        ));
    }
    Ok(Value::Super(Arc::new(Super {
        after: class.clone(),
        receiver,
        receiver_class,
    })))
}

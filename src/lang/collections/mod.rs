//! Python's `collections` module: `OrderedDict`, `defaultdict`, `Counter`, `namedtuple`, `deque`.
//!
//! The three dict classes are not separate objects but dicts carrying a `DictKind` tag
//! (`dict_kinds.rs`). In CPython they are dict subclasses and learners rely on exactly that:
//! `isinstance(d, dict)`, `d[k]`, `.items()`, `dict(counter)`, a state dict's tensors printed
//! inside `OrderedDict([...])`. A tag keeps every one of those on the dict's own code paths,
//! where a wrapper object would have to forward each of them. Namedtuples and deques are host
//! objects; a namedtuple reports its items as a tuple so that it hashes and compares as one.

mod deque;
mod dict_kinds;
mod namedtuple;

use indexmap::IndexMap;

use super::namespace::Namespace;
use super::value::Value;

pub use dict_kinds::{
    counter_binary, dict_attribute, dict_method, dict_type, dicts_equal, display_form, missing,
    DictClass,
};
pub use namedtuple::record;

/// The `collections` module object.
pub fn module() -> Value {
    let mut attrs = IndexMap::new();
    for name in ["OrderedDict", "defaultdict", "Counter"] {
        attrs.insert(name.to_string(), Value::host(DictClass(name)));
    }
    attrs.insert("namedtuple".to_string(), namedtuple::factory());
    attrs.insert("deque".to_string(), deque::class());
    Value::host(Namespace::new("collections", attrs))
}

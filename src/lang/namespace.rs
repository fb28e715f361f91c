//! Module objects: a name and its attributes (`math`, and the host's `torch`, `torch.nn`...).

use std::any::Any;

use indexmap::IndexMap;

use super::exception::Exception;
use super::value::{HostObject, Value};

/// The modules CPython compiles into its executable, which print as `(built-in)`.
const BUILT_IN: &[&str] = &["gc", "itertools"];

pub struct Namespace {
    pub name: String,
    pub attrs: IndexMap<String, Value>,
}

impl Namespace {
    pub fn new(name: impl Into<String>, attrs: IndexMap<String, Value>) -> Namespace {
        Namespace {
            name: name.into(),
            attrs,
        }
    }
}

impl HostObject for Namespace {
    fn type_name(&self) -> String {
        "module".into()
    }
    fn repr(&self) -> String {
        match BUILT_IN.contains(&self.name.as_str()) {
            true => format!("<module '{}' (built-in)>", self.name),
            // CPython names the file the others came from, a path of its machine's.
            false => format!("<module '{}'>", self.name),
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> Result<Value, Exception> {
        self.attrs.get(name).cloned().ok_or_else(|| {
            Exception::attribute_error(format!("module '{}' has no attribute '{name}'", self.name))
        })
    }
}

//! `obj.name` reads and writes on instances through the attribute node's inline cache
//! (`ast::AttrCache`). A hit checks the class's address, the class dicts' version and the
//! key at the cached index, so it skips hashing the name in the class's lookup cache and in
//! the instance dict (and, for a write, the lookup of `__setattr__`).

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

use super::super::ast::AttrName;
use super::super::exception::Exception;
use super::super::object::{class_dicts_version, Instance};
use super::super::value::{lock, Value};
use super::Interp;

impl Interp<'_> {
    pub(super) fn load_attr(
        &mut self,
        object: &Value,
        attr: &AttrName,
    ) -> Result<Value, Exception> {
        let Value::Instance(inst) = object else {
            return self.get_attr(object, &attr.name);
        };
        if describes(inst, attr) {
            if let Some(v) =
                cached_index(attr).and_then(|i| lock(&inst.dict).str_at(i, &attr.name).cloned())
            {
                return Ok(v);
            }
        }
        let version = class_dicts_version();
        let value = self.get_attr(object, &attr.name)?;
        remember(inst, attr, version);
        Ok(value)
    }

    pub(super) fn store_attr(
        &mut self,
        object: &Value,
        attr: &AttrName,
        value: Value,
    ) -> Result<(), Exception> {
        let Value::Instance(inst) = object else {
            return self.set_attr(object, &attr.name, value);
        };
        if describes(inst, attr) {
            // Nothing intercepts the name, so the write goes to the dict even where the entry
            // is missing (a new instance's `__init__` setting its attributes).
            let mut dict = lock(&inst.dict);
            match cached_index(attr).and_then(|i| dict.str_at(i, &attr.name)) {
                Some(slot) => *slot = value,
                None => {
                    drop(dict);
                    inst.set(&attr.name, value);
                }
            }
            return Ok(());
        }
        let version = class_dicts_version();
        self.set_attr(object, &attr.name, value)?;
        remember(inst, attr, version);
        Ok(())
    }
}

/// Whether the cache was filled for `inst`'s class as it is now, which proves that nothing
/// on the class intercepts the name.
fn describes(inst: &Instance, attr: &AttrName) -> bool {
    let cache = &attr.cache;
    cache.class.load(Relaxed) == Arc::as_ptr(&inst.class) as usize
        && cache.version.load(Relaxed) == class_dicts_version()
}

/// Where the name was in the instance dict when the cache was filled.
fn cached_index(attr: &AttrName) -> Option<usize> {
    attr.cache
        .index
        .load(Relaxed)
        .checked_sub(1)
        .map(|i| i as usize)
}

/// Fills the cache after a lookup that began at class dicts' `version`, when the name is a
/// plain entry of the instance dict that nothing on the class intercepts.
fn remember(inst: &Instance, attr: &AttrName, version: u64) {
    let Some(index) = lock(&inst.dict).str_index(&attr.name) else {
        return;
    };
    if inst.class.intercepts(&attr.name) {
        return;
    }
    let cache = &attr.cache;
    cache
        .class
        .store(Arc::as_ptr(&inst.class) as usize, Relaxed);
    cache.version.store(version, Relaxed);
    cache.index.store(index as u64 + 1, Relaxed);
}

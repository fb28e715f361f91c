//! Reads and writes of `Global` names through their inline caches (`ast::NameCache`): a
//! hit costs one indexed read and a comparison of the name instead of hashing it, and for
//! a builtin, instead of hashing it twice (a miss in the globals, then the builtins).

use std::sync::atomic::Ordering::Relaxed;

use super::super::ast::GlobalName;
use super::super::exception::Exception;
use super::super::value::{lock, Value};
use super::{not_defined, Interp};

impl Interp<'_> {
    pub(super) fn load_global(&self, g: &GlobalName) -> Result<Value, Exception> {
        let cache = &g.cache;
        let vars = lock(&self.globals.vars);
        if let Some(i) = vars.cached_index(&g.name, &cache.global) {
            return Ok(vars.map[i].clone());
        }
        // The version proves the globals still lack the name.
        if cache.version.load(Relaxed) == vars.version {
            if let Some((name, value)) =
                index(cache.builtin.load(Relaxed)).and_then(|i| self.builtins.get_index(i))
            {
                if *name == g.name {
                    return Ok(value.clone());
                }
            }
        }
        if let Some((i, _, value)) = vars.map.get_full(g.name.as_str()) {
            cache.global.store(i as u64 + 1, Relaxed);
            return Ok(value.clone());
        }
        match self.builtins.get_full(g.name.as_str()) {
            Some((i, _, value)) => {
                cache.builtin.store(i as u64 + 1, Relaxed);
                cache.version.store(vars.version, Relaxed);
                Ok(value.clone())
            }
            None => Err(not_defined(&g.name)),
        }
    }

    pub(super) fn store_global(&self, g: &GlobalName, value: Value) {
        lock(&self.globals.vars).set_cached(&g.name, value, &g.cache.global);
    }
}

/// The index a cache entry holds (stored plus one, so that 0 means none).
fn index(entry: u64) -> Option<usize> {
    entry.checked_sub(1).map(|i| i as usize)
}

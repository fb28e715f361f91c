//! Reads and writes of `Global` names through their inline caches (`ast::NameCache`): a
//! hit costs one indexed read and a comparison of the name instead of hashing it (no
//! comparison either while the globals' key version is the one it was compared at), and
//! for a builtin, instead of hashing it twice (a miss in the globals, then the builtins).

use std::sync::atomic::Ordering::Relaxed;

use super::super::ast::GlobalName;
use super::super::exception::Exception;
use super::super::value::{lock, Value};
use super::{not_defined, Interp, Vars};

impl Interp<'_> {
    pub(super) fn load_global(&self, g: &GlobalName) -> Result<Value, Exception> {
        let cache = &g.cache;
        let vars = lock(&self.globals.vars);
        if let Some(value) = global_index(&vars, g).and_then(|i| vars.map.get_index(i)) {
            return Ok(value.1.clone());
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
            cache.global_keys.store(vars.version, Relaxed);
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
        let mut vars = lock(&self.globals.vars);
        if let Some(slot) = global_index(&vars, g).and_then(|i| vars.map.get_index_mut(i)) {
            *slot.1 = value;
            return;
        }
        vars.set_cached(&g.name, value, &g.cache.global);
        g.cache.global_keys.store(vars.version, Relaxed);
    }
}

/// Where `g` is in the globals, through its cache: without comparing the name while the
/// globals' keys are as they were when it was last compared.
fn global_index(vars: &Vars, g: &GlobalName) -> Option<usize> {
    let cache = &g.cache;
    if cache.global_keys.load(Relaxed) == vars.version {
        return index(cache.global.load(Relaxed));
    }
    let i = vars.cached_index(&g.name, &cache.global)?;
    cache.global_keys.store(vars.version, Relaxed);
    Some(i)
}

/// The index a cache entry holds (stored plus one, so that 0 means none).
fn index(entry: u64) -> Option<usize> {
    entry.checked_sub(1).map(|i| i as usize)
}

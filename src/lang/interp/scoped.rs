//! Reads and writes of `Scoped` names (a function's captured locals and the names it reads
//! from enclosing functions) straight from the scope `compile` found for them, through the
//! index they were at last (`ast::IndexCache`). A name an enclosing function binds but
//! has no value for is CPython's free-variable `NameError`; anything else not found that
//! way takes the dynamic path (`lookup`, `bind`).

use std::sync::atomic::Ordering::Relaxed;

use super::super::ast::{IndexCache, ScopeRef, ScopedName};
use super::super::exception::Exception;
use super::super::value::{lock, Value};
use super::{Interp, LocalNames, Scope, Vars};

impl Interp<'_> {
    pub(super) fn load_scoped(&self, s: &ScopedName) -> Result<Value, Exception> {
        if let Some(scope) = self.scope_of(s.scope) {
            let vars = lock(&scope.vars);
            if let Some(i) = cached(&vars, &s.name, &s.cache) {
                return Ok(vars.map[i].clone());
            }
            if let Some((i, _, value)) = vars.map.get_full(s.name.as_str()) {
                s.cache.0.store(i as u64 + 1, Relaxed);
                return Ok(value.clone());
            }
            // The enclosing function binds the name but has not yet (or no longer): Python
            // does not look further out.
            if let ScopeRef::Enclosing { .. } = s.scope {
                return Err(Exception::new(
                    "NameError",
                    format!(
                        "cannot access free variable '{}' where it is not associated with a \
                         value in enclosing scope",
                        s.name
                    ),
                ));
            }
        }
        self.lookup(&s.name)
    }

    /// Writes go straight to the function's own scope; a write to an enclosing function's
    /// name (`nonlocal`) takes the dynamic path.
    pub(super) fn store_scoped(&mut self, s: &ScopedName, value: Value) {
        let own = match s.scope {
            ScopeRef::Own => self.scope_of(ScopeRef::Own),
            ScopeRef::Enclosing { .. } => None,
        };
        let Some(scope) = own else {
            return self.bind(&s.name, value);
        };
        let mut vars = lock(&scope.vars);
        if let Some(i) = cached(&vars, &s.name, &s.cache) {
            vars.map[i] = value;
            return;
        }
        let i = match vars.map.get_full_mut(s.name.as_str()) {
            Some((i, _, slot)) => {
                *slot = value;
                i
            }
            None => {
                let (i, _) = vars.map.insert_full(s.name.clone(), value);
                vars.keys_changed();
                i
            }
        };
        s.cache.0.store(i as u64 + 1, Relaxed);
    }

    /// The scope `place` names in the running code, when the code is a function's and its
    /// chain of enclosing scopes is the one `compile` counted.
    fn scope_of(&self, place: ScopeRef) -> Option<&Scope> {
        let Some((own, LocalNames::Function(_))) = &self.env.locals else {
            return None;
        };
        match place {
            ScopeRef::Own => Some(own),
            ScopeRef::Enclosing { index, of } => {
                let chain = &self.env.code.enclosing;
                (chain.len() == of as usize).then(|| &*chain[index as usize])
            }
        }
    }
}

/// Where `cache` says `name` is in `vars`, when the name there is still `name`.
fn cached(vars: &Vars, name: &str, cache: &IndexCache) -> Option<usize> {
    let i = cache.0.load(Relaxed).checked_sub(1)? as usize;
    vars.map
        .get_index(i)
        .is_some_and(|(key, _)| key == name)
        .then_some(i)
}

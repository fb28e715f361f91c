//! Reads and writes of `Scoped` names (a function's captured locals and the names it reads
//! from enclosing functions) straight from the scope `compile` found for them, through the
//! index they were at last (`ast::IndexCache`). A name an enclosing function binds but
//! has no value for is CPython's free-variable `NameError`; anything else not found that
//! way takes the dynamic path (`lookup`, `bind`).

use super::super::ast::{ScopeRef, ScopedName};
use super::super::exception::Exception;
use super::super::value::{lock, Value};
use super::{Interp, LocalNames, Scope};

impl Interp<'_> {
    pub(super) fn load_scoped(&self, s: &ScopedName) -> Result<Value, Exception> {
        if let Some(scope) = self.scope_of(s.scope) {
            if let Some(value) = lock(&scope.vars).get_cached(&s.name, &s.cache.0) {
                return Ok(value);
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
        lock(&scope.vars).set_cached(&s.name, value, &s.cache.0);
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

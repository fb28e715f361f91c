//! The pass between parsing and running: resolves names to where they live at run time.
//!
//! - A function local that no nested scope (function, lambda, class body, or a comprehension
//!   that keeps its own scope) mentions is only ever read and written by its own function's
//!   code, so it lives in a per-call slot vector and its `Name` nodes become `Local { slot }`.
//! - A comprehension without a lambda inside runs in its enclosing frame (outside class
//!   bodies): its targets take slots after the frame's own, so they still do not leak, and
//!   the names it reads resolve as in the code around it.
//! - Inside a function, a name that neither it nor an enclosing function binds can only be a
//!   global or a builtin: `Global`, which skips the scope chain. So is every name of
//!   module-level code (and of the comprehensions running in its frame). A `Global` keeps an
//!   inline cache of where it was found (`ast::NameCache`).
//! - Inside a function, its own locals that nested scopes capture, and names that an
//!   enclosing function binds, become `Scoped`: the call's shared scope, or the innermost
//!   enclosing scope that binds the name, counted as the run-time chain of enclosing scopes
//!   is (one per function and per comprehension with a scope of its own; class bodies add
//!   none). Each keeps the index it was found at (`ast::IndexCache`); whatever it does not
//!   find there takes the dynamic path, which decides as before.
//!
//! Every other name keeps the dynamic path (the call's shared scope, enclosing scopes,
//! globals, builtins); so does class-body code, and comprehensions with a scope of their own.

mod walk;

use std::collections::HashSet;
use std::sync::Arc;

use super::ast::{
    Comprehension, Expr, ExprKind, FrameLayout, FunctionBody, FunctionDef, GlobalName, IndexCache,
    Module, ParamKind, ScopeRef, ScopedName, Stmt, StmtKind,
};
use walk::Visitor;

/// Resolves the names of every function and comprehension in `module`.
pub fn resolve(module: &mut Module) {
    let mut annotate = Annotate {
        at_module: true,
        ..Annotate::default()
    };
    walk::block(&mut annotate, &mut module.body);
}

/// The names each enclosing scope of some code binds, outermost first: one entry per scope
/// of the run-time chain (`interp::Closure`).
type Levels = Vec<Vec<String>>;

/// Resolves `def`, nested in scopes that bind `enclosing`.
fn resolve_function(def: &mut FunctionDef, enclosing: Levels) {
    let mut captured = Captured::default();
    match &mut def.body {
        FunctionBody::Block(body) => walk::block(&mut captured, body),
        FunctionBody::Lambda(e) => captured.expr(e),
    }
    let slots: Vec<String> = def
        .locals
        .iter()
        .filter(|n| !captured.names.contains(*n))
        .cloned()
        .collect();
    let param_slots: Vec<Option<usize>> = def
        .params
        .iter()
        .map(|p| slots.iter().position(|n| *n == p.name))
        .collect();
    let positional = param_slots.iter().all(Option::is_some)
        && def
            .params
            .iter()
            .all(|p| matches!(p.kind, ParamKind::Normal | ParamKind::PositionalOnly));
    let mut annotate = Annotate {
        next_slot: slots.len(),
        slots: slots.clone(),
        function: Some(FunctionNames {
            locals: def.locals.clone(),
            globals: def.globals.clone(),
            enclosing,
        }),
        ..Annotate::default()
    };
    match &mut def.body {
        FunctionBody::Block(body) => walk::block(&mut annotate, body),
        FunctionBody::Lambda(e) => annotate.expr(e),
    }
    def.frame = FrameLayout {
        slots,
        param_slots,
        positional,
    };
}

fn is_comprehension(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::ListComp { .. }
            | ExprKind::GeneratorExp { .. }
            | ExprKind::SetComp { .. }
            | ExprKind::DictComp { .. }
    )
}

/// A comprehension that can run in its enclosing frame: nothing inside it closes over its
/// targets, because nothing inside it is a lambda.
fn is_flat_comprehension(e: &mut Expr) -> bool {
    struct FindLambda(bool);
    impl Visitor for FindLambda {
        fn expr(&mut self, e: &mut Expr) {
            self.0 |= matches!(e.kind, ExprKind::Lambda(_));
            walk::expr(self, e);
        }
        fn stmt(&mut self, _: &mut Stmt) {}
    }
    if !is_comprehension(e) {
        return false;
    }
    let mut find = FindLambda(false);
    walk::expr(&mut find, e);
    !find.0
}

fn comprehension_parts(e: &mut Expr) -> Option<(&mut [Comprehension], Vec<&mut Expr>)> {
    match &mut e.kind {
        ExprKind::ListComp { elt, generators }
        | ExprKind::GeneratorExp { elt, generators }
        | ExprKind::SetComp { elt, generators } => Some((generators, vec![&mut **elt])),
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => Some((generators, vec![&mut **key, &mut **value])),
        _ => None,
    }
}

/// The names mentioned inside nested scopes (over-approximated: any mention captures).
#[derive(Default)]
struct Captured {
    nested: bool,
    names: HashSet<String>,
}

impl Captured {
    fn nested(&mut self, visit: impl FnOnce(&mut Captured)) {
        let outer = std::mem::replace(&mut self.nested, true);
        visit(self);
        self.nested = outer;
    }
}

impl Visitor for Captured {
    fn expr(&mut self, e: &mut Expr) {
        match &e.kind {
            ExprKind::Name(n) | ExprKind::NamedExpr { name: n, .. } if self.nested => {
                self.names.insert(n.clone());
            }
            _ => {}
        }
        let own_scope = is_comprehension(e) && !is_flat_comprehension(e);
        if matches!(e.kind, ExprKind::Lambda(_)) || own_scope {
            self.nested(|c| walk::expr(c, e));
        } else {
            walk::expr(self, e);
        }
    }

    fn stmt(&mut self, s: &mut Stmt) {
        match &s.kind {
            StmtKind::Nonlocal(names) if self.nested => self.names.extend(names.iter().cloned()),
            StmtKind::FunctionDef(_) | StmtKind::ClassDef(_) => {
                return self.nested(|c| walk::stmt(c, s));
            }
            _ => {}
        }
        walk::stmt(self, s);
    }
}

/// What the function being annotated binds or declares global, and what the scopes around
/// it bind.
#[derive(Clone)]
struct FunctionNames {
    locals: Vec<String>,
    globals: Vec<String>,
    enclosing: Levels,
}

/// Rewrites names to slots and globals, and resolves the functions nested in what it visits.
#[derive(Default)]
struct Annotate {
    /// The running function's slot locals (empty outside functions).
    slots: Vec<String>,
    /// Targets of the flat comprehensions being visited, innermost last, with their slots.
    targets: Vec<(String, usize)>,
    /// The first slot after the frame's own and those of the comprehensions being visited.
    next_slot: usize,
    /// Set while visiting a function's own code (not a class body or a comprehension with a
    /// scope of its own inside it).
    function: Option<FunctionNames>,
    /// Names bound by the scopes around the code being visited (for nested functions).
    enclosing: Levels,
    /// Directly in a class body, whose comprehensions keep their own scope (they must not
    /// see the class's names).
    in_class: bool,
    /// In module-level code (or a comprehension running in its frame), whose names are the
    /// module's globals.
    at_module: bool,
}

impl Annotate {
    /// Visits code with a scope of its own that is not a function: `scope_names` are the
    /// names it binds, which functions nested in it see.
    fn own_scope(
        &mut self,
        in_class: bool,
        scope_names: Vec<String>,
        visit: impl FnOnce(&mut Annotate),
    ) {
        let mut enclosing = self.names_seen_by_nested();
        if !in_class {
            enclosing.push(scope_names);
        }
        let mut inner = Annotate {
            enclosing,
            in_class,
            ..Annotate::default()
        };
        visit(&mut inner);
    }

    /// The scopes a function defined here closes over. (Flat comprehensions' targets are
    /// not among them: nothing that closes over names is ever inside a flat comprehension.)
    fn names_seen_by_nested(&self) -> Levels {
        match &self.function {
            Some(f) => {
                let mut levels = f.enclosing.clone();
                levels.push(f.locals.clone());
                levels
            }
            None => self.enclosing.clone(),
        }
    }

    fn name(&self, name: &str) -> Option<ExprKind> {
        let slot = self
            .targets
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, s)| *s)
            .or_else(|| self.slots.iter().position(|n| n == name));
        if let Some(slot) = slot {
            return Some(ExprKind::Local {
                slot,
                name: name.to_string(),
            });
        }
        if self.at_module {
            return Some(ExprKind::Global(GlobalName::new(name)));
        }
        let f = self.function.as_ref()?;
        let bound = |names: &[String]| names.iter().any(|n| n == name);
        let scope = if bound(&f.locals) {
            ScopeRef::Own
        } else {
            match f.enclosing.iter().rposition(|level| bound(level)) {
                None => return Some(ExprKind::Global(GlobalName::new(name))),
                // Declared `global` here, yet bound around: the dynamic path knows the rules.
                Some(_) if bound(&f.globals) => return None,
                Some(index) => ScopeRef::Enclosing {
                    index: index as u32,
                    of: f.enclosing.len() as u32,
                },
            }
        };
        Some(ExprKind::Scoped(ScopedName {
            name: name.to_string(),
            scope,
            cache: IndexCache::default(),
        }))
    }

    /// A comprehension run in the current frame: the first iterable is evaluated outside
    /// its scope, everything else inside, where the targets have slots of their own.
    fn flat_comprehension(&mut self, e: &mut Expr) {
        let Some((generators, results)) = comprehension_parts(e) else {
            return;
        };
        let mut names = Vec::new();
        for g in generators.iter() {
            g.target.target_names(&mut names);
        }
        if let Some(first) = generators.first_mut() {
            self.expr(&mut first.iter);
        }
        let start = self.next_slot;
        let depth = self.targets.len();
        for name in names {
            self.targets.push((name, self.next_slot));
            self.next_slot += 1;
        }
        for (i, g) in generators.iter_mut().enumerate() {
            if i > 0 {
                self.expr(&mut g.iter);
            }
            self.expr(&mut g.target);
            g.ifs.iter_mut().for_each(|c| self.expr(c));
        }
        for r in results {
            self.expr(r);
        }
        if let Some(first) = generators.first_mut() {
            first.frame = Some(start..self.next_slot);
        }
        self.targets.truncate(depth);
        self.next_slot = start;
    }

    fn resolve_nested(&self, def: &mut FunctionDef) {
        resolve_function(def, self.names_seen_by_nested());
    }
}

impl Visitor for Annotate {
    fn expr(&mut self, e: &mut Expr) {
        if is_comprehension(e) {
            if !self.in_class && is_flat_comprehension(e) {
                return self.flat_comprehension(e);
            }
            let mut names = Vec::new();
            if let Some((generators, _)) = comprehension_parts(e) {
                generators
                    .iter()
                    .for_each(|g| g.target.target_names(&mut names));
            }
            return self.own_scope(false, names, |a| walk::expr(a, e));
        }
        match &mut e.kind {
            ExprKind::Name(name) => {
                if let Some(kind) = self.name(name) {
                    e.kind = kind;
                }
            }
            ExprKind::Lambda(def) => {
                let def = Arc::make_mut(def);
                for p in &mut def.params {
                    if let Some(d) = &mut p.default {
                        self.expr(d);
                    }
                }
                self.resolve_nested(def);
            }
            _ => walk::expr(self, e),
        }
    }

    fn stmt(&mut self, s: &mut Stmt) {
        match &mut s.kind {
            StmtKind::FunctionDef(def) => {
                let def = Arc::make_mut(def);
                def.decorators.iter_mut().for_each(|d| self.expr(d));
                for p in &mut def.params {
                    if let Some(d) = &mut p.default {
                        self.expr(d);
                    }
                }
                self.resolve_nested(def);
            }
            StmtKind::ClassDef(def) => {
                let def = Arc::make_mut(def);
                def.decorators.iter_mut().for_each(|d| self.expr(d));
                def.bases.iter_mut().for_each(|b| self.expr(b));
                def.keywords
                    .iter_mut()
                    .for_each(|k| self.expr(&mut k.value));
                self.own_scope(true, Vec::new(), |a| walk::block(a, &mut def.body));
            }
            _ => walk::stmt(self, s),
        }
    }
}

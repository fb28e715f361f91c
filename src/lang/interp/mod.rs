//! Tree-walking evaluator. Python exceptions travel as `Err(Exception)`; `break`, `continue`
//! and `return` as `Flow`. Statements are in `stmt.rs`, expressions in `expr.rs`.

mod assign;
mod call;
mod expr;
mod iter;
mod stmt;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use indexmap::IndexMap;

use super::ast::FunctionDef;
use super::diagnostics::SourceFile;
use super::exception::Exception;
use super::value::{lock, Value};

pub use iter::{collect, iter_value, iterator, not_iterable, ValueIter};

/// Where `print` and `plot` send their output.
pub trait Sink: Send {
    fn print(&mut self, text: &str);
    fn plot(&mut self, label: &str, value: f64);
}

/// One namespace: the module globals, or one call's locals.
#[derive(Default)]
pub struct Scope {
    vars: Mutex<IndexMap<String, Value>>,
}

impl Scope {
    pub fn new() -> Arc<Scope> {
        Arc::new(Scope::default())
    }

    pub fn get(&self, name: &str) -> Option<Value> {
        lock(&self.vars).get(name).cloned()
    }

    pub fn set(&self, name: &str, value: Value) {
        let mut vars = lock(&self.vars);
        match vars.get_mut(name) {
            Some(slot) => *slot = value,
            None => {
                vars.insert(name.to_string(), value);
            }
        }
    }

    pub fn remove(&self, name: &str) -> bool {
        lock(&self.vars).shift_remove(name).is_some()
    }

    pub fn contains(&self, name: &str) -> bool {
        lock(&self.vars).contains_key(name)
    }

    /// All bindings in the order they were first made.
    pub fn snapshot(&self) -> Vec<(String, Value)> {
        lock(&self.vars)
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    pub fn clear(&self) {
        lock(&self.vars).clear();
    }
}

/// Which names a function-like scope treats as its own.
#[derive(Clone)]
enum LocalNames {
    Function(Arc<FunctionDef>),
    Comprehension(Vec<String>),
}

/// The scopes visible to the code being executed.
#[derive(Clone)]
pub(crate) struct Env {
    /// `None` at module level, where locals are the globals.
    locals: Option<(Arc<Scope>, LocalNames)>,
    /// Enclosing function scopes, outermost first.
    enclosing: Vec<Arc<Scope>>,
    /// For tracebacks.
    function: String,
    source: Arc<SourceFile>,
}

impl Env {
    pub(crate) fn module(source: Arc<SourceFile>) -> Env {
        Env {
            locals: None,
            enclosing: Vec::new(),
            function: "<module>".into(),
            source,
        }
    }

    fn is_local(&self, name: &str) -> bool {
        match &self.locals {
            Some((_, LocalNames::Function(def))) => def.locals.iter().any(|n| n == name),
            Some((_, LocalNames::Comprehension(names))) => names.iter().any(|n| n == name),
            None => false,
        }
    }

    fn is_declared_global(&self, name: &str) -> bool {
        matches!(&self.locals, Some((_, LocalNames::Function(def))) if def.globals.iter().any(|n| n == name))
    }

    /// The scopes a nested function defined here closes over.
    fn closure(&self) -> Vec<Arc<Scope>> {
        let mut scopes = self.enclosing.clone();
        if let Some((locals, _)) = &self.locals {
            scopes.push(locals.clone());
        }
        scopes
    }
}

/// Limits that turn runaway programs into exceptions.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub recursion_depth: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            recursion_depth: 1000,
        }
    }
}

/// The state of one running program: scopes, output, limits.
pub struct Interp<'a> {
    globals: Arc<Scope>,
    builtins: Arc<IndexMap<String, Value>>,
    modules: Arc<IndexMap<String, Value>>,
    sink: &'a mut dyn Sink,
    interrupt: Arc<AtomicBool>,
    limits: Limits,
    depth: usize,
    env: Env,
}

impl<'a> Interp<'a> {
    pub(crate) fn new(
        globals: Arc<Scope>,
        builtins: Arc<IndexMap<String, Value>>,
        modules: Arc<IndexMap<String, Value>>,
        sink: &'a mut dyn Sink,
        interrupt: Arc<AtomicBool>,
        limits: Limits,
        source: Arc<SourceFile>,
    ) -> Interp<'a> {
        Interp {
            globals,
            builtins,
            modules,
            sink,
            interrupt,
            limits,
            depth: 0,
            env: Env::module(source),
        }
    }

    pub fn print(&mut self, text: &str) {
        self.sink.print(text);
    }

    /// A module-level binding (or builtin), for host code that needs session state.
    pub fn global(&self, name: &str) -> Option<Value> {
        self.globals
            .get(name)
            .or_else(|| self.builtins.get(name).cloned())
    }

    pub fn plot(&mut self, label: &str, value: f64) {
        self.sink.plot(label, value);
    }

    /// Raises `KeyboardInterrupt` once if the interrupt flag was set, and `MemoryError` once
    /// memory has grown past the budget. Checked at every statement; long host operations may
    /// call it.
    pub fn check_interrupt(&self) -> Result<(), Exception> {
        // Load first: checked at every statement, and a plain load is cheaper than a swap.
        if self.interrupt.load(Ordering::Relaxed) && self.interrupt.swap(false, Ordering::Relaxed) {
            return Err(Exception::keyboard_interrupt());
        }
        Ok(crate::guard::check()?)
    }

    fn lookup(&self, name: &str) -> Result<Value, Exception> {
        if let Some((locals, _)) = &self.env.locals {
            if self.env.is_local(name) {
                return locals.get(name).ok_or_else(|| {
                    Exception::new(
                        "UnboundLocalError",
                        format!("cannot access local variable '{name}' where it is not associated with a value"),
                    )
                });
            }
            if !self.env.is_declared_global(name) {
                if let Some(v) = self.env.enclosing.iter().rev().find_map(|s| s.get(name)) {
                    return Ok(v);
                }
            }
        }
        self.globals
            .get(name)
            .or_else(|| self.builtins.get(name).cloned())
            .ok_or_else(|| Exception::new("NameError", format!("name '{name}' is not defined")))
    }

    fn bind(&self, name: &str, value: Value) {
        if let Some((locals, _)) = &self.env.locals {
            if self.env.is_local(name) {
                locals.set(name, value);
                return;
            }
            if !self.env.is_declared_global(name) {
                if let Some(scope) = self.env.enclosing.iter().rev().find(|s| s.contains(name)) {
                    scope.set(name, value);
                    return;
                }
            }
        }
        self.globals.set(name, value);
    }

    fn unbind(&self, name: &str) -> Result<(), Exception> {
        let removed = match &self.env.locals {
            Some((locals, _)) if self.env.is_local(name) => locals.remove(name),
            _ => self.globals.remove(name),
        };
        if removed {
            Ok(())
        } else {
            Err(Exception::new(
                "NameError",
                format!("name '{name}' is not defined"),
            ))
        }
    }
}

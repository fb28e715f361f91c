//! Tree-walking evaluator. Python exceptions travel as `Err(Exception)`; `break`, `continue`
//! and `return` as `Flow`. Statements are in `stmt.rs`, expressions in `expr.rs`.

mod assign;
mod attributes;
mod call;
mod class;
mod dunder;
mod expr;
mod generator;
mod globals;
mod instance_attrs;
mod iter;
mod pool;
mod raise;
mod scoped;
mod stmt;
mod trace;

use crate::lang::value::NameMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::ast::FunctionDef;
use super::diagnostics::SourceFile;
use super::exception::Exception;
use super::heap;
use super::object;
use super::value::{lock, ClassCell, Value};

pub use generator::Generator;
pub use iter::{collect, iterator, iterator_from, not_iterable, IterSource, NativeStep, ValueIter};

/// Where `print` and `plot` send their output.
pub trait Sink: Send {
    fn print(&mut self, text: &str);
    fn plot(&mut self, label: &str, value: f64);
}

/// One namespace: the module globals, or one call's locals.
#[derive(Default)]
pub struct Scope {
    vars: Mutex<Vars>,
    /// Whether the heap tracks it (from when a closure first captured it).
    tracked: AtomicBool,
    gc: heap::Slot,
}

#[derive(Default)]
struct Vars {
    map: NameMap,
    /// Changed whenever a name is added or removed, to a value no scope had before (0 only
    /// while nothing was ever added): equal versions mean the same names at the same indices.
    version: u64,
}

/// Where key versions come from, so that two scopes never share one.
static KEY_VERSIONS: AtomicU64 = AtomicU64::new(1);

impl Vars {
    fn keys_changed(&mut self) {
        self.version = KEY_VERSIONS.fetch_add(1, Ordering::Relaxed);
    }

    /// Where an inline cache's `entry` (1 + an index, or 0: `ast::NameCache`,
    /// `ast::IndexCache`) says `name` is, when the name there is still `name`.
    fn cached_index(&self, name: &str, entry: &AtomicU64) -> Option<usize> {
        let i = entry.load(Ordering::Relaxed).checked_sub(1)? as usize;
        self.map
            .get_index(i)
            .is_some_and(|(key, _)| key == name)
            .then_some(i)
    }

    /// `name`'s value, through `entry` or by hashing; a hashed find is left in `entry`.
    fn get_cached(&self, name: &str, entry: &AtomicU64) -> Option<Value> {
        if let Some(i) = self.cached_index(name, entry) {
            return Some(self.map[i].clone());
        }
        let (i, _, value) = self.map.get_full(name)?;
        entry.store(i as u64 + 1, Ordering::Relaxed);
        Some(value.clone())
    }

    /// Binds `name` through `entry` or by hashing, and leaves where it is in `entry`.
    fn set_cached(&mut self, name: &str, value: Value, entry: &AtomicU64) {
        if let Some(i) = self.cached_index(name, entry) {
            self.map[i] = value;
            return;
        }
        let i = match self.map.get_full_mut(name) {
            Some((i, _, slot)) => {
                *slot = value;
                i
            }
            None => {
                let (i, _) = self.map.insert_full(name.to_string(), value);
                self.keys_changed();
                i
            }
        };
        entry.store(i as u64 + 1, Ordering::Relaxed);
    }
}

impl Scope {
    pub fn new() -> Arc<Scope> {
        Arc::new(Scope::default())
    }

    pub fn get(&self, name: &str) -> Option<Value> {
        lock(&self.vars).map.get(name).cloned()
    }

    pub fn set(&self, name: &str, value: Value) {
        let mut vars = lock(&self.vars);
        match vars.map.get_mut(name) {
            Some(slot) => *slot = value,
            None => {
                vars.map.insert(name.to_string(), value);
                vars.keys_changed();
            }
        }
    }

    pub fn remove(&self, name: &str) -> bool {
        let mut vars = lock(&self.vars);
        let removed = vars.map.shift_remove(name).is_some();
        if removed {
            vars.keys_changed();
        }
        removed
    }

    pub fn contains(&self, name: &str) -> bool {
        lock(&self.vars).map.contains_key(name)
    }

    pub fn is_empty(&self) -> bool {
        lock(&self.vars).map.is_empty()
    }

    /// `is_empty` for a scope no one else holds, without taking its lock.
    fn is_unused(&mut self) -> bool {
        match self.vars.get_mut() {
            Ok(vars) => vars.map.is_empty(),
            Err(poisoned) => poisoned.into_inner().map.is_empty(),
        }
    }

    /// All bindings in the order they were first made.
    pub fn snapshot(&self) -> Vec<(String, Value)> {
        lock(&self.vars)
            .map
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    pub fn clear(&self) {
        let mut vars = lock(&self.vars);
        vars.map.clear();
        vars.keys_changed();
    }

    /// Registers the scope with the heap, once: a closure captured it, so it can be part
    /// of a cycle (a function defined in it refers back to it).
    fn track(self: &Arc<Scope>) {
        if !self.tracked.swap(true, Ordering::Relaxed) {
            heap::track(self);
        }
    }
}

impl Drop for Vars {
    fn drop(&mut self) {
        if !self.map.is_empty() {
            heap::dispose(std::mem::take(&mut self.map));
        }
    }
}

/// Which names a function-like scope treats as its own.
#[derive(Clone)]
enum LocalNames {
    Function(Arc<FunctionDef>),
    Comprehension(Vec<String>),
    /// A class body: names it has bound are its own; functions defined in it do not see them.
    Class,
}

/// The enclosing function scopes a function closes over, outermost first; shared, since every
/// call of the function starts from them.
pub type Closure = Arc<[Arc<Scope>]>;

/// What every run of one piece of code shares: made once per function (and per class body,
/// module or comprehension run), so that a call clones one `Arc` for all of it.
pub struct Code {
    /// Enclosing function scopes, outermost first.
    enclosing: Closure,
    /// For tracebacks.
    function: Arc<str>,
    source: Arc<SourceFile>,
    /// The class a method was defined in, for zero-argument `super()`.
    class_cell: Option<ClassCell>,
    /// `Outer.inner` prefix for functions and classes defined here.
    qualname_prefix: Arc<str>,
}

impl Code {
    /// Whether functions with this code refer to enclosing function scopes (closures, and
    /// methods of classes defined in functions).
    fn closes_over_scopes(&self) -> bool {
        !self.enclosing.is_empty()
    }
}

/// The scopes visible to the code being executed.
#[derive(Clone)]
pub(crate) struct Env {
    /// `None` at module level, where locals are the globals.
    locals: Option<(Arc<Scope>, LocalNames)>,
    code: Arc<Code>,
    /// A function call's slot locals (see `FrameLayout`), and those of the comprehensions
    /// running in its frame (at module level, only those).
    slots: Vec<Option<Value>>,
}

impl Env {
    pub(crate) fn module(source: Arc<SourceFile>) -> Env {
        Env {
            locals: None,
            code: Arc::new(Code {
                enclosing: Closure::default(),
                function: "<module>".into(),
                source,
                class_cell: None,
                qualname_prefix: "".into(),
            }),
            slots: Vec::new(),
        }
    }

    /// The shared part of a function defined here, named `name`, whose inner definitions'
    /// qualified names start with `qualname_prefix`.
    fn code_for_function(&self, name: Arc<str>, qualname_prefix: Arc<str>) -> Arc<Code> {
        Arc::new(Code {
            enclosing: self.closure(),
            function: name,
            source: self.code.source.clone(),
            class_cell: self.code.class_cell.clone(),
            qualname_prefix,
        })
    }

    /// The slot of `name` when it is one of the running function's slot locals.
    fn slot_of(&self, name: &str) -> Option<usize> {
        match &self.locals {
            Some((_, LocalNames::Function(def))) => def.frame.slot_of(name),
            _ => None,
        }
    }

    fn is_local(&self, name: &str) -> bool {
        match &self.locals {
            Some((_, LocalNames::Function(def))) => def.locals.iter().any(|n| n == name),
            Some((_, LocalNames::Comprehension(names))) => names.iter().any(|n| n == name),
            Some((_, LocalNames::Class)) | None => false,
        }
    }

    fn is_declared_global(&self, name: &str) -> bool {
        matches!(&self.locals, Some((_, LocalNames::Function(def))) if def.globals.iter().any(|n| n == name))
    }

    /// The scopes a nested function defined here closes over.
    fn closure(&self) -> Closure {
        match &self.locals {
            None => self.code.enclosing.clone(),
            // Each method gets its own copy: a slice shared by all of them would have
            // several owners, which the cycle collector cannot look through (a class
            // defined in a function and that function's scope refer to each other).
            Some((_, LocalNames::Class)) => self.code.enclosing.iter().cloned().collect(),
            Some((locals, _)) => {
                locals.track();
                self.code
                    .enclosing
                    .iter()
                    .chain([locals])
                    .cloned()
                    .collect()
            }
        }
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
    builtins: Arc<NameMap>,
    modules: Arc<NameMap>,
    sink: &'a mut dyn Sink,
    interrupt: Arc<AtomicBool>,
    limits: Limits,
    depth: usize,
    env: Env,
    /// Set on a generator's own thread: where `yield` hands values to the consumer.
    generator: Option<generator::Link>,
    /// Exceptions being handled by `except` blocks, innermost last (for a bare `raise`).
    handling: Vec<Exception>,
    pool: pool::FramePool,
}

impl<'a> Interp<'a> {
    pub(crate) fn new(
        globals: Arc<Scope>,
        builtins: Arc<NameMap>,
        modules: Arc<NameMap>,
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
            generator: None,
            handling: Vec::new(),
            pool: pool::FramePool::default(),
        }
    }

    pub fn print(&mut self, text: &str) {
        self.sink.print(text);
    }

    /// A module-level binding (or builtin), for host code that needs session state.
    /// `globals()`: a snapshot of the module namespace.
    pub fn globals_dict(&self) -> Value {
        let mut dict = super::dict::Dict::new();
        for (k, v) in self.globals.snapshot() {
            dict.set_str(&k, v);
        }
        Value::Dict(super::value::shared(dict))
    }

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

    fn read_slot(&self, slot: usize, name: &str) -> Result<Value, Exception> {
        match self.env.slots.get(slot) {
            Some(Some(v)) => Ok(v.clone()),
            _ => Err(unbound_local(name)),
        }
    }

    fn write_slot(&mut self, slot: usize, value: Value) {
        if let Some(s) = self.env.slots.get_mut(slot) {
            *s = Some(value);
        }
    }

    fn lookup(&self, name: &str) -> Result<Value, Exception> {
        if let Some(slot) = self.env.slot_of(name) {
            return self.read_slot(slot, name);
        }
        if let Some((locals, LocalNames::Class)) = &self.env.locals {
            if let Some(v) = locals.get(name) {
                return Ok(v);
            }
        }
        if let Some((locals, _)) = &self.env.locals {
            if self.env.is_local(name) {
                return locals.get(name).ok_or_else(|| unbound_local(name));
            }
            if !self.env.is_declared_global(name) {
                if let Some(v) = self
                    .env
                    .code
                    .enclosing
                    .iter()
                    .rev()
                    .find_map(|s| s.get(name))
                {
                    return Ok(v);
                }
            }
        }
        self.lookup_global(name)
    }

    fn lookup_global(&self, name: &str) -> Result<Value, Exception> {
        self.globals
            .get(name)
            .or_else(|| self.builtins.get(name).cloned())
            .ok_or_else(|| not_defined(name))
    }

    fn bind(&mut self, name: &str, value: Value) {
        if let Some(slot) = self.env.slot_of(name) {
            return self.write_slot(slot, value);
        }
        if let Some((locals, LocalNames::Class)) = &self.env.locals {
            locals.set(name, value);
            return;
        }
        if let Some((locals, _)) = &self.env.locals {
            if self.env.is_local(name) {
                locals.set(name, value);
                return;
            }
            if !self.env.is_declared_global(name) {
                if let Some(scope) = self
                    .env
                    .code
                    .enclosing
                    .iter()
                    .rev()
                    .find(|s| s.contains(name))
                {
                    scope.set(name, value);
                    return;
                }
            }
        }
        self.globals.set(name, value);
    }

    pub(crate) fn unbind(&mut self, name: &str) -> Result<(), Exception> {
        if let Some(slot) = self.env.slot_of(name) {
            return self.unbind_slot(slot, name);
        }
        let removed = match &self.env.locals {
            Some((locals, LocalNames::Class)) => locals.remove(name),
            Some((locals, _)) if self.env.is_local(name) => locals.remove(name),
            _ => self.globals.remove(name),
        };
        if removed {
            Ok(())
        } else {
            Err(not_defined(name))
        }
    }
}

fn unbound_local(name: &str) -> Exception {
    Exception::new(
        "UnboundLocalError",
        format!("cannot access local variable '{name}' where it is not associated with a value"),
    )
}

pub(super) fn not_defined(name: &str) -> Exception {
    Exception::new("NameError", format!("name '{name}' is not defined"))
}

impl Interp<'_> {
    /// `del name` of a slot local.
    pub(crate) fn unbind_slot(&mut self, slot: usize, name: &str) -> Result<(), Exception> {
        match self.env.slots.get_mut(slot).and_then(Option::take) {
            Some(_) => Ok(()),
            None => Err(not_defined(name)),
        }
    }

    /// `name := value` binds in the enclosing function even inside a comprehension.
    fn bind_walrus(&mut self, name: &str, value: Value) {
        if let Some((_, LocalNames::Comprehension(_))) = &self.env.locals {
            match self.env.code.enclosing.last() {
                Some(scope) => scope.set(name, value),
                None => self.globals.set(name, value),
            }
            return;
        }
        self.bind(name, value);
    }

    /// Whether `f` is the builtin `name` (not shadowed by a user definition).
    fn is_builtin(&self, f: &Value, name: &str) -> bool {
        match (f, self.builtins.get(name)) {
            (Value::Native(a), Some(Value::Native(b))) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// `super()` inside a method: the defining class and the method's first argument.
    fn zero_arg_super(&mut self) -> Result<Value, Exception> {
        let class = self
            .env
            .code
            .class_cell
            .as_ref()
            .and_then(|cell| cell.get().cloned());
        let first = match &self.env.locals {
            Some((locals, LocalNames::Function(def))) => match def.frame.param_slots.first() {
                Some(Some(slot)) => self.env.slots.get(*slot).cloned().flatten(),
                _ => def.params.first().and_then(|p| locals.get(&p.name)),
            },
            _ => None,
        };
        match (class, first) {
            (Some(class), Some(first)) => object::make_super(&class, first),
            (None, _) => Err(Exception::runtime_error(
                "super(): __class__ cell not found",
            )),
            (_, None) => Err(Exception::runtime_error("super(): no arguments")),
        }
    }
}

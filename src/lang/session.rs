//! A running session: globals that persist across runs (REPL lines, lesson cells).

use crate::lang::value::NameMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::ast::{Stmt, StmtKind};
use super::builtins;
use super::collections;
use super::diagnostics::SourceFile;
use super::exception::Exception;
use super::files::{self, FileAccess};
use super::heap::Heap;
use super::interp::{Interp, Limits, Scope, Sink};
use super::math_module;
use super::namespace::Namespace;
use super::parser::parse;
use super::random_module;
use super::value::{lock, shared, Shared, Value};
use super::{functools_module, gc_module, itertools_module};

/// Evaluation runs on its own thread with this much stack, so that deep (but limited)
/// recursion in user code cannot overflow the caller's stack.
const EVAL_STACK_BYTES: usize = 256 << 20;

pub struct Session {
    globals: Arc<Scope>,
    builtins: Arc<NameMap>,
    modules: Arc<NameMap>,
    /// Names bound before any code runs (and again after `reset`).
    prelude: Vec<(String, Value)>,
    interrupt: Arc<AtomicBool>,
    limits: Limits,
    /// Which files `open()` (and `torch.save`/`torch.load`) may use.
    files: Shared<FileAccess>,
    /// Where the session's objects that can form cycles are tracked.
    heap: Arc<Heap>,
}

impl Default for Session {
    fn default() -> Session {
        Session::new()
    }
}

impl Session {
    pub fn new() -> Session {
        let files = shared(FileAccess::default());
        let mut builtins = builtins::table();
        builtins.insert("open".to_string(), files::open_builtin(files.clone()));
        Session {
            globals: Scope::new(),
            builtins: Arc::new(builtins),
            modules: Arc::new(
                [
                    ("math".to_string(), math_module::module()),
                    ("random".to_string(), random_module::module()),
                    ("collections".to_string(), collections::module()),
                    ("itertools".to_string(), itertools_module::module()),
                    ("functools".to_string(), functools_module::module()),
                    ("gc".to_string(), gc_module::module()),
                ]
                .into_iter()
                .collect(),
            ),
            prelude: Vec::new(),
            interrupt: Arc::new(AtomicBool::new(false)),
            limits: Limits::default(),
            files,
            heap: Arc::default(),
        }
    }

    /// Sets which folders files may be opened in, and where relative paths start.
    pub fn set_file_access(&mut self, access: FileAccess) {
        *lock(&self.files) = access;
    }

    /// The session's file rule, shared: changes made with `set_file_access` show through.
    pub fn file_access(&self) -> Shared<FileAccess> {
        self.files.clone()
    }

    /// Setting the flag makes the running program raise `KeyboardInterrupt` at its next statement.
    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        self.interrupt.clone()
    }

    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Binds `name` now and after every `reset` (e.g. `torch`, `nn`, `F`, `optim`).
    pub fn set_prelude(&mut self, name: &str, value: Value) {
        self.globals.set(name, value.clone());
        self.prelude.retain(|(n, _)| n != name);
        self.prelude.push((name.to_string(), value));
    }

    /// Makes `import name` (a dotted name such as `torch.nn.functional`) bind `value`.
    pub fn add_module(&mut self, name: &str, value: Value) {
        Arc::make_mut(&mut self.modules).insert(name.to_string(), value);
    }

    pub fn has_module(&self, name: &str) -> bool {
        self.modules.contains_key(name)
    }

    /// Runs each `(name, file, source)` of `modules`, in order, as the module `name` (a dotted
    /// name such as `torch.nn.modules.linear`): its own globals with `__name__` set, importing
    /// the modules added so far. Makes each importable and returns the module objects. `file`
    /// is the file name tracebacks show. All of them run on one evaluator thread: starting a
    /// thread per module cost a millisecond or more each, at every session start.
    pub fn load_modules(
        &mut self,
        modules: &[(&str, &str, &str)],
    ) -> Result<Vec<Value>, Exception> {
        on_eval_thread(self.heap.clone(), || {
            modules
                .iter()
                .map(|(name, file, source)| self.load_module(name, file, source))
                .collect()
        })
    }

    fn load_module(&mut self, name: &str, file: &str, source: &str) -> Result<Value, Exception> {
        let globals = Scope::new();
        globals.set("__name__", Value::str(name));
        let file = SourceFile::new(file, source);
        let mut module = parse(source).map_err(|errors| Exception::syntax(file.clone(), errors))?;
        super::compile::resolve(&mut module);
        let mut sink = Discard;
        let mut interp = Interp::new(
            globals.clone(),
            self.builtins.clone(),
            self.modules.clone(),
            &mut sink,
            self.interrupt.clone(),
            self.limits,
            file.clone(),
        );
        run_module(&mut interp, &module.body, &file)?;
        let value = Value::host(Namespace::new(
            name,
            globals.snapshot().into_iter().collect(),
        ));
        self.add_module(name, value.clone());
        Ok(value)
    }

    /// Runs a whole program (file / cell). `name` is the file name shown in tracebacks.
    pub fn run(&mut self, source: &str, name: &str, sink: &mut dyn Sink) -> Result<(), Exception> {
        self.execute(source, name, false, sink).map(|_| ())
    }

    /// REPL mode: like `run`, but a trailing expression statement's value is returned as its
    /// repr (`None` is not echoed).
    pub fn run_interactive(
        &mut self,
        source: &str,
        sink: &mut dyn Sink,
    ) -> Result<Option<String>, Exception> {
        self.execute(source, "<stdin>", true, sink)
    }

    /// User-visible global variables, in definition order (prelude bindings left out).
    pub fn variables(&self) -> Vec<(String, Value)> {
        self.globals
            .snapshot()
            .into_iter()
            .filter(|(name, value)| !self.prelude.iter().any(|(n, v)| n == name && v.is(value)))
            .collect()
    }

    /// Every global binding, prelude included, in definition order (for REPL completion).
    pub fn globals(&self) -> Vec<(String, Value)> {
        self.globals.snapshot()
    }

    /// Forgets every variable (the prelude is bound again).
    pub fn reset(&mut self) {
        self.globals.clear();
        for (name, value) in &self.prelude {
            self.globals.set(name, value.clone());
        }
    }

    fn execute(
        &mut self,
        source: &str,
        name: &str,
        echo: bool,
        sink: &mut dyn Sink,
    ) -> Result<Option<String>, Exception> {
        self.interrupt.store(false, Ordering::Relaxed);
        let file = SourceFile::new(name, source);
        let mut module = parse(source).map_err(|errors| Exception::syntax(file.clone(), errors))?;
        super::compile::resolve(&mut module);
        let mut interp = Interp::new(
            self.globals.clone(),
            self.builtins.clone(),
            self.modules.clone(),
            sink,
            self.interrupt.clone(),
            self.limits,
            file.clone(),
        );
        let body = &module.body;
        let interrupt = self.interrupt.clone();
        let work = move || -> Result<Option<String>, Exception> {
            // Tensor kernels poll the flag too, between blocks.
            let _watch = crate::guard::interrupt::watch(interrupt);
            let (last, init) = match body.split_last() {
                Some((last, init)) if echo && matches!(last.kind, StmtKind::Expr(_)) => {
                    (Some(last), init)
                }
                _ => (None, body.as_slice()),
            };
            run_module(&mut interp, init, &file)?;
            let Some(Stmt {
                kind: StmtKind::Expr(e),
                span,
            }) = last
            else {
                return Ok(None);
            };
            let value = interp
                .eval(e)
                .and_then(|value| match value {
                    Value::None => Ok(None),
                    value => interp.repr(&value).map(Some),
                })
                .map_err(|mut err| {
                    err.leave_frame(&file, "<module>", *span);
                    err
                })?;
            Ok(value)
        };
        on_eval_thread(self.heap.clone(), work)
    }
}

/// The session's globals are freed with it, and what its programs left in cycles (each
/// module-level function and the globals it refers to make one): on an evaluator thread,
/// whose stack deep structures need.
impl Drop for Session {
    fn drop(&mut self) {
        let globals = self.globals.clone();
        let heap = self.heap.clone();
        let _ = on_eval_thread(self.heap.clone(), move || {
            globals.clear();
            heap.collect();
            Ok(())
        });
    }
}

/// Output of code that must not print (prelude modules).
struct Discard;

impl Sink for Discard {
    fn print(&mut self, _text: &str) {}
    fn plot(&mut self, _label: &str, _value: f64) {}
}

/// Runs `work` on a thread with a large stack (see [`EVAL_STACK_BYTES`]), its new objects
/// tracked in `heap`.
fn on_eval_thread<T: Send>(
    heap: Arc<Heap>,
    work: impl FnOnce() -> Result<T, Exception> + Send,
) -> Result<T, Exception> {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("nnlearn-eval".into())
            .stack_size(EVAL_STACK_BYTES)
            .spawn_scoped(scope, || {
                Heap::install(heap);
                work()
            });
        match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(Exception::new(
                    "SystemError",
                    "internal error in the evaluator",
                ))
            }),
            Err(_) => Err(Exception::new(
                "MemoryError",
                "cannot start the evaluator thread",
            )),
        }
    })
}

fn run_module(
    interp: &mut Interp<'_>,
    body: &[Stmt],
    file: &Arc<SourceFile>,
) -> Result<(), Exception> {
    for stmt in body {
        interp.exec(stmt).map_err(|mut err| {
            err.leave_frame(file, "<module>", stmt.span);
            err
        })?;
    }
    Ok(())
}

//! Generators. The evaluator walks the syntax tree recursively, so a suspended generator
//! needs its own stack: each generator runs its body on a thread of its own, started by the
//! first `next()`, and hands control back and forth with its consumer over channels — only
//! one side runs at a time. What the body prints is buffered and replayed into the
//! consumer's sink in order; grad mode travels with each hand-over. Dropping a suspended
//! generator closes its channel, and the body unwinds with `GeneratorExit`.

use crate::lang::value::NameMap;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

use super::super::ast::FunctionBody;
use super::super::exception::Exception;
use super::super::heap::Heap;
use super::super::value::{lock, Args, Function, Value};
use super::stmt::Flow;
use super::{Env, Interp, Limits, Scope, Sink};
use crate::tensor;

/// A generator's thread stack. Pages are only touched as deep recursion needs them.
const GENERATOR_STACK_BYTES: usize = 64 << 20;

enum Resume {
    Next(Value),
    Throw(Exception),
}

/// What the body printed or plotted since the last hand-over.
#[derive(Default)]
struct Output(Vec<Emitted>);

enum Emitted {
    Print(String),
    Plot(String, f64),
}

/// The generator thread's sink: output collects here until the next hand-over.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Output>>);

impl Buffer {
    fn take(&self) -> Output {
        std::mem::take(&mut *lock(&self.0))
    }
}

impl Sink for Buffer {
    fn print(&mut self, text: &str) {
        lock(&self.0).0.push(Emitted::Print(text.to_string()));
    }
    fn plot(&mut self, label: &str, value: f64) {
        lock(&self.0)
            .0
            .push(Emitted::Plot(label.to_string(), value));
    }
}

enum Event {
    Yield(Value),
    Return(Value),
    Raise(Exception),
}

/// One message from the generator's thread: its output so far, then what happened.
struct Report {
    output: Output,
    grad_enabled: bool,
    event: Event,
}

/// The generator thread's end of the channels, held by its `Interp`.
pub(crate) struct Link {
    reports: Sender<Report>,
    resumes: Receiver<(Resume, bool)>,
    output: Buffer,
    /// Whether the consumer let go of the suspended generator (see `Heap::orphan`).
    orphaned: bool,
}

/// Everything needed to start the body.
struct Start {
    function: Arc<Function>,
    env: Env,
    globals: Arc<Scope>,
    builtins: Arc<NameMap>,
    modules: Arc<NameMap>,
    interrupt: Arc<AtomicBool>,
    limits: Limits,
    depth: usize,
    heap: Option<Arc<Heap>>,
}

enum State {
    Created(Box<Start>),
    Suspended {
        resumes: Sender<(Resume, bool)>,
        reports: Receiver<Report>,
    },
    Running,
    Finished,
}

pub struct Generator {
    name: String,
    state: Mutex<State>,
    /// The session's heap, which must know when a dropped generator unwinds on its own.
    heap: Option<Arc<Heap>>,
}

impl Drop for Generator {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
        if let (State::Suspended { .. }, Some(heap)) = (state, &self.heap) {
            heap.orphan();
        }
    }
}

/// The result of resuming: a yielded value, or the value the body returned.
pub(crate) enum Step {
    Yielded(Value),
    Returned(Value),
}

impl Generator {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `next(gen)`.
    pub(crate) fn next(&self, interp: &mut Interp<'_>) -> Result<Option<Value>, Exception> {
        match self.resume(interp, Resume::Next(Value::None))? {
            Step::Yielded(v) => Ok(Some(v)),
            Step::Returned(_) => Ok(None),
        }
    }

    fn resume(&self, interp: &mut Interp<'_>, resume: Resume) -> Result<Step, Exception> {
        let state = std::mem::replace(&mut *lock(&self.state), State::Running);
        let (resumes, reports) = match state {
            State::Created(start) => {
                if let Resume::Next(v) = &resume {
                    if !matches!(v, Value::None) {
                        *lock(&self.state) = State::Created(start);
                        return Err(Exception::type_error(
                            "can't send non-None value to a just-started generator",
                        ));
                    }
                }
                if let Resume::Throw(e) = resume {
                    *lock(&self.state) = State::Finished;
                    return Err(e);
                }
                spawn(*start)?
            }
            State::Suspended { resumes, reports } => (resumes, reports),
            State::Running => {
                *lock(&self.state) = State::Running;
                return Err(Exception::value_error("generator already executing"));
            }
            State::Finished => {
                *lock(&self.state) = State::Finished;
                return match resume {
                    Resume::Throw(e) => Err(e),
                    Resume::Next(_) => Ok(Step::Returned(Value::None)),
                };
            }
        };
        let handed = resumes.send((resume, tensor::is_grad_enabled())).is_ok();
        let report = if handed { reports.recv().ok() } else { None };
        let Some(report) = report else {
            *lock(&self.state) = State::Finished;
            return Err(Exception::runtime_error("generator stopped unexpectedly"));
        };
        let _ = tensor::set_grad_enabled(report.grad_enabled);
        for item in report.output.0 {
            match item {
                Emitted::Print(text) => interp.print(&text),
                Emitted::Plot(label, value) => interp.plot(&label, value),
            }
        }
        match report.event {
            Event::Yield(v) => {
                *lock(&self.state) = State::Suspended { resumes, reports };
                Ok(Step::Yielded(v))
            }
            Event::Return(v) => {
                *lock(&self.state) = State::Finished;
                Ok(Step::Returned(v))
            }
            Event::Raise(e) => {
                *lock(&self.state) = State::Finished;
                if interp.exception_matches_name(&e, "StopIteration") {
                    return Err(Exception::runtime_error("generator raised StopIteration"));
                }
                Err(e)
            }
        }
    }

    /// `gen.send(v)`, `gen.throw(exc)`, `gen.close()`.
    pub(crate) fn method(
        &self,
        interp: &mut Interp<'_>,
        name: &str,
        args: Args,
    ) -> Result<Value, Exception> {
        args.no_keywords(name)?;
        let arg = args.positional.first().cloned().unwrap_or(Value::None);
        let step = match name {
            "send" => self.resume(interp, Resume::Next(arg))?,
            "throw" => {
                let object = match &arg {
                    Value::Class(c) if c.is_exception() => {
                        interp.instantiate(c, Args::default())?
                    }
                    other => other.clone(),
                };
                let raised = interp.raised(object)?;
                self.resume(interp, Resume::Throw(raised))?
            }
            _ => {
                let finished = matches!(*lock(&self.state), State::Finished | State::Created(_));
                if finished {
                    *lock(&self.state) = State::Finished;
                    return Ok(Value::None);
                }
                let exit = Exception::new("GeneratorExit", "");
                return match self.resume(interp, Resume::Throw(exit)) {
                    Ok(Step::Yielded(_)) => {
                        Err(Exception::runtime_error("generator ignored GeneratorExit"))
                    }
                    Ok(Step::Returned(_)) => Ok(Value::None),
                    Err(e) if interp.exception_matches_name(&e, "GeneratorExit") => Ok(Value::None),
                    Err(e) => Err(e),
                };
            }
        };
        match step {
            Step::Yielded(v) => Ok(v),
            Step::Returned(v) => {
                let mut stop = Exception::new("StopIteration", "");
                if !matches!(v, Value::None) {
                    let object = interp.exception_object(&mut stop);
                    if let Value::Instance(inst) = &object {
                        *lock(&inst.args) = Arc::from(vec![v]);
                    }
                }
                Err(stop)
            }
        }
    }
}

/// The consumer's ends of a running generator's channels.
type Channels = (Sender<(Resume, bool)>, Receiver<Report>);

/// Starts the body on its own thread, waiting for the first resume.
fn spawn(start: Start) -> Result<Channels, Exception> {
    let (resume_tx, resume_rx) = channel::<(Resume, bool)>();
    let (report_tx, report_rx) = channel::<Report>();
    let body = move || run_body(start, report_tx, resume_rx);
    std::thread::Builder::new()
        .name("generator".into())
        .stack_size(GENERATOR_STACK_BYTES)
        .spawn(body)
        .map_err(|e| Exception::new("MemoryError", format!("cannot start a generator: {e}")))?;
    Ok((resume_tx, report_rx))
}

fn run_body(start: Start, reports: Sender<Report>, resumes: Receiver<(Resume, bool)>) {
    let Ok((first, grad_enabled)) = resumes.recv() else {
        return;
    };
    let _ = tensor::set_grad_enabled(grad_enabled);
    let buffer = Buffer::default();
    let mut sink = buffer.clone();
    let Start {
        function,
        env,
        globals,
        builtins,
        modules,
        interrupt,
        limits,
        depth,
        heap,
    } = start;
    if let Some(heap) = &heap {
        Heap::install(heap.clone());
    }
    let source = env.code.source.clone();
    let mut interp = Interp::new(
        globals, builtins, modules, &mut sink, interrupt, limits, source,
    );
    interp.depth = depth;
    interp.env = env;
    interp.generator = Some(Link {
        reports: reports.clone(),
        resumes,
        output: buffer.clone(),
        orphaned: false,
    });
    let event = match first {
        Resume::Throw(e) => Event::Raise(e),
        Resume::Next(_) => {
            let result = match &function.def.body {
                FunctionBody::Block(body) => interp.exec_block(body),
                FunctionBody::Lambda(e) => interp.eval(e).map(|_| Flow::Normal),
            };
            match result {
                Ok(Flow::Return(v)) => Event::Return(v),
                Ok(_) => Event::Return(Value::None),
                Err(mut e) => {
                    e.leave_frame(
                        &interp.env.code.source,
                        &interp.env.code.function,
                        function.def.span,
                    );
                    Event::Raise(e)
                }
            }
        }
    };
    let orphaned = interp.generator.as_ref().is_some_and(|link| link.orphaned);
    drop(interp);
    if let (true, Some(heap)) = (orphaned, &heap) {
        heap.orphan_done();
    }
    let _ = reports.send(Report {
        output: buffer.take(),
        grad_enabled: tensor::is_grad_enabled(),
        event,
    });
}

impl Interp<'_> {
    /// Calling a generator function: the generator, not yet started.
    pub(crate) fn make_generator(&self, function: &Arc<Function>, env: Env) -> Value {
        let start = Start {
            function: function.clone(),
            env,
            globals: function.globals.clone(),
            builtins: self.builtins.clone(),
            modules: self.modules.clone(),
            interrupt: self.interrupt.clone(),
            limits: self.limits,
            depth: self.depth + 1,
            heap: Heap::current(),
        };
        Value::Generator(Arc::new(Generator {
            name: function.def.name.clone(),
            heap: start.heap.clone(),
            state: Mutex::new(State::Created(Box::new(start))),
        }))
    }

    /// `yield value`: hands `value` to the consumer and waits to be resumed; returns what
    /// `send()` passed in.
    pub(crate) fn yield_value(&mut self, value: Value) -> Result<Value, Exception> {
        let Some(link) = &mut self.generator else {
            return Err(Exception::new("SyntaxError", "'yield' outside function"));
        };
        let report = Report {
            output: link.output.take(),
            grad_enabled: tensor::is_grad_enabled(),
            event: Event::Yield(value),
        };
        if link.reports.send(report).is_err() {
            link.orphaned = true;
            return Err(Exception::new("GeneratorExit", ""));
        }
        match link.resumes.recv() {
            Ok((resume, grad_enabled)) => {
                let _ = tensor::set_grad_enabled(grad_enabled);
                match resume {
                    Resume::Next(v) => Ok(v),
                    Resume::Throw(e) => Err(e),
                }
            }
            Err(_) => {
                link.orphaned = true;
                Err(Exception::new("GeneratorExit", ""))
            }
        }
    }

    /// `yield from iterable`: yields each item; the value is the sub-generator's return value.
    pub(crate) fn yield_from(&mut self, iterable: &Value) -> Result<Value, Exception> {
        if let Value::Generator(g) = iterable {
            let mut sent = Value::None;
            loop {
                match g.resume(self, Resume::Next(sent))? {
                    Step::Yielded(v) => sent = self.yield_value(v)?,
                    Step::Returned(v) => return Ok(v),
                }
            }
        }
        let mut it = self.iter(iterable)?;
        while let Some(item) = it.next(self)? {
            self.yield_value(item)?;
        }
        Ok(Value::None)
    }
}

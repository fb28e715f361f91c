//! A lesson's kernel: the session its cells run in, owned by a worker thread so that the
//! interface never waits on running code.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread;

use crate::lang::{Session, Sink};

use super::event::Event;

/// What the interface asks a kernel to do; jobs run one after another.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// Runs a cell (or a check) as a program; `name` appears in tracebacks.
    Run { code: String, name: String },
    /// A REPL line: a trailing expression's repr comes back in `Done`.
    Line(String),
}

/// What a kernel reports about the job it is running.
#[derive(Debug, Clone, PartialEq)]
pub enum KernelEvent {
    Output(String),
    Plot(String, f64),
    /// `Ok(echo)` (the repr of a REPL line's value), or the rendered error with its caret.
    Done(Result<Option<String>, String>),
}

/// The interface's handle on a lesson's session.
pub trait Kernel {
    /// Queues `job`; its events arrive later on the event channel, ending with `Done`.
    fn submit(&mut self, job: Job);
    /// Makes the running job raise `KeyboardInterrupt`.
    fn interrupt(&self);
    /// Tags this kernel's events, so reports from a replaced kernel can be ignored.
    fn id(&self) -> u64;
}

/// The real kernel: a thread that owns the session and runs jobs sent to it.
pub struct WorkerKernel {
    id: u64,
    jobs: Sender<Job>,
    events: Sender<Event>,
    interrupt: Arc<AtomicBool>,
}

impl WorkerKernel {
    /// Starts the worker on `session`; its events go to `events`. The thread ends when the
    /// kernel is dropped.
    pub fn start(session: Session, events: Sender<Event>) -> WorkerKernel {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let (jobs, receiver) = mpsc::channel();
        let interrupt = session.interrupt_flag();
        let worker_events = events.clone();
        // If the thread cannot start, the receiver is dropped and `submit` reports it.
        let _ = thread::Builder::new()
            .name("nnlearn-kernel".into())
            .spawn(move || {
                serve(
                    session,
                    receiver,
                    Reports {
                        id,
                        events: worker_events,
                    },
                )
            });
        WorkerKernel {
            id,
            jobs,
            events,
            interrupt,
        }
    }
}

impl Kernel for WorkerKernel {
    fn submit(&mut self, job: Job) {
        if self.jobs.send(job).is_err() {
            let error = "RuntimeError: the lesson's kernel has stopped; press r to restart it\n";
            let done = KernelEvent::Done(Err(error.to_string()));
            let _ = self.events.send(Event::Kernel(self.id, done));
        }
    }

    fn interrupt(&self) {
        self.interrupt.store(true, Ordering::Relaxed);
    }

    fn id(&self) -> u64 {
        self.id
    }
}

/// Sends one kernel's reports into the event channel.
#[derive(Clone)]
struct Reports {
    id: u64,
    events: Sender<Event>,
}

impl Reports {
    fn send(&self, report: KernelEvent) -> bool {
        self.events.send(Event::Kernel(self.id, report)).is_ok()
    }
}

fn serve(mut session: Session, jobs: Receiver<Job>, reports: Reports) {
    let mut sink = ChannelSink(reports.clone());
    for job in jobs {
        let result = match job {
            Job::Run { code, name } => session
                .run(&code, &name, &mut sink)
                .map(|()| None)
                .map_err(|e| e.render()),
            Job::Line(code) => session
                .run_interactive(&code, &mut sink)
                .map_err(|e| e.render()),
        };
        if !reports.send(KernelEvent::Done(result)) {
            return;
        }
    }
}

/// Streams `print` and `plot` to the interface as they happen.
struct ChannelSink(Reports);

impl Sink for ChannelSink {
    fn print(&mut self, text: &str) {
        self.0.send(KernelEvent::Output(text.to_string()));
    }

    fn plot(&mut self, label: &str, value: f64) {
        self.0.send(KernelEvent::Plot(label.to_string(), value));
    }
}

#[cfg(test)]
pub mod fake {
    //! A kernel that only records what it was asked; tests feed its events by hand.

    use super::{Job, Kernel};
    use std::cell::RefCell;
    use std::rc::Rc;

    #[derive(Default, Clone)]
    pub struct FakeKernel {
        pub jobs: Rc<RefCell<Vec<Job>>>,
        pub interrupts: Rc<RefCell<usize>>,
    }

    impl Kernel for FakeKernel {
        fn submit(&mut self, job: Job) {
            self.jobs.borrow_mut().push(job);
        }

        fn interrupt(&self) {
            *self.interrupts.borrow_mut() += 1;
        }

        fn id(&self) -> u64 {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// The worker streams output, then reports each job's end, in order.
    #[test]
    fn worker_runs_jobs_in_order_and_streams_output() {
        let (tx, rx) = mpsc::channel();
        let mut kernel = WorkerKernel::start(crate::lang::torch::new_session(), tx);
        kernel.submit(Job::Run {
            code: "x = 2\nprint(x + 1)".into(),
            name: "<cell 1>".into(),
        });
        kernel.submit(Job::Line("x * 10".into()));
        kernel.submit(Job::Run {
            code: "1 / 0".into(),
            name: "<cell 2>".into(),
        });
        let mut got = Vec::new();
        while got.len() < 4 {
            match rx.recv_timeout(Duration::from_secs(20)) {
                Ok(Event::Kernel(id, event)) => {
                    assert_eq!(id, kernel.id());
                    got.push(event)
                }
                Ok(_) => {}
                Err(e) => panic!("no event: {e}; got {got:?}"),
            }
        }
        assert_eq!(got[0], KernelEvent::Output("3\n".into()));
        assert_eq!(got[1], KernelEvent::Done(Ok(None)));
        assert_eq!(got[2], KernelEvent::Done(Ok(Some("20".into()))));
        let KernelEvent::Done(Err(error)) = &got[3] else {
            panic!("{:?}", got[3]);
        };
        assert!(
            error.ends_with("ZeroDivisionError: division by zero\n"),
            "{error}"
        );
    }

    #[test]
    fn interrupt_stops_a_long_loop_and_keeps_the_session() {
        let (tx, rx) = mpsc::channel();
        let mut kernel = WorkerKernel::start(crate::lang::torch::new_session(), tx);
        kernel.submit(Job::Run {
            code: "n = 0\nwhile True:\n    n += 1\n".into(),
            name: "<cell 1>".into(),
        });
        std::thread::sleep(Duration::from_millis(200));
        kernel.interrupt();
        kernel.submit(Job::Line("n > 0".into()));
        let mut done = Vec::new();
        while done.len() < 2 {
            match rx.recv_timeout(Duration::from_secs(20)) {
                Ok(Event::Kernel(_, KernelEvent::Done(result))) => done.push(result),
                Ok(_) => {}
                Err(e) => panic!("no event: {e}; got {done:?}"),
            }
        }
        let Err(error) = &done[0] else {
            panic!("{:?}", done[0]);
        };
        assert!(error.ends_with("KeyboardInterrupt\n"), "{error}");
        assert_eq!(done[1], Ok(Some("True".into())));
    }
}

//! Running one block on a worker thread while this thread streams its output.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

use crate::lang::{Session, Sink};

/// How often the console gets a `tick` while code runs (the live chart's frame rate).
pub const FRAME: Duration = Duration::from_millis(33);

/// Where a run's output goes.
pub trait Console {
    /// Text from `print` and echoed results.
    fn print(&mut self, text: &str);
    /// A `plot(value, label)` point.
    fn plot(&mut self, label: &str, value: f64);
    /// Called about every `FRAME` while code runs.
    fn tick(&mut self) {}
    /// The code stopped; called before its result or error is shown.
    fn finish(&mut self) {}
    /// A rendered exception, or a message about the REPL itself.
    fn error(&mut self, text: &str);
}

enum Event {
    Print(String),
    Plot(String, f64),
}

struct ChannelSink(Sender<Event>);

impl Sink for ChannelSink {
    fn print(&mut self, text: &str) {
        // A closed channel means the REPL is gone; the output has nowhere to go.
        let _ = self.0.send(Event::Print(text.to_string()));
    }

    fn plot(&mut self, label: &str, value: f64) {
        let _ = self.0.send(Event::Plot(label.to_string(), value));
    }
}

/// Runs `source` in `session`, echoing a trailing expression's value like Python's REPL.
pub fn run_block(session: &mut Session, source: &str, console: &mut dyn Console) {
    let (sender, events) = mpsc::channel();
    let result = std::thread::scope(|scope| {
        let worker = scope.spawn(move || session.run_interactive(source, &mut ChannelSink(sender)));
        loop {
            match events.recv_timeout(FRAME) {
                Ok(Event::Print(text)) => console.print(&text),
                Ok(Event::Plot(label, value)) => console.plot(&label, value),
                Err(RecvTimeoutError::Timeout) => console.tick(),
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        worker.join()
    });
    console.finish();
    match result {
        Ok(Ok(Some(echo))) => console.print(&format!("{echo}\n")),
        Ok(Ok(None)) => {}
        Ok(Err(exception)) => console.error(&exception.render()),
        Err(_) => console.error("internal error: the evaluator stopped unexpectedly\n"),
    }
}

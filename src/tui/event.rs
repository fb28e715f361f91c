//! The one event channel: terminal input, ticks and kernel reports all arrive here, so the
//! interface thread only ever waits in one place.

use std::sync::mpsc::Sender;
use std::thread;
use std::time::Duration;

use crossterm::event as term;

use super::kernel::KernelEvent;

/// How often the screen may redraw while a cell runs (about 33 frames a second).
pub const TICK: Duration = Duration::from_millis(30);

#[derive(Debug)]
pub enum Event {
    Input(term::Event),
    /// Terminal input ended (the terminal went away).
    InputClosed,
    Tick,
    /// A report from the kernel with this id.
    Kernel(u64, KernelEvent),
}

/// Reads terminal events on a thread of its own until the receiver goes away.
pub fn spawn_input_reader(events: Sender<Event>) {
    let _ = thread::Builder::new()
        .name("nnlearn-input".into())
        .spawn(move || loop {
            match term::read() {
                Ok(event) => {
                    if events.send(Event::Input(event)).is_err() {
                        return;
                    }
                }
                Err(_) => {
                    let _ = events.send(Event::InputClosed);
                    return;
                }
            }
        });
}

/// Sends a tick every `TICK` until the receiver goes away.
pub fn spawn_ticker(events: Sender<Event>) {
    let _ = thread::Builder::new()
        .name("nnlearn-tick".into())
        .spawn(move || loop {
            thread::sleep(TICK);
            if events.send(Event::Tick).is_err() {
                return;
            }
        });
}

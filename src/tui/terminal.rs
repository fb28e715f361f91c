//! Running the player in a real terminal: setup and guaranteed restore (quit, error, panic),
//! the event loop, and the no-terminal and no-lessons cases.

use std::io::{self, IsTerminal};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use ratatui::DefaultTerminal;

use crate::lang::Session;
use crate::lesson::progress::{Loaded, ProgressStore};
use crate::lesson::{Lang, Lesson};

use super::app::{Action, App, KernelFactory, Setup};
use super::event::{spawn_input_reader, spawn_ticker, Event};
use super::kernel::{Kernel, WorkerKernel};
use super::keys::action_for;

/// Exit status when there is no terminal to draw on.
pub const NO_TERMINAL: i32 = 2;
/// Longest the loop applies queued events before drawing again (a flood of `plot` points
/// must not freeze the screen).
const DRAIN_BUDGET: Duration = Duration::from_millis(25);

/// What `nnlearn` and `nnlearn lesson N` hand the player.
pub struct PlayerOptions {
    /// The lessons in the chosen language, in order; must not be empty.
    pub lessons: Vec<Lesson>,
    /// `N`, slug or file stem from `nnlearn lesson ...`; `None` opens the last lesson played.
    pub open: Option<String>,
    pub lang: Lang,
    /// `cpu` or `cuda`, as shown in the status bar.
    pub device: String,
    /// The status bar's CUDA note (e.g. from `tui::cuda_status()`).
    pub cuda: String,
    /// Where progress is kept; `None` when there is no data folder (nothing is saved).
    pub store: Option<ProgressStore>,
    /// Makes each lesson's session (on opening and on reset): normally
    /// `nnlearn::lang::torch::new_session`, or one on the `--device` chosen.
    pub new_session: Box<dyn Fn() -> Session + Send>,
}

/// Runs the player until the learner quits. Returns the process exit status: 0 after `q`,
/// 2 without a terminal, 1 when the terminal fails or there are no lessons. Messages go to
/// stderr; the terminal is restored in every case, panics included.
pub fn run_player(options: PlayerOptions) -> i32 {
    if options.lessons.is_empty() {
        eprintln!("nnlearn: there are no lessons to play");
        return 1;
    }
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        eprintln!(
            "nnlearn: the lesson player needs a terminal (stdin and stdout must be a TTY).\n\
             Without one, try `nnlearn list`, `nnlearn run FILE.py` or `nnlearn check`."
        );
        return NO_TERMINAL;
    }
    let Loaded { progress, notice } = options
        .store
        .as_ref()
        .map(ProgressStore::load)
        .unwrap_or_else(|| Loaded {
            progress: Default::default(),
            notice: None,
        });
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(error) => {
            ratatui::restore();
            eprintln!("nnlearn: cannot set up the terminal: {error}");
            return NO_TERMINAL;
        }
    };
    let _ = execute!(io::stdout(), EnableMouseCapture);
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        previous_hook(info);
    }));
    let size = terminal
        .size()
        .map(|s| (s.width, s.height))
        .unwrap_or((80, 24));
    let (events, receiver) = mpsc::channel();
    spawn_input_reader(events.clone());
    spawn_ticker(events.clone());
    let setup = Setup {
        lang: options.lang,
        device: options.device,
        cuda: options.cuda,
        progress,
        store: options.store,
        notice,
        open: options.open,
        size,
    };
    let factory = worker_factory(options.new_session, events);
    let app = App::new(options.lessons, setup, factory);
    let result = event_loop(&mut terminal, app, &receiver);
    let _ = execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
    match result {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("nnlearn: the terminal failed: {error}");
            1
        }
    }
}

fn worker_factory(
    new_session: Box<dyn Fn() -> Session + Send>,
    events: Sender<Event>,
) -> KernelFactory {
    Box::new(move || {
        Box::new(WorkerKernel::start(new_session(), events.clone())) as Box<dyn Kernel>
    })
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    mut app: App,
    events: &Receiver<Event>,
) -> io::Result<()> {
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|frame| frame.render_widget(&app, frame.area()))?;
            dirty = false;
        }
        let Ok(first) = events.recv() else {
            return Ok(());
        };
        let started = Instant::now();
        let mut next = Some(first);
        while let Some(event) = next {
            dirty |= apply(&mut app, event);
            if app.quit {
                return Ok(());
            }
            next = if started.elapsed() < DRAIN_BUDGET {
                events.try_recv().ok()
            } else {
                None
            };
        }
    }
}

/// Applies one event; says whether the screen needs drawing.
fn apply(app: &mut App, event: Event) -> bool {
    let action = match event {
        Event::Input(input) => action_for(app, input),
        Event::Tick => Some(Action::Tick),
        Event::Kernel(kernel, report) if kernel == app.kernel_id() => Some(Action::Kernel(report)),
        // A report from a kernel replaced since (reset, other lesson).
        Event::Kernel(..) => None,
        Event::InputClosed => Some(Action::Quit),
    };
    let Some(action) = action else {
        return false;
    };
    if !matches!(action, Action::Tick) {
        app.update(action);
        return true;
    }
    // Ticks animate a run and scroll to output that arrived; otherwise nothing changes.
    let (busy, scroll) = (app.is_busy(), app.scroll);
    app.update(action);
    busy || app.scroll != scroll
}

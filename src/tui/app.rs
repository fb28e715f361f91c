//! The player's state and `update`, the only place it changes (Elm style: events become
//! [`Action`]s, `update` applies them, rendering reads the state).

use std::collections::VecDeque;

use crossterm::event::KeyEvent;
use ratatui::layout::{Position, Rect};
use ratatui_textarea::TextArea;

use crate::lesson::catalog::find;
use crate::lesson::progress::{LessonProgress, Progress, ProgressStore};
use crate::lesson::{Lang, Lesson, Runnable};
use crate::plot::Plots;

use super::doc::CellPlace;
use super::kernel::{Job, Kernel, KernelEvent};
use super::layout::{Areas, LIST_SHOWN_FROM_WIDTH};
use super::stale::affected;
use super::text::{fill, texts, Texts};

/// Output lines kept per cell; older ones are dropped so long loops stay fast to draw.
const MAX_OUTPUT_LINES: usize = 2000;
/// Lines the console under a REPL prompt keeps.
const MAX_CONSOLE_LINES: usize = 200;

/// Everything the user (or the kernel, or time) can make the player do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Scroll(isize),
    Page(isize),
    Top,
    Bottom,
    NextCell,
    PrevCell,
    Run,
    Edit,
    EditorKey(KeyEvent),
    LeaveEditor,
    RunEditor,
    Hint,
    AskSolution,
    AskReset,
    Answer(Answer),
    NextLesson,
    PrevLesson,
    OpenLesson(usize),
    OpenPrompt,
    PromptKey(KeyEvent),
    SubmitPrompt,
    ClosePrompt,
    ToggleChart,
    ToggleLog,
    ToggleSmoothing,
    ChartCursor(isize),
    Interrupt,
    ToggleHelp,
    ToggleList,
    Click { column: u16, row: u16 },
    Resize { width: u16, height: u16 },
    Tick,
    Kernel(KernelEvent),
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    /// For a reset: also throw away the learner's edits.
    YesAndEdits,
    No,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    Solution(usize),
    Reset,
}

/// What keys go to.
#[derive(Debug)]
pub enum Mode {
    Normal,
    Help,
    Ask(Question),
    /// Editing cell `index` in place.
    Edit {
        index: usize,
        editor: Box<TextArea<'static>>,
    },
    /// Typing a REPL line.
    Prompt(Box<TextArea<'static>>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    Idle,
    Queued,
    Running,
}

/// A cell or exercise of the open lesson, as the learner sees it now.
#[derive(Debug, Clone, PartialEq)]
pub struct CellState {
    pub code: String,
    pub output: String,
    /// The rendered traceback of the last run, if it failed.
    pub error: Option<String>,
    pub state: RunState,
    /// The code as it was last run in this session (`None`: not run yet).
    pub ran_code: Option<String>,
    /// Ran before an earlier cell it depends on was changed and re-run.
    pub stale: bool,
    /// Exercises: hints revealed, solution shown, and the last check's result.
    pub hints: usize,
    pub solution: bool,
    pub check: Option<Result<(), String>>,
}

/// A unit of work for the kernel; one is in flight at a time, the rest wait here.
#[derive(Debug, Clone, PartialEq)]
pub enum Task {
    Cell(usize),
    Check(usize),
    Line(String),
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ChartState {
    pub shown: bool,
    pub log_y: bool,
    pub smooth: bool,
    pub cursor: Option<usize>,
}

/// Starts a kernel for a freshly opened (or reset) lesson.
pub type KernelFactory = Box<dyn FnMut() -> Box<dyn Kernel>>;

pub struct App {
    pub lessons: Vec<Lesson>,
    pub current: usize,
    pub lang: Lang,
    pub device: String,
    pub cuda: String,
    pub progress: Progress,
    store: Option<ProgressStore>,
    /// A message for the status bar (corrupt progress file, save errors, ...).
    pub notice: Option<String>,
    pub cells: Vec<CellState>,
    pub focus: usize,
    pub scroll: usize,
    pub size: (u16, u16),
    kernel: Box<dyn Kernel>,
    new_kernel: KernelFactory,
    pub running: Option<Task>,
    /// Whether the running task has plotted yet (its first point replaces the old chart).
    plotted: bool,
    pub pending: VecDeque<Task>,
    pub plots: Plots,
    pub chart: ChartState,
    pub mode: Mode,
    /// REPL lines and what they printed.
    pub console: Vec<String>,
    pub list_shown: bool,
    pub quit: bool,
    /// Counts ticks while something runs (the spinner).
    pub frame: usize,
    /// A cell whose output grew since the last tick; its end is scrolled into view unless
    /// the learner scrolled since the run began.
    follow: Option<usize>,
    scrolled_by_hand: bool,
}

/// What `App::new` needs besides the lessons.
pub struct Setup {
    pub lang: Lang,
    pub device: String,
    pub cuda: String,
    pub progress: Progress,
    pub store: Option<ProgressStore>,
    pub notice: Option<String>,
    /// The lesson asked for (`N`, slug or file stem); else the one the learner was on last.
    pub open: Option<String>,
    pub size: (u16, u16),
}

impl App {
    /// `lessons` must not be empty.
    pub fn new(lessons: Vec<Lesson>, setup: Setup, mut new_kernel: KernelFactory) -> App {
        let wanted = setup.open.as_deref().or(setup.progress.current.as_deref());
        let current = wanted
            .and_then(|key| find(&lessons, key))
            .and_then(|found| lessons.iter().position(|l| l.slug == found.slug))
            .unwrap_or(0);
        let kernel = new_kernel();
        let mut app = App {
            lessons,
            current,
            lang: setup.lang,
            device: setup.device,
            cuda: setup.cuda,
            progress: setup.progress,
            store: setup.store,
            notice: setup.notice,
            cells: Vec::new(),
            focus: 0,
            scroll: 0,
            size: setup.size,
            kernel,
            new_kernel,
            running: None,
            plotted: false,
            pending: VecDeque::new(),
            plots: Plots::new(),
            chart: ChartState::default(),
            mode: Mode::Normal,
            console: Vec::new(),
            list_shown: setup.size.0 >= LIST_SHOWN_FROM_WIDTH,
            quit: false,
            frame: 0,
            follow: None,
            scrolled_by_hand: false,
        };
        app.load_lesson(current, false);
        app
    }

    /// The player's own words in the lesson language.
    pub fn text(&self) -> &'static Texts {
        texts(self.lang)
    }

    pub fn lesson(&self) -> &Lesson {
        &self.lessons[self.current]
    }

    pub fn runnables(&self) -> Vec<Runnable<'_>> {
        self.lesson().runnables().collect()
    }

    pub fn areas(&self) -> Areas {
        let (width, height) = self.size;
        Areas::new(Rect::new(0, 0, width, height), self)
    }

    pub fn kernel_id(&self) -> u64 {
        self.kernel.id()
    }

    pub fn is_busy(&self) -> bool {
        self.running.is_some()
    }

    fn lesson_progress(&mut self) -> &mut LessonProgress {
        let slug = self.lessons[self.current].slug.clone();
        self.progress.lesson_mut(&slug)
    }

    /// Opens lesson `index` with a fresh session (`fresh_kernel`: the old one is replaced).
    fn load_lesson(&mut self, index: usize, fresh_kernel: bool) {
        if fresh_kernel {
            self.restart_kernel();
        }
        self.current = index;
        let saved = self.progress.lesson(&self.lessons[index].slug).cloned();
        let saved = saved.unwrap_or_default();
        self.cells = self.lessons[index]
            .runnables()
            .map(|runnable| {
                let hints = match runnable {
                    Runnable::Exercise(e) => saved.hints_seen.get(&e.id).copied().unwrap_or(0),
                    Runnable::Cell(_) => 0,
                };
                CellState {
                    code: saved
                        .edited_code(runnable)
                        .unwrap_or(runnable.code())
                        .to_string(),
                    output: String::new(),
                    error: None,
                    state: RunState::Idle,
                    ran_code: None,
                    stale: false,
                    hints,
                    solution: false,
                    check: None,
                }
            })
            .collect();
        self.focus = 0;
        self.scroll = saved.scroll;
        self.plots.clear();
        self.chart = ChartState::default();
        self.console.clear();
        self.mode = Mode::Normal;
        self.progress.current = Some(self.lessons[index].slug.clone());
        self.clamp_scroll();
    }

    /// Stops whatever runs and starts a new, empty session.
    fn restart_kernel(&mut self) {
        self.kernel.interrupt();
        self.kernel = (self.new_kernel)();
        self.running = None;
        self.pending.clear();
        for cell in &mut self.cells {
            cell.state = RunState::Idle;
            cell.ran_code = None;
            cell.stale = false;
        }
    }

    /// Writes progress to disk (a no-op without a store); failures become a notice.
    pub fn save_progress(&mut self) {
        let scroll = self.scroll;
        self.lesson_progress().scroll = scroll;
        if let Some(store) = &self.store {
            if let Err(error) = store.save(&self.progress) {
                self.notice = Some(fill(self.text().not_saved, &[&error]));
            }
        }
    }

    pub fn update(&mut self, action: Action) {
        if !matches!(
            action,
            Action::Tick | Action::Kernel(_) | Action::Resize { .. }
        ) {
            self.notice = None;
        }
        let scrolls = matches!(
            action,
            Action::Scroll(_) | Action::Page(_) | Action::Top | Action::Bottom
        );
        if scrolls {
            self.scrolled_by_hand = true;
        }
        match action {
            Action::Scroll(lines) => self.scroll_by(lines),
            Action::Page(pages) => {
                let page = self.areas().doc.height.saturating_sub(2).max(1) as isize;
                self.scroll_by(pages * page);
            }
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = usize::MAX,
            Action::NextCell => self.move_focus(1),
            Action::PrevCell => self.move_focus(-1),
            Action::Run => self.run_focused(),
            Action::Edit => self.start_editing(),
            Action::EditorKey(key) => {
                if let Mode::Edit { editor, .. } = &mut self.mode {
                    editor.input(key);
                }
                self.show_editor_cursor();
            }
            Action::LeaveEditor => self.finish_editing(),
            Action::RunEditor => {
                self.finish_editing();
                self.run_focused();
            }
            Action::Hint => self.next_hint(),
            Action::AskSolution => match self.focused_exercise() {
                Some(_) => self.mode = Mode::Ask(Question::Solution(self.focus)),
                None => self.notice = Some(self.text().not_an_exercise.into()),
            },
            Action::AskReset => self.mode = Mode::Ask(Question::Reset),
            Action::Answer(answer) => self.answer(answer),
            Action::NextLesson => self.open_lesson(self.current + 1),
            Action::PrevLesson => {
                if let Some(index) = self.current.checked_sub(1) {
                    self.open_lesson(index);
                }
            }
            Action::OpenLesson(index) => self.open_lesson(index),
            Action::OpenPrompt => self.mode = Mode::Prompt(Box::new(new_prompt())),
            Action::PromptKey(key) => {
                if let Mode::Prompt(prompt) = &mut self.mode {
                    prompt.input(key);
                }
            }
            Action::SubmitPrompt => self.submit_prompt(),
            Action::ClosePrompt => self.mode = Mode::Normal,
            Action::ToggleChart => self.chart.shown = !self.chart.shown,
            Action::ToggleLog => self.chart.log_y = !self.chart.log_y,
            Action::ToggleSmoothing => self.chart.smooth = !self.chart.smooth,
            Action::ChartCursor(delta) => self.move_chart_cursor(delta),
            Action::Interrupt => {
                if self.is_busy() {
                    self.cancel_pending();
                    self.kernel.interrupt();
                }
            }
            Action::ToggleHelp => {
                self.mode = match self.mode {
                    Mode::Help => Mode::Normal,
                    _ => Mode::Help,
                }
            }
            Action::ToggleList => self.list_shown = !self.list_shown,
            Action::Click { column, row } => self.click(column, row),
            Action::Resize { width, height } => self.size = (width, height),
            Action::Tick => self.tick(),
            Action::Kernel(event) => self.kernel_event(event),
            Action::Quit => {
                self.kernel.interrupt();
                self.save_progress();
                self.quit = true;
            }
        }
        self.clamp_scroll();
        if scrolls {
            self.focus_on_screen();
        }
    }

    /// After scrolling, a focused cell that left the screen gives the focus to the first cell
    /// on screen, so that Enter never runs a cell the learner cannot see.
    fn focus_on_screen(&mut self) {
        let height = self.areas().doc.height as usize;
        let (top, bottom) = (self.scroll, self.scroll + height);
        let shown = |place: &CellPlace| place.start < bottom && place.end > top;
        let cells = self.document().cells;
        if cells.get(self.focus).is_some_and(shown) {
            return;
        }
        if let Some(index) = cells.iter().position(shown) {
            self.focus = index;
        }
    }

    fn scroll_by(&mut self, lines: isize) {
        self.scroll = self.scroll.saturating_add_signed(lines);
    }

    fn max_scroll(&self) -> usize {
        let height = self.areas().doc.height as usize;
        self.document().lines.len().saturating_sub(height)
    }

    fn clamp_scroll(&mut self) {
        self.scroll = self.scroll.min(self.max_scroll());
    }

    /// Scrolls the least needed to show document lines `start..end` (their start if they do
    /// not fit).
    fn reveal(&mut self, start: usize, end: usize) {
        let height = (self.areas().doc.height as usize).max(1);
        if end > self.scroll + height {
            self.scroll = end - height;
        }
        if start < self.scroll || end - start > height {
            self.scroll = start;
        }
    }

    fn reveal_cell(&mut self, index: usize) {
        if let Some(place) = self.document().cells.get(index).copied() {
            self.reveal(place.start, place.end);
        }
    }

    fn move_focus(&mut self, delta: isize) {
        if self.cells.is_empty() {
            return;
        }
        let last = self.cells.len() - 1;
        self.focus = self.focus.saturating_add_signed(delta).min(last);
        self.reveal_cell(self.focus);
    }

    fn focused_exercise(&self) -> Option<&crate::lesson::Exercise> {
        match self.lesson().runnables().nth(self.focus)? {
            Runnable::Exercise(exercise) => Some(exercise),
            Runnable::Cell(_) => None,
        }
    }

    /// Queues every earlier cell not run yet, then the focused one.
    fn run_focused(&mut self) {
        if self.focus >= self.cells.len() {
            return;
        }
        let already: Vec<usize> = self
            .pending
            .iter()
            .chain(&self.running)
            .filter_map(|task| match task {
                Task::Cell(i) => Some(*i),
                _ => None,
            })
            .collect();
        for index in 0..=self.focus {
            // Exercises are the learner's to run: later cells never depend on them.
            let wanted = index == self.focus
                || (self.cells[index].ran_code.is_none() && !self.is_exercise(index));
            if wanted && !already.contains(&index) {
                self.cells[index].state = RunState::Queued;
                self.pending.push_back(Task::Cell(index));
            }
        }
        self.start_next();
    }

    fn start_next(&mut self) {
        if self.running.is_some() {
            return;
        }
        let Some(task) = self.pending.pop_front() else {
            return;
        };
        let job = match &task {
            Task::Cell(index) => {
                let index = *index;
                self.mark_stale_after(index);
                let cell = &mut self.cells[index];
                cell.output.clear();
                cell.error = None;
                cell.check = None;
                cell.stale = false;
                cell.state = RunState::Running;
                cell.ran_code = Some(cell.code.clone());
                Job::Run {
                    code: cell.code.clone(),
                    name: format!("<cell {}>", index + 1),
                }
            }
            Task::Check(index) => {
                let code = match self.lesson().runnables().nth(*index) {
                    Some(Runnable::Exercise(e)) => e.check.clone(),
                    _ => String::new(),
                };
                self.cells[*index].state = RunState::Running;
                Job::Run {
                    code,
                    name: "<check>".into(),
                }
            }
            Task::Line(line) => {
                self.push_console(&format!(">>> {line}"));
                Job::Line(line.clone())
            }
        };
        self.running = Some(task);
        self.plotted = false;
        self.scrolled_by_hand = false;
        self.kernel.submit(job);
    }

    /// When cell `index` runs again with different code, later cells that read what it binds
    /// go stale.
    fn mark_stale_after(&mut self, index: usize) {
        let cell = &self.cells[index];
        if cell.ran_code.as_deref().is_none_or(|ran| ran == cell.code) {
            return;
        }
        let codes: Vec<Option<&str>> = self
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| match i == index {
                true => Some(c.code.as_str()),
                false => c.ran_code.as_deref(),
            })
            .collect();
        for later in affected(&codes, index) {
            self.cells[later].stale = true;
        }
    }

    fn kernel_event(&mut self, event: KernelEvent) {
        match event {
            KernelEvent::Output(text) => match &self.running {
                Some(Task::Cell(i) | Task::Check(i)) => {
                    let i = *i;
                    append_output(&mut self.cells[i].output, &text);
                    self.follow = Some(i);
                }
                Some(Task::Line(_)) | None => self.push_console(text.trim_end_matches('\n')),
            },
            KernelEvent::Plot(label, value) => {
                if !self.plotted {
                    self.plotted = true;
                    if matches!(self.running, Some(Task::Cell(_))) {
                        self.plots.clear();
                        self.chart.cursor = None;
                    }
                    self.chart.shown = true;
                }
                self.plots.push(&label, value);
            }
            KernelEvent::Done(result) => self.finish_task(result),
        }
    }

    fn finish_task(&mut self, result: Result<Option<String>, String>) {
        let Some(task) = self.running.take() else {
            return;
        };
        // A failed check is the learner's result; a failed run stops the cells queued after it.
        let failed = result.is_err() && !matches!(task, Task::Check(_));
        match (task, result) {
            (Task::Cell(i), result) => {
                self.cells[i].state = RunState::Idle;
                self.lesson_progress().cells_run.insert(i);
                match result {
                    Ok(_) if self.is_exercise(i) => self.pending.push_front(Task::Check(i)),
                    Ok(_) => {}
                    Err(error) => {
                        self.cells[i].error = Some(error);
                        if i != self.focus {
                            self.notice = Some(fill(self.text().cell_failed, &[&(i + 1)]));
                        }
                    }
                }
                self.follow = Some(i);
            }
            (Task::Check(i), result) => {
                self.cells[i].state = RunState::Idle;
                let passed = result.is_ok();
                self.cells[i].check = Some(result.map(|_| ()));
                if passed {
                    if let Some(id) = self.exercise_id(i) {
                        self.lesson_progress().exercises_passed.insert(id);
                    }
                }
                self.follow = Some(i);
            }
            (Task::Line(_), Ok(echo)) => {
                if let Some(echo) = echo {
                    self.push_console(&echo);
                }
            }
            (Task::Line(_), Err(error)) => self.push_console(error.trim_end_matches('\n')),
        }
        if failed {
            self.cancel_pending();
        }
        self.start_next();
    }

    fn cancel_pending(&mut self) {
        for task in self.pending.drain(..) {
            if let Task::Cell(i) | Task::Check(i) = task {
                self.cells[i].state = RunState::Idle;
            }
        }
    }

    fn is_exercise(&self, index: usize) -> bool {
        self.exercise_id(index).is_some()
    }

    fn exercise_id(&self, index: usize) -> Option<String> {
        match self.lesson().runnables().nth(index)? {
            Runnable::Exercise(exercise) => Some(exercise.id.clone()),
            Runnable::Cell(_) => None,
        }
    }

    fn push_console(&mut self, text: &str) {
        self.console.extend(text.lines().map(str::to_string));
        let extra = self.console.len().saturating_sub(MAX_CONSOLE_LINES);
        self.console.drain(..extra);
    }

    fn tick(&mut self) {
        if self.is_busy() {
            self.frame = self.frame.wrapping_add(1);
        }
        if let Some(index) = self.follow.take().filter(|_| !self.scrolled_by_hand) {
            if let Some(place) = self.document().cells.get(index).copied() {
                // Follow the end of the output, but never hide the cell's first line.
                let height = self.areas().doc.height as usize;
                let wanted = place.end.saturating_sub(height).min(place.start);
                self.scroll = self.scroll.max(wanted);
            }
        }
    }

    fn start_editing(&mut self) {
        let Some(cell) = self.cells.get(self.focus) else {
            return;
        };
        let code = cell.code.strip_suffix('\n').unwrap_or(&cell.code);
        let lines = code.split('\n').map(str::to_string).collect();
        let mut editor = TextArea::new(lines);
        editor.set_cursor_line_style(ratatui::style::Style::new());
        self.mode = Mode::Edit {
            index: self.focus,
            editor: Box::new(editor),
        };
        self.show_editor_cursor();
    }

    fn show_editor_cursor(&mut self) {
        let Mode::Edit { index, editor } = &self.mode else {
            return;
        };
        let row = editor.cursor().0;
        if let Some(place) = self.document().cells.get(*index).copied() {
            let line = place.code_start + row;
            self.reveal(line, line + 1);
        }
    }

    /// Keeps the edited code (and records it in progress) and leaves the editor.
    fn finish_editing(&mut self) {
        let Mode::Edit { index, editor } = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        // Cells end with a line break, as in the lesson's fences.
        let code = editor.lines().join("\n") + "\n";
        self.focus = index;
        self.set_code(index, code);
    }

    /// Replaces cell `index`'s code, recording it as the learner's edit.
    pub fn set_code(&mut self, index: usize, code: String) {
        let lesson = &self.lessons[self.current];
        let Some(runnable) = lesson.runnables().nth(index) else {
            return;
        };
        let slug = lesson.slug.clone();
        self.progress
            .lesson_mut(&slug)
            .set_edit(runnable, code.clone());
        self.cells[index].code = code;
    }

    fn next_hint(&mut self) {
        let Some(exercise) = self.focused_exercise() else {
            self.notice = Some(self.text().not_an_exercise.into());
            return;
        };
        let (id, count) = (exercise.id.clone(), exercise.hints.len());
        let cell = &mut self.cells[self.focus];
        if cell.hints >= count {
            self.notice = Some(self.text().no_more_hints.into());
            return;
        }
        cell.hints += 1;
        let seen = cell.hints;
        self.lesson_progress().hints_seen.insert(id, seen);
        self.reveal_cell(self.focus);
    }

    fn answer(&mut self, answer: Answer) {
        let Mode::Ask(question) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        match (question, answer) {
            (_, Answer::No) => {}
            (Question::Solution(index), _) => {
                if let Some(cell) = self.cells.get_mut(index) {
                    cell.solution = true;
                }
                self.reveal_cell(index);
            }
            (Question::Reset, answer) => {
                self.restart_kernel();
                for cell in &mut self.cells {
                    cell.output.clear();
                    cell.error = None;
                    cell.check = None;
                }
                self.plots.clear();
                if answer == Answer::YesAndEdits {
                    let originals: Vec<String> = self
                        .runnables()
                        .iter()
                        .map(|r| r.code().to_string())
                        .collect();
                    for (index, code) in originals.into_iter().enumerate() {
                        self.set_code(index, code);
                    }
                }
                self.notice = Some(self.text().session_reset.into());
            }
        }
    }

    fn open_lesson(&mut self, index: usize) {
        if index >= self.lessons.len() || index == self.current {
            return;
        }
        self.save_progress();
        self.load_lesson(index, true);
    }

    fn submit_prompt(&mut self) {
        let Mode::Prompt(prompt) = &mut self.mode else {
            return;
        };
        let line = prompt.lines().join("\n");
        **prompt = new_prompt();
        if line.trim().is_empty() {
            return;
        }
        self.pending.push_back(Task::Line(line));
        self.start_next();
    }

    fn move_chart_cursor(&mut self, delta: isize) {
        let Some(last) = self.plots.steps().checked_sub(1) else {
            return;
        };
        let cursor = match self.chart.cursor {
            None => last,
            Some(step) => step.min(last).saturating_add_signed(delta).min(last),
        };
        self.chart.cursor = Some(cursor);
    }

    fn click(&mut self, column: u16, row: u16) {
        let areas = self.areas();
        let at = Position::new(column, row);
        if let Some(list) = areas.list.filter(|a| a.contains(at)) {
            let row = (row - list.y) as usize;
            if let Some(index) = row.checked_sub(super::ui::LIST_HEADER_ROWS) {
                self.open_lesson(index);
            }
        } else if areas.doc.contains(at) {
            let line = self.scroll + (row - areas.doc.y) as usize;
            let doc = self.document();
            if let Some(index) = doc
                .cells
                .iter()
                .position(|c| (c.start..c.end).contains(&line))
            {
                self.focus = index;
            }
        }
    }
}

fn new_prompt() -> TextArea<'static> {
    let mut prompt = TextArea::default();
    prompt.set_cursor_line_style(ratatui::style::Style::new());
    prompt
}

/// Appends program output, keeping at most `MAX_OUTPUT_LINES` lines.
fn append_output(output: &mut String, text: &str) {
    output.push_str(text);
    let lines = output.matches('\n').count();
    if lines > MAX_OUTPUT_LINES {
        let cut = output
            .match_indices('\n')
            .nth(lines - MAX_OUTPUT_LINES)
            .map_or(0, |(i, _)| i + 1);
        output.drain(..cut);
    }
}

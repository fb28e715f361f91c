//! `nnlearn check`, headless: runs every lesson in every language as a learner
//! would and verifies what the lesson promises.
//!
//! - Each cell runs in the lesson's one session, started fresh with
//!   `torch.manual_seed(0)`, and must not raise; a cell with an `output` block
//!   must print that text (exactly, or within the conformance suite's
//!   tolerance, which passes with a note).
//! - Each exercise's solution followed by its check must pass; the lesson then
//!   goes on in that session. Its unedited code followed by the check must
//!   raise: sessions cannot be copied, so that runs in a second fresh session
//!   that first replays the cells (and earlier solutions) before the exercise.
//! - Every translation holds the same code as the English lesson.
//!
//! The runs are independent, so they are spread over the machine's cores.

mod diff;
mod listing;
mod same_code;
mod tolerance;

use std::fmt;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use crate::lang::torch::new_session_with;
use crate::lang::{Session, Sink};
use crate::tensor::Device;

use super::catalog::Catalog;
use super::model::{Exercise, Lang, Lesson, Runnable};

pub use listing::list_lines;
pub use same_code::same_code;
pub use tolerance::tolerant_equal;

/// A cell (or an exercise's code, or a check) still running after this long
/// is stopped and fails, so a lesson with an endless loop cannot hang the check.
const CELL_TIME_LIMIT: Duration = Duration::from_secs(120);

/// What `nnlearn check` found: one entry per lesson and language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckReport {
    pub lessons: Vec<LessonReport>,
}

/// The verdict on one lesson file (or on a language whose lessons could not be loaded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonReport {
    /// `en/02-linear-regression`; just `en` when the language failed to load.
    pub name: String,
    /// Runnable blocks: cells and exercises.
    pub cells: usize,
    pub exercises: usize,
    /// Why the lesson fails, one problem per entry (a diff spans several lines);
    /// empty when it passes.
    pub failures: Vec<String>,
    /// Remarks on a pass, such as output that matched only within tolerance.
    pub notes: Vec<String>,
}

impl LessonReport {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

impl CheckReport {
    pub fn passed(&self) -> usize {
        self.lessons.iter().filter(|lesson| lesson.passed()).count()
    }

    pub fn failed(&self) -> usize {
        self.lessons.len() - self.passed()
    }

    /// Whether everything passed: `nnlearn check` exits 0 exactly then.
    pub fn is_ok(&self) -> bool {
        self.failed() == 0
    }
}

/// One line per lesson (`ok  en/02-linear-regression  (12 cells, 3 exercises)`
/// or `FAIL ...`), its failures and notes indented under it, and last the
/// summary line `N passed, N failed`.
impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for lesson in &self.lessons {
            let verdict = if lesson.passed() { "ok  " } else { "FAIL" };
            writeln!(
                f,
                "{verdict} {}  ({}, {})",
                lesson.name,
                count(lesson.cells, "cell"),
                count(lesson.exercises, "exercise")
            )?;
            let notes = lesson.notes.iter().map(|note| format!("note: {note}"));
            for problem in lesson.failures.iter().cloned().chain(notes) {
                for line in problem.lines() {
                    writeln!(f, "     {line}")?;
                }
            }
        }
        writeln!(f, "{} passed, {} failed", self.passed(), self.failed())
    }
}

/// `1 cell`, `3 cells`.
fn count(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// Checks every lesson of `catalog` in every language.
pub fn check_all(catalog: &Catalog) -> CheckReport {
    check_all_on(catalog, Device::Cpu)
}

/// [`check_all`] with `device` as the sessions' default device (`nnlearn
/// --device cuda check`). Outputs must match the CPU's wherever tensors
/// live, ignoring the `device='cuda:0'` CUDA tensors print.
pub fn check_all_on(catalog: &Catalog, device: Device) -> CheckReport {
    let mut reports = Vec::new();
    let mut loaded: Vec<(Lang, Vec<Lesson>)> = Vec::new();
    for lang in Lang::ALL {
        match catalog.lessons(lang) {
            Ok(lessons) => loaded.push((lang, lessons)),
            Err(errors) => reports.push(LessonReport {
                name: lang.code().to_string(),
                cells: 0,
                exercises: 0,
                failures: errors.iter().map(ToString::to_string).collect(),
                notes: Vec::new(),
            }),
        }
    }
    let lessons: Vec<&Lesson> = loaded.iter().flat_map(|(_, lessons)| lessons).collect();
    let mut lesson_reports = check_lessons(&lessons, device);
    if let Some((reference, others)) = loaded.split_first() {
        for translation in others {
            for (name, failure) in compare_translations(reference, translation) {
                if let Some(report) = lesson_reports.iter_mut().find(|r| r.name == name) {
                    report.failures.push(failure);
                }
            }
        }
    }
    reports.extend(lesson_reports);
    CheckReport { lessons: reports }
}

/// Runs `lessons` (every run of every lesson in parallel); one report each, in order.
fn check_lessons(lessons: &[&Lesson], device: Device) -> Vec<LessonReport> {
    let runs: Vec<Run> = lessons
        .iter()
        .enumerate()
        .flat_map(|(at, &lesson)| {
            let whole = Run {
                at,
                lesson,
                unedited: None,
            };
            let unedited = lesson.exercises().map(move |exercise| Run {
                at,
                lesson,
                unedited: Some(exercise),
            });
            std::iter::once(whole).chain(unedited)
        })
        .collect();
    let outcomes = map_parallel(&runs, |run| match run.unedited {
        None => run_lesson(run.lesson, device),
        Some(exercise) => unedited_problems(run.lesson, exercise, device),
    });
    let mut reports: Vec<LessonReport> = lessons
        .iter()
        .map(|lesson| LessonReport {
            name: lesson_name(lesson),
            cells: lesson.runnables().count(),
            exercises: lesson.exercises().count(),
            failures: Vec::new(),
            notes: Vec::new(),
        })
        .collect();
    for (run, outcome) in runs.iter().zip(outcomes) {
        if let Some(report) = reports.get_mut(run.at) {
            report.failures.extend(outcome.failures);
            report.notes.extend(outcome.notes);
        }
    }
    reports
}

/// One independent session's work.
struct Run<'a> {
    /// The lesson's position in the list, for its report.
    at: usize,
    lesson: &'a Lesson,
    /// `None`: the whole lesson with the solutions. `Some`: a replay up to this
    /// exercise, then its unedited code and check.
    unedited: Option<&'a Exercise>,
}

#[derive(Default)]
struct Outcome {
    failures: Vec<String>,
    notes: Vec<String>,
}

/// `en/02-linear-regression`.
fn lesson_name(lesson: &Lesson) -> String {
    format!("{}/{}", lesson.lang, lesson.file_stem())
}

/// Runs the lesson's cells in order, and each exercise's solution and check.
fn run_lesson(lesson: &Lesson, device: Device) -> Outcome {
    let mut session = new_session_with(0, device);
    let mut outcome = Outcome::default();
    for runnable in lesson.runnables() {
        let line = runnable.line();
        match runnable {
            Runnable::Cell(cell) => {
                let mut printed = Printed::default();
                match run(&mut session, &cell.code, &cell_name(runnable), &mut printed) {
                    Err(problem) => outcome
                        .failures
                        .push(format!("line {line}: the cell failed\n{problem}")),
                    Ok(()) => {
                        if let Some(expected) = &cell.expected_output {
                            // Lesson outputs come from CPU PyTorch; a lesson that moves
                            // its tensors to a GPU prints the same with this suffix.
                            let shown = printed.0.replace(", device='cuda:0'", "");
                            compare_output(line, expected, &shown, &mut outcome);
                        }
                    }
                }
            }
            Runnable::Exercise(exercise) => {
                if let Err(problem) = run_with_check(&mut session, exercise, &exercise.solution) {
                    outcome.failures.push(format!(
                        "line {line}: the solution of `{}` fails its check\n{problem}",
                        exercise.id
                    ));
                }
            }
        }
    }
    outcome
}

/// In a fresh session, replays the lesson before `exercise` (cells, and the
/// solutions of earlier exercises), then runs the exercise's unedited code and
/// its check, which must raise.
fn unedited_problems(lesson: &Lesson, exercise: &Exercise, device: Device) -> Outcome {
    let mut session = new_session_with(0, device);
    for runnable in lesson.runnables() {
        // Replay failures are the lesson run's to report; they show up there too.
        let _ = match runnable {
            Runnable::Exercise(this) if this.index == exercise.index => break,
            Runnable::Cell(cell) => run(
                &mut session,
                &cell.code,
                &cell_name(runnable),
                &mut Printed::default(),
            ),
            Runnable::Exercise(earlier) => run_with_check(&mut session, earlier, &earlier.solution),
        };
    }
    let mut outcome = Outcome::default();
    if run_with_check(&mut session, exercise, &exercise.code).is_ok() {
        outcome.failures.push(format!(
            "line {}: the unedited exercise `{}` passes its check",
            exercise.line, exercise.id
        ));
    }
    outcome
}

/// Runs `code` in place of the exercise, then the exercise's check.
fn run_with_check(session: &mut Session, exercise: &Exercise, code: &str) -> Result<(), String> {
    let mut printed = Printed::default();
    let name = cell_name(Runnable::Exercise(exercise));
    run(session, code, &name, &mut printed)?;
    run(
        session,
        &exercise.check,
        &format!("{name} check"),
        &mut printed,
    )
}

/// Runs `code` as the file `name`, stopping it after `CELL_TIME_LIMIT`; on
/// failure, the exception as Python shows it.
fn run(session: &mut Session, code: &str, name: &str, printed: &mut Printed) -> Result<(), String> {
    let interrupt = session.interrupt_flag();
    let (finished, wait) = mpsc::channel::<()>();
    let result = thread::scope(|scope| {
        scope.spawn(move || {
            if wait.recv_timeout(CELL_TIME_LIMIT) == Err(RecvTimeoutError::Timeout) {
                interrupt.store(true, Ordering::Relaxed);
            }
        });
        let result = session.run(code, name, printed);
        drop(finished);
        result
    });
    result.map_err(|exception| {
        if exception.class() == "KeyboardInterrupt" {
            format!("stopped after {} s", CELL_TIME_LIMIT.as_secs())
        } else {
            exception.render().trim_end().to_string()
        }
    })
}

/// What tracebacks call the cell's file: `<cell 5>` (1-based among runnables).
fn cell_name(runnable: Runnable<'_>) -> String {
    format!("<cell {}>", runnable.index() + 1)
}

/// Compares what a cell printed with its `output` block (trailing newlines aside).
fn compare_output(line: usize, expected: &str, printed: &str, outcome: &mut Outcome) {
    let expected = expected.trim_end_matches('\n');
    let printed = printed.trim_end_matches('\n');
    if printed == expected {
        return;
    }
    if tolerant_equal(printed, expected) {
        outcome.notes.push(format!(
            "line {line}: output matches within tolerance (numbers or spacing differ slightly)"
        ));
        return;
    }
    let diff = diff::line_diff(expected, printed).join("\n");
    outcome.failures.push(format!(
        "line {line}: output differs (- PyTorch, + nnlearn)\n{diff}"
    ));
}

/// A failure for each lesson of `translation` whose code differs from the same
/// lesson in `reference`, and for each lesson missing from either, as
/// (lesson name, failure).
fn compare_translations(
    (reference_lang, reference): &(Lang, Vec<Lesson>),
    (translation_lang, translation): &(Lang, Vec<Lesson>),
) -> Vec<(String, String)> {
    let mut failures = Vec::new();
    for lesson in reference {
        match find_stem(translation, &lesson.file_stem()) {
            Some(other) => failures.extend(
                code_difference(lesson, other).map(|failure| (lesson_name(other), failure)),
            ),
            None => failures.push((
                lesson_name(lesson),
                format!("no {translation_lang} version"),
            )),
        }
    }
    for lesson in translation {
        if find_stem(reference, &lesson.file_stem()).is_none() {
            failures.push((lesson_name(lesson), format!("no {reference_lang} version")));
        }
    }
    failures
}

fn find_stem<'a>(lessons: &'a [Lesson], stem: &str) -> Option<&'a Lesson> {
    lessons.iter().find(|lesson| lesson.file_stem() == stem)
}

/// The first place where `translation` holds other code than `reference`.
fn code_difference(reference: &Lesson, translation: &Lesson) -> Option<String> {
    let reference_name = lesson_name(reference);
    let mut theirs = translation.runnables();
    for ours in reference.runnables() {
        let Some(their) = theirs.next() else {
            return Some(format!(
                "has fewer cells than {reference_name} (none for its line {})",
                ours.line()
            ));
        };
        if !same_runnable(ours, their) {
            return Some(format!(
                "line {}: the code differs from {reference_name} line {}",
                their.line(),
                ours.line()
            ));
        }
    }
    theirs.next().map(|extra| {
        format!(
            "line {}: a cell {reference_name} does not have",
            extra.line()
        )
    })
}

/// Same kind of block, same exercise id, same code in every part.
fn same_runnable(ours: Runnable<'_>, theirs: Runnable<'_>) -> bool {
    match (ours, theirs) {
        (Runnable::Cell(ours), Runnable::Cell(theirs)) => same_code(&ours.code, &theirs.code),
        (Runnable::Exercise(ours), Runnable::Exercise(theirs)) => {
            ours.id == theirs.id
                && same_code(&ours.code, &theirs.code)
                && same_code(&ours.check, &theirs.check)
                && same_code(&ours.solution, &theirs.solution)
        }
        _ => false,
    }
}

/// Collects what a run prints; plots are not checked.
#[derive(Default)]
struct Printed(String);

impl Sink for Printed {
    fn print(&mut self, text: &str) {
        self.0.push_str(text);
    }

    fn plot(&mut self, _label: &str, _value: f64) {}
}

/// `work` applied to every job, on as many threads as the machine has cores;
/// the results in job order.
fn map_parallel<J: Sync, T: Send>(jobs: &[J], work: impl Fn(&J) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let threads = thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .clamp(1, jobs.len().max(1));
    let mut done: Vec<(usize, T)> = thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let at = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(at) else { break };
                        mine.push((at, work(job)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(at, _)| *at);
    done.into_iter().map(|(_, result)| result).collect()
}

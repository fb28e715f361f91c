//! Keys to actions to state, with the fake kernel standing in for the session.

use crossterm::event::KeyCode;

use crate::lesson::test_dir::TestDir;

use super::super::app::{Action, Answer, Mode, Question, RunState, Setup, Task};
use super::super::kernel::{Job, KernelEvent};
use super::*;

fn run_job(code: &str, cell: usize) -> Job {
    Job::Run {
        code: code.into(),
        name: format!("<cell {cell}>"),
    }
}

#[test]
fn keys_map_to_actions_by_mode() {
    fn check(app: &App, event: Event, expected: Option<Action>) {
        assert_eq!(
            action_for(app, event.clone()),
            expected,
            "{event:?} in {:?}",
            app.mode
        );
    }
    let (mut app, _) = app();
    let normal = [
        (key(KeyCode::Char('j')), Action::Scroll(1)),
        (key(KeyCode::Up), Action::Scroll(-1)),
        (key(KeyCode::PageDown), Action::Page(1)),
        (key(KeyCode::Home), Action::Top),
        (key(KeyCode::Tab), Action::NextCell),
        (key(KeyCode::BackTab), Action::PrevCell),
        (key(KeyCode::Enter), Action::Run),
        (key(KeyCode::Char('e')), Action::Edit),
        (key(KeyCode::Char('h')), Action::Hint),
        (key(KeyCode::Char('s')), Action::AskSolution),
        (key(KeyCode::Char('r')), Action::AskReset),
        (key(KeyCode::Char('n')), Action::NextLesson),
        (key(KeyCode::Char(':')), Action::OpenPrompt),
        (key(KeyCode::Char('L')), Action::ToggleLog),
        (key(KeyCode::Char('m')), Action::ToggleSmoothing),
        (key(KeyCode::Right), Action::ChartCursor(1)),
        (key(KeyCode::Esc), Action::Interrupt),
        (ctrl('c'), Action::Interrupt),
        (key(KeyCode::Char('?')), Action::ToggleHelp),
        (key(KeyCode::Char('q')), Action::Quit),
    ];
    for (event, action) in normal {
        check(&app, event, Some(action));
    }
    check(&app, key(KeyCode::Char('z')), None);
    app.update(Action::Edit);
    check(&app, key(KeyCode::Esc), Some(Action::LeaveEditor));
    check(&app, ctrl('r'), Some(Action::RunEditor));
    check(&app, ctrl('c'), Some(Action::Interrupt));
    let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    check(&app, Event::Key(q), Some(Action::EditorKey(q)));
    app.update(Action::LeaveEditor);
    app.update(Action::AskReset);
    check(
        &app,
        key(KeyCode::Char('e')),
        Some(Action::Answer(Answer::YesAndEdits)),
    );
    check(&app, key(KeyCode::Esc), Some(Action::Answer(Answer::No)));
    app.update(Action::Answer(Answer::No));
    app.update(Action::ToggleHelp);
    check(&app, key(KeyCode::Char('q')), Some(Action::ToggleHelp));
}

#[test]
fn enter_runs_earlier_cells_first_one_job_at_a_time() {
    let (mut app, kernel) = app();
    app.update(Action::NextCell);
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(jobs(&kernel), [run_job("x = torch.ones(2)\nprint(x)\n", 1)]);
    assert_eq!(app.cells[1].state, RunState::Queued);
    report(&mut app, KernelEvent::Output("tensor([1., 1.])\n".into()));
    report(&mut app, KernelEvent::Done(Ok(None)));
    assert_eq!(app.cells[0].output, "tensor([1., 1.])\n");
    assert_eq!(jobs(&kernel).len(), 2);
    assert_eq!(app.cells[1].state, RunState::Running);
    report(&mut app, KernelEvent::Done(Ok(None)));
    assert!(!app.is_busy());
    // Both cells have run now: Enter runs only the focused one.
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(jobs(&kernel).len(), 3);
    assert_eq!(jobs(&kernel)[2], run_job("y = x * 2\nprint(y)\n", 2));
}

#[test]
fn a_failure_cancels_the_queue_and_interrupt_reaches_the_kernel() {
    let (mut app, kernel) = app();
    app.update(Action::NextCell);
    app.update(Action::Run);
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(*kernel.interrupts.borrow(), 1);
    assert!(app.pending.is_empty());
    report(
        &mut app,
        KernelEvent::Done(Err("KeyboardInterrupt\n".into())),
    );
    assert_eq!(app.cells[0].error.as_deref(), Some("KeyboardInterrupt\n"));
    assert_eq!(app.cells[1].state, RunState::Idle);
    assert_eq!(
        jobs(&kernel).len(),
        1,
        "cell 2 must not run after cell 1 failed"
    );
    // Interrupting with nothing running does nothing.
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(*kernel.interrupts.borrow(), 1);
}

#[test]
fn editing_and_rerunning_an_earlier_cell_makes_readers_stale() {
    let (mut app, kernel) = app();
    app.update(Action::NextCell);
    app.update(Action::Run);
    report(&mut app, KernelEvent::Done(Ok(None)));
    report(&mut app, KernelEvent::Done(Ok(None)));
    app.update(Action::PrevCell);
    press(&mut app, key(KeyCode::Char('e')));
    assert!(matches!(app.mode, Mode::Edit { index: 0, .. }));
    press(&mut app, key(KeyCode::Down));
    press(&mut app, key(KeyCode::End));
    for c in "  # again".chars() {
        press(&mut app, key(KeyCode::Char(c)));
    }
    press(&mut app, ctrl('r'));
    assert!(matches!(app.mode, Mode::Normal));
    let edited = "x = torch.ones(2)\nprint(x)  # again\n";
    assert_eq!(app.cells[0].code, edited);
    assert_eq!(jobs(&kernel).last(), Some(&run_job(edited, 1)));
    assert!(app.cells[1].stale, "cell 2 reads x");
    let saved = app
        .progress
        .lesson("linear-regression")
        .map(|p| p.edits.len());
    assert_eq!(saved, Some(1), "the edit is kept in progress");
    report(&mut app, KernelEvent::Done(Ok(None)));
    app.update(Action::NextCell);
    app.update(Action::Run);
    assert!(!app.cells[1].stale, "re-running clears it");
}

#[test]
fn exercises_run_their_check_and_record_progress() {
    let (mut app, kernel) = app();
    app.focus = 2;
    press(&mut app, key(KeyCode::Char('h')));
    press(&mut app, key(KeyCode::Char('h')));
    press(&mut app, key(KeyCode::Char('h')));
    assert_eq!(app.cells[2].hints, 2);
    assert!(app
        .notice
        .as_deref()
        .is_some_and(|n| n.contains("No more hints")));
    press(&mut app, key(KeyCode::Char('s')));
    assert!(matches!(app.mode, Mode::Ask(Question::Solution(2))));
    press(&mut app, key(KeyCode::Char('n')));
    assert!(!app.cells[2].solution);
    app.set_code(2, "z = 2 * 2".into());
    app.update(Action::Run);
    for _ in 0..3 {
        report(&mut app, KernelEvent::Done(Ok(None)));
    }
    assert_eq!(app.running, Some(Task::Check(2)));
    assert_eq!(
        jobs(&kernel).last(),
        Some(&Job::Run {
            code: "assert z == 4, \"z should be 4\"\n".into(),
            name: "<check>".into()
        })
    );
    report(&mut app, KernelEvent::Done(Ok(None)));
    assert_eq!(app.cells[2].check, Some(Ok(())));
    let progress = app
        .progress
        .lesson("linear-regression")
        .cloned()
        .unwrap_or_default();
    assert!(progress.exercises_passed.contains("double"));
    assert_eq!(progress.hints_seen.get("double"), Some(&2));
    assert_eq!(progress.cells_run.len(), 3);
}

#[test]
fn reset_asks_and_can_undo_edits() {
    let (mut app, kernel) = app();
    app.set_code(0, "x = 5".into());
    app.update(Action::Run);
    report(&mut app, KernelEvent::Output("hi\n".into()));
    press(&mut app, key(KeyCode::Char('r')));
    press(&mut app, key(KeyCode::Char('y')));
    assert_eq!(app.cells[0].code, "x = 5", "y keeps edits");
    assert_eq!(app.cells[0].output, "");
    assert!(app.running.is_none());
    assert_eq!(*kernel.interrupts.borrow(), 1, "the old kernel is stopped");
    press(&mut app, key(KeyCode::Char('r')));
    press(&mut app, key(KeyCode::Char('e')));
    assert_eq!(app.cells[0].code, "x = torch.ones(2)\nprint(x)\n");
    let edits = app
        .progress
        .lesson("linear-regression")
        .map(|p| p.edits.len());
    assert_eq!(edits, Some(0));
}

#[test]
fn scrolling_is_clamped_and_tab_reveals_the_cell() {
    let (mut app, _) = app_with(lessons(), (80, 24), None);
    app.update(Action::Scroll(-5));
    assert_eq!(app.scroll, 0);
    app.update(Action::Bottom);
    let bottom = app.scroll;
    assert!(bottom > 0);
    app.update(Action::Scroll(10));
    assert_eq!(app.scroll, bottom);
    app.update(Action::Top);
    app.update(Action::NextCell);
    app.update(Action::NextCell);
    let place = app.document().cells[2];
    let height = app.areas().doc.height as usize;
    assert!(place.start >= app.scroll && place.end <= app.scroll + height);
}

#[test]
fn focus_follows_scrolling_to_the_first_cell_on_screen() {
    let (mut app, _) = app_with(lessons(), (80, 24), None);
    let on_screen = |app: &App| {
        let place = app.document().cells[app.focus];
        let height = app.areas().doc.height as usize;
        place.start < app.scroll + height && place.end > app.scroll
    };
    // A long output of the last cell pushes the others off screen at the bottom.
    app.cells[2].output = "line\n".repeat(40);
    app.update(Action::Bottom);
    assert_eq!(app.focus, 2);
    assert!(on_screen(&app));
    app.update(Action::Top);
    assert_eq!(app.focus, 0, "cell 1 is the first one on screen");
    // A focused cell still on screen keeps the focus.
    app.update(Action::NextCell);
    app.update(Action::Scroll(1));
    assert_eq!(app.focus, 1);
    assert!(on_screen(&app));
}

#[test]
fn chart_keys_and_cursor() {
    let (mut app, _) = app();
    app.update(Action::ChartCursor(-1));
    assert_eq!(app.chart.cursor, None, "no data, no cursor");
    app.update(Action::Run);
    for v in [3.0, 2.0, 1.0] {
        report(&mut app, KernelEvent::Plot("loss".into(), v));
    }
    assert!(app.chart.shown);
    app.update(Action::ChartCursor(-1));
    assert_eq!(app.chart.cursor, Some(2));
    app.update(Action::ChartCursor(-1));
    app.update(Action::ChartCursor(-5));
    assert_eq!(app.chart.cursor, Some(0));
    app.update(Action::ChartCursor(9));
    assert_eq!(app.chart.cursor, Some(2));
    press(&mut app, key(KeyCode::Char('L')));
    press(&mut app, key(KeyCode::Char('m')));
    press(&mut app, key(KeyCode::Char('c')));
    assert!(app.chart.log_y && app.chart.smooth && !app.chart.shown);
    // A new run that plots starts a new chart.
    report(&mut app, KernelEvent::Done(Ok(None)));
    app.update(Action::Run);
    report(&mut app, KernelEvent::Plot("loss".into(), 1.0));
    assert_eq!(app.plots.steps(), 1);
}

#[test]
fn repl_lines_echo_into_the_console() {
    let (mut app, kernel) = app();
    press(&mut app, key(KeyCode::Char(':')));
    for c in "1 + 1".chars() {
        press(&mut app, key(KeyCode::Char(c)));
    }
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(jobs(&kernel), [Job::Line("1 + 1".into())]);
    report(&mut app, KernelEvent::Output("printed\n".into()));
    report(&mut app, KernelEvent::Done(Ok(Some("2".into()))));
    assert_eq!(app.console, [">>> 1 + 1", "printed", "2"]);
    press(&mut app, key(KeyCode::Esc));
    assert!(matches!(app.mode, Mode::Normal));
}

#[test]
fn clicks_focus_cells_and_open_lessons() {
    let (mut app, _) = app();
    assert!(!app.list_shown, "the list starts hidden below 110 columns");
    press(&mut app, key(KeyCode::Char('l')));
    let doc = app.document();
    let areas = app.areas();
    let row = areas.doc.y + (doc.cells[1].start - app.scroll) as u16;
    app.update(Action::Click {
        column: areas.doc.x + 3,
        row,
    });
    assert_eq!(app.focus, 1);
    let list = areas.list.unwrap_or_default();
    app.update(Action::Click {
        column: list.x + 2,
        row: list.y + 2,
    });
    assert_eq!(app.current, 1);
}

#[test]
fn lesson_changes_and_quit_save_progress_and_a_new_kernel_starts() {
    let dir = TestDir::new("tui-progress");
    let store = ProgressStore::at(dir.path().join("progress.json"));
    let (mut app, kernel) = app_with(lessons(), (100, 30), Some(store.clone()));
    app.update(Action::Run);
    report(&mut app, KernelEvent::Done(Ok(None)));
    press(&mut app, key(KeyCode::Char('n')));
    assert_eq!(app.current, 1);
    let saved = store.load().progress;
    assert_eq!(saved.current.as_deref(), Some("linear-regression"));
    assert!(saved
        .lesson("linear-regression")
        .is_some_and(|p| p.cells_run.contains(&0)));
    assert_eq!(
        *kernel.interrupts.borrow(),
        1,
        "the old lesson's kernel is stopped"
    );
    press(&mut app, key(KeyCode::Char('q')));
    assert!(app.quit);
    assert_eq!(store.load().progress.current.as_deref(), Some("losses"));
    // The player reopens the lesson the learner was on, unless another is asked for.
    let reopened = |open: Option<&str>| {
        let settings = Setup {
            progress: store.load().progress,
            open: open.map(str::to_string),
            ..setup((100, 30))
        };
        app_from(lessons(), settings).0.lesson().slug.clone()
    };
    assert_eq!(reopened(None), "losses");
    assert_eq!(reopened(Some("2")), "linear-regression");
    assert_eq!(reopened(Some("no-such-lesson")), "linear-regression");
}

#[test]
fn corrupt_progress_notice_shows_in_the_status_bar() {
    let (mut app, _) = app();
    app.notice = Some("Saved progress could not be read".into());
    assert!(screen(&app).contains("Saved progress could not be read"));
    press(&mut app, key(KeyCode::Char('j')));
    assert!(app.notice.is_none(), "a key clears the notice");
}

#[test]
fn output_is_followed_unless_the_learner_scrolls() {
    let (mut app, _) = app_with(lessons(), (80, 24), None);
    app.update(Action::Run);
    let long = "line\n".repeat(40);
    report(&mut app, KernelEvent::Output(long.clone()));
    app.update(Action::Tick);
    let place = app.document().cells[0];
    assert_eq!(
        app.scroll, place.start,
        "as far as the first line of the cell allows"
    );
    app.update(Action::Scroll(-3));
    let by_hand = app.scroll;
    report(&mut app, KernelEvent::Output(long));
    app.update(Action::Tick);
    assert_eq!(app.scroll, by_hand);
    assert_eq!(app.cells[0].output.lines().count(), 80);
}

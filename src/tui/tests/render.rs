//! Whole-screen snapshots (symbols only; colours are checked where they carry meaning).

use crossterm::event::KeyCode;
use insta::assert_snapshot;

use crate::lesson::Lang;

use super::super::app::Action;
use super::super::kernel::KernelEvent;
use super::*;

/// Runs the focused cell and reports `output` and `result` for it.
fn run_focused(app: &mut App, output: &str, result: Result<Option<String>, String>) {
    press(app, key(KeyCode::Enter));
    if !output.is_empty() {
        report(app, KernelEvent::Output(output.into()));
    }
    report(app, KernelEvent::Done(result));
    app.update(Action::Tick);
}

#[test]
fn lesson_list_and_document() {
    // Wide terminals start with the list shown.
    let (app, _) = app_with(lessons(), (120, 30), None);
    assert_snapshot!(screen(&app));
}

#[test]
fn cell_with_its_output() {
    let (mut app, _) = app();
    run_focused(&mut app, "tensor([1., 1.])\n", Ok(None));
    assert_snapshot!(screen(&app));
}

#[test]
fn error_with_its_caret() {
    let (mut app, _) = app();
    app.update(Action::NextCell);
    let traceback = "Traceback (most recent call last):\n  File \"<cell 2>\", line 1, in <module>\n    y = x * 2\n        ^\nNameError: name 'x' is not defined\n";
    // Enter first runs cell 1, which succeeds, then cell 2, which fails.
    press(&mut app, key(KeyCode::Enter));
    report(&mut app, KernelEvent::Done(Ok(None)));
    report(&mut app, KernelEvent::Done(Err(traceback.into())));
    app.update(Action::Tick);
    assert_snapshot!(screen(&app));
}

#[test]
fn chart_with_two_series() {
    let (mut app, _) = app();
    press(&mut app, key(KeyCode::Enter));
    for step in 0..40 {
        let t = step as f64;
        report(&mut app, KernelEvent::Plot("loss".into(), 2.0 / (1.0 + t)));
        if step % 2 == 0 {
            report(&mut app, KernelEvent::Plot("accuracy".into(), t / 40.0));
        }
    }
    assert!(app.chart.shown, "the chart opens when a cell plots");
    press(&mut app, key(KeyCode::Left));
    assert_snapshot!(screen(&app));
}

#[test]
fn help_overlay() {
    let (mut app, _) = app();
    press(&mut app, key(KeyCode::Char('?')));
    assert_snapshot!(screen(&app));
}

#[test]
fn chinese_text_wraps_by_display_width() {
    let zh = lesson("zh/02-linear-regression.md", Lang::Zh, LESSON_ZH);
    let (app, _) = app_with(vec![zh], (80, 24), None);
    let text = screen(&app);
    for line in text.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= 80, "{line}");
    }
    assert_snapshot!(text);
}

#[test]
fn small_terminal_asks_for_a_larger_window() {
    let (app, _) = app_with(lessons(), (60, 20), None);
    assert_snapshot!(screen(&app));
}

#[test]
fn editor_and_repl_prompt() {
    let (mut app, _) = app();
    press(&mut app, key(KeyCode::Char('e')));
    press(&mut app, key(KeyCode::End));
    for c in " + 1".chars() {
        press(&mut app, key(KeyCode::Char(c)));
    }
    let editing = screen(&app);
    assert!(editing.contains("Esc done"), "{editing}");
    press(&mut app, key(KeyCode::Esc));
    press(&mut app, key(KeyCode::Char(':')));
    for c in "x".chars() {
        press(&mut app, key(KeyCode::Char(c)));
    }
    press(&mut app, key(KeyCode::Enter));
    report(
        &mut app,
        KernelEvent::Done(Ok(Some("tensor([1., 1.])".into()))),
    );
    assert_snapshot!(screen(&app));
}

#[test]
fn exercise_with_hint_solution_and_failed_check() {
    let (mut app, _) = app();
    app.update(Action::NextCell);
    app.update(Action::NextCell);
    press(&mut app, key(KeyCode::Char('h')));
    press(&mut app, key(KeyCode::Char('s')));
    press(&mut app, key(KeyCode::Char('y')));
    press(&mut app, key(KeyCode::Enter));
    for _ in 0..3 {
        report(&mut app, KernelEvent::Done(Ok(None)));
    }
    let failure = "Traceback (most recent call last):\n  File \"<check>\", line 1, in <module>\n    assert z == 4, \"z should be 4\"\n           ^^^^^^\nAssertionError: z should be 4\n";
    report(&mut app, KernelEvent::Done(Err(failure.into())));
    app.update(Action::Bottom);
    assert_snapshot!(screen(&app));
}

/// Every built-in lesson, in both languages, lays out within the width at the smallest and a
/// large size, scrolled through to the end.
#[test]
fn every_embedded_lesson_renders_within_its_width() {
    for lang in Lang::ALL {
        let lessons = match crate::lesson::Catalog::embedded().lessons(lang) {
            Ok(lessons) => lessons,
            Err(errors) => panic!("{errors:?}"),
        };
        for size in [(80, 24), (200, 60)] {
            let (mut app, _) = app_with(lessons.clone(), size, None);
            for _ in 0..lessons.len() {
                let width = app.areas().doc.width as usize;
                for line in &app.document().lines {
                    assert!(
                        line.width() <= width,
                        "{} at {size:?}: {line}",
                        app.lesson().slug
                    );
                }
                let started = std::time::Instant::now();
                screen(&app);
                let took = started.elapsed();
                // Drawn 30 times a second while a cell runs (generous for debug builds).
                assert!(
                    took.as_millis() < 100,
                    "{}: one frame took {took:?}",
                    app.lesson().slug
                );
                app.update(Action::Bottom);
                screen(&app);
                app.update(Action::NextLesson);
            }
        }
    }
}

#[test]
fn chinese_help_overlay_and_status_bar() {
    let zh = lesson("zh/02-linear-regression.md", Lang::Zh, LESSON_ZH);
    let setup = Setup {
        lang: Lang::Zh,
        ..setup((80, 24))
    };
    let (mut app, _) = app_from(vec![zh], setup);
    assert_snapshot!("zh_status_bar", screen(&app));
    press(&mut app, key(KeyCode::Char('?')));
    assert_snapshot!("zh_help_overlay", screen(&app));
}

#[test]
fn long_output_and_traceback_lines_are_clipped_with_carets_aligned() {
    let (mut app, _) = app_with(lessons(), (80, 24), None);
    let long = format!("tensor([{}])\n", vec!["0.1234"; 20].join(", "));
    let traceback = format!(
        "Traceback (most recent call last):\n  File \"<cell 1>\", line 1, in <module>\n    result = {}\n             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\nRuntimeError: a message long enough that it has to wrap onto a second line of the pane\n",
        "w".repeat(80)
    );
    run_focused(&mut app, &long, Err(traceback));
    app.update(Action::Scroll(4));
    assert_snapshot!(screen(&app));
}

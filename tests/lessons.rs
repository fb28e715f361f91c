//! `nnlearn check` as part of `cargo test`: every embedded lesson, in both
//! languages, runs and prints what real PyTorch printed; plus the checker's own
//! rules, and fixture lessons that show it can fail.

use std::path::PathBuf;

use expect_test::expect;
use nnlearn::lesson::checker::{check_all, list_lines, same_code, tolerant_equal};
use nnlearn::lesson::progress::Progress;
use nnlearn::lesson::{Catalog, Lang};

#[test]
fn every_embedded_lesson_passes_check() {
    let report = check_all(&Catalog::embedded());
    assert_eq!(report.lessons.len(), 14, "seven lessons in two languages");
    assert!(report.is_ok(), "nnlearn check failed:\n{report}");
}

fn fixtures() -> Catalog {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/checker");
    Catalog::from_dir(&dir).expect("the fixture lessons load")
}

#[test]
fn fixture_lessons_pass_and_fail_as_written() {
    let report = check_all(&fixtures());
    assert!(!report.is_ok());
    expect![[r#"
        ok   en/00-fine  (4 cells, 1 exercise)
             note: line 20: output matches within tolerance (numbers or spacing differ slightly)
        FAIL en/01-broken  (4 cells, 2 exercises)
             line 6: output differs (- PyTorch, + nnlearn)
             -3
             +2
              the end
             line 16: the cell failed
             Traceback (most recent call last):
               File "<cell 2>", line 1, in <module>
                 print(undefined_name)
                       ^^^^^^^^^^^^^^
             NameError: name 'undefined_name' is not defined
             line 34: the solution of `wrong-solution` fails its check
             Traceback (most recent call last):
               File "<cell 4> check", line 1, in <module>
                 assert total == 10, "total should be 10"
                        ^^^^^^^^^^^
             AssertionError: total should be 10
             line 20: the unedited exercise `always-passes` passes its check
        ok   zh/00-fine  (4 cells, 1 exercise)
        FAIL zh/01-broken  (4 cells, 2 exercises)
             line 16: the cell failed
             Traceback (most recent call last):
               File "<cell 2>", line 1, in <module>
                 print(undefined_name)
                       ^^^^^^^^^^^^^^
             NameError: name 'undefined_name' is not defined
             line 34: the solution of `wrong-solution` fails its check
             Traceback (most recent call last):
               File "<cell 4> check", line 1, in <module>
                 assert total == 10, "total 应该是 10"
                        ^^^^^^^^^^^
             AssertionError: total 应该是 10
             line 20: the unedited exercise `always-passes` passes its check
             line 6: the code differs from en/01-broken line 6
        2 passed, 2 failed
    "#]]
    .assert_eq(&report.to_string());
}

#[test]
fn list_shows_progress_per_lesson() {
    let lessons = fixtures()
        .lessons(Lang::Zh)
        .expect("the fixture lessons parse");
    let mut progress = Progress {
        current: Some("broken".to_string()),
        ..Progress::default()
    };
    let broken = progress.lesson_mut("broken");
    broken.cells_run.extend([0, 2, 99]);
    broken.exercises_passed.insert("wrong-solution".to_string());
    broken
        .exercises_passed
        .insert("no-such-exercise".to_string());
    expect![[r#"
          00  没问题  cells 0/4  exercises 0/1
        > 01  坏课程  cells 2/4  exercises 1/2"#]]
    .assert_eq(&list_lines(&lessons, &progress).join("\n"));
}

/// Cases as the conformance suite's `tolerant_equal(got, want)` decides them
/// (shared/conformance/run), except the NaN case, which it wrongly accepts.
#[test]
fn tolerance_rule() {
    let cases = [
        ("tensor([0.5000, 2.5000])", "tensor([0.5000, 2.5000])", true),
        ("tensor([0.50004, 2.5])", "tensor([0.5000, 2.5000])", true),
        (
            "tensor([0.5002, 2.5000])",
            "tensor([0.5000, 2.5000])",
            false,
        ),
        // The allowance grows with the expected value: 1e-4 + 1e-4 * 1000.
        ("1000.1", "1000.0", true),
        ("1000.2", "1000.0", false),
        ("1.0e-05", "1e-5", true),
        ("tensor([ 1.,  2.])", "tensor([1., 2.])", true),
        ("a  b\n", "a b", true),
        ("ab", "a b", false),
        ("tensor([1., 2.])", "tensor([1., 2., 3.])", false),
        ("loss 0.25", "Loss 0.25", false),
        ("nan", "nan", true),
        ("nan", "0.5", false),
        ("inf", "1e300", false),
        ("-inf", "-inf", true),
        ("x = 1", "x = +1", true),
        ("", "", true),
    ];
    for (got, want, expected) in cases {
        assert_eq!(
            tolerant_equal(got, want),
            expected,
            "tolerant_equal({got:?}, {want:?})"
        );
    }
}

fn check_same_code(a: &str, b: &str, expected: bool) {
    assert_eq!(same_code(a, b), expected, "same_code({a:?}, {b:?})");
    assert_eq!(same_code(b, a), expected, "same_code({b:?}, {a:?})");
}

#[test]
fn translations_may_change_only_comments_and_strings() {
    let cases = [
        ("x = 1", "x = 1", true),
        ("x = 1  # one", "x = 1  # 一", true),
        ("# set x\nx = 1", "x = 1", true),
        ("x = 1\n\ny = 2", "x = 1\ny = 2", true),
        ("print('loss')", "print(\"损失\")", true),
        ("print(f'loss {l:.4f}')", "print(f'损失 {l:.4f}')", true),
        ("print(f'{l!r}')", "print(f'值 {l!r} 是')", true),
        ("print(f'{l:.4f}')", "print(f'{l:.3f}')", false),
        ("print(f'{l}')", "print(f'{m}')", false),
        ("print(f'{l}')", "print(f'{l!r}')", false),
        ("print(f'{l}')", "print('{l}')", false),
        ("x = 1", "y = 1", false),
        ("x = 1", "x = 2", false),
        ("x = 1.0", "x = 1", false),
        ("x = a + b", "x = a - b", false),
        ("x = 'a'", "x = a", false),
        (
            "if a:\n    b = 1\nc = 2",
            "if a:\n    b = 1\n    c = 2",
            false,
        ),
        // Code the lexer rejects must be the same text.
        ("x = 'open", "x = 'open", true),
        ("x = 'open", "x = '开", false),
    ];
    for (a, b, expected) in cases {
        check_same_code(a, b, expected);
    }
}

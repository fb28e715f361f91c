use std::fs;
use std::path::Path;

use expect_test::expect;

use super::{LessonProgress, Progress, ProgressStore};
use crate::lesson::model::{Exercise, Runnable};
use crate::lesson::test_dir::TestDir;

fn exercise() -> Exercise {
    Exercise {
        index: 3,
        id: "mse-by-hand".to_string(),
        code: "mse = ...\n".to_string(),
        check: String::new(),
        hints: Vec::new(),
        solution: String::new(),
        line: 20,
    }
}

fn sample() -> Progress {
    let mut progress = Progress {
        current: Some("linear-regression".to_string()),
        ..Progress::default()
    };
    let lesson = progress.lesson_mut("linear-regression");
    lesson.scroll = 42;
    lesson.cells_run.extend([0, 1, 3]);
    lesson.exercises_passed.insert("mse-by-hand".to_string());
    lesson.hints_seen.insert("mse-by-hand".to_string(), 2);
    let exercise = exercise();
    let solved = "mse = ((y - y_hat) ** 2).mean()\n".to_string();
    lesson.set_edit(Runnable::Exercise(&exercise), solved);
    progress.lesson_mut("losses").cells_run.insert(0);
    progress
}

/// The file names in `dir`, sorted, with the time and counter in set-aside names as `*`.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .map(|name| match name.split_once(".corrupt-") {
                    Some((base, _)) => format!("{base}.corrupt-*"),
                    None => name,
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn the_saved_format() {
    let json = serde_json::to_string_pretty(&sample()).expect("serialises");
    expect![[r#"
        {
          "version": 1,
          "current": "linear-regression",
          "lessons": {
            "linear-regression": {
              "scroll": 42,
              "cells_run": [
                0,
                1,
                3
              ],
              "exercises_passed": [
                "mse-by-hand"
              ],
              "hints_seen": {
                "mse-by-hand": 2
              },
              "edits": {
                "3": {
                  "original": "mse = ...\n",
                  "code": "mse = ((y - y_hat) ** 2).mean()\n"
                }
              }
            },
            "losses": {
              "scroll": 0,
              "cells_run": [
                0
              ],
              "exercises_passed": [],
              "hints_seen": {},
              "edits": {}
            }
          }
        }"#]]
    .assert_eq(&json);
}

#[test]
fn saves_and_loads_in_a_new_folder() {
    let dir = TestDir::new("progress-save");
    let store = ProgressStore::at(dir.path().join("nested/data/progress.json"));
    assert_eq!(
        store.load().progress,
        Progress::default(),
        "nothing saved yet"
    );
    store.save(&sample()).expect("saves");
    store.save(&sample()).expect("saves over");
    let loaded = store.load();
    assert_eq!((loaded.progress, loaded.notice), (sample(), None));
    assert_eq!(
        listing(&dir.path().join("nested/data")),
        ["progress.json"],
        "no temp file left"
    );
}

#[test]
fn an_unusable_file_is_kept_aside() {
    let dir = TestDir::new("progress-corrupt");
    let store = ProgressStore::at(dir.path().join("progress.json"));
    let cases = [
        "{ not json",
        r#"{"current": "x"}"#,
        r#"{"version": 99}"#,
        r#"{"version": 1, "lessons": {"a": {"cells_run": "all"}}}"#,
    ];
    for (i, text) in cases.into_iter().enumerate() {
        dir.write("progress.json", text);
        let loaded = store.load();
        assert_eq!(loaded.progress, Progress::default(), "{text}");
        let notice = loaded.notice.unwrap_or_default();
        assert!(
            notice.contains("kept as") && notice.contains(".corrupt-"),
            "{notice}"
        );
        // The aside file holds the original text.
        let aside = notice
            .split("kept as ")
            .nth(1)
            .and_then(|rest| rest.split(" and you").next())
            .unwrap_or("");
        assert_eq!(fs::read_to_string(aside).ok().as_deref(), Some(text), "{i}");
    }
    expect![[r#"
        [
            "progress.json.corrupt-*",
            "progress.json.corrupt-*",
            "progress.json.corrupt-*",
            "progress.json.corrupt-*",
        ]
    "#]]
    .assert_debug_eq(&listing(dir.path()));
}

#[test]
fn reset_one_lesson_or_all() {
    let mut one = sample();
    one.reset(Some("losses"));
    let kept: Vec<&String> = one.lessons.keys().collect();
    assert_eq!(kept, ["linear-regression"]);
    assert_eq!(one.current.as_deref(), Some("linear-regression"));
    let mut all = sample();
    all.reset(None);
    assert_eq!(all, Progress::default());
}

#[test]
fn export_then_import() {
    let dir = TestDir::new("progress-move");
    let store = ProgressStore::at(dir.path().join("progress.json"));
    let exported = dir.path().join("backup/progress-export.json");
    store
        .export(&exported)
        .expect("exports fresh progress when none is saved");
    assert_eq!(
        Progress::read_from(&exported).ok(),
        Some(Progress::default())
    );
    store.save(&sample()).expect("saves");
    store.export(&exported).expect("exports");
    store.save(&Progress::default()).expect("saves");
    assert_eq!(store.import(&exported).ok(), Some(sample()));
    assert_eq!(store.load().progress, sample());
}

#[test]
fn import_refuses_bad_files_and_keeps_progress() {
    let dir = TestDir::new("progress-import");
    let store = ProgressStore::at(dir.path().join("progress.json"));
    store.save(&sample()).expect("saves");
    let bad = dir.write("bad.json", "[1, 2]");
    let newer = dir.write("newer.json", r#"{"version": 2}"#);
    let missing = dir.path().join("missing.json");
    let messages: Vec<String> = [bad, newer, missing]
        .iter()
        .map(|path| match store.import(path) {
            Ok(_) => format!("{} was imported", path.display()),
            Err(error) => error
                .to_string()
                .replace(&dir.path().display().to_string(), "DIR"),
        })
        .collect();
    expect![[r#"
        [
            "DIR/bad.json is not an nnlearn progress file: invalid type: integer `2`, expected a string at line 1 column 5",
            "DIR/newer.json is not an nnlearn progress file: format version 2 is not one this nnlearn reads (1 to 1)",
            "DIR/missing.json: No such file or directory (os error 2)",
        ]
    "#]].assert_debug_eq(&messages);
    assert_eq!(store.load().progress, sample());
}

#[test]
fn edits_follow_the_lesson_code() {
    let original = exercise();
    let changed = Exercise {
        code: "mse = ...  # now with a comment\n".to_string(),
        ..exercise()
    };
    let mut progress = LessonProgress::default();
    progress.set_edit(Runnable::Exercise(&original), "mse = 1\n".to_string());
    assert_eq!(
        progress.edited_code(Runnable::Exercise(&original)),
        Some("mse = 1\n")
    );
    assert_eq!(
        progress.edited_code(Runnable::Exercise(&changed)),
        None,
        "the lesson changed"
    );
    progress.set_edit(Runnable::Exercise(&original), original.code.clone());
    assert_eq!(
        progress.edits.len(),
        0,
        "editing back to the lesson's code is no edit"
    );
}

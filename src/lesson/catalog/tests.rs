use std::path::Path;

use expect_test::{expect, Expect};

use super::{find, Catalog};
use crate::lesson::model::{Lang, Lesson, LessonError};
use crate::lesson::test_dir::TestDir;

fn fixtures() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lessons");
    Catalog::from_dir(&dir).expect("the fixture folder loads")
}

/// One line per lesson, or per error, with the folder's own path shortened to `DIR`.
fn check(result: Result<Vec<Lesson>, Vec<LessonError>>, dir: &Path, expected: Expect) {
    let lines: Vec<String> = match result {
        Ok(lessons) => lessons
            .iter()
            .map(|lesson| {
                format!(
                    "{} {} {:?} runnables={} exercises={}",
                    lesson.file_stem(),
                    lesson.lang,
                    lesson.title,
                    lesson.runnables().count(),
                    lesson.exercises().count()
                )
            })
            .collect(),
        Err(errors) => errors.iter().map(LessonError::to_string).collect(),
    };
    let text = lines.join("\n").replace(&dir.display().to_string(), "DIR");
    expected.assert_eq(&text);
}

#[test]
fn plays_a_folder() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lessons");
    let catalog = fixtures();
    check(
        catalog.lessons(Lang::En),
        &dir,
        expect![[r#"01-sample en "Linear regression" runnables=2 exercises=1"#]],
    );
    check(
        catalog.lessons(Lang::Zh),
        &dir,
        expect![[r#"01-sample zh "线性回归" runnables=1 exercises=0"#]],
    );
}

#[test]
fn finds_by_number_slug_or_stem() {
    let lessons = fixtures().lessons(Lang::En).expect("fixtures parse");
    for (key, found) in [
        ("1", true),
        ("01", true),
        ("sample", true),
        ("01-sample", true),
        ("2", false),
        ("", false),
        ("welcome", false),
    ] {
        assert_eq!(
            find(&lessons, key).map(|lesson| lesson.slug.as_str()),
            found.then_some("sample"),
            "{key}"
        );
    }
}

#[test]
fn embedded_lessons_parse() {
    let catalog = Catalog::embedded();
    for lang in Lang::ALL {
        if let Err(errors) = catalog.lessons(lang) {
            let messages: Vec<String> = errors.iter().map(LessonError::to_string).collect();
            panic!("{}", messages.join("\n"));
        }
    }
}

#[test]
fn reports_every_broken_file() {
    let dir = TestDir::new("catalog");
    let valid = "---\ntitle: T\n---\n";
    dir.write("lessons/en/01-first.md", valid);
    dir.write("lessons/en/01-second.md", valid);
    dir.write("lessons/en/02-first.md", valid);
    dir.write("lessons/en/notes.md", valid);
    dir.write("lessons/en/03-broken.md", "no front matter\n");
    dir.write("lessons/en/04-binary.md", [0xff, 0xfe, 0x00]);
    dir.write("lessons/en/README.txt", "not a lesson");
    dir.write("lessons/zh/01-first.md", valid);
    let lessons = dir.path().join("lessons");
    let catalog = Catalog::from_dir(&lessons).expect("the folder loads");
    check(
        catalog.lessons(Lang::En),
        dir.path(),
        expect![[r#"
        DIR/lessons/en/04-binary.md: cannot be read as UTF-8 text
        DIR/lessons/en/03-broken.md:1: missing front matter (---, title: ..., summary: ..., ---)
        DIR/lessons/en/notes.md: file name must look like NN-slug.md
        DIR/lessons/en/01-second.md: lesson number 1 is also used by DIR/lessons/en/01-first.md
        DIR/lessons/en/02-first.md: slug `first` is also used by DIR/lessons/en/01-first.md"#]],
    );
    check(
        catalog.lessons(Lang::Zh),
        dir.path(),
        expect![[r#"01-first zh "T" runnables=0 exercises=0"#]],
    );
}

#[test]
fn finds_assets_beside_or_above_the_lessons() {
    let dir = TestDir::new("assets");
    let lesson = "---\ntitle: T\n---\n![net](../../assets/net.txt)\n";
    dir.write("lessons/en/01-a.md", lesson);
    dir.write("assets/net.txt", "above");
    let above = Catalog::from_dir(&dir.path().join("lessons")).expect("loads");
    dir.write("lessons/assets/net.txt", "beside");
    let beside = Catalog::from_dir(&dir.path().join("lessons")).expect("loads");
    let diagram = |catalog: &Catalog| {
        format!(
            "{:?}",
            catalog
                .lessons(Lang::En)
                .map(|lessons| lessons[0].blocks.clone())
        )
    };
    expect![[r#"Ok([Prose(Diagram { caption: Some("net"), text: "above" })])"#]]
        .assert_eq(&diagram(&above));
    expect![[r#"Ok([Prose(Diagram { caption: Some("net"), text: "beside" })])"#]]
        .assert_eq(&diagram(&beside));
}

#[test]
fn rejects_a_folder_without_lessons() {
    let dir = TestDir::new("empty");
    let message = |path: &Path| {
        Catalog::from_dir(path).err().map(|error| {
            error
                .to_string()
                .replace(&dir.path().display().to_string(), "DIR")
        })
    };
    assert_eq!(
        message(dir.path()).as_deref(),
        Some("DIR: has no `en` or `zh` folder of lessons")
    );
    assert_eq!(
        message(&dir.path().join("missing")).as_deref(),
        Some("DIR/missing: not a folder")
    );
}

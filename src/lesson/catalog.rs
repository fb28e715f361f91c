//! Where lessons come from: the copies embedded in the binary (so it runs from
//! any folder, offline), or a folder given with `--lessons DIR` so authors can
//! work without rebuilding. Both have the layout `en/NN-slug.md`, `zh/NN-slug.md`
//! plus an assets folder of text diagrams.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use super::model::{Lang, Lesson, LessonError};
use super::parse::parse_lesson;

static EMBEDDED_LESSONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/lessons");
static EMBEDDED_ASSETS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets");

/// The lesson files and assets, read but not yet parsed.
#[derive(Clone, Debug)]
pub struct Catalog {
    files: Vec<SourceFile>,
    /// Asset text by name relative to the assets folder (`net.txt`, `sub/net.txt`).
    assets: BTreeMap<String, String>,
    /// Files that could not be read, with the language they belong to (none
    /// for assets, which every language uses).
    unreadable: Vec<(Option<Lang>, LessonError)>,
}

#[derive(Clone, Debug)]
struct SourceFile {
    lang: Lang,
    /// For messages and `Lesson::source_path`.
    path: String,
    text: String,
}

impl Catalog {
    /// The lessons built into the binary.
    pub fn embedded() -> Catalog {
        let mut catalog = Catalog {
            files: Vec::new(),
            assets: BTreeMap::new(),
            unreadable: Vec::new(),
        };
        for lang in Lang::ALL {
            let Some(dir) = EMBEDDED_LESSONS.get_dir(lang.code()) else {
                continue;
            };
            for file in dir.files() {
                let path = format!("lessons/{}", file.path().display());
                if is_lesson_file(file.path()) {
                    catalog.add(lang, path, file.contents_utf8().map(str::to_string));
                }
            }
        }
        let mut files = Vec::new();
        embedded_files(&EMBEDDED_ASSETS, &mut files);
        for (name, contents) in files {
            catalog.add_asset(name.clone(), format!("assets/{name}"), contents);
        }
        catalog.files.sort_by(|a, b| a.path.cmp(&b.path));
        catalog
    }

    /// The lessons in `dir` (`dir/en/*.md`, `dir/zh/*.md`), with assets from
    /// `dir/assets` or else `dir/../assets`.
    pub fn from_dir(dir: &Path) -> Result<Catalog, LessonError> {
        let folder_error = |message: &str| LessonError {
            file: dir.display().to_string(),
            line: 0,
            message: message.to_string(),
        };
        if !dir.is_dir() {
            return Err(folder_error("not a folder"));
        }
        let mut catalog = Catalog {
            files: Vec::new(),
            assets: BTreeMap::new(),
            unreadable: Vec::new(),
        };
        let mut found_language = false;
        for lang in Lang::ALL {
            let lang_dir = dir.join(lang.code());
            if !lang_dir.is_dir() {
                continue;
            }
            found_language = true;
            for path in read_tree(&lang_dir, Some(lang), &mut catalog.unreadable, false) {
                if is_lesson_file(&path) {
                    let text = fs::read_to_string(&path).ok();
                    catalog.add(lang, path.display().to_string(), text);
                }
            }
        }
        if !found_language {
            return Err(folder_error("has no `en` or `zh` folder of lessons"));
        }
        let assets_dir = [dir.join("assets"), dir.join("..").join("assets")]
            .into_iter()
            .find(|candidate| candidate.is_dir());
        if let Some(assets_dir) = assets_dir {
            for path in read_tree(&assets_dir, None, &mut catalog.unreadable, true) {
                let name = path
                    .strip_prefix(&assets_dir)
                    .unwrap_or(&path)
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let text = fs::read_to_string(&path).ok();
                catalog.add_asset(name, path.display().to_string(), text);
            }
        }
        catalog.files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(catalog)
    }

    /// Every lesson in `lang`, in number order, or every problem found in them
    /// (including file names, unreadable files and duplicate numbers or slugs).
    pub fn lessons(&self, lang: Lang) -> Result<Vec<Lesson>, Vec<LessonError>> {
        let mut errors: Vec<LessonError> = self
            .unreadable
            .iter()
            .filter(|(owner, _)| owner.is_none_or(|owner| owner == lang))
            .map(|(_, error)| error.clone())
            .collect();
        let mut lessons = Vec::new();
        for file in self.files.iter().filter(|file| file.lang == lang) {
            match parse_lesson(&file.path, lang, &file.text, &self.assets) {
                Ok(lesson) => lessons.push(lesson),
                Err(found) => errors.extend(found),
            }
        }
        lessons.sort_by_key(|lesson| lesson.number);
        let mut seen_numbers = HashMap::new();
        let mut seen_slugs = HashMap::new();
        for lesson in &lessons {
            if let Some(other) = seen_numbers.insert(lesson.number, &lesson.source_path) {
                errors.push(whole_file_error(
                    lesson,
                    format!("lesson number {} is also used by {other}", lesson.number),
                ));
            }
            if let Some(other) = seen_slugs.insert(lesson.slug.as_str(), &lesson.source_path) {
                errors.push(whole_file_error(
                    lesson,
                    format!("slug `{}` is also used by {other}", lesson.slug),
                ));
            }
        }
        if errors.is_empty() {
            Ok(lessons)
        } else {
            Err(errors)
        }
    }

    fn add(&mut self, lang: Lang, path: String, text: Option<String>) {
        match text {
            Some(text) => self.files.push(SourceFile { lang, path, text }),
            None => self.unreadable.push((Some(lang), unreadable(path))),
        }
    }

    fn add_asset(&mut self, name: String, path: String, text: Option<String>) {
        match text {
            Some(text) => {
                self.assets.insert(name, text);
            }
            None => self.unreadable.push((None, unreadable(path))),
        }
    }
}

/// The lesson whose number (`2`, `02`), slug (`linear-regression`) or file stem
/// (`02-linear-regression`) is `key`.
pub fn find<'a>(lessons: &'a [Lesson], key: &str) -> Option<&'a Lesson> {
    let number: Option<u32> = key.parse().ok();
    lessons.iter().find(|lesson| {
        Some(lesson.number) == number || lesson.slug == key || lesson.file_stem() == key
    })
}

fn is_lesson_file(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "md")
}

fn unreadable(path: String) -> LessonError {
    LessonError {
        file: path,
        line: 0,
        message: "cannot be read as UTF-8 text".to_string(),
    }
}

fn whole_file_error(lesson: &Lesson, message: String) -> LessonError {
    LessonError {
        file: lesson.source_path.clone(),
        line: 0,
        message,
    }
}

/// Files under an embedded folder, by path relative to it, with their text.
fn embedded_files(dir: &Dir<'static>, out: &mut Vec<(String, Option<String>)>) {
    for file in dir.files() {
        let name = file.path().to_string_lossy().replace('\\', "/");
        if !is_placeholder(&name) {
            out.push((name, file.contents_utf8().map(str::to_string)));
        }
    }
    for sub in dir.dirs() {
        embedded_files(sub, out);
    }
}

/// `.keep` files hold otherwise empty folders in git.
fn is_placeholder(name: &str) -> bool {
    name.rsplit('/')
        .next()
        .is_some_and(|base| base.starts_with('.'))
}

/// The files in `dir` (and, when `recursive`, below it), sorted. Folders that
/// cannot be listed are reported in `errors`.
fn read_tree(
    dir: &Path,
    owner: Option<Lang>,
    errors: &mut Vec<(Option<Lang>, LessonError)>,
    recursive: bool,
) -> Vec<PathBuf> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            let error = LessonError {
                file: dir.display().to_string(),
                line: 0,
                message: format!("cannot be listed: {error}"),
            };
            errors.push((owner, error));
            return Vec::new();
        }
    };
    let mut files = Vec::new();
    for path in entries.flatten().map(|entry| entry.path()) {
        let hidden = path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            if recursive {
                files.extend(read_tree(&path, owner, errors, true));
            }
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[cfg(test)]
mod tests;

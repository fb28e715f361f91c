//! The learner's progress, saved as JSON in the platform's data folder.
//!
//! Saving never leaves a half-written file (temp file in the same folder, fsync,
//! rename), and a file that cannot be read is kept aside under another name
//! while the player starts fresh with a notice: progress must never crash it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::model::Runnable;

/// The format version written by this build; files from newer builds are refused.
pub const PROGRESS_VERSION: u32 = 1;

/// Set to a folder to keep the data (progress, REPL history) there instead of
/// the platform's data folder; tests use it.
pub const DATA_DIR_ENV: &str = "NNLEARN_DATA_DIR";

const FILE_NAME: &str = "progress.json";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub version: u32,
    /// Slug of the lesson the learner was on last.
    #[serde(default)]
    pub current: Option<String>,
    /// By lesson slug (the same in every language).
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LessonProgress {
    /// The player's scroll position in the lesson, in rendered lines.
    pub scroll: usize,
    /// `Runnable::index` of every cell or exercise run at least once.
    pub cells_run: BTreeSet<usize>,
    /// Ids of the exercises whose check passed.
    pub exercises_passed: BTreeSet<String>,
    /// Exercise id to the number of hints revealed.
    pub hints_seen: BTreeMap<String, usize>,
    /// `Runnable::index` to the learner's version of that cell's code; use
    /// `edited_code` and `set_edit`, which notice when the lesson has changed.
    pub edits: BTreeMap<usize, Edit>,
}

/// A cell the learner changed, with the code it had in the lesson then, so an
/// edit is not applied to a different cell after the lesson is updated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub original: String,
    pub code: String,
}

impl LessonProgress {
    /// The learner's code for `runnable`, unless there is none or the lesson's
    /// code has changed since it was edited.
    pub fn edited_code(&self, runnable: Runnable<'_>) -> Option<&str> {
        self.edits
            .get(&runnable.index())
            .filter(|edit| edit.original == runnable.code())
            .map(|edit| edit.code.as_str())
    }

    /// Keeps the learner's code for `runnable`; code equal to the lesson's own
    /// removes the edit.
    pub fn set_edit(&mut self, runnable: Runnable<'_>, code: String) {
        if code == runnable.code() {
            self.edits.remove(&runnable.index());
        } else {
            let original = runnable.code().to_string();
            self.edits.insert(runnable.index(), Edit { original, code });
        }
    }
}

impl Default for Progress {
    fn default() -> Progress {
        Progress {
            version: PROGRESS_VERSION,
            current: None,
            lessons: BTreeMap::new(),
        }
    }
}

impl Progress {
    pub fn lesson(&self, slug: &str) -> Option<&LessonProgress> {
        self.lessons.get(slug)
    }

    /// The lesson's progress, created empty when there is none yet.
    pub fn lesson_mut(&mut self, slug: &str) -> &mut LessonProgress {
        self.lessons.entry(slug.to_string()).or_default()
    }

    /// Forgets one lesson's progress (`Some(slug)`), or everything (`None`).
    pub fn reset(&mut self, lesson: Option<&str>) {
        match lesson {
            Some(slug) => {
                self.lessons.remove(slug);
            }
            None => *self = Progress::default(),
        }
    }

    /// Reads and validates a progress file.
    pub fn read_from(path: &Path) -> Result<Progress, ProgressError> {
        let text = fs::read_to_string(path).map_err(|source| ProgressError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let invalid = |message: String| ProgressError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let progress: Progress =
            serde_json::from_str(&text).map_err(|error| invalid(error.to_string()))?;
        if !(1..=PROGRESS_VERSION).contains(&progress.version) {
            return Err(invalid(format!(
                "format version {} is not one this nnlearn reads (1 to {PROGRESS_VERSION})",
                progress.version
            )));
        }
        Ok(progress)
    }

    /// Writes the progress to `path` atomically, creating its folder if needed.
    pub fn write_to(&self, path: &Path) -> Result<(), ProgressError> {
        let io_error = |source| ProgressError::Io {
            path: path.to_path_buf(),
            source,
        };
        let json = serde_json::to_string_pretty(self).map_err(|error| io_error(error.into()))?;
        write_atomically(path, json.as_bytes()).map_err(io_error)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{} is not an nnlearn progress file: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

/// What `ProgressStore::load` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    pub progress: Progress,
    /// Set when the saved file could not be used: what happened, and where it was kept.
    pub notice: Option<String>,
}

/// Where progress is saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressStore {
    path: PathBuf,
}

/// The folder for nnlearn's own files: `$NNLEARN_DATA_DIR` if set, else the
/// platform's data folder. `None` when the platform has none (no home folder).
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("", "", "nnlearn")
            .map(|dirs| dirs.data_dir().to_path_buf()),
    }
}

impl ProgressStore {
    /// A store in the given file.
    pub fn at(path: PathBuf) -> ProgressStore {
        ProgressStore { path }
    }

    /// `progress.json` in `data_dir()`.
    pub fn default_location() -> Option<ProgressStore> {
        data_dir().map(|dir| ProgressStore::at(dir.join(FILE_NAME)))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved progress; fresh progress when there is none yet, or, with a
    /// notice, when the file cannot be used (it is then renamed aside to
    /// `progress.json.corrupt-<unix time>`).
    pub fn load(&self) -> Loaded {
        let error = match Progress::read_from(&self.path) {
            Ok(progress) => {
                return Loaded {
                    progress,
                    notice: None,
                }
            }
            Err(ProgressError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
                return Loaded {
                    progress: Progress::default(),
                    notice: None,
                }
            }
            Err(error) => error,
        };
        let notice = match self.set_aside() {
            Ok(aside) => format!(
                "Saved progress could not be read ({error}); it was kept as {} and you start fresh.",
                aside.display()
            ),
            Err(rename) => format!(
                "Saved progress could not be read ({error}) nor moved aside ({rename}); you start fresh."
            ),
        };
        Loaded {
            progress: Progress::default(),
            notice: Some(notice),
        }
    }

    pub fn save(&self, progress: &Progress) -> Result<(), ProgressError> {
        progress.write_to(&self.path)
    }

    /// Copies the saved progress to `to` (fresh progress when none is saved).
    pub fn export(&self, to: &Path) -> Result<(), ProgressError> {
        let progress = match Progress::read_from(&self.path) {
            Err(ProgressError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => {
                Progress::default()
            }
            other => other?,
        };
        progress.write_to(to)
    }

    /// Replaces the saved progress with the file at `from`, once it has been
    /// read and validated; on error the saved progress is untouched.
    pub fn import(&self, from: &Path) -> Result<Progress, ProgressError> {
        let progress = Progress::read_from(from)?;
        self.save(&progress)?;
        Ok(progress)
    }

    fn set_aside(&self) -> io::Result<PathBuf> {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.as_secs())
            .unwrap_or(0);
        let name = self
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| FILE_NAME.to_string());
        let base = format!("{name}.corrupt-{seconds}");
        let aside = (0..)
            .map(|n| match n {
                0 => self.path.with_file_name(&base),
                n => self.path.with_file_name(format!("{base}-{n}")),
            })
            .find(|candidate| !candidate.exists())
            .unwrap_or_else(|| self.path.with_file_name(&base));
        fs::rename(&self.path, &aside)?;
        Ok(aside)
    }
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk, then
/// renames it over `path`, so a crash leaves either the old file or the new one.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
    let written = File::create(&temp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    });
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written?;
    // Make the rename itself durable; folders cannot be opened on every platform.
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests;

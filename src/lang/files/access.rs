//! Which files a snippet may open: those inside the allowed folders (the running script's
//! folder, nnlearn's data folder), after `..` and symbolic links are resolved. `open()` and
//! `torch.save`/`torch.load` all go through `FileAccess::resolve`.

use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

use crate::lang::exception::Exception;
use crate::lang::repr::str_repr;

/// What a path is wanted for: reading needs the file to exist, writing its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Read,
    Write,
}

/// A folder snippets may use, with the words that name it in error messages.
#[derive(Debug, Clone)]
struct Root {
    label: String,
    given: PathBuf,
    canonical: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct FileAccess {
    /// Relative paths are taken from here (then from the process's current folder).
    base: PathBuf,
    roots: Vec<Root>,
}

impl Default for FileAccess {
    /// The current folder, for sessions nobody configured.
    fn default() -> FileAccess {
        let cwd = current_dir();
        FileAccess::new(cwd.clone(), [("the current folder", cwd)])
    }
}

fn current_dir() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

/// `a/./b/../c` as `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// CPython's `OSError` subclasses for what the OS said, `[Errno N] text: 'path'`.
pub fn os_error(kind: ErrorKind, path: &str) -> Exception {
    let (class, errno, text) = match kind {
        ErrorKind::NotFound => ("FileNotFoundError", 2, "No such file or directory"),
        ErrorKind::PermissionDenied => ("PermissionError", 13, "Permission denied"),
        ErrorKind::IsADirectory => ("IsADirectoryError", 21, "Is a directory"),
        ErrorKind::NotADirectory => ("NotADirectoryError", 20, "Not a directory"),
        _ => ("OSError", 5, "Input/output error"),
    };
    Exception::new(class, format!("[Errno {errno}] {text}: {}", str_repr(path)))
}

impl FileAccess {
    /// Files inside `roots` (each with the words that name it, such as "the script's folder");
    /// relative paths start at `base`.
    pub fn new<L: Into<String>>(
        base: PathBuf,
        roots: impl IntoIterator<Item = (L, PathBuf)>,
    ) -> FileAccess {
        let absolute = |p: PathBuf| {
            if p.is_absolute() {
                p
            } else {
                current_dir().join(p)
            }
        };
        FileAccess {
            base: normalize(&absolute(base)),
            roots: roots
                .into_iter()
                .map(|(label, path)| {
                    let given = normalize(&absolute(path));
                    Root {
                        label: label.into(),
                        canonical: given.canonicalize().ok(),
                        given,
                    }
                })
                .collect(),
        }
    }

    /// Whether `path` is inside an allowed folder; `lexical` also accepts the folders as
    /// given, for paths that do not exist (yet).
    fn inside(&self, path: &Path, lexical: bool) -> bool {
        self.roots.iter().any(|root| {
            root.canonical.as_ref().is_some_and(|f| path.starts_with(f))
                || (lexical && path.starts_with(&root.given))
        })
    }

    fn refused(&self, path: &str) -> Exception {
        let allowed: Vec<String> = self
            .roots
            .iter()
            .map(|r| format!("{} ({})", r.label, r.given.display()))
            .collect();
        Exception::new(
            "PermissionError",
            format!(
                "[Errno 13] Permission denied: {}: nnlearn opens files only inside {}",
                str_repr(path),
                if allowed.is_empty() {
                    "no folder in this session".to_string()
                } else {
                    allowed.join(" or ")
                }
            ),
        )
    }

    /// The real path to use for `path` as a snippet wrote it, or the exception to raise:
    /// `PermissionError` outside the allowed folders, CPython's `FileNotFoundError` for a
    /// file (or, to write, a folder) that does not exist.
    pub fn resolve(&self, path: &str, purpose: Purpose) -> Result<PathBuf, Exception> {
        if path.is_empty() {
            return Err(os_error(ErrorKind::NotFound, path));
        }
        let wanted = Path::new(path);
        let candidate = if wanted.is_absolute() {
            wanted.to_path_buf()
        } else {
            let from_base = self.base.join(wanted);
            let from_cwd = current_dir().join(wanted);
            if !from_base.exists() && from_cwd.exists() {
                from_cwd
            } else {
                from_base
            }
        };
        let lexical = normalize(&candidate);
        if !self.inside(&lexical, true) {
            return Err(self.refused(path));
        }
        let real = match purpose {
            Purpose::Read => candidate.canonicalize(),
            Purpose::Write => match (lexical.parent(), lexical.file_name()) {
                (Some(dir), Some(name)) if !lexical.is_symlink() => {
                    dir.canonicalize().map(|d| d.join(name))
                }
                _ => lexical.canonicalize(),
            },
        }
        .map_err(|e| os_error(e.kind(), path))?;
        if !self.inside(&real, false) {
            return Err(self.refused(path));
        }
        Ok(real)
    }
}

//! The typed lesson model: what the parser produces and the player, the checker
//! and the progress store consume. Plain data, no terminal types, so the TUI can
//! lay it out at any width.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A lesson language. Every lesson exists in each of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The folder name under `lessons/` (`en`, `zh`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// `en`, `zh`, and locale strings such as `zh_CN.UTF-8` (as found in `LANG`).
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.to_ascii_lowercase();
        Lang::ALL
            .into_iter()
            .find(|lang| lower == lang.code() || lower.starts_with(&format!("{}_", lang.code())))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One lesson file, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// From the file name without its number: `linear-regression` for
    /// `02-linear-regression.md`. The same in every language; progress is keyed by it.
    pub slug: String,
    /// From the file name: 2 for `02-linear-regression.md`.
    pub number: u32,
    pub lang: Lang,
    pub title: String,
    pub summary: String,
    pub blocks: Vec<Block>,
    /// Where it came from, for messages: `en/02-linear-regression.md` when embedded,
    /// the real path when played from `--lessons DIR`.
    pub source_path: String,
}

impl Lesson {
    /// `02-linear-regression`: the file stem.
    pub fn file_stem(&self) -> String {
        format!("{:02}-{}", self.number, self.slug)
    }

    /// The runnable blocks (cells and exercises) in order; `Runnable::index` is
    /// the position in this sequence.
    pub fn runnables(&self) -> impl Iterator<Item = Runnable<'_>> {
        self.blocks.iter().filter_map(Block::runnable)
    }

    pub fn exercises(&self) -> impl Iterator<Item = &Exercise> {
        self.blocks.iter().filter_map(|block| match block {
            Block::Exercise(exercise) => Some(exercise),
            _ => None,
        })
    }
}

/// A top-level piece of a lesson.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Prose(Prose),
    Cell(Cell),
    Exercise(Exercise),
}

impl Block {
    pub fn runnable(&self) -> Option<Runnable<'_>> {
        match self {
            Block::Prose(_) => None,
            Block::Cell(cell) => Some(Runnable::Cell(cell)),
            Block::Exercise(exercise) => Some(Runnable::Exercise(exercise)),
        }
    }
}

/// A cell or an exercise: what Tab moves between and what the checker runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Runnable<'a> {
    Cell(&'a Cell),
    Exercise(&'a Exercise),
}

impl<'a> Runnable<'a> {
    pub fn index(self) -> usize {
        match self {
            Runnable::Cell(cell) => cell.index,
            Runnable::Exercise(exercise) => exercise.index,
        }
    }

    /// The code as written in the lesson (the exercise's unsolved starting code).
    pub fn code(self) -> &'a str {
        match self {
            Runnable::Cell(cell) => &cell.code,
            Runnable::Exercise(exercise) => &exercise.code,
        }
    }

    pub fn line(self) -> usize {
        match self {
            Runnable::Cell(cell) => cell.line,
            Runnable::Exercise(exercise) => exercise.line,
        }
    }
}

/// A `python` fence: runs in the lesson's session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// 0-based position among the lesson's runnables (cells and exercises together),
    /// identical across languages; progress and edits are keyed by it.
    pub index: usize,
    pub code: String,
    /// The `output` fence that follows it, if any: what the cell must print.
    pub expected_output: Option<String>,
    /// 1-based line of the opening fence.
    pub line: usize,
}

/// A `python exercise id=ID` fence with its `check`, `hint`s and `solution`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exercise {
    /// 0-based position among the lesson's runnables, like `Cell::index`.
    pub index: usize,
    pub id: String,
    /// The starting code the learner completes.
    pub code: String,
    /// Run after the learner's code in the same session; passing means no exception.
    pub check: String,
    /// Revealed one at a time.
    pub hints: Vec<String>,
    pub solution: String,
    /// 1-based line of the opening fence.
    pub line: usize,
}

/// Display-only markdown, structured so the TUI can wrap and style it.
#[derive(Clone, Debug, PartialEq)]
pub enum Prose {
    Heading {
        /// 1 to 6.
        level: u8,
        spans: Vec<Span>,
    },
    Paragraph(Vec<Span>),
    List {
        /// `Some(first number)` for an ordered list.
        start: Option<u64>,
        /// Each item is a sequence of prose blocks (paragraphs, nested lists, ...).
        items: Vec<Vec<Prose>>,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Span>>,
        rows: Vec<Vec<Vec<Span>>>,
    },
    Quote(Vec<Prose>),
    /// Display math already converted to Unicode; one or more lines (aligned rows
    /// are padded to line up), to be centred as a block.
    Math(String),
    /// A fence that is shown, not run.
    Code {
        lang: String,
        text: String,
    },
    /// Box-drawing text shown as is, from a `diagram` fence or an asset image.
    Diagram {
        caption: Option<String>,
        text: String,
    },
    Rule,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

/// A run of inline text with one style. `text` contains `\n` only for a hard
/// line break; soft breaks are already spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub style: SpanStyle,
    /// The target when the span is (part of) a link.
    pub link: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpanStyle {
    pub emphasis: bool,
    pub strong: bool,
    pub strikethrough: bool,
    /// Inline code.
    pub code: bool,
    /// Inline math, already converted to Unicode.
    pub math: bool,
}

/// A problem in a lesson file, with where it is. `line` is 1-based; 0 means the
/// whole file (or folder).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct LessonError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.file, self.message),
            line => write!(f, "{}:{}: {}", self.file, line, self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn language_from_flag_or_locale() {
        let cases = [
            ("en", Some(Lang::En)),
            ("zh", Some(Lang::Zh)),
            ("ZH", Some(Lang::Zh)),
            ("zh_CN.UTF-8", Some(Lang::Zh)),
            ("en_GB.UTF-8", Some(Lang::En)),
            ("C.UTF-8", None),
            ("zhx", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(Lang::parse(text), expected, "{text:?}");
        }
    }
}

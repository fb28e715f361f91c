//! `nnlearn list`: the lessons with the learner's progress, as plain text.

use unicode_width::UnicodeWidthStr;

use crate::lesson::model::{Lesson, Runnable};
use crate::lesson::progress::Progress;

/// One line per lesson: a `>` on the learner's current lesson, the number, the
/// title (padded to line up, counting wide characters as two columns), then how
/// many cells have been run and exercises passed.
///
/// ```text
/// > 02  Linear regression   cells 5/12  exercises 1/3
/// ```
pub fn list_lines(lessons: &[Lesson], progress: &Progress) -> Vec<String> {
    let title_width = lessons
        .iter()
        .map(|lesson| lesson.title.width())
        .max()
        .unwrap_or(0);
    lessons
        .iter()
        .map(|lesson| {
            let current = progress.current.as_deref() == Some(lesson.slug.as_str());
            let saved = progress.lesson(&lesson.slug);
            let runnables = lesson.runnables().count();
            let run = saved.map_or(0, |saved| {
                lesson
                    .runnables()
                    .map(Runnable::index)
                    .filter(|index| saved.cells_run.contains(index))
                    .count()
            });
            let exercises = lesson.exercises().count();
            let passed = saved.map_or(0, |saved| {
                lesson
                    .exercises()
                    .filter(|exercise| saved.exercises_passed.contains(&exercise.id))
                    .count()
            });
            let padding = " ".repeat(title_width - lesson.title.width());
            format!(
                "{} {:02}  {}{padding}  cells {run}/{runnables}  exercises {passed}/{exercises}",
                if current { '>' } else { ' ' },
                lesson.number,
                lesson.title,
            )
        })
        .collect()
}

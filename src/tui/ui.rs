//! Drawing the player: `impl Widget for &App`, split into one function per pane.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::plot::ChartView;

use super::app::{App, Mode, Question, Task};
use super::doc::ERROR;
use super::layout::{Areas, MIN_SIZE};
use super::text::{fill, texts, KeyHint, Texts};

/// Rows above the first lesson in the list pane (its title).
pub const LIST_HEADER_ROWS: usize = 1;
const HINT_KEY: Style = Style::new().fg(Color::LightCyan);

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let areas = Areas::new(area, self);
        let text = texts(self.lang);
        if !areas.fits {
            render_too_small(text, area, buf);
            return;
        }
        if let Some(list) = areas.list {
            render_list(self, list, buf);
        }
        render_doc(self, areas.doc, buf);
        if let Some(chart) = areas.chart {
            render_chart(self, chart, buf);
        }
        if let Some(console) = areas.console {
            render_console(self, console, buf);
        }
        render_status(self, areas.status, buf);
        match self.mode {
            Mode::Help => render_help(text, area, buf),
            Mode::Ask(question) => render_question(text, question, area, buf),
            _ => {}
        }
    }
}

fn render_too_small(words: &Texts, area: Rect, buf: &mut Buffer) {
    let text = vec![
        Line::from(words.too_small.bold()),
        Line::from(fill(
            words.too_small_size,
            &[&MIN_SIZE.0, &MIN_SIZE.1, &area.width, &area.height],
        )),
    ];
    let middle = Rect {
        y: area.y + area.height.saturating_sub(2) / 2,
        height: area.height.min(2),
        ..area
    };
    Paragraph::new(text)
        .centered()
        .wrap(Wrap { trim: true })
        .render(middle, buf);
}

fn render_list(app: &App, area: Rect, buf: &mut Buffer) {
    let block = Block::new()
        .borders(Borders::RIGHT)
        .border_style(Style::new().fg(Color::DarkGray));
    let inner = block.inner(area);
    block.render(area, buf);
    let mut lines = vec![Line::from(texts(app.lang).lessons.bold())];
    for (i, lesson) in app.lessons.iter().enumerate() {
        let mark = lesson_mark(app, i);
        let text = format!("{mark} {:02} {}", lesson.number, lesson.title);
        let style = if i == app.current {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(text, style));
    }
    Paragraph::new(lines).render(inner, buf);
}

/// `✓` done (every cell run, every exercise passed), `•` started, ` ` not yet.
fn lesson_mark(app: &App, index: usize) -> char {
    let lesson = &app.lessons[index];
    let Some(progress) = app.progress.lesson(&lesson.slug) else {
        return ' ';
    };
    let all_run = lesson
        .runnables()
        .all(|r| progress.cells_run.contains(&r.index()));
    let all_passed = lesson
        .exercises()
        .all(|e| progress.exercises_passed.contains(&e.id));
    if all_run && all_passed {
        '✓'
    } else if progress.cells_run.is_empty() {
        ' '
    } else {
        '•'
    }
}

fn render_doc(app: &App, area: Rect, buf: &mut Buffer) {
    let doc = app.document();
    let shown = doc.lines.iter().skip(app.scroll).take(area.height as usize);
    for (row, line) in (area.y..).zip(shown) {
        buf.set_line(area.x, row, line, area.width);
    }
    let Mode::Edit { index, editor } = &app.mode else {
        return;
    };
    let Some(place) = doc.cells.get(*index) else {
        return;
    };
    // The editor covers the cell's code rows that are on screen.
    let top = place.code_start.max(app.scroll);
    let bottom = (place.code_start + place.code_rows).min(app.scroll + area.height as usize);
    if top < bottom {
        let rect = Rect {
            x: area.x + 2,
            y: area.y + (top - app.scroll) as u16,
            width: area.width.saturating_sub(2),
            height: (bottom - top) as u16,
        };
        editor.render(rect, buf);
    }
}

fn render_chart(app: &App, area: Rect, buf: &mut Buffer) {
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(Style::new().fg(Color::DarkGray))
        .title(texts(app.lang).chart_title);
    let inner = block.inner(area);
    block.render(area, buf);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    let view = ChartView {
        log_y: app.chart.log_y,
        smooth: app.chart.smooth,
        cursor: app.chart.cursor,
        ..ChartView::new(&app.plots)
    };
    view.render(inner, buf);
}

fn render_console(app: &App, area: Rect, buf: &mut Buffer) {
    let Mode::Prompt(prompt) = &app.mode else {
        return;
    };
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(Style::new().fg(Color::DarkGray))
        .title(texts(app.lang).repl_title);
    let inner = block.inner(area);
    block.render(area, buf);
    let [log, input] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let skip = app.console.len().saturating_sub(log.height as usize);
    for (row, text) in (log.y..).zip(&app.console[skip..]) {
        buf.set_stringn(log.x, row, text, log.width as usize, Style::new());
    }
    buf.set_string(input.x, input.y, ">>> ", Style::new().fg(Color::LightCyan));
    let field = Rect {
        x: input.x + 4,
        width: input.width.saturating_sub(4),
        ..input
    };
    prompt.render(field, buf);
}

fn render_status(app: &App, area: Rect, buf: &mut Buffer) {
    let text = texts(app.lang);
    let right = format!(" {} · {} · {} ", app.device, app.lang, app.cuda);
    // The key hints matter more than the right side, which gets at most half the bar.
    let right_width = (right.width() as u16).min(area.width / 2);
    let left_width = area.width.saturating_sub(right_width) as usize;
    let left: Line = if let Some(notice) = &app.notice {
        Line::styled(notice.clone(), Style::new().fg(Color::LightYellow))
    } else {
        let mut spans = running_label(app, text);
        let (keys, always): (&[KeyHint], &[KeyHint]) = match app.mode {
            Mode::Edit { .. } => (text.hints_edit, &[]),
            Mode::Prompt(_) => (text.hints_prompt, &[]),
            Mode::Help => (text.hints_help, &[]),
            Mode::Ask(_) => (&[], &[]),
            Mode::Normal => (text.hints_normal, text.hints_always),
        };
        let hint = |(key, what): &KeyHint| {
            [
                Span::styled(*key, HINT_KEY),
                Span::raw(format!(" {what}  ")),
            ]
        };
        let width = |hints: &[KeyHint]| {
            hints
                .iter()
                .flat_map(hint)
                .map(|s| s.width())
                .sum::<usize>()
        };
        let used: usize = spans.iter().map(Span::width).sum::<usize>() + width(always);
        // Less important hints go first when the bar is narrow; `always` stays.
        let mut room = left_width.saturating_sub(used);
        for key in keys {
            let w = width(std::slice::from_ref(key));
            if w > room {
                break;
            }
            room -= w;
            spans.extend(hint(key));
        }
        spans.extend(always.iter().flat_map(hint));
        Line::from(spans)
    };
    buf.set_style(area, Style::new().bg(Color::Rgb(30, 30, 40)));
    buf.set_line(area.x, area.y, &left, left_width as u16);
    buf.set_stringn(
        area.right() - right_width,
        area.y,
        &right,
        right_width as usize,
        Style::new().fg(Color::Gray),
    );
}

fn running_label(app: &App, text: &Texts) -> Vec<Span<'static>> {
    let what = match &app.running {
        None => return Vec::new(),
        Some(Task::Cell(i)) => fill(text.running_cell, &[&(i + 1)]),
        Some(Task::Check(i)) => fill(text.checking_exercise, &[&(i + 1)]),
        Some(Task::Line(_)) => text.running.to_string(),
    };
    vec![
        Span::styled(what, Style::new().fg(Color::LightBlue).bold()),
        Span::raw(text.esc_stops),
    ]
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

fn render_help(text: &Texts, area: Rect, buf: &mut Buffer) {
    let key_width = text.keys.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    let lines: Vec<Line> = text
        .keys
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!("{key:<key_width$}  "), HINT_KEY),
                Span::raw(*what),
            ])
        })
        .collect();
    let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 4;
    let width = width.max(text.help_title.width() as u16 + 2);
    let rect = centered(area, width, lines.len() as u16 + 2);
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(
            Block::bordered()
                .title(text.help_title)
                .padding(ratatui::widgets::Padding::horizontal(1)),
        )
        .render(rect, buf);
}

fn render_question(text: &Texts, question: Question, area: Rect, buf: &mut Buffer) {
    let (title, lines) = match question {
        Question::Solution(_) => (
            text.solution_title,
            vec![
                Line::from(text.solution_body),
                Line::from(vec![
                    Span::styled("y", HINT_KEY),
                    Span::raw(text.solution_yes),
                    Span::styled("n", HINT_KEY),
                    Span::raw(text.solution_no),
                ]),
            ],
        ),
        Question::Reset => (
            text.reset_title,
            vec![
                Line::from(text.reset_body),
                Line::from(vec![
                    Span::styled("y", HINT_KEY),
                    Span::raw(text.reset_keep),
                    Span::styled("e", HINT_KEY),
                    Span::raw(text.reset_undo),
                    Span::styled("n", HINT_KEY),
                    Span::raw(text.reset_cancel),
                ]),
            ],
        ),
    };
    let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 4;
    let rect = centered(area, width, lines.len() as u16 + 2);
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(
            Block::bordered()
                .title(title)
                .border_style(ERROR)
                .padding(ratatui::widgets::Padding::horizontal(1)),
        )
        .render(rect, buf);
}

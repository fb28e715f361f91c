//! The lesson laid out as lines at a given width: prose, cells with their outputs, errors,
//! hints and solutions, and where each cell landed (for scrolling, clicks and the editor).

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::lesson::parse::parse_prose;
use crate::lesson::{Align, Block, Prose, Runnable, Span as TextSpan, SpanStyle};

use super::app::{App, CellState, Mode, RunState};
use super::highlight::highlight;
use super::text::fill;
use super::wrap::{clip, cut, wrap};

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
const FOCUS: Color = Color::Yellow;
const FRAME: Color = Color::DarkGray;
pub const ERROR: Style = Style::new().fg(Color::LightRed);
const PASS: Style = Style::new().fg(Color::LightGreen);
const DIM: Style = Style::new().add_modifier(Modifier::DIM);

/// The rendered lesson.
#[derive(Debug, Default)]
pub struct Doc {
    pub lines: Vec<Line<'static>>,
    /// By runnable index.
    pub cells: Vec<CellPlace>,
}

/// Where a cell's lines are in the document: `start..end` in all, and its code's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellPlace {
    pub start: usize,
    pub code_start: usize,
    pub code_rows: usize,
    pub end: usize,
}

impl App {
    /// The open lesson laid out at the document pane's width.
    pub fn document(&self) -> Doc {
        let width = self.areas().doc.width as usize;
        let mut doc = Doc::default();
        let lesson = self.lesson();
        let title = format!("{} · {}", lesson.number, lesson.title);
        let title_style = Style::new()
            .fg(Color::LightCyan)
            .add_modifier(Modifier::BOLD);
        doc.lines.push(Line::styled(title, title_style));
        if !lesson.summary.is_empty() {
            let summary = [(lesson.summary.clone(), DIM.add_modifier(Modifier::ITALIC))];
            doc.lines
                .extend(wrap(&summary, width, Span::raw(""), Span::raw("")));
        }
        doc.lines.push(Line::default());
        for block in &lesson.blocks {
            match block.runnable() {
                None => {
                    if let Block::Prose(prose) = block {
                        doc.lines.extend(prose_lines(prose, width));
                    }
                }
                Some(runnable) => {
                    let place = self.cell_lines(runnable, width, &mut doc.lines);
                    doc.cells.push(place);
                }
            }
            doc.lines.push(Line::default());
        }
        doc
    }

    fn cell_lines(
        &self,
        runnable: Runnable<'_>,
        width: usize,
        out: &mut Vec<Line<'static>>,
    ) -> CellPlace {
        let index = runnable.index();
        let start = out.len();
        let Some(cell) = self.cells.get(index) else {
            return CellPlace {
                start,
                code_start: start,
                code_rows: 0,
                end: start,
            };
        };
        let frame = Style::new().fg(if index == self.focus { FOCUS } else { FRAME });
        let bar = || Span::styled("│ ", frame);
        out.push(self.cell_header(runnable, cell, width, frame));
        let code_start = out.len();
        match &self.mode {
            Mode::Edit { index: i, editor } if *i == index => {
                // The editor is drawn over these rows.
                out.extend((0..editor.lines().len().max(1)).map(|_| Line::from(bar())));
            }
            _ => {
                let code = cell.code.strip_suffix('\n').unwrap_or(&cell.code);
                for pieces in highlight(code, Style::new()) {
                    out.extend(cut(&pieces, width, bar(), bar()));
                }
            }
        }
        let code_rows = out.len() - code_start;
        let rule = "─".repeat(width.saturating_sub(1));
        out.push(Line::styled(format!("╰{rule}"), frame));
        let output_style = if cell.stale { DIM } else { Style::new() };
        if !cell.output.is_empty() {
            push_preformatted(out, &cell.output, output_style, width);
        }
        if let Some(error) = &cell.error {
            push_error(out, error, width);
        }
        if let Runnable::Exercise(exercise) = runnable {
            let text = self.text();
            for (n, hint) in exercise.hints.iter().take(cell.hints).enumerate() {
                let label = fill(text.hint, &[&(n + 1)]);
                let indent = " ".repeat(label.width());
                let body = prose_blocks(&parse_prose(hint), width.saturating_sub(indent.len()));
                let label = Span::styled(label, Style::new().bold());
                push_prefixed(out, body, label, Span::raw(indent));
            }
            if cell.solution {
                out.push(Line::styled(text.solution, PASS.bold()));
                let green = || Span::styled("│ ", PASS);
                let solution = exercise.solution.trim_end_matches('\n');
                for pieces in highlight(solution, Style::new()) {
                    out.extend(cut(&pieces, width, green(), green()));
                }
            }
            match &cell.check {
                Some(Ok(())) => out.push(Line::styled(text.check_passed, PASS.bold())),
                Some(Err(error)) => {
                    out.push(Line::styled(text.check_failed, ERROR.bold()));
                    if has_placeholder(&cell.code) {
                        let note = [(text.placeholder_left.to_string(), PASS.bold())];
                        out.extend(wrap(&note, width, Span::raw(""), Span::raw("")));
                    }
                    push_error(out, error, width);
                }
                None => {}
            }
        }
        CellPlace {
            start,
            code_start,
            code_rows,
            end: out.len(),
        }
    }

    /// `╭─ [3] exercise mse ─ ✓ ran ───`
    fn cell_header(
        &self,
        runnable: Runnable<'_>,
        cell: &CellState,
        width: usize,
        frame: Style,
    ) -> Line<'static> {
        let text = self.text();
        let mut title = format!("╭─ [{}] ", runnable.index() + 1);
        if let Runnable::Exercise(exercise) = runnable {
            title.push_str(&format!("{} {} ", text.exercise, exercise.id));
        }
        let (status, style) = match cell.state {
            RunState::Running => (
                format!(
                    "{} {}",
                    SPINNER[self.frame % SPINNER.len()],
                    text.state_running
                ),
                Style::new().fg(Color::LightBlue),
            ),
            RunState::Queued => (format!("… {}", text.state_queued), DIM),
            RunState::Idle if cell.error.is_some() => (text.state_failed.into(), ERROR),
            RunState::Idle if cell.check == Some(Ok(())) => (text.state_passed.into(), PASS),
            RunState::Idle if cell.check.is_some() => (text.state_not_yet.into(), ERROR),
            RunState::Idle if cell.stale => (text.state_stale.into(), DIM),
            RunState::Idle if cell.ran_code.is_some() => (text.state_ran.into(), PASS),
            RunState::Idle => (String::new(), Style::new()),
        };
        let status = if status.is_empty() {
            status
        } else {
            status + " "
        };
        let edited = cell.code != runnable.code();
        let edited = if edited {
            format!("{} ", text.edited)
        } else {
            String::new()
        };
        let used = title.width() + status.width() + edited.width();
        let fill = "─".repeat(width.saturating_sub(used));
        Line::from(vec![
            Span::styled(title, frame.bold()),
            Span::styled(status, style),
            Span::styled(edited, Style::new().fg(Color::LightMagenta)),
            Span::styled(fill, frame),
        ])
    }
}

/// Whether `code` still holds the exercise's `...` placeholder outside comments (strings are
/// not told apart: the note is only a hint, and `...` in a string is rare in exercises).
fn has_placeholder(code: &str) -> bool {
    code.lines()
        .map(|line| line.split('#').next().unwrap_or_default())
        .any(|line| line.contains("..."))
}

fn push_preformatted(out: &mut Vec<Line<'static>>, text: &str, style: Style, width: usize) {
    let text = text.strip_suffix('\n').unwrap_or(text);
    out.extend(text.split('\n').map(|line| clip(line, style, width)));
}

/// A traceback in red, its caret lines and the final `Class: message` line in bold. Code
/// and caret lines are clipped so the carets stay under the code; the message wraps.
fn push_error(out: &mut Vec<Line<'static>>, error: &str, width: usize) {
    let text = error.strip_suffix('\n').unwrap_or(error);
    let last = text.lines().count().saturating_sub(1);
    for (i, line) in text.split('\n').enumerate() {
        let is_caret = !line.trim().is_empty() && line.trim().chars().all(|c| "^~".contains(c));
        if i == last {
            let message = [(line.to_string(), ERROR.bold())];
            out.extend(wrap(&message, width, Span::raw(""), Span::raw("  ")));
        } else {
            out.push(clip(
                line,
                if is_caret { ERROR.bold() } else { ERROR },
                width,
            ));
        }
    }
}

/// `lines` with `first` before the first and `rest` before every other.
fn push_prefixed(
    out: &mut Vec<Line<'static>>,
    lines: Vec<Line<'static>>,
    first: Span<'static>,
    rest: Span<'static>,
) {
    for (i, line) in lines.into_iter().enumerate() {
        let prefix = if i == 0 { first.clone() } else { rest.clone() };
        let mut spans = vec![prefix];
        spans.extend(line.spans);
        out.push(Line::from(spans).style(line.style));
    }
}

fn span_style(style: SpanStyle, link: bool) -> Style {
    let mut out = Style::new();
    if style.emphasis {
        out = out.add_modifier(Modifier::ITALIC);
    }
    if style.strong {
        out = out.add_modifier(Modifier::BOLD);
    }
    if style.strikethrough {
        out = out.add_modifier(Modifier::CROSSED_OUT);
    }
    if style.code {
        out = out.fg(Color::LightYellow);
    }
    if style.math {
        out = out.fg(Color::LightMagenta);
    }
    if link {
        out = out.fg(Color::LightBlue).add_modifier(Modifier::UNDERLINED);
    }
    out
}

fn styled(spans: &[TextSpan], base: Style) -> Vec<(String, Style)> {
    spans
        .iter()
        .map(|s| {
            (
                s.text.clone(),
                base.patch(span_style(s.style, s.link.is_some())),
            )
        })
        .collect()
}

/// Blocks separated by blank lines.
fn prose_blocks(blocks: &[Prose], width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            out.push(Line::default());
        }
        out.extend(prose_lines(block, width));
    }
    out
}

pub fn prose_lines(prose: &Prose, width: usize) -> Vec<Line<'static>> {
    let plain = || Span::raw("");
    match prose {
        Prose::Heading { level, spans } => {
            let style = match level {
                1 => Style::new()
                    .fg(Color::LightCyan)
                    .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                2 => Style::new()
                    .fg(Color::LightCyan)
                    .add_modifier(Modifier::BOLD),
                _ => Style::new().add_modifier(Modifier::BOLD),
            };
            wrap(&styled(spans, style), width, plain(), plain())
        }
        Prose::Paragraph(spans) => wrap(&styled(spans, Style::new()), width, plain(), plain()),
        Prose::List { start, items } => {
            let mut out = Vec::new();
            for (n, item) in items.iter().enumerate() {
                let marker = match start {
                    Some(first) => format!("{}. ", first + n as u64),
                    None => "• ".to_string(),
                };
                let indent = " ".repeat(marker.width());
                let body = prose_blocks(item, width.saturating_sub(marker.width()));
                push_prefixed(&mut out, body, Span::raw(marker), Span::raw(indent));
            }
            out
        }
        Prose::Table { align, head, rows } => table(align, head, rows, width),
        Prose::Quote(blocks) => {
            let bar = || Span::styled("│ ", Style::new().fg(FRAME));
            let body = prose_blocks(blocks, width.saturating_sub(2));
            let mut out = Vec::new();
            push_prefixed(&mut out, body, bar(), bar());
            out.into_iter()
                .map(|l| l.patch_style(Modifier::ITALIC))
                .collect()
        }
        Prose::Math(text) => {
            // Centred as a block, so that aligned rows stay aligned; too wide, it is cut.
            let block_width = text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0);
            let pad = " ".repeat(width.saturating_sub(block_width) / 2);
            let style = Style::new().fg(Color::LightMagenta);
            text.lines()
                .flat_map(|line| cut(&[(format!("{pad}{line}"), style)], width, plain(), plain()))
                .collect()
        }
        Prose::Code { lang, text } => {
            let bar = || Span::styled("┃ ", Style::new().fg(FRAME));
            let text = text.strip_suffix('\n').unwrap_or(text);
            let lines = if lang == "python" {
                highlight(text, Style::new())
            } else {
                text.split('\n')
                    .map(|l| vec![(l.to_string(), Style::new().fg(Color::Gray))])
                    .collect()
            };
            lines
                .iter()
                .flat_map(|pieces| cut(pieces, width, bar(), bar()))
                .collect()
        }
        Prose::Diagram { caption, text } => {
            let mut out = Vec::new();
            push_preformatted(&mut out, text, Style::new().fg(Color::Gray), width);
            if let Some(caption) = caption {
                let caption = [(caption.clone(), DIM.add_modifier(Modifier::ITALIC))];
                out.extend(wrap(&caption, width, plain(), plain()));
            }
            out
        }
        Prose::Rule => vec![Line::styled("─".repeat(width), Style::new().fg(FRAME))],
    }
}

/// A boxed table; columns wider than their share of `width` wrap their text.
fn table(
    align: &[Align],
    head: &[Vec<TextSpan>],
    rows: &[Vec<Vec<TextSpan>>],
    width: usize,
) -> Vec<Line<'static>> {
    let columns = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
    if columns == 0 {
        return Vec::new();
    }
    let text_width = |spans: &[TextSpan]| spans.iter().map(|s| s.text.width()).sum::<usize>();
    let natural: Vec<usize> = (0..columns)
        .map(|c| {
            std::iter::once(head)
                .chain(rows.iter().map(Vec::as_slice))
                .filter_map(|row| row.get(c))
                .map(|cell| text_width(cell))
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    let room = width.saturating_sub(3 * columns + 1).max(columns);
    let widths = fit_columns(&natural, room);
    let frame = Style::new().fg(FRAME);
    let border = |left: &str, mid: &str, right: &str| {
        let parts: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        Line::styled(format!("{left}{}{right}", parts.join(mid)), frame)
    };
    let row_lines = |cells: &[Vec<TextSpan>], base: Style| -> Vec<Line<'static>> {
        let wrapped: Vec<Vec<Line<'static>>> = (0..columns)
            .map(|c| {
                let spans = cells.get(c).map_or(&[][..], Vec::as_slice);
                wrap(
                    &styled(spans, base),
                    widths[c],
                    Span::raw(""),
                    Span::raw(""),
                )
            })
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        (0..height)
            .map(|r| {
                let mut spans = vec![Span::styled("│", frame)];
                for (c, lines) in wrapped.iter().enumerate() {
                    let line = lines.get(r).cloned().unwrap_or_default();
                    let gap = widths[c].saturating_sub(line.width());
                    let left = match align.get(c) {
                        Some(Align::Right) => gap,
                        Some(Align::Center) => gap / 2,
                        _ => 0,
                    };
                    spans.push(Span::raw(" ".repeat(left + 1)));
                    spans.extend(line.spans);
                    spans.push(Span::raw(" ".repeat(gap - left + 1)));
                    spans.push(Span::styled("│", frame));
                }
                Line::from(spans)
            })
            .collect()
    };
    let mut out = vec![border("┌", "┬", "┐")];
    out.extend(row_lines(head, Style::new().add_modifier(Modifier::BOLD)));
    out.push(border("├", "┼", "┤"));
    for row in rows {
        out.extend(row_lines(row, Style::new()));
    }
    out.push(border("└", "┴", "┘"));
    out
}

/// Column widths that fit `room`: narrow columns keep their width, wide ones share the rest.
fn fit_columns(natural: &[usize], room: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= room {
        return natural.to_vec();
    }
    let mut widths = vec![0; natural.len()];
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut left = room;
    loop {
        let share = (left / open.len().max(1)).max(1);
        let (fits, wide): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&c| natural[c] <= share);
        if fits.is_empty() || wide.is_empty() {
            for &c in &open {
                widths[c] = natural[c].min(share);
            }
            return widths;
        }
        for &c in &fits {
            widths[c] = natural[c];
            left = left.saturating_sub(natural[c]);
        }
        open = wide;
    }
}

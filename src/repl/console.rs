//! Consoles: plain writers (pipes, tests) and the terminal with a live inline chart.

use std::io::{Stdout, Write};
use std::time::Instant;

use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::layout::Position;
use ratatui::text::Text;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use ratatui::{Terminal, TerminalOptions, Viewport};

use super::run::{Console, FRAME};
use crate::plot::{ChartView, Plots};

/// Rows of the inline chart drawn under the prompt.
const CHART_HEIGHT: u16 = 12;

/// Output to two writers; `plot` points are dropped (no chart without a terminal).
pub struct WriterConsole<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
}

impl Console for WriterConsole<'_> {
    fn print(&mut self, text: &str) {
        // A closed pipe must not stop the session; the text is lost either way.
        let _ = self.out.write_all(text.as_bytes());
        let _ = self.out.flush();
    }

    fn plot(&mut self, _: &str, _: f64) {}

    fn error(&mut self, text: &str) {
        let _ = self.out.flush();
        let _ = write!(self.err, "{}", with_newline(text));
        let _ = self.err.flush();
    }
}

fn with_newline(text: &str) -> String {
    if text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}

/// Standard output and error of a terminal. When charts are on, the first `plot` of a run
/// opens a chart in an inline viewport under the output; later printed lines are inserted above
/// it, and the last frame stays in the scrollback when the run ends.
pub struct TerminalConsole<B: Backend = CrosstermBackend<Stdout>> {
    out: Box<dyn Write>,
    /// Opens the chart's inline viewport; `None` when charts are off.
    open_chart: Option<Box<dyn FnMut() -> Option<Terminal<B>>>>,
    plots: Plots,
    chart: Option<InlineChart<B>>,
}

impl TerminalConsole {
    /// The process's stdout, with charts when `charts` (stdout is a terminal).
    pub fn stdout(charts: bool) -> TerminalConsole {
        let open = || {
            let options = TerminalOptions {
                viewport: Viewport::Inline(CHART_HEIGHT),
            };
            Terminal::with_options(CrosstermBackend::new(std::io::stdout()), options).ok()
        };
        TerminalConsole::new(
            Box::new(std::io::stdout()),
            charts.then_some(Box::new(open)),
        )
    }
}

impl<B: Backend> TerminalConsole<B> {
    pub fn new(
        out: Box<dyn Write>,
        open_chart: Option<Box<dyn FnMut() -> Option<Terminal<B>>>>,
    ) -> TerminalConsole<B> {
        TerminalConsole {
            out,
            open_chart,
            plots: Plots::new(),
            chart: None,
        }
    }

    fn end_chart(&mut self) {
        if let Some(mut chart) = self.chart.take() {
            chart.close(&self.plots);
        }
        self.plots.clear();
    }
}

impl<B: Backend> Console for TerminalConsole<B> {
    fn print(&mut self, text: &str) {
        match &mut self.chart {
            Some(chart) => chart.print(text, false),
            None => {
                let _ = self.out.write_all(text.as_bytes());
                let _ = self.out.flush();
            }
        }
    }

    fn plot(&mut self, label: &str, value: f64) {
        let Some(open) = &mut self.open_chart else {
            return;
        };
        self.plots.push(label, value);
        if self.chart.is_none() {
            let _ = self.out.flush();
            self.chart = open().map(InlineChart::new);
            if self.chart.is_none() {
                // The terminal could not tell where its cursor is: no charts this session.
                self.open_chart = None;
            }
        }
        if let Some(chart) = &mut self.chart {
            chart.dirty = true;
            chart.draw_if_due(&self.plots);
        }
    }

    fn tick(&mut self) {
        if let Some(chart) = &mut self.chart {
            chart.draw_if_due(&self.plots);
        }
    }

    fn finish(&mut self) {
        self.end_chart();
    }

    fn error(&mut self, text: &str) {
        self.end_chart();
        let _ = self.out.flush();
        eprint!("{}", with_newline(text));
    }
}

struct InlineChart<B: Backend> {
    terminal: Terminal<B>,
    /// Printed text not yet ending in a line break.
    pending: String,
    dirty: bool,
    last_draw: Option<Instant>,
}

impl<B: Backend> InlineChart<B> {
    fn new(terminal: Terminal<B>) -> InlineChart<B> {
        InlineChart {
            terminal,
            pending: String::new(),
            dirty: true,
            last_draw: None,
        }
    }

    /// Inserts the complete lines of printed text above the chart (all of it when `all`).
    fn print(&mut self, text: &str, all: bool) {
        self.pending.push_str(text);
        let cut = if all {
            self.pending.len()
        } else {
            self.pending.rfind('\n').map_or(0, |i| i + 1)
        };
        if cut == 0 {
            return;
        }
        let lines: String = self.pending.drain(..cut).collect();
        let lines = lines.strip_suffix('\n').unwrap_or(&lines).to_string();
        let width = self.terminal.size().map_or(80, |size| size.width.max(1));
        let height: usize = lines
            .split('\n')
            .map(|line| {
                unicode_width::UnicodeWidthStr::width(line)
                    .div_ceil(width.into())
                    .max(1)
            })
            .sum();
        let paragraph = Paragraph::new(Text::raw(lines)).wrap(Wrap { trim: false });
        let height = u16::try_from(height).unwrap_or(u16::MAX);
        let _ = self
            .terminal
            .insert_before(height, |buf| paragraph.render(buf.area, buf));
    }

    fn draw_if_due(&mut self, plots: &Plots) {
        if self.dirty && self.last_draw.is_none_or(|at| at.elapsed() >= FRAME) {
            self.draw(plots);
        }
    }

    fn draw(&mut self, plots: &Plots) {
        let view = ChartView {
            title: Some("plot"),
            ..ChartView::new(plots)
        };
        let _ = self
            .terminal
            .draw(|frame| frame.render_widget(view, frame.area()));
        self.dirty = false;
        self.last_draw = Some(Instant::now());
    }

    /// Last frame, then the cursor goes to the start of the line under the chart.
    fn close(&mut self, plots: &Plots) {
        self.print("", true);
        self.draw(plots);
        let bottom = self.terminal.get_frame().area().bottom();
        let _ = self
            .terminal
            .set_cursor_position(Position::new(0, bottom.saturating_sub(1)));
        // A new line under the chart, scrolling the screen when the chart is at its bottom.
        let _ = self.terminal.backend_mut().append_lines(1);
        let last_row = self
            .terminal
            .size()
            .map_or(bottom, |size| size.height.saturating_sub(1));
        let _ = self
            .terminal
            .set_cursor_position(Position::new(0, bottom.min(last_row)));
        let _ = self.terminal.show_cursor();
    }
}

#[cfg(test)]
mod tests {
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;

    use super::*;

    fn lines(buffer: &Buffer) -> Vec<String> {
        let width = usize::from(buffer.area.width);
        let symbols: Vec<&str> = buffer.content.iter().map(|cell| cell.symbol()).collect();
        symbols
            .chunks(width)
            .map(|row| row.concat().trim_end().to_string())
            .collect()
    }

    /// A run that prints, plots and prints again leaves, from the top: the printed lines (an
    /// unfinished one too), the whole chart, and the cursor at the start of the line under it.
    #[test]
    fn chart_stays_under_the_printed_lines() {
        // 16 rows: the chart ends at the bottom and the screen scrolls; 40 rows: it does not.
        for height in [16, 40] {
            check_chart_run(height);
        }
    }

    fn check_chart_run(height: u16) {
        let mut backend = TestBackend::new(40, height);
        backend.set_cursor_position((0, 3)).expect("test backend");
        let options = TerminalOptions {
            viewport: Viewport::Inline(CHART_HEIGHT),
        };
        let terminal = Terminal::with_options(backend, options).expect("test backend");
        let mut chart = InlineChart::new(terminal);
        let mut plots = Plots::new();
        chart.print("step 0\nhalf a line", false);
        for (step, loss) in [4.0, 2.0, 1.0, 0.5].into_iter().enumerate() {
            plots.push("loss", loss);
            chart.draw(&plots);
            chart.print(&format!("; step {}\n", step + 1), false);
        }
        chart.print("no line break", false);
        chart.close(&plots);

        let backend = chart.terminal.backend();
        let mut shown = lines(backend.scrollback());
        shown.extend(lines(backend.buffer()));
        let cursor = backend.cursor_position();
        let cursor_row =
            shown.len() - usize::from(backend.buffer().area.height) + usize::from(cursor.y);
        let title = shown
            .iter()
            .position(|l| l.starts_with("plot"))
            .expect("chart title");
        assert_eq!(
            shown[title - 6..title],
            [
                "step 0",
                "half a line; step 1",
                "; step 2",
                "; step 3",
                "; step 4",
                "no line break"
            ],
        );
        let chart_rows = usize::from(CHART_HEIGHT);
        assert!(shown[title..title + chart_rows]
            .iter()
            .all(|l| !l.is_empty()));
        assert_eq!((cursor_row, cursor.x), (title + chart_rows, 0));
        assert!(backend.cursor_visible());
    }
}

//! Consoles: plain writers (pipes, tests) and the terminal with a live inline chart.

use std::io::{Stdout, Write};
use std::time::Instant;

use ratatui::backend::CrosstermBackend;
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

/// Standard output and error of a terminal. When stdout is a terminal, the first `plot` of a
/// run opens a chart in an inline viewport under the output; later printed lines are inserted
/// above it, and the last frame stays in the scrollback when the run ends.
pub struct TerminalConsole {
    charts: bool,
    plots: Plots,
    chart: Option<InlineChart>,
}

impl TerminalConsole {
    pub fn new(charts: bool) -> TerminalConsole {
        TerminalConsole {
            charts,
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

impl Console for TerminalConsole {
    fn print(&mut self, text: &str) {
        match &mut self.chart {
            Some(chart) => chart.print(text, false),
            None => {
                let mut out = std::io::stdout();
                let _ = out.write_all(text.as_bytes());
                let _ = out.flush();
            }
        }
    }

    fn plot(&mut self, label: &str, value: f64) {
        if !self.charts {
            return;
        }
        self.plots.push(label, value);
        if self.chart.is_none() {
            self.chart = InlineChart::open();
            // No chart when the terminal cannot tell where its cursor is.
            self.charts = self.chart.is_some();
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
        let _ = std::io::stdout().flush();
        eprint!("{}", with_newline(text));
    }
}

struct InlineChart {
    terminal: Terminal<CrosstermBackend<Stdout>>,
    /// Printed text not yet ending in a line break.
    pending: String,
    dirty: bool,
    last_draw: Option<Instant>,
}

impl InlineChart {
    fn open() -> Option<InlineChart> {
        let options = TerminalOptions {
            viewport: Viewport::Inline(CHART_HEIGHT),
        };
        let terminal = Terminal::with_options(CrosstermBackend::new(std::io::stdout()), options);
        Some(InlineChart {
            terminal: terminal.ok()?,
            pending: String::new(),
            dirty: true,
            last_draw: None,
        })
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

    /// Last frame, then the cursor goes to the line under the chart.
    fn close(&mut self, plots: &Plots) {
        self.print("", true);
        self.draw(plots);
        let bottom = self.terminal.get_frame().area().bottom();
        let _ = self
            .terminal
            .set_cursor_position(Position::new(0, bottom.saturating_sub(1)));
        let _ = self.terminal.show_cursor();
        println!();
    }
}

//! The terminal chart: every series as a braille line, axes, legend, smoothing and a cursor.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::{line, Marker};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Clear, Dataset, GraphType, Paragraph, Widget};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::axis::{format_value, ticks, Bounds, Scale, Tick};
use super::downsample::{bucket_size, downsample};
use super::series::{Plots, Series};

/// Series colours, in the order series were first plotted.
pub const PALETTE: [Color; 6] = [
    Color::Cyan,
    Color::Yellow,
    Color::Magenta,
    Color::Green,
    Color::LightRed,
    Color::LightBlue,
];

/// The colour of the series at `index`.
pub fn series_color(index: usize) -> Color {
    PALETTE[index % PALETTE.len()]
}

const AXIS_STYLE: Style = Style::new().fg(Color::DarkGray);
const CURSOR_COLOR: Color = Color::Gray;
/// Rows the plot keeps before the title and readout lines are given room.
const MIN_PLOT_ROWS: u16 = 4;
/// Smallest plot area that still gets axes and tick labels.
const MIN_AXES_SIZE: (u16, u16) = (16, 5);
/// Narrowest legend worth showing (inside its box).
const MIN_LEGEND_WIDTH: usize = 8;
/// Columns per x tick label, gap included.
const X_TICK_SPACING: u16 = 8;

/// A chart of `plots` to render with ratatui (TUI pane, REPL inline viewport).
#[derive(Debug, Clone, Copy)]
pub struct ChartView<'a> {
    pub plots: &'a Plots,
    /// Log10 y axis; values <= 0 are left out and counted in the header.
    pub log_y: bool,
    /// Draw the smoothed line over a dimmed raw line.
    pub smooth: bool,
    /// Step to mark and read out (clamped to the last step).
    pub cursor: Option<usize>,
    pub title: Option<&'a str>,
}

impl<'a> ChartView<'a> {
    pub fn new(plots: &'a Plots) -> Self {
        ChartView {
            plots,
            log_y: false,
            smooth: false,
            cursor: None,
            title: None,
        }
    }

    fn scale(&self) -> Scale {
        if self.log_y {
            Scale::Log10
        } else {
            Scale::Linear
        }
    }

    fn cursor_step(&self) -> Option<usize> {
        let last = self.plots.steps().checked_sub(1)?;
        Some(self.cursor?.min(last))
    }

    /// Title on the left; log, smoothing and hidden-value notes on the right.
    fn header(&self) -> Line<'a> {
        let mut notes = Vec::new();
        if self.log_y {
            notes.push("log y".to_string());
            let hidden: usize = self.plots.series().iter().map(|s| s.non_positive()).sum();
            if hidden > 0 {
                notes.push(format!("values <= 0 hidden: {hidden}"));
            }
        }
        if self.smooth {
            notes.push(format!("smoothing {}", self.plots.smoothing()));
        }
        let title = self.title.unwrap_or_default();
        let gap = if title.is_empty() || notes.is_empty() {
            ""
        } else {
            "  "
        };
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!("{gap}({})", notes.join(", "))
        };
        Line::from(vec![
            Span::styled(title, Style::new().add_modifier(Modifier::BOLD)),
            Span::styled(notes, AXIS_STYLE),
        ])
    }

    /// `step 12  loss 0.5  acc -` for the cursor's step; with smoothing on, the smoothed value
    /// follows in brackets: `loss 0.5 (0.46)`.
    fn readout(&self, step: usize) -> Line<'a> {
        let mut spans = vec![Span::raw(format!("step {step}"))];
        for (i, series) in self.plots.series().iter().enumerate() {
            let mut value = series.get(step).map_or("-".into(), format_value);
            if let Some(smoothed) = series.smoothed().get(step).filter(|_| self.smooth) {
                value = format!("{value} ({})", format_value(*smoothed));
            }
            spans.push(Span::raw("  "));
            spans.push(Span::styled(
                format!("{} {value}", series.label()),
                series_color(i),
            ));
        }
        Line::from(spans)
    }

    fn draw(&self, area: Rect, buf: &mut Buffer) {
        if area.is_empty() {
            return;
        }
        let cursor = self.cursor_step();
        let mut lines = vec![self.header()];
        lines.extend(cursor.map(|step| self.readout(step)));
        let text_rows = (lines.len() as u16).min(area.height.saturating_sub(MIN_PLOT_ROWS));
        // With one row to spare, the readout matters more than the title.
        let shown = &lines[lines.len() - text_rows as usize..];
        for (row, line) in (area.y..).zip(shown) {
            buf.set_line(area.x, row, line, area.width);
        }
        let plot = Rect {
            y: area.y + text_rows,
            height: area.height - text_rows,
            ..area
        };
        let scale = self.scale();
        let Some(bounds) = Bounds::of(self.plots, scale) else {
            let message = match (self.plots.is_empty(), scale) {
                (true, _) => "no data",
                (false, Scale::Log10) => "no values > 0 to show on a log scale",
                (false, Scale::Linear) => "no finite values",
            };
            let middle = Rect {
                y: plot.y + plot.height / 2,
                height: 1,
                ..plot
            };
            Paragraph::new(message)
                .centered()
                .style(AXIS_STYLE)
                .render(middle, buf);
            return;
        };
        let graph = draw_axes(plot, bounds, scale, buf);
        self.draw_lines(graph, bounds, cursor, buf);
        self.draw_legend(graph, buf);
    }

    fn draw_lines(&self, graph: Rect, bounds: Bounds, cursor: Option<usize>, buf: &mut Buffer) {
        let scale = self.scale();
        let bucket = bucket_size(self.plots.steps(), graph.width as usize * 2);
        let lines = |values: fn(&Series) -> &[f64]| -> Vec<_> {
            let series = self.plots.series().iter();
            series
                .map(|s| downsample(values(s), bucket, scale))
                .collect()
        };
        let raw = lines(Series::values);
        let smoothed = if self.smooth {
            lines(Series::smoothed)
        } else {
            Vec::new()
        };
        let cursor_line: Vec<_> = cursor
            .map(|step| [(step as f64, bounds.y[0]), (step as f64, bounds.y[1])])
            .into_iter()
            .flatten()
            .collect();
        // Smoothing draws the raw lines in stand-in colours, made faint below; the smoothed
        // lines go over them, and the cursor under everything so that it never hides data.
        let raw_color = if self.smooth {
            faint_stand_in
        } else {
            series_color
        };
        let datasets: Vec<_> = (!cursor_line.is_empty())
            .then(|| line_dataset(&cursor_line, CURSOR_COLOR))
            .into_iter()
            .chain(
                raw.iter()
                    .enumerate()
                    .map(|(i, p)| line_dataset(p, raw_color(i))),
            )
            .chain(
                smoothed
                    .iter()
                    .enumerate()
                    .map(|(i, p)| line_dataset(p, series_color(i))),
            )
            .collect();
        Chart::new(datasets)
            .x_axis(Axis::default().bounds(bounds.x))
            .y_axis(Axis::default().bounds(bounds.y))
            .legend_position(None)
            .render(graph, buf);
        if self.smooth {
            make_stand_ins_faint(graph, buf);
        }
    }

    /// A boxed legend in the top right corner: each series' label and latest value. Long labels
    /// are shortened and extra series summed up so that it covers at most half the graph's width
    /// and leaves two rows of it below.
    fn draw_legend(&self, graph: Rect, buf: &mut Buffer) {
        let series = self.plots.series();
        let max_inner = (graph.width / 2).saturating_sub(2) as usize;
        let max_rows = graph.height.saturating_sub(4) as usize;
        if max_inner < MIN_LEGEND_WIDTH || max_rows == 0 || series.is_empty() {
            return;
        }
        let shown = if series.len() <= max_rows {
            series.len()
        } else {
            max_rows - 1
        };
        let mut entries: Vec<Line> = series[..shown]
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let value = s.last().map_or(String::new(), format_value);
                let room = max_inner.saturating_sub(3 + value.width());
                let text = format!("━ {} {value}", shortened(s.label(), room));
                Line::styled(text, series_color(i))
            })
            .collect();
        if shown < series.len() {
            let more = format!("+{} more", series.len() - shown);
            entries.push(Line::styled(more, AXIS_STYLE));
        }
        let inner_width = entries
            .iter()
            .map(Line::width)
            .max()
            .unwrap_or(0)
            .min(max_inner) as u16;
        let area = Rect::new(
            graph.right() - inner_width - 2,
            graph.y,
            inner_width + 2,
            entries.len() as u16 + 2,
        );
        Clear.render(area, buf);
        Block::bordered().border_style(AXIS_STYLE).render(area, buf);
        for (row, entry) in (area.y + 1..).zip(&entries) {
            buf.set_line(area.x + 1, row, entry, inner_width);
        }
    }
}

/// `label`, cut to `width` columns with an ellipsis when longer.
fn shortened(label: &str, width: usize) -> String {
    if label.width() <= width {
        return label.to_string();
    }
    let mut out = String::new();
    let mut used = 1;
    for ch in label.chars() {
        used += ch.width().unwrap_or(0);
        if used > width {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    out
}

/// Indexed colours that mark faint cells while drawing; none is left in the buffer.
const FAINT_STAND_IN: u8 = 232;

fn faint_stand_in(index: usize) -> Color {
    Color::Indexed(FAINT_STAND_IN + (index % PALETTE.len()) as u8)
}

/// Turns the stand-in colours of `faint_stand_in` back into the series colour, dimmed.
fn make_stand_ins_faint(graph: Rect, buf: &mut Buffer) {
    for y in graph.top()..graph.bottom() {
        for x in graph.left()..graph.right() {
            let Some(cell) = buf.cell_mut(Position::new(x, y)) else {
                continue;
            };
            if let Color::Indexed(k) = cell.fg {
                if let Some(offset) = k
                    .checked_sub(FAINT_STAND_IN)
                    .filter(|&o| usize::from(o) < PALETTE.len())
                {
                    cell.set_fg(PALETTE[usize::from(offset)]);
                    cell.modifier.insert(Modifier::DIM);
                }
            }
        }
    }
}

fn line_dataset(points: &[(f64, f64)], color: Color) -> Dataset<'_> {
    Dataset::default()
        .data(points)
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(color)
}

/// Draws the axes with ticks and labels around the graph and returns the graph's area; in an
/// area too small for them, the graph takes it all.
fn draw_axes(plot: Rect, bounds: Bounds, scale: Scale, buf: &mut Buffer) -> Rect {
    if plot.width < MIN_AXES_SIZE.0 || plot.height < MIN_AXES_SIZE.1 {
        return plot;
    }
    let graph_height = plot.height - 2;
    let y_ticks = ticks(bounds.y, scale, (graph_height as usize / 2).max(2));
    let label_width = y_ticks.iter().map(|t| t.label.len()).max().unwrap_or(0) as u16;
    if label_width + 1 > plot.width / 3 {
        return plot;
    }
    let graph = Rect::new(
        plot.x + label_width + 1,
        plot.y,
        plot.width - label_width - 1,
        graph_height,
    );
    let (axis_x, axis_row) = (graph.x - 1, graph.bottom());
    for row in graph.top()..graph.bottom() {
        buf.set_string(axis_x, row, line::VERTICAL, AXIS_STYLE);
    }
    buf.set_string(axis_x, axis_row, line::BOTTOM_LEFT, AXIS_STYLE);
    let horizontal = line::HORIZONTAL.repeat(graph.width as usize);
    buf.set_string(graph.x, axis_row, horizontal, AXIS_STYLE);

    for tick in &y_ticks {
        let row = graph.bottom() - 1 - offset(tick, bounds.y, graph.height);
        buf.set_string(axis_x, row, line::VERTICAL_LEFT, AXIS_STYLE);
        let x = axis_x - tick.label.len() as u16;
        buf.set_string(x, row, &tick.label, Style::new());
    }

    let x_ticks = ticks(
        bounds.x,
        Scale::Linear,
        (graph.width / X_TICK_SPACING) as usize,
    );
    // Labels are centred under their tick and skipped where they would touch the previous one.
    let mut free_from = plot.x;
    for tick in x_ticks.iter().filter(|t| t.pos.fract() == 0.0) {
        let column = graph.x + offset(tick, bounds.x, graph.width);
        buf.set_string(column, axis_row, line::HORIZONTAL_DOWN, AXIS_STYLE);
        let width = tick.label.len() as u16;
        let start = column
            .saturating_sub(width / 2)
            .min(plot.right().saturating_sub(width));
        if start >= free_from {
            buf.set_string(start, axis_row + 1, &tick.label, Style::new());
            free_from = start + width + 1;
        }
    }
    graph
}

/// The cell offset of `tick` along an axis of `cells` cells spanning `range`.
fn offset(tick: &Tick, range: [f64; 2], cells: u16) -> u16 {
    let fraction = (tick.pos - range[0]) / (range[1] - range[0]);
    let last = f64::from(cells.saturating_sub(1));
    (fraction * last).round().clamp(0.0, last) as u16
}

impl Widget for ChartView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        self.draw(area, buf);
    }
}

impl Widget for &ChartView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        self.draw(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plots(series: &[(&str, &[f64])]) -> Plots {
        let mut plots = Plots::new();
        for (label, values) in series {
            for &v in *values {
                plots.push(label, v);
            }
        }
        plots
    }

    fn loss_and_acc() -> Plots {
        let loss: Vec<f64> = (0..60)
            .map(|i| 2.0 * (-(i as f64) / 15.0).exp() + 0.05)
            .collect();
        let acc: Vec<f64> = (0..40).map(|i| 0.5 + 0.45 * (i as f64 / 40.0)).collect();
        plots(&[("loss", &loss), ("acc", &acc)])
    }

    fn render(view: ChartView, width: u16, height: u16) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, width, height));
        view.render(buf.area, &mut buf);
        buf
    }

    /// The buffer's symbols, one line per row, trailing spaces trimmed.
    fn text(buf: &Buffer) -> String {
        let width = buf.area.width as usize;
        let symbols: Vec<&str> = buf.content().iter().map(|c| c.symbol()).collect();
        let rows: Vec<String> = symbols
            .chunks(width.max(1))
            .map(|row| row.concat().trim_end().to_string())
            .collect();
        rows.join("\n")
    }

    #[test]
    fn two_series_with_axes_and_legend() {
        let plots = loss_and_acc();
        let view = ChartView {
            title: Some("training"),
            ..ChartView::new(&plots)
        };
        insta::assert_snapshot!(text(&render(view, 60, 16)));
    }

    #[test]
    fn log_scale_notes_hidden_values() {
        let plots = plots(&[("loss", &[100.0, 10.0, 1.0, 0.1, 0.01, 0.0, 1e-3])]);
        let view = ChartView {
            log_y: true,
            title: Some("log"),
            ..ChartView::new(&plots)
        };
        insta::assert_snapshot!(text(&render(view, 50, 14)));
    }

    #[test]
    fn cursor_marks_the_step_and_reads_out_values() {
        let plots = loss_and_acc();
        let view = ChartView {
            cursor: Some(50),
            ..ChartView::new(&plots)
        };
        let buf = render(view, 60, 16);
        let text = text(&buf);
        assert!(
            text.starts_with("\nstep 50  loss 0.1213  acc -\n"),
            "{text}"
        );
        insta::assert_snapshot!(text);
    }

    #[test]
    fn cursor_past_the_end_is_clamped() {
        let plots = loss_and_acc();
        let view = ChartView {
            cursor: Some(1000),
            ..ChartView::new(&plots)
        };
        let text = text(&render(view, 60, 16));
        assert!(text.contains("step 59  loss 0.08916  acc -"), "{text}");
    }

    #[test]
    fn cursor_readout_adds_smoothed_values_when_smoothing() {
        let plots = loss_and_acc();
        let view = ChartView {
            smooth: true,
            cursor: Some(1),
            ..ChartView::new(&plots)
        };
        let text = text(&render(view, 60, 16));
        // By hand: loss 2.05, 1.921 and acc 0.5, 0.51125; (0.24 * v0 + 0.4 * v1) / 0.64.
        let expected = "step 1  loss 1.921 (1.969)  acc 0.5112 (0.507)";
        assert!(text.contains(expected), "{text}");
    }

    #[test]
    fn smoothing_dims_the_raw_line_under_a_bright_smoothed_one() {
        let noisy: Vec<f64> = (0..80)
            .map(|i| if i % 2 == 0 { 1.0 } else { 3.0 })
            .collect();
        let plots = plots(&[("noisy", &noisy)]);
        let view = ChartView {
            smooth: true,
            ..ChartView::new(&plots)
        };
        let buf = render(view, 40, 12);
        let braille = |c: &&ratatui::buffer::Cell| {
            c.symbol()
                .chars()
                .all(|ch| ('\u{2801}'..='\u{28ff}').contains(&ch))
        };
        let dim = |c: &&ratatui::buffer::Cell| c.modifier.contains(Modifier::DIM);
        let cells: Vec<_> = buf.content().iter().filter(braille).collect();
        assert!(cells.iter().any(dim), "raw line is dimmed");
        assert!(cells.iter().any(|c| !dim(c)), "smoothed line is bright");
        assert!(cells.iter().all(|c| c.fg == Color::Cyan));
        insta::assert_snapshot!(text(&buf));
    }

    #[test]
    fn small_odd_and_empty_inputs_never_panic() {
        let nan = f64::NAN;
        let inputs = [
            plots(&[]),
            plots(&[("empty", &[])]),
            plots(&[("one", &[1.0])]),
            plots(&[("constant", &[2.0, 2.0, 2.0])]),
            plots(&[("nan", &[nan, nan])]),
            plots(&[("mixed", &[nan, 1.0, f64::INFINITY, -5.0])]),
            plots(&[("negative", &[-1.0, -2.0])]),
        ];
        for plots in &inputs {
            for (width, height) in [
                (0, 0),
                (0, 5),
                (5, 0),
                (1, 1),
                (3, 2),
                (10, 4),
                (16, 5),
                (80, 24),
            ] {
                for log_y in [false, true] {
                    let view = ChartView {
                        log_y,
                        smooth: !log_y,
                        cursor: Some(1),
                        title: Some("a title longer than a small area"),
                        ..ChartView::new(plots)
                    };
                    render(view, width, height);
                }
            }
        }
    }

    #[test]
    fn legend_shortens_long_labels_and_sums_up_extra_series() {
        let long = "validation loss of the second model";
        let mut series: Vec<(String, Vec<f64>)> = vec![(long.into(), vec![1.0, 0.5])];
        series.extend((0..6).map(|i| (format!("s{i}"), vec![i as f64, 1.0])));
        let series: Vec<(&str, &[f64])> = series
            .iter()
            .map(|(l, v)| (l.as_str(), v.as_slice()))
            .collect();
        let plots = plots(&series);
        insta::assert_snapshot!(text(&render(ChartView::new(&plots), 44, 10)));
    }

    #[test]
    fn shortened_labels_fit_their_width() {
        fn check(label: &str, width: usize, expected: &str) {
            assert_eq!(shortened(label, width), expected, "{label:?} in {width}");
        }
        check("loss", 4, "loss");
        check("loss", 3, "lo…");
        check("损失函数", 5, "损失…");
        check("损失函数", 4, "损…");
        check("loss", 0, "…");
    }

    #[test]
    fn tiny_area_drops_axes_and_legend() {
        let plots = loss_and_acc();
        insta::assert_snapshot!(text(&render(ChartView::new(&plots), 12, 4)));
    }

    #[test]
    fn empty_plots_say_so() {
        fn check(plots: &Plots, log_y: bool, expected: &str) {
            let view = ChartView {
                log_y,
                ..ChartView::new(plots)
            };
            let text = text(&render(view, 40, 6));
            assert_eq!(text.lines().nth(3).map(str::trim), Some(expected), "{text}");
        }
        check(&Plots::new(), false, "no data");
        check(&plots(&[("nan", &[f64::NAN])]), false, "no finite values");
        let negative = plots(&[("loss", &[-1.0])]);
        check(&negative, true, "no values > 0 to show on a log scale");
    }
}

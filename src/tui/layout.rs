//! Where each pane goes for a terminal size; shared by rendering and by `update` (scrolling
//! and clicks need the same geometry the screen shows).

use ratatui::layout::{Constraint, Layout, Rect};

use super::app::{App, Mode};

/// The smallest terminal the player lays out in.
pub const MIN_SIZE: (u16, u16) = (80, 24);
const LIST_WIDTH: u16 = 28;
/// Narrower terminals start with the lesson list hidden, leaving the width to the lesson.
pub const LIST_SHOWN_FROM_WIDTH: u16 = 110;
/// Console lines shown above a REPL prompt.
const CONSOLE_ROWS: u16 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// False when the terminal is below `MIN_SIZE` (only a message is shown).
    pub fits: bool,
    pub list: Option<Rect>,
    /// The lesson text, inside its margins.
    pub doc: Rect,
    pub chart: Option<Rect>,
    /// REPL console and prompt line.
    pub console: Option<Rect>,
    pub status: Rect,
}

impl Areas {
    pub fn new(screen: Rect, app: &App) -> Areas {
        let fits = screen.width >= MIN_SIZE.0 && screen.height >= MIN_SIZE.1;
        let console_rows = match app.mode {
            Mode::Prompt(_) => CONSOLE_ROWS + 1,
            _ => 0,
        };
        let [main, console, status] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(console_rows),
            Constraint::Length(1),
        ])
        .areas(screen);
        let (list, right) = if app.list_shown {
            let [list, right] =
                Layout::horizontal([Constraint::Length(LIST_WIDTH), Constraint::Fill(1)])
                    .areas(main);
            (Some(list), right)
        } else {
            (None, main)
        };
        let chart_shown = app.chart.shown;
        let chart_rows = if chart_shown {
            (right.height * 2 / 5).max(10)
        } else {
            0
        };
        let [doc, chart] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(chart_rows)]).areas(right);
        let doc = Rect {
            x: doc.x + 1,
            width: doc.width.saturating_sub(2),
            ..doc
        };
        Areas {
            fits,
            list,
            doc,
            chart: chart_shown.then_some(chart),
            console: (console_rows > 0).then_some(console),
            status,
        }
    }
}

//! Terminal input to [`Action`]s; what a key means depends on the mode.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use super::app::{Action, Answer, App, Mode, Question};

/// Lines a mouse wheel notch scrolls.
const WHEEL_LINES: isize = 3;

pub fn action_for(app: &App, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(app, key),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollUp => Some(Action::Scroll(-WHEEL_LINES)),
            MouseEventKind::ScrollDown => Some(Action::Scroll(WHEEL_LINES)),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: mouse.column,
                row: mouse.row,
            }),
            _ => None,
        },
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        _ => None,
    }
}

fn key_action(app: &App, key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Action::Interrupt);
    }
    match &app.mode {
        Mode::Edit { .. } => Some(match key.code {
            KeyCode::Esc => Action::LeaveEditor,
            KeyCode::Char('r') if ctrl => Action::RunEditor,
            _ => Action::EditorKey(key),
        }),
        Mode::Prompt(_) => Some(match key.code {
            KeyCode::Enter => Action::SubmitPrompt,
            KeyCode::Esc if app.is_busy() => Action::Interrupt,
            KeyCode::Esc => Action::ClosePrompt,
            _ => Action::PromptKey(key),
        }),
        Mode::Help => match key.code {
            KeyCode::Char('?' | 'q') | KeyCode::Esc => Some(Action::ToggleHelp),
            _ => None,
        },
        Mode::Ask(question) => match (key.code, question) {
            (KeyCode::Char('y'), _) => Some(Action::Answer(Answer::Yes)),
            (KeyCode::Char('e'), Question::Reset) => Some(Action::Answer(Answer::YesAndEdits)),
            (KeyCode::Char('n') | KeyCode::Esc, _) => Some(Action::Answer(Answer::No)),
            _ => None,
        },
        Mode::Normal => normal_key(key),
    }
}

fn normal_key(key: KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Up | KeyCode::Char('k') => Action::Scroll(-1),
        KeyCode::Down | KeyCode::Char('j') => Action::Scroll(1),
        KeyCode::PageUp => Action::Page(-1),
        KeyCode::PageDown => Action::Page(1),
        KeyCode::Home => Action::Top,
        KeyCode::End => Action::Bottom,
        KeyCode::Tab => Action::NextCell,
        KeyCode::BackTab => Action::PrevCell,
        KeyCode::Enter => Action::Run,
        KeyCode::Char('e') => Action::Edit,
        KeyCode::Char('h') => Action::Hint,
        KeyCode::Char('s') => Action::AskSolution,
        KeyCode::Char('r') => Action::AskReset,
        KeyCode::Char('n') => Action::NextLesson,
        KeyCode::Char('p') => Action::PrevLesson,
        KeyCode::Char(':') => Action::OpenPrompt,
        KeyCode::Char('c') => Action::ToggleChart,
        KeyCode::Char('L') => Action::ToggleLog,
        KeyCode::Char('m') => Action::ToggleSmoothing,
        KeyCode::Left => Action::ChartCursor(-1),
        KeyCode::Right => Action::ChartCursor(1),
        KeyCode::Esc => Action::Interrupt,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Char('l') => Action::ToggleList,
        KeyCode::Char('q') => Action::Quit,
        _ => return None,
    })
}

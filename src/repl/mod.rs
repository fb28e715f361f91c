//! `nnlearn repl`: the interactive tensor REPL.
//!
//! At a terminal, lines are read with rustyline ([`helper`]: completion, highlighting, block
//! rules from [`block`]); otherwise stdin is read plainly with the same block rules, so the REPL
//! can be scripted. Each block runs on a worker thread ([`run`]) while this thread prints its
//! output and draws `plot` points as a live inline chart ([`console`]); Ctrl-C sets the
//! session's interrupt flag, which raises `KeyboardInterrupt` in the running code.

pub mod block;
pub mod commands;
pub mod complete;
pub mod console;
pub mod helper;
pub mod highlight;
pub mod run;
pub mod sigint;
pub mod vocabulary;

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use rustyline::config::Config;
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Editor};

use self::block::PlainBlocks;
use self::commands::{vars_table, Command, HELP};
use self::console::{TerminalConsole, WriterConsole};
use self::helper::ReplHelper;
use self::run::{run_block, Console};
use crate::lang::torch::new_session_seeded;
use crate::lang::Session;
use crate::lesson::progress::data_dir;
use crate::tensor::random::DEFAULT_SEED;

const PROMPT: &str = ">>> ";
const HISTORY_FILE: &str = "history.txt";

#[derive(Default)]
pub struct ReplOptions {
    /// The session to run in (e.g. with CUDA as the default device); `None` makes a new one.
    pub session: Option<Session>,
    /// History file; `None` means `history.txt` in the data folder.
    pub history: Option<PathBuf>,
}

/// Runs the REPL on stdin and stdout until `:quit`, Ctrl-D or the end of input; returns the
/// process exit status.
pub fn run_repl(opts: ReplOptions) -> i32 {
    let mut session = opts.session.unwrap_or_else(new_session);
    let mut console = TerminalConsole::stdout(std::io::stdout().is_terminal());
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        interrupt_running_code(&session);
        return drive(
            &mut session,
            &mut PlainBlocks::new(stdin.lock()),
            &mut console,
        );
    }
    let history = opts
        .history
        .or_else(|| data_dir().map(|dir| dir.join(HISTORY_FILE)));
    let mut editor = match LineEditor::new(&session, history) {
        Ok(editor) => editor,
        Err(e) => {
            eprintln!("error: cannot start the line editor: {e}");
            return 1;
        }
    };
    // At the prompt rustyline reads Ctrl-C as a key; while code runs it arrives as SIGINT.
    interrupt_running_code(&session);
    println!("nnlearn REPL: torch, nn, F and optim are ready. :help for help, Ctrl-D to quit.");
    drive(&mut session, &mut editor, &mut console)
}

fn interrupt_running_code(session: &Session) {
    if let Err(e) = sigint::interrupt_on_sigint(session.interrupt_flag()) {
        eprintln!("warning: Ctrl-C will not stop running code ({e})");
    }
}

/// The REPL over any line input with the prompt's block rules, no prompt and no chart; results
/// go to `out`, errors to `err`.
pub fn run_plain(
    session: &mut Session,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut console = WriterConsole { out, err };
    drive(session, &mut PlainBlocks::new(input), &mut console)
}

/// A session with `torch`, `nn`, `F` and `optim` bound, seeded as PyTorch seeds itself.
fn new_session() -> Session {
    new_session_seeded(DEFAULT_SEED)
}

/// Where blocks of input come from.
trait Input {
    fn next_block(&mut self) -> Option<String>;
    /// Called after each block (completion follows the session's names).
    fn session_changed(&mut self, _session: &Session) {}
}

impl<R: BufRead> Input for PlainBlocks<R> {
    fn next_block(&mut self) -> Option<String> {
        self.next()
    }
}

fn drive(session: &mut Session, input: &mut dyn Input, console: &mut dyn Console) -> i32 {
    while let Some(block) = input.next_block() {
        match Command::parse(&block) {
            None => run_block(session, &block, console),
            Some(Ok(Command::Quit)) => break,
            Some(Ok(Command::Help)) => console.print(HELP),
            Some(Ok(Command::Vars)) => console.print(&vars_table(&session.variables())),
            Some(Ok(Command::Reset)) => {
                session.reset();
                console.print("Every variable is forgotten.\n");
            }
            Some(Err(word)) => {
                console.error(&format!("unknown command :{word} (:help lists them)"))
            }
        }
        input.session_changed(session);
    }
    0
}

struct LineEditor {
    editor: Editor<ReplHelper, FileHistory>,
    history: Option<PathBuf>,
}

impl LineEditor {
    fn new(session: &Session, history: Option<PathBuf>) -> rustyline::Result<LineEditor> {
        let config = Config::builder()
            .completion_type(CompletionType::List)
            .auto_add_history(false)
            .build();
        let mut editor = Editor::with_config(config)?;
        editor.set_helper(Some(ReplHelper::new(session)));
        if let Some(path) = &history {
            // A missing or unreadable history file only means an empty history.
            let _ = editor.load_history(path);
        }
        Ok(LineEditor { editor, history })
    }

    fn remember(&mut self, block: &str) {
        let _ = self.editor.add_history_entry(block);
        let Some(path) = &self.history else { return };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Err(e) = self.editor.append_history(path) {
            eprintln!("warning: history not saved to {}: {e}", path.display());
            self.history = None;
        }
    }
}

impl Input for LineEditor {
    fn next_block(&mut self) -> Option<String> {
        loop {
            match self.editor.readline(PROMPT) {
                Ok(block) if block.trim().is_empty() => {}
                Ok(block) => {
                    let block = block.trim_end().to_string();
                    self.remember(&block);
                    return Some(block);
                }
                Err(ReadlineError::Interrupted) => println!("KeyboardInterrupt"),
                Err(ReadlineError::Eof) => return None,
                Err(e) => {
                    eprintln!("error: {e}");
                    return None;
                }
            }
        }
    }

    fn session_changed(&mut self, session: &Session) {
        if let Some(helper) = self.editor.helper_mut() {
            helper.refresh(session);
        }
    }
}

//! `nnlearn`: parses the command line and dispatches. Everything else lives in the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;

/// Learn the basics of neural networks in the terminal, with PyTorch code you can run.
#[derive(Parser, Debug)]
#[command(name = "nnlearn", version, about)]
struct Cli {
    /// Lesson language: en or zh (default: from LANG, else en).
    #[arg(long, global = true)]
    lang: Option<String>,
    /// Default device for new tensors: cpu, cuda, or auto (cuda when available).
    #[arg(long, global = true, default_value = "cpu")]
    device: String,
    /// Play lessons from this folder instead of the built-in ones.
    #[arg(long, global = true)]
    lessons: Option<std::path::PathBuf>,
    /// The largest tensor a snippet may create, in elements.
    #[arg(long, global = true, default_value_t = 1 << 28)]
    max_elements: usize,
    /// Memory snippets may use before MemoryError, e.g. 4G or 512M (by default a
    /// quarter of this machine's memory, at most 8G; all lesson kernels share it).
    #[arg(long, global = true, value_name = "SIZE", default_value_t = nnlearn::guard::Size::default_budget())]
    max_memory: nnlearn::guard::Size,
    /// How deep snippet functions may recurse before RecursionError.
    #[arg(long, global = true, default_value_t = 1000)]
    recursion_limit: usize,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Open a lesson by number or slug.
    Lesson { lesson: String },
    /// List the lessons with your progress.
    List,
    /// The interactive tensor REPL.
    Repl,
    /// Run a script headless.
    Run {
        file: std::path::PathBuf,
        /// Also write the plot(...) series as an SVG chart.
        #[arg(long)]
        plot: Option<std::path::PathBuf>,
    },
    /// Run every cell of every lesson and verify outputs, exercises and solutions.
    Check,
    /// See, reset or move your progress.
    Progress {
        /// Reset all progress, or one lesson's.
        #[arg(long, num_args = 0..=1, default_missing_value = "")]
        reset: Option<String>,
        #[arg(long, conflicts_with = "import")]
        export: Option<std::path::PathBuf>,
        #[arg(long)]
        import: Option<std::path::PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = commands::dispatch(cli);
    ExitCode::from(code)
}

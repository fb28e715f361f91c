//! The subcommands behind `main`.

use std::io::Write;

use nnlearn::lang::{torch, Sink};
use nnlearn::plot::Plots;

use crate::{Cli, Command};

/// Writes `print` output straight to stdout and keeps plot points.
struct StdoutSink {
    out: std::io::Stdout,
    plots: Plots,
}

impl Sink for StdoutSink {
    fn print(&mut self, text: &str) {
        let mut lock = self.out.lock();
        let _ = lock.write_all(text.as_bytes());
    }
    fn plot(&mut self, label: &str, value: f64) {
        self.plots.push(label, value);
    }
}

pub fn dispatch(cli: Cli) -> u8 {
    match cli.command {
        Some(Command::Run { file, plot }) => run_file(&file, plot.as_deref()),
        Some(other) => {
            eprintln!("nnlearn: {other:?} is not available yet");
            2
        }
        None => {
            eprintln!("nnlearn: the lesson player is not available yet");
            2
        }
    }
}

fn run_file(path: &std::path::Path, plot: Option<&std::path::Path>) -> u8 {
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("nnlearn: cannot read {}: {e}", path.display());
            return 2;
        }
    };
    let mut session = torch::new_session_seeded(nnlearn::tensor::random::DEFAULT_SEED);
    let mut sink = StdoutSink {
        out: std::io::stdout(),
        plots: Plots::new(),
    };
    let name = path.display().to_string();
    let result = session.run(&source, &name, &mut sink);
    let _ = sink.out.flush();
    let mut code = 0;
    if let Err(e) = result {
        eprint!("{}", e.render());
        code = 1;
    }
    if let Some(svg) = plot {
        if let Err(e) = nnlearn::plot::write_svg(&sink.plots, svg) {
            eprintln!("nnlearn: {e}");
            code = code.max(1);
        }
    }
    code
}

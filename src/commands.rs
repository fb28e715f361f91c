//! The subcommands behind `main`.

use std::io::Write;

use nnlearn::lang::files::FileAccess;
use nnlearn::lang::{torch, Limits, Sink};
use nnlearn::lesson::progress::ProgressStore;
use nnlearn::lesson::{checker, Catalog, Lang};
use nnlearn::plot::Plots;
use nnlearn::tensor::Device;
use nnlearn::tui::{run_player, PlayerOptions};

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
    let device = match pick_device(&cli.device) {
        Ok(d) => d,
        Err(message) => {
            eprintln!("nnlearn: {message}");
            return 2;
        }
    };
    nnlearn::tensor::set_max_elements(cli.max_elements);
    nnlearn::guard::set_budget(cli.max_memory.0);
    let limits = Limits {
        recursion_depth: cli.recursion_limit,
    };
    let lang = pick_lang(cli.lang.as_deref());
    let lang = match lang {
        Ok(l) => l,
        Err(message) => {
            eprintln!("nnlearn: {message}");
            return 2;
        }
    };
    match cli.command {
        Some(Command::Run { file, plot }) => run_file(&file, plot.as_deref(), limits, device),
        Some(Command::Lesson { lesson }) => player(&cli.lessons, lang, device, Some(lesson)),
        None => player(&cli.lessons, lang, device, None),
        Some(Command::Progress {
            reset,
            export,
            import,
        }) => progress(reset, export, import),
        Some(Command::Check) => check(&cli.lessons, device),
        Some(Command::List) => list(&cli.lessons, lang),
        Some(Command::Repl) => {
            let mut session =
                torch::new_session_with(nnlearn::tensor::random::DEFAULT_SEED, device);
            session.set_file_access(file_access(current_folder(), "the current folder"));
            let options = nnlearn::repl::ReplOptions {
                session: Some(session),
                ..Default::default()
            };
            nnlearn::repl::run_repl(options).clamp(0, 255) as u8
        }
    }
}

/// `--device`: cpu always works; cuda only where the probe found a usable
/// GPU; auto is cuda when it can be, else cpu.
fn pick_device(flag: &str) -> Result<Device, String> {
    match (flag, torch::cuda_unavailable_reason()) {
        ("cpu", _) | ("auto", Some(_)) => Ok(Device::Cpu),
        ("cuda" | "auto", None) => Ok(Device::Cuda(0)),
        ("cuda", Some(reason)) => Err(format!("--device cuda: CUDA is not available: {reason}")),
        (other, _) => Err(format!("--device must be cpu, cuda or auto, not '{other}'")),
    }
}

/// `--lang`, else `LANG`, else English.
fn pick_lang(flag: Option<&str>) -> Result<Lang, String> {
    match flag {
        Some(f) => Lang::parse(f).ok_or_else(|| format!("--lang must be en or zh, not '{f}'")),
        None => Ok(std::env::var("LANG")
            .ok()
            .and_then(|l| Lang::parse(&l))
            .unwrap_or(Lang::En)),
    }
}

/// The lessons to play: the built-in ones or `--lessons DIR`.
pub fn load_lessons(
    dir: &Option<std::path::PathBuf>,
    lang: Lang,
) -> Result<Vec<nnlearn::lesson::Lesson>, String> {
    let catalog = match dir {
        Some(d) => Catalog::from_dir(d).map_err(|e| e.to_string())?,
        None => Catalog::embedded(),
    };
    catalog.lessons(lang).map_err(|errors| {
        errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn player(
    dir: &Option<std::path::PathBuf>,
    lang: Lang,
    device: Device,
    open: Option<String>,
) -> u8 {
    let lessons = match load_lessons(dir, lang) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("nnlearn: the lessons could not be read:\n{e}");
            return 1;
        }
    };
    if let Some(key) = &open {
        if nnlearn::lesson::catalog::find(&lessons, key).is_none() {
            eprintln!("nnlearn: no lesson '{key}' (try `nnlearn list`)");
            return 2;
        }
    }
    let code = run_player(PlayerOptions {
        lessons,
        open,
        lang,
        device: device.kind().to_string(),
        cuda: nnlearn::tui::cuda_status(),
        store: ProgressStore::default_location(),
        new_session: Box::new(move || {
            let mut session = torch::new_session_with(0, device);
            session.set_file_access(file_access(current_folder(), "the current folder"));
            session
        }),
    });
    code.clamp(0, 255) as u8
}

/// `nnlearn check`: every lesson in both languages, headless.
fn check(dir: &Option<std::path::PathBuf>, device: Device) -> u8 {
    let catalog = match dir {
        Some(d) => match Catalog::from_dir(d) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("nnlearn: {e}");
                return 2;
            }
        },
        None => Catalog::embedded(),
    };
    let report = checker::check_all_on(&catalog, device);
    print!("{report}");
    if report.is_ok() {
        0
    } else {
        1
    }
}

/// `nnlearn list`: the lessons with the learner's progress.
fn list(dir: &Option<std::path::PathBuf>, lang: Lang) -> u8 {
    let lessons = match load_lessons(dir, lang) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("nnlearn: the lessons could not be read:\n{e}");
            return 1;
        }
    };
    let progress = match ProgressStore::default_location() {
        Some(store) => {
            let loaded = store.load();
            if let Some(notice) = loaded.notice {
                eprintln!("nnlearn: {notice}");
            }
            loaded.progress
        }
        None => Default::default(),
    };
    for line in checker::list_lines(&lessons, &progress) {
        println!("{line}");
    }
    0
}

fn progress(
    reset: Option<String>,
    export: Option<std::path::PathBuf>,
    import: Option<std::path::PathBuf>,
) -> u8 {
    let Some(store) = ProgressStore::default_location() else {
        eprintln!("nnlearn: no data folder for progress on this system");
        return 1;
    };
    let result = if let Some(to) = export {
        store
            .export(&to)
            .map(|_| format!("progress exported to {}", to.display()))
    } else if let Some(from) = import {
        store
            .import(&from)
            .map(|_| format!("progress imported from {}", from.display()))
    } else if let Some(lesson) = reset {
        let mut loaded = store.load().progress;
        let which = if lesson.is_empty() {
            None
        } else {
            Some(lesson.as_str())
        };
        loaded.reset(which);
        store.save(&loaded).map(|_| match which {
            Some(l) => format!("progress of lesson '{l}' reset"),
            None => "all progress reset".to_string(),
        })
    } else {
        let loaded = store.load();
        if let Some(notice) = loaded.notice {
            eprintln!("nnlearn: {notice}");
        }
        let p = loaded.progress;
        let mut lines = vec![format!("progress file: {}", store.path().display())];
        lines.push(format!(
            "current lesson: {}",
            p.current.as_deref().unwrap_or("-")
        ));
        for (slug, l) in &p.lessons {
            lines.push(format!(
                "  {slug}: {} cells run, {} exercises passed",
                l.cells_run.len(),
                l.exercises_passed.len()
            ));
        }
        Ok(lines.join("\n"))
    };
    match result {
        Ok(text) => {
            println!("{text}");
            0
        }
        Err(e) => {
            eprintln!("nnlearn: {e}");
            1
        }
    }
}

fn current_folder() -> std::path::PathBuf {
    std::env::current_dir().unwrap_or_else(|_| ".".into())
}

/// Snippets open files in `folder` (where relative paths start) and nnlearn's data folder.
fn file_access(folder: std::path::PathBuf, label: &str) -> FileAccess {
    let mut roots = vec![(label.to_string(), folder.clone())];
    if let Some(data) = nnlearn::lesson::progress::data_dir() {
        roots.push(("nnlearn's data folder".to_string(), data));
    }
    FileAccess::new(folder, roots)
}

fn run_file(
    path: &std::path::Path,
    plot: Option<&std::path::Path>,
    limits: Limits,
    device: Device,
) -> u8 {
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("nnlearn: cannot read {}: {e}", path.display());
            return 2;
        }
    };
    let mut session = torch::new_session_with(nnlearn::tensor::random::DEFAULT_SEED, device);
    session.set_limits(limits);
    let folder = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => current_folder(),
    };
    session.set_file_access(file_access(folder, "the script's folder"));
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

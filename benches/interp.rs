//! The language's costs: process start-up of `nnlearn run`, the interpreter's cost per
//! training step on the `linreg_fit` conformance script, and plain Python workloads
//! (`benches/python/*.py`). `benches/pytorch/interp.py` measures PyTorch the same way, and
//! `benches/cpython/python.py` CPython on the same workloads (`benches/compare_python.sh`
//! prints both).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use nnlearn::lang::{torch, Sink};

struct Discard;

impl Sink for Discard {
    fn print(&mut self, _: &str) {}
    fn plot(&mut self, _: &str, _: f64) {}
}

fn script(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/scripts")
        .join(name);
    std::fs::read_to_string(path).unwrap_or_default()
}

fn startup(c: &mut Criterion) {
    let empty = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/scripts/empty.py");
    c.bench_function("nnlearn run empty.py (process)", |b| {
        b.iter(|| {
            Command::new(env!("CARGO_BIN_EXE_nnlearn"))
                .arg("run")
                .arg(&empty)
                .status()
                .map(|s| s.success())
        })
    });
}

fn training_loop(c: &mut Criterion) {
    // 200 steps of linreg_fit, per run; divide by 200 for the cost of a step.
    let source = script("linreg_20k.py").replace("range(20000)", "range(200)");
    let mut group = c.benchmark_group("linreg_fit");
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("200 steps in a session", |b| {
        b.iter(|| {
            let mut session = torch::new_session();
            session.run(&source, "linreg.py", &mut Discard).is_ok()
        })
    });
    group.finish();
}

/// The plain Python workloads of issue 12, each run whole in one session (parse included,
/// as CPython's side includes compiling).
fn python_workloads(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/python");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".py"))
        .collect();
    names.sort();
    let mut group = c.benchmark_group("python");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    let mut session = torch::new_session();
    for name in names {
        let source = std::fs::read_to_string(dir.join(&name)).unwrap_or_default();
        group.bench_function(name.trim_end_matches(".py"), |b| {
            b.iter(|| session.run(&source, &name, &mut Discard).is_ok())
        });
    }
    group.finish();
}

criterion_group!(benches, startup, training_loop, python_workloads);
criterion_main!(benches);

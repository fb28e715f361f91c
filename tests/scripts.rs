//! Whole snippets through `nnlearn run`, against what real PyTorch printed for
//! the same file: every `tests/fixtures/scripts/NAME.py` must print
//! `NAME.out` byte for byte, and where `NAME.err` exists, fail with that
//! exception line. `regen.sh` there rewrites the goldens from PyTorch.

use std::path::{Path, PathBuf};
use std::process::Command;

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scripts");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the scripts folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    found.sort();
    found
}

/// What running `script` should give (stdout, exception line) and what it gave.
fn check(script: &Path) -> Option<String> {
    let read = |ext: &str| std::fs::read_to_string(script.with_extension(ext)).ok();
    let want_out = read("out").unwrap_or_default();
    let want_err = read("err").map(|e| e.trim_end().to_string());
    let run = Command::new(env!("CARGO_BIN_EXE_nnlearn"))
        .arg("run")
        .arg(script)
        .output()
        .expect("run nnlearn");
    let out = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    let err = stderr.lines().last().map(str::to_string);
    let failed = !run.status.success();
    let same = out == want_out
        && match &want_err {
            Some(line) => failed && err.as_deref() == Some(line.as_str()),
            None => !failed,
        };
    (!same).then(|| {
        format!(
            "{}\n--- PyTorch printed\n{want_out}{}\n--- nnlearn printed\n{out}{stderr}",
            script.display(),
            want_err.unwrap_or_default()
        )
    })
}

#[test]
fn scripts_print_what_pytorch_printed() {
    let scripts = scripts();
    assert!(!scripts.is_empty());
    let failures: Vec<String> = scripts.iter().filter_map(|s| check(s)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

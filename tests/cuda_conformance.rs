//! Every PyTorch conformance case run twice through the binary, on the CPU and
//! with `--device cuda`: the outputs must agree once the `, device='cuda:0'`
//! that CUDA tensors print is removed. On a GPU numbers may differ in the last
//! printed digit (the checker's tolerance); on the emulated device (no GPU)
//! they must be identical. The cases come from `CONFORMANCE_DIR` or
//! `../shared/conformance/cases`; without them the test says so and passes.

use std::path::{Path, PathBuf};
use std::process::Command;

use nnlearn::lesson::checker::tolerant_equal;
use nnlearn::tensor::cuda;

fn cases_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("CONFORMANCE_DIR")
        .map(|d| PathBuf::from(d).join("cases"))
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/cases")
        });
    dir.is_dir().then_some(dir)
}

/// Exit status, stdout and stderr of `nnlearn [--device cuda] run case`.
fn run(case: &Path, cuda: bool) -> (Option<i32>, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nnlearn"));
    cmd.env("NNLEARN_CUDA_EMULATE", "1");
    if cuda {
        cmd.args(["--device", "cuda"]);
    }
    let out = cmd.arg("run").arg(case).output().expect("run nnlearn");
    let text = |b: &[u8]| String::from_utf8_lossy(b).replace(", device='cuda:0'", "");
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn conformance_cases_print_the_same_on_cuda() {
    let Some(dir) = cases_dir() else {
        println!("skipped: no conformance cases (set CONFORMANCE_DIR)");
        return;
    };
    cuda::emulate_without_gpu();
    let exact = cuda::is_emulated();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read the cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    let mut failures = Vec::new();
    for case in &cases {
        let (cpu, gpu) = (run(case, false), run(case, true));
        let last_line = |s: &str| s.lines().last().unwrap_or("").to_string();
        let same = cpu.0 == gpu.0
            && last_line(&cpu.2) == last_line(&gpu.2)
            && (cpu.1 == gpu.1 || (!exact && tolerant_equal(&gpu.1, &cpu.1)));
        if !same {
            failures.push(format!(
                "{}: CPU exit {:?}, CUDA exit {:?}\n--- CPU\n{}{}\n--- CUDA\n{}{}",
                case.display(),
                cpu.0,
                gpu.0,
                cpu.1,
                cpu.2,
                gpu.1,
                gpu.2
            ));
        }
    }
    println!(
        "{} of {} cases print the same on {}",
        cases.len() - failures.len(),
        cases.len(),
        cuda::cuda_status().summary()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

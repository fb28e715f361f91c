//! Every PyTorch conformance case run twice through the binary, on the CPU and
//! with `--device cuda`: the outputs must agree once what PyTorch itself
//! prints differently for CUDA tensors is normalised away (see [`normalise`]).
//! On a GPU numbers may differ in the last printed digit (the checker's
//! tolerance); on the emulated device (no GPU) they must be identical. The
//! cases come from `CONFORMANCE_DIR` or `../shared/conformance/cases`; without
//! them the test says so and passes.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

/// How long one run may take before it counts as hung.
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// One run: its exit status, stdout and stderr, and whether it was killed
/// for running past [`RUN_LIMIT`].
struct Run(Option<i32>, String, String, bool);

/// `nnlearn [--device cuda] run case`.
fn run(case: &Path, cuda: bool) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nnlearn"));
    cmd.env("NNLEARN_CUDA_EMULATE", "1");
    if cuda {
        cmd.args(["--device", "cuda"]);
    }
    let mut child = cmd
        .arg("run")
        .arg(case)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run nnlearn");
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let status = loop {
        match child.try_wait().expect("wait for nnlearn") {
            Some(status) => break (status.code(), false),
            None if start.elapsed() > RUN_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                break (None, true);
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let text = |t: std::thread::JoinHandle<Vec<u8>>| {
        normalise(&String::from_utf8_lossy(&t.join().unwrap_or_default()))
    };
    Run(status.0, text(out), text(err), status.1)
}

/// The keywords `torch/_tensor_str.py` appends after a tensor's elements.
const SUFFIXES: &[&str] = &["device=", "dtype=", "grad_fn=", "requires_grad=", "size="];

/// What PyTorch prints differently for the same values on CUDA, removed:
/// the `device='cuda:0'` suffix of a tensor repr, the line breaks before
/// suffixes that the longer suffix list causes (`_add_suffixes` wraps a
/// suffix past the line width onto an indented line of its own), and the
/// ` (cuda:0)` in a `ParameterList` entry. Every other character, line break
/// and line order is kept.
fn normalise(text: &str) -> String {
    let mut joined = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let rest = line.trim_start_matches(' ');
        let wrapped_suffix = rest.len() < line.len()
            && SUFFIXES.iter().any(|s| rest.starts_with(s))
            && joined.ends_with(",\n");
        if wrapped_suffix {
            joined.pop();
            joined.push(' ');
            joined.push_str(rest);
        } else {
            joined.push_str(line);
        }
    }
    joined
        .replace(", device='cuda:0'", "")
        .replace(" (cuda:0)]", "]")
}

/// Cases whose CUDA run legitimately differs from the CPU's, as it would in
/// PyTorch under `torch.set_default_device('cuda')`: the case name, why, and
/// the error the CUDA run must end with. Up to that error the CUDA run must
/// print exactly what the CPU run prints.
const DIVERGES_ON_CUDA: &[(&str, &str, &str)] = &[(
    "module_subclass.py",
    "`model.to(\"cpu\")` moves the model off the default device, and the training \
     data is then made on CUDA",
    "RuntimeError: Expected all tensors to be on the same device, but found at least two \
     devices, cuda:0 and cpu!",
)];

#[test]
fn normalise_removes_only_what_cuda_prints_differently() {
    let cpu = "tensor([[ 1.0000,  2.0000],\n        [-1.3466, -0.4422]], grad_fn=<AddBackward0>)\n";
    let gpu = "tensor([[ 1.0000,  2.0000],\n        [-1.3466, -0.4422]], device='cuda:0',\n       grad_fn=<AddBackward0>)\n";
    assert_eq!(normalise(gpu), normalise(cpu));
    let gpu = "tensor([ 1000.5000,        inf],\n       device='cuda:0', dtype=torch.float16)\n";
    assert_eq!(
        normalise(gpu),
        "tensor([ 1000.5000,        inf], dtype=torch.float16)\n"
    );
    let gpu = "    (0): Parameter containing: [torch.float32 of size 2x2 (cuda:0)]\n";
    assert_eq!(
        normalise(gpu),
        "    (0): Parameter containing: [torch.float32 of size 2x2]\n"
    );
    // A number, a line break between rows, or the order of lines still shows.
    let other = cpu.replace("0.4422", "0.4423");
    assert_ne!(normalise(gpu), normalise(&other));
    assert_ne!(
        normalise("tensor([1., 2.])\n"),
        normalise("tensor([1.,\n        2.])\n")
    );
    assert_ne!(normalise("a\nb\n"), normalise("b\na\n"));
    assert_ne!(normalise("x,\n  dtype=1\n"), normalise("x,\ndtype=1\n"));
}

/// The `.py` files in `dir`, sorted.
fn py_files(dir: &Path) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    cases
}

/// Each case whose CUDA run differs from its CPU run, with both runs.
fn differences(cases: &[PathBuf]) -> Vec<String> {
    cuda::emulate_without_gpu();
    let exact = cuda::is_emulated();
    let mut failures = Vec::new();
    for case in cases {
        let cpu = run(case, false);
        if cpu.3 {
            // A CPU run that hangs is the CPU tests' failure, not a device one.
            println!("skipped {}: the CPU run did not finish", case.display());
            continue;
        }
        let gpu = run(case, true);
        let last_line = |s: &str| s.lines().last().unwrap_or("").to_string();
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let same = match DIVERGES_ON_CUDA.iter().find(|(n, _, _)| *n == name) {
            Some((_, _, error)) => {
                gpu.0 == Some(1) && last_line(&gpu.2) == *error && cpu.1 != gpu.1 && {
                    // The CPU run's first lines, as many as the CUDA run printed.
                    let n = gpu.1.lines().count();
                    let head: String = cpu.1.split_inclusive('\n').take(n).collect();
                    head == gpu.1 || (!exact && tolerant_equal(&gpu.1, &head))
                }
            }
            None => {
                cpu.0 == gpu.0
                    && last_line(&cpu.2) == last_line(&gpu.2)
                    && (cpu.1 == gpu.1 || (!exact && tolerant_equal(&gpu.1, &cpu.1)))
            }
        };
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
    failures
}

#[test]
fn conformance_cases_print_the_same_on_cuda() {
    let Some(dir) = cases_dir() else {
        println!("skipped: no conformance cases (set CONFORMANCE_DIR)");
        return;
    };
    let failures = differences(&py_files(&dir));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Script goldens whose output depends on the device as in PyTorch, so they
/// are not compared: the name and why.
const DEVICE_DEPENDENT_SCRIPTS: &[(&str, &str)] = &[
    (
        "dtype_promotion.py",
        "integer matrix products: \"addmm_cuda\" not implemented for 'Int'",
    ),
    (
        "err_rng_state_size.py",
        "the state tensor is made on CUDA: RNG state must be a torch.ByteTensor",
    ),
    (
        "half_floats.py",
        "a 0-dim CUDA tensor is not a CPU scalar, so half ops round it to half first",
    ),
    (
        "nn_module_errors.py",
        "messages name the tensor's type, torch.cuda.FloatTensor on CUDA",
    ),
    (
        "legacy_api.py",
        "typed classes are CPU types: a CUDA tensor is a torch.cuda.FloatTensor",
    ),
];

/// The script goldens too (`tests/fixtures/scripts`), which are always here.
#[test]
fn fixture_scripts_print_the_same_on_cuda() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scripts");
    let scripts: Vec<PathBuf> = py_files(&dir)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !DEVICE_DEPENDENT_SCRIPTS.iter().any(|(n, _)| *n == name)
        })
        .collect();
    let failures = differences(&scripts);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

//! The binary's command line: exit statuses, tracebacks on stderr, limits.

use std::process::{Command, Output};

fn nnlearn(args: &[&str], script: Option<&str>) -> Output {
    let dir = std::env::temp_dir().join(format!("nnlearn-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nnlearn"));
    cmd.env("NNLEARN_DATA_DIR", &dir);
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    if let Some(source) = script {
        let path = dir.join(format!("script-{}.py", all.len()));
        std::fs::write(&path, source).expect("write script");
        all.push(path.display().to_string());
    }
    cmd.args(&all).output().expect("run nnlearn")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn run_prints_like_pytorch_and_exits_zero() {
    let out = nnlearn(&["run"], Some("import torch\nprint(torch.eye(2))\n"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "tensor([[1., 0.],\n        [0., 1.]])\n");
}

#[test]
fn a_script_error_exits_one_with_a_traceback() {
    let out = nnlearn(
        &["run"],
        Some("import torch\nx = torch.ones(4, 2)\ny = x @ torch.ones(3, 1)\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("line 3, in <module>"), "{err}");
    assert!(
        err.contains("    y = x @ torch.ones(3, 1)\n        ^^^^^^^^^^^^^^^^^^^^"),
        "{err}"
    );
    assert!(
        err.ends_with(
            "RuntimeError: mm: mat1 and mat2 shapes cannot be multiplied (4x2 and 3x1)\n"
        ),
        "{err}"
    );
}

#[test]
fn a_bad_command_line_exits_two() {
    assert_eq!(nnlearn(&["frobnicate"], None).status.code(), Some(2));
    assert_eq!(
        nnlearn(&["--lang", "fr", "list"], None).status.code(),
        Some(2)
    );
    assert_eq!(
        nnlearn(&["run", "/no/such/file.py"], None).status.code(),
        Some(2)
    );
}

#[test]
fn limits_are_configurable() {
    let out = nnlearn(
        &["--max-elements", "100", "run"],
        Some("import torch\nx = torch.zeros(11, 10)\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("larger than nnlearn's limit of 100 elements"));
    let out = nnlearn(
        &["--recursion-limit", "30", "run"],
        Some("def f(n):\n    return f(n + 1)\nf(0)\n"),
    );
    assert!(text(&out.stderr).ends_with("RecursionError: maximum recursion depth exceeded\n"));
}

#[test]
fn cuda_without_a_gpu_is_a_clear_error() {
    let out = nnlearn(
        &["run"],
        Some("import torch\nprint(torch.cuda.is_available())\ntorch.ones(2).cuda()\n"),
    );
    assert_eq!(text(&out.stdout), "False\n");
    assert!(text(&out.stderr).contains("RuntimeError: CUDA is not available: "));
    assert_eq!(
        nnlearn(&["--device", "cuda", "list"], None).status.code(),
        Some(2)
    );
}

#[test]
fn plot_writes_an_svg() {
    let dir = std::env::temp_dir().join(format!("nnlearn-svg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let svg = dir.join("loss.svg");
    let script = dir.join("plot.py");
    std::fs::write(
        &script,
        "for i in range(5):\n    plot(1.0 / (i + 1), label='loss')\n",
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_nnlearn"))
        .args([
            "run",
            &script.display().to_string(),
            "--plot",
            &svg.display().to_string(),
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let body = std::fs::read_to_string(&svg).expect("svg written");
    assert!(body.contains("<svg") && body.contains("loss"));
}

#[test]
fn list_shows_every_lesson() {
    let out = nnlearn(&["list"], None);
    assert_eq!(out.status.code(), Some(0));
    let listing = text(&out.stdout);
    assert_eq!(listing.lines().count(), 7, "{listing}");
    assert!(listing.contains("Linear regression"));
}

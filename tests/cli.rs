//! The binary's command line: exit statuses, tracebacks on stderr, limits.

use std::process::{Command, Output};

fn nnlearn(args: &[&str], script: Option<&str>) -> Output {
    nnlearn_with(&[], args, script)
}

/// `nnlearn` with extra environment variables.
fn nnlearn_with(env: &[(&str, &str)], args: &[&str], script: Option<&str>) -> Output {
    let dir = std::env::temp_dir().join(format!("nnlearn-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nnlearn"));
    cmd.env("NNLEARN_DATA_DIR", &dir).envs(env.iter().copied());
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    if let Some(source) = script {
        // Tests run in parallel: each script gets a file of its own.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!("script-{n}.py"));
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

/// Whether this machine has a GPU (the no-GPU tests then say so and stop).
fn has_gpu() -> bool {
    let gpu = nnlearn::tensor::cuda::is_available();
    if gpu {
        println!("skipped: this machine has a GPU");
    }
    gpu
}

#[test]
fn cuda_without_a_gpu_is_a_clear_error() {
    if has_gpu() {
        return;
    }
    let out = nnlearn(
        &["run"],
        Some("import torch\nprint(torch.cuda.is_available(), torch.cuda.device_count())\ntorch.ones(2).cuda()\n"),
    );
    assert_eq!(text(&out.stdout), "False 0\n");
    let err = text(&out.stderr);
    assert!(
        err.ends_with(". Tensors can stay on the CPU (device='cpu').\n")
            && err.contains("RuntimeError: CUDA is not available: "),
        "{err}"
    );
    for code in [
        "torch.zeros(2, device='cuda')",
        "torch.set_default_device('cuda')",
        "torch.nn.Linear(2, 1).to('cuda')",
        "torch.ones(2).to(torch.device('cuda:0'))",
    ] {
        let out = nnlearn(&["run"], Some(&format!("import torch\n{code}\n")));
        assert_eq!(out.status.code(), Some(1), "{code}");
        assert!(
            text(&out.stderr).contains("RuntimeError: CUDA is not available: "),
            "{code}"
        );
    }
    let out = nnlearn(&["--device", "cuda", "list"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("nnlearn: --device cuda: CUDA is not available: "));
    let out = nnlearn(
        &["--device", "auto", "run"],
        Some("import torch\nprint(torch.ones(1))\n"),
    );
    assert_eq!(
        text(&out.stdout),
        "tensor([1.])\n",
        "auto falls back to the CPU"
    );
}

#[test]
fn tensors_move_between_devices_as_in_pytorch() {
    let emulated = [("NNLEARN_CUDA_EMULATE", "1")];
    let script = "import torch
print(torch.cuda.is_available(), torch.cuda.device_count())
print(repr(torch.device('cuda')), torch.device('cuda'), repr(torch.device('cuda', 0)))
x = torch.tensor([1., 2.], device='cuda')
print(x, x.device, x.is_cuda, x.get_device())
print(x.cpu(), x.cpu().device)
print(torch.zeros(2).cuda() + x)
print(torch.ones_like(x))
print(x.sum().item(), x.tolist())
print(x.to('cpu', torch.float64))
w = torch.ones(2, requires_grad=True, device='cuda')
(w * x).sum().backward()
print(w.grad)
print(w.grad is w.grad, x.to('cuda') is x, x.cpu() is x)
z = x.to('cpu').requires_grad_()
(z.to('cuda') * 2).sum().backward()
print(z.grad)
torch.set_default_device('cuda')
print(torch.arange(3))
m = torch.nn.Linear(2, 1)
print(m.weight.device)
m.cpu()
print(m.weight.device)
x + torch.ones(2, device='cpu')
";
    let out = nnlearn_with(&emulated, &["run"], Some(script));
    assert_eq!(
        text(&out.stdout),
        "True 1
device(type='cuda') cuda device(type='cuda', index=0)
tensor([1., 2.], device='cuda:0') cuda:0 True 0
tensor([1., 2.]) cpu
tensor([1., 2.], device='cuda:0')
tensor([1., 1.], device='cuda:0')
3.0 [1.0, 2.0]
tensor([1., 2.], dtype=torch.float64)
tensor([1., 2.], device='cuda:0')
True True False
tensor([2., 2.])
tensor([0, 1, 2], device='cuda:0')
cuda:0
cpu
"
    );
    assert!(text(&out.stderr).ends_with(
        "RuntimeError: Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!\n"
    ));
}

#[test]
fn device_cuda_makes_cuda_the_default() {
    let emulated = [("NNLEARN_CUDA_EMULATE", "1")];
    let script = "import torch\nprint(torch.ones(2), torch.ones(2, device='cpu'))\n";
    let out = nnlearn_with(&emulated, &["--device", "cuda", "run"], Some(script));
    assert_eq!(
        text(&out.stdout),
        "tensor([1., 1.], device='cuda:0') tensor([1., 1.])\n"
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

//! Conv2d, MaxPool2d, RNNCell and RNN end to end: each script under
//! tests/fixtures/layers/ run through `nnlearn run` must print exactly what
//! PyTorch 2.15 printed for it (the `.out` next to it, made by
//! `/tmp/torch/bin/python <script>.py > <script>.out`).

use std::path::Path;
use std::process::Command;

fn check(script: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layers");
    let expected = std::fs::read_to_string(dir.join(format!("{script}.out"))).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_nnlearn"))
        .arg("run")
        .arg(dir.join(format!("{script}.py")))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected, "{script}");
}

#[test]
fn conv2d_prints_like_pytorch() {
    check("conv2d");
}

#[test]
fn max_pool2d_prints_like_pytorch() {
    check("max_pool2d");
}

#[test]
fn rnn_prints_like_pytorch() {
    check("rnn");
}

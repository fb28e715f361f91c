//! nn.Embedding, nn.LayerNorm and nn.Dropout end to end: each script in
//! tests/fixtures/layers/ run through `nnlearn run` prints exactly what
//! PyTorch 2.15 printed for it (the `.out` next to it).

use std::path::Path;
use std::process::Command;

fn check(script: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layers");
    let want = std::fs::read_to_string(dir.join(format!("{script}.out"))).unwrap();
    let data = std::env::temp_dir().join(format!("nnlearn-layers-{}", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_nnlearn"))
        .env("NNLEARN_DATA_DIR", &data)
        .arg("run")
        .arg(dir.join(format!("{script}.py")))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script}: {stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), want, "{script}");
}

#[test]
fn embedding_script() {
    check("embedding");
}

#[test]
fn layer_norm_script() {
    check("layer_norm");
}

#[test]
fn dropout_script() {
    check("dropout");
}

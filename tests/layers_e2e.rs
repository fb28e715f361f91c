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

/// A failing statement ends the script with PyTorch's exception, printed by
/// /tmp/torch/bin/python for the same line.
#[test]
fn errors_are_pytorchs() {
    let cases = [
        ("nn.Embedding(3, 2)(torch.tensor([1.0]))", "RuntimeError: Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)"),
        ("nn.Embedding(3, 2)(torch.tensor([3]))", "IndexError: index out of range in self"),
        ("nn.Embedding(3, 2)(torch.tensor([-1]))", "IndexError: index out of range in self"),
        ("nn.Embedding(3, 2, padding_idx=3)", "AssertionError: Padding_idx must be within num_embeddings"),
        ("F.embedding(torch.tensor([0]), torch.ones(3))", "RuntimeError: 'weight' must be 2-D"),
        ("nn.LayerNorm(4)(torch.ones(2, 3))", "RuntimeError: Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 3]"),
        ("F.layer_norm(torch.ones(2, 4), [4], torch.ones(3))", "RuntimeError: Expected weight to be of same shape as normalized_shape, but got weight of shape [3] and normalized_shape = [4]"),
        ("F.layer_norm(torch.ones(2, 4), [])", "RuntimeError: Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []"),
        ("F.layer_norm(torch.ones(2, 4, dtype=torch.long), [4])", "NotImplementedError: \"LayerNormKernelImpl\" not implemented for 'Long'"),
        ("nn.Dropout(1.5)", "ValueError: dropout probability has to be between 0 and 1, but got 1.5"),
        ("F.dropout(torch.ones(2), -0.1)", "ValueError: dropout probability has to be between 0 and 1, but got -0.1"),
        ("F.dropout(torch.ones(3, dtype=torch.long), 0.5)", "RuntimeError: result type Float can't be cast to the desired output type Long"),
    ];
    let dir = std::env::temp_dir().join(format!("nnlearn-layers-err-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, (line, want)) in cases.iter().enumerate() {
        let path = dir.join(format!("case{i}.py"));
        let source = format!(
            "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n{line}\n"
        );
        std::fs::write(&path, source).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_nnlearn"))
            .env("NNLEARN_DATA_DIR", &dir)
            .arg("run")
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.trim_end().lines().last(),
            Some(*want),
            "{line}: {stderr}"
        );
    }
}

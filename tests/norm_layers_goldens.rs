//! nn.Embedding, nn.LayerNorm and F.dropout against PyTorch 2.15 (CPU).
//! Goldens: tests/goldens/norm_layers.json from tests/goldens/gen_norm_layers.py (each
//! case names the PyTorch calls that produced it).
//!
//! Embedding (initialisation, forward, backward), dropout (masks, scale and
//! the generator's state afterwards) and the LayerNorm forward match bit for
//! bit. LayerNorm's gradients match to 8 float32 ulps of max(|x|, 1): ATen
//! sums the backward in SIMD lanes, nnlearn in float64 rounded once.

use nnlearn::nn::dropout::dropout;
use nnlearn::nn::{Embedding, LayerNorm, Module};
use nnlearn::tensor::autograd::backward;
use nnlearn::tensor::random::Generator;
use nnlearn::tensor::{DType, Tensor};
use std::process::Command;

use serde_json::Value;

fn goldens(section: &str) -> Vec<Value> {
    let all: Value = serde_json::from_str(include_str!("goldens/norm_layers.json")).unwrap();
    all[section].as_array().unwrap().clone()
}

fn floats(v: &Value) -> Vec<f32> {
    let bits = v.as_array().unwrap().iter();
    bits.map(|b| f32::from_bits(b.as_i64().unwrap() as i32 as u32))
        .collect()
}

fn usizes(v: &Value) -> Vec<usize> {
    let items = v.as_array().unwrap().iter();
    items.map(|d| d.as_u64().unwrap() as usize).collect()
}

fn tensor(v: &Value, shape: &[usize]) -> Tensor {
    Tensor::from_vec(floats(v), shape).unwrap()
}

/// Within `ulps` float32 epsilons of max(|want|, 1); 0 means bit for bit.
/// Returns the largest difference seen.
fn check(what: &str, got: &Tensor, want: &[f32], ulps: f32) -> f32 {
    let got = got.to_vec::<f32>().unwrap();
    assert_eq!(got.len(), want.len(), "{what}: length");
    let mut worst = 0f32;
    for (i, (&a, &b)) in got.iter().zip(want).enumerate() {
        let diff = (a - b).abs();
        let ok = a.to_bits() == b.to_bits() || diff <= ulps * f32::EPSILON * b.abs().max(1.0);
        assert!(ok, "{what}: element {i} is {a}, PyTorch {b}");
        worst = worst.max(diff);
    }
    worst
}

/// Checks `y` against the case's output bit for bit, then backpropagates
/// `(y * upstream).sum()`.
fn output_then_backward(call: &str, y: &Tensor, case: &Value) {
    check(&format!("{call}: output"), y, &floats(&case["output"]), 0.0);
    let upstream = tensor(&case["upstream"], y.shape());
    let loss = y.mul(&upstream).unwrap().sum(None, false).unwrap();
    backward(&loss, None, false).unwrap();
}

#[test]
fn embedding_matches_pytorch() {
    for case in goldens("embedding") {
        let call = case["call"].as_str().unwrap();
        let (num, dim) = (case["num"].as_u64().unwrap(), case["dim"].as_u64().unwrap());
        let padding = case["padding_idx"]
            .as_i64()
            .map(|p| p.rem_euclid(num as i64) as usize);
        let emb =
            Embedding::new(&mut Generator::new(0), num as usize, dim as usize, padding).unwrap();
        check(
            &format!("{call}: weight"),
            &emb.weight,
            &floats(&case["weight"]),
            0.0,
        );
        let index_values = case["indices"].as_array().unwrap();
        let indices: Vec<i64> = index_values.iter().map(|i| i.as_i64().unwrap()).collect();
        let indices = Tensor::from_vec(indices, &usizes(&case["index_shape"])).unwrap();
        let y = Module::Embedding(emb.clone()).forward(&[indices]).unwrap();
        assert_eq!(y.grad_fn(), Some("EmbeddingBackward0"), "{call}");
        output_then_backward(call, &y, &case);
        let grad = emb.weight.grad().unwrap();
        check(&format!("{call}: grad"), &grad, &floats(&case["grad"]), 0.0);
    }
}

#[test]
fn layer_norm_matches_pytorch() {
    let mut worst = 0f32;
    for case in goldens("layer_norm") {
        let call = case["call"].as_str().unwrap();
        let shape = usizes(&case["shape"]);
        let norm = usizes(&case["normalized_shape"]);
        let x = tensor(&case["x"], &shape).to_parameter(true).unwrap();
        let affine = case.get("weight").is_some();
        let mut layer =
            LayerNorm::new(norm.clone(), case["eps"].as_f64().unwrap(), affine, true).unwrap();
        if affine {
            layer.weight = Some(tensor(&case["weight"], &norm).to_parameter(true).unwrap());
            layer.bias = Some(tensor(&case["bias"], &norm).to_parameter(true).unwrap());
        }
        let y = layer.forward(&x).unwrap();
        assert_eq!(y.grad_fn(), Some("NativeLayerNormBackward0"), "{call}");
        output_then_backward(call, &y, &case);
        let grads = [
            ("grad_x", Some(&x)),
            ("grad_weight", layer.weight.as_ref()),
            ("grad_bias", layer.bias.as_ref()),
        ];
        for (key, t) in grads {
            if let Some(t) = t {
                let want = floats(&case[key]);
                let d = check(&format!("{call}: {key}"), &t.grad().unwrap(), &want, 8.0);
                worst = worst.max(d);
            }
        }
    }
    println!("largest gradient difference from PyTorch: {worst:e}");
}

#[test]
fn dropout_matches_pytorch() {
    for case in goldens("dropout") {
        let call = case["call"].as_str().unwrap();
        let n = case["n"].as_u64().unwrap() as usize;
        let p = case["p"].as_f64().unwrap();
        let dtype = if case["float64"].as_bool().unwrap() {
            DType::F64
        } else {
            DType::F32
        };
        let mut gen = Generator::new(case["seed"].as_u64().unwrap());
        let ones = Tensor::ones(&[n], dtype).unwrap();
        let y = dropout(&ones, p, true, &mut gen).unwrap();
        let want: Vec<f64> = case["output"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert_eq!(y.to_vec::<f64>().unwrap(), want, "{call}: output");
        let after = Tensor::rand(&mut gen, &[4], DType::F32).unwrap();
        check(
            &format!("{call}: rand after"),
            &after,
            &floats(&case["rand_after"]),
            0.0,
        );
    }
}

/// Outside training, with p = 0 or on an empty tensor, dropout is the
/// identity and draws nothing; p = 1 zeroes everything through a MulBackward0.
#[test]
fn dropout_edges() {
    let x = Tensor::from_vec(vec![1f32, -2.0, 3.0], &[3])
        .unwrap()
        .to_parameter(true)
        .unwrap();
    let mut gen = Generator::new(0);
    for (p, training) in [(0.5, false), (0.0, true)] {
        let y = dropout(&x, p, training, &mut gen).unwrap();
        assert_eq!(y.id(), x.id(), "p={p} training={training}");
    }
    let untouched = Tensor::rand(&mut Generator::new(0), &[2], DType::F32).unwrap();
    let after = Tensor::rand(&mut gen, &[2], DType::F32).unwrap();
    assert!(after.equal(&untouched).unwrap());
    let zeroed = dropout(&x, 1.0, true, &mut gen).unwrap();
    assert_eq!(zeroed.to_vec::<f32>().unwrap(), vec![0.0; 3]);
    assert_eq!(zeroed.grad_fn(), Some("MulBackward0"));
    for p in [-0.1, 1.5] {
        let err = dropout(&x, p, true, &mut gen).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("dropout probability has to be between 0 and 1, but got {p}")
        );
    }
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

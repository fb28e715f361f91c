//! SGD and Adam against PyTorch 2.15 float32 trajectories.
//! Goldens: tests/goldens/optim.json from tests/goldens/gen_optim.py (each
//! entry names the PyTorch call that produced it).
//!
//! SGD matches bit for bit. Adam matches to 4 float32 epsilons (relative to
//! max(|x|, 1)): PyTorch's float32
//! `sqrt` on the CPU that made the goldens is not correctly rounded (about 20%
//! of inputs are 1 ulp off) and the engine's is; with torch.sqrt substituted,
//! tests/goldens/check_adam_formula.py shows the update formula is bit-exact. A whole
//! training loop matches to float32 noise: PyTorch's float `sum` and MKL's
//! gemm add in a blocked, CPU-dependent order.

use nnlearn::nn::{AdamOptions, Linear, Module, Optimizer, SgdOptions};
use nnlearn::tensor::random::Generator;
use nnlearn::tensor::{autograd, PointLoss, Reduction, Tensor};
use serde_json::Value;

fn goldens() -> Value {
    serde_json::from_str(include_str!("goldens/optim.json")).unwrap()
}

fn floats(v: &Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|b| f32::from_bits(b.as_i64().unwrap() as i32 as u32))
        .collect()
}

fn shape(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap() as usize)
        .collect()
}

fn f(v: &Value, key: &str, default: f64) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(default)
}

/// Bit-exact comparison with a readable failure.
fn check(what: &str, got: &[f32], want: &[f32]) {
    let same = got.len() == want.len()
        && got
            .iter()
            .zip(want)
            .all(|(a, b)| a.to_bits() == b.to_bits());
    assert!(same, "{what}:\n  nnlearn {got:?}\n  PyTorch {want:?}");
}

/// Within 4 float32 epsilons of max(|want|, 1).
fn check_near(what: &str, got: &[f32], want: &[f32]) {
    let near = got.len() == want.len()
        && got
            .iter()
            .zip(want)
            .all(|(&a, &b)| (a - b).abs() <= 4.0 * f32::EPSILON * b.abs().max(1.0));
    assert!(near, "{what}:\n  nnlearn {got:?}\n  PyTorch {want:?}");
}

/// Relative closeness, for whole training loops.
fn check_close(what: &str, got: &[f32], want: &[f32]) {
    let close = got.len() == want.len()
        && got
            .iter()
            .zip(want)
            .all(|(&a, &b)| (a - b).abs() <= 1e-5 * b.abs().max(1e-3));
    assert!(close, "{what}:\n  nnlearn {got:?}\n  PyTorch {want:?}");
}

fn optimizer(kind: &str, o: &Value, params: Vec<Tensor>) -> Optimizer {
    match kind {
        "sgd" => Optimizer::sgd(
            params,
            SgdOptions {
                lr: f(o, "lr", 0.0),
                momentum: f(o, "momentum", 0.0),
                dampening: f(o, "dampening", 0.0),
                weight_decay: f(o, "weight_decay", 0.0),
                nesterov: o.get("nesterov").and_then(Value::as_bool).unwrap_or(false),
            },
        ),
        _ => {
            let d = AdamOptions::default();
            let betas = o.get("betas").map_or(d.betas, |b| {
                (b[0].as_f64().unwrap(), b[1].as_f64().unwrap())
            });
            Optimizer::adam(
                params,
                AdamOptions {
                    lr: f(o, "lr", d.lr),
                    betas,
                    eps: f(o, "eps", d.eps),
                    weight_decay: f(o, "weight_decay", d.weight_decay),
                },
            )
        }
    }
    .unwrap()
}

#[test]
fn optimizer_trajectories_match_pytorch() {
    let g = goldens();
    let names = ["w", "b"];
    for case in g["trajectories"].as_array().unwrap() {
        let call = case["call"].as_str().unwrap();
        let params: Vec<Tensor> = names
            .iter()
            .map(|n| {
                Tensor::from_vec(floats(&g["p0"][n]), &shape(&g["shapes"][n]))
                    .unwrap()
                    .to_parameter(true)
                    .unwrap()
            })
            .collect();
        let mut opt = optimizer(
            case["kind"].as_str().unwrap(),
            &case["options"],
            params.clone(),
        );
        for (step, (grads, after)) in case["grads"]
            .as_array()
            .unwrap()
            .iter()
            .zip(case["params"].as_array().unwrap())
            .enumerate()
        {
            for (p, grad) in params.iter().zip(grads.as_array().unwrap()) {
                let grad =
                    (!grad.is_null()).then(|| Tensor::from_vec(floats(grad), p.shape()).unwrap());
                p.set_grad(grad);
            }
            opt.step().unwrap();
            for (k, p) in params.iter().enumerate() {
                let what = format!("{call}, step {step}, param {}", names[k]);
                let (got, want) = (p.to_vec::<f32>().unwrap(), floats(&after[k]));
                if case["kind"] == "adam" {
                    check_near(&what, &got, &want);
                } else {
                    check(&what, &got, &want);
                }
            }
        }
    }
}

#[test]
fn linear_init_matches_pytorch() {
    for case in goldens()["linear_init"].as_array().unwrap() {
        let mut gen = Generator::new(case["seed"].as_u64().unwrap());
        let (i, o) = (
            case["in_features"].as_u64().unwrap() as usize,
            case["out_features"].as_u64().unwrap() as usize,
        );
        let l = Linear::new(&mut gen, i, o, true).unwrap();
        let call = case["call"].as_str().unwrap();
        check(
            &format!("{call}: weight"),
            &l.weight.to_vec::<f32>().unwrap(),
            &floats(&case["weight"]),
        );
        check(
            &format!("{call}: bias"),
            &l.bias.unwrap().to_vec::<f32>().unwrap(),
            &floats(&case["bias"]),
        );
    }
}

#[test]
fn linear_regression_training_matches_pytorch() {
    for case in goldens()["linreg"].as_array().unwrap() {
        let call = case["call"].as_str().unwrap();
        let mut gen = Generator::new(42);
        let layer = Linear::new(&mut gen, 1, 1, true).unwrap();
        let model = Module::Linear(layer.clone());
        let params = model.parameters();
        for (p, want) in params.iter().zip(case["init"].as_array().unwrap()) {
            check(
                &format!("{call}: init"),
                &p.to_vec::<f32>().unwrap(),
                &floats(want),
            );
        }
        let x = Tensor::from_vec(floats(&case["x"]), &[100, 1]).unwrap();
        let y = Tensor::from_vec(floats(&case["y"]), &[100, 1]).unwrap();
        let kind = case["kind"].as_str().unwrap();
        let opts: Value = if kind == "sgd" {
            serde_json::json!({"lr": 0.1})
        } else {
            serde_json::json!({"lr": 0.05})
        };
        let mut opt = optimizer(kind, &opts, params.clone());
        let steps = case["losses"]
            .as_array()
            .unwrap()
            .iter()
            .zip(case["params"].as_array().unwrap());
        for (step, (loss_bits, after)) in steps.enumerate() {
            opt.zero_grad();
            let pred = model.forward(std::slice::from_ref(&x)).unwrap();
            let loss = pred
                .point_loss(&y, PointLoss::Mse, Reduction::Mean)
                .unwrap();
            autograd::backward(&loss, None, false).unwrap();
            opt.step().unwrap();
            let what = format!("{call}, step {step}");
            check_close(
                &format!("{what}: loss"),
                &loss.to_vec::<f32>().unwrap(),
                &floats(&Value::Array(vec![loss_bits.clone()])),
            );
            for (p, want) in params.iter().zip(after.as_array().unwrap()) {
                check_close(
                    &format!("{what}: params"),
                    &p.to_vec::<f32>().unwrap(),
                    &floats(want),
                );
            }
        }
    }
}

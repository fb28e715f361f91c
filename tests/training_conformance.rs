//! Whole training runs from the conformance suite, through the engine API
//! (no interpreter): the printed numbers must be what PyTorch 2.15 printed,
//! /work/shared/conformance/cases/{linreg_fit,xor_mlp}.out (copied inline).

use std::sync::Arc;

use nnlearn::nn::{AdamOptions, Linear, LossKind, Module, Optimizer, SgdOptions};
use nnlearn::tensor::autograd::backward;
use nnlearn::tensor::random::Generator;
use nnlearn::tensor::{BinaryOp, DType, Reduction, Scalar, Tensor};

fn int(v: i64) -> Tensor {
    Tensor::wrapped_scalar(Scalar::Int(v))
}

fn item(t: &Tensor) -> f64 {
    t.to_vec::<f64>().unwrap()[0]
}

/// linreg_fit.py: manual_seed(0), X = rand(100, 1) * 10,
/// y = 2 * X + 1 + randn(100, 1) * 0.5, Linear(1, 1), MSELoss, SGD(lr=0.01), 200 epochs.
#[test]
fn linreg_fit() {
    let mut gen = Generator::new(0);
    let x = Tensor::rand(&mut gen, &[100, 1], DType::F32)
        .unwrap()
        .mul(&int(10))
        .unwrap();
    let noise = Tensor::normal(&mut gen, &[100, 1], 0.0, 1.0, DType::F32).unwrap();
    let y = int(2)
        .mul(&x)
        .unwrap()
        .add(&int(1))
        .unwrap()
        .add(
            &noise
                .binary_scalar(BinaryOp::Mul, Scalar::Float(0.5))
                .unwrap(),
        )
        .unwrap();
    let model = Module::Linear(Linear::new(&mut gen, 1, 1, true).unwrap());
    let loss_fn = Module::Loss(LossKind::Mse, Reduction::Mean);
    let sgd = SgdOptions {
        lr: 0.01,
        momentum: 0.0,
        dampening: 0.0,
        weight_decay: 0.0,
        nesterov: false,
    };
    let mut opt = Optimizer::sgd(model.parameters(), sgd).unwrap();
    let mut printed = String::new();
    for epoch in 0..200 {
        let pred = model.forward(std::slice::from_ref(&x)).unwrap();
        let loss = loss_fn.forward(&[pred, y.clone()]).unwrap();
        opt.zero_grad();
        backward(&loss, None, false).unwrap();
        opt.step().unwrap();
        if epoch % 50 == 0 {
            printed += &format!("epoch {epoch:3} loss {:.4}\n", item(&loss));
        }
    }
    let p = model.parameters();
    printed += &format!("w = {:.3}, b = {:.3}\n", item(&p[0]), item(&p[1]));
    assert_eq!(
        printed,
        "epoch   0 loss 293.4022\nepoch  50 loss 0.4418\nepoch 100 loss 0.3430\nepoch 150 loss 0.2842\nw = 2.033, b = 0.725\n"
    );
}

/// xor_mlp.py: manual_seed(1), Sequential(Linear(2, 8), Tanh(), Linear(8, 1),
/// Sigmoid()), BCELoss, Adam(lr=0.05), 300 steps.
#[test]
fn xor_mlp() {
    let mut gen = Generator::new(1);
    let x = Tensor::from_vec(vec![0.0f32, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0], &[4, 2]).unwrap();
    let y = Tensor::from_vec(vec![0.0f32, 1.0, 1.0, 0.0], &[4, 1]).unwrap();
    let l1 = Linear::new(&mut gen, 2, 8, true).unwrap();
    let l2 = Linear::new(&mut gen, 8, 1, true).unwrap();
    let model = Module::Sequential(vec![
        Arc::new(Module::Linear(l1)),
        Arc::new(Module::Tanh),
        Arc::new(Module::Linear(l2)),
        Arc::new(Module::Sigmoid),
    ]);
    let loss_fn = Module::Loss(LossKind::Bce, Reduction::Mean);
    let adam = AdamOptions {
        lr: 0.05,
        ..AdamOptions::default()
    };
    let mut opt = Optimizer::adam(model.parameters(), adam).unwrap();
    let mut loss = None;
    for _ in 0..300 {
        opt.zero_grad();
        let l = loss_fn
            .forward(&[model.forward(std::slice::from_ref(&x)).unwrap(), y.clone()])
            .unwrap();
        backward(&l, None, false).unwrap();
        opt.step().unwrap();
        loss = Some(l);
    }
    let out = model.forward(std::slice::from_ref(&x)).unwrap();
    let classes = out
        .binary_scalar(BinaryOp::Gt, Scalar::Float(0.5))
        .unwrap()
        .to_dtype(DType::F32)
        .unwrap();
    let printed = format!(
        "{}\nfinal loss {:.4}\n{}\n{}",
        model.repr(),
        item(&loss.unwrap()),
        classes.squeeze(None).unwrap().repr().unwrap(),
        model.parameters().iter().map(Tensor::numel).sum::<usize>()
    );
    assert_eq!(
        printed,
        "Sequential(\n  (0): Linear(in_features=2, out_features=8, bias=True)\n  (1): Tanh()\n  (2): Linear(in_features=8, out_features=1, bias=True)\n  (3): Sigmoid()\n)\nfinal loss 0.0005\ntensor([0., 1., 1., 0.])\n33"
    );
}

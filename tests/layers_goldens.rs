//! Conv2d, MaxPool2d, RNNCell and RNN against PyTorch 2.15 at full precision:
//! initialisation from the seeded generator, forward values and gradients.
//! Goldens: tests/goldens/layers.json from tests/goldens/gen_layers.py; each
//! case's "call" is the PyTorch call behind it.
//!
//! PyTorch convolves with oneDNN, which sums in another order than im2col +
//! our matrix product, so convolution values and gradients agree only to
//! `CONV_TOL`. PyTorch's vectorised tanh (SLEEF, 1 ulp) is not the engine's
//! correctly rounded one, so the recurrent layers agree to `RNN_TOL`.
//! Initialisation and pooling are exact.

use nnlearn::nn::conv::Conv2d;
use nnlearn::nn::rnn::{Nonlinearity, Rnn, RnnCell, RnnShape};
use nnlearn::nn::Module;
use nnlearn::tensor::autograd::backward;
use nnlearn::tensor::random::Generator;
use nnlearn::tensor::{DType, Tensor};
use serde_json::Value;

/// Largest |ours - PyTorch's| / (1 + |PyTorch's|) allowed for convolutions.
const CONV_TOL: f64 = 5e-6;
/// The same for RNNCell and RNN.
const RNN_TOL: f64 = 1e-6;

fn goldens() -> Value {
    serde_json::from_str(include_str!("goldens/layers.json")).unwrap()
}

fn number(v: &Value) -> f64 {
    match v {
        Value::String(s) => s.parse().unwrap(),
        v => v.as_f64().unwrap(),
    }
}

fn shape_of(v: &Value) -> Vec<usize> {
    let dims = v["shape"].as_array().unwrap();
    dims.iter().map(|d| d.as_u64().unwrap() as usize).collect()
}

/// The stored float32 values (serde_json may parse a decimal 1 ulp off in
/// f64; rounding to f32 recovers the exact value).
fn values(v: &Value) -> Vec<f64> {
    let data = v["data"].as_array().unwrap();
    data.iter().map(|x| number(x) as f32 as f64).collect()
}

/// A float32 leaf holding a stored tensor, requiring grad.
fn leaf(v: &Value) -> Tensor {
    let t = Tensor::from_vec(values(v), &shape_of(v))
        .unwrap()
        .to_dtype(DType::F32)
        .unwrap();
    t.set_requires_grad(true).unwrap();
    t
}

fn opt_leaf(v: &Value) -> Option<Tensor> {
    (!v.is_null()).then(|| leaf(v))
}

fn pair(v: &Value) -> [i64; 2] {
    [v[0].as_i64().unwrap(), v[1].as_i64().unwrap()]
}

/// Asserts `got` matches the stored tensor within `tol` (relative to
/// 1 + |want|; NaN matches NaN) and returns the largest such difference.
fn assert_close(what: &str, got: &Tensor, want: &Value, tol: f64) -> f64 {
    assert_eq!(got.shape(), shape_of(want).as_slice(), "{what}: shape");
    let mut worst = 0f64;
    for (i, (g, w)) in got
        .to_vec::<f64>()
        .unwrap()
        .iter()
        .zip(values(want))
        .enumerate()
    {
        if g == &w || (g.is_nan() && w.is_nan()) {
            continue;
        }
        let diff = (g - w).abs() / (1.0 + w.abs());
        assert!(diff <= tol, "{what}: element {i} is {g}, PyTorch {w}");
        worst = worst.max(diff);
    }
    worst
}

/// Backward of `(out * gout).sum()`, then each of `wrt`'s grads against the
/// case's "grads"; returns the largest difference.
fn check_grads(case: &Value, out: &Tensor, wrt: &[Tensor], tol: f64) -> f64 {
    let gout = leaf(&case["gout"]).detach();
    backward(
        &out.mul(&gout).unwrap().sum(None, false).unwrap(),
        None,
        false,
    )
    .unwrap();
    let call = case["call"].as_str().unwrap();
    let grads = case["grads"].as_array().unwrap();
    assert_eq!(grads.len(), wrt.len(), "{call}: grads");
    let mut worst = 0f64;
    for (i, (t, want)) in wrt.iter().zip(grads).enumerate() {
        let grad = t
            .grad()
            .unwrap_or_else(|| panic!("{call}: input {i} got no grad"));
        worst = worst.max(assert_close(&format!("{call}: grad {i}"), &grad, want, tol));
    }
    worst
}

fn check_conv(case: &Value) -> f64 {
    let call = case["call"].as_str().unwrap();
    let (x, w, b) = (leaf(&case["x"]), leaf(&case["w"]), opt_leaf(&case["b"]));
    let (stride, padding) = (pair(&case["stride"]), pair(&case["padding"]));
    let out = x.conv2d(&w, b.as_ref(), stride, padding).unwrap();
    let forward = assert_close(call, &out, &case["out"], CONV_TOL);
    let wrt: Vec<Tensor> = [Some(x), Some(w), b].into_iter().flatten().collect();
    forward.max(check_grads(case, &out, &wrt, CONV_TOL))
}

#[test]
fn conv2d_matches_pytorch() {
    let mut worst = 0f64;
    for case in goldens()["conv2d"].as_array().unwrap() {
        worst = worst.max(check_conv(case));
    }
    eprintln!("conv2d: largest |ours - PyTorch| / (1 + |PyTorch|) {worst:e}");
}

#[test]
fn conv2d_initialises_like_pytorch() {
    for case in goldens()["conv2d_init"].as_array().unwrap() {
        let call = case["call"].as_str().unwrap();
        let k = &case["kernel"];
        let size = |v: &Value| v.as_u64().unwrap() as usize;
        let conv = Conv2d::new(
            &mut Generator::new(case["seed"].as_u64().unwrap()),
            size(&case["in"]),
            size(&case["out"]),
            [size(&k[0]), size(&k[1])],
            [1, 1],
            [0, 0],
            true,
        )
        .unwrap();
        assert_close(call, &conv.weight, &case["weight"], 0.0);
        assert_close(call, conv.bias.as_ref().unwrap(), &case["bias"], 0.0);
    }
}

fn check_pool(case: &Value) {
    let call = case["call"].as_str().unwrap();
    let x = leaf(&case["x"]);
    let stride = (!case["stride"].is_null()).then(|| pair(&case["stride"]));
    let out = x
        .max_pool2d(pair(&case["kernel"]), stride, pair(&case["padding"]))
        .unwrap();
    assert_eq!(
        out.grad_fn(),
        Some("MaxPool2DWithIndicesBackward0"),
        "{call}"
    );
    assert_close(call, &out, &case["out"], 0.0);
    check_grads(case, &out, &[x], 0.0);
}

#[test]
fn max_pool2d_matches_pytorch_exactly() {
    for case in goldens()["max_pool2d"].as_array().unwrap() {
        check_pool(case);
    }
}

fn rnn_shape(case: &Value) -> RnnShape {
    RnnShape {
        input_size: case["input_size"].as_u64().unwrap() as usize,
        hidden_size: case["hidden_size"].as_u64().unwrap() as usize,
        nonlinearity: Nonlinearity::parse(case["nonlinearity"].as_str().unwrap()).unwrap(),
        bias: case["bias"].as_bool().unwrap_or(true),
    }
}

/// The module's parameters are PyTorch's, by name and value, in order.
fn check_params(call: &str, ours: &[(String, Tensor)], case: &Value) {
    let want = case["params"].as_array().unwrap();
    let names: Vec<&str> = want.iter().map(|p| p[0].as_str().unwrap()).collect();
    let got: Vec<&str> = ours.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(got, names, "{call}: parameter names");
    for ((name, t), p) in ours.iter().zip(want) {
        assert_close(&format!("{call}: {name}"), t, &p[1], 0.0);
    }
}

fn check_cell(case: &Value) -> f64 {
    let call = case["call"].as_str().unwrap();
    let mut gen = Generator::new(case["seed"].as_u64().unwrap());
    let cell = RnnCell::new(&mut gen, rnn_shape(case)).unwrap();
    check_params(call, &cell.named_parameters(), case);
    let (x, h) = (leaf(&case["x"]), opt_leaf(&case["h"]));
    let out = cell.forward(&x, h.as_ref()).unwrap();
    let forward = assert_close(call, &out, &case["out"], RNN_TOL);
    let args: Vec<Tensor> = [Some(x.clone()), h.clone()].into_iter().flatten().collect();
    let module = Module::RnnCell(cell.clone()).forward(&args).unwrap();
    assert_eq!(
        module.to_vec::<f64>().unwrap(),
        out.to_vec::<f64>().unwrap(),
        "{call}: as a Module"
    );
    let mut wrt = vec![x];
    wrt.extend(h);
    wrt.extend(cell.named_parameters().into_iter().map(|(_, t)| t));
    forward.max(check_grads(case, &out, &wrt, RNN_TOL))
}

#[test]
fn rnn_cell_matches_pytorch() {
    let mut worst = 0f64;
    for case in goldens()["rnn_cell"].as_array().unwrap() {
        worst = worst.max(check_cell(case));
    }
    eprintln!("RNNCell: largest |ours - PyTorch| / (1 + |PyTorch|) {worst:e}");
}

fn check_rnn(case: &Value) -> f64 {
    let call = case["call"].as_str().unwrap();
    let mut gen = Generator::new(case["seed"].as_u64().unwrap());
    let layers = case["num_layers"].as_u64().unwrap() as usize;
    let batch_first = case["batch_first"].as_bool().unwrap();
    let rnn = Rnn::new(&mut gen, rnn_shape(case), layers, batch_first).unwrap();
    check_params(call, &rnn.named_parameters(), case);
    let (x, h) = (leaf(&case["x"]), opt_leaf(&case["h"]));
    let (out, h_n) = rnn.forward(&x, h.as_ref()).unwrap();
    let forward = assert_close(call, &out, &case["out"], RNN_TOL);
    let forward = forward.max(assert_close(call, &h_n, &case["h_n"], RNN_TOL));
    let both = Tensor::cat(
        &[out.flatten(0, -1).unwrap(), h_n.flatten(0, -1).unwrap()],
        0,
    )
    .unwrap();
    let mut wrt = vec![x];
    wrt.extend(h);
    wrt.extend(rnn.named_parameters().into_iter().map(|(_, t)| t));
    forward.max(check_grads(case, &both, &wrt, RNN_TOL))
}

#[test]
fn rnn_matches_pytorch() {
    let mut worst = 0f64;
    for case in goldens()["rnn"].as_array().unwrap() {
        worst = worst.max(check_rnn(case));
    }
    eprintln!("RNN: largest |ours - PyTorch| / (1 + |PyTorch|) {worst:e}");
}

fn zeros(shape: &[usize]) -> Tensor {
    Tensor::zeros(shape, DType::F32).unwrap()
}

fn cell_3_4() -> RnnCell {
    let shape = RnnShape {
        input_size: 3,
        hidden_size: 4,
        nonlinearity: Nonlinearity::Tanh,
        bias: true,
    };
    RnnCell::new(&mut Generator::new(0), shape).unwrap()
}

fn rnn_3_4() -> Rnn {
    let cell = cell_3_4();
    Rnn::new(&mut Generator::new(0), cell.shape, 1, false).unwrap()
}

/// The errors PyTorch raises, with its class and message: the golden's
/// "call"s, in order, computed with the engine.
#[test]
fn errors_are_pytorchs() {
    let w = zeros(&[2, 1, 3, 3]);
    let conv = |x: &[usize], w: &Tensor, b: Option<&Tensor>, stride, padding| {
        zeros(x).conv2d(w, b, stride, padding).map(|_| ())
    };
    let pool = |x: &[usize], k, s| zeros(x).max_pool2d(k, s, [0, 0]).map(|_| ());
    let cell =
        |x: &[usize], h: Option<Tensor>| cell_3_4().forward(&zeros(x), h.as_ref()).map(|_| ());
    let rnn = |x: &[usize], h: Option<Tensor>| rnn_3_4().forward(&zeros(x), h.as_ref()).map(|_| ());
    let results = [
        conv(&[2, 3], &w, None, [1, 1], [0, 0]),
        conv(&[1, 3, 4, 4], &w, None, [1, 1], [0, 0]),
        conv(&[1, 1, 2, 2], &w, None, [1, 1], [0, 0]),
        zeros(&[1, 1, 4, 4])
            .to_dtype(DType::F64)
            .unwrap()
            .conv2d(&w, None, [1, 1], [0, 0])
            .map(|_| ()),
        conv(&[1, 1, 4, 4], &w, Some(&zeros(&[3])), [1, 1], [0, 0]),
        conv(&[1, 1, 4, 4], &w, None, [0, 0], [0, 0]),
        conv(&[1, 1, 4, 4], &w, None, [1, 1], [-1, -1]),
        conv(&[1, 1, 4, 4], &zeros(&[2, 3]), None, [1, 1], [0, 0]),
        zeros(&[1, 1, 4, 4])
            .max_pool2d([2, 2], None, [2, 2])
            .map(|_| ()),
        pool(&[1, 1, 1, 1], [2, 2], None),
        pool(&[4, 4], [2, 2], None),
        pool(&[1, 1, 4, 4], [2, 2], Some([0, 0])),
        pool(&[1, 4, 4], [0, 0], None),
        pool(&[1, 4, 4], [-1, -1], None),
        cell(&[2, 5], None),
        cell(&[2, 3], Some(zeros(&[3, 4]))),
        cell(&[2, 3, 3], None),
        rnn(&[5, 2, 7], None),
        rnn(&[5, 2, 3], Some(zeros(&[1, 3, 4]))),
        rnn(&[2, 3, 4, 3], None),
        rnn(&[5, 3], Some(zeros(&[1, 2, 4]))),
        Nonlinearity::parse("foo").map(|_| ()),
    ];
    let goldens = goldens();
    let want = goldens["errors"].as_array().unwrap();
    assert_eq!(results.len(), want.len(), "one result per golden");
    for (got, case) in results.iter().zip(want) {
        let call = case["call"].as_str().unwrap();
        let err = got.as_ref().expect_err(call);
        assert_eq!(err.class(), case["class"].as_str().unwrap(), "{call}");
        assert_eq!(err.to_string(), case["message"].as_str().unwrap(), "{call}");
    }
}

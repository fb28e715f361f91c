//! Expected texts are what PyTorch printed: the conformance suite's
//! print_*.out files (inline below, each with its print call) and
//! `goldens/tensor_repr.json`, made by `goldens/gen_torch.py` with PyTorch 2.15.

use super::*;
use serde_json::Value;

fn check(shape: &[usize], data: Elements<'_>, suffixes: &Suffixes, expected: &str) {
    let got = tensor_repr(shape, data, data.dtype(), suffixes);
    assert_eq!(got, expected, "\ngot:\n{got}\nPyTorch:\n{expected}\n");
}

fn plain() -> Suffixes {
    Suffixes::default()
}

fn arange_f32(n: usize) -> Vec<f32> {
    (0..n).map(|i| i as f32).collect()
}

/// /work/shared/conformance/cases/print_basic.py and .out
#[test]
fn conformance_print_basic() {
    // print(torch.tensor([1, 2, 3]))
    check(
        &[3],
        Elements::I64(&[1, 2, 3]),
        &plain(),
        "tensor([1, 2, 3])",
    );
    // print(torch.tensor([1.5, 2.25, -3.0]))
    check(
        &[3],
        Elements::F32(&[1.5, 2.25, -3.0]),
        &plain(),
        "tensor([ 1.5000,  2.2500, -3.0000])",
    );
    // print(torch.tensor([[1.0, -2.0], [30.0, 4.5]]))
    check(
        &[2, 2],
        Elements::F32(&[1.0, -2.0, 30.0, 4.5]),
        &plain(),
        "tensor([[ 1.0000, -2.0000],\n        [30.0000,  4.5000]])",
    );
    // print(torch.tensor(3.0)); print(torch.tensor(7))
    check(&[], Elements::F32(&[3.0]), &plain(), "tensor(3.)");
    check(&[], Elements::I64(&[7]), &plain(), "tensor(7)");
    // print(torch.tensor([True, False]))
    check(
        &[2],
        Elements::Bool(&[true, false]),
        &plain(),
        "tensor([ True, False])",
    );
    // print(torch.tensor([]))
    check(&[0], Elements::F32(&[]), &plain(), "tensor([])");
    // print(torch.zeros(2, 3))
    check(
        &[2, 3],
        Elements::F32(&[0.0; 6]),
        &plain(),
        "tensor([[0., 0., 0.],\n        [0., 0., 0.]])",
    );
    // print(torch.ones(2, 2, dtype=torch.int64))
    check(
        &[2, 2],
        Elements::I64(&[1; 4]),
        &plain(),
        "tensor([[1, 1],\n        [1, 1]])",
    );
    // print(torch.eye(3))
    check(
        &[3, 3],
        Elements::F32(&[1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]),
        &plain(),
        "tensor([[1., 0., 0.],\n        [0., 1., 0.],\n        [0., 0., 1.]])",
    );
    // print(torch.arange(5))
    check(
        &[5],
        Elements::I64(&[0, 1, 2, 3, 4]),
        &plain(),
        "tensor([0, 1, 2, 3, 4])",
    );
    // print(torch.arange(0, 1, 0.25))
    check(
        &[4],
        Elements::F32(&[0.0, 0.25, 0.5, 0.75]),
        &plain(),
        "tensor([0.0000, 0.2500, 0.5000, 0.7500])",
    );
    // print(torch.linspace(0, 1, 5))
    check(
        &[5],
        Elements::F32(&[0.0, 0.25, 0.5, 0.75, 1.0]),
        &plain(),
        "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])",
    );
    // print(torch.full((2, 2), 0.1))
    check(
        &[2, 2],
        Elements::F32(&[0.1; 4]),
        &plain(),
        "tensor([[0.1000, 0.1000],\n        [0.1000, 0.1000]])",
    );
    // print(torch.zeros(2, 2, 2))
    check(
        &[2, 2, 2],
        Elements::F32(&[0.0; 8]),
        &plain(),
        "tensor([[[0., 0.],\n         [0., 0.]],\n\n        [[0., 0.],\n         [0., 0.]]])",
    );
    // print(torch.tensor([[-0.123456, 100.5], [1.0, 2.0]]))
    check(
        &[2, 2],
        Elements::F32(&[-0.123456, 100.5, 1.0, 2.0]),
        &plain(),
        "tensor([[ -0.1235, 100.5000],\n        [  1.0000,   2.0000]])",
    );
}

/// /work/shared/conformance/cases/print_sci.py and .out
#[test]
fn conformance_print_sci() {
    let cases: &[(&[f32], &str)] = &[
        // print(torch.tensor([1e-5, 1.0]))
        (&[1e-5, 1.0], "tensor([1.0000e-05, 1.0000e+00])"),
        // print(torch.tensor([1e9, 1.0]))
        (&[1e9, 1.0], "tensor([1.0000e+09, 1.0000e+00])"),
        // print(torch.tensor([0.001, 0.5]))
        (&[0.001, 0.5], "tensor([0.0010, 0.5000])"),
        // print(torch.tensor([float('inf'), -1.5]))
        (&[f32::INFINITY, -1.5], "tensor([    inf, -1.5000])"),
        // print(torch.tensor([123456.0, 0.5]))
        (&[123456.0, 0.5], "tensor([1.2346e+05, 5.0000e-01])"),
        // print(torch.tensor([1e-8]))
        (&[1e-8], "tensor([1.0000e-08])"),
        // print(torch.tensor([1, 2]) / 3)
        (&[1.0 / 3.0, 2.0 / 3.0], "tensor([0.3333, 0.6667])"),
        // print(torch.tensor([10000000000.0]))
        (&[1e10], "tensor([1.0000e+10])"),
    ];
    for (data, expected) in cases {
        check(&[data.len()], Elements::F32(data), &plain(), expected);
    }
    // print(torch.tensor(float('nan')))
    check(&[], Elements::F32(&[f32::NAN]), &plain(), "tensor(nan)");
    // print(torch.tensor([1.0, 2.0], dtype=torch.float64))
    check(
        &[2],
        Elements::F64(&[1.0, 2.0]),
        &plain(),
        "tensor([1., 2.], dtype=torch.float64)",
    );
}

/// /work/shared/conformance/cases/print_summarize.py and .out
#[test]
fn conformance_print_summarize() {
    // print(torch.arange(2000.))
    check(
        &[2000],
        Elements::F32(&arange_f32(2000)),
        &plain(),
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])",
    );
    // print(torch.arange(1200).reshape(40, 30))
    let ints: Vec<i64> = (0..1200).collect();
    check(
        &[40, 30],
        Elements::I64(&ints),
        &plain(),
        "tensor([[   0,    1,    2,  ...,   27,   28,   29],
        [  30,   31,   32,  ...,   57,   58,   59],
        [  60,   61,   62,  ...,   87,   88,   89],
        ...,
        [1110, 1111, 1112,  ..., 1137, 1138, 1139],
        [1140, 1141, 1142,  ..., 1167, 1168, 1169],
        [1170, 1171, 1172,  ..., 1197, 1198, 1199]])",
    );
    // print(torch.ones(1001))
    check(
        &[1001],
        Elements::F32(&[1.0; 1001]),
        &plain(),
        "tensor([1., 1., 1.,  ..., 1., 1., 1.])",
    );
    // print(torch.arange(1000.).reshape(10, 100).shape)
    assert_eq!(size_repr(&[10, 100]), "torch.Size([10, 100])");
}

/// Suffixes from the conformance suite's autograd and module scripts.
#[test]
fn conformance_suffixes() {
    let grad_fn = |name: &str| Suffixes {
        grad_fn: Some(name.to_string()),
        ..Suffixes::default()
    };
    // autograd_chain.py: print(y) where y = w * x + b
    check(
        &[],
        Elements::F32(&[7.0]),
        &grad_fn("AddBackward0"),
        "tensor(7., grad_fn=<AddBackward0>)",
    );
    // seed_02_linear_module.py: print(output(x)) under "prediction:"
    check(
        &[4, 1],
        Elements::F32(&[-0.5820, -0.5873, -0.2027, -0.2080]),
        &grad_fn("AddmmBackward0"),
        "tensor([[-0.5820],\n        [-0.5873],\n        [-0.2027],\n        [-0.2080]], grad_fn=<AddmmBackward0>)",
    );
    // seed_02_linear_module.py: the tensor under "Parameter containing:"
    let leaf = Suffixes {
        requires_grad: true,
        ..Suffixes::default()
    };
    check(
        &[1, 2],
        Elements::F32(&[-0.0053, 0.3793]),
        &leaf,
        "tensor([[-0.0053,  0.3793]], requires_grad=True)",
    );
    // grad_fn wins over requires_grad, as in _str_intern.
    let both = Suffixes {
        requires_grad: true,
        ..grad_fn("MulBackward0")
    };
    check(
        &[2],
        Elements::F32(&[1.0, 4.0]),
        &both,
        "tensor([1., 4.], grad_fn=<MulBackward0>)",
    );
}

#[test]
fn size_reprs() {
    // str(torch.zeros(()).shape), str(torch.zeros(5).shape), str(torch.zeros(2, 3).shape)
    assert_eq!(size_repr(&[]), "torch.Size([])");
    assert_eq!(size_repr(&[5]), "torch.Size([5])");
    assert_eq!(size_repr(&[2, 3]), "torch.Size([2, 3])");
}

/// Owned elements of a golden record.
enum Owned {
    Bool(Vec<bool>),
    I64(Vec<i64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
}

impl Owned {
    fn elements(&self) -> Elements<'_> {
        match self {
            Owned::Bool(v) => Elements::Bool(v),
            Owned::I64(v) => Elements::I64(v),
            Owned::F32(v) => Elements::F32(v),
            Owned::F64(v) => Elements::F64(v),
        }
    }
}

/// The record's elements; those PyTorch did not show (summarized tensors)
/// get values that would change the output if they were looked at.
fn golden_elements(case: &Value, numel: usize) -> Owned {
    let text: Vec<&str> = case["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|v| v.as_str().expect("element string"))
        .collect();
    let positions: Vec<usize> = match case["shown"].as_array() {
        Some(shown) => shown
            .iter()
            .map(|i| i.as_u64().expect("index") as usize)
            .collect(),
        None => (0..numel).collect(),
    };
    fn fill<T: Copy>(
        numel: usize,
        junk: T,
        positions: &[usize],
        text: &[&str],
        parse: impl Fn(&str) -> T,
    ) -> Vec<T> {
        let mut out = vec![junk; numel];
        for (&p, t) in positions.iter().zip(text) {
            out[p] = parse(t);
        }
        out
    }
    let float = |t: &str| t.parse::<f64>().expect("float element");
    match case["dtype"].as_str().expect("dtype") {
        "torch.bool" => Owned::Bool(fill(numel, true, &positions, &text, |t| t == "True")),
        "torch.int64" => Owned::I64(fill(numel, i64::MIN, &positions, &text, |t| {
            t.parse().expect("int element")
        })),
        "torch.float32" => Owned::F32(fill(numel, 1e30, &positions, &text, |t| float(t) as f32)),
        "torch.float64" => Owned::F64(fill(numel, 1e300, &positions, &text, float)),
        other => panic!("unexpected dtype {other}"),
    }
}

#[test]
fn pytorch_goldens() {
    let goldens: Value =
        serde_json::from_str(include_str!("goldens/tensor_repr.json")).expect("golden json");
    let cases = goldens["cases"].as_array().expect("cases");
    assert!(cases.len() > 100);
    let mut failures = Vec::new();
    for case in cases {
        let shape: Vec<usize> = case["shape"]
            .as_array()
            .expect("shape")
            .iter()
            .map(|d| d.as_u64().expect("dim") as usize)
            .collect();
        let data = golden_elements(case, shape.iter().product());
        let suffixes = Suffixes {
            device: case["device"].as_str().map(str::to_string),
            grad_fn: case["grad_fn"].as_str().map(str::to_string),
            requires_grad: case["requires_grad"].as_bool().expect("requires_grad"),
        };
        let expected = case["repr"].as_str().expect("repr");
        let elements = data.elements();
        let got = tensor_repr(&shape, elements, elements.dtype(), &suffixes);
        if got != expected {
            failures.push(format!(
                "{}\ngot:\n{got}\nPyTorch:\n{expected}\n",
                case["call"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

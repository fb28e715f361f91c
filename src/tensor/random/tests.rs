//! Bit-exact comparison with PyTorch 2.15 (CPU, x86-64). goldens.txt is the
//! output of goldens.py: one `PyTorch call => values` line per case, groups of
//! values from successive calls separated by ` | `.

use super::{linear_init_bounds, Generator};

const GOLDENS: &str = include_str!("goldens.txt");

fn widen(values: Vec<f32>) -> Vec<f64> {
    values.into_iter().map(f64::from).collect()
}

fn ints(values: Vec<i64>) -> Vec<f64> {
    values.into_iter().map(|v| v as f64).collect()
}

fn randint(gen: &mut Generator, n: usize, low: i64, high: i64) -> Vec<f64> {
    ints(gen.randint(n, low, high).expect("non-empty range"))
}

/// `torch.normal` with tensor arguments: draws with the scalar std (or 1), then
/// the tensor ops PyTorch applies, each rounded to float32.
fn normal_tensors(
    gen: &mut Generator,
    mean: impl Fn(f32) -> f32,
    std: Option<fn(f32) -> f32>,
) -> Vec<f64> {
    let positions = (0..20).map(|i| i as f32);
    let values = match std {
        None => positions
            .zip(gen.normal_f32(20, 0.0, 2.0))
            .map(|(i, z)| z + mean(i))
            .collect(),
        Some(std) => positions
            .zip(gen.normal_f32(20, 0.0, 1.0))
            .map(|(i, z)| z * std(i) + mean(i))
            .collect(),
    };
    widen(values)
}

fn flags(values: Vec<bool>) -> Vec<f64> {
    values
        .into_iter()
        .map(|v| if v { 1.0 } else { 0.0 })
        .collect()
}

/// `PROBS` in goldens.py.
const PROBS: [f64; 12] = [
    0.5, 0.77, 0.0885, 0.1, 0.3, 0.6, 0.45, 0.63, 0.35, 0.4, 0.02, 0.17,
];

fn linear(gen: &mut Generator, fan_in: usize, fan_out: usize) -> Vec<Vec<f64>> {
    let (w, b) = linear_init_bounds(fan_in);
    let weight = widen(gen.uniform_f32(fan_in * fan_out, -w, w));
    let bias = widen(gen.uniform_f32(fan_out, -b, b));
    vec![weight, bias]
}

/// nnlearn's draws for the PyTorch call named by `label`, seeded as it says.
fn draw(label: &str) -> Vec<Vec<f64>> {
    let (seed, call) = label
        .split_once("; ")
        .expect("label starts with manual_seed");
    let seed = match seed {
        "manual_seed(0)" => 0,
        "manual_seed(1)" => 1,
        "manual_seed(2**40 + 5)" => (1 << 40) + 5,
        other => panic!("unknown seed {other}"),
    };
    let mut g = Generator::new(seed);
    let g = &mut g;
    match call {
        "rand(3, 1)" => vec![widen(g.uniform_f32(3, 0.0, 1.0))],
        "randn(2)" => vec![widen(g.normal_f32(2, 0.0, 1.0))],
        "rand(5)" => vec![widen(g.uniform_f32(5, 0.0, 1.0))],
        "rand(3)" => vec![widen(g.uniform_f32(3, 0.0, 1.0))],
        "rand(3, dtype=float64)" => vec![g.uniform_f64(3, 0.0, 1.0)],
        "randn(5)" => vec![widen(g.normal_f32(5, 0.0, 1.0))],
        "randn(16)" => vec![widen(g.normal_f32(16, 0.0, 1.0))],
        "randn(17)" => vec![widen(g.normal_f32(17, 0.0, 1.0))],
        "randn(100)" => vec![widen(g.normal_f32(100, 0.0, 1.0))],
        "randn(5, dtype=float64)" => vec![g.normal_f64(5, 0.0, 1.0)],
        "randn(20, dtype=float64)" => vec![g.normal_f64(20, 0.0, 1.0)],
        "randint(0, 10, (8,))" => vec![randint(g, 8, 0, 10)],
        "randint(-5, 5, (4,))" => vec![randint(g, 4, -5, 5)],
        "randint(0, 2**33, (3,))" => vec![randint(g, 3, 0, 1 << 33)],
        "normal(2.0, 3.0, size=(4,))" => vec![widen(g.normal_f32(4, 2.0, 3.0))],
        "normal(2.0, 3.0, size=(20,))" => vec![widen(g.normal_f32(20, 2.0, 3.0))],
        "normal(2.0, 3.0, size=(15,), dtype=float64)" => vec![g.normal_f64(15, 2.0, 3.0)],
        "normal(2.0, 3.0, size=(20,), dtype=float64)" => vec![g.normal_f64(20, 2.0, 3.0)],
        "normal(arange(20.), 2.0)" => vec![normal_tensors(g, |i| i, None)],
        "normal(1.5, arange(20.))" => vec![normal_tensors(g, |_| 1.5, Some(|i| i))],
        "normal(arange(20.), arange(20.) / 3)" => {
            vec![normal_tensors(g, |i| i, Some(|i| i / 3.0))]
        }
        "empty(6).uniform_(-2.5, 7.1)" => vec![widen(g.uniform_f32(6, -2.5, 7.1))],
        "empty(3, dtype=float64).uniform_(-2.5, 7.1)" => vec![g.uniform_f64(3, -2.5, 7.1)],
        "rand(2), randn(3), rand(2), randn(1)" => vec![
            widen(g.uniform_f32(2, 0.0, 1.0)),
            widen(g.normal_f32(3, 0.0, 1.0)),
            widen(g.uniform_f32(2, 0.0, 1.0)),
            widen(g.normal_f32(1, 0.0, 1.0)),
        ],
        "randn(1), manual_seed(0), randn(1)" => {
            let first = widen(g.normal_f32(1, 0.0, 1.0));
            g.manual_seed(0);
            vec![first, widen(g.normal_f32(1, 0.0, 1.0))]
        }
        "randn(1), randn(20), randn(1)" => vec![
            widen(g.normal_f32(1, 0.0, 1.0)),
            widen(g.normal_f32(20, 0.0, 1.0)),
            widen(g.normal_f32(1, 0.0, 1.0)),
        ],
        "rand(700)[620:625]" => vec![widen(g.uniform_f32(700, 0.0, 1.0)[620..625].to_vec())],
        "randn(1000)[208:218]" => vec![widen(g.normal_f32(1000, 0.0, 1.0)[208..218].to_vec())],
        "normal(2.0, 3.0, size=(400,))[336:346]" => {
            vec![widen(g.normal_f32(400, 2.0, 3.0)[336..346].to_vec())]
        }
        "empty(20).bernoulli_(0.3)" => vec![flags(g.bernoulli(20, 0.3))],
        "bernoulli(tensor(PROBS))" => {
            let probs = PROBS.map(|p| p as f32);
            vec![flags(g.bernoulli_probs_f32(&probs))]
        }
        "bernoulli(tensor(PROBS, dtype=float64))" => vec![flags(g.bernoulli_probs_f64(&PROBS))],
        "nn.Linear(3, 2) weight, bias" => linear(g, 3, 2),
        "nn.Linear(2, 8) weight, bias" => linear(g, 2, 8),
        "nn.Linear(5, 1) weight, bias" => linear(g, 5, 1),
        other => panic!("no nnlearn draw for {other}"),
    }
}

/// Parses `[a, b] | [c]` as printed by goldens.py.
fn parse(values: &str) -> Vec<Vec<f64>> {
    values
        .split(" | ")
        .map(|group| {
            let inner = group.trim().trim_start_matches('[').trim_end_matches(']');
            inner
                .split(", ")
                .map(|v| v.parse::<f64>().expect("a number"))
                .collect()
        })
        .collect()
}

/// `None` when nnlearn draws exactly PyTorch's bits for `label`, else both sides.
fn check(label: &str, expected: &str) -> Option<String> {
    let bits = |groups: &[Vec<f64>]| -> Vec<Vec<u64>> {
        groups
            .iter()
            .map(|g| g.iter().map(|v| v.to_bits()).collect())
            .collect()
    };
    let actual = draw(label);
    let expected = parse(expected);
    (bits(&actual) != bits(&expected))
        .then(|| format!("{label}\n  nnlearn: {actual:?}\n  PyTorch: {expected:?}"))
}

#[test]
fn matches_pytorch_bit_for_bit() {
    let cases: Vec<(&str, &str)> = GOLDENS
        .lines()
        .map(|line| line.split_once(" => ").expect("label => values"))
        .collect();
    assert_eq!(cases.len(), 35);
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(label, expected)| check(label, expected))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rounded_goldens_from_the_brief() {
    // manual_seed(0); rand(3, 1) -> 0.4963, 0.7682, 0.0885
    let round = |v: f32| (v * 1e4).round() / 1e4;
    let rand: Vec<f32> = Generator::new(0).uniform_f32(3, 0.0, 1.0);
    assert_eq!(
        rand.into_iter().map(round).collect::<Vec<_>>(),
        [0.4963, 0.7682, 0.0885]
    );
    // manual_seed(0); randn(2) -> 1.5410, -0.2934
    let randn = Generator::new(0).normal_f32(2, 0.0, 1.0);
    assert_eq!(
        randn.into_iter().map(round).collect::<Vec<_>>(),
        [1.541, -0.2934]
    );
}

#[test]
fn seeds_and_state() {
    let mut g = Generator::default();
    assert_eq!(g.initial_seed(), super::DEFAULT_SEED);
    g.manual_seed(u64::MAX);
    assert_eq!(g.initial_seed(), u64::MAX);
    // manual_seed(2**64 - 1); rand(2) -> [0.9937993884086609, 0.5713063478469849]
    assert_eq!(
        widen(g.uniform_f32(2, 0.0, 1.0)),
        [0.993_799_388_408_660_9, 0.571_306_347_846_984_9]
    );
    let mut copy = g.clone();
    assert_eq!(copy.random_u64(), g.random_u64());
}

#[test]
fn randint_rejects_an_empty_range() {
    // randint(5, 5, (3,)) raises this RuntimeError in PyTorch.
    let err = Generator::new(0).randint(3, 5, 5).unwrap_err();
    assert_eq!(
        err.to_string(),
        "random_ expects 'from' to be less than 'to', but got from=5 >= to=5"
    );
}

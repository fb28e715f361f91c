//! nnlearn's float32 SLEEF ports, sigmoid, log1p and softmax against bit
//! patterns from real PyTorch (tests/goldens/gen_vecmath.py writes the file
//! and documents each line's PyTorch call).

use nnlearn::tensor::{vecmath, Tensor, UnaryOp};

const GOLDENS: &str = include_str!("goldens/vecmath.txt");

fn floats(hexes: &str) -> Vec<f32> {
    hexes
        .split_whitespace()
        .map(|h| f32::from_bits(u32::from_str_radix(h, 16).expect("hex golden")))
        .collect()
}

/// Bit-identical, except that any NaN matches any NaN (PyTorch's NaN
/// payloads and signs are not part of what we reproduce).
fn same(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// Runs one golden line; returns a description of each mismatch.
fn check(line: &str) -> Vec<String> {
    let (head, rest) = line.split_once(" : ").unwrap_or((line, ""));
    let words: Vec<&str> = head.split_whitespace().collect();
    let (inputs, expected, got) = match words.as_slice() {
        ["sleef", name, x, y] => {
            let (x, y) = (floats(x), floats(y));
            let f = match *name {
                "exp" => vecmath::exp,
                "log" => vecmath::log,
                "log1p" => vecmath::log1p,
                _ => panic!("unknown sleef function {name}"),
            };
            let got = x.iter().map(|&v| f(v)).collect();
            (x, y, got)
        }
        ["op", name, shape] => {
            let shape: Vec<usize> = shape.split(',').map(|s| s.parse().unwrap()).collect();
            let (x, y) = rest
                .split_once(" : ")
                .expect("op line has input and output");
            let (x, y) = (floats(x), floats(y));
            let t = Tensor::from_vec(x.clone(), &shape).unwrap();
            let out = match name.split_once(':') {
                Some((kind, dim)) => t.softmax(dim.parse().unwrap(), kind == "log_softmax"),
                None if *name == "log1p" => t.unary(UnaryOp::Log1p),
                None if *name == "sigmoid" => t.sigmoid(),
                None => panic!("unknown op {name}"),
            };
            (x, y, out.unwrap().to_vec::<f32>().unwrap())
        }
        _ => panic!("bad golden line: {line}"),
    };
    assert_eq!(got.len(), expected.len(), "{head}");
    let mut bad = Vec::new();
    for (i, (&g, &e)) in got.iter().zip(&expected).enumerate() {
        if !same(g, e) {
            let x = inputs.get(i).copied().unwrap_or(f32::NAN);
            bad.push(format!("{head} [{i}] x={x:e}: got {g:e}, PyTorch {e:e}"));
        }
    }
    bad
}

#[test]
fn matches_pytorch_bit_for_bit() {
    let lines: Vec<&str> = GOLDENS.lines().filter(|l| !l.is_empty()).collect();
    assert!(lines.len() > 1000, "golden file is missing or truncated");
    let bad: Vec<String> = lines.iter().flat_map(|l| check(l)).collect();
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad[..bad.len().min(20)].join("\n")
    );
}

/// `vecmath::fma` rounds once, as `f32::mul_add` does, on random triples of
/// every magnitude and on sums that land on midpoints or in the subnormals.
#[test]
fn fma_rounds_once() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        f32::from_bits((state >> 32) as u32)
    };
    let mut cases: Vec<(f32, f32, f32)> = (0..200_000).map(|_| (next(), next(), next())).collect();
    // 1 + 2^-24 is a midpoint; 2^-75 squared is subnormal.
    cases.extend([
        (1.0 + f32::EPSILON, 1.0 + f32::EPSILON, -1.0),
        (1.0, 1.0, 5.960_464_5e-8),
        (2.646_978e-23, 2.646_978e-23, 1e-45),
        (1e-20, 1e-20, -1e-40),
        (-0.0, 0.0, -0.0),
        (3.0, -2.0, 6.0),
    ]);
    for (a, b, c) in cases {
        let (got, want) = (vecmath::fma(a, b, c), a.mul_add(b, c));
        assert!(
            got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
            "fma({a:e}, {b:e}, {c:e}) = {got:e}, mul_add gives {want:e}"
        );
    }
}

/// float32 `tanh` against PyTorch's, MKL's closed `vmsTanh`: ours is correctly
/// rounded, MKL's is for all but about 0.1% of inputs. So every result is
/// within one ulp of PyTorch's, at most 0.3% differ at all, and the edge cases
/// (signed zeros, subnormals, the series and saturation cut-offs, infinities,
/// NaN: the file's first 20 lines) are identical.
#[test]
fn tanh_as_pytorch() {
    let pairs: Vec<(f32, f32)> = include_str!("goldens/tanh.txt")
        .lines()
        .map(|line| {
            let v = floats(line);
            (v[0], v[1])
        })
        .collect();
    assert!(pairs.len() > 30_000, "golden file is missing or truncated");
    let x: Vec<f32> = pairs.iter().map(|p| p.0).collect();
    let t = Tensor::from_vec(x.clone(), &[x.len()]).unwrap();
    let got = t.tanh().unwrap().to_vec::<f32>().unwrap();
    let mut differ = 0;
    for (i, (&g, &(x, e))) in got.iter().zip(&pairs).enumerate() {
        if same(g, e) {
            continue;
        }
        differ += 1;
        let ulps = (g.to_bits() as i64 - e.to_bits() as i64).abs();
        assert!(
            i >= 20 && ulps == 1,
            "tanh({x:e}) = {g:e}, PyTorch {e:e} ({ulps} ulps)"
        );
    }
    assert!(differ * 1000 <= 3 * pairs.len(), "{differ} results differ");
}

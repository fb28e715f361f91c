//! Float sums in PyTorch's CPU order (ATen's `cascade_sum`), so that
//! float32 `sum`, `mean` and the losses' reductions round exactly as PyTorch
//! does: 256-bit vectors (8 float32 or 4 float64 lanes, what PyTorch 2.15
//! uses on the reference AVX-512 machine), four interleaved accumulators,
//! and a 4-level cascade that only adds partial sums of similar size.
//! Checked against `torch.sum` for sizes 1..5000 (tests/tensor_goldens.rs).

use super::element::Float;

const ILP: usize = 4;
const LEVELS: usize = 4;

fn add<F: Float, const L: usize>(a: [F; L], b: [F; L]) -> [F; L] {
    std::array::from_fn(|i| a[i] + b[i])
}

fn ceil_log2(x: usize) -> usize {
    if x <= 2 {
        1
    } else {
        (usize::BITS - (x - 1).leading_zeros()) as usize
    }
}

/// ATen's `row_sum`: `load(i)` for i in 0..size, as 4 interleaved rows of a
/// multi-level cascade, then the leftovers and the 4 partial sums in order.
fn row_sum<F: Float, const L: usize>(load: impl Fn(usize) -> [F; L], size: usize) -> [F; L] {
    let zero = [F::zero(); L];
    let rows = size / ILP;
    let level_power = (ceil_log2(rows) / LEVELS).max(4);
    let step = 1usize << level_power;
    let mask = step - 1;
    let mut acc = [[zero; ILP]; LEVELS];
    let mut i = 0;
    while i + step <= rows {
        for _ in 0..step {
            for (k, a) in acc[0].iter_mut().enumerate() {
                *a = add(*a, load(i * ILP + k));
            }
            i += 1;
        }
        for j in 1..LEVELS {
            let (lower, upper) = acc.split_at_mut(j);
            for (hi, lo) in upper[0].iter_mut().zip(lower[j - 1].iter_mut()) {
                *hi = add(*hi, *lo);
                *lo = zero;
            }
            if i & (mask << (j * level_power)) != 0 {
                break;
            }
        }
    }
    for i in i..rows {
        for (k, a) in acc[0].iter_mut().enumerate() {
            *a = add(*a, load(i * ILP + k));
        }
    }
    let mut partial = acc[0];
    for level in &acc[1..] {
        for (p, &a) in partial.iter_mut().zip(level) {
            *p = add(*p, a);
        }
    }
    for i in rows * ILP..size {
        partial[0] = add(partial[0], load(i));
    }
    partial[1..].iter().fold(partial[0], |s, &p| add(s, p))
}

/// ATen's inner (contiguous) sum of one row with `L`-lane vectors.
fn inner_sum<F: Float, const L: usize>(xs: &[F]) -> F {
    if xs.len() < L {
        return row_sum(|i| [xs[i]], xs.len())[0];
    }
    let vectors = xs.len() / L;
    let lanes: [F; L] = row_sum(|i| std::array::from_fn(|k| xs[i * L + k]), vectors);
    let tail = xs[vectors * L..].iter().fold(F::zero(), |s, &x| s + x);
    lanes.iter().fold(tail, |s, &x| s + x)
}

/// The sum of `xs` rounded as PyTorch's CPU `sum` rounds it.
pub(crate) fn pytorch_sum<F: Float>(xs: &[F]) -> F {
    if std::mem::size_of::<F>() == 4 {
        inner_sum::<F, 8>(xs)
    } else {
        inner_sum::<F, 4>(xs)
    }
}

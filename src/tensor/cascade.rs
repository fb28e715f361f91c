//! Float sums in the exact order PyTorch's CPU kernels use, so results round
//! bit for bit as `torch.sum` / `mean` / the losses do.
//!
//! ATen's `cascade_sum` (aten/src/ATen/native/cpu/SumKernel.cpp) adds in the
//! element type, in chunks whose partial sums are added level by level, with
//! 4 interleaved accumulators and AVX2 vector lanes (8 floats, 4 doubles: the
//! kernel is not registered for AVX512, so AVX512 machines run the AVX2 one).
//! Which loop runs depends on how TensorIterator orders and merges the dims,
//! which [`sum`] replays. Reductions of more than 32768 elements are split
//! across threads by PyTorch; this replays the one-thread order.

use super::element::Float;
use super::layout::Layout;

/// A float type with its AVX2 lane count.
pub trait SumFloat: Float {
    /// Sums `data` seen through `layout` over `dims` (sorted, distinct),
    /// giving the outputs in row-major order of the kept dims.
    fn cascade(data: &[Self], layout: &Layout, dims: &[usize]) -> Vec<Self>;
}

impl SumFloat for f32 {
    fn cascade(data: &[f32], layout: &Layout, dims: &[usize]) -> Vec<f32> {
        reduce::<f32, 8>(data, layout, dims)
    }
}

impl SumFloat for f64 {
    fn cascade(data: &[f64], layout: &Layout, dims: &[usize]) -> Vec<f64> {
        reduce::<f64, 4>(data, layout, dims)
    }
}

/// `x.sum(dims)` as PyTorch computes it on the CPU.
pub fn sum<F: SumFloat>(data: &[F], layout: &Layout, dims: &[usize]) -> Vec<F> {
    F::cascade(data, layout, dims)
}

/// The sum of a contiguous run of values, as `t.sum()` of a contiguous tensor.
pub fn sum_all<F: SumFloat>(values: &[F]) -> F {
    let sums = F::cascade(values, &Layout::contiguous(&[values.len()]), &[0]);
    sums.first().copied().unwrap_or_else(F::zero)
}

/// nll_loss's running sum (LossNLL.cpp `nll_loss_out_frame`): eight levels,
/// flushed upwards by the batch index of each counted sample.
pub struct NllSum<F> {
    levels: [F; 8],
    power: u32,
    mask: usize,
}

impl<F: Float> NllSum<F> {
    pub fn new(batch: usize) -> NllSum<F> {
        let power = (ceil_log2(batch) / 8).max(4);
        NllSum {
            levels: [F::zero(); 8],
            power,
            mask: (1 << power) - 1,
        }
    }

    /// Adds the value of sample `b`.
    pub fn add(&mut self, b: usize, value: F) {
        self.levels[0] = self.levels[0] + value;
        for j in 0..7 {
            if b & (self.mask << (j as u32 * self.power)) != 0 {
                break;
            }
            self.levels[j + 1] = self.levels[j + 1] + self.levels[j];
            self.levels[j] = F::zero();
        }
    }

    pub fn total(&self) -> F {
        self.levels.iter().fold(F::zero(), |a, &b| a + b)
    }
}

/// `utils::CeilLog2`.
fn ceil_log2(x: usize) -> u32 {
    if x <= 2 {
        1
    } else {
        usize::BITS - (x - 1).leading_zeros()
    }
}

/// What the kernels add: one float, or one vector of `N` lanes.
trait Acc: Copy {
    fn zero() -> Self;
    fn add(self, other: Self) -> Self;
}

impl<F: Float> Acc for F {
    fn zero() -> F {
        F::zero()
    }
    fn add(self, other: F) -> F {
        self + other
    }
}

/// A `Vectorized<float>` / `Vectorized<double>` register: lanes add separately.
#[derive(Clone, Copy)]
struct Lanes<F, const N: usize>([F; N]);

impl<F: Float, const N: usize> Lanes<F, N> {
    fn load(data: &[F], at: usize) -> Self {
        let mut v = [F::zero(); N];
        v.copy_from_slice(&data[at..at + N]);
        Lanes(v)
    }
}

impl<F: Float, const N: usize> Acc for Lanes<F, N> {
    fn zero() -> Self {
        Lanes([F::zero(); N])
    }
    fn add(self, other: Self) -> Self {
        let mut v = self.0;
        for (a, b) in v.iter_mut().zip(other.0) {
            *a = *a + b;
        }
        Lanes(v)
    }
}

/// `multi_row_sum`: `R` running sums over `size` rows at once, with four
/// cascade levels of `2^level_power` rows each. `load(i, k)` reads row `i`, column `k`.
fn multi_row_sum<A: Acc, const R: usize>(size: usize, load: impl Fn(usize, usize) -> A) -> [A; R] {
    const LEVELS: usize = 4;
    let power = (ceil_log2(size) / LEVELS as u32).max(4);
    let step = 1usize << power;
    let mask = step - 1;
    let mut acc = [[A::zero(); R]; LEVELS];
    let mut i = 0;
    while i + step <= size {
        for _ in 0..step {
            for (k, a) in acc[0].iter_mut().enumerate() {
                *a = a.add(load(i, k));
            }
            i += 1;
        }
        for j in 1..LEVELS {
            let (lower, upper) = acc.split_at_mut(j);
            for (hi, lo) in upper[0].iter_mut().zip(lower[j - 1].iter_mut()) {
                *hi = hi.add(*lo);
                *lo = A::zero();
            }
            if i & (mask << (j as u32 * power)) != 0 {
                break;
            }
        }
    }
    for i in i..size {
        for (k, a) in acc[0].iter_mut().enumerate() {
            *a = a.add(load(i, k));
        }
    }
    let mut out = acc[0];
    for level in &acc[1..] {
        for (o, &a) in out.iter_mut().zip(level) {
            *o = o.add(a);
        }
    }
    out
}

/// `row_sum`: one sum over `size` elements, `load(i)` reading element `i`,
/// as four interleaved cascades then the leftovers.
fn row_sum<A: Acc>(size: usize, load: impl Fn(usize) -> A) -> A {
    const ILP: usize = 4;
    let rows = size / ILP;
    let mut partial = multi_row_sum::<A, ILP>(rows, |i, k| load(i * ILP + k));
    for i in rows * ILP..size {
        partial[0] = partial[0].add(load(i));
    }
    partial[1..].iter().fold(partial[0], |a, &b| a.add(b))
}

/// One 2-D step of TensorIterator's loop: `size[0]` x `size[1]` elements,
/// strides in elements, bases into the input and output.
struct Plane {
    size: [usize; 2],
    input: [usize; 2],
    output: [usize; 2],
    in_base: usize,
    out_base: usize,
}

/// The body of `cascade_sum`'s loop, adding this plane's sums into `out`.
fn sum_plane<F: Float, const N: usize>(data: &[F], out: &mut [F], p: Plane) {
    let Plane {
        mut size,
        mut input,
        mut output,
        in_base,
        out_base,
    } = p;
    // Move the reduction to the first dim.
    if output[0] != 0 && output[1] == 0 {
        size.swap(0, 1);
        input.swap(0, 1);
        output.swap(0, 1);
    }
    let at = |i: usize| data[in_base + i];
    if output[0] != 0 {
        // Nothing reduced here: each output just adds its one input.
        for j in 0..size[1] {
            for i in 0..size[0] {
                let o = out_base + i * output[0] + j * output[1];
                out[o] = out[o] + at(i * input[0] + j * input[1]);
            }
        }
        return;
    }
    let [n, m] = size;
    let mut store = |j: usize, v: F| {
        let o = out_base + j * output[1];
        out[o] = out[o] + v;
    };
    if input[0] == 1 && n >= N {
        // vectorized_inner_sum: each row contiguous.
        for j in 0..m {
            let row = j * input[1];
            let whole = n / N;
            let vec = row_sum(whole, |i| Lanes::<F, N>::load(data, in_base + row + i * N));
            let tail = (whole * N..n).fold(F::zero(), |a, k| a + at(row + k));
            store(j, vec.0.iter().fold(tail, |a, &b| a + b));
        }
    } else if input[1] == 1 && m >= N {
        // vectorized_outer_sum: each reduced step is a contiguous run of outputs.
        let mut j = 0;
        while j + 4 * N <= m {
            let sums = multi_row_sum::<Lanes<F, N>, 4>(n, |i, k| {
                Lanes::load(data, in_base + j + i * input[0] + k * N)
            });
            for (r, s) in sums.iter().enumerate() {
                for (l, &v) in s.0.iter().enumerate() {
                    store(j + r * N + l, v);
                }
            }
            j += 4 * N;
        }
        while j + N <= m {
            let s = row_sum(n, |i| Lanes::<F, N>::load(data, in_base + j + i * input[0]));
            for (l, &v) in s.0.iter().enumerate() {
                store(j + l, v);
            }
            j += N;
        }
        for j in j..m {
            store(j, row_sum(n, |i| at(j + i * input[0])));
        }
    } else if input[0] < input[1] {
        // scalar_inner_sum
        for j in 0..m {
            store(j, row_sum(n, |i| at(j * input[1] + i * input[0])));
        }
    } else {
        // scalar_outer_sum: four outputs at a time.
        let mut j = 0;
        while j + 4 <= m {
            let sums = multi_row_sum::<F, 4>(n, |i, k| at((j + k) * input[1] + i * input[0]));
            for (k, &v) in sums.iter().enumerate() {
                store(j + k, v);
            }
            j += 4;
        }
        for j in j..m {
            store(j, row_sum(n, |i| at(j * input[1] + i * input[0])));
        }
    }
}

/// One iterated dim: its size and the output's and input's strides.
#[derive(Clone, Copy)]
struct Dim {
    size: usize,
    out: usize,
    input: usize,
}

/// TensorIterator's `reorder_dimensions` for a reduction: fastest first,
/// reduced dims before kept ones, then by input stride.
fn reorder(dims: &mut [Dim]) {
    // 1: `a` must move after `b`; -1: it stays before; 0: no preference.
    let should_swap = |a: &Dim, b: &Dim| -> i32 {
        if (a.out == 0) != (b.out == 0) {
            return if b.out == 0 { 1 } else { -1 };
        }
        for (s0, s1) in [(a.out, b.out), (a.input, b.input)] {
            if s0 == 0 || s1 == 0 {
                continue;
            }
            if s0 != s1 {
                return if s0 < s1 { -1 } else { 1 };
            }
            if a.size > b.size {
                return 1;
            }
        }
        0
    };
    for i in 1..dims.len() {
        let mut d1 = i;
        for d0 in (0..i).rev() {
            match should_swap(&dims[d0], &dims[d1]) {
                c if c > 0 => {
                    dims.swap(d0, d1);
                    d1 = d0;
                }
                c if c < 0 => break,
                _ => {}
            }
        }
    }
}

/// TensorIterator's `coalesce_dimensions`: merges neighbours that step as one.
fn coalesce(dims: Vec<Dim>) -> Vec<Dim> {
    let mut out: Vec<Dim> = Vec::with_capacity(dims.len());
    for d in dims {
        match out.last_mut() {
            Some(p)
                if p.size == 1
                    || d.size == 1
                    || (p.size * p.out == d.out && p.size * p.input == d.input) =>
            {
                if p.size == 1 {
                    p.out = d.out;
                    p.input = d.input;
                }
                p.size *= d.size;
            }
            _ => out.push(d),
        }
    }
    out
}

fn reduce<F: Float, const N: usize>(data: &[F], layout: &Layout, reduced: &[usize]) -> Vec<F> {
    let shape = &layout.shape;
    let out_numel: usize = shape
        .iter()
        .enumerate()
        .filter(|(i, _)| !reduced.contains(i))
        .map(|(_, &s)| s)
        .product();
    let mut out = vec![F::zero(); out_numel];
    if layout.numel() == 0 {
        return out;
    }
    // The output is contiguous over the kept dims; reduced dims step by 0.
    let mut out_strides = vec![0; shape.len()];
    let mut acc = 1;
    for i in (0..shape.len()).rev() {
        if !reduced.contains(&i) {
            out_strides[i] = acc;
            acc *= shape[i];
        }
    }
    // Row-major dims reversed: TensorIterator starts from the fastest.
    let mut dims: Vec<Dim> = (0..shape.len())
        .rev()
        .map(|i| Dim {
            size: shape[i],
            out: out_strides[i],
            input: layout.strides[i],
        })
        .collect();
    reorder(&mut dims);
    let mut dims = coalesce(dims);
    while dims.len() < 2 {
        dims.push(Dim {
            size: 1,
            out: 0,
            input: 0,
        });
    }
    let (plane, outer) = dims.split_at(2);
    let mut index = vec![0; outer.len()];
    loop {
        let in_base = layout.offset
            + outer
                .iter()
                .zip(&index)
                .map(|(d, i)| d.input * i)
                .sum::<usize>();
        let out_base: usize = outer.iter().zip(&index).map(|(d, i)| d.out * i).sum();
        sum_plane::<F, N>(
            data,
            &mut out,
            Plane {
                size: [plane[0].size, plane[1].size],
                input: [plane[0].input, plane[1].input],
                output: [plane[0].out, plane[1].out],
                in_base,
                out_base,
            },
        );
        // Step the outer dims, the first fastest.
        let mut k = 0;
        while k < outer.len() {
            index[k] += 1;
            if index[k] < outer[k].size {
                break;
            }
            index[k] = 0;
            k += 1;
        }
        if k == outer.len() {
            return out;
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::tensor::{Reduction, Tensor};

    /// Goldens from tests/goldens/gen_cascade_sums.py (torch.sum, torch.mean,
    /// F.nll_loss on the CPU); inputs are redrawn here from the same LCG.
    const GOLDEN: &str = include_str!("../../tests/goldens/cascade_sums.txt");

    pub(crate) struct Lcg(pub u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 32
        }

        pub(crate) fn value(&mut self) -> f64 {
            let u = self.next();
            let e = (self.next() % 13) as i32 - 4;
            (u as f64 / 2f64.powi(32) * 2.0 - 1.0) * 2f64.powi(e)
        }
    }

    fn list<T: std::str::FromStr>(s: &str) -> Vec<T> {
        s.split(',').filter_map(|x| x.parse().ok()).collect()
    }

    /// The bit patterns of a float tensor, as the generator writes them.
    fn hexes(t: &Tensor) -> Vec<String> {
        match t.dtype() {
            crate::tensor::DType::F32 => t
                .to_vec::<f32>()
                .unwrap()
                .iter()
                .map(|v| format!("{:08x}", v.to_bits()))
                .collect(),
            _ => t
                .to_vec::<f64>()
                .unwrap()
                .iter()
                .map(|v| format!("{:016x}", v.to_bits()))
                .collect(),
        }
    }

    /// Count, FNV-1a over the bit patterns and the first four, as in the generator.
    pub(crate) fn digest(t: &Tensor) -> String {
        let hs = hexes(t);
        let mut h: u64 = 0xcbf29ce484222325;
        for x in &hs {
            h = (h ^ u64::from_str_radix(x, 16).unwrap_or(0)).wrapping_mul(0x100000001b3);
        }
        let mut parts = vec![hs.len().to_string(), format!("{h:016x}")];
        parts.extend(hs.iter().take(4).cloned());
        parts.join(" ")
    }

    pub(crate) fn tensor(values: Vec<f64>, dtype: &str, shape: &[usize]) -> Tensor {
        let t = if dtype == "f32" {
            Tensor::from_vec(values.iter().map(|&v| v as f32).collect(), shape)
        } else {
            Tensor::from_vec(values, shape)
        };
        t.expect("golden shapes are valid")
    }

    /// `slice:D:START:STEP` (`x[..., START::STEP]` on dim D) or `expand:SIZES`.
    fn apply_view(x: &Tensor, view: &str) -> Tensor {
        match view.split_once(':') {
            Some(("slice", arg)) => {
                let v: Vec<usize> = arg.split(':').filter_map(|a| a.parse().ok()).collect();
                let (d, start, step) = (v[0], v[1], v[2]);
                let len = (x.shape()[d] - start).div_ceil(step);
                x.slice_dim(d, start, len, step)
            }
            _ => x
                .expand(&list::<i64>(&view["expand:".len()..]))
                .expect("valid expand"),
        }
    }

    /// What nnlearn gives for one golden line's case, in the line's format.
    fn run(case: &str) -> String {
        let f: Vec<&str> = case.split_whitespace().collect();
        match f[0] {
            "sum" => {
                let shape: Vec<usize> = list(f[2]);
                let n = shape.iter().product();
                let mut g = Lcg(f[6].parse().unwrap_or(0));
                let mut x = tensor((0..n).map(|_| g.value()).collect(), f[1], &shape);
                if f[3] != "-" {
                    x = x.permute(&list::<i64>(f[3])).expect("valid perm");
                }
                if let Some(view) = f.get(7) {
                    x = apply_view(&x, view);
                }
                let dims: Option<Vec<i64>> = (f[4] != "all").then(|| list(f[4]));
                let keep = f[5] == "1";
                let dims = match (&dims, keep) {
                    (None, true) => Some((0..x.dim() as i64).collect()),
                    _ => dims,
                };
                let s = x.sum(dims.as_deref(), keep).expect("sum");
                let m = x.mean(dims.as_deref(), keep).expect("mean");
                format!("{} | {}", digest(&s), digest(&m))
            }
            _ => {
                let (batch, classes): (usize, usize) =
                    (f[2].parse().unwrap_or(0), f[3].parse().unwrap_or(0));
                let mut g = Lcg(f[4].parse().unwrap_or(0));
                let x = tensor(
                    (0..batch * classes).map(|_| g.value()).collect(),
                    f[1],
                    &[batch, classes],
                );
                let t: Vec<i64> = (0..batch)
                    .map(|_| {
                        let u = g.next();
                        if f[6] == "1" && u.is_multiple_of(7) {
                            -100
                        } else {
                            (u % classes as u64) as i64
                        }
                    })
                    .collect();
                let t = Tensor::from_vec(t, &[batch]).expect("targets");
                let w = (f[5] == "1").then(|| {
                    let w = (0..classes).map(|_| g.next() as f64 / 2f64.powi(32) + 0.5);
                    tensor(w.collect(), f[1], &[classes])
                });
                let loss = |r| x.nll_loss(&t, w.as_ref(), r, -100).expect("nll_loss");
                let (s, m) = (loss(Reduction::Sum), loss(Reduction::Mean));
                format!("{} {}", hexes(&s)[0], hexes(&m)[0])
            }
        }
    }

    #[test]
    fn sums_match_pytorch_bit_for_bit() {
        let mut failures = Vec::new();
        let mut count = 0;
        for line in GOLDEN.lines().filter(|l| !l.starts_with('#')) {
            let (case, expected) = line.split_once(" : ").expect("golden line");
            count += 1;
            let got = run(case);
            if got != expected {
                failures.push(format!("{case}\n  torch:   {expected}\n  nnlearn: {got}"));
            }
        }
        assert!(count > 1000, "golden file read");
        assert!(
            failures.is_empty(),
            "{} of {count} differ:\n{}",
            failures.len(),
            failures[..failures.len().min(10)].join("\n")
        );
    }
}

//! Float matrix products rounded the way PyTorch's CPU build rounds them.
//!
//! torch 2.15 hands every float mm / mv / addmm / bmm (one call per batch) to MKL's
//! sgemm/dgemm/sgemv. Measured on its AVX-512 build against tests/goldens/gen_gemm.py
//! (whose `exact` lists the regions the goldens cover), each element of a small product is:
//! - with at least [`VECTOR_COLS`] columns and [`VECTOR_ROWS`] rows (MKL's vector
//!   kernel): an FMA chain over k, `acc = fma(a[i,p], b[p,j], acc)` from 0;
//! - otherwise (its scalar path): the plain sum `acc = acc + round(a[i,p] * b[p,j])`,
//!   except that f32 rows of `a` against contiguous columns of `b` (x @ W.T, as in
//!   nn.Linear, m > 1) go four lanes at a time, eight for the last n % 4 columns ([`lanes`]).
//!
//! Known gaps, off in the last bit for some elements: f32 with contiguous rows and
//! columns for m = 1 (k > 3); f32 n = 5, 13, 17.. with
//! plain rows (k > 4); f64 beyond k = 3 except n in {1, 2, 4, 8} and multiples of 12
//! (and f64 addmm there); mv for k > 3 (sgemv's alignment-dependent lanes); k > 128,
//! where MKL splits the sum into blocks. torch.dot (MKL sdot) is not handled here.
//! Above [`SMALL_WORK`] multiply-adds we call the `gemm` crate instead (AVX-512 kernels
//! on 2 threads, as fast as MKL here), where MKL's blocking makes exact rounding impractical.
//! Above [`TILE_WORK`] the product is cut into tiles, one call each, polling for
//! interrupts between them.

use super::error::Result;
use super::{interrupt, kernel, CpuStorage, Element, Layout};
use std::ops::{Add, Mul};

/// Largest m·k·n computed by the exact kernel (64³: a few ms single-threaded).
const SMALL_WORK: usize = 64 * 64 * 64;
/// Largest m·k·n of one `gemm` crate call (about 10 ms on 2 cores), so that
/// Esc / Ctrl-C stop a long product within 100 ms even on a busy machine.
const TILE_WORK: usize = 1 << 30;
/// MKL's FMA kernel needs this many output columns...
const VECTOR_COLS: usize = 12;
/// ...and this many output rows.
const VECTOR_ROWS: usize = 4;

/// A read-only strided matrix: element (i, j) is `data[i * rs + j * cs]`, and
/// `data[0]` sits `offset` elements into its storage (MKL's loops depend on alignment;
/// PyTorch's storages start 64-byte aligned).
#[derive(Clone, Copy)]
pub(super) struct Strided<'a, T> {
    pub data: &'a [T],
    pub offset: usize,
    pub rs: usize,
    pub cs: usize,
}

impl<'a, T: Element> Strided<'a, T> {
    /// The last two dims of a tensor's layout over its storage.
    pub fn matrix(storage: &'a CpuStorage, layout: &Layout) -> Self {
        let d = layout.ndim();
        Strided {
            data: &T::slice(storage)[layout.offset..],
            offset: layout.offset,
            rs: layout.strides[d - 2],
            cs: layout.strides[d - 1],
        }
    }

    /// The sub-matrix from element (i, j) on.
    fn at(self, i: usize, j: usize) -> Self {
        let skip = i * self.rs + j * self.cs;
        Strided {
            data: &self.data[skip..],
            offset: self.offset + skip,
            ..self
        }
    }
}

/// f32 and f64: fused multiply-add plus the `gemm` crate's threaded kernels.
pub(super) trait Real: Element + Add<Output = Self> + Mul<Output = Self> {
    /// Whether MKL's scalar path sums rows of `a` against contiguous columns of `b`
    /// in aligned lane blocks ([`lanes`]); measured for f32 only.
    const LANES: bool;

    /// `self * b + c` rounded once.
    fn fma(self, b: Self, c: Self) -> Self;

    /// C = A·B (plus C when `accumulate`) into `c`, m×n with row stride `ldc`,
    /// with the `gemm` crate on 2 threads.
    #[allow(clippy::too_many_arguments)]
    fn big_gemm(
        a: Strided<Self>,
        b: Strided<Self>,
        m: usize,
        k: usize,
        n: usize,
        c: &mut [Self],
        ldc: usize,
        accumulate: bool,
    );
}

macro_rules! real {
    ($t:ty, $lanes:expr) => {
        impl Real for $t {
            const LANES: bool = $lanes;

            #[inline(always)]
            fn fma(self, b: Self, c: Self) -> Self {
                self.mul_add(b, c)
            }

            fn big_gemm(
                a: Strided<Self>,
                b: Strided<Self>,
                m: usize,
                k: usize,
                n: usize,
                c: &mut [Self],
                ldc: usize,
                accumulate: bool,
            ) {
                debug_assert!(c.len() >= (m - 1) * ldc + n);
                // SAFETY: the views address m×k and k×n elements inside their slices
                // (they come from valid layouts) and `c` holds the m×n block with
                // column stride 1 and row stride ldc.
                unsafe {
                    gemm::gemm(
                        m,
                        n,
                        k,
                        c.as_mut_ptr(),
                        1,
                        ldc as isize,
                        accumulate,
                        a.data.as_ptr(),
                        a.cs as isize,
                        a.rs as isize,
                        b.data.as_ptr(),
                        b.cs as isize,
                        b.rs as isize,
                        1.0,
                        1.0,
                        false,
                        false,
                        false,
                        gemm::Parallelism::Rayon(2),
                    )
                }
            }
        }
    };
}
real!(f32, true);
real!(f64, false);

/// `c` (m×n, row-major, fully overwritten) = a (m×k) · b (k×n), for m, k, n > 0.
pub(super) fn product<T: Real>(
    a: Strided<T>,
    b: Strided<T>,
    m: usize,
    k: usize,
    n: usize,
    c: &mut [T],
) -> Result<()> {
    if m * n * k > SMALL_WORK {
        return tiles(a, b, m, k, n, c);
    }
    kernel::with_simd(
        #[inline(always)]
        || {
            if n >= VECTOR_COLS && m >= VECTOR_ROWS {
                chains(a, b, m, k, n, c, T::fma);
            } else if T::LANES && m > 1 && a.cs == 1 && b.rs == 1 {
                lanes(a, b, m, k, n, c);
            } else {
                chains(a, b, m, k, n, c, plain_step);
            }
        },
    );
    Ok(())
}

/// MKL's scalar step: the product rounded, then added.
#[inline(always)]
fn plain_step<T: Real>(x: T, y: T, acc: T) -> T {
    acc + x * y
}

/// How [`product`] rounds each element of `a · b` (m×k×n, `a` with contiguous
/// rows, `b` contiguous), where that is one left-to-right chain over k from 0.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum Chain {
    /// `acc = fma(a, b, acc)`.
    Fused,
    /// `acc = acc + round(a * b)`.
    Plain,
}

/// The [`Chain`] of an m×k×n [`product`] of row-major operands, if it is one.
pub(super) fn chain(m: usize, k: usize, n: usize) -> Option<Chain> {
    let work = m.saturating_mul(n).saturating_mul(k);
    if work > SMALL_WORK {
        // One `gemm` crate call: on FMA hardware an FMA chain from 0 as long as k
        // fits its first depth block (512 at least), away from its kernels for
        // k <= 2, vectors and products of at most 16×16 outputs.
        let general = (3..=512).contains(&k) && m > 1 && n > 1 && m * n > 256;
        (has_fma() && general && work <= TILE_WORK).then_some(Chain::Fused)
    } else if n >= VECTOR_COLS && m >= VECTOR_ROWS {
        Some(Chain::Fused)
    } else {
        // One column against contiguous rows goes by [`lanes`].
        (n > 1).then_some(Chain::Plain)
    }
}

fn has_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    return is_x86_feature_detected!("fma");
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// A large product as `gemm` crate calls of at most [`TILE_WORK`], over tiles
/// of C and slabs of k, checking for interrupts before each.
fn tiles<T: Real>(
    a: Strided<T>,
    b: Strided<T>,
    m: usize,
    k: usize,
    n: usize,
    c: &mut [T],
) -> Result<()> {
    if m * n * k <= TILE_WORK {
        T::big_gemm(a, b, m, k, n, c, n, false);
        return Ok(());
    }
    // Halving the longest side keeps tiles near cubes: the least packing and
    // re-reading of C per multiply-add.
    let mut tile = [m, k, n];
    while tile.iter().product::<usize>() > TILE_WORK {
        let longest = (0..3).max_by_key(|&d| tile[d]).unwrap_or(1);
        tile[longest] = tile[longest].div_ceil(2);
    }
    let [rows, depth, cols] = tile;
    for i in (0..m).step_by(rows) {
        for j in (0..n).step_by(cols) {
            for p in (0..k).step_by(depth) {
                interrupt::check()?;
                let (tm, tk, tn) = (rows.min(m - i), depth.min(k - p), cols.min(n - j));
                let block = &mut c[i * n + j..];
                T::big_gemm(a.at(i, p), b.at(p, j), tm, tk, tn, block, n, p > 0);
            }
        }
    }
    Ok(())
}

/// MKL's scalar path when rows of `a` and columns of `b` are both contiguous (m > 1):
/// the columns it takes four at a time use four lanes, the last n % 4 columns eight.
/// Per element: products up to the first 16-byte-aligned element of the row of `a`
/// summed into lane 0, then the lanes over k, reduced pairwise at halving strides
/// ((l0 + l2) + (l1 + l3) for four), then the rest one by one.
#[inline(always)]
fn lanes<T: Real>(a: Strided<T>, b: Strided<T>, m: usize, k: usize, n: usize, c: &mut [T]) {
    let grouped = n / 4 * 4;
    for (i, row) in c.chunks_exact_mut(n).take(m).enumerate() {
        let ra = &a.data[i * a.rs..][..k];
        let peel = ((4 - (a.offset + i * a.rs) % 4) % 4).min(k);
        for (j, out) in row.iter_mut().enumerate() {
            let rb = &b.data[j * b.cs..][..k];
            *out = if j < grouped {
                lane_sum::<T, 4>(ra, rb, peel)
            } else {
                lane_sum::<T, 8>(ra, rb, peel)
            };
        }
    }
}

/// One dot product of [`lanes`] with `L` lanes; the plain sum when there is no
/// full block of lanes after the peel.
#[inline(always)]
fn lane_sum<T: Real, const L: usize>(ra: &[T], rb: &[T], peel: usize) -> T {
    let k = ra.len();
    let body = (k - peel) / L * L;
    if body == 0 {
        return ra
            .iter()
            .zip(rb)
            .fold(T::default(), |acc, (&x, &y)| acc + x * y);
    }
    let mut lane = [T::default(); L];
    for p in 0..peel {
        lane[0] = lane[0] + ra[p] * rb[p];
    }
    let blocks = ra[peel..peel + body].chunks_exact(L);
    for (xa, xb) in blocks.zip(rb[peel..peel + body].chunks_exact(L)) {
        for l in 0..L {
            lane[l] = lane[l] + xa[l] * xb[l];
        }
    }
    let mut half = L / 2;
    while half >= 1 {
        for l in 0..half {
            lane[l] = lane[l] + lane[l + half];
        }
        half /= 2;
    }
    let mut acc = lane[0];
    for p in peel + body..k {
        acc = acc + ra[p] * rb[p];
    }
    acc
}

/// Rows of outputs [`chains`] computes together.
const BLOCK_ROWS: usize = 4;

/// Each c[i][j] as a left-to-right chain over k of `step(a, b, acc)`, from 0.
/// Blocks of outputs run their chains side by side, a row of `b` (packed row-major
/// first if its columns are not contiguous) loaded as vectors: the same chains,
/// so the same bits, as one element at a time.
#[inline(always)]
fn chains<T: Real>(
    a: Strided<T>,
    b: Strided<T>,
    m: usize,
    k: usize,
    n: usize,
    c: &mut [T],
    step: impl Fn(T, T, T) -> T + Copy,
) {
    let packed: Vec<T>;
    let (rows_of_b, ldb) = if b.cs == 1 {
        (b.data, b.rs)
    } else {
        packed = (0..k)
            .flat_map(|p| (0..n).map(move |j| b.data[p * b.rs + j * b.cs]))
            .collect();
        (&packed[..], n)
    };
    // Eight f32 or four f64 lanes per vector, two vectors per row of the block.
    let cols = 64 / std::mem::size_of::<T>();
    let full_cols = n / cols * cols;
    let block = Block {
        a,
        b: rows_of_b,
        ldb,
        k,
        n,
    };
    for i in (0..m).step_by(BLOCK_ROWS) {
        let rows = BLOCK_ROWS.min(m - i);
        for j in (0..full_cols).step_by(cols) {
            match (rows, cols) {
                (BLOCK_ROWS, 16) => block.run::<BLOCK_ROWS, 16>(i, j, c, step),
                (BLOCK_ROWS, 8) => block.run::<BLOCK_ROWS, 8>(i, j, c, step),
                (_, 16) => (i..i + rows).for_each(|r| block.run::<1, 16>(r, j, c, step)),
                _ => (i..i + rows).for_each(|r| block.run::<1, 8>(r, j, c, step)),
            }
        }
        for r in i..i + rows {
            for j in full_cols..n {
                c[r * n + j] = block.chain(r, j, step);
            }
        }
    }
}

/// The operands of [`chains`]: `b` row-major with row stride `ldb`.
struct Block<'a, T> {
    a: Strided<'a, T>,
    b: &'a [T],
    ldb: usize,
    k: usize,
    n: usize,
}

impl<T: Real> Block<'_, T> {
    /// Outputs (i.., j..) of an R×C block, their chains in registers.
    #[inline(always)]
    fn run<const R: usize, const C: usize>(
        &self,
        i: usize,
        j: usize,
        c: &mut [T],
        step: impl Fn(T, T, T) -> T,
    ) {
        let mut acc = [[T::default(); C]; R];
        for p in 0..self.k {
            let row_b = &self.b[p * self.ldb + j..][..C];
            for (r, acc) in acc.iter_mut().enumerate() {
                let x = self.a.data[(i + r) * self.a.rs + p * self.a.cs];
                for (acc, &y) in acc.iter_mut().zip(row_b) {
                    *acc = step(x, y, *acc);
                }
            }
        }
        for (r, acc) in acc.iter().enumerate() {
            c[(i + r) * self.n + j..][..C].copy_from_slice(acc);
        }
    }

    /// Output (i, j) alone.
    #[inline(always)]
    fn chain(&self, i: usize, j: usize, step: impl Fn(T, T, T) -> T) -> T {
        (0..self.k).fold(T::default(), |acc, p| {
            step(
                self.a.data[i * self.a.rs + p * self.a.cs],
                self.b[p * self.ldb + j],
                acc,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::tensor::cascade::tests::{digest, tensor, Lcg};
    use crate::tensor::Tensor;

    /// Goldens from tests/goldens/gen_gemm.py (torch mm, F.linear, mv, 1-D @ 2-D and
    /// bmm on the CPU); inputs are redrawn here from the same LCG.
    const GOLDEN: &str = include_str!("../../tests/goldens/gemm.txt");

    /// A rows×cols operand drawn from `seed`, transposed from cols×rows when `trans`.
    fn operand(seed: u64, rows: usize, cols: usize, trans: bool, dtype: &str) -> Tensor {
        let mut g = Lcg(seed);
        let values = (0..rows * cols).map(|_| g.value()).collect();
        if trans {
            tensor(values, dtype, &[cols, rows]).t().expect("2-D")
        } else {
            tensor(values, dtype, &[rows, cols])
        }
    }

    /// What nnlearn gives for one golden line's case, in the line's format.
    fn run(case: &str) -> String {
        let f: Vec<&str> = case.split_whitespace().collect();
        let num = |i: usize| f[i].parse::<usize>().expect("a number");
        let (dtype, m, k, n, seed) = (f[1], num(2), num(3), num(4), num(6) as u64);
        let (ta, tb) = (f[5].starts_with('T'), f[5].ends_with('T'));
        let a = operand(seed, m, k, ta, dtype);
        let b = operand(seed + 1, k, n, tb, dtype);
        let y = match f[0] {
            "mm" => a.mm(&b),
            "linear" => {
                let mut g = Lcg(seed + 2);
                let bias = tensor((0..n).map(|_| g.value()).collect(), dtype, &[n]);
                a.linear(&b.t().expect("2-D"), Some(&bias))
            }
            "mv" => a.mv(&b.select(1, 0).expect("a column")),
            "vecmat" => a.select(0, 0).expect("a row").matmul(&b),
            _ => {
                let a2 = operand(seed + 3, m, k, ta, dtype);
                let b2 = operand(seed + 4, k, n, tb, dtype);
                let stack = |x: &Tensor, y: &Tensor| Tensor::stack(&[x.clone(), y.clone()], 0);
                stack(&a, &a2)
                    .expect("same shapes")
                    .bmm(&stack(&b, &b2).expect("same shapes"))
            }
        };
        digest(&y.expect("golden shapes multiply"))
    }

    #[test]
    fn tiled_products_match_one_call() {
        use super::{tiles, Real, Strided, TILE_WORK};
        let (m, k, n) = (1300, 1301, 1299);
        assert!(m * k * n > TILE_WORK);
        // Small integers: every sum is exact, whatever the order.
        let a: Vec<f32> = (0..m * k).map(|i| (i % 3) as f32).collect();
        let b: Vec<f32> = (0..n * k).map(|i| (i % 5) as f32 - 2.0).collect();
        let sa = Strided {
            data: &a,
            offset: 0,
            rs: k,
            cs: 1,
        };
        // `b` transposed: column-major k×n.
        let sb = Strided {
            data: &b,
            offset: 0,
            rs: 1,
            cs: k,
        };
        let mut whole = vec![0f32; m * n];
        f32::big_gemm(sa, sb, m, k, n, &mut whole, n, false);
        let mut tiled = vec![0f32; m * n];
        tiles(sa, sb, m, k, n, &mut tiled).expect("no interrupt");
        assert!(whole == tiled);
    }

    #[test]
    fn products_round_like_pytorch() {
        let mut wrong = Vec::new();
        for line in GOLDEN.lines().filter(|l| !l.starts_with('#')) {
            let (case, want) = line.split_once(" : ").expect("golden format");
            if run(case) != want {
                wrong.push(case);
            }
        }
        assert!(
            wrong.is_empty(),
            "{} differ:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}

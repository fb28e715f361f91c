//! Float matrix products rounded the way PyTorch's CPU build rounds them.
//!
//! torch 2.15 hands every float mm / mv / addmm / bmm (one call per batch) to MKL's
//! sgemm/dgemm/sgemv. Measured on its AVX-512 build (tests/goldens/gen_gemm.py), each
//! element of a small product is a left-to-right sum over k, in one of two ways:
//! - MKL's vector kernel, used once C has at least [`VECTOR_COLS`] columns and
//!   [`VECTOR_ROWS`] rows: an FMA chain, `acc = fma(a[i,p], b[p,j], acc)` from 0;
//! - its scalar path otherwise: `acc = acc + round(a[i,p] * b[p,j])`, no FMA.
//!
//! Known gaps, where this is off in the last bit for some elements: the scalar path
//! reassociates for 5..=11 columns (except 8) when k > 4 and a row of `a` is contiguous,
//! sgemv (n = 1, mv) does for k > 3, and past k = 128 MKL splits the sum into blocks.
//! Above [`SMALL_WORK`] multiply-adds we call matrixmultiply instead: it is threaded and
//! ~20x faster on big products, where MKL's k-blocking makes exact rounding impractical.

use super::{CpuStorage, Element, Layout};
use std::ops::{Add, Mul};

/// Largest m·k·n computed by the exact kernel (64³: a few ms single-threaded).
const SMALL_WORK: usize = 64 * 64 * 64;
/// MKL's FMA kernel needs this many output columns...
const VECTOR_COLS: usize = 12;
/// ...and this many output rows.
const VECTOR_ROWS: usize = 4;

/// A read-only strided matrix: element (i, j) is `data[i * rs + j * cs]`.
#[derive(Clone, Copy)]
pub(super) struct Strided<'a, T> {
    pub data: &'a [T],
    pub rs: usize,
    pub cs: usize,
}

impl<'a, T: Element> Strided<'a, T> {
    /// The last two dims of a tensor's layout over its storage.
    pub fn matrix(storage: &'a CpuStorage, layout: &Layout) -> Self {
        let d = layout.ndim();
        Strided {
            data: &T::slice(storage)[layout.offset..],
            rs: layout.strides[d - 2],
            cs: layout.strides[d - 1],
        }
    }
}

/// f32 and f64: fused multiply-add plus matrixmultiply's gemm.
pub(super) trait Real: Element + Add<Output = Self> + Mul<Output = Self> {
    /// `self * b + c` rounded once.
    fn fma(self, b: Self, c: Self) -> Self;

    /// matrixmultiply's C = A·B (beta = 0) into row-major `c`.
    fn big_gemm(a: Strided<Self>, b: Strided<Self>, m: usize, k: usize, n: usize, c: &mut [Self]);
}

macro_rules! real {
    ($t:ty, $gemm:path) => {
        impl Real for $t {
            #[inline(always)]
            fn fma(self, b: Self, c: Self) -> Self {
                self.mul_add(b, c)
            }

            fn big_gemm(a: Strided<Self>, b: Strided<Self>, m: usize, k: usize, n: usize, c: &mut [Self]) {
                debug_assert!(c.len() >= m * n);
                // SAFETY: the views address m×k and k×n elements inside their slices
                // (they come from valid layouts) and `c` holds m·n elements.
                unsafe {
                    $gemm(
                        m,
                        k,
                        n,
                        1.0,
                        a.data.as_ptr(),
                        a.rs as isize,
                        a.cs as isize,
                        b.data.as_ptr(),
                        b.rs as isize,
                        b.cs as isize,
                        0.0,
                        c.as_mut_ptr(),
                        n as isize,
                        1,
                    )
                }
            }
        }
    };
}
real!(f32, matrixmultiply::sgemm);
real!(f64, matrixmultiply::dgemm);

/// `c` (m×n, row-major, fully overwritten) = a (m×k) · b (k×n).
pub(super) fn product<T: Real>(a: Strided<T>, b: Strided<T>, m: usize, k: usize, n: usize, c: &mut [T]) {
    if m * n * k == 0 {
        c.iter_mut().for_each(|x| *x = T::default());
    } else if m * n * k > SMALL_WORK {
        T::big_gemm(a, b, m, k, n, c);
    } else if n >= VECTOR_COLS && m >= VECTOR_ROWS {
        fused(a, b, m, k, n, c);
    } else {
        sums(a, b, m, k, n, c, |x, y, acc| acc + x * y);
    }
}

/// The FMA chain, with the hardware instruction where the CPU has it
/// (`mul_add` is a slow libm call otherwise).
fn fused<T: Real>(a: Strided<T>, b: Strided<T>, m: usize, k: usize, n: usize, c: &mut [T]) {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("fma") {
        #[target_feature(enable = "fma")]
        fn with_fma<T: Real>(a: Strided<T>, b: Strided<T>, m: usize, k: usize, n: usize, c: &mut [T]) {
            sums(a, b, m, k, n, c, T::fma);
        }
        // SAFETY: the CPU supports FMA, checked just above.
        return unsafe { with_fma(a, b, m, k, n, c) };
    }
    sums(a, b, m, k, n, c, T::fma);
}

/// Each c[i][j] as a left-to-right sum over k of `step(a, b, acc)`, from 0.
#[inline(always)]
fn sums<T: Real>(
    a: Strided<T>,
    b: Strided<T>,
    m: usize,
    k: usize,
    n: usize,
    c: &mut [T],
    step: impl Fn(T, T, T) -> T,
) {
    for (i, row) in c.chunks_exact_mut(n).take(m).enumerate() {
        for (j, out) in row.iter_mut().enumerate() {
            let (mut pa, mut pb) = (i * a.rs, j * b.cs);
            let mut acc = T::default();
            for _ in 0..k {
                acc = step(a.data[pa], b.data[pb], acc);
                pa += a.cs;
                pb += b.rs;
            }
            *out = acc;
        }
    }
}

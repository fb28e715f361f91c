//! PyTorch's vectorized float32 math, reproduced bit for bit.
//!
//! PyTorch's CPU kernels (built for AVX2/AVX512 with FMA) evaluate some float32
//! functions with SLEEF (`Sleef_expf16_u10`, `Sleef_logf16_u10`,
//! `Sleef_log1pf16_u10`) instead of the C library, and those differ from
//! glibc's in the last bit for a few percent of inputs. The functions here
//! follow SLEEF's `sleefsimdsp.c` (`xexpf`, `xlogf_u1`, `xlog1pf`) step by
//! step, in its FMA configuration: every `vmla` is a fused multiply-add (`fma`) and the
//! double-float helpers of SLEEF's `df.h` use their FMA forms. `vrec` is an
//! exact division on x86, so `1.0 / x` here.
//!
//! Which kernel uses which function (the rest use glibc, as Rust's std does):
//! - `log1p`: `at::vml::vlog1p`, vectorized over the whole tensor (MKL has no
//!   log1p), so SLEEF for every element.
//! - `sigmoid` and other `cpu_kernel_vec` kernels: SLEEF for the leading
//!   multiple of two 16-lane vectors, glibc for the tail; see `vectorized_len`.
//! - `exp`, `log`, `tanh`, `sin`, `cos` go through MKL's VML (`vmsExp`, ...)
//!   in PyTorch's MKL builds; MKL's code is closed, so those stay on std,
//!   except `tanh`: a correctly rounded one ([`tanh`]) agrees with MKL's far
//!   more often than glibc's `tanhf` does.

// The constants keep SLEEF's published digits, so they can be checked
// against its source; each rounds to the f32 SLEEF uses.
#![allow(clippy::excessive_precision)]

use super::element::num_like::FloatOps;
use super::kernel::with_simd;

/// `1 / ln 2`, `ln 2` split in a high part with trailing zeros and a low part
/// (SLEEF's `R_LN2f`, `L2Uf`, `L2Lf` in `misc.h`).
const R_LN2: f32 = std::f32::consts::LOG2_E;
const L2U: f32 = 0.693_145_751_953_125;
const L2L: f32 = 1.428_606_765_330_187e-6;
/// `ln 2` as a double-float (the pair `logkf`/`xlogf_u1` multiply the exponent by).
const LN2_HI: f32 = 0.693_147_182_464_599_6;
const LN2_LO: f32 = -1.904_654_323_148_236e-9;

/// Elements of a contiguous `cpu_kernel_vec` loop that PyTorch's AVX512 build
/// computes with vectors: `vectorized_loop` (ATen/native/cpu/Loops.h) steps
/// two vectors at a time and leaves the rest to the scalar function.
pub fn vectorized_len<F: VecMath>(n: usize) -> usize {
    n - n % (2 * F::LANES)
}

/// Of `n` side-by-side columns, how many the non-last-dim softmax kernels
/// take in whole vectors (the rest go through their scalar tail).
pub fn whole_vectors<F: VecMath>(n: usize) -> usize {
    n - n % F::LANES
}

/// Fused multiply-add, `a * b + c` rounded once, as `vfmadd` computes it:
/// one instruction where the caller runs in [`with_simd`] on a CPU with FMA,
/// else a call into the runtime's `fmaf` (the same, correctly rounded, bits).
/// So every function here is inlined, and their loops run in `with_simd`.
#[inline(always)]
pub fn fma(a: f32, b: f32, c: f32) -> f32 {
    a.mul_add(b, c)
}

/// `vrint_vi2_vf` (`cvtps2dq`, round half to even) where |x| < 2^22: adding and
/// subtracting 1.5 * 2^23 rounds to an integer in the current (nearest-even) mode.
/// Other inputs give some integer (saturated), with no branch, so loops of [`exp`],
/// whose result ignores `q` there, vectorize.
#[inline(always)]
fn rint_i32(x: f32) -> i32 {
    const ROUNDER: f32 = 12_582_912.0;
    ((x + ROUNDER) - ROUNDER) as i32
}

/// `vpow2i_vf_vi2`: 2^q by building the exponent field directly.
#[inline(always)]
fn pow2i(q: i32) -> f32 {
    f32::from_bits((q.wrapping_add(0x7f) as u32) << 23)
}

/// `vldexp2_vf_vf_vi2`: d * 2^e in two steps so that neither factor overflows.
#[inline(always)]
fn ldexp2(d: f32, e: i32) -> f32 {
    d * pow2i(e >> 1) * pow2i(e - (e >> 1))
}

/// `vilogb2k_vi2_vf`: the unbiased exponent field of a normal float.
#[inline(always)]
fn ilogb2k(d: f32) -> i32 {
    ((d.to_bits() >> 23) & 0xff) as i32 - 0x7f
}

/// `vldexp3_vf_vf_vi2`: d * 2^q by adding to the exponent field.
#[inline(always)]
fn ldexp3(d: f32, q: i32) -> f32 {
    f32::from_bits((d.to_bits() as i32).wrapping_add(q.wrapping_shl(23)) as u32)
}

/// A double-float: the unevaluated sum `hi + lo` (SLEEF's `vfloat2`).
#[derive(Clone, Copy)]
struct Df(f32, f32);

impl Df {
    /// `dfadd2_vf2_vf_vf`: exact sum of two floats (Knuth's two-sum).
    #[inline(always)]
    fn two_sum(x: f32, y: f32) -> Df {
        let s = x + y;
        let v = s - x;
        Df(s, (x - (s - v)) + (y - v))
    }

    /// `dfadd_vf2_vf_vf`: fast two-sum, assuming |x| >= |y|.
    #[inline(always)]
    fn fast_sum(x: f32, y: f32) -> Df {
        let s = x + y;
        Df(s, (x - s) + y)
    }

    /// `dfadd_vf2_vf2_vf2`, assuming |self| >= |y|.
    #[inline(always)]
    fn add(self, y: Df) -> Df {
        let s = self.0 + y.0;
        Df(s, (self.0 - s) + y.0 + self.1 + y.1)
    }

    /// `dfadd_vf2_vf2_vf`, assuming |self| >= |y|.
    #[inline(always)]
    fn add_f(self, y: f32) -> Df {
        let s = self.0 + y;
        Df(s, (self.0 - s) + y + self.1)
    }

    /// `dfscale_vf2_vf2_vf`.
    #[inline(always)]
    fn scale(self, s: f32) -> Df {
        Df(self.0 * s, self.1 * s)
    }

    /// `dfmul_vf2_vf2_vf`, FMA form: the rounding error of `hi * y` is exact.
    #[inline(always)]
    fn mul_f(self, y: f32) -> Df {
        let s = self.0 * y;
        Df(s, fma(self.1, y, fma(self.0, y, -s)))
    }

    /// `dfdiv_vf2_vf2_vf2`, FMA form: one reciprocal and a correction step.
    #[inline(always)]
    fn div(self, d: Df) -> Df {
        let t = 1.0 / d.0;
        let s = self.0 * t;
        let u = fma(t, self.0, -s);
        let v = fma(-d.1, t, fma(-d.0, t, 1.0));
        Df(s, fma(s, v, fma(self.1, t, u)))
    }

    #[inline(always)]
    fn sum(self) -> f32 {
        self.0 + self.1
    }
}

/// `Sleef_expf_u10` (`xexpf`): Cody-Waite reduction by ln 2, a degree-6
/// polynomial, then scaling by 2^q.
#[inline(always)]
pub fn exp(d: f32) -> f32 {
    let q = rint_i32(d * R_LN2);
    let qf = q as f32;
    let s = fma(qf, -L2U, d);
    let s = fma(qf, -L2L, s);
    let mut u = 0.000_198_527_617_612_853_646_278_381_f32;
    for c in [
        0.001_393_043_552_525_341_510_772_71,
        0.008_333_360_776_305_198_669_433_59,
        0.041_666_485_369_205_474_853_515_6,
        0.166_666_671_633_720_397_949_219,
        0.5,
    ] {
        u = fma(u, s, c);
    }
    let u = 1.0 + fma(s * s, u, s);
    let u = ldexp2(u, q);
    if d < -104.0 {
        0.0
    } else if d > 100.0 {
        f32::INFINITY
    } else {
        u
    }
}

/// The exponent and mantissa SLEEF's log functions split `d` into:
/// d = m * 2^e with m in [0.75, 1.5), subnormals scaled by 2^64 first.
#[inline(always)]
fn split_exponent(d: f32) -> (i32, f32) {
    let tiny = d < f32::MIN_POSITIVE;
    let d = if tiny {
        d * 18_446_744_073_709_551_616.0
    } else {
        d
    };
    let e = ilogb2k(d * (1.0 / 0.75));
    let m = ldexp3(d, -e);
    (if tiny { e - 64 } else { e }, m)
}

/// The shared tail of `xlogf_u1` and `xlog1pf`: log(m * 2^e) from the
/// double-float x = (m - 1) / (m + 1), as e ln 2 + 2x + x^3 P(x^2).
#[inline(always)]
fn log_tail(e: i32, x: Df) -> f32 {
    let x2 = x.0 * x.0;
    let t = fma(
        fma(0.302_729_487_4, x2, 0.399_610_817_4),
        x2,
        0.666_669_488_0,
    );
    let s = Df(LN2_HI, LN2_LO).mul_f(e as f32);
    s.add(x.scale(2.0)).add_f(x2 * x.0 * t).sum()
}

/// `Sleef_logf_u10` (`xlogf_u1`).
#[inline(always)]
pub fn log(d: f32) -> f32 {
    let (e, m) = split_exponent(d);
    let x = Df::two_sum(-1.0, m).div(Df::two_sum(1.0, m));
    let r = log_tail(e, x);
    if d == f32::INFINITY {
        f32::INFINITY
    } else if d < 0.0 || d.is_nan() {
        f32::NAN
    } else if d == 0.0 {
        f32::NEG_INFINITY
    } else {
        r
    }
}

/// `Sleef_log1pf_u10` (`xlog1pf`): like `log`, but the mantissa of 1 + d is
/// formed as d * 2^-e + (2^-e - 1) so the low bits of d are not lost.
#[inline(always)]
pub fn log1p(d: f32) -> f32 {
    let (e, _) = split_exponent(d + 1.0);
    let t = ldexp3(1.0, -e);
    let m = fma(d, t, t - 1.0);
    let x = Df(m, 0.0).div(Df::fast_sum(2.0, m));
    let r = log_tail(e, x);
    if d > 1e38 {
        log(d)
    } else if d < -1.0 || d.is_nan() {
        f32::NAN
    } else if d == -1.0 {
        f32::NEG_INFINITY
    } else if d == 0.0 && d.is_sign_negative() {
        -0.0
    } else {
        r
    }
}

/// `exp` of a float64 for [`tanh`]: Cody-Waite reduction by ln 2 and a
/// degree-12 Taylor polynomial, relative error below 1e-15 for `x` in
/// [0, 18.2] (all [`tanh`] asks for); a loop of it vectorizes.
#[inline(always)]
fn exp_f64(x: f64) -> f64 {
    const LN2_HI: f64 = 6.931_471_803_691_238_2e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    let k = (x * std::f64::consts::LOG2_E).round_ties_even();
    let r = k.mul_add(-LN2_LO, k.mul_add(-LN2_HI, x));
    // 1/12!, 1/11!, ..., 1/2!, 1, 1.
    let mut p = 2.087_675_698_786_81e-9;
    for c in [
        2.505_210_838_544_172e-8,
        2.755_731_922_398_589e-7,
        2.755_731_922_398_589e-6,
        2.480_158_730_158_730_2e-5,
        1.984_126_984_126_984e-4,
        1.388_888_888_888_889e-3,
        8.333_333_333_333_333e-3,
        4.166_666_666_666_666_4e-2,
        1.666_666_666_666_666_6e-1,
        0.5,
        1.0,
        1.0,
    ] {
        p = p.mul_add(r, c);
    }
    // 2^k from the float k + 1023 + 2^52, whose low bits are k + 1023 (0 <= k <= 27):
    // the same value as `(k as i64 + 1023) << 52`, without a scalar float-to-int
    // conversion per lane, so the loop stays in vectors.
    p * f64::from_bits((k + (1023.0 + 4_503_599_627_370_496.0)).to_bits() << 52)
}

/// `tanh` of a float32, correctly rounded: evaluated in float64 (to about
/// 1e-14) and rounded once. PyTorch's float32 `tanh` is MKL's `vmsTanh`,
/// whose code is closed; its results are the correctly rounded ones for all
/// but about 0.1% of inputs (247 of 200,000 samples of 3 * randn; glibc's
/// `tanhf` differs on about 14% of them). Branch-free, so loops over it
/// vectorize.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    let d = f64::from(x);
    let a = d.abs();
    // Below 2^-8, the odd series to a^7 (the next term is 2^-64 of a).
    let a2 = a * a;
    let series = a * a2.mul_add(
        a2.mul_add(a2.mul_add(-17.0 / 315.0, 2.0 / 15.0), -1.0 / 3.0),
        1.0,
    );
    // Above 9.1, tanh rounds to 1 (it does from 9.01 on).
    let e = exp_f64(2.0 * a.min(9.1));
    let ratio = (e - 1.0) / (e + 1.0);
    let t = if a < 0.003_906_25 { series } else { ratio };
    let t = if a > 9.1 { 1.0 } else { t };
    if a.is_nan() {
        x
    } else {
        t.copysign(d) as f32
    }
}

/// The float types as PyTorch's AVX512 kernels see them: vector width, and
/// the SLEEF functions `Vectorized<T>` calls (float32 only; SLEEF's double
/// versions are not ported, so float64 keeps std's).
pub trait VecMath: FloatOps {
    /// Lanes of one `Vectorized<T>` (512 bits).
    const LANES: usize;
    /// Whether `vec_reduce_all` folds a full vector as a pairwise tree (the
    /// AVX512 float specialization) rather than lane by lane.
    const TREE_FOLD: bool;
    fn vexp(self) -> Self;
    fn vlog(self) -> Self;
    fn vlog1p(self) -> Self;
    /// `tanh` as `at::vml::vtanh` computes it, as closely as known (see [`tanh`]).
    fn vtanh(self) -> Self;
    /// `sqrt` as `at::vml::vsqrt` computes it: MKL's `vmsSqrt` / `vmdSqrt`
    /// (see `vml_sqrt`), not always correctly rounded.
    fn vsqrt(self) -> Self;
}

impl VecMath for f32 {
    const LANES: usize = 16;
    const TREE_FOLD: bool = true;
    #[inline(always)]
    fn vexp(self) -> Self {
        exp(self)
    }
    #[inline(always)]
    fn vlog(self) -> Self {
        log(self)
    }
    #[inline(always)]
    fn vlog1p(self) -> Self {
        log1p(self)
    }
    #[inline(always)]
    fn vtanh(self) -> Self {
        tanh(self)
    }
    #[inline(always)]
    fn vsqrt(self) -> Self {
        super::vml_sqrt::sqrt_f32(self)
    }
}

impl VecMath for f64 {
    const LANES: usize = 8;
    const TREE_FOLD: bool = false;
    #[inline(always)]
    fn vexp(self) -> Self {
        self.exp()
    }
    #[inline(always)]
    fn vlog(self) -> Self {
        self.ln()
    }
    #[inline(always)]
    fn vlog1p(self) -> Self {
        self.ln_1p()
    }
    #[inline(always)]
    fn vtanh(self) -> Self {
        self.tanh()
    }
    #[inline(always)]
    fn vsqrt(self) -> Self {
        super::vml_sqrt::sqrt_f64(self)
    }
}

/// `vec::reduce_all` (ATen/cpu/vec/functional_base.h): a row shorter than a
/// vector folds left to right; otherwise lane i accumulates elements i, i +
/// LANES, ... (the tail only updates its leading lanes), then the lanes fold.
pub fn reduce_all<F: VecMath>(xs: &[F], op: impl Fn(F, F) -> F) -> F {
    let n = F::LANES;
    let Some((&first, rest)) = xs.split_first() else {
        return F::zero();
    };
    if xs.len() < n {
        return rest.iter().fold(first, |a, &b| op(a, b));
    }
    // On the stack: a softmax reduces each of its (often short) rows twice.
    let mut lanes = [F::zero(); MAX_LANES];
    let acc = &mut lanes[..n];
    acc.copy_from_slice(&xs[..n]);
    for chunk in xs[n..].chunks(n) {
        for (a, &b) in acc.iter_mut().zip(chunk) {
            *a = op(*a, b);
        }
    }
    if !F::TREE_FOLD {
        return acc[1..].iter().fold(acc[0], |a, &b| op(a, b));
    }
    // Shuffles by 8, 4, 2, 1 lanes: lane i meets lane i ^ shift.
    let mut shift = n / 2;
    while shift > 0 {
        let prev = lanes;
        for (i, a) in lanes[..n].iter_mut().enumerate() {
            *a = op(prev[i], prev[i ^ shift]);
        }
        shift /= 2;
    }
    lanes[0]
}

/// The most [`VecMath::LANES`] of any type (f32's).
const MAX_LANES: usize = 16;

/// `f` of each of `xs`, in a loop that inlines into its caller (a `collect`
/// would not, and would leave `with_simd`).
#[inline(always)]
pub fn each<F: Copy, R>(xs: &[F], f: impl Fn(F) -> R) -> Vec<R> {
    let mut out = Vec::with_capacity(xs.len());
    // Written in place (a loop of pushes would not vectorize).
    for (slot, &x) in out.spare_capacity_mut().iter_mut().zip(xs) {
        slot.write(f(x));
    }
    // SAFETY: the loop above initialized the first xs.len() slots.
    unsafe { out.set_len(xs.len()) };
    out
}

fn fill<F>(out: &mut [F], values: impl Iterator<Item = F>) {
    for (o, v) in out.iter_mut().zip(values) {
        *o = v;
    }
}

/// One row of `_vec_log_softmax_lastdim` / `_vec_softmax_lastdim`
/// (ATen/native/cpu/SoftMaxKernel.cpp): max, SLEEF exp of x - max summed
/// with `reduce_all`, then x - max - log(sum), or exp * (1 / sum), into `out`
/// (as long as the row).
pub fn softmax_lastdim_row<F: VecMath>(row: &[F], log: bool, out: &mut [F]) {
    with_simd(
        #[inline(always)]
        || {
            let m = reduce_all(row, F::max_f);
            let exps = each(row, |x| (x - m).vexp());
            let sum = reduce_all(&exps, |a, b| a + b);
            if log {
                let ls = sum.vlog();
                fill(out, row.iter().map(|&x| x - m - ls));
            } else {
                let inv = F::one() / sum;
                fill(out, exps.iter().map(|&e| e * inv));
            }
        },
    )
}

/// One row of `_vec_host_softmax_backward_lastdim` (ATen/native/cpu/SoftMaxKernel.cpp)
/// from the row's gradient `g` and result `y`: log_softmax's `g - exp(y) * sum(g)`, a
/// fused multiply-add as ATen is compiled, SLEEF's exp on every element (`vec::map2`
/// loads the tail as a partial vector); softmax's `(g - sum(g * y)) * y`.
pub fn softmax_backward_lastdim_row<F: VecMath>(g: &[F], y: &[F], log: bool, out: &mut [F]) {
    with_simd(
        #[inline(always)]
        || {
            let pairs = g.iter().zip(y);
            if log {
                let sum = reduce_all(g, |a, b| a + b);
                fill(out, pairs.map(|(&g, &y)| (-y.vexp()).mul_add(sum, g)));
            } else {
                let products = each_pair(g, y, |g, y| g * y);
                let sum = reduce_all(&products, |a, b| a + b);
                fill(out, pairs.map(|(&g, &y)| (g - sum) * y));
            }
        },
    )
}

/// [`each`] of two slices side by side.
#[inline(always)]
fn each_pair<F: Copy, R>(xs: &[F], ys: &[F], f: impl Fn(F, F) -> R) -> Vec<R> {
    let mut out = Vec::with_capacity(xs.len().min(ys.len()));
    for (slot, (&x, &y)) in out.spare_capacity_mut().iter_mut().zip(xs.iter().zip(ys)) {
        slot.write(f(x, y));
    }
    // SAFETY: the loop above initialized every slot of the capacity it walked.
    unsafe { out.set_len(xs.len().min(ys.len())) };
    out
}

/// One column of `_vec_log_softmax` / `_vec_softmax` (softmax over a dim
/// that is not the last, ATen/native/cpu/SoftMaxKernel.cpp): the column walks
/// the dim in order, summing exps one by one, and softmax divides by the sum.
/// Columns in whole vectors across the inner dims use SLEEF's exp (`vector`),
/// the leftover ones std::exp; the log of the sum is always SLEEF's.
pub fn softmax_strided_row<F: VecMath>(row: &[F], log: bool, vector: bool, out: &mut [F]) {
    with_simd(
        #[inline(always)]
        || {
            let m = row.iter().fold(-F::infinity(), |a, &b| a.max_f(b));
            let exp = |x: F| if vector { x.vexp() } else { x.exp() };
            let exps = each(row, |x| exp(x - m));
            let sum = exps.iter().fold(F::zero(), |a, &b| a + b);
            if log {
                let ls = sum.vlog();
                fill(out, row.iter().map(|&x| x - m - ls));
            } else {
                fill(out, exps.iter().map(|&e| e / sum));
            }
        },
    )
}

//! One lane of ATen's AVX2 `log256_ps` and `sincos256_ps`
//! (aten/src/ATen/native/cpu/avx_mathfun.h, Cephes polynomials), which
//! `torch.randn` uses for float32 tensors of 16 or more elements.
//!
//! PyTorch's wheels are built by GCC, which contracts each `a * b` whose only use
//! is an addition into one fused multiply-add; `fused` marks those places.
//! Constants go through f64 first because C rounds the decimal literal to double,
//! then to float.

/// `a * b + c` rounded once, as GCC's contraction emits it.
fn fused(a: f32, b: f32, c: f32) -> f32 {
    a.mul_add(b, c)
}

const SQRT_HALF: f32 = std::f64::consts::FRAC_1_SQRT_2 as f32;
const LOG_P: [f32; 9] = [
    7.037_683_629_2e-2_f64 as f32,
    -1.151_461_031_0e-1_f64 as f32,
    1.167_699_874_0e-1_f64 as f32,
    -1.242_014_084_6e-1_f64 as f32,
    1.424_932_278_7e-1_f64 as f32,
    -1.666_805_766_5e-1_f64 as f32,
    2.000_071_476_5e-1_f64 as f32,
    -2.499_999_399_3e-1_f64 as f32,
    3.333_333_117_4e-1_f64 as f32,
];
const LOG_Q1: f32 = -2.121_944_40e-4_f64 as f32;
const LOG_Q2: f32 = 0.693_359_375_f64 as f32;

/// Natural log for `x` in (0, 1], the only inputs Box–Muller gives it.
pub(super) fn log(x: f32) -> f32 {
    // Cut off denormals, then split x = m * 2^e with m in [0.5, 1).
    let bits = x.max(f32::MIN_POSITIVE).to_bits();
    let mut e = ((bits >> 23) as i32 - 0x7f) as f32 + 1.0;
    let mut x = f32::from_bits((bits & !0x7f80_0000) | 0.5f32.to_bits());
    let small = x < SQRT_HALF;
    let tmp = if small { x } else { 0.0 };
    x -= 1.0;
    e -= if small { 1.0 } else { 0.0 };
    x += tmp;

    let z = x * x;
    let mut y = LOG_P[0];
    for &p in &LOG_P[1..] {
        y = fused(y, x, p);
    }
    y *= x;
    y = fused(y, z, e * LOG_Q1);
    y -= z * 0.5;
    x += y;
    fused(e, LOG_Q2, x)
}

const FOUR_OVER_PI: f32 = 1.273_239_544_735_16_f64 as f32;
#[allow(
    clippy::excessive_precision,
    reason = "the digits of avx_mathfun.h, so the two can be compared"
)]
const MINUS_DP: [f32; 3] = [
    -0.785_156_25_f64 as f32,
    -2.418_756_484_985_351_562_5e-4_f64 as f32,
    -3.774_894_977_445_941_08e-8_f64 as f32,
];
const SIN_P: [f32; 3] = [
    -1.951_529_589_1e-4_f64 as f32,
    8.332_160_873_6e-3_f64 as f32,
    -1.666_665_461_1e-1_f64 as f32,
];
const COS_P: [f32; 3] = [
    2.443_315_711_809_948e-5_f64 as f32,
    -1.388_731_625_493_765e-3_f64 as f32,
    4.166_664_568_298_827e-2_f64 as f32,
];
const SIGN: u32 = 0x8000_0000;

/// `(sin x, cos x)` for `x` in [0, 2π).
pub(super) fn sincos(x: f32) -> (f32, f32) {
    let mut sign_sin = x.to_bits() & SIGN;
    let mut x = x.abs();
    // Octant j, rounded up to even, as the Cephes sources do.
    let j = ((x * FOUR_OVER_PI) as i32 + 1) & !1;
    let y = j as f32;
    sign_sin ^= ((j & 4) as u32) << 29;
    let sin_poly_first = j & 2 == 0;
    let sign_cos = ((!(j - 2) & 4) as u32) << 29;

    // Extended-precision reduction x - j * π/4.
    for dp in MINUS_DP {
        x = fused(y, dp, x);
    }

    let z = x * x;
    let mut yc = fused(COS_P[0], z, COS_P[1]);
    yc = fused(yc, z, COS_P[2]);
    yc *= z;
    yc = fused(yc, z, -(z * 0.5));
    yc += 1.0;

    let mut ys = fused(SIN_P[0], z, SIN_P[1]);
    ys = fused(ys, z, SIN_P[2]);
    ys *= z;
    ys = fused(ys, x, x);

    // The AVX code blends with masks and subtractions; kept literally so that
    // signed zeros come out the same.
    let ysin2 = if sin_poly_first { ys } else { 0.0 };
    let ysin1 = if sin_poly_first { 0.0 } else { yc };
    let cos_from_sin = ys - ysin2;
    let cos_from_cos = yc - ysin1;
    let s = ysin1 + ysin2;
    let c = cos_from_cos + cos_from_sin;
    (
        f32::from_bits(s.to_bits() ^ sign_sin),
        f32::from_bits(c.to_bits() ^ sign_cos),
    )
}

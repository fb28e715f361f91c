//! Adam's float32 step eight elements at a time in AVX2 and FMA: the same
//! operations in the same order as `AdamStep::apply`, so the same bits.
//! Auto-vectorization gives up on that loop (the sqrt's table lookup).

use super::optim::AdamStep;

/// Steps the leading multiple of eight elements when the CPU has AVX2 and
/// FMA; returns how many it stepped.
#[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
pub(super) fn step(
    c: &AdamStep<f32>,
    p: &mut [f32],
    g: &[f32],
    m: &mut [f32],
    v: &mut [f32],
) -> usize {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has both features, checked just above.
        return unsafe { lanes(c, p, g, m, v) };
    }
    0
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn lanes(c: &AdamStep<f32>, p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32]) -> usize {
    use std::arch::x86_64::*;
    let n = p.len().min(g.len()).min(m.len()).min(v.len()) / 8 * 8;
    let wd = c.decay.map(|wd| _mm256_set1_ps(wd));
    let (w1, w1m1) = (_mm256_set1_ps(c.w1), _mm256_set1_ps(c.w1m1));
    let (tb2, w2) = (_mm256_set1_ps(c.tb2), _mm256_set1_ps(c.w2));
    let (bc2_sqrt, eps) = (_mm256_set1_ps(c.bc2_sqrt), _mm256_set1_ps(c.eps));
    let neg_step = _mm256_set1_ps(c.neg_step);
    for i in (0..n).step_by(8) {
        // SAFETY: i + 8 <= n, at most every slice's length.
        let (pp, gp, mp, vp) = unsafe {
            (
                p.as_mut_ptr().add(i),
                g.as_ptr().add(i),
                m.as_mut_ptr().add(i),
                v.as_mut_ptr().add(i),
            )
        };
        // SAFETY: eight floats from each pointer, in bounds as above.
        let (pv, gv, mv, vv) = unsafe {
            (
                _mm256_loadu_ps(pp),
                _mm256_loadu_ps(gp),
                _mm256_loadu_ps(mp),
                _mm256_loadu_ps(vp),
            )
        };
        let gv = match wd {
            Some(wd) => _mm256_fmadd_ps(pv, wd, gv),
            None => gv,
        };
        let diff = _mm256_sub_ps(gv, mv);
        let mv = if c.small {
            _mm256_fmadd_ps(w1, diff, mv)
        } else {
            _mm256_fmadd_ps(w1m1, diff, gv)
        };
        let vv = _mm256_fmadd_ps(_mm256_mul_ps(w2, gv), gv, _mm256_mul_ps(vv, tb2));
        let root = crate::tensor::vml_sqrt::sqrt_f32x8(vv);
        let denom = _mm256_add_ps(_mm256_div_ps(root, bc2_sqrt), eps);
        let pv = _mm256_add_ps(_mm256_div_ps(_mm256_mul_ps(neg_step, mv), denom), pv);
        // SAFETY: as the loads.
        unsafe {
            _mm256_storeu_ps(pp, pv);
            _mm256_storeu_ps(mp, mv);
            _mm256_storeu_ps(vp, vv);
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::super::optim::AdamStep;

    fn constants(decay: Option<f32>, b1: f64) -> AdamStep<f32> {
        let w1 = (1.0 - b1) as f32;
        AdamStep {
            decay,
            w1,
            w1m1: w1 - 1.0,
            small: (1.0f64 - b1).abs() < 0.5,
            tb2: 0.999,
            w2: 0.001,
            bc2_sqrt: 0.0447,
            eps: 1e-8,
            neg_step: -0.01,
        }
    }

    /// A first step from p = 0.5 with a NaN or infinite gradient, in both paths, gives
    /// torch 2.15's bits for (param, exp_avg, exp_avg_sq): a NaN gradient propagates as
    /// +NaN, an infinite one makes `-inf / inf`, x86's default NaN (-NaN).
    #[test]
    fn nan_signs_are_pytorchs() {
        let cases = [
            (f32::NAN, [0x7fc0_0000, 0x7fc0_0000, 0x7fc0_0000]),
            (f32::INFINITY, [0xffc0_0000, 0x7f80_0000, 0x7f80_0000]),
            (f32::NEG_INFINITY, [0xffc0_0000, 0xff80_0000, 0x7f80_0000]),
        ];
        for decay in [None, Some(0.01)] {
            let c = constants(decay, 0.9);
            for (grad, want) in cases {
                let (mut p, g, mut m, mut v) = ([0.5f32; 8], [grad; 8], [0f32; 8], [0f32; 8]);
                let done = super::step(&c, &mut p, &g, &mut m, &mut v);
                let (mut ps, mut ms, mut vs) = (0.5f32, 0f32, 0f32);
                c.apply(&mut ps, grad, &mut ms, &mut vs);
                let scalar = [ps, ms, vs].map(f32::to_bits);
                assert_eq!(scalar, want, "scalar step, grad {grad}");
                if done == 8 {
                    assert_eq!(
                        [p[3], m[3], v[3]].map(f32::to_bits),
                        want,
                        "vectors, grad {grad}"
                    );
                }
            }
        }
    }

    /// The vector step against `AdamStep::apply` on random values, zeros,
    /// denormals, infinities and NaNs, with and without weight decay, lerp
    /// from either end.
    #[test]
    fn vectors_step_as_the_scalar_loop() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let special = [0.0, -0.0, 1e-40, f32::INFINITY, f32::NAN, 3e38];
            match state % 16 {
                0 => special[(state >> 8) as usize % special.len()],
                _ => ((state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) as f32,
            }
        };
        for (decay, b1) in [
            (None, 0.9),
            (Some(0.01), 0.9),
            (None, 0.2),
            (Some(0.5), 0.2),
        ] {
            let c = constants(decay, b1);
            let n = 1003;
            let mut draw = |n: usize| -> Vec<f32> { (0..n).map(|_| next()).collect() };
            let (p, g, m) = (draw(n), draw(n), draw(n));
            let v: Vec<f32> = draw(n).iter().map(|x| x.abs()).collect();
            let (mut p1, mut m1, mut v1) = (p.clone(), m.clone(), v.clone());
            let done = super::step(&c, &mut p1, &g, &mut m1, &mut v1);
            assert!(done == 0 || done == 1000, "whole vectors only");
            for i in done..n {
                c.apply(&mut p1[i], g[i], &mut m1[i], &mut v1[i]);
            }
            let (mut p2, mut m2, mut v2) = (p, m, v);
            for i in 0..n {
                c.apply(&mut p2[i], g[i], &mut m2[i], &mut v2[i]);
            }
            // Bits, but any NaN as one: with NaNs among the state LLVM may order an
            // op's operands either way, so which NaN comes out is not fixed (the
            // NaNs real steps make are `nan_signs_are_pytorchs`' business).
            let bits = |xs: &[f32]| {
                let canonical = |x: &f32| if x.is_nan() { f32::NAN } else { *x };
                xs.iter()
                    .map(|x| canonical(x).to_bits())
                    .collect::<Vec<_>>()
            };
            assert_eq!(bits(&p1), bits(&p2));
            assert_eq!(bits(&m1), bits(&m2));
            assert_eq!(bits(&v1), bits(&v2));
        }
    }
}

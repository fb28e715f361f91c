//! Float functions with their own special cases in CPython (`pow`, `fmod`, `remainder`,
//! `atan2`, `ldexp`, `frexp`, `modf`, `ulp`), ported case for case.

use std::f64::consts::PI;

use super::libm;

/// C's `frexp`: `v = m * 2**e` with `0.5 <= |m| < 1`, for finite nonzero `v`.
pub fn frexp(v: f64) -> (f64, i32) {
    if v == 0.0 || !v.is_finite() {
        return (v, 0);
    }
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp(v * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

/// C's `ldexp`, correctly rounded (musl's `scalbn`).
pub fn ldexp(mut x: f64, mut n: i32) -> f64 {
    let two_1023 = f64::from_bits(0x7fe0_0000_0000_0000);
    // 2**-1022 * 2**53: stepping down through it avoids double rounding in subnormals.
    let down = f64::from_bits(0x0010_0000_0000_0000) * 2f64.powi(53);
    for _ in 0..2 {
        if n > 1023 {
            x *= two_1023;
            n -= 1023;
        } else if n < -1022 {
            x *= down;
            n += 1022 - 53;
        }
    }
    let n = n.clamp(-1022, 1023);
    x * f64::from_bits(((0x3ff + n) as u64) << 52)
}

/// `math.pow`'s IEEE special cases, then libm's `pow`; `Err(true)` for a domain error,
/// `Err(false)` for overflow.
pub fn pow(x: f64, y: f64) -> Result<f64, bool> {
    if !x.is_finite() || !y.is_finite() {
        return Ok(if x.is_nan() {
            if y == 0.0 {
                1.0
            } else {
                x
            }
        } else if y.is_nan() {
            if x == 1.0 {
                1.0
            } else {
                y
            }
        } else if x.is_infinite() {
            let odd_y = y.is_finite() && y.abs() % 2.0 == 1.0;
            if y > 0.0 {
                if odd_y {
                    x
                } else {
                    x.abs()
                }
            } else if y == 0.0 {
                1.0
            } else if odd_y {
                0f64.copysign(x)
            } else {
                0.0
            }
        } else if x.abs() == 1.0 {
            1.0
        } else if (y > 0.0 && x.abs() > 1.0) || (y < 0.0 && x.abs() < 1.0) {
            f64::INFINITY
        } else {
            0.0
        });
    }
    let r = x.powf(y);
    if r.is_nan() || (r.is_infinite() && x == 0.0) {
        Err(true)
    } else if r.is_infinite() {
        Err(false)
    } else {
        Ok(r)
    }
}

/// `m_atan2`: C99's special values regardless of the platform.
pub fn atan2(y: f64, x: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if y.is_infinite() {
        if x.is_infinite() {
            let quarter = if x.is_sign_positive() { 0.25 } else { 0.75 };
            return (quarter * PI).copysign(y);
        }
        return (0.5 * PI).copysign(y);
    }
    if x.is_infinite() || y == 0.0 {
        return if x.is_sign_positive() {
            0f64.copysign(y)
        } else {
            PI.copysign(y)
        };
    }
    y.atan2(x)
}

/// `m_remainder`: x - n*y for the nearest integer n (ties to even), exactly.
pub fn remainder(x: f64, y: f64) -> f64 {
    if x.is_finite() && y.is_finite() {
        if y == 0.0 {
            return f64::NAN;
        }
        let (absx, absy) = (x.abs(), y.abs());
        let m = absx % absy;
        let c = absy - m;
        let r = if m < c {
            m
        } else if m > c {
            -c
        } else {
            m - 2.0 * ((0.5 * (absx - m)) % absy)
        };
        return 1f64.copysign(x) * r;
    }
    if x.is_nan() {
        return x;
    }
    if y.is_nan() {
        return y;
    }
    if x.is_infinite() {
        return f64::NAN;
    }
    x
}

/// `math.fmod`: C's fmod, which returns x for an infinite y.
pub fn fmod(x: f64, y: f64) -> f64 {
    if y.is_infinite() && x.is_finite() {
        return x;
    }
    x % y
}

/// `math.modf`: the fractional and integral parts, both with the sign of x.
pub fn modf(x: f64) -> (f64, f64) {
    if x.is_infinite() {
        return (0f64.copysign(x), x);
    }
    if x.is_nan() {
        return (x, x);
    }
    let int = x.trunc();
    ((x - int).copysign(x), int)
}

/// `math.ulp`.
pub fn ulp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let x = x.abs();
    if x.is_infinite() {
        return x;
    }
    let up = libm::nextafter(x, f64::INFINITY);
    if up.is_infinite() {
        return x - libm::nextafter(x, f64::NEG_INFINITY);
    }
    up - x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frexp_and_ldexp_invert() {
        assert_eq!(frexp(8.0), (0.5, 4));
        assert_eq!(frexp(-0.1), (-0.8, -3));
        assert_eq!(frexp(5e-324), (0.5, -1073));
        assert_eq!(ldexp(0.5, 3), 4.0);
        assert_eq!(ldexp(1.0, -1074), 5e-324);
        assert_eq!(ldexp(1.0, 1024), f64::INFINITY);
        assert_eq!(ldexp(0.75, -1074), 5e-324);
    }
}

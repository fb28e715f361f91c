//! Functions CPython takes from the C library that Rust's standard library lacks (`erf`,
//! `erfc`, `nextafter`) or computes its own way (`asinh`, `acosh`, `atanh`): called in the
//! system libm, as CPython calls them, so that results agree to the last bit. `cbrt` is
//! ported instead: the `cbrt` symbol the linker finds first is compiler_builtins' own.

use super::floats::{frexp, ldexp};

mod c {
    extern "C" {
        pub fn erf(x: f64) -> f64;
        pub fn erfc(x: f64) -> f64;
        pub fn asinh(x: f64) -> f64;
        pub fn acosh(x: f64) -> f64;
        pub fn atanh(x: f64) -> f64;
        pub fn nextafter(x: f64, y: f64) -> f64;
    }
}

// SAFETY (all below): pure functions of their arguments, defined for every double.
pub fn erf(x: f64) -> f64 {
    unsafe { c::erf(x) }
}

pub fn erfc(x: f64) -> f64 {
    unsafe { c::erfc(x) }
}

pub fn asinh(x: f64) -> f64 {
    unsafe { c::asinh(x) }
}

pub fn acosh(x: f64) -> f64 {
    unsafe { c::acosh(x) }
}

pub fn atanh(x: f64) -> f64 {
    unsafe { c::atanh(x) }
}

pub fn nextafter(x: f64, y: f64) -> f64 {
    unsafe { c::nextafter(x, y) }
}

/// glibc's `cbrt` (sysdeps/ieee754/dbl-64/s_cbrt.c): a polynomial guess, one Halley step,
/// the exponent divided by three.
pub fn cbrt(x: f64) -> f64 {
    const CBRT2: f64 = 1.2599210498948732;
    const SQR_CBRT2: f64 = 1.5874010519681996;
    let factor = [1.0 / SQR_CBRT2, 1.0 / CBRT2, 1.0, CBRT2, SQR_CBRT2];
    if x == 0.0 || !x.is_finite() {
        return x + x;
    }
    let (xm, xe) = frexp(x.abs());
    let u = [
        -1.8346927748361308,
        2.4469312256353444,
        -2.114994941673713,
        1.508191937815849,
        0.35489576504391984,
    ]
    .iter()
    .fold(0.7849323449766392 - 0.14526389938548637 * xm, |acc, &c| {
        c + acc * xm
    });
    let t2 = u * u * u;
    let ym = u * (t2 + 2.0 * xm) / (2.0 * t2 + xm) * factor[(2 + xe % 3) as usize];
    ldexp(if x > 0.0 { ym } else { -ym }, xe / 3)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cbrt_is_glibcs() {
        assert_eq!(super::cbrt(27.0), 3.0000000000000004);
        assert_eq!(super::cbrt(-27.0), -3.0000000000000004);
        assert_eq!(super::cbrt(2.0), 1.2599210498948734);
        assert_eq!(super::cbrt(1e-310), 4.641588833612775e-104);
    }
}

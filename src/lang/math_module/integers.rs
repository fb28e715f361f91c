//! The integer functions: `factorial`, `comb`, `perm`, `gcd`, `lcm`, `isqrt`. CPython's ints
//! are unbounded and nnlearn's are 64-bit, so a result past `i64::MAX` is an `OverflowError`
//! that says so, never a wrapped number.

use crate::lang::exception::Exception;

fn too_big(what: String) -> Exception {
    Exception::new(
        "OverflowError",
        format!("{what} is too large: nnlearn integers are 64-bit"),
    )
}

fn fits(what: &str, v: u128) -> Result<i64, Exception> {
    i64::try_from(v).map_err(|_| too_big(what.to_string()))
}

pub fn factorial(n: i64) -> Result<i64, Exception> {
    if n < 0 {
        return Err(Exception::value_error(
            "factorial() not defined for negative values",
        ));
    }
    let mut r: u128 = 1;
    for i in 2..=n as u128 {
        r *= i;
        if r > i64::MAX as u128 {
            return Err(too_big(format!("factorial({n})")));
        }
    }
    Ok(r as i64)
}

fn non_negative(n: i64, k: i64) -> Result<(), Exception> {
    if n < 0 {
        return Err(Exception::value_error("n must be a non-negative integer"));
    }
    if k < 0 {
        return Err(Exception::value_error("k must be a non-negative integer"));
    }
    Ok(())
}

pub fn comb(n: i64, k: i64) -> Result<i64, Exception> {
    non_negative(n, k)?;
    if k > n {
        return Ok(0);
    }
    let what = || format!("comb({n}, {k})");
    let (n, k) = (n as u128, k.min(n - k) as u128);
    // C(n, i+1) = C(n, i) * (n - i) / (i + 1), exact at every step; the partial results
    // grow with i up to k <= n/2, so one past i64::MAX means the answer is too.
    let mut r: u128 = 1;
    for i in 0..k {
        r = r * (n - i) / (i + 1);
        if r > i64::MAX as u128 {
            return Err(too_big(what()));
        }
    }
    Ok(r as i64)
}

pub fn perm(n: i64, k: i64) -> Result<i64, Exception> {
    non_negative(n, k)?;
    if k > n {
        return Ok(0);
    }
    let mut r: u128 = 1;
    for i in 0..k as u128 {
        r *= n as u128 - i;
        if r > i64::MAX as u128 {
            return Err(too_big(format!("perm({n}, {k})")));
        }
    }
    Ok(r as i64)
}

fn gcd_u(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

pub fn gcd(values: &[i64]) -> Result<i64, Exception> {
    let g = values
        .iter()
        .fold(0u128, |g, &v| gcd_u(g, v.unsigned_abs() as u128));
    fits("gcd", g)
}

pub fn lcm(values: &[i64]) -> Result<i64, Exception> {
    let mut l: u128 = 1;
    for &v in values {
        let v = v.unsigned_abs() as u128;
        if l == 0 || v == 0 {
            l = 0;
            continue;
        }
        l = l / gcd_u(l, v) * v;
        fits("lcm", l)?;
    }
    fits("lcm", l)
}

pub fn isqrt(n: i64) -> Result<i64, Exception> {
    if n < 0 {
        return Err(Exception::value_error(
            "isqrt() argument must be nonnegative",
        ));
    }
    let n = n as u64;
    // The float estimate is within one of the answer for every n < 2**63.
    let mut a = (n as f64).sqrt() as u64;
    while a.checked_mul(a).is_none_or(|sq| sq > n) {
        a -= 1;
    }
    while (a + 1).checked_mul(a + 1).is_some_and(|sq| sq <= n) {
        a += 1;
    }
    Ok(a as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_or_overflow() {
        assert_eq!(factorial(20).ok(), Some(2_432_902_008_176_640_000));
        assert!(factorial(21).is_err());
        assert_eq!(comb(60, 30).ok(), Some(118_264_581_564_861_424));
        assert!(comb(70, 35).is_err());
        assert_eq!(comb(1_000_000, 2).ok(), Some(499_999_500_000));
        assert_eq!(perm(20, 20).ok(), Some(2_432_902_008_176_640_000));
        assert_eq!(gcd(&[12, 18, -8]).ok(), Some(2));
        assert_eq!(lcm(&[-4, 6]).ok(), Some(12));
        assert_eq!(lcm(&[4, 6, 0]).ok(), Some(0));
        assert_eq!(isqrt(i64::MAX).ok(), Some(3_037_000_499));
        assert_eq!(isqrt(1_000_000_000_000_000_000).ok(), Some(1_000_000_000));
    }
}

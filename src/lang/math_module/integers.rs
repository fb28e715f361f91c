//! The integer functions: `factorial`, `comb`, `perm`, `gcd`, `lcm`, `isqrt`. CPython's ints
//! are unbounded and nnlearn's are 64-bit, so a result past `i64::MAX` is an `OverflowError`
//! that says so, never a wrapped number.

use num_bigint::BigInt;
use num_traits::One;

use crate::lang::exception::Exception;
use crate::lang::ops::bigint;
use crate::lang::value::Value;

fn fits(what: &str, v: u128) -> Result<i64, Exception> {
    i64::try_from(v).map_err(|_| {
        Exception::new(
            "OverflowError",
            format!("{what} is too large: nnlearn integers are 64-bit"),
        )
    })
}

/// The product of `lo..=hi` as an int (a MemoryError past the big-int size limit).
fn product(lo: u64, hi: u64) -> Result<Value, Exception> {
    let mut r = BigInt::one();
    for i in lo..=hi {
        r *= i;
        if i % 256 == 0 && r.bits() > bigint::MAX_BITS {
            return Err(Exception::new("MemoryError", ""));
        }
    }
    Ok(bigint::normalize(r))
}

pub fn factorial(n: i64) -> Result<Value, Exception> {
    if n < 0 {
        return Err(Exception::value_error(
            "factorial() not defined for negative values",
        ));
    }
    product(2, n as u64)
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

pub fn comb(n: i64, k: i64) -> Result<Value, Exception> {
    non_negative(n, k)?;
    if k > n {
        return Ok(Value::Int(0));
    }
    let (n, k) = (n as u64, k.min(n - k) as u64);
    // C(n, i+1) = C(n, i) * (n - i) / (i + 1), exact at every step.
    let mut r = BigInt::one();
    for i in 0..k {
        r = r * (n - i) / (i + 1);
        if i % 256 == 0 && r.bits() > bigint::MAX_BITS {
            return Err(Exception::new("MemoryError", ""));
        }
    }
    Ok(bigint::normalize(r))
}

pub fn perm(n: i64, k: i64) -> Result<Value, Exception> {
    non_negative(n, k)?;
    if k > n {
        return Ok(Value::Int(0));
    }
    if k == 0 {
        return Ok(Value::Int(1));
    }
    product((n - k + 1) as u64, n as u64)
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

pub fn lcm(values: &[i64]) -> Result<Value, Exception> {
    use num_integer::Integer;
    let mut l = BigInt::one();
    for &v in values {
        l = l.lcm(&BigInt::from(v));
    }
    Ok(bigint::normalize(l))
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
    fn exact_past_64_bits() {
        let text = |v: Result<Value, Exception>| crate::lang::repr::repr(&v.unwrap());
        assert_eq!(text(factorial(20)), "2432902008176640000");
        assert_eq!(text(factorial(21)), "51090942171709440000");
        assert_eq!(text(comb(60, 30)), "118264581564861424");
        assert_eq!(text(comb(70, 35)), "112186277816662845432");
        assert_eq!(text(comb(1_000_000, 2)), "499999500000");
        assert_eq!(text(perm(20, 20)), "2432902008176640000");
        assert_eq!(gcd(&[12, 18, -8]).ok(), Some(2));
        assert_eq!(text(lcm(&[-4, 6])), "12");
        assert_eq!(text(lcm(&[4, 6, 0])), "0");
        assert_eq!(isqrt(i64::MAX).ok(), Some(3_037_000_499));
        assert_eq!(isqrt(1_000_000_000_000_000_000).ok(), Some(1_000_000_000));
    }
}

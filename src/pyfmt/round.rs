//! Python's `round()` for floats (CPython's `float.__round__`).

use std::cmp::Ordering;

/// Beyond these, CPython returns `x` itself or a signed zero.
const NDIGITS_MAX: i64 = 323;
const NDIGITS_MIN: i64 = -308;

/// `round(x, ndigits)`: `x` correctly rounded (ties to even, on the exact
/// binary value) to `ndigits` decimal places, so `round(2.675, 2) == 2.67`.
/// Where CPython raises OverflowError ("rounded value too large to
/// represent", only for |x| near f64::MAX) this returns an infinity.
pub fn round_float(x: f64, ndigits: i64) -> f64 {
    if !x.is_finite() || ndigits > NDIGITS_MAX {
        return x;
    }
    if ndigits < NDIGITS_MIN {
        return 0.0 * x;
    }
    let decimal = if ndigits >= 0 {
        // Rust's fixed-point formatting is already correctly rounded.
        format!("{x:.0$}", ndigits as usize)
    } else {
        round_to_power_of_ten(x, ndigits.unsigned_abs() as usize)
    };
    decimal.parse().unwrap_or(x)
}

/// `round(x)`: the nearest integer, ties to even (`round(2.5) == 2`).
pub fn round_half_even(x: f64) -> f64 {
    x.round_ties_even()
}

/// `x` rounded to a multiple of `10^places`, as decimal text such as `-12e3`.
fn round_to_power_of_ten(x: f64, places: usize) -> String {
    // Exact decimal digits of the integer part; the fraction only breaks ties.
    let int_digits = format!("{:.0}", x.abs().trunc());
    let fraction_nonzero = x.fract() != 0.0;
    let cut = int_digits.len().saturating_sub(places);
    let (kept, dropped) = int_digits.split_at(cut);
    let versus_half = if dropped.len() < places {
        Ordering::Less
    } else {
        let half = format!("5{}", "0".repeat(places - 1));
        dropped.cmp(half.as_str()).then(if fraction_nonzero {
            Ordering::Greater
        } else {
            Ordering::Equal
        })
    };
    let kept_is_odd = kept.bytes().last().is_some_and(|d| (d - b'0') % 2 == 1);
    let round_up = match versus_half {
        Ordering::Greater => true,
        Ordering::Equal => kept_is_odd,
        Ordering::Less => false,
    };
    let kept = if round_up {
        increment(kept)
    } else if kept.is_empty() {
        "0".to_string()
    } else {
        kept.to_string()
    };
    let sign = if x.is_sign_negative() { "-" } else { "" };
    format!("{sign}{kept}e{places}")
}

/// A decimal digit string plus one (`""` counts as zero).
fn increment(digits: &str) -> String {
    let mut out: Vec<u8> = digits.bytes().collect();
    for d in out.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return String::from_utf8_lossy(&out).into_owned();
        }
    }
    out.insert(0, b'1');
    String::from_utf8_lossy(&out).into_owned()
}

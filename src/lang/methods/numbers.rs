//! Methods and attributes of int (and bool) and float.

use super::{no_args, no_attribute, one_arg, Qualname};
use crate::lang::exception::Exception;
use crate::lang::value::{Args, Value};

pub(super) const INT_METHODS: &[&str] = &["bit_count", "bit_length", "conjugate"];

pub(super) const FLOAT_METHODS: &[&str] = &[
    "as_integer_ratio",
    "conjugate",
    "fromhex",
    "hex",
    "is_integer",
];

/// `real`, `imag`, `numerator` and `denominator` of an int or bool; `real` and `imag` of a float.
pub(super) fn attribute(value: &Value, name: &str) -> Option<Value> {
    match value {
        Value::Int(_) | Value::Bool(_) => {
            let i = match value {
                Value::Bool(b) => *b as i64,
                Value::Int(i) => *i,
                _ => 0,
            };
            match name {
                "real" | "numerator" => Some(Value::Int(i)),
                "imag" => Some(Value::Int(0)),
                "denominator" => Some(Value::Int(1)),
                _ => None,
            }
        }
        Value::Float(f) => match name {
            "real" => Some(Value::Float(*f)),
            "imag" => Some(Value::Float(0.0)),
            _ => None,
        },
        _ => None,
    }
}

pub(super) fn number_method(receiver: &Value, name: &str, args: &Args) -> Result<Value, Exception> {
    // `bool`'s methods are `int`'s.
    let kind = match receiver {
        Value::Float(_) => "float",
        _ => "int",
    };
    let q = Qualname { kind, name };
    let int = match receiver {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        _ => None,
    };
    if let Some(i) = int {
        no_args(args, q)?;
        return match name {
            "bit_length" => Ok(Value::Int(64 - i.unsigned_abs().leading_zeros() as i64)),
            "bit_count" => Ok(Value::Int(i.unsigned_abs().count_ones() as i64)),
            "conjugate" => Ok(Value::Int(i)),
            _ => Err(no_attribute(receiver, name)),
        };
    }
    let Value::Float(f) = receiver else {
        return Err(no_attribute(receiver, name));
    };
    let f = *f;
    no_args(args, q)?;
    match name {
        "is_integer" => Ok(Value::Bool(f.is_finite() && f.fract() == 0.0)),
        "conjugate" => Ok(Value::Float(f)),
        "hex" => Ok(Value::str(float_hex(f))),
        "as_integer_ratio" => {
            let (n, d) = integer_ratio(f)?;
            Ok(Value::tuple(vec![Value::Int(n), Value::Int(d)]))
        }
        _ => Err(no_attribute(receiver, name)),
    }
}

/// `float.hex()`: `0x1.8000000000000p+0`.
fn float_hex(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0x0.0p+0");
    }
    let bits = f.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    let (lead, exp) = if exponent == 0 {
        (0, -1022)
    } else {
        (1, exponent - 1023)
    };
    let exp_sign = if exp < 0 { "-" } else { "+" };
    format!("{sign}0x{lead}.{fraction:013x}p{exp_sign}{}", exp.abs())
}

/// `float.as_integer_ratio()`: the lowest terms of a finite float.
fn integer_ratio(f: f64) -> Result<(i64, i64), Exception> {
    if f.is_nan() {
        return Err(Exception::value_error(
            "cannot convert NaN to integer ratio",
        ));
    }
    if f.is_infinite() {
        return Err(Exception::new(
            "OverflowError",
            "cannot convert Infinity to integer ratio",
        ));
    }
    if f == 0.0 {
        return Ok((0, 1));
    }
    let bits = f.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    let (mut mantissa, mut exp) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), exponent - 1075)
    };
    let zeros = mantissa.trailing_zeros();
    mantissa >>= zeros;
    exp += zeros as i64;
    let mantissa = mantissa as i64;
    let sign = if f < 0.0 { -1 } else { 1 };
    if exp >= 0 {
        let n = u32::try_from(exp)
            .ok()
            .and_then(|e| mantissa.checked_mul(1i64.checked_shl(e).filter(|p| *p > 0)?))
            .ok_or_else(Exception::overflow)?;
        Ok((sign * n, 1))
    } else {
        let d = if exp > -63 {
            1i64 << -exp
        } else {
            return Err(Exception::overflow());
        };
        Ok((sign * mantissa, d))
    }
}

/// `float.fromhex(s)`.
pub(super) fn fromhex(args: &Args) -> Result<Value, Exception> {
    let s = match one_arg(args, "float.fromhex")? {
        Value::Str(s) => s.clone(),
        _ => {
            return Err(Exception::type_error(
                "bad argument type for built-in operation",
            ))
        }
    };
    parse_hex(&s).map(Value::Float)
}

fn invalid() -> Exception {
    Exception::value_error("invalid hexadecimal floating-point string")
}

fn parse_hex(s: &str) -> Result<f64, Exception> {
    let s = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let signed = |x: f64| if negative { -x } else { x };
    let lower = rest.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Ok(signed(f64::INFINITY));
    }
    if lower == "nan" {
        return Ok(signed(f64::NAN));
    }
    let body = lower.strip_prefix("0x").unwrap_or(&lower);
    let (digits, exponent) = match body.find('p') {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = match digits.find('.') {
        Some(at) => (&digits[..at], &digits[at + 1..]),
        None => (digits, ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return Err(invalid());
    }
    let hex = |c: char| c.to_digit(16);
    if !whole
        .chars()
        .chain(fraction.chars())
        .all(|c| hex(c).is_some())
    {
        return Err(invalid());
    }
    let mut exp: i64 = match exponent {
        None => 0,
        Some(e) => {
            let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            let magnitude = digits
                .bytes()
                .fold(0i64, |n, b| (n * 10 + (b - b'0') as i64).min(1 << 40));
            if e.starts_with('-') {
                -magnitude
            } else {
                magnitude
            }
        }
    };
    // The digits as a 120-bit mantissa, a sticky bit for the nonzero digits beyond it,
    // and the binary exponent of the mantissa's last bit.
    let (mut mantissa, mut sticky, mut kept) = (0u128, false, 0);
    let mut push = |d: u32, is_fraction: bool, exp: &mut i64| {
        if mantissa == 0 && d == 0 {
            if is_fraction {
                *exp -= 4;
            }
            return;
        }
        if kept < 30 {
            mantissa = mantissa << 4 | d as u128;
            kept += 1;
            if is_fraction {
                *exp -= 4;
            }
        } else {
            sticky |= d != 0;
            if !is_fraction {
                *exp += 4;
            }
        }
    };
    for c in whole.chars() {
        push(hex(c).unwrap_or(0), false, &mut exp);
    }
    for c in fraction.chars() {
        push(hex(c).unwrap_or(0), true, &mut exp);
    }
    if mantissa == 0 {
        return Ok(signed(0.0));
    }
    let bits = 128 - mantissa.leading_zeros() as i64;
    let top = exp + bits - 1;
    if top > 1023 {
        return Err(too_large());
    }
    let precision = 53 - (-1022 - top).max(0);
    let shift = bits - precision;
    let (q, scale) = if shift <= 0 {
        (mantissa, exp)
    } else if shift > 128 {
        (0, exp + shift)
    } else {
        let rest = if shift == 128 {
            mantissa
        } else {
            mantissa & ((1u128 << shift) - 1)
        };
        let q = if shift == 128 { 0 } else { mantissa >> shift };
        let half = 1u128 << (shift - 1);
        let up = rest > half || (rest == half && (sticky || q & 1 == 1));
        (q + up as u128, exp + shift)
    };
    let value = ldexp(q as f64, scale);
    if value.is_infinite() {
        return Err(too_large());
    }
    Ok(signed(value))
}

fn too_large() -> Exception {
    Exception::new(
        "OverflowError",
        "hexadecimal value too large to represent as a float",
    )
}

/// `x * 2**e`, exact where the result is representable.
fn ldexp(mut x: f64, mut e: i64) -> f64 {
    let power = |k: i64| f64::from_bits(((k + 1023) as u64) << 52);
    while e > 1000 {
        x *= power(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= power(-1000);
        e += 1000;
        if x == 0.0 {
            return x;
        }
    }
    x * power(e)
}

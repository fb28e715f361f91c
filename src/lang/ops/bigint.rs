//! Arbitrary-precision ints: the values that do not fit `Value::Int(i64)`.
//!
//! Every int that fits in an i64 is a `Value::Int`; `normalize` keeps it so, so a
//! `Value::BigInt` is always outside the i64 range (and never equal to a `Value::Int`).

use std::cmp::Ordering;
use std::sync::Arc;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::lang::ast::BinOp;
use crate::lang::exception::Exception;
use crate::lang::value::Value;

/// The most bits one int result may have (a MemoryError beyond, not an endless computation).
pub const MAX_BITS: u64 = 1 << 26;

/// CPython 3.11's `sys.get_int_max_str_digits()` default.
pub const MAX_STR_DIGITS: usize = 4300;

/// An int result as a value: `Value::Int` whenever it fits.
pub fn normalize(b: BigInt) -> Value {
    match b.to_i64() {
        Some(i) => Value::Int(i),
        None => Value::BigInt(Arc::new(b)),
    }
}

/// An `int` or `bool` as a big int.
pub fn to_big(v: &Value) -> Option<BigInt> {
    match v {
        Value::Int(i) => Some(BigInt::from(*i)),
        Value::Bool(b) => Some(BigInt::from(*b as i64)),
        Value::BigInt(b) => Some((**b).clone()),
        _ => None,
    }
}

fn memory_error() -> Exception {
    Exception::new("MemoryError", "")
}

fn check_bits(bits: u64) -> Result<(), Exception> {
    if bits > MAX_BITS {
        return Err(memory_error());
    }
    Ok(crate::guard::check()?)
}

/// `float(b)`, correctly rounded, or CPython's OverflowError.
pub fn to_f64(b: &BigInt) -> Result<f64, Exception> {
    match b.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => Err(Exception::new(
            "OverflowError",
            "int too large to convert to float",
        )),
    }
}

/// `x * 2**exp` for a finite x (no intermediate overflow).
fn ldexp(mut x: f64, mut exp: i64) -> f64 {
    while exp > 1000 {
        x *= 2f64.powi(1000);
        exp -= 1000;
        if x.is_infinite() {
            return x;
        }
    }
    while exp < -1000 {
        x *= 2f64.powi(-1000);
        exp += 1000;
        if x == 0.0 {
            return x;
        }
    }
    x * 2f64.powi(exp as i32)
}

/// `x / y` as CPython's int true division: correctly rounded.
pub fn true_div(x: &BigInt, y: &BigInt) -> Result<f64, Exception> {
    if y.is_zero() {
        return Err(Exception::zero_division("division by zero"));
    }
    let limit = BigInt::one() << 53;
    if x.abs() <= limit && y.abs() <= limit {
        return Ok(x.to_f64().unwrap_or(0.0) / y.to_f64().unwrap_or(1.0));
    }
    if x.is_zero() {
        return Ok(if y.is_negative() { -0.0 } else { 0.0 });
    }
    let negative = x.is_negative() != y.is_negative();
    let (a, b) = (x.abs(), y.abs());
    // Scale so the quotient has at least 55 bits; the remainder becomes a sticky bit.
    let shift = a.bits() as i64 - b.bits() as i64 - 56;
    let (num, den) = if shift >= 0 {
        (a, b << shift as u64)
    } else {
        (a << (-shift) as u64, b)
    };
    let (mut q, r) = num.div_rem(&den);
    if !r.is_zero() {
        q |= BigInt::one();
    }
    let q = q.to_u64().unwrap_or(u64::MAX);
    let result = ldexp(q as f64, shift);
    if result.is_infinite() {
        return Err(Exception::new(
            "OverflowError",
            "integer division result too large for a float",
        ));
    }
    Ok(if negative { -result } else { result })
}

/// An int compared with a float exactly, as CPython does (`None` for NaN).
pub fn cmp_float(x: &BigInt, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let floor = f.floor();
    Some(match x.cmp(&float_to_big(floor)) {
        Ordering::Equal if floor != f => Ordering::Less,
        ord => ord,
    })
}

/// An i64 compared with a float exactly.
pub fn cmp_i64_float(i: i64, f: f64) -> Option<Ordering> {
    if (i as f64) as i64 == i && i.unsigned_abs() <= 1 << 53 {
        return (i as f64).partial_cmp(&f);
    }
    cmp_float(&BigInt::from(i), f)
}

/// A finite integral float as a big int, exactly.
pub fn float_to_big(f: f64) -> BigInt {
    let bits = f.to_bits();
    let negative = bits >> 63 == 1;
    let exponent = ((bits >> 52) & 0x7ff) as i64;
    let mantissa = if exponent == 0 {
        (bits & ((1 << 52) - 1)) << 1
    } else {
        (bits & ((1 << 52) - 1)) | (1 << 52)
    };
    let e = exponent - 1075;
    let m = BigInt::from(mantissa);
    let v = if e >= 0 {
        m << e as u64
    } else {
        m >> (-e) as u64
    };
    if negative {
        -v
    } else {
        v
    }
}

/// `int(f)` for a finite float outside the i64 range.
pub fn from_float(f: f64) -> Value {
    normalize(float_to_big(f.trunc()))
}

/// CPython's int hash: the value modulo 2**61 - 1, with its sign.
pub fn hash(b: &BigInt) -> i64 {
    let modulus = BigInt::from((1u64 << 61) - 1);
    let h = (b.abs() % modulus).to_i64().unwrap_or(0);
    let h = if b.is_negative() { -h } else { h };
    if h == -1 {
        -2
    } else {
        h
    }
}

fn value_error_digits() -> Exception {
    Exception::value_error(format!(
        "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit"
    ))
}

/// `str(b)`, refused above CPython's 4300-digit limit.
pub fn to_decimal(b: &BigInt) -> Result<String, Exception> {
    // bits * log10(2) bounds the digit count from below (within one).
    if (b.bits() as f64 * std::f64::consts::LOG10_2) as usize >= MAX_STR_DIGITS {
        let s = b.magnitude().to_string();
        if s.len() > MAX_STR_DIGITS {
            return Err(value_error_digits());
        }
        return Ok(if b.is_negative() { format!("-{s}") } else { s });
    }
    Ok(b.to_string())
}

/// The repr of a big int (used where no error can be raised: the digit limit shows as text).
pub fn repr(b: &BigInt) -> String {
    to_decimal(b).unwrap_or_else(|_| format!("<int of {} bits>", b.bits()))
}

/// `int(text, base)` for digits too long for an i64 (`text` is already validated and
/// stripped of sign, underscores and prefix).
pub fn parse_digits(digits: &str, base: u32, negative: bool) -> Result<Value, Exception> {
    if base == 10 && digits.len() > MAX_STR_DIGITS {
        return Err(Exception::value_error(format!(
            "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion: value has {} digits; use sys.set_int_max_str_digits() to increase the limit",
            digits.len()
        )));
    }
    let b = BigInt::parse_bytes(digits.as_bytes(), base)
        .ok_or_else(|| Exception::value_error("invalid literal for int()"))?;
    Ok(normalize(if negative { -b } else { b }))
}

/// `Err(None)` means the operator does not apply to ints.
pub fn int_op(op: BinOp, x: &BigInt, y: &BigInt) -> Result<Value, Option<Exception>> {
    let zero_div = |message: &str| Err(Some(Exception::zero_division(message)));
    Ok(normalize(match op {
        BinOp::Add => {
            check_bits(x.bits().max(y.bits()) + 1)?;
            x + y
        }
        BinOp::Sub => {
            check_bits(x.bits().max(y.bits()) + 1)?;
            x - y
        }
        BinOp::Mul => {
            check_bits(x.bits() + y.bits())?;
            x * y
        }
        BinOp::Div => return Ok(Value::Float(true_div(x, y)?)),
        BinOp::FloorDiv if y.is_zero() => return zero_div("integer division or modulo by zero"),
        BinOp::FloorDiv => x.div_floor(y),
        BinOp::Mod if y.is_zero() => return zero_div("integer modulo by zero"),
        BinOp::Mod => x.mod_floor(y),
        BinOp::Pow => return pow(x, y),
        BinOp::LShift | BinOp::RShift if y.is_negative() => {
            return Err(Some(Exception::value_error("negative shift count")))
        }
        BinOp::LShift => {
            if x.is_zero() {
                return Ok(Value::Int(0));
            }
            let n = y
                .to_u64()
                .ok_or_else(|| Exception::new("OverflowError", "too many digits in integer"))?;
            check_bits(x.bits() + n)?;
            x << n
        }
        BinOp::RShift => match y.to_u64() {
            Some(n) => x >> n,
            None if x.is_negative() => BigInt::from(-1),
            None => BigInt::zero(),
        },
        BinOp::BitAnd => x & y,
        BinOp::BitOr => x | y,
        BinOp::BitXor => x ^ y,
        BinOp::MatMul => return Err(None),
    }))
}

fn pow(x: &BigInt, y: &BigInt) -> Result<Value, Option<Exception>> {
    if y.is_negative() {
        if x.is_zero() {
            return Err(Some(Exception::zero_division(
                "0.0 cannot be raised to a negative power",
            )));
        }
        let base = to_f64(x)?;
        let exp = y.to_f64().unwrap_or(f64::NEG_INFINITY);
        return Ok(Value::Float(base.powf(exp)));
    }
    if x.is_zero() || x.is_one() {
        return Ok(normalize(if y.is_zero() {
            BigInt::one()
        } else {
            x.clone()
        }));
    }
    if *x == BigInt::from(-1) {
        return Ok(Value::Int(if y.is_odd() { -1 } else { 1 }));
    }
    let e = y
        .to_u64()
        .filter(|e| *e <= MAX_BITS)
        .ok_or_else(memory_error)?;
    check_bits((x.bits() - 1).max(1).saturating_mul(e))?;
    Ok(normalize(num_traits::Pow::pow(x, e)))
}

/// `pow(x, y, m)` for ints.
pub fn pow_mod(x: &BigInt, y: &BigInt, m: &BigInt) -> Result<Value, Exception> {
    if m.is_zero() {
        return Err(Exception::value_error("pow() 3rd argument cannot be 0"));
    }
    let mut base = x.mod_floor(m);
    let mut exp = y.clone();
    if exp.is_negative() {
        base = inverse(&base, m).ok_or_else(|| {
            Exception::value_error("base is not invertible for the given modulus")
        })?;
        exp = -exp;
    }
    let r = base.modpow(&exp, &m.abs());
    // modpow gives a result in [0, |m|); Python's sign follows m.
    let r = if m.is_negative() && !r.is_zero() {
        r + m
    } else {
        r
    };
    Ok(normalize(r))
}

fn inverse(a: &BigInt, m: &BigInt) -> Option<BigInt> {
    let m = m.abs();
    let e = a.mod_floor(&m).extended_gcd(&m);
    e.gcd.is_one().then(|| e.x.mod_floor(&m))
}

/// Unary `-` on an i64 that overflows, or on a big int.
pub fn neg(b: &BigInt) -> Value {
    normalize(-b)
}

/// `divmod(x, y)` for ints.
pub fn divmod(x: &BigInt, y: &BigInt) -> Result<(Value, Value), Exception> {
    if y.is_zero() {
        return Err(Exception::zero_division(
            "integer division or modulo by zero",
        ));
    }
    let (q, r) = x.div_mod_floor(y);
    Ok((normalize(q), normalize(r)))
}

/// `math.isqrt(n)` for n >= 0.
pub fn isqrt(n: &BigInt) -> Value {
    normalize(n.sqrt())
}

/// `bin`/`oct`/`hex` digits with their prefix.
pub fn radix_string(b: &BigInt, radix: u32, prefix: &str) -> String {
    let digits = b.magnitude().to_str_radix(radix);
    let sign = if b.is_negative() { "-" } else { "" };
    format!("{sign}{prefix}{digits}")
}

/// `round(x, n)` for an int and a negative n: to a multiple of 10**-n, ties to even.
pub fn round_digits(x: &BigInt, n: i64) -> Value {
    let Some(e) = n
        .checked_neg()
        .and_then(|e| u32::try_from(e).ok())
        .filter(|e| *e < 100_000)
    else {
        return Value::Int(0);
    };
    let factor = num_traits::Pow::pow(&BigInt::from(10), e);
    let (q, r) = x.div_mod_floor(&factor);
    let twice: BigInt = &r * 2;
    let q = match twice.cmp(&factor) {
        Ordering::Greater => q + 1,
        Ordering::Equal if q.is_odd() => q + 1,
        _ => q,
    };
    normalize(q * factor)
}

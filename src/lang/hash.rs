//! Python's `hash()` and the key equality that dicts and sets share.
//!
//! Hashes follow CPython 3.11 wherever its values are deterministic, because set iteration
//! order (and so `print({...})`) is a function of them:
//! - `int`: `long_hash` (Objects/longobject.c): `|n| mod (2**61 - 1)` with the sign, -1 → -2.
//! - `float`: `_Py_HashDouble` (Python/pyhash.c): the value as a rational mod `2**61 - 1`, so
//!   equal ints and floats hash alike; ±inf → ±314159. NaN hashes by object identity in 3.11,
//!   which a value has not here: it hashes to 0 (the pre-3.10 rule).
//! - `tuple`: `tuplehash` (Objects/tupleobject.c), the xxHash-based one of 3.8+.
//! - `range`: `range_hash` (Objects/rangeobject.c), the hash of `(len, start, step)`.
//! - `None`: 3.11 hashes it by address (`_Py_HashPointer`); `NONE_HASH` is such a value from the
//!   CPython build the goldens come from, whose low 17 bits are the same on every run there, so
//!   small sets holding `None` print in its order.
//! - `str`: CPython randomizes string hashes per process; any stable hash will do (FNV-1a,
//!   with `hash('') == 0` as in CPython).
//! - functions, iterators, host objects: by identity, like `_Py_HashPointer`.

use std::sync::Arc;

use super::exception::Exception;
use super::value::{Range, Value};

/// `_PyHASH_MODULUS`: hashes of numbers are their value modulo this prime.
const MODULUS: u64 = (1 << 61) - 1;
const MODULUS_BITS: u32 = 61;
/// `_PyHASH_INF`.
const INF_HASH: i64 = 314159;
const NONE_HASH: i64 = 0x7fa_e848_5bbe;
/// `...` also hashes by address in CPython; any fixed value will do.
const ELLIPSIS_HASH: i64 = 0x7fa_e848_5bc4;

/// `hash(value)`, or the TypeError Python raises for an unhashable value.
pub fn py_hash(value: &Value) -> Result<i64, Exception> {
    Ok(match value {
        Value::None => NONE_HASH,
        Value::Bool(b) => *b as i64,
        Value::Int(i) => int_hash(*i),
        Value::BigInt(b) => crate::lang::ops::bigint::hash(b),
        Value::Float(f) => float_hash(*f),
        Value::Str(s) => str_hash(s),
        Value::Tuple(items) => {
            tuple_hash(&items.iter().map(py_hash).collect::<Result<Vec<_>, _>>()?)
        }
        Value::Range(r) => range_hash(r),
        Value::Ellipsis => ELLIPSIS_HASH,
        Value::Type(kind) => str_hash(kind.name()),
        Value::Function(f) => pointer_hash(Arc::as_ptr(f) as usize),
        Value::Native(f) => pointer_hash(Arc::as_ptr(f) as usize),
        Value::Iterator(it) => pointer_hash(Arc::as_ptr(it) as usize),
        Value::Host(h) => match h.as_tuple() {
            Some(items) => py_hash(&Value::Tuple(items))?,
            None => pointer_hash(h.identity().unwrap_or(Arc::as_ptr(h) as *const () as usize)),
        },
        Value::Instance(i) if i.class.lookup("__hash__").is_some() => {
            // The evaluator hashes these itself (their `__hash__` is Python code).
            return Err(Exception::type_error(format!(
                "unhashable type: '{}' (its __hash__ needs the interpreter)",
                i.class.name
            )));
        }
        Value::Instance(i) if i.class.lookup("__eq__").is_some() => {
            return Err(Exception::type_error(format!(
                "unhashable type: '{}'",
                i.class.name
            )))
        }
        Value::Instance(i) => pointer_hash(Arc::as_ptr(i) as usize),
        Value::Class(c) => pointer_hash(Arc::as_ptr(c) as usize),
        Value::Method(m) => pointer_hash(Arc::as_ptr(m) as usize),
        Value::Generator(g) => pointer_hash(Arc::as_ptr(g) as usize),
        other => {
            return Err(Exception::type_error(format!(
                "unhashable type: '{}'",
                other.type_name()
            )))
        }
    })
}

/// `a == b` for two hashable values, as a dict or set compares keys: numbers by value across
/// `bool`/`int`/`float` (exactly, so `2**53 + 1 != 2.0**53`), tuples item by item, objects
/// without a value (functions, hosts) by identity.
pub fn key_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Tuple(x), Value::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| key_eq(p, q))
        }
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Range(x), Value::Range(y)) => range_key(x) == range_key(y),
        (Value::Type(x), Value::Type(y)) => x == y,
        (Value::BigInt(x), Value::BigInt(y)) => x == y,
        (Value::BigInt(x), Value::Float(f)) | (Value::Float(f), Value::BigInt(x)) => {
            crate::lang::ops::bigint::cmp_float(x, *f) == Some(std::cmp::Ordering::Equal)
        }
        (Value::BigInt(_), _) | (_, Value::BigInt(_)) => false,
        // Instances hashed by their own `__hash__` count as equal when the hashes (already
        // compared by the table) match: `__eq__` is Python code the table cannot call.
        (Value::Instance(x), Value::Instance(y))
            if Arc::ptr_eq(&x.class, &y.class) && x.class.lookup("__hash__").is_some() =>
        {
            true
        }
        _ => match (real(a), real(b)) {
            (Some(x), Some(y)) => x.equals(y),
            (None, None) => a.is(b),
            _ => false,
        },
    }
}

/// A number as dict keys see it.
#[derive(Clone, Copy)]
enum Real {
    Int(i64),
    Float(f64),
}

fn real(v: &Value) -> Option<Real> {
    match v {
        Value::Bool(b) => Some(Real::Int(*b as i64)),
        Value::Int(i) => Some(Real::Int(*i)),
        Value::Float(f) => Some(Real::Float(*f)),
        _ => None,
    }
}

impl Real {
    fn equals(self, other: Real) -> bool {
        match (self, other) {
            (Real::Int(x), Real::Int(y)) => x == y,
            (Real::Float(x), Real::Float(y)) => x == y,
            (Real::Int(i), Real::Float(f)) | (Real::Float(f), Real::Int(i)) => {
                // Integral floats below 2**127 convert to i128 exactly; larger ones saturate
                // to a value no i64 reaches.
                f.fract() == 0.0 && f as i128 == i as i128
            }
        }
    }
}

/// -1 is CPython's error marker, so no hash is ever -1.
fn not_minus_one(h: i64) -> i64 {
    if h == -1 {
        -2
    } else {
        h
    }
}

fn int_hash(i: i64) -> i64 {
    let h = (i.unsigned_abs() % MODULUS) as i64;
    not_minus_one(if i < 0 { -h } else { h })
}

fn float_hash(f: f64) -> i64 {
    if f.is_nan() {
        return 0;
    }
    if f.is_infinite() {
        return if f > 0.0 { INF_HASH } else { -INF_HASH };
    }
    if f == 0.0 {
        return 0;
    }
    // f = mantissa * 2**exponent exactly; 2**61 ≡ 1 (mod 2**61 - 1), so multiplying by a power
    // of two is a rotation of the 61-bit residue. This is the value `_Py_HashDouble` computes
    // 28 bits at a time.
    let bits = f.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    let e = exponent.rem_euclid(MODULUS_BITS as i32) as u32;
    let x = if e == 0 {
        mantissa
    } else {
        ((mantissa << e) & MODULUS) | (mantissa >> (MODULUS_BITS - e))
    } as i64;
    not_minus_one(if f < 0.0 { -x } else { x })
}

/// FNV-1a: stable across runs (CPython's string hashes are randomized per process anyway).
fn str_hash(s: &str) -> i64 {
    if s.is_empty() {
        return 0;
    }
    let h = s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    });
    not_minus_one(h as i64)
}

/// `tuplehash` of CPython 3.8+ over the items' hashes.
fn tuple_hash(lanes: &[i64]) -> i64 {
    const PRIME_1: u64 = 11400714785074694791;
    const PRIME_2: u64 = 14029467366897019727;
    const PRIME_5: u64 = 2870177450012600261;
    let mut acc = PRIME_5;
    for &lane in lanes {
        acc = acc.wrapping_add((lane as u64).wrapping_mul(PRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(PRIME_1);
    }
    acc = acc.wrapping_add(lanes.len() as u64 ^ (PRIME_5 ^ 3527539));
    if acc == u64::MAX {
        1546275796
    } else {
        acc as i64
    }
}

/// What identifies a range for `==` and `hash`: `(len, start, step)` with the parts that make
/// no difference left out (`range(0) == range(5, 5)`, `range(3, 4) == range(3, 9, 7)`).
fn range_key(r: &Range) -> (usize, Option<i64>, Option<i64>) {
    match r.len() {
        0 => (0, None, None),
        1 => (1, Some(r.start), None),
        n => (n, Some(r.start), Some(r.step)),
    }
}

fn range_hash(r: &Range) -> i64 {
    let (len, start, step) = range_key(r);
    let part = |p: Option<i64>| p.map_or(NONE_HASH, int_hash);
    tuple_hash(&[int_hash(len as i64), part(start), part(step)])
}

/// `_Py_HashPointer`: the address rotated right by 4 bits (its low bits are alignment zeros).
fn pointer_hash(address: usize) -> i64 {
    not_minus_one((address as u64).rotate_right(4) as i64)
}

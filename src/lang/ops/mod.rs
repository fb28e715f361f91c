//! Operators on values: arithmetic with Python's int/float rules, comparisons, truth, `in`.

pub mod bigint;
mod compare;
pub mod fast;
pub mod sets;
pub use compare::{compare, contains, equals, truthy};

use crate::lang::ast::{BinOp, UnaryOp};
use crate::lang::budget;
use crate::lang::exception::Exception;
use crate::lang::percent::percent_format;
use crate::lang::value::{lock, Value};

/// Longest list/str a single operation may build (a clear MemoryError instead of an abort).
pub const MAX_SEQUENCE_LEN: usize = 1 << 25;

/// Refuses to grow a sequence past `MAX_SEQUENCE_LEN` items, or once memory
/// has grown past the budget.
pub fn check_len(len: usize) -> Result<(), Exception> {
    if len > MAX_SEQUENCE_LEN {
        return Err(Exception::new("MemoryError", ""));
    }
    Ok(crate::guard::check()?)
}

/// Makes room in `items` for `extra` more, as `check_len` allows and only if the budget has
/// room for the grown block: growing copies the items into it while the old block is still
/// live, so a list past half the budget would otherwise double past it before any check.
pub fn grow_for(items: &mut Vec<Value>, extra: usize) -> Result<(), Exception> {
    let needed = items.len().saturating_add(extra);
    check_len(needed)?;
    if needed > items.capacity() {
        let grown = needed.max(items.capacity().saturating_mul(2)).max(4);
        budget::reserve_items(grown, budget::ITEM_BYTES)?;
        items.reserve_exact(grown - items.len());
    }
    Ok(())
}

/// `check_len` for a new sequence of `len` items of `item_bytes` each, and
/// the budget's room for it.
fn check_new(len: usize, item_bytes: usize) -> Result<(), Exception> {
    check_len(len)?;
    budget::reserve_items(len, item_bytes)
}

/// The bytes one item of a string, list or tuple takes.
fn item_bytes(v: &Value) -> usize {
    match v {
        Value::Str(_) => 1,
        _ => budget::ITEM_BYTES,
    }
}

#[derive(Clone, Copy)]
enum Num {
    Int(i64),
    Float(f64),
}

fn num(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::Int(*b as i64)),
        Value::Int(i) => Some(Num::Int(*i)),
        Value::Float(f) => Some(Num::Float(*f)),
        _ => None,
    }
}

fn unsupported(op: BinOp, a: &Value, b: &Value) -> Exception {
    let symbol = if op == BinOp::Pow {
        "** or pow()"
    } else {
        op.symbol()
    };
    Exception::type_error(format!(
        "unsupported operand type(s) for {symbol}: '{}' and '{}'",
        a.type_name(),
        b.type_name()
    ))
}

pub fn binary(op: BinOp, a: &Value, b: &Value) -> Result<Value, Exception> {
    // Plain numbers first: they are most of what loops compute.
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => {
            return int_op(op, *x, *y).map_err(|e| e.unwrap_or_else(|| unsupported(op, a, b)))
        }
        (Value::Float(x), Value::Float(y)) => {
            return float_op(op, *x, *y).map_err(|e| e.unwrap_or_else(|| unsupported(op, a, b)))
        }
        _ => {}
    }
    if let (BinOp::Mod, Value::Str(template)) = (op, a) {
        return percent_format(template, b).map(Value::str);
    }
    if let Some(result) = sets::binary(op, a, b) {
        return result;
    }
    if let Some(result) = crate::lang::collections::counter_binary(op, a, b) {
        return result;
    }
    if op == BinOp::BitOr {
        if let Some(result) = crate::lang::methods::dict_union(a, b) {
            return result;
        }
    }
    // `bool & bool` (and `|`, `^`) stay bools; other arithmetic makes ints.
    if let (Value::Bool(x), Value::Bool(y)) = (a, b) {
        match op {
            BinOp::BitAnd => return Ok(Value::Bool(x & y)),
            BinOp::BitOr => return Ok(Value::Bool(x | y)),
            BinOp::BitXor => return Ok(Value::Bool(x ^ y)),
            _ => {}
        }
    }
    if let Value::Host(h) = a {
        if let Some(result) = h.binary_op(op, b, false) {
            return result;
        }
    }
    if let Value::Host(h) = b {
        if let Some(result) = h.binary_op(op, a, true) {
            return result;
        }
    }
    if matches!(a, Value::BigInt(_)) || matches!(b, Value::BigInt(_)) {
        if let Some(result) = big_binary(op, a, b) {
            return result;
        }
    }
    match (num(a), num(b)) {
        (Some(Num::Int(x)), Some(Num::Int(y))) => {
            return int_op(op, x, y).map_err(|e| e.unwrap_or_else(|| unsupported(op, a, b)))
        }
        (Some(x), Some(y)) => {
            let f = |n: Num| match n {
                Num::Int(i) => i as f64,
                Num::Float(f) => f,
            };
            return float_op(op, f(x), f(y))
                .map_err(|e| e.unwrap_or_else(|| unsupported(op, a, b)));
        }
        _ => {}
    }
    sequence_op(op, a, b)
}

/// Arithmetic where one side is a big int (`None`: not a number pair).
fn big_binary(op: BinOp, a: &Value, b: &Value) -> Option<Result<Value, Exception>> {
    let result = match (a, b) {
        (Value::Float(x), _) => {
            let y = bigint::to_big(b)?;
            bigint::to_f64(&y)
                .map_err(Some)
                .and_then(|y| float_op(op, *x, y))
        }
        (_, Value::Float(y)) => {
            let x = bigint::to_big(a)?;
            bigint::to_f64(&x)
                .map_err(Some)
                .and_then(|x| float_op(op, x, *y))
        }
        _ => bigint::int_op(op, &bigint::to_big(a)?, &bigint::to_big(b)?),
    };
    Some(result.map_err(|e| e.unwrap_or_else(|| unsupported(op, a, b))))
}

/// `+` and `*` on strings, lists and tuples.
fn sequence_op(op: BinOp, a: &Value, b: &Value) -> Result<Value, Exception> {
    let len = |v: &Value| match v {
        Value::Str(s) => s.len(),
        Value::List(l) => lock(l).len(),
        Value::Tuple(t) => t.len(),
        _ => 0,
    };
    if op == BinOp::Add {
        check_new(len(a) + len(b), item_bytes(a))?;
    }
    match (op, a, b) {
        (BinOp::Add, Value::Str(x), Value::Str(y)) => Ok(Value::str(format!("{x}{y}"))),
        (BinOp::Add, Value::List(x), Value::List(y)) => {
            let mut items = lock(x).clone();
            items.extend(lock(y).iter().cloned());
            Ok(Value::list(items))
        }
        (BinOp::Add, Value::Tuple(x), Value::Tuple(y)) => {
            Ok(Value::tuple(x.iter().chain(y.iter()).cloned().collect()))
        }
        (BinOp::Add, Value::Str(_) | Value::List(_) | Value::Tuple(_), _) => {
            Err(Exception::type_error(format!(
                "can only concatenate {} (not \"{}\") to {}",
                a.type_name(),
                b.type_name(),
                a.type_name()
            )))
        }
        (BinOp::Mul, Value::Str(_) | Value::List(_) | Value::Tuple(_), _) => repeat(a, b),
        (BinOp::Mul, _, Value::Str(_) | Value::List(_) | Value::Tuple(_)) => repeat(b, a),
        _ => Err(unsupported(op, a, b)),
    }
}

fn repeat(seq: &Value, count: &Value) -> Result<Value, Exception> {
    let n = match count {
        Value::Int(n) => (*n).max(0) as usize,
        Value::Bool(b) => *b as usize,
        Value::BigInt(_) => {
            return Err(Exception::new(
                "OverflowError",
                "cannot fit 'int' into an index-sized integer",
            ))
        }
        other => {
            return Err(Exception::type_error(format!(
                "can't multiply sequence by non-int of type '{}'",
                other.type_name()
            )))
        }
    };
    let len = match seq {
        Value::Str(s) => s.len(),
        Value::List(l) => lock(l).len(),
        Value::Tuple(t) => t.len(),
        _ => 0,
    };
    check_new(len.saturating_mul(n), item_bytes(seq))?;
    Ok(match seq {
        Value::Str(s) => Value::str(s.repeat(n)),
        Value::List(l) => Value::list(repeated(&lock(l), n)),
        Value::Tuple(t) => Value::tuple(repeated(t, n)),
        _ => seq.clone(),
    })
}

fn repeated(items: &[Value], n: usize) -> Vec<Value> {
    (0..n).flat_map(|_| items.iter().cloned()).collect()
}

/// `Err(None)` means the operator does not apply to ints.
fn int_op(op: BinOp, x: i64, y: i64) -> Result<Value, Option<Exception>> {
    let big = || bigint::int_op(op, &x.into(), &y.into());
    let checked = |r: Option<i64>| r.map(Value::Int).map_or_else(big, Ok);
    match op {
        BinOp::Add => checked(x.checked_add(y)),
        BinOp::Sub => checked(x.checked_sub(y)),
        BinOp::Mul => checked(x.checked_mul(y)),
        BinOp::Div => {
            if y == 0 {
                return Err(Some(Exception::zero_division("division by zero")));
            }
            if x.unsigned_abs() > 1 << 53 || y.unsigned_abs() > 1 << 53 {
                return Ok(Value::Float(bigint::true_div(&x.into(), &y.into())?));
            }
            Ok(Value::Float(x as f64 / y as f64))
        }
        BinOp::FloorDiv | BinOp::Mod => {
            if y == 0 {
                let message = if op == BinOp::Mod {
                    "integer modulo by zero"
                } else {
                    "integer division or modulo by zero"
                };
                return Err(Some(Exception::zero_division(message)));
            }
            let (q, r) = (x.checked_div(y), x.checked_rem(y));
            let (Some(mut q), Some(mut r)) = (q, r) else {
                return big();
            };
            if r != 0 && ((r < 0) != (y < 0)) {
                q -= 1;
                r += y;
            }
            Ok(Value::Int(if op == BinOp::Mod { r } else { q }))
        }
        BinOp::Pow => {
            if y < 0 {
                return float_op(op, x as f64, y as f64);
            }
            let small_base = matches!(x, -1..=1);
            let exp = u32::try_from(y).ok();
            match exp.and_then(|e| x.checked_pow(e)) {
                Some(v) => Ok(Value::Int(v)),
                None if small_base => Ok(Value::Int(if x == -1 && y % 2 == 1 {
                    -1
                } else {
                    x.abs().min(1)
                })),
                None => big(),
            }
        }
        BinOp::LShift | BinOp::RShift => {
            if y < 0 {
                return Err(Some(Exception::value_error("negative shift count")));
            }
            if op == BinOp::RShift {
                return Ok(Value::Int(if y >= 64 {
                    if x < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    x >> y
                }));
            }
            let shifted = if y >= 64 {
                None
            } else {
                x.checked_shl(y as u32)
            };
            match shifted {
                Some(v) if v >> y == x => Ok(Value::Int(v)),
                _ if x == 0 => Ok(Value::Int(0)),
                _ => big(),
            }
        }
        BinOp::BitAnd => Ok(Value::Int(x & y)),
        BinOp::BitOr => Ok(Value::Int(x | y)),
        BinOp::BitXor => Ok(Value::Int(x ^ y)),
        BinOp::MatMul => Err(None),
    }
}

/// CPython's float floor division and modulo (signs follow the divisor).
fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0f64.copysign(x / y)
    };
    (floordiv, m)
}

fn float_op(op: BinOp, x: f64, y: f64) -> Result<Value, Option<Exception>> {
    let zero = |message: &str| Err(Some(Exception::zero_division(message)));
    Ok(Value::Float(match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div if y == 0.0 => return zero("float division by zero"),
        BinOp::Div => x / y,
        BinOp::FloorDiv if y == 0.0 => return zero("float floor division by zero"),
        BinOp::FloorDiv => float_divmod(x, y).0,
        BinOp::Mod if y == 0.0 => return zero("float modulo"),
        BinOp::Mod => float_divmod(x, y).1,
        BinOp::Pow => {
            if x == 0.0 && y < 0.0 {
                return zero("0.0 cannot be raised to a negative power");
            }
            if x < 0.0 && y.fract() != 0.0 && y.is_finite() {
                return Err(Some(Exception::value_error(
                    "negative number cannot be raised to a fractional power (complex numbers are not supported)",
                )));
            }
            let r = x.powf(y);
            if r.is_infinite() && x.is_finite() && y.is_finite() {
                return Err(Some(Exception::new(
                    "OverflowError",
                    "(34, 'Numerical result out of range')",
                )));
            }
            r
        }
        _ => return Err(None),
    }))
}

pub fn unary(op: UnaryOp, v: &Value) -> Result<Value, Exception> {
    if op == UnaryOp::Not {
        return Ok(Value::Bool(!truthy(v)?));
    }
    if let Value::Host(h) = v {
        if let Some(result) = h.unary_op(op) {
            return result;
        }
    }
    if let Value::BigInt(b) = v {
        match op {
            UnaryOp::Neg => return Ok(bigint::neg(b)),
            UnaryOp::Pos => return Ok(v.clone()),
            UnaryOp::Invert => return Ok(bigint::normalize(-(&**b) - 1)),
            UnaryOp::Not => {}
        }
    }
    match (op, num(v)) {
        (UnaryOp::Neg, Some(Num::Int(i))) => Ok(i
            .checked_neg()
            .map_or_else(|| bigint::neg(&i.into()), Value::Int)),
        (UnaryOp::Neg, Some(Num::Float(f))) => Ok(Value::Float(-f)),
        (UnaryOp::Pos, Some(Num::Int(i))) => Ok(Value::Int(i)),
        (UnaryOp::Pos, Some(Num::Float(f))) => Ok(Value::Float(f)),
        (UnaryOp::Invert, Some(Num::Int(i))) => Ok(Value::Int(!i)),
        _ => Err(Exception::type_error(format!(
            "bad operand type for unary {}: '{}'",
            op.symbol(),
            v.type_name()
        ))),
    }
}

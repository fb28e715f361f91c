//! The arithmetic, comparisons and truth tests loops do most, on plain ints, floats and
//! bools, small enough to inline into the evaluator, so they skip the dispatch through
//! special methods, tensors and promotion. `None` means "not this simple case": the caller
//! takes the general path, which gives the same result for these operands and owns every
//! error and every promotion (overflow into big ints, division by zero, mixed types).

use super::super::ast::{BinOp, CmpOp};
use super::super::value::Value;

#[inline(always)]
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Option<Value> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => match op {
            BinOp::Add => x.checked_add(*y),
            BinOp::Sub => x.checked_sub(*y),
            BinOp::Mul => x.checked_mul(*y),
            // With a positive divisor Python's floor division and modulo are the Euclidean ones.
            BinOp::Mod if *y > 0 => Some(x.rem_euclid(*y)),
            BinOp::FloorDiv if *y > 0 => Some(x.div_euclid(*y)),
            _ => None,
        }
        .map(Value::Int),
        (Value::Float(x), Value::Float(y)) => match op {
            BinOp::Add => Some(x + y),
            BinOp::Sub => Some(x - y),
            BinOp::Mul => Some(x * y),
            BinOp::Div if *y != 0.0 => Some(x / y),
            _ => None,
        }
        .map(Value::Float),
        _ => None,
    }
}

#[inline(always)]
pub fn compare(op: CmpOp, a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => ordered(op, x, y),
        (Value::Float(x), Value::Float(y)) => ordered(op, x, y),
        _ => None,
    }
}

/// `x op y` for the six ordering operators (NaN compares false but for `!=`, as in Python).
#[inline(always)]
fn ordered<T: PartialOrd>(op: CmpOp, x: &T, y: &T) -> Option<bool> {
    Some(match op {
        CmpOp::Eq => x == y,
        CmpOp::Ne => x != y,
        CmpOp::Lt => x < y,
        CmpOp::Le => x <= y,
        CmpOp::Gt => x > y,
        CmpOp::Ge => x >= y,
        _ => return None,
    })
}

#[inline(always)]
pub fn truthy(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Int(i) => Some(*i != 0),
        Value::None => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every fast result is the general path's, for operands at the edges of each case.
    #[test]
    fn agrees_with_the_general_path() {
        let ints = [i64::MIN, -7, -1, 0, 1, 3, 7, i64::MAX];
        let floats = [
            f64::NEG_INFINITY,
            -2.5,
            -0.0,
            0.0,
            1.0,
            3.0,
            f64::NAN,
            f64::INFINITY,
        ];
        let values: Vec<Value> = ints
            .iter()
            .map(|&i| Value::Int(i))
            .chain(floats.iter().map(|&f| Value::Float(f)))
            .collect();
        let ops = [
            BinOp::Add,
            BinOp::Sub,
            BinOp::Mul,
            BinOp::Div,
            BinOp::FloorDiv,
            BinOp::Mod,
            BinOp::Pow,
        ];
        let cmps = [
            CmpOp::Eq,
            CmpOp::Ne,
            CmpOp::Lt,
            CmpOp::Le,
            CmpOp::Gt,
            CmpOp::Ge,
        ];
        let mut hits = 0;
        for a in &values {
            for b in &values {
                for op in ops {
                    if let Some(fast) = binary(op, a, b) {
                        hits += 1;
                        let slow =
                            super::super::binary(op, a, b).expect("the general path succeeds");
                        assert_eq!(
                            format!("{fast:?}"),
                            format!("{slow:?}"),
                            "{a:?} {op:?} {b:?}"
                        );
                    }
                }
                for op in cmps {
                    if let Some(fast) = compare(op, a, b) {
                        hits += 1;
                        let slow = super::super::compare(op, a, b).expect("comparable");
                        assert!(
                            matches!(slow, Value::Bool(s) if s == fast),
                            "{a:?} {op:?} {b:?}"
                        );
                    }
                }
            }
            if let Some(fast) = truthy(a) {
                assert_eq!(fast, super::super::truthy(a).expect("plain value"), "{a:?}");
            }
        }
        assert!(hits > 500, "the fast paths took only {hits} cases");
    }
}

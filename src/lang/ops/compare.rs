//! Comparisons, truth values and `in`.

use std::cell::Cell;
use std::cmp::Ordering;

use super::{num, Num};
use crate::lang::ast::CmpOp;
use crate::lang::exception::Exception;
use crate::lang::value::{lock, DictViewKind, Value};

pub fn truthy(v: &Value) -> Result<bool, Exception> {
    Ok(match v {
        Value::None => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::BigInt(_) => true,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::List(l) => !lock(l).is_empty(),
        Value::Tuple(t) => !t.is_empty(),
        Value::Dict(d) | Value::DictView(_, d) => !lock(d).is_empty(),
        Value::Range(r) => !r.is_empty(),
        Value::Set(s) => !lock(s).is_empty(),
        Value::FrozenSet(s) => !s.is_empty(),
        Value::Host(h) => h.truthy()?,
        _ => true,
    })
}

/// How deeply containers may nest inside a comparison (Python's recursion limit).
const MAX_NESTING: usize = 1000;

thread_local! {
    static NESTING: Cell<usize> = const { Cell::new(0) };
}

/// Runs one level of a container comparison, refusing to go deeper than
/// `MAX_NESTING` (two self-containing lists would otherwise recurse forever).
fn nested<R>(compare: impl FnOnce() -> Result<R, Exception>) -> Result<R, Exception> {
    let depth = NESTING.get();
    if depth >= MAX_NESTING {
        return Err(Exception::new(
            "RecursionError",
            "maximum recursion depth exceeded in comparison",
        ));
    }
    NESTING.set(depth + 1);
    let result = compare();
    NESTING.set(depth);
    result
}

/// `a == b` as a plain boolean (list membership, `index`, dict values).
pub fn equals(a: &Value, b: &Value) -> Result<bool, Exception> {
    if a.is(b) && !matches!(a, Value::Float(f) if f.is_nan()) {
        return Ok(true);
    }
    truthy(&compare(CmpOp::Eq, a, b)?)
}

fn ordering_result(op: CmpOp, ord: Option<Ordering>) -> bool {
    match (op, ord) {
        (CmpOp::Eq, o) => o == Some(Ordering::Equal),
        (CmpOp::Ne, o) => o != Some(Ordering::Equal),
        (CmpOp::Lt, o) => o == Some(Ordering::Less),
        (CmpOp::Le, o) => matches!(o, Some(Ordering::Less | Ordering::Equal)),
        (CmpOp::Gt, o) => o == Some(Ordering::Greater),
        (CmpOp::Ge, o) => matches!(o, Some(Ordering::Greater | Ordering::Equal)),
        _ => false,
    }
}

/// One comparison `a op b`; the result is a value because tensors compare elementwise.
pub fn compare(op: CmpOp, a: &Value, b: &Value) -> Result<Value, Exception> {
    // Plain numbers first: they are most of what loops compare.
    let ordered = !matches!(op, CmpOp::Is | CmpOp::IsNot | CmpOp::In | CmpOp::NotIn);
    match (a, b) {
        (Value::Int(x), Value::Int(y)) if ordered => {
            return Ok(Value::Bool(ordering_result(op, Some(x.cmp(y)))))
        }
        (Value::Float(x), Value::Float(y)) if ordered => {
            return Ok(Value::Bool(ordering_result(op, x.partial_cmp(y))))
        }
        _ => {}
    }
    match op {
        CmpOp::Is => return Ok(Value::Bool(a.is(b))),
        CmpOp::IsNot => return Ok(Value::Bool(!a.is(b))),
        CmpOp::In => return contains(b, a).map(Value::Bool),
        CmpOp::NotIn => return contains(b, a).map(|c| Value::Bool(!c)),
        _ => {}
    }
    if let Some(result) = super::sets::compare(op, a, b) {
        return Ok(Value::Bool(result));
    }
    if let Value::Host(h) = a {
        if let Some(result) = h.compare(op, b, false) {
            return result;
        }
    }
    if let Value::Host(h) = b {
        if let Some(result) = h.compare(op, a, true) {
            return result;
        }
    }
    let ord = match (a, b) {
        (Value::BigInt(_), _) | (_, Value::BigInt(_))
            if super::bigint::to_big(a).is_some() && super::bigint::to_big(b).is_some() =>
        {
            super::bigint::to_big(a).partial_cmp(&super::bigint::to_big(b))
        }
        (Value::BigInt(x), Value::Float(f)) => super::bigint::cmp_float(x, *f),
        (Value::Float(f), Value::BigInt(x)) => {
            super::bigint::cmp_float(x, *f).map(Ordering::reverse)
        }
        _ if num(a).is_some() && num(b).is_some() => match (num(a), num(b)) {
            (Some(Num::Int(x)), Some(Num::Int(y))) => Some(x.cmp(&y)),
            (Some(Num::Int(x)), Some(Num::Float(y))) => super::bigint::cmp_i64_float(x, y),
            (Some(Num::Float(x)), Some(Num::Int(y))) => {
                super::bigint::cmp_i64_float(y, x).map(Ordering::reverse)
            }
            (Some(Num::Float(x)), Some(Num::Float(y))) => x.partial_cmp(&y),
            _ => None,
        },
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::List(x), Value::List(y)) => {
            // One lock at a time: `x` and `y` may be the same list.
            let x = lock(x).clone();
            let y = lock(y).clone();
            return nested(|| compare_sequences(op, &x, &y));
        }
        (Value::Tuple(x), Value::Tuple(y)) => return nested(|| compare_sequences(op, x, y)),
        (Value::Dict(_), Value::Dict(_)) if matches!(op, CmpOp::Eq | CmpOp::Ne) => {
            let same = nested(|| dicts_equal(a, b))?;
            return Ok(Value::Bool(same == (op == CmpOp::Eq)));
        }
        (Value::Range(x), Value::Range(y)) if matches!(op, CmpOp::Eq | CmpOp::Ne) => {
            let same = x.len() == y.len()
                && (x.is_empty() || (x.start == y.start && (x.len() == 1 || x.step == y.step)));
            return Ok(Value::Bool(same == (op == CmpOp::Eq)));
        }
        _ if matches!(op, CmpOp::Eq | CmpOp::Ne) => {
            return Ok(Value::Bool(a.is(b) == (op == CmpOp::Eq)));
        }
        _ => {
            return Err(Exception::type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                a.type_name(),
                b.type_name()
            )))
        }
    };
    Ok(Value::Bool(ordering_result(op, ord)))
}

fn dicts_equal(a: &Value, b: &Value) -> Result<bool, Exception> {
    let (Value::Dict(x), Value::Dict(y)) = (a, b) else {
        return Ok(false);
    };
    // One lock at a time (in two statements: a guard lives to the end of its statement),
    // since `x` and `y` may be the same dict.
    let x = lock(x).clone();
    let y = lock(y).clone();
    if let Some(same) = crate::lang::collections::dicts_equal(&x, &y) {
        return same;
    }
    if x.len() != y.len() {
        return Ok(false);
    }
    for (k, v) in x.items() {
        match y.get(&k)? {
            Some(w) if equals(&v, &w)? => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

/// Lexicographic comparison: the first unequal pair decides, else the lengths.
fn compare_sequences(op: CmpOp, x: &[Value], y: &[Value]) -> Result<Value, Exception> {
    for (a, b) in x.iter().zip(y) {
        if !equals(a, b)? {
            return match op {
                CmpOp::Eq => Ok(Value::Bool(false)),
                CmpOp::Ne => Ok(Value::Bool(true)),
                _ => compare(op, a, b),
            };
        }
    }
    Ok(Value::Bool(ordering_result(
        op,
        Some(x.len().cmp(&y.len())),
    )))
}

/// `item in container`.
pub fn contains(container: &Value, item: &Value) -> Result<bool, Exception> {
    let any_equal = |items: &[Value]| -> Result<bool, Exception> {
        for v in items {
            if equals(v, item)? {
                return Ok(true);
            }
        }
        Ok(false)
    };
    match container {
        Value::List(l) => {
            let items = lock(l).clone();
            any_equal(&items)
        }
        Value::Tuple(t) => any_equal(t),
        Value::Str(s) => match item {
            Value::Str(sub) => Ok(s.contains(&**sub)),
            other => Err(Exception::type_error(format!(
                "'in <string>' requires string as left operand, not {}",
                other.type_name()
            ))),
        },
        Value::Dict(d) | Value::DictView(DictViewKind::Keys, d) => lock(d).contains(item),
        Value::DictView(DictViewKind::Values, d) => {
            let values = lock(d).values();
            any_equal(&values)
        }
        Value::DictView(DictViewKind::Items, d) => {
            let items: Vec<Value> = lock(d)
                .items()
                .into_iter()
                .map(|(k, v)| Value::tuple(vec![k, v]))
                .collect();
            any_equal(&items)
        }
        Value::Range(r) => Ok(match num(item) {
            Some(Num::Int(i)) => {
                let offset = i as i128 - r.start as i128;
                let in_bounds = if r.step > 0 {
                    i >= r.start && i < r.stop
                } else {
                    i <= r.start && i > r.stop
                };
                in_bounds && offset % r.step as i128 == 0
            }
            Some(Num::Float(f)) => f.fract() == 0.0 && contains(container, &Value::Int(f as i64))?,
            None => false,
        }),
        Value::Set(s) => lock(s).contains(item),
        Value::FrozenSet(s) => s.contains(item),
        Value::Host(h) => match h.iterate() {
            Some(items) => any_equal(&items?),
            None => Err(not_iterable_argument(container)),
        },
        other => Err(not_iterable_argument(other)),
    }
}

fn not_iterable_argument(v: &Value) -> Exception {
    Exception::type_error(format!(
        "argument of type '{}' is not iterable",
        v.type_name()
    ))
}

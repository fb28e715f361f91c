//! Operators on sets and frozensets: `| & - ^` and the subset comparisons.

use std::sync::Arc;

use crate::lang::ast::{BinOp, CmpOp};
use crate::lang::exception::Exception;
use crate::lang::set::PySet;
use crate::lang::value::{lock, shared, Value};

/// The table behind a set or frozenset (a snapshot for mutable sets).
pub fn as_set(v: &Value) -> Option<PySet> {
    match v {
        Value::Set(s) => Some(lock(s).copy()),
        Value::FrozenSet(s) => Some(s.copy()),
        _ => None,
    }
}

/// A result of the same kind as `like` (`set | frozenset` is a set).
pub fn same_kind(like: &Value, table: PySet) -> Value {
    match like {
        Value::FrozenSet(_) => Value::FrozenSet(Arc::new(table)),
        _ => Value::Set(shared(table)),
    }
}

/// `a op b` when `a` is a set; `None` when the operator does not apply to sets.
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Option<Result<Value, Exception>> {
    let x = as_set(a)?;
    if !matches!(
        op,
        BinOp::BitOr | BinOp::BitAnd | BinOp::Sub | BinOp::BitXor
    ) {
        return None;
    }
    let y = as_set(b)?;
    let table = match op {
        BinOp::BitOr => x.union(&y),
        BinOp::BitAnd => x.intersection(&y),
        BinOp::Sub => x.difference(&y),
        _ => x.symmetric_difference(&y),
    };
    Some(Ok(same_kind(a, table)))
}

/// Set comparisons: equality and the subset/superset orders.
pub fn compare(op: CmpOp, a: &Value, b: &Value) -> Option<bool> {
    let (x, y) = (as_set(a)?, as_set(b)?);
    Some(match op {
        CmpOp::Eq => x.len() == y.len() && x.is_subset(&y),
        CmpOp::Ne => !(x.len() == y.len() && x.is_subset(&y)),
        CmpOp::Le => x.is_subset(&y),
        CmpOp::Lt => x.len() < y.len() && x.is_subset(&y),
        CmpOp::Ge => x.is_superset(&y),
        CmpOp::Gt => x.len() > y.len() && x.is_superset(&y),
        _ => return None,
    })
}

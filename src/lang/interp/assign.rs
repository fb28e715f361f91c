//! Assignment targets: names, tuples (unpacking), attributes, subscripts; `op=` and `del`.

use super::super::ast::{BinOp, Expr, ExprKind};
use super::super::exception::Exception;
use super::super::index;
use super::super::ops;
use super::super::value::{lock, Value};
use super::iter::collect;
use super::Interp;

impl Interp<'_> {
    pub(crate) fn assign(&mut self, target: &Expr, value: Value) -> Result<(), Exception> {
        match &target.kind {
            ExprKind::Name(name) => {
                self.bind(name, value);
                Ok(())
            }
            ExprKind::Tuple(targets) | ExprKind::List(targets) => {
                let items = unpack(&value, targets.len()).map_err(|e| e.at(target.span))?;
                for (t, v) in targets.iter().zip(items) {
                    self.assign(t, v)?;
                }
                Ok(())
            }
            ExprKind::Attribute {
                value: object,
                attr,
            } => {
                let object = self.eval(object)?;
                self.set_attr(&object, attr, value)
                    .map_err(|e| e.at(target.span))
            }
            ExprKind::Subscript {
                value: object,
                index,
            } => {
                let object = self.eval(object)?;
                let index = self.eval(index)?;
                index::set_item(&object, &index, value).map_err(|e| e.at(target.span))
            }
            _ => Err(Exception::new("SyntaxError", "cannot assign to expression").at(target.span)),
        }
    }

    fn set_attr(&mut self, object: &Value, attr: &str, value: Value) -> Result<(), Exception> {
        match object {
            Value::Host(h) => h.set_attr(attr, value),
            other => Err(Exception::attribute_error(format!(
                "'{}' object attribute '{attr}' is read-only",
                other.type_name()
            ))),
        }
    }

    /// `target op= value`: the target's parts are evaluated once; hosts may update in place.
    pub(crate) fn aug_assign(
        &mut self,
        target: &Expr,
        op: BinOp,
        value: &Expr,
    ) -> Result<(), Exception> {
        match &target.kind {
            ExprKind::Name(name) => {
                let current = self.lookup(name).map_err(|e| e.at(target.span))?;
                let rhs = self.eval(value)?;
                let new =
                    inplace(op, &current, &rhs).map_err(|e| e.at(target.span.to(value.span)))?;
                self.bind(name, new);
            }
            ExprKind::Attribute {
                value: object,
                attr,
            } => {
                let object = self.eval(object)?;
                let current = self
                    .get_attr(&object, attr)
                    .map_err(|e| e.at(target.span))?;
                let rhs = self.eval(value)?;
                let new =
                    inplace(op, &current, &rhs).map_err(|e| e.at(target.span.to(value.span)))?;
                self.set_attr(&object, attr, new)
                    .map_err(|e| e.at(target.span))?;
            }
            ExprKind::Subscript {
                value: object,
                index,
            } => {
                let object = self.eval(object)?;
                let index = self.eval(index)?;
                let current = index::get_item(&object, &index).map_err(|e| e.at(target.span))?;
                let rhs = self.eval(value)?;
                let new =
                    inplace(op, &current, &rhs).map_err(|e| e.at(target.span.to(value.span)))?;
                index::set_item(&object, &index, new).map_err(|e| e.at(target.span))?;
            }
            _ => {
                return Err(Exception::new(
                    "SyntaxError",
                    "illegal expression for augmented assignment",
                ))
            }
        }
        Ok(())
    }

    pub(crate) fn delete(&mut self, target: &Expr) -> Result<(), Exception> {
        match &target.kind {
            ExprKind::Name(name) => self.unbind(name).map_err(|e| e.at(target.span)),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().try_for_each(|t| self.delete(t))
            }
            ExprKind::Subscript { value, index } => {
                let object = self.eval(value)?;
                let index = self.eval(index)?;
                index::del_item(&object, &index).map_err(|e| e.at(target.span))
            }
            _ => Err(Exception::attribute_error("cannot delete this attribute").at(target.span)),
        }
    }
}

/// `a op= b`: lists extend in place and hosts may update in place; otherwise `a op b`.
fn inplace(op: BinOp, current: &Value, rhs: &Value) -> Result<Value, Exception> {
    match (op, current) {
        (BinOp::Add, Value::List(list)) => {
            let items = collect(rhs)?;
            lock(list).extend(items);
            Ok(current.clone())
        }
        (_, Value::Host(h)) => match h.inplace_op(current, op, rhs) {
            Some(result) => result,
            None => ops::binary(op, current, rhs),
        },
        _ => ops::binary(op, current, rhs),
    }
}

/// Unpacks `value` into exactly `n` items, with Python's messages.
fn unpack(value: &Value, n: usize) -> Result<Vec<Value>, Exception> {
    let items = match value {
        Value::Int(_)
        | Value::Float(_)
        | Value::Bool(_)
        | Value::None
        | Value::Function(_)
        | Value::Native(_) => {
            return Err(Exception::type_error(format!(
                "cannot unpack non-iterable {} object",
                value.type_name()
            )))
        }
        other => collect(other)?,
    };
    match items.len() {
        len if len > n => Err(Exception::value_error(format!(
            "too many values to unpack (expected {n})"
        ))),
        len if len < n => Err(Exception::value_error(format!(
            "not enough values to unpack (expected {n}, got {len})"
        ))),
        _ => Ok(items),
    }
}

//! Assignment targets: names, tuples (unpacking), attributes, subscripts; `op=` and `del`.

use super::super::ast::{BinOp, Expr, ExprKind, ScopedName};
use super::super::exception::Exception;
use super::super::ops;
use super::super::value::{lock, Value};
use super::{not_defined, Interp};

impl Interp<'_> {
    pub(crate) fn assign(&mut self, target: &Expr, value: Value) -> Result<(), Exception> {
        match &target.kind {
            ExprKind::Name(name) => {
                self.bind(name, value);
                Ok(())
            }
            ExprKind::Local { slot, .. } => {
                self.write_slot(*slot, value);
                Ok(())
            }
            ExprKind::Global(g) => {
                self.store_global(g, value);
                Ok(())
            }
            ExprKind::Scoped(s) => {
                self.store_scoped(s, value);
                Ok(())
            }
            ExprKind::Tuple(targets) | ExprKind::List(targets) => {
                let items = self
                    .unpack(&value, targets)
                    .map_err(|e| e.at(target.span))?;
                for (t, v) in targets.iter().zip(items) {
                    match &t.kind {
                        ExprKind::Starred(inner) => self.assign(inner, v)?,
                        _ => self.assign(t, v)?,
                    }
                }
                Ok(())
            }
            ExprKind::Attribute {
                value: object,
                attr,
            } => {
                let object = self.eval(object)?;
                self.store_attr(&object, attr, value)
                    .map_err(|e| e.at(target.span))
            }
            ExprKind::Subscript {
                value: object,
                index,
            } => {
                let object = self.eval(object)?;
                let index = self.eval(index)?;
                self.set_item(&object, &index, value)
                    .map_err(|e| e.at(target.span))
            }
            _ => Err(Exception::new("SyntaxError", "cannot assign to expression").at(target.span)),
        }
    }

    /// `current op value` for a name target: its read blamed on the target, the operation on
    /// the whole statement.
    fn updated(
        &mut self,
        current: Result<Value, Exception>,
        target: &Expr,
        op: BinOp,
        value: &Expr,
    ) -> Result<Value, Exception> {
        let current = current.map_err(|e| e.at(target.span))?;
        let rhs = self.eval(value)?;
        self.inplace(op, &current, &rhs)
            .map_err(|e| e.at(target.span.to(value.span)))
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
                let current = self.lookup(name);
                let new = self.updated(current, target, op, value)?;
                self.bind(name, new);
            }
            ExprKind::Local { slot, name } => {
                let current = self.read_slot(*slot, name);
                let new = self.updated(current, target, op, value)?;
                self.write_slot(*slot, new);
            }
            ExprKind::Global(g) => {
                let current = self.load_global(g);
                let new = self.updated(current, target, op, value)?;
                self.store_global(g, new);
            }
            ExprKind::Scoped(s) => {
                let current = self.load_scoped(s);
                let new = self.updated(current, target, op, value)?;
                self.store_scoped(s, new);
            }
            ExprKind::Attribute {
                value: object,
                attr,
            } => {
                let object = self.eval(object)?;
                let current = self
                    .load_attr(&object, attr)
                    .map_err(|e| e.at(target.span))?;
                let rhs = self.eval(value)?;
                let new = self
                    .inplace(op, &current, &rhs)
                    .map_err(|e| e.at(target.span.to(value.span)))?;
                self.store_attr(&object, attr, new)
                    .map_err(|e| e.at(target.span))?;
            }
            ExprKind::Subscript {
                value: object,
                index,
            } => {
                let object = self.eval(object)?;
                let index = self.eval(index)?;
                let current = self
                    .get_item(&object, &index)
                    .map_err(|e| e.at(target.span))?;
                let rhs = self.eval(value)?;
                let new = self
                    .inplace(op, &current, &rhs)
                    .map_err(|e| e.at(target.span.to(value.span)))?;
                self.set_item(&object, &index, new)
                    .map_err(|e| e.at(target.span))?;
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
            ExprKind::Name(name) | ExprKind::Scoped(ScopedName { name, .. }) => {
                self.unbind(name).map_err(|e| e.at(target.span))
            }
            ExprKind::Local { slot, name } => {
                self.unbind_slot(*slot, name).map_err(|e| e.at(target.span))
            }
            ExprKind::Global(g) => match self.globals.remove(&g.name) {
                true => Ok(()),
                false => Err(not_defined(&g.name).at(target.span)),
            },
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().try_for_each(|t| self.delete(t))
            }
            ExprKind::Subscript { value, index } => {
                let object = self.eval(value)?;
                let index = self.eval(index)?;
                self.del_item(&object, &index)
                    .map_err(|e| e.at(target.span))
            }
            ExprKind::Attribute { value, attr } => {
                let object = self.eval(value)?;
                self.del_attr(&object, &attr.name)
                    .map_err(|e| e.at(target.span))
            }
            _ => Err(Exception::attribute_error("cannot delete this attribute").at(target.span)),
        }
    }

    /// `a op= b`: lists extend in place, instances use `__iop__`, hosts may update in place;
    /// otherwise `a op b`.
    fn inplace(&mut self, op: BinOp, current: &Value, rhs: &Value) -> Result<Value, Exception> {
        if let Some(v) = ops::fast::binary(op, current, rhs) {
            return Ok(v);
        }
        match (op, current) {
            (BinOp::Add, Value::List(list)) => {
                let items = self.collect(rhs)?;
                lock(list).extend(items);
                Ok(current.clone())
            }
            (BinOp::BitOr, Value::Dict(_)) => {
                match crate::lang::methods::dict_update_in_place(current, rhs) {
                    Some(result) => result,
                    None => self.binary_op(op, current, rhs),
                }
            }
            (_, Value::Instance(_)) => match self.inplace_dunder(op, current, rhs)? {
                Some(v) => Ok(v),
                None => self.binary_op(op, current, rhs),
            },
            (_, Value::Host(h)) => match h.inplace_op(current, op, rhs) {
                Some(result) => result,
                None => self.binary_op(op, current, rhs),
            },
            _ => self.binary_op(op, current, rhs),
        }
    }

    /// Unpacks `value` into `targets` (one of which may be starred), with Python's messages.
    fn unpack(&mut self, value: &Value, targets: &[Expr]) -> Result<Vec<Value>, Exception> {
        let n = targets.len();
        let star = targets
            .iter()
            .position(|t| matches!(t.kind, ExprKind::Starred(_)));
        if matches!(
            value,
            Value::Int(_)
                | Value::Float(_)
                | Value::Bool(_)
                | Value::None
                | Value::Function(_)
                | Value::Native(_)
        ) {
            return Err(Exception::type_error(format!(
                "cannot unpack non-iterable {} object",
                value.type_name()
            )));
        }
        let mut items = self.collect(value)?;
        let Some(star) = star else {
            return match items.len() {
                len if len > n => Err(Exception::value_error(format!(
                    "too many values to unpack (expected {n})"
                ))),
                len if len < n => Err(Exception::value_error(format!(
                    "not enough values to unpack (expected {n}, got {len})"
                ))),
                _ => Ok(items),
            };
        };
        let fixed = n - 1;
        if items.len() < fixed {
            return Err(Exception::value_error(format!(
                "not enough values to unpack (expected at least {fixed}, got {})",
                items.len()
            )));
        }
        let after = n - star - 1;
        let tail = items.split_off(items.len() - after);
        let middle = items.split_off(star);
        items.push(Value::list(middle));
        items.extend(tail);
        Ok(items)
    }
}

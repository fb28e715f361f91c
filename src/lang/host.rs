//! The interface through which the host program (tensors, modules, the `torch` namespace)
//! plugs objects into the language.

use std::any::Any;

use super::ast::{BinOp, CmpOp, UnaryOp};
use super::exception::Exception;
use super::interp::Interp;
use super::value::{Args, Value};

/// An object implemented by the host program. Every method has a default that behaves like a
/// Python object lacking the corresponding dunder method.
pub trait HostObject: Send + Sync + Any {
    /// The class name shown in messages, e.g. `Tensor`.
    fn type_name(&self) -> String;
    /// The class as `type(x)` prints it, e.g. `torch.Tensor`.
    fn qualified_type_name(&self) -> String {
        self.type_name()
    }
    fn repr(&self) -> String;
    fn str(&self) -> String {
        self.repr()
    }
    fn as_any(&self) -> &dyn Any;
    /// The object's identity for `is`, when wrappers made at different times can
    /// stand for one object (`w.grad is w.grad`); `None` compares the wrappers.
    fn identity(&self) -> Option<usize> {
        None
    }

    /// `this.name`; `this` is the value holding `self` (for bound methods).
    fn get_attr(&self, this: &Value, name: &str) -> Result<Value, Exception> {
        let _ = this;
        Err(Exception::attribute_error(format!(
            "'{}' object has no attribute '{name}'",
            self.type_name()
        )))
    }
    fn set_attr(&self, name: &str, value: Value) -> Result<(), Exception> {
        let _ = value;
        Err(Exception::attribute_error(format!(
            "'{}' object has no attribute '{name}'",
            self.type_name()
        )))
    }
    /// `callable(self)`.
    fn is_callable(&self) -> bool {
        false
    }
    fn call(&self, interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
        let _ = (interp, args);
        Err(Exception::type_error(format!(
            "'{}' object is not callable",
            self.type_name()
        )))
    }
    /// `self op other` (or `other op self` when `reflected`); `None` means not supported.
    fn binary_op(
        &self,
        op: BinOp,
        other: &Value,
        reflected: bool,
    ) -> Option<Result<Value, Exception>> {
        let _ = (op, other, reflected);
        None
    }
    /// `self op= other`, in place; returns the value to rebind (normally `this`, the value
    /// holding `self`). `None` falls back to `binary_op`.
    fn inplace_op(
        &self,
        this: &Value,
        op: BinOp,
        other: &Value,
    ) -> Option<Result<Value, Exception>> {
        let _ = (this, op, other);
        None
    }
    fn unary_op(&self, op: UnaryOp) -> Option<Result<Value, Exception>> {
        let _ = op;
        None
    }
    /// Rich comparison; `None` means not supported (`==`/`!=` then compare identity).
    fn compare(
        &self,
        op: CmpOp,
        other: &Value,
        reflected: bool,
    ) -> Option<Result<Value, Exception>> {
        let _ = (op, other, reflected);
        None
    }
    fn get_item(&self, index: &Value) -> Result<Value, Exception> {
        let _ = index;
        Err(Exception::type_error(format!(
            "'{}' object is not subscriptable",
            self.type_name()
        )))
    }
    fn set_item(&self, index: &Value, value: Value) -> Result<(), Exception> {
        let _ = (index, value);
        Err(Exception::type_error(format!(
            "'{}' object does not support item assignment",
            self.type_name()
        )))
    }
    /// The items of `iter(self)`, or `None` if not iterable.
    fn iterate(&self) -> Option<Result<Vec<Value>, Exception>> {
        None
    }
    /// `len(self)`, or `None` if it has no length.
    fn length(&self) -> Option<Result<usize, Exception>> {
        None
    }
    fn truthy(&self) -> Result<bool, Exception> {
        Ok(true)
    }
    /// `format(self, spec)`; the default accepts only an empty spec.
    fn format(&self, spec: &str) -> Result<String, Exception> {
        if spec.is_empty() {
            Ok(self.str())
        } else {
            Err(Exception::type_error(format!(
                "unsupported format string passed to {}.__format__",
                self.type_name()
            )))
        }
    }
    /// `float(self)` / `int(self)` conversions, when supported.
    fn to_float(&self) -> Option<Result<f64, Exception>> {
        None
    }
    fn to_int(&self) -> Option<Result<i64, Exception>> {
        None
    }
    /// `with self:` enter and exit.
    fn enter(&self, interp: &mut Interp<'_>) -> Result<Value, Exception> {
        let _ = interp;
        Err(Exception::type_error(format!(
            "'{}' object does not support the context manager protocol",
            self.type_name()
        )))
    }
    fn exit(&self, interp: &mut Interp<'_>) -> Result<(), Exception> {
        let _ = interp;
        Ok(())
    }
    /// The items, when `self` is an instance of a tuple subclass (a `namedtuple`): it then
    /// hashes, keys dicts and passes `isinstance(x, tuple)` as its tuple does.
    fn as_tuple(&self) -> Option<std::sync::Arc<[Value]>> {
        None
    }
    /// When `self` is a class: `isinstance(value, self)`.
    fn instance_check(&self, value: &Value) -> Option<bool> {
        let _ = value;
        None
    }
}

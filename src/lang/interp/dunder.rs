//! The special methods a user class can define, honoured by operators, truth tests,
//! subscripts, `len`, `str`/`repr`, `format` and `hash`. Values that are not instances go
//! straight to the built-in implementations in `ops`, `index`, `repr` and `format`.

use std::sync::Arc;

use super::super::ast::{BinOp, CmpOp, UnaryOp};
use super::super::exception::Exception;
use super::super::format::format_value;
use super::super::index;
use super::super::object::{not_implemented, Class};
use super::super::ops;
use super::super::repr::repr;
use super::super::set::PySet;
use super::super::value::{lock, Args, Value};
use super::attributes::bind_class_attr;
use super::Interp;

fn binary_names(op: BinOp) -> (&'static str, &'static str, &'static str) {
    match op {
        BinOp::Add => ("__add__", "__radd__", "__iadd__"),
        BinOp::Sub => ("__sub__", "__rsub__", "__isub__"),
        BinOp::Mul => ("__mul__", "__rmul__", "__imul__"),
        BinOp::MatMul => ("__matmul__", "__rmatmul__", "__imatmul__"),
        BinOp::Div => ("__truediv__", "__rtruediv__", "__itruediv__"),
        BinOp::FloorDiv => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
        BinOp::Mod => ("__mod__", "__rmod__", "__imod__"),
        BinOp::Pow => ("__pow__", "__rpow__", "__ipow__"),
        BinOp::LShift => ("__lshift__", "__rlshift__", "__ilshift__"),
        BinOp::RShift => ("__rshift__", "__rrshift__", "__irshift__"),
        BinOp::BitAnd => ("__and__", "__rand__", "__iand__"),
        BinOp::BitOr => ("__or__", "__ror__", "__ior__"),
        BinOp::BitXor => ("__xor__", "__rxor__", "__ixor__"),
    }
}

/// `(method, reflected method)` of a rich comparison.
fn compare_names(op: CmpOp) -> Option<(&'static str, &'static str)> {
    Some(match op {
        CmpOp::Lt => ("__lt__", "__gt__"),
        CmpOp::Le => ("__le__", "__ge__"),
        CmpOp::Gt => ("__gt__", "__lt__"),
        CmpOp::Ge => ("__ge__", "__le__"),
        CmpOp::Eq => ("__eq__", "__eq__"),
        CmpOp::Ne => ("__ne__", "__ne__"),
        _ => return None,
    })
}

fn is_not_implemented(v: &Value) -> bool {
    v.is(&not_implemented())
}

fn instance_class(v: &Value) -> Option<&Arc<Class>> {
    match v {
        Value::Instance(i) => Some(&i.class),
        _ => None,
    }
}

impl Interp<'_> {
    /// Calls `obj.name(*args)` when `obj` is an instance whose class defines `name`.
    pub(crate) fn call_dunder(
        &mut self,
        obj: &Value,
        name: &str,
        args: impl IntoIterator<Item = Value>,
    ) -> Result<Option<Value>, Exception> {
        self.call_dunder_with(obj, name, args, Vec::new())
    }

    pub(crate) fn call_dunder_args(
        &mut self,
        obj: &Value,
        name: &str,
        args: Args,
    ) -> Result<Option<Value>, Exception> {
        self.call_dunder_with(obj, name, args.positional, args.keywords)
    }

    /// A plain function from the class gets `obj` as its first argument, with no bound
    /// method made for the call.
    fn call_dunder_with(
        &mut self,
        obj: &Value,
        name: &str,
        args: impl IntoIterator<Item = Value>,
        keywords: Vec<(String, Value)>,
    ) -> Result<Option<Value>, Exception> {
        let Some(class) = instance_class(obj) else {
            return Ok(None);
        };
        let Some(method) = class.lookup(name) else {
            return Ok(None);
        };
        if let Value::Function(f) = &method {
            return self
                .call_with_receiver(f, obj.clone(), args, keywords)
                .map(Some);
        }
        let method = bind_class_attr(method, obj, class);
        let args = Args {
            positional: args.into_iter().collect(),
            keywords,
        };
        self.call(&method, args).map(Some)
    }

    pub(crate) fn binary_op(
        &mut self,
        op: BinOp,
        a: &Value,
        b: &Value,
    ) -> Result<Value, Exception> {
        let (a_class, b_class) = (instance_class(a), instance_class(b));
        if a_class.is_none() && b_class.is_none() {
            return ops::binary(op, a, b);
        }
        let (name, rname, _) = binary_names(op);
        // A subclass's reflected method goes first, as in Python.
        let b_first = match (a_class, b_class) {
            (Some(ac), Some(bc)) => !Arc::ptr_eq(ac, bc) && bc.is_subclass_of(ac),
            _ => false,
        };
        let same_class = matches!((a_class, b_class), (Some(ac), Some(bc)) if Arc::ptr_eq(ac, bc));
        if b_first {
            if let Some(r) = self.call_dunder(b, rname, [a.clone()])? {
                if !is_not_implemented(&r) {
                    return Ok(r);
                }
            }
        }
        if let Some(r) = self.call_dunder(a, name, [b.clone()])? {
            if !is_not_implemented(&r) {
                return Ok(r);
            }
        }
        if !b_first && !same_class {
            if let Some(r) = self.call_dunder(b, rname, [a.clone()])? {
                if !is_not_implemented(&r) {
                    return Ok(r);
                }
            }
        }
        let symbol = if op == BinOp::Pow {
            "** or pow()"
        } else {
            op.symbol()
        };
        Err(Exception::type_error(format!(
            "unsupported operand type(s) for {symbol}: '{}' and '{}'",
            a.type_name(),
            b.type_name()
        )))
    }

    /// `a op= b` for instances: `__iop__`, else the binary operator.
    pub(crate) fn inplace_dunder(
        &mut self,
        op: BinOp,
        a: &Value,
        b: &Value,
    ) -> Result<Option<Value>, Exception> {
        let (_, _, iname) = binary_names(op);
        if let Some(r) = self.call_dunder(a, iname, [b.clone()])? {
            if !is_not_implemented(&r) {
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    pub(crate) fn unary_op(&mut self, op: UnaryOp, v: &Value) -> Result<Value, Exception> {
        if op == UnaryOp::Not {
            return Ok(Value::Bool(!self.truthy(v)?));
        }
        if instance_class(v).is_none() {
            return ops::unary(op, v);
        }
        let name = match op {
            UnaryOp::Neg => "__neg__",
            UnaryOp::Pos => "__pos__",
            _ => "__invert__",
        };
        match self.call_dunder(v, name, Vec::new())? {
            Some(r) => Ok(r),
            None => Err(Exception::type_error(format!(
                "bad operand type for unary {}: '{}'",
                op.symbol(),
                v.type_name()
            ))),
        }
    }

    pub(crate) fn compare_op(
        &mut self,
        op: CmpOp,
        a: &Value,
        b: &Value,
    ) -> Result<Value, Exception> {
        match op {
            CmpOp::In => return self.contains(b, a).map(Value::Bool),
            CmpOp::NotIn => return self.contains(b, a).map(|c| Value::Bool(!c)),
            _ => {}
        }
        let (a_class, b_class) = (instance_class(a), instance_class(b));
        let Some((name, rname)) = compare_names(op) else {
            return ops::compare(op, a, b);
        };
        if a_class.is_none() && b_class.is_none() {
            return ops::compare(op, a, b);
        }
        let b_first = match (a_class, b_class) {
            (Some(ac), Some(bc)) => !Arc::ptr_eq(ac, bc) && bc.is_subclass_of(ac),
            _ => false,
        };
        let order: [(&Value, &str, &Value); 2] = if b_first {
            [(b, rname, a), (a, name, b)]
        } else {
            [(a, name, b), (b, rname, a)]
        };
        for (x, method, y) in order {
            if let Some(r) = self.call_dunder(x, method, [y.clone()])? {
                if !is_not_implemented(&r) {
                    return Ok(r);
                }
            }
        }
        match op {
            CmpOp::Eq => Ok(Value::Bool(a.is(b))),
            CmpOp::Ne => {
                // `!=` inverts a user `__eq__` when there is no `__ne__`.
                if let Some(r) = self.call_dunder(a, "__eq__", [b.clone()])? {
                    if !is_not_implemented(&r) {
                        return Ok(Value::Bool(!self.truthy(&r)?));
                    }
                }
                Ok(Value::Bool(!a.is(b)))
            }
            _ => Err(Exception::type_error(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                a.type_name(),
                b.type_name()
            ))),
        }
    }

    /// `bool(v)`: `__bool__`, then `__len__`.
    #[inline]
    pub fn truthy(&mut self, v: &Value) -> Result<bool, Exception> {
        match ops::fast::truthy(v) {
            Some(b) => Ok(b),
            None => self.truthy_general(v),
        }
    }

    #[inline(never)]
    fn truthy_general(&mut self, v: &Value) -> Result<bool, Exception> {
        if instance_class(v).is_none() {
            return ops::truthy(v);
        }
        if let Some(r) = self.call_dunder(v, "__bool__", Vec::new())? {
            return match r {
                Value::Bool(b) => Ok(b),
                other => Err(Exception::type_error(format!(
                    "__bool__ should return bool, returned {}",
                    other.type_name()
                ))),
            };
        }
        match self.call_dunder(v, "__len__", Vec::new())? {
            Some(n) => Ok(self.length_result(n)? != 0),
            None => Ok(true),
        }
    }

    fn length_result(&self, n: Value) -> Result<usize, Exception> {
        match n {
            Value::Int(i) if i >= 0 => Ok(i as usize),
            Value::Bool(b) => Ok(b as usize),
            Value::Int(_) => Err(Exception::value_error("__len__() should return >= 0")),
            other => Err(Exception::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            ))),
        }
    }

    /// `len(v)`.
    pub fn len_of(&mut self, v: &Value) -> Result<usize, Exception> {
        if instance_class(v).is_some() {
            return match self.call_dunder(v, "__len__", Vec::new())? {
                Some(n) => self.length_result(n),
                None => Err(Exception::type_error(format!(
                    "object of type '{}' has no len()",
                    v.type_name()
                ))),
            };
        }
        super::super::builtins::builtin_len(v)
    }

    /// `item in container`.
    pub fn contains(&mut self, container: &Value, item: &Value) -> Result<bool, Exception> {
        if let Some(hash) = self.custom_hash(item)? {
            match container {
                Value::Dict(d) => return Ok(lock(d).get_hashed(hash).is_some()),
                Value::Set(s) => return Ok(lock(s).contains_hashed(item, hash)),
                Value::FrozenSet(s) => return Ok(s.contains_hashed(item, hash)),
                _ => {}
            }
        }
        if instance_class(container).is_none() {
            return match container {
                Value::Iterator(_) | Value::Generator(_) => {
                    self.contains_by_iteration(container, item)
                }
                _ => ops::contains(container, item),
            };
        }
        if let Some(r) = self.call_dunder(container, "__contains__", [item.clone()])? {
            return self.truthy(&r);
        }
        self.contains_by_iteration(container, item)
    }

    fn contains_by_iteration(
        &mut self,
        container: &Value,
        item: &Value,
    ) -> Result<bool, Exception> {
        let mut it = self.iter(container)?;
        while let Some(x) = it.next(self)? {
            if x.is(item) {
                return Ok(true);
            }
            let eq = self.compare_op(CmpOp::Eq, &x, item)?;
            if self.truthy(&eq)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The hash of a dict key that is an instance with its own `__hash__`.
    pub(crate) fn custom_hash(&mut self, key: &Value) -> Result<Option<i64>, Exception> {
        match key {
            Value::Instance(i) if i.class.lookup("__hash__").is_some() => {
                self.hash_of(key).map(Some)
            }
            _ => Ok(None),
        }
    }

    pub(crate) fn get_item(&mut self, object: &Value, index: &Value) -> Result<Value, Exception> {
        if let Value::Dict(d) = object {
            if let Some(hash) = self.custom_hash(index)? {
                let found = lock(d).get_hashed(hash);
                return found.ok_or_else(|| Exception::key_error(index));
            }
        }
        if let Value::Dict(d) = object {
            if let Some(v) = super::super::collections::missing(self, d, index)? {
                return Ok(v);
            }
        }
        if instance_class(object).is_none() {
            return index::get_item(object, index);
        }
        match self.call_dunder(object, "__getitem__", [index.clone()])? {
            Some(v) => Ok(v),
            None => Err(Exception::type_error(format!(
                "'{}' object is not subscriptable",
                object.type_name()
            ))),
        }
    }

    pub(crate) fn set_item(
        &mut self,
        object: &Value,
        index: &Value,
        value: Value,
    ) -> Result<(), Exception> {
        if let Value::Dict(d) = object {
            if let Some(hash) = self.custom_hash(index)? {
                lock(d).insert_hashed(index.clone(), hash, value);
                return Ok(());
            }
        }
        if instance_class(object).is_none() {
            return index::set_item(object, index, value);
        }
        match self.call_dunder(object, "__setitem__", [index.clone(), value])? {
            Some(_) => Ok(()),
            None => Err(Exception::type_error(format!(
                "'{}' object does not support item assignment",
                object.type_name()
            ))),
        }
    }

    pub(crate) fn del_item(&mut self, object: &Value, index: &Value) -> Result<(), Exception> {
        if let Value::Dict(d) = object {
            if let Some(hash) = self.custom_hash(index)? {
                let removed = lock(d).remove_hashed(hash);
                return removed
                    .map(|_| ())
                    .ok_or_else(|| Exception::key_error(index));
            }
        }
        if instance_class(object).is_none() {
            return index::del_item(object, index);
        }
        match self.call_dunder(object, "__delitem__", [index.clone()])? {
            Some(_) => Ok(()),
            None => Err(Exception::type_error(format!(
                "'{}' object doesn't support item deletion",
                object.type_name()
            ))),
        }
    }

    /// A `set` of `items`, hashing instances with their own `__hash__`.
    pub(crate) fn make_set(&mut self, items: Vec<Value>) -> Result<PySet, Exception> {
        let mut table = PySet::new();
        for item in items {
            self.set_add(&mut table, item)?;
        }
        Ok(table)
    }

    pub(crate) fn set_add(&mut self, table: &mut PySet, item: Value) -> Result<(), Exception> {
        match self.custom_hash(&item)? {
            Some(hash) => {
                table.insert_hashed(item, hash);
            }
            None => {
                table.insert(item)?;
            }
        }
        Ok(())
    }

    /// `<__main__.Foo object at 0x...>`.
    pub(crate) fn default_repr(&self, v: &Value) -> String {
        match v {
            Value::Instance(i) if i.class.is_exception() => {
                let args: Vec<String> = i.args().iter().map(repr).collect();
                format!("{}({})", i.class.name, args.join(", "))
            }
            Value::Instance(i) => format!(
                "<{}.{} object at 0x{:012x}>",
                i.class.module,
                i.class.qualname,
                Arc::as_ptr(i) as usize
            ),
            other => repr(other),
        }
    }

    /// `repr(v)`, calling `__repr__` of instances anywhere inside containers.
    pub fn repr(&mut self, v: &Value) -> Result<String, Exception> {
        if !contains_instance(v, &mut Vec::new()) {
            return Ok(repr(v));
        }
        self.repr_into(v, &mut Vec::new())
    }

    fn repr_into(&mut self, v: &Value, seen: &mut Vec<usize>) -> Result<String, Exception> {
        if seen.len() > 500 {
            return Ok("...".into());
        }
        let items = |interp: &mut Self, items: &[Value], seen: &mut Vec<usize>| {
            items
                .iter()
                .map(|x| interp.repr_into(x, seen))
                .collect::<Result<Vec<_>, _>>()
                .map(|parts| parts.join(", "))
        };
        Ok(match v {
            Value::Instance(inst) => {
                if let Some(r) = self.call_dunder(v, "__repr__", Vec::new())? {
                    return match r {
                        Value::Str(s) => Ok(s.to_string()),
                        other => Err(Exception::type_error(format!(
                            "__repr__ returned non-string (type {})",
                            other.type_name()
                        ))),
                    };
                }
                if inst.class.is_exception() {
                    let args = inst.args();
                    let inner = items(self, &args, seen)?;
                    return Ok(format!("{}({inner})", inst.class.name));
                }
                self.default_repr(v)
            }
            Value::List(list) => {
                let id = Arc::as_ptr(list) as usize;
                if seen.contains(&id) {
                    return Ok("[...]".into());
                }
                seen.push(id);
                let snapshot = lock(list).clone();
                let inner = items(self, &snapshot, seen);
                seen.pop();
                format!("[{}]", inner?)
            }
            Value::Tuple(t) => {
                let inner = items(self, t, seen)?;
                if t.len() == 1 {
                    format!("({inner},)")
                } else {
                    format!("({inner})")
                }
            }
            Value::Dict(d) => {
                let id = Arc::as_ptr(d) as usize;
                if seen.contains(&id) {
                    return Ok("{...}".into());
                }
                seen.push(id);
                let form = super::super::collections::display_form(&lock(d));
                if let Some((name, args)) = form {
                    let inner = items(self, &args, seen);
                    seen.pop();
                    return Ok(format!("{name}({})", inner?));
                }
                let pairs = lock(d).items();
                let mut parts = Vec::with_capacity(pairs.len());
                for (k, val) in &pairs {
                    let k = self.repr_into(k, seen);
                    let val = self.repr_into(val, seen);
                    match (k, val) {
                        (Ok(k), Ok(val)) => parts.push(format!("{k}: {val}")),
                        (Err(e), _) | (_, Err(e)) => {
                            seen.pop();
                            return Err(e);
                        }
                    }
                }
                seen.pop();
                format!("{{{}}}", parts.join(", "))
            }
            other => repr(other),
        })
    }

    /// `str(v)`: `__str__` of instances (then `__repr__`), the message of exceptions.
    pub fn to_str(&mut self, v: &Value) -> Result<String, Exception> {
        match v {
            Value::Str(s) => Ok(s.to_string()),
            Value::BigInt(b) => crate::lang::ops::bigint::to_decimal(b),
            Value::Instance(inst) => {
                if let Some(method) = inst.class.lookup("__str__") {
                    let r = self.call(&bind_class_attr(method, v, &inst.class), Args::default())?;
                    return match r {
                        Value::Str(s) => Ok(s.to_string()),
                        other => Err(Exception::type_error(format!(
                            "__str__ returned non-string (type {})",
                            other.type_name()
                        ))),
                    };
                }
                if inst.class.is_exception() {
                    let args = inst.args();
                    return match args.len() {
                        0 => Ok(String::new()),
                        1 if inst
                            .class
                            .is_subclass_of(&super::super::object::exception_class("KeyError")) =>
                        {
                            self.repr(&args[0])
                        }
                        1 => self.to_str(&args[0]),
                        _ => self.repr(&Value::Tuple(args)),
                    };
                }
                self.repr(v)
            }
            Value::List(_) | Value::Tuple(_) | Value::Dict(_) => self.repr(v),
            other => Ok(super::super::repr::to_str(other)),
        }
    }

    /// `format(v, spec)`, honouring `__format__` and `__str__`.
    pub fn format(&mut self, v: &Value, spec: &str) -> Result<String, Exception> {
        if instance_class(v).is_none() {
            return format_value(v, spec);
        }
        if let Some(r) = self.call_dunder(v, "__format__", [Value::str(spec)])? {
            return match r {
                Value::Str(s) => Ok(s.to_string()),
                other => Err(Exception::type_error(format!(
                    "__format__ must return a str, not {}",
                    other.type_name()
                ))),
            };
        }
        if spec.is_empty() {
            return self.to_str(v);
        }
        Err(Exception::type_error(format!(
            "unsupported format string passed to {}.__format__",
            v.type_name()
        )))
    }

    /// `hash(v)`: `__hash__` of instances; the built-in hash otherwise.
    pub fn hash_of(&mut self, v: &Value) -> Result<i64, Exception> {
        if let Value::Instance(inst) = v {
            if let Some(h) = inst.class.lookup("__hash__") {
                if matches!(h, Value::None) {
                    return Err(unhashable(v));
                }
                let r = self.call(&bind_class_attr(h, v, &inst.class), Args::default())?;
                return r.as_int().ok_or_else(|| {
                    Exception::type_error("__hash__ method should return an integer")
                });
            }
            if inst.class.lookup("__eq__").is_some() {
                return Err(unhashable(v));
            }
            return Ok((Arc::as_ptr(inst) as usize >> 4) as i64);
        }
        super::super::builtins::builtin_hash(v)
    }
}

fn unhashable(v: &Value) -> Exception {
    Exception::type_error(format!("unhashable type: '{}'", v.type_name()))
}

/// Whether printing `v` may call Python code (a user instance somewhere inside it). Each
/// container is looked at once, so self-referencing structures stay linear.
fn contains_instance(v: &Value, seen: &mut Vec<usize>) -> bool {
    let visit = |id: usize, items: Vec<Value>, seen: &mut Vec<usize>| {
        if seen.contains(&id) {
            return false;
        }
        seen.push(id);
        items.iter().any(|x| contains_instance(x, seen))
    };
    match v {
        Value::Instance(_) => true,
        Value::List(l) => {
            let items = lock(l).clone();
            visit(Arc::as_ptr(l) as usize, items, seen)
        }
        Value::Tuple(t) => visit(Arc::as_ptr(t) as *const () as usize, t.to_vec(), seen),
        Value::Dict(d) => {
            let pairs = lock(d).items();
            let flat = pairs.into_iter().flat_map(|(k, x)| [k, x]).collect();
            visit(Arc::as_ptr(d) as usize, flat, seen)
        }
        Value::Set(s) => {
            let items = lock(s).iter().cloned().collect();
            visit(Arc::as_ptr(s) as usize, items, seen)
        }
        Value::FrozenSet(s) => visit(Arc::as_ptr(s) as usize, s.iter().cloned().collect(), seen),
        _ => false,
    }
}

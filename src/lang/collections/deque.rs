//! `collections.deque`: a double-ended queue with an optional `maxlen`.

use std::any::Any;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::lang::ast::CmpOp;
use crate::lang::exception::Exception;
use crate::lang::interp::Interp;
use crate::lang::ops::equals;
use crate::lang::repr::repr;
use crate::lang::value::{lock, Args, HostObject, NativeFunction, Value};

pub struct Deque {
    items: Mutex<VecDeque<Value>>,
    maxlen: Option<usize>,
}

/// The class object `deque`.
pub struct DequeClass;

impl HostObject for DequeClass {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        "<class 'collections.deque'>".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
        let bound = args.bind("deque", &["iterable", "maxlen"], 0)?;
        let maxlen = match &bound[1] {
            None | Some(Value::None) => None,
            Some(v) => match v.as_int() {
                Some(n) if n < 0 => {
                    return Err(Exception::value_error("maxlen must be non-negative"))
                }
                Some(n) => Some(n as usize),
                None => return Err(Exception::type_error("an integer is required")),
            },
        };
        let deque = Deque {
            items: Mutex::new(VecDeque::new()),
            maxlen,
        };
        if let Some(iterable) = &bound[0] {
            for item in interp.collect(iterable)? {
                deque.push(item, true);
            }
        }
        Ok(Value::host(deque))
    }
    fn instance_check(&self, value: &Value) -> Option<bool> {
        Some(value.as_host::<Deque>().is_some())
    }
}

fn empty() -> Exception {
    Exception::index_error("pop from an empty deque")
}

impl Deque {
    /// Appends at the right (or left) end, dropping from the other end past `maxlen`.
    fn push(&self, item: Value, right: bool) {
        let mut items = lock(&self.items);
        if self.maxlen == Some(0) {
            return;
        }
        if right {
            items.push_back(item);
        } else {
            items.push_front(item);
        }
        if self.maxlen.is_some_and(|m| items.len() > m) {
            if right {
                items.pop_front();
            } else {
                items.pop_back();
            }
        }
    }

    fn position(&self, index: &Value) -> Result<usize, Exception> {
        let i = index.as_int().ok_or_else(|| {
            Exception::type_error(format!(
                "sequence index must be integer, not '{}'",
                index.type_name()
            ))
        })?;
        let len = lock(&self.items).len() as i64;
        let i = if i < 0 { i + len } else { i };
        if (0..len).contains(&i) {
            Ok(i as usize)
        } else {
            Err(Exception::index_error("deque index out of range"))
        }
    }

    fn snapshot(&self) -> Vec<Value> {
        lock(&self.items).iter().cloned().collect()
    }

    fn find(&self, x: &Value) -> Result<usize, Exception> {
        for (i, item) in self.snapshot().iter().enumerate() {
            if equals(item, x)? {
                return Ok(i);
            }
        }
        Err(Exception::value_error(format!(
            "{} is not in deque",
            repr(x)
        )))
    }

    fn call_method(
        &self,
        interp: &mut Interp<'_>,
        name: &str,
        args: &Args,
    ) -> Result<Value, Exception> {
        let one = |args: &Args| -> Result<Value, Exception> {
            args.no_keywords(name)?;
            match args.positional.as_slice() {
                [x] => Ok(x.clone()),
                other => Err(Exception::type_error(format!(
                    "deque.{name}() takes exactly one argument ({} given)",
                    other.len()
                ))),
            }
        };
        let none = |args: &Args| -> Result<(), Exception> {
            args.no_keywords(name)?;
            match args.positional.len() {
                0 => Ok(()),
                n => Err(Exception::type_error(format!(
                    "deque.{name}() takes no arguments ({n} given)"
                ))),
            }
        };
        match name {
            "append" | "appendleft" => self.push(one(args)?, name == "append"),
            "extend" | "extendleft" => {
                for item in interp.collect(&one(args)?)? {
                    self.push(item, name == "extend");
                }
            }
            "pop" => {
                none(args)?;
                return lock(&self.items).pop_back().ok_or_else(empty);
            }
            "popleft" => {
                none(args)?;
                return lock(&self.items).pop_front().ok_or_else(empty);
            }
            "clear" => {
                none(args)?;
                lock(&self.items).clear();
            }
            "reverse" => {
                none(args)?;
                lock(&self.items).make_contiguous().reverse();
            }
            "rotate" => {
                let bound = args.bind("rotate", &["n"], 0)?;
                let n = bound[0]
                    .as_ref()
                    .map_or(Some(1), Value::as_int)
                    .ok_or_else(|| Exception::type_error("'rotate' argument must be an integer"))?;
                let mut items = lock(&self.items);
                let len = items.len() as i64;
                if len > 0 {
                    let k = n.rem_euclid(len) as usize;
                    items.rotate_right(k);
                }
            }
            "count" => {
                let x = one(args)?;
                let mut n = 0;
                for item in self.snapshot() {
                    if equals(&item, &x)? {
                        n += 1;
                    }
                }
                return Ok(Value::Int(n));
            }
            "index" => return Ok(Value::Int(self.find(&one(args)?)? as i64)),
            "remove" => {
                let i = self.find(&one(args)?)?;
                lock(&self.items).remove(i);
            }
            _ => {
                none(args)?;
                return Ok(Value::host(Deque {
                    items: Mutex::new(lock(&self.items).clone()),
                    maxlen: self.maxlen,
                }));
            }
        }
        Ok(Value::None)
    }
}

const METHODS: &[&str] = &[
    "append",
    "appendleft",
    "extend",
    "extendleft",
    "pop",
    "popleft",
    "clear",
    "reverse",
    "rotate",
    "count",
    "index",
    "remove",
    "copy",
];

impl HostObject for Deque {
    fn type_name(&self) -> String {
        "collections.deque".into()
    }
    fn repr(&self) -> String {
        let items = repr(&Value::list(self.snapshot()));
        match self.maxlen {
            Some(m) => format!("deque({items}, maxlen={m})"),
            None => format!("deque({items})"),
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, this: &Value, name: &str) -> Result<Value, Exception> {
        if name == "maxlen" {
            return Ok(self.maxlen.map_or(Value::None, |m| Value::Int(m as i64)));
        }
        let Some(&method) = METHODS.iter().find(|m| **m == name) else {
            return Err(Exception::attribute_error(format!(
                "'collections.deque' object has no attribute '{name}'"
            )));
        };
        let this = this.clone();
        Ok(NativeFunction::value(
            method,
            move |interp, args| match this.as_host::<Deque>() {
                Some(d) => d.call_method(interp, method, &args),
                None => Ok(Value::None),
            },
        ))
    }
    fn compare(
        &self,
        op: CmpOp,
        other: &Value,
        _reflected: bool,
    ) -> Option<Result<Value, Exception>> {
        if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
            return None;
        }
        let same = match other.as_host::<Deque>() {
            Some(o) => {
                let (a, b) = (self.snapshot(), o.snapshot());
                crate::lang::ops::compare(CmpOp::Eq, &Value::list(a), &Value::list(b))
                    .and_then(|v| crate::lang::ops::truthy(&v))
            }
            None => Ok(false),
        };
        Some(same.map(|s| Value::Bool(s == (op == CmpOp::Eq))))
    }
    fn get_item(&self, index: &Value) -> Result<Value, Exception> {
        let i = self.position(index)?;
        Ok(lock(&self.items)[i].clone())
    }
    fn set_item(&self, index: &Value, value: Value) -> Result<(), Exception> {
        let i = self.position(index)?;
        lock(&self.items)[i] = value;
        Ok(())
    }
    fn iterate(&self) -> Option<Result<Vec<Value>, Exception>> {
        Some(Ok(self.snapshot()))
    }
    fn length(&self) -> Option<Result<usize, Exception>> {
        Some(Ok(lock(&self.items).len()))
    }
    fn truthy(&self) -> Result<bool, Exception> {
        Ok(!lock(&self.items).is_empty())
    }
}

/// `collections.deque`.
pub fn class() -> Value {
    Value::Host(Arc::new(DequeClass))
}

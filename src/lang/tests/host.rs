//! The host-object interface, exercised with a small stand-in for a tensor namespace.

use std::any::Any;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use expect_test::{expect, Expect};

use super::eval::run;
use crate::lang::ast::BinOp;
use crate::lang::{Args, Exception, HostObject, Interp, NativeFunction, Session, Value};

/// A mutable counter object: `c.value`, `c.add(n)`, `c + n`, `c -= n` (in place), `with c:`.
struct Counter(AtomicI64);

impl HostObject for Counter {
    fn type_name(&self) -> String {
        "Counter".into()
    }
    fn repr(&self) -> String {
        format!("Counter({})", self.0.load(Ordering::Relaxed))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, this: &Value, name: &str) -> Result<Value, Exception> {
        match name {
            "value" => Ok(Value::Int(self.0.load(Ordering::Relaxed))),
            "add" => {
                let this = this.clone();
                Ok(NativeFunction::value(
                    "add",
                    move |_: &mut Interp<'_>, args: Args| {
                        let a = args.bind("add", &["n"], 1)?;
                        let (Some(c), Some(Value::Int(n))) = (this.as_host::<Counter>(), &a[0])
                        else {
                            return Err(Exception::type_error("add() expects an int"));
                        };
                        c.0.fetch_add(*n, Ordering::Relaxed);
                        Ok(Value::None)
                    },
                ))
            }
            _ => Err(Exception::attribute_error(format!(
                "'Counter' object has no attribute '{name}'"
            ))),
        }
    }
    fn binary_op(
        &self,
        op: BinOp,
        other: &Value,
        _reflected: bool,
    ) -> Option<Result<Value, Exception>> {
        match (op, other) {
            (BinOp::Add, Value::Int(n)) => Some(Ok(Value::Int(self.0.load(Ordering::Relaxed) + n))),
            _ => None,
        }
    }
    fn inplace_op(
        &self,
        this: &Value,
        op: BinOp,
        other: &Value,
    ) -> Option<Result<Value, Exception>> {
        match (op, other) {
            (BinOp::Sub, Value::Int(n)) => {
                self.0.fetch_sub(*n, Ordering::Relaxed);
                Some(Ok(this.clone()))
            }
            _ => None,
        }
    }
    fn enter(&self, _: &mut Interp<'_>) -> Result<Value, Exception> {
        self.0.store(100, Ordering::Relaxed);
        Ok(Value::Int(1))
    }
    fn exit(&self, _: &mut Interp<'_>) -> Result<(), Exception> {
        self.0.store(-1, Ordering::Relaxed);
        Ok(())
    }
}

fn session_with_counter() -> Session {
    let mut session = Session::new();
    let counter = Value::Host(Arc::new(Counter(AtomicI64::new(0))));
    session.add_module("counters", counter.clone());
    session.set_prelude("c", counter);
    session
}

fn check(src: &str, expected: Expect) {
    expected.assert_eq(&run(&mut session_with_counter(), src));
}

#[test]
fn host_objects_get_attributes_operators_and_context() {
    check(
        "c.add(5)\nprint(c, c.value, c + 1, type(c))\nwith c as one:\n    print(one, c.value)\nprint(c.value)\nimport counters as k\nc -= 2\nprint(k is c, c)\nc.missing\n",
        expect![[r#"
            Counter(5) 5 6 <class 'Counter'>
            1 100
            -1
            True Counter(-3)
            Traceback (most recent call last):
              File "script.py", line 9, in <module>
                c.missing
            AttributeError: 'Counter' object has no attribute 'missing'
        "#]],
    );
}

#[test]
fn prelude_is_not_a_user_variable() {
    let mut session = session_with_counter();
    run(&mut session, "x = 1\n");
    let names: Vec<String> = session.variables().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["x"]);
    session.reset();
    assert_eq!(run(&mut session, "print(c)\n"), "Counter(0)\n");
}

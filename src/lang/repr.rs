//! `repr()` and `str()` of values, as Python prints them.

use std::sync::Arc;

use super::value::{lock, DictViewKind, Value};
use crate::pyfmt;

/// `str(value)`: strings unquoted, everything else as `repr`.
pub fn to_str(value: &Value) -> String {
    match value {
        Value::Str(s) => s.to_string(),
        Value::Host(h) => h.str(),
        other => repr(other),
    }
}

pub fn repr(value: &Value) -> String {
    let mut out = String::new();
    write_repr(&mut out, value, &mut Vec::new());
    out
}

/// Python's string repr: single quotes unless the text has `'` and no `"`.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if !crate::lang::methods::is_printable(c) => match c as u32 {
                n if n <= 0xff => out.push_str(&format!("\\x{n:02x}")),
                n if n <= 0xffff => out.push_str(&format!("\\u{n:04x}")),
                n => out.push_str(&format!("\\U{n:08x}")),
            },
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn address<T: ?Sized>(ptr: *const T) -> String {
    format!("0x{:012x}", ptr as *const () as usize)
}

fn write_items(out: &mut String, items: &[Value], seen: &mut Vec<usize>) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_repr(out, item, seen);
    }
}

fn write_pairs(out: &mut String, pairs: &[(Value, Value)], seen: &mut Vec<usize>) {
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_repr(out, k, seen);
        out.push_str(": ");
        write_repr(out, v, seen);
    }
}

/// Containers nested deeper than this print as `...` (Python would raise RecursionError;
/// either way the stack stays bounded).
const MAX_NESTING: usize = 500;

/// `seen` holds the containers being printed (tuples as 0), so that a list containing itself
/// prints `[...]`.
fn write_repr(out: &mut String, value: &Value, seen: &mut Vec<usize>) {
    if seen.len() >= MAX_NESTING
        && matches!(value, Value::List(_) | Value::Tuple(_) | Value::Dict(_))
    {
        out.push_str("...");
        return;
    }
    match value {
        Value::None => out.push_str("None"),
        Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::BigInt(b) => out.push_str(&crate::lang::ops::bigint::repr(b)),
        Value::Float(f) => out.push_str(&pyfmt::float_repr(*f)),
        Value::Str(s) => out.push_str(&str_repr(s)),
        Value::List(list) => {
            let id = Arc::as_ptr(list) as usize;
            if seen.contains(&id) {
                out.push_str("[...]");
                return;
            }
            let items = lock(list).clone();
            seen.push(id);
            out.push('[');
            write_items(out, &items, seen);
            out.push(']');
            seen.pop();
        }
        Value::Tuple(items) => {
            seen.push(0);
            out.push('(');
            write_items(out, items, seen);
            out.push_str(if items.len() == 1 { ",)" } else { ")" });
            seen.pop();
        }
        Value::Slice(parts) => {
            out.push_str("slice(");
            write_items(out, parts.as_slice(), seen);
            out.push(')');
        }
        Value::Ellipsis => out.push_str("Ellipsis"),
        Value::Dict(dict) => {
            let id = Arc::as_ptr(dict) as usize;
            if seen.contains(&id) {
                out.push_str("{...}");
                return;
            }
            let form = super::collections::display_form(&lock(dict));
            if let Some((name, args)) = form {
                seen.push(id);
                out.push_str(name);
                out.push('(');
                write_items(out, &args, seen);
                out.push(')');
                seen.pop();
                return;
            }
            let pairs = lock(dict).items();
            seen.push(id);
            out.push('{');
            write_pairs(out, &pairs, seen);
            out.push('}');
            seen.pop();
        }
        Value::DictView(kind, dict) => {
            let d = lock(dict).clone();
            let (name, items) = match kind {
                DictViewKind::Keys => ("dict_keys", d.keys()),
                DictViewKind::Values => ("dict_values", d.values()),
                DictViewKind::Items => (
                    "dict_items",
                    d.items()
                        .into_iter()
                        .map(|(k, v)| Value::tuple(vec![k, v]))
                        .collect(),
                ),
            };
            if matches!(d.kind, super::dict::DictKind::OrderedDict) {
                out.push('o');
                out.push_str(name);
            } else {
                out.push_str(name);
            }
            out.push_str("([");
            write_items(out, &items, seen);
            out.push_str("])");
        }
        Value::Range(r) => {
            if r.step == 1 {
                out.push_str(&format!("range({}, {})", r.start, r.stop));
            } else {
                out.push_str(&format!("range({}, {}, {})", r.start, r.stop, r.step));
            }
        }
        Value::Function(f) => {
            out.push_str(&format!(
                "<function {} at {}>",
                f.def.name,
                address(Arc::as_ptr(f))
            ));
        }
        Value::Native(f) => out.push_str(&format!("<built-in function {}>", f.name)),
        Value::Type(kind) => out.push_str(&format!("<class '{}'>", kind.name())),
        Value::Iterator(it) => {
            let kind = lock(it).kind;
            out.push_str(&format!("<{kind} object at {}>", address(Arc::as_ptr(it))));
        }
        Value::Host(h) => out.push_str(&h.repr()),
        Value::Set(set) => {
            let items: Vec<Value> = lock(set).iter().cloned().collect();
            write_set(out, "", &items, seen);
        }
        Value::FrozenSet(set) => {
            let items: Vec<Value> = set.iter().cloned().collect();
            write_set(out, "frozenset", &items, seen);
        }
        Value::Class(c) => out.push_str(&format!("<class '{}'>", class_path(c))),
        Value::Instance(i) if i.class.is_exception() => {
            out.push_str(&i.class.name);
            out.push('(');
            write_items(out, &i.args(), seen);
            out.push(')');
        }
        Value::Instance(i) => out.push_str(&format!(
            "<{}.{} object at {}>",
            i.class.module,
            i.class.qualname,
            address(Arc::as_ptr(i))
        )),
        Value::Method(m) => {
            let name = match &m.function {
                Value::Function(f) => f.qualname.to_string(),
                Value::Native(f) => f.name.clone(),
                _ => "method".into(),
            };
            let mut receiver = String::new();
            write_repr(&mut receiver, &m.receiver, seen);
            out.push_str(&format!("<bound method {name} of {receiver}>"));
        }
        Value::Descriptor(d) => out.push_str(&format!(
            "<{} object at {}>",
            value.type_name(),
            address(Arc::as_ptr(d))
        )),
        Value::Super(s) => out.push_str(&format!(
            "<super: <class '{}'>, <{} object>>",
            s.after.name, s.receiver_class.name
        )),
        Value::Generator(g) => out.push_str(&format!(
            "<generator object {} at {}>",
            g.name(),
            address(Arc::as_ptr(g))
        )),
    }
}

/// `__main__.Foo` style path for a class's repr (`<class '__main__.Foo'>`).
fn class_path(c: &crate::lang::object::Class) -> String {
    if c.module == "builtins" {
        c.qualname.clone()
    } else {
        format!("{}.{}", c.module, c.qualname)
    }
}

/// `{1, 2}`, `set()`, `frozenset({1, 2})`, `frozenset()`.
fn write_set(out: &mut String, prefix: &str, items: &[Value], seen: &mut Vec<usize>) {
    if items.is_empty() {
        out.push_str(if prefix.is_empty() {
            "set()"
        } else {
            "frozenset()"
        });
        return;
    }
    out.push_str(prefix);
    if !prefix.is_empty() {
        out.push('(');
    }
    out.push('{');
    write_items(out, items, seen);
    out.push('}');
    if !prefix.is_empty() {
        out.push(')');
    }
}

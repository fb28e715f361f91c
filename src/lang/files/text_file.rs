//! The object `open()` returns for reading text: `_io.TextIOWrapper`'s reading methods,
//! line iteration, `with`, and its errors on a closed or read-only file.

use std::any::Any;
use std::sync::Arc;

use crate::lang::builtins::int_of;
use crate::lang::exception::Exception;
use crate::lang::host::HostObject;
use crate::lang::interp::Interp;
use crate::lang::repr::str_repr;
use crate::lang::value::{lock, shared, Args, NativeFunction, Shared, Value};

struct State {
    /// The decoded text, or the decoding error the first read raises.
    text: Result<String, Exception>,
    /// Byte offset of the next character to read.
    pos: usize,
    closed: bool,
}

pub struct TextFile {
    name: String,
    mode: String,
    encoding: String,
    state: Shared<State>,
}

impl TextFile {
    pub fn new(
        name: &str,
        mode: &str,
        encoding: &str,
        text: Result<String, Exception>,
    ) -> TextFile {
        TextFile {
            name: name.to_string(),
            mode: mode.to_string(),
            encoding: encoding.to_string(),
            state: shared(State {
                text,
                pos: 0,
                closed: false,
            }),
        }
    }

    /// Another handle on the same open file (what `__enter__` returns).
    fn handle(&self) -> TextFile {
        TextFile {
            name: self.name.clone(),
            mode: self.mode.clone(),
            encoding: self.encoding.clone(),
            state: self.state.clone(),
        }
    }

    /// Runs `f` on the unread text and advances past the bytes it returns it consumed.
    fn reading<T>(&self, f: impl FnOnce(&str) -> (T, usize)) -> Result<T, Exception> {
        let mut state = lock(&self.state);
        if state.closed {
            return Err(closed_error());
        }
        let pos = state.pos;
        let text = state.text.as_ref().map_err(Clone::clone)?;
        let (out, used) = f(&text[pos..]);
        state.pos += used;
        Ok(out)
    }
}

fn closed_error() -> Exception {
    Exception::value_error("I/O operation on closed file.")
}

/// The byte length of the first `n` characters of `s` (all of it for `None`).
fn chars_len(s: &str, n: Option<usize>) -> usize {
    match n {
        Some(n) => s.char_indices().nth(n).map_or(s.len(), |(i, _)| i),
        None => s.len(),
    }
}

/// The byte length of the first line of `s`, its `\n` included.
fn line_len(s: &str) -> usize {
    s.find('\n').map_or(s.len(), |i| i + 1)
}

/// A size argument: `None` or a negative int means no limit.
fn size_arg(args: &Args, name: &str) -> Result<Option<usize>, Exception> {
    let a = args.bind(name, &["size"], 0)?;
    match &a[0] {
        None | Some(Value::None) => Ok(None),
        Some(v @ (Value::Int(_) | Value::Bool(_))) => {
            let n = int_of(v)?;
            Ok((n >= 0).then_some(n as usize))
        }
        Some(other) => Err(Exception::type_error(format!(
            "argument should be integer or None, not '{}'",
            other.type_name()
        ))),
    }
}

type Method = fn(&TextFile, &Args) -> Result<Value, Exception>;

const METHODS: &[(&str, Method)] = &[
    ("read", |f, a| {
        let n = size_arg(a, "read")?;
        f.reading(|rest| {
            let len = chars_len(rest, n);
            (Value::str(&rest[..len]), len)
        })
    }),
    ("readline", |f, a| {
        let n = size_arg(a, "readline")?;
        f.reading(|rest| {
            let len = line_len(rest).min(chars_len(rest, n));
            (Value::str(&rest[..len]), len)
        })
    }),
    ("readlines", |f, a| {
        let hint = size_arg(a, "readlines")?.filter(|&h| h > 0);
        f.reading(|rest| {
            let (mut lines, mut used, mut chars) = (Vec::new(), 0, 0);
            while used < rest.len() && hint.is_none_or(|h| chars < h) {
                let len = line_len(&rest[used..]);
                let line = &rest[used..used + len];
                chars += line.chars().count();
                lines.push(Value::str(line));
                used += len;
            }
            (Value::list(lines), used)
        })
    }),
    ("close", |f, _| {
        lock(&f.state).closed = true;
        Ok(Value::None)
    }),
    ("readable", |f, _| f.reading(|_| (Value::Bool(true), 0))),
    ("writable", |f, _| f.reading(|_| (Value::Bool(false), 0))),
    ("write", |f, _| {
        f.reading(|_| ((), 0))?;
        Err(Exception::new("io.UnsupportedOperation", "not writable"))
    }),
    ("writelines", |f, _| {
        f.reading(|_| ((), 0))?;
        Err(Exception::new("io.UnsupportedOperation", "not writable"))
    }),
];

impl HostObject for TextFile {
    fn type_name(&self) -> String {
        "TextIOWrapper".into()
    }
    fn qualified_type_name(&self) -> String {
        "_io.TextIOWrapper".into()
    }
    fn repr(&self) -> String {
        format!(
            "<_io.TextIOWrapper name={} mode={} encoding={}>",
            str_repr(&self.name),
            str_repr(&self.mode),
            str_repr(&self.encoding)
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn identity(&self) -> Option<usize> {
        Some(Arc::as_ptr(&self.state) as usize)
    }
    fn get_attr(&self, _this: &Value, name: &str) -> Result<Value, Exception> {
        match name {
            "name" => return Ok(Value::str(self.name.as_str())),
            "mode" => return Ok(Value::str(self.mode.as_str())),
            "encoding" => return Ok(Value::str(self.encoding.as_str())),
            "closed" => return Ok(Value::Bool(lock(&self.state).closed)),
            _ => {}
        }
        let Some(&(name, method)) = METHODS.iter().find(|(n, _)| *n == name) else {
            return Err(Exception::attribute_error(format!(
                "'_io.TextIOWrapper' object has no attribute '{name}'"
            )));
        };
        let file = self.handle();
        Ok(NativeFunction::value(
            name,
            move |_: &mut Interp<'_>, args: Args| method(&file, &args),
        ))
    }
    fn iterate(&self) -> Option<Result<Vec<Value>, Exception>> {
        Some(self.reading(|rest| {
            let mut lines = Vec::new();
            let mut used = 0;
            while used < rest.len() {
                let len = line_len(&rest[used..]);
                lines.push(Value::str(&rest[used..used + len]));
                used += len;
            }
            (lines, used)
        }))
    }
    fn enter(&self, _: &mut Interp<'_>) -> Result<Value, Exception> {
        if lock(&self.state).closed {
            return Err(closed_error());
        }
        Ok(Value::host(self.handle()))
    }
    fn exit(&self, _: &mut Interp<'_>) -> Result<(), Exception> {
        lock(&self.state).closed = true;
        Ok(())
    }
}

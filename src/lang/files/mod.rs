//! Files: `open()` for reading text, and the rule (`FileAccess`) for which paths a snippet
//! may touch at all, which `torch.save`/`torch.load` share.

mod access;
mod decode;
mod text_file;

pub use access::{os_error, FileAccess, Purpose};

use std::io::ErrorKind;

use super::exception::Exception;
use super::interp::Interp;
use super::repr::str_repr;
use super::value::{lock, Args, NativeFunction, Shared, Value};
use decode::{Codec, OnError};
use text_file::TextFile;

/// Files larger than this are refused rather than read into memory.
const MAX_FILE_BYTES: u64 = 1 << 28;

/// The letters of a valid `open()` mode, as `_io.open` checks them.
struct Mode {
    binary: bool,
    writes: bool,
}

fn parse_mode(mode: &str) -> Result<Mode, Exception> {
    let invalid = || Exception::value_error(format!("invalid mode: {}", str_repr(mode)));
    let mut seen = String::new();
    for c in mode.chars() {
        if !"axrwb+t".contains(c) || seen.contains(c) {
            return Err(invalid());
        }
        seen.push(c);
    }
    let has = |c| seen.contains(c);
    if has('t') && has('b') {
        return Err(Exception::value_error(
            "can't have text and binary mode at once",
        ));
    }
    if ['x', 'r', 'w', 'a'].iter().filter(|&&c| has(c)).count() != 1 {
        return Err(Exception::value_error(
            "must have exactly one of create/read/write/append mode",
        ));
    }
    Ok(Mode {
        binary: has('b'),
        writes: has('x') || has('w') || has('a') || has('+'),
    })
}

fn optional_str<'a>(v: &'a Option<Value>, what: &str) -> Result<Option<&'a str>, Exception> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        Some(other) => Err(Exception::type_error(format!(
            "open() argument '{what}' must be str or None, not {}",
            other.type_name()
        ))),
    }
}

fn open(access: &Shared<FileAccess>, args: Args) -> Result<Value, Exception> {
    let a = args.bind(
        "open",
        &["file", "mode", "buffering", "encoding", "errors", "newline"],
        1,
    )?;
    let path = match &a[0] {
        Some(Value::Str(s)) => s.to_string(),
        Some(other) => {
            return Err(Exception::type_error(format!(
                "expected str, bytes or os.PathLike object, not {}",
                other.type_name()
            )))
        }
        None => String::new(),
    };
    let mode_text = match &a[1] {
        None => "r".to_string(),
        Some(Value::Str(s)) => s.to_string(),
        Some(other) => {
            return Err(Exception::type_error(format!(
                "open() argument 'mode' must be str, not {}",
                other.type_name()
            )))
        }
    };
    let mode = parse_mode(&mode_text)?;
    let encoding = optional_str(&a[3], "encoding")?;
    let errors = optional_str(&a[4], "errors")?;
    let newline = optional_str(&a[5], "newline")?;
    if mode.binary && encoding.is_some() {
        return Err(Exception::value_error(
            "binary mode doesn't take an encoding argument",
        ));
    }
    if let Some(nl) = newline.filter(|nl| !["", "\n", "\r", "\r\n"].contains(nl)) {
        return Err(Exception::value_error(format!(
            "illegal newline value: {nl}"
        )));
    }
    if mode.writes {
        return Err(Exception::new(
            "PermissionError",
            format!(
                "[Errno 13] Permission denied: {}: nnlearn's open() only reads files \
                 (mode 'r'); torch.save writes tensors",
                str_repr(&path)
            ),
        ));
    }
    if mode.binary {
        return Err(Exception::new(
            "NotImplementedError",
            format!(
                "open(..., {}): nnlearn reads text files only",
                str_repr(&mode_text)
            ),
        ));
    }
    let real = lock(access).resolve(&path, Purpose::Read)?;
    let meta = std::fs::metadata(&real).map_err(|e| os_error(e.kind(), &path))?;
    if meta.is_dir() {
        return Err(os_error(ErrorKind::IsADirectory, &path));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Exception::new(
            "MemoryError",
            format!("{} is larger than nnlearn reads (256 MiB)", str_repr(&path)),
        ));
    }
    let bytes = std::fs::read(&real).map_err(|e| os_error(e.kind(), &path))?;
    let codec = Codec::lookup(encoding.unwrap_or("utf-8"))?;
    let on_error = OnError::lookup(errors.unwrap_or("strict"))?;
    let text = decode::decode(&bytes, codec, on_error).map(|text| match newline {
        None => decode::translate_newlines(text),
        Some(_) => text,
    });
    // CPython names the locale's encoding when none was given.
    let shown = encoding.unwrap_or("UTF-8");
    Ok(Value::host(TextFile::new(&path, &mode_text, shown, text)))
}

/// The `open` builtin, checking every path against `access` as it is when called.
pub fn open_builtin(access: Shared<FileAccess>) -> Value {
    NativeFunction::value("open", move |_: &mut Interp<'_>, args: Args| {
        open(&access, args)
    })
}

#[cfg(test)]
mod tests;

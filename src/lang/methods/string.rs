//! Methods of str.

use super::positional;
use crate::lang::builtins::int_of;
use crate::lang::exception::Exception;
use crate::lang::format::str_format;
use crate::lang::interp::collect;
use crate::lang::value::{Args, Value};

fn str_arg<'a>(v: &'a Value, what: &str) -> Result<&'a str, Exception> {
    match v {
        Value::Str(s) => Ok(s),
        other => Err(Exception::type_error(format!(
            "{what} must be str, not {}",
            other.type_name()
        ))),
    }
}

/// `startswith`/`endswith` accept a string or a tuple of strings.
fn affix_matches(s: &str, affix: &Value, name: &str) -> Result<bool, Exception> {
    let test = |a: &str| {
        if name == "startswith" {
            s.starts_with(a)
        } else {
            s.ends_with(a)
        }
    };
    match affix {
        Value::Str(a) => Ok(test(a)),
        Value::Tuple(items) => {
            for item in items.iter() {
                if test(str_arg(item, name)?) {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        other => Err(Exception::type_error(format!(
            "{name} first arg must be str or a tuple of str, not {}",
            other.type_name()
        ))),
    }
}

pub(super) fn str_method(s: &str, name: &str, args: &Args) -> Result<Value, Exception> {
    let text = |t: String| Ok(Value::str(t));
    match name {
        "format" => text(str_format(s, args)?),
        "join" => {
            let a = positional(args, name, 1, 1)?;
            let mut parts = Vec::new();
            for (i, item) in collect(&a[0])?.iter().enumerate() {
                match item {
                    Value::Str(p) => parts.push(p.to_string()),
                    other => {
                        return Err(Exception::type_error(format!(
                            "sequence item {i}: expected str instance, {} found",
                            other.type_name()
                        )))
                    }
                }
            }
            text(parts.join(s))
        }
        "split" => {
            let a = args.bind("split", &["sep", "maxsplit"], 0)?;
            let maxsplit = a[1].as_ref().map(int_of).transpose()?.unwrap_or(-1);
            let limit = if maxsplit < 0 {
                usize::MAX
            } else {
                maxsplit as usize + 1
            };
            let parts: Vec<Value> = match a[0].as_ref().filter(|v| !matches!(v, Value::None)) {
                None => split_whitespace(s, limit),
                Some(sep) => {
                    let sep = str_arg(sep, "must be str or None; sep")?;
                    if sep.is_empty() {
                        return Err(Exception::value_error("empty separator"));
                    }
                    s.splitn(limit, sep).map(Value::str).collect()
                }
            };
            Ok(Value::list(parts))
        }
        "strip" | "lstrip" | "rstrip" => {
            let a = positional(args, name, 0, 1)?;
            let chars: Option<Vec<char>> = match a.first() {
                Some(Value::Str(c)) => Some(c.chars().collect()),
                Some(Value::None) | None => None,
                Some(other) => {
                    return Err(Exception::type_error(format!(
                        "{name} arg must be None or str, not {}",
                        other.type_name()
                    )))
                }
            };
            let strip = |c: char| {
                chars
                    .as_ref()
                    .map_or(c.is_whitespace(), |cs| cs.contains(&c))
            };
            text(
                match name {
                    "strip" => s.trim_matches(strip),
                    "lstrip" => s.trim_start_matches(strip),
                    _ => s.trim_end_matches(strip),
                }
                .to_string(),
            )
        }
        "upper" => {
            positional(args, name, 0, 0)?;
            text(s.to_uppercase())
        }
        "lower" => {
            positional(args, name, 0, 0)?;
            text(s.to_lowercase())
        }
        "replace" => {
            let a = positional(args, name, 2, 3)?;
            let (old, new) = (
                str_arg(&a[0], "replace() argument 1")?,
                str_arg(&a[1], "replace() argument 2")?,
            );
            let count = a.get(2).map(int_of).transpose()?.unwrap_or(-1);
            text(if count < 0 {
                s.replace(old, new)
            } else {
                s.replacen(old, new, count as usize)
            })
        }
        "startswith" | "endswith" => {
            let a = positional(args, name, 1, 1)?;
            Ok(Value::Bool(affix_matches(s, &a[0], name)?))
        }
        "find" => {
            let a = positional(args, name, 1, 1)?;
            let sub = str_arg(&a[0], "find() argument")?;
            Ok(Value::Int(
                s.find(sub)
                    .map_or(-1, |byte| s[..byte].chars().count() as i64),
            ))
        }
        "splitlines" => {
            let a = args.bind("splitlines", &["keepends"], 0)?;
            let keepends = match &a[0] {
                Some(v) => crate::lang::ops::truthy(v)?,
                None => false,
            };
            Ok(Value::list(split_lines(s, keepends)))
        }
        "count" => {
            let a = positional(args, name, 1, 1)?;
            let sub = str_arg(&a[0], "count() argument")?;
            let n = if sub.is_empty() {
                s.chars().count() + 1
            } else {
                s.matches(sub).count()
            };
            Ok(Value::Int(n as i64))
        }
        _ => Err(Exception::attribute_error(format!(
            "'str' object has no attribute '{name}'"
        ))),
    }
}

/// `str.split()` without a separator: runs of whitespace, at most `limit` parts.
fn split_whitespace(s: &str, limit: usize) -> Vec<Value> {
    let mut parts = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        if parts.len() + 1 == limit {
            parts.push(Value::str(rest));
            break;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        parts.push(Value::str(&rest[..end]));
        rest = rest[end..].trim_start();
    }
    parts
}

/// `str.splitlines()`: lines end at `\n`, `\r`, `\r\n` and the other Unicode line boundaries.
fn split_lines(s: &str, keepends: bool) -> Vec<Value> {
    const BREAKS: &[char] = &[
        '\n', '\r', '\x0b', '\x0c', '\x1c', '\x1d', '\x1e', '\u{85}', '\u{2028}', '\u{2029}',
    ];
    let mut lines = Vec::new();
    let mut rest = s;
    while let Some(at) = rest.find(BREAKS) {
        let width = if rest[at..].starts_with("\r\n") {
            2
        } else {
            rest[at..].chars().next().map_or(1, char::len_utf8)
        };
        let end = if keepends { at + width } else { at };
        lines.push(Value::str(&rest[..end]));
        rest = &rest[at + width..];
    }
    if !rest.is_empty() {
        lines.push(Value::str(rest));
    }
    lines
}

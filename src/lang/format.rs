//! `format(value, spec)`, f-string conversions and `str.format`.

use super::exception::Exception;
use super::repr::{repr, to_str};
use super::value::{Args, Value};
use crate::pyfmt;
use crate::pyfmt::FormatSpec;

/// `!s`, `!r`, `!a`.
pub fn convert(value: &Value, conversion: char) -> String {
    match conversion {
        'r' => repr(value),
        'a' => repr(value)
            .chars()
            .map(|c| match c as u32 {
                n if n < 0x80 => c.to_string(),
                n if n <= 0xff => format!("\\x{n:02x}"),
                n if n <= 0xffff => format!("\\u{n:04x}"),
                n => format!("\\U{n:08x}"),
            })
            .collect(),
        _ => to_str(value),
    }
}

/// `format(value, spec)` as Python's `__format__` methods do it.
pub fn format_value(value: &Value, spec: &str) -> Result<String, Exception> {
    let parse = || FormatSpec::parse(spec).map_err(Exception::value_error);
    let result = match value {
        Value::Host(h) => return h.format(spec),
        _ if spec.is_empty() => return Ok(to_str(value)),
        Value::Bool(b) => pyfmt::format_bool(*b, &parse()?),
        Value::Int(i) => pyfmt::format_int(*i, &parse()?),
        Value::BigInt(b) => pyfmt::format_bigint(b, &parse()?),
        Value::Float(f) => pyfmt::format_float(*f, &parse()?),
        Value::Str(s) => pyfmt::format_str(s, &parse()?),
        other => {
            return Err(Exception::type_error(format!(
                "unsupported format string passed to {}.__format__",
                other.type_name()
            )))
        }
    };
    result.map_err(Exception::value_error)
}

/// `template.format(*args, **kwargs)`: `{}`, `{0}`, `{name}`, with `!conv` and `:spec`.
pub fn str_format(template: &str, args: &Args) -> Result<String, Exception> {
    let mut out = String::new();
    let mut next_auto = 0;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '}' => {
                return Err(Exception::value_error(
                    "Single '}' encountered in format string",
                ))
            }
            '{' => {
                let mut field = String::new();
                let mut depth = 1;
                for c in chars.by_ref() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    field.push(c);
                }
                if depth != 0 {
                    return Err(Exception::value_error("expected '}' before end of string"));
                }
                out.push_str(&format_field(&field, args, &mut next_auto)?);
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

fn format_field(field: &str, args: &Args, next_auto: &mut usize) -> Result<String, Exception> {
    let (head, spec) = field.split_once(':').unwrap_or((field, ""));
    let (name, conversion) = match head.split_once('!') {
        Some((n, c)) => (n, c.chars().next()),
        None => (head, None),
    };
    let value = if name.is_empty() {
        let i = *next_auto;
        *next_auto += 1;
        args.positional.get(i).ok_or_else(|| {
            Exception::index_error(format!(
                "Replacement index {i} out of range for positional args tuple"
            ))
        })?
    } else if let Ok(i) = name.parse::<usize>() {
        args.positional.get(i).ok_or_else(|| {
            Exception::index_error(format!(
                "Replacement index {i} out of range for positional args tuple"
            ))
        })?
    } else {
        args.keywords
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .ok_or_else(|| Exception::key_error(&Value::str(name)))?
    };
    // Nested fields in the spec (`{:{width}}`) are substituted first.
    let spec = if spec.contains('{') {
        str_format(spec, args)?
    } else {
        spec.to_string()
    };
    let value = match conversion {
        Some(c) => Value::str(convert(value, c)),
        None => value.clone(),
    };
    format_value(&value, &spec)
}

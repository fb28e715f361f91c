//! printf-style `str % args` formatting (`'%.4f' % loss`, common in PyTorch tutorials).

use super::builtins::to_float;
use super::exception::Exception;
use super::format::{convert, format_value};
use super::value::{lock, Value};

/// `template % args`.
pub fn percent_format(template: &str, args: &Value) -> Result<String, Exception> {
    let mapping = matches!(args, Value::Dict(_));
    let items: Vec<Value> = match args {
        Value::Tuple(items) => items.to_vec(),
        other => vec![other.clone()],
    };
    let mut next = 0;
    let mut out = String::new();
    let chars: Vec<char> = template.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        let start = i - 1;
        let mut key = None;
        if chars.get(i) == Some(&'(') {
            let close = chars[i..].iter().position(|&c| c == ')').map(|p| i + p);
            let Some(close) = close else {
                return Err(Exception::value_error("incomplete format key"));
            };
            key = Some(chars[i + 1..close].iter().collect::<String>());
            i = close + 1;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.get(i).filter(|c| "-+ #0".contains(**c)) {
            flags.push(f);
            i += 1;
        }
        let number = |i: &mut usize| {
            let from = *i;
            while chars.get(*i).is_some_and(char::is_ascii_digit) {
                *i += 1;
            }
            chars[from..*i].iter().collect::<String>()
        };
        let width = number(&mut i);
        let precision = if chars.get(i) == Some(&'.') {
            i += 1;
            Some(number(&mut i))
        } else {
            None
        };
        while chars.get(i).is_some_and(|c| "hlL".contains(*c)) {
            i += 1;
        }
        let Some(&conversion) = chars.get(i) else {
            return Err(Exception::value_error("incomplete format"));
        };
        i += 1;
        if conversion == '%' {
            out.push('%');
            continue;
        }
        let value = match (&key, args) {
            (Some(k), Value::Dict(d)) => lock(d)
                .get(&Value::str(k.as_str()))?
                .ok_or_else(|| Exception::key_error(&Value::str(k.as_str())))?,
            (Some(_), _) => return Err(Exception::type_error("format requires a mapping")),
            (None, _) => {
                let v = items.get(next).cloned().ok_or_else(|| {
                    Exception::type_error("not enough arguments for format string")
                })?;
                next += 1;
                v
            }
        };
        out.push_str(&one(
            conversion,
            &flags,
            &width,
            precision.as_deref(),
            &value,
            start,
        )?);
    }
    if !mapping && next < items.len() {
        return Err(Exception::type_error(
            "not all arguments converted during string formatting",
        ));
    }
    Ok(out)
}

/// One `%[flags][width][.precision]conversion`, rendered through the format-spec language.
fn one(
    conversion: char,
    flags: &str,
    width: &str,
    precision: Option<&str>,
    value: &Value,
    at: usize,
) -> Result<String, Exception> {
    let left = flags.contains('-');
    let align = if left { "<" } else { ">" };
    let zero = if flags.contains('0') && !left {
        "0"
    } else {
        ""
    };
    let sign = if flags.contains('+') {
        "+"
    } else if flags.contains(' ') {
        " "
    } else {
        ""
    };
    let alt = if flags.contains('#') { "#" } else { "" };
    let precision = precision
        .map(|p| format!(".{}", if p.is_empty() { "0" } else { p }))
        .unwrap_or_default();
    let number_spec = |kind: char| {
        format!(
            "{}{sign}{alt}{zero}{width}{precision}{kind}",
            if zero.is_empty() { align } else { "" }
        )
    };
    match conversion {
        's' | 'r' | 'a' => {
            let text = convert(value, conversion);
            format_value(&Value::str(text), &format!("{align}{width}{precision}"))
        }
        'd' | 'i' | 'u' => {
            let n = match value {
                Value::Float(f) => Value::Int(f.trunc() as i64),
                Value::Int(_) | Value::Bool(_) => value.clone(),
                other => Value::Int(to_float(other).map_err(|_| {
                    Exception::type_error(format!(
                        "%{conversion} format: a real number is required, not {}",
                        other.type_name()
                    ))
                })? as i64),
            };
            format_value(&n, &number_spec('d'))
        }
        'x' | 'X' | 'o' | 'c' => match value {
            Value::Int(_) | Value::Bool(_) => format_value(value, &number_spec(conversion)),
            Value::Str(s) if conversion == 'c' && s.chars().count() == 1 => Ok(s.to_string()),
            other => Err(Exception::type_error(format!(
                "%{conversion} format: an integer is required, not {}",
                other.type_name()
            ))),
        },
        'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
            let x = to_float(value).map_err(|_| {
                Exception::type_error(format!("must be real number, not {}", value.type_name()))
            })?;
            // printf's default precision is 6 for every float conversion.
            let spec = number_spec(conversion);
            let spec = if precision.is_empty() {
                format!("{}.6{conversion}", &spec[..spec.len() - 1])
            } else {
                spec
            };
            format_value(&Value::Float(x), &spec)
        }
        other => Err(Exception::value_error(format!(
            "unsupported format character '{other}' (0x{:x}) at index {}",
            other as u32,
            at + 1
        ))),
    }
}

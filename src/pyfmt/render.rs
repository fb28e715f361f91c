//! `format(value, spec)` for float, int and str: port of CPython's
//! Python/formatter_unicode.c (C locale, so `n` never groups).

use super::float_str::{double_to_string, float_repr, Code, Flags};
use super::spec::{FormatSpec, Resolved};

/// `format(x, spec)` for a Python float.
pub fn format_float(x: f64, spec: &FormatSpec) -> Result<String, String> {
    if spec.text.is_empty() {
        return Ok(float_repr(x));
    }
    let spec = spec.resolve("float", '\0', '>')?;
    match spec.kind {
        '\0' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%' => Ok(float_internal(x, &spec)),
        kind => Err(unknown_code(kind, "float")),
    }
}

/// `format(i, spec)` for a Python int (float types convert it to float).
/// Errors are ValueError messages, except `%c arg not in range(0x110000)`,
/// which CPython raises as OverflowError.
pub fn format_int(i: i64, spec: &FormatSpec) -> Result<String, String> {
    if spec.text.is_empty() {
        return Ok(i.to_string());
    }
    int_like(i, spec, "int")
}

/// `format(b, spec)` for an int outside the i64 range.
pub fn format_bigint(b: &num_bigint::BigInt, spec: &FormatSpec) -> Result<String, String> {
    let decimal = || crate::lang::ops::bigint::to_decimal(b).map_err(|e| e.message().to_string());
    if spec.text.is_empty() {
        return decimal();
    }
    let spec = spec.resolve("int", 'd', '>')?;
    match spec.kind {
        'b' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        'c' => return Err("%c arg not in range(0x110000)".to_string()),
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => {
            let f = crate::lang::ops::bigint::to_f64(b).map_err(|e| e.message().to_string())?;
            return Ok(float_internal(f, &spec));
        }
        kind => return Err(unknown_code(kind, "int")),
    }
    if spec.precision.is_some() {
        return Err("Precision not allowed in integer format specifier".to_string());
    }
    if spec.no_neg_zero {
        return Err(
            "Negative zero coercion (z) not allowed in integer format specifier".to_string(),
        );
    }
    let magnitude = b.magnitude();
    let (digits, prefix) = match spec.kind {
        'b' => (magnitude.to_str_radix(2), "0b"),
        'o' => (magnitude.to_str_radix(8), "0o"),
        'x' => (magnitude.to_str_radix(16), "0x"),
        'X' => (magnitude.to_str_radix(16).to_ascii_uppercase(), "0X"),
        _ => (decimal()?.trim_start_matches('-').to_string(), ""),
    };
    let number = Number {
        negative: b.sign() == num_bigint::Sign::Minus,
        prefix: if spec.alternate { prefix } else { "" },
        digits: &digits,
        has_decimal: false,
        remainder: "",
    };
    Ok(number.render(&spec, grouping_for(&spec)))
}

/// `format(b, spec)` for a Python bool: `True` for an empty spec, else the
/// int 0 or 1 (`format(True, '>5') == '    1'`).
pub fn format_bool(b: bool, spec: &FormatSpec) -> Result<String, String> {
    if spec.text.is_empty() {
        return Ok(if b { "True" } else { "False" }.to_string());
    }
    int_like(i64::from(b), spec, "bool")
}

fn int_like(i: i64, spec: &FormatSpec, type_name: &str) -> Result<String, String> {
    let spec = spec.resolve(type_name, 'd', '>')?;
    match spec.kind {
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => int_internal(i, &spec),
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => Ok(float_internal(i as f64, &spec)),
        kind => Err(unknown_code(kind, type_name)),
    }
}

/// `format(s, spec)` for a Python str.
pub fn format_str(s: &str, spec: &FormatSpec) -> Result<String, String> {
    if spec.text.is_empty() {
        return Ok(s.to_string());
    }
    let spec = spec.resolve("str", 's', '<')?;
    if spec.kind != 's' {
        return Err(unknown_code(spec.kind, "str"));
    }
    match spec.sign {
        Some(' ') => return Err("Space not allowed in string format specifier".to_string()),
        Some(_) => return Err("Sign not allowed in string format specifier".to_string()),
        None => {}
    }
    if spec.no_neg_zero {
        return Err(
            "Negative zero coercion (z) not allowed in string format specifier".to_string(),
        );
    }
    if spec.alternate {
        return Err("Alternate form (#) not allowed in string format specifier".to_string());
    }
    if spec.align == '=' {
        return Err("'=' alignment not allowed in string format specifier".to_string());
    }
    let kept: String = match spec.precision {
        Some(precision) => s.chars().take(precision).collect(),
        None => s.to_string(),
    };
    let len = kept.chars().count() as isize;
    let padding = (spec.width - len).max(0);
    let left = match spec.align {
        '>' => padding,
        '^' => padding / 2,
        _ => 0,
    };
    Ok(pad(&spec, left, &kept, padding - left))
}

fn unknown_code(kind: char, type_name: &str) -> String {
    if (33..128).contains(&(kind as u32)) {
        format!("Unknown format code '{kind}' for object of type '{type_name}'")
    } else {
        format!(
            "Unknown format code '\\x{:x}' for object of type '{type_name}'",
            kind as u32
        )
    }
}

fn pad(spec: &Resolved, left: isize, body: &str, right: isize) -> String {
    let fill = |n: isize| std::iter::repeat_n(spec.fill, n.max(0) as usize);
    fill(left).chain(body.chars()).chain(fill(right)).collect()
}

/// Port of `format_float_internal`.
fn float_internal(x: f64, spec: &Resolved) -> String {
    let mut flags = Flags {
        upper: matches!(spec.kind, 'E' | 'F' | 'G'),
        alt: spec.alternate,
        no_neg_0: spec.no_neg_zero,
        ..Flags::default()
    };
    let (code, value, percent) = match spec.kind {
        'e' | 'E' => (Code::Exp, x, false),
        'f' | 'F' => (Code::Fixed, x, false),
        '%' => (Code::Fixed, x * 100.0, true),
        // 'g', 'G', 'n'
        _ if spec.kind != '\0' => (Code::General, x, false),
        _ => {
            flags.add_dot_0 = true;
            let code = if spec.precision.is_some() {
                Code::General
            } else {
                Code::Repr
            };
            (code, x, false)
        }
    };
    let default_precision = if code == Code::Repr { 0 } else { 6 };
    let precision = spec.precision.unwrap_or(default_precision);
    let mut text = double_to_string(value, code, precision, flags);
    if percent {
        text.push('%');
    }
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let int_len = body.bytes().take_while(u8::is_ascii_digit).count();
    let (digits, rest) = body.split_at(int_len);
    let (has_decimal, remainder) = match rest.strip_prefix('.') {
        Some(remainder) => (true, remainder),
        None => (false, rest),
    };
    let number = Number {
        negative,
        prefix: "",
        digits,
        has_decimal,
        remainder,
    };
    number.render(spec, grouping_for(spec))
}

/// Port of `format_long_internal`.
fn int_internal(i: i64, spec: &Resolved) -> Result<String, String> {
    if spec.precision.is_some() {
        return Err("Precision not allowed in integer format specifier".to_string());
    }
    if spec.no_neg_zero {
        return Err(
            "Negative zero coercion (z) not allowed in integer format specifier".to_string(),
        );
    }
    let magnitude = i.unsigned_abs();
    let (digits, prefix) = match spec.kind {
        'c' => return char_internal(i, spec),
        'b' => (format!("{magnitude:b}"), "0b"),
        'o' => (format!("{magnitude:o}"), "0o"),
        'x' => (format!("{magnitude:x}"), "0x"),
        'X' => (format!("{magnitude:X}"), "0X"),
        _ => (magnitude.to_string(), ""),
    };
    let number = Number {
        negative: i < 0,
        prefix: if spec.alternate { prefix } else { "" },
        digits: &digits,
        has_decimal: false,
        remainder: "",
    };
    Ok(number.render(spec, grouping_for(spec)))
}

/// The `c` type: the character with code point `i`.
fn char_internal(i: i64, spec: &Resolved) -> Result<String, String> {
    if spec.sign.is_some() {
        return Err("Sign not allowed with integer format specifier 'c'".to_string());
    }
    if spec.alternate {
        return Err("Alternate form (#) not allowed with integer format specifier 'c'".to_string());
    }
    let c = u32::try_from(i)
        .ok()
        .and_then(char::from_u32)
        .ok_or_else(|| "%c arg not in range(0x110000)".to_string())?;
    let number = Number {
        negative: false,
        prefix: "",
        digits: "",
        has_decimal: false,
        remainder: &c.to_string(),
    };
    Ok(number.render(spec, None))
}

/// `n` uses the current locale, which is C: no grouping.
fn grouping_for(spec: &Resolved) -> Option<(char, usize)> {
    if spec.kind == 'n' {
        None
    } else {
        spec.grouping
    }
}

/// A number split as CPython's `calc_number_widths` sees it:
/// `<sign><prefix><digits>[.]<remainder>`.
struct Number<'a> {
    negative: bool,
    prefix: &'a str,
    /// The integer digits, the only part that is grouped and zero-padded.
    digits: &'a str,
    has_decimal: bool,
    /// Fraction digits, exponent, `%`, or all of `inf`/`nan`.
    remainder: &'a str,
}

impl Number<'_> {
    /// Port of `calc_number_widths` + `fill_number`.
    fn render(&self, spec: &Resolved, grouping: Option<(char, usize)>) -> String {
        let sign = match spec.sign {
            Some(c @ ('+' | ' ')) if !self.negative => Some(c),
            _ if self.negative => Some('-'),
            _ => None,
        };
        let non_digits = sign.map_or(0, |_| 1)
            + self.prefix.len()
            + usize::from(self.has_decimal)
            + self.remainder.chars().count();
        let non_digits = non_digits as isize;
        let min_width = if spec.fill == '0' && spec.align == '=' {
            spec.width - non_digits
        } else {
            0
        };
        let grouped = if self.digits.is_empty() {
            String::new()
        } else {
            group_digits(self.digits, min_width, grouping)
        };
        let padding = (spec.width - non_digits - grouped.len() as isize).max(0);
        let (left, inner, right) = match spec.align {
            '<' => (0, 0, padding),
            '^' => (padding / 2, 0, padding - padding / 2),
            '=' => (0, padding, 0),
            _ => (padding, 0, 0),
        };
        let mut body = String::new();
        body.extend(sign);
        body.push_str(self.prefix);
        body.extend(std::iter::repeat_n(spec.fill, inner as usize));
        body.push_str(&grouped);
        if self.has_decimal {
            body.push('.');
        }
        body.push_str(self.remainder);
        pad(spec, left, &body, right)
    }
}

/// Port of `_PyUnicode_InsertThousandsGrouping`: inserts separators and, when
/// `min_width` asks for it, leading zeros (which are grouped too).
fn group_digits(digits: &str, min_width: isize, grouping: Option<(char, usize)>) -> String {
    let digits = digits.as_bytes();
    let mut min_width = min_width.max(0);
    let mut remaining = digits.len() as isize;
    // Groups from the right, each as its characters.
    let mut groups: Vec<String> = Vec::new();
    let mut take = |len: isize, remaining: &mut isize| {
        let n_zeros = (len - *remaining).max(0);
        let n_chars = (*remaining).min(len).max(0);
        let end = *remaining as usize;
        let start = end - n_chars as usize;
        let mut group: String = std::iter::repeat_n('0', n_zeros as usize).collect();
        group.push_str(&String::from_utf8_lossy(&digits[start..end]));
        groups.push(group);
        *remaining -= n_chars;
    };
    let separator = grouping.map(|(sep, _)| sep);
    let mut finished = false;
    if let Some((_, size)) = grouping {
        loop {
            let len = (size as isize).min(remaining.max(min_width).max(1));
            take(len, &mut remaining);
            min_width -= len;
            if remaining <= 0 && min_width <= 0 {
                finished = true;
                break;
            }
            min_width -= 1;
        }
    }
    if !finished {
        let len = remaining.max(min_width).max(1);
        take(len, &mut remaining);
    }
    groups.reverse();
    match separator {
        Some(sep) => groups.join(&sep.to_string()),
        None => groups.concat(),
    }
}

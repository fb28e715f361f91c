//! TEMPORARY stand-in for `crate::pyfmt` (being written on branch `format`), with the same API.
//! Delete this file and import `crate::pyfmt` once main has it.

/// Python's format-spec mini-language: `[[fill]align][sign][#][0][width][,|_][.precision][type]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FormatSpec {
    pub fill: char,
    pub align: Option<char>,
    pub sign: char,
    pub alternate: bool,
    pub width: usize,
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    pub ty: Option<char>,
}

impl FormatSpec {
    pub fn parse(spec: &str) -> Result<FormatSpec, String> {
        let chars: Vec<char> = spec.chars().collect();
        let mut i = 0;
        let mut out = FormatSpec {
            fill: ' ',
            sign: '-',
            ..FormatSpec::default()
        };
        let is_align = |c: char| "<>=^".contains(c);
        if chars.len() >= 2 && is_align(chars[1]) {
            out.fill = chars[0];
            out.align = Some(chars[1]);
            i = 2;
        } else if chars.first().is_some_and(|&c| is_align(c)) {
            out.align = Some(chars[0]);
            i = 1;
        }
        if let Some(&c) = chars.get(i).filter(|c| "+- ".contains(**c)) {
            out.sign = c;
            i += 1;
        }
        if chars.get(i) == Some(&'#') {
            out.alternate = true;
            i += 1;
        }
        if chars.get(i) == Some(&'0') {
            if out.align.is_none() {
                out.fill = '0';
                out.align = Some('=');
            }
            i += 1;
        }
        let digits = |i: &mut usize| {
            let start = *i;
            while chars.get(*i).is_some_and(|c| c.is_ascii_digit()) {
                *i += 1;
            }
            chars[start..*i]
                .iter()
                .collect::<String>()
                .parse::<usize>()
                .ok()
        };
        out.width = digits(&mut i).unwrap_or(0);
        if let Some(&c) = chars.get(i).filter(|c| ",_".contains(**c)) {
            out.grouping = Some(c);
            i += 1;
        }
        if chars.get(i) == Some(&'.') {
            i += 1;
            out.precision = Some(digits(&mut i).ok_or("Format specifier missing precision")?);
        }
        if let Some(&c) = chars.get(i) {
            out.ty = Some(c);
            i += 1;
        }
        if i != chars.len() {
            return Err("Invalid format specifier".into());
        }
        Ok(out)
    }
}

/// Python's `repr(float)`: shortest round-trip digits, exponent form outside `1e-4 <= |x| < 1e16`.
pub fn float_repr(x: f64) -> String {
    if !x.is_finite() {
        return nonfinite(x, false);
    }
    let sci = format!("{:e}", x);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if negative { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let body = if exp >= 0 {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                format!("{digits}{}.0", "0".repeat(int_len - digits.len()))
            } else {
                format!("{}.{}", &digits[..int_len], &digits[int_len..])
            }
        } else {
            format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
        };
        format!("{sign}{body}")
    } else {
        let mant = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        format!(
            "{sign}{mant}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    }
}

fn nonfinite(x: f64, upper: bool) -> String {
    let s = if x.is_nan() {
        "nan"
    } else if x > 0.0 {
        "inf"
    } else {
        "-inf"
    };
    if upper {
        s.to_uppercase()
    } else {
        s.to_string()
    }
}

/// `{:.Ne}` with Python's exponent (sign and at least two digits).
fn sci(x: f64, precision: usize, alternate: bool) -> String {
    let s = format!("{:.*e}", precision, x);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let dot = if alternate && !mant.contains('.') {
        "."
    } else {
        ""
    };
    format!(
        "{mant}{dot}e{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
}

/// `g` formatting: precision significant digits, trailing zeros removed unless `alternate`.
fn general(x: f64, precision: usize, alternate: bool) -> String {
    let p = precision.max(1);
    let probe = format!("{:.*e}", p - 1, x);
    let exp: i32 = probe
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    let s = if -4 <= exp && exp < p as i32 {
        format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, x)
    } else {
        sci(x, p - 1, alternate)
    };
    if alternate {
        return s;
    }
    match s.split_once('e') {
        Some((m, e)) => format!("{}e{e}", strip_zeros(m)),
        None => strip_zeros(&s).to_string(),
    }
}

fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

pub fn format_float(x: f64, spec: &FormatSpec) -> Result<String, String> {
    let upper = spec.ty.is_some_and(|t| t.is_ascii_uppercase());
    let body = if !x.is_finite() {
        nonfinite(x.abs(), upper) + if spec.ty == Some('%') { "%" } else { "" }
    } else {
        let a = x.abs();
        match spec.ty {
            Some('f' | 'F') => format!("{:.*}", spec.precision.unwrap_or(6), a),
            Some('e' | 'E') => sci(a, spec.precision.unwrap_or(6), spec.alternate),
            Some('g' | 'G' | 'n') => general(a, spec.precision.unwrap_or(6), spec.alternate),
            Some('%') => format!("{:.*}%", spec.precision.unwrap_or(6), a * 100.0),
            None => match spec.precision {
                None => float_repr(a),
                Some(p) => {
                    let s = general(a, p, spec.alternate);
                    if s.contains(['.', 'e']) {
                        s
                    } else {
                        s + ".0"
                    }
                }
            },
            Some(t) => {
                return Err(format!(
                    "Unknown format code '{t}' for object of type 'float'"
                ))
            }
        }
    };
    let body = if upper { body.to_uppercase() } else { body };
    let negative = x.is_sign_negative() && !x.is_nan();
    Ok(pad_number(&group(&body, spec.grouping), negative, spec))
}

pub fn format_int(i: i64, spec: &FormatSpec) -> Result<String, String> {
    let a = i.unsigned_abs();
    let body = match spec.ty {
        None | Some('d' | 'n') => {
            if spec.precision.is_some() {
                return Err("Precision not allowed in integer format specifier".into());
            }
            a.to_string()
        }
        Some('b') => format!("{}{a:b}", if spec.alternate { "0b" } else { "" }),
        Some('o') => format!("{}{a:o}", if spec.alternate { "0o" } else { "" }),
        Some('x') => format!("{}{a:x}", if spec.alternate { "0x" } else { "" }),
        Some('X') => format!("{}{a:X}", if spec.alternate { "0X" } else { "" }),
        Some('c') => char::from_u32(a as u32)
            .map(String::from)
            .ok_or("%c arg not in range(0x110000)")?,
        Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => return format_float(i as f64, spec),
        Some(t) => {
            return Err(format!(
                "Unknown format code '{t}' for object of type 'int'"
            ))
        }
    };
    Ok(pad_number(&group(&body, spec.grouping), i < 0, spec))
}

pub fn format_str(s: &str, spec: &FormatSpec) -> Result<String, String> {
    match spec.ty {
        None | Some('s') => {}
        Some(t) => {
            return Err(format!(
                "Unknown format code '{t}' for object of type 'str'"
            ))
        }
    }
    if spec.align == Some('=') {
        return Err("'=' alignment not allowed in string format specifier".into());
    }
    if spec.sign != '-' {
        return Err("Sign not allowed in string format specifier".into());
    }
    let text: String = match spec.precision {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    };
    Ok(pad(
        &text,
        "",
        spec.align.unwrap_or('<'),
        spec.fill,
        spec.width,
    ))
}

/// Python's `round(x, ndigits)` for floats: correctly rounded through the decimal string.
pub fn round_float(x: f64, ndigits: i64) -> f64 {
    if !x.is_finite() || ndigits > 300 {
        return x;
    }
    if ndigits >= 0 {
        return format!("{:.*}", ndigits as usize, x).parse().unwrap_or(x);
    }
    let factor = 10f64.powi((-ndigits).min(308) as i32);
    let y = (x / factor).round_ties_even() * factor;
    if y.is_finite() {
        y
    } else {
        0.0 * x
    }
}

/// Inserts `,` or `_` every three digits of the integer part.
fn group(body: &str, sep: Option<char>) -> String {
    let Some(sep) = sep else {
        return body.to_string();
    };
    let int_len = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    let (int, rest) = body.split_at(int_len);
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int_len - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out + rest
}

fn pad_number(body: &str, negative: bool, spec: &FormatSpec) -> String {
    let sign = match (negative, spec.sign) {
        (true, _) => "-",
        (false, '+') => "+",
        (false, ' ') => " ",
        _ => "",
    };
    pad(body, sign, spec.align.unwrap_or('>'), spec.fill, spec.width)
}

fn pad(body: &str, sign: &str, align: char, fill: char, width: usize) -> String {
    let len = body.chars().count() + sign.chars().count();
    let n = width.saturating_sub(len);
    let fill_n = |k: usize| fill.to_string().repeat(k);
    match align {
        '<' => format!("{sign}{body}{}", fill_n(n)),
        '^' => format!("{}{sign}{body}{}", fill_n(n / 2), fill_n(n - n / 2)),
        '=' => format!("{sign}{}{body}", fill_n(n)),
        _ => format!("{}{sign}{body}", fill_n(n)),
    }
}

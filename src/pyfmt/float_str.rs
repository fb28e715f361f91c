//! Port of CPython's `PyOS_double_to_string` (Python/pystrtod.c): decimal
//! digits of a double laid out as `repr`, `'e'`, `'f'` or `'g'` formatting.

/// Which presentation `double_to_string` lays the digits out in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Code {
    /// `repr`: shortest round-trip digits, exponent below 1e-4 and from 1e16.
    Repr,
    /// `'e'`: `precision` digits after the point, always an exponent.
    Exp,
    /// `'f'`: `precision` digits after the point, never an exponent.
    Fixed,
    /// `'g'`: `precision` significant digits, trailing zeros removed.
    General,
}

/// The `Py_DTSF_*` flags.
#[derive(Clone, Copy, Default, Debug)]
pub(super) struct Flags {
    /// Uppercase `E`, `INF`, `NAN` (the `E`, `F`, `G` types).
    pub upper: bool,
    /// Keep a `.0` on integral values (`repr`, and the format type "none").
    pub add_dot_0: bool,
    /// The `#` alternate form: keep the decimal point and trailing zeros.
    pub alt: bool,
    /// The `z` option: `-0` that rounds to zero loses its sign.
    pub no_neg_0: bool,
}

/// `repr(x)` / `str(x)` of a Python float: `0.1`, `1e-05`, `1e+16`, `-0.0`, `nan`.
pub fn float_repr(x: f64) -> String {
    let flags = Flags {
        add_dot_0: true,
        ..Flags::default()
    };
    double_to_string(x, Code::Repr, 0, flags)
}

/// Python's `'{:.Nf}'.format(x)` with `N = precision`.
pub fn format_fixed(x: f64, precision: usize) -> String {
    double_to_string(x, Code::Fixed, precision, Flags::default())
}

/// Python's `'{:.Ne}'.format(x)` with `N = precision`.
pub fn format_sci(x: f64, precision: usize) -> String {
    double_to_string(x, Code::Exp, precision, Flags::default())
}

/// Decimal digits of `|x|` as Gay's `_Py_dg_dtoa` returns them: no leading or
/// trailing zeros (just `"0"` for a zero result), and the decimal point after
/// `decpt` digits (`decpt` may be negative or beyond the digits).
struct Digits {
    digits: Vec<u8>,
    decpt: isize,
}

impl Digits {
    /// From Rust's `d.ddde-N` output.
    fn from_exp(text: &str) -> Digits {
        let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
        let exp: isize = exp.parse().unwrap_or(0);
        let digits = mantissa.bytes().filter(u8::is_ascii_digit).collect();
        Digits::normalized(digits, exp + 1)
    }

    /// From Rust's `ddd.ddd` output.
    fn from_fixed(text: &str) -> Digits {
        let int_len = text.find('.').unwrap_or(text.len());
        let digits = text.bytes().filter(u8::is_ascii_digit).collect();
        Digits::normalized(digits, int_len as isize)
    }

    fn normalized(mut digits: Vec<u8>, mut decpt: isize) -> Digits {
        let leading = digits.iter().take_while(|&&d| d == b'0').count();
        digits.drain(..leading);
        decpt -= leading as isize;
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        if digits.is_empty() {
            return Digits {
                digits: vec![b'0'],
                decpt: 1,
            };
        }
        Digits { digits, decpt }
    }
}

/// The shortest digits that read back as `abs`; among several, the closest to
/// it, ties to even. Rust's `{:e}` gives the right length but breaks exact
/// ties upwards (`74633402461556.63` where CPython has `...62`), so the
/// correctly rounded digits of that length win whenever they read back too.
fn shortest_digits(abs: f64) -> Digits {
    let shortest = format!("{abs:e}");
    let significant = shortest
        .split('e')
        .next()
        .map_or(1, |m| m.replace('.', "").len());
    let after_point = significant - 1;
    let nearest = format!("{abs:.after_point$e}");
    if nearest.parse::<f64>() == Ok(abs) {
        Digits::from_exp(&nearest)
    } else {
        Digits::from_exp(&shortest)
    }
}

/// The digits of `|x|` (finite) for a presentation: shortest, `significant`
/// significant digits, or `precision` digits after the point.
fn digits_for(abs: f64, code: Code, precision: usize) -> Digits {
    match code {
        Code::Repr => shortest_digits(abs),
        Code::Exp => Digits::from_exp(&format!("{abs:.precision$e}")),
        Code::General => {
            let after_point = precision.max(1) - 1;
            Digits::from_exp(&format!("{abs:.after_point$e}"))
        }
        Code::Fixed => Digits::from_fixed(&format!("{abs:.precision$}")),
    }
}

/// Port of `format_float_short`: `x` formatted for `code` at `precision`.
pub(super) fn double_to_string(x: f64, code: Code, precision: usize, flags: Flags) -> String {
    if x.is_nan() {
        return if flags.upper { "NAN" } else { "nan" }.to_string();
    }
    let mut out = String::new();
    if x.is_infinite() {
        if x < 0.0 {
            out.push('-');
        }
        out.push_str(if flags.upper { "INF" } else { "inf" });
        return out;
    }
    let Digits { digits, mut decpt } = digits_for(x.abs(), code, precision);
    let n_digits = digits.len() as isize;
    let precision = precision as isize;

    let mut use_exp = false;
    let mut vdigits_end = n_digits;
    match code {
        Code::Exp => {
            use_exp = true;
            vdigits_end = precision + 1;
        }
        Code::Fixed => vdigits_end = decpt + precision,
        Code::General => {
            let precision = precision.max(1);
            let limit = if flags.add_dot_0 {
                precision - 1
            } else {
                precision
            };
            use_exp = decpt <= -4 || decpt > limit;
            if flags.alt {
                vdigits_end = precision;
            }
        }
        Code::Repr => use_exp = decpt <= -4 || decpt > 16,
    }
    let mut exp = 0;
    if use_exp {
        exp = decpt - 1;
        decpt = 1;
    }
    let vdigits_start = if decpt <= 0 { decpt - 1 } else { 0 };
    let min_end = if !use_exp && flags.add_dot_0 {
        decpt + 1
    } else {
        decpt
    };
    let vdigits_end = vdigits_end.max(min_end);

    let rounds_to_zero = digits == b"0";
    if x.is_sign_negative() && !(flags.no_neg_0 && rounds_to_zero) {
        out.push('-');
    }
    let zeros = |out: &mut String, n: isize| out.extend((0..n).map(|_| '0'));
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    if decpt <= 0 {
        zeros(&mut out, decpt - vdigits_start);
        out.push('.');
        zeros(&mut out, -decpt);
    }
    if 0 < decpt && decpt <= n_digits {
        let (int_part, frac_part) = digits.split_at(decpt as usize);
        out.push_str(&text(int_part));
        out.push('.');
        out.push_str(&text(frac_part));
    } else {
        out.push_str(&text(&digits));
    }
    if n_digits < decpt {
        zeros(&mut out, decpt - n_digits);
        out.push('.');
        zeros(&mut out, vdigits_end - decpt);
    } else {
        zeros(&mut out, vdigits_end - n_digits);
    }
    if out.ends_with('.') && !flags.alt {
        out.pop();
    }
    if use_exp {
        out.push(if flags.upper { 'E' } else { 'e' });
        out.push_str(&format!("{exp:+03}"));
    }
    out
}

//! The format-spec mini-language:
//! `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`,
//! parsed as CPython's `parse_internal_render_format_spec` does.

/// Widths and precisions beyond this are refused rather than allocated
/// (CPython would try to build the gigabyte-sized string).
const MAX_FIELD: usize = 1 << 20;

/// A parsed format spec. Parsing does not know the value's type; the parts of
/// CPython's validation that depend on it (default type and alignment, the
/// message naming the type) happen in `FormatSpec::resolve`, called by
/// `format_float`, `format_int` and `format_str`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FormatSpec {
    /// The spec text, for error messages and the empty-spec case.
    pub text: String,
    /// The fill character given before an alignment.
    pub fill: Option<char>,
    /// One of `<`, `>`, `^`, `=`.
    pub align: Option<char>,
    /// One of `+`, `-`, ` `.
    pub sign: Option<char>,
    /// `z`: coerce negative zero to zero.
    pub no_neg_zero: bool,
    /// `#`: alternate form.
    pub alternate: bool,
    /// `0` before the width (only when no fill was given).
    pub zero_pad: bool,
    pub width: Option<usize>,
    /// `,` or `_`.
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    /// The presentation type, e.g. `f`.
    pub kind: Option<char>,
    /// More than one character was left where the type goes.
    trailing_garbage: bool,
}

/// A spec with the type-dependent defaults applied.
#[derive(Clone, Debug)]
pub(super) struct Resolved {
    pub fill: char,
    pub align: char,
    pub sign: Option<char>,
    pub no_neg_zero: bool,
    pub alternate: bool,
    /// -1 when absent, as in CPython.
    pub width: isize,
    pub precision: Option<usize>,
    /// The separator and group size, e.g. `(',', 3)` or `('_', 4)`.
    pub grouping: Option<(char, usize)>,
    pub kind: char,
}

fn is_align(c: char) -> bool {
    matches!(c, '<' | '>' | '^' | '=')
}

impl FormatSpec {
    /// Parses a spec such as `>10.3f`. Errors are CPython's ValueError
    /// messages; the one that names the value's type ("Invalid format
    /// specifier ...") is reported by the `format_*` functions instead.
    pub fn parse(text: &str) -> Result<FormatSpec, String> {
        let chars: Vec<char> = text.chars().collect();
        let mut spec = FormatSpec {
            text: text.to_string(),
            ..FormatSpec::default()
        };
        let mut pos = 0;
        let peek = |pos: usize| chars.get(pos).copied();

        if chars.len() >= 2 && is_align(chars[1]) {
            spec.fill = Some(chars[0]);
            spec.align = Some(chars[1]);
            pos = 2;
        } else if peek(0).is_some_and(is_align) {
            spec.align = peek(0);
            pos = 1;
        }
        if let Some(c @ ('+' | '-' | ' ')) = peek(pos) {
            spec.sign = Some(c);
            pos += 1;
        }
        if peek(pos) == Some('z') {
            spec.no_neg_zero = true;
            pos += 1;
        }
        if peek(pos) == Some('#') {
            spec.alternate = true;
            pos += 1;
        }
        if spec.fill.is_none() && peek(pos) == Some('0') {
            spec.zero_pad = true;
            pos += 1;
        }
        let (width, used) = parse_integer(&chars[pos..])?;
        spec.width = width;
        pos += used;
        if peek(pos) == Some(',') {
            spec.grouping = Some(',');
            pos += 1;
        }
        if peek(pos) == Some('_') {
            if spec.grouping.is_some() {
                return Err(comma_and_underscore());
            }
            spec.grouping = Some('_');
            pos += 1;
        }
        if peek(pos) == Some(',') && spec.grouping == Some('_') {
            return Err(comma_and_underscore());
        }
        if peek(pos) == Some('.') {
            pos += 1;
            let (precision, used) = parse_integer(&chars[pos..])?;
            if precision.is_none() {
                return Err("Format specifier missing precision".to_string());
            }
            spec.precision = precision;
            pos += used;
        }
        match chars.len() - pos {
            0 => {}
            1 => spec.kind = peek(pos),
            _ => spec.trailing_garbage = true,
        }
        Ok(spec)
    }

    /// Applies the defaults of a type (`'d'` and `'>'` for int, none and
    /// `'>'` for float, `'s'` and `'<'` for str) and CPython's checks that
    /// only look at the spec.
    pub(super) fn resolve(
        &self,
        type_name: &str,
        default_kind: char,
        default_align: char,
    ) -> Result<Resolved, String> {
        if self.trailing_garbage {
            return Err(format!(
                "Invalid format specifier '{}' for object of type '{type_name}'",
                self.text
            ));
        }
        let kind = self.kind.unwrap_or(default_kind);
        let grouping = match (self.grouping, kind) {
            (None, _) => None,
            (Some(sep), 'd' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F' | '\0') => Some((sep, 3)),
            (Some('_'), 'b' | 'o' | 'x' | 'X') => Some(('_', 4)),
            (Some(sep), kind) => return Err(format!("Cannot specify '{sep}' with '{kind}'.")),
        };
        let align = match self.align {
            Some(align) => align,
            None if self.zero_pad && default_align == '>' => '=',
            None => default_align,
        };
        let fill = match self.fill {
            Some(fill) => fill,
            None if self.zero_pad => '0',
            None => ' ',
        };
        Ok(Resolved {
            fill,
            align,
            sign: self.sign,
            no_neg_zero: self.no_neg_zero,
            alternate: self.alternate,
            width: self.width.map_or(-1, |w| w as isize),
            precision: self.precision,
            grouping,
            kind,
        })
    }
}

fn comma_and_underscore() -> String {
    "Cannot specify both ',' and '_'.".to_string()
}

/// Leading decimal digits: their value (None if there are none) and count.
fn parse_integer(chars: &[char]) -> Result<(Option<usize>, usize), String> {
    let used = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if used == 0 {
        return Ok((None, 0));
    }
    let mut value: usize = 0;
    for c in &chars[..used] {
        value = value * 10 + c.to_digit(10).unwrap_or(0) as usize;
        if value > MAX_FIELD {
            return Err("Too many decimal digits in format string".to_string());
        }
    }
    Ok((Some(value), used))
}

//! Methods of str.

use std::cmp::Ordering;

use super::unicode_tables as tables;
use super::{no_args, positional, Qualname};
use crate::lang::builtins::int_of;
use crate::lang::exception::Exception;
use crate::lang::format::str_format;
use crate::lang::interp::collect;
use crate::lang::value::{lock, Args, Value};

pub(super) const STR_METHODS: &[&str] = &[
    "capitalize",
    "casefold",
    "center",
    "count",
    "endswith",
    "expandtabs",
    "find",
    "format",
    "format_map",
    "index",
    "isalnum",
    "isalpha",
    "isascii",
    "isdecimal",
    "isdigit",
    "isidentifier",
    "islower",
    "isnumeric",
    "isprintable",
    "isspace",
    "istitle",
    "isupper",
    "join",
    "ljust",
    "lower",
    "lstrip",
    "maketrans",
    "partition",
    "removeprefix",
    "removesuffix",
    "replace",
    "rfind",
    "rindex",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "split",
    "splitlines",
    "startswith",
    "strip",
    "swapcase",
    "title",
    "translate",
    "upper",
    "zfill",
];

fn must_be_str<'a>(v: &'a Value, what: &str) -> Result<&'a str, Exception> {
    match v {
        Value::Str(s) => Ok(s),
        other => Err(Exception::type_error(format!(
            "{what}must be str, not {}",
            other.type_name()
        ))),
    }
}

/// Room for a new string of `bytes` bytes, or `MemoryError`.
fn reserve_text(bytes: usize) -> Result<(), Exception> {
    crate::lang::ops::check_len(bytes)?;
    crate::lang::budget::reserve_items(bytes, 1)
}

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let cp = c as u32;
    table
        .binary_search_by(|&(a, b)| {
            if cp < a {
                Ordering::Greater
            } else if cp > b {
                Ordering::Less
            } else {
                Ordering::Equal
            }
        })
        .is_ok()
}

/// Python's `str.isspace` for one character (the Unicode white space and `\x1c`..`\x1f`).
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `str.isprintable` for one character: what `repr` shows as is.
pub fn is_printable(c: char) -> bool {
    in_table(tables::PRINTABLE, c)
}

fn is_titlecase(c: char) -> bool {
    !c.is_uppercase()
        && !c.is_lowercase()
        && c.to_lowercase().ne(std::iter::once(c))
        && c.to_uppercase().ne(std::iter::once(c))
}

fn is_cased(c: char) -> bool {
    c.is_uppercase() || c.is_lowercase() || is_titlecase(c)
}

fn is_alnum(c: char) -> bool {
    in_table(tables::ALPHA, c)
        || in_table(tables::DECIMAL, c)
        || in_table(tables::DIGIT, c)
        || in_table(tables::NUMERIC, c)
}

fn push_title(out: &mut String, c: char) {
    match tables::TITLE.binary_search_by(|(k, _)| k.cmp(&c)) {
        Ok(i) => out.push_str(tables::TITLE[i].1),
        Err(_) => out.extend(c.to_uppercase()),
    }
}

fn push_fold(out: &mut String, c: char) {
    match tables::FOLD.binary_search_by(|(k, _)| k.cmp(&c)) {
        Ok(i) => out.push_str(tables::FOLD[i].1),
        Err(_) => out.extend(c.to_lowercase()),
    }
}

fn predicate(s: &str, name: &str) -> bool {
    let all = |f: fn(char) -> bool| !s.is_empty() && s.chars().all(f);
    match name {
        "isdigit" => all(|c| in_table(tables::DIGIT, c)),
        "isalpha" => all(|c| in_table(tables::ALPHA, c)),
        "isalnum" => all(is_alnum),
        "isspace" => all(is_space),
        "isdecimal" => all(|c| in_table(tables::DECIMAL, c)),
        "isnumeric" => all(|c| in_table(tables::NUMERIC, c)),
        "isascii" => s.is_ascii(),
        "isprintable" => s.chars().all(is_printable),
        "isidentifier" => {
            let mut chars = s.chars();
            chars
                .next()
                .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
                && chars.all(unicode_ident::is_xid_continue)
        }
        "isupper" | "islower" => {
            let upper = name == "isupper";
            let mut cased = false;
            for c in s.chars() {
                let (want, other) = if upper {
                    (c.is_uppercase(), c.is_lowercase())
                } else {
                    (c.is_lowercase(), c.is_uppercase())
                };
                if other || is_titlecase(c) {
                    return false;
                }
                cased |= want;
            }
            cased
        }
        _ => {
            // istitle
            let (mut cased, mut previous) = (false, false);
            for c in s.chars() {
                if c.is_uppercase() || is_titlecase(c) {
                    if previous {
                        return false;
                    }
                    previous = true;
                    cased = true;
                } else if c.is_lowercase() {
                    if !previous {
                        return false;
                    }
                    previous = true;
                    cased = true;
                } else {
                    previous = false;
                }
            }
            cased
        }
    }
}

/// A slice index (`start`/`end` of `find` and the others): an int or None.
fn slice_index(v: Option<&Value>) -> Result<Option<i64>, Exception> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(Value::Bool(b)) => Ok(Some(*b as i64)),
        Some(_) => Err(Exception::type_error(
            "slice indices must be integers or None or have an __index__ method",
        )),
    }
}

/// `s[start:end]` as CPython's `ADJUST_INDICES` clips it: the char offsets `(start, end)`,
/// where `end < start` may hold.
fn adjust(len: usize, start: Option<i64>, end: Option<i64>) -> (i64, i64) {
    let len = len as i64;
    let clip = |i: i64| if i < 0 { (i + len).max(0) } else { i };
    let end = end.map_or(len, |e| clip(e).min(len));
    let start = start.map_or(0, clip);
    (start, end)
}

/// The byte offset of char `i` of `s` (`s.len()` past the end).
fn byte_at(s: &str, i: usize) -> usize {
    if s.is_ascii() {
        return i.min(s.len());
    }
    s.char_indices().nth(i).map_or(s.len(), |(b, _)| b)
}

fn char_count(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// The receiver and substring of `find`, `count`... with their `start` and `end`:
/// the window `s[start:end]` as text, its char offset, and whether it is empty past the end.
struct Window<'a> {
    text: &'a str,
    offset: usize,
    /// `end - start`, negative when the window is inverted.
    width: i64,
    /// `start > len(s)`.
    past_end: bool,
}

fn window<'a>(s: &'a str, a: &[Value]) -> Result<Window<'a>, Exception> {
    let len = char_count(s);
    let (start, end) = adjust(len, slice_index(a.get(1))?, slice_index(a.get(2))?);
    let past_end = start > len as i64;
    let (lo, hi) = (start.min(len as i64) as usize, end.max(0) as usize);
    let text = if lo < hi {
        &s[byte_at(s, lo)..byte_at(s, hi)]
    } else {
        ""
    };
    Ok(Window {
        text,
        offset: lo,
        width: end - start,
        past_end,
    })
}

/// `find`/`rfind`: the char index of `sub` in `s[start:end]`, or -1.
fn find(s: &str, a: &[Value], reverse: bool) -> Result<i64, Exception> {
    let sub = must_be_str(&a[0], "")?;
    let w = window(s, a)?;
    let sub_len = char_count(sub) as i64;
    if w.width < sub_len || w.past_end {
        return Ok(-1);
    }
    let found = if reverse {
        w.text.rfind(sub)
    } else {
        w.text.find(sub)
    };
    Ok(found.map_or(-1, |b| (w.offset + char_count(&w.text[..b])) as i64))
}

/// `startswith`/`endswith` accept a string or a tuple of strings.
fn affix_matches(s: &str, a: &[Value], name: &str) -> Result<bool, Exception> {
    let w = window(s, a)?;
    let test = |affix: &str| {
        if w.past_end || w.width < char_count(affix) as i64 {
            false
        } else if name == "startswith" {
            w.text.starts_with(affix)
        } else {
            w.text.ends_with(affix)
        }
    };
    match &a[0] {
        Value::Str(affix) => Ok(test(affix)),
        Value::Tuple(items) => {
            for item in items.iter() {
                match item {
                    Value::Str(affix) => {
                        if test(affix) {
                            return Ok(true);
                        }
                    }
                    other => {
                        return Err(Exception::type_error(format!(
                            "tuple for {name} must only contain str, not {}",
                            other.type_name()
                        )))
                    }
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

/// Arguments of `center`/`ljust`/`rjust`: the width and the fill character.
fn pad_args(args: &Args, name: &str) -> Result<(i64, char), Exception> {
    args.no_keywords(name)?;
    let n = args.positional.len();
    if n == 0 {
        return Err(Exception::type_error(format!(
            "{name} expected at least 1 argument, got 0"
        )));
    }
    if n > 2 {
        return Err(Exception::type_error(format!(
            "{name} expected at most 2 arguments, got {n}"
        )));
    }
    let width = int_of(&args.positional[0])?;
    let fill = match args.positional.get(1) {
        None => ' ',
        Some(Value::Str(f)) => {
            let mut chars = f.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => {
                    return Err(Exception::type_error(
                        "The fill character must be exactly one character long",
                    ))
                }
            }
        }
        Some(other) => {
            return Err(Exception::type_error(format!(
                "The fill character must be a unicode character, not {}",
                other.type_name()
            )))
        }
    };
    Ok((width, fill))
}

fn pad(s: &str, left: usize, right: usize, fill: char) -> Result<String, Exception> {
    let bytes = left
        .saturating_add(right)
        .saturating_mul(fill.len_utf8())
        .saturating_add(s.len());
    reserve_text(bytes)?;
    let mut out = String::with_capacity(bytes);
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(s);
    out.extend(std::iter::repeat_n(fill, right));
    Ok(out)
}

fn separator(v: &Value) -> Result<&str, Exception> {
    let sep = must_be_str(v, "")?;
    if sep.is_empty() {
        return Err(Exception::value_error("empty separator"));
    }
    Ok(sep)
}

/// `str.maketrans(x[, y[, z]])`: a translation table for `str.translate`.
pub(super) fn maketrans(args: &Args) -> Result<Value, Exception> {
    let a = positional(args, "maketrans", 1, 3)?;
    let mut table = crate::lang::dict::Dict::new();
    if a.len() == 1 {
        let Value::Dict(d) = &a[0] else {
            return Err(Exception::type_error(
                "if you give only one argument to maketrans it must be a dict",
            ));
        };
        let items = lock(d).items();
        for (k, v) in items {
            let key = match &k {
                Value::Int(_) => k.clone(),
                Value::Bool(b) => Value::Int(*b as i64),
                Value::Str(s) => {
                    let mut chars = s.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) => Value::Int(c as i64),
                        _ => {
                            return Err(Exception::value_error(
                                "string keys in translate table must be of length 1",
                            ))
                        }
                    }
                }
                _ => {
                    return Err(Exception::type_error(
                        "keys in translate table must be strings or integers",
                    ))
                }
            };
            table.insert(key, v)?;
        }
    } else {
        let Value::Str(x) = &a[0] else {
            return Err(Exception::type_error(
                "first maketrans argument must be a string if there is a second argument",
            ));
        };
        let y = must_be_str(&a[1], "maketrans() argument 2 ")?;
        if char_count(x) != char_count(y) {
            return Err(Exception::value_error(
                "the first two maketrans arguments must have equal length",
            ));
        }
        for (from, to) in x.chars().zip(y.chars()) {
            table.insert(Value::Int(from as i64), Value::Int(to as i64))?;
        }
        if let Some(z) = a.get(2) {
            for c in must_be_str(z, "maketrans() argument 3 ")?.chars() {
                table.insert(Value::Int(c as i64), Value::None)?;
            }
        }
    }
    Ok(Value::Dict(crate::lang::value::shared(table)))
}

fn translate(s: &str, table: &Value) -> Result<String, Exception> {
    let Value::Dict(d) = table else {
        return Err(Exception::type_error(format!(
            "'{}' object is not subscriptable",
            table.type_name()
        )));
    };
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let mapped = lock(d).get(&Value::Int(c as i64))?;
        match mapped {
            None => out.push(c),
            Some(Value::None) => {}
            Some(Value::Str(t)) => {
                reserve_text(out.len().saturating_add(t.len()))?;
                out.push_str(&t);
            }
            Some(Value::Int(i)) => match u32::try_from(i).ok().and_then(char::from_u32) {
                Some(c) => out.push(c),
                None if (0..0x110000).contains(&i) => out.push('\u{FFFD}'),
                None => {
                    return Err(Exception::value_error(
                        "character mapping must be in range(0x110000)",
                    ))
                }
            },
            Some(Value::Bool(b)) => out.push(if b { '\u{1}' } else { '\0' }),
            Some(_) => {
                return Err(Exception::type_error(
                    "character mapping must return integer, None or str",
                ))
            }
        }
    }
    Ok(out)
}

fn expandtabs(s: &str, args: &Args) -> Result<String, Exception> {
    let a = args.bind("expandtabs", &["tabsize"], 0)?;
    let tabsize = a[0].as_ref().map(int_of).transpose()?.unwrap_or(8);
    if i32::try_from(tabsize).is_err() {
        return Err(Exception::new(
            "OverflowError",
            "Python int too large to convert to C int",
        ));
    }
    let mut out = String::with_capacity(s.len());
    let mut column: usize = 0;
    for c in s.chars() {
        if c == '\t' {
            if tabsize > 0 {
                let n = tabsize as usize - column % tabsize as usize;
                column += n;
                reserve_text(out.len().saturating_add(n))?;
                out.extend(std::iter::repeat_n(' ', n));
            }
        } else {
            column += 1;
            out.push(c);
            if c == '\n' || c == '\r' {
                column = 0;
            }
        }
    }
    Ok(out)
}

pub(super) fn str_method(s: &str, name: &str, args: &Args) -> Result<Value, Exception> {
    let text = |t: String| Ok(Value::str(t));
    let q = |name| Qualname { kind: "str", name };
    match name {
        "format" => text(str_format(s, args)?),
        "format_map" => {
            let a = positional(args, name, 1, 1)?;
            let Value::Dict(d) = &a[0] else {
                return Err(Exception::type_error(format!(
                    "'{}' object is not subscriptable",
                    a[0].type_name()
                )));
            };
            let keywords = lock(d)
                .items()
                .into_iter()
                .filter_map(|(k, v)| match k {
                    Value::Str(k) => Some((k.to_string(), v)),
                    _ => None,
                })
                .collect();
            text(str_format(
                s,
                &Args {
                    positional: Vec::new(),
                    keywords,
                },
            )?)
        }
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
        "split" | "rsplit" => {
            let a = args.bind(name, &["sep", "maxsplit"], 0)?;
            let maxsplit = a[1].as_ref().map(int_of).transpose()?.unwrap_or(-1);
            let limit = if maxsplit < 0 {
                usize::MAX
            } else {
                (maxsplit as usize).saturating_add(1)
            };
            let reverse = name == "rsplit";
            let parts: Vec<Value> = match a[0].as_ref().filter(|v| !matches!(v, Value::None)) {
                None if reverse => rsplit_whitespace(s, limit),
                None => split_whitespace(s, limit),
                Some(sep) => {
                    let Value::Str(sep) = sep else {
                        return Err(Exception::type_error(format!(
                            "must be str or None, not {}",
                            sep.type_name()
                        )));
                    };
                    if sep.is_empty() {
                        return Err(Exception::value_error("empty separator"));
                    }
                    if reverse {
                        let mut parts: Vec<Value> =
                            s.rsplitn(limit, &**sep).map(Value::str).collect();
                        parts.reverse();
                        parts
                    } else {
                        s.splitn(limit, &**sep).map(Value::str).collect()
                    }
                }
            };
            Ok(Value::list(parts))
        }
        "partition" | "rpartition" => {
            let a = positional(args, name, 1, 1)?;
            let sep = separator(&a[0])?;
            let found = if name == "partition" {
                s.find(sep)
            } else {
                s.rfind(sep)
            };
            let parts = match found {
                Some(at) => [&s[..at], sep, &s[at + sep.len()..]],
                None if name == "partition" => [s, "", ""],
                None => ["", "", s],
            };
            Ok(Value::tuple(parts.iter().map(|p| Value::str(*p)).collect()))
        }
        "strip" | "lstrip" | "rstrip" => {
            let a = positional(args, name, 0, 1)?;
            let chars: Option<Vec<char>> = match a.first() {
                Some(Value::Str(c)) => Some(c.chars().collect()),
                Some(Value::None) | None => None,
                Some(_) => {
                    return Err(Exception::type_error(format!(
                        "{name} arg must be None or str"
                    )))
                }
            };
            let strip = |c: char| chars.as_ref().map_or(is_space(c), |cs| cs.contains(&c));
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
            no_args(args, q(name))?;
            text(s.to_uppercase())
        }
        "lower" => {
            no_args(args, q(name))?;
            text(s.to_lowercase())
        }
        "casefold" => {
            no_args(args, q(name))?;
            let mut out = String::with_capacity(s.len());
            s.chars().for_each(|c| push_fold(&mut out, c));
            text(out)
        }
        "swapcase" => {
            no_args(args, q(name))?;
            let mut out = String::with_capacity(s.len());
            for c in s.chars() {
                if c.is_uppercase() {
                    out.extend(c.to_lowercase());
                } else if c.is_lowercase() {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
            }
            text(out)
        }
        "title" => {
            no_args(args, q(name))?;
            let mut out = String::with_capacity(s.len());
            let mut previous_cased = false;
            for c in s.chars() {
                if previous_cased {
                    out.extend(c.to_lowercase());
                } else {
                    push_title(&mut out, c);
                }
                previous_cased = is_cased(c);
            }
            text(out)
        }
        "capitalize" => {
            no_args(args, q(name))?;
            let mut out = String::with_capacity(s.len());
            let mut chars = s.chars();
            if let Some(first) = chars.next() {
                push_title(&mut out, first);
            }
            chars.for_each(|c| out.extend(c.to_lowercase()));
            text(out)
        }
        "isdigit" | "isalpha" | "isalnum" | "isspace" | "isupper" | "islower" | "istitle"
        | "isdecimal" | "isnumeric" | "isidentifier" | "isascii" | "isprintable" => {
            no_args(args, q(name))?;
            Ok(Value::Bool(predicate(s, name)))
        }
        "center" | "ljust" | "rjust" => {
            let (width, fill) = pad_args(args, name)?;
            let len = char_count(s) as i64;
            if width <= len {
                return text(s.to_string());
            }
            let margin = width - len;
            let left = match name {
                "center" => margin / 2 + (margin & width & 1),
                "ljust" => 0,
                _ => margin,
            };
            text(pad(s, left as usize, (margin - left) as usize, fill)?)
        }
        "zfill" => {
            args.no_keywords(name)?;
            if args.positional.len() != 1 {
                return Err(Exception::type_error(format!(
                    "str.zfill() takes exactly one argument ({} given)",
                    args.positional.len()
                )));
            }
            let width = int_of(&args.positional[0])?;
            let len = char_count(s) as i64;
            if width <= len {
                return text(s.to_string());
            }
            let fill = (width - len) as usize;
            let (sign, rest) = match s.chars().next() {
                Some(c @ ('+' | '-')) => (Some(c), &s[1..]),
                _ => (None, s),
            };
            let mut out = pad(rest, fill, 0, '0')?;
            if let Some(c) = sign {
                out.insert(0, c);
            }
            text(out)
        }
        "replace" => {
            let a = positional(args, name, 2, 3)?;
            let (old, new) = (
                must_be_str(&a[0], "replace() argument 1 ")?,
                must_be_str(&a[1], "replace() argument 2 ")?,
            );
            let count = a.get(2).map(int_of).transpose()?.unwrap_or(-1);
            if new.len() > old.len() {
                let n = if old.is_empty() {
                    char_count(s) + 1
                } else {
                    s.matches(old).count()
                };
                let n = if count < 0 { n } else { n.min(count as usize) };
                reserve_text(
                    s.len()
                        .saturating_add(n.saturating_mul(new.len() - old.len())),
                )?;
            }
            text(if count < 0 {
                s.replace(old, new)
            } else {
                s.replacen(old, new, count as usize)
            })
        }
        "startswith" | "endswith" => {
            let a = positional(args, name, 1, 3)?;
            Ok(Value::Bool(affix_matches(s, a, name)?))
        }
        "find" | "rfind" | "index" | "rindex" => {
            let a = positional(args, name, 1, 3)?;
            let at = find(s, a, name.starts_with('r'))?;
            if at < 0 && name.ends_with("index") {
                return Err(Exception::value_error("substring not found"));
            }
            Ok(Value::Int(at))
        }
        "count" => {
            let a = positional(args, name, 1, 3)?;
            let sub = must_be_str(&a[0], "")?;
            let w = window(s, a)?;
            let n = if w.past_end || w.width < char_count(sub) as i64 {
                0
            } else if sub.is_empty() {
                w.width as usize + 1
            } else {
                w.text.matches(sub).count()
            };
            Ok(Value::Int(n as i64))
        }
        "removeprefix" | "removesuffix" => {
            let a = positional(args, name, 1, 1)?;
            let affix = must_be_str(&a[0], &format!("{name}() argument "))?;
            text(
                if name == "removeprefix" {
                    s.strip_prefix(affix)
                } else {
                    s.strip_suffix(affix)
                }
                .unwrap_or(s)
                .to_string(),
            )
        }
        "expandtabs" => text(expandtabs(s, args)?),
        "splitlines" => {
            let a = args.bind("splitlines", &["keepends"], 0)?;
            let keepends = match &a[0] {
                Some(v) => crate::lang::ops::truthy(v)?,
                None => false,
            };
            Ok(Value::list(split_lines(s, keepends)))
        }
        "maketrans" => maketrans(args),
        "translate" => {
            let a = positional(args, name, 1, 1)?;
            text(translate(s, &a[0])?)
        }
        _ => Err(Exception::attribute_error(format!(
            "'str' object has no attribute '{name}'"
        ))),
    }
}

/// `str.split()` without a separator: runs of whitespace, at most `limit` parts.
fn split_whitespace(s: &str, limit: usize) -> Vec<Value> {
    let mut parts = Vec::new();
    let mut rest = s.trim_start_matches(is_space);
    while !rest.is_empty() {
        if parts.len() + 1 == limit {
            parts.push(Value::str(rest));
            break;
        }
        let end = rest.find(is_space).unwrap_or(rest.len());
        parts.push(Value::str(&rest[..end]));
        rest = rest[end..].trim_start_matches(is_space);
    }
    parts
}

/// `str.rsplit()` without a separator: runs of whitespace from the right.
fn rsplit_whitespace(s: &str, limit: usize) -> Vec<Value> {
    let mut parts = Vec::new();
    let mut rest = s.trim_end_matches(is_space);
    while !rest.is_empty() {
        if parts.len() + 1 == limit {
            parts.push(Value::str(rest));
            break;
        }
        let start = rest
            .char_indices()
            .rev()
            .find(|&(_, c)| is_space(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        parts.push(Value::str(&rest[start..]));
        rest = rest[..start].trim_end_matches(is_space);
    }
    parts.reverse();
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

//! Built-in functions and classes (LANGUAGE.md §1 and the `plot` extension).

use indexmap::IndexMap;

use super::dict::Dict;
use super::exception::Exception;
use super::interp::{collect, iter_value, iterator, Interp};
use super::methods::sort_values;
use super::ops;
use super::repr::{repr, to_str};
use super::value::{shared, Args, NativeFunction, Range, TypeKind, Value};
use crate::pyfmt;

type Builtin = fn(&mut Interp<'_>, Args) -> Result<Value, Exception>;

const FUNCTIONS: &[(&str, Builtin)] = &[
    ("print", print),
    ("len", len),
    ("abs", abs),
    ("min", |i, a| min_max(i, a, "min")),
    ("max", |i, a| min_max(i, a, "max")),
    ("sum", sum),
    ("round", round),
    ("repr", |_, a| {
        one_arg(&a, "repr").map(|v| Value::str(repr(&v)))
    }),
    ("sorted", sorted),
    ("reversed", reversed),
    ("enumerate", enumerate),
    ("zip", zip),
    ("isinstance", isinstance),
    ("any", |_, a| any_all(&a, "any")),
    ("all", |_, a| any_all(&a, "all")),
    ("plot", plot),
];

const TYPES: &[TypeKind] = &[
    TypeKind::Int,
    TypeKind::Float,
    TypeKind::Str,
    TypeKind::Bool,
    TypeKind::List,
    TypeKind::Tuple,
    TypeKind::Dict,
    TypeKind::Range,
    TypeKind::Type,
];

/// Every built-in name.
pub fn table() -> IndexMap<String, Value> {
    let mut names = IndexMap::new();
    for (name, f) in FUNCTIONS {
        let f = *f;
        names.insert(name.to_string(), NativeFunction::value(*name, f));
    }
    for kind in TYPES {
        names.insert(kind.name().to_string(), Value::Type(kind.clone()));
    }
    names
}

fn one_arg(args: &Args, name: &str) -> Result<Value, Exception> {
    args.no_keywords(name)?;
    match args.positional.as_slice() {
        [v] => Ok(v.clone()),
        other => Err(Exception::type_error(format!(
            "{name}() takes exactly one argument ({} given)",
            other.len()
        ))),
    }
}

fn int_of(v: &Value) -> Result<i64, Exception> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        other => Err(Exception::type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

fn print(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let opts = Args {
        positional: Vec::new(),
        keywords: args.keywords.clone(),
    }
    .bind("print", &["sep", "end", "flush"], 0)?;
    let text_opt = |v: &Option<Value>, name: &str, default: &str| match v {
        None | Some(Value::None) => Ok(default.to_string()),
        Some(Value::Str(s)) => Ok(s.to_string()),
        Some(other) => Err(Exception::type_error(format!(
            "{name} must be None or a string, not {}",
            other.type_name()
        ))),
    };
    let sep = text_opt(&opts[0], "sep", " ")?;
    let end = text_opt(&opts[1], "end", "\n")?;
    let parts: Vec<String> = args.positional.iter().map(to_str).collect();
    interp.print(&(parts.join(&sep) + &end));
    Ok(Value::None)
}

fn plot(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("plot", &["value", "label"], 1)?;
    let value = a[0].clone().unwrap_or(Value::None);
    let label = match &a[1] {
        None => "loss".to_string(),
        Some(Value::Str(s)) => s.to_string(),
        Some(other) => {
            return Err(Exception::type_error(format!(
                "plot() label must be a string, not {}",
                other.type_name()
            )))
        }
    };
    let x = to_float(&value)?;
    interp.plot(&label, x);
    Ok(Value::None)
}

fn len(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let v = one_arg(&args, "len")?;
    let n = match &v {
        Value::Str(s) => s.chars().count(),
        Value::List(l) => super::value::lock(l).len(),
        Value::Tuple(t) => t.len(),
        Value::Dict(d) | Value::DictView(_, d) => super::value::lock(d).len(),
        Value::Range(r) => r.len(),
        Value::Host(h) => match h.length() {
            Some(n) => n?,
            None => return Err(no_len(&v)),
        },
        _ => return Err(no_len(&v)),
    };
    Ok(Value::Int(n as i64))
}

fn no_len(v: &Value) -> Exception {
    Exception::type_error(format!("object of type '{}' has no len()", v.type_name()))
}

fn abs(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let v = one_arg(&args, "abs")?;
    match &v {
        Value::Int(i) => i
            .checked_abs()
            .map(Value::Int)
            .ok_or_else(Exception::overflow),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Float(f) => Ok(Value::Float(f.abs())),
        Value::Host(_) => interp.call_method(&v, "abs", Args::default()),
        other => Err(Exception::type_error(format!(
            "bad operand type for abs(): '{}'",
            other.type_name()
        ))),
    }
}

fn min_max(interp: &mut Interp<'_>, args: Args, name: &str) -> Result<Value, Exception> {
    let opts = Args {
        positional: Vec::new(),
        keywords: args.keywords.clone(),
    }
    .bind(name, &["key", "default"], 0)?;
    let items = match args.positional.as_slice() {
        [] => {
            return Err(Exception::type_error(format!(
                "{name} expected at least 1 argument, got 0"
            )))
        }
        [one] => collect(one)?,
        many => {
            if opts[1].is_some() {
                return Err(Exception::type_error(format!(
                    "Cannot specify a default for {name}() with multiple positional arguments"
                )));
            }
            many.to_vec()
        }
    };
    if items.is_empty() {
        return opts[1]
            .clone()
            .ok_or_else(|| Exception::value_error(format!("{name}() arg is an empty sequence")));
    }
    let op = if name == "min" {
        super::ast::CmpOp::Lt
    } else {
        super::ast::CmpOp::Gt
    };
    let mut best: Option<(Value, Value)> = None;
    for item in items {
        let k = match &opts[0] {
            Some(f) if !matches!(f, Value::None) => {
                interp.call(f, Args::new(vec![item.clone()]))?
            }
            _ => item.clone(),
        };
        let better = match &best {
            None => true,
            Some((bk, _)) => ops::truthy(&ops::compare(op, &k, bk)?)?,
        };
        if better {
            best = Some((k, item));
        }
    }
    Ok(best.map(|(_, v)| v).unwrap_or(Value::None))
}

fn sum(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("sum", &["iterable", "start"], 1)?;
    let mut total = a[1].clone().unwrap_or(Value::Int(0));
    if let Value::Str(_) = total {
        return Err(Exception::type_error(
            "sum() can't sum strings [use ''.join(seq) instead]",
        ));
    }
    for item in iter_value(a[0].as_ref().unwrap_or(&Value::None))? {
        interp.check_interrupt()?;
        total = ops::binary(super::ast::BinOp::Add, &total, &item)?;
    }
    Ok(total)
}

fn round(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("round", &["number", "ndigits"], 1)?;
    let number = a[0].clone().unwrap_or(Value::None);
    let ndigits = match &a[1] {
        None | Some(Value::None) => None,
        Some(v) => Some(int_of(v)?),
    };
    match (&number, ndigits) {
        (Value::Float(f), None) => {
            if f.is_nan() {
                return Err(Exception::value_error(
                    "cannot convert float NaN to integer",
                ));
            }
            if f.is_infinite() {
                return Err(Exception::new(
                    "OverflowError",
                    "cannot convert float infinity to integer",
                ));
            }
            float_to_int(f.round_ties_even())
        }
        (Value::Float(f), Some(n)) => Ok(Value::Float(pyfmt::round_float(*f, n))),
        (Value::Int(_) | Value::Bool(_), None) => Ok(Value::Int(int_of(&number)?)),
        (Value::Int(_) | Value::Bool(_), Some(n)) => {
            let i = int_of(&number)?;
            if n >= 0 {
                return Ok(Value::Int(i));
            }
            let factor = 10i64.checked_pow((-n) as u32).unwrap_or(i64::MAX);
            let rounded = pyfmt::round_float(i as f64 / factor as f64, 0) as i64;
            rounded
                .checked_mul(factor)
                .map(Value::Int)
                .ok_or_else(Exception::overflow)
        }
        (Value::Host(_), _) => {
            let mut extra = Vec::new();
            if let Some(n) = ndigits {
                extra.push(("decimals".to_string(), Value::Int(n)));
            }
            let args = Args {
                positional: Vec::new(),
                keywords: extra,
            };
            interp.call_method(&number, "round", args)
        }
        (other, _) => Err(Exception::type_error(format!(
            "type {} doesn't define __round__ method",
            other.type_name()
        ))),
    }
}

fn float_to_int(f: f64) -> Result<Value, Exception> {
    if f.is_nan() {
        return Err(Exception::value_error(
            "cannot convert float NaN to integer",
        ));
    }
    if f.is_infinite() {
        return Err(Exception::new(
            "OverflowError",
            "cannot convert float infinity to integer",
        ));
    }
    let t = f.trunc();
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&t) {
        return Err(Exception::overflow());
    }
    Ok(Value::Int(t as i64))
}

fn sorted(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("sorted", &["iterable", "key", "reverse"], 1)?;
    if args.positional.len() > 1 {
        return Err(Exception::type_error(format!(
            "sorted expected 1 argument, got {}",
            args.positional.len()
        )));
    }
    let items = collect(a[0].as_ref().unwrap_or(&Value::None))?;
    Ok(Value::list(sort_values(
        interp,
        items,
        a[1].as_ref(),
        a[2].as_ref(),
    )?))
}

fn reversed(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let v = one_arg(&args, "reversed")?;
    match &v {
        Value::List(_) | Value::Tuple(_) | Value::Str(_) | Value::Range(_) | Value::Host(_) => {
            let mut items = collect(&v)?;
            items.reverse();
            Ok(iterator("reversed", items))
        }
        other => Err(Exception::type_error(format!(
            "'{}' object is not reversible",
            other.type_name()
        ))),
    }
}

fn enumerate(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("enumerate", &["iterable", "start"], 1)?;
    let start = a[1].as_ref().map(int_of).transpose()?.unwrap_or(0);
    let items = collect(a[0].as_ref().unwrap_or(&Value::None))?;
    let pairs = items
        .into_iter()
        .zip(start..)
        .map(|(v, i)| Value::tuple(vec![Value::Int(i), v]))
        .collect();
    Ok(iterator("enumerate", pairs))
}

fn zip(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("zip")?;
    let mut columns = Vec::new();
    for (i, v) in args.positional.iter().enumerate() {
        let it = iter_value(v).map_err(|_| {
            Exception::type_error(format!("zip argument #{} must support iteration", i + 1))
        })?;
        columns.push(it);
    }
    let mut rows = Vec::new();
    if !columns.is_empty() {
        'rows: loop {
            let mut row = Vec::with_capacity(columns.len());
            for column in &mut columns {
                match column.next() {
                    Some(v) => row.push(v),
                    None => break 'rows,
                }
            }
            rows.push(Value::tuple(row));
        }
    }
    Ok(iterator("zip", rows))
}

fn any_all(args: &Args, name: &str) -> Result<Value, Exception> {
    let v = one_arg(args, name)?;
    let want = name == "any";
    for item in iter_value(&v)? {
        if ops::truthy(&item)? == want {
            return Ok(Value::Bool(want));
        }
    }
    Ok(Value::Bool(!want))
}

fn isinstance(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("isinstance")?;
    let [value, class] = args.positional.as_slice() else {
        return Err(Exception::type_error(format!(
            "isinstance expected 2 arguments, got {}",
            args.positional.len()
        )));
    };
    Ok(Value::Bool(instance_of(value, class)?))
}

fn instance_of(value: &Value, class: &Value) -> Result<bool, Exception> {
    match class {
        Value::Type(kind) => Ok(match kind {
            TypeKind::Int => matches!(value, Value::Int(_) | Value::Bool(_)),
            other => value.type_kind() == *other,
        }),
        Value::Tuple(classes) => {
            for c in classes.iter() {
                if instance_of(value, c)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Value::Host(h) => h.instance_check(value).ok_or_else(class_error),
        _ => Err(class_error()),
    }
}

fn class_error() -> Exception {
    Exception::type_error("isinstance() arg 2 must be a type, a tuple of types, or a union")
}

/// `float(v)` for numbers, numeric strings and hosts that convert.
pub(crate) fn to_float(v: &Value) -> Result<f64, Exception> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::Bool(b) => Ok(*b as i64 as f64),
        Value::Str(s) => parse_float(s).ok_or_else(|| {
            Exception::value_error(format!("could not convert string to float: {}", repr(v)))
        }),
        Value::Host(h) => h.to_float().unwrap_or_else(|| Err(float_arg_error(v))),
        other => Err(float_arg_error(other)),
    }
}

fn float_arg_error(v: &Value) -> Exception {
    Exception::type_error(format!(
        "float() argument must be a string or a real number, not '{}'",
        v.type_name()
    ))
}

fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    let negative = lower.starts_with('-');
    let special = match unsigned {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(x) = special {
        return (lower.len() - unsigned.len() <= 1).then_some(if negative { -x } else { x });
    }
    let valid = !t.is_empty()
        && !t.starts_with('_')
        && !t.ends_with('_')
        && !t.contains("__")
        && t.chars()
            .all(|c| c.is_ascii_digit() || "+-.eE_".contains(c));
    if !valid {
        return None;
    }
    t.replace('_', "").parse().ok()
}

fn to_int(v: &Value, base: Option<i64>) -> Result<Value, Exception> {
    match (v, base) {
        (Value::Int(i), None) => Ok(Value::Int(*i)),
        (Value::Bool(b), None) => Ok(Value::Int(*b as i64)),
        (Value::Float(f), None) => float_to_int(*f),
        (Value::Str(s), base) => {
            let base = base.unwrap_or(10);
            if !(2..=36).contains(&base) {
                return Err(Exception::value_error(
                    "int() base must be >= 2 and <= 36, or 0",
                ));
            }
            let t = s.trim();
            let digits = t.replace('_', "");
            let valid =
                !t.is_empty() && !t.starts_with('_') && !t.ends_with('_') && !t.contains("__");
            match (valid, i64::from_str_radix(&digits, base as u32)) {
                (true, Ok(i)) => Ok(Value::Int(i)),
                _ => Err(Exception::value_error(format!(
                    "invalid literal for int() with base {base}: {}",
                    repr(v)
                ))),
            }
        }
        (Value::Host(h), None) => h
            .to_int()
            .map(|r| r.map(Value::Int))
            .unwrap_or_else(|| Err(int_arg_error(v))),
        (_, Some(_)) => Err(Exception::type_error(
            "int() can't convert non-string with explicit base",
        )),
        (other, None) => Err(int_arg_error(other)),
    }
}

fn int_arg_error(v: &Value) -> Exception {
    Exception::type_error(format!(
        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
        v.type_name()
    ))
}

/// Key/value pairs from a dict or an iterable of pairs (for `dict(...)` and `update`).
pub(crate) fn dict_pairs(v: &Value) -> Result<Vec<(Value, Value)>, Exception> {
    if let Value::Dict(d) = v {
        return Ok(super::value::lock(d).items());
    }
    let mut pairs = Vec::new();
    for (i, item) in collect(v)?.into_iter().enumerate() {
        let kv = collect(&item).map_err(|_| {
            Exception::type_error(format!(
                "cannot convert dictionary update sequence element #{i} to a sequence"
            ))
        })?;
        match <[Value; 2]>::try_from(kv) {
            Ok([k, v]) => pairs.push((k, v)),
            Err(kv) => {
                return Err(Exception::value_error(format!(
                    "dictionary update sequence element #{i} has length {}; 2 is required",
                    kv.len()
                )))
            }
        }
    }
    Ok(pairs)
}

fn range(args: &Args) -> Result<Value, Exception> {
    args.no_keywords("range")?;
    let ints: Vec<i64> = args
        .positional
        .iter()
        .map(int_of)
        .collect::<Result<_, _>>()?;
    let (start, stop, step) = match ints.as_slice() {
        [stop] => (0, *stop, 1),
        [start, stop] => (*start, *stop, 1),
        [start, stop, step] => (*start, *stop, *step),
        [] => {
            return Err(Exception::type_error(
                "range expected at least 1 argument, got 0",
            ))
        }
        more => {
            return Err(Exception::type_error(format!(
                "range expected at most 3 arguments, got {}",
                more.len()
            )))
        }
    };
    if step == 0 {
        return Err(Exception::value_error("range() arg 3 must not be zero"));
    }
    Ok(Value::Range(Range { start, stop, step }))
}

/// Calling a built-in class: `int(x)`, `list(xs)`, `type(x)`...
pub fn construct(_: &mut Interp<'_>, kind: &TypeKind, args: Args) -> Result<Value, Exception> {
    let name = kind.name();
    let optional = |args: &Args| -> Result<Option<Value>, Exception> {
        args.no_keywords(name)?;
        match args.positional.as_slice() {
            [] => Ok(None),
            [v] => Ok(Some(v.clone())),
            more => Err(Exception::type_error(format!(
                "{name} expected at most 1 argument, got {}",
                more.len()
            ))),
        }
    };
    match kind {
        TypeKind::Int => {
            let a = args.bind("int", &["x", "base"], 0)?;
            let base = a[1].as_ref().map(int_of).transpose()?;
            match &a[0] {
                None => Ok(Value::Int(0)),
                Some(v) => to_int(v, base),
            }
        }
        TypeKind::Float => Ok(Value::Float(match optional(&args)? {
            None => 0.0,
            Some(v) => to_float(&v)?,
        })),
        TypeKind::Str => Ok(Value::str(
            optional(&args)?.map(|v| to_str(&v)).unwrap_or_default(),
        )),
        TypeKind::Bool => Ok(Value::Bool(match optional(&args)? {
            None => false,
            Some(v) => ops::truthy(&v)?,
        })),
        TypeKind::List => Ok(Value::list(match optional(&args)? {
            None => Vec::new(),
            Some(v) => collect(&v)?,
        })),
        TypeKind::Tuple => Ok(Value::tuple(match optional(&args)? {
            None => Vec::new(),
            Some(v) => collect(&v)?,
        })),
        TypeKind::Dict => {
            let mut dict = Dict::new();
            let source = optional(&Args::new(args.positional.clone()))?;
            if let Some(v) = source {
                for (k, v) in dict_pairs(&v)? {
                    dict.insert(k, v)?;
                }
            }
            for (k, v) in &args.keywords {
                dict.insert(Value::str(k.as_str()), v.clone())?;
            }
            Ok(Value::Dict(shared(dict)))
        }
        TypeKind::Range => range(&args),
        TypeKind::Type => {
            let v = one_arg(&args, "type")?;
            Ok(Value::Type(match &v {
                Value::Host(h) => TypeKind::Named(h.qualified_type_name()),
                other => other.type_kind(),
            }))
        }
        other => Err(Exception::type_error(format!(
            "cannot create '{}' instances",
            other.name()
        ))),
    }
}

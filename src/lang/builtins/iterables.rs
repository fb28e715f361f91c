//! Built-ins that consume iterables: min, max, sum, sorted, reversed, enumerate, zip, any, all.

use super::{int_of, one_arg};
use crate::lang::exception::Exception;
use crate::lang::interp::{collect, iter_value, iterator, Interp};
use crate::lang::methods::sort_values;
use crate::lang::ops;
use crate::lang::value::{Args, Value};

pub(super) fn min_max(interp: &mut Interp<'_>, args: Args, name: &str) -> Result<Value, Exception> {
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
        crate::lang::ast::CmpOp::Lt
    } else {
        crate::lang::ast::CmpOp::Gt
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

pub(super) fn sum(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("sum", &["iterable", "start"], 1)?;
    let mut total = a[1].clone().unwrap_or(Value::Int(0));
    if let Value::Str(_) = total {
        return Err(Exception::type_error(
            "sum() can't sum strings [use ''.join(seq) instead]",
        ));
    }
    for item in iter_value(a[0].as_ref().unwrap_or(&Value::None))? {
        interp.check_interrupt()?;
        total = ops::binary(crate::lang::ast::BinOp::Add, &total, &item)?;
    }
    Ok(total)
}

pub(super) fn sorted(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
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

pub(super) fn reversed(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
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

pub(super) fn enumerate(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
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

pub(super) fn zip(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
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
            interp.check_interrupt()?;
            ops::check_len(rows.len() + 1)?;
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

pub(super) fn any_all(
    interp: &mut Interp<'_>,
    args: &Args,
    name: &str,
) -> Result<Value, Exception> {
    let v = one_arg(args, name)?;
    let want = name == "any";
    for item in iter_value(&v)? {
        interp.check_interrupt()?;
        if ops::truthy(&item)? == want {
            return Ok(Value::Bool(want));
        }
    }
    Ok(Value::Bool(!want))
}

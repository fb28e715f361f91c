//! Built-ins that consume iterables: min, max, sum, sorted, reversed, enumerate, zip, map,
//! filter, any, all. `zip`, `enumerate`, `map` and `filter` are lazy, as in Python.

use super::{int_of, one_arg};
use crate::lang::exception::Exception;
use crate::lang::interp::{iterator, iterator_from, Interp, IterSource};
use crate::lang::methods::sort_values;
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
        [one] => interp.collect(one)?,
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
            Some((bk, _)) => {
                let c = interp.compare_op(op, &k, bk)?;
                interp.truthy(&c)?
            }
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
    let mut it = interp.iter(a[0].as_ref().unwrap_or(&Value::None))?;
    while let Some(item) = it.next(interp)? {
        interp.check_interrupt()?;
        total = interp.binary_op(crate::lang::ast::BinOp::Add, &total, &item)?;
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
    let items = interp.collect(a[0].as_ref().unwrap_or(&Value::None))?;
    Ok(Value::list(sort_values(
        interp,
        items,
        a[1].as_ref(),
        a[2].as_ref(),
    )?))
}

pub(super) fn reversed(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let v = one_arg(&args, "reversed")?;
    match &v {
        Value::List(_) | Value::Tuple(_) | Value::Str(_) | Value::Range(_) | Value::Host(_) => {
            let mut items = interp.collect(&v)?;
            items.reverse();
            Ok(iterator("reversed", items))
        }
        Value::Instance(_) => match interp.call_dunder(&v, "__reversed__", Vec::new())? {
            Some(r) => Ok(r),
            None => {
                let n = interp.len_of(&v)?;
                let mut items = Vec::with_capacity(n);
                for i in (0..n).rev() {
                    items.push(interp.get_item(&v, &Value::Int(i as i64))?);
                }
                Ok(iterator("reversed", items))
            }
        },
        other => Err(Exception::type_error(format!(
            "'{}' object is not reversible",
            other.type_name()
        ))),
    }
}

pub(super) fn enumerate(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("enumerate", &["iterable", "start"], 1)?;
    let start = a[1].as_ref().map(int_of).transpose()?.unwrap_or(0);
    let it = interp.iter(a[0].as_ref().unwrap_or(&Value::None))?;
    Ok(iterator_from("enumerate", IterSource::Enumerate(it, start)))
}

pub(super) fn zip(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    if let Some((key, _)) = args.keywords.iter().find(|(k, _)| k != "strict") {
        return Err(Exception::type_error(format!(
            "zip() got an unexpected keyword argument '{key}'"
        )));
    }
    let mut columns = Vec::new();
    for (i, v) in args.positional.iter().enumerate() {
        let it = interp.iter(v).map_err(|_| {
            Exception::type_error(format!("zip argument #{} must support iteration", i + 1))
        })?;
        columns.push(it);
    }
    Ok(iterator_from("zip", IterSource::Zip(columns)))
}

pub(super) fn map(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("map")?;
    let Some((f, iterables)) = args.positional.split_first() else {
        return Err(Exception::type_error(
            "map() must have at least two arguments.",
        ));
    };
    if iterables.is_empty() {
        return Err(Exception::type_error(
            "map() must have at least two arguments.",
        ));
    }
    let mut columns = Vec::with_capacity(iterables.len());
    for v in iterables {
        columns.push(interp.iter(v)?);
    }
    Ok(iterator_from("map", IterSource::Map(f.clone(), columns)))
}

pub(super) fn filter(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("filter")?;
    let [f, iterable] = args.positional.as_slice() else {
        return Err(Exception::type_error(format!(
            "filter expected 2 arguments, got {}",
            args.positional.len()
        )));
    };
    let it = interp.iter(iterable)?;
    Ok(iterator_from("filter", IterSource::Filter(f.clone(), it)))
}

pub(super) fn any_all(
    interp: &mut Interp<'_>,
    args: &Args,
    name: &str,
) -> Result<Value, Exception> {
    let v = one_arg(args, name)?;
    let want = name == "any";
    let mut it = interp.iter(&v)?;
    while let Some(item) = it.next(interp)? {
        interp.check_interrupt()?;
        if interp.truthy(&item)? == want {
            return Ok(Value::Bool(want));
        }
    }
    Ok(Value::Bool(!want))
}

//! Python's `itertools` (the everyday part). Every function returns a lazy iterator object
//! (an `IterSource::Native` step) as CPython's do; `product`, `permutations`, `combinations`
//! and `cycle` hold their input's items, as CPython's also do.

use std::any::Any;

use indexmap::IndexMap;

use super::ast::BinOp;
use super::exception::Exception;
use super::interp::{iterator_from, Interp, IterSource, ValueIter};
use super::namespace::Namespace;
use super::ops;
use super::value::{Args, HostObject, NativeFunction, Value};

type Step = Box<super::interp::NativeStep>;

fn lazy(
    kind: &'static str,
    step: impl FnMut(&mut Interp<'_>) -> Result<Option<Value>, Exception> + Send + 'static,
) -> Value {
    let step: Step = Box::new(step);
    iterator_from(kind, IterSource::Native(step))
}

fn arg(v: &Option<Value>) -> Value {
    v.clone().unwrap_or(Value::None)
}

fn count(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("count", &["start", "step"], 0)?;
    let mut current = a[0].clone().unwrap_or(Value::Int(0));
    let step = a[1].clone().unwrap_or(Value::Int(1));
    if current.as_float().is_none() || step.as_float().is_none() {
        return Err(Exception::type_error("a number is required"));
    }
    Ok(lazy("itertools.count", move |_| {
        let next = ops::binary(BinOp::Add, &current, &step)?;
        Ok(Some(std::mem::replace(&mut current, next)))
    }))
}

fn cycle(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("cycle", &["iterable"], 1)?;
    let mut source = Some(interp.iter(&arg(&a[0]))?);
    let mut saved = Vec::new();
    let mut i = 0;
    Ok(lazy("itertools.cycle", move |interp| {
        if let Some(it) = &mut source {
            if let Some(item) = it.next(interp)? {
                saved.push(item.clone());
                return Ok(Some(item));
            }
            source = None;
        }
        if saved.is_empty() {
            return Ok(None);
        }
        let item = saved[i % saved.len()].clone();
        i += 1;
        Ok(Some(item))
    }))
}

fn repeat(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("repeat", &["object", "times"], 1)?;
    let object = arg(&a[0]);
    let mut left = match &a[1] {
        None => None,
        Some(v) => Some(super::builtins::int_of(v)?.max(0)),
    };
    Ok(lazy("itertools.repeat", move |_| {
        Ok(match &mut left {
            None => Some(object.clone()),
            Some(0) => None,
            Some(n) => {
                *n -= 1;
                Some(object.clone())
            }
        })
    }))
}

/// `chain.from_iterable(iterables)`: each iterable is opened when the previous one ends.
fn chain_of(mut outer: ValueIter) -> Value {
    let mut inner: Option<ValueIter> = None;
    lazy("itertools.chain", move |interp| loop {
        if let Some(it) = &mut inner {
            if let Some(item) = it.next(interp)? {
                return Ok(Some(item));
            }
        }
        match outer.next(interp)? {
            Some(iterable) => inner = Some(interp.iter(&iterable)?),
            None => return Ok(None),
        }
    })
}

/// `itertools.chain`: callable, with `chain.from_iterable`.
struct Chain;

impl HostObject for Chain {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        "<class 'itertools.chain'>".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> Result<Value, Exception> {
        match name {
            "from_iterable" => Ok(NativeFunction::value("from_iterable", |interp, args| {
                let a = args.bind("from_iterable", &["iterable"], 1)?;
                Ok(chain_of(interp.iter(&arg(&a[0]))?))
            })),
            "__name__" => Ok(Value::str("chain")),
            _ => Err(Exception::attribute_error(format!(
                "type object 'itertools.chain' has no attribute '{name}'"
            ))),
        }
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, _: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
        args.no_keywords("chain")?;
        Ok(chain_of(ValueIter::Items(args.positional.into_iter())))
    }
}

fn islice(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("islice")?;
    let n = args.positional.len();
    if n < 2 {
        return Err(Exception::type_error(format!(
            "islice expected at least 2 arguments, got {n}"
        )));
    }
    if n > 4 {
        return Err(Exception::type_error(format!(
            "islice expected at most 4 arguments, got {n}"
        )));
    }
    let index = |v: &Value, what: &str| -> Result<Option<i64>, Exception> {
        match v {
            Value::None => Ok(None),
            other => match other.as_int() {
                Some(i) if i >= 0 => Ok(Some(i)),
                _ => Err(Exception::value_error(format!(
                    "{what} for islice() must be None or an integer: 0 <= x <= sys.maxsize."
                ))),
            },
        }
    };
    let p = &args.positional;
    let (start, stop, step) = if n == 2 {
        (0, index(&p[1], "Stop argument")?, 1)
    } else {
        let start = index(&p[1], "Indices")?.unwrap_or(0);
        let stop = index(&p[2], "Indices")?;
        let step = match p.get(3) {
            None | Some(Value::None) => 1,
            Some(v) => match v.as_int() {
                Some(s) if s > 0 => s,
                _ => {
                    return Err(Exception::value_error(
                        "Step for islice() must be a positive integer or None.",
                    ))
                }
            },
        };
        (start, stop, step)
    };
    let mut it = interp.iter(&p[0])?;
    let (mut position, mut target) = (0i64, start);
    Ok(lazy("itertools.islice", move |interp| {
        if stop.is_some_and(|s| target >= s) {
            return Ok(None);
        }
        while let Some(item) = it.next(interp)? {
            position += 1;
            if position - 1 == target {
                target += step;
                return Ok(Some(item));
            }
        }
        target = i64::MAX;
        Ok(None)
    }))
}

/// Index odometer over `pools` (the rightmost index turning fastest).
fn product(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let kw = Args {
        positional: Vec::new(),
        keywords: args.keywords.clone(),
    }
    .bind("product", &["repeat"], 0)?;
    let times = match &kw[0] {
        Some(v) => super::builtins::int_of(v)?,
        None => 1,
    };
    if times < 0 {
        return Err(Exception::value_error("repeat argument cannot be negative"));
    }
    let mut pools = Vec::new();
    for iterable in &args.positional {
        pools.push(interp.collect(iterable)?);
    }
    let pools: Vec<Vec<Value>> = (0..times).flat_map(|_| pools.clone()).collect();
    let mut indices: Option<Vec<usize>> = match pools.iter().any(Vec::is_empty) {
        true => None,
        false => Some(vec![0; pools.len()]),
    };
    Ok(lazy("itertools.product", move |_| {
        let Some(current) = &mut indices else {
            return Ok(None);
        };
        let item = Value::tuple(
            current
                .iter()
                .zip(&pools)
                .map(|(&i, p)| p[i].clone())
                .collect(),
        );
        let mut k = current.len();
        loop {
            if k == 0 {
                indices = None;
                break;
            }
            k -= 1;
            current[k] += 1;
            if current[k] < pools[k].len() {
                break;
            }
            current[k] = 0;
        }
        Ok(Some(item))
    }))
}

fn r_arg(v: &Option<Value>, default: usize) -> Result<usize, Exception> {
    match v {
        None | Some(Value::None) => Ok(default),
        Some(v) => {
            let r = super::builtins::int_of(v)?;
            if r < 0 {
                return Err(Exception::value_error("r must be non-negative"));
            }
            Ok(r as usize)
        }
    }
}

/// CPython's `permutations` algorithm (indices and cycles), so the order matches.
fn permutations(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("permutations", &["iterable", "r"], 1)?;
    let pool = interp.collect(&arg(&a[0]))?;
    let n = pool.len();
    let r = r_arg(&a[1], n)?;
    let mut indices: Vec<usize> = (0..n).collect();
    let mut cycles: Vec<usize> = (0..r).map(|i| n - i).collect();
    let mut state = if r > n { None } else { Some(true) };
    Ok(lazy("itertools.permutations", move |_| {
        let pick = |indices: &[usize]| {
            Value::tuple(indices[..r].iter().map(|&i| pool[i].clone()).collect())
        };
        match state {
            None => return Ok(None),
            Some(true) => {
                state = Some(false);
                return Ok(Some(pick(&indices)));
            }
            Some(false) => {}
        }
        for i in (0..r).rev() {
            cycles[i] -= 1;
            if cycles[i] == 0 {
                let moved = indices.remove(i);
                indices.push(moved);
                cycles[i] = n - i;
            } else {
                let j = cycles[i];
                indices.swap(i, n - j);
                return Ok(Some(pick(&indices)));
            }
        }
        state = None;
        Ok(None)
    }))
}

/// CPython's `combinations` algorithm, in lexicographic order of positions.
fn combinations(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("combinations", &["iterable", "r"], 2)?;
    let pool = interp.collect(&arg(&a[0]))?;
    let n = pool.len();
    let r = r_arg(&a[1], 0)?;
    let mut indices: Vec<usize> = (0..r).collect();
    let mut state = if r > n { None } else { Some(true) };
    Ok(lazy("itertools.combinations", move |_| {
        let pick =
            |indices: &[usize]| Value::tuple(indices.iter().map(|&i| pool[i].clone()).collect());
        match state {
            None => return Ok(None),
            Some(true) => {
                state = Some(false);
                return Ok(Some(pick(&indices)));
            }
            Some(false) => {}
        }
        let Some(i) = (0..r).rev().find(|&i| indices[i] != i + n - r) else {
            state = None;
            return Ok(None);
        };
        indices[i] += 1;
        for j in i + 1..r {
            indices[j] = indices[j - 1] + 1;
        }
        Ok(Some(pick(&indices)))
    }))
}

fn accumulate(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("accumulate", &["iterable", "func", "initial"], 1)?;
    let mut it = interp.iter(&arg(&a[0]))?;
    let func = arg(&a[1]);
    let mut total: Option<Value> = None;
    let mut initial = a[2].clone().filter(|v| !matches!(v, Value::None));
    Ok(lazy("itertools.accumulate", move |interp| {
        if let Some(first) = initial.take() {
            total = Some(first.clone());
            return Ok(Some(first));
        }
        let Some(item) = it.next(interp)? else {
            return Ok(None);
        };
        let next = match total.take() {
            None => item,
            Some(sum) => match &func {
                Value::None => interp.binary_op(BinOp::Add, &sum, &item)?,
                f => interp.call(f, Args::new(vec![sum, item]))?,
            },
        };
        total = Some(next.clone());
        Ok(Some(next))
    }))
}

fn zip_longest(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let mut fill = Value::None;
    for (k, v) in &args.keywords {
        if k != "fillvalue" {
            return Err(Exception::type_error(
                "zip_longest() got an unexpected keyword argument",
            ));
        }
        fill = v.clone();
    }
    let mut columns: Vec<Option<ValueIter>> = Vec::new();
    for iterable in &args.positional {
        columns.push(Some(interp.iter(iterable)?));
    }
    Ok(lazy("itertools.zip_longest", move |interp| {
        if columns.iter().all(Option::is_none) {
            return Ok(None);
        }
        let mut row = Vec::with_capacity(columns.len());
        for column in columns.iter_mut() {
            let item = match column {
                Some(it) => it.next(interp)?,
                None => None,
            };
            if item.is_none() {
                *column = None;
            }
            row.push(item.unwrap_or_else(|| fill.clone()));
        }
        Ok(match columns.iter().all(Option::is_none) {
            true => None,
            false => Some(Value::tuple(row)),
        })
    }))
}

/// `groupby`: each group's items are gathered when the group is reached (CPython shares one
/// underlying iterator; the items are the same as long as each group is used before the next).
fn groupby(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("groupby", &["iterable", "key"], 1)?;
    let mut it = interp.iter(&arg(&a[0]))?;
    let key = arg(&a[1]);
    let mut pending: Option<(Value, Value)> = None;
    let mut started = false;
    Ok(lazy("itertools.groupby", move |interp| {
        let key_of = |interp: &mut Interp<'_>, item: &Value| match &key {
            Value::None => Ok(item.clone()),
            f => interp.call(f, Args::new(vec![item.clone()])),
        };
        if !started {
            started = true;
            if let Some(item) = it.next(interp)? {
                pending = Some((key_of(interp, &item)?, item));
            }
        }
        let Some((group_key, first)) = pending.take() else {
            return Ok(None);
        };
        let mut items = vec![first];
        while let Some(item) = it.next(interp)? {
            let k = key_of(interp, &item)?;
            let same = interp.compare_op(super::ast::CmpOp::Eq, &k, &group_key)?;
            if interp.truthy(&same)? {
                items.push(item);
            } else {
                pending = Some((k, item));
                break;
            }
        }
        let group = super::interp::iterator("itertools._grouper", items);
        Ok(Some(Value::tuple(vec![group_key, group])))
    }))
}

fn pairwise(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("pairwise", &["iterable"], 1)?;
    let mut it = interp.iter(&arg(&a[0]))?;
    let mut previous: Option<Value> = None;
    Ok(lazy("itertools.pairwise", move |interp| {
        if previous.is_none() {
            previous = it.next(interp)?;
        }
        let Some(prev) = previous.take() else {
            return Ok(None);
        };
        Ok(it.next(interp)?.map(|next| {
            previous = Some(next.clone());
            Value::tuple(vec![prev, next])
        }))
    }))
}

type Native = fn(&mut Interp<'_>, Args) -> Result<Value, Exception>;

/// The `itertools` module object.
pub fn module() -> Value {
    let mut attrs = IndexMap::new();
    let natives: [(&str, Native); 11] = [
        ("count", count),
        ("cycle", cycle),
        ("repeat", repeat),
        ("islice", islice),
        ("product", product),
        ("permutations", permutations),
        ("combinations", combinations),
        ("accumulate", accumulate),
        ("zip_longest", zip_longest),
        ("groupby", groupby),
        ("pairwise", pairwise),
    ];
    for (name, f) in natives {
        attrs.insert(name.to_string(), NativeFunction::value(name, f));
    }
    attrs.insert("chain".to_string(), Value::host(Chain));
    Value::host(Namespace::new("itertools", attrs))
}

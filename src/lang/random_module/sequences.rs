//! The sequence methods: `choice`, `choices`, `shuffle`, `sample`, with CPython's draws
//! (one `_randbelow` or `random()` per pick, in its order) and its errors.

use std::collections::HashSet;

use super::params::Signature;
use super::Rng;
use crate::lang::ast::{BinOp, CmpOp};
use crate::lang::builtins::{self, int_of, to_float};
use crate::lang::exception::Exception;
use crate::lang::index::{get_item, set_item};
use crate::lang::interp::Interp;
use crate::lang::ops;
use crate::lang::repr::repr;
use crate::lang::value::{lock, Args, Value};

/// `len(v)`, through the builtin so every sized type counts.
fn length(interp: &mut Interp<'_>, v: &Value) -> Result<usize, Exception> {
    let n = builtins::len(interp, Args::new(vec![v.clone()]))?;
    Ok(n.as_int().unwrap_or(0).max(0) as usize)
}

fn item(seq: &Value, i: usize) -> Result<Value, Exception> {
    get_item(seq, &Value::Int(i as i64))
}

fn arg(slot: &Option<Value>) -> Value {
    slot.clone().unwrap_or(Value::None)
}

pub fn choice(interp: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let seq = arg(&Signature::new("choice", &["seq"], 1).bind(&args)?[0]);
    let n = length(interp, &seq)?;
    if n == 0 {
        return Err(Exception::index_error(
            "Cannot choose from an empty sequence",
        ));
    }
    item(&seq, rng.below(n as u64) as usize)
}

pub fn shuffle(interp: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let x = arg(&Signature::new("shuffle", &["x"], 1).bind(&args)?[0]);
    let n = length(interp, &x)?;
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        match &x {
            Value::List(list) => {
                let mut items = lock(list);
                if i < items.len() {
                    items.swap(i, j);
                }
            }
            // `x[i], x[j] = x[j], x[i]` on anything else, failing where CPython fails.
            other => {
                let (at_j, at_i) = (item(other, j)?, item(other, i)?);
                set_item(other, &Value::Int(i as i64), at_j)?;
                set_item(other, &Value::Int(j as i64), at_i)?;
            }
        }
    }
    Ok(Value::None)
}

/// `itertools.accumulate(values)` with `+`.
fn accumulate(interp: &mut Interp<'_>, values: &Value) -> Result<Vec<Value>, Exception> {
    let mut out: Vec<Value> = Vec::new();
    for v in interp.collect(values)? {
        let next = match out.last() {
            Some(total) => ops::binary(BinOp::Add, total, &v)?,
            None => v,
        };
        out.push(next);
    }
    Ok(out)
}

/// `bisect.bisect_right(a, x, 0, hi)`.
fn bisect_right(a: &[Value], x: &Value, hi: usize) -> Result<usize, Exception> {
    let (mut lo, mut hi) = (0, hi.min(a.len()));
    while lo < hi {
        let mid = (lo + hi) / 2;
        if ops::truthy(&ops::compare(CmpOp::Lt, x, &a[mid])?)? {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Ok(lo)
}

/// How many times `itertools.repeat(None, k)` repeats.
fn repeat_count(k: &Value) -> Result<usize, Exception> {
    Ok(int_of(k)?.max(0) as usize)
}

pub fn choices(interp: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = Signature {
        name: "choices",
        positional: &["population", "weights"],
        required: 1,
        keyword_only: &["cum_weights", "k"],
    }
    .bind(&args)?;
    let population = arg(&a[0]);
    let (weights, cum_weights) = (arg(&a[1]), arg(&a[2]));
    let k = a[3].clone().unwrap_or(Value::Int(1));
    let n = length(interp, &population)?;
    let cum_weights = match (&weights, cum_weights) {
        (Value::None, Value::None) => {
            let picks = (0..repeat_count(&k)?)
                .map(|_| item(&population, (rng.random() * n as f64).floor() as usize))
                .collect::<Result<_, _>>()?;
            return Ok(Value::list(picks));
        }
        (_, Value::None) => match accumulate(interp, &weights) {
            Ok(cum) => Value::list(cum),
            Err(e) if e.class() == "TypeError" && matches!(weights, Value::Int(_)) => {
                return Err(Exception::type_error(format!(
                    "The number of choices must be a keyword argument: k={}",
                    repr(&weights)
                )))
            }
            Err(e) => return Err(e),
        },
        (Value::None, cum) => cum,
        _ => {
            return Err(Exception::type_error(
                "Cannot specify both weights and cumulative weights",
            ))
        }
    };
    if length(interp, &cum_weights)? != n {
        return Err(Exception::value_error(
            "The number of weights does not match the population",
        ));
    }
    let last = get_item(&cum_weights, &Value::Int(-1))?;
    let total = ops::binary(BinOp::Add, &last, &Value::Float(0.0))?;
    if ops::truthy(&ops::compare(CmpOp::Le, &total, &Value::Float(0.0))?)? {
        return Err(Exception::value_error(
            "Total of weights must be greater than zero",
        ));
    }
    if !to_float(&total)?.is_finite() {
        return Err(Exception::value_error("Total of weights must be finite"));
    }
    let cum = interp.collect(&cum_weights)?;
    let mut picks = Vec::new();
    for _ in 0..repeat_count(&k)? {
        let x = ops::binary(BinOp::Mul, &Value::Float(rng.random()), &total)?;
        picks.push(item(&population, bisect_right(&cum, &x, n - 1)?)?);
    }
    Ok(Value::list(picks))
}

pub fn sample(interp: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = Signature {
        name: "sample",
        positional: &["population", "k"],
        required: 2,
        keyword_only: &["counts"],
    }
    .bind(&args)?;
    let (population, k) = (arg(&a[0]), arg(&a[1]));
    if !matches!(
        population,
        Value::List(_) | Value::Tuple(_) | Value::Str(_) | Value::Range(_)
    ) {
        return Err(Exception::type_error(
            "Population must be a sequence.  For dicts or sets, use sorted(d).",
        ));
    }
    let n = length(interp, &population)?;
    let counts = arg(&a[2]);
    if !matches!(counts, Value::None) {
        return sample_counted(interp, rng, &population, n, &counts, k);
    }
    let k = match k {
        Value::Int(_) | Value::Bool(_) => int_of(&k)?,
        Value::Float(f) if (0.0..=n as f64).contains(&f) => {
            return Err(Exception::type_error(
                "can't multiply sequence by non-int of type 'float'",
            ))
        }
        Value::Float(_) => -1,
        other => {
            return Err(Exception::type_error(format!(
                "'<=' not supported between instances of 'int' and '{}'",
                other.type_name()
            )))
        }
    };
    if !(0..=n as i64).contains(&k) {
        return Err(Exception::value_error(
            "Sample larger than population or is negative",
        ));
    }
    let k = k as usize;
    // CPython tracks picks in a set unless the population is small next to the set it
    // would need (`setsize`), and then draws from a shrinking copy instead.
    let mut setsize: u128 = 21;
    if k > 5 {
        let exponent = ((k as f64 * 3.0).ln() / 4f64.ln()).ceil() as u32;
        setsize += 4u128.saturating_pow(exponent);
    }
    let mut result = Vec::with_capacity(k);
    if n as u128 <= setsize {
        let mut pool = interp.collect(&population)?;
        for i in 0..k {
            let j = rng.below((n - i) as u64) as usize;
            result.push(pool[j].clone());
            pool[j] = pool[n - i - 1].clone();
        }
    } else {
        let mut selected = HashSet::with_capacity(k);
        for _ in 0..k {
            let mut j = rng.below(n as u64);
            while !selected.insert(j) {
                j = rng.below(n as u64);
            }
            result.push(item(&population, j as usize)?);
        }
    }
    Ok(Value::list(result))
}

/// `sample(population, k, counts=...)`: a sample of `range(total)` mapped back through the
/// cumulative counts.
fn sample_counted(
    interp: &mut Interp<'_>,
    rng: &Rng,
    population: &Value,
    n: usize,
    counts: &Value,
    k: Value,
) -> Result<Value, Exception> {
    let mut cum = accumulate(interp, counts)?;
    if cum.len() != n {
        return Err(Exception::value_error(
            "The number of counts does not match the population",
        ));
    }
    let Some(total) = cum.pop() else {
        return Err(Exception::index_error("pop from empty list"));
    };
    let Some(total) = total.as_int() else {
        return Err(Exception::type_error("Counts must be integers"));
    };
    if total <= 0 {
        return Err(Exception::value_error(
            "Total of counts must be greater than zero",
        ));
    }
    let range = Value::Range(std::sync::Arc::new(crate::lang::value::Range {
        start: 0,
        stop: total,
        step: 1,
    }));
    let args = Args {
        positional: vec![range],
        keywords: vec![("k".to_string(), k)],
    };
    let selections = sample(interp, rng, args)?;
    let mut picks = Vec::new();
    for s in interp.collect(&selections)? {
        picks.push(item(population, bisect_right(&cum, &s, cum.len())?)?);
    }
    Ok(Value::list(picks))
}

//! Seeding, state, and the integer methods: `seed`, `getstate`/`setstate`, `getrandbits`,
//! `randrange`, `randint`.

use super::params::{exactly, Signature};
use super::seed;
use super::Rng;
use crate::lang::ast::BinOp;
use crate::lang::builtins::{construct, int_of};
use crate::lang::exception::Exception;
use crate::lang::index::get_item;
use crate::lang::interp::Interp;
use crate::lang::ops;
use crate::lang::repr::to_str;
use crate::lang::value::{lock, Args, TypeKind, Value};
use crate::tensor::random::mt19937::N as STATE_WORDS;

/// `Random.VERSION`, the first item of `getstate()`.
pub const STATE_VERSION: i64 = 3;

pub fn seed(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = Signature::new("seed", &["a", "version"], 0).bind(&args)?;
    let version = a[1].as_ref().and_then(Value::as_float).unwrap_or(2.0);
    let key =
        match a[0].as_ref().unwrap_or(&Value::None) {
            Value::None => seed::entropy_key(),
            Value::Int(n) => seed::int_key(*n),
            Value::Bool(b) => seed::int_key(*b as i64),
            // A float seeds with its hash; NaN's hash is its identity, so any key will do.
            Value::Float(f) => match seed::float_hash(*f) {
                Some(h) => seed::unsigned_key(h as u64),
                None => seed::entropy_key(),
            },
            Value::Str(s) if version == 1.0 => seed::str_key_v1(s),
            // Other versions hash the str with Python's per-process salt: not reproducible anyway.
            Value::Str(s) => seed::str_key(s),
            _ => return Err(Exception::type_error(
                "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.",
            )),
        };
    rng.reseed(&key);
    Ok(Value::None)
}

pub fn getstate(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    Signature::new("getstate", &[], 0).bind(&args)?;
    let g = lock(&rng.0);
    let (words, index) = g.twister.state();
    let mut internal: Vec<Value> = words.iter().map(|&w| Value::Int(w as i64)).collect();
    internal.push(Value::Int(index as i64));
    Ok(Value::tuple(vec![
        Value::Int(STATE_VERSION),
        Value::tuple(internal),
        g.gauss_next.clone().unwrap_or(Value::None),
    ]))
}

pub fn setstate(interp: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let state = Signature::new("setstate", &["state"], 1)
        .bind(&args)?
        .remove(0)
        .unwrap_or(Value::None);
    let version = get_item(&state, &Value::Int(0))?;
    let v = version.as_float();
    if v != Some(3.0) && v != Some(2.0) {
        return Err(Exception::value_error(format!(
            "state with version {} passed to Random.setstate() of version {STATE_VERSION}",
            to_str(&version)
        )));
    }
    let parts = interp.collect(&state)?;
    let [_, internal, gauss_next] = <[Value; 3]>::try_from(parts).map_err(|parts| {
        Exception::value_error(if parts.len() > 3 {
            "too many values to unpack (expected 3)".to_string()
        } else {
            format!(
                "not enough values to unpack (expected 3, got {})",
                parts.len()
            )
        })
    })?;
    lock(&rng.0).gauss_next = (!matches!(gauss_next, Value::None)).then_some(gauss_next);
    let Value::Tuple(items) = &internal else {
        return Err(Exception::type_error("state vector must be a tuple"));
    };
    if items.len() != STATE_WORDS + 1 {
        return Err(Exception::value_error("state vector is the wrong size"));
    }
    let mut words = [0u32; STATE_WORDS];
    for (w, item) in words.iter_mut().zip(items.iter()) {
        let n = match item {
            Value::Int(_) | Value::Bool(_) => int_of(item)?,
            _ => return Err(Exception::type_error("an integer is required")),
        };
        // Version 2 states held signed words; CPython 3 reduces them modulo 2**32.
        *w = if v == Some(2.0) {
            n.rem_euclid(1 << 32) as u32
        } else if n < 0 {
            return Err(Exception::new(
                "OverflowError",
                "can't convert negative value to unsigned int",
            ));
        } else {
            n as u32
        };
    }
    let index = int_of(&items[STATE_WORDS])?;
    if !(0..=STATE_WORDS as i64).contains(&index) {
        return Err(Exception::value_error("invalid state"));
    }
    lock(&rng.0).twister.set_state(words, index as usize);
    Ok(Value::None)
}

pub fn getrandbits(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let [k] = exactly::<1>(&args, "getrandbits")?;
    let k = int_of(&k)?;
    if k < 0 {
        return Err(Exception::value_error(
            "number of bits must be non-negative",
        ));
    }
    if k > 63 {
        return Err(Exception::new(
            "OverflowError",
            format!(
                "getrandbits({k}) would not fit: nnlearn integers are 64-bit, so at most 63 bits"
            ),
        ));
    }
    Ok(Value::Int(rng.getrandbits(k as u32) as i64))
}

/// `randrange`'s integer arguments: ints as they are; anything else through `int()`, refused
/// unless it equals the result (`non-integer arg 1 for randrange()`).
fn integer_arg(interp: &mut Interp<'_>, v: &Value, what: &str) -> Result<i128, Exception> {
    if let Some(i) = v.as_int() {
        return Ok(i as i128);
    }
    let i = construct(interp, &TypeKind::Int, Args::new(vec![v.clone()]))?;
    if !ops::equals(&i, v)? {
        return Err(Exception::value_error(format!(
            "non-integer {what} for randrange()"
        )));
    }
    Ok(int_of(&i)? as i128)
}

/// Python's `//` on ints.
fn floor_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

fn below(rng: &Rng, n: i128) -> i128 {
    // Every range of i64 values has fewer than 2**64 items.
    rng.below(n as u64) as i128
}

pub fn randrange(interp: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = Signature::new("randrange", &["start", "stop", "step"], 1).bind(&args)?;
    let none = Value::None;
    let (start, stop) = (
        a[0].as_ref().unwrap_or(&none),
        a[1].as_ref().unwrap_or(&none),
    );
    let istart = integer_arg(interp, start, "arg 1")?;
    let picked = if let Value::None = stop {
        // CPython tests `step is not 1`: only the int 1 itself passes.
        if !matches!(a[2], None | Some(Value::Int(1))) {
            return Err(Exception::type_error("Missing a non-None stop argument"));
        }
        if istart <= 0 {
            return Err(Exception::value_error("empty range for randrange()"));
        }
        below(rng, istart)
    } else {
        let istop = integer_arg(interp, stop, "stop")?;
        let width = istop - istart;
        let istep = match &a[2] {
            None => 1,
            Some(step) => integer_arg(interp, step, "step")?,
        };
        if istep == 1 {
            if width <= 0 {
                return Err(Exception::value_error(format!(
                    "empty range for randrange() ({istart}, {istop}, {width})"
                )));
            }
            istart + below(rng, width)
        } else {
            let n = match istep {
                0 => return Err(Exception::value_error("zero step for randrange()")),
                s if s > 0 => floor_div(width + s - 1, s),
                s => floor_div(width + s + 1, s),
            };
            if n <= 0 {
                return Err(Exception::value_error("empty range for randrange()"));
            }
            istart + istep * below(rng, n)
        }
    };
    Ok(Value::Int(picked as i64))
}

pub fn randint(interp: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = Signature::new("randint", &["a", "b"], 2).bind(&args)?;
    let (lo, hi) = (
        a[0].clone().unwrap_or(Value::None),
        a[1].clone().unwrap_or(Value::None),
    );
    let stop = ops::binary(BinOp::Add, &hi, &Value::Int(1))?;
    randrange(interp, rng, Args::new(vec![lo, stop]))
}

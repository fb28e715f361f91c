//! The real-valued distributions of `Lib/random.py`, in its order of draws and arithmetic.
//! Results that CPython computes from the caller's values (`mu + z * sigma`) go through the
//! language's operators, so ints, floats and tensors mix as they do there.

use std::f64::consts::{E, PI};

use super::params::Signature;
use super::Rng;
use crate::lang::ast::{BinOp, CmpOp};
use crate::lang::builtins::to_float;
use crate::lang::exception::Exception;
use crate::lang::interp::Interp;
use crate::lang::ops;
use crate::lang::value::{lock, Args, Value};

const TWOPI: f64 = 2.0 * PI;

fn nv_magicconst() -> f64 {
    4.0 * (-0.5f64).exp() / 2.0f64.sqrt()
}

fn op(op: BinOp, a: &Value, b: &Value) -> Result<Value, Exception> {
    ops::binary(op, a, b)
}

/// `mu + z * sigma`.
fn scaled(z: &Value, mu: &Value, sigma: &Value) -> Result<Value, Exception> {
    op(BinOp::Add, mu, &op(BinOp::Mul, z, sigma)?)
}

/// The bound arguments, each defaulting to `defaults[i]` (`None` marks a required one,
/// which `bind` has already checked).
fn bind(
    args: &Args,
    name: &'static str,
    params: &'static [&'static str],
    defaults: &[Option<f64>],
) -> Result<Vec<Value>, Exception> {
    let required = defaults.iter().take_while(|d| d.is_none()).count();
    let slots = Signature::new(name, params, required).bind(args)?;
    Ok(slots
        .into_iter()
        .zip(defaults)
        .map(|(v, d)| v.unwrap_or(d.map_or(Value::None, Value::Float)))
        .collect())
}

fn float(v: f64) -> Value {
    Value::Float(v)
}

/// `v <= bound`, with Python's comparison (and its error for a non-number).
fn at_most(v: &Value, bound: f64) -> Result<bool, Exception> {
    ops::truthy(&ops::compare(CmpOp::Le, v, &float(bound))?)
}

/// math.log for a float, with its domain error (a zero draw is possible in principle).
fn log(x: f64) -> Result<f64, Exception> {
    if x > 0.0 {
        Ok(x.ln())
    } else {
        Err(Exception::value_error("math domain error"))
    }
}

pub fn uniform(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = bind(&args, "uniform", &["a", "b"], &[None, None])?;
    let width = op(BinOp::Sub, &a[1], &a[0])?;
    op(
        BinOp::Add,
        &a[0],
        &op(BinOp::Mul, &width, &float(rng.random()))?,
    )
}

pub fn triangular(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = Signature::new("triangular", &["low", "high", "mode"], 0).bind(&args)?;
    let mut low = a[0].clone().unwrap_or(float(0.0));
    let mut high = a[1].clone().unwrap_or(float(1.0));
    let u = rng.random();
    let c = match &a[2] {
        None | Some(Value::None) => 0.5,
        Some(mode) => {
            let quotient = op(BinOp::Sub, mode, &low)
                .and_then(|num| op(BinOp::Div, &num, &op(BinOp::Sub, &high, &low)?));
            match quotient {
                Ok(c) => to_float(&c)?,
                Err(e) if e.class() == "ZeroDivisionError" => return Ok(low),
                Err(e) => return Err(e),
            }
        }
    };
    let (u, c) = if u > c {
        std::mem::swap(&mut low, &mut high);
        (1.0 - u, 1.0 - c)
    } else {
        (u, c)
    };
    let span = op(BinOp::Sub, &high, &low)?;
    op(
        BinOp::Add,
        &low,
        &op(BinOp::Mul, &span, &float((u * c).sqrt()))?,
    )
}

/// Kinderman and Monahan's ratio of uniforms.
fn standard_normal(rng: &Rng) -> Result<f64, Exception> {
    loop {
        let u1 = rng.random();
        let u2 = 1.0 - rng.random();
        let z = nv_magicconst() * (u1 - 0.5) / u2;
        if z * z / 4.0 <= -log(u2)? {
            return Ok(z);
        }
    }
}

pub fn normalvariate(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = bind(
        &args,
        "normalvariate",
        &["mu", "sigma"],
        &[Some(0.0), Some(1.0)],
    )?;
    scaled(&float(standard_normal(rng)?), &a[0], &a[1])
}

pub fn lognormvariate(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = bind(&args, "lognormvariate", &["mu", "sigma"], &[None, None])?;
    let x = to_float(&scaled(&float(standard_normal(rng)?), &a[0], &a[1])?)?;
    let y = x.exp();
    if y.is_infinite() && x.is_finite() {
        return Err(Exception::new("OverflowError", "math range error"));
    }
    Ok(float(y))
}

/// Box–Muller, keeping the second value for the next call.
pub fn gauss(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = bind(&args, "gauss", &["mu", "sigma"], &[Some(0.0), Some(1.0)])?;
    let cached = lock(&rng.0).gauss_next.take();
    let z = match cached {
        Some(z) => z,
        None => {
            let x2pi = rng.random() * TWOPI;
            let g2rad = (-2.0 * log(1.0 - rng.random())?).sqrt();
            lock(&rng.0).gauss_next = Some(float(x2pi.sin() * g2rad));
            float(x2pi.cos() * g2rad)
        }
    };
    scaled(&z, &a[0], &a[1])
}

pub fn expovariate(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = bind(&args, "expovariate", &["lambd"], &[None])?;
    op(BinOp::Div, &float(-log(1.0 - rng.random())?), &a[0])
}

pub fn vonmisesvariate(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = bind(&args, "vonmisesvariate", &["mu", "kappa"], &[None, None])?;
    if at_most(&a[1], 1e-6)? {
        return Ok(float(TWOPI * rng.random()));
    }
    let kappa = to_float(&a[1])?;
    let s = 0.5 / kappa;
    let r = s + (1.0 + s * s).sqrt();
    let z = loop {
        let u1 = rng.random();
        let z = (PI * u1).cos();
        let d = z / (r + z);
        let u2 = rng.random();
        if u2 < 1.0 - d * d || u2 <= (1.0 - d) * d.exp() {
            break z;
        }
    };
    let q = 1.0 / r;
    let f = (q + z) / (1.0 + q * z);
    let u3 = rng.random();
    let turn = if u3 > 0.5 { BinOp::Add } else { BinOp::Sub };
    let theta = op(turn, &a[0], &float(f.acos()))?;
    op(BinOp::Mod, &theta, &float(TWOPI))
}

fn gamma(rng: &Rng, alpha: &Value, beta: &Value) -> Result<f64, Exception> {
    if at_most(alpha, 0.0)? || at_most(beta, 0.0)? {
        return Err(Exception::value_error(
            "gammavariate: alpha and beta must be > 0.0",
        ));
    }
    let (alpha, beta) = (to_float(alpha)?, to_float(beta)?);
    if alpha > 1.0 {
        // Cheng's rejection algorithm GB.
        let log4 = 4f64.ln();
        let sg_magicconst = 1.0 + 4.5f64.ln();
        let ainv = (2.0 * alpha - 1.0).sqrt();
        let (bbb, ccc) = (alpha - log4, alpha + ainv);
        loop {
            let u1 = rng.random();
            if !(1e-7 < u1 && u1 < 0.9999999) {
                continue;
            }
            let u2 = 1.0 - rng.random();
            let v = log(u1 / (1.0 - u1))? / ainv;
            let x = alpha * v.exp();
            let z = u1 * u1 * u2;
            let r = bbb + ccc * v - x;
            if r + sg_magicconst - 4.5 * z >= 0.0 || r >= log(z)? {
                return Ok(x * beta);
            }
        }
    } else if alpha == 1.0 {
        Ok(-log(1.0 - rng.random())? * beta)
    } else {
        // ALGORITHM GS of Statistical Computing - Kennedy & Gentle.
        loop {
            let u = rng.random();
            let b = (E + alpha) / E;
            let p = b * u;
            let x = if p <= 1.0 {
                p.powf(1.0 / alpha)
            } else {
                -log((b - p) / alpha)?
            };
            let u1 = rng.random();
            let accept = if p > 1.0 {
                u1 <= x.powf(alpha - 1.0)
            } else {
                u1 <= (-x).exp()
            };
            if accept {
                return Ok(x * beta);
            }
        }
    }
}

pub fn gammavariate(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = bind(&args, "gammavariate", &["alpha", "beta"], &[None, None])?;
    Ok(float(gamma(rng, &a[0], &a[1])?))
}

pub fn betavariate(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = bind(&args, "betavariate", &["alpha", "beta"], &[None, None])?;
    let y = gamma(rng, &a[0], &float(1.0))?;
    if y == 0.0 {
        return Ok(float(0.0));
    }
    Ok(float(y / (y + gamma(rng, &a[1], &float(1.0))?)))
}

pub fn paretovariate(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = bind(&args, "paretovariate", &["alpha"], &[None])?;
    let u = 1.0 - rng.random();
    let exponent = op(BinOp::Div, &float(-1.0), &a[0])?;
    op(BinOp::Pow, &float(u), &exponent)
}

pub fn weibullvariate(_: &mut Interp<'_>, rng: &Rng, args: Args) -> Result<Value, Exception> {
    let a = bind(&args, "weibullvariate", &["alpha", "beta"], &[None, None])?;
    let u = 1.0 - rng.random();
    let exponent = op(BinOp::Div, &float(1.0), &a[1])?;
    let power = op(BinOp::Pow, &float(-log(u)?), &exponent)?;
    op(BinOp::Mul, &a[0], &power)
}

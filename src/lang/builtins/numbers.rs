//! Number built-ins: `divmod`, `pow`, `chr`, `ord`, `hex`/`oct`/`bin`.

use crate::lang::ast::BinOp;
use crate::lang::exception::Exception;
use crate::lang::interp::Interp;
use crate::lang::ops;
use crate::lang::value::{Args, Value};

use super::{int_of, one_arg};

pub(super) fn divmod(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("divmod")?;
    let [a, b] = args.positional.as_slice() else {
        return Err(Exception::type_error(format!(
            "divmod expected 2 arguments, got {}",
            args.positional.len()
        )));
    };
    let q = ops::binary(BinOp::FloorDiv, a, b)?;
    let r = ops::binary(BinOp::Mod, a, b)?;
    Ok(Value::tuple(vec![q, r]))
}

pub(super) fn pow(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("pow", &["base", "exp", "mod"], 2)?;
    let (Some(base), Some(exp)) = (&a[0], &a[1]) else {
        return Err(Exception::type_error("pow() missing required argument"));
    };
    match &a[2] {
        None | Some(Value::None) => interp.binary_op(BinOp::Pow, base, exp),
        Some(m) => {
            let (b, e, m) = (int_of(base)?, int_of(exp)?, int_of(m)?);
            if m == 0 {
                return Err(Exception::value_error("pow() 3rd argument cannot be 0"));
            }
            if e < 0 {
                return Err(Exception::value_error(
                    "pow() negative exponent with a modulus is not supported in nnlearn",
                ));
            }
            let m128 = m as i128;
            let (mut result, mut b, mut e) = (1i128, (b as i128).rem_euclid(m128), e);
            while e > 0 {
                if e & 1 == 1 {
                    result = result * b % m128;
                }
                b = b * b % m128;
                e >>= 1;
            }
            // Python's result takes the sign of the modulus.
            Ok(Value::Int(
                result.rem_euclid(m128) as i64 + if m < 0 && result != 0 { m } else { 0 },
            ))
        }
    }
}

pub(super) fn chr(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let i = int_of(&one_arg(&args, "chr")?)?;
    u32::try_from(i)
        .ok()
        .and_then(char::from_u32)
        .map(|c| Value::str(c.to_string()))
        .ok_or_else(|| Exception::value_error("chr() arg not in range(0x110000)"))
}

pub(super) fn ord(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    match one_arg(&args, "ord")? {
        Value::Str(s) => {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Ok(Value::Int(c as i64)),
                _ => Err(Exception::type_error(format!(
                    "ord() expected a character, but string of length {} found",
                    s.chars().count()
                ))),
            }
        }
        other => Err(Exception::type_error(format!(
            "ord() expected string of length 1, but {} found",
            other.type_name()
        ))),
    }
}

/// `hex(i)`, `oct(i)`, `bin(i)`.
pub(super) fn int_text(
    args: &Args,
    name: &str,
    radix: u32,
    prefix: &str,
) -> Result<Value, Exception> {
    let i = int_of(&one_arg(args, name)?)?;
    let digits = match radix {
        16 => format!("{:x}", i.unsigned_abs()),
        8 => format!("{:o}", i.unsigned_abs()),
        _ => format!("{:b}", i.unsigned_abs()),
    };
    let sign = if i < 0 { "-" } else { "" };
    Ok(Value::str(format!("{sign}{prefix}{digits}")))
}

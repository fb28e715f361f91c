//! Number built-ins: `divmod`, `pow`, `chr`, `ord`, `hex`/`oct`/`bin`.

use crate::lang::ast::BinOp;
use crate::lang::exception::Exception;
use crate::lang::interp::Interp;
use crate::lang::ops;
use crate::lang::value::{Args, Value};

use super::{int_of, one_arg};

pub(super) fn divmod(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    if !args.keywords.is_empty() {
        return Err(Exception::type_error("divmod() takes no keyword arguments"));
    }
    let [a, b] = args.positional.as_slice() else {
        return Err(Exception::type_error(format!(
            "divmod expected 2 arguments, got {}",
            args.positional.len()
        )));
    };
    let (Some(_), Some(y)) = (a.as_float(), b.as_float()) else {
        if matches!(a, Value::Host(_)) || matches!(b, Value::Host(_)) {
            let q = interp.binary_op(BinOp::FloorDiv, a, b)?;
            return Ok(Value::tuple(vec![q, interp.binary_op(BinOp::Mod, a, b)?]));
        }
        return Err(Exception::type_error(format!(
            "unsupported operand type(s) for divmod(): '{}' and '{}'",
            a.type_name(),
            b.type_name()
        )));
    };
    if y == 0.0 {
        let floats = matches!(a, Value::Float(_)) || matches!(b, Value::Float(_));
        return Err(Exception::zero_division(if floats {
            "float divmod()"
        } else {
            "integer division or modulo by zero"
        }));
    }
    Ok(Value::tuple(vec![
        ops::binary(BinOp::FloorDiv, a, b)?,
        ops::binary(BinOp::Mod, a, b)?,
    ]))
}

/// `base**exp % modulus` for ints, with Python's sign (that of the modulus) and, for a
/// negative exponent, the modular inverse.
fn modular_pow(base: i64, exp: i64, modulus: i64) -> Result<i64, Exception> {
    if modulus == 0 {
        return Err(Exception::value_error("pow() 3rd argument cannot be 0"));
    }
    let m = modulus.unsigned_abs() as u128;
    let mut b = (base as i128).rem_euclid(m as i128) as u128;
    if exp < 0 {
        b = inverse(b, m).ok_or_else(|| {
            Exception::value_error("base is not invertible for the given modulus")
        })?;
    }
    let (mut e, mut r) = (exp.unsigned_abs(), 1 % m);
    while e > 0 {
        if e & 1 == 1 {
            r = r * b % m;
        }
        b = b * b % m;
        e >>= 1;
    }
    let r = r as i128;
    Ok(if modulus < 0 && r != 0 {
        r - m as i128
    } else {
        r
    } as i64)
}

/// `b`'s inverse modulo `m`, by the extended Euclidean algorithm.
fn inverse(b: u128, m: u128) -> Option<u128> {
    let (mut old_r, mut r) = (b as i128, m as i128);
    let (mut old_s, mut s) = (1i128, 0i128);
    while r != 0 {
        let q = old_r / r;
        (old_r, r) = (r, old_r - q * r);
        (old_s, s) = (s, old_s - q * s);
    }
    (old_r == 1 || m == 1).then(|| old_s.rem_euclid(m as i128) as u128)
}

pub(super) fn pow(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let given = args.positional.len() + args.keywords.len();
    if given > 3 {
        return Err(Exception::type_error(format!(
            "pow() takes at most 3 arguments ({given} given)"
        )));
    }
    let a = args.bind("pow", &["base", "exp", "mod"], 2)?;
    let none = Value::None;
    let (base, exp) = (
        a[0].as_ref().unwrap_or(&none),
        a[1].as_ref().unwrap_or(&none),
    );
    match a[2].as_ref().filter(|m| !matches!(m, Value::None)) {
        None => interp.binary_op(BinOp::Pow, base, exp),
        Some(m) => match (base.as_int(), exp.as_int(), m.as_int()) {
            (Some(b), Some(e), Some(m)) => Ok(Value::Int(modular_pow(b, e, m)?)),
            _ if [base, exp, m]
                .iter()
                .all(|v| ops::bigint::to_big(v).is_some()) =>
            {
                let big = |v: &Value| ops::bigint::to_big(v).unwrap_or_default();
                ops::bigint::pow_mod(&big(base), &big(exp), &big(m))
            }
            // float's __pow__ refuses any modulus; nothing else takes one.
            _ if base.as_float().is_some()
                && exp.as_float().is_some()
                && (matches!(base, Value::Float(_)) || matches!(exp, Value::Float(_))) =>
            {
                Err(Exception::type_error(
                    "pow() 3rd argument not allowed unless all arguments are integers",
                ))
            }
            _ => Err(Exception::type_error(format!(
                "unsupported operand type(s) for ** or pow(): '{}', '{}', '{}'",
                base.type_name(),
                exp.type_name(),
                m.type_name()
            ))),
        },
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
    let v = one_arg(args, name)?;
    if let Value::BigInt(b) = &v {
        return Ok(Value::str(ops::bigint::radix_string(b, radix, prefix)));
    }
    let i = int_of(&v)?;
    let digits = match radix {
        16 => format!("{:x}", i.unsigned_abs()),
        8 => format!("{:o}", i.unsigned_abs()),
        _ => format!("{:b}", i.unsigned_abs()),
    };
    let sign = if i < 0 { "-" } else { "" };
    Ok(Value::str(format!("{sign}{prefix}{digits}")))
}

#[cfg(test)]
mod tests {
    use crate::lang::tests::eval::run;
    use crate::lang::Session;

    /// Each call with the exception line CPython 3.11 printed for it.
    const ERRORS: &[(&str, &str)] = &[
        (
            "divmod(1, 0)",
            "ZeroDivisionError: integer division or modulo by zero",
        ),
        ("divmod(1.0, 0)", "ZeroDivisionError: float divmod()"),
        ("divmod(1, 0.0)", "ZeroDivisionError: float divmod()"),
        (
            r#"divmod("a", 1)"#,
            "TypeError: unsupported operand type(s) for divmod(): 'str' and 'int'",
        ),
        ("divmod(1)", "TypeError: divmod expected 2 arguments, got 1"),
        (
            "divmod(1, 2, 3)",
            "TypeError: divmod expected 2 arguments, got 3",
        ),
        (
            "divmod(x=1, y=2)",
            "TypeError: divmod() takes no keyword arguments",
        ),
        ("pow(2, 3, 0)", "ValueError: pow() 3rd argument cannot be 0"),
        (
            "pow(2, -1, 4)",
            "ValueError: base is not invertible for the given modulus",
        ),
        (
            "pow(2.0, 3, 5)",
            "TypeError: pow() 3rd argument not allowed unless all arguments are integers",
        ),
        (
            "pow(2)",
            "TypeError: pow() missing required argument 'exp' (pos 2)",
        ),
        (
            "pow(2, 3, 4, 5)",
            "TypeError: pow() takes at most 3 arguments (4 given)",
        ),
        (
            r#"pow("a", 2)"#,
            "TypeError: unsupported operand type(s) for ** or pow(): 'str' and 'int'",
        ),
        (
            r#"pow(2, 3, "m")"#,
            "TypeError: unsupported operand type(s) for ** or pow(): 'int', 'int', 'str'",
        ),
    ];

    #[test]
    fn errors_are_cpythons() {
        for (code, want) in ERRORS {
            let out = run(&mut Session::new(), &format!("{code}\n"));
            assert!(out.trim_end().ends_with(want), "{code}: {out}");
        }
    }
}

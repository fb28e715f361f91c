//! Argument binding with the messages CPython gives for the methods `Lib/random.py` defines
//! in Python (`Random.randrange() missing 1 required positional argument: 'start'`), and for
//! the few it implements in C.

use crate::lang::exception::Exception;
use crate::lang::value::{Args, Value};

/// The signature of a `Random` method written in Python (`self` not listed).
pub struct Signature {
    pub name: &'static str,
    /// Parameters that may be passed by position, in order.
    pub positional: &'static [&'static str],
    /// How many of `positional` have no default.
    pub required: usize,
    /// Keyword-only parameters (all with defaults).
    pub keyword_only: &'static [&'static str],
}

impl Signature {
    pub const fn new(
        name: &'static str,
        positional: &'static [&'static str],
        required: usize,
    ) -> Signature {
        Signature {
            name,
            positional,
            required,
            keyword_only: &[],
        }
    }

    /// One slot per parameter, positional then keyword-only; `None` where not given.
    pub fn bind(&self, args: &Args) -> Result<Vec<Option<Value>>, Exception> {
        let qual = format!("Random.{}", self.name);
        let npos = self.positional.len();
        if args.positional.len() > npos {
            // Counts include `self`, as CPython's do for a bound method.
            let takes = if self.required == npos {
                format!("{}", npos + 1)
            } else {
                format!("from {} to {}", self.required + 1, npos + 1)
            };
            let keyword_only_given = args
                .keywords
                .iter()
                .filter(|(k, _)| self.keyword_only.contains(&k.as_str()))
                .count();
            let given = args.positional.len() + 1;
            let given = match keyword_only_given {
                0 => format!("{given} were"),
                n => format!(
                    "{given} positional arguments (and {n} keyword-only argument{}) were",
                    if n == 1 { "" } else { "s" }
                ),
            };
            return Err(Exception::type_error(format!(
                "{qual}() takes {takes} positional argument{} but {given} given",
                if npos == 0 { "" } else { "s" }
            )));
        }
        let names: Vec<&str> = self
            .positional
            .iter()
            .chain(self.keyword_only)
            .copied()
            .collect();
        let mut slots: Vec<Option<Value>> = vec![None; names.len()];
        for (slot, v) in slots.iter_mut().zip(&args.positional) {
            *slot = Some(v.clone());
        }
        for (key, value) in &args.keywords {
            let Some(i) = names.iter().position(|n| n == key) else {
                return Err(Exception::type_error(format!(
                    "{qual}() got an unexpected keyword argument '{key}'"
                )));
            };
            if slots[i].is_some() {
                return Err(Exception::type_error(format!(
                    "{qual}() got multiple values for argument '{key}'"
                )));
            }
            slots[i] = Some(value.clone());
        }
        let missing: Vec<&str> = (0..self.required)
            .filter(|&i| slots[i].is_none())
            .map(|i| names[i])
            .collect();
        if !missing.is_empty() {
            return Err(Exception::type_error(format!(
                "{qual}() missing {} required positional argument{}: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                // No method here has more than two required parameters.
                missing
                    .iter()
                    .map(|n| format!("'{n}'"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )));
        }
        Ok(slots)
    }
}

/// The arguments of a method CPython implements in C with a fixed number of positional
/// arguments (`random()`, `getrandbits(k)`, `setstate(state)`).
pub fn exactly<const N: usize>(args: &Args, name: &str) -> Result<[Value; N], Exception> {
    if !args.keywords.is_empty() {
        return Err(Exception::type_error(format!(
            "Random.{name}() takes no keyword arguments"
        )));
    }
    let given = args.positional.len();
    <[Value; N]>::try_from(args.positional.clone()).map_err(|_| {
        Exception::type_error(match N {
            0 => format!("Random.{name}() takes no arguments ({given} given)"),
            _ => format!("Random.{name}() takes exactly one argument ({given} given)"),
        })
    })
}

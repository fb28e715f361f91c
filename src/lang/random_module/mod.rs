//! Python's `random` module, bit for bit with CPython 3.11 (`Lib/random.py` over
//! `Modules/_randommodule.c`): the module functions share one hidden `Random` instance, and
//! `random.Random(seed)` makes independent ones with the same methods.

mod distributions;
mod integers;
mod params;
mod seed;
mod sequences;
mod twister;

use std::any::Any;
use std::sync::Arc;

use indexmap::IndexMap;

use super::exception::Exception;
use super::host::HostObject;
use super::interp::Interp;
use super::namespace::Namespace;
use super::value::{lock, shared, Args, NativeFunction, Shared, Value};
use crate::tensor::random::mt19937::Mt19937;

/// One `Random` object's state: the twister and `gauss()`'s cached second value.
struct Generator {
    twister: Mt19937,
    gauss_next: Option<Value>,
}

/// A handle on a generator. Each draw locks it briefly, never across a call back into the
/// interpreter (arithmetic on the caller's values may run arbitrary code).
#[derive(Clone)]
pub struct Rng(Shared<Generator>);

impl Rng {
    fn seeded(key: &[u32]) -> Rng {
        Rng(shared(Generator {
            twister: Mt19937::from_key(key),
            gauss_next: None,
        }))
    }

    fn reseed(&self, key: &[u32]) {
        let mut g = lock(&self.0);
        g.twister = Mt19937::from_key(key);
        g.gauss_next = None;
    }

    fn random(&self) -> f64 {
        twister::random(&mut lock(&self.0).twister)
    }

    /// `_randbelow(n)` for `n > 0`.
    fn below(&self, n: u64) -> u64 {
        twister::below(&mut lock(&self.0).twister, n)
    }

    fn getrandbits(&self, k: u32) -> u64 {
        twister::getrandbits(&mut lock(&self.0).twister, k)
    }
}

type Method = fn(&mut Interp<'_>, &Rng, Args) -> Result<Value, Exception>;

/// Every public method of `random.Random`, which are also the module's functions.
const METHODS: &[(&str, Method)] = &[
    ("seed", integers::seed),
    ("getstate", integers::getstate),
    ("setstate", integers::setstate),
    ("random", |_, rng, args| {
        params::exactly::<0>(&args, "random")?;
        Ok(Value::Float(rng.random()))
    }),
    ("getrandbits", integers::getrandbits),
    ("randrange", integers::randrange),
    ("randint", integers::randint),
    ("choice", sequences::choice),
    ("choices", sequences::choices),
    ("shuffle", sequences::shuffle),
    ("sample", sequences::sample),
    ("uniform", distributions::uniform),
    ("triangular", distributions::triangular),
    ("normalvariate", distributions::normalvariate),
    ("gauss", distributions::gauss),
    ("lognormvariate", distributions::lognormvariate),
    ("expovariate", distributions::expovariate),
    ("vonmisesvariate", distributions::vonmisesvariate),
    ("gammavariate", distributions::gammavariate),
    ("betavariate", distributions::betavariate),
    ("paretovariate", distributions::paretovariate),
    ("weibullvariate", distributions::weibullvariate),
];

fn bound(rng: &Rng, name: &str) -> Option<Value> {
    let &(name, method) = METHODS.iter().find(|(n, _)| *n == name)?;
    let rng = rng.clone();
    Some(NativeFunction::value(name, move |interp, args| {
        method(interp, &rng, args)
    }))
}

/// The `random` module object, with its own hidden instance seeded from entropy.
pub fn module() -> Value {
    let rng = Rng::seeded(&seed::entropy_key());
    let mut attrs = IndexMap::new();
    attrs.insert("Random".to_string(), Value::host(RandomClass));
    for (name, _) in METHODS {
        if let Some(f) = bound(&rng, name) {
            attrs.insert(name.to_string(), f);
        }
    }
    Value::host(Namespace::new("random", attrs))
}

/// `random.Random`: calling it makes an instance, seeded as `seed(x)` would.
struct RandomClass;

impl HostObject for RandomClass {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        "<class 'random.Random'>".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn call(&self, interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
        let x = params::Signature::new("__init__", &["x"], 0)
            .bind(&args)?
            .remove(0)
            .unwrap_or(Value::None);
        let rng = Rng::seeded(&[0]);
        integers::seed(interp, &rng, Args::new(vec![x]))?;
        Ok(Value::host(RandomInstance(rng)))
    }
    fn instance_check(&self, value: &Value) -> Option<bool> {
        Some(value.as_host::<RandomInstance>().is_some())
    }
}

struct RandomInstance(Rng);

impl HostObject for RandomInstance {
    fn type_name(&self) -> String {
        "Random".into()
    }
    fn qualified_type_name(&self) -> String {
        "random.Random".into()
    }
    fn repr(&self) -> String {
        format!(
            "<random.Random object at {:#x}>",
            Arc::as_ptr(&self.0 .0) as usize
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> Result<Value, Exception> {
        match name {
            "gauss_next" => Ok(lock(&self.0 .0).gauss_next.clone().unwrap_or(Value::None)),
            "VERSION" => Ok(Value::Int(integers::STATE_VERSION)),
            _ => bound(&self.0, name).ok_or_else(|| {
                Exception::attribute_error(format!("'Random' object has no attribute '{name}'"))
            }),
        }
    }
}

#[cfg(test)]
mod tests;

//! `torch.Generator`, the default generator, and the `generator=` argument
//! of the random functions.

use std::any::Any;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex};

use super::convert::{as_tensor, no_attr, raise, to_i64, DeviceObj, PyResult};
use super::TorchState;
use crate::lang::value::{lock, Args, HostObject, NativeFunction, Value};
use crate::lang::{Exception, Interp};
use crate::tensor::random::Generator;
use crate::tensor::{CpuStorage, DType, Device, Tensor};

/// A generator shared by every handle on it (`torch.manual_seed` returns
/// the default one, `torch.Generator()` makes a new one).
pub type SharedGenerator = Arc<Mutex<Generator>>;

/// A `torch.Generator` object.
pub struct GeneratorObj(pub SharedGenerator);

/// `torch.Generator`, the class.
pub struct GeneratorClass;

impl HostObject for GeneratorClass {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        "<class 'torch.Generator'>".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn instance_check(&self, value: &Value) -> Option<bool> {
        Some(value.as_host::<GeneratorObj>().is_some())
    }
    fn call(&self, _interp: &mut Interp<'_>, args: Args) -> PyResult<Value> {
        let a = args.bind("Generator", &["device"], 0)?;
        if let Some(d) = a[0].as_ref() {
            let device = super::convert::as_device(d)?;
            if device != Device::Cpu {
                return Err(Exception::runtime_error(
                    "nnlearn's generators live on the CPU (CUDA tensors draw from them too); use torch.Generator()",
                ));
            }
        }
        Ok(Value::host(GeneratorObj(Arc::new(Mutex::new(
            Generator::default(),
        )))))
    }
}

/// A seed from the operating system's randomness, limited to 53 bits as
/// PyTorch's `getNonDeterministicRandom` limits it.
fn nondeterministic_seed() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    h.finish() & ((1 << 53) - 1)
}

/// `seed` as PyTorch takes it: negative values as their two's complement.
fn seed_arg(v: Option<&Value>, what: &str) -> PyResult<u64> {
    match v {
        Some(Value::Float(f)) => Err(Exception::type_error(format!(
            "{what} expected a long, but got float ({})",
            crate::pyfmt::float_repr(*f)
        ))),
        Some(v) => Ok(to_i64(v, "seed")? as u64),
        None => Err(Exception::type_error(format!(
            "{what}() missing required argument 'seed' (pos 1)"
        ))),
    }
}

/// The generator's state as `torch.get_rng_state()` gives it.
fn state_tensor(g: &SharedGenerator) -> PyResult<Value> {
    let bytes = lock(g).get_state();
    let n = bytes.len();
    super::convert::ok_tensor(Tensor::from_storage(CpuStorage::U8(bytes), &[n]))
}

fn set_state(g: &SharedGenerator, v: Option<&Value>) -> PyResult<()> {
    let t = v
        .and_then(as_tensor)
        .filter(|t| t.dtype() == DType::U8 && t.device() == Device::Cpu)
        .ok_or_else(|| Exception::type_error("RNG state must be a torch.ByteTensor"))?;
    let bytes = t.to_vec::<u8>().map_err(raise)?;
    lock(g)
        .set_state(&bytes)
        .map_err(|e| Exception::runtime_error(e.to_string()))
}

impl HostObject for GeneratorObj {
    fn type_name(&self) -> String {
        "Generator".into()
    }
    fn qualified_type_name(&self) -> String {
        "torch.Generator".into()
    }
    fn repr(&self) -> String {
        format!(
            "<torch._C.Generator object at 0x{:012x}>",
            Arc::as_ptr(&self.0) as usize
        )
    }
    fn identity(&self) -> Option<usize> {
        Some(Arc::as_ptr(&self.0) as usize)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, this: &Value, name: &str) -> PyResult<Value> {
        let g = self.0.clone();
        let this = this.clone();
        let method = |f: Box<dyn Fn(Args) -> PyResult<Value> + Send + Sync>| {
            NativeFunction::value(name, move |_: &mut Interp<'_>, args: Args| f(args))
        };
        Ok(match name {
            "manual_seed" => method(Box::new(move |args| {
                let a = args.bind("manual_seed", &["seed"], 0)?;
                let seed = seed_arg(a[0].as_ref(), "manual_seed")?;
                lock(&g).manual_seed(seed);
                Ok(this.clone())
            })),
            "seed" => method(Box::new(move |_| {
                let seed = nondeterministic_seed();
                lock(&g).manual_seed(seed);
                Ok(Value::Int(seed as i64))
            })),
            "initial_seed" => method(Box::new(move |_| {
                Ok(Value::Int(lock(&g).initial_seed() as i64))
            })),
            "get_state" => method(Box::new(move |_| state_tensor(&g))),
            "set_state" => method(Box::new(move |args| {
                let a = args.bind("set_state", &["new_state"], 1)?;
                set_state(&g, a[0].as_ref())?;
                Ok(this.clone())
            })),
            "device" => DeviceObj::of(Device::Cpu).value(),
            _ => return Err(no_attr("torch._C.Generator", name)),
        })
    }
}

/// The generator a random function draws from: its `generator=` argument,
/// else the session's default generator.
pub fn chosen(state: &TorchState, v: Option<&Value>, func: &str) -> PyResult<SharedGenerator> {
    match v {
        None | Some(Value::None) => Ok(state.default_generator()),
        Some(v) => v
            .as_host::<GeneratorObj>()
            .map(|g| g.0.clone())
            .ok_or_else(|| {
                Exception::type_error(format!(
                    "{func}(): argument 'generator' must be torch.Generator, not {}",
                    v.type_name()
                ))
            }),
    }
}

/// The `torch.` functions about the default generator.
pub const FUNCTIONS: &[&str] = &[
    "manual_seed",
    "seed",
    "initial_seed",
    "get_rng_state",
    "set_rng_state",
];

/// `torch.name(args)` for a name in [`FUNCTIONS`].
pub fn call(state: &TorchState, name: &str, args: &Args) -> PyResult<Value> {
    let g = state.default_generator();
    match name {
        "manual_seed" => {
            let a = args.bind("manual_seed", &["seed"], 1)?;
            // torch.manual_seed calls int(seed) first.
            let seed = match a[0].as_ref() {
                Some(Value::Float(f)) => Some(Value::Int(*f as i64)),
                other => other.cloned(),
            };
            lock(&g).manual_seed(seed_arg(seed.as_ref(), "manual_seed")?);
            Ok(Value::host(GeneratorObj(g)))
        }
        "seed" => {
            args.bind("seed", &[], 0)?;
            let seed = nondeterministic_seed();
            lock(&g).manual_seed(seed);
            Ok(Value::Int(seed as i64))
        }
        "initial_seed" => {
            args.bind("initial_seed", &[], 0)?;
            Ok(Value::Int(lock(&g).initial_seed() as i64))
        }
        "get_rng_state" => {
            args.bind("get_rng_state", &[], 0)?;
            state_tensor(&g)
        }
        _ => {
            let a = args.bind("set_rng_state", &["new_state"], 1)?;
            set_state(&g, a[0].as_ref())?;
            Ok(Value::None)
        }
    }
}

/// `torch.default_generator`.
pub fn default_generator(state: &TorchState) -> Value {
    Value::host(GeneratorObj(state.default_generator()))
}

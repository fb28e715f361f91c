//! The `torch` namespace: binds the tensor engine and `nn` into the language.
//!
//! Each session gets its own [`TorchState`] (the random generator), reachable
//! from the namespace objects the prelude binds (`torch`, `nn`, `F`, `optim`).

mod autograd_fn;
mod backends;
mod conv_rnn;
mod convert;
mod device;
mod dtypes;
mod embed_norm;
mod functions;
mod gathers;
mod generator;
mod gradcheck;
mod graph;
mod legacy;
mod methods;
mod nn;
mod optim;
mod out;
mod prelude;
mod printing;
mod sampling;
mod tensor_new;
mod tensor_obj;

use std::any::Any;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

pub use convert::{as_tensor, tensor_value, DTypeObj, DeviceObj, SizeObj};
pub use device::{cuda_available, cuda_unavailable_reason};
pub use methods::tensor_members;
pub use nn::ModuleObj;
pub use tensor_obj::TensorObj;

use crate::lang::value::{lock, Args, HostObject, NativeFunction, Value};
use crate::lang::{Exception, Interp, Session};
use crate::tensor::random::Generator;
use crate::tensor::{DType, Device};
use convert::{expect_tensor, PyResult};

/// nnlearn's version, shown as `torch.__version__`.
pub const VERSION: &str = concat!("nnlearn-", env!("CARGO_PKG_VERSION"));

/// Per-session state behind the `torch` namespace.
pub struct TorchState {
    generator: generator::SharedGenerator,
    /// `torch.backends.cudnn`'s attributes.
    cudnn: backends::Flags,
    /// Where tensors made without `device=` go (`torch.set_default_device`).
    default_device: Mutex<Device>,
    /// `torch.nn` and `torch.utils` once the prelude's Python modules are loaded.
    prelude: OnceLock<prelude::Loaded>,
}

impl TorchState {
    pub fn new(seed: u64) -> TorchState {
        TorchState {
            generator: Arc::new(Mutex::new(Generator::new(seed))),
            cudnn: backends::default_flags(),
            default_device: Mutex::new(Device::Cpu),
            prelude: OnceLock::new(),
        }
    }

    /// The default generator, locked.
    pub fn generator(&self) -> MutexGuard<'_, Generator> {
        lock(&self.generator)
    }

    /// The module object `torch.backends...` / `torch.accelerator` names.
    fn backend(&self, module: backends::Module) -> Value {
        Value::host(backends::BackendModule {
            module,
            flags: self.cudnn.clone(),
        })
    }

    /// The default generator (`torch.default_generator`).
    pub fn default_generator(&self) -> generator::SharedGenerator {
        self.generator.clone()
    }

    pub fn default_device(&self) -> Device {
        *lock(&self.default_device)
    }

    pub fn set_default_device(&self, device: Device) {
        *lock(&self.default_device) = device;
    }
}

/// A session with `torch`, `nn`, `F` and `optim` bound and importable, its
/// generator seeded with `seed` (lessons use 0).
pub fn new_session_seeded(seed: u64) -> Session {
    new_session_with(seed, Device::Cpu)
}

/// A session whose tensors are made on `device` unless code says otherwise
/// (`--device cuda`); the caller has checked that `device` can be used.
pub fn new_session_with(seed: u64, device: Device) -> Session {
    let state = Arc::new(TorchState::new(seed));
    state.set_default_device(device);
    // A new session starts from PyTorch's defaults (they are per thread).
    crate::tensor::dtype::set_default_float(DType::F32);
    crate::tensor::format::set_print_options(Default::default());
    let ns = |kind| {
        Value::host(Namespace {
            kind,
            state: state.clone(),
        })
    };
    let mut session = Session::new();
    for (module, kind) in [
        ("torch", Kind::Torch),
        ("torch.nn", Kind::Nn),
        ("torch.nn.functional", Kind::Functional),
        ("torch.optim", Kind::Optim),
        ("torch.linalg", Kind::Linalg),
        ("torch.cuda", Kind::Cuda),
        ("torch.autograd", Kind::Autograd),
    ] {
        session.add_module(module, ns(kind));
    }
    for module in backends::Module::IMPORTABLE {
        session.add_module(module.name(), state.backend(module));
    }
    // Only a broken build fails here; `nn` then stays the host namespace.
    let nn = match prelude::load(&mut session) {
        Ok(loaded) => state.prelude.get_or_init(|| loaded).nn.clone(),
        Err(_) => ns(Kind::Nn),
    };
    session.set_prelude("torch", ns(Kind::Torch));
    session.set_prelude("nn", nn);
    session.set_prelude("F", ns(Kind::Functional));
    session.set_prelude("optim", ns(Kind::Optim));
    session.set_prelude(
        "graph",
        NativeFunction::value("graph", |interp: &mut Interp<'_>, args: Args| {
            let a = args.bind("graph", &["tensor"], 1)?;
            let t = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), "graph")?;
            let text = graph::render(&t);
            interp.print(&text);
            Ok(Value::None)
        }),
    );
    session
}

/// A lesson session: `torch.manual_seed(0)` applied.
pub fn new_session() -> Session {
    new_session_seeded(0)
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Torch,
    Nn,
    Functional,
    Optim,
    Linalg,
    Cuda,
    Autograd,
    /// `torch._C` and `torch._C._nn`: the helpers the nn prelude calls.
    C,
    CNn,
}

impl Kind {
    fn module_name(self) -> &'static str {
        match self {
            Kind::Torch => "torch",
            Kind::Nn => "torch.nn",
            Kind::Functional => "torch.nn.functional",
            Kind::Optim => "torch.optim",
            Kind::Linalg => "torch.linalg",
            Kind::Cuda => "torch.cuda",
            Kind::Autograd => "torch.autograd",
            Kind::C => "torch._C",
            Kind::CNn => "torch._C._nn",
        }
    }
}

/// A module object: `torch`, `torch.nn`, ...
struct Namespace {
    kind: Kind,
    state: Arc<TorchState>,
}

impl Namespace {
    fn sub(&self, kind: Kind) -> Value {
        Value::host(Namespace {
            kind,
            state: self.state.clone(),
        })
    }

    fn function(&self, name: &str) -> Value {
        let state = self.state.clone();
        let kind = self.kind;
        let fname = name.to_string();
        NativeFunction::value(
            name,
            move |interp: &mut Interp<'_>, args: Args| match kind {
                Kind::Torch if conv_rnn::RECURRENCES.contains(&fname.as_str()) => {
                    conv_rnn::recurrence(&fname, args)
                }
                Kind::Torch => functions::call(&state, interp, &fname, args),
                Kind::Nn => match fname.as_str() {
                    "Parameter" => nn::parameter(args),
                    _ => nn::construct(&state, &fname, args),
                },
                Kind::Functional if fname == "one_hot" => gathers::one_hot(&args),
                Kind::Functional => nn::functional(&state, &fname, args),
                Kind::Optim => optim::construct(interp, &fname, args),
                Kind::Linalg => linalg(interp, &fname, args),
                Kind::Cuda => device::call_cuda(&fname, &args),
                Kind::Autograd => match fname.as_str() {
                    "Variable" => legacy::variable(&args),
                    "gradcheck" => gradcheck::gradcheck(interp, args),
                    _ => functions::autograd_grad(interp, &args),
                },
                Kind::C => Err(convert::no_module_attr("torch._C", &fname)),
                Kind::CNn => device::parse_to(&args),
            },
        )
    }

    /// Names this namespace offers, for completion.
    fn names(&self) -> Vec<&'static str> {
        match self.kind {
            Kind::Torch => {
                let mut v = functions::FUNCTIONS.to_vec();
                v.extend(dtypes::FUNCTIONS);
                v.extend(generator::FUNCTIONS);
                v.extend(printing::FUNCTIONS);
                v.extend(DType::ALL.iter().flat_map(|d| d.attr_names()));
                v.extend(conv_rnn::RECURRENCES);
                v.extend([
                    "nn",
                    "utils",
                    "optim",
                    "linalg",
                    "cuda",
                    "autograd",
                    "backends",
                    "accelerator",
                    "Tensor",
                    "Generator",
                    "Size",
                    "default_generator",
                    "device",
                    "__version__",
                ]);
                v
            }
            Kind::Nn => nn::CLASSES.to_vec(),
            Kind::Functional => [nn::FUNCTIONAL, &["one_hot"]].concat(),
            Kind::Optim => vec!["SGD", "Adam"],
            Kind::Linalg => vec!["vector_norm", "norm"],
            Kind::Cuda => device::CUDA_FUNCTIONS.to_vec(),
            Kind::Autograd => vec!["grad", "gradcheck", "Function", "Variable"],
            Kind::C => vec!["_nn"],
            Kind::CNn => vec!["_parse_to"],
        }
    }
}

/// Attribute names of `torch.`, `nn.`, ... for REPL completion.
pub fn namespace_names(v: &Value) -> Option<Vec<&'static str>> {
    v.as_host::<Namespace>().map(|n| n.names())
}

fn linalg(interp: &mut Interp<'_>, name: &str, args: Args) -> PyResult<Value> {
    let a = args.bind(name, &["x", "ord", "dim", "keepdim", "dtype"], 1)?;
    let x = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), name)?;
    let mut kw = Args::new(vec![]);
    if let Some(o) = &a[1] {
        kw.keywords.push(("p".into(), o.clone()));
    }
    if let Some(d) = &a[2] {
        kw.keywords.push(("dim".into(), d.clone()));
    }
    if let Some(k) = &a[3] {
        kw.keywords.push(("keepdim".into(), k.clone()));
    }
    methods::call(interp, &x, "norm", kw)
}

impl HostObject for Namespace {
    fn type_name(&self) -> String {
        "module".into()
    }
    fn repr(&self) -> String {
        format!("<module '{}'>", self.kind.module_name())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> PyResult<Value> {
        let known = self.names().contains(&name);
        match (self.kind, name) {
            (Kind::Torch, "nn") => Ok(self
                .state
                .prelude
                .get()
                .map_or_else(|| self.sub(Kind::Nn), |p| p.nn.clone())),
            (Kind::Torch, "utils") => match self.state.prelude.get() {
                Some(p) => Ok(p.utils.clone()),
                None => Err(convert::no_module_attr("torch", name)),
            },
            (Kind::Torch, "optim") => Ok(self.sub(Kind::Optim)),
            (Kind::Optim, "lr_scheduler") => match self.state.prelude.get() {
                Some(p) => Ok(p.lr_scheduler.clone()),
                None => Err(convert::no_module_attr("torch.optim", name)),
            },
            (Kind::Torch, "linalg") => Ok(self.sub(Kind::Linalg)),
            (Kind::Torch, "cuda") => Ok(self.sub(Kind::Cuda)),
            (Kind::Torch, "autograd") => Ok(self.sub(Kind::Autograd)),
            (Kind::Torch, "backends") => Ok(self.state.backend(backends::Module::Backends)),
            (Kind::Torch, "accelerator") => Ok(self.state.backend(backends::Module::Accelerator)),
            (Kind::Torch, "_C") => Ok(self.sub(Kind::C)),
            (Kind::C, "_nn") => Ok(self.sub(Kind::CNn)),
            (Kind::Nn, "functional") => Ok(self.sub(Kind::Functional)),
            (Kind::Torch, "__version__") => Ok(Value::str(VERSION)),
            (Kind::Torch, _) if legacy::class(name).is_some() => {
                legacy::class(name).ok_or_else(|| convert::no_module_attr("torch", name))
            }
            (Kind::Torch, "Generator") => Ok(Value::host(generator::GeneratorClass)),
            (Kind::Torch, "Size") => Ok(NativeFunction::value("Size", |_, args: Args| {
                let a = args.bind("Size", &["sizes"], 0)?;
                let dims = match a[0].as_ref() {
                    None => Vec::new(),
                    Some(v) => convert::int_list(v, "Size")?
                        .into_iter()
                        .map(|d| {
                            usize::try_from(d).map_err(|_| {
                                Exception::value_error(
                                    "torch.Size() takes an iterable of non-negative 'int' values",
                                )
                            })
                        })
                        .collect::<PyResult<_>>()?,
                };
                Ok(SizeObj(dims).value())
            })),
            (Kind::Torch, "default_generator") => Ok(generator::default_generator(&self.state)),
            (Kind::Torch, "device") => Ok(NativeFunction::value("device", |_, args: Args| {
                let a = args.bind("device", &["type", "index"], 1)?;
                let given = a[0].as_ref().unwrap_or(&Value::None);
                let mut d = convert::as_device(given)?;
                let mut indexed = match given {
                    Value::Str(s) => s.contains(':'),
                    other => other.as_host::<DeviceObj>().is_some_and(|o| o.1),
                };
                if let Some(Value::Int(i)) = a[1] {
                    if d.is_cuda() {
                        d = Device::Cuda(i.max(0) as usize);
                        indexed = true;
                    }
                }
                Ok(DeviceObj(d, indexed).value())
            })),
            (Kind::Torch, _) if DType::from_attr(name).is_some() => {
                Ok(DTypeObj(DType::from_attr(name).unwrap_or(DType::F32)).value())
            }
            (Kind::Nn, "Module") => Ok(Value::host(ModuleClass)),
            (Kind::Autograd, "Function") => Ok(autograd_fn::function_class()),
            _ if known => Ok(self.function(name)),
            _ => Err(Exception::attribute_error(format!(
                "module '{}' has no attribute '{name}'",
                self.kind.module_name()
            ))),
        }
    }
}

/// `nn.Module`, for `isinstance(m, nn.Module)`.
struct ModuleClass;

impl HostObject for ModuleClass {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        "<class 'torch.nn.modules.module.Module'>".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn instance_check(&self, value: &Value) -> Option<bool> {
        Some(value.as_host::<ModuleObj>().is_some())
    }
}

/// `torch.no_grad()` / `enable_grad()` / `set_grad_enabled(b)`.
struct GradMode {
    enabled: bool,
    saved: Mutex<Vec<bool>>,
}

impl GradMode {
    fn new(enabled: bool) -> GradMode {
        GradMode {
            enabled,
            saved: Mutex::new(Vec::new()),
        }
    }
}

impl HostObject for GradMode {
    fn type_name(&self) -> String {
        if self.enabled {
            "enable_grad".into()
        } else {
            "no_grad".into()
        }
    }
    fn repr(&self) -> String {
        format!("<torch.autograd.grad_mode.{} object>", self.type_name())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn enter(&self, _interp: &mut Interp<'_>) -> PyResult<Value> {
        let previous = crate::tensor::autograd::set_grad_enabled(self.enabled);
        lock(&self.saved).push(previous);
        Ok(Value::None)
    }
    fn exit(&self, _interp: &mut Interp<'_>) -> PyResult<()> {
        if let Some(previous) = lock(&self.saved).pop() {
            crate::tensor::autograd::set_grad_enabled(previous);
        }
        Ok(())
    }
    fn is_callable(&self) -> bool {
        true
    }
    /// As a decorator (`@torch.no_grad()`): the function, run in this grad mode.
    fn call(&self, _interp: &mut Interp<'_>, args: Args) -> PyResult<Value> {
        args.no_keywords(&self.type_name())?;
        let [f] = args.positional.as_slice() else {
            return Err(Exception::type_error(format!(
                "{}() as a decorator takes one function",
                self.type_name()
            )));
        };
        let (f, enabled) = (f.clone(), self.enabled);
        let name = match &f {
            Value::Function(func) => func.def.name.clone(),
            _ => "decorated".to_string(),
        };
        Ok(NativeFunction::value(name, move |interp, args| {
            let previous = crate::tensor::autograd::set_grad_enabled(enabled);
            let result = interp.call(&f, args);
            crate::tensor::autograd::set_grad_enabled(previous);
            result
        }))
    }
}

/// The state behind the session's `torch` (its generator).
fn session_state(interp: &Interp<'_>) -> PyResult<Arc<TorchState>> {
    match interp
        .global("torch")
        .as_ref()
        .and_then(|v| v.as_host::<Namespace>())
    {
        Some(ns) => Ok(ns.state.clone()),
        None => Err(Exception::runtime_error(
            "torch is not bound in this session",
        )),
    }
}

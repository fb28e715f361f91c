//! The nn prelude: `torch.nn`'s module classes, `torch.nn.init` and `torch.utils.data`,
//! written in Python (`py/`, paths mirroring PyTorch's modules) and run as modules, in
//! dependency order, when a session starts.

use std::any::Any;

use indexmap::IndexMap;

use super::convert::{as_tensor, PyResult};
use crate::lang::namespace::Namespace;
use crate::lang::value::{Args, HostObject, Value};
use crate::lang::{Exception, Interp, Session};

macro_rules! module {
    ($name:literal) => {
        (
            concat!("torch.nn.modules.", $name),
            concat!("torch/nn/modules/", $name, ".py"),
            include_str!(concat!("py/nn/modules/", $name, ".py")),
        )
    };
}

macro_rules! data {
    ($name:literal) => {
        (
            concat!("torch.utils.data.", $name),
            concat!("torch/utils/data/", $name, ".py"),
            include_str!(concat!("py/utils/data/", $name, ".py")),
        )
    };
}

/// (module name, file shown in tracebacks, source), each after the modules it imports.
const MODULES: &[(&str, &str, &str)] = &[
    (
        "torch.nn.init",
        "torch/nn/init.py",
        include_str!("py/nn/init.py"),
    ),
    module!("module"),
    module!("container"),
    module!("linear"),
    module!("activation"),
    module!("flatten"),
    module!("conv"),
    module!("pooling"),
    module!("rnn"),
    module!("sparse"),
    module!("normalization"),
    module!("batchnorm"),
    module!("dropout"),
    module!("loss"),
    (
        "torch.nn",
        "torch/nn/__init__.py",
        include_str!("py/nn/__init__.py"),
    ),
    data!("dataset"),
    data!("sampler"),
    data!("dataloader"),
    (
        "torch.utils.data",
        "torch/utils/data/__init__.py",
        include_str!("py/utils/data/__init__.py"),
    ),
    (
        "torch.optim.lr_scheduler",
        "torch/optim/lr_scheduler.py",
        include_str!("py/optim/lr_scheduler.py"),
    ),
];

/// The loaded `torch.nn`, `torch.utils` and `torch.optim.lr_scheduler` module objects.
pub struct Loaded {
    pub nn: Value,
    pub utils: Value,
    pub lr_scheduler: Value,
}

/// Runs the prelude's modules in `session` (where `torch` is already importable).
pub fn load(session: &mut Session) -> PyResult<Loaded> {
    session.add_module(
        "torch.nn.parameter",
        namespace(
            "torch.nn.parameter",
            [("Parameter", Value::host(ParameterClass))],
        ),
    );
    if !session.has_module("collections") {
        // Until `collections` exists: ordered plain dicts stand in for OrderedDict.
        session.add_module(
            "collections",
            namespace(
                "collections",
                [(
                    "OrderedDict",
                    Value::Type(crate::lang::value::TypeKind::Dict),
                )],
            ),
        );
    }
    let mut nn = Value::None;
    let mut data = Value::None;
    let mut lr_scheduler = Value::None;
    let loaded = session.load_modules(MODULES)?;
    for ((name, _, _), module) in MODULES.iter().zip(loaded) {
        match *name {
            "torch.nn" => nn = module,
            "torch.utils.data" => data = module,
            "torch.optim.lr_scheduler" => lr_scheduler = module,
            _ => {}
        }
    }
    let utils = namespace("torch.utils", [("data", data)]);
    session.add_module("torch.utils", utils.clone());
    Ok(Loaded {
        nn,
        utils,
        lr_scheduler,
    })
}

fn namespace<const N: usize>(name: &str, attrs: [(&str, Value); N]) -> Value {
    let attrs: IndexMap<String, Value> =
        attrs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    Value::host(Namespace::new(name, attrs))
}

/// `nn.Parameter`: calling it makes a parameter; `isinstance` recognises one.
struct ParameterClass;

impl HostObject for ParameterClass {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        "<class 'torch.nn.parameter.Parameter'>".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn instance_check(&self, value: &Value) -> Option<bool> {
        Some(as_tensor(value).is_some_and(|t| t.is_param()))
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, _interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
        super::nn::parameter(args)
    }
}

//! `torch.nn` and `torch.nn.functional` in the language.

use std::any::Any;
use std::sync::Arc;

use super::convert::{
    expect_tensor, no_attr, ok_tensor, raise, tensor_value, to_bool, to_f64, to_i64, PyResult,
};
use super::{embed_norm, TorchState};
use crate::lang::value::{Args, HostObject, NativeFunction, Value};
use crate::lang::{Exception, Interp};
use crate::nn::functional::{cross_entropy, l1_loss, CrossEntropyOptions};
use crate::nn::{Linear, LossKind, Module};
use crate::tensor::{Device, PointLoss, Reduction, Tensor};

/// Module classes `nn.` offers.
pub const CLASSES: &[&str] = &[
    "Linear",
    "Sequential",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "Softmax",
    "LogSoftmax",
    "Flatten",
    "Identity",
    "Conv2d",
    "MaxPool2d",
    "RNNCell",
    "RNN",
    "Embedding",
    "LayerNorm",
    "Dropout",
    "MSELoss",
    "L1Loss",
    "CrossEntropyLoss",
    "NLLLoss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "HuberLoss",
    "SmoothL1Loss",
    "Parameter",
    "Module",
    "functional",
];

/// `F.` functions.
pub const FUNCTIONAL: &[&str] = &[
    "relu",
    "sigmoid",
    "tanh",
    "softmax",
    "log_softmax",
    "mse_loss",
    "l1_loss",
    "cross_entropy",
    "nll_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "linear",
    "huber_loss",
    "smooth_l1_loss",
    "conv2d",
    "max_pool2d",
    "embedding",
    "layer_norm",
    "dropout",
    "batch_norm",
];

/// An `nn.Module` instance.
pub struct ModuleObj(pub Arc<Module>);

impl ModuleObj {
    pub fn value(m: Module) -> Value {
        Value::host(ModuleObj(Arc::new(m)))
    }
}

fn params_list(m: &Module) -> Value {
    Value::list(m.parameters().into_iter().map(tensor_value).collect())
}

impl HostObject for ModuleObj {
    fn type_name(&self) -> String {
        self.0.name().into()
    }
    fn qualified_type_name(&self) -> String {
        let group = match &*self.0 {
            Module::Linear(_) => "linear",
            Module::Sequential(_) => "container",
            Module::Flatten(..) => "flatten",
            Module::Identity => "linear",
            Module::Loss(..) => "loss",
            Module::Conv2d(_) => "conv",
            Module::MaxPool2d(_) => "pooling",
            Module::RnnCell(_) | Module::Rnn(_) => "rnn",
            Module::Embedding(_) => "sparse",
            Module::LayerNorm(_) => "normalization",
            Module::Dropout(_) => "dropout",
            _ => "activation",
        };
        format!("torch.nn.modules.{group}.{}", self.0.name())
    }
    fn repr(&self) -> String {
        self.0.repr()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, this: &Value, name: &str) -> PyResult<Value> {
        let m = self.0.clone();
        let method = |f: fn(&Arc<Module>, &Value, Args) -> PyResult<Value>| {
            let m = m.clone();
            let this = this.clone();
            NativeFunction::value(name, move |_, args| f(&m, &this, args))
        };
        if let Some(v) = embed_norm::attribute(&self.0, name) {
            return Ok(v);
        }
        Ok(match (name, &*self.0) {
            ("weight", Module::Linear(l)) => tensor_value(l.weight.clone()),
            ("bias", Module::Linear(l)) => l.bias.clone().map_or(Value::None, tensor_value),
            ("in_features", Module::Linear(l)) => Value::Int(l.in_features as i64),
            ("out_features", Module::Linear(l)) => Value::Int(l.out_features as i64),
            ("parameters", _) => method(|m, _, _| Ok(params_list(m))),
            ("named_parameters", _) => method(|m, _, _| {
                Ok(Value::list(
                    m.named_parameters()
                        .into_iter()
                        .map(|(n, t)| Value::tuple(vec![Value::str(n), tensor_value(t)]))
                        .collect(),
                ))
            }),
            ("zero_grad", _) => method(|m, _, _| {
                m.zero_grad();
                Ok(Value::None)
            }),
            ("train", _) => method(|m, this, args| embed_norm::set_mode(m, this, args, true)),
            ("eval", _) => method(|m, this, args| embed_norm::set_mode(m, this, args, false)),
            ("float" | "requires_grad_", _) => method(|_, this, _| Ok(this.clone())),
            ("to", _) => method(|m, this, args| module_to(m, this, &args, None)),
            ("cuda", _) => method(|m, this, args| module_to(m, this, &args, Some(Device::Cuda(0)))),
            ("cpu", _) => method(|m, this, args| module_to(m, this, &args, Some(Device::Cpu))),
            ("forward", _) => {
                NativeFunction::value(name, move |interp, args| forward(&m, interp, args))
            }
            ("children" | "modules", Module::Sequential(cs)) => {
                let cs = cs.clone();
                NativeFunction::value(name, move |_, _| {
                    Ok(Value::list(
                        cs.iter()
                            .map(|c| Value::host(ModuleObj(c.clone())))
                            .collect(),
                    ))
                })
            }
            ("dim", Module::Softmax(d) | Module::LogSoftmax(d)) => {
                d.map_or(Value::None, Value::Int)
            }
            ("reduction", Module::Loss(_, r)) => Value::str(match r {
                Reduction::None => "none",
                Reduction::Mean => "mean",
                Reduction::Sum => "sum",
            }),
            _ => {
                return super::conv_rnn::attribute(&self.0, name)
                    .ok_or_else(|| no_attr(self.0.name(), name))
            }
        })
    }
    fn call(&self, interp: &mut Interp<'_>, args: Args) -> PyResult<Value> {
        interp.check_interrupt()?;
        forward(&self.0, interp, args)
    }
    fn set_attr(&self, name: &str, _value: Value) -> PyResult<()> {
        Err(Exception::attribute_error(format!(
            "nnlearn cannot replace '{name}' of a {} module; change its values in place instead, e.g. `with torch.no_grad(): m.{name}.copy_(new_values)`",
            self.0.name()
        )))
    }
    fn get_item(&self, index: &Value) -> PyResult<Value> {
        match &*self.0 {
            Module::Sequential(cs) => {
                let n = cs.len() as i64;
                let i = to_i64(index, "index")?;
                let k = if i < 0 { i + n } else { i };
                if k < 0 || k >= n {
                    return Err(Exception::index_error(format!("index {i} is out of range")));
                }
                Ok(Value::host(ModuleObj(cs[k as usize].clone())))
            }
            other => Err(Exception::type_error(format!(
                "'{}' object is not subscriptable",
                other.name()
            ))),
        }
    }
    fn length(&self) -> Option<PyResult<usize>> {
        match &*self.0 {
            Module::Sequential(cs) => Some(Ok(cs.len())),
            _ => None,
        }
    }
    fn iterate(&self) -> Option<PyResult<Vec<Value>>> {
        match &*self.0 {
            Module::Sequential(cs) => Some(Ok(cs
                .iter()
                .map(|c| Value::host(ModuleObj(c.clone())))
                .collect())),
            _ => None,
        }
    }
}

fn forward(m: &Module, interp: &mut Interp<'_>, args: Args) -> PyResult<Value> {
    if let Some(result) = super::conv_rnn::recurrent_call(m, &args) {
        return result;
    }
    args.no_keywords("forward")?;
    let ts: Vec<Tensor> = args
        .positional
        .iter()
        .map(|v| expect_tensor(v, &format!("{}.forward", m.name())))
        .collect::<PyResult<_>>()?;
    let state = super::session_state(interp)?;
    let mut gen = state.generator();
    ok_tensor(m.forward_with(&ts, Some(&mut gen)))
}

fn reduction_of(v: Option<&Value>) -> PyResult<Reduction> {
    match v {
        None => Ok(Reduction::Mean),
        Some(Value::Str(s)) => Reduction::parse(s).map_err(raise),
        Some(other) => Err(Exception::type_error(format!(
            "reduction must be str, not {}",
            other.type_name()
        ))),
    }
}

fn opt_tensor(v: Option<&Value>, what: &str) -> PyResult<Option<Tensor>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => expect_tensor(v, what).map(Some),
    }
}

fn opt_dim(v: Option<&Value>) -> PyResult<Option<i64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => to_i64(v, "dim").map(Some),
    }
}

/// `module.to(device)` / `.cuda()` / `.cpu()`: moves every parameter's
/// storage in place, so optimizers made earlier keep working, as in PyTorch.
fn module_to(m: &Module, this: &Value, args: &Args, default: Option<Device>) -> PyResult<Value> {
    let named = args.keywords.iter().filter(|(k, _)| k == "device");
    let mut device = default;
    for v in args.positional.iter().chain(named.map(|(_, v)| v)) {
        match v {
            Value::Int(i) if default.is_some() => device = Some(Device::Cuda((*i).max(0) as usize)),
            _ => {
                if let Ok(dev) = super::convert::as_device(v) {
                    device = Some(dev);
                }
            }
        }
    }
    if let Some(dev) = device {
        move_module(m, dev)?;
    }
    Ok(this.clone())
}

pub(super) fn move_module(m: &Module, device: Device) -> PyResult<()> {
    for p in m.parameters() {
        p.move_storage(device).map_err(super::convert::raise)?;
    }
    Ok(())
}

/// `nn.ClassName(args)`.
pub fn construct(state: &TorchState, name: &str, args: Args) -> PyResult<Value> {
    let module = match name {
        "Linear" => {
            let a = args.bind(
                "Linear",
                &["in_features", "out_features", "bias", "device", "dtype"],
                2,
            )?;
            let i = to_i64(a[0].as_ref().unwrap_or(&Value::None), "in_features")?;
            let o = to_i64(a[1].as_ref().unwrap_or(&Value::None), "out_features")?;
            if i < 0 || o < 0 {
                return Err(Exception::runtime_error(format!(
                    "Trying to create tensor with negative dimension {}: [{o}, {i}]",
                    i.min(o)
                )));
            }
            let bias = a[2].as_ref().map_or(Ok(true), to_bool)?;
            let device = match a[3].as_ref() {
                None | Some(Value::None) => state.default_device(),
                Some(d) => super::convert::as_device(d)?,
            };
            let linear = Module::Linear(
                Linear::new(&mut state.generator(), i as usize, o as usize, bias).map_err(raise)?,
            );
            move_module(&linear, device)?;
            linear
        }
        "Sequential" => {
            args.no_keywords("Sequential")?;
            let children = args
                .positional
                .iter()
                .map(|v| {
                    v.as_host::<ModuleObj>()
                        .map(|m| m.0.clone())
                        .ok_or_else(|| {
                            Exception::type_error(format!(
                                "{} is not a Module subclass",
                                v.type_name()
                            ))
                        })
                })
                .collect::<PyResult<_>>()?;
            Module::Sequential(children)
        }
        "ReLU" => Module::ReLU,
        "Sigmoid" => Module::Sigmoid,
        "Tanh" => Module::Tanh,
        "Identity" => Module::Identity,
        "Embedding" | "LayerNorm" | "Dropout" => embed_norm::construct(state, name, args)?,
        "Softmax" | "LogSoftmax" => {
            let a = args.bind(name, &["dim"], 0)?;
            let d = opt_dim(a[0].as_ref())?;
            if name == "Softmax" {
                Module::Softmax(d)
            } else {
                Module::LogSoftmax(d)
            }
        }
        "Flatten" => {
            let a = args.bind("Flatten", &["start_dim", "end_dim"], 0)?;
            Module::Flatten(
                a[0].as_ref().map_or(Ok(1), |v| to_i64(v, "start_dim"))?,
                a[1].as_ref().map_or(Ok(-1), |v| to_i64(v, "end_dim"))?,
            )
        }
        "Conv2d" | "MaxPool2d" | "RNNCell" | "RNN" => {
            return super::conv_rnn::construct(state, name, args)
        }
        _ => return loss_module(name, args),
    };
    Ok(ModuleObj::value(module))
}

fn loss_module(name: &str, args: Args) -> PyResult<Value> {
    let (kind, reduction) = match name {
        "MSELoss" | "L1Loss" => {
            let a = args.bind(name, &["size_average", "reduce", "reduction"], 0)?;
            (
                if name == "MSELoss" {
                    LossKind::Mse
                } else {
                    LossKind::L1
                },
                reduction_of(a[2].as_ref())?,
            )
        }
        "CrossEntropyLoss" => {
            let a = args.bind(
                name,
                &[
                    "weight",
                    "size_average",
                    "ignore_index",
                    "reduce",
                    "reduction",
                    "label_smoothing",
                ],
                0,
            )?;
            let o = CrossEntropyOptions {
                weight: opt_tensor(a[0].as_ref(), "weight")?,
                reduction: reduction_of(a[4].as_ref())?,
                label_smoothing: a[5]
                    .as_ref()
                    .map_or(Ok(0.0), |v| to_f64(v, "label_smoothing"))?,
                ignore_index: a[2]
                    .as_ref()
                    .map_or(Ok(-100), |v| to_i64(v, "ignore_index"))?,
            };
            let r = o.reduction;
            (LossKind::CrossEntropy(o), r)
        }
        "NLLLoss" => {
            let a = args.bind(
                name,
                &[
                    "weight",
                    "size_average",
                    "ignore_index",
                    "reduce",
                    "reduction",
                ],
                0,
            )?;
            (
                LossKind::Nll {
                    weight: opt_tensor(a[0].as_ref(), "weight")?,
                    ignore_index: a[2]
                        .as_ref()
                        .map_or(Ok(-100), |v| to_i64(v, "ignore_index"))?,
                },
                reduction_of(a[4].as_ref())?,
            )
        }
        "BCELoss" | "BCEWithLogitsLoss" => {
            let a = args.bind(
                name,
                &[
                    "weight",
                    "size_average",
                    "reduce",
                    "reduction",
                    "pos_weight",
                ],
                0,
            )?;
            if a[0].as_ref().is_some_and(|v| !matches!(v, Value::None))
                || a[4].as_ref().is_some_and(|v| !matches!(v, Value::None))
            {
                return Err(Exception::new(
                    "NotImplementedError",
                    format!("nnlearn's {name} does not support weight= or pos_weight= yet"),
                ));
            }
            (
                if name == "BCELoss" {
                    LossKind::Bce
                } else {
                    LossKind::BceWithLogits
                },
                reduction_of(a[3].as_ref())?,
            )
        }
        "HuberLoss" => {
            let a = args.bind(name, &["reduction", "delta"], 0)?;
            (
                LossKind::Huber {
                    delta: a[1].as_ref().map_or(Ok(1.0), |v| to_f64(v, "delta"))?,
                },
                reduction_of(a[0].as_ref())?,
            )
        }
        "SmoothL1Loss" => {
            let a = args.bind(name, &["size_average", "reduce", "reduction", "beta"], 0)?;
            (
                LossKind::SmoothL1 {
                    beta: a[3].as_ref().map_or(Ok(1.0), |v| to_f64(v, "beta"))?,
                },
                reduction_of(a[2].as_ref())?,
            )
        }
        _ => return Err(super::convert::no_module_attr("torch.nn", name)),
    };
    Ok(ModuleObj::value(Module::Loss(kind, reduction)))
}

/// `nn.Parameter(t, requires_grad=True)`.
pub fn parameter(args: Args) -> PyResult<Value> {
    let a = args.bind("Parameter", &["data", "requires_grad"], 0)?;
    let t = match a[0].as_ref() {
        None | Some(Value::None) => {
            Tensor::zeros(&[0], crate::tensor::DType::F32).map_err(raise)?
        }
        Some(v) => expect_tensor(v, "Parameter")?,
    };
    let rg = a[1].as_ref().map_or(Ok(true), to_bool)?;
    ok_tensor(t.detach().to_parameter(rg))
}

fn two(a: &[Option<Value>], name: &str) -> PyResult<(Tensor, Tensor)> {
    Ok((
        expect_tensor(a[0].as_ref().unwrap_or(&Value::None), name)?,
        expect_tensor(a[1].as_ref().unwrap_or(&Value::None), name)?,
    ))
}

/// `F.name(args)`.
pub fn functional(state: &TorchState, name: &str, args: Args) -> PyResult<Value> {
    match name {
        "embedding" | "layer_norm" | "dropout" | "batch_norm" => {
            embed_norm::functional(state, name, args)
        }
        "relu" | "sigmoid" | "tanh" => {
            let a = args.bind(name, &["input", "inplace"], 1)?;
            let x = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), name)?;
            ok_tensor(match name {
                "relu" => x.relu(),
                "sigmoid" => x.sigmoid(),
                _ => x.tanh(),
            })
        }
        "softmax" | "log_softmax" => {
            let a = args.bind(name, &["input", "dim", "_stacklevel", "dtype"], 1)?;
            let x = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), name)?;
            let d = opt_dim(a[1].as_ref())?.unwrap_or(match x.dim() {
                0 | 1 | 3 => 0,
                _ => 1,
            });
            ok_tensor(x.softmax(d, name == "log_softmax"))
        }
        "linear" => {
            let a = args.bind("linear", &["input", "weight", "bias"], 2)?;
            let (x, w) = two(&a, "linear")?;
            let b = opt_tensor(a[2].as_ref(), "bias")?;
            ok_tensor(x.linear(&w, b.as_ref()))
        }
        "mse_loss" | "l1_loss" | "binary_cross_entropy" | "binary_cross_entropy_with_logits" => {
            let a = args.bind(
                name,
                &[
                    "input",
                    "target",
                    "size_average",
                    "reduce",
                    "reduction",
                    "weight",
                    "pos_weight",
                ],
                2,
            )?;
            let (x, y) = two(&a, name)?;
            let r = reduction_of(a[4].as_ref())?;
            ok_tensor(match name {
                "mse_loss" => x.point_loss(&y, PointLoss::Mse, r),
                "l1_loss" => l1_loss(&x, &y, r),
                "binary_cross_entropy" => x.point_loss(&y, PointLoss::Bce, r),
                _ => x.point_loss(&y, PointLoss::BceWithLogits, r),
            })
        }
        "huber_loss" => {
            let a = args.bind(name, &["input", "target", "reduction", "delta"], 2)?;
            let (x, y) = two(&a, name)?;
            let d = a[3].as_ref().map_or(Ok(1.0), |v| to_f64(v, "delta"))?;
            ok_tensor(x.point_loss(&y, PointLoss::Huber(d), reduction_of(a[2].as_ref())?))
        }
        "smooth_l1_loss" => {
            let a = args.bind(
                name,
                &[
                    "input",
                    "target",
                    "size_average",
                    "reduce",
                    "reduction",
                    "beta",
                ],
                2,
            )?;
            let (x, y) = two(&a, name)?;
            let b = a[5].as_ref().map_or(Ok(1.0), |v| to_f64(v, "beta"))?;
            let r = reduction_of(a[4].as_ref())?;
            let kind = LossKind::SmoothL1 { beta: b };
            ok_tensor(crate::nn::loss::loss(&kind, &x, &y, r))
        }
        "cross_entropy" => {
            let a = args.bind(
                name,
                &[
                    "input",
                    "target",
                    "weight",
                    "size_average",
                    "ignore_index",
                    "reduce",
                    "reduction",
                    "label_smoothing",
                ],
                2,
            )?;
            let (x, y) = two(&a, name)?;
            let o = CrossEntropyOptions {
                weight: opt_tensor(a[2].as_ref(), "weight")?,
                reduction: reduction_of(a[6].as_ref())?,
                label_smoothing: a[7]
                    .as_ref()
                    .map_or(Ok(0.0), |v| to_f64(v, "label_smoothing"))?,
                ignore_index: a[4]
                    .as_ref()
                    .map_or(Ok(-100), |v| to_i64(v, "ignore_index"))?,
            };
            ok_tensor(cross_entropy(&x, &y, &o))
        }
        "nll_loss" => {
            let a = args.bind(
                name,
                &[
                    "input",
                    "target",
                    "weight",
                    "size_average",
                    "ignore_index",
                    "reduce",
                    "reduction",
                ],
                2,
            )?;
            let (x, y) = two(&a, name)?;
            let w = opt_tensor(a[2].as_ref(), "weight")?;
            let ii = a[4]
                .as_ref()
                .map_or(Ok(-100), |v| to_i64(v, "ignore_index"))?;
            ok_tensor(x.nll_loss(&y, w.as_ref(), reduction_of(a[6].as_ref())?, ii))
        }
        "conv2d" | "max_pool2d" => super::conv_rnn::functional(name, args),
        _ => Err(super::convert::no_module_attr("torch.nn.functional", name)),
    }
}

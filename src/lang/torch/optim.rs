//! `torch.optim` in the language: SGD and Adam over parameter groups.

use std::any::Any;
use std::sync::Mutex;

use super::convert::{as_tensor, no_attr, raise, tensor_value, to_bool, to_f64, PyResult};
use crate::lang::dict::Dict;
use crate::lang::interp::collect;
use crate::lang::repr::to_str;
use crate::lang::value::{lock, shared, Args, HostObject, NativeFunction, Shared, Value};
use crate::lang::{Exception, Interp};
use crate::nn::{AdamOptions, Optimizer, SgdOptions};
use crate::tensor::Tensor;

/// One parameter group: its optimizer, and the dict `param_groups` shows (`params`, then
/// the options sorted by name, as `print` shows them). The dict is the live one: an option
/// assigned in it (`group["lr"] = 0.01`) takes effect at the next `step()`.
struct Group {
    optimizer: Optimizer,
    dict: Shared<Dict>,
    keys: Vec<&'static str>,
}

impl Group {
    fn new(
        name: &str,
        params: Vec<Tensor>,
        options: Vec<(&'static str, Value)>,
    ) -> PyResult<Group> {
        let optimizer = build(name, params, &options)?;
        let mut d = Dict::new();
        let params = optimizer
            .params()
            .iter()
            .cloned()
            .map(tensor_value)
            .collect();
        d.set_str("params", Value::list(params));
        for (k, v) in &options {
            d.set_str(k, v.clone());
        }
        Ok(Group {
            optimizer,
            dict: shared(d),
            keys: options.into_iter().map(|(k, _)| k).collect(),
        })
    }

    /// The options as the dict holds them now.
    fn options(&self) -> Vec<(&'static str, Value)> {
        let d = lock(&self.dict);
        self.keys
            .iter()
            .map(|k| (*k, d.get_str(k).unwrap_or(Value::None)))
            .collect()
    }

    /// Brings the optimizer's hyperparameters up to date with the dict.
    fn sync(&mut self, name: &str) -> PyResult<()> {
        let options = self.options();
        if name == "SGD" {
            self.optimizer.set_sgd_options(sgd_options(&options)?);
        } else {
            self.optimizer.set_adam_options(adam_options(&options)?);
        }
        Ok(())
    }
}

pub struct OptimObj {
    name: &'static str,
    groups: Mutex<Vec<Group>>,
}

impl HostObject for OptimObj {
    fn type_name(&self) -> String {
        self.name.into()
    }
    fn repr(&self) -> String {
        let groups = lock(&self.groups);
        let mut out = format!("{} (", self.name);
        for (i, g) in groups.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&format!("\nParameter Group {i}"));
            // Every key the live dict has (a scheduler adds `initial_lr`), sorted, as `str`.
            let mut items: Vec<(String, Value)> = lock(&g.dict)
                .items()
                .into_iter()
                .filter_map(|(k, v)| match k {
                    Value::Str(k) if &*k != "params" => Some((k.to_string(), v)),
                    _ => None,
                })
                .collect();
            items.sort_by(|a, b| a.0.cmp(&b.0));
            for (k, v) in items {
                out.push_str(&format!("\n    {k}: {}", to_str(&v)));
            }
        }
        out + "\n)"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, this: &Value, name: &str) -> PyResult<Value> {
        let this = this.clone();
        let run = move |f: fn(&mut Group, &str) -> PyResult<()>| {
            let this = this.clone();
            NativeFunction::value(name, move |_, _| {
                if let Some(o) = this.as_host::<OptimObj>() {
                    for g in lock(&o.groups).iter_mut() {
                        f(g, o.name)?;
                    }
                }
                Ok(Value::None)
            })
        };
        match name {
            "param_groups" => Ok(self.param_groups()),
            // The group's dict is read at each step, as PyTorch's `step()` reads its options.
            "step" => Ok(run(|g, name| {
                g.sync(name)?;
                g.optimizer.step().map_err(raise)
            })),
            "zero_grad" => Ok(run(|g, _| {
                g.optimizer.zero_grad();
                Ok(())
            })),
            _ => Err(no_attr(&self.type_name(), name)),
        }
    }
}

impl OptimObj {
    /// `optimizer.param_groups`: the groups' live dicts.
    fn param_groups(&self) -> Value {
        let groups = lock(&self.groups)
            .iter()
            .map(|g| Value::Dict(g.dict.clone()))
            .collect();
        Value::list(groups)
    }
}

/// The options an optimizer's constructor takes (in order, after `params`), and all its
/// options with PyTorch's defaults, sorted by name.
/// An optimizer's positional option names, and every option with its default.
type Defaults = (Vec<&'static str>, Vec<(&'static str, Value)>);

fn defaults(name: &str) -> Option<Defaults> {
    let f = Value::Float;
    let b = Value::Bool;
    Some(match name {
        "SGD" => (
            vec!["lr", "momentum", "dampening", "weight_decay", "nesterov"],
            vec![
                ("dampening", Value::Int(0)),
                ("differentiable", b(false)),
                ("foreach", Value::None),
                ("fused", Value::None),
                ("lr", f(0.001)),
                ("maximize", b(false)),
                ("momentum", Value::Int(0)),
                ("nesterov", b(false)),
                ("weight_decay", Value::Int(0)),
            ],
        ),
        "Adam" => (
            vec!["lr", "betas", "eps", "weight_decay", "amsgrad"],
            vec![
                ("amsgrad", b(false)),
                ("betas", Value::tuple(vec![f(0.9), f(0.999)])),
                ("capturable", b(false)),
                ("decoupled_weight_decay", b(false)),
                ("differentiable", b(false)),
                ("eps", f(1e-8)),
                ("foreach", Value::None),
                ("fused", Value::None),
                ("lr", f(0.001)),
                ("maximize", b(false)),
                ("weight_decay", Value::Int(0)),
            ],
        ),
        _ => return None,
    })
}

/// The tensors of one `params` value: a list or generator of tensors.
fn tensors_of(interp: &mut Interp<'_>, v: &Value) -> PyResult<Vec<Tensor>> {
    if let Some(t) = as_tensor(v) {
        return Ok(vec![t]);
    }
    interp
        .collect(v)?
        .iter()
        .map(|x| {
            as_tensor(x).ok_or_else(|| {
                Exception::type_error(format!(
                    "optimizer can only optimize Tensors, but one of the params is {}",
                    x.type_name()
                ))
            })
        })
        .collect()
}

fn option<'a>(options: &'a [(&'static str, Value)], name: &str) -> &'a Value {
    options
        .iter()
        .find(|(k, _)| *k == name)
        .map_or(&Value::None, |(_, v)| v)
}

fn sgd_options(o: &[(&'static str, Value)]) -> PyResult<SgdOptions> {
    let num = |k: &str| to_f64(option(o, k), k);
    Ok(SgdOptions {
        lr: num("lr")?,
        momentum: num("momentum")?,
        dampening: num("dampening")?,
        weight_decay: num("weight_decay")?,
        nesterov: to_bool(option(o, "nesterov"))?,
    })
}

fn adam_options(o: &[(&'static str, Value)]) -> PyResult<AdamOptions> {
    let num = |k: &str| to_f64(option(o, k), k);
    let bs = collect(option(o, "betas"))?;
    if bs.len() != 2 {
        return Err(Exception::value_error("betas must be a pair"));
    }
    Ok(AdamOptions {
        lr: num("lr")?,
        betas: (to_f64(&bs[0], "betas")?, to_f64(&bs[1], "betas")?),
        eps: num("eps")?,
        weight_decay: num("weight_decay")?,
    })
}

fn build(name: &str, params: Vec<Tensor>, o: &[(&'static str, Value)]) -> PyResult<Optimizer> {
    let opt = if name == "SGD" {
        Optimizer::sgd(params, sgd_options(o)?)
    } else {
        Optimizer::adam(params, adam_options(o)?)
    };
    opt.map_err(raise)
}

/// `optim.SGD(params, ...)` / `optim.Adam(params, ...)`; `params` is an iterable of tensors
/// or of group dicts (`{"params": ..., "lr": ...}`) whose entries override the defaults.
pub fn construct(interp: &mut Interp<'_>, name: &str, args: Args) -> PyResult<Value> {
    let Some((accepted, mut base)) = defaults(name) else {
        return Err(super::convert::no_module_attr("torch.optim", name));
    };
    let names: Vec<&str> = std::iter::once("params")
        .chain(accepted.iter().copied())
        .collect();
    let a = args.bind(name, &names, 1)?;
    for (key, given) in accepted.iter().zip(&a[1..]) {
        if let (Some(v), Some(slot)) = (given, base.iter_mut().find(|(k, _)| k == key)) {
            slot.1 = v.clone();
        }
    }
    let params = a[0].clone().unwrap_or(Value::None);
    let items = match as_tensor(&params) {
        Some(_) => vec![params],
        None => interp.collect(&params)?,
    };
    let mut groups = Vec::new();
    if items.iter().any(|v| matches!(v, Value::Dict(_))) {
        for item in &items {
            let Value::Dict(d) = item else {
                return Err(Exception::type_error("param groups must be dicts"));
            };
            let d = lock(d).clone();
            let mut options = base.clone();
            for (k, v) in d.items() {
                if let Value::Str(k) = &k {
                    if let Some(slot) = options.iter_mut().find(|(n, _)| *n == &**k) {
                        slot.1 = v;
                    }
                }
            }
            let tensors = tensors_of(interp, &d.get_str("params").unwrap_or(Value::None))?;
            groups.push(Group::new(name, tensors, options)?);
        }
    } else {
        let tensors = tensors_of(interp, &Value::list(items))?;
        groups.push(Group::new(name, tensors, base)?);
    }
    let name = if name == "SGD" { "SGD" } else { "Adam" };
    Ok(Value::host(OptimObj {
        name,
        groups: Mutex::new(groups),
    }))
}

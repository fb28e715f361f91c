//! `torch.optim` in the language.

use std::any::Any;
use std::sync::Mutex;

use super::convert::{as_tensor, no_attr, raise, to_bool, to_f64, PyResult};
use super::nn::ModuleObj;
use crate::lang::interp::collect;
use crate::lang::value::{lock, Args, HostObject, NativeFunction, Value};
use crate::lang::Exception;
use crate::nn::{AdamOptions, Optimizer, SgdOptions};
use crate::tensor::Tensor;

pub struct OptimObj(pub Mutex<Optimizer>);

impl HostObject for OptimObj {
    fn type_name(&self) -> String {
        lock(&self.0).name().into()
    }
    fn repr(&self) -> String {
        let o = lock(&self.0);
        format!(
            "{} (\nParameter Group 0\n    lr: {}\n)",
            o.name(),
            crate::pyfmt::float_repr(o.lr())
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, this: &Value, name: &str) -> PyResult<Value> {
        let this = this.clone();
        let run = move |f: fn(&OptimObj) -> PyResult<Value>| {
            let this = this.clone();
            NativeFunction::value(name, move |_, _| match this.as_host::<OptimObj>() {
                Some(o) => f(o),
                None => Ok(Value::None),
            })
        };
        match name {
            "step" => Ok(run(|o| {
                lock(&o.0).step().map_err(raise)?;
                Ok(Value::None)
            })),
            "zero_grad" => Ok(run(|o| {
                lock(&o.0).zero_grad();
                Ok(Value::None)
            })),
            _ => Err(no_attr(&self.type_name(), name)),
        }
    }
}

/// The parameters given to an optimizer: a list/generator of tensors.
fn params_of(v: &Value) -> PyResult<Vec<Tensor>> {
    if let Some(m) = v.as_host::<ModuleObj>() {
        return Ok(m.0.parameters());
    }
    collect(v)?
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

fn num(v: Option<&Value>, default: f64, what: &str) -> PyResult<f64> {
    v.map_or(Ok(default), |v| to_f64(v, what))
}

/// `optim.SGD(...)` / `optim.Adam(...)`.
pub fn construct(name: &str, args: Args) -> PyResult<Value> {
    let opt = match name {
        "SGD" => {
            let a = args.bind(
                "SGD",
                &[
                    "params",
                    "lr",
                    "momentum",
                    "dampening",
                    "weight_decay",
                    "nesterov",
                ],
                1,
            )?;
            let params = params_of(a[0].as_ref().unwrap_or(&Value::None))?;
            let o = SgdOptions {
                lr: num(a[1].as_ref(), 0.001, "lr")?,
                momentum: num(a[2].as_ref(), 0.0, "momentum")?,
                dampening: num(a[3].as_ref(), 0.0, "dampening")?,
                weight_decay: num(a[4].as_ref(), 0.0, "weight_decay")?,
                nesterov: a[5].as_ref().map_or(Ok(false), to_bool)?,
            };
            Optimizer::sgd(params, o)
        }
        "Adam" => {
            let a = args.bind(
                "Adam",
                &["params", "lr", "betas", "eps", "weight_decay", "amsgrad"],
                1,
            )?;
            let params = params_of(a[0].as_ref().unwrap_or(&Value::None))?;
            let mut o = AdamOptions {
                lr: num(a[1].as_ref(), 0.001, "lr")?,
                ..AdamOptions::default()
            };
            if let Some(b) = a[2].as_ref() {
                let bs = collect(b)?;
                if bs.len() != 2 {
                    return Err(Exception::value_error("betas must be a pair"));
                }
                o.betas = (to_f64(&bs[0], "betas")?, to_f64(&bs[1], "betas")?);
            }
            o.eps = num(a[3].as_ref(), 1e-8, "eps")?;
            o.weight_decay = num(a[4].as_ref(), 0.0, "weight_decay")?;
            Optimizer::adam(params, o)
        }
        _ => return Err(super::convert::no_module_attr("torch.optim", name)),
    }
    .map_err(raise)?;
    Ok(Value::host(OptimObj(Mutex::new(opt))))
}

//! `nn.Embedding`, `nn.LayerNorm`, `nn.Dropout` and their `F.` functions.

use super::convert::{
    expect_tensor, ok_tensor, raise, shape_from_args, tensor_value, to_bool, to_f64, to_i64,
    PyResult,
};
use std::sync::Arc;

use super::TorchState;
use crate::lang::value::{Args, HostObject, Value};
use crate::lang::Exception;
use crate::nn::dropout::{check_probability, dropout};
use crate::nn::{mode, Embedding, LayerNorm, Module};
use crate::tensor::{BatchNorm, Tensor};

fn arg(a: &[Option<Value>], i: usize) -> &Value {
    a.get(i).and_then(Option::as_ref).unwrap_or(&Value::None)
}

fn given(a: &[Option<Value>], i: usize) -> Option<&Value> {
    a.get(i)
        .and_then(Option::as_ref)
        .filter(|v| !matches!(v, Value::None))
}

/// `padding_idx` made non-negative, with nn.Embedding's assertions.
fn padding_index(v: Option<&Value>, rows: usize) -> PyResult<Option<usize>> {
    let Some(v) = v else { return Ok(None) };
    let p = to_i64(v, "padding_idx")?;
    let rows = rows as i64;
    if p >= rows || p < -rows {
        return Err(Exception::new(
            "AssertionError",
            "Padding_idx must be within num_embeddings",
        ));
    }
    Ok(Some(if p < 0 { p + rows } else { p } as usize))
}

/// Binds `nn.Embedding` / `F.embedding` arguments: two required ones, then
/// `padding_idx` and the options nnlearn refuses rather than ignores.
fn embedding_args(args: Args, required: [&str; 2]) -> PyResult<Vec<Option<Value>>> {
    let options = ["max_norm", "norm_type", "scale_grad_by_freq", "sparse"];
    let mut names = required.to_vec();
    names.push("padding_idx");
    names.extend(options);
    let name = if required[0] == "input" {
        "embedding"
    } else {
        "Embedding"
    };
    let a = args.bind(name, &names, 2)?;
    for (i, option) in options.iter().enumerate() {
        let set = match given(&a, 3 + i) {
            None | Some(Value::Bool(false)) => false,
            Some(_) => *option != "norm_type",
        };
        if set {
            return Err(Exception::new(
                "NotImplementedError",
                format!("nnlearn's {name} does not support {option}= yet"),
            ));
        }
    }
    Ok(a)
}

fn probability(v: Option<&Value>) -> PyResult<f64> {
    let p = v.map_or(Ok(0.5), |v| to_f64(v, "p"))?;
    check_probability(p).map_err(raise)?;
    Ok(p)
}

/// `nn.Embedding(...)`, `nn.LayerNorm(...)`, `nn.Dropout(...)`.
pub fn construct(state: &TorchState, name: &str, args: Args) -> PyResult<Module> {
    Ok(match name {
        "Embedding" => {
            let a = embedding_args(args, ["num_embeddings", "embedding_dim"])?;
            let shape = shape_from_args(&[arg(&a, 0).clone(), arg(&a, 1).clone()], name)?;
            let padding = padding_index(given(&a, 2), shape[0])?;
            let e = Embedding::new(&mut state.generator(), shape[0], shape[1], padding);
            Module::Embedding(e.map_err(raise)?)
        }
        "LayerNorm" => {
            let a = args.bind(
                name,
                &["normalized_shape", "eps", "elementwise_affine", "bias"],
                1,
            )?;
            let shape = shape_from_args(std::slice::from_ref(arg(&a, 0)), "normalized_shape")?;
            let eps = given(&a, 1).map_or(Ok(1e-5), |v| to_f64(v, "eps"))?;
            let affine = given(&a, 2).map_or(Ok(true), to_bool)?;
            let bias = given(&a, 3).map_or(Ok(true), to_bool)?;
            Module::LayerNorm(LayerNorm::new(shape, eps, affine, bias).map_err(raise)?)
        }
        _ => {
            let a = args.bind(name, &["p", "inplace"], 0)?;
            Module::Dropout(probability(given(&a, 0))?)
        }
    })
}

/// The attributes these modules add to every module's (`weight`, `p`, ...).
pub fn attribute(m: &Module, name: &str) -> Option<Value> {
    let tensor = |t: &Option<Tensor>| t.clone().map_or(Value::None, tensor_value);
    Some(match (name, m) {
        ("weight", Module::Embedding(e)) => tensor_value(e.weight.clone()),
        ("num_embeddings", Module::Embedding(e)) => Value::Int(e.num_embeddings as i64),
        ("embedding_dim", Module::Embedding(e)) => Value::Int(e.embedding_dim as i64),
        ("padding_idx", Module::Embedding(e)) => {
            e.padding_idx.map_or(Value::None, |p| Value::Int(p as i64))
        }
        ("weight", Module::LayerNorm(l)) => tensor(&l.weight),
        ("bias", Module::LayerNorm(l)) => tensor(&l.bias),
        ("normalized_shape", Module::LayerNorm(l)) => Value::tuple(
            l.normalized_shape
                .iter()
                .map(|&d| Value::Int(d as i64))
                .collect(),
        ),
        ("eps", Module::LayerNorm(l)) => Value::Float(l.eps),
        ("elementwise_affine", Module::LayerNorm(l)) => Value::Bool(l.weight.is_some()),
        ("p", Module::Dropout(p)) => Value::Float(*p),
        ("inplace", Module::Dropout(_)) => Value::Bool(false),
        ("training", m) => Value::Bool(mode::is_training(m)),
        _ => return None,
    })
}

/// `F.embedding`, `F.layer_norm`, `F.dropout`.
pub fn functional(state: &TorchState, name: &str, args: Args) -> PyResult<Value> {
    match name {
        "embedding" => {
            let a = embedding_args(args, ["input", "weight"])?;
            let indices = expect_tensor(arg(&a, 0), name)?;
            let weight = expect_tensor(arg(&a, 1), name)?;
            let rows = weight.shape().first().copied().unwrap_or(0);
            let padding = padding_index(given(&a, 2), rows)?;
            ok_tensor(Tensor::embedding(&weight, &indices, padding))
        }
        "layer_norm" => {
            let a = args.bind(
                name,
                &["input", "normalized_shape", "weight", "bias", "eps"],
                2,
            )?;
            let x = expect_tensor(arg(&a, 0), name)?;
            let shape = shape_from_args(std::slice::from_ref(arg(&a, 1)), "normalized_shape")?;
            let w = given(&a, 2).map(|v| expect_tensor(v, name)).transpose()?;
            let b = given(&a, 3).map(|v| expect_tensor(v, name)).transpose()?;
            let eps = given(&a, 4).map_or(Ok(1e-5), |v| to_f64(v, "eps"))?;
            ok_tensor(x.layer_norm(&shape, w.as_ref(), b.as_ref(), eps))
        }
        "batch_norm" => batch_norm(args),
        _ => {
            let a = args.bind(name, &["input", "p", "training", "inplace"], 1)?;
            let x = expect_tensor(arg(&a, 0), name)?;
            let p = probability(given(&a, 1))?;
            let training = given(&a, 2).map_or(Ok(true), to_bool)?;
            ok_tensor(dropout(&x, p, training, &mut state.generator()))
        }
    }
}

/// `F.batch_norm(input, running_mean, running_var, weight, bias, training,
/// momentum, eps)`, refusing in training a batch of one value per channel.
fn batch_norm(args: Args) -> PyResult<Value> {
    let names = [
        "input",
        "running_mean",
        "running_var",
        "weight",
        "bias",
        "training",
        "momentum",
        "eps",
    ];
    let a = args.bind("batch_norm", &names, 3)?;
    let x = expect_tensor(arg(&a, 0), "batch_norm")?;
    let tensor = |i: usize| {
        given(&a, i)
            .map(|v| expect_tensor(v, "batch_norm"))
            .transpose()
    };
    let training = given(&a, 5).map_or(Ok(false), to_bool)?;
    let shape = x.shape();
    if training
        && shape.first().copied().unwrap_or(0) * shape.iter().skip(2).product::<usize>() == 1
    {
        return Err(Exception::value_error(format!(
            "Expected more than 1 value per channel when training, got input size {}",
            super::convert::SizeObj(shape.to_vec()).repr()
        )));
    }
    let (running_mean, running_var) = (tensor(1)?, tensor(2)?);
    let (weight, bias) = (tensor(3)?, tensor(4)?);
    ok_tensor(x.batch_norm(&BatchNorm {
        weight: weight.as_ref(),
        bias: bias.as_ref(),
        running_mean: running_mean.as_ref(),
        running_var: running_var.as_ref(),
        training,
        momentum: given(&a, 6).map_or(Ok(0.1), |v| to_f64(v, "momentum"))?,
        eps: given(&a, 7).map_or(Ok(1e-5), |v| to_f64(v, "eps"))?,
    }))
}

/// `module.train(mode=True)` / `module.eval()`: returns the module itself.
pub fn set_mode(m: &Arc<Module>, this: &Value, args: Args, train: bool) -> PyResult<Value> {
    let training = if train {
        let a = args.bind("train", &["mode"], 0)?;
        given(&a, 0).map_or(Ok(true), to_bool)?
    } else {
        args.bind("eval", &[], 0)?;
        false
    };
    mode::set_training(m, training);
    Ok(this.clone())
}

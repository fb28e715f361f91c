//! `nn.Conv2d`, `nn.MaxPool2d`, `nn.RNNCell`, `nn.RNN` and `F.conv2d`,
//! `F.max_pool2d` in the language.

use super::convert::{
    expect_tensor, int_list, ok_tensor, raise, tensor_value, to_bool, to_i64, PyResult,
};
use super::nn::{move_module, ModuleObj};
use super::TorchState;
use crate::lang::value::{Args, Value};
use crate::lang::Exception;
use crate::nn::conv::{Conv2d, Hyper, MaxPool2d};
use crate::nn::rnn::{Nonlinearity, Rnn, RnnCell, RnnShape, RnnWeights};
use crate::nn::Module;

/// An int or a pair of ints (`kernel_size=3`, `stride=(2, 1)`).
fn hyper(v: &Value, what: &str) -> PyResult<Hyper> {
    if let Value::Int(i) = v {
        return Ok(Hyper::Int(*i));
    }
    match int_list(v, what)?.as_slice() {
        [a, b] => Ok(Hyper::Pair([*a, *b])),
        [a] => Ok(Hyper::Int(*a)),
        other => Err(Exception::runtime_error(format!(
            "{what} must be an int or a pair of ints, got {} values",
            other.len()
        ))),
    }
}

fn hyper_or(v: Option<&Value>, default: i64, what: &str) -> PyResult<Hyper> {
    match v {
        None | Some(Value::None) => Ok(Hyper::Int(default)),
        Some(v) => hyper(v, what),
    }
}

fn size(v: Option<&Value>, what: &str) -> PyResult<usize> {
    let n = to_i64(v.unwrap_or(&Value::None), what)?;
    usize::try_from(n).map_err(|_| {
        Exception::runtime_error(format!(
            "Trying to create tensor with negative dimension {n}: [{n}]"
        ))
    })
}

/// nnlearn has no dilation or groups: only their defaults are accepted.
fn only_default(v: Option<&Value>, what: &str) -> PyResult<()> {
    match v {
        None | Some(Value::None) => Ok(()),
        Some(v) if hyper(v, what)?.pair() == [1, 1] => Ok(()),
        Some(_) => Err(Exception::new(
            "NotImplementedError",
            format!("nnlearn does not support {what} other than 1 yet"),
        )),
    }
}

/// `ceil_mode=` and `return_indices=`: nnlearn supports only False.
fn only_false(v: Option<&Value>, what: &str) -> PyResult<()> {
    if v.map_or(Ok(false), to_bool)? {
        return Err(Exception::new(
            "NotImplementedError",
            format!("nnlearn does not support {what}=True yet"),
        ));
    }
    Ok(())
}

/// Builds the module on the `device=` argument's device (or the default one).
fn placed(state: &TorchState, m: Module, device: Option<&Value>) -> PyResult<Value> {
    let device = match device {
        None | Some(Value::None) => state.default_device(),
        Some(d) => super::convert::as_device(d)?,
    };
    move_module(&m, device)?;
    Ok(ModuleObj::value(m))
}

/// `nn.Conv2d`, `nn.MaxPool2d`, `nn.RNNCell` and `nn.RNN`.
pub fn construct(state: &TorchState, name: &str, args: Args) -> PyResult<Value> {
    match name {
        "Conv2d" => {
            let a = args.bind(
                name,
                &[
                    "in_channels",
                    "out_channels",
                    "kernel_size",
                    "stride",
                    "padding",
                    "dilation",
                    "groups",
                    "bias",
                    "padding_mode",
                    "device",
                    "dtype",
                ],
                3,
            )?;
            only_default(a[5].as_ref(), "dilation")?;
            only_default(a[6].as_ref(), "groups")?;
            if let Some(mode) = a[8]
                .as_ref()
                .filter(|m| !matches!(m, Value::Str(s) if &**s == "zeros"))
            {
                return Err(Exception::new(
                    "NotImplementedError",
                    format!(
                        "nnlearn's Conv2d supports only padding_mode='zeros', not {}",
                        crate::lang::repr::repr(mode)
                    ),
                ));
            }
            let kernel = hyper(a[2].as_ref().unwrap_or(&Value::None), "kernel_size")?.pair();
            let conv = Conv2d::new(
                &mut state.generator(),
                size(a[0].as_ref(), "in_channels")?,
                size(a[1].as_ref(), "out_channels")?,
                [kernel[0].max(0) as usize, kernel[1].max(0) as usize],
                hyper_or(a[3].as_ref(), 1, "stride")?.pair(),
                hyper_or(a[4].as_ref(), 0, "padding")?.pair(),
                a[7].as_ref().map_or(Ok(true), to_bool)?,
            )
            .map_err(raise)?;
            placed(state, Module::Conv2d(conv), a[9].as_ref())
        }
        "MaxPool2d" => {
            let a = args.bind(
                name,
                &[
                    "kernel_size",
                    "stride",
                    "padding",
                    "dilation",
                    "return_indices",
                    "ceil_mode",
                ],
                1,
            )?;
            only_default(a[3].as_ref(), "dilation")?;
            only_false(a[4].as_ref(), "return_indices")?;
            only_false(a[5].as_ref(), "ceil_mode")?;
            let kernel_size = hyper(a[0].as_ref().unwrap_or(&Value::None), "kernel_size")?;
            let stride = match a[1].as_ref() {
                None | Some(Value::None) => kernel_size,
                Some(v) => hyper(v, "stride")?,
            };
            let pool = MaxPool2d {
                kernel_size,
                stride,
                padding: hyper_or(a[2].as_ref(), 0, "padding")?,
            };
            Ok(ModuleObj::value(Module::MaxPool2d(pool)))
        }
        "RNNCell" => {
            let a = args.bind(
                name,
                &[
                    "input_size",
                    "hidden_size",
                    "bias",
                    "nonlinearity",
                    "device",
                    "dtype",
                ],
                2,
            )?;
            let shape = rnn_shape(&a[0], &a[1], &a[2], &a[3])?;
            let cell = RnnCell::new(&mut state.generator(), shape).map_err(raise)?;
            placed(state, Module::RnnCell(cell), a[4].as_ref())
        }
        _ => {
            let a = args.bind(
                name,
                &[
                    "input_size",
                    "hidden_size",
                    "num_layers",
                    "nonlinearity",
                    "bias",
                    "batch_first",
                    "dropout",
                    "bidirectional",
                    "device",
                    "dtype",
                ],
                2,
            )?;
            let dropout = a[6]
                .as_ref()
                .map_or(Ok(0.0), |v| super::convert::to_f64(v, "dropout"))?;
            let bidirectional = a[7].as_ref().map_or(Ok(false), to_bool)?;
            if dropout != 0.0 || bidirectional {
                return Err(Exception::new(
                    "NotImplementedError",
                    "nnlearn's RNN does not support dropout or bidirectional yet",
                ));
            }
            let shape = rnn_shape(&a[0], &a[1], &a[4], &a[3])?;
            let layers = a[2].as_ref().map_or(Ok(1), |v| to_i64(v, "num_layers"))?;
            let layers = usize::try_from(layers).map_err(|_| {
                Exception::value_error("num_layers must be greater than or equal to 1")
            })?;
            let batch_first = a[5].as_ref().map_or(Ok(false), to_bool)?;
            let rnn =
                Rnn::new(&mut state.generator(), shape, layers, batch_first).map_err(raise)?;
            placed(state, Module::Rnn(rnn), a[8].as_ref())
        }
    }
}

fn rnn_shape(
    input: &Option<Value>,
    hidden: &Option<Value>,
    bias: &Option<Value>,
    nonlinearity: &Option<Value>,
) -> PyResult<RnnShape> {
    let nonlinearity = match nonlinearity {
        None => Nonlinearity::Tanh,
        Some(Value::Str(s)) => Nonlinearity::parse(s).map_err(raise)?,
        Some(other) => {
            return Err(Exception::value_error(format!(
                "Unknown nonlinearity '{}'. Select from 'tanh' or 'relu'.",
                other.type_name()
            )))
        }
    };
    Ok(RnnShape {
        input_size: size(input.as_ref(), "input_size")?,
        hidden_size: size(hidden.as_ref(), "hidden_size")?,
        nonlinearity,
        bias: bias.as_ref().map_or(Ok(true), to_bool)?,
    })
}

/// Calls a recurrent module, whose hidden state may be left out or `None`;
/// `None` for any other module.
pub fn recurrent_call(m: &Module, args: &Args) -> Option<PyResult<Value>> {
    let call = |what: &str| -> PyResult<(crate::tensor::Tensor, Option<crate::tensor::Tensor>)> {
        let a = args.bind(what, &["input", "hx"], 1)?;
        let x = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), what)?;
        let h = match a[1].as_ref() {
            None | Some(Value::None) => None,
            Some(v) => Some(expect_tensor(v, what)?),
        };
        Ok((x, h))
    };
    match m {
        Module::RnnCell(c) => {
            Some(call("forward").and_then(|(x, h)| ok_tensor(c.forward(&x, h.as_ref()))))
        }
        Module::Rnn(r) => Some(call("forward").and_then(|(x, h)| {
            let (out, h_n) = r.forward(&x, h.as_ref()).map_err(raise)?;
            Ok(Value::tuple(vec![tensor_value(out), tensor_value(h_n)]))
        })),
        _ => None,
    }
}

/// Attributes of these modules: their parameters by name and their sizes.
pub fn attribute(m: &Module, name: &str) -> Option<Value> {
    if let Some((_, t)) = m.named_parameters().into_iter().find(|(n, _)| n == name) {
        return Some(tensor_value(t));
    }
    let int = |v: usize| Some(Value::Int(v as i64));
    match (m, name) {
        (Module::Conv2d(c), "bias") if c.bias.is_none() => Some(Value::None),
        (Module::Conv2d(c), "in_channels") => int(c.in_channels),
        (Module::Conv2d(c), "out_channels") => int(c.out_channels),
        (Module::RnnCell(c), "input_size") => int(c.shape.input_size),
        (Module::RnnCell(c), "hidden_size") => int(c.shape.hidden_size),
        (Module::Rnn(r), "input_size") => int(r.shape.input_size),
        (Module::Rnn(r), "hidden_size") => int(r.shape.hidden_size),
        (Module::Rnn(r), "num_layers") => int(r.layers.len()),
        _ => None,
    }
}

/// `F.conv2d` and `F.max_pool2d`.
pub fn functional(name: &str, args: Args) -> PyResult<Value> {
    if name == "conv2d" {
        let a = args.bind(
            name,
            &[
                "input", "weight", "bias", "stride", "padding", "dilation", "groups",
            ],
            2,
        )?;
        only_default(a[5].as_ref(), "dilation")?;
        only_default(a[6].as_ref(), "groups")?;
        let x = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), name)?;
        let w = expect_tensor(a[1].as_ref().unwrap_or(&Value::None), name)?;
        let b = match a[2].as_ref() {
            None | Some(Value::None) => None,
            Some(v) => Some(expect_tensor(v, name)?),
        };
        let stride = hyper_or(a[3].as_ref(), 1, "stride")?.pair();
        let padding = hyper_or(a[4].as_ref(), 0, "padding")?.pair();
        return ok_tensor(x.conv2d(&w, b.as_ref(), stride, padding));
    }
    let a = args.bind(
        name,
        &[
            "input",
            "kernel_size",
            "stride",
            "padding",
            "dilation",
            "ceil_mode",
            "return_indices",
        ],
        2,
    )?;
    only_default(a[4].as_ref(), "dilation")?;
    only_false(a[5].as_ref(), "ceil_mode")?;
    only_false(a[6].as_ref(), "return_indices")?;
    let x = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), name)?;
    let kernel = hyper(a[1].as_ref().unwrap_or(&Value::None), "kernel_size")?.pair();
    let stride = match a[2].as_ref() {
        None | Some(Value::None) => None,
        Some(v) => Some(hyper(v, "stride")?.pair()),
    };
    let padding = hyper_or(a[3].as_ref(), 0, "padding")?.pair();
    ok_tensor(x.max_pool2d(kernel, stride, padding))
}

/// `torch.rnn_tanh` / `torch.rnn_relu` (a whole sequence, as nn.RNN calls
/// them) and `torch.rnn_tanh_cell` / `torch.rnn_relu_cell` (one step).
pub const RECURRENCES: &[&str] = &["rnn_tanh", "rnn_relu", "rnn_tanh_cell", "rnn_relu_cell"];

pub fn recurrence(name: &str, args: Args) -> PyResult<Value> {
    let act = if name.starts_with("rnn_tanh") {
        Nonlinearity::Tanh
    } else {
        Nonlinearity::Relu
    };
    let tensor = |v: Option<&Value>| expect_tensor(v.unwrap_or(&Value::None), name);
    let optional = |v: Option<&Value>| match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => expect_tensor(v, name).map(Some),
    };
    if name.ends_with("_cell") {
        let a = args.bind(name, &["input", "hx", "w_ih", "w_hh", "b_ih", "b_hh"], 4)?;
        let weights = RnnWeights {
            weight_ih: tensor(a[2].as_ref())?,
            weight_hh: tensor(a[3].as_ref())?,
            bias_ih: optional(a[4].as_ref())?,
            bias_hh: optional(a[5].as_ref())?,
        };
        let cell = RnnCell {
            shape: shape_of(&weights, act),
            weights,
        };
        let (x, h) = (tensor(a[0].as_ref())?, tensor(a[1].as_ref())?);
        return ok_tensor(cell.forward(&x, Some(&h)));
    }
    let a = args.bind(
        name,
        &[
            "input",
            "hx",
            "params",
            "has_biases",
            "num_layers",
            "dropout",
            "train",
            "bidirectional",
            "batch_first",
        ],
        9,
    )?;
    let flag = |i: usize| a[i].as_ref().map_or(Ok(false), to_bool);
    let params = crate::lang::interp::collect(a[2].as_ref().unwrap_or(&Value::None))?;
    let per_layer = if flag(3)? { 4 } else { 2 };
    let layers = to_i64(a[4].as_ref().unwrap_or(&Value::None), "num_layers")?;
    if layers < 1 || params.len() != layers as usize * per_layer {
        return Err(Exception::runtime_error(format!(
            "{name}: expected {} weights for {layers} layers, got {}",
            layers.max(0) as usize * per_layer,
            params.len()
        )));
    }
    let dropout = super::convert::to_f64(a[5].as_ref().unwrap_or(&Value::None), "dropout")?;
    if flag(7)? || (dropout > 0.0 && flag(6)? && layers > 1) {
        return Err(Exception::new(
            "NotImplementedError",
            "nnlearn's RNN does not support dropout or bidirectional yet",
        ));
    }
    let layers = params
        .chunks(per_layer)
        .map(|w| {
            let t = |i: usize| w.get(i).map(|v| expect_tensor(v, name)).transpose();
            Ok(RnnWeights {
                weight_ih: expect_tensor(&w[0], name)?,
                weight_hh: expect_tensor(&w[1], name)?,
                bias_ih: t(2)?,
                bias_hh: t(3)?,
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    let rnn = Rnn {
        shape: shape_of(&layers[0], act),
        batch_first: flag(8)?,
        layers,
    };
    let (x, h) = (tensor(a[0].as_ref())?, tensor(a[1].as_ref())?);
    let (out, h_n) = rnn.forward(&x, Some(&h)).map_err(raise)?;
    Ok(Value::tuple(vec![tensor_value(out), tensor_value(h_n)]))
}

/// The sizes a layer's weights imply.
fn shape_of(w: &RnnWeights, nonlinearity: Nonlinearity) -> RnnShape {
    let dim = |t: &crate::tensor::Tensor| t.shape().get(1).copied().unwrap_or(0);
    RnnShape {
        input_size: dim(&w.weight_ih),
        hidden_size: dim(&w.weight_hh),
        nonlinearity,
        bias: w.bias_ih.is_some(),
    }
}

//! `nn.Module`s: layers, containers, activations and loss modules.

use std::sync::Arc;

use super::conv::{Conv2d, MaxPool2d};
use super::dropout::dropout;
use super::loss::{loss, LossKind};
use super::rnn::{Rnn, RnnCell};
use super::{mode, Embedding, LayerNorm};
use crate::pyfmt::float_repr;
use crate::tensor::random::{linear_init_bounds, Generator};
use crate::tensor::{DType, Reduction, Result, Tensor, TensorError};

/// A module object. Containers hold their children by reference, as Python does.
#[derive(Clone, Debug)]
pub enum Module {
    Linear(Linear),
    Sequential(Vec<Arc<Module>>),
    ReLU,
    Sigmoid,
    SiLU,
    Tanh,
    Softmax(Option<i64>),
    LogSoftmax(Option<i64>),
    Flatten(i64, i64),
    Identity,
    Loss(LossKind, Reduction),
    Conv2d(Conv2d),
    MaxPool2d(MaxPool2d),
    RnnCell(RnnCell),
    Rnn(Rnn),
    Embedding(Embedding),
    LayerNorm(LayerNorm),
    /// `nn.Dropout(p)`; its mode is [`mode::is_training`].
    Dropout(f64),
}

#[derive(Clone, Debug)]
pub struct Linear {
    pub weight: Tensor,
    pub bias: Option<Tensor>,
    pub in_features: usize,
    pub out_features: usize,
}

impl Linear {
    /// `nn.Linear(in, out, bias)` with PyTorch's default initialisation.
    pub fn new(
        gen: &mut Generator,
        in_features: usize,
        out_features: usize,
        bias: bool,
    ) -> Result<Linear> {
        let (wb, bb) = linear_init_bounds(in_features);
        let weight = Tensor::uniform(
            gen,
            &[out_features, in_features],
            -wb as f64,
            wb as f64,
            DType::F32,
        )?
        .to_parameter(true)?;
        let bias = if bias {
            Some(
                Tensor::uniform(gen, &[out_features], -bb as f64, bb as f64, DType::F32)?
                    .to_parameter(true)?,
            )
        } else {
            None
        };
        Ok(Linear {
            weight,
            bias,
            in_features,
            out_features,
        })
    }
}

impl Module {
    /// The class name (`type(m).__name__`).
    pub fn name(&self) -> &'static str {
        match self {
            Module::Linear(_) => "Linear",
            Module::Sequential(_) => "Sequential",
            Module::ReLU => "ReLU",
            Module::Sigmoid => "Sigmoid",
            Module::SiLU => "SiLU",
            Module::Tanh => "Tanh",
            Module::Softmax(_) => "Softmax",
            Module::LogSoftmax(_) => "LogSoftmax",
            Module::Flatten(..) => "Flatten",
            Module::Identity => "Identity",
            Module::Loss(kind, _) => kind.name(),
            Module::Conv2d(_) => "Conv2d",
            Module::MaxPool2d(_) => "MaxPool2d",
            Module::RnnCell(_) => "RNNCell",
            Module::Rnn(_) => "RNN",
            Module::Embedding(_) => "Embedding",
            Module::LayerNorm(_) => "LayerNorm",
            Module::Dropout(_) => "Dropout",
        }
    }

    /// How many tensors `forward` takes.
    pub fn arity(&self) -> usize {
        if matches!(self, Module::Loss(..)) {
            2
        } else {
            1
        }
    }

    /// Calls a module that draws no random numbers (`model(x)` / `loss_fn(pred, y)`).
    pub fn forward(&self, args: &[Tensor]) -> Result<Tensor> {
        self.forward_with(args, None)
    }

    /// Calls the module; a Dropout in training mode draws its mask from `gen`.
    pub fn forward_with(&self, args: &[Tensor], mut gen: Option<&mut Generator>) -> Result<Tensor> {
        // `cell(x, h)`; `cell(x)` goes through the match below.
        if let (Module::RnnCell(c), [x, h]) = (self, args) {
            return c.forward(x, Some(h));
        }
        if args.len() != self.arity() {
            return Err(TensorError::Type(format!(
                "{}.forward() takes {} positional argument{} but {} were given",
                self.name(),
                self.arity() + 1,
                if self.arity() == 0 { "" } else { "s" },
                args.len() + 1
            )));
        }
        let x = &args[0];
        match self {
            Module::Linear(l) => x.linear(&l.weight, l.bias.as_ref()),
            Module::Sequential(children) => {
                let mut out = x.clone();
                for c in children {
                    out = c.forward_with(&[out], gen.as_deref_mut())?;
                }
                Ok(out)
            }
            Module::ReLU => x.relu(),
            Module::Sigmoid => x.sigmoid(),
            Module::SiLU => x.silu(),
            Module::Tanh => x.tanh(),
            Module::Softmax(dim) => x.softmax(implicit_dim(*dim, x), false),
            Module::LogSoftmax(dim) => x.softmax(implicit_dim(*dim, x), true),
            Module::Flatten(s, e) => x.flatten(*s, *e),
            Module::Identity => Ok(x.clone()),
            Module::Loss(kind, reduction) => loss(kind, x, &args[1], *reduction),
            Module::Conv2d(c) => c.forward(x),
            Module::MaxPool2d(p) => p.forward(x),
            Module::RnnCell(c) => c.forward(x, None),
            Module::Rnn(_) => Err(TensorError::Type(
                "RNN returns a tuple (output, h_n), which nnlearn's Sequential cannot pass on; call the RNN yourself".into(),
            )),
            Module::Embedding(e) => e.forward(x),
            Module::LayerNorm(l) => l.forward(x),
            Module::Dropout(p) => match gen {
                Some(gen) => dropout(x, *p, mode::is_training(self), gen),
                None if !mode::is_training(self) => Ok(x.clone()),
                None => Err(TensorError::Runtime(
                    "a Dropout in training mode needs the session's generator".into(),
                )),
            },
        }
    }

    /// `named_parameters()`: each distinct parameter once, with its dotted name.
    pub fn named_parameters(&self) -> Vec<(String, Tensor)> {
        let mut out: Vec<(String, Tensor)> = Vec::new();
        self.collect_parameters("", &mut out);
        out
    }

    fn collect_parameters(&self, prefix: &str, out: &mut Vec<(String, Tensor)>) {
        let mut push = |name: &str, t: &Tensor| {
            if !out.iter().any(|(_, p)| p.id() == t.id()) {
                out.push((format!("{prefix}{name}"), t.clone()));
            }
        };
        match self {
            Module::Linear(l) => {
                push("weight", &l.weight);
                if let Some(b) = &l.bias {
                    push("bias", b);
                }
            }
            Module::Sequential(children) => {
                for (i, c) in children.iter().enumerate() {
                    c.collect_parameters(&format!("{prefix}{i}."), out);
                }
            }
            Module::Conv2d(c) => {
                push("weight", &c.weight);
                if let Some(b) = &c.bias {
                    push("bias", b);
                }
            }
            Module::RnnCell(c) => c.named_parameters().iter().for_each(|(n, t)| push(n, t)),
            Module::Rnn(r) => r.named_parameters().iter().for_each(|(n, t)| push(n, t)),
            Module::Embedding(e) => push("weight", &e.weight),
            Module::LayerNorm(l) => {
                for (name, t) in [("weight", &l.weight), ("bias", &l.bias)] {
                    if let Some(t) = t {
                        push(name, t);
                    }
                }
            }
            _ => {}
        }
    }

    /// The modules a container holds (`children()`).
    pub fn children(&self) -> &[Arc<Module>] {
        match self {
            Module::Sequential(children) => children,
            _ => &[],
        }
    }

    pub fn parameters(&self) -> Vec<Tensor> {
        self.named_parameters()
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    /// `zero_grad()`: sets every parameter's grad to None.
    pub fn zero_grad(&self) {
        for p in self.parameters() {
            p.set_grad(None);
        }
    }

    /// The text `print(module)` shows.
    pub fn repr(&self) -> String {
        match self {
            Module::Linear(l) => format!(
                "Linear(in_features={}, out_features={}, bias={})",
                l.in_features,
                l.out_features,
                if l.bias.is_some() { "True" } else { "False" }
            ),
            Module::Sequential(children) => {
                if children.is_empty() {
                    return "Sequential()".to_string();
                }
                let mut s = String::from("Sequential(\n");
                for (i, c) in children.iter().enumerate() {
                    let inner = c.repr().replace('\n', "\n  ");
                    s.push_str(&format!("  ({i}): {inner}\n"));
                }
                s.push(')');
                s
            }
            Module::Softmax(d) | Module::LogSoftmax(d) => match d {
                Some(d) => format!("{}(dim={d})", self.name()),
                None => format!("{}(dim=None)", self.name()),
            },
            Module::Flatten(s, e) => format!("Flatten(start_dim={s}, end_dim={e})"),
            Module::Conv2d(c) => c.repr(),
            Module::MaxPool2d(p) => p.repr(),
            Module::RnnCell(c) => c.repr(),
            Module::Rnn(r) => r.repr(),
            Module::Embedding(e) => e.repr(),
            Module::LayerNorm(l) => l.repr(),
            Module::Dropout(p) => format!("Dropout(p={}, inplace=False)", float_repr(*p)),
            _ => format!("{}()", self.name()),
        }
    }
}

/// PyTorch's legacy choice of softmax dim when none is given.
fn implicit_dim(dim: Option<i64>, x: &Tensor) -> i64 {
    dim.unwrap_or(match x.dim() {
        0 | 1 | 3 => 0,
        _ => 1,
    })
}

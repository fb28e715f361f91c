//! `nn.RNNCell` and `nn.RNN`, composed from engine ops the way PyTorch's CPU
//! implementation composes them (aten/src/ATen/native/RNN.cpp), so autograd,
//! grad_fn names and rounding follow.

use crate::tensor::random::Generator;
use crate::tensor::{DType, Result, Tensor, TensorError};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Nonlinearity {
    Tanh,
    Relu,
}

impl Nonlinearity {
    pub fn parse(name: &str) -> Result<Nonlinearity> {
        match name {
            "tanh" => Ok(Nonlinearity::Tanh),
            "relu" => Ok(Nonlinearity::Relu),
            _ => Err(TensorError::Value(format!(
                "Unknown nonlinearity '{name}'. Select from 'tanh' or 'relu'."
            ))),
        }
    }

    fn apply(self, x: &Tensor) -> Result<Tensor> {
        match self {
            Nonlinearity::Tanh => x.tanh(),
            Nonlinearity::Relu => x.relu(),
        }
    }
}

/// The sizes and options every recurrent module has.
#[derive(Clone, Copy, Debug)]
pub struct RnnShape {
    pub input_size: usize,
    pub hidden_size: usize,
    pub nonlinearity: Nonlinearity,
    pub bias: bool,
}

/// One layer's parameters: `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`.
#[derive(Clone, Debug)]
pub struct RnnWeights {
    pub weight_ih: Tensor,
    pub weight_hh: Tensor,
    pub bias_ih: Option<Tensor>,
    pub bias_hh: Option<Tensor>,
}

impl RnnWeights {
    /// PyTorch's `reset_parameters`: every parameter, in order, drawn from
    /// uniform(-1/sqrt(hidden), 1/sqrt(hidden)).
    fn new(gen: &mut Generator, input: usize, hidden: usize, bias: bool) -> Result<RnnWeights> {
        let stdv = if hidden > 0 {
            1.0 / (hidden as f64).sqrt()
        } else {
            0.0
        };
        let mut draw = |shape: &[usize]| {
            Tensor::uniform(gen, shape, -stdv, stdv, DType::F32)?.to_parameter(true)
        };
        let weight_ih = draw(&[hidden, input])?;
        let weight_hh = draw(&[hidden, hidden])?;
        let (bias_ih, bias_hh) = if bias {
            (Some(draw(&[hidden])?), Some(draw(&[hidden])?))
        } else {
            (None, None)
        };
        Ok(RnnWeights {
            weight_ih,
            weight_hh,
            bias_ih,
            bias_hh,
        })
    }

    /// `(name + suffix, parameter)` pairs in PyTorch's order.
    fn named(&self, suffix: &str) -> Vec<(String, Tensor)> {
        let mut out = vec![
            (format!("weight_ih{suffix}"), self.weight_ih.clone()),
            (format!("weight_hh{suffix}"), self.weight_hh.clone()),
        ];
        for (name, b) in [("bias_ih", &self.bias_ih), ("bias_hh", &self.bias_hh)] {
            if let Some(b) = b {
                out.push((format!("{name}{suffix}"), b.clone()));
            }
        }
        out
    }

    /// `linear_ih` of a whole sequence. As in at::linear, a contiguous 3-D
    /// input with a bias is folded into one addmm (so the bias's gradient is
    /// one sum over all rows); otherwise a matmul and an add.
    fn project_input(&self, x: &Tensor) -> Result<Tensor> {
        let s = x.shape();
        match &self.bias_ih {
            Some(b) if x.dim() == 3 && x.layout().is_contiguous() => x
                .reshape_usize(&[s[0] * s[1], s[2]])?
                .linear(&self.weight_ih, Some(b))?
                .reshape_usize(&[s[0], s[1], self.weight_ih.shape()[0]]),
            _ => x.linear(&self.weight_ih, self.bias_ih.as_ref()),
        }
    }

    /// SimpleCell: `act(linear_hh(h) + projected_input)`.
    fn step(&self, projected: &Tensor, h: &Tensor, act: Nonlinearity) -> Result<Tensor> {
        let hh = h.linear(&self.weight_hh, self.bias_hh.as_ref())?;
        act.apply(&hh.add(projected)?)
    }
}

/// The start of PyTorch's extra_repr: the sizes, `extra`, then `bias=False`.
fn options_repr(s: &RnnShape, extra: &str) -> String {
    let mut out = format!("{}, {}{extra}", s.input_size, s.hidden_size);
    if !s.bias {
        out.push_str(", bias=False");
    }
    out
}

#[derive(Clone, Debug)]
pub struct RnnCell {
    pub shape: RnnShape,
    pub weights: RnnWeights,
}

impl RnnCell {
    pub fn new(gen: &mut Generator, shape: RnnShape) -> Result<RnnCell> {
        let weights = RnnWeights::new(gen, shape.input_size, shape.hidden_size, shape.bias)?;
        Ok(RnnCell { shape, weights })
    }

    pub fn named_parameters(&self) -> Vec<(String, Tensor)> {
        self.weights.named("")
    }

    /// `cell(input, hx)`: the next hidden state, for [B, in] or unbatched [in].
    pub fn forward(&self, x: &Tensor, h: Option<&Tensor>) -> Result<Tensor> {
        if !matches!(x.dim(), 1 | 2) {
            return value_error(format!(
                "RNNCell: Expected input to be 1D or 2D, got {}D instead",
                x.dim()
            ));
        }
        if let Some(h) = h.filter(|h| !matches!(h.dim(), 1 | 2)) {
            return value_error(format!(
                "RNNCell: Expected hidden to be 1D or 2D, got {}D instead",
                h.dim()
            ));
        }
        if x.dim() == 1 {
            let h = h.map(|h| h.unsqueeze(0)).transpose()?;
            return self.forward(&x.unsqueeze(0)?, h.as_ref())?.squeeze(Some(0));
        }
        let (batch, hidden) = (x.shape()[0], self.shape.hidden_size);
        let h = match h {
            Some(h) => h.clone(),
            None => Tensor::zeros(&[batch, hidden], x.dtype())?.to_device(x.device())?,
        };
        self.check(x, &h)?;
        let w = &self.weights;
        w.step(&w.project_input(x)?, &h, self.shape.nonlinearity)
    }

    /// check_rnn_cell_forward_input / _hidden.
    fn check(&self, x: &Tensor, h: &Tensor) -> Result<()> {
        let expected = self.shape.input_size;
        if x.shape()[1] != expected {
            return runtime(format!(
                "input has inconsistent input_size: got {} expected {expected}",
                x.shape()[1]
            ));
        }
        if h.shape()[0] != x.shape()[0] {
            return runtime(format!(
                "Input batch size {} doesn't match hidden0 batch size {}",
                x.shape()[0],
                h.shape()[0]
            ));
        }
        let hidden = self.shape.hidden_size;
        if h.shape().get(1) != Some(&hidden) {
            return runtime(format!(
                "hidden0 has inconsistent hidden_size: got {}, expected {hidden}",
                h.shape().get(1).copied().unwrap_or(0)
            ));
        }
        Ok(())
    }

    pub fn repr(&self) -> String {
        let act = match self.shape.nonlinearity {
            Nonlinearity::Tanh => "",
            Nonlinearity::Relu => ", nonlinearity=relu",
        };
        format!("RNNCell({}{act})", options_repr(&self.shape, ""))
    }
}

#[derive(Clone, Debug)]
pub struct Rnn {
    pub shape: RnnShape,
    pub batch_first: bool,
    pub layers: Vec<RnnWeights>,
}

impl Rnn {
    pub fn new(
        gen: &mut Generator,
        shape: RnnShape,
        num_layers: usize,
        batch_first: bool,
    ) -> Result<Rnn> {
        if num_layers == 0 {
            return value_error("num_layers must be greater than or equal to 1");
        }
        let layers = (0..num_layers)
            .map(|l| {
                let input = if l == 0 {
                    shape.input_size
                } else {
                    shape.hidden_size
                };
                RnnWeights::new(gen, input, shape.hidden_size, shape.bias)
            })
            .collect::<Result<_>>()?;
        Ok(Rnn {
            shape,
            batch_first,
            layers,
        })
    }

    pub fn named_parameters(&self) -> Vec<(String, Tensor)> {
        let layers = self.layers.iter().enumerate();
        layers
            .flat_map(|(l, w)| w.named(&format!("_l{l}")))
            .collect()
    }

    /// `rnn(input, h0)`: `(output, h_n)` for [T, B, in] ([B, T, in] when
    /// batch_first) or unbatched [T, in].
    pub fn forward(&self, x: &Tensor, h0: Option<&Tensor>) -> Result<(Tensor, Tensor)> {
        let batch_dim = if self.batch_first { 0 } else { 1 };
        match x.dim() {
            3 => {}
            2 => {
                let h0 = match h0 {
                    Some(h) if h.dim() != 2 => {
                        return runtime(format!(
                            "For unbatched 2-D input, hx should also be 2-D but got {}-D tensor",
                            h.dim()
                        ))
                    }
                    h => h.map(|h| h.unsqueeze(1)).transpose()?,
                };
                let (out, h_n) = self.forward(&x.unsqueeze(batch_dim)?, h0.as_ref())?;
                return Ok((out.squeeze(Some(batch_dim))?, h_n.squeeze(Some(1))?));
            }
            d => {
                return value_error(format!(
                    "RNN: Expected input to be 2D or 3D, got {d}D tensor instead"
                ))
            }
        }
        if let Some(h) = h0.filter(|h| h.dim() != 3) {
            return runtime(format!(
                "For batched 3-D input, hx should also be 3-D but got {}-D tensor",
                h.dim()
            ));
        }
        let (layers, hidden) = (self.layers.len(), self.shape.hidden_size);
        let batch = x.shape()[batch_dim as usize];
        let h0 = match h0 {
            Some(h) => h.clone(),
            None => Tensor::zeros(&[layers, batch, hidden], x.dtype())?.to_device(x.device())?,
        };
        self.check(x, &h0, [layers, batch, hidden])?;
        let mut seq = if self.batch_first {
            x.transpose(0, 1)?
        } else {
            x.clone()
        };
        let mut finals = Vec::with_capacity(layers);
        for (l, w) in self.layers.iter().enumerate() {
            let projected = w.project_input(&seq)?;
            let mut h = h0.select(0, l as i64)?;
            let mut outputs = Vec::with_capacity(seq.shape()[0]);
            for t in 0..seq.shape()[0] {
                h = w.step(&projected.select(0, t as i64)?, &h, self.shape.nonlinearity)?;
                outputs.push(h.clone());
            }
            seq = Tensor::stack(&outputs, 0)?;
            finals.push(h);
        }
        let h_n = Tensor::stack(&finals, 0)?;
        let out = if self.batch_first {
            seq.transpose_in_place(0, 1)?
        } else {
            seq
        };
        Ok((out, h_n))
    }

    /// RNNBase.check_forward_args.
    fn check(&self, x: &Tensor, h0: &Tensor, expected: [usize; 3]) -> Result<()> {
        let got = x.shape()[2];
        if got != self.shape.input_size {
            return runtime(format!(
                "input.size(-1) must be equal to input_size. Expected {}, got {got}",
                self.shape.input_size
            ));
        }
        if h0.shape() != expected {
            let [a, b, c] = expected;
            return runtime(format!(
                "Expected hidden size ({a}, {b}, {c}), got {}",
                crate::tensor::layout::shape_list(h0.shape())
            ));
        }
        Ok(())
    }

    pub fn repr(&self) -> String {
        let mut extra = String::new();
        if self.layers.len() != 1 {
            extra.push_str(&format!(", num_layers={}", self.layers.len()));
        }
        let mut s = options_repr(&self.shape, &extra);
        if self.batch_first {
            s.push_str(", batch_first=True");
        }
        format!("RNN({s})")
    }
}

fn runtime<T>(msg: String) -> Result<T> {
    Err(TensorError::Runtime(msg))
}

fn value_error<T>(msg: impl Into<String>) -> Result<T> {
    Err(TensorError::Value(msg.into()))
}

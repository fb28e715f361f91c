//! `nn.LayerNorm`.

use crate::pyfmt::float_repr;
use crate::tensor::{DType, Result, Tensor};

#[derive(Clone, Debug)]
pub struct LayerNorm {
    pub normalized_shape: Vec<usize>,
    pub eps: f64,
    /// Ones, when `elementwise_affine`.
    pub weight: Option<Tensor>,
    /// Zeros, when `elementwise_affine` and `bias`.
    pub bias: Option<Tensor>,
}

impl LayerNorm {
    pub fn new(
        normalized_shape: Vec<usize>,
        eps: f64,
        elementwise_affine: bool,
        bias: bool,
    ) -> Result<LayerNorm> {
        let param = |ones: bool| -> Result<Tensor> {
            let t = if ones {
                Tensor::ones(&normalized_shape, DType::F32)?
            } else {
                Tensor::zeros(&normalized_shape, DType::F32)?
            };
            t.to_parameter(true)
        };
        Ok(LayerNorm {
            weight: elementwise_affine.then(|| param(true)).transpose()?,
            bias: (elementwise_affine && bias)
                .then(|| param(false))
                .transpose()?,
            normalized_shape,
            eps,
        })
    }

    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        x.layer_norm(
            &self.normalized_shape,
            self.weight.as_ref(),
            self.bias.as_ref(),
            self.eps,
        )
    }

    /// The shape as Python prints the tuple: `(4,)`, `(2, 3)`.
    pub fn shape_tuple(&self) -> String {
        match self.normalized_shape.as_slice() {
            [d] => format!("({d},)"),
            dims => {
                let items: Vec<String> = dims.iter().map(|d| d.to_string()).collect();
                format!("({})", items.join(", "))
            }
        }
    }

    /// `LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)`.
    pub fn repr(&self) -> String {
        let py = |b: bool| if b { "True" } else { "False" };
        format!(
            "LayerNorm({}, eps={}, elementwise_affine={}, bias={})",
            self.shape_tuple(),
            float_repr(self.eps),
            py(self.weight.is_some()),
            py(self.bias.is_some())
        )
    }
}

//! `nn.Conv2d` and `nn.MaxPool2d`.

use crate::tensor::random::{linear_init_bounds, Generator};
use crate::tensor::{DType, Result, Tensor};

#[derive(Clone, Debug)]
pub struct Conv2d {
    pub weight: Tensor,
    pub bias: Option<Tensor>,
    pub in_channels: usize,
    pub out_channels: usize,
    pub kernel_size: [usize; 2],
    pub stride: [i64; 2],
    pub padding: [i64; 2],
}

impl Conv2d {
    /// `nn.Conv2d(in, out, kernel_size, stride, padding, bias)` with PyTorch's
    /// init: kaiming_uniform(a=sqrt(5)) weight, then the bias, both from fan_in.
    pub fn new(
        gen: &mut Generator,
        in_channels: usize,
        out_channels: usize,
        kernel_size: [usize; 2],
        stride: [i64; 2],
        padding: [i64; 2],
        bias: bool,
    ) -> Result<Conv2d> {
        let fan_in = in_channels * kernel_size[0] * kernel_size[1];
        let (wb, bb) = linear_init_bounds(fan_in);
        let shape = [out_channels, in_channels, kernel_size[0], kernel_size[1]];
        let uniform = |gen: &mut Generator, shape: &[usize], bound: f32| {
            Tensor::uniform(gen, shape, -bound as f64, bound as f64, DType::F32)?.to_parameter(true)
        };
        let weight = uniform(gen, &shape, wb)?;
        let bias = if bias {
            Some(uniform(gen, &[out_channels], bb)?)
        } else {
            None
        };
        Ok(Conv2d {
            weight,
            bias,
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
        })
    }

    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        x.conv2d(&self.weight, self.bias.as_ref(), self.stride, self.padding)
    }

    pub fn repr(&self) -> String {
        let mut s = format!(
            "Conv2d({}, {}, kernel_size={}, stride={}",
            self.in_channels,
            self.out_channels,
            tuple(self.kernel_size),
            tuple(self.stride)
        );
        if self.padding != [0, 0] {
            s.push_str(&format!(", padding={}", tuple(self.padding)));
        }
        if self.bias.is_none() {
            s.push_str(", bias=False");
        }
        s.push(')');
        s
    }
}

/// `nn.MaxPool2d(kernel_size, stride, padding)`; each keeps the form the user
/// gave (an int or a pair), as PyTorch's repr shows it.
#[derive(Clone, Debug)]
pub struct MaxPool2d {
    pub kernel_size: Hyper,
    pub stride: Hyper,
    pub padding: Hyper,
}

/// A size given as an int or as an (h, w) pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Hyper {
    Int(i64),
    Pair([i64; 2]),
}

impl Hyper {
    pub fn pair(self) -> [i64; 2] {
        match self {
            Hyper::Int(v) => [v, v],
            Hyper::Pair(p) => p,
        }
    }

    fn repr(self) -> String {
        match self {
            Hyper::Int(v) => v.to_string(),
            Hyper::Pair([a, b]) => format!("({a}, {b})"),
        }
    }
}

impl MaxPool2d {
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        x.max_pool2d(
            self.kernel_size.pair(),
            Some(self.stride.pair()),
            self.padding.pair(),
        )
    }

    pub fn repr(&self) -> String {
        format!(
            "MaxPool2d(kernel_size={}, stride={}, padding={}, dilation=1, ceil_mode=False)",
            self.kernel_size.repr(),
            self.stride.repr(),
            self.padding.repr()
        )
    }
}

fn tuple<T: std::fmt::Display>(p: [T; 2]) -> String {
    format!("({}, {})", p[0], p[1])
}

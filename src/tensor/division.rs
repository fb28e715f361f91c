//! `torch.div(a, b, rounding_mode=...)`: truncated or floored quotients
//! (DivBackward2, whose derivative is zero).

use super::autograd::Op;
use super::error::{runtime, Result};
use super::{BinaryOp, Scalar, Tensor};

/// `rounding_mode`: `None` is true division.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    Trunc,
    Floor,
}

impl Rounding {
    /// `"trunc"` / `"floor"`, with PyTorch's error for anything else.
    pub fn parse(mode: &str) -> Result<Rounding> {
        match mode {
            "trunc" => Ok(Rounding::Trunc),
            "floor" => Ok(Rounding::Floor),
            other => runtime(format!(
                "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{other}'"
            )),
        }
    }
}

impl Tensor {
    /// `div(other, rounding_mode=mode)`. Floats divide then round (`trunc`
    /// of the true quotient, as ATen's `div_trunc`); ints stay ints, a
    /// truncated quotient being the floored one moved toward zero.
    pub fn div_rounded(&self, other: &Tensor, mode: Rounding) -> Result<Tensor> {
        if super::result_type(&[self, other]) == super::DType::Bool {
            let kernel = if mode == Rounding::Trunc {
                "div_trunc_cpu"
            } else {
                "div_floor_cpu"
            };
            return super::error::not_implemented(format!(
                "\"{kernel}\" not implemented for 'Bool'"
            ));
        }
        let q = super::no_grad(|| -> Result<Tensor> {
            let floor = self.binary(BinaryOp::FloorDiv, other)?;
            if mode == Rounding::Floor {
                return Ok(floor);
            }
            if floor.dtype().is_float() {
                return self.div(other)?.unary(super::UnaryOp::Trunc);
            }
            let inexact = self
                .binary(BinaryOp::Rem, other)?
                .binary_scalar(BinaryOp::Ne, Scalar::Int(0))?;
            let signs_differ = self.binary_scalar(BinaryOp::Lt, Scalar::Int(0))?.binary(
                BinaryOp::BitXor,
                &other.binary_scalar(BinaryOp::Lt, Scalar::Int(0))?,
            )?;
            let up = inexact.binary(BinaryOp::LogicalAnd, &signs_differ)?;
            let moved = floor.binary_scalar(BinaryOp::Add, Scalar::Int(1))?;
            Tensor::where_(&up, &moved, &floor)
        })?;
        let (a, b) = (self.clone(), other.clone());
        Tensor::from_op(q.contiguous_storage()?, q.shape(), &[self, other], || {
            Op::DivRounded(a, b)
        })
    }
}

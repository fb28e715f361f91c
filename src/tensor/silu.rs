//! `F.silu` as one op (SiluBackward0), with ATen's CPU formulas: vectorized `exp` over the
//! whole vector lanes, the scalar one for the tail, as its kernels do.

use super::autograd::Op;
use super::element::{Element, Float};
use super::error::{not_implemented, Result};
use super::vecmath::vectorized_len;
use super::{DType, Tensor};

/// `f(x, exp(-x))` per element, `exp` as ATen's vectorized loop computes it.
fn lanes<F: Float>(xs: &[F], f: impl Fn(usize, F, F) -> F) -> Vec<F> {
    let split = vectorized_len::<F>(xs.len());
    // In `with_simd`, for SLEEF's fused multiply-adds (see `vecmath::fma`).
    super::kernel::with_simd(
        #[inline(always)]
        || {
            let mut out = Vec::with_capacity(xs.len());
            for (i, &x) in xs.iter().enumerate() {
                let e = if i < split { (-x).vexp() } else { (-x).exp() };
                out.push(f(i, x, e));
            }
            out
        },
    )
}

fn forward<F: Float>(x: &Tensor) -> Result<Vec<F>> {
    let xs = x.to_vec::<F>()?;
    Ok(lanes(&xs, |_, x, e| x / (F::one() + e)))
}

fn backward<F: Float>(g: &Tensor, x: &Tensor) -> Result<Vec<F>> {
    let (gs, xs) = (g.to_vec::<F>()?, x.to_vec::<F>()?);
    Ok(lanes(&xs, |i, x, e| {
        let s = F::one() / (F::one() + e);
        gs[i] * s * (F::one() + x * (F::one() - s))
    }))
}

impl Tensor {
    pub fn silu(&self) -> Result<Tensor> {
        let data = match self.dtype() {
            DType::F32 => f32::wrap(forward::<f32>(self)?),
            DType::F64 => f64::wrap(forward::<f64>(self)?),
            other => {
                return not_implemented(format!(
                    "\"silu_cpu\" not implemented for '{}'",
                    super::ops::dtype_title(other)
                ))
            }
        };
        let a = self.clone();
        Tensor::from_op(data, self.shape(), &[self], || Op::Silu(a))
    }
}

/// SiluBackward0.
pub(crate) fn silu_backward(g: &Tensor, x: &Tensor) -> Result<Tensor> {
    let g = g.to_dtype(x.dtype())?;
    let data = match x.dtype() {
        DType::F64 => f64::wrap(backward::<f64>(&g, x)?),
        _ => f32::wrap(backward::<f32>(&g, x)?),
    };
    Tensor::placed(data, x.shape(), &[x])
}

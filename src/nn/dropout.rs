//! `F.dropout` / `nn.Dropout`.

use crate::pyfmt::float_repr;
use crate::tensor::random::Generator;
use crate::tensor::{dtype_title, DType, Element, Result, Tensor, TensorError};

/// PyTorch's check on `p`, raised by `nn.Dropout(p)` and by `F.dropout`.
pub fn check_probability(p: f64) -> Result<()> {
    if (0.0..=1.0).contains(&p) {
        return Ok(());
    }
    Err(TensorError::Value(format!(
        "dropout probability has to be between 0 and 1, but got {}",
        float_repr(p)
    )))
}

/// `F.dropout(x, p, training)`, computed as ATen's CPU `_dropout_impl` does:
/// `noise = empty_like(x).bernoulli_(1 - p).div_(1 - p)`, then `x * noise`
/// (so grad_fn is MulBackward0). Outside training, or with `p == 0`, it
/// returns `x` itself, as PyTorch does.
///
/// The keep mask is drawn with [`Generator::bernoulli`], ATen's default
/// bernoulli kernel (one 53-bit uniform per element, kept when below `1 - p`),
/// which PyTorch takes on every CPU but Intel ones. On an Intel CPU PyTorch's
/// MKL build draws the mask from MKL's MCG31 stream instead (seeded from one
/// 32-bit draw), so masks there differ from nnlearn's.
pub fn dropout(x: &Tensor, p: f64, training: bool, gen: &mut Generator) -> Result<Tensor> {
    check_probability(p)?;
    if p == 0.0 || !training || x.numel() == 0 {
        return Ok(x.clone());
    }
    if p == 1.0 {
        return x.mul(&Tensor::zeros(&[], x.dtype())?.to_device(x.device())?);
    }
    // ATen draws into a tensor of x's dtype, then fails dividing an integer one.
    let keep = gen.bernoulli(x.numel(), 1.0 - p);
    let noise = match x.dtype() {
        d if !d.is_float() => {
            return Err(TensorError::Runtime(format!(
                "result type Float can't be cast to the desired output type {}",
                dtype_title(x.dtype())
            )))
        }
        DType::F64 => noise(&keep, 1.0 / (1.0 - p), x.shape())?,
        // float16 and bfloat16 hold the float32 scale rounded.
        _ => noise(&keep, 1.0 / (1.0 - p) as f32, x.shape())?.to_dtype(x.dtype())?,
    };
    x.mul(&noise.to_device(x.device())?)
}

/// `bernoulli_(1 - p).div_(1 - p)`: the kept elements hold `1 / (1 - p)`.
fn noise<T: Element>(keep: &[bool], scale: T, shape: &[usize]) -> Result<Tensor> {
    let v = keep.iter().map(|&k| if k { scale } else { T::default() });
    Tensor::from_vec(v.collect(), shape)
}

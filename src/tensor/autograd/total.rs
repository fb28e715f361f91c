//! The running total of the gradients reaching one tensor in a backward walk.
//!
//! PyTorch adds whole tensors: the backward of `x[t]` (select, slice, split) is
//! a zero tensor of `x`'s shape with the gradient copied in, and the totals
//! are `g1 + g2 + ...`. A loop over `x[t]` (an RNN over time steps) would so
//! cost a whole-tensor add per step; instead a region gradient is added into
//! its region of a total this walk owns, with the same results: the one
//! effect of adding the zeros elsewhere, -0.0 becoming 0.0, is applied
//! whenever the total may hold a -0.0.

use crate::tensor::error::Result;
use crate::tensor::indexing::TensorIndex;
use crate::tensor::{no_grad, DType, Tensor};

/// A gradient for one input: whole, or `values` at basic-indexing `items` of
/// an otherwise zero tensor of `shape`.
pub(super) enum Grad {
    Whole(Tensor),
    Region {
        shape: Vec<usize>,
        items: Vec<TensorIndex>,
        values: Tensor,
    },
}

impl Grad {
    /// A second handle on the same gradient (tensors are shared, not copied).
    pub fn duplicate(&self) -> Grad {
        match self {
            Grad::Whole(t) => Grad::Whole(t.clone()),
            Grad::Region {
                shape,
                items,
                values,
            } => Grad::Region {
                shape: shape.clone(),
                items: items.clone(),
                values: values.clone(),
            },
        }
    }

    fn into_tensor(self) -> Result<Tensor> {
        match self {
            Grad::Whole(t) => Ok(t),
            Grad::Region {
                shape,
                items,
                values,
            } => Tensor::embed(&values, &shape, &items),
        }
    }
}

pub(super) struct Total {
    pub sum: Tensor,
    /// Made by this walk, so it may be written in place.
    owned: bool,
    /// Whether `sum` holds a -0.0 (which a whole add of zeros would clear);
    /// `None` until a region add needs to know.
    neg_zero: Option<bool>,
}

impl Total {
    pub fn new(g: Grad) -> Result<Total> {
        let owned = matches!(g, Grad::Region { .. });
        Ok(Total {
            sum: g.into_tensor()?,
            owned,
            neg_zero: None,
        })
    }

    /// `self + g`, as PyTorch adds gradients.
    pub fn add(&mut self, g: Grad) -> Result<()> {
        match g {
            Grad::Region {
                items,
                values,
                shape,
            } if self.owned && values.dtype() == self.sum.dtype() && shape == self.sum.shape() => {
                no_grad(|| {
                    let region = self.sum.index(&items)?;
                    let added = region.add(&values)?;
                    let neg_zero = match self.neg_zero {
                        Some(known) => known,
                        None => has_neg_zero(&self.sum)?,
                    };
                    if neg_zero {
                        // Zeros added everywhere else: -0.0 + 0.0 is 0.0.
                        self.sum = self.sum.add_s(0.0)?;
                    }
                    self.sum.index(&items)?.copy_(&added)?;
                    self.neg_zero = Some(has_neg_zero(&added)?);
                    Ok(())
                })
            }
            g => {
                self.sum = self.sum.add(&g.into_tensor()?)?;
                self.owned = true;
                self.neg_zero = None;
                Ok(())
            }
        }
    }
}

fn has_neg_zero(t: &Tensor) -> Result<bool> {
    Ok(match t.dtype() {
        DType::F32 => t.with_elements(|xs: &[f32]| xs.iter().any(|x| x.to_bits() == 1 << 31))?,
        DType::F64 => t.with_elements(|xs: &[f64]| xs.iter().any(|x| x.to_bits() == 1 << 63))?,
        _ => false,
    })
}

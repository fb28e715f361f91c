//! Loss modules and the functional losses they call.

use super::functional::{cross_entropy, l1_loss, CrossEntropyOptions};
use crate::tensor::PointLoss;
use crate::tensor::{Reduction, Result, Tensor};

/// Which loss a loss module computes, with its options.
#[derive(Clone, Debug)]
pub enum LossKind {
    Mse,
    L1,
    CrossEntropy(CrossEntropyOptions),
    Nll {
        weight: Option<Tensor>,
        ignore_index: i64,
    },
    Bce,
    BceWithLogits,
    Huber {
        delta: f64,
    },
    SmoothL1 {
        beta: f64,
    },
}

impl LossKind {
    /// The class name PyTorch prints.
    pub fn name(&self) -> &'static str {
        match self {
            LossKind::Mse => "MSELoss",
            LossKind::L1 => "L1Loss",
            LossKind::CrossEntropy(_) => "CrossEntropyLoss",
            LossKind::Nll { .. } => "NLLLoss",
            LossKind::Bce => "BCELoss",
            LossKind::BceWithLogits => "BCEWithLogitsLoss",
            LossKind::Huber { .. } => "HuberLoss",
            LossKind::SmoothL1 { .. } => "SmoothL1Loss",
        }
    }
}

/// Computes a loss of `input` against `target`.
pub fn loss(
    kind: &LossKind,
    input: &Tensor,
    target: &Tensor,
    reduction: Reduction,
) -> Result<Tensor> {
    match kind {
        LossKind::Mse => input.point_loss(target, PointLoss::Mse, reduction),
        LossKind::L1 => l1_loss(input, target, reduction),
        LossKind::CrossEntropy(o) => {
            let o = CrossEntropyOptions {
                reduction,
                ..o.clone()
            };
            cross_entropy(input, target, &o)
        }
        LossKind::Nll {
            weight,
            ignore_index,
        } => input.nll_loss(target, weight.as_ref(), reduction, *ignore_index),
        LossKind::Bce => input.point_loss(target, PointLoss::Bce, reduction),
        LossKind::BceWithLogits => input.point_loss(target, PointLoss::BceWithLogits, reduction),
        LossKind::Huber { delta } => input.point_loss(target, PointLoss::Huber(*delta), reduction),
        LossKind::SmoothL1 { beta } => {
            if *beta == 0.0 {
                return l1_loss(input, target, reduction);
            }
            input.point_loss(target, PointLoss::SmoothL1(*beta), reduction)
        }
    }
}

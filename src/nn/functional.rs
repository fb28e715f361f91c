//! `torch.nn.functional`: the losses that combine several tensor ops.

use crate::tensor::{BinaryOp, Reduction, Result, Scalar, Tensor, TensorError};

/// Options of `cross_entropy` / `nn.CrossEntropyLoss`.
#[derive(Clone, Debug)]
pub struct CrossEntropyOptions {
    pub weight: Option<Tensor>,
    pub reduction: Reduction,
    pub label_smoothing: f64,
    pub ignore_index: i64,
}

impl Default for CrossEntropyOptions {
    fn default() -> Self {
        CrossEntropyOptions {
            weight: None,
            reduction: Reduction::Mean,
            label_smoothing: 0.0,
            ignore_index: -100,
        }
    }
}

/// `F.cross_entropy(input, target)`: class indices (int64 target) or class
/// probabilities (float target shaped like the input).
pub fn cross_entropy(input: &Tensor, target: &Tensor, o: &CrossEntropyOptions) -> Result<Tensor> {
    if !(0.0..=1.0).contains(&o.label_smoothing) {
        return Err(TensorError::Runtime(format!(
            "label_smoothing must be between 0.0 and 1.0. Got: {}",
            o.label_smoothing
        )));
    }
    let class_dim = if input.dim() == 1 { 0 } else { 1 };
    let logp = input.softmax(class_dim, true)?;
    // A float target shaped like the input holds class probabilities; any
    // other target holds class indices (nll_loss rejects a float one).
    if target.dtype().is_float() && target.shape() == input.shape() {
        return prob_target(&logp, target, class_dim, o);
    }
    let nll = logp.nll_loss(target, o.weight.as_ref(), o.reduction, o.ignore_index)?;
    if o.label_smoothing == 0.0 {
        return Ok(nll);
    }
    // PyTorch: (1 - ε) * nll + ε / C * smooth, smooth = -Σ_c w_c log p_c.
    let classes = input.shape()[class_dim as usize] as f64;
    let weighted = match &o.weight {
        Some(w) => logp.mul(&w.reshape(&shape_for_classes(input, class_dim))?)?,
        None => logp.clone(),
    };
    let mut smooth = weighted.sum(Some(&[class_dim]), false)?.neg()?;
    let ignored = target.binary_scalar(BinaryOp::Eq, Scalar::Int(o.ignore_index))?;
    smooth = Tensor::where_(
        &ignored,
        &Tensor::wrapped_scalar(Scalar::Float(0.0)),
        &smooth,
    )?;
    let smooth = match o.reduction {
        Reduction::None => smooth,
        Reduction::Sum => smooth.sum(None, false)?,
        Reduction::Mean => match &o.weight {
            Some(w) => {
                let keep = ignored.logical_not()?;
                let wt = w.index(&[crate::tensor::TensorIndex::Tensor(target.clone())])?;
                let zero = Tensor::wrapped_scalar(Scalar::Float(0.0));
                let total = Tensor::where_(&keep, &wt, &zero)?.sum(None, false)?;
                smooth.sum(None, false)?.div(&total)?
            }
            None => {
                let kept = ignored.logical_not()?.sum(None, false)?;
                smooth.sum(None, false)?.div(&kept)?
            }
        },
    };
    nll.mul_s(1.0 - o.label_smoothing)?
        .add(&smooth.mul_s(o.label_smoothing / classes)?)
}

fn shape_for_classes(input: &Tensor, class_dim: i64) -> Vec<i64> {
    (0..input.dim() as i64)
        .map(|d| if d == class_dim { -1 } else { 1 })
        .collect()
}

fn prob_target(
    logp: &Tensor,
    target: &Tensor,
    class_dim: i64,
    o: &CrossEntropyOptions,
) -> Result<Tensor> {
    let classes = logp.shape()[class_dim as usize] as f64;
    let target = if o.label_smoothing > 0.0 {
        target
            .mul_s(1.0 - o.label_smoothing)?
            .add_s(o.label_smoothing / classes)?
    } else {
        target.clone()
    };
    let mut prod = logp.mul(&target)?;
    if let Some(w) = &o.weight {
        prod = prod.mul(&w.reshape(&shape_for_classes(logp, class_dim))?)?;
    }
    match o.reduction {
        Reduction::None => prod.sum(Some(&[class_dim]), false)?.neg(),
        Reduction::Sum => prod.sum(None, false)?.neg(),
        Reduction::Mean => {
            let batch = logp.numel() as f64 / classes;
            prod.sum(None, false)?.neg()?.div_scalar(batch)
        }
    }
}

/// `F.l1_loss`: composed as PyTorch does, so grad_fn is Mean/Sum/AbsBackward.
pub fn l1_loss(input: &Tensor, target: &Tensor, reduction: Reduction) -> Result<Tensor> {
    let diff = input.sub(target)?.abs()?;
    match reduction {
        Reduction::None => Ok(diff),
        Reduction::Mean => diff.mean(None, false),
        Reduction::Sum => diff.sum(None, false),
    }
}

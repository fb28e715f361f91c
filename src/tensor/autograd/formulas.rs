//! The derivative of each op (PyTorch's derivatives.yaml, for our ops).

use super::Op;
use crate::tensor::conv::conv2d_backward;
use crate::tensor::dtype::DType;
use crate::tensor::error::Result;
use crate::tensor::gather;
use crate::tensor::indexing::TensorIndex;
use crate::tensor::ops::{BinaryOp, UnaryOp};
use crate::tensor::pool::max_pool2d_backward;
use crate::tensor::reduce::{NormOrd, Reduced};
use crate::tensor::{Scalar, Tensor};

type Grads = Vec<Option<Tensor>>;

fn scalar_like(t: &Tensor, v: f64) -> Result<Tensor> {
    Tensor::scalar_tensor(Scalar::Float(v), t.dtype())
}

/// `g` reduced to the shape of `input` (undoing broadcasting), in its dtype.
fn fit(g: Tensor, input: &Tensor) -> Result<Option<Tensor>> {
    let g = g.sum_to(input.shape())?;
    let g = if input.dtype().is_float() && g.dtype() != input.dtype() {
        g.to_dtype(input.dtype())?
    } else {
        g
    };
    Ok(Some(g))
}

/// Broadcasts a reduced gradient back over the reduced dims.
fn unreduce(g: &Tensor, input: &Tensor, r: &Reduced) -> Result<Tensor> {
    g.reshape_usize(&r.kept_shape(input.shape()))?
        .expand_to(input.shape())
}

/// Whether a matrix is laid out column-major (a transposed contiguous matrix, as
/// `weight.t()` in `nn.Linear`): the test of PyTorch's `mm_mat1_backward`/`mm_mat2_backward`.
fn column_major(t: &Tensor) -> bool {
    let (shape, strides) = (t.shape(), &t.layout().strides);
    strides[0] == 1 && strides[1] == shape[0]
}

/// The gradient of `a` in `a @ b`. For a column-major `a`, PyTorch computes it
/// column-major, `(b @ gᵀ)ᵀ`: a different product (and rounding) from `g @ bᵀ`.
fn mm_mat1_backward(g: &Tensor, a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if column_major(a) {
        b.mm(&g.t()?)?.t()
    } else {
        g.mm(&b.t()?)
    }
}

/// The gradient of `b` in `a @ b`: `(gᵀ @ a)ᵀ` for a column-major `b` (so
/// `nn.Linear`'s weight gradient comes out contiguous), `aᵀ @ g` otherwise.
fn mm_mat2_backward(g: &Tensor, a: &Tensor, b: &Tensor) -> Result<Tensor> {
    if column_major(b) {
        g.t()?.mm(a)?.t()
    } else {
        a.t()?.mm(g)
    }
}

/// The gradients of `a` and `b` in `a @ b`, each only where it is needed.
fn mm_grads(
    g: &Tensor,
    a: &Tensor,
    b: &Tensor,
    need_a: bool,
    need_b: bool,
) -> Result<[Option<Tensor>; 2]> {
    Ok([
        need_a.then(|| mm_mat1_backward(g, a, b)).transpose()?,
        need_b.then(|| mm_mat2_backward(g, a, b)).transpose()?,
    ])
}

pub fn backward(op: &Op, g: &Tensor, needs: &[bool]) -> Result<Grads> {
    let need = |i: usize| needs.get(i).copied().unwrap_or(false);
    Ok(match op {
        Op::Add(a, b) => vec![fit(g.clone(), a)?, fit(g.clone(), b)?],
        Op::Sub(a, b) => vec![
            fit(g.clone(), a)?,
            if need(1) { fit(g.neg()?, b)? } else { None },
        ],
        Op::Mul(a, b) => vec![
            if need(0) { fit(g.mul(b)?, a)? } else { None },
            if need(1) { fit(g.mul(a)?, b)? } else { None },
        ],
        Op::Div(a, b) => vec![
            if need(0) { fit(g.div(b)?, a)? } else { None },
            if need(1) {
                fit(g.neg()?.mul(&a.div(b)?.div(b)?)?, b)?
            } else {
                None
            },
        ],
        Op::DivScalar(_, s) => vec![Some(g.div_s(*s)?)],
        // a % b = a - floor(a / b) * b
        Op::FloorDivide(..) => {
            return crate::tensor::error::runtime(
                "derivative for aten::floor_divide is not implemented",
            )
        }
        Op::Remainder(a, b) => vec![
            fit(g.clone(), a)?,
            if need(1) {
                fit(g.neg()?.mul(&a.binary(BinaryOp::FloorDiv, b)?)?, b)?
            } else {
                None
            },
        ],
        Op::Pow(a, e) => pow_grads(a, e, g, need(0), need(1))?,
        Op::Maximum(a, b) | Op::Minimum(a, b) => {
            let is_max = matches!(op, Op::Maximum(..));
            let pick = if is_max { BinaryOp::Gt } else { BinaryOp::Lt };
            let half = g.div_s(2.0)?;
            let tie = a.binary(BinaryOp::Eq, b)?;
            let zero = scalar_like(g, 0.0)?;
            let a_wins = a.binary(pick, b)?;
            let b_wins = b.binary(pick, a)?;
            let ga = Tensor::where_(&tie, &half, &Tensor::where_(&a_wins, g, &zero)?)?;
            let gb = Tensor::where_(&tie, &half, &Tensor::where_(&b_wins, g, &zero)?)?;
            vec![fit(ga, a)?, fit(gb, b)?]
        }
        Op::Unary(u, a, y) => vec![Some(unary_grad(*u, a, y.as_ref(), g)?)],
        Op::Clamp(a, lo, hi) => {
            let mut mask = Tensor::ones(a.shape(), DType::Bool)?.to_device(a.device())?;
            if let Some(lo) = lo {
                mask = mask.binary(
                    BinaryOp::LogicalAnd,
                    &a.binary_scalar(BinaryOp::Ge, Scalar::Float(*lo))?,
                )?;
            }
            if let Some(hi) = hi {
                mask = mask.binary(
                    BinaryOp::LogicalAnd,
                    &a.binary_scalar(BinaryOp::Le, Scalar::Float(*hi))?,
                )?;
            }
            vec![Some(Tensor::where_(&mask, g, &scalar_like(g, 0.0)?)?)]
        }
        Op::Where(c, a, b) => {
            let zero = scalar_like(g, 0.0)?;
            vec![
                fit(Tensor::where_(c, g, &zero)?, a)?,
                fit(Tensor::where_(c, &zero, g)?, b)?,
            ]
        }
        Op::ToDtype(a) => vec![Some(g.to_dtype(a.dtype())?)],
        Op::ToDevice(a) => vec![Some(g.to_device(a.device())?)],
        Op::Clone(_) => vec![Some(g.clone())],
        Op::Cumsum(_, dim, reverse) => vec![Some(g.scan(*dim, !reverse)?)],
        Op::Sum(a, r) => vec![Some(unreduce(g, a, r)?)],
        Op::Mean(a, r) => {
            let n = r.count(a.shape()) as f64;
            vec![Some(unreduce(&g.div_s(n)?, a, r)?)]
        }
        Op::Prod(a, r) => {
            // grad * (product of the other elements), computed without dividing
            // so that zeros are handled.
            let prod = a.prod_others(r)?;
            vec![Some(unreduce(g, a, r)?.mul(&prod)?)]
        }
        Op::MaxAll(a, is_max) => {
            let m = a.max_all(*is_max)?;
            let hits = a.binary(BinaryOp::Eq, &m)?;
            let count = hits.sum(None, false)?.to_dtype(g.dtype())?;
            let share = g.div(&count)?;
            vec![Some(Tensor::where_(&hits, &share, &scalar_like(g, 0.0)?)?)]
        }
        Op::MaxDim(a, r, idx, _) => {
            // A 0-dim input reduces over nothing: the gradient passes through.
            let Some(&d) = r.dims.first() else {
                return Ok(vec![Some(g.reshape_usize(a.shape())?)]);
            };
            let idx = idx.reshape_usize(&r.kept_shape(a.shape()))?;
            let gk = g.reshape_usize(&r.kept_shape(a.shape()))?;
            vec![Some(a.scatter_dim(d, &idx, &gk)?)]
        }
        Op::Moment(a, r, correction, is_std) => {
            let n = r.count(a.shape()) as f64;
            let mean = a.mean(Some(&dims_of(r)), true)?;
            let centered = a.sub(&mean)?;
            let gk = unreduce(g, a, r)?;
            let grad = if *is_std {
                let std = a.std(Some(&dims_of(r)), *correction, true)?;
                gk.mul(&centered)?.div(&std.mul_s(n - correction)?)?
            } else {
                gk.mul(&centered)?.mul_s(2.0 / (n - correction))?
            };
            vec![Some(grad)]
        }
        Op::Norm(a, p, r) => vec![Some(norm_grad(a, *p, r, g)?)],
        Op::LogSumExp(a, r) => {
            let out = a.logsumexp(&dims_of(r).to_vec(), true)?;
            let w = a.sub(&out)?.exp()?;
            vec![Some(unreduce(g, a, r)?.mul(&w)?)]
        }
        Op::Mm(a, b) => mm_grads(g, a, b, need(0), need(1))?.to_vec(),
        Op::Addmm(bias, a, b) => {
            let [ga, gb] = mm_grads(g, a, b, need(1), need(2))?;
            let gbias = if need(0) { fit(g.clone(), bias)? } else { None };
            vec![gbias, ga, gb]
        }
        Op::Mv(m, v) => vec![
            if need(0) { Some(g.outer(v)?) } else { None },
            if need(1) { Some(m.t()?.mv(g)?) } else { None },
        ],
        Op::Dot(a, b) => vec![Some(b.mul(g)?), Some(a.mul(g)?)],
        Op::Bmm(a, b) => vec![
            if need(0) {
                Some(g.bmm(&b.transpose(1, 2)?)?)
            } else {
                None
            },
            if need(1) {
                Some(a.transpose(1, 2)?.bmm(g)?)
            } else {
                None
            },
        ],
        Op::View(_, shape)
        | Op::UnsafeView(_, shape)
        | Op::Squeeze(_, shape, _)
        | Op::SqueezeDims(_, shape) => {
            vec![Some(g.reshape_usize(shape)?)]
        }
        Op::Unsqueeze(_, d) => vec![Some(g.squeeze(Some(*d as i64))?)],
        Op::Permute(_, perm) => {
            let mut inv = vec![0i64; perm.len()];
            for (i, &p) in perm.iter().enumerate() {
                inv[p] = i as i64;
            }
            vec![Some(g.permute(&inv)?)]
        }
        Op::Transpose(_, a, b) | Op::TransposeInPlace(_, a, b) => {
            vec![Some(g.transpose(*a as i64, *b as i64)?)]
        }
        Op::T(_) => vec![Some(g.t()?)],
        Op::Expand(_, shape) => vec![Some(g.sum_to(shape)?)],
        Op::Repeat(a, reps) => {
            // Fold each repeated dim into (rep, size) and sum over the reps.
            let extra = reps.len() - a.dim();
            let mut split = Vec::new();
            let mut sum_dims = Vec::new();
            for (i, &r) in reps.iter().enumerate() {
                let size = if i < extra { 1 } else { a.shape()[i - extra] };
                sum_dims.push((split.len()) as i64);
                split.extend([r as i64, size as i64]);
            }
            let summed = g.reshape(&split)?.sum(Some(&sum_dims), false)?;
            vec![Some(summed.reshape_usize(a.shape())?)]
        }
        Op::Cat(ts, d, sizes) => {
            let parts = g.split_sizes(sizes, *d as i64)?;
            ts.iter().zip(parts).map(|(_, p)| Some(p)).collect()
        }
        Op::Stack(ts, d) => (0..ts.len())
            .map(|i| g.select(*d as i64, i as i64).map(Some))
            .collect::<Result<_>>()?,
        Op::Select(a, ..) | Op::Split(a, ..) | Op::Slice(a, ..) => {
            let items = region(op).unwrap_or_default();
            vec![Some(Tensor::embed(g, a.shape(), &items)?)]
        }
        Op::Index(a, picks) => {
            let picks: Vec<(usize, TensorIndex)> = picks
                .iter()
                .map(|(d, t)| (*d, TensorIndex::Tensor(t.clone())))
                .collect();
            let items = super::items_for(a.dim(), &picks);
            vec![Some(Tensor::embed(g, a.shape(), &items)?)]
        }
        Op::Softmax(_, d, log, y) => vec![Some(Tensor::softmax_backward(y, g, *d, *log)?)],
        Op::PointLoss(x, y, loss, reduction) => {
            let grad = |wrt_target| Tensor::point_loss_grad(x, y, g, *loss, *reduction, wrt_target);
            vec![
                if need(0) { Some(grad(false)?) } else { None },
                if need(1) { Some(grad(true)?) } else { None },
            ]
        }
        Op::NllLoss(x, t, w, reduction, ignore) => {
            vec![Some(Tensor::nll_loss_grad(
                x,
                t,
                w.as_ref(),
                *reduction,
                *ignore,
                g,
            )?)]
        }
        Op::Conv2d(x, w, b, win) => conv2d_backward(x, w, b.as_ref(), win, g, need)?,
        Op::MaxPool2d(x, picks) => vec![Some(max_pool2d_backward(x, picks, g)?)],
        Op::Embedding(w, idx, padding) => {
            vec![Some(Tensor::embedding_backward(g, w, idx, *padding)?)]
        }
        Op::LayerNorm(saved) => crate::tensor::layer_norm::backward(saved, g)?,
        Op::IndexSelect(a, d, index) => {
            vec![Some(gather::index_select_backward(
                g,
                a.shape(),
                *d,
                index,
            )?)]
        }
        Op::Gather(a, d, index) => vec![Some(gather::gather_backward(g, a.shape(), *d, index)?)],
        Op::Scatter(_, d, index, src, add) => {
            let zero = gather::ScatterSrc::Value(Scalar::Int(0));
            let ga = if *add {
                g.clone()
            } else {
                g.scatter(*d as i64, index, &zero, false)?
            };
            let gs = match src {
                gather::ScatterSrc::Tensor(_) if need(1) => Some(g.gather(*d as i64, index)?),
                _ => None,
            };
            vec![Some(ga), gs]
        }
        Op::DivRounded(a, b) => vec![fit(g.mul_s(0.0)?, a)?, fit(g.mul_s(0.0)?, b)?],
        Op::BatchNorm(saved) => crate::tensor::batch_norm::backward(saved, g)?,
        Op::Silu(a) => vec![Some(crate::tensor::silu::silu_backward(g, a)?)],
        // The engine hands custom nodes to the caller's backward.
        Op::Custom(c) => super::custom::no_custom_backward(c, g)?,
    })
}

/// For a basic-indexing view (select, slice, split), the items that pick its
/// elements out of its input: its gradient is `g` there and zero elsewhere.
pub fn region(op: &Op) -> Option<Vec<TensorIndex>> {
    let (a, d, item) = match op {
        Op::Select(a, d, i) => (a, d, TensorIndex::Int(*i as i64)),
        Op::Split(a, d, start, len, _) => (
            a,
            d,
            TensorIndex::Slice(Some(*start as i64), Some((start + len) as i64), None),
        ),
        Op::Slice(a, d, start, len, step) => (
            a,
            d,
            TensorIndex::Slice(
                Some(*start as i64),
                Some((start + len * step) as i64),
                Some(*step as i64),
            ),
        ),
        _ => return None,
    };
    Some(super::items_for(a.dim(), &[(*d, item)]))
}

fn dims_of(r: &Reduced) -> Vec<i64> {
    r.dims.iter().map(|&d| d as i64).collect()
}

fn pow_grads(a: &Tensor, e: &Tensor, g: &Tensor, need_a: bool, need_e: bool) -> Result<Grads> {
    let ga = if need_a {
        // grad * e * a^(e-1), zero where e == 0.
        let em1 = e.binary_scalar(BinaryOp::Sub, Scalar::Float(1.0))?;
        let d = e.mul(&a.pow(&em1)?)?;
        let zero_exp = e.binary_scalar(BinaryOp::Eq, Scalar::Float(0.0))?;
        let d = Tensor::where_(&zero_exp, &scalar_like(&d, 0.0)?, &d)?;
        fit(g.mul(&d)?, a)?
    } else {
        None
    };
    let ge = if need_e {
        // grad * a^e * log(a), zero where a == 0 and e >= 0.
        let d = a.pow(e)?.mul(&a.log()?)?;
        let mask = a.binary_scalar(BinaryOp::Eq, Scalar::Float(0.0))?.binary(
            BinaryOp::LogicalAnd,
            &e.binary_scalar(BinaryOp::Ge, Scalar::Float(0.0))?,
        )?;
        let d = Tensor::where_(&mask, &scalar_like(&d, 0.0)?, &d)?;
        fit(g.mul(&d)?, e)?
    } else {
        None
    };
    Ok(vec![ga, ge])
}

/// The gradient of `op(a)`, whose result `y` the node saved if the derivative reads it.
fn unary_grad(op: UnaryOp, a: &Tensor, y: Option<&Tensor>, g: &Tensor) -> Result<Tensor> {
    use UnaryOp::*;
    let result = || y.map_or_else(|| a.unary(op), |y| Ok(y.clone()));
    match op {
        Neg => g.neg(),
        Abs => g.mul(&a.sign()?),
        Exp => g.mul(&result()?),
        Log => g.div(a),
        Log1p => g.div(&a.add_s(1.0)?),
        Sqrt => g.div(&result()?.mul_s(2.0)?),
        Sin => g.mul(&a.unary(Cos)?),
        Cos => g.mul(&a.unary(Sin)?.neg()?),
        Tanh => result()?.tanh_backward(g),
        Sigmoid => {
            let y = result()?;
            g.mul(&y.rsub_s(1.0)?)?.mul(&y)
        }
        Relu => a.relu_backward(g),
        Sign | Round | Floor | Ceil | Trunc => g.mul_s(0.0),
        Frac => Ok(g.clone()),
        Log10 => g.div(&a.mul_s(std::f64::consts::LN_10)?),
        Log2 => g.div(&a.mul_s(std::f64::consts::LN_2)?),
        Exp2 => g.mul(&result()?.mul_s(std::f64::consts::LN_2)?),
    }
}

fn norm_grad(a: &Tensor, p: NormOrd, r: &Reduced, g: &Tensor) -> Result<Tensor> {
    let dims = dims_of(r);
    let norm = a.norm(p, Some(&dims), true)?;
    let gk = unreduce(g, a, r)?;
    let zero = scalar_like(a, 0.0)?;
    match p {
        NormOrd::P(2.0) => {
            let safe = Tensor::where_(
                &norm.binary_scalar(BinaryOp::Eq, Scalar::Float(0.0))?,
                &scalar_like(a, 1.0)?,
                &norm,
            )?;
            let d = a.div(&safe)?;
            let d = Tensor::where_(
                &norm
                    .binary_scalar(BinaryOp::Eq, Scalar::Float(0.0))?
                    .expand_to(a.shape())?,
                &zero,
                &d,
            )?;
            gk.mul(&d)
        }
        NormOrd::P(1.0) => gk.mul(&a.sign()?),
        NormOrd::P(0.0) => gk.mul_s(0.0),
        NormOrd::Inf | NormOrd::NegInf => {
            let hits = a.abs()?.binary(BinaryOp::Eq, &norm)?;
            let count = hits.to_dtype(a.dtype())?.sum(Some(&dims), true)?;
            let share = gk.mul(&a.sign()?)?.div(&count)?;
            Tensor::where_(&hits, &share, &zero)
        }
        NormOrd::P(p) => {
            // d/dx (sum |x|^p)^(1/p) = sign(x) |x|^(p-1) / norm^(p-1)
            let num = a.sign()?.mul(&a.abs()?.pow_s(p - 1.0)?)?;
            let den = norm.pow_s(p - 1.0)?;
            let d = num.div(&den)?;
            let d = Tensor::where_(
                &norm
                    .binary_scalar(BinaryOp::Eq, Scalar::Float(0.0))?
                    .expand_to(a.shape())?,
                &zero,
                &d,
            )?;
            gk.mul(&d)
        }
    }
}

impl Tensor {
    /// For each element, the product of the other elements in its reduced group.
    fn prod_others(&self, r: &Reduced) -> Result<Tensor> {
        let dims = dims_of(r);
        let zero_mask = self.binary_scalar(BinaryOp::Eq, Scalar::Float(0.0))?;
        let zeros = zero_mask.to_dtype(DType::I64)?.sum(Some(&dims), true)?;
        let safe = Tensor::where_(&zero_mask, &scalar_like(self, 1.0)?, self)?;
        let prod_nonzero = prod_keep(&safe, &dims)?;
        // No zeros: prod / x. One zero: the zero's slot gets the product of the rest.
        let no_zero = prod_nonzero.div(&safe)?;
        let one_zero = Tensor::where_(&zero_mask, &prod_nonzero, &scalar_like(self, 0.0)?)?;
        let z = zeros.expand_to(self.shape())?;
        let is_none = z.binary_scalar(BinaryOp::Eq, Scalar::Int(0))?;
        let is_one = z.binary_scalar(BinaryOp::Eq, Scalar::Int(1))?;
        let zero = scalar_like(self, 0.0)?;
        Tensor::where_(
            &is_none,
            &no_zero,
            &Tensor::where_(&is_one, &one_zero, &zero)?,
        )
    }

    /// A zero tensor shaped like self with `src` written at `index` along `dim`.
    fn scatter_dim(&self, dim: usize, index: &Tensor, src: &Tensor) -> Result<Tensor> {
        let shape = self.shape().to_vec();
        let idx = index.to_vec::<i64>()?;
        let vals = src.to_vec::<f64>()?;
        let mut out = vec![0.0f64; self.numel()];
        let inner: usize = shape[dim + 1..].iter().product();
        let outer: usize = shape[..dim].iter().product();
        let size = shape[dim];
        for o in 0..outer {
            for i in 0..inner {
                let k = o * inner + i;
                let j = idx[k] as usize;
                out[(o * size + j) * inner + i] += vals[k];
            }
        }
        crate::tensor::losses::from_f64s(out, &shape, src.dtype())?.to_device(src.device())
    }
}

fn prod_keep(t: &Tensor, dims: &[i64]) -> Result<Tensor> {
    let mut acc = t.clone();
    for &d in dims {
        acc = acc.prod(Some(d), true)?;
    }
    Ok(acc)
}

#[cfg(test)]
mod tests {
    use crate::tensor::autograd::engine;
    use crate::tensor::cascade::tests::{tensor, Lcg};
    use crate::tensor::Tensor;

    fn drawn(seed: u64, shape: &[usize]) -> Tensor {
        let mut g = Lcg(seed);
        tensor(
            (0..shape.iter().product()).map(|_| g.value()).collect(),
            "f32",
            shape,
        )
    }

    fn bits(t: &Tensor) -> Vec<u32> {
        let values = t.to_vec::<f32>().expect("f32");
        values.iter().map(|v| v.to_bits()).collect()
    }

    /// nn.Linear(128, 10) on a batch of 64: PyTorch's weight gradient is `gᵀ @ h`
    /// (weight.t() is column-major), which rounds differently from `(hᵀ @ g)ᵀ`.
    #[test]
    fn linear_weight_gradient_is_pytorchs_product() {
        let h = drawn(1, &[64, 128]);
        let w = drawn(2, &[10, 128]).to_parameter(true).expect("a leaf");
        let bias = drawn(3, &[10]).to_parameter(true).expect("a leaf");
        let g = drawn(4, &[64, 10]);
        let y = h.linear(&w, Some(&bias)).expect("shapes fit");
        engine::backward(&y, Some(&g), false).expect("backward runs");
        let grad = w.grad().expect("a gradient");
        let want = g.t().and_then(|gt| gt.mm(&h)).expect("shapes fit");
        let other = h.t().and_then(|ht| ht.mm(&g)?.t()).expect("shapes fit");
        assert!(grad.layout().is_contiguous());
        assert_eq!(bits(&grad), bits(&want));
        assert_ne!(
            bits(&grad),
            bits(&other),
            "the two products should round apart"
        );
    }
}

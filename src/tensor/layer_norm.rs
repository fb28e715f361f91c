//! `F.layer_norm` and its backward (NativeLayerNormBackward0), computed in the
//! tensor's dtype with the formulas of ATen's CPU kernel
//! (aten/src/ATen/native/cpu/layer_norm_kernel.cpp).
//!
//! The forward is PyTorch's bit for bit on rows of up to 256 float32 values
//! (see [`moments`]). The backward sums in float64 and rounds once where ATen
//! sums in SIMD lanes, so its float32 results can differ in the last bit or
//! two (at most 5e-7 in tests/layers_goldens.rs), far below the 4 decimals
//! printing shows.

use super::autograd::Op;
use super::element::num_like::FloatOps;
use super::element::Float;
use super::error::{not_implemented, runtime, Result};
use super::layout::shape_list;
use super::{dtype_title, storage, Element, Tensor};

/// What the backward of one layer_norm call needs.
pub struct LayerNormSaved {
    pub input: Tensor,
    pub weight: Option<Tensor>,
    pub bias: Option<Tensor>,
    normalized_shape: Vec<usize>,
    /// Per row (every dim before the normalised ones): mean and 1/std.
    mean: Vec<f64>,
    rstd: Vec<f64>,
}

impl LayerNormSaved {
    /// The tensors gradients flow to: input, then weight and bias if given.
    pub fn inputs(&self) -> Vec<&Tensor> {
        std::iter::once(&self.input)
            .chain(self.weight.as_ref())
            .chain(self.bias.as_ref())
            .collect()
    }
}

/// A tensor's elements in row-major order as `F`.
pub(super) fn elements<F: Float>(t: &Tensor) -> Result<Vec<F>> {
    t.read(|s, l| storage::gather(F::slice(s), l))
}

pub(super) fn optional<F: Float>(t: Option<&Tensor>, n: usize, fill: f64) -> Result<Vec<F>> {
    t.map_or_else(|| Ok(vec![F::cast(fill); n]), elements)
}

impl Tensor {
    /// `F.layer_norm(x, normalized_shape, weight, bias, eps)`: each slice over
    /// the last `normalized_shape.len()` dims scaled to mean 0 and (biased)
    /// variance 1, then `* weight + bias`.
    pub fn layer_norm(
        &self,
        normalized_shape: &[usize],
        weight: Option<&Tensor>,
        bias: Option<&Tensor>,
        eps: f64,
    ) -> Result<Tensor> {
        let shape = self.shape();
        let k = normalized_shape.len();
        if k == 0 {
            return runtime("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []");
        }
        if shape.len() < k || shape[shape.len() - k..] != *normalized_shape {
            return runtime(format!(
                "Given normalized_shape={}, expected input with shape [*{}], but got input of size{}",
                shape_list(normalized_shape),
                normalized_shape.iter().map(|d| format!(", {d}")).collect::<String>(),
                shape_list(shape)
            ));
        }
        for (what, t) in [("weight", weight), ("bias", bias)] {
            if let Some(t) = t {
                if t.shape() != normalized_shape {
                    return runtime(format!(
                        "Expected {what} to be of same shape as normalized_shape, but got {what} of shape {} and normalized_shape = {}",
                        shape_list(t.shape()),
                        shape_list(normalized_shape)
                    ));
                }
                if t.dtype() != self.dtype() {
                    return runtime("mixed dtype (CPU): all inputs must share same datatype.");
                }
            }
        }
        if self.dtype().is_reduced_float() {
            let wide = |t: Option<&Tensor>| t.map(|t| t.to_dtype(super::DType::F32)).transpose();
            let (w, b) = (wide(weight)?, wide(bias)?);
            return self
                .through_f32(|x| x.layer_norm(normalized_shape, w.as_ref(), b.as_ref(), eps));
        }
        let n: usize = normalized_shape.iter().product();
        let (data, mean, rstd) = crate::with_float!(self.dtype(), F => {
            let (y, mean, rstd) = forward::<F>(
                &elements(self)?,
                &optional(weight, n, 1.0)?,
                &optional(bias, n, 0.0)?,
                n,
                F::cast(eps),
            );
            (F::wrap(y), mean, rstd)
        }, return not_implemented(format!(
            "\"LayerNormKernelImpl\" not implemented for '{}'",
            dtype_title(self.dtype())
        )));
        let inputs: Vec<&Tensor> = std::iter::once(self).chain(weight).chain(bias).collect();
        Tensor::from_op(data, shape, &inputs, || {
            Op::LayerNorm(Box::new(LayerNormSaved {
                input: self.clone(),
                weight: weight.cloned(),
                bias: bias.cloned(),
                normalized_shape: normalized_shape.to_vec(),
                mean,
                rstd,
            }))
        })
    }
}

/// The forward kernel over rows of `n`: `y = fma((x - mean) * rstd, w, b)`,
/// which is what PyTorch 2.15's kernel computes (checked against
/// `torch.native_layer_norm` given its own mean and rstd: bit for bit).
fn forward<F: Float>(x: &[F], w: &[F], b: &[F], n: usize, eps: F) -> (Vec<F>, Vec<f64>, Vec<f64>) {
    // An empty row (n = 0) means an empty input: nothing to normalise.
    let n = n.max(1);
    let rows = x.len() / n;
    let mut y = Vec::with_capacity(x.len());
    let (mut means, mut rstds) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
    for row in x.chunks_exact(n) {
        let (mean, var) = moments(row);
        let rstd = F::one() / (var + eps).sqrt();
        y.extend(
            row.iter()
                .zip(w.iter().zip(b))
                .map(|(&v, (&w, &b))| ((v - mean) * rstd).mul_add(w, b)),
        );
        means.push(mean.to_f64());
        rstds.push(rstd.to_f64());
    }
    (y, means, rstds)
}

/// Welford moments of a run of values: count, mean, sum of squared deviations.
#[derive(Clone, Copy)]
struct Moments<F> {
    count: usize,
    mean: F,
    m2: F,
}

impl<F: Float> Moments<F> {
    fn empty() -> Moments<F> {
        Moments {
            count: 0,
            mean: F::zero(),
            m2: F::zero(),
        }
    }

    /// ATen's `AddMoments`: merges `other` in, with the multiply-adds GCC fuses.
    fn merge(&mut self, other: &Moments<F>) {
        let n = self.count + other.count;
        let c = if n == 0 {
            F::zero()
        } else {
            F::cast(other.count as f64) / F::cast(n as f64)
        };
        let delta = other.mean - self.mean;
        self.mean = c.mul_add(delta, self.mean);
        self.m2 = self.m2 + (delta * delta * c).mul_add(F::cast(self.count as f64), other.m2);
        self.count = n;
    }
}

/// Values per SIMD vector in ATen's AVX2 kernels, and vectors per Welford chunk.
const VECTOR_BYTES: usize = 32;
const CHUNK: usize = 16;

/// Mean and biased variance of a row as ATen's `RowwiseMoments`
/// (moments_utils.h) takes them: each SIMD lane runs Welford over chunks of 16
/// vectors, merged in a binary cascade; the leftover elements run a scalar
/// Welford; then the lanes are merged into it one by one. Matches PyTorch
/// bit for bit on rows of up to 32 vectors (256 float32 values); longer rows
/// can differ in the last bit (the cascade's merge order there is not yet
/// reproduced).
fn moments<F: Float>(row: &[F]) -> (F, F) {
    let lanes = VECTOR_BYTES / std::mem::size_of::<F>();
    let vectors = row.len() / lanes;
    let mut total = Moments::empty();
    for (i, &x) in row[vectors * lanes..].iter().enumerate() {
        let delta = x - total.mean;
        total.mean = total.mean + delta / F::cast((i + 1) as f64);
        total.m2 = delta.mul_add(x - total.mean, total.m2);
        total.count += 1;
    }
    for lane in 0..lanes {
        let values: Vec<F> = (0..vectors).map(|k| row[k * lanes + lane]).collect();
        total.merge(&lane_moments(&values));
    }
    (total.mean, total.m2 / F::cast(row.len() as f64))
}

/// One lane of `RowwiseMomentsImpl`: Welford per chunk, chunks merged through
/// a stack so that equal-sized partial results meet, as in a binary counter.
fn lane_moments<F: Float>(values: &[F]) -> Moments<F> {
    let chunks = values.len().div_ceil(CHUNK);
    let depth = if chunks <= 2 {
        1
    } else {
        (usize::BITS - (chunks - 1).leading_zeros()) as usize
    };
    let mut stack = vec![Moments::empty(); depth];
    for (i, chunk) in values.chunks(CHUNK).enumerate() {
        let mut part = Moments {
            count: chunk.len(),
            ..Moments::empty()
        };
        for (j, &x) in chunk.iter().enumerate() {
            let delta = x - part.mean;
            part.mean = delta.mul_add(F::one() / F::cast((j + 1) as f64), part.mean);
            part.m2 = delta.mul_add(x - part.mean, part.m2);
        }
        stack[0].merge(&part);
        let mut mask = i + 1;
        let mut level = 1;
        while level < depth && mask & 1 == 0 {
            let lower = std::mem::replace(&mut stack[level - 1], Moments::empty());
            stack[level].merge(&lower);
            mask >>= 1;
            level += 1;
        }
    }
    let (first, rest) = stack.split_at_mut(1);
    for level in rest.iter() {
        first[0].merge(level);
    }
    first[0]
}

/// NativeLayerNormBackward0: gradients for the input, weight and bias (those
/// given), in [`LayerNormSaved::inputs`] order.
pub(crate) fn backward(s: &LayerNormSaved, g: &Tensor) -> Result<Vec<Option<Tensor>>> {
    let n: usize = s.normalized_shape.iter().product();
    let (dx, dw, db) = crate::with_float!(s.input.dtype(), F => {
        let (dx, dw, db) = backward_kernel::<F>(
            &elements(g)?,
            &elements(&s.input)?,
            &optional(s.weight.as_ref(), n, 1.0)?,
            &s.mean,
            &s.rstd,
            n,
        );
        (F::wrap(dx), F::wrap(dw), F::wrap(db))
    }, return runtime("layer_norm backward needs a float input"));
    let mut grads = vec![Some(Tensor::placed(dx, s.input.shape(), &[g])?)];
    if s.weight.is_some() {
        grads.push(Some(Tensor::placed(dw, &s.normalized_shape, &[g])?));
    }
    if s.bias.is_some() {
        grads.push(Some(Tensor::placed(db, &s.normalized_shape, &[g])?));
    }
    Ok(grads)
}

/// ATen's backward kernel: per row `a = rstd`, `ds = Σ dy·x·w`, `db = Σ dy·w`,
/// `dx = a·dy·w + b·x + c`; `dw = Σ_rows dy·(a·x - a·mean)`, `dbias = Σ_rows dy`.
fn backward_kernel<F: Float>(
    dy: &[F],
    x: &[F],
    w: &[F],
    mean: &[f64],
    rstd: &[f64],
    n: usize,
) -> (Vec<F>, Vec<F>, Vec<F>) {
    let scale = F::one() / F::cast(n as f64);
    // chunks of 0 would panic; an empty row only comes with an empty input.
    let row = n.max(1);
    let mut dx = Vec::with_capacity(x.len());
    let (mut dw, mut db) = (vec![F::zero(); n], vec![F::zero(); n]);
    for (((dy, x), &mean), &rstd) in dy
        .chunks_exact(row)
        .zip(x.chunks_exact(row))
        .zip(mean)
        .zip(rstd)
    {
        let (m, a) = (F::cast(mean), F::cast(rstd));
        let shift = -a * m;
        for j in 0..n {
            dw[j] = dw[j] + dy[j] * (a * x[j] + shift);
            db[j] = db[j] + dy[j];
        }
        let ds = F::cast(
            (0..n)
                .map(|j| dy[j].to_f64() * x[j].to_f64() * w[j].to_f64())
                .sum(),
        );
        let dsum = F::cast((0..n).map(|j| dy[j].to_f64() * w[j].to_f64()).sum());
        let b = (dsum * m - ds) * a * a * a * scale;
        let c = -b * m - dsum * a * scale;
        dx.extend((0..n).map(|j| a * dy[j] * w[j] + b * x[j] + c));
    }
    (dx, dw, db)
}

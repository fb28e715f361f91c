//! `F.batch_norm` and its backward (NativeBatchNormBackward0), with the
//! arithmetic of ATen's CPU kernels (aten/src/ATen/native/Normalization.cpp
//! and native/cpu/batch_norm_kernel.cpp) as they run on the reference
//! machine: AVX2 vectors, two OpenMP threads, and the multiply-adds GCC
//! fuses there (each checked bit for bit against PyTorch 2.15).
//!
//! An input `[N, C, *]` is read as N × C planes of S values. With S = 1 ATen
//! takes its channels-last kernels, which split the N rows over the threads
//! and sum each share in the dtype; otherwise its contiguous kernels, which
//! sum every plane in float64.

use super::autograd::Op;
use super::element::Float;
use super::error::{not_implemented, runtime, Result};
use super::layer_norm::{elements, optional};
use super::layout::wrap_dim;
use super::{dtype_title, Element, Tensor};

/// The threads PyTorch splits batch rows over (the machine the goldens come from).
const THREADS: usize = 2;
/// Bytes in one vector of ATen's kernels (AVX2).
const VECTOR_BYTES: usize = 32;

/// The arguments of `F.batch_norm` besides the input.
pub struct BatchNorm<'a> {
    pub weight: Option<&'a Tensor>,
    pub bias: Option<&'a Tensor>,
    /// Updated in place in training; used in evaluation.
    pub running_mean: Option<&'a Tensor>,
    pub running_var: Option<&'a Tensor>,
    pub training: bool,
    pub momentum: f64,
    pub eps: f64,
}

/// What the backward of one batch_norm call needs.
pub struct BatchNormSaved {
    pub input: Tensor,
    pub weight: Option<Tensor>,
    pub bias: Option<Tensor>,
    training: bool,
    /// Per channel, the mean and 1/std the backward uses: the batch's in
    /// training, the running statistics' in evaluation.
    mean: Vec<f64>,
    invstd: Vec<f64>,
}

impl BatchNormSaved {
    /// The tensors gradients flow to: input, then weight and bias if given.
    pub fn inputs(&self) -> Vec<&Tensor> {
        std::iter::once(&self.input)
            .chain(self.weight.as_ref())
            .chain(self.bias.as_ref())
            .collect()
    }
}

/// The input seen as `n` × `c` planes of `s` values.
#[derive(Clone, Copy)]
struct Planes {
    n: usize,
    c: usize,
    s: usize,
}

impl Planes {
    fn of(shape: &[usize]) -> Planes {
        let (n, c) = (shape[0], shape[1]);
        Planes {
            n,
            c,
            s: shape[2..].iter().product(),
        }
    }

    /// Values per channel.
    fn count(self) -> usize {
        self.n * self.s
    }

    /// The `s` values of channel `ch` in batch row `row`.
    fn plane<F: Copy>(self, data: &[F], row: usize, ch: usize) -> &[F] {
        let start = (row * self.c + ch) * self.s;
        &data[start..start + self.s]
    }
}

impl Tensor {
    /// `torch.batch_norm`: each channel (dim 1) normalised by the batch's
    /// statistics in training (updating the running ones), or by the running
    /// statistics in evaluation, then `* weight + bias`.
    pub fn batch_norm(&self, o: &BatchNorm<'_>) -> Result<Tensor> {
        let named = [
            ("running_mean", o.running_mean),
            ("running_var", o.running_var),
            ("weight", o.weight),
            ("bias", o.bias),
        ];
        // ATen's order: each tensor's size, or its absence in evaluation.
        let channels = || wrap_dim(1, self.dim()).map(|_| self.shape()[1]);
        for (i, (what, t)) in named.iter().enumerate() {
            match t {
                Some(t) if t.numel() != channels()? => {
                    return runtime(format!(
                        "{what} should contain {} elements not {}",
                        channels()?,
                        t.numel()
                    ))
                }
                None if i < 2 && !o.training => {
                    return runtime(format!("{what} must be defined in evaluation mode"))
                }
                _ => {}
            }
        }
        channels()?;
        if !self.dtype().is_float() {
            return not_implemented(format!(
                "\"batch_norm\" not implemented for '{}'",
                dtype_title(self.dtype())
            ));
        }
        if named
            .iter()
            .any(|(_, t)| t.is_some_and(|t| t.dtype() != self.dtype()))
        {
            return runtime("mixed dtype (CPU): all inputs must share same datatype.");
        }
        let planes = Planes::of(self.shape());
        crate::with_float!(self.dtype(), F => self.batch_norm_as::<F>(o, planes),
            unreachable!("checked to be a float dtype"))
    }

    fn batch_norm_as<F: Float>(&self, o: &BatchNorm<'_>, p: Planes) -> Result<Tensor> {
        let x: Vec<F> = elements(self)?;
        let running = |t: Option<&Tensor>, fill: f64| optional::<F>(t, p.c, fill);
        let (rm, rv) = (running(o.running_mean, 0.0)?, running(o.running_var, 1.0)?);
        let (mean, invstd, backward_invstd) = if o.training && p.count() > 0 {
            let (mean, var_sum) = batch_stats(&x, p);
            let count = F::cast(p.count() as f64);
            let invstd: Vec<F> = var_sum
                .iter()
                .map(|&v| F::cast(inv_std((v / count).to_f64(), o.eps)))
                .collect();
            update_running(o, p.count(), &mean, &var_sum, &rm, &rv)?;
            (mean, invstd.clone(), invstd)
        } else {
            let eps = F::cast(o.eps);
            let invstd = rv.iter().map(|&v| F::one() / (v + eps).sqrt()).collect();
            // The backward recomputes it in double.
            let backward = rv
                .iter()
                .map(|v| F::cast(1.0 / (v.to_f64() + o.eps).sqrt()))
                .collect();
            (rm, invstd, backward)
        };
        let w = optional::<F>(o.weight, p.c, 1.0)?;
        let b = optional::<F>(o.bias, p.c, 0.0)?;
        let alpha: Vec<F> = invstd.iter().zip(&w).map(|(&i, &w)| i * w).collect();
        let beta: Vec<F> = (0..p.c)
            .map(|c| (-mean[c]).mul_add(alpha[c], b[c]))
            .collect();
        let mut y = Vec::with_capacity(x.len());
        for (k, chunk) in x.chunks(p.s.max(1)).enumerate() {
            let c = k % p.c.max(1);
            y.extend(chunk.iter().map(|&v| v.mul_add(alpha[c], beta[c])));
        }
        let inputs: Vec<&Tensor> = std::iter::once(self)
            .chain(o.weight)
            .chain(o.bias)
            .collect();
        let f64s = |v: &[F]| v.iter().map(|x| x.to_f64()).collect();
        Tensor::from_op(F::wrap(y), self.shape(), &inputs, || {
            Op::BatchNorm(Box::new(BatchNormSaved {
                input: self.clone(),
                weight: o.weight.cloned(),
                bias: o.bias.cloned(),
                training: o.training,
                mean: f64s(&mean),
                invstd: f64s(&backward_invstd),
            }))
        })
    }
}

/// The running statistics move `momentum` of the way to the batch's (with
/// the unbiased variance), in ATen's rounding: float products, and the
/// variance's first product in double.
fn update_running<F: Float>(
    o: &BatchNorm<'_>,
    count: usize,
    mean: &[F],
    var_sum: &[F],
    rm: &[F],
    rv: &[F],
) -> Result<()> {
    let m = F::cast(o.momentum);
    let keep = F::one() - m;
    let unbiased = F::cast(count as f64 - 1.0);
    let write = |t: &Tensor, v: Vec<F>| -> Result<()> {
        let fresh = Tensor::from_vec(v, t.shape())?;
        crate::tensor::no_grad(|| t.copy_(&fresh))
    };
    if let Some(t) = o.running_mean {
        write(
            t,
            (0..rm.len()).map(|c| m * mean[c] + keep * rm[c]).collect(),
        )?;
    }
    if let Some(t) = o.running_var {
        let v = (0..rv.len()).map(|c| {
            let var = (var_sum[c] / unbiased).to_f64();
            F::cast(m.to_f64() * var + (keep * rv[c]).to_f64())
        });
        write(t, v.collect())?;
    }
    Ok(())
}

/// ATen's InvStd, in double: 1/sqrt(var + eps), or 0 when both are 0.
fn inv_std(var: f64, eps: f64) -> f64 {
    if var != 0.0 || eps != 0.0 {
        1.0 / (var + eps).sqrt()
    } else {
        0.0
    }
}

/// The rows each thread takes in `at::parallel_for(0, rows, 1)`.
fn thread_shares(rows: usize) -> Vec<std::ops::Range<usize>> {
    let threads = THREADS.min(rows).max(1);
    let chunk = rows.div_ceil(threads).max(1);
    (0..threads)
        .map(|t| (t * chunk).min(rows)..((t + 1) * chunk).min(rows))
        .collect()
}

/// Per channel, the batch mean and the sum of squared deviations from it.
fn batch_stats<F: Float>(x: &[F], p: Planes) -> (Vec<F>, Vec<F>) {
    let count = p.count() as f64;
    let mut means = Vec::with_capacity(p.c);
    let mut var_sums = Vec::with_capacity(p.c);
    for ch in 0..p.c {
        let values = || (0..p.n).flat_map(move |r| p.plane(x, r, ch).iter().copied());
        if p.s != 1 {
            // Contiguous kernel: float64 sums, the squares rounded first.
            let mean = F::cast(values().map(|v| v.to_f64()).sum::<f64>() / count);
            let sq: f64 = values().map(|v| ((v - mean) * (v - mean)).to_f64()).sum();
            means.push(mean);
            var_sums.push(F::cast(sq));
            continue;
        }
        let at = |r: usize| x[r * p.c + ch];
        let fused_squares = |rows: std::ops::Range<usize>, mean: F| {
            rows.fold(F::zero(), |acc, r| {
                let d = at(r) - mean;
                d.mul_add(d, acc)
            })
        };
        if p.n > THREADS {
            // Channels-last kernel: each thread sums its rows in the dtype.
            let shares = thread_shares(p.n);
            let total: f64 = shares
                .iter()
                .map(|rows| rows.clone().fold(F::zero(), |s, r| s + at(r)).to_f64())
                .sum();
            let mean = F::cast(total / count);
            let sq: f64 = shares
                .iter()
                .map(|rows| fused_squares(rows.clone(), mean).to_f64())
                .sum();
            means.push(mean);
            var_sums.push(F::cast(sq));
        } else {
            let mean = F::cast((0..p.n).map(|r| at(r).to_f64()).sum::<f64>() / count);
            means.push(mean);
            var_sums.push(fused_squares(0..p.n, mean));
        }
    }
    (means, var_sums)
}

/// NativeBatchNormBackward0: gradients for the input, weight and bias (those
/// given), in [`BatchNormSaved::inputs`] order.
pub(crate) fn backward(s: &BatchNormSaved, g: &Tensor) -> Result<Vec<Option<Tensor>>> {
    let p = Planes::of(s.input.shape());
    let (dx, dw, db) = crate::with_float!(s.input.dtype(), F => {
        let (dx, dw, db) = backward_kernel::<F>(s, &elements(g)?, &elements(&s.input)?, p)?;
        (F::wrap(dx), F::wrap(dw), F::wrap(db))
    }, return runtime("batch_norm backward needs a float input"));
    let mut grads = vec![Some(Tensor::placed(dx, s.input.shape(), &[g])?)];
    if s.weight.is_some() {
        grads.push(Some(Tensor::placed(dw, &[p.c], &[g])?));
    }
    if s.bias.is_some() {
        grads.push(Some(Tensor::placed(db, &[p.c], &[g])?));
    }
    Ok(grads)
}

type Grads<F> = (Vec<F>, Vec<F>, Vec<F>);

fn backward_kernel<F: Float>(s: &BatchNormSaved, dy: &[F], x: &[F], p: Planes) -> Result<Grads<F>> {
    let w = optional::<F>(s.weight.as_ref(), p.c, 1.0)?;
    let count = F::cast(p.count() as f64);
    let mut dx = vec![F::zero(); x.len()];
    let (mut dw, mut db) = (Vec::with_capacity(p.c), Vec::with_capacity(p.c));
    for (ch, &w) in w.iter().enumerate() {
        let (mean, invstd) = (F::cast(s.mean[ch]), F::cast(s.invstd[ch]));
        let (sum, dotp) = if p.s == 1 {
            rows_sums(dy, x, p, ch, mean)
        } else {
            plane_sums(dy, x, p, ch, mean)
        };
        let (fsum, fdotp) = (F::cast(sum), F::cast(dotp));
        let k = fdotp * invstd * invstd / count;
        // ATen's two kernels round the per-channel results differently.
        let grad_mean = if p.s == 1 {
            fsum / count
        } else {
            F::cast(sum / p.count() as f64)
        };
        for row in 0..p.n {
            let start = (row * p.c + ch) * p.s;
            for i in start..start + p.s {
                dx[i] = if !s.training {
                    dy[i] * invstd * w
                } else if p.s == 1 {
                    (dy[i] - grad_mean - (x[i] - mean) * k) * invstd * w
                } else {
                    (-(x[i] - mean)).mul_add(k, dy[i] - grad_mean) * invstd * w
                };
            }
        }
        dw.push(if p.s == 1 {
            fdotp * invstd
        } else {
            F::cast(dotp * invstd.to_f64())
        });
        db.push(fsum);
    }
    Ok((dx, dw, db))
}

/// Channels-last kernel (S = 1): Σ dy and Σ (x - mean)·dy, each thread's rows
/// summed in the dtype (the products fused), the shares in double.
fn rows_sums<F: Float>(dy: &[F], x: &[F], p: Planes, ch: usize, mean: F) -> (f64, f64) {
    let (mut sum, mut dotp) = (0.0, 0.0);
    for rows in thread_shares(p.n) {
        let (mut s, mut d) = (F::zero(), F::zero());
        for r in rows {
            let i = r * p.c + ch;
            s = s + dy[i];
            d = (x[i] - mean).mul_add(dy[i], d);
        }
        sum += s.to_f64();
        dotp += d.to_f64();
    }
    (sum, dotp)
}

/// Contiguous kernel: each plane reduced in vector lanes, the planes in double.
fn plane_sums<F: Float>(dy: &[F], x: &[F], p: Planes, ch: usize, mean: F) -> (f64, f64) {
    let (mut sum, mut dotp) = (0.0, 0.0);
    for row in 0..p.n {
        let (dy, x) = (p.plane(dy, row, ch), p.plane(x, row, ch));
        sum += reduce_all(dy, |acc, i| acc + dy[i]).to_f64();
        let products: Vec<F> = (0..x.len()).map(|i| (x[i] - mean) * dy[i]).collect();
        // The partial last vector's products fuse into the accumulator.
        let dot = reduce_all(&products, |acc, i| (x[i] - mean).mul_add(dy[i], acc));
        dotp += dot.to_f64();
    }
    (sum, dotp)
}

/// `vec::reduce_all` over `values` with `+`: fewer than a vector's worth
/// are added in order; otherwise lane-wise over whole vectors, then the
/// partial last vector with `tail(acc, index)`, then across the lanes.
fn reduce_all<F: Float>(values: &[F], tail: impl Fn(F, usize) -> F) -> F {
    let lanes = VECTOR_BYTES / std::mem::size_of::<F>();
    let Some((&first, rest)) = values.split_first() else {
        return F::zero();
    };
    if values.len() < lanes {
        return rest.iter().fold(first, |a, &v| a + v);
    }
    let mut acc = values[..lanes].to_vec();
    let whole = values.len() - values.len() % lanes;
    for start in (lanes..whole).step_by(lanes) {
        for (a, &v) in acc.iter_mut().zip(&values[start..start + lanes]) {
            *a = *a + v;
        }
    }
    for (lane, i) in (whole..values.len()).enumerate() {
        acc[lane] = tail(acc[lane], i);
    }
    across_lanes(acc)
}

/// `vec_reduce_all`: float vectors fold halves onto each other (ATen's
/// shuffles); double vectors add their lanes in order.
fn across_lanes<F: Float>(mut acc: Vec<F>) -> F {
    if std::mem::size_of::<F>() == 4 {
        let mut shift = acc.len() / 2;
        while shift > 0 {
            acc = (0..acc.len()).map(|i| acc[i] + acc[i ^ shift]).collect();
            shift /= 2;
        }
        return acc[0];
    }
    acc[1..].iter().fold(acc[0], |a, &v| a + v)
}

//! PyTorch's CPU generator: mt19937 and the distributions built on it, so that
//! after `torch.manual_seed(s)` nnlearn draws bit for bit what PyTorch (x86-64,
//! AVX2 or newer) draws.
//!
//! Sources ported: aten/src/ATen/CPUGeneratorImpl.cpp (32/64-bit draws, the
//! cached second Box–Muller sample), aten/src/ATen/core/DistributionsHelper.h and
//! TransformationHelper.h (uniform, normal, integer distributions) and
//! aten/src/ATen/native/cpu/DistributionTemplates.h (the tensor kernels).
//!
//! Composite ops draw through these primitives in PyTorch's order:
//! - `torch.normal(mean_tensor, std)`: `normal_*(numel, 0.0, std)`, then
//!   `+ mean` as a tensor op.
//! - `torch.normal(mean, std_tensor)` and `torch.normal(mean_tensor,
//!   std_tensor)`: `normal_*(numel, 0.0, 1.0)` for the broadcast shape, then
//!   `* std` and `+ mean` as two tensor ops (two roundings, not one).
//! - `nn.Linear` and `nn.Conv*d` init draw the weight with `uniform_f32(-w, w)`,
//!   then the bias with `uniform_f32(-b, b)`, bounds from [`linear_init_bounds`].
//!   `nn.Embedding` draws `normal_f32(numel, 0.0, 1.0)`. `nn.RNN(_, hidden)`
//!   draws every parameter, in `named_parameters()` order, with
//!   `uniform_f32(-b, b)` where `b = 1 / sqrt(hidden)` (`linear_init_bounds(hidden).1`).
//! - `nn.Dropout(p)` in training draws `bernoulli(numel, 1 - p)`.
//!
//! The float kernels assume a contiguous tensor; PyTorch takes the element-wise
//! path of `normal_` for non-contiguous ones, which nnlearn never fills.

mod cephes;
pub mod mt19937;
#[cfg(test)]
mod tests;

use mt19937::Mt19937;
use std::f64::consts::PI;

/// The seed nnlearn's generator starts from. PyTorch seeds its default CPU
/// generator nondeterministically; this is the fixed default it uses for CUDA.
pub const DEFAULT_SEED: u64 = 67_280_421_310_721;

// Every `mul_add` below is a multiply-add that GCC fuses in PyTorch's build
// (see cephes.rs); rounding twice instead differs from PyTorch in about 40% of
// uniform draws.

/// Tensors with at least this many elements take the 16-at-a-time Box–Muller
/// path in `normal_`; smaller ones draw one sample at a time.
const NORMAL_VECTOR_MIN: usize = 16;

/// Why a draw was refused; the text is PyTorch's.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RandomError {
    #[error("random_ expects 'from' to be less than 'to', but got from={from} >= to={to}")]
    EmptyRange { from: i64, to: i64 },
}

/// PyTorch's `CPUGeneratorImpl`: the engine plus the cached second sample of
/// the element-wise Box–Muller path.
#[derive(Clone)]
pub struct Generator {
    engine: Mt19937,
    next_normal: Option<f64>,
}

impl Default for Generator {
    fn default() -> Generator {
        Generator::new(DEFAULT_SEED)
    }
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator {
            engine: Mt19937::new(seed),
            next_normal: None,
        }
    }

    /// `torch.manual_seed(seed)`; Python's negative seeds arrive here already
    /// reinterpreted as `u64` (two's complement), as PyTorch does.
    pub fn manual_seed(&mut self, seed: u64) {
        *self = Generator::new(seed);
    }

    /// `torch.initial_seed()`.
    pub fn initial_seed(&self) -> u64 {
        self.engine.seed()
    }

    /// `CPUGeneratorImpl::random()`.
    pub fn random_u32(&mut self) -> u32 {
        self.engine.next_u32()
    }

    /// `CPUGeneratorImpl::random64()`: the first draw is the high half.
    pub fn random_u64(&mut self) -> u64 {
        let hi = u64::from(self.engine.next_u32());
        let lo = u64::from(self.engine.next_u32());
        (hi << 32) | lo
    }

    /// A float32 in [0, 1) from the low 24 bits of one 32-bit draw.
    fn unit_f32(&mut self) -> f32 {
        (self.random_u32() & ((1 << f32::MANTISSA_DIGITS) - 1)) as f32
            / (1u32 << f32::MANTISSA_DIGITS) as f32
    }

    /// A float64 in [0, 1) from the low 53 bits of one 64-bit draw.
    fn unit_f64(&mut self) -> f64 {
        (self.random_u64() & ((1 << f64::MANTISSA_DIGITS) - 1)) as f64
            / (1u64 << f64::MANTISSA_DIGITS) as f64
    }

    /// `torch.rand` / `Tensor.uniform_(from, to)` on float32 (bounds already
    /// cast to float32, as the kernel does).
    pub fn uniform_f32(&mut self, n: usize, from: f32, to: f32) -> Vec<f32> {
        let range = to - from;
        (0..n)
            .map(|_| self.unit_f32().mul_add(range, from))
            .collect()
    }

    /// `torch.rand` / `Tensor.uniform_(from, to)` on float64.
    pub fn uniform_f64(&mut self, n: usize, from: f64, to: f64) -> Vec<f64> {
        let range = to - from;
        (0..n)
            .map(|_| self.unit_f64().mul_add(range, from))
            .collect()
    }

    /// `torch.randn` / `Tensor.normal_(mean, std)` on float32.
    pub fn normal_f32(&mut self, n: usize, mean: f64, std: f64) -> Vec<f32> {
        if n < NORMAL_VECTOR_MIN {
            return (0..n)
                .map(|_| self.normal_sample(mean, std) as f32)
                .collect();
        }
        let (mean, std) = (mean as f32, std as f32);
        let two_pi = (2.0 * PI) as f32;
        self.normal_fill(
            n,
            |gen| gen.unit_f32(),
            |u1, u2| {
                // `log256_ps(1 - u1)` and `sincos256_ps(2π u2)`, then fmadd.
                let radius = (-2.0 * cephes::log(1.0 - u1)).sqrt();
                let (sin, cos) = cephes::sincos(two_pi * u2);
                (
                    (radius * cos).mul_add(std, mean),
                    (radius * sin).mul_add(std, mean),
                )
            },
        )
    }

    /// `torch.randn` / `Tensor.normal_(mean, std)` on float64.
    pub fn normal_f64(&mut self, n: usize, mean: f64, std: f64) -> Vec<f64> {
        if n < NORMAL_VECTOR_MIN {
            return (0..n).map(|_| self.normal_sample(mean, std)).collect();
        }
        self.normal_fill(
            n,
            |gen| gen.unit_f64(),
            |u1, u2| {
                let radius = (-2.0 * (1.0 - u1).ln()).sqrt();
                let theta = 2.0 * PI * u2;
                (
                    (radius * theta.cos()).mul_add(std, mean),
                    (radius * theta.sin()).mul_add(std, mean),
                )
            },
        )
    }

    /// `normal_fill`: draw all `n` uniforms first, then turn each block of 16
    /// into normals pairwise (j, j + 8). A tail that is not a multiple of 16
    /// redraws fresh uniforms for the last 16 slots and transforms them again.
    fn normal_fill<T: Copy>(
        &mut self,
        n: usize,
        mut uniform: impl FnMut(&mut Generator) -> T,
        box_muller: impl Fn(T, T) -> (T, T),
    ) -> Vec<T> {
        let mut data: Vec<T> = (0..n).map(|_| uniform(self)).collect();
        let transform = |block: &mut [T]| {
            let (firsts, seconds) = block.split_at_mut(8);
            for (a, b) in firsts.iter_mut().zip(seconds) {
                (*a, *b) = box_muller(*a, *b);
            }
        };
        for block in data.chunks_exact_mut(16) {
            transform(block);
        }
        if !n.is_multiple_of(16) {
            let tail = &mut data[n - 16..];
            for slot in tail.iter_mut() {
                *slot = uniform(self);
            }
            transform(tail);
        }
        data
    }

    /// `at::normal_distribution<double>`: Box–Muller on two 53-bit uniforms,
    /// returning the cosine sample and caching the sine one for the next call.
    fn normal_sample(&mut self, mean: f64, std: f64) -> f64 {
        let z = match self.next_normal.take() {
            Some(cached) => cached,
            None => {
                let u1 = self.unit_f64();
                let u2 = self.unit_f64();
                let radius = (-2.0 * (-u2).ln_1p()).sqrt();
                let theta = 2.0 * PI * u1;
                self.next_normal = Some(radius * theta.sin());
                radius * theta.cos()
            }
        };
        z.mul_add(std, mean)
    }

    /// `Tensor.bernoulli_(p)` with a float `p`, on any dtype: one 53-bit
    /// uniform per element, true when below `p`. `nn.Dropout(p)` draws its keep
    /// mask this way with `1 - p`. On Intel CPUs PyTorch builds with MKL take a
    /// different generator (MKL's MCG31) here, so these match PyTorch elsewhere.
    pub fn bernoulli(&mut self, n: usize, p: f64) -> Vec<bool> {
        (0..n).map(|_| self.unit_f64() < p).collect()
    }

    /// `torch.bernoulli(probs)` for float32 probabilities: one 24-bit uniform
    /// per element, compared in float32.
    pub fn bernoulli_probs_f32(&mut self, probs: &[f32]) -> Vec<bool> {
        probs.iter().map(|&p| self.unit_f32() < p).collect()
    }

    /// `torch.bernoulli(probs)` for float64 probabilities.
    pub fn bernoulli_probs_f64(&mut self, probs: &[f64]) -> Vec<bool> {
        probs.iter().map(|&p| self.unit_f64() < p).collect()
    }

    /// `torch.randint(low, high, size)` for int64: one 32-bit draw per value,
    /// or one 64-bit draw when the range reaches 2^32, reduced modulo the range.
    pub fn randint(&mut self, n: usize, low: i64, high: i64) -> Result<Vec<i64>, RandomError> {
        if low >= high {
            return Err(RandomError::EmptyRange {
                from: low,
                to: high,
            });
        }
        let range = (high as u64).wrapping_sub(low as u64);
        Ok((0..n)
            .map(|_| {
                let draw = if range >= 1 << 32 {
                    self.random_u64()
                } else {
                    u64::from(self.random_u32())
                };
                (draw % range).wrapping_add(low as u64) as i64
            })
            .collect())
    }
}

/// `nn.Linear(fan_in, _)` init bounds `(weight, bias)`, computed in f64 as
/// torch/nn/init.py does: `kaiming_uniform_(a=sqrt(5))` gives
/// `sqrt(3) * sqrt(2 / (1 + a**2)) / sqrt(fan_in)` for the weight, and the bias
/// gets `1 / sqrt(fan_in)` (0 when `fan_in` is 0). Both are then cast to f32.
pub fn linear_init_bounds(fan_in: usize) -> (f32, f32) {
    if fan_in == 0 {
        return (0.0, 0.0);
    }
    let a = 5f64.sqrt();
    let gain = (2.0 / (1.0 + a.powi(2))).sqrt();
    let fan = (fan_in as f64).sqrt();
    let weight = 3f64.sqrt() * (gain / fan);
    let bias = 1.0 / fan;
    (weight as f32, bias as f32)
}

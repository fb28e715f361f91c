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
    #[error("Expected a CPUGeneratorImplState of size {STATE_BYTES} but found the input RNG state size to be {0}")]
    StateSize(usize),
    #[error("Invalid mt19937 state")]
    InvalidState,
    #[error("invalid multinomial distribution (encountering probability entry < 0)")]
    NegativeProbability,
    #[error("invalid multinomial distribution (encountering probability entry = infinity or NaN)")]
    NonFiniteProbability,
    #[error("invalid multinomial distribution (sum of probabilities <= 0)")]
    ZeroSum,
}

/// `sizeof(CPUGeneratorImplState)` on x86-64: the legacy POD (seed, left,
/// seeded, next, 624 state words as u64, three doubles and a flag of the
/// Box–Muller cache) then the float cache and its flag.
pub const STATE_BYTES: usize = 5056;
const STATE_OFFSET: usize = 24;
const NORMAL_Y_OFFSET: usize = STATE_OFFSET + 8 * mt19937::STATE_WORDS + 8;
const NORMAL_VALID_OFFSET: usize = NORMAL_Y_OFFSET + 16;

/// A probability type `multinomial` accumulates in (float32 for float32
/// and the half types, float64 for float64).
pub trait Probability:
    Copy + PartialOrd + std::ops::Add<Output = Self> + std::ops::Div<Output = Self> + Into<f64>
{
    const ZERO: Self;
    const ONE: Self;
    fn is_finite(self) -> bool;
}

impl Probability for f32 {
    const ZERO: f32 = 0.0;
    const ONE: f32 = 1.0;
    fn is_finite(self) -> bool {
        f32::is_finite(self)
    }
}

impl Probability for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
    fn is_finite(self) -> bool {
        f64::is_finite(self)
    }
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

    /// `torch.get_rng_state()`: `CPUGeneratorImplState`'s bytes.
    pub fn get_state(&self) -> Vec<u8> {
        let d = self.engine.data();
        let mut bytes = vec![0u8; STATE_BYTES];
        let mut put = |at: usize, b: &[u8]| bytes[at..at + b.len()].copy_from_slice(b);
        put(0, &d.seed.to_le_bytes());
        put(8, &(d.left as i32).to_le_bytes());
        put(12, &1i32.to_le_bytes());
        put(16, &(d.next as u64).to_le_bytes());
        for (i, w) in d.state.iter().enumerate() {
            put(STATE_OFFSET + 8 * i, &u64::from(*w).to_le_bytes());
        }
        if let Some(y) = self.next_normal {
            put(NORMAL_Y_OFFSET, &y.to_le_bytes());
            put(NORMAL_VALID_OFFSET, &1i32.to_le_bytes());
        }
        bytes
    }

    /// `torch.set_rng_state(state)`, with `CPUGeneratorImpl::set_state`'s checks.
    pub fn set_state(&mut self, bytes: &[u8]) -> Result<(), RandomError> {
        if bytes.len() != STATE_BYTES {
            return Err(RandomError::StateSize(bytes.len()));
        }
        let word = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&bytes[at..at + 8]);
            u64::from_le_bytes(b)
        };
        let int = |at: usize| word(at) as u32 as i32;
        let mut state = [0u32; mt19937::STATE_WORDS];
        for (i, w) in state.iter_mut().enumerate() {
            *w = word(STATE_OFFSET + 8 * i) as u32;
        }
        let seeded = int(12) != 0;
        let engine = mt19937::Mt19937::from_data(mt19937::EngineState {
            seed: word(0),
            left: usize::try_from(int(8)).unwrap_or(0),
            next: word(16) as u32 as usize,
            state,
        })
        .filter(|_| seeded)
        .ok_or(RandomError::InvalidState)?;
        self.engine = engine;
        self.next_normal =
            (int(NORMAL_VALID_OFFSET) != 0).then(|| f64::from_bits(word(NORMAL_Y_OFFSET)));
        Ok(())
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
    /// cast to float32, as the kernel does). A value that rounded up to `to`
    /// becomes `from`, as the kernel clamps it.
    pub fn uniform_f32(&mut self, n: usize, from: f32, to: f32) -> Vec<f32> {
        let range = to - from;
        (0..n)
            .map(|_| self.unit_f32().mul_add(range, from))
            .map(|v| if v == to { from } else { v })
            .collect()
    }

    /// `torch.rand` / `Tensor.uniform_(from, to)` on float64.
    pub fn uniform_f64(&mut self, n: usize, from: f64, to: f64) -> Vec<f64> {
        let range = to - from;
        (0..n)
            .map(|_| self.unit_f64().mul_add(range, from))
            .map(|v| if v == to { from } else { v })
            .collect()
    }

    /// `torch.randn` / `Tensor.normal_(mean, std)` on float32.
    pub fn normal_f32(&mut self, n: usize, mean: f64, std: f64) -> Vec<f32> {
        self.normal_f32_drawn(n, mean, std, true)
    }

    /// `normal_` on float16/bfloat16, before the final rounding: the
    /// float32 path, except that its 16-element blocks are drawn one at a
    /// time, so a tail redraws right after the last whole block.
    pub fn normal_reduced(&mut self, n: usize, mean: f64, std: f64) -> Vec<f64> {
        if n < NORMAL_VECTOR_MIN {
            return (0..n).map(|_| self.normal_sample(mean, std)).collect();
        }
        let values = self.normal_f32_drawn(n, mean, std, false);
        values.into_iter().map(f64::from).collect()
    }

    /// `normal_fill` on float32; `upfront` draws every uniform first (the
    /// float32 kernel) rather than only the whole blocks'.
    fn normal_f32_drawn(&mut self, n: usize, mean: f64, std: f64, upfront: bool) -> Vec<f32> {
        if n < NORMAL_VECTOR_MIN {
            return (0..n)
                .map(|_| self.normal_sample(mean, std) as f32)
                .collect();
        }
        let (mean, std) = (mean as f32, std as f32);
        let two_pi = (2.0 * PI) as f32;
        self.normal_fill(
            n,
            upfront,
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
            true,
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

    /// `normal_fill`: draw the uniforms (all `n` when `upfront`, else only
    /// the whole blocks'), then turn each block of 16 into normals pairwise
    /// (j, j + 8). A tail that is not a multiple of 16 draws fresh uniforms
    /// for the last 16 slots and transforms them again.
    fn normal_fill<T: Copy>(
        &mut self,
        n: usize,
        upfront: bool,
        mut uniform: impl FnMut(&mut Generator) -> T,
        box_muller: impl Fn(T, T) -> (T, T),
    ) -> Vec<T> {
        let drawn = if upfront { n } else { n - n % 16 };
        let mut data: Vec<T> = (0..drawn).map(|_| uniform(self)).collect();
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
            let mut tail: Vec<T> = (0..16).map(|_| uniform(self)).collect();
            transform(&mut tail);
            data.resize(n, tail[0]);
            data[n - 16..].copy_from_slice(&tail);
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

    /// `Tensor.exponential_(lambd)`: `-1/λ · log1p(-u)` on one 53-bit uniform
    /// per element (the kernel draws doubles whatever the dtype).
    pub fn exponential(&mut self, n: usize, lambda: f64) -> Vec<f64> {
        let scale = -1.0 / lambda;
        (0..n).map(|_| scale * (-self.unit_f64()).ln_1p()).collect()
    }

    /// `torch.randperm(n)`: below `u32::MAX / 20` a Fisher–Yates shuffle of
    /// `0..n` on 32-bit draws, above it the inside-out variant on 64-bit ones.
    pub fn randperm(&mut self, n: usize) -> Vec<i64> {
        if n < (u32::MAX / 20) as usize {
            let mut r: Vec<i64> = (0..n as i64).collect();
            for i in 0..n.saturating_sub(1) {
                let z = u64::from(self.random_u32()) % (n - i) as u64;
                r.swap(i, i + z as usize);
            }
            return r;
        }
        let mut r = vec![0i64; n];
        for i in 0..n {
            let z = (self.random_u64() % (i as u64 + 1)) as usize;
            r[i] = r[z];
            r[z] = i as i64;
        }
        r
    }

    /// `torch.multinomial(probs, n, replacement=True)` over the rows of
    /// `probs` (row-major, `categories` per row): per row a cumulative sum
    /// normalised to end at 1, then per sample one 53-bit uniform and a
    /// binary search for the first bucket not below it.
    pub fn multinomial_with_replacement<P: Probability>(
        &mut self,
        probs: &[P],
        categories: usize,
        samples: usize,
    ) -> Result<Vec<i64>, RandomError> {
        let mut out = Vec::with_capacity(samples * probs.len() / categories.max(1));
        for row in probs.chunks(categories.max(1)) {
            let mut sum = P::ZERO;
            let mut cumulative = Vec::with_capacity(categories);
            for &p in row {
                // NaN fails this first check, as in ATen.
                if !(p >= P::ZERO) {
                    return Err(RandomError::NegativeProbability);
                }
                if !p.is_finite() {
                    return Err(RandomError::NonFiniteProbability);
                }
                sum = sum + p;
                cumulative.push(sum);
            }
            if !(sum > P::ZERO) {
                return Err(RandomError::ZeroSum);
            }
            for c in cumulative.iter_mut() {
                *c = *c / sum;
            }
            if let Some(last) = cumulative.last_mut() {
                *last = P::ONE;
            }
            for _ in 0..samples {
                let u = self.unit_f64();
                let (mut left, mut right) = (0, categories);
                while right > left {
                    let mid = left + (right - left) / 2;
                    if cumulative[mid].into() < u {
                        left = mid + 1;
                    } else {
                        right = mid;
                    }
                }
                out.push(left as i64);
            }
        }
        Ok(out)
    }

    /// `Tensor.random_()` without bounds: one draw per element (64-bit for
    /// int64 and float64) reduced modulo `modulus` (the dtype's largest
    /// integer plus one: `2^63`, `2^31`, `2^24 + 1` for float32, ...).
    pub fn random_below(&mut self, n: usize, modulus: u64, wide: bool) -> Vec<u64> {
        (0..n)
            .map(|_| {
                let draw = if wide {
                    self.random_u64()
                } else {
                    u64::from(self.random_u32())
                };
                draw % modulus
            })
            .collect()
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
        Ok(self.random_from(n, low, (high as u64).wrapping_sub(low as u64)))
    }

    /// `uniform_int_from_to_distribution`: `base + draw % range`.
    pub fn random_from(&mut self, n: usize, base: i64, range: u64) -> Vec<i64> {
        (0..n)
            .map(|_| {
                let draw = if range >= 1 << 32 || range == 0 {
                    self.random_u64()
                } else {
                    u64::from(self.random_u32())
                };
                // A range of 0 stands for all 2^64 values.
                let offset = if range == 0 { draw } else { draw % range };
                offset.wrapping_add(base as u64) as i64
            })
            .collect()
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

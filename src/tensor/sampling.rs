//! Random tensors drawn from a [`Generator`] in PyTorch's order.

use super::dtype::DType;
use super::error::{runtime, Result};
use super::random::Generator;
use super::{BinaryOp, CpuStorage, Scalar, Tensor};

fn numel(shape: &[usize], dtype: DType) -> Result<usize> {
    let n = shape
        .iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .unwrap_or(usize::MAX);
    super::check_alloc(n, dtype)?;
    Ok(n)
}

fn float_only(dtype: DType, what: &str) -> Result<()> {
    if !dtype.is_float() {
        return super::error::not_implemented(format!(
            "\"{what}\" not implemented for '{}'",
            super::ops::dtype_title(dtype)
        ));
    }
    Ok(())
}

impl Tensor {
    /// `torch.rand`: uniform on [0, 1).
    pub fn rand(gen: &mut Generator, shape: &[usize], dtype: DType) -> Result<Tensor> {
        Tensor::uniform(gen, shape, 0.0, 1.0, dtype)
    }

    /// `uniform_(from, to)` as a new tensor.
    pub fn uniform(
        gen: &mut Generator,
        shape: &[usize],
        from: f64,
        to: f64,
        dtype: DType,
    ) -> Result<Tensor> {
        float_only(dtype, "check_uniform_bounds")?;
        let n = numel(shape, dtype)?;
        let data = match dtype {
            DType::F64 => CpuStorage::F64(gen.uniform_f64(n, from, to)),
            DType::F32 => CpuStorage::F32(gen.uniform_f32(n, from as f32, to as f32)),
            // float16/bfloat16 draw in float32, then round, a value that
            // rounded up to `to` becoming `from` as in float32.
            half => {
                let values = CpuStorage::F32(gen.uniform_f32(n, from as f32, to as f32));
                let (lo, hi) = (Scalar::Float(from), Scalar::Float(to));
                let rounded = Tensor::from_storage(values.to_dtype(half), shape)?;
                let at_top = rounded.binary_scalar(BinaryOp::Eq, hi)?;
                return Tensor::where_(&at_top, &Tensor::full(&[], lo, half)?, &rounded);
            }
        };
        Tensor::from_storage(data, shape)
    }

    /// `torch.randn` / `torch.normal(mean, std, size)`.
    pub fn normal(
        gen: &mut Generator,
        shape: &[usize],
        mean: f64,
        std: f64,
        dtype: DType,
    ) -> Result<Tensor> {
        float_only(dtype, "normal_kernel_cpu")?;
        if std < 0.0 {
            return runtime(format!("normal expects std >= 0.0, but found std {std}"));
        }
        let n = numel(shape, dtype)?;
        let data = match dtype {
            DType::F64 => CpuStorage::F64(gen.normal_f64(n, mean, std)),
            DType::F32 => CpuStorage::F32(gen.normal_f32(n, mean, std)),
            half => CpuStorage::F64(gen.normal_reduced(n, mean, std)).to_dtype(half),
        };
        Tensor::from_storage(data, shape)
    }

    /// `Tensor.exponential_(lambd)` as a new tensor.
    pub fn exponential(
        gen: &mut Generator,
        shape: &[usize],
        lambda: f64,
        dtype: DType,
    ) -> Result<Tensor> {
        if !dtype.is_float() {
            return runtime(format!("Exponential distribution is a continuous probability distribution. dtype must be a floating point but you specified {}", dtype.title()));
        }
        #[allow(clippy::neg_cmp_op_on_partial_ord)] // NaN fails too, as in ATen
        if !(lambda > 0.0) {
            return runtime(format!(
                "exponential_ expects lambda > 0.0, but found lambda={}",
                crate::tensor::error::cpp_number(lambda)
            ));
        }
        let n = numel(shape, dtype)?;
        Tensor::from_storage(
            CpuStorage::F64(gen.exponential(n, lambda)).to_dtype(dtype),
            shape,
        )
    }

    /// `torch.randperm(n)`.
    pub fn randperm(gen: &mut Generator, n: usize, dtype: DType) -> Result<Tensor> {
        super::check_size(n)?;
        let values = CpuStorage::I64(gen.randperm(n)).to_dtype(dtype);
        Tensor::from_storage(values, &[n])
    }

    /// `Tensor.random_()` / `random_(to)` / `random_(from, to)`: integers
    /// drawn into this tensor's dtype. Without bounds, `[0, m]` for `m` the
    /// dtype's largest exactly representable integer; with only `from`,
    /// `[from, m]`.
    pub fn random_ints(
        gen: &mut Generator,
        shape: &[usize],
        dtype: DType,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<Tensor> {
        let n = numel(shape, dtype)?;
        // The largest integer the dtype holds exactly (floats: 2^mantissa).
        let top: u64 = match dtype {
            DType::F16 => 1 << 11,
            DType::BF16 => 1 << 8,
            DType::F32 => 1 << 24,
            DType::F64 => 1 << 53,
            d => d.int_range().map_or(1, |(_, max)| max as u64),
        };
        let values = match (from, to) {
            (_, Some(to)) => gen
                .randint(n, from.unwrap_or(0), to)
                .map_err(|e| super::TensorError::Runtime(e.to_string()))?,
            (Some(from), None) => {
                gen.random_from(n, from, top.wrapping_sub(from as u64).wrapping_add(1))
            }
            (None, None) => {
                let wide = matches!(dtype, DType::I64 | DType::F64);
                // uniform_int: floats reduce modulo 2^mantissa + 1, ints modulo max + 1.
                let modulus = if dtype.is_float() {
                    top + 1
                } else {
                    top.wrapping_add(1)
                };
                gen.random_below(n, modulus, wide)
                    .into_iter()
                    .map(|v| v as i64)
                    .collect()
            }
        };
        Tensor::from_storage(CpuStorage::I64(values).to_dtype(dtype), shape)
    }

    /// `torch.bernoulli(probs)`: one draw per element, true below its
    /// probability (float32 and the half types draw 24-bit uniforms and
    /// compare in float32, float64 53-bit ones); the result has `probs`'s dtype.
    pub fn bernoulli(&self, gen: &mut Generator) -> Result<Tensor> {
        let dtype = self.dtype();
        float_only(dtype, "bernoulli_tensor_cpu_p_")?;
        let p = self.to_vec::<f64>()?;
        if p.iter().any(|p| !(0.0..=1.0).contains(p)) {
            return runtime("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)");
        }
        let flags = if dtype == DType::F64 {
            gen.bernoulli_probs_f64(&self.to_vec::<f64>()?)
        } else {
            gen.bernoulli_probs_f32(&self.to_vec::<f32>()?)
        };
        Tensor::placed(
            CpuStorage::Bool(flags).to_dtype(dtype),
            self.shape(),
            &[self],
        )
    }

    /// `Tensor.bernoulli_(p)` with a number `p`, as a new tensor of `dtype`.
    pub fn bernoulli_scalar(
        gen: &mut Generator,
        shape: &[usize],
        p: f64,
        dtype: DType,
    ) -> Result<Tensor> {
        if !(0.0..=1.0).contains(&p) {
            return runtime(format!(
                "bernoulli_ expects p to be in [0, 1], but got p={}",
                crate::tensor::error::cpp_number(p)
            ));
        }
        let n = numel(shape, dtype)?;
        Tensor::from_storage(CpuStorage::Bool(gen.bernoulli(n, p)).to_dtype(dtype), shape)
    }

    /// `torch.multinomial(probs, samples, replacement)` over a 1-D or 2-D
    /// tensor of (unnormalised) probabilities, with ATen's checks. Without
    /// replacement (or for one sample) it is ATen's Gumbel trick: `probs / q`
    /// for exponential `q`, then the indices of the `samples` largest.
    pub fn multinomial(
        &self,
        gen: &mut Generator,
        samples: i64,
        replacement: bool,
    ) -> Result<Tensor> {
        if !(1..=2).contains(&self.dim()) {
            return runtime("prob_dist must be 1 or 2 dim");
        }
        let dtype = self.dtype();
        if !dtype.is_float() {
            return runtime(format!(
                "multinomial only supports floating-point dtypes for input, got: {}",
                dtype.title()
            ));
        }
        if samples <= 0 {
            return runtime("cannot sample n_sample <= 0 samples");
        }
        let samples = samples as usize;
        let categories = self.shape()[self.dim() - 1];
        if !replacement && samples > categories {
            return runtime(
                "cannot sample n_sample > prob_dist.size(-1) samples without replacement",
            );
        }
        if categories > 1 << 24 {
            return runtime("number of categories cannot exceed 2^24");
        }
        let mut shape = self.shape().to_vec();
        if let Some(last) = shape.last_mut() {
            *last = samples;
        }
        if self.numel() == 0 {
            return Tensor::placed(CpuStorage::I64(vec![]), &shape, &[self]);
        }
        let picks = if replacement && samples > 1 {
            let err = |e: super::random::RandomError| super::TensorError::Runtime(e.to_string());
            if dtype == DType::F64 {
                gen.multinomial_with_replacement(&self.to_vec::<f64>()?, categories, samples)
            } else {
                gen.multinomial_with_replacement(&self.to_vec::<f32>()?, categories, samples)
            }
            .map_err(err)?
        } else {
            self.gumbel_top(gen, categories, samples)?
        };
        // Drawn on the host from the CPU generator (as every device's random
        // numbers are), the indices live where the probabilities do.
        Tensor::placed(CpuStorage::I64(picks), &shape, &[self])
    }

    /// The without-replacement path of [`Tensor::multinomial`].
    fn gumbel_top(
        &self,
        gen: &mut Generator,
        categories: usize,
        samples: usize,
    ) -> Result<Vec<i64>> {
        let p = self.to_vec::<f64>()?;
        if p.iter().any(|&x| !(0.0..f64::INFINITY).contains(&x)) {
            return runtime("probability tensor contains either `inf`, `nan` or element < 0");
        }
        if p.chunks(categories)
            .any(|row| row.iter().all(|&x| x == 0.0))
        {
            return runtime("invalid multinomial distribution (sum of probabilities <= 0)");
        }
        let shape = self.shape();
        let q = Tensor::exponential(gen, shape, 1.0, self.dtype())?;
        let host = self.detach().to_device(super::Device::Cpu)?;
        let keys = super::no_grad(|| host.div(&q))?.to_vec::<f64>()?;
        let mut out = Vec::with_capacity(samples * p.len() / categories);
        for row in keys.chunks(categories) {
            let mut order: Vec<usize> = (0..categories).collect();
            // Largest first (a NaN from 0/0 above all, as topk and argmax
            // rank it), ties by index.
            order.sort_by(|&a, &b| row[b].total_cmp(&row[a]));
            out.extend(order[..samples].iter().map(|&i| i as i64));
        }
        Ok(out)
    }

    /// `torch.randint(low, high, size)`.
    pub fn randint(
        gen: &mut Generator,
        low: i64,
        high: i64,
        shape: &[usize],
        dtype: DType,
    ) -> Result<Tensor> {
        let n = numel(shape, dtype)?;
        let values = gen
            .randint(n, low, high)
            .map_err(|e| super::TensorError::Runtime(e.to_string()))?;
        Tensor::from_storage(CpuStorage::I64(values), shape)?.to_dtype_plain(dtype)
    }
}

//! Random tensors drawn from a [`Generator`] in PyTorch's order.

use super::dtype::DType;
use super::error::{runtime, Result};
use super::random::Generator;
use super::{CpuStorage, Tensor};

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
        return runtime(format!(
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
            _ => CpuStorage::F32(gen.uniform_f32(n, from as f32, to as f32)),
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
            _ => CpuStorage::F32(gen.normal_f32(n, mean, std)),
        };
        Tensor::from_storage(data, shape)
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

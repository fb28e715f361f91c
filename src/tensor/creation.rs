//! Tensor factories: zeros, ones, full, eye, arange, linspace.

use super::dtype::DType;
use super::error::{runtime, Result};
use super::{CpuStorage, Element, Scalar, Tensor};

impl Tensor {
    pub fn full(shape: &[usize], value: Scalar, dtype: DType) -> Result<Tensor> {
        value.check_fill(dtype, false)?;
        let n = checked_numel(shape, dtype)?;
        let data = crate::with_dtype!(dtype, T => T::wrap(vec![scalar_to::<T>(value); n]));
        Tensor::from_storage(data, shape)
    }

    /// `torch.tensor(data, dtype=...)` from its flattened numbers. An int
    /// dtype refuses a number out of its range, as PyTorch's Python-side
    /// unpacking does (its message names the dtype: `int32`).
    pub fn from_scalars(values: &[Scalar], shape: &[usize], dtype: DType) -> Result<Tensor> {
        if dtype.is_int() && values.iter().any(|s| s.overflows(dtype)) {
            let name = dtype.torch_name().trim_start_matches("torch.");
            return runtime(format!(
                "value cannot be converted to type {name} without overflow"
            ));
        }
        let data = crate::with_dtype!(dtype, T => T::wrap(values.iter().map(|&s| scalar_to::<T>(s)).collect()));
        Tensor::from_storage(data, shape)
    }

    pub fn zeros(shape: &[usize], dtype: DType) -> Result<Tensor> {
        Tensor::full(shape, Scalar::Int(0), dtype)
    }

    pub fn ones(shape: &[usize], dtype: DType) -> Result<Tensor> {
        Tensor::full(shape, Scalar::Int(1), dtype)
    }

    pub fn scalar_tensor(value: Scalar, dtype: DType) -> Result<Tensor> {
        Tensor::full(&[], value, dtype)
    }

    pub fn eye(n: usize, m: usize, dtype: DType) -> Result<Tensor> {
        let total = checked_numel(&[n, m], dtype)?;
        let data = crate::with_dtype!(dtype, T => {
            let mut v = vec![T::default(); total];
            for i in 0..n.min(m) {
                v[i * m + i] = T::from_i64(1);
            }
            T::wrap(v)
        });
        Tensor::from_storage(data, &[n, m])
    }

    /// `arange(start, end, step)`; the dtype follows the arguments as in PyTorch.
    pub fn arange(
        start: Scalar,
        end: Scalar,
        step: Scalar,
        dtype: Option<DType>,
    ) -> Result<Tensor> {
        let any_float = [start, end, step]
            .iter()
            .any(|s| matches!(s, Scalar::Float(_)));
        let dtype = dtype.unwrap_or(if any_float {
            DType::default_of(super::Kind::Float)
        } else {
            DType::I64
        });
        let (s, e, st) = (start.to_f64(), end.to_f64(), step.to_f64());
        if st == 0.0 {
            return runtime("step must be nonzero");
        }
        if !(s.is_finite() && e.is_finite()) {
            return runtime(format!("unsupported range: {s} -> {e}"));
        }
        if (st > 0.0 && e < s) || (st < 0.0 && e > s) {
            return runtime("upper bound and larger bound inconsistent with step sign");
        }
        let n = ((e - s) / st).ceil().max(0.0) as usize;
        super::check_alloc(n, dtype)?;
        let data = match (dtype, start, step) {
            (DType::I64, Scalar::Int(a), Scalar::Int(b)) => {
                CpuStorage::I64((0..n as i64).map(|i| a + i * b).collect())
            }
            _ => {
                crate::with_dtype!(dtype, T => T::wrap((0..n).map(|i| T::from_f64(s + i as f64 * st)).collect()))
            }
        };
        Tensor::from_storage(data, &[n])
    }

    /// `linspace(start, end, steps)`, computed as PyTorch does (from both ends).
    pub fn linspace(start: f64, end: f64, steps: usize, dtype: DType) -> Result<Tensor> {
        super::check_alloc(steps, dtype)?;
        let data = crate::with_dtype!(dtype, T => {
            let mut v = Vec::with_capacity(steps);
            if steps == 1 {
                v.push(T::from_f64(start));
            } else if steps > 1 {
                if T::DTYPE == DType::F32 {
                    let (a, b) = (start as f32, end as f32);
                    let step = (b - a) / (steps - 1) as f32;
                    let half = steps / 2;
                    for i in 0..steps {
                        let x = if i < half { a + step * i as f32 } else { b - step * (steps - i - 1) as f32 };
                        v.push(T::from_f64(x as f64));
                    }
                } else {
                    let step = (end - start) / (steps - 1) as f64;
                    let half = steps / 2;
                    for i in 0..steps {
                        let x = if i < half { start + step * i as f64 } else { end - step * (steps - i - 1) as f64 };
                        v.push(T::from_f64(x));
                    }
                }
            }
            T::wrap(v)
        });
        Tensor::from_storage(data, &[steps])
    }
}

fn checked_numel(shape: &[usize], dtype: DType) -> Result<usize> {
    let n = shape
        .iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .unwrap_or(usize::MAX);
    super::check_alloc(n, dtype)?;
    Ok(n)
}

pub(crate) fn scalar_to<T: Element>(s: Scalar) -> T {
    match s {
        Scalar::Bool(b) => T::from_bool(b),
        Scalar::Int(i) => T::from_i64(i),
        Scalar::Float(f) => T::from_f64(f),
    }
}

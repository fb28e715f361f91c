//! Python numbers as they enter tensor ops.

use super::dtype::{DType, Kind};
use super::error::{runtime, Result};

/// A Python `bool`, `int` or `float`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
}

impl Scalar {
    pub fn to_f64(self) -> f64 {
        match self {
            Scalar::Bool(b) => b as u8 as f64,
            Scalar::Int(i) => i as f64,
            Scalar::Float(f) => f,
        }
    }

    /// The dtype PyTorch gives a wrapped number of this kind.
    pub fn dtype(self) -> DType {
        match self {
            Scalar::Bool(_) => DType::Bool,
            Scalar::Int(_) => DType::I64,
            Scalar::Float(_) => DType::default_of(Kind::Float),
        }
    }

    /// Whether PyTorch's checked conversion refuses this number as `dtype`.
    /// An int past an unsigned type's range may still be negative down to
    /// `-max` (it wraps, two's complement); a float must truncate into an
    /// int type's range (NaN never does; `255.9` fits uint8, `-0.5` does
    /// not); float32 takes every double but the finite ones past its range.
    /// Bools and the other float types take anything.
    pub fn overflows(self, dtype: DType) -> bool {
        let Some((min, max)) = dtype.int_range().filter(|_| dtype.is_int()) else {
            return dtype == DType::F32
                && matches!(self, Scalar::Float(f) if f.is_finite() && f.abs() > f64::from(f32::MAX));
        };
        match self {
            Scalar::Bool(_) => false,
            Scalar::Int(i) if min == 0 => i > max || i < -max,
            Scalar::Int(i) => i < min || i > max,
            // The bounds as doubles, as c10 compares them.
            Scalar::Float(f) => !(f >= min as f64 && f < max as f64 + 1.0),
        }
    }

    /// `fill_(value)` / `torch.full`'s check, named by the C type PyTorch's
    /// `Scalar::to<T>` reports. `fill_` on float16 and bfloat16 (`halves`) also
    /// refuses a number float32 holds but they do not: the value goes through
    /// float32 first, so one past float32's range is already inf and passes
    /// (`full` lets any of them become inf).
    pub fn check_fill(self, dtype: DType, halves: bool) -> Result<()> {
        let past_half = halves
            && matches!(self, Scalar::Float(f) if {
                let single = f as f32;
                let max = match dtype {
                    DType::F16 => f32::from(half::f16::MAX),
                    DType::BF16 => f32::from(half::bf16::MAX),
                    _ => f32::INFINITY,
                };
                single.is_finite() && single.abs() > max
            });
        if !self.overflows(dtype) && !past_half {
            return Ok(());
        }
        let name = match dtype {
            DType::F16 => "c10::Half",
            DType::BF16 => "c10::BFloat16",
            DType::U8 => "uint8_t",
            DType::I8 => "int8_t",
            DType::I16 => "int16_t",
            DType::I32 => "int",
            DType::I64 => "int64_t",
            _ => "float",
        };
        runtime(format!(
            "value cannot be converted to type {name} without overflow"
        ))
    }
}

impl From<f64> for Scalar {
    fn from(v: f64) -> Self {
        Scalar::Float(v)
    }
}

impl From<i64> for Scalar {
    fn from(v: i64) -> Self {
        Scalar::Int(v)
    }
}

impl From<bool> for Scalar {
    fn from(v: bool) -> Self {
        Scalar::Bool(v)
    }
}

//! The Rust element types behind each dtype, and dispatch over them.

use half::{bf16, f16};

use super::dtype::DType;
use super::storage::CpuStorage;

/// A Rust type that stores the elements of one dtype.
pub trait Element: Copy + Send + Sync + PartialOrd + std::fmt::Debug + Default + 'static {
    const DTYPE: DType;
    fn to_f64(self) -> f64;
    fn from_f64(v: f64) -> Self;
    fn to_i64(self) -> i64;
    fn from_i64(v: i64) -> Self;
    fn to_bool(self) -> bool;
    fn from_bool(v: bool) -> Self;
    fn slice(s: &CpuStorage) -> &[Self];
    fn slice_mut(s: &mut CpuStorage) -> &mut [Self];
    fn wrap(v: Vec<Self>) -> CpuStorage;
}

macro_rules! element {
    ($t:ty, $variant:ident, $to_f64:expr, $from_f64:expr, $to_i64:expr, $from_i64:expr, $to_bool:expr, $from_bool:expr) => {
        impl Element for $t {
            const DTYPE: DType = DType::$variant;
            fn to_f64(self) -> f64 {
                $to_f64(self)
            }
            fn from_f64(v: f64) -> Self {
                $from_f64(v)
            }
            fn to_i64(self) -> i64 {
                $to_i64(self)
            }
            fn from_i64(v: i64) -> Self {
                $from_i64(v)
            }
            fn to_bool(self) -> bool {
                $to_bool(self)
            }
            fn from_bool(v: bool) -> Self {
                $from_bool(v)
            }
            fn slice(s: &CpuStorage) -> &[Self] {
                match s {
                    CpuStorage::$variant(v) => v,
                    // Callers dispatch on the storage's dtype first.
                    _ => unreachable!("storage dtype mismatch"),
                }
            }
            fn slice_mut(s: &mut CpuStorage) -> &mut [Self] {
                match s {
                    CpuStorage::$variant(v) => v,
                    _ => unreachable!("storage dtype mismatch"),
                }
            }
            fn wrap(v: Vec<Self>) -> CpuStorage {
                CpuStorage::$variant(v)
            }
        }
    };
}

element!(
    bool,
    Bool,
    |x: bool| x as u8 as f64,
    |v: f64| v != 0.0,
    |x: bool| x as i64,
    |v: i64| v != 0,
    |x: bool| x,
    |v: bool| v
);
element!(
    u8,
    U8,
    |x: u8| x as f64,
    |v: f64| float_to_i64(v) as u8,
    |x: u8| x as i64,
    |v: i64| v as u8,
    |x: u8| x != 0,
    |v: bool| v as u8
);
element!(
    i8,
    I8,
    |x: i8| x as f64,
    |v: f64| float_to_i32(v) as i8,
    |x: i8| x as i64,
    |v: i64| v as i8,
    |x: i8| x != 0,
    |v: bool| v as i8
);
element!(
    i16,
    I16,
    |x: i16| x as f64,
    |v: f64| float_to_i32(v) as i16,
    |x: i16| x as i64,
    |v: i64| v as i16,
    |x: i16| x != 0,
    |v: bool| v as i16
);
element!(
    i32,
    I32,
    |x: i32| x as f64,
    float_to_i32,
    |x: i32| x as i64,
    |v: i64| v as i32,
    |x: i32| x != 0,
    |v: bool| v as i32
);
element!(
    i64,
    I64,
    |x: i64| x as f64,
    float_to_i64,
    |x: i64| x,
    |v: i64| v,
    |x: i64| x != 0,
    |v: bool| v as i64
);
// c10::Half and c10::BFloat16 convert through float32: a double or an
// int64 is first rounded to float, then to the 16-bit type.
element!(
    f16,
    F16,
    |x: f16| f64::from(x.to_f32()),
    |v: f64| f16::from_f32(v as f32),
    |x: f16| float_to_i64(f64::from(x.to_f32())),
    |v: i64| f16::from_f32(v as f32),
    |x: f16| x.to_f32() != 0.0,
    |v: bool| f16::from_f32(f32::from(u8::from(v)))
);
element!(
    bf16,
    BF16,
    |x: bf16| f64::from(x.to_f32()),
    |v: f64| bf16::from_f32(v as f32),
    |x: bf16| float_to_i64(f64::from(x.to_f32())),
    |v: i64| bf16::from_f32(v as f32),
    |x: bf16| x.to_f32() != 0.0,
    |v: bool| bf16::from_f32(f32::from(u8::from(v)))
);
element!(
    f32,
    F32,
    |x: f32| x as f64,
    |v: f64| v as f32,
    |x: f32| x as i64,
    |v: i64| v as f32,
    |x: f32| x != 0.0,
    |v: bool| v as u8 as f32
);
element!(
    f64,
    F64,
    |x: f64| x,
    |v: f64| v,
    |x: f64| x as i64,
    |v: i64| v as f64,
    |x: f64| x != 0.0,
    |v: bool| v as u8 as f64
);

/// A float to int64 as x86-64's `cvttsd2si` truncates it (PyTorch's
/// `static_cast`): NaN and out-of-range values give `i64::MIN`.
pub fn float_to_i64(v: f64) -> i64 {
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&v) {
        v as i64
    } else {
        i64::MIN
    }
}

/// A float to a 32-bit int as `cvttss2si` truncates it; int8 and int16
/// take the low bits of this, as the compiled `static_cast` does.
pub fn float_to_i32(v: f64) -> i32 {
    if v > -2_147_483_649.0 && v < 2_147_483_648.0 {
        v as i32
    } else {
        i32::MIN
    }
}

/// Float element types, for ops that only exist on floats.
pub trait Float: Element + num_like::FloatOps + super::vecmath::VecMath {}
impl Float for f32 {}
impl Float for f64 {}

pub mod num_like {
    /// The float math the kernels need, implemented by f32 and f64 natively
    /// so that float32 results round exactly as PyTorch's do.
    pub trait FloatOps:
        Copy
        + std::ops::Add<Output = Self>
        + std::ops::Sub<Output = Self>
        + std::ops::Mul<Output = Self>
        + std::ops::Div<Output = Self>
        + std::ops::Neg<Output = Self>
    {
        fn exp(self) -> Self;
        fn ln(self) -> Self;
        fn ln_1p(self) -> Self;
        fn sqrt(self) -> Self;
        fn sin(self) -> Self;
        fn cos(self) -> Self;
        fn tanh(self) -> Self;
        fn abs(self) -> Self;
        fn powf(self, e: Self) -> Self;
        fn floor(self) -> Self;
        fn ceil(self) -> Self;
        fn trunc(self) -> Self;
        fn log10(self) -> Self;
        fn log2(self) -> Self;
        fn exp2(self) -> Self;
        fn round_ties_even(self) -> Self;
        fn is_nan(self) -> bool;
        fn max_f(self, o: Self) -> Self;
        fn min_f(self, o: Self) -> Self;
        fn zero() -> Self;
        fn one() -> Self;
        fn cast(v: f64) -> Self;
        fn infinity() -> Self;
        /// `self * a + b` rounded once, as a fused multiply-add.
        fn mul_add(self, a: Self, b: Self) -> Self;
    }

    macro_rules! float_ops {
        ($t:ty) => {
            impl FloatOps for $t {
                fn exp(self) -> Self {
                    <$t>::exp(self)
                }
                fn ln(self) -> Self {
                    <$t>::ln(self)
                }
                fn ln_1p(self) -> Self {
                    <$t>::ln_1p(self)
                }
                fn sqrt(self) -> Self {
                    <$t>::sqrt(self)
                }
                fn sin(self) -> Self {
                    <$t>::sin(self)
                }
                fn cos(self) -> Self {
                    <$t>::cos(self)
                }
                fn tanh(self) -> Self {
                    <$t>::tanh(self)
                }
                fn abs(self) -> Self {
                    <$t>::abs(self)
                }
                fn powf(self, e: Self) -> Self {
                    <$t>::powf(self, e)
                }
                fn floor(self) -> Self {
                    <$t>::floor(self)
                }
                fn ceil(self) -> Self {
                    <$t>::ceil(self)
                }
                fn log10(self) -> Self {
                    <$t>::log10(self)
                }
                fn log2(self) -> Self {
                    <$t>::log2(self)
                }
                fn exp2(self) -> Self {
                    <$t>::exp2(self)
                }
                fn trunc(self) -> Self {
                    <$t>::trunc(self)
                }
                fn round_ties_even(self) -> Self {
                    <$t>::round_ties_even(self)
                }
                fn is_nan(self) -> bool {
                    <$t>::is_nan(self)
                }
                fn max_f(self, o: Self) -> Self {
                    if self.is_nan() || o.is_nan() {
                        <$t>::NAN
                    } else {
                        <$t>::max(self, o)
                    }
                }
                fn min_f(self, o: Self) -> Self {
                    if self.is_nan() || o.is_nan() {
                        <$t>::NAN
                    } else {
                        <$t>::min(self, o)
                    }
                }
                fn zero() -> Self {
                    0.0
                }
                fn one() -> Self {
                    1.0
                }
                fn cast(v: f64) -> Self {
                    v as $t
                }
                fn infinity() -> Self {
                    <$t>::INFINITY
                }
                fn mul_add(self, a: Self, b: Self) -> Self {
                    <$t>::mul_add(self, a, b)
                }
            }
        };
    }
    float_ops!(f32);
    float_ops!(f64);
}

/// Runs `$body` with `$T` bound to the Rust type of `$dtype`.
#[macro_export]
macro_rules! with_dtype {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            $crate::tensor::DType::Bool => {
                type $T = bool;
                $body
            }
            $crate::tensor::DType::U8 => {
                type $T = u8;
                $body
            }
            $crate::tensor::DType::I8 => {
                type $T = i8;
                $body
            }
            $crate::tensor::DType::I16 => {
                type $T = i16;
                $body
            }
            $crate::tensor::DType::I32 => {
                type $T = i32;
                $body
            }
            $crate::tensor::DType::I64 => {
                type $T = i64;
                $body
            }
            $crate::tensor::DType::F16 => {
                type $T = half::f16;
                $body
            }
            $crate::tensor::DType::BF16 => {
                type $T = half::bf16;
                $body
            }
            $crate::tensor::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::tensor::DType::F64 => {
                type $T = f64;
                $body
            }
        }
    };
}

/// Like `with_dtype!` but only for float32 and float64 (float16 and bfloat16
/// compute through float32 where an op supports them); others run `$other`.
#[macro_export]
macro_rules! with_float {
    ($dtype:expr, $T:ident => $body:expr, $other:expr) => {
        match $dtype {
            $crate::tensor::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::tensor::DType::F64 => {
                type $T = f64;
                $body
            }
            _ => $other,
        }
    };
}

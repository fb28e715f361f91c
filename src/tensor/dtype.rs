//! Element types, PyTorch's type promotion, and the default float dtype.

use std::cell::Cell;
use std::fmt;

/// The element types nnlearn supports, ordered by promotion rank within
/// each kind (PyTorch's table is not a total order: see [`DType::promote`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DType {
    Bool,
    U8,
    I8,
    I16,
    I32,
    I64,
    F16,
    BF16,
    F32,
    F64,
}

/// PyTorch's type categories, used by `result_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Bool,
    Int,
    Float,
}

thread_local! {
    /// `torch.set_default_dtype`: per thread, as grad mode is, so that
    /// sessions on different threads do not see each other's setting.
    static DEFAULT_FLOAT: Cell<DType> = const { Cell::new(DType::F32) };
}

/// `torch.get_default_dtype()`.
pub fn default_float() -> DType {
    DEFAULT_FLOAT.with(Cell::get)
}

/// `torch.set_default_dtype(d)`; the caller has checked that `d` is a float.
pub fn set_default_float(d: DType) {
    DEFAULT_FLOAT.with(|c| c.set(d));
}

impl DType {
    /// Every dtype, for name lookups.
    pub const ALL: [DType; 10] = [
        DType::Bool,
        DType::U8,
        DType::I8,
        DType::I16,
        DType::I32,
        DType::I64,
        DType::F16,
        DType::BF16,
        DType::F32,
        DType::F64,
    ];

    pub fn kind(self) -> Kind {
        match self {
            DType::Bool => Kind::Bool,
            DType::U8 | DType::I8 | DType::I16 | DType::I32 | DType::I64 => Kind::Int,
            DType::F16 | DType::BF16 | DType::F32 | DType::F64 => Kind::Float,
        }
    }

    pub fn is_float(self) -> bool {
        self.kind() == Kind::Float
    }

    pub fn is_int(self) -> bool {
        self.kind() == Kind::Int
    }

    /// float16 and bfloat16, which PyTorch's CPU kernels compute in float32.
    pub fn is_reduced_float(self) -> bool {
        matches!(self, DType::F16 | DType::BF16)
    }

    /// The dtype nnlearn computes this one's arithmetic in: int64 for the
    /// narrow ints (wrapping int64 arithmetic leaves the same low bits) and
    /// float32 for float16/bfloat16 (as PyTorch's CPU kernels do, rounding
    /// each op's result back).
    pub fn wide(self) -> DType {
        match self {
            DType::U8 | DType::I8 | DType::I16 | DType::I32 => DType::I64,
            DType::F16 | DType::BF16 => DType::F32,
            other => other,
        }
    }

    /// The promoted type of two dtypes (`torch.promote_types`).
    pub fn promote(self, other: DType) -> DType {
        use DType::*;
        match (self.min(other), self.max(other)) {
            (a, b) if a == b => a,
            (Bool, b) => b,
            (U8, I8) => I16,
            (F16, BF16) => F32,
            (_, b) => b,
        }
    }

    /// PyTorch's name, as in `torch.float32`.
    pub fn torch_name(self) -> &'static str {
        match self {
            DType::Bool => "torch.bool",
            DType::U8 => "torch.uint8",
            DType::I8 => "torch.int8",
            DType::I16 => "torch.int16",
            DType::I32 => "torch.int32",
            DType::I64 => "torch.int64",
            DType::F16 => "torch.float16",
            DType::BF16 => "torch.bfloat16",
            DType::F32 => "torch.float32",
            DType::F64 => "torch.float64",
        }
    }

    /// The `torch.` attribute names of this dtype (`torch.int32`, `torch.int`).
    pub fn attr_names(self) -> &'static [&'static str] {
        match self {
            DType::Bool => &["bool"],
            DType::U8 => &["uint8"],
            DType::I8 => &["int8"],
            DType::I16 => &["int16", "short"],
            DType::I32 => &["int32", "int"],
            DType::I64 => &["int64", "long"],
            DType::F16 => &["float16", "half"],
            DType::BF16 => &["bfloat16"],
            DType::F32 => &["float32", "float"],
            DType::F64 => &["float64", "double"],
        }
    }

    /// The dtype `torch.NAME` names.
    pub fn from_attr(name: &str) -> Option<DType> {
        DType::ALL
            .into_iter()
            .find(|d| d.attr_names().contains(&name))
    }

    /// PyTorch's capitalised scalar type name used in messages (`Float`, `Long`).
    pub fn title(self) -> &'static str {
        match self {
            DType::Bool => "Bool",
            DType::U8 => "Byte",
            DType::I8 => "Char",
            DType::I16 => "Short",
            DType::I32 => "Int",
            DType::I64 => "Long",
            DType::F16 => "Half",
            DType::BF16 => "BFloat16",
            DType::F32 => "Float",
            DType::F64 => "Double",
        }
    }

    /// The legacy tensor type name (`t.type()`), e.g. `torch.LongTensor`.
    pub fn tensor_type_name(self) -> String {
        format!("torch.{}Tensor", self.title())
    }

    /// The C++ type name some of PyTorch's messages use (`long int`).
    pub fn c_name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::U8 => "unsigned char",
            DType::I8 => "signed char",
            DType::I16 => "short int",
            DType::I32 => "int",
            DType::I64 => "long int",
            DType::F16 => "c10::Half",
            DType::BF16 => "c10::BFloat16",
            DType::F32 => "float",
            DType::F64 => "double",
        }
    }

    /// The default dtype of a kind: the default float dtype, int64, bool.
    pub fn default_of(kind: Kind) -> DType {
        match kind {
            Kind::Bool => DType::Bool,
            Kind::Int => DType::I64,
            Kind::Float => default_float(),
        }
    }

    pub fn size_in_bytes(self) -> usize {
        match self {
            DType::Bool | DType::U8 | DType::I8 => 1,
            DType::I16 | DType::F16 | DType::BF16 => 2,
            DType::I32 | DType::F32 => 4,
            DType::I64 | DType::F64 => 8,
        }
    }

    /// The range of an integer dtype (`torch.iinfo`), bool as 0..=1.
    pub fn int_range(self) -> Option<(i64, i64)> {
        Some(match self {
            DType::Bool => (0, 1),
            DType::U8 => (0, u8::MAX.into()),
            DType::I8 => (i8::MIN.into(), i8::MAX.into()),
            DType::I16 => (i16::MIN.into(), i16::MAX.into()),
            DType::I32 => (i32::MIN.into(), i32::MAX.into()),
            DType::I64 => (i64::MIN, i64::MAX),
            _ => return None,
        })
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.torch_name())
    }
}

#[cfg(test)]
mod tests {
    use super::DType::*;

    #[test]
    fn promotion_follows_pytorch_table() {
        assert_eq!(U8.promote(I8), I16);
        assert_eq!(I8.promote(U8), I16);
        assert_eq!(U8.promote(I16), I16);
        assert_eq!(I32.promote(I64), I64);
        assert_eq!(F16.promote(BF16), F32);
        assert_eq!(BF16.promote(F64), F64);
        assert_eq!(I64.promote(F16), F16);
        assert_eq!(Bool.promote(U8), U8);
        assert_eq!(I32.promote(I32), I32);
    }
}

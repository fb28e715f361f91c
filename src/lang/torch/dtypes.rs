//! The dtype functions of `torch`: `iinfo`/`finfo`, `promote_types`,
//! `result_type`, `can_cast`, and the default dtype.

use std::any::Any;

use super::convert::{no_attr, operand, DTypeObj, PyResult};
use crate::lang::value::{Args, HostObject, Value};
use crate::lang::Exception;
use crate::tensor::{dtype, DType, Kind, Tensor};

/// The `torch.` functions this module answers.
pub const FUNCTIONS: &[&str] = &[
    "iinfo",
    "finfo",
    "promote_types",
    "result_type",
    "can_cast",
    "set_default_dtype",
    "get_default_dtype",
];

/// `torch.name(args)` for a name in [`FUNCTIONS`].
pub fn call(name: &str, args: &Args) -> PyResult<Value> {
    match name {
        "iinfo" => {
            let a = args.bind("iinfo", &["type"], 1)?;
            let d = dtype_arg(a[0].as_ref(), "iinfo", "type", 1)?;
            if d == DType::Bool {
                return Err(Exception::type_error(
                    "torch.bool is not supported by torch.iinfo",
                ));
            }
            if !d.is_int() {
                return Err(Exception::type_error(
                    "torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'",
                ));
            }
            Ok(Value::host(TypeInfo(d)))
        }
        "finfo" => {
            let a = args.bind("finfo", &["type"], 0)?;
            let d = match a[0].as_ref() {
                None => dtype::default_float(),
                given => dtype_arg(given, "finfo", "type", 1)?,
            };
            if !d.is_float() {
                return Err(Exception::type_error(
                    "torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'",
                ));
            }
            Ok(Value::host(TypeInfo(d)))
        }
        "promote_types" | "can_cast" => {
            let params = if name == "can_cast" {
                ["from_", "to"]
            } else {
                ["type1", "type2"]
            };
            let a = args.bind(name, &params, 2)?;
            let from = dtype_arg(a[0].as_ref(), name, params[0], 1)?;
            let to = dtype_arg(a[1].as_ref(), name, params[1], 2)?;
            Ok(if name == "can_cast" {
                Value::Bool(can_cast(from, to))
            } else {
                DTypeObj(from.promote(to)).value()
            })
        }
        "result_type" => {
            let a = args.bind("result_type", &["tensor", "other"], 2)?;
            let operands: Vec<Tensor> = a
                .iter()
                .map(|v| {
                    v.as_ref().and_then(operand).ok_or_else(|| {
                        Exception::type_error("result_type(): arguments must be Tensors or Numbers")
                    })
                })
                .collect::<PyResult<_>>()?;
            let refs: Vec<&Tensor> = operands.iter().collect();
            Ok(DTypeObj(crate::tensor::result_type(&refs)).value())
        }
        "set_default_dtype" => {
            let a = args.bind("set_default_dtype", &["d"], 1)?;
            let d = dtype_arg(a[0].as_ref(), name, "d", 1)?;
            if !d.is_float() {
                return Err(Exception::type_error(
                    "only floating-point types are supported as the default type",
                ));
            }
            dtype::set_default_float(d);
            Ok(Value::None)
        }
        _ => Ok(DTypeObj(dtype::default_float()).value()),
    }
}

/// `torch.can_cast`: PyTorch's `canCast`, which refuses only casts to a
/// lower kind (float to int, int to bool).
fn can_cast(from: DType, to: DType) -> bool {
    from.kind() <= to.kind()
}

fn dtype_arg(v: Option<&Value>, func: &str, param: &str, position: usize) -> PyResult<DType> {
    match v.and_then(|v| v.as_host::<DTypeObj>()) {
        Some(d) => Ok(d.0),
        None => Err(Exception::type_error(format!(
            "{func}(): argument '{param}' (position {position}) must be torch.dtype, not {}",
            v.map_or("NoneType".to_string(), |v| v.type_name())
        ))),
    }
}

/// `torch.iinfo(dtype)` / `torch.finfo(dtype)`.
struct TypeInfo(DType);

impl TypeInfo {
    fn is_float(&self) -> bool {
        self.0.kind() == Kind::Float
    }

    /// `(eps, max, tiny, resolution)` of a float dtype.
    fn float_limits(&self) -> (f64, f64, f64, f64) {
        match self.0 {
            DType::F16 => (
                f64::from(half::f16::EPSILON),
                f64::from(half::f16::MAX),
                f64::from(half::f16::MIN_POSITIVE),
                0.001,
            ),
            DType::BF16 => (
                f64::from(half::bf16::EPSILON),
                f64::from(half::bf16::MAX),
                f64::from(half::bf16::MIN_POSITIVE),
                0.01,
            ),
            DType::F32 => (
                f64::from(f32::EPSILON),
                f64::from(f32::MAX),
                f64::from(f32::MIN_POSITIVE),
                1e-6,
            ),
            _ => (f64::EPSILON, f64::MAX, f64::MIN_POSITIVE, 1e-15),
        }
    }

    fn short_name(&self) -> &'static str {
        self.0.torch_name().trim_start_matches("torch.")
    }
}

use crate::tensor::error::cpp_number as g;

impl HostObject for TypeInfo {
    fn type_name(&self) -> String {
        if self.is_float() { "finfo" } else { "iinfo" }.into()
    }
    fn qualified_type_name(&self) -> String {
        format!("torch.{}", self.type_name())
    }
    fn repr(&self) -> String {
        if let Some((min, max)) = self.0.int_range() {
            return format!(
                "iinfo(min={}, max={}, dtype={})",
                g(min as f64),
                g(max as f64),
                self.short_name()
            );
        }
        let (eps, max, tiny, resolution) = self.float_limits();
        format!(
            "finfo(resolution={}, min={}, max={}, eps={}, smallest_normal={}, tiny={}, dtype={})",
            g(resolution),
            g(-max),
            g(max),
            g(eps),
            g(tiny),
            g(tiny),
            self.short_name()
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> PyResult<Value> {
        let bits = Value::Int(8 * self.0.size_in_bytes() as i64);
        let dtype = Value::str(self.short_name());
        if let Some((min, max)) = self.0.int_range() {
            return match name {
                "bits" => Ok(bits),
                "min" => Ok(Value::Int(min)),
                "max" => Ok(Value::Int(max)),
                "dtype" => Ok(dtype),
                _ => Err(no_attr("torch.iinfo", name)),
            };
        }
        let (eps, max, tiny, resolution) = self.float_limits();
        Ok(match name {
            "bits" => bits,
            "eps" => Value::Float(eps),
            "max" => Value::Float(max),
            "min" => Value::Float(-max),
            "tiny" | "smallest_normal" => Value::Float(tiny),
            "resolution" => Value::Float(resolution),
            "dtype" => dtype,
            _ => return Err(no_attr("torch.finfo", name)),
        })
    }
}

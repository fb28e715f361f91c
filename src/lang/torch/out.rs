//! `out=` on the `torch.` functions that have it in PyTorch: the result is
//! written into the given tensor (same shape; nnlearn does not resize it)
//! and that tensor is returned.

use super::convert::{as_tensor, expect_tensor, opt_dtype, raise, tensor_value, PyResult};
use crate::lang::value::{Args, Value};
use crate::lang::Exception;
use crate::tensor::layout::shape_list;
use crate::tensor::{DType, Kind};

/// `torch.` functions without an `out=` parameter in PyTorch.
const WITHOUT_OUT: &[&str] = &[
    "tensor",
    "as_tensor",
    "zeros_like",
    "ones_like",
    "full_like",
    "rand_like",
    "randn_like",
    "empty_like",
    "is_tensor",
    "numel",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "is_grad_enabled",
    "set_default_device",
    "reshape",
    "flatten",
    "squeeze",
    "unsqueeze",
    "transpose",
    "permute",
    "t",
    "chunk",
    "split",
    "unbind",
    "narrow",
    "select",
    "detach",
    "clone",
    "masked_fill",
    "equal",
    "allclose",
    "isclose",
    "isnan",
    "isinf",
    "isfinite",
    "is_floating_point",
    "is_signed",
];

/// Factories and sums make their result in `out`'s dtype
/// (`torch.zeros(2, out=t)`, `torch.sum(x, 0, out=t)`).
const IN_OUT_DTYPE: &[&str] = &[
    "zeros", "ones", "empty", "full", "rand", "randn", "randint", "randperm", "arange", "linspace",
    "eye", "normal", "sum", "prod", "cumsum",
];

/// Products whose `out` must have the result's dtype exactly.
const SAME_DTYPE: &[&str] = &["matmul", "mm", "mv", "bmm", "dot"];

/// Removes `out=` from `args`, checking that `name` takes it and that no
/// argument needs autograd (PyTorch refuses `out=` then). Factories and
/// sums get `out`'s dtype as their `dtype=`.
pub fn take(name: &str, args: &mut Args, extra_names: &[&[&str]]) -> PyResult<Option<Value>> {
    let Some(i) = args.keywords.iter().position(|(k, _)| k == "out") else {
        return Ok(None);
    };
    let refused = WITHOUT_OUT.contains(&name) || extra_names.iter().any(|l| l.contains(&name));
    if refused {
        return Err(Exception::type_error(format!(
            "{name}() got an unexpected keyword argument 'out'"
        )));
    }
    let out = args.keywords.remove(i).1;
    let out_t = expect_tensor(&out, "out")?;
    let needs_grad = args
        .positional
        .iter()
        .chain(args.keywords.iter().map(|(_, v)| v))
        .filter_map(as_tensor)
        .chain([out_t.clone()])
        .any(|t| t.requires_grad());
    if needs_grad && crate::tensor::is_grad_enabled() {
        return Err(Exception::runtime_error(format!(
            "{name}(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad."
        )));
    }
    if IN_OUT_DTYPE.contains(&name)
        && opt_dtype(
            args.keywords
                .iter()
                .find(|(k, _)| k == "dtype")
                .map(|(_, v)| v),
        )?
        .is_none()
    {
        args.keywords.push((
            "dtype".into(),
            super::convert::DTypeObj(out_t.dtype()).value(),
        ));
    }
    Ok(Some(out))
}

/// Whether PyTorch casts a result of `from` into an `out` of `to`
/// (`canCast`: never to a lower kind).
fn can_cast(from: DType, to: DType) -> bool {
    from.kind() <= to.kind() || (from.kind() == Kind::Bool)
}

/// Writes `result` into `out` and returns `out`.
pub fn write(name: &str, result: Value, out: &Value) -> PyResult<Value> {
    let out_t = expect_tensor(out, "out")?;
    let r = as_tensor(&result).ok_or_else(|| {
        Exception::type_error(format!(
            "{name}(): nnlearn supports out= only for one tensor result"
        ))
    })?;
    if SAME_DTYPE.contains(&name) && r.dtype() != out_t.dtype() {
        return Err(Exception::runtime_error(format!(
            "Expected out tensor to have dtype {}, but got {} instead",
            r.dtype().c_name(),
            out_t.dtype().c_name()
        )));
    }
    if !can_cast(r.dtype(), out_t.dtype()) {
        return Err(Exception::runtime_error(format!(
            "result type {} can't be cast to the desired output type {}",
            r.dtype().title(),
            out_t.dtype().title()
        )));
    }
    if r.shape() != out_t.shape() {
        return Err(Exception::runtime_error(format!(
            "nnlearn cannot resize out= from shape {} to the result's shape {}; pass a tensor of that shape",
            shape_list(out_t.shape()),
            shape_list(r.shape())
        )));
    }
    crate::tensor::no_grad(|| out_t.copy_(&r)).map_err(raise)?;
    Ok(tensor_value(out_t))
}

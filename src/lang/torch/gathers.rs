//! `index_select`, `gather`, `scatter` (and `_add`, in place or not) as
//! tensor methods and `torch.` functions, and `F.one_hot`.

use super::convert::{
    as_scalar, as_tensor, expect_tensor, ok_tensor, raise, tensor_value, to_i64, PyResult,
};
use crate::lang::value::{Args, Value};
use crate::lang::Exception;
use crate::tensor::gather::ScatterSrc;
use crate::tensor::Tensor;

/// The methods this module answers.
pub const METHODS: &[&str] = &[
    "index_select",
    "gather",
    "scatter",
    "scatter_",
    "scatter_add",
    "scatter_add_",
];

fn dim_and_index(a: &[Option<Value>], name: &str) -> PyResult<(i64, Tensor)> {
    let dim = to_i64(a[0].as_ref().unwrap_or(&Value::None), "dim")?;
    let index = a[1].as_ref().and_then(as_tensor).ok_or_else(|| {
        Exception::type_error(format!(
            "{name}(): argument 'index' (position 2) must be Tensor, not {}",
            a[1].as_ref().map_or("NoneType".into(), |v| v.type_name())
        ))
    })?;
    Ok((dim, index))
}

/// `x.name(*args)` for a name in [`METHODS`].
pub fn call(x: &Tensor, name: &str, args: &Args) -> PyResult<Value> {
    match name {
        "index_select" | "gather" => {
            let a = args.bind(name, &["dim", "index"], 2)?;
            let (dim, index) = dim_and_index(&a, name)?;
            ok_tensor(if name == "gather" {
                x.gather(dim, &index)
            } else {
                x.index_select(dim, &index)
            })
        }
        _ => {
            let a = args.bind(name, &["dim", "index", "src", "value", "reduce"], 3)?;
            let (dim, index) = dim_and_index(&a, name)?;
            if a[4].is_some() {
                return Err(Exception::runtime_error(
                    "nnlearn's scatter has no reduce=; use scatter_add for sums",
                ));
            }
            let given = a[2].as_ref().or(a[3].as_ref()).unwrap_or(&Value::None);
            let src = match (as_tensor(given), as_scalar(given)) {
                (Some(t), _) => ScatterSrc::Tensor(t),
                (None, Some(s)) if !name.starts_with("scatter_add") => ScatterSrc::Value(s),
                _ => {
                    return Err(Exception::type_error(format!(
                        "{}(): argument 'src' (position 3) must be Tensor, not {}",
                        name.trim_end_matches('_'),
                        given.type_name()
                    )))
                }
            };
            let add = name.starts_with("scatter_add");
            if name.ends_with('_') {
                super::methods::check_inplace(x)?;
                x.scatter_(dim, &index, &src, add).map_err(raise)?;
                Ok(tensor_value(x.clone()))
            } else {
                ok_tensor(x.scatter(dim, &index, &src, add))
            }
        }
    }
}

/// `F.one_hot(tensor, num_classes=-1)`.
pub fn one_hot(args: &Args) -> PyResult<Value> {
    let a = args.bind("one_hot", &["tensor", "num_classes"], 1)?;
    let t = expect_tensor(a[0].as_ref().unwrap_or(&Value::None), "one_hot")?;
    let n = a[1].as_ref().map_or(Ok(-1), |v| to_i64(v, "num_classes"))?;
    ok_tensor(t.one_hot(n))
}

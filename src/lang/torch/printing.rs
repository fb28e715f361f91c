//! `torch.set_printoptions`.

use super::convert::{to_bool, to_f64, to_i64, PyResult};
use crate::lang::value::{Args, Value};
use crate::lang::Exception;
use crate::tensor::format::{print_options, set_print_options, PrintOptions};

pub const FUNCTIONS: &[&str] = &["set_printoptions"];

fn count(v: &Value, what: &str) -> PyResult<usize> {
    usize::try_from(to_i64(v, what)?)
        .map_err(|_| Exception::value_error(format!("{what} must be non-negative")))
}

pub fn call(name: &str, args: &Args) -> PyResult<Value> {
    let params = [
        "precision",
        "threshold",
        "edgeitems",
        "linewidth",
        "profile",
        "sci_mode",
    ];
    let a = args.bind(name, &params, 0)?;
    let given = |i: usize| a[i].as_ref().filter(|v| !matches!(v, Value::None));
    let mut o = print_options();
    match given(4) {
        Some(Value::Str(p)) if &**p == "default" => o = PrintOptions::default(),
        Some(Value::Str(p)) if &**p == "short" => {
            o = PrintOptions {
                precision: 2,
                edgeitems: 2,
                ..PrintOptions::default()
            }
        }
        Some(Value::Str(p)) if &**p == "full" => {
            o = PrintOptions {
                threshold: f64::INFINITY,
                ..PrintOptions::default()
            }
        }
        _ => {}
    }
    if let Some(v) = given(0) {
        o.precision = count(v, "precision")?;
    }
    if let Some(v) = given(1) {
        o.threshold = to_f64(v, "threshold")?;
    }
    if let Some(v) = given(2) {
        o.edgeitems = count(v, "edgeitems")?;
    }
    if let Some(v) = given(3) {
        o.linewidth = count(v, "linewidth")?;
    }
    // As in PyTorch, leaving sci_mode out resets it to automatic.
    o.sci_mode = given(5).map(to_bool).transpose()?;
    set_print_options(o);
    Ok(Value::None)
}

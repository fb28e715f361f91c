//! `torch.autograd.gradcheck`: PyTorch's slow mode. Central finite differences of each
//! output against each input that requires grad, one element at a time, compared with
//! `allclose` to the Jacobian rows that backward computes for one-hot output gradients.

use std::sync::{Arc, LazyLock};

use indexmap::IndexMap;

use super::autograd_fn::with_python_backward;
use super::convert::{as_tensor, raise, to_bool, to_f64, PyResult};
use crate::lang::object::{builtin_class, object_class, Class};
use crate::lang::value::{Args, Value};
use crate::lang::{Exception, Interp};
use crate::tensor::autograd::grad_with;
use crate::tensor::{no_grad, Scalar, Tensor, TensorIndex};

/// `torch.autograd.gradcheck.GradcheckError`, a `RuntimeError`.
static GRADCHECK_ERROR: LazyLock<Arc<Class>> = LazyLock::new(|| {
    let base = builtin_class("RuntimeError").unwrap_or_else(object_class);
    match Class::new(
        "GradcheckError",
        "GradcheckError",
        "torch.autograd.gradcheck",
        vec![base],
        IndexMap::new(),
    ) {
        Ok(c) => c,
        Err(_) => unreachable!("single inheritance has an MRO"),
    }
});

pub fn gradcheck(interp: &mut Interp<'_>, args: Args) -> PyResult<Value> {
    let a = args.bind(
        "gradcheck",
        &[
            "func",
            "inputs",
            "eps",
            "atol",
            "rtol",
            "raise_exception",
            "nondet_tol",
            "check_undefined_grad",
            "check_grad_dtypes",
            "check_batched_grad",
            "check_batched_forward_grad",
            "check_forward_ad",
            "check_backward_ad",
            "fast_mode",
            "masked",
        ],
        2,
    )?;
    let func = a[0].clone().unwrap_or(Value::None);
    let given = a[1].clone().unwrap_or(Value::None);
    let inputs = match (&given, as_tensor(&given)) {
        (_, Some(_)) => vec![given.clone()],
        (Value::Tuple(_) | Value::List(_), _) => interp.collect(&given)?,
        _ => vec![given.clone()],
    };
    let number = |i: usize, default: f64| match a[i].as_ref() {
        None | Some(Value::None) => Ok(default),
        Some(v) => to_f64(v, "gradcheck"),
    };
    let tol = Tolerance {
        eps: number(2, 1e-6)?,
        atol: number(3, 1e-5)?,
        rtol: number(4, 1e-3)?,
    };
    let raise_exception = a[5].as_ref().map_or(Ok(true), to_bool)?;
    match check(interp, &func, &inputs, &tol)? {
        None => Ok(Value::Bool(true)),
        Some(_) if !raise_exception => Ok(Value::Bool(false)),
        Some(message) => {
            let error =
                interp.instantiate(&GRADCHECK_ERROR, Args::new(vec![Value::str(message)]))?;
            Err(interp.raised(error)?)
        }
    }
}

struct Tolerance {
    eps: f64,
    atol: f64,
    rtol: f64,
}

fn float(v: f64) -> Tensor {
    Tensor::wrapped_scalar(Scalar::Float(v))
}

/// `func(*inputs)` as a tuple.
fn outputs(interp: &mut Interp<'_>, func: &Value, inputs: &[Value]) -> PyResult<Vec<Value>> {
    let out = interp.call(func, Args::new(inputs.to_vec()))?;
    match &out {
        Value::Tuple(_) | Value::List(_) => interp.collect(&out),
        _ => Ok(vec![out]),
    }
}

fn tensors(values: &[Value]) -> Vec<Tensor> {
    values.iter().filter_map(as_tensor).collect()
}

/// Row-major coordinates of element `flat` of `shape`.
fn coordinates(shape: &[usize], mut flat: usize) -> Vec<TensorIndex> {
    let mut out = vec![TensorIndex::Int(0); shape.len()];
    for (d, &n) in shape.iter().enumerate().rev() {
        out[d] = TensorIndex::Int((flat % n.max(1)) as i64);
        flat /= n.max(1);
    }
    out
}

/// `numerical[k][j]`: the (input j numel × output k numel) finite-difference Jacobian.
fn numerical(
    interp: &mut Interp<'_>,
    func: &Value,
    inputs: &[Value],
    diff: &[Tensor],
    n_outputs: &[Tensor],
    eps: f64,
) -> PyResult<Vec<Vec<Tensor>>> {
    let mut columns: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); diff.len()]; n_outputs.len()];
    for (j, x) in diff.iter().enumerate() {
        let data = x.detach();
        for flat in 0..x.numel() {
            let entry = data.index(&coordinates(x.shape(), flat)).map_err(raise)?;
            let orig = entry.clone_tensor().map_err(raise)?;
            let run = |interp: &mut Interp<'_>, value: Tensor| -> PyResult<Vec<Tensor>> {
                no_grad(|| entry.copy_(&value)).map_err(raise)?;
                let outs = tensors(&outputs(interp, func, inputs)?);
                outs.iter()
                    .map(|t| t.clone_tensor().map_err(raise))
                    .collect()
            };
            let before = run(interp, orig.sub(&float(eps)).map_err(raise)?)?;
            let after = run(interp, orig.add(&float(eps)).map_err(raise)?)?;
            no_grad(|| entry.copy_(&orig)).map_err(raise)?;
            for (k, (a, b)) in before.iter().zip(&after).take(n_outputs.len()).enumerate() {
                let col = b.sub(a).and_then(|d| d.div(&float(2.0 * eps)));
                columns[k][j].extend(col.and_then(|c| c.to_vec::<f64>()).map_err(raise)?);
            }
        }
    }
    let mut out = Vec::new();
    for (k, o) in n_outputs.iter().enumerate() {
        let mut per_input = Vec::new();
        for (j, x) in diff.iter().enumerate() {
            let values = std::mem::take(&mut columns[k][j]);
            let jac = Tensor::from_vec(values, &[x.numel(), o.numel()])
                .and_then(|t| t.to_dtype(o.dtype()))
                .map_err(raise)?;
            per_input.push(jac);
        }
        out.push(per_input);
    }
    Ok(out)
}

/// The backward Jacobians of `output` (one per input, input numel × output numel), or the
/// gradcheck failure message.
fn analytical(
    interp: &mut Interp<'_>,
    output: &Tensor,
    diff: &[Tensor],
) -> PyResult<Result<Vec<Tensor>, String>> {
    let n_out = output.numel();
    let mut columns: Vec<Vec<f64>> = diff.iter().map(|x| vec![0.0; x.numel() * n_out]).collect();
    for row in 0..n_out {
        let mut one_hot = vec![0.0; n_out];
        one_hot[row] = 1.0;
        let seed = Tensor::from_vec(one_hot, output.shape())
            .and_then(|t| t.to_dtype(output.dtype()))
            .map_err(raise)?;
        let grads = with_python_backward(interp, |custom| {
            grad_with(output, diff, Some(&seed), true, true, custom)
        })?;
        for ((g, x), col) in grads.iter().zip(diff).zip(columns.iter_mut()) {
            let Some(g) = g else { continue };
            if g.shape() != x.shape() {
                return Ok(Err("Analytical gradient has incorrect size".into()));
            }
            let values = g
                .to_dtype(x.dtype())
                .and_then(|g| g.to_vec::<f64>())
                .map_err(raise)?;
            for (i, v) in values.into_iter().enumerate() {
                col[i * n_out + row] = v;
            }
        }
    }
    let mut out = Vec::new();
    for (x, values) in diff.iter().zip(columns) {
        let jac = Tensor::from_vec(values, &[x.numel(), n_out])
            .and_then(|t| t.to_dtype(x.dtype()))
            .map_err(raise)?;
        out.push(jac);
    }
    Ok(Ok(out))
}

fn allclose(a: &Tensor, b: &Tensor, tol: &Tolerance) -> crate::tensor::Result<bool> {
    let dtype = a.dtype().promote(b.dtype());
    let close = a
        .to_dtype(dtype)?
        .isclose(&b.to_dtype(dtype)?, tol.rtol, tol.atol, false)?;
    Ok(close.to_vec::<bool>()?.into_iter().all(|c| c))
}

/// Runs the checks; `Some(message)` is a failure.
fn check(
    interp: &mut Interp<'_>,
    func: &Value,
    inputs: &[Value],
    tol: &Tolerance,
) -> PyResult<Option<String>> {
    let diff: Vec<Tensor> = tensors(inputs)
        .into_iter()
        .filter(Tensor::requires_grad)
        .collect();
    if diff.is_empty() {
        return Err(Exception::value_error("gradcheck expects at least one input tensor to require gradient, but none of them have requires_grad=True."));
    }
    let func_out = tensors(&outputs(interp, func, inputs)?);
    let outs: Vec<Tensor> = func_out
        .iter()
        .filter(|t| t.requires_grad())
        .cloned()
        .collect();
    if outs.is_empty() {
        let floats: Vec<Tensor> = func_out
            .into_iter()
            .filter(|t| t.dtype().is_float())
            .collect();
        let jacobians = numerical(interp, func, inputs, &diff, &floats, tol.eps)?;
        for jac in jacobians.iter().flatten() {
            if jac
                .to_vec::<f64>()
                .map_err(raise)?
                .iter()
                .any(|&v| v != 0.0)
            {
                return Ok(Some(
                    "Numerical gradient for function expected to be zero".into(),
                ));
            }
        }
        return Ok(None);
    }
    let numeric = numerical(interp, func, inputs, &diff, &outs, tol.eps)?;
    for (i, (o, numeric)) in outs.iter().zip(&numeric).enumerate() {
        let analytic = match analytical(interp, o, &diff)? {
            Ok(a) => a,
            Err(message) => return Ok(Some(message)),
        };
        for (j, (a, n)) in analytic.iter().zip(numeric).enumerate() {
            if !allclose(a, n, tol).map_err(raise)? {
                return Ok(Some(format!(
                    "Jacobian mismatch for output {i} with respect to input {j},\nnumerical:{}\nanalytical:{}\n",
                    n.repr().map_err(raise)?,
                    a.repr().map_err(raise)?
                )));
            }
        }
    }
    backward_scales_with_grad_output(interp, &outs, &diff)
}

/// PyTorch's `_test_backward_mul_by_grad_output`: zero output gradients give zero input
/// gradients of the inputs' dtype and shape.
fn backward_scales_with_grad_output(
    interp: &mut Interp<'_>,
    outs: &[Tensor],
    diff: &[Tensor],
) -> PyResult<Option<String>> {
    for o in outs {
        let zeros = Tensor::zeros(o.shape(), o.dtype()).map_err(raise)?;
        let grads = with_python_backward(interp, |custom| {
            grad_with(o, diff, Some(&zeros), false, true, custom)
        })?;
        for (g, x) in grads.iter().zip(diff) {
            let Some(g) = g else { continue };
            let problem = if g.to_vec::<f64>().map_err(raise)?.iter().any(|&v| v != 0.0) {
                "backward not multiplied by grad_output"
            } else if g.dtype() != x.dtype() {
                "grad is incorrect type"
            } else if g.shape() != x.shape() {
                "grad is incorrect size"
            } else {
                continue;
            };
            return Ok(Some(problem.into()));
        }
    }
    Ok(None)
}

//! Nodes whose backward is not ours: `torch.autograd.Function` subclasses. The tensor layer
//! records them and checks what their backward returns (as PyTorch's engine does); the
//! caller of `backward` / `grad` supplies the function that computes the gradients.

use std::any::Any;
use std::collections::HashSet;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, LazyLock, Mutex};

use super::Op;
use crate::tensor::error::{runtime, Result};
use crate::tensor::layout::shape_list;
use crate::tensor::Tensor;

/// A recorded custom op.
pub struct CustomNode {
    /// The `grad_fn` name, e.g. `MyFnBackward` (see [`intern`]).
    pub name: &'static str,
    /// The tensor inputs, in the order the gradients come back.
    pub inputs: Vec<Tensor>,
    /// Whatever the caller's backward needs (the Python `ctx`).
    pub payload: Arc<dyn Any + Send + Sync>,
    /// Set when a backward without `retain_graph` frees the graph: saved tensors are gone.
    pub released: Arc<AtomicBool>,
}

/// Computes a custom node's input gradients from its output gradient.
pub type CustomBackward<'a> = dyn FnMut(&CustomNode, &Tensor) -> Result<Vec<Option<Tensor>>> + 'a;

/// A backward for walks whose caller has no custom functions to run.
pub(crate) fn no_custom_backward(node: &CustomNode, _: &Tensor) -> Result<Vec<Option<Tensor>>> {
    runtime(format!(
        "{} can only be differentiated from Python code",
        node.name
    ))
}

static NAMES: LazyLock<Mutex<HashSet<&'static str>>> = LazyLock::new(Default::default);

/// A node name that lives as long as the process: each distinct name is stored once, so
/// recording a custom op per call does not grow memory.
pub fn intern(name: &str) -> &'static str {
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = names.get(name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// PyTorch's `validate_outputs` for a custom backward: one gradient per input; one with
/// extra leading or broadcast dims is summed down to the input's shape, any other shape
/// is an error; the gradient takes the input's dtype.
pub(crate) fn validate(
    node: &CustomNode,
    grads: Vec<Option<Tensor>>,
) -> Result<Vec<Option<Tensor>>> {
    if grads.len() != node.inputs.len() {
        return runtime(format!(
            "invalid number of gradients - expected {}, but got {}",
            node.inputs.len(),
            grads.len()
        ));
    }
    let mut out = Vec::with_capacity(grads.len());
    for (i, (grad, input)) in grads.into_iter().zip(&node.inputs).enumerate() {
        let Some(mut g) = grad else {
            out.push(None);
            continue;
        };
        if g.shape() != input.shape() {
            if !expandable(input.shape(), g.shape()) {
                return runtime(format!(
                    "Function {} returned an invalid gradient at index {i} - got {} but expected shape compatible with {}",
                    node.name,
                    shape_list(g.shape()),
                    shape_list(input.shape())
                ));
            }
            g = g.sum_to(input.shape())?;
        }
        if g.dtype() != input.dtype() {
            g = g.to_dtype(input.dtype())?;
        }
        out.push(Some(g));
    }
    Ok(out)
}

/// Whether `shape` broadcasts to `target` (`is_expandable_to`).
fn expandable(shape: &[usize], target: &[usize]) -> bool {
    shape.len() <= target.len()
        && shape
            .iter()
            .rev()
            .zip(target.iter().rev())
            .all(|(&s, &t)| s == t || s == 1)
}

impl Tensor {
    /// `Function.apply`'s result: `output`'s data as a new tensor made by `node`, recorded
    /// only when grad mode is on and one of the node's inputs requires grad.
    pub fn from_custom(output: &Tensor, node: CustomNode) -> Tensor {
        let inputs: Vec<Tensor> = node.inputs.clone();
        let refs: Vec<&Tensor> = inputs.iter().collect();
        let recorded = super::record(&refs, || Op::Custom(Arc::new(node)));
        Tensor::build(
            output.0.storage.clone(),
            output.0.layout.clone(),
            output.0.dtype,
            recorded,
        )
    }

    /// The custom node that made this tensor, if one did.
    pub fn custom_node(&self) -> Option<&CustomNode> {
        match self.node().map(|n| &n.op) {
            Some(Op::Custom(c)) => Some(c),
            _ => None,
        }
    }
}

//! The backward pass: a topological walk from the output, accumulating
//! gradients per node and into the leaves' `.grad`.

use std::collections::HashMap;
use std::sync::Arc;

use super::formulas;
use super::total::{Grad, Total};
use super::{GradGuard, Node};
use crate::tensor::error::{runtime, Result};
use crate::tensor::Tensor;

/// Gradients gathered by one backward walk.
#[derive(Default)]
struct Walk {
    by_node: HashMap<*const Node, Total>,
    by_leaf: HashMap<usize, (Tensor, Total)>,
    retained: HashMap<usize, (Tensor, Total)>,
    /// Totals reaching the nodes `autograd.grad` asked for.
    captured: HashMap<*const Node, Tensor>,
}

/// Adds `g` into the total at `key`, starting it if there is none.
fn accumulate<K: std::hash::Hash + Eq>(
    totals: &mut HashMap<K, Total>,
    key: K,
    g: Grad,
) -> Result<()> {
    match totals.get_mut(&key) {
        Some(total) => total.add(g),
        None => {
            totals.insert(key, Total::new(g)?);
            Ok(())
        }
    }
}

/// [`accumulate`] for totals kept with their tensor.
fn accumulate_for(totals: &mut HashMap<usize, (Tensor, Total)>, t: &Tensor, g: Grad) -> Result<()> {
    match totals.get_mut(&t.id()) {
        Some((_, total)) => total.add(g),
        None => {
            totals.insert(t.id(), (t.clone(), Total::new(g)?));
            Ok(())
        }
    }
}

/// Nodes reachable from `root`, each after every node that feeds into it.
fn topo_order(root: &Arc<Node>) -> Vec<Arc<Node>> {
    let mut order = Vec::new();
    let mut seen: std::collections::HashSet<*const Node> = Default::default();
    // Iterative DFS: (node, children pushed yet?)
    let mut stack = vec![(root.clone(), false)];
    while let Some((node, expanded)) = stack.pop() {
        let key = Arc::as_ptr(&node);
        if expanded {
            order.push(node);
            continue;
        }
        if !seen.insert(key) {
            continue;
        }
        stack.push((node.clone(), true));
        for input in node.op.inputs() {
            if let Some(child) = input.node() {
                if !seen.contains(&Arc::as_ptr(child)) {
                    stack.push((child.clone(), false));
                }
            }
        }
    }
    order.reverse();
    order
}

fn run(root: &Tensor, seed: Tensor, retain_graph: bool, capture: &[*const Node]) -> Result<Walk> {
    let _no_grad = GradGuard::new(false);
    let mut walk = Walk::default();
    let Some(root_node) = root.node() else {
        // A leaf: its gradient is the seed itself.
        accumulate_for(&mut walk.by_leaf, root, Grad::Whole(seed))?;
        return Ok(walk);
    };
    if root.retains_grad() {
        accumulate_for(&mut walk.retained, root, Grad::Whole(seed.clone()))?;
    }
    walk.by_node
        .insert(Arc::as_ptr(root_node), Total::new(Grad::Whole(seed))?);
    let order = topo_order(root_node);
    for node in &order {
        node.check_alive()?;
    }
    for node in &order {
        let key = Arc::as_ptr(node);
        let Some(total) = walk.by_node.remove(&key) else {
            continue;
        };
        let g = total.sum;
        if capture.contains(&key) {
            walk.captured.insert(key, g.clone());
        }
        let inputs = node.op.inputs();
        let needs: Vec<bool> = inputs.iter().map(|t| t.requires_grad()).collect();
        let grads: Vec<Option<Grad>> = match formulas::region(&node.op) {
            Some(items) => vec![Some(Grad::Region {
                shape: inputs[0].shape().to_vec(),
                items,
                values: g,
            })],
            None => formulas::backward(&node.op, &g, &needs)?
                .into_iter()
                .map(|g| g.map(Grad::Whole))
                .collect(),
        };
        for ((input, grad), need) in inputs.into_iter().zip(grads).zip(needs) {
            let Some(grad) = grad.filter(|_| need) else {
                continue;
            };
            match input.node() {
                Some(child) => {
                    if input.retains_grad() {
                        let copy = grad.duplicate();
                        accumulate_for(&mut walk.retained, input, copy)?;
                    }
                    accumulate(&mut walk.by_node, Arc::as_ptr(child), grad)?;
                }
                None => accumulate_for(&mut walk.by_leaf, input, grad)?,
            }
        }
    }
    if !retain_graph {
        for node in &order {
            node.free();
        }
    }
    Ok(walk)
}

fn seed_for(root: &Tensor, gradient: Option<&Tensor>) -> Result<Tensor> {
    if !root.requires_grad() {
        return runtime("element 0 of tensors does not require grad and does not have a grad_fn");
    }
    match gradient {
        Some(g) => {
            if g.shape() != root.shape() {
                return runtime(format!(
                    "Mismatch in shape: grad_output[0] has a shape of torch.Size({}) and output[0] has a shape of torch.Size({}).",
                    crate::tensor::layout::shape_list(g.shape()),
                    crate::tensor::layout::shape_list(root.shape())
                ));
            }
            g.to_dtype_plain(root.dtype())?.to_device(root.device())
        }
        None => {
            if root.numel() != 1 {
                return runtime("grad can be implicitly created only for scalar outputs");
            }
            Tensor::ones(root.shape(), root.dtype())?.to_device(root.device())
        }
    }
}

/// `t.backward(gradient)`: accumulates into the leaves' `.grad`.
pub fn backward(root: &Tensor, gradient: Option<&Tensor>, retain_graph: bool) -> Result<()> {
    let seed = seed_for(root, gradient)?;
    let walk = run(root, seed, retain_graph, &[])?;
    let _no_grad = GradGuard::new(false);
    for (_, (leaf, total)) in walk.by_leaf.into_iter().chain(walk.retained) {
        accumulate_into_grad(&leaf, total.sum)?;
    }
    Ok(())
}

/// PyTorch's AccumulateGrad: the first gradient becomes `.grad` (a dense copy
/// unless it is already a dense tensor nobody else holds); later ones are
/// added in place, so a tensor read from `.grad` earlier sees the new total.
fn accumulate_into_grad(leaf: &Tensor, g: Tensor) -> Result<()> {
    match leaf.grad() {
        Some(old) if old.shape() == g.shape() && old.dtype() == g.dtype() => {
            let total = old.add(&g)?;
            old.copy_(&total)
        }
        Some(old) => {
            leaf.set_grad(Some(old.add(&g)?));
            Ok(())
        }
        None => {
            let owned = if g.is_dense() && !g.storage_is_shared() {
                g.detach()
            } else {
                g.clone_tensor()?.detach()
            };
            leaf.set_grad(Some(owned));
            Ok(())
        }
    }
}

/// `torch.autograd.grad(output, inputs)`: the gradients, without touching `.grad`.
pub fn grad(
    output: &Tensor,
    inputs: &[Tensor],
    gradient: Option<&Tensor>,
    retain_graph: bool,
) -> Result<Vec<Tensor>> {
    let seed = seed_for(output, gradient)?;
    // Non-leaf inputs: the walk keeps the totals reaching their nodes.
    let capture: Vec<*const Node> = inputs
        .iter()
        .filter_map(|t| t.node().map(Arc::as_ptr))
        .collect();
    let walk = run(output, seed, retain_graph, &capture)?;
    let mut out = Vec::with_capacity(inputs.len());
    for t in inputs {
        let found = match t.node() {
            None => walk
                .by_leaf
                .get(&t.id())
                .map(|(_, total)| total.sum.clone()),
            Some(node) => walk.captured.get(&Arc::as_ptr(node)).cloned(),
        };
        match found {
            Some(g) => out.push(g),
            None => {
                if !t.requires_grad() {
                    return runtime("One of the differentiated Tensors does not require grad");
                }
                return runtime("One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.");
            }
        }
    }
    Ok(out)
}

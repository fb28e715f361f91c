//! `graph(t)`: the autograd graph behind a tensor as a text tree (nnlearn's
//! take on micrograd's `draw_dot`).

use crate::tensor::Tensor;

/// A short description of a tensor's values.
fn describe(t: &Tensor) -> String {
    if t.numel() <= 4 {
        let v: Vec<String> = t
            .to_vec::<f64>()
            .unwrap_or_default()
            .iter()
            .map(|x| crate::pyfmt::format_fixed(*x, 4))
            .collect();
        if t.dim() == 0 {
            v.join("")
        } else {
            format!("[{}]", v.join(", "))
        }
    } else {
        format!("shape {}", crate::tensor::layout::shape_list(t.shape()))
    }
}

fn grad_text(t: &Tensor) -> String {
    match t.grad() {
        Some(g) => format!("  grad {}", describe(&g)),
        None => String::new(),
    }
}

/// Renders the graph with the output at the top and leaves at the bottom of each branch.
pub fn render(root: &Tensor) -> String {
    let mut out = String::new();
    line(root, "", "", &mut out, 0);
    out
}

fn line(t: &Tensor, lead: &str, child_lead: &str, out: &mut String, depth: usize) {
    let label = match t.grad_fn() {
        Some(name) => format!("{name}  value {}{}", describe(t), grad_text(t)),
        None if t.requires_grad() => format!("leaf  value {}{}", describe(t), grad_text(t)),
        None => format!("constant  value {}", describe(t)),
    };
    out.push_str(lead);
    out.push_str(&label);
    out.push('\n');
    if depth > 40 {
        out.push_str(child_lead);
        out.push_str("└── …\n");
        return;
    }
    let Some(node) = t.node() else { return };
    let inputs = node.op.inputs();
    let shown: Vec<&Tensor> = inputs
        .into_iter()
        .filter(|i| i.requires_grad() || !i.is_wrapped_number())
        .collect();
    for (i, input) in shown.iter().enumerate() {
        let last = i + 1 == shown.len();
        let (branch, cont) = if last {
            ("└── ", "    ")
        } else {
            ("├── ", "│   ")
        };
        line(
            input,
            &format!("{child_lead}{branch}"),
            &format!("{child_lead}{cont}"),
            out,
            depth + 1,
        );
    }
}

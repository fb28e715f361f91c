//! `max_pool2d`, as PyTorch's CPU kernel scans each window, and its backward
//! (MaxPool2DWithIndicesBackward0).

use super::autograd::Op;
use super::conv::hyper_pair;
use super::error::{runtime, Result};
use super::losses::from_f64s;
use super::window::{round_to, Window};
use super::Tensor;

/// The element of each window a max-pool picked: its offset in the plane.
pub struct PoolPicks {
    pub window: Window,
    pub argmax: Vec<usize>,
}

impl Tensor {
    /// `F.max_pool2d(input, kernel_size, stride, padding)` on [N, C, H, W]
    /// or [C, H, W]; `stride` defaults to the kernel size.
    pub fn max_pool2d(
        &self,
        kernel: [i64; 2],
        stride: Option<[i64; 2]>,
        padding: [i64; 2],
    ) -> Result<Tensor> {
        if !matches!(self.dim(), 3 | 4) || self.numel() == 0 {
            return runtime("non-empty 3D or 4D (batch mode) tensor expected for input");
        }
        let stride = stride.unwrap_or(kernel);
        if stride.contains(&0) {
            return runtime("stride should not be zero");
        }
        let [kh, kw] = kernel;
        let kernel = hyper_pair(
            kernel,
            1,
            &format!("kernel size should be greater than zero, but got kH: {kh} kW: {kw}"),
        )?;
        let [dh, dw] = stride;
        let stride = hyper_pair(
            stride,
            1,
            &format!("stride should be greater than zero, but got dH: {dh} dW: {dw}"),
        )?;
        let padding = hyper_pair(padding, 0, "pad must be non-negative")?;
        for d in 0..2 {
            if padding[d] > kernel[d] / 2 {
                return runtime(format!(
                    "pad should be at most half of effective kernel size, but got pad={}, kernel_size={} and dilation=1",
                    padding[d], kernel[d]
                ));
            }
        }
        let shape = self.shape();
        let lead = &shape[..shape.len() - 2];
        let input = [shape[shape.len() - 2], shape[shape.len() - 1]];
        let window = Window::new(kernel, stride, padding, input)
            .filter(|w| w.positions() > 0)
            .ok_or_else(|| too_small(shape, kernel, stride, padding))?;
        super::check_size(
            lead.iter()
                .product::<usize>()
                .saturating_mul(window.positions()),
        )?;
        let (values, argmax) = scan(&self.to_vec::<f64>()?, &window);
        let mut out_shape = lead.to_vec();
        out_shape.extend(window.output);
        let data = from_f64s(values, &out_shape, self.dtype())?.contiguous_storage()?;
        let x = self.clone();
        Tensor::from_op(data, &out_shape, &[self], || {
            Op::MaxPool2d(x, PoolPicks { window, argmax })
        })
    }
}

fn too_small(shape: &[usize], k: [usize; 2], s: [usize; 2], p: [usize; 2]) -> super::TensorError {
    let n = shape.len();
    let channels = shape[n - 3];
    let out = |d: usize| {
        let padded = shape[n - 2 + d] as i128 + 2 * p[d] as i128;
        (padded - k[d] as i128).div_euclid(s[d] as i128) + 1
    };
    super::TensorError::Runtime(format!(
        "Given input size: ({channels}x{}x{}). Calculated output size: ({channels}x{}x{}). Output size is too small",
        shape[n - 2],
        shape[n - 1],
        out(0),
        out(1)
    ))
}

/// Each window's max and where it is: PyTorch keeps the first max in scan
/// order and lets a NaN win (`val > max || isnan(val)`).
fn scan(x: &[f64], w: &Window) -> (Vec<f64>, Vec<usize>) {
    let planes = x.len() / w.plane();
    let mut values = Vec::with_capacity(planes * w.positions());
    let mut argmax = Vec::with_capacity(values.capacity());
    for p in 0..planes {
        let plane = &x[p * w.plane()..(p + 1) * w.plane()];
        for pos in 0..w.positions() {
            let sources = (0..w.taps()).filter_map(|tap| w.source(pos, tap));
            let first = sources.clone().next().unwrap_or(0);
            let (mut best, mut at) = (f64::NEG_INFINITY, first);
            for s in sources {
                if plane[s] > best || plane[s].is_nan() {
                    (best, at) = (plane[s], s);
                }
            }
            values.push(best);
            argmax.push(at);
        }
    }
    (values, argmax)
}

/// MaxPool2DWithIndicesBackward0: each output's gradient added onto the
/// input element it picked, in PyTorch's order and precision.
pub(crate) fn max_pool2d_backward(x: &Tensor, picks: &PoolPicks, g: &Tensor) -> Result<Tensor> {
    let w = &picks.window;
    let mut grad = vec![0.0; x.numel()];
    for (o, gv) in g.to_vec::<f64>()?.into_iter().enumerate() {
        let plane = o / w.positions();
        let i = plane * w.plane() + picks.argmax[o];
        grad[i] = round_to(x.dtype(), grad[i] + gv);
    }
    from_f64s(grad, x.shape(), g.dtype())?.to_device(g.device())
}

//! `max_pool2d`, as PyTorch's CPU kernel scans each window, and its backward
//! (MaxPool2DWithIndicesBackward0).

use super::autograd::Op;
use super::conv::hyper_pair;
use super::error::{runtime, Result};
use super::split;
use super::window::Window;
use super::{Element, Tensor};
use std::hint::select_unpredictable;

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
        let mut out_shape = lead.to_vec();
        out_shape.extend(window.output);
        let (data, argmax) = crate::with_dtype!(self.dtype(), T => {
            let (values, argmax) = self.with_elements::<T, _>(|x| scan(x, &window))?;
            (T::wrap(values), argmax)
        });
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
fn scan<T: Element>(x: &[T], w: &Window) -> (Vec<T>, Vec<usize>) {
    let (plane, positions, iw, sw) = (w.plane(), w.positions(), w.input[1], w.stride[1]);
    let planes = x.len() / plane;
    let mut values = vec![T::default(); planes * positions];
    let mut argmax = vec![0; planes * positions];
    let (rows, cols, runs) = (w.reach(0), w.reach(1), w.tap_runs());
    let work = planes * positions * w.taps();
    split::chunk_pairs(
        (&mut values, positions),
        (&mut argmax, positions),
        work,
        |p, best, at| {
            let plane = &x[p * plane..][..plane];
            // Each window's first read seeds its pick; comparing it with itself
            // again changes nothing.
            let firsts = rows
                .iter()
                .flat_map(|r| cols.iter().map(move |c| r.input * iw + c.input));
            for (at, first) in at.iter_mut().zip(firsts) {
                *at = first;
            }
            // Tap by tap along output rows, so the loop runs over many windows
            // at once while each window still meets its taps in scan order.
            // Only the pick is carried, the max read back through it: LLVM
            // keeps an integer select branch-free (on noise `v > max` is a coin
            // toss), not a float one.
            for r in &runs {
                for (i, arg) in at[r.pos..][..r.len].iter_mut().enumerate() {
                    let (src, cur) = (r.src + i * sw, *arg);
                    let (v, max) = (plane[src], plane[cur]);
                    // A NaN is the only value unequal to itself; a later one wins too.
                    #[allow(clippy::eq_op)]
                    let take = (v > max) | (v != v);
                    *arg = select_unpredictable(take, src, cur);
                }
            }
            for (best, &at) in best.iter_mut().zip(at.iter()) {
                *best = plane[at];
            }
        },
    );
    (values, argmax)
}

/// MaxPool2DWithIndicesBackward0: each output's gradient added onto the
/// input element it picked, in PyTorch's order and precision.
pub(crate) fn max_pool2d_backward(x: &Tensor, picks: &PoolPicks, g: &Tensor) -> Result<Tensor> {
    let w = &picks.window;
    let data = crate::with_float!(g.dtype(), F => {
        let mut grad = vec![F::default(); x.numel()];
        g.with_elements::<F, _>(|g| {
            let (positions, work) = (w.positions(), g.len() + grad.len());
            split::chunks(&mut grad, w.plane(), work, |p, dst| {
                let at = &picks.argmax[p * positions..][..positions];
                for (&gv, &i) in g[p * positions..][..positions].iter().zip(at) {
                    dst[i] += gv;
                }
            });
        })?;
        F::wrap(grad)
    }, return runtime("max_pool2d_backward: float gradient expected"));
    Tensor::from_storage(data, x.shape())?.to_device(g.device())
}

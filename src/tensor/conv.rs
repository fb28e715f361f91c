//! `conv2d` as PyTorch's slow CPU path computes it: im2col, then one matrix
//! product with the weight (plus bias), recorded as ConvolutionBackward0. The
//! forward skips the im2col matrix where `correlate` rounds the same.

use super::autograd::Op;
use super::correlate::correlate;
use super::error::{runtime, Result};
use super::gemm;
use super::layout::shape_list;
use super::ops::dtype_title;
use super::window::Window;
use super::{no_grad, CpuStorage, Element, Tensor};

/// Checks a stride/padding pair from the user and makes it unsigned.
pub(crate) fn hyper_pair(v: [i64; 2], min: i64, msg: &str) -> Result<[usize; 2]> {
    if v.iter().any(|&x| x < min) {
        return runtime(msg);
    }
    Ok([v[0] as usize, v[1] as usize])
}

impl Tensor {
    /// `F.conv2d(input, weight, bias, stride, padding)` on [N, C, H, W] or
    /// unbatched [C, H, W] input.
    pub fn conv2d(
        &self,
        weight: &Tensor,
        bias: Option<&Tensor>,
        stride: [i64; 2],
        padding: [i64; 2],
    ) -> Result<Tensor> {
        match self.dim() {
            4 => {}
            // PyTorch adds the batch dim and takes it off again (SqueezeBackward1).
            3 => {
                return self
                    .unsqueeze(0)?
                    .conv2d(weight, bias, stride, padding)?
                    .squeeze(Some(0))
            }
            _ => {
                return runtime(format!(
                    "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: {}",
                    shape_list(self.shape())
                ))
            }
        }
        let stride = hyper_pair(stride, 1, "non-positive stride is not supported")?;
        let padding = hyper_pair(padding, 0, "negative padding is not supported")?;
        let win = self.conv_window(weight, bias, stride, padding)?;
        let out = no_grad(|| conv_forward(self, weight, bias, &win))?;
        let (x, w, b) = (self.clone(), weight.clone(), bias.cloned());
        let mut inputs = vec![self, weight];
        inputs.extend(bias);
        let shape = [
            self.shape()[0],
            weight.shape()[0],
            win.output[0],
            win.output[1],
        ];
        Tensor::from_op(out, &shape, &inputs, || Op::Conv2d(x, w, b, win))
    }

    /// PyTorch's checks of a batched conv2d's operands, then its window.
    fn conv_window(
        &self,
        weight: &Tensor,
        bias: Option<&Tensor>,
        stride: [usize; 2],
        padding: [usize; 2],
    ) -> Result<Window> {
        let (ws, xs) = (weight.shape(), self.shape());
        if weight.dim() < 3 {
            return runtime("weight should have at least three dimensions");
        }
        if weight.dim() != 4 {
            return runtime(format!(
                "Expected {0}-dimensional input for {0}-dimensional weight {1}, but got 4-dimensional input of size {2} instead",
                weight.dim(),
                shape_list(ws),
                shape_list(xs)
            ));
        }
        if xs[1] != ws[1] {
            return runtime(format!(
                "Given groups=1, weight of size {}, expected input{} to have {} channels, but got {} channels instead",
                shape_list(ws), shape_list(xs), ws[1], xs[1]
            ));
        }
        if let Some(b) = bias {
            if b.dim() != 1 || b.numel() != ws[0] {
                return runtime(format!(
                    "Given weight of size {}, expected bias to be 1-dimensional with {} elements, but got bias of size {} instead",
                    shape_list(ws), ws[0], shape_list(b.shape())
                ));
            }
        }
        for other in std::iter::once(weight).chain(bias) {
            if other.dtype() != self.dtype() {
                return runtime(format!(
                    "expected scalar type {} but found {}",
                    dtype_title(self.dtype()),
                    dtype_title(other.dtype())
                ));
            }
        }
        if !self.dtype().is_float() {
            return runtime(format!(
                "\"slow_conv2d_cpu\" not implemented for '{}'",
                dtype_title(self.dtype())
            ));
        }
        let input = [xs[2], xs[3]];
        Window::new([ws[2], ws[3]], stride, padding, input).ok_or_else(|| {
            super::TensorError::Runtime(format!(
                "Calculated padded input size per channel: ({} x {}). Kernel size: ({} x {}). Kernel size can't be greater than actual input size",
                input[0].saturating_add(padding[0].saturating_mul(2)),
                input[1].saturating_add(padding[1].saturating_mul(2)),
                ws[2],
                ws[3]
            ))
        })
    }
}

/// The im2col matrix of `x` ([N, C, H, W]): [N * positions, C * taps].
fn columns(x: &Tensor, win: &Window) -> Result<Tensor> {
    let (n, c) = (x.shape()[0], x.shape()[1]);
    let rows = (n * c).saturating_mul(win.positions());
    super::check_size(rows.saturating_mul(win.taps()))?;
    let shape = [n * win.positions(), c * win.taps()];
    let cols = crate::with_float!(x.dtype(), F => {
        F::wrap(x.with_elements::<F, _>(|x| win.columns(x, n, c))?)
    }, return runtime("im2col: float input expected"));
    Tensor::from_storage(cols, &shape)?.to_device(x.device())
}

/// The weight as a [out_channels, in_channels * taps] matrix.
fn weight_matrix(weight: &Tensor) -> Result<Tensor> {
    let ws = weight.shape();
    weight.reshape_usize(&[ws[0], ws[1] * ws[2] * ws[3]])
}

/// [N * positions, O] rows back to [N, O, OH, OW].
fn to_images(rows: &Tensor, n: usize, win: &Window) -> Result<Tensor> {
    let o = rows.shape()[1];
    rows.reshape_usize(&[n, win.output[0], win.output[1], o])?
        .permute(&[0, 3, 1, 2])?
        .contiguous()
}

/// [N, O, OH, OW] to [N * positions, O] rows.
fn to_rows(g: &Tensor) -> Result<Tensor> {
    let (n, o) = (g.shape()[0], g.shape()[1]);
    g.permute(&[0, 2, 3, 1])?
        .reshape_usize(&[n * g.shape()[2] * g.shape()[3], o])
}

/// The forward result's elements, [N, O, OH, OW] in order.
fn conv_forward(
    x: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    win: &Window,
) -> Result<CpuStorage> {
    match direct(x, weight, bias, win)? {
        Some(out) => Ok(out),
        None => via_columns(x, weight, bias, win),
    }
}

/// The forward as im2col, then the product with the weight matrix.
fn via_columns(
    x: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    win: &Window,
) -> Result<CpuStorage> {
    let cols = columns(x, win)?;
    // Contiguous operands: the product then rounds the same on every device.
    let wt = weight_matrix(weight)?.t()?.contiguous()?;
    let rows = match bias {
        Some(b) => Tensor::addmm(b, &cols, &wt)?,
        None => cols.mm(&wt)?,
    };
    to_images(&rows, x.shape()[0], win)?.contiguous_storage()
}

/// [`correlate`] on host operands, where its rounding is the im2col product's:
/// the same sums without the im2col matrix and the transpose back to images.
fn direct(
    x: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    win: &Window,
) -> Result<Option<CpuStorage>> {
    let operands = std::iter::once(x).chain([weight]).chain(bias);
    if x.numel() == 0 || weight.numel() == 0 || operands.clone().any(|t| t.device().is_cuda()) {
        return Ok(None);
    }
    let (n, c, o) = (x.shape()[0], x.shape()[1], weight.shape()[0]);
    let Some(chain) = gemm::chain(n * win.positions(), c * win.taps(), o) else {
        return Ok(None);
    };
    super::check_size((n * o).saturating_mul(win.positions()))?;
    crate::with_float!(x.dtype(), F => {
        let b = bias.map(|b| b.to_vec::<F>()).transpose()?;
        let out = x.with_elements::<F, _>(|xv| {
            weight.with_elements::<F, _>(|w| correlate(win, xv, w, b.as_deref(), [n, c, o], chain))
        })??;
        Ok(Some(F::wrap(out)))
    }, Ok(None))
}

/// ConvolutionBackward0: the gradients of input, weight and (if any) bias.
pub(crate) fn conv2d_backward(
    x: &Tensor,
    weight: &Tensor,
    bias: Option<&Tensor>,
    win: &Window,
    g: &Tensor,
    need: impl Fn(usize) -> bool,
) -> Result<Vec<Option<Tensor>>> {
    let (n, c) = (x.shape()[0], x.shape()[1]);
    let gx = if need(0) {
        let gcols = to_rows(g)?.mm(&weight_matrix(weight)?)?;
        let folded = crate::with_float!(x.dtype(), F => {
            F::wrap(gcols.with_elements::<F, _>(|cols| win.fold(cols, n, c))?)
        }, return runtime("col2im: float input expected"));
        Some(Tensor::from_storage(folded, x.shape())?.to_device(x.device())?)
    } else {
        None
    };
    let gw = if need(1) {
        // The rows transposed, [O, N * positions], copied straight from g.
        let o = g.shape()[1];
        let rows_t = g
            .permute(&[1, 0, 2, 3])?
            .reshape_usize(&[o, n * win.positions()])?
            .contiguous()?;
        Some(
            rows_t
                .mm(&columns(x, win)?)?
                .reshape_usize(weight.shape())?,
        )
    } else {
        None
    };
    let mut grads = vec![gx, gw];
    if bias.is_some() {
        grads.push(Some(g.sum(Some(&[0, 2, 3]), false)?));
    }
    Ok(grads)
}

#[cfg(test)]
mod tests {
    use super::{direct, hyper_pair, via_columns};
    use crate::tensor::cascade::tests::{tensor, Lcg};
    use crate::tensor::CpuStorage;

    fn bits(s: CpuStorage) -> Vec<u64> {
        match s {
            CpuStorage::F32(v) => v.iter().map(|x| x.to_bits() as u64).collect(),
            CpuStorage::F64(v) => v.iter().map(|x| x.to_bits()).collect(),
            _ => panic!("float storage expected"),
        }
    }

    /// The direct forward gives im2col's bits wherever it is taken: each kind
    /// of product (`gemm` crate, fused and plain chains), strides, padding
    /// (read as zeros, so an infinite weight still makes NaNs there), no bias.
    #[test]
    fn direct_forward_rounds_as_im2col() {
        let mut g = Lcg(7);
        // N, C, H, W, O, k, stride, padding
        let cases = [
            (32, 1, 28, 28, 8, 3, 1, 0),
            (4, 16, 12, 12, 32, 3, 1, 1),
            (2, 3, 9, 7, 12, 3, 2, 1),
            (2, 3, 9, 7, 4, 3, 1, 1),
            (3, 4, 10, 11, 5, 2, 3, 2),
            (1, 2, 6, 6, 3, 1, 1, 0),
        ];
        let mut taken = 0;
        for (i, &(n, c, h, w, o, k, s, p)) in cases.iter().enumerate() {
            for dtype in ["f32", "f64"] {
                let mut draw = |len: usize| (0..len).map(|_| g.value()).collect::<Vec<_>>();
                let (xv, mut wv, bv) = (draw(n * c * h * w), draw(o * c * k * k), draw(o));
                if i == 1 {
                    wv[5] = f64::INFINITY;
                }
                let x = tensor(xv, dtype, &[n, c, h, w]);
                let (wt, b) = (tensor(wv, dtype, &[o, c, k, k]), tensor(bv, dtype, &[o]));
                let (stride, padding) = (hyper_pair([s as i64; 2], 1, "").unwrap(), [p; 2]);
                let win = x.conv_window(&wt, Some(&b), stride, padding).unwrap();
                for bias in [Some(&b), None] {
                    let want = bits(via_columns(&x, &wt, bias, &win).unwrap());
                    if let Some(got) = direct(&x, &wt, bias, &win).unwrap() {
                        assert_eq!(bits(got), want, "case {i} {dtype}");
                        taken += 1;
                    }
                }
            }
        }
        // The small products always; the `gemm` crate's on FMA hardware.
        assert!(taken >= 16);
    }
}

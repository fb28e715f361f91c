//! The sliding window shared by convolution and pooling: which input element
//! each kernel tap reads at each output position.

use super::dtype::DType;

/// Kernel, stride and padding over an input plane, as (height, width) pairs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub kernel: [usize; 2],
    pub stride: [usize; 2],
    pub padding: [usize; 2],
    pub input: [usize; 2],
    pub output: [usize; 2],
}

impl Window {
    /// The window over `input`; `None` when not even one output position fits.
    pub fn new(
        kernel: [usize; 2],
        stride: [usize; 2],
        padding: [usize; 2],
        input: [usize; 2],
    ) -> Option<Window> {
        let out = |d: usize| {
            let padded = padding[d].checked_mul(2)?.checked_add(input[d])?;
            let room = padded.checked_sub(kernel[d])?;
            (room / stride[d]).checked_add(1)
        };
        Some(Window {
            kernel,
            stride,
            padding,
            input,
            output: [out(0)?, out(1)?],
        })
    }

    pub fn taps(&self) -> usize {
        self.kernel[0] * self.kernel[1]
    }

    pub fn positions(&self) -> usize {
        self.output[0] * self.output[1]
    }

    pub fn plane(&self) -> usize {
        self.input[0] * self.input[1]
    }

    /// The offset within one input plane that tap `tap` reads at output
    /// position `pos` (both row-major), or `None` where it falls on padding.
    pub fn source(&self, pos: usize, tap: usize) -> Option<usize> {
        let coord = |d: usize, out: usize, k: usize| {
            (out * self.stride[d] + k)
                .checked_sub(self.padding[d])
                .filter(|&c| c < self.input[d])
        };
        let y = coord(0, pos / self.output[1], tap / self.kernel[1])?;
        let x = coord(1, pos % self.output[1], tap % self.kernel[1])?;
        Some(y * self.input[1] + x)
    }

    /// im2col: for `planes` channels of each of `batch` images, a
    /// [batch * positions, planes * taps] matrix of the values each output
    /// position sees (zero on padding).
    pub fn columns(&self, x: &[f64], batch: usize, planes: usize) -> Vec<f64> {
        let (l, k) = (self.positions(), self.taps());
        let mut cols = Vec::with_capacity(batch * l * planes * k);
        for n in 0..batch {
            for pos in 0..l {
                for c in 0..planes {
                    let base = (n * planes + c) * self.plane();
                    cols.extend(
                        (0..k).map(|tap| self.source(pos, tap).map_or(0.0, |s| x[base + s])),
                    );
                }
            }
        }
        cols
    }

    /// col2im, the adjoint of [`Window::columns`]: sums each column entry
    /// back onto the input element it came from, rounding each sum to `dtype`.
    pub fn fold(&self, cols: &[f64], batch: usize, planes: usize, dtype: DType) -> Vec<f64> {
        let (l, k) = (self.positions(), self.taps());
        let mut out = vec![0.0; batch * planes * self.plane()];
        let mut entries = cols.iter();
        for n in 0..batch {
            for pos in 0..l {
                for c in 0..planes {
                    let base = (n * planes + c) * self.plane();
                    for tap in 0..k {
                        let v = entries.next().copied().unwrap_or(0.0);
                        if let Some(s) = self.source(pos, tap) {
                            out[base + s] = round_to(dtype, out[base + s] + v);
                        }
                    }
                }
            }
        }
        out
    }
}

/// `v` rounded to `dtype`'s precision, so an f64 running sum of f32 values
/// gives what float32 accumulation gives.
pub fn round_to(dtype: DType, v: f64) -> f64 {
    if dtype == DType::F32 {
        v as f32 as f64
    } else {
        v
    }
}

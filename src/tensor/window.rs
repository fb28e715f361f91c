//! The sliding window shared by convolution and pooling: which input element
//! each kernel tap reads at each output position.

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

    /// For output row or column `out` along `d`, the (tap, input index)
    /// pairs that fall inside the input: the taps a window reads there.
    fn reads(&self, d: usize, out: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let first = out * self.stride[d];
        (0..self.kernel[d]).filter_map(move |k| {
            (first + k)
                .checked_sub(self.padding[d])
                .filter(|&c| c < self.input[d])
                .map(|c| (k, c))
        })
    }

    /// Calls `f(position, tap, source)` for every kernel tap that reads the
    /// input at each output position, in row-major order of both (padding
    /// taps skipped); `source` is the offset within the input plane.
    pub fn for_each_read(&self, mut f: impl FnMut(usize, usize, usize)) {
        let [_, ow] = self.output;
        let (kw, iw) = (self.kernel[1], self.input[1]);
        for oy in 0..self.output[0] {
            for ox in 0..ow {
                let pos = oy * ow + ox;
                for (ky, y) in self.reads(0, oy) {
                    for (kx, x) in self.reads(1, ox) {
                        f(pos, ky * kw + kx, y * iw + x);
                    }
                }
            }
        }
    }

    /// im2col: for `planes` channels of each of `batch` images, a
    /// [batch * positions, planes * taps] matrix of the values each output
    /// position sees (zero on padding).
    pub fn columns<T: Copy + Default>(&self, x: &[T], batch: usize, planes: usize) -> Vec<T> {
        let (l, k) = (self.positions(), self.taps());
        let row = planes * k;
        let mut cols = vec![T::default(); batch * l * row];
        for n in 0..batch {
            let image = &mut cols[n * l * row..(n + 1) * l * row];
            for c in 0..planes {
                let plane = &x[(n * planes + c) * self.plane()..][..self.plane()];
                self.for_each_read(|pos, tap, src| image[pos * row + c * k + tap] = plane[src]);
            }
        }
        cols
    }

    /// col2im, the adjoint of [`Window::columns`]: adds each column entry
    /// back onto the input element it came from, in the order PyTorch does
    /// (position by position, then channel, then tap).
    pub fn fold<T: Copy + Default + std::ops::Add<Output = T>>(
        &self,
        cols: &[T],
        batch: usize,
        planes: usize,
    ) -> Vec<T> {
        let (l, k) = (self.positions(), self.taps());
        let row = planes * k;
        let mut out = vec![T::default(); batch * planes * self.plane()];
        for n in 0..batch {
            let image = &cols[n * l * row..(n + 1) * l * row];
            let planes_out = &mut out[n * planes * self.plane()..(n + 1) * planes * self.plane()];
            let plane = self.plane();
            self.for_each_read(|pos, tap, src| {
                for c in 0..planes {
                    let o = &mut planes_out[c * plane + src];
                    *o = *o + image[pos * row + c * k + tap];
                }
            });
        }
        out
    }
}

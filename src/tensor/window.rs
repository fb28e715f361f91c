//! The sliding window shared by convolution and pooling: which input element
//! each kernel tap reads at each output position, walked as runs along output
//! rows so that im2col, col2im and pooling loop tightly, not per element.

use super::split;

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

    /// The output indices along `d` at which kernel tap `k` reads inside the
    /// input (`out * stride + k - padding` in `0..input`), as `lo..hi`.
    fn inside(&self, d: usize, k: usize) -> (usize, usize) {
        let (s, p, n) = (self.stride[d], self.padding[d], self.input[d]);
        let lo = p.saturating_sub(k).div_ceil(s);
        let hi = match (n + p).checked_sub(k + 1) {
            Some(last) => (last / s + 1).min(self.output[d]),
            None => 0,
        };
        (lo, hi.max(lo))
    }

    /// For each output index along `d`, the kernel taps that land inside the
    /// input: a run of `len` taps from `tap`, reading input indices from `input`.
    pub fn reach(&self, d: usize) -> Vec<Reach> {
        let (s, p, n, k) = (
            self.stride[d],
            self.padding[d],
            self.input[d],
            self.kernel[d],
        );
        (0..self.output[d])
            .map(|out| {
                let first = out * s;
                let tap = p.saturating_sub(first);
                let end = k.min((n + p).saturating_sub(first));
                Reach {
                    tap,
                    input: (first + tap).saturating_sub(p),
                    len: end.saturating_sub(tap),
                }
            })
            .collect()
    }

    /// Every run of output positions along a row that read the input with the
    /// same kernel tap (padding skipped): output row by output row, and within
    /// a row tap by tap in row-major kernel order, so that walking the runs in
    /// order each position meets its taps in scan order.
    pub fn tap_runs(&self) -> Vec<TapRun> {
        let kw = self.kernel[1];
        let (ow, iw, pw, sw) = (
            self.output[1],
            self.input[1],
            self.padding[1],
            self.stride[1],
        );
        let columns: Vec<(usize, usize)> = (0..kw).map(|kx| self.inside(1, kx)).collect();
        let mut runs = Vec::new();
        for (oy, along_y) in self.reach(0).into_iter().enumerate() {
            for (ky, y) in along_y.taps() {
                for (kx, &(lo, hi)) in columns.iter().enumerate() {
                    if lo < hi {
                        runs.push(TapRun {
                            pos: oy * ow + lo,
                            tap: ky * kw + kx,
                            src: y * iw + lo * sw + kx - pw,
                            len: hi - lo,
                        });
                    }
                }
            }
        }
        runs
    }

    /// im2col: for `planes` channels of each of `batch` images, a
    /// [batch * positions, planes * taps] matrix of the values each output
    /// position sees (zero on padding).
    pub fn columns<T: Copy + Default + Send + Sync>(
        &self,
        x: &[T],
        batch: usize,
        planes: usize,
    ) -> Vec<T> {
        let (l, k, plane, sw) = (self.positions(), self.taps(), self.plane(), self.stride[1]);
        let row = planes * k;
        let mut cols = vec![T::default(); batch * l * row];
        let runs = self.tap_runs();
        split::chunks(&mut cols, l * row, batch * l * row, |n, image| {
            for c in 0..planes {
                let plane = &x[(n * planes + c) * plane..][..plane];
                for r in &runs {
                    let (dst, src) = (&mut image[r.pos * row + c * k + r.tap..], &plane[r.src..]);
                    for i in 0..r.len {
                        dst[i * row] = src[i * sw];
                    }
                }
            }
        });
        cols
    }

    /// col2im, the adjoint of [`Window::columns`]: adds each column entry
    /// back onto the input element it came from, each input element taking
    /// its entries in order of output position, as PyTorch does.
    pub fn fold<T: Copy + Default + Send + Sync + std::ops::Add<Output = T>>(
        &self,
        cols: &[T],
        batch: usize,
        planes: usize,
    ) -> Vec<T> {
        let (l, k, plane) = (self.positions(), self.taps(), self.plane());
        let (ow, iw, kw) = (self.output[1], self.input[1], self.kernel[1]);
        let row = planes * k;
        let (rows, columns) = (self.reach(0), self.reach(1));
        let mut out = vec![T::default(); batch * planes * plane];
        split::chunks(&mut out, planes * plane, batch * l * row, |n, image_out| {
            let image = &cols[n * l * row..][..l * row];
            for c in 0..planes {
                let dst = &mut image_out[c * plane..][..plane];
                // Output rows, then kernel rows, then output columns: every
                // input element meets its entries in ascending position order.
                for (oy, along_y) in rows.iter().enumerate() {
                    for (ky, y) in along_y.taps() {
                        for (ox, along_x) in columns.iter().enumerate() {
                            let col =
                                &image[(oy * ow + ox) * row + c * k + ky * kw + along_x.tap..];
                            let dst = &mut dst[y * iw + along_x.input..][..along_x.len];
                            for (o, &v) in dst.iter_mut().zip(col) {
                                *o = *o + v;
                            }
                        }
                    }
                }
            }
        });
        out
    }
}

/// The kernel taps an output index reaches inside the input along one dim.
#[derive(Clone, Copy, Debug)]
pub struct Reach {
    pub tap: usize,
    pub input: usize,
    pub len: usize,
}

impl Reach {
    /// (tap, input index) pairs, in order.
    pub fn taps(self) -> impl Iterator<Item = (usize, usize)> {
        (0..self.len).map(move |j| (self.tap + j, self.input + j))
    }
}

/// Output positions `pos .. pos + len`, along one output row, that read the
/// input with kernel tap `tap`: at offsets `src, src + stride[1], ...` of the plane.
#[derive(Clone, Copy, Debug)]
pub struct TapRun {
    pub pos: usize,
    pub tap: usize,
    pub src: usize,
    pub len: usize,
}

//! Convolution straight from the input planes, rounded as im2col times the
//! weight matrix would be ([`Chain`]), without building the im2col matrix or
//! transposing the product's rows back into images.

use super::gemm::{Chain, Real};
use super::kernel::with_simd;
use super::split;
use super::window::{TapRun, Window};

/// `x` ([batch, planes, H, W], no plane empty) convolved with `w` ([outs, planes * taps]), plus
/// `bias`: [batch, outs, OH, OW], each output the chain over (plane, tap) in
/// order from 0, then the bias added, as `addmm(bias, columns, w.t())` gives.
pub(super) fn correlate<T: Real + Send + Sync>(
    win: &Window,
    x: &[T],
    w: &[T],
    bias: Option<&[T]>,
    [batch, planes, outs]: [usize; 3],
    chain: Chain,
) -> Vec<T> {
    let (taps, l) = (win.taps(), win.positions());
    let runs = win.tap_runs();
    let mut out = vec![T::default(); batch * outs * l];
    let work = out.len() * planes * taps;
    split::chunks(&mut out, outs * l, work, |n, image| {
        let x = &x[n * planes * win.plane()..][..planes * win.plane()];
        with_simd(
            #[inline(always)]
            || match chain {
                Chain::Fused => image_sums(win, &runs, x, w, image, T::fma),
                Chain::Plain => image_sums(
                    win,
                    &runs,
                    x,
                    w,
                    image,
                    #[inline(always)]
                    |a, b, acc| acc + a * b,
                ),
            },
        );
        if let Some(bias) = bias {
            for (o, &b) in image.chunks_mut(l).zip(bias) {
                o.iter_mut().for_each(|v| *v = *v + b);
            }
        }
    });
    out
}

/// One image's sums: plane by plane, output channel by channel, the tap runs in
/// order, so that each output meets its (plane, tap) terms in ascending order.
#[inline(always)]
fn image_sums<T: Real>(
    win: &Window,
    runs: &[TapRun],
    x: &[T],
    w: &[T],
    image: &mut [T],
    step: impl Fn(T, T, T) -> T,
) {
    let (taps, l, sw) = (win.taps(), win.positions(), win.stride[1]);
    let planes = x.len() / win.plane();
    for (c, plane) in x.chunks_exact(win.plane()).enumerate() {
        for (o, acc) in image.chunks_exact_mut(l).enumerate() {
            let w = &w[(o * planes + c) * taps..][..taps];
            for r in runs {
                let (wv, acc) = (w[r.tap], &mut acc[r.pos..][..r.len]);
                if sw == 1 {
                    let src = &plane[r.src..][..r.len];
                    for (a, &v) in acc.iter_mut().zip(src) {
                        *a = step(v, wv, *a);
                    }
                } else {
                    for (i, a) in acc.iter_mut().enumerate() {
                        *a = step(plane[r.src + i * sw], wv, *a);
                    }
                }
            }
        }
    }
}

//! Convolution straight from the input planes, rounded as im2col times the
//! weight matrix would be ([`Chain`]), without building the im2col matrix or
//! transposing the product's rows back into images.

use super::gemm::{Chain, Real};
use super::kernel::with_simd;
use super::split;
use super::window::Window;

/// `x` ([batch, planes, H, W]) convolved with `w` ([outs, planes * taps]), plus
/// `bias`: [batch, outs, OH, OW], each output the chain over (plane, tap) in
/// order from 0, padding read as zeros, then the bias added: what
/// `addmm(bias, columns, w.t())` gives.
pub(super) fn correlate<T: Real + Send + Sync>(
    win: &Window,
    x: &[T],
    w: &[T],
    bias: Option<&[T]>,
    [batch, planes, outs]: [usize; 3],
    chain: Chain,
) -> Vec<T> {
    let l = win.positions();
    let mut out = vec![T::default(); batch * outs * l];
    let work = out.len() * planes * win.taps();
    let plane = win.plane();
    split::chunks(&mut out, outs * l, work, |n, image| {
        let x = &x[n * planes * plane..][..planes * plane];
        with_simd(
            #[inline(always)]
            || match chain {
                Chain::Fused => image_sums(win, x, w, bias, image, T::fma),
                Chain::Plain => image_sums(
                    win,
                    x,
                    w,
                    bias,
                    image,
                    #[inline(always)]
                    |a, b, acc| acc + a * b,
                ),
            },
        );
    });
    out
}

/// One image's sums: plane by plane, output channel by channel, tap by tap, so
/// that each output meets its (plane, tap) terms in ascending order. With unit
/// strides the output rows lie a padded input row apart in a scratch buffer,
/// and each tap is one loop over all of them (the columns between discarded).
#[inline(always)]
fn image_sums<T: Real>(
    win: &Window,
    x: &[T],
    w: &[T],
    bias: Option<&[T]>,
    image: &mut [T],
    step: impl Fn(T, T, T) -> T,
) {
    let ([oh, ow], [sh, sw], [kh, kw]) = (win.output, win.stride, win.kernel);
    let (l, taps) = (oh * ow, kh * kw);
    let pitch = win.input[1] + 2 * win.padding[1];
    let wide = sh == 1 && sw == 1;
    let (rows, len, out_pitch) = if wide {
        (1, (oh - 1) * pitch + ow, oh * pitch)
    } else {
        (oh, ow, l)
    };
    let mut scratch = Vec::new();
    let sums: &mut [T] = if wide {
        scratch.resize(image.len() / l * out_pitch, T::default());
        &mut scratch
    } else {
        image
    };
    let planes = x.len() / win.plane();
    let mut padded = Vec::new();
    for (c, plane) in x.chunks_exact(win.plane()).enumerate() {
        let plane = pad(win, plane, &mut padded);
        for (o, acc) in sums.chunks_exact_mut(out_pitch).enumerate() {
            let w = &w[(o * planes + c) * taps..][..taps];
            for (tap, &wv) in w.iter().enumerate() {
                let (ky, kx) = (tap / kw, tap % kw);
                for r in 0..rows {
                    let acc = &mut acc[r * ow..][..len];
                    let start = (r * sh + ky) * pitch + kx;
                    if sw == 1 {
                        for (a, &v) in acc.iter_mut().zip(&plane[start..][..len]) {
                            *a = step(v, wv, *a);
                        }
                    } else {
                        for (i, a) in acc.iter_mut().enumerate() {
                            *a = step(plane[start + i * sw], wv, *a);
                        }
                    }
                }
            }
        }
    }
    if wide {
        // Out of the scratch buffer row by row, the bias added on the way.
        let sums = image
            .chunks_exact_mut(l)
            .zip(scratch.chunks_exact(out_pitch));
        for (o, (image, sums)) in sums.enumerate() {
            for (dst, src) in image.chunks_exact_mut(ow).zip(sums.chunks_exact(pitch)) {
                match bias {
                    Some(b) => dst.iter_mut().zip(src).for_each(|(d, &s)| *d = s + b[o]),
                    None => dst.copy_from_slice(&src[..ow]),
                }
            }
        }
    } else if let Some(bias) = bias {
        for (image, &b) in image.chunks_exact_mut(l).zip(bias) {
            image.iter_mut().for_each(|v| *v = *v + b);
        }
    }
}

/// The plane with its padding as zeros (im2col's), in `buf` when there is any.
#[inline(always)]
fn pad<'a, T: Copy + Default>(win: &Window, plane: &'a [T], buf: &'a mut Vec<T>) -> &'a [T] {
    let ([ph, pw], [ih, iw]) = (win.padding, win.input);
    if ph == 0 && pw == 0 {
        return plane;
    }
    let pitch = iw + 2 * pw;
    buf.clear();
    buf.resize((ih + 2 * ph) * pitch, T::default());
    for (dst, src) in buf[ph * pitch..]
        .chunks_exact_mut(pitch)
        .zip(plane.chunks_exact(iw))
    {
        dst[pw..][..iw].copy_from_slice(src);
    }
    buf
}

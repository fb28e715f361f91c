//! Independent per-image (or per-plane) work spread over rayon's pool, the
//! `gemm` crate's pool too, once it is large enough to pay for the hand-off:
//! small tensors stay on the calling thread and keep their sub-microsecond cost.

use rayon::prelude::*;

// Elements of work below which a kernel stays on one thread: the elementwise
// kernels' grain for cheap loops.
use super::kernel::CHEAP as GRAIN;

/// Calls `f(i, chunk)` for each `len`-element chunk of `out`, on several
/// threads when `work` (elements touched in all) reaches the grain size.
pub(crate) fn chunks<T: Send>(
    out: &mut [T],
    len: usize,
    work: usize,
    f: impl Fn(usize, &mut [T]) + Sync,
) {
    if len == 0 {
        return;
    }
    if work < GRAIN {
        out.chunks_mut(len).enumerate().for_each(|(i, c)| f(i, c));
    } else {
        out.par_chunks_mut(len)
            .enumerate()
            .for_each(|(i, c)| f(i, c));
    }
}

/// [`chunks`] over two outputs cut in step: chunk `i` of `a` (`len_a` long)
/// goes with chunk `i` of `b` (`len_b` long).
pub(crate) fn chunk_pairs<A: Send, B: Send>(
    (a, len_a): (&mut [A], usize),
    (b, len_b): (&mut [B], usize),
    work: usize,
    f: impl Fn(usize, &mut [A], &mut [B]) + Sync,
) {
    if len_a == 0 || len_b == 0 {
        return;
    }
    let pairs = |(i, (x, y)): (usize, (&mut [A], &mut [B]))| f(i, x, y);
    if work < GRAIN {
        a.chunks_mut(len_a)
            .zip(b.chunks_mut(len_b))
            .enumerate()
            .for_each(pairs);
    } else {
        a.par_chunks_mut(len_a)
            .zip(b.par_chunks_mut(len_b))
            .enumerate()
            .for_each(pairs);
    }
}

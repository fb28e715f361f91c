//! The loops of elementwise kernels and optimizer steps: compiled for AVX2 and
//! FMA when the CPU has them, split over two threads when large, polling the
//! interrupt flag between blocks. Every result is one element's own function,
//! so neither the instruction set nor the split changes a bit.

use std::mem::MaybeUninit;

use rayon::prelude::*;

use super::error::Result;
use super::interrupt::{Poll, BLOCK};

/// Threads a large kernel is split over: the project machine's two cores, as
/// the `gemm` crate is told too.
const THREADS: usize = 2;

/// Elements below which a cheap kernel (an add, a compare, a copy) stays on
/// the calling thread: waking a second one costs a few microseconds.
pub(crate) const CHEAP: usize = 1 << 15;

/// The same for kernels of ten or more operations per element (`exp`, `tanh`,
/// `sqrt`, an Adam step), where the split pays off sooner: from about 50 us of
/// work (4K tanh take 10 us, less than the hand-off to a sleeping worker and back).
pub(crate) const COSTLY: usize = 1 << 14;

/// Elements per piece when `n` of them are split over the threads at `grain`.
pub(crate) fn piece_len(n: usize, grain: usize) -> usize {
    if n >= grain {
        n.div_ceil(THREADS)
    } else {
        n.max(1)
    }
}

/// Runs `f` compiled with the CPU's FMA and AVX2 when it has them: `mul_add`
/// is then one instruction and loops vectorize 8 wide (the same roundings).
/// Only what is inlined into `f` gets them, and LLVM does not reliably inline
/// a large closure into the `#[target_feature]` function here (which may not
/// be `#[inline(always)]` itself): mark every closure handed to it
/// `#[inline(always)]`, and the kernels it calls too.
#[inline(always)]
pub(crate) fn with_simd<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2") {
        #[target_feature(enable = "avx2,fma")]
        fn fast<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        // SAFETY: the CPU has both features, checked just above.
        return unsafe { fast(f) };
    }
    f()
}

/// `f` of each element of `xs`.
pub(crate) fn map<C, R>(xs: &[C], grain: usize, f: impl Fn(C) -> R + Sync) -> Result<Vec<R>>
where
    C: Copy + Sync,
    R: Copy + Send,
{
    let mut out = Vec::new();
    map_into(&mut out, xs, grain, f)?;
    Ok(out)
}

/// Appends `f` of each element of `xs` to `out`.
pub(crate) fn map_into<C, R>(
    out: &mut Vec<R>,
    xs: &[C],
    grain: usize,
    f: impl Fn(C) -> R + Sync,
) -> Result<()>
where
    C: Copy + Sync,
    R: Copy + Send,
{
    fill(
        out,
        xs.len(),
        grain,
        #[inline(always)]
        |start, slots| {
            let xs = &xs[start..start + slots.len()];
            for (slot, &x) in slots.iter_mut().zip(xs) {
                slot.write(f(x));
            }
        },
    )
}

/// `f` of each pair of elements of `xs` and `ys` (of one length).
pub(crate) fn zip<A, B, R>(
    xs: &[A],
    ys: &[B],
    grain: usize,
    f: impl Fn(A, B) -> R + Sync,
) -> Result<Vec<R>>
where
    A: Copy + Sync,
    B: Copy + Sync,
    R: Copy + Send,
{
    let n = xs.len().min(ys.len());
    let mut out = Vec::new();
    fill(
        &mut out,
        n,
        grain,
        #[inline(always)]
        |start, slots| {
            let end = start + slots.len();
            for ((slot, &x), &y) in slots.iter_mut().zip(&xs[start..end]).zip(&ys[start..end]) {
                slot.write(f(x, y));
            }
        },
    )?;
    Ok(out)
}

/// Appends `n` results to `out`: `kernel(start, slots)` writes every one of
/// `slots`, the results `start..start + slots.len()`. Kernels are inlined
/// closures, so that their loops compile for AVX2 in [`with_simd`].
fn fill<R: Copy + Send>(
    out: &mut Vec<R>,
    n: usize,
    grain: usize,
    kernel: impl Fn(usize, &mut [MaybeUninit<R>]) + Sync,
) -> Result<()> {
    out.reserve(n);
    let len = out.len();
    let slots = &mut out.spare_capacity_mut()[..n];
    if n < grain {
        // Grains are below a block: nothing this small polls.
        with_simd(
            #[inline(always)]
            || kernel(0, slots),
        );
    } else {
        let poll = Poll::current();
        let piece = piece_len(n, grain);
        slots
            .par_chunks_mut(piece)
            .enumerate()
            .try_for_each(|(i, part)| -> Result<()> {
                for (j, block) in part.chunks_mut(BLOCK).enumerate() {
                    poll.check()?;
                    with_simd(
                        #[inline(always)]
                        || kernel(i * piece + j * BLOCK, block),
                    );
                }
                Ok(())
            })?;
    }
    // SAFETY: the kernel wrote all `n` slots past the `len` initialized ones.
    unsafe { out.set_len(len + n) };
    Ok(())
}

/// Work that splits at an element index: a slice, or a pair of pieces of
/// work of one length (nest pairs for more).
pub(crate) trait Split: Sized + Send {
    fn len(&self) -> usize;
    fn split_at(self, mid: usize) -> (Self, Self);
}

impl<T: Sync> Split for &[T] {
    fn len(&self) -> usize {
        <[T]>::len(self)
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        <[T]>::split_at(self, mid.min(<[T]>::len(self)))
    }
}

impl<T: Send> Split for &mut [T] {
    fn len(&self) -> usize {
        <[T]>::len(self)
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        let mid = mid.min(<[T]>::len(self));
        <[T]>::split_at_mut(self, mid)
    }
}

impl<A: Split, B: Split> Split for (A, B) {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn split_at(self, mid: usize) -> (Self, Self) {
        let ((a0, a1), (b0, b1)) = (self.0.split_at(mid), self.1.split_at(mid));
        ((a0, b0), (a1, b1))
    }
}

/// Runs `f` over `work`, or over its two halves on two threads when it has
/// `grain` elements or more; compiled as [`with_simd`] says, if `f` is
/// inlined (mark the closure `#[inline(always)]`).
pub(crate) fn halves<S: Split>(work: S, grain: usize, f: impl Fn(S) + Sync) {
    let run = |part: S| {
        with_simd(
            #[inline(always)]
            || f(part),
        )
    };
    let n = work.len();
    if n < grain {
        return run(work);
    }
    let (a, b) = work.split_at(piece_len(n, grain));
    rayon::join(|| run(a), || run(b));
}

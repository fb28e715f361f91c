//! Walking strided layouts by runs, as ATen's TensorIterator does: dims that
//! step as one are merged, and the innermost dim becomes a run handed to a
//! tight loop (a slice copy when it is contiguous), so no kernel pays a
//! per-element index computation.

/// One run: where it starts in each operand and how each operand steps along it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Run<const K: usize> {
    pub start: [usize; K],
    pub len: usize,
    pub step: [usize; K],
}

/// The dims of `shape` for `K` operands given as strides, innermost first, with
/// size-1 dims dropped and each dim merged into the next inner one wherever
/// every operand steps across the pair as one.
fn merged<const K: usize>(shape: &[usize], strides: [&[usize]; K]) -> Vec<(usize, [usize; K])> {
    let mut dims: Vec<(usize, [usize; K])> = Vec::with_capacity(shape.len());
    for d in (0..shape.len()).rev() {
        if shape[d] == 1 {
            continue;
        }
        let step: [usize; K] = std::array::from_fn(|k| strides[k][d]);
        match dims.last_mut() {
            Some((size, inner)) if (0..K).all(|k| inner[k] * *size == step[k]) => {
                *size *= shape[d];
            }
            _ => dims.push((shape[d], step)),
        }
    }
    dims
}

/// Calls `f` for each innermost run of `shape`, in row-major order, for `K`
/// operands given as (strides, offset) over that shape (stride 0 broadcasts).
pub(crate) fn for_each_run<const K: usize>(
    shape: &[usize],
    operands: [(&[usize], usize); K],
    f: impl FnMut(Run<K>),
) {
    if shape.contains(&0) {
        return;
    }
    let dims = merged(shape, operands.map(|o| o.0));
    runs_of(&dims, operands.map(|o| o.1), f);
}

/// [`for_each_run`] over dims already merged (innermost first).
fn runs_of<const K: usize>(
    dims: &[(usize, [usize; K])],
    start: [usize; K],
    mut f: impl FnMut(Run<K>),
) {
    let Some(&(len, step)) = dims.first() else {
        return f(Run {
            start,
            len: 1,
            step: [0; K],
        });
    };
    let outer = &dims[1..];
    let mut index = vec![0usize; outer.len()];
    let mut at = start;
    loop {
        f(Run {
            start: at,
            len,
            step,
        });
        let mut d = 0;
        loop {
            if d == outer.len() {
                return;
            }
            let (size, strides) = outer[d];
            index[d] += 1;
            if index[d] < size {
                for k in 0..K {
                    at[k] += strides[k];
                }
                break;
            }
            for k in 0..K {
                at[k] -= strides[k] * (size - 1);
            }
            index[d] = 0;
            d += 1;
        }
    }
}

/// The elements of a (shape, strides, offset) layout over `data`, row-major.
pub(crate) fn gather<T: Copy>(
    data: &[T],
    shape: &[usize],
    strides: &[usize],
    offset: usize,
) -> Vec<T> {
    let total = shape.iter().product();
    if total == 0 {
        return Vec::new();
    }
    let dims = merged(shape, [strides]);
    if let [(_, [s1]), (_, [s2]), ..] = dims[..] {
        if 0 < s2 && s2 < s1 {
            return transposed(data, &dims, offset, total);
        }
    }
    let mut out = Vec::with_capacity(total);
    runs_of(&dims, [offset], |r| {
        let src = &data[r.start[0]..];
        match r.step[0] {
            1 => out.extend_from_slice(&src[..r.len]),
            0 => out.extend(std::iter::repeat_n(src[0], r.len)),
            s => {
                let src = &src[..(r.len - 1) * s + 1];
                out.extend((0..r.len).map(|i| src[i * s]));
            }
        }
    });
    out
}

/// The side of the square tiles a transposing gather copies at a time, so
/// that the lines it reads and the lines it writes both stay in L1.
const TILE: usize = 16;

/// [`gather`] of a layout whose second dim steps more finely through `data`
/// than its innermost one (a transpose, such as `x.t()` or channels-last to
/// channels-first): each [n2, n1] block is copied tile by tile, reading along
/// the finer dim.
fn transposed<T: Copy>(
    data: &[T],
    dims: &[(usize, [usize; 1])],
    offset: usize,
    total: usize,
) -> Vec<T> {
    let [(n1, [s1]), (n2, [s2])] = [dims[0], dims[1]];
    let mut out = vec![data[offset]; total];
    let mut blocks = out.chunks_exact_mut(n1 * n2);
    runs_of(&dims[2..], [offset], |r| {
        for b in 0..r.len {
            let Some(block) = blocks.next() else { return };
            let base = r.start[0] + b * r.step[0];
            for a0 in (0..n1).step_by(TILE) {
                for j0 in (0..n2).step_by(TILE) {
                    let js = j0..(j0 + TILE).min(n2);
                    for a in a0..(a0 + TILE).min(n1) {
                        let src = &data[base + a * s1..];
                        for j in js.clone() {
                            block[j * n1 + a] = src[j * s2];
                        }
                    }
                }
            }
        }
    });
    out
}

/// Writes `values` (row-major over `shape`) into the elements a layout addresses.
pub(crate) fn scatter_into<T: Copy>(
    data: &mut [T],
    shape: &[usize],
    strides: &[usize],
    offset: usize,
    values: &[T],
) {
    let mut next = 0;
    for_each_run(shape, [(strides, offset)], |r| {
        let src = &values[next..next + r.len];
        next += r.len;
        if r.step[0] == 1 {
            data[r.start[0]..r.start[0] + r.len].copy_from_slice(src);
        } else {
            for (i, &v) in src.iter().enumerate() {
                data[r.start[0] + i * r.step[0]] = v;
            }
        }
    });
}

/// `f` over the broadcast pairs of two strided operands, row-major over `shape`.
pub(crate) fn zip_map<A: Copy, B: Copy, R>(
    a: (&[A], &[usize], usize),
    b: (&[B], &[usize], usize),
    shape: &[usize],
    f: impl Fn(A, B) -> R,
) -> Vec<R> {
    let mut out = Vec::with_capacity(shape.iter().product());
    for_each_run(shape, [(a.1, a.2), (b.1, b.2)], |r| {
        let (xa, xb) = (&a.0[r.start[0]..], &b.0[r.start[1]..]);
        match r.step {
            [1, 1] => out.extend(xa[..r.len].iter().zip(&xb[..r.len]).map(|(&x, &y)| f(x, y))),
            [1, 0] => out.extend(xa[..r.len].iter().map(|&x| f(x, xb[0]))),
            [0, 1] => out.extend(xb[..r.len].iter().map(|&y| f(xa[0], y))),
            [sa, sb] => out.extend((0..r.len).map(|i| f(xa[i * sa], xb[i * sb]))),
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gathers_transposed_and_broadcast_layouts() {
        let data: Vec<i32> = (0..6).collect();
        // [[0,1,2],[3,4,5]] transposed: [[0,3],[1,4],[2,5]].
        assert_eq!(gather(&data, &[3, 2], &[1, 3], 0), vec![0, 3, 1, 4, 2, 5]);
        // Row 1 broadcast over 2 rows.
        assert_eq!(gather(&data, &[2, 3], &[0, 1], 3), vec![3, 4, 5, 3, 4, 5]);
        // Column broadcast along the inner dim.
        assert_eq!(gather(&data, &[2, 2], &[3, 0], 1), vec![1, 1, 4, 4]);
        assert_eq!(gather(&data, &[], &[], 4), vec![4]);
        assert!(gather(&data, &[2, 0], &[1, 1], 0).is_empty());
        // Channels-last [2, 3, 2] seen channels-first: 2-D blocks, read along the finer dim.
        let data: Vec<i32> = (0..12).collect();
        assert_eq!(
            gather(&data, &[2, 2, 3], &[6, 1, 2], 0),
            vec![0, 2, 4, 1, 3, 5, 6, 8, 10, 7, 9, 11]
        );
        assert_eq!(gather(&data, &[3, 2], &[1, 3], 1), vec![1, 4, 2, 5, 3, 6]);
    }

    #[test]
    fn scatters_and_zips_strided_runs() {
        let mut data = vec![0; 6];
        scatter_into(&mut data, &[3, 2], &[1, 3], 0, &[0, 3, 1, 4, 2, 5]);
        assert_eq!(data, (0..6).collect::<Vec<_>>());
        let sums = zip_map(
            (&data[..], &[3, 1], 0),
            (&data[..], &[0, 1], 0),
            &[2, 3],
            |x, y| x + y,
        );
        assert_eq!(sums, vec![0, 2, 4, 3, 5, 7]);
        let col = zip_map(
            (&data[..], &[1, 3], 0),
            (&data[..], &[1, 0], 0),
            &[3, 2],
            |x, y| x * 10 + y,
        );
        assert_eq!(col, vec![0, 30, 11, 41, 22, 52]);
    }
}

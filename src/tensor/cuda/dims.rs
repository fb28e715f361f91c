//! How elementwise kernels address their operands: one output shape and, per
//! operand, strides (0 where it is broadcast) and an offset, all in elements.
//! Dims are coalesced on the host first, so the common cases (same-shape
//! contiguous operands, a scalar against a tensor) reach the kernel as one
//! dimension and need no index arithmetic per element.

use cudarc::driver::DeviceRepr;

use super::super::error::{runtime, Result};
use super::super::layout::{shape_list, Layout};

/// The most dimensions a kernel handles after coalescing (`MAX_DIMS` in kernels.cu).
pub const MAX_DIMS: usize = 8;
/// The most operands of one kernel (`MAX_OPERANDS` in kernels.cu): `where` has three.
const MAX_OPERANDS: usize = 3;

/// `struct Dims` in kernels.cu, passed by value.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dims {
    ndim: i64,
    shape: [i64; MAX_DIMS],
    strides: [[i64; MAX_DIMS]; MAX_OPERANDS],
    offsets: [i64; MAX_OPERANDS],
}

// SAFETY: a plain `repr(C)` struct of integers with the same layout as the C struct.
unsafe impl DeviceRepr for Dims {}

impl Dims {
    /// The operands seen through a broadcast to `shape`. `lens` are the storage
    /// lengths, checked so that no kernel reads outside its buffer.
    pub fn new(shape: &[usize], operands: &[(&Layout, usize)]) -> Result<Dims> {
        if operands.len() > MAX_OPERANDS {
            return runtime("internal error: too many operands for a CUDA kernel");
        }
        let mut views = Vec::with_capacity(operands.len());
        for &(layout, len) in operands {
            check_broadcastable(&layout.shape, shape)?;
            let view = layout.broadcast_to(shape);
            check_in_bounds(&view, len)?;
            views.push(view);
        }
        let merged = coalesce(shape, &views);
        if merged.len() > MAX_DIMS {
            return runtime(format!(
                "nnlearn's CUDA kernels handle at most {MAX_DIMS} dimensions, got shape {}",
                shape_list(shape)
            ));
        }
        let mut dims = Dims {
            ndim: merged.len() as i64,
            shape: [1; MAX_DIMS],
            strides: [[0; MAX_DIMS]; MAX_OPERANDS],
            offsets: [0; MAX_OPERANDS],
        };
        for (d, (size, strides)) in merged.iter().enumerate() {
            dims.shape[d] = *size as i64;
            for (k, &s) in strides.iter().enumerate() {
                dims.strides[k][d] = s as i64;
            }
        }
        for (k, view) in views.iter().enumerate() {
            dims.offsets[k] = view.offset as i64;
        }
        Ok(dims)
    }
}

fn check_broadcastable(from: &[usize], to: &[usize]) -> Result<()> {
    let fits = from.len() <= to.len()
        && from
            .iter()
            .rev()
            .zip(to.iter().rev())
            .all(|(&f, &t)| f == t || f == 1);
    if fits {
        Ok(())
    } else {
        runtime(format!(
            "internal error: shape {} does not broadcast to {}",
            shape_list(from),
            shape_list(to)
        ))
    }
}

fn check_in_bounds(view: &Layout, len: usize) -> Result<()> {
    if view.numel() == 0 {
        return Ok(());
    }
    let last: usize = view.offset
        + view
            .shape
            .iter()
            .zip(&view.strides)
            .map(|(&n, &s)| (n - 1) * s)
            .sum::<usize>();
    if last < len {
        Ok(())
    } else {
        runtime("internal error: a CUDA tensor's layout reaches past its storage")
    }
}

/// Drops size-1 dims and merges each dim into the next inner one when every
/// operand steps through both as one run. Always at least one dim.
fn coalesce(shape: &[usize], views: &[Layout]) -> Vec<(usize, Vec<usize>)> {
    let mut out: Vec<(usize, Vec<usize>)> = Vec::new();
    for (d, &size) in shape.iter().enumerate() {
        if size == 1 {
            continue;
        }
        let strides: Vec<usize> = views.iter().map(|v| v.strides[d]).collect();
        match out.last_mut() {
            Some((outer, outer_strides))
                if outer_strides
                    .iter()
                    .zip(&strides)
                    .all(|(&o, &s)| o == s * size) =>
            {
                *outer *= size;
                *outer_strides = strides;
            }
            _ => out.push((size, strides)),
        }
    }
    if out.is_empty() {
        out.push((1, vec![0; views.len()]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(shape: &[usize], strides: &[usize], offset: usize) -> Layout {
        Layout {
            shape: shape.to_vec(),
            strides: strides.to_vec(),
            offset,
        }
    }

    /// Coalesced dims as `shape | strides per operand | offsets`.
    fn check(shape: &[usize], operands: &[(Layout, usize)], expected: &str) {
        let ops: Vec<(&Layout, usize)> = operands.iter().map(|(l, n)| (l, *n)).collect();
        let got = match Dims::new(shape, &ops) {
            Ok(d) => {
                let n = d.ndim as usize;
                let strides: Vec<String> = (0..ops.len())
                    .map(|k| format!("{:?}", &d.strides[k][..n]))
                    .collect();
                format!(
                    "{:?} | {} | {:?}",
                    &d.shape[..n],
                    strides.join(" "),
                    &d.offsets[..ops.len()]
                )
            }
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expected);
    }

    #[test]
    fn same_shape_contiguous_is_one_dim() {
        let a = Layout::contiguous(&[2, 3, 4]);
        check(
            &[2, 3, 4],
            &[(a.clone(), 24), (a, 24)],
            "[24] | [1] [1] | [0, 0]",
        );
    }

    #[test]
    fn scalar_against_tensor() {
        check(
            &[2, 3],
            &[
                (Layout::contiguous(&[2, 3]), 6),
                (Layout::contiguous(&[]), 1),
            ],
            "[6] | [1] [0] | [0, 0]",
        );
    }

    #[test]
    fn row_broadcast_keeps_two_dims() {
        check(
            &[4, 3],
            &[
                (Layout::contiguous(&[4, 3]), 12),
                (Layout::contiguous(&[3]), 3),
            ],
            "[4, 3] | [3, 1] [0, 1] | [0, 0]",
        );
    }

    #[test]
    fn transposed_view_with_offset() {
        // x[1:].t() of a 3x2 tensor: shape [2, 2], strides [1, 2], offset 2.
        check(
            &[2, 2],
            &[(layout(&[2, 2], &[1, 2], 2), 6)],
            "[2, 2] | [1, 2] | [2]",
        );
    }

    #[test]
    fn size_one_dims_vanish_and_scalars_keep_one_dim() {
        check(
            &[1, 5, 1],
            &[(Layout::contiguous(&[1, 5, 1]), 5)],
            "[5] | [1] | [0]",
        );
        check(&[], &[(Layout::contiguous(&[]), 1)], "[1] | [0] | [0]");
    }

    #[test]
    fn bad_layouts_are_errors_not_reads_out_of_bounds() {
        check(
            &[3],
            &[(Layout::contiguous(&[3]), 2)],
            "internal error: a CUDA tensor's layout reaches past its storage",
        );
        check(
            &[3],
            &[(Layout::contiguous(&[2]), 2)],
            "internal error: shape [2] does not broadcast to [3]",
        );
        let nine: Vec<usize> = vec![2; 9];
        // Strides 4^8 .. 4^0 over sizes of 2: no two dims merge.
        let strides: Vec<usize> = (0..9).map(|i| 1 << (2 * (8 - i))).collect();
        check(
            &nine,
            &[(layout(&nine, &strides, 0), 1 << 18)],
            "nnlearn's CUDA kernels handle at most 8 dimensions, got shape [2, 2, 2, 2, 2, 2, 2, 2, 2]",
        );
    }
}

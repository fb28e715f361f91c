//! Long kernels poll the session's interrupt flag ([`crate::guard::interrupt`])
//! between blocks, so Esc / Ctrl-C stop them with `KeyboardInterrupt` within
//! milliseconds; inputs are only read, so every existing tensor stays intact.

use super::error::{Result, TensorError};

/// Elements a kernel handles between two polls: a fraction of a millisecond.
pub(crate) const BLOCK: usize = 1 << 16;

/// `Err(Interrupted)` once the flag has been raised.
pub(crate) fn check() -> Result<()> {
    match crate::guard::interrupt::take() {
        true => Err(TensorError::Interrupted),
        false => Ok(()),
    }
}

/// Collects the `n` items of `items`, polling between blocks when there are many.
pub(crate) fn collect<R>(n: usize, mut items: impl Iterator<Item = R>) -> Result<Vec<R>> {
    if n <= BLOCK {
        return Ok(items.collect());
    }
    let mut out = Vec::with_capacity(n);
    loop {
        check()?;
        let before = out.len();
        out.extend(items.by_ref().take(BLOCK));
        if out.len() - before < BLOCK {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
    use std::sync::Arc;

    use crate::tensor::{DType, Tensor, TensorError};

    #[test]
    fn a_raised_flag_stops_long_kernels_and_leaves_their_inputs() {
        let flag = Arc::new(AtomicBool::new(false));
        let _watch = crate::guard::interrupt::watch(flag.clone());
        let long = Tensor::ones(&[1 << 20], DType::F32).expect("a tensor");
        let square = Tensor::ones(&[1300, 1300], DType::F32).expect("a tensor");
        let wide = long
            .reshape(&[1024, 1024])
            .expect("a view")
            .t()
            .expect("a view");
        let stopped = |op: &dyn Fn() -> crate::tensor::Result<Tensor>| {
            flag.store(true, Relaxed);
            let result = op();
            flag.store(false, Relaxed);
            matches!(result, Err(TensorError::Interrupted))
        };
        assert!(stopped(&|| long.add(&long)));
        assert!(stopped(&|| long.exp()));
        assert!(stopped(&|| square.matmul(&square)));
        assert!(stopped(&|| Tensor::cat(&[long.clone(), long.clone()], 0)));
        assert!(stopped(&|| wide.contiguous()));
        // Small ops never poll.
        let small = Tensor::ones(&[4, 3], DType::F32).expect("a tensor");
        flag.store(true, Relaxed);
        assert!(small.add(&small).is_ok());
        flag.store(false, Relaxed);
        let total = long
            .sum(None, false)
            .expect("a sum")
            .item()
            .expect("a number");
        assert_eq!(total.to_f64(), (1 << 20) as f64);
    }
}

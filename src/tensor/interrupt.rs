//! Long kernels poll the session's interrupt flag ([`crate::guard::interrupt`])
//! between blocks, so Esc / Ctrl-C stop them with `KeyboardInterrupt` within
//! milliseconds; inputs are only read, so every existing tensor stays intact.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;

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

/// The calling thread's flag, for a kernel whose blocks run on several
/// threads: each polls it, and once one has stopped the others stop too.
pub(crate) struct Poll {
    flag: Option<Arc<AtomicBool>>,
    stopped: AtomicBool,
}

impl Poll {
    pub(crate) fn current() -> Poll {
        Poll {
            flag: crate::guard::interrupt::current(),
            stopped: AtomicBool::new(false),
        }
    }

    /// As [`check`], from any thread.
    pub(crate) fn check(&self) -> Result<()> {
        let raised = || {
            self.flag
                .as_ref()
                .is_some_and(|f| f.load(Relaxed) && f.swap(false, Relaxed))
        };
        if self.stopped.load(Relaxed) || raised() {
            self.stopped.store(true, Relaxed);
            return Err(TensorError::Interrupted);
        }
        Ok(())
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

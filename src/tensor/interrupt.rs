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

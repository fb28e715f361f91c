//! Ctrl-C while code runs: SIGINT sets the session's interrupt flag, which raises
//! `KeyboardInterrupt` in the running code.
//!
//! The handler replaces whatever was installed before, without chaining to it. rustyline installs
//! its own SIGINT handler when the editor is made (at the prompt it reads Ctrl-C as a key, in raw
//! mode); chained, that handler would leave a byte in its signal pipe that a later resize turns
//! into a spurious interrupt of the line being typed. So [`interrupt_on_sigint`] is called after
//! the editor exists.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::sync::Arc;

/// The flag the handler sets; a leaked `Arc`, so a running handler never sees it freed.
static FLAG: AtomicPtr<AtomicBool> = AtomicPtr::new(std::ptr::null_mut());

extern "C" fn on_sigint(_: libc::c_int) {
    let flag = FLAG.load(Ordering::Acquire);
    if !flag.is_null() {
        // SAFETY: `flag` came from `Arc::into_raw` and is never released.
        unsafe { (*flag).store(true, Ordering::SeqCst) };
    }
}

/// From now on SIGINT sets `flag`.
pub fn interrupt_on_sigint(flag: Arc<AtomicBool>) -> io::Result<()> {
    FLAG.store(Arc::into_raw(flag).cast_mut(), Ordering::Release);
    // SAFETY: a zeroed `sigaction` is valid; the handler only does an atomic load and store,
    // which are async-signal-safe.
    let result = unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigint as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut())
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigint_sets_the_flag() {
        let flag = Arc::new(AtomicBool::new(false));
        interrupt_on_sigint(flag.clone()).expect("sigaction");
        // SAFETY: raising a signal whose handler is installed above.
        unsafe { libc::raise(libc::SIGINT) };
        assert!(flag.load(Ordering::SeqCst));
    }
}

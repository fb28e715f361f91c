//! `module.train()` / `module.eval()`: which modules are in evaluation mode.
//!
//! PyTorch keeps a `training` flag on every module object. nnlearn's modules
//! are immutable values shared by `Arc` (a `Sequential` holds its children by
//! reference, as Python does), so the flag lives here instead, in a table of
//! the modules switched to evaluation mode. Each entry is a `Weak` to the
//! module: it keeps the module's allocation, and so its address, from being
//! reused while the entry exists, which makes the address a sound key.

use std::sync::{Arc, Mutex, Weak};

use super::Module;

static IN_EVAL: Mutex<Vec<Weak<Module>>> = Mutex::new(Vec::new());

fn table() -> std::sync::MutexGuard<'static, Vec<Weak<Module>>> {
    IN_EVAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// `module.training`: true unless `eval()` (or `train(False)`) was called on
/// it or on a container holding it.
pub fn is_training(module: &Module) -> bool {
    let at = module as *const Module;
    !table().iter().any(|w| w.as_ptr() == at)
}

/// `module.train(mode)`: sets the mode of the module and of every module it
/// contains.
pub fn set_training(module: &Arc<Module>, training: bool) {
    let mut modules = vec![module.clone()];
    let mut i = 0;
    while let Some(m) = modules.get(i) {
        let children = m.children().to_vec();
        modules.extend(children);
        i += 1;
    }
    let mut table = table();
    // Entries of dropped modules only pin freed memory: prune them here.
    table.retain(|w| w.strong_count() > 0);
    for m in &modules {
        table.retain(|w| w.as_ptr() != Arc::as_ptr(m));
        if !training {
            table.push(Arc::downgrade(m));
        }
    }
}

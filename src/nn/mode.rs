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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::random::Generator;
    use crate::tensor::{DType, Tensor};

    fn sequential(children: Vec<Module>) -> Arc<Module> {
        Arc::new(Module::Sequential(
            children.into_iter().map(Arc::new).collect(),
        ))
    }

    #[test]
    fn eval_reaches_nested_children_and_train_undoes_it() {
        let model = sequential(vec![Module::ReLU, Module::Dropout(0.5)]);
        let outer = Arc::new(Module::Sequential(vec![
            model.clone(),
            Arc::new(Module::Tanh),
        ]));
        set_training(&outer, false);
        let all = [&outer, &model, &model.children()[1], &outer.children()[1]];
        assert!(all.iter().all(|m| !is_training(m)));
        set_training(&model, true);
        assert!(is_training(&model) && is_training(&model.children()[1]));
        assert!(!is_training(&outer));
    }

    #[test]
    fn a_new_module_starts_in_training_mode() {
        for _ in 0..100 {
            let m = Arc::new(Module::Dropout(0.1));
            assert!(is_training(&m));
            set_training(&m, false);
        }
    }

    #[test]
    fn dropout_in_a_container_follows_the_mode() {
        let model = sequential(vec![Module::Dropout(0.5)]);
        let x = Tensor::ones(&[50], DType::F32).unwrap();
        let mut gen = Generator::new(0);
        let y = model
            .forward_with(std::slice::from_ref(&x), Some(&mut gen))
            .unwrap();
        let direct = super::super::dropout::dropout(&x, 0.5, true, &mut Generator::new(0));
        assert!(y.equal(&direct.unwrap()).unwrap());
        assert!(
            model.forward(std::slice::from_ref(&x)).is_err(),
            "training needs a generator"
        );
        set_training(&model, false);
        assert!(model
            .forward(std::slice::from_ref(&x))
            .unwrap()
            .equal(&x)
            .unwrap());
    }
}

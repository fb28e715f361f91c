//! `torch.nn` and `torch.optim`: modules, losses and optimizers on top of the
//! tensor engine.

pub mod conv;
pub mod functional;
pub mod loss;
pub mod module;
pub mod optim;
pub mod rnn;

pub use loss::LossKind;
pub use module::{Linear, Module};
pub use optim::{AdamOptions, Optimizer, SgdOptions};

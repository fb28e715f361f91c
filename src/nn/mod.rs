//! `torch.nn` and `torch.optim`: modules, losses and optimizers on top of the
//! tensor engine.

mod adam_avx2;
pub mod conv;
pub mod dropout;
pub mod embedding;
pub mod functional;
pub mod loss;
pub mod mode;
pub mod module;
pub mod norm;
pub mod optim;
pub mod rnn;

pub use embedding::Embedding;
pub use loss::LossKind;
pub use module::{Linear, Module};
pub use norm::LayerNorm;
pub use optim::{AdamOptions, Optimizer, SgdOptions};

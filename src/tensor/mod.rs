//! The tensor engine: storage, dtypes, ops, autograd, random numbers and printing.

pub mod dtype;
pub mod format;
pub mod random;

pub use dtype::{DType, Kind};

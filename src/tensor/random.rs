//! PyTorch's CPU generator: mt19937 and the distributions built on it.

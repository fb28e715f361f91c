//! Errors of the tensor engine, each mapping to the Python exception PyTorch raises.

/// An error from a tensor operation. The message is PyTorch's wording.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TensorError {
    #[error("{0}")]
    Runtime(String),
    #[error("{0}")]
    Index(String),
    #[error("{0}")]
    Type(String),
    #[error("{0}")]
    Value(String),
    /// PyTorch's NotImplementedError: an op with no kernel for a dtype.
    #[error("{0}")]
    NotImplemented(String),
    /// The session's interrupt flag was raised during a long op.
    #[error("")]
    Interrupted,
    /// The memory budget is used up (Python's MemoryError).
    #[error("{0}")]
    Memory(String),
}

impl From<crate::guard::OverBudget> for TensorError {
    fn from(e: crate::guard::OverBudget) -> TensorError {
        TensorError::Memory(e.to_string())
    }
}

impl TensorError {
    /// The Python exception class this error is raised as.
    pub fn class(&self) -> &'static str {
        match self {
            TensorError::Runtime(_) => "RuntimeError",
            TensorError::Index(_) => "IndexError",
            TensorError::Type(_) => "TypeError",
            TensorError::Value(_) => "ValueError",
            TensorError::NotImplemented(_) => "NotImplementedError",
            TensorError::Interrupted => "KeyboardInterrupt",
            TensorError::Memory(_) => "MemoryError",
        }
    }
}

pub type Result<T> = std::result::Result<T, TensorError>;

pub(crate) fn runtime<T>(msg: impl Into<String>) -> Result<T> {
    Err(TensorError::Runtime(msg.into()))
}

pub(crate) fn index_err<T>(msg: impl Into<String>) -> Result<T> {
    Err(TensorError::Index(msg.into()))
}

pub(crate) fn not_implemented<T>(msg: impl Into<String>) -> Result<T> {
    Err(TensorError::NotImplemented(msg.into()))
}

/// A double as C++'s `ostream` writes it (`%g`: `-1`, `1.5`, `1e+10`), as
/// PyTorch's C++ messages show numbers.
pub fn cpp_number(x: f64) -> String {
    crate::pyfmt::FormatSpec::parse("g")
        .and_then(|spec| crate::pyfmt::format_float(x, &spec))
        .unwrap_or_else(|_| x.to_string())
}

pub(crate) fn value_err<T>(msg: impl Into<String>) -> Result<T> {
    Err(TensorError::Value(msg.into()))
}

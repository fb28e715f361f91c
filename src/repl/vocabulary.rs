//! Member names offered by tab completion after a dot, for objects that cannot list their own:
//! tensors and modules (LANGUAGE.md section 2) and the built-in types (section 1). The
//! completer keeps only the names an object really has.

/// Tensor attributes and methods.
const TENSOR: &[&str] = &[
    "shape",
    "size",
    "dim",
    "ndim",
    "dtype",
    "device",
    "numel",
    "item",
    "tolist",
    "T",
    "requires_grad",
    "grad",
    "grad_fn",
    "is_leaf",
    "float",
    "double",
    "long",
    "bool",
    "to",
    "backward",
    "requires_grad_",
    "retain_grad",
    "zero_",
    "detach",
    "cuda",
    "cpu",
    "values",
    "indices",
    "reshape",
    "view",
    "unsqueeze",
    "squeeze",
    "flatten",
    "transpose",
    "permute",
    "t",
    "expand",
    "repeat",
    "chunk",
    "split",
    "clone",
    "contiguous",
    "neg",
    "abs",
    "exp",
    "log",
    "log1p",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "relu",
    "clamp",
    "pow",
    "maximum",
    "minimum",
    "where",
    "sign",
    "round",
    "logical_and",
    "logical_or",
    "logical_not",
    "sum",
    "mean",
    "prod",
    "max",
    "min",
    "argmax",
    "argmin",
    "std",
    "var",
    "norm",
    "logsumexp",
    "all",
    "any",
    "matmul",
    "mm",
    "mv",
    "dot",
    "outer",
    "bmm",
    "allclose",
    "isclose",
    "equal",
];

/// Members of modules and optimizers.
const MODULE: &[&str] = &[
    "parameters",
    "named_parameters",
    "zero_grad",
    "weight",
    "bias",
    "in_features",
    "out_features",
    "train",
    "eval",
    "step",
    "forward",
];

const LIST: &[&str] = &["append", "extend", "pop", "insert", "index", "copy"];
const DICT: &[&str] = &["items", "keys", "values", "get"];
const STR: &[&str] = &[
    "format",
    "join",
    "split",
    "strip",
    "upper",
    "lower",
    "replace",
    "startswith",
    "endswith",
];

/// Methods of a built-in Python type, by its type name.
pub fn type_methods(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "list" => LIST,
        "dict" => DICT,
        "str" => STR,
        _ => &[],
    }
}

/// Every member a tensor, module or optimizer may have.
pub fn host_members() -> impl Iterator<Item = &'static str> {
    TENSOR.iter().chain(MODULE).copied()
}

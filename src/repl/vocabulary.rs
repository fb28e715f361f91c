//! Names offered by tab completion after a dot, from the language spec
//! (/work/shared/spec/LANGUAGE.md, sections 1 and 2).

/// Names bound before any code runs (LANGUAGE.md: "`torch`, `nn`, `F` and `optim` are also
/// pre-bound"), each with the module it stands for.
pub const PRELUDE: &[(&str, &str)] = &[
    ("torch", "torch"),
    ("nn", "torch.nn"),
    ("F", "torch.nn.functional"),
    ("optim", "torch.optim"),
];

/// Functions that are both `torch.f(x)` and `x.f()`.
const TENSOR_FUNCTIONS: &[&str] = &[
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
    "detach",
    "numel",
];

/// `torch.` names that are not tensor methods.
const TORCH_ONLY: &[&str] = &[
    "tensor",
    "zeros",
    "ones",
    "full",
    "eye",
    "arange",
    "linspace",
    "rand",
    "randn",
    "randint",
    "normal",
    "zeros_like",
    "ones_like",
    "full_like",
    "rand_like",
    "randn_like",
    "manual_seed",
    "cat",
    "stack",
    "no_grad",
    "autograd",
    "nn",
    "optim",
    "cuda",
    "device",
    "set_default_device",
    "linalg",
    "float32",
    "float64",
    "int64",
    "bool",
    "Tensor",
];

/// Tensor attributes and methods that are not `torch.` functions.
const TENSOR_ONLY: &[&str] = &[
    "shape",
    "size",
    "dim",
    "ndim",
    "dtype",
    "device",
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
    "cuda",
    "cpu",
    "values",
    "indices",
];

const NN: &[&str] = &[
    "Module",
    "Linear",
    "Sequential",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "Softmax",
    "Flatten",
    "Identity",
    "MSELoss",
    "L1Loss",
    "CrossEntropyLoss",
    "NLLLoss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "HuberLoss",
    "SmoothL1Loss",
    "Parameter",
    "functional",
    "Conv2d",
    "MaxPool2d",
    "RNN",
    "RNNCell",
    "Embedding",
    "LayerNorm",
    "Dropout",
];

const FUNCTIONAL: &[&str] = &[
    "relu",
    "sigmoid",
    "tanh",
    "softmax",
    "log_softmax",
    "mse_loss",
    "l1_loss",
    "cross_entropy",
    "nll_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "linear",
    "conv2d",
    "max_pool2d",
    "scaled_dot_product_attention",
];

/// Members of modules and optimizers.
const MODULE_MEMBERS: &[&str] = &[
    "parameters",
    "named_parameters",
    "zero_grad",
    "weight",
    "bias",
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

/// The members of a module given by its full dotted name (`torch.nn`), if it is one.
pub fn module_members(module: &str) -> Option<Vec<&'static str>> {
    let members = match module {
        "torch" => [TENSOR_FUNCTIONS, TORCH_ONLY].concat(),
        "torch.nn" => NN.to_vec(),
        "torch.nn.functional" => FUNCTIONAL.to_vec(),
        "torch.optim" => vec!["SGD", "Adam"],
        "torch.cuda" => vec!["is_available"],
        "torch.linalg" => vec!["vector_norm"],
        "torch.autograd" => vec!["grad"],
        _ => return None,
    };
    Some(members)
}

/// Methods of a built-in Python type, by its type name.
pub fn type_methods(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "list" => LIST,
        "dict" => DICT,
        "str" => STR,
        _ => &[],
    }
}

/// Every member a host object (tensor, module, optimizer, torch namespace) may have; the
/// completer keeps those the object really has.
pub fn host_members() -> Vec<&'static str> {
    let modules = [
        "torch",
        "torch.nn",
        "torch.nn.functional",
        "torch.optim",
        "torch.cuda",
    ];
    let mut all: Vec<&str> = [TENSOR_FUNCTIONS, TENSOR_ONLY, MODULE_MEMBERS].concat();
    all.extend(modules.iter().filter_map(|m| module_members(m)).flatten());
    all.sort_unstable();
    all.dedup();
    all
}

//! Member names offered by tab completion after a dot, for objects that cannot list their own:
//! tensors (from the bindings' own tables), modules (LANGUAGE.md section 2) and the built-in
//! types (section 1). The completer keeps only the names an object really has.

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
    crate::lang::torch::tensor_members().chain(MODULE.iter().copied())
}

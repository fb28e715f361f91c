//! Member names offered by tab completion after a dot, for objects that cannot list their own:
//! tensors (from the bindings' own tables), modules (LANGUAGE.md section 2) and the built-in
//! types (their method tables in `lang::methods`). The completer keeps only the names an object really has.

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

/// Methods of a built-in Python type, by its type name.
pub fn type_methods(type_name: &str) -> &'static [&'static str] {
    crate::lang::methods::type_methods(type_name)
}

/// Every member a tensor, module or optimizer may have.
pub fn host_members() -> impl Iterator<Item = &'static str> {
    crate::lang::torch::tensor_members().chain(MODULE.iter().copied())
}

//! `torch.autograd.Function`: user subclasses with static `forward(ctx, ...)` and
//! `backward(ctx, *grads)`, called through `Cls.apply(...)`.
//!
//! As in PyTorch the `ctx` is the backward node itself: an instance of `<Cls>Backward`
//! (module `torch.autograd.function`), which is what `y.grad_fn` returns. The tensor engine
//! records an `Op::Custom` node carrying the ctx; `backward()` and `autograd.grad` hand the
//! engine a closure that calls the Python `backward` through the interpreter.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use indexmap::IndexMap;

use super::convert::{as_tensor, raise, tensor_value, PyResult};
use crate::lang::object::{object_class, Class, Descriptor, Instance};
use crate::lang::value::{lock, Args, NativeFunction, Value};
use crate::lang::{Exception, Interp};
use crate::tensor::autograd::{intern, CustomBackward, CustomNode, GradGuard};
use crate::tensor::{Tensor, TensorError};

const MODULE: &str = "torch.autograd.function";

/// What a ctx holds besides its `__dict__`.
struct CtxState {
    /// `save_for_backward(...)`: tensors or `None`s.
    saved: Mutex<Vec<Value>>,
    /// One flag per forward argument: a tensor that requires grad.
    needs_input_grad: Vec<bool>,
    /// Set once backward freed the graph.
    released: Arc<AtomicBool>,
}

/// The custom node's payload: the ctx, the Function subclass and which forward arguments
/// were tensors (the node's inputs, in order).
struct Payload {
    ctx: Value,
    function: Arc<Class>,
    tensor_args: Vec<bool>,
}

struct Classes {
    function: Arc<Class>,
    backward_base: Arc<Class>,
}

fn class(name: &str, bases: Vec<Arc<Class>>, dict: IndexMap<String, Value>) -> Arc<Class> {
    match Class::new(name, name, MODULE, bases, dict) {
        Ok(c) => c,
        Err(_) => unreachable!("single inheritance from object has an MRO"),
    }
}

fn static_method(f: Value) -> Value {
    Value::Descriptor(Arc::new(Descriptor::StaticMethod(f)))
}

fn property(fget: Value) -> Value {
    Value::Descriptor(Arc::new(Descriptor::Property {
        fget,
        fset: Value::None,
        fdel: Value::None,
    }))
}

/// A method of ctx objects. Class dicts bind only Python functions, so the method is a
/// property that binds `f` to the ctx it is read from.
fn method(name: &'static str, f: Value) -> Value {
    property(NativeFunction::value(name, move |_, args: Args| {
        let ctx = args.positional.first().cloned().unwrap_or(Value::None);
        Ok(Interp::bound(ctx, f.clone()))
    }))
}

fn not_implemented(name: &'static str, message: &'static str) -> Value {
    static_method(NativeFunction::value(name, move |_, _| {
        Err(Exception::new("NotImplementedError", message))
    }))
}

static CLASSES: LazyLock<Classes> = LazyLock::new(|| {
    let mut dict = IndexMap::new();
    dict.insert(
        "apply".to_string(),
        Value::Descriptor(Arc::new(Descriptor::ClassMethod(NativeFunction::value(
            "apply", apply,
        )))),
    );
    dict.insert(
        "forward".to_string(),
        not_implemented(
            "forward",
            "You must implement the forward function for custom autograd.Function.",
        ),
    );
    dict.insert(
        "backward".to_string(),
        not_implemented(
            "backward",
            "You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.",
        ),
    );
    let function = class("Function", vec![object_class()], dict);
    let backward_base = class("BackwardCFunction", vec![object_class()], ctx_methods());
    Classes {
        function,
        backward_base,
    }
});

/// `torch.autograd.Function`.
pub fn function_class() -> Value {
    Value::Class(CLASSES.function.clone())
}

fn ctx_state(v: Option<&Value>) -> PyResult<(Arc<Instance>, Arc<CtxState>)> {
    if let Some(Value::Instance(inst)) = v {
        if let Some(state) = inst.host.get().cloned() {
            if let Ok(state) = state.downcast::<CtxState>() {
                return Ok((inst.clone(), state));
            }
        }
    }
    Err(Exception::type_error(
        "expected an autograd Function context",
    ))
}

/// The methods every ctx (`<Cls>Backward` instance) has.
fn ctx_methods() -> IndexMap<String, Value> {
    let mut dict = IndexMap::new();
    dict.insert(
        "save_for_backward".to_string(),
        method(
            "save_for_backward",
            NativeFunction::value("save_for_backward", |_, args: Args| {
                let (_, state) = ctx_state(args.positional.first())?;
                let tensors = &args.positional[1..];
                for (i, t) in tensors.iter().enumerate() {
                    if !matches!(t, Value::None) && as_tensor(t).is_none() {
                        return Err(Exception::type_error(format!(
                        "save_for_backward can only save variables, but argument {i} is of type {}",
                        t.type_name()
                    )));
                    }
                }
                *lock(&state.saved) = tensors.to_vec();
                Ok(Value::None)
            }),
        ),
    );
    dict.insert(
        "saved_tensors".to_string(),
        property(NativeFunction::value("saved_tensors", |_, args: Args| {
            let (_, state) = ctx_state(args.positional.first())?;
            if state.released.load(Ordering::Relaxed) {
                return Err(Exception::runtime_error("Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward."));
            }
            let saved = lock(&state.saved).clone();
            Ok(Value::tuple(saved))
        })),
    );
    dict.insert(
        "needs_input_grad".to_string(),
        property(NativeFunction::value(
            "needs_input_grad",
            |_, args: Args| {
                let (_, state) = ctx_state(args.positional.first())?;
                Ok(Value::tuple(
                    state
                        .needs_input_grad
                        .iter()
                        .map(|&b| Value::Bool(b))
                        .collect(),
                ))
            },
        )),
    );
    dict.insert(
        "set_materialize_grads".to_string(),
        // Output gradients are always materialized here (never undefined).
        method(
            "set_materialize_grads",
            NativeFunction::value("set_materialize_grads", |_, _| Ok(Value::None)),
        ),
    );
    dict.insert(
        "name".to_string(),
        method(
            "name",
            NativeFunction::value("name", |_, args: Args| {
                let (inst, _) = ctx_state(args.positional.first())?;
                Ok(Value::str(inst.class.name.as_str()))
            }),
        ),
    );
    dict
}

/// `Cls._backward_cls`: the class of `Cls`'s ctx objects, made on first use.
fn backward_class(function: &Arc<Class>) -> Arc<Class> {
    if let Some(Value::Class(c)) = function.own("_backward_cls") {
        return c;
    }
    let made = class(
        &format!("{}Backward", function.name),
        vec![CLASSES.backward_base.clone()],
        IndexMap::new(),
    );
    function.set("_backward_cls", Value::Class(made.clone()));
    made
}

/// `Cls.apply(*args)`: runs `forward` without grad and, when grad mode is on and a tensor
/// argument requires grad, makes its tensor output the output of a new custom node.
fn apply(interp: &mut Interp<'_>, args: Args) -> PyResult<Value> {
    let mut positional = args.positional.into_iter();
    let Some(Value::Class(function)) = positional.next() else {
        return Err(Exception::type_error(
            "apply() must be called on a Function class",
        ));
    };
    let rest: Vec<Value> = positional.collect();
    let tensors: Vec<Option<Tensor>> = rest.iter().map(as_tensor).collect();
    let needs_input_grad: Vec<bool> = tensors
        .iter()
        .map(|t| t.as_ref().is_some_and(|t| t.requires_grad()))
        .collect();
    let records = crate::tensor::is_grad_enabled() && needs_input_grad.contains(&true);
    let released = Arc::new(AtomicBool::new(false));
    let ctx = Instance::new(backward_class(&function));
    let _ = ctx.host.set(Arc::new(CtxState {
        saved: Mutex::new(Vec::new()),
        needs_input_grad,
        released: released.clone(),
    }));
    let ctx = Value::Instance(ctx);
    let forward = interp.get_attr(&Value::Class(function.clone()), "forward")?;
    let mut forward_args = vec![ctx.clone()];
    forward_args.extend(rest);
    let out = {
        let _no_grad = GradGuard::new(false);
        interp.call(
            &forward,
            Args {
                positional: forward_args,
                keywords: args.keywords,
            },
        )?
    };
    if !records {
        return Ok(out);
    }
    let Some(output) = as_tensor(&out) else {
        if let Value::Tuple(items) = &out {
            if items.iter().any(|v| as_tensor(v).is_some()) {
                return Err(Exception::new(
                    "NotImplementedError",
                    "nnlearn: a custom autograd Function must return a single tensor to be differentiated",
                ));
            }
        }
        return Ok(out);
    };
    if !output.dtype().is_float() {
        return Ok(out);
    }
    let node = CustomNode {
        name: intern(&format!("{}Backward", function.name)),
        inputs: tensors.iter().flatten().cloned().collect(),
        payload: Arc::new(Payload {
            ctx,
            function,
            tensor_args: tensors.iter().map(Option::is_some).collect(),
        }),
        released,
    };
    Ok(tensor_value(Tensor::from_custom(&output, node)))
}

/// `y.grad_fn` for a tensor a custom Function made: its ctx.
pub fn grad_fn_object(t: &Tensor) -> Option<Value> {
    let node = t.custom_node()?;
    node.payload
        .downcast_ref::<Payload>()
        .map(|p| p.ctx.clone())
}

/// Calls the Python `backward` of `node` and checks what it returns as PyTorch does.
fn run_backward(
    interp: &mut Interp<'_>,
    node: &CustomNode,
    g: &Tensor,
) -> PyResult<Vec<Option<Tensor>>> {
    let Some(p) = node.payload.downcast_ref::<Payload>() else {
        return Err(Exception::runtime_error(
            "a custom node without its Function",
        ));
    };
    let backward = interp.get_attr(&Value::Class(p.function.clone()), "backward")?;
    let result = interp.call(
        &backward,
        Args::new(vec![p.ctx.clone(), tensor_value(g.clone())]),
    )?;
    let mut grads = match result {
        Value::Tuple(items) => items.to_vec(),
        other => vec![other],
    };
    let expected = p.tensor_args.len();
    // Extra results are fine as long as they are all None.
    if grads.len() > expected && grads[expected..].iter().all(|v| matches!(v, Value::None)) {
        grads.truncate(expected);
    }
    if grads.len() != expected {
        return Err(Exception::runtime_error(format!(
            "function {} returned an incorrect number of gradients (expected {expected}, got {})",
            node.name,
            grads.len()
        )));
    }
    let mut out = Vec::with_capacity(node.inputs.len());
    for (i, (grad, &is_tensor)) in grads.iter().zip(&p.tensor_args).enumerate() {
        if !is_tensor {
            if !matches!(grad, Value::None) {
                return Err(Exception::runtime_error(format!(
                    "function {} returned a gradient different than None at position {}, but the corresponding forward input was not a Variable",
                    node.name,
                    i + 1
                )));
            }
            continue;
        }
        match grad {
            Value::None => out.push(None),
            v => match as_tensor(v) {
                Some(t) => out.push(Some(t)),
                None => {
                    return Err(Exception::runtime_error(format!(
                        "expected Variable or None (got {})",
                        v.type_name()
                    )))
                }
            },
        }
    }
    Ok(out)
}

/// Runs a backward walk (`f`) whose custom nodes call back into Python; an exception the
/// Python `backward` raises comes out as itself.
pub fn with_python_backward<R>(
    interp: &mut Interp<'_>,
    f: impl FnOnce(&mut CustomBackward<'_>) -> Result<R, TensorError>,
) -> PyResult<R> {
    let mut raised: Option<Exception> = None;
    let result = {
        let mut hook = |node: &CustomNode, g: &Tensor| match run_backward(interp, node, g) {
            Ok(grads) => Ok(grads),
            Err(e) => {
                raised = Some(e);
                Err(TensorError::Runtime(String::new()))
            }
        };
        f(&mut hook)
    };
    match raised {
        Some(e) => Err(e),
        None => result.map_err(raise),
    }
}

//! `torch.Tensor` as a language object: attributes, operators, indexing.

use std::any::Any;
use std::sync::{Arc, RwLock};

use super::convert::{
    as_tensor, no_attr, operand, raise, scalar_value, tensor_value, DTypeObj, DeviceObj, PyResult,
    SizeObj,
};
use super::methods;
use crate::lang::ast::{BinOp, CmpOp, UnaryOp};
use crate::lang::interp::collect;
use crate::lang::value::{HostObject, NativeFunction, Value};
use crate::lang::{Exception, Interp};
use crate::tensor::autograd::Node;
use crate::tensor::{BinaryOp, Tensor, TensorIndex};

pub struct TensorObj(RwLock<Tensor>);

impl TensorObj {
    pub fn new(t: Tensor) -> TensorObj {
        TensorObj(RwLock::new(t))
    }

    /// The tensor this Python object stands for.
    pub fn tensor(&self) -> Tensor {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Makes this object another tensor, as an in-place resize does (`out=` of the wrong
    /// shape): every Python reference to it sees the new one.
    pub fn replace(&self, t: Tensor) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = t;
    }
}

/// A tensor's `grad_fn` node as Python shows it; its repr's address is made
/// from the id of the tensor it produced, so that runs print the same.
pub struct GradFnObj {
    node: Arc<Node>,
    tensor_id: usize,
}

/// `tensor.grad_fn`: `None` for a leaf.
fn grad_fn_value(t: &Tensor) -> Value {
    if let Some(ctx) = super::autograd_fn::grad_fn_object(t) {
        return ctx;
    }
    match t.node() {
        Some(node) => Value::host(GradFnObj {
            node: node.clone(),
            tensor_id: t.id(),
        }),
        None => Value::None,
    }
}

fn fake_address(id: usize) -> String {
    format!("0x{:012x}", 0x7f00_0000_0000usize + id * 0x40)
}

/// A method returning a fixed string (`grad_fn.name()`).
fn name_method(name: &'static str) -> Value {
    NativeFunction::value("name", move |_, _| Ok(Value::str(name)))
}

impl HostObject for GradFnObj {
    fn type_name(&self) -> String {
        self.node.name().into()
    }
    fn repr(&self) -> String {
        format!(
            "<{} object at {}>",
            self.node.name(),
            fake_address(self.tensor_id)
        )
    }
    fn identity(&self) -> Option<usize> {
        Some(Arc::as_ptr(&self.node) as usize)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> PyResult<Value> {
        match name {
            "name" => Ok(name_method(self.node.name())),
            // `(node, input_nr)` per input: the input's own node, an
            // AccumulateGrad for a leaf that requires grad, else None.
            "next_functions" => Ok(Value::tuple(
                self.node
                    .op
                    .edges()
                    .into_iter()
                    .map(|t| {
                        let next = if !t.requires_grad() {
                            Value::None
                        } else if t.is_leaf() {
                            Value::host(AccumulateGradObj(t.clone()))
                        } else {
                            grad_fn_value(t)
                        };
                        Value::tuple(vec![next, Value::Int(0)])
                    })
                    .collect(),
            )),
            _ => Err(no_attr(self.node.name(), name)),
        }
    }
}

/// The node that accumulates a leaf's gradient into `.grad`.
struct AccumulateGradObj(Tensor);

impl HostObject for AccumulateGradObj {
    fn type_name(&self) -> String {
        "AccumulateGrad".into()
    }
    fn repr(&self) -> String {
        format!("<AccumulateGrad object at {}>", fake_address(self.0.id()))
    }
    fn identity(&self) -> Option<usize> {
        // Apart from tensor ids, which count from 1.
        Some((1 << 62) | self.0.id())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> PyResult<Value> {
        match name {
            "name" => Ok(name_method("torch::autograd::AccumulateGrad")),
            "variable" => Ok(tensor_value(self.0.clone())),
            "next_functions" => Ok(Value::tuple(vec![])),
            _ => Err(no_attr("AccumulateGrad", name)),
        }
    }
}

pub fn binop(op: BinOp) -> Option<BinaryOp> {
    Some(match op {
        BinOp::Add => BinaryOp::Add,
        BinOp::Sub => BinaryOp::Sub,
        BinOp::Mul => BinaryOp::Mul,
        BinOp::Div => BinaryOp::Div,
        BinOp::FloorDiv => BinaryOp::FloorDiv,
        BinOp::Mod => BinaryOp::Rem,
        BinOp::Pow => BinaryOp::Pow,
        BinOp::BitAnd => BinaryOp::BitAnd,
        BinOp::BitOr => BinaryOp::BitOr,
        BinOp::BitXor => BinaryOp::BitXor,
        BinOp::MatMul | BinOp::LShift | BinOp::RShift => return None,
    })
}

fn cmpop(op: CmpOp) -> Option<BinaryOp> {
    Some(match op {
        CmpOp::Lt => BinaryOp::Lt,
        CmpOp::Le => BinaryOp::Le,
        CmpOp::Gt => BinaryOp::Gt,
        CmpOp::Ge => BinaryOp::Ge,
        CmpOp::Eq => BinaryOp::Eq,
        CmpOp::Ne => BinaryOp::Ne,
        _ => return None,
    })
}

/// Converts a subscript into tensor index items.
pub fn index_items(index: &Value) -> PyResult<Vec<TensorIndex>> {
    match index {
        Value::Tuple(items) => items.iter().map(index_item).collect(),
        other => Ok(vec![index_item(other)?]),
    }
}

fn opt_int(v: &Value) -> PyResult<Option<i64>> {
    match v {
        Value::None => Ok(None),
        other => super::convert::to_i64(other, "slice indices").map(Some),
    }
}

fn index_item(v: &Value) -> PyResult<TensorIndex> {
    Ok(match v {
        Value::Int(i) => TensorIndex::Int(*i),
        Value::Bool(b) => TensorIndex::Tensor(Tensor::from_vec(vec![*b], &[]).map_err(raise)?),
        Value::None => TensorIndex::NewAxis,
        Value::Ellipsis => TensorIndex::Ellipsis,
        Value::Slice(parts) => TensorIndex::Slice(opt_int(&parts[0])?, opt_int(&parts[1])?, opt_int(&parts[2])?),
        Value::List(_) => TensorIndex::Tensor(super::convert::tensor_from_data(v, None)?),
        other => match as_tensor(other) {
            Some(t) if t.dim() == 0 && t.dtype() == crate::tensor::DType::I64 => {
                TensorIndex::Int(t.item().map_err(raise)?.to_f64() as i64)
            }
            Some(t) => TensorIndex::Tensor(t),
            None => {
                return Err(Exception::index_error(
                    "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got ".to_string()
                        + &other.type_name()
                        + ")",
                ))
            }
        },
    })
}

impl HostObject for TensorObj {
    fn type_name(&self) -> String {
        if self.tensor().is_param() {
            "Parameter".into()
        } else {
            "Tensor".into()
        }
    }
    fn qualified_type_name(&self) -> String {
        if self.tensor().is_param() {
            "torch.nn.parameter.Parameter".into()
        } else {
            "torch.Tensor".into()
        }
    }
    fn repr(&self) -> String {
        shown(&self.tensor())
    }
    fn identity(&self) -> Option<usize> {
        Some(self.tensor().id())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn get_attr(&self, _this: &Value, name: &str) -> PyResult<Value> {
        let t = &self.tensor();
        Ok(match name {
            "shape" => SizeObj(t.shape().to_vec()).value(),
            "dtype" => DTypeObj(t.dtype()).value(),
            "device" => DeviceObj::of(t.device()).value(),
            "ndim" => Value::Int(t.dim() as i64),
            "T" => tensor_value(t.numpy_t().map_err(raise)?),
            "mT" => tensor_value(t.transpose(-2, -1).map_err(raise)?),
            "data" => tensor_value(t.detach()),
            "grad" => t.grad().map_or(Value::None, tensor_value),
            "grad_fn" => grad_fn_value(t),
            "is_leaf" => Value::Bool(t.is_leaf()),
            "requires_grad" => Value::Bool(t.requires_grad()),
            "is_cuda" => Value::Bool(t.device().kind() == "cuda"),
            _ if methods::is_method(name) => {
                let tensor = t.clone();
                let method = name.to_string();
                NativeFunction::value(name, move |interp: &mut Interp<'_>, args| {
                    methods::call(interp, &tensor, &method, args)
                })
            }
            _ => return Err(no_attr(&self.type_name(), name)),
        })
    }

    fn set_attr(&self, name: &str, value: Value) -> PyResult<()> {
        match name {
            "requires_grad" => self
                .tensor()
                .set_requires_grad(super::convert::to_bool(&value)?)
                .map_err(raise),
            "grad" => {
                let g = match &value {
                    Value::None => None,
                    v => Some(super::convert::expect_tensor(v, "grad")?),
                };
                self.tensor().set_grad(g);
                Ok(())
            }
            // `t.data = other`: PyTorch swaps the tensor's storage; nnlearn
            // copies the values, moving the storage first when `other` is on
            // another device (how `module.to(device)` moves its parameters).
            "data" => {
                let src = super::convert::expect_tensor(&value, "data")?;
                let t = self.tensor();
                if src.dtype() != t.dtype() || src.shape() != t.shape() {
                    return Err(Exception::new(
                        "NotImplementedError",
                        "nnlearn can set .data only to a tensor of the same shape and dtype",
                    ));
                }
                if src.device() != t.device() {
                    t.move_storage(src.device()).map_err(raise)?;
                }
                crate::tensor::no_grad(|| t.copy_(&src)).map_err(raise)
            }
            _ => Err(Exception::attribute_error(format!(
                "'Tensor' object attribute '{name}' is read-only"
            ))),
        }
    }

    fn binary_op(&self, op: BinOp, other: &Value, reflected: bool) -> Option<PyResult<Value>> {
        let o = operand(other)?;
        let (a, b) = if reflected {
            (&o, &self.tensor())
        } else {
            (&self.tensor(), &o)
        };
        if op == BinOp::MatMul {
            as_tensor(other)?;
            return Some(super::convert::ok_tensor(a.matmul(b)));
        }
        let bop = binop(op)?;
        Some(super::convert::ok_tensor(a.binary(bop, b)))
    }

    fn inplace_op(&self, this: &Value, op: BinOp, other: &Value) -> Option<PyResult<Value>> {
        let o = operand(other)?;
        let bop = binop(op)?;
        Some(methods::inplace(&self.tensor(), bop, &o).map(|_| this.clone()))
    }

    fn unary_op(&self, op: UnaryOp) -> Option<PyResult<Value>> {
        let t = &self.tensor();
        Some(match op {
            UnaryOp::Neg => super::convert::ok_tensor(t.neg()),
            UnaryOp::Pos => Ok(tensor_value(t.clone())),
            UnaryOp::Invert => super::convert::ok_tensor(t.bitwise_not()),
            UnaryOp::Not => return None,
        })
    }

    fn compare(&self, op: CmpOp, other: &Value, reflected: bool) -> Option<PyResult<Value>> {
        let bop = cmpop(op)?;
        let o = match operand(other) {
            Some(o) => o,
            None => {
                return match op {
                    CmpOp::Eq => Some(Ok(Value::Bool(false))),
                    CmpOp::Ne => Some(Ok(Value::Bool(true))),
                    _ => None,
                }
            }
        };
        let (a, b) = if reflected {
            (&o, &self.tensor())
        } else {
            (&self.tensor(), &o)
        };
        Some(super::convert::ok_tensor(a.binary(bop, b)))
    }

    fn get_item(&self, index: &Value) -> PyResult<Value> {
        let items = index_items(index)?;
        super::convert::ok_tensor(self.tensor().index(&items))
    }

    fn set_item(&self, index: &Value, value: Value) -> PyResult<()> {
        let items = index_items(index)?;
        let t = self.tensor();
        let v = operand(&value).ok_or_else(|| {
            Exception::type_error(format!(
                "can't assign a {} to a {}",
                value.type_name(),
                t.dtype().tensor_type_name()
            ))
        })?;
        t.index_put(&items, &v).map_err(raise)
    }

    fn iterate(&self) -> Option<PyResult<Vec<Value>>> {
        let t = &self.tensor();
        if t.dim() == 0 {
            return Some(Err(Exception::type_error("iteration over a 0-d tensor")));
        }
        Some(
            (0..t.shape()[0])
                .map(|i| t.select(0, i as i64).map(tensor_value).map_err(raise))
                .collect(),
        )
    }

    fn length(&self) -> Option<PyResult<usize>> {
        let t = self.tensor();
        if t.dim() == 0 {
            return Some(Err(Exception::type_error("len() of a 0-d tensor")));
        }
        Some(Ok(t.shape()[0]))
    }

    fn truthy(&self) -> PyResult<bool> {
        let t = &self.tensor();
        if t.numel() != 1 {
            return Err(Exception::runtime_error(format!(
                "Boolean value of Tensor with {} values is ambiguous",
                if t.numel() == 0 {
                    "no"
                } else {
                    "more than one"
                }
            )));
        }
        Ok(t.item().map_err(raise)?.to_f64() != 0.0)
    }

    fn format(&self, spec: &str) -> PyResult<String> {
        let t = &self.tensor();
        if t.dim() == 0 {
            let v = scalar_value(t.item().map_err(raise)?);
            return crate::lang::format::format_value(&v, spec);
        }
        if spec.is_empty() {
            return t.repr().map_err(raise);
        }
        Err(Exception::type_error(
            "unsupported format string passed to Tensor.__format__",
        ))
    }

    fn to_float(&self) -> Option<PyResult<f64>> {
        Some(scalar_of(&self.tensor()).map(|s| s.to_f64()))
    }

    fn to_int(&self) -> Option<PyResult<i64>> {
        Some(scalar_of(&self.tensor()).map(|s| match s {
            crate::tensor::Scalar::Int(i) => i,
            other => other.to_f64() as i64,
        }))
    }
}

fn scalar_of(t: &Tensor) -> PyResult<crate::tensor::Scalar> {
    if t.numel() != 1 {
        return Err(Exception::runtime_error(format!(
            "a Tensor with {} elements cannot be converted to Scalar",
            t.numel()
        )));
    }
    t.item().map_err(raise)
}

/// Items of a list/tuple argument that must all be tensors.
pub fn tensor_list(v: &Value, what: &str) -> PyResult<Vec<Tensor>> {
    collect(v)?
        .iter()
        .map(|x| super::convert::expect_tensor(x, what))
        .collect()
}

/// `repr(t)`, or why it cannot be shown (a CUDA tensor whose device failed).
pub fn shown(t: &Tensor) -> String {
    t.repr()
        .unwrap_or_else(|e| format!("<tensor on {}: {e}>", t.device()))
}

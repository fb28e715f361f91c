//! Reverse-mode autograd: grad mode, the recorded ops and the backward pass.

mod custom;
mod engine;
mod formulas;
mod total;

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::batch_norm::BatchNormSaved;
use super::indexing::TensorIndex;
use super::layer_norm::LayerNormSaved;
use super::losses::{PointLoss, Reduction};
use super::ops::UnaryOp;
use super::pool::PoolPicks;
use super::reduce::{NormOrd, Reduced};
use super::window::Window;
use super::Tensor;

pub use custom::{intern, CustomBackward, CustomNode};
pub use engine::{backward, backward_with, grad, grad_with};

thread_local! {
    static GRAD_ENABLED: Cell<bool> = const { Cell::new(true) };
}

pub fn is_grad_enabled() -> bool {
    GRAD_ENABLED.with(|g| g.get())
}

/// Sets grad mode, returning the previous one (`torch.set_grad_enabled`).
pub fn set_grad_enabled(enabled: bool) -> bool {
    GRAD_ENABLED.with(|g| g.replace(enabled))
}

/// Sets grad mode until dropped (`with torch.no_grad():`), then restores it.
pub struct GradGuard {
    previous: bool,
}

impl GradGuard {
    pub fn new(enabled: bool) -> GradGuard {
        let previous = GRAD_ENABLED.with(|g| g.replace(enabled));
        GradGuard { previous }
    }
}

impl Drop for GradGuard {
    fn drop(&mut self) {
        GRAD_ENABLED.with(|g| g.set(self.previous));
    }
}

/// Runs `f` with grad mode off.
pub fn no_grad<R>(f: impl FnOnce() -> R) -> R {
    let _guard = GradGuard::new(false);
    f()
}

/// A recorded op: the inputs it read and what its backward needs.
pub enum Op {
    Add(Tensor, Tensor),
    Sub(Tensor, Tensor),
    Mul(Tensor, Tensor),
    Div(Tensor, Tensor),
    /// `div(Tensor, Scalar)` called from inside a composite op (PyTorch's
    /// DivBackward1, e.g. cross_entropy's mean over probability targets).
    DivScalar(Tensor, f64),
    Pow(Tensor, Tensor),
    /// Python's `%`.
    Remainder(Tensor, Tensor),
    /// `//` on floats: recorded, but PyTorch has no derivative for it.
    FloorDivide(Tensor, Tensor),
    Maximum(Tensor, Tensor),
    Minimum(Tensor, Tensor),
    /// The input and, where the derivative reads it (`UnaryOp::saves_result`), the result.
    Unary(UnaryOp, Tensor, Option<Tensor>),
    Clamp(Tensor, Option<f64>, Option<f64>),
    Where(Tensor, Tensor, Tensor),
    ToDtype(Tensor),
    /// `.to(device)`: the gradient goes back to the source's device.
    ToDevice(Tensor),
    Clone(Tensor),
    /// `cumsum` along a dim (reversed for a cumsum's gradient).
    Cumsum(Tensor, usize, bool),
    Sum(Tensor, Reduced),
    Mean(Tensor, Reduced),
    Prod(Tensor, Reduced),
    MaxAll(Tensor, bool),
    /// `max(dim)` / `min(dim)`: input, dims, indices, is_max.
    MaxDim(Tensor, Reduced, Tensor, bool),
    Moment(Tensor, Reduced, f64, bool),
    Norm(Tensor, NormOrd, Reduced),
    LogSumExp(Tensor, Reduced),
    Mm(Tensor, Tensor),
    Addmm(Tensor, Tensor, Tensor),
    Mv(Tensor, Tensor),
    Dot(Tensor, Tensor),
    Bmm(Tensor, Tensor),
    View(Tensor, Vec<usize>),
    UnsafeView(Tensor, Vec<usize>),
    Unsqueeze(Tensor, usize),
    Squeeze(Tensor, Vec<usize>, bool),
    /// The in-place `squeeze_(dims)` matmul ends a 1-D @ 2-D product with.
    SqueezeDims(Tensor, Vec<usize>),
    Permute(Tensor, Vec<usize>),
    Transpose(Tensor, usize, usize),
    TransposeInPlace(Tensor, usize, usize),
    T(Tensor),
    Expand(Tensor, Vec<usize>),
    Repeat(Tensor, Vec<usize>),
    Cat(Vec<Tensor>, usize, Vec<usize>),
    Stack(Vec<Tensor>, usize),
    Select(Tensor, usize, usize),
    Slice(Tensor, usize, usize, usize, usize),
    /// One piece of `split` / `chunk` (false) or `split(sizes)` (true): dim, start, len.
    Split(Tensor, usize, usize, usize, bool),
    Index(Tensor, Vec<(usize, Tensor)>),
    /// input, dim, log, the result.
    Softmax(Tensor, usize, bool, Tensor),
    PointLoss(Tensor, Tensor, PointLoss, Reduction),
    NllLoss(Tensor, Tensor, Option<Tensor>, Reduction, i64),
    /// input, weight, bias.
    Conv2d(Tensor, Tensor, Option<Tensor>, Window),
    MaxPool2d(Tensor, PoolPicks),
    /// `F.embedding`: weight, indices, padding_idx.
    Embedding(Tensor, Tensor, Option<usize>),
    /// `index_select`: input, dim, the (int64, 1-D) index.
    IndexSelect(Tensor, usize, Tensor),
    /// `gather`: input, dim, index (at least 1-D).
    Gather(Tensor, usize, Tensor),
    /// `scatter` / `scatter_add` (the flag): input, dim, index, src.
    Scatter(
        Tensor,
        usize,
        Tensor,
        crate::tensor::gather::ScatterSrc,
        bool,
    ),
    /// `div(a, b, rounding_mode=...)`: a derivative of zero.
    DivRounded(Tensor, Tensor),
    LayerNorm(Box<LayerNormSaved>),
    BatchNorm(Box<BatchNormSaved>),
    Silu(Tensor),
    /// A `torch.autograd.Function` subclass: its backward comes from the caller.
    Custom(Arc<CustomNode>),
}

impl Op {
    /// PyTorch's name for the backward node (`grad_fn`).
    pub fn name(&self) -> &'static str {
        match self {
            Op::Add(..) => "AddBackward0",
            // `1 - t` and `1 / t`: PyTorch calls rsub and reciprocal-then-mul.
            Op::Sub(a, _) if a.is_wrapped_number() => "RsubBackward1",
            Op::Sub(..) => "SubBackward0",
            Op::Mul(..) => "MulBackward0",
            Op::Div(a, _) if a.is_wrapped_number() => "MulBackward0",
            Op::Div(..) => "DivBackward0",
            Op::DivScalar(..) => "DivBackward1",
            Op::Pow(_, e) if e.is_wrapped_number() => "PowBackward0",
            Op::Pow(b, _) if b.is_wrapped_number() => "PowBackward2",
            Op::Pow(..) => "PowBackward1",
            Op::Remainder(..) => "RemainderBackward0",
            Op::FloorDivide(..) => "NotImplemented",
            Op::Maximum(..) => "MaximumBackward0",
            Op::Minimum(..) => "MinimumBackward0",
            Op::Unary(u, ..) => match u {
                UnaryOp::Neg => "NegBackward0",
                UnaryOp::Abs => "AbsBackward0",
                UnaryOp::Exp => "ExpBackward0",
                UnaryOp::Log => "LogBackward0",
                UnaryOp::Log1p => "Log1PBackward0",
                UnaryOp::Sqrt => "SqrtBackward0",
                UnaryOp::Sin => "SinBackward0",
                UnaryOp::Cos => "CosBackward0",
                UnaryOp::Tanh => "TanhBackward0",
                UnaryOp::Sigmoid => "SigmoidBackward0",
                UnaryOp::Relu => "ReluBackward0",
                UnaryOp::Sign => "SignBackward0",
                UnaryOp::Round => "RoundBackward0",
                UnaryOp::Floor => "FloorBackward0",
                UnaryOp::Ceil => "CeilBackward0",
                UnaryOp::Trunc => "TruncBackward0",
                UnaryOp::Frac => "FracBackward0",
                UnaryOp::Log10 => "Log10Backward0",
                UnaryOp::Log2 => "Log2Backward0",
                UnaryOp::Exp2 => "Exp2Backward0",
            },
            Op::Clamp(..) => "ClampBackward1",
            Op::Where(..) => "WhereBackward0",
            Op::ToDtype(_) | Op::ToDevice(_) => "ToCopyBackward0",
            Op::Clone(_) => "CloneBackward0",
            Op::Cumsum(..) => "CumsumBackward0",
            Op::Sum(_, r) if r.all => "SumBackward0",
            Op::Sum(..) => "SumBackward1",
            Op::Mean(_, r) if r.all => "MeanBackward0",
            Op::Mean(..) => "MeanBackward1",
            Op::Prod(_, r) if r.all => "ProdBackward0",
            Op::Prod(..) => "ProdBackward1",
            Op::MaxAll(_, true) => "MaxBackward1",
            Op::MaxAll(_, false) => "MinBackward1",
            Op::MaxDim(.., true) => "MaxBackward0",
            Op::MaxDim(.., false) => "MinBackward0",
            Op::Moment(_, _, _, true) => "StdBackward0",
            Op::Moment(..) => "VarBackward0",
            Op::Norm(..) => "LinalgVectorNormBackward0",
            Op::LogSumExp(..) => "LogsumexpBackward0",
            Op::Mm(..) => "MmBackward0",
            Op::Addmm(..) => "AddmmBackward0",
            Op::Mv(..) => "MvBackward0",
            Op::Dot(..) => "DotBackward0",
            Op::Bmm(..) => "BmmBackward0",
            Op::View(..) => "ViewBackward0",
            Op::UnsafeView(..) => "UnsafeViewBackward0",
            Op::Unsqueeze(..) => "UnsqueezeBackward0",
            Op::Squeeze(_, _, true) => "SqueezeBackward0",
            Op::Squeeze(..) => "SqueezeBackward1",
            Op::SqueezeDims(..) => "SqueezeBackward4",
            Op::Permute(..) => "PermuteBackward0",
            Op::Transpose(..) => "TransposeBackward0",
            Op::TransposeInPlace(..) => "TransposeBackward1",
            Op::T(_) => "TBackward0",
            Op::Expand(..) => "ExpandBackward0",
            Op::Repeat(..) => "RepeatBackward0",
            Op::Cat(..) => "CatBackward0",
            Op::Stack(..) => "StackBackward0",
            Op::Select(..) => "SelectBackward0",
            Op::Slice(..) => "SliceBackward0",
            Op::Split(.., false) => "SplitBackward0",
            Op::Split(.., true) => "SplitWithSizesBackward0",
            Op::Index(..) => "IndexBackward0",
            Op::Softmax(_, _, false, _) => "SoftmaxBackward0",
            Op::Softmax(_, _, true, _) => "LogSoftmaxBackward0",
            Op::PointLoss(_, _, l, _) => l.name(),
            Op::NllLoss(..) => "NllLossBackward0",
            Op::Conv2d(..) => "ConvolutionBackward0",
            Op::MaxPool2d(..) => "MaxPool2DWithIndicesBackward0",
            Op::Embedding(..) => "EmbeddingBackward0",
            Op::IndexSelect(..) => "IndexSelectBackward0",
            Op::Gather(..) => "GatherBackward0",
            Op::Scatter(.., true) => "ScatterAddBackward0",
            Op::Scatter(_, _, _, crate::tensor::gather::ScatterSrc::Tensor(_), _) => {
                "ScatterBackward0"
            }
            Op::Scatter(..) => "ScatterBackward1",
            Op::DivRounded(..) => "DivBackward2",
            Op::LayerNorm(_) => "NativeLayerNormBackward0",
            Op::BatchNorm(_) => "NativeBatchNormBackward0",
            Op::Silu(_) => "SiluBackward0",
            Op::Custom(c) => c.name,
        }
    }

    /// The tensors gradients flow to, in the order `backward` returns them.
    pub fn inputs(&self) -> Vec<&Tensor> {
        match self {
            Op::Add(a, b)
            | Op::Sub(a, b)
            | Op::Mul(a, b)
            | Op::Div(a, b)
            | Op::Pow(a, b)
            | Op::Remainder(a, b)
            | Op::FloorDivide(a, b)
            | Op::Maximum(a, b)
            | Op::Minimum(a, b)
            | Op::Mm(a, b)
            | Op::Mv(a, b)
            | Op::Dot(a, b)
            | Op::Bmm(a, b)
            | Op::DivRounded(a, b) => vec![a, b],
            Op::Scatter(a, _, _, crate::tensor::gather::ScatterSrc::Tensor(s), _) => vec![a, s],
            Op::Scatter(a, ..) | Op::IndexSelect(a, ..) | Op::Gather(a, ..) => vec![a],
            Op::Where(_, a, b) => vec![a, b],
            Op::Addmm(a, b, c) => vec![a, b, c],
            Op::PointLoss(a, b, ..) => vec![a, b],
            Op::LayerNorm(saved) => saved.inputs(),
            Op::BatchNorm(saved) => saved.inputs(),
            Op::Custom(c) => c.inputs.iter().collect(),
            Op::Cat(ts, ..) | Op::Stack(ts, _) => ts.iter().collect(),
            Op::Conv2d(x, w, b, _) => [x, w].into_iter().chain(b).collect(),
            Op::Unary(_, a, _)
            | Op::Clamp(a, ..)
            | Op::ToDtype(a)
            | Op::ToDevice(a)
            | Op::Clone(a)
            | Op::Cumsum(a, ..)
            | Op::DivScalar(a, _)
            | Op::Sum(a, _)
            | Op::Mean(a, _)
            | Op::Prod(a, _)
            | Op::MaxAll(a, _)
            | Op::MaxDim(a, ..)
            | Op::Moment(a, ..)
            | Op::Norm(a, ..)
            | Op::LogSumExp(a, _)
            | Op::View(a, _)
            | Op::UnsafeView(a, _)
            | Op::Unsqueeze(a, _)
            | Op::Squeeze(a, ..)
            | Op::SqueezeDims(a, _)
            | Op::Permute(a, _)
            | Op::Transpose(a, ..)
            | Op::TransposeInPlace(a, ..)
            | Op::T(a)
            | Op::Expand(a, _)
            | Op::Repeat(a, _)
            | Op::Select(a, ..)
            | Op::Slice(a, ..)
            | Op::Split(a, ..)
            | Op::Index(a, _)
            | Op::Softmax(a, ..)
            | Op::NllLoss(a, ..)
            | Op::MaxPool2d(a, _) => vec![a],
            Op::Embedding(a, ..) | Op::Silu(a) => vec![a],
        }
    }

    /// The tensors PyTorch's node has edges to (`grad_fn.next_functions`):
    /// the inputs, less the Python number of an op PyTorch records as a
    /// Scalar overload (`1 - t` is `rsub(Tensor, Scalar)`, `t ** 2` is
    /// `pow(Tensor, Scalar)`).
    pub fn edges(&self) -> Vec<&Tensor> {
        let scalar_overload = matches!(
            self.name(),
            "RsubBackward1" | "PowBackward0" | "PowBackward2"
        );
        self.inputs()
            .into_iter()
            .filter(|t| !(scalar_overload && t.is_wrapped_number()))
            .collect()
    }

    /// Whether backward reads saved values (and so fails once the graph is freed).
    fn has_saved_values(&self) -> bool {
        !matches!(
            self,
            Op::Add(..)
                | Op::Sub(..)
                | Op::View(..)
                | Op::UnsafeView(..)
                | Op::Unsqueeze(..)
                | Op::Squeeze(..)
                | Op::SqueezeDims(..)
                | Op::DivScalar(..)
                | Op::Permute(..)
                | Op::Transpose(..)
                | Op::TransposeInPlace(..)
                | Op::T(_)
                | Op::Expand(..)
                | Op::Sum(..)
                | Op::Clone(_)
                | Op::ToDtype(_)
                | Op::ToDevice(_)
                | Op::Cat(..)
                | Op::Stack(..)
                | Op::Select(..)
                | Op::Slice(..)
                | Op::Split(..)
                | Op::Mean(..)
                // Its saved tensors check `released` themselves when read.
                | Op::Custom(_)
        )
    }
}

/// A node of the graph: the op that made a tensor.
pub struct Node {
    pub op: Op,
    freed: AtomicBool,
}

impl Node {
    pub fn name(&self) -> &'static str {
        self.op.name()
    }

    fn free(&self) {
        self.freed.store(true, Ordering::Relaxed);
        if let Op::Custom(c) = &self.op {
            c.released.store(true, Ordering::Relaxed);
        }
    }

    fn check_alive(&self) -> super::Result<()> {
        if self.freed.load(Ordering::Relaxed) && self.op.has_saved_values() {
            return super::error::runtime("Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.");
        }
        Ok(())
    }
}

/// Builds a node when grad mode is on and some input requires grad.
pub(crate) fn record(inputs: &[&Tensor], op: impl FnOnce() -> Op) -> Option<Arc<Node>> {
    if !is_grad_enabled() || !inputs.iter().any(|t| t.requires_grad()) {
        return None;
    }
    Some(Arc::new(Node {
        op: op(),
        freed: AtomicBool::new(false),
    }))
}

/// Index items selecting `(dim, index)` pairs, for embedding grads.
pub(crate) fn items_for(ndim: usize, picks: &[(usize, TensorIndex)]) -> Vec<TensorIndex> {
    (0..ndim)
        .map(|d| {
            picks
                .iter()
                .find(|(pd, _)| *pd == d)
                .map(|(_, i)| i.clone())
                .unwrap_or(TensorIndex::Slice(None, None, None))
        })
        .collect()
}

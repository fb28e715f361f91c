//! The tensor engine: storage, dtypes, ops, autograd, random numbers and printing.
//!
//! A [`Tensor`] is a cheap handle (`Arc`) onto shared storage plus a layout, so
//! views alias their base as in PyTorch. Ops record a backward node only when
//! grad mode is on and an input requires grad.

pub mod autograd;
mod batch_norm;
mod cascade;
mod conv;
mod correlate;
mod creation;
pub mod cuda;
pub mod device;
mod division;
pub mod dtype;
mod element;
mod embedding;
pub mod error;
pub mod format;
pub mod gather;
mod gemm;
mod indexing;
pub(crate) mod interrupt;
pub(crate) mod kernel;
mod layer_norm;
pub mod layout;
mod linalg;
pub(crate) mod losses;
mod on_cuda;
mod ops;
mod pool;
pub mod random;
mod reduce;
mod sampling;
pub mod scalar;
mod scan;
mod shape_ops;
mod silu;
mod split;
pub mod storage;
mod strided;
pub mod vecmath;
pub mod vml_sqrt;
mod window;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

pub use autograd::{is_grad_enabled, no_grad, set_grad_enabled, GradGuard};
pub use batch_norm::BatchNorm;
pub use device::Device;
pub use division::Rounding;
pub use dtype::{DType, Kind};
pub use element::Element;
pub use error::{Result, TensorError};
pub use indexing::TensorIndex;
pub use layout::Layout;
pub use losses::{PointLoss, Reduction};
pub use ops::{dtype_title, result_type, BinaryOp, UnaryOp};
pub use reduce::NormOrd;
pub use scalar::Scalar;
pub use storage::{CpuStorage, Storage};

use autograd::Node;

/// The largest tensor a session may create, in elements (PyTorch has no such
/// limit; nnlearn has one so that a typo cannot exhaust memory).
static MAX_ELEMENTS: AtomicUsize = AtomicUsize::new(1 << 28);

pub fn set_max_elements(n: usize) {
    MAX_ELEMENTS.store(n, Ordering::Relaxed);
}

pub fn max_elements() -> usize {
    MAX_ELEMENTS.load(Ordering::Relaxed)
}

static NEXT_ID: AtomicUsize = AtomicUsize::new(1);

/// A tensor's storage, locked for reading.
pub(crate) type StorageGuard<'a> = std::sync::RwLockReadGuard<'a, Storage>;

/// An n-dimensional array with PyTorch's semantics. Cloning is cheap and
/// shares everything, like a second Python reference to the same tensor.
#[derive(Clone)]
pub struct Tensor(Arc<Inner>);

struct Inner {
    id: usize,
    /// Shared with views; its device is the tensor's device (a module's
    /// `.to(device)` swaps the storage of its parameters in place).
    storage: Arc<RwLock<Storage>>,
    layout: Layout,
    dtype: DType,
    /// A Python number turned into a 0-dim tensor: it takes part in type
    /// promotion only as a "wrapped number".
    wrapped: bool,
    is_param: bool,
    requires_grad: AtomicBool,
    retains_grad: AtomicBool,
    grad: Mutex<Option<Tensor>>,
    node: Option<Arc<Node>>,
}

impl std::fmt::Debug for Tensor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.repr() {
            Ok(text) => f.write_str(&text),
            Err(e) => write!(f, "<tensor: {e}>"),
        }
    }
}

impl Tensor {
    fn build(
        storage: Arc<RwLock<Storage>>,
        layout: Layout,
        dtype: DType,
        node: Option<Arc<Node>>,
    ) -> Tensor {
        let requires_grad = node.is_some();
        Tensor(Arc::new(Inner {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            storage,
            layout,
            dtype,
            wrapped: false,
            is_param: false,
            requires_grad: AtomicBool::new(requires_grad),
            retains_grad: AtomicBool::new(false),
            grad: Mutex::new(None),
            node,
        }))
    }

    /// A new leaf tensor owning `data`, which must hold `shape`'s element count.
    pub fn from_storage(data: CpuStorage, shape: &[usize]) -> Result<Tensor> {
        let numel = layout::numel_of(shape);
        if data.len() != numel {
            return error::runtime(format!(
                "shape '{}' is invalid for input of size {}",
                layout::shape_list(shape),
                data.len()
            ));
        }
        check_shape(shape)?;
        crate::guard::check()?;
        let dtype = data.dtype();
        Ok(Tensor::build(
            Arc::new(RwLock::new(Storage::Cpu(data))),
            Layout::contiguous(shape),
            dtype,
            None,
        ))
    }

    pub fn from_vec<T: Element>(data: Vec<T>, shape: &[usize]) -> Result<Tensor> {
        Tensor::from_storage(T::wrap(data), shape)
    }

    /// A Python number as a 0-dim "wrapped number" tensor.
    pub fn wrapped_scalar(s: Scalar) -> Tensor {
        let data = match s {
            Scalar::Bool(b) => CpuStorage::Bool(vec![b]),
            Scalar::Int(i) => CpuStorage::I64(vec![i]),
            Scalar::Float(f) => CpuStorage::F64(vec![f]),
        };
        let dtype = data.dtype();
        Tensor(Arc::new(Inner {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            storage: Arc::new(RwLock::new(Storage::Cpu(data))),
            layout: Layout::contiguous(&[]),
            dtype,
            wrapped: true,
            is_param: false,
            requires_grad: AtomicBool::new(false),
            retains_grad: AtomicBool::new(false),
            grad: Mutex::new(None),
            node: None,
        }))
    }

    /// The result of an op on `inputs`: placed on their common device (an
    /// op computed on the CPU uploads its result there) with a graph node,
    /// which is built only when grad mode is on and some input requires grad.
    pub(crate) fn from_op(
        data: impl Into<Storage>,
        shape: &[usize],
        inputs: &[&Tensor],
        op: impl FnOnce() -> autograd::Op,
    ) -> Result<Tensor> {
        let mut t = Tensor::placed(data, shape, inputs)?;
        if let Some(node) = autograd::record(inputs, op) {
            t.set_node(node);
        }
        Ok(t)
    }

    /// [`Tensor::from_op`] for an op whose backward reads its result: `op` gets
    /// the result detached (sharing its storage, without the node, which would
    /// otherwise hold itself alive).
    pub(crate) fn from_op_saving_result(
        data: impl Into<Storage>,
        shape: &[usize],
        inputs: &[&Tensor],
        op: impl FnOnce(Tensor) -> autograd::Op,
    ) -> Result<Tensor> {
        let mut t = Tensor::placed(data, shape, inputs)?;
        if let Some(node) = autograd::record(inputs, || op(t.detach())) {
            t.set_node(node);
        }
        Ok(t)
    }

    /// The result of an op that never records a graph node (comparisons,
    /// integer results), placed on the common device of `inputs`.
    pub(crate) fn placed(
        data: impl Into<Storage>,
        shape: &[usize],
        inputs: &[&Tensor],
    ) -> Result<Tensor> {
        check_shape(shape)?;
        crate::guard::check()?;
        let device = op_device(inputs)?;
        let data = data.into().into_device(device)?;
        let dtype = data.dtype();
        Ok(Tensor::build(
            Arc::new(RwLock::new(data)),
            Layout::contiguous(shape),
            dtype,
            None,
        ))
    }

    /// Gives a freshly built result its graph node.
    fn set_node(&mut self, node: Arc<Node>) {
        if let Some(inner) = Arc::get_mut(&mut self.0) {
            inner.requires_grad.store(true, Ordering::Relaxed);
            inner.node = Some(node);
        }
    }

    /// A view sharing this tensor's storage.
    pub(crate) fn view_op(&self, layout: Layout, op: impl FnOnce() -> autograd::Op) -> Tensor {
        let node = autograd::record(&[self], op);
        Tensor::build(self.0.storage.clone(), layout, self.0.dtype, node)
    }

    // ----- attributes -----

    pub fn id(&self) -> usize {
        self.0.id
    }

    pub fn shape(&self) -> &[usize] {
        &self.0.layout.shape
    }

    pub fn layout(&self) -> &Layout {
        &self.0.layout
    }

    pub fn dim(&self) -> usize {
        self.0.layout.ndim()
    }

    pub fn numel(&self) -> usize {
        self.0.layout.numel()
    }

    pub fn dtype(&self) -> DType {
        self.0.dtype
    }

    pub fn device(&self) -> Device {
        if !storage::cuda_used() {
            return Device::Cpu;
        }
        self.0
            .storage
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .device()
    }

    pub fn is_wrapped_number(&self) -> bool {
        self.0.wrapped
    }

    pub fn is_param(&self) -> bool {
        self.0.is_param
    }

    pub fn requires_grad(&self) -> bool {
        self.0.requires_grad.load(Ordering::Relaxed)
    }

    pub fn is_leaf(&self) -> bool {
        self.0.node.is_none()
    }

    pub fn grad_fn(&self) -> Option<&'static str> {
        self.0.node.as_ref().map(|n| n.name())
    }

    pub(crate) fn node(&self) -> Option<&Arc<Node>> {
        self.0.node.as_ref()
    }

    pub fn grad(&self) -> Option<Tensor> {
        lock(&self.0.grad).clone()
    }

    pub fn set_grad(&self, grad: Option<Tensor>) {
        *lock(&self.0.grad) = grad;
    }

    pub fn retains_grad(&self) -> bool {
        self.0.retains_grad.load(Ordering::Relaxed)
    }

    /// `requires_grad_()` / `t.requires_grad = flag`: only leaves may change it.
    pub fn set_requires_grad(&self, flag: bool) -> Result<()> {
        if !self.is_leaf() {
            if flag {
                return Ok(());
            }
            return error::runtime(
                "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
            );
        }
        if flag && !self.dtype().is_float() {
            return error::runtime("only Tensors of floating point dtype can require gradients");
        }
        self.0.requires_grad.store(flag, Ordering::Relaxed);
        Ok(())
    }

    pub fn retain_grad(&self) -> Result<()> {
        if !self.requires_grad() {
            return error::runtime("can't retain_grad on Tensor that has requires_grad=False");
        }
        if !self.is_leaf() {
            self.0.retains_grad.store(true, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Whether another tensor (a view, or the tensor a handle was detached
    /// from) uses this tensor's storage too.
    pub(crate) fn storage_is_shared(&self) -> bool {
        Arc::strong_count(&self.0) > 1 || Arc::strong_count(&self.0.storage) > 1
    }

    /// Whether the elements are exactly the whole storage, in row-major order.
    pub(crate) fn is_dense(&self) -> bool {
        self.read_storage(|s, l| l.is_whole(s.len()))
    }

    /// Whether two handles share storage (a view and its base do).
    pub fn shares_storage(&self, other: &Tensor) -> bool {
        Arc::ptr_eq(&self.0.storage, &other.0.storage)
    }

    /// `detach()`: the same storage, cut from the graph.
    pub fn detach(&self) -> Tensor {
        Tensor::build(
            self.0.storage.clone(),
            self.0.layout.clone(),
            self.0.dtype,
            None,
        )
    }

    /// `nn.Parameter(t)`: a leaf sharing `t`'s storage, requiring grad.
    pub fn to_parameter(&self, requires_grad: bool) -> Result<Tensor> {
        if requires_grad && !self.dtype().is_float() {
            return error::runtime(
                "Only Tensors of floating point and complex dtype can require gradients",
            );
        }
        Ok(Tensor(Arc::new(Inner {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            storage: self.0.storage.clone(),
            layout: self.0.layout.clone(),
            dtype: self.0.dtype,
            wrapped: false,
            is_param: true,
            requires_grad: AtomicBool::new(requires_grad),
            retains_grad: AtomicBool::new(false),
            grad: Mutex::new(None),
            node: None,
        })))
    }

    // ----- devices -----

    /// `.to(device)`: a contiguous copy on `device` (this tensor itself when it
    /// is there already), whose gradient flows back to this one's device.
    pub fn to_device(&self, device: Device) -> Result<Tensor> {
        if device == self.device() {
            return Ok(self.clone());
        }
        let moved = self.storage_copy()?.into_device(device)?;
        let dtype = moved.dtype();
        let a = self.clone();
        let node = autograd::record(&[self], || autograd::Op::ToDevice(a));
        Ok(Tensor::build(
            Arc::new(RwLock::new(moved)),
            Layout::contiguous(self.shape()),
            dtype,
            node,
        ))
    }

    /// A contiguous copy of the elements on this tensor's device.
    fn storage_copy(&self) -> Result<Storage> {
        if let Storage::Cuda(c) = &*self.storage_guard() {
            return Ok(Storage::Cuda(cuda::contiguous(c, self.layout())?));
        }
        Ok(Storage::Cpu(self.contiguous_storage()?))
    }

    /// Moves the storage itself to `device`, so that every handle on it (a
    /// module's parameter held by an optimizer too) sees the move, as
    /// `module.to(device)` does in PyTorch. Its gradient moves with it.
    pub fn move_storage(&self, device: Device) -> Result<()> {
        if device != self.device() {
            let mut guard = self.0.storage.write().unwrap_or_else(|e| e.into_inner());
            let moved = match &*guard {
                Storage::Cpu(s) => Storage::Cpu(s.clone()),
                Storage::Cuda(s) => Storage::Cuda(s.try_clone()?),
            };
            *guard = moved.into_device(device)?;
        }
        if let Some(g) = self.grad() {
            self.set_grad(Some(g.to_device(device)?));
        }
        Ok(())
    }

    // ----- element access -----

    /// Runs `f` over this tensor's elements in host memory (a CUDA tensor's
    /// are downloaded: ops without a CUDA kernel run on the CPU) and layout.
    pub(crate) fn read<R>(&self, f: impl FnOnce(&CpuStorage, &Layout) -> R) -> Result<R> {
        let guard = self.0.storage.read().unwrap_or_else(|e| e.into_inner());
        let host = guard.host()?;
        Ok(f(&host, &self.0.layout))
    }

    /// A read lock on the storage itself, on whichever device it is.
    pub(crate) fn storage_guard(&self) -> StorageGuard<'_> {
        self.0.storage.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` over the storage itself, on whichever device it is.
    pub(crate) fn read_storage<R>(&self, f: impl FnOnce(&Storage, &Layout) -> R) -> R {
        let guard = self.0.storage.read().unwrap_or_else(|e| e.into_inner());
        f(&guard, &self.0.layout)
    }

    /// Mutable access to the shared elements, for in-place ops. On a GPU the
    /// elements are changed in host memory and uploaded again.
    pub(crate) fn write<R>(&self, f: impl FnOnce(&mut CpuStorage, &Layout) -> R) -> Result<R> {
        let mut guard = self.0.storage.write().unwrap_or_else(|e| e.into_inner());
        match &mut *guard {
            Storage::Cpu(s) => Ok(f(s, &self.0.layout)),
            Storage::Cuda(s) => {
                let mut host = cuda::download(s)?;
                let r = f(&mut host, &self.0.layout);
                *s = cuda::upload(&host)?;
                Ok(r)
            }
        }
    }

    /// The elements in row-major order, as `T` (converting if needed).
    pub fn to_vec<T: Element>(&self) -> Result<Vec<T>> {
        self.read(|s, l| {
            crate::with_dtype!(s.dtype(), S => {
                let v = storage::gather_checked(S::slice(s), l)?;
                Ok(convert_vec::<S, T>(v))
            })
        })?
    }

    /// `f` over the elements in row-major order as `T`: borrowed straight from
    /// the storage when they lie there contiguously in that dtype, else copied.
    pub(crate) fn with_elements<T: Element, R>(&self, f: impl FnOnce(&[T]) -> R) -> Result<R> {
        if self.numel() > 0 && self.dtype() == T::DTYPE && self.layout().is_contiguous() {
            return self.read(|s, l| f(&T::slice(s)[l.offset..][..l.numel()]));
        }
        Ok(f(&self.to_vec::<T>()?))
    }

    /// A contiguous copy of the elements in this tensor's dtype, in host memory.
    pub fn contiguous_storage(&self) -> Result<CpuStorage> {
        self.read(|s, l| {
            crate::with_dtype!(s.dtype(), S => Ok(S::wrap(storage::gather_checked(S::slice(s), l)?)))
        })?
    }

    /// `item()`: the one element as a Scalar.
    pub fn item(&self) -> Result<Scalar> {
        if self.numel() != 1 {
            return error::runtime(format!(
                "a Tensor with {} elements cannot be converted to Scalar",
                self.numel()
            ));
        }
        let value = match self.dtype().kind() {
            Kind::Bool => self.to_vec::<bool>()?.first().copied().map(Scalar::Bool),
            Kind::Int => self.to_vec::<i64>()?.first().copied().map(Scalar::Int),
            Kind::Float => self.to_vec::<f64>()?.first().copied().map(Scalar::Float),
        };
        value.map_or_else(|| error::runtime("item(): the tensor is empty"), Ok)
    }

    /// `f` computed on a float32 copy of this float16/bfloat16 tensor, its
    /// result rounded back: the ops PyTorch's CPU kernels accumulate in float32.
    pub(crate) fn through_f32(&self, f: impl FnOnce(&Tensor) -> Result<Tensor>) -> Result<Tensor> {
        f(&self.to_dtype(DType::F32)?)?.to_dtype(self.dtype())
    }

    /// The text `print(t)` shows.
    pub fn repr(&self) -> Result<String> {
        let suffixes = format::Suffixes {
            device: match self.device() {
                Device::Cpu => None,
                d => Some(d.to_string()),
            },
            grad_fn: self.grad_fn().map(str::to_string),
            requires_grad: self.requires_grad() && self.is_leaf(),
        };
        let dtype = self.dtype();
        // Narrow ints print through int64 and float16/bfloat16 through
        // float32, both exact.
        let body = match self.contiguous_storage()?.to_dtype(dtype.wide()) {
            CpuStorage::Bool(v) => format::Elements::Bool(&v).repr(self.shape(), dtype, &suffixes),
            CpuStorage::F32(v) => format::Elements::F32(&v).repr(self.shape(), dtype, &suffixes),
            CpuStorage::F64(v) => format::Elements::F64(&v).repr(self.shape(), dtype, &suffixes),
            ints => {
                let v = ints.to_dtype(DType::I64);
                format::Elements::I64(i64::slice(&v)).repr(self.shape(), dtype, &suffixes)
            }
        };
        Ok(if self.is_param() {
            format!("Parameter containing:\n{body}")
        } else {
            body
        })
    }
}

/// The device an op's result lives on: the common device of its operands.
/// Wrapped Python numbers and 0-dim CPU tensors join any device, as PyTorch's
/// CPU scalars do.
pub(crate) fn op_device(inputs: &[&Tensor]) -> Result<Device> {
    if !storage::cuda_used() {
        return Ok(Device::Cpu);
    }
    let devices: Vec<Device> = inputs
        .iter()
        .map(|t| (t, t.device()))
        .filter(|(t, d)| !(t.is_wrapped_number() || (t.dim() == 0 && *d == Device::Cpu)))
        .map(|(_, d)| d)
        .collect();
    cuda::errors::common_device(&devices)
}

pub(crate) fn convert_vec<S: Element, T: Element>(v: Vec<S>) -> Vec<T> {
    let any: Box<dyn std::any::Any> = Box::new(v);
    match any.downcast::<Vec<T>>() {
        Ok(same) => *same,
        Err(any) => match any.downcast::<Vec<S>>() {
            Ok(v) => v.into_iter().map(cast::<S, T>).collect(),
            Err(_) => unreachable!("a Vec<S> downcasts to itself"),
        },
    }
}

/// Converts one element between dtypes as PyTorch's `.to(dtype)` does.
pub(crate) fn cast<S: Element, T: Element>(x: S) -> T {
    match (S::DTYPE.kind(), T::DTYPE.kind()) {
        (_, Kind::Bool) => T::from_bool(x.to_bool()),
        (Kind::Float, _) => T::from_f64(x.to_f64()),
        _ => T::from_i64(x.to_i64()),
    }
}

/// `check_size` for a shape, counting empty dims as 1: an empty tensor with
/// astronomically long other dims is refused too, so that stride and offset
/// arithmetic never overflows.
pub(crate) fn check_shape(shape: &[usize]) -> Result<()> {
    check_size(
        shape
            .iter()
            .fold(1usize, |n, &d| n.saturating_mul(d.max(1))),
    )
}

/// `check_size`, and the memory budget's room for `numel` elements of `dtype`,
/// before they are allocated.
pub(crate) fn check_alloc(numel: usize, dtype: DType) -> Result<()> {
    check_size(numel)?;
    crate::guard::reserve(numel.saturating_mul(dtype.size_in_bytes()))?;
    Ok(())
}

pub(crate) fn check_size(numel: usize) -> Result<()> {
    let max = max_elements();
    if numel > max {
        return error::runtime(format!(
            "tensor of {numel} elements is larger than nnlearn's limit of {max} elements"
        ));
    }
    Ok(())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

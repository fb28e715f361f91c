//! The kernel entry points the engine calls for CUDA tensors. Each takes
//! device storage (with a layout where views are allowed, contiguous
//! otherwise), launches NVRTC-compiled kernels and returns new storage.
//!
//! Dtypes are the engine's business: binary ops take operands already in the
//! compute dtype the CPU path uses (`result_type`, float32 for `/` on
//! integers); what the CPU does implicitly (float functions of integers run in
//! float32, bool arithmetic in int64) is done here too.

use cudarc::driver::{CudaSlice, LaunchConfig, PushKernelArg};

use super::super::dtype::DType;
use super::super::error::{index_err, runtime, Result, TensorError};
use super::super::layout::{broadcast_shapes, Layout};
use super::super::losses::{PointLoss, Reduction};
use super::super::ops::{BinaryOp, UnaryOp};
use super::context::{driver_error, gpu, Gpu};
use super::dims::Dims;
use super::storage::{alloc, has_kernels, with_dev_type, CudaStorage, DevElem};

/// Threads per block (`BLOCK` in kernels.cu, which sizes shared memory by it).
const BLOCK: u32 = 256;
/// Enough blocks to fill any current GPU; grid-stride loops do the rest.
const MAX_BLOCKS: usize = 4096;

fn grid(n: usize) -> LaunchConfig {
    LaunchConfig {
        grid_dim: (n.div_ceil(BLOCK as usize).clamp(1, MAX_BLOCKS) as u32, 1, 1),
        block_dim: (BLOCK, 1, 1),
        shared_mem_bytes: 0,
    }
}

/// One block per output element (reductions, softmax rows); fewer threads
/// when the rows are short. Block counts beyond the grid limit are refused.
fn per_row(rows: usize, len: usize) -> Result<LaunchConfig> {
    let threads = len.next_power_of_two().clamp(32, BLOCK as usize) as u32;
    let blocks = u32::try_from(rows)
        .ok()
        .filter(|&b| b < i32::MAX as u32)
        .map_or_else(|| runtime("too many rows for one CUDA reduction"), Ok)?;
    Ok(LaunchConfig {
        grid_dim: (blocks, 1, 1),
        block_dim: (threads, 1, 1),
        shared_mem_bytes: 0,
    })
}

fn launched(
    name: &str,
    result: std::result::Result<
        Option<(cudarc::driver::CudaEvent, cudarc::driver::CudaEvent)>,
        cudarc::driver::DriverError,
    >,
) -> Result<()> {
    result.map(|_| ()).map_err(|e| driver_error(name, &e))
}

fn kernel(gpu: &Gpu, base: &str, suffix: &str) -> Result<(String, cudarc::driver::CudaFunction)> {
    let name = format!("{base}_{suffix}");
    let f = gpu.function(&name)?;
    Ok((name, f))
}

/// Runs `launch` with the error flag. When `check`, clears it first and
/// returns what the kernel set (a synchronising read); otherwise the kernel
/// cannot fail and the queue is not waited on.
fn with_flag(
    gpu: &Gpu,
    check: bool,
    launch: impl FnOnce(&mut CudaSlice<i32>) -> Result<()>,
) -> Result<i32> {
    let mut flag = gpu.flag();
    if !check {
        launch(&mut flag)?;
        return Ok(0);
    }
    gpu.stream
        .memset_zeros(&mut *flag)
        .map_err(|e| driver_error("clearing the error flag", &e))?;
    launch(&mut flag)?;
    let v = gpu
        .stream
        .clone_dtoh(&*flag)
        .map_err(|e| driver_error("reading the error flag", &e))?;
    Ok(v.first().copied().unwrap_or(0))
}

fn int64_binary_error(flag: i32) -> Result<()> {
    match flag {
        0 => Ok(()),
        _ => runtime("ZeroDivisionError"),
    }
}

// ------------------------------------------------------------------ casts

/// A contiguous copy of the elements `layout` addresses, converted to `dtype`
/// (`.to(dtype)`, `.contiguous()`, and every view an op needs contiguous).
pub fn cast(src: &CudaStorage, layout: &Layout, dtype: DType) -> Result<CudaStorage> {
    if src.emulated().is_some() || !has_kernels(dtype) {
        return super::emulated::cast(src, layout, dtype);
    }
    let gpu = gpu()?;
    let n = layout.numel();
    let dims = Dims::new(&layout.shape, &[(layout, src.len())])?;
    with_dev_type!(src.dtype(), S => with_dev_type!(dtype, D => {
        let a = src.slice::<S>()?;
        let mut out = alloc::<D>(gpu, n)?;
        if n > 0 {
            let (name, f) = kernel(gpu, &format!("cast_{}", S::SUFFIX), D::SUFFIX)?;
            let n64 = n as i64;
            let mut b = gpu.stream.launch_builder(&f);
            b.arg(&mut out).arg(a).arg(&dims).arg(&n64);
            // SAFETY: the signature matches kernels.cu; Dims bounds every read.
            launched(&name, unsafe { b.launch(grid(n)) })?;
        }
        Ok(CudaStorage::new(out, n))
    }))
}

/// `.contiguous()` on the GPU.
pub fn contiguous(src: &CudaStorage, layout: &Layout) -> Result<CudaStorage> {
    cast(src, layout, src.dtype())
}

// ------------------------------------------------------------------ binary

fn binary_code(op: BinaryOp) -> i32 {
    use BinaryOp::*;
    match op {
        Add => 0,
        Sub => 1,
        Mul => 2,
        Div => 3,
        FloorDiv => 4,
        Rem => 5,
        Pow => 6,
        Maximum => 7,
        Minimum => 8,
        BitAnd | LogicalAnd => 9,
        BitOr | LogicalOr => 10,
        BitXor => 11,
        Eq => 0,
        Ne => 1,
        Lt => 2,
        Le => 3,
        Gt => 4,
        Ge => 5,
    }
}

fn is_comparison(op: BinaryOp) -> bool {
    use BinaryOp::*;
    matches!(op, Eq | Ne | Lt | Le | Gt | Ge)
}

/// An elementwise binary op of `a` and `b` (viewed through their layouts,
/// broadcast together). Both must have the same dtype; comparisons give bool.
pub fn binary(
    op: BinaryOp,
    a: &CudaStorage,
    la: &Layout,
    b: &CudaStorage,
    lb: &Layout,
) -> Result<CudaStorage> {
    if a.emulated().is_some() || b.emulated().is_some() {
        return super::emulated::binary(op, a, la, b, lb);
    }
    use BinaryOp::*;
    if a.dtype() != b.dtype() {
        return runtime(format!(
            "internal error: CUDA binary op on {} and {}",
            a.dtype(),
            b.dtype()
        ));
    }
    let dtype = a.dtype();
    // What the CPU computes in another dtype: logical ops on bools, `/` on
    // integers in float32, other arithmetic on two bools in int64.
    let compute = match op {
        LogicalAnd | LogicalOr => DType::Bool,
        Div if !dtype.is_float() => DType::F32,
        Sub | FloorDiv | Rem | Pow if dtype == DType::Bool => DType::I64,
        _ => dtype,
    };
    if compute != dtype {
        let (ca, cb) = (cast(a, la, compute)?, cast(b, lb, compute)?);
        let (ca_l, cb_l) = (Layout::contiguous(&la.shape), Layout::contiguous(&lb.shape));
        return binary(op, &ca, &ca_l, &cb, &cb_l);
    }
    if matches!(op, BitAnd | BitOr | BitXor) && dtype.is_float() {
        let name = match op {
            BitAnd => "bitwise_and_cuda",
            BitOr => "bitwise_or_cuda",
            _ => "bitwise_xor_cuda",
        };
        return runtime(format!("\"{name}\" not implemented for 'Float'"));
    }
    let gpu = gpu()?;
    let shape = broadcast_shapes(&la.shape, &lb.shape)?;
    let n: usize = shape.iter().product();
    let dims = Dims::new(&shape, &[(la, a.len()), (lb, b.len())])?;
    let code = binary_code(op);
    let n64 = n as i64;
    with_dev_type!(dtype, T => {
        let (xa, xb) = (a.slice::<T>()?, b.slice::<T>()?);
        if is_comparison(op) {
            let mut out = alloc::<u8>(gpu, n)?;
            if n > 0 {
                let (name, f) = kernel(gpu, "compare", T::SUFFIX)?;
                let mut l = gpu.stream.launch_builder(&f);
                l.arg(&mut out).arg(xa).arg(xb).arg(&dims).arg(&n64).arg(&code);
                // SAFETY: as in `cast`.
                launched(&name, unsafe { l.launch(grid(n)) })?;
            }
            return Ok(CudaStorage::new(out, n));
        }
        let mut out = alloc::<T>(gpu, n)?;
        if n > 0 {
            let (name, f) = kernel(gpu, "binary", T::SUFFIX)?;
            // Only integer division and powers can fail.
            let flag = with_flag(gpu, T::DTYPE == DType::I64, |flag| {
                let mut l = gpu.stream.launch_builder(&f);
                l.arg(&mut out).arg(xa).arg(xb).arg(&dims).arg(&n64).arg(&code).arg(flag);
                // SAFETY: as in `cast`.
                launched(&name, unsafe { l.launch(grid(n)) })
            })?;
            int64_binary_error(flag)?;
        }
        Ok(CudaStorage::new(out, n))
    })
}

// ------------------------------------------------------------------ unary

fn unary_code(op: UnaryOp) -> i32 {
    use UnaryOp::*;
    match op {
        Neg => 0,
        Abs => 1,
        Exp => 2,
        Log => 3,
        Log1p => 4,
        Sqrt => 5,
        Sin => 6,
        Cos => 7,
        Tanh => 8,
        Sigmoid => 9,
        Relu => 10,
        Sign => 11,
        Round => 12,
        Floor => 13,
        Ceil => 14,
        Trunc => 15,
        Frac => 16,
        Log10 => 17,
        Log2 => 18,
        Exp2 => 19,
    }
}

/// An elementwise function of the elements `layout` addresses. As on the
/// CPU, float functions of integers and bools compute in float32.
pub fn unary(op: UnaryOp, src: &CudaStorage, layout: &Layout) -> Result<CudaStorage> {
    if src.emulated().is_some() {
        return super::emulated::unary(op, src, layout);
    }
    use UnaryOp::*;
    let dtype = src.dtype();
    if !dtype.is_float() && op.needs_float() {
        let f = cast(src, layout, DType::F32)?;
        return unary(op, &f, &Layout::contiguous(&layout.shape));
    }
    if dtype == DType::Bool && op == Neg {
        return runtime("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
    }
    let gpu = gpu()?;
    let n = layout.numel();
    let dims = Dims::new(&layout.shape, &[(layout, src.len())])?;
    let (code, n64) = (unary_code(op), n as i64);
    with_dev_type!(dtype, T => {
        let x = src.slice::<T>()?;
        let mut out = alloc::<T>(gpu, n)?;
        if n > 0 {
            let (name, f) = kernel(gpu, "unary", T::SUFFIX)?;
            let mut l = gpu.stream.launch_builder(&f);
            l.arg(&mut out).arg(x).arg(&dims).arg(&n64).arg(&code);
            // SAFETY: as in `cast`.
            launched(&name, unsafe { l.launch(grid(n)) })?;
        }
        Ok(CudaStorage::new(out, n))
    })
}

/// `torch.where(cond, a, b)`: `a` and `b` in one dtype, `cond` bool, all broadcast.
pub fn where_(
    cond: &CudaStorage,
    lc: &Layout,
    a: &CudaStorage,
    la: &Layout,
    b: &CudaStorage,
    lb: &Layout,
) -> Result<CudaStorage> {
    if [cond, a, b].iter().any(|s| s.emulated().is_some()) {
        return super::emulated::where_((cond, lc), (a, la), (b, lb));
    }
    if cond.dtype() != DType::Bool || a.dtype() != b.dtype() {
        return runtime(
            "internal error: CUDA where needs a bool condition and operands of one dtype",
        );
    }
    let gpu = gpu()?;
    let shape = broadcast_shapes(&broadcast_shapes(&lc.shape, &la.shape)?, &lb.shape)?;
    let n: usize = shape.iter().product();
    let dims = Dims::new(&shape, &[(lc, cond.len()), (la, a.len()), (lb, b.len())])?;
    let n64 = n as i64;
    with_dev_type!(a.dtype(), T => {
        let mut out = alloc::<T>(gpu, n)?;
        if n > 0 {
            let (name, f) = kernel(gpu, "where", T::SUFFIX)?;
            let mut l = gpu.stream.launch_builder(&f);
            l.arg(&mut out).arg(cond.slice::<u8>()?).arg(a.slice::<T>()?).arg(b.slice::<T>()?).arg(&dims).arg(&n64);
            // SAFETY: as in `cast`.
            launched(&name, unsafe { l.launch(grid(n)) })?;
        }
        Ok(CudaStorage::new(out, n))
    })
}

// ------------------------------------------------------------------ reductions

/// The reductions that fold a dim into one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReduceOp {
    Sum,
    Mean,
    Prod,
}

/// A contiguous `shape` seen as [outer, len, inner] around `dim`.
fn split_at_dim(shape: &[usize], dim: usize) -> Result<(usize, usize, usize)> {
    if dim >= shape.len().max(1) {
        return index_err(format!(
            "Dimension out of range (expected to be in range of [{}, {}], but got {dim})",
            -(shape.len().max(1) as i64),
            shape.len().max(1) - 1
        ));
    }
    let outer = shape.get(..dim).map_or(1, |s| s.iter().product());
    let len = shape.get(dim).copied().unwrap_or(1);
    let inner = shape.get(dim + 1..).map_or(1, |s| s.iter().product());
    Ok((outer, len, inner))
}

/// Sum, mean or prod of a contiguous tensor of `shape` along `dim`; the result
/// has `shape` without `dim` (the engine reshapes for `keepdim`, and permutes
/// then calls [`contiguous`] to reduce several dims as one). Bools sum and
/// multiply as int64; mean needs a float dtype, as on the CPU.
pub fn reduce(op: ReduceOp, src: &CudaStorage, shape: &[usize], dim: usize) -> Result<CudaStorage> {
    if src.emulated().is_some() {
        return super::emulated::reduce(op, src, shape, dim);
    }
    if src.dtype() == DType::Bool {
        let ints = cast(src, &Layout::contiguous(shape), DType::I64)?;
        return reduce(op, &ints, shape, dim);
    }
    if op == ReduceOp::Mean && !src.dtype().is_float() {
        return runtime(format!(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {}",
            super::super::ops::dtype_title(src.dtype())
        ));
    }
    let gpu = gpu()?;
    let (outer, len, inner) = split_at_dim(shape, dim)?;
    let rows = outer * inner;
    let code: i32 = match op {
        ReduceOp::Sum => 0,
        ReduceOp::Mean => 1,
        ReduceOp::Prod => 2,
    };
    let (o64, l64, i64_) = (outer as i64, len as i64, inner as i64);
    with_dev_type!(src.dtype(), T => {
        let x = src.slice::<T>()?;
        let mut out = alloc::<T>(gpu, rows)?;
        if rows > 0 {
            let (name, f) = kernel(gpu, "reduce", T::SUFFIX)?;
            let mut l = gpu.stream.launch_builder(&f);
            l.arg(&mut out).arg(x).arg(&o64).arg(&l64).arg(&i64_).arg(&code);
            // SAFETY: as in `cast`; rows * len elements are read.
            launched(&name, unsafe { l.launch(per_row(rows, len)?) })?;
        }
        Ok(CudaStorage::new(out, rows))
    })
}

/// Sum or mean over `dims` (sorted, distinct; empty on a 0-dim tensor) of
/// the tensor `src` is through `layout`; the result holds the kept dims in
/// order. On the GPU the reduced dims are moved last, made contiguous and
/// reduced as one by [`reduce`]; the emulated device reduces the tensor as it
/// is, so its sums round exactly as the CPU's (whose order depends on the
/// layout).
pub fn reduce_dims(
    op: ReduceOp,
    src: &CudaStorage,
    layout: &Layout,
    dims: &[usize],
) -> Result<CudaStorage> {
    if src.emulated().is_some() {
        return super::emulated::reduce_dims(op, src, layout, dims);
    }
    let kept: Vec<usize> = (0..layout.ndim()).filter(|d| !dims.contains(d)).collect();
    let order: Vec<usize> = kept.iter().chain(dims).copied().collect();
    let moved = Layout {
        shape: order.iter().map(|&d| layout.shape[d]).collect(),
        strides: order.iter().map(|&d| layout.strides[d]).collect(),
        offset: layout.offset,
    };
    let outer: usize = kept.iter().map(|&d| layout.shape[d]).product();
    let len: usize = dims.iter().map(|&d| layout.shape[d]).product();
    if moved.is_whole(src.len()) {
        reduce(op, src, &[outer, len], 1)
    } else {
        reduce(op, &contiguous(src, &moved)?, &[outer, len], 1)
    }
}

/// `max(dim)` / `min(dim)` of a contiguous tensor: the values and the int64
/// index of the first extreme (a NaN counts as the extreme).
pub fn max_dim(
    src: &CudaStorage,
    shape: &[usize],
    dim: usize,
    is_max: bool,
) -> Result<(CudaStorage, CudaStorage)> {
    if src.emulated().is_some() {
        return super::emulated::max_dim(src, shape, dim, is_max);
    }
    if src.dtype() == DType::Bool {
        let ints = cast(src, &Layout::contiguous(shape), DType::I64)?;
        let (v, i) = max_dim(&ints, shape, dim, is_max)?;
        return Ok((cast(&v, &Layout::contiguous(&[v.len()]), DType::Bool)?, i));
    }
    let gpu = gpu()?;
    let (outer, len, inner) = split_at_dim(shape, dim)?;
    let rows = outer * inner;
    if len == 0 {
        let name = if is_max { "max" } else { "min" };
        return index_err(format!(
            "{name}(): Expected reduction dim {dim} to have non-zero size."
        ));
    }
    let (o64, l64, i64_, m) = (outer as i64, len as i64, inner as i64, i32::from(is_max));
    with_dev_type!(src.dtype(), T => {
        let x = src.slice::<T>()?;
        let mut vals = alloc::<T>(gpu, rows)?;
        let mut idxs = alloc::<i64>(gpu, rows)?;
        if rows > 0 {
            let (name, f) = kernel(gpu, "extreme", T::SUFFIX)?;
            let mut l = gpu.stream.launch_builder(&f);
            l.arg(&mut vals).arg(&mut idxs).arg(x).arg(&o64).arg(&l64).arg(&i64_).arg(&m);
            // SAFETY: as in `reduce`.
            launched(&name, unsafe { l.launch(per_row(rows, len)?) })?;
        }
        Ok((CudaStorage::new(vals, rows), CudaStorage::new(idxs, rows)))
    })
}

// ------------------------------------------------------------------ softmax and losses

/// `softmax` / `log_softmax` over the last dim of a contiguous tensor (the
/// engine moves another dim last first). Integers compute in float32.
pub fn softmax(src: &CudaStorage, shape: &[usize], log: bool) -> Result<CudaStorage> {
    if src.emulated().is_some() {
        return super::emulated::softmax(src, shape, log);
    }
    if !src.dtype().is_float() {
        let f = cast(src, &Layout::contiguous(shape), DType::F32)?;
        return softmax(&f, shape, log);
    }
    let gpu = gpu()?;
    let n: usize = shape.iter().product();
    let len = shape.last().copied().unwrap_or(1);
    let rows = n.checked_div(len).unwrap_or(0);
    let (l64, lg) = (len as i64, i32::from(log));
    with_dev_type!(src.dtype(), T => {
        let x = src.slice::<T>()?;
        let mut out = alloc::<T>(gpu, n)?;
        if rows > 0 {
            let (name, f) = kernel(gpu, "softmax", T::SUFFIX)?;
            let mut l = gpu.stream.launch_builder(&f);
            l.arg(&mut out).arg(x).arg(&l64).arg(&lg);
            // SAFETY: as in `reduce`.
            launched(&name, unsafe { l.launch(per_row(rows, len)?) })?;
        }
        Ok(CudaStorage::new(out, n))
    })
}

/// `softmax` / `log_softmax` over `dim` of the tensor `src` is through
/// `layout`, as a contiguous tensor of its shape. On the GPU `dim` is moved
/// last for [`softmax`] and back; the emulated device runs the CPU's softmax
/// over `dim` itself (whose rounding differs from its last-dim kernel).
pub fn softmax_dim(
    src: &CudaStorage,
    layout: &Layout,
    dim: usize,
    log: bool,
) -> Result<CudaStorage> {
    if src.emulated().is_some() {
        return super::emulated::softmax_dim(src, layout, dim, log);
    }
    let n = layout.ndim();
    if n == 0 {
        return softmax(&contiguous(src, layout)?, &[1], log);
    }
    let last = n - 1;
    let mut moved = layout.clone();
    moved.shape.swap(dim, last);
    moved.strides.swap(dim, last);
    let out = if moved.is_whole(src.len()) {
        softmax(src, &moved.shape, log)?
    } else {
        softmax(&contiguous(src, &moved)?, &moved.shape, log)?
    };
    let mut back = Layout::contiguous(&moved.shape);
    back.shape.swap(dim, last);
    back.strides.swap(dim, last);
    if dim == last {
        Ok(out)
    } else {
        contiguous(&out, &back)
    }
}

fn point_loss_code(loss: PointLoss) -> (i32, f64) {
    match loss {
        PointLoss::Mse => (0, 0.0),
        PointLoss::Huber(delta) => (1, delta),
        PointLoss::SmoothL1(beta) => (2, beta),
        PointLoss::Bce => (3, 0.0),
        PointLoss::BceWithLogits => (4, 0.0),
    }
}

fn not_float(what: &str, dtype: DType) -> TensorError {
    TensorError::Runtime(format!(
        "\"{what}\" not implemented for '{}'",
        super::super::ops::dtype_title(dtype)
    ))
}

/// mse / huber / smooth_l1 / bce / bce_with_logits of two contiguous float
/// tensors of one shape and dtype (the engine expands them first).
pub fn point_loss(
    loss: PointLoss,
    x: &CudaStorage,
    y: &CudaStorage,
    reduction: Reduction,
) -> Result<CudaStorage> {
    if x.emulated().is_some() {
        return super::emulated::point_loss(loss, x, y, reduction);
    }
    if !x.dtype().is_float() || x.dtype() != y.dtype() || x.len() != y.len() {
        return Err(not_float("loss", x.dtype()));
    }
    let gpu = gpu()?;
    let n = x.len();
    let (code, param) = point_loss_code(loss);
    let n64 = n as i64;
    let per_element = with_dev_type!(x.dtype(), T => {
        let mut out = alloc::<T>(gpu, n)?;
        if n > 0 {
            let (name, f) = kernel(gpu, "point_loss", T::SUFFIX)?;
            let (xs, ys) = (x.slice::<T>()?, y.slice::<T>()?);
            let flag = with_flag(gpu, loss == PointLoss::Bce, |flag| {
                let mut l = gpu.stream.launch_builder(&f);
                l.arg(&mut out).arg(xs).arg(ys).arg(&n64).arg(&code).arg(&param).arg(flag);
                // SAFETY: as in `cast`; x and y hold n elements.
                launched(&name, unsafe { l.launch(grid(n)) })
            })?;
            if flag != 0 {
                return runtime("all elements of input should be between 0 and 1");
            }
        }
        CudaStorage::new(out, n)
    });
    match reduction {
        Reduction::None => Ok(per_element),
        Reduction::Sum => reduce(ReduceOp::Sum, &per_element, &[n], 0),
        Reduction::Mean => reduce(ReduceOp::Mean, &per_element, &[n], 0),
    }
}

/// `mse_loss(x, y, reduction)`.
pub fn mse_loss(x: &CudaStorage, y: &CudaStorage, reduction: Reduction) -> Result<CudaStorage> {
    point_loss(PointLoss::Mse, x, y, reduction)
}

/// `nll_loss` of contiguous log-probabilities `[batch, classes]` (or
/// `[classes]` with a 0-dim target) against int64 class indices, with
/// optional per-class weights in the input's dtype. The engine checks the
/// shapes (as the CPU path does); a target out of range is found here.
pub fn nll_loss(
    input: &CudaStorage,
    classes: usize,
    target: &CudaStorage,
    weight: Option<&CudaStorage>,
    reduction: Reduction,
    ignore_index: i64,
) -> Result<CudaStorage> {
    if input.emulated().is_some() {
        return super::emulated::nll_loss(input, classes, target, weight, reduction, ignore_index);
    }
    if !input.dtype().is_float() {
        return Err(not_float(
            "nll_loss_forward_reduce_cuda_kernel_2d_index",
            input.dtype(),
        ));
    }
    if target.dtype() != DType::I64 {
        return runtime(format!(
            "expected scalar type Long but found {}",
            super::super::ops::dtype_title(target.dtype())
        ));
    }
    // A 0-dim target (1-D input) holds one element, like a batch of one.
    let batch = target.len();
    if input.len() != batch * classes
        || weight.is_some_and(|w| w.len() != classes || w.dtype() != input.dtype())
    {
        return runtime("internal error: CUDA nll_loss shapes do not agree");
    }
    let gpu = gpu()?;
    let (b64, c64, has_w) = (batch as i64, classes as i64, i32::from(weight.is_some()));
    with_dev_type!(input.dtype(), T => {
        let x = input.slice::<T>()?;
        // Without weights the kernel never reads `w`; it still needs a pointer.
        let w = match weight {
            Some(w) => w.slice::<T>()?,
            None => x,
        };
        let t = target.slice::<i64>()?;
        let mut losses = alloc::<T>(gpu, batch)?;
        let mut wsum = alloc::<f64>(gpu, batch)?;
        let (name, f) = kernel(gpu, "nll_rows", T::SUFFIX)?;
        let flag = with_flag(gpu, true, |flag| {
            let mut l = gpu.stream.launch_builder(&f);
            l.arg(&mut losses).arg(&mut wsum).arg(x).arg(t).arg(w).arg(&has_w)
                .arg(&b64).arg(&c64).arg(&ignore_index).arg(flag);
            // SAFETY: as in `cast`; sizes checked above.
            launched(&name, unsafe { l.launch(grid(batch)) })
        })?;
        if flag != 0 {
            return Err(out_of_bounds_target(gpu, target, classes, ignore_index));
        }
        if reduction == Reduction::None {
            return Ok(CudaStorage::new(losses, batch));
        }
        let mut out = alloc::<T>(gpu, 1)?;
        let (name, f) = kernel(gpu, "nll_reduce", T::SUFFIX)?;
        let mean = i32::from(reduction == Reduction::Mean);
        let mut l = gpu.stream.launch_builder(&f);
        l.arg(&mut out).arg(&losses).arg(&wsum).arg(&b64).arg(&mean);
        // SAFETY: one block reads the `batch` rows written above.
        launched(&name, unsafe { l.launch(per_row(1, batch)?) })?;
        Ok(CudaStorage::new(out, 1))
    })
}

/// The CPU's `Target {c} is out of bounds.` for the first bad target.
fn out_of_bounds_target(
    gpu: &Gpu,
    target: &CudaStorage,
    classes: usize,
    ignore: i64,
) -> TensorError {
    let bad = target
        .slice::<i64>()
        .ok()
        .and_then(|t| gpu.stream.clone_dtoh(t).ok())
        .and_then(|t| {
            t.into_iter()
                .find(|&c| c != ignore && (c < 0 || c as usize >= classes))
        });
    match bad {
        Some(c) => TensorError::Index(format!("Target {c} is out of bounds.")),
        None => TensorError::Index("Target is out of bounds.".into()),
    }
}

//! Elementwise ops: arithmetic, comparisons, math functions, casts.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

use super::autograd::Op;
use super::dtype::{DType, Kind};
use super::element::num_like::FloatOps;
use super::element::Element;
use super::error::{not_implemented, runtime, Result};
use super::kernel::{self, CHEAP, COSTLY};
use super::layout::{broadcast_shapes, Layout};
use super::vecmath::vectorized_len;
use super::{cuda, interrupt, Scalar, Tensor};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Rem,
    Pow,
    Maximum,
    Minimum,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    LogicalAnd,
    LogicalOr,
    BitAnd,
    BitOr,
    BitXor,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Abs,
    Exp,
    Log,
    Log1p,
    Sqrt,
    Sin,
    Cos,
    Tanh,
    Sigmoid,
    Relu,
    Sign,
    Round,
    Floor,
    Ceil,
    Trunc,
    Frac,
    Log10,
    Log2,
    Exp2,
}

impl UnaryOp {
    /// Whether integer input computes in float (the rest keep ints).
    pub fn needs_float(self) -> bool {
        use UnaryOp::*;
        !matches!(
            self,
            Neg | Abs | Relu | Sign | Round | Floor | Ceil | Trunc | Frac
        )
    }
}

impl UnaryOp {
    /// Whether the derivative is written in terms of the result (PyTorch's
    /// `result` in derivatives.yaml), which the graph node then keeps.
    pub fn saves_result(self) -> bool {
        use UnaryOp::*;
        matches!(self, Exp | Sqrt | Tanh | Sigmoid | Exp2)
    }

    /// The op's name in PyTorch's kernel names (`floor_vml_cpu`).
    pub fn kernel_name(self) -> &'static str {
        use UnaryOp::*;
        match self {
            Floor => "floor",
            Ceil => "ceil",
            Trunc => "trunc",
            Frac => "frac",
            _ => "unary",
        }
    }
}

/// PyTorch's `result_type`: dimensioned tensors outrank 0-dim tensors, which
/// outrank wrapped Python numbers, unless a lower group has a higher kind.
pub fn result_type(tensors: &[&Tensor]) -> DType {
    let mut groups: [Option<DType>; 3] = [None; 3];
    for t in tensors {
        let (slot, dtype) = if t.is_wrapped_number() {
            let d = t.dtype();
            (
                2,
                if d.is_float() {
                    DType::default_of(Kind::Float)
                } else {
                    d
                },
            )
        } else if t.dim() == 0 {
            (1, t.dtype())
        } else {
            (0, t.dtype())
        };
        groups[slot] = Some(groups[slot].map_or(dtype, |g| g.promote(dtype)));
    }
    let [dim, zero, wrapped] = groups;
    combine(dim, combine(zero, wrapped)).unwrap_or(DType::F32)
}

fn combine(higher: Option<DType>, lower: Option<DType>) -> Option<DType> {
    match (higher, lower) {
        (Some(h), Some(l)) => {
            if h.is_float() {
                Some(h)
            } else if h == DType::Bool || l.kind() == Kind::Float {
                Some(h.promote(l))
            } else {
                Some(h)
            }
        }
        (h, l) => h.or(l),
    }
}

/// Applies `f` to broadcast pairs of elements of `a` and `b` (read as `C`);
/// `grain` is the kernel's split size (see [`kernel`]).
fn zip_map<C: Element, R: Element>(
    a: &Tensor,
    b: &Tensor,
    shape: &[usize],
    grain: usize,
    f: impl Fn(C, C) -> R + Sync,
) -> Result<Vec<R>> {
    let borrow = |t: &Tensor| t.dtype() == C::DTYPE;
    if borrow(a) && borrow(b) {
        a.read(|sa, la| {
            if a.shares_storage(b) {
                return zip_slices(C::slice(sa), la, C::slice(sa), b.layout(), shape, grain, &f);
            }
            b.read(|sb, lb| zip_slices(C::slice(sa), la, C::slice(sb), lb, shape, grain, &f))?
        })?
    } else {
        let (da, db) = (a.to_vec::<C>()?, b.to_vec::<C>()?);
        let (la, lb) = (Layout::contiguous(a.shape()), Layout::contiguous(b.shape()));
        zip_slices(&da, &la, &db, &lb, shape, grain, &f)
    }
}

fn zip_slices<C: Element, R: Element>(
    da: &[C],
    la: &Layout,
    db: &[C],
    lb: &Layout,
    shape: &[usize],
    grain: usize,
    f: &(impl Fn(C, C) -> R + Sync),
) -> Result<Vec<R>> {
    let n: usize = shape.iter().product();
    if n == 0 {
        return Ok(Vec::new());
    }
    let full = |l: &Layout| l.is_contiguous() && l.shape == shape;
    if full(la) && full(lb) {
        let (xa, xb) = (&da[la.offset..la.offset + n], &db[lb.offset..lb.offset + n]);
        return kernel::zip(xa, xb, grain, f);
    }
    if full(la) && lb.numel() == 1 {
        let y = db[lb.offset];
        return kernel::map(&da[la.offset..la.offset + n], grain, |x| f(x, y));
    }
    if full(lb) && la.numel() == 1 {
        let x = da[la.offset];
        return kernel::map(&db[lb.offset..lb.offset + n], grain, |y| f(x, y));
    }
    let (ba, bb) = (la.broadcast_to(shape), lb.broadcast_to(shape));
    interrupt::check()?;
    Ok(super::strided::zip_map(
        (da, &ba.strides, ba.offset),
        (db, &bb.strides, bb.offset),
        shape,
        f,
    ))
}

/// Runs `kernel` over the elements of `t` read as `C`, in row-major order:
/// borrowed when contiguous in that dtype, else gathered or converted first.
fn with_elements<C: Element, R>(
    t: &Tensor,
    kernel: impl FnOnce(&[C]) -> Result<Vec<R>>,
) -> Result<Vec<R>> {
    if t.numel() == 0 {
        return Ok(Vec::new());
    }
    if t.dtype() != C::DTYPE {
        return kernel(&t.to_vec::<C>()?);
    }
    t.read(|s, l| {
        let data = C::slice(s);
        if l.is_contiguous() {
            kernel(&data[l.offset..l.offset + l.numel()])
        } else {
            interrupt::check()?;
            kernel(&super::storage::gather(data, l))
        }
    })?
}

/// Applies `f` to every element of `t` read as `C`.
fn map<C: Element, R: Element>(
    t: &Tensor,
    grain: usize,
    f: impl Fn(C) -> R + Sync,
) -> Result<Vec<R>> {
    with_elements(t, |xs| kernel::map(xs, grain, f))
}

/// Python's floor division; `None` for a zero divisor.
fn floor_div_i(a: i64, b: i64) -> Option<i64> {
    if b == 0 {
        return None;
    }
    let q = a.wrapping_div(b);
    // `a % b` overflows (panics) for i64::MIN % -1.
    Some(if (a.wrapping_rem(b) != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    })
}

/// Python's remainder; `None` for a zero divisor.
fn rem_i(a: i64, b: i64) -> Option<i64> {
    if b == 0 {
        return None;
    }
    let r = a.wrapping_rem(b);
    Some(if r != 0 && ((r < 0) != (b < 0)) {
        r + b
    } else {
        r
    })
}

fn floor_div_f<F: FloatOps + PartialOrd>(a: F, b: F) -> F {
    // PyTorch's div_floor for floats: floor of the true quotient, with the
    // remainder-based correction Python uses.
    if b == F::zero() {
        return a / b;
    }
    let m = rem_f(a, b);
    let div = (a - m) / b;
    let fl = div.floor();
    if div - fl > F::cast(0.5) {
        fl + F::one()
    } else {
        fl
    }
}

fn rem_f<F: FloatOps + PartialOrd>(a: F, b: F) -> F {
    // fmod, then Python's rule: the result takes the divisor's sign.
    let m = a - (a / b).trunc() * b;
    if m != F::zero() && ((m < F::zero()) != (b < F::zero())) {
        m + b
    } else {
        m
    }
}

/// PyTorch's `sub_check`, made before the operands are broadcast.
fn sub_check(a: DType, b: DType) -> Result<()> {
    match (a, b) {
        (DType::Bool, DType::Bool) => not_implemented("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead."),
        (DType::Bool, _) | (_, DType::Bool) => not_implemented("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."),
        _ => Ok(()),
    }
}

/// PyTorch's integer `powi`: a negative exponent gives 0, except for bases
/// 1 and -1 (only a Python-number exponent is refused, see `binary`).
fn int_pow(base: i64, exp: i64) -> i64 {
    if exp < 0 {
        return match base {
            1 => 1,
            -1 if exp % 2 != 0 => -1,
            -1 => 1,
            _ => 0,
        };
    }
    let mut result: i64 = 1;
    let mut b = base;
    let mut e = exp;
    while e > 0 {
        if e & 1 == 1 {
            result = result.wrapping_mul(b);
        }
        b = b.wrapping_mul(b);
        e >>= 1;
    }
    result
}

fn float_pow<F: super::vecmath::VecMath + PartialEq>(a: F, b: F) -> F {
    // Exact small integer exponents, as PyTorch's pow kernel special-cases them.
    if b == F::cast(2.0) {
        a * a
    } else if b == F::cast(0.5) {
        // PyTorch's pow kernel calls its sqrt kernel (MKL's) for exponent 0.5.
        a.vsqrt()
    } else if b == F::one() {
        a
    } else {
        a.powf(b)
    }
}

impl Tensor {
    /// An elementwise binary op with broadcasting and type promotion.
    pub fn binary(&self, op: BinaryOp, other: &Tensor) -> Result<Tensor> {
        if op == BinaryOp::Sub {
            sub_check(self.dtype(), other.dtype())?;
        }
        let shape = broadcast_shapes(self.shape(), other.shape())?;
        let common = result_type(&[self, other]);
        super::check_alloc(super::layout::numel_of(&shape), common)?;
        use BinaryOp::*;
        let compute = match op {
            Div if common.kind() != Kind::Float => DType::default_of(Kind::Float),
            LogicalAnd | LogicalOr => common,
            _ => common,
        };
        match op {
            BitAnd | BitOr | BitXor if common.is_float() => {
                let name = match op {
                    BitAnd => "bitwise_and_cpu",
                    BitOr => "bitwise_or_cpu",
                    _ => "bitwise_xor_cpu",
                };
                return not_implemented(format!(
                    "\"{name}\" not implemented for '{}'",
                    dtype_title(common)
                ));
            }
            // A Python-number exponent below zero on integers (a tensor exponent is fine).
            Pow if !common.is_float()
                && other.is_wrapped_number()
                && other.item()?.to_f64() < 0.0 =>
            {
                return runtime("Integers to negative integer powers are not allowed.");
            }
            _ => {}
        }
        let device = super::op_device(&[self, other])?;
        // A half tensor with a CPU scalar computes in float32 with the scalar
        // unrounded (PyTorch's opmath, on both devices); the kernels take
        // operands of one dtype, so those ops run here and are uploaded.
        let cpu_scalar =
            |t: &Tensor| t.is_wrapped_number() || (t.dim() == 0 && !t.device().is_cuda());
        let opmath = common.is_reduced_float() && (cpu_scalar(self) || cpu_scalar(other));
        let data: super::Storage = match op {
            _ if device.is_cuda() && !opmath => {
                super::on_cuda::binary(op, self, other, common, device)?
            }
            Eq | Ne | Lt | Le | Gt | Ge => {
                crate::with_dtype!(compute, C => bool::wrap(compare::<C>(op, self, other, &shape)?))
                    .into()
            }
            LogicalAnd | LogicalOr => {
                let v = if op == LogicalAnd {
                    zip_map(self, other, &shape, CHEAP, |x: bool, y: bool| x && y)?
                } else {
                    zip_map(self, other, &shape, CHEAP, |x: bool, y: bool| x || y)?
                };
                bool::wrap(v).into()
            }
            _ => arith(op, compute, self, other, &shape)?.into(),
        };
        let (a, b) = (self.clone(), other.clone());
        let node = match op {
            Add => Op::Add,
            Sub => Op::Sub,
            Mul => Op::Mul,
            Div => Op::Div,
            Rem => Op::Remainder,
            FloorDiv => Op::FloorDivide,
            Pow => Op::Pow,
            Maximum => Op::Maximum,
            Minimum => Op::Minimum,
            // Comparisons, logical and bitwise results never require grad.
            _ => return Tensor::placed(data, &shape, &[self, other]),
        };
        Tensor::from_op(data, &shape, &[self, other], || node(a, b))
    }

    pub fn binary_scalar(&self, op: BinaryOp, s: Scalar) -> Result<Tensor> {
        self.binary(op, &Tensor::wrapped_scalar(s))
    }

    pub fn add(&self, o: &Tensor) -> Result<Tensor> {
        self.binary(BinaryOp::Add, o)
    }
    pub fn sub(&self, o: &Tensor) -> Result<Tensor> {
        self.binary(BinaryOp::Sub, o)
    }
    pub fn mul(&self, o: &Tensor) -> Result<Tensor> {
        self.binary(BinaryOp::Mul, o)
    }
    pub fn div(&self, o: &Tensor) -> Result<Tensor> {
        self.binary(BinaryOp::Div, o)
    }
    pub fn pow(&self, o: &Tensor) -> Result<Tensor> {
        self.binary(BinaryOp::Pow, o)
    }
    pub fn add_s(&self, s: f64) -> Result<Tensor> {
        self.binary_scalar(BinaryOp::Add, Scalar::Float(s))
    }
    pub fn mul_s(&self, s: f64) -> Result<Tensor> {
        self.binary_scalar(BinaryOp::Mul, Scalar::Float(s))
    }
    pub fn div_s(&self, s: f64) -> Result<Tensor> {
        self.binary_scalar(BinaryOp::Div, Scalar::Float(s))
    }
    /// `div(Tensor, Scalar)` as composite ops call it (grad_fn DivBackward1;
    /// Python's `t / 2` is DivBackward0).
    pub(crate) fn div_scalar(&self, s: f64) -> Result<Tensor> {
        let out = super::no_grad(|| self.div_s(s))?;
        let a = self.clone();
        Tensor::from_op(out.contiguous_storage()?, out.shape(), &[self], || {
            Op::DivScalar(a, s)
        })
    }
    pub fn pow_s(&self, s: f64) -> Result<Tensor> {
        self.binary_scalar(BinaryOp::Pow, Scalar::Float(s))
    }
    pub fn rsub_s(&self, s: f64) -> Result<Tensor> {
        Tensor::wrapped_scalar(Scalar::Float(s)).binary(BinaryOp::Sub, self)
    }

    /// An elementwise unary op. Float functions turn integer input into float32.
    pub fn unary(&self, op: UnaryOp) -> Result<Tensor> {
        let dtype = self.dtype();
        if op == UnaryOp::Frac && !dtype.is_float() {
            return not_implemented(format!(
                "\"frac_cpu\" not implemented for '{}'",
                dtype.title()
            ));
        }
        let data: super::Storage = if self.device().is_cuda() && dtype != DType::Bool {
            super::on_cuda::unary(op, self)?
        } else if op.needs_float() && !dtype.is_float() {
            unary_float::<f32>(op, self)?.into()
        } else {
            match dtype {
                DType::F32 => unary_float::<f32>(op, self)?,
                DType::F64 => unary_float::<f64>(op, self)?,
                DType::I64 => i64::wrap(unary_int(op, self)?),
                d @ (DType::F16 | DType::BF16) => unary_float::<f32>(op, self)?.to_dtype(d),
                d @ (DType::U8 | DType::I8 | DType::I16 | DType::I32) => {
                    i64::wrap(unary_int(op, self)?).to_dtype(d)
                }
                DType::Bool => match op {
                    UnaryOp::Sign => bool::wrap(map::<bool, bool>(self, CHEAP, |x| x)?),
                    UnaryOp::Abs => return not_implemented("\"abs_cpu\" not implemented for 'Bool'"),
                    UnaryOp::Relu => return not_implemented("Boolean inputs not supported for relu"),
                    UnaryOp::Round => return not_implemented("\"round_vml_cpu\" not implemented for 'Bool'"),
                    UnaryOp::Floor | UnaryOp::Ceil | UnaryOp::Trunc => {
                        return not_implemented(format!("\"{}_vml_cpu\" not implemented for 'Bool'", op.kernel_name()))
                    }
                    _ => return not_implemented("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."),
                },
            }
            .into()
        };
        let a = self.clone();
        Tensor::from_op_saving_result(data, self.shape(), &[self], |y| {
            Op::Unary(op, a, op.saves_result().then_some(y))
        })
    }

    pub fn neg(&self) -> Result<Tensor> {
        self.unary(UnaryOp::Neg)
    }
    pub fn exp(&self) -> Result<Tensor> {
        self.unary(UnaryOp::Exp)
    }
    pub fn log(&self) -> Result<Tensor> {
        self.unary(UnaryOp::Log)
    }
    pub fn sqrt(&self) -> Result<Tensor> {
        self.unary(UnaryOp::Sqrt)
    }
    pub fn abs(&self) -> Result<Tensor> {
        self.unary(UnaryOp::Abs)
    }
    pub fn tanh(&self) -> Result<Tensor> {
        self.unary(UnaryOp::Tanh)
    }
    pub fn sigmoid(&self) -> Result<Tensor> {
        self.unary(UnaryOp::Sigmoid)
    }
    pub fn relu(&self) -> Result<Tensor> {
        self.unary(UnaryOp::Relu)
    }
    pub fn sign(&self) -> Result<Tensor> {
        self.unary(UnaryOp::Sign)
    }

    /// `logical_not` / `~` on bool.
    pub fn logical_not(&self) -> Result<Tensor> {
        let data = bool::wrap(map::<bool, bool>(self, CHEAP, |x| !x)?);
        Tensor::placed(data, self.shape(), &[self])
    }

    /// `isnan` / `isinf` / `isfinite`: `test` on each element as a float.
    pub fn test_floats(&self, test: fn(f64) -> bool) -> Result<Tensor> {
        let data = bool::wrap(map::<f64, bool>(self, CHEAP, test)?);
        Tensor::placed(data, self.shape(), &[self])
    }

    /// `~t`: logical not on bool, bitwise not on ints.
    pub fn bitwise_not(&self) -> Result<Tensor> {
        match self.dtype() {
            DType::Bool => self.logical_not(),
            d if d.is_int() => Tensor::placed(
                i64::wrap(map::<i64, i64>(self, CHEAP, |x| !x)?).to_dtype(d),
                self.shape(),
                &[self],
            ),
            _ => Err(super::TensorError::Type(
                "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
                    .into(),
            )),
        }
    }

    /// `clamp(min, max)`; either bound may be absent.
    pub fn clamp(&self, min: Option<f64>, max: Option<f64>) -> Result<Tensor> {
        if min.is_none() && max.is_none() {
            return runtime("torch.clamp: At least one of 'min' or 'max' must not be None");
        }
        let data = crate::with_dtype!(self.dtype(), T => {
            if T::DTYPE == DType::Bool {
                return runtime("\"clamp_cpu\" not implemented for 'Bool'");
            }
            T::wrap(map::<T, T>(self, CHEAP, |x| {
                let v = x.to_f64();
                if v.is_nan() {
                    return x;
                }
                let mut r = x;
                if let Some(lo) = min {
                    if v < lo { r = T::from_f64(lo); }
                }
                if let Some(hi) = max {
                    if r.to_f64() > hi { r = T::from_f64(hi); }
                }
                r
            })?)
        });
        let a = self.clone();
        Tensor::from_op(data, self.shape(), &[self], || Op::Clamp(a, min, max))
    }

    /// `torch.where(cond, a, b)`.
    pub fn where_(cond: &Tensor, a: &Tensor, b: &Tensor) -> Result<Tensor> {
        if cond.dtype() != DType::Bool {
            return runtime(format!(
                "where expected condition to be a boolean tensor, but got a tensor with dtype {}",
                dtype_title(cond.dtype())
            ));
        }
        let shape = broadcast_shapes(&broadcast_shapes(cond.shape(), a.shape())?, b.shape())?;
        let dtype = result_type(&[a, b]);
        let device = super::op_device(&[cond, a, b])?;
        if device.is_cuda() {
            let data = super::on_cuda::where_(cond, a, b, dtype, device)?;
            let (cc, aa, bb) = (cond.clone(), a.clone(), b.clone());
            return Tensor::from_op(data, &shape, &[cond, a, b], || Op::Where(cc, aa, bb));
        }
        let c = cond.expand_to(&shape)?.to_vec::<bool>()?;
        let data = crate::with_dtype!(dtype, T => {
            let va = a.to_dtype_plain(dtype)?.expand_to(&shape)?.to_vec::<T>()?;
            let vb = b.to_dtype_plain(dtype)?.expand_to(&shape)?.to_vec::<T>()?;
            T::wrap(c.iter().zip(va).zip(vb).map(|((&c, x), y)| if c { x } else { y }).collect())
        });
        let (cc, aa, bb) = (cond.clone(), a.clone(), b.clone());
        Tensor::from_op(data, &shape, &[cond, a, b], || Op::Where(cc, aa, bb))
    }

    /// `.to(dtype)` / `.float()` etc.: a copy in another dtype (self if equal).
    pub fn to_dtype(&self, dtype: DType) -> Result<Tensor> {
        if dtype == self.dtype() {
            return Ok(self.clone());
        }
        if self.requires_grad() && !dtype.is_float() {
            // PyTorch allows it; the result simply does not require grad.
            return self.detach().to_dtype(dtype);
        }
        let data = self.cast_storage(dtype)?;
        let a = self.clone();
        Tensor::from_op(data, self.shape(), &[self], || Op::ToDtype(a))
    }

    /// A dtype conversion that never records a graph node.
    pub(crate) fn to_dtype_plain(&self, dtype: DType) -> Result<Tensor> {
        if dtype == self.dtype() {
            return Ok(self.clone());
        }
        Tensor::placed(self.cast_storage(dtype)?, self.shape(), &[self])
    }

    fn cast_storage(&self, dtype: DType) -> Result<super::Storage> {
        self.read_storage(|s, l| match s {
            super::Storage::Cuda(c) => Ok(cuda::cast(c, l, dtype)?.into()),
            super::Storage::Cpu(_) => {
                Ok(crate::with_dtype!(dtype, T => T::wrap(self.to_vec::<T>()?)).into())
            }
        })
    }

    /// Elementwise equality of shape and values (`torch.equal`).
    pub fn equal(&self, other: &Tensor) -> Result<bool> {
        if self.shape() != other.shape() {
            return Ok(false);
        }
        let eq = self.binary(BinaryOp::Eq, other)?;
        Ok(eq.to_vec::<bool>()?.iter().all(|&b| b))
    }

    /// `torch.isclose(a, b, rtol, atol, equal_nan)`.
    pub fn isclose(&self, other: &Tensor, rtol: f64, atol: f64, equal_nan: bool) -> Result<Tensor> {
        if self.dtype() != other.dtype() {
            return runtime(format!(
                "{} did not match {}",
                dtype_title(self.dtype()),
                dtype_title(other.dtype())
            ));
        }
        let shape = broadcast_shapes(self.shape(), other.shape())?;
        let data = zip_map::<f64, bool>(self, other, &shape, CHEAP, |x, y| {
            if x == y {
                return true;
            }
            if x.is_nan() || y.is_nan() {
                return equal_nan && x.is_nan() && y.is_nan();
            }
            if x.is_infinite() || y.is_infinite() {
                return false;
            }
            (x - y).abs() <= atol + rtol * y.abs()
        })?;
        Tensor::placed(bool::wrap(data), &shape, &[self, other])
    }
}

/// PyTorch's capitalised scalar type name used in some messages (`Float`, `Long`).
pub fn dtype_title(d: DType) -> &'static str {
    d.title()
}

/// A comparison, one loop per operator.
fn compare<C: Element>(op: BinaryOp, a: &Tensor, b: &Tensor, shape: &[usize]) -> Result<Vec<bool>> {
    match op {
        BinaryOp::Eq => zip_map(a, b, shape, CHEAP, |x: C, y: C| x == y),
        BinaryOp::Ne => zip_map(a, b, shape, CHEAP, |x: C, y: C| x != y),
        BinaryOp::Lt => zip_map(a, b, shape, CHEAP, |x: C, y: C| x < y),
        BinaryOp::Le => zip_map(a, b, shape, CHEAP, |x: C, y: C| x <= y),
        BinaryOp::Gt => zip_map(a, b, shape, CHEAP, |x: C, y: C| x > y),
        _ => zip_map(a, b, shape, CHEAP, |x: C, y: C| x >= y),
    }
}

fn arith(
    op: BinaryOp,
    dtype: DType,
    a: &Tensor,
    b: &Tensor,
    shape: &[usize],
) -> Result<super::CpuStorage> {
    use BinaryOp::*;
    Ok(match dtype {
        DType::F32 => f32::wrap(float_arith::<f32>(op, a, b, shape)?),
        DType::F64 => f64::wrap(float_arith::<f64>(op, a, b, shape)?),
        DType::I64 => i64::wrap(int_arith(op, a, b, shape)?),
        d @ (DType::U8 | DType::I8 | DType::I16 | DType::I32) => {
            arith(op, DType::I64, a, b, shape)?.to_dtype(d)
        }
        d @ (DType::F16 | DType::BF16) => {
            // PyTorch's reduced-float kernels round the operands to `d` but
            // for a product or quotient by a scalar, whose value they keep in
            // float32 (`original_scalar_value`), then compute in float32.
            let a = a.to_dtype_plain(d)?;
            let b = if matches!(op, Mul | Div) && b.numel() == 1 {
                b.clone()
            } else {
                b.to_dtype_plain(d)?
            };
            f32::wrap(float_arith::<f32>(op, &a, &b, shape)?).to_dtype(d)
        }
        DType::Bool => {
            let zip = |f: fn(bool, bool) -> bool| zip_map(a, b, shape, CHEAP, f);
            bool::wrap(match op {
                Add | BitOr | Maximum => zip(|x, y| x || y)?,
                Mul | BitAnd | Minimum => zip(|x, y| x && y)?,
                BitXor => zip(|x, y| x != y)?,
                // Other arithmetic on two bools computes in int64.
                _ => return arith(op, DType::I64, a, b, shape),
            })
        }
    })
}

fn int_arith(op: BinaryOp, a: &Tensor, b: &Tensor, shape: &[usize]) -> Result<Vec<i64>> {
    use BinaryOp::*;
    let zero_divisor = AtomicBool::new(false);
    let checked = |r: Option<i64>| {
        r.unwrap_or_else(|| {
            zero_divisor.store(true, Relaxed);
            0
        })
    };
    let v = match op {
        Add => zip_map(a, b, shape, CHEAP, i64::wrapping_add)?,
        Sub => zip_map(a, b, shape, CHEAP, i64::wrapping_sub)?,
        Mul => zip_map(a, b, shape, CHEAP, i64::wrapping_mul)?,
        FloorDiv => zip_map(a, b, shape, CHEAP, |x, y| checked(floor_div_i(x, y)))?,
        Rem => zip_map(a, b, shape, CHEAP, |x, y| checked(rem_i(x, y)))?,
        Pow => zip_map(a, b, shape, COSTLY, int_pow)?,
        Maximum => zip_map(a, b, shape, CHEAP, i64::max)?,
        Minimum => zip_map(a, b, shape, CHEAP, i64::min)?,
        BitAnd => zip_map(a, b, shape, CHEAP, |x: i64, y: i64| x & y)?,
        BitOr => zip_map(a, b, shape, CHEAP, |x: i64, y: i64| x | y)?,
        _ => zip_map(a, b, shape, CHEAP, |x: i64, y: i64| x ^ y)?,
    };
    if zero_divisor.load(Relaxed) {
        return runtime("ZeroDivisionError");
    }
    Ok(v)
}

fn float_arith<F: super::element::Float>(
    op: BinaryOp,
    a: &Tensor,
    b: &Tensor,
    shape: &[usize],
) -> Result<Vec<F>> {
    use BinaryOp::*;
    match op {
        Add => zip_map(a, b, shape, CHEAP, |x: F, y: F| x + y),
        Sub => zip_map(a, b, shape, CHEAP, |x: F, y: F| x - y),
        Mul => zip_map(a, b, shape, CHEAP, |x: F, y: F| x * y),
        Div => zip_map(a, b, shape, CHEAP, |x: F, y: F| x / y),
        FloorDiv => zip_map(a, b, shape, COSTLY, floor_div_f::<F>),
        Rem => zip_map(a, b, shape, COSTLY, |x: F, y: F| {
            if y == F::zero() {
                x / y * F::zero() + F::cast(f64::NAN)
            } else {
                rem_f(x, y)
            }
        }),
        Pow => zip_map(a, b, shape, COSTLY, float_pow::<F>),
        Maximum => zip_map(a, b, shape, CHEAP, F::max_f),
        Minimum => zip_map(a, b, shape, CHEAP, F::min_f),
        _ => zip_map(a, b, shape, CHEAP, |x: F, _: F| x),
    }
}

fn unary_float<F: super::element::Float>(op: UnaryOp, t: &Tensor) -> Result<super::CpuStorage> {
    use UnaryOp::*;
    let v = match op {
        Neg => map(t, CHEAP, |x: F| -x)?,
        Abs => map(t, CHEAP, F::abs)?,
        Exp => map(t, COSTLY, F::exp)?,
        Log => map(t, COSTLY, F::ln)?,
        Log1p => map(t, COSTLY, F::vlog1p)?,
        Sqrt => map(t, COSTLY, F::vsqrt)?,
        Sin => map(t, COSTLY, F::sin)?,
        Cos => map(t, COSTLY, F::cos)?,
        Tanh => map(t, COSTLY, F::vtanh)?,
        Sigmoid => sigmoid::<F>(t)?,
        Relu => map(t, CHEAP, |x: F| {
            if x.is_nan() || x > F::zero() {
                x
            } else {
                F::zero()
            }
        })?,
        Sign => map(t, CHEAP, |x: F| {
            if x > F::zero() {
                F::one()
            } else if x < F::zero() {
                -F::one()
            } else {
                x * F::zero()
            }
        })?,
        Round => map(t, CHEAP, F::round_ties_even)?,
        Floor => map(t, CHEAP, F::floor)?,
        Ceil => map(t, CHEAP, F::ceil)?,
        Trunc => map(t, CHEAP, F::trunc)?,
        Frac => map(t, CHEAP, |x: F| x - x.trunc())?,
        Log10 => map(t, COSTLY, F::log10)?,
        Log2 => map(t, COSTLY, F::log2)?,
        Exp2 => map(t, COSTLY, F::exp2)?,
    };
    Ok(F::wrap(v))
}

/// `sigmoid_kernel` (ATen/native/cpu/UnaryOpsKernel.cpp) is a `cpu_kernel_vec`:
/// over a contiguous tensor its vector lambda, 1 / (1 + exp(-x)) with SLEEF's
/// exp, covers the leading whole vector pairs and the scalar one, with
/// std::exp, the rest; a strided tensor takes the scalar one throughout.
fn sigmoid<F: super::element::Float>(t: &Tensor) -> Result<Vec<F>> {
    let scalar = |x: F| F::one() / (F::one() + (-x).exp());
    if t.dtype() == F::DTYPE && !t.layout().is_contiguous() {
        return map(t, COSTLY, scalar);
    }
    with_elements(t, |xs: &[F]| {
        let (head, tail) = xs.split_at(vectorized_len::<F>(xs.len()));
        let mut out = Vec::with_capacity(xs.len());
        kernel::map_into(&mut out, head, COSTLY, |x| {
            F::one() / (F::one() + (-x).vexp())
        })?;
        kernel::map_into(&mut out, tail, COSTLY, scalar)?;
        Ok(out)
    })
}

fn unary_int(op: UnaryOp, t: &Tensor) -> Result<Vec<i64>> {
    use UnaryOp::*;
    match op {
        Neg => map(t, CHEAP, i64::wrapping_neg),
        Abs => map(t, CHEAP, i64::wrapping_abs),
        Relu => map(t, CHEAP, |x: i64| x.max(0)),
        Sign => map(t, CHEAP, i64::signum),
        _ => map(t, CHEAP, |x: i64| x),
    }
}

impl Tensor {
    /// `copy_(src)`: writes `src` (broadcast, converted) into this tensor's elements.
    pub fn copy_(&self, src: &Tensor) -> Result<()> {
        copy_into(self, src)
    }

    /// Overwrites the elements, in row-major order, with `values`.
    pub fn assign_values<T: Element>(&self, values: &[T]) -> Result<()> {
        let src = Tensor::from_vec(values.to_vec(), self.shape())?;
        copy_into(self, &src)
    }
}

impl Tensor {
    /// ReLU's backward (`threshold_backward`): `g` where the input was above
    /// zero, else zero, in one pass (`where(relu(a) > 0, g, 0)` element for element).
    pub(crate) fn relu_backward(&self, g: &Tensor) -> Result<Tensor> {
        let shape = broadcast_shapes(self.shape(), g.shape())?;
        if super::op_device(&[self, g])?.is_cuda() || !g.dtype().is_float() {
            let pos = self.relu()?.binary_scalar(BinaryOp::Gt, Scalar::Int(0))?;
            let zero = Tensor::scalar_tensor(Scalar::Float(0.0), g.dtype())?;
            return Tensor::where_(&pos, g, &zero);
        }
        let data = crate::with_float!(g.dtype(), F => {
            F::wrap(zip_map::<F, F>(self, g, &shape, CHEAP, |a, g| if a > F::zero() { g } else { F::zero() })?)
        }, unreachable!("a float gradient"));
        Tensor::placed(data, &shape, &[self, g])
    }

    /// `tanh_backward(g, t)` from tanh's result `t`: `g * (1 - t * t)` with
    /// `1 - t * t` one fused multiply-add, as ATen's CPU kernel is compiled (scalar
    /// and vector paths alike); float16/bfloat16 compute in float32, as there.
    /// Computed in host memory on every device, so CUDA's bits are the CPU's.
    pub(crate) fn tanh_backward(&self, g: &Tensor) -> Result<Tensor> {
        if self.dtype().is_reduced_float() {
            let g = g.to_dtype(DType::F32)?;
            return self.through_f32(|t| t.tanh_backward(&g));
        }
        let shape = broadcast_shapes(self.shape(), g.shape())?;
        let data = crate::with_float!(self.dtype(), F => {
            F::wrap(zip_map::<F, F>(
                self,
                g,
                &shape,
                CHEAP,
                #[inline(always)]
                |t, g| g * (-t).mul_add(t, F::one()),
            )?)
        }, unreachable!("tanh of a float"));
        Tensor::placed(data, &shape, &[self, g])
    }

    /// Runs `f` over this tensor's elements (as a row-major slice, written back
    /// in place) and `other`'s (same count, read as `T`): the fused loops of
    /// the optimizers. This tensor's dtype must be `T`.
    pub fn update_with<T: Element>(
        &self,
        other: &Tensor,
        f: impl FnOnce(&mut [T], &[T]),
    ) -> Result<()> {
        if self.dtype() != T::DTYPE || other.numel() != self.numel() {
            return runtime("update_with: operands do not match");
        }
        let borrowed = other.dtype() == T::DTYPE
            && other.layout().is_contiguous()
            && !other.shares_storage(self);
        let owned = if borrowed {
            Vec::new()
        } else {
            other.to_vec::<T>()?
        };
        let apply = |g: &[T]| {
            self.write(|s, l| {
                let data = T::slice_mut(s);
                let n = l.numel();
                if n == 0 {
                    return;
                }
                if l.is_contiguous() {
                    f(&mut data[l.offset..l.offset + n], g);
                } else {
                    let mut values = super::storage::gather(data, l);
                    f(&mut values, g);
                    super::strided::scatter_into(data, &l.shape, &l.strides, l.offset, &values);
                }
            })
        };
        if borrowed {
            other.read(|s, l| apply(&T::slice(s)[l.offset..l.offset + l.numel()]))?
        } else {
            apply(&owned)
        }
    }
}

/// Copies `src` (broadcast to `dst`'s shape, converted to its dtype) into the
/// elements `dst` addresses, in place.
fn copy_into(dst: &Tensor, src: &Tensor) -> Result<()> {
    if dst
        .layout()
        .shape
        .iter()
        .zip(&dst.layout().strides)
        .any(|(&n, &s)| n > 1 && s == 0)
    {
        return runtime("unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.");
    }
    let src = src.expand_to(dst.shape()).map_err(|_| {
        super::TensorError::Runtime(format!(
            "output with shape {} doesn't match the broadcast shape {}",
            super::layout::shape_list(dst.shape()),
            super::layout::shape_list(
                &broadcast_shapes(dst.shape(), src.shape()).unwrap_or_default()
            )
        ))
    })?;
    crate::with_dtype!(dst.dtype(), T => {
        let values = src.to_vec::<T>()?;
        dst.write(|s, l| {
            let data = T::slice_mut(s);
            if values.is_empty() {
                // Nothing to write (and an empty view may point past the end).
            } else if l.is_contiguous() {
                data[l.offset..l.offset + values.len()].copy_from_slice(&values);
            } else {
                super::strided::scatter_into(data, &l.shape, &l.strides, l.offset, &values);
            }
        })?;
    });
    Ok(())
}

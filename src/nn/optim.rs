//! `torch.optim`: SGD and Adam with PyTorch's exact update order (so float32
//! results round the same way).

use crate::tensor::{no_grad, CpuStorage, DType, Element, Result, Tensor, TensorError};

#[derive(Clone, Debug)]
pub struct SgdOptions {
    pub lr: f64,
    pub momentum: f64,
    pub dampening: f64,
    pub weight_decay: f64,
    pub nesterov: bool,
}

#[derive(Clone, Debug)]
pub struct AdamOptions {
    pub lr: f64,
    pub betas: (f64, f64),
    pub eps: f64,
    pub weight_decay: f64,
}

impl Default for AdamOptions {
    fn default() -> Self {
        AdamOptions {
            lr: 0.001,
            betas: (0.9, 0.999),
            eps: 1e-8,
            weight_decay: 0.0,
        }
    }
}

/// One parameter's Adam state: its own step count (PyTorch counts steps per
/// parameter, only when it has a grad) and the two moment buffers, in the
/// parameter's dtype.
#[derive(Clone, Debug)]
struct AdamState {
    step: u64,
    exp_avg: CpuStorage,
    exp_avg_sq: CpuStorage,
}

#[derive(Clone, Debug)]
enum Kind {
    Sgd(SgdOptions, Vec<Option<CpuStorage>>),
    Adam(AdamOptions, Vec<Option<AdamState>>),
}

/// An optimizer over a list of parameters.
#[derive(Clone, Debug)]
pub struct Optimizer {
    params: Vec<Tensor>,
    kind: Kind,
}

fn check_params(params: &[Tensor]) -> Result<()> {
    if params.is_empty() {
        return Err(TensorError::Value(
            "optimizer got an empty parameter list".into(),
        ));
    }
    for p in params {
        if !p.is_leaf() {
            return Err(TensorError::Value(
                "can't optimize a non-leaf Tensor".into(),
            ));
        }
    }
    Ok(())
}

impl Optimizer {
    pub fn sgd(params: Vec<Tensor>, o: SgdOptions) -> Result<Optimizer> {
        check_params(&params)?;
        if o.lr < 0.0 {
            return Err(TensorError::Value(format!(
                "Invalid learning rate: {}",
                o.lr
            )));
        }
        if o.momentum < 0.0 {
            return Err(TensorError::Value(format!(
                "Invalid momentum value: {}",
                o.momentum
            )));
        }
        if o.nesterov && (o.momentum <= 0.0 || o.dampening != 0.0) {
            return Err(TensorError::Value(
                "Nesterov momentum requires a momentum and zero dampening".into(),
            ));
        }
        let n = params.len();
        Ok(Optimizer {
            params,
            kind: Kind::Sgd(o, vec![None; n]),
        })
    }

    pub fn adam(params: Vec<Tensor>, o: AdamOptions) -> Result<Optimizer> {
        check_params(&params)?;
        if o.lr < 0.0 {
            return Err(TensorError::Value(format!(
                "Invalid learning rate: {}",
                o.lr
            )));
        }
        let n = params.len();
        Ok(Optimizer {
            params,
            kind: Kind::Adam(o, vec![None; n]),
        })
    }

    pub fn name(&self) -> &'static str {
        match self.kind {
            Kind::Sgd(..) => "SGD",
            Kind::Adam(..) => "Adam",
        }
    }

    pub fn params(&self) -> &[Tensor] {
        &self.params
    }

    pub fn lr(&self) -> f64 {
        match &self.kind {
            Kind::Sgd(o, _) => o.lr,
            Kind::Adam(o, _) => o.lr,
        }
    }

    pub fn set_lr(&mut self, lr: f64) {
        match &mut self.kind {
            Kind::Sgd(o, _) => o.lr = lr,
            Kind::Adam(o, _) => o.lr = lr,
        }
    }

    /// `zero_grad()`: grads become None, PyTorch's default (`set_to_none=True`).
    pub fn zero_grad(&self) {
        for p in &self.params {
            p.set_grad(None);
        }
    }

    /// `step()`: one update of every parameter that has a grad.
    pub fn step(&mut self) -> Result<()> {
        no_grad(|| match &mut self.kind {
            Kind::Sgd(o, bufs) => {
                for (p, buf) in self.params.iter().zip(bufs.iter_mut()) {
                    if let Some(g) = p.grad() {
                        match p.dtype() {
                            DType::F64 => sgd_update::<f64>(p, &g, o, buf)?,
                            _ => sgd_update::<f32>(p, &g, o, buf)?,
                        }
                    }
                }
                Ok(())
            }
            Kind::Adam(o, states) => {
                for (p, state) in self.params.iter().zip(states.iter_mut()) {
                    if let Some(g) = p.grad() {
                        match p.dtype() {
                            DType::F64 => adam_update::<f64>(p, &g, o, state)?,
                            _ => adam_update::<f32>(p, &g, o, state)?,
                        }
                    }
                }
                Ok(())
            }
        })
    }
}

/// Element arithmetic in the parameter's own precision. PyTorch's CPU kernels
/// for `add(x, alpha=a)`, `lerp` and `addcmul` round like a fused multiply-add
/// (checked bit for bit against PyTorch 2.15 in tests/optim_goldens.rs), so the
/// updates use `mul_add` where PyTorch fuses.
trait Arith:
    Element
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
{
    fn c(v: f64) -> Self {
        Self::from_f64(v)
    }
    fn sqrt_(self) -> Self;
    /// `self * a + b` with one rounding.
    fn fma(self, a: Self, b: Self) -> Self;
}
impl Arith for f32 {
    /// `exp_avg_sq.sqrt()`: PyTorch's sqrt kernel, MKL's `vmsSqrt`.
    #[inline(always)]
    fn sqrt_(self) -> Self {
        crate::tensor::vml_sqrt::sqrt_f32(self)
    }
    #[inline(always)]
    fn fma(self, a: Self, b: Self) -> Self {
        self.mul_add(a, b)
    }
}
impl Arith for f64 {
    #[inline(always)]
    fn sqrt_(self) -> Self {
        crate::tensor::vml_sqrt::sqrt_f64(self)
    }
    #[inline(always)]
    fn fma(self, a: Self, b: Self) -> Self {
        self.mul_add(a, b)
    }
}

/// Runs `f` compiled with the CPU's FMA and AVX2 when it has them: `mul_add`
/// is then one instruction and the loop vectorizes (the same roundings).
#[inline(always)]
fn with_fma<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("fma") && std::arch::is_x86_feature_detected!("avx2") {
        #[target_feature(enable = "avx2,fma")]
        fn fast<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        // SAFETY: the CPU has both features, checked just above.
        return unsafe { fast(f) };
    }
    f()
}

/// A state buffer as `T` (converted if the parameter changed dtype since).
fn buffer<T: Element>(buf: &mut CpuStorage) -> &mut [T] {
    if buf.dtype() != T::DTYPE {
        let values: Vec<T> = crate::with_dtype!(buf.dtype(), S => {
            S::slice(buf).iter().map(|&x| T::from_f64(x.to_f64())).collect()
        });
        *buf = T::wrap(values);
    }
    T::slice_mut(buf)
}

/// PyTorch's `_single_tensor_sgd`, one fused pass over each element.
fn sgd_update<T: Arith>(
    p: &Tensor,
    g: &Tensor,
    o: &SgdOptions,
    buf: &mut Option<CpuStorage>,
) -> Result<()> {
    check_grad(p, g)?;
    let (wd, decay) = (T::c(o.weight_decay), o.weight_decay != 0.0);
    let neg_lr = T::c(-o.lr);
    // grad.add(param, alpha=weight_decay)
    let decayed = move |p: T, g: T| if decay { p.fma(wd, g) } else { g };
    if o.momentum == 0.0 {
        // param.add_(grad, alpha=-lr)
        return p.update_with::<T>(g, |pv, gv| {
            with_fma(|| {
                for (p, &g) in pv.iter_mut().zip(gv) {
                    *p = decayed(*p, g).fma(neg_lr, *p);
                }
            })
        });
    }
    let first = buf.is_none();
    let b = buffer::<T>(buf.get_or_insert_with(|| CpuStorage::zeros(T::DTYPE, p.numel())));
    let (mu, damp) = (T::c(o.momentum), T::c(1.0 - o.dampening));
    p.update_with::<T>(g, |pv, gv| {
        with_fma(|| {
            for ((p, &g), b) in pv.iter_mut().zip(gv).zip(b.iter_mut()) {
                let g = decayed(*p, g);
                // buf = grad on the first step, then buf.mul_(mu).add_(grad, alpha=1 - dampening)
                *b = if first { g } else { g.fma(damp, *b * mu) };
                // nesterov: grad.add(buf, alpha=momentum)
                let g = if o.nesterov { b.fma(mu, g) } else { *b };
                *p = g.fma(neg_lr, *p);
            }
        })
    })
}

fn check_grad(p: &Tensor, g: &Tensor) -> Result<()> {
    if g.numel() != p.numel() {
        return Err(TensorError::Runtime(
            "grad has a different shape than its parameter".into(),
        ));
    }
    Ok(())
}

/// PyTorch's `_single_tensor_adam` (no amsgrad), one fused pass over each element.
fn adam_update<T: Arith>(
    p: &Tensor,
    g: &Tensor,
    o: &AdamOptions,
    state: &mut Option<AdamState>,
) -> Result<()> {
    check_grad(p, g)?;
    let s = state.get_or_insert_with(|| AdamState {
        step: 0,
        exp_avg: CpuStorage::zeros(T::DTYPE, p.numel()),
        exp_avg_sq: CpuStorage::zeros(T::DTYPE, p.numel()),
    });
    s.step += 1;
    let step = s.step;
    let (b1, b2) = o.betas;
    let (wd, decay) = (T::c(o.weight_decay), o.weight_decay != 0.0);
    // exp_avg.lerp_(grad, 1 - beta1), as ATen's lerp: fused, from the nearer end.
    let w1 = T::c(1.0 - b1);
    let (w1m1, small) = (w1 - T::c(1.0), (1.0 - b1).abs() < 0.5);
    let (tb2, w2) = (T::c(b2), T::c(1.0 - b2));
    // Python floats: the step count is a float, `**` is C's pow.
    let bc1 = 1.0 - b1.powf(step as f64);
    let bc2 = 1.0 - b2.powf(step as f64);
    let step_size = o.lr / bc1;
    let bc2_sqrt = T::c(bc2.powf(0.5));
    let eps = T::c(o.eps);
    let neg_step = T::c(-step_size);
    let (m, v) = (buffer::<T>(&mut s.exp_avg), buffer::<T>(&mut s.exp_avg_sq));
    p.update_with::<T>(g, |pv, gv| {
        with_fma(|| {
            for (((p, &g), m), v) in pv.iter_mut().zip(gv).zip(m.iter_mut()).zip(v.iter_mut()) {
                let g = if decay { p.fma(wd, g) } else { g };
                *m = if small {
                    w1.fma(g - *m, *m)
                } else {
                    w1m1.fma(g - *m, g)
                };
                // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                *v = (w2 * g).fma(g, *v * tb2);
                // denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
                // param.addcdiv_(exp_avg, denom, value=-step_size)
                let denom = v.sqrt_() / bc2_sqrt + eps;
                *p = neg_step * *m / denom + *p;
            }
        })
    })
}

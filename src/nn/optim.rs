//! `torch.optim`: SGD and Adam with PyTorch's exact update order (so float32
//! results round the same way).

use crate::tensor::kernel::{self, CHEAP, COSTLY};
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

    /// New SGD hyperparameters, keeping the momentum buffers (PyTorch reads a param
    /// group's options at each step and checks them only at construction).
    pub fn set_sgd_options(&mut self, new: SgdOptions) {
        if let Kind::Sgd(o, _) = &mut self.kind {
            *o = new;
        }
    }

    /// New Adam hyperparameters, keeping the moment estimates.
    pub fn set_adam_options(&mut self, new: AdamOptions) {
        if let Kind::Adam(o, _) = &mut self.kind {
            *o = new;
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
pub(super) trait Arith:
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
    /// Steps the leading elements in vectors where the CPU has them, as
    /// [`AdamStep::apply`] would, and says how many.
    fn adam_vectors(
        _c: &AdamStep<Self>,
        _p: &mut [Self],
        _g: &[Self],
        _m: &mut [Self],
        _v: &mut [Self],
    ) -> usize {
        0
    }
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
    fn adam_vectors(
        c: &AdamStep<f32>,
        p: &mut [f32],
        g: &[f32],
        m: &mut [f32],
        v: &mut [f32],
    ) -> usize {
        super::adam_avx2::step(c, p, g, m, v)
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
            kernel::halves(
                (pv, gv),
                CHEAP,
                #[inline(always)]
                |(pv, gv)| {
                    for (p, &g) in pv.iter_mut().zip(gv) {
                        *p = decayed(*p, g).fma(neg_lr, *p);
                    }
                },
            )
        });
    }
    let first = buf.is_none();
    let b = buffer::<T>(buf.get_or_insert_with(|| CpuStorage::zeros(T::DTYPE, p.numel())));
    let (mu, damp, nesterov) = (T::c(o.momentum), T::c(1.0 - o.dampening), o.nesterov);
    p.update_with::<T>(g, |pv, gv| {
        kernel::halves(
            ((pv, gv), b),
            CHEAP,
            #[inline(always)]
            |((pv, gv), b)| {
                for ((p, &g), b) in pv.iter_mut().zip(gv).zip(b.iter_mut()) {
                    let g = decayed(*p, g);
                    // buf = grad on the first step, then buf.mul_(mu).add_(grad, alpha=1 - dampening)
                    *b = if first { g } else { g.fma(damp, *b * mu) };
                    // nesterov: grad.add(buf, alpha=momentum)
                    let g = if nesterov { b.fma(mu, g) } else { *b };
                    *p = g.fma(neg_lr, *p);
                }
            },
        )
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
    // Python floats: the step count is a float, `**` is C's pow.
    let bc1 = 1.0 - b1.powf(step as f64);
    let bc2 = 1.0 - b2.powf(step as f64);
    let w1 = T::c(1.0 - b1);
    let c = AdamStep {
        decay: (o.weight_decay != 0.0).then(|| T::c(o.weight_decay)),
        w1,
        w1m1: w1 - T::c(1.0),
        small: (1.0 - b1).abs() < 0.5,
        tb2: T::c(b2),
        w2: T::c(1.0 - b2),
        bc2_sqrt: T::c(bc2.powf(0.5)),
        eps: T::c(o.eps),
        neg_step: T::c(-(o.lr / bc1)),
    };
    let (m, v) = (buffer::<T>(&mut s.exp_avg), buffer::<T>(&mut s.exp_avg_sq));
    p.update_with::<T>(g, |pv, gv| {
        kernel::halves(
            ((pv, gv), (m, v)),
            COSTLY,
            #[inline(always)]
            |((pv, gv), (m, v))| {
                let done = T::adam_vectors(&c, pv, gv, m, v);
                let rest = pv[done..].iter_mut().zip(&gv[done..]);
                for ((p, &g), (m, v)) in rest.zip(m[done..].iter_mut().zip(&mut v[done..])) {
                    c.apply(p, g, m, v);
                }
            },
        )
    })
}

/// The constants of one Adam step, in the parameter's precision.
pub(super) struct AdamStep<T> {
    /// `weight_decay`, when not zero.
    pub decay: Option<T>,
    /// `1 - beta1`, `1 - beta1 - 1`, and whether lerp takes it from `exp_avg`'s end.
    pub w1: T,
    pub w1m1: T,
    pub small: bool,
    /// `beta2`, `1 - beta2`.
    pub tb2: T,
    pub w2: T,
    pub bc2_sqrt: T,
    pub eps: T,
    /// `-lr / bias_correction1`.
    pub neg_step: T,
}

impl<T: Arith> AdamStep<T> {
    /// PyTorch's `_single_tensor_adam` (no amsgrad) on one element.
    #[inline(always)]
    pub(super) fn apply(&self, p: &mut T, g: T, m: &mut T, v: &mut T) {
        // grad.add(param, alpha=weight_decay)
        let g = self.decay.map_or(g, |wd| p.fma(wd, g));
        // exp_avg.lerp_(grad, 1 - beta1), as ATen's lerp: fused, from the nearer end.
        *m = if self.small {
            self.w1.fma(g - *m, *m)
        } else {
            self.w1m1.fma(g - *m, g)
        };
        // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        *v = (self.w2 * g).fma(g, *v * self.tb2);
        // denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
        // param.addcdiv_(exp_avg, denom, value=-step_size)
        let denom = v.sqrt_() / self.bc2_sqrt + self.eps;
        *p = self.neg_step * *m / denom + *p;
    }
}

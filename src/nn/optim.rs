//! `torch.optim`: SGD and Adam with PyTorch's exact update order (so float32
//! results round the same way).

use crate::tensor::{no_grad, DType, Element, Result, Tensor, TensorError};

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
/// parameter, only when it has a grad) and the two moment buffers.
#[derive(Clone, Debug)]
struct AdamState {
    step: u64,
    exp_avg: Vec<f64>,
    exp_avg_sq: Vec<f64>,
}

#[derive(Clone, Debug)]
enum Kind {
    Sgd(SgdOptions, Vec<Option<Vec<f64>>>),
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
    fn sqrt_(self) -> Self {
        self.sqrt()
    }
    fn fma(self, a: Self, b: Self) -> Self {
        self.mul_add(a, b)
    }
}
impl Arith for f64 {
    fn sqrt_(self) -> Self {
        self.sqrt()
    }
    fn fma(self, a: Self, b: Self) -> Self {
        self.mul_add(a, b)
    }
}

fn store<T: Element>(values: &[T]) -> Vec<f64> {
    values.iter().map(|v| v.to_f64()).collect()
}

fn load<T: Element>(values: &[f64]) -> Vec<T> {
    values.iter().map(|&v| T::from_f64(v)).collect()
}

/// `grad.add(param, alpha=weight_decay)`.
fn with_weight_decay<T: Arith>(gv: Vec<T>, pv: &[T], weight_decay: f64) -> Vec<T> {
    if weight_decay == 0.0 {
        return gv;
    }
    let wd = T::c(weight_decay);
    gv.iter().zip(pv).map(|(&g, &p)| p.fma(wd, g)).collect()
}

/// PyTorch's `_single_tensor_sgd`, element by element.
fn sgd_update<T: Arith>(
    p: &Tensor,
    g: &Tensor,
    o: &SgdOptions,
    buf: &mut Option<Vec<f64>>,
) -> Result<()> {
    let pv = p.to_vec::<T>()?;
    let gv = g.to_vec::<T>()?;
    if gv.len() != pv.len() {
        return Err(TensorError::Runtime(
            "grad has a different shape than its parameter".into(),
        ));
    }
    let mut gv = with_weight_decay(gv, &pv, o.weight_decay);
    if o.momentum != 0.0 {
        let (mu, damp) = (T::c(o.momentum), T::c(1.0 - o.dampening));
        // buf = grad on the first step, then buf.mul_(mu).add_(grad, alpha=1 - dampening)
        let b: Vec<T> = match buf.as_ref() {
            None => gv.clone(),
            Some(old) => load::<T>(old)
                .iter()
                .zip(&gv)
                .map(|(&b, &g)| g.fma(damp, b * mu))
                .collect(),
        };
        gv = if o.nesterov {
            // grad.add(buf, alpha=momentum)
            gv.iter().zip(&b).map(|(&g, &b)| b.fma(mu, g)).collect()
        } else {
            b.clone()
        };
        *buf = Some(store(&b));
    }
    // param.add_(grad, alpha=-lr)
    let neg_lr = T::c(-o.lr);
    let new: Vec<T> = pv
        .iter()
        .zip(&gv)
        .map(|(&p, &g)| g.fma(neg_lr, p))
        .collect();
    p.assign_values(&new)
}

/// PyTorch's `_single_tensor_adam` (no amsgrad), element by element.
fn adam_update<T: Arith>(
    p: &Tensor,
    g: &Tensor,
    o: &AdamOptions,
    state: &mut Option<AdamState>,
) -> Result<()> {
    let pv = p.to_vec::<T>()?;
    let gv = g.to_vec::<T>()?;
    if gv.len() != pv.len() {
        return Err(TensorError::Runtime(
            "grad has a different shape than its parameter".into(),
        ));
    }
    let gv = with_weight_decay(gv, &pv, o.weight_decay);
    let (step, m_old, v_old) = match state.take() {
        Some(s) => (s.step + 1, load::<T>(&s.exp_avg), load::<T>(&s.exp_avg_sq)),
        None => (1, vec![T::c(0.0); pv.len()], vec![T::c(0.0); pv.len()]),
    };
    let (b1, b2) = o.betas;
    // exp_avg.lerp_(grad, 1 - beta1), as ATen's lerp: fused, from the nearer end.
    let w1 = T::c(1.0 - b1);
    let small = (1.0 - b1).abs() < 0.5;
    let m: Vec<T> = m_old
        .iter()
        .zip(&gv)
        .map(|(&m, &g)| {
            if small {
                w1.fma(g - m, m)
            } else {
                (w1 - T::c(1.0)).fma(g - m, g)
            }
        })
        .collect();
    // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    let (tb2, w2) = (T::c(b2), T::c(1.0 - b2));
    let v: Vec<T> = v_old
        .iter()
        .zip(&gv)
        .map(|(&v, &g)| (w2 * g).fma(g, v * tb2))
        .collect();
    // Python floats: the step count is a float, `**` is C's pow.
    let bc1 = 1.0 - b1.powf(step as f64);
    let bc2 = 1.0 - b2.powf(step as f64);
    let step_size = o.lr / bc1;
    let bc2_sqrt = T::c(bc2.powf(0.5));
    let eps = T::c(o.eps);
    let neg_step = T::c(-step_size);
    // denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
    // param.addcdiv_(exp_avg, denom, value=-step_size)
    let new: Vec<T> = pv
        .iter()
        .zip(m.iter().zip(&v))
        .map(|(&p, (&m, &v))| {
            let denom = v.sqrt_() / bc2_sqrt + eps;
            neg_step * m / denom + p
        })
        .collect();
    *state = Some(AdamState {
        step,
        exp_avg: store(&m),
        exp_avg_sq: store(&v),
    });
    p.assign_values(&new)
}

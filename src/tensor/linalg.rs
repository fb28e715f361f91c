//! Matrix products: mm, mv, dot, bmm, matmul and linear.

use super::autograd::Op;
use super::cuda::MatmulDims;
use super::dtype::DType;
use super::error::{not_implemented, runtime, Result};
use super::gemm::{product, Real, Strided};
use super::layout::broadcast_shapes;
use super::{on_cuda, CpuStorage, Element, Storage, Tensor};

/// C (m×n, row-major) = A (m×k) · B (k×n) for strided A and B; with `accumulate`,
/// plus `init` already in C, added after the product as PyTorch's addmm does.
fn gemm(
    a: &Tensor,
    b: &Tensor,
    m: usize,
    k: usize,
    n: usize,
    c: CpuStorage,
    accumulate: bool,
) -> Result<CpuStorage> {
    if m * n * k == 0 {
        // Nothing to add (and empty operands may point past their storage).
        return Ok(c);
    }
    Ok(match c {
        CpuStorage::F32(out) => CpuStorage::F32(float_gemm(a, b, m, k, n, out, accumulate)?),
        CpuStorage::F64(out) => CpuStorage::F64(float_gemm(a, b, m, k, n, out, accumulate)?),
        CpuStorage::I64(mut out) => {
            let (va, vb) = (a.to_vec::<i64>()?, b.to_vec::<i64>()?);
            for i in 0..m {
                super::interrupt::check()?;
                for j in 0..n {
                    let mut acc = if accumulate { out[i * n + j] } else { 0 };
                    for p in 0..k {
                        acc = acc.wrapping_add(va[i * k + p].wrapping_mul(vb[p * n + j]));
                    }
                    out[i * n + j] = acc;
                }
            }
            CpuStorage::I64(out)
        }
        CpuStorage::Bool(out) => CpuStorage::Bool(out),
        narrow => {
            let (dtype, wide) = (narrow.dtype(), narrow.dtype().wide());
            let (a, b) = (a.to_dtype_plain(wide)?, b.to_dtype_plain(wide)?);
            gemm(&a, &b, m, k, n, narrow.to_dtype(wide), accumulate)?.to_dtype(dtype)
        }
    })
}

/// [`gemm`] for f32 and f64, via [`super::gemm::product`].
fn float_gemm<T: Real>(
    a: &Tensor,
    b: &Tensor,
    m: usize,
    k: usize,
    n: usize,
    mut out: Vec<T>,
    accumulate: bool,
) -> Result<Vec<T>> {
    a.read(|sa, la| {
        b.read(|sb, lb| {
            let (va, vb) = (Strided::matrix(sa, la), Strided::matrix(sb, lb));
            if accumulate {
                let mut prod = vec![T::default(); m * n];
                product(va, vb, m, k, n, &mut prod)?;
                out.iter_mut().zip(prod).for_each(|(o, p)| *o = p + *o);
            } else {
                product(va, vb, m, k, n, &mut out)?;
            }
            Ok::<(), super::TensorError>(())
        })
    })???;
    Ok(out)
}

fn dtype_name(d: DType) -> &'static str {
    d.c_name()
}

/// The operands' one dtype; `kernel` names PyTorch's CPU kernel in the
/// error for bools (`addmm_impl_cpu_`, `addmv_impl_cpu`, `bmm`, `dot`).
fn same_dtype(a: &Tensor, b: &Tensor, what: &str, kernel: &str) -> Result<DType> {
    if a.dtype() != b.dtype() {
        return runtime(format!(
            "expected {what} to have the same dtype, but got: {} != {}",
            dtype_name(a.dtype()),
            dtype_name(b.dtype())
        ));
    }
    if a.dtype() == DType::Bool {
        return not_implemented(format!("\"{kernel}\" not implemented for 'Bool'"));
    }
    Ok(a.dtype())
}

impl Tensor {
    /// `mm(a, b)`: 2-D by 2-D.
    pub fn mm(&self, other: &Tensor) -> Result<Tensor> {
        if self.dim() != 2 {
            return runtime(format!(
                "mm: self must be a matrix, got {}-D tensor",
                self.dim()
            ));
        }
        if other.dim() != 2 {
            return runtime(format!(
                "mm: mat2 must be a matrix, got {}-D tensor",
                other.dim()
            ));
        }
        let (m, k) = (self.shape()[0], self.shape()[1]);
        let (k2, n) = (other.shape()[0], other.shape()[1]);
        if k != k2 {
            return runtime(format!(
                "mm: mat1 and mat2 shapes cannot be multiplied ({m}x{k} and {k2}x{n})"
            ));
        }
        let dtype = same_dtype(self, other, "m1 and m2", "addmm_impl_cpu_")?;
        super::check_alloc(m * n, dtype)?;
        let data: Storage = if super::op_device(&[self, other])?.is_cuda() {
            on_cuda::matmul(self, other, MatmulDims::mm(m, k, n))?
        } else {
            gemm(self, other, m, k, n, CpuStorage::zeros(dtype, m * n), false)?.into()
        };
        let (a, b) = (self.clone(), other.clone());
        Tensor::from_op(data, &[m, n], &[self, other], || Op::Mm(a, b))
    }

    /// `addmm(bias, a, b)` as `nn.Linear` uses it: bias + a @ b.
    pub fn addmm(bias: &Tensor, a: &Tensor, b: &Tensor) -> Result<Tensor> {
        for (t, name) in [(a, "mat1"), (b, "mat2")] {
            if t.dim() != 2 {
                return runtime(format!("{name} must be a matrix, got {}-D tensor", t.dim()));
            }
        }
        let (m, n) = (a.shape()[0], b.shape()[1]);
        let k = a.shape()[1];
        if k != b.shape()[0] {
            return runtime(format!(
                "addmm: mat1 and mat2 shapes cannot be multiplied ({m}x{k} and {}x{n})",
                b.shape()[0]
            ));
        }
        let dtype = same_dtype(a, b, "m1 and m2", "addmm_impl_cpu_")?;
        if bias.dtype() != dtype {
            return runtime(format!(
                "expected m1 and bias to have the same dtype, but got: {} != {}",
                dtype_name(dtype),
                dtype_name(bias.dtype())
            ));
        }
        let device = super::op_device(&[bias, a, b])?;
        let data: Storage = if device.is_cuda() {
            // The product, then the bias added, as on the CPU.
            let product = super::no_grad(|| a.mm(b))?;
            on_cuda::binary(super::BinaryOp::Add, &product, bias, dtype, device)?
        } else {
            let init = super::no_grad(|| bias.expand_to(&[m, n]))?.contiguous_storage()?;
            gemm(a, b, m, k, n, init, true)?.into()
        };
        let (t0, t1, t2) = (bias.clone(), a.clone(), b.clone());
        Tensor::from_op(data, &[m, n], &[bias, a, b], || Op::Addmm(t0, t1, t2))
    }

    /// `mv(mat, vec)`.
    pub fn mv(&self, v: &Tensor) -> Result<Tensor> {
        if self.dim() != 2 || v.dim() != 1 || self.shape()[1] != v.shape()[0] {
            return runtime(format!(
                "size mismatch, got input ({}), mat ({}), vec ({})",
                self.shape().first().copied().unwrap_or(0),
                self.shape()
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("x"),
                v.shape().first().copied().unwrap_or(0)
            ));
        }
        let dtype = same_dtype(self, v, "m1 and m2", "addmv_impl_cpu")?;
        let (m, k) = (self.shape()[0], self.shape()[1]);
        let col = super::no_grad(|| v.unsqueeze(1))?;
        let data: Storage = if super::op_device(&[self, v])?.is_cuda() {
            on_cuda::matmul(self, &col, MatmulDims::mm(m, k, 1))?
        } else {
            gemm(self, &col, m, k, 1, CpuStorage::zeros(dtype, m), false)?.into()
        };
        let (a, b) = (self.clone(), v.clone());
        Tensor::from_op(data, &[m], &[self, v], || Op::Mv(a, b))
    }

    /// `dot(a, b)` of two 1-D tensors.
    pub fn dot(&self, other: &Tensor) -> Result<Tensor> {
        if self.dim() != 1 || other.dim() != 1 {
            return runtime(format!(
                "1D tensors expected, but got {}D and {}D tensors",
                self.dim(),
                other.dim()
            ));
        }
        if self.numel() != other.numel() {
            return runtime(format!(
                "inconsistent tensor size, expected tensor [{}] and src [{}] to have the same number of elements, but got {} and {} elements respectively",
                self.numel(),
                other.numel(),
                self.numel(),
                other.numel()
            ));
        }
        if self.dtype() != other.dtype() {
            return runtime(format!(
                "dot : expected both vectors to have same dtype, but found {} and {}",
                super::ops::dtype_title(self.dtype()),
                super::ops::dtype_title(other.dtype())
            ));
        }
        if self.dtype() == DType::Bool {
            return not_implemented("\"dot\" not implemented for 'Bool'");
        }
        if super::op_device(&[self, other])?.is_cuda() {
            let k = self.numel();
            let data = on_cuda::matmul(self, other, MatmulDims::mm(1, k, 1))?;
            let (a, b) = (self.clone(), other.clone());
            return Tensor::from_op(data, &[], &[self, other], || Op::Dot(a, b));
        }
        let data = crate::with_dtype!(self.dtype(), T => {
            let (a, b) = (self.to_vec::<f64>()?, other.to_vec::<f64>()?);
            let s: f64 = if T::DTYPE == DType::F32 {
                a.iter().zip(&b).fold(0f32, |acc, (x, y)| acc + (*x as f32) * (*y as f32)) as f64
            } else {
                a.iter().zip(&b).map(|(x, y)| x * y).sum()
            };
            if T::DTYPE.is_int() {
                let (a, b) = (self.to_vec::<i64>()?, other.to_vec::<i64>()?);
                T::wrap(vec![T::from_i64(a.iter().zip(&b).fold(0i64, |acc, (x, y)| acc.wrapping_add(x.wrapping_mul(*y))))])
            } else {
                T::wrap(vec![T::from_f64(s)])
            }
        });
        let (a, b) = (self.clone(), other.clone());
        Tensor::from_op(data, &[], &[self, other], || Op::Dot(a, b))
    }

    /// `bmm(a, b)`: batches of matrices, (b×n×k)·(b×k×m).
    pub fn bmm(&self, other: &Tensor) -> Result<Tensor> {
        if self.dim() != 3 {
            return runtime("batch1 must be a 3D tensor");
        }
        if other.dim() != 3 {
            return runtime("batch2 must be a 3D tensor");
        }
        let (bs, m, k) = (self.shape()[0], self.shape()[1], self.shape()[2]);
        let (b2, k2, n) = (other.shape()[0], other.shape()[1], other.shape()[2]);
        if b2 != bs || k2 != k {
            return runtime(format!(
                "Expected size for first two dimensions of batch2 tensor to be: [{bs}, {k}] but got: [{b2}, {k2}]."
            ));
        }
        let dtype = same_dtype(self, other, "scalar type", "bmm")?;
        super::check_alloc(bs * m * n, dtype)?;
        if super::op_device(&[self, other])?.is_cuda() {
            let dims = MatmulDims {
                batch: bs,
                m,
                k,
                n,
                a_batched: true,
                b_batched: true,
            };
            let data = on_cuda::matmul(self, other, dims)?;
            let (a, b) = (self.clone(), other.clone());
            return Tensor::from_op(data, &[bs, m, n], &[self, other], || Op::Bmm(a, b));
        }
        let mut parts = Vec::with_capacity(bs);
        super::no_grad(|| -> Result<()> {
            for i in 0..bs {
                super::interrupt::check()?;
                let (x, y) = (self.select(0, i as i64)?, other.select(0, i as i64)?);
                parts.push(gemm(
                    &x,
                    &y,
                    m,
                    k,
                    n,
                    CpuStorage::zeros(dtype, m * n),
                    false,
                )?);
            }
            Ok(())
        })?;
        let data = crate::with_dtype!(dtype, T => {
            let mut out: Vec<T> = Vec::with_capacity(bs * m * n);
            for p in &parts {
                out.extend_from_slice(T::slice(p));
            }
            T::wrap(out)
        });
        let (a, b) = (self.clone(), other.clone());
        Tensor::from_op(data, &[bs, m, n], &[self, other], || Op::Bmm(a, b))
    }

    /// `matmul` / `@` with PyTorch's dispatch on the operands' dims.
    pub fn matmul(&self, other: &Tensor) -> Result<Tensor> {
        let (da, db) = (self.dim(), other.dim());
        if da == 0 || db == 0 {
            return runtime(format!(
                "both arguments to matmul need to be at least 1D, but they are {da}D and {db}D"
            ));
        }
        match (da, db) {
            (1, 1) => self.dot(other),
            (2, 1) => self.mv(other),
            (1, 2) => Ok(self.unsqueeze(0)?.mm(other)?.squeeze_dims(&[0])),
            (2, 2) => self.mm(other),
            (_, 1) | (_, 2) if da >= 3 => {
                // Fold the batch dims into the rows.
                let k = self.shape()[da - 1];
                let lead: Vec<usize> = self.shape()[..da - 1].to_vec();
                let folded = self.reshape(&[-1, k as i64])?;
                let rhs = if db == 1 {
                    other.unsqueeze(1)?
                } else {
                    other.clone()
                };
                let out = folded
                    .mm(&rhs)
                    .map_err(|e| rename_mm_error(e, self, other))?;
                let mut shape = lead;
                if db == 2 {
                    shape.push(other.shape()[1]);
                }
                out.unsafe_view(&shape)
            }
            _ => self.batched_matmul(other),
        }
    }

    fn batched_matmul(&self, other: &Tensor) -> Result<Tensor> {
        let a = if self.dim() == 1 {
            self.unsqueeze(0)?
        } else {
            self.clone()
        };
        let b = if other.dim() == 1 {
            other.unsqueeze(1)?
        } else {
            other.clone()
        };
        let (ra, rb) = (a.dim(), b.dim());
        let (n, k) = (a.shape()[ra - 2], a.shape()[ra - 1]);
        let (k2, m) = (b.shape()[rb - 2], b.shape()[rb - 1]);
        if k != k2 {
            return runtime(format!(
                "Expected size for first two dimensions of batch2 tensor to be: [{}, {k}] but got: [{}, {k2}].",
                a.shape()[..ra - 2].iter().product::<usize>(),
                b.shape()[..rb - 2].iter().product::<usize>()
            ));
        }
        let batch = broadcast_shapes(&a.shape()[..ra - 2], &b.shape()[..rb - 2])?;
        let bsz: usize = batch.iter().product();
        let mut sa: Vec<usize> = batch.clone();
        sa.extend([n, k]);
        let mut sb: Vec<usize> = batch.clone();
        sb.extend([k, m]);
        let a3 = a
            .expand_to(&sa)?
            .reshape(&[bsz as i64, n as i64, k as i64])?;
        let b3 = b
            .expand_to(&sb)?
            .reshape(&[bsz as i64, k as i64, m as i64])?;
        let out = a3.bmm(&b3)?;
        let mut shape = batch;
        if self.dim() > 1 {
            shape.push(n);
        }
        if other.dim() > 1 {
            shape.push(m);
        }
        let out = out.unsafe_view(&shape)?;
        if self.dim() == 2 {
            // PyTorch computes matrix @ batch transposed and ends with a
            // contiguous copy (CloneBackward0).
            return out.clone_tensor();
        }
        Ok(out)
    }

    /// `torch.outer(a, b)`.
    pub fn outer(&self, other: &Tensor) -> Result<Tensor> {
        if self.dim() != 1 || other.dim() != 1 {
            return runtime(format!(
                "outer: Expected 1-D argument self, but got {}-D",
                self.dim()
            ));
        }
        self.reshape(&[-1, 1])?.mul(other)
    }

    /// `F.linear(x, weight, bias)`: x @ weight.T + bias.
    pub fn linear(&self, weight: &Tensor, bias: Option<&Tensor>) -> Result<Tensor> {
        let wt = weight.t()?;
        match bias {
            Some(b) if self.dim() == 2 => Tensor::addmm(b, self, &wt),
            Some(b) => self.matmul(&wt)?.add(b),
            None => self.matmul(&wt),
        }
    }
}

fn rename_mm_error(e: super::TensorError, a: &Tensor, b: &Tensor) -> super::TensorError {
    match e {
        super::TensorError::Runtime(m) if m.starts_with("mm: mat1 and mat2") => {
            let rows: usize = a.shape()[..a.dim() - 1].iter().product();
            let k = a.shape()[a.dim() - 1];
            let (k2, n) = if b.dim() == 1 {
                (b.shape()[0], 1)
            } else {
                (b.shape()[0], b.shape()[1])
            };
            super::TensorError::Runtime(format!(
                "mm: mat1 and mat2 shapes cannot be multiplied ({rows}x{k} and {k2}x{n})"
            ))
        }
        other => other,
    }
}

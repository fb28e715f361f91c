//! Forward values, dtype promotion, printing, grad_fn names and error
//! messages against PyTorch 2.15. Goldens: tests/goldens/tensor.json from
//! tests/goldens/gen_tensor.py; each entry carries the PyTorch expression
//! (`expr`) whose `repr()` or exception it records. The table below computes
//! the same expression with the engine, under the same name.

use std::collections::HashMap;

use nnlearn::nn::functional::{cross_entropy, l1_loss, CrossEntropyOptions};
use nnlearn::tensor::autograd::backward;
use nnlearn::tensor::{
    BinaryOp, DType, NormOrd, PointLoss, Reduction, Result, Scalar, Tensor, TensorError,
    TensorIndex, UnaryOp,
};
use serde_json::Value;

/// The tensors gen_tensor.py defines, built the same way.
struct Env {
    a: Tensor,
    b: Tensor,
    d: Tensor,
    i: Tensor,
    m: Tensor,
    s0: Tensor,
    si0: Tensor,
    t: Tensor,
    p: Tensor,
    c: Tensor,
    w: Tensor,
    x3: Tensor,
    big: Tensor,
}

/// `torch.tensor(values)` of float32 (rounded from the Python floats).
fn f32s(values: &[f64], shape: &[usize]) -> Tensor {
    Tensor::from_vec(values.to_vec(), shape)
        .unwrap()
        .to_dtype(DType::F32)
        .unwrap()
}

fn leaf(t: Tensor) -> Tensor {
    t.set_requires_grad(true).unwrap();
    t
}

fn longs(values: &[i64], shape: &[usize]) -> Tensor {
    Tensor::from_vec(values.to_vec(), shape).unwrap()
}

fn env() -> Env {
    Env {
        a: leaf(f32s(&[0.1, -1.7, 2.3, 3.9, -0.45, 1.15], &[2, 3])),
        b: leaf(f32s(&[0.7, -0.2, 1.3], &[3])),
        d: Tensor::from_vec(vec![0.5, 1.5, -2.5, 1.0, 0.25, 3.0], &[2, 3]).unwrap(),
        i: longs(&[1, 2, 3, 4, 5, 6], &[2, 3]),
        m: Tensor::from_vec(vec![true, false, true, false, false, true], &[2, 3]).unwrap(),
        s0: Tensor::from_vec(vec![2.5f64], &[]).unwrap(),
        si0: longs(&[7], &[]),
        t: f32s(&[0.2, -1.0, 2.0, 3.0, 0.5, 1.0], &[2, 3]),
        p: f32s(&[0.9, 0.1, 0.5, 0.0, 1.0, 0.3], &[2, 3]),
        c: longs(&[2, 0], &[2]),
        w: f32s(&[0.5, 2.0, 1.0], &[3]),
        x3: leaf(f32s(
            &[1.0, 2.0, 3.0, 4.0, 0.5, -1.0, 2.0, 0.25],
            &[2, 2, 2],
        )),
        big: f32s(&[1000.0, 0.0, -1000.0], &[1, 3]),
    }
}

/// A Python int / float operand.
fn int(v: i64) -> Tensor {
    Tensor::wrapped_scalar(Scalar::Int(v))
}

fn float(v: f64) -> Tensor {
    Tensor::wrapped_scalar(Scalar::Float(v))
}

fn ones(shape: &[usize]) -> Tensor {
    Tensor::ones(shape, DType::F32).unwrap()
}

fn all() -> TensorIndex {
    TensorIndex::Slice(None, None, None)
}

fn upto(n: i64) -> TensorIndex {
    TensorIndex::Slice(None, Some(n), None)
}

fn ce(
    x: &Tensor,
    target: &Tensor,
    weight: Option<&Tensor>,
    label_smoothing: f64,
    reduction: Reduction,
) -> Result<Tensor> {
    let o = CrossEntropyOptions {
        weight: weight.cloned(),
        reduction,
        label_smoothing,
        ignore_index: -100,
    };
    cross_entropy(x, target, &o)
}

fn unexpected_ok() -> Result<Tensor> {
    Ok(Tensor::from_vec(vec![f32::NAN], &[]).unwrap())
}

type Case = fn(&Env) -> Result<Tensor>;

fn cases() -> HashMap<&'static str, Case> {
    use BinaryOp as B;
    use Reduction::{Mean, Sum};
    let none = Reduction::None;
    let _ = none;
    let table: Vec<(&'static str, Case)> = vec![
        ("int_plus_float", |e| e.i.add(&float(1.5))),
        ("int_plus_int", |e| e.i.add(&int(2))),
        ("int_plus_0dim_double", |e| e.i.add(&e.s0)),
        ("int_times_0dim_int", |e| e.i.mul(&e.si0)),
        ("float_plus_0dim_double", |e| e.t.add(&e.s0)),
        ("float_plus_0dim_int", |e| e.t.add(&e.si0)),
        ("0dim_int_plus_float", |e| e.si0.add(&float(2.5))),
        ("0dim_double_times_int", |e| e.s0.mul(&int(2))),
        ("double_plus_float", |e| e.d.add(&e.t)),
        ("int_div_int", |e| e.i.div(&int(2))),
        ("int_floordiv", |e| e.i.binary(B::FloorDiv, &int(4))),
        ("int_mod", |e| e.i.binary(B::Rem, &int(4))),
        ("int_pow", |e| e.i.pow(&int(2))),
        ("int_pow_negative_tensor", |_| {
            longs(&[-3, -1, 1, 2], &[4]).pow(&longs(&[-1, -3, -2, -2], &[4]))
        }),
        ("int_rpow_negative", |_| {
            int(2).pow(&longs(&[-3, 0, 2], &[3]))
        }),
        ("err_int_pow_negative_number", |e| e.i.pow(&int(-1))),
        ("err_bool_pow_negative_number", |e| e.m.pow(&int(-1))),
        ("err_bool_abs", |e| e.m.abs()),
        ("err_bool_relu", |e| e.m.relu()),
        ("err_bool_round", |e| e.m.unary(UnaryOp::Round)),
        ("bool_sign", |e| e.m.sign()),
        ("err_bool_argmax", |e| e.m.argmax(None, false, true)),
        ("err_bool_argmin", |e| e.m.argmax(Some(1), false, false)),
        ("err_bool_mm", |e| e.m.mm(&e.m.t()?)),
        ("err_bool_mv", |e| e.m.mv(&e.m.select(0, 0)?)),
        ("err_bool_dot", |e| {
            e.m.select(0, 0)?.dot(&e.m.select(0, 1)?)
        }),
        ("err_bool_bmm", |e| {
            e.m.unsqueeze(0)?.bmm(&e.m.t()?.unsqueeze(0)?)
        }),
        ("err_mm_vector", |e| e.b.mm(&e.t)),
        ("err_mm_vector_rhs", |e| e.t.mm(&e.b)),
        ("err_double_and", |e| e.d.binary(B::BitAnd, &e.d)),
        ("err_float_invert", |e| e.t.bitwise_not()),
        ("bool_plus_bool", |e| e.m.add(&e.m)),
        ("bool_plus_int", |e| e.m.add(&int(1))),
        ("bool_times_float", |e| e.m.mul(&float(1.5))),
        ("bool_plus_int_tensor", |e| e.m.add(&e.i)),
        ("int_gt", |e| e.i.binary(B::Gt, &int(2))),
        ("float_eq_int", |e| e.t.binary(B::Eq, &e.i)),
        ("int_sum", |e| e.i.sum(None, false)),
        ("bool_sum", |e| e.m.sum(None, false)),
        ("int_neg", |e| e.i.neg()),
        ("int_exp", |e| e.i.exp()),
        ("float_to_long", |e| e.t.to_dtype(DType::I64)),
        ("double_to_float", |e| e.d.to_dtype(DType::F32)),
        ("int_to_bool", |e| e.i.to_dtype(DType::Bool)),
        ("where_mixed", |e| Tensor::where_(&e.m, &e.i, &float(0.5))),
        ("cat_mixed", |e| Tensor::cat(&[e.i.clone(), e.t.clone()], 0)),
        ("add", |e| e.a.add(&e.b)),
        ("sub", |e| e.a.sub(&e.b)),
        ("mul", |e| e.a.mul(&e.b)),
        ("div", |e| e.a.div(&e.b)),
        ("rsub", |e| int(1).sub(&e.a)),
        ("rdiv", |e| int(1).div(&e.a)),
        ("pow_scalar", |e| e.a.pow(&int(2))),
        ("pow_half", |e| e.a.abs()?.pow(&float(0.5))),
        ("pow_tensor", |e| e.b.abs()?.pow(&e.b)),
        ("pow_scalar_base", |e| int(2).pow(&e.a)),
        ("neg", |e| e.a.neg()),
        ("abs", |e| e.a.abs()),
        ("exp", |e| e.a.exp()),
        ("log", |e| e.a.log()),
        ("log1p", |e| e.a.unary(UnaryOp::Log1p)),
        ("sqrt", |e| e.a.sqrt()),
        ("sin", |e| e.a.unary(UnaryOp::Sin)),
        ("cos", |e| e.a.unary(UnaryOp::Cos)),
        ("tanh", |e| e.a.tanh()),
        ("sigmoid", |e| e.a.sigmoid()),
        ("relu", |e| e.a.relu()),
        ("sign", |e| e.a.sign()),
        ("round", |e| e.a.unary(UnaryOp::Round)),
        ("clamp", |e| e.a.clamp(Some(-1.0), Some(1.0))),
        ("clamp_min", |e| e.a.clamp(Some(0.0), None)),
        ("maximum", |e| e.a.binary(B::Maximum, &e.b)),
        ("minimum", |e| e.a.binary(B::Minimum, &e.b)),
        ("where", |e| {
            Tensor::where_(&e.a.binary(B::Gt, &int(0))?, &e.a, &e.b)
        }),
        ("to_double", |e| e.a.to_dtype(DType::F64)),
        ("clone", |e| e.a.clone_tensor()),
        ("detach", |e| Ok(e.a.detach())),
        ("sum", |e| e.a.sum(None, false)),
        ("sum_dim", |e| e.a.sum(Some(&[1]), false)),
        ("sum_keepdim", |e| e.a.sum(Some(&[0]), true)),
        ("mean", |e| e.a.mean(None, false)),
        ("mean_dim", |e| e.a.mean(Some(&[1]), false)),
        ("prod", |e| e.a.prod(None, false)),
        ("prod_dim", |e| e.a.prod(Some(1), false)),
        ("max", |e| e.a.max_all(true)),
        ("min", |e| e.a.max_all(false)),
        ("max_dim_values", |e| Ok(e.a.max_dim(1, false, true)?.0)),
        ("max_dim_indices", |e| Ok(e.a.max_dim(1, false, true)?.1)),
        ("min_dim_values", |e| Ok(e.a.max_dim(0, false, false)?.0)),
        ("argmax", |e| e.a.argmax(None, false, true)),
        ("var", |e| e.a.var(None, 1.0, false)),
        ("var_dim_biased", |e| e.a.var(Some(&[1]), 0.0, false)),
        ("std", |e| e.a.std(None, 1.0, false)),
        ("std_dim", |e| e.a.std(Some(&[0]), 1.0, false)),
        ("norm", |e| e.a.norm(NormOrd::P(2.0), None, false)),
        ("norm_1", |e| e.a.norm(NormOrd::P(1.0), None, false)),
        ("norm_inf", |e| e.a.norm(NormOrd::Inf, None, false)),
        ("norm_3_dim", |e| {
            e.a.norm(NormOrd::P(3.0), Some(&[1]), false)
        }),
        ("logsumexp", |e| e.a.logsumexp(&[1], false)),
        ("all", |e| e.m.all_any(None, false, true)),
        ("any_dim", |e| e.m.all_any(Some(1), false, false)),
        ("mv", |e| e.a.matmul(&e.b)),
        ("mm", |e| e.a.matmul(&e.a.numpy_t()?)),
        ("dot", |e| e.b.matmul(&e.b)),
        ("vec_mat", |e| e.b.matmul(&e.a.numpy_t()?)),
        ("bmm", |e| e.x3.bmm(&e.x3)),
        ("matmul_batched", |e| {
            e.x3.matmul(&e.x3.index(&[TensorIndex::Int(0)])?)
        }),
        ("linear", |e| {
            e.a.linear(&e.a, Some(&e.a.index(&[TensorIndex::Int(0), upto(2)])?))
        }),
        ("outer", |e| e.b.outer(&e.b)),
        ("view", |e| e.a.view(&[3, 2])),
        ("reshape", |e| e.a.reshape(&[-1])),
        ("reshape_copy", |e| e.a.numpy_t()?.reshape(&[6])),
        ("unsqueeze", |e| e.a.unsqueeze(0)),
        ("squeeze", |e| e.a.unsqueeze(0)?.squeeze(None)),
        ("squeeze_dim", |e| e.a.unsqueeze(0)?.squeeze(Some(0))),
        ("permute", |e| e.a.permute(&[1, 0])),
        ("transpose", |e| e.a.transpose(0, 1)),
        ("t", |e| e.a.t()),
        ("T", |e| e.a.numpy_t()),
        ("expand", |e| e.b.expand(&[2, 3])),
        ("repeat", |e| e.b.repeat(&[2, 1])),
        ("cat", |e| Tensor::cat(&[e.a.clone(), e.a.clone()], 1)),
        ("stack", |e| Tensor::stack(&[e.b.clone(), e.b.clone()], 0)),
        ("flatten", |e| e.x3.flatten(0, -1)),
        ("select", |e| e.a.index(&[TensorIndex::Int(1)])),
        ("select_col", |e| e.a.index(&[all(), TensorIndex::Int(1)])),
        ("slice_step", |e| {
            e.a.index(&[all(), TensorIndex::Slice(None, None, Some(2))])
        }),
        ("index_int", |e| {
            e.a.index(&[TensorIndex::Tensor(longs(&[1, 0, 1], &[3]))])
        }),
        ("index_cols", |e| {
            e.a.index(&[all(), TensorIndex::Tensor(longs(&[2, 0], &[2]))])
        }),
        ("index_mask", |e| {
            e.a.index(&[TensorIndex::Tensor(e.a.binary(B::Gt, &int(0))?)])
        }),
        ("index_none", |e| e.b.index(&[TensorIndex::NewAxis])),
        ("chunk_last", |e| Ok(e.a.chunk(2, 1)?[1].clone())),
        ("softmax", |e| e.a.softmax(1, false)),
        ("log_softmax", |e| e.a.softmax(1, true)),
        ("log_softmax_big", |e| e.big.softmax(1, true)),
        ("softmax_big", |e| e.big.softmax(1, false)),
        ("mse", |e| e.a.point_loss(&e.t, PointLoss::Mse, Mean)),
        ("mse_sum", |e| e.a.point_loss(&e.t, PointLoss::Mse, Sum)),
        ("mse_none", |e| {
            e.a.point_loss(&e.t, PointLoss::Mse, Reduction::None)
        }),
        ("l1", |e| l1_loss(&e.a, &e.t, Mean)),
        ("l1_none", |e| l1_loss(&e.a, &e.t, Reduction::None)),
        ("huber", |e| {
            e.a.point_loss(&e.t, PointLoss::Huber(0.8), Mean)
        }),
        ("smooth_l1", |e| {
            e.a.point_loss(&e.t, PointLoss::SmoothL1(0.5), Mean)
        }),
        ("smooth_l1_sum", |e| {
            e.a.point_loss(&e.t, PointLoss::SmoothL1(1.0), Sum)
        }),
        ("bce", |e| {
            e.a.sigmoid()?.point_loss(&e.p, PointLoss::Bce, Mean)
        }),
        ("bce_none", |e| {
            e.p.point_loss(&e.t.sigmoid()?, PointLoss::Bce, Reduction::None)
        }),
        ("bce_logits", |e| {
            e.a.point_loss(&e.p, PointLoss::BceWithLogits, Mean)
        }),
        ("bce_logits_sum", |e| {
            e.a.point_loss(&e.p, PointLoss::BceWithLogits, Sum)
        }),
        ("nll", |e| {
            e.a.softmax(1, true)?.nll_loss(&e.c, None, Mean, -100)
        }),
        ("nll_weight", |e| {
            e.a.softmax(1, true)?.nll_loss(&e.c, Some(&e.w), Mean, -100)
        }),
        ("nll_none", |e| {
            e.a.softmax(1, true)?
                .nll_loss(&e.c, None, Reduction::None, -100)
        }),
        ("nll_ignore", |e| {
            e.a.softmax(1, true)?
                .nll_loss(&longs(&[2, -100], &[2]), None, Mean, -100)
        }),
        ("ce", |e| ce(&e.a, &e.c, None, 0.0, Mean)),
        ("ce_sum", |e| ce(&e.a, &e.c, None, 0.0, Sum)),
        ("ce_none", |e| ce(&e.a, &e.c, None, 0.0, Reduction::None)),
        ("ce_weight", |e| ce(&e.a, &e.c, Some(&e.w), 0.0, Mean)),
        ("ce_smoothing", |e| ce(&e.a, &e.c, None, 0.1, Mean)),
        ("ce_weight_smoothing", |e| {
            ce(&e.a, &e.c, Some(&e.w), 0.2, Mean)
        }),
        ("ce_weight_smoothing_none", |e| {
            ce(&e.a, &e.c, Some(&e.w), 0.2, Reduction::None)
        }),
        ("ce_probs", |e| {
            ce(&e.a, &e.t.softmax(1, false)?, None, 0.0, Mean)
        }),
        ("ce_probs_smoothing", |e| {
            ce(&e.a, &e.t.softmax(1, false)?, None, 0.3, Mean)
        }),
        ("ce_probs_weight_none", |e| {
            ce(
                &e.a,
                &e.t.softmax(1, false)?,
                Some(&e.w),
                0.0,
                Reduction::None,
            )
        }),
        ("ce_1d", |e| ce(&e.b, &longs(&[1], &[]), None, 0.0, Mean)),
        ("ce_1d_probs", |e| {
            ce(&e.b, &f32s(&[0.2, 0.3, 0.5], &[3]), None, 0.0, Mean)
        }),
        ("ce_big_logit", |e| {
            ce(&e.big, &longs(&[2], &[1]), None, 0.0, Mean)
        }),
        ("ce_ignore", |e| {
            ce(&e.a, &longs(&[-100, 1], &[2]), None, 0.0, Mean)
        }),
        ("err_broadcast", |e| e.a.add(&ones(&[4]))),
        ("err_mm_shapes", |e| e.a.matmul(&e.a)),
        ("err_mm_shapes_mm", |e| {
            e.a.mm(&e.b.unsqueeze(1)?.numpy_t()?)
        }),
        ("err_linear_shapes", |e| e.a.linear(&ones(&[2, 2]), None)),
        ("err_mv_shapes", |e| e.a.matmul(&ones(&[2]))),
        ("err_dim_range", |e| e.a.sum(Some(&[2]), false)),
        ("err_dim_range_neg", |e| e.a.softmax(-3, false)),
        ("err_index_range", |e| e.a.index(&[TensorIndex::Int(5)])),
        ("err_index_range_col", |e| {
            e.a.index(&[all(), TensorIndex::Int(3)])
        }),
        ("err_index_tensor_range", |e| {
            e.a.index(&[TensorIndex::Tensor(longs(&[0, 2], &[2]))])
        }),
        ("err_too_many_indices", |e| {
            e.a.index(&[
                TensorIndex::Int(0),
                TensorIndex::Int(0),
                TensorIndex::Int(0),
            ])
        }),
        ("err_view_size", |e| e.a.view(&[4])),
        ("err_view_two_infer", |e| e.a.reshape(&[-1, -1])),
        ("err_view_noncontig", |e| e.a.numpy_t()?.view(&[6])),
        ("err_mean_int", |e| e.i.mean(None, false)),
        ("err_mm_dtype", |e| e.i.mm(&e.t.numpy_t()?)),
        ("err_dot_dtype", |e| {
            e.b.dot(&e.i.index(&[TensorIndex::Int(0)])?)
        }),
        ("err_cat_dims", |e| {
            Tensor::cat(&[e.a.clone(), e.b.clone()], 0)
        }),
        ("err_cat_sizes", |e| {
            Tensor::cat(&[e.a.clone(), e.a.numpy_t()?], 0)
        }),
        ("err_stack_sizes", |e| {
            Tensor::stack(&[e.a.clone(), e.a.numpy_t()?], 0)
        }),
        ("err_expand", |e| e.b.expand(&[2, 4])),
        ("err_permute_dup", |e| e.a.permute(&[0, 0])),
        ("err_t_3d", |e| e.x3.t()),
        ("err_bmm_2d", |e| e.a.bmm(&e.a)),
        ("err_matmul_0d", |e| e.s0.matmul(&e.s0)),
        ("err_ce_target_range", |e| {
            ce(&e.a, &longs(&[0, 5], &[2]), None, 0.0, Mean)
        }),
        ("err_ce_batch", |e| {
            ce(&e.a, &longs(&[0, 1, 2], &[3]), None, 0.0, Mean)
        }),
        ("err_nll_float_target", |e| {
            e.a.nll_loss(
                &e.t.index(&[TensorIndex::Int(0), upto(2)])?,
                None,
                Mean,
                -100,
            )
        }),
        ("err_mse_dtype", |e| {
            e.a.point_loss(&e.i, PointLoss::Mse, Mean)
        }),
        ("err_bce_range", |e| {
            e.a.point_loss(&e.p, PointLoss::Bce, Mean)
        }),
        ("err_bce_shape", |e| {
            e.p.point_loss(&e.p.index(&[TensorIndex::Int(0)])?, PointLoss::Bce, Mean)
        }),
        ("err_clamp_none", |e| e.a.clamp(None, None)),
        ("err_where_cond", |e| Tensor::where_(&e.i, &e.a, &e.b)),
        ("err_sub_bool", |e| e.m.sub(&e.m)),
        ("err_neg_bool", |e| e.m.neg()),
        ("err_int_neg_pow", |e| e.i.pow(&int(-1))),
        ("err_requires_grad_int", |e| {
            let x = e.i.to_dtype(DType::F32)?.to_dtype(DType::I64)?;
            x.set_requires_grad(true)?;
            Ok(x)
        }),
        ("err_backward_nonscalar", |e| {
            backward(&e.a.exp()?, None, false)?;
            unexpected_ok()
        }),
        ("err_max_empty", |_| ones(&[0]).max_all(true)),
        ("err_item", |e| {
            e.a.item()?;
            unexpected_ok()
        }),
        ("err_linear_bias_shapes", |e| {
            e.a.linear(&ones(&[2, 2]), Some(&ones(&[2])))
        }),
        ("err_mse_int", |e| {
            e.i.point_loss(&e.i, PointLoss::Mse, Mean)
        }),
        ("mse_double_target", |e| {
            e.a.point_loss(&e.d, PointLoss::Mse, Mean)
        }),
        ("l1_int_target", |e| l1_loss(&e.a, &e.i, Mean)),
        ("huber_int_target", |e| {
            e.a.point_loss(&e.i, PointLoss::Huber(1.0), Mean)
        }),
        ("err_bce_int_target", |e| {
            e.a.sigmoid()?.point_loss(&e.i, PointLoss::Bce, Mean)
        }),
        ("err_var_int", |e| e.i.var(None, 1.0, false)),
        ("err_norm_int", |e| e.i.norm(NormOrd::P(2.0), None, false)),
        ("err_ce_float_target_shape", |e| {
            ce(&e.a, &f32s(&[0.0, 1.0], &[2]), None, 0.0, Mean)
        }),
        ("err_ce_weight_size", |e| {
            ce(&e.a, &e.c, Some(&ones(&[4])), 0.0, Mean)
        }),
        ("err_ce_smoothing_range", |e| {
            ce(&e.a, &e.c, None, 1.5, Mean)
        }),
        ("err_softmax_int", |e| e.i.softmax(1, false)),
        ("logsumexp_int", |e| e.i.logsumexp(&[1], false)),
        ("matmul_3d_3d", |e| e.x3.matmul(&e.x3)),
        ("matmul_3d_1d", |e| e.x3.matmul(&e.b.index(&[upto(2)])?)),
        ("matmul_1d_3d", |e| e.b.index(&[upto(2)])?.matmul(&e.x3)),
        ("matmul_2d_3d", |e| {
            e.x3.index(&[TensorIndex::Int(0)])?.matmul(&e.x3)
        }),
        ("split", |e| Ok(e.a.split(2, 1)?[1].clone())),
        ("split_sizes", |e| {
            Ok(e.a.split_sizes(&[1, 2], 1)?[0].clone())
        }),
        ("narrow", |e| e.a.narrow(1, 1, 2)),
        ("t_1d", |e| e.b.t()),
        ("err_backward_no_grad", |e| {
            backward(&e.i.sum(None, false)?, None, false)?;
            unexpected_ok()
        }),
        ("compare_no_grad", |e| {
            e.a.binary(B::Gt, &int(0))?.to_dtype(DType::F32)
        }),
        ("remainder", |e| e.a.binary(B::Rem, &int(2))),
        ("floordiv_float", |e| e.a.binary(B::FloorDiv, &int(2))),
        ("err_second_backward", |e| {
            let y = e.a.mul(&e.b)?.sum(None, false)?;
            backward(&y, None, false)?;
            backward(&y, None, false)?;
            unexpected_ok()
        }),
    ];
    let n = table.len();
    let map: HashMap<_, _> = table.into_iter().collect();
    assert_eq!(map.len(), n, "duplicate case names");
    map
}

/// What the engine gives for a case, in the golden's terms.
fn outcome(r: Result<Tensor>) -> (Option<String>, Option<(String, String)>) {
    match r {
        Ok(t) => (Some(t.repr().unwrap()), None),
        Err(e @ TensorError::Interrupted) => (None, Some((e.class().into(), String::new()))),
        Err(e) => (None, Some((e.class().to_string(), e.to_string()))),
    }
}

#[test]
fn engine_prints_and_raises_what_pytorch_does() {
    let goldens: Vec<Value> = serde_json::from_str(include_str!("goldens/tensor.json")).unwrap();
    let table = cases();
    let mut failures = Vec::new();
    for g in &goldens {
        let name = g["name"].as_str().unwrap();
        let expr = g["expr"].as_str().unwrap();
        let Some(case) = table.get(name) else {
            failures.push(format!("{name}: no engine case for `{expr}`"));
            continue;
        };
        let (repr, error) = outcome(case(&env()));
        let want_repr = g.get("repr").and_then(Value::as_str).map(str::to_string);
        let want_error = g.get("error").map(|c| {
            (
                c.as_str().unwrap().to_string(),
                g["message"].as_str().unwrap().to_string(),
            )
        });
        if repr != want_repr || error != want_error {
            failures.push(format!(
                "{name}: `{expr}`\n  PyTorch: {}\n  nnlearn: {}",
                want_repr.unwrap_or_else(|| format!("{:?}", want_error.unwrap())),
                repr.unwrap_or_else(|| format!("{:?}", error.unwrap()))
            ));
        }
    }
    assert_eq!(goldens.len(), table.len(), "every engine case has a golden");
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        goldens.len(),
        failures.join("\n")
    );
}

/// Float sums round exactly as PyTorch's (tests/goldens/gen_sums.py:
/// `torch.randn(n) * 10` then `.sum()` and `.mean()`, float32 and float64).
#[test]
fn sums_round_as_pytorch() {
    let goldens: Vec<Value> = serde_json::from_str(include_str!("goldens/sums.json")).unwrap();
    for g in &goldens {
        let call = g["call"].as_str().unwrap();
        let bits: Vec<i64> = g["x"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        let n = bits.len();
        let (x, sum, mean) = if g["dtype"] == "torch.float32" {
            let x: Vec<f32> = bits
                .iter()
                .map(|&b| f32::from_bits(b as i32 as u32))
                .collect();
            let as_f32 = |v: &Value| f32::from_bits(v.as_i64().unwrap() as i32 as u32) as f64;
            (
                Tensor::from_vec(x, &[n]).unwrap(),
                as_f32(&g["sum"]),
                as_f32(&g["mean"]),
            )
        } else {
            let x: Vec<f64> = bits.iter().map(|&b| f64::from_bits(b as u64)).collect();
            let as_f64 = |v: &Value| f64::from_bits(v.as_i64().unwrap() as u64);
            (
                Tensor::from_vec(x, &[n]).unwrap(),
                as_f64(&g["sum"]),
                as_f64(&g["mean"]),
            )
        };
        let got_sum = x.sum(None, false).unwrap().to_vec::<f64>().unwrap()[0];
        let got_mean = x.mean(None, false).unwrap().to_vec::<f64>().unwrap()[0];
        assert_eq!(
            got_sum.to_bits(),
            sum.to_bits(),
            "{call}: sum {got_sum} vs PyTorch {sum}"
        );
        assert_eq!(
            got_mean.to_bits(),
            mean.to_bits(),
            "{call}: mean {got_mean} vs PyTorch {mean}"
        );
    }
}

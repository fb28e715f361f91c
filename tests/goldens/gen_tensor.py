"""Goldens for tests/tensor_goldens.rs: what PyTorch 2.15 (CPU) prints for
each expression (`repr(result)`, so values, dtype suffix and grad_fn name),
or the exception class and message it raises.

Run: /tmp/torch/bin/python tests/goldens/gen_tensor.py > tests/goldens/tensor.json
Each case's "expr" is the exact PyTorch call that produced its golden.
"""
import json

import torch
import torch.nn.functional as F

a = torch.tensor([[0.1, -1.7, 2.3], [3.9, -0.45, 1.15]], requires_grad=True)
b = torch.tensor([0.7, -0.2, 1.3], requires_grad=True)
d = torch.tensor([[0.5, 1.5, -2.5], [1.0, 0.25, 3.0]], dtype=torch.float64)
i = torch.tensor([[1, 2, 3], [4, 5, 6]])
m = torch.tensor([[True, False, True], [False, False, True]])
s0 = torch.tensor(2.5, dtype=torch.float64)
si0 = torch.tensor(7)
t = torch.tensor([[0.2, -1.0, 2.0], [3.0, 0.5, 1.0]])
p = torch.tensor([[0.9, 0.1, 0.5], [0.0, 1.0, 0.3]])
c = torch.tensor([2, 0])
w = torch.tensor([0.5, 2.0, 1.0])
x3 = torch.tensor([[[1.0, 2.0], [3.0, 4.0]], [[0.5, -1.0], [2.0, 0.25]]], requires_grad=True)
big = torch.tensor([[1000.0, 0.0, -1000.0]])

CASES = [
    # dtype promotion (result_type with wrapped numbers and 0-dim tensors)
    ("int_plus_float", "i + 1.5"),
    ("int_plus_int", "i + 2"),
    ("int_plus_0dim_double", "i + s0"),
    ("int_times_0dim_int", "i * si0"),
    ("float_plus_0dim_double", "t + s0"),
    ("float_plus_0dim_int", "t + si0"),
    ("0dim_int_plus_float", "si0 + 2.5"),
    ("0dim_double_times_int", "s0 * 2"),
    ("double_plus_float", "d + t"),
    ("int_div_int", "i / 2"),
    ("int_floordiv", "i // 4"),
    ("int_mod", "i % 4"),
    ("int_pow", "i ** 2"),
    ("bool_plus_bool", "m + m"),
    ("bool_plus_int", "m + 1"),
    ("bool_times_float", "m * 1.5"),
    ("bool_plus_int_tensor", "m + i"),
    ("int_gt", "i > 2"),
    ("float_eq_int", "t == i"),
    ("int_sum", "i.sum()"),
    ("bool_sum", "m.sum()"),
    ("int_neg", "-i"),
    ("int_exp", "i.exp()"),
    ("float_to_long", "t.long()"),
    ("double_to_float", "d.float()"),
    ("int_to_bool", "i.bool()"),
    ("where_mixed", "torch.where(m, i, 0.5)"),
    ("cat_mixed", "torch.cat([i, t])"),
    # elementwise forward values and grad_fn names
    ("add", "a + b"),
    ("sub", "a - b"),
    ("mul", "a * b"),
    ("div", "a / b"),
    ("rsub", "1 - a"),
    ("rdiv", "1 / a"),
    ("pow_scalar", "a ** 2"),
    ("pow_half", "a.abs() ** 0.5"),
    ("pow_tensor", "b.abs() ** b"),
    ("pow_scalar_base", "2 ** a"),
    ("neg", "-a"),
    ("abs", "a.abs()"),
    ("exp", "a.exp()"),
    ("log", "a.log()"),
    ("log1p", "a.log1p()"),
    ("sqrt", "a.sqrt()"),
    ("sin", "a.sin()"),
    ("cos", "a.cos()"),
    ("tanh", "a.tanh()"),
    ("sigmoid", "a.sigmoid()"),
    ("relu", "a.relu()"),
    ("sign", "a.sign()"),
    ("round", "a.round()"),
    ("clamp", "a.clamp(-1, 1)"),
    ("clamp_min", "a.clamp(min=0)"),
    ("maximum", "torch.maximum(a, b)"),
    ("minimum", "torch.minimum(a, b)"),
    ("where", "torch.where(a > 0, a, b)"),
    ("to_double", "a.double()"),
    ("clone", "a.clone()"),
    ("detach", "a.detach()"),
    # reductions
    ("sum", "a.sum()"),
    ("sum_dim", "a.sum(1)"),
    ("sum_keepdim", "a.sum(0, keepdim=True)"),
    ("mean", "a.mean()"),
    ("mean_dim", "a.mean(1)"),
    ("prod", "a.prod()"),
    ("prod_dim", "a.prod(1)"),
    ("max", "a.max()"),
    ("min", "a.min()"),
    ("max_dim_values", "a.max(1).values"),
    ("max_dim_indices", "a.max(1).indices"),
    ("min_dim_values", "a.min(0).values"),
    ("argmax", "a.argmax()"),
    ("var", "a.var()"),
    ("var_dim_biased", "a.var(1, unbiased=False)"),
    ("std", "a.std()"),
    ("std_dim", "a.std(0)"),
    ("norm", "a.norm()"),
    ("norm_1", "a.norm(p=1)"),
    ("norm_inf", "a.norm(p=float('inf'))"),
    ("norm_3_dim", "a.norm(p=3, dim=1)"),
    ("logsumexp", "a.logsumexp(1)"),
    ("all", "m.all()"),
    ("any_dim", "m.any(1)"),
    # linear algebra
    ("mv", "a @ b"),
    ("mm", "a @ a.T"),
    ("dot", "b @ b"),
    ("vec_mat", "b @ a.T"),
    ("bmm", "torch.bmm(x3, x3)"),
    ("matmul_batched", "x3 @ x3[0]"),
    ("linear", "F.linear(a, a, a[0, :2])"),
    ("outer", "torch.outer(b, b)"),
    # shape ops
    ("view", "a.view(3, 2)"),
    ("reshape", "a.reshape(-1)"),
    ("reshape_copy", "a.T.reshape(6)"),
    ("unsqueeze", "a.unsqueeze(0)"),
    ("squeeze", "a.unsqueeze(0).squeeze()"),
    ("squeeze_dim", "a.unsqueeze(0).squeeze(0)"),
    ("permute", "a.permute(1, 0)"),
    ("transpose", "a.transpose(0, 1)"),
    ("t", "a.t()"),
    ("T", "a.T"),
    ("expand", "b.expand(2, 3)"),
    ("repeat", "b.repeat(2, 1)"),
    ("cat", "torch.cat([a, a], 1)"),
    ("stack", "torch.stack([b, b])"),
    ("flatten", "x3.flatten()"),
    ("select", "a[1]"),
    ("select_col", "a[:, 1]"),
    ("slice_step", "a[:, ::2]"),
    ("index_int", "a[[1, 0, 1]]"),
    ("index_cols", "a[:, [2, 0]]"),
    ("index_mask", "a[a > 0]"),
    ("index_none", "b[None]"),
    ("chunk_last", "a.chunk(2, 1)[1]"),
    ("softmax", "F.softmax(a, dim=1)"),
    ("log_softmax", "F.log_softmax(a, dim=1)"),
    ("log_softmax_big", "F.log_softmax(big, dim=1)"),
    ("softmax_big", "F.softmax(big, dim=1)"),
    # losses
    ("mse", "F.mse_loss(a, t)"),
    ("mse_sum", "F.mse_loss(a, t, reduction='sum')"),
    ("mse_none", "F.mse_loss(a, t, reduction='none')"),
    ("l1", "F.l1_loss(a, t)"),
    ("l1_none", "F.l1_loss(a, t, reduction='none')"),
    ("huber", "F.huber_loss(a, t, delta=0.8)"),
    ("smooth_l1", "F.smooth_l1_loss(a, t, beta=0.5)"),
    ("smooth_l1_sum", "F.smooth_l1_loss(a, t, reduction='sum')"),
    ("bce", "F.binary_cross_entropy(a.sigmoid(), p)"),
    ("bce_none", "F.binary_cross_entropy(p, t.sigmoid(), reduction='none')"),
    ("bce_logits", "F.binary_cross_entropy_with_logits(a, p)"),
    ("bce_logits_sum", "F.binary_cross_entropy_with_logits(a, p, reduction='sum')"),
    ("nll", "F.nll_loss(F.log_softmax(a, 1), c)"),
    ("nll_weight", "F.nll_loss(F.log_softmax(a, 1), c, weight=w)"),
    ("nll_none", "F.nll_loss(F.log_softmax(a, 1), c, reduction='none')"),
    ("nll_ignore", "F.nll_loss(F.log_softmax(a, 1), torch.tensor([2, -100]))"),
    ("ce", "F.cross_entropy(a, c)"),
    ("ce_sum", "F.cross_entropy(a, c, reduction='sum')"),
    ("ce_none", "F.cross_entropy(a, c, reduction='none')"),
    ("ce_weight", "F.cross_entropy(a, c, weight=w)"),
    ("ce_smoothing", "F.cross_entropy(a, c, label_smoothing=0.1)"),
    ("ce_weight_smoothing", "F.cross_entropy(a, c, weight=w, label_smoothing=0.2)"),
    ("ce_weight_smoothing_none", "F.cross_entropy(a, c, weight=w, label_smoothing=0.2, reduction='none')"),
    ("ce_probs", "F.cross_entropy(a, F.softmax(t, 1))"),
    ("ce_probs_smoothing", "F.cross_entropy(a, F.softmax(t, 1), label_smoothing=0.3)"),
    ("ce_probs_weight_none", "F.cross_entropy(a, F.softmax(t, 1), weight=w, reduction='none')"),
    ("ce_1d", "F.cross_entropy(b, torch.tensor(1))"),
    ("ce_1d_probs", "F.cross_entropy(b, torch.tensor([0.2, 0.3, 0.5]))"),
    ("ce_big_logit", "F.cross_entropy(big, torch.tensor([2]))"),
    ("ce_ignore", "F.cross_entropy(a, torch.tensor([-100, 1]))"),
    # errors
    ("err_broadcast", "a + torch.ones(4)"),
    ("err_mm_shapes", "a @ a"),
    ("err_mm_shapes_mm", "torch.mm(a, b.unsqueeze(1).T)"),
    ("err_linear_shapes", "F.linear(a, torch.ones(2, 2))"),
    ("err_mv_shapes", "a @ torch.ones(2)"),
    ("err_dim_range", "a.sum(2)"),
    ("err_dim_range_neg", "a.softmax(-3)"),
    ("err_index_range", "a[5]"),
    ("err_index_range_col", "a[:, 3]"),
    ("err_index_tensor_range", "a[[0, 2]]"),
    ("err_too_many_indices", "a[0, 0, 0]"),
    ("err_view_size", "a.view(4)"),
    ("err_view_two_infer", "a.reshape(-1, -1)"),
    ("err_view_noncontig", "a.T.view(6)"),
    ("err_mean_int", "i.mean()"),
    ("err_mm_dtype", "torch.mm(i, t.T)"),
    ("err_dot_dtype", "b.dot(i[0])"),
    ("err_cat_dims", "torch.cat([a, b])"),
    ("err_cat_sizes", "torch.cat([a, a.T])"),
    ("err_stack_sizes", "torch.stack([a, a.T])"),
    ("err_expand", "b.expand(2, 4)"),
    ("err_permute_dup", "a.permute(0, 0)"),
    ("err_t_3d", "x3.t()"),
    ("err_bmm_2d", "torch.bmm(a, a)"),
    ("err_matmul_0d", "s0 @ s0"),
    ("err_ce_target_range", "F.cross_entropy(a, torch.tensor([0, 5]))"),
    ("err_ce_batch", "F.cross_entropy(a, torch.tensor([0, 1, 2]))"),
    ("err_nll_float_target", "F.nll_loss(a, t[0, :2])"),
    ("err_mse_dtype", "F.mse_loss(a, i)"),
    ("err_bce_range", "F.binary_cross_entropy(a, p)"),
    ("err_bce_shape", "F.binary_cross_entropy(p, p[0])"),
    ("err_clamp_none", "a.clamp()"),
    ("err_where_cond", "torch.where(i, a, b)"),
    ("err_sub_bool", "m - m"),
    ("err_neg_bool", "-m"),
    ("err_int_neg_pow", "i ** -1"),
    ("err_requires_grad_int", "i.float().long().requires_grad_()"),
    ("err_backward_nonscalar", "a.exp().backward()"),
    ("err_max_empty", "torch.ones(0).max()"),
    ("err_item", "a.item()"),
    ("err_linear_bias_shapes", "F.linear(a, torch.ones(2, 2), torch.ones(2))"),
    ("err_mse_int", "F.mse_loss(i, i)"),
    ("mse_double_target", "F.mse_loss(a, d)"),
    ("l1_int_target", "F.l1_loss(a, i)"),
    ("huber_int_target", "F.huber_loss(a, i)"),
    ("err_bce_int_target", "F.binary_cross_entropy(a.sigmoid(), i)"),
    ("err_var_int", "i.var()"),
    ("err_norm_int", "i.norm()"),
    ("err_ce_float_target_shape", "F.cross_entropy(a, torch.tensor([0.0, 1.0]))"),
    ("err_ce_weight_size", "F.cross_entropy(a, c, weight=torch.ones(4))"),
    ("err_ce_smoothing_range", "F.cross_entropy(a, c, label_smoothing=1.5)"),
    ("err_softmax_int", "F.softmax(i, 1)"),
    ("logsumexp_int", "i.logsumexp(1)"),
    ("matmul_3d_3d", "x3 @ x3"),
    ("matmul_3d_1d", "x3 @ b[:2]"),
    ("matmul_1d_3d", "b[:2] @ x3"),
    ("matmul_2d_3d", "x3[0] @ x3"),
    ("split", "a.split(2, 1)[1]"),
    ("split_sizes", "a.split([1, 2], 1)[0]"),
    ("narrow", "a.narrow(1, 1, 2)"),
    ("t_1d", "b.t()"),
    ("err_backward_no_grad", "i.sum().backward()"),
    ("compare_no_grad", "(a > 0).float()"),
    ("remainder", "a % 2"),
    ("floordiv_float", "a // 2"),
]

ENV = dict(torch=torch, F=F, a=a, b=b, d=d, i=i, m=m, s0=s0, si0=si0, t=t, p=p, c=c, w=w, x3=x3, big=big)

out = []
for name, expr in CASES:
    try:
        r = eval(expr, ENV)
        out.append(dict(name=name, expr=expr, repr=repr(r)))
    except Exception as e:  # noqa: BLE001 - the exception is the golden
        out.append(dict(name=name, expr=expr, error=type(e).__name__, message=str(e)))

# Backward through a freed graph.
y = (a * b).sum()
y.backward()
try:
    y.backward()
except RuntimeError as e:
    out.append(dict(name="err_second_backward", expr="y = (a * b).sum(); y.backward(); y.backward()",
                    error="RuntimeError", message=str(e)))

print(json.dumps(out, indent=1))

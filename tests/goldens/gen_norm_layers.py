"""Goldens for tests/norm_layers_goldens.rs: nn.Embedding, nn.LayerNorm and
F.dropout as PyTorch 2.15 (CPU, AMD: ATen's default bernoulli kernel) computes
them. Float32 values are stored as their bits, float64 ones as numbers.

Run: /tmp/torch/bin/python tests/goldens/gen_norm_layers.py > tests/goldens/norm_layers.json
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def bits(t):
    return [int(x) for x in t.detach().contiguous().view(torch.int32).flatten().tolist()]


def embedding_cases():
    out = []
    for num, dim, padding, indices in [
        (10, 3, None, [[1, 2, 4], [4, 3, 9]]),
        (5, 2, 0, [0, 1, 0, 3, 3]),
        (7, 4, -2, [[5, 5], [6, 0], [2, 5]]),
        (3, 20, None, [2, 0, 2]),
    ]:
        torch.manual_seed(0)
        emb = nn.Embedding(num, dim, padding_idx=padding)
        idx = torch.tensor(indices)
        y = emb(idx)
        upstream = torch.linspace(-1.5, 2.0, y.numel()).reshape(y.shape)
        (y * upstream).sum().backward()
        out.append({
            "call": f"torch.manual_seed(0); nn.Embedding({num}, {dim}, padding_idx={padding})(torch.tensor({indices})), backward of (y * linspace(-1.5, 2, numel)).sum()",
            "num": num, "dim": dim, "padding_idx": padding,
            "indices": idx.flatten().tolist(), "index_shape": list(idx.shape),
            "weight": bits(emb.weight), "output": bits(y), "upstream": bits(upstream),
            "grad": bits(emb.weight.grad),
        })
    return out


def layer_norm_cases():
    out = []
    for seed, shape, norm, eps, affine in [
        (1, [2, 3, 4], [4], 1e-5, True),
        (2, [5, 8], [8], 1e-5, False),
        (3, [2, 3, 5], [3, 5], 1e-3, True),
        (4, [3, 33], [33], 1e-5, True),
        (5, [4, 6], [6], 0.1, True),
        (6, [3, 250], [250], 1e-5, True),
    ]:
        torch.manual_seed(seed)
        x = (torch.randn(shape) * 3 + 1).requires_grad_()
        w = torch.randn(norm).requires_grad_() if affine else None
        b = torch.randn(norm).requires_grad_() if affine else None
        upstream = torch.randn(shape)
        y = F.layer_norm(x, norm, w, b, eps)
        (y * upstream).sum().backward()
        case = {
            "call": f"torch.manual_seed({seed}); x = randn({shape}) * 3 + 1; w, b = randn({norm}) (affine={affine}); y = F.layer_norm(x, {norm}, w, b, {eps}); (y * randn).sum().backward()",
            "shape": shape, "normalized_shape": norm, "eps": eps,
            "x": bits(x), "upstream": bits(upstream), "output": bits(y), "grad_x": bits(x.grad),
        }
        if affine:
            case.update(weight=bits(w), bias=bits(b), grad_weight=bits(w.grad), grad_bias=bits(b.grad))
        out.append(case)
    return out


def dropout_cases():
    out = []
    for seed, n, p, dtype in [
        (0, 20, 0.5, torch.float32),
        (0, 5, 0.3, torch.float64),
        (1, 801, 0.2, torch.float32),
        (2, 5000, 0.5, torch.float32),
        (3, 1200, 0.9, torch.float64),
    ]:
        torch.manual_seed(seed)
        y = F.dropout(torch.ones(n, dtype=dtype), p)
        after = torch.rand(4)
        out.append({
            "call": f"torch.manual_seed({seed}); F.dropout(torch.ones({n}, dtype={dtype}), {p}); torch.rand(4)",
            "seed": seed, "n": n, "p": p, "float64": dtype == torch.float64,
            "output": y.tolist(), "rand_after": bits(after),
        })
    return out


print(json.dumps({
    "embedding": embedding_cases(),
    "layer_norm": layer_norm_cases(),
    "dropout": dropout_cases(),
}))

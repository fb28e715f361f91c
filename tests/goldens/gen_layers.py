"""Goldens for tests/layers_goldens.rs: Conv2d, MaxPool2d, RNNCell and RNN
in PyTorch 2.15 (CPU) at full precision.

Run: /tmp/torch/bin/python tests/goldens/gen_layers.py > tests/goldens/layers.json
Each case's "call" is the PyTorch call that produced it. Inputs are drawn
here and stored, so the test needs no random numbers except the modules'
own initialisation (`torch.manual_seed(seed)` then the constructor). Each
backward is of `(out * gout).sum()` with the stored `gout`.
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1234)


def num(v):
    """JSON has no NaN or infinity: those are stored as strings."""
    return v if v == v and abs(v) != float("inf") else str(v)


def t(x):
    return {"shape": list(x.shape), "data": [num(v) for v in x.detach().flatten().tolist()]}


def leaf(*shape):
    return torch.randn(*shape, requires_grad=True)


def grads_of(out, *wrt):
    gout = torch.randn(out.shape)
    (out * gout).sum().backward()
    return t(gout), [t(w.grad) for w in wrt]


conv = []
for x_shape, w_shape, bias, stride, padding in [
    ((1, 1, 5, 5), (2, 1, 3, 3), True, (1, 1), (0, 0)),
    ((2, 3, 6, 5), (4, 3, 3, 2), True, (2, 1), (1, 2)),
    ((3, 4, 4), (2, 3, 2, 2), False, (1, 2), (1, 0)),
    ((2, 8, 9, 9), (6, 8, 3, 3), True, (1, 1), (1, 1)),
]:
    x, w = leaf(*x_shape), leaf(*w_shape)
    b = leaf(w_shape[0]) if bias else None
    out = F.conv2d(x, w, b, stride=stride, padding=padding)
    gout, grads = grads_of(out, *[v for v in (x, w, b) if v is not None])
    conv.append({
        "call": f"F.conv2d(x{list(x_shape)}, w{list(w_shape)}, {'b' if bias else 'None'}, stride={stride}, padding={padding})",
        "x": t(x), "w": t(w), "b": t(b) if bias else None,
        "stride": list(stride), "padding": list(padding),
        "out": t(out), "gout": gout, "grads": grads,
    })

pool = []
for x, kernel, stride, padding in [
    (torch.randn(1, 2, 4, 5), (2, 2), None, (0, 0)),
    (torch.randn(2, 5, 5), (3, 2), (1, 2), (1, 1)),
    # Ties: PyTorch routes the gradient to the first max in scan order.
    (torch.tensor([[[1.0, 3.0, 3.0], [3.0, 2.0, 1.0], [0.0, 3.0, 3.0]]]), (2, 2), (1, 1), (0, 0)),
    (torch.tensor([[[1.0, float("nan"), 2.0, float("-inf")], [float("nan"), 0.0, float("-inf"), float("-inf")]]]), (2, 2), None, (0, 0)),
]:
    x = x.clone().requires_grad_(True)
    out = F.max_pool2d(x, kernel, stride=stride, padding=padding)
    gout, grads = grads_of(out, x)
    pool.append({
        "call": f"F.max_pool2d(x{list(x.shape)}, {kernel}, stride={stride}, padding={padding})",
        "x": t(x), "kernel": list(kernel), "stride": list(stride) if stride else None,
        "padding": list(padding), "out": t(out), "gout": gout, "grads": grads,
    })

cells = []
for seed, inp, hid, bias, act, x_shape, with_h in [
    (0, 3, 4, True, "tanh", (2, 3), True),
    (1, 5, 3, False, "relu", (4, 5), False),
    (2, 2, 6, True, "tanh", (2,), True),
]:
    torch.manual_seed(seed)
    cell = nn.RNNCell(inp, hid, bias=bias, nonlinearity=act)
    params = [[n, t(p)] for n, p in cell.named_parameters()]
    torch.manual_seed(100 + seed)
    x = leaf(*x_shape)
    h = leaf(*(x_shape[:-1] + (hid,))) if with_h else None
    out = cell(x, h)
    gout, grads = grads_of(out, x, *([h] if with_h else []), *cell.parameters())
    cells.append({
        "call": f"torch.manual_seed({seed}); nn.RNNCell({inp}, {hid}, bias={bias}, nonlinearity='{act}')(x{list(x_shape)}, {'h' if with_h else 'None'})",
        "seed": seed, "input_size": inp, "hidden_size": hid, "bias": bias, "nonlinearity": act,
        "params": params, "x": t(x), "h": t(h) if with_h else None,
        "out": t(out), "gout": gout, "grads": grads,
    })

rnns = []
for seed, inp, hid, layers, act, batch_first, x_shape, with_h in [
    (0, 3, 4, 1, "tanh", False, (5, 2, 3), False),
    (1, 3, 2, 2, "relu", True, (2, 4, 3), True),
    (2, 4, 3, 1, "tanh", False, (6, 4), True),
]:
    torch.manual_seed(seed)
    rnn = nn.RNN(inp, hid, num_layers=layers, nonlinearity=act, batch_first=batch_first)
    params = [[n, t(p)] for n, p in rnn.named_parameters()]
    torch.manual_seed(100 + seed)
    x = leaf(*x_shape)
    batched = len(x_shape) == 3
    h_shape = (layers, x_shape[0 if batch_first else 1], hid) if batched else (layers, hid)
    h = leaf(*h_shape) if with_h else None
    out, h_n = rnn(x, h)
    both = torch.cat([out.flatten(), h_n.flatten()])
    gout, grads = grads_of(both, x, *([h] if with_h else []), *rnn.parameters())
    rnns.append({
        "call": f"torch.manual_seed({seed}); nn.RNN({inp}, {hid}, num_layers={layers}, nonlinearity='{act}', batch_first={batch_first})(x{list(x_shape)}, {'h0' if with_h else 'None'}); backward of cat(out, h_n)",
        "seed": seed, "input_size": inp, "hidden_size": hid, "num_layers": layers,
        "nonlinearity": act, "batch_first": batch_first,
        "params": params, "x": t(x), "h": t(h) if with_h else None,
        "out": t(out), "h_n": t(h_n), "gout": gout, "grads": grads,
    })

torch.manual_seed(0)
c = nn.Conv2d(1, 2, 3)
torch.manual_seed(7)
c2 = nn.Conv2d(3, 5, (2, 4), bias=True)
init = [
    {"call": "torch.manual_seed(0); nn.Conv2d(1, 2, 3)", "seed": 0, "in": 1, "out": 2, "kernel": [3, 3],
     "weight": t(c.weight), "bias": t(c.bias)},
    {"call": "torch.manual_seed(7); nn.Conv2d(3, 5, (2, 4))", "seed": 7, "in": 3, "out": 5, "kernel": [2, 4],
     "weight": t(c2.weight), "bias": t(c2.bias)},
]

w = torch.randn(2, 1, 3, 3)
error_calls = [
    "F.conv2d(torch.randn(2, 3), w)",
    "F.conv2d(torch.randn(1, 3, 4, 4), w)",
    "F.conv2d(torch.randn(1, 1, 2, 2), w)",
    "F.conv2d(torch.randn(1, 1, 4, 4).double(), w)",
    "F.conv2d(torch.randn(1, 1, 4, 4), w, torch.randn(3))",
    "F.conv2d(torch.randn(1, 1, 4, 4), w, stride=0)",
    "F.conv2d(torch.randn(1, 1, 4, 4), w, padding=-1)",
    "F.conv2d(torch.randn(1, 1, 4, 4), torch.randn(2, 3))",
    "F.max_pool2d(torch.randn(1, 1, 4, 4), 2, padding=2)",
    "F.max_pool2d(torch.randn(1, 1, 1, 1), 2)",
    "F.max_pool2d(torch.randn(4, 4), 2)",
    "F.max_pool2d(torch.randn(1, 1, 4, 4), 2, stride=0)",
    "F.max_pool2d(torch.randn(1, 4, 4), 0)",
    "F.max_pool2d(torch.randn(1, 4, 4), -1)",
    "nn.RNNCell(3, 4)(torch.randn(2, 5))",
    "nn.RNNCell(3, 4)(torch.randn(2, 3), torch.randn(3, 4))",
    "nn.RNNCell(3, 4)(torch.randn(2, 3, 3))",
    "nn.RNN(3, 4)(torch.randn(5, 2, 7))",
    "nn.RNN(3, 4)(torch.randn(5, 2, 3), torch.randn(1, 3, 4))",
    "nn.RNN(3, 4)(torch.randn(2, 3, 4, 3))",
    "nn.RNN(3, 4)(torch.randn(5, 3), torch.randn(1, 2, 4))",
    "nn.RNN(3, 4, nonlinearity='foo')",
]
errors = []
for call in error_calls:
    try:
        eval(call)
        raise AssertionError(call + " did not raise")
    except (RuntimeError, ValueError) as e:
        errors.append({"call": call, "class": type(e).__name__, "message": str(e)})

print(json.dumps({"errors": errors, "conv2d": conv, "max_pool2d": pool, "rnn_cell": cells, "rnn": rnns, "conv2d_init": init}))

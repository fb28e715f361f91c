"""Goldens for tests/optim_goldens.rs: SGD / Adam trajectories and a tiny
training loop, float32 bits as PyTorch 2.15 (CPU) computes them.

Run: /tmp/torch/bin/python tests/goldens/gen_optim.py > tests/goldens/optim.json
"""
import json
import math

import torch

torch.set_num_threads(1)


def bits(t):
    return [int(x) for x in t.detach().contiguous().view(torch.int32).flatten().tolist()]


def grads_for(step, shape):
    n = math.prod(shape)
    vals = [math.sin(0.7 * i + 1.3 * step + 0.1) * (1.0 + 0.5 * step) for i in range(n)]
    return torch.tensor(vals, dtype=torch.float32).reshape(shape)


P0 = {
    "w": torch.tensor([[0.31, -1.7], [2.05, 0.0077], [-0.42, 1.13]], dtype=torch.float32),
    "b": torch.tensor([0.5, -0.25, 3.3], dtype=torch.float32),
}

SGD = [
    dict(lr=0.1),
    dict(lr=0.1, momentum=0.9),
    dict(lr=0.05, momentum=0.9, dampening=0.3),
    dict(lr=0.1, momentum=0.9, nesterov=True),
    dict(lr=0.1, momentum=0.8, weight_decay=0.01),
    dict(lr=0.03, momentum=0.7, weight_decay=0.1, nesterov=True),
    dict(lr=0.1, weight_decay=0.05),
]
ADAM = [
    dict(),
    dict(lr=0.1, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01),
    dict(lr=0.01, betas=(0.3, 0.9)),
]
STEPS = 6


def trajectory(kind, opts):
    ps = [torch.nn.Parameter(P0[k].clone()) for k in ("w", "b")]
    opt = (torch.optim.SGD if kind == "sgd" else torch.optim.Adam)(ps, **opts)
    grads, after = [], []
    for step in range(STEPS):
        gs = [grads_for(step, p.shape) for p in ps]
        # The second parameter has no grad on step 2: Adam counts steps per parameter.
        for p, g in zip(ps, gs):
            p.grad = None if (p is ps[1] and step == 2) else g
        grads.append([bits(g) if p.grad is not None else None for p, g in zip(ps, gs)])
        opt.step()
        after.append([bits(p) for p in ps])
    call = f"torch.optim.{'SGD' if kind == 'sgd' else 'Adam'}(params, **{opts}).step()"
    return dict(kind=kind, options=opts, call=call, grads=grads, params=after)


def linreg(kind):
    torch.manual_seed(42)
    model = torch.nn.Linear(1, 1)
    init = [bits(model.weight), bits(model.bias)]
    x = (torch.arange(100, dtype=torch.float32) / 100).unsqueeze(1)
    y = 3 * x + 2
    opt = torch.optim.SGD(model.parameters(), lr=0.1) if kind == "sgd" else torch.optim.Adam(model.parameters(), lr=0.05)
    loss_fn = torch.nn.MSELoss()
    losses, params = [], []
    for _ in range(15):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        losses.append(bits(loss)[0])
        params.append([bits(model.weight), bits(model.bias)])
    return dict(
        kind=kind,
        call="torch.manual_seed(42); nn.Linear(1, 1); MSELoss; " + ("SGD(lr=0.1)" if kind == "sgd" else "Adam(lr=0.05)"),
        init=init, x=bits(x), y=bits(y), losses=losses, params=params,
    )


def linear_init():
    out = []
    for seed, fan_in, fan_out in [(0, 3, 2), (42, 1, 1), (7, 5, 4)]:
        torch.manual_seed(seed)
        m = torch.nn.Linear(fan_in, fan_out)
        out.append(dict(seed=seed, in_features=fan_in, out_features=fan_out,
                        call=f"torch.manual_seed({seed}); torch.nn.Linear({fan_in}, {fan_out})",
                        weight=bits(m.weight), bias=bits(m.bias)))
    return out


print(json.dumps(dict(
    p0={k: bits(v) for k, v in P0.items()},
    shapes={k: list(v.shape) for k, v in P0.items()},
    trajectories=[trajectory("sgd", o) for o in SGD] + [trajectory("adam", o) for o in ADAM],
    linreg=[linreg("sgd"), linreg("adam")],
    linear_init=linear_init(),
)))

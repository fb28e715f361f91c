"""PyTorch's numbers for benches/tensor.rs: the same work, timed with timeit.

Run: /tmp/torch/bin/python benches/pytorch/bench.py [threads]
"""
import sys
import timeit

import torch

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)


def best(stmt, number):
    """Seconds per call: the best of 5 repeats of `number` calls."""
    return min(timeit.repeat(stmt, number=number, repeat=5)) / number


n = 1024
a, b = torch.rand(n, n), torch.rand(n, n)
t = best(lambda: a @ b, 20)
print(f"matmul f32 1024x1024: {t * 1e3:.2f} ms = {2 * n**3 / t / 1e9:.1f} GFLOP/s")

x = torch.arange(12, dtype=torch.float32).reshape(4, 3) * 0.25
y = 1 - torch.arange(12, dtype=torch.float32).reshape(4, 3) * 0.5
for name, f in [("add", lambda: x + y), ("mul", lambda: x * y), ("sum", lambda: x.sum())]:
    print(f"op on 4x3 {name}: {best(f, 100000) * 1e6:.2f} us")

torch.manual_seed(42)
model = torch.nn.Linear(1, 1)
xs = (torch.arange(100, dtype=torch.float32) / 100).unsqueeze(1)
ys = 3 * xs + 2
opt = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = torch.nn.MSELoss()


def step():
    opt.zero_grad()
    loss = loss_fn(model(xs), ys)
    loss.backward()
    opt.step()


print(f"linear regression step: {best(step, 20000) * 1e6:.2f} us")

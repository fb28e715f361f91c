"""PyTorch's side of benches/interp.rs: import cost and the cost of one
linreg_fit training step (median of repeated runs). Run with the Python that
has torch installed: python benches/pytorch/interp.py"""
import statistics
import subprocess
import sys
import time

runs = []
for _ in range(5):
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import torch"], check=True)
    runs.append(time.perf_counter() - t)
print(f"python -c 'import torch': median {statistics.median(runs) * 1e3:.0f} ms")

import torch  # noqa: E402

torch.manual_seed(0)
X = torch.rand(100, 1) * 10
y = 2 * X + 1 + torch.randn(100, 1) * 0.5
model = torch.nn.Linear(1, 1)
loss_fn = torch.nn.MSELoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01)


def steps(n):
    for _ in range(n):
        pred = model(X)
        loss = loss_fn(pred, y)
        opt.zero_grad()
        loss.backward()
        opt.step()


samples = []
for _ in range(15):
    t = time.perf_counter()
    steps(200)
    samples.append((time.perf_counter() - t) / 200)
print(f"linreg_fit step (200-step runs): median {statistics.median(samples) * 1e6:.1f} us")

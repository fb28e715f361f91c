"""Writes tanh.txt: float32 tanh from real PyTorch (torch 2.15, CPU) for
tests/vecmath_goldens.rs's `tanh_as_pytorch` test.

Run:  /tmp/torch/bin/python tests/goldens/gen_tanh.py > tests/goldens/tanh.txt

Each line is `<x hex> <y hex>` (IEEE bit patterns), y = torch.tanh(x) for one
contiguous float32 tensor of all the inputs (MKL's vmsTanh in PyTorch's
builds): edge cases, then 3 * randn and log-uniform magnitudes of both signs.
"""
import numpy as np
import torch


def main():
    rng = np.random.default_rng(11)
    edges = [0.0, -0.0, 1e-45, -1e-45, 1e-38, 2e-4, 0.00390625, 0.0039062,
             0.5, 1.0, 8.9, 9.01, 9.02, 9.1, 9.2, 20.0, 1e30,
             float("inf"), float("-inf"), float("nan")]
    normal = 3 * rng.standard_normal(20000)
    magnitude = np.exp(rng.uniform(np.log(1e-6), np.log(12.0), 10000))
    signs = rng.choice([-1.0, 1.0], 10000)
    x = np.concatenate([edges, normal, magnitude * signs]).astype(np.float32)
    y = torch.tanh(torch.from_numpy(x)).numpy()
    for a, b in zip(x.view(np.uint32), y.view(np.uint32)):
        print(f"{a:08x} {b:08x}")


main()

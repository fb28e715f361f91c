"""Goldens for the float sum order (src/tensor/summation.rs): torch.sum and
torch.mean of float32 and float64 vectors of many lengths, as exact bits.

Run: /tmp/torch/bin/python tests/goldens/gen_sums.py > tests/goldens/sums.json
"""
import json

import torch

torch.set_num_threads(1)
out = []
for n in list(range(1, 70)) + [100, 127, 128, 255, 256, 257, 500, 1000, 1024, 2000]:
    for dtype, bits in [(torch.float32, torch.int32), (torch.float64, torch.int64)]:
        g = torch.Generator().manual_seed(n)
        x = torch.randn(n, generator=g, dtype=dtype) * 10
        out.append(dict(
            call=f"x = torch.randn({n}, dtype={dtype}) * 10; x.sum(), x.mean()",
            dtype=str(dtype), x=x.view(bits).tolist(),
            sum=x.sum().view(bits).item(), mean=x.mean().view(bits).item(),
        ))
print(json.dumps(out))

"""Regenerates tensor_repr.json with real PyTorch (run: /tmp/torch/bin/python gen_torch.py).

Each record holds the Python expression (`call`), the tensor's shape, dtype and
flat row-major elements (as strings, so nan/inf/-0.0 survive JSON), its grad_fn
name / requires_grad, the device suffix if any, and `repr`: exactly what
`repr(eval(call))` (what print shows) returned.

Summarized tensors (over 1000 elements) keep only the elements PyTorch shows:
`shown` lists their flat indices (from torch's own get_summarized_data) and
`data` their values; the test fills the other elements with junk, which must
not change the output.
"""
import json
import math
import random

import torch
import torch._tensor_str as tensor_str

CASES = [
    # mixed magnitudes and the sci-mode boundaries
    "torch.tensor([1e-3, 1.0, 1000.0])",
    "torch.tensor([0.001, 1.0, 1.001])",
    "torch.tensor([1e-4, 1.0])",
    "torch.tensor([1e-4])",
    "torch.tensor([1e-4], dtype=torch.float64)",
    "torch.tensor([5e-5])",
    "torch.tensor([0.00009999, 0.05])",
    "torch.tensor([0.0001, 0.05], dtype=torch.float64)",
    "torch.tensor([0.0002, 0.05])",
    "torch.tensor([1e-4, 1.0], dtype=torch.float64)",
    "torch.tensor([0.0001, 0.1], dtype=torch.float64)",
    "torch.tensor([0.00011, 0.1])",
    "torch.tensor([1.0, 1000.0])",
    "torch.tensor([1.0, 1000.5])",
    "torch.tensor([1.0, 1001.0])",
    "torch.tensor([0.5, 500.0])",
    "torch.tensor([0.5, 500.5])",
    "torch.tensor([100000000.0])",
    "torch.tensor([100000008.0])",
    "torch.tensor([1.5e8, 2e8])",
    "torch.tensor([123456789.0])",
    "torch.tensor([99999.5, 100.25])",
    "torch.tensor([1., 10., 100.])",
    "torch.tensor([2.00005, 1.0])",
    "torch.tensor([0.00005, 1.0])",
    "torch.tensor([0.1, 0.2, 0.3])",
    "torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64)",
    "torch.tensor(0.1) * 3",
    "torch.tensor([1e-20, 1e20])",
    "torch.tensor([1e-300, 1e300], dtype=torch.float64)",
    "torch.tensor([3.4e38, -3.4e38])",
    # large and negative ints
    "torch.tensor([9223372036854775807, -9223372036854775808, 0])",
    "torch.tensor([-1, 20, -300])",
    "torch.tensor([[-5, 3], [12, -100]])",
    "torch.arange(-5, 5)",
    # nan, inf, -0.
    "torch.tensor([float('nan'), 1.5, -2.25])",
    "torch.tensor([float('nan'), 1., 2.])",
    "torch.tensor([float('nan'), float('inf'), float('-inf')])",
    "torch.tensor([float('nan')])",
    "torch.tensor([float('inf'), 1e10])",
    "torch.tensor([float('-inf'), 1e-10, 5.0])",
    "torch.tensor([0., float('nan')])",
    "torch.tensor([-0., 0.])",
    "torch.tensor([-0.0, 1.5])",
    "torch.tensor([-0.0, 1.0])",
    "torch.tensor([-0.0, 1e-5])",
    "torch.tensor([0.0], dtype=torch.float64)",
    "torch.tensor(-0.)",
    "torch.tensor(float('-inf'))",
    # scalars
    "torch.tensor(True)",
    "torch.tensor(-0.5)",
    "torch.tensor(1e-5)",
    "torch.tensor(1e10)",
    "torch.tensor(3., dtype=torch.float64)",
    "torch.tensor(-12)",
    # alignment, 2-D, 3-D, 4-D, 5-D
    "torch.tensor([[-1.5, 2.0], [3.25, -400.125]])",
    "torch.tensor([[True, False], [False, True]])",
    "torch.arange(24.).reshape(2, 3, 4)",
    "torch.arange(24).reshape(2, 3, 4) - 12",
    "torch.arange(16).reshape(2, 2, 2, 2)",
    "torch.arange(3.).reshape(1, 1, 1, 1, 3) / 7",
    "torch.arange(12.).reshape(3, 1, 4) * -0.5",
    "torch.zeros(1, 2, 0)",
    # line wrapping of elements
    "torch.arange(30.) * 1.5",
    "torch.arange(40)",
    "torch.arange(100) * 1000",
    "torch.arange(25.).reshape(5, 5) ** 3 / 9",
    "torch.linspace(-1, 1, 30)",
    "torch.arange(60.).reshape(2, 30) / 3",
    "torch.arange(60.).reshape(2, 2, 15) / 3",
    # suffixes and their wrapping
    "torch.linspace(0, 1, 20, dtype=torch.float64)",
    "torch.linspace(0, 1, 4, dtype=torch.float64)",
    "torch.arange(7., dtype=torch.float64) / 3",
    "torch.arange(8., dtype=torch.float64) / 3",
    "torch.arange(20., requires_grad=True)",
    "torch.ones(2, 2, requires_grad=True)",
    "torch.tensor(2.5, requires_grad=True)",
    "torch.arange(16., requires_grad=True) * 1.5",
    "torch.arange(5., requires_grad=True) * 1.5",
    "torch.arange(6., requires_grad=True) * 1.5",
    "torch.arange(7., requires_grad=True) / 3",
    "torch.arange(4., dtype=torch.float64, requires_grad=True) / 3",
    "torch.arange(6., dtype=torch.float64, requires_grad=True) / 3",
    "torch.arange(6., requires_grad=True).reshape(2, 3) @ torch.ones(3, 2)",
    "torch.nn.functional.linear(torch.ones(2, 3), torch.arange(6.).reshape(2, 3) / 7, torch.ones(2)).requires_grad_()",
    "torch.addmm(torch.ones(2), torch.ones(2, 3, requires_grad=True), torch.ones(3, 2) / 3)",
    # the last line's length sits right at the wrapping boundary
    "torch.arange(12., dtype=torch.float64) * 33.5",
    "torch.ones(15, 2) @ torch.tensor([0.25, 0.125], requires_grad=True)",
    "torch.full((15,), 0.375, requires_grad=True) * 1.0",
    "torch.zeros(0, 3, requires_grad=True)",
    "torch.tensor([], dtype=torch.float64, requires_grad=True)",
    # empty tensors
    "torch.tensor([])",
    "torch.zeros(0, 3)",
    "torch.zeros(0, dtype=torch.int64)",
    "torch.zeros(2, 0)",
    "torch.tensor([], dtype=torch.bool)",
    "torch.zeros(0, dtype=torch.float64)",
    "torch.zeros(3, 0, 2, dtype=torch.int64)",
    # summarization
    "torch.arange(2000.)",
    "torch.ones(1001)",
    "torch.arange(1200).reshape(40, 30)",
    "torch.arange(1001, dtype=torch.float64)",
    "torch.arange(-500, 600)",
    "torch.arange(3000).reshape(10, 10, 30)",
    "torch.arange(2000).reshape(2, 1000)",
    "torch.arange(1001.).reshape(1001, 1) / 7",
    "torch.arange(1200.).reshape(40, 30) / 7",
    "torch.arange(1200.).reshape(40, 30) * 1e6",
    "torch.zeros(1001, dtype=torch.bool)",
    "torch.arange(1500.) / 7",
    "torch.arange(1500., requires_grad=True) / 7",
    "torch.arange(1001.).reshape(7, 11, 13)",
    "torch.cat([torch.tensor([1e-6]), torch.ones(998), torch.tensor([5.0, 1e6])])",
    "torch.cat([torch.ones(500), torch.full((501,), 1e-6)])",
    "torch.cat([torch.full((500,), float('nan')), torch.arange(501.)])",
]


def element_strings(t):
    flat = t.detach().reshape(-1).tolist()
    if t.dtype.is_floating_point:
        return [repr(float(x)) for x in flat]
    return [str(x) for x in flat]


def record(call, t, device=None):
    shown = None
    data = element_strings(t)
    if t.numel() > tensor_str.PRINT_OPTS.threshold:
        index = torch.arange(t.numel()).reshape(t.shape)
        shown = tensor_str.get_summarized_data(index).reshape(-1).tolist()
        data = [data[i] for i in shown]
    return {
        "call": call,
        "shape": list(t.shape),
        "dtype": str(t.dtype),
        "shown": shown,
        "data": data,
        "device": device,
        "grad_fn": type(t.grad_fn).__name__ if t.grad_fn is not None else None,
        "requires_grad": t.requires_grad,
        "repr": repr(t),
    }


def device_records():
    """Real _str_intern adds device='cpu' when the default device is not cpu;
    pretending the default is cuda exercises the device suffix and its wrapping."""
    original = torch._C._get_default_device
    torch._C._get_default_device = lambda: "cuda"
    try:
        calls = [
            "torch.tensor([1., 2.])",
            "torch.arange(15.) / 3",
            "torch.arange(16., dtype=torch.float64, requires_grad=True) / 3",
            "torch.zeros(0, 3, dtype=torch.int64)",
        ]
        return [record("[default device cuda] " + c, eval(c), device="cpu") for c in calls]
    finally:
        torch._C._get_default_device = original


def random_records(n):
    """Random shapes, dtypes and magnitudes; `call` says how each was drawn."""
    rng = random.Random(7)
    gen = torch.Generator().manual_seed(7)
    records = []
    for k in range(n):
        ndim = rng.choice([0, 1, 1, 2, 2, 3, 4])
        dims = [1, 2, 3, 4, 5, 7, 9] if ndim <= 2 else [1, 2, 3, 4]
        shape = [rng.choice(dims) for _ in range(ndim)]
        if rng.random() < 0.15:
            shape = rng.choice([[1001], [3, 400], [20, 60], [2, 7, 80], [1100, 1], [0, 4], [9, 9, 13]])
        dtype = rng.choice(["float32", "float32", "float32", "float64", "int64", "bool"])
        if dtype == "bool":
            t = torch.rand(shape, generator=gen) < 0.5
            how = "torch.rand(shape) < 0.5"
        elif dtype == "int64":
            hi = 10 ** rng.randint(0, 18)
            t = torch.randint(-hi, hi, shape, generator=gen)
            how = "torch.randint(-%d, %d, shape)" % (hi, hi)
        else:
            scale = 10.0 ** rng.randint(-7, 10)
            t = torch.randn(shape, generator=gen, dtype=getattr(torch, dtype)) * scale
            how = "torch.randn(shape, dtype=torch.%s) * %r" % (dtype, scale)
            if rng.random() < 0.3:
                t = t.round()
                how += ", rounded"
            if rng.random() < 0.3 and t.numel() > 0:
                flat = t.reshape(-1)
                for _ in range(rng.randint(1, 3)):
                    flat[rng.randrange(flat.numel())] = rng.choice([math.nan, math.inf, -math.inf, -0.0, 0.0])
                how += ", with some of nan/inf/-inf/-0./0. put in"
            if rng.random() < 0.3:
                t.requires_grad_()
                how += ", requires_grad"
                if rng.random() < 0.5:
                    t = t * 1
                    how += ", then * 1"
        records.append(record("random #%d: shape %s, %s" % (k, shape, how), t))
    return records


def main():
    records = [record(call, eval(call)) for call in CASES] + device_records() + random_records(300)
    with open("tensor_repr.json", "w") as out:
        out.write('{"torch": %s, "cases": [\n' % json.dumps(torch.__version__))
        out.write(",\n".join(json.dumps(r, ensure_ascii=False) for r in records))
        out.write("\n]}\n")


if __name__ == "__main__":
    main()

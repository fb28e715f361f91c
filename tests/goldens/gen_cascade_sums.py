"""Writes cascade_sums.txt: bit patterns of torch.sum / torch.mean / F.nll_loss on
the CPU, for src/tensor/cascade.rs's tests.

Inputs are not stored: both sides draw them from the same 64-bit LCG (see `draw`).
Run with real PyTorch:  /tmp/torch/bin/python tests/goldens/gen_cascade_sums.py
(ATEN_CPU_CAPABILITY=avx2 and the default avx512 give the same file).

Line formats (hex = IEEE bit patterns, row-major):
  sum <dtype> <shape> <perm|-> <dims|all> <keepdim> <seed> [view] : <sum digest> | <mean digest>
      torch.sum / torch.mean of tensor(shape).permute(perm)[view] over dims, where view is
      slice:D:START:STEP (x[..., START::STEP] on dim D) or expand:SIZES; a digest is
      the output count, the FNV-1a hash of all bit patterns, then the first (up to) 4
  nll <dtype> <batch> <classes> <seed> <weighted> <ignore> : <sum hex> <mean hex>
      F.nll_loss(x, t, weight, reduction='sum' / 'mean', ignore_index=-100)
"""
import struct
import sys

import torch
import torch.nn.functional as F

MASK = (1 << 64) - 1


class Lcg:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK
        return self.state >> 32

    def value(self):
        """Uniform in [-1, 1) times 2**e, e in -4..8: a spread of magnitudes."""
        u = self.next()
        e = self.next() % 13 - 4
        return (u / 2.0**32 * 2.0 - 1.0) * 2.0**e


def draw(seed, n):
    g = Lcg(seed)
    return [g.value() for _ in range(n)]


DTYPES = {"f32": (torch.float32, "<f", "<I", 8), "f64": (torch.float64, "<d", "<Q", 16)}


def bits(t, dtype):
    _, ffmt, ifmt, width = DTYPES[dtype]
    return [
        format(struct.unpack(ifmt, struct.pack(ffmt, v))[0], f"0{width}x")
        for v in t.reshape(-1).tolist()
    ]


def digest(hexes):
    """Keeps the file small: count, FNV-1a (64-bit) over the bit patterns, first four."""
    h = 0xCBF29CE484222325
    for x in hexes:
        h = ((h ^ int(x, 16)) * 0x100000001B3) & MASK
    return " ".join([str(len(hexes)), format(h, "016x")] + hexes[:4])


def csv(xs):
    return ",".join(str(x) for x in xs)


def apply_view(x, view):
    kind, _, arg = view.partition(":")
    if kind == "slice":
        d, start, step = (int(v) for v in arg.split(":"))
        return x[(slice(None),) * d + (slice(start, None, step),)]
    return x.expand([int(v) for v in arg.split(",")])


def sum_case(out, dtype, shape, perm, dims, keepdim, seed, view=None):
    n = 1
    for s in shape:
        n *= s
    x = torch.tensor(draw(seed, n), dtype=DTYPES[dtype][0]).reshape(shape)
    if perm is not None:
        x = x.permute(perm)
    if view:
        x = apply_view(x, view)
    if dims is None:
        s, m = x.sum(), x.mean()
        if keepdim:
            s, m = x.sum(dim=list(range(x.dim())), keepdim=True), x.mean(dim=list(range(x.dim())), keepdim=True)
    else:
        s, m = x.sum(dim=dims, keepdim=keepdim), x.mean(dim=dims, keepdim=keepdim)
    out.append(
        f"sum {dtype} {csv(shape)} {csv(perm) if perm else '-'} "
        f"{csv(dims) if dims is not None else 'all'} {int(keepdim)} {seed}{' ' + view if view else ''} : "
        f"{digest(bits(s, dtype))} | {digest(bits(m, dtype))}"
    )


def nll_case(out, dtype, batch, classes, seed, weighted, ignore):
    g = Lcg(seed)
    x = torch.tensor([g.value() for _ in range(batch * classes)], dtype=DTYPES[dtype][0])
    x = x.reshape(batch, classes)
    t = []
    for _ in range(batch):
        u = g.next()
        t.append(-100 if ignore and u % 7 == 0 else u % classes)
    t = torch.tensor(t, dtype=torch.int64)
    w = None
    if weighted:
        w = torch.tensor([g.next() / 2.0**32 + 0.5 for _ in range(classes)], dtype=DTYPES[dtype][0])
    s = F.nll_loss(x, t, weight=w, reduction="sum")
    m = F.nll_loss(x, t, weight=w, reduction="mean")
    out.append(
        f"nll {dtype} {batch} {classes} {seed} {int(weighted)} {int(ignore)} : "
        f"{bits(s, dtype)[0]} {bits(m, dtype)[0]}"
    )


def main():
    torch.set_num_threads(1)
    out = []
    seed = 1
    lengths = [1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129,
               255, 256, 257, 300, 511, 512, 513, 1000, 1023, 1024, 1025, 2047, 2048, 2049,
               4095, 4096, 4097, 5000]
    mats = [(100, 1), (1, 100), (3, 7), (7, 3), (8, 8), (4, 33), (33, 4), (13, 37), (37, 13),
            (64, 33), (33, 64), (100, 50), (50, 100), (17, 200), (200, 17), (5, 1000),
            (1000, 5), (70, 70), (2, 2500), (2500, 2), (9, 40)]
    cubes = [(4, 5, 6), (10, 20, 25), (3, 40, 41), (2, 3, 800), (25, 8, 9), (16, 16, 16),
             (1, 30, 40), (30, 1, 40), (7, 100, 1), (33, 9, 16)]
    for dtype in DTYPES:
        for n in lengths:
            sum_case(out, dtype, (n,), None, None, False, seed)
            sum_case(out, dtype, (n,), None, [0], True, seed + 1)
            seed += 2
        for shape in mats:
            for perm in (None, (1, 0)):
                for dims, keep in ((None, False), ([0], False), ([1], False), ([0], True),
                                   ([1], True), ([0, 1], False), (None, True)):
                    sum_case(out, dtype, shape, perm, dims, keep, seed)
                    seed += 1
        for shape in cubes:
            for perm in (None, (2, 0, 1), (1, 0, 2), (0, 2, 1)):
                for dims, keep in ((None, False), ([0], False), ([1], False), ([2], True),
                                   ([0, 2], False), ([0, 1], False), ([1, 2], True)):
                    sum_case(out, dtype, shape, perm, dims, keep, seed)
                    seed += 1
        views = [((10, 20, 25), None, "slice:1:1:2"), ((10, 20, 25), (2, 0, 1), "slice:0:0:3"),
                 ((64, 33), None, "slice:0:1:3"), ((33, 64), None, "slice:1:0:2"),
                 ((40, 50), (1, 0), "slice:1:2:5"), ((1, 50), None, "expand:40,50"),
                 ((30, 1), None, "expand:30,40"), ((5, 1, 7), None, "expand:5,9,7"),
                 ((300,), None, "expand:6,300")]
        for shape, perm, view in views:
            for dims, keep in ((None, False), ([0], False), ([1], True), ([0, 1], False)):
                sum_case(out, dtype, shape, perm, dims, keep, seed, view)
                seed += 1
        for batch, classes in ((1, 3), (5, 3), (16, 2), (17, 4), (64, 10), (100, 3),
                               (257, 5), (1000, 10), (4097, 2)):
            for weighted in (False, True):
                for ignore in (False, True):
                    nll_case(out, dtype, batch, classes, seed, weighted, ignore)
                    seed += 1
    sys.stdout.write(f"# torch {torch.__version__}, generated by gen_cascade_sums.py\n")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()

"""Writes vecmath.txt: float32 bit patterns from real PyTorch (torch 2.15, CPU,
AVX512 capability) for src/tensor/vecmath.rs's tests (tests/vecmath_goldens.rs).

Run:  /tmp/torch/bin/python tests/goldens/gen_vecmath.py > tests/goldens/vecmath.txt
(needs gcc: the `sleef` lines call libtorch_cpu.so's own SLEEF through a C shim).

Line formats (hex = IEEE bit patterns):
  sleef <name> <x hex> <y hex>
      y = <name>(x) evaluated by the Sleef_<name>f16_u10 that libtorch_cpu.so
      exports (the function Vectorized<float>::exp()/log() call), lane by lane.
  op <name> <shape> : <x hex...> : <y hex...>
      y = torch.<name>(x) for one contiguous float32 tensor x of that shape
      (log1p, sigmoid), or torch.softmax / torch.log_softmax over dim D
      (names softmax:D, log_softmax:D). softmax over a dim followed by 16 or
      more columns is left out: its vectorized path is not reproduced.
"""
import ctypes
import os
import subprocess
import tempfile

import numpy as np
import torch

SHIM = r"""
#include <immintrin.h>
#include <stddef.h>
#define F16(name) __m512 Sleef_##name##f16_u10(__m512); \
  void w_##name(const float *in, float *out) { \
    _mm512_storeu_ps(out, Sleef_##name##f16_u10(_mm512_loadu_ps(in))); }
F16(exp) F16(log) F16(log1p)
"""


def shim():
    lib_dir = os.path.join(os.path.dirname(torch.__file__), "lib")
    tmp = tempfile.mkdtemp()
    src, so = os.path.join(tmp, "shim.c"), os.path.join(tmp, "shim.so")
    open(src, "w").write(SHIM)
    subprocess.run(["gcc", "-O2", "-mavx512f", "-shared", "-fPIC", src, "-o", so,
                    f"-L{lib_dir}", "-ltorch_cpu", f"-Wl,-rpath,{lib_dir}"], check=True)
    return ctypes.CDLL(so)


def sleef(lib, name, xs):
    xs = np.asarray(xs, np.float32)
    padded = np.concatenate([xs, np.zeros(-len(xs) % 16, np.float32)])
    out = np.empty_like(padded)
    fn = getattr(lib, "w_" + name)
    for i in range(0, len(padded), 16):
        fn(padded[i:].ctypes.data_as(ctypes.c_void_p), out[i:].ctypes.data_as(ctypes.c_void_p))
    return out[: len(xs)]


def hexes(a):
    return " ".join(f"{b:08x}" for b in np.asarray(a, np.float32).ravel().view(np.uint32))


def edge_cases():
    """0, -0, subnormals, tiny/huge, inf, nan, near the thresholds, powers of two, 1, e."""
    f = np.float32
    vals = [0.0, -0.0, 1.0, -1.0, 2.7182817, 2.7182819, 0.5, 1e-45, -1e-45, 1e-40, 1.1754942e-38,
            1.1754944e-38, 3.4028235e38, -3.4028235e38, np.inf, -np.inf, np.nan, 88.72283, 88.72284,
            -87.33654, -103.97208, -103.99, -104.0, -104.01, 100.0, 100.01, 1e38, 1.0000001e38,
            0.99999994, 1.0000001, -0.99999994, -0.5, 1e-8, -1e-8, 0.6931472, 0.75, 1.5]
    vals += [2.0 ** e for e in range(-149, 128, 7)] + [-(2.0 ** e) for e in range(-20, 8)]
    bits = np.array(vals, np.float32)
    nudged = np.concatenate([np.nextafter(bits, f(np.inf)), np.nextafter(bits, f(-np.inf))])
    return np.concatenate([bits, nudged[np.isfinite(nudged)]]).astype(np.float32)


def randoms(rng, n):
    any_bits = rng.integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32).view(np.float32)
    wide = rng.uniform(-110, 110, n).astype(np.float32)
    near_one = rng.uniform(-1, 4, n).astype(np.float32)
    return np.concatenate([any_bits, wide, near_one])


def main():
    rng = np.random.default_rng(20261129)
    lib = shim()
    xs = np.concatenate([edge_cases(), randoms(rng, 500)])
    for name in ["exp", "log", "log1p"]:
        for x, y in zip(xs, sleef(lib, name, xs)):
            print(f"sleef {name} {hexes([x])} {hexes([y])}")

    def op(name, x, y):
        shape = ",".join(map(str, x.shape))
        print(f"op {name} {shape} : {hexes(x)} : {hexes(y)}")

    # log1p is vectorized over the whole tensor, so one long tensor covers it.
    x = np.concatenate([edge_cases(), randoms(rng, 700)])
    op("log1p", x, torch.log1p(torch.from_numpy(x)).numpy())
    # sigmoid: SLEEF for the leading multiple of 32 elements, glibc for the tail.
    for n in [1, 6, 31, 32, 33, 47, 64, 100, 777]:
        x = rng.uniform(-30, 30, n).astype(np.float32)
        op("sigmoid", x, torch.sigmoid(torch.from_numpy(x)).numpy())
    x = edge_cases()
    op("sigmoid", x, torch.sigmoid(torch.from_numpy(x)).numpy())
    # softmax / log_softmax: rows shorter and longer than a vector, other dims,
    # and rows holding inf / nan.
    for shape, dim in [((4, 3), 1), ((3, 5), -1), ((2, 16), 1), ((3, 17), 1), ((2, 40), 1),
                       ((2, 100), 1), ((1, 1000), 1), ((5,), 0), ((6, 3), 0), ((2, 7, 5), 1),
                       ((3, 10, 16), 1), ((2, 9, 1), 1), ((40, 2), 0)]:
        x = (rng.standard_normal(shape) * 4).astype(np.float32)
        t = torch.from_numpy(x)
        # Not reproduced: softmax over a non-last dim in whole 16-wide vectors.
        inner = int(np.prod(shape[dim % len(shape) + 1:]))
        if inner < 16:
            op(f"softmax:{dim}", x, torch.softmax(t, dim).numpy())
        op(f"log_softmax:{dim}", x, torch.log_softmax(t, dim).numpy())
    special = np.array([[np.inf, 1, 2], [-np.inf, 0, 1], [-np.inf, -np.inf, -np.inf],
                        [np.nan, 1, 2], [88, 89, 90], [-100, -104, -120]], np.float32)
    t = torch.from_numpy(special)
    op("softmax:1", special, torch.softmax(t, 1).numpy())
    op("log_softmax:1", special, torch.log_softmax(t, 1).numpy())


if __name__ == "__main__":
    main()

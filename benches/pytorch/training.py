"""PyTorch's numbers for benches/training.rs: the same steps, compute only,
after warm-up, timed with timeit (best of 5 repeats).

Run: /tmp/torch/bin/python benches/pytorch/training.py [threads]
"""
import sys
import timeit

import torch
import torch.nn.functional as F

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
torch.manual_seed(0)


def best(f, number):
    """Seconds per call: warm up, then the best of 5 repeats of `number` calls."""
    f()
    return min(timeit.repeat(f, number=number, repeat=5)) / number


def param(*shape, fan_in):
    bound = 1 / fan_in**0.5
    return torch.empty(*shape).uniform_(-bound, bound).requires_grad_()


def stepper(opt, loss):
    def step():
        opt.zero_grad()
        l = loss()
        l.backward()
        opt.step()
    return step


x = torch.randn(64, 784)
y = torch.randint(0, 10, (64,))
w1, b1 = param(128, 784, fan_in=784), param(128, fan_in=784)
w2, b2 = param(10, 128, fan_in=128), param(10, fan_in=128)
opt = torch.optim.Adam([w1, b1, w2, b2], lr=1e-3)
mlp = stepper(opt, lambda: F.cross_entropy(F.linear(F.linear(x, w1, b1).relu(), w2, b2), y))
print(f"mlp step: {best(mlp, 200) * 1e3:.3f} ms")

xc = torch.randn(32, 1, 28, 28)
yc = torch.randint(0, 10, (32,))
wc, bc = param(8, 1, 3, 3, fan_in=9), param(8, fan_in=9)
wf, bf = param(10, 8 * 13 * 13, fan_in=8 * 13 * 13), param(10, fan_in=8 * 13 * 13)
opt = torch.optim.SGD([wc, bc, wf, bf], lr=0.01, momentum=0.9)


def cnn_loss():
    h = F.max_pool2d(F.conv2d(xc, wc, bc).relu(), 2).reshape(32, -1)
    return F.cross_entropy(F.linear(h, wf, bf), yc)


print(f"cnn step: {best(stepper(opt, cnn_loss), 100) * 1e3:.3f} ms")

B, T, V, E, H = 32, 64, 65, 32, 128
xr = torch.randint(0, V, (B, T))
yr = torch.randint(0, V, (B * T,))
emb = torch.randn(V, E).requires_grad_()
w_ih, w_hh = param(H, E, fan_in=H), param(H, H, fan_in=H)
b_ih, b_hh = param(H, fan_in=H), param(H, fan_in=H)
w_o, b_o = param(V, H, fan_in=H), param(V, fan_in=H)
opt = torch.optim.Adam([emb, w_ih, w_hh, b_ih, b_hh, w_o, b_o], lr=1e-3)


def rnn_loss():
    out, _ = torch.rnn_tanh(F.embedding(xr, emb), torch.zeros(1, B, H),
                            [w_ih, w_hh, b_ih, b_hh], True, 1, 0.0, True, False, True)
    return F.cross_entropy(F.linear(out.reshape(B * T, H), w_o, b_o), yr)


print(f"char-rnn step: {best(stepper(opt, rnn_loss), 20) * 1e3:.3f} ms")

n = 1024
a, b = torch.randn(n, n), torch.randn(n, n)
t = best(lambda: a @ b, 20)
print(f"matmul f32 1024x1024: {t * 1e3:.3f} ms = {2 * n**3 / t / 1e9:.1f} GFLOP/s")

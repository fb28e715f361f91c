"""Prints the PyTorch values that src/tensor/random/tests.rs checks bit for bit.

Run with real PyTorch (CPU): python src/tensor/random/goldens.py
Each line is `label => values`; floats are repr() of the value as a Python float,
which is exact for float32 and float64.
"""
import torch

# The first three sit just above seed 0's first float32 draws, so drawing at
# the wrong width shows.
PROBS = [0.5, 0.77, 0.0885, 0.1, 0.3, 0.6, 0.45, 0.63, 0.35, 0.4, 0.02, 0.17]

CASES = [
    ("manual_seed(0); rand(3, 1)", lambda: torch.rand(3, 1)),
    ("manual_seed(0); randn(2)", lambda: torch.randn(2)),
    ("manual_seed(0); rand(5)", lambda: torch.rand(5)),
    ("manual_seed(0); rand(3, dtype=float64)", lambda: torch.rand(3, dtype=torch.float64)),
    ("manual_seed(0); randn(5)", lambda: torch.randn(5)),
    ("manual_seed(0); randn(16)", lambda: torch.randn(16)),
    ("manual_seed(0); randn(17)", lambda: torch.randn(17)),
    ("manual_seed(0); randn(100)", lambda: torch.randn(100)),
    ("manual_seed(0); randn(5, dtype=float64)", lambda: torch.randn(5, dtype=torch.float64)),
    ("manual_seed(0); randn(20, dtype=float64)", lambda: torch.randn(20, dtype=torch.float64)),
    ("manual_seed(0); randint(0, 10, (8,))", lambda: torch.randint(0, 10, (8,))),
    ("manual_seed(0); randint(-5, 5, (4,))", lambda: torch.randint(-5, 5, (4,))),
    ("manual_seed(0); randint(0, 2**33, (3,))", lambda: torch.randint(0, 2**33, (3,))),
    ("manual_seed(0); normal(2.0, 3.0, size=(4,))", lambda: torch.normal(2.0, 3.0, size=(4,))),
    ("manual_seed(0); normal(2.0, 3.0, size=(20,))", lambda: torch.normal(2.0, 3.0, size=(20,))),
    ("manual_seed(0); normal(2.0, 3.0, size=(15,), dtype=float64)",
     lambda: torch.normal(2.0, 3.0, size=(15,), dtype=torch.float64)),
    ("manual_seed(0); normal(2.0, 3.0, size=(20,), dtype=float64)",
     lambda: torch.normal(2.0, 3.0, size=(20,), dtype=torch.float64)),
    ("manual_seed(0); normal(arange(20.), 2.0)", lambda: torch.normal(torch.arange(20.), 2.0)),
    ("manual_seed(0); normal(1.5, arange(20.))", lambda: torch.normal(1.5, torch.arange(20.))),
    ("manual_seed(0); normal(arange(20.), arange(20.) / 3)",
     lambda: torch.normal(torch.arange(20.), torch.arange(20.) / 3)),
    ("manual_seed(0); empty(6).uniform_(-2.5, 7.1)", lambda: torch.empty(6).uniform_(-2.5, 7.1)),
    ("manual_seed(0); empty(3, dtype=float64).uniform_(-2.5, 7.1)",
     lambda: torch.empty(3, dtype=torch.float64).uniform_(-2.5, 7.1)),
    ("manual_seed(0); rand(2), randn(3), rand(2), randn(1)",
     lambda: [torch.rand(2), torch.randn(3), torch.rand(2), torch.randn(1)]),
    ("manual_seed(0); randn(1), manual_seed(0), randn(1)",
     lambda: [torch.randn(1), torch.manual_seed(0) and torch.randn(1)]),
    ("manual_seed(0); randn(1), randn(20), randn(1)",
     lambda: [torch.randn(1), torch.randn(20), torch.randn(1)]),
    ("manual_seed(0); rand(700)[620:625]", lambda: torch.rand(700)[620:625]),
    ("manual_seed(0); randn(1000)[208:218]", lambda: torch.randn(1000)[208:218]),
    ("manual_seed(0); normal(2.0, 3.0, size=(400,))[336:346]",
     lambda: torch.normal(2.0, 3.0, size=(400,))[336:346]),
    ("manual_seed(2**40 + 5); rand(3)", lambda: torch.rand(3)),
    ("manual_seed(0); empty(20).bernoulli_(0.3)", lambda: torch.empty(20).bernoulli_(0.3)),
    ("manual_seed(0); bernoulli(tensor(PROBS))", lambda: torch.bernoulli(torch.tensor(PROBS))),
    ("manual_seed(0); bernoulli(tensor(PROBS, dtype=float64))",
     lambda: torch.bernoulli(torch.tensor(PROBS, dtype=torch.float64))),
    ("manual_seed(0); nn.Linear(3, 2) weight, bias",
     lambda: linear(3, 2)),
    ("manual_seed(1); nn.Linear(2, 8) weight, bias", lambda: linear(2, 8)),
    ("manual_seed(0); nn.Linear(5, 1) weight, bias", lambda: linear(5, 1)),
]


def linear(i, o):
    m = torch.nn.Linear(i, o)
    return [m.weight.detach().flatten(), m.bias.detach()]


def seed_of(label):
    return eval(label.split(";")[0][len("manual_seed("):-1])


def show(t):
    if isinstance(t, list):
        return " | ".join(show(x) for x in t)
    return repr(t.flatten().tolist())


for label, make in CASES:
    torch.manual_seed(seed_of(label))
    print(label, "=>", show(make()))

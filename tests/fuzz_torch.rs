//! Random snippets built from the torch API (every name in the binding tables,
//! applied to random receivers and arguments, most of them wrong) run in a torch
//! session one statement at a time: none may panic, and every error must render
//! as a Python exception line.
//!
//! `NNLEARN_FUZZ_SECS=600 cargo test --release --test fuzz_torch` fuzzes for 10 minutes
//! (`PROPTEST_CASES` sets a number of cases instead).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use nnlearn::lang::torch::new_session;
use nnlearn::lang::{Exception, Sink};
use proptest::prelude::*;

const FUNCTIONS_RS: &str = include_str!("../src/lang/torch/functions.rs");
const METHODS_RS: &str = include_str!("../src/lang/torch/methods.rs");
const NN_RS: &str = include_str!("../src/lang/torch/nn.rs");
const NN_INIT_PY: &str = include_str!("../src/lang/torch/py/nn/__init__.py");
const OPTIM_RS: &str = include_str!("../src/lang/torch/optim.rs");
const TENSOR_OBJ_RS: &str = include_str!("../src/lang/torch/tensor_obj.rs");
const MOD_RS: &str = include_str!("../src/lang/torch/mod.rs");

/// Exceptions a learner may see; anything else (or a panic) is a bug.
const PYTHON_EXCEPTIONS: &[&str] = &[
    "TypeError",
    "ValueError",
    "RuntimeError",
    "IndexError",
    "KeyError",
    "AttributeError",
    "NameError",
    "ZeroDivisionError",
    "OverflowError",
    "NotImplementedError",
    "MemoryError",
    "RecursionError",
    "StopIteration",
    "KeyboardInterrupt",
    "UnboundLocalError",
    "AssertionError",
    "ModuleNotFoundError",
];

/// The string items of `const NAME: &[&str] = &[...]` in `src`, so the fuzzer
/// follows the binding tables as they grow.
fn table(src: &'static str, name: &str) -> Vec<&'static str> {
    let header = format!("const {name}: &[&str] = &[");
    let start = src
        .find(&header)
        .unwrap_or_else(|| panic!("{name} table not found"));
    let body = &src[start + header.len()..];
    let end = body.find("];").unwrap_or(body.len());
    body[..end].split('"').skip(1).step_by(2).collect()
}

/// The names `nn` exports: every `Name` of the `from ... import A, B` lines
/// (parenthesised lists included) of the nn prelude that starts with a capital.
fn nn_exports(src: &'static str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(at) = rest.find(" import ") {
        let after = &rest[at + " import ".len()..];
        let end = if after.starts_with('(') {
            after.find(')').map_or(after.len(), |e| e + 1)
        } else {
            after.find('\n').unwrap_or(after.len())
        };
        out.extend(
            after[..end]
                .split(|c: char| c == ',' || c == '(' || c == ')' || c.is_whitespace())
                .filter(|n| n.starts_with(|c: char| c.is_ascii_uppercase()))
                .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')),
        );
        rest = &after[end..];
    }
    out.retain(|n| *n != "Module" && *n != "RNNBase");
    out.sort_unstable();
    out.dedup();
    out
}

/// Every identifier-like string literal of the torch bindings: keyword names,
/// attribute names, reduction modes...
fn literals() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = [
        FUNCTIONS_RS,
        METHODS_RS,
        NN_RS,
        OPTIM_RS,
        TENSOR_OBJ_RS,
        MOD_RS,
    ]
    .iter()
    .flat_map(|src| src.split('"').skip(1).step_by(2))
    .filter(|s| {
        !s.is_empty()
            && s.len() < 30
            && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            && !KEYWORDS.contains(s)
    })
    .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Python keywords: never attribute or keyword-argument names.
const KEYWORDS: &[&str] = &[
    "and", "as", "assert", "break", "class", "continue", "def", "del", "elif", "else", "except",
    "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not",
    "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

struct Names {
    functions: Vec<&'static str>,
    methods: Vec<&'static str>,
    classes: Vec<&'static str>,
    functional: Vec<&'static str>,
    words: Vec<&'static str>,
}

fn names() -> &'static Names {
    static NAMES: std::sync::OnceLock<Names> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| Names {
        functions: table(FUNCTIONS_RS, "FUNCTIONS"),
        methods: table(METHODS_RS, "METHODS"),
        classes: nn_exports(NN_INIT_PY),
        functional: table(NN_RS, "FUNCTIONAL"),
        words: literals(),
    })
}

/// A deterministic stream of choices from one proptest seed (so that shrinking
/// drops whole statements).
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const TENSORS: &[&str] = &["a", "b", "c", "d", "e"];
const VARS: &[&str] = &["a", "b", "c", "d", "e", "m", "o", "r"];
const DTYPES: &[&str] = &[
    "torch.float32",
    "torch.float64",
    "torch.int64",
    "torch.bool",
    "torch.long",
    "torch.float",
    "torch.double",
];
const DATA: &[&str] = &[
    "3",
    "-2.5",
    "True",
    "[]",
    "[[]]",
    "[1, 2, 3]",
    "[0.5, -1.0, 2.0, 4.0]",
    "[[1., 2.], [3., 4.]]",
    "[[1, 2, 3], [4, 5, 6]]",
    "[[1], [2, 3]]",
    "[[[0.5]]]",
    "float('nan')",
    "[float('inf'), -1e308, 0.0]",
    "[[True, False], [False, True]]",
    "9223372036854775807",
    "[1, 2.5, True]",
    "['a']",
    "(1, 2)",
    "[None]",
    "[-9223372036854775807 - 1, -1, 0, 7]",
];
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "3",
    "0.5",
    "-2.5",
    "1e308",
    "1e-320",
    "float('nan')",
    "float('inf')",
    "9223372036854775807",
    "(-9223372036854775807 - 1)",
    "True",
    "False",
    "100000000",
];
const STRINGS: &[&str] = &[
    "'mean'", "'sum'", "'none'", "'cpu'", "'cuda'", "'cuda:1'", "''", "'x'", "'fro'", "'tanh'",
];
const SHAPES_VALUES: &[&str] = &[
    "[]",
    "[0]",
    "[1]",
    "[0, 1]",
    "[-1]",
    "[2, 3]",
    "[[0, 1], [1, 0]]",
    "[1.5]",
    "()",
    "(0,)",
    "(-1,)",
    "(1, 2, 3)",
    "(2, -1)",
    "range(3)",
];
const MISC: &[&str] = &[
    "None",
    "lambda x: x",
    "print",
    "{'lr': 0.1}",
    "[a, b]",
    "(a, b)",
    "m.parameters()",
    "list(m.parameters())",
    "a.shape",
    "a.size()",
    "a.T",
    "a.grad",
    "a.data",
    "a.dtype",
    "a.device",
    "torch.device('cpu')",
    "m",
    "o",
    "nn.ReLU()",
    "nn.Linear(2, 3)",
];
const BINOPS: &[&str] = &[
    "+", "-", "*", "/", "//", "%", "**", "@", "==", "!=", "<", "<=", ">", ">=", "&", "|", "^",
    "and", "or",
];
const AUGOPS: &[&str] = &["+=", "-=", "*=", "/=", "//=", "%=", "**=", "@=", "&=", "|="];
const INDEX_ITEMS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "-5",
    "100",
    ":",
    "1:",
    ":-1",
    "::2",
    "::-1",
    "::0",
    "5:1",
    "None",
    "...",
    "True",
    "[0, 1]",
    "[True, False]",
    "[]",
    "[-1, 0, 5]",
    "'a'",
    "1.5",
    "a",
    "b > 0",
    "torch.tensor([0, 1])",
    "torch.tensor(1)",
    "torch.tensor([True])",
    "torch.tensor([0.5])",
];
const WRAPPERS: &[&str] = &[
    "print({})",
    "print(repr({}))",
    "print(f\"{{}}\")",
    "print(str({}))",
    "{}",
    "print(bool({}))",
    "print(int({}))",
    "print(float({}))",
    "print(len({}))",
    "print(list({}))",
    "print(abs({}))",
    "print(-{})",
    "print(~{})",
    "print(not {})",
    "print(sum({}))",
    "print(max({}))",
    "print([v for v in {}])",
    "print(f\"{{}:.3f}\")",
    "print(f\"{{}:>8}\")",
    "print(round({}, 2))",
    "print(isinstance({}, torch.Tensor))",
    "print(sorted({}))",
    "print(min({}))",
    "print({} in a)",
    "print({'k': {}})",
    "print('%s' % ({},))",
    "print(tuple({}))",
    "print(list(zip({}, a)))",
    "print(list(enumerate({})))",
    "print({} is None, {} == None)",
    "print([{}] * 2)",
    "print(hash({}))",
    "print({}.__class__)",
];

impl Gen {
    fn shape(&mut self) -> String {
        let dims: Vec<String> = (0..self.below(4))
            .map(|_| self.pick(&["0", "1", "2", "3", "4", "-1"]).to_string())
            .collect();
        match self.below(3) {
            0 if !dims.is_empty() => dims.join(", "),
            1 => format!("({})", dims.join(", ")),
            _ => format!("[{}]", dims.join(", ")),
        }
    }

    fn dtype_kw(&mut self) -> String {
        if self.chance(50) {
            format!(", dtype={}", self.pick(DTYPES))
        } else {
            String::new()
        }
    }

    fn tensor_literal(&mut self) -> String {
        let base = match self.below(11) {
            0..=2 => format!("torch.tensor({}{})", self.pick(DATA), self.dtype_kw()),
            3 => format!("torch.randn({})", self.shape()),
            4 => format!("torch.zeros({}{})", self.shape(), self.dtype_kw()),
            5 => format!("torch.ones({}{})", self.shape(), self.dtype_kw()),
            6 => format!("torch.arange({}{})", self.pick(NUMBERS), self.dtype_kw()),
            7 => format!("torch.randint(0, 5, ({},))", self.below(5)),
            8 => format!("torch.rand({}, requires_grad=True)", self.shape()),
            9 => format!("torch.eye({})", self.below(4)),
            _ => format!("torch.full({}, {})", self.shape(), self.pick(NUMBERS)),
        };
        match self.below(6) {
            0 => format!("{base}.requires_grad_()"),
            1 => format!("{base}.t()"),
            _ => base,
        }
    }

    fn value(&mut self, depth: usize) -> String {
        match self.below(if depth == 0 { 9 } else { 11 }) {
            0..=2 => self.pick(TENSORS).to_string(),
            3 => self.pick(NUMBERS).to_string(),
            4 => self.pick(STRINGS).to_string(),
            5 => self.pick(SHAPES_VALUES).to_string(),
            6 => self.pick(DTYPES).to_string(),
            7 => self.pick(MISC).to_string(),
            8 => self.tensor_literal(),
            _ => self.call(depth - 1),
        }
    }

    fn args(&mut self, depth: usize) -> String {
        let mut parts: Vec<String> = (0..self.below(4)).map(|_| self.value(depth)).collect();
        let mut used = Vec::new();
        for _ in 0..self.below(3) {
            let name = if self.chance(10) {
                "bogus"
            } else {
                self.pick(&names().words)
            };
            if !used.contains(&name) {
                used.push(name);
                parts.push(format!("{name}={}", self.value(depth)));
            }
        }
        parts.join(", ")
    }

    fn call(&mut self, depth: usize) -> String {
        let n = names();
        match self.below(10) {
            0..=2 => {
                let receiver = if self.chance(85) {
                    self.pick(TENSORS).to_string()
                } else {
                    format!("({})", self.value(depth))
                };
                let method = self.pick(&n.methods);
                format!("{receiver}.{method}({})", self.args(depth))
            }
            3 | 4 => format!("torch.{}({})", self.pick(&n.functions), self.args(depth)),
            5 => format!("F.{}({})", self.pick(&n.functional), self.args(depth)),
            6 => format!("nn.{}({})", self.pick(&n.classes), self.args(depth)),
            7 => format!(
                "{}({})",
                self.pick(&[
                    "optim.SGD",
                    "optim.Adam",
                    "torch.linalg.norm",
                    "torch.linalg.vector_norm",
                    "torch.autograd.grad",
                    "torch.cuda.is_available",
                    "torch.device",
                    "graph",
                    "torch.Tensor",
                ]),
                self.args(depth)
            ),
            8 => format!("m({})", self.args(depth)),
            _ => {
                let receiver = self.pick(VARS);
                format!("{receiver}.{}", self.pick(&n.words))
            }
        }
    }

    fn index(&mut self) -> String {
        let items: Vec<&str> = (0..1 + self.below(3))
            .map(|_| self.pick(INDEX_ITEMS))
            .collect();
        items.join(", ")
    }

    fn statement(&mut self) -> String {
        let var = self.pick(VARS);
        let t = self.pick(TENSORS);
        match self.below(32) {
            0..=3 => format!("{var} = {}", self.call(2)),
            4..=6 => self.pick(WRAPPERS).replace("{}", &self.call(1)),
            7 => self
                .pick(WRAPPERS)
                .replace("{}", &format!("({})", self.value(1))),
            8 => format!("print({t}[{}])", self.index()),
            9 => format!("{t}[{}] = ({})", self.index(), self.value(1)),
            10 => format!("{t} {} ({})", self.pick(AUGOPS), self.value(1)),
            11 => format!(
                "{var} = ({}) {} ({})",
                self.value(1),
                self.pick(BINOPS),
                self.value(1)
            ),
            12 => format!(
                "{}.{}",
                t,
                self.pick(&[
                    "backward()",
                    "sum().backward()",
                    "mean().backward(retain_graph=True)",
                    "backward(torch.ones_like(a))",
                    "grad.zero_()",
                    "retain_grad()",
                    "requires_grad_(False)",
                ])
            ),
            13 => format!(
                "{t}.{} = {}",
                self.pick(&["grad", "requires_grad", "data", "shape", "weight"]),
                self.value(1)
            ),
            14 => format!("with torch.no_grad():\n{}", self.block()),
            15 => format!(
                "m = nn.Sequential(nn.Linear({0}, {1}), nn.{2}(), nn.Linear({1}, {0}))",
                self.below(4),
                self.below(4),
                self.pick(&["ReLU", "Sigmoid", "Tanh", "Identity", "Flatten"])
            ),
            16 => format!(
                "o = optim.{}({}, lr={}{})",
                self.pick(&["SGD", "Adam"]),
                self.pick(&["m.parameters()", "[a, b]", "[a]", "[]", "a", "m"]),
                self.pick(NUMBERS),
                self.pick(&[
                    "",
                    ", momentum=0.9",
                    ", weight_decay=0.1",
                    ", betas=(0.9, 0.999)",
                    ", nesterov=True"
                ])
            ),
            17 => format!(
                "for _ in range(2):\n    o.zero_grad()\n    l = {}\n    l.backward()\n    o.step()",
                self.pick(&[
                    "m(a).sum()",
                    "F.mse_loss(m(a), b)",
                    "nn.CrossEntropyLoss()(m(a), b)",
                    "(a * a).mean()",
                    "F.binary_cross_entropy(torch.sigmoid(m(a)), b)",
                ])
            ),
            18 => format!("for p in m.parameters():\n{}", self.block()),
            20 => self.net_class(),
            21 => format!(
                "print({})",
                self.pick(&[
                    "m",
                    "repr(m)",
                    "list(m.state_dict().keys())",
                    "[n for n, _ in m.named_parameters()]",
                    "sum(p.numel() for p in m.parameters())",
                    "list(m.children())",
                    "m.training",
                    "m.train()",
                    "m.eval()",
                    "m.zero_grad()",
                    "m.apply(lambda mod: None)",
                    "m.to(torch.float64)",
                    "m.double()",
                    "m.requires_grad_(False)",
                    "dict(m.named_modules())",
                    "m.l1",
                    "m.l1.weight.shape",
                    "m.extra",
                    "m.state_dict()",
                ])
            ),
            22 => format!(
                "{}m.load_state_dict({}{}",
                if self.chance(50) { "print(" } else { "(" },
                self.pick(&[
                    "m.state_dict()",
                    "{}",
                    "{'bogus': torch.zeros(1)}",
                    "{k: torch.zeros(3, 3) for k in m.state_dict()}",
                    "{k: v.double() for k, v in m.state_dict().items()}",
                    "{k: v.t() for k, v in m.state_dict().items()}",
                    "{k: v[:1] for k, v in m.state_dict().items()}",
                    "{k: 1.0 for k in m.state_dict()}",
                    "nn.Linear(2, 2).state_dict()",
                    "nn.Linear(3, 4).state_dict()",
                    "nn.Sequential(nn.Linear(2, 2)).state_dict()",
                    "{'0.' + k: v for k, v in m.state_dict().items()}",
                    "[]",
                    "None",
                    "a",
                ]),
                self.pick(&["))", ", strict=False))", ", strict=True))", ", False))"]),
            ),
            23 => self.data_loader(),
            24 => self.autograd_function(),
            25 => self.user_optimizer(),
            26 => self.try_except(),
            27 => format!(
                "{var} = {}",
                self.pick(&[
                    "[@ for _ in range(2)]",
                    "list(@ for _ in range(2))",
                    "(lambda q: q)(@)",
                    "{'k': @}",
                    "[p.sum() for p in m.parameters() if p.requires_grad] + [@]",
                ])
                .replace('@', &self.value(1))
            ),
            28 => format!("{var} = m({})", self.value(1)),
            _ => format!("{var} = {}", self.tensor_literal()),
        }
    }

    /// `class Net(nn.Module)` with layers and a forward, then `m = Net(...)`.
    fn net_class(&mut self) -> String {
        let n = names();
        let (i, h, o) = (self.below(4), self.below(5), self.below(4));
        let mut out = String::from("class Net(nn.Module):\n    def __init__(self, width=2):\n");
        if self.chance(92) {
            out += "        super().__init__()\n";
        }
        out += &format!("        self.l1 = nn.Linear({i}, {h})\n");
        out += &format!(
            "        self.act = nn.{}()\n",
            self.pick(&["ReLU", "Sigmoid", "Tanh", "SiLU", "Identity", "Flatten", "Dropout"])
        );
        out += &format!("        self.l2 = nn.Linear({h}, {o})\n");
        if self.chance(40) {
            out += &format!(
                "        self.extra = nn.{}({})\n",
                self.pick(&n.classes),
                self.args(0)
            );
        }
        if self.chance(30) {
            out += &format!(
                "        self.{} = {}\n",
                self.pick(&["p", "buf", "weight", "training", "l1"]),
                self.pick(&[
                    "nn.Parameter(torch.zeros(2))",
                    "torch.ones(3)",
                    "None",
                    "3",
                    "nn.ModuleList([nn.Linear(2, 2)])",
                    "nn.ModuleDict({'a': nn.ReLU()})",
                ])
            );
        }
        if self.chance(20) {
            out += "        self.register_buffer('running', torch.zeros(width))\n";
        }
        out += "    def forward(self, x";
        out += self.pick(&["", ", y=None", ", *rest"]);
        out += "):\n";
        out += &format!(
            "        {}\n",
            self.pick(&[
                "return self.l2(self.act(self.l1(x)))",
                "x = self.act(self.l1(x))\n        return self.l2(x)",
                "return self.l2(self.l1(x)).sum(dim=-1)",
                "return self.extra(x)",
                "return [self.l1(x)]",
                "return x",
                "return self.l1(x) + self.missing",
                "for layer in [self.l1, self.act, self.l2]:\n            x = layer(x)\n        return x",
                "return None",
            ])
        );
        if self.chance(30) {
            out += "    def __repr__(self):\n        return 'Net()'\n";
        }
        if self.chance(20) {
            out += "    @property\n    def width(self):\n        return self.l1.out_features\n";
        }
        out += &format!(
            "m = Net({})\n",
            self.pick(&["", "2", "width=3", "-1", "'x'", "1, 2"])
        );
        if self.chance(60) {
            out += &format!(
                "{} = m(torch.randn({}, {i}))",
                self.pick(VARS),
                self.below(4)
            );
        } else {
            out += "print(m)";
        }
        out
    }

    /// A DataLoader over a TensorDataset with random batching options.
    fn data_loader(&mut self) -> String {
        let n = self.below(6);
        let x = format!("torch.randn({n}, {})", self.below(3));
        let y = match self.below(4) {
            0 => format!("torch.arange({})", self.below(7)),
            1 => format!("torch.randint(0, 2, ({n},))"),
            2 => self.pick(TENSORS).to_string(),
            _ => format!("torch.zeros({n}, 2)"),
        };
        let ds = if self.chance(85) {
            format!("torch.utils.data.TensorDataset({x}, {y})")
        } else {
            self.pick(&[
                "[1, 2, 3]",
                "torch.utils.data.TensorDataset()",
                "a",
                "None",
                "range(4)",
            ])
            .to_string()
        };
        let mut opts = Vec::new();
        if self.chance(80) {
            opts.push(format!(
                "batch_size={}",
                self.pick(&["1", "2", "3", "4", "100", "0", "-1", "None", "2.5", "'2'"])
            ));
        }
        if self.chance(60) {
            opts.push(format!(
                "shuffle={}",
                self.pick(&["True", "False", "None", "1"])
            ));
        }
        if self.chance(50) {
            opts.push(format!("drop_last={}", self.pick(&["True", "False"])));
        }
        if self.chance(10) {
            opts.push(
                self.pick(&[
                    "num_workers=-1",
                    "collate_fn=lambda b: b",
                    "sampler=[0, 1]",
                    "bogus=1",
                ])
                .to_string(),
            );
        }
        let opts = opts.join(", ");
        let body = self.pick(&[
            "print(xb.shape, yb.shape)",
            "print(len(xb), yb)",
            "r = m(xb)",
            "print(F.mse_loss(xb, yb))",
        ]);
        format!(
            "ds = {ds}\nprint(len(ds))\nloader = torch.utils.data.DataLoader(ds{}{opts})\nprint(len(loader))\nfor xb, yb in loader:\n    {body}",
            if opts.is_empty() { "" } else { ", " }
        )
    }

    /// A `torch.autograd.Function` subclass, often with a wrong backward.
    fn autograd_function(&mut self) -> String {
        let forward = self.pick(&[
            "x * y",
            "x + 1",
            "x",
            "x.clone()",
            "(x * 2, y)",
            "3",
            "x.sum()",
            "x @ y",
            "None",
        ]);
        let backward = self.pick(&[
            "g, g",
            "g",
            "g, g, g",
            "None, g",
            "g.sum(), g",
            "torch.ones(5), g",
            "g * y, g * x",
            "(g,)",
            "1",
            "None",
            "g.double(), None",
            "[g, g]",
            "g.t(), g",
            "g, torch.zeros(2, 2, 2)",
        ]);
        let args = self.pick(&["a, b", "a", "a, b, c", "a, 2", "2, a", "a, a", ""]);
        let save = if self.chance(70) {
            "ctx.save_for_backward(x, y)\n        "
        } else {
            ""
        };
        let load = if save.is_empty() {
            ""
        } else {
            "x, y = ctx.saved_tensors\n        "
        };
        let call = self
            .pick(&[
                "r = Fn.apply({})\nr.sum().backward()",
                "r = Fn.apply({})\nprint(r)",
                "r = Fn.apply({})[0].sum().backward()",
                "r = Fn()({})",
                "r = Fn.forward(None, {})",
                "r = torch.autograd.grad(Fn.apply({}).sum(), [a])",
            ])
            .replace("{}", args);
        format!(
            "class Fn(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x, y=None):\n        {save}return {forward}\n    @staticmethod\n    def backward(ctx, g):\n        {load}return {backward}\n{call}"
        )
    }

    /// An optimizer over the user module, then a few steps.
    fn user_optimizer(&mut self) -> String {
        let opt = self.pick(&["SGD", "Adam"]);
        let params = self.pick(&[
            "m.parameters()",
            "list(m.parameters())",
            "[{'params': m.parameters()}]",
            "[{'params': [p]} for p in m.parameters()]",
            "m.named_parameters()",
            "(p for p in m.parameters())",
            "[]",
            "[m.l1.weight, m.l1.weight]",
        ]);
        format!(
            "o = optim.{opt}({params}, lr={}{})\nfor step in range({}):\n    o.zero_grad({})\n    l = {}\n    l.backward()\n    o.step()\nprint(o.state_dict()['param_groups'][0]['lr'])",
            self.pick(NUMBERS),
            self.pick(&["", ", momentum=0.9", ", weight_decay=0.1", ", betas=(0.9, 0.999)", ", amsgrad=True", ", maximize=True"]),
            self.below(3),
            self.pick(&["", "set_to_none=False", "True"]),
            self.pick(&[
                "m(a).sum()",
                "F.mse_loss(m(a), b)",
                "m(torch.randn(4, m.l1.in_features)).pow(2).mean()",
                "sum(p.sum() for p in m.parameters())",
            ])
        )
    }

    /// `try` around a (often bad) statement.
    fn try_except(&mut self) -> String {
        let body = if self.chance(50) {
            self.block()
        } else {
            format!(
                "    {}\n",
                self.pick(&[
                    "a @ torch.ones(7, 5)",
                    "torch.zeros(2, 3) + torch.zeros(4)",
                    "torch.tensor([1, 2]).view(3)",
                    "torch.cat([a, torch.zeros(9, 9, 9)])",
                    "a.sum().backward(); a.sum().backward()",
                    "nn.Linear(3, 2)(torch.randn(2, 5))",
                    "torch.tensor([[1], [2, 3]])",
                    "raise RuntimeError('boom')",
                    "raise ValueError('bad')",
                    "a[100]",
                    "m(torch.randn(1, 9))",
                ])
            )
        };
        let handler = self.pick(&[
            "except RuntimeError as err:\n    print('caught', err)\n",
            "except (RuntimeError, TypeError, ValueError, IndexError) as err:\n    print(type(err).__name__)\n",
            "except Exception as err:\n    print(repr(err))\n    r = err\n",
            "except RuntimeError:\n    raise\n",
            "except RuntimeError as err:\n    raise ValueError('wrapped') from err\n",
            "finally:\n    print('finally')\n",
            "except IndexError:\n    pass\nelse:\n    print('fine')\nfinally:\n    r = None\n",
        ]);
        format!("try:\n{body}{handler}")
    }

    /// One statement, indented as a block body.
    fn block(&mut self) -> String {
        let body = self.statement();
        body.lines().map(|l| format!("    {l}\n")).collect()
    }

    /// The starting variables, then one statement per seed.
    fn program(receivers: &[usize; 5], seeds: &[u64]) -> Vec<String> {
        let mut out: Vec<String> = TENSORS
            .iter()
            .zip(receivers)
            .map(|(name, &r)| format!("{name} = {}", RECEIVERS[r % RECEIVERS.len()]))
            .collect();
        out.extend(SETUP.iter().map(|s| s.to_string()));
        out.extend(seeds.iter().map(|&seed| Gen(seed).statement()));
        out
    }
}

/// Starting tensors: every dtype, 0-dim, empty, size-1, leaves that require grad.
const RECEIVERS: &[&str] = &[
    "torch.randn(2, 2, requires_grad=True)",
    "torch.tensor([[1., 0.], [0., 1.]])",
    "torch.arange(6).reshape(2, 3)",
    "torch.tensor([True, False])",
    "torch.tensor(2.5, dtype=torch.float64)",
    "torch.zeros(0)",
    "torch.zeros(2, 0, requires_grad=True)",
    "torch.ones(1, 1, 1)",
    "torch.tensor(3)",
    "torch.randn(3, requires_grad=True)",
    "torch.randn(2, 3, 4, dtype=torch.float64)",
    "torch.tensor([[1, 2], [3, 4]])",
    "torch.tensor([-9223372036854775807 - 1, -1, 0, 7])",
];

const SETUP: &[&str] = &[
    "m = nn.Linear(2, 2)",
    "o = optim.SGD(m.parameters(), lr=0.1)",
    "r = None",
];

#[derive(Default)]
struct Quiet(usize);

impl Sink for Quiet {
    fn print(&mut self, text: &str) {
        self.0 += text.len();
    }
    fn plot(&mut self, _label: &str, _value: f64) {}
}

/// Sets the interrupt flag every `limit` until dropped, so that no statement runs
/// much longer (each `run` clears the flag when it starts).
struct Watchdog(
    Option<mpsc::Sender<()>>,
    Option<std::thread::JoinHandle<()>>,
);

impl Watchdog {
    fn start(flag: Arc<AtomicBool>, limit: Duration) -> Watchdog {
        let (tx, rx) = mpsc::channel::<()>();
        let handle = std::thread::spawn(move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(limit) {
                flag.store(true, Ordering::Relaxed);
            }
        });
        Watchdog(Some(tx), Some(handle))
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.take();
        if let Some(h) = self.1.take() {
            let _ = h.join();
        }
    }
}

/// Why `e` is not a proper Python exception, if it is not.
fn exception_problem(e: &Exception) -> Option<String> {
    let class = e.class();
    if class == "SystemError" {
        return Some(format!(
            "panic (the evaluator thread caught it):\n{}",
            e.render()
        ));
    }
    if !PYTHON_EXCEPTIONS.contains(&class) {
        return Some(format!("unexpected class in:\n{}", e.render()));
    }
    let rendered = e.render();
    let line = format!("{class}: ");
    let has_line = rendered
        .lines()
        .any(|l| l.starts_with(&line) && l.len() > line.len());
    // Python prints these without a message too.
    let bare_ok = ["KeyboardInterrupt", "MemoryError", "StopIteration"].contains(&class)
        && rendered.lines().any(|l| l == class);
    (!has_line && !bare_ok).then(|| format!("no `{class}: message` line in:\n{rendered}"))
}

/// Runs `program` statement by statement; the first panic or malformed exception.
fn run(program: &[String]) -> Result<(), String> {
    let mut session = new_session();
    let _watchdog = Watchdog::start(session.interrupt_flag(), Duration::from_millis(500));
    let mut sink = Quiet::default();
    for (i, stmt) in program.iter().enumerate() {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            session.run(&format!("{stmt}\n"), "fuzz.py", &mut sink)
        }));
        let listing = || program[..=i].join("\n");
        match outcome {
            // The session turns a panic on its evaluator thread into SystemError.
            Err(_) => return Err(format!("panic in:\n{}", listing())),
            Ok(Err(e)) => {
                if let Some(problem) = exception_problem(&e) {
                    return Err(format!("{problem}\nprogram:\n{}", listing()));
                }
            }
            Ok(Ok(())) => {}
        }
    }
    Ok(())
}

/// Runs `test` on `default` cases of `strategy` (`PROPTEST_CASES` overrides the
/// number); with `NNLEARN_FUZZ_SECS=N` it runs batches of cases for N seconds
/// instead, for long fuzzing runs. A failure panics with the shrunk input.
fn fuzz<S>(default: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S: Strategy,
    S::Value: std::fmt::Debug,
{
    let budget = std::env::var("NNLEARN_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map(Duration::from_secs);
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    let config = ProptestConfig {
        cases,
        failure_persistence: None,
        max_shrink_time: 30_000,
        ..ProptestConfig::default()
    };
    let start = std::time::Instant::now();
    let mut total = 0u64;
    loop {
        // A fresh runner per batch (a runner counts its successes), randomly seeded.
        let mut runner = proptest::test_runner::TestRunner::new(config.clone());
        if let Err(e) = runner.run(&strategy, &test) {
            panic!("{e}");
        }
        total += u64::from(cases);
        if budget.is_none_or(|b| start.elapsed() >= b) {
            break;
        }
    }
    eprintln!("{total} cases in {:.1?}", start.elapsed());
}

fn setup() {
    // Small tensors keep each case fast; larger requests must raise MemoryError.
    nnlearn::tensor::set_max_elements(1 << 14);
}

#[test]
fn torch_snippets_raise_python_exceptions() {
    setup();
    fuzz(
        200,
        (
            any::<[usize; 5]>(),
            prop::collection::vec(any::<u64>(), 1..12),
        ),
        |(receivers, seeds)| {
            let program = Gen::program(&receivers, &seeds);
            if let Err(report) = run(&program) {
                prop_assert!(false, "{}", report);
            }
            Ok(())
        },
    );
}

#[derive(Default)]
struct Capture(String);

impl Sink for Capture {
    fn print(&mut self, text: &str) {
        self.0.push_str(text);
    }
    fn plot(&mut self, _label: &str, _value: f64) {}
}

/// Snippets that once crashed nnlearn, and the last line each must print or raise.
#[test]
fn regressions() {
    setup();
    // Each expected line is what PyTorch 2 prints or raises for the same snippet.
    let cases: &[(&str, &str)] = &[
        (
            "torch.tensor(2.5).unbind()",
            "IndexError: Dimension specified as 0 but tensor has no dimensions",
        ),
        (
            "print(torch.tensor(-9223372036854775807 - 1) // -1)",
            "tensor(-9223372036854775808)",
        ),
    ];
    for (src, expected) in cases {
        let mut session = new_session();
        let mut out = Capture::default();
        let text = match session.run(src, "fuzz.py", &mut out) {
            Ok(()) => out.0,
            Err(e) => e.render(),
        };
        assert_eq!(text.lines().last(), Some(*expected), "{src}");
    }
}

#[test]
fn tables_are_found() {
    let n = names();
    assert!(n.functions.contains(&"tensor") && n.methods.contains(&"backward"));
    assert!(n.classes.contains(&"Linear") && n.functional.contains(&"mse_loss"));
    assert!(n.classes.contains(&"HuberLoss") && n.classes.contains(&"Parameter"));
    assert!(!n.classes.contains(&"Module"));
    assert!(n.words.contains(&"keepdim"));
}

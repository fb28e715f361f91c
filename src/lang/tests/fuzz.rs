//! Garbled programs must never panic the lexer, parser or evaluator.

use std::sync::atomic::Ordering;
use std::time::Duration;

use proptest::prelude::*;

use super::eval::Capture;
use crate::lang::diagnostics::{render_syntax_error, SourceFile};
use crate::lang::lexer::{is_incomplete, tokenize};
use crate::lang::parser::parse;
use crate::lang::{Limits, Session};

const SEEDS: &[&str] = &[
    "xs = [1, 2, 3]\nfor i, v in enumerate(xs):\n    print(f'{i}: {v:>4.1f}', end='')\n",
    "def f(a, b=2):\n    return a ** b if a else -b\nprint(f(3), f(0, b=1), [f(x) for x in range(3)])\n",
    "d = {'k': 1}\nd['j'] = d.get('k') + 1\nwhile d['j'] < 5:\n    d['j'] += 1\nprint(sorted(d.items()), 'k' in d)\n",
    "s = '损失 \\t \\x41'\nprint(s.split(), s[::-1], s.upper().replace('A', 'b'), len(s))\n",
    "x = (1, 2)\na, b = x\nassert a < b, 'ordered'\nprint(x[-1], x[0:1], max(x), min(x, key=lambda v: -v))\n",
    "n = 0\nwhile True:\n    n += 1\n    if n % 2 == 0:\n        continue\n    if n > 7:\n        break\nprint(n, 7 // 2, -7 % 3, 1 / 3, 2 ** 0.5)\n",
    "class A:\n    def __init__(self, v):\n        self.v = v\n    def __add__(self, o):\n        return A(self.v + (o.v if isinstance(o, A) else o))\n    def __radd__(self, o):\n        return A(o + self.v)\n    def __eq__(self, o):\n        return isinstance(o, A) and self.v == o.v\n    def __hash__(self):\n        return hash(self.v)\n    def __repr__(self):\n        return f'A({self.v!r})'\nprint(A(1) + A(2), 3 + A(1), sum([A(1), A(2)], A(0)), A(1) == A(1), {A(1), A(1)})\n",
    "class Base:\n    def __init__(self, n):\n        self.n = n\n    def describe(self):\n        return 'base' + str(self.n)\nclass Child(Base):\n    def __init__(self, n, k=2):\n        super().__init__(n)\n        self.k = k\n    def describe(self):\n        return super().describe() + '/child' + str(self.k)\nc = Child(3)\nprint(c.describe(), isinstance(c, Base), issubclass(Child, Base), type(c).__name__)\n",
    "class Box:\n    count = 0\n    def __init__(self, items):\n        self._items = list(items)\n        Box.count += 1\n    @property\n    def size(self):\n        return len(self._items)\n    @staticmethod\n    def make(n):\n        return Box(range(n))\n    @classmethod\n    def empty(cls):\n        return cls([])\n    def __len__(self):\n        return len(self._items)\n    def __getitem__(self, i):\n        return self._items[i]\n    def __iter__(self):\n        return iter(self._items)\n    def __call__(self, x):\n        return [x * v for v in self]\n    def __contains__(self, v):\n        return v in self._items\nb = Box.make(4)\nprint(b.size, len(b), b[1], b[-1], list(b), b(2), 3 in b, Box.empty().size, Box.count)\n",
    "class MyError(ValueError):\n    def __init__(self, msg, code=1):\n        super().__init__(msg)\n        self.code = code\ndef risky(x):\n    if x < 0:\n        raise MyError('negative', code=x)\n    return 1 / x\nfor x in [1, 0, -2]:\n    try:\n        r = risky(x)\n    except MyError as e:\n        print('my', e, e.code, e.args)\n    except ZeroDivisionError as e:\n        print('zero', type(e).__name__)\n    else:\n        print('ok', r)\n    finally:\n        print('done', x)\n",
    "def convert(s):\n    try:\n        return int(s)\n    except ValueError as e:\n        raise KeyError(s) from e\ntry:\n    convert('zz')\nexcept KeyError as e:\n    print(repr(e), type(e.__cause__).__name__)\ntry:\n    try:\n        [][1]\n    except IndexError:\n        raise\nexcept (IndexError, TypeError) as e:\n    print('again', e)\n",
    "xs = [x * x for x in range(10) if x % 2]\nd = {k: v for k, v in zip('abc', xs)}\ns = {x % 3 for x in xs}\ng = (x + 1 for x in xs)\nnested = [[i * j for j in range(3)] for i in range(2)]\nflat = [v for row in nested for v in row if v]\nprint(xs, d, sorted(s), sum(g), nested, flat, any(x > 50 for x in xs), all(xs))\n",
    "def gen(n):\n    for i in range(n):\n        got = yield i\n        if got:\n            print('got', got)\n    return 'end'\ndef outer():\n    r = yield from gen(3)\n    yield r\ng = gen(3)\nprint(next(g), g.send('hi'), next(g))\nprint(list(outer()))\nit = iter([1, 2])\nprint(next(it), next(it), next(it, 'stop'))\n",
    "def deco(f):\n    def wrapper(*args, **kwargs):\n        print('call', f.__name__, args, sorted(kwargs.items()))\n        return f(*args, **kwargs)\n    return wrapper\ndef repeat(n):\n    def inner(f):\n        def w(*a):\n            return [f(*a) for _ in range(n)]\n        return w\n    return inner\n@deco\ndef add(a, b=1, *rest, scale=1, **extra):\n    return (a + b + sum(rest)) * scale\n@repeat(2)\ndef one(x):\n    return x\nprint(add(1, 2, 3, scale=2, tag='t'), one(5))\n",
    "registry = []\ndef register(cls):\n    registry.append(cls.__name__)\n    return cls\n@register\nclass P:\n    pass\n@register\nclass Q(P):\n    def __repr__(self):\n        return 'Q()'\nprint(registry, Q(), isinstance(Q(), P))\n",
    "total = 0\ndef bump(n):\n    global total\n    total += n\n    return total\ndef counter():\n    c = 0\n    def inc():\n        nonlocal c\n        c += 1\n        return c\n    return inc\nf = counter()\nprint(bump(2), bump(3), f(), f(), total)\n",
    "data = [3, 1, 4, 1, 5]\nif (n := len(data)) > 3:\n    print(n)\nkey = lambda v: (-v, v)\nprint(sorted(data, key=key), list(map(lambda a, b: a * b, data, data)), list(filter(lambda v: v > 1, data)))\nx = [1, 2, 3]\ndel x[0]\nd = {'a': 1, 'b': 2}\ndel d['a']\ny = 5\ndel y\nprint(x, d, [w for w in data if (z := w * 2) > 4])\n",
    "import torch\nx = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    y = x * 2\nz = (x * 3).sum()\nz.backward()\nprint(y.requires_grad, x.grad, torch.is_grad_enabled())\n",
    "class Node:\n    def __init__(self, v, nxt=None):\n        self.v, self.nxt = v, nxt\n    def __iter__(self):\n        node = self\n        while node is not None:\n            yield node.v\n            node = node.nxt\n    def __lt__(self, o):\n        return self.v < o.v\n    def __bool__(self):\n        return self.v != 0\n    def __str__(self):\n        return '->'.join(map(str, self))\nn = Node(1, Node(2, Node(3)))\nprint(n, list(n), sorted([Node(2), Node(1)])[0].v, bool(Node(0)), max(n))\n",
    "import gc\nclass N:\n    def __init__(self):\n        self.me = self\n        self.f = lambda: self\nxs = [N() for _ in range(800)]\nkeep = xs[3]\nxs = None\ndef g():\n    n = N()\n    yield n\n    yield n.f() is n\nit = g()\nnext(it)\nprint(gc.collect() >= 0, keep.f() is keep, next(it), gc.isenabled())\n",
];

const PIECES: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    "\n",
    "    ",
    "'",
    "\"",
    "f'{",
    "}",
    "\\",
    "#",
    "=",
    "+=",
    "**",
    "-",
    "not ",
    " in ",
    "lambda",
    "def ",
    "return ",
    "while True:\n",
    "x",
    "0",
    "1e308",
    "9223372036854775807",
    "*",
    "//",
    "%",
    "...",
    "None",
    "[0] * 99999999",
    "'a' * 99999999",
    "global ",
    "del ",
    "\t",
    "é",
    "🙂",
    "class C(",
    "class D:\n    pass\n",
    "gc.collect()",
    "gc.disable()",
    "self.",
    "super().__init__()",
    "super()",
    "__init__",
    "__add__",
    "__eq__",
    "__hash__",
    "__iter__",
    "__getitem__",
    "__len__",
    "@property\n",
    "@staticmethod\n",
    "@classmethod\n",
    "@",
    "try:\n",
    "except ",
    "except Exception as e:\n",
    "else:\n",
    "finally:\n",
    "raise ",
    " from ",
    "ValueError",
    "yield ",
    "yield from ",
    "next(",
    ".send(",
    " for ",
    " if ",
    ":=",
    "nonlocal ",
    "*args",
    "**kwargs",
    "with ",
    "pass\n",
    "return",
    "self",
    "A",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, usize),
    Delete(usize, usize),
    DuplicateLine(usize),
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..PIECES.len()).prop_map(|(at, p)| Edit::Insert(at, p)),
        (any::<usize>(), 1usize..6).prop_map(|(at, n)| Edit::Delete(at, n)),
        any::<usize>().prop_map(Edit::DuplicateLine),
    ]
}

fn apply(src: &str, edit: &Edit) -> String {
    let chars: Vec<char> = src.chars().collect();
    let at = |i: usize| {
        if chars.is_empty() {
            0
        } else {
            i % (chars.len() + 1)
        }
    };
    match edit {
        Edit::Insert(i, p) => {
            let i = at(*i);
            let mut out: String = chars[..i].iter().collect();
            out.push_str(PIECES[*p]);
            out.extend(&chars[i..]);
            out
        }
        Edit::Delete(i, n) => {
            let i = at(*i);
            let end = (i + n).min(chars.len());
            chars[..i].iter().chain(&chars[end..]).collect()
        }
        Edit::DuplicateLine(i) => {
            let lines: Vec<&str> = src.lines().collect();
            let k = if lines.is_empty() { 0 } else { i % lines.len() };
            let mut out = lines.clone();
            if let Some(line) = lines.get(k) {
                out.insert(k, line);
            }
            out.join("\n") + "\n"
        }
    }
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

fn run_garbled(seed: usize, edits: Vec<Edit>) -> Result<(), TestCaseError> {
    let src = edits
        .iter()
        .fold(SEEDS[seed].to_string(), |s, e| apply(&s, e));
    let _ = tokenize(&src);
    let _ = is_incomplete(&src);
    if parse(&src).is_ok() {
        let mut session = if src.contains("torch") {
            crate::lang::torch::new_session()
        } else {
            Session::new()
        };
        session.set_limits(Limits {
            recursion_depth: 50,
        });
        let flag = session.interrupt_flag();
        // Stop loops the edits made infinite.
        let timer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            flag.store(true, Ordering::Relaxed);
        });
        let result = session.run(&src, "fuzz.py", &mut Capture::default());
        let _ = timer.join();
        if let Err(e) = result {
            prop_assert!(!e.render().is_empty());
            prop_assert_ne!(e.class(), "SystemError", "{}\n{}", e.render(), src);
        }
    }
    Ok(())
}

#[test]
fn garbled_programs_do_not_panic() {
    fuzz(
        300,
        (0..SEEDS.len(), prop::collection::vec(edit_strategy(), 1..5)),
        |(seed, edits)| run_garbled(seed, edits),
    );
}

/// The seeds themselves run without an exception.
#[test]
fn seeds_run() {
    for seed in SEEDS {
        let mut session = if seed.contains("torch") {
            crate::lang::torch::new_session()
        } else {
            Session::new()
        };
        let result = session.run(seed, "seed.py", &mut Capture::default());
        assert!(result.is_ok(), "{seed}\n{}", result.unwrap_err().render());
    }
}

#[test]
fn arbitrary_text_lexes_and_parses() {
    fuzz(
        500,
        ("\\PC{0,120}", prop::collection::vec(0..PIECES.len(), 0..40)),
        |(text, pieces)| {
            let joined: String = pieces.iter().map(|&p| PIECES[p]).collect();
            for src in [text.as_str(), joined.as_str()] {
                let lexed = tokenize(src);
                prop_assert!(lexed.tokens.last().is_some());
                let _ = is_incomplete(src);
                if let Err(errors) = parse(src) {
                    prop_assert!(!errors.is_empty());
                    let file = SourceFile::new("f.py", src);
                    for e in &errors {
                        prop_assert!(e.span.start <= src.len() + 1, "{e:?}");
                        prop_assert!(render_syntax_error(&file, e).contains(&e.message));
                    }
                }
            }
            Ok(())
        },
    );
}

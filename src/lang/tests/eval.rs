use expect_test::{expect, Expect};

use crate::lang::{Session, Sink};

/// Captures printed text and plotted points.
#[derive(Default)]
pub struct Capture {
    pub out: String,
    pub plots: Vec<(String, f64)>,
}

impl Sink for Capture {
    fn print(&mut self, text: &str) {
        self.out.push_str(text);
    }
    fn plot(&mut self, label: &str, value: f64) {
        self.plots.push((label.to_string(), value));
    }
}

/// Runs `src` as `script.py`; the output is what was printed, then the rendered error if any.
pub fn run(session: &mut Session, src: &str) -> String {
    let mut sink = Capture::default();
    let result = session.run(src, "script.py", &mut sink);
    let mut out = sink.out;
    if let Err(e) = result {
        out.push_str(&e.render());
    }
    out
}

fn check(src: &str, expected: Expect) {
    expected.assert_eq(&run(&mut Session::new(), src));
}

#[test]
fn python_basics_conformance_case() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/conformance/cases/"
    );
    let (Ok(src), Ok(expected)) = (
        std::fs::read_to_string(format!("{dir}python_basics.py")),
        std::fs::read_to_string(format!("{dir}python_basics.out")),
    ) else {
        return;
    };
    assert_eq!(run(&mut Session::new(), &src), expected);
}

#[test]
fn numbers_print_like_python() {
    check(
        "print(0.1 + 0.2, 1e-5, 2.0, 1e16, 123456789.0, 1.5e-7, -0.0, float('inf'), float('-inf'), float('nan'))\nprint(7 // -2, -7 % 3, 7.5 // 2, -7.5 % 2, 2 ** -1, -2 ** 2, 10 / 4, 3 * 1.0, True + True)\nprint(round(0.5), round(1.5), round(2.5, 0), round(1234, -2), round(-0.125, 2))\n",
        expect![[r#"
            0.30000000000000004 1e-05 2.0 1e+16 123456789.0 1.5e-07 -0.0 inf -inf nan
            -4 2 3.0 0.5 0.5 -4 2.5 3.0 2
            0 2 2.0 1200 -0.12
        "#]],
    );
}

#[test]
fn formatting() {
    check(
        "x = 3.14159\nprint(f'{x:.3f}|{x:10.2e}|{x:<8}|{42:05d}|{1234567:,}|{0.25:.1%}|{x!r:>10}|{\"s\":^5}|{True}|{None}')\nw = 7\nprint(f'{x:{w}.2f}', '{} and {:>4} and {name}'.format(1, 'ab', name='n'))\nprint(f'{{braces}} {[1, 2]} {(1,)} {1e20:g} {1e-5:g} {123.0:g}')\n",
        expect![[r#"
            3.142|  3.14e+00|3.14159 |00042|1,234,567|25.0%|   3.14159|  s  |True|None
               3.14 1 and   ab and n
            {braces} [1, 2] (1,) 1e+20 1e-05 123
        "#]],
    );
}

#[test]
fn containers_and_methods() {
    check(
        "xs = [3, 1, 2]\nxs.append(5); xs.insert(0, 9); xs.extend((7, 8))\nprint(xs, xs.pop(), xs.pop(0), xs.index(2), len(xs), xs[::-1], xs[1:3], xs[-1])\nys = xs.copy(); ys.sort(); print(ys, sorted(xs, reverse=True), xs)\nd = {'a': 1, 'b': 2}\nd['c'] = 3\nprint(d, list(d.items()), d.keys(), d.get('z', 0), 'a' in d, d['b'])\nfor k, v in d.items():\n    print(k, v, end=' ')\nprint()\ns = ' Hello, 世界 '\nprint(s.strip().upper(), s.split(','), '-'.join(['a', 'b']), s.replace('l', 'L'), s.strip().startswith('He'), s[1:3], len(s))\nprint((1, 2) + (3,), [0] * 3, 'ab' * 2, 2 in (1, 2), 'x' not in 'abc', [1, 2] == [1, 2], (1, 2) < (1, 3))\nprint(list(range(2, 10, 3)), list(reversed([1, 2])), list(zip('ab', [1, 2, 3])), tuple(enumerate('xy', 1)))\nprint(min(3, 1, 2), max([1, 5, 2]), max(['a', 'bb'], key=len), sum([0.5, 1.5]), abs(-3), any([0, 1]), all([]))\nprint(int('42'), int(-2.7), float('1e3'), str(1.0), bool([]), repr('it\\'s'), type(1), type(1.0) is float, isinstance(True, int))\nprint([[i * j for j in range(3)] for i in range(2)], [x for x in 'abc' if x != 'b'])\n",
        expect![[r#"
            [3, 1, 2, 5, 7] 8 9 2 5 [7, 5, 2, 1, 3] [1, 2] 7
            [1, 2, 3, 5, 7] [7, 5, 3, 2, 1] [3, 1, 2, 5, 7]
            {'a': 1, 'b': 2, 'c': 3} [('a', 1), ('b', 2), ('c', 3)] dict_keys(['a', 'b', 'c']) 0 True 2
            a 1 b 2 c 3 
            HELLO, 世界 [' Hello', ' 世界 '] a-b  HeLLo, 世界  True He 11
            (1, 2, 3) [0, 0, 0] abab True True True True
            [2, 5, 8] [2, 1] [('a', 1), ('b', 2)] ((1, 'x'), (2, 'y'))
            1 5 bb 2.0 3 True True
            42 -2 1000.0 1.0 False "it's" <class 'int'> True True
            [[0, 0, 0], [0, 1, 2]] ['a', 'c']
        "#]],
    );
}

#[test]
fn functions_and_scopes() {
    check(
        "def make(k):\n    def add(x, y=1):\n        return x + y * k\n    return add\nf = make(10)\nprint(f(1), f(1, y=2), (lambda a, b=2: a * b)(4))\ncount = 0\ndef inc():\n    global count\n    count += 1\ninc(); inc()\nprint(count)\ndef fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\nprint(fact(20))\ndef pair():\n    return 1, 2\na, b = pair()\nprint(a, b, [x for x in range(3)], 'x' in globals if False else 'ok')\n",
        expect![[r#"
            11 21 8
            2
            2432902008176640000
            1 2 [0, 1, 2] ok
        "#]],
    );
}

#[test]
fn control_flow() {
    check(
        "for i in range(10):\n    if i % 2:\n        continue\n    if i > 6:\n        break\n    print(i, end=' ')\nelse:\n    print('no break')\nprint()\nn = 0\nwhile n < 3:\n    n += 1\nelse:\n    print('done', n)\nassert n == 3, 'n is 3'\nx = [1]\nx += [2]\nprint(x)\ndel x[0]\nprint(x)\n",
        expect![[r#"
            0 2 4 6 
            done 3
            [1, 2]
            [2]
        "#]],
    );
}

#[test]
fn runtime_errors_render_tracebacks() {
    check(
        "a = 1\nprint(a)\nprint(undefined_thing + a)\n",
        expect![[r#"
        1
        Traceback (most recent call last):
          File "script.py", line 3, in <module>
            print(undefined_thing + a)
                  ^^^^^^^^^^^^^^^
        NameError: name 'undefined_thing' is not defined
    "#]],
    );
    check(
        "def f(v):\n    return g(v)\ndef g(v):\n    return v / 0\nprint('before')\nf(1)\n",
        expect![[r#"
            before
            Traceback (most recent call last):
              File "script.py", line 6, in <module>
                f(1)
              File "script.py", line 2, in f
                return g(v)
                       ^^^^
              File "script.py", line 4, in g
                return v / 0
                       ^^^^^
            ZeroDivisionError: division by zero
        "#]],
    );
    check(
        "xs = [1, 2]\nxs[5]\n",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 2, in <module>
            xs[5]
        IndexError: list index out of range
    "#]],
    );
    check(
        "d = {}\nd['missing']\n",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 2, in <module>
            d['missing']
        KeyError: 'missing'
    "#]],
    );
    check(
        "assert 1 > 2, 'one is not greater'\n",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 1, in <module>
            assert 1 > 2, 'one is not greater'
                   ^^^^^
        AssertionError: one is not greater
    "#]],
    );
    check(
        "a, b = [1, 2, 3]\n",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 1, in <module>
            a, b = [1, 2, 3]
            ^^^^
        ValueError: too many values to unpack (expected 2)
    "#]],
    );
    check(
        "'a' + 1\n",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 1, in <module>
            'a' + 1
        TypeError: can only concatenate str (not "int") to str
    "#]],
    );
    // CPython 3.11: a method that is not there is blamed on `a.missing`, not the call.
    check(
        "class A:\n    pass\na = A()\na.missing(1)\n",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 4, in <module>
            a.missing(1)
            ^^^^^^^^^
        AttributeError: 'A' object has no attribute 'missing'
    "#]],
    );
    check(
        "x = 1\nx.foo\n",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 2, in <module>
            x.foo
        AttributeError: 'int' object has no attribute 'foo'
    "#]],
    );
    check(
        "def f(a, b):\n    pass\nf(1)\n",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 3, in <module>
            f(1)
        TypeError: f() missing 1 required positional argument: 'b'
    "#]],
    );
    check(
        "def f():\n    return f()\nf()\n",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 3, in <module>
            f()
          File "script.py", line 2, in f
            return f()
                   ^^^
          File "script.py", line 2, in f
            return f()
                   ^^^
          File "script.py", line 2, in f
            return f()
                   ^^^
          [Previous line repeated 996 more times]
        RecursionError: maximum recursion depth exceeded
    "#]],
    );
    check(
        "import numpy\n",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 1, in <module>
            import numpy
        ModuleNotFoundError: No module named 'numpy'
    "#]],
    );
    check(
        "print(2 ** 64)\n",
        expect![[r#"
        18446744073709551616
    "#]],
    );
    check(
        "def f():\n    x += 1\nf()\n",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 3, in <module>
            f()
          File "script.py", line 2, in f
            x += 1
            ^
        UnboundLocalError: cannot access local variable 'x' where it is not associated with a value
    "#]],
    );
}

#[test]
fn syntax_errors_render_without_traceback() {
    check(
        "print('before')\nif x\n    pass\n",
        expect![[r#"
          File "script.py", line 2
            if x
                ^
        SyntaxError: expected ':'
    "#]],
    );
}

#[test]
fn state_survives_errors_and_runs() {
    let mut session = Session::new();
    let out = run(&mut session, "a = 1\nb = a + 1\nc = b / 0\nd = 4\n");
    assert!(
        out.ends_with("ZeroDivisionError: division by zero\n"),
        "{out}"
    );
    let names: Vec<String> = session.variables().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(run(&mut session, "print(a, b)\n"), "1 2\n");
    session.reset();
    assert!(session.variables().is_empty());
}

#[test]
fn interactive_echoes_the_last_expression() {
    let mut session = Session::new();
    let mut sink = Capture::default();
    let echo = |s: &mut Session, src: &str, sink: &mut Capture| {
        s.run_interactive(src, sink).ok().flatten()
    };
    assert_eq!(echo(&mut session, "x = 0.1 + 0.2", &mut sink), None);
    assert_eq!(
        echo(&mut session, "x", &mut sink).as_deref(),
        Some("0.30000000000000004")
    );
    assert_eq!(echo(&mut session, "'s'", &mut sink).as_deref(), Some("'s'"));
    assert_eq!(echo(&mut session, "print(1)", &mut sink), None);
    assert_eq!(sink.out, "1\n");
}

#[test]
fn interrupt_stops_a_running_loop() {
    let mut session = Session::new();
    let flag = session.interrupt_flag();
    let setter = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    let out = run(&mut session, "n = 0\nwhile True:\n    n += 1\n");
    let _ = setter.join();
    assert!(out.ends_with("KeyboardInterrupt\n"), "{out}");
    assert_eq!(run(&mut session, "print(n > 0)\n"), "True\n");
}

#[test]
fn plot_sends_points_to_the_sink() {
    let mut session = Session::new();
    let mut sink = Capture::default();
    let result = session.run(
        "for i in range(3):\n    plot(i * 0.5)\nplot(7, label='acc')\n",
        "p.py",
        &mut sink,
    );
    assert!(result.is_ok());
    assert_eq!(
        sink.plots,
        [
            ("loss".into(), 0.0),
            ("loss".into(), 0.5),
            ("loss".into(), 1.0),
            ("acc".into(), 7.0)
        ]
    );
}

#[test]
fn more_python_semantics() {
    check(
        "print(f'{3:+d} {-3: d} {255:x} {255:#b} {3.0:g} {1234.5678:.2g} {0.0001234:.3} {1e100} {12345678901234567.0} {-1.5:08.2f} {2.5:.0f} {3.5:.0f}')\nprint(f'{\"abc\":.2} {\"x\":*>4} {7:<3}| {1.0:.3e} {float(\"inf\"):f} {-0.0} {1/3:.20f}')\nprint(repr('a\\nb'), repr(\"q'\"), repr('\"'), repr('both\\'\"'), str(None), [None, True, 'x', 1.0, (2,)], {1: 'a'}, ())\nprint(1 == 1.0, 'a' < 'b', [1, 2] < [1, 2, 0], 3 if 0 else 4, None or 5, 0 and 1, not [], ~5, -(-3), 5 ^ 3, 6 & 3, 1 << 4, -17 >> 2)\nprint(10 % -3, -10 % 3, 10.5 % -3, -2 ** -2, 7 / 2, 6 / 3, 2 ** 62, (-2) ** 3, 0.1 * 3, 1e16 + 1, 100.0 ** 0.5)\nprint(list(range(5, 0, -2)), range(3), len(range(0, 10, 3)), 4 in range(0, 10, 2), range(10)[2:8:2], list(range(10))[-3:], 'hello'[::2], 'hello'[-1:0:-1])\nxs = list(range(6))\nxs[1:3] = ['a']\nprint(xs, xs.count(3), xs[::-2])\nprint(int('  -12 '), int('1_000'), float(' 2.5 '), float('-inf'), int(True), bool('0'), str([1, 'a']), tuple('ab'), dict(a=1, b=2), dict([(1, 2)]))\nprint('a,b,,c'.split(','), ' x  y '.split(), 'a b c'.split(' ', 1), 'xxhixx'.strip('x'), 'Hi'.lower(), 'abc'.find('c'), 'aaa'.count('a'), '{0}{1}{0}'.format('a', 'b'), 'x'.endswith(('y', 'x')))\nprint(sorted(['b', 'a', 'C']), sorted([3, 1, 2], key=lambda v: -v), max('abc'), min([[2], [1, 5]]), sum(range(101)), round(3.14159, 3), round(-2.5), abs(-0.0))\nprint(isinstance(1.0, (int, float)), isinstance('s', str), isinstance([], list), type('x'), type([]), type(None), type(len), type(range(1)))\n",
        expect![[r#"
            +3 -3 ff 0b11111111 3 1.2e+03 0.000123 1e+100 1.2345678901234568e+16 -0001.50 2 4
            ab ***x 7  | 1.000e+00 inf -0.0 0.33333333333333331483
            'a\nb' "q'" '"' 'both\'"' None [None, True, 'x', 1.0, (2,)] {1: 'a'} ()
            True True True 4 5 0 True -6 3 6 2 16 -5
            -2 2 -1.5 -0.25 3.5 2.0 4611686018427387904 -8 0.30000000000000004 1e+16 10.0
            [5, 3, 1] range(0, 3) 4 True range(2, 8, 2) [7, 8, 9] hlo olle
            [0, 'a', 3, 4, 5] 1 [5, 3, 0]
            -12 1000 2.5 -inf 1 True [1, 'a'] ('a', 'b') {'a': 1, 'b': 2} {1: 2}
            ['a', 'b', '', 'c'] ['x', 'y'] ['a', 'b c'] hi hi 2 3 aba True
            ['C', 'a', 'b'] [3, 2, 1] c [1, 5] 5050 3.142 -2 0.0
            True True True <class 'str'> <class 'list'> <class 'NoneType'> <class 'builtin_function_or_method'> <class 'range'>
        "#]],
    );
}

#[test]
fn self_documenting_fstrings() {
    check(
        "x = 0.1\nname = 'n'\nprint(f'{x=} {x = :.2f} {name=!s} {x==0.1} {1 <= 2=}')\n",
        expect![[r#"
            x=0.1 x = 0.10 name=n True 1 <= 2=True
        "#]],
    );
}

#[test]
fn self_referencing_and_deep_containers_print() {
    check(
        "a = [1]\na.append(a)\nd = {}\nd['d'] = d\nprint(a, d)\nb = []\nfor i in range(2000):\n    b = [b]\nprint(len(repr(b)))\n",
        expect![[r#"
            [1, [...]] {'d': {...}}
            1003
        "#]],
    );
}

#[test]
fn percent_formatting() {
    check(
        "print('loss: %.4f' % 0.123456, '%d items' % 3.9, '%5s|%-5s|' % ('a', 'b'), '%05.1f %+d %x %o %%' % (3.14159, 5, 255, 8))\nprint('%s and %r' % ('s', 's'), '%(a)s=%(b)d' % {'a': 'x', 'b': 2}, '%e %g %10.3e' % (12345.678, 0.0001, 1.5), '%c%c' % (72, 'i'))\nprint('%d' % (1, 2))\n",
        expect![[r#"
            loss: 0.1235 3 items     a|b    | 003.1 +5 ff 10 %
            s and 's' x=2 1.234568e+04 0.0001  1.500e+00 Hi
            Traceback (most recent call last):
              File "script.py", line 3, in <module>
                print('%d' % (1, 2))
                      ^^^^^^^^^^^^^
            TypeError: not all arguments converted during string formatting
        "#]],
    );
}

#[test]
fn math_module() {
    check(
        "import math\nfrom math import exp, pi\nprint(math.sqrt(2), exp(1), pi, math.log(8, 2), math.floor(-2.5), math.ceil(2.1), math.isclose(0.1 + 0.2, 0.3), math.inf, math.tanh(0.5), math)\nmath.log(0)\n",
        expect![[r#"
            1.4142135623730951 2.718281828459045 3.141592653589793 3.0 -3 3 True inf 0.46211715726000974 <module 'math'>
            Traceback (most recent call last):
              File "script.py", line 4, in <module>
                math.log(0)
            ValueError: math domain error
        "#]],
    );
}

#[test]
fn runaway_growth_is_a_memory_error() {
    check(
        "xs = [0] * 10 ** 9\n",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 1, in <module>
            xs = [0] * 10 ** 9
                 ^^^^^^^^^^^^^
        MemoryError
    "#]],
    );
    check(
        "s = 'ab'\nwhile True:\n    s = s + s\n",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 3, in <module>
            s = s + s
                ^^^^^
        MemoryError
    "#]],
    );
}

#[test]
fn long_builtin_loops_can_be_interrupted() {
    for src in [
        "all(range(1, 10 ** 15))\n",
        "list(zip(range(10 ** 15), range(10 ** 15)))\n",
    ] {
        let mut session = Session::new();
        let flag = session.interrupt_flag();
        let setter = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(30));
            flag.store(true, std::sync::atomic::Ordering::Relaxed);
        });
        let out = run(&mut session, src);
        let _ = setter.join();
        assert!(
            out.ends_with("KeyboardInterrupt\n") || out.ends_with("MemoryError\n"),
            "{out}"
        );
    }
}

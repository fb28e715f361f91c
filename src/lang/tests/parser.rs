use expect_test::{expect, Expect};

use crate::lang::ast_dump::dump_block;
use crate::lang::parser::parse;

fn check(src: &str, expected: Expect) {
    let out = match parse(src) {
        Ok(module) => dump_block(&module.body),
        Err(errors) => errors
            .iter()
            .map(|e| {
                format!(
                    "{}: {} at {}..{}\n",
                    e.class, e.message, e.span.start, e.span.end
                )
            })
            .collect(),
    };
    expected.assert_eq(&out);
}

#[test]
fn precedence() {
    check(
        "-2 ** 2\n2 ** -1\n",
        expect![[r#"
        (expr (- (** 2 2)))
        (expr (** 2 (- 1)))
    "#]],
    );
}

#[test]
fn statements() {
    check(
        "a, b = x.y[0] = 1, 2\nx[:, 1] += 3\nx[..., None, ::2, 1:3] = -1.0\nfor i, v in enumerate(xs):\n    if v: continue\n    elif not v: break\n    else: pass\nwhile n < 3:\n    n -= 1\nwith torch.no_grad(), a as b:\n    del c, d[0]\nassert x, 'msg'\n",
        expect![[r#"
            (assign [(tuple a b) ([] (. x y) 0)] (tuple 1 2))
            (augassign += ([] x (tuple : 1)) 3)
            (assign [([] x (tuple ... None ::2 1:3))] (- 1.0))
            (for (tuple i v) in (call enumerate xs))
              do:
                (if v)
                  then:
                    (continue)
                  else:
                    (if (not v))
                      then:
                        (break)
                      else:
                        (pass)
            (while (cmp n < 3))
              do:
                (augassign -= n 1)
            (with (call (. torch no_grad)), a as b)
              body:
                (del c ([] d 0))
            (assert x "msg")
        "#]],
    );
}

#[test]
fn imports_and_defs() {
    check(
        "import torch\nimport torch.nn as nn, torch.nn.functional as F\nfrom torch import nn, optim as o\ndef f(a, b=2):\n    global g\n    g = a\n    c = lambda x, y=1: x + y + b\n    return c, a\n",
        expect![[r#"
            (import torch)
            (import torch.nn as nn, torch.nn.functional as F)
            (from torch import nn, optim as o)
            (def f(a b=2) locals=[a b c])
              body:
                (global g)
                (assign [g] a)
                (assign [c] (lambda <lambda>(x y=1) (+ (+ x y) b)))
                (return (tuple c a))
        "#]],
    );
}

#[test]
fn expressions() {
    check(
        "print(a if c else b, not a == b, a < b <= c, a not in b, a is not None, key=1)\nsum(p.numel() for p in m.parameters())\n[x * y for x in xs if x for y in ys if y > 0 if y]\n{'k': v, 1: (2,)}\n(), (1,), [], {}\nf\"{name}: {3.14159:.2f} | {42:>5} | {'x'!r} {{}}\" 'tail'\n1 + 2 * 3 ** 2 ** -1 @ m // 4 % 5 - -x\na | b ^ c & d << 1 >> 2\n~a or b and c\n",
        expect![[r#"
            (expr (call print (ifexp c a b) (not (cmp a == b)) (cmp a < b <= c) (cmp a not in b) (cmp a is not None) key=1))
            (expr (call sum (genexp (call (. p numel)) for p in (call (. m parameters)))))
            (expr (listcomp (* x y) for x in xs if x for y in ys if (cmp y > 0) if y))
            (expr {"k": v, 1: (tuple 2)})
            (expr (tuple (tuple ) (tuple 1) [] {}))
            (expr (f {name} ": " {3.14159:".2f"} " | " {42:">5"} " | " {"x"!r} " {}tail"))
            (expr (- (+ 1 (% (// (@ (* 2 (** 3 (** 2 (- 1)))) m) 4) 5)) (- x)))
            (expr (| a (^ b (& c (>> (<< d 1) 2)))))
            (expr (or (~ a) (and b c)))
        "#]],
    );
}

#[test]
fn syntax_errors() {
    check(
        "x = (1,\n",
        expect![[r#"
        SyntaxError: '(' was never closed at 4..5
    "#]],
    );
    check(
        "if x\n    y\n",
        expect![[r#"
        SyntaxError: expected ':' at 4..5
    "#]],
    );
    check(
        "x = 1\n  y = 2\n",
        expect![[r#"
        IndentationError: unexpected indent at 6..8
    "#]],
    );
    check(
        "if x:\ny = 2\n",
        expect![[r#"
        IndentationError: expected an indented block after 'if' statement on line 1 at 6..7
    "#]],
    );
    check(
        "if x:\n        a\n    b\n",
        expect![[r#"
        IndentationError: unindent does not match any outer indentation level at 16..20
    "#]],
    );
    check(
        "s = 'abc\n",
        expect![[r#"
        SyntaxError: unterminated string literal (detected at line 1) at 4..5
    "#]],
    );
    check(
        "f(1 2)\n",
        expect![[r#"
        SyntaxError: invalid syntax. Perhaps you forgot a comma? at 4..5
    "#]],
    );
    check(
        "x = = 1\ny = 2\nz = )\n",
        expect![[r#"
        SyntaxError: invalid syntax at 4..5
        SyntaxError: unmatched ')' at 18..19
    "#]],
    );
    check(
        "f() = 1\n1 = x\nbreak\nreturn 1\n",
        expect![[r#"
        SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='? at 0..3
        SyntaxError: cannot assign to literal here. Maybe you meant '==' instead of '='? at 8..9
        SyntaxError: 'break' outside loop at 14..19
        SyntaxError: 'return' outside function at 20..28
    "#]],
    );
    check(
        "def f(a=1, b):\n    pass\n",
        expect![[r#"
        SyntaxError: non-default argument follows default argument at 11..12
    "#]],
    );
    check(
        "print(f'{}')\nprint(f'{x!z}')\nprint(f'{a b}')\n",
        expect![[r#"
        SyntaxError: f-string: empty expression not allowed at 8..9
        SyntaxError: f-string: invalid conversion character: expected 's', 'r', or 'a' at 24..25
    "#]],
    );
    check(
        "if x = 1:\n    pass\n",
        expect![[r#"
        SyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='? at 3..6
    "#]],
    );
    check(
        "async def f():\n    pass\n",
        expect![[r#"
        SyntaxError: 'async' is not supported in nnlearn snippets at 0..5
    "#]],
    );
    check(
        "x = await f()\nmatch x:\n    case 1:\n        pass\nmatch = 1\nmatch(x)\n",
        expect![[r#"
        SyntaxError: 'await' is not supported in nnlearn snippets at 4..9
        SyntaxError: 'match' is not supported in nnlearn snippets at 14..19
    "#]],
    );
    check(
        &format!("x = {}1{}\n", "(".repeat(250), ")".repeat(250)),
        expect![[r#"
        SyntaxError: too many nested parentheses at 104..105
        SyntaxError: too many nested parentheses at 204..205
    "#]],
    );
    check(
        &format!("x = {}1\n", "-".repeat(5000)),
        expect![[r#"
        SyntaxError: too many nested parentheses at 204..205
    "#]],
    );
}

#[test]
fn conformance_cases_parse() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/conformance/cases"
    );
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut parsed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "py") {
            let src = std::fs::read_to_string(&path).unwrap_or_default();
            if let Err(errors) = parse(&src) {
                panic!("{}: {errors:?}", path.display());
            }
            parsed += 1;
        }
    }
    assert!(parsed > 20, "only {parsed} cases found");
}

/// Every code block of the lessons (cells, exercises, solutions, checks) must parse.
#[test]
fn lesson_code_blocks_parse() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");
    let Ok(langs) = std::fs::read_dir(dir) else {
        return;
    };
    let mut blocks = 0;
    for lang in langs.flatten() {
        for file in std::fs::read_dir(lang.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let text = std::fs::read_to_string(file.path()).unwrap_or_default();
            let mut code: Option<String> = None;
            for line in text.lines() {
                match (&mut code, line.trim_end()) {
                    (None, fence)
                        if ["```python", "```solution", "```check"]
                            .iter()
                            .any(|f| fence.starts_with(f)) =>
                    {
                        code = Some(String::new());
                    }
                    (Some(src), "```") => {
                        if let Err(errors) = parse(src) {
                            panic!("{}:\n{src}\n{errors:?}", file.path().display());
                        }
                        blocks += 1;
                        code = None;
                    }
                    (Some(src), line) => {
                        src.push_str(line);
                        src.push('\n');
                    }
                    (None, _) => {}
                }
            }
        }
    }
    assert!(blocks > 100, "only {blocks} blocks found");
}

use expect_test::{expect, Expect};

use crate::lang::diagnostics::{render_syntax_error, render_traceback, Frame, SourceFile};
use crate::lang::parser::parse;
use crate::lang::span::Span;

/// Renders every syntax error of `src` as Python 3.11 would.
fn check_syntax(src: &str, expected: Expect) {
    let file = SourceFile::new("x.py", src);
    let errors = parse(src).err().unwrap_or_default();
    let out: String = errors
        .iter()
        .map(|e| render_syntax_error(&file, e))
        .collect();
    expected.assert_eq(&out);
}

#[test]
fn syntax_errors_render_like_python() {
    check_syntax(
        "x = 1\nif x\n    y = 2\n",
        expect![[r#"
              File "x.py", line 2
                if x
                    ^
            SyntaxError: expected ':'
        "#]],
    );
    check_syntax(
        "print((1, 2)\n",
        expect![[r#"
          File "x.py", line 1
            print((1, 2)
                 ^
        SyntaxError: '(' was never closed
    "#]],
    );
    check_syntax(
        "name = '损失\n",
        expect![[r#"
          File "x.py", line 1
            name = '损失
                   ^
        SyntaxError: unterminated string literal (detected at line 1)
    "#]],
    );
    check_syntax(
        "def f():\nreturn 1\n",
        expect![[r#"
          File "x.py", line 2
            return 1
            ^^^^^^
        IndentationError: expected an indented block after function definition on line 1
    "#]],
    );
}

/// `frames` are (file text, function, text of the underlined code) outermost first.
fn check_traceback(frames: &[(&str, &str, &str)], class: &str, message: &str, expected: Expect) {
    let frames: Vec<Frame> = frames
        .iter()
        .map(|(text, function, code)| {
            let start = text.find(code).unwrap_or(0);
            Frame {
                source: SourceFile::new("script.py", *text),
                function: function.to_string(),
                span: Span::new(start, start + code.len()),
            }
        })
        .collect();
    expected.assert_eq(&render_traceback(&frames, class, message));
}

#[test]
fn traceback_points_at_the_failing_expression() {
    let script = "import torch\n\nx = torch.ones(4, 2)\nw = torch.ones(3, 1)\ny = x @ w\n";
    check_traceback(
        &[(script, "<module>", "x @ w")],
        "RuntimeError",
        "mm: mat1 and mat2 shapes cannot be multiplied (4x2 and 3x1)",
        expect![[r#"
            Traceback (most recent call last):
              File "script.py", line 5, in <module>
                y = x @ w
                    ^^^^^
            RuntimeError: mm: mat1 and mat2 shapes cannot be multiplied (4x2 and 3x1)
        "#]],
    );
    // Carets that would underline the whole line are left out, as Python does.
    let script = "def f(v):\n    assert v > 0\n\nf(-1)\n";
    check_traceback(
        &[(script, "<module>", "f(-1)"), (script, "f", "assert v > 0")],
        "AssertionError",
        "",
        expect![[r#"
            Traceback (most recent call last):
              File "script.py", line 4, in <module>
                f(-1)
              File "script.py", line 2, in f
                assert v > 0
            AssertionError
        "#]],
    );
    check_traceback(
        &[("s = '损失' + 数\n", "<module>", "数")],
        "NameError",
        "name '数' is not defined",
        expect![[r#"
        Traceback (most recent call last):
          File "script.py", line 1, in <module>
            s = '损失' + 数
                         ^^
        NameError: name '数' is not defined
    "#]],
    );
}

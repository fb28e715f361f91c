use expect_test::{expect, Expect};

use crate::lang::lexer::{is_incomplete, tokenize};

fn check(src: &str, expected: Expect) {
    let lexed = tokenize(src);
    let mut out: Vec<String> = lexed
        .tokens
        .iter()
        .map(|t| format!("{} {}..{}", t.kind.describe(), t.span.start, t.span.end))
        .collect();
    out.extend(lexed.errors.iter().map(|e| {
        format!(
            "error {}: {} at {}..{}",
            e.class, e.message, e.span.start, e.span.end
        )
    }));
    expected.assert_eq(&(out.join("\n") + "\n"));
}

#[test]
fn numbers() {
    check(
        "1 1_000 1e-3 .5 2. 0x1F 1.5E+2",
        expect![[r#"
            Int(1) 0..1
            Int(1000) 2..7
            Float(0.001) 8..12
            Float(0.5) 13..15
            Float(2.0) 16..18
            Int(31) 19..23
            Float(150.0) 24..30
            Newline 30..30
            EndMarker 30..30
        "#]],
    );
}

#[test]
fn indentation_and_brackets() {
    check(
        "if x:\n    y = (1,\n  2)  # c\n\n    z\nw\n",
        expect![[r#"
            Keyword(if) 0..2
            Name(x) 3..4
            Op(:) 4..5
            Newline 5..6
            Indent 6..10
            Name(y) 10..11
            Op(=) 12..13
            Op(() 14..15
            Int(1) 15..16
            Op(,) 16..17
            Int(2) 20..21
            Op()) 21..22
            Comment 24..27
            Newline 27..28
            Name(z) 33..34
            Newline 34..35
            Dedent 35..35
            Name(w) 35..36
            Newline 36..37
            EndMarker 37..37
        "#]],
    );
}

#[test]
fn strings_and_escapes() {
    check(
        "'a\\n\\t\\\\\\x41\\u4e2d' \"损失\" '''x\ny''' r'\\n'\n",
        expect![[r#"
            Str("a\n\t\\A中") 0..19
            Str("损失") 20..28
            Str("x\ny") 29..38
            Str("\\n") 39..44
            Newline 44..45
            EndMarker 45..45
        "#]],
    );
}

#[test]
fn fstring_fields() {
    check(
        "f'{x!r:>{w}} {{ok}} {y:.2f}'\n",
        expect![[r#"
        FString([Field { expr: Span { start: 3, end: 4 }, conversion: Some('r'), spec: [Literal(">"), Field { expr: Span { start: 9, end: 10 }, conversion: None, spec: [] }] }, Literal(" {ok} "), Field { expr: Span { start: 21, end: 22 }, conversion: None, spec: [Literal(".2f")] }]) 0..28
        Newline 28..29
        EndMarker 29..29
    "#]],
    );
}

#[test]
fn errors_keep_tokens() {
    check(
        "x = 'abc\ny = (1,\n",
        expect![[r#"
        Name(x) 0..1
        Op(=) 2..3
        Error 4..8
        Newline 8..9
        Name(y) 9..10
        Op(=) 11..12
        Op(() 13..14
        Int(1) 14..15
        Op(,) 15..16
        Newline 17..17
        EndMarker 17..17
        error SyntaxError: unterminated string literal (detected at line 1) at 4..5
        error SyntaxError: '(' was never closed at 13..14
    "#]],
    );
    check(
        "if x:\n        a\n    b\n",
        expect![[r#"
        Keyword(if) 0..2
        Name(x) 3..4
        Op(:) 4..5
        Newline 5..6
        Indent 6..14
        Name(a) 14..15
        Newline 15..16
        Dedent 20..20
        Name(b) 20..21
        Newline 21..22
        Dedent 22..22
        EndMarker 22..22
        error IndentationError: unindent does not match any outer indentation level at 16..20
    "#]],
    );
    check(
        "x = $ + 中\u{3000}\n",
        expect![[r#"
        Name(x) 0..1
        Op(=) 2..3
        Error 4..5
        Op(+) 6..7
        Name(中) 8..11
        Error 11..14
        Newline 14..15
        EndMarker 15..15
        error SyntaxError: invalid syntax at 4..5
        error SyntaxError: invalid character '　' (U+3000) at 11..14
    "#]],
    );
}

fn check_incomplete(cases: &[(&str, bool)]) {
    for (src, incomplete) in cases {
        assert_eq!(is_incomplete(src), *incomplete, "{src:?}");
    }
}

#[test]
fn incomplete_input() {
    check_incomplete(&[
        ("x = 1", false),
        ("x = (1,", true),
        ("s = '''abc", true),
        ("if x:", true),
        ("if x:  # comment", true),
        ("if x:\n    y = 1", true),
        ("if x:\n    y = 1\n\n", false),
        ("x = 1 + \\", true),
        ("x = )", false),
        ("d = {'a': 1}", false),
    ]);
}

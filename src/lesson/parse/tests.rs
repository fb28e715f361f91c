use std::collections::BTreeMap;
use std::fmt::Write;

use expect_test::{expect, Expect};

use super::{parse_lesson, parse_prose};
use crate::lesson::model::{Block, Lang, Lesson, Prose, Span};

fn assets() -> BTreeMap<String, String> {
    let diagram = include_str!("../../../tests/fixtures/assets/two-layer.txt");
    BTreeMap::from([("two-layer.txt".to_string(), diagram.to_string())])
}

/// Parses `text` as `en/01-test.md` and compares a dump of the lesson, or the
/// list of errors, with `expected`.
fn check(text: &str, expected: Expect) {
    check_file("en/01-test.md", text, expected);
}

fn check_file(path: &str, text: &str, expected: Expect) {
    let actual = match parse_lesson(path, Lang::En, text, &assets()) {
        Ok(lesson) => dump(&lesson),
        Err(errors) => errors.iter().map(|error| format!("{error}\n")).collect(),
    };
    expected.assert_eq(&actual);
}

fn dump(lesson: &Lesson) -> String {
    let mut out = format!(
        "{} #{} {} {}: {:?} / {:?}\n",
        lesson.source_path, lesson.number, lesson.slug, lesson.lang, lesson.title, lesson.summary
    );
    for block in &lesson.blocks {
        match block {
            Block::Prose(prose) => dump_prose(&mut out, prose, 0),
            Block::Cell(cell) => {
                let _ = writeln!(
                    out,
                    "cell #{} line {}: {:?}",
                    cell.index, cell.line, cell.code
                );
                if let Some(output) = &cell.expected_output {
                    let _ = writeln!(out, "  output: {output:?}");
                }
            }
            Block::Exercise(exercise) => {
                let _ = writeln!(
                    out,
                    "exercise #{} {} line {}: {:?}",
                    exercise.index, exercise.id, exercise.line, exercise.code
                );
                let _ = writeln!(out, "  check: {:?}", exercise.check);
                for hint in &exercise.hints {
                    let _ = writeln!(out, "  hint: {hint:?}");
                }
                let _ = writeln!(out, "  solution: {:?}", exercise.solution);
            }
        }
    }
    out
}

fn dump_prose(out: &mut String, prose: &Prose, depth: usize) {
    let indent = "  ".repeat(depth);
    let _ = match prose {
        Prose::Heading { level, spans } => {
            writeln!(out, "{indent}heading {level}: {}", spans_text(spans))
        }
        Prose::Paragraph(spans) => writeln!(out, "{indent}paragraph: {}", spans_text(spans)),
        Prose::List { start, items } => {
            let _ = writeln!(out, "{indent}list start={start:?}");
            for item in items {
                let _ = writeln!(out, "{indent}  item");
                for prose in item {
                    dump_prose(out, prose, depth + 2);
                }
            }
            Ok(())
        }
        Prose::Table { align, head, rows } => {
            let _ = writeln!(out, "{indent}table {align:?}");
            for row in std::iter::once(head).chain(rows) {
                let cells: Vec<String> = row.iter().map(|cell| spans_text(cell)).collect();
                let _ = writeln!(out, "{indent}  | {} |", cells.join(" | "));
            }
            Ok(())
        }
        Prose::Quote(blocks) => {
            let _ = writeln!(out, "{indent}quote");
            for prose in blocks {
                dump_prose(out, prose, depth + 1);
            }
            Ok(())
        }
        Prose::Math(text) => writeln!(out, "{indent}math: {text:?}"),
        Prose::Code { lang, text } => writeln!(out, "{indent}code {lang:?}: {text:?}"),
        Prose::Diagram { caption, text } => writeln!(out, "{indent}diagram {caption:?}: {text:?}"),
        Prose::Rule => writeln!(out, "{indent}rule"),
    };
}

/// Spans as quoted text with their styles: `*..*` emphasis, `**..**` strong,
/// `~~..~~` strikethrough, `` `..` `` code, `$..$` math, `[..](link)`.
fn spans_text(spans: &[Span]) -> String {
    let parts: Vec<String> = spans
        .iter()
        .map(|span| {
            let mut text = format!("{:?}", span.text);
            for (on, mark) in [
                (span.style.code, "`"),
                (span.style.math, "$"),
                (span.style.emphasis, "*"),
                (span.style.strong, "**"),
                (span.style.strikethrough, "~~"),
            ] {
                if on {
                    text = format!("{mark}{text}{mark}");
                }
            }
            match &span.link {
                Some(link) => format!("[{text}]({link})"),
                None => text,
            }
        })
        .collect();
    parts.join(" ")
}

#[test]
fn the_format_example() {
    check_file(
        "lessons/en/02-linear-regression.md",
        include_str!("../../../tests/fixtures/lessons/en/01-sample.md"),
        expect![[r##"
            lessons/en/02-linear-regression.md #2 linear-regression en: "Linear regression" / "Predict a number with a weighted sum, then learn the weights."
            heading 1: "Weighted sums"
            paragraph: "Text, " **"emphasis"** ", " `"code"` ", and math: inline " $"ŷ = Xw"$ " and display"
            math: "MSE = (1/m) Σᵢ₌₁ᵐ (yᵢ − ŷᵢ)²"
            diagram Some("The network"): "┌───┐   ┌───┐\n│ x ├──▶│ h │\n└───┘   └───┘"
            cell #0 line 14: "x = torch.tensor([[1., 0.], [1., 1.]])\nprint(x @ torch.tensor([0.5, 2.0]))\n"
              output: "tensor([0.5000, 2.5000])\n"
            exercise #1 mse-by-hand line 22: "# Compute the mean squared error of y_hat against y without nn.MSELoss.\nmse = ...\n"
              check: "assert torch.allclose(mse, torch.nn.MSELoss()(y_hat, y)), \"compare with nn.MSELoss\"\n"
              hint: "Square the differences, then take their mean."
              hint: "`.mean()` averages every element."
              solution: "mse = ((y - y_hat) ** 2).mean()\n"
        "##]],
    );
}

#[test]
fn prose() {
    check(
        r##"---
title: Prose
---
Some *emphasis*, ~~gone~~, a [link to **docs**](https://pytorch.org) and a picture
![a photo](img/photo.png), then a hard\
break.

- tight item with $x^2$
- another
  1. nested *ordered*
  2. two

3. loose item

   second paragraph

| name | value |
| :--- | ----: |
| $\eta$ | 0.1 |

> A quote with `code`.
>
> $$\begin{aligned} a &= b \\ &= c \end{aligned}$$

---

```diagram
a ─▶ b
```
```text
shown, not run
```
    indented code

## Rows $\le$ 2

- ```python
  print("in a list: shown")
  ```
"##,
        expect![[r##"
            en/01-test.md #1 test en: "Prose" / ""
            paragraph: "Some " *"emphasis"* ", " ~~"gone"~~ ", a " ["link to "](https://pytorch.org) [**"docs"**](https://pytorch.org) " and a picture " *"[a photo]"* ", then a hard\nbreak."
            list start=None
              item
                paragraph: "tight item with " $"x²"$
              item
                paragraph: "another"
                list start=Some(1)
                  item
                    paragraph: "nested " *"ordered"*
                  item
                    paragraph: "two"
            list start=Some(3)
              item
                paragraph: "loose item"
                paragraph: "second paragraph"
            table [Left, Right]
              | "name" | "value" |
              | $"η"$ | "0.1" |
            quote
              paragraph: "A quote with " `"code"` "."
              math: "a = b\n  = c"
            rule
            diagram None: "a ─▶ b"
            code "text": "shown, not run"
            code "": "indented code"
            heading 2: "Rows " $"≤"$ " 2"
            list start=None
              item
                code "python": "print(\"in a list: shown\")"
        "##]],
    );
}

#[test]
fn runnable_indexes_and_lines() {
    check(
        "---\ntitle: T\nsummary: S\n---\n```python\na = 1\n```\n\ntext\n\n```python\nprint(a)\n```\n```output\n1\n```\n```python exercise id=e1\nb = ...\n```\n```solution\nb = 2\n```\n```check\nassert b == 2\n```\n```python\nprint(b)\n```\n",
        expect![[r##"
            en/01-test.md #1 test en: "T" / "S"
            cell #0 line 5: "a = 1\n"
            paragraph: "text"
            cell #1 line 11: "print(a)\n"
              output: "1\n"
            exercise #2 e1 line 17: "b = ...\n"
              check: "assert b == 2\n"
              solution: "b = 2\n"
            cell #3 line 26: "print(b)\n"
        "##]],
    );
}

#[test]
fn every_problem_is_reported() {
    check(
        r##"---
title: Broken
level: 3
---

```output
no cell before me
```

```python
x = 1
```

Prose between a cell and its output.

```output
1
```

```check
assert True
```

```python exercise id=twice
a = ...
```
```hint
only a hint
```

```python exercise id=twice
b = ...
```
```check
assert b
```
```check
assert b
```
```solution
b = 1
```

```python exercise
c = ...
```

```python exercise id=lonely
```

```python cell
```

```solution
orphan
```

![missing](../../assets/nowhere.txt)
"##,
        expect![[r##"
            en/01-test.md:3: unknown front matter key `level`
            en/01-test.md:6: an `output` block must directly follow a `python` cell
            en/01-test.md:16: an `output` block must directly follow a `python` cell
            en/01-test.md:20: a `check` block must follow a `python exercise` (or its other parts)
            en/01-test.md:24: exercise `twice` has no `check` block
            en/01-test.md:24: exercise `twice` has no `solution` block
            en/01-test.md:31: duplicate exercise id `twice`
            en/01-test.md:37: exercise `twice` has a second `check`
            en/01-test.md:44: an exercise needs exactly `id=ID` after `python exercise`
            en/01-test.md:44: exercise `` has no `check` block
            en/01-test.md:44: exercise `` has no `solution` block
            en/01-test.md:48: exercise `lonely` has no `check` block
            en/01-test.md:48: exercise `lonely` has no `solution` block
            en/01-test.md:51: unknown python fence `python cell` (expected `python` or `python exercise id=ID`)
            en/01-test.md:54: a `solution` block must follow a `python exercise` (or its other parts)
            en/01-test.md:58: unknown asset `nowhere.txt`
        "##]],
    );
}

#[test]
fn front_matter_problems() {
    check(
        "# No front matter\n",
        expect![[r##"
        en/01-test.md:1: missing front matter (---, title: ..., summary: ..., ---)
    "##]],
    );
    check(
        "---\ntitle: Never closed\n\ntext\n",
        expect![[r#"
        en/01-test.md:1: front matter is not closed by a `---` line
    "#]],
    );
    check(
        "---\ntitle: T\n---",
        expect![[r#"
        en/01-test.md #1 test en: "T" / ""
    "#]],
    );
    check(
        "---\nsummary: no title\nnot a pair\n---\n",
        expect![[r#"
        en/01-test.md:1: front matter has no title
        en/01-test.md:3: front matter line is not `key: value`: not a pair
    "#]],
    );
    check(
        "---\r\ntitle: \"Quoted: with colon\"\r\n---\r\ntext\r\n",
        expect![[r##"
        en/01-test.md #1 test en: "Quoted: with colon" / ""
        paragraph: "text"
    "##]],
    );
}

#[test]
fn file_names() {
    let valid = "---\ntitle: T\n---\n";
    check_file(
        "lessons/zh/00-welcome.md",
        valid,
        expect![[r##"
        lessons/zh/00-welcome.md #0 welcome en: "T" / ""
    "##]],
    );
    for bad in [
        "en/welcome.md",
        "en/01-.md",
        "en/xx-welcome.md",
        "en/01-Welcome.md",
        "en/01-a.txt",
    ] {
        let errors = parse_lesson(bad, Lang::En, valid, &assets()).err();
        let messages: Vec<String> = errors.iter().flatten().map(|e| e.to_string()).collect();
        assert_eq!(
            messages,
            [format!("{bad}: file name must look like NN-slug.md")]
        );
    }
}

#[test]
fn hint_text_is_prose() {
    let prose = parse_prose("Use `.mean()`: $\\frac{1}{m}\\sum_i e_i$.\n\n```python\nshown()\n```\n![x](../../assets/none.txt)\n");
    let mut out = String::new();
    for block in &prose {
        dump_prose(&mut out, block, 0);
    }
    expect![[r#"
        paragraph: "Use " `".mean()"` ": " $"(1/m) Σᵢ eᵢ"$ "."
        code "python": "shown()"
    "#]]
    .assert_eq(&out);
}

proptest::proptest! {
    #[test]
    fn never_panics(body in r"(---\n|title: t\n|```python\n|```python exercise id=a\n|```output\n|```check\n|```solution\n|```hint\n|```\n|    |\$|\$\$|[a-z ]|\n|> |- |1\. |\| |\*|!\[a\]\(assets/b.txt\)|\\frac|\{|\}){0,60}") {
        let _ = parse_lesson("en/01-x.md", Lang::En, &body, &assets());
        let _ = parse_prose(&body);
    }
}

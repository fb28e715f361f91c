//! A line diff of expected against printed output, for failure reports.

/// Lines of `want` and `got` in unified-diff style: ` ` for a line both have,
/// `-` for one only PyTorch printed, `+` for one only nnlearn printed. Runs of
/// more than two unchanged lines are cut to one line of context each side.
pub fn line_diff(want: &str, got: &str) -> Vec<String> {
    let want: Vec<&str> = want.lines().collect();
    let got: Vec<&str> = got.lines().collect();
    let edits = edit_script(&want, &got);
    let changed: Vec<bool> = edits.iter().map(|(mark, _)| *mark != ' ').collect();
    let near_change = |at: usize| {
        let from = at.saturating_sub(1);
        changed[from..(at + 2).min(changed.len())].contains(&true)
    };
    let mut lines = Vec::new();
    for (at, (mark, line)) in edits.iter().enumerate() {
        if near_change(at) {
            lines.push(format!("{mark}{line}"));
        } else if lines.last().is_none_or(|last| last != "...") {
            lines.push("...".to_string());
        }
    }
    lines
}

/// The longest-common-subsequence edit script from `want` to `got`.
fn edit_script<'a>(want: &[&'a str], got: &[&'a str]) -> Vec<(char, &'a str)> {
    // common[i][j]: length of the longest common subsequence of want[i..] and got[j..].
    let mut common = vec![vec![0usize; got.len() + 1]; want.len() + 1];
    for i in (0..want.len()).rev() {
        for j in (0..got.len()).rev() {
            common[i][j] = if want[i] == got[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut edits = Vec::new();
    while i < want.len() || j < got.len() {
        if i < want.len() && j < got.len() && want[i] == got[j] {
            edits.push((' ', want[i]));
            i += 1;
            j += 1;
        } else if i < want.len() && (j == got.len() || common[i + 1][j] >= common[i][j + 1]) {
            edits.push(('-', want[i]));
            i += 1;
        } else {
            edits.push(('+', got[j]));
            j += 1;
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::line_diff;

    fn check(want: &str, got: &str, expected: Expect) {
        expected.assert_eq(&line_diff(want, got).join("\n"));
    }

    #[test]
    fn shows_changed_lines_with_one_line_of_context() {
        check(
            "a\nb\nc\nd\ne\nf\ng",
            "a\nb\nc\nD\ne\nf\ng",
            expect![[r#"
                ...
                 c
                -d
                +D
                 e
                ..."#]],
        );
        check(
            "tensor([1.0000,\n        2.0000])",
            "tensor([1.0000,\n        2.5000])\nextra",
            expect![[r#"
                 tensor([1.0000,
                -        2.0000])
                +        2.5000])
                +extra"#]],
        );
        check("", "printed", expect!["+printed"]);
        check("expected", "", expect!["-expected"]);
    }
}

//! The conformance suite's tolerance rule (`tolerant_equal` in
//! shared/conformance/run), so `nnlearn check` and the suite agree on what
//! "prints the same as PyTorch" means.

/// Whether `got` reads as `want` once numbers may differ by at most
/// `1e-4 + 1e-4 * |want|` and runs of whitespace may differ (including at the
/// ends of the text between numbers).
///
/// A port of the Python rule, whose number pattern is
/// `[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf`, with one fix: there
/// a `nan` on one side matched any number on the other (`abs(nan - x) > tol`
/// is false); here a NaN only matches the same text.
pub fn tolerant_equal(got: &str, want: &str) -> bool {
    let (got_text, got_numbers) = split_numbers(got);
    let (want_text, want_numbers) = split_numbers(want);
    if got_numbers.len() != want_numbers.len() {
        return false;
    }
    let squashed = |parts: &[&str]| parts.iter().map(|part| squash(part)).collect::<Vec<_>>();
    if squashed(&got_text) != squashed(&want_text) {
        return false;
    }
    got_numbers
        .iter()
        .zip(&want_numbers)
        .all(|(got, want)| got == want || numbers_close(got, want))
}

fn numbers_close(got: &str, want: &str) -> bool {
    match (got.parse::<f64>(), want.parse::<f64>()) {
        // `<=` is false for NaN, so NaN never matches a different text.
        (Ok(got), Ok(want)) => (got - want).abs() <= 1e-4 + 1e-4 * want.abs(),
        _ => false,
    }
}

/// Runs of whitespace become one space, and the ends are trimmed.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text between numbers (one more piece than there are numbers) and the
/// numbers, as Python's `NUM.split` and `NUM.findall` give them.
fn split_numbers(text: &str) -> (Vec<&str>, Vec<&str>) {
    let mut pieces = Vec::new();
    let mut numbers = Vec::new();
    let mut piece_start = 0;
    let mut at = 0;
    while at < text.len() {
        match number_len(&text[at..]) {
            Some(len) => {
                pieces.push(&text[piece_start..at]);
                numbers.push(&text[at..at + len]);
                at += len;
                piece_start = at;
            }
            None => at += text[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    pieces.push(&text[piece_start..]);
    (pieces, numbers)
}

/// The length of the number at the start of `text`, if one starts there.
fn number_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let digits_from = |from: usize| {
        bytes.get(from..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    };
    let sign = usize::from(matches!(bytes.first(), Some(b'-' | b'+')));
    let whole = digits_from(sign);
    let mut end = sign + whole;
    if bytes.get(end) == Some(&b'.') && (whole > 0 || digits_from(end + 1) > 0) {
        end += 1 + digits_from(end + 1);
    } else if whole == 0 {
        return ["nan", "inf"]
            .iter()
            .any(|word| text.starts_with(word))
            .then_some(3);
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let exponent_sign = usize::from(matches!(bytes.get(end + 1), Some(b'-' | b'+')));
        let exponent = digits_from(end + 1 + exponent_sign);
        if exponent > 0 {
            end += 1 + exponent_sign + exponent;
        }
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::split_numbers;

    #[test]
    fn numbers_are_found_as_the_python_pattern_finds_them() {
        // Expected values from Python: re.findall(NUM, text).
        let cases: &[(&str, &[&str])] = &[
            ("tensor([0.4963, -1.2e-05])", &["0.4963", "-1.2e-05"]),
            ("x1 = 3.", &["1", "3."]),
            (".5 +.5 -.5", &[".5", "+.5", "-.5"]),
            ("1e5 1e 1e+ 2E-3", &["1e5", "1", "1", "2E-3"]),
            ("-inf nan info", &["inf", "nan", "inf"]),
            ("a-b+ 7", &["7"]),
            ("损失 0.25，步 3", &["0.25", "3"]),
            ("", &[]),
        ];
        for (text, expected) in cases {
            let (pieces, numbers) = split_numbers(text);
            assert_eq!(&numbers, expected, "{text:?}");
            assert_eq!(pieces.len(), numbers.len() + 1, "{text:?}");
            let rebuilt: String = pieces
                .iter()
                .zip(numbers.iter().chain([&""]))
                .flat_map(|(piece, number)| [*piece, *number])
                .collect();
            assert_eq!(rebuilt, *text);
        }
    }
}

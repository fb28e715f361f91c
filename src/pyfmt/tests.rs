//! Goldens produced by CPython 3.11.7 with `goldens/gen.py`; each file's
//! header names the Python expression whose result a line holds.

use super::*;

/// The tab-separated data lines of a golden file (header `#` lines skipped).
fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split('\t').collect())
}

fn float_from_bits(hex: &str) -> f64 {
    f64::from_bits(u64::from_str_radix(hex, 16).expect("golden bits"))
}

/// Python's result line: the formatted text, or `Error: <ValueError message>`.
fn outcome(result: Result<String, String>) -> String {
    result.unwrap_or_else(|message| format!("Error: {message}"))
}

fn check_format(kind: &str, value: &str, spec: &str) -> String {
    let spec = match FormatSpec::parse(spec) {
        Ok(spec) => spec,
        Err(message) => return format!("Error: {message}"),
    };
    outcome(match kind {
        "f" => format_float(float_from_bits(value), &spec),
        "i" => format_int(value.parse().expect("golden int"), &spec),
        "b" => format_bool(value == "True", &spec),
        _ => format_str(value, &spec),
    })
}

#[test]
fn format_matches_cpython() {
    let mut failures = Vec::new();
    let mut count = 0;
    for row in rows(include_str!("goldens/format.tsv")) {
        let [kind, value, spec, expected] = row[..] else {
            panic!("bad golden row {row:?}");
        };
        count += 1;
        let got = check_format(kind, value, spec);
        if got != expected {
            failures.push(format!(
                "format({kind} {value}, {spec:?}): got {got:?}, CPython {expected:?}"
            ));
        }
    }
    assert!(count > 3000, "only {count} goldens");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn repr_matches_cpython() {
    let mut failures = Vec::new();
    for row in rows(include_str!("goldens/repr.tsv")) {
        let [bits, expected] = row[..] else {
            panic!("bad golden row {row:?}");
        };
        let got = float_repr(float_from_bits(bits));
        if got != expected {
            failures.push(format!("repr({bits}): got {got:?}, CPython {expected:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn round_matches_cpython() {
    let mut failures = Vec::new();
    for row in rows(include_str!("goldens/round.tsv")) {
        let [bits, ndigits, expected_bits, expected_repr] = row[..] else {
            panic!("bad golden row {row:?}");
        };
        let x = float_from_bits(bits);
        let expected = float_from_bits(expected_bits);
        // round(x) is a Python int, so its float carries no sign of zero.
        let (got, same) = match ndigits {
            "-" => {
                let got = round_half_even(x);
                (got, got == expected)
            }
            n => {
                let got = round_float(x, n.parse().expect("golden ndigits"));
                (got, got.to_bits() == expected.to_bits())
            }
        };
        if !same {
            failures.push(format!(
                "round({}, {ndigits}): got {}, CPython {expected_repr}",
                float_repr(x),
                float_repr(got)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Hand-picked cases from the task, readable at a glance.
#[test]
fn readable_examples() {
    let check = |x: f64, expected: &str| assert_eq!(float_repr(x), expected, "repr({x:e})");
    // repr(x) in CPython
    check(1e-5, "1e-05");
    check(1e16, "1e+16");
    check(1.5e-7, "1.5e-07");
    check(0.0001, "0.0001");
    check(2.0, "2.0");
    check(0.1 + 0.2, "0.30000000000000004");
    check(-0.0, "-0.0");
    check(f64::NAN, "nan");
    check(f64::NEG_INFINITY, "-inf");
    check(123456789012345.0, "123456789012345.0");
    // '{:.4f}'.format(x) / '{:.4e}'.format(x)
    assert_eq!(format_fixed(-0.123456, 4), "-0.1235");
    assert_eq!(format_sci(1e-5, 4), "1.0000e-05");
    assert_eq!(format_sci(123456.0, 4), "1.2346e+05");
    // round(2.675, 2), round(0.5), round(2.5)
    assert_eq!(round_float(2.675, 2), 2.67);
    assert_eq!(round_half_even(0.5), 0.0);
    assert_eq!(round_half_even(2.5), 2.0);
}

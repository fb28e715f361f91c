use super::cases::CASES;
use crate::lang::tests::eval::run;
use crate::lang::Session;

/// Where CPython's answer is an int beyond 64 bits, nnlearn raises instead.
const TOO_BIG: &[&str] = &[];

#[test]
fn results_and_errors_are_cpythons() {
    let mut failures = Vec::new();
    for (code, want) in CASES {
        let out = run(
            &mut Session::new(),
            &format!("import math\nprint(repr({code}))\n"),
        );
        let ok = if TOO_BIG.contains(code) {
            out.contains("OverflowError") && out.contains("64-bit")
        } else if out.contains("Traceback") {
            out.trim_end().ends_with(want)
        } else {
            out == format!("{want}\n")
        };
        if !ok {
            failures.push(format!("{code}\n  want: {want}\n  got:  {out}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

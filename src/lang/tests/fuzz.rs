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

/// `PROPTEST_CASES` overrides the default number of cases, for long fuzzing runs.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn garbled_programs_do_not_panic(seed in 0..SEEDS.len(), edits in prop::collection::vec(edit_strategy(), 1..5)) {
        let src = edits.iter().fold(SEEDS[seed].to_string(), |s, e| apply(&s, e));
        let _ = tokenize(&src);
        let _ = is_incomplete(&src);
        if parse(&src).is_ok() {
            let mut session = Session::new();
            session.set_limits(Limits { recursion_depth: 50 });
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
                prop_assert_ne!(e.class(), "SystemError", "{}", e.render());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(500), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_lexes_and_parses(text in "\\PC{0,120}", pieces in prop::collection::vec(0..PIECES.len(), 0..40)) {
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
    }
}

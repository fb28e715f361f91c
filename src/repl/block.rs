//! When a block of input is complete: Python's interactive rules, shared by the line editor's
//! validator and the plain (piped) reader.

use std::io::BufRead;

use crate::lang::lexer::{is_incomplete, tokenize};

/// Whether `text` (lines joined by `\n`, as typed so far) is ready to run.
///
/// A line ending in `:`, an open bracket, an unterminated triple-quoted string or a trailing
/// backslash asks for more; inside an indented block a blank line ends the block. A blank line
/// also ends `if x:` with no body yet, so that the parser can report it instead of the prompt
/// waiting forever. A `:command` line is always complete.
pub fn is_complete(text: &str) -> bool {
    if is_command(text) {
        return true;
    }
    let lexed = tokenize(text);
    if !lexed.open_brackets.is_empty() || lexed.unterminated_triple || lexed.trailing_backslash {
        return false;
    }
    let last_line_blank = text.rsplit('\n').next().unwrap_or("").trim().is_empty();
    last_line_blank || !is_incomplete(&format!("{text}\n"))
}

/// A REPL command such as `:vars` (one line starting with a colon).
pub fn is_command(text: &str) -> bool {
    text.trim_start().starts_with(':') && !text.trim().contains('\n')
}

/// Groups the lines of a non-interactive input into blocks by the same rules as the prompt.
pub struct PlainBlocks<R> {
    input: R,
}

impl<R: BufRead> PlainBlocks<R> {
    pub fn new(input: R) -> Self {
        PlainBlocks { input }
    }
}

impl<R: BufRead> Iterator for PlainBlocks<R> {
    type Item = String;

    /// The next non-blank block, without its final line break; a read error ends the input.
    fn next(&mut self) -> Option<String> {
        let mut block = String::new();
        let mut line = String::new();
        loop {
            line.clear();
            match self.input.read_line(&mut line) {
                Ok(0) | Err(_) => return (!block.trim().is_empty()).then_some(block),
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\n', '\r']);
            if block.is_empty() && line.trim().is_empty() {
                continue;
            }
            if !block.is_empty() {
                block.push('\n');
            }
            block.push_str(line);
            if is_complete(&block) {
                return Some(block.trim_end().to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_complete(text: &str, expected: bool) {
        assert_eq!(is_complete(text), expected, "is_complete({text:?})");
    }

    #[test]
    fn validator_rules() {
        let cases = [
            ("x = 1", true),
            ("", true),
            (":vars", true),
            (":quit  ", true),
            ("for i in range(3):", false),
            ("for i in range(3):\n    print(i)", false),
            ("for i in range(3):\n    print(i)\n", true),
            ("for i in range(3):\n    print(i)\n   ", true),
            (
                "def f(x):\n    if x:\n        return 1\n    return 2",
                false,
            ),
            ("def f(x):\n    if x:\n        return 1\n\n", true),
            ("if x:\n", true),
            ("x = [1,", false),
            ("x = [1,\n", false),
            ("x = [1,\n 2]", true),
            ("f(a,\n  b=(1,", false),
            ("s = '''doc", false),
            ("s = '''doc\nmore'''", true),
            ("x = 1 + \\", false),
            ("x = 1  # note:", true),
            ("x = )", true),
            ("'unterminated", true),
        ];
        for (text, expected) in cases {
            check_complete(text, expected);
        }
    }

    fn check_blocks(input: &str, expected: &[&str]) {
        let blocks: Vec<String> = PlainBlocks::new(input.as_bytes()).collect();
        assert_eq!(blocks, expected, "blocks of {input:?}");
    }

    #[test]
    fn plain_blocks() {
        check_blocks("x = 1\nx\n", &["x = 1", "x"]);
        check_blocks("\n\nx = 1\n\n", &["x = 1"]);
        check_blocks(
            "for i in range(2):\n    print(i)\n\nprint('done')\n",
            &["for i in range(2):\n    print(i)", "print('done')"],
        );
        check_blocks("def f():\n    return 1", &["def f():\n    return 1"]);
        check_blocks("y = (1,\n\n 2)\n", &["y = (1,\n\n 2)"]);
        check_blocks(":vars\r\n:reset\n", &[":vars", ":reset"]);
    }
}

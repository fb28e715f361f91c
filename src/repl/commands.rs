//! The REPL's own `:commands`.

use crate::lang::repr::repr;
use crate::lang::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Vars,
    Reset,
    Quit,
}

impl Command {
    /// The command in `line`, `Err` with the word for an unknown one; `None` when the line is
    /// code, not a command. Python's `exit` and `quit` also leave.
    pub fn parse(line: &str) -> Option<Result<Command, String>> {
        let line = line.trim();
        if ["exit", "quit", "exit()", "quit()"].contains(&line) {
            return Some(Ok(Command::Quit));
        }
        let word = line.strip_prefix(':')?;
        Some(match word {
            "help" | "h" | "?" => Ok(Command::Help),
            "vars" | "v" => Ok(Command::Vars),
            "reset" => Ok(Command::Reset),
            "quit" | "q" | "exit" => Ok(Command::Quit),
            other => Err(other.to_string()),
        })
    }
}

pub const HELP: &str = "\
Type Python with PyTorch; torch, nn, F and optim are already imported.
Expression results are echoed. A line ending in ':' or an open bracket continues
the block; a blank line ends it.

  :help    this help
  :vars    every variable with its type, shape, dtype and device
  :reset   forget every variable
  :quit    leave (so do exit, quit and Ctrl-D)

Tab completes names and attributes (torch.<Tab>); Ctrl-C stops running code
and keeps the variables; plot(value, label='loss') in a loop draws a chart.
";

/// The `:vars` table: one row per variable, columns aligned; tensors (anything with `shape`,
/// `dtype` and `device`) fill the last three columns.
pub fn vars_table(variables: &[(String, Value)]) -> String {
    if variables.is_empty() {
        return "No variables yet.\n".to_string();
    }
    let header = ["name", "type", "shape", "dtype", "device"].map(String::from);
    let rows: Vec<[String; 5]> = std::iter::once(header)
        .chain(variables.iter().map(|(name, value)| {
            let [shape, dtype, device] = ["shape", "dtype", "device"].map(|a| attribute(value, a));
            [
                name.clone(),
                value.type_name(),
                shape
                    .strip_prefix("torch.Size(")
                    .and_then(|s| s.strip_suffix(')'))
                    .unwrap_or(&shape)
                    .to_string(),
                dtype,
                device,
            ]
        }))
        .collect();
    let widths: Vec<usize> = (0..5)
        .map(|col| rows.iter().map(|row| width(&row[col])).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell}{}", " ".repeat(w - width(cell))))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `str(value.name)` for a host object that has the attribute, else empty.
fn attribute(value: &Value, name: &str) -> String {
    match value {
        Value::Host(object) => match object.get_attr(value, name) {
            Ok(Value::Str(s)) => s.to_string(),
            Ok(Value::Host(attr)) => attr.str(),
            Ok(other) => repr(&other),
            Err(_) => String::new(),
        },
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::any::Any;

    use expect_test::expect;

    use super::*;
    use crate::lang::{Exception, HostObject};

    #[test]
    fn parse() {
        let cases = [
            (":help", Some(Ok(Command::Help))),
            ("  :vars ", Some(Ok(Command::Vars))),
            (":reset", Some(Ok(Command::Reset))),
            (":q", Some(Ok(Command::Quit))),
            (":plot", Some(Err("plot".to_string()))),
            ("exit()", Some(Ok(Command::Quit))),
            ("quit", Some(Ok(Command::Quit))),
            ("quit_now()", None),
            ("x = 1", None),
            ("{1: 2}", None),
        ];
        for (line, expected) in cases {
            assert_eq!(Command::parse(line), expected, "{line:?}");
        }
    }

    /// Stand-in tensor whose attributes print like PyTorch's.
    struct FakeTensor;

    impl HostObject for FakeTensor {
        fn type_name(&self) -> String {
            "Tensor".into()
        }
        fn repr(&self) -> String {
            "tensor([1., 2.])".into()
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
        fn get_attr(&self, _: &Value, name: &str) -> Result<Value, Exception> {
            match name {
                "shape" => Ok(Value::str("torch.Size([2])")),
                "dtype" => Ok(Value::str("torch.float32")),
                "device" => Ok(Value::str("cpu")),
                _ => Err(Exception::attribute_error(name)),
            }
        }
    }

    #[test]
    fn table() {
        let vars = vec![
            ("weights".to_string(), Value::host(FakeTensor)),
            ("lr".to_string(), Value::Float(0.1)),
            ("名字".to_string(), Value::str("x")),
        ];
        expect![[r#"
            name     type    shape  dtype          device
            weights  Tensor  [2]    torch.float32  cpu
            lr       float
            名字     str
        "#]]
        .assert_eq(&vars_table(&vars));
        assert_eq!(vars_table(&[]), "No variables yet.\n");
    }
}

//! Tab completion: names, attributes of variables (asked of the live objects), `torch.` members.

use std::collections::HashSet;

use super::vocabulary::{host_members, module_members, type_methods, PRELUDE};
use crate::lang::builtins;
use crate::lang::token::KEYWORDS;
use crate::lang::Value;

/// Indentation inserted by Tab at the start of a line.
const INDENT: &str = "    ";

pub struct Completer {
    /// Keywords, built-ins and pre-bound modules.
    fixed: Vec<String>,
    variables: Vec<(String, Value)>,
}

impl Default for Completer {
    fn default() -> Self {
        Completer::new()
    }
}

impl Completer {
    pub fn new() -> Completer {
        let mut fixed: Vec<String> = KEYWORDS.iter().map(|k| k.to_string()).collect();
        fixed.extend(builtin_names());
        Completer {
            fixed,
            variables: Vec::new(),
        }
    }

    /// The session's variables, refreshed after every run.
    pub fn set_variables(&mut self, variables: Vec<(String, Value)>) {
        self.variables = variables;
    }

    /// Where the replaced text starts, and the candidates, for the cursor at byte `pos`.
    pub fn complete(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let Some(before) = line.get(..pos) else {
            return (pos, Vec::new());
        };
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        if before[line_start..].trim().is_empty() {
            return (pos, vec![INDENT.to_string()]);
        }
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
        let word = &before[start..];
        let (candidates, prefix_at) = match word.rfind('.') {
            None => (self.names(), start),
            Some(dot) => (self.members(&word[..dot]), start + dot + 1),
        };
        let prefix = &before[prefix_at..];
        let mut found: Vec<String> = candidates
            .into_iter()
            .filter(|c| c.starts_with(prefix) && (prefix.starts_with('_') || !c.starts_with('_')))
            .collect();
        found.sort_unstable();
        found.dedup();
        (prefix_at, found)
    }

    fn names(&self) -> Vec<String> {
        let variables = self.variables.iter().map(|(name, _)| name.clone());
        self.fixed.iter().cloned().chain(variables).collect()
    }

    /// Members of the object named by the dotted `path` (`model.fc`, `torch.nn`).
    fn members(&self, path: &str) -> Vec<String> {
        let mut parts = path.split('.');
        let Some(first) = parts.next() else {
            return Vec::new();
        };
        let rest: Vec<&str> = parts.collect();
        if let Some((_, value)) = self.variables.iter().rev().find(|(name, _)| name == first) {
            return rest
                .iter()
                .try_fold(value.clone(), |value, name| attribute(&value, name))
                .map_or_else(Vec::new, |value| value_members(&value));
        }
        let Some((_, module)) = PRELUDE.iter().find(|(name, _)| *name == first) else {
            return Vec::new();
        };
        let full = std::iter::once(*module)
            .chain(rest)
            .collect::<Vec<_>>()
            .join(".");
        module_members(&full)
            .unwrap_or_default()
            .into_iter()
            .map(String::from)
            .collect()
    }
}

/// Built-in function and type names and the pre-bound modules (coloured as built-ins too).
pub fn builtin_names() -> HashSet<String> {
    let mut names: HashSet<String> = builtins::table().into_keys().collect();
    names.extend(PRELUDE.iter().map(|(name, _)| name.to_string()));
    names
}

fn attribute(value: &Value, name: &str) -> Option<Value> {
    match value {
        Value::Host(object) => object.get_attr(value, name).ok(),
        _ => None,
    }
}

fn value_members(value: &Value) -> Vec<String> {
    match value {
        Value::Host(object) => host_members()
            .into_iter()
            .filter(|name| object.get_attr(value, name).is_ok())
            .map(String::from)
            .collect(),
        other => type_methods(&other.type_name())
            .iter()
            .map(|m| m.to_string())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::any::Any;

    use super::*;
    use crate::lang::{Exception, HostObject, Session, Sink};

    /// A stand-in tensor with two attributes.
    struct FakeTensor;

    impl HostObject for FakeTensor {
        fn type_name(&self) -> String {
            "Tensor".into()
        }
        fn repr(&self) -> String {
            "tensor(1.)".into()
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
        fn get_attr(&self, _: &Value, name: &str) -> Result<Value, Exception> {
            match name {
                "shape" | "sum" | "grad" => Ok(Value::host(FakeTensor)),
                _ => Err(Exception::attribute_error(name)),
            }
        }
    }

    struct Quiet;
    impl Sink for Quiet {
        fn print(&mut self, _: &str) {}
        fn plot(&mut self, _: &str, _: f64) {}
    }

    fn completer() -> Completer {
        let mut session = Session::new();
        let code = "xs = [1]\nname = 'a'\ntotal = 0\ndef train(): pass";
        session.run(code, "<test>", &mut Quiet).expect("setup runs");
        let mut variables = session.variables();
        variables.push(("t".into(), Value::host(FakeTensor)));
        let mut completer = Completer::new();
        completer.set_variables(variables);
        completer
    }

    /// `line` has `|` where the cursor is; `expected` is the replaced text and the candidates.
    fn check(completer: &Completer, line: &str, expected: &str) {
        let pos = line.find('|').expect("cursor mark");
        let text = line.replace('|', "");
        let (start, candidates) = completer.complete(&text, pos);
        let got = format!("{:?} {}", &text[start..pos], candidates.join(" "));
        assert_eq!(got, expected, "completions of {line:?}");
    }

    #[test]
    fn completions() {
        let c = completer();
        let cases = [
            ("to|", "\"to\" torch total"),
            ("x = tr|", "\"tr\" train try"),
            ("pri|", "\"pri\" print"),
            ("fo|", "\"fo\" for"),
            ("x = torch.ze|", "\"ze\" zeros zeros_like"),
            ("torch.nn.Li|", "\"Li\" Linear"),
            ("F.mse|", "\"mse\" mse_loss"),
            ("nn.functional.log_s|", "\"log_s\" log_softmax"),
            ("optim.|", "\"\" Adam SGD"),
            ("xs.ap|", "\"ap\" append"),
            ("name.st|", "\"st\" startswith strip"),
            ("t.|", "\"\" grad shape sum"),
            ("t.grad.s|", "\"s\" shape sum"),
            ("t.nope.|", "\"\" "),
            ("total.|", "\"\" "),
            ("nothing.|", "\"\" "),
            ("1.5|", "\"5\" "),
            ("print(t.sh|)", "\"sh\" shape"),
            ("for i in x:\n|", "\"\"     "),
            ("  |", "\"\"     "),
        ];
        for (line, expected) in cases {
            check(&c, line, expected);
        }
    }
}

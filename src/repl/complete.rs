//! Tab completion: names, attributes of variables (asked of the live objects), `torch.` members.

use std::collections::HashSet;

use super::vocabulary::{host_members, type_methods};
use crate::lang::token::KEYWORDS;
use crate::lang::torch::namespace_names;
use crate::lang::{builtins, Session, Value};

/// Indentation inserted by Tab at the start of a line.
const INDENT: &str = "    ";

pub struct Completer {
    keywords_and_builtins: Vec<String>,
    /// The session's globals (prelude included), refreshed after every run.
    globals: Vec<(String, Value)>,
}

impl Default for Completer {
    fn default() -> Self {
        Completer::new()
    }
}

impl Completer {
    pub fn new() -> Completer {
        let mut fixed: Vec<String> = KEYWORDS.iter().map(|k| k.to_string()).collect();
        fixed.extend(builtins::table().into_keys());
        Completer {
            keywords_and_builtins: fixed,
            globals: Vec::new(),
        }
    }

    pub fn set_globals(&mut self, globals: Vec<(String, Value)>) {
        self.globals = globals;
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
        let globals = self.globals.iter().map(|(name, _)| name.clone());
        self.keywords_and_builtins
            .iter()
            .cloned()
            .chain(globals)
            .collect()
    }

    /// Members of the object named by the dotted `path` (`model.fc`, `torch.nn`).
    fn members(&self, path: &str) -> Vec<String> {
        let mut parts = path.split('.');
        let first = parts.next().unwrap_or_default();
        let Some((_, value)) = self.globals.iter().rev().find(|(name, _)| name == first) else {
            return Vec::new();
        };
        parts
            .try_fold(value.clone(), |value, name| attribute(&value, name))
            .map_or_else(Vec::new, |value| value_members(&value))
    }
}

/// Names coloured as built-ins: built-in functions and types, and what the session binds
/// before any code runs (`torch`, `nn`, `F`, `optim`).
pub fn builtin_names(session: &Session) -> HashSet<String> {
    let variables: HashSet<String> = session.variables().into_iter().map(|(n, _)| n).collect();
    let prelude = session.globals().into_iter().map(|(n, _)| n);
    let mut names: HashSet<String> = builtins::table().into_keys().collect();
    names.extend(prelude.filter(|name| !variables.contains(name)));
    names
}

/// The dicts an instance keeps its attributes in: its `__dict__`, and the registries an
/// `nn.Module` keeps (`_parameters`, `_buffers`, `_modules`), which `__getattr__` reads.
fn instance_dicts(inst: &crate::lang::object::Instance) -> Vec<crate::lang::dict::Dict> {
    let own = crate::lang::value::lock(&inst.dict).clone();
    let mut dicts = Vec::new();
    for registry in ["_parameters", "_buffers", "_modules"] {
        if let Some(Value::Dict(d)) = own.get_str(registry) {
            dicts.push(crate::lang::value::lock(&d).clone());
        }
    }
    dicts.insert(0, own);
    dicts
}

/// Looks an attribute up without running Python code (completion must not have effects).
fn attribute(value: &Value, name: &str) -> Option<Value> {
    match value {
        Value::Host(object) => object.get_attr(value, name).ok(),
        Value::Instance(inst) => instance_dicts(inst)
            .iter()
            .find_map(|d| d.get_str(name))
            .or_else(|| inst.class.lookup(name)),
        _ => None,
    }
}

fn value_members(value: &Value) -> Vec<String> {
    if let Some(names) = namespace_names(value) {
        return names.into_iter().map(String::from).collect();
    }
    if let Some(module) = value.as_host::<crate::lang::namespace::Namespace>() {
        return module
            .attrs
            .keys()
            .filter(|k| !k.starts_with('_'))
            .cloned()
            .collect();
    }
    match value {
        Value::Host(object) => host_members()
            .filter(|name| object.get_attr(value, name).is_ok())
            .map(String::from)
            .collect(),
        Value::Instance(inst) => {
            let mut names: Vec<String> = instance_dicts(inst)
                .iter()
                .flat_map(|d| d.keys())
                .filter_map(|k| match k {
                    Value::Str(s) => Some(s.to_string()),
                    _ => None,
                })
                .collect();
            for class in inst.class.mro() {
                names.extend(class.own_items().into_iter().map(|(k, _)| k));
            }
            names.retain(|n| !n.starts_with('_'));
            names
        }
        other => type_methods(&other.type_name())
            .iter()
            .map(|m| m.to_string())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::torch::new_session;
    use crate::lang::Sink;

    struct Quiet;
    impl Sink for Quiet {
        fn print(&mut self, _: &str) {}
        fn plot(&mut self, _: &str, _: f64) {}
    }

    fn session() -> Session {
        let mut session = new_session();
        let code = "xs = [1]\nname = 'a'\ntotal = 0\ndef train(): pass\n\
                    t = torch.ones(2)\nmodel = nn.Linear(2, 1)\nact = nn.ReLU()";
        session.run(code, "<test>", &mut Quiet).expect("setup runs");
        session
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
        let mut c = Completer::new();
        c.set_globals(session().globals());
        let cases = [
            ("to|", "\"to\" torch total"),
            ("x = tr|", "\"tr\" train try"),
            ("pri|", "\"pri\" print"),
            ("fo|", "\"fo\" for format"),
            ("x = torch.ze|", "\"ze\" zeros zeros_like"),
            ("torch.nn.Li|", "\"Li\" Linear"),
            ("F.mse|", "\"mse\" mse_loss"),
            ("nn.functional.log_s|", "\"log_s\" log_softmax"),
            ("optim.|", "\"\" Adam SGD"),
            ("torch.cuda.is|", "\"is\" is_available"),
            ("xs.ap|", "\"ap\" append"),
            ("name.st|", "\"st\" startswith strip"),
            ("t.sh|", "\"sh\" shape short"),
            ("t.requires|", "\"requires\" requires_grad requires_grad_"),
            ("t.T.su|", "\"su\" sub sub_ sum"),
            ("model.we|", "\"we\" weight"),
            ("model.weight.gr|", "\"gr\" grad grad_fn"),
            (
                "act.|",
                "\"\" add_module apply buffers children cpu cuda double eval extra_repr float forward \
                 get_submodule inplace load_state_dict modules named_buffers named_children \
                 named_modules named_parameters parameters register_buffer register_module \
                 register_parameter requires_grad_ state_dict to train training zero_grad",
            ),
            ("t.nope.|", "\"\" "),
            ("total.bit|", "\"bit\" bit_count bit_length"),
            ("name.rs|", "\"rs\" rsplit rstrip"),
            ("nothing.|", "\"\" "),
            ("1.5|", "\"5\" "),
            ("print(t.sh|)", "\"sh\" shape short"),
            ("for i in x:\n|", "\"\"     "),
            ("  |", "\"\"     "),
        ];
        for (line, expected) in cases {
            check(&c, line, expected);
        }
    }

    #[test]
    fn prelude_names_are_builtins() {
        let names = builtin_names(&session());
        for name in ["print", "range", "torch", "nn", "F", "optim"] {
            assert!(names.contains(name), "{name}");
        }
        for name in ["xs", "t", "model"] {
            assert!(!names.contains(name), "{name}");
        }
    }
}

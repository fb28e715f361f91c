//! `namedtuple`: a class made at run time whose instances are tuples with named fields.
//!
//! Instances are host objects that report their items through `HostObject::as_tuple`, so
//! they hash, key dicts, compare and pass `isinstance(p, tuple)` as the tuple they hold.

use std::any::Any;
use std::sync::Arc;

use crate::lang::ast::{BinOp, CmpOp};
use crate::lang::dict::Dict;
use crate::lang::exception::Exception;
use crate::lang::index;
use crate::lang::interp::Interp;
use crate::lang::ops;
use crate::lang::repr::{repr, str_repr};
use crate::lang::value::{shared, Args, HostObject, NativeFunction, Value};

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

pub struct NamedTupleClass {
    name: String,
    module: String,
    fields: Vec<String>,
    /// Defaults of the last `defaults.len()` fields.
    defaults: Vec<Value>,
}

/// The class object `namedtuple(...)` returns.
pub struct NamedTupleType(Arc<NamedTupleClass>);

/// An instance: its class and its items.
pub struct NamedTuple {
    class: Arc<NamedTupleClass>,
    items: Arc<[Value]>,
}

/// `namedtuple(typename, field_names, *, rename=False, defaults=None, module=None)`.
pub fn namedtuple(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let positional = Args::new(args.positional.clone());
    let bound = positional.bind("namedtuple", &["typename", "field_names"], 2)?;
    let keywords = Args {
        positional: Vec::new(),
        keywords: args.keywords.clone(),
    }
    .bind("namedtuple", &["rename", "defaults", "module"], 0)?;
    let text = |v: &Value| match v {
        Value::Str(s) => Ok(s.to_string()),
        _ => Err(Exception::type_error(
            "Type names and field names must be strings",
        )),
    };
    let name = text(bound[0].as_ref().unwrap_or(&Value::None))?;
    let mut fields = match bound[1].as_ref().unwrap_or(&Value::None) {
        Value::Str(s) => s
            .replace(',', " ")
            .split_whitespace()
            .map(String::from)
            .collect(),
        other => interp
            .collect(other)?
            .iter()
            .map(text)
            .collect::<Result<Vec<_>, _>>()?,
    };
    let rename = match &keywords[0] {
        Some(v) => interp.truthy(v)?,
        None => false,
    };
    if rename {
        let mut seen: Vec<String> = Vec::new();
        for (i, field) in fields.iter_mut().enumerate() {
            if !is_identifier(field)
                || KEYWORDS.contains(&field.as_str())
                || field.starts_with('_')
                || seen.contains(field)
            {
                *field = format!("_{i}");
            }
            seen.push(field.clone());
        }
    }
    for n in std::iter::once(&name).chain(&fields) {
        if !is_identifier(n) {
            return Err(Exception::value_error(format!(
                "Type names and field names must be valid identifiers: {}",
                str_repr(n)
            )));
        }
        if KEYWORDS.contains(&n.as_str()) {
            return Err(Exception::value_error(format!(
                "Type names and field names cannot be a keyword: {}",
                str_repr(n)
            )));
        }
    }
    for (i, field) in fields.iter().enumerate() {
        if field.starts_with('_') && !rename {
            return Err(Exception::value_error(format!(
                "Field names cannot start with an underscore: {}",
                str_repr(field)
            )));
        }
        if fields[..i].contains(field) {
            return Err(Exception::value_error(format!(
                "Encountered duplicate field name: {}",
                str_repr(field)
            )));
        }
    }
    let defaults = match &keywords[1] {
        None | Some(Value::None) => Vec::new(),
        Some(v) => interp.collect(v)?,
    };
    if defaults.len() > fields.len() {
        return Err(Exception::type_error(
            "Got more default values than field names",
        ));
    }
    let module = match &keywords[2] {
        Some(Value::Str(m)) => m.to_string(),
        _ => match interp.global("__name__") {
            Some(Value::Str(m)) => m.to_string(),
            _ => "__main__".to_string(),
        },
    };
    Ok(Value::host(NamedTupleType(Arc::new(NamedTupleClass {
        name,
        module,
        fields,
        defaults,
    }))))
}

/// Python's listing of missing argument names: `'x'`, `'x' and 'y'`, `'x', 'y', and 'z'`.
fn name_list(names: &[&String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| str_repr(n)).collect();
    match quoted.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
        [] => String::new(),
    }
}

impl NamedTupleClass {
    fn instance(self: &Arc<Self>, items: Vec<Value>) -> Value {
        Value::host(NamedTuple {
            class: self.clone(),
            items: items.into(),
        })
    }

    /// `Point(1, y=2)`: Python's argument binding for `Point.__new__(cls, x, y)`.
    fn make(self: &Arc<Self>, args: &Args) -> Result<Value, Exception> {
        let n = self.fields.len();
        let new = format!("{}.__new__()", self.name);
        if args.positional.len() > n {
            let optional = self.defaults.len();
            let takes = match optional {
                0 => format!("{}", n + 1),
                _ => format!("from {} to {}", n + 1 - optional, n + 1),
            };
            return Err(Exception::type_error(format!(
                "{new} takes {takes} positional arguments but {} were given",
                args.positional.len() + 1
            )));
        }
        let mut slots: Vec<Option<Value>> = args.positional.iter().cloned().map(Some).collect();
        slots.resize(n, None);
        for (key, value) in &args.keywords {
            let Some(i) = self.fields.iter().position(|f| f == key) else {
                return Err(Exception::type_error(format!(
                    "{new} got an unexpected keyword argument '{key}'"
                )));
            };
            if slots[i].is_some() {
                return Err(Exception::type_error(format!(
                    "{new} got multiple values for argument '{key}'"
                )));
            }
            slots[i] = Some(value.clone());
        }
        let first_default = n - self.defaults.len();
        for (i, slot) in slots.iter_mut().enumerate().skip(first_default) {
            if slot.is_none() {
                *slot = Some(self.defaults[i - first_default].clone());
            }
        }
        let missing: Vec<&String> = (0..n)
            .filter(|&i| slots[i].is_none())
            .map(|i| &self.fields[i])
            .collect();
        if !missing.is_empty() {
            return Err(Exception::type_error(format!(
                "{new} missing {} required positional argument{}: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                name_list(&missing)
            )));
        }
        Ok(self.instance(slots.into_iter().flatten().collect()))
    }

    fn fields_tuple(&self) -> Value {
        Value::tuple(self.fields.iter().map(|f| Value::str(f.as_str())).collect())
    }

    /// `_make(iterable)`, shared by the class and its instances.
    fn make_from(self: &Arc<Self>) -> Value {
        let class = self.clone();
        NativeFunction::value("_make", move |interp, args| {
            let bound = args.bind("_make", &["iterable"], 1)?;
            let items = interp.collect(bound[0].as_ref().unwrap_or(&Value::None))?;
            if items.len() != class.fields.len() {
                return Err(Exception::type_error(format!(
                    "Expected {} arguments, got {}",
                    class.fields.len(),
                    items.len()
                )));
            }
            Ok(class.instance(items))
        })
    }

    fn class_attr(self: &Arc<Self>, name: &str) -> Option<Value> {
        Some(match name {
            "_fields" => self.fields_tuple(),
            "_make" => self.make_from(),
            "_field_defaults" => {
                let mut d = Dict::new();
                let first = self.fields.len() - self.defaults.len();
                for (f, v) in self.fields[first..].iter().zip(&self.defaults) {
                    d.set_str(f, v.clone());
                }
                Value::Dict(shared(d))
            }
            "__name__" | "__qualname__" => Value::str(self.name.as_str()),
            "__module__" => Value::str(self.module.as_str()),
            _ => return None,
        })
    }
}

impl HostObject for NamedTupleType {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        format!("<class '{}.{}'>", self.0.module, self.0.name)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> Result<Value, Exception> {
        self.0.class_attr(name).ok_or_else(|| {
            Exception::attribute_error(format!(
                "type object '{}' has no attribute '{name}'",
                self.0.name
            ))
        })
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, _interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
        self.0.make(&args)
    }
    fn instance_check(&self, value: &Value) -> Option<bool> {
        Some(matches!(value.as_host::<NamedTuple>(), Some(t) if Arc::ptr_eq(&t.class, &self.0)))
    }
}

impl NamedTuple {
    fn tuple(&self) -> Value {
        Value::Tuple(self.items.clone())
    }

    fn method(&self, name: &str) -> Option<Value> {
        let (class, items) = (self.class.clone(), self.items.clone());
        Some(match name {
            "_asdict" => NativeFunction::value("_asdict", move |_, args| {
                args.bind("_asdict", &[], 0)?;
                let mut d = Dict::new();
                for (f, v) in class.fields.iter().zip(items.iter()) {
                    d.set_str(f, v.clone());
                }
                Ok(Value::Dict(shared(d)))
            }),
            "_replace" => NativeFunction::value("_replace", move |_, args| {
                if !args.positional.is_empty() {
                    return Err(Exception::type_error(format!(
                        "{}._replace() takes 1 positional argument but {} were given",
                        class.name,
                        args.positional.len() + 1
                    )));
                }
                let mut new = items.to_vec();
                let mut unknown = Vec::new();
                for (key, value) in &args.keywords {
                    match class.fields.iter().position(|f| f == key) {
                        Some(i) => new[i] = value.clone(),
                        None => unknown.push(Value::str(key.as_str())),
                    }
                }
                if !unknown.is_empty() {
                    return Err(Exception::value_error(format!(
                        "Got unexpected field names: {}",
                        repr(&Value::list(unknown))
                    )));
                }
                Ok(class.instance(new))
            }),
            "count" => NativeFunction::value("count", move |_, args| {
                let x = one_argument(&args, "count")?;
                let mut n = 0;
                for item in items.iter() {
                    n += ops::equals(item, &x)? as i64;
                }
                Ok(Value::Int(n))
            }),
            "index" => NativeFunction::value("index", move |_, args| {
                let x = one_argument(&args, "index")?;
                for (i, item) in items.iter().enumerate() {
                    if ops::equals(item, &x)? {
                        return Ok(Value::Int(i as i64));
                    }
                }
                Err(Exception::value_error("tuple.index(x): x not in tuple"))
            }),
            _ => return self.class.class_attr(name),
        })
    }
}

impl HostObject for NamedTuple {
    fn type_name(&self) -> String {
        self.class.name.clone()
    }
    fn repr(&self) -> String {
        let fields: Vec<String> = self
            .class
            .fields
            .iter()
            .zip(self.items.iter())
            .map(|(f, v)| format!("{f}={}", repr(v)))
            .collect();
        format!("{}({})", self.class.name, fields.join(", "))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_tuple(&self) -> Option<Arc<[Value]>> {
        Some(self.items.clone())
    }
    fn get_attr(&self, _this: &Value, name: &str) -> Result<Value, Exception> {
        if let Some(i) = self.class.fields.iter().position(|f| f == name) {
            return Ok(self.items[i].clone());
        }
        self.method(name).ok_or_else(|| {
            Exception::attribute_error(format!(
                "'{}' object has no attribute '{name}'",
                self.class.name
            ))
        })
    }
    fn set_attr(&self, name: &str, _value: Value) -> Result<(), Exception> {
        Err(Exception::attribute_error(
            match self.class.fields.iter().any(|f| f == name) {
                true => "can't set attribute".to_string(),
                false => format!("'{}' object has no attribute '{name}'", self.class.name),
            },
        ))
    }
    fn binary_op(
        &self,
        op: BinOp,
        other: &Value,
        reflected: bool,
    ) -> Option<Result<Value, Exception>> {
        let other = as_plain_tuple(other);
        Some(match reflected {
            false => ops::binary(op, &self.tuple(), &other),
            true => ops::binary(op, &other, &self.tuple()),
        })
    }
    fn compare(
        &self,
        op: CmpOp,
        other: &Value,
        reflected: bool,
    ) -> Option<Result<Value, Exception>> {
        let other = as_plain_tuple(other);
        if !matches!(other, Value::Tuple(_)) {
            return None;
        }
        Some(match reflected {
            false => ops::compare(op, &self.tuple(), &other),
            true => ops::compare(op, &other, &self.tuple()),
        })
    }
    fn get_item(&self, index: &Value) -> Result<Value, Exception> {
        index::get_item(&self.tuple(), index)
    }
    fn iterate(&self) -> Option<Result<Vec<Value>, Exception>> {
        Some(Ok(self.items.to_vec()))
    }
    fn length(&self) -> Option<Result<usize, Exception>> {
        Some(Ok(self.items.len()))
    }
    fn truthy(&self) -> Result<bool, Exception> {
        Ok(!self.items.is_empty())
    }
}

fn one_argument(args: &Args, name: &str) -> Result<Value, Exception> {
    args.no_keywords(name)?;
    match args.positional.as_slice() {
        [x] => Ok(x.clone()),
        other => Err(Exception::type_error(format!(
            "{name}() takes exactly one argument ({} given)",
            other.len()
        ))),
    }
}

/// A namedtuple as its plain tuple; other values as they are.
fn as_plain_tuple(v: &Value) -> Value {
    match v {
        Value::Host(h) => h.as_tuple().map_or_else(|| v.clone(), Value::Tuple),
        other => other.clone(),
    }
}

/// `collections.namedtuple`.
pub fn factory() -> Value {
    NativeFunction::value("namedtuple", namedtuple)
}

/// An instance of a namedtuple class made for host code (`CacheInfo(hits=1, ...)`).
pub fn record(name: &str, fields: &[&str], items: Vec<Value>) -> Value {
    let class = Arc::new(NamedTupleClass {
        name: name.to_string(),
        module: "functools".to_string(),
        fields: fields.iter().map(|f| f.to_string()).collect(),
        defaults: Vec::new(),
    });
    class.instance(items)
}

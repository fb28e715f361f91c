//! `OrderedDict`, `defaultdict` and `Counter`: dicts tagged with their `DictKind`.
//!
//! Each is a `Value::Dict` whose `Dict::kind` names the class, so indexing, `len`, iteration,
//! views, `isinstance(x, dict)`, `dict(x)` and printing the values inside (tensors of a state
//! dict) are the dict's own code. What differs lives here: the constructors, the extra methods,
//! `__missing__`, the reprs, order-sensitive equality and `Counter`'s arithmetic.

use std::any::Any;
use std::cmp::Ordering;
use std::sync::TryLockError;

use crate::lang::ast::{BinOp, CmpOp};
use crate::lang::builtins::{construct, is_callable};
use crate::lang::dict::{Dict, DictKind};
use crate::lang::exception::Exception;
use crate::lang::interp::{iterator_from, Interp, IterSource};
use crate::lang::ops::{self, equals};
use crate::lang::value::{lock, shared, Args, HostObject, NativeFunction, Shared, TypeKind, Value};

/// `type(d)` of a dict: `dict` or the `collections` class. A dict locked right now (only by
/// code of this thread that is reporting an error about it) names itself `dict`.
pub fn dict_type(d: &Shared<Dict>) -> TypeKind {
    let name = match d.try_lock() {
        Ok(dict) => dict.kind.name(),
        Err(TryLockError::Poisoned(p)) => p.into_inner().kind.name(),
        Err(TryLockError::WouldBlock) => None,
    };
    name.map_or(TypeKind::Dict, |n| TypeKind::Named(n.into()))
}

/// The class objects `OrderedDict`, `defaultdict` and `Counter`.
pub struct DictClass(pub &'static str);

impl HostObject for DictClass {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        format!("<class 'collections.{}'>", self.0)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> Result<Value, Exception> {
        match name {
            "__name__" | "__qualname__" => Ok(Value::str(self.0)),
            "__module__" => Ok(Value::str("collections")),
            "fromkeys" => {
                let class = self.0;
                Ok(NativeFunction::value("fromkeys", move |interp, args| {
                    fromkeys(interp, class, &args)
                }))
            }
            _ => Err(Exception::attribute_error(format!(
                "type object '{}' has no attribute '{name}'",
                self.0
            ))),
        }
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
        match self.0 {
            "OrderedDict" => {
                if args.positional.len() > 1 {
                    return Err(Exception::type_error(format!(
                        "expected at most 1 arguments, got {}",
                        args.positional.len()
                    )));
                }
                tagged(interp, DictKind::OrderedDict, args)
            }
            "defaultdict" => {
                let mut args = args;
                let factory = match args.positional.is_empty() {
                    true => Value::None,
                    false => args.positional.remove(0),
                };
                if !matches!(factory, Value::None) && !is_callable(&factory) {
                    return Err(Exception::type_error(
                        "first argument must be callable or None",
                    ));
                }
                tagged(interp, DictKind::DefaultDict(factory), args)
            }
            _ => {
                if args.positional.len() > 1 {
                    return Err(Exception::type_error(format!(
                        "Counter.__init__() takes from 1 to 2 positional arguments but {} were given",
                        args.positional.len() + 1
                    )));
                }
                let dict = shared(Dict::of_kind(DictKind::Counter));
                counter_update(interp, &dict, &args, 1)?;
                Ok(Value::Dict(dict))
            }
        }
    }
    fn instance_check(&self, value: &Value) -> Option<bool> {
        Some(match value {
            Value::Dict(d) => lock(d).kind.name() == Some(self.0),
            _ => false,
        })
    }
}

/// `dict(*args, **kwargs)` tagged with `kind`.
fn tagged(interp: &mut Interp<'_>, kind: DictKind, args: Args) -> Result<Value, Exception> {
    let value = construct(interp, &TypeKind::Dict, args)?;
    if let Value::Dict(d) = &value {
        lock(d).kind = kind;
    }
    Ok(value)
}

fn fromkeys(interp: &mut Interp<'_>, class: &str, args: &Args) -> Result<Value, Exception> {
    if class == "Counter" {
        return Err(Exception::new(
            "NotImplementedError",
            "Counter.fromkeys() is undefined.  Use Counter(iterable) instead.",
        ));
    }
    let bound = args.bind("fromkeys", &["iterable", "value"], 1)?;
    let value = bound[1].clone().unwrap_or(Value::None);
    let mut dict = Dict::of_kind(match class {
        "OrderedDict" => DictKind::OrderedDict,
        _ => DictKind::DefaultDict(Value::None),
    });
    for key in interp.collect(bound[0].as_ref().unwrap_or(&Value::None))? {
        dict.insert(key, value.clone())?;
    }
    Ok(Value::Dict(shared(dict)))
}

/// `Counter.update` (`sign` 1) and `Counter.subtract` (`sign` -1): counts from a mapping or
/// the elements of an iterable, then from keyword arguments.
fn counter_update(
    interp: &mut Interp<'_>,
    dict: &Shared<Dict>,
    args: &Args,
    sign: i64,
) -> Result<(), Exception> {
    let op = if sign > 0 { BinOp::Add } else { BinOp::Sub };
    let add = |key: Value, amount: &Value| -> Result<(), Exception> {
        let current = lock(dict).get(&key)?.unwrap_or(Value::Int(0));
        let count = ops::binary(op, &current, amount)?;
        lock(dict).insert(key, count)
    };
    match args.positional.first() {
        None | Some(Value::None) => {}
        Some(Value::Dict(source)) => {
            let pairs = lock(source).items();
            // An empty Counter takes a mapping's counts as they are, as CPython's does.
            if sign > 0 && lock(dict).is_empty() {
                let mut d = lock(dict);
                for (k, v) in pairs {
                    d.insert(k, v)?;
                }
            } else {
                for (k, v) in pairs {
                    add(k, &v)?;
                }
            }
        }
        Some(iterable) => {
            let mut it = interp.iter(iterable)?;
            while let Some(item) = it.next(interp)? {
                add(item, &Value::Int(1))?;
            }
        }
    }
    for (k, v) in &args.keywords {
        add(Value::str(k.as_str()), v)?;
    }
    Ok(())
}

/// `d[key]` for a key `d` lacks: `defaultdict` calls its factory and stores the result,
/// `Counter` answers 0; `None` leaves the KeyError to the dict.
pub fn missing(
    interp: &mut Interp<'_>,
    dict: &Shared<Dict>,
    key: &Value,
) -> Result<Option<Value>, Exception> {
    let kind = match &lock(dict).kind {
        DictKind::Plain | DictKind::OrderedDict => return Ok(None),
        DictKind::DefaultDict(Value::None) => return Ok(None),
        kind => kind.clone(),
    };
    if lock(dict).contains(key)? {
        return Ok(None);
    }
    match kind {
        DictKind::DefaultDict(factory) => {
            let value = interp.call(&factory, Args::default())?;
            lock(dict).insert(key.clone(), value.clone())?;
            Ok(Some(value))
        }
        _ => Ok(Some(Value::Int(0))),
    }
}

/// How a tagged dict prints: the class name and the arguments that would rebuild it
/// (`OrderedDict([('a', 1)])`, `defaultdict(<class 'int'>, {})`, `Counter({'a': 2})`).
pub fn display_form(dict: &Dict) -> Option<(&'static str, Vec<Value>)> {
    let name = dict.kind.name()?;
    let plain = |pairs: Vec<(Value, Value)>| {
        let mut d = Dict::new();
        for (k, v) in pairs {
            // The keys come from a dict, so they hash.
            let _ = d.insert(k, v);
        }
        Value::Dict(shared(d))
    };
    let args = match &dict.kind {
        _ if dict.is_empty() && !matches!(dict.kind, DictKind::DefaultDict(_)) => Vec::new(),
        DictKind::OrderedDict => vec![Value::list(
            dict.items()
                .into_iter()
                .map(|(k, v)| Value::tuple(vec![k, v]))
                .collect(),
        )],
        DictKind::DefaultDict(factory) => vec![factory.clone(), plain(dict.items())],
        // Counts that do not compare print in insertion order, as CPython falls back to.
        _ => vec![plain(
            by_count(dict.items()).unwrap_or_else(|_| dict.items()),
        )],
    };
    Some((name, args))
}

/// Pairs sorted by count, largest first, ties in insertion order (`Counter.most_common`).
fn by_count(mut pairs: Vec<(Value, Value)>) -> Result<Vec<(Value, Value)>, Exception> {
    let mut error = None;
    let mut less =
        |a: &Value, b: &Value| match ops::compare(CmpOp::Lt, a, b).and_then(|v| ops::truthy(&v)) {
            Ok(lt) => lt,
            Err(e) => {
                error.get_or_insert(e);
                false
            }
        };
    pairs.sort_by(|(_, x), (_, y)| {
        if less(y, x) {
            Ordering::Less
        } else if less(x, y) {
            Ordering::Greater
        } else {
            Ordering::Equal
        }
    });
    match error {
        Some(e) => Err(e),
        None => Ok(pairs),
    }
}

/// Equality where a tagged dict has its own: two OrderedDicts also compare their order, two
/// Counters treat missing counts as zero. `None` for plain dict equality.
pub fn dicts_equal(x: &Dict, y: &Dict) -> Option<Result<bool, Exception>> {
    match (&x.kind, &y.kind) {
        (DictKind::OrderedDict, DictKind::OrderedDict) => Some((|| {
            if x.len() != y.len() {
                return Ok(false);
            }
            for ((k1, v1), (k2, v2)) in x.items().iter().zip(y.items().iter()) {
                if !equals(k1, k2)? || !equals(v1, v2)? {
                    return Ok(false);
                }
            }
            Ok(true)
        })()),
        (DictKind::Counter, DictKind::Counter) => Some((|| {
            for (a, b) in [(x, y), (y, x)] {
                for (k, v) in a.items() {
                    let w = b.get(&k)?.unwrap_or(Value::Int(0));
                    if !equals(&v, &w)? {
                        return Ok(false);
                    }
                }
            }
            Ok(true)
        })()),
        _ => None,
    }
}

fn counter_of(v: &Value) -> Option<Dict> {
    match v {
        Value::Dict(d) => {
            let d = lock(d).clone();
            matches!(d.kind, DictKind::Counter).then_some(d)
        }
        _ => None,
    }
}

fn positive(v: &Value) -> Result<bool, Exception> {
    ops::truthy(&ops::compare(CmpOp::Gt, v, &Value::Int(0))?)
}

/// `Counter` `+ - | &` (both operands Counters), keeping positive counts as CPython does.
pub fn counter_binary(op: BinOp, a: &Value, b: &Value) -> Option<Result<Value, Exception>> {
    if !matches!(op, BinOp::Add | BinOp::Sub | BinOp::BitOr | BinOp::BitAnd) {
        return None;
    }
    let (x, y) = (counter_of(a)?, counter_of(b)?);
    Some((|| {
        let mut out = Dict::of_kind(DictKind::Counter);
        let zero = Value::Int(0);
        for (k, count) in x.items() {
            let other = y.get(&k)?.unwrap_or(Value::Int(0));
            let lt =
                |p: &Value, q: &Value| ops::compare(CmpOp::Lt, p, q).and_then(|v| ops::truthy(&v));
            let new = match op {
                BinOp::Add => ops::binary(BinOp::Add, &count, &other)?,
                BinOp::Sub => ops::binary(BinOp::Sub, &count, &other)?,
                BinOp::BitOr if lt(&count, &other)? => other,
                BinOp::BitAnd if !lt(&count, &other)? => other,
                _ => count,
            };
            if positive(&new)? {
                out.insert(k, new)?;
            }
        }
        if op != BinOp::BitAnd {
            for (k, count) in y.items() {
                if x.contains(&k)? {
                    continue;
                }
                let new = match op {
                    BinOp::Sub => ops::binary(BinOp::Sub, &zero, &count)?,
                    _ => count,
                };
                if positive(&new)? {
                    out.insert(k, new)?;
                }
            }
        }
        Ok(Value::Dict(shared(out)))
    })())
}

/// The methods a tagged dict adds to (or overrides in) dict's.
fn own_methods(kind: &DictKind) -> &'static [&'static str] {
    match kind {
        DictKind::Plain | DictKind::DefaultDict(_) => &["popitem"],
        DictKind::OrderedDict => &["popitem", "move_to_end"],
        DictKind::Counter => &[
            "popitem",
            "most_common",
            "elements",
            "total",
            "update",
            "subtract",
        ],
    }
}

/// `d.name` for the attributes a tagged dict adds: its own methods and `default_factory`.
pub fn dict_attribute(value: &Value, name: &str) -> Option<Value> {
    let Value::Dict(d) = value else {
        return None;
    };
    let kind = lock(d).kind.clone();
    if let (DictKind::DefaultDict(factory), "default_factory") = (&kind, name) {
        return Some(factory.clone());
    }
    let &method = own_methods(&kind).iter().find(|m| **m == name)?;
    let receiver = value.clone();
    Some(NativeFunction::value(method, move |interp, args| {
        dict_method(interp, &receiver, method, &args).unwrap_or(Ok(Value::None))
    }))
}

/// Calls one of a tagged dict's own methods; `None` for the methods dict has.
pub fn dict_method(
    interp: &mut Interp<'_>,
    receiver: &Value,
    name: &str,
    args: &Args,
) -> Option<Result<Value, Exception>> {
    let Value::Dict(d) = receiver else {
        return None;
    };
    let kind = lock(d).kind.clone();
    if !own_methods(&kind).contains(&name) {
        return None;
    }
    Some(match name {
        "popitem" => popitem(d, &kind, args),
        "move_to_end" => args.bind(name, &["key", "last"], 1).and_then(|a| {
            let key = a[0].clone().unwrap_or(Value::None);
            let last = match &a[1] {
                Some(v) => interp.truthy(v)?,
                None => true,
            };
            match lock(d).move_to_end(&key, last)? {
                true => Ok(Value::None),
                false => Err(Exception::key_error(&key)),
            }
        }),
        "most_common" => most_common(d, args),
        "elements" => elements(d, args),
        "total" => args.bind(name, &[], 0).and_then(|_| {
            let values = lock(d).values();
            values
                .iter()
                .try_fold(Value::Int(0), |sum, v| ops::binary(BinOp::Add, &sum, v))
        }),
        _ => {
            let sign = if name == "update" { 1 } else { -1 };
            counter_update(interp, d, args, sign).map(|_| Value::None)
        }
    })
}

fn popitem(d: &Shared<Dict>, kind: &DictKind, args: &Args) -> Result<Value, Exception> {
    let last = match kind {
        DictKind::OrderedDict => {
            if args.positional.len() + args.keywords.len() > 1 {
                return Err(Exception::type_error(format!(
                    "popitem() takes at most 1 keyword argument ({} given)",
                    args.positional.len() + args.keywords.len()
                )));
            }
            let bound = args.bind("popitem", &["last"], 0)?;
            match &bound[0] {
                Some(v) => ops::truthy(v)?,
                None => true,
            }
        }
        _ => {
            if !args.positional.is_empty() || !args.keywords.is_empty() {
                return Err(Exception::type_error(format!(
                    "dict.popitem() takes no arguments ({} given)",
                    args.positional.len() + args.keywords.len()
                )));
            }
            true
        }
    };
    let empty = match kind {
        DictKind::OrderedDict => "dictionary is empty",
        _ => "popitem(): dictionary is empty",
    };
    match lock(d).pop_item(last) {
        Some((k, v)) => Ok(Value::tuple(vec![k, v])),
        None => Err(Exception::key_error(&Value::str(empty))),
    }
}

fn most_common(d: &Shared<Dict>, args: &Args) -> Result<Value, Exception> {
    let bound = args.bind("most_common", &["n"], 0)?;
    let pairs = by_count(lock(d).items())?;
    let n = match &bound[0] {
        None | Some(Value::None) => pairs.len(),
        Some(v) => match v.as_int() {
            Some(n) => n.clamp(0, pairs.len() as i64) as usize,
            // CPython's `heapq.nlargest` first compares `n >= len(self)`.
            None if v.as_float().is_none() => {
                return Err(Exception::type_error(format!(
                    "'>=' not supported between instances of '{}' and 'int'",
                    v.type_name()
                )))
            }
            None => {
                return Err(Exception::type_error(format!(
                    "'{}' object cannot be interpreted as an integer",
                    v.type_name()
                )))
            }
        },
    };
    Ok(Value::list(
        pairs
            .into_iter()
            .take(n)
            .map(|(k, v)| Value::tuple(vec![k, v]))
            .collect(),
    ))
}

/// `Counter.elements()`: each key repeated by its count, lazily as CPython's chain is.
fn elements(d: &Shared<Dict>, args: &Args) -> Result<Value, Exception> {
    args.bind("elements", &[], 0)?;
    let mut pairs = lock(d).items().into_iter();
    let mut current: Option<(Value, i64)> = None;
    let step = move |_: &mut Interp<'_>| loop {
        if let Some((key, left)) = &mut current {
            if *left > 0 {
                *left -= 1;
                return Ok(Some(key.clone()));
            }
        }
        let Some((key, count)) = pairs.next() else {
            return Ok(None);
        };
        let n = count.as_int().ok_or_else(|| {
            Exception::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                count.type_name()
            ))
        })?;
        current = Some((key, n));
    };
    Ok(iterator_from(
        "itertools.chain",
        IterSource::Native(Box::new(step)),
    ))
}

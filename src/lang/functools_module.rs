//! Python's `functools` (the everyday part): `reduce`, `partial`, `lru_cache`/`cache`, `wraps`.

use std::any::Any;
use std::sync::{Arc, Mutex};

use indexmap::IndexMap;

use super::dict::Dict;
use super::exception::Exception;
use super::interp::Interp;
use super::namespace::Namespace;
use super::repr::repr;
use super::value::{lock, Args, HostObject, NativeFunction, Value};

fn reduce(interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    args.no_keywords("reduce")?;
    let (f, iterable, initial) = match args.positional.as_slice() {
        [f, it] => (f, it, None),
        [f, it, init] => (f, it, Some(init.clone())),
        other => {
            return Err(Exception::type_error(format!(
                "reduce expected at {}, got {}",
                if other.len() < 2 {
                    "least 2 arguments"
                } else {
                    "most 3 arguments"
                },
                other.len()
            )))
        }
    };
    let mut it = interp.iter(iterable)?;
    let mut total = match initial {
        Some(v) => v,
        None => it.next(interp)?.ok_or_else(|| {
            Exception::type_error("reduce() of empty iterable with no initial value")
        })?,
    };
    while let Some(item) = it.next(interp)? {
        total = interp.call(f, Args::new(vec![total, item]))?;
    }
    Ok(total)
}

/// `functools.partial(func, *args, **keywords)`.
struct Partial {
    func: Value,
    args: Vec<Value>,
    keywords: Vec<(String, Value)>,
}

impl HostObject for Partial {
    fn type_name(&self) -> String {
        "functools.partial".into()
    }
    fn repr(&self) -> String {
        let mut parts = vec![repr(&self.func)];
        parts.extend(self.args.iter().map(repr));
        parts.extend(
            self.keywords
                .iter()
                .map(|(k, v)| format!("{k}={}", repr(v))),
        );
        format!("functools.partial({})", parts.join(", "))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, _this: &Value, name: &str) -> Result<Value, Exception> {
        match name {
            "func" => Ok(self.func.clone()),
            "args" => Ok(Value::tuple(self.args.clone())),
            "keywords" => {
                let mut d = Dict::new();
                for (k, v) in &self.keywords {
                    d.set_str(k, v.clone());
                }
                Ok(Value::Dict(super::value::shared(d)))
            }
            _ => Err(Exception::attribute_error(format!(
                "'functools.partial' object has no attribute '{name}'"
            ))),
        }
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
        let mut positional = self.args.clone();
        positional.extend(args.positional);
        let mut keywords = self.keywords.clone();
        for (k, v) in args.keywords {
            match keywords.iter_mut().find(|(name, _)| *name == k) {
                Some(slot) => slot.1 = v,
                None => keywords.push((k, v)),
            }
        }
        interp.call(
            &self.func,
            Args {
                positional,
                keywords,
            },
        )
    }
}

fn partial(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let Some((func, rest)) = args.positional.split_first() else {
        return Err(Exception::type_error(
            "type 'partial' takes at least one argument",
        ));
    };
    if !super::builtins::is_callable(func) {
        return Err(Exception::type_error("the first argument must be callable"));
    }
    // A partial of a partial flattens, as CPython's does.
    if let Some(inner) = func.as_host::<Partial>() {
        let mut keywords = inner.keywords.clone();
        for (k, v) in &args.keywords {
            match keywords.iter_mut().find(|(name, _)| name == k) {
                Some(slot) => slot.1 = v.clone(),
                None => keywords.push((k.clone(), v.clone())),
            }
        }
        return Ok(Value::host(Partial {
            func: inner.func.clone(),
            args: inner.args.iter().chain(rest).cloned().collect(),
            keywords,
        }));
    }
    Ok(Value::host(Partial {
        func: func.clone(),
        args: rest.to_vec(),
        keywords: args.keywords.clone(),
    }))
}

/// A function wrapped by `lru_cache`/`cache`: results by arguments, least recently used
/// evicted past `maxsize`.
struct Cached {
    func: Value,
    maxsize: Option<usize>,
    cache: Mutex<Dict>,
    stats: Mutex<(i64, i64)>,
}

impl Cached {
    fn info(&self) -> Value {
        let (hits, misses) = *lock(&self.stats);
        let maxsize = self.maxsize.map_or(Value::None, |m| Value::Int(m as i64));
        let size = Value::Int(lock(&self.cache).len() as i64);
        super::collections::record(
            "CacheInfo",
            &["hits", "misses", "maxsize", "currsize"],
            vec![Value::Int(hits), Value::Int(misses), maxsize, size],
        )
    }
}

impl HostObject for Cached {
    fn type_name(&self) -> String {
        "functools._lru_cache_wrapper".into()
    }
    fn repr(&self) -> String {
        format!(
            "<functools._lru_cache_wrapper object at 0x{:012x}>",
            self as *const Self as usize
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn get_attr(&self, this: &Value, name: &str) -> Result<Value, Exception> {
        let this = this.clone();
        match name {
            "cache_info" => Ok(NativeFunction::value("cache_info", move |_, _| {
                Ok(this.as_host::<Cached>().map_or(Value::None, Cached::info))
            })),
            "cache_clear" => Ok(NativeFunction::value("cache_clear", move |_, _| {
                if let Some(c) = this.as_host::<Cached>() {
                    *lock(&c.cache) = Dict::new();
                    *lock(&c.stats) = (0, 0);
                }
                Ok(Value::None)
            })),
            "__wrapped__" => Ok(self.func.clone()),
            "__name__" | "__qualname__" => match &self.func {
                Value::Function(f) => Ok(Value::str(f.def.name.as_str())),
                Value::Native(f) => Ok(Value::str(f.name.as_str())),
                _ => Err(Exception::attribute_error(name.to_string())),
            },
            _ => Err(Exception::attribute_error(format!(
                "'functools._lru_cache_wrapper' object has no attribute '{name}'"
            ))),
        }
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, interp: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
        let mut key = args.positional.clone();
        if !args.keywords.is_empty() {
            // A marker no caller passes separates positional from keyword arguments.
            key.push(Value::Host(Arc::new(KeywordMark)));
            for (k, v) in &args.keywords {
                key.push(Value::str(k.as_str()));
                key.push(v.clone());
            }
        }
        let key = Value::tuple(key);
        let hit = lock(&self.cache).get(&key)?;
        if let Some(hit) = hit {
            lock(&self.stats).0 += 1;
            lock(&self.cache).move_to_end(&key, true)?;
            return Ok(hit);
        }
        lock(&self.stats).1 += 1;
        let result = interp.call(&self.func, args)?;
        if self.maxsize != Some(0) {
            let mut cache = lock(&self.cache);
            cache.insert(key, result.clone())?;
            if self.maxsize.is_some_and(|m| cache.len() > m) {
                cache.pop_item(false);
            }
        }
        Ok(result)
    }
}

struct KeywordMark;

impl HostObject for KeywordMark {
    fn type_name(&self) -> String {
        "object".into()
    }
    fn repr(&self) -> String {
        "<object>".into()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn cached(func: Value, maxsize: Option<usize>) -> Value {
    Value::host(Cached {
        func,
        maxsize,
        cache: Mutex::new(Dict::new()),
        stats: Mutex::new((0, 0)),
    })
}

/// `@lru_cache`, `@lru_cache()`, `@lru_cache(maxsize=None)`.
fn lru_cache(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("lru_cache", &["maxsize", "typed"], 0)?;
    let maxsize = match &a[0] {
        Some(f) if super::builtins::is_callable(f) => return Ok(cached(f.clone(), Some(128))),
        None => Some(128),
        Some(Value::None) => None,
        Some(v) => match v.as_int() {
            Some(n) => Some(n.max(0) as usize),
            None => {
                return Err(Exception::type_error(
                    "Expected first argument to be an integer, a callable, or None",
                ))
            }
        },
    };
    Ok(NativeFunction::value(
        "decorating_function",
        move |_, args| {
            let a = args.bind("decorating_function", &["user_function"], 1)?;
            Ok(cached(a[0].clone().unwrap_or(Value::None), maxsize))
        },
    ))
}

fn cache(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("cache", &["user_function"], 1)?;
    Ok(cached(a[0].clone().unwrap_or(Value::None), None))
}

/// `@wraps(wrapped)`: copies `__name__`, `__qualname__`, `__doc__`, `__module__` onto the
/// wrapper and sets `__wrapped__`.
fn wraps(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    let a = args.bind("wraps", &["wrapped"], 1)?;
    let wrapped = a[0].clone().unwrap_or(Value::None);
    Ok(NativeFunction::value(
        "update_wrapper",
        move |interp, args| {
            let a = args.bind("update_wrapper", &["wrapper"], 1)?;
            let wrapper = a[0].clone().unwrap_or(Value::None);
            if let Value::Function(f) = &wrapper {
                for name in ["__module__", "__name__", "__qualname__", "__doc__"] {
                    if let Ok(v) = interp.get_attr(&wrapped, name) {
                        lock(f.attributes()).set_str(name, v);
                    }
                }
                lock(f.attributes()).set_str("__wrapped__", wrapped.clone());
            }
            Ok(wrapper)
        },
    ))
}

type Native = fn(&mut Interp<'_>, Args) -> Result<Value, Exception>;

/// The `functools` module object.
pub fn module() -> Value {
    let natives: [(&str, Native); 5] = [
        ("reduce", reduce),
        ("partial", partial),
        ("lru_cache", lru_cache),
        ("cache", cache),
        ("wraps", wraps),
    ];
    let attrs: IndexMap<String, Value> = natives
        .into_iter()
        .map(|(name, f)| (name.to_string(), NativeFunction::value(name, f)))
        .collect();
    Value::host(Namespace::new("functools", attrs))
}

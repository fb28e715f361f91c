//! Python's `gc`: `collect()`, and `enable()`/`disable()`/`isenabled()` for the automatic
//! collections (see `lang::heap`).

use indexmap::IndexMap;

use super::exception::Exception;
use super::heap::Heap;
use super::interp::Interp;
use super::namespace::Namespace;
use super::value::{Args, NativeFunction, Value};

/// `gc.collect(generation=2)`: how many objects it freed (nnlearn's objects, so not the
/// number CPython would count).
fn collect(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    if args.positional.len() > 1 {
        return Err(Exception::type_error(format!(
            "collect() takes at most 1 argument ({} given)",
            args.positional.len()
        )));
    }
    if let Some((key, _)) = args.keywords.iter().find(|(key, _)| key != "generation") {
        return Err(Exception::type_error(format!(
            "'{key}' is an invalid keyword argument for collect()"
        )));
    }
    let generation = match args
        .positional
        .first()
        .or(args.keywords.first().map(|(_, v)| v))
    {
        None => 2,
        Some(Value::Int(g)) => *g,
        Some(Value::Bool(b)) => *b as i64,
        Some(other) => {
            return Err(Exception::type_error(format!(
                "'{}' object cannot be interpreted as an integer",
                other.type_name()
            )))
        }
    };
    let generation = usize::try_from(generation)
        .ok()
        .filter(|&g| g < Heap::GENERATIONS)
        .ok_or_else(|| Exception::value_error("invalid generation"))?;
    let freed = Heap::current().map_or(0, |heap| heap.collect_generation(generation));
    Ok(Value::Int(freed as i64))
}

fn no_arguments(name: &str, args: &Args) -> Result<(), Exception> {
    if !args.keywords.is_empty() {
        return Err(Exception::type_error(format!(
            "gc.{name}() takes no keyword arguments"
        )));
    }
    match args.positional.len() {
        0 => Ok(()),
        n => Err(Exception::type_error(format!(
            "gc.{name}() takes no arguments ({n} given)"
        ))),
    }
}

fn switch(name: &'static str, on: bool) -> Value {
    NativeFunction::value(name, move |_, args| {
        no_arguments(name, &args)?;
        if let Some(heap) = Heap::current() {
            heap.set_enabled(on);
        }
        Ok(Value::None)
    })
}

fn isenabled(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    no_arguments("isenabled", &args)?;
    Ok(Value::Bool(
        Heap::current().is_some_and(|heap| heap.is_enabled()),
    ))
}

pub fn module() -> Value {
    let attrs: IndexMap<String, Value> = [
        ("collect", NativeFunction::value("collect", collect)),
        ("enable", switch("enable", true)),
        ("disable", switch("disable", false)),
        ("isenabled", NativeFunction::value("isenabled", isenabled)),
    ]
    .into_iter()
    .map(|(name, f)| (name.to_string(), f))
    .collect();
    Value::host(Namespace::new("gc", attrs))
}

//! Python's `gc`: `collect()`, and `enable()`/`disable()`/`isenabled()` for the automatic
//! collections (see `lang::heap`).

use indexmap::IndexMap;

use super::builtins::int_of;
use super::exception::Exception;
use super::heap::Heap;
use super::interp::Interp;
use super::methods::no_args;
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
    let given = args
        .positional
        .first()
        .or(args.keywords.first().map(|(_, v)| v));
    let too_large = || Exception::new("OverflowError", "Python int too large to convert to C int");
    let generation = match given {
        None => 2,
        Some(Value::BigInt(_)) => return Err(too_large()),
        Some(v) => i32::try_from(int_of(v)?).map_err(|_| too_large())?,
    };
    let generation = usize::try_from(generation)
        .ok()
        .filter(|&g| g < Heap::GENERATIONS)
        .ok_or_else(|| Exception::value_error("invalid generation"))?;
    let freed = Heap::current().map_or(0, |heap| heap.collect_generation(generation));
    Ok(Value::Int(freed as i64))
}

/// `gc.enable()` (`on`) or `gc.disable()`.
fn switch(name: &'static str, qualname: &'static str, on: bool) -> Value {
    NativeFunction::value(name, move |_, args| {
        no_args(&args, qualname)?;
        if let Some(heap) = Heap::current() {
            heap.set_enabled(on);
        }
        Ok(Value::None)
    })
}

fn isenabled(_: &mut Interp<'_>, args: Args) -> Result<Value, Exception> {
    no_args(&args, "gc.isenabled")?;
    Ok(Value::Bool(
        Heap::current().is_some_and(|heap| heap.is_enabled()),
    ))
}

pub fn module() -> Value {
    let attrs: IndexMap<String, Value> = [
        ("collect", NativeFunction::value("collect", collect)),
        ("enable", switch("enable", "gc.enable", true)),
        ("disable", switch("disable", "gc.disable", false)),
        ("isenabled", NativeFunction::value("isenabled", isenabled)),
    ]
    .into_iter()
    .map(|(name, f)| (name.to_string(), f))
    .collect();
    Value::host(Namespace::new("gc", attrs))
}

//! What the heap's collector sees in instances and the objects that wrap values.

use std::any::Any;
use std::sync::Arc;

use super::super::heap::{Slot, Traced, Tracer};
use super::{no_args, Descriptor, Instance, Method, Super};

impl Traced for Instance {
    fn slot(&self) -> Option<&Slot> {
        Some(&self.gc)
    }

    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        tracer.object(&self.dict);
        let Ok(args) = self.args.try_lock() else {
            return false;
        };
        tracer.object(&args);
        true
    }

    /// Empties `__dict__` unless `vars()` handed it out (then it is someone else's too)
    /// and `args`.
    fn clear(&self) -> Option<Box<dyn Any>> {
        let dict = (Arc::strong_count(&self.dict) == 1)
            .then(|| {
                self.dict
                    .try_lock()
                    .ok()
                    .map(|mut d| std::mem::take(&mut *d))
            })
            .flatten();
        let args = self
            .args
            .try_lock()
            .ok()
            .map(|mut args| std::mem::replace(&mut *args, no_args()));
        Some(Box::new((dict, args)))
    }
}

impl Traced for Method {
    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        tracer.value(&self.receiver);
        tracer.value(&self.function);
        true
    }
}

impl Traced for Descriptor {
    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        match self {
            Descriptor::Property { fget, fset, fdel } => {
                [fget, fset, fdel].into_iter().for_each(|v| tracer.value(v))
            }
            Descriptor::StaticMethod(f) | Descriptor::ClassMethod(f) => tracer.value(f),
        }
        true
    }
}

impl Traced for Super {
    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        tracer.value(&self.receiver);
        true
    }
}

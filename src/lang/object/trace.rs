//! What the heap's collector sees in instances and the objects that wrap values.

use std::any::Any;
use std::sync::Arc;

use super::super::heap::{Slot, Traced, Tracer};
use super::super::value::ClassSlot;
use super::{no_args, Class, Descriptor, Instance, Method, Super, CLASS_DICTS_CHANGED};

impl Traced for Instance {
    fn slot(&self) -> Option<&Slot> {
        Some(&self.gc)
    }

    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        tracer.object(&self.class);
        tracer.object(&self.dict);
        let Ok(args) = self.args.try_lock() else {
            return false;
        };
        tracer.object(&args);
        true
    }

    /// Empties `__dict__` unless `vars()` handed it out (then it is someone else's too)
    /// and `args`.
    fn clear(&self) -> Option<Box<dyn Any + Send>> {
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
        tracer.object(&self.after);
        tracer.object(&self.receiver_class);
        true
    }
}

impl Traced for Class {
    fn slot(&self) -> Option<&Slot> {
        Some(&self.gc)
    }

    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        match self.dict.try_lock() {
            Ok(dict) => dict.values().for_each(|v| tracer.value(v)),
            Err(_) => return false,
        }
        match self.lookups.try_lock() {
            Ok(lookups) => lookups
                .found
                .values()
                .flatten()
                .for_each(|v| tracer.value(v)),
            Err(_) => return false,
        }
        self.bases
            .iter()
            .chain(&self.ancestors)
            .for_each(|c| tracer.object(c));
        true
    }

    /// Empties the class dict and its lookup cache (bases stay: they are classes, which
    /// the collection frees or keeps on their own).
    fn clear(&self) -> Option<Box<dyn Any + Send>> {
        let dict = self
            .dict
            .try_lock()
            .ok()
            .map(|mut d| std::mem::take(&mut *d));
        let found = self
            .lookups
            .try_lock()
            .ok()
            .map(|mut l| std::mem::take(&mut l.found));
        CLASS_DICTS_CHANGED.fetch_add(1, std::sync::atomic::Ordering::Release);
        Some(Box::new((dict, found)))
    }
}

impl Traced for ClassSlot {
    fn slot(&self) -> Option<&Slot> {
        Some(&self.gc)
    }

    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        if let Some(class) = self.get() {
            tracer.object(class);
        }
        true
    }
}

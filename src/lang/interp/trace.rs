//! What the heap's collector sees in scopes and functions: a closure's captured scopes are
//! how most cycles form (a node's `_backward` closure refers to the node).

use std::any::Any;
use std::sync::Arc;

use super::super::heap::{Slot, Traced, Tracer};
use super::super::value::Function;
use super::{Code, Scope};

impl Traced for Scope {
    fn slot(&self) -> Option<&Slot> {
        Some(&self.gc)
    }

    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        let Ok(vars) = self.vars.try_lock() else {
            return false;
        };
        vars.map.values().for_each(|v| tracer.value(v));
        true
    }

    fn clear(&self) -> Option<Box<dyn Any + Send>> {
        let mut vars = self.vars.try_lock().ok()?;
        let map = std::mem::take(&mut vars.map);
        vars.keys_changed();
        Some(Box::new(map))
    }
}

impl Traced for [Arc<Scope>] {
    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        self.iter().for_each(|scope| tracer.object(scope));
        true
    }
}

impl Traced for Code {
    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        tracer.object(&self.enclosing);
        if let Some(cell) = &self.class_cell {
            tracer.object(cell);
        }
        true
    }
}

impl Traced for Function {
    fn slot(&self) -> Option<&Slot> {
        Some(&self.gc)
    }

    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        self.defaults.iter().flatten().for_each(|v| tracer.value(v));
        tracer.object(&self.code);
        if let Some(attributes) = self.attributes.get() {
            tracer.object(attributes);
        }
        true
    }
}

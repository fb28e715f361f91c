//! Storage that calls of user functions hand back for the next call, as CPython keeps free
//! lists of frames: a call would otherwise allocate its scope, its slot vector and its
//! argument vector, and free all three when it returns.

use std::sync::Arc;

use super::super::value::Value;
use super::{Env, Scope};

/// How many of each kind are kept: enough for the calls nested at any one time in a loop.
const KEEP: usize = 64;
/// Larger vectors are freed rather than kept, so one huge call does not pin its memory.
const LARGEST: usize = 64;

#[derive(Default)]
pub(super) struct FramePool {
    scopes: Vec<Arc<Scope>>,
    slots: Vec<Vec<Option<Value>>>,
    args: Vec<Vec<Value>>,
}

impl FramePool {
    /// An empty scope for a call's captured locals.
    pub(super) fn scope(&mut self) -> Arc<Scope> {
        self.scopes.pop().unwrap_or_default()
    }

    /// `n` unbound slots.
    pub(super) fn slots(&mut self, n: usize) -> Vec<Option<Value>> {
        let mut slots = self.slots.pop().unwrap_or_default();
        slots.resize_with(n, || None);
        slots
    }

    /// An empty vector for the positional arguments of a call.
    pub(super) fn args(&mut self) -> Vec<Value> {
        self.args.pop().unwrap_or_default()
    }

    /// Keeps `args`' storage (emptied by binding) for the next call.
    pub(super) fn give_args(&mut self, mut args: Vec<Value>) {
        if self.args.len() < KEEP && args.capacity() <= LARGEST {
            args.clear();
            self.args.push(args);
        }
    }

    /// Takes back what a returned call's `env` holds that no closure or generator kept: its
    /// scope when nothing else refers to it and nothing was bound in it, and its slots
    /// (dropping their values, as dropping the frame would).
    pub(super) fn give_frame(&mut self, env: Env) {
        let Env {
            locals, mut slots, ..
        } = env;
        if let Some((mut scope, _)) = locals {
            if self.scopes.len() < KEEP && Arc::get_mut(&mut scope).is_some_and(Scope::is_unused) {
                self.scopes.push(scope);
            }
        }
        if self.slots.len() < KEEP && slots.capacity() <= LARGEST {
            slots.clear();
            self.slots.push(slots);
        }
    }
}

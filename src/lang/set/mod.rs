//! `set` and `frozenset`, emulating CPython 3.11's Objects/setobject.c so that sets iterate
//! and print in CPython's order (given the hashes of `lang::hash`).
//!
//! What follows which CPython function:
//! - `table`: the slots and probing of `set_lookkey` / `set_add_entry` (table of 8,
//!   `LINEAR_PROBES` 9, `PERTURB_SHIFT` 5, reuse of the last dummy passed, growth when
//!   `fill*5 >= mask*3` to `used*4` (`used*2` past 50000)), `set_insert_clean`,
//!   `set_table_resize`, `set_discard_entry` (dummies), `set_pop` (its finger),
//!   `set_clear_internal`, `set_merge` (update from a set, `copy`), `set_update_internal`
//!   (from a dict, from any other iterable), and the compiler's constant sets
//!   (`starunpack_helper`, `merge_consts_recursive`, `fold_iter`).
//! - `algebra`: `set_or`, `set_intersection`, `set_intersection_update` (`set_swap_bodies`),
//!   `set_difference`, `set_copy_and_difference`, `set_difference_update_internal`,
//!   `set_symmetric_difference(_update)`, `set_issubset`, `set_issuperset`,
//!   `set_isdisjoint`, `set_richcompare`'s `==`, `frozenset_hash`.
//!
//! Callers (the evaluator) own what is about Python objects rather than tables: `s.op(s)` on
//! the same object, `repr` (`{1, 2}`, `set()`, `frozenset({1})`), error messages.

mod algebra;
mod table;

use super::heap::{Traced, Tracer};
pub use table::PySet;

#[cfg(test)]
mod tests;

impl Traced for PySet {
    fn trace(&self, tracer: &mut Tracer<'_>) -> bool {
        self.iter().for_each(|v| tracer.value(v));
        true
    }
}

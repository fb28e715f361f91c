//! The memory budget ([`crate::guard::budget`]) as Python's `MemoryError`.

use super::exception::Exception;
use crate::guard::OverBudget;

impl From<OverBudget> for Exception {
    fn from(e: OverBudget) -> Exception {
        Exception::new("MemoryError", e.to_string())
    }
}

/// Refuses a new sequence of `items` items of `item_bytes` each that the budget has no room for.
pub fn reserve_items(items: usize, item_bytes: usize) -> Result<(), Exception> {
    Ok(crate::guard::reserve(items.saturating_mul(item_bytes))?)
}

/// The bytes one item of a list or tuple takes.
pub const ITEM_BYTES: usize = std::mem::size_of::<super::value::Value>();

//! Set algebra and comparisons, each the algorithm of its CPython 3.11 function, since the
//! order in which a result's table is filled decides how it prints.
//!
//! Operands that are the same object as the receiver (`s & s`, `s -= s`) are the callers'
//! business: CPython special-cases them (`copy`, `clear`, ...) before these run.

use super::PySet;
use crate::lang::dict::Dict;
use crate::lang::exception::Exception;
use crate::lang::hash::py_hash;
use crate::lang::value::Value;

impl PySet {
    /// `s | other`, `s.union(other)` (`set_or`): a copy of `s` merged with `other`.
    pub fn union(&self, other: &PySet) -> PySet {
        let mut result = self.copy();
        result.update(other);
        result
    }

    /// `s & other` (`set_intersection`): the smaller operand (the argument when the sizes tie)
    /// is walked and its elements that the other holds are added, so they are the ones kept.
    pub fn intersection(&self, other: &PySet) -> PySet {
        let (walked, probed) = if other.len() > self.len() {
            (self, other)
        } else {
            (other, self)
        };
        let mut result = PySet::new();
        for (hash, key) in walked.entries() {
            if probed.find(key, hash).is_some() {
                result.add_entry(key.clone(), hash);
            }
        }
        result
    }

    /// `s.intersection(iterable)` for a non-set: the iterable's values that `s` holds, in
    /// their order, stopping once the result is as large as `s`.
    pub fn intersection_values(
        &self,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<PySet, Exception> {
        let mut result = PySet::new();
        for value in values {
            let hash = py_hash(&value)?;
            if self.find(&value, hash).is_some() {
                result.add_entry(value, hash);
                if result.len() >= self.len() {
                    break;
                }
            }
        }
        Ok(result)
    }

    /// `s &= other` (`set_intersection_update`): `s` takes the intersection's table.
    pub fn intersection_update(&mut self, other: &PySet) {
        let result = self.intersection(other);
        self.take_table(result);
    }

    pub fn intersection_update_values(
        &mut self,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<(), Exception> {
        let result = self.intersection_values(values)?;
        self.take_table(result);
        Ok(())
    }

    /// `s - other` (`set_difference`): when `s` is over four times larger, a copy of `s` with
    /// `other` discarded; otherwise the elements of `s` missing from `other`, added afresh.
    pub fn difference(&self, other: &PySet) -> PySet {
        if self.len() >> 2 > other.len() {
            let mut result = self.copy();
            result.difference_update(other);
            return result;
        }
        let mut result = PySet::new();
        for (hash, key) in self.entries() {
            if other.find(key, hash).is_none() {
                result.add_entry(key.clone(), hash);
            }
        }
        result
    }

    /// `s.difference(d)` for a dict `d`: `set_difference`'s dict branch.
    pub fn difference_dict(&self, dict: &Dict) -> Result<PySet, Exception> {
        if self.len() >> 2 > dict.len() {
            return self.difference_values(dict.keys());
        }
        let mut result = PySet::new();
        for (hash, key) in self.entries() {
            if !dict.contains(key)? {
                result.add_entry(key.clone(), hash);
            }
        }
        Ok(result)
    }

    /// `s.difference(iterable)` for a non-set, non-dict (`set_copy_and_difference`).
    pub fn difference_values(
        &self,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<PySet, Exception> {
        let mut result = self.copy();
        result.difference_update_values(values)?;
        Ok(result)
    }

    /// `s -= other` (`set_difference_update_internal`). CPython first narrows a much larger
    /// `other` to the intersection; that changes which discards are tried, not the table.
    pub fn difference_update(&mut self, other: &PySet) {
        for (hash, key) in other.entries() {
            self.discard_entry(key, hash);
        }
        self.purge_dummies();
    }

    /// `s.difference_update(iterable)` for a non-set (a dict counts as its keys).
    pub fn difference_update_values(
        &mut self,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<(), Exception> {
        for value in values {
            self.discard(&value)?;
        }
        self.purge_dummies();
        Ok(())
    }

    /// `s ^ other` (`set_symmetric_difference`): a copy of `other`, then `s`'s elements
    /// toggled into it. For a non-set iterable, CPython builds `set(iterable)` (see
    /// `from_values`, `update_dict`) and calls `symmetric_difference_update(s)` on it.
    pub fn symmetric_difference(&self, other: &PySet) -> PySet {
        let mut result = other.copy();
        result.symmetric_difference_update(self);
        result
    }

    /// `s ^= other` (`set_symmetric_difference_update`): each element of `other`, in table
    /// order, discarded from `s` or else added. (A non-set iterable becomes a set first.)
    pub fn symmetric_difference_update(&mut self, other: &PySet) {
        for (hash, key) in other.entries() {
            self.toggle(key, hash);
        }
    }

    /// `s.symmetric_difference_update(d)` for a dict: its keys toggled in dict order.
    pub fn symmetric_difference_update_dict(&mut self, dict: &Dict) -> Result<(), Exception> {
        for key in dict.keys() {
            let hash = py_hash(&key)?;
            self.toggle(&key, hash);
        }
        Ok(())
    }

    fn toggle(&mut self, key: &Value, hash: i64) {
        if !self.discard_entry(key, hash) {
            self.add_entry(key.clone(), hash);
        }
    }

    /// `s <= other` (`set_issubset`). For a non-set iterable CPython tests against
    /// `set(iterable)`.
    pub fn is_subset(&self, other: &PySet) -> bool {
        self.len() <= other.len() && self.entries().all(|(h, k)| other.find(k, h).is_some())
    }

    /// `s >= other`.
    pub fn is_superset(&self, other: &PySet) -> bool {
        other.is_subset(self)
    }

    /// `s.issuperset(iterable)`: stops at the first value missing from `s`.
    pub fn is_superset_values(
        &self,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<bool, Exception> {
        for value in values {
            if !self.contains(&value)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `s.isdisjoint(other)`: walks the smaller set.
    pub fn is_disjoint(&self, other: &PySet) -> bool {
        let (walked, probed) = if other.len() > self.len() {
            (self, other)
        } else {
            (other, self)
        };
        walked.entries().all(|(h, k)| probed.find(k, h).is_none())
    }

    /// `s.isdisjoint(iterable)`: stops at the first value `s` holds.
    pub fn is_disjoint_values(
        &self,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<bool, Exception> {
        for value in values {
            if self.contains(&value)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `hash(frozenset)` (`frozenset_hash`): order-independent, from the entries' hashes.
    pub fn frozenset_hash(&self) -> i64 {
        fn shuffle_bits(h: u64) -> u64 {
            ((h ^ 89869747) ^ (h << 16)).wrapping_mul(3644798167)
        }
        // CPython xors every slot, then cancels the empty and dummy ones; xoring only the
        // active entries gives the same value.
        let mut hash = self
            .entries()
            .fold(0u64, |acc, (h, _)| acc ^ shuffle_bits(h as u64));
        hash ^= (self.len() as u64 + 1).wrapping_mul(1927868237);
        hash ^= (hash >> 11) ^ (hash >> 25);
        hash = hash.wrapping_mul(69069).wrapping_add(907133923);
        if hash == u64::MAX {
            590923713
        } else {
            hash as i64
        }
    }
}

/// `==` between sets and frozensets (`set_richcompare`): same size, one inside the other.
impl PartialEq for PySet {
    fn eq(&self, other: &PySet) -> bool {
        self.len() == other.len() && self.is_subset(other)
    }
}

//! The index's buckets: a key (an LSH band, an error, a failed request, a route) → the
//! defects that have it, most recent first.
//!
//! Most keys belong to one defect (the bands of a text nobody else wrote), so a key with one
//! entry costs a table slot and nothing else; more entries chain through one shared array.
//! Measured on the fold benchmark (100,000 defects), this holds the buckets in ~230 bytes per
//! defect where a `HashMap<u64, Vec<usize>>` took ~900.

use crate::tables::{Chunked, ShardedMap};

/// The slot holds an entry itself, not a node.
const DIRECT: u32 = 1 << 31;
const END: u32 = u32::MAX;

/// Inserting an entry that is already among this many most recent of the key's entries
/// does nothing: a defect that keeps getting reports on one route would otherwise fill the
/// route's bucket with itself.
const RECENT: usize = 8;

#[derive(Default)]
pub struct Buckets {
    heads: ShardedMap<u32, u32>,
    /// Chained entries: (entry, next node or `END`).
    nodes: Chunked<(u32, u32)>,
}

impl Buckets {
    /// Adds `entry` as the most recent holder of `key`.
    pub fn insert(&mut self, key: u32, entry: u32) {
        debug_assert!(entry < DIRECT, "entry indexes stay below 2^31");
        let Some(&head) = self.heads.get(&key) else {
            self.heads.insert(key, entry | DIRECT);
            return;
        };
        let mut seen = false;
        self.walk(head, RECENT, |e| seen |= e == entry);
        if seen {
            return;
        }
        let next = if head & DIRECT != 0 {
            self.nodes.push((head & !DIRECT, END));
            self.nodes.len() as u32 - 1
        } else {
            head
        };
        self.nodes.push((entry, next));
        self.heads.insert(key, self.nodes.len() as u32 - 1);
    }

    /// Calls `f` with the key's entries, most recent first, at most `cap` of them.
    pub fn get(&self, key: u32, cap: usize, f: impl FnMut(u32)) {
        if let Some(&head) = self.heads.get(&key) {
            self.walk(head, cap, f);
        }
    }

    fn walk(&self, head: u32, cap: usize, mut f: impl FnMut(u32)) {
        if head & DIRECT != 0 {
            if cap > 0 {
                f(head & !DIRECT);
            }
            return;
        }
        let mut at = head;
        let mut left = cap;
        while at != END && left > 0 {
            let (entry, next) = *self.nodes.get(at as usize);
            f(entry);
            at = next;
            left -= 1;
        }
    }

    /// Heap bytes held (an estimate: a table slot costs its key, value and control byte,
    /// and the table keeps an eighth of its slots free).
    pub fn memory_bytes(&self) -> usize {
        self.heads.memory_bytes() + self.nodes.memory_bytes()
    }
}

/// The heap bytes of a `HashMap<K, V>` that can hold `capacity` entries.
pub fn table_bytes<K, V>(capacity: usize) -> usize {
    let slots = (capacity * 8).div_ceil(7).next_power_of_two();
    slots * (std::mem::size_of::<(K, V)>() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(buckets: &Buckets, key: u32, cap: usize) -> Vec<u32> {
        let mut found = Vec::new();
        buckets.get(key, cap, |e| found.push(e));
        found
    }

    #[test]
    fn most_recent_first_and_capped() {
        let mut buckets = Buckets::default();
        assert!(entries(&buckets, 1, 10).is_empty());
        buckets.insert(1, 7);
        assert_eq!(entries(&buckets, 1, 10), [7]);
        assert!(entries(&buckets, 1, 0).is_empty());
        for e in 8..20 {
            buckets.insert(1, e);
        }
        assert_eq!(entries(&buckets, 1, 3), [19, 18, 17]);
        assert_eq!(entries(&buckets, 1, 100).len(), 13);
        assert_eq!(entries(&buckets, 2, 10), Vec::<u32>::new());
    }

    #[test]
    fn a_recent_holder_is_not_added_again() {
        let mut buckets = Buckets::default();
        buckets.insert(1, 7);
        buckets.insert(1, 7);
        buckets.insert(1, 8);
        buckets.insert(1, 7);
        assert_eq!(entries(&buckets, 1, 10), [8, 7]);
    }
}

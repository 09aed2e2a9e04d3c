//! The index's buckets: a key (an LSH band of the words, an error, a failed request, a page,
//! a button on a page) → the defects filed under it, most recent first. A report's
//! candidates are the defects that share its keys, those sharing the most first.
//!
//! Most keys belong to one defect (the bands of a text nobody else wrote), so a key with one
//! entry costs a table slot and nothing else; more entries chain through one shared array.
//! On the fold benchmark (100,000 defects, ~20 keys each) the buckets take ~290 bytes per
//! defect, where a `Vec` per key would take a 32-byte slot plus an allocation of 32 or more.

use crate::features::ReportFeatures;
use crate::hash::mix;
use crate::minhash::band_keys;
use crate::tables::{Chunked, ShardedMap};

/// Defects looked at per bucket (most recent first): a bucket of a common word or of `/`
/// would otherwise grow with the project, and with it the cost of every fold.
const BUCKET_CAP: usize = 48;

/// The most candidates scored per report, those sharing the most buckets with it. On the
/// labelled set's `dev` half no report has more than 16, so no decision there depends on
/// it. On the benchmark (100,000 defects; a report reaches ~390 through its buckets on
/// average, up to ~830) it trades time for finding the right defect: of 7,005 reports of
/// known problems, 64 found theirs for 4,916 at p99 0.48 ms, 128 for 5,598 at p99 0.55 ms,
/// and scoring every candidate for 6,107 at 65 ms a fold on average.
pub const MAX_SCORED: usize = 128;

/// What a shared bucket says about a candidate, to rank candidates before scoring them:
/// the same specific error or failed request is worth more than a shared band of words.
const HIT_SPECIFIC_ERROR: u16 = 8;
const HIT_MESSAGE: u16 = 4;
const HIT_REQUEST: u16 = 4;
const HIT_ROUTE: u16 = 2;
const HIT_ROUTE_CLICK: u16 = 4;
const HIT_ROUTE_ERROR: u16 = 4;
const HIT_BAND: u16 = 1;

/// Salts that keep the kinds of bucket keys apart in one table.
const BAND: u64 = 0x6261_6e64;
const ERROR: u64 = 0x6572_726f;
const MESSAGE: u64 = 0x6d65_7373;
const REQUEST: u64 = 0x7265_7175;
const ROUTE: u64 = 0x726f_7574;
const ROUTE_CLICK: u64 = 0x636c_6963;
const ROUTE_ERROR: u64 = 0x7265_7272;

fn bucket(salt: u64, value: u64) -> u32 {
    (mix(value ^ salt.rotate_left(32)) >> 32) as u32
}

/// Calls `f` with every key a report is filed under, and what sharing it is worth.
fn keys(report: &ReportFeatures, mut f: impl FnMut(u32, u16)) {
    // Generic noise ("Failed to fetch", deprecation warnings) would fill its buckets with
    // every defect and bring only noise as candidates.
    for line in report
        .errors
        .iter()
        .chain(&report.warnings)
        .filter(|e| !e.generic)
    {
        f(bucket(ERROR, line.specific), HIT_SPECIFIC_ERROR);
        f(bucket(MESSAGE, line.message), HIT_MESSAGE);
    }
    for &request in &report.requests {
        f(bucket(REQUEST, request), HIT_REQUEST);
    }
    for key in band_keys(&report.minhash) {
        f(bucket(BAND, key), HIT_BAND);
    }
    if let Some(route) = report.route {
        f(bucket(ROUTE, route), HIT_ROUTE);
        // A page holds thousands of defects in a large project, and its bucket only the most
        // recent: the button clicked on it, or the error met on it, narrows the page to the
        // few defects an older match hides among. On the benchmark these two keys raised the
        // reports that found their own defect from 2,878 to 4,916 of 7,005 (at 64 scored).
        if let Some(click) = report.last_click {
            f(bucket(ROUTE_CLICK, mix(route) ^ click), HIT_ROUTE_CLICK);
        }
        for line in report.errors.iter().filter(|e| !e.generic) {
            f(
                bucket(ROUTE_ERROR, mix(route) ^ line.message),
                HIT_ROUTE_ERROR,
            );
        }
    }
}

/// The slot holds an entry itself, not a node.
const DIRECT: u32 = 1 << 31;
const END: u32 = u32::MAX;

/// Inserting an entry that is already among this many most recent of the key's entries
/// does nothing: a defect that keeps getting reports on one route would otherwise fill the
/// route's bucket with itself.
const RECENT: usize = 8;

/// Entries per node: a node is 32 bytes, half a cache line, so walking a full bucket of
/// 48 touches 8 nodes rather than 48. Chaining one entry per node made walking the buckets
/// the largest cost of a fold (a cache miss per entry; 9 % of the benchmark's time).
const NODE: usize = 6;

#[derive(Clone, Copy)]
struct Node {
    /// Oldest first.
    entries: [u32; NODE],
    len: u32,
    next: u32,
}

#[derive(Default)]
pub struct Buckets {
    heads: ShardedMap<u32, u32>,
    /// Chained nodes of entries, the most recent node first.
    nodes: Chunked<Node>,
}

impl Buckets {
    /// Files `entry` (a defect) under the keys of one of its reports.
    pub fn file(&mut self, report: &ReportFeatures, entry: u32) {
        keys(report, |key, _| self.insert(key, entry));
    }

    /// The entries that share keys with `report`, those sharing the most first (among
    /// equals the most recent), at most [`MAX_SCORED`].
    pub fn candidates(&self, report: &ReportFeatures) -> Vec<u32> {
        let mut hits: Vec<(u32, u16)> = Vec::new();
        keys(report, |key, worth| {
            self.get(key, BUCKET_CAP, |entry| hits.push((entry, worth)));
        });
        hits.sort_unstable_by_key(|h| h.0);
        let mut merged: Vec<(u32, u16)> = Vec::with_capacity(hits.len());
        for (entry, worth) in hits {
            match merged.last_mut() {
                Some(last) if last.0 == entry => last.1 = last.1.saturating_add(worth),
                _ => merged.push((entry, worth)),
            }
        }
        merged.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        merged.truncate(MAX_SCORED);
        merged.into_iter().map(|(entry, _)| entry).collect()
    }

    /// Adds `entry` as the most recent holder of `key`.
    fn insert(&mut self, key: u32, entry: u32) {
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
        if head & DIRECT == 0 {
            let node = self.nodes.get_mut(head as usize);
            if (node.len as usize) < NODE {
                node.entries[node.len as usize] = entry;
                node.len += 1;
                return;
            }
        }
        let mut node = Node {
            entries: [0; NODE],
            len: 1,
            next: head,
        };
        if head & DIRECT != 0 {
            // The first two holders of a key share one node.
            node.entries[..2].copy_from_slice(&[head & !DIRECT, entry]);
            node.len = 2;
            node.next = END;
        } else {
            node.entries[0] = entry;
        }
        self.nodes.push(node);
        self.heads.insert(key, self.nodes.len() as u32 - 1);
    }

    /// Calls `f` with the key's entries, most recent first, at most `cap` of them.
    fn get(&self, key: u32, cap: usize, f: impl FnMut(u32)) {
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
            let node = self.nodes.get(at as usize);
            for &entry in node.entries[..node.len as usize].iter().rev().take(left) {
                f(entry);
            }
            left = left.saturating_sub(node.len as usize);
            at = node.next;
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

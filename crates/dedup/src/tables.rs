//! Containers that grow without long pauses. A `HashMap` or `Vec` doubles when full and
//! moves everything it holds; at 100,000 defects that move took 20 ms in one fold (the
//! bucket table, ~2 million keys), on the writer thread that every report waits for. Split
//! into shards (maps) or fixed-size chunks (vectors), each growth moves a small part.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hash, Hasher};

use crate::hash::mix;

/// Tables per sharded map.
const SHARDS: usize = 64;

/// Elements per chunk.
const CHUNK: usize = 4096;

/// A key whose low bits are well mixed (a hash, or the random tail of a UUID v7).
pub trait ShardKey: Eq + Hash + Copy {
    fn shard(&self) -> usize;
}

impl ShardKey for u32 {
    fn shard(&self) -> usize {
        *self as usize % SHARDS
    }
}

impl ShardKey for u128 {
    fn shard(&self) -> usize {
        *self as usize % SHARDS
    }
}

impl ShardKey for u64 {
    fn shard(&self) -> usize {
        *self as usize % SHARDS
    }
}

/// Hashes keys that are hashes already (or UUID bits) with one mixing step of a seeded
/// value: SipHash, the standard one, took 5 % of the fold benchmark's time. The seed is
/// random per process, and the mix spreads every input bit over the output, so words a
/// reporter picks cannot be made to collide in a table.
#[derive(Clone)]
pub struct Mixed(u64);

impl Default for Mixed {
    fn default() -> Self {
        Mixed(RandomState::new().hash_one(0x5eed_u64))
    }
}

impl BuildHasher for Mixed {
    type Hasher = MixedHasher;

    fn build_hasher(&self) -> MixedHasher {
        MixedHasher(self.0)
    }
}

pub struct MixedHasher(u64);

impl Hasher for MixedHasher {
    fn finish(&self) -> u64 {
        mix(self.0)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0 ^ u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = mix(self.0 ^ u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = mix(self.0 ^ n);
    }

    fn write_u128(&mut self, n: u128) {
        self.0 = mix(self.0 ^ n as u64) ^ (n >> 64) as u64;
    }
}

pub struct ShardedMap<K, V> {
    shards: Vec<HashMap<K, V, Mixed>>,
}

impl<K: ShardKey, V> Default for ShardedMap<K, V> {
    fn default() -> Self {
        let hasher = Mixed::default();
        ShardedMap {
            shards: (0..SHARDS)
                .map(|_| HashMap::with_hasher(hasher.clone()))
                .collect(),
        }
    }
}

impl<K: ShardKey, V> ShardedMap<K, V> {
    pub fn get(&self, key: &K) -> Option<&V> {
        self.shards[key.shard()].get(key)
    }

    pub fn insert(&mut self, key: K, value: V) {
        self.shards[key.shard()].insert(key, value);
    }

    pub fn get_or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        self.shards[key.shard()].entry(key).or_default()
    }

    /// Heap bytes held (an estimate: a slot costs its key, value and control byte, and a
    /// table keeps at least an eighth of its slots free).
    pub fn memory_bytes(&self) -> usize {
        self.shards
            .iter()
            .map(|s| {
                let slots = (s.capacity() * 8).div_ceil(7).next_power_of_two();
                slots * (std::mem::size_of::<(K, V)>() + 1)
            })
            .sum::<usize>()
            + self.shards.capacity() * std::mem::size_of::<HashMap<K, V, Mixed>>()
    }
}

/// A vector that grows by whole chunks and never moves what it holds.
pub struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn push(&mut self, value: T) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        if let Some(last) = self.chunks.last_mut() {
            last.push(value);
        }
        self.len += 1;
    }

    pub fn get(&self, at: usize) -> &T {
        &self.chunks[at / CHUNK][at % CHUNK]
    }

    pub fn get_mut(&mut self, at: usize) -> &mut T {
        &mut self.chunks[at / CHUNK][at % CHUNK]
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten()
    }

    /// Heap bytes of the slots (not of what the elements own).
    pub fn memory_bytes(&self) -> usize {
        self.chunks.len() * CHUNK * std::mem::size_of::<T>()
            + self.chunks.capacity() * std::mem::size_of::<Vec<T>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sharded_map_is_a_map() {
        let mut map: ShardedMap<u32, u32> = ShardedMap::default();
        for k in 0..1000u32 {
            *map.get_or_default(k.wrapping_mul(2_654_435_761)) += k;
        }
        map.insert(7, 70);
        assert_eq!(map.get(&7), Some(&70));
        assert_eq!(map.get(&2_654_435_761), Some(&1));
        assert_eq!(map.get(&8), None);
        assert!(map.memory_bytes() > 1001 * 8);
    }

    #[test]
    fn chunks_keep_order() {
        let mut v = Chunked::default();
        for i in 0..10_000usize {
            v.push(i);
        }
        assert_eq!(v.len(), 10_000);
        assert_eq!(*v.get(4096), 4096);
        *v.get_mut(9_999) = 1;
        assert_eq!(*v.get(9_999), 1);
        assert_eq!(v.iter().count(), 10_000);
        assert_eq!(v.iter().nth(5000), Some(&5000));
    }
}

//! MinHash signatures of token sets and their LSH bands: two reports whose token sets overlap
//! share at least one band with high probability, so candidates come from a hash lookup, not a
//! scan of every defect.
//!
//! With 32 hash functions in 16 bands of 2 rows, a pair with Jaccard similarity `s` shares a
//! band with probability `1 - (1 - s²)^16`: 0.49 at s = 0.2, 0.93 at s = 0.4, 0.999 at s = 0.6.

use crate::hash::mix;

pub const HASHES: usize = 32;
pub const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;

pub type Signature = [u32; HASHES];

/// The signature of a token set; an empty set gives all `u32::MAX` (it matches nothing).
pub fn signature(tokens: &[u32]) -> Signature {
    let mut signature = [u32::MAX; HASHES];
    for &token in tokens {
        for (i, slot) in signature.iter_mut().enumerate() {
            let h = (mix(u64::from(token) ^ ((i as u64 + 1) << 32)) >> 32) as u32;
            if h < *slot {
                *slot = h;
            }
        }
    }
    signature
}

/// One key per band (band index mixed in, so equal rows in different bands do not collide).
pub fn band_keys(signature: &Signature) -> impl Iterator<Item = u64> + '_ {
    (0..BANDS).filter_map(move |band| {
        let rows = &signature[band * ROWS..(band + 1) * ROWS];
        if rows.iter().all(|&r| r == u32::MAX) {
            return None;
        }
        let mut key = band as u64;
        for &row in rows {
            key = mix(key ^ u64::from(row).wrapping_mul(0x9e37_79b9));
        }
        Some(key)
    })
}

/// The share of equal slots: an estimate of the Jaccard similarity of the two sets.
pub fn estimated_jaccard(a: &Signature, b: &Signature) -> f32 {
    let equal = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x == y && **x != u32::MAX)
        .count();
    equal as f32 / HASHES as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_sets_share_every_band_and_disjoint_ones_almost_none() {
        let a: Vec<u32> = (0..20).collect();
        let b: Vec<u32> = (100..120).collect();
        let (sa, sb) = (signature(&a), signature(&a));
        assert_eq!(estimated_jaccard(&sa, &sb), 1.0);
        assert_eq!(band_keys(&sa).count(), BANDS);
        let sc = signature(&b);
        let shared = band_keys(&sa)
            .filter(|k| band_keys(&sc).any(|j| j == *k))
            .count();
        assert_eq!(shared, 0);
        assert!(estimated_jaccard(&sa, &sc) < 0.2);
    }

    #[test]
    fn the_estimate_tracks_jaccard() {
        let a: Vec<u32> = (0..40).collect();
        let b: Vec<u32> = (20..60).collect(); // Jaccard 20/60 = 0.33
        let estimate = estimated_jaccard(&signature(&a), &signature(&b));
        assert!((0.1..0.6).contains(&estimate), "{estimate}");
    }

    #[test]
    fn an_empty_set_has_no_bands() {
        assert_eq!(band_keys(&signature(&[])).count(), 0);
    }
}

//! A report's custom metadata (`"custom": {"plan": "pro"}`): text values by key, each key
//! once, in key order.
//!
//! A sorted `Vec` rather than a `BTreeMap`: the widget builds this map in every browser that
//! sends a report, and the tree's insertion, cloning and teardown code cost it 2.7 KB
//! gzipped, for a map the limits keep to a few dozen entries. The JSON is the same object.

use alloc::{string::String, vec::Vec};
use core::fmt;
use core::ops::Index;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Custom metadata: keys unique and sorted, like the `BTreeMap` it replaces.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CustomFields {
    entries: Vec<(String, String)>,
}

impl CustomFields {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`; returns the value it replaces.
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
        match self.position(&key) {
            Ok(at) => Some(core::mem::replace(&mut self.entries[at].1, value)),
            Err(at) => {
                self.entries.insert(at, (key, value));
                None
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        let at = self.position(key).ok()?;
        Some(&self.entries[at].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Keeps the first `len` keys in key order and drops the rest.
    pub fn truncate(&mut self, len: usize) {
        self.entries.truncate(len);
    }

    /// Keys and values in key order.
    pub fn iter(&self) -> Iter<'_> {
        self.entries.iter().map(|(key, value)| (key, value))
    }

    /// Keys and changeable values in key order (keys cannot change: the order depends on them).
    pub fn iter_mut(&mut self) -> IterMut<'_> {
        self.entries.iter_mut().map(|(key, value)| (&*key, value))
    }

    pub fn values(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(_, value)| value)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut String> {
        self.entries.iter_mut().map(|(_, value)| value)
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|(probe, _)| probe.as_str().cmp(key))
    }
}

pub type Iter<'a> = core::iter::Map<
    core::slice::Iter<'a, (String, String)>,
    fn(&'a (String, String)) -> (&'a String, &'a String),
>;

pub type IterMut<'a> = core::iter::Map<
    core::slice::IterMut<'a, (String, String)>,
    fn(&'a mut (String, String)) -> (&'a String, &'a mut String),
>;

impl<'a> IntoIterator for &'a CustomFields {
    type Item = (&'a String, &'a String);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut CustomFields {
    type Item = (&'a String, &'a mut String);
    type IntoIter = IterMut<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl IntoIterator for CustomFields {
    type Item = (String, String);
    type IntoIter = alloc::vec::IntoIter<(String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// From pairs in any order; of a key given twice, the last value stays (as in a `BTreeMap`,
/// and as in a JSON object read by serde). Sorts once rather than inserting one by one, so a
/// hostile body with many keys costs `n log n`, not `n²`.
impl FromIterator<(String, String)> for CustomFields {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        let mut entries: Vec<(String, String)> = pairs.into_iter().collect();
        // Reversed, so the stable sort puts a key's last value first and `dedup` keeps it.
        entries.reverse();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, kept| later.0 == kept.0);
        CustomFields { entries }
    }
}

impl<const N: usize> From<[(String, String); N]> for CustomFields {
    fn from(pairs: [(String, String); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl Index<&str> for CustomFields {
    type Output = String;

    /// The value of `key`; panics if there is none, like a map's index.
    fn index(&self, key: &str) -> &String {
        match self.position(key) {
            Ok(at) => &self.entries[at].1,
            Err(_) => panic!("no custom field {key:?}"),
        }
    }
}

/// Printed as a map, as the `BTreeMap` it replaces was.
impl fmt::Debug for CustomFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for CustomFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for CustomFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PairsVisitor)
    }
}

struct PairsVisitor;

impl<'de> Visitor<'de> for PairsVisitor {
    type Value = CustomFields;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // What serde says for a `BTreeMap`, so a refusal reads as it always did.
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CustomFields, A::Error> {
        let mut pairs = Vec::new();
        while let Some(pair) = map.next_entry::<String, String>()? {
            pairs.push(pair);
        }
        Ok(pairs.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::CustomFields;
    use crate::test_prelude::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn keys(fields: &CustomFields) -> Vec<&str> {
        fields.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn inserting_keeps_keys_sorted_and_unique() {
        let mut fields = CustomFields::new();
        for (key, value) in pairs(&[("plan", "free"), ("beta", "yes"), ("zone", "eu")]) {
            assert_eq!(fields.insert(key, value), None);
        }
        assert_eq!(
            fields.insert("plan".into(), "pro".into()).as_deref(),
            Some("free")
        );
        assert_eq!(keys(&fields), ["beta", "plan", "zone"]);
        assert_eq!(fields["plan"], "pro");
        assert_eq!(fields.get("missing"), None);
        assert!(fields.contains_key("zone") && !fields.contains_key("Zone"));
        assert_eq!(fields.len(), 3);
    }

    #[test]
    fn collecting_keeps_the_last_value_of_a_repeated_key() {
        let fields: CustomFields = pairs(&[("b", "1"), ("a", "2"), ("b", "3"), ("b", "4")])
            .into_iter()
            .collect();
        assert_eq!(keys(&fields), ["a", "b"]);
        assert_eq!(fields["b"], "4");
    }

    #[test]
    fn json_is_an_object_in_key_order_and_reads_like_a_map() {
        let fields = CustomFields::from([
            ("plan".to_owned(), "pro".to_owned()),
            ("beta".to_owned(), "é\"x".to_owned()),
        ]);
        let json = serde_json::to_string(&fields).unwrap();
        assert_eq!(json, r#"{"beta":"é\"x","plan":"pro"}"#);
        let read: CustomFields = serde_json::from_str(r#"{"z":"1","a":"2","z":"3"}"#).unwrap();
        let as_map: alloc::collections::BTreeMap<String, String> =
            serde_json::from_str(r#"{"z":"1","a":"2","z":"3"}"#).unwrap();
        assert_eq!(
            read.into_iter().collect::<Vec<_>>(),
            as_map.into_iter().collect::<Vec<_>>()
        );
        for body in [r#"{"n":1}"#, "[]", r#""x""#, "null"] {
            let ours = serde_json::from_str::<CustomFields>(body).unwrap_err();
            let map = serde_json::from_str::<alloc::collections::BTreeMap<String, String>>(body)
                .unwrap_err();
            assert_eq!(ours.to_string(), map.to_string(), "{body}");
        }
        assert_eq!(
            format!(
                "{:?}",
                CustomFields::from([("a".to_owned(), "1".to_owned())])
            ),
            r#"{"a": "1"}"#
        );
    }

    #[test]
    fn truncating_keeps_the_first_keys_and_values_can_change_in_place() {
        let mut fields: CustomFields = pairs(&[("c", "3"), ("a", "1"), ("b", "2")])
            .into_iter()
            .collect();
        for (_, value) in &mut fields {
            value.push('!');
        }
        fields.truncate(2);
        assert_eq!(
            fields.into_iter().collect::<Vec<_>>(),
            pairs(&[("a", "1!"), ("b", "2!")])
        );
    }
}

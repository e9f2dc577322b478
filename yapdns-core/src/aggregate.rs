//! In-memory aggregation: the merge window of the agent, `parse --aggregate` and Python's
//! `aggregate=True`.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::association::Association;
use crate::sighting::NameSighting;
use crate::view::{AssociationView, NameView};

/// Merges associations and name sightings by key in memory.
///
/// Output order is the key order, so the same input gives the same output whatever order it
/// arrived in.
///
/// ```
/// use yapdns_core::{Aggregator, Association, RrType, SourceTag, Timestamp};
/// let mut agg = Aggregator::default();
/// for s in [3, 1, 2] {
///     agg.add(Association::new("a.test", RrType::A, "192.0.2.1", Timestamp::from_secs(s),
///                              SourceTag::new("squid", None)).unwrap());
/// }
/// let out = agg.take_associations();
/// assert_eq!(out.len(), 1);
/// assert_eq!((out[0].count, out[0].first_seen.secs(), out[0].last_seen.secs()), (3, 1, 3));
/// ```
#[derive(Debug, Default)]
pub struct Aggregator {
    /// Associations by key, found by hashing the record's own fields: a lookup costs no copy
    /// of the key, which a map keyed by `Key` would make for every record added.
    associations: HashTable<Association>,
    hasher: RandomState,
    names: HashTable<NameSighting>,
}

impl Aggregator {
    /// Adds one association, merging it into an earlier one with the same key.
    pub fn add(&mut self, a: Association) {
        let hash = key_hash(&self.hasher, &a);
        match self.associations.find_mut(hash, |e| e.same_key(&a)) {
            // Same key by construction: merge cannot fail.
            Some(e) => {
                let _ = e.merge(&a);
            }
            None => {
                let h = &self.hasher;
                self.associations.insert_unique(hash, a, |e| key_hash(h, e));
            }
        }
    }

    /// Adds one borrowed association: merged into the one held with its key, which copies
    /// nothing, or copied in when it is the first of its key.
    pub fn add_view(&mut self, v: AssociationView<'_>) {
        let hash = self.hasher.hash_one((v.rrname, v.rrtype, v.rdata));
        match self.associations.find_mut(hash, |e| e.same_key_as(&v)) {
            Some(e) => e.merge_view(&v),
            None => {
                let h = &self.hasher;
                self.associations
                    .insert_unique(hash, v.to_association(), |e| key_hash(h, e));
            }
        }
    }

    /// Adds one borrowed name sighting, as [`Aggregator::add_view`] does associations.
    pub fn add_name_view(&mut self, v: NameView<'_>) {
        let hash = self.hasher.hash_one((v.rrname, v.rrtype));
        match self
            .names
            .find_mut(hash, |e| e.rrname == v.rrname && e.rrtype == v.rrtype)
        {
            Some(e) => e.merge_view(&v),
            None => {
                let h = &self.hasher;
                self.names.insert_unique(hash, v.to_sighting(), |e| {
                    h.hash_one((e.rrname.as_str(), e.rrtype))
                });
            }
        }
    }

    /// Adds one name sighting, merging it into an earlier one with the same key.
    pub fn add_name(&mut self, n: NameSighting) {
        let hash = self.hasher.hash_one((n.rrname.as_str(), n.rrtype));
        match self
            .names
            .find_mut(hash, |e| e.rrname == n.rrname && e.rrtype == n.rrtype)
        {
            Some(e) => {
                let _ = e.merge(&n);
            }
            None => {
                let h = &self.hasher;
                self.names
                    .insert_unique(hash, n, |e| h.hash_one((e.rrname.as_str(), e.rrtype)));
            }
        }
    }

    /// Number of distinct associations held.
    pub fn len(&self) -> usize {
        self.associations.len()
    }

    /// Number of distinct name sightings held.
    pub fn names_len(&self) -> usize {
        self.names.len()
    }

    /// True when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.associations.is_empty() && self.names.is_empty()
    }

    /// Takes the merged associations out, sorted by key.
    pub fn take_associations(&mut self) -> Vec<Association> {
        let mut v: Vec<Association> = self.associations.drain().collect();
        // Keys are unique, so an unstable sort gives the one order.
        v.sort_unstable_by(|a, b| {
            (&a.rrname, a.rrtype, &a.rdata).cmp(&(&b.rrname, b.rrtype, &b.rdata))
        });
        v
    }

    /// Takes the merged name sightings out, sorted by key.
    pub fn take_names(&mut self) -> Vec<NameSighting> {
        let mut v: Vec<NameSighting> = self.names.drain().collect();
        v.sort_unstable_by(|a, b| (&a.rrname, a.rrtype).cmp(&(&b.rrname, b.rrtype)));
        v
    }
}

/// The hash of an association's key fields.
fn key_hash(h: &RandomState, a: &Association) -> u64 {
    h.hash_one((a.rrname.as_str(), a.rrtype, a.rdata.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RrType, SourceTag, Sources, Timestamp};

    #[test]
    fn views_and_owned_records_merge_alike() {
        let tag = |s: &str| SourceTag::new("x", Some(s));
        let owned = |name: &str, t: i64, s: &str| {
            Association::new(
                name,
                RrType::A,
                "192.0.2.1",
                Timestamp::from_secs(t),
                tag(s),
            )
            .unwrap()
        };
        let (mut a, mut b) = (Aggregator::default(), Aggregator::default());
        let input = [
            ("a.test", 5, "s1"),
            ("b.test", 1, "s1"),
            ("a.test", 2, "s2"),
        ];
        for (n, t, s) in input {
            a.add(owned(n, t, s));
            let sources = Sources::one(tag(s));
            b.add_view(AssociationView::one(
                n,
                RrType::A,
                "192.0.2.1",
                Timestamp::from_secs(t),
                &sources,
            ));
            let sighting =
                crate::NameSighting::new(n, None, Timestamp::from_secs(t), tag(s)).unwrap();
            a.add_name(sighting.clone());
            b.add_name_view(sighting.view());
        }
        assert_eq!(a.take_associations(), b.take_associations());
        assert_eq!(a.take_names(), b.take_names());
    }
}

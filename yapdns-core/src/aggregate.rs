//! In-memory aggregation: the merge window of the agent, `parse --aggregate` and Python's
//! `aggregate=True`.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use crate::association::{Association, Key};
use crate::rrtype::RrType;
use crate::sighting::NameSighting;

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
    associations: HashMap<Key, Association>,
    names: HashMap<(String, Option<RrType>), NameSighting>,
}

impl Aggregator {
    /// Adds one association, merging it into an earlier one with the same key.
    pub fn add(&mut self, a: Association) {
        match self.associations.entry(a.key()) {
            Entry::Occupied(mut e) => {
                // Same key by construction: merge cannot fail.
                let _ = e.get_mut().merge(&a);
            }
            Entry::Vacant(e) => {
                e.insert(a);
            }
        }
    }

    /// Adds one name sighting, merging it into an earlier one with the same key.
    pub fn add_name(&mut self, n: NameSighting) {
        match self.names.entry(n.key()) {
            Entry::Occupied(mut e) => {
                let _ = e.get_mut().merge(&n);
            }
            Entry::Vacant(e) => {
                e.insert(n);
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
        let mut v: Vec<Association> = self.associations.drain().map(|(_, a)| a).collect();
        v.sort_by(|a, b| (&a.rrname, a.rrtype, &a.rdata).cmp(&(&b.rrname, b.rrtype, &b.rdata)));
        v
    }

    /// Takes the merged name sightings out, sorted by key.
    pub fn take_names(&mut self) -> Vec<NameSighting> {
        let mut v: Vec<NameSighting> = self.names.drain().map(|(_, n)| n).collect();
        v.sort_by(|a, b| (&a.rrname, a.rrtype).cmp(&(&b.rrname, b.rrtype)));
        v
    }
}

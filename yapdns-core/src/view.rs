//! Borrowed records: what a parser hands out before anyone decides to keep it.
//!
//! Most records a log yields are merged into one already held (the agent's window,
//! `parse --aggregate`) or only counted, so building an owned [`Association`] for each —
//! two strings copied out of the line — is work thrown away. A view borrows its name and data
//! from the line or the parser's scratch buffers; a consumer that keeps it calls
//! [`AssociationView::to_association`], one that merges it into a record it holds copies
//! nothing ([`Aggregator::add_view`](crate::Aggregator::add_view)).

use crate::association::{merge_bailiwick, Association};
use crate::rrtype::RrType;
use crate::sighting::NameSighting;
use crate::tag::Sources;
use crate::time::Timestamp;

/// An [`Association`] whose text is borrowed. Its `rrname`, `rdata` and `bailiwick` are
/// normalised already (see [`normalize_name_in`](crate::normalize_name_in)).
///
/// ```
/// use yapdns_core::{AssociationView, RrType, SourceTag, Sources, Timestamp};
/// let sources = Sources::one(SourceTag::new("squid", None));
/// let v = AssociationView::one("www.example.com", RrType::A, "192.0.2.1",
///                              Timestamp::from_secs(7), &sources);
/// let a = v.to_association();
/// assert_eq!((a.rrname.as_str(), a.count), ("www.example.com", 1));
/// assert_eq!(a.view(), v);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssociationView<'a> {
    /// Owner name, normalised.
    pub rrname: &'a str,
    /// Record type.
    pub rrtype: RrType,
    /// Record data, normalised for its type.
    pub rdata: &'a str,
    /// Earliest sighting.
    pub first_seen: Timestamp,
    /// Latest sighting.
    pub last_seen: Timestamp,
    /// Number of sightings.
    pub count: u64,
    /// The largest TTL seen.
    pub ttl: Option<u32>,
    /// The zone the record was served from, normalised, where the source knows it.
    pub bailiwick: Option<&'a str>,
    /// Every format and sensor that saw it.
    pub sources: &'a Sources,
}

impl<'a> AssociationView<'a> {
    /// One sighting at `seen`, of text normalised already.
    pub fn one(
        rrname: &'a str,
        rrtype: RrType,
        rdata: &'a str,
        seen: Timestamp,
        sources: &'a Sources,
    ) -> AssociationView<'a> {
        AssociationView {
            rrname,
            rrtype,
            rdata,
            first_seen: seen,
            last_seen: seen,
            count: 1,
            ttl: None,
            bailiwick: None,
            sources,
        }
    }

    /// The owned association.
    pub fn to_association(&self) -> Association {
        Association {
            rrname: self.rrname.to_string(),
            rrtype: self.rrtype,
            rdata: self.rdata.to_string(),
            first_seen: self.first_seen,
            last_seen: self.last_seen,
            count: self.count,
            ttl: self.ttl,
            bailiwick: self.bailiwick.map(str::to_string),
            sources: self.sources.clone(),
        }
    }
}

impl Association {
    /// This association as a view.
    pub fn view(&self) -> AssociationView<'_> {
        AssociationView {
            rrname: &self.rrname,
            rrtype: self.rrtype,
            rdata: &self.rdata,
            first_seen: self.first_seen,
            last_seen: self.last_seen,
            count: self.count,
            ttl: self.ttl,
            bailiwick: self.bailiwick.as_deref(),
            sources: &self.sources,
        }
    }

    /// True when `v` has this association's key.
    pub fn same_key_as(&self, v: &AssociationView<'_>) -> bool {
        self.rrtype == v.rrtype && self.rrname == v.rrname && self.rdata == v.rdata
    }

    /// Merges a view of the same key into this association, copying only what it keeps (a
    /// longer bailiwick, a new source). The caller has checked the key
    /// ([`Association::same_key_as`]); [`Association::merge`] is the checked form.
    pub fn merge_view(&mut self, v: &AssociationView<'_>) {
        self.first_seen = self.first_seen.min(v.first_seen);
        self.last_seen = self.last_seen.max(v.last_seen);
        self.count = self.count.saturating_add(v.count);
        self.ttl = self.ttl.max(v.ttl);
        if v.bailiwick.is_some() {
            self.bailiwick = merge_bailiwick(self.bailiwick.take(), v.bailiwick);
        }
        self.sources.union_with(v.sources);
    }
}

/// A [`NameSighting`] whose name is borrowed, normalised already.
///
/// ```
/// use yapdns_core::{NameView, RrType, SourceTag, Sources, Timestamp};
/// let sources = Sources::one(SourceTag::new("bind", None));
/// let v = NameView::one("example.com", Some(RrType::MX), Timestamp::from_secs(1), &sources);
/// assert_eq!(v.to_sighting().view(), v);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameView<'a> {
    /// The name, normalised.
    pub rrname: &'a str,
    /// The queried type, where the source says.
    pub rrtype: Option<RrType>,
    /// Earliest sighting.
    pub first_seen: Timestamp,
    /// Latest sighting.
    pub last_seen: Timestamp,
    /// Number of sightings.
    pub count: u64,
    /// Every format and sensor that saw it.
    pub sources: &'a Sources,
}

impl<'a> NameView<'a> {
    /// One sighting at `seen` of a name normalised already.
    pub fn one(
        rrname: &'a str,
        rrtype: Option<RrType>,
        seen: Timestamp,
        sources: &'a Sources,
    ) -> NameView<'a> {
        NameView {
            rrname,
            rrtype,
            first_seen: seen,
            last_seen: seen,
            count: 1,
            sources,
        }
    }

    /// The owned name sighting.
    pub fn to_sighting(&self) -> NameSighting {
        NameSighting {
            rrname: self.rrname.to_string(),
            rrtype: self.rrtype,
            first_seen: self.first_seen,
            last_seen: self.last_seen,
            count: self.count,
            sources: self.sources.clone(),
        }
    }
}

impl NameSighting {
    /// This sighting as a view.
    pub fn view(&self) -> NameView<'_> {
        NameView {
            rrname: &self.rrname,
            rrtype: self.rrtype,
            first_seen: self.first_seen,
            last_seen: self.last_seen,
            count: self.count,
            sources: &self.sources,
        }
    }

    /// Merges a view of the same name and type; the caller has checked the key.
    pub fn merge_view(&mut self, v: &NameView<'_>) {
        self.first_seen = self.first_seen.min(v.first_seen);
        self.last_seen = self.last_seen.max(v.last_seen);
        self.count = self.count.saturating_add(v.count);
        self.sources.union_with(v.sources);
    }
}

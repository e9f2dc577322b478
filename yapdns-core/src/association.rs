//! The association: one rrname/rrtype/rdata triple and when and how often it was seen.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::name::{normalize_name, normalize_rdata};
use crate::rrtype::RrType;
use crate::tag::{SourceTag, Sources};
use crate::time::Timestamp;

/// The identity of an association: two associations with equal keys merge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Key {
    /// Normalised owner name.
    pub rrname: String,
    /// Record type.
    pub rrtype: RrType,
    /// Normalised record data.
    pub rdata: String,
}

/// A passive DNS association: `rrname` had a record of type `rrtype` with data `rdata`,
/// observed `count` times between `first_seen` and `last_seen`.
///
/// Build one with [`Association::new`], which normalises the name and the data, so equal
/// records from different logs get equal keys. Merging ([`Association::merge`]) is associative
/// and commutative, so it can happen in the agent, the server or the store, in any order.
///
/// ```
/// use yapdns_core::{Association, RrType, SourceTag, Timestamp};
/// let tag = SourceTag::new("squid", Some("proxy1"));
/// let mut a = Association::new("WWW.Example.com.", RrType::A, "93.184.216.34",
///                              Timestamp::from_secs(100), tag.clone()).unwrap();
/// let b = Association::new("www.example.com", RrType::A, "93.184.216.34",
///                          Timestamp::from_secs(50), tag).unwrap();
/// a.merge(&b).unwrap();
/// assert_eq!((a.first_seen.secs(), a.last_seen.secs(), a.count), (50, 100, 2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Association {
    /// Owner name, normalised.
    pub rrname: String,
    /// Record type.
    pub rrtype: RrType,
    /// Record data, normalised for its type.
    pub rdata: String,
    /// Earliest sighting.
    pub first_seen: Timestamp,
    /// Latest sighting.
    pub last_seen: Timestamp,
    /// Number of sightings.
    pub count: u64,
    /// The largest TTL seen. Caches hand out TTLs that count down, so the largest one is the
    /// closest to what the zone publishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
    /// The zone the record was served from, where the source knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bailiwick: Option<String>,
    /// Every format and sensor that saw it.
    #[serde(default)]
    pub sources: Sources,
}

impl Association {
    /// One sighting at `seen`, with the name and data normalised.
    pub fn new(
        rrname: &str,
        rrtype: RrType,
        rdata: &str,
        seen: Timestamp,
        source: SourceTag,
    ) -> Result<Association> {
        Ok(Association {
            rrname: normalize_name(rrname)?,
            rrtype,
            rdata: normalize_rdata(rrtype, rdata)?,
            first_seen: seen,
            last_seen: seen,
            count: 1,
            ttl: None,
            bailiwick: None,
            sources: Sources::one(source),
        })
    }

    /// Sets the TTL (builder style).
    pub fn with_ttl(mut self, ttl: Option<u32>) -> Association {
        self.ttl = ttl;
        self
    }

    /// Sets the bailiwick, normalised (builder style).
    pub fn with_bailiwick(mut self, bailiwick: &str) -> Result<Association> {
        self.bailiwick = Some(normalize_name(bailiwick)?);
        Ok(self)
    }

    /// The merge key.
    pub fn key(&self) -> Key {
        Key {
            rrname: self.rrname.clone(),
            rrtype: self.rrtype,
            rdata: self.rdata.clone(),
        }
    }

    /// True when `other` has the same key.
    pub fn same_key(&self, other: &Association) -> bool {
        self.rrtype == other.rrtype && self.rrname == other.rrname && self.rdata == other.rdata
    }

    /// Merges another sighting of the same record: first seen = min, last seen = max,
    /// count = sum (saturating), sources = union, TTL = max, bailiwick = the more specific
    /// (longer; the smaller on a tie). Fails, changing nothing, when the keys differ.
    pub fn merge(&mut self, other: &Association) -> Result<()> {
        if !self.same_key(other) {
            return Err(Error::Backend(
                format!(
                    "cannot merge {} {} {} into {} {} {}",
                    other.rrname, other.rrtype, other.rdata, self.rrname, self.rrtype, self.rdata
                )
                .into(),
            ));
        }
        self.merge_view(&other.view());
        Ok(())
    }
}

pub(crate) fn merge_bailiwick(a: Option<String>, b: Option<&str>) -> Option<String> {
    match (a, b) {
        (None, None) => None,
        (Some(a), None) => Some(a),
        (None, Some(b)) => Some(b.to_string()),
        (Some(a), Some(b)) => {
            let b_wins = b.len() > a.len() || (b.len() == a.len() && b < a.as_str());
            Some(if b_wins { b.to_string() } else { a })
        }
    }
}

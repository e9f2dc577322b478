//! Name sightings: a name seen without an answer.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::name::normalize_name;
use crate::rrtype::RrType;
use crate::tag::{SourceTag, Sources};
use crate::time::Timestamp;

/// A name seen without an answer: a query in a DNS server's query log, a host a honeyclient
/// contacted. It tells when a name was first and last seen anywhere, by whom and how often,
/// but it says nothing about what the name resolved to, so it never enters COF output.
///
/// Its key is `(rrname, rrtype)`; it merges like an [`Association`](crate::Association).
///
/// ```
/// use yapdns_core::{NameSighting, RrType, SourceTag, Timestamp};
/// let mut q = NameSighting::new("Example.COM.", Some(RrType::MX), Timestamp::from_secs(10),
///                               SourceTag::new("bind", None)).unwrap();
/// q.merge(&q.clone()).unwrap();
/// assert_eq!((q.rrname.as_str(), q.count), ("example.com", 2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameSighting {
    /// The name, normalised.
    pub rrname: String,
    /// The queried type, where the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rrtype: Option<RrType>,
    /// Earliest sighting.
    pub first_seen: Timestamp,
    /// Latest sighting.
    pub last_seen: Timestamp,
    /// Number of sightings.
    pub count: u64,
    /// Every format and sensor that saw it.
    #[serde(default)]
    pub sources: Sources,
}

impl NameSighting {
    /// One sighting of `rrname` at `seen`, normalised.
    pub fn new(
        rrname: &str,
        rrtype: Option<RrType>,
        seen: Timestamp,
        source: SourceTag,
    ) -> Result<NameSighting> {
        Ok(NameSighting {
            rrname: normalize_name(rrname)?,
            rrtype,
            first_seen: seen,
            last_seen: seen,
            count: 1,
            sources: Sources::one(source),
        })
    }

    /// The merge key.
    pub fn key(&self) -> (String, Option<RrType>) {
        (self.rrname.clone(), self.rrtype)
    }

    /// Merges another sighting of the same name and type (min, max, sum, union); fails,
    /// changing nothing, when the keys differ.
    pub fn merge(&mut self, other: &NameSighting) -> Result<()> {
        if self.rrname != other.rrname || self.rrtype != other.rrtype {
            return Err(Error::Backend(
                format!("cannot merge name {} into {}", other.rrname, self.rrname).into(),
            ));
        }
        self.merge_view(&other.view());
        Ok(())
    }
}

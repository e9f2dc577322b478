//! Facts added to associations from elsewhere: country, ASN, reputation.

use std::collections::BTreeMap;

use crate::association::Association;
use crate::error::Result;

/// Facts about an association, by name (`country`, `asn`, …).
pub type Facts = BTreeMap<String, String>;

/// Adds facts about an association's rdata or rrname from an outside source, such as a GeoIP
/// or ASN database.
///
/// Enrichers run after parsing and before storage; an enricher that knows nothing about a
/// record returns no facts rather than an error.
///
/// ```
/// use yapdns_core::{Association, Enricher, Facts, Result, RrType, SourceTag, Timestamp};
///
/// /// Marks addresses from the documentation ranges, which never appear on the Internet.
/// struct Documentation;
///
/// impl Enricher for Documentation {
///     fn name(&self) -> &str { "documentation" }
///     fn enrich(&self, a: &Association) -> Result<Facts> {
///         let mut f = Facts::new();
///         if a.rrtype == RrType::A && a.rdata.starts_with("192.0.2.") {
///             f.insert("documentation".into(), "true".into());
///         }
///         Ok(f)
///     }
/// }
///
/// let a = Association::new("x.test", RrType::A, "192.0.2.7", Timestamp::from_secs(0),
///                          SourceTag::new("squid", None)).unwrap();
/// assert_eq!(Documentation.enrich(&a).unwrap()["documentation"], "true");
/// ```
pub trait Enricher: Send + Sync {
    /// The enricher's name, used as a prefix for its facts where they are stored.
    fn name(&self) -> &str;
    /// Facts about `a`; empty when there are none.
    fn enrich(&self, a: &Association) -> Result<Facts>;
}

//! Passive DNS queries: what a store answers, with the same meaning on every backend.

use std::net::IpAddr;
use std::str::FromStr;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::association::Association;
use crate::error::{Error, Result};
use crate::name::normalize_name;
use crate::rrtype::RrType;
use crate::sighting::NameSighting;
use crate::time::Timestamp;

/// A name to look up: exact, left-hand wildcard or right-hand wildcard (DNSDB's forms).
///
/// ```
/// use yapdns_core::NamePattern;
/// assert_eq!("*.Example.com.".parse::<NamePattern>().unwrap(), NamePattern::Under("example.com".into()));
/// assert_eq!("www.example.*".parse::<NamePattern>().unwrap(), NamePattern::Prefix("www.example".into()));
/// assert!(NamePattern::Under("example.com".into()).matches("a.b.example.com"));
/// assert!(!NamePattern::Under("example.com".into()).matches("example.com"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NamePattern {
    /// Exactly this name.
    Exact(String),
    /// `*.example.com`: every name strictly under `example.com`, at any depth.
    Under(String),
    /// `www.example.*`: every name whose leftmost labels are `www.example`, followed by at
    /// least one more label.
    Prefix(String),
}

impl NamePattern {
    /// True when `name` (normalised) matches.
    pub fn matches(&self, name: &str) -> bool {
        match self {
            NamePattern::Exact(n) => name == n,
            NamePattern::Under(n) => {
                name.len() > n.len() + 1
                    && name.ends_with(n.as_str())
                    && name.as_bytes()[name.len() - n.len() - 1] == b'.'
            }
            NamePattern::Prefix(n) => {
                name.len() > n.len() + 1
                    && name.starts_with(n.as_str())
                    && name.as_bytes()[n.len()] == b'.'
            }
        }
    }
}

impl FromStr for NamePattern {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        if let Some(rest) = s.strip_prefix("*.").or_else(|| s.strip_prefix('.')) {
            return Ok(NamePattern::Under(normalize_name(rest)?));
        }
        if let Some(rest) = s.strip_suffix(".*") {
            return Ok(NamePattern::Prefix(normalize_name(rest)?));
        }
        if s.contains('*') && !s.starts_with("*.") {
            return Err(Error::InvalidQuery(format!(
                "{s:?}: a wildcard may only be the whole leftmost or rightmost label"
            )));
        }
        Ok(NamePattern::Exact(normalize_name(s)?))
    }
}

/// An IP address, network or range to match against A and AAAA rdata.
///
/// ```
/// use yapdns_core::IpFilter;
/// let f: IpFilter = "198.51.100.0,24".parse().unwrap();
/// assert!(f.contains("198.51.100.77".parse().unwrap()));
/// let r: IpFilter = "198.51.100.10-198.51.100.20".parse().unwrap();
/// assert!(!r.contains("198.51.100.21".parse().unwrap()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IpFilter {
    /// One address.
    Addr(IpAddr),
    /// A network: address and prefix length (`/24` or DNSDB's `,24`).
    Net(IpAddr, u8),
    /// An inclusive range of addresses of one family.
    Range(IpAddr, IpAddr),
}

impl IpFilter {
    /// The lowest and highest address matched (same family).
    pub fn bounds(&self) -> (IpAddr, IpAddr) {
        match *self {
            IpFilter::Addr(a) => (a, a),
            IpFilter::Range(lo, hi) => (lo, hi),
            IpFilter::Net(IpAddr::V4(a), p) => {
                let bits = u32::from(a);
                let mask = if p == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(p))
                };
                (
                    IpAddr::V4((bits & mask).into()),
                    IpAddr::V4((bits | !mask).into()),
                )
            }
            IpFilter::Net(IpAddr::V6(a), p) => {
                let bits = u128::from(a);
                let mask = if p == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(p))
                };
                (
                    IpAddr::V6((bits & mask).into()),
                    IpAddr::V6((bits | !mask).into()),
                )
            }
        }
    }

    /// True when `ip` is matched.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let (lo, hi) = self.bounds();
        match (lo, hi, ip) {
            (IpAddr::V4(lo), IpAddr::V4(hi), IpAddr::V4(ip)) => lo <= ip && ip <= hi,
            (IpAddr::V6(lo), IpAddr::V6(hi), IpAddr::V6(ip)) => lo <= ip && ip <= hi,
            _ => false,
        }
    }

    /// The record type whose rdata can match: `A` for IPv4, `AAAA` for IPv6.
    pub fn rrtype(&self) -> RrType {
        match self.bounds().0 {
            IpAddr::V4(_) => RrType::A,
            IpAddr::V6(_) => RrType::Aaaa,
        }
    }
}

impl FromStr for IpFilter {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        let bad = |why: &str| Error::InvalidQuery(format!("{s:?}: {why}"));
        let ip = |t: &str| {
            t.trim()
                .parse::<IpAddr>()
                .map_err(|_| bad("not an IP address"))
        };
        if let Some((a, p)) = s.split_once('/').or_else(|| s.split_once(',')) {
            let a = ip(a)?;
            let max = if a.is_ipv4() { 32 } else { 128 };
            let p: u8 = p.trim().parse().map_err(|_| bad("bad prefix length"))?;
            if p > max {
                return Err(bad("prefix length too long"));
            }
            return Ok(IpFilter::Net(a, p));
        }
        // A range: split on the '-' that separates two addresses (IPv6 has no '-').
        if let Some((lo, hi)) = s.split_once('-') {
            let (lo, hi) = (ip(lo)?, ip(hi)?);
            if lo.is_ipv4() != hi.is_ipv4() {
                return Err(bad("range mixes IPv4 and IPv6"));
            }
            if lo > hi {
                return Err(bad("range ends before it starts"));
            }
            return Ok(IpFilter::Range(lo, hi));
        }
        Ok(IpFilter::Addr(ip(s)?))
    }
}

/// What to look up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lookup {
    /// Records owned by names matching the pattern (DNSDB `rrset/name`).
    Rrset(NamePattern),
    /// Records whose rdata is a name matching the pattern: CNAME, NS, PTR, DNAME targets and
    /// the exchange of MX, the target of SRV (DNSDB `rdata/name`).
    RdataName(NamePattern),
    /// A and AAAA records whose address is matched (DNSDB `rdata/ip`).
    RdataIp(IpFilter),
}

/// Time fences with DNSDB's meaning, in Unix seconds; a negative value means that many
/// seconds before now. All comparisons are inclusive.
///
/// `time_first_after` + `time_last_before` is the strict fence (seen only inside the window);
/// `time_first_before` + `time_last_after` is the loose one (seen at some time overlapping it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeFence {
    /// Keep records first seen at or before this time.
    pub time_first_before: Option<i64>,
    /// Keep records first seen at or after this time.
    pub time_first_after: Option<i64>,
    /// Keep records last seen at or before this time.
    pub time_last_before: Option<i64>,
    /// Keep records last seen at or after this time.
    pub time_last_after: Option<i64>,
}

impl TimeFence {
    /// The fence with relative (negative) values turned into absolute seconds against `now`.
    pub fn resolve(self, now: Timestamp) -> TimeFence {
        let abs = |v: Option<i64>| v.map(|v| if v < 0 { now.secs() + v } else { v });
        TimeFence {
            time_first_before: abs(self.time_first_before),
            time_first_after: abs(self.time_first_after),
            time_last_before: abs(self.time_last_before),
            time_last_after: abs(self.time_last_after),
        }
    }

    /// True when a record seen from `first` to `last` (seconds) passes a resolved fence.
    ///
    /// ```
    /// use yapdns_core::TimeFence;
    /// let strict = TimeFence { time_first_after: Some(10), time_last_before: Some(20), ..Default::default() };
    /// assert!(strict.admits(10, 20));
    /// assert!(!strict.admits(5, 15));
    /// ```
    pub fn admits(&self, first: i64, last: i64) -> bool {
        self.time_first_before.is_none_or(|t| first <= t)
            && self.time_first_after.is_none_or(|t| first >= t)
            && self.time_last_before.is_none_or(|t| last <= t)
            && self.time_last_after.is_none_or(|t| last >= t)
    }

    /// True when no fence is set.
    pub fn is_empty(&self) -> bool {
        *self == TimeFence::default()
    }
}

/// A complete query: what, which types, when, and which page.
///
/// Results are ordered by `last_seen` descending, then by key (rrname, rrtype, rdata)
/// ascending, on every backend, so `offset` pages are stable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryRequest {
    /// What to look up.
    pub lookup: Lookup,
    /// Only this type; `None` or `ANY` for all.
    pub rrtype: Option<RrType>,
    /// Only records with this bailiwick.
    pub bailiwick: Option<String>,
    /// Time fences.
    pub fence: TimeFence,
    /// Most results to return.
    pub limit: usize,
    /// Results to skip first.
    pub offset: usize,
}

impl QueryRequest {
    /// A query for `lookup` with no filters and the default limit.
    pub fn new(lookup: Lookup) -> QueryRequest {
        QueryRequest {
            lookup,
            rrtype: None,
            bailiwick: None,
            fence: TimeFence::default(),
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }

    /// The type filter, with `ANY` meaning none.
    pub fn type_filter(&self) -> Option<RrType> {
        self.rrtype.filter(|t| *t != RrType::ANY)
    }
}

/// The limit when the caller sets none (DNSDB's default).
pub const DEFAULT_LIMIT: usize = 10_000;

/// One page of results.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// The associations, in the documented order.
    pub associations: Vec<Association>,
    /// True when more results exist past this page (the limit cut the result off).
    pub truncated: bool,
}

/// Totals over everything a query matches (DNSDB `summarize`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Sum of the matched associations' counts.
    pub count: u64,
    /// Number of matched associations.
    pub num_results: u64,
    /// Earliest first seen, if anything matched.
    pub time_first: Option<Timestamp>,
    /// Latest last seen, if anything matched.
    pub time_last: Option<Timestamp>,
}

/// A query for name sightings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameQuery {
    /// Names to match.
    pub pattern: NamePattern,
    /// Time fences.
    pub fence: TimeFence,
    /// Most results to return.
    pub limit: usize,
    /// Results to skip first.
    pub offset: usize,
}

/// Figures for the dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStats {
    /// Distinct associations.
    pub associations: u64,
    /// Sum of their counts.
    pub sightings: u64,
    /// Distinct name sightings.
    pub names: u64,
    /// Associations per record type, largest first.
    pub by_rrtype: Vec<(String, u64)>,
    /// Associations per source (`format` or `format/sensor`), largest first.
    pub by_source: Vec<(String, u64)>,
    /// Names first seen on each UTC day (`YYYY-MM-DD`), oldest first.
    pub new_names_per_day: Vec<(String, u64)>,
}

/// Answers passive DNS lookups. Every backend gives the same results, in the same order, for
/// the same request.
///
/// ```
/// use async_trait::async_trait;
/// use yapdns_core::{Association, Page, Query, QueryRequest, Result, Summary, NameQuery,
///                   NameSighting, StoreStats, Lookup, TimeFence, Timestamp};
///
/// /// Answers from a vector, for a handful of records held in memory.
/// struct InMemory(Vec<Association>);
///
/// #[async_trait]
/// impl Query for InMemory {
///     async fn lookup(&self, q: &QueryRequest) -> Result<Page> {
///         let fence = q.fence.resolve(Timestamp::now());
///         let mut hits: Vec<_> = self.0.iter()
///             .filter(|a| match &q.lookup { Lookup::Rrset(p) => p.matches(&a.rrname), _ => false })
///             .filter(|a| fence.admits(a.first_seen.secs(), a.last_seen.secs()))
///             .cloned().collect();
///         let truncated = hits.len() > q.offset + q.limit;
///         hits = hits.into_iter().skip(q.offset).take(q.limit).collect();
///         Ok(Page { associations: hits, truncated })
///     }
///     async fn summarize(&self, q: &QueryRequest) -> Result<Summary> {
///         let page = self.lookup(q).await?;
///         Ok(Summary { num_results: page.associations.len() as u64, ..Summary::default() })
///     }
///     async fn names(&self, _q: &NameQuery) -> Result<Vec<NameSighting>> { Ok(vec![]) }
///     async fn stats(&self) -> Result<StoreStats> { Ok(StoreStats::default()) }
/// }
/// ```
#[async_trait]
pub trait Query: Send + Sync {
    /// One page of associations matching the request.
    async fn lookup(&self, q: &QueryRequest) -> Result<Page>;
    /// Totals over everything the request matches, ignoring limit and offset.
    async fn summarize(&self, q: &QueryRequest) -> Result<Summary>;
    /// Name sightings matching the query, ordered like associations.
    async fn names(&self, q: &NameQuery) -> Result<Vec<NameSighting>>;
    /// Figures for the dashboard.
    async fn stats(&self) -> Result<StoreStats>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_networks_and_ranges() {
        let f: IpFilter = "2001:db8::/32".parse().unwrap();
        assert!(f.contains("2001:db8:ffff::1".parse().unwrap()));
        assert!(!f.contains("2001:db9::1".parse().unwrap()));
        assert!(!f.contains("192.0.2.1".parse().unwrap()));
        assert_eq!(f.rrtype(), RrType::Aaaa);
        let r: IpFilter = "2001:db8::1-2001:db8::5".parse().unwrap();
        assert!(r.contains("2001:db8::5".parse().unwrap()));
        assert!("1.2.3.4-2001:db8::1".parse::<IpFilter>().is_err());
        assert!("1.2.3.0/33".parse::<IpFilter>().is_err());
        let all: IpFilter = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("255.255.255.255".parse().unwrap()));
    }

    #[test]
    fn prefix_wildcard_needs_a_further_label() {
        let p: NamePattern = "www.example.*".parse().unwrap();
        assert!(p.matches("www.example.com"));
        assert!(p.matches("www.example.co.uk"));
        assert!(!p.matches("www.example"));
        assert!(!p.matches("www.examples.com"));
        assert!("w*w.example.com".parse::<NamePattern>().is_err());
    }

    #[test]
    fn relative_fences_resolve_against_now() {
        let f = TimeFence {
            time_last_after: Some(-3600),
            ..Default::default()
        }
        .resolve(Timestamp::from_secs(10_000));
        assert_eq!(f.time_last_after, Some(6400));
    }
}

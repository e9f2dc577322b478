//! The query semantics every backend implements, written out once as plain Rust over records
//! held in memory.
//!
//! This is the reference: the conformance battery checks each backend against these functions
//! record for record, and a reader who wants to know what a lookup means reads them here rather
//! than in SQL. They are also usable as a store for a handful of records (tests, one-shot
//! reports).
//!
//! The rules, in `yapdns-core` terms:
//! - **Matching.** [`Lookup::Rrset`] matches the owner name with [`NamePattern::matches`];
//!   [`Lookup::RdataName`] matches the name inside name-valued rdata ([`rdata_name`]) the same
//!   way; [`Lookup::RdataIp`] matches A records for an IPv4 filter and AAAA records for an IPv6
//!   one with [`IpFilter::contains`](yapdns_core::IpFilter::contains) (so `::ffff:192.0.2.1` in an AAAA record is not found by
//!   `192.0.2.1`).
//! - **Filters.** [`QueryRequest::type_filter`] (`ANY` = all), the bailiwick (normalised with
//!   [`normalize_name`] first) and the time fence, resolved against now with
//!   [`TimeFence::resolve`] and applied with [`TimeFence::admits`] on whole seconds
//!   ([`Timestamp::secs`]); every comparison is inclusive.
//! - **Order** ([`compare_associations`]): `last_seen` descending (milliseconds), then
//!   `rrname` ascending byte by byte, then the rrtype by its number ([`RrType::to_u16`]), then
//!   `rdata` ascending byte by byte. Name sightings ([`compare_names`]): `last_seen`
//!   descending, `rrname`, then the rrtype number with "no type" first. The order is total on
//!   the key, so `offset` pages are stable.
//! - **Pages.** `offset` results are skipped, at most `limit` returned, and
//!   [`Page::truncated`] is true when at least one more result exists after the page.
//! - **Summaries** cover every match, ignoring `limit` and `offset`.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::net::IpAddr;

use yapdns_core::{
    normalize_name, Association, Lookup, NamePattern, NameQuery, NameSighting, Page, QueryRequest,
    RrType, StoreStats, Summary, TimeFence, Timestamp,
};

use crate::error::Result;

/// The order of query results: `last_seen` descending, then `rrname`, rrtype number, `rdata`
/// ascending (byte-wise).
pub fn compare_associations(a: &Association, b: &Association) -> Ordering {
    b.last_seen
        .cmp(&a.last_seen)
        .then_with(|| a.rrname.as_bytes().cmp(b.rrname.as_bytes()))
        .then_with(|| a.rrtype.to_u16().cmp(&b.rrtype.to_u16()))
        .then_with(|| a.rdata.as_bytes().cmp(b.rdata.as_bytes()))
}

/// The order of name sightings: `last_seen` descending, then `rrname`, then the rrtype
/// number, a sighting without a type first.
pub fn compare_names(a: &NameSighting, b: &NameSighting) -> Ordering {
    b.last_seen
        .cmp(&a.last_seen)
        .then_with(|| a.rrname.as_bytes().cmp(b.rrname.as_bytes()))
        .then_with(|| {
            a.rrtype
                .map(RrType::to_u16)
                .cmp(&b.rrtype.map(RrType::to_u16))
        })
}

/// The name inside name-valued rdata, which [`Lookup::RdataName`] searches: the whole rdata of
/// CNAME, NS, PTR and DNAME; the exchange of MX (the last field, so MX written without its
/// preference works too); the target of SRV (the last field). `None` for other types.
pub fn rdata_name(rrtype: RrType, rdata: &str) -> Option<&str> {
    match rrtype {
        RrType::CNAME | RrType::NS | RrType::PTR | RrType::DNAME => Some(rdata),
        RrType::MX | RrType::SRV => rdata.rsplit(' ').next().filter(|s| !s.is_empty()),
        _ => None,
    }
}

/// The address in A or AAAA rdata, `None` for other types or rdata that is not an address.
pub fn rdata_ip(rrtype: RrType, rdata: &str) -> Option<IpAddr> {
    match rrtype {
        RrType::A => rdata.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4),
        RrType::Aaaa => rdata.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6),
        _ => None,
    }
}

/// True when the association matches the lookup (ignoring type, bailiwick and fence).
pub fn lookup_matches(lookup: &Lookup, a: &Association) -> bool {
    match lookup {
        Lookup::Rrset(p) => p.matches(&a.rrname),
        Lookup::RdataName(p) => rdata_name(a.rrtype, &a.rdata).is_some_and(|n| p.matches(n)),
        Lookup::RdataIp(f) => {
            a.rrtype == f.rrtype() && rdata_ip(a.rrtype, &a.rdata).is_some_and(|ip| f.contains(ip))
        }
    }
}

/// A query with its relative fences resolved and its bailiwick normalised: what backends
/// execute.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub lookup: Lookup,
    pub rrtype: Option<RrType>,
    pub bailiwick: Option<String>,
    pub fence: TimeFence,
    pub limit: usize,
    pub offset: usize,
}

impl Resolved {
    pub(crate) fn new(q: &QueryRequest, now: Timestamp) -> Result<Resolved> {
        let bailiwick = match &q.bailiwick {
            Some(b) => Some(normalize_name(b)?),
            None => None,
        };
        Ok(Resolved {
            lookup: q.lookup.clone(),
            rrtype: q.type_filter(),
            bailiwick,
            fence: q.fence.resolve(now),
            limit: q.limit,
            offset: q.offset,
        })
    }

    fn admits(&self, a: &Association) -> bool {
        lookup_matches(&self.lookup, a)
            && self.rrtype.is_none_or(|t| a.rrtype == t)
            && self
                .bailiwick
                .as_ref()
                .is_none_or(|b| a.bailiwick.as_ref() == Some(b))
            && self.fence.admits(a.first_seen.secs(), a.last_seen.secs())
    }
}

fn page<T>(mut hits: Vec<T>, offset: usize, limit: usize) -> (Vec<T>, bool) {
    let truncated = hits.len() > offset.saturating_add(limit);
    let hits: Vec<T> = if offset >= hits.len() {
        Vec::new()
    } else {
        hits.drain(offset..).take(limit).collect()
    };
    (hits, truncated)
}

/// One page of the records matching `q`, as every backend must answer it.
pub fn lookup(records: &[Association], q: &QueryRequest, now: Timestamp) -> Result<Page> {
    let r = Resolved::new(q, now)?;
    let mut hits: Vec<Association> = records.iter().filter(|a| r.admits(a)).cloned().collect();
    hits.sort_by(compare_associations);
    let (associations, truncated) = page(hits, r.offset, r.limit);
    Ok(Page {
        associations,
        truncated,
    })
}

/// Totals over every record matching `q`, ignoring limit and offset.
pub fn summarize(records: &[Association], q: &QueryRequest, now: Timestamp) -> Result<Summary> {
    let r = Resolved::new(q, now)?;
    let mut s = Summary::default();
    for a in records.iter().filter(|a| r.admits(a)) {
        s.count = s.count.saturating_add(a.count);
        s.num_results += 1;
        s.time_first = Some(s.time_first.map_or(a.first_seen, |t| t.min(a.first_seen)));
        s.time_last = Some(s.time_last.map_or(a.last_seen, |t| t.max(a.last_seen)));
    }
    Ok(s)
}

/// The name sightings matching `q`, in [`compare_names`] order, paged.
pub fn names(records: &[NameSighting], q: &NameQuery, now: Timestamp) -> Vec<NameSighting> {
    let fence = q.fence.resolve(now);
    let mut hits: Vec<NameSighting> = records
        .iter()
        .filter(|n| q.pattern.matches(&n.rrname))
        .filter(|n| fence.admits(n.first_seen.secs(), n.last_seen.secs()))
        .cloned()
        .collect();
    hits.sort_by(compare_names);
    page(hits, q.offset, q.limit).0
}

/// The dashboard figures for a store holding `associations` and `names`.
///
/// `new_names_per_day` counts distinct owner names, over associations and name sightings
/// together, by the UTC day of the earliest `first_seen` of the name. Lists of counts are
/// sorted largest first, ties by label; days oldest first.
pub fn stats(associations: &[Association], names: &[NameSighting]) -> StoreStats {
    let mut by_rrtype: BTreeMap<u16, u64> = BTreeMap::new();
    let mut by_source: BTreeMap<String, u64> = BTreeMap::new();
    let mut first: BTreeMap<&str, Timestamp> = BTreeMap::new();
    let mut sightings = 0u64;
    for a in associations {
        sightings = sightings.saturating_add(a.count);
        *by_rrtype.entry(a.rrtype.to_u16()).or_default() += 1;
        for s in &a.sources {
            *by_source.entry(s.to_string()).or_default() += 1;
        }
        let e = first.entry(&a.rrname).or_insert(a.first_seen);
        *e = (*e).min(a.first_seen);
    }
    for n in names {
        let e = first.entry(&n.rrname).or_insert(n.first_seen);
        *e = (*e).min(n.first_seen);
    }
    let mut per_day: BTreeMap<i64, u64> = BTreeMap::new();
    for t in first.values() {
        *per_day.entry(t.millis().div_euclid(DAY_MS)).or_default() += 1;
    }
    StoreStats {
        associations: associations.len() as u64,
        sightings,
        names: names.len() as u64,
        by_rrtype: ranked(
            by_rrtype
                .into_iter()
                .map(|(t, c)| (RrType::from_u16(t).to_string(), c)),
        ),
        by_source: ranked(by_source),
        new_names_per_day: per_day
            .into_iter()
            .map(|(d, c)| (day_label(d), c))
            .collect(),
    }
}

/// Milliseconds in a day.
pub(crate) const DAY_MS: i64 = 86_400_000;

/// Sorts labelled counts largest first, ties by label, merging equal labels.
pub(crate) fn ranked(items: impl IntoIterator<Item = (String, u64)>) -> Vec<(String, u64)> {
    let mut merged: BTreeMap<String, u64> = BTreeMap::new();
    for (k, v) in items {
        let e = merged.entry(k).or_default();
        *e = e.saturating_add(v);
    }
    let mut v: Vec<(String, u64)> = merged.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// `YYYY-MM-DD` for a day number since 1970-01-01 (proleptic Gregorian calendar).
pub(crate) fn day_label(day: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The labels of a name in reverse order, each followed by a dot: `www.example.com` becomes
/// `com.example.www.`. Names under `example.com` are exactly the reversed names that start
/// with `com.example.` and are longer, so `*.example.com` is one index range scan. Every dot
/// separates labels here, as in [`NamePattern::matches`].
pub(crate) fn reversed(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 1);
    for label in name.rsplit('.') {
        out.push_str(label);
        out.push('.');
    }
    out
}

/// The half-open range of a text column that holds exactly the names a pattern's wildcard
/// matches: values `> lo` and `< hi`. For `Under`, over reversed names; for `Prefix`, over
/// names as they are.
pub(crate) fn wildcard_range(p: &NamePattern) -> Option<(String, String)> {
    let lo = match p {
        NamePattern::Exact(_) => return None,
        NamePattern::Under(n) => reversed(n),
        NamePattern::Prefix(n) => format!("{n}."),
    };
    // `lo` ends with '.', and '/' is the next byte: every longer string starting with `lo`
    // sorts between them, and nothing else does.
    let mut hi = lo.clone();
    hi.pop();
    hi.push('/');
    Some((lo, hi))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn day_labels() {
        assert_eq!(day_label(0), "1970-01-01");
        assert_eq!(day_label(-1), "1969-12-31");
        assert_eq!(day_label(19_675), "2023-11-14");
        assert_eq!(day_label(11_016), "2000-02-29");
    }

    #[test]
    fn reversed_names_and_ranges() {
        assert_eq!(reversed("www.example.com"), "com.example.www.");
        let (lo, hi) = wildcard_range(&NamePattern::Under("example.com".into())).unwrap();
        assert_eq!((lo.as_str(), hi.as_str()), ("com.example.", "com.example/"));
        for (name, inside) in [
            ("www.example.com", true),
            ("a.b.example.com", true),
            ("example.com", false),
            ("notexample.com", false),
            ("example.com.evil", false),
        ] {
            let r = reversed(name);
            assert_eq!(r > lo && r < hi, inside, "{name}");
            assert_eq!(
                NamePattern::Under("example.com".into()).matches(name),
                inside
            );
        }
        let (lo, hi) = wildcard_range(&NamePattern::Prefix("www.example".into())).unwrap();
        for (name, inside) in [
            ("www.example.com", true),
            ("www.example", false),
            ("www.examples.com", false),
            ("www.example.co.uk", true),
        ] {
            assert_eq!(name > lo.as_str() && name < hi.as_str(), inside, "{name}");
        }
    }

    #[test]
    fn rdata_names() {
        assert_eq!(
            rdata_name(RrType::MX, "10 mx.example.net"),
            Some("mx.example.net")
        );
        assert_eq!(
            rdata_name(RrType::MX, "mx.example.net"),
            Some("mx.example.net")
        );
        assert_eq!(
            rdata_name(RrType::SRV, "0 5 5060 sip.example.net"),
            Some("sip.example.net")
        );
        assert_eq!(rdata_name(RrType::CNAME, "a.example"), Some("a.example"));
        assert_eq!(rdata_name(RrType::TXT, "a.example"), None);
    }

    #[test]
    fn pages_report_truncation() {
        assert_eq!(page(vec![1, 2, 3], 0, 2), (vec![1, 2], true));
        assert_eq!(page(vec![1, 2, 3], 1, 2), (vec![2, 3], false));
        assert_eq!(page(vec![1, 2, 3], 5, 2), (vec![], false));
        assert_eq!(page(vec![1, 2, 3], 0, 0), (vec![], true));
        assert_eq!(page(Vec::<i32>::new(), 0, 0), (vec![], false));
    }
}

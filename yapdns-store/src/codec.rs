//! How records become rows and rows become records: the column values every backend stores,
//! computed once here so that the backends cannot disagree about them.

use std::collections::BTreeSet;
use std::net::IpAddr;

use sha2::{Digest, Sha256};
use yapdns_core::{
    Aggregator, Association, Batch, NameSighting, RrType, SourceTag, Sources, Timestamp,
};

use crate::error::{Error, Result};
use crate::semantics::{rdata_ip, rdata_name, reversed};

/// Separates the tags in a stored source list.
pub(crate) const TAG_SEP: char = '\u{1e}';
/// Separates a tag's format from its sensor.
pub(crate) const SENSOR_SEP: char = '\u{1f}';
/// The stored rrtype of a name sighting without a type; sorts before every real type.
pub(crate) const NO_TYPE: i64 = -1;

/// One source tag as stored: `format`, or `format` U+001F `sensor`.
pub(crate) fn encode_source(t: &SourceTag) -> String {
    match &t.sensor {
        Some(s) => format!("{}{SENSOR_SEP}{s}", t.format),
        None => t.format.to_string(),
    }
}

/// A set of source tags as stored: the encoded tags, sorted byte-wise and joined by U+001E,
/// so that equal sets are equal strings.
pub(crate) fn encode_sources(tags: &Sources) -> String {
    let mut v: Vec<String> = tags.iter().map(encode_source).collect();
    v.sort_unstable();
    v.join(&TAG_SEP.to_string())
}

fn decode_source(s: &str) -> SourceTag {
    match s.split_once(SENSOR_SEP) {
        Some((f, sensor)) => SourceTag::new(f.to_string(), Some(sensor)),
        None => SourceTag::new(s.to_string(), None),
    }
}

/// The tags of a stored source list.
pub(crate) fn decode_sources(s: &str) -> Sources {
    s.split(TAG_SEP)
        .filter(|t| !t.is_empty())
        .map(decode_source)
        .collect()
}

/// The union of two stored source lists, canonical (SQLite calls this on merge).
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) fn union_sources(a: &str, b: &str) -> String {
    let set: BTreeSet<&str> = a
        .split(TAG_SEP)
        .chain(b.split(TAG_SEP))
        .filter(|t| !t.is_empty())
        .collect();
    let mut out = String::with_capacity(a.len() + b.len() + 1);
    for t in set {
        if !out.is_empty() {
            out.push(TAG_SEP);
        }
        out.push_str(t);
    }
    out
}

/// The label a stored source gets in statistics: `format` or `format/sensor`.
pub(crate) fn source_label(encoded: &str) -> String {
    decode_source(encoded).to_string()
}

/// A digest of the association key, unambiguous whatever the strings hold: the unique index
/// of the SQL stores (rdata may be far longer than a B-tree entry may be) and the document
/// id for a search-engine store.
pub(crate) fn key_hash(rrname: &str, rrtype: RrType, rdata: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update((rrname.len() as u64).to_be_bytes());
    h.update(rrname.as_bytes());
    h.update(rrtype.to_u16().to_be_bytes());
    h.update(rdata.as_bytes());
    h.finalize().into()
}

/// An address as 16 sortable bytes: IPv6 as is, IPv4 in its IPv4-mapped form
/// (`::ffff:a.b.c.d`). Queries add the record type (A or AAAA) so the two families never mix.
pub(crate) fn ip_key(ip: IpAddr) -> [u8; 16] {
    match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
        IpAddr::V6(v6) => v6.octets(),
    }
}

/// A count as the SQL stores keep it: signed 64-bit, saturating at `i64::MAX`.
pub(crate) fn count_to_sql(c: u64) -> i64 {
    i64::try_from(c).unwrap_or(i64::MAX)
}

/// The columns of one association row.
#[derive(Debug, Clone)]
pub(crate) struct AssocRow {
    pub key_hash: Vec<u8>,
    pub rrname: String,
    pub rrname_rev: String,
    pub rrtype: i32,
    pub rdata: String,
    pub rdata_name: Option<String>,
    pub rdata_name_rev: Option<String>,
    pub rdata_ip: Option<Vec<u8>>,
    pub first_seen: i64,
    pub last_seen: i64,
    pub count: i64,
    pub ttl: Option<i64>,
    pub bailiwick: Option<String>,
    pub sources: String,
}

/// The columns of one name-sighting row.
#[derive(Debug, Clone)]
pub(crate) struct NameRow {
    pub rrname: String,
    pub rrname_rev: String,
    pub rrtype: i32,
    pub first_seen: i64,
    pub last_seen: i64,
    pub count: i64,
    pub sources: String,
}

/// A batch made ready to write: merged by key in memory first (so one statement never touches
/// a key twice, and a batch full of repeats costs one row write per key), validated, and
/// sorted by key hash so concurrent writers lock rows in the same order.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    pub assocs: Vec<AssocRow>,
    pub names: Vec<NameRow>,
    /// Associations in the batch as sent.
    pub sent_assocs: u64,
    /// Name sightings in the batch as sent.
    pub sent_names: u64,
}

fn check_text(what: &str, s: &str) -> Result<()> {
    if s.contains('\0') {
        return Err(Error::InvalidRecord(format!(
            "{what} {s:?} contains a NUL character, which the stores cannot keep"
        )));
    }
    Ok(())
}

fn check_sources(tags: &Sources) -> Result<()> {
    for t in tags {
        check_text("source format", &t.format)?;
        if t.format.is_empty() || t.format.contains([TAG_SEP, SENSOR_SEP]) {
            return Err(Error::InvalidRecord(format!(
                "source format {:?} is empty or contains U+001E/U+001F",
                t.format
            )));
        }
        if let Some(s) = &t.sensor {
            check_text("sensor", s)?;
            if s.contains(TAG_SEP) {
                return Err(Error::InvalidRecord(format!(
                    "sensor {s:?} contains U+001E"
                )));
            }
        }
    }
    Ok(())
}

impl AssocRow {
    fn new(a: &Association, key_hash: &[u8; 32]) -> Result<AssocRow> {
        check_text("rrname", &a.rrname)?;
        check_text("rdata", &a.rdata)?;
        if a.rrname.is_empty() {
            return Err(Error::InvalidRecord("empty rrname".into()));
        }
        if let Some(b) = &a.bailiwick {
            check_text("bailiwick", b)?;
        }
        check_sources(&a.sources)?;
        let name = rdata_name(a.rrtype, &a.rdata);
        Ok(AssocRow {
            key_hash: key_hash.to_vec(),
            rrname: a.rrname.clone(),
            rrname_rev: reversed(&a.rrname),
            rrtype: i32::from(a.rrtype.to_u16()),
            rdata: a.rdata.clone(),
            rdata_name: name.map(str::to_string),
            rdata_name_rev: name.map(reversed),
            rdata_ip: rdata_ip(a.rrtype, &a.rdata).map(|ip| ip_key(ip).to_vec()),
            first_seen: a.first_seen.millis(),
            last_seen: a.last_seen.millis(),
            count: count_to_sql(a.count),
            ttl: a.ttl.map(i64::from),
            bailiwick: a.bailiwick.clone(),
            sources: encode_sources(&a.sources),
        })
    }
}

impl NameRow {
    fn new(n: &NameSighting) -> Result<NameRow> {
        check_text("rrname", &n.rrname)?;
        if n.rrname.is_empty() {
            return Err(Error::InvalidRecord("empty rrname".into()));
        }
        check_sources(&n.sources)?;
        Ok(NameRow {
            rrname: n.rrname.clone(),
            rrname_rev: reversed(&n.rrname),
            rrtype: n.rrtype.map_or(NO_TYPE as i32, |t| i32::from(t.to_u16())),
            first_seen: n.first_seen.millis(),
            last_seen: n.last_seen.millis(),
            count: count_to_sql(n.count),
            sources: encode_sources(&n.sources),
        })
    }
}

/// Merges, validates and encodes a batch; refuses it whole if any record cannot be stored.
///
/// Associations are grouped by key hash (sorting indices, no copies) and only keys that occur
/// more than once are merged, with [`Association::merge`] itself.
pub(crate) fn prepare(batch: &Batch) -> Result<Prepared> {
    let mut order: Vec<([u8; 32], &Association)> = batch
        .associations
        .iter()
        .map(|a| (key_hash(&a.rrname, a.rrtype, &a.rdata), a))
        .collect();
    order.sort_unstable_by_key(|x| x.0);
    let mut assocs = Vec::with_capacity(order.len());
    for group in order.chunk_by(|x, y| x.0 == y.0) {
        let Some(((hash, first), rest)) = group.split_first() else {
            continue;
        };
        if rest.is_empty() {
            assocs.push(AssocRow::new(first, hash)?);
        } else {
            let mut merged = (*first).clone();
            for (_, a) in rest {
                merged.merge(a)?;
            }
            assocs.push(AssocRow::new(&merged, hash)?);
        }
    }
    let mut agg = Aggregator::default();
    for n in &batch.names {
        agg.add_name(n.clone());
    }
    let names = agg
        .take_names()
        .iter()
        .map(NameRow::new)
        .collect::<Result<Vec<_>>>()?;
    Ok(Prepared {
        assocs,
        names,
        sent_assocs: batch.associations.len() as u64,
        sent_names: batch.names.len() as u64,
    })
}

/// The columns a query reads back, in this order: rrname, rrtype, rdata, first_seen,
/// last_seen, count, ttl, bailiwick, sources.
pub(crate) const ASSOC_COLUMNS: &str =
    "rrname, rrtype, rdata, first_seen, last_seen, count, ttl, bailiwick, sources";

/// The columns a name query reads back: rrname, rrtype, first_seen, last_seen, count, sources.
pub(crate) const NAME_COLUMNS: &str = "rrname, rrtype, first_seen, last_seen, count, sources";

fn rrtype_from_sql(t: i64) -> Result<RrType> {
    u16::try_from(t)
        .map(RrType::from_u16)
        .map_err(|_| Error::Corrupt(format!("rrtype {t} is not a 16-bit number")))
}

/// An association row as read back.
#[derive(Debug)]
pub(crate) struct StoredAssoc {
    pub rrname: String,
    pub rrtype: i64,
    pub rdata: String,
    pub first_seen: i64,
    pub last_seen: i64,
    pub count: i64,
    pub ttl: Option<i64>,
    pub bailiwick: Option<String>,
    pub sources: String,
}

impl StoredAssoc {
    pub(crate) fn into_association(self) -> Result<Association> {
        let ttl = match self.ttl {
            Some(t) => Some(
                u32::try_from(t).map_err(|_| Error::Corrupt(format!("ttl {t} out of range")))?,
            ),
            None => None,
        };
        Ok(Association {
            rrname: self.rrname,
            rrtype: rrtype_from_sql(self.rrtype)?,
            rdata: self.rdata,
            first_seen: Timestamp::from_millis(self.first_seen),
            last_seen: Timestamp::from_millis(self.last_seen),
            count: u64::try_from(self.count).unwrap_or(0),
            ttl,
            bailiwick: self.bailiwick,
            sources: decode_sources(&self.sources),
        })
    }
}

/// A name-sighting row as read back.
#[derive(Debug)]
pub(crate) struct StoredName {
    pub rrname: String,
    pub rrtype: i64,
    pub first_seen: i64,
    pub last_seen: i64,
    pub count: i64,
    pub sources: String,
}

impl StoredName {
    pub(crate) fn into_sighting(self) -> Result<NameSighting> {
        Ok(NameSighting {
            rrname: self.rrname,
            rrtype: if self.rrtype == NO_TYPE {
                None
            } else {
                Some(rrtype_from_sql(self.rrtype)?)
            },
            first_seen: Timestamp::from_millis(self.first_seen),
            last_seen: Timestamp::from_millis(self.last_seen),
            count: u64::try_from(self.count).unwrap_or(0),
            sources: decode_sources(&self.sources),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sources_round_trip_and_union() {
        let mut set = Sources::new();
        set.insert(SourceTag::new("squid", Some("proxy/1")));
        set.insert(SourceTag::new("bind", None));
        let enc = encode_sources(&set);
        assert_eq!(decode_sources(&enc), set);
        let mut other = Sources::new();
        other.insert(SourceTag::new("bind", Some("ns1")));
        other.insert(SourceTag::new("bind", None));
        let u = union_sources(&enc, &encode_sources(&other));
        let mut all = set.clone();
        all.extend(other);
        assert_eq!(u, encode_sources(&all));
        assert_eq!(union_sources("", ""), "");
        assert_eq!(decode_sources(""), Sources::new());
        assert_eq!(source_label("squid\u{1f}proxy/1"), "squid/proxy/1");
    }

    #[test]
    fn key_hash_is_unambiguous() {
        assert_ne!(
            key_hash("a.b", RrType::TXT, "c"),
            key_hash("a", RrType::TXT, ".bc")
        );
        assert_ne!(
            key_hash("a", RrType::A, "x"),
            key_hash("a", RrType::NS, "x")
        );
    }

    #[test]
    fn ipv4_is_mapped() {
        assert_eq!(
            ip_key("192.0.2.1".parse().unwrap()),
            ip_key("::ffff:192.0.2.1".parse().unwrap())
        );
    }

    #[test]
    fn nul_is_refused() {
        let a = Association::new(
            "a.test",
            RrType::TXT,
            "x\0y",
            Timestamp::from_secs(1),
            SourceTag::new("bind", None),
        )
        .unwrap();
        let b = Batch {
            associations: vec![a],
            ..Batch::default()
        };
        assert!(matches!(prepare(&b), Err(Error::InvalidRecord(_))));
    }
}

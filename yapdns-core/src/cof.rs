//! The Passive DNS Common Output Format (draft-dulaunoy-dnsop-passive-dns-cof), the JSON that
//! passive DNS clients and servers exchange.
//!
//! One association is one JSON object: `rrname`, `rrtype` (mnemonic), `rdata`, `time_first`,
//! `time_last` (integer Unix seconds), `count`, and where known `bailiwick`, `sensor_id`,
//! `time_first_ms`/`time_last_ms` (only when the source had sub-second precision). YAPDNS adds
//! two fields that the draft allows as extensions: `ttl` (the largest seen) and `sources`
//! (`format` or `format/sensor` strings), so that nothing is lost on a round trip.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::association::Association;
use crate::error::{Error, Result};
use crate::json_lex::JsonLex;
use crate::name::{normalize_name, normalize_rdata};
use crate::rrtype::RrType;
use crate::tag::{SourceTag, Sources};
use crate::time::days_from_civil;
use crate::time::Timestamp;
use crate::view::AssociationView;

#[derive(Serialize)]
struct CofOut<'a> {
    rrname: &'a str,
    rrtype: RrType,
    rdata: &'a str,
    time_first: i64,
    time_last: i64,
    count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    bailiwick: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sensor_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_first_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_last_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ttl: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
}

impl AssociationView<'_> {
    /// Appends the association as one COF line (JSON and `\n`) to `out`: the bytes
    /// `serde_json` would write for it, written directly. The field names are constant and
    /// names and record data rarely hold a character JSON must escape, so each field is a
    /// copy, where serde's serializer escapes every key and value byte by byte and writes
    /// each piece through `io::Write` — four fifths of the cost of a
    /// `yapdns-agent parse` run went there.
    ///
    /// ```
    /// use yapdns_core::{Association, RrType, SourceTag, Timestamp};
    /// let a = Association::new("example.com", RrType::A, "192.0.2.1",
    ///                          Timestamp::from_millis(1700000000250), SourceTag::new("squid", Some("p1"))).unwrap();
    /// let mut out = Vec::new();
    /// a.view().append_cof(&mut out);
    /// assert_eq!(String::from_utf8(out).unwrap(), concat!(
    ///     r#"{"rrname":"example.com","rrtype":"A","rdata":"192.0.2.1","time_first":1700000000,"#,
    ///     r#""time_last":1700000000,"count":1,"sensor_id":"p1","time_first_ms":1700000000250,"#,
    ///     r#""time_last_ms":1700000000250,"sources":["squid/p1"]}"#, "\n"));
    /// ```
    pub fn append_cof(&self, out: &mut Vec<u8>) {
        let mut num = itoa::Buffer::new();
        out.extend_from_slice(b"{\"rrname\":");
        json_str(out, self.rrname);
        out.extend_from_slice(b",\"rrtype\":");
        match self.rrtype.mnemonic() {
            // Mnemonics are upper-case letters and digits.
            Some(m) => {
                out.push(b'"');
                out.extend_from_slice(m.as_bytes());
                out.push(b'"');
            }
            None => {
                out.extend_from_slice(b"\"TYPE");
                out.extend_from_slice(num.format(self.rrtype.to_u16()).as_bytes());
                out.push(b'"');
            }
        }
        out.extend_from_slice(b",\"rdata\":");
        json_str(out, self.rdata);
        // A single sighting's two times are one number, formatted once.
        let first = num.format(self.first_seen.secs());
        out.extend_from_slice(b",\"time_first\":");
        out.extend_from_slice(first.as_bytes());
        out.extend_from_slice(b",\"time_last\":");
        if self.last_seen.secs() != self.first_seen.secs() {
            out.extend_from_slice(num.format(self.last_seen.secs()).as_bytes());
        } else {
            let at = out.len() - first.len() - b",\"time_last\":".len();
            out.extend_from_within(at..at + first.len());
        }
        out.extend_from_slice(b",\"count\":");
        out.extend_from_slice(num.format(self.count).as_bytes());
        if let Some(b) = self.bailiwick {
            out.extend_from_slice(b",\"bailiwick\":");
            json_str(out, b);
        }
        // COF has one sensor per record; the first (in order) stands for all, and `sources`
        // keeps the full list.
        if let Some(sensor) = self.sources.iter().find_map(|s| s.sensor.as_deref()) {
            out.extend_from_slice(b",\"sensor_id\":");
            json_str(out, sensor);
        }
        if self.first_seen.subsec_millis() != 0 || self.last_seen.subsec_millis() != 0 {
            let first = num.format(self.first_seen.millis());
            out.extend_from_slice(b",\"time_first_ms\":");
            out.extend_from_slice(first.as_bytes());
            out.extend_from_slice(b",\"time_last_ms\":");
            if self.last_seen != self.first_seen {
                out.extend_from_slice(num.format(self.last_seen.millis()).as_bytes());
            } else {
                let at = out.len() - first.len() - b",\"time_last_ms\":".len();
                out.extend_from_within(at..at + first.len());
            }
        }
        if let Some(ttl) = self.ttl {
            out.extend_from_slice(b",\"ttl\":");
            out.extend_from_slice(num.format(ttl).as_bytes());
        }
        let mut sources = self.sources.iter();
        if let Some(first) = sources.next() {
            out.extend_from_slice(b",\"sources\":[");
            source_str(out, first);
            for s in sources {
                out.push(b',');
                source_str(out, s);
            }
            out.push(b']');
        }
        out.extend_from_slice(b"}\n");
    }
}

/// Whether `s` goes into a JSON string as it is: no control character, quote or backslash.
fn plain(s: &str) -> bool {
    // A fold without an early exit, which the compiler turns into a vector loop.
    s.bytes()
        .fold(true, |ok, b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'))
}

/// Appends `s` as a JSON string, escaped exactly as `serde_json` escapes it.
fn json_str(out: &mut Vec<u8>, s: &str) {
    if plain(s) {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing to a `Vec` cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// Appends a source tag (`format` or `format/sensor`) as a JSON string.
fn source_str(out: &mut Vec<u8>, tag: &SourceTag) {
    match tag.sensor.as_deref() {
        None => json_str(out, &tag.format),
        Some(sensor) if plain(&tag.format) && plain(sensor) => {
            out.push(b'"');
            out.extend_from_slice(tag.format.as_bytes());
            out.push(b'/');
            out.extend_from_slice(sensor.as_bytes());
            out.push(b'"');
        }
        Some(_) => json_str(out, &tag.to_string()),
    }
}

impl Association {
    fn cof_out(&self) -> CofOut<'_> {
        let precise = self.first_seen.subsec_millis() != 0 || self.last_seen.subsec_millis() != 0;
        CofOut {
            rrname: &self.rrname,
            rrtype: self.rrtype,
            rdata: &self.rdata,
            time_first: self.first_seen.secs(),
            time_last: self.last_seen.secs(),
            count: self.count,
            bailiwick: self.bailiwick.as_deref(),
            // COF has one sensor per record; the first (in order) stands for all, and
            // `sources` keeps the full list.
            sensor_id: self.sources.iter().find_map(|s| s.sensor.as_deref()),
            time_first_ms: precise.then(|| self.first_seen.millis()),
            time_last_ms: precise.then(|| self.last_seen.millis()),
            ttl: self.ttl,
            sources: self.sources.iter().map(ToString::to_string).collect(),
        }
    }

    /// The association as a COF JSON object.
    ///
    /// ```
    /// use yapdns_core::{Association, RrType, SourceTag, Timestamp};
    /// let a = Association::new("example.com", RrType::A, "192.0.2.1",
    ///                          Timestamp::from_secs(1700000000), SourceTag::new("squid", None)).unwrap();
    /// assert_eq!(a.to_cof_json(),
    ///   r#"{"rrname":"example.com","rrtype":"A","rdata":"192.0.2.1","time_first":1700000000,"time_last":1700000000,"count":1,"sources":["squid"]}"#);
    /// ```
    pub fn to_cof_json(&self) -> String {
        let mut line = Vec::with_capacity(256);
        self.view().append_cof(&mut line);
        line.pop();
        // Only whole strings and ASCII went in: always UTF-8.
        String::from_utf8(line).unwrap_or_default()
    }

    /// Writes the association as one COF line (JSON and `\n`).
    pub fn write_cof<W: std::io::Write>(&self, mut w: W) -> std::io::Result<()> {
        let mut line = Vec::with_capacity(256);
        self.view().append_cof(&mut line);
        w.write_all(&line)
    }

    /// The association as a COF [`Value`].
    pub fn to_cof_value(&self) -> Value {
        serde_json::to_value(self.cof_out()).unwrap_or(Value::Null)
    }

    /// Reads one COF JSON line. A record whose `rdata` is an array (as DNSDB writes rrsets)
    /// gives one association per element; a DNSDB SAF line `{"obj": {…}}` is unwrapped, and a
    /// SAF line without a record (`{"cond":"begin"}`, a keepalive) gives none, except
    /// `{"cond":"failed"}`, which is an error. Records without `sources` are tagged with
    /// `default_format` and their `sensor_id`.
    ///
    /// ```
    /// use yapdns_core::Association;
    /// let v = Association::from_cof_json(
    ///     r#"{"rrname":"Example.com.","rrtype":"NS","rdata":["a.iana-servers.net.","b.iana-servers.net."],
    ///         "time_first":1,"time_last":2,"count":5,"bailiwick":"com."}"#, "cof").unwrap();
    /// assert_eq!(v.len(), 2);
    /// assert_eq!((v[1].rdata.as_str(), v[1].count), ("b.iana-servers.net", 5));
    /// ```
    pub fn from_cof_json(line: &str, default_format: &str) -> Result<Vec<Association>> {
        CofLine::from_json(line)?.into_associations(default_format)
    }

    /// Like [`Association::from_cof_json`], from a parsed JSON value.
    pub fn from_cof_value(v: Value, default_format: &str) -> Result<Vec<Association>> {
        CofLine::from_value(v)?.into_associations(default_format)
    }
}

/// What one line of COF or of DNSDB's Streaming API Framing (SAF) holds, read without
/// copying its strings and before any normalisation, for readers that build associations
/// their own way (the `cof` import format of `yapdns-parsers`).
///
/// ```
/// use yapdns_core::{CofLine, RrType};
/// let CofLine::Record(r) = CofLine::from_json(
///     r#"{"obj":{"rrname":"x.test.","rrtype":"A","rdata":["192.0.2.1","192.0.2.2"],
///             "time_first":"2022-07-15T09:42:21Z","time_last":1657878200,"count":3}}"#).unwrap()
/// else { unreachable!() };
/// assert_eq!(r.rrtype().unwrap(), RrType::A);
/// assert_eq!(r.rdata().len(), 2);
/// let (first, last) = r.seen().unwrap();
/// assert_eq!((first.secs(), last.secs()), (1_657_878_141, 1_657_878_200));
/// assert!(matches!(CofLine::from_json(r#"{"cond":"begin"}"#).unwrap(), CofLine::Cond { .. }));
/// ```
#[derive(Debug)]
// Lives for one line; boxing the record would cost an allocation per line.
#[allow(clippy::large_enum_variant)]
pub enum CofLine<'a> {
    /// A record: a bare COF object, or the `obj` of a SAF line.
    Record(CofRecord<'a>),
    /// A SAF line without a record: `begin`, `succeeded`, `limited`, `failed`, or a keepalive
    /// (no `cond`, perhaps a `msg`). An `ongoing` line that carries an `obj` is a record.
    Cond {
        /// The `cond` member, if any.
        cond: Option<Cow<'a, str>>,
        /// The `msg` member, if any (why a query was `limited` or `failed`).
        msg: Option<Cow<'a, str>>,
    },
}

impl<'a> CofLine<'a> {
    /// Reads one line of JSON, borrowing its strings where they hold no escapes.
    ///
    /// A line of the usual shape is read by a scanner made for it; anything it does not read
    /// itself (a number with a fraction or a sign, an object nested deeper than SAF nests it,
    /// a lone surrogate, any JSON error) is read by `serde_json` instead, so the result and
    /// the error messages are those of `serde_json` whichever reads it.
    pub fn from_json(line: &'a str) -> Result<CofLine<'a>> {
        // Read in place: the record is large, and the common line is a bare record.
        let mut rec = CofRecord::default();
        if Scan::top(line, &mut rec.raw).is_some() {
            if rec.raw.obj.is_none() && !rec.raw.is_saf() {
                return Ok(CofLine::Record(rec));
            }
            return Ok(rec.raw.into_line());
        }
        let raw: Raw<'a> = serde_json::from_str(line)?;
        Ok(raw.into_line())
    }

    /// Reads an already parsed JSON value.
    pub fn from_value(v: Value) -> Result<CofLine<'static>> {
        let raw = Raw::deserialize(v).map_err(|e| Error::Cof(e.to_string()))?;
        Ok(raw.into_line())
    }

    /// The associations of the line (none for a SAF condition), tagged as
    /// [`Association::from_cof_json`] says. A `failed` condition is an error.
    pub fn into_associations(self, default_format: &str) -> Result<Vec<Association>> {
        match self {
            CofLine::Record(r) => r.into_associations(default_format),
            CofLine::Cond { cond, msg } if cond.as_deref() == Some("failed") => {
                Err(Error::Cof(format!(
                    "the query failed: {}",
                    msg.as_deref().unwrap_or("no reason given")
                )))
            }
            CofLine::Cond { .. } => Ok(Vec::new()),
        }
    }
}

/// One COF record as read: the members' text, not yet checked or normalised. The accessors
/// check; [`CofRecord::into_associations`] normalises.
#[derive(Debug, Default)]
pub struct CofRecord<'a> {
    raw: Raw<'a>,
}

impl<'a> CofRecord<'a> {
    /// The owner name as written.
    pub fn rrname(&self) -> Result<&str> {
        self.raw
            .rrname
            .as_ref()
            .map(|s| s.0.as_ref())
            .ok_or_else(|| Error::Cof("missing rrname".into()))
    }

    /// The record type: a mnemonic, `TYPEnnn` or a number.
    pub fn rrtype(&self) -> Result<RrType> {
        match &self.raw.rrtype {
            Some(TypeVal::Num(n)) => u16::try_from(*n)
                .map(RrType::from_u16)
                .map_err(|_| Error::InvalidRrType(n.to_string())),
            Some(TypeVal::Str(s)) => s.0.parse(),
            None => Err(Error::Cof("missing rrtype".into())),
        }
    }

    /// The record data as written: one item for a string, each element of an array. Empty
    /// when `rdata` is missing.
    pub fn rdata(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        let items: &[Str<'a>] = match &self.raw.rdata {
            Some(Rdata::One(s)) => std::slice::from_ref(s),
            Some(Rdata::Many(v)) => v,
            None => &[],
        };
        items.iter().map(|s| s.0.as_ref())
    }

    /// First and last seen. `time_first_ms`/`time_last_ms` win over `time_first`/`time_last`
    /// (integer seconds, or strings: digits, `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DDTHH:MM:SSZ` as
    /// `dnsdbq -T datefix` writes); DNSDB's `zone_time_first`/`zone_time_last` (times seen in
    /// zone files) stand in when those are missing or 0, as dnsdbq reads them. A missing last
    /// time is the first; a last time before the first is an error, unless both fall in the
    /// same second (seconds next to milliseconds).
    pub fn seen(&self) -> Result<(Timestamp, Timestamp)> {
        let r = &self.raw;
        let tf = millis(&r.time_first_ms, "time_first_ms", 1)?.or(millis(
            &r.time_first,
            "time_first",
            1000,
        )?);
        let tl = millis(&r.time_last_ms, "time_last_ms", 1)?.or(millis(
            &r.time_last,
            "time_last",
            1000,
        )?);
        let zf = millis(&r.zone_time_first, "zone_time_first", 1000)?;
        let zl = millis(&r.zone_time_last, "zone_time_last", 1000)?;
        let (first, last) = match (tf, zf) {
            (Some(0), Some(z)) => (z, zl),
            (Some(f), _) => (f, tl),
            (None, Some(z)) => (z, zl),
            (None, None) => return Err(Error::Cof("missing time_first".into())),
        };
        let last = last.unwrap_or(first);
        if last < first {
            if last.div_euclid(1000) != first.div_euclid(1000) {
                return Err(Error::Cof("time_last is before time_first".into()));
            }
            return Ok((Timestamp::from_millis(first), Timestamp::from_millis(first)));
        }
        Ok((Timestamp::from_millis(first), Timestamp::from_millis(last)))
    }

    /// `count` (an integer, or digits in a string); `None` when missing.
    pub fn count(&self) -> Result<Option<u64>> {
        match &self.raw.count {
            None => Ok(None),
            Some(Num::Int(n)) => u64::try_from(*n)
                .map(Some)
                .map_err(|_| Error::Cof(format!("count {n} is negative"))),
            Some(Num::Str(s)) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| Error::Cof(format!("count {s:?} is not a number"))),
            Some(Num::Float(f)) => Err(Error::Cof(format!("count {f} is not an integer"))),
        }
    }

    /// `bailiwick` as written.
    pub fn bailiwick(&self) -> Option<&str> {
        self.raw.bailiwick.as_ref().map(|s| s.0.as_ref())
    }

    /// `sensor_id` as written.
    pub fn sensor_id(&self) -> Option<&str> {
        self.raw.sensor_id.as_ref().map(|s| s.0.as_ref())
    }

    /// YAPDNS's `ttl` extension.
    pub fn ttl(&self) -> Option<u32> {
        self.raw.ttl
    }

    /// The associations of the record, normalised; tagged with YAPDNS's `sources` extension
    /// when present, else with `default_format` and `sensor_id`.
    pub fn into_associations(self, default_format: &str) -> Result<Vec<Association>> {
        let (first, last) = self.seen()?;
        let rrtype = self.rrtype()?;
        let rrname = normalize_name(self.rrname()?)?;
        if self.raw.rdata.is_none() {
            return Err(Error::Cof("missing rdata".into()));
        }
        let count = self.count()?.unwrap_or(1).max(1);
        let bailiwick = self.bailiwick().map(normalize_name).transpose()?;
        let sources: Sources = match &self.raw.sources {
            Some(list) if !list.is_empty() => list
                .iter()
                .map(|s| match s.0.split_once('/') {
                    Some((f, sensor)) => SourceTag::new(f.to_string(), Some(sensor)),
                    None => SourceTag::new(s.0.to_string(), None),
                })
                .collect(),
            _ => Sources::one(SourceTag::new(default_format.to_string(), self.sensor_id())),
        };
        self.rdata()
            .map(|r| {
                Ok(Association {
                    rrname: rrname.clone(),
                    rrtype,
                    rdata: normalize_rdata(rrtype, r)?,
                    first_seen: first,
                    last_seen: last,
                    count,
                    ttl: self.raw.ttl,
                    bailiwick: bailiwick.clone(),
                    sources: sources.clone(),
                })
            })
            .collect()
    }
}

/// A JSON string, borrowed from the input unless it held escapes.
#[derive(Debug)]
struct Str<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Str<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

/// A time or count: an integer, a float, or a string to be read.
#[derive(Debug)]
enum Num<'a> {
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Num<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Num<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<Self::Value, E> {
                Ok(Num::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
                i64::try_from(v)
                    .map(Num::Int)
                    .map_err(|_| E::custom(format!("{v} is out of range")))
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<Self::Value, E> {
                Ok(Num::Float(v))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(Num::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(Num::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Self::Value, E> {
                Ok(Num::Str(Cow::Owned(v)))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `rrtype`: a mnemonic or a number.
#[derive(Debug)]
enum TypeVal<'a> {
    Num(u64),
    Str(Str<'a>),
}

impl<'de: 'a, 'a> Deserialize<'de> for TypeVal<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = TypeVal<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a record type")
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<Self::Value, E> {
                Ok(TypeVal::Num(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
                u64::try_from(v)
                    .map(TypeVal::Num)
                    .map_err(|_| E::custom(format!("record type {v} is negative")))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(TypeVal::Str(Str(Cow::Borrowed(v))))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(TypeVal::Str(Str(Cow::Owned(v.to_string()))))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Self::Value, E> {
                Ok(TypeVal::Str(Str(Cow::Owned(v))))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `rdata`: one string, or an array of strings (an rrset).
#[derive(Debug)]
enum Rdata<'a> {
    One(Str<'a>),
    Many(Vec<Str<'a>>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Rdata<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Rdata<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(Rdata::One(Str(Cow::Borrowed(v))))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(Rdata::One(Str(Cow::Owned(v.to_string()))))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Self::Value, E> {
                Ok(Rdata::One(Str(Cow::Owned(v))))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(4).min(64));
                while let Some(s) = seq.next_element()? {
                    v.push(s);
                }
                Ok(Rdata::Many(v))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// Every member COF, YAPDNS's extensions and SAF define; the others are skipped unread.
#[derive(Debug, Default, Deserialize)]
struct Raw<'a> {
    #[serde(borrow)]
    rrname: Option<Str<'a>>,
    #[serde(borrow)]
    rrtype: Option<TypeVal<'a>>,
    // `rrdata`: what pdns-qof-server writes (see `Member::of`).
    #[serde(borrow, alias = "rrdata")]
    rdata: Option<Rdata<'a>>,
    #[serde(borrow)]
    time_first: Option<Num<'a>>,
    #[serde(borrow)]
    time_last: Option<Num<'a>>,
    #[serde(borrow)]
    time_first_ms: Option<Num<'a>>,
    #[serde(borrow)]
    time_last_ms: Option<Num<'a>>,
    #[serde(borrow)]
    zone_time_first: Option<Num<'a>>,
    #[serde(borrow)]
    zone_time_last: Option<Num<'a>>,
    #[serde(borrow)]
    count: Option<Num<'a>>,
    #[serde(borrow)]
    bailiwick: Option<Str<'a>>,
    #[serde(borrow)]
    sensor_id: Option<Str<'a>>,
    ttl: Option<u32>,
    #[serde(borrow)]
    sources: Option<Vec<Str<'a>>>,
    /// SAF: the record of a line.
    #[serde(borrow)]
    obj: Option<Box<Raw<'a>>>,
    /// SAF: the state of the stream.
    #[serde(borrow)]
    cond: Option<Str<'a>>,
    /// SAF: why a stream was limited or failed.
    #[serde(borrow)]
    msg: Option<Str<'a>>,
}

impl<'a> Raw<'a> {
    /// A SAF line without a record: a condition, or a keepalive message.
    fn is_saf(&self) -> bool {
        self.cond.is_some() || (self.msg.is_some() && self.rrname.is_none() && self.rdata.is_none())
    }

    fn into_line(mut self) -> CofLine<'a> {
        if let Some(obj) = self.obj.take() {
            return CofLine::Record(CofRecord { raw: *obj });
        }
        if self.is_saf() {
            return CofLine::Cond {
                cond: self.cond.map(|s| s.0),
                msg: self.msg.map(|s| s.0),
            };
        }
        CofLine::Record(CofRecord { raw: self })
    }
}

/// The members of [`Raw`], as bits of the set of members read so far.
#[derive(Clone, Copy)]
enum Member {
    Rrname,
    Rrtype,
    Rdata,
    TimeFirst,
    TimeLast,
    TimeFirstMs,
    TimeLastMs,
    ZoneTimeFirst,
    ZoneTimeLast,
    Count,
    Bailiwick,
    SensorId,
    Ttl,
    Sources,
    Obj,
    Cond,
    Msg,
}

impl Member {
    fn of(key: &str) -> Option<Member> {
        Some(match key {
            "rrname" => Member::Rrname,
            "rrtype" => Member::Rrtype,
            // `rrdata`: what pdns-qof-server, the draft's first server, writes.
            "rdata" | "rrdata" => Member::Rdata,
            "time_first" => Member::TimeFirst,
            "time_last" => Member::TimeLast,
            "time_first_ms" => Member::TimeFirstMs,
            "time_last_ms" => Member::TimeLastMs,
            "zone_time_first" => Member::ZoneTimeFirst,
            "zone_time_last" => Member::ZoneTimeLast,
            "count" => Member::Count,
            "bailiwick" => Member::Bailiwick,
            "sensor_id" => Member::SensorId,
            "ttl" => Member::Ttl,
            "sources" => Member::Sources,
            "obj" => Member::Obj,
            "cond" => Member::Cond,
            "msg" => Member::Msg,
            _ => return None,
        })
    }
}

/// How deep `obj` members may nest before the scanner leaves the line to `serde_json`.
const SCAN_OBJ_DEPTH: u32 = 4;
/// How deep skipped values may nest before the scanner leaves the line to `serde_json`.
const SCAN_SKIP_DEPTH: u32 = 64;

/// A JSON reader for [`Raw`], made for the flat objects of COF: it reads exactly what
/// `serde_json` reads into [`Raw`] — the same JSON grammar (white space, escapes, members
/// skipped whatever they nest, numbers), the same types for each member, a repeated member
/// an error — but without serde's visitors and without copying the record from frame to
/// frame.
///
/// Every method returns `None` both on a JSON error and on anything it leaves to
/// `serde_json` (a negative or fractional number where a member is read, a number of 19 or
/// more digits, a record given as an array, deep nesting): the caller then reads the line
/// with `serde_json`, which gives the result or the error. So `Some` is only ever returned
/// for a line `serde_json` reads to the same [`Raw`].
///
/// Its methods are the lexer's own (an inherent `impl` of [`JsonLex`] here), so the lexer's
/// pieces are called as they are.
type Scan<'a> = JsonLex<'a>;

impl<'a> Scan<'a> {
    /// Reads the record of a whole line into `r` (the default), or `None` (see [`Scan`]),
    /// leaving `r` to be dropped.
    fn top(s: &'a str, r: &mut Raw<'a>) -> Option<()> {
        let mut sc = JsonLex::new(s);
        if sc.ws()? != b'{' {
            return None;
        }
        sc.record(r, SCAN_OBJ_DEPTH)?;
        // Only white space may follow.
        match sc.ws() {
            None => Some(()),
            Some(_) => None,
        }
    }

    /// An object whose opening `{` is the current byte, read into `r` (the default).
    fn record(&mut self, r: &mut Raw<'a>, depth: u32) -> Option<()> {
        self.i += 1;
        if self.ws()? == b'}' {
            self.i += 1;
            return Some(());
        }
        let mut seen = 0u32;
        loop {
            if self.ws()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.eat(b':')?;
            match Member::of(&key) {
                None => self.skip(SCAN_SKIP_DEPTH)?,
                Some(m) => {
                    let bit = 1u32 << (m as u32);
                    if seen & bit != 0 {
                        // serde: "duplicate field".
                        return None;
                    }
                    seen |= bit;
                    self.member(m, r, depth)?;
                }
            }
            match self.ws()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The value of member `m`, stored in `r`.
    fn member(&mut self, m: Member, r: &mut Raw<'a>, depth: u32) -> Option<()> {
        if self.null()? {
            // Every member is an `Option`: `null` is absent, as serde reads it (and it still
            // counts as given for the duplicate check).
            return Some(());
        }
        match m {
            Member::Rrname => r.rrname = Some(self.str_value()?),
            Member::Rrtype => {
                r.rrtype = Some(match self.ws()? {
                    b'"' => TypeVal::Str(Str(self.string()?)),
                    b'0'..=b'9' => TypeVal::Num(self.uint()?),
                    _ => return None,
                })
            }
            Member::Rdata => {
                r.rdata = Some(match self.ws()? {
                    b'"' => Rdata::One(Str(self.string()?)),
                    b'[' => Rdata::Many(self.str_list()?),
                    _ => return None,
                })
            }
            Member::TimeFirst => r.time_first = Some(self.num()?),
            Member::TimeLast => r.time_last = Some(self.num()?),
            Member::TimeFirstMs => r.time_first_ms = Some(self.num()?),
            Member::TimeLastMs => r.time_last_ms = Some(self.num()?),
            Member::ZoneTimeFirst => r.zone_time_first = Some(self.num()?),
            Member::ZoneTimeLast => r.zone_time_last = Some(self.num()?),
            Member::Count => r.count = Some(self.num()?),
            Member::Bailiwick => r.bailiwick = Some(self.str_value()?),
            Member::SensorId => r.sensor_id = Some(self.str_value()?),
            Member::Ttl => {
                if !self.ws()?.is_ascii_digit() {
                    return None;
                }
                r.ttl = Some(u32::try_from(self.uint()?).ok()?);
            }
            Member::Sources => {
                if self.ws()? != b'[' {
                    return None;
                }
                r.sources = Some(self.str_list()?);
            }
            Member::Obj => {
                if self.ws()? != b'{' || depth == 0 {
                    return None;
                }
                self.record(r.obj.insert(Box::default()), depth - 1)?;
            }
            Member::Cond => r.cond = Some(self.str_value()?),
            Member::Msg => r.msg = Some(self.str_value()?),
        }
        Some(())
    }

    /// A value that must be a string.
    fn str_value(&mut self) -> Option<Str<'a>> {
        if self.ws()? != b'"' {
            return None;
        }
        self.string().map(Str)
    }

    /// A time or count: a string or a non-negative integer.
    fn num(&mut self) -> Option<Num<'a>> {
        match self.ws()? {
            b'"' => self.string().map(Num::Str),
            b'0'..=b'9' => i64::try_from(self.uint()?).ok().map(Num::Int),
            _ => None,
        }
    }

    /// An array of strings whose `[` is the current byte.
    fn str_list(&mut self) -> Option<Vec<Str<'a>>> {
        self.i += 1;
        let mut v = Vec::with_capacity(4);
        if self.ws()? == b']' {
            self.i += 1;
            return Some(v);
        }
        loop {
            v.push(self.str_value()?);
            match self.ws()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(v);
                }
                _ => return None,
            }
        }
    }
}

/// Milliseconds since the epoch of a time member, `unit` milliseconds to the number; `None`
/// when absent, an error when present but unreadable.
fn millis(v: &Option<Num<'_>>, what: &str, unit: i64) -> Result<Option<i64>> {
    let bad = || Error::Cof(format!("{what} is not a time"));
    match v {
        None => Ok(None),
        Some(Num::Int(i)) => i.checked_mul(unit).map(Some).ok_or_else(bad),
        Some(Num::Float(f)) => {
            let ms = (f * unit as f64).round();
            if ms.is_finite() && ms.abs() < 9.0e15 {
                Ok(Some(ms as i64))
            } else {
                Err(bad())
            }
        }
        Some(Num::Str(s)) => {
            let t = s.trim();
            if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                return t
                    .parse::<i64>()
                    .ok()
                    .and_then(|i| i.checked_mul(unit))
                    .map(Some)
                    .ok_or_else(bad);
            }
            date_time_millis(t)
                .map(Some)
                .ok_or_else(|| Error::Cof(format!("{what} {s:?} is not a time")))
        }
    }
}

/// `YYYY-MM-DD[T ]HH:MM:SS[.fff…][Z|±HH:MM]` (UTC when no offset is written), as dnsdbq's
/// `-T datefix` and other passive DNS clients write times, to epoch milliseconds.
fn date_time_millis(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let d = b.get(r)?;
        if d.iter().all(u8::is_ascii_digit) {
            Some(d.iter().fold(0i64, |a, c| a * 10 + i64::from(c - b'0')))
        } else {
            None
        }
    };
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let days = days_from_civil(y, u32::try_from(mo).ok()?, u32::try_from(d).ok()?)?;
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut rest = &s[19..];
    let mut ms = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        ms = frac.as_bytes()[..n]
            .iter()
            .chain(std::iter::repeat(&b'0'))
            .take(3)
            .fold(0i64, |a, c| a * 10 + i64::from(c - b'0'));
        rest = &frac[n..];
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        o => {
            let sign = match o.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits: Vec<u8> = o.bytes().skip(1).filter(|c| *c != b':').collect();
            if digits.len() != 4 || !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let v = |i: usize| i64::from(digits[i] - b'0');
            sign * ((v(0) * 10 + v(1)) * 3600 + (v(2) * 10 + v(3)) * 60)
        }
    };
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset;
    secs.checked_mul(1000)?.checked_add(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written COF writer gives serde_json's bytes, whatever the strings hold.
    #[test]
    fn append_cof_writes_what_serde_writes() {
        let texts = [
            "example.com",
            "",
            "a\"b",
            "back\\slash",
            "tab\there",
            "nul\u{0}",
            "\u{1f}",
            "del\u{7f}",
            "é.example",
            "\u{2028}",
            "日本.jp",
            "/",
        ];
        let tags = [
            Sources::new(),
            Sources::one(SourceTag::new("squid", None)),
            [
                SourceTag::new("bind", Some("ns\"1")),
                SourceTag::new("zeek", Some("s/2")),
            ]
            .into_iter()
            .collect(),
            Sources::one(SourceTag::new("we\nird", Some("tab\t"))),
        ];
        let mut n = 0usize;
        for (i, rrname) in texts.iter().enumerate() {
            for (j, rdata) in texts.iter().enumerate().step_by(3) {
                for (k, sources) in tags.iter().enumerate() {
                    let pick = i + j + k;
                    let first = [0, 1_700_000_000_250, -1, -86_400_001, 999][pick % 5];
                    let a = Association {
                        rrname: rrname.to_string(),
                        rrtype: [RrType::A, RrType::from_u16(65_280), RrType::TXT][pick % 3],
                        rdata: rdata.to_string(),
                        first_seen: Timestamp::from_millis(first),
                        last_seen: Timestamp::from_millis(first + [0, 1000, 1][pick % 3]),
                        count: [1, u64::MAX, 0][pick % 3],
                        ttl: [None, Some(0), Some(u32::MAX)][pick % 3],
                        bailiwick: [None, Some(texts[pick % texts.len()].to_string())][pick % 2]
                            .clone(),
                        sources: sources.clone(),
                    };
                    let mut mine = Vec::new();
                    a.view().append_cof(&mut mine);
                    let mut want = serde_json::to_vec(&a.cof_out()).unwrap();
                    want.push(b'\n');
                    assert_eq!(
                        String::from_utf8_lossy(&mine),
                        String::from_utf8_lossy(&want)
                    );
                    n += 1;
                }
            }
        }
        assert!(n > 150);
    }

    fn sample() -> Association {
        let mut a = Association::new(
            "www.example.com",
            RrType::CNAME,
            "example.com",
            Timestamp::from_millis(1_700_000_000_250),
            SourceTag::new("bind", Some("ns1")),
        )
        .unwrap()
        .with_ttl(Some(300));
        a.bailiwick = Some("example.com".into());
        a
    }

    #[test]
    fn round_trip_keeps_everything() {
        let a = sample();
        let back = Association::from_cof_json(&a.to_cof_json(), "cof").unwrap();
        assert_eq!(back, vec![a]);
    }

    #[test]
    fn millis_only_when_present() {
        let v = sample().to_cof_value();
        assert_eq!(v["time_first"], 1_700_000_000);
        assert_eq!(v["time_first_ms"], 1_700_000_000_250i64);
        assert_eq!(v["sensor_id"], "ns1");
        assert_eq!(v["rrtype"], "CNAME");
    }

    #[test]
    fn zone_times_and_numeric_rrtype_and_saf_wrapper() {
        let v = Association::from_cof_json(
            r#"{"obj":{"rrname":"x.test","rrtype":28,"rdata":"2001:DB8::1","zone_time_first":5,"zone_time_last":9}}"#,
            "dnsdb",
        )
        .unwrap();
        assert_eq!(v[0].rdata, "2001:db8::1");
        assert_eq!((v[0].first_seen.secs(), v[0].last_seen.secs()), (5, 9));
        assert_eq!(v[0].sources.iter().next().unwrap().format, "dnsdb");
    }

    /// pdns-qof-server's README shows its records with `rrdata` and numbers as strings.
    #[test]
    fn rrdata_is_rdata() {
        let v = Association::from_cof_json(
            r#"{"count": "112", "time_first": "1298398002", "rrtype": "A", "rrname": "infosports.dhnet.be", "rrdata": "212.35.116.234", "time_last": "1354530214"}"#,
            "c",
        )
        .unwrap_or_default();
        assert_eq!(v.len(), 1);
        assert_eq!(
            v.first().map(|a| (a.rdata.as_str(), a.count)),
            Some(("212.35.116.234", 112))
        );
    }

    #[test]
    fn missing_fields_are_errors() {
        assert!(Association::from_cof_json(r#"{"rrname":"x.test","rrtype":"A"}"#, "c").is_err());
        assert!(Association::from_cof_json(
            r#"{"rrname":"x.test","rrtype":"A","rdata":"1.2.3.4"}"#,
            "c"
        )
        .is_err());
        assert!(Association::from_cof_json("not json", "c").is_err());
    }

    #[test]
    fn string_times_as_dnsdbq_datefix_and_circl_write_them() {
        let at = |tf: &str| {
            let line = format!(
                r#"{{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":{tf}}}"#
            );
            Association::from_cof_json(&line, "c").map(|v| v[0].first_seen.millis())
        };
        assert_eq!(at(r#""1315586409""#).unwrap(), 1_315_586_409_000);
        assert_eq!(at(r#""2022-07-15T09:42:21Z""#).unwrap(), 1_657_878_141_000);
        assert_eq!(at(r#""2022-07-15 09:42:21""#).unwrap(), 1_657_878_141_000);
        assert_eq!(
            at(r#""2022-07-15T11:42:21.250+02:00""#).unwrap(),
            1_657_878_141_250
        );
        assert_eq!(at(r#""2000-02-29 00:00:00""#).unwrap(), 951_782_400_000);
        assert!(at(r#""2022-02-30 00:00:00""#).is_err());
        assert!(at(r#""yesterday""#).is_err());
        assert!(at("1.5e300").is_err());
    }

    #[test]
    fn saf_conditions_give_nothing_and_failed_is_an_error() {
        for l in [
            r#"{"cond":"begin"}"#,
            r#"{"cond":"limited","msg":"Result limit reached"}"#,
            r#"{"cond":"succeeded"}"#,
            r#"{}"#.replace("{}", r#"{"msg":"keepalive"}"#).as_str(),
        ] {
            assert_eq!(Association::from_cof_json(l, "c").unwrap(), vec![], "{l}");
        }
        let e = Association::from_cof_json(r#"{"cond":"failed","msg":"quota"}"#, "c").unwrap_err();
        assert!(e.to_string().contains("quota"), "{e}");
        let v = Association::from_cof_json(
            r#"{"cond":"ongoing","obj":{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":7}}"#,
            "c",
        )
        .unwrap();
        assert_eq!(v.len(), 1);
    }

    #[test]
    fn wire_times_win_over_zone_times_unless_zero() {
        let v = Association::from_cof_json(
            r#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":0,"time_last":0,"zone_time_first":5,"zone_time_last":9}"#,
            "c",
        )
        .unwrap();
        assert_eq!((v[0].first_seen.secs(), v[0].last_seen.secs()), (5, 9));
        let v = Association::from_cof_json(
            r#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":10,"time_last":20,"zone_time_first":5,"zone_time_last":9}"#,
            "c",
        )
        .unwrap();
        assert_eq!((v[0].first_seen.secs(), v[0].last_seen.secs()), (10, 20));
        // Milliseconds next to whole seconds of the same second.
        let v = Association::from_cof_json(
            r#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first_ms":10500,"time_last":10}"#,
            "c",
        )
        .unwrap();
        assert_eq!(
            (v[0].first_seen.millis(), v[0].last_seen.millis()),
            (10_500, 10_500)
        );
    }

    #[test]
    fn escaped_strings_and_bad_members() {
        let v = Association::from_cof_json(
            r#"{"rrname":"a\u002eb.test","rrtype":"TXT","rdata":"\"v=spf1 -all\"","time_first":1,"count":"7"}"#,
            "c",
        )
        .unwrap();
        assert_eq!(
            (v[0].rrname.as_str(), v[0].rdata.as_str(), v[0].count),
            ("a.b.test", "\"v=spf1 -all\"", 7)
        );
        for bad in [
            r#"{"rrname":"x.test","rrtype":"A","rdata":[1],"time_first":1}"#,
            r#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":1,"count":-1}"#,
            r#"{"rrname":"x.test","rrtype":70000,"rdata":"192.0.2.1","time_first":1}"#,
            r#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":5,"time_last":3}"#,
            r#"[1,2]"#,
        ] {
            assert!(Association::from_cof_json(bad, "c").is_err(), "{bad}");
        }
    }

    /// What `serde_json` reads into [`Raw`], as text (`Debug`), or its error.
    fn by_serde(line: &str) -> std::result::Result<String, String> {
        serde_json::from_str::<Raw<'_>>(line)
            .map(|r| format!("{r:?}"))
            .map_err(|e| e.to_string())
    }

    /// Checks the scanner against `serde_json` on `line`; true when the scanner read it.
    fn agrees(line: &str) -> bool {
        let mut raw = Raw::default();
        match Scan::top(line, &mut raw) {
            Some(()) => {
                assert_eq!(
                    Ok(format!("{raw:?}")),
                    by_serde(line),
                    "the scanner read {line:?} differently"
                );
                true
            }
            None => false,
        }
    }

    const REC: &str = r#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":1,"time_last":2,"count":3}"#;

    #[test]
    fn scanner_reads_the_usual_lines() {
        for l in [
            REC,
            r#"{"time_first": 1657878141, "time_last": 1657878141, "count": 1, "rrtype": "AAAA", "rrname": "media.vastporten.se", "rdata": "2a02:250:0:8::53", "origin": "origin not configured"}"#,
            r#"{"time_first":"2022-07-15 09:42:21","time_last":"2022-07-15T09:42:21Z","count":"7","rrtype":"AAAA","rrname":"x.test","rdata":"::1"}"#,
            r#"{"obj":{"count":2,"time_first":1594197706,"rrname":"google.com.","rrtype":"A","bailiwick":".","rdata":["64.233.161.100","64.233.161.101"]}}"#,
            r#"{"cond":"begin"}"#,
            r#"{"cond":"limited","msg":"Result limit reached"}"#,
            r#"{"rrname":"x.test","rrtype":28,"rdata":[],"time_first_ms":1,"time_last_ms":2,"zone_time_first":3,"zone_time_last":4,"ttl":4294967295,"sensor_id":"s","sources":["bind/ns1","squid"]}"#,
            " \t{ \"rrname\" : \"x.test\" ,\n\"rdata\"\r:[ \"a\" , \"b\" ] } \n",
            r#"{"rrname":null,"rrtype":null,"rdata":null,"time_first":null,"ttl":null,"obj":null,"sources":null}"#,
            "{}",
        ] {
            assert!(agrees(l), "{l}");
        }
    }

    #[test]
    fn scanner_escapes_in_values_and_member_names() {
        for l in [
            r#"{"rrname":"a\u002eb.test","rdata":"\"v=spf1 -all\" \\ \/ \b\f\n\r\t"}"#,
            r#"{"rr\u006eame":"x.test","\u0072data":"y"}"#,
            r#"{"rrname":"\u00e9\u4e2d\ud83d\ude00.test","rdata":"caf\u00e9 é"}"#,
            r#"{"rrname":"x.test","origin":"\ud800 lone surrogates are skipped \udc00"}"#,
        ] {
            assert!(agrees(l), "{l}");
        }
        let mut raw = Raw::default();
        assert!(Scan::top(r#"{"rr\u006eame":"a\u002eb\ud83d\ude00"}"#, &mut raw).is_some());
        assert_eq!(raw.rrname.unwrap().0, "a.b\u{1F600}");
        // Lone surrogates and bad escapes where a member is read: serde's errors.
        for l in [
            r#"{"rrname":"\ud800"}"#,
            r#"{"rrname":"\udc00x"}"#,
            r#"{"rrname":"\ud800\n"}"#,
            r#"{"rrname":"\ud800\u0041"}"#,
            r#"{"rrname":"\x"}"#,
            r#"{"rrname":"\u12"}"#,
            r#"{"rrname":"\u12G4"}"#,
            r#"{"r\ud800":1}"#,
            "{\"rrname\":\"tab\tinside\"}",
            "{\"origin\":\"tab\tinside\"}",
            r#"{"origin":"\q"}"#,
        ] {
            assert!(!agrees(l), "{l}");
            assert!(by_serde(l).is_err(), "{l}");
        }
    }

    #[test]
    fn scanner_skips_unknown_members_whatever_they_hold() {
        for l in [
            r#"{"origin":{"a":[1,{"b":"}]\"{["}],"c":{}},"rrname":"x.test","x":[[],[[]],{}],"y":true,"z":false,"w":null}"#,
            r#"{"n1":-0,"n2":1.5e+300,"n3":-12.25E-3,"n4":0.0,"n5":123456789012345678901234567890,"rrname":"x"}"#,
            r#"{"origin":"x","origin":"dup unknown members are fine"}"#,
        ] {
            assert!(agrees(l), "{l}");
        }
        for l in [
            r#"{"x":01}"#,
            r#"{"x":1.}"#,
            r#"{"x":.5}"#,
            r#"{"x":1e}"#,
            r#"{"x":-}"#,
            r#"{"x":+1}"#,
            r#"{"x":[1,]}"#,
            r#"{"x":{"a":1,}}"#,
            r#"{"x":{"a" 1}}"#,
            r#"{"x":{1:1}}"#,
            r#"{"x":nul}"#,
            r#"{"x":True}"#,
            r#"{"x":[}"#,
            r#"{"x":1,}"#,
            r#"{"x":1 "y":2}"#,
            r#"{"x":1} x"#,
            r#"{"x":1}{}"#,
        ] {
            assert!(!agrees(l), "{l}");
            assert!(by_serde(l).is_err(), "{l}");
        }
    }

    #[test]
    fn scanner_leaves_duplicates_and_other_numbers_to_serde() {
        // A member given twice is serde's "duplicate field" error, `null` or not.
        for l in [
            r#"{"rrname":"a","rrname":"b"}"#,
            r#"{"rrname":null,"rrname":"b"}"#,
            r#"{"obj":{"count":1,"count":2}}"#,
            r#"{"rdata":"a","rrdata":"b"}"#,
        ] {
            assert!(!agrees(l), "{l}");
            assert!(by_serde(l).unwrap_err().contains("duplicate field"), "{l}");
        }
        // Numbers the scanner does not read itself: serde reads them, same result.
        for l in [
            r#"{"time_first":1.5e3}"#,
            r#"{"time_first":1E3}"#,
            r#"{"time_first":-5}"#,
            r#"{"count":-0}"#,
            r#"{"time_first":1234567890123456789}"#,
            r#"{"time_first":99999999999999999999}"#,
            r#"{"ttl":4294967296}"#,
            r#"{"ttl":1.0}"#,
            r#"{"rrtype":1.0}"#,
            r#"{"rrtype":-1}"#,
            r#"{"time_first":012}"#,
            r#"[ "x.test", "A" ]"#,
            r#"{"obj":{"obj":{"obj":{"obj":{"obj":{}}}}}}"#,
        ] {
            assert!(!agrees(l), "{l}");
        }
        assert_eq!(
            CofLine::from_json(
                r#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":1.5e3}"#
            )
            .unwrap()
            .into_associations("c")
            .unwrap()[0]
                .first_seen
                .millis(),
            1_500_000
        );
        // Types serde refuses: the scanner leaves them to serde's error.
        for l in [
            r#"{"rrname":1}"#,
            r#"{"rdata":[null]}"#,
            r#"{"rdata":{}}"#,
            r#"{"sources":"x"}"#,
            r#"{"ttl":"300"}"#,
            r#"{"obj":[]}"#,
            r#"{"count":true}"#,
        ] {
            assert!(!agrees(l), "{l}");
            assert!(by_serde(l).is_err(), "{l}");
        }
    }

    /// Random edits of real lines: wherever the scanner reads a line, `serde_json` reads it
    /// to the same record.
    #[test]
    fn scanner_agrees_with_serde_on_mutated_lines() {
        let seeds = [
            REC,
            r#"{"obj":{"count":2,"time_first":"2022-07-15 09:42:21","rrname":"g.com.","rrtype":28,"bailiwick":".","rdata":["a","b\u00e9"]},"x":[{"y":-1.5e3}]}"#,
            r#"{"cond":"limited","msg":"R\"l\\m","sources":["a/b"],"ttl":30,"origin":{"k":[true,false,null]}}"#,
            r#"{"rrname":"a-rather-long-name.example.test","rdata":"a string longer than 8 \" with \\ escapes \u0041 at odd places","origin":"origin not configured, skipped \"x\" here"}"#,
        ];
        let alphabet = b"{}[]\":,\\ \t\nu0123456789.eE+-aAnulltrfsx\x01\xc3\xa9";
        let mut rng = crate::test_rng::TestRng::new(0x2545_f491_4f6c_dd1d);
        let mut rnd = |n: usize| rng.below(n);
        let (mut read, mut total) = (0, 0);
        // COF_SCAN_ROUNDS=n runs more rounds.
        let rounds = std::env::var("COF_SCAN_ROUNDS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(30_000);
        for round in 0..rounds {
            let mut b = seeds[round % seeds.len()].as_bytes().to_vec();
            for _ in 0..1 + rnd(3) {
                let at = rnd(b.len() + 1);
                match rnd(3) {
                    0 if at < b.len() => {
                        b.remove(at);
                    }
                    1 if at < b.len() => b[at] = alphabet[rnd(alphabet.len())],
                    _ => b.insert(at, alphabet[rnd(alphabet.len())]),
                }
            }
            let Ok(line) = std::str::from_utf8(&b) else {
                continue;
            };
            total += 1;
            if agrees(line) {
                read += 1;
            }
        }
        eprintln!("{read} of {total} mutated lines read by the scanner");
        assert!(read > total / 10, "{read} of {total}");
    }
}

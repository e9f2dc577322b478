//! Suricata EVE JSON (`eve.json`): the `dns` events of every EVE DNS log version, one JSON
//! object per line among the sensor's other events (`flow`, `alert`, `http`, `tls`, `stats`, …),
//! which are skipped unread.
//!
//! Grammar (JSON; only the members used are shown, the others are skipped unread). What
//! Suricata writes is `rust/src/dns/log.rs` (`dns_log_json_answer_detail`, `dns_log_soa`,
//! `dns_log_srv`, `dns_log_sshfp`, the v1 `*_v1` functions and the v3 `log_json`) and the
//! common header of `src/output-json.c`:
//!
//! ```text
//! line     = [prefix] event                  ; eve-log `prefix:` (e.g. "@cee: ") or a syslog header
//! event    = { "timestamp": time, "event_type": "dns", ["host": sensor-name], "dns": dns, … }
//! time     = YYYY-MM-DD "T" HH:MM:SS [ "." 1*DIGIT ] [ ("+" / "-") HHMM / "Z" ]
//!
//! ; v1 (Suricata ≤ 6 with `version: 1`, default before 5): one event per query, per answer
//! ; record and per authority record, and one per failed response
//! v1-query   = { "type": "query", "id": n, "rrname": name, "rrtype": type, "tx_id": n }
//! v1-record  = { "type": "answer", "id": n, "flags": hex, …, "rcode": "NOERROR",
//!                "rrname": name, "rrtype": type, "ttl": n, [data] }
//! v1-failure = { "type": "answer", "id": n, "rcode": rcode, "rrname": qname }   ; no rrtype
//!
//! ; v2 (Suricata 4.1 – 8 with `version: 2`): one event per query, one per response
//! v2-query   = { ["version": 2,] "type": "query", "id": n, "rrname": name, "rrtype": type, … }
//! v2-answer  = { "version": 2, "type": "answer", "id": n, "flags": hex, …, "rcode": rcode,
//!                ["rrname": qname, "rrtype": qtype],            ; the first question
//!                ["answers": [ rr* ]],                          ; formats: detailed
//!                ["grouped": { type: [ gdata* ], … }],          ; formats: grouped
//!                ["authorities": [ rr* ]], ["additionals": [ rr* ]] }
//!
//! ; v3 (Suricata 8, the default there): one event per request, one per response
//! v3         = { "version": 3, "type": "request" / "response", "rcode": rcode, …,
//!                ["queries": [ { "rrname": name, "rrtype": type } * ]],
//!                ["answers": [ rr* ]], ["grouped": {…}], ["authorities": [ rr* ]],
//!                ["additionals": [ rr* ]] }
//!
//! rr      = { "rrname": name, "rrtype": type, "ttl": n, [data],
//!             ["rrname_truncated": true], ["rdata_truncated": true] }
//! data    = "rdata": text                      ; A, AAAA, CNAME, NS, PTR, MX (exchange only),
//!                                              ; TXT (one string per rr), NULL (raw bytes)
//!         / "soa": { "mname", "rname", "serial", "refresh", "retry", "expire", "minimum" }
//!         / "srv": { "priority", "weight", "port", "name" }     ; "target" in the docs
//!         / "sshfp": { "fingerprint": "hh:hh:…", "algo": n, "type": n }
//!         / "opt": [ … ]                       ; the EDNS pseudo-record
//! gdata   = text / soa-object / srv-object / sshfp-object  ; as in rr, without owner or TTL
//! type    = mnemonic / 1*DIGIT                 ; unknown types by number ("65534")
//! name    = text                               ; no trailing dot; the root is ""
//! ```
//!
//! Records of other types (DNSKEY, RRSIG, DS, HTTPS, CAA, …) are logged with owner, type and
//! TTL but no data. Names are the wire bytes: UTF-8 as is, otherwise ASCII with `\xHH` for
//! bytes over 127; control characters come JSON-escaped.
//!
//! What it yields:
//!
//! * **Detailed records** (`answers`, `authorities`, and v1 per-record events) give one
//!   association each — owner, type, data and TTL. Authority records (the zone's SOA in a
//!   negative answer, the NS of a delegation) are records the server sent, and v1 logs them as
//!   `"type":"answer"` events anyway, so every version yields them. The `additionals` section
//!   (v3, and v2 in Suricata 8) is not read: older versions never log it, so reading it would
//!   make the same traffic yield different records by version, and unsolicited glue is what
//!   cache poisoning rides on.
//! * **Grouped answers** (`grouped` only, without `answers`) carry no owner names and no TTLs.
//!   Their owner is what the certain part allows: with no CNAME, every record is the question
//!   name's; with exactly one CNAME target `t`, the question name has `CNAME t` and every other
//!   record is `t`'s (a name with a CNAME owns no other data); with two or more CNAME targets
//!   the chain's order, hence every owner, is unknown, and the answers are dropped. When both
//!   forms are logged, only `answers` is read, so nothing is counted twice.
//! * **Name sightings** ([`Outcome::NoAnswer`]): every question of a query or request event;
//!   the questions of a response whose answer section yielded nothing (NXDOMAIN, SERVFAIL,
//!   REFUSED, NODATA, answers of types Suricata logs without data, dropped grouped answers);
//!   the name of a v1 failure event; the owner and type of a v1 record logged without data.
//!
//! Rdata is rebuilt in master-file presentation: TXT strings quoted (`"v=spf1 -all"`, with
//! `\"`, `\\` and `\DDD` escapes), SOA as `mname rname serial refresh retry expire minimum`, SRV
//! as `priority weight port target`, SSHFP as `algo type HEX`, NULL in the RFC 3597 generic
//! form `\# len hex`, the root as `.`, names with spaces or control characters escaped as
//! `\DDD` (mDNS instance names). A name Suricata marked truncated is not used.
//!
//! What it cannot yield: MX preferences (Suricata logs only the exchange; core keeps the bare
//! exchange name), a multi-string TXT record as one record (Suricata 7 and later log each
//! string as its own entry; 4.x logs only the first string), the data of the types listed
//! above, owners of grouped answers behind two or more CNAMEs, and TTLs of grouped answers.
//!
//! Events skipped (counted as skipped, never errors): every event whose `event_type` is not
//! `dns` — found with a byte search before any JSON is parsed — including `alert` events that
//! carry a `dns` object: that object repeats the transaction the `dns` event already logged,
//! and reading both would count it twice. Also skipped: `dns` events about the CHAOS-class
//! server identity names (`version.bind`, `hostname.bind`, `authors.bind`, `id.server`,
//! `version.server`): EVE does not log the class, and those names exist only in CHAOS (other
//! formats skip CH lines the same way). A line without any `event_type` is a syntax error.
//!
//! Sensor: the operator's [`ParseOptions::sensor`] wins; without one, the event's `host` (the
//! `sensor-name` of `suricata.yaml`) names the sensor.
//!
//! Time: the event's `timestamp` is the packet's capture time, in the sensor's local time with
//! its UTC offset (`2026-11-29T19:25:11.368123+0100`); it is converted to UTC and kept to the
//! millisecond. A timestamp without an offset (early Suricata releases, as in its older docs)
//! is read with [`ParseOptions::timezone`].

use std::borrow::Cow;
use std::fmt;
use std::fmt::Write as _;
use std::marker::PhantomData;

use memchr::memmem::Finder;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use yapdns_core::{
    normalize_name_in, normalize_rdata_in, AssociationView, NameView, RrType, Sources, Timestamp,
};

use crate::error::{ErrorKind, ParseError};
use crate::formats::FormatParser;
use crate::input::text;
use crate::options::{parse_offset, ParseOptions};
use crate::record::{Emit, Outcome};
use crate::view_buf::SensorTags;

/// The format's name in `sources`.
const NAME: &str = "suricata";

/// How Suricata itself writes a DNS event's type: the fast path of the pre-check.
const DNS_EVENT: &[u8] = b"\"event_type\":\"dns\"";

/// Server identity names that exist only in the CHAOS class (RFC 4892 and BIND's own). EVE does
/// not log the class, so an event about one of them is skipped, as other formats skip CH lines.
const CHAOS_NAMES: &[&str] = &[
    "version.bind",
    "hostname.bind",
    "authors.bind",
    "id.server",
    "version.server",
];

fn is_chaos(n: &str) -> bool {
    let n = n.strip_suffix('.').unwrap_or(n);
    CHAOS_NAMES.iter().any(|c| c.eq_ignore_ascii_case(n))
}

/// The key the pre-check looks for when the compact form is not there.
const EVENT_KEY: &[u8] = b"\"event_type\"";

/// Parser state: the options, the default source tag, the last `host`'s tag (so a file from
/// one sensor builds its tag once) and the byte searchers of the pre-check.
pub struct Parser {
    opts: ParseOptions,
    tags: SensorTags,
    /// Buffers for names and data normalised, kept from record to record.
    bufs: Bufs,
    dns_event: Finder<'static>,
    event_key: Finder<'static>,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`, or else with each event's `host`.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            opts: opts.clone(),
            tags: SensorTags::new(NAME, opts.sensor.as_deref()),
            bufs: Bufs::default(),
            dns_event: Finder::new(DNS_EVENT),
            event_key: Finder::new(EVENT_KEY),
        }
    }
}

/// What the pre-check says of a line.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    /// An event whose `event_type` is `dns`.
    Dns,
    /// An EVE event of another type.
    Other,
    /// No `event_type` at all.
    NotEve,
}

/// Finds the event type without parsing JSON: `"event_type":"dns"` as Suricata writes it, or
/// the key followed by optional white space, a colon and `"dns"` as re-serialising tools do.
fn kind(line: &[u8], dns_event: &Finder<'_>, event_key: &Finder<'_>) -> Kind {
    if dns_event.find(line).is_some() {
        return Kind::Dns;
    }
    let mut any = false;
    for at in event_key.find_iter(line) {
        any = true;
        let rest = line.get(at + EVENT_KEY.len()..).unwrap_or_default();
        let rest = trim_ws(rest);
        if let Some(r) = rest.strip_prefix(b":") {
            if trim_ws(r).starts_with(b"\"dns\"") {
                return Kind::Dns;
            }
        }
    }
    if any {
        Kind::Other
    } else {
        Kind::NotEve
    }
}

fn trim_ws(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
        .count();
    b.get(n..).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The JSON shapes. Strings borrow from the line unless they hold escapes; members not named
// are skipped without being built.

/// A JSON string, borrowed from the input where it has no escapes.
#[derive(Debug, Default)]
struct Str<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Str<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V(PhantomData))
    }
}

/// A value that is either a string or the object of an SOA, SRV or SSHFP record (`grouped`
/// arrays hold both); anything else is read as [`Data::Other`]. Also used for `host`, which
/// log shippers sometimes turn into an object.
#[derive(Debug, Default)]
enum Data<'a> {
    #[default]
    Other,
    Str(Cow<'a, str>),
    Obj(Box<Fields<'a>>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Data<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Data<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an object")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Data::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Data::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Data::Str(Cow::Owned(v)))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Data::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Data::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Data::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Data::Other)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Data::Other)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Data::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Data::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Self::Value, A::Error> {
                Fields::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(|f| Data::Obj(Box::new(f)))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// The members of Suricata's `soa`, `srv` and `sshfp` objects.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Fields<'a> {
    #[serde(borrow)]
    mname: Option<Str<'a>>,
    mname_truncated: bool,
    #[serde(borrow)]
    rname: Option<Str<'a>>,
    rname_truncated: bool,
    serial: Option<u64>,
    refresh: Option<u64>,
    retry: Option<u64>,
    expire: Option<u64>,
    minimum: Option<u64>,
    priority: Option<u64>,
    weight: Option<u64>,
    port: Option<u64>,
    /// The SRV target, as the code writes it.
    #[serde(borrow)]
    name: Option<Str<'a>>,
    /// The SRV target, as the documentation names it.
    #[serde(borrow)]
    target: Option<Str<'a>>,
    #[serde(borrow)]
    fingerprint: Option<Str<'a>>,
    algo: Option<u64>,
    #[serde(rename = "type")]
    fp_type: Option<u64>,
}

/// One detailed record (`answers`, `authorities`), or the record of a v1 event.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Rr<'a> {
    #[serde(borrow)]
    rrname: Option<Str<'a>>,
    rrname_truncated: bool,
    #[serde(borrow)]
    rrtype: Option<Str<'a>>,
    ttl: Option<u64>,
    #[serde(borrow)]
    rdata: Option<Str<'a>>,
    rdata_truncated: bool,
    /// The `soa`, `srv` or `sshfp` object (a record has at most one), boxed to keep the
    /// record small.
    #[serde(borrow, rename = "soa", alias = "srv", alias = "sshfp")]
    obj: Option<Box<Fields<'a>>>,
}

/// One question of a v3 event.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Question<'a> {
    #[serde(borrow)]
    rrname: Option<Str<'a>>,
    rrname_truncated: bool,
    #[serde(borrow)]
    rrtype: Option<Str<'a>>,
}

/// The `grouped` object: type → data, in the order written.
#[derive(Debug, Default)]
struct Grouped<'a>(Vec<(Str<'a>, Vec<Data<'a>>)>);

impl<'de: 'a, 'a> Deserialize<'de> for Grouped<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Grouped<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of arrays")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = m.next_key::<Str<'a>>()? {
                    out.push((k, m.next_value()?));
                }
                Ok(Grouped(out))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// The `dns` object of every version: v1 records keep their record at this level.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Dns<'a> {
    version: Option<u64>,
    #[serde(borrow, rename = "type")]
    kind: Option<Str<'a>>,
    #[serde(borrow)]
    rcode: Option<Str<'a>>,
    #[serde(borrow)]
    queries: Vec<Question<'a>>,
    #[serde(borrow)]
    answers: Option<Vec<Rr<'a>>>,
    /// Read only when there is no `answers` array.
    #[serde(borrow)]
    grouped: Option<&'a RawValue>,
    #[serde(borrow)]
    authorities: Vec<Rr<'a>>,
    // v1/v2: the question (v2) or the record (v1) at the top level.
    #[serde(borrow)]
    rrname: Option<Str<'a>>,
    rrname_truncated: bool,
    #[serde(borrow)]
    rrtype: Option<Str<'a>>,
    ttl: Option<u64>,
    #[serde(borrow)]
    rdata: Option<Str<'a>>,
    rdata_truncated: bool,
    /// The `soa`, `srv` or `sshfp` object (a record has at most one), boxed to keep the
    /// record small.
    #[serde(borrow, rename = "soa", alias = "srv", alias = "sshfp")]
    obj: Option<Box<Fields<'a>>>,
}

/// One EVE event.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Event<'a> {
    #[serde(borrow)]
    timestamp: Option<Str<'a>>,
    #[serde(borrow)]
    event_type: Option<Str<'a>>,
    #[serde(borrow)]
    host: Data<'a>,
    #[serde(borrow)]
    dns: Option<Dns<'a>>,
}

// ---------------------------------------------------------------------------------------------
// Time.

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
}

/// `YYYY-MM-DDTHH:MM:SS[.f…][±HHMM|±HH:MM|Z]` as Suricata's `CreateIsoTimeString` writes it.
fn timestamp(s: &str, opts: &ParseOptions) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |a: usize, z: usize| b.get(a..z).and_then(digits);
    let mut at = 19;
    let mut ms = 0;
    if b.get(19) == Some(&b'.') {
        let n = b[20..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        ms = b[20..20 + n]
            .iter()
            .chain(std::iter::repeat(&b'0'))
            .take(3)
            .fold(0u32, |m, d| m * 10 + u32::from(d - b'0'));
        at = 20 + n;
    }
    let dt = chrono::NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?
        .and_hms_milli_opt(num(11, 13)?, num(14, 16)?, num(17, 19)?, ms)?;
    let zone = s.get(at..)?;
    let offset = match zone {
        "" => return opts.local_time(dt),
        "Z" | "z" => 0,
        z => parse_offset(z)?,
    };
    let utc = dt.and_utc().timestamp_millis() - i64::from(offset) * 1000;
    Some(Timestamp::from_millis(utc))
}

// ---------------------------------------------------------------------------------------------
// Names, types and record data in presentation form.

/// True for a string Suricata built from bytes that were not UTF-8: all ASCII, with `\xHH` for
/// each byte over 127 (`string_from_bytes` in `rust/src/jsonbuilder.rs`).
fn hex_escaped(s: &str) -> bool {
    s.is_ascii() && memchr::memmem::find(s.as_bytes(), b"\\x").is_some()
}

/// The byte at `\xHH` starting at `i`, if that is what stands there.
fn hex_byte(b: &[u8], i: usize) -> Option<u8> {
    if b.get(i) != Some(&b'\\') || b.get(i + 1) != Some(&b'x') {
        return None;
    }
    let h = |c: u8| (c as char).to_digit(16);
    let hi = h(*b.get(i + 2)?)?;
    let lo = h(*b.get(i + 3)?)?;
    Some((hi * 16 + lo) as u8)
}

/// The wire bytes behind one of Suricata's byte strings.
fn raw_bytes(s: &str) -> Cow<'_, [u8]> {
    if !hex_escaped(s) {
        return Cow::Borrowed(s.as_bytes());
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if let Some(x) = hex_byte(b, i) {
            out.push(x);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Cow::Owned(out)
}

/// A name as Suricata logs it, in presentation form for core: the root `""` is `.`; spaces,
/// control characters and bytes that were not UTF-8 become `\DDD`; a backslash becomes `\\`.
/// UTF-8 names are left for core to turn into A-labels.
fn name(s: &str) -> Cow<'_, str> {
    if s.is_empty() {
        return Cow::Borrowed(".");
    }
    if s.bytes().all(|b| b > b' ' && b != 0x7f && b != b'\\') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let dec = |out: &mut String, c: u8| {
        let _ = write!(out, "\\{c:03}");
    };
    if hex_escaped(s) {
        // All ASCII: bytes are characters.
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if let Some(x) = hex_byte(b, i) {
                dec(&mut out, x);
                i += 4;
                continue;
            }
            match b[i] {
                b'\\' => out.push_str("\\\\"),
                c @ (0..=0x20 | 0x7f) => dec(&mut out, c),
                c => out.push(c as char),
            }
            i += 1;
        }
    } else {
        for c in s.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\0'..=' ' | '\x7f' => dec(&mut out, c as u8),
                c => out.push(c),
            }
        }
    }
    Cow::Owned(out)
}

/// One TXT string in master-file form: quoted, `"` and `\` escaped, other bytes outside
/// printable ASCII as `\DDD` (as BIND prints them).
fn txt(s: &str) -> String {
    let raw = raw_bytes(s);
    let mut out = String::with_capacity(raw.len() + 2);
    out.push('"');
    for &c in raw.iter() {
        match c {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(c as char),
            _ => {
                let _ = write!(out, "\\{c:03}");
            }
        }
    }
    out.push('"');
    out
}

/// Opaque data (NULL) in the RFC 3597 generic form, `\# len hex`.
fn generic(s: &str) -> String {
    let raw = raw_bytes(s);
    let mut out = format!("\\# {}", raw.len());
    if !raw.is_empty() {
        out.push(' ');
        for c in raw.iter() {
            let _ = write!(out, "{c:02x}");
        }
    }
    out
}

/// A record type as Suricata names it: core's mnemonics and numbers, plus the obsolete types
/// Suricata names and core does not, and the misspellings of Suricata 4 and 5 (`ND`, `NSAPPT`,
/// `CDSNKEY`).
fn rrtype(s: &str) -> Option<RrType> {
    if let Ok(t) = s.parse::<RrType>() {
        return Some(t);
    }
    let n = match s.to_ascii_uppercase().as_str() {
        "MD" | "ND" => 3,
        "MF" => 4,
        "MB" => 7,
        "MG" => 8,
        "MR" => 9,
        "NULL" => 10,
        "WKS" => 11,
        "MINFO" => 14,
        "X25" => 19,
        "ISDN" => 20,
        "RT" => 21,
        "NSAP" => 22,
        "NSAPPTR" | "NSAPPT" => 23,
        "PX" => 26,
        "GPOS" => 27,
        "NXT" => 30,
        "ATMA" => 34,
        "A6" => 38,
        "CDSNKEY" => 60,
        "MAILB" => 253,
        "MAILA" => 254,
        _ => return None,
    };
    Some(RrType::from_u16(n))
}

/// NULL, which core knows only by number.
const NULL: RrType = RrType::Other(10);

/// Why a record could not be used: an error kind and a reason.
type Bad = (ErrorKind, String);

fn missing(what: &str, t: RrType) -> Bad {
    (ErrorKind::Rdata, format!("{t} data without {what}"))
}

/// The presentation text of a record's data, `None` when Suricata logged none (or marked a
/// name in it truncated).
fn rdata_text<'s>(
    t: RrType,
    rdata: Option<&'s str>,
    rdata_truncated: bool,
    obj: Option<&Fields<'_>>,
) -> Result<Option<Cow<'s, str>>, Bad> {
    if let Some(s) = rdata {
        if rdata_truncated {
            return Ok(None);
        }
        return Ok(Some(match t {
            RrType::TXT => Cow::Owned(txt(s)),
            NULL => Cow::Owned(generic(s)),
            RrType::CNAME | RrType::NS | RrType::PTR | RrType::MX | RrType::DNAME => name(s),
            _ => Cow::Borrowed(s),
        }));
    }
    let Some(f) = obj else {
        return Ok(None);
    };
    let num = |v: Option<u64>, what: &str| v.ok_or_else(|| missing(what, t));
    match t {
        RrType::SOA => {
            if f.mname_truncated || f.rname_truncated {
                return Ok(None);
            }
            let mname = f.mname.as_ref().ok_or_else(|| missing("mname", t))?;
            let rname = f.rname.as_ref().ok_or_else(|| missing("rname", t))?;
            Ok(Some(Cow::Owned(format!(
                "{} {} {} {} {} {} {}",
                name(&mname.0),
                name(&rname.0),
                num(f.serial, "serial")?,
                num(f.refresh, "refresh")?,
                num(f.retry, "retry")?,
                num(f.expire, "expire")?,
                num(f.minimum, "minimum")?,
            ))))
        }
        RrType::SRV => {
            let target = f
                .name
                .as_ref()
                .or(f.target.as_ref())
                .ok_or_else(|| missing("target", t))?;
            Ok(Some(Cow::Owned(format!(
                "{} {} {} {}",
                num(f.priority, "priority")?,
                num(f.weight, "weight")?,
                num(f.port, "port")?,
                name(&target.0),
            ))))
        }
        RrType::SSHFP => {
            let fp = f
                .fingerprint
                .as_ref()
                .ok_or_else(|| missing("fingerprint", t))?;
            let hex: String =
                fp.0.chars()
                    .filter(|c| *c != ':')
                    .map(|c| c.to_ascii_uppercase())
                    .collect();
            Ok(Some(Cow::Owned(format!(
                "{} {} {hex}",
                num(f.algo, "algo")?,
                num(f.fp_type, "type")?,
            ))))
        }
        _ => Ok(None),
    }
}

// ---------------------------------------------------------------------------------------------
// Building records.

/// The buffers names and data are normalised into when they are not normal as written.
#[derive(Default)]
struct Bufs {
    name: String,
    rdata: String,
}

/// What one event yields, with the first bad record and how many there were.
struct Yield<'o> {
    seen: Timestamp,
    sources: Sources,
    bufs: &'o mut Bufs,
    out: &'o mut dyn Emit,
    first_bad: Option<Bad>,
    bad: usize,
}

impl Yield<'_> {
    fn bad(&mut self, e: Bad) {
        self.bad += 1;
        if self.first_bad.is_none() {
            self.first_bad = Some(e);
        }
    }

    /// One association; true if it was yielded.
    fn association(&mut self, owner: &str, t: RrType, data: &str, ttl: Option<u64>) -> bool {
        let ttl = ttl.and_then(|t| u32::try_from(t).ok());
        let owner = name(owner);
        let Bufs {
            name: nb,
            rdata: rb,
        } = &mut *self.bufs;
        let view = normalize_name_in(&owner, nb).and_then(|rrname| {
            let rdata = normalize_rdata_in(t, data, rb)?;
            let mut a = AssociationView::one(rrname, t, rdata, self.seen, &self.sources);
            a.ttl = ttl;
            Ok(a)
        });
        match view {
            Ok(a) => {
                self.out.association(a);
                true
            }
            Err(e) => {
                let e = ParseError::from_core(0, e);
                self.bad((e.kind, e.reason.into_owned()));
                false
            }
        }
    }

    /// A detailed record; true if it yielded an association.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        owner: Option<&Str<'_>>,
        owner_truncated: bool,
        rtype: Option<&Str<'_>>,
        ttl: Option<u64>,
        rdata: Option<&Str<'_>>,
        rdata_truncated: bool,
        obj: Option<&Fields<'_>>,
    ) -> bool {
        let (Some(owner), Some(rtype)) = (owner, rtype) else {
            self.bad((ErrorKind::Json, "record without rrname or rrtype".into()));
            return false;
        };
        if owner_truncated {
            return false;
        }
        let Some(t) = rrtype(&rtype.0) else {
            self.bad((ErrorKind::RrType, format!("unknown type {:?}", rtype.0)));
            return false;
        };
        match rdata_text(t, rdata.map(|s| &*s.0), rdata_truncated, obj) {
            Ok(Some(data)) => self.association(&owner.0, t, &data, ttl),
            Ok(None) => false,
            Err(e) => {
                self.bad(e);
                false
            }
        }
    }

    fn rr(&mut self, rr: &Rr<'_>) -> bool {
        self.record(
            rr.rrname.as_ref(),
            rr.rrname_truncated,
            rr.rrtype.as_ref(),
            rr.ttl,
            rr.rdata.as_ref(),
            rr.rdata_truncated,
            rr.obj.as_deref(),
        )
    }

    /// A name sighting of a question.
    fn sighting(&mut self, qname: &str, qtype: Option<&str>) {
        let t = qtype.and_then(rrtype);
        if t.is_some_and(RrType::is_transaction_security) {
            return;
        }
        let qname = name(qname);
        match normalize_name_in(&qname, &mut self.bufs.name) {
            Ok(rrname) => self
                .out
                .name(NameView::one(rrname, t, self.seen, &self.sources)),
            Err(e) => {
                let e = ParseError::from_core(0, e);
                self.bad((e.kind, e.reason.into_owned()));
            }
        }
    }

    /// The grouped answers of a response to `q`; true if they yielded an association.
    fn grouped(&mut self, q: &str, g: &Grouped<'_>) -> bool {
        let mut targets: Vec<&str> = Vec::new();
        for (k, vals) in &g.0 {
            if rrtype(&k.0) != Some(RrType::CNAME) {
                continue;
            }
            for v in vals {
                if let Data::Str(t) = v {
                    if !targets.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                        targets.push(&**t);
                    }
                }
            }
        }
        let owner = match targets.as_slice() {
            [] => q,
            [t] => {
                let data = name(t);
                if !self.association(q, RrType::CNAME, &data, None) {
                    return false;
                }
                *t
            }
            // A chain of two or more: no owner is certain.
            _ => return false,
        };
        let mut any = !targets.is_empty();
        for (k, vals) in &g.0 {
            let Some(t) = rrtype(&k.0) else {
                self.bad((ErrorKind::RrType, format!("unknown type {:?}", k.0)));
                continue;
            };
            if t == RrType::CNAME {
                continue;
            }
            for v in vals {
                let data = match v {
                    Data::Str(s) => rdata_text(t, Some(&**s), false, None),
                    Data::Obj(f) => rdata_text(t, None, false, Some(f)),
                    Data::Other => Ok(None),
                };
                match data {
                    Ok(Some(d)) => any |= self.association(owner, t, &d, None),
                    Ok(None) => {}
                    Err(e) => self.bad(e),
                }
            }
        }
        any
    }
}

impl Parser {
    fn event(&mut self, ev: Event<'_>, n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        if ev.event_type.as_ref().map(|s| &*s.0) != Some("dns") {
            // The pre-check matched something nested; the event is another type.
            return Ok(Outcome::Skipped);
        }
        let dns = ev
            .dns
            .ok_or_else(|| ParseError::new(n, ErrorKind::Json, "dns event without a dns object"))?;
        let ts = ev
            .timestamp
            .ok_or_else(|| ParseError::new(n, ErrorKind::Timestamp, "no timestamp"))?;
        let seen = timestamp(&ts.0, &self.opts).ok_or_else(|| {
            ParseError::new(n, ErrorKind::Timestamp, format!("cannot read {:?}", ts.0))
        })?;
        let qname = match dns.queries.first() {
            Some(q) => q.rrname.as_ref(),
            None => dns.rrname.as_ref(),
        };
        if qname.is_some_and(|q| is_chaos(&q.0)) {
            return Ok(Outcome::Skipped);
        }
        let host = match &ev.host {
            Data::Str(h) => Some(&**h),
            _ => None,
        };
        let sources = Sources::one(self.tags.tag(host));
        let mut y = Yield {
            seen,
            sources,
            bufs: &mut self.bufs,
            out,
            first_bad: None,
            bad: 0,
        };
        let outcome = match dns.kind.as_ref().map(|s| &*s.0) {
            Some("query" | "request") => {
                questions(&dns, &mut y);
                Outcome::NoAnswer
            }
            Some("answer" | "response") => response(&dns, &mut y),
            Some(other) => {
                return Err(ParseError::new(
                    n,
                    ErrorKind::Json,
                    format!("unknown dns event type {other:?}"),
                ))
            }
            None => {
                return Err(ParseError::new(
                    n,
                    ErrorKind::Json,
                    "dns event without a type",
                ))
            }
        };
        match y.first_bad {
            None => Ok(outcome),
            Some((kind, why)) if y.bad == 1 => Err(ParseError::new(n, kind, why)),
            Some((kind, why)) => Err(ParseError::new(
                n,
                kind,
                format!("{why} (and {} more bad records in the event)", y.bad - 1),
            )),
        }
    }
}

/// Sightings of an event's questions: v3 `queries`, else the v1/v2 top-level name.
fn questions(dns: &Dns<'_>, y: &mut Yield<'_>) {
    if dns.queries.is_empty() {
        if let Some(q) = &dns.rrname {
            if !dns.rrname_truncated {
                y.sighting(&q.0, dns.rrtype.as_ref().map(|s| &*s.0));
            }
        }
        return;
    }
    for q in &dns.queries {
        if let (Some(qname), false) = (&q.rrname, q.rrname_truncated) {
            y.sighting(&qname.0, q.rrtype.as_ref().map(|s| &*s.0));
        }
    }
}

/// A response (v2/v3) or a v1 answer record or failure.
fn response(dns: &Dns<'_>, y: &mut Yield<'_>) -> Outcome {
    let v1 = dns.version.is_none_or(|v| v < 2)
        && dns.answers.is_none()
        && dns.grouped.is_none()
        && dns.queries.is_empty();
    if v1 {
        if dns.rrtype.is_none() {
            // A failed response: the question's name and the rcode.
            if let (Some(q), false) = (&dns.rrname, dns.rrname_truncated) {
                y.sighting(&q.0, None);
            }
            return Outcome::NoAnswer;
        }
        let obj = dns.obj.as_deref();
        let has_data = dns.rdata.is_some() || obj.is_some();
        if y.record(
            dns.rrname.as_ref(),
            dns.rrname_truncated,
            dns.rrtype.as_ref(),
            dns.ttl,
            dns.rdata.as_ref(),
            dns.rdata_truncated,
            obj,
        ) {
            return Outcome::Answer;
        }
        if !has_data {
            questions(dns, y);
        }
        return Outcome::NoAnswer;
    }
    let mut answered = false;
    if let Some(answers) = &dns.answers {
        for rr in answers {
            answered |= y.rr(rr);
        }
    } else if let Some(g) = &dns.grouped {
        let q = match dns.queries.first() {
            Some(q) => q.rrname.as_ref().filter(|_| !q.rrname_truncated),
            None => dns.rrname.as_ref().filter(|_| !dns.rrname_truncated),
        };
        if let Some(q) = q {
            match serde_json::from_str::<Grouped<'_>>(g.get()) {
                Ok(g) => answered = y.grouped(&q.0, &g),
                Err(e) => y.bad((ErrorKind::Json, format!("grouped: {e}"))),
            }
        }
    }
    for rr in &dns.authorities {
        y.rr(rr);
    }
    if answered {
        Outcome::Answer
    } else {
        questions(dns, y);
        Outcome::NoAnswer
    }
}

// ---------------------------------------------------------------------------------------------
// The fast path. About half of a DNS event's bytes are the common header (flow id, addresses,
// ports, community id) that is never used; building it with serde only to drop it costs more
// than all the rest. `walk` steps over the top-level members with byte searches, reads the
// few it needs, and hands the `dns` object to serde where it stands.

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
        i += 1;
    }
    i
}

/// The index of the quote closing the string whose opening quote is at `i`, and whether the
/// string holds escapes. A plain loop: EVE strings are short, shorter than a vector search
/// takes to start.
fn string_end(b: &[u8], i: usize) -> Option<(usize, bool)> {
    let mut j = i + 1;
    let mut escaped = false;
    loop {
        match *b.get(j)? {
            b'"' => return Some((j, escaped)),
            b'\\' => {
                escaped = true;
                j += 2;
            }
            _ => j += 1,
        }
    }
}

/// The index just past the JSON value starting at `i` (checked only as far as its nesting).
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => string_end(b, i).map(|(e, _)| e + 1),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => j = string_end(b, j)?.0,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let n = b[i..]
                .iter()
                .take_while(|c| !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n'))
                .count();
            (n > 0).then_some(i + n)
        }
    }
}

/// The string value at `i` (borrowed unless it has escapes) and the index past it.
fn string_at(json: &str, i: usize) -> Option<(Str<'_>, usize)> {
    let b = json.as_bytes();
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let (e, escaped) = string_end(b, i)?;
    let s = if escaped {
        serde_json::from_str::<Str<'_>>(json.get(i..=e)?).ok()?
    } else {
        Str(Cow::Borrowed(json.get(i + 1..e)?))
    };
    Some((s, e + 1))
}

/// Reads an event's top-level members without building the ones it does not use; `None` for
/// anything unexpected, which the full parse then reads or reports.
fn walk(json: &str) -> Option<Event<'_>> {
    let b = json.as_bytes();
    let mut ev = Event::default();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return None;
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let (end, escaped) = string_end(b, i)?;
        // A key with escapes is none of those read here.
        let key = if escaped { "" } else { json.get(i + 1..end)? };
        i = skip_ws(b, end + 1);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        match key {
            "dns" => {
                let mut de =
                    serde_json::Deserializer::from_str(json.get(i..)?).into_iter::<Dns<'_>>();
                ev.dns = Some(de.next()?.ok()?);
                i += de.byte_offset();
            }
            "timestamp" => {
                let (v, next) = string_at(json, i)?;
                ev.timestamp = Some(v);
                i = next;
            }
            "event_type" => {
                let (v, next) = string_at(json, i)?;
                ev.event_type = Some(v);
                i = next;
            }
            "host" if b.get(i) == Some(&b'"') => {
                let (v, next) = string_at(json, i)?;
                ev.host = Data::Str(v.0);
                i = next;
            }
            _ => i = skip_value(b, i)?,
        }
        i = skip_ws(b, i);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            b'}' => break,
            _ => return None,
        }
    }
    (skip_ws(b, i + 1) == b.len()).then_some(ev)
}

impl FormatParser for Parser {
    fn line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        match kind(line, &self.dns_event, &self.event_key) {
            Kind::Dns => {}
            Kind::Other => return Ok(Outcome::Skipped),
            Kind::NotEve => {
                return if trim_ws(line).is_empty() {
                    Ok(Outcome::Skipped)
                } else {
                    Err(ParseError::new(
                        n,
                        ErrorKind::Syntax,
                        "not an EVE event: no event_type",
                    ))
                };
            }
        }
        let line = text(line);
        // Anything before the object is eve-log's `prefix` or a syslog header.
        let json = line
            .find('{')
            .and_then(|at| line.get(at..))
            .unwrap_or(&*line);
        let json = json.trim_end();
        let ev = match walk(json) {
            Some(ev) => ev,
            // Whatever the walk could not read, serde reads or explains.
            None => serde_json::from_str(json).map_err(|e| ParseError::from_json_line(n, &e))?,
        };
        self.event(ev, n, out)
    }
}

/// Certain when each of the first lines is an EVE event (a JSON object with `timestamp` and
/// `event_type`) and a `dns` event is among the sample's lines; less sure of an EVE file
/// whose sample holds no `dns` event, since no other format reads EVE.
pub fn sniff(sample: &str) -> u8 {
    let mut lines = 0;
    for l in crate::format::first_lines(sample, 10) {
        let Some(at) = l.find('{') else {
            return 0;
        };
        let j = &l[at..];
        if !(j.contains("\"timestamp\"") && j.contains("\"event_type\"")) {
            return 0;
        }
        lines += 1;
    }
    if lines == 0 {
        return 0;
    }
    let dns_event = Finder::new(DNS_EVENT);
    let event_key = Finder::new(EVENT_KEY);
    let opts = ParseOptions::default();
    let dns = sample.lines().any(|l| {
        kind(l.as_bytes(), &dns_event, &event_key) == Kind::Dns
            && l.find('{').is_some_and(|at| {
                serde_json::from_str::<Event<'_>>(l[at..].trim_end()).is_ok_and(|e| {
                    e.dns.is_some()
                        && e.timestamp
                            .is_some_and(|t| timestamp(&t.0, &opts).is_some())
                })
            })
    });
    if dns {
        95
    } else {
        60
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;
    use crate::{parse_str, parse_str_with, Format, Stats};

    fn run(input: &str) -> (Vec<Record>, Stats) {
        parse_str(Format::Suricata, input)
    }

    fn assocs(input: &str) -> Vec<(String, String, String, Option<u32>)> {
        run(input)
            .0
            .into_iter()
            .filter_map(|r| match r {
                Record::Association(a) => Some((a.rrname, a.rrtype.to_string(), a.rdata, a.ttl)),
                Record::Name(_) => None,
            })
            .collect()
    }

    fn names(input: &str) -> Vec<(String, Option<String>)> {
        run(input)
            .0
            .into_iter()
            .filter_map(|r| match r {
                Record::Name(n) => Some((n.rrname, n.rrtype.map(|t| t.to_string()))),
                Record::Association(_) => None,
            })
            .collect()
    }

    fn a(n: &str, t: &str, d: &str, ttl: Option<u32>) -> (String, String, String, Option<u32>) {
        (n.into(), t.into(), d.into(), ttl)
    }

    const HEAD: &str = r#"{"timestamp":"2026-11-29T19:25:11.368123+0100","flow_id":1,"event_type":"dns","src_ip":"127.0.0.1","src_port":53,"dest_ip":"127.0.0.1","dest_port":5300,"proto":"UDP","dns":"#;

    fn ev(dns: &str) -> String {
        let dns = dns.replace('\n', "");
        format!("{HEAD}{dns}}}\n")
    }

    #[test]
    fn time_with_offset_is_utc() {
        let o = ParseOptions::default();
        let t = timestamp("2026-11-29T19:25:11.368123+0100", &o).unwrap();
        assert_eq!(t.millis(), 1_795_976_711_368);
        assert_eq!(timestamp("2026-11-29T18:25:11.368+00:00", &o), Some(t));
        assert_eq!(timestamp("2026-11-29T18:25:11.368Z", &o), Some(t));
        assert_eq!(timestamp("2026-11-29T13:25:11.3681-0500", &o), Some(t));
        // No offset: the operator's zone.
        let o = ParseOptions {
            timezone: "+01:00".parse().unwrap(),
            ..Default::default()
        };
        assert_eq!(timestamp("2026-11-29T19:25:11.368123", &o), Some(t));
        for bad in [
            "2026-11-29",
            "2026-13-29T19:25:11",
            "2026-11-29T19:25:11.",
            "2026-11-29T19:25:11+99",
        ] {
            assert_eq!(timestamp(bad, &o), None, "{bad}");
        }
    }

    #[test]
    fn v1_one_event_per_record() {
        let input = ev(
            r#"{"type":"answer","id":28329,"flags":"8180","qr":true,"rd":true,"ra":true,"rcode":"NOERROR","rrname":"www.yahoo.com","rrtype":"CNAME","ttl":1315,"rdata":"atsv2-fp-shed.wg1.b.yahoo.com"}"#,
        ) + &ev(
            r#"{"type":"answer","id":7050,"flags":"8180","rcode":"NOERROR","rrname":"x.yahoo.com","rrtype":"AAAA","ttl":53,"rdata":"2001:4998:0058:1836:0000:0000:0000:0010"}"#,
        );
        assert_eq!(
            assocs(&input),
            vec![
                a(
                    "www.yahoo.com",
                    "CNAME",
                    "atsv2-fp-shed.wg1.b.yahoo.com",
                    Some(1315)
                ),
                a("x.yahoo.com", "AAAA", "2001:4998:58:1836::10", Some(53)),
            ]
        );
        let (_, s) = run(&input);
        assert_eq!((s.associations, s.no_answer, s.names), (2, 0, 0));
    }

    #[test]
    fn v1_failure_and_dataless_records_are_sightings() {
        let input = ev(r#"{"type":"answer","id":1,"rcode":"NXDOMAIN","rrname":"nope.example"}"#)
            + &ev(
                r#"{"type":"answer","id":2,"flags":"8180","rcode":"NOERROR","rrname":"example.com","rrtype":"SOA","ttl":60}"#,
            )
            + &ev(r#"{"type":"query","id":3,"rrname":"q.example","rrtype":"A","tx_id":0}"#);
        assert_eq!(
            names(&input),
            vec![
                ("nope.example".into(), None),
                ("example.com".into(), Some("SOA".into())),
                ("q.example".into(), Some("A".into())),
            ]
        );
        let (_, s) = run(&input);
        assert_eq!((s.no_answer, s.errors.len()), (3, 0));
    }

    #[test]
    fn v2_detailed_wins_over_grouped() {
        let input = ev(
            r#"{"version":2,"type":"answer","id":60273,"flags":"8180","qr":true,"rcode":"NOERROR","rrname":"www.elastic.co","rrtype":"A","answers":[{"rrname":"www.elastic.co","rrtype":"CNAME","ttl":270,"rdata":"dualstack.r2.shared.global.fastly.net"},{"rrname":"dualstack.r2.shared.global.fastly.net","rrtype":"A","ttl":29,"rdata":"151.101.130.217"}],"grouped":{"A":["151.101.130.217"],"CNAME":["dualstack.r2.shared.global.fastly.net"]}}"#,
        );
        assert_eq!(
            assocs(&input),
            vec![
                a(
                    "www.elastic.co",
                    "CNAME",
                    "dualstack.r2.shared.global.fastly.net",
                    Some(270)
                ),
                a(
                    "dualstack.r2.shared.global.fastly.net",
                    "A",
                    "151.101.130.217",
                    Some(29)
                ),
            ]
        );
    }

    #[test]
    fn grouped_owners_where_certain() {
        // No CNAME: the question's.
        let g0 = ev(
            r#"{"version":2,"type":"answer","id":1,"rcode":"NOERROR","rrname":"Corp.Test","rrtype":"MX","grouped":{"MX":["mail.corp.test"],"A":["127.0.0.1"]}}"#,
        );
        assert_eq!(
            assocs(&g0),
            vec![
                a("corp.test", "MX", "mail.corp.test", None),
                a("corp.test", "A", "127.0.0.1", None),
            ]
        );
        // One CNAME: the target's.
        let g1 = ev(
            r#"{"version":2,"type":"answer","id":1,"rcode":"NOERROR","rrname":"www.corp.test","rrtype":"A","grouped":{"A":["127.0.0.2","127.0.0.3"],"CNAME":["web.corp.test"]}}"#,
        );
        assert_eq!(
            assocs(&g1),
            vec![
                a("www.corp.test", "CNAME", "web.corp.test", None),
                a("web.corp.test", "A", "127.0.0.2", None),
                a("web.corp.test", "A", "127.0.0.3", None),
            ]
        );
        // Two CNAMEs: nothing certain but the question.
        let g2 = ev(
            r#"{"version":3,"type":"response","id":1,"rcode":"NOERROR","queries":[{"rrname":"a.test","rrtype":"A"}],"grouped":{"A":["127.0.0.2"],"CNAME":["b.test","c.test"]}}"#,
        );
        assert!(assocs(&g2).is_empty());
        assert_eq!(names(&g2), vec![("a.test".into(), Some("A".into()))]);
    }

    #[test]
    fn v3_negative_response_gives_sighting_and_authority_soa() {
        let input = ev(
            r#"{"version":3,"type":"response","tx_id":1,"id":9,"flags":"8183","qr":true,"aa":true,"opcode":0,"rcode":"NXDOMAIN","queries":[{"rrname":"nonexistent.corp.test","rrtype":"A"}],"authorities":[{"rrname":"corp.test","rrtype":"SOA","ttl":300,"soa":{"mname":"ns1.corp.test","rname":"hostmaster.corp.test","serial":2024060101,"refresh":3600,"retry":600,"expire":86400,"minimum":300}}],"additionals":[{"rrname":"","rrtype":"OPT","ttl":32768,"opt":[]},{"rrname":"glue.test","rrtype":"A","ttl":1,"rdata":"127.0.0.9"}]}"#,
        );
        assert_eq!(
            assocs(&input),
            vec![a(
                "corp.test",
                "SOA",
                "ns1.corp.test hostmaster.corp.test 2024060101 3600 600 86400 300",
                Some(300)
            )]
        );
        assert_eq!(
            names(&input),
            vec![("nonexistent.corp.test".into(), Some("A".into()))]
        );
        assert_eq!(run(&input).1.no_answer, 1);
    }

    #[test]
    fn v3_request_queries_are_sightings() {
        let input = ev(
            r#"{"version":3,"type":"request","tx_id":0,"id":45091,"flags":"0","opcode":0,"rcode":"NOERROR","queries":[{"rrname":"","rrtype":"NS"},{"rrname":"b.test","rrtype":"TYPE65280"}]}"#,
        );
        assert_eq!(
            names(&input),
            vec![
                (".".into(), Some("NS".into())),
                ("b.test".into(), Some("TYPE65280".into()))
            ]
        );
    }

    #[test]
    fn rdata_forms() {
        let input = ev(
            r#"{"version":2,"type":"answer","id":1,"rcode":"NOERROR","rrname":"x","rrtype":"ANY","answers":[
            {"rrname":"_sip._udp.corp.test","rrtype":"SRV","ttl":1,"srv":{"priority":10,"weight":60,"port":5060,"name":"SIP.corp.test"}},
            {"rrname":"h.test","rrtype":"SSHFP","ttl":2,"sshfp":{"fingerprint":"19:8c:34:a9","algo":1,"type":1}},
            {"rrname":"t.test","rrtype":"TXT","ttl":3,"rdata":"say \"hi\"\\ \u0001é"},
            {"rrname":"n.test","rrtype":"NULL","ttl":4,"rdata":"VACKD\u0003\\xc5\\xe9\u0001"},
            {"rrname":"m.test","rrtype":"MX","ttl":5,"rdata":""},
            {"rrname":"My Printer._ipp._tcp.local","rrtype":"PTR","ttl":6,"rdata":"a\\xffb.local"},
            {"rrname":"k.test","rrtype":"DNSKEY","ttl":7},
            {"rrname":"u.test","rrtype":"65534","ttl":8}]}"#,
        );
        assert_eq!(
            assocs(&input),
            vec![
                a(
                    "_sip._udp.corp.test",
                    "SRV",
                    "10 60 5060 sip.corp.test",
                    Some(1)
                ),
                a("h.test", "SSHFP", "1 1 198C34A9", Some(2)),
                a("t.test", "TXT", r#""say \"hi\"\\ \001\195\169""#, Some(3)),
                a("n.test", "TYPE10", r"\# 9 5641434b4403c5e901", Some(4)),
                a("m.test", "MX", ".", Some(5)),
                a(
                    "my\\032printer._ipp._tcp.local",
                    "PTR",
                    "a\\255b.local",
                    Some(6)
                ),
            ]
        );
    }

    #[test]
    fn chaos_identity_queries_are_skipped() {
        let input = ev(
            r#"{"version":2,"type":"answer","id":1,"rcode":"NOERROR","rrname":"version.bind","rrtype":"TXT","answers":[{"rrname":"version.bind","rrtype":"TXT","ttl":0,"rdata":"9.18"}],"authorities":[{"rrname":"version.bind","rrtype":"NS","ttl":0,"rdata":"version.bind"}]}"#,
        ) + &ev(
            r#"{"version":3,"type":"request","id":1,"rcode":"NOERROR","queries":[{"rrname":"id.server","rrtype":"TXT"}]}"#,
        );
        let (r, s) = run(&input);
        assert!(r.is_empty());
        assert_eq!(s.skipped, 2);
    }

    #[test]
    fn suricata_type_names() {
        assert_eq!(rrtype("NSAPPT"), Some(RrType::from_u16(23)));
        assert_eq!(rrtype("CDSNKEY"), Some(RrType::CDNSKEY));
        assert_eq!(rrtype("ND"), Some(RrType::from_u16(3)));
        assert_eq!(rrtype("65534"), Some(RrType::from_u16(65534)));
        assert_eq!(rrtype("BOGUS"), None);
    }

    #[test]
    fn other_events_skipped_and_bad_lines_typed() {
        let input = String::new()
            + "{\"timestamp\":\"2026-11-29T19:25:11.368123+0100\",\"event_type\":\"flow\",\"flow\":{}}\n"
            + "{\"timestamp\":\"2026-11-29T19:25:11.368123+0100\",\"event_type\":\"alert\",\"dns\":{\"query\":[{\"type\":\"query\",\"rrname\":\"x.test\"}]}}\n"
            + "{\"timestamp\":\"2026-11-29T19:25:11.368123+0100\",\"event_type\":\"stats\",\"stats\":{\"dns\":{\"event_type\":\"dns\"}}}\n"
            + "\n"
            + "garbage\n"
            + "{\"timestamp\":\"2026-11-29T19:25:11\",\"event_type\":\"dns\",\"dns\":{\"type\":\"query\"\n"
            + "{\"timestamp\":\"yesterday\",\"event_type\":\"dns\",\"dns\":{\"type\":\"query\",\"rrname\":\"a.test\"}}\n"
            + &ev(r#"{"version":2,"type":"answer","rcode":"NOERROR","rrname":"a.test","answers":[{"rrname":"a.test","rrtype":"A","ttl":1,"rdata":"300.1.1.1"},{"rrname":"a.test","rrtype":"A","ttl":1,"rdata":"1.1.1.1"},{"rrname":"a..test","rrtype":"A","ttl":1,"rdata":"1.1.1.2"}]}"#);
        let (r, s) = run(&input);
        assert_eq!(s.skipped, 4, "{s:?}");
        assert_eq!(s.errors["syntax"], 1);
        // The event cut short inside its object (a syslog relay's limit).
        assert_eq!(s.errors["truncated"], 1);
        assert_eq!(s.errors["timestamp"], 1);
        assert_eq!(s.errors["rdata"], 1, "{:?}", s.error_samples);
        assert_eq!(s.associations, 1);
        assert!(s.error_samples[3].error.reason.contains("1 more"));
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn spaced_json_and_prefix_and_host_sensor() {
        let line = "@cee: { \"timestamp\" : \"2026-11-29T19:25:11.368123+0100\", \"event_type\" : \"dns\", \"dns\" : {\"type\":\"query\",\"rrname\":\"a.test\",\"rrtype\":\"A\"}, \"host\": \"sensor-7\" }\n";
        let (r, _) = run(line);
        let Record::Name(n) = &r[0] else { panic!() };
        assert_eq!(
            n.sources.iter().next().unwrap().sensor.as_deref(),
            Some("sensor-7")
        );
        let opts = ParseOptions {
            sensor: Some("op".into()),
            ..Default::default()
        };
        let (r, _) = parse_str_with(Format::Suricata, line, &opts);
        let Record::Name(n) = &r[0] else { panic!() };
        assert_eq!(
            n.sources.iter().next().unwrap().sensor.as_deref(),
            Some("op")
        );
    }

    #[test]
    fn fast_walk_reads_what_serde_reads() {
        let lines = [
            HEAD.to_string() + r#"{"type":"query","rrname":"a.test","rrtype":"A"},"host":"s\u0031","pcap_filename":"x.pcap"}"#,
            r#"{"timestamp":"2026-11-29T19:25:11.368123+0100","ether":{"src_mac":"00:11"},"vlan":[1,[2]],"metadata":{"flowbits":["a\"}b",{"c":"]"}]},"event_type":"dns","flow_id":-1.5e3,"ok":true,"n":null,"dns":{"version":3,"type":"response","rcode":"NOERROR","queries":[{"rrname":"a.test","rrtype":"A"}],"grouped":{"A":["127.0.0.1"]}},"host":{"name":"h"}}"#.to_string(),
            " { \"event_type\" : \"dns\" , \"dns\" : { \"type\" : \"query\" } , \"timestamp\" : \"2026-11-29T19:25:11Z\" } ".to_string(),
        ];
        for l in &lines {
            let fast = walk(l.trim_end()).unwrap_or_else(|| panic!("no walk: {l}"));
            let full: Event<'_> = serde_json::from_str(l).unwrap();
            let view = |e: &Event<'_>| {
                let host = match &e.host {
                    Data::Str(h) => Some(h.to_string()),
                    _ => None,
                };
                format!("{:?} {:?} {host:?} {:?}", e.timestamp, e.event_type, e.dns)
            };
            assert_eq!(view(&fast), view(&full));
        }
        // Not one object: left to serde, which says why.
        for bad in [
            r#"{"event_type":"dns","dns":{"type":"query"}} x"#,
            r#"{"event_type":"dns","dns":{"type":"query"}"#,
            r#"{"event_type":"dns",}"#,
        ] {
            assert!(walk(bad).is_none(), "{bad}");
            assert!(serde_json::from_str::<Event<'_>>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sniffs_eve_only() {
        let dns = ev(r#"{"type":"query","id":1,"rrname":"a.test","rrtype":"A"}"#);
        assert_eq!(sniff(&dns), 95);
        assert_eq!(
            sniff("{\"timestamp\":\"2026-11-29T19:25:11.368123+0100\",\"event_type\":\"flow\"}\n"),
            60
        );
        assert_eq!(sniff("{\"query\":\"a\"}\n"), 0);
        assert_eq!(sniff(""), 0);
    }
}

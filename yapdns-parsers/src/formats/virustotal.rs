//! VirusTotal passive DNS resolutions: which host name resolved to which address, and when,
//! as VirusTotal's API answers them. A whole-document format: one saved response, or several
//! pages of one saved one after the other.
//!
//! Grammar (JSON; members not shown are skipped unread — `meta`, `links`, the
//! `*_last_analysis_stats`, everything else of a v2 report):
//!
//! ```text
//! input      = 1*document                     ; pages concatenated, whitespace between
//! document   = { "data": resolution / [ *resolution ], … }       ; API v3
//!            / { "error": { "code": text, "message": text } }    ; API v3 error
//!            / [ *resolution ]                ; a list of objects (vt-py, vt-cli --format json)
//!            / resolution
//!            / { "resolutions": [ *v2-resolution ], "response_code": n, … } ; API v2 report
//!            / { "VirusTotal": { "PassiveDNS": resolution / [ *resolution ] } } ; XSOAR context
//! resolution = { "type": "resolution", "id": ip-and-name,
//!                "attributes": { "date": epoch-seconds, "host_name": name,
//!                                "ip_address": address, "resolver": text, … } }
//!            / { "_type": "resolution", "_id": …, "date": …, "host_name": …,
//!                "ip_address": …, "resolver": … }             ; vt-cli's flattened object
//! v2-resolution = { "last_resolved": "YYYY-MM-DD HH:MM:SS", "ip_address": address }  ; domain report
//!               / { "last_resolved": "YYYY-MM-DD HH:MM:SS", "hostname": name }       ; IP report
//! ```
//!
//! API v3 (`GET /api/v3/domains/{domain}/resolutions`, `/api/v3/ip_addresses/{ip}/resolutions`,
//! `/api/v3/resolutions/{id}`) yields one association per resolution: `host_name` A (or AAAA,
//! by the address' family) `ip_address`, first and last seen at `date`, count 1 — VirusTotal
//! says when the resolution was made, not how often.
//!
//! Cortex XSOAR's VirusTotal integration keeps the same resolutions in its context
//! (`VirusTotal.PassiveDNS`, what `!vt-passive-dns-data` returns); a saved context is read
//! like a response.
//!
//! API v2 reports (`/vtapi/v2/domain/report`, `/vtapi/v2/ip-address/report`) cannot be
//! imported: their `resolutions` list names only the other side of each resolution, and the
//! report does not name the domain or address it answers for (that was the request's
//! parameter). Such a document is reported as one `json` error that says how many
//! resolutions it holds; fetch the v3 resolutions instead.
//!
//! Time: `date` is UTC epoch seconds (a `YYYY-MM-DD HH:MM:SS` string, as vt-cli can print it,
//! is read as UTC too): VirusTotal keeps UTC, so [`ParseOptions::timezone`] does not apply.
//!
//! Sensor: [`ParseOptions::sensor`] wins; without one, the resolution's `resolver` (the
//! source VirusTotal names for it) is the sensor.
//!
//! Errors: a bad resolution (no name or address, an unreadable date) is skipped and the rest
//! is still yielded; each bad resolution is reported and counted, at its line.
//! An API error object is reported with its code and message. What it cannot yield: the
//! domain report's `last_dns_records` (VirusTotal's own lookup, not a resolution list) and
//! relationship descriptors (`{"type":"resolution","id":…}` without attributes, which carry no
//! date).

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use yapdns_core::{Association, JsonLex, RrType, SourceTag, Timestamp};

use crate::error::{ErrorKind, ParseError};
use crate::formats::cuckoo::{has_key, json_object, offset_of, Errors, List, Scalar};
use crate::formats::FormatParser;
use crate::options::ParseOptions;
use crate::record::{Emit, Outcome, Record};

/// The format's name in `sources`.
const NAME: &str = "virustotal";

/// Parser state: the sensor option and the source tags built so far.
pub struct Parser {
    sensor: Option<String>,
    source: SourceTag,
    resolver_tag: Option<(String, SourceTag)>,
    /// The bad items of the last document after the first, for `more_errors`.
    more: Vec<ParseError>,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`, or else with each resolution's
    /// `resolver`.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            sensor: opts.sensor.clone(),
            source: SourceTag::new(NAME, opts.sensor.as_deref()),
            resolver_tag: None,
            more: Vec::new(),
        }
    }

    fn tag(&mut self, resolver: Option<&str>) -> SourceTag {
        match resolver {
            Some(r) if self.sensor.is_none() && !r.is_empty() => match &self.resolver_tag {
                Some((name, tag)) if name == r => tag.clone(),
                _ => {
                    let tag = SourceTag::new(NAME, Some(r));
                    self.resolver_tag = Some((r.to_string(), tag.clone()));
                    tag
                }
            },
            _ => self.source.clone(),
        }
    }
}

json_object!(
    /// A top-level object: a v3 response, a v2 report, or one resolution.
    Doc {
        data: Data<'a> = "data",
        error: ApiError<'a> = "error",
        resolutions: List<V2Resolution<'a>> = "resolutions",
        kind: Scalar<'a> = "type",
        attributes: Attributes<'a> = "attributes",
        flat_kind: Scalar<'a> = "_type",
        date: Scalar<'a> = "date",
        host_name: Scalar<'a> = "host_name",
        ip_address: Scalar<'a> = "ip_address",
        resolver: Scalar<'a> = "resolver",
        xsoar: Xsoar<'a> = "VirusTotal",
    }
);

json_object!(
    /// The context Cortex XSOAR's VirusTotal integration keeps (`!vt-passive-dns-data`), in
    /// which the API's resolutions are kept as they came.
    Xsoar {
        passive_dns: Data<'a> = "PassiveDNS",
    }
);

json_object!(
    /// A v3 object (or vt-cli's flattened one).
    Object {
        kind: Scalar<'a> = "type",
        attributes: Attributes<'a> = "attributes",
        flat_kind: Scalar<'a> = "_type",
        date: Scalar<'a> = "date",
        host_name: Scalar<'a> = "host_name",
        ip_address: Scalar<'a> = "ip_address",
        resolver: Scalar<'a> = "resolver",
    }
);

json_object!(
    /// A resolution's `attributes`.
    Attributes {
        date: Scalar<'a> = "date",
        host_name: Scalar<'a> = "host_name",
        ip_address: Scalar<'a> = "ip_address",
        resolver: Scalar<'a> = "resolver",
    }
);

json_object!(
    /// v3 `error`.
    ApiError {
        code: Scalar<'a> = "code",
        message: Scalar<'a> = "message",
    }
);

json_object!(
    /// One entry of a v2 report's `resolutions`.
    V2Resolution {
        last_resolved: Scalar<'a> = "last_resolved",
    }
);

/// `data`: one object or a list of them.
#[derive(Debug, Default)]
pub(crate) enum Data<'a> {
    #[default]
    Absent,
    One(Box<Object<'a>>),
    Many(Vec<Object<'a>>),
    Invalid,
}

impl<'de> Deserialize<'de> for Data<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DataVisitor)
    }
}

struct DataVisitor;

impl<'de> Visitor<'de> for DataVisitor {
    type Value = Data<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or a list")
    }
    fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Self::Value, A::Error> {
        Object::deserialize(de::value::MapAccessDeserializer::new(m))
            .map(|o| Data::One(Box::new(o)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
        let mut v = Vec::with_capacity(s.size_hint().unwrap_or(0).min(4096));
        while let Some(o) = s.next_element()? {
            v.push(o);
        }
        Ok(Data::Many(v))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Data::Absent)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Data::Absent)
    }
    scalars_are!(Data::Invalid);
}

/// One top-level JSON value.
#[derive(Debug)]
// Lives while its document is read; boxing it would cost an allocation per document.
#[allow(clippy::large_enum_variant)]
enum Top<'a> {
    Doc(Doc<'a>),
    List(Vec<Object<'a>>),
    Other,
}

impl<'de> Deserialize<'de> for Top<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Top<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object or list")
            }
            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Self::Value, A::Error> {
                Doc::deserialize(de::value::MapAccessDeserializer::new(m)).map(Top::Doc)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, s: A) -> Result<Self::Value, A::Error> {
                match DataVisitor.visit_seq(s)? {
                    Data::Many(v) => Ok(Top::List(v)),
                    _ => Ok(Top::Other),
                }
            }
            scalars_are!(Top::Other);
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Top::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// A resolution's members, wherever the shape put them.
struct Fields<'s, 'a> {
    kind: &'s Scalar<'a>,
    date: &'s Scalar<'a>,
    host_name: &'s Scalar<'a>,
    ip_address: &'s Scalar<'a>,
    resolver: &'s Scalar<'a>,
}

impl<'a> Object<'a> {
    fn fields(&self) -> Fields<'_, 'a> {
        pick(
            &self.kind,
            &self.flat_kind,
            &self.attributes,
            [
                &self.date,
                &self.host_name,
                &self.ip_address,
                &self.resolver,
            ],
        )
    }
}

/// v3 `attributes` when present, else the flat members.
fn pick<'s, 'a>(
    kind: &'s Scalar<'a>,
    flat_kind: &'s Scalar<'a>,
    attrs: &'s Attributes<'a>,
    flat: [&'s Scalar<'a>; 4],
) -> Fields<'s, 'a> {
    let kind = if matches!(kind, Scalar::Absent) {
        flat_kind
    } else {
        kind
    };
    if attrs.is_object {
        Fields {
            kind,
            date: &attrs.date,
            host_name: &attrs.host_name,
            ip_address: &attrs.ip_address,
            resolver: &attrs.resolver,
        }
    } else {
        Fields {
            kind,
            date: flat[0],
            host_name: flat[1],
            ip_address: flat[2],
            resolver: flat[3],
        }
    }
}

/// `date`: epoch seconds, or `YYYY-MM-DD HH:MM:SS` (UTC).
fn date(s: &Scalar<'_>) -> Option<Timestamp> {
    match s {
        Scalar::Num(f) => Timestamp::from_secs_f64(*f),
        Scalar::Str(t) => {
            let t = t.trim();
            if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                return t.parse().ok().map(Timestamp::from_secs);
            }
            let dt = chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S")
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%SZ"))
                .ok()?;
            Some(Timestamp::from_millis(dt.and_utc().timestamp_millis()))
        }
        _ => None,
    }
}

impl Parser {
    /// One resolution; `false` when the object is not a resolution.
    fn resolution(
        &mut self,
        f: &Fields<'_, '_>,
        base: &[u8],
        errors: &mut Errors,
        out: &mut dyn Emit,
    ) -> bool {
        match f.kind.as_str() {
            Some("resolution") | None => {}
            Some(_) => return false,
        }
        let (Some(host), Some(ip)) = (f.host_name.as_str(), f.ip_address.as_str()) else {
            if matches!(f.date, Scalar::Absent) && f.kind.as_str().is_some() {
                // A relationship descriptor: type and id only.
                return false;
            }
            errors.push(
                ParseError::new(
                    1,
                    ErrorKind::Json,
                    "a resolution without a host_name or ip_address string",
                ),
                f.kind.as_str().and_then(|k| offset_of(base, k)),
            );
            return true;
        };
        let at = offset_of(base, host);
        let Some(seen) = date(f.date) else {
            errors.push(
                ParseError::new(
                    1,
                    ErrorKind::Timestamp,
                    format!("resolution of {host}: no readable date"),
                ),
                at,
            );
            return true;
        };
        let rrtype = match ip.trim().parse::<IpAddr>() {
            Ok(IpAddr::V4(_)) => RrType::A,
            Ok(IpAddr::V6(_)) => RrType::Aaaa,
            Err(_) => {
                errors.push(
                    ParseError::new(
                        1,
                        ErrorKind::Rdata,
                        format!("resolution of {host}: {ip:?} is not an IP address"),
                    ),
                    at,
                );
                return true;
            }
        };
        let source = self.tag(f.resolver.as_str());
        match Association::new(host, rrtype, ip, seen, source) {
            Ok(a) => out.push(Record::Association(a)),
            Err(e) => errors.push(ParseError::from_core(1, e), at),
        }
        true
    }

    fn top(&mut self, top: &Top<'_>, base: &[u8], errors: &mut Errors, out: &mut dyn Emit) {
        let not_resolutions = |errors: &mut Errors| {
            errors.push(
                ParseError::new(
                    1,
                    ErrorKind::Json,
                    "the document holds no resolution objects",
                ),
                None,
            );
        };
        match top {
            Top::List(items) => {
                let mut any = items.is_empty();
                for o in items {
                    any |= self.resolution(&o.fields(), base, errors, out);
                }
                if !any {
                    not_resolutions(errors);
                }
            }
            Top::Doc(d) => {
                if d.error.is_object {
                    errors.push(
                        ParseError::new(
                            1,
                            ErrorKind::Json,
                            format!(
                                "VirusTotal answered with an error: {}: {}",
                                d.error.code.as_str().unwrap_or("?"),
                                d.error.message.as_str().unwrap_or("")
                            ),
                        ),
                        d.error.code.as_str().and_then(|c| offset_of(base, c)),
                    );
                    return;
                }
                // An XSOAR context holds the resolutions where a response holds `data`.
                let data = match (&d.data, &d.xsoar.passive_dns) {
                    (Data::Absent, ctx) if d.xsoar.is_object => ctx,
                    (data, _) => data,
                };
                match data {
                    Data::Many(items) => {
                        let mut any = items.is_empty();
                        for o in items {
                            any |= self.resolution(&o.fields(), base, errors, out);
                        }
                        if !any {
                            not_resolutions(errors);
                        }
                        return;
                    }
                    Data::One(o) => {
                        if !self.resolution(&o.fields(), base, errors, out) {
                            not_resolutions(errors);
                        }
                        return;
                    }
                    Data::Invalid => {
                        errors.push(
                            ParseError::new(
                                1,
                                ErrorKind::Json,
                                "the resolutions (\"data\", or XSOAR's \"PassiveDNS\") are neither an object nor a list",
                            ),
                            None,
                        );
                        return;
                    }
                    Data::Absent => {}
                }
                if let List::Items(v) = &d.resolutions {
                    if !v.is_empty() {
                        errors.push(
                            ParseError::new(1, ErrorKind::Json, v2_report_message(v.len())),
                            v.first()
                                .and_then(|r| r.last_resolved.as_str())
                                .and_then(|s| offset_of(base, s)),
                        );
                    }
                    return;
                }
                let f = pick(
                    &d.kind,
                    &d.flat_kind,
                    &d.attributes,
                    [&d.date, &d.host_name, &d.ip_address, &d.resolver],
                );
                if !self.resolution(&f, base, errors, out) {
                    not_resolutions(errors);
                }
            }
            Top::Other => errors.push(
                ParseError::new(1, ErrorKind::Json, "expected a JSON object or list"),
                None,
            ),
        }
    }
}

impl FormatParser for Parser {
    fn line(&mut self, _line: &[u8], n: u64, _out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        Err(ParseError::new(
            n,
            ErrorKind::Syntax,
            "a VirusTotal response is read as a whole document",
        ))
    }

    fn more_errors(&mut self) -> Vec<ParseError> {
        std::mem::take(&mut self.more)
    }

    fn document(&mut self, data: &[u8], out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let text: Cow<'_, str> = match std::str::from_utf8(data) {
            Ok(t) => Cow::Borrowed(t),
            Err(_) => crate::input::text(data),
        };
        let base = text.as_bytes();
        let mut errors = Errors::default();
        let out = &mut crate::record::Counted::new(out);
        // The scanner reads what serde_json would read; whatever it leaves, serde_json reads,
        // from the start.
        let (mut first, mut rest) = (None, Vec::new());
        if Lex::tops(&text, &mut first, &mut rest).is_some() {
            for top in first.iter().chain(&rest) {
                self.top(top, base, &mut errors, out);
            }
            let outcome = if out.emitted() > 0 {
                Outcome::Answer
            } else {
                Outcome::Skipped
            };
            return errors.finish(base, outcome, &mut self.more);
        }
        let mut stream = serde_json::Deserializer::from_str(&text).into_iter::<Top<'_>>();
        loop {
            match stream.next() {
                None => break,
                Some(Ok(top)) => self.top(&top, base, &mut errors, out),
                Some(Err(e)) => {
                    // The rest cannot be framed: stop, keeping what was read.
                    let offset = stream.byte_offset();
                    errors.push(
                        ParseError::new(1, ErrorKind::Json, e.to_string()),
                        Some(offset),
                    );
                    break;
                }
            }
        }
        let outcome = if out.emitted() > 0 {
            Outcome::Answer
        } else {
            Outcome::Skipped
        };
        errors.finish(base, outcome, &mut self.more)
    }
}

/// How deep skipped values may nest before the scanner leaves the document to `serde_json`.
const SKIP_DEPTH: u32 = 64;

/// A JSON reader for the shapes above ([`Top`], [`Doc`], [`Object`], …) that reads exactly
/// what their `serde` implementations read — the same JSON grammar, the same leniency (a
/// member of another type is absent or invalid, a repeated member keeps its last value) —
/// without serde's visitors.
///
/// Every method returns `None` both on a JSON error and on what it leaves to `serde_json`
/// (a negative or fractional number where a value is read, a lone surrogate, deep nesting, a
/// top-level value that is not an object or array): the document is then read by
/// `serde_json` from the start, which gives the result or the error. So `Some` is only ever
/// returned for a document `serde_json` reads to the same values.
struct Lex<'a>(JsonLex<'a>);

impl<'a> std::ops::Deref for Lex<'a> {
    type Target = JsonLex<'a>;
    fn deref(&self) -> &JsonLex<'a> {
        &self.0
    }
}

impl std::ops::DerefMut for Lex<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<'a> Lex<'a> {
    /// Reads every top-level value of `s` (pages one after the other): the first into
    /// `first` (a saved response is usually one page, read in place without allocating a
    /// list), the others into `rest`; `None` (see [`Lex`]) leaves both to be dropped.
    fn tops(s: &'a str, first: &mut Option<Top<'a>>, rest: &mut Vec<Top<'a>>) -> Option<()> {
        let mut lx = Lex(JsonLex::new(s));
        while let Some(c) = lx.ws() {
            let fresh = match c {
                b'{' => Top::Doc(Doc::default()),
                b'[' => Top::List(Vec::new()),
                _ => return None,
            };
            let slot = if first.is_none() {
                first.insert(fresh)
            } else {
                rest.push(fresh);
                rest.last_mut()?
            };
            match slot {
                Top::Doc(d) => lx.doc(d)?,
                Top::List(v) => *v = lx.seq(Lex::object)?,
                Top::Other => return None,
            }
        }
        Some(())
    }

    /// A value read as [`Scalar`] reads it.
    fn scalar(&mut self) -> Option<Scalar<'a>> {
        Some(match self.ws()? {
            b'"' => Scalar::Str(self.string()?),
            b'n' => {
                self.literal(b"null")?;
                Scalar::Null
            }
            b't' => {
                self.literal(b"true")?;
                Scalar::Other
            }
            b'f' => {
                self.literal(b"false")?;
                Scalar::Other
            }
            // serde gives integers as they are; `as f64` is what `Scalar` does with them.
            b'0'..=b'9' => Scalar::Num(self.uint()? as f64),
            b'[' | b'{' => {
                self.skip(SKIP_DEPTH)?;
                Scalar::Other
            }
            _ => return None,
        })
    }

    /// An array whose items are read by `item`; the current byte is `[`.
    fn seq<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.i += 1;
        let mut v = Vec::new();
        if self.ws()? == b']' {
            self.i += 1;
            return Some(v);
        }
        loop {
            v.push(item(self)?);
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

    /// A value read as a [`List`] of items read by `item`.
    fn list<T>(&mut self, item: impl FnMut(&mut Self) -> Option<T>) -> Option<List<T>> {
        match self.ws()? {
            b'[' => self.seq(item).map(List::Items),
            b'n' => self.literal(b"null").map(|()| List::Absent),
            _ => self.scalar().map(|_| List::Invalid),
        }
    }

    /// A value read as one of the `json_object!` structs: `member` reads the value of each
    /// member it names (and returns true), the others are skipped. Anything but an object is
    /// read and gives the default.
    /// Whether it was an object is returned; the members are read into `out`, which holds
    /// the default.
    #[inline]
    fn members<T>(
        &mut self,
        out: &mut T,
        mut member: impl FnMut(&mut Self, &str, &mut T) -> Option<bool>,
    ) -> Option<bool> {
        if self.ws()? != b'{' {
            self.scalar()?;
            return Some(false);
        }
        self.i += 1;
        if self.ws()? == b'}' {
            self.i += 1;
            return Some(true);
        }
        loop {
            let k = self.key()?;
            if !member(self, &k, out)? {
                self.skip(SKIP_DEPTH)?;
            }
            match self.ws()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(true);
                }
                _ => return None,
            }
        }
    }

    /// A top-level object, read into `d` (the default); the current byte is `{`.
    fn doc(&mut self, d: &mut Doc<'a>) -> Option<()> {
        let is_object = self.members(d, |lx, k, d: &mut Doc<'a>| {
            match k {
                "data" => d.data = lx.data()?,
                "error" => d.error = lx.api_error()?,
                "resolutions" => d.resolutions = lx.list(Lex::v2_resolution)?,
                "type" => d.kind = lx.scalar()?,
                "attributes" => d.attributes = lx.attributes()?,
                "_type" => d.flat_kind = lx.scalar()?,
                "date" => d.date = lx.scalar()?,
                "host_name" => d.host_name = lx.scalar()?,
                "ip_address" => d.ip_address = lx.scalar()?,
                "resolver" => d.resolver = lx.scalar()?,
                "VirusTotal" => d.xsoar = lx.xsoar()?,
                _ => return Some(false),
            }
            Some(true)
        })?;
        d.is_object = is_object;
        Some(())
    }

    /// `data`: one object, a list of them, or neither.
    fn data(&mut self) -> Option<Data<'a>> {
        Some(match self.ws()? {
            b'{' => Data::One(Box::new(self.object()?)),
            b'[' => Data::Many(self.seq(Lex::object)?),
            b'n' => {
                self.literal(b"null")?;
                Data::Absent
            }
            _ => {
                self.scalar()?;
                Data::Invalid
            }
        })
    }

    /// A v3 object (or vt-cli's flattened one).
    fn object(&mut self) -> Option<Object<'a>> {
        let mut o = Object::default();
        o.is_object = self.members(&mut o, |lx, k, o: &mut Object<'a>| {
            match k {
                "type" => o.kind = lx.scalar()?,
                "attributes" => o.attributes = lx.attributes()?,
                "_type" => o.flat_kind = lx.scalar()?,
                "date" => o.date = lx.scalar()?,
                "host_name" => o.host_name = lx.scalar()?,
                "ip_address" => o.ip_address = lx.scalar()?,
                "resolver" => o.resolver = lx.scalar()?,
                _ => return Some(false),
            }
            Some(true)
        })?;
        Some(o)
    }

    /// A resolution's `attributes`.
    fn attributes(&mut self) -> Option<Attributes<'a>> {
        let mut a = Attributes::default();
        a.is_object = self.members(&mut a, |lx, k, a: &mut Attributes<'a>| {
            match k {
                "date" => a.date = lx.scalar()?,
                "host_name" => a.host_name = lx.scalar()?,
                "ip_address" => a.ip_address = lx.scalar()?,
                "resolver" => a.resolver = lx.scalar()?,
                _ => return Some(false),
            }
            Some(true)
        })?;
        Some(a)
    }

    /// Cortex XSOAR's `VirusTotal` context.
    fn xsoar(&mut self) -> Option<Xsoar<'a>> {
        let mut x = Xsoar::default();
        x.is_object = self.members(&mut x, |lx, k, x: &mut Xsoar<'a>| {
            if k != "PassiveDNS" {
                return Some(false);
            }
            x.passive_dns = lx.data()?;
            Some(true)
        })?;
        Some(x)
    }

    /// v3 `error`.
    fn api_error(&mut self) -> Option<ApiError<'a>> {
        let mut e = ApiError::default();
        e.is_object = self.members(&mut e, |lx, k, e: &mut ApiError<'a>| {
            match k {
                "code" => e.code = lx.scalar()?,
                "message" => e.message = lx.scalar()?,
                _ => return Some(false),
            }
            Some(true)
        })?;
        Some(e)
    }

    /// One entry of a v2 report's `resolutions`.
    fn v2_resolution(&mut self) -> Option<V2Resolution<'a>> {
        let mut r = V2Resolution::default();
        r.is_object = self.members(&mut r, |lx, k, r: &mut V2Resolution<'a>| {
            if k != "last_resolved" {
                return Some(false);
            }
            r.last_resolved = lx.scalar()?;
            Some(true)
        })?;
        Some(r)
    }
}

/// Why a v2 report with `n` resolutions is not imported (written without the formatting
/// machinery: the message is long, and saved v2 reports come by the thousand).
fn v2_report_message(n: usize) -> String {
    const HEAD: &str =
        "a VirusTotal API v2 report does not name the domain or address it answers for, so its ";
    const TAIL: &str = " cannot be imported (fetch /api/v3/…/resolutions instead)";
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let mut m = String::with_capacity(HEAD.len() + TAIL.len() + 32);
    m.push_str(HEAD);
    m.extend(digits[at..].iter().map(|&d| char::from(d)));
    m.push_str(if n == 1 {
        " resolution"
    } else {
        " resolutions"
    });
    m.push_str(TAIL);
    m
}

/// True when a `"resolution"` string is the value of a `type` or `_type` member.
fn has_resolution_type(t: &str) -> bool {
    let b = t.as_bytes();
    memchr::memmem::find_iter(b, b"\"resolution\"").any(|i| {
        let before = b[..i].trim_ascii_end();
        let Some(before) = before.strip_suffix(b":") else {
            return false;
        };
        let before = before.trim_ascii_end();
        before.ends_with(b"\"type\"") || before.ends_with(b"\"_type\"")
    })
}

/// Sure for a v3 response or object list with a `"type": "resolution"` member and the
/// resolution's members, and for a v2 report with `resolutions` and `last_resolved`.
pub fn sniff(sample: &str) -> u8 {
    let t = sample.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return 0;
    }
    let v3 = has_resolution_type(t) && has_key(t, "host_name") && has_key(t, "ip_address");
    let v2 = has_key(t, "resolutions")
        && has_key(t, "last_resolved")
        && (has_key(t, "ip_address") || has_key(t, "hostname"));
    if v3 || v2 {
        90
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_str, parse_str_with, Format, Stats};

    fn run(input: &str) -> (Vec<Association>, Stats) {
        let (r, s) = parse_str(Format::VirusTotal, input);
        let a = r
            .into_iter()
            .filter_map(|r| match r {
                Record::Association(a) => Some(a),
                Record::Name(_) => None,
            })
            .collect();
        (a, s)
    }

    fn rows(a: &[Association]) -> Vec<(String, String, String, i64, u64, Option<String>)> {
        a.iter()
            .map(|a| {
                (
                    a.rrname.clone(),
                    a.rrtype.to_string(),
                    a.rdata.clone(),
                    a.first_seen.secs(),
                    a.count,
                    a.sources
                        .iter()
                        .next()
                        .and_then(|s| s.sensor.as_deref().map(str::to_string)),
                )
            })
            .collect()
    }

    /// The shape of `GET /api/v3/domains/example.com/resolutions`, after VirusTotal's API
    /// reference (values from its example resolution object).
    const V3_DOMAIN: &str = r#"{
  "meta": {"count": 2, "cursor": "CuABChEKBGRhdGUSCQjA"},
  "data": [
    {
      "attributes": {
        "date": 1599471348,
        "host_name": "example.com",
        "host_name_last_analysis_stats": {"harmless": 77, "malicious": 0, "suspicious": 0, "undetected": 8, "timeout": 0},
        "ip_address": "111.222.33.44",
        "ip_address_last_analysis_stats": {"harmless": 75, "malicious": 0, "suspicious": 0, "undetected": 10, "timeout": 0},
        "resolver": "VirusTotal"
      },
      "type": "resolution",
      "id": "111.222.33.44example.com",
      "links": {"self": "https://www.virustotal.com/api/v3/resolutions/111.222.33.44example.com"}
    },
    {
      "attributes": {"date": 1599471400, "host_name": "Example.COM", "ip_address": "2001:DB8::1", "resolver": "Georgia Institute of Technology"},
      "type": "resolution",
      "id": "2001:db8::1example.com"
    }
  ],
  "links": {"self": "https://www.virustotal.com/api/v3/domains/example.com/resolutions?limit=10", "next": "https://www.virustotal.com/api/v3/domains/example.com/resolutions?cursor=CuABChEKBGRhdGUSCQjA&limit=10"}
}
"#;

    /// Cortex XSOAR's context of `!vt-passive-dns-data ip=1.1.1.1`, from the integration's
    /// README (a fixture too).
    const XSOAR: &str =
        include_str!("../../tests/fixtures/virustotal/xsoar-vt-v3-context-passivedns-1.1.1.1.json");

    #[test]
    fn an_xsoar_context_reads_as_the_response_it_keeps() {
        let (a, s) = run(XSOAR);
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        assert_eq!(
            rows(&a),
            [(
                "muhaha.xyz".into(),
                "A".into(),
                "1.1.1.1".into(),
                1_617_085_962,
                1,
                Some("VirusTotal".into())
            )]
        );
        // `data` wins when a document has both; a context without resolutions says so.
        let (_, s) = run(r#"{"VirusTotal": {"PassiveDNS": "x"}}"#);
        assert!(
            s.error_samples[0].error.reason.contains("XSOAR"),
            "{:?}",
            s.error_samples
        );
        let (_, s) = run(r#"{"VirusTotal": {"IP": []}}"#);
        assert_eq!(s.error_count(), 1);
    }

    #[test]
    fn v3_resolutions_of_a_domain() {
        let (a, s) = run(V3_DOMAIN);
        assert_eq!(s.error_count(), 0, "{s:?}");
        assert_eq!(
            rows(&a),
            [
                (
                    "example.com".into(),
                    "A".into(),
                    "111.222.33.44".into(),
                    1_599_471_348,
                    1,
                    Some("VirusTotal".into())
                ),
                (
                    "example.com".into(),
                    "AAAA".into(),
                    "2001:db8::1".into(),
                    1_599_471_400,
                    1,
                    Some("Georgia Institute of Technology".into())
                ),
            ]
        );
        assert_eq!(a[0].first_seen, a[0].last_seen);
    }

    #[test]
    fn single_objects_lists_pages_and_vt_cli() {
        let one = r#"{"data": {"attributes": {"date": 1599471348, "host_name": "example.com", "ip_address": "111.222.33.44", "resolver": "VirusTotal"}, "type": "resolution", "id": "111.222.33.44example.com"}}"#;
        assert_eq!(run(one).0.len(), 1);
        // Two pages saved one after the other.
        let (a, s) = run(&format!("{V3_DOMAIN}{V3_DOMAIN}"));
        assert_eq!((a.len(), s.error_count()), (4, 0));
        // vt-py objects as a list, and vt-cli's flattened objects.
        let (a, s) = run(
            r#"[{"type":"resolution","id":"x","attributes":{"date":1,"host_name":"a.test","ip_address":"192.0.2.1"}},
            {"_id":"192.0.2.2b.test","_type":"resolution","date":"2020-09-07 09:35:48","host_name":"b.test","ip_address":"192.0.2.2","resolver":"VirusTotal"}]"#,
        );
        assert_eq!(s.error_count(), 0, "{s:?}");
        assert_eq!(rows(&a)[1].3, 1_599_471_348);
        // The operator's sensor wins over the resolver.
        let opts = ParseOptions {
            sensor: Some("op".into()),
            ..Default::default()
        };
        let (r, _) = parse_str_with(Format::VirusTotal, one, &opts);
        let Record::Association(x) = &r[0] else {
            panic!()
        };
        assert_eq!(
            x.sources.iter().next().unwrap().sensor.as_deref(),
            Some("op")
        );
    }

    #[test]
    fn v2_reports_api_errors_and_bad_items() {
        let (a, s) = run(
            r#"{"response_code": 1, "resolutions": [{"last_resolved": "2016-12-06 00:00:00", "hostname": "a.test"}, {"last_resolved": "2016-12-07 00:00:00", "hostname": "b.test"}]}"#,
        );
        assert_eq!(a.len(), 0);
        assert!(s.error_samples[0].error.reason.contains("2 resolutions"));
        let (_, s) =
            run(r#"{"response_code": 0, "verbose_msg": "Domain not found", "resolutions": []}"#);
        assert_eq!((s.error_count(), s.skipped), (0, 1));
        let (_, s) =
            run(r#"{"error": {"code": "NotFoundError", "message": "Domain \"x\" not found"}}"#);
        assert!(s.error_samples[0].error.reason.contains("NotFoundError"));
        let (a, s) = run(
            "{\"data\": [\n{\"type\":\"resolution\",\"attributes\":{\"date\":1,\"host_name\":\"ok.test\",\"ip_address\":\"192.0.2.1\"}},\n{\"type\":\"resolution\",\"attributes\":{\"host_name\":\"nodate.test\",\"ip_address\":\"192.0.2.1\"}},\n{\"type\":\"resolution\",\"attributes\":{\"date\":1,\"host_name\":\"bad.test\",\"ip_address\":\"nope\"}},\n{\"type\":\"resolution\",\"attributes\":{\"date\":1,\"host_name\":\"x..test\",\"ip_address\":\"192.0.2.1\"}}\n]}",
        );
        assert_eq!(a.len(), 1);
        let mut at: Vec<_> = s
            .error_samples
            .iter()
            .map(|e| (e.error.line, e.error.kind))
            .collect();
        at.sort();
        assert_eq!(
            at,
            [
                (3, ErrorKind::Timestamp),
                (4, ErrorKind::Rdata),
                (5, ErrorKind::Name)
            ]
        );
        // Not JSON, and objects that are not resolutions.
        assert_eq!(run("not json").1.errors["json"], 1);
        assert_eq!(
            run(r#"{"data": [{"type": "domain", "id": "example.com", "attributes": {}}]}"#)
                .1
                .errors["json"],
            1
        );
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(V3_DOMAIN), 90);
        assert_eq!(
            sniff(
                r#"{"resolutions": [{"last_resolved": "2014-11-13 00:00:00", "ip_address": "176.31.112.5"}]}"#
            ),
            90
        );
        assert_eq!(
            sniff(r#"{"type": "resolutions", "host_name": "x", "ip_address": "y"}"#),
            0
        );
        assert_eq!(
            sniff("{\"rrname\":\"x\",\"rrtype\":\"A\",\"time_first\":1}"),
            0
        );
    }

    #[test]
    fn v2_report_message_counts_resolutions() {
        for n in [0, 1, 2, 9, 10, 1234, usize::MAX] {
            let old = format!(
                "a VirusTotal API v2 report does not name the domain or address it answers for, so its {} cannot be imported (fetch /api/v3/…/resolutions instead)",
                if n == 1 { "1 resolution".to_string() } else { format!("{n} resolutions") }
            );
            assert_eq!(v2_report_message(n), old);
        }
    }

    /// What `serde_json` reads from `doc` (every top-level value, as text), or its error.
    fn by_serde(doc: &str) -> Result<Vec<String>, String> {
        serde_json::Deserializer::from_str(doc)
            .into_iter::<Top<'_>>()
            .map(|t| t.map(|t| format!("{t:?}")).map_err(|e| e.to_string()))
            .collect()
    }

    /// Checks the scanner against `serde_json`; true when the scanner read the document.
    fn agrees(doc: &str) -> bool {
        let (mut first, mut rest) = (None, Vec::new());
        match Lex::tops(doc, &mut first, &mut rest) {
            Some(()) => {
                let mine: Vec<String> = first
                    .iter()
                    .chain(&rest)
                    .map(|t| format!("{t:?}"))
                    .collect();
                assert_eq!(
                    Ok(mine),
                    by_serde(doc),
                    "the scanner read {doc:?} differently"
                );
                true
            }
            None => false,
        }
    }

    const V3: &str = r#"{"data": [{"attributes": {"date": 1580484213, "host_name": "www.example.org", "ip_address": "93.184.216.34", "resolver": "VirusTotal"}, "type": "resolution", "id": "93.184.216.34www.example.org", "links": {"self": "https://x/"}}], "meta": {"count": 1}, "links": {"self": "https://x/", "next": null}}"#;

    #[test]
    fn scanner_reads_every_shape_as_serde_does() {
        for d in [
            V3,
            r#"{"BitDefender category": "business", "domain_siblings": ["www.zenithar.org"], "whois": null, "response_code": 1, "Webutation domain info": {"Verdict": "unsure", "Safety score": 70}, "resolutions": [{"last_resolved": "2014-11-13 00:00:00", "ip_address": "176.31.112.5"}], "detected_urls": [], "categories": ["business", "uncategorized"]}"#,
            r#"{"data":{"type":"resolution","id":"x","attributes":{"date":1,"host_name":"a.test","ip_address":"192.0.2.1"}}}"#,
            r#"[{"_type":"resolution","_id":"x","date":1,"host_name":"a.test","ip_address":"192.0.2.1","resolver":"r"}] [] {}"#,
            r#"{"error":{"code":"NotFoundError","message":"\"x\" not found \u00e9"}}"#,
            r#"{"type":"resolution","date":"2020-01-01 00:00:00","host_name":"a.test","ip_address":"::1"}"#,
            // Members of other types: absent or invalid, as the lenient shapes read them.
            r#"{"data":"x","error":[1,2],"resolutions":{"a":1},"attributes":true,"date":{"x":[]},"type":null}"#,
            r#"{"data":null,"resolutions":null,"error":null,"attributes":5}"#,
            r#"{"data":[1,"x",null,[],{"attributes":[]}],"resolutions":[1,{"last_resolved":null},[]]}"#,
            r#"{"data":true}"#,
            // A repeated member keeps its last value.
            r#"{"data":{"type":"a"},"data":{"type":"b"},"date":1,"date":"2"}"#,
            // Escapes in member names and values, nested skipped members.
            r#"{"d\u0061ta":[{"host_\u006eame":"a\/b","x":{"y":[{"z":"}]\"{["}],"n":-1.5e-3}}]}"#,
            XSOAR,
            r#"{"VirusTotal":{"PassiveDNS":{"type":"resolution"},"IP":[]},"data":null}"#,
            r#"{"VirusTotal":[1],"x":{"VirusTotal":{}}} {"VirusTotal":{"PassiveDNS":7}}"#,
            " \n{}\n\n[]\t",
            "",
        ] {
            assert!(agrees(d), "{d}");
        }
    }

    #[test]
    fn scanner_leaves_the_rest_to_serde() {
        for d in [
            r#"{"date":-5}"#,
            r#"{"date":1.5}"#,
            r#"{"date":1e3}"#,
            r#"{"date":12345678901234567890}"#,
            r#"{"host_name":"\ud800"}"#,
            r#""a string""#,
            "1 2",
            "null",
            r#"{"a":1,}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":01}"#,
            r#"{"a":"x"} trailing"#,
            r#"{"a":"tab	in a string"}"#,
            r#"{"a" 1}"#,
            r#"{"a":1"#,
            r#"[{"date":1},]"#,
        ] {
            assert!(!agrees(d), "{d}");
        }
        // The same records either way.
        let (a, _) = run(
            r#"{"data":{"type":"resolution","attributes":{"date":1.5e9,"host_name":"a.test","ip_address":"192.0.2.1"}}}"#,
        );
        assert_eq!(a[0].first_seen.secs(), 1_500_000_000);
    }

    /// Random edits of real documents: wherever the scanner reads one, `serde_json` reads it
    /// to the same values.
    #[test]
    fn scanner_agrees_with_serde_on_mutated_documents() {
        let seeds = [
            V3,
            r#"{"resolutions": [{"last_resolved": "2014-11-13 00:00:00", "ip_address": "176.31.112.5"}], "x": {"V": "u\"n", "S": 70}, "c": ["b", null, true]}"#,
            r#"[{"_type":"resolution","date":1,"host_name":"a\u00e9","ip_address":"::1"}] {"error":{"code":"E","message":"m"}}"#,
            XSOAR,
        ];
        let alphabet = b"{}[]\":,\\ \t\nu0123456789.eE+-aAnulltrfsx\x01\xc3\xa9";
        let mut rng = yapdns_core::test_rng::TestRng::new(0x2545_f491_4f6c_dd1d);
        let mut rnd = |n: usize| rng.below(n);
        // VT_SCAN_ROUNDS=n runs more rounds.
        let rounds = std::env::var("VT_SCAN_ROUNDS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(20_000);
        let (mut read, mut total) = (0, 0);
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
            let Ok(doc) = std::str::from_utf8(&b) else {
                continue;
            };
            total += 1;
            if agrees(doc) {
                read += 1;
            }
        }
        eprintln!("{read} of {total} mutated documents read by the scanner");
        assert!(read > total / 10, "{read} of {total}");
    }
}

//! Cuckoo Sandbox and CAPE `report.json`: the DNS requests the analysed sample made, from the
//! `network.dns` section the sandbox's pcap processing writes.
//!
//! Grammar (JSON; only the members used are shown, everything else is skipped unread):
//!
//! ```text
//! report     = { "network": { "dns": [ request* ], … }, "info": info, … }
//!            / { "dns": [ request* ], … }             ; a bare network section
//! request    = { "request": name, "type": qtype, "answers": [ answer* ],
//!                [ "first_seen": epoch-seconds ] }    ; first_seen: CAPE only
//! answer     = { "type": rtype, "data": text } / {}   ; {}: a type the sandbox did not decode
//! qtype      = mnemonic / "All" / "None"              ; Cuckoo 2: "All" = ANY, "None" = other
//! rtype      = "A" / "AAAA" / "CNAME" / "MX" / "NS" / "PTR" / "SOA" / "TXT" / "HINFO"
//!            / "NXDOMAIN"                             ; CAPE's marker of a negative answer
//! info       = { "started": time, "machine": { "started_on": time, … }, … }
//! time       = epoch-seconds / "YYYY-MM-DD HH:MM:SS[.ffffff]" / ISO 8601
//! ```
//!
//! The sandboxes write answer data as presentation text without the owner name: SOA data is
//! comma-joined (`ns4.google.com,dns-admin.google.com,149128478,900,900,1800,60`, read as the
//! usual space-separated form), MX data lacks the preference (kept as the bare exchange), TXT
//! strings are joined with spaces and unquoted (kept as written, like `cuckoo-dnsdump`), and
//! the root is the empty string (read as `.`).
//!
//! Time: a request's `first_seen` (the packet's capture time, UTC epoch seconds, written by
//! CAPE), else the analysis start: `info.started`, else `info.machine.started_on`. Those are the
//! sandbox host's wall-clock time — CAPE writes `"2017-03-03 21:35:17"`, Cuckoo 2 writes a naive
//! local datetime through `calendar.timegm`, i.e. local wall-clock time read as if it were UTC —
//! so both are read with the time-zone rule of [`ParseOptions`]. A request with no time at all
//! is an error.
//!
//! Owners. The sandbox lists every answer of a request flat, without its owner name, and in no
//! reliable order: answers of later packets are added through a Python `set`, and CAPE lists
//! an answer only under the first request it was seen in (Cuckoo 2's equivalent set is never
//! filled). What a request `q` of type `T` yields therefore rests on the CNAME targets listed
//! under **any** request for `q` in the document (a name with a CNAME owns no other data, so a
//! CNAME seen in the A query's answers also explains the AAAA query's):
//!
//! * no CNAME target: every answer is `q`'s own — `q T data`;
//! * exactly one target `t`: the CNAMEs listed are `q CNAME t`, and every other answer is
//!   `t`'s — `t T data`;
//! * two or more targets: the chain's order, hence every owner, is unknown; the request yields
//!   only a name sighting and its answers are dropped.
//!
//! Duplicates within one request (the sandbox repeats answers seen in several packets) are
//! kept once. A request that yields no association — no answers, `NXDOMAIN`, only dropped
//! answers — yields a name sighting of `q` with its query type.
//!
//! What it cannot yield: TTLs (not recorded), the owners behind a chain of two or more CNAMEs,
//! and — because of CAPE's report-wide de-duplication — an exact owner when a hop of the chain
//! was already listed under another request: a chain `q → x → t` whose `x → t` hop was seen
//! before is read as `q CNAME x` with `t`'s addresses under `x`, and a request whose CNAMEs
//! were all seen before gets the addresses under `q`. Both readings still say what `q`
//! resolved to, as Squid's and `cuckoo-dnsdump`'s associations do.
//!
//! Errors: a bad request or answer (an invalid name, rdata that does not fit its type, a missing
//! time) is skipped and everything else in the document is still yielded; each bad item is
//! reported and counted as an error of its own, at its line in the document.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::fmt;

use chrono::DateTime;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use yapdns_core::{
    normalize_name, normalize_rdata, Association, NameSighting, RrType, SourceTag, Timestamp,
};

use crate::error::{ErrorKind, ParseError};
use crate::formats::cuckoo_dnsdump::timestamp as text_time;
use crate::formats::FormatParser;
use crate::options::ParseOptions;
use crate::record::{Emit, Outcome, Record};

/// Parser state: the options (for the zone of the analysis start time) and the source tag.
pub struct Parser {
    opts: ParseOptions,
    source: SourceTag,
    /// The bad items of the last document after the first, for `more_errors`.
    more: Vec<ParseError>,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            opts: opts.clone(),
            source: SourceTag::new("cuckoo", opts.sensor.as_deref()),
            more: Vec::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lenient, borrowing JSON shapes shared with the Thug parser. Members not named are skipped
// without being built; a member of an unexpected JSON type is read as "absent" or "invalid"
// instead of failing the whole document.

/// A JSON value reduced to what these parsers read.
#[derive(Debug, Default)]
pub(crate) enum Scalar<'a> {
    /// The member is not there.
    #[default]
    Absent,
    /// `null`.
    Null,
    /// A number.
    Num(f64),
    /// A string, borrowed from the input unless it had escapes.
    Str(Cow<'a, str>),
    /// A boolean, object or array.
    Other,
}

impl<'a> Scalar<'a> {
    /// The string, if the value is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Scalar::Other)
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Scalar::Num(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Scalar::Num(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Scalar::Num(v))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v)))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// A JSON array of `T`, or why there is none.
#[derive(Debug, Default)]
pub(crate) enum List<T> {
    /// The member is not there, or is `null`.
    #[default]
    Absent,
    /// The items.
    Items(Vec<T>),
    /// Not an array.
    Invalid,
}

impl<T> List<T> {
    /// True when the member is there but not an array.
    pub(crate) fn is_invalid(&self) -> bool {
        matches!(self, List::Invalid)
    }

    /// The items (none unless an array).
    pub(crate) fn items(&self) -> &[T] {
        match self {
            List::Items(v) => v,
            _ => &[],
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::with_capacity(s.size_hint().unwrap_or(0).min(4096));
                while let Some(x) = s.next_element()? {
                    v.push(x);
                }
                Ok(List::Items(v))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(List::Absent)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(List::Absent)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(List::Invalid)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(List::Invalid)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(List::Invalid)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(List::Invalid)
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(List::Invalid)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(List::Invalid)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// Reads an object key as one of the wanted names, without allocating.
pub(crate) struct Field(pub(crate) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Field {
    type Value = Option<&'static str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Field {
    type Value = Option<&'static str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().copied().find(|k| *k == v))
    }
}

/// Declares a struct read from a JSON object: the named members are read, the others skipped,
/// and a value that is not an object gives the default with `is_object == false`.
macro_rules! json_object {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty = $key:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Default)]
        pub(crate) struct $name<'a> {
            /// False when the value was missing or not a JSON object.
            #[allow(dead_code)]
            pub(crate) is_object: bool,
            $($(#[$fm])* pub(crate) $field: $ty,)*
            _borrow: std::marker::PhantomData<&'a ()>,
        }

        impl<'de> serde::Deserialize<'de> for $name<'de> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name<'de>;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("an object")
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                        const KEYS: &[&str] = &[$($key),*];
                        let mut out = $name { is_object: true, ..Default::default() };
                        while let Some(k) = m.next_key_seed($crate::formats::cuckoo::Field(KEYS))? {
                            match k {
                                $(Some($key) => out.$field = m.next_value()?,)*
                                _ => {
                                    m.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(out)
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                        while s.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                        Ok(Default::default())
                    }
                    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                        Ok(Default::default())
                    }
                    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                        Ok(Default::default())
                    }
                    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                        Ok(Default::default())
                    }
                    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                        Ok(Default::default())
                    }
                    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                        Ok(Default::default())
                    }
                    fn visit_unit<E>(self) -> Result<Self::Value, E> {
                        Ok(Default::default())
                    }
                    fn visit_none<E>(self) -> Result<Self::Value, E> {
                        Ok(Default::default())
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}
pub(crate) use json_object;

json_object!(
    /// The report's top level.
    Report {
        network: Network<'a> = "network",
        info: Info<'a> = "info",
        /// A bare network section, saved on its own.
        dns: List<Request<'a>> = "dns",
    }
);

json_object!(
    /// `network`.
    Network {
        dns: List<Request<'a>> = "dns",
    }
);

json_object!(
    /// `info`: the analysis' metadata.
    Info {
        started: Scalar<'a> = "started",
        machine: Machine<'a> = "machine",
    }
);

json_object!(
    /// `info.machine`: the guest.
    Machine {
        started_on: Scalar<'a> = "started_on",
    }
);

json_object!(
    /// One `network.dns` entry.
    Request {
        request: Scalar<'a> = "request",
        qtype: Scalar<'a> = "type",
        answers: List<Answer<'a>> = "answers",
        first_seen: Scalar<'a> = "first_seen",
    }
);

json_object!(
    /// One answer of a request.
    Answer {
        rtype: Scalar<'a> = "type",
        data: Scalar<'a> = "data",
    }
);

/// The byte offset of `s` in `base` when `s` was borrowed from it (a pointer comparison, so
/// it costs nothing until an error needs its line).
pub(crate) fn offset_of(base: &[u8], s: &str) -> Option<usize> {
    let offset = (s.as_ptr() as usize).checked_sub(base.as_ptr() as usize)?;
    (offset <= base.len()).then_some(offset)
}

/// The 1-based line at byte `offset` of `base`.
fn line_at(base: &[u8], offset: usize) -> u64 {
    base.get(..offset)
        .map_or(1, |b| memchr::memchr_iter(b'\n', b).count() as u64 + 1)
}

/// Parses a document as JSON, reading it as Windows-1252 when it is not UTF-8. Returns the
/// bytes the result borrows from (for [`offset_of`]) with it.
pub(crate) fn parse_json<'a, T: Deserialize<'a>>(
    data: &'a [u8],
    decoded: &'a mut Option<String>,
) -> Result<(T, &'a [u8]), ParseError> {
    let json_error = |e: serde_json::Error| {
        ParseError::new(e.line().max(1) as u64, ErrorKind::Json, e.to_string())
    };
    match serde_json::from_slice(data) {
        Ok(v) => Ok((v, data)),
        Err(_) if std::str::from_utf8(data).is_err() => {
            let text: &'a str = decoded.insert(crate::input::text(data).into_owned());
            let v = serde_json::from_str(text).map_err(json_error)?;
            Ok((v, text.as_bytes()))
        }
        Err(e) => Err(json_error(e)),
    }
}

/// The bad items of a document, each with the byte offset it is about (line 1 when unknown).
#[derive(Default)]
pub(crate) struct Errors {
    all: Vec<(ParseError, Option<usize>)>,
}

impl Errors {
    /// Records one bad item found at byte `at` of the document.
    pub(crate) fn push(&mut self, e: ParseError, at: Option<usize>) {
        self.all.push((e, at));
    }

    /// The document's result: `ok` when nothing was bad, else the first error, with the others
    /// left in `more` for [`FormatParser::more_errors`]; each at its line in `base`.
    pub(crate) fn finish(
        self,
        base: &[u8],
        ok: Outcome,
        more: &mut Vec<ParseError>,
    ) -> Result<Outcome, ParseError> {
        let mut placed = self.all.into_iter().map(|(mut e, at)| {
            e.line = at.map_or(1, |o| line_at(base, o));
            e
        });
        match placed.next() {
            None => Ok(ok),
            Some(first) => {
                more.extend(placed);
                Err(first)
            }
        }
    }
}

/// True when `json` has `"key"` followed by a colon: a member name, not a value or an escaped
/// quote inside a string.
pub(crate) fn has_key(json: &str, key: &str) -> bool {
    let pat = format!("\"{key}\"");
    let b = json.as_bytes();
    memchr::memmem::find_iter(b, pat.as_bytes()).any(|i| {
        b.get(i + pat.len()..)
            .and_then(|rest| rest.iter().find(|c| !c.is_ascii_whitespace()))
            == Some(&b':')
    })
}

// ---------------------------------------------------------------------------------------------

/// A request after normalisation.
struct Req {
    name: String,
    qtype: Option<RrType>,
    time: Timestamp,
    /// Distinct answers, normalised, in the order listed.
    answers: Vec<(RrType, String)>,
    /// Where the request sits, for errors.
    at: Option<usize>,
}

/// The query type: Cuckoo 2 writes `All` for ANY and `None` for types it does not name.
fn query_type(s: &Scalar<'_>) -> Option<RrType> {
    match s.as_str()? {
        "All" => Some(RrType::ANY),
        "None" => None,
        t => t.parse().ok(),
    }
}

/// A time written by the sandbox host: epoch numbers are its wall-clock time read as UTC
/// (Cuckoo 2's `calendar.timegm` of a naive local datetime), strings are naive local times.
fn host_time(s: &Scalar<'_>, opts: &ParseOptions) -> Option<Timestamp> {
    match s {
        Scalar::Num(f) => {
            let t = Timestamp::from_secs_f64(*f)?;
            let naive = DateTime::from_timestamp_millis(t.millis())?.naive_utc();
            opts.local_time(naive)
        }
        Scalar::Str(s) => text_time(s, opts),
        _ => None,
    }
}

/// The analysis start time, for requests without `first_seen`.
fn analysis_start(info: &Info<'_>, opts: &ParseOptions) -> Option<Timestamp> {
    host_time(&info.started, opts).or_else(|| host_time(&info.machine.started_on, opts))
}

/// A request's own capture time: CAPE's `first_seen`, UTC epoch seconds.
fn capture_time(s: &Scalar<'_>, opts: &ParseOptions) -> Option<Timestamp> {
    match s {
        Scalar::Num(f) => Timestamp::from_secs_f64(*f),
        Scalar::Str(s) => text_time(s, opts),
        _ => None,
    }
}

/// Answer data as presentation text: SOA fields comma-joined by the sandbox are spaced, and
/// the root (an empty name) is `.`.
fn answer_text(rrtype: RrType, data: &str) -> Cow<'_, str> {
    match rrtype {
        RrType::SOA => Cow::Owned(data.replace(',', " ")),
        RrType::CNAME | RrType::NS | RrType::PTR | RrType::MX | RrType::DNAME
            if data.trim().is_empty() =>
        {
            Cow::Borrowed(".")
        }
        _ => Cow::Borrowed(data),
    }
}

impl Parser {
    /// Normalises one request, recording what is wrong with it or its answers.
    fn request(
        &self,
        r: &Request<'_>,
        base: &[u8],
        start: Option<Timestamp>,
        errors: &mut Errors,
    ) -> Option<Req> {
        if !r.is_object {
            errors.push(
                ParseError::new(1, ErrorKind::Json, "a network.dns entry is not an object"),
                None,
            );
            return None;
        }
        let Some(raw) = r.request.as_str() else {
            errors.push(
                ParseError::new(
                    1,
                    ErrorKind::Json,
                    "a network.dns entry has no \"request\" string",
                ),
                None,
            );
            return None;
        };
        // Where the request sits, and its members, for errors.
        let here = offset_of(base, raw);
        let near = |s: &str| offset_of(base, s).or(here);
        let name = if raw.is_empty() { "." } else { raw };
        let name = match normalize_name(name) {
            Ok(n) => n,
            Err(e) => {
                errors.push(ParseError::from_core(0, e), here);
                return None;
            }
        };
        let Some(time) = capture_time(&r.first_seen, &self.opts).or(start) else {
            errors.push(ParseError::new(
                0,
                ErrorKind::Timestamp,
                format!("request {name}: no readable first_seen and no analysis start time (info.started)"),
            ), here);
            return None;
        };
        let mut answers: Vec<(RrType, String)> = Vec::new();
        if r.answers.is_invalid() {
            errors.push(
                ParseError::new(
                    0,
                    ErrorKind::Json,
                    format!("request {name}: \"answers\" is not a list"),
                ),
                here,
            );
        }
        for a in r.answers.items() {
            if !a.is_object {
                errors.push(
                    ParseError::new(
                        0,
                        ErrorKind::Json,
                        format!("request {name}: an answer is not an object"),
                    ),
                    here,
                );
                continue;
            }
            // `{}`: an answer of a type the sandbox does not decode.
            let Some(t) = a.rtype.as_str() else { continue };
            if t == "NXDOMAIN" {
                continue;
            }
            let rrtype: RrType = match t.parse() {
                Ok(t) => t,
                Err(e) => {
                    errors.push(ParseError::from_core(0, e), near(t));
                    continue;
                }
            };
            let Some(data) = a.data.as_str() else {
                errors.push(
                    ParseError::new(
                        0,
                        ErrorKind::Rdata,
                        format!("request {name}: {t} answer has no \"data\" string"),
                    ),
                    here,
                );
                continue;
            };
            match normalize_rdata(rrtype, &answer_text(rrtype, data)) {
                Ok(d) => {
                    if !answers.iter().any(|(t, x)| *t == rrtype && *x == d) {
                        answers.push((rrtype, d));
                    }
                }
                Err(e) => errors.push(ParseError::from_core(0, e), near(data)),
            }
        }
        Some(Req {
            name,
            qtype: query_type(&r.qtype),
            time,
            answers,
            at: here,
        })
    }
}

impl FormatParser for Parser {
    fn line(&mut self, _line: &[u8], n: u64, _out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        Err(ParseError::new(
            n,
            ErrorKind::Syntax,
            "a Cuckoo report is read as a whole document",
        ))
    }

    fn more_errors(&mut self) -> Vec<ParseError> {
        std::mem::take(&mut self.more)
    }

    fn document(&mut self, data: &[u8], out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let mut decoded = None;
        let (report, base): (Report<'_>, &[u8]) = parse_json(data, &mut decoded)?;
        if !report.is_object {
            return Err(ParseError::new(
                1,
                ErrorKind::Json,
                "a Cuckoo report is a JSON object",
            ));
        }
        let dns = if report.network.is_object {
            &report.network.dns
        } else {
            &report.dns
        };
        let entries = match dns {
            List::Absent => return Ok(Outcome::Skipped),
            List::Invalid => {
                return Err(ParseError::new(
                    1,
                    ErrorKind::Json,
                    "network.dns is not a list",
                ));
            }
            List::Items(v) => v,
        };
        let start = analysis_start(&report.info, &self.opts);
        let mut errors = Errors::default();
        let reqs: Vec<Req> = entries
            .iter()
            .filter_map(|r| self.request(r, base, start, &mut errors))
            .collect();

        // Every CNAME target listed under any request for the same name.
        let mut targets: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for r in &reqs {
            let set = targets.entry(r.name.as_str()).or_default();
            for (t, d) in &r.answers {
                if *t == RrType::CNAME {
                    set.insert(d.as_str());
                }
            }
        }

        let (mut answered, mut sighted) = (false, false);
        for r in &reqs {
            let tset = targets.get(r.name.as_str());
            let owner_of_data: Option<&str> = match tset.map_or(0, BTreeSet::len) {
                0 => Some(&r.name),
                1 => tset.and_then(|s| s.iter().next().copied()),
                _ => None,
            };
            let mut yielded = false;
            if let Some(target) = owner_of_data {
                for (t, d) in &r.answers {
                    let owner = if *t == RrType::CNAME {
                        r.name.as_str()
                    } else {
                        target
                    };
                    match Association::new(owner, *t, d, r.time, self.source.clone()) {
                        Ok(a) => {
                            out.push(Record::Association(a));
                            yielded = true;
                        }
                        Err(e) => errors.push(ParseError::from_core(0, e), r.at),
                    }
                }
            }
            if yielded {
                answered = true;
                continue;
            }
            match NameSighting::new(&r.name, r.qtype, r.time, self.source.clone()) {
                Ok(s) => {
                    out.push(Record::Name(s));
                    sighted = true;
                }
                Err(e) => errors.push(ParseError::from_core(0, e), r.at),
            }
        }
        let outcome = if answered {
            Outcome::Answer
        } else if sighted {
            Outcome::NoAnswer
        } else {
            Outcome::Skipped
        };
        errors.finish(base, outcome, &mut self.more)
    }
}

/// Certain when the sample opens a JSON object with a `network` section holding `dns`,
/// `domains` or `hosts`, or an `info` section with the sandbox's analysis fields (the network
/// section of a large report may lie beyond the sample).
pub fn sniff(sample: &str) -> u8 {
    let t = sample.trim_start();
    if !t.starts_with('{') {
        return 0;
    }
    if has_key(t, "network") {
        if has_key(t, "dns") {
            return 90;
        }
        if has_key(t, "domains") || has_key(t, "hosts") {
            return 85;
        }
    }
    let info_fields = [
        "started", "ended", "duration", "category", "package", "machine",
    ];
    if has_key(t, "info") && info_fields.iter().filter(|k| has_key(t, k)).count() >= 4 {
        return 80;
    }
    0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::{parse_str, parse_str_with, Format};

    fn recs(json: &str) -> (Vec<String>, crate::Stats) {
        let (r, s) = parse_str(Format::Cuckoo, json);
        let lines = r
            .iter()
            .map(|r| match r {
                Record::Association(a) => format!(
                    "{} {} {} {}",
                    a.rrname,
                    a.rrtype,
                    a.rdata,
                    a.first_seen.millis()
                ),
                Record::Name(n) => {
                    format!("name {} {:?} {}", n.rrname, n.rrtype, n.first_seen.millis())
                }
            })
            .collect();
        (lines, s)
    }

    #[test]
    fn no_cname_answers_belong_to_the_request() {
        let (r, s) = recs(
            r#"{"network": {"dns": [{"request": "Google.nl", "type": "SOA", "answers": [{"type": "SOA", "data": "ns4.google.com,dns-admin.google.com,149128478,900,900,1800,60"}], "first_seen": 1488576957.468098},
               {"request": "google.nl", "type": "MX", "answers": [{"type": "MX", "data": "aspmx.l.google.com"}, {"type": "MX", "data": "aspmx.l.google.com"}], "first_seen": 1488576926.216341}]}}"#,
        );
        assert_eq!(
            r,
            [
                "google.nl SOA ns4.google.com dns-admin.google.com 149128478 900 900 1800 60 1488576957468",
                "google.nl MX aspmx.l.google.com 1488576926216"
            ]
        );
        assert_eq!(s.associations, 2);
    }

    #[test]
    fn one_cname_points_the_request_at_its_target() {
        let (r, _) = recs(
            r#"{"network": {"dns": [
              {"request": "www.a.test", "type": "A", "answers": [{"type": "A", "data": "192.0.2.1"}, {"type": "CNAME", "data": "cdn.b.test"}], "first_seen": 10},
              {"request": "www.a.test", "type": "AAAA", "answers": [{"type": "AAAA", "data": "2001:db8::1"}], "first_seen": 11}]}}"#,
        );
        assert_eq!(
            r,
            [
                "cdn.b.test A 192.0.2.1 10000",
                "www.a.test CNAME cdn.b.test 10000",
                // The AAAA query lists no CNAME (CAPE listed it under the A query), but a name
                // with a CNAME owns no other data.
                "cdn.b.test AAAA 2001:db8::1 11000"
            ]
        );
    }

    #[test]
    fn longer_chains_keep_only_the_sighting() {
        let (r, s) = recs(
            r#"{"network": {"dns": [{"request": "crl.geotrust.com", "type": "A", "answers": [{"type": "CNAME", "data": "crl-ds.ws.symantec.com.edgekey.net"}, {"type": "CNAME", "data": "e6845.dscb1.akamaiedge.net"}, {"type": "A", "data": "23.51.117.163"}], "first_seen": 1488577140.157362}]}}"#,
        );
        assert_eq!(r, ["name crl.geotrust.com Some(A) 1488577140157"]);
        assert_eq!((s.names, s.no_answer), (1, 1));
    }

    #[test]
    fn empty_and_negative_answers_are_sightings() {
        let (r, _) = recs(
            r#"{"network": {"dns": [{"request": "a.test", "type": "A", "answers": [], "first_seen": 1},
               {"request": "b.test", "type": "A", "answers": [{"type": "NXDOMAIN", "data": ""}], "first_seen": 2},
               {"request": "c.test", "type": "All", "answers": [{}], "first_seen": 3},
               {"request": "", "type": "NS", "answers": [{"type": "NS", "data": "a.root-servers.net"}], "first_seen": 4}]}}"#,
        );
        assert_eq!(
            r,
            [
                "name a.test Some(A) 1000",
                "name b.test Some(A) 2000",
                "name c.test Some(ANY) 3000",
                ". NS a.root-servers.net 4000"
            ]
        );
    }

    #[test]
    fn analysis_start_stands_in_for_first_seen() {
        let json = r#"{"info": {"started": "2017-03-03 21:35:17", "machine": {"started_on": "2017-03-03 21:35:10"}},
                       "behavior": {"processes": [{"calls": [1, 2, 3]}]},
                       "network": {"hosts": [], "dns": [{"request": "a.test", "type": "A", "answers": [{"type": "A", "data": "192.0.2.1"}]}]}}"#;
        let (r, _) = recs(json);
        assert_eq!(r, ["a.test A 192.0.2.1 1488576917000"]);
        let opts = ParseOptions {
            timezone: "+01:00".parse().unwrap(),
            ..Default::default()
        };
        let (r, _) = parse_str_with(Format::Cuckoo, json, &opts);
        let Record::Association(a) = &r[0] else {
            panic!()
        };
        assert_eq!(a.first_seen.secs(), 1_488_576_917 - 3600);
        // Cuckoo 2: timegm() of the local wall-clock time.
        let (r, _) = recs(
            r#"{"info": {"started": 1488576917.5}, "network": {"dns": [{"request": "a.test", "type": "A", "answers": []}]}}"#,
        );
        assert_eq!(r, ["name a.test Some(A) 1488576917500"]);
        let (r, _) = recs(
            r#"{"info": {"machine": {"started_on": "2017-03-03T21:35:17"}}, "network": {"dns": [{"request": "a.test", "type": "None", "answers": []}]}}"#,
        );
        assert_eq!(r, ["name a.test None 1488576917000"]);
    }

    #[test]
    fn bad_entries_do_not_lose_the_good_ones() {
        let json = "{\"network\": {\"dns\": [\n{\"request\": \"a.test\", \"type\": \"A\", \"answers\": [{\"type\": \"A\", \"data\": \"not-an-ip\"}, {\"type\": \"A\", \"data\": \"192.0.2.9\"}], \"first_seen\": 1},\n{\"request\": \"b..test\", \"type\": \"A\", \"answers\": [], \"first_seen\": 1},\n{\"request\": \"c.test\", \"type\": \"A\", \"answers\": []},\n42,\n{\"request\": \"d.test\", \"type\": \"A\", \"answers\": [{\"type\": \"BOGUS\", \"data\": \"x\"}], \"first_seen\": 1}\n]}}";
        let mut it = crate::Records::new(
            json.as_bytes(),
            Format::Cuckoo,
            &ParseOptions::default(),
            "t",
        );
        let all: Vec<_> = it.by_ref().collect();
        let good: Vec<_> = all.iter().filter_map(|r| r.as_ref().ok()).collect();
        let bad: Vec<_> = all.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(good.len(), 2, "{all:?}");
        let at: Vec<_> = bad.iter().map(|e| (e.error.line, e.error.kind)).collect();
        assert_eq!(
            at,
            [
                (2, ErrorKind::Rdata),
                (3, ErrorKind::Name),
                (4, ErrorKind::Timestamp),
                (1, ErrorKind::Json),
                (6, ErrorKind::RrType),
            ]
        );
        assert_eq!(it.stats().error_count(), 5);
    }

    #[test]
    fn broken_documents_are_json_errors() {
        let (_, s) = recs("{\"network\": {\"dns\": [\n");
        assert_eq!(s.errors["json"], 1);
        let (_, s) = recs("[1, 2]");
        assert_eq!(s.errors["json"], 1);
        let (_, s) = recs(r#"{"network": {"dns": "x"}}"#);
        assert_eq!(s.errors["json"], 1);
        let (r, s) = recs(r#"{"network": {"hosts": []}}"#);
        assert!(r.is_empty());
        assert_eq!((s.skipped, s.error_count()), (1, 0));
    }

    #[test]
    fn windows_1252_documents_are_read() {
        let mut doc = br#"{"network": {"dns": [{"request": "caf"#.to_vec();
        doc.push(0xe9);
        doc.extend_from_slice(br#".test", "type": "A", "answers": [], "first_seen": 1}]}}"#);
        let mut p = Parser::new(&ParseOptions::default());
        let mut out = Vec::new();
        assert_eq!(p.document(&doc, &mut out), Ok(Outcome::NoAnswer));
        let Record::Name(n) = &out[0] else { panic!() };
        assert_eq!(n.rrname, "xn--caf-dma.test");
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            sniff("{\n    \"network\": {\n        \"hosts\": [],\n        \"dns\": []"),
            90
        );
        assert_eq!(sniff("{\n  \"info\": {\"version\": \"2.0\", \"started\": 1, \"ended\": 2, \"duration\": 1, \"category\": \"file\", \"package\": \"exe\", \"machine\": {}}"), 80);
        assert_eq!(
            sniff("{\"timestamp\":\"2026-11-29T19:24:38\",\"event_type\":\"dns\",\"dns\":{}}\n"),
            0
        );
        assert_eq!(sniff("{\"url\": \"http://a/\", \"logtype\": \"json-log\", \"snippet\": \"\\\"network\\\": 1\"}"), 0);
        assert_eq!(sniff("1458130003.61\tgoogle.com\tA\t1.2.3.4\n"), 0);
    }
}

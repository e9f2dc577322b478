//! Cuckoo Sandbox (2.x, Cuckoo3) and CAPE `report.json`: the DNS requests the analysed sample
//! made, from the `network.dns` section the sandbox's pcap processing writes.
//!
//! Grammar (JSON; only the members used are shown, everything else is skipped unread):
//!
//! ```text
//! report     = { "network": { "dns": dns, … }, "info": info, … }
//!            / { "dns": dns, … }                      ; a bare network section
//! dns        = [ request* ]                           ; Cuckoo 2, CAPE
//!            / { "query": [ query* ], "response": [ response* ] }   ; Cuckoo3
//! request    = { "request": name, "type": qtype, "answers": [ answer* ],
//!                [ "first_seen": epoch-seconds ] }    ; first_seen: CAPE only
//! answer     = { "type": rtype, "data": text } / {}   ; {}: a type the sandbox did not decode
//! qtype      = mnemonic / "All" / "None" / "Unknown"  ; Cuckoo 2: "All" = ANY, "None" = other
//! rtype      = "A" / "AAAA" / "CNAME" / "MX" / "NS" / "PTR" / "SOA" / "TXT" / "HINFO"
//!            / "NXDOMAIN"                             ; CAPE's marker of a negative answer
//! query      = { "name": name, "type": qtype, "ts": epoch-seconds,
//!                "srcip": ip, "srcport": port, "dstip": ip, "dstport": port }
//! response   = { "type": rtype3, "data": text / null, [ "fields": fields ], "ts": epoch-seconds,
//!                "srcip": ip, "srcport": port, "dstip": ip, "dstport": port }
//! rtype3     = "A" / "AAAA" / "CNAME" / "NS" / "PTR" / "MX" / "SOA" / "SRV" / "TXT" / "HINFO"
//!            / "NULL" / "OPT" / "ANY" / "Unknown"     ; data null: not decoded, skipped
//! fields     = { "preference": n / [ n ] }            ; MX
//!            / { "rname": name, "serial": n, "refresh": n, "retry": n, "expire": n,
//!                "minimum": n }                       ; SOA (data is the mname)
//!            / { "priority": n, "weight": n, "port": n }             ; SRV (data is the target)
//! info       = { "started": time, "machine": { "started_on": time, … }, … }
//! time       = epoch-seconds / "YYYY-MM-DD HH:MM:SS[.ffffff]" / ISO 8601
//! ```
//!
//! Cuckoo3 (`processing/post/network.py` over httpreplay's DNS parser) writes one `query` per
//! question of each query packet and one `response` per answer record of each NOERROR response
//! that has answers, in packet order; a response carries no owner name and no question. It
//! belongs to a query of the same socket: the query's `srcip`/`srcport` are the response's
//! `dstip`/`dstport` and its `dstip`/`dstport` the response's `srcip`/`srcport`. The responses
//! of one packet share socket and `ts`. A packet is given to the queries of its socket sent at
//! or before it, since the last response on that socket that came before the latest of them (a
//! resolver sending A and AAAA from one socket, or retransmitting, sends several before any
//! answer). When those queries all ask for one name, the packet is that name's (held by the
//! latest of them whose type is among the packet's, else by the latest); when they ask for
//! different names the owner is unknown and the packet is dropped, as is a packet no query
//! matches (Cuckoo3 leaves out queries for safelisted names). Each query then is a request of
//! the Cuckoo 2 shape, its answers those of the packets given to it.
//!
//! The sandboxes write answer data as presentation text without the owner name: SOA data is
//! comma-joined (`ns4.google.com,dns-admin.google.com,149128478,900,900,1800,60`, read as the
//! usual space-separated form), MX data lacks the preference (kept as the bare exchange), TXT
//! strings are joined with spaces and unquoted (kept as written, like `cuckoo-dnsdump`), and
//! the root is the empty string (read as `.`). Cuckoo3 writes the numbers beside a name in
//! `fields`: MX, SOA and SRV data are rebuilt from them in full (MX data without a preference,
//! or SOA and SRV data without their fields, is kept as the bare name).
//!
//! Time: a request's `first_seen` (the packet's capture time, UTC epoch seconds, written by
//! CAPE), else the analysis start: `info.started`, else `info.machine.started_on`. Those are the
//! sandbox host's wall-clock time — CAPE writes `"2017-03-03 21:35:17"`, Cuckoo 2 writes a naive
//! local datetime through `calendar.timegm`, i.e. local wall-clock time read as if it were UTC —
//! so both are read with the time-zone rule of [`ParseOptions`]. A request with no time at all
//! is an error. Cuckoo3 writes each packet's capture time, `ts` (UTC epoch seconds): a query's
//! sighting takes its query's `ts`, an answer its response's.
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
//! Cuckoo3 lists a packet's answers in the order the server wrote them, but still without
//! owners, and DNS does not fix that order: the same rules apply to it.
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
//! resolved to, as Squid's and `cuckoo-dnsdump`'s associations do. Cuckoo3 records no negative
//! or empty response (its query yields a sighting), and the answers of a socket that carried
//! queries for different names at once.
//!
//! Errors: a bad request or answer (an invalid name, rdata that does not fit its type, a missing
//! time) is skipped and everything else in the document is still yielded; each bad item is
//! reported and counted as an error of its own, at its line in the document.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::fmt;

use chrono::DateTime;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
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
            scalars_are!(List::Invalid);
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
        dns: Dns<'a> = "dns",
    }
);

json_object!(
    /// `network`.
    Network {
        dns: Dns<'a> = "dns",
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

/// `network.dns`, in either sandbox's shape.
#[derive(Debug, Default)]
pub(crate) enum Dns<'a> {
    /// The member is not there, or is `null`.
    #[default]
    Absent,
    /// Cuckoo 2 and CAPE: a list of requests, each with its answers.
    Requests(Vec<Request<'a>>),
    /// Cuckoo3: queries and responses in lists of their own.
    Split(SplitDns<'a>),
    /// Neither an array nor an object.
    Invalid,
}

impl<'de> Deserialize<'de> for Dns<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Dns<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array or an object")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, s: A) -> Result<Self::Value, A::Error> {
                match List::deserialize(SeqAccessDeserializer::new(s))? {
                    List::Items(v) => Ok(Dns::Requests(v)),
                    List::Absent => Ok(Dns::Absent),
                    List::Invalid => Ok(Dns::Invalid),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Self::Value, A::Error> {
                SplitDns::deserialize(MapAccessDeserializer::new(m)).map(Dns::Split)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Dns::Absent)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Dns::Absent)
            }
            scalars_are!(Dns::Invalid);
        }
        d.deserialize_any(V)
    }
}

json_object!(
    /// Cuckoo3's `network.dns`.
    SplitDns {
        query: List<Query<'a>> = "query",
        response: List<Response<'a>> = "response",
    }
);

json_object!(
    /// One Cuckoo3 query: a question of a query packet.
    Query {
        name: Scalar<'a> = "name",
        qtype: Scalar<'a> = "type",
        ts: Scalar<'a> = "ts",
        srcip: Scalar<'a> = "srcip",
        srcport: Number = "srcport",
        dstip: Scalar<'a> = "dstip",
        dstport: Number = "dstport",
    }
);

json_object!(
    /// One Cuckoo3 response: an answer record of a response packet.
    Response {
        rtype: Scalar<'a> = "type",
        data: Scalar<'a> = "data",
        fields: Fields<'a> = "fields",
        ts: Scalar<'a> = "ts",
        srcip: Scalar<'a> = "srcip",
        srcport: Number = "srcport",
        dstip: Scalar<'a> = "dstip",
        dstport: Number = "dstport",
    }
);

json_object!(
    /// The numbers (and SOA's second name) Cuckoo3 writes beside an answer's one name.
    Fields {
        preference: Number = "preference",
        rname: Scalar<'a> = "rname",
        serial: Number = "serial",
        refresh: Number = "refresh",
        retry: Number = "retry",
        expire: Number = "expire",
        minimum: Number = "minimum",
        priority: Number = "priority",
        weight: Number = "weight",
        port: Number = "port",
    }
);

/// A whole non-negative number, or a list holding just one: older httpreplay writes dpkt's MX
/// preference, a 1-tuple, as `[10]`. Anything else reads as none.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Number(Option<u64>);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Number(u64::try_from(v).ok()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Number(Some(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                let whole = v.fract() == 0.0 && (0.0..9.0e15).contains(&v);
                Ok(Number(whole.then_some(v as u64)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                let first = s.next_element::<Scalar<'de>>()?;
                let mut more = false;
                while s.next_element::<IgnoredAny>()?.is_some() {
                    more = true;
                }
                Ok(match first {
                    Some(Scalar::Num(v)) if !more => V.visit_f64(v)?,
                    _ => Number(None),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Number(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Number(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Number(None))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Number(None))
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Number(None))
            }
        }
        d.deserialize_any(V)
    }
}

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
    /// Distinct answers, normalised, in the order listed, each with the time it was seen at.
    answers: Vec<(RrType, String, Timestamp)>,
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
        let mut answers: Vec<(RrType, String, Timestamp)> = Vec::new();
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
                Ok(d) => add_answer(&mut answers, rrtype, d, time),
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

/// Adds an answer to a request unless it holds it already, keeping the earlier time.
fn add_answer(
    answers: &mut Vec<(RrType, String, Timestamp)>,
    rrtype: RrType,
    data: String,
    seen: Timestamp,
) {
    match answers
        .iter_mut()
        .find(|(t, d, _)| *t == rrtype && *d == data)
    {
        Some(a) => a.2 = a.2.min(seen),
        None => answers.push((rrtype, data, seen)),
    }
}

/// Keeps each answer once, at its first place and earliest time.
fn dedup_answers(answers: &mut Vec<(RrType, String, Timestamp)>) {
    if answers.len() < 2 {
        return;
    }
    let mut first: HashMap<(RrType, String), usize> = HashMap::new();
    let mut kept: Vec<(RrType, String, Timestamp)> = Vec::with_capacity(answers.len());
    for (t, d, seen) in answers.drain(..) {
        match first.get(&(t, d.clone())) {
            Some(&i) => {
                if let Some(k) = kept.get_mut(i) {
                    k.2 = k.2.min(seen);
                }
            }
            None => {
                first.insert((t, d.clone()), kept.len());
                kept.push((t, d, seen));
            }
        }
    }
    *answers = kept;
}

/// The two ends of a Cuckoo3 DNS exchange as its client saw them: the client's address and
/// port, then the server's.
type Socket<'a> = (&'a str, u64, Option<&'a str>, Option<u64>);

/// The socket a query was sent from; none without the client's address and port.
fn query_socket<'a>(q: &'a Query<'_>) -> Option<Socket<'a>> {
    Some((
        q.srcip.as_str()?,
        q.srcport.0?,
        q.dstip.as_str(),
        q.dstport.0,
    ))
}

/// The socket a response was received on: its destination is the client.
fn response_socket<'a>(r: &'a Response<'_>) -> Option<Socket<'a>> {
    Some((
        r.dstip.as_str()?,
        r.dstport.0?,
        r.srcip.as_str(),
        r.srcport.0,
    ))
}

/// A packet's capture time as seconds, to order packets by (finer than a [`Timestamp`]).
fn order_time(ts: &Scalar<'_>, opts: &ParseOptions) -> Option<f64> {
    match ts {
        Scalar::Num(f) => Some(*f),
        other => capture_time(other, opts).map(|t| t.millis() as f64 / 1000.0),
    }
}

/// Cuckoo3 answer data as presentation text: MX, SOA and SRV rebuilt from the name in `data`
/// and the numbers in `fields`, the root (an empty name) as `.`.
fn split_answer_text<'d>(rrtype: RrType, data: &'d str, f: &Fields<'_>) -> Cow<'d, str> {
    let name = |s: &'d str| if s.trim().is_empty() { "." } else { s };
    match rrtype {
        RrType::MX => match f.preference.0 {
            Some(p) => Cow::Owned(format!("{p} {}", name(data))),
            None => Cow::Borrowed(name(data)),
        },
        RrType::SRV => match (f.priority.0, f.weight.0, f.port.0) {
            (Some(p), Some(w), Some(port)) => Cow::Owned(format!("{p} {w} {port} {}", name(data))),
            _ => Cow::Borrowed(name(data)),
        },
        RrType::SOA => {
            let numbers = [f.serial, f.refresh, f.retry, f.expire, f.minimum];
            match (f.rname.as_str(), numbers.iter().all(|n| n.0.is_some())) {
                (Some(rname), true) => {
                    let mut t = format!(
                        "{} {}",
                        name(data),
                        if rname.trim().is_empty() { "." } else { rname }
                    );
                    for n in numbers.iter().filter_map(|n| n.0) {
                        t.push_str(&format!(" {n}"));
                    }
                    Cow::Owned(t)
                }
                _ => Cow::Borrowed(name(data)),
            }
        }
        RrType::CNAME | RrType::NS | RrType::PTR | RrType::DNAME => Cow::Borrowed(name(data)),
        _ => Cow::Borrowed(data),
    }
}

/// How far back among the queries of one socket for one name a packet looks for the query of
/// its own type, so that a socket flooded with one name stays linear.
const HOLDER_SCAN: usize = 64;

impl Parser {
    /// Cuckoo3: the queries as requests, each holding the answers of the response packets
    /// given to it (see the module's documentation).
    fn split(
        &self,
        dns: &SplitDns<'_>,
        base: &[u8],
        start: Option<Timestamp>,
        errors: &mut Errors,
    ) -> Vec<Req> {
        for (list, invalid) in [
            ("query", dns.query.is_invalid()),
            ("response", dns.response.is_invalid()),
        ] {
            if invalid {
                errors.push(
                    ParseError::new(
                        1,
                        ErrorKind::Json,
                        format!("network.dns.{list} is not a list"),
                    ),
                    None,
                );
            }
        }

        // The queries: a request each when usable, and every one on its socket (a bad one
        // still holds its socket, so that its answers go to no other query).
        struct Sent<'q> {
            at: f64,
            qtype: Option<&'q str>,
            req: Option<usize>,
        }
        let mut reqs: Vec<Req> = Vec::new();
        let mut sent: Vec<Sent<'_>> = Vec::new();
        let mut sockets: HashMap<Socket<'_>, Vec<usize>> = HashMap::new();
        for q in dns.query.items() {
            if !q.is_object {
                errors.push(
                    ParseError::new(
                        1,
                        ErrorKind::Json,
                        "a network.dns.query entry is not an object",
                    ),
                    None,
                );
                continue;
            }
            let Some(raw) = q.name.as_str() else {
                errors.push(
                    ParseError::new(
                        1,
                        ErrorKind::Json,
                        "a network.dns.query entry has no \"name\" string",
                    ),
                    None,
                );
                continue;
            };
            let here = offset_of(base, raw);
            let req = match normalize_name(if raw.is_empty() { "." } else { raw }) {
                Err(e) => {
                    errors.push(ParseError::from_core(0, e), here);
                    None
                }
                Ok(name) => match capture_time(&q.ts, &self.opts).or(start) {
                    None => {
                        errors.push(
                            ParseError::new(
                                0,
                                ErrorKind::Timestamp,
                                format!("query {name}: no readable ts"),
                            ),
                            here,
                        );
                        None
                    }
                    Some(time) => {
                        reqs.push(Req {
                            name,
                            qtype: query_type(&q.qtype),
                            time,
                            answers: Vec::new(),
                            at: here,
                        });
                        Some(reqs.len() - 1)
                    }
                },
            };
            if let Some(socket) = query_socket(q) {
                sockets.entry(socket).or_default().push(sent.len());
                sent.push(Sent {
                    at: order_time(&q.ts, &self.opts).unwrap_or(f64::NEG_INFINITY),
                    qtype: q.qtype.as_str(),
                    req,
                });
            }
        }
        // Each socket's queries in the order they were sent, and where each run of queries
        // for one name begins (a bad query is a run of its own).
        let mut runs: HashMap<Socket<'_>, Vec<usize>> = HashMap::new();
        for (socket, qs) in &mut sockets {
            qs.sort_by(|&a, &b| sent[a].at.total_cmp(&sent[b].at));
            let name = |i: usize| {
                sent[i]
                    .req
                    .and_then(|r| reqs.get(r))
                    .map(|r| r.name.as_str())
            };
            let mut run = Vec::with_capacity(qs.len());
            for (j, &i) in qs.iter().enumerate() {
                let same = j > 0 && name(i).is_some() && name(i) == name(qs[j - 1]);
                run.push(if same { run[j - 1] } else { j });
            }
            runs.insert(*socket, run);
        }

        // The response packets: consecutive responses of one socket and time.
        struct Packet<'r, 'a> {
            socket: Option<Socket<'r>>,
            at: Option<f64>,
            items: Vec<&'r Response<'a>>,
        }
        let mut packets: Vec<Packet<'_, '_>> = Vec::new();
        for r in dns.response.items() {
            if !r.is_object {
                errors.push(
                    ParseError::new(
                        1,
                        ErrorKind::Json,
                        "a network.dns.response entry is not an object",
                    ),
                    None,
                );
                continue;
            }
            let socket = response_socket(r);
            let at = order_time(&r.ts, &self.opts);
            match packets.last_mut() {
                Some(p) if p.socket.is_some() && p.socket == socket && p.at == at => {
                    p.items.push(r)
                }
                _ => packets.push(Packet {
                    socket,
                    at,
                    items: vec![r],
                }),
            }
        }
        let mut received: HashMap<Socket<'_>, Vec<f64>> = HashMap::new();
        for p in &packets {
            if let Some(s) = p.socket {
                received
                    .entry(s)
                    .or_default()
                    .push(p.at.unwrap_or(f64::INFINITY));
            }
        }
        for times in received.values_mut() {
            times.sort_by(f64::total_cmp);
        }

        for p in &packets {
            let Some(socket) = p.socket else { continue };
            let (Some(qs), Some(run)) = (sockets.get(&socket), runs.get(&socket)) else {
                continue;
            };
            // The queries sent at or before the packet…
            let at = p.at.unwrap_or(f64::INFINITY);
            let hi = qs.partition_point(|&i| sent[i].at <= at);
            let Some(&latest) = hi.checked_sub(1).and_then(|j| qs.get(j)) else {
                continue;
            };
            // …since the last response that came before the latest of them.
            let times = received.get(&socket).map_or(&[][..], Vec::as_slice);
            let before = times.partition_point(|&t| t < sent[latest].at);
            let lo = match before.checked_sub(1).and_then(|k| times.get(k)) {
                Some(&prev) => qs.partition_point(|&i| sent[i].at < prev),
                None => 0,
            };
            // One name among them, or no owner.
            let one_name = sent[latest].req.is_some() && run.get(hi - 1).is_some_and(|&r| r <= lo);
            if !one_name {
                continue;
            }
            let holder = qs
                .get(lo..hi)
                .unwrap_or_default()
                .iter()
                .rev()
                .take(HOLDER_SCAN)
                .find(|&&i| {
                    p.items.iter().any(|r| {
                        let t = r.rtype.as_str();
                        t.is_some() && t != Some("CNAME") && t == sent[i].qtype
                    })
                })
                .unwrap_or(&latest);
            let Some(req) = sent[*holder].req else {
                continue;
            };
            self.packet(p.items.as_slice(), base, start, &mut reqs, req, errors);
        }
        for r in &mut reqs {
            dedup_answers(&mut r.answers);
        }
        reqs
    }

    /// Reads the answers of one response packet into request `req`.
    fn packet(
        &self,
        items: &[&Response<'_>],
        base: &[u8],
        start: Option<Timestamp>,
        reqs: &mut [Req],
        req: usize,
        errors: &mut Errors,
    ) {
        let Some(r) = reqs.get_mut(req) else { return };
        for a in items {
            let Some(t) = a.rtype.as_str() else {
                errors.push(
                    ParseError::new(
                        0,
                        ErrorKind::Json,
                        format!("query {}: a response has no \"type\" string", r.name),
                    ),
                    r.at,
                );
                continue;
            };
            let here = offset_of(base, t);
            // Types httpreplay does not name, or whose data it does not decode.
            let data = match &a.data {
                Scalar::Str(d) => d.as_ref(),
                _ if t == "Unknown" => continue,
                Scalar::Null => continue,
                _ => {
                    errors.push(
                        ParseError::new(
                            0,
                            ErrorKind::Rdata,
                            format!("query {}: {t} response has no \"data\" string", r.name),
                        ),
                        here,
                    );
                    continue;
                }
            };
            if t == "Unknown" {
                continue;
            }
            let rrtype: RrType = match t.parse() {
                Ok(t) => t,
                Err(e) => {
                    errors.push(ParseError::from_core(0, e), here);
                    continue;
                }
            };
            let Some(seen) = capture_time(&a.ts, &self.opts).or(start) else {
                errors.push(
                    ParseError::new(
                        0,
                        ErrorKind::Timestamp,
                        format!("query {}: a response has no readable ts", r.name),
                    ),
                    here,
                );
                continue;
            };
            match normalize_rdata(rrtype, &split_answer_text(rrtype, data, &a.fields)) {
                // Kept once per request by `dedup_answers` when all packets are read.
                Ok(d) => r.answers.push((rrtype, d, seen)),
                Err(e) => errors.push(ParseError::from_core(0, e), offset_of(base, data).or(here)),
            }
        }
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
        let start = analysis_start(&report.info, &self.opts);
        let mut errors = Errors::default();
        let reqs: Vec<Req> = match dns {
            Dns::Absent => return Ok(Outcome::Skipped),
            Dns::Invalid => {
                return Err(ParseError::new(
                    1,
                    ErrorKind::Json,
                    "network.dns is neither a list (Cuckoo 2, CAPE) nor an object (Cuckoo3)",
                ));
            }
            Dns::Requests(entries) => entries
                .iter()
                .filter_map(|r| self.request(r, base, start, &mut errors))
                .collect(),
            Dns::Split(split) => self.split(split, base, start, &mut errors),
        };
        let outcome = self.emit(&reqs, out, &mut errors);
        errors.finish(base, outcome, &mut self.more)
    }
}

impl Parser {
    /// Yields the records of the document's requests, after the owner rules of the module.
    fn emit(&self, reqs: &[Req], out: &mut dyn Emit, errors: &mut Errors) -> Outcome {
        // Every CNAME target listed under any request for the same name.
        let mut targets: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for r in reqs {
            let set = targets.entry(r.name.as_str()).or_default();
            for (t, d, _) in &r.answers {
                if *t == RrType::CNAME {
                    set.insert(d.as_str());
                }
            }
        }

        let (mut answered, mut sighted) = (false, false);
        for r in reqs {
            let tset = targets.get(r.name.as_str());
            let owner_of_data: Option<&str> = match tset.map_or(0, BTreeSet::len) {
                0 => Some(&r.name),
                1 => tset.and_then(|s| s.iter().next().copied()),
                _ => None,
            };
            let mut yielded = false;
            if let Some(target) = owner_of_data {
                for (t, d, seen) in &r.answers {
                    let owner = if *t == RrType::CNAME {
                        r.name.as_str()
                    } else {
                        target
                    };
                    match Association::new(owner, *t, d, *seen, self.source.clone()) {
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
        if answered {
            Outcome::Answer
        } else if sighted {
            Outcome::NoAnswer
        } else {
            Outcome::Skipped
        }
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

    /// A Cuckoo3 query entry (client 10.0.0.5, resolver 192.0.2.53).
    fn q3(name: &str, qtype: &str, port: u16, ts: f64) -> String {
        format!(
            r#"{{"ts": {ts}, "dstip": "192.0.2.53", "dstport": 53, "srcip": "10.0.0.5", "srcport": {port}, "type": "{qtype}", "name": "{name}"}}"#
        )
    }

    /// A Cuckoo3 response entry on the socket of `port`, with extra members `more`.
    fn r3(rtype: &str, data: &str, port: u16, ts: f64, more: &str) -> String {
        format!(
            r#"{{"ts": {ts}, "dstip": "10.0.0.5", "dstport": {port}, "srcip": "192.0.2.53", "srcport": 53, "type": "{rtype}", "data": {data}{more}}}"#
        )
    }

    fn split_doc(queries: &[String], responses: &[String]) -> String {
        format!(
            "{{\"network\": {{\"dns\": {{\"query\": [\n{}\n], \"response\": [\n{}\n]}}}}}}",
            queries.join(",\n"),
            responses.join(",\n")
        )
    }

    #[test]
    fn cuckoo3_responses_go_to_the_query_of_their_socket() {
        let doc = split_doc(
            &[
                q3("www.a.test", "A", 50001, 10.0),
                q3("B.test", "A", 50002, 10.5),
                q3("chain.test", "A", 50003, 11.0),
                q3("quiet.test", "AAAA", 50004, 12.0),
            ],
            &[
                // Answered out of order: b.test's packet first.
                r3("A", r#""192.0.2.2""#, 50002, 10.6, ""),
                r3("CNAME", r#""cdn.b.test""#, 50001, 10.7, ""),
                r3("A", r#""192.0.2.1""#, 50001, 10.7, ""),
                r3("CNAME", r#""x.test""#, 50003, 11.1, ""),
                r3("CNAME", r#""y.test""#, 50003, 11.1, ""),
                r3("A", r#""192.0.2.3""#, 50003, 11.1, ""),
                // No query on this socket (Cuckoo3 leaves out safelisted names).
                r3("A", r#""192.0.2.9""#, 50009, 13.0, ""),
            ],
        );
        let (r, s) = recs(&doc);
        assert_eq!(
            r,
            [
                "www.a.test CNAME cdn.b.test 10700",
                "cdn.b.test A 192.0.2.1 10700",
                "b.test A 192.0.2.2 10600",
                "name chain.test Some(A) 11000",
                "name quiet.test Some(Aaaa) 12000",
            ]
        );
        assert_eq!((s.associations, s.names, s.error_count()), (3, 2, 0));
    }

    #[test]
    fn cuckoo3_shared_sockets() {
        // A and AAAA for one name from one socket before either answer, then a retransmit:
        // every packet is that name's, each held by the query of its type.
        let doc = split_doc(
            &[
                q3("dual.test", "A", 40000, 1.0),
                q3("dual.test", "AAAA", 40000, 1.001),
                q3("dual.test", "A", 40000, 1.5),
            ],
            &[
                r3("A", r#""192.0.2.1""#, 40000, 1.01, ""),
                r3("AAAA", r#""2001:db8::1""#, 40000, 1.02, ""),
                r3("A", r#""192.0.2.1""#, 40000, 1.6, ""),
            ],
        );
        let (r, _) = recs(&doc);
        assert_eq!(
            r,
            [
                "dual.test A 192.0.2.1 1010",
                "dual.test AAAA 2001:db8::1 1020",
                "dual.test A 192.0.2.1 1600",
            ]
        );
        // One socket used in turn for two names: each answer came after its own query.
        let doc = split_doc(
            &[
                q3("one.test", "A", 40001, 1.0),
                q3("two.test", "A", 40001, 2.0),
            ],
            &[
                r3("A", r#""192.0.2.1""#, 40001, 1.1, ""),
                r3("A", r#""192.0.2.2""#, 40001, 2.1, ""),
            ],
        );
        let (r, _) = recs(&doc);
        assert_eq!(
            r,
            ["one.test A 192.0.2.1 1100", "two.test A 192.0.2.2 2100"]
        );
        // Two names asked at once on one socket: whose answer is whose is unknown.
        let doc = split_doc(
            &[
                q3("one.test", "A", 40002, 1.0),
                q3("two.test", "A", 40002, 1.1),
            ],
            &[
                r3("A", r#""192.0.2.1""#, 40002, 1.2, ""),
                r3("A", r#""192.0.2.2""#, 40002, 1.3, ""),
            ],
        );
        let (r, s) = recs(&doc);
        assert_eq!(
            r,
            ["name one.test Some(A) 1000", "name two.test Some(A) 1100"]
        );
        assert_eq!((s.no_answer, s.error_count()), (1, 0));
        // A response from another server, or to another client address, is no answer to it.
        let doc = split_doc(
            &[q3("one.test", "A", 40003, 1.0)],
            &[
                r3("A", r#""192.0.2.1""#, 40003, 1.1, "")
                    .replace(r#""srcip": "192.0.2.53""#, r#""srcip": "198.51.100.1""#),
                r3("A", r#""192.0.2.2""#, 40003, 1.2, "")
                    .replace(r#""dstip": "10.0.0.5""#, r#""dstip": "10.0.0.6""#),
                // Before its query was sent.
                r3("A", r#""192.0.2.3""#, 40003, 0.9, ""),
            ],
        );
        let (r, _) = recs(&doc);
        assert_eq!(r, ["name one.test Some(A) 1000"]);
    }

    #[test]
    fn cuckoo3_fields_rebuild_mx_soa_and_srv() {
        let doc = split_doc(
            &[
                q3("mail.test", "MX", 1, 1.0),
                q3("zone.test", "SOA", 2, 1.0),
                q3("_sip._tcp.test", "SRV", 3, 1.0),
                q3("odd.test", "Unknown", 4, 1.0),
            ],
            &[
                r3(
                    "MX",
                    r#""mx1.mail.test""#,
                    1,
                    1.1,
                    r#", "fields": {"preference": 10}"#,
                ),
                // Older httpreplay: dpkt's preference tuple.
                r3(
                    "MX",
                    r#""mx2.mail.test""#,
                    1,
                    1.1,
                    r#", "fields": {"preference": [20]}"#,
                ),
                r3("MX", r#""mx3.mail.test""#, 1, 1.1, ""),
                r3(
                    "SOA",
                    r#""ns1.zone.test""#,
                    2,
                    1.1,
                    r#", "fields": {"rname": "hostmaster.zone.test", "serial": 2021070701, "refresh": 7200, "retry": 3600, "expire": 1209600, "minimum": 300}"#,
                ),
                r3(
                    "SRV",
                    r#""sip.test""#,
                    3,
                    1.1,
                    r#", "fields": {"priority": 10, "weight": 60, "port": 5060}"#,
                ),
                // Types httpreplay does not decode: data null, or a type it does not name.
                r3("OPT", "null", 3, 1.1, ""),
                r3("Unknown", "null", 4, 1.1, ""),
            ],
        );
        let (r, s) = recs(&doc);
        assert_eq!(
            r,
            [
                "mail.test MX 10 mx1.mail.test 1100",
                "mail.test MX 20 mx2.mail.test 1100",
                "mail.test MX mx3.mail.test 1100",
                "zone.test SOA ns1.zone.test hostmaster.zone.test 2021070701 7200 3600 1209600 300 1100",
                "_sip._tcp.test SRV 10 60 5060 sip.test 1100",
                "name odd.test None 1000",
            ]
        );
        assert_eq!(s.error_count(), 0);
    }

    #[test]
    fn cuckoo3_repeated_answers_count_once_at_their_first_time() {
        let doc = split_doc(
            &[q3("a.test", "A", 7, 1.0), q3("a.test", "A", 7, 2.0)],
            &[
                r3("A", r#""192.0.2.1""#, 7, 1.1, ""),
                r3("A", r#""192.0.2.1""#, 7, 1.1, ""),
                r3("A", r#""192.0.2.1""#, 7, 2.1, ""),
            ],
        );
        let (r, _) = recs(&doc);
        // The second query (same name, after the first answer) holds the second packet.
        assert_eq!(r, ["a.test A 192.0.2.1 1100", "a.test A 192.0.2.1 2100"]);
    }

    #[test]
    fn cuckoo3_bad_entries_do_not_lose_the_good_ones() {
        let doc = split_doc(
            &[
                q3("good.test", "A", 1, 1.0),
                q3("bad..test", "A", 2, 1.0),
                "7".to_string(),
                q3("late.test", "A", 3, 1.0).replace(r#""ts": 1,"#, ""),
            ],
            &[
                r3("A", r#""not-an-ip""#, 1, 1.1, ""),
                r3("A", r#""192.0.2.1""#, 1, 1.1, ""),
                // The bad query's answer goes to no other query.
                r3("A", r#""192.0.2.2""#, 2, 1.1, ""),
                r3("BOGUS", r#""x""#, 1, 1.2, ""),
                r3("A", "42", 1, 1.3, ""),
            ],
        );
        let mut it = crate::Records::new(
            doc.as_bytes(),
            Format::Cuckoo,
            &ParseOptions::default(),
            "t",
        );
        let all: Vec<_> = it.by_ref().collect();
        let good: Vec<_> = all
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| match r {
                Record::Association(a) => format!("{} {}", a.rrname, a.rdata),
                Record::Name(n) => format!("name {}", n.rrname),
            })
            .collect();
        assert_eq!(good, ["good.test 192.0.2.1"], "{all:?}");
        let bad: Vec<_> = all
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|e| (e.error.line, e.error.kind))
            .collect();
        assert_eq!(
            bad,
            [
                (3, ErrorKind::Name),
                (1, ErrorKind::Json),
                (5, ErrorKind::Timestamp),
                (7, ErrorKind::Rdata),
                (10, ErrorKind::RrType),
                (11, ErrorKind::Rdata),
            ]
        );
        let (_, s) = recs(r#"{"network": {"dns": {"query": {}, "response": 1}}}"#);
        assert_eq!(s.errors["json"], 2);
        let (r, s) = recs(r#"{"network": {"dns": {}}}"#);
        assert!(r.is_empty());
        assert_eq!((s.skipped, s.error_count()), (1, 0));
        let (_, s) = recs(r#"{"network": {"dns": 42}}"#);
        assert_eq!(s.errors["json"], 1);
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
        // Cuckoo3's post report.
        assert_eq!(
            sniff("{\n   \"task_id\" : \"20210707-6UZJTX_1\",\n   \"network\" : {\n      \"dns\" : {\n         \"query\" : ["),
            90
        );
    }
}

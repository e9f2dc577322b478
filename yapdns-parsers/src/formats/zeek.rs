//! Zeek (formerly Bro) `dns.log`, written by `base/protocols/dns/main.zeek` through either of
//! Zeek's ASCII writer's two forms: tab-separated text with `#` header lines (the default), or
//! one JSON object per line (`LogAscii::use_json=T`, or the *JSON Streaming Logs* package). One
//! format reads both, choosing per line: a line starting with `{` is JSON. They are the same
//! record written two ways.
//!
//! # TSV grammar
//!
//! ```text
//! file      = *( header / record )
//! header    = "#separator " escaped                 ; "\x09": the field separator, starts a block
//!           / "#set_separator" SEP escaped          ; "," between vector elements
//!           / "#empty_field" SEP escaped            ; "(empty)": empty string or vector
//!           / "#unset_field" SEP escaped            ; "-": field not set
//!           / "#fields" 1*( SEP name )              ; the column names, in order
//!           / "#types" 1*( SEP type )               ; their Zeek types (not needed)
//!           / "#path" / "#open" / "#close" ...      ; read and ignored, as is any other "#" line
//! record    = field *( SEP field )                  ; exactly as many fields as "#fields" names
//! field     = unset / empty / value
//! vector    = value *( SET_SEP value )              ; answers, TTLs
//! escaped   = *( byte / "\x" 2HEXDIG )              ; Zeek's escape of any byte
//! ```
//!
//! The columns are found by name from the `#fields` header and never assumed: scripts add,
//! remove and reorder them (`opcode`, `auth`/`addl`, `original_query` in newer releases and
//! policy scripts), and a file may hold several header blocks (log rotation, concatenated
//! files); each `#separator` line starts a new block and each `#fields` line is read anew. A data
//! line before any `#fields` header is a `syntax` error, as is a line with a different number of
//! fields than its header names (Zeek escapes a separator inside a value, so the count is exact).
//! A block without a `query` column is another log's and its lines are skipped.
//!
//! Values: the unset marker (`-`) is an absent field, the empty marker (`(empty)`) an empty
//! string or vector. Zeek writes `\xHH` for non-printable bytes, for a backslash, for a separator
//! inside a value and for the first byte of a value equal to a marker; these are decoded. The
//! columns read are `ts`, `query`, `qclass`/`qclass_name`, `qtype`/`qtype_name`, `answers`,
//! `TTLs`, `id.resp_p`, `opcode`/`opcode_name`; the rest are ignored.
//!
//! # JSON
//!
//! One object per line, keys as in `#fields` (`id.orig_h` keeps its dot), unset fields left out
//! (or `null` with `LogAscii::json_include_unset_fields`), `answers` an array of strings and
//! `TTLs` an array of numbers. `ts` is a number of epoch seconds (`JSON::TS_EPOCH`, the default),
//! an integer of epoch milliseconds (`JSON::TS_MILLIS`; an integer below 10^11 is read as
//! seconds), or an ISO 8601 string (`JSON::TS_ISO8601`: `2018-03-24T17:15:21.242504Z`). Bytes
//! that are not UTF-8 arrive as `\xHH` text inside the JSON string and are decoded like the TSV's.
//! (A literal `\x` and two hex digits in a string is read the same way: the JSON writer does
//! not tell them apart.) A line whose `_path` does not contain `dns`, or an object with none of
//! `query`, `answers`, `qtype`, `rcode`, `trans_id`, is another log's and is skipped. The flat
//! objects Zeek writes are read by a dedicated scanner; anything unusual (an escaped key,
//! nesting, broken JSON) goes through serde_json, which words the `json` error.
//!
//! # What it yields
//!
//! `answers` holds the data of the answer section's records only, in the order of the response,
//! without owner names or types (`DNS::do_reply` in `main.zeek`); `TTLs` holds their TTLs at the
//! same index. Each answer is read by what Zeek's script renders for its type:
//!
//! | Zeek renders | read as |
//! |---|---|
//! | an IPv4 / IPv6 address (A, AAAA, A6) | A / AAAA by address family |
//! | `TXT <len> <bytes>` (one per string, space-joined) | TXT, strings split by their lengths |
//! | `SPF <len> <bytes>` | SPF, likewise |
//! | `NAPTR <order> <pref> <flags> <service> [<regexp>] [<replacement>]` | NAPTR |
//! | a name (CNAME, NS, PTR, MX exchange, SRV target, SOA primary server) | see below |
//! | `RRSIG …`, `DNSKEY …`, `DS …`, `NSEC …`, `NSEC3`, `NSEC3PARAM`, `SSHFP: …`, `LOC: …`, `BIND9 signing signal`, `<unknown type=N>` | nothing: too little of the record is logged |
//!
//! A name's type depends on the query type (`qtype`, else `qtype_name`):
//!
//! - for NS, MX, SRV, SOA and PTR, names are data of that type at the query name (MX without its
//!   preference, SRV without priority, weight and port, SOA as its primary server only, which
//!   core keeps as the bare name). For PTR, a name under `in-addr.arpa`/`ip6.arpa` is a CNAME
//!   (RFC 2317 classless delegation), and the chain moves on to it. A name directly followed by
//!   `RRSIG 5 …` (a signature over a CNAME) is a CNAME too;
//! - for any other query type (A, AAAA, TXT, CNAME, HTTPS, …), whose data is never a bare name,
//!   a name is a CNAME target: the association is (owner CNAME target), and the answers after it
//!   belong to that target, so a chain is followed to the end;
//! - for ANY (`*`), answers belong to the query name; names are skipped, being any of NS, MX,
//!   CNAME, PTR or SOA;
//! - for AXFR and IXFR nothing is taken: a transfer's answers are the zone's records without
//!   their owners;
//! - with no query type (a reply seen without its query: mDNS, a lost packet), a name is a CNAME
//!   when an address, TXT, SPF or NAPTR answer follows it; otherwise it is skipped.
//!
//! Each association has the line's `ts`, count 1 and its TTL. A line without answers (a query
//! with no reply, `NXDOMAIN`, `REFUSED`, `rejected`), or whose answers yield nothing, is a name
//! sighting of the query name and type ([`Outcome::NoAnswer`]). Lines of a class other than IN
//! (`C_CHAOS`; IN with mDNS's unicast-response bit, 32769, counts as IN; an unset class is taken
//! as IN) are skipped, as are NetBIOS name service lines (`id.resp_p` 137, `NBSTAT`, opcodes
//! `netbios-*`): they are not DNS names. Messages with an opcode other than QUERY (dynamic update,
//! NOTIFY) give a name sighting only: an update's `add:`/`del:` pieces are requests, not answers.
//! The empty query name is the root (`.`); names keep their bytes, with `\DDD` escapes for
//! spaces and bytes outside printable ASCII.
//!
//! # What it cannot yield
//!
//! - Which answers are CNAMEs for NS, MX, SRV, SOA and PTR queries: Zeek logs no types, so a CNAME
//!   answering such a query is taken as data of the queried type (an SRV query answered only
//!   by a wildcard CNAME gives an SRV "target" that is really the CNAME target).
//! - MX preferences, SRV priority/weight/port, the SOA fields past the primary server, DNSSEC
//!   records, LOC, SSHFP, HINFO, CAA, SVCB/HTTPS data (Zeek logs none of it, or only a summary).
//! - The authority and additional sections (`auth`/`addl` hold bare names without owners).
//! - A TXT string whose logged length does not match its bytes is split at the next
//!   ` TXT <len> ` instead.
//!
//! # Time
//!
//! `ts` is the time of the first message of the transaction, UTC, to the microsecond; YAPDNS
//! keeps milliseconds. The sensor is the operator's [`ParseOptions::sensor`]: Zeek's record
//! names none.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use yapdns_core::{days_from_civil, normalize_name, RrType, Timestamp};

use crate::error::{ErrorKind, ParseError};
use crate::formats::presentation::quote_into;
use crate::formats::FormatParser;
use crate::options::ParseOptions;
use crate::record::{Emit, Outcome};
use crate::view_buf::ViewBuf;

/// The format's name in `sources`.
const NAME: &str = "zeek";

/// Zeek's default markers, used until a header says otherwise.
const DEFAULT_SEP: &[u8] = b"\t";
const DEFAULT_SET_SEP: &[u8] = b",";
const DEFAULT_EMPTY: &[u8] = b"(empty)";
const DEFAULT_UNSET: &[u8] = b"-";

/// The columns read, by slot.
const TS: usize = 0;
const QUERY: usize = 1;
const QCLASS: usize = 2;
const QCLASS_NAME: usize = 3;
const QTYPE: usize = 4;
const QTYPE_NAME: usize = 5;
const ANSWERS: usize = 6;
const TTLS: usize = 7;
const RESP_P: usize = 8;
const OPCODE: usize = 9;
const OPCODE_NAME: usize = 10;
const SLOTS: usize = 11;
/// A column that is not read.
const UNUSED: u8 = u8::MAX;

fn slot_of(name: &[u8]) -> u8 {
    (match name {
        b"ts" => TS,
        b"query" => QUERY,
        b"qclass" => QCLASS,
        b"qclass_name" => QCLASS_NAME,
        b"qtype" => QTYPE,
        b"qtype_name" => QTYPE_NAME,
        b"answers" => ANSWERS,
        b"TTLs" => TTLS,
        b"id.resp_p" => RESP_P,
        b"opcode" => OPCODE,
        b"opcode_name" => OPCODE_NAME,
        _ => return UNUSED,
    }) as u8
}

/// The current TSV header block.
struct Header {
    sep: Vec<u8>,
    set_sep: Vec<u8>,
    empty: Vec<u8>,
    unset: Vec<u8>,
    /// From `#fields`; `None` before the first.
    cols: Option<Columns>,
}

impl Default for Header {
    fn default() -> Header {
        Header {
            sep: DEFAULT_SEP.to_vec(),
            set_sep: DEFAULT_SET_SEP.to_vec(),
            empty: DEFAULT_EMPTY.to_vec(),
            unset: DEFAULT_UNSET.to_vec(),
            cols: None,
        }
    }
}

/// Where the columns read stand in a `#fields` list.
struct Columns {
    /// How many fields a record has.
    count: usize,
    /// The slot of each column, or [`UNUSED`].
    slot: Vec<u8>,
    /// True when the block has a `query` column (else it is not a DNS log).
    has_query: bool,
}

impl Columns {
    fn new<'a>(names: impl Iterator<Item = &'a [u8]>) -> Columns {
        let mut slot = Vec::new();
        let mut seen = [false; SLOTS];
        for n in names {
            let s = slot_of(n);
            // A repeated name: the first one wins.
            match seen.get_mut(usize::from(s)) {
                Some(done) if !*done => {
                    *done = true;
                    slot.push(s);
                }
                _ => slot.push(UNUSED),
            }
        }
        Columns {
            count: slot.len(),
            has_query: seen[QUERY],
            slot,
        }
    }
}

/// Parser state: the source tag and the current TSV header block.
pub struct Parser {
    views: ViewBuf,
    header: Header,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            views: ViewBuf::new(NAME, opts.sensor.as_deref()),
            header: Header::default(),
        }
    }
}

/// Fields or vector elements split on a separator of one byte or more; cheap to clone, for
/// looking ahead.
#[derive(Clone)]
struct Split<'a> {
    rest: Option<&'a [u8]>,
    sep: &'a [u8],
}

impl<'a> Split<'a> {
    fn new(s: &'a [u8], sep: &'a [u8]) -> Split<'a> {
        Split { rest: Some(s), sep }
    }

    fn empty() -> Split<'a> {
        Split {
            rest: None,
            sep: b"",
        }
    }
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let s = self.rest?;
        let at = match self.sep {
            [] => None,
            [b] => memchr::memchr(*b, s),
            sep => memchr::memmem::find(s, sep),
        };
        match at {
            Some(i) => {
                self.rest = s.get(i + self.sep.len()..);
                s.get(..i)
            }
            None => {
                self.rest = None;
                Some(s)
            }
        }
    }
}

/// Decodes Zeek's `\xHH` escapes; any other backslash is kept as it is.
fn unescape(b: &[u8]) -> Cow<'_, [u8]> {
    // Most values are short: a plain loop beats setting up a vector search.
    let found = if b.len() < 64 {
        b.iter().position(|c| *c == b'\\')
    } else {
        memchr::memchr(b'\\', b)
    };
    let Some(first) = found else {
        return Cow::Borrowed(b);
    };
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..first]);
    let mut i = first;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' && b.get(i + 1) == Some(&b'x') {
            if let (Some(h), Some(l)) = (
                b.get(i + 2).and_then(|d| hex(*d)),
                b.get(i + 3).and_then(|d| hex(*d)),
            ) {
                out.push(h << 4 | l);
                i += 4;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    Cow::Owned(out)
}

fn hex(d: u8) -> Option<u8> {
    match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    }
}

/// A name's bytes in presentation form: printable ASCII kept, a backslash doubled, spaces and
/// every other byte as `\DDD`. The empty name is the root.
fn name_text(b: &[u8]) -> Cow<'_, str> {
    if b.is_empty() {
        return Cow::Borrowed(".");
    }
    if b.iter().all(|&c| (0x21..0x7f).contains(&c) && c != b'\\') {
        // Printable ASCII is UTF-8.
        return Cow::Borrowed(std::str::from_utf8(b).unwrap_or("."));
    }
    let mut s = String::with_capacity(b.len() + 8);
    for &c in b {
        match c {
            b'\\' => s.push_str("\\\\"),
            0x21..=0x7e => s.push(char::from(c)),
            _ => {
                let _ = write!(s, "\\{c:03}");
            }
        }
    }
    Cow::Owned(s)
}

/// All ASCII digits, and at least one.
fn digits(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(u8::is_ascii_digit)
}

fn number(b: &[u8]) -> Option<u64> {
    if !digits(b) || b.len() > 19 {
        return None;
    }
    Some(b.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
}

/// An interval (`2229.000000`) as whole seconds.
fn ttl_of(b: &[u8]) -> Option<u32> {
    let int = match memchr::memchr(b'.', b) {
        Some(i) if b[i + 1..].iter().all(u8::is_ascii_digit) => &b[..i],
        _ if !digits(b) => return std::str::from_utf8(b).ok()?.parse().ok().and_then(ttl_f64),
        _ => b,
    };
    if int.is_empty() {
        return Some(0);
    }
    number(int).and_then(|n| u32::try_from(n).ok())
}

fn ttl_f64(f: f64) -> Option<u32> {
    (f.is_finite() && f >= 0.0 && f <= f64::from(u32::MAX)).then_some(f as u32)
}

/// The milliseconds of a fraction's digits, truncated (`242506` → 242). Zeek's ISO 8601 writer
/// can round `.9999995` up to `1000000`, a whole second.
fn millis_of(frac: &[u8]) -> Option<i64> {
    if !frac.is_empty() && !digits(frac) {
        return None;
    }
    if frac.len() == 7 && frac == b"1000000" {
        return Some(1000);
    }
    Some(
        frac.iter()
            .copied()
            .chain(std::iter::repeat(b'0'))
            .take(3)
            .fold(0i64, |acc, c| acc * 10 + i64::from(c - b'0')),
    )
}

/// `ts` as Zeek writes it: epoch seconds with a fraction (`1521911721.242506`), or an ISO 8601
/// UTC time (the JSON writer's `JSON::TS_ISO8601`).
fn timestamp(b: &[u8]) -> Option<Timestamp> {
    if b.len() >= 19
        && b.get(4) == Some(&b'-')
        && b.get(10).is_some_and(|c| matches!(c, b'T' | b' '))
    {
        return iso8601(b);
    }
    let (neg, b) = match b.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, b),
    };
    let (secs, frac) = match memchr::memchr(b'.', b) {
        Some(i) => (&b[..i], &b[i + 1..]),
        None => (b, &b""[..]),
    };
    let secs = i64::try_from(number(secs)?).ok()?;
    let ms = secs.checked_mul(1000)?.checked_add(millis_of(frac)?)?;
    Some(Timestamp::from_millis(if neg { -ms } else { ms }))
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH[:]MM]`.
fn iso8601(b: &[u8]) -> Option<Timestamp> {
    let num = |a: usize, z: usize| -> Option<u32> {
        let d = b.get(a..z)?;
        number(d).and_then(|n| u32::try_from(n).ok())
    };
    if b.get(7) != Some(&b'-') || b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, sec) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let days = days_from_civil(i64::from(y), mo, d)?;
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let mut rest = b.get(19..)?;
    let mut ms = 0;
    if let Some(f) = rest.strip_prefix(b".") {
        let n = f.iter().take_while(|c| c.is_ascii_digit()).count();
        ms = millis_of(&f[..n])?;
        rest = &f[n..];
    }
    let offset: i64 = match rest {
        b"" | b"Z" | b"z" => 0,
        _ => {
            let t = std::str::from_utf8(rest).ok()?;
            i64::from(crate::options::parse_offset(t)?)
        }
    };
    let secs = days * 86_400 + i64::from(h * 3600 + mi * 60 + sec) - offset;
    Some(Timestamp::from_millis(secs * 1000 + ms))
}

/// The record type of Zeek's `qtype_name` (`query_types` in `consts.zeek`): mnemonics, `*` for
/// ANY, `query-N` for types it has no name for.
fn rrtype_of_name(n: &[u8]) -> Option<RrType> {
    match n {
        b"*" => Some(RrType::ANY),
        _ => {
            let s = std::str::from_utf8(n).ok()?;
            match s.strip_prefix("query-") {
                Some(num) => num.parse::<u16>().ok().map(RrType::from_u16),
                None => s.parse().ok(),
            }
        }
    }
}

/// The class number of Zeek's `qclass_name` (`classes` in `consts.zeek`).
fn class_of_name(n: &[u8]) -> Option<u64> {
    match n {
        b"C_INTERNET" => Some(1),
        b"C_CSNET" => Some(2),
        b"C_CHAOS" => Some(3),
        b"C_HESIOD" => Some(4),
        b"C_NONE" => Some(254),
        b"C_ANY" => Some(255),
        _ => n.strip_prefix(b"qclass-").and_then(number),
    }
}

/// IN, with or without mDNS's unicast-response / cache-flush bit.
fn is_internet(class: u64) -> bool {
    class & 0x7fff == 1
}

/// What one logged answer is, from its rendering in `main.zeek`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Datum<'a> {
    /// An A (`true`) or AAAA record's address, as written.
    Ip(bool, &'a str),
    /// `TXT n s…` or `SPF n s…`: the type and the whole rendering.
    Text(RrType, &'a [u8]),
    /// `NAPTR …`, the whole rendering.
    Naptr(&'a [u8]),
    /// `RRSIG <covered type> <signer>`: the covered type.
    Rrsig(u16),
    /// A name: CNAME, NS, PTR, MX, SRV or SOA data.
    Name(&'a [u8]),
    /// A rendering that keeps too little of its record (DNSKEY, DS, NSEC, LOC, …).
    Opaque,
}

impl Datum<'_> {
    /// Data that belongs to the end of a CNAME chain.
    fn is_typed(&self) -> bool {
        matches!(self, Datum::Ip(..) | Datum::Text(..) | Datum::Naptr(_))
    }
}

/// `word` then a space then a digit.
fn starts_word_number(b: &[u8], word: &[u8]) -> bool {
    b.len() > word.len() + 1
        && b.starts_with(word)
        && b[word.len()] == b' '
        && b[word.len() + 1].is_ascii_digit()
}

fn classify(a: &[u8]) -> Datum<'_> {
    let first = a.first().copied().unwrap_or(b' ');
    // Zeek writes addresses in their canonical text; the shape decides, and core checks the
    // address when it builds the record (no name is four numbers, nor holds a colon and
    // nothing but hex digits, colons and dots).
    if first.is_ascii_hexdigit() || first == b':' {
        let (mut colons, mut dots, mut decimal, mut hex) = (0usize, 0usize, true, true);
        for &c in a.iter().take(46) {
            match c {
                b'0'..=b'9' => {}
                b'.' => dots += 1,
                b':' => {
                    colons += 1;
                    decimal = false;
                }
                b'a'..=b'f' | b'A'..=b'F' => decimal = false,
                _ => {
                    (decimal, hex) = (false, false);
                    break;
                }
            }
        }
        let text = || std::str::from_utf8(a).ok();
        if hex && colons > 0 && a.len() <= 45 {
            if let Some(t) = text() {
                return Datum::Ip(false, t);
            }
        }
        if decimal && dots == 3 && a.len() <= 15 {
            if let Some(t) = text() {
                return Datum::Ip(true, t);
            }
        }
    }
    if !first.is_ascii_uppercase() && first != b'<' {
        return Datum::Name(a);
    }
    if starts_word_number(a, b"TXT") {
        return Datum::Text(RrType::TXT, a);
    }
    if starts_word_number(a, b"SPF") {
        return Datum::Text(RrType::SPF, a);
    }
    if starts_word_number(a, b"NAPTR") {
        return Datum::Naptr(a);
    }
    if starts_word_number(a, b"RRSIG") {
        let n = a[6..].iter().take_while(|c| c.is_ascii_digit()).count();
        return number(&a[6..6 + n])
            .and_then(|t| u16::try_from(t).ok())
            .map_or(Datum::Opaque, Datum::Rrsig);
    }
    const OPAQUE: &[&[u8]] = &[
        b"NSEC ",
        b"SSHFP: ",
        b"LOC: ",
        b"<unknown type=",
        b"pre: ",
        b"del: ",
        b"add: ",
    ];
    if matches!(a, b"NSEC3" | b"NSEC3PARAM" | b"BIND9 signing signal")
        || OPAQUE.iter().any(|p| a.starts_with(p))
    {
        return Datum::Opaque;
    }
    // Any other `<TYPE> <number>…` rendering (DNSKEY, DS, and types later releases add).
    if let Some(sp) = memchr::memchr(b' ', a) {
        let word = &a[..sp];
        if word
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && a.get(sp + 1).is_some_and(u8::is_ascii_digit)
            && std::str::from_utf8(word).ok().is_some_and(is_mnemonic)
        {
            return Datum::Opaque;
        }
    }
    Datum::Name(a)
}

/// A mnemonic of core's table (not a number, not `TYPEn`).
fn is_mnemonic(s: &str) -> bool {
    !s.starts_with(|c: char| c.is_ascii_digit())
        && !s.starts_with("TYPE")
        && s.parse::<RrType>().is_ok_and(|t| t.mnemonic().is_some())
}

/// `TXT 5 hello TXT 5 world` as `"hello" "world"`, the strings split by their logged lengths,
/// or at each ` TXT <n> ` when a length does not fit.
fn text_rdata(a: &[u8], word: &[u8]) -> String {
    let mut out = String::with_capacity(a.len() + 4);
    if text_by_length(a, word, &mut out).is_none() {
        out.clear();
        text_by_marker(a, word, &mut out);
    }
    out
}

/// The prefix `word` SP digits SP at the start of `s`; returns (length, rest).
fn text_prefix<'a>(s: &'a [u8], word: &[u8]) -> Option<(usize, &'a [u8])> {
    let s = s.strip_prefix(word)?.strip_prefix(b" ")?;
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let len = usize::try_from(number(&s[..n])?).ok()?;
    Some((len, s[n..].strip_prefix(b" ")?))
}

fn text_by_length(a: &[u8], word: &[u8], out: &mut String) -> Option<()> {
    let mut s = a;
    loop {
        let (len, rest) = text_prefix(s, word)?;
        let piece = rest.get(..len)?;
        if !out.is_empty() {
            out.push(' ');
        }
        quote_into(out, piece);
        let after = &rest[len..];
        if after.is_empty() {
            return Some(());
        }
        s = after.strip_prefix(b" ")?;
    }
}

fn text_by_marker(a: &[u8], word: &[u8], out: &mut String) {
    let Some((_, mut s)) = text_prefix(a, word) else {
        quote_into(out, a);
        return;
    };
    let mut marker = Vec::with_capacity(word.len() + 2);
    marker.push(b' ');
    marker.extend_from_slice(word);
    marker.push(b' ');
    loop {
        // The next " TXT <digits> " that starts a new string.
        let next = memchr::memmem::find_iter(s, &marker)
            .find(|&i| text_prefix(&s[i + 1..], word).is_some());
        if !out.is_empty() {
            out.push(' ');
        }
        match next {
            Some(i) => {
                quote_into(out, &s[..i]);
                s = text_prefix(&s[i + 1..], word).map_or(&b""[..], |(_, r)| r);
            }
            None => {
                quote_into(out, s);
                return;
            }
        }
    }
}

/// `NAPTR <order> <pref> <flags> <service> [<regexp>] [<replacement>]` (Zeek leaves out an
/// empty regexp and the root replacement) as `order pref "flags" "service" "regexp" replacement`.
fn naptr_rdata(a: &[u8]) -> Option<String> {
    let mut parts = a.splitn(6, |c| *c == b' ');
    let _tag = parts.next()?;
    let order = number(parts.next()?)?;
    let pref = number(parts.next()?)?;
    let flags = parts.next()?;
    let service = parts.next()?;
    let rest = parts.next().unwrap_or_default();
    let (regexp, replacement): (&[u8], &[u8]) = match memchr::memrchr(b' ', rest) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => match rest.first() {
            // A regexp starts with its delimiter (`!` by custom); a name with a letter, digit
            // or underscore.
            Some(c) if !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'*') => (rest, b""),
            _ => (b"", rest),
        },
    };
    let replacement = normalize_name(&name_text(replacement)).ok()?;
    let mut out = String::with_capacity(a.len() + 8);
    let _ = write!(out, "{order} {pref} ");
    quote_into(&mut out, flags);
    out.push(' ');
    quote_into(&mut out, service);
    out.push(' ');
    quote_into(&mut out, regexp);
    out.push(' ');
    out.push_str(&replacement);
    Some(out)
}

/// How the names among a query type's answers are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Names are data of this type (NS, MX, SRV, SOA, PTR).
    NameData(RrType),
    /// Names are CNAME targets, followed to the end of the chain.
    Chain,
    /// ANY: everything belongs to the query name, names are skipped.
    Any,
    /// A zone transfer: nothing is taken.
    Transfer,
    /// No query type: a name is a CNAME when typed data follows it.
    Unknown,
}

fn reading(qtype: Option<RrType>) -> Reading {
    match qtype {
        None => Reading::Unknown,
        Some(t @ (RrType::NS | RrType::MX | RrType::SRV | RrType::SOA | RrType::PTR)) => {
            Reading::NameData(t)
        }
        Some(RrType::ANY) => Reading::Any,
        // MAILB and MAILA are query types for several record types, like ANY.
        Some(RrType::Other(253 | 254)) => Reading::Any,
        Some(RrType::AXFR | RrType::IXFR) => Reading::Transfer,
        Some(_) => Reading::Chain,
    }
}

fn is_reverse_name(name: &[u8]) -> bool {
    let n = name.strip_suffix(b".").unwrap_or(name);
    let lower = |suffix: &[u8]| {
        n.len() > suffix.len() && n[n.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    lower(b".in-addr.arpa") || lower(b".ip6.arpa")
}

/// One record's fields, whichever form it was written in.
struct Entry<'a> {
    ts: Option<&'a [u8]>,
    /// The JSON writer's `ts`, already read.
    ts_value: Option<Option<Timestamp>>,
    query: Option<Cow<'a, [u8]>>,
    class: Option<u64>,
    /// A `qclass_name` that names no class known here.
    odd_class: bool,
    qtype: Option<RrType>,
    netbios: bool,
    /// Multicast DNS: one response answers several questions, for several owners.
    mdns: bool,
    opcode: Option<u64>,
}

impl Entry<'_> {
    fn time(&self, n: u64) -> Result<Timestamp, ParseError> {
        let t = match (self.ts_value, self.ts) {
            (Some(v), _) => v,
            (None, Some(raw)) => timestamp(raw),
            (None, None) => {
                return Err(ParseError::new(n, ErrorKind::Timestamp, "no ts field"));
            }
        };
        t.ok_or_else(|| {
            let shown = String::from_utf8_lossy(self.ts.unwrap_or_default());
            ParseError::new(
                n,
                ErrorKind::Timestamp,
                format!("ts {shown:?} is not a time"),
            )
        })
    }
}

impl Parser {
    /// Reads a `#` line into the header state.
    fn header_line(&mut self, l: &[u8]) {
        if let Some(v) = l.strip_prefix(b"#separator ") {
            let sep = unescape(v.trim_ascii()).into_owned();
            self.header = Header::default();
            if !sep.is_empty() {
                self.header.sep = sep;
            }
            return;
        }
        let h = &mut self.header;
        let (key, value) = match memchr::memmem::find(l, &h.sep) {
            Some(i) => (&l[..i], &l[i + h.sep.len()..]),
            None => (l, &b""[..]),
        };
        match key {
            b"#set_separator" => h.set_sep = unescape(value).into_owned(),
            b"#empty_field" => h.empty = unescape(value).into_owned(),
            b"#unset_field" => h.unset = unescape(value).into_owned(),
            b"#fields" => {
                h.cols = Some(Columns::new(Split::new(value, &h.sep)));
            }
            _ => {}
        }
    }

    fn tsv(&mut self, l: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let h = &self.header;
        let Some(cols) = &h.cols else {
            return Err(ParseError::new(
                n,
                ErrorKind::Syntax,
                "a record before any #fields header",
            ));
        };
        if !cols.has_query {
            return Ok(Outcome::Skipped);
        }
        let mut f: [Option<&[u8]>; SLOTS] = [None; SLOTS];
        let mut count = 0usize;
        let mut take = |field| {
            if let Some(&s) = cols.slot.get(count) {
                if s != UNUSED && field != h.unset.as_slice() {
                    f[usize::from(s)] = Some(field);
                }
            }
            count += 1;
        };
        if let [sep] = h.sep.as_slice() {
            // One pass of the SIMD search over the whole line.
            let mut start = 0;
            for at in memchr::memchr_iter(*sep, l) {
                take(&l[start..at]);
                start = at + 1;
            }
            take(&l[start..]);
        } else {
            Split::new(l, &h.sep).for_each(&mut take);
        }
        if count != cols.count {
            return Err(ParseError::new(
                n,
                ErrorKind::Syntax,
                format!("{count} fields where #fields names {}", cols.count),
            ));
        }
        let empty = h.empty.as_slice();
        fn str_of<'v>(v: Option<&'v [u8]>, empty: &[u8]) -> Option<&'v [u8]> {
            v.map(|v| if v == empty { &b""[..] } else { v })
        }
        // Zeek's own table values, compared as written (an escape matches none of them).
        let qclass_name = str_of(f[QCLASS_NAME], empty);
        let qtype_name = str_of(f[QTYPE_NAME], empty);
        let opcode_name = str_of(f[OPCODE_NAME], empty);
        let entry = Entry {
            ts: f[TS],
            ts_value: None,
            query: str_of(f[QUERY], empty).map(unescape),
            class: f[QCLASS]
                .and_then(number)
                .or_else(|| qclass_name.and_then(class_of_name)),
            odd_class: f[QCLASS].is_none()
                && qclass_name.is_some_and(|c| class_of_name(c).is_none()),
            qtype: f[QTYPE]
                .and_then(number)
                .and_then(|t| u16::try_from(t).ok())
                .map(RrType::from_u16)
                .or_else(|| qtype_name.and_then(rrtype_of_name)),
            netbios: is_netbios(f[RESP_P].and_then(number), qtype_name, opcode_name),
            mdns: f[RESP_P].and_then(number) == Some(5353),
            opcode: f[OPCODE].and_then(number),
        };
        fn vector<'v>(v: Option<&'v [u8]>, empty: &[u8], set_sep: &'v [u8]) -> Split<'v> {
            match v {
                Some(v) if v != empty => Split::new(v, set_sep),
                _ => Split::empty(),
            }
        }
        let answers = vector(f[ANSWERS], empty, &h.set_sep);
        let ttls = vector(f[TTLS], empty, &h.set_sep);
        let iter = TsvAnswers {
            answers,
            ttls,
            empty,
        };
        build(&mut self.views, entry, iter, n, out)
    }

    fn json(&mut self, l: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        // One UTF-8 check for the whole line, cheaper than one per string.
        let owned: String;
        let text = match std::str::from_utf8(l) {
            Ok(t) => t,
            Err(_) => {
                owned = crate::input::text(l).into_owned();
                &owned
            }
        };
        let j = match flat::scan(text) {
            Some(j) => j,
            // Anything the scanner does not take (escaped keys, nesting, bad JSON) goes through
            // serde_json, which also words the error.
            None => serde_json::from_str(text).map_err(|e| ParseError::from_json_line(n, &e))?,
        };
        if j.path.as_deref().is_some_and(|p| !p.contains("dns")) {
            return Ok(Outcome::Skipped);
        }
        if j.query.is_none()
            && j.answers.is_none()
            && j.answers_raw.is_none()
            && j.qtype.is_none()
            && j.rcode.is_none()
            && j.trans_id.is_none()
        {
            // Not a DNS record: another log's line in the same stream.
            return Ok(Outcome::Skipped);
        }
        let ts_value = match &j.ts {
            Some(JsonTs::Secs(f)) => Some(secs_f64(*f)),
            Some(JsonTs::Int(i)) => Some(if i.unsigned_abs() >= 100_000_000_000 {
                Some(Timestamp::from_millis(*i))
            } else {
                i.checked_mul(1000).map(Timestamp::from_millis)
            }),
            Some(JsonTs::Text(s)) => Some(timestamp(s.as_bytes())),
            None => None,
        };
        let ts_raw = match &j.ts {
            Some(JsonTs::Text(s)) => Some(s.as_bytes()),
            _ => None,
        };
        let qclass_name = j.qclass_name.as_deref().map(str::as_bytes);
        let qtype_name = j.qtype_name.as_deref().map(str::as_bytes);
        let entry = Entry {
            ts: ts_raw,
            ts_value,
            query: j.query.as_deref().map(|q| unescape(q.as_bytes())),
            class: j.qclass.or_else(|| qclass_name.and_then(class_of_name)),
            odd_class: j.qclass.is_none()
                && qclass_name.is_some_and(|c| class_of_name(c).is_none()),
            qtype: j
                .qtype
                .and_then(|t| u16::try_from(t).ok())
                .map(RrType::from_u16)
                .or_else(|| qtype_name.and_then(rrtype_of_name)),
            netbios: is_netbios(
                j.resp_p,
                qtype_name,
                j.opcode_name.as_deref().map(str::as_bytes),
            ),
            mdns: j.resp_p == Some(5353),
            opcode: j.opcode,
        };
        let iter = match (j.answers_raw, j.ttls_raw) {
            (Some(answers), ttls) => JsonAnswers::Raw {
                answers,
                ttls: ttls.unwrap_or_default(),
            },
            (None, _) => JsonAnswers::Parsed {
                answers: j.answers.as_deref().unwrap_or_default(),
                ttls: j.ttls.as_deref().unwrap_or_default(),
                i: 0,
            },
        };
        build(&mut self.views, entry, iter, n, out)
    }
}

/// A JSON record's answers with their TTLs: from serde_json's vectors, or read in place from
/// the line by the fast scanner.
#[derive(Clone)]
enum JsonAnswers<'j, 'a> {
    Parsed {
        answers: &'j [Option<JsonStr<'a>>],
        ttls: &'j [Option<f64>],
        i: usize,
    },
    Raw {
        answers: flat::Items<'a>,
        ttls: flat::Items<'a>,
    },
}

impl<'j, 'a: 'j> Iterator for JsonAnswers<'j, 'a> {
    type Item = (Cow<'j, [u8]>, Option<u32>);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            JsonAnswers::Parsed { answers, ttls, i } => {
                let a = match answers.get(*i)? {
                    Some(s) => unescape(s.0.as_bytes()),
                    None => Cow::Borrowed(&b""[..]),
                };
                let ttl = ttls.get(*i).copied().flatten().and_then(ttl_f64);
                *i += 1;
                Some((a, ttl))
            }
            JsonAnswers::Raw { answers, ttls } => {
                let a = match answers.next_str()? {
                    Some(Cow::Borrowed(s)) => unescape(s.as_bytes()),
                    Some(Cow::Owned(s)) => Cow::Owned(unescape(s.as_bytes()).into_owned()),
                    None => Cow::Borrowed(&b""[..]),
                };
                let ttl = ttls.next_ttl().flatten();
                Some((a, ttl))
            }
        }
    }
}

fn secs_f64(f: f64) -> Option<Timestamp> {
    if !f.is_finite() || f.abs() > 1e12 {
        return None;
    }
    // Microseconds first, so that 1521911721.242 is not read as …241.9999.
    let us = (f * 1e6).round() as i64;
    Some(Timestamp::from_millis(us.div_euclid(1000)))
}

fn is_netbios(resp_p: Option<u64>, qtype_name: Option<&[u8]>, opcode_name: Option<&[u8]>) -> bool {
    resp_p == Some(137)
        || qtype_name == Some(b"NBSTAT")
        || opcode_name.is_some_and(|o| o.starts_with(b"netbios"))
}

/// A TSV record's answers with their TTLs.
#[derive(Clone)]
struct TsvAnswers<'a> {
    answers: Split<'a>,
    ttls: Split<'a>,
    empty: &'a [u8],
}

impl<'a> Iterator for TsvAnswers<'a> {
    type Item = (Cow<'a, [u8]>, Option<u32>);

    fn next(&mut self) -> Option<Self::Item> {
        let a = self.answers.next()?;
        let ttl = self.ttls.next().and_then(ttl_of);
        let a = if a == self.empty {
            Cow::Borrowed(&b""[..])
        } else {
            unescape(a)
        };
        Some((a, ttl))
    }
}

/// Builds the associations of one record, or its name sighting.
fn build<'x, I>(
    views: &mut ViewBuf,
    e: Entry<'_>,
    answers: I,
    n: u64,
    out: &mut dyn Emit,
) -> Result<Outcome, ParseError>
where
    I: Iterator<Item = (Cow<'x, [u8]>, Option<u32>)> + Clone,
{
    if e.netbios {
        return Ok(Outcome::Skipped);
    }
    if e.odd_class || e.class.is_some_and(|c| !is_internet(c)) {
        return Ok(Outcome::Skipped);
    }
    let Some(query) = e.query.as_deref() else {
        // Nothing named (a NOTIFY or update without a zone, a reply without a question).
        return Ok(Outcome::NoAnswer);
    };
    let qname = name_text(query);
    let seen = e.time(n)?;
    let qtype = e.qtype;
    let sighting = |views: &mut ViewBuf, out: &mut dyn Emit| -> Result<Outcome, ParseError> {
        views.name(out, &qname, qtype, seen, n)?;
        Ok(Outcome::NoAnswer)
    };
    if e.opcode.is_some_and(|o| o != 0) {
        return sighting(views, out);
    }
    let how = reading(e.qtype);
    if how == Reading::Transfer {
        return sighting(views, out);
    }
    // With no query type, names before the last typed answer are the chain's links.
    let last_typed = if how == Reading::Unknown {
        answers
            .clone()
            .enumerate()
            .filter(|(_, (a, _))| classify(a).is_typed())
            .map(|(i, _)| i + 1)
            .last()
            .unwrap_or(0)
    } else {
        0
    };
    let mut owner: Cow<'_, str> = Cow::Borrowed(&qname);
    let mut made = Made {
        out,
        seen,
        views,
        n,
        count: 0,
        err: None,
    };
    // In mDNS an answer is the question's only when it is of the type asked: Zeek pairs every
    // response on 5353 with the last question of the same (zero) id, so a host's probe for its
    // own name (ANY) comes with the announcement of its services that follows it.
    let asked = |t: RrType| !e.mdns || qtype.is_none_or(|q| q == t);
    let mut it = answers.enumerate();
    while let Some((i, (raw, ttl))) = it.next() {
        if raw.is_empty() {
            continue;
        }
        let here: &str = if how == Reading::Any { &qname } else { &owner };
        let name_data = matches!(how, Reading::NameData(_));
        match classify(&raw) {
            Datum::Ip(v4, text) if !name_data => {
                let t = if v4 { RrType::A } else { RrType::Aaaa };
                if asked(t) {
                    made.push(here, t, text, ttl);
                }
            }
            Datum::Text(t, _) if !asked(t) => {}
            Datum::Naptr(_) if !asked(RrType::NAPTR) => {}
            Datum::Text(t, body) if !name_data => {
                let word = if t == RrType::SPF {
                    &b"SPF"[..]
                } else {
                    b"TXT"
                };
                made.push(here, t, &text_rdata(body, word), ttl);
            }
            Datum::Naptr(body) if !name_data => match naptr_rdata(body) {
                Some(r) => made.push(here, RrType::NAPTR, &r, ttl),
                None => made.fail(ParseError::new(
                    n,
                    ErrorKind::Rdata,
                    format!(
                        "NAPTR answer {:?} cannot be read",
                        String::from_utf8_lossy(body)
                    ),
                )),
            },
            // mDNS answers several questions in one response, for several owners, and uses no
            // CNAMEs: past the first name, whose data is whose is unknown. So also for a PTR
            // or SRV question: Zeek pairs every response on 5353 with the last question of
            // the same (zero) id, and a host's own announcements follow its questions.
            Datum::Name(_) if e.mdns => break,
            Datum::Name(name) => {
                let target = name_text(name);
                let signed_cname = || {
                    it.clone()
                        .next()
                        .is_some_and(|(_, (a, _))| classify(&a) == Datum::Rrsig(5))
                };
                let cname = match how {
                    Reading::NameData(RrType::PTR) => is_reverse_name(name) || signed_cname(),
                    Reading::NameData(_) => signed_cname(),
                    Reading::Chain => true,
                    Reading::Unknown => i + 1 < last_typed,
                    Reading::Any | Reading::Transfer => continue,
                };
                match (cname, how) {
                    (true, _) => {
                        made.push(&owner, RrType::CNAME, &target, ttl);
                        owner = Cow::Owned(target.into_owned());
                    }
                    (false, Reading::NameData(t)) => made.push(&owner, t, &target, ttl),
                    // An unknown query type's trailing name: NS? PTR? MX? Skipped.
                    (false, _) => {}
                }
            }
            _ => {}
        }
    }
    match made.err {
        Some(err) => Err(err),
        None if made.count == 0 => sighting(made.views, made.out),
        None => Ok(Outcome::Answer),
    }
}

/// Where [`build`] puts associations, keeping the first error.
struct Made<'o> {
    out: &'o mut dyn Emit,
    seen: Timestamp,
    views: &'o mut ViewBuf,
    n: u64,
    count: usize,
    err: Option<ParseError>,
}

impl Made<'_> {
    fn push(&mut self, owner: &str, t: RrType, rdata: &str, ttl: Option<u32>) {
        match self.views.view(owner, t, rdata, self.seen, self.n) {
            Ok(mut a) => {
                a.ttl = ttl;
                self.out.association(a);
                self.count += 1;
            }
            Err(err) => self.fail(err),
        }
    }

    fn fail(&mut self, e: ParseError) {
        self.err.get_or_insert(e);
    }
}

/// A JSON string that borrows from the line when it has no escapes.
#[derive(Deserialize)]
struct JsonStr<'a>(#[serde(borrow)] Cow<'a, str>);

/// `ts` in any of the JSON writer's three forms.
enum JsonTs<'a> {
    /// `JSON::TS_EPOCH`: seconds.
    Secs(f64),
    /// `JSON::TS_MILLIS`: milliseconds (or seconds when small).
    Int(i64),
    /// `JSON::TS_ISO8601`.
    Text(Cow<'a, str>),
}

impl<'de: 'a, 'a> Deserialize<'de> for JsonTs<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = JsonTs<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number or a time string")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(JsonTs::Secs(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(JsonTs::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v)
                    .map(JsonTs::Int)
                    .map_err(|_| E::custom("ts out of range"))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(JsonTs::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(JsonTs::Text(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_any(V)
    }
}

/// A JSON line; the other keys are ignored.
#[derive(Deserialize, Default)]
struct JsonLine<'a> {
    #[serde(rename = "_path", borrow)]
    path: Option<Cow<'a, str>>,
    #[serde(borrow)]
    ts: Option<JsonTs<'a>>,
    #[serde(borrow)]
    uid: Option<Cow<'a, str>>,
    #[serde(borrow)]
    query: Option<Cow<'a, str>>,
    qclass: Option<u64>,
    #[serde(borrow)]
    qclass_name: Option<Cow<'a, str>>,
    qtype: Option<u64>,
    #[serde(borrow)]
    qtype_name: Option<Cow<'a, str>>,
    rcode: Option<u64>,
    trans_id: Option<u64>,
    #[serde(rename = "id.resp_p")]
    resp_p: Option<u64>,
    opcode: Option<u64>,
    #[serde(borrow)]
    opcode_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    answers: Option<Vec<Option<JsonStr<'a>>>>,
    #[serde(rename = "TTLs")]
    ttls: Option<Vec<Option<f64>>>,
    /// `answers` left in the line by the fast scanner.
    #[serde(skip)]
    answers_raw: Option<flat::Items<'a>>,
    /// `TTLs` left in the line by the fast scanner.
    #[serde(skip)]
    ttls_raw: Option<flat::Items<'a>>,
}

/// A fast reader of the flat objects Zeek writes, filling [`JsonLine`] without the per-key
/// work of a derived `Deserialize`: keys are compared as bytes, values of other keys are
/// skipped by a scan for their end. It gives up (`None`) on anything unusual — an escaped key,
/// a value of an unexpected kind, JSON it is not sure of — and the caller then asks
/// serde_json, so it only has to be right about what it accepts.
mod flat {
    use std::borrow::Cow;

    use super::{JsonLine, JsonTs};

    #[derive(Clone, Default)]
    struct Cursor<'a> {
        s: &'a str,
        b: &'a [u8],
        i: usize,
    }

    impl<'a> Cursor<'a> {
        fn peek(&self) -> Option<u8> {
            self.b.get(self.i).copied()
        }

        fn ws(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                self.i += 1;
            }
        }

        fn eat(&mut self, c: u8) -> Option<()> {
            self.ws();
            (self.peek()? == c).then(|| self.i += 1)
        }

        /// At an opening quote: the index of the closing one, and whether escapes lie between.
        fn string_end(&self) -> Option<(usize, bool)> {
            let mut j = self.i + 1;
            let mut escaped = false;
            loop {
                let k = j + memchr::memchr2(b'"', b'\\', self.b.get(j..)?)?;
                if self.b[k] == b'"' {
                    return Some((k, escaped));
                }
                escaped = true;
                j = k + 2;
            }
        }

        fn string(&mut self) -> Option<Cow<'a, str>> {
            if self.peek()? != b'"' {
                return None;
            }
            let (end, escaped) = self.string_end()?;
            let start = self.i;
            self.i = end + 1;
            if escaped {
                serde_json::from_str::<String>(self.s.get(start..=end)?)
                    .ok()
                    .map(Cow::Owned)
            } else {
                self.s.get(start + 1..end).map(Cow::Borrowed)
            }
        }

        /// `null` (true) or not (false, nothing consumed).
        fn null(&mut self) -> bool {
            let is = self.b.get(self.i..self.i + 4) == Some(b"null");
            if is {
                self.i += 4;
            }
            is
        }

        fn number_token(&mut self) -> Option<&'a [u8]> {
            let start = self.i;
            while matches!(
                self.peek(),
                Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
            ) {
                self.i += 1;
            }
            (self.i > start)
                .then(|| self.b.get(start..self.i))
                .flatten()
        }

        fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
            if self.null() {
                Some(None)
            } else {
                f(self).map(Some)
            }
        }

        fn count(&mut self) -> Option<Option<u64>> {
            self.opt(|c| {
                let t = c.number_token()?;
                super::number(t)
            })
        }

        fn text(&mut self) -> Option<Option<Cow<'a, str>>> {
            self.opt(Self::string)
        }

        fn ts(&mut self) -> Option<Option<JsonTs<'a>>> {
            self.opt(|c| {
                if c.peek()? == b'"' {
                    return c.string().map(JsonTs::Text);
                }
                let start = c.i;
                c.number_token()?;
                let t = c.s.get(start..c.i)?;
                if t.bytes().any(|d| matches!(d, b'.' | b'e' | b'E')) {
                    t.parse().ok().map(JsonTs::Secs)
                } else {
                    t.parse().ok().map(JsonTs::Int)
                }
            })
        }

        /// Checks an array of `item`s (or `null`) and returns a reader of its items.
        fn array(
            &mut self,
            mut item: impl FnMut(&mut Self) -> Option<()>,
        ) -> Option<Option<Items<'a>>> {
            if self.null() {
                return Some(None);
            }
            self.eat(b'[')?;
            let items = Items { c: self.clone() };
            self.ws();
            if self.peek()? == b']' {
                self.i += 1;
                return Some(Some(items));
            }
            loop {
                self.ws();
                if !self.null() {
                    item(self)?;
                }
                self.ws();
                match self.peek()? {
                    b',' => self.i += 1,
                    b']' => {
                        self.i += 1;
                        return Some(Some(items));
                    }
                    _ => return None,
                }
            }
        }

        /// Skips a value of a key not read.
        fn skip(&mut self) -> Option<()> {
            match self.peek()? {
                b'"' => {
                    self.i = self.string_end()?.0 + 1;
                }
                b'[' | b'{' => {
                    let mut depth = 0usize;
                    loop {
                        match self.peek()? {
                            b'"' => {
                                self.i = self.string_end()?.0;
                            }
                            b'[' | b'{' => depth += 1,
                            b']' | b'}' => {
                                depth -= 1;
                                if depth == 0 {
                                    self.i += 1;
                                    return Some(());
                                }
                            }
                            _ => {}
                        }
                        self.i += 1;
                    }
                }
                _ => {
                    let start = self.i;
                    while !matches!(
                        self.peek()?,
                        b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n'
                    ) {
                        self.i += 1;
                    }
                    let t = self.b.get(start..self.i)?;
                    let known = matches!(t, b"true" | b"false" | b"null")
                        || t.first().is_some_and(|c| c.is_ascii_digit() || *c == b'-');
                    if !known {
                        return None;
                    }
                }
            }
            Some(())
        }
    }

    /// The items of an array the scanner has checked, read again in place.
    #[derive(Clone, Default)]
    pub(super) struct Items<'a> {
        c: Cursor<'a>,
    }

    impl<'a> Items<'a> {
        /// The next item: `None` at the end, `Some(None)` for `null`.
        fn next_with<T>(
            &mut self,
            f: impl FnOnce(&mut Cursor<'a>) -> Option<T>,
        ) -> Option<Option<T>> {
            let c = &mut self.c;
            c.ws();
            if matches!(c.peek(), None | Some(b']')) {
                return None;
            }
            let v = c.opt(f);
            c.ws();
            if c.peek() == Some(b',') {
                c.i += 1;
            } else {
                // The end, or something the check let through: stop here next time.
                c.i = c.b.len();
            }
            v
        }

        pub(super) fn next_str(&mut self) -> Option<Option<Cow<'a, str>>> {
            self.next_with(Cursor::string)
        }

        /// The next number as a TTL: whole seconds, `None` inside for `null` or a number that
        /// is no TTL.
        pub(super) fn next_ttl(&mut self) -> Option<Option<u32>> {
            self.next_with(|c| Some(super::ttl_of(c.number_token()?)))
                .map(Option::flatten)
        }
    }

    /// Reads one flat JSON object, or `None` to leave it to serde_json.
    pub(super) fn scan(s: &str) -> Option<JsonLine<'_>> {
        let mut c = Cursor {
            s,
            b: s.as_bytes(),
            i: 0,
        };
        let mut j = JsonLine::default();
        c.eat(b'{')?;
        c.ws();
        if c.peek()? == b'}' {
            c.i += 1;
        } else {
            loop {
                c.ws();
                if c.peek()? != b'"' {
                    return None;
                }
                let (end, escaped) = c.string_end()?;
                if escaped {
                    return None;
                }
                let key = c.b.get(c.i + 1..end)?;
                c.i = end + 1;
                c.eat(b':')?;
                c.ws();
                match key {
                    b"_path" => j.path = c.text()?,
                    b"ts" => j.ts = c.ts()?,
                    b"query" => j.query = c.text()?,
                    b"qclass" => j.qclass = c.count()?,
                    b"qclass_name" => j.qclass_name = c.text()?,
                    b"qtype" => j.qtype = c.count()?,
                    b"qtype_name" => j.qtype_name = c.text()?,
                    b"rcode" => j.rcode = c.count()?,
                    b"trans_id" => j.trans_id = c.count()?,
                    b"id.resp_p" => j.resp_p = c.count()?,
                    b"opcode" => j.opcode = c.count()?,
                    b"opcode_name" => j.opcode_name = c.text()?,
                    b"answers" => j.answers_raw = c.array(|c| c.string().map(drop))?,
                    b"TTLs" => j.ttls_raw = c.array(|c| c.number_token().map(drop))?,
                    _ => c.skip()?,
                }
                c.ws();
                match c.peek()? {
                    b',' => c.i += 1,
                    b'}' => {
                        c.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        c.ws();
        (c.i == c.b.len()).then_some(j)
    }
}

impl FormatParser for Parser {
    fn line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let l = line.trim_ascii_end();
        match l.first() {
            None => Ok(Outcome::Skipped),
            Some(b'#') => {
                self.header_line(l);
                Ok(Outcome::Skipped)
            }
            Some(b'{') => self.json(l, n, out),
            Some(_) if l.trim_ascii_start().starts_with(b"{") => {
                self.json(l.trim_ascii_start(), n, out)
            }
            Some(_) => self.tsv(line, n, out),
        }
    }
}

/// Certain (100) for a `#fields` header naming `query` and a query type or answers; 90 when the
/// first lines are all Zeek DNS JSON objects (`ts`, `uid` and a DNS field).
pub fn sniff(sample: &str) -> u8 {
    let mut json = 0;
    for l in crate::format::first_lines(sample, 30) {
        if let Some(v) = l.strip_prefix("#fields") {
            let mut names = v.split(['\t', ' ', ',']);
            let has = |want: &[&str]| v.split(['\t', ' ', ',']).any(|f| want.contains(&f));
            return if names.any(|f| f == "query") && has(&["qtype", "qtype_name", "answers"]) {
                100
            } else {
                0
            };
        }
        if l.starts_with('#') {
            continue;
        }
        if !l.starts_with('{') || l.contains("\"event_type\"") {
            return 0;
        }
        let ok = serde_json::from_str::<JsonLine<'_>>(l).is_ok_and(|j| {
            j.ts.is_some()
                && j.uid.is_some()
                && (j.query.is_some()
                    || j.qtype.is_some()
                    || j.rcode.is_some()
                    || j.answers.is_some())
        });
        if !ok {
            return 0;
        }
        json += 1;
        if json >= 10 {
            break;
        }
    }
    if json > 0 {
        90
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    //! Hand-written inputs. TSV records are built on the header of Zeek's own btest baselines
    //! (`tests/fixtures/zeek/zeek-btest-*`), whose records carry canonified `XXXXXXXXXX.XXXXXX`
    //! timestamps; here those records are repeated with a real `ts`.
    use super::*;
    use crate::Record;
    use crate::{parse_str, Format, Stats};

    const HEAD: &str = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n#open\t2026-11-29-19-00-00\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected\topcode\topcode_name\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool\tcount\tstring\n";

    /// A record of the baseline layout: `ts` and the fields from `query` to `TTLs`.
    fn rec(ts: &str, from_query: &str) -> String {
        format!("{ts}\tCHhAvVGS1DHFjwGM9\t10.0.0.1\t53000\t10.0.0.53\t53\tudp\t4711\t0.001000\t{from_query}\tF\t0\tquery\n")
    }

    fn run(input: &str) -> (Vec<String>, Stats) {
        let (recs, stats) = parse_str(Format::Zeek, input);
        let out = recs
            .iter()
            .map(|r| match r {
                Record::Association(a) => format!(
                    "{} {} {} {}",
                    a.rrname,
                    a.rrtype,
                    a.rdata,
                    a.ttl.map_or("-".into(), |t| t.to_string())
                ),
                Record::Name(n) => format!(
                    "name {} {}",
                    n.rrname,
                    n.rrtype.map_or("-".into(), |t| t.to_string())
                ),
            })
            .collect();
        (out, stats)
    }

    fn tsv(rows: &[(&str, &str)]) -> (Vec<String>, Stats) {
        let mut s = HEAD.to_string();
        for (ts, r) in rows {
            s.push_str(&rec(ts, r));
        }
        s.push_str("#close\t2026-11-29-19-00-01\n");
        run(&s)
    }

    #[test]
    fn cname_chain_is_followed_to_the_addresses() {
        // opt.basic: upload.wikimedia.org A.
        let (out, s) = tsv(&[(
            "1795979759.242506",
            "upload.wikimedia.org\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\tupload.pmtpa.wikimedia.org,208.80.152.3\t124.000000,2156.000000",
        )]);
        assert_eq!(
            out,
            [
                "upload.wikimedia.org CNAME upload.pmtpa.wikimedia.org 124",
                "upload.pmtpa.wikimedia.org A 208.80.152.3 2156",
            ]
        );
        assert_eq!((s.lines, s.skipped, s.associations), (10, 9, 2));
        let (recs, _) = parse_str(
            Format::Zeek,
            &format!(
                "{HEAD}{}",
                rec(
                    "1795979759.242506",
                    "x.test\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t192.0.2.1\t1.000000"
                )
            ),
        );
        let Record::Association(a) = &recs[0] else {
            panic!()
        };
        assert_eq!(a.first_seen.millis(), 1_795_979_759_242);
    }

    #[test]
    fn signatures_between_answers_are_passed_over() {
        // rrsig: a CNAME and an A, each followed by its RRSIG.
        let (out, _) = tsv(&[(
            "1795979759.5",
            "workfamily.sas.upenn.edu\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tT\tF\tF\tF\t1\tquasar.sas.upenn.edu,RRSIG 5 upenn.edu,128.91.234.145,RRSIG 1 upenn.edu\t900.000000,900.000000,30.000000,30.000000",
        )]);
        assert_eq!(
            out,
            [
                "workfamily.sas.upenn.edu CNAME quasar.sas.upenn.edu 900",
                "quasar.sas.upenn.edu A 128.91.234.145 30",
            ]
        );
        // dnskey: nothing but DNSSEC renderings gives a name sighting.
        let (out, s) = tsv(&[(
            "1795979759.5",
            "upenn.edu\t1\tC_INTERNET\t48\tDNSKEY\t0\tNOERROR\tF\tF\tT\tT\t2\tDNSKEY 5,DNSKEY 5,DNSKEY 5,RRSIG 48 upenn.edu,RRSIG 48 upenn.edu\t5.000000,5.000000,5.000000,3444.000000,3444.000000",
        )]);
        assert_eq!(out, ["name upenn.edu DNSKEY"]);
        assert_eq!(s.no_answer, 1);
    }

    #[test]
    fn txt_strings_are_split_by_their_lengths() {
        // multiple-txt-strings: a reply without its query (no qtype), two CNAMEs, then one TXT
        // record of two strings.
        let (out, _) = tsv(&[(
            "1795979759",
            "flkr._domainkey.flickr.com\t-\t-\t-\t-\t0\tNOERROR\tT\tF\tF\tF\t0\tfa14._domainkey.flickr.com,fa14._domainkey.yahoo.com,TXT 8 k=rsa; p TXT 5 HSrD\\x2c\t900.000000,900.000000,7200.000000",
        )]);
        assert_eq!(
            out,
            [
                "flkr._domainkey.flickr.com CNAME fa14._domainkey.flickr.com 900",
                "fa14._domainkey.flickr.com CNAME fa14._domainkey.yahoo.com 900",
                "fa14._domainkey.yahoo.com TXT \"k=rsa; p\" \"HSrD,\" 7200",
            ]
        );
        // ipv6-frag: strings that contain " TXT ", and quotes and bytes escaped for the output.
        let (out, _) = tsv(&[(
            "1795979759",
            "t.test\t1\tC_INTERNET\t16\tTXT\t0\tNOERROR\tT\tF\tT\tF\t0\tTXT 33 This TXT record should be ignored TXT 5 a\"b\\x5cc TXT 2 \\xe9\\x01\t1.000000",
        )]);
        assert_eq!(
            out,
            ["t.test TXT \"This TXT record should be ignored\" \"a\\\"b\\\\c\" \"\\233\\001\" 1"]
        );
        // A length that does not fit: split at the next " TXT <n> ".
        assert_eq!(text_rdata(b"TXT 9 abc TXT 2 de", b"TXT"), "\"abc\" \"de\"");
        assert_eq!(text_rdata(b"TXT 0  TXT 1 x", b"TXT"), "\"\" \"x\"");
    }

    #[test]
    fn spf_naptr_and_names_of_name_types() {
        let (out, _) = tsv(&[
            // spf: reply only, two SPF records.
            ("1795979759", "mail.vladg.net\t-\t-\t-\t-\t0\tNOERROR\tF\tF\tF\tT\t0\tSPF 19 v=spf1 mx -all test,SPF 14 v=spf1 mx -all\t300.000000,300.000000"),
            // naptr (the btest's zeek-cut column subset, as a whole record).
            ("1795979759", "fp-de-carrier-vodafone.rcs.telephony.goog\t1\tC_INTERNET\t35\tNAPTR\t0\tNOERROR\tF\tF\tT\tT\t0\tNAPTR 100 100 s SIPS+D2T _sips._tcp.fp-de-carrier-vodafone.rcs.telephony.goog,NAPTR 10 20 u E2U+sip !^.*$!sip:info@example.test!\t60.000000,60.000000"),
            ("1795979759", "1.68.7.199.in-addr.arpa\t1\tC_INTERNET\t12\tPTR\t0\tNOERROR\tF\tF\tT\tT\t0\tpdns3.ultradns.org\t86400.000000"),
            ("1795979759", "example.test\t1\tC_INTERNET\t15\tMX\t0\tNOERROR\tF\tF\tT\tT\t0\tmx1.example.test,Mx2.Example.Test\t300.000000,300.000000"),
            ("1795979759", "_ldap._tcp.example.test\t1\tC_INTERNET\t33\tSRV\t0\tNOERROR\tF\tF\tT\tT\t0\tdc1.example.test\t600.000000"),
            ("1795979759", "example.test\t1\tC_INTERNET\t6\tSOA\t0\tNOERROR\tF\tF\tT\tT\t0\tns1.example.test\t3600.000000"),
            // RFC 2317: the CNAME into the delegated range, then the PTR there.
            ("1795979759", "5.2.0.192.in-addr.arpa\t1\tC_INTERNET\t12\tPTR\t0\tNOERROR\tF\tF\tT\tT\t0\t5.0/26.2.0.192.in-addr.arpa,host.example.test\t86400.000000,300.000000"),
            // NS behind a signed CNAME.
            ("1795979759", "www.example.test\t1\tC_INTERNET\t2\tNS\t0\tNOERROR\tF\tF\tT\tT\t0\tweb.example.test,RRSIG 5 example.test,ns1.example.test\t60.000000,60.000000,60.000000"),
        ]);
        assert_eq!(
            out,
            [
                "mail.vladg.net SPF \"v=spf1 mx -all test\" 300",
                "mail.vladg.net SPF \"v=spf1 mx -all\" 300",
                "fp-de-carrier-vodafone.rcs.telephony.goog NAPTR 100 100 \"s\" \"SIPS+D2T\" \"\" _sips._tcp.fp-de-carrier-vodafone.rcs.telephony.goog 60",
                "fp-de-carrier-vodafone.rcs.telephony.goog NAPTR 10 20 \"u\" \"E2U+sip\" \"!^.*$!sip:info@example.test!\" . 60",
                "1.68.7.199.in-addr.arpa PTR pdns3.ultradns.org 86400",
                "example.test MX mx1.example.test 300",
                "example.test MX mx2.example.test 300",
                "_ldap._tcp.example.test SRV dc1.example.test 600",
                "example.test SOA ns1.example.test 3600",
                "5.2.0.192.in-addr.arpa CNAME 5.0/26.2.0.192.in-addr.arpa 86400",
                "5.0/26.2.0.192.in-addr.arpa PTR host.example.test 300",
                "www.example.test CNAME web.example.test 60",
                "web.example.test NS ns1.example.test 60",
            ]
        );
    }

    #[test]
    fn any_transfer_and_unknown_query_types() {
        let (out, _) = tsv(&[
            // ANY: addresses belong to the query name; a name could be anything.
            ("1795979759", "dns.msftncsi.com\t1\tC_INTERNET\t255\t*\t0\tNOERROR\tF\tF\tT\tT\t0\tfd3e:4f5a:5b81::1,ns.msftncsi.com,131.107.255.255\t465.000000,10.000000,13.000000"),
            // AXFR: the zone's data without owners.
            ("1795979759", "zone.test\t1\tC_INTERNET\t252\tAXFR\t0\tNOERROR\tF\tF\tF\tF\t0\tns1.zone.test,192.0.2.1\t60.000000,60.000000"),
            // No qtype, a name and nothing typed after it: NS? PTR? Skipped.
            ("1795979759", "_googlecast._tcp.local\t-\t-\t-\t-\t0\tNOERROR\tT\tF\tF\tF\t0\tbravia._googlecast._tcp.local\t120.000000"),
            // A query type Zeek has no name for, numbered.
            ("1795979759", "example.net\t1\tC_INTERNET\t65534\tquery-65534\t0\tNOERROR\tT\tF\tT\tT\t2\tBIND9 signing signal\t0.000000"),
            // HTTPS: Zeek logs only the CNAME.
            ("1795979759", "www.example.net\t1\tC_INTERNET\t65\tHTTPS\t0\tNOERROR\tF\tF\tT\tT\t0\tcdn.example.net\t30.000000"),
        ]);
        assert_eq!(
            out,
            [
                "dns.msftncsi.com AAAA fd3e:4f5a:5b81::1 465",
                "dns.msftncsi.com A 131.107.255.255 13",
                "name zone.test AXFR",
                "name _googlecast._tcp.local -",
                "name example.net TYPE65534",
                "www.example.net CNAME cdn.example.net 30",
            ]
        );
    }

    #[test]
    fn what_is_skipped_and_what_is_a_sighting() {
        let (out, s) = tsv(&[
            // CHAOS.
            ("1795979759", "version.bind\t3\tC_CHAOS\t16\tTXT\t0\tNOERROR\tF\tF\tT\tT\t0\tTXT 4 9.18\t0.000000"),
            // mDNS question with the unicast-response bit.
            ("1795979759", "printer.local\t32769\tqclass-32769\t1\tA\t-\t-\tF\tF\tF\tF\t0\t-\t-"),
            // NXDOMAIN, rejected (gre-pptp).
            ("1795979759", "xqt-detect-mode2-97712e88-167a-45b9-93ee-913140e76678\t1\tC_INTERNET\t28\tAAAA\t3\tNXDOMAIN\tF\tF\tT\tF\t0\t-\t-"),
            // The root, logged as the empty string.
            ("1795979759", "(empty)\t1\tC_INTERNET\t2\tNS\t-\t-\tF\tF\tF\tF\t0\t-\t-"),
            // No query at all (notify).
            ("1795979759", "-\t-\t-\t-\t-\t0\tNOERROR\tF\tF\tF\tF\t0\t-\t-"),
            // An empty vector.
            ("1795979759", "psu.edu\t1\tC_INTERNET\t28\tAAAA\t0\tNOERROR\tF\tF\tT\tF\t0\t(empty)\t(empty)"),
        ]);
        assert_eq!(
            out,
            [
                "name printer.local A",
                "name xqt-detect-mode2-97712e88-167a-45b9-93ee-913140e76678 AAAA",
                "name . NS",
                "name psu.edu AAAA",
            ]
        );
        assert_eq!((s.skipped - 9, s.no_answer, s.errors.len()), (1, 5, 0));
        // NetBIOS name service (opt.basic, wrccdc): by port, type name or opcode name.
        let (out, s) = run(&format!(
            "{HEAD}{}{}",
            "1795979759\tC\t10.0.0.1\t137\t10.0.0.255\t137\tudp\t1\t-\t*\t1\tC_INTERNET\t33\tNBSTAT\t-\t-\tF\tF\tF\tF\t0\t-\t-\tF\t0\tnetbios-query\n",
            "1795979759\tC\t10.0.0.1\t56641\t10.0.0.255\t5000\tudp\t1\t-\tWORKGROUP\t1\tC_INTERNET\t32\tNIMLOC\t-\t-\tF\tF\tT\tF\t1\t-\t-\tF\t0\tnetbios-query\n",
        ));
        assert!(out.is_empty());
        assert_eq!(s.skipped, 8 + 2);
    }

    #[test]
    fn multicast_answers_past_a_name_are_left_alone() {
        // mdns-no-assoc: replies without their queries, on port 5353.
        let mdns = |q: &str, answers: &str, ttls: &str| {
            format!("1795979759\tC\tfe80::1\t5353\tff02::fb\t5353\tudp\t0\t-\t{q}\t-\t-\t-\t-\t0\tNOERROR\tT\tF\tF\tF\t0\t{answers}\t{ttls}\tF\t0\tquery\n")
        };
        let (out, _) = run(&format!(
            "{HEAD}{}{}",
            mdns(
                "unrelated-reply-a.local",
                "192.168.0.2,fe80::200:deff:fead:beef",
                "120.000000,120.000000"
            ),
            mdns(
                "_googlecast._tcp.local",
                "bravia._googlecast._tcp.local,TXT 4 id=1,192.168.0.9",
                "120.000000,4500.000000,120.000000"
            ),
        ));
        assert_eq!(
            out,
            [
                "unrelated-reply-a.local A 192.168.0.2 120",
                "unrelated-reply-a.local AAAA fe80::200:deff:fead:beef 120",
                "name _googlecast._tcp.local -",
            ]
        );
    }

    /// A Mac's probe for its own name (`ANY`) and its PTR questions, each paired by Zeek with
    /// the announcement of its own services that followed: nothing of them is an answer.
    #[test]
    fn multicast_announcements_paired_with_a_question_are_not_its_answers() {
        let (out, s) = run(include_str!(
            "../../tests/reference/zeek/soc-zeek-lab-mdns-announcements-paired.log"
        ));
        assert_eq!(
            out,
            [
                "name kishors-macbook-air.local ANY",
                "name _uscans._tcp.local PTR",
                "name _uscans._tcp.local PTR",
                "name kishors-macbook-air.local ANY",
                "name kishors-macbook-air.local ANY",
            ]
        );
        assert_eq!((s.lines, s.associations, s.errors.len()), (13, 0, 0));
    }

    /// The GSS-TSIG key a Windows client asks for before a secure dynamic update is no name
    /// anyone resolves.
    #[test]
    fn transaction_key_queries_give_no_sighting() {
        let text = include_str!("../../tests/reference/zeek/trickbot-playbook-ad-dns.log");
        assert!(text.contains("\tTKEY\t"), "the sample holds a TKEY query");
        let (out, s) = run(text);
        assert!(out.iter().all(|l| !l.contains("TKEY")), "{out:?}");
        assert!(
            out.contains(&"a1961.g2.akamai.net A 23.63.78.26 19".to_string()),
            "{out:?}"
        );
        assert_eq!((s.lines, s.errors.len()), (21, 0));
    }

    #[test]
    fn opcodes_other_than_query_give_sightings_only() {
        let mut input = HEAD.to_string();
        // dynamic-update and notify, as the baselines log them.
        input.push_str("1795979759\tC\t192.168.1.106\t5353\t192.168.1.1\t53\tudp\t1\t0.1\tnwin2.stratolab.org\t-\t-\t-\t-\t5\tREFUSED\tF\tF\tF\tF\t0\tpre: NoRRSet CNAME nwin2.stratolab.org,del: RRSet AAAA,del: RRSet A,add: A nwin2.stratolab.org 192.168.1.106\t0.000000,0.000000,0.000000,1200.000000\tF\t5\tdynamic-update\n");
        input.push_str("1795979759\tC\t203.0.113.82\t57394\t203.0.113.22\t53\tudp\t2\t-\tdhcp.lbnl.us\t1\tC_INTERNET\t6\tSOA\t5\tREFUSED\tF\tF\tF\tF\t0\t-\t-\tT\t4\tnotify\n");
        let (out, s) = run(&input);
        assert_eq!(out, ["name nwin2.stratolab.org -", "name dhcp.lbnl.us SOA"]);
        assert_eq!(s.associations, 0);
    }

    #[test]
    fn header_blocks_are_read_anew() {
        // A block with other columns in another order, then one with another separator and
        // markers, then another log's block.
        let input = format!(
            "{HEAD}{}#separator \\x7c\n#set_separator|;\n#empty_field|EMPTY\n#unset_field|NONE\n#fields|answers|query|ts|TTLs\n{}{}#separator \\x09\n#fields\tts\tuid\tquery_count\n{}",
            rec("1795979759", "a.test\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t192.0.2.1\t1.000000"),
            "b.test;192.0.2.2|B.test|1795979760.000001|5.5;7\n",
            "EMPTY|c.test|1795979761|NONE\n",
            "1795979762\tCx\t3\n",
        );
        let (out, s) = run(&input);
        assert_eq!(
            out,
            [
                "a.test A 192.0.2.1 1",
                "b.test CNAME b.test 5",
                "b.test A 192.0.2.2 7",
                "name c.test -",
            ]
        );
        assert_eq!(s.errors.len(), 0);
        assert_eq!(s.skipped, 8 + 5 + 2 + 1);
    }

    #[test]
    fn bad_lines_are_typed() {
        let input = format!(
            "1795979759\tnot\ta\theader\n{HEAD}{}{}{}",
            "1795979759\ttoo\tfew\n",
            rec("XXXXXXXXXX.XXXXXX", "a.test\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t192.0.2.1\t1.000000"),
            rec("1795979759", "a.test\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t192.0.2.1,a..b,192.0.2.2\t1.000000"),
        );
        let (out, s) = run(&input);
        assert_eq!(s.errors["syntax"], 2, "{s:?}");
        assert_eq!(s.errors["timestamp"], 1);
        // The bad CNAME target is an error; what came before it stands.
        assert_eq!(s.errors["name"], 1);
        assert_eq!(out, ["a.test A 192.0.2.1 1"]);
    }

    #[test]
    fn escapes_and_markers() {
        assert_eq!(&*unescape(b"a\\x2cb\\x5c\\xzz\\"), b"a,b\\\\xzz\\");
        assert_eq!(
            name_text(b"nougat [28:d2]._tcp.local"),
            "nougat\\032[28:d2]._tcp.local"
        );
        assert_eq!(name_text(b"caf\xc3\xa9.test"), "caf\\195\\169.test");
        assert_eq!(name_text(b"a\\b"), "a\\\\b");
        assert_eq!(name_text(b""), ".");
        // A query that is literally "-" is written with its first byte escaped.
        let (out, _) = tsv(&[(
            "1795979759",
            "\\x2d\t1\tC_INTERNET\t1\tA\t3\tNXDOMAIN\tF\tF\tT\tF\t0\t-\t-",
        )]);
        assert_eq!(out, ["name - A"]);
    }

    #[test]
    fn timestamps() {
        assert_eq!(
            timestamp(b"1521911721.242506").map(Timestamp::millis),
            Some(1_521_911_721_242)
        );
        assert_eq!(
            timestamp(b"1521911721").map(Timestamp::millis),
            Some(1_521_911_721_000)
        );
        assert_eq!(timestamp(b"XXXXXXXXXX.XXXXXX"), None);
        assert_eq!(
            timestamp(b"2018-03-24T17:15:21.242504Z").map(Timestamp::millis),
            Some(1_521_911_721_242)
        );
        assert_eq!(
            timestamp(b"2018-03-24T18:15:21.9999999+01:00").map(Timestamp::millis),
            Some(1_521_911_721_999)
        );
        assert_eq!(
            timestamp(b"2018-03-24T17:15:20.1000000Z").map(Timestamp::millis),
            Some(1_521_911_721_000)
        );
        assert_eq!(timestamp(b"2018-02-30T00:00:00Z"), None);
        for (y, m, d) in [
            (1970, 1, 1),
            (2000, 2, 29),
            (2018, 3, 24),
            (2100, 12, 31),
            (1969, 7, 20),
        ] {
            let want = chrono::NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp()
                / 86_400;
            assert_eq!(days_from_civil(i64::from(y), m, d), Some(want));
        }
        assert_eq!(ttl_of(b"2229.000000"), Some(2229));
        assert_eq!(ttl_of(b"1.5e3"), Some(1500));
        assert_eq!(ttl_of(b"-1.000000"), None);
        assert_eq!(ttl_of(b"5000000000.0"), None);
    }

    const JSON_A: &str = r#"{"ts":1547188415.857497,"uid":"CAcJw21BbVedgFnYH3","id.orig_h":"192.168.86.167","id.orig_p":38339,"id.resp_h":"192.168.86.1","id.resp_p":53,"proto":"udp","trans_id":15209,"rtt":0.076967,"query":"dd625ffb4fc54735b281862aa1cd6cd4.us-west1.gcp.cloud.es.io","qclass":1,"qclass_name":"C_INTERNET","qtype":1,"qtype_name":"A","rcode":0,"rcode_name":"NOERROR","AA":false,"TC":false,"RD":true,"RA":true,"Z":0,"answers":["proxy-production-us-west1.gcp.cloud.es.io","proxy-production-us-west1-v1-009.gcp.cloud.es.io","35.199.178.4"],"TTLs":[119.0,119.0,59.0],"rejected":false}"#;

    #[test]
    fn json_lines_in_every_time_form() {
        let (out, s) = run(&format!("{JSON_A}\n"));
        assert_eq!(
            out,
            [
                "dd625ffb4fc54735b281862aa1cd6cd4.us-west1.gcp.cloud.es.io CNAME proxy-production-us-west1.gcp.cloud.es.io 119",
                "proxy-production-us-west1.gcp.cloud.es.io CNAME proxy-production-us-west1-v1-009.gcp.cloud.es.io 119",
                "proxy-production-us-west1-v1-009.gcp.cloud.es.io A 35.199.178.4 59",
            ]
        );
        assert_eq!(s.associations, 3);
        let at = |line: &str| match parse_str(Format::Zeek, line).0.first() {
            Some(Record::Association(a)) => Some(a.first_seen.millis()),
            Some(Record::Name(n)) => Some(n.first_seen.millis()),
            None => None,
        };
        let with_ts = |ts: &str| JSON_A.replace("1547188415.857497", ts);
        assert_eq!(at(&with_ts("1547188415.857497")), Some(1_547_188_415_857));
        assert_eq!(at(&with_ts("1547188415857")), Some(1_547_188_415_857));
        assert_eq!(
            at(&with_ts("\"2019-01-11T06:33:35.857497Z\"")),
            Some(1_547_188_415_857)
        );
        assert_eq!(at(&with_ts("1547188415")), Some(1_547_188_415_000));
        assert_eq!(at(&with_ts("1.547188415857497e9")), Some(1_547_188_415_857));
        assert_eq!(at(&with_ts("null")), None);
    }

    #[test]
    fn json_unset_fields_escapes_and_other_logs() {
        let lines = [
            // json_include_unset_fields: nulls everywhere.
            r#"{"ts":1567095830.680046,"uid":"C1","id.resp_p":53,"query":"printer.local","qclass":null,"qclass_name":null,"qtype":null,"qtype_name":null,"rcode":null,"answers":["printer-2.local",null,"fe80::1"],"TTLs":[120.0,null,null]}"#,
            // A byte that is not UTF-8, written as \x text inside the JSON string.
            r#"{"ts":1567095830.5,"uid":"C2","query":"caf\\xe9.test","qtype":16,"answers":["TXT 3 a\"b"],"TTLs":[60.0]}"#,
            // Another log in the same stream.
            r#"{"_path":"conn","ts":1567095830.5,"uid":"C3","proto":"udp"}"#,
            r#"{"ts":1567095830.5,"uid":"C4","proto":"udp","duration":1.5}"#,
            // An escaped key and nesting: left to serde_json.
            r#"{"ts":1567095830.5,"que\u0072y":"n.test","nested":{"a":[1,{"b":"]"}]},"qtype":1}"#,
            // Broken JSON: cut short (`truncated`), and a value of the wrong type (`json`).
            r#"{"ts":1567095830.5,"query":"n.test""#,
            r#"{"ts":1567095830.5,"query":["n.test"]}"#,
        ];
        let (out, s) = run(&(lines.join("\n") + "\n"));
        assert_eq!(
            out,
            [
                "printer.local CNAME printer-2.local 120",
                "printer-2.local AAAA fe80::1 -",
                "caf\\233.test TXT \"a\\\"b\" 60",
                "name n.test A",
            ]
        );
        assert_eq!(
            (s.skipped, s.errors["json"], s.errors["truncated"]),
            (2, 1, 1),
            "{s:?}"
        );
    }

    /// The fast scanner reads every real JSON line as serde_json does.
    #[test]
    fn flat_scanner_agrees_with_serde() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zeek");
        let mut n = 0;
        for f in [
            "zeek-6.2.0-wrccdc2018-dns.sample.ndjson",
            "fixture-elastic-beats-zeek-dns-json.log",
        ] {
            let text = std::fs::read_to_string(dir.join(f)).unwrap();
            for l in text.lines() {
                let fast = flat::scan(l).expect("scanner reads a real line");
                let slow: JsonLine<'_> = serde_json::from_str(l).unwrap();
                assert_eq!(summary(&fast), summary(&slow), "{l}");
                n += 1;
            }
        }
        assert!(n > 290);
    }

    /// Every field of a [`JsonLine`] as text, whichever way its arrays were read.
    fn summary(j: &JsonLine<'_>) -> String {
        let ts = match &j.ts {
            Some(JsonTs::Secs(f)) => format!("s{f}"),
            Some(JsonTs::Int(i)) => format!("i{i}"),
            Some(JsonTs::Text(t)) => format!("t{t}"),
            None => "-".into(),
        };
        let answers: Vec<String> = match &j.answers_raw {
            Some(items) => {
                let mut items = items.clone();
                std::iter::from_fn(|| items.next_str())
                    .map(|a| format!("{a:?}"))
                    .collect()
            }
            None => j
                .answers
                .iter()
                .flatten()
                .map(|a| format!("{:?}", a.as_ref().map(|s| &s.0)))
                .collect(),
        };
        let ttls: Vec<Option<u32>> = match &j.ttls_raw {
            Some(items) => {
                let mut items = items.clone();
                std::iter::from_fn(|| items.next_ttl()).collect()
            }
            None => j
                .ttls
                .iter()
                .flatten()
                .map(|t| t.and_then(ttl_f64))
                .collect(),
        };
        format!(
            "{:?} {ts} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {answers:?} {ttls:?}",
            j.path,
            j.query,
            j.qclass,
            j.qclass_name,
            j.qtype,
            j.qtype_name,
            j.rcode,
            j.trans_id,
            j.resp_p,
            j.opcode,
            j.opcode_name
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 400, ..Default::default() })]

        /// Mangled lines: the scanner never panics, and whatever it and serde_json both read,
        /// they read alike.
        #[test]
        fn flat_scanner_on_mangled_lines(
            cut in 0usize..600,
            at in 0usize..600,
            byte in proptest::prelude::any::<u8>(),
        ) {
            let mut b = JSON_A.as_bytes().to_vec();
            if at < b.len() {
                b[at] = byte;
            }
            b.truncate(cut.max(1));
            if let Ok(l) = std::str::from_utf8(&b) {
                let fast = flat::scan(l);
                let slow = serde_json::from_str::<JsonLine<'_>>(l);
                if let (Some(f), Ok(s)) = (fast, slow) {
                    proptest::prop_assert_eq!(summary(&f), summary(&s));
                }
            }
        }
    }

    #[test]
    fn sniff_is_specific() {
        assert_eq!(sniff(HEAD), 100);
        assert_eq!(sniff(&format!("### BTest baseline data\n{HEAD}")), 100);
        assert_eq!(sniff(&format!("{JSON_A}\n{JSON_A}\n")), 90);
        // conn.log, passivedns JSON, Suricata EVE, cuckoo-dnsdump TSV.
        assert_eq!(
            sniff("#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tproto\n"),
            0
        );
        assert_eq!(
            sniff(
                r#"{"timestamp_s":1795979759,"query":"corp.test.","type":"A","answer":"127.0.60.1","ttl":300,"count":3}"#
            ),
            0
        );
        assert_eq!(
            sniff(
                r#"{"timestamp":"2026-11-29T19:00:00.000000+0000","event_type":"dns","uid":"x","ts":1,"query":"a"}"#
            ),
            0
        );
        assert_eq!(
            sniff("1458130003.61\twww.google.com\tA\t216.58.220.36\n"),
            0
        );
        assert_eq!(sniff(""), 0);
    }
}

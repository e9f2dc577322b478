//! dnsmasq `log-queries` log: the lines `log_query()` (dnsmasq `src/cache.c`) writes for every
//! query, forward, answer and DNSSEC step, in dnsmasq's own `log-facility` file, through syslog,
//! or with `log-queries=extra` (a serial number and the client) and `log-queries=proto`.
//!
//! Grammar (`SP` is one space; `[ ]` optional; the head is in
//! `formats/syslog_prefix.rs`):
//!
//! ```text
//! line     = head [ host SP ] "dnsmasq" [ "[" pid "]" ] ":" SP [ "dnsmasq[" pid "]:" SP ] body
//!                  ; log-facility file: "Nov 29 19:25:11 dnsmasq[1234]: "; syslog adds the host
//! body     = [ ( "UDP" / "TCP" ) SP ] [ serial SP [ client "/" port SP ] ] event   ; =extra, =proto
//! event    = "query[" qtype "]" SP name SP "from" SP client
//!          / "forwarded" SP name SP "to" SP server [ "#" port ]
//!          / "dnssec-query[" qtype "]" SP name SP "to" SP server
//!          / "validation" SP ( name / "result" ) SP "is" SP status [ extra ]
//!          / ( "ipset" / "nftset" ) SP "add" SP set SP address SP domain
//!          / "non-query opcode" SP n SP "from" SP client
//!          / source SP [ name SP ] "is" SP dest [ extra ]
//! source   = "reply" / "cached" / "cached-stale" / "config" / "DHCP" / "auth" / hosts-file
//! hosts-file = "/" path / "<unknown>"            ; /etc/hosts, addn-hosts, hostsdir files
//! dest     = IPv4 / IPv6                         ; an address record of name
//!          / "<CNAME>"                           ; name is an alias; the next line names its target
//!          / "<" type ">" / "<type=" n ">"       ; a record of that type, data not logged
//!          / "NXDOMAIN" / "NODATA" / ( "NXDOMAIN" / "NODATA" ) "-IPv4" / "-IPv6"
//!          / "SERVFAIL" / "REFUSED" / "FORMERR" / "not implemented" / n   ; name is "error"
//!          / ( "DNSKEY" / "DS" ) " keytag " … / "BOGUS DS" / "no DS"     ; DNSSEC
//!          / text                                ; one string of a TXT record
//! reverse  = source SP address SP "is" SP ( name / "NXDOMAIN" / "NODATA" … )  ; PTR answers
//! extra    = " (DNSSEC signed)" / " (EDE: " text ")" [ " (" path ".c:" line ")" ]
//!                                                ; Pi-hole's DEBUG_DNSMASQ_LINES adds the place
//! ```
//!
//! What each line yields:
//!
//! - `query[TYPE] NAME` yields a [`NameSighting`] of `NAME` with `TYPE` ([`Outcome::NoAnswer`]).
//!   `forwarded`, `dnssec-query`, `validation`, `ipset add` and the DNSSEC key lines repeat a
//!   query already counted or describe dnsmasq's own validation work: [`Outcome::Skipped`], like
//!   start-up and housekeeping messages and lines of other programs in a syslog file.
//! - An answer line with an address yields an A or AAAA [`Association`]; a reverse line
//!   (`reply 192.0.2.1 is host.example`) a PTR association of `1.2.0.192.in-addr.arpa`
//!   (`ip6.arpa` for IPv6). Answers dnsmasq gave from its configuration (`config`, `address=`,
//!   `host-record=`), hosts files, DHCP leases and its authoritative zones are associations like
//!   forwarded ones: they are what clients were told, and the source tag is the same `dnsmasq`.
//!   A blocklist's `address=/ads.example/0.0.0.0` therefore shows as `ads.example A 0.0.0.0`.
//! - `NAME is <CNAME>` names an alias whose target dnsmasq does not print: it follows the chain
//!   and logs the target's records next. The association `NAME CNAME TARGET` is yielded when the
//!   next line of the same dnsmasq process is an answer for `TARGET` from the same kind of
//!   source (upstream `reply` lines, or local ones), with the same serial under
//!   `log-queries=extra`. Without serials, an upstream chain could end with no line for its
//!   target and be followed at once by the reply to another query: dnsmasq stops after the
//!   CNAME for `ANY` and `CNAME` queries. So an upstream chain starting at a name queried with
//!   one of those types by the same process within the minute before yields no CNAME
//!   association (local answers follow their own query line and need no such care). Past
//!   dnsmasq's limit of ten CNAMEs a chain may end unannounced: the tenth link is not drawn.
//!   Any other line of the process between the two (`forwarded`, a warning) ends the chain. A
//!   reverse answer after a CNAME (a classless `in-addr.arpa` delegation) yields only a PTR
//!   sighting, as the record's owner is not printed.
//! - `NXDOMAIN` and `NODATA` answers, records logged as `<MX>`, `<SRV>`, `<TXT>` …, and TXT
//!   strings yield a [`NameSighting`] (type A/AAAA for `-IPv4`/`-IPv6`, the tag's type, TXT)
//!   and no association: dnsmasq logs no data for them, and a TXT record's strings are logged
//!   one per line, cut at the first unprintable byte. An upstream `<PTR>` line names the PTR's
//!   target, not its owner, and yields nothing; so do `reply error is REFUSED` (the rcode lines
//!   name no query) and `reply is truncated`.
//!
//! Bad lines: an unknown query or record type is an [`ErrorKind::RrType`] error, a name that
//! cannot be normalised an [`ErrorKind::Name`] error, and a `reply` or `cached` line cut
//! before `NAME is DEST` (or a query line without a name) an [`ErrorKind::Syntax`] error.
//!
//! Pi-hole: `NAME is blocked during CNAME inspection` (a CNAME target on its blocklist) is a
//! sighting of NAME without a type; the answers of Pi-hole 4's blocking lists, read by its
//! dnsmasq as hosts files (`/etc/pihole/gravity.list`, `black.list`, `regex.list`), are
//! blocking, not resolution (`0.0.0.0`, or the Pi-hole's own address in IP blocking mode), and
//! are skipped as Pi-hole 5's `gravity blocked` lines are.
//!
//! Not read: Pi-hole's own sources (`gravity blocked`, `regex denied`, `special domain` …) and
//! hosts files given by a relative path are skipped, and names are taken as dnsmasq printed
//! them (non-printable bytes already replaced). dnsmasq logs no TTL.
//!
//! Time: dnsmasq stamps its own file with local time, `Mon DD HH:MM:SS` without a year (ctime),
//! and so does classic syslog: those take [`ParseOptions::timezone`] and [`ParseOptions::year`]
//! (the latest year that does not put the line more than a day after the file's modification
//! time). RFC 3339 stamps (rsyslog, journald) are exact; OpenWrt `logread` stamps carry a year.
//! A line with no stamp (`log-facility=-` under `--keep-in-foreground`, dnsmasq's usual run in a
//! container) takes the time of the container runtime's record that holds it
//! ([`FormatParser::wrapper_time`]); outside a container it cannot be dated, and a query or
//! answer line without one is an [`ErrorKind::Timestamp`] error.
//!
//! [`NameSighting`]: yapdns_core::NameSighting
//! [`Association`]: yapdns_core::Association

use std::borrow::Cow;
use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use yapdns_core::{RrType, Timestamp};

use crate::error::{ErrorKind, ParseError};
use crate::formats::bind_zone::presentation_type;
use crate::formats::syslog_prefix::{
    head, skip_spaces, split_tag, tag_token, token, StampCache, Time,
};
use crate::formats::FormatParser;
use crate::input::{text, trim_end};
use crate::options::ParseOptions;
use crate::record::{Emit, Outcome};
use crate::view_buf::ViewBuf;

/// The format's name in `sources`.
const NAME: &str = "dnsmasq";

/// dnsmasq processes (the main one and its TCP children) with a CNAME line awaiting its target.
const MAX_PENDING: usize = 16;

/// Recent `ANY`/`CNAME` queries remembered to know where a chain may stop (plain log only).
const MAX_STOPPING_QUERIES: usize = 64;

/// How long (log time) an `ANY`/`CNAME` query may wait for its upstream reply: dnsmasq gives
/// up on a forwarded query well before.
const STOPPING_WINDOW_MS: i64 = 60_000;

/// dnsmasq follows at most this many CNAMEs (`CNAME_CHAIN`); a longer chain ends unannounced.
const MAX_CHAIN: u8 = 10;

/// Parser state: the options and tag, the last stamp, and the CNAME chains in progress.
pub struct Parser {
    opts: ParseOptions,
    views: ViewBuf,
    stamps: StampCache,
    pending: Vec<Pending>,
    stopping: VecDeque<(Option<u32>, Box<[u8]>, Timestamp)>,
    /// The last query for an IPv4 address written as a name (`query[A] 192.0.2.1`, `dig
    /// 192.0.2.1` without `-x`), and its process, until a reverse lookup: its negative answer,
    /// `cached 192.0.2.1 is NXDOMAIN`, is written as a failed reverse lookup's is, and is this
    /// query's.
    literal_query: Option<(Option<u32>, Box<[u8]>)>,
    /// The time the container runtime gave the line being read ([`FormatParser::wrapper_time`]),
    /// for a line written without one.
    wrapper_time: Option<Timestamp>,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            opts: opts.clone(),
            views: ViewBuf::new(NAME, opts.sensor.as_deref()),
            stamps: StampCache::default(),
            pending: Vec::new(),
            stopping: VecDeque::new(),
            literal_query: None,
            wrapper_time: None,
        }
    }
}

/// A `<CNAME>` line whose target is the name of the next answer line of its process.
#[derive(Debug)]
struct Pending {
    pid: Option<u32>,
    serial: Option<u64>,
    owner: String,
    upstream: bool,
    /// The chain may end here (an `ANY` or `CNAME` query): no association may be drawn.
    stops: bool,
    /// CNAME lines in the chain so far.
    depth: u8,
    seen: Timestamp,
}

/// Where an answer came from: upstream (`reply`) or dnsmasq itself (cache, config, hosts, DHCP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Upstream,
    Local,
}

/// What a `log_query` line says, after its prefix.
#[derive(Debug, PartialEq, Eq)]
enum Event<'a> {
    Query {
        qtype: &'a [u8],
        name: &'a [u8],
        /// The name holds a space ([`query_name`]).
        spaced: bool,
    },
    Answer {
        origin: Origin,
        name: &'a [u8],
        dest: &'a [u8],
        /// The name holds a space ([`spaced_answer`]).
        spaced: bool,
    },
    /// An answer line that names no query (`reply is truncated`).
    Nameless,
    /// `non-query opcode N from …`.
    NonQuery,
    /// `ipset add` / `nftset add`, logged in the middle of an answer.
    SetAdd,
    /// A line of dnsmasq's query log that adds nothing (forwarded, DNSSEC steps).
    Repeat,
    /// A `reply` or `cached` line without `NAME is DEST`: cut short.
    Broken,
    /// A line about a name with bytes dnsmasq does not print, which it writes as
    /// `<name unprintable>` (its `sanitise`): no name is known.
    Unprintable,
}

/// What dnsmasq writes for a name (or answer) holding a byte that is not printable.
const UNPRINTABLE: &[u8] = b"<name unprintable>";

fn is_unprintable(b: &[u8]) -> bool {
    b.starts_with(UNPRINTABLE)
}

/// The event and serial of a message, or `None` for messages that are not query-log lines.
fn event(msg: &[u8]) -> Option<(Option<u64>, Event<'_>)> {
    let mut rest = msg;
    if let Some(r) = rest
        .strip_prefix(b"UDP ")
        .or_else(|| rest.strip_prefix(b"TCP "))
    {
        rest = r;
    }
    let mut serial = None;
    // Under `log-queries=extra`, the queries dnsmasq makes itself (its DNSSEC checks) have a
    // serial and no client.
    let mut own = false;
    let (first, after) = token(rest);
    if !first.is_empty() && first.len() <= 19 && first.iter().all(u8::is_ascii_digit) {
        serial = Some(first.iter().fold(0u64, |acc, &c| {
            acc.wrapping_mul(10).wrapping_add(u64::from(c - b'0'))
        }));
        rest = after;
        let (client, after) = token(rest);
        if is_client_port(client) {
            rest = after;
        } else {
            own = true;
        }
    }
    let (source, rest) = token(rest);
    // `230 reply arpa is SERVFAIL`: the answer to one of dnsmasq's own DS queries.
    if own && (source == b"reply" || source.starts_with(b"cached")) {
        return Some((serial, Event::Repeat));
    }
    let ev = match source {
        b"reply" => strict(answer(Origin::Upstream, rest), rest),
        b"cached" | b"cached-stale" => strict(answer(Origin::Local, rest), rest),
        b"config" | b"DHCP" | b"auth" | b"<unknown>" => answer(Origin::Local, rest),
        // Pi-hole 4's blocking lists, read by its dnsmasq as hosts files: blocking, not
        // resolving, as Pi-hole 5's `gravity blocked` lines are.
        s if s.starts_with(b"/") => {
            if is_pihole_blocklist(s) {
                return None;
            }
            answer(Origin::Local, rest)
        }
        s if s.starts_with(b"query[") && s.ends_with(b"]") => {
            let qtype = s.get(6..s.len() - 1)?;
            // `<name`, of `<name unprintable>`: one byte tells.
            if rest.first() == Some(&b'<') && is_unprintable(rest) {
                return Some((serial, Event::Unprintable));
            }
            let (name, spaced) = query_name(rest);
            Event::Query {
                qtype,
                name,
                spaced,
            }
        }
        // A query of type 0: dnsmasq prints no `[TYPE]`.
        b"query" if memchr::memmem::find(rest, b" from ").is_some() => {
            let (name, spaced) = query_name(rest);
            Event::Query {
                qtype: b"type=0",
                name,
                spaced,
            }
        }
        b"forwarded" | b"validation" => Event::Repeat,
        s if s.starts_with(b"dnssec-query[") => Event::Repeat,
        b"ipset" | b"nftset" if rest.starts_with(b"add ") => Event::SetAdd,
        b"non-query" if rest.starts_with(b"opcode ") => Event::NonQuery,
        _ => return None,
    };
    Some((serial, ev))
}

/// The hosts files Pi-hole 4 blocked through (`/etc/pihole/gravity.list`, `black.list`,
/// `regex.list`), whose answers are its blocking address (`0.0.0.0`, or its own address in
/// IP blocking mode), not a resolution. `/etc/pihole/local.list` (the Pi-hole's own names)
/// and `custom.list` (local DNS records) are answers like any hosts file's.
fn is_pihole_blocklist(source: &[u8]) -> bool {
    matches!(
        source.strip_prefix(b"/etc/pihole/".as_slice()),
        Some(b"gravity.list" | b"black.list" | b"blacklist.txt" | b"regex.list")
    )
}

/// A name as dnsmasq prints it, in presentation form. dnsmasq writes a label's bytes as they
/// are: a name with a space in it ([`query_name`], [`spaced_answer`]) has its spaces written
/// `\032`, and its backslashes `\\`, as master-file text (and every other source) writes them.
/// A backslash in a name without a space stays as dnsmasq wrote it: looking for one in every
/// name would cost every line, for a byte no real name holds.
#[inline(always)]
fn name_text(name: &[u8], spaced: bool) -> Cow<'_, str> {
    if spaced {
        escaped_text(name)
    } else {
        text(name)
    }
}

#[cold]
fn escaped_text(name: &[u8]) -> Cow<'_, str> {
    let mut escaped = Vec::with_capacity(name.len() + 8);
    for &c in name {
        match c {
            b' ' => escaped.extend_from_slice(b"\\032"),
            b'\\' => escaped.extend_from_slice(b"\\\\"),
            c => escaped.push(c),
        }
    }
    Cow::Owned(text(&escaped).into_owned())
}

/// The name of `NAME from CLIENT`, and whether it holds a space. dnsmasq prints a space
/// inside a label as a space: the client, an address, is after the last ` from `.
#[inline(always)]
fn query_name(rest: &[u8]) -> (&[u8], bool) {
    let (name, from) = token(rest);
    if from.starts_with(b"from ") {
        return (name, false);
    }
    spaced_query_name(rest, name)
}

#[cold]
#[inline(never)]
fn spaced_query_name<'a>(rest: &'a [u8], name: &'a [u8]) -> (&'a [u8], bool) {
    match memchr::memmem::rfind(rest, b" from ").and_then(|i| rest.get(..i)) {
        Some(spaced) => (spaced, true),
        None => (name, false),
    }
}

/// `source SP [ name SP ] "is" SP dest`; anything else is not an answer line.
fn answer(origin: Origin, rest: &[u8]) -> Event<'_> {
    if rest.starts_with(b"is ") {
        return Event::Nameless;
    }
    let (name, after) = token(rest);
    match after.strip_prefix(b"is ") {
        Some(dest) if !name.is_empty() => Event::Answer {
            origin,
            name,
            dest,
            spaced: false,
        },
        // `<name unprintable> is …`: the space is dnsmasq's own.
        _ if is_unprintable(rest) => Event::Nameless,
        _ => spaced_answer(origin, rest),
    }
}

/// An answer line whose name holds a space, as dnsmasq prints it (`reply odd space.lab.test
/// is 192.0.2.48`): cut at the last ` is ` that a destination other than text follows, an
/// address, a `<TYPE>`, a negative answer (`reply a b is c.test is NXDOMAIN`), else at the
/// first (a TXT string may hold ` is `).
#[cold]
#[inline(never)]
fn spaced_answer(origin: Origin, rest: &[u8]) -> Event<'_> {
    let cuts: Vec<usize> = memchr::memmem::find_iter(rest, b" is ").collect();
    let at = cuts
        .iter()
        .rev()
        .find(|&&i| {
            rest.get(i + 4..)
                .is_some_and(|d| !matches!(dest(strip_extra(d)), Dest::Text(_)))
        })
        .or(cuts.first());
    match at.and_then(|&i| Some((rest.get(..i)?, rest.get(i + 4..)?))) {
        Some((name, dest)) if !name.is_empty() => Event::Answer {
            origin,
            name,
            dest,
            spaced: true,
        },
        _ => Event::Nameless,
    }
}

/// For the sources no other dnsmasq message starts with, a line that is not an answer (other
/// than `reply is truncated`) was cut short.
fn strict<'a>(ev: Event<'a>, rest: &[u8]) -> Event<'a> {
    match ev {
        // The space in `<name unprintable>` parts it like a name and the rest of a line.
        Event::Nameless if is_unprintable(rest) => Event::Unprintable,
        Event::Nameless if !rest.starts_with(b"is ") => Event::Broken,
        ev => ev,
    }
}

/// `client/port` as `log-queries=extra` writes it (`127.0.0.1/40531`, `::1/53000`).
fn is_client_port(tok: &[u8]) -> bool {
    match tok.iter().rposition(|&c| c == b'/') {
        Some(i) if i > 0 => {
            let port = tok.get(i + 1..).unwrap_or_default();
            !port.is_empty() && port.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

/// What an answer line's destination says.
#[derive(Debug, PartialEq, Eq)]
enum Dest<'a> {
    V4(&'a str),
    V6(&'a str),
    Cname,
    /// `<MX>`: a record of this type exists, its data is not logged.
    Tagged(&'a [u8]),
    /// NXDOMAIN / NODATA, with the type `-IPv4`/`-IPv6` gives.
    Negative(Option<RrType>),
    /// An rcode (`REFUSED` …) on a line naming no query.
    Rcode,
    /// DNSSEC key and DS lines.
    Dnssec,
    /// Pi-hole blocked the answer: the name (a CNAME target) was seen, its data not given.
    Blocked,
    /// A host name (reverse lines) or a TXT string.
    Text(&'a [u8]),
}

/// Drops the `(DNSSEC signed)` and `(EDE: …)` notes dnsmasq appends, and the source place
/// Pi-hole's `DEBUG_DNSMASQ_LINES` appends after them (`(/root/project/src/dnsmasq/cache.c:493)`).
fn strip_extra(dest: &[u8]) -> &[u8] {
    let mut d = strip_place(dest);
    if let Some(r) = d.strip_suffix(b" (DNSSEC signed)") {
        d = r;
    }
    if d.ends_with(b")") {
        if let Some(i) = memchr::memmem::rfind(d, b" (EDE: ") {
            d = d.get(..i).unwrap_or_default();
        }
    }
    d
}

/// `text (/path/file.c:493)` without the place, read from the end (most notes end in a
/// word, not a line number, and are told at once).
fn strip_place(d: &[u8]) -> &[u8] {
    let Some(inner) = d.strip_suffix(b")") else {
        return d;
    };
    let digits = inner
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let before = inner
        .get(..inner.len() - digits)
        .and_then(|b| b.strip_suffix(b".c:"));
    let (true, Some(before)) = (digits > 0, before) else {
        return d;
    };
    match memchr::memrchr(b'(', before) {
        Some(i)
            if i > 0 && before.get(i - 1) == Some(&b' ') && before.get(i + 1) == Some(&b'/') =>
        {
            d.get(..i - 1).unwrap_or_default()
        }
        _ => d,
    }
}

fn dest(d: &[u8]) -> Dest<'_> {
    match d {
        b"<CNAME>" => return Dest::Cname,
        b"NXDOMAIN" | b"NODATA" => return Dest::Negative(None),
        b"NXDOMAIN-IPv4" | b"NODATA-IPv4" => return Dest::Negative(Some(RrType::A)),
        b"NXDOMAIN-IPv6" | b"NODATA-IPv6" => return Dest::Negative(Some(RrType::Aaaa)),
        b"SERVFAIL" | b"REFUSED" | b"FORMERR" | b"not implemented" => return Dest::Rcode,
        b"BOGUS DS" | b"BOGUS DNSKEY" | b"no DS" | b"no DNSKEY" => return Dest::Dnssec,
        // Pi-hole: the answer named a CNAME target on its blocklist.
        b"blocked during CNAME inspection" => return Dest::Blocked,
        // A reverse answer whose name holds a byte dnsmasq does not print.
        UNPRINTABLE => return Dest::Negative(None),
        _ => {}
    }
    if let Some(inner) = d.strip_prefix(b"<").and_then(|r| r.strip_suffix(b">")) {
        return Dest::Tagged(inner);
    }
    if d.starts_with(b"DNSKEY keytag ") || d.starts_with(b"DS keytag ") {
        return Dest::Dnssec;
    }
    if !d.is_empty() && d.iter().all(u8::is_ascii_digit) {
        return Dest::Rcode;
    }
    if let Some(ip) = address(d) {
        return match ip {
            (IpAddr::V4(_), s) => Dest::V4(s),
            (IpAddr::V6(_), s) => Dest::V6(s),
        };
    }
    Dest::Text(d)
}

/// The address written in `b`, with its text, when `b` is one.
fn address(b: &[u8]) -> Option<(IpAddr, &str)> {
    let first = *b.first()?;
    if !(first.is_ascii_hexdigit() || first == b':') || b.len() > 45 {
        return None;
    }
    // Names are the common case: only digits and dots can be IPv4, only a colon makes IPv6.
    let v4 = first.is_ascii_digit() && b.iter().all(|&c| c.is_ascii_digit() || c == b'.');
    if !v4 && !b.contains(&b':') {
        return None;
    }
    let s = std::str::from_utf8(b).ok()?;
    if v4 {
        s.parse::<Ipv4Addr>().ok().map(|a| (IpAddr::V4(a), s))
    } else {
        s.parse::<Ipv6Addr>().ok().map(|a| (IpAddr::V6(a), s))
    }
}

/// The reverse-lookup name of an address (`4.3.2.1.in-addr.arpa`, nibbles under `ip6.arpa`).
fn reverse_name(ip: IpAddr) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(72);
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            let _ = write!(s, "{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0]);
        }
        IpAddr::V6(a) => {
            for b in a.octets().iter().rev() {
                let _ = write!(s, "{:x}.{:x}.", b & 0xf, b >> 4);
            }
            s.push_str("ip6.arpa");
        }
    }
    s
}

/// A query or record type as dnsmasq prints it: a mnemonic (`NSAP_PTR` with its own
/// spelling), or `type=N` for unnamed types.
fn rrtype(t: &[u8]) -> Option<RrType> {
    if t == b"NSAP_PTR" {
        return Some(RrType::from_u16(23));
    }
    if let Some(n) = t.strip_prefix(b"type=") {
        return std::str::from_utf8(n)
            .ok()?
            .parse::<u16>()
            .ok()
            .map(RrType::from_u16);
    }
    presentation_type(t)
}

/// The pid in a syslog tag, when written.
fn pid_of(pid: Option<&[u8]>) -> Option<u32> {
    std::str::from_utf8(pid?).ok()?.parse().ok()
}

impl Parser {
    /// The time of the line, or the error that it has none.
    fn seen(&mut self, time: Time, n: u64) -> Result<Timestamp, ParseError> {
        match time {
            Time::At(stamp) => self.stamps.resolve(stamp, &self.opts).ok_or_else(|| {
                ParseError::new(n, ErrorKind::Timestamp, "impossible date or local time")
            }),
            Time::Bad(why) => Err(ParseError::new(n, ErrorKind::Timestamp, why)),
            Time::Missing => self.wrapper_time.ok_or_else(|| {
                ParseError::new(
                    n,
                    ErrorKind::Timestamp,
                    "query-log line without a time stamp (log-facility=- in the foreground); cannot be dated",
                )
            }),
        }
    }

    /// Whether `name`, an address, is what the last such query of `pid` asked for as a name.
    #[cold]
    fn asked_as_name(&self, pid: Option<u32>, name: &[u8]) -> bool {
        self.literal_query
            .as_ref()
            .is_some_and(|(p, q)| *p == pid && **q == *name)
    }

    fn take_pending(&mut self, pid: Option<u32>) -> Option<Pending> {
        let i = self.pending.iter().position(|p| p.pid == pid)?;
        Some(self.pending.swap_remove(i))
    }

    fn push_pending(&mut self, p: Pending) {
        if self.pending.len() >= MAX_PENDING {
            self.pending.remove(0);
        }
        self.pending.push(p);
    }

    /// True when `name` was queried by `pid`, shortly before `seen`, with a type after whose
    /// CNAME dnsmasq stops without a line for the target.
    fn chain_may_stop(&self, pid: Option<u32>, name: &[u8], seen: Timestamp) -> bool {
        self.stopping.iter().any(|(p, n, t)| {
            *p == pid
                && n.eq_ignore_ascii_case(name)
                && (seen.millis() - t.millis()).abs() <= STOPPING_WINDOW_MS
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn answer(
        &mut self,
        origin: Origin,
        (name, spaced): (&[u8], bool),
        raw_dest: &[u8],
        pid: Option<u32>,
        serial: Option<u64>,
        time: Time,
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        let prev = self.take_pending(pid);
        let d = dest(strip_extra(raw_dest));
        if d == Dest::Dnssec {
            return Ok(Outcome::Skipped);
        }
        let seen = self.seen(time, n)?;
        let reverse = address(name);
        // Does this line continue the chain of the previous `<CNAME>` line of its process?
        let follows = prev.as_ref().filter(|p| {
            p.serial == serial
                && p.upstream == (origin == Origin::Upstream)
                && d != Dest::Tagged(&b"PTR"[..])
        });
        let mut produced = false;
        let mut next_stops = false;
        let mut depth = 1;
        if let Some(p) = follows {
            depth = p.depth.saturating_add(1);
            if reverse.is_none() && !p.owner.as_bytes().eq_ignore_ascii_case(name) {
                if p.stops {
                    next_stops = true;
                } else {
                    let target = name_text(name, spaced);
                    self.views
                        .association(out, &p.owner, RrType::CNAME, &target, p.seen, n)?;
                    produced = true;
                }
            }
        }
        // A negative answer for an address asked as a name is that query's, not a failed
        // reverse lookup's, which dnsmasq writes the same way.
        let reverse =
            reverse.filter(|_| !(matches!(d, Dest::Negative(_)) && self.asked_as_name(pid, name)));
        if let Some((ip, _)) = reverse {
            let rev = reverse_name(ip);
            match d {
                Dest::Text(host) if follows.is_none() => {
                    self.views
                        .association(out, &rev, RrType::PTR, &text(host), seen, n)?;
                    return Ok(Outcome::Answer);
                }
                Dest::Text(_) | Dest::Negative(_) => {
                    self.views.name(out, &rev, Some(RrType::PTR), seen, n)?;
                }
                _ => {}
            }
            return Ok(Outcome::NoAnswer);
        }
        let name_text = name_text(name, spaced);
        match d {
            Dest::V4(a) => {
                self.views
                    .association(out, &name_text, RrType::A, a, seen, n)?;
                return Ok(Outcome::Answer);
            }
            Dest::V6(a) => {
                self.views
                    .association(out, &name_text, RrType::Aaaa, a, seen, n)?;
                return Ok(Outcome::Answer);
            }
            Dest::Cname => {
                // Local answers follow their query line at once, so only an upstream reply
                // can run into the next query's reply where a chain stopped.
                let stops = next_stops
                    || depth >= MAX_CHAIN
                    || (serial.is_none()
                        && origin == Origin::Upstream
                        && self.chain_may_stop(pid, name, seen));
                let owner = name_text.into_owned();
                self.push_pending(Pending {
                    pid,
                    serial,
                    owner,
                    upstream: origin == Origin::Upstream,
                    stops,
                    depth,
                    seen,
                });
            }
            Dest::Tagged(t) => {
                // An upstream `<PTR>` line names the PTR's target, not its owner.
                if !(origin == Origin::Upstream && t == b"PTR") {
                    let rrtype = rrtype(t).ok_or_else(|| {
                        ParseError::new(
                            n,
                            ErrorKind::RrType,
                            format!("unknown record type {:?}", text(t)),
                        )
                    })?;
                    self.views.name(out, &name_text, Some(rrtype), seen, n)?;
                }
            }
            Dest::Negative(t) => self.views.name(out, &name_text, t, seen, n)?,
            Dest::Rcode => {
                if name != b"error" {
                    self.views.name(out, &name_text, None, seen, n)?;
                }
            }
            Dest::Text(_) => self
                .views
                .name(out, &name_text, Some(RrType::TXT), seen, n)?,
            Dest::Blocked => self.views.name(out, &name_text, None, seen, n)?,
            Dest::Dnssec => {}
        }
        Ok(if produced {
            Outcome::Answer
        } else {
            Outcome::NoAnswer
        })
    }
}

impl FormatParser for Parser {
    fn wrapper_time(&mut self, time: Timestamp) {
        self.wrapper_time = Some(time);
    }

    fn line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let line = trim_end(line);
        if line.is_empty() {
            return Ok(Outcome::Skipped);
        }
        let h = head(line);
        let (tag, msg) = match h.tag {
            Some(t) => (t, h.rest),
            None => match split_tag(h.rest) {
                Some(tm) => tm,
                None => return Ok(Outcome::Skipped),
            },
        };
        if tag.name != b"dnsmasq" {
            return Ok(Outcome::Skipped);
        }
        // dnsmasq's stderr (log-facility=-) captured by journald: its own tag is repeated.
        let (inner, after) = token(msg);
        let msg = match tag_token(inner) {
            Some(t) if t.name == b"dnsmasq" => skip_spaces(after),
            _ => msg,
        };
        let pid = pid_of(tag.pid);
        let Some((serial, ev)) = event(msg) else {
            // Any other message of the process (a rebinding warning) ends a chain too.
            self.take_pending(pid);
            return Ok(Outcome::Skipped);
        };
        match ev {
            Event::Answer {
                origin,
                name,
                dest,
                spaced,
            } => self.answer(origin, (name, spaced), dest, pid, serial, h.time, n, out),
            Event::SetAdd => Ok(Outcome::Skipped),
            Event::Repeat => {
                self.take_pending(pid);
                Ok(Outcome::Skipped)
            }
            Event::Nameless | Event::NonQuery | Event::Unprintable => {
                self.take_pending(pid);
                Ok(Outcome::NoAnswer)
            }
            Event::Broken => {
                self.take_pending(pid);
                Err(ParseError::new(
                    n,
                    ErrorKind::Syntax,
                    "answer line without NAME is DEST",
                ))
            }
            Event::Query {
                qtype,
                name,
                spaced,
            } => {
                self.take_pending(pid);
                if name.is_empty() {
                    return Err(ParseError::new(
                        n,
                        ErrorKind::Syntax,
                        "query line without a name",
                    ));
                }
                let seen = self.seen(h.time, n)?;
                let rrtype = rrtype(qtype).ok_or_else(|| {
                    ParseError::new(
                        n,
                        ErrorKind::RrType,
                        format!("unknown query type {:?}", text(qtype)),
                    )
                })?;
                if serial.is_none() && matches!(rrtype, RrType::ANY | RrType::CNAME) {
                    if self.stopping.len() >= MAX_STOPPING_QUERIES {
                        self.stopping.pop_front();
                    }
                    self.stopping.push_back((pid, name.into(), seen));
                }
                if rrtype == RrType::PTR {
                    self.literal_query = None;
                } else if name.first().is_some_and(u8::is_ascii_digit) && address(name).is_some() {
                    self.literal_query = Some((pid, name.into()));
                }
                self.views
                    .name(out, &name_text(name, spaced), Some(rrtype), seen, n)?;
                Ok(Outcome::NoAnswer)
            }
        }
    }
}

/// Sure when the first lines hold dnsmasq query-log lines (`dnsmasq[pid]: query[A] …`, in
/// dnsmasq's file or through syslog); unsure when they are only dnsmasq's start-up messages.
pub fn sniff(sample: &str) -> u8 {
    let mut lines = 0;
    let mut tagged = 0;
    let mut events = 0;
    for l in crate::format::first_lines(sample, 60) {
        lines += 1;
        let h = head(l.as_bytes());
        if matches!(h.time, Time::Bad(_)) {
            continue;
        }
        let Some((tag, msg)) = h.tag.map(|t| (t, h.rest)).or_else(|| split_tag(h.rest)) else {
            continue;
        };
        if tag.name != b"dnsmasq" {
            continue;
        }
        tagged += 1;
        if matches!(
            event(msg),
            Some((_, Event::Query { .. } | Event::Answer { .. }))
        ) {
            events += 1;
        }
    }
    if events > 0 {
        90
    } else if tagged > 0 && tagged * 2 >= lines {
        50
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::YearRule;
    use crate::Record;
    use crate::{parse_str_with, Format, Stats};

    fn run(input: &str) -> (Vec<Record>, Stats) {
        let opts = ParseOptions {
            year: YearRule::Fixed(2026),
            ..Default::default()
        };
        parse_str_with(Format::Dnsmasq, input, &opts)
    }

    fn show(records: &[Record]) -> Vec<String> {
        records
            .iter()
            .map(|r| match r {
                Record::Association(a) => format!("{} {} {}", a.rrname, a.rrtype, a.rdata),
                Record::Name(s) => format!(
                    "name {} {}",
                    s.rrname,
                    s.rrtype.map(|t| t.to_string()).unwrap_or_default()
                ),
            })
            .collect()
    }

    /// dnsmasq 2.90 (`tests/reference/dnsmasq/`) prints a space in a label as it is, and a
    /// query of type 0 without `[TYPE]`: names with a space come out in presentation form, as
    /// every other source writes them, and the answer after a spaced name is read.
    #[test]
    fn names_as_dnsmasq_prints_them() {
        let (r, s) = run(include_str!(
            "../../tests/reference/dnsmasq/dnsmasq-2.90-extra-edge-names.log"
        ));
        assert!(s.errors.is_empty(), "{s:?}");
        let got = show(&r);
        for want in [
            "name a\\032b\\032is\\032c.lab.test A",
            "name a\\032b\\032is\\032c.lab.test ",
            "name a\\032b\\032is\\0321.2.3.4 A",
            "name www.lab.test TYPE0",
        ] {
            assert!(got.iter().any(|g| g == want), "{want}: {got:?}");
        }
        assert!(!got.iter().any(|g| g == "name a A"), "{got:?}");
        let (r, s) = run(
            "Dec  1 05:54:27 dnsmasq[20468]: query[A] odd space.lab.test from 127.0.0.1\n\
             Dec  1 05:54:27 dnsmasq[20468]: forwarded odd space.lab.test to 127.0.0.1#5301\n\
             Dec  1 05:54:27 dnsmasq[20468]: reply odd space.lab.test is 192.0.2.48\n",
        );
        assert!(s.errors.is_empty(), "{s:?}");
        assert_eq!(
            show(&r),
            [
                "name odd\\032space.lab.test A",
                "odd\\032space.lab.test A 192.0.2.48"
            ]
        );
    }

    /// With `--dnssec` and `log-queries=extra`, dnsmasq's own DS queries (a serial and no
    /// client) get `reply NAME is SERVFAIL` lines: they are its validation work, not a
    /// client's question (dnsmasq 2.90 through rsyslog, `tests/reference/dnsmasq/`).
    #[test]
    fn own_dnssec_queries_are_not_sightings() {
        let (r, s) = run(include_str!(
            "../../tests/reference/dnsmasq/dnsmasq-2.90-syslog-extra-dnssec.log"
        ));
        assert!(s.errors.is_empty(), "{s:?}");
        assert_eq!(s.associations, 138);
        let got = show(&r);
        for own in [
            "name arpa ",
            "name ip6.arpa ",
            "name 8.b.d.0.1.0.0.2.ip6.arpa ",
        ] {
            assert!(!got.iter().any(|g| g == own), "{own}");
        }
    }

    /// A Pi-hole 4 under attack (`tests/reference/dnsmasq/`): names dnsmasq writes as
    /// `<name unprintable>` give no sighting and no error; an A query for an address written
    /// as a name, and its `NXDOMAIN`, are that name's, not a reverse lookup's.
    #[test]
    fn unprintable_names_and_addresses_asked_as_names() {
        let (r, s) = run(include_str!(
            "../../tests/reference/dnsmasq/pihole4-lab-unprintable-names.log"
        ));
        let mut want = Vec::new();
        for _ in 0..3 {
            want.extend(["name 192.168.56.101 A", "name 192.168.56.101 "]);
        }
        assert_eq!(show(&r), want);
        assert_eq!((s.lines, s.no_answer, s.skipped), (16, 14, 2), "{s:?}");
        assert!(s.errors.is_empty(), "{s:?}");
        // A failed reverse lookup is still one.
        let (r, _) = run(
            "Aug 25 20:47:19 dnsmasq[2890]: query[PTR] 101.56.168.192.in-addr.arpa from 192.168.56.102\n\
             Aug 25 20:47:19 dnsmasq[2890]: cached 192.168.56.101 is NXDOMAIN\n",
        );
        assert_eq!(
            show(&r),
            vec![
                "name 101.56.168.192.in-addr.arpa PTR",
                "name 101.56.168.192.in-addr.arpa PTR"
            ]
        );
    }

    /// Pi-hole's lines (`tests/reference/dnsmasq/`, from Pi-hole's issues): the source place
    /// `DEBUG_DNSMASQ_LINES` appends, a CNAME target blocked during CNAME inspection, and
    /// Pi-hole 4 blocking through `gravity.list` in IP blocking mode.
    #[test]
    fn pihole_debug_places_cname_inspection_and_blocking_lists() {
        // The `<CNAME>` line ends the file: its target never comes, so no link is drawn, and
        // nothing is a TXT record.
        let (r, s) = run(include_str!(
            "../../tests/reference/dnsmasq/pihole-web-1713-debug-dnsmasq-lines.log"
        ));
        assert_eq!(
            show(&r),
            vec![
                "name settings-win.data.microsoft.com A",
                "name settings-win.data.microsoft.com AAAA",
                "name settings-win.data.microsoft.com A",
                "name settings-win.data.microsoft.com AAAA",
            ]
        );
        assert!(s.errors.is_empty(), "{s:?}");
        let (r, _) = run(
            "Jan 24 15:10:19 dnsmasq[10382]: reply a.test is <CNAME> (/root/project/src/dnsmasq/cache.c:493)\n\
             Jan 24 15:10:19 dnsmasq[10382]: reply b.test is 192.0.2.7 (DNSSEC signed) (/root/project/src/dnsmasq/cache.c:493)\n",
        );
        assert_eq!(show(&r), vec!["a.test CNAME b.test", "b.test A 192.0.2.7"]);
        // GitHub's rendering ate the `<CNAME>` of the `… is` lines: those are syntax errors.
        let (r, s) = run(include_str!(
            "../../tests/reference/dnsmasq/pihole-ytadsblocker-12-cname-inspection.log"
        ));
        assert_eq!(
            show(&r)
                .iter()
                .filter(|l| l.starts_with("name r1.sn"))
                .collect::<Vec<_>>(),
            vec![
                "name r1.sn-apn7en7l.googlevideo.com ",
                "name r1.sn-apn7en7l.googlevideo.com "
            ]
        );
        assert_eq!(s.errors.get("syntax"), Some(&2), "{s:?}");
        let (r, _) = run(include_str!(
            "../../tests/reference/dnsmasq/pihole-140-gravity-list-ip-blocking.log"
        ));
        assert!(
            !show(&r).iter().any(|l| l.contains("192.168.1.100")),
            "{:?}",
            show(&r)
        );
    }

    #[test]
    fn plain_file_lines() {
        let (r, s) = run(
            "Nov 29 19:16:03 dnsmasq[13762]: query[A] www.corp.test from 127.0.21.1\n\
Nov 29 19:16:03 dnsmasq[13762]: forwarded www.corp.test to 127.0.10.1\n\
Nov 29 19:16:03 dnsmasq[13762]: reply www.corp.test is 127.0.60.1\n\
Nov 29 19:16:04 dnsmasq[13762]: reply www.corp.test is ::1\n\
Nov 29 19:16:04 dnsmasq[13762]: reply error is REFUSED\n\
Nov 29 19:16:04 dnsmasq[13762]: cached 127.0.60.1 is www.corp.test\n\
Nov 29 19:16:04 dnsmasq[13762]: reply 127.0.20.99 is NXDOMAIN\n\
Nov 29 19:16:04 dnsmasq[13762]: reply txtrec.corp.test is hello world\n\
Nov 29 19:16:04 dnsmasq[13762]: config office.lan is <MX>\n\
Nov 29 19:16:04 dnsmasq[13762]: cached edge.example.lab is NODATA-IPv4\n\
Nov 29 19:15:52 dnsmasq[13762]: started, version 2.90 cachesize 150\n",
        );
        assert_eq!(
            show(&r),
            [
                "name www.corp.test A",
                "www.corp.test A 127.0.60.1",
                "www.corp.test AAAA ::1",
                "1.60.0.127.in-addr.arpa PTR www.corp.test",
                "name 99.20.0.127.in-addr.arpa PTR",
                "name txtrec.corp.test TXT",
                "name office.lan MX",
                "name edge.example.lab A",
            ]
        );
        assert_eq!((s.associations, s.skipped), (3, 2), "{s:?}");
        let Record::Association(a) = &r[1] else {
            panic!()
        };
        assert_eq!(a.first_seen.millis(), 1_795_979_763_000);
    }

    #[test]
    fn cname_chains_in_a_plain_log() {
        let (r, _) = run(
            "Nov 29 19:16:03 dnsmasq[1]: query[A] tracker.example.lab from 127.0.0.1\n\
Nov 29 19:16:03 dnsmasq[1]: forwarded tracker.example.lab to 127.0.10.1\n\
Nov 29 19:16:03 dnsmasq[1]: reply tracker.example.lab is <CNAME>\n\
Nov 29 19:16:03 dnsmasq[2]: query[A] other.test from 127.0.0.1\n\
Nov 29 19:16:03 dnsmasq[1]: reply c1.example.lab is <CNAME>\n\
Nov 29 19:16:03 dnsmasq[1]: reply c3.example.lab is 127.0.60.23\n\
Nov 29 19:16:03 dnsmasq[1]: reply cdn.test is <CNAME>\n\
Nov 29 19:16:03 dnsmasq[1]: reply edge.test is NODATA-IPv4\n\
Nov 29 19:16:04 dnsmasq[1]: config files.home.test is <CNAME>\n\
Nov 29 19:16:04 dnsmasq[1]: cached www.lab.test is 127.0.80.1\n",
        );
        assert_eq!(
            show(&r),
            [
                "name tracker.example.lab A",
                "name other.test A",
                "tracker.example.lab CNAME c1.example.lab",
                "c1.example.lab CNAME c3.example.lab",
                "c3.example.lab A 127.0.60.23",
                "cdn.test CNAME edge.test",
                "name edge.test A",
                "files.home.test CNAME www.lab.test",
                "www.lab.test A 127.0.80.1",
            ]
        );
    }

    #[test]
    fn chains_that_may_stop_draw_nothing() {
        // ANY and CNAME queries: dnsmasq logs the CNAME and stops; the next reply belongs to
        // another query.
        let (r, _) = run(
            "Nov 29 19:16:03 dnsmasq[1]: query[ANY] alias.test from 127.0.0.1\n\
Nov 29 19:16:03 dnsmasq[1]: query[A] www.other.test from 127.0.0.1\n\
Nov 29 19:16:03 dnsmasq[1]: reply alias.test is <CNAME>\n\
Nov 29 19:16:03 dnsmasq[1]: reply www.other.test is 192.0.2.1\n\
Nov 29 19:16:04 dnsmasq[1]: query[CNAME] a2.test from 127.0.0.1\n\
Nov 29 19:16:04 dnsmasq[1]: cached a2.test is <CNAME>\n\
Nov 29 19:16:04 dnsmasq[1]: query[A] b.test from 127.0.0.1\n\
Nov 29 19:16:04 dnsmasq[1]: cached b.test is 192.0.2.2\n\
Nov 29 19:16:04 dnsmasq[1]: cached c.test is <CNAME>\n\
Nov 29 19:16:04 dnsmasq[1]: forwarded c.test to 127.0.0.2\n\
Nov 29 19:16:04 dnsmasq[1]: reply d.test is 192.0.2.4\n",
        );
        let s = show(&r);
        assert!(
            s.iter()
                .all(|l| l.starts_with("name") || !l.contains("CNAME")),
            "{s:?}"
        );
        assert_eq!(s.len(), 7, "{s:?}");
    }

    #[test]
    fn local_chains_need_no_query_memory_and_long_chains_stop() {
        let mut input = String::from(
            "Nov 29 19:16:04 dnsmasq[1]: query[CNAME] alias.test from 127.0.0.1\n\
Nov 29 19:16:04 dnsmasq[1]: cached alias.test is <CNAME>\n\
Nov 29 19:16:05 dnsmasq[1]: query[A] alias.test from 127.0.0.1\n\
Nov 29 19:16:05 dnsmasq[1]: cached alias.test is <CNAME>\n\
Nov 29 19:16:05 dnsmasq[1]: cached www.test is 192.0.2.1\n\
Nov 29 19:16:05 dnsmasq[1]: reply rebind.test is <CNAME>\n\
Nov 29 19:16:05 dnsmasq[1]: possible DNS-rebind attack detected: rebind.test\n\
Nov 29 19:16:05 dnsmasq[1]: reply other.test is 192.0.2.2\n",
        );
        for i in 0..11 {
            input.push_str(&format!(
                "Nov 29 19:16:06 dnsmasq[1]: reply c{i}.test is <CNAME>\n"
            ));
        }
        input.push_str("Nov 29 19:16:06 dnsmasq[1]: reply end.test is 192.0.2.3\n");
        let (r, _) = run(&input);
        let cnames: Vec<String> = show(&r)
            .into_iter()
            .filter(|l| l.contains(" CNAME ") && !l.starts_with("name"))
            .collect();
        assert_eq!(cnames[0], "alias.test CNAME www.test");
        // c0 → … → c8 (nine links); the chain is cut at dnsmasq's limit of ten CNAME lines.
        assert_eq!(cnames.len(), 1 + 9, "{cnames:?}");
        assert_eq!(cnames[9], "c8.test CNAME c9.test");
    }

    #[test]
    fn extra_serials_tie_a_chain() {
        let (r, _) = run("Nov 29 22:39:51 dnsmasq[31959]: 2 127.0.0.1/33349 query[A] alias.lab.test from 127.0.0.1\n\
Nov 29 22:39:51 dnsmasq[31959]: 2 127.0.0.1/33349 reply alias.lab.test is <CNAME>\n\
Nov 29 22:39:51 dnsmasq[31959]: 3 127.0.0.1/33350 reply other.lab.test is 127.0.80.9\n\
Nov 29 22:39:53 dnsmasq[32760]: 139 127.0.0.1/46673 query[ANY] alias.lab.test from 127.0.0.1\n\
Nov 29 22:39:53 dnsmasq[32760]: 139 127.0.0.1/46673 reply alias.lab.test is <CNAME> (DNSSEC signed)\n\
Nov 29 22:39:53 dnsmasq[32760]: 139 127.0.0.1/46673 reply chain1.lab.test is <CNAME> (DNSSEC signed)\n\
Nov 29 22:42:07 dnsmasq[6191]: 2 reply . is DNSKEY keytag 19785, algo 13\n\
Nov 29 22:42:07 dnsmasq[6191]: 1 127.0.0.1/44220 validation result is SECURE\n\
Nov 29 22:42:07 dnsmasq[6191]: UDP 7 ::1/5353 reply x.test is 2001:db8::1 (EDE: blocked)\n");
        assert_eq!(
            show(&r),
            [
                "name alias.lab.test A",
                "other.lab.test A 127.0.80.9",
                "name alias.lab.test ANY",
                "alias.lab.test CNAME chain1.lab.test",
                "x.test AAAA 2001:db8::1",
            ]
        );
    }

    #[test]
    fn syslog_rfc3339_openwrt_and_journald_layouts() {
        let (r, s) = run(
            "Nov 29 22:41:59 lab-resolver dnsmasq[6190]: reply www.lab.test is 127.0.80.1\n\
2026-11-29T22:41:59.108+00:00 lab-resolver dnsmasq[6190]: reply www.lab.test is 127.0.80.2\n\
Sun Nov 29 22:41:59 2026 daemon.info dnsmasq[6190]: reply www.lab.test is 127.0.80.3\n\
Nov 29 22:41:59 host dnsmasq[6190]: dnsmasq[6190]: reply www.lab.test is 127.0.80.4\n\
<30>1 2026-11-29T22:41:59Z host dnsmasq 6190 - - reply www.lab.test is 127.0.80.5\n\
Nov 29 22:41:59 host dnsmasq-dhcp[6190]: DHCPACK(eth0) 192.0.2.9 00:11:22:33:44:55 pc\n\
Nov 29 22:41:59 host named[1]: client @0x1 1.2.3.4#5 (x.test): query: x.test IN A +\n",
        );
        assert_eq!(s.associations, 5, "{s:?}");
        assert_eq!(s.skipped, 2);
        for rec in &r {
            let Record::Association(a) = rec else {
                panic!()
            };
            assert_eq!(a.first_seen.millis() / 1000, 1_795_992_119);
        }
    }

    #[test]
    fn hosts_dhcp_auth_and_ipv6_reverse() {
        let (r, _) = run(
            "Nov 29 22:38:42 dnsmasq[1]: /tmp/lab/hosts.lab fd00::70 is kiosk6.home.test\n\
Nov 29 22:38:42 dnsmasq[1]: /etc/hosts localhost is 127.0.0.1\n\
Nov 29 22:38:42 dnsmasq[1]: DHCP laptop.lan is 192.168.1.20\n\
Nov 29 22:38:42 dnsmasq[1]: auth www.zone.test is 192.0.2.80\n\
Nov 29 22:38:42 dnsmasq[1]: cached-stale short.lab.test is 127.0.80.9\n\
Nov 29 22:38:42 dnsmasq[1]: config ads.block.test is ::\n",
        );
        assert_eq!(
            show(&r),
            [
                "0.7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa PTR kiosk6.home.test",
                "localhost A 127.0.0.1",
                "laptop.lan A 192.168.1.20",
                "www.zone.test A 192.0.2.80",
                "short.lab.test A 127.0.80.9",
                "ads.block.test AAAA ::",
            ]
        );
    }

    #[test]
    fn odd_and_bad_lines() {
        let (r, s) = run(
            "Nov 29 22:38:42 dnsmasq[1]: query[type=65534] x.test from 127.0.0.1\n\
Nov 29 22:38:42 dnsmasq[1]: reply is truncated\n\
Nov 29 22:38:42 dnsmasq[1]: reply _svc._tcp.test is <PTR>\n\
Nov 29 22:38:42 dnsmasq[1]: config 99.78.0.127.in-addr.arpa is <PTR>\n\
Nov 29 22:38:42 dnsmasq[1]: non-query opcode 5 from 127.0.0.1\n\
Nov 29 22:38:42 dnsmasq[1]: ipset add set1 192.0.2.1 x.test\n\
Nov 29 22:38:42 dnsmasq[1]: query[WAT] x.test from 127.0.0.1\n\
Nov 29 22:38:42 dnsmasq[1]: reply bad..name is 192.0.2.1\n\
Feb 30 22:38:42 dnsmasq[1]: reply x.test is 192.0.2.1\n\
dnsmasq[1]: reply x.test is 192.0.2.1\n\
Nov 29 22:38:42 dnsmasq[1]: query[A] . from 127.0.0.1\n\
Nov 29 22:38:42 dnsmasq[1]: reply www.cut.test\n\
Nov 29 22:38:42 dnsmasq[1]: cached www.cut.test was\n",
        );
        assert_eq!(
            show(&r),
            [
                "name x.test TYPE65534",
                "name 99.78.0.127.in-addr.arpa PTR",
                "name . A",
            ]
        );
        assert_eq!(s.errors.get("rrtype"), Some(&1), "{s:?}");
        assert_eq!(s.errors.get("name"), Some(&1), "{s:?}");
        assert_eq!(s.errors.get("timestamp"), Some(&2), "{s:?}");
        assert_eq!(s.errors.get("syntax"), Some(&2), "{s:?}");
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            sniff("Nov 29 19:16:03 dnsmasq[13762]: query[A] printer.office.lan from 127.0.21.1\n"),
            90
        );
        assert_eq!(
            sniff("Nov 29 19:15:52 host dnsmasq[13762]: started, version 2.90 cachesize 150\n"),
            50
        );
        assert_eq!(sniff("Nov 29 19:15:52 host unbound: [1:0] info: x\n"), 0);
        assert_eq!(sniff("hello world\n"), 0);
    }
}

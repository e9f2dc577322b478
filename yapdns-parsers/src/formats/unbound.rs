//! Unbound's query log: the lines `log-queries`, `log-replies`, `log-local-actions` and
//! `log-servfail` write, in Unbound's own `logfile` (epoch or `log-time-ascii` stamps, `info:`
//! or `log-tag-queryreply` `query:`/`reply:` tags) or through syslog.
//!
//! Grammar (`SP` is one space; `[ ]` optional; the head is in
//! `formats/syslog_prefix.rs`):
//!
//! ```text
//! line     = file-line / syslog-line
//! file-line = ( "[" epoch "]" / stamp ) SP ident "[" pid ":" tid "]" SP type ":" SP message
//!                  ; logfile or stderr: "[1732908311] unbound[123:0] info: …"
//!           / stamp SP "[" epoch "]" SP …   ; stderr behind a collector's stamp (`docker logs -t`)
//! syslog-line = head [ host SP ] ident [ "[" pid "]" ] ":" SP "[" pid ":" tid "]" SP type ":" SP message
//! type     = "info" / "query" / "reply" / "notice" / "warning" / "error" / "debug" / …
//! message  = client SP qname SP qtype SP qclass                   ; log-queries (log_query_in)
//!          / client SP qname SP qtype SP qclass SP rcode SP secs "." usecs SP cached SP size
//!            [ SP "on" SP proto SP address SP port ]              ; log-replies (log_reply_info)
//!          / client SP "- - -" SP rcode SP "- - -"                  ; a FORMERR reply
//!          / zone SP lz-type SP client "@" port SP qname SP qtype SP qclass
//!                                                                  ; log-local-actions (lz_inform_print)
//!          / "SERVFAIL <" qname SP qtype SP qclass ">:" SP reason    ; log-servfail (type error)
//!          / "rpz: applied" SP [ "[" log-name "]" SP ] [ trigger SP ] match SP action
//!            [ SP client "@" port ] SP qname SP qtype SP qclass     ; an RPZ rule applied (log_rpz_apply)
//! qname    = name "."                ; dname_str: always absolute; "null" when the query had none
//! qtype    = mnemonic / "TYPE" n     ; qclass = "IN" / "CH" / "HS" / "CLASS" n …
//! ```
//!
//! A query line is typed `info:` or, with `log-tag-queryreply: yes`, `query:`; a reply line
//! `info:` or `reply:`. Both carry the client, the question and (replies) the rcode, the time
//! taken, whether the answer came from the cache and its size.
//!
//! What it yields and cannot: **Unbound logs no answer data** — no address, no CNAME target —
//! so no line yields an [`Association`](yapdns_core::Association). Every query, reply,
//! local-action, RPZ and SERVFAIL line yields one [`NameSighting`] of the question's name and type
//! and counts as [`Outcome::NoAnswer`]: with several of these options on, one query is seen on
//! several lines and its sighting's count is the number of lines. Questions of another class
//! (`version.server. TXT CH`) and replies naming no question (`null TYPE0 CLASS0`, FORMERR)
//! count as [`Outcome::NoAnswer`] but yield nothing, and so do names Unbound could not print:
//! its `dname_str` writes `?` for every label byte other than letters, digits, `-`, `_` and `*`
//! (`odd?space.lab.test.`, `b??cher.lab.test.` for a raw UTF-8 `bücher`), so such a name is
//! not the name asked, and two names can print alike. Every other line (start-up, statistics,
//! verbose messages) is [`Outcome::Skipped`]. For Unbound's answers, read its dnstap output.
//!
//! Bad lines: a query or reply line missing its question, or a reply missing its time and
//! cache fields, is an [`ErrorKind::Syntax`] error; an unknown type an [`ErrorKind::RrType`]
//! error; a name that cannot be normalised an [`ErrorKind::Name`] error.
//!
//! Time: epoch stamps (`log-time-ascii: no`, the default) are exact. `log-time-ascii: yes`
//! writes `Mon DD HH:MM:SS` in local time without a year, as classic syslog does: those take
//! [`ParseOptions::timezone`] and [`ParseOptions::year`] (the latest year that does not put the
//! line more than a day after the file's modification time). RFC 3339 stamps are exact.
//!
//! [`NameSighting`]: yapdns_core::NameSighting

use yapdns_core::Timestamp;

use crate::bytes::find_byte;
use crate::error::{ErrorKind, ParseError};
use crate::formats::bind_zone::presentation_type;
use crate::formats::syslog_prefix::{head, skip_spaces, split_tag, token, StampCache, Time};
use crate::formats::FormatParser;
use crate::input::{text, trim_end};
use crate::options::ParseOptions;
use crate::record::{Emit, Outcome};
use crate::view_buf::ViewBuf;

/// The format's name in `sources`.
const NAME: &str = "unbound";

/// More space-separated fields than any line this format reads has (12).
const MAX_FIELDS: usize = 16;

/// Parser state: the options, the tag and the last stamp; every line stands alone.
pub struct Parser {
    opts: ParseOptions,
    views: ViewBuf,
    stamps: StampCache,
    /// The time the container runtime gave the line being read ([`FormatParser::wrapper_time`]),
    /// for a line written without one.
    wrapper_time: Option<Timestamp>,
}

impl Parser {
    /// A parser tagging sightings with the sensor of `opts`.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            opts: opts.clone(),
            views: ViewBuf::new(NAME, opts.sensor.as_deref()),
            stamps: StampCache::default(),
            wrapper_time: None,
        }
    }
}

/// When a line was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Epoch(i64),
    Wall(Time),
}

/// An Unbound log line: its time, its type (`info`, `query` …) and its message.
#[derive(Debug)]
struct Line<'a> {
    when: When,
    kind: &'a [u8],
    msg: &'a [u8],
}

/// `[pid:tid]` (tid in hex), as a whole token.
fn is_pid_tid(tok: &[u8]) -> bool {
    let Some(inner) = tok.strip_prefix(b"[").and_then(|t| t.strip_suffix(b"]")) else {
        return false;
    };
    match inner.iter().position(|&c| c == b':') {
        Some(i) => {
            let pid = inner.get(..i).unwrap_or_default();
            let tid = inner.get(i + 1..).unwrap_or_default();
            !pid.is_empty()
                && pid.iter().all(u8::is_ascii_digit)
                && !tid.is_empty()
                && tid.iter().all(u8::is_ascii_hexdigit)
        }
        None => false,
    }
}

/// `ident[pid:tid]`, as Unbound's own file writes it.
fn is_ident_pid_tid(tok: &[u8]) -> bool {
    match tok.iter().position(|&c| c == b'[') {
        Some(i) if i > 0 => is_pid_tid(tok.get(i..).unwrap_or_default()),
        _ => false,
    }
}

/// `type: message` after the `[pid:tid]`; the type is a word or two (`fatal error`).
fn typed(rest: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = rest
        .iter()
        .take(17)
        .zip(rest.iter().skip(1))
        .position(|(&a, &b)| a == b':' && b == b' ')?;
    let kind = rest.get(..i)?;
    if kind.is_empty() {
        return None;
    }
    Some((kind, rest.get(i + 2..).unwrap_or_default()))
}

/// The number written in decimal digits (at most 18, so it cannot overflow).
fn decimal(b: &[u8]) -> Option<i64> {
    if b.is_empty() || b.len() > 18 {
        return None;
    }
    b.iter().try_fold(0i64, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

/// Splits a line into time, type and message; `None` for lines Unbound did not write.
fn split(line: &[u8]) -> Option<Line<'_>> {
    let (when, rest, rfc5424) = match line.strip_prefix(b"[") {
        Some(r) if r.first().is_some_and(u8::is_ascii_digit) => {
            let end = r.iter().position(|&c| c == b']')?;
            match decimal(r.get(..end)?) {
                Some(secs) => (When::Epoch(secs), skip_spaces(r.get(end + 1..)?), false),
                // A syslog message without its header (`[16667:e] info: …`, as a collector
                // that keeps only the message hands it over): no time of its own.
                None if is_pid_tid(token(line).0) => (When::Wall(Time::Missing), line, true),
                None => return None,
            }
        }
        _ => {
            let h = head(line);
            // Unbound's own line behind a collector's stamp (`docker logs -t`): its own time
            // is read. Not a syslog message's `[pid:tid]` (RFC 5424, as OPNsense sends it).
            if h.rest.len() < line.len()
                && h.rest.first() == Some(&b'[')
                && h.rest.get(1).is_some_and(u8::is_ascii_digit)
                && !is_pid_tid(token(h.rest).0)
            {
                return split(h.rest);
            }
            (When::Wall(h.time), h.rest, h.tag.is_some())
        }
    };
    let (first, after) = token(rest);
    if !rfc5424 && is_ident_pid_tid(first) {
        let (kind, msg) = typed(after)?;
        return Some(Line { when, kind, msg });
    }
    let msg = if rfc5424 { rest } else { split_tag(rest)?.1 };
    let (pt, after) = token(msg);
    if !is_pid_tid(pt) {
        return None;
    }
    let (kind, msg) = typed(after)?;
    Some(Line { when, kind, msg })
}

/// What a message says about a question.
#[derive(Debug, PartialEq, Eq)]
enum Event<'a> {
    /// A question: its name, type and class.
    Question(&'a [u8], &'a [u8], &'a [u8]),
    /// A reply naming no question (FORMERR, `null TYPE0 CLASS0`).
    Nameless,
}

/// True for a client address as `addr_to_str` writes it (IPv4 or IPv6).
fn is_client(tok: &[u8]) -> bool {
    match tok.first() {
        Some(c) if c.is_ascii_hexdigit() || *c == b':' => {
            (c.is_ascii_digit() && is_ipv4(tok))
                || std::str::from_utf8(tok)
                    .ok()
                    .is_some_and(|s| s.contains(':') && s.parse::<std::net::Ipv6Addr>().is_ok())
        }
        _ => false,
    }
}

/// Dotted-quad IPv4 text, without the general parser.
fn is_ipv4(tok: &[u8]) -> bool {
    let mut parts = 0;
    for part in tok.split(|&c| c == b'.') {
        parts += 1;
        let ok = part.len() <= 3 && decimal(part).is_some_and(|n| n <= 255);
        if !ok || parts > 4 {
            return false;
        }
    }
    parts == 4
}

fn is_class(tok: &[u8]) -> bool {
    matches!(tok, b"IN" | b"CH" | b"HS" | b"CS" | b"NONE" | b"ANY") || tok.starts_with(b"CLASS")
}

/// Reads the message of a line of type `kind`; `None` for messages that are not about a query.
fn event<'a>(kind: &[u8], msg: &'a [u8]) -> Result<Option<Event<'a>>, &'static str> {
    if kind == b"error" {
        let Some(q) = msg.strip_prefix(b"SERVFAIL <") else {
            return Ok(None);
        };
        let end = memchr::memchr(b'>', q).ok_or("SERVFAIL line without its closing >")?;
        let mut f = q.get(..end).unwrap_or_default().split(|&c| c == b' ');
        return match (f.next(), f.next(), f.next(), f.next()) {
            (Some(name), Some(t), Some(c), None) => Ok(Some(Event::Question(name, t, c))),
            _ => Err("SERVFAIL line without name, type and class"),
        };
    }
    if !matches!(kind, b"info" | b"query" | b"reply") {
        return Ok(None);
    }
    if let Some(rpz) = msg.strip_prefix(b"rpz: applied ") {
        // What it matched comes first, in a form of its own (a log name in brackets, a
        // trigger, a name or a network, the action, the client): the question ends the line.
        let mut f = rpz.rsplitn(4, |&c| c == b' ');
        return match (f.next(), f.next(), f.next(), f.next()) {
            (Some(c), Some(t), Some(name), Some(_)) => Ok(Some(Event::Question(name, t, c))),
            _ => Err("rpz line without name, type and class"),
        };
    }
    let mut fields: [&[u8]; MAX_FIELDS] = [&[]; MAX_FIELDS];
    let mut n = 0;
    let mut start = None;
    for (i, &c) in msg.iter().enumerate() {
        match (c == b' ', start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                let Some(slot) = fields.get_mut(n) else {
                    return Ok(None);
                };
                *slot = msg.get(s..i).unwrap_or_default();
                n += 1;
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        let Some(slot) = fields.get_mut(n) else {
            return Ok(None);
        };
        *slot = msg.get(s..).unwrap_or_default();
        n += 1;
    }
    let f = fields.get(..n).unwrap_or_default();
    // Local action: zone, zone type, client@port, question.
    if let [zone, _lz, client, name, t, c] = f {
        if zone.ends_with(b".") && client.contains(&b'@') {
            return Ok(Some(Event::Question(name, t, c)));
        }
    }
    if !f.first().is_some_and(|c| is_client(c)) {
        return Ok(None);
    }
    match f {
        [_, name, t, c] if is_class(c) => Ok(Some(Event::Question(name, t, c))),
        [_, b"-", b"-", b"-", _rcode, b"-", b"-", b"-", ..] => Ok(Some(Event::Nameless)),
        [_, name, t, c, _rcode, secs, cached, _size, ..] => {
            if !(is_class(c) && secs.contains(&b'.') && matches!(*cached, b"0" | b"1")) {
                return Err("reply line without class, time and cache flag");
            }
            Ok(Some(Event::Question(name, t, c)))
        }
        _ if kind != b"info" => Err("query or reply line without name, type and class"),
        _ => Ok(None),
    }
}

impl Parser {
    fn seen(&mut self, when: When, n: u64) -> Result<Timestamp, ParseError> {
        match when {
            When::Epoch(secs) => secs
                .checked_mul(1000)
                .map(Timestamp::from_millis)
                .ok_or_else(|| ParseError::new(n, ErrorKind::Timestamp, "epoch out of range")),
            When::Wall(Time::At(stamp)) => {
                self.stamps.resolve(stamp, &self.opts).ok_or_else(|| {
                    ParseError::new(n, ErrorKind::Timestamp, "impossible date or local time")
                })
            }
            When::Wall(Time::Bad(why)) => Err(ParseError::new(n, ErrorKind::Timestamp, why)),
            When::Wall(Time::Missing) => self.wrapper_time.ok_or_else(|| {
                ParseError::new(
                    n,
                    ErrorKind::Timestamp,
                    "query-log line without a time stamp; cannot be dated",
                )
            }),
        }
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
        let Some(l) = split(line) else {
            return Ok(Outcome::Skipped);
        };
        let ev = event(l.kind, l.msg).map_err(|why| ParseError::new(n, ErrorKind::Syntax, why))?;
        let (name, t, class) = match ev {
            None => return Ok(Outcome::Skipped),
            Some(Event::Nameless) => return Ok(Outcome::NoAnswer),
            Some(Event::Question(name, t, class)) => (name, t, class),
        };
        // `null` (no question section) and other classes name nothing in the Internet class.
        // Unbound's `dname_str` writes a `?` for every byte of a label other than letters,
        // digits, `-`, `_` and `*` (a space, a dot, UTF-8 alike), and ends a name it cuts with
        // `#` or `&`, not a dot: such a name is not the name asked, and yields nothing.
        if class != b"IN" || !name.ends_with(b".") || find_byte(name, b'?').is_some() {
            return Ok(Outcome::NoAnswer);
        }
        let seen = self.seen(l.when, n)?;
        let rrtype = presentation_type(t).ok_or_else(|| {
            ParseError::new(
                n,
                ErrorKind::RrType,
                format!("unknown query type {:?}", text(t)),
            )
        })?;
        self.views.name(out, &text(name), Some(rrtype), seen, n)?;
        Ok(Outcome::NoAnswer)
    }
}

/// Sure when the first lines hold Unbound query, reply or local-action lines (in Unbound's
/// file or through syslog); unsure when they are only Unbound's other messages.
pub fn sniff(sample: &str) -> u8 {
    let mut lines = 0;
    let mut shaped = 0;
    let mut events = 0;
    for l in crate::format::first_lines(sample, 60) {
        lines += 1;
        let Some(line) = split(l.as_bytes()) else {
            continue;
        };
        if matches!(line.when, When::Wall(Time::Bad(_))) {
            continue;
        }
        shaped += 1;
        if matches!(event(line.kind, line.msg), Ok(Some(_))) {
            events += 1;
        }
    }
    if events > 0 {
        90
    } else if shaped > 0 && shaped * 2 >= lines {
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

    fn run(input: &str) -> (Vec<String>, Stats) {
        let opts = ParseOptions {
            year: YearRule::Fixed(2026),
            ..Default::default()
        };
        let (r, s) = parse_str_with(Format::Unbound, input, &opts);
        let shown = r
            .iter()
            .map(|r| match r {
                Record::Name(s) => format!(
                    "{} {} {}",
                    s.first_seen.millis() / 1000,
                    s.rrname,
                    s.rrtype.map(|t| t.to_string()).unwrap_or_default()
                ),
                Record::Association(_) => "association".into(),
            })
            .collect();
        (shown, s)
    }

    /// Unbound 1.17.1 writes `?` for label bytes it does not print (a raw UTF-8 `bücher` and
    /// `BÜCHER` both as `b??cher`): such lines are counted and yield no sighting.
    #[test]
    fn names_unbound_could_not_print() {
        let (r, s) = run(
            "[1796104608] unbound[32314:0] info: 127.0.0.1 b??cher.lab.test. A IN\n\
[1796104608] unbound[32314:0] info: 127.0.0.1 b??cher.lab.test. A IN NXDOMAIN 0.000943 0 96\n\
[1796104608] unbound[32314:0] info: 127.0.0.1 B??CHER.lab.test. A IN\n\
[1796104608] unbound[32314:0] info: 127.0.0.1 back?slash.lab.test. A IN NXDOMAIN 0.005979 0 99\n\
[1796104608] unbound[32314:0] info: 127.0.0.1 www.lab.test. A IN\n",
        );
        assert_eq!(r, ["1796104608 www.lab.test A"]);
        assert_eq!((s.no_answer, s.error_count()), (5, 0), "{s:?}");
    }

    #[test]
    fn every_layout_of_a_reply() {
        let t = 1_795_992_003;
        let (r, s) = run("[1795992003] unbound[31957:0] reply: 127.0.0.1 www.lab.test. A IN NOERROR 0.000156 0 73\n\
[1795992003] unbound[31957:0] info: 127.0.0.1 www.lab.test. A IN NOERROR 0.000156 0 73\n\
Nov 29 22:40:03 unbound[31957:0] query: 127.0.0.1 www.lab.test. AAAA IN\n\
Nov 29 22:40:03 lab-resolver unbound: [6188:0] info: ::1 www.lab.test. A IN\n\
2026-11-29T22:40:03.070334+00:00 lab-resolver unbound: [6188:0] info: 127.0.0.1 www.lab.test. A IN NOERROR 0.000351 0 73\n\
Nov 29 22:40:03 lab-resolver unbound[6188]: [6188:1a] info: 127.0.0.1 www.lab.test. A IN\n\
<30>Jan  3 12:43:59 unbound: [77753:1] info: 127.0.0.1 255.1.168.192.in-addr.arpa. PTR IN\n\
[1795992003] unbound[1:0] reply: 192.0.2.9 www.lab.test. A IN REFUSED 0.000000 1 12 on udp 192.0.2.53 53\n");
        assert_eq!(s.names, 8, "{s:?}");
        assert_eq!(s.no_answer, 8);
        for line in &r[..6] {
            assert_eq!(
                line.split(' ').next(),
                Some(t.to_string().as_str()),
                "{line}"
            );
        }
        assert_eq!(r[2], format!("{t} www.lab.test AAAA"));
        assert_eq!(r[6], "1767444239 255.1.168.192.in-addr.arpa PTR");
    }

    #[test]
    fn local_actions_and_servfail() {
        let (r, s) = run("Nov 29 19:16:05 unbound[13763:0] info: home.lan. static 127.0.30.1@52038 router.home.lan. A IN\n\
Nov 29 19:16:05 unbound[13763:0] info: blocked.test. always_nxdomain ::1@46974 ads.blocked.test. AAAA IN\n\
Nov 29 19:16:06 unbound[13763:0] error: SERVFAIL <google.com. A IN>: all the configured stub or forward servers failed, at zone . from 127.0.10.1 got REFUSED\n");
        assert_eq!(
            r,
            [
                "1795979765 router.home.lan A",
                "1795979765 ads.blocked.test AAAA",
                "1795979766 google.com A",
            ]
        );
        assert_eq!(s.no_answer, 3);
    }

    /// Unbound's stderr as `docker logs -t` shows it (a published README of an exim and
    /// Unbound deployment): the collector's stamp before Unbound's own.
    #[test]
    fn behind_a_collectors_stamp() {
        let (r, s) = run("2020-01-20T13:48:31.555661554Z [1579528111] unbound[10:3] error: SERVFAIL <site.com. MX IN>: all servers for this domain failed, at zone site.com.\n");
        assert_eq!(r, ["1579528111 site.com MX"]);
        assert_eq!(s.no_answer, 1);
        assert_eq!(
            crate::detect(b"2020-01-20T13:48:31.555661554Z [1579528111] unbound[10:3] info: 172.17.0.1 site.com. MX IN\n"),
            Some(crate::Format::Unbound)
        );
    }

    /// An RPZ rule applied, as `log_rpz_apply` writes it: with and without the zone's log
    /// name, for a trigger other than the query name, and for a query that came from no client.
    /// A syslog message whose header a collector dropped: Unbound's `[pid:tid]` first, no
    /// time. A `timestamp` error on its own; dated by a wrapper's time when it has one.
    #[test]
    fn a_message_without_its_header() {
        let line =
            "[16667:e] info: 192.168.1.1 _ldap._tcp.sxb._sites.dc._msdcs.corp.test. SRV IN\n";
        let (r, s) = run(line);
        assert!(r.is_empty());
        assert_eq!(s.errors.get("timestamp"), Some(&1), "{s:?}");
        let mut p = Parser::new(&ParseOptions::default());
        p.wrapper_time(Timestamp::from_secs(1_795_992_003));
        let mut out: Vec<Record> = Vec::new();
        let got = p.line(line.trim_end().as_bytes(), 1, &mut out);
        assert_eq!(got, Ok(Outcome::NoAnswer));
        assert!(matches!(&out[..], [Record::Name(n)]
            if n.rrname == "_ldap._tcp.sxb._sites.dc._msdcs.corp.test"
                && n.first_seen == Timestamp::from_secs(1_795_992_003)));
    }

    #[test]
    fn rpz_actions() {
        let (r, s) = run("[1691577600] unbound[1234:0] info: rpz: applied [adblock-stevenblack] ads.foo.net. rpz-nxdomain 10.0.0.2@40405 ads.foo.net. A IN\n\
[1691577600] unbound[1234:0] info: rpz: applied clientip 10.0.0.0/8 rpz-drop 10.0.0.2@40406 tracker.example. AAAA IN\n\
[1691577600] unbound[1234:0] info: rpz: applied [rpz one] nsdname ns.bad.example. rpz-passthru prefetch.example. HTTPS IN\n");
        assert_eq!(
            r,
            [
                "1691577600 ads.foo.net A",
                "1691577600 tracker.example AAAA",
                "1691577600 prefetch.example HTTPS",
            ]
        );
        assert_eq!((s.no_answer, s.error_count()), (3, 0));
    }

    #[test]
    fn lines_naming_nothing() {
        let (r, s) = run(
            "[1795992003] unbound[1:0] info: 127.0.0.1 version.server. TXT CH\n\
[1795992003] unbound[1:0] reply: 127.0.0.1 null TYPE0 CLASS0 REFUSED 0.000000 1 12\n\
[1795992003] unbound[1:0] reply: 127.0.0.1 - - - FORMERR - - - \n\
[1795992003] unbound[1:0] info: start of service (unbound 1.17.1).\n\
[1795992003] unbound[1:0] info: service stopped (unbound 1.17.1).\n\
[1795992003] unbound[1:0] info:    0.000000    0.000001 2\n\
[1795992003] unbound[1:0] info: resolving www.lab.test. A IN\n\
[1795992003] unbound[1:0] notice: init module 0: iterator\n\
Nov 29 22:40:03 host named[1]: client @0x1 1.2.3.4#5 (x.test): query: x.test IN A +\n",
        );
        assert!(r.is_empty(), "{r:?}");
        assert_eq!((s.no_answer, s.skipped), (3, 6), "{s:?}");
    }

    #[test]
    fn bad_lines_are_typed() {
        let (_, s) = run(
            "[1795992003] unbound[1:0] reply: 127.0.0.1 www.lab.test. A IN NOERROR x 0 73\n\
[1795992003] unbound[1:0] query: 127.0.0.1 www.lab.test.\n\
[1795992003] unbound[1:0] query: 127.0.0.1 www.lab.test. WAT IN\n\
[1795992003] unbound[1:0] query: 127.0.0.1 bad..name. A IN\n\
Feb 30 22:40:03 unbound[1:0] query: 127.0.0.1 www.lab.test. A IN\n\
[1795992003] unbound[1:0] error: SERVFAIL <www.lab.test. A IN: cut\n\
[1795992003] unbound[1:0] query: 127.0.0.1 www.lab.test. TYPE65534 IN\n",
        );
        assert_eq!(s.errors.get("syntax"), Some(&3), "{s:?}");
        assert_eq!(s.errors.get("rrtype"), Some(&1), "{s:?}");
        assert_eq!(s.errors.get("name"), Some(&1), "{s:?}");
        assert_eq!(s.errors.get("timestamp"), Some(&1), "{s:?}");
        assert_eq!(s.names, 1);
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            sniff("[1795992003] unbound[31957:0] query: 127.0.0.1 www.lab.test. A IN\n"),
            90
        );
        assert_eq!(
            sniff(
                "Nov 29 22:39:43 lab-resolver unbound: [31956:0] notice: init module 0: iterator\n"
            ),
            50
        );
        assert_eq!(
            sniff("Nov 29 19:16:03 dnsmasq[13762]: query[A] printer.office.lan from 127.0.21.1\n"),
            0
        );
    }
}

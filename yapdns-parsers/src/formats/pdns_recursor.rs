//! PowerDNS Recursor's own log with `quiet=no`: the question and answer lines it writes for
//! every query, in the classic layout or, with `structured-logging=yes`, as logfmt, on stdout
//! (`log-timestamp=yes` puts a stamp first) or through syslog and journald.
//!
//! Grammar (`SP` is one space; `[ ]` optional; the head is in
//! `formats/syslog_prefix.rs`):
//!
//! ```text
//! line     = head [ [ host SP ] ident [ "[" pid "]" ] ":" SP ] message
//!                  ; "Nov 29 19:16:09 " from log-timestamp, or a syslog head and tag
//! message  = classic / logfmt
//! classic  = [ tid SP ] "[" mtid [ "/" nprocs ] "]" SP [ "TCP " ] "question for '" question
//!            "' from " remote [ " (ecs " subnet ")" ]                 ; startDoResolve
//!          / [ tid SP ] "[" mtid [ "/" nprocs ] "]" SP "answer to " [ "non-rd " ] "question '"
//!            question "': " n " answers, " … ", rcode=" rcode …       ; startDoResolve
//!          / [ tid SP ] [ "TCP " ] "question answered from packet cache" [ " tag=" tag ]
//!            " from " remote …                                        ; names no question
//! question = qname "|" qtype          ; qname as DNSName prints it: no trailing dot, \DDD escapes
//! logfmt   = field *( SP field )      ; loggerBackend: msg first, then subsystem, level, prio,
//!                                     ; tid, ts and the logger's values in key order
//! field    = key "=" ( DQUOTE *( char / "\" char ) DQUOTE / 1*non-space )  ; std::quoted
//! ```
//!
//! The logfmt messages read are `Question`, `Answer`, `Question answered from packet cache`
//! and `TCP question answered from packet cache`, each with `qname` and `qtype` fields. The
//! qname can hold `|` and `'` (DNSName escapes only dots, backslashes and unprintable bytes),
//! so a classic question is split at the last `'` and then at the last `|`.
//!
//! What it yields and cannot: **the Recursor's log carries no answer data** — counts only, no
//! address, no CNAME target — so no line yields an [`Association`](yapdns_core::Association).
//! Every question and answer line yields one [`NameSighting`] of the question's name and type
//! and counts as [`Outcome::NoAnswer`], as Unbound's query and reply lines do: one query is
//! seen on two lines and its sighting's count is the number of lines. A classic packet-cache
//! line names no question: it counts as [`Outcome::NoAnswer`] and yields nothing (its logfmt
//! form names one and yields a sighting). TKEY and TSIG questions yield nothing. Every other
//! line (start-up, statistics, traces) is [`Outcome::Skipped`]. The log names no class. For the
//! Recursor's answers, read its dnstap or protobuf output.
//!
//! Bad lines: a question or answer line whose `'name|type'` is cut, or a logfmt question
//! without `qname` and `qtype` or with an unclosed quote, is an [`ErrorKind::Syntax`] error;
//! an unknown type an [`ErrorKind::RrType`] error; a name that cannot be normalised an
//! [`ErrorKind::Name`] error.
//!
//! Time: a logfmt line's `ts` (epoch seconds with milliseconds) is exact. Classic lines carry
//! only the stamp before them: `log-timestamp=yes` and classic syslog write `Mon DD HH:MM:SS`
//! in local time without a year, which take [`ParseOptions::timezone`] and
//! [`ParseOptions::year`], as Unbound's `log-time-ascii` stamps do; RFC 3339 stamps are exact.
//! A classic line without any stamp (`log-timestamp=no` on stdout) takes the time of the
//! container runtime's record that holds it ([`FormatParser::wrapper_time`]); outside a
//! container it cannot be dated.
//!
//! [`NameSighting`]: yapdns_core::NameSighting

use yapdns_core::{RrType, Timestamp};

use crate::error::{ErrorKind, ParseError};
use crate::formats::bind_zone::presentation_type;
use crate::formats::syslog_prefix::{head, split_tag, StampCache, Time};
use crate::formats::FormatParser;
use crate::input::{text, trim_end};
use crate::options::ParseOptions;
use crate::record::{Emit, Outcome};
use crate::view_buf::ViewBuf;

/// The format's name in `sources`.
const NAME: &str = "pdns-recursor";

/// Parser state: the options, the tag, the last stamp and a buffer for unescaped names; every
/// line stands alone.
pub struct Parser {
    opts: ParseOptions,
    views: ViewBuf,
    stamps: StampCache,
    unescaped: Vec<u8>,
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
            unescaped: Vec::new(),
            wrapper_time: None,
        }
    }
}

/// A value as written: logfmt values may hold `\"` and `\\`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Value<'a> {
    raw: &'a [u8],
    escaped: bool,
}

impl<'a> Value<'a> {
    fn plain(raw: &'a [u8]) -> Value<'a> {
        Value {
            raw,
            escaped: false,
        }
    }
}

/// What a message says about a question.
#[derive(Debug, PartialEq, Eq)]
enum Event<'a> {
    /// A question: its name and type, and the logfmt `ts` when the line has one.
    Question {
        name: Value<'a>,
        qtype: Value<'a>,
        ts: Option<&'a [u8]>,
    },
    /// A classic packet-cache line: a question answered, but not named.
    Nameless,
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

/// `[mtid]` or `[mtid/nprocs]`, the MThread prefix of the lines about one query.
fn mtid(b: &[u8]) -> Option<&[u8]> {
    let inner_end = b.strip_prefix(b"[")?.iter().position(|&c| c == b']')?;
    let inner = b.get(1..=inner_end)?;
    let ok = !inner.is_empty() && inner.iter().all(|&c| c.is_ascii_digit() || c == b'/');
    if !ok {
        return None;
    }
    b.get(inner_end + 2..)?.strip_prefix(b" ")
}

/// `qname|qtype` up to the closing `'`, which is the last one on the line (nothing after the
/// question is quoted), followed by `after`.
fn question<'a>(
    q: &'a [u8],
    after: &[u8],
    why: &'static str,
) -> Result<(&'a [u8], &'a [u8]), &'static str> {
    let close = q.iter().rposition(|&c| c == b'\'').ok_or(why)?;
    if !q.get(close..).is_some_and(|r| r.starts_with(after)) {
        return Err(why);
    }
    let inner = q.get(..close).ok_or(why)?;
    let bar = inner.iter().rposition(|&c| c == b'|').ok_or(why)?;
    let name = inner.get(..bar).ok_or(why)?;
    let qtype = inner.get(bar + 1..).ok_or(why)?;
    if name.is_empty() || qtype.is_empty() {
        return Err(why);
    }
    Ok((name, qtype))
}

/// Reads a classic message; `None` for messages that are not about a question.
fn classic(msg: &[u8]) -> Result<Option<Event<'_>>, &'static str> {
    // The worker thread's number, written since 4.0.
    let digits = msg.iter().take_while(|c| c.is_ascii_digit()).count();
    let rest = match msg.get(digits..) {
        Some(r) if digits > 0 => match r.strip_prefix(b" ") {
            Some(r) => r,
            None => return Ok(None),
        },
        _ => msg,
    };
    let Some(body) = mtid(rest) else {
        let r = rest.strip_prefix(b"TCP ").unwrap_or(rest);
        return Ok(r
            .starts_with(b"question answered from packet cache ")
            .then_some(Event::Nameless));
    };
    let body = body.strip_prefix(b"TCP ").unwrap_or(body);
    let (name, qtype) = if let Some(q) = body.strip_prefix(b"question for '") {
        question(q, b"' from ", "question line without its 'name|type' from")?
    } else if let Some(a) = body.strip_prefix(b"answer to ") {
        let a = a.strip_prefix(b"non-rd ").unwrap_or(a);
        let Some(q) = a.strip_prefix(b"question '") else {
            return Ok(None);
        };
        question(q, b"': ", "answer line without its 'name|type':")?
    } else {
        return Ok(None);
    };
    Ok(Some(Event::Question {
        name: Value::plain(name),
        qtype: Value::plain(qtype),
        ts: None,
    }))
}

/// A logfmt field: its key, its value and the text after it.
type Field<'a> = (&'a [u8], Value<'a>, &'a [u8]);

/// One logfmt field at the start of `b` (after any spaces); `Ok(None)` at the end of the line.
fn field(b: &[u8]) -> Result<Option<Field<'_>>, &'static str> {
    let start = b.iter().take_while(|&&c| c == b' ').count();
    let b = b.get(start..).unwrap_or_default();
    if b.is_empty() {
        return Ok(None);
    }
    let eq = b
        .iter()
        .position(|&c| c == b'=' || c == b' ')
        .filter(|&i| b.get(i) == Some(&b'='))
        .ok_or("logfmt field without =")?;
    let key = b.get(..eq).unwrap_or_default();
    let v = b.get(eq + 1..).unwrap_or_default();
    if let Some(q) = v.strip_prefix(b"\"") {
        let mut escaped = false;
        let mut i = 0;
        while let Some(&c) = q.get(i) {
            match c {
                b'\\' => {
                    escaped = true;
                    i += 2;
                }
                b'"' => {
                    let raw = q.get(..i).unwrap_or_default();
                    let after = q.get(i + 1..).unwrap_or_default();
                    return Ok(Some((key, Value { raw, escaped }, after)));
                }
                _ => i += 1,
            }
        }
        return Err("logfmt value without its closing quote");
    }
    let end = v.iter().position(|&c| c == b' ').unwrap_or(v.len());
    Ok(Some((
        key,
        Value::plain(v.get(..end).unwrap_or_default()),
        v.get(end..).unwrap_or_default(),
    )))
}

/// The logfmt messages that name a question.
fn is_question_msg(m: &[u8]) -> bool {
    matches!(
        m,
        b"Question"
            | b"Answer"
            | b"Question answered from packet cache"
            | b"TCP question answered from packet cache"
    )
}

/// Reads a logfmt message; `None` for messages that are not about a question.
fn logfmt(msg: &[u8]) -> Result<Option<Event<'_>>, &'static str> {
    let Ok(Some((b"msg", m, mut rest))) = field(msg) else {
        return Ok(None);
    };
    if m.escaped || !is_question_msg(m.raw) {
        return Ok(None);
    }
    let (mut name, mut qtype, mut ts) = (None, None, None);
    while let Some((key, value, after)) = field(rest)? {
        match key {
            b"qname" => name = Some(value),
            b"qtype" => qtype = Some(value),
            b"ts" => ts = Some(value.raw),
            _ => {}
        }
        rest = after;
    }
    match (name, qtype) {
        (Some(name), Some(qtype)) if !name.raw.is_empty() => {
            Ok(Some(Event::Question { name, qtype, ts }))
        }
        _ => Err("question line without qname and qtype"),
    }
}

/// Reads a message in either layout.
fn event(msg: &[u8]) -> Result<Option<Event<'_>>, &'static str> {
    if msg.starts_with(b"msg=") {
        logfmt(msg)
    } else {
        classic(msg)
    }
}

/// Splits a line into its stamp and the event of its message, looking behind a syslog tag
/// when the text after the stamp is not the Recursor's message itself.
fn split(line: &[u8]) -> (Time, Result<Option<Event<'_>>, &'static str>) {
    let h = head(line);
    if h.tag.is_some() {
        return (h.time, event(h.rest));
    }
    match event(h.rest) {
        Ok(None) => match split_tag(h.rest) {
            Some((_, msg)) => (h.time, event(msg)),
            None => (h.time, Ok(None)),
        },
        other => (h.time, other),
    }
}

/// `ts`: epoch seconds, optionally with a fraction (milliseconds; more digits are cut).
fn epoch_millis(ts: &[u8]) -> Option<i64> {
    let (secs, frac) = match ts.iter().position(|&c| c == b'.') {
        Some(i) => (ts.get(..i)?, ts.get(i + 1..)?),
        None => (ts, &b""[..]),
    };
    let secs = decimal(secs)?;
    if !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let milli = frac
        .iter()
        .chain(std::iter::repeat(&b'0'))
        .take(3)
        .fold(0i64, |acc, &c| acc * 10 + i64::from(c - b'0'));
    secs.checked_mul(1000)?.checked_add(milli)
}

/// A type as `QType::toString` writes it: a mnemonic, `TYPEn`, or one of PowerDNS's own
/// (`ALIAS` and `LUA`, which its authoritative server serves and a recursor may be asked for;
/// `ENT`, its name for type 0, which the classic answer line of a `TYPE0` question shows).
fn qtype_of(t: &[u8]) -> Option<RrType> {
    match t {
        b"ENT" => Some(RrType::from_u16(0)),
        b"ALIAS" => Some(RrType::from_u16(65401)),
        b"LUA" => Some(RrType::from_u16(65402)),
        _ => presentation_type(t),
    }
}

/// The text of a value, with std::quoted's backslash escapes undone into `buf`.
fn unescape<'a>(v: Value<'a>, buf: &'a mut Vec<u8>) -> &'a [u8] {
    if !v.escaped {
        return v.raw;
    }
    buf.clear();
    let mut it = v.raw.iter();
    while let Some(&c) = it.next() {
        match c {
            b'\\' => buf.extend(it.next()),
            _ => buf.push(c),
        }
    }
    buf
}

impl Parser {
    fn seen(&mut self, time: Time, ts: Option<&[u8]>, n: u64) -> Result<Timestamp, ParseError> {
        if let Some(ts) = ts {
            return epoch_millis(ts)
                .map(Timestamp::from_millis)
                .ok_or_else(|| ParseError::new(n, ErrorKind::Timestamp, "ts is not epoch time"));
        }
        match time {
            Time::At(stamp) => self.stamps.resolve(stamp, &self.opts).ok_or_else(|| {
                ParseError::new(n, ErrorKind::Timestamp, "impossible date or local time")
            }),
            Time::Bad(why) => Err(ParseError::new(n, ErrorKind::Timestamp, why)),
            Time::Missing => self.wrapper_time.ok_or_else(|| {
                ParseError::new(
                    n,
                    ErrorKind::Timestamp,
                    "question line without a time stamp (log-timestamp=no); cannot be dated",
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
        let (time, ev) = split(line);
        let ev = ev.map_err(|why| ParseError::new(n, ErrorKind::Syntax, why))?;
        let (name, qtype, ts) = match ev {
            None if names_a_question(line) => {
                return Err(ParseError::new(
                    n,
                    ErrorKind::Syntax,
                    "a question or answer line behind a head that is neither a time stamp nor a syslog tag",
                ))
            }
            None => return Ok(Outcome::Skipped),
            Some(Event::Nameless) => return Ok(Outcome::NoAnswer),
            Some(Event::Question { name, qtype, ts }) => (name, qtype, ts),
        };
        let seen = self.seen(time, ts, n)?;
        let mut tbuf = Vec::new();
        let t = unescape(qtype, &mut tbuf);
        let rrtype = qtype_of(t).ok_or_else(|| {
            ParseError::new(
                n,
                ErrorKind::RrType,
                format!("unknown query type {:?}", text(t)),
            )
        })?;
        let mut buf = std::mem::take(&mut self.unescaped);
        let result = self
            .views
            .name(out, &text(unescape(name, &mut buf)), Some(rrtype), seen, n);
        self.unescaped = buf;
        result?;
        Ok(Outcome::NoAnswer)
    }
}

/// Whether a line not read holds a question or answer all the same (behind a head of another
/// shape, such as a stamp cut to its time): such a line is reported, not skipped.
#[cold]
fn names_a_question(line: &[u8]) -> bool {
    [
        &b"] question for '"[..],
        b"] TCP question for '",
        b"] answer to question '",
        b"] answer to non-rd question '",
        b"msg=\"Question\"",
        b"msg=\"Answer\"",
    ]
    .iter()
    .any(|p| memchr::memmem::find(line, p).is_some())
}

/// Sure when the first lines hold the Recursor's question or answer lines (classic or logfmt,
/// on stdout or through syslog); unsure when they only show its start-up banner.
pub fn sniff(sample: &str) -> u8 {
    let mut events = 0;
    let mut banner = false;
    for l in crate::format::first_lines(sample, 60) {
        let (time, ev) = split(l.as_bytes());
        if matches!(time, Time::Bad(_)) {
            continue;
        }
        if matches!(ev, Ok(Some(_))) {
            events += 1;
        }
        banner |= head(l.as_bytes()).rest.starts_with(b"PowerDNS Recursor ");
    }
    if events > 0 {
        90
    } else if banner {
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
        let (r, s) = parse_str_with(Format::PdnsRecursor, input, &opts);
        let shown = r
            .iter()
            .map(|r| match r {
                Record::Name(s) => format!(
                    "{} {} {}",
                    s.first_seen.millis(),
                    s.rrname,
                    s.rrtype.map(|t| t.to_string()).unwrap_or_default()
                ),
                Record::Association(_) => "association".into(),
            })
            .collect();
        (shown, s)
    }

    /// Nov 29 19:16:09 2026 UTC, in milliseconds.
    const T: i64 = 1_795_979_769_000;

    /// The classic lines of `startDoResolve` and `doProcessUDPQuestion` as 4.x to 5.x write
    /// them, and 3.x's shorter prefix, each through the stamp or a syslog tag.
    #[test]
    fn classic_lines() {
        let (r, s) = run("Nov 29 19:16:09 1 [1/1] question for 'www.corp.test|A' from 127.0.40.1:41004\n\
Nov 29 19:16:09 1 [1/1] answer to question 'www.corp.test|A': 1 answers, 1 additional, took 2 packets, 0.97 netw ms, 1.531 tot ms, 0 throttled, 0 timeouts, 0/0 tcp/dot connections, rcode=0\n\
Nov 29 19:16:09 lab pdns-recursor[123]: 3 [1418626328/2] question for 'stg.lan|AAAA' from 10.1.2.3:55002 (ecs 10.100.1.52/32)\n\
Nov 29 19:16:09 lab pdns_recursor[123]: 3 [7/2] TCP question for 'x.test|MX' from [::1]:5300\n\
Nov 29 19:16:09 pdns_recursor[123]: [4] question for 'old.test|A' from 1.2.3.4\n\
Nov 29 19:16:09 1 [9/1] answer to non-rd question 'nord.test|TXT': 0 answers, 0 additional, took 0 packets, 0 netw ms, 0 tot ms, 0 throttled, 0 timeouts, 0 tcp connections, rcode=5\n\
2026-11-29T19:16:09.250+00:00 lab pdns-recursor[1]: 1 [2/1] question for 'Odd|Name\\032x.test|TYPE65534' from 127.0.0.1:1\n");
        assert_eq!(
            r,
            [
                format!("{T} www.corp.test A"),
                format!("{T} www.corp.test A"),
                format!("{T} stg.lan AAAA"),
                format!("{T} x.test MX"),
                format!("{T} old.test A"),
                format!("{T} nord.test TXT"),
                format!("{} odd|name\\032x.test TYPE65534", T + 250),
            ]
        );
        assert_eq!((s.no_answer, s.error_count()), (7, 0), "{s:?}");
    }

    #[test]
    fn packet_cache_and_other_lines() {
        let (r, s) = run("Nov 29 19:16:09 1 question answered from packet cache tag=0 from 127.0.40.1:57230\n\
Nov 29 19:16:09 1 TCP question answered from packet cache tag=0 from 127.0.40.1:57230\n\
Nov 29 19:16:09 0 question answered from packet cache from 10.0.0.1\n\
Nov 29 19:15:52 PowerDNS Recursor 4.8.8 (C) 2001-2022 PowerDNS.COM BV\n\
Nov 29 19:15:53 Failed to update root NS records, RCODE=2\n\
Nov 29 19:16:09 1 [1/1] www.corp.test: Wants NO DNSSEC processing, auth data in query for A\n\
Nov 29 19:16:10 msg=\"Refreshed root NS\" subsystem=\"housekeeping\" level=\"0\" prio=\"Info\" tid=\"0\" ts=\"1795979770.195\"\n");
        assert!(r.is_empty(), "{r:?}");
        assert_eq!((s.no_answer, s.skipped), (3, 4), "{s:?}");
    }

    /// The logfmt layout (`structured-logging=yes`), written from PowerDNS's source — the
    /// corpus' structured file is held back as a test set: `loggerBackend` in `rec-main.cc`
    /// writes `msg`, `subsystem`, `level`, `prio`, `tid`, `ts` and then the logger's values in
    /// key order, each through `std::quoted` (so `"` and `\` inside a value are escaped with
    /// `\`); 4.6 wrote `level` and `prio` unquoted. The `Question` and `Answer` messages are
    /// `startDoResolve`'s, the packet-cache ones `doProcessUDPQuestion`'s and
    /// `handleRunningTCPQuestion`'s.
    #[test]
    fn structured_lines() {
        let (r, s) = run("Nov 29 19:16:10 msg=\"Question\" subsystem=\"syncres\" level=\"0\" prio=\"Info\" tid=\"1\" ts=\"1795979770.195\" ecs=\"\" mtid=\"1\" proto=\"udp\" qname=\"www.corp.test\" qtype=\"A\" remote=\"127.0.41.1:52875\"\n\
Nov 29 19:16:10 msg=\"Answer\" subsystem=\"syncres\" level=\"0\" prio=\"Info\" tid=\"1\" ts=\"1795979770.197\" additional=\"1\" answers=\"1\" dotout=\"0\" ecs=\"\" mtid=\"1\" netms=\"0.97\" outqueries=\"2\" proto=\"udp\" qname=\"www.corp.test\" qtype=\"A\" rcode=\"0\" rd=\"1\" remote=\"127.0.41.1:52875\" tcpout=\"0\" throttled=\"0\" timeouts=\"0\" totms=\"1.5\" validationState=\"Indeterminate\"\n\
Nov 29 19:16:10 lab pdns_recursor[9]: msg=\"Question answered from packet cache\" subsystem=\"in\" level=\"0\" prio=\"Notice\" tid=\"1\" ts=\"1795979770.2\" qname=\"api.corp.test\" qtype=\"AAAA\" remote=\"127.0.41.1:1\" source=\"127.0.41.1:1\" tag=\"0\"\n\
msg=\"TCP question answered from packet cache\" subsystem=\"in\" level=0 prio=5 ts=\"1795979770\" qname=\"q\\\"uote\\\\032d.test\" qtype=\"TXT\"\n");
        assert_eq!(
            r,
            [
                "1795979770195 www.corp.test A",
                "1795979770197 www.corp.test A",
                "1795979770200 api.corp.test AAAA",
                "1795979770000 q\\\"uote\\032d.test TXT",
            ]
        );
        assert_eq!((s.no_answer, s.error_count()), (4, 0), "{s:?}");
    }

    /// The last line is Recursor 4.8.8's answer to a `TYPE0` question (`ENT` there).
    #[test]
    fn powerdns_own_types() {
        let (r, _) = run(
            "Nov 29 19:16:09 1 [1/1] question for 'apex.test|ALIAS' from 127.0.0.1:1\n\
Nov 29 19:16:09 1 [1/1] question for 'apex.test|LUA' from 127.0.0.1:1\n\
Dec 01 05:56:49 3 [12/1] answer to question 'www.lab.test|ENT': 0 answers, 1 additional, took 0 packets, 0 netw ms, 0 tot ms, 0 throttled, 0 timeouts, 0/0 tcp/dot connections, rcode=-1\n",
        );
        assert_eq!(
            r,
            [
                format!("{T} apex.test TYPE65401"),
                format!("{T} apex.test TYPE65402"),
                "1796104609000 www.lab.test TYPE0".to_string(),
            ]
        );
    }

    #[test]
    fn transaction_security_questions_yield_nothing() {
        let (r, s) = run(
            "Nov 29 19:16:09 1 [1/1] question for 'k.test|TKEY' from 127.0.0.1:1\n\
Nov 29 19:16:10 msg=\"Question\" ts=\"1795979770.195\" qname=\"k.test\" qtype=\"TSIG\"\n",
        );
        assert!(r.is_empty(), "{r:?}");
        assert_eq!(s.no_answer, 2);
    }

    /// Real lines behind heads of other shapes: a stamp cut to its time (a blog post's trace
    /// of a 4.x Recursor) is reported, not skipped; `docker compose logs` output (PowerDNS
    /// issue 12803, Recursor 4.8.4) is read.
    #[test]
    fn lines_behind_other_heads() {
        let (r, s) = run("00:32:06 stgpowerdns1 pdns_recursor[10861]: 3 [1801294368/1] question for 'c.nonexists.domain|A' from 127.0.0.1:39805\n\
00:32:06 stgpowerdns1 pdns_recursor[10861]: 3 [1801294368/1] answer to question 'c.nonexists.domain|A': 0 answers, 1 additional, took 1 packets, 0.845 netw ms, 0.984 tot ms, 0 throttled, 0 timeouts, 0 tcp connections, rcode=3\n");
        assert!(r.is_empty(), "{r:?}");
        assert_eq!(s.errors["syntax"], 2, "{s:?}");
        let (r, s) = run("pdns_recursor        | May 11 13:11:34 msg=\"Question\" subsystem=\"syncres\" level=\"0\" prio=\"Info\" tid=\"3\" ts=\"1683810694.909\" ecs=\"\" mtid=\"2\" proto=\"udp\" qname=\"3.16.61.10.in-addr.arpa\" qtype=\"PTR\" remote=\"127.0.0.1:50504\"\n");
        assert_eq!(r, ["1683810694909 3.16.61.10.in-addr.arpa PTR"], "{s:?}");
    }

    #[test]
    fn bad_lines_are_typed() {
        let (_, s) = run(
            "Nov 29 19:16:09 1 [1/1] question for 'www.corp.test from 127.0.0.1:1\n\
Nov 29 19:16:09 1 [1/1] answer to question 'www.corp.test': 1 answers\n\
Nov 29 19:16:10 msg=\"Question\" ts=\"1795979770.195\" qtype=\"A\"\n\
Nov 29 19:16:10 msg=\"Question\" ts=\"1795979770.195\" qname=\"x.test\" qtype=\"A\n\
Nov 29 19:16:09 1 [1/1] question for 'x.test|WAT' from 127.0.0.1:1\n\
Nov 29 19:16:09 1 [1/1] question for 'bad..name|A' from 127.0.0.1:1\n\
Feb 30 19:16:09 1 [1/1] question for 'x.test|A' from 127.0.0.1:1\n\
1 [1/1] question for 'x.test|A' from 127.0.0.1:1\n\
Nov 29 19:16:10 msg=\"Question\" ts=\"soon\" qname=\"x.test\" qtype=\"A\"\n",
        );
        assert_eq!(s.errors.get("syntax"), Some(&4), "{s:?}");
        assert_eq!(s.errors.get("rrtype"), Some(&1), "{s:?}");
        assert_eq!(s.errors.get("name"), Some(&1), "{s:?}");
        assert_eq!(s.errors.get("timestamp"), Some(&3), "{s:?}");
        assert_eq!(s.names, 0);
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            sniff("Nov 29 19:16:09 1 [1/1] question for 'www.corp.test|A' from 127.0.40.1:46884\n"),
            90
        );
        assert_eq!(
            sniff("Nov 29 19:16:10 msg=\"Question\" subsystem=\"syncres\" level=\"0\" prio=\"Info\" tid=\"1\" ts=\"1795979770.195\" qname=\"www.corp.test\" qtype=\"A\"\n"),
            90
        );
        assert_eq!(
            sniff("Nov 29 19:15:52 PowerDNS Recursor 4.8.8 (C) 2001-2022 PowerDNS.COM BV\n"),
            50
        );
        assert_eq!(
            sniff("[1795992003] unbound[31957:0] query: 127.0.0.1 www.lab.test. A IN\n"),
            0
        );
    }
}

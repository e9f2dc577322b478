//! gamelinux PassiveDNS output: the `-l` log of de-duplicated answers, the `-L` log of error
//! replies (NXDOMAIN, REFUSED, …), each as `||`-separated text or, with `-j`/`-J`, one JSON
//! object per line. One format reads all four, choosing per line: a line starting with `{` is
//! JSON. They are one program's one record written two ways, and an agent tailing a directory
//! of passivedns logs should not need to be told which switch the sensor was started with.
//!
//! Text grammar (`print_passet()` in passivedns `src/dns.c`). `-f` picks the fields, but they
//! are always printed in this fixed order, whatever the order of the letters given to `-f`:
//!
//! ```text
//! line     = field *( "||" field )
//! fields   = [ts] [hostname] [client] [client-mac] [server] [server-mac] [proto] [class]
//!            query [query-len] type [answer] [answer-len] [ttl] [count]
//! ts       = date SP time "." 6DIGIT          ; H: local time of the sensor, no zone
//!          / 1*DIGIT "." 6DIGIT               ; S and M: epoch seconds . microseconds (UTC)
//!          / 1*DIGIT                          ; S alone
//!          / 6DIGIT                           ; M alone (microseconds only: unusable)
//! hostname = text                             ; h: gethostname() or -H
//! client   = IPv4 / IPv6                      ; c        client-mac = 2HEX 5( ":" 2HEX ) ; w
//! server   = IPv4 / IPv6                      ; s        server-mac = 2HEX 5( ":" 2HEX ) ; W
//! proto    = "udp" / "tcp" / 1*DIGIT          ; p
//! class    = "IN" / "CH" / "HS" / "NONE" / "ANY" / 1*DIGIT               ; C
//! query    = name "."                         ; Q: ldns always writes the trailing dot
//! query-len = 1*DIGIT                         ; L: strlen(query)
//! type     = mnemonic / 1*DIGIT               ; T
//! answer   = text                             ; A: may hold spaces, quotes and even "||"
//! answer-len = 1*DIGIT                        ; l: strlen(answer)
//! ttl      = 1*DIGIT                          ; t (0 in the error log)
//! count    = 1*DIGIT                          ; n (1 in the error log)
//! ```
//!
//! The field set is found per line from the fields' shapes: the query is the first field that
//! ends in `.` and is followed by a record type (or by its own length, then a type). Before it,
//! the optional fields are matched in their fixed order by shape (timestamp, then a hostname
//! that is none of the later shapes, IP, MAC, IP, MAC, protocol, class); every field before the
//! query must be used up, or the line is a syntax error. After the type, the trailing
//! all-digit fields (at most three, and never the answer's first piece) are, from the right:
//! three = answer length, TTL, count; two = TTL, count (the default `-f`); one = TTL. The rest
//! is the answer, `||` included. The delimiter is the default `||`; `-d` is not supported.
//!
//! JSON (`-j`/`-J`): `{"timestamp_s":…,"timestamp_ms":…,"client":…,"server":…,"class":…,
//! "query":…,"type":…,"answer":…,"ttl":…,"count":…}` plus `hostname`, `proto`, `query_len`,
//! `answer_len` and the human `timestamp` (seconds only) when `-f` asks. Despite its name
//! `timestamp_ms` holds microseconds (`tv_usec`); it is read as such.
//!
//! Yields one association per line (`count` from the line, TTL from the line), or a name
//! sighting ([`Outcome::NoAnswer`]) for an error-log line, whose answer is an rcode mnemonic
//! (`NXDOMAIN`, `REFUSED`, `SERVFAIL`, …, `UNKNOWN-ERROR-n`) with TTL 0. Lines of a class
//! other than IN (`CH version.bind. TXT`) are skipped: the association key has no class.
//!
//! What it cannot yield: passivedns writes one rdata field of some types, not the record.
//! MX is the exchange without its preference (core keeps it as written); SRV is the target
//! without priority, weight and port; SOA is the primary server name only. SRV and SOA are kept
//! as that bare, normalised name, because `normalize_rdata` wants every field and none can be
//! invented. TXT is the first string only, quoted as ldns prints it.
//!
//! Sensor: the operator's [`ParseOptions::sensor`] wins; without one, the line's hostname
//! field (`-f h`, set with `-H`) names the sensor, since that is what passivedns meant it for.
//!
//! Time: epoch timestamps are UTC with microseconds (kept to the millisecond). The human form
//! (`-f H`) is the sensor's local time without a zone, read with [`ParseOptions::timezone`].
//! passivedns stamps a line with the last time the answer was seen since it last printed it.

use std::borrow::Cow;

use serde::Deserialize;
use yapdns_core::{
    normalize_name_in, normalize_rdata_in, AssociationView, NameView, RrType, Sources, Timestamp,
};

use crate::error::{ErrorKind, ParseError};
use crate::formats::FormatParser;
use crate::input::text;
use crate::options::ParseOptions;
use crate::record::{Emit, Outcome};
use crate::view_buf::SensorTags;

/// The format's name in `sources`.
const NAME: &str = "passivedns";

/// More `||`-separated fields than any `-f` gives (17) leaves room for answers holding `||`.
const MAX_FIELDS: usize = 48;

/// What passivedns writes as the answer of an error-log line.
const RCODES: &[&str] = &[
    "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMPL", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET",
    "NOTAUTH", "NOTZONE",
];

/// Parser state: the options, the default source tag and the last hostname's tag, so a file
/// from one sensor builds its tag once.
pub struct Parser {
    opts: ParseOptions,
    tags: SensorTags,
    /// Buffers for names and data not normal as written, kept from line to line.
    name_buf: String,
    rdata_buf: String,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`, or else with each line's hostname.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            opts: opts.clone(),
            tags: SensorTags::new(NAME, opts.sensor.as_deref()),
            name_buf: String::new(),
            rdata_buf: String::new(),
        }
    }
}

/// One line's content, whichever way it was written.
#[derive(Debug, Default)]
struct Entry<'a> {
    seen: Option<Timestamp>,
    host: Option<Cow<'a, str>>,
    class: Option<Cow<'a, str>>,
    query: Cow<'a, str>,
    rrtype: Cow<'a, str>,
    answer: Option<Cow<'a, str>>,
    ttl: Option<u64>,
    count: Option<u64>,
}

/// Byte ranges of the `||`-separated fields of `line`; `None` past [`MAX_FIELDS`].
fn split(line: &str, out: &mut [(usize, usize); MAX_FIELDS]) -> Option<usize> {
    // A single `|` search beats building a two-byte substring searcher for every short line.
    let b = line.as_bytes();
    let mut n = 0;
    let mut start = 0;
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'|', b.get(from..)?) {
        let at = from + i;
        if b.get(at + 1) != Some(&b'|') {
            from = at + 1;
            continue;
        }
        // "|||": the first two bars are the separator, the third belongs to the next field.
        *out.get_mut(n)? = (start, at);
        n += 1;
        start = at + 2;
        from = at + 2;
    }
    *out.get_mut(n)? = (start, line.len());
    Some(n + 1)
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn number(s: &str) -> Option<u64> {
    if digits(s) {
        s.parse().ok()
    } else {
        None
    }
}

/// `YYYY-MM-DD HH:MM:SS[.ffffff]`, as `strftime` and passivedns write it.
fn is_human_ts(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 19
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.get(10) == Some(&b' ')
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':')
}

/// `S.uuuuuu`, `S` or `uuuuuu`.
fn is_epoch_ts(s: &str) -> bool {
    match s.split_once('.') {
        Some((a, b)) => digits(a) && digits(b),
        None => digits(s),
    }
}

fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

fn is_mac(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 17
        && b.iter().enumerate().all(|(i, c)| {
            if i % 3 == 2 {
                *c == b':'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

fn is_proto(s: &str) -> bool {
    s == "udp" || s == "tcp"
}

fn is_class(s: &str) -> bool {
    matches!(s, "IN" | "CH" | "HS" | "CS" | "NONE" | "ANY") || digits(s)
}

fn is_rrtype(s: &str) -> bool {
    !s.is_empty() && s.parse::<RrType>().is_ok()
}

/// The (hostname, class) of the fields before the query, matched in passivedns' fixed order;
/// `None` if a field is left over. With `force_host` the first field after the timestamp is
/// taken as the hostname whatever its shape.
fn prefix<'a>(f: &[&'a str], force_host: bool) -> Option<(Option<&'a str>, Option<&'a str>)> {
    let mut i = 0;
    let at = |i: usize| f.get(i).copied();
    let take = |i: &mut usize, ok: &dyn Fn(&str) -> bool| -> Option<&'a str> {
        let v = at(*i).filter(|v| ok(v))?;
        *i += 1;
        Some(v)
    };
    let _ts = take(&mut i, &|s| is_human_ts(s) || is_epoch_ts(s));
    let host = if force_host {
        take(&mut i, &|_| true)
    } else {
        take(&mut i, &|s| {
            !(is_ip(s) || is_mac(s) || is_proto(s) || is_class(s))
        })
    };
    let _client = take(&mut i, &is_ip);
    let _cmac = take(&mut i, &is_mac);
    let _server = take(&mut i, &is_ip);
    let _smac = take(&mut i, &is_mac);
    // A numeric protocol only when a class follows it; a lone number is the class.
    let next_is_class = at(i + 1).is_some_and(is_class);
    let _proto = take(&mut i, &|s| is_proto(s) || (digits(s) && next_is_class));
    let class = take(&mut i, &is_class);
    (i == f.len()).then_some((host, class))
}

/// Reads a text line into an [`Entry`], or says why not.
fn text_entry<'a>(line: &'a str, opts: &ParseOptions) -> Result<Entry<'a>, (ErrorKind, String)> {
    let syntax = |why: &str| (ErrorKind::Syntax, why.to_string());
    let mut ranges = [(0usize, 0usize); MAX_FIELDS];
    let n = split(line, &mut ranges).ok_or_else(|| syntax("too many || fields"))?;
    let mut f = [""; MAX_FIELDS];
    for (slot, &(a, b)) in f.iter_mut().zip(&ranges[..n]) {
        *slot = line.get(a..b).unwrap_or_default();
    }
    let f = &f[..n];
    // The query: the first field ending in "." followed by [its length] and a type.
    let mut found = None;
    for q in 0..n {
        let name = f[q];
        if !name.ends_with('.') || is_human_ts(name) {
            continue;
        }
        let len_then_type = f.get(q + 1).and_then(|l| number(l)) == Some(name.len() as u64)
            && f.get(q + 2).is_some_and(|t| is_rrtype(t));
        if len_then_type {
            found = Some((q, q + 2));
            break;
        }
        if f.get(q + 1).is_some_and(|t| is_rrtype(t)) {
            found = Some((q, q + 1));
            break;
        }
    }
    let (q, t) = found.ok_or_else(|| syntax("no query name followed by a record type"))?;
    let (host, class) = prefix(&f[..q], false)
        .or_else(|| prefix(&f[..q], true))
        .ok_or_else(|| syntax("fields before the query do not match passivedns' -f order"))?;
    let seen = match f.first().copied() {
        Some(ts) if q > 0 && (is_human_ts(ts) || is_epoch_ts(ts)) => Some(
            timestamp(ts, opts)
                .ok_or_else(|| (ErrorKind::Timestamp, format!("cannot read {ts:?}")))?,
        ),
        _ => None,
    };
    // After the type: the answer, then up to three trailing numbers.
    let rest = &f[t + 1..];
    let k = rest.len();
    let trailing = rest.iter().rev().take_while(|s| digits(s)).count();
    let m = trailing.min(3).min(k.saturating_sub(1));
    let answer = (k > 0).then(|| {
        let start = ranges[t + 1].0;
        let end = ranges[t + k - m].1;
        Cow::Borrowed(line.get(start..end).unwrap_or_default())
    });
    let tail = &rest[k - m..];
    let (ttl, count) = match tail {
        [_, ttl, count] | [ttl, count] => (number(ttl), number(count)),
        [ttl] => (number(ttl), None),
        _ => (None, None),
    };
    Ok(Entry {
        seen,
        host: host.map(Cow::Borrowed),
        class: class.map(Cow::Borrowed),
        query: Cow::Borrowed(f[q]),
        rrtype: Cow::Borrowed(f[t]),
        answer,
        ttl,
        count,
    })
}

/// A JSON line as `-j`/`-J` write it; the other keys are ignored.
#[derive(Deserialize)]
struct JsonLine<'a> {
    timestamp_s: Option<i64>,
    /// Microseconds, whatever the name says.
    timestamp_ms: Option<i64>,
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(borrow)]
    hostname: Option<Cow<'a, str>>,
    #[serde(borrow)]
    class: Option<Cow<'a, str>>,
    #[serde(borrow)]
    query: Cow<'a, str>,
    #[serde(borrow, rename = "type")]
    rrtype: Cow<'a, str>,
    #[serde(borrow)]
    answer: Option<Cow<'a, str>>,
    ttl: Option<u64>,
    count: Option<u64>,
}

fn json_entry<'a>(line: &'a str, opts: &ParseOptions) -> Result<Entry<'a>, (ErrorKind, String)> {
    let j: JsonLine<'a> =
        serde_json::from_str(line).map_err(|e| (ErrorKind::Json, e.to_string()))?;
    let seen = match (j.timestamp_s, j.timestamp_ms, &j.timestamp) {
        (Some(s), us, _) => Some(
            s.checked_mul(1000)
                .and_then(|ms| ms.checked_add(us.unwrap_or(0) / 1000))
                .map(Timestamp::from_millis)
                .ok_or_else(|| {
                    (
                        ErrorKind::Timestamp,
                        format!("timestamp_s {s} out of range"),
                    )
                })?,
        ),
        (None, _, Some(h)) => Some(
            timestamp(h, opts)
                .ok_or_else(|| (ErrorKind::Timestamp, format!("cannot read {h:?}")))?,
        ),
        _ => None,
    };
    Ok(Entry {
        seen,
        host: j.hostname,
        class: j.class,
        query: j.query,
        rrtype: j.rrtype,
        answer: j.answer,
        ttl: j.ttl,
        count: j.count,
    })
}

/// Epoch `S[.uuuuuu]` (UTC) or the human `YYYY-MM-DD HH:MM:SS[.uuuuuu]` (the sensor's local
/// time). Microseconds alone (`-f M` without `S`) carry no date and give `None`.
fn timestamp(s: &str, opts: &ParseOptions) -> Option<Timestamp> {
    if is_human_ts(s) {
        return human(s, opts);
    }
    let (secs, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.is_empty() && secs.len() <= 6 {
        return None;
    }
    let secs: i64 = if digits(secs) {
        secs.parse().ok()?
    } else {
        return None;
    };
    let ms = millis_of(frac)?;
    Some(Timestamp::from_millis(
        secs.checked_mul(1000)?.checked_add(ms)?,
    ))
}

/// The milliseconds of a decimal fraction's digits (`527580` → 527).
fn millis_of(frac: &str) -> Option<i64> {
    if !frac.is_empty() && !digits(frac) {
        return None;
    }
    Some(
        frac.bytes()
            .chain(std::iter::repeat(b'0'))
            .take(3)
            .fold(0i64, |acc, c| acc * 10 + i64::from(c - b'0')),
    )
}

fn human(s: &str, opts: &ParseOptions) -> Option<Timestamp> {
    let num =
        |a: usize, b: usize| -> Option<u32> { s.get(a..b).filter(|d| digits(d))?.parse().ok() };
    let ms = match s.get(19..) {
        None | Some("") => 0,
        Some(f) => millis_of(f.strip_prefix('.')?)? as u32,
    };
    let date = chrono::NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?;
    opts.local_time(date.and_hms_milli_opt(num(11, 13)?, num(14, 16)?, num(17, 19)?, ms)?)
}

/// True for the answer of an error-log line.
fn is_rcode(answer: &str) -> bool {
    RCODES.contains(&answer) || answer.starts_with("UNKNOWN-ERROR-")
}

impl Parser {
    fn build(&mut self, e: Entry<'_>, n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        if e.class.as_deref().is_some_and(|c| c != "IN") {
            return Ok(Outcome::Skipped);
        }
        let seen = e
            .seen
            .ok_or_else(|| ParseError::new(n, ErrorKind::Timestamp, "no timestamp field"))?;
        let sources = Sources::one(self.tags.tag(e.host.as_deref()));
        let count = e.count.unwrap_or(1).max(1);
        let answer = e.answer.as_deref().map(str::trim).unwrap_or_default();
        let core = |err| ParseError::from_core(n, err);
        if answer.is_empty() || (is_rcode(answer) && e.ttl.unwrap_or(0) == 0) {
            // The error log (or -f without A): the name was asked, nothing was answered.
            let rrtype = e.rrtype.parse::<RrType>().ok();
            let name = normalize_name_in(&e.query, &mut self.name_buf).map_err(core)?;
            if !rrtype.is_some_and(RrType::is_transaction_security) {
                let mut s = NameView::one(name, rrtype, seen, &sources);
                s.count = count;
                out.name(s);
            }
            return Ok(Outcome::NoAnswer);
        }
        let rrtype: RrType = e.rrtype.parse().map_err(core)?;
        // SRV and SOA data reduced to one name (all passivedns logs of them) are kept as that
        // name by core's normalisation.
        let name = normalize_name_in(&e.query, &mut self.name_buf).map_err(core)?;
        let rdata = normalize_rdata_in(rrtype, answer, &mut self.rdata_buf).map_err(core)?;
        let mut a = AssociationView::one(name, rrtype, rdata, seen, &sources);
        a.ttl = e.ttl.and_then(|t| u32::try_from(t).ok());
        a.count = count;
        out.association(a);
        Ok(Outcome::Answer)
    }
}

impl FormatParser for Parser {
    fn line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let line = text(line);
        let l = line.trim_end_matches(['\r', '\n']);
        if l.trim().is_empty() || is_own_message(l) {
            return Ok(Outcome::Skipped);
        }
        let entry = if l.trim_start().starts_with('{') {
            json_entry(l, &self.opts)
        } else {
            text_entry(l, &self.opts)
        }
        .map_err(|(kind, why)| ParseError::new(n, kind, why))?;
        self.build(entry, n, out)
    }
}

/// passivedns's own messages, which it prints to standard output beside a log written there
/// (`-l /dev/stdout`): its banner and notices (`[*] PassiveDNS 1.2.0`, `[!] …`, `[E] …`) and
/// its closing counters (`-- Total DNS records allocated :  598`).
fn is_own_message(l: &str) -> bool {
    // A record starts with its time (a digit) or `{`: one byte tells most lines.
    matches!(l.as_bytes().first(), Some(b'[' | b'-'))
        && ["[*] ", "[!] ", "[E] ", "-- Total "]
            .iter()
            .any(|p| l.starts_with(p))
}

/// Certain when each of the first lines is a passivedns line: `||`-separated with a query
/// name followed by a record type, or a JSON object with `query`, `type` and `answer`.
pub fn sniff(sample: &str) -> u8 {
    let opts = ParseOptions::default();
    let mut seen = 0;
    for l in crate::format::first_lines(sample, 10) {
        let ok = if l.starts_with('{') {
            l.contains("\"query\":")
                && l.contains("\"answer\":")
                && !l.contains("\"event_type\"")
                && json_entry(l, &opts).is_ok_and(|e| e.seen.is_some())
        } else {
            l.contains("||") && text_entry(l, &opts).is_ok_and(|e| e.seen.is_some())
        };
        if !ok {
            return 0;
        }
        seen += 1;
    }
    if seen > 0 {
        90
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;
    use crate::{parse_str, parse_str_with, Format};
    use yapdns_core::Association;

    fn assocs(input: &str) -> Vec<Association> {
        parse_str(Format::PassiveDns, input)
            .0
            .into_iter()
            .filter_map(|r| match r {
                Record::Association(a) => Some(a),
                Record::Name(_) => None,
            })
            .collect()
    }

    #[test]
    fn default_fields_with_count_and_ttl() {
        let a = assocs("1492722958.732859||10.16.1.11||10.16.1.1||IN||www.Suricata-ids.org.||CNAME||suricata-ids.org.||3544||7\n");
        assert_eq!(a.len(), 1);
        assert_eq!(
            (
                a[0].rrname.as_str(),
                a[0].rdata.as_str(),
                a[0].count,
                a[0].ttl
            ),
            ("www.suricata-ids.org", "suricata-ids.org", 7, Some(3544))
        );
        assert_eq!(a[0].first_seen.millis(), 1_492_722_958_732);
    }

    /// A log written to standard output holds passivedns's own banner and counters too (as
    /// passivedns 1.2.0 prints them): skipped, not errors.
    #[test]
    fn its_own_messages_are_skipped() {
        let (r, s) = parse_str(
            Format::PassiveDns,
            "[*] PassiveDNS 1.2.0\n\
             [*] Reading from file nitroba.pcap\n\
             1492722958.732859||10.16.1.11||10.16.1.1||IN||www.suricata-ids.org.||A||192.0.2.1||3544||7\n\
             \n\
             -- Total DNS records allocated            :         598\n\
             [*] passivedns ended.\n",
        );
        assert_eq!(r.len(), 1);
        assert_eq!((s.skipped, s.error_count()), (5, 0), "{s:?}");
    }

    #[test]
    fn every_field_in_fixed_order() {
        // -f HhcwsWpCQLTAltn (all of them).
        let line = "2026-11-29 19:15:59.527580||sensor-7||127.0.10.1||00:11:22:33:44:55||127.0.10.2||66:77:88:99:aa:bb||tcp||IN||corp.test.||10||A||127.0.60.1||10||300||4\n";
        let a = assocs(line);
        assert_eq!(a.len(), 1, "{:?}", parse_str(Format::PassiveDns, line));
        assert_eq!((a[0].count, a[0].ttl), (4, Some(300)));
        assert_eq!(
            a[0].sources.iter().next().unwrap().sensor.as_deref(),
            Some("sensor-7")
        );
    }

    #[test]
    fn minimal_and_odd_field_sets() {
        // -f SQTA: no client, server, class, ttl or count.
        assert_eq!(assocs("1795979759||corp.test.||A||127.0.60.1\n").len(), 1);
        // -f ShQTA: a hostname straight before the query.
        let a = assocs("1795979759.5||lab.||corp.test.||MX||mail.corp.test.\n");
        assert_eq!(
            a[0].sources.iter().next().unwrap().sensor.as_deref(),
            Some("lab.")
        );
        // A hostname that looks like a class.
        assert_eq!(
            assocs("1795979759||IN||127.0.0.1||IN||x.test.||A||1.2.3.4||5||1\n").len(),
            1
        );
        // A numeric protocol before the class.
        assert_eq!(assocs("1795979759||17||IN||x.test.||A||1.2.3.4\n").len(), 1);
    }

    #[test]
    fn answers_with_spaces_quotes_and_delimiters() {
        let a = assocs(
            "1795979760.285857||127.0.10.1||127.0.10.1||IN||corp.test.||TXT||\"v=spf1 a||b -all\"||300||2\n",
        );
        assert_eq!(a[0].rdata, "\"v=spf1 a||b -all\"");
        assert_eq!(a[0].count, 2);
    }

    #[test]
    fn srv_and_soa_keep_the_logged_name() {
        let a = assocs(
            "1795979760||127.0.0.1||127.0.0.1||IN||_ldap._tcp.corp.test.||SRV||Ldap.corp.test.||300||1\n1795979760||127.0.0.1||127.0.0.1||IN||corp.test.||SOA||ns1.corp.test.||300||1\n",
        );
        assert_eq!(a[0].rdata, "ldap.corp.test");
        assert_eq!(a[1].rdata, "ns1.corp.test");
    }

    #[test]
    fn error_log_lines_are_name_sightings() {
        let (r, s) = parse_str(
            Format::PassiveDns,
            "1795979760.023453||127.0.10.1||127.0.10.1||IN||nonexistent.corp.test.||A||NXDOMAIN||0||1\n{\"timestamp_s\":1795979753,\"timestamp_ms\":105068,\"client\":\"127.0.41.1\",\"server\":\"127.0.10.1\",\"class\":\"IN\",\"query\":\".\",\"type\":\"NS\",\"answer\":\"REFUSED\",\"ttl\":0,\"count\":1}\n",
        );
        assert_eq!((s.names, s.no_answer, s.associations), (2, 2, 0), "{s:?}");
        let Record::Name(n) = &r[1] else { panic!() };
        assert_eq!(n.first_seen.millis(), 1_795_979_753_105);
    }

    #[test]
    fn json_microseconds_and_human_time_zone() {
        let a = assocs("{\"timestamp_s\":1795979759,\"timestamp_ms\":527580,\"client\":\"127.0.10.1\",\"server\":\"127.0.10.1\",\"class\":\"IN\",\"query\":\"corp.test.\",\"type\":\"A\",\"answer\":\"127.0.60.1\",\"ttl\":300,\"count\":3}\n");
        assert_eq!(
            (a[0].first_seen.millis(), a[0].count),
            (1_795_979_759_527, 3)
        );
        let opts = ParseOptions {
            timezone: "+01:00".parse().unwrap(),
            sensor: Some("op".into()),
            ..Default::default()
        };
        let (r, _) = parse_str_with(
            Format::PassiveDns,
            "2026-11-29 20:15:59.527580||labsensor||127.0.10.1||127.0.10.1||udp||IN||corp.test.||A||127.0.60.1||300||1\n",
            &opts,
        );
        let Record::Association(a) = &r[0] else {
            panic!()
        };
        assert_eq!(a.first_seen.millis(), 1_795_979_759_527);
        assert_eq!(
            a.sources.iter().next().unwrap().sensor.as_deref(),
            Some("op")
        );
    }

    #[test]
    fn chaos_class_is_skipped_and_bad_lines_are_typed() {
        let (_, s) = parse_str(
            Format::PassiveDns,
            "1795979761.122824||127.0.10.1||127.0.10.1||CH||version.bind.||TXT||\"9.18\"||0||1\nnot a line\n527580||x.test.||A||1.2.3.4\n1795979760||x.test.||A||nope||1||1\n",
        );
        assert_eq!(s.skipped, 1, "{s:?}");
        assert_eq!(s.errors["syntax"], 1);
        assert_eq!(s.errors["timestamp"], 1);
        assert_eq!(s.errors["rdata"], 1);
    }
}

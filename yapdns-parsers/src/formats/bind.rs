//! BIND `named` query log: one line per query received, in every layout BIND 9.9 and later
//! write, in a file channel or wrapped by syslog; and the response lines of Infoblox NIOS's
//! `named` (its "log responses" option), which carry the answer.
//!
//! A query line names what a client asked for, never what it was told, so every query yields
//! a [`NameSighting`] (name, queried type, time) and the line counts as
//! [`Outcome::NoAnswer`]. Associations for BIND come from its answers (dnstap, zone files), not
//! from this log. A response line yields the sighting of its query and an association for each
//! record it lists, with the record's TTL.
//!
//! Grammar (`SP` is one space; `[ ]` optional):
//!
//! ```text
//! line       = [ syslog ] [ bind-time SP ] [ severity 1*SP ] [ category ": " ]
//!              [ severity ": " ] [ bind-time SP ] message
//!                                      ; a bare severity: a syslog template's (`info  queries:`)
//!                                      ; bind-time after the category: `infoblox-responses: `
//! bind-time  = DD "-" Mon "-" YYYY SP HH ":" MM ":" SS "." mmm    ; print-time yes (local time)
//!            / YYYY "-" MM "-" DD "T" HH ":" MM ":" SS "." mmm [ "Z" / offset ]
//!                                                  ; print-time iso8601 (local) / iso8601-utc
//! syslog     = [ "<" PRI ">" ] Mon SP D/DD SP HH ":" MM ":" SS [ "." frac ] SP
//!              [ host SP [ host SP ] ] tag ": "    ; RFC 3164, no year; a relay's second host
//!            / [ "<" PRI ">" ] iso-time SP host SP tag ": "        ; rsyslog / journald ISO
//!            / "<" PRI ">1" SP iso-time SP host SP app SP procid SP msgid SP sd [ SP ]  ; RFC 5424
//! category   = 1*( a-z / 0-9 / "-" / "_" )   ; "queries", or Infoblox's "infoblox-responses"
//! severity   = "info" / "notice" / "warning" / "error" / "critical" / "dynamic" / "debug" [ SP n ]
//! message    = "client" SP [ "@0x" hex SP ] address "#" port [ "/key" SP keyname ]
//!              [ SP "(" qname ")" ] [ ": view" SP view ] ( ": " / SP ) [ transport ": " ]
//!              "query: " query
//! transport  = "UDP" / "TCP"                            ; response lines
//! query      = qname SP class SP type SP ( flags [ SP "(" server-address ")" ]
//!              [ SP "[ECS " … "]" ] / response )
//! response   = "response: " rcode SP flags *( SP rr ";" )          ; Infoblox NIOS
//! rr         = owner SP ttl SP class SP type SP rdata   ; a `;` inside quoted TXT data is data
//! flags      = ( "+" / "-" ) [ "S" ] [ "E" [ "(" n ")" ] ] [ "T" ] [ "D" ] [ "C" ] [ "K" / "V" ]
//! ```
//!
//! The `@0x…` client pointer appears from BIND 9.11, the `(qname)` from 9.9 (9.8 and older
//! wrote `client ADDR#PORT: query: …`), `E(0)` with the EDNS version from 9.11 (9.9 wrote a bare
//! `E`). The query name is printed with BIND's escapes (`\032`, `\.`), which are kept.
//!
//! What it yields and cannot yield:
//!
//! - A line whose message is `client …: query: NAME IN TYPE …` yields one sighting of `NAME`
//!   with `TYPE`. Queries of another class (`version.bind CH TXT`) are counted as
//!   [`Outcome::NoAnswer`] but yield nothing: passive DNS is about the Internet class.
//! - Every other line (another category, `query failed`, transfers, zone loads, start-up
//!   messages) is [`Outcome::Skipped`]: none of them says what a name resolved to.
//! - Times: `print-time yes` and `iso8601` are the server's local time and go through
//!   [`ParseOptions::timezone`]; `iso8601-utc` (`Z`) and ISO stamps with an offset are exact;
//!   classic syslog stamps have no year and take [`ParseOptions::year`]. When a syslog line also
//!   carries BIND's own stamp, an exact (offset) syslog stamp wins, else BIND's (it has the year
//!   and milliseconds).
//! - A query line with no timestamp at all (a channel with `print-time no`, not behind syslog)
//!   takes the time of the container runtime's record that holds it, when `named` runs in a
//!   container ([`FormatParser::wrapper_time`]). Anywhere else it cannot be dated: it is a
//!   [`ErrorKind::Timestamp`] error, counted per line, so a user sees that the channel must be
//!   configured with `print-time yes`. A stamp that has the shape of a
//!   time but is impossible (`31-Feb-2026`) is the same error.
//! - Unknown query types are [`ErrorKind::RrType`] errors, names that cannot be normalised
//!   [`ErrorKind::Name`] errors, and a line that starts like a query but is cut short a
//!   [`ErrorKind::Syntax`] error.
//!
//! The parser scans bytes with plain slice searches rather than nom combinators: this is the
//! hot path measured against a raw newline scan, every field ends at one known delimiter, and
//! nothing is allocated: the sighting is handed out as a view of the line (see
//! [`Emit`]).
//!
//! [`NameSighting`]: yapdns_core::NameSighting

use std::borrow::Cow;

use yapdns_core::{
    normalize_name, normalize_name_in, normalize_rdata, normalize_rdata_in, AssociationView,
    NameView, SourceTag, Sources, Timestamp,
};

use crate::bytes::{find_byte, find_either, find_n};
use crate::error::{ErrorKind, ParseError};
use crate::formats::bind_zone::presentation_type;
use crate::formats::syslog_prefix::{
    after_structured_data, byte_is, checked, compose_prefix, digits, fraction, iso_minute,
    iso_time, iso_time_in, month_day_time, skip_spaces, tag_token, token, two_digits, unix_time,
    Minute, Stamp, StampCache, Time,
};
use crate::formats::FormatParser;
use crate::input::{text, trim_end};
use crate::options::{month_from_abbr, ParseOptions};
use crate::record::{Emit, Outcome};

/// Parser state: the options, the source tag every sighting carries, and a buffer for names
/// that need normalising (every line stands alone).
pub struct Parser {
    opts: ParseOptions,
    stamps: StampCache,
    /// The first bytes of the last BIND stamp read at the start of a line, up to its minute,
    /// and what they said: consecutive lines mostly share them.
    minute: Option<StampHead>,
    sources: Sources,
    name_buf: String,
    /// Record data of a response line's records, for normalising.
    rdata_buf: String,
    /// The time the container runtime gave the line being read ([`FormatParser::wrapper_time`]),
    /// for a line written without one.
    wrapper_time: Option<Timestamp>,
}

/// The head of a stamp up to its minute: `DD-Mon-YYYY HH:MM` (17 bytes) or
/// `YYYY-MM-DDTHH:MM` (16 bytes).
#[derive(Debug, Clone, Copy)]
struct StampHead {
    bytes: [u8; 17],
    iso: bool,
    minute: Minute,
}

impl Parser {
    /// A parser tagging sightings with the sensor of `opts`.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            opts: opts.clone(),
            stamps: StampCache::default(),
            minute: None,
            sources: Sources::one(SourceTag::new("bind", opts.sensor.as_deref())),
            name_buf: String::new(),
            rdata_buf: String::new(),
            wrapper_time: None,
        }
    }
}

/// The normal form of a query name, borrowed from the line when it is normal already (most
/// are) and otherwise written into `buf`.
fn query_name<'a>(name: &'a [u8], buf: &'a mut String) -> Result<&'a str, yapdns_core::Error> {
    match std::str::from_utf8(name) {
        Ok(s) => normalize_name_in(s, buf),
        Err(_) => {
            *buf = normalize_name(&text(name))?;
            Ok(buf.as_str())
        }
    }
}

/// `DD-Mon-YYYY HH:MM`, the first 17 bytes of a [`bind_time`].
fn bind_minute(b: &[u8]) -> Option<Minute> {
    if !(byte_is(b, 2, b'-') && byte_is(b, 6, b'-') && byte_is(b, 11, b' ') && byte_is(b, 14, b':'))
    {
        return None;
    }
    Some(Minute {
        day: two_digits(b, 0)?,
        month: month_from_abbr(b.get(3..6)?)?,
        year: digits(b, 7, 4)?,
        hour: two_digits(b, 12)?,
        min: two_digits(b, 15)?,
    })
}

/// `DD-Mon-YYYY HH:MM:SS.mmm` (BIND `print-time yes`); returns the stamp and its length.
fn bind_time(b: &[u8]) -> Option<(Time, usize)> {
    bind_time_in(b, bind_minute(b)?)
}

/// [`bind_time`] of a stamp whose first 17 bytes are `minute`'s: the seconds and fraction.
fn bind_time_in(b: &[u8], minute: Minute) -> Option<(Time, usize)> {
    let Minute {
        year,
        month,
        day,
        hour,
        min,
    } = minute;
    if !byte_is(b, 17, b':') {
        return None;
    }
    let sec = two_digits(b, 18)?;
    let (milli, len) = fraction(b, 20);
    let t = Stamp {
        year: Some(year as i32),
        month,
        day,
        hour,
        min,
        sec,
        milli,
        offset: None,
    };
    Some((checked(t), len))
}

/// The syslog tag part, `[host SP [host SP]] tag ": "`, after a syslog stamp. Relays that
/// add their own address after the sender's host name (Infoblox's syslog forwarding:
/// `a1.foo.com 89.160.20.112 named[10750]:`) write two host fields.
fn after_syslog_tag(b: &[u8]) -> &[u8] {
    let (t1, rest) = token(b);
    if t1.ends_with(b":") {
        return skip_spaces(rest);
    }
    let (t2, rest2) = token(rest);
    if t2.ends_with(b":") {
        return skip_spaces(rest2);
    }
    let (t3, rest3) = token(rest2);
    if t3.ends_with(b"]:") {
        skip_spaces(rest3)
    } else {
        rest
    }
}

/// True when `tok` is a BIND severity as `print-severity` writes it.
fn is_severity(tok: &[u8]) -> bool {
    matches!(
        tok,
        b"info" | b"notice" | b"warning" | b"error" | b"critical" | b"dynamic" | b"debug"
    ) || tok.starts_with(b"debug ")
}

/// What follows a severity word and a space at the start of `b` (`info queries: …`); known
/// by its first byte and one compare, as most lines start with `client` or a category.
fn bare_severity(b: &[u8]) -> Option<&[u8]> {
    // Each word a constant, so that each compare is a few instructions, not a call.
    match b.first()? {
        b'i' => b.strip_prefix(b"info "),
        b'n' => b.strip_prefix(b"notice "),
        b'w' => b.strip_prefix(b"warning "),
        b'e' => b.strip_prefix(b"error "),
        b'c' => b.strip_prefix(b"critical "),
        b'd' => b.strip_prefix(b"debug "),
        _ => None,
    }
}

/// True when `tok` can be a BIND category name.
fn is_category(tok: &[u8]) -> bool {
    !tok.is_empty()
        && tok != b"named"
        && tok
            .iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_')
}

/// True when what follows an ISO stamp is BIND's own text rather than a syslog host name.
fn bind_text_follows(b: &[u8]) -> bool {
    if b.starts_with(b"client ") || b.starts_with(b"queries: ") {
        return true;
    }
    let (t, _) = token(b);
    match t.strip_suffix(b":") {
        Some(word) => is_severity(word) || is_category(word),
        None => false,
    }
}

/// Reads the time stamps and wrappers at the start of a line: returns the line's time and the
/// text BIND wrote after its own (optional) stamp.
fn header(line: &[u8]) -> (Time, &[u8]) {
    let mut rest = line;
    let mut outer = Time::Missing;
    let mut wrapped = false;
    if let Some(after) = rest.strip_prefix(b"<") {
        // Syslog priority `<PRI>`.
        let n = after.iter().take_while(|c| c.is_ascii_digit()).count();
        if (1..=3).contains(&n) && byte_is(after, n, b'>') {
            rest = after.get(n + 1..).unwrap_or_default();
            if let Some(r5424) = rest.strip_prefix(b"1 ") {
                let (ts, r) = token(r5424);
                outer = match iso_time(ts) {
                    Some((t, len)) if len == ts.len() => t,
                    _ if ts == b"-" => Time::Missing,
                    _ => Time::Bad("unreadable RFC 5424 time stamp"),
                };
                let (_host, r) = token(r);
                let (_app, r) = token(r);
                let (_procid, r) = token(r);
                let (_msgid, r) = token(r);
                let r = after_structured_data(r);
                let r = skip_spaces(r);
                let r = r.strip_prefix("\u{feff}".as_bytes()).unwrap_or(r);
                return inner(outer, r);
            }
        }
    }
    if let Some((t, len)) = bind_time(rest) {
        return (t, skip_spaces(rest.get(len..).unwrap_or_default()));
    } else if let Some((t, len)) = month_day_time(rest) {
        outer = t;
        wrapped = true;
        rest = after_syslog_tag(skip_spaces(rest.get(len..).unwrap_or_default()));
    } else if let Some((t, len)) = iso_time(rest) {
        let after = skip_spaces(rest.get(len..).unwrap_or_default());
        if bind_text_follows(after) {
            return (t, after);
        }
        outer = t;
        wrapped = true;
        rest = after_syslog_tag(after);
    } else if let Some((t, len)) = rest
        .first()
        .is_some_and(u8::is_ascii_digit)
        .then(|| unix_time(rest))
        .flatten()
    {
        // `journalctl -o short-unix`: a host and the syslog tag follow.
        outer = t;
        wrapped = true;
        rest = after_syslog_tag(skip_spaces(rest.get(len..).unwrap_or_default()));
    }
    if wrapped {
        inner(outer, rest)
    } else {
        untimed(rest)
    }
}

/// A line with no stamp before BIND's text: a bare `print-time no` line, or a syslog message
/// whose tag came without a stamp (`named[712]: client …`, as `journalctl -o json` and a
/// `<PRI>` without time hand it over). Only a tag with a process id is taken for one: a bare
/// line may start with its category (`queries: `), which has the shape of a tag without it.
#[cold]
fn untimed(rest: &[u8]) -> (Time, &[u8]) {
    let (t, after) = token(rest);
    match tag_token(t) {
        Some(tag) if tag.pid.is_some() => inner(Time::Missing, skip_spaces(after)),
        _ => (Time::Missing, rest),
    }
}

/// Inside a syslog message, BIND may have written its own stamp too (`print-time` on a syslog
/// channel). An exact outer stamp (with an offset) wins; else BIND's, which has the year.
#[inline(always)]
fn inner(outer: Time, msg: &[u8]) -> (Time, &[u8]) {
    let own = bind_time(msg).or_else(|| iso_time(msg));
    match own {
        Some((t, len)) => {
            let rest = skip_spaces(msg.get(len..).unwrap_or_default());
            let exact_outer = matches!(outer, Time::At(s) if s.offset.is_some());
            (if exact_outer { outer } else { t }, rest)
        }
        None => (outer, msg),
    }
}

/// [`inner`] for a stamp after the category (`infoblox-responses: 14-Apr-2022 …`): rare, so
/// kept out of the way of the query lines.
#[cold]
#[inline(never)]
fn stamp_after_category(outer: Time, msg: &[u8]) -> (Time, &[u8]) {
    inner(outer, msg)
}

/// The message of a line of the query log's category (or of none) after its header, and its
/// time: the category and severity stripped, and a stamp of BIND's after them (Infoblox's
/// `infoblox-responses: 07-Apr-2013 …`); `None` for a line of another category.
#[inline(always)]
fn message(time: Time, rest: &[u8]) -> Option<(Time, &[u8])> {
    let (mut category, mut msg) = category_severity(rest);
    if category.is_none() && !msg.starts_with(b"client ") {
        // A severity a syslog template wrote before BIND's text, without a colon
        // (`info  queries: client …`).
        if let Some(after) = bare_severity(msg) {
            (category, msg) = category_severity(skip_spaces(after));
        }
    }
    // `infoblox-responses`: Infoblox NIOS's category of response lines.
    if category.is_some_and(|c| c != b"queries" && c != b"infoblox-responses") {
        return None;
    }
    // Infoblox's `infoblox-responses: ` comes before BIND's own stamp.
    let (time, msg) = match msg.first() {
        Some(c) if c.is_ascii_digit() => stamp_after_category(time, msg),
        _ => (time, msg),
    };
    if category.is_none() && !msg.starts_with(b"client ") {
        return after_template_severity(time, msg);
    }
    Some((time, msg))
}

/// A syslog template's severity, then BIND's stamp, then its category (`info
/// 01-Dec-2026 07:29:25.295 queries: info: client …`): the category follows the stamp.
#[cold]
fn after_template_severity(time: Time, msg: &[u8]) -> Option<(Time, &[u8])> {
    match category_severity(msg) {
        (Some(c), rest) if c == b"queries" => Some((time, rest)),
        (Some(_), _) => None,
        (None, _) => Some((time, msg)),
    }
}

/// Strips `category: ` and `severity: `; returns the category, if one was printed, and the
/// message.
fn category_severity(b: &[u8]) -> (Option<&[u8]>, &[u8]) {
    // The query log's own category and severity, as a query channel writes them.
    if let (Some(rest), Some(category)) = (b.strip_prefix(b"queries: info: "), b.get(..7)) {
        return (Some(category), rest);
    }
    category_severity_tokens(b)
}

/// [`category_severity`] of any prefix: up to two `word: ` tokens, each a severity or (once)
/// a category.
fn category_severity_tokens(b: &[u8]) -> (Option<&[u8]>, &[u8]) {
    let mut rest = b;
    let mut category = None;
    for _ in 0..2 {
        if rest.starts_with(b"client ") {
            break;
        }
        let Some(i) = find_byte(rest, b':') else {
            break;
        };
        if !byte_is(rest, i + 1, b' ') {
            break;
        }
        let tok = rest.get(..i).unwrap_or_default();
        if is_severity(tok) {
            rest = rest.get(i + 2..).unwrap_or_default();
        } else if category.is_none() && is_category(tok) {
            category = Some(tok);
            rest = rest.get(i + 2..).unwrap_or_default();
        } else {
            break;
        }
    }
    (category, rest)
}

/// The index of the first `": "`.
fn colon_space(b: &[u8]) -> Option<usize> {
    let mut from = 0;
    loop {
        let i = from + find_byte(b.get(from..)?, b':')?;
        if byte_is(b, i + 1, b' ') {
            return Some(i);
        }
        from = i + 1;
    }
}

/// The text after `query: ` when `msg` is a query line's message.
fn client_query(msg: &[u8]) -> Option<&[u8]> {
    let rest = msg.strip_prefix(b"client ")?;
    // 9.11+: the client object's address.
    let rest = if rest.starts_with(b"@") {
        token(rest).1
    } else {
        rest
    };
    // ADDRESS#PORT: the address has no space; IPv6 addresses have colons, so find the `#`
    // (before any space).
    let hash = find_either(rest, b'#', b' ')?;
    if !byte_is(rest, hash, b'#') {
        return None;
    }
    let after_port = rest.get(hash + 1..)?;
    // The client prefix ends at the first ": " (the name in parentheses is printed with
    // spaces escaped, so it holds none).
    let end = colon_space(after_port)?;
    let mut m = after_port.get(end + 2..)?;
    if let Some(view) = m.strip_prefix(b"view ") {
        // A view's name is any quoted string of `named.conf`, `: ` and `query: ` included;
        // no query holds `: query: ` (a name's spaces are escaped), so the last one is the
        // line's own.
        let e = memchr::memmem::rfind(view, b": query: ")?;
        m = view.get(e + 2..)?;
    }
    // Response lines (Infoblox NIOS's `log-responses`) name the transport.
    m.strip_prefix(b"query: ").or_else(|| transport_query(m))
}

/// The query of a response line (Infoblox NIOS's `log-responses`), which names the transport
/// before it: `UDP: query: …`.
#[cold]
fn transport_query(m: &[u8]) -> Option<&[u8]> {
    m.strip_prefix(b"UDP: ")
        .or_else(|| m.strip_prefix(b"TCP: "))?
        .strip_prefix(b"query: ")
}

/// The fields of a query: `qname SP class SP type SP rest`.
#[derive(Debug, PartialEq, Eq)]
struct Query<'a> {
    name: &'a [u8],
    class: &'a [u8],
    rtype: &'a [u8],
    /// The flags and what follows them, or `response: …`.
    rest: &'a [u8],
}

/// `qname SP class SP type SP ( flags … / "response: " … )`.
fn query_fields(q: &[u8]) -> Option<Query<'_>> {
    // Three space-separated tokens and what follows (with fewer spaces, no flags follow).
    let [s1, s2, s3] = find_n(q, b' ')?;
    let (name, class, rtype) = (q.get(..s1)?, q.get(s1 + 1..s2)?, q.get(s2 + 1..s3)?);
    let rest = q.get(s3 + 1..)?;
    let ok = !name.is_empty()
        && !class.is_empty()
        && !rtype.is_empty()
        && (rest.starts_with(b"+") || rest.starts_with(b"-") || rest.starts_with(b"response: "));
    ok.then_some(Query {
        name,
        class,
        rtype,
        rest,
    })
}

/// The records of a response line, `rr ";" *( SP rr ";" )`: each up to a `;` outside quotes
/// (TXT data may hold one), trimmed, empty ones left out.
fn response_records(b: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = b;
    std::iter::from_fn(move || loop {
        let (mut quoted, mut escaped) = (false, false);
        let end = rest.iter().position(|&c| {
            let at_end = c == b';' && !quoted && !escaped;
            match c {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => quoted = !quoted,
                _ => {}
            }
            at_end
        });
        let (rr, after) = match end {
            Some(e) => (rest.get(..e)?, rest.get(e + 1..)?),
            None if rest.is_empty() => return None,
            None => (rest, &[][..]),
        };
        rest = after;
        let rr = trim_end(skip_spaces(rr));
        if !rr.is_empty() {
            return Some(rr);
        }
    })
}

impl Parser {
    /// The time of a query line written without one: the container runtime's, else none.
    #[cold]
    fn undated(&self, n: u64) -> Result<Timestamp, ParseError> {
        self.wrapper_time.ok_or_else(|| {
            ParseError::new(
                n,
                ErrorKind::Timestamp,
                "query line without a time stamp (channel with print-time no); cannot be dated",
            )
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
        let (time, rest) = self.header(line);
        let Some((time, msg)) = message(time, rest) else {
            return Ok(Outcome::Skipped);
        };
        let Some(q) = client_query(msg) else {
            // The service's name `docker compose logs` writes first: BIND's line follows. Looked
            // for here, where only lines that are no query come.
            if let Some(after) = compose_prefix(line) {
                return self.line(after, n, out);
            }
            return Ok(Outcome::Skipped);
        };
        let Query {
            name,
            class,
            rtype,
            rest,
        } = query_fields(q).ok_or_else(|| {
            ParseError::new(
                n,
                ErrorKind::Syntax,
                "query line without name, class, type and flags",
            )
        })?;
        let seen = match time {
            Time::At(stamp) => self.stamps.resolve(stamp, &self.opts).ok_or_else(|| {
                ParseError::new(n, ErrorKind::Timestamp, "impossible date or local time")
            })?,
            Time::Bad(why) => return Err(ParseError::new(n, ErrorKind::Timestamp, why)),
            Time::Missing => self.undated(n)?,
        };
        if class != b"IN" {
            return Ok(Outcome::NoAnswer);
        }
        let rrtype = presentation_type(rtype).ok_or_else(|| {
            ParseError::new(
                n,
                ErrorKind::RrType,
                format!("unknown query type {:?}", text(rtype)),
            )
        })?;
        let rrname =
            query_name(name, &mut self.name_buf).map_err(|e| ParseError::from_core(n, e))?;
        if !rrtype.is_transaction_security() {
            out.name(NameView::one(rrname, Some(rrtype), seen, &self.sources));
        }
        // Flags start with `+` or `-`: one byte tells a response line.
        match rest.first() {
            Some(b'r') => match rest.strip_prefix(b"response: ") {
                Some(response) => self.response(response, seen, n, out),
                None => Ok(Outcome::NoAnswer),
            },
            _ => Ok(Outcome::NoAnswer),
        }
    }
}

impl Parser {
    /// The records of a response line (`RCODE flags rr; rr; …`, Infoblox NIOS), each an
    /// association at the line's time with its TTL. Records of another class than IN are left
    /// out, as the query of one is. A bad record does not hide the good ones: they are handed
    /// out and the first fault is the line's error.
    #[cold]
    #[inline(never)]
    fn response(
        &mut self,
        response: &[u8],
        seen: Timestamp,
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        let (_rcode, rest) = token(response);
        let (_flags, records) = token(rest);
        let (mut count, mut fault) = (0usize, None);
        for rr in response_records(records) {
            match self.response_record(rr, seen, n) {
                Ok(Some(view)) => {
                    out.association(view);
                    count += 1;
                }
                Ok(None) => {}
                Err(e) => {
                    fault.get_or_insert(e);
                }
            }
        }
        match fault {
            Some(e) => Err(e),
            None if count > 0 => Ok(Outcome::Answer),
            None => Ok(Outcome::NoAnswer),
        }
    }

    /// One record of a response line, `owner SP ttl SP class SP type SP rdata`; `None` for
    /// a class other than IN.
    fn response_record<'a>(
        &'a mut self,
        rr: &'a [u8],
        seen: Timestamp,
        n: u64,
    ) -> Result<Option<AssociationView<'a>>, ParseError> {
        let syntax = || {
            ParseError::new(
                n,
                ErrorKind::Syntax,
                format!(
                    "response record {:?} is not `owner ttl class type data`",
                    text(rr)
                ),
            )
        };
        let (owner, rest) = token(rr);
        let (ttl, rest) = token(skip_spaces(rest));
        let (class, rest) = token(skip_spaces(rest));
        let (rtype, rdata) = token(skip_spaces(rest));
        let rdata = trim_end(skip_spaces(rdata));
        if owner.is_empty() || class.is_empty() || rtype.is_empty() || rdata.is_empty() {
            return Err(syntax());
        }
        let ttl = std::str::from_utf8(ttl)
            .ok()
            .and_then(|t| t.parse::<u32>().ok())
            .ok_or_else(syntax)?;
        if class != b"IN" {
            return Ok(None);
        }
        let rrtype = presentation_type(rtype).ok_or_else(|| {
            ParseError::new(
                n,
                ErrorKind::RrType,
                format!("unknown record type {:?}", text(rtype)),
            )
        })?;
        let core = |e| ParseError::from_core(n, e);
        let rrname = query_name(owner, &mut self.name_buf).map_err(core)?;
        let rdata = match text(rdata) {
            Cow::Borrowed(d) => normalize_rdata_in(rrtype, d, &mut self.rdata_buf),
            Cow::Owned(d) => normalize_rdata(rrtype, &d).map(|d| {
                self.rdata_buf = d;
                self.rdata_buf.as_str()
            }),
        }
        .map_err(core)?;
        let mut view = AssociationView::one(rrname, rrtype, rdata, seen, &self.sources);
        view.ttl = Some(ttl);
        Ok(Some(view))
    }

    /// [`header`], with a line that starts with the same stamp head as the last one read
    /// only from its seconds on. Such a line starts with a digit (no `<PRI>`), so `header`
    /// would try BIND's stamp first, and for an ISO head also fail it and the syslog one
    /// (their separators are elsewhere); anything but a stamp of BIND's own is left to
    /// `header`.
    fn header<'l>(&mut self, line: &'l [u8]) -> (Time, &'l [u8]) {
        if let Some(head) = &self.minute {
            // Sixteen bytes compared at once, and BIND's seventeenth.
            let same = line.get(..16) == head.bytes.get(..16)
                && (head.iso || line.get(16) == head.bytes.get(16));
            if same {
                if head.iso {
                    if let Some((t, end)) = iso_time_in(line, head.minute) {
                        let after = skip_spaces(line.get(end..).unwrap_or_default());
                        if bind_text_follows(after) {
                            return (t, after);
                        }
                    }
                } else if let Some((t, end)) = bind_time_in(line, head.minute) {
                    return (t, skip_spaces(line.get(end..).unwrap_or_default()));
                }
            }
        }
        let read = header(line);
        let head = match (bind_minute(line), iso_minute(line)) {
            (Some(minute), _) => Some((false, minute)),
            (None, Some(minute)) => Some((true, minute)),
            (None, None) => None,
        };
        if let Some((iso, minute)) = head {
            let mut bytes = [0u8; 17];
            let len = if iso { 16 } else { 17 };
            if let (Some(to), Some(from)) = (bytes.get_mut(..len), line.get(..len)) {
                to.copy_from_slice(from);
                self.minute = Some(StampHead { bytes, iso, minute });
            }
        }
        read
    }
}

/// Sure when the first lines are BIND query lines (`client … query: NAME CLASS TYPE FLAGS`),
/// in any layout; fairly sure for BIND's own log layout (`DD-Mon-YYYY … category: severity:`)
/// without queries.
pub fn sniff(sample: &str) -> u8 {
    let mut lines = 0u32;
    let mut queries = 0u32;
    let mut bindish = 0u32;
    // A query line, or another line of named's log.
    let read = |b: &[u8]| {
        let (time, rest) = header(b);
        let (category, _) = category_severity(rest);
        let query = message(time, rest)
            .and_then(|(_, msg)| client_query(msg))
            .and_then(query_fields);
        if query.is_some() {
            Some(true)
        } else if category.is_some() && bind_time(b).is_some() {
            Some(false)
        } else {
            None
        }
    };
    for l in crate::format::first_lines(sample, 30) {
        lines += 1;
        let b = l.as_bytes();
        // Behind the service name of `docker compose logs`, as the reader takes it.
        match read(b).or_else(|| compose_prefix(b).and_then(read)) {
            Some(true) => queries += 1,
            Some(false) => bindish += 1,
            None => {}
        }
    }
    if lines == 0 {
        return 0;
    }
    if queries > 0 {
        70 + (25 * (queries + bindish) / lines) as u8
    } else if bindish * 2 >= lines {
        40 + (40 * bindish / lines) as u8
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_str_with, Format, Record, TimeZone, YearRule};
    use yapdns_core::Timestamp;

    fn opts() -> ParseOptions {
        ParseOptions {
            sensor: None,
            timezone: TimeZone::Utc,
            year: YearRule::Fixed(2026),
            origin: None,
        }
    }

    /// Parses `text` and returns the sightings as (name, type, ms) and the stats.
    fn run(text: &str) -> (Vec<(String, String, i64)>, crate::Stats) {
        run_with(text, &opts())
    }

    fn run_with(text: &str, o: &ParseOptions) -> (Vec<(String, String, i64)>, crate::Stats) {
        let (recs, stats) = parse_str_with(Format::Bind, text, o);
        let names = recs
            .into_iter()
            .filter_map(|r| match r {
                Record::Name(n) => Some((
                    n.rrname,
                    n.rrtype.map(|t| t.to_string()).unwrap_or_default(),
                    n.first_seen.millis(),
                )),
                Record::Association(_) => None,
            })
            .collect();
        (names, stats)
    }

    // 2026-11-29T19:25:11.368Z
    const T: i64 = 1_795_980_311_368;

    #[test]
    fn print_time_category_severity_9_18() {
        let (n, s) = run("29-Nov-2026 19:25:11.368 queries: info: client @0x7f7dce89b098 127.0.41.1#52847 (WwW.CoRp.TeSt): query: WwW.CoRp.TeSt IN A +E(0)K (127.0.10.1)\n");
        assert_eq!(n, vec![("www.corp.test".into(), "A".into(), T)]);
        assert_eq!((s.names, s.no_answer, s.error_count()), (1, 1, 0));
    }

    #[test]
    fn every_print_layout_gives_the_same_sighting() {
        // Hand-written variants of one query in the layouts BIND's channel options produce.
        let q = "client @0x7faea0b18098 127.0.0.1#53443 (example.com): query: example.com IN AAAA +E(0)K (127.0.0.1)";
        for prefix in [
            "29-Nov-2026 19:25:11.368 ",
            "29-Nov-2026 19:25:11.368 queries: ",
            "29-Nov-2026 19:25:11.368 info: ",
            "29-Nov-2026 19:25:11.368 queries: info: ",
            "2026-11-29T19:25:11.368 queries: info: ",
            "2026-11-29T19:25:11.368Z ",
            "2026-11-29T20:25:11.368+01:00 ",
            "2026-11-29T20:25:11.368+0100 queries: info: ",
        ] {
            let (n, s) = run(&format!("{prefix}{q}\n"));
            assert_eq!(
                n,
                vec![("example.com".into(), "AAAA".into(), T)],
                "{prefix}"
            );
            assert_eq!(s.error_count(), 0, "{prefix}");
        }
    }

    /// `docker compose logs` output (a user's report in cytopia/docker-bind): the service's
    /// name before BIND's own line.
    #[test]
    fn behind_the_service_name_docker_compose_writes() {
        let (n, s) = run("bind9   | 10-Jun-2019 11:36:29.603 client @0x7fe3d817f860 192.168.1.10#54157 (www.reddit.com): query: www.reddit.com IN A +E(0) (172.19.0.2)\n");
        assert_eq!(
            n,
            vec![("www.reddit.com".into(), "A".into(), 1_560_166_589_603)]
        );
        assert_eq!(s.error_count(), 0);
    }

    #[test]
    fn older_layouts_9_9_and_9_8() {
        // 9.9: no client pointer, bare E flag.
        let (n, _) = run("29-Nov-2026 19:25:11.368 queries: info: client 127.0.11.1#58461 (corp.test): query: corp.test IN MX +ET (127.0.11.1)\n");
        assert_eq!(n, vec![("corp.test".into(), "MX".into(), T)]);
        // 9.8 and older: no (name) after the address, no server address.
        let (n, _) = run("29-Nov-2026 19:25:11.368 client 10.23.53.22#63252: query: googlehosted.l.googleusercontent.com IN A +\n");
        assert_eq!(
            n,
            vec![("googlehosted.l.googleusercontent.com".into(), "A".into(), T)]
        );
    }

    #[test]
    fn views_keys_ipv6_clients_ecs_and_escapes() {
        let (n, s) = run(concat!(
            "29-Nov-2026 19:25:11.368 queries: info: client @0x7f1 ::1#56932 (www.corp.test): view internal: query: www.corp.test IN A +E(0)K (::1)\n",
            "29-Nov-2026 19:25:11.368 queries: info: client @0x7f1 10.0.0.1#53/key tsig-key (a.test): query: a.test IN SOA -SE(0)T (10.0.0.2)\n",
            "29-Nov-2026 19:25:11.368 client @0x7f1 127.0.10.1#46455 (www.corp.test): query: www.corp.test IN A +E(0)K (127.0.10.1) [ECS 127.0.60.0/24/0]\n",
            "29-Nov-2026 19:25:11.368 client 10.0.0.1#53: view external: query: My\\032Printer._ipp._tcp.local IN SRV -\n",
            "29-Nov-2026 19:25:11.368 client @0x7f1 fe80::1%eth0#5353 (x.test): query: x.test IN TYPE65 +E(0) (fe80::2)\n",
        ));
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        let names: Vec<_> = n.iter().map(|(a, b, _)| format!("{a}/{b}")).collect();
        assert_eq!(
            names,
            [
                "www.corp.test/A",
                "a.test/SOA",
                "www.corp.test/A",
                "my\\032printer._ipp._tcp.local/SRV",
                "x.test/HTTPS"
            ]
        );
    }

    /// An association as the tests compare it: rrname, rrtype, rdata, TTL, time.
    type Row = (String, String, String, Option<u32>, i64);

    /// The associations of a run.
    fn associations(text: &str) -> (Vec<Row>, crate::Stats) {
        let (recs, stats) = parse_str_with(Format::Bind, text, &opts());
        let assocs = recs
            .into_iter()
            .filter_map(|r| match r {
                Record::Association(a) => Some((
                    a.rrname,
                    a.rrtype.to_string(),
                    a.rdata,
                    a.ttl,
                    a.first_seen.millis(),
                )),
                Record::Name(_) => None,
            })
            .collect();
        (assocs, stats)
    }

    /// Infoblox NIOS's response lines, as its documentation gives them ("DNS Response Message
    /// Format and Examples"): the query is a sighting, each record an association.
    #[test]
    fn infoblox_response_lines_yield_their_records() {
        let (a, s) = associations(
            "07-Apr-2013 20:16:49.083 client 10.120.20.198#57398 UDP: query: c2.foo.com IN A response: NOERROR +ED c2.foo.com. 28800 IN CNAME a2.foo.com.; a2.foo.com. 28800 IN A 1.1.1.2;\n\
             07-Apr-2013 20:16:49.083 client 2001::2#57398 UDP: query: a4.foo.com IN AAAA response: NOERROR +AED a4.foo.com. 28800 IN AAAA ab::a;\n\
             07-Apr-2013 20:16:49.083 client 10.120.20.198#57398 TCP: query: non-exist.foo.com IN A response: NXDOMAIN +ED\n\
             24-Sep-2020 09:46:27.329 client 192.168.1.3#61568: UDP: query: abc.com IN A response: NOERROR + abc.com. 60 IN A 13.32.86.14; abc.com. 60 IN A 13.32.86.89;\n\
             15-May-2014 13:33:18.468 client 192.168.11.172#50276: view 8: UDP: query: p14.icloud.com IN A response: NOERROR + p14.icloud.com. 86400 IN CNAME p14.icloud.com.akadns.net.;\n",
        );
        // 2013-04-07T20:16:49.083Z
        let t = 1_365_365_809_083;
        assert_eq!(
            a[..3],
            [
                (
                    "c2.foo.com".into(),
                    "CNAME".into(),
                    "a2.foo.com".into(),
                    Some(28800),
                    t
                ),
                (
                    "a2.foo.com".into(),
                    "A".into(),
                    "1.1.1.2".into(),
                    Some(28800),
                    t
                ),
                (
                    "a4.foo.com".into(),
                    "AAAA".into(),
                    "ab::a".into(),
                    Some(28800),
                    t
                ),
            ]
        );
        assert_eq!(a.len(), 6, "{a:?}");
        assert_eq!(a[5].2, "p14.icloud.com.akadns.net");
        assert_eq!((s.names, s.associations, s.no_answer), (5, 6, 1), "{s:?}");
        assert!(s.errors.is_empty(), "{s:?}");
    }

    /// Real BIND 9.18 logs (`tests/reference/bind/`): a view's name may hold `: ` and even
    /// `query: `, and a syslog template may put a severity before named's text, its stamp and
    /// category after that. Every query line is read, with its own name.
    #[test]
    fn view_names_and_template_severities() {
        let (n, s) = run(include_str!(
            "../../tests/reference/bind/named-9.18-views-with-odd-names.log"
        ));
        assert!(s.errors.is_empty(), "{s:?}");
        let names: Vec<_> = n.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "v-internal.lab.test",
                "v-myview.lab.test",
                "v-odd.lab.test",
                "v-fake.lab.test",
                "v-injected.lab.test",
                "v-external.example.lab",
                "v-ext-signed.example.lab"
            ]
        );
        let log = include_str!(
            "../../tests/reference/bind/named-9.18-rsyslog-severity-before-message.log"
        );
        assert_eq!(crate::detect(log.as_bytes()), Some(crate::Format::Bind));
        let (n, s) = run(log);
        assert!(s.errors.is_empty(), "{s:?}");
        // Eighteen query lines, three of them of class CH.
        assert_eq!(n.len(), 15, "{n:?}");
    }

    /// Elastic's test log of Infoblox NIOS (`tests/reference/bind/`): syslog with one or two
    /// host fields, `infoblox-responses:` before BIND's stamp, a `;` inside TXT strings, a
    /// record whose data is wrong for its type (an error, beside the good record of its line).
    #[test]
    fn infoblox_syslog_lines_as_elastic_tests_them() {
        let text =
            include_str!("../../tests/reference/bind/elastic-integrations-infoblox-nios-dns.log");
        let (a, s) = associations(text);
        assert_eq!((s.lines, s.names, s.associations), (28, 11, 6), "{s:?}");
        assert_eq!(s.errors.get("rdata"), Some(&1), "{s:?}");
        assert_eq!(s.error_count(), 1, "{s:?}");
        assert_eq!(a[0].2, "0.0.0.0");
        let txt = a.iter().find(|r| r.1 == "TXT").map(|r| r.2.as_str());
        assert_eq!(txt, Some(r#""k=rsa; p=abc" "def" "ghi" "jkl" "AB""#));
        let ptr = a.iter().find(|r| r.1 == "PTR").map(|r| (r.0.as_str(), r.4));
        // `<30>Oct 4 10:18:07 a1.foo.com 89.160.20.112 named[10750]: 04-Oct-2022 10:18:07.834`
        assert_eq!(ptr, Some(("89.160.20.128.a1.foo.com", 1_664_878_687_834)));
        let (n, _) = run(text);
        assert!(n.iter().any(
            |(name, _, t)| name == "settings-win.data.microsoft.com" && *t == 1_649_953_040_046
        ));
    }

    /// A syslog template that writes the severity, without a colon, before BIND's category
    /// (seen in RpiDNS's sample lines).
    #[test]
    fn a_severity_word_before_the_category() {
        let (n, s) = run("2020-02-02T13:28:42+00:00 raspberrypi named[5317]: info  queries: client @0xb2b42618 127.0.0.1#39475 (rpidns.ioc2rpz.local): query: rpidns.ioc2rpz.local IN A + (127.0.0.1)\n");
        assert_eq!(
            n,
            vec![("rpidns.ioc2rpz.local".into(), "A".into(), 1_580_650_122_000)],
            "{s:?}"
        );
    }

    #[test]
    fn syslog_wrapped_lines() {
        let o = ParseOptions {
            year: YearRule::Before(Timestamp::from_millis(T + 3_600_000)),
            ..opts()
        };
        let (n, s) = run_with(
            concat!(
                // RFC 3164, with and without host, with PRI, with category and severity.
                "Nov 29 19:25:11 ns1 named[123]: client @0x7f1 10.0.0.1#1 (a.test): query: a.test IN A + (10.0.0.2)\n",
                "<30>Nov 29 19:25:11 ns1 named[123]: queries: info: client 10.0.0.1#1 (b.test): query: b.test IN A + (10.0.0.2)\n",
                "Nov 29 19:25:11 named[123]: client 10.0.0.1#1 (c.test): query: c.test IN A + (10.0.0.2)\n",
                // rsyslog high-precision ISO header.
                "2026-11-29T20:25:11.368123+01:00 ns1 named[123]: client 10.0.0.1#1 (d.test): query: d.test IN A + (10.0.0.2)\n",
                // BIND's own stamp inside the syslog message wins over the year-less one.
                "Nov 29 19:25:11 ns1 named[123]: 29-Nov-2026 19:25:11.368 queries: info: client 10.0.0.1#1 (e.test): query: e.test IN A + (10.0.0.2)\n",
                // RFC 5424 with structured data.
                "<174>1 2026-11-29T19:25:11.368Z ns1 named 2255 - [meta x=\"a]b\"] info: client 10.0.0.1#1 (f.test): query: f.test IN A + (10.0.0.2)\n",
            ),
            &o,
        );
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        let got: Vec<_> = n.iter().map(|(a, _, t)| (a.as_str(), *t)).collect();
        let whole = T - 368;
        assert_eq!(
            got,
            [
                ("a.test", whole),
                ("b.test", whole),
                ("c.test", whole),
                ("d.test", T),
                ("e.test", T),
                ("f.test", T)
            ]
        );
    }

    #[test]
    fn syslog_year_follows_the_year_rule() {
        // Reference 2027-01-02: a "Dec 31" line is from 2026.
        let o = ParseOptions {
            year: YearRule::Before(Timestamp::from_secs(1_798_848_000)),
            ..opts()
        };
        let (n, _) = run_with(
            "Dec 31 23:59:59 ns1 named[1]: client 10.0.0.1#1 (a.test): query: a.test IN A + (10.0.0.2)\n",
            &o,
        );
        assert_eq!(n[0].2, 1_798_761_599_000);
    }

    #[test]
    fn local_time_uses_the_zone_rule_and_utc_stamps_do_not() {
        let o = ParseOptions {
            timezone: TimeZone::Fixed(3600),
            ..opts()
        };
        let q = "client 10.0.0.1#1 (a.test): query: a.test IN A + (10.0.0.2)";
        let (n, _) = run_with(
            &format!("29-Nov-2026 20:25:11.368 {q}\n2026-11-29T19:25:11.368Z {q}\n"),
            &o,
        );
        assert_eq!((n[0].2, n[1].2), (T, T));
    }

    #[test]
    fn leap_second_is_the_next_second() {
        let (n, _) = run("<174>1 2016-12-31T23:59:60-04:00 resolver.se prg00000[1234] - -  info: client 10.23.53.22#63252: query: x.test IN A + (10.23.16.6)\n");
        // 2017-01-01T04:00:00Z
        assert_eq!(n[0].2, 1_483_243_200_000);
    }

    #[test]
    fn other_categories_and_messages_are_skipped() {
        let (n, s) = run(concat!(
            "29-Nov-2026 19:15:50.490 zoneload: info: zone corp.test/IN: loaded serial 2024060101\n",
            "29-Nov-2026 19:15:53.102 query-errors: info: client @0x7f1 127.0.41.1#52847 (.): query failed (REFUSED) for ./IN/NS at query.c:5708\n",
            "29-Nov-2026 19:16:01.082 xfer-out: info: client @0x7f1 127.0.10.1#40357 (corp.test): transfer of 'corp.test/IN': AXFR started (serial 2024060101)\n",
            "client @0x7f1 127.0.41.1#52847 (.): query failed (REFUSED) for ./IN/NS at query.c:5708\n",
            "all zones loaded\n",
            "29-Nov-2026 19:16:00.000 security: info: client @0x7f1 10.0.0.1#1 (x.test): query: x.test IN A + (10.0.0.2)\n",
            "\n",
        ));
        assert!(n.is_empty());
        assert_eq!((s.skipped, s.error_count()), (7, 0));
    }

    #[test]
    fn chaos_class_counts_but_yields_nothing() {
        let (n, s) = run("29-Nov-2026 19:25:11.368 client @0x7f1 127.0.10.1#39004 (version.bind): query: version.bind CH TXT +E(0)K (127.0.10.1)\n");
        assert!(n.is_empty());
        assert_eq!((s.no_answer, s.names), (1, 0));
    }

    #[test]
    fn undated_query_lines_are_timestamp_errors() {
        let (n, s) = run(concat!(
            "client @0x7f1 127.0.41.1#52847 (.): query: . IN NS -E(0) (127.0.10.1)\n",
            "queries: info: client 127.0.11.1#58461 (corp.test): query: corp.test IN A +E (127.0.11.1)\n",
        ));
        assert!(n.is_empty());
        assert_eq!(s.errors["timestamp"], 2);
    }

    #[test]
    fn each_error_kind() {
        let (_, s) = run(concat!(
            // impossible date
            "31-Feb-2026 19:25:11.368 client 10.0.0.1#1 (a.test): query: a.test IN A + (10.0.0.2)\n",
            // impossible time of day
            "29-Nov-2026 25:25:11.368 client 10.0.0.1#1 (a.test): query: a.test IN A + (10.0.0.2)\n",
            // cut short
            "29-Nov-2026 19:25:11.368 client 10.0.0.1#1 (a.test): query: a.test IN\n",
            // unknown type
            "29-Nov-2026 19:25:11.368 client 10.0.0.1#1 (a.test): query: a.test IN BOGUS + (10.0.0.2)\n",
            // bad name
            "29-Nov-2026 19:25:11.368 client 10.0.0.1#1 (a..test): query: a..test IN A + (10.0.0.2)\n",
        ));
        assert_eq!(s.errors["timestamp"], 2, "{:?}", s.error_samples);
        assert_eq!(s.errors["syntax"], 1);
        assert_eq!(s.errors["rrtype"], 1);
        assert_eq!(s.errors["name"], 1);
    }

    #[test]
    fn types_known_to_bind_but_not_to_the_core_keep_their_number() {
        let (n, _) = run("29-Nov-2026 19:25:11.368 client 10.0.0.1#1 (a.test): query: a.test IN EUI48 + (10.0.0.2)\n");
        assert_eq!(n[0].1, "TYPE108");
    }

    #[test]
    fn query_names_are_normalised_as_the_core_does() {
        let long = format!(
            "{}.{}.{}.{}",
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(61)
        );
        for n in [
            "www.corp.test",
            "a",
            "_sip._tcp.x",
            "x-1.y",
            "Www.x",
            "a..b",
            ".a",
            "a.",
            ".",
            "*.x",
            "a\\032b.x",
            "bücher.test",
            "a b",
            &"a".repeat(63),
            &"a".repeat(64),
            &long,
            &format!("{long}e"),
        ] {
            let mut buf = String::new();
            assert_eq!(
                query_name(n.as_bytes(), &mut buf).ok(),
                yapdns_core::normalize_name(n).ok().as_deref(),
                "{n}"
            );
        }
        let mut buf = String::new();
        assert!(query_name(b"Www.x", &mut buf).is_ok());
        assert_eq!(buf, "www.x", "a name to lower is written into the buffer");
    }

    #[test]
    fn garbage_never_panics() {
        for l in [
            "<",
            "<1",
            "<1>",
            "<1>1",
            "<1>1 ",
            "<999>1 - - - - - [",
            "Nov",
            "Nov 2",
            "Nov 29 1",
            "29-Nov-2026",
            "2026-11-29T",
            "2026-11-29T19:25:11+",
            "2026-11-29T19:25:11.+99:99",
            "client",
            "client @",
            "client 1#",
            "client 1#2: view x",
            "client 1#2: query: ",
            "client 1#2: query: a IN A",
            "\u{feff}",
            "29-Nov-2026 19:25:11.368 client ::1#",
        ] {
            let _ = run(&format!("{l}\n"));
            let _ = sniff(l);
        }
    }

    #[test]
    fn message_parts_read_as_token_by_token() {
        // The plain readings: tokens one after another, and the prefix read token by token.
        fn query_fields_by_token(q: &[u8]) -> Option<Query<'_>> {
            let (name, rest) = token(q);
            let (class, rest) = token(rest);
            let (rtype, rest) = token(rest);
            let ok = !name.is_empty()
                && !class.is_empty()
                && !rtype.is_empty()
                && (rest.starts_with(b"+")
                    || rest.starts_with(b"-")
                    || rest.starts_with(b"response: "));
            ok.then_some(Query {
                name,
                class,
                rtype,
                rest,
            })
        }
        let client_query_by_byte = |msg: &[u8]| -> Option<Vec<u8>> {
            let rest = msg.strip_prefix(b"client ")?;
            let rest = if rest.starts_with(b"@") {
                token(rest).1
            } else {
                rest
            };
            let hash = rest.iter().position(|&c| c == b'#' || c == b' ')?;
            if !byte_is(rest, hash, b'#') {
                return None;
            }
            let after_port = rest.get(hash + 1..)?;
            let end = colon_space(after_port)?;
            let mut m = after_port.get(end + 2..)?;
            if let Some(view) = m.strip_prefix(b"view ") {
                let e = view.windows(9).rposition(|w| w == b": query: ")?;
                m = view.get(e + 2..)?;
            }
            for transport in [b"UDP: ", b"TCP: "] {
                if let Some(rest) = m.strip_prefix(transport.as_slice()) {
                    m = rest;
                    break;
                }
            }
            m.strip_prefix(b"query: ").map(<[u8]>::to_vec)
        };
        let lines = [
            "queries: info: client @0x7f7dce89b098 127.0.41.1#52847 (a.test): query: a.test IN A +E(0)K (127.0.10.1)",
            "queries: client 127.0.41.1#5 (a.test): view internal: query: a.test IN AAAA -",
            "info: queries: client ::1#5 (b.test): query: b.test CH TXT +",
            "client @0x1 1.2.3.4#5 (x y): query: x  IN A +",
            "queries: info: client 1.2.3.4 #5: query: a IN A +",
            "client 10.1.2.3#57398: view 8: UDP: query: a.test IN A response: NOERROR +ED a.test. 60 IN A 1.1.1.2;",
            "info  infoblox-responses: client 10.1.2.3#5 TCP: query: a.test IN A response: NXDOMAIN -",
        ];
        let edits: [&[u8]; 8] = [b" ", b":", b"#", b"+", b"", b"  ", b"\xff", b"@"];
        for l in lines {
            let l = l.as_bytes();
            let mut variants = vec![l.to_vec()];
            for at in 0..l.len() {
                variants.push(l[..at].to_vec());
                for e in edits {
                    variants.push([&l[..at], e, &l[at + 1..]].concat());
                }
            }
            for v in variants {
                let shown = String::from_utf8_lossy(&v).into_owned();
                assert_eq!(
                    category_severity(&v),
                    category_severity_tokens(&v),
                    "{shown}"
                );
                let msg = category_severity(&v).1;
                assert_eq!(
                    client_query(msg).map(<[u8]>::to_vec),
                    client_query_by_byte(msg),
                    "{shown}"
                );
                for q in [&v[..], msg] {
                    assert_eq!(query_fields(q), query_fields_by_token(q), "{shown}");
                }
            }
        }
    }

    #[test]
    fn a_stamp_head_read_before_gives_what_the_full_header_gives() {
        let lines = [
            "29-Nov-2026 19:15:53.102 queries: info: client @0x7f7dce89b098 127.0.41.1#52847 (a.test): query: a.test IN A -E(0) (127.0.10.1)",
            "2026-11-29T19:15:53.102 queries: info: client @0x7f 127.0.41.1#5 (a.test): query: a.test IN A -E(0) (127.0.10.1)",
            "2026-11-29T19:15:53.102Z client @0x7f 127.0.41.1#5 (a.test): query: a.test IN A -E(0) (127.0.10.1)",
            "2026-11-29T20:15:53.102+01:00 client 127.0.41.1#5 (a.test): query: a.test IN A -E(0) (127.0.10.1)",
            "2026-11-29T19:15:53 host named[1]: 29-Nov-2026 19:15:53.102 client 1.2.3.4#5: query: a IN A +",
            "29-Nov-2026 19:15:53 client 1.2.3.4#5: query: a IN A +",
        ];
        // Edits in and after the stamp: seconds, fractions, offsets and separators.
        let edits: [&[u8]; 10] = [b"9", b"6", b"0", b" ", b":", b".", b"Z", b"+", b"x", b""];
        for warm in lines {
            for l in lines {
                let l = l.as_bytes();
                let mut variants = vec![l.to_vec()];
                for at in 14..l.len().min(40) {
                    variants.push(l[..at].to_vec());
                    for e in edits {
                        variants.push([&l[..at], e, &l[at + 1..]].concat());
                    }
                }
                for v in variants {
                    let mut p = Parser::new(&opts());
                    let _ = p.header(warm.as_bytes());
                    assert_eq!(
                        p.header(&v),
                        header(&v),
                        "{:?}",
                        String::from_utf8_lossy(&v)
                    );
                }
            }
        }
    }

    #[test]
    fn sniff_prefers_query_lines_and_declines_others() {
        assert!(sniff("29-Nov-2026 19:15:53.102 client @0x1 127.0.41.1#52847 (.): query: . IN NS -E(0) (127.0.10.1)\n") >= 90);
        assert!(
            sniff("client @0x1 127.0.41.1#52847 (com): query: com IN A -E(0) (127.0.10.1)\n") >= 90
        );
        let general = "29-Nov-2026 19:15:50.490 zoneload: info: zone x/IN: loaded serial 1\n29-Nov-2026 19:15:50.490 general: notice: running\n";
        assert!((40..90).contains(&sniff(general)));
        // `docker compose logs` (a docker-bind issue's lines).
        assert!(sniff("bind9   | 10-Jun-2019 11:36:29.603 client @0x7fe3d817f860 192.168.1.10#54157 (www.reddit.com): query: www.reddit.com IN A +E(0) (172.19.0.2)\n") >= 90);
        // dnstap-read text and a TSV are not BIND query logs.
        assert_eq!(
            sniff(
                "29-Nov-2026 19:15:53.102 AQ 127.0.41.1:52847 -> 127.0.10.1:53 UDP 28b ./IN/NS\n"
            ),
            0
        );
        assert_eq!(
            sniff("1458130003.61\twww.google.com\tA\t216.58.220.36\n"),
            0
        );
    }
}

//! dnstap as text: what `dnstap-read` (BIND) and `dnstap-ldns` print from a dnstap file, for
//! when the text is all an analyst was given. The same messages as the binary format
//! ([`dnstap`](crate::formats::dnstap)) yield the same associations and sightings, with the
//! same keys, wherever the text carries what the binary reader uses.
//!
//! Grammar, read line by line with the message being read carried across lines:
//!
//! ```text
//! file         = *( bind-quiet [ dump ] / ldns-quiet / yaml-line / blank )
//! bind-quiet   = DD "-" Mon "-" YYYY SP HH ":" MM ":" SS "." mmm SP kind SP addr ( " -> " / " <- " )
//!                addr SP ( "UDP" / "TCP" ) SP 1*DIGIT "b" SP qname "/" class "/" type
//!                                                   ; `dnstap-read`; time "????-??-?? ??:??:??.???" when absent
//! kind         = ( "A" / "C" / "F" / "R" / "S" / "T" / "U" ) ( "Q" / "R" )
//! dump         = header-lines question-section [ answer-section ] *other-section blank
//!                                                   ; `dnstap-read -p`: dig's text of the message
//! answer-section = ";; ANSWER SECTION:" / ";; PREREQUISITE SECTION:", then one master-file record a line
//! ldns-quiet   = YYYY "-" MM "-" DD SP HH ":" MM ":" SS "." 6DIGIT SP kind SP addr SP proto SP 1*DIGIT "b"
//!                SP ( DQUOTE qname DQUOTE SP class SP type / "? ? ?" )      ; `dnstap-ldns -q`
//! yaml         = documents split by "---" (before each, `dnstap-read -y`; after each, `dnstap-ldns -y`):
//!                "identity: " text, "message:", "  type: " MESSAGE_TYPE,
//!                "  query_time: !!timestamp " time, "  response_time: !!timestamp " time,
//!                "  query_zone: " [ DQUOTE ] name [ DQUOTE ],
//!                "  query_message: |" / "  response_message: |" then the dump indented by 4 spaces
//! ```
//!
//! What it yields, per message, as the binary reader does:
//!
//! - A response (`AR`, `CR`, `RR`, `FR`, `SR`, `TR`, `UR`; `*_RESPONSE` in YAML) whose dump
//!   says `status: NOERROR` (`rcode: NOERROR` in ldns's dump): one association per record of
//!   class IN in its ANSWER SECTION (PREREQUISITE SECTION for UPDATE), with its TTL, at the
//!   response time. Records are read by the `bind-zone` reader, so record data has exactly
//!   the form `bind-zone` gives dig output (blobs split by spaces joined, names lower-cased,
//!   BIND's forms), which is the form the binary reader writes.
//! - A response with another status, or with no answer of class IN, or printed without its
//!   message (the quiet forms): a name sighting of its question, at the response time.
//! - A query: a name sighting of its question, at the query time.
//! - A YAML response without `response_message` is read as its query, as the binary reader
//!   reads such a message.
//! - Questions of another class than IN, and message types either tool calls unhandled:
//!   nothing.
//!
//! Bailiwick: `query_zone`, printed only in YAML, on `RESOLVER_RESPONSE` and `AUTH_RESPONSE`,
//! for the answers inside it — the binary reader's rule. The quiet lines and `-p` do not print
//! it: their answers have no bailiwick, where the binary file may give one.
//!
//! Sensor: the operator's when given, else the YAML `identity`, else none (the quiet and `-p`
//! forms do not print it).
//!
//! Time: `dnstap-read` prints its one-line time (`29-Nov-2026 19:15:53.102`) in the local time
//! of the machine that ran it (`isc_time_formattimestamp`): it is read in
//! [`ParseOptions::timezone`], as BIND's query log is. Its YAML time
//! (`!!timestamp 2026-11-29T19:15:53Z`) is UTC, to the second only. `dnstap-ldns` prints UTC
//! (`gmtime_r`) to the microsecond, in its quiet lines and its YAML alike. Times are kept to
//! the millisecond, as the binary reader keeps them.
//!
//! What it cannot yield: what the text leaves out — answers of the quiet forms, the bailiwick
//! and identity of `-p` and the quiet forms, the milliseconds of BIND's YAML; authority and
//! additional records, as in the binary format.
//!
//! Errors: a line of the format that cannot be read (a quiet line cut short, a time out of
//! range, a record the `bind-zone` reader refuses) is an error at its own line, and reading
//! goes on; a record left open by a `(` at the end of its section is a
//! [`ErrorKind::Truncated`] error.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};
use yapdns_core::{
    normalize_name, AssociationView, NameSighting, NameView, RrType, SourceTag, Sources, Timestamp,
};

use crate::error::{ErrorKind, ParseError};
use crate::formats::bind_zone::{self, presentation_type};
use crate::formats::{in_zone, FormatParser};
use crate::input::text;
use crate::options::{month_from_abbr, ParseOptions, YearRule};
use crate::record::{Emit, Outcome, Record};

const NAME: &str = "dnstap-text";

/// Which printed form the line being read belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Outside any message text.
    None,
    /// Inside a dump, before or between sections the reader has no use for.
    Other,
    /// The QUESTION SECTION.
    Question,
    /// The ANSWER (or PREREQUISITE) SECTION.
    Answer,
}

/// The message being read.
#[derive(Debug, Default)]
struct Message {
    /// Whether a message is open at all.
    open: bool,
    response: bool,
    /// `AUTH_RESPONSE` or `RESOLVER_RESPONSE`: the kinds whose `query_zone` is a bailiwick.
    zoned: bool,
    query_time: Option<Timestamp>,
    response_time: Option<Timestamp>,
    /// `query_zone`, normalised.
    zone: Option<String>,
    /// The question `(name, type)` when of class IN; `None` when absent or of another class.
    question: Option<(String, RrType)>,
    /// The line of the message's start, where a sighting's error is counted.
    line: u64,
    /// The response's own text was read (a `-p` dump, or YAML `response_message`).
    response_text: bool,
    /// Its status is NOERROR.
    noerror: bool,
    /// Associations yielded from its answer section.
    answers: usize,
}

/// State across lines: the message being read, where in its text the reader is, and the
/// `bind-zone` reader that reads the records of answer sections.
pub struct Parser {
    operator: Option<SourceTag>,
    identity: Option<String>,
    tag: SourceTag,
    sources: Sources,
    opts: ParseOptions,
    records: bind_zone::Parser,
    msg: Message,
    section: Section,
    /// Reading YAML (`type: MESSAGE` documents).
    yaml: bool,
    /// In YAML, inside a `query_message: |` (false) or `response_message: |` (true) block.
    block: Option<bool>,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`, else with each message's identity,
    /// and reading `dnstap-read`'s local times in `opts.timezone`.
    pub fn new(opts: &ParseOptions) -> Parser {
        let operator = opts
            .sensor
            .as_deref()
            .map(|s| SourceTag::new(NAME, Some(s)));
        let tag = operator
            .clone()
            .unwrap_or_else(|| SourceTag::new(NAME, None));
        // The records' own time and sources are replaced by the message's ([`Stamp`]); the
        // year rule only keeps the zone reader from refusing a record for want of a time.
        let inner = ParseOptions {
            sensor: None,
            timezone: opts.timezone,
            year: YearRule::Before(Timestamp::default()),
            origin: None,
        };
        Parser {
            operator,
            identity: None,
            sources: Sources::one(tag.clone()),
            tag,
            opts: opts.clone(),
            records: bind_zone::Parser::new(&inner),
            msg: Message::default(),
            section: Section::None,
            yaml: false,
            block: None,
        }
    }

    fn set_identity(&mut self, id: Option<String>) {
        if self.operator.is_some() || self.identity == id {
            return;
        }
        self.tag = SourceTag::new(NAME, id.as_deref());
        self.sources = Sources::one(self.tag.clone());
        self.identity = id;
    }

    /// Ends the message being read: its sighting, when it yielded no association.
    fn end_message(&mut self, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let closed = self.close_answers(out);
        let m = std::mem::take(&mut self.msg);
        self.section = Section::None;
        self.block = None;
        if !m.open || m.answers > 0 {
            return closed;
        }
        // A response whose own text was not printed is read as its query, as the binary
        // reader reads a response without `response_message`.
        let by_response = m.response && (m.response_text || !self.yaml);
        let t = if by_response {
            m.response_time.or(m.query_time)
        } else {
            m.query_time.or(m.response_time)
        };
        let Some((name, rrtype)) = m.question else {
            return closed;
        };
        let t = t.ok_or_else(|| {
            ParseError::new(m.line, ErrorKind::Timestamp, "message without a time")
        })?;
        if rrtype.is_transaction_security() {
            return closed.map(|_| Outcome::NoAnswer);
        }
        let s = NameSighting::new(&name, Some(rrtype), t, self.tag.clone())
            .map_err(|e| ParseError::from_core(m.line, e))?;
        out.push(Record::Name(s));
        closed.map(|_| Outcome::NoAnswer)
    }

    /// Leaves an answer section: a record left open by `(` is an error.
    fn close_answers(&mut self, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        if self.section != Section::Answer {
            return Ok(Outcome::Skipped);
        }
        self.section = Section::Other;
        self.records.finish(out)
    }

    /// A line of a message's dump (without YAML's indentation).
    fn dump_line(&mut self, line: &str, n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let t = line.trim();
        if t.is_empty() {
            return self.close_answers(out);
        }
        if let Some(c) = t.strip_prefix(';') {
            if let Some(head) = c.strip_prefix("; ") {
                // dig's and ldns's header, or the one miekg/dns writes (the Go `dnstap -y`):
                // `;; opcode: QUERY, status: NOERROR, id: 50897`.
                let header = head
                    .strip_prefix("->>HEADER<<-")
                    .or_else(|| head.starts_with("opcode: ").then_some(head));
                if let Some(h) = header {
                    let _ = self.close_answers(out);
                    self.header(h, n)?;
                    return Ok(Outcome::Skipped);
                }
                if let Some(name) = head.strip_suffix(" SECTION:") {
                    let closed = self.close_answers(out);
                    self.section = match name {
                        "QUESTION" | "ZONE" => Section::Question,
                        "ANSWER" | "PREREQUISITE" => Section::Answer,
                        _ => Section::Other,
                    };
                    return closed;
                }
                if head.ends_with("PSEUDOSECTION:") {
                    let closed = self.close_answers(out);
                    self.section = Section::Other;
                    return closed;
                }
            }
            if self.section == Section::Question && !c.starts_with(';') {
                self.question_line(c, n)?;
            }
            return Ok(Outcome::Skipped);
        }
        if self.section != Section::Answer {
            return Ok(Outcome::Skipped);
        }
        let in_response = if self.yaml {
            self.block == Some(true)
        } else {
            self.msg.response
        };
        if !(in_response && self.msg.response && self.msg.noerror) {
            return Ok(Outcome::Skipped);
        }
        let seen = self
            .msg
            .response_time
            .or(self.msg.query_time)
            .ok_or_else(|| ParseError::new(n, ErrorKind::Timestamp, "message without a time"))?;
        let zone = if self.msg.zoned {
            self.msg.zone.as_deref()
        } else {
            None
        };
        let mut stamp = Stamp {
            out,
            seen,
            zone,
            sources: &self.sources,
            yielded: 0,
        };
        let r = self.records.text_line(line, n, &mut stamp);
        self.msg.answers += stamp.yielded;
        r
    }

    /// `;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: …` (dig) or `… rcode: NOERROR, …`
    /// (ldns).
    fn header(&mut self, h: &str, n: u64) -> Result<(), ParseError> {
        let status = h
            .split(',')
            .map(str::trim)
            .find_map(|f| {
                f.strip_prefix("status:")
                    .or_else(|| f.strip_prefix("rcode:"))
            })
            .map(str::trim)
            .ok_or_else(|| {
                ParseError::new(n, ErrorKind::Syntax, "message header without a status")
            })?;
        self.msg.noerror = status == "NOERROR";
        if self.block != Some(false) {
            self.msg.response_text = self.msg.response;
        }
        Ok(())
    }

    /// A question of a dump, `;name class type` (the `;` taken off).
    fn question_line(&mut self, q: &str, n: u64) -> Result<(), ParseError> {
        // The response's question wins over the query's, as the binary reader reads it.
        if self.yaml && self.block == Some(false) && self.msg.question.is_some() {
            return Ok(());
        }
        let mut f = q.split_ascii_whitespace();
        let (Some(name), Some(class), Some(rtype)) = (f.next(), f.next(), f.next()) else {
            return Err(ParseError::new(
                n,
                ErrorKind::Syntax,
                "question without a class and type",
            ));
        };
        self.msg.question = question(name, class, rtype, n)?;
        Ok(())
    }

    /// `dnstap-read`'s one line: a new message.
    fn bind_quiet(
        &mut self,
        line: &str,
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        let ended = self.end_message(out);
        let mut f = line.split_ascii_whitespace();
        let (date, time, kind) = (f.next(), f.next(), f.next());
        let tuple = f.nth(5);
        let (Some(date), Some(time), Some(kind), Some(tuple)) = (date, time, kind, tuple) else {
            ended?;
            return Err(ParseError::new(
                n,
                ErrorKind::Truncated,
                "dnstap-read line cut short",
            ));
        };
        let response = is_response_kind(kind);
        self.msg = Message {
            open: true,
            response,
            line: n,
            ..Message::default()
        };
        let t = if date.starts_with('?') {
            None
        } else {
            Some(bind_time(date, time, &self.opts).ok_or_else(|| {
                ParseError::new(n, ErrorKind::Timestamp, format!("bad time {date} {time}"))
            })?)
        };
        if response {
            self.msg.response_time = t;
        } else {
            self.msg.query_time = t;
        }
        // `qname/class/type`, the name as `dns_name_format` writes it (no trailing dot, `/`
        // unescaped): split from the right.
        let mut parts = tuple.rsplitn(3, '/');
        let (Some(rtype), Some(class), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(ParseError::new(
                n,
                ErrorKind::Syntax,
                "question not qname/class/type",
            ));
        };
        if name != "?" {
            self.msg.question = question(name, class, rtype, n)?;
        }
        ended.map(|o| {
            if o == Outcome::NoAnswer {
                o
            } else {
                Outcome::Skipped
            }
        })
    }

    /// `dnstap-ldns -q`'s line: a whole message.
    fn ldns_quiet(
        &mut self,
        line: &str,
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        let ended = self.end_message(out);
        let mut f = line.splitn(4, ' ');
        let (Some(date), Some(time), Some(kind), Some(rest)) =
            (f.next(), f.next(), f.next(), f.next())
        else {
            ended?;
            return Err(ParseError::new(
                n,
                ErrorKind::Truncated,
                "dnstap-ldns line cut short",
            ));
        };
        let response = is_response_kind(kind);
        let t = if time.starts_with('?') {
            None
        } else {
            Some(iso_time(date, time).ok_or_else(|| {
                ParseError::new(n, ErrorKind::Timestamp, format!("bad time {date} {time}"))
            })?)
        };
        self.msg = Message {
            open: true,
            response,
            line: n,
            query_time: t.filter(|_| !response),
            response_time: t.filter(|_| response),
            ..Message::default()
        };
        // `addr proto size "name" class type`; the name quoted, its own quotes escaped.
        let q = match (rest.find('"'), rest.rfind("\" ")) {
            (Some(a), Some(z)) if z > a => {
                let mut ct = rest
                    .get(z + 2..)
                    .unwrap_or_default()
                    .split_ascii_whitespace();
                let name = rest.get(a + 1..z).unwrap_or_default();
                match (ct.next(), ct.next()) {
                    (Some(class), Some(rtype)) => Some((name, class, rtype)),
                    _ => None,
                }
            }
            _ => None,
        };
        match q {
            Some((name, class, rtype)) => self.msg.question = question(name, class, rtype, n)?,
            None if rest.ends_with("? ? ?") => {}
            None => {
                return Err(ParseError::new(
                    n,
                    ErrorKind::Syntax,
                    "question not \"qname\" class type",
                ))
            }
        }
        ended?;
        self.end_message(out)
    }

    /// A line of YAML outside a message's text.
    fn yaml_line(&mut self, line: &str, n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        if line.starts_with("---") {
            return self.end_message(out);
        }
        if let Some(v) = line.strip_prefix("type: ") {
            // Each document opens with it; `dnstap-read -y` writes `---` between documents only.
            let ended = self.end_message(out);
            self.msg.line = n;
            self.msg.open = v.trim() == "MESSAGE";
            return ended;
        }
        if let Some(v) = line.strip_prefix("identity: ") {
            self.set_identity(Some(unquote(v.trim())).filter(|s| !s.is_empty()));
            return Ok(Outcome::Skipped);
        }
        let Some(field) = line.strip_prefix("  ") else {
            return Ok(Outcome::Skipped);
        };
        if field.starts_with(' ') {
            // Inside `*_message_data` (BIND's structured copy of the dump): read from the dump.
            return Ok(Outcome::Skipped);
        }
        self.block = None;
        let (key, value) = field.split_once(':').unwrap_or((field, ""));
        let value = value.trim();
        match key {
            "type" => match value.split_once('_') {
                Some((who, "QUERY" | "RESPONSE")) => {
                    self.msg.response = value.ends_with("RESPONSE");
                    self.msg.zoned = self.msg.response && matches!(who, "AUTH" | "RESOLVER");
                }
                // A type from a later schema: the binary reader skips it.
                _ => self.msg.open = false,
            },
            "query_time" | "response_time" => {
                let v = value.strip_prefix("!!timestamp").unwrap_or(value).trim();
                let (date, time) = v.split_once(['T', ' ']).unwrap_or((v, ""));
                let t = iso_time(date, time).ok_or_else(|| {
                    ParseError::new(n, ErrorKind::Timestamp, format!("bad time {v}"))
                })?;
                if key == "query_time" {
                    self.msg.query_time = Some(t);
                } else {
                    self.msg.response_time = Some(t);
                }
            }
            "query_zone" => self.msg.zone = normalize_name(&unquote(value)).ok(),
            "query_message" | "response_message" if value == "|" => {
                self.block = Some(key == "response_message");
                self.section = Section::Other;
            }
            _ => {}
        }
        Ok(Outcome::Skipped)
    }
}

/// Passes the `bind-zone` reader's associations on with the message's time, bailiwick and
/// sources, counting them.
struct Stamp<'a> {
    out: &'a mut dyn Emit,
    seen: Timestamp,
    zone: Option<&'a str>,
    sources: &'a Sources,
    yielded: usize,
}

impl Emit for Stamp<'_> {
    fn association(&mut self, a: AssociationView<'_>) {
        self.yielded += 1;
        let bailiwick = self.zone.filter(|z| in_zone(a.rrname, z));
        self.out.association(AssociationView {
            first_seen: self.seen,
            last_seen: self.seen,
            bailiwick,
            sources: self.sources,
            ..a
        });
    }
    fn name(&mut self, n: NameView<'_>) {
        self.out.name(NameView {
            first_seen: self.seen,
            last_seen: self.seen,
            sources: self.sources,
            ..n
        });
    }
    fn stopped(&self) -> bool {
        self.out.stopped()
    }
}

/// `AR`, `CR`… (a response) or `AQ`, `CQ`… (a query).
fn is_response_kind(kind: &str) -> bool {
    kind.len() == 2 && kind.ends_with('R')
}

/// A question as `(name, type)` when its class is IN; `None` for other classes.
fn question(
    name: &str,
    class: &str,
    rtype: &str,
    n: u64,
) -> Result<Option<(String, RrType)>, ParseError> {
    if !(class.eq_ignore_ascii_case("IN") || class.eq_ignore_ascii_case("CLASS1")) {
        return Ok(None);
    }
    let t = presentation_type(rtype.as_bytes()).ok_or_else(|| {
        ParseError::new(n, ErrorKind::RrType, format!("unknown record type {rtype}"))
    })?;
    Ok(Some((name.to_string(), t)))
}

/// `29-Nov-2026` `19:15:53.102`, in the zone of the machine that printed it.
fn bind_time(date: &str, time: &str, opts: &ParseOptions) -> Option<Timestamp> {
    let mut d = date.split('-');
    let day: u32 = d.next()?.parse().ok()?;
    let month = month_from_abbr(d.next()?.as_bytes())?;
    let year: i32 = d.next()?.parse().ok()?;
    let dt = NaiveDate::from_ymd_opt(year, month, day)?.and_time(clock(time)?);
    opts.local_time(dt)
}

/// `2026-11-29` and `19:15:53.102521` or `19:15:53Z`, UTC.
fn iso_time(date: &str, time: &str) -> Option<Timestamp> {
    let mut d = date.split('-');
    let year: i32 = d.next()?.parse().ok()?;
    let month: u32 = d.next()?.parse().ok()?;
    let day: u32 = d.next()?.parse().ok()?;
    let time = time.strip_suffix('Z').unwrap_or(time);
    let dt: NaiveDateTime = NaiveDate::from_ymd_opt(year, month, day)?.and_time(clock(time)?);
    Some(Timestamp::from_millis(dt.and_utc().timestamp_millis()))
}

/// `HH:MM:SS` with an optional fraction, kept to the millisecond (cut, not rounded, as the
/// binary reader cuts nanoseconds).
fn clock(t: &str) -> Option<chrono::NaiveTime> {
    let (hms, frac) = t.split_once('.').unwrap_or((t, ""));
    let mut p = hms.split(':');
    let h: u32 = p.next()?.parse().ok()?;
    let m: u32 = p.next()?.parse().ok()?;
    let s: u32 = p.next()?.parse().ok()?;
    if p.next().is_some() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut ms = 0u32;
    for i in 0..3 {
        ms = ms * 10 + frac.as_bytes().get(i).map_or(0, |b| u32::from(b - b'0'));
    }
    chrono::NaiveTime::from_hms_milli_opt(h, m, s, ms)
}

/// A YAML scalar as either tool prints it: bare (BIND), or quoted with `\"` and `\xNN`
/// escapes (`dnstap-ldns`'s `print_string`).
fn unquote(v: &str) -> String {
    let Some(inner) = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return v.to_string();
    };
    let b = inner.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1)) {
            (b'\\', Some(b'x')) => {
                let hex = inner
                    .get(i + 2..i + 4)
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(x) => {
                        out.push(x);
                        i += 4;
                    }
                    None => {
                        out.push(b'\\');
                        i += 1;
                    }
                }
            }
            (b'\\', Some(&c)) => {
                out.push(c);
                i += 2;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A `dnstap-read` quiet line: a BIND date, a time, and a two-letter message kind.
fn is_bind_quiet(line: &str) -> bool {
    let b = line.as_bytes();
    (b.len() > 30
        && b.get(2) == Some(&b'-')
        && b.get(6) == Some(&b'-')
        && b.get(11) == Some(&b' ')
        && month_from_abbr(&b[3..6]).is_some()
        && b[..2].iter().chain(&b[7..11]).all(u8::is_ascii_digit)
        && is_kind(b.get(24..27))
        && (line.contains(" -> ") || line.contains(" <- ")))
        || line.starts_with("????-??-?? ??:??:??.??? ")
}

/// A `dnstap-ldns -q` line: an ISO date, a time to the microsecond, a two-letter kind.
fn is_ldns_quiet(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() > 30
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.get(10) == Some(&b' ')
        && b.get(13) == Some(&b':')
        && b.get(19) == Some(&b'.')
        && b[..4]
            .iter()
            .chain(&b[5..7])
            .chain(&b[8..10])
            .all(u8::is_ascii_digit)
        && is_kind(b.get(26..29))
}

/// ` XY ` with X a message kind letter and Y `Q` or `R`.
fn is_kind(b: Option<&[u8]>) -> bool {
    matches!(
        b,
        Some([
            b' ',
            b'A' | b'C' | b'F' | b'R' | b'S' | b'T' | b'U',
            b'Q' | b'R'
        ])
    )
}

impl FormatParser for Parser {
    fn line(&mut self, raw: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        match text(raw) {
            Cow::Borrowed(line) => self.text_line(line, n, out),
            Cow::Owned(line) => self.text_line(&line, n, out),
        }
    }

    fn reads_text(&self) -> bool {
        true
    }

    fn text_line(&mut self, line: &str, n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        if self.yaml {
            if self.block.is_some() {
                if let Some(body) = line.strip_prefix("    ") {
                    return self.dump_line(body, n, out);
                }
                // ldns leaves blank lines unindented, and its `;; Data:` line at the margin.
                if line.trim().is_empty() || line.starts_with(';') {
                    return self.dump_line(line, n, out);
                }
                let closed = self.close_answers(out);
                self.block = None;
                let r = self.yaml_line(line, n, out);
                closed?;
                return r;
            }
            return self.yaml_line(line, n, out);
        }
        if line.starts_with("type: ") {
            self.yaml = true;
            let ended = self.end_message(out);
            let r = self.yaml_line(line, n, out);
            ended?;
            return r;
        }
        if is_bind_quiet(line) {
            return self.bind_quiet(line, n, out);
        }
        if is_ldns_quiet(line) {
            return self.ldns_quiet(line, n, out);
        }
        if self.msg.open {
            return self.dump_line(line, n, out);
        }
        if line.trim().is_empty() {
            return Ok(Outcome::Skipped);
        }
        Err(ParseError::new(
            n,
            ErrorKind::Syntax,
            "not a line of dnstap-read or dnstap-ldns",
        ))
    }

    fn finish(&mut self, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        self.end_message(out)
    }
}

/// A file whose first line is a `dnstap-read` or `dnstap-ldns -q` line, or a YAML document
/// of a dnstap `MESSAGE`.
pub fn sniff(sample: &str) -> u8 {
    let mut lines = crate::format::first_lines(sample, 40).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else { return 0 };
    if is_bind_quiet(first) || is_ldns_quiet(first) {
        return 96;
    }
    if first == "type: MESSAGE" && sample.contains("\nmessage:\n  type: ") {
        return 96;
    }
    0
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::options::TimeZone;
    use crate::{parse_path, Format, Records};

    fn fixture(dir: &str, name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(dir)
            .join(name)
    }

    fn utc() -> ParseOptions {
        ParseOptions {
            timezone: TimeZone::Utc,
            year: YearRule::Fixed(2026),
            ..ParseOptions::default()
        }
    }

    /// Records as text lines, and errors as `error LINE KIND`.
    fn run_with(text: &str, opts: &ParseOptions) -> Vec<String> {
        let mut out = Vec::new();
        for r in Records::new(text.as_bytes(), Format::DnstapText, opts, "<memory>") {
            match r {
                Ok(Record::Association(a)) => out.push(format!(
                    "{} {} {} ttl={:?} t={} bw={:?} src={}",
                    a.rrname,
                    a.rrtype,
                    a.rdata,
                    a.ttl,
                    a.first_seen.millis(),
                    a.bailiwick,
                    a.sources
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join(",")
                )),
                Ok(Record::Name(n)) => out.push(format!(
                    "name {} {:?} t={}",
                    n.rrname,
                    n.rrtype.map(|t| t.to_string()),
                    n.first_seen.millis()
                )),
                Err(e) => out.push(format!("error {} {}", e.error.line, e.error.kind)),
            }
        }
        out
    }

    fn run(text: &str) -> Vec<String> {
        run_with(text, &utc())
    }

    /// `(rrname, rrtype, rdata, ttl, time)` of every association, and `(rrname, rrtype, time)`
    /// of every sighting, sorted.
    type Keys = (
        Vec<(String, String, String, Option<u32>, i64)>,
        Vec<(String, String, i64)>,
    );

    fn keys(path: &Path, format: Format) -> Keys {
        let mut a = Vec::new();
        let mut n = Vec::new();
        for r in parse_path(path, Some(format), &utc()).expect("open") {
            match r.expect("no error in the fixture") {
                Record::Association(x) => a.push((
                    x.rrname.to_string(),
                    x.rrtype.to_string(),
                    x.rdata.to_string(),
                    x.ttl,
                    x.first_seen.millis(),
                )),
                Record::Name(x) => n.push((
                    x.rrname.to_string(),
                    x.rrtype.map(|t| t.to_string()).unwrap_or_default(),
                    x.first_seen.millis(),
                )),
            }
        }
        a.sort();
        n.sort();
        (a, n)
    }

    #[test]
    fn dnstap_read_p_yields_what_the_binary_reader_yields_for_the_same_messages() {
        // The `-p` fixture holds all 513 messages of the binary fixture, printed by
        // `dnstap-read -p` on a machine in UTC.
        let text = keys(
            &fixture("dnstap-text", "bind-9.18.49_dnstap-read-p.first80.txt"),
            Format::DnstapText,
        );
        let bin = keys(
            &fixture("dnstap", "bind-9.18.49.dnstap.fstrm"),
            Format::Dnstap,
        );
        assert_eq!(text.0.len(), 231);
        assert_eq!(text.1.len(), 356);
        assert_eq!(text.0, bin.0, "associations");
        assert_eq!(text.1, bin.1, "name sightings");
    }

    #[test]
    fn quiet_forms_yield_each_message_as_a_sighting_at_its_own_time() {
        let read = keys(
            &fixture("dnstap-text", "bind-9.18.49_dnstap-read.txt"),
            Format::DnstapText,
        );
        let ldns = keys(
            &fixture("dnstap-text", "bind-9.18.49_dnstap-ldns-q.txt"),
            Format::DnstapText,
        );
        assert!(read.0.is_empty() && ldns.0.is_empty());
        // 513 messages but the two of class CH; the two tools print the same times.
        assert_eq!(read.1.len(), 511);
        assert_eq!(read.1, ldns.1);
    }

    #[test]
    fn bind_one_line_times_are_local_yaml_and_ldns_times_utc() {
        let line =
            "29-Nov-2026 20:15:53.102 AQ 127.0.41.1:52847 -> 127.0.10.1:53 UDP 28b com/IN/A\n";
        let cet = ParseOptions {
            timezone: TimeZone::Fixed(3600),
            ..utc()
        };
        let t = 1_795_979_753_102i64; // 2026-11-29T19:15:53.102Z
        assert_eq!(
            run_with(line, &cet),
            [format!("name com Some(\"A\") t={t}")]
        );
        let ldns = "2026-11-29 19:15:53.102999 AQ 127.0.41.1 UDP 28b \"com.\" IN A\n";
        assert_eq!(
            run_with(ldns, &cet),
            [format!("name com Some(\"A\") t={t}")]
        );
    }

    /// The shape `dnstap-ldns -y` prints (`dnstap-ldns.c`, `host2str.c`): quoted identity and
    /// zone, UTC times to the microsecond, `rcode:`, the query's text before the response's,
    /// unindented blank lines and `;; Data:`, `---` after each document.
    const LDNS_YAML: &str = "type: MESSAGE
identity: \"lab-\\\"unbound\\x21\"
version: \"unbound 1.17.1\"
message:
  type: RESOLVER_RESPONSE
  query_time: !!timestamp 2026-11-29 19:15:53.100000
  response_time: !!timestamp 2026-11-29 19:15:53.102521
  socket_family: INET
  socket_protocol: UDP
  query_address: 127.0.0.1
  response_address: 127.0.0.1
  query_port: 40000
  response_port: 5301
  query_zone: \"Lab.Test.\"
  query_message: |
    ;; ->>HEADER<<- opcode: QUERY, rcode: NOERROR, id: 1
    ;; flags: ; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0 

    ;; QUESTION SECTION:
    ;www.lab.test.\tIN\tA

    ;; ANSWER SECTION:

    ;; AUTHORITY SECTION:

    ;; ADDITIONAL SECTION:

  response_message: |
    ;; ->>HEADER<<- opcode: QUERY, rcode: NOERROR, id: 1
    ;; flags: qr aa ; QUERY: 1, ANSWER: 3, AUTHORITY: 0, ADDITIONAL: 1 

    ;; QUESTION SECTION:
    ;www.lab.test.\tIN\tA

    ;; ANSWER SECTION:
    www.lab.test.\t300\tIN\tCNAME\tEdge.Other.test.
    Edge.Other.test.\t300\tIN\tA\t192.0.2.1
    www.lab.test.\t300\tIN\tTXT\t\"a b\" \"c\"

    ;; AUTHORITY SECTION:

    ;; ADDITIONAL SECTION:

    ;; EDNS: version 0; flags: ; udp: 1232
;; Data: \\# 4 000a0000
---
type: MESSAGE
identity: \"lab-unbound\"
message:
  type: CLIENT_RESPONSE
  response_time: !!timestamp 2026-11-29 19:15:54.000000
  query_zone: \"lab.test.\"
  response_message: |
    ;; ->>HEADER<<- opcode: QUERY, rcode: NXDOMAIN, id: 2
    ;; flags: qr ; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0 

    ;; QUESTION SECTION:
    ;nx.lab.test.\tIN\tA

    ;; ANSWER SECTION:
    nx.lab.test.\t300\tIN\tA\t192.0.2.9

---
type: MESSAGE
message:
  type: CLIENT_QUERY
  query_time: !!timestamp 2026-11-29 19:15:55.000000
  query_message: |
    ;; ->>HEADER<<- opcode: QUERY, rcode: NOERROR, id: 3
    ;; flags: rd ; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0 

    ;; QUESTION SECTION:
    ;version.bind.\tCH\tTXT

---
";

    /// The Go `dnstap -y` (golang-dnstap), which prints the message as miekg/dns does: its
    /// header line has no `->>HEADER<<-`.
    #[test]
    fn go_yaml_answers() {
        let text =
            include_str!("../../tests/reference/dnstap-text/golang-dnstap-y-dnsdist-1.6.1.txt");
        assert_eq!(
            crate::detect(text.as_bytes()),
            Some(crate::Format::DnstapText)
        );
        assert_eq!(
            run(text),
            [
                "zedo.com CNAME null.null-zone.null ttl=Some(5) t=1645867510493 bw=None \
                 src=dnstap-text/dns",
                "null.null-zone.null A 0.0.0.0 ttl=Some(86400) t=1645867510493 bw=None \
                 src=dnstap-text/dns",
            ]
        );
    }

    #[test]
    fn ldns_yaml_answers_with_identity_and_resolver_bailiwick() {
        assert_eq!(
            run(LDNS_YAML),
            [
                "www.lab.test CNAME edge.other.test ttl=Some(300) t=1795979753102 \
                 bw=Some(\"lab.test\") src=dnstap-text/lab-\"unbound!",
                "edge.other.test A 192.0.2.1 ttl=Some(300) t=1795979753102 bw=None \
                 src=dnstap-text/lab-\"unbound!",
                "www.lab.test TXT \"a b\" \"c\" ttl=Some(300) t=1795979753102 \
                 bw=Some(\"lab.test\") src=dnstap-text/lab-\"unbound!",
                // NXDOMAIN: the question, not the answer; a CH query: nothing.
                "name nx.lab.test Some(\"A\") t=1795979754000",
            ]
        );
        assert_eq!(sniff(LDNS_YAML), 96);
    }

    #[test]
    fn operator_sensor_wins_over_identity() {
        let opts = ParseOptions {
            sensor: Some("s1".into()),
            ..utc()
        };
        let got = run_with(LDNS_YAML, &opts);
        assert!(got[0].ends_with("src=dnstap-text/s1"), "{got:?}");
    }

    #[test]
    fn bad_lines_are_errors_at_their_line_and_reading_goes_on() {
        let text = "\
29-Nov-2026 19:15:53.102 CR 127.0.41.1:1 <- 127.0.10.1:53 UDP 28b a.test/IN/A
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id:  1
;; QUESTION SECTION:
;a.test.\t\t\tIN\tA

;; ANSWER SECTION:
a.test.\t\t300\tIN\tA\t999.1.1.1
a.test.\t\t300\tIN\tBOGUSTYPE\tx
a.test.\t\t300\tIN\tA\t192.0.2.1
a.test.\t\t300\tIN\tTXT\t( \"open\"

32-Nov-2026 19:15:53.102 AQ 127.0.41.1:1 -> 127.0.10.1:53 UDP 28b b.test/IN/A
29-Nov-2026 19:15:53.102 AQ 127.0.41.1:1 -> 127.0.10.1:53 UDP 28b c.test/IN/NOTATYPE
29-Nov-2026 19:15:53.102 AQ 127.0.41.1:1 -> 127.0.10.1:53 UDP
garbage
";
        let got = run(text);
        assert_eq!(
            got,
            [
                "error 7 rdata",
                "error 8 rrtype",
                "a.test A 192.0.2.1 ttl=Some(300) t=1795979753102 bw=None src=dnstap-text",
                "error 10 truncated",
                "error 12 timestamp",
                "error 13 rrtype",
                "error 14 truncated",
                "error 15 syntax",
            ],
        );
    }

    #[test]
    fn detection_takes_the_tools_output_and_leaves_dig_and_zone_files() {
        for name in [
            "bind-9.18.49_dnstap-read-p.first80.txt",
            "bind-9.18.49_dnstap-read-y.first80.yaml",
            "bind-9.18.49_dnstap-read.txt",
            "bind-9.18.49_dnstap-ldns-q.txt",
        ] {
            let s = std::fs::read_to_string(fixture("dnstap-text", name)).expect("fixture");
            assert_eq!(sniff(&s), 96, "{name}");
        }
        let dig = ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id:  1\n\
                   ;; ANSWER SECTION:\nexample.com.\t300\tIN\tA\t192.0.2.1\n";
        assert_eq!(sniff(dig), 0);
        assert_eq!(sniff("; <<>> DiG 9.18.49 <<>> example.com\n"), 0);
        assert_eq!(
            sniff("$ORIGIN example.com.\n@ 300 IN SOA a b 1 2 3 4 5\n"),
            0
        );
        assert_eq!(
            sniff("29-Nov-2026 19:15:53.102 queries: info: client @0x1 127.0.0.1#1 (a): query: a IN A +E(0) (127.0.0.1)\n"),
            0
        );
        assert_eq!(sniff("type: MESSAGE\n"), 0);
    }

    #[test]
    fn arbitrary_text_never_panics() {
        for s in [
            "type: MESSAGE\nmessage:\n  type: AUTH_RESPONSE\n  response_message: |\n    ;; ANSWER SECTION:\n    a. 1 IN A 1.2.3.4\n",
            "type: MESSAGE\nmessage:\n  type: X\n  query_time: !!timestamp 9999-99-99T99:99:99Z\n",
            "????-??-?? ??:??:??.??? CR ? <- ? UDP 0b ?/?/?\n;; ->>HEADER<<-\n",
            "2026-11-29 19:15:53.1 AR 1 UDP 1b \"\n",
            "2026-11-29 ??:??:??.?????? AR 127.0.0.1 UDP 0b ? ? ?\n",
            "29-Nov-2026 19:15:53.102 AR é:1 <- 1:1 UDP 1b é/IN/A\n;;",
            "type: MESSAGE\nidentity: \"\\x\"\n",
        ] {
            let _ = run(s);
        }
    }
}

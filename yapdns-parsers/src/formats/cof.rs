//! Passive DNS Common Output Format (COF, draft-dulaunoy-dnsop-passive-dns-cof): the NDJSON
//! that passive DNS databases answer with and export — CIRCL's pdns, DNSDB API v1 and
//! `dnsdbq -j`, DNSDB API v2 with its Streaming API Framing (SAF), D4's `pdns-cof-server`, and
//! YAPDNS's own `parse` output. Importing it keeps each record's own first and last seen and
//! count: a COF record is already an aggregate, not one sighting.
//!
//! Grammar (JSON; members not listed are skipped, `origin` among them):
//!
//! ```text
//! input    = *( line / blank )           ; NDJSON: one object a line (primary form)
//!          / *( value )                  ; objects spread over lines (`jq .` output)
//!          / "[" value *( "," value ) "]"   ; one JSON array of objects (`jq -s`)
//! value    = record / saf
//! record   = { "rrname": name, "rrtype": mnemonic / number, "rdata": text / [ *text ],
//!              times, [ "count": integer / digits-string ], [ "bailiwick": name ],
//!              [ "sensor_id": text ], [ "ttl": integer ] }
//! times    = [ "time_first": time ] [ "time_last": time ]
//!            [ "time_first_ms": epoch-ms ] [ "time_last_ms": epoch-ms ]
//!            [ "zone_time_first": time ] [ "zone_time_last": time ]   ; at least one first
//! time     = epoch-seconds                                 ; the draft
//!          / DQUOTE 1*DIGIT DQUOTE                         ; CIRCL, some exports
//!          / DQUOTE YYYY-MM-DD ("T" / " ") HH:MM:SS [Z] DQUOTE   ; dnsdbq -T datefix (UTC)
//! saf      = { "cond": "begin" / "ongoing" / "succeeded" / "limited" / "failed",
//!              [ "msg": text ], [ "obj": record ] }
//!          / { "obj": record } / { "msg": text }           ; a record, a keepalive
//! ```
//!
//! An object spread over lines is reported at its first line; one whose first line already
//! held members (an NDJSON line cut short by a writer that died) ends, as a `truncated` error,
//! where the next line starting with `{` begins, so it never swallows the records after it.
//!
//! The record is read by `yapdns-core`'s COF reader ([`CofLine`]), the one the server's
//! ingestion uses, so both read the same records the same way.
//!
//! Yields one association per `rdata` element (an rrset array is one association per record
//! data, as dnsdbq prints it), with `count` (default 1), `bailiwick` and YAPDNS's `ttl`
//! extension. SAF condition lines and keepalives are skipped; `{"cond":"failed"}` is reported
//! as a `truncated` error with its `msg`, since the results before it are incomplete.
//!
//! Time: `time_first_ms`/`time_last_ms` (epoch milliseconds) win over `time_first`/`time_last`
//! (epoch seconds, or the strings above; strings without an offset are UTC, as every passive
//! DNS database keeps time). DNSDB's `zone_time_first`/`zone_time_last` — when the record was
//! seen in a zone file rather than on the wire — stand in when the wire times are missing or
//! 0, as dnsdbq reads them. A missing last time is the first. A record without any time is an
//! error: importing must not invent when something was seen.
//!
//! Sensor: [`ParseOptions::sensor`] wins; without one, the record's `sensor_id` names it. Every
//! record is tagged `cof`: YAPDNS's `sources` extension is not carried over (the server's
//! ingestion keeps it, for agents that ship COF to it).
//!
//! What it cannot read: COF inside another document (a JSON object holding a `records`
//! list, a CSV export); dnsdbflex results (`rrname`/`rrtype` without data or time, which say
//! nothing was resolved); names dnsdbq wrote with `-T reverse` (TLD first), which are read as
//! written. Non-string `rdata` elements (dnsdbq's `[bad value]`) make the record an error.

use yapdns_core::{
    normalize_name_in, normalize_rdata_in, AssociationView, CofLine, CofRecord, Sources,
};

use crate::error::{ErrorKind, ParseError};
use crate::formats::cuckoo::has_key;
use crate::formats::FormatParser;
use crate::input::{text, DEFAULT_MAX_LINE};
use crate::options::ParseOptions;
use crate::record::{Emit, Outcome};
use crate::view_buf::SensorTags;

/// The format's name in `sources`.
const NAME: &str = "cof";

/// Parser state: the source tags, and a JSON value spread over several lines being gathered.
pub struct Parser {
    tags: SensorTags,
    split: Splitter,
    bufs: Bufs,
}

/// Buffers for names and data that are not normal as written, kept from record to record.
#[derive(Default)]
struct Bufs {
    name: String,
    rdata: String,
    bailiwick: String,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`, or else with each record's
    /// `sensor_id`.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            tags: SensorTags::new(NAME, opts.sensor.as_deref()),
            split: Splitter::default(),
            bufs: Bufs::default(),
        }
    }

    /// One complete JSON value, first seen on line `n`.
    fn value(&mut self, json: &str, n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        match CofLine::from_json(json) {
            Err(e) => Err(ParseError::from_core(n, e)),
            Ok(CofLine::Record(r)) => self.record(&r, n, out),
            Ok(CofLine::Cond { cond, msg }) if cond.as_deref() == Some("failed") => {
                Err(ParseError::new(
                    n,
                    ErrorKind::Truncated,
                    format!(
                        "the query failed ({}); the results before it are incomplete",
                        msg.as_deref().unwrap_or("no reason given")
                    ),
                ))
            }
            Ok(CofLine::Cond { .. }) => Ok(Outcome::Skipped),
        }
    }

    fn record(
        &mut self,
        r: &CofRecord<'_>,
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        let core = |e| ParseError::from_core(n, e);
        let rrname = r.rrname().map_err(core)?;
        let rrtype = r.rrtype().map_err(core)?;
        let (first, last) = r
            .seen()
            .map_err(|e| ParseError::new(n, ErrorKind::Timestamp, e.to_string()))?;
        let count = r.count().map_err(core)?.unwrap_or(1).max(1);
        let sources = Sources::one(self.tags.tag(r.sensor_id()));
        let Bufs {
            name: name_buf,
            rdata: rdata_buf,
            bailiwick: bailiwick_buf,
        } = &mut self.bufs;
        let bailiwick = r
            .bailiwick()
            .map(|b| normalize_name_in(b, bailiwick_buf))
            .transpose()
            .map_err(core)?;
        let mut rdata = r.rdata();
        let Some(head) = rdata.next() else {
            return Err(ParseError::new(n, ErrorKind::Json, "missing rdata"));
        };
        let rrname = normalize_name_in(rrname, name_buf).map_err(core)?;
        let mut a = AssociationView::one(
            rrname,
            rrtype,
            normalize_rdata_in(rrtype, head, rdata_buf).map_err(core)?,
            first,
            &sources,
        );
        a.ttl = r.ttl();
        a.last_seen = last;
        a.count = count;
        a.bailiwick = bailiwick;
        out.association(a);
        // The other members of an rrset share everything but the data.
        let mut bad: Option<ParseError> = None;
        let mut more = 0;
        for d in rdata {
            let mut other = String::new();
            match normalize_rdata_in(rrtype, d, &mut other) {
                Ok(norm) => out.association(AssociationView { rdata: norm, ..a }),
                Err(e) if bad.is_none() => bad = Some(core(e)),
                Err(_) => more += 1,
            }
        }
        match bad {
            None => Ok(Outcome::Answer),
            Some(mut e) => {
                if more > 0 {
                    e.reason =
                        format!("{} (and {more} more bad rdata in this rrset)", e.reason).into();
                }
                Err(e)
            }
        }
    }
}

impl FormatParser for Parser {
    fn line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let line = text(line);
        let l = line.trim();
        if self.split.is_idle() {
            if l.is_empty() {
                return Ok(Outcome::Skipped);
            }
            // NDJSON: the whole line is one object.
            if l.starts_with('{') && l.ends_with('}') {
                return self.value(l, n, out);
            }
        }
        // Pretty-printed objects, arrays: gather values across lines.
        let mut outcome = Ok(Outcome::Skipped);
        // An NDJSON line cut short (a writer that died mid-line) must not swallow the lines
        // after it: a value that began with members on its first line, as no pretty-printer
        // writes, ends where the next object line begins.
        if self.split.cut_by(l) {
            if let Some(start) = self.split.take_pending() {
                outcome = Err(ParseError::new(
                    start,
                    ErrorKind::Truncated,
                    "a JSON object cut short by the next line",
                ));
            }
            if l.ends_with('}') {
                return match self.value(l, n, out) {
                    Ok(_) => outcome,
                    Err(e) => Err(e),
                };
            }
        }
        let mut values = Vec::new();
        if let Err(e) = self.split.feed(l, n, &mut values) {
            outcome = outcome.and(Err(e));
        }
        for (json, first_line) in values {
            let r = self.value(&json, first_line, out);
            match (&outcome, r) {
                (Err(_), _) => {}
                (_, Err(e)) => outcome = Err(e),
                (Ok(Outcome::Answer), Ok(_)) => {}
                (_, Ok(o)) => outcome = Ok(o),
            }
        }
        outcome
    }

    fn finish(&mut self, _out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        self.split.in_array = false;
        match self.split.take_pending() {
            Some(line) => Err(ParseError::new(
                line,
                ErrorKind::Truncated,
                "the input ends inside a JSON object",
            )),
            None => Ok(Outcome::Skipped),
        }
    }
}

/// Cuts a stream of JSON objects, possibly spread over lines and possibly inside one
/// top-level array, into complete values. Strings are tracked so that brackets inside them do
/// not count.
#[derive(Default)]
struct Splitter {
    /// The part of the value seen on earlier lines.
    buf: String,
    /// The brackets open inside the current value (empty: between values).
    open: Vec<u8>,
    in_str: bool,
    escaped: bool,
    /// Inside the top-level `[ … ]`.
    in_array: bool,
    /// The line the current value started on.
    start_line: u64,
    /// The current value had members on its first line (NDJSON, not pretty-printed).
    inline: bool,
}

impl Splitter {
    fn is_idle(&self) -> bool {
        self.open.is_empty() && !self.in_array
    }

    /// True when `l` cannot continue the open value: it starts an object where no object can
    /// start (directly inside an object), or the value began as an NDJSON line.
    fn cut_by(&self, l: &str) -> bool {
        !self.open.is_empty()
            && l.starts_with('{')
            && (self.inline || self.open.last() == Some(&b'{'))
    }

    /// Drops the open value; the line it started on, if there was one.
    fn take_pending(&mut self) -> Option<u64> {
        let pending = !self.open.is_empty();
        self.buf.clear();
        self.open.clear();
        self.in_str = false;
        self.escaped = false;
        self.inline = false;
        pending.then_some(self.start_line)
    }

    /// Feeds one line (trimmed); pushes each value it completes, with its first line.
    fn feed(&mut self, l: &str, n: u64, values: &mut Vec<(String, u64)>) -> Result<(), ParseError> {
        let b = l.as_bytes();
        // Where the part of the current value on this line starts.
        let mut start = 0usize;
        for (i, &c) in b.iter().enumerate() {
            if self.open.is_empty() {
                match c {
                    b' ' | b'\t' => {}
                    b'[' if !self.in_array => self.in_array = true,
                    b']' | b',' if self.in_array => {
                        if c == b']' {
                            self.in_array = false;
                        }
                    }
                    b'{' => {
                        self.open.push(b'{');
                        self.start_line = n;
                        self.inline = b.get(i + 1..).is_some_and(|r| !r.trim_ascii().is_empty());
                        start = i;
                    }
                    _ => {
                        self.in_array = false;
                        return Err(ParseError::new(
                            n,
                            ErrorKind::Json,
                            format!("expected a JSON object, found {:?}", char::from(c)),
                        ));
                    }
                }
                continue;
            }
            if self.in_str {
                if self.escaped {
                    self.escaped = false;
                } else if c == b'\\' {
                    self.escaped = true;
                } else if c == b'"' {
                    self.in_str = false;
                }
                continue;
            }
            match c {
                b'"' => self.in_str = true,
                b'{' | b'[' => self.open.push(c),
                b'}' | b']' => {
                    self.open.pop();
                    if self.open.is_empty() {
                        let part = l.get(start..=i).unwrap_or_default();
                        let json = if self.buf.is_empty() {
                            part.to_string()
                        } else {
                            let mut j = std::mem::take(&mut self.buf);
                            j.push_str(part);
                            j
                        };
                        values.push((json, self.start_line));
                    }
                }
                _ => {}
            }
        }
        if self.open.is_empty() {
            return Ok(());
        }
        if self.in_str {
            // JSON strings hold no line breaks: the value was cut inside one.
            let line = self.take_pending().unwrap_or(n);
            return Err(ParseError::new(
                line,
                ErrorKind::Truncated,
                "a JSON object cut short inside a string",
            ));
        }
        let part = l.get(start..).unwrap_or_default();
        if self.buf.len() + part.len() > DEFAULT_MAX_LINE {
            let line = self.take_pending().unwrap_or(n);
            return Err(ParseError::new(
                line,
                ErrorKind::TooLong,
                "a JSON object spread over lines is over the line limit",
            ));
        }
        self.buf.push_str(part);
        self.buf.push('\n');
        Ok(())
    }
}

/// The name of the first member of a one-line JSON object.
fn first_key(l: &str) -> Option<&str> {
    let rest = l.strip_prefix('{')?.trim_start().strip_prefix('"')?;
    rest.get(..rest.find('"')?)
}

/// True for a one-line COF record or SAF line.
fn is_cof_line(l: &str) -> bool {
    matches!(first_key(l), Some("cond" | "obj"))
        || (has_key(l, "rrname")
            && has_key(l, "rrtype")
            && (has_key(l, "time_first")
                || has_key(l, "zone_time_first")
                || has_key(l, "time_first_ms")))
}

/// Certain when the first lines are COF records or SAF lines (each must have `rrname`,
/// `rrtype` and a first time, or start with `cond`/`obj`); fairly sure for a pretty-printed
/// object or an array with those members.
pub fn sniff(sample: &str) -> u8 {
    let t = sample.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return 0;
    }
    let mut lines = 0;
    let mut one_line = true;
    for l in crate::format::first_lines(sample, 10) {
        let l = l.trim();
        if l.starts_with('{') && l.ends_with('}') {
            if !is_cof_line(l) {
                return 0;
            }
            lines += 1;
        } else {
            one_line = false;
            break;
        }
    }
    if one_line && lines > 0 {
        return 95;
    }
    let pretty = has_key(t, "rrname")
        && has_key(t, "rrtype")
        && (has_key(t, "time_first") || has_key(t, "zone_time_first"));
    if pretty {
        85
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;
    use crate::{parse_str, parse_str_with, Format, Stats};
    use yapdns_core::Association;

    fn run(input: &str) -> (Vec<Association>, Stats) {
        let (r, s) = parse_str(Format::Cof, input);
        let a = r
            .into_iter()
            .filter_map(|r| match r {
                Record::Association(a) => Some(a),
                Record::Name(_) => None,
            })
            .collect();
        (a, s)
    }

    #[test]
    fn a_record_keeps_its_own_times_and_count() {
        let (a, s) = run(
            r#"{"count":2,"time_first":1594197706,"time_last":1594197806,"rrname":"google.com.","rrtype":"A","bailiwick":"com.","rdata":["64.233.161.100","64.233.161.101"]}"#,
        );
        assert_eq!((a.len(), s.associations, s.lines), (2, 2, 1));
        for x in &a {
            assert_eq!(
                (
                    x.first_seen.secs(),
                    x.last_seen.secs(),
                    x.count,
                    x.bailiwick.as_deref()
                ),
                (1_594_197_706, 1_594_197_806, 2, Some("com"))
            );
        }
        assert_eq!(a[1].rdata, "64.233.161.101");
    }

    #[test]
    fn saf_framing_and_a_failed_query() {
        let (a, s) = run(concat!(
            "{\"cond\":\"begin\"}\n",
            "{\"obj\":{\"rrname\":\"x.test.\",\"rrtype\":\"AAAA\",\"rdata\":\"2001:DB8::1\",\"time_first\":5,\"time_last\":9}}\n",
            "{\"cond\":\"ongoing\",\"msg\":\"keepalive\"}\n",
            "{\"cond\":\"failed\",\"msg\":\"Query timed out\"}\n",
        ));
        assert_eq!(
            (a.len(), s.skipped, s.errors["truncated"]),
            (1, 2, 1),
            "{s:?}"
        );
        assert_eq!(a[0].rdata, "2001:db8::1");
        assert!(s.error_samples[0].error.reason.contains("Query timed out"));
    }

    #[test]
    fn zone_times_string_times_and_milliseconds() {
        let (a, _) = run(concat!(
            "{\"rrname\":\"example.com.\",\"rrtype\":\"NS\",\"rdata\":[\"ns1.example.com.\"],\"zone_time_first\":1262304000,\"zone_time_last\":1262390400,\"count\":3}\n",
            "{\"count\":1909,\"rdata\":[\"cpa.circl.lu\"],\"rrname\":\"www.circl.lu\",\"rrtype\":\"CNAME\",\"time_first\":\"1315586409\",\"time_last\":\"1449566799\"}\n",
            "{\"time_first\":\"2022-07-15T09:42:21Z\",\"time_last\":\"2022-07-15T09:42:21Z\",\"count\":1,\"rrtype\":\"AAAA\",\"rrname\":\"media.vastporten.se\",\"rdata\":\"2a02:250:0:8::53\"}\n",
            "{\"rrname\":\"x.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1700000000,\"time_last\":1700000001,\"time_first_ms\":1700000000250,\"time_last_ms\":1700000001750}\n",
        ));
        let t: Vec<_> = a
            .iter()
            .map(|a| (a.first_seen.millis(), a.last_seen.millis(), a.count))
            .collect();
        assert_eq!(
            t,
            [
                (1_262_304_000_000, 1_262_390_400_000, 3),
                (1_315_586_409_000, 1_449_566_799_000, 1909),
                (1_657_878_141_000, 1_657_878_141_000, 1),
                (1_700_000_000_250, 1_700_000_001_750, 1),
            ]
        );
    }

    #[test]
    fn pretty_printed_objects_and_arrays() {
        let pretty = "{\n  \"time_first\": 1657878272,\n  \"time_last\": 1657878272,\n  \"rrtype\": \"TXT\",\n  \"rrname\": \"x.test\",\n  \"rdata\": \"\\\"}{ brace\\\"\"\n}\n{\n  \"rrname\": \"y.test\", \"rrtype\": \"A\", \"rdata\": [\n \"192.0.2.1\"\n], \"time_first\": 1\n}\n";
        let (a, s) = run(pretty);
        assert_eq!((a.len(), s.errors.len()), (2, 0), "{s:?}");
        assert_eq!(a[0].rdata, "\"}{ brace\"");
        let array = "[{\"rrname\":\"a.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1},\n {\"rrname\":\"b.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.2\",\"time_first\":2}]\n";
        let (a, s) = run(array);
        assert_eq!((a.len(), s.errors.len()), (2, 0), "{s:?}");
        let (a, s) = run("[\n  {\n    \"rrname\": \"a.test\",\n    \"rrtype\": \"A\",\n    \"rdata\": \"192.0.2.1\",\n    \"time_first\": 1\n  },\n  {\n    \"rrname\": \"b.test\",\n    \"rrtype\": \"A\",\n    \"rdata\": \"192.0.2.2\",\n    \"time_first\": 2\n  }\n]\n");
        assert_eq!((a.len(), s.errors.len()), (2, 0), "{s:?}");
        // Cut short.
        let (_, s) = run("{\n  \"rrname\": \"a.test\",\n");
        assert_eq!(s.errors["truncated"], 1);
        // An NDJSON line cut short does not swallow the next ones.
        let (a, s) = run(concat!(
            "{\"rrname\":\"a.test\",\"rrtype\":\"A\",\"rda\n",
            "{\"rrname\":\"b.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.2\",\"time_first\":2}\n",
            "{\"rrname\":\"c.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.3\",\"time_first\":3}\n",
        ));
        assert_eq!((a.len(), s.errors["truncated"]), (2, 1), "{s:?}");
        assert_eq!(s.error_samples[0].error.line, 1);
        // A lone "{" then NDJSON: an object cannot start directly inside an object.
        let (a, s) = run(concat!(
            "{\n",
            "{\"rrname\":\"b.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.2\",\"time_first\":2}\n",
            "{\"rrname\":\"c.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.3\",\"time_first\":3}\n",
        ));
        assert_eq!((a.len(), s.errors["truncated"]), (2, 1), "{s:?}");
        // Cut inside a string, then pretty-printed lines.
        let (a, s) = run("{\"rrname\":\"a.te\n\"x\"\n{\n \"rrname\":\"b.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.2\",\"time_first\":2\n}\n");
        assert_eq!(
            (a.len(), s.errors["truncated"], s.errors["json"]),
            (1, 1, 1),
            "{s:?}"
        );
    }

    #[test]
    fn bad_records_are_typed_errors() {
        let (a, s) = run(concat!(
            "{\"rrname\":\"x.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\"}\n",
            "{\"rrname\":\"x.test\",\"rrtype\":\"A\",\"rdata\":\"nope\",\"time_first\":1}\n",
            "{\"rrname\":\"x..test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1}\n",
            "{\"rrname\":\"x.test\",\"rrtype\":\"BOGUS\",\"rdata\":\"192.0.2.1\",\"time_first\":1}\n",
            "{\"rrname\":\"x.test\",\"rrtype\":\"A\",\"time_first\":1}\n",
            "{\"rrname\":\"x.test\",\"rrtype\":\"A\",\"rdata\":[\"192.0.2.1\",\"bad\"],\"time_first\":1}\n",
            "{not json}\n",
            "plain text\n",
        ));
        assert_eq!(a.len(), 1, "{s:?}");
        assert_eq!(s.errors["timestamp"], 1);
        assert_eq!(s.errors["rdata"], 2);
        assert_eq!(s.errors["name"], 1);
        assert_eq!(s.errors["rrtype"], 1);
        assert_eq!(s.errors["json"], 3, "{s:?}");
    }

    #[test]
    fn sensor_from_options_or_record() {
        let line = "{\"rrname\":\"x.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1,\"sensor_id\":\"s1\"}\n";
        let (a, _) = run(line);
        let src = a[0].sources.iter().next().unwrap();
        assert_eq!(
            (src.format.as_ref(), src.sensor.as_deref()),
            ("cof", Some("s1"))
        );
        let opts = ParseOptions {
            sensor: Some("op".into()),
            ..Default::default()
        };
        let (r, _) = parse_str_with(Format::Cof, line, &opts);
        let Record::Association(a) = &r[0] else {
            panic!()
        };
        assert_eq!(
            a.sources.iter().next().unwrap().sensor.as_deref(),
            Some("op")
        );
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff("{\"cond\":\"begin\"}\n{\"obj\":{}}\n"), 95);
        assert_eq!(
            sniff("{\"rrname\":\"x\",\"rrtype\":\"A\",\"rdata\":\"1.2.3.4\",\"time_first\":1}\n"),
            95
        );
        // Suricata EVE and passivedns JSON have no COF times.
        assert_eq!(
            sniff("{\"event_type\":\"dns\",\"dns\":{\"rrname\":\"x\",\"rrtype\":\"A\"}}\n"),
            0
        );
        assert_eq!(
            sniff("{\"query\":\"x.\",\"type\":\"A\",\"answer\":\"1.2.3.4\"}\n"),
            0
        );
        assert_eq!(
            sniff("{\n \"rrname\": \"x\",\n \"rrtype\": \"A\",\n \"time_first\": 1\n}\n"),
            85
        );
    }
}

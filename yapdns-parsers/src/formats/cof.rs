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
//! ingestion uses, so both read the same records the same way. The usual NDJSON line (a
//! record or SAF line of the members above, numbers as integers, times as integers, digits or
//! `datefix` stamps) is read first by a scanner made for it, straight into the view; any line
//! it does not read, errors among them, goes to the general reader, which gives the same
//! records and errors (the tests compare the two on generated edits of real lines).
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

use std::borrow::Cow;

use yapdns_core::{
    days_from_civil, normalize_name_in, normalize_rdata_in, AssociationView, CofLine, CofRecord,
    JsonLex, RrType, Sources, Timestamp, JSON_SKIP_DEPTH,
};

use crate::error::{ErrorKind, ParseError};
use crate::formats::cuckoo::has_key;
use crate::formats::FormatParser;
use crate::input::{text as decode, DEFAULT_MAX_LINE};
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
    day: Day,
}

/// Buffers for names and data that are not normal as written, kept from record to record.
#[derive(Default)]
struct Bufs {
    name: String,
    rdata: String,
    bailiwick: String,
    last: LastRdata,
}

/// The last IPv6 address the fast path normalised, as written and normalised. The answer to
/// a query by data (`dnsdbq -i`, the names an address had) repeats one rdata on every line,
/// and an IPv6 address costs several times more to normalise than to compare (other data
/// about as much as the comparison and copies, so it is not kept).
#[derive(Default)]
struct LastRdata {
    /// `written` was read and normalised.
    valid: bool,
    written: String,
    normal: String,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`, or else with each record's
    /// `sensor_id`.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            tags: SensorTags::new(NAME, opts.sensor.as_deref()),
            split: Splitter::default(),
            bufs: Bufs::default(),
            day: Day::default(),
        }
    }

    /// One complete JSON value, first seen on line `n`.
    fn value(&mut self, json: &str, n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        match CofLine::from_json(json) {
            Err(e) => Err(ParseError::from_core(n, e)),
            // A `-V summarize` result: counts and times of a lookup, no record.
            Ok(CofLine::Record(r)) if r.rrname().is_err() && is_summary(json) => {
                Ok(Outcome::Skipped)
            }
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
            last: _,
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
        more_rdata(a, rdata, n, out)
    }

    /// The usual line — one COF record or SAF line of the shapes [`Fast`] reads — read
    /// straight into the view: member names matched in place, times and counts read as they
    /// are scanned, no record built by one reader and copied out by another. `None`, having
    /// emitted nothing, for any other line, which [`Parser::general`] reads; so every line
    /// gives what the general path gives.
    ///
    /// The line's UTF-8 is checked whole, once: checking only the strings it reads (JSON
    /// allows bytes above 0x7F nowhere else) costs more, since each check of a short string
    /// has a cost of its own.
    fn fast(
        &mut self,
        line: &[u8],
        n: u64,
        out: &mut dyn Emit,
    ) -> Option<Result<Outcome, ParseError>> {
        let line = std::str::from_utf8(line).ok()?;
        let mut lx = JsonLex::new(line);
        if lx.ws()? != b'{' {
            return None;
        }
        let mut top = Fast::default();
        let mut obj = None;
        top.object(&mut lx, Some(&mut obj), &mut self.day)?;
        if lx.ws().is_some() {
            return None;
        }
        let r = match &obj {
            Some(inner) => inner,
            None if top.is_saf() => {
                // A failed query is an error, with its message: the general path's.
                return (top.cond.as_deref() != Some("failed")).then_some(Ok(Outcome::Skipped));
            }
            None => &top,
        };
        // Anything that would be an error leaves the line to the general path, which
        // reports it as it always has.
        let rrtype = r.rrtype?;
        let (first, last) = r.seen()?;
        let Bufs {
            name: name_buf,
            rdata: rdata_buf,
            bailiwick: bailiwick_buf,
            last: memo,
        } = &mut self.bufs;
        let bailiwick = match r.bailiwick.as_deref() {
            Some(b) => Some(normalize_name_in(b, bailiwick_buf).ok()?),
            None => None,
        };
        let rrname = normalize_name_in(r.rrname.as_deref()?, name_buf).ok()?;
        let written = r.rdata.as_deref()?;
        let rdata = if rrtype == RrType::Aaaa {
            if !memo.valid || memo.written != written {
                let normal = normalize_rdata_in(rrtype, written, rdata_buf).ok()?;
                memo.normal.clear();
                memo.normal.push_str(normal);
                memo.written.clear();
                memo.written.push_str(written);
                memo.valid = true;
            }
            memo.normal.as_str()
        } else {
            normalize_rdata_in(rrtype, written, rdata_buf).ok()?
        };
        let sources = Sources::one(self.tags.tag(r.sensor_id.as_deref()));
        let mut a = AssociationView::one(rrname, rrtype, rdata, first, &sources);
        a.ttl = r.ttl;
        a.last_seen = last;
        a.count = r.count.unwrap_or(1).max(1);
        a.bailiwick = bailiwick;
        out.association(a);
        let more = r.rdata_more.map(|at| JsonLex { s: line, i: at });
        Some(more_rdata(a, MoreRdata(more), n, out))
    }
}

/// Emits the other members of an rrset, which share everything with `a` (emitted) but the
/// data. The first bad one is the line's error, and says how many more there were.
fn more_rdata<S: AsRef<str>>(
    a: AssociationView<'_>,
    rdata: impl Iterator<Item = S>,
    n: u64,
    out: &mut dyn Emit,
) -> Result<Outcome, ParseError> {
    let mut bad: Option<ParseError> = None;
    let mut more = 0;
    for d in rdata {
        let mut other = String::new();
        match normalize_rdata_in(a.rrtype, d.as_ref(), &mut other) {
            Ok(norm) => out.association(AssociationView { rdata: norm, ..a }),
            Err(e) if bad.is_none() => bad = Some(ParseError::from_core(n, e)),
            Err(_) => more += 1,
        }
    }
    match bad {
        None => Ok(Outcome::Answer),
        Some(mut e) => {
            if more > 0 {
                e.reason = format!("{} (and {more} more bad rdata in this rrset)", e.reason).into();
            }
            Err(e)
        }
    }
}

/// The members of a COF record or SAF line [`Parser::fast`] reads, read as far as a view
/// needs them: what `yapdns-core`'s COF reader would read, or nothing (each method's `None`
/// leaves the line to the general path). A member given twice (serde's "duplicate field"),
/// a number with a sign, fraction or exponent, a string holding escapes where a time, count
/// or type is read, an `obj` inside an `obj`, a type, time or count that does not read: all
/// `None`.
#[derive(Default)]
struct Fast<'a> {
    /// The members given so far, `null` or not, as bits (numbered by [`member_name`]).
    given: u32,
    rrname: Option<Cow<'a, str>>,
    rrtype: Option<RrType>,
    /// The `rdata` string, or the first element of the array.
    rdata: Option<Cow<'a, str>>,
    /// `rdata` was given and not `null` (an empty array holds no data, but is given).
    rdata_given: bool,
    /// Where the elements of the array after the first start (they are read as emitted).
    rdata_more: Option<usize>,
    /// Milliseconds of `time_first`, `time_last`, `time_first_ms`, `time_last_ms`,
    /// `zone_time_first`, `zone_time_last`.
    times: [Option<i64>; 6],
    count: Option<u64>,
    bailiwick: Option<Cow<'a, str>>,
    sensor_id: Option<Cow<'a, str>>,
    ttl: Option<u32>,
    cond: Option<Cow<'a, str>>,
    msg: bool,
}

/// Milliseconds to the unit of each time member of [`Fast::times`].
const TIME_UNITS: [i64; 6] = [1000, 1000, 1, 1, 1000, 1000];

impl<'a> Fast<'a> {
    /// An object whose `{` is the current byte, read into `self` (the default); a SAF `obj`
    /// member is read into `obj`, which is `None` inside an `obj`.
    fn object(
        &mut self,
        lx: &mut JsonLex<'a>,
        mut obj: Option<&mut Option<Fast<'a>>>,
        day: &mut Day,
    ) -> Option<()> {
        lx.i += 1;
        if lx.ws()? == b'}' {
            lx.i += 1;
            return Some(());
        }
        loop {
            if lx.ws()? != b'"' {
                return None;
            }
            let m = match member_name(lx.s.as_bytes(), lx.i + 1) {
                Some((m, end)) => {
                    lx.i = end;
                    m
                }
                None => {
                    // Another member; names with escapes or bytes above 0x7F are left to
                    // the general path.
                    lx.ascii_string()?;
                    u32::MAX
                }
            };
            lx.eat(b':')?;
            if m == u32::MAX {
                lx.skip(JSON_SKIP_DEPTH)?;
            } else {
                if self.given & (1 << m) != 0 {
                    return None;
                }
                self.given |= 1 << m;
                let c = lx.ws()?;
                if c == b'n' {
                    // `null` is an absent member, as serde reads an `Option`.
                    lx.literal(b"null")?;
                } else {
                    self.member(lx, c, m, &mut obj, day)?;
                }
            }
            match lx.ws()? {
                b',' => lx.i += 1,
                b'}' => {
                    lx.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The value of member `m`, whose first byte `c` is the current byte (not `null`).
    fn member(
        &mut self,
        lx: &mut JsonLex<'a>,
        c: u8,
        m: u32,
        obj: &mut Option<&mut Option<Fast<'a>>>,
        day: &mut Day,
    ) -> Option<()> {
        match (m, c) {
            (0, b'"') => self.rrname = Some(lx.string()?),
            (1, b'"') => self.rrtype = Some(lx.string()?.parse().ok()?),
            (1, b'0'..=b'9') => {
                self.rrtype = Some(RrType::from_u16(u16::try_from(lx.uint()?).ok()?));
            }
            (2, b'"') => {
                self.rdata_given = true;
                self.rdata = Some(lx.string()?);
            }
            (2, b'[') => {
                self.rdata_given = true;
                lx.i += 1;
                if lx.ws()? == b']' {
                    lx.i += 1;
                    return Some(());
                }
                self.rdata = Some(text(lx)?);
                self.rdata_more = Some(lx.i);
                rest_of_strings(lx)?;
            }
            (3..=8, _) => {
                let k = (m - 3) as usize;
                let unit = *TIME_UNITS.get(k)?;
                *self.times.get_mut(k)? = Some(match c {
                    b'"' => string_time(lx.ascii_string()?, unit, day)?,
                    b'0'..=b'9' => i64::try_from(lx.uint()?).ok()?.checked_mul(unit)?,
                    _ => return None,
                });
            }
            (9, b'"') => self.count = Some(digits(lx.ascii_string()?)?),
            (9, b'0'..=b'9') => self.count = Some(lx.uint()?),
            (10, b'"') => self.bailiwick = Some(lx.string()?),
            (11, b'"') => self.sensor_id = Some(lx.string()?),
            (12, b'0'..=b'9') => self.ttl = Some(u32::try_from(lx.uint()?).ok()?),
            (13, b'[') => {
                lx.i += 1;
                if lx.ws()? == b']' {
                    lx.i += 1;
                } else {
                    text(lx)?;
                    rest_of_strings(lx)?;
                }
            }
            (14, b'{') => {
                obj.take()?.insert(Fast::default()).object(lx, None, day)?;
            }
            (15, b'"') => self.cond = Some(lx.string()?),
            (16, b'"') => {
                lx.string()?;
                self.msg = true;
            }
            _ => return None,
        }
        Some(())
    }

    /// A SAF line without a record, as `yapdns-core` tells one.
    fn is_saf(&self) -> bool {
        self.cond.is_some() || (self.msg && self.rrname.is_none() && !self.rdata_given)
    }

    /// First and last seen, as `yapdns-core`'s `CofRecord::seen` makes them of the times;
    /// `None` where it gives an error.
    fn seen(&self) -> Option<(Timestamp, Timestamp)> {
        let [tf, tl, tf_ms, tl_ms, zf, zl] = self.times;
        let (first, last) = match (tf_ms.or(tf), zf) {
            (Some(0), Some(z)) => (z, zl),
            (Some(f), _) => (f, tl_ms.or(tl)),
            (None, Some(z)) => (z, zl),
            (None, None) => return None,
        };
        let last = last.unwrap_or(first);
        if last < first {
            if last.div_euclid(1000) != first.div_euclid(1000) {
                return None;
            }
            return Some((Timestamp::from_millis(first), Timestamp::from_millis(first)));
        }
        Some((Timestamp::from_millis(first), Timestamp::from_millis(last)))
    }
}

/// The member of [`Fast`] whose name starts at `i` (after its opening quote), and where the
/// name ends (after its closing quote); `None` for any other name.
#[inline]
fn member_name(b: &[u8], i: usize) -> Option<(u32, usize)> {
    /// `name` (with its closing quote) at `i`: member `m`.
    fn at<const N: usize>(b: &[u8], i: usize, name: &[u8; N], m: u32) -> Option<(u32, usize)> {
        (b.get(i..i + N)? == name).then_some((m, i + N))
    }
    match *b.get(i)? {
        b'r' => at(b, i, b"rrname\"", 0)
            .or_else(|| at(b, i, b"rrtype\"", 1))
            .or_else(|| at(b, i, b"rdata\"", 2)),
        b't' => at(b, i, b"time_first\"", 3)
            .or_else(|| at(b, i, b"time_last\"", 4))
            .or_else(|| at(b, i, b"time_first_ms\"", 5))
            .or_else(|| at(b, i, b"time_last_ms\"", 6))
            .or_else(|| at(b, i, b"ttl\"", 12)),
        b'z' => at(b, i, b"zone_time_first\"", 7).or_else(|| at(b, i, b"zone_time_last\"", 8)),
        b'c' => at(b, i, b"count\"", 9).or_else(|| at(b, i, b"cond\"", 15)),
        b'b' => at(b, i, b"bailiwick\"", 10),
        b's' => at(b, i, b"sensor_id\"", 11).or_else(|| at(b, i, b"sources\"", 13)),
        b'o' => at(b, i, b"obj\"", 14),
        b'm' => at(b, i, b"msg\"", 16),
        _ => None,
    }
}

/// A value that must be a string.
fn text<'a>(lx: &mut JsonLex<'a>) -> Option<Cow<'a, str>> {
    if lx.ws()? != b'"' {
        return None;
    }
    lx.string()
}

/// The rest of an array of strings, after an element: checked as read, up to its `]`.
fn rest_of_strings(lx: &mut JsonLex<'_>) -> Option<()> {
    loop {
        match lx.ws()? {
            b',' => {
                lx.i += 1;
                text(lx)?;
            }
            b']' => {
                lx.i += 1;
                return Some(());
            }
            _ => return None,
        }
    }
}

/// The elements of an `rdata` array after the first, read from where [`Fast`] left them
/// (checked already).
struct MoreRdata<'a>(Option<JsonLex<'a>>);

impl<'a> Iterator for MoreRdata<'a> {
    type Item = Cow<'a, str>;

    fn next(&mut self) -> Option<Cow<'a, str>> {
        let lx = self.0.as_mut()?;
        if lx.ws()? != b',' {
            self.0 = None;
            return None;
        }
        lx.i += 1;
        text(lx)
    }
}

/// A string of digits, as `yapdns-core` reads a count or time written as one; `None` for any
/// other string, or one out of range.
fn digits(b: &[u8]) -> Option<u64> {
    if b.is_empty() {
        return None;
    }
    b.iter().try_fold(0u64, |v, &c| {
        if c.is_ascii_digit() {
            v.checked_mul(10)?.checked_add(u64::from(c - b'0'))
        } else {
            None
        }
    })
}

/// A time written as a string, in milliseconds: digits (to the member's `unit`), or
/// `YYYY-MM-DD[T ]HH:MM:SS[Z]` as `dnsdbq -T datefix` writes it. Anything else (fractions,
/// offsets, white space) is `None`, left to `yapdns-core`, which reads those too.
fn string_time(b: &[u8], unit: i64, day: &mut Day) -> Option<i64> {
    let t = match b {
        [t @ .., b'Z' | b'z'] => t,
        t => t,
    };
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1, b'T' | b't' | b' ', h0, h1, b':', i0, i1, b':', s0, s1] =
        t
    else {
        return i64::try_from(digits(b)?).ok()?.checked_mul(unit);
    };
    let date = [y0, y1, y2, y3, m0, m1, d0, d1];
    if day.date != date {
        let year = two(y0, y1)? * 100 + two(y2, y3)?;
        let month = u32::try_from(two(m0, m1)?).ok()?;
        let d = u32::try_from(two(d0, d1)?).ok()?;
        *day = Day {
            date,
            days: days_from_civil(year, month, d)?,
        };
    }
    let (h, mi, s) = (two(h0, h1)?, two(i0, i1)?, two(s0, s1)?);
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    (day.days * 86_400 + h * 3600 + mi * 60 + s).checked_mul(1000)
}

/// Two ASCII digits.
fn two(a: u8, b: u8) -> Option<i64> {
    (a.is_ascii_digit() && b.is_ascii_digit())
        .then(|| i64::from(a - b'0') * 10 + i64::from(b - b'0'))
}

/// The last date read from a time string (its digits) and its day number: exports give the
/// first and last time of a record on the same day more often than not, and sort by time.
#[derive(Default)]
struct Day {
    date: [u8; 8],
    days: i64,
}

impl FormatParser for Parser {
    fn line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        if self.split.is_idle() {
            if let Some(outcome) = self.fast(line, n, out) {
                return outcome;
            }
        }
        self.general(line, n, out)
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

impl Parser {
    /// Any line: decoded (Windows-1252 when it is not UTF-8), then one JSON object, or a part
    /// of values spread over lines.
    fn general(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let line = decode(line);
        let l = line.trim();
        if self.split.is_idle() {
            if l.is_empty() || is_batch_framing(l) {
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
        || is_summary(l)
}

/// The result of a DNSDB `summarize` lookup (`dnsdbq -j -V summarize`): how many records and
/// when, with `num_results` and no record of its own.
fn is_summary(json: &str) -> bool {
    has_key(json, "num_results") && has_key(json, "count") && !has_key(json, "rrname")
}

/// The lines `dnsdbq -f` (batch mode) writes around each lookup's results: `++ <lookup>` before
/// them with `-ff`, `--` or `-- <status>` after. They start no JSON value.
fn is_batch_framing(l: &str) -> bool {
    l.starts_with("--") || l.starts_with("++")
}

/// Certain when the first lines are COF records or SAF lines (each must have `rrname`,
/// `rrtype` and a first time, or start with `cond`/`obj`); fairly sure for a pretty-printed
/// object or an array with those members.
pub fn sniff(sample: &str) -> u8 {
    // Batch output of `dnsdbq -ff` starts with the framing of its first lookup.
    let mut t = sample.trim_start();
    while is_batch_framing(t) {
        t = t.split_once('\n').map_or("", |(_, rest)| rest).trim_start();
    }
    if !(t.starts_with('{') || t.starts_with('[')) {
        return 0;
    }
    let mut lines = 0;
    let mut one_line = true;
    for l in crate::format::first_lines(t, 10) {
        let l = l.trim();
        if is_batch_framing(l) {
            continue;
        }
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

    /// `dnsdbq -f -j` (dnsdbq issue 92) ends each lookup with `--`; with `-ff` a `++ lookup`
    /// line comes before its results and `-- status` after.
    #[test]
    fn dnsdbq_batch_framing_is_skipped() {
        const BATCH: &str = concat!(
            "{\"count\":544,\"time_first\":1571820084,\"time_last\":1574434733,\"rrname\":\"bbn.com.\",\"rrtype\":\"A\",\"bailiwick\":\"bbn.com.\",\"rdata\":[\"192.1.122.24\"]}\n",
            "--\n",
        );
        let (a, s) = run(BATCH);
        assert_eq!((a.len(), s.skipped, s.error_count()), (1, 1, 0), "{s:?}");
        let verbose = format!("++ rrset/raw/x\n{BATCH}-- NOERROR (no error)\n");
        let (a, s) = run(&verbose);
        assert_eq!((a.len(), s.skipped, s.error_count()), (1, 3, 0), "{s:?}");
        for text in [BATCH, verbose.as_str()] {
            assert_eq!(crate::detect(text.as_bytes()), Some(Format::Cof), "{text}");
        }
    }

    /// `dnsdbq -j -V summarize` results (dnsdbq issue 216): counts, no record.
    #[test]
    fn summaries_are_skipped() {
        const SUMMARY: &str = concat!(
            "{\"count\":63398,\"num_results\":1,\"time_first\":\"2019-09-10 01:38:27\",\"time_last\":\"2023-04-07 18:58:56\"}\n",
            "{\"count\":10403,\"num_results\":1,\"time_first\":\"2020-01-14 09:17:13\",\"time_last\":\"2023-04-07 05:55:08\"}\n",
        );
        let (a, s) = run(SUMMARY);
        assert_eq!((a.len(), s.skipped, s.error_count()), (0, 2, 0), "{s:?}");
        assert_eq!(crate::detect(SUMMARY.as_bytes()), Some(Format::Cof));
        // A record without its name is still an error, summary or not.
        let (_, s) = run(r#"{"count":3,"time_first":5,"rrtype":"A","rdata":"192.0.2.1"}"#);
        assert_eq!(s.errors["json"], 1, "{s:?}");
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

    /// One line through the fast path first (as `line` reads it) and through the general
    /// path alone: the records, the outcome and what the parser is left holding must agree.
    /// True when the fast path read the line.
    fn fast_agrees(line: &[u8]) -> bool {
        let opts = ParseOptions::default();
        let (mut fast, mut general) = (Parser::new(&opts), Parser::new(&opts));
        let read = agree_after(&mut fast, &mut general, line);
        let (mut a, mut b): (Vec<Record>, Vec<Record>) = (Vec::new(), Vec::new());
        let shown = String::from_utf8_lossy(line);
        assert_eq!(fast.finish(&mut a), general.finish(&mut b), "{shown}");
        read
    }

    /// [`fast_agrees`] for parsers that have read other lines before (and so hold the last
    /// rdata and day read).
    fn agree_after(fast: &mut Parser, general: &mut Parser, line: &[u8]) -> bool {
        let (mut a, mut b): (Vec<Record>, Vec<Record>) = (Vec::new(), Vec::new());
        let read = fast.split.is_idle() && {
            let mut probe = Parser::new(&ParseOptions::default());
            probe.fast(line, 7, &mut Vec::new()).is_some()
        };
        let ra = fast.line(line, 7, &mut a);
        let rb = general.general(line, 7, &mut b);
        let shown = String::from_utf8_lossy(line);
        assert_eq!(ra, rb, "{shown}");
        assert_eq!(a, b, "{shown}");
        read
    }

    const FAST_SEEDS: [&str; 10] = [
        r#"{"time_first": 1657878141, "time_last": 1657878141, "count": 1, "rrtype": "AAAA", "rrname": "media.vastporten.se", "rdata": "2a02:250:0:8::53", "origin": "origin not configured"}"#,
        r#"{"time_first":"2022-07-15 09:42:21","time_last":"2022-07-15 09:42:21","count":1,"rrtype":"AAAA","rrname":"xn--ihuvudetpevap-xfb.se","rdata":"2a02:250:0:8::53","origin":"origin not configured"}"#,
        r#"{"time_first":"2022-07-15T09:42:21Z","time_last":"2022-07-16T00:00:60z","count":"12","rrtype":"A","rrname":"x.test.","rdata":"192.0.2.1"}"#,
        r#"{"obj":{"count":2,"time_first":1594197706,"time_last":1594197706,"rrname":"google.com.","rrtype":"A","bailiwick":".","rdata":["64.233.161.100","64.233.161.101","64.233.161.102"]}}"#,
        r#"{"cond":"limited","msg":"Result limit reached"}"#,
        r#"{"rrname":"Txt.Example.","rrtype":"TXT","rdata":["\"v=spf1 -all\"","\"a\\b\u00e9\""],"time_first_ms":1700000000250,"time_last_ms":1700000001750,"ttl":300,"sensor_id":"s1"}"#,
        r#"{"rrname":"x.test","rrtype":28,"rdata":"2001:DB8::1","zone_time_first":5,"zone_time_last":9,"time_first":0,"sources":["bind/ns1","squid"],"bailiwick":null}"#,
        "{\"rrname\":\"b\u{fc}cher.example\",\"rrtype\":\"CNAME\",\"rdata\":\"caf\u{e9}.example.\",\"time_first\":\"1315586409\",\"msg\":\"\u{4e2d}\"}",
        "\t{ \"rrname\" : \"x.test\" , \"rrtype\" : \"NS\" , \"rdata\" : [ \"ns1.test\" ] , \"time_first\" : 1 , \"time_last\" : 2 } \r",
        r#"{"rrname":"a.test","rrtype":"A","rdata":"192.0.2.1","time_first":1,"obj":null,"cond":null,"x":[{"y":-1.5e3,"z":"\ud83d\ude00"},true,false,null]}"#,
    ];

    #[test]
    fn fast_path_reads_the_usual_lines_as_the_general_path() {
        for l in FAST_SEEDS {
            assert!(fast_agrees(l.as_bytes()), "{l}");
        }
        // A bad element after the first of an rrset: the first is emitted, then the error.
        assert!(fast_agrees(
            br#"{"rrname":"x.test","rrtype":"A","rdata":["192.0.2.1","bad","worse"],"time_first":1}"#
        ));
    }

    #[test]
    fn fast_path_leaves_the_rest_to_the_general_path() {
        for l in [
            // Not UTF-8 (Windows-1252, as the general path decodes it), in a member read or
            // skipped, and a lone continuation byte or a cut sequence.
            &b"{\"rrname\":\"caf\xe9.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1}"[..],
            b"{\"rrname\":\"x.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1,\"origin\":\"\x80\"}",
            b"{\"rrname\":\"x.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1,\"o\xc3\":1}",
            b"{\"rrname\":\"x.test\xe2\x82\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1}",
            // Empty members, errors, times it does not read itself, a failed query.
            br#"{"rrname":"","rrtype":"A","rdata":"192.0.2.1","time_first":1}"#,
            br#"{"rrname":"x.test","rrtype":"","rdata":"192.0.2.1","time_first":1}"#,
            br#"{"rrname":"x.test","rrtype":"A","rdata":"","time_first":1}"#,
            br#"{"rrname":"x.test","rrtype":"A","rdata":[],"time_first":1}"#,
            br#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":""}"#,
            br#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":"2022-07-15T11:42:21.250+02:00"}"#,
            br#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":"2022-02-30 00:00:00"}"#,
            br#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":" 1"}"#,
            br#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":5,"time_last":3}"#,
            br#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":1.5e3}"#,
            br#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":1,"count":"-1"}"#,
            br#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":1,"rrname":"y"}"#,
            br#"{"rr\u006eame":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":1}"#,
            br#"{"obj":{"obj":{"rrname":"x.test"}}}"#,
            br#"{"cond":"failed","msg":"quota"}"#,
            br#"[{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":1}]"#,
            // Truncated, and white space JSON does not know.
            br#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","time_first":1"#,
            br#"{"rrname":"x.test","rrtype":"A","rda"#,
            b"\x0c{\"rrname\":\"x.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1}",
            "{\"rrname\":\"x.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1}\u{a0}"
                .as_bytes(),
            b"{",
            b"",
            b"  ",
        ] {
            assert!(!fast_agrees(l), "{}", String::from_utf8_lossy(l));
        }
    }

    /// Random edits of the seeds, bytes above 0x7F among them: wherever the fast path reads a
    /// line, it gives what the general path gives — on its own, and after the lines before
    /// it (one parser each way reads them all).
    #[test]
    fn fast_path_agrees_with_the_general_path_on_edited_lines() {
        let alphabet: &[&[u8]] = &[
            b"{",
            b"}",
            b"[",
            b"]",
            b"\"",
            b":",
            b",",
            b"\\",
            b" ",
            b"\t",
            b"\r",
            b"u",
            b"0",
            b"1",
            b"9",
            b".",
            b"e",
            b"-",
            b"+",
            b"Z",
            b"T",
            b"n",
            b"null",
            b"a",
            b"x",
            b"\x01",
            b"\x0b",
            b"\x80",
            b"\xc3",
            b"\xa9",
            b"\xe9",
            b"\xff",
            "\u{e9}".as_bytes(),
            b"\"obj\":",
            b"\"rrname\":",
            b"\"time_first\":",
            b"\"2022-07-15 09:42:21\"",
            b"\"rdata\":[",
            b"\\u00",
            b"\\ud83d",
        ];
        let mut rng = yapdns_core::test_rng::TestRng::new(0x9e37_79b9_7f4a_7c15);
        let mut rnd = |n: usize| rng.below(n);
        // COF_FAST_ROUNDS=n runs more rounds.
        let rounds = std::env::var("COF_FAST_ROUNDS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(30_000);
        let mut read = 0;
        let opts = ParseOptions::default();
        let (mut fast, mut general) = (Parser::new(&opts), Parser::new(&opts));
        for round in 0..rounds {
            let mut b = FAST_SEEDS[round % FAST_SEEDS.len()].as_bytes().to_vec();
            for _ in 0..1 + rnd(2) {
                let at = rnd(b.len() + 1);
                match rnd(8) {
                    0 if at < b.len() => {
                        b.remove(at);
                    }
                    1 if at < b.len() => b[at] = alphabet[rnd(alphabet.len())][0],
                    2 => b.truncate(at),
                    _ => {
                        let piece = alphabet[rnd(alphabet.len())];
                        b.splice(at..at, piece.iter().copied());
                    }
                }
            }
            if fast_agrees(&b) {
                read += 1;
            }
            agree_after(&mut fast, &mut general, &b);
            // Now and then a seed as it is: most lines of a file repeat the last one's
            // rdata and day.
            if rnd(4) == 0 {
                let seed = FAST_SEEDS[rnd(FAST_SEEDS.len())].as_bytes();
                agree_after(&mut fast, &mut general, seed);
            }
        }
        let (mut a, mut b): (Vec<Record>, Vec<Record>) = (Vec::new(), Vec::new());
        assert_eq!(fast.finish(&mut a), general.finish(&mut b));
        eprintln!("{read} of {rounds} edited lines read by the fast path");
        assert!(read > rounds / 10, "{read} of {rounds}");
    }

    #[test]
    fn member_names_are_matched_whole() {
        let names: [(&[u8], u32); 17] = [
            (b"rrname", 0),
            (b"rrtype", 1),
            (b"rdata", 2),
            (b"time_first", 3),
            (b"time_last", 4),
            (b"time_first_ms", 5),
            (b"time_last_ms", 6),
            (b"zone_time_first", 7),
            (b"zone_time_last", 8),
            (b"count", 9),
            (b"bailiwick", 10),
            (b"sensor_id", 11),
            (b"ttl", 12),
            (b"sources", 13),
            (b"obj", 14),
            (b"cond", 15),
            (b"msg", 16),
        ];
        for (name, m) in names {
            // At the end of the input, and followed by more.
            for tail in [&b"\""[..], b"\":1}"] {
                let b = [b"{\"", name, tail].concat();
                assert_eq!(member_name(&b, 2), Some((m, 2 + name.len() + 1)), "{b:?}");
            }
            // Cut short, one letter more, one letter less.
            let mut b = [b"{\"", name].concat();
            assert_eq!(member_name(&b, 2), None);
            b.extend_from_slice(b"x\"");
            assert_eq!(member_name(&b, 2), None);
            let b = [b"{\"", &name[..name.len() - 1], b"\""].concat();
            assert_eq!(member_name(&b, 2), None);
        }
        assert_eq!(member_name(b"{\"origin\":1}", 2), None);
        assert_eq!(member_name(b"{\"Rrname\":1}", 2), None);
        assert_eq!(member_name(b"{\"", 2), None);
    }

    #[test]
    fn string_times_as_the_core_reader_takes_them() {
        let mut day = Day::default();
        let mut at = |t: &str, unit| string_time(t.as_bytes(), unit, &mut day);
        assert_eq!(at("2022-07-15 09:42:21", 1000), Some(1_657_878_141_000));
        // The same day again, from the cache; the unit is not a date's.
        assert_eq!(at("2022-07-15T09:42:22Z", 1), Some(1_657_878_142_000));
        assert_eq!(at("2022-07-15t23:59:60z", 1000), Some(1_657_929_600_000));
        assert_eq!(at("2000-02-29 00:00:00", 1000), Some(951_782_400_000));
        assert_eq!(at("1315586409", 1000), Some(1_315_586_409_000));
        assert_eq!(at("0001315586409", 1), Some(1_315_586_409));
        // Left to the core reader: it reads some (fractions, offsets, white space), and
        // refuses the others.
        for t in [
            "",
            "2022-02-30 00:00:00",
            "2022-07-15 24:00:00",
            "2022-07-15 09:60:00",
            "2022-07-15 09:42:61",
            "2022-07-15_09:42:21",
            "2022-07-15 09:42:21.250",
            "2022-07-15 09:42:21+02:00",
            "2022-07-15 09:42:21ZZ",
            "2022-7-15 09:42:21",
            "2022-07-15 09:42:2",
            " 1315586409",
            "1315586409Z",
            "+1315586409",
            "99999999999999999999",
            "9223372036854775807",
        ] {
            assert_eq!(at(t, 1000), None, "{t}");
        }
        // A refused date does not spoil the cache.
        assert_eq!(at("2022-07-15 00:00:00", 1000), Some(1_657_843_200_000));
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

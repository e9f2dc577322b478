//! The TSV written by the cuckoo-dnsdump reporting module, the original YAPDNS's bridge from
//! Cuckoo to its log shipper.
//!
//! Grammar, one record per line:
//!
//! ```text
//! line      = timestamp TAB domain TAB rtype TAB rdata
//! timestamp = epoch-seconds [ "." fraction ]            ; 1458130003.61
//!           / date "T" time [ "." fraction ] [ offset ] ; Python isoformat(): 2026-11-29T19:24:38.043900
//! rtype     = mnemonic / "TYPE" number / number
//! rdata     = text to the end of the line
//! ```
//!
//! The module writes `datetime.now().isoformat()` — the time the report was written, in the
//! sandbox's local zone without an offset — so the zone rule of [`ParseOptions`] applies and
//! the time is when the analysis was reported, not when the query was made. It writes one line
//! per request: the answer of the requested type if there is one, else the first answer. Behind
//! a CNAME chain that answer belongs to the chain's target, which the TSV does not name; YAPDNS
//! takes the line as written. SOA data is comma-joined (`ns.x,host.x,1,2,3,4,5`) and is read
//! as the usual space-separated form.

use chrono::{DateTime, NaiveDateTime};
use nom::bytes::complete::tag;
use nom::sequence::tuple;
use nom::IResult;
use yapdns_core::{
    normalize_name_in, normalize_rdata_in, AssociationView, RrType, SourceTag, Sources, Timestamp,
};

use crate::bytes::find_n;
use crate::error::{ErrorKind, ParseError};
use crate::formats::syslog_prefix::{Stamp, StampCache};
use crate::formats::FormatParser;
use crate::input::text;
use crate::options::ParseOptions;
use crate::record::{Emit, Outcome};

/// Parser state: the options, the source tag and buffers for text that needs normalising
/// (every line stands alone).
pub struct Parser {
    opts: ParseOptions,
    stamps: StampCache,
    /// The date, hour and minute (`YYYY-MM-DDTHH:MM`) of the last `isoformat()` time read,
    /// and that minute's instant: consecutive lines mostly share it.
    minute: Option<([u8; 16], Option<Timestamp>)>,
    sources: Sources,
    name_buf: String,
    rdata_buf: String,
    soa_buf: String,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            opts: opts.clone(),
            stamps: StampCache::default(),
            minute: None,
            sources: Sources::one(SourceTag::new("cuckoo-dnsdump", opts.sensor.as_deref())),
            name_buf: String::new(),
            rdata_buf: String::new(),
            soa_buf: String::new(),
        }
    }
}

/// One tab-terminated field, found with `memchr`; fields are cut at ASCII tabs, so each is
/// text when the line is.
fn field(i: &str) -> IResult<&str, &str> {
    match memchr::memchr(b'\t', i.as_bytes()) {
        Some(n) => Ok((&i[n..], &i[..n])),
        None => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::TakeTill1,
        ))),
    }
}

/// The four fields of a line: timestamp, domain, rtype, rdata.
type Fields<'a> = (&'a str, &'a str, &'a str, &'a str);

/// `timestamp TAB domain TAB rtype TAB rdata` (the last takes the rest, tabs included).
fn fields(i: &str) -> IResult<&str, Fields<'_>> {
    let (rdata, (ts, _, domain, _, rtype, _)) =
        tuple((field, tag("\t"), field, tag("\t"), field, tag("\t")))(i)?;
    Ok(("", (ts, domain, rtype, rdata)))
}

/// Reads epoch seconds, or an ISO 8601 time with or without an offset.
pub(crate) fn timestamp(s: &str, opts: &ParseOptions) -> Option<Timestamp> {
    let s = s.trim();
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return s.parse::<f64>().ok().and_then(Timestamp::from_secs_f64);
    }
    if let Some(t) = iso_fast(s, opts) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(Timestamp::from_millis(t.timestamp_millis()));
    }
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"))
        .ok()?;
    opts.local_time(naive)
}

/// `YYYY-MM-DD(T| )HH:MM:SS[.ffffff]` without an offset — what `isoformat()` and `str()` of a
/// Python datetime write — read without chrono's format-string interpreter, which dominated
/// the cost of a line. Anything else (offsets, other separators) falls through to the general
/// path.
fn iso_fast(s: &str, opts: &ParseOptions) -> Option<Timestamp> {
    iso_stamp(s.as_bytes())?.resolve(opts)
}

/// The fields of an `isoformat()` time without an offset; resolving them is left to the caller
/// (a parser resolves through its [`StampCache`]).
fn iso_stamp(b: &[u8]) -> Option<Stamp> {
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let digit = |i: usize| -> Option<u32> {
        let d = b.get(i)?.wrapping_sub(b'0');
        (d < 10).then_some(u32::from(d))
    };
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let (sec, milli) = seconds(b)?;
    let stamp = Stamp {
        year: Some((two(0)? * 100 + two(2)?) as i32),
        month: two(5)?,
        day: two(8)?,
        hour: two(11)?,
        min: two(14)?,
        sec,
        milli,
        offset: None,
    };
    Some(stamp)
}

/// `:SS[.ffffff]` from index 16 of an `isoformat()` time: the seconds and milliseconds.
fn seconds(b: &[u8]) -> Option<(u32, u32)> {
    let digit = |i: usize| -> Option<u32> {
        let d = b.get(i)?.wrapping_sub(b'0');
        (d < 10).then_some(u32::from(d))
    };
    if b.get(16) != Some(&b':') {
        return None;
    }
    let sec = digit(17)? * 10 + digit(18)?;
    // `isoformat()` never writes a leap second; chrono refuses one, and so does this path.
    if sec > 59 {
        return None;
    }
    let milli = match b.get(19) {
        None => 0,
        Some(b'.') => {
            let frac = b.get(20..)?;
            if frac.is_empty() || !frac.iter().all(u8::is_ascii_digit) {
                return None;
            }
            // Milliseconds: the first three digits, padded with zeros.
            let d = |k: usize| frac.get(k).map_or(0, |&c| u32::from(c - b'0'));
            d(0) * 100 + d(1) * 10 + d(2)
        }
        Some(_) => return None,
    };
    Some((sec, milli))
}

/// `seconds[.fff]` with at most three decimals, to milliseconds in integers: exactly what
/// the `f64` path of [`timestamp`] gives for such text (its rounding error is far below half a
/// millisecond), without parsing a float. Anything else is left to [`timestamp`].
fn epoch_millis(b: &[u8]) -> Option<i64> {
    let (secs, frac) = match memchr::memchr(b'.', b) {
        Some(dot) => (b.get(..dot)?, b.get(dot + 1..)?),
        None => (b, &b""[..]),
    };
    if secs.is_empty()
        || secs.len() > 12
        || frac.len() > 3
        || (frac.is_empty() && b.len() != secs.len())
    {
        return None;
    }
    let mut ms = 0i64;
    for &c in secs {
        if !c.is_ascii_digit() {
            return None;
        }
        ms = ms * 10 + i64::from(c - b'0');
    }
    let mut scale = 100;
    ms *= 1000;
    for &c in frac {
        if !c.is_ascii_digit() {
            return None;
        }
        ms += i64::from(c - b'0') * scale;
        scale /= 10;
    }
    Some(ms)
}

/// A record type as the module writes it (`A`, `AAAA`, `MX` …, from dnspython's names), the
/// common ones matched on their bytes.
fn rrtype(t: &[u8]) -> Result<RrType, yapdns_core::Error> {
    match common_rrtype(t) {
        Some(t) => Ok(t),
        None => text(t).parse(),
    }
}

/// The types the module writes most, from their bytes.
#[inline(always)]
fn common_rrtype(t: &[u8]) -> Option<RrType> {
    Some(match t {
        b"A" => RrType::A,
        b"AAAA" => RrType::Aaaa,
        b"CNAME" => RrType::CNAME,
        b"MX" => RrType::MX,
        b"NS" => RrType::NS,
        b"PTR" => RrType::PTR,
        b"TXT" => RrType::TXT,
        b"SOA" => RrType::SOA,
        b"SRV" => RrType::SRV,
        _ => return None,
    })
}

/// Where the first `N` tabs of `line` from `from` on are; `None` when there are fewer.
fn tabs<const N: usize>(line: &[u8], from: usize) -> Option<[usize; N]> {
    find_n::<N>(line.get(from..)?, b'\t').map(|t| t.map(|i| i + from))
}

impl FormatParser for Parser {
    fn line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        if let Some(done) = self.common_line(line, out) {
            return Ok(done);
        }
        self.any_line(line, n, out)
    }
}

impl Parser {
    /// A line that reads without a fault, from its bytes: the time stamp and type never become
    /// text, and only the part after the time stamp is checked as UTF-8. `None` for anything
    /// else (blank lines, other separators, bad fields, text that is not UTF-8), which
    /// [`Parser::any_line`] then reads whole and reports; nothing was emitted by then.
    fn common_line(&mut self, line: &[u8], out: &mut dyn Emit) -> Option<Outcome> {
        // Most lines carry an `isoformat()` time with microseconds in the minute of the line
        // before: 26 bytes without a tab, then the first tab.
        let in_minute = match line.get(26) {
            Some(b'\t') => line.get(..26).and_then(|ts| self.in_minute(ts)),
            _ => None,
        };
        let (t1, t2, t3, seen) = match in_minute {
            Some(seen) => {
                let [t2, t3] = tabs(line, 27)?;
                (26, t2, t3, seen)
            }
            None => {
                let [t1, t2, t3] = tabs(line, 0)?;
                let ts = line.get(..t1)?;
                // The two time forms are told apart by their bytes (a `-` after the year, or
                // digits and a dot), so trying `isoformat()` first reads the same as the
                // general order.
                let seen = match self.iso_time(ts) {
                    Some(t) => t?,
                    None => Timestamp::from_millis(epoch_millis(ts)?),
                };
                (t1, t2, t3, seen)
            }
        };
        // A time that reads is ASCII, and the tabs are: the line is UTF-8 when the rest is.
        let rest = std::str::from_utf8(line.get(t1 + 1..)?).ok()?;
        let domain = rest.get(..t2 - t1 - 1)?;
        let rdata = rest.get(t3 - t1..)?;
        let rrtype = match common_rrtype(line.get(t2 + 1..t3)?) {
            Some(t) => t,
            None => rrtype(line.get(t2 + 1..t3)?).ok()?,
        };
        let rdata: &str = if rrtype == RrType::SOA {
            // The comma-joined fields, space-separated (`split(',')` joined by spaces): one
            // byte for another, in a copy of the text (which stays UTF-8).
            let mut bytes = std::mem::take(&mut self.soa_buf).into_bytes();
            bytes.clear();
            bytes.extend_from_slice(rdata.as_bytes());
            for b in &mut bytes {
                // A select rather than a branch, so that many bytes change at once.
                *b = if *b == b',' { b' ' } else { *b };
            }
            self.soa_buf = String::from_utf8(bytes).ok()?;
            self.soa_buf.as_str()
        } else {
            rdata
        };
        let rrname = normalize_name_in(domain, &mut self.name_buf).ok()?;
        let rdata = normalize_rdata_in(rrtype, rdata, &mut self.rdata_buf).ok()?;
        out.association(AssociationView::one(
            rrname,
            rrtype,
            rdata,
            seen,
            &self.sources,
        ));
        Some(Outcome::Answer)
    }

    /// Any line, decoded as text first; every error is reported here.
    fn any_line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(Outcome::Skipped);
        }
        let bad_split = || {
            ParseError::new(
                n,
                ErrorKind::Syntax,
                "expected timestamp, domain, rtype and rdata separated by tabs",
            )
        };
        // Decoded once (UTF-8, else Windows-1252); fields are cut at ASCII tabs, so they are
        // text too.
        let line = text(line);
        let Ok((_, (ts, domain, rtype, rdata))) = fields(&line) else {
            // A line of other white space (a no-break space) is blank too.
            if line.trim().is_empty() {
                return Ok(Outcome::Skipped);
            }
            return Err(bad_split());
        };
        let seen = match epoch_millis(ts.as_bytes()) {
            Some(ms) => Some(Timestamp::from_millis(ms)),
            None => match self.iso_time(ts.as_bytes()) {
                Some(t) => t,
                None => timestamp(ts, &self.opts),
            },
        }
        .ok_or_else(|| ParseError::new(n, ErrorKind::Timestamp, format!("cannot read {ts:?}")))?;
        let core = |e| ParseError::from_core(n, e);
        let rrtype = rrtype(rtype.as_bytes()).map_err(core)?;
        let rdata: &str = if rrtype == RrType::SOA {
            self.soa_buf.clear();
            for (i, part) in rdata.split(',').enumerate() {
                if i > 0 {
                    self.soa_buf.push(' ');
                }
                self.soa_buf.push_str(part);
            }
            self.soa_buf.as_str()
        } else {
            rdata
        };
        let rrname = normalize_name_in(domain, &mut self.name_buf).map_err(core)?;
        let rdata = normalize_rdata_in(rrtype, rdata, &mut self.rdata_buf).map_err(core)?;
        out.association(AssociationView::one(
            rrname,
            rrtype,
            rdata,
            seen,
            &self.sources,
        ));
        Ok(Outcome::Answer)
    }

    /// The instant of a 26-byte `isoformat()` time (with microseconds) in the minute of the
    /// last one, as [`Parser::iso_time`] reads it; `None` for any other text.
    fn in_minute(&self, ts: &[u8]) -> Option<Timestamp> {
        let (key, base) = self.minute.as_ref()?;
        let base = (*base)?;
        if ts.len() != 26 || ts.get(..16)? != key || ts.get(16) != Some(&b':') {
            return None;
        }
        // `S.ffffff` (the second digit of the seconds, the dot and the microseconds) as one
        // word, the dot read as a zero so that one test says all the rest are digits.
        let w = u64::from_le_bytes(ts.get(18..26)?.try_into().ok()?);
        if (w >> 8) & 0xff != u64::from(b'.') {
            return None;
        }
        let w = (w & !0xff00) | 0x3000;
        const ZEROS: u64 = 0x3030_3030_3030_3030;
        const HIGH: u64 = 0xf0f0_f0f0_f0f0_f0f0;
        if w & HIGH != ZEROS || w.wrapping_add(0x0606_0606_0606_0606) & HIGH != ZEROS {
            return None;
        }
        let digit = |k: u32| ((w >> (8 * k)) & 0x0f) as i64;
        let tens = i64::from(ts.get(17)?.wrapping_sub(b'0'));
        let sec = tens * 10 + digit(0);
        if tens > 9 || sec > 59 {
            return None;
        }
        // Milliseconds; the microseconds are checked and dropped.
        let milli = digit(2) * 100 + digit(3) * 10 + digit(4);
        Some(Timestamp::from_millis(base.millis() + sec * 1000 + milli))
    }

    /// The instant of an `isoformat()` time, `None` when `ts` is not one. A time in the
    /// minute of the last one reads only its seconds.
    fn iso_time(&mut self, ts: &[u8]) -> Option<Option<Timestamp>> {
        if let (Some((key, base)), Some(head)) = (&self.minute, ts.get(..16)) {
            if head == key {
                let (sec, milli) = seconds(ts)?;
                return Some(base.map(|t| {
                    Timestamp::from_millis(t.millis() + i64::from(sec) * 1000 + i64::from(milli))
                }));
            }
        }
        let stamp = iso_stamp(ts)?;
        let key = <[u8; 16]>::try_from(ts.get(..16)?).ok()?;
        let base = self.stamps.resolve(
            Stamp {
                sec: 0,
                milli: 0,
                ..stamp
            },
            &self.opts,
        );
        self.minute = Some((key, base));
        Some(base.map(|t| {
            Timestamp::from_millis(
                t.millis() + i64::from(stamp.sec) * 1000 + i64::from(stamp.milli),
            )
        }))
    }
}

/// Certain when the first lines all have four tab-separated fields with a timestamp first and a
/// record type third.
pub fn sniff(sample: &str) -> u8 {
    let opts = ParseOptions::default();
    let mut seen = 0;
    for l in crate::format::first_lines(sample, 10) {
        match fields(l) {
            Ok((_, (ts, _, rt, _)))
                if timestamp(ts, &opts).is_some() && rt.parse::<RrType>().is_ok() =>
            {
                seen += 1
            }
            _ => return 0,
        }
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
    use crate::{parse_str, Format};

    #[test]
    fn epoch_and_iso_timestamps() {
        let (r, s) = parse_str(
            Format::CuckooDnsdump,
            "1458130003.61\twww.Google.com\tA\t216.58.220.36\n2026-11-29T19:24:38.043900\tgoogle.nl\tSOA\tns4.google.com,dns-admin.google.com,149128478,900,900,1800,60\n",
        );
        assert_eq!(s.associations, 2, "{s:?}");
        let Record::Association(a) = &r[0] else {
            panic!()
        };
        assert_eq!(
            (a.rrname.as_str(), a.first_seen.millis()),
            ("www.google.com", 1_458_130_003_610)
        );
        let Record::Association(b) = &r[1] else {
            panic!()
        };
        assert_eq!(
            b.rdata,
            "ns4.google.com dns-admin.google.com 149128478 900 900 1800 60"
        );
    }

    #[test]
    fn fast_iso_path_agrees_with_chrono() {
        let o = ParseOptions::default();
        for t in [
            "2026-11-29T19:24:38.043900",
            "2026-11-29T19:24:38",
            "2026-02-28T00:00:00.5",
            "2024-02-29T23:59:59.999999",
            "2026-11-29 19:24:38.043900",
            "2026-11-29 19:24:38",
        ] {
            let chrono = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
                .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f"))
                .unwrap();
            // Both keep milliseconds and drop the microseconds isoformat() writes.
            assert_eq!(iso_fast(t, &o), o.local_time(chrono), "{t}");
        }
        for bad in [
            "2026-13-01T00:00:00",
            "2026-11-29T25:00:00",
            "2026-11-29T19:24:38+01:00",
            "2026-11-29_19:24:38",
            "2026-11-29T19:24:38.",
        ] {
            assert!(iso_fast(bad, &o).is_none(), "{bad}");
        }
    }

    #[test]
    fn integer_epoch_path_agrees_with_the_float_one() {
        let o = ParseOptions::default();
        for t in [
            "1458130003.61",
            "1458130003",
            "0",
            "0.001",
            "1.5",
            "1458130003.999",
            "999999999999.999",
            "1458130003.",
            "1458130003.6105",
            ".5",
            "",
            "1e9",
            "1458130003.6x",
            "-1",
            "1458130003.61 ",
            "0001458130003.123",
        ] {
            let int = epoch_millis(t.as_bytes()).map(Timestamp::from_millis);
            if int.is_some() {
                assert_eq!(int, timestamp(t, &o), "{t}");
            }
        }
        assert!(epoch_millis(b"1458130003.6105").is_none());
        assert!(epoch_millis(b"1458130003.").is_none());
        assert!(epoch_millis(b"1458130003").is_some());
        // Every millisecond of a second, against the float path.
        for ms in 0..1000 {
            for t in [format!("1458130003.{ms:03}"), format!("7.{ms:03}")] {
                assert_eq!(
                    epoch_millis(t.as_bytes()).map(Timestamp::from_millis),
                    timestamp(&t, &o),
                    "{t}"
                );
            }
        }
    }

    #[test]
    fn times_in_a_cached_minute_read_as_each_alone() {
        let times = [
            "2026-11-29T19:24:38.043900",
            "2026-11-29T19:24:59.9999",
            "2026-11-29T19:24:60",
            "2026-11-29T19:24:05",
            "2026-11-29T19:24:5x",
            "2026-11-29T19:24:07.",
            "2026-11-29T19:25:00.1",
            "2026-02-30T19:25:00",
            "2026-02-30T19:25:01",
        ];
        let o = ParseOptions::default();
        let mut p = Parser::new(&o);
        for t in times {
            let mut out: Vec<Record> = Vec::new();
            let line = format!("{t}\ta.test\tA\t192.0.2.1");
            let got = p
                .line(line.as_bytes(), 1, &mut out)
                .ok()
                .map(|_| match &out[0] {
                    Record::Association(a) => a.first_seen,
                    Record::Name(_) => panic!(),
                });
            assert_eq!(got, timestamp(t, &o), "{t}");
        }
    }

    /// What one line gives: its outcome or error, and its records.
    fn through(
        read: impl FnOnce(&mut Parser, &mut Vec<Record>) -> Result<Outcome, ParseError>,
        p: &mut Parser,
    ) -> (Result<Outcome, ParseError>, Vec<Record>) {
        let mut out = Vec::new();
        let r = read(p, &mut out);
        (r, out)
    }

    #[test]
    fn common_lines_read_as_the_general_path_reads_them() {
        let lines = [
            "2026-11-29T19:24:38.076625\tstatic.programme-tv.net\tA\t90.84.55.48",
            "2026-11-29T19:24:38.068339\tgoogle.com\tAAAA\t2607:f8b0:400f:801::200e",
            "2026-11-29T19:24:38.043951\tgoogle.nl\tSOA\tns4.google.com,dns-admin.google.com,149128478,900,900,1800,60",
            "2026-11-29T19:24:38.043900\tgoogle.nl\tTXT\tv=spf1 -all",
            "2026-11-29T19:24:38\tWWW.Example.COM.\tMX\t10 Mx.Example.com.",
            "1458130003.61\twww.google.com\tCNAME\tedge.example.net",
            "1458130003\tb\u{fc}cher.test\tNS\tns.b\u{fc}cher.test",
        ];
        // Edits at every position: separators, digits, bytes of other encodings, line ends.
        let edits: [&[u8]; 12] = [
            b"\t",
            b" ",
            b"\r",
            b",",
            b".",
            b":",
            b"-",
            b"\xc3\xa9",
            b"\xff",
            b"A",
            b"0",
            b"",
        ];
        let o = ParseOptions::default();
        let (mut fast, mut general) = (Parser::new(&o), Parser::new(&o));
        let mut cases = 0;
        for l in lines {
            let l = l.as_bytes();
            let mut variants: Vec<Vec<u8>> =
                vec![l.to_vec(), [l, b"\r"].concat(), [l, b"\t"].concat()];
            for at in 0..l.len() {
                variants.push(l[..at].to_vec());
                for e in edits {
                    variants.push([&l[..at], e, &l[at + 1..]].concat());
                }
            }
            for v in variants {
                let a = through(|p, out| p.line(&v, 7, out), &mut fast);
                let b = through(|p, out| p.any_line(&v, 7, out), &mut general);
                assert_eq!(a, b, "{:?}", String::from_utf8_lossy(&v));
                cases += usize::from(a.0.is_ok() && !a.1.is_empty());
            }
        }
        // The edits leave many lines that still read, so the fast path is compared too.
        assert!(cases > 300, "{cases}");
    }

    #[test]
    fn bad_lines_are_typed() {
        let (_, s) = parse_str(
            Format::CuckooDnsdump,
            "x\ty\n1\tname\tBOGUS\t1.2.3.4\nnow\tname\tA\t1.2.3.4\n1\tname\tA\tnot-an-ip\n",
        );
        assert_eq!(s.errors["syntax"], 1);
        assert_eq!(s.errors["rrtype"], 1);
        assert_eq!(s.errors["timestamp"], 1);
        assert_eq!(s.errors["rdata"], 1);
    }
}

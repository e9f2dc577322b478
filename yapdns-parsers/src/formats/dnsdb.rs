//! dnsdbq's presentation output: the "dig-like" text (`-p text`, also `-p dns`, DNSDB API v1's
//! text export) and the CSV (`-p csv`), as `present_text_lookup()` and `present_csv_lookup()`
//! in dnsdbq's `pdns.c` write them. One format reads both, choosing per line: they are one
//! query's answer printed two ways. The JSON output (`-p json`, `-j`) is COF: read it with
//! the `cof` format.
//!
//! Text grammar (one block per COF record, a blank line after each):
//!
//! ```text
//! block     = [ rectimes ] [ zonetimes ] [ countline ] 1*rr-line blank-line
//! rectimes  = ";; record times: " time " .. " time [ " (" duration ")" ]
//! zonetimes = ";;   zone times: " time " .. " time [ " (" duration ")" ]
//! countline = ";; count: " 1*DIGIT [ "; bailiwick: " name ] / ";; bailiwick: " name
//! rr-line   = rrname 2SP rrtype 2SP rdata [ 2SP "; " asinfo ]   ; one per rdata of the rrset
//! time      = YYYY-MM-DD SP HH:MM:SS        ; DNSDBQ_TIME_FORMAT=csv (dnsdbq 2.6's default)
//!           / YYYY-MM-DD "T" HH:MM:SS "Z"   ; DNSDBQ_TIME_FORMAT=iso
//!           / "0"                           ; dnsdbq prints a zero time as 0
//! duration  = ns_format_ttl text ("1s", "~1d 1m", "~1y ~71d") or "?"
//! ```
//!
//! The `; asinfo` comment (`-a`) follows A and AAAA data only and is dropped. `--`/`++`
//! framing lines of batch mode (`-f`) and other `;` comment lines (the `num_results` of
//! `-V summarize`) are skipped; a summarize block has no rr lines and yields nothing.
//!
//! CSV grammar (`present_csv_line()`: fields are wrapped in quotes but never escaped, so
//! TXT data keeps its own quotes — `""v=spf1 -all""` — and may hold commas):
//!
//! ```text
//! header = "time_first,time_last,zone_first,zone_last,count,bailiwick,rrname,rrtype,rdata"
//!          [ ",asnum,cidr" ]
//! row    = [q-time] "," [q-time] "," [q-time] "," [q-time] "," [count] ","
//!          [q-name] "," q-name "," q-type "," q-rdata [ "," [q-text] "," [q-text] ]
//! q-x    = DQUOTE x DQUOTE          ; x written raw
//! ```
//!
//! The first eight fields hold no comma; the rest of the row is the rdata, less the two
//! `asnum,cidr` fields when the header announced them. The CSV of `-V summarize` (header
//! `…,count,num_results`) is skipped.
//!
//! Yields one association per rr line or row, with the block's count (default 1) and
//! bailiwick. Times: the record times (seen on the wire) when both are set and not 0, else the
//! zone times (seen in a zone file), as dnsdbq itself prefers them; an rr line with neither is
//! a `timestamp` error. dnsdbq prints UTC (`gmtime`), so the times are read as UTC whatever
//! [`ParseOptions::timezone`] says.
//!
//! What it cannot yield: names printed with `-T reverse` (TLD first) are read as written and
//! come out wrong; CSV written by another tool that doubles quotes (`"""v=spf1"""`) keeps the
//! doubled quotes; a record whose rdata dnsdbq printed as `[bad value]` (not a string in the
//! JSON) is an `rdata` error.

use yapdns_core::{normalize_name, RrType, Timestamp};

use crate::error::{ErrorKind, ParseError};
use crate::formats::FormatParser;
use crate::input::text;
use crate::options::ParseOptions;
use crate::record::{Emit, Outcome};
use crate::view_buf::ViewBuf;

/// The format's name in `sources`.
const NAME: &str = "dnsdb";

/// The header of `-p csv` lookups, without the `-a` columns.
const CSV_HEADER: &str =
    "time_first,time_last,zone_first,zone_last,count,bailiwick,rrname,rrtype,rdata";

/// The header of `-p csv` summaries.
const CSV_SUMMARY: &str = "time_first,time_last,zone_first,zone_last,count,num_results";

/// What the `;;` lines of the current text block said.
#[derive(Default)]
struct Block {
    record: Option<(i64, i64)>,
    zone: Option<(i64, i64)>,
    count: Option<u64>,
    bailiwick: Option<String>,
    /// An rr line was read: the next `;;` header starts a new block.
    has_rrs: bool,
}

/// Parser state: the source tag, the text block being read and what the CSV header said.
pub struct Parser {
    views: ViewBuf,
    block: Block,
    /// The CSV header had `,asnum,cidr`.
    csv_asinfo: bool,
    /// Inside the CSV of a summary.
    csv_summary: bool,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            views: ViewBuf::new(NAME, opts.sensor.as_deref()),
            block: Block::default(),
            csv_asinfo: false,
            csv_summary: false,
        }
    }

    fn text_header(&mut self, l: &str, n: u64) -> Result<Outcome, ParseError> {
        if self.block.has_rrs {
            self.block = Block::default();
        }
        let body = l.trim_start_matches(';').trim_start();
        let times = |rest: &str| {
            time_range(rest).ok_or_else(|| {
                ParseError::new(
                    n,
                    ErrorKind::Timestamp,
                    format!("cannot read times {rest:?}"),
                )
            })
        };
        if let Some(rest) = body.strip_prefix("record times:") {
            self.block.record = Some(times(rest)?);
        } else if let Some(rest) = body.strip_prefix("zone times:") {
            self.block.zone = Some(times(rest)?);
        } else if body.starts_with("count:") || body.starts_with("bailiwick:") {
            for part in body.split(';') {
                let part = part.trim();
                if let Some(c) = part.strip_prefix("count:") {
                    let c = c.trim();
                    self.block.count = Some(c.parse().map_err(|_| {
                        ParseError::new(n, ErrorKind::Syntax, format!("count {c:?} is no number"))
                    })?);
                } else if let Some(b) = part.strip_prefix("bailiwick:") {
                    self.block.bailiwick =
                        Some(normalize_name(b.trim()).map_err(|e| ParseError::from_core(n, e))?);
                }
            }
        }
        Ok(Outcome::Skipped)
    }

    /// The association of one record, seen `first`..`last`.
    #[allow(clippy::too_many_arguments)]
    fn build(
        &mut self,
        n: u64,
        rrname: &str,
        rrtype: &str,
        rdata: &str,
        (first, last): (i64, i64),
        count: Option<u64>,
        bailiwick: Option<String>,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        let core = |e| ParseError::from_core(n, e);
        let rrtype: RrType = rrtype.parse().map_err(core)?;
        let rdata = match rrtype {
            // The -a comment follows an address after two spaces.
            RrType::A | RrType::Aaaa => rdata.split_ascii_whitespace().next().unwrap_or(""),
            _ => rdata,
        };
        if rdata == "[bad value]" {
            return Err(ParseError::new(
                n,
                ErrorKind::Rdata,
                "dnsdbq printed [bad value]: the record's data was not a string",
            ));
        }
        if last < first {
            return Err(ParseError::new(
                n,
                ErrorKind::Timestamp,
                "the last time is before the first",
            ));
        }
        let mut a = self
            .views
            .view(rrname, rrtype, rdata, Timestamp::from_secs(first), n)?;
        a.last_seen = Timestamp::from_secs(last);
        a.count = count.unwrap_or(1).max(1);
        a.bailiwick = bailiwick.as_deref();
        out.association(a);
        Ok(Outcome::Answer)
    }

    fn text_rr(&mut self, l: &str, n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        self.block.has_rrs = true;
        let syntax = || {
            ParseError::new(
                n,
                ErrorKind::Syntax,
                "not an rr line (rrname, two spaces, rrtype, two spaces, rdata)",
            )
        };
        let (rrname, rest) = split2(l).ok_or_else(syntax)?;
        let (rrtype, rdata) = split2(rest).ok_or_else(syntax)?;
        let times = pick(self.block.record, self.block.zone).ok_or_else(|| {
            ParseError::new(
                n,
                ErrorKind::Timestamp,
                "no record or zone times before this record",
            )
        })?;
        self.build(
            n,
            rrname,
            rrtype,
            rdata,
            times,
            self.block.count,
            self.block.bailiwick.clone(),
            out,
        )
    }

    fn csv_row(&mut self, l: &str, n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        if self.csv_summary {
            return Ok(Outcome::Skipped);
        }
        let syntax = |why: &str| ParseError::new(n, ErrorKind::Syntax, why.to_string());
        let mut f = [""; 8];
        let mut rest = l;
        for slot in &mut f {
            let i = memchr::memchr(b',', rest.as_bytes())
                .ok_or_else(|| syntax("fewer than nine comma-separated fields"))?;
            // A comma is ASCII: both sides are on character boundaries.
            *slot = rest.get(..i).unwrap_or_default();
            rest = rest.get(i + 1..).unwrap_or_default();
        }
        if self.csv_asinfo {
            for _ in 0..2 {
                rest = rest
                    .rsplit_once(',')
                    .map(|(a, _)| a)
                    .ok_or_else(|| syntax("the asnum and cidr fields are missing"))?;
            }
        }
        let time = |s: &str| -> Result<Option<i64>, ParseError> {
            let s = unq(s);
            if s.is_empty() || s == "0" {
                return Ok(None);
            }
            parse_time(s).map(Some).ok_or_else(|| {
                ParseError::new(n, ErrorKind::Timestamp, format!("cannot read time {s:?}"))
            })
        };
        let pair = |a: Option<i64>, b: Option<i64>| a.zip(b).or(a.map(|a| (a, a)));
        let record = pair(time(f[0])?, time(f[1])?);
        let zone = pair(time(f[2])?, time(f[3])?);
        let times = pick(record, zone)
            .ok_or_else(|| ParseError::new(n, ErrorKind::Timestamp, "no record or zone times"))?;
        let count = match f[4] {
            "" => None,
            c => Some(
                c.parse()
                    .map_err(|_| syntax(&format!("count {c:?} is no number")))?,
            ),
        };
        let bailiwick = match unq(f[5]) {
            "" => None,
            b => Some(normalize_name(b).map_err(|e| ParseError::from_core(n, e))?),
        };
        if rest.len() < 2 || !rest.starts_with('"') || !rest.ends_with('"') {
            return Err(syntax("the rdata field is not quoted"));
        }
        self.build(
            n,
            unq(f[6]),
            unq(f[7]),
            unq(rest),
            times,
            count,
            bailiwick,
            out,
        )
    }
}

/// `s` cut at its first two spaces (dnsdbq's field separator).
fn split2(s: &str) -> Option<(&str, &str)> {
    let i = memchr::memmem::find(s.as_bytes(), b"  ")?;
    Some((s.get(..i)?, s.get(i + 2..)?))
}

/// `s` without one pair of surrounding quotes.
fn unq(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

/// The wire times when both are set and not 0 (a zero time is printed as `0` and read as
/// absent), else the zone times.
fn pick(record: Option<(i64, i64)>, zone: Option<(i64, i64)>) -> Option<(i64, i64)> {
    record.filter(|(a, b)| *a != 0 && *b != 0).or(zone)
}

/// `time .. time [(duration)]`; a `0` side is 0.
fn time_range(s: &str) -> Option<(i64, i64)> {
    let (a, b) = s.split_once(" .. ")?;
    let b = b.trim();
    let b = match b.find(" (") {
        Some(i) if b.ends_with(')') => &b[..i],
        _ => b,
    };
    let t = |s: &str| match s.trim() {
        "0" => Some(0),
        s => parse_time(s),
    };
    Some((t(a)?, t(b)?))
}

/// `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SSZ`, UTC, to epoch seconds.
fn parse_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let iso = match b.len() {
        19 => false,
        20 if b[19] == b'Z' => true,
        _ => return None,
    };
    if b[4] != b'-' || b[7] != b'-' || b[10] != if iso { b'T' } else { b' ' } {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let d = b.get(r)?;
        d.iter().try_fold(0u32, |a, c| {
            c.is_ascii_digit().then(|| a * 10 + u32::from(c - b'0'))
        })
    };
    let date = chrono::NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let dt = date.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
    Some(dt.and_utc().timestamp())
}

impl FormatParser for Parser {
    fn line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let line = text(line);
        let l = line.trim_end();
        if l.trim_start().is_empty() {
            self.block = Block::default();
            return Ok(Outcome::Skipped);
        }
        match l.as_bytes()[0] {
            b';' => self.text_header(l, n),
            b'"' | b',' => self.csv_row(l, n, out),
            _ if l.starts_with("time_first,") => {
                self.csv_summary = l == CSV_SUMMARY;
                self.csv_asinfo = l.ends_with(",asnum,cidr");
                Ok(Outcome::Skipped)
            }
            _ if l.starts_with("--") || l.starts_with("++") => {
                self.block = Block::default();
                Ok(Outcome::Skipped)
            }
            _ => self.text_rr(l, n, out),
        }
    }
}

/// Certain for dnsdbq's CSV header, or for text whose first lines include a `;; record
/// times:` or `;;   zone times:` header and whose other lines read as dnsdbq's.
pub fn sniff(sample: &str) -> u8 {
    let mut lines = crate::format::first_lines(sample, 12).peekable();
    match lines.peek() {
        Some(l) if l.starts_with(CSV_HEADER) || *l == CSV_SUMMARY => return 100,
        None => return 0,
        _ => {}
    }
    let mut header = false;
    let mut p = Parser::new(&ParseOptions::default());
    let mut out = Vec::new();
    for (i, l) in lines.enumerate() {
        let t = l.trim_start_matches(';').trim_start();
        if l.starts_with(";;") && (t.starts_with("record times:") || t.starts_with("zone times:")) {
            header = true;
        }
        if l.starts_with('"') || l.starts_with(',') {
            return 0;
        }
        if p.line(l.as_bytes(), i as u64 + 1, &mut out).is_err() {
            return 0;
        }
    }
    if header && !out.is_empty() {
        95
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;
    use crate::{parse_str, Format, Stats};
    use yapdns_core::Association;

    fn run(input: &str) -> (Vec<Association>, Stats) {
        let (r, s) = parse_str(Format::Dnsdb, input);
        let a = r
            .into_iter()
            .filter_map(|r| match r {
                Record::Association(a) => Some(a),
                Record::Name(_) => None,
            })
            .collect();
        (a, s)
    }

    fn rows(a: &[Association]) -> Vec<(String, String, i64, i64, u64, Option<String>)> {
        a.iter()
            .map(|a| {
                (
                    a.rrname.clone(),
                    a.rdata.clone(),
                    a.first_seen.secs(),
                    a.last_seen.secs(),
                    a.count,
                    a.bailiwick.clone(),
                )
            })
            .collect()
    }

    /// `dnsdbq -J hand.ndjson -p text` (dnsdbq 2.6.4) over four COF records written for this
    /// test: zone times only, both times, no count, bailiwick without count.
    const TEXT: &str = r#";;   zone times: 2010-01-01 00:00:00 .. 2011-03-13 07:06:40 (~1y ~71d)
;; count: 7; bailiwick: com.
example.com.  NS  a.iana-servers.net.
example.com.  NS  b.iana-servers.net.

;; record times: 2010-01-01 00:00:00 .. 2010-01-02 00:01:01 (~1d 1m)
;;   zone times: 2010-01-01 00:00:00 .. 2010-01-01 00:00:00 (0s)
;; count: 3; bailiwick: example.com.
example.com.  TXT  "v=spf1 -all"
example.com.  TXT  "a, b" "c"

;; record times: 2010-01-01 00:00:00 .. 2010-01-01 00:00:00 (1s)
example.com.  MX  10 mail.example.com.

;; record times: 2010-01-01 00:00:00 .. 2011-01-01 00:00:00 (~1y)
;; bailiwick: example.com.
example.com.  SOA  ns.example.com. hostmaster.example.com. 2010010101 3600 900 604800 86400

"#;

    /// The same records through `-p csv`.
    const CSV: &str = r#"time_first,time_last,zone_first,zone_last,count,bailiwick,rrname,rrtype,rdata
,,"2010-01-01 00:00:00","2011-03-13 07:06:40",7,"com.","example.com.","NS","a.iana-servers.net."
,,"2010-01-01 00:00:00","2011-03-13 07:06:40",7,"com.","example.com.","NS","b.iana-servers.net."
"2010-01-01 00:00:00","2010-01-02 00:01:01","2010-01-01 00:00:00","2010-01-01 00:00:00",3,"example.com.","example.com.","TXT",""v=spf1 -all""
"2010-01-01 00:00:00","2010-01-02 00:01:01","2010-01-01 00:00:00","2010-01-01 00:00:00",3,"example.com.","example.com.","TXT",""a, b" "c""
"2010-01-01 00:00:00","2010-01-01 00:00:00",,,,,"example.com.","MX","10 mail.example.com."
"2010-01-01 00:00:00","2011-01-01 00:00:00",,,,"example.com.","example.com.","SOA","ns.example.com. hostmaster.example.com. 2010010101 3600 900 604800 86400"
"#;

    #[test]
    fn text_and_csv_of_the_same_records_agree() {
        let (t, st) = run(TEXT);
        let (c, sc) = run(CSV);
        assert_eq!(
            (st.error_count(), sc.error_count()),
            (0, 0),
            "{st:?} {sc:?}"
        );
        assert_eq!(rows(&t), rows(&c));
        let r = rows(&t);
        assert_eq!(r.len(), 6);
        let y2010 = 1_262_304_000;
        assert_eq!(
            r[0],
            (
                "example.com".into(),
                "a.iana-servers.net".into(),
                y2010,
                1_300_000_000,
                7,
                Some("com".into())
            )
        );
        // Record times win over zone times.
        assert_eq!((r[2].2, r[2].3, r[2].4), (y2010, 1_262_390_461, 3));
        assert_eq!(r[3].1, "\"a, b\" \"c\"");
        assert_eq!((r[4].1.as_str(), r[4].4), ("10 mail.example.com", 1));
        assert_eq!(r[5].5.as_deref(), Some("example.com"));
    }

    #[test]
    fn iso_times_asinfo_and_batch_framing() {
        let (a, s) = run(concat!(
            "++ rrset/name/google.com\n",
            ";; record times: 2020-07-08T08:41:46Z .. 2020-07-08T08:41:46Z (1s)\n",
            ";; count: 2; bailiwick: .\n",
            "google.com.  A  64.233.161.100  ; AS15169 64.233.160.0/19\n",
            "\n",
            "-- NOERROR (no error)\n",
            "time_first,time_last,zone_first,zone_last,count,bailiwick,rrname,rrtype,rdata,asnum,cidr\n",
            "\"2020-07-08T08:41:46Z\",\"2020-07-08T08:41:46Z\",,,2,\".\",\"google.com.\",\"A\",\"64.233.161.100\",\"15169\",\"64.233.160.0/19\"\n",
        ));
        assert_eq!(s.error_count(), 0, "{s:?}");
        assert_eq!(rows(&a)[0], rows(&a)[1]);
        assert_eq!(
            rows(&a)[0],
            (
                "google.com".into(),
                "64.233.161.100".into(),
                1_594_197_706,
                1_594_197_706,
                2,
                Some(".".into())
            )
        );
    }

    #[test]
    fn summaries_yield_nothing_and_bad_lines_are_typed() {
        let (a, s) = run(concat!(
            ";; record times: 2020-07-08 08:41:46 .. 2020-07-08 08:41:46\n",
            ";; count: 2; num_results: 1\n",
            "\n",
            "time_first,time_last,zone_first,zone_last,count,num_results\n",
            "\"2020-07-08 08:41:46\",\"2020-07-08 08:41:46\",,,2,1\n",
        ));
        assert_eq!((a.len(), s.error_count()), (0, 0), "{s:?}");
        let (a, s) = run(concat!(
            "x.test.  A  192.0.2.1\n",
            ";; record times: yesterday .. today\n",
            ";; record times: 2020-07-08 08:41:46 .. 2020-07-08 08:41:46 (1s)\n",
            "x.test. A 192.0.2.1\n",
            "x.test.  BOGUS  192.0.2.1\n",
            "x.test.  A  example.com.\n",
            "x.test.  TXT  [bad value]\n",
            "time_first,time_last,zone_first,zone_last,count,bailiwick,rrname,rrtype,rdata\n",
            "\"2020-07-08 08:41:46\",,,,1,,\"x.test.\",\"A\",192.0.2.1\n",
            "\"2020-07-08 08:41:46\",,,\n",
        ));
        assert_eq!(a.len(), 0);
        assert_eq!(s.errors["timestamp"], 2, "{s:?}");
        assert_eq!(s.errors["syntax"], 3, "{s:?}");
        assert_eq!(s.errors["rrtype"], 1);
        assert_eq!(s.errors["rdata"], 2);
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff(TEXT), 95);
        assert_eq!(sniff(CSV), 100);
        // A zone file is not dnsdbq text.
        assert_eq!(sniff("example.com.  NS  a.iana-servers.net.\n"), 0);
        assert_eq!(sniff("; comment\nexample.com. 300 IN A 192.0.2.1\n"), 0);
    }
}

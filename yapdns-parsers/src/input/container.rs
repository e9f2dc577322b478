//! Container runtimes' log files: the lines a DNS server in a container wrote, unwrapped.
//!
//! BIND, Unbound, dnsmasq, PowerDNS Recursor and Squid run in containers log to their stdout
//! and stderr, and the runtime stores each line in a record of its own:
//!
//! ```text
//! docker  = "{" %s"\"log\":" json-string "," %s"\"stream\":" stream [ ",\"attrs\":" object ]
//!           "," %s"\"time\":\"" rfc3339 "\"}"          ; Docker's json-file driver
//! cri     = rfc3339 SP stream SP tag SP content          ; containerd, CRI-O (Kubernetes)
//! stream  = "stdout" / "stderr"
//! tag     = ( "F" / "P" ) *( ":" 1*VCHAR )               ; P: continued in the next record
//! rfc3339 = date "T" time [ "." 1*9DIGIT ] ( "Z" / ( "+" / "-" ) HH ":" MM )
//! ```
//!
//! Docker's `log` is the line with its `\n`; a line over 16 KiB is split into records of
//! which only the last ends in `\n`. CRI's `content` has no newline, and a split line's pieces
//! but the last are tagged `P`. The pieces of a split line are joined per stream (stdout and
//! stderr are interleaved in one file), and the parsers see the program's lines in the
//! file's order, numbered by the record that holds them, or that starts them when split.
//!
//! A wrapped file is told by its first line, which must be a whole, valid record: a log line
//! that only starts with `{` or a time stamp is never taken for one. After that, a line that
//! is not a valid record is an error of its line, counted like any bad line.
//!
//! The log services of process supervisors wrap a program's lines too, in a stamp of their
//! own: daemontools' `multilog t`, s6-log's `t` and runit's `svlogd -t` put a TAI64N label
//! before each line, and `svlogd -tt` a UTC time. That is the "daemontools situation" dnsmasq
//! leaves its own stamp out for (in the foreground, logging to stderr):
//!
//! ```text
//! tai64n  = "@" 24HEXDIG SP content    ; 2^62 + 10 + Unix seconds (16 digits), nanoseconds (8)
//! svlogd  = date "_" HH ":" MM ":" SS [ "." 1*9DIGIT ] SP content   ; UTC
//! ```
//!
//! systemd's journal, exported by `journalctl -o json` (one object per line), holds each
//! message with its program's name and process id apart: the line is rebuilt as journalctl
//! prints it (`dnsmasq[1234]: query[A] …`), dated by `__REALTIME_TIMESTAMP` (microseconds).
//!
//! Each record's time goes to the format's parser ([`FormatParser::wrapper_time`]), which
//! takes it for a line written without a time of its own.

use std::borrow::Cow;

use serde::Deserialize;
use yapdns_core::{days_from_civil, Timestamp};

use crate::error::{ErrorKind, ParseError};
use crate::formats::{line_by_line, too_long, FormatParser, LineTally};
use crate::input::{for_each_line, strip_cr};
use crate::record::{Emit, Outcome};

/// The container runtime's log format a file's lines are wrapped in.
///
/// ```
/// use yapdns_parsers::Wrapper;
/// let docker = br#"{"log":"unbound[1:0] info: 127.0.0.1 www.example.com. A IN\n","stream":"stderr","time":"2024-01-20T13:48:31.555661554Z"}"#;
/// assert_eq!(Wrapper::detect(docker), Some(Wrapper::DockerJson));
/// let cri = b"2016-10-06T00:17:09.669794202Z stdout F 1795979771.210 4 127.0.50.1 TCP_MISS/200";
/// assert_eq!(Wrapper::detect(cri), Some(Wrapper::Cri));
/// // A program's own JSON or time-stamped line is no wrapper.
/// assert_eq!(Wrapper::detect(br#"{"log":"x"}"#), None);
/// assert_eq!(Wrapper::detect(b"2016-10-06T00:17:09Z named[1]: client 192.0.2.1#53"), None);
/// // A supervisor's log service's stamp.
/// let multilog = b"@400000006929c6a30c6f1e34 dnsmasq[1]: query[A] example.com from 127.0.0.1";
/// assert_eq!(Wrapper::detect(multilog), Some(Wrapper::Tai64n));
/// let svlogd = b"2026-11-28_15:56:25.20812 dnsmasq[1]: query[A] example.com from 127.0.0.1";
/// assert_eq!(Wrapper::detect(svlogd), Some(Wrapper::SvlogdUtc));
/// // systemd's journal as `journalctl -o json` exports it.
/// let journal = br#"{"__REALTIME_TIMESTAMP":"1764345600500000","SYSLOG_IDENTIFIER":"dnsmasq","_PID":"712","MESSAGE":"query[A] example.com from 127.0.0.1"}"#;
/// assert_eq!(Wrapper::detect(journal), Some(Wrapper::JournalJson));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Wrapper {
    /// Docker's `json-file` log driver (`/var/lib/docker/containers/<id>/<id>-json.log`).
    DockerJson,
    /// The CRI log format of containerd and CRI-O (`/var/log/pods/…/*.log`).
    Cri,
    /// A TAI64N label before each line: daemontools' `multilog t`, s6-log's `t`, runit's
    /// `svlogd -t` (`/var/log/<service>/current`).
    Tai64n,
    /// runit's (and BusyBox's) `svlogd -tt`: a UTC time, date and time joined by `_`.
    SvlogdUtc,
    /// systemd's journal exported by `journalctl -o json`.
    JournalJson,
}

/// Which of a container's output streams a record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Stdout = 0,
    Stderr = 1,
}

/// One record of a wrapped file: a whole line or a piece of one.
#[derive(Debug)]
struct Piece<'a> {
    stream: Stream,
    /// The program's text, without the newline that ends a line.
    text: Cow<'a, [u8]>,
    /// True when the record ends the program's line.
    last: bool,
    /// When the runtime stored the record.
    time: Timestamp,
}

/// What a bad record is: an error kind and why.
type Bad = (ErrorKind, &'static str);

/// A Docker record as serde reads it; `attrs` and other keys are passed over.
#[derive(Deserialize)]
struct DockerRecord<'a> {
    /// Docker leaves the key out for an empty message.
    #[serde(default, borrow)]
    log: Cow<'a, str>,
    #[serde(borrow)]
    stream: Cow<'a, str>,
    #[serde(borrow)]
    time: Cow<'a, str>,
}

impl Wrapper {
    /// Every wrapper, in the order detection tries them.
    pub const ALL: &'static [Wrapper] = &[
        Wrapper::DockerJson,
        Wrapper::Cri,
        Wrapper::Tai64n,
        Wrapper::SvlogdUtc,
        Wrapper::JournalJson,
    ];

    /// The name YAPDNS reports the wrapper by.
    pub fn name(self) -> &'static str {
        match self {
            Wrapper::DockerJson => "docker-json-file",
            Wrapper::Cri => "cri",
            Wrapper::Tai64n => "tai64n",
            Wrapper::SvlogdUtc => "svlogd-utc",
            Wrapper::JournalJson => "journal-json",
        }
    }

    /// The wrapper of an input whose (decoded) first bytes are `head`: its first line must be
    /// a whole valid record, so a file is only ever unwrapped on the runtime's own syntax.
    /// `None` for anything else, an empty input, or a first line cut short in `head`.
    pub fn detect(head: &[u8]) -> Option<Wrapper> {
        let first = match memchr::memchr(b'\n', head) {
            Some(i) => head.get(..i)?,
            None => head,
        };
        let first = strip_cr(first);
        let candidates: &[Wrapper] = match first.first()? {
            b'{' => &[Wrapper::DockerJson, Wrapper::JournalJson],
            b'@' => &[Wrapper::Tai64n],
            b'0'..=b'9' if first.get(10) == Some(&b'_') => &[Wrapper::SvlogdUtc],
            b'0'..=b'9' => &[Wrapper::Cri],
            _ => return None,
        };
        candidates.iter().copied().find(|w| w.piece(first).is_ok())
    }

    /// The program's text of a wrapped sample, for format detection: every line the records of
    /// `head` complete, in order, each ending in `\n`. Bad records and a line still open at
    /// the end of the sample are left out.
    pub fn unwrap_sample(self, head: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(head.len());
        let mut open: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
        let mut take = |raw: &[u8]| {
            let Ok(p) = self.piece(strip_cr(raw)) else {
                return;
            };
            let buf = &mut open[p.stream as usize];
            buf.extend_from_slice(&p.text);
            if p.last {
                out.extend_from_slice(strip_cr(buf));
                out.push(b'\n');
                buf.clear();
            }
        };
        let (lines, tail) = split_tail(head);
        for_each_line(lines, &mut take);
        // The last record of a whole short file may lack its newline; a sample cut short
        // ends in a piece of a record.
        if head.len() < crate::DETECT_BYTES {
            take(tail);
        }
        out
    }

    /// One record, read strictly.
    fn piece(self, raw: &[u8]) -> Result<Piece<'_>, Bad> {
        match self {
            Wrapper::DockerJson => docker_piece(raw),
            Wrapper::Cri => cri_piece(raw),
            Wrapper::Tai64n => tai64n_piece(raw),
            Wrapper::SvlogdUtc => svlogd_piece(raw),
            Wrapper::JournalJson => journal_piece(raw),
        }
    }
}

impl std::fmt::Display for Wrapper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

fn stream_of(s: &[u8]) -> Result<Stream, Bad> {
    match s {
        b"stdout" => Ok(Stream::Stdout),
        b"stderr" => Ok(Stream::Stderr),
        _ => Err((ErrorKind::Syntax, "stream is neither stdout nor stderr")),
    }
}

fn docker_piece(raw: &[u8]) -> Result<Piece<'_>, Bad> {
    // Docker writes an object of string keys; the check spares serde other files' lines.
    if !raw.starts_with(b"{\"") {
        return Err((ErrorKind::Json, "not a Docker json-file record"));
    }
    let rec: DockerRecord<'_> = serde_json::from_slice(raw).map_err(|_| {
        (
            ErrorKind::Json,
            "not a Docker json-file record (log, stream and time)",
        )
    })?;
    let stream = stream_of(rec.stream.as_bytes())?;
    let time = rfc3339(rec.time.as_bytes())
        .ok_or((ErrorKind::Timestamp, "the record's time is not RFC 3339"))?;
    let (text, last): (Cow<'_, [u8]>, bool) = match rec.log {
        Cow::Borrowed(s) => match s.strip_suffix('\n') {
            Some(t) => (Cow::Borrowed(t.as_bytes()), true),
            None => (Cow::Borrowed(s.as_bytes()), false),
        },
        Cow::Owned(mut s) => {
            let last = s.ends_with('\n');
            if last {
                s.pop();
            }
            (Cow::Owned(s.into_bytes()), last)
        }
    };
    // Docker cuts the output at every newline, so one can only end a record.
    if memchr::memchr(b'\n', &text).is_some() {
        return Err((ErrorKind::Syntax, "a line break inside a Docker log record"));
    }
    Ok(Piece {
        stream,
        text,
        last,
        time,
    })
}

fn cri_piece(raw: &[u8]) -> Result<Piece<'_>, Bad> {
    let mut fields = raw.splitn(4, |&c| c == b' ');
    let (Some(time), Some(stream), Some(tag), Some(content)) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err((
            ErrorKind::Syntax,
            "not a CRI log record (time stream tag text)",
        ));
    };
    let time = rfc3339(time).ok_or((ErrorKind::Timestamp, "the record's time is not RFC 3339"))?;
    let stream = stream_of(stream)?;
    // Tags are `:`-separated; the first says whether the line ends here.
    let last = match tag.split(|&c| c == b':').next() {
        Some(b"F") => true,
        Some(b"P") => false,
        _ => return Err((ErrorKind::Syntax, "CRI tag is neither F nor P")),
    };
    Ok(Piece {
        stream,
        text: Cow::Borrowed(content),
        last,
        time,
    })
}

/// A journal entry as `journalctl -o json` writes it; other fields are passed over. Values are
/// strings, but for a message that is not UTF-8 (an array of its bytes) and a field given more
/// than once (an array of its values).
#[derive(Deserialize)]
struct JournalRecord<'a> {
    #[serde(rename = "__REALTIME_TIMESTAMP", borrow)]
    realtime: Cow<'a, str>,
    #[serde(rename = "MESSAGE", default)]
    message: Option<serde_json::Value>,
    #[serde(rename = "SYSLOG_IDENTIFIER", default)]
    identifier: Option<serde_json::Value>,
    #[serde(rename = "_COMM", default)]
    comm: Option<serde_json::Value>,
    #[serde(rename = "_PID", default)]
    pid: Option<serde_json::Value>,
    #[serde(rename = "SYSLOG_PID", default)]
    syslog_pid: Option<serde_json::Value>,
}

/// The bytes of a journal field's value: a string, an array of bytes, or the first of several
/// values.
fn journal_bytes(v: &serde_json::Value) -> Option<Vec<u8>> {
    match v {
        serde_json::Value::String(s) => Some(s.as_bytes().to_vec()),
        serde_json::Value::Array(items) => match items.first()? {
            serde_json::Value::Number(_) => items
                .iter()
                .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                .collect(),
            first => journal_bytes(first),
        },
        _ => None,
    }
}

fn journal_piece(raw: &[u8]) -> Result<Piece<'_>, Bad> {
    const BAD: Bad = (
        ErrorKind::Json,
        "not a journal entry of journalctl -o json (__REALTIME_TIMESTAMP and MESSAGE)",
    );
    if !raw.starts_with(b"{\"") {
        return Err(BAD);
    }
    let rec: JournalRecord<'_> = serde_json::from_slice(raw).map_err(|_| BAD)?;
    let micros: i64 = Some(rec.realtime.as_ref())
        .filter(|t| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()))
        .and_then(|t| t.parse().ok())
        .ok_or((
            ErrorKind::Timestamp,
            "__REALTIME_TIMESTAMP is not microseconds",
        ))?;
    let message = rec.message.as_ref().ok_or(BAD)?;
    let message = journal_bytes(message).unwrap_or_default();
    // As journalctl prints a message: `IDENTIFIER[PID]: MESSAGE`, the name and process id
    // the program gave syslog when it did, else the kernel's.
    let name = [&rec.identifier, &rec.comm]
        .into_iter()
        .find_map(|v| v.as_ref().and_then(journal_bytes));
    let pid = [&rec.pid, &rec.syslog_pid]
        .into_iter()
        .find_map(|v| v.as_ref().and_then(journal_bytes));
    let mut text = Vec::with_capacity(message.len() + 32);
    if let Some(name) = name {
        text.extend_from_slice(&name);
        if let Some(pid) = pid {
            text.push(b'[');
            text.extend_from_slice(&pid);
            text.push(b']');
        }
        text.extend_from_slice(b": ");
    }
    text.extend_from_slice(&message);
    // A message of several lines is one entry: its first line is the program's line.
    if let Some(nl) = memchr::memchr(b'\n', &text) {
        text.truncate(nl);
    }
    Ok(Piece {
        stream: Stream::Stdout,
        text: Cow::Owned(text),
        last: true,
        time: Timestamp::from_millis(micros / 1000),
    })
}

/// The line after a supervisor's stamp: one space, then the program's text (a line of its own,
/// since the log service stamps each line it reads).
fn stamped_piece(content: &[u8], time: Timestamp) -> Piece<'_> {
    Piece {
        stream: Stream::Stdout,
        text: Cow::Borrowed(content),
        last: true,
        time,
    }
}

fn tai64n_piece(raw: &[u8]) -> Result<Piece<'_>, Bad> {
    const BAD: Bad = (
        ErrorKind::Timestamp,
        "not a TAI64N label (@ and 24 hex digits)",
    );
    let (label, content) = raw
        .strip_prefix(b"@")
        .and_then(|r| r.split_at_checked(24))
        .ok_or(BAD)?;
    let content = content.strip_prefix(b" ").ok_or(BAD)?;
    let hex = |b: &[u8]| {
        std::str::from_utf8(b)
            .ok()
            .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
            .and_then(|h| u64::from_str_radix(h, 16).ok())
    };
    let (secs, nanos) = (hex(&label[..16]).ok_or(BAD)?, hex(&label[16..]).ok_or(BAD)?);
    // TAI64 labels count from 2^62, ten seconds ahead of Unix time (libtai's `tai_unix`).
    const UNIX: u64 = (1 << 62) + 10;
    let unix = secs
        .checked_sub(UNIX)
        .and_then(|s| i64::try_from(s).ok())
        .filter(|_| nanos < 1_000_000_000)
        .ok_or((ErrorKind::Timestamp, "TAI64N label out of range"))?;
    let millis = unix
        .checked_mul(1000)
        .and_then(|ms| ms.checked_add((nanos / 1_000_000) as i64))
        .ok_or((ErrorKind::Timestamp, "TAI64N label out of range"))?;
    Ok(stamped_piece(content, Timestamp::from_millis(millis)))
}

fn svlogd_piece(raw: &[u8]) -> Result<Piece<'_>, Bad> {
    const BAD: Bad = (
        ErrorKind::Timestamp,
        "not an svlogd -tt time (YYYY-MM-DD_HH:MM:SS)",
    );
    let space = memchr::memchr(b' ', raw).ok_or(BAD)?;
    let (stamp, content) = (&raw[..space], &raw[space + 1..]);
    if stamp.get(10) != Some(&b'_') {
        return Err(BAD);
    }
    // The stamp is RFC 3339 in UTC but for its `_` and missing `Z`.
    let mut iso = Vec::with_capacity(stamp.len() + 1);
    iso.extend_from_slice(stamp);
    iso[10] = b'T';
    iso.push(b'Z');
    let time = rfc3339(&iso).ok_or(BAD)?;
    Ok(stamped_piece(content, time))
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, as Go's `time.RFC3339Nano` writes it (the
/// runtimes' time), with fields in range: the instant, to the millisecond (a leap second is
/// read as the next second).
fn rfc3339(s: &[u8]) -> Option<Timestamp> {
    fn num(s: &[u8], at: usize, max: u32) -> Option<u32> {
        match s.get(at..at + 2) {
            Some([a, b]) if a.is_ascii_digit() && b.is_ascii_digit() => {
                Some(u32::from(a - b'0') * 10 + u32::from(b - b'0')).filter(|&v| v <= max)
            }
            _ => None,
        }
    }
    fn at(s: &[u8], i: usize, c: u8) -> Option<()> {
        (s.get(i) == Some(&c)).then_some(())
    }
    let year = std::str::from_utf8(s.get(..4)?)
        .ok()
        .filter(|y| y.bytes().all(|c| c.is_ascii_digit()))?
        .parse::<i64>()
        .ok()?;
    at(s, 4, b'-')?;
    let month = num(s, 5, 12)?;
    at(s, 7, b'-')?;
    let day = num(s, 8, 31)?;
    at(s, 10, b'T')?;
    let hour = num(s, 11, 23)?;
    at(s, 13, b':')?;
    let min = num(s, 14, 59)?;
    at(s, 16, b':')?;
    let sec = num(s, 17, 60)?;
    let mut rest = s.get(19..).unwrap_or_default();
    let mut milli = 0;
    if let Some(frac) = rest.strip_prefix(b".") {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        // Milliseconds: the first three digits, as many as there are.
        for k in 0..3 {
            milli = milli * 10
                + frac
                    .get(k)
                    .filter(|_| k < digits)
                    .map_or(0, |d| u32::from(d - b'0'));
        }
        rest = frac.get(digits..).unwrap_or_default();
    }
    let offset = match rest {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), ..] if rest.len() == 6 => {
            at(rest, 3, b':')?;
            let off = i64::from(num(rest, 1, 23)? * 3600 + num(rest, 4, 59)? * 60);
            if *sign == b'-' {
                -off
            } else {
                off
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day)?;
    let secs = days * 86_400 + i64::from(hour * 3600 + min * 60 + sec) - offset;
    Some(Timestamp::from_millis(secs * 1000 + i64::from(milli)))
}

/// `data` as its whole lines and what follows the last newline.
fn split_tail(data: &[u8]) -> (&[u8], &[u8]) {
    let whole = memchr::memrchr(b'\n', data).map_or(0, |i| i + 1);
    data.split_at(whole)
}

/// A program's whole line, and the number and time of the record that started it.
type Whole<'a> = (Cow<'a, [u8]>, u64, Timestamp);

/// A line of one stream whose first pieces have been read.
#[derive(Default)]
struct Open {
    text: Vec<u8>,
    /// The line number of its first piece; 0 when no line is open.
    first: u64,
    /// The time of its first piece.
    time: Timestamp,
    /// Longer than the limit already: its pieces are dropped until its end.
    too_long: bool,
}

/// A [`FormatParser`] reading the lines of a wrapped file: it takes the runtime's records
/// and hands the program's lines to the format's own parser, so the formats need not know
/// about containers and an input that is not wrapped never passes here.
///
/// ```
/// use yapdns_parsers::{Format, ParseOptions, Records, Wrapper};
/// use yapdns_parsers::input::container::Unwrapped;
/// let log = concat!(
///     r#"{"log":"1458130003.61\twww.google.com\tA\t216.58.220.36\n","stream":"stdout","time":"2016-03-16T12:06:43.61Z"}"#, "\n",
///     "not a record\n",
/// );
/// let recs = Records::new(log.as_bytes(), Format::CuckooDnsdump, &ParseOptions::default(), "x");
/// assert_eq!(recs.wrapper(), Some(Wrapper::DockerJson));
/// let (ok, bad): (Vec<_>, Vec<_>) = recs.partition(|r| r.is_ok());
/// assert_eq!((ok.len(), bad.len()), (1, 1));
/// assert_eq!(bad[0].as_ref().unwrap_err().error.line, 2);
/// // The agent builds it around the format's parser itself.
/// let _p = Unwrapped::new(Wrapper::Cri, Format::Bind.parser(&ParseOptions::default()), 1 << 20);
/// ```
pub struct Unwrapped {
    wrapper: Wrapper,
    inner: Box<dyn FormatParser>,
    /// The line each stream has open (stdout, stderr).
    open: [Open; 2],
    max_line: usize,
    /// Bad records of a wrapped document, after the first.
    more: Vec<ParseError>,
}

impl Unwrapped {
    /// Reads `wrapper`'s records and hands their lines, joined when split, to `inner`; a line
    /// joined from pieces over `max_line` bytes is an error of its first piece.
    pub fn new(wrapper: Wrapper, inner: Box<dyn FormatParser>, max_line: usize) -> Unwrapped {
        Unwrapped {
            wrapper,
            inner,
            open: Default::default(),
            max_line,
            more: Vec::new(),
        }
    }

    /// The wrapper read.
    pub fn wrapper(&self) -> Wrapper {
        self.wrapper
    }

    /// Takes the piece of record `n`: the program's whole line (with the number and time of
    /// the record that started it) once its last piece is read, or `None` while it is open.
    fn take<'p>(
        &mut self,
        piece: Piece<'p>,
        n: u64,
        joined: &'p mut Vec<u8>,
    ) -> Result<Option<Whole<'p>>, ParseError> {
        let open = &mut self.open[piece.stream as usize];
        if open.first == 0 && piece.last {
            return Ok(Some((piece.text, n, piece.time)));
        }
        if open.first == 0 {
            open.first = n;
            open.time = piece.time;
        }
        if !open.too_long {
            if open.text.len() + piece.text.len() > self.max_line {
                open.too_long = true;
                open.text = Vec::new();
            } else {
                open.text.extend_from_slice(&piece.text);
            }
        }
        if !piece.last {
            return Ok(None);
        }
        let first = std::mem::take(&mut open.first);
        if std::mem::take(&mut open.too_long) {
            return Err(too_long(first, self.max_line as u64 + 1));
        }
        std::mem::swap(joined, &mut open.text);
        Ok(Some((Cow::Borrowed(&joined[..]), first, open.time)))
    }
}

impl FormatParser for Unwrapped {
    fn line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let piece = self
            .wrapper
            .piece(line)
            .map_err(|(kind, why)| ParseError::new(n, kind, why))?;
        let mut joined = Vec::new();
        match self.take(piece, n, &mut joined)? {
            // The pieces before the last are counted as lines with nothing to take.
            None => Ok(Outcome::Skipped),
            Some((text, first, time)) => {
                self.inner.wrapper_time(time);
                self.inner.line(strip_cr(&text), first, out)
            }
        }
    }

    fn block(
        &mut self,
        block: &[u8],
        max_line: usize,
        tally: &mut LineTally,
        out: &mut dyn Emit,
        on_error: &mut dyn FnMut(ParseError),
    ) {
        // The driver's limit holds for records and for the lines joined from them.
        self.max_line = max_line;
        line_by_line(self, block, max_line, tally, out, on_error);
    }

    fn document(&mut self, data: &[u8], out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        // A document printed by a program in a container: its lines, unwrapped, are the
        // document (whose line numbers are then the program's).
        let mut text = Vec::with_capacity(data.len());
        let mut bad = Vec::new();
        let mut n = 0;
        let mut unwrap = |raw: &[u8], this: &mut Self| {
            n += 1;
            let mut joined = Vec::new();
            match this.wrapper.piece(strip_cr(raw)) {
                Err((kind, why)) => bad.push(ParseError::new(n, kind, why)),
                Ok(p) => match this.take(p, n, &mut joined) {
                    Err(e) => bad.push(e),
                    Ok(None) => {}
                    Ok(Some((line, _, _))) => {
                        text.extend_from_slice(strip_cr(&line));
                        text.push(b'\n');
                    }
                },
            }
        };
        let (lines, tail) = split_tail(data);
        for_each_line(lines, |raw| unwrap(raw, self));
        if !tail.is_empty() {
            unwrap(tail, self);
        }
        for open in &mut self.open {
            if std::mem::take(&mut open.first) > 0 {
                text.append(&mut open.text);
                text.push(b'\n');
            }
        }
        let result = self.inner.document(&text, out);
        let mut more = self.inner.more_errors();
        if bad.is_empty() {
            self.more = more;
            return result;
        }
        let first = bad.remove(0);
        bad.extend(result.err());
        bad.append(&mut more);
        self.more = bad;
        Err(first)
    }

    fn more_errors(&mut self) -> Vec<ParseError> {
        let mut more = std::mem::take(&mut self.more);
        more.append(&mut self.inner.more_errors());
        more
    }

    fn finish(&mut self, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        // A line still open at the end of the input (the program ended without a newline, or
        // the file stops mid-line) is read as it is, in the order the open lines began.
        let mut open: Vec<(u64, Vec<u8>, bool, Timestamp)> = self
            .open
            .iter_mut()
            .filter(|o| o.first > 0)
            .map(|o| {
                (
                    std::mem::take(&mut o.first),
                    std::mem::take(&mut o.text),
                    std::mem::take(&mut o.too_long),
                    o.time,
                )
            })
            .collect();
        open.sort_by_key(|o| o.0);
        // Each open line's pieces were counted as skipped, and one outcome can move one of
        // those counts: a second open line (both streams cut short at once) stays skipped.
        let mut result = Ok(Outcome::Skipped);
        for (first, text, too, time) in open {
            let r = if too {
                Err(too_long(first, self.max_line as u64 + 1))
            } else {
                self.inner.wrapper_time(time);
                self.inner.line(strip_cr(&text), first, out)
            };
            if matches!(result, Ok(Outcome::Skipped)) {
                result = r;
            }
        }
        let end = self.inner.finish(out);
        match (&result, end) {
            (Ok(Outcome::Skipped), end) => end,
            (Ok(_), Err(e)) => Err(e),
            _ => result,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::record::Record;

    type Lines = Arc<Mutex<Vec<(u64, String)>>>;

    /// A format that keeps the lines it is handed, with their numbers.
    struct Echo(Lines);

    impl FormatParser for Echo {
        fn line(&mut self, l: &[u8], n: u64, _: &mut dyn Emit) -> Result<Outcome, ParseError> {
            let text = String::from_utf8_lossy(l).into_owned();
            self.0.lock().map_err(|_| too_long(n, 0))?.push((n, text));
            Ok(Outcome::Answer)
        }
    }

    /// The lines `Unwrapped` hands on, with their numbers, and the lines of its errors.
    fn unwrap(wrapper: Wrapper, file: &str, max: usize) -> (Vec<(u64, String)>, Vec<u64>) {
        let lines = Lines::default();
        let mut p = Unwrapped::new(wrapper, Box::new(Echo(lines.clone())), max);
        let mut out: Vec<Record> = Vec::new();
        let mut bad = Vec::new();
        for (i, raw) in file.lines().enumerate() {
            if let Err(e) = p.line(raw.as_bytes(), i as u64 + 1, &mut out) {
                bad.push(e.line);
            }
        }
        if let Err(e) = p.finish(&mut out) {
            bad.push(e.line);
        }
        let got = lines.lock().unwrap().clone();
        (got, bad)
    }

    fn owned(v: &[(u64, &str)]) -> Vec<(u64, String)> {
        v.iter().map(|(n, s)| (*n, s.to_string())).collect()
    }

    #[test]
    fn every_json_escape_docker_writes_is_read() {
        let file = r#"{"log":"\u003ca\u003e \u0026 \"q\" \\ \u0009tab\t\u0000 \ufffd \u2028 \ud83d\ude00 é\r\n","stream":"stdout","time":"2024-01-20T13:48:31.555661554Z"}"#;
        let (lines, bad) = unwrap(Wrapper::DockerJson, file, 1 << 20);
        assert!(bad.is_empty());
        assert_eq!(
            lines,
            owned(&[(1, "<a> & \"q\" \\ \ttab\t\0 \u{fffd} \u{2028} \u{1f600} é")])
        );
    }

    #[test]
    fn pieces_join_per_stream_numbered_by_their_first_record() {
        let t = "2024-01-20T13:48:31.5Z";
        let file = format!(
            "{t} stdout P one-\n{t} stderr F err1\n{t} stdout P two-\n{t} stderr P e\n\
             {t} stdout F three\n{t} stderr F rr2\n{t} stdout F \n{t} stderr P cut"
        );
        let (lines, bad) = unwrap(Wrapper::Cri, &file, 1 << 20);
        assert!(bad.is_empty());
        assert_eq!(
            lines,
            // The line still open at the end is read as it is.
            owned(&[
                (2, "err1"),
                (1, "one-two-three"),
                (4, "err2"),
                (7, ""),
                (8, "cut")
            ])
        );
        let d = |log: &str, s: &str| {
            format!(r#"{{"log":"{log}","stream":"{s}","time":"2024-01-20T13:48:31Z"}}"#)
        };
        let file = [d("ab", "stdout"), d("x\\n", "stderr"), d("c\\n", "stdout")].join("\n");
        let (lines, _) = unwrap(Wrapper::DockerJson, &file, 1 << 20);
        assert_eq!(lines, owned(&[(2, "x"), (1, "abc")]));
    }

    #[test]
    fn bad_records_and_overlong_joins_are_errors_of_their_lines() {
        let t = "2024-01-20T13:48:31Z";
        let file = format!(
            "{t} stdout F ok\n{t} stdout X tag\n{t}  stdout F two spaces\n\
             {t} stdout P 12345\n{t} stdout P 67890\n{t} stdout F !\n{t} stdout F fine"
        );
        let (lines, bad) = unwrap(Wrapper::Cri, &file, 8);
        assert_eq!(lines, owned(&[(1, "ok"), (7, "fine")]));
        assert_eq!(bad, [2, 3, 4]);
        let file = concat!(
            r#"{"log":"a\nb\n","stream":"stdout","time":"2024-01-20T13:48:31Z"}"#,
            "\n",
            r#"{"log":"a\n","stream":"stdout","time":"2024-01-20T13:48:31Z""#,
            "\n",
            r#"{"log":"a\n","stream":"stdout","time":"2024-01-20T13:48:31Z"}"#,
        );
        let (lines, bad) = unwrap(Wrapper::DockerJson, file, 1 << 20);
        assert_eq!((lines, bad), (owned(&[(3, "a")]), vec![1, 2]));
    }

    #[test]
    fn rfc3339_as_go_writes_it() {
        for (ok, ms) in [
            ("2016-10-06T00:17:09.669794202Z", 1_475_713_029_669),
            ("2016-10-06T00:17:09Z", 1_475_713_029_000),
            ("2016-10-06T00:17:09.6Z", 1_475_713_029_600),
            ("2016-10-06T02:17:09.05+02:00", 1_475_713_029_050),
            ("2016-10-05T21:47:09.669-02:30", 1_475_713_029_669),
            // A leap second is the next second.
            ("2016-12-31T23:59:60Z", 1_483_228_800_000),
        ] {
            assert_eq!(
                rfc3339(ok.as_bytes()),
                Some(Timestamp::from_millis(ms)),
                "{ok}"
            );
        }
        for bad in [
            "2016-10-06 00:17:09Z",
            "2016-10-06T00:17:09",
            "2016-10-06T00:17:09.Z",
            "2016-10-06T24:17:09Z",
            "2016-10-06T00:17:09+0200",
            "2016-10-06T00:17:09.1234567890Z",
            "2016-02-30T00:17:09Z",
            "16-10-06T00:17:09Z",
            "",
        ] {
            assert_eq!(rfc3339(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn supervisors_stamps_are_read_to_the_millisecond() {
        // 2025-11-28T16:00:00.5Z: Unix 1764345600, + 2^62 + 10; 500 000 000 ns.
        let p = tai64n_piece(b"@400000006929c70a1dcd6500 dnsmasq[1]: started").expect("label");
        assert_eq!(p.time, Timestamp::from_millis(1_764_345_600_500));
        assert_eq!(&*p.text, b"dnsmasq[1]: started");
        let p = svlogd_piece(b"2025-11-28_16:00:00.50012 x y").expect("stamp");
        assert_eq!(
            (p.time, &*p.text),
            (Timestamp::from_millis(1_764_345_600_500), &b"x y"[..])
        );
        // An empty line keeps its space; a label before 1970 or nanoseconds past a second are
        // no time.
        assert_eq!(
            &*tai64n_piece(b"@400000006929c70a1dcd6500 ")
                .expect("label")
                .text,
            b""
        );
        assert!(tai64n_piece(b"@3fffffffffffffff00000000 x").is_err());
        assert!(tai64n_piece(b"@400000006929c70a3b9aca00 x").is_err());
        assert!(svlogd_piece(b"2025-11-28T16:00:00.5 x").is_err());
    }

    #[test]
    fn journal_entries_are_lines_as_journalctl_prints_them() {
        let text = |raw: &str| -> Result<(String, Timestamp), Bad> {
            let p = journal_piece(raw.as_bytes())?;
            Ok((String::from_utf8_lossy(&p.text).into_owned(), p.time))
        };
        let t = Timestamp::from_millis(1_764_345_600_500);
        assert_eq!(
            text(
                r#"{"__REALTIME_TIMESTAMP":"1764345600500999","SYSLOG_IDENTIFIER":"dnsmasq","SYSLOG_PID":"9","_PID":"712","_COMM":"dnsmasq-x","MESSAGE":"query[A] a.test from ::1"}"#
            ),
            Ok(("dnsmasq[712]: query[A] a.test from ::1".into(), t))
        );
        // A message that is not UTF-8 comes as its bytes; a field given twice, as its values;
        // with neither name nor pid the message stands alone; a second line is not the
        // program's line.
        assert_eq!(
            text(
                r#"{"__REALTIME_TIMESTAMP":"1764345600500000","_COMM":["named","x"],"MESSAGE":[113,58,32,255]}"#
            ),
            Ok(("named: q: \u{fffd}".into(), t))
        );
        assert_eq!(
            text(r#"{"__REALTIME_TIMESTAMP":"1764345600500000","MESSAGE":"one\ntwo"}"#),
            Ok(("one".into(), t))
        );
        for bad in [
            r#"{"__REALTIME_TIMESTAMP":"17643456005e5","MESSAGE":"x"}"#,
            r#"{"__REALTIME_TIMESTAMP":"1764345600500000"}"#,
            r#"{"MESSAGE":"x"}"#,
            r#"{"__REALTIME_TIMESTAMP":1764345600500000,"MESSAGE":"x"}"#,
        ] {
            assert!(text(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_wrapped_sample_is_its_lines() {
        let t = "2024-01-20T13:48:31Z";
        let doc =
            format!("{t} stdout F {{\n{t} stdout P   \"a\": \n{t} stdout F 1\n{t} stdout F }}");
        assert_eq!(
            Wrapper::Cri.unwrap_sample(doc.as_bytes()),
            b"{\n  \"a\": 1\n}\n"
        );
    }
}

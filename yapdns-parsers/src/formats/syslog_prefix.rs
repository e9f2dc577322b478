//! Time stamps and syslog wrappers at the start of a line, shared by the servers that write
//! either their own log file or through syslog (dnsmasq, Unbound) and by BIND's time stamps.
//!
//! ```text
//! head     = [ "<" 1*3DIGIT ">" ] ( rfc5424 / stamp SP / "" )
//! stamp    = Mon SP DD SP HH ":" MM ":" SS [ "." frac ]        ; RFC 3164, ctime: no year, local
//!          / YYYY "-" MM "-" DD "T" HH ":" MM ":" SS [ "." frac ] [ "Z" / ( "+" / "-" ) HH [":"] MM ]
//!                                                              ; RFC 3339 (rsyslog, journald)
//!          / Www SP Mon SP DD SP HH ":" MM ":" SS SP YYYY      ; OpenWrt logread: year, local
//! rfc5424  = "1" SP iso-time SP host SP app SP procid SP msgid SP sd [ SP ]
//! tag      = [ host SP ] name [ "[" pid "]" ] ":" SP            ; after an RFC 3164/3339 stamp
//! ```
//!
//! `DD` may be padded with a space (`Nov  9`, ctime and syslog) or a zero (`Nov 09`, strftime
//! `%d`). Stamps without a zone are read with [`ParseOptions::timezone`], stamps without a year
//! take [`ParseOptions::year`].

use chrono::NaiveDate;
use yapdns_core::{days_from_civil, Timestamp};

use crate::bytes::find_byte;

use crate::options::{month_from_abbr, ParseOptions, TimeZone};

/// A wall-clock time read from a line, not yet placed in a zone or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// `None` for stamps written without a year.
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    pub milli: u32,
    /// Seconds east of UTC, when the stamp says (`Z`, `+01:00`).
    pub offset: Option<i32>,
}

impl Stamp {
    /// The instant, with the options' rules for a missing zone or year; `None` for impossible
    /// dates.
    pub fn resolve(&self, opts: &ParseOptions) -> Option<Timestamp> {
        let year = match self.year {
            Some(y) => y,
            None => opts.year_for(self.month, self.day),
        };
        if self.hour > 23 || self.min > 59 || self.sec > 60 || self.milli > 999 {
            return None;
        }
        // A leap second (`:60`) is read as the next second.
        let leap = i64::from(self.sec == 60) * 1000;
        let offset = match (self.offset, opts.timezone) {
            (Some(off), _) => Some(off),
            (None, TimeZone::Utc) => Some(0),
            (None, TimeZone::Fixed(off)) => Some(off),
            (None, TimeZone::Local) => None,
        };
        if let Some(off) = offset {
            let days = days_from_civil(i64::from(year), self.month, self.day)?;
            let secs = days * 86_400
                + i64::from(self.hour * 3600 + self.min * 60 + self.sec.min(59))
                - i64::from(off);
            return Some(Timestamp::from_millis(
                secs * 1000 + i64::from(self.milli) + leap,
            ));
        }
        let naive = NaiveDate::from_ymd_opt(year, self.month, self.day)?.and_hms_milli_opt(
            self.hour,
            self.min,
            self.sec.min(59),
            self.milli,
        )?;
        opts.local_time(naive)
            .map(|t| Timestamp::from_millis(t.millis() + leap))
    }
}

/// What the start of a line said about time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Time {
    /// No stamp at all.
    Missing,
    /// A stamp of a known shape with impossible fields.
    Bad(&'static str),
    /// A stamp.
    At(Stamp),
}

/// A syslog tag: the program name and, when written, its process id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tag<'a> {
    pub name: &'a [u8],
    pub pid: Option<&'a [u8]>,
}

/// The start of a line: its time, the tag of an RFC 5424 header (the only layout where the tag
/// is found here), and the text after them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Head<'a> {
    pub time: Time,
    pub tag: Option<Tag<'a>>,
    pub rest: &'a [u8],
}

pub(crate) fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

/// The number written with exactly `n` digits at `at`.
pub(crate) fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    s.iter()
        .try_fold(0u32, |acc, &c| Some(acc * 10 + digit(c)?))
}

pub(crate) fn byte_is(b: &[u8], at: usize, want: u8) -> bool {
    b.get(at) == Some(&want)
}

/// The text after leading spaces and tabs.
pub(crate) fn skip_spaces(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
    b.get(n..).unwrap_or_default()
}

/// The token before the first space, and the text after that space. Inlined into the readers
/// that take a line apart with it: out of line, as the compiler may leave it when the crate's
/// code is split otherwise, it cost dnsmasq's reader 3%.
#[inline(always)]
pub(crate) fn token(b: &[u8]) -> (&[u8], &[u8]) {
    match find_byte(b, b' ') {
        Some(i) => (
            b.get(..i).unwrap_or_default(),
            b.get(i + 1..).unwrap_or_default(),
        ),
        None => (b, &[]),
    }
}

/// The number written with two digits at `at`.
pub(crate) fn two_digits(b: &[u8], at: usize) -> Option<u32> {
    let [x, y] = <[u8; 2]>::try_from(b.get(at..at + 2)?).ok()?;
    let (x, y) = (x.wrapping_sub(b'0'), y.wrapping_sub(b'0'));
    (x < 10 && y < 10).then(|| u32::from(x) * 10 + u32::from(y))
}

/// `HH:MM:SS` at `at`; returns the fields and the index after them.
pub(crate) fn hms(b: &[u8], at: usize) -> Option<(u32, u32, u32, usize)> {
    if !(byte_is(b, at + 2, b':') && byte_is(b, at + 5, b':')) {
        return None;
    }
    Some((
        two_digits(b, at)?,
        two_digits(b, at + 3)?,
        two_digits(b, at + 6)?,
        at + 8,
    ))
}

/// An optional `.digits` at `at`, as milliseconds (extra digits are truncated).
pub(crate) fn fraction(b: &[u8], at: usize) -> (u32, usize) {
    if !byte_is(b, at, b'.') {
        return (0, at);
    }
    let mut i = at + 1;
    let mut milli = 0;
    while let Some(d) = b.get(i).copied().and_then(digit) {
        // The first three digits count; later ones are read past.
        if i - at <= 3 {
            milli = milli * 10 + d;
        }
        i += 1;
    }
    match i - at - 1 {
        0 => (0, at),
        1 => (milli * 100, i),
        2 => (milli * 10, i),
        _ => (milli, i),
    }
}

/// Flags fields out of range early, so a bad stamp is reported even before the line is read.
pub(crate) fn checked(t: Stamp) -> Time {
    if !(1..=12).contains(&t.month) || !(1..=31).contains(&t.day) {
        Time::Bad("impossible date")
    } else if t.hour > 23 || t.min > 59 || t.sec > 60 {
        Time::Bad("impossible time of day")
    } else {
        Time::At(t)
    }
}

/// `Mon DD HH:MM:SS[.frac]`: RFC 3164 syslog, ctime (`%.15s`) and strftime `%b %d %H:%M:%S`.
pub(crate) fn month_day_time(b: &[u8]) -> Option<(Time, usize)> {
    let month = month_from_abbr(b.get(0..3)?)?;
    if !byte_is(b, 3, b' ') {
        return None;
    }
    // `Oct  4` as RFC 3164 pads it, or `Oct 14`.
    let day = match (b.get(4).copied(), b.get(5).copied()) {
        (Some(b' '), Some(d)) => digit(d),
        _ => digits(b, 4, 2),
    };
    let (day, hour, min, sec, len) = match (day, byte_is(b, 6, b' ')) {
        (Some(day), true) => {
            let (hour, min, sec, len) = hms(b, 7)?;
            (day, hour, min, sec, len)
        }
        _ => unpadded_day_time(b)?,
    };
    let (milli, len) = fraction(b, len);
    let t = Stamp {
        year: None,
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

/// [`month_day_time`]'s day and time when the day is written without its padding (`Oct 4`,
/// as some relays write it), one byte earlier than RFC 3164 puts them.
#[cold]
fn unpadded_day_time(b: &[u8]) -> Option<(u32, u32, u32, u32, usize)> {
    if !byte_is(b, 5, b' ') {
        return None;
    }
    let day = digit(*b.get(4)?)?;
    let (hour, min, sec, len) = hms(b, 6)?;
    Some((day, hour, min, sec, len))
}

/// The date, hour and minute of a stamp with a year, as written: what consecutive lines
/// mostly share, so a parser can read them once for many lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Minute {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub min: u32,
}

/// `YYYY-MM-DDTHH:MM`, the first 16 bytes of an [`iso_time`].
pub(crate) fn iso_minute(b: &[u8]) -> Option<Minute> {
    if !(byte_is(b, 4, b'-') && byte_is(b, 7, b'-') && byte_is(b, 10, b'T') && byte_is(b, 13, b':'))
    {
        return None;
    }
    Some(Minute {
        year: digits(b, 0, 4)?,
        month: two_digits(b, 5)?,
        day: two_digits(b, 8)?,
        hour: two_digits(b, 11)?,
        min: two_digits(b, 14)?,
    })
}

/// `YYYY-MM-DDTHH:MM:SS[.frac][Z|±HH[:]MM]` (RFC 3339 and ISO 8601 local time).
pub(crate) fn iso_time(b: &[u8]) -> Option<(Time, usize)> {
    iso_time_in(b, iso_minute(b)?)
}

/// [`iso_time`] of a stamp whose first 16 bytes are `minute`'s: the seconds, fraction and
/// offset from byte 16 on.
pub(crate) fn iso_time_in(b: &[u8], minute: Minute) -> Option<(Time, usize)> {
    let Minute {
        year,
        month,
        day,
        hour,
        min,
    } = minute;
    if !byte_is(b, 16, b':') {
        return None;
    }
    let sec = two_digits(b, 17)?;
    let (milli, mut len) = fraction(b, 19);
    let mut offset = None;
    match b.get(len) {
        Some(b'Z' | b'z') => {
            offset = Some(0);
            len += 1;
        }
        Some(&sign @ (b'+' | b'-')) => {
            let h = digits(b, len + 1, 2)?;
            let (m, end) = if byte_is(b, len + 3, b':') {
                (digits(b, len + 4, 2)?, len + 6)
            } else {
                match digits(b, len + 3, 2) {
                    Some(m) => (m, len + 5),
                    None => (0, len + 3),
                }
            };
            if h > 23 || m > 59 {
                return Some((Time::Bad("impossible UTC offset"), end));
            }
            let secs = (h * 3600 + m * 60) as i32;
            offset = Some(if sign == b'-' { -secs } else { secs });
            len = end;
        }
        _ => {}
    }
    let t = Stamp {
        year: Some(year as i32),
        month,
        day,
        hour,
        min,
        sec,
        milli,
        offset,
    };
    Some((checked(t), len))
}

/// `Www Mon DD HH:MM:SS YYYY` (OpenWrt `logread`, full ctime).
fn weekday_time_year(b: &[u8]) -> Option<(Time, usize)> {
    let wd = b.get(0..3)?;
    if !wd.iter().all(u8::is_ascii_alphabetic) || !byte_is(b, 3, b' ') {
        return None;
    }
    let (t, len) = month_day_time(b.get(4..)?)?;
    let len = len + 4;
    if !byte_is(b, len, b' ') {
        return None;
    }
    let year = digits(b, len + 1, 4)?;
    if b.get(len + 5).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let t = match t {
        Time::At(s) => Time::At(Stamp {
            year: Some(year as i32),
            ..s
        }),
        other => other,
    };
    Some((t, len + 5))
}

/// `SSSSSSSSSS.uuuuuu` followed by a space: Unix seconds and microseconds, as `journalctl -o
/// short-unix` prints a message's time (always six digits of fraction: an epoch with fewer,
/// Squid's or cuckoo-dnsdump's, is their own field, not a stamp before a line).
#[cold]
pub(crate) fn unix_time(b: &[u8]) -> Option<(Time, usize)> {
    let secs_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(9..=11).contains(&secs_len)
        || !byte_is(b, secs_len, b'.')
        || !byte_is(b, secs_len + 7, b' ')
    {
        return None;
    }
    let frac = b.get(secs_len + 1..secs_len + 7)?;
    if !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let secs: i64 = std::str::from_utf8(b.get(..secs_len)?).ok()?.parse().ok()?;
    let t = chrono::DateTime::from_timestamp(secs, 0)?.naive_utc();
    use chrono::{Datelike, Timelike};
    let stamp = Stamp {
        year: Some(t.year()),
        month: t.month(),
        day: t.day(),
        hour: t.hour(),
        min: t.minute(),
        sec: t.second(),
        milli: digits(frac, 0, 3)?,
        offset: Some(0),
    };
    Some((Time::At(stamp), secs_len + 7))
}

/// The structured data of RFC 5424: `-` or one or more `[id param="value" …]`.
pub(crate) fn after_structured_data(b: &[u8]) -> &[u8] {
    if let Some(rest) = b.strip_prefix(b"-") {
        return rest;
    }
    let mut i = 0;
    while byte_is(b, i, b'[') {
        let mut quoted = false;
        i += 1;
        while let Some(&c) = b.get(i) {
            i += 1;
            match c {
                b'\\' if quoted => i += 1,
                b'"' => quoted = !quoted,
                b']' if !quoted => break,
                _ => {}
            }
        }
    }
    b.get(i..).unwrap_or_default()
}

/// Reads the priority, time stamp and (for RFC 5424) the header fields a line starts with.
pub(crate) fn head(line: &[u8]) -> Head<'_> {
    let mut rest = line;
    if let Some(after) = rest.strip_prefix(b"<") {
        let n = after.iter().take_while(|c| c.is_ascii_digit()).count();
        if (1..=3).contains(&n) && byte_is(after, n, b'>') {
            rest = after.get(n + 1..).unwrap_or_default();
            if let Some(r5424) = rest.strip_prefix(b"1 ") {
                let (ts, r) = token(r5424);
                let time = match iso_time(ts) {
                    Some((t, len)) if len == ts.len() => t,
                    _ if ts == b"-" => Time::Missing,
                    _ => Time::Bad("unreadable RFC 5424 time stamp"),
                };
                let (_host, r) = token(r);
                let (app, r) = token(r);
                let (procid, r) = token(r);
                let (_msgid, r) = token(r);
                let r = skip_spaces(after_structured_data(r));
                let r = r.strip_prefix("\u{feff}".as_bytes()).unwrap_or(r);
                let tag = Tag {
                    name: app,
                    pid: (procid != b"-").then_some(procid),
                };
                return Head {
                    time,
                    tag: Some(tag),
                    rest: r,
                };
            }
        }
    }
    let found = match rest.first() {
        Some(b'0'..=b'9') => iso_time(rest).or_else(|| unix_time(rest)),
        Some(_) => month_day_time(rest).or_else(|| weekday_time_year(rest)),
        None => None,
    };
    match found {
        Some((time, len)) => Head {
            time,
            tag: None,
            rest: skip_spaces(rest.get(len..).unwrap_or_default()),
        },
        // `docker compose logs` puts the service's name before each line (`unbound  | …`):
        // what follows is the program's line, read as if it stood alone.
        None => match compose_prefix(rest) {
            Some(after) => head(after),
            None => Head {
                time: Time::Missing,
                tag: None,
                rest,
            },
        },
    }
}

/// The line after the service name `docker compose logs` writes before it: a name of letters,
/// digits, `.`, `_` and `-`, padded with spaces, then `|` and a space.
#[cold]
pub(crate) fn compose_prefix(line: &[u8]) -> Option<&[u8]> {
    let name = line
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
        .count();
    let pad = line.get(name..)?.iter().take_while(|&&c| c == b' ').count();
    if name == 0 || pad == 0 {
        return None;
    }
    let after = line.get(name + pad..)?.strip_prefix(b"|")?;
    Some(after.strip_prefix(b" ").unwrap_or(after))
}

/// Reads `name[pid]:` or `name:` as a whole token (without the trailing space).
pub(crate) fn tag_token(tok: &[u8]) -> Option<Tag<'_>> {
    let body = tok.strip_suffix(b":")?;
    if let Some(inner) = body.strip_suffix(b"]") {
        let open = inner.iter().rposition(|&c| c == b'[')?;
        let name = inner.get(..open)?;
        let pid = inner.get(open + 1..)?;
        if name.is_empty() || pid.is_empty() || !pid.iter().all(u8::is_ascii_digit) {
            return None;
        }
        return Some(Tag {
            name,
            pid: Some(pid),
        });
    }
    (!body.is_empty() && !body.contains(&b'[')).then_some(Tag {
        name: body,
        pid: None,
    })
}

/// The syslog tag after a stamp, `[host SP] name[pid]: `, and the message after it.
pub(crate) fn split_tag(rest: &[u8]) -> Option<(Tag<'_>, &[u8])> {
    let (t1, r1) = token(rest);
    if let Some(tag) = tag_token(t1) {
        return Some((tag, skip_spaces(r1)));
    }
    let (t2, r2) = token(r1);
    tag_token(t2).map(|tag| (tag, skip_spaces(r2)))
}

/// A cache of the minute last resolved: consecutive lines mostly share their minute, and
/// resolving a stamp (a year-less one by the year rule, a local one by the zone's rules) is
/// the costly part of a short line. Within a minute an instant is the minute's plus the
/// seconds: zone offsets change only at whole minutes.
#[derive(Debug, Default)]
pub(crate) struct StampCache {
    last: Option<(Stamp, Option<Timestamp>)>,
}

impl StampCache {
    /// The instant of `stamp`, computed from the cached minute when it is the previous one's.
    pub fn resolve(&mut self, stamp: Stamp, opts: &ParseOptions) -> Option<Timestamp> {
        // Leap seconds and impossible values take the full path, which decides about them.
        if stamp.sec > 59 || stamp.milli > 999 {
            return stamp.resolve(opts);
        }
        let minute = Stamp {
            sec: 0,
            milli: 0,
            ..stamp
        };
        let base = match self.last {
            Some((m, t)) if m == minute => t,
            _ => {
                let t = minute.resolve(opts);
                self.last = Some((minute, t));
                t
            }
        };
        base.map(|t| {
            Timestamp::from_millis(
                t.millis() + i64::from(stamp.sec) * 1000 + i64::from(stamp.milli),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{TimeZone, YearRule};

    fn opts() -> ParseOptions {
        ParseOptions {
            year: YearRule::Fixed(2026),
            ..Default::default()
        }
    }

    fn at(line: &str) -> (Option<i64>, String) {
        let h = head(line.as_bytes());
        let t = match h.time {
            Time::At(s) => s.resolve(&opts()).map(|t| t.millis()),
            _ => None,
        };
        (t, String::from_utf8_lossy(h.rest).into_owned())
    }

    /// `journalctl -o short-unix`: seconds and microseconds; other epochs are not stamps.
    #[test]
    fn journalctls_unix_time() {
        let (t, rest) = at("1795979763.123456 lab dnsmasq[1]: x");
        assert_eq!(
            (t, rest.as_str()),
            (Some(1_795_979_763_123), "lab dnsmasq[1]: x")
        );
        for line in [
            "1598040493.253    325 172.16.17.119 TCP_MISS/304",
            "1458130003.61\twww.google.com\tA\t216.58.220.36",
            "1795979763.123456lab",
            "1795979763.12345x lab",
            "17959797.123456 lab",
        ] {
            assert_eq!(at(line), (None, line.to_string()), "{line}");
        }
    }

    /// `docker compose logs` output: the service's name, padded, and `| ` before the line.
    #[test]
    fn the_service_name_docker_compose_writes_first_is_passed_over() {
        let (t, rest) = at("unbound-1  | Jan  3 12:43:59 unbound[1:0] info: x");
        assert!(t.is_some());
        assert_eq!(rest, "unbound[1:0] info: x");
        let (t, rest) = at("dnsmasq_1 | dnsmasq[1]: query[A] a.test from 10.0.0.1");
        assert_eq!(
            (t, rest.as_str()),
            (None, "dnsmasq[1]: query[A] a.test from 10.0.0.1")
        );
        // Not a service name: kept as it is.
        for line in ["a|b c", " | x", "client @0x1 | x", "x  |"] {
            assert_eq!(at(line).1, if line == "x  |" { "" } else { line }, "{line}");
        }
    }

    #[test]
    fn the_minute_cache_agrees_with_resolving_each_stamp() {
        let mut cache = StampCache::default();
        let zones = [
            TimeZone::Utc,
            TimeZone::Local,
            TimeZone::Fixed(-3 * 3600 - 1800),
        ];
        for tz in zones {
            let o = ParseOptions {
                timezone: tz,
                ..opts()
            };
            for (year, month, day) in [(Some(2026), 3, 29), (None, 11, 1), (Some(2024), 2, 29)] {
                for hour in [0, 1, 2, 3, 23] {
                    for (min, sec, milli) in [(0, 0, 0), (0, 59, 999), (30, 1, 5), (59, 60, 0)] {
                        let s = Stamp {
                            year,
                            month,
                            day,
                            hour,
                            min,
                            sec,
                            milli,
                            offset: None,
                        };
                        assert_eq!(cache.resolve(s, &o), s.resolve(&o), "{s:?} {tz:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_stamp_shape() {
        // 2026-11-29T19:25:11Z = 1_795_980_311 s.
        let t = Some(1_795_980_311_000);
        assert_eq!(at("Nov 29 19:25:11 host x: m"), (t, "host x: m".into()));
        assert_eq!(at("<30>Nov 29 19:25:11 x[1]: m").0, t);
        assert_eq!(at("2026-11-29T19:25:11+00:00 h x: m").0, t);
        assert_eq!(
            at("2026-11-29T20:25:11.250+01:00 h x: m").0,
            Some(1_795_980_311_250)
        );
        assert_eq!(at("Sun Nov 29 19:25:11 2026 daemon.info x[1]: m").0, t);
        assert_eq!(at("Nov  9 01:02:03 x: m").0, Some(1_794_186_123_000));
        assert_eq!(at("Nov 09 01:02:03 x: m").0, Some(1_794_186_123_000));
        let h = head(b"<30>1 2026-11-29T19:25:11Z host dnsmasq 42 - - query[A] x from y");
        assert_eq!(h.tag.unwrap().name, b"dnsmasq");
        assert_eq!(h.tag.unwrap().pid, Some(&b"42"[..]));
        assert_eq!(h.rest, b"query[A] x from y");
        assert_eq!(head(b"no stamp here").time, Time::Missing);
        assert!(matches!(head(b"Feb 31 01:02:03 x").time, Time::At(_)));
        assert!(matches!(head(b"Nov 29 25:02:03 x").time, Time::Bad(_)));
    }

    #[test]
    fn token_splits_at_the_first_space() {
        assert_eq!(token(b"ab cd ef"), (&b"ab"[..], &b"cd ef"[..]));
        assert_eq!(
            token(b"abcdefghijklmnop"),
            (&b"abcdefghijklmnop"[..], &b""[..])
        );
    }

    #[test]
    fn fractions_and_two_digits() {
        // The digits a stamp's fraction may have, as milliseconds truncated.
        let frac = |s: &str| fraction(s.as_bytes(), 0);
        assert_eq!(frac(""), (0, 0));
        assert_eq!(frac("."), (0, 0));
        assert_eq!(frac(".x"), (0, 0));
        assert_eq!(frac(".5"), (500, 2));
        assert_eq!(frac(".05 "), (50, 3));
        assert_eq!(frac(".368"), (368, 4));
        assert_eq!(frac(".3689"), (368, 5));
        assert_eq!(frac(".043900Z"), (43, 7));
        assert_eq!(frac(".999999999"), (999, 10));
        assert_eq!(two_digits(b"07", 0), Some(7));
        assert_eq!(two_digits(b"x59", 1), Some(59));
        assert_eq!(two_digits(b"5", 0), None);
        assert_eq!(two_digits(b"5:", 0), None);
        assert_eq!(two_digits(b"\xb5\x30", 0), None);
    }

    #[test]
    fn tags() {
        let (t, m) = split_tag(b"host dnsmasq[12]: query").unwrap();
        assert_eq!(
            (t.name, t.pid, m),
            (&b"dnsmasq"[..], Some(&b"12"[..]), &b"query"[..])
        );
        let (t, m) = split_tag(b"unbound: [12:0] info: x").unwrap();
        assert_eq!(
            (t.name, t.pid, m),
            (&b"unbound"[..], None, &b"[12:0] info: x"[..])
        );
        assert!(split_tag(b"a b c").is_none());
        assert!(tag_token(b"x[ab]:").is_none());
    }

    #[test]
    fn impossible_dates_do_not_resolve() {
        let Time::At(s) = head(b"Feb 30 01:02:03 x").time else {
            panic!()
        };
        assert_eq!(s.resolve(&opts()), None);
    }
}

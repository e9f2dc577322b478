//! Options every parser takes: the sensor id, and the rules for timestamps that lack a zone or
//! a year.

use std::str::FromStr;

use chrono::{Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone as _};
use yapdns_core::Timestamp;

use crate::error::Error;

/// How to read a timestamp written without a UTC offset (BIND's `29-Nov-2026 19:25:11.368`,
/// Squid-less syslog, Microsoft DNS's local time).
///
/// The default is UTC: servers that feed passive DNS are commonly run in UTC, and a fixed
/// default keeps results the same on every machine. Set the zone the logging host used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeZone {
    /// Coordinated Universal Time.
    #[default]
    Utc,
    /// The zone of the machine running the parser (with its daylight saving rules).
    Local,
    /// A fixed offset east of UTC, in seconds.
    Fixed(i32),
}

impl FromStr for TimeZone {
    type Err = Error;

    /// `utc`, `local`, or an offset: `+02:00`, `-0530`, `+2`.
    fn from_str(s: &str) -> Result<Self, Error> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("utc") || t == "Z" || t == "z" {
            return Ok(TimeZone::Utc);
        }
        if t.eq_ignore_ascii_case("local") {
            return Ok(TimeZone::Local);
        }
        parse_offset(t)
            .map(TimeZone::Fixed)
            .ok_or_else(|| Error::Option(format!("time zone {s:?}: use utc, local or ±HH:MM")))
    }
}

/// Parses `+HH:MM`, `+HHMM`, `+HH` (and `-`) into seconds east of UTC.
pub fn parse_offset(t: &str) -> Option<i32> {
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = if digits.len() <= 2 {
        (digits.parse::<i32>().ok()?, 0)
    } else {
        let split = digits.len() - 2;
        (
            digits[..split].parse::<i32>().ok()?,
            digits[split..].parse::<i32>().ok()?,
        )
    };
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

/// How to choose the year of a timestamp written without one (classic syslog, dnsmasq).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearRule {
    /// Always this year.
    Fixed(i32),
    /// The latest year that does not put the timestamp more than one day after the reference
    /// instant. The driver uses the file's modification time (a log is written before its
    /// mtime), and the current time for standard input.
    Before(Timestamp),
}

impl Default for YearRule {
    fn default() -> Self {
        YearRule::Before(Timestamp::now())
    }
}

/// Options shared by every parser.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// The sensor id recorded in every association's sources (COF `sensor_id`).
    pub sensor: Option<String>,
    /// The zone of timestamps written without one.
    pub timezone: TimeZone,
    /// The year of timestamps written without one.
    pub year: YearRule,
    /// The origin of master files that have no `$ORIGIN` (BIND takes it from the zone
    /// statement, which is not in the file): relative names are made absolute against it.
    /// Set it with [`ParseOptions::set_origin`], which checks and normalises it.
    pub origin: Option<String>,
}

impl ParseOptions {
    /// Sets [`ParseOptions::origin`], normalised; fails on a name that is not one.
    ///
    /// ```
    /// let mut o = yapdns_parsers::ParseOptions::default();
    /// o.set_origin("Corp.Test.").unwrap();
    /// assert_eq!(o.origin.as_deref(), Some("corp.test"));
    /// assert!(o.set_origin("a..b").is_err());
    /// ```
    pub fn set_origin(&mut self, origin: &str) -> Result<(), Error> {
        let zone = yapdns_core::normalize_name(origin)
            .map_err(|e| Error::Option(format!("origin {origin:?}: {e}")))?;
        self.origin = Some(zone);
        Ok(())
    }

    /// Converts a wall-clock time read from a log without an offset into a [`Timestamp`],
    /// using [`ParseOptions::timezone`]. `None` for impossible dates.
    pub fn local_time(&self, dt: NaiveDateTime) -> Option<Timestamp> {
        let utc = match self.timezone {
            TimeZone::Utc => dt.and_utc(),
            TimeZone::Fixed(off) => match FixedOffset::east_opt(off)?.from_local_datetime(&dt) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.to_utc(),
                LocalResult::None => return None,
            },
            TimeZone::Local => match chrono::Local.from_local_datetime(&dt) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.to_utc(),
                // A time skipped by a daylight-saving jump: take it as one hour later.
                LocalResult::None => chrono::Local
                    .from_local_datetime(&(dt + chrono::Duration::hours(1)))
                    .earliest()?
                    .to_utc(),
            },
        };
        Some(Timestamp::from_millis(utc.timestamp_millis()))
    }

    /// The year for a year-less `month`/`day`, by [`ParseOptions::year`].
    pub fn year_for(&self, month: u32, day: u32) -> i32 {
        match self.year {
            YearRule::Fixed(y) => y,
            YearRule::Before(reference) => {
                let r = chrono::DateTime::from_timestamp_millis(reference.millis())
                    .unwrap_or_default()
                    .naive_utc();
                let y = r.year();
                match NaiveDate::from_ymd_opt(y, month, day.clamp(1, 28)) {
                    Some(d) if d > r.date() + chrono::Duration::days(1) => y - 1,
                    _ => y,
                }
            }
        }
    }
}

/// The month number (1–12) of an English three-letter abbreviation, any case. Inlined
/// always: it is on the path of every syslog stamp, and out of line (where the compiler's
/// split of the crate may leave it) it costs dnsmasq's reader 1.4%.
#[inline(always)]
pub fn month_from_abbr(s: &[u8]) -> Option<u32> {
    let [a, b, c] = <[u8; 3]>::try_from(s).ok()?;
    // One match on the three bytes, lower-cased (a bit that is no letter's case is refused by
    // the match anyway).
    Some(match [a | 0x20, b | 0x20, c | 0x20] {
        [b'j', b'a', b'n'] => 1,
        [b'f', b'e', b'b'] => 2,
        [b'm', b'a', b'r'] => 3,
        [b'a', b'p', b'r'] => 4,
        [b'm', b'a', b'y'] => 5,
        [b'j', b'u', b'n'] => 6,
        [b'j', b'u', b'l'] => 7,
        [b'a', b'u', b'g'] => 8,
        [b's', b'e', b'p'] => 9,
        [b'o', b'c', b't'] => 10,
        [b'n', b'o', b'v'] => 11,
        [b'd', b'e', b'c'] => 12,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_abbreviations_in_any_case_and_nothing_else() {
        for (i, m) in [
            "jan", "FEB", "Mar", "aPr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "DEC",
        ]
        .iter()
        .enumerate()
        {
            assert_eq!(month_from_abbr(m.as_bytes()), Some(i as u32 + 1), "{m}");
        }
        // `|0x20` maps '@' to '`' and '[' to '{': none of them may pass as a letter.
        for bad in ["ja", "janu", "j@n", "JA\x0e", "@an", "ja.", ""] {
            assert_eq!(month_from_abbr(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(month_from_abbr(&[b'J', b'A', b'N' ^ 0x20 ^ 0x20]), Some(1));
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+02:00"), Some(7200));
        assert_eq!(parse_offset("-0530"), Some(-19800));
        assert_eq!(parse_offset("+2"), Some(7200));
        assert_eq!(parse_offset("+25:00"), None);
        assert_eq!(parse_offset("02:00"), None);
    }

    #[test]
    fn year_rule_never_puts_a_line_in_the_future() {
        // Reference: 2026-01-02T00:00:00Z. "Dec 31" is last year; "Jan 2" is this year.
        let o = ParseOptions {
            year: YearRule::Before(Timestamp::from_secs(1_767_312_000)),
            ..Default::default()
        };
        assert_eq!(o.year_for(12, 31), 2025);
        assert_eq!(o.year_for(1, 2), 2026);
        assert_eq!(o.year_for(1, 3), 2026);
        assert_eq!(o.year_for(1, 4), 2025);
    }

    #[test]
    fn fixed_zone_shifts_to_utc() {
        let o = ParseOptions {
            timezone: "+01:00".parse().unwrap(),
            ..Default::default()
        };
        let dt = NaiveDate::from_ymd_opt(2026, 11, 29)
            .unwrap()
            .and_hms_opt(1, 0, 0)
            .unwrap();
        assert_eq!(
            o.local_time(dt).unwrap().secs(),
            dt.and_utc().timestamp() - 3600
        );
    }
}

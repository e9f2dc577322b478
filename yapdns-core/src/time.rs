//! Time as YAPDNS keeps it: UTC milliseconds since the Unix epoch.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A UTC instant with millisecond precision.
///
/// Seconds are the public unit (COF `time_first`/`time_last`); milliseconds are kept where the
/// source logs them so that ordering within one second survives.
///
/// ```
/// use yapdns_core::Timestamp;
/// let t = Timestamp::from_millis(1_764_444_311_368);
/// assert_eq!(t.secs(), 1_764_444_311);
/// assert_eq!(t.subsec_millis(), 368);
/// assert_eq!(Timestamp::from_secs(5).millis(), 5000);
/// ```
///
/// In YAPDNS's own JSON form it is the integer number of milliseconds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(i64);

impl Timestamp {
    /// From milliseconds since the epoch.
    pub const fn from_millis(ms: i64) -> Timestamp {
        Timestamp(ms)
    }

    /// From whole seconds since the epoch.
    pub const fn from_secs(s: i64) -> Timestamp {
        Timestamp(s.saturating_mul(1000))
    }

    /// From fractional seconds since the epoch (as Zeek, Cuckoo and Python write them),
    /// rounded to the nearest millisecond. `None` for NaN or out-of-range values.
    pub fn from_secs_f64(s: f64) -> Option<Timestamp> {
        let ms = (s * 1000.0).round();
        if ms.is_finite() && ms.abs() < 9.0e15 {
            Some(Timestamp(ms as i64))
        } else {
            None
        }
    }

    /// Milliseconds since the epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// Whole seconds since the epoch (floor).
    pub const fn secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// The millisecond part, 0..=999.
    pub const fn subsec_millis(self) -> u32 {
        self.0.rem_euclid(1000) as u32
    }

    /// Now, from the system clock. Parsers never use this: times come from the log.
    pub fn now() -> Timestamp {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}", self.secs(), self.subsec_millis())
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`);
/// `None` for a date that does not exist (month 13, 30 February). Parsers reading calendar
/// stamps on every line use it instead of a general calendar library.
///
/// ```
/// use yapdns_core::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), Some(0));
/// assert_eq!(days_from_civil(2000, 3, 1), Some(11_017));
/// assert_eq!(days_from_civil(2100, 2, 29), None);
/// ```
pub fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_len = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d == 0 || d > month_len {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

//! The query SQL shared by the SQL backends. Statements are text with placeholders; every
//! value travels as a bound argument, never inside the text.

use std::fmt::Write as _;

use yapdns_core::{Lookup, NamePattern, NameQuery, RrType, StoreStats, TimeFence};

use crate::codec::{ip_key, source_label, ASSOC_COLUMNS, NAME_COLUMNS, TAG_SEP};
use crate::semantics::{day_label, ranked, wildcard_range, Resolved};

/// Placeholder style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// `?1`, `?2`, …
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    Sqlite,
    /// `$1`, `$2`, …
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    Postgres,
}

/// A bound argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Arg {
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

/// A statement under construction.
#[derive(Debug)]
pub(crate) struct Sql {
    pub text: String,
    pub args: Vec<Arg>,
    dialect: Dialect,
}

impl Sql {
    pub(crate) fn new(dialect: Dialect) -> Sql {
        Sql {
            text: String::with_capacity(256),
            args: Vec::new(),
            dialect,
        }
    }

    pub(crate) fn push(&mut self, s: &str) -> &mut Sql {
        self.text.push_str(s);
        self
    }

    /// Appends a placeholder for `a`.
    pub(crate) fn bind(&mut self, a: Arg) -> &mut Sql {
        self.args.push(a);
        let n = self.args.len();
        // Writing to a String cannot fail.
        let _ = match self.dialect {
            Dialect::Sqlite => write!(self.text, "?{n}"),
            Dialect::Postgres => write!(self.text, "${n}"),
        };
        self
    }
}

/// Saturating conversion for LIMIT and OFFSET.
fn sql_count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `name` matches `p`, using the plain column for exact and right-hand wildcards and the
/// reversed-label column for left-hand wildcards (both are range scans on an index).
fn name_condition(sql: &mut Sql, col: &str, rev_col: &str, p: &NamePattern) {
    match p {
        NamePattern::Exact(n) => {
            sql.push(col).push(" = ").bind(Arg::Text(n.clone()));
        }
        NamePattern::Under(_) | NamePattern::Prefix(_) => {
            let column = if matches!(p, NamePattern::Under(_)) {
                rev_col
            } else {
                col
            };
            if let Some((lo, hi)) = wildcard_range(p) {
                sql.push(column).push(" > ").bind(Arg::Text(lo));
                sql.push(" AND ")
                    .push(column)
                    .push(" < ")
                    .bind(Arg::Text(hi));
            }
        }
    }
}

/// Inclusive bounds in milliseconds equivalent to the fence on whole seconds:
/// `secs(ms) <= t` is `ms <= t*1000 + 999`, `secs(ms) >= t` is `ms >= t*1000`.
fn fence_conditions(sql: &mut Sql, fence: &TimeFence) {
    let upper = |t: i64| t.saturating_mul(1000).saturating_add(999);
    let lower = |t: i64| t.saturating_mul(1000);
    if let Some(t) = fence.time_first_before {
        sql.push(" AND first_seen <= ").bind(Arg::Int(upper(t)));
    }
    if let Some(t) = fence.time_first_after {
        sql.push(" AND first_seen >= ").bind(Arg::Int(lower(t)));
    }
    if let Some(t) = fence.time_last_before {
        sql.push(" AND last_seen <= ").bind(Arg::Int(upper(t)));
    }
    if let Some(t) = fence.time_last_after {
        sql.push(" AND last_seen >= ").bind(Arg::Int(lower(t)));
    }
}

fn assoc_where(sql: &mut Sql, r: &Resolved) {
    sql.push(" FROM associations WHERE ");
    match &r.lookup {
        Lookup::Rrset(p) => name_condition(sql, "rrname", "rrname_rev", p),
        Lookup::RdataName(p) => name_condition(sql, "rdata_name", "rdata_name_rev", p),
        Lookup::RdataIp(f) => {
            let (lo, hi) = f.bounds();
            sql.push("rrtype = ")
                .bind(Arg::Int(i64::from(f.rrtype().to_u16())));
            sql.push(" AND rdata_ip >= ")
                .bind(Arg::Blob(ip_key(lo).to_vec()));
            sql.push(" AND rdata_ip <= ")
                .bind(Arg::Blob(ip_key(hi).to_vec()));
        }
    }
    if let Some(t) = r.rrtype {
        sql.push(" AND rrtype = ")
            .bind(Arg::Int(i64::from(t.to_u16())));
    }
    if let Some(b) = &r.bailiwick {
        sql.push(" AND bailiwick = ").bind(Arg::Text(b.clone()));
    }
    fence_conditions(sql, &r.fence);
}

/// One page plus one row, to learn whether the limit cut the result off.
pub(crate) fn lookup(dialect: Dialect, r: &Resolved) -> Sql {
    let mut sql = Sql::new(dialect);
    sql.push("SELECT ").push(ASSOC_COLUMNS);
    assoc_where(&mut sql, r);
    sql.push(" ORDER BY last_seen DESC, rrname, rrtype, rdata LIMIT ")
        .bind(Arg::Int(sql_count(r.limit).saturating_add(1)));
    sql.push(" OFFSET ").bind(Arg::Int(sql_count(r.offset)));
    sql
}

/// Sum of counts (as text, so it can exceed `i64`), number of rows, first and last seen.
pub(crate) fn summarize(dialect: Dialect, r: &Resolved) -> Sql {
    let mut sql = Sql::new(dialect);
    sql.push(match dialect {
        Dialect::Sqlite => "SELECT yapdns_sum(count)",
        Dialect::Postgres => "SELECT COALESCE(SUM(count), 0)::text",
    });
    sql.push(", COUNT(*), MIN(first_seen), MAX(last_seen)");
    assoc_where(&mut sql, r);
    sql
}

/// Name sightings for a name query, paged.
pub(crate) fn names(dialect: Dialect, q: &NameQuery, fence: &TimeFence) -> Sql {
    let mut sql = Sql::new(dialect);
    sql.push("SELECT ")
        .push(NAME_COLUMNS)
        .push(" FROM names WHERE ");
    name_condition(&mut sql, "rrname", "rrname_rev", &q.pattern);
    fence_conditions(&mut sql, fence);
    sql.push(" ORDER BY last_seen DESC, rrname, rrtype LIMIT ")
        .bind(Arg::Int(sql_count(q.limit)));
    sql.push(" OFFSET ").bind(Arg::Int(sql_count(q.offset)));
    sql
}

/// Day number (floor of milliseconds / one day) of a millisecond column, the same on both
/// SQL dialects (integer division truncates toward zero in both, so negative times are
/// corrected by hand).
pub(crate) fn day_of(col: &str) -> String {
    format!(
        "(CASE WHEN {col} >= 0 THEN {col} / 86400000 ELSE -((-{col} + 86399999) / 86400000) END)"
    )
}

/// The statistics statements: distinct rrtypes, distinct source lists, new names per day.
pub(crate) const STATS_BY_RRTYPE: &str =
    "SELECT rrtype, COUNT(*) FROM associations GROUP BY rrtype";
pub(crate) const STATS_BY_SOURCES: &str =
    "SELECT sources, COUNT(*) FROM associations GROUP BY sources";

/// New names per day: each distinct owner name over both tables, at the day of its earliest
/// first sighting.
pub(crate) fn stats_new_names() -> String {
    format!(
        "SELECT {day}, COUNT(*) FROM (SELECT rrname, MIN(first_seen) AS first_seen FROM \
         (SELECT rrname, first_seen FROM associations UNION ALL \
          SELECT rrname, first_seen FROM names) AS u GROUP BY rrname) AS f GROUP BY 1",
        day = day_of("first_seen")
    )
}

/// The raw figures the statistics statements return, turned into [`StoreStats`].
pub(crate) struct RawStats {
    pub associations: i64,
    pub sightings: String,
    pub names: i64,
    pub by_rrtype: Vec<(i64, i64)>,
    pub by_sources: Vec<(String, i64)>,
    pub new_names_per_day: Vec<(i64, i64)>,
}

impl RawStats {
    pub(crate) fn into_stats(self) -> crate::error::Result<StoreStats> {
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        let mut by_rrtype = Vec::with_capacity(self.by_rrtype.len());
        for (t, c) in self.by_rrtype {
            let t = u16::try_from(t).map_err(|_| {
                crate::error::Error::Corrupt(format!("rrtype {t} is not a 16-bit number"))
            })?;
            by_rrtype.push((RrType::from_u16(t).to_string(), n(c)));
        }
        let mut by_source = Vec::new();
        for (list, c) in &self.by_sources {
            for tag in list.split(TAG_SEP).filter(|t| !t.is_empty()) {
                by_source.push((source_label(tag), n(*c)));
            }
        }
        let mut days = self.new_names_per_day;
        days.sort_unstable();
        Ok(StoreStats {
            associations: n(self.associations),
            sightings: parse_sum(&self.sightings)?,
            names: n(self.names),
            by_rrtype: ranked(by_rrtype),
            by_source: ranked(by_source),
            new_names_per_day: days
                .into_iter()
                .map(|(d, c)| (day_label(d), n(c)))
                .collect(),
        })
    }
}

/// A sum of counts returned as decimal text, saturating at `u64::MAX`.
pub(crate) fn parse_sum(s: &str) -> crate::error::Result<u64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.parse::<u64>().unwrap_or(u64::MAX))
    } else {
        Err(crate::error::Error::Corrupt(format!("sum of counts {s:?}")))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::semantics::reversed;
    use yapdns_core::{QueryRequest, Timestamp};

    #[test]
    fn placeholders_follow_the_dialect() {
        let q = QueryRequest::new(Lookup::Rrset("*.example.com".parse().unwrap()));
        let r = Resolved::new(&q, Timestamp::from_secs(0)).unwrap();
        let s = lookup(Dialect::Sqlite, &r);
        assert!(
            s.text.contains("rrname_rev > ?1 AND rrname_rev < ?2"),
            "{}",
            s.text
        );
        assert_eq!(s.args[0], Arg::Text(reversed("example.com")));
        let p = lookup(Dialect::Postgres, &r);
        assert!(p.text.contains("LIMIT $3 OFFSET $4"), "{}", p.text);
    }
}

//! The Passive DNS Common Output Format (draft-dulaunoy-dnsop-passive-dns-cof), the JSON that
//! passive DNS clients and servers exchange.
//!
//! One association is one JSON object: `rrname`, `rrtype` (mnemonic), `rdata`, `time_first`,
//! `time_last` (integer Unix seconds), `count`, and where known `bailiwick`, `sensor_id`,
//! `time_first_ms`/`time_last_ms` (only when the source had sub-second precision). YAPDNS adds
//! two fields that the draft allows as extensions: `ttl` (the largest seen) and `sources`
//! (`format` or `format/sensor` strings), so that nothing is lost on a round trip.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::association::Association;
use crate::error::{Error, Result};
use crate::name::{normalize_name, normalize_rdata};
use crate::rrtype::RrType;
use crate::tag::{SourceTag, Sources};
use crate::time::Timestamp;

#[derive(Serialize)]
struct CofOut<'a> {
    rrname: &'a str,
    rrtype: RrType,
    rdata: &'a str,
    time_first: i64,
    time_last: i64,
    count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    bailiwick: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sensor_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_first_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_last_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ttl: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<String>,
}

impl Association {
    fn cof_out(&self) -> CofOut<'_> {
        let precise = self.first_seen.subsec_millis() != 0 || self.last_seen.subsec_millis() != 0;
        CofOut {
            rrname: &self.rrname,
            rrtype: self.rrtype,
            rdata: &self.rdata,
            time_first: self.first_seen.secs(),
            time_last: self.last_seen.secs(),
            count: self.count,
            bailiwick: self.bailiwick.as_deref(),
            // COF has one sensor per record; the first (in order) stands for all, and
            // `sources` keeps the full list.
            sensor_id: self.sources.iter().find_map(|s| s.sensor.as_deref()),
            time_first_ms: precise.then(|| self.first_seen.millis()),
            time_last_ms: precise.then(|| self.last_seen.millis()),
            ttl: self.ttl,
            sources: self.sources.iter().map(ToString::to_string).collect(),
        }
    }

    /// The association as a COF JSON object.
    ///
    /// ```
    /// use yapdns_core::{Association, RrType, SourceTag, Timestamp};
    /// let a = Association::new("example.com", RrType::A, "192.0.2.1",
    ///                          Timestamp::from_secs(1700000000), SourceTag::new("squid", None)).unwrap();
    /// assert_eq!(a.to_cof_json(),
    ///   r#"{"rrname":"example.com","rrtype":"A","rdata":"192.0.2.1","time_first":1700000000,"time_last":1700000000,"count":1,"sources":["squid"]}"#);
    /// ```
    pub fn to_cof_json(&self) -> String {
        serde_json::to_string(&self.cof_out()).unwrap_or_default()
    }

    /// Writes the association as one COF line (JSON and `\n`).
    pub fn write_cof<W: std::io::Write>(&self, mut w: W) -> std::io::Result<()> {
        serde_json::to_writer(&mut w, &self.cof_out()).map_err(std::io::Error::from)?;
        w.write_all(b"\n")
    }

    /// The association as a COF [`Value`].
    pub fn to_cof_value(&self) -> Value {
        serde_json::to_value(self.cof_out()).unwrap_or(Value::Null)
    }

    /// Reads one COF JSON line. A record whose `rdata` is an array (as DNSDB writes rrsets)
    /// gives one association per element; a DNSDB SAF line `{"obj": {…}}` is unwrapped.
    /// Records without `sources` are tagged with `default_format` and their `sensor_id`.
    ///
    /// ```
    /// use yapdns_core::Association;
    /// let v = Association::from_cof_json(
    ///     r#"{"rrname":"Example.com.","rrtype":"NS","rdata":["a.iana-servers.net.","b.iana-servers.net."],
    ///         "time_first":1,"time_last":2,"count":5,"bailiwick":"com."}"#, "cof").unwrap();
    /// assert_eq!(v.len(), 2);
    /// assert_eq!((v[1].rdata.as_str(), v[1].count), ("b.iana-servers.net", 5));
    /// ```
    pub fn from_cof_json(line: &str, default_format: &str) -> Result<Vec<Association>> {
        let v: Value = serde_json::from_str(line)?;
        Association::from_cof_value(v, default_format)
    }

    /// Like [`Association::from_cof_json`], from a parsed JSON value.
    pub fn from_cof_value(v: Value, default_format: &str) -> Result<Vec<Association>> {
        let v = match v {
            Value::Object(mut m) if m.contains_key("obj") => m.remove("obj").unwrap_or_default(),
            v => v,
        };
        let rec: CofIn = serde_json::from_value(v).map_err(|e| Error::Cof(e.to_string()))?;
        rec.into_associations(default_format)
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Num {
    Int(i64),
    Float(f64),
    Str(String),
}

impl Num {
    fn secs_millis(&self) -> Option<i64> {
        match self {
            Num::Int(i) => i.checked_mul(1000),
            Num::Float(f) => Timestamp::from_secs_f64(*f).map(Timestamp::millis),
            Num::Str(s) => s
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|i| i.checked_mul(1000)),
        }
    }
}

#[derive(Deserialize)]
struct CofIn {
    rrname: String,
    rrtype: RrType,
    rdata: OneOrMany,
    time_first: Option<Num>,
    time_last: Option<Num>,
    zone_time_first: Option<Num>,
    zone_time_last: Option<Num>,
    time_first_ms: Option<i64>,
    time_last_ms: Option<i64>,
    count: Option<u64>,
    bailiwick: Option<String>,
    sensor_id: Option<String>,
    ttl: Option<u32>,
    sources: Option<Vec<String>>,
}

impl CofIn {
    fn into_associations(self, default_format: &str) -> Result<Vec<Association>> {
        let first = self
            .time_first_ms
            .or_else(|| self.time_first.as_ref().and_then(Num::secs_millis))
            .or_else(|| self.zone_time_first.as_ref().and_then(Num::secs_millis))
            .ok_or_else(|| Error::Cof("missing time_first".into()))?;
        let last = self
            .time_last_ms
            .or_else(|| self.time_last.as_ref().and_then(Num::secs_millis))
            .or_else(|| self.zone_time_last.as_ref().and_then(Num::secs_millis))
            .unwrap_or(first);
        if last < first {
            return Err(Error::Cof("time_last is before time_first".into()));
        }
        let rrname = normalize_name(&self.rrname)?;
        let bailiwick = self.bailiwick.as_deref().map(normalize_name).transpose()?;
        let sources: Sources = match self.sources {
            Some(list) if !list.is_empty() => list
                .iter()
                .map(|s| match s.split_once('/') {
                    Some((f, sensor)) => SourceTag::new(f.to_string(), Some(sensor)),
                    None => SourceTag::new(s.clone(), None),
                })
                .collect(),
            _ => Sources::one(SourceTag::new(
                default_format.to_string(),
                self.sensor_id.as_deref(),
            )),
        };
        let rdatas = match self.rdata {
            OneOrMany::One(r) => vec![r],
            OneOrMany::Many(v) => v,
        };
        rdatas
            .iter()
            .map(|r| {
                Ok(Association {
                    rrname: rrname.clone(),
                    rrtype: self.rrtype,
                    rdata: normalize_rdata(self.rrtype, r)?,
                    first_seen: Timestamp::from_millis(first),
                    last_seen: Timestamp::from_millis(last),
                    count: self.count.unwrap_or(1).max(1),
                    ttl: self.ttl,
                    bailiwick: bailiwick.clone(),
                    sources: sources.clone(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Association {
        let mut a = Association::new(
            "www.example.com",
            RrType::CNAME,
            "example.com",
            Timestamp::from_millis(1_700_000_000_250),
            SourceTag::new("bind", Some("ns1")),
        )
        .unwrap()
        .with_ttl(Some(300));
        a.bailiwick = Some("example.com".into());
        a
    }

    #[test]
    fn round_trip_keeps_everything() {
        let a = sample();
        let back = Association::from_cof_json(&a.to_cof_json(), "cof").unwrap();
        assert_eq!(back, vec![a]);
    }

    #[test]
    fn millis_only_when_present() {
        let v = sample().to_cof_value();
        assert_eq!(v["time_first"], 1_700_000_000);
        assert_eq!(v["time_first_ms"], 1_700_000_000_250i64);
        assert_eq!(v["sensor_id"], "ns1");
        assert_eq!(v["rrtype"], "CNAME");
    }

    #[test]
    fn zone_times_and_numeric_rrtype_and_saf_wrapper() {
        let v = Association::from_cof_json(
            r#"{"obj":{"rrname":"x.test","rrtype":28,"rdata":"2001:DB8::1","zone_time_first":5,"zone_time_last":9}}"#,
            "dnsdb",
        )
        .unwrap();
        assert_eq!(v[0].rdata, "2001:db8::1");
        assert_eq!((v[0].first_seen.secs(), v[0].last_seen.secs()), (5, 9));
        assert_eq!(v[0].sources.iter().next().unwrap().format, "dnsdb");
    }

    #[test]
    fn missing_fields_are_errors() {
        assert!(Association::from_cof_json(r#"{"rrname":"x.test","rrtype":"A"}"#, "c").is_err());
        assert!(Association::from_cof_json(
            r#"{"rrname":"x.test","rrtype":"A","rdata":"1.2.3.4"}"#,
            "c"
        )
        .is_err());
        assert!(Association::from_cof_json("not json", "c").is_err());
    }
}

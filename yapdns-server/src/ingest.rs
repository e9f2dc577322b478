//! Ingestion: how agents (and the old YAPDNS beat) hand associations to the server.
//!
//! `POST /api/v1/associations` takes NDJSON, one record a line, each line in one of three forms:
//!
//! - a COF record (`rrname`, `rrtype`, `rdata`, `time_first`, `time_last`, `count`, …; `rdata`
//!   may be an array, a DNSDB SAF `{"obj": …}` line is unwrapped), read by
//!   [`Association::from_cof_value`];
//! - YAPDNS's own JSON for an [`Association`] (serde: `first_seen`/`last_seen` in milliseconds,
//!   `sources` as objects), recognised by its `first_seen` and `rdata` fields;
//! - YAPDNS's own JSON for a [`NameSighting`] (`first_seen` and no `rdata`).
//!
//! The request is all-or-nothing: the first bad line rejects it with 400 and
//! `{"error": "invalid_line", "line": N, "reason": …}`, and nothing is written. An
//! `Idempotency-Key` header becomes the batch id, so a retried request is applied once.
//!
//! `POST /api/v1/dns` (one JSON object) and `POST /api/v1/dns/bulk` (a JSON array) accept the
//! beat's records `{timestamp, domain, rtype, rdata, ttl, client: {service_type, ip}}` and answer
//! as the old Django application did: `{"status": 200, "message": …}`.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use yapdns_core::{
    normalize_name, normalize_rdata, Association, Batch, BatchId, NameSighting, RrType, SourceTag,
    Sources, Timestamp,
};

use crate::app::AppState;
use crate::auth::Role;
use crate::error::ApiError;

/// The longest `Idempotency-Key` accepted.
pub const MAX_IDEMPOTENCY_KEY: usize = 200;

/// Reads an NDJSON body into a batch, all or nothing. `client` tags COF records that name no
/// sensor, so a store always says who sent what.
pub fn parse_ndjson(body: &[u8], max_line: usize, client: &str) -> Result<Batch, ApiError> {
    let mut batch = Batch::default();
    let mut start = 0usize;
    let mut line_no = 0u64;
    while start < body.len() {
        let end = memchr::memchr(b'\n', &body[start..]).map_or(body.len(), |i| start + i);
        line_no += 1;
        let mut line = &body[start..end];
        start = end + 1;
        if line.last() == Some(&b'\r') {
            line = &line[..line.len() - 1];
        }
        if line.len() > max_line {
            return Err(ApiError::bad_line(
                line_no,
                format!("line is longer than {max_line} bytes"),
            ));
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        parse_line(line, client, &mut batch)
            .map_err(|reason| ApiError::bad_line(line_no, reason))?;
    }
    Ok(batch)
}

fn parse_line(line: &[u8], client: &str, batch: &mut Batch) -> Result<(), String> {
    let v: Value = serde_json::from_slice(line).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(obj) = &v else {
        return Err("expected a JSON object".into());
    };
    if obj.contains_key("first_seen") {
        if obj.contains_key("rdata") {
            let a: Association =
                serde_json::from_value(v).map_err(|e| format!("invalid association: {e}"))?;
            batch.associations.push(check_association(a, client)?);
        } else {
            let n: NameSighting =
                serde_json::from_value(v).map_err(|e| format!("invalid name sighting: {e}"))?;
            batch.names.push(check_name(n, client)?);
        }
        return Ok(());
    }
    let list = Association::from_cof_value(v, "cof").map_err(|e| e.to_string())?;
    let anonymous = SourceTag::new("cof", None);
    for mut a in list {
        if a.sources.len() == 1 && a.sources.contains(&anonymous) {
            a.sources = Sources::one(SourceTag::new("cof", Some(client)));
        }
        batch.associations.push(a);
    }
    Ok(())
}

fn default_sources(sources: Sources, client: &str) -> Sources {
    if sources.is_empty() {
        Sources::one(SourceTag::new("api", Some(client)))
    } else {
        sources
    }
}

/// Re-normalises an association sent in YAPDNS's JSON: the sender may not be a YAPDNS library.
fn check_association(a: Association, client: &str) -> Result<Association, String> {
    if a.last_seen < a.first_seen {
        return Err("last_seen is before first_seen".into());
    }
    if a.count == 0 {
        return Err("count must be at least 1".into());
    }
    Ok(Association {
        rrname: normalize_name(&a.rrname).map_err(|e| e.to_string())?,
        rdata: normalize_rdata(a.rrtype, &a.rdata).map_err(|e| e.to_string())?,
        bailiwick: a
            .bailiwick
            .as_deref()
            .map(normalize_name)
            .transpose()
            .map_err(|e| e.to_string())?,
        sources: default_sources(a.sources, client),
        ..a
    })
}

fn check_name(n: NameSighting, client: &str) -> Result<NameSighting, String> {
    if n.last_seen < n.first_seen {
        return Err("last_seen is before first_seen".into());
    }
    if n.count == 0 {
        return Err("count must be at least 1".into());
    }
    Ok(NameSighting {
        rrname: normalize_name(&n.rrname).map_err(|e| e.to_string())?,
        sources: default_sources(n.sources, client),
        ..n
    })
}

/// The batch id from `Idempotency-Key`: printable ASCII, at most [`MAX_IDEMPOTENCY_KEY`] bytes.
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<BatchId>, ApiError> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let s = v
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.len() <= MAX_IDEMPOTENCY_KEY)
        .filter(|s| s.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY} printable ASCII characters"
            ))
        })?;
    Ok(Some(BatchId(s.to_string())))
}

fn body_or_413(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, ApiError> {
    body.map_err(|rej| {
        if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(limit)
        } else {
            ApiError::bad_request(rej.body_text())
        }
    })
}

/// `POST /api/v1/associations`.
pub async fn associations(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let who = state.authorize(&headers, Role::Ingest).await?;
    let body = body_or_413(body, state.config.max_body_bytes)?;
    let id = idempotency_key(&headers)?;
    let mut batch = parse_ndjson(&body, state.config.max_line_bytes, &who.client)?;
    batch.id = id;
    let receipt = state.write(batch).await?;
    Ok(Json(receipt).into_response())
}

/// One record as the YAPDNS beat sent it.
#[derive(Debug, Deserialize)]
struct BeatRecord {
    timestamp: Value,
    domain: String,
    rtype: String,
    rdata: String,
    #[serde(default)]
    ttl: Option<Value>,
    client: BeatClient,
}

#[derive(Debug, Deserialize)]
struct BeatClient {
    #[serde(default)]
    service_type: Option<String>,
    #[serde(default)]
    hostname: Option<String>,
    #[serde(default)]
    ip: Option<String>,
}

const BEAT_FIELDS: &str = "('domain', 'rtype', 'client', 'rdata', 'timestamp')";

/// Reads the beat's `timestamp`: RFC 3339 text (libbeat writes `2016-06-20T10:00:00.000Z`), the
/// same without a zone (UTC), or Unix seconds as a number.
pub fn beat_timestamp(v: &Value) -> Result<Timestamp, String> {
    match v {
        Value::Number(n) => n
            .as_f64()
            .and_then(Timestamp::from_secs_f64)
            .ok_or_else(|| format!("invalid timestamp {n}")),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
                return Ok(Timestamp::from_millis(t.timestamp_millis()));
            }
            for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
                if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
                    return Ok(Timestamp::from_millis(t.and_utc().timestamp_millis()));
                }
            }
            Err(format!("invalid timestamp {s:?}: expected RFC 3339"))
        }
        _ => Err("invalid timestamp: expected RFC 3339 text or Unix seconds".into()),
    }
}

/// Turns one beat record (a JSON value) into an association seen by `client`.
pub fn beat_record(v: Value, client: &str) -> Result<Association, String> {
    let Value::Object(obj) = &v else {
        return Err("expected a JSON object".into());
    };
    if ["domain", "rtype", "client", "rdata", "timestamp"]
        .iter()
        .any(|k| !obj.contains_key(*k))
    {
        return Err(format!("Required fields {BEAT_FIELDS} not present"));
    }
    let r: BeatRecord = serde_json::from_value(v).map_err(|e| format!("invalid record: {e}"))?;
    if r.client.ip.is_none() || (r.client.service_type.is_none() && r.client.hostname.is_none()) {
        return Err("Required fields ('service_type', 'ip') not present in client".into());
    }
    let rrtype: RrType = r
        .rtype
        .parse()
        .map_err(|_| "Invalid value for record type".to_string())?;
    let ttl = match &r.ttl {
        None | Some(Value::Null) => None,
        Some(t) => {
            let n = t
                .as_i64()
                .or_else(|| t.as_str().and_then(|s| s.trim().parse().ok()))
                .ok_or_else(|| "Invalid value for TTL".to_string())?;
            if n < 0 {
                return Err("Invalid value for TTL".into());
            }
            Some(u32::try_from(n).unwrap_or(u32::MAX))
        }
    };
    let seen = beat_timestamp(&r.timestamp)?;
    Association::new(
        &r.domain,
        rrtype,
        &r.rdata,
        seen,
        SourceTag::new("beat", Some(client)),
    )
    .map(|a| a.with_ttl(ttl))
    .map_err(|e| e.to_string())
}

fn beat_reply(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(serde_json::json!({"status": status.as_u16(), "message": message})),
    )
        .into_response()
}

async fn beat(
    state: AppState,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
    bulk: bool,
) -> Response {
    let run = async {
        let who = state.authorize(&headers, Role::Ingest).await?;
        let body = body_or_413(body, state.config.max_body_bytes)?;
        let v: Value = serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request(format!("Invalid request: {e}")))?;
        let records = match (bulk, v) {
            (true, Value::Array(list)) => list,
            (true, _) => return Err(ApiError::bad_request("expected a JSON array of records")),
            (false, v) => vec![v],
        };
        let mut batch = Batch {
            id: idempotency_key(&headers)?,
            ..Batch::default()
        };
        for (i, r) in records.into_iter().enumerate() {
            let a = beat_record(r, &who.client).map_err(|reason| ApiError {
                line: bulk.then_some(i as u64 + 1),
                ..ApiError::bad_request(reason)
            })?;
            batch.associations.push(a);
        }
        state.write(batch).await
    };
    match run.await {
        Ok(_) => beat_reply(StatusCode::OK, "DNS Record create successfully"),
        Err(e) => {
            let mut r = beat_reply(e.status, &e.reason);
            if let Some(s) = e.retry_after {
                r.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, s.into());
            }
            r
        }
    }
}

/// `POST /api/v1/dns`: one beat record.
pub async fn beat_one(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    beat(state, headers, body, false).await
}

/// `POST /api/v1/dns/bulk`: a JSON array of beat records.
pub async fn beat_bulk(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    beat(state, headers, body, true).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cof_native_and_names_in_one_body() {
        let a = Association::new(
            "WWW.Example.com",
            RrType::A,
            "192.0.2.1",
            Timestamp::from_millis(1_700_000_000_250),
            SourceTag::new("squid", Some("p1")),
        )
        .unwrap();
        let n = NameSighting::new(
            "q.example.com",
            None,
            Timestamp::from_secs(5),
            SourceTag::new("bind", None),
        )
        .unwrap();
        let body = format!(
            "{}\r\n\n{}\n{}\n  \n",
            r#"{"rrname":"x.test.","rrtype":"NS","rdata":["a.test.","b.test."],"time_first":1,"time_last":2,"count":3}"#,
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&n).unwrap()
        );
        let b = parse_ndjson(body.as_bytes(), 1024, "agent-1").unwrap();
        assert_eq!(b.associations.len(), 3);
        assert_eq!(b.associations[0].rdata, "a.test");
        assert_eq!(
            b.associations[0].sources.iter().next().unwrap(),
            &SourceTag::new("cof", Some("agent-1"))
        );
        assert_eq!(b.associations[2], a);
        assert_eq!(b.names, vec![n]);
    }

    #[test]
    fn a_bad_line_rejects_the_request_with_its_number() {
        let body = b"{\"rrname\":\"ok.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1}\n\n{\"rrname\":\"bad.test\",\"rrtype\":\"A\",\"rdata\":\"not-an-ip\",\"time_first\":1}\n";
        let e = parse_ndjson(body, 1024, "c").unwrap_err();
        assert_eq!((e.status, e.line), (StatusCode::BAD_REQUEST, Some(3)));
        assert!(e.reason.contains("IPv4"), "{}", e.reason);
        let e = parse_ndjson(b"[1,2]\n", 1024, "c").unwrap_err();
        assert_eq!(e.line, Some(1));
        let e = parse_ndjson(b"{\"x\":1}\n", 1024, "c").unwrap_err();
        assert_eq!(e.line, Some(1));
        let long = format!("{{\"a\":\"{}\"}}", "x".repeat(100));
        let e = parse_ndjson(long.as_bytes(), 50, "c").unwrap_err();
        assert!(e.reason.contains("longer than 50"));
    }

    #[test]
    fn native_records_are_renormalised_and_checked() {
        let line = r#"{"rrname":"WWW.EXAMPLE.COM.","rrtype":"AAAA","rdata":"2001:DB8:0::1","first_seen":5000,"last_seen":9000,"count":2}"#;
        let b = parse_ndjson(line.as_bytes(), 1024, "c").unwrap();
        let a = &b.associations[0];
        assert_eq!(
            (a.rrname.as_str(), a.rdata.as_str()),
            ("www.example.com", "2001:db8::1")
        );
        assert_eq!(
            a.sources.iter().next().unwrap(),
            &SourceTag::new("api", Some("c"))
        );
        let back = r#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","first_seen":9000,"last_seen":5000,"count":1}"#;
        assert!(parse_ndjson(back.as_bytes(), 1024, "c").is_err());
        let zero = r#"{"rrname":"x.test","rrtype":"A","rdata":"192.0.2.1","first_seen":1,"last_seen":5,"count":0}"#;
        assert!(parse_ndjson(zero.as_bytes(), 1024, "c").is_err());
    }

    #[test]
    fn beat_records_as_libbeat_and_django_wrote_them() {
        let v = serde_json::json!({"timestamp":"2016-06-20T10:11:12.345Z","domain":"Example.com","rtype":"A",
            "rdata":"93.184.216.34","ttl":300,"client":{"service_type":"bind","ip":"10.0.0.1"}});
        let a = beat_record(v, "beat-1").unwrap();
        assert_eq!(a.first_seen.millis(), 1_466_417_472_345);
        assert_eq!((a.rrname.as_str(), a.ttl), ("example.com", Some(300)));
        assert_eq!(
            a.sources.iter().next().unwrap(),
            &SourceTag::new("beat", Some("beat-1"))
        );
        // libbeat's own client object: hostname instead of service_type.
        let v = serde_json::json!({"timestamp":1466417472,"domain":"example.com","rtype":"CNAME",
            "rdata":"www.example.com","client":{"hostname":"h","ip":"10.0.0.1"}});
        assert!(beat_record(v, "b").is_ok());
        let missing =
            serde_json::json!({"domain":"example.com","rtype":"A","rdata":"1.2.3.4","client":{}});
        assert!(beat_record(missing, "b")
            .unwrap_err()
            .contains("Required fields"));
        let no_ip = serde_json::json!({"timestamp":1,"domain":"e.com","rtype":"A","rdata":"1.2.3.4","client":{"service_type":"x"}});
        assert!(beat_record(no_ip, "b").unwrap_err().contains("client"));
        let neg = serde_json::json!({"timestamp":1,"domain":"e.com","rtype":"A","rdata":"1.2.3.4","ttl":-1,"client":{"service_type":"x","ip":"1.1.1.1"}});
        assert_eq!(beat_record(neg, "b").unwrap_err(), "Invalid value for TTL");
        assert!(beat_timestamp(&serde_json::json!("2016-06-20 10:11:12")).is_ok());
        assert!(beat_timestamp(&serde_json::json!("yesterday")).is_err());
    }

    #[test]
    fn idempotency_keys_are_checked() {
        let mut h = HeaderMap::new();
        assert_eq!(idempotency_key(&h).unwrap(), None);
        h.insert("idempotency-key", "file:abc:0-4096".parse().unwrap());
        assert_eq!(
            idempotency_key(&h).unwrap(),
            Some(BatchId("file:abc:0-4096".into()))
        );
        h.insert("idempotency-key", "a b".parse().unwrap());
        assert!(idempotency_key(&h).is_err());
        h.insert("idempotency-key", "x".repeat(201).parse().unwrap());
        assert!(idempotency_key(&h).is_err());
    }
}

//! The DNSDB API, so that DNSDB clients (dnsdbq, the DNSDB Python and Java clients, SOAR
//! connectors) work against YAPDNS unchanged.
//!
//! Version 2 (`/dnsdb/v2/…`) frames results in the Streaming API Framing protocol (SAF): the
//! first line is `{"cond":"begin"}`, then one `{"obj":{…}}` line per result, and the last line
//! is `{"cond":"succeeded"}`, `{"cond":"limited","msg":…}` (the limit cut the results off) or
//! `{"cond":"failed","msg":…}` (the store failed after the answer began); every line ends in
//! `\n`. A response that does not end in `succeeded` or `limited` is truncated, and clients
//! know it. Version 1 (`/lookup/…`) writes the objects alone and answers 404 when nothing
//! matched.
//!
//! Paths (each segment percent-decoded, so `%2A` and `%2F` work):
//!
//! ```text
//! /dnsdb/v2/{lookup|summarize}/rrset/name/OWNER[/RRTYPE[/BAILIWICK]]
//! /dnsdb/v2/{lookup|summarize}/rdata/name/NAME[/RRTYPE]
//! /dnsdb/v2/{lookup|summarize}/rdata/ip/{ADDR | NET,PFX | LO-HI}
//! /dnsdb/v2/ping   /dnsdb/v2/rate_limit
//! /lookup/…  /summarize/…  /lookup/rate_limit        (version 1)
//! ```
//!
//! Parameters: `limit` (0 = `results_max`), `offset`, `max_count`, `time_first_before`,
//! `time_first_after`, `time_last_before`, `time_last_after` (negative = seconds before now),
//! `aggr`, `humantime`, `swclient`, `version`, `id`; booleans are `t/f/true/false/1/0`.
//! Status codes as DNSDB documents them: 400 (bad path or parameter), 403 (no key, bad key or
//! role), 416 (offset past `offset_max`, or an offset where none is allowed), 429 (rate limit),
//! 503 (store unavailable).
//!
//! A YAPDNS store keeps one association per (rrname, rrtype, rdata), not DNSDB's RRsets, so
//! each result carries one rdata (as a one-element array in version 2). Names are written with
//! their trailing dot, as DNSDB does. `aggr=f` gives the same aggregated results.

use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use yapdns_core::{
    normalize_name, Association, IpFilter, Lookup, NamePattern, QueryRequest, RrType, Summary,
    Timestamp, DEFAULT_LIMIT,
};

use crate::app::AppState;
use crate::auth::Role;
use crate::error::ApiError;
use crate::params::DnsdbParams;

/// Results fetched from the store at a time while streaming a long answer.
pub const CHUNK: usize = 2000;

/// `application/x-ndjson`, what DNSDB v2 answers lookups with.
pub const NDJSON: &str = "application/x-ndjson";

/// What a DNSDB path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsdbPath {
    /// The lookup.
    pub lookup: Lookup,
    /// The type filter (`None` for ANY or none given).
    pub rrtype: Option<RrType>,
    /// The bailiwick filter (rrset lookups only).
    pub bailiwick: Option<String>,
}

/// Decodes `%XX` escapes of one path segment; `+` stays `+`.
pub fn percent_decode(seg: &str) -> Result<String, String> {
    let b = seg.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent escape in {seg:?}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("{seg:?} is not UTF-8 once decoded"))
}

fn parse_rrtype(s: &str) -> Result<Option<RrType>, String> {
    if s.eq_ignore_ascii_case("ANY") {
        return Ok(None);
    }
    if s.eq_ignore_ascii_case("ANY-DNSSEC") {
        return Err("rrtype ANY-DNSSEC is not supported".into());
    }
    s.parse::<RrType>().map(Some).map_err(|e| e.to_string())
}

fn parse_name(s: &str) -> Result<NamePattern, String> {
    s.parse::<NamePattern>().map_err(|e| e.to_string())
}

/// Parses what follows `/lookup/` or `/summarize/` in a raw (still percent-encoded) path.
pub fn parse_path(rest: &str) -> Result<DnsdbPath, String> {
    let segs = rest
        .split('/')
        .map(percent_decode)
        .collect::<Result<Vec<_>, _>>()?;
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let bad = || Err(format!("unrecognized lookup path /{rest}"));
    match segs.as_slice() {
        ["rrset", "raw", ..] | ["rdata", "raw", ..] => {
            Err("raw (hex) lookups are not supported".into())
        }
        ["rrset", "name", owner, more @ ..] if more.len() <= 2 && !owner.is_empty() => {
            let rrtype = match more.first() {
                Some(t) => parse_rrtype(t)?,
                None => None,
            };
            let bailiwick = match more.get(1) {
                Some(b) => Some(normalize_name(b).map_err(|e| e.to_string())?),
                None => None,
            };
            Ok(DnsdbPath {
                lookup: Lookup::Rrset(parse_name(owner)?),
                rrtype,
                bailiwick,
            })
        }
        ["rdata", "name", name, more @ ..] if more.len() <= 1 && !name.is_empty() => {
            Ok(DnsdbPath {
                lookup: Lookup::RdataName(parse_name(name)?),
                rrtype: match more.first() {
                    Some(t) => parse_rrtype(t)?,
                    None => None,
                },
                bailiwick: None,
            })
        }
        ["rdata", "ip", value] if !value.is_empty() => {
            let f: IpFilter = value
                .parse()
                .map_err(|e: yapdns_core::Error| e.to_string())?;
            Ok(DnsdbPath {
                lookup: Lookup::RdataIp(f),
                rrtype: None,
                bailiwick: None,
            })
        }
        _ => bad(),
    }
}

/// A name as DNSDB writes it: with its trailing dot.
pub fn fqdn(name: &str) -> String {
    if name.is_empty() || name == "." {
        return ".".to_string();
    }
    let mut s = String::with_capacity(name.len() + 1);
    s.push_str(name);
    s.push('.');
    s
}

/// Record data as DNSDB writes it: the names inside it with their trailing dot.
pub fn dnsdb_rdata(rrtype: RrType, rdata: &str) -> String {
    let names_at = |flags: &[bool]| -> String {
        let fields: Vec<&str> = rdata.split(' ').collect();
        if fields.len() != flags.len() {
            return rdata.to_string();
        }
        fields
            .iter()
            .zip(flags)
            .map(|(f, n)| if *n { fqdn(f) } else { (*f).to_string() })
            .collect::<Vec<_>>()
            .join(" ")
    };
    match rrtype {
        RrType::CNAME | RrType::NS | RrType::PTR | RrType::DNAME => fqdn(rdata),
        RrType::MX | RrType::KX | RrType::AFSDB if !rdata.contains(' ') => fqdn(rdata),
        RrType::MX | RrType::KX | RrType::AFSDB => names_at(&[false, true]),
        RrType::SRV => names_at(&[false, false, false, true]),
        RrType::SOA => names_at(&[true, true, false, false, false, false, false]),
        _ => rdata.to_string(),
    }
}

/// A time as DNSDB writes it: Unix seconds, or RFC 3339 with `humantime`.
pub fn time_value(t: Timestamp, human: bool) -> Value {
    if human {
        let s = chrono::DateTime::from_timestamp(t.secs(), 0)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default();
        Value::String(s)
    } else {
        Value::from(t.secs())
    }
}

/// One association as a DNSDB result object. `rdata_array`: as DNSDB v2 (and v1 rrset
/// lookups) write it.
pub fn dnsdb_object(a: &Association, human: bool, rdata_array: bool) -> Value {
    let mut m = Map::new();
    m.insert("count".into(), a.count.into());
    m.insert("time_first".into(), time_value(a.first_seen, human));
    m.insert("time_last".into(), time_value(a.last_seen, human));
    m.insert("rrname".into(), fqdn(&a.rrname).into());
    m.insert("rrtype".into(), a.rrtype.to_string().into());
    if let Some(b) = &a.bailiwick {
        m.insert("bailiwick".into(), fqdn(b).into());
    }
    let rdata = dnsdb_rdata(a.rrtype, &a.rdata);
    m.insert(
        "rdata".into(),
        if rdata_array {
            Value::Array(vec![rdata.into()])
        } else {
            rdata.into()
        },
    );
    Value::Object(m)
}

/// A summary as a DNSDB result object.
pub fn summary_object(s: &Summary, human: bool) -> Value {
    let mut m = Map::new();
    m.insert("count".into(), s.count.into());
    m.insert("num_results".into(), s.num_results.into());
    if let Some(t) = s.time_first {
        m.insert("time_first".into(), time_value(t, human));
    }
    if let Some(t) = s.time_last {
        m.insert("time_last".into(), time_value(t, human));
    }
    Value::Object(m)
}

/// A SAF line: `{"obj":…}\n`.
pub fn saf_obj(v: &Value) -> String {
    let mut s = json!({ "obj": v }).to_string();
    s.push('\n');
    s
}

/// A SAF condition line: `{"cond":…[,"msg":…]}\n`.
pub fn saf_cond(cond: &str, msg: Option<&str>) -> String {
    let mut s = match msg {
        Some(m) => json!({"cond": cond, "msg": m}).to_string(),
        None => json!({ "cond": cond }).to_string(),
    };
    s.push('\n');
    s
}

/// API version: 2 frames in SAF, 1 does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `/lookup/…`: bare objects, 404 when nothing matched.
    V1,
    /// `/dnsdb/v2/…`: SAF.
    V2,
}

fn dnsdb_error(e: ApiError) -> Response {
    // DNSDB answers 403 for a missing key as well as a bad one.
    let e = if e.status == StatusCode::UNAUTHORIZED {
        ApiError {
            reason: "API key not valid".into(),
            ..ApiError::new(StatusCode::FORBIDDEN, "forbidden", "")
        }
    } else {
        e
    };
    e.plain()
}

/// `GET /dnsdb/v2/{regex|glob}/…`: DNSDB's Flex search, which this server does not offer. A
/// clear 501, so that clients (`dnsdb2`'s `flex_*`) say why, rather than a bare 404.
pub async fn flex(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(e) = state.authorize(&headers, Role::Query).await {
        return e.plain();
    }
    ApiError::new(
        StatusCode::NOT_IMPLEMENTED,
        "not_implemented",
        "Flex search (regex, glob) is not offered by this server; use lookup with wildcards",
    )
    .plain()
}

fn range_error(reason: &str) -> ApiError {
    ApiError::new(StatusCode::RANGE_NOT_SATISFIABLE, "range", reason)
}

/// The path after `prefix` in the raw request URI (percent escapes intact).
fn rest_of<'a>(uri: &'a Uri, prefix: &str) -> &'a str {
    uri.path().strip_prefix(prefix).unwrap_or("")
}

/// The request and the number of results to return, from path and parameters.
fn build(
    state: &AppState,
    rest: &str,
    query: Option<&str>,
) -> Result<(QueryRequest, DnsdbParams, usize), ApiError> {
    let path = parse_path(rest).map_err(ApiError::bad_request)?;
    let params = DnsdbParams::parse(query).map_err(ApiError::bad_request)?;
    let max = state.config.results_max;
    let limit = match params.limit {
        None => DEFAULT_LIMIT.min(max),
        Some(0) => max,
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX).min(max),
    };
    let offset = usize::try_from(params.offset).unwrap_or(usize::MAX);
    if offset > state.config.offset_max {
        return Err(range_error(&format!(
            "offset {offset} is larger than offset_max {}",
            state.config.offset_max
        )));
    }
    let mut q = QueryRequest::new(path.lookup);
    q.rrtype = path.rrtype;
    q.bailiwick = path.bailiwick;
    q.fence = params.fence;
    q.offset = offset;
    q.limit = limit;
    if !params.client_info.is_empty() {
        tracing::debug!(client = ?params.client_info, "dnsdb client");
    }
    Ok((q, params, limit))
}

fn ndjson_response(body: Body) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, NDJSON)], body).into_response()
}

/// Runs a lookup and streams it: the first chunk is fetched before answering (so a store
/// that is down gives 503, not a broken 200), the rest while the body is being sent.
async fn lookup(
    state: AppState,
    headers: HeaderMap,
    rest: &str,
    query: Option<&str>,
    v: Version,
) -> Response {
    let run = async {
        state.authorize(&headers, Role::Query).await?;
        let (q, params, total) = build(&state, rest, query)?;
        let first = {
            let mut q1 = q.clone();
            q1.limit = CHUNK.min(total);
            state
                .store
                .lookup(&q1)
                .await
                .map_err(|e| state.store_error(&e))?
        };
        Ok::<_, ApiError>((q, params, total, first))
    };
    let (q, params, total, first) = match run.await {
        Ok(x) => x,
        Err(e) => return dnsdb_error(e),
    };
    let human = params.humantime;
    let array = v == Version::V2 || matches!(q.lookup, Lookup::Rrset(_));
    if v == Version::V1 && first.associations.is_empty() {
        return (
            StatusCode::NOT_FOUND,
            "Error: no results found for query.\n",
        )
            .into_response();
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Bytes, Infallible>>(4);
    let task_state = state.clone();
    tokio::spawn(async move {
        let mut out = String::with_capacity(64 * 1024);
        if v == Version::V2 {
            out.push_str(&saf_cond("begin", None));
        }
        let mut page = first;
        let mut sent = 0usize;
        let mut q = q;
        let end = loop {
            for a in &page.associations {
                let obj = dnsdb_object(a, human, array);
                if v == Version::V2 {
                    out.push_str(&saf_obj(&obj));
                } else {
                    out.push_str(&obj.to_string());
                    out.push('\n');
                }
            }
            sent += page.associations.len();
            if tx
                .send(Ok(Bytes::from(std::mem::take(&mut out))))
                .await
                .is_err()
            {
                return; // the client went away
            }
            if !page.truncated {
                break saf_cond("succeeded", None);
            }
            if sent >= total {
                break saf_cond("limited", Some("Result limit reached"));
            }
            q.offset += page.associations.len();
            q.limit = CHUNK.min(total - sent);
            match task_state.store.lookup(&q).await {
                Ok(p) if p.associations.is_empty() => break saf_cond("succeeded", None),
                Ok(p) => page = p,
                Err(e) => {
                    task_state.metrics.store_error(&e);
                    break saf_cond("failed", Some(&format!("store error: {e}")));
                }
            }
        };
        if v == Version::V2 {
            let _ = tx.send(Ok(Bytes::from(end))).await;
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    ndjson_response(Body::from_stream(stream))
}

/// Sums what a lookup would return, within `limit` and `max_count`. The store's own summary
/// answers when neither cuts the results; otherwise the results are walked a chunk at a time.
async fn summarize(
    state: AppState,
    headers: HeaderMap,
    rest: &str,
    query: Option<&str>,
    v: Version,
) -> Response {
    let run = async {
        state.authorize(&headers, Role::Query).await?;
        let (q, params, total) = build(&state, rest, query)?;
        if q.offset > 0 {
            return Err(range_error("offset is not allowed with summarize"));
        }
        let err = |e: yapdns_core::Error| state.store_error(&e);
        let whole = state.store.summarize(&q).await.map_err(err)?;
        let cut_by_limit = whole.num_results > total as u64;
        let cut_by_count = params.max_count.is_some_and(|m| whole.count > m);
        if !cut_by_limit && !cut_by_count {
            return Ok((whole, false, params.humantime));
        }
        let mut s = Summary::default();
        let mut q = q;
        let mut limited = false;
        'walk: loop {
            q.limit = CHUNK.min(total - s.num_results as usize);
            let page = state.store.lookup(&q).await.map_err(err)?;
            for a in &page.associations {
                s.count = s.count.saturating_add(a.count);
                s.num_results += 1;
                s.time_first = Some(s.time_first.map_or(a.first_seen, |t| t.min(a.first_seen)));
                s.time_last = Some(s.time_last.map_or(a.last_seen, |t| t.max(a.last_seen)));
                if params.max_count.is_some_and(|m| s.count >= m) {
                    break 'walk;
                }
            }
            if !page.truncated || page.associations.is_empty() {
                break;
            }
            if s.num_results as usize >= total {
                limited = true;
                break;
            }
            q.offset += page.associations.len();
        }
        Ok((s, limited, params.humantime))
    };
    match run.await {
        Ok((s, limited, human)) => {
            let obj = summary_object(&s, human);
            let body = match v {
                Version::V2 => {
                    let end = if limited {
                        saf_cond("limited", Some("Result limit reached"))
                    } else {
                        saf_cond("succeeded", None)
                    };
                    format!("{}{}{end}", saf_cond("begin", None), saf_obj(&obj))
                }
                Version::V1 => format!("{obj}\n"),
            };
            ndjson_response(Body::from(body))
        }
        Err(e) => dnsdb_error(e),
    }
}

/// `GET /dnsdb/v2/lookup/…`.
pub async fn lookup_v2(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    lookup(
        state,
        headers,
        rest_of(&uri, "/dnsdb/v2/lookup/"),
        uri.query(),
        Version::V2,
    )
    .await
}

/// `GET /dnsdb/v2/summarize/…`.
pub async fn summarize_v2(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    summarize(
        state,
        headers,
        rest_of(&uri, "/dnsdb/v2/summarize/"),
        uri.query(),
        Version::V2,
    )
    .await
}

/// `GET /lookup/…` (version 1).
pub async fn lookup_v1(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    lookup(
        state,
        headers,
        rest_of(&uri, "/lookup/"),
        uri.query(),
        Version::V1,
    )
    .await
}

/// `GET /summarize/…` (version 1).
pub async fn summarize_v1(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    summarize(
        state,
        headers,
        rest_of(&uri, "/summarize/"),
        uri.query(),
        Version::V1,
    )
    .await
}

/// `GET /dnsdb/v2/ping`: `{"ping":"ok"}`, no key needed.
pub async fn ping() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        "{\"ping\":\"ok\"}\n",
    )
        .into_response()
}

async fn rate_limit(state: AppState, headers: HeaderMap) -> Response {
    if let Err(e) = state.authenticate(&headers, Role::Query).await {
        return dnsdb_error(e);
    }
    let body = json!({"rate": {
        "reset": "n/a",
        "limit": "unlimited",
        "remaining": "n/a",
        "burst_size": state.limiter.burst(),
        "burst_window": state.limiter.window_secs(),
        "results_max": state.config.results_max,
        "offset_max": state.config.offset_max,
    }});
    (
        [(header::CONTENT_TYPE, "application/json")],
        format!("{body}\n"),
    )
        .into_response()
}

/// `GET /dnsdb/v2/rate_limit`: the key's limits, in DNSDB's `{"rate":{…}}` form.
pub async fn rate_limit_v2(State(state): State<AppState>, headers: HeaderMap) -> Response {
    rate_limit(state, headers).await
}

/// `GET /lookup/rate_limit` (version 1).
pub async fn rate_limit_v1(State(state): State<AppState>, headers: HeaderMap) -> Response {
    rate_limit(state, headers).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use yapdns_core::SourceTag;

    #[test]
    fn every_documented_path_form() {
        let p = parse_path("rrset/name/%2A.example.com/A/example.com").unwrap();
        assert_eq!(
            p.lookup,
            Lookup::Rrset(NamePattern::Under("example.com".into()))
        );
        assert_eq!(
            (p.rrtype, p.bailiwick.as_deref()),
            (Some(RrType::A), Some("example.com"))
        );
        let p = parse_path("rrset/name/www.example.*").unwrap();
        assert_eq!(
            p.lookup,
            Lookup::Rrset(NamePattern::Prefix("www.example".into()))
        );
        let p = parse_path("rrset/name/Example.COM./ANY").unwrap();
        assert_eq!(
            (p.lookup, p.rrtype),
            (
                Lookup::Rrset(NamePattern::Exact("example.com".into())),
                None
            )
        );
        let p = parse_path("rdata/name/ns1.example.com/NS").unwrap();
        assert_eq!(
            p.lookup,
            Lookup::RdataName(NamePattern::Exact("ns1.example.com".into()))
        );
        assert_eq!(p.rrtype, Some(RrType::NS));
        let ip = |s: &str| match parse_path(s).unwrap().lookup {
            Lookup::RdataIp(f) => f,
            other => panic!("{other:?}"),
        };
        assert_eq!(ip("rdata/ip/192.0.2.1"), "192.0.2.1".parse().unwrap());
        assert_eq!(
            ip("rdata/ip/192.0.2.0,24"),
            IpFilter::Net("192.0.2.0".parse().unwrap(), 24)
        );
        assert_eq!(
            ip("rdata/ip/192.0.2.0%2C24"),
            IpFilter::Net("192.0.2.0".parse().unwrap(), 24)
        );
        assert_eq!(
            ip("rdata/ip/2001%3Adb8%3A%3A,32"),
            IpFilter::Net("2001:db8::".parse().unwrap(), 32)
        );
        assert!(matches!(
            ip("rdata/ip/192.0.2.1-192.0.2.9"),
            IpFilter::Range(..)
        ));
        // A name with an encoded slash stays one segment.
        let p = parse_path("rrset/name/212.0%2F24.2.0.192.in-addr.arpa").unwrap();
        assert_eq!(
            p.lookup,
            Lookup::Rrset(NamePattern::Exact("212.0/24.2.0.192.in-addr.arpa".into()))
        );
    }

    #[test]
    fn bad_paths_are_refused() {
        for p in [
            "",
            "rrset",
            "rrset/name/",
            "rrset/name/x.test/A/b.test/extra",
            "rdata/ip/192.0.2.1/A",
            "rdata/ip/not-an-ip",
            "rdata/ip/192.0.2.0,33",
            "rrset/raw/0366736902696f00",
            "rrset/name/x.test/BOGUS",
            "rrset/name/x.test/ANY-DNSSEC",
            "rrset/name/w%ZZ.test",
            "rrset/name/w*w.test",
            "rdata/name/%FF",
            "other/name/x",
        ] {
            assert!(parse_path(p).is_err(), "{p}");
        }
    }

    #[test]
    fn objects_look_like_dnsdb_objects() {
        let mut a = Association::new(
            "www.example.com",
            RrType::MX,
            "10 mail.example.com",
            Timestamp::from_secs(1_578_076_118),
            SourceTag::new("bind", None),
        )
        .unwrap();
        a.bailiwick = Some("example.com".into());
        a.count = 271;
        let o = dnsdb_object(&a, false, true);
        assert_eq!(
            o.to_string(),
            r#"{"bailiwick":"example.com.","count":271,"rdata":["10 mail.example.com."],"rrname":"www.example.com.","rrtype":"MX","time_first":1578076118,"time_last":1578076118}"#
        );
        let o = dnsdb_object(&a, true, false);
        assert_eq!(o["time_first"], "2020-01-03T18:28:38Z");
        assert_eq!(o["rdata"], "10 mail.example.com.");
        assert_eq!(
            dnsdb_rdata(RrType::SOA, "ns.x h.x 1 2 3 4 5"),
            "ns.x. h.x. 1 2 3 4 5"
        );
        assert_eq!(
            dnsdb_rdata(RrType::SRV, "0 5 5060 sip.x"),
            "0 5 5060 sip.x."
        );
        assert_eq!(dnsdb_rdata(RrType::A, "192.0.2.1"), "192.0.2.1");
        assert_eq!(dnsdb_rdata(RrType::TXT, "\"a b\""), "\"a b\"");
    }

    #[test]
    fn saf_lines_end_in_newlines() {
        assert_eq!(saf_cond("begin", None), "{\"cond\":\"begin\"}\n");
        assert_eq!(
            saf_cond("limited", Some("Result limit reached")),
            "{\"cond\":\"limited\",\"msg\":\"Result limit reached\"}\n"
        );
        assert_eq!(saf_obj(&json!({"count":1})), "{\"obj\":{\"count\":1}}\n");
        let s = Summary {
            count: 9,
            num_results: 2,
            time_first: Some(Timestamp::from_secs(5)),
            time_last: None,
        };
        assert_eq!(
            summary_object(&s, false).to_string(),
            r#"{"count":9,"num_results":2,"time_first":5}"#
        );
    }
}

//! `GET /pdns/query/{q}` as CIRCL's passive DNS serves it, for PyPDNS and `dnsdbq -u circl`.
//!
//! `q` is a name (records owned by it; `*.example.com` and `www.example.*` work too) or an IP
//! address (records whose rdata is that address; `net,pfx` and `lo-hi` work too). The answer is
//! COF NDJSON, one association a line. Request headers:
//!
//! - `dribble-filter-rrtype: TYPE` — only that record type;
//! - `dribble-paginate-count: N` — at most N records in this answer;
//! - `dribble-paginate-cursor: C` — start at the cursor a previous answer gave.
//!
//! The answer carries `x-dribble-cursor: C` only while more records remain (PyPDNS's
//! `iter_query` loops on it). Without `dribble-paginate-count` one answer holds at most
//! `results_max` records (with a cursor when more remain). Keys: HTTP Basic `NAME:KEY`, a raw
//! key in `Authorization`, `Bearer` or `X-API-Key`.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use yapdns_core::{Association, IpFilter, Lookup, NamePattern, QueryRequest, RrType};

use crate::app::AppState;
use crate::auth::Role;
use crate::error::ApiError;

/// What `q` asks for: an address, network or range searches rdata; anything else is a name.
pub fn lookup_for(q: &str) -> Result<Lookup, String> {
    let q = q.trim();
    if let Ok(f) = q.parse::<IpFilter>() {
        return Ok(Lookup::RdataIp(f));
    }
    q.parse::<NamePattern>()
        .map(Lookup::Rrset)
        .map_err(|e| e.to_string())
}

fn header_str<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Builds the store request from `q` and the `dribble-*` headers.
pub fn request(q: &str, headers: &HeaderMap, results_max: usize) -> Result<QueryRequest, String> {
    let mut req = QueryRequest::new(lookup_for(q)?);
    if let Some(t) = header_str(headers, "dribble-filter-rrtype") {
        let t: RrType = t.parse().map_err(|e: yapdns_core::Error| e.to_string())?;
        req.rrtype = Some(t);
    }
    req.limit = match header_str(headers, "dribble-paginate-count") {
        Some(n) => n
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or("dribble-paginate-count must be a positive integer")?
            .min(results_max),
        None => results_max,
    };
    if let Some(c) = header_str(headers, "dribble-paginate-cursor") {
        req.offset = c
            .parse::<usize>()
            .map_err(|_| "dribble-paginate-cursor must be a cursor this server gave")?;
    }
    Ok(req)
}

/// `GET /pdns/query/{q}`.
pub async fn query(
    State(state): State<AppState>,
    Path(q): Path<String>,
    headers: HeaderMap,
) -> Response {
    let run = async {
        state.authorize(&headers, Role::Query).await?;
        let req = request(&q, &headers, state.config.results_max).map_err(ApiError::bad_request)?;
        if req.offset > state.config.offset_max {
            return Err(ApiError::bad_request("cursor out of range"));
        }
        let page = state
            .store
            .lookup(&req)
            .await
            .map_err(|e| state.store_error(&e))?;
        Ok((req, page))
    };
    let (req, page) = match run.await {
        Ok(x) => x,
        Err(e) => return e.plain(),
    };
    let mut body = Vec::with_capacity(page.associations.len() * 220);
    for a in &page.associations {
        if circl_line(a, &mut body).is_err() {
            return ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "encode", "cannot encode")
                .plain();
        }
    }
    let mut r = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        body,
    )
        .into_response();
    if page.truncated {
        let next = req.offset + page.associations.len();
        r.headers_mut()
            .insert("x-dribble-cursor", HeaderValue::from(next));
    }
    r
}

/// One answer line as CIRCL's server writes it: COF with `origin`, which CIRCL always sends
/// (`origin not configured` by default) and clients such as MISP's module read, here the
/// record's sources; and a type that has no mnemonic as its number, as the COF draft says
/// (§3.3.2: "the decimal value … represented as a JSON number") and PyPDNS expects (it
/// refuses `TYPE65400`).
fn circl_line(a: &Association, out: &mut Vec<u8>) -> serde_json::Result<()> {
    let mut v = a.to_cof_value();
    if let Some(o) = v.as_object_mut() {
        if a.rrtype.mnemonic().is_none() {
            o.insert("rrtype".into(), a.rrtype.to_u16().into());
        }
        let origin = a
            .sources
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        o.insert(
            "origin".into(),
            if origin.is_empty() {
                "yapdns".into()
            } else {
                origin
            }
            .into(),
        );
    }
    serde_json::to_writer(&mut *out, &v)?;
    out.push(b'\n');
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_and_addresses() {
        assert_eq!(
            lookup_for("Example.com").unwrap(),
            Lookup::Rrset(NamePattern::Exact("example.com".into()))
        );
        assert_eq!(
            lookup_for("a-b.example").unwrap(),
            Lookup::Rrset(NamePattern::Exact("a-b.example".into()))
        );
        assert!(matches!(
            lookup_for("192.0.2.1").unwrap(),
            Lookup::RdataIp(IpFilter::Addr(_))
        ));
        assert!(matches!(
            lookup_for("2001:db8::1").unwrap(),
            Lookup::RdataIp(IpFilter::Addr(_))
        ));
        assert!(matches!(
            lookup_for("192.0.2.0,24").unwrap(),
            Lookup::RdataIp(IpFilter::Net(..))
        ));
        assert!(lookup_for("bad name").is_err());
    }

    #[test]
    fn dribble_headers() {
        let mut h = HeaderMap::new();
        h.insert("dribble-filter-rrtype", "aaaa".parse().unwrap());
        h.insert("dribble-paginate-count", "50".parse().unwrap());
        h.insert("dribble-paginate-cursor", "100".parse().unwrap());
        let r = request("example.com", &h, 1000).unwrap();
        assert_eq!((r.rrtype, r.limit, r.offset), (Some(RrType::Aaaa), 50, 100));
        h.insert("dribble-paginate-count", "5000".parse().unwrap());
        assert_eq!(request("example.com", &h, 1000).unwrap().limit, 1000);
        h.insert("dribble-paginate-count", "0".parse().unwrap());
        assert!(request("example.com", &h, 1000).is_err());
        let mut h = HeaderMap::new();
        h.insert("dribble-filter-rrtype", "NOPE".parse().unwrap());
        assert!(request("example.com", &h, 1000).is_err());
        assert_eq!(
            request("example.com", &HeaderMap::new(), 7).unwrap().limit,
            7
        );
    }
}

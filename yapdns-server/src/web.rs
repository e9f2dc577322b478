//! The native JSON API for the dashboard (`/api/v1/search`, `/api/v1/names`,
//! `/api/v1/stats`) and the minimal search page `GET /`.
//!
//! Search parameters: `q` (a name, `*.name`, `name.*`, an IP, `net/pfx`, `net,pfx` or
//! `lo-hi`), `rdata` (boolean: search names in rdata instead of owner names; an address always
//! searches rdata), `rrtype`, `limit` (default 100), `offset` and the four DNSDB time fences.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use yapdns_core::{
    IpFilter, Lookup, NamePattern, NameQuery, NameSighting, QueryRequest, RrType, TimeFence,
};

use crate::app::AppState;
use crate::auth::Role;
use crate::error::ApiError;
use crate::params::{fence_param, pairs, parse_bool, parse_u64};

/// Results per page when the request sets no limit.
pub const DEFAULT_PAGE: usize = 100;

/// Parsed search parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchParams {
    /// The query text.
    pub q: String,
    /// Search rdata names instead of owner names.
    pub rdata: bool,
    /// Type filter.
    pub rrtype: Option<RrType>,
    /// Page size.
    pub limit: usize,
    /// Results to skip.
    pub offset: usize,
    /// Time fences.
    pub fence: TimeFence,
}

impl SearchParams {
    /// Reads the query string; unknown parameters are errors. `results_max` caps `limit`.
    pub fn parse(query: Option<&str>, results_max: usize) -> Result<SearchParams, String> {
        let mut p = SearchParams {
            limit: DEFAULT_PAGE.min(results_max),
            ..SearchParams::default()
        };
        for (k, v) in pairs(query) {
            if fence_param(&mut p.fence, &k, &v)? {
                continue;
            }
            match k.as_str() {
                "q" => p.q = v.trim().to_string(),
                "rdata" => p.rdata = parse_bool(&k, &v)?,
                "rrtype" if v.trim().is_empty() || v.eq_ignore_ascii_case("any") => p.rrtype = None,
                "rrtype" => {
                    p.rrtype = Some(v.parse().map_err(|e: yapdns_core::Error| e.to_string())?)
                }
                "limit" => {
                    let n = parse_u64(&k, &v)?;
                    if n == 0 {
                        return Err("limit must be at least 1".into());
                    }
                    p.limit = usize::try_from(n).unwrap_or(usize::MAX).min(results_max);
                }
                "offset" => p.offset = usize::try_from(parse_u64(&k, &v)?).unwrap_or(usize::MAX),
                other => return Err(format!("unknown parameter {other:?}")),
            }
        }
        Ok(p)
    }

    /// The store request, and the kind of lookup (`rrset`, `rdata_name`, `rdata_ip`).
    pub fn request(&self) -> Result<(QueryRequest, &'static str), String> {
        if self.q.is_empty() {
            return Err("q is required".into());
        }
        let (lookup, kind) = if let Ok(f) = self.q.parse::<IpFilter>() {
            (Lookup::RdataIp(f), "rdata_ip")
        } else {
            let p: NamePattern = self
                .q
                .parse()
                .map_err(|e: yapdns_core::Error| e.to_string())?;
            if self.rdata {
                (Lookup::RdataName(p), "rdata_name")
            } else {
                (Lookup::Rrset(p), "rrset")
            }
        };
        let mut q = QueryRequest::new(lookup);
        q.rrtype = self.rrtype;
        q.fence = self.fence;
        q.limit = self.limit;
        q.offset = self.offset;
        Ok((q, kind))
    }
}

/// `GET /api/v1/search`: `{"query", "lookup", "limit", "offset", "truncated", "results": [COF…]}`.
pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    state.authorize(&headers, Role::Query).await?;
    let p = SearchParams::parse(raw.as_deref(), state.config.results_max)
        .map_err(ApiError::bad_request)?;
    let (req, kind) = p.request().map_err(ApiError::bad_request)?;
    let page = state
        .store
        .lookup(&req)
        .await
        .map_err(|e| state.store_error(&e))?;
    let results: Vec<Value> = page.associations.iter().map(|a| a.to_cof_value()).collect();
    Ok(Json(json!({
        "query": p.q,
        "lookup": kind,
        "limit": req.limit,
        "offset": req.offset,
        "truncated": page.truncated,
        "results": results,
    }))
    .into_response())
}

/// A name sighting as the API shows it: COF-like field names, times in seconds.
pub fn name_value(n: &NameSighting) -> Value {
    let mut v = json!({
        "rrname": n.rrname,
        "time_first": n.first_seen.secs(),
        "time_last": n.last_seen.secs(),
        "count": n.count,
        "sources": n.sources.iter().map(ToString::to_string).collect::<Vec<_>>(),
    });
    if let (Some(t), Some(m)) = (n.rrtype, v.as_object_mut()) {
        m.insert("rrtype".into(), t.to_string().into());
    }
    v
}

/// `GET /api/v1/names?q=…`: name sightings (names seen without an answer).
pub async fn names(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    state.authorize(&headers, Role::Query).await?;
    let p = SearchParams::parse(raw.as_deref(), state.config.results_max)
        .map_err(ApiError::bad_request)?;
    if p.q.is_empty() {
        return Err(ApiError::bad_request("q is required"));
    }
    let pattern: NamePattern =
        p.q.parse()
            .map_err(|e: yapdns_core::Error| ApiError::bad_request(e.to_string()))?;
    let nq = NameQuery {
        pattern,
        fence: p.fence,
        limit: p.limit,
        offset: p.offset,
    };
    let found = state
        .store
        .names(&nq)
        .await
        .map_err(|e| state.store_error(&e))?;
    let results: Vec<Value> = found.iter().map(name_value).collect();
    Ok(
        Json(json!({"query": p.q, "limit": p.limit, "offset": p.offset, "results": results}))
            .into_response(),
    )
}

/// `GET /api/v1/stats`: the store's figures.
pub async fn stats(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    state.authorize(&headers, Role::Query).await?;
    let s = state
        .store
        .stats()
        .await
        .map_err(|e| state.store_error(&e))?;
    Ok(Json(s).into_response())
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:.3em .6em;\
text-align:left;font-size:.9em}th{background:#f2f2f2}input[type=text]{width:28em}.err{color:#a00}";

fn page_html(q: &str, rdata: bool, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>YAPDNS search</title><style>{STYLE}</style></head><body>\
         <h1>YAPDNS passive DNS</h1>\
         <form method=\"get\" action=\"/\"><input type=\"text\" name=\"q\" value=\"{}\" \
         placeholder=\"domain, *.domain, IP or CIDR\" autofocus> \
         <label><input type=\"checkbox\" name=\"rdata\" value=\"true\"{}> names in rdata</label> \
         <button type=\"submit\">Search</button></form>\n{body}</body></html>\n",
        escape(q),
        if rdata { " checked" } else { "" },
    )
}

fn time_text(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| secs.to_string())
}

/// `GET /`: a search form and, with `q`, a table of what the store holds. Every value from the
/// store or the request is escaped.
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(mut e) = state.authorize(&headers, Role::Query).await {
        if e.status == StatusCode::UNAUTHORIZED {
            e.basic_challenge = true;
        }
        let status = e.status;
        let mut r = (
            status,
            Html(page_html(
                "",
                false,
                &format!("<p class=\"err\">{}</p>", escape(&e.reason)),
            )),
        )
            .into_response();
        if e.basic_challenge {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Basic realm=\"yapdns\", charset=\"UTF-8\""),
            );
        }
        return r;
    }
    let p = match SearchParams::parse(raw.as_deref(), state.config.results_max) {
        Ok(p) => p,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                Html(page_html(
                    "",
                    false,
                    &format!("<p class=\"err\">{}</p>", escape(&e)),
                )),
            )
                .into_response()
        }
    };
    if p.q.is_empty() {
        return Html(page_html("", p.rdata, "")).into_response();
    }
    let (req, _) = match p.request() {
        Ok(x) => x,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                Html(page_html(
                    &p.q,
                    p.rdata,
                    &format!("<p class=\"err\">{}</p>", escape(&e)),
                )),
            )
                .into_response()
        }
    };
    let page = match state.store.lookup(&req).await {
        Ok(pg) => pg,
        Err(e) => {
            let e = state.store_error(&e);
            return (
                e.status,
                Html(page_html(
                    &p.q,
                    p.rdata,
                    &format!("<p class=\"err\">{}</p>", escape(&e.reason)),
                )),
            )
                .into_response();
        }
    };
    let mut t = String::with_capacity(256 + page.associations.len() * 256);
    t.push_str(&format!(
        "<p>{} result{}{}</p>\n<table><thead><tr><th>rrname</th><th>rrtype</th><th>rdata</th>\
         <th>first seen (UTC)</th><th>last seen (UTC)</th><th>count</th><th>sources</th></tr></thead><tbody>\n",
        page.associations.len(),
        if page.associations.len() == 1 { "" } else { "s" },
        if page.truncated { " (more not shown)" } else { "" },
    ));
    for a in &page.associations {
        let sources: Vec<String> = a.sources.iter().map(ToString::to_string).collect();
        t.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&a.rrname),
            escape(&a.rrtype.to_string()),
            escape(&a.rdata),
            time_text(a.first_seen.secs()),
            time_text(a.last_seen.secs()),
            a.count,
            escape(&sources.join(", ")),
        ));
    }
    t.push_str("</tbody></table>\n");
    Html(page_html(&p.q, p.rdata, &t)).into_response()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert('x')</script>&\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"
        );
        let html = page_html("\"><img src=x onerror=1>", false, "");
        assert!(!html.contains("<img"));
    }

    #[test]
    fn search_parameters() {
        let p = SearchParams::parse(
            Some("q=*.example.com&rrtype=a&limit=5&offset=10&time_last_after=-60"),
            1000,
        )
        .unwrap();
        let (q, kind) = p.request().unwrap();
        assert_eq!(kind, "rrset");
        assert_eq!((q.rrtype, q.limit, q.offset), (Some(RrType::A), 5, 10));
        assert_eq!(q.fence.time_last_after, Some(-60));
        let (_, kind) = SearchParams::parse(Some("q=192.0.2.0/24"), 10)
            .unwrap()
            .request()
            .unwrap();
        assert_eq!(kind, "rdata_ip");
        let (_, kind) = SearchParams::parse(Some("q=ns1.example.com&rdata=t"), 10)
            .unwrap()
            .request()
            .unwrap();
        assert_eq!(kind, "rdata_name");
        assert_eq!(
            SearchParams::parse(Some("q=x&limit=999"), 10)
                .unwrap()
                .limit,
            10
        );
        assert!(SearchParams::parse(Some("q=x&limit=0"), 10).is_err());
        assert!(SearchParams::parse(Some("q=x&nope=1"), 10).is_err());
        assert!(SearchParams::parse(Some(""), 10)
            .unwrap()
            .request()
            .is_err());
    }
}

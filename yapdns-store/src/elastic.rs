//! The Elasticsearch / OpenSearch backend, for when one machine is not enough.
//!
//! DSN: `elasticsearch+http://[user:password@]host:port[/path][?PARAMS]` (or
//! `elasticsearch+https://…`, TLS through rustls with the web PKI roots). Parameters:
//! `prefix` (default `yapdns`, lowercase `[a-z0-9_-]`) names the indices
//! `PREFIX-associations`, `PREFIX-names`, `PREFIX-batches`, `PREFIX-clients` and
//! `PREFIX-users`; `replicas` (default 0) is their `number_of_replicas` when this store
//! creates them; `ca=/path/ca.pem` trusts that CA (PEM) instead, e.g. the `http_ca.crt` an
//! Elasticsearch 8 node generates; `refresh=false` drops the refresh that ends every write
//! (faster ingest, but a write is only visible to queries after the index's
//! `refresh_interval`, 1 s by default: no read-your-writes).
//!
//! The calls it makes, all plain REST through the official `elasticsearch` client's
//! transport: `HEAD /INDEX`, `PUT /INDEX` (settings, strict mappings with
//! `_meta.yapdns_schema`), `GET /INDEX/_mapping`, `PUT /_scripts/ID` (the two painless merge
//! scripts, stored), `POST /INDEX/_bulk` with `update` actions (stored `script` + `upsert`,
//! `retry_on_conflict`; two requests in flight), `POST /INDEX,INDEX/_refresh`, `GET /INDEX/_doc/ID`,
//! `PUT /INDEX/_create/ID`, `POST /INDEX/_update/ID`, `DELETE /INDEX/_doc/ID`,
//! `POST /INDEX/_search` (bool filters of `term` and `range` on keyword, long, integer and
//! `ip` fields; `sort` + `from`/`size` or `search_after`; `sum`/`min`/`max` and `composite`
//! aggregations), `POST /INDEX/_delete_by_query?refresh=true`, `DELETE /INDEX,…`, `DELETE /_scripts/ID` and `GET /`.
//! See `docs/stores.md` for what was verified against which server.
//!
//! **Writes.** A batch is merged in memory first (`codec::prepare`, as the SQL stores), then
//! sent as `_bulk` scripted upserts: the document id is the hex SHA-256 key hash of the SQL
//! stores (`codec::key_hash`), the stored painless script applies [`Association::merge`]'s
//! rules (min/max, saturating sum, union, TTL max, longer bailiwick) and the upsert is the
//! record itself. One `_refresh` at the end makes the write visible to the next query
//! (read-your-writes, as the SQL stores); a write returns once every item of every request
//! succeeded, which is after the translog fsync under the default
//! `index.translog.durability: request`.
//!
//! **Batch ids.** Elasticsearch has no multi-document transaction, so idempotence is built
//! per document: every document keeps the ids of the last [`KEEP_BATCH_IDS`] batches that
//! changed it, and the script does nothing when the batch's id is among them. After every item
//! succeeded, the id is recorded in `PREFIX-batches`, and a batch whose id is there is skipped
//! whole (`applied: false`). A write that fails part-way (node lost, some items rejected)
//! therefore leaves no double count when re-sent with the same id: the items that were applied
//! skip themselves, the others apply. What is not guaranteed, unlike the SQL stores: a failed
//! batch is not rolled back (its applied items stay until it is re-sent), and a document
//! changed by more than [`KEEP_BATCH_IDS`] other batches between a failed attempt and its
//! retry forgets the id and counts twice. A document remembers ids even after
//! [`ElasticStore::forget_batches_before`] forgot them in `PREFIX-batches`: a re-sent old
//! batch is then reported applied but only changes documents that no longer remember it.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::time::Duration;

use async_trait::async_trait;
use elasticsearch::auth::Credentials;
use elasticsearch::cert::{Certificate, CertificateValidation};
use elasticsearch::http::headers::HeaderMap;
use elasticsearch::http::request::{Body, JsonBody, NdBody};
use elasticsearch::http::transport::{SingleNodeConnectionPool, TransportBuilder};
use elasticsearch::http::{Method, Url};
use elasticsearch::Elasticsearch;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use yapdns_core::{
    Association, Batch, Lookup, NamePattern, NameQuery, NameSighting, Page, QueryRequest,
    StoreStats, Summary, TimeFence, Timestamp, WriteReceipt,
};

use crate::codec::{self, AssocRow, NameRow, StoredAssoc, StoredName, TAG_SEP};
use crate::error::{Error, Result};
use crate::registry::{ApiClient, DashboardUser, RegistryRows};
use crate::semantics::{day_label, ranked, wildcard_range, Resolved, DAY_MS};

/// The schema version this build writes, kept in every index's mapping `_meta`.
const SCHEMA_VERSION: i64 = 1;

/// How many batch ids each document remembers (see the module documentation).
pub const KEEP_BATCH_IDS: usize = 32;

/// `_bulk` requests of one write in flight at once.
const BULK_IN_FLIGHT: usize = 2;

/// Most documents per `_bulk` request.
const BULK_CHUNK: usize = 2_000;

/// A `_bulk` request is sent once its documents hold about this many bytes of text (the
/// server refuses bodies over `http.max_content_length`, 100 MB by default).
const BULK_BYTES: usize = 8 << 20;

/// Lucene's longest indexed term: a longer keyword would make the server refuse the document.
const MAX_TERM_BYTES: usize = 32_766;

/// The largest `from + size` a plain search may ask for (`index.max_result_window`).
const RESULT_WINDOW: usize = 10_000;

/// Bytes of rdata kept in the `rdata_sort` keyword: below Lucene's 32 766-byte term limit.
const RDATA_SORT_BYTES: usize = 30_000;

/// Sums of counts below this are exact in the `double` a `sum` aggregation returns.
const EXACT_DOUBLE: f64 = 9_007_199_254_740_992.0;

/// How often a scripted update is retried on a version conflict (concurrent writers).
const RETRY_ON_CONFLICT: u32 = 16;

/// The painless merge script of both indices, with `$extra` (the association-only rules)
/// between the shared part — batch-id skip, first/last seen, saturating count — and the
/// sources union. A macro, so each script stays one literal.
macro_rules! merge_script {
    ($extra:literal) => {
        concat!(
            "def s = ctx._source; boolean skip = false;
if (params.batch != null) {
  if (s.batches == null) { s.batches = new ArrayList(); }
  if (s.batches.contains(params.batch)) { skip = true; } else {
    s.batches.add(params.batch);
    while (s.batches.size() > params.keep) { s.batches.remove(0); }
  }
}
if (skip) { ctx.op = 'none'; } else {
  long f = ((Number) s.first_seen).longValue(); long pf = ((Number) params.first).longValue();
  if (pf < f) { s.first_seen = pf; }
  long l = ((Number) s.last_seen).longValue(); long pl = ((Number) params.last).longValue();
  if (pl > l) { s.last_seen = pl; }
  long c = ((Number) s.count).longValue(); long n = ((Number) params.count).longValue();
  s.count = c > Long.MAX_VALUE - n ? Long.MAX_VALUE : c + n;
",
            $extra,
            "  for (t in params.sources) { if (!s.sources.contains(t)) { s.sources.add(t); } }
}"
        )
    };
}

/// Merge script for associations (rules in `Store::write`). Names and bailiwicks are ASCII
/// after normalisation, so Java's `length`/`compareTo` equal the byte-wise rule.
const MERGE_ASSOC: &str = merge_script!(
    "  if (params.ttl != null && (s.ttl == null
      || ((Number) params.ttl).longValue() > ((Number) s.ttl).longValue())) { s.ttl = params.ttl; }
  if (params.bw != null) {
    String b = s.bailiwick; String nb = params.bw;
    if (b == null || nb.length() > b.length()
        || (nb.length() == b.length() && nb.compareTo(b) < 0)) { s.bailiwick = nb; }
  }
"
);

/// Merge script for name sightings.
const MERGE_NAME: &str = merge_script!("");

/// An Elasticsearch or OpenSearch store. Cheap to clone; clones share the HTTP client.
#[derive(Clone)]
pub struct ElasticStore {
    client: Elasticsearch,
    idx: std::sync::Arc<Indices>,
    replicas: u32,
    refresh: bool,
}

impl std::fmt::Debug for ElasticStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ElasticStore")
            .field("prefix", &self.idx.prefix)
            .finish()
    }
}

#[derive(Clone, Debug)]
struct Indices {
    prefix: String,
    assocs: String,
    names: String,
    batches: String,
    clients: String,
    users: String,
    /// Stored-script ids of the two merge scripts (cluster-wide, so prefixed too).
    assoc_script: String,
    name_script: String,
}

impl Indices {
    fn new(prefix: &str) -> Indices {
        Indices {
            prefix: prefix.to_string(),
            assocs: format!("{prefix}-associations"),
            names: format!("{prefix}-names"),
            batches: format!("{prefix}-batches"),
            clients: format!("{prefix}-clients"),
            users: format!("{prefix}-users"),
            assoc_script: format!("{prefix}-merge-association-v{SCHEMA_VERSION}"),
            name_script: format!("{prefix}-merge-name-v{SCHEMA_VERSION}"),
        }
    }

    fn all(&self) -> [&str; 5] {
        [
            &self.assocs,
            &self.names,
            &self.batches,
            &self.clients,
            &self.users,
        ]
    }
}

/// A connection parsed from a DSN.
struct Target {
    url: Url,
    credentials: Option<Credentials>,
    prefix: String,
    replicas: u32,
    ca: Option<std::path::PathBuf>,
    refresh: bool,
}

fn parse_dsn(dsn: &str) -> Result<Target> {
    let invalid = |reason: String| Error::InvalidDsn {
        dsn: crate::redact(dsn),
        reason,
    };
    let rest = dsn
        .trim()
        .split_once('+')
        .map(|(_, r)| r)
        .ok_or_else(|| invalid("expected elasticsearch+http(s)://host:port".into()))?;
    let mut url = Url::parse(rest).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid("expected elasticsearch+http(s)://host:port".into()));
    }
    let mut prefix = "yapdns".to_string();
    let mut replicas = 0u32;
    let mut ca = None;
    let mut refresh = true;
    for (k, v) in url.query_pairs() {
        match &*k {
            "prefix" => prefix = v.into_owned(),
            "ca" => ca = Some(std::path::PathBuf::from(&*v)),
            "refresh" => {
                refresh = match &*v {
                    "true" => true,
                    "false" => false,
                    _ => return Err(invalid(format!("refresh={v:?}: use true or false"))),
                }
            }
            "replicas" => {
                replicas = v
                    .parse()
                    .map_err(|_| invalid(format!("replicas={v:?} is not a number")))?
            }
            other => return Err(invalid(format!("unknown parameter {other:?}"))),
        }
    }
    let prefix_ok = !prefix.is_empty()
        && prefix.len() <= 100
        && prefix
            .as_bytes()
            .iter()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
        && !prefix.starts_with(['_', '-']);
    if !prefix_ok {
        return Err(invalid(format!(
            "prefix {prefix:?} must be 1-100 of [a-z0-9_-], not starting with _ or -"
        )));
    }
    let credentials = if url.username().is_empty() {
        None
    } else {
        let user = percent_decode(url.username());
        let pass = percent_decode(url.password().unwrap_or(""));
        Some(Credentials::Basic(user, pass))
    };
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    Ok(Target {
        url,
        credentials,
        prefix,
        replicas,
        ca,
        refresh,
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b.get(i),
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (Some(b'%'), Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (Some(c), _, _) => {
                out.push(*c);
                i += 1;
            }
            (None, _, _) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A document id made of a digest of `parts` (names may hold characters a URL path or an
/// `_id`'s 512-byte limit would not take).
fn digest_id(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    hex(&h.finalize())
}

/// `s` cut to at most `max` bytes on a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// An HTTP status and the JSON body that came with it.
struct Reply {
    status: u16,
    body: Value,
}

impl Reply {
    fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The reply, or an error naming what the server said.
    fn check(self, what: &str) -> Result<Value> {
        if self.ok() {
            Ok(self.body)
        } else {
            Err(self.error(what))
        }
    }

    fn error(&self, what: &str) -> Error {
        Error::Elastic {
            status: self.status,
            reason: format!("{what}: {}", reason(&self.body)),
        }
    }

    fn error_type(&self) -> &str {
        self.body
            .pointer("/error/type")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
}

/// The server's reason for an error body, short.
fn reason(body: &Value) -> String {
    let r = body
        .pointer("/error/reason")
        .or_else(|| body.pointer("/error/root_cause/0/reason"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| body.get("error").map(Value::to_string))
        .unwrap_or_else(|| truncate(&body.to_string(), 500).to_string());
    let ty = body.pointer("/error/type").and_then(Value::as_str);
    match ty {
        Some(t) => format!("{t}: {r}"),
        None => r,
    }
}

fn i64_at(v: &Value, key: &str) -> Result<i64> {
    v.get(key)
        .and_then(Value::as_i64)
        .ok_or_else(|| Error::Corrupt(format!("field {key:?} missing or not an integer")))
}

fn opt_i64_at(v: &Value, key: &str) -> Result<Option<i64>> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => x
            .as_i64()
            .map(Some)
            .ok_or_else(|| Error::Corrupt(format!("field {key:?} is not an integer"))),
    }
}

fn str_at(v: &Value, key: &str) -> Result<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| Error::Corrupt(format!("field {key:?} missing or not a string")))
}

fn opt_str_at(v: &Value, key: &str) -> Result<Option<String>> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => x
            .as_str()
            .map(|s| Some(s.to_string()))
            .ok_or_else(|| Error::Corrupt(format!("field {key:?} is not a string"))),
    }
}

/// The stored source list, as the SQL stores encode it (tags joined by U+001E).
fn sources_at(v: &Value) -> Result<String> {
    let list = v
        .get("sources")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::Corrupt("field \"sources\" missing or not a list".into()))?;
    let mut tags = Vec::with_capacity(list.len());
    for t in list {
        tags.push(
            t.as_str()
                .ok_or_else(|| Error::Corrupt("a source is not a string".into()))?,
        );
    }
    Ok(tags.join(&TAG_SEP.to_string()))
}

fn sources_list(encoded: &str) -> Vec<&str> {
    encoded.split(TAG_SEP).filter(|t| !t.is_empty()).collect()
}

fn read_assoc(src: &Value) -> Result<Association> {
    StoredAssoc {
        rrname: str_at(src, "rrname")?,
        rrtype: i64_at(src, "rrtype")?,
        rdata: str_at(src, "rdata")?,
        first_seen: i64_at(src, "first_seen")?,
        last_seen: i64_at(src, "last_seen")?,
        count: i64_at(src, "count")?,
        ttl: opt_i64_at(src, "ttl")?,
        bailiwick: opt_str_at(src, "bailiwick")?,
        sources: sources_at(src)?,
    }
    .into_association()
}

fn read_name(src: &Value) -> Result<NameSighting> {
    StoredName {
        rrname: str_at(src, "rrname")?,
        rrtype: i64_at(src, "rrtype")?,
        first_seen: i64_at(src, "first_seen")?,
        last_seen: i64_at(src, "last_seen")?,
        count: i64_at(src, "count")?,
        sources: sources_at(src)?,
    }
    .into_sighting()
}

fn keyword() -> Value {
    json!({"type": "keyword"})
}

fn stored_only() -> Value {
    json!({"type": "keyword", "index": false, "doc_values": false})
}

fn long() -> Value {
    json!({"type": "long"})
}

/// Strict mappings of each index (an unknown field is an error, not a new mapping).
fn mappings(kind: &str) -> Value {
    let props = match kind {
        "associations" => json!({
            "key": keyword(),
            "rrname": keyword(),
            "rrname_rev": keyword(),
            "rrtype": {"type": "integer"},
            "rdata": stored_only(),
            "rdata_sort": {"type": "keyword", "index": false},
            "rdata_name": keyword(),
            "rdata_name_rev": keyword(),
            "rdata_ip": {"type": "ip"},
            "first_seen": long(),
            "last_seen": long(),
            "count": long(),
            "ttl": long(),
            "bailiwick": keyword(),
            "sources": keyword(),
            "batches": stored_only(),
        }),
        "names" => json!({
            "rrname": keyword(),
            "rrname_rev": keyword(),
            "rrtype": {"type": "integer"},
            "first_seen": long(),
            "last_seen": long(),
            "count": long(),
            "sources": keyword(),
            "batches": stored_only(),
        }),
        "batches" => json!({
            "id": stored_only(),
            "applied_at": long(),
        }),
        "clients" => json!({
            "id": keyword(),
            "name": keyword(),
            "role": keyword(),
            "key_hash": stored_only(),
            "created_at": long(),
            "revoked_at": long(),
        }),
        _ => json!({
            "name": keyword(),
            "password_hash": stored_only(),
            "created_at": long(),
        }),
    };
    json!({
        "dynamic": "strict",
        "_meta": {"yapdns_schema": SCHEMA_VERSION},
        "properties": props,
    })
}

/// A bool query of filters (no scoring).
fn filters(clauses: Vec<Value>) -> Value {
    json!({"bool": {"filter": clauses}})
}

fn name_filter(col: &str, rev_col: &str, p: &NamePattern) -> Value {
    match p {
        NamePattern::Exact(n) => json!({"term": {col: n}}),
        NamePattern::Under(_) | NamePattern::Prefix(_) => {
            let column = if matches!(p, NamePattern::Under(_)) {
                rev_col
            } else {
                col
            };
            match wildcard_range(p) {
                Some((lo, hi)) => json!({"range": {column: {"gt": lo, "lt": hi}}}),
                None => json!({"match_none": {}}),
            }
        }
    }
}

/// The fence as inclusive millisecond ranges, as the SQL stores do it.
fn fence_filters(out: &mut Vec<Value>, fence: &TimeFence) {
    let upper = |t: i64| t.saturating_mul(1000).saturating_add(999);
    let lower = |t: i64| t.saturating_mul(1000);
    if let Some(t) = fence.time_first_before {
        out.push(json!({"range": {"first_seen": {"lte": upper(t)}}}));
    }
    if let Some(t) = fence.time_first_after {
        out.push(json!({"range": {"first_seen": {"gte": lower(t)}}}));
    }
    if let Some(t) = fence.time_last_before {
        out.push(json!({"range": {"last_seen": {"lte": upper(t)}}}));
    }
    if let Some(t) = fence.time_last_after {
        out.push(json!({"range": {"last_seen": {"gte": lower(t)}}}));
    }
}

fn assoc_query(r: &Resolved) -> Value {
    let mut f = Vec::new();
    match &r.lookup {
        Lookup::Rrset(p) => f.push(name_filter("rrname", "rrname_rev", p)),
        Lookup::RdataName(p) => f.push(name_filter("rdata_name", "rdata_name_rev", p)),
        Lookup::RdataIp(ip) => {
            let (lo, hi): (IpAddr, IpAddr) = ip.bounds();
            f.push(json!({"term": {"rrtype": ip.rrtype().to_u16()}}));
            f.push(json!({"range": {"rdata_ip": {"gte": lo.to_string(), "lte": hi.to_string()}}}));
        }
    }
    if let Some(t) = r.rrtype {
        f.push(json!({"term": {"rrtype": t.to_u16()}}));
    }
    if let Some(b) = &r.bailiwick {
        f.push(json!({"term": {"bailiwick": b}}));
    }
    fence_filters(&mut f, &r.fence);
    filters(f)
}

fn assoc_sort() -> Value {
    json!([
        {"last_seen": "desc"},
        {"rrname": "asc"},
        {"rrtype": "asc"},
        {"rdata_sort": "asc"},
        {"key": "asc"}
    ])
}

fn name_sort() -> Value {
    json!([{"last_seen": "desc"}, {"rrname": "asc"}, {"rrtype": "asc"}])
}

fn assoc_doc(a: &AssocRow, batch: Option<&str>) -> Value {
    let ip = a.rdata_ip.as_ref().and_then(|k| {
        let arr: [u8; 16] = k.as_slice().try_into().ok()?;
        let v6 = std::net::Ipv6Addr::from(arr);
        Some(match v6.to_ipv4_mapped() {
            // A records are stored as IPv4; AAAA keep their IPv6 form.
            Some(v4) if a.rrtype == 1 => IpAddr::V4(v4).to_string(),
            _ => v6.to_string(),
        })
    });
    json!({
        "key": hex(&a.key_hash),
        "rrname": a.rrname,
        "rrname_rev": a.rrname_rev,
        "rrtype": a.rrtype,
        "rdata": a.rdata,
        "rdata_sort": truncate(&a.rdata, RDATA_SORT_BYTES),
        "rdata_name": a.rdata_name,
        "rdata_name_rev": a.rdata_name_rev,
        "rdata_ip": ip,
        "first_seen": a.first_seen,
        "last_seen": a.last_seen,
        "count": a.count,
        "ttl": a.ttl,
        "bailiwick": a.bailiwick,
        "sources": sources_list(&a.sources),
        "batches": batch.map_or_else(Vec::new, |b| vec![b]),
    })
}

fn name_doc(n: &NameRow, batch: Option<&str>) -> Value {
    json!({
        "rrname": n.rrname,
        "rrname_rev": n.rrname_rev,
        "rrtype": n.rrtype,
        "first_seen": n.first_seen,
        "last_seen": n.last_seen,
        "count": n.count,
        "sources": sources_list(&n.sources),
        "batches": batch.map_or_else(Vec::new, |b| vec![b]),
    })
}

/// One `_bulk` update action: id, script with its parameters, and the upsert document.
/// The script runs only when the document exists; a new key is the upsert document as is.
fn update_action(
    out: &mut Vec<JsonBody<Value>>,
    id: String,
    script_id: &str,
    params: Value,
    doc: Value,
) {
    out.push(JsonBody::new(
        json!({"update": {"_id": id, "retry_on_conflict": RETRY_ON_CONFLICT}}),
    ));
    out.push(JsonBody::new(json!({
        "script": {"id": script_id, "params": params},
        "upsert": doc,
    })));
}

impl ElasticStore {
    /// Connects to the node a DSN names and creates or checks the indices.
    pub async fn open(dsn: &str) -> Result<ElasticStore> {
        let t = parse_dsn(dsn)?;
        let mut builder = TransportBuilder::new(SingleNodeConnectionPool::new(t.url))
            .timeout(Duration::from_secs(120));
        if let Some(c) = t.credentials {
            builder = builder.auth(c);
        }
        if let Some(path) = &t.ca {
            let pem = tokio::fs::read(path).await?;
            let cert = Certificate::from_pem(&pem).map_err(|e| Error::InvalidDsn {
                dsn: crate::redact(dsn),
                reason: format!("ca={}: {e}", path.display()),
            })?;
            builder = builder.cert_validation(CertificateValidation::Full(cert));
        }
        let transport = builder.build().map_err(|e| Error::InvalidDsn {
            dsn: crate::redact(dsn),
            reason: e.to_string(),
        })?;
        let store = ElasticStore {
            client: Elasticsearch::new(transport),
            idx: std::sync::Arc::new(Indices::new(&t.prefix)),
            replicas: t.replicas,
            refresh: t.refresh,
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn call<B: Body>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<B>,
    ) -> Result<Reply> {
        let resp = self
            .client
            .send(method, path, HeaderMap::new(), Some(query), body, None)
            .await?;
        let status = resp.status_code().as_u16();
        let text = resp.text().await?;
        let body = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok(Reply { status, body })
    }

    async fn json(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<Value>,
    ) -> Result<Reply> {
        self.call(method, path, query, body.map(JsonBody::new))
            .await
    }

    async fn migrate(&self) -> Result<()> {
        // Stored scripts: compiled once, and not re-sent with every document of a bulk.
        for (id, source) in [
            (&self.idx.assoc_script, MERGE_ASSOC),
            (&self.idx.name_script, MERGE_NAME),
        ] {
            let body = json!({"script": {"lang": "painless", "source": source}});
            self.json(Method::Put, &format!("_scripts/{id}"), &[], Some(body))
                .await?
                .check("storing merge script")?;
        }
        let kinds = ["associations", "names", "batches", "clients", "users"];
        for (index, kind) in self.idx.all().into_iter().zip(kinds) {
            let head = self.json(Method::Head, index, &[], None).await?;
            if head.status == 404 {
                let body = json!({
                    "settings": {"number_of_replicas": self.replicas},
                    "mappings": mappings(kind),
                });
                let r = self.json(Method::Put, index, &[], Some(body)).await?;
                if !r.ok() && r.error_type() != "resource_already_exists_exception" {
                    return Err(r.error(&format!("creating index {index}")));
                }
            } else if !head.ok() {
                return Err(head.error(&format!("checking index {index}")));
            }
            let found = self.index_schema(index).await?;
            if found > SCHEMA_VERSION {
                return Err(Error::SchemaTooNew {
                    found,
                    supported: SCHEMA_VERSION,
                });
            }
        }
        Ok(())
    }

    async fn index_schema(&self, index: &str) -> Result<i64> {
        let m = self
            .json(Method::Get, &format!("{index}/_mapping"), &[], None)
            .await?
            .check("reading mapping")?;
        m.as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v.pointer("/mappings/_meta/yapdns_schema"))
            .and_then(Value::as_i64)
            .ok_or_else(|| {
                Error::Corrupt(format!(
                    "index {index} is not a yapdns index (no _meta.yapdns_schema)"
                ))
            })
    }

    /// The schema version of the store's indices.
    pub async fn schema_version(&self) -> Result<i64> {
        self.index_schema(&self.idx.assocs).await
    }

    /// Deletes every index of the store (test fixtures, `yapdns` tear-down).
    pub async fn delete_all(&self) -> Result<()> {
        let list = self.idx.all().join(",");
        self.json(
            Method::Delete,
            &list,
            &[("ignore_unavailable", "true")],
            None,
        )
        .await?
        .check("deleting indices")?;
        for id in [&self.idx.assoc_script, &self.idx.name_script] {
            let r = self
                .json(Method::Delete, &format!("_scripts/{id}"), &[], None)
                .await?;
            if r.status != 404 {
                r.check("deleting merge script")?;
            }
        }
        Ok(())
    }

    fn batch_doc_id(id: &str) -> String {
        digest_id(&[id.as_bytes()])
    }

    /// Sends `_bulk` update actions and fails unless every item succeeded.
    async fn bulk(&self, index: &str, actions: Vec<JsonBody<Value>>) -> Result<()> {
        if actions.is_empty() {
            return Ok(());
        }
        let r = self
            .call(
                Method::Post,
                &format!("{index}/_bulk"),
                &[],
                Some(NdBody::new(actions)),
            )
            .await?;
        let body = r.check("bulk")?;
        if body.get("errors").and_then(Value::as_bool) != Some(false) {
            let items = body.get("items").and_then(Value::as_array);
            let mut worst = 0u16;
            let mut first = None;
            let mut failed = 0usize;
            for item in items.into_iter().flatten() {
                let Some(op) = item.as_object().and_then(|o| o.values().next()) else {
                    continue;
                };
                if let Some(err) = op.get("error") {
                    failed += 1;
                    let status = op
                        .get("status")
                        .and_then(Value::as_u64)
                        .and_then(|s| u16::try_from(s).ok())
                        .unwrap_or(500);
                    // A retryable status wins, so the caller retries.
                    if status == 429 || status >= 500 || worst == 0 {
                        worst = worst.max(status);
                    }
                    if first.is_none() {
                        first = Some(reason(&json!({"error": err})));
                    }
                }
            }
            return Err(Error::Elastic {
                status: if worst == 0 { 500 } else { worst },
                reason: format!(
                    "bulk: {failed} item(s) failed, first: {}",
                    first.unwrap_or_else(|| "unknown".into())
                ),
            });
        }
        Ok(())
    }

    /// Merges a batch; see [`Store::write`](crate::Store::write) and the module documentation
    /// for what a batch id guarantees here.
    pub async fn write(&self, batch: &Batch) -> Result<WriteReceipt> {
        let p = codec::prepare(batch)?;
        let bid = batch.id.as_ref().map(|b| b.0.as_str());
        if let Some(id) = bid {
            let r = self
                .json(
                    Method::Get,
                    &format!("{}/_doc/{}", self.idx.batches, Self::batch_doc_id(id)),
                    &[],
                    None,
                )
                .await?;
            if r.ok() && r.body.get("found").and_then(Value::as_bool) == Some(true) {
                return Ok(WriteReceipt {
                    applied: false,
                    associations: 0,
                    names: 0,
                });
            }
            if !r.ok() && r.status != 404 {
                return Err(r.error("reading batch id"));
            }
        }
        check_terms(&p)?;
        // Every request, associations then names, built up front; actions are JSON values
        // (a few hundred bytes per record), so a batch costs about twice its size in memory.
        let mut jobs: Vec<(bool, Vec<JsonBody<Value>>)> = Vec::new();
        for chunk in chunks(&p.assocs, |a| 3 * a.rdata.len() + 4 * a.rrname.len()) {
            let mut actions = Vec::with_capacity(chunk.len() * 2);
            for a in chunk {
                let params = json!({
                    "batch": bid, "keep": KEEP_BATCH_IDS,
                    "first": a.first_seen, "last": a.last_seen, "count": a.count,
                    "ttl": a.ttl, "bw": a.bailiwick, "sources": sources_list(&a.sources),
                });
                update_action(
                    &mut actions,
                    hex(&a.key_hash),
                    &self.idx.assoc_script,
                    params,
                    assoc_doc(a, bid),
                );
            }
            jobs.push((true, actions));
        }
        for chunk in chunks(&p.names, |n| 4 * n.rrname.len()) {
            let mut actions = Vec::with_capacity(chunk.len() * 2);
            for n in chunk {
                let params = json!({
                    "batch": bid, "keep": KEEP_BATCH_IDS,
                    "first": n.first_seen, "last": n.last_seen, "count": n.count,
                    "sources": sources_list(&n.sources),
                });
                let id = digest_id(&[n.rrname.as_bytes(), &n.rrtype.to_be_bytes()]);
                update_action(
                    &mut actions,
                    id,
                    &self.idx.name_script,
                    params,
                    name_doc(n, bid),
                );
            }
            jobs.push((false, actions));
        }
        let mut touched = Vec::new();
        if !p.assocs.is_empty() {
            touched.push(self.idx.assocs.as_str());
        }
        if !p.names.is_empty() {
            touched.push(self.idx.names.as_str());
        }
        // A batch never holds a key twice (merged above), so requests in flight together
        // touch different documents.
        let mut running = tokio::task::JoinSet::new();
        for (is_assoc, actions) in jobs {
            if running.len() >= BULK_IN_FLIGHT {
                if let Some(done) = running.join_next().await {
                    done??;
                }
            }
            let me = self.clone();
            running.spawn(async move {
                let index = if is_assoc {
                    &me.idx.assocs
                } else {
                    &me.idx.names
                };
                me.bulk(index, actions).await
            });
        }
        while let Some(done) = running.join_next().await {
            done??;
        }
        if self.refresh && !touched.is_empty() {
            self.json(
                Method::Post,
                &format!("{}/_refresh", touched.join(",")),
                &[],
                None,
            )
            .await?
            .check("refresh")?;
        }
        if let Some(id) = bid {
            let r = self
                .json(
                    Method::Put,
                    &format!("{}/_create/{}", self.idx.batches, Self::batch_doc_id(id)),
                    &[("refresh", "true")],
                    Some(json!({"id": id, "applied_at": Timestamp::now().millis()})),
                )
                .await?;
            // 409: a concurrent writer recorded the same id first; the documents it touched
            // skipped themselves for one of the two, so the batch counted once.
            if !r.ok() && r.status != 409 {
                return Err(r.error("recording batch id"));
            }
        }
        Ok(WriteReceipt {
            applied: true,
            associations: p.sent_assocs,
            names: p.sent_names,
        })
    }

    async fn search(&self, index: &str, body: Value) -> Result<Value> {
        self.json(Method::Post, &format!("{index}/_search"), &[], Some(body))
            .await?
            .check("search")
    }

    /// The `_source` of hits `skip..skip+take` of a sorted query: `from`/`size` inside the
    /// result window, `search_after` pages beyond it.
    async fn sorted_hits(
        &self,
        index: &str,
        query: Value,
        sort: Value,
        skip: usize,
        take: usize,
    ) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        if take == 0 {
            return Ok(out);
        }
        if skip.saturating_add(take) <= RESULT_WINDOW {
            let body = json!({"query": query, "sort": sort, "from": skip, "size": take,
                              "track_total_hits": false});
            let r = self.search(index, body).await?;
            return Ok(hit_list(&r)?
                .iter()
                .filter_map(|h| h.get("_source").cloned())
                .collect());
        }
        let mut after: Option<Value> = None;
        let mut skipped = 0usize;
        loop {
            let size = RESULT_WINDOW.min(skip.saturating_add(take) - skipped - out.len());
            let mut body = json!({"query": query, "sort": sort, "size": size,
                                  "track_total_hits": false});
            if let (Some(a), Some(o)) = (&after, body.as_object_mut()) {
                o.insert("search_after".into(), a.clone());
            }
            let r = self.search(index, body).await?;
            let hits = hit_list(&r)?;
            for h in hits {
                if skipped < skip {
                    skipped += 1;
                } else if let Some(s) = h.get("_source") {
                    out.push(s.clone());
                }
            }
            after = hits.last().and_then(|h| h.get("sort").cloned());
            if hits.len() < size || out.len() >= take || after.is_none() {
                break;
            }
        }
        out.truncate(take);
        Ok(out)
    }

    /// One page of associations; see [`Store::lookup`](crate::Store::lookup).
    pub async fn lookup(&self, q: &QueryRequest) -> Result<Page> {
        let r = Resolved::new(q, Timestamp::now())?;
        let hits = self
            .sorted_hits(
                &self.idx.assocs,
                assoc_query(&r),
                assoc_sort(),
                r.offset,
                r.limit.saturating_add(1),
            )
            .await?;
        let mut associations = hits.iter().map(read_assoc).collect::<Result<Vec<_>>>()?;
        let truncated = associations.len() > r.limit;
        associations.truncate(r.limit);
        Ok(Page {
            associations,
            truncated,
        })
    }

    /// The exact sum of `count` over the matching associations, read document by document
    /// (used when the `sum` aggregation's double might have rounded).
    async fn exact_sum(&self, query: Value) -> Result<u64> {
        let mut sum = 0u64;
        let mut after: Option<Value> = None;
        loop {
            let mut body = json!({"query": query, "sort": [{"key": "asc"}],
                                  "size": RESULT_WINDOW, "_source": ["count"],
                                  "track_total_hits": false});
            if let (Some(a), Some(o)) = (&after, body.as_object_mut()) {
                o.insert("search_after".into(), a.clone());
            }
            let r = self.search(&self.idx.assocs, body).await?;
            let hits = hit_list(&r)?;
            for h in hits {
                let c = h.get("_source").map(|s| i64_at(s, "count")).transpose()?;
                sum = sum.saturating_add(u64::try_from(c.unwrap_or(0)).unwrap_or(0));
            }
            after = hits.last().and_then(|h| h.get("sort").cloned());
            if hits.len() < RESULT_WINDOW || after.is_none() {
                return Ok(sum);
            }
        }
    }

    /// Count, number of documents, min first seen and max last seen over a query.
    async fn totals(&self, query: Value) -> Result<Summary> {
        let body = json!({
            "query": query, "size": 0, "track_total_hits": true,
            "aggs": {
                "count": {"sum": {"field": "count"}},
                "first": {"min": {"field": "first_seen"}},
                "last": {"max": {"field": "last_seen"}},
            }
        });
        let r = self.search(&self.idx.assocs, body).await?;
        let n = total_hits(&r)?;
        let agg = |name: &str| {
            r.pointer(&format!("/aggregations/{name}/value"))
                .and_then(Value::as_f64)
        };
        let sum = agg("count").unwrap_or(0.0);
        let count = if sum < EXACT_DOUBLE {
            sum as u64
        } else {
            self.exact_sum(query).await?
        };
        let ms = |v: Option<f64>| v.map(|x| Timestamp::from_millis(x as i64));
        Ok(Summary {
            count,
            num_results: n,
            time_first: if n == 0 { None } else { ms(agg("first")) },
            time_last: if n == 0 { None } else { ms(agg("last")) },
        })
    }

    /// Totals over a query; see [`Store::summarize`](crate::Store::summarize).
    pub async fn summarize(&self, q: &QueryRequest) -> Result<Summary> {
        let r = Resolved::new(q, Timestamp::now())?;
        self.totals(assoc_query(&r)).await
    }

    /// Name sightings; see [`Store::names`](crate::Store::names).
    pub async fn names(&self, q: &NameQuery) -> Result<Vec<NameSighting>> {
        let fence = q.fence.resolve(Timestamp::now());
        let mut f = vec![name_filter("rrname", "rrname_rev", &q.pattern)];
        fence_filters(&mut f, &fence);
        let hits = self
            .sorted_hits(&self.idx.names, filters(f), name_sort(), q.offset, q.limit)
            .await?;
        hits.iter().map(read_name).collect()
    }

    /// Every bucket of a one-source `composite` aggregation, paged with `after_key`.
    async fn composite(&self, index: &str, field: &str, sub: Option<Value>) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        let mut after: Option<Value> = None;
        loop {
            let mut comp = json!({"size": 1000, "sources": [{"k": {"terms": {"field": field}}}]});
            if let (Some(a), Some(o)) = (&after, comp.as_object_mut()) {
                o.insert("after".into(), a.clone());
            }
            let mut agg = Map::new();
            agg.insert("composite".into(), comp);
            if let Some(s) = &sub {
                agg.insert("aggs".into(), s.clone());
            }
            let body = json!({"size": 0, "track_total_hits": false, "aggs": {"c": agg}});
            let r = self.search(index, body).await?;
            let buckets = r
                .pointer("/aggregations/c/buckets")
                .and_then(Value::as_array)
                .ok_or_else(|| Error::Corrupt("composite aggregation without buckets".into()))?;
            out.extend(buckets.iter().cloned());
            after = r.pointer("/aggregations/c/after_key").cloned();
            if buckets.is_empty() || after.is_none() {
                return Ok(out);
            }
        }
    }

    /// Dashboard figures; see [`Store::stats`](crate::Store::stats). Not one snapshot:
    /// figures read while a batch is written may disagree with each other by that batch.
    pub async fn stats(&self) -> Result<StoreStats> {
        let all = json!({"match_all": {}});
        let totals = self.totals(all.clone()).await?;
        let names = self
            .search(
                &self.idx.names,
                json!({"query": all, "size": 0, "track_total_hits": true}),
            )
            .await?;
        let names = total_hits(&names)?;
        let count_of = |b: &Value| b.get("doc_count").and_then(Value::as_u64).unwrap_or(0);
        let mut by_rrtype = Vec::new();
        for b in self.composite(&self.idx.assocs, "rrtype", None).await? {
            let t = b
                .pointer("/key/k")
                .and_then(Value::as_i64)
                .and_then(|t| u16::try_from(t).ok())
                .ok_or_else(|| Error::Corrupt(format!("rrtype bucket {b}")))?;
            by_rrtype.push((yapdns_core::RrType::from_u16(t).to_string(), count_of(&b)));
        }
        let mut by_source = Vec::new();
        for b in self.composite(&self.idx.assocs, "sources", None).await? {
            let s = b
                .pointer("/key/k")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::Corrupt(format!("source bucket {b}")))?;
            by_source.push((codec::source_label(s), count_of(&b)));
        }
        let both = format!("{},{}", self.idx.assocs, self.idx.names);
        let mut per_day: std::collections::BTreeMap<i64, u64> = Default::default();
        let sub = json!({"first": {"min": {"field": "first_seen"}}});
        for b in self.composite(&both, "rrname", Some(sub)).await? {
            let first = b
                .pointer("/first/value")
                .and_then(Value::as_f64)
                .ok_or_else(|| Error::Corrupt(format!("name bucket {b}")))?;
            *per_day
                .entry((first as i64).div_euclid(DAY_MS))
                .or_default() += 1;
        }
        Ok(StoreStats {
            associations: totals.num_results,
            sightings: totals.count,
            names,
            by_rrtype: ranked(by_rrtype),
            by_source: ranked(by_source),
            new_names_per_day: per_day
                .into_iter()
                .map(|(d, c)| (day_label(d), c))
                .collect(),
        })
    }

    async fn delete_by_query(&self, index: &str, query: Value) -> Result<u64> {
        let r = self
            .json(
                Method::Post,
                &format!("{index}/_delete_by_query"),
                &[("refresh", "true")],
                Some(json!({"query": query})),
            )
            .await?
            .check("delete by query")?;
        if let Some(f) = r
            .get("failures")
            .and_then(Value::as_array)
            .filter(|f| !f.is_empty())
        {
            return Err(Error::Elastic {
                status: 500,
                reason: format!("delete by query: {}", reason(&json!({"error": f[0]}))),
            });
        }
        Ok(r.get("deleted").and_then(Value::as_u64).unwrap_or(0))
    }

    /// Retention; see [`Store::delete_last_seen_before`](crate::Store::delete_last_seen_before).
    pub async fn delete_last_seen_before(&self, before: Timestamp) -> Result<u64> {
        let q = json!({"range": {"last_seen": {"lt": before.millis()}}});
        let a = self.delete_by_query(&self.idx.assocs, q.clone()).await?;
        let n = self.delete_by_query(&self.idx.names, q).await?;
        Ok(a + n)
    }

    /// Forgets batch ids; see [`Store::forget_batches_before`](crate::Store::forget_batches_before)
    /// and the module documentation (documents keep their own recent ids).
    pub async fn forget_batches_before(&self, before: Timestamp) -> Result<u64> {
        let q = json!({"range": {"applied_at": {"lt": before.millis()}}});
        self.delete_by_query(&self.idx.batches, q).await
    }

    /// Checks the node answers.
    pub async fn ping(&self) -> Result<()> {
        self.json(Method::Get, "", &[], None).await?.check("ping")?;
        Ok(())
    }

    fn name_id(name: &str) -> String {
        digest_id(&[name.as_bytes()])
    }
}

/// Refuses, before anything is sent, a batch with a keyword longer than Lucene takes (the
/// SQL stores would keep it; here one such document would fail inside a half-applied bulk).
fn check_terms(p: &codec::Prepared) -> Result<()> {
    let check = |what: &str, s: &str| {
        // `>=`: the reversed form of a name is one byte longer.
        if s.len() >= MAX_TERM_BYTES {
            Err(Error::InvalidRecord(format!(
                "{what} of {} bytes is longer than Elasticsearch indexes ({MAX_TERM_BYTES})",
                s.len()
            )))
        } else {
            Ok(())
        }
    };
    for a in &p.assocs {
        check("rrname", &a.rrname)?;
        if let Some(n) = &a.rdata_name {
            check("name in rdata", n)?;
        }
        if let Some(b) = &a.bailiwick {
            check("bailiwick", b)?;
        }
        for s in sources_list(&a.sources) {
            check("source", s)?;
        }
    }
    for n in &p.names {
        check("rrname", &n.rrname)?;
        for s in sources_list(&n.sources) {
            check("source", s)?;
        }
    }
    Ok(())
}

/// Slices of at most [`BULK_CHUNK`] rows and about [`BULK_BYTES`] of text by `size`.
fn chunks<T>(rows: &[T], size: impl Fn(&T) -> usize) -> Vec<&[T]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, r) in rows.iter().enumerate() {
        if i > start && (i - start >= BULK_CHUNK || bytes >= BULK_BYTES) {
            out.extend(rows.get(start..i));
            start = i;
            bytes = 0;
        }
        bytes += size(r) + 512;
    }
    if start < rows.len() {
        out.extend(rows.get(start..));
    }
    out
}

fn hit_list(r: &Value) -> Result<&Vec<Value>> {
    r.pointer("/hits/hits")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::Corrupt("search answer without hits".into()))
}

fn total_hits(r: &Value) -> Result<u64> {
    r.pointer("/hits/total/value")
        .and_then(Value::as_u64)
        .ok_or_else(|| Error::Corrupt("search answer without a total".into()))
}

fn client_from(src: &Value) -> Result<(ApiClient, Vec<u8>)> {
    let role = str_at(src, "role")?;
    let hash_hex = str_at(src, "key_hash")?;
    let hash = (0..hash_hex.len() / 2)
        .map(|i| {
            hash_hex
                .get(i * 2..i * 2 + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| Error::Corrupt("key hash is not hex".into()))
        })
        .collect::<Result<Vec<u8>>>()?;
    Ok((
        ApiClient {
            id: str_at(src, "id")?,
            name: str_at(src, "name")?,
            role: role
                .parse()
                .map_err(|_| Error::Corrupt(format!("role {role:?}")))?,
            created: Timestamp::from_millis(i64_at(src, "created_at")?),
            revoked: opt_i64_at(src, "revoked_at")?.map(Timestamp::from_millis),
        },
        hash,
    ))
}

#[async_trait]
impl RegistryRows for ElasticStore {
    async fn insert_client(&self, c: &ApiClient, key_hash: &[u8]) -> Result<()> {
        let r = self
            .json(
                Method::Put,
                &format!("{}/_create/{}", self.idx.clients, Self::name_id(&c.name)),
                &[("refresh", "true")],
                Some(json!({
                    "id": c.id, "name": c.name, "role": c.role.as_str(),
                    "key_hash": hex(key_hash), "created_at": c.created.millis(),
                    "revoked_at": null,
                })),
            )
            .await?;
        if r.status == 409 {
            return Err(Error::Conflict(format!("API client {:?}", c.name)));
        }
        r.check("creating API client")?;
        Ok(())
    }

    async fn client_by_id(&self, id: &str) -> Result<Option<(ApiClient, Vec<u8>)>> {
        let r = self
            .search(
                &self.idx.clients,
                json!({"query": {"term": {"id": id}}, "size": 1}),
            )
            .await?;
        hit_list(&r)?
            .first()
            .and_then(|h| h.get("_source"))
            .map(client_from)
            .transpose()
    }

    async fn clients(&self) -> Result<Vec<ApiClient>> {
        let hits = self
            .sorted_hits(
                &self.idx.clients,
                json!({"match_all": {}}),
                json!([{"name": "asc"}]),
                0,
                usize::MAX,
            )
            .await?;
        hits.iter()
            .map(|h| client_from(h).map(|(c, _)| c))
            .collect()
    }

    async fn revoke_client(&self, name: &str, at: Timestamp) -> Result<bool> {
        let r = self
            .json(
                Method::Post,
                &format!("{}/_update/{}", self.idx.clients, Self::name_id(name)),
                &[("refresh", "true"), ("retry_on_conflict", "5")],
                Some(json!({"script": {
                    "lang": "painless",
                    "source": "if (ctx._source.revoked_at == null) { ctx._source.revoked_at = params.at } else { ctx.op = 'none' }",
                    "params": {"at": at.millis()},
                }})),
            )
            .await?;
        if r.status == 404 {
            return Ok(false);
        }
        let body = r.check("revoking API client")?;
        Ok(body.get("result").and_then(Value::as_str) == Some("updated"))
    }

    async fn insert_user(&self, user: &DashboardUser, hash: &str) -> Result<()> {
        let r = self
            .json(
                Method::Put,
                &format!("{}/_create/{}", self.idx.users, Self::name_id(&user.name)),
                &[("refresh", "true")],
                Some(json!({
                    "name": user.name, "password_hash": hash,
                    "created_at": user.created.millis(),
                })),
            )
            .await?;
        if r.status == 409 {
            return Err(Error::Conflict(format!("dashboard user {:?}", user.name)));
        }
        r.check("creating dashboard user")?;
        Ok(())
    }

    async fn user_hash(&self, name: &str) -> Result<Option<String>> {
        let r = self
            .json(
                Method::Get,
                &format!("{}/_doc/{}", self.idx.users, Self::name_id(name)),
                &[],
                None,
            )
            .await?;
        if r.status == 404 {
            return Ok(None);
        }
        let body = r.check("reading dashboard user")?;
        match body.get("_source") {
            Some(s) if str_at(s, "name")? == name => Ok(Some(str_at(s, "password_hash")?)),
            _ => Ok(None),
        }
    }

    async fn update_user_hash(&self, name: &str, hash: &str) -> Result<bool> {
        let r = self
            .json(
                Method::Post,
                &format!("{}/_update/{}", self.idx.users, Self::name_id(name)),
                &[("refresh", "true"), ("retry_on_conflict", "5")],
                Some(json!({"doc": {"password_hash": hash}})),
            )
            .await?;
        if r.status == 404 {
            return Ok(false);
        }
        r.check("updating dashboard user")?;
        Ok(true)
    }

    async fn users(&self) -> Result<Vec<DashboardUser>> {
        let hits = self
            .sorted_hits(
                &self.idx.users,
                json!({"match_all": {}}),
                json!([{"name": "asc"}]),
                0,
                usize::MAX,
            )
            .await?;
        hits.iter()
            .map(|h| {
                Ok(DashboardUser {
                    name: str_at(h, "name")?,
                    created: Timestamp::from_millis(i64_at(h, "created_at")?),
                })
            })
            .collect()
    }

    async fn delete_user(&self, name: &str) -> Result<bool> {
        let r = self
            .json(
                Method::Delete,
                &format!("{}/_doc/{}", self.idx.users, Self::name_id(name)),
                &[("refresh", "true")],
                None,
            )
            .await?;
        if r.status == 404 {
            return Ok(false);
        }
        r.check("deleting dashboard user")?;
        Ok(true)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dsns() {
        let t =
            parse_dsn("elasticsearch+https://u:p%40ss@es.example:9200/base?prefix=pdns&replicas=1")
                .unwrap();
        assert_eq!(t.url.as_str(), "https://es.example:9200/base");
        assert_eq!((t.prefix.as_str(), t.replicas), ("pdns", 1));
        assert!(
            matches!(t.credentials, Some(Credentials::Basic(ref u, ref p)) if u == "u" && p == "p@ss")
        );
        let t = parse_dsn("elasticsearch+http://127.0.0.1:9200").unwrap();
        assert_eq!(t.prefix, "yapdns");
        assert!(t.credentials.is_none());
        assert!(parse_dsn("elasticsearch+http://h:1?prefix=Bad").is_err());
        assert!(parse_dsn("elasticsearch+http://h:1?prefix=_x").is_err());
        assert!(parse_dsn("elasticsearch+http://h:1?colour=red").is_err());
        assert!(parse_dsn("elasticsearch+ftp://h:1").is_err());
        assert!(parse_dsn("elasticsearch+http://h:1?refresh=wait_for").is_err());
        let t = parse_dsn("elasticsearch+http://h:1?refresh=false&ca=/etc/ca.pem").unwrap();
        assert!(!t.refresh);
        assert_eq!(t.ca.as_deref(), Some(std::path::Path::new("/etc/ca.pem")));
    }

    #[test]
    fn chunks_split_by_count_and_bytes() {
        let rows = vec![1usize; 4_500];
        let c = chunks(&rows, |_| 10);
        assert_eq!(
            c.iter().map(|c| c.len()).collect::<Vec<_>>(),
            [2_000, 2_000, 500]
        );
        let c = chunks(&rows[..10], |_| BULK_BYTES);
        assert_eq!(c.len(), 10);
        assert!(chunks(&rows[..0], |_| 1).is_empty());
    }

    #[test]
    fn truncation_keeps_characters_whole() {
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(truncate("aé", 2), "a");
        assert_eq!(truncate("aé", 3), "aé");
    }
}

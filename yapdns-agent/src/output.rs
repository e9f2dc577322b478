//! Where batches go: a YAPDNS server over HTTP(S), or a store opened by the agent.
//!
//! Both take the body of a spool entry (COF lines, then name sighting lines), cut it into
//! requests of at most `batch_size` lines, and tag each request with an idempotency key
//! derived from the batch id, so a request repeated after a crash or a lost answer counts
//! once. The server answers:
//!
//! | answer | meaning | the agent |
//! |---|---|---|
//! | 2xx | durably applied | next request |
//! | 400 `{error, line, reason}` | that line is bad, nothing applied | logs and counts the line, sends the others again |
//! | 401, 403 | the key is wrong or lacks the `ingest` role | logs an error, keeps the data, retries slowly |
//! | 413 | too large | splits the request in two |
//! | 408, 429, 5xx, no answer | try later | backs off (exponential, jitter, `Retry-After`) |
//! | other 4xx | refused for good | logs and counts the records as rejected |

use std::collections::HashSet;
use std::time::Duration;

use reqwest::StatusCode;
use yapdns_core::{Association, Batch, BatchId, NameSighting};

use crate::config::{ServerOutput, StoreOutput};
use crate::metrics::Metrics;

/// A delivery that did not go through and should be tried again later.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The output is away or overloaded.
    #[error("{reason}")]
    Retry {
        /// What happened.
        reason: String,
        /// How long the server asked us to wait.
        after: Option<Duration>,
    },
    /// The server refuses our credentials: nothing will get through until an operator acts.
    #[error("{0}")]
    Auth(String),
}

/// Records refused for good, with the reason (logged and counted by the caller).
#[derive(Debug, Default)]
pub struct Rejections(pub Vec<(u64, String)>);

/// The configured output.
pub enum Output {
    /// A YAPDNS server.
    Server(ServerClient),
    /// A store written directly.
    Store(StoreClient),
}

impl Output {
    /// Builds the output from the configuration (reads the key file and the CA file, opens
    /// the store).
    pub async fn open(
        server: Option<&ServerOutput>,
        store: Option<&StoreOutput>,
    ) -> anyhow::Result<Output> {
        match (server, store) {
            (Some(s), _) => Ok(Output::Server(ServerClient::new(s)?)),
            (None, Some(s)) => Ok(Output::Store(StoreClient::open(&s.dsn).await?)),
            (None, None) => anyhow::bail!("no output configured"),
        }
    }

    /// Sends one spool entry's body. `done` holds the idempotency keys already acknowledged
    /// during this run, which are not sent again.
    pub async fn send(
        &self,
        id: &str,
        body: &[u8],
        batch_size: usize,
        done: &mut HashSet<String>,
        metrics: &Metrics,
    ) -> Result<Rejections, SendError> {
        let mut rejected = Rejections::default();
        for (k, chunk) in crate::spool::chunks(body, batch_size)
            .into_iter()
            .enumerate()
        {
            let key = format!("{id}-{k}");
            if done.contains(&key) {
                continue;
            }
            match self {
                Output::Server(s) => s.post(&key, chunk, metrics, &mut rejected).await?,
                Output::Store(s) => s.write(&key, chunk, &mut rejected).await?,
            }
            done.insert(key);
        }
        Ok(rejected)
    }

    /// A short name for logs.
    pub fn describe(&self) -> String {
        match self {
            Output::Server(s) => s.url.clone(),
            Output::Store(s) => format!("store ({})", s.store.backend()),
        }
    }
}

/// The HTTP client of a YAPDNS server's ingestion API.
pub struct ServerClient {
    client: reqwest::Client,
    url: String,
    endpoint: String,
    auth: String,
}

fn lines_of(body: &[u8]) -> Vec<&[u8]> {
    body.split_inclusive(|b| *b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .collect()
}

/// The longest idempotency key sent; longer derivations (many split or bad-line suffixes)
/// are hashed, staying deterministic. The server accepts up to 200 printable characters.
const MAX_KEY: usize = 120;

/// The key of a request derived from `key` (a half after a 413, the rest after a bad line).
fn derive_key(key: &str, suffix: &str) -> String {
    let k = format!("{key}{suffix}");
    if k.len() <= MAX_KEY {
        return k;
    }
    let stem = key.split('-').next().unwrap_or("");
    format!("{stem}-h{}", crate::window::hex128(k.as_bytes()))
}

fn retry_after(h: &reqwest::header::HeaderMap) -> Option<Duration> {
    let v = h.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    v.trim()
        .parse::<u64>()
        .ok()
        .map(|s| Duration::from_secs(s.min(3600)))
}

impl ServerClient {
    /// A client for `cfg` (key and CA file are read now).
    pub fn new(cfg: &ServerOutput) -> anyhow::Result<ServerClient> {
        let key = cfg.resolve_key()?;
        let mut b = reqwest::Client::builder()
            .timeout(cfg.timeout)
            .connect_timeout(cfg.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("yapdns-agent/", env!("CARGO_PKG_VERSION")))
            .pool_idle_timeout(Duration::from_secs(30));
        if let Some(ca) = &cfg.ca_file {
            let pem = std::fs::read(ca)
                .map_err(|e| anyhow::anyhow!("cannot read ca_file {}: {e}", ca.display()))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|e| anyhow::anyhow!("ca_file {}: {e}", ca.display()))?;
            if certs.is_empty() {
                anyhow::bail!("ca_file {} holds no PEM certificate", ca.display());
            }
            for c in certs {
                b = b.add_root_certificate(c);
            }
        }
        let url = cfg.url.trim_end_matches('/').to_string();
        Ok(ServerClient {
            client: b.build()?,
            endpoint: format!("{url}/api/v1/associations"),
            url,
            auth: format!("Bearer {key}"),
        })
    }

    /// Posts one request; splits on 413 and drops a bad line on 400 (both recursively, with
    /// keys derived from `key` so a repeat is still recognised).
    async fn post(
        &self,
        key: &str,
        body: &[u8],
        metrics: &Metrics,
        rejected: &mut Rejections,
    ) -> Result<(), SendError> {
        let mut work: Vec<(String, Vec<u8>)> = vec![(key.to_string(), body.to_vec())];
        while let Some((key, body)) = work.pop() {
            let lines = lines_of(&body);
            if lines.is_empty() {
                continue;
            }
            let resp = self
                .client
                .post(&self.endpoint)
                .header(reqwest::header::AUTHORIZATION, &self.auth)
                .header(reqwest::header::CONTENT_TYPE, "application/x-ndjson")
                .header("Idempotency-Key", &key)
                .body(body.clone())
                .send()
                .await;
            let resp = match resp {
                Ok(r) => r,
                Err(e) => {
                    metrics.requests.add(&[("status", "error")], 1);
                    let what = if e.is_timeout() {
                        "timed out"
                    } else if e.is_connect() {
                        "cannot connect"
                    } else {
                        "request failed"
                    };
                    return Err(SendError::Retry {
                        reason: format!("{}: {what}: {}", self.url, yapdns_core::error_text(&e)),
                        after: None,
                    });
                }
            };
            let status = resp.status();
            metrics.requests.add(&[("status", status.as_str())], 1);
            let after = retry_after(resp.headers());
            let text = resp.text().await.unwrap_or_default();
            let text = text.chars().take(500).collect::<String>();
            match status {
                s if s.is_success() => {}
                StatusCode::BAD_REQUEST => {
                    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                    let line = v.get("line").and_then(serde_json::Value::as_u64);
                    let reason = v
                        .get("reason")
                        .and_then(|r| r.as_str())
                        .map_or_else(|| text.clone(), str::to_string);
                    match line {
                        Some(n) if n >= 1 && (n as usize) <= lines.len() => {
                            let bad = String::from_utf8_lossy(lines[n as usize - 1]);
                            rejected
                                .0
                                .push((1, format!("{reason}: {}", bad.trim_end())));
                            let rest: Vec<u8> = lines
                                .iter()
                                .enumerate()
                                .filter(|(i, _)| *i + 1 != n as usize)
                                .flat_map(|(_, l)| l.iter().copied())
                                .collect();
                            work.push((derive_key(&key, &format!("-x{n}")), rest));
                        }
                        _ => rejected
                            .0
                            .push((lines.len() as u64, format!("400: {reason}"))),
                    }
                }
                StatusCode::PAYLOAD_TOO_LARGE => {
                    if lines.len() == 1 {
                        rejected
                            .0
                            .push((1, "413: a single record is over the server's limit".into()));
                    } else {
                        let mid = lines.len() / 2;
                        let a: Vec<u8> = lines[..mid].concat();
                        let b: Vec<u8> = lines[mid..].concat();
                        // Popped last-in first-out: push the second half first.
                        work.push((derive_key(&key, ".1"), b));
                        work.push((derive_key(&key, ".0"), a));
                    }
                }
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                    return Err(SendError::Auth(format!(
                        "{} refused the API key ({status}): {text}; check api_key / api_key_file \
                         and that the client has the ingest role",
                        self.url
                    )));
                }
                s if s == StatusCode::REQUEST_TIMEOUT
                    || s == StatusCode::TOO_MANY_REQUESTS
                    || s.is_server_error() =>
                {
                    return Err(SendError::Retry {
                        reason: format!("{} answered {status}: {text}", self.url),
                        after,
                    });
                }
                _ => rejected.0.push((
                    lines.len() as u64,
                    format!("{} answered {status}: {text}", self.url),
                )),
            }
        }
        Ok(())
    }
}

/// A store the agent writes into itself.
pub struct StoreClient {
    store: yapdns_store::Store,
}

impl StoreClient {
    /// Opens the store a DSN names.
    pub async fn open(dsn: &str) -> anyhow::Result<StoreClient> {
        let store = yapdns_store::open(dsn).await?;
        Ok(StoreClient { store })
    }

    async fn write(
        &self,
        key: &str,
        body: &[u8],
        rejected: &mut Rejections,
    ) -> Result<(), SendError> {
        let mut batch = Batch {
            id: Some(BatchId(key.to_string())),
            ..Batch::default()
        };
        for line in lines_of(body) {
            let text = String::from_utf8_lossy(line);
            // Name sightings are YAPDNS JSON with `first_seen` and no `rdata`; the rest is COF
            // written by this agent.
            let parsed = if text.contains("\"first_seen\"") && !text.contains("\"rdata\"") {
                serde_json::from_str::<NameSighting>(&text)
                    .map(|n| batch.names.push(n))
                    .map_err(|e| e.to_string())
            } else {
                Association::from_cof_json(&text, "cof")
                    .map(|v| batch.associations.extend(v))
                    .map_err(|e| e.to_string())
            };
            if let Err(e) = parsed {
                rejected.0.push((
                    1,
                    format!("spooled line does not read back: {e}: {}", text.trim_end()),
                ));
            }
        }
        if batch.is_empty() {
            return Ok(());
        }
        match self.store.write(&batch).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_retryable() => Err(SendError::Retry {
                reason: format!("store: {e}"),
                after: None,
            }),
            Err(e) => {
                rejected.0.push((
                    (batch.associations.len() + batch.names.len()) as u64,
                    format!("store refused the batch: {e}"),
                ));
                Ok(())
            }
        }
    }
}

/// The wait before retry number `attempt` (0-based): `initial · 2^attempt`, capped at `max`,
/// with ±25% random jitter so agents restarted together do not retry together.
pub fn backoff(attempt: u32, initial: Duration, max: Duration) -> Duration {
    let base = initial.saturating_mul(1u32 << attempt.min(20)).min(max);
    let r = crate::registry::random_u64() % 1000;
    let factor = 0.75 + (r as f64) / 2000.0;
    base.mul_f64(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let i = Duration::from_millis(100);
        let m = Duration::from_secs(5);
        let b0 = backoff(0, i, m);
        assert!(b0 >= Duration::from_millis(75) && b0 <= Duration::from_millis(125));
        let b3 = backoff(3, i, m);
        assert!(b3 >= Duration::from_millis(600) && b3 <= Duration::from_millis(1000));
        let b30 = backoff(30, i, m);
        assert!(b30 <= Duration::from_millis(6250) && b30 >= Duration::from_millis(3750));
    }

    #[test]
    fn derived_keys_stay_short_and_stable() {
        let mut k = "0123456789abcdef0123456789abcdef-0".to_string();
        for i in 0..100 {
            k = derive_key(&k, &format!("-x{i}"));
            assert!(k.len() <= MAX_KEY && k.starts_with("0123456789abcdef0123456789abcdef-"));
        }
        assert_eq!(derive_key("a-0", ".1"), "a-0.1");
        assert_eq!(
            derive_key(&"a".repeat(200), ".1"),
            derive_key(&"a".repeat(200), ".1")
        );
    }

    #[test]
    fn blank_lines_are_not_records() {
        assert_eq!(lines_of(b"a\n\nb\n").len(), 2);
    }
}

//! The agent's figures, and `GET /metrics` in the Prometheus text format.
//!
//! Counters are plain atomics (the hot path adds to them once per read, not per line);
//! labelled series live in small maps under a mutex.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

/// A monotonically increasing count.
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    /// Adds `n`.
    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
    /// The value.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A value that goes up and down.
#[derive(Debug, Default)]
pub struct Gauge(AtomicU64);

impl Gauge {
    /// Sets it.
    pub fn set(&self, v: u64) {
        self.0.store(v, Ordering::Relaxed);
    }
    /// The value.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// The labels of one series, in order.
pub type Labels = Vec<(&'static str, String)>;

/// A family of counters or gauges told apart by labels.
#[derive(Debug, Default)]
pub struct Family(Mutex<BTreeMap<Labels, u64>>);

impl Family {
    fn map(&self) -> std::sync::MutexGuard<'_, BTreeMap<Labels, u64>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
    /// Adds `n` to the series with `labels`.
    pub fn add(&self, labels: &[(&'static str, &str)], n: u64) {
        let key: Labels = labels.iter().map(|(k, v)| (*k, v.to_string())).collect();
        *self.map().entry(key).or_default() += n;
    }
    /// Sets the series with `labels`.
    pub fn set(&self, labels: &[(&'static str, &str)], v: u64) {
        let key: Labels = labels.iter().map(|(k, v)| (*k, v.to_string())).collect();
        self.map().insert(key, v);
    }
    /// Replaces every series (for gauges recomputed as a whole, such as lag per file).
    pub fn replace(&self, series: BTreeMap<Labels, u64>) {
        *self.map() = series;
    }
    /// The series with `labels`, 0 if absent.
    pub fn get(&self, labels: &[(&'static str, &str)]) -> u64 {
        let key: Labels = labels.iter().map(|(k, v)| (*k, v.to_string())).collect();
        self.map().get(&key).copied().unwrap_or(0)
    }
    /// Sum over all series.
    pub fn sum(&self) -> u64 {
        self.map().values().sum()
    }
}

/// Every figure the agent exports.
#[derive(Debug, Default)]
#[allow(missing_docs)] // each field's help text is in `render`
pub struct Metrics {
    pub lines_read: Family,
    pub bytes_read: Family,
    pub associations: Family,
    pub names: Family,
    pub parse_errors: Family,
    pub files_skipped: Family,
    pub bytes_lost: Family,
    pub windows_sealed: Counter,
    pub batches_sent: Counter,
    pub batches_failed: Family,
    pub batches_retried: Counter,
    pub requests: Family,
    pub records_sent: Counter,
    pub records_rejected: Family,
    pub spool_bytes: Gauge,
    pub spool_batches: Gauge,
    pub spool_dropped_batches: Counter,
    pub spool_dropped_records: Counter,
    pub spool_dropped_lines: Counter,
    pub files_open: Gauge,
    pub files_tracked: Gauge,
    pub lag_bytes: Family,
    pub window_entries: Gauge,
    pub reading_paused: Gauge,
    pub output_up: Gauge,
}

struct Help {
    name: &'static str,
    kind: &'static str,
    help: &'static str,
}

const fn h(name: &'static str, kind: &'static str, help: &'static str) -> Help {
    Help { name, kind, help }
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn write_family(out: &mut String, h: Help, f: &Family) {
    let _ = writeln!(
        out,
        "# HELP {} {}\n# TYPE {} {}",
        h.name, h.help, h.name, h.kind
    );
    for (labels, v) in f.map().iter() {
        let l: Vec<String> = labels
            .iter()
            .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
            .collect();
        let _ = writeln!(out, "{}{{{}}} {v}", h.name, l.join(","));
    }
}

fn write_one(out: &mut String, h: Help, v: u64) {
    let _ = writeln!(
        out,
        "# HELP {} {}\n# TYPE {} {}\n{} {v}",
        h.name, h.help, h.name, h.kind, h.name
    );
}

impl Metrics {
    /// Metrics with every series of a known reason at zero, so that each is exported before
    /// its first event: Prometheus' `increase()` then sees that event, and an alert on any
    /// increase fires on the first one.
    pub fn primed() -> Metrics {
        let m = Metrics::default();
        for r in ["undetected", "unreadable", "gzip"] {
            m.files_skipped.add(&[("reason", r)], 0);
        }
        m.bytes_lost.add(&[("reason", "truncated")], 0);
        for r in ["unavailable", "auth"] {
            m.batches_failed.add(&[("reason", r)], 0);
        }
        for r in ["too_large", "unreadable", "store", "http", "bad_record"] {
            m.records_rejected.add(&[("reason", r)], 0);
        }
        m
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut o = String::with_capacity(4096);
        let c = "counter";
        let g = "gauge";
        write_family(
            &mut o,
            h(
                "yapdns_agent_lines_read_total",
                c,
                "Lines read from log files.",
            ),
            &self.lines_read,
        );
        write_family(
            &mut o,
            h(
                "yapdns_agent_bytes_read_total",
                c,
                "Bytes read from log files.",
            ),
            &self.bytes_read,
        );
        write_family(
            &mut o,
            h(
                "yapdns_agent_associations_total",
                c,
                "Associations parsed (before merging).",
            ),
            &self.associations,
        );
        write_family(
            &mut o,
            h(
                "yapdns_agent_names_total",
                c,
                "Name sightings parsed (before merging).",
            ),
            &self.names,
        );
        write_family(
            &mut o,
            h(
                "yapdns_agent_parse_errors_total",
                c,
                "Bad lines, by kind (too_long: cut and skipped).",
            ),
            &self.parse_errors,
        );
        write_family(
            &mut o,
            h(
                "yapdns_agent_files_skipped_total",
                c,
                "Files matched but not read, by reason.",
            ),
            &self.files_skipped,
        );
        write_family(
            &mut o,
            h(
                "yapdns_agent_bytes_lost_total",
                c,
                "Bytes known to be lost before they were read (truncated or deleted files).",
            ),
            &self.bytes_lost,
        );
        write_one(
            &mut o,
            h(
                "yapdns_agent_windows_sealed_total",
                c,
                "Merge windows sealed into batches.",
            ),
            self.windows_sealed.get(),
        );
        write_one(
            &mut o,
            h(
                "yapdns_agent_batches_sent_total",
                c,
                "Batches acknowledged by the output.",
            ),
            self.batches_sent.get(),
        );
        write_family(
            &mut o,
            h(
                "yapdns_agent_batches_failed_total",
                c,
                "Failed delivery attempts, by reason.",
            ),
            &self.batches_failed,
        );
        write_one(
            &mut o,
            h(
                "yapdns_agent_batches_retried_total",
                c,
                "Delivery attempts that were retries.",
            ),
            self.batches_retried.get(),
        );
        write_family(
            &mut o,
            h(
                "yapdns_agent_requests_total",
                c,
                "Requests to the server, by HTTP status (or error).",
            ),
            &self.requests,
        );
        write_one(
            &mut o,
            h(
                "yapdns_agent_records_sent_total",
                c,
                "Records (associations and names) acknowledged.",
            ),
            self.records_sent.get(),
        );
        write_family(
            &mut o,
            h(
                "yapdns_agent_records_rejected_total",
                c,
                "Records the output refused for good, by reason.",
            ),
            &self.records_rejected,
        );
        write_one(
            &mut o,
            h("yapdns_agent_spool_bytes", g, "Bytes in the spool."),
            self.spool_bytes.get(),
        );
        write_one(
            &mut o,
            h(
                "yapdns_agent_spool_batches",
                g,
                "Batches waiting in the spool.",
            ),
            self.spool_batches.get(),
        );
        write_one(
            &mut o,
            h(
                "yapdns_agent_spool_dropped_batches_total",
                c,
                "Batches dropped because the spool was full.",
            ),
            self.spool_dropped_batches.get(),
        );
        write_one(
            &mut o,
            h(
                "yapdns_agent_spool_dropped_records_total",
                c,
                "Records in batches dropped because the spool was full.",
            ),
            self.spool_dropped_records.get(),
        );
        write_one(
            &mut o,
            h(
                "yapdns_agent_spool_dropped_lines_total",
                c,
                "Lines in batches dropped because the spool was full.",
            ),
            self.spool_dropped_lines.get(),
        );
        write_one(
            &mut o,
            h("yapdns_agent_files_open", g, "Log files held open."),
            self.files_open.get(),
        );
        write_one(
            &mut o,
            h(
                "yapdns_agent_files_tracked",
                g,
                "Log files followed (open or not).",
            ),
            self.files_tracked.get(),
        );
        write_family(
            &mut o,
            h(
                "yapdns_agent_file_lag_bytes",
                g,
                "Bytes of a file not yet read.",
            ),
            &self.lag_bytes,
        );
        write_one(
            &mut o,
            h(
                "yapdns_agent_window_entries",
                g,
                "Distinct entries in the open merge window.",
            ),
            self.window_entries.get(),
        );
        write_one(
            &mut o,
            h(
                "yapdns_agent_reading_paused",
                g,
                "1 while reading is paused because the spool is full.",
            ),
            self.reading_paused.get(),
        );
        write_one(
            &mut o,
            h(
                "yapdns_agent_output_up",
                g,
                "1 when the last delivery attempt succeeded.",
            ),
            self.output_up.get(),
        );
        o
    }
}

/// Serves `GET /metrics` (and `GET /healthz`) on `addr` until the task is dropped.
pub async fn serve(addr: SocketAddr, metrics: Arc<Metrics>) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "metrics endpoint listening");
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "metrics endpoint: accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
        };
        let m = metrics.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                let m = m.clone();
                async move { Ok::<_, std::convert::Infallible>(respond(&req, &m)) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

fn respond<B>(req: &Request<B>, m: &Metrics) -> Response<Full<Bytes>> {
    let (status, ctype, body) = match (req.method().as_str(), req.uri().path()) {
        ("GET", "/metrics") => (StatusCode::OK, "text/plain; version=0.0.4", m.render()),
        ("GET", "/healthz") => (StatusCode::OK, "text/plain", "ok\n".to_string()),
        _ => (
            StatusCode::NOT_FOUND,
            "text/plain",
            "not found\n".to_string(),
        ),
    };
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = status;
    if let Ok(v) = hyper::header::HeaderValue::from_str(ctype) {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_labels_and_help() {
        let m = Metrics::default();
        m.lines_read.add(&[("input", "squid")], 3);
        m.parse_errors
            .add(&[("input", "squid"), ("kind", "syntax")], 1);
        m.spool_bytes.set(42);
        let t = m.render();
        assert!(
            t.contains("yapdns_agent_lines_read_total{input=\"squid\"} 3"),
            "{t}"
        );
        assert!(t.contains("yapdns_agent_parse_errors_total{input=\"squid\",kind=\"syntax\"} 1"));
        assert!(t.contains("# TYPE yapdns_agent_spool_bytes gauge\nyapdns_agent_spool_bytes 42"));
    }
}

#[cfg(test)]
mod primed_tests {
    use super::*;

    /// The counters operators alert on exist at zero before their first event.
    #[test]
    fn reasons_are_exported_before_their_first_event() {
        let t = Metrics::primed().render();
        for series in [
            "yapdns_agent_bytes_lost_total{reason=\"truncated\"} 0",
            "yapdns_agent_files_skipped_total{reason=\"undetected\"} 0",
        ] {
            assert!(t.contains(series), "{series}: {t}");
        }
    }
}

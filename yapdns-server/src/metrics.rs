//! Prometheus metrics in the text exposition format (`GET /metrics`): requests and their
//! latency per route, requests in flight, what ingestion took in, and store errors.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Latency histogram bucket bounds, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Every figure the server exports.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    in_flight: AtomicI64,
    ingested_associations: AtomicU64,
    ingested_names: AtomicU64,
    batches_applied: AtomicU64,
    batches_duplicate: AtomicU64,
    store_unavailable: AtomicU64,
    store_failed: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

impl Metrics {
    /// Counts one finished request. `route` is the route template (`/pdns/query/{q}`), never
    /// the raw path, so the number of series stays bounded.
    pub fn request(&self, route: &str, method: &str, status: u16, took: Duration) {
        *lock(&self.requests)
            .entry((route.to_string(), method.to_string(), status))
            .or_default() += 1;
        let secs = took.as_secs_f64();
        let mut lat = lock(&self.latency);
        let h = lat.entry(route.to_string()).or_default();
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
    }

    /// A request started (+1) or ended (-1).
    pub fn in_flight(&self, delta: i64) {
        self.in_flight.fetch_add(delta, Ordering::Relaxed);
    }

    /// A batch was written: `applied` false when its idempotency key had been seen.
    pub fn ingested(&self, applied: bool, associations: u64, names: u64) {
        if applied {
            self.batches_applied.fetch_add(1, Ordering::Relaxed);
            self.ingested_associations
                .fetch_add(associations, Ordering::Relaxed);
            self.ingested_names.fetch_add(names, Ordering::Relaxed);
        } else {
            self.batches_duplicate.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// A store call failed.
    pub fn store_error(&self, e: &yapdns_core::Error) {
        if e.is_retryable() {
            self.store_unavailable.fetch_add(1, Ordering::Relaxed);
        } else {
            self.store_failed.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Associations taken in since start.
    pub fn ingested_associations(&self) -> u64 {
        self.ingested_associations.load(Ordering::Relaxed)
    }

    /// The exposition text.
    pub fn render(&self) -> String {
        let mut o = String::with_capacity(4096);
        let _ = writeln!(o, "# HELP yapdns_http_requests_total HTTP requests answered, by route, method and status.");
        let _ = writeln!(o, "# TYPE yapdns_http_requests_total counter");
        for ((route, method, status), n) in lock(&self.requests).iter() {
            let _ = writeln!(
                o,
                "yapdns_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                escape(route),
                escape(method)
            );
        }
        let _ = writeln!(
            o,
            "# HELP yapdns_http_request_duration_seconds Time to answer HTTP requests, by route."
        );
        let _ = writeln!(o, "# TYPE yapdns_http_request_duration_seconds histogram");
        for (route, h) in lock(&self.latency).iter() {
            let r = escape(route);
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    o,
                    "yapdns_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"{b}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                o,
                "yapdns_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                o,
                "yapdns_http_request_duration_seconds_sum{{route=\"{r}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                o,
                "yapdns_http_request_duration_seconds_count{{route=\"{r}\"}} {}",
                h.count
            );
        }
        let gauge = |o: &mut String, name: &str, help: &str, kind: &str, v: i128| {
            let _ = writeln!(o, "# HELP {name} {help}");
            let _ = writeln!(o, "# TYPE {name} {kind}");
            let _ = writeln!(o, "{name} {v}");
        };
        gauge(
            &mut o,
            "yapdns_http_requests_in_flight",
            "HTTP requests being handled.",
            "gauge",
            i128::from(self.in_flight.load(Ordering::Relaxed)),
        );
        gauge(
            &mut o,
            "yapdns_ingested_associations_total",
            "Associations accepted by ingestion.",
            "counter",
            i128::from(self.ingested_associations.load(Ordering::Relaxed)),
        );
        gauge(
            &mut o,
            "yapdns_ingested_names_total",
            "Name sightings accepted by ingestion.",
            "counter",
            i128::from(self.ingested_names.load(Ordering::Relaxed)),
        );
        let _ = writeln!(
            o,
            "# HELP yapdns_ingest_batches_total Ingestion batches written, by result."
        );
        let _ = writeln!(o, "# TYPE yapdns_ingest_batches_total counter");
        let _ = writeln!(
            o,
            "yapdns_ingest_batches_total{{result=\"applied\"}} {}",
            self.batches_applied.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            o,
            "yapdns_ingest_batches_total{{result=\"duplicate\"}} {}",
            self.batches_duplicate.load(Ordering::Relaxed)
        );
        let _ = writeln!(o, "# HELP yapdns_store_errors_total Store calls that failed, by kind (unavailable: retryable).");
        let _ = writeln!(o, "# TYPE yapdns_store_errors_total counter");
        let _ = writeln!(
            o,
            "yapdns_store_errors_total{{kind=\"unavailable\"}} {}",
            self.store_unavailable.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            o,
            "yapdns_store_errors_total{{kind=\"failed\"}} {}",
            self.store_failed.load(Ordering::Relaxed)
        );
        o
    }
}

/// Escapes a label value (backslash, quote, newline).
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.request("/pdns/query/{q}", "GET", 200, Duration::from_millis(3));
        m.request("/pdns/query/{q}", "GET", 200, Duration::from_millis(300));
        m.ingested(true, 5, 1);
        m.ingested(false, 5, 1);
        let t = m.render();
        assert!(t.contains(
            "yapdns_http_requests_total{route=\"/pdns/query/{q}\",method=\"GET\",status=\"200\"} 2"
        ));
        assert!(t.contains("le=\"0.005\"} 1"));
        assert!(t.contains("le=\"0.5\"} 2"));
        assert!(t.contains("le=\"+Inf\"} 2"));
        assert!(t.contains("yapdns_ingested_associations_total 5"));
        assert!(t.contains("yapdns_ingest_batches_total{result=\"duplicate\"} 1"));
        assert_eq!(escape("a\"b\\"), "a\\\"b\\\\");
    }
}

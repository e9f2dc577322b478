//! Delivery: sends spooled batches, oldest first, one at a time, until acknowledged.

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tracing::{error, info, warn};

use crate::output::{backoff, Output, SendError};
use crate::shared::Shared;

/// How delivery behaves.
#[derive(Debug, Clone)]
pub struct SendPolicy {
    /// Records per request.
    pub batch_size: usize,
    /// First retry wait.
    pub retry_initial: Duration,
    /// Longest retry wait.
    pub retry_max: Duration,
}

/// Delivers until the reader is done and the spool is empty, or until `deadline` (set at
/// shutdown) passes. What is left stays in the spool.
pub async fn run(
    shared: Arc<Shared>,
    output: Arc<Output>,
    policy: SendPolicy,
    mut deadline: tokio::sync::watch::Receiver<Option<Instant>>,
) {
    let m = shared.metrics.clone();
    let mut attempt: u32 = 0;
    let mut done_keys: HashSet<String> = HashSet::new();
    let mut current: Option<u64> = None;
    let mut failing_since: Option<Instant> = None;
    loop {
        let dl = *deadline.borrow();
        if dl.is_some_and(|d| Instant::now() >= d) {
            if !shared.spool.is_empty() {
                warn!(batches = shared.spool.len(), bytes = shared.spool.bytes(),
                      "shutdown deadline reached; undelivered batches stay in the spool for the next start");
            }
            return;
        }
        let Some(entry) = shared.spool.front() else {
            if shared.reader_done.load(Ordering::SeqCst) {
                return;
            }
            tokio::select! {
                _ = shared.spool.notify.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                _ = deadline.changed() => {}
            }
            continue;
        };
        if current != Some(entry.header.seq) {
            current = Some(entry.header.seq);
            done_keys.clear();
            attempt = 0;
        }
        if entry.is_empty() {
            if let Err(e) = ack(&shared, &entry).await {
                error!(error = %e, "cannot write checkpoints; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            continue;
        }
        entry.in_flight.store(true, Ordering::SeqCst);
        let result = {
            let e2 = entry.clone();
            match tokio::task::spawn_blocking(move || e2.body()).await {
                Ok(Ok(body)) => {
                    let chunk = if entry.header.chunk_lines > 0 {
                        entry.header.chunk_lines
                    } else {
                        policy.batch_size
                    };
                    output
                        .send(&entry.header.id, &body, chunk, &mut done_keys, &m)
                        .await
                }
                Ok(Err(e)) => {
                    // The spool file vanished or cannot be read: nothing to resend, and the
                    // lines it held would be read again only if the checkpoint stays. Keep it
                    // and say so loudly; an operator must look at the spool directory.
                    Err(SendError::Retry {
                        reason: format!("cannot read spool file {:?}: {e}", entry.file),
                        after: Some(Duration::from_secs(30)),
                    })
                }
                Err(e) => Err(SendError::Retry {
                    reason: format!("internal error reading the spool: {e}"),
                    after: None,
                }),
            }
        };
        entry.in_flight.store(false, Ordering::SeqCst);
        match result {
            Ok(rejected) => {
                for (n, why) in &rejected.0 {
                    m.records_rejected.add(&[("reason", reason_label(why))], *n);
                    error!(batch = %entry.header.id, records = n, reason = %why,
                           "records refused by the output; they are not retried");
                }
                let refused: u64 = rejected.0.iter().map(|(n, _)| n).sum();
                if let Err(e) = ack(&shared, &entry).await {
                    error!(error = %e, "cannot write checkpoints; the batch will be sent again (harmless: it is idempotent)");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
                m.batches_sent.add(1);
                m.records_sent
                    .add((entry.header.associations + entry.header.names).saturating_sub(refused));
                m.output_up.set(1);
                if let Some(t) = failing_since.take() {
                    info!(after = ?t.elapsed(), "output reachable again; delivering the spool");
                }
                attempt = 0;
            }
            Err(err) => {
                m.output_up.set(0);
                let (label, wait) = match &err {
                    SendError::Retry { after, .. } => (
                        "unavailable",
                        after.unwrap_or_else(|| {
                            backoff(attempt, policy.retry_initial, policy.retry_max)
                        }),
                    ),
                    SendError::Auth(_) => ("auth", policy.retry_max),
                };
                m.batches_failed.add(&[("reason", label)], 1);
                m.batches_retried.add(1);
                let first = failing_since.is_none();
                failing_since.get_or_insert_with(Instant::now);
                match &err {
                    SendError::Auth(msg) => {
                        error!(error = %msg, "output refuses our credentials; nothing is delivered until this is fixed (data is kept)")
                    }
                    SendError::Retry { reason, .. } if first || attempt.is_multiple_of(10) => {
                        warn!(error = %reason, retry_in = ?wait, spool_bytes = shared.spool.bytes(),
                              "delivery failed; spooling and retrying")
                    }
                    SendError::Retry { reason, .. } => {
                        tracing::debug!(error = %reason, "delivery failed again")
                    }
                }
                attempt = attempt.saturating_add(1);
                let sleep_until = Instant::now() + wait;
                let dl = *deadline.borrow();
                let until = dl.map_or(sleep_until, |d| d.min(sleep_until));
                tokio::select! {
                    _ = tokio::time::sleep_until(until.into()) => {}
                    _ = deadline.changed() => {}
                }
            }
        }
    }
}

fn reason_label(why: &str) -> &'static str {
    if why.starts_with("413") {
        "too_large"
    } else if why.contains("spooled line") {
        "unreadable"
    } else if why.starts_with("store") {
        "store"
    } else if why.contains(" answered ") {
        "http"
    } else {
        "bad_record"
    }
}

async fn ack(shared: &Arc<Shared>, entry: &Arc<crate::spool::Entry>) -> std::io::Result<()> {
    let s = shared.clone();
    let e = entry.clone();
    tokio::task::spawn_blocking(move || s.acknowledge(&e))
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e)))
}

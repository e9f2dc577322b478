//! `yapdns-agent run`: wires the reader thread, the delivery task, the metrics endpoint and
//! the signals together.

use std::fs::{File, OpenOptions};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use tracing::{error, info, warn};

use crate::config::Config;
use crate::metrics::Metrics;
use crate::output::{backoff, Output};
use crate::registry::Registry;
use crate::sender::{self, SendPolicy};
use crate::shared::Shared;
use crate::spool::Spool;
use crate::tail::Tailer;

/// Takes the data directory for this process: two agents on one directory would corrupt each
/// other's checkpoints and spool. The lock goes when the process does, whatever its end.
fn lock_data_dir(cfg: &Config) -> anyhow::Result<File> {
    crate::fsutil::ensure_dir(&cfg.data_dir)
        .with_context(|| format!("cannot create data_dir {}", cfg.data_dir.display()))?;
    let path = cfg.data_dir.join("lock");
    let f = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match rustix::fs::flock(&f, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(f),
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => anyhow::bail!(
            "another yapdns-agent is running with data_dir {}",
            cfg.data_dir.display()
        ),
        Err(e) => Err(std::io::Error::from(e)).context("cannot lock data_dir"),
    }
}

/// Runs the agent until SIGTERM or SIGINT, then flushes within `shutdown_timeout`.
pub fn run(cfg: Config) -> anyhow::Result<()> {
    let cfg = Arc::new(cfg);
    let _lock = lock_data_dir(&cfg)?;
    let registry = Registry::load(&cfg.data_dir)
        .with_context(|| format!("cannot load checkpoints from {}", cfg.data_dir.display()))?;
    let (spool, warnings) = Spool::open(&cfg.data_dir, cfg.spool_limit, cfg.batch_size)
        .with_context(|| format!("cannot open the spool in {}", cfg.data_dir.display()))?;
    for w in warnings {
        error!("{w}");
    }
    let metrics = Arc::new(Metrics::primed());
    metrics.spool_bytes.set(spool.bytes());
    metrics.spool_batches.set(spool.len() as u64);
    info!(
        agent_id = %registry.agent_id,
        checkpoints = registry.len(),
        spooled_batches = spool.len(),
        spooled_bytes = spool.bytes(),
        "yapdns-agent starting"
    );
    let shared = Arc::new(Shared {
        registry: Mutex::new(registry),
        spool,
        metrics: metrics.clone(),
        stop: AtomicBool::new(false),
        reader_done: AtomicBool::new(false),
    });

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("yapdns-agent")
        .build()
        .context("cannot start the runtime")?;
    rt.block_on(async move {
        if let Some(addr) = cfg.metrics.listen {
            let m = metrics.clone();
            let l = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr} for metrics"))?;
            drop(l);
            tokio::spawn(async move {
                if let Err(e) = crate::metrics::serve(addr, m).await {
                    error!(error = %e, "metrics endpoint stopped");
                }
            });
        }

        let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .context("cannot handle SIGTERM")?;
        let mut sigint = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
            .context("cannot handle SIGINT")?;

        let output = tokio::select! {
            o = open_output(&cfg) => Arc::new(o?),
            _ = sigterm.recv() => return Ok(()),
            _ = sigint.recv() => return Ok(()),
        };
        info!(output = %output.describe(), "output ready");

        let reader = {
            let t = Tailer::new(cfg.clone(), shared.clone());
            std::thread::Builder::new()
                .name("yapdns-reader".into())
                .spawn(move || t.run())
                .context("cannot start the reader thread")?
        };
        let (deadline_tx, deadline_rx) = tokio::sync::watch::channel(None);
        let (initial, max) = match (&cfg.output.server, &cfg.output.store) {
            (Some(s), _) => (s.retry_initial, s.retry_max),
            (None, Some(s)) => (s.retry_initial, s.retry_max),
            (None, None) => (Duration::from_millis(500), Duration::from_secs(60)),
        };
        let policy = SendPolicy {
            batch_size: cfg.batch_size,
            retry_initial: initial,
            retry_max: max,
        };
        let mut delivery = tokio::spawn(sender::run(shared.clone(), output, policy, deadline_rx));

        let signal = tokio::select! {
            _ = sigterm.recv() => "SIGTERM",
            _ = sigint.recv() => "SIGINT",
            r = &mut delivery => {
                // The delivery loop only returns at shutdown; anything else is a bug.
                error!(result = ?r, "delivery stopped unexpectedly");
                "delivery stop"
            }
        };
        let deadline = Instant::now() + cfg.shutdown_timeout;
        info!(signal, timeout = ?cfg.shutdown_timeout, "stopping: no more reading; flushing what was read");
        shared.stop.store(true, Ordering::SeqCst);
        let _ = deadline_tx.send(Some(deadline));

        // A second signal stops at once: the spool and checkpoints are crash-safe.
        let hurry = async {
            tokio::select! {
                _ = sigterm.recv() => {}
                _ = sigint.recv() => {}
            }
        };
        let finish = async {
            let r = tokio::task::spawn_blocking(move || reader.join());
            if tokio::time::timeout_at(deadline.into(), r).await.is_err() {
                warn!("the reader did not stop in time");
            }
            if !delivery.is_finished() {
                let _ = tokio::time::timeout_at((deadline + Duration::from_secs(1)).into(), &mut delivery).await;
            }
        };
        tokio::select! {
            _ = finish => {}
            _ = hurry => warn!("second signal: exiting now; undelivered batches stay in the spool"),
        }
        if let Err(e) = shared.registry().persist() {
            error!(error = %e, "cannot write checkpoints at exit");
        }
        info!(
            spooled_batches = shared.spool.len(),
            spooled_bytes = shared.spool.bytes(),
            "yapdns-agent stopped"
        );
        drop(deadline_tx);
        Ok::<(), anyhow::Error>(())
    })?;
    rt.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}

/// Opens the output, retrying while a store is unreachable (a server client connects lazily).
async fn open_output(cfg: &Config) -> anyhow::Result<Output> {
    let mut attempt = 0;
    loop {
        match Output::open(cfg.output.server.as_ref(), cfg.output.store.as_ref()).await {
            Ok(o) => return Ok(o),
            Err(e)
                if e.downcast_ref::<yapdns_store::Error>()
                    .is_some_and(yapdns_store::Error::is_retryable) =>
            {
                let wait = backoff(attempt, Duration::from_millis(500), Duration::from_secs(30));
                warn!(error = %format!("{e:#}"), retry_in = ?wait, "cannot open the store; retrying");
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

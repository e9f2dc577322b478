//! State shared by the reading thread and the delivery task, and the one place where an
//! acknowledgement turns into checkpoints.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::metrics::Metrics;
use crate::registry::Registry;
use crate::spool::{self, Spool};

/// What both halves of the agent see.
pub struct Shared {
    /// Checkpoints.
    pub registry: Mutex<Registry>,
    /// Sealed windows waiting for acknowledgement.
    pub spool: Spool,
    /// Figures.
    pub metrics: Arc<Metrics>,
    /// Set on SIGTERM/SIGINT: stop reading.
    pub stop: AtomicBool,
    /// Set by the reader once it sealed its last window after `stop`.
    pub reader_done: AtomicBool,
}

impl Shared {
    /// The checkpoints, locked.
    pub fn registry(&self) -> MutexGuard<'_, Registry> {
        // Every registry change is a single field update or insert, so a panic elsewhere
        // cannot leave it half-changed.
        self.registry.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// True once shutdown was requested.
    pub fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// The output has the entry (or it was dropped on purpose): advance the checkpoints of the
    /// lines it covers, write them durably, and only then forget the spooled copy. A crash in
    /// between sends the entry again, which its idempotency keys make harmless.
    pub fn acknowledge(&self, e: &spool::Entry) -> io::Result<()> {
        {
            let mut reg = self.registry();
            for r in &e.header.ranges {
                reg.ack(r.entry, r.end);
            }
            reg.persist()?;
        }
        self.spool.remove(e.header.seq)?;
        self.metrics.spool_bytes.set(self.spool.bytes());
        self.metrics.spool_batches.set(self.spool.len() as u64);
        Ok(())
    }
}

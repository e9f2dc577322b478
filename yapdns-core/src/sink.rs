//! Where associations go: a store, a server, a file.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::association::Association;
use crate::error::Result;
use crate::sighting::NameSighting;

/// A stable identifier for a batch, so that a batch sent twice (a retry after a crash or a
/// lost acknowledgement) is applied once. The agent derives it from the file fingerprint and
/// the byte range the batch came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BatchId(pub String);

/// Associations and name sightings handed to a [`Sink`] together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// Set to make the write idempotent.
    pub id: Option<BatchId>,
    /// Associations to merge.
    pub associations: Vec<Association>,
    /// Name sightings to merge.
    pub names: Vec<NameSighting>,
}

impl Batch {
    /// True when the batch carries nothing.
    pub fn is_empty(&self) -> bool {
        self.associations.is_empty() && self.names.is_empty()
    }
}

/// What a sink reports after a write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteReceipt {
    /// False when the batch id had been applied before and nothing was changed.
    pub applied: bool,
    /// Associations merged.
    pub associations: u64,
    /// Name sightings merged.
    pub names: u64,
}

/// Accepts batches and merges them into durable storage.
///
/// `write` returns only once the batch is durable: that acknowledgement is what the agent
/// checkpoints on, so a sink must never return `Ok` for data it could still lose. Errors that
/// may go away (store down, overloaded) are [`Error::Unavailable`](crate::Error::Unavailable)
/// so callers know to retry.
///
/// ```
/// use std::sync::Mutex;
/// use async_trait::async_trait;
/// use yapdns_core::{Aggregator, Batch, Result, Sink, WriteReceipt};
///
/// /// Merges everything into memory: enough for a test or a one-shot report.
/// #[derive(Default)]
/// struct MemorySink(Mutex<Aggregator>);
///
/// #[async_trait]
/// impl Sink for MemorySink {
///     async fn write(&self, batch: &Batch) -> Result<WriteReceipt> {
///         let mut agg = self.0.lock().unwrap();
///         batch.associations.iter().cloned().for_each(|a| agg.add(a));
///         batch.names.iter().cloned().for_each(|n| agg.add_name(n));
///         Ok(WriteReceipt { applied: true, associations: batch.associations.len() as u64,
///                           names: batch.names.len() as u64 })
///     }
/// }
/// ```
#[async_trait]
pub trait Sink: Send + Sync {
    /// Merges the batch durably.
    async fn write(&self, batch: &Batch) -> Result<WriteReceipt>;

    /// Checks the sink is reachable (used for health endpoints and start-up checks).
    async fn ping(&self) -> Result<()> {
        Ok(())
    }
}

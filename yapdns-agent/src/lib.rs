//! The YAPDNS agent: follows log files, parses them with `yapdns-parsers`, merges repeated
//! associations in memory for a window, and ships the merged batches to a YAPDNS server (or
//! straight into a store) without losing or repeating a line across restarts, rotations and
//! outages.
//!
//! ```text
//!  files ──tail──▶ LineFeeder ──parse──▶ Window ──seal──▶ Spool (disk) ──send──▶ server / store
//!    ▲  (rotation,     (safe offsets)      (merge,           (write-ahead)           │
//!    │   copies)                           byte ranges)                               │ ack
//!    └──────────────────── checkpoints advance to the ranges acknowledged ◀──────────┘
//! ```
//!
//! - [`config`]: the TOML configuration, with every default.
//! - [`tail`]: discovery, file identity (device, inode, fingerprint), rotation, reading.
//! - [`lines`]: bytes to lines to records, and the safe offset to resume from.
//! - [`window`]: the merge window and the byte ranges it covers; batch ids.
//! - [`spool`]: sealed windows on disk until acknowledged.
//! - [`output`], [`sender`]: delivery with retries, backoff, splitting and idempotency keys.
//! - [`registry`]: the checkpoints.
//! - [`metrics`]: Prometheus figures.
#![deny(missing_docs)]

pub mod agent;
pub mod check;
pub mod config;
pub mod fsutil;
pub mod lines;
pub mod metrics;
pub mod output;
pub mod registry;
pub mod sender;
pub mod shared;
pub mod spool;
pub mod tail;
pub mod window;

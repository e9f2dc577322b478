//! What the server needs from a store: the core [`Sink`] and [`Query`] traits, behind one
//! object-safe trait so that any backend (`yapdns_store::Store`, whatever its DSN) fits in an
//! `Arc<dyn Backend>`.

use yapdns_core::{Query, Sink};

/// A store the server can write batches into and query: anything that is both a [`Sink`] and
/// a [`Query`].
pub trait Backend: Sink + Query + Send + Sync + 'static {}

impl<T: Sink + Query + Send + Sync + 'static> Backend for T {}

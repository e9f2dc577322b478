//! The YAPDNS server: ingestion for agents, the query APIs passive DNS clients already speak,
//! a JSON API and a search page, over any store that implements the core traits.
//!
//! The server holds no logic of its own about DNS data: every request becomes a
//! [`yapdns_core::Batch`] for a [`yapdns_core::Sink`] or a [`yapdns_core::QueryRequest`] for a
//! [`yapdns_core::Query`]. What lives here is the HTTP edge:
//!
//! - [`ingest`]: `POST /api/v1/associations` (NDJSON of COF or YAPDNS JSON, all-or-nothing,
//!   idempotent with `Idempotency-Key`) and the old YAPDNS beat's `/api/v1/dns` endpoints;
//! - [`dnsdb`]: the DNSDB API v2 (`/dnsdb/v2/lookup|summarize/...`, SAF framing) and v1;
//! - [`circl`]: `GET /pdns/query/{q}` as CIRCL serves it (COF NDJSON, `dribble-*` headers);
//! - [`web`]: `/api/v1/search`, `/api/v1/names`, `/api/v1/stats` and the `GET /` page;
//! - [`auth`], [`ratelimit`], [`metrics`], [`tls`] and [`serve`]: keys and roles, per-key
//!   token buckets, Prometheus text, rustls, and the accept loop with its limits and graceful
//!   shutdown.
//!
//! ```no_run
//! # async fn run(store: std::sync::Arc<dyn yapdns_server::Backend>,
//! #              registry: std::sync::Arc<dyn yapdns_server::Registry>) -> std::io::Result<()> {
//! use yapdns_server::{app, serve, ServerConfig};
//!
//! let config = ServerConfig::default();
//! let state = app::AppState::new(store, registry, config.clone());
//! let listener = tokio::net::TcpListener::bind(config.listen).await?;
//! serve::serve(listener, state, None, std::future::pending()).await
//! # }
//! ```
#![deny(missing_docs)]

pub mod app;
pub mod auth;
pub mod backend;
pub mod circl;
pub mod config;
pub mod dnsdb;
pub mod error;
pub mod import;
pub mod ingest;
pub mod metrics;
pub mod params;
pub mod ratelimit;
pub mod serve;
pub mod tls;
pub mod web;

pub use auth::{Principal, Registry, Role};
pub use backend::Backend;
pub use config::ServerConfig;
pub use error::ApiError;

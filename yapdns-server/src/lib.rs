//! The YAPDNS server: ingestion for agents, the query APIs passive DNS clients speak (COF,
//! DNSDB API v2), a JSON API and a dashboard, over a `yapdns-store` backend.
//!
//! The HTTP server is being built; until it lands this crate exports nothing, so nothing can
//! mistake it for a working server.
#![deny(missing_docs)]

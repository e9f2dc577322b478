//! YAPDNS storage backends: each keeps associations and name sightings, merges on write and
//! answers passive DNS queries through `yapdns_core::Sink` and `yapdns_core::Query`.
//!
//! The backends (SQLite, PostgreSQL, Elasticsearch/OpenSearch) are being built; until they
//! land this crate exports nothing, so nothing can mistake it for a working store.
#![deny(missing_docs)]

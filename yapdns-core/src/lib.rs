//! The YAPDNS model and the traits that connect its parts.
//!
//! Passive DNS reconstructs which names resolved to what, and when, from logs that already
//! exist. Every sighting becomes an [`Association`] (rrname, rrtype, rdata, first and last
//! seen, count); a name seen without an answer becomes a [`NameSighting`]. Both merge on their
//! key: earliest first seen, latest last seen, sum of counts.
//!
//! Data flows one way, and every arrow is a trait here:
//!
//! ```text
//! log ──Source──▶ parser ──▶ Association ──Aggregator──▶ Batch ──Sink──▶ store ──Query──▶ API
//!                                  ▲
//!                              Enricher
//! ```
//!
//! ```
//! use yapdns_core::{Aggregator, Association, RrType, SourceTag, Timestamp};
//!
//! let src = SourceTag::new("squid", Some("proxy-1"));
//! let mut agg = Aggregator::default();
//! for t in [1_700_000_100, 1_700_000_000] {
//!     let a = Association::new("WWW.Example.COM.", RrType::A, "93.184.216.34",
//!                              Timestamp::from_secs(t), src.clone())?;
//!     agg.add(a);
//! }
//! let merged = agg.take_associations();
//! assert_eq!(merged[0].rrname, "www.example.com");
//! assert_eq!(merged[0].count, 2);
//! println!("{}", merged[0].to_cof_json());
//! # Ok::<(), yapdns_core::Error>(())
//! ```
#![deny(missing_docs)]

mod aggregate;
mod association;
mod cof;
mod enrich;
mod error;
mod json_lex;
mod name;
mod query;
mod rrtype;
mod sighting;
mod sink;
mod source;
mod tag;
#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod test_rng;
mod time;
mod view;

pub use aggregate::Aggregator;
pub use association::{Association, Key};
pub use cof::{CofLine, CofRecord};
pub use enrich::{Enricher, Facts};
pub use error::{error_text, BoxError, Error, Result};
pub use json_lex::{JsonLex, SKIP_DEPTH as JSON_SKIP_DEPTH};
pub use name::{
    is_normalized, normalize_name, normalize_name_in, normalize_rdata, normalize_rdata_in,
    MAX_LABEL_LEN, MAX_NAME_LEN,
};
pub use query::{
    IpFilter, Lookup, NamePattern, NameQuery, Page, Query, QueryRequest, StoreStats, Summary,
    TimeFence, DEFAULT_LIMIT,
};
pub use rrtype::RrType;
pub use sighting::NameSighting;
pub use sink::{Batch, BatchId, Sink, WriteReceipt};
pub use source::{Position, RawRecord, Source};
pub use tag::{SourceTag, Sources};
pub use time::{days_from_civil, Timestamp};
pub use view::{AssociationView, NameView};

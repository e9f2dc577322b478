//! YAPDNS storage backends: each keeps associations and name sightings, merges on write, and
//! answers passive DNS queries through [`yapdns_core::Sink`] and [`yapdns_core::Query`] with
//! the same results, in the same order, whichever backend it is.
//!
//! A [`Store`] is opened from a DSN, so the backend is a run-time choice:
//!
//! | DSN | backend | feature |
//! |---|---|---|
//! | `sqlite://path/to/file.db`, `sqlite:///abs/path.db`, `sqlite:path` | [`sqlite`] (file created on first use) | `sqlite` (default) |
//! | `sqlite::memory:` | [`sqlite`], in memory | `sqlite` |
//! | `postgres://user:pass@host:port/db`, `postgresql://…` | [`postgres`] | `postgres` |
//! | `elasticsearch+http://host:9200`, `elasticsearch+https://user:pass@host:9200?prefix=yapdns` | [`elastic`] (Elasticsearch 8/9, OpenSearch 2.x) | `elasticsearch` |
//!
//! Each backend is one module behind one Cargo feature; a DSN for a backend left out of the
//! build is refused with [`Error::NotCompiled`]. The meaning of every query is written out in
//! plain Rust in [`semantics`], which the conformance battery (`tests/conformance.rs`) checks
//! every backend against, record for record.
//!
//! ```
//! use yapdns_core::{Association, Batch, Lookup, QueryRequest, RrType, SourceTag, Timestamp};
//!
//! # #[cfg(feature = "sqlite")]
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let store = yapdns_store::open("sqlite::memory:").await?;
//! let seen = |t| Association::new("www.example.com", RrType::A, "192.0.2.1",
//!                                 Timestamp::from_secs(t), SourceTag::new("bind", None));
//! let batch = Batch { associations: vec![seen(100)?, seen(200)?], ..Batch::default() };
//! store.write(&batch).await?;
//!
//! let q = QueryRequest::new(Lookup::Rrset("*.example.com".parse()?));
//! let page = store.lookup(&q).await?;
//! assert_eq!(page.associations[0].count, 2);
//! assert_eq!(page.associations[0].last_seen.secs(), 200);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
#![deny(missing_docs)]
// A build without any backend compiles (so a feature set can be checked) but can only refuse
// every DSN; most of the crate is unused then.
#![cfg_attr(
    not(any(feature = "sqlite", feature = "postgres", feature = "elasticsearch")),
    allow(unused, dead_code, unreachable_code)
)]

// The column lists in `codec` serve the SQL stores only; an Elasticsearch-only build leaves
// them unused.
#[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
mod codec;
mod error;
pub mod registry;
pub mod semantics;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

#[cfg(feature = "elasticsearch")]
pub mod elastic;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;

use async_trait::async_trait;
use yapdns_core::{
    Batch, NameQuery, NameSighting, Page, Query, QueryRequest, Sink, StoreStats, Summary,
    Timestamp, WriteReceipt,
};

pub use error::{Error, Result};
pub use registry::{ApiClient, DashboardUser, NewClient, Registry, Role};

/// The backends a DSN can name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Dsn {
    /// A SQLite file.
    SqliteFile(std::path::PathBuf),
    /// A SQLite database in memory.
    SqliteMemory,
    /// A PostgreSQL connection URL, as given.
    Postgres(String),
    /// An Elasticsearch or OpenSearch URL (`elasticsearch+http://host:9200`).
    Elasticsearch(String),
}

impl Dsn {
    /// Parses a DSN by its scheme. Paths are taken literally (no percent-decoding).
    pub fn parse(dsn: &str) -> Result<Dsn> {
        let d = dsn.trim();
        let invalid = |reason: &str| Error::InvalidDsn {
            dsn: redact(d),
            reason: reason.to_string(),
        };
        if d == "sqlite::memory:" || d == "sqlite://:memory:" {
            return Ok(Dsn::SqliteMemory);
        }
        if let Some(rest) = d.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.is_empty() {
                return Err(invalid("no path: use sqlite://path/to/file.db"));
            }
            return Ok(Dsn::SqliteFile(path.into()));
        }
        let scheme = d.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("postgres" | "postgresql") => Ok(Dsn::Postgres(d.to_string())),
            Some("elasticsearch+http" | "elasticsearch+https") => {
                Ok(Dsn::Elasticsearch(d.to_string()))
            }
            Some(s) => Err(Error::UnknownScheme(format!("{s}://…"))),
            None => Err(Error::UnknownScheme(redact(d))),
        }
    }
}

/// A DSN fit for an error message: any `user:password@` part is dropped.
fn redact(dsn: &str) -> String {
    match (dsn.split_once("://"), dsn.rfind('@')) {
        (Some((scheme, _)), Some(at)) => format!("{scheme}://…{}", &dsn[at..]),
        _ => dsn.to_string(),
    }
}

/// A store chosen at run time. Cheap to clone: clones share connections.
///
/// Besides [`Sink`] and [`Query`] it offers retention
/// ([`delete_last_seen_before`](Store::delete_last_seen_before)) and the server's
/// [`Registry`] (every backend keeps one).
#[derive(Clone, Debug)]
pub struct Store {
    inner: Backend,
}

#[derive(Clone, Debug)]
enum Backend {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlite::SqliteStore),
    #[cfg(feature = "postgres")]
    Postgres(postgres::PostgresStore),
    #[cfg(feature = "elasticsearch")]
    Elastic(elastic::ElasticStore),
    /// Keeps the enum inhabited-looking when no backend is compiled in.
    #[allow(dead_code)]
    Never(std::convert::Infallible),
}

/// Runs `$e` with `$s` bound to the backend.
macro_rules! dispatch {
    ($self:expr, $s:ident => $e:expr) => {
        match &$self.inner {
            #[cfg(feature = "sqlite")]
            Backend::Sqlite($s) => $e,
            #[cfg(feature = "postgres")]
            Backend::Postgres($s) => $e,
            #[cfg(feature = "elasticsearch")]
            Backend::Elastic($s) => $e,
            Backend::Never(never) => match *never {},
        }
    };
}

/// Opens the store a DSN names, creating it (SQLite) and bringing its schema up to date.
pub async fn open(dsn: &str) -> Result<Store> {
    Store::open(dsn).await
}

impl Store {
    /// Opens the store a DSN names; see the [crate documentation](crate) for the forms.
    pub async fn open(dsn: &str) -> Result<Store> {
        let inner = match Dsn::parse(dsn)? {
            #[cfg(feature = "sqlite")]
            Dsn::SqliteFile(p) => Backend::Sqlite(sqlite::SqliteStore::open(p).await?),
            #[cfg(feature = "sqlite")]
            Dsn::SqliteMemory => Backend::Sqlite(sqlite::SqliteStore::open_in_memory().await?),
            #[cfg(not(feature = "sqlite"))]
            Dsn::SqliteFile(_) | Dsn::SqliteMemory => {
                return Err(Error::NotCompiled {
                    backend: "sqlite",
                    feature: "sqlite",
                })
            }
            #[cfg(feature = "postgres")]
            Dsn::Postgres(url) => Backend::Postgres(postgres::PostgresStore::open(&url).await?),
            #[cfg(not(feature = "postgres"))]
            Dsn::Postgres(_) => {
                return Err(Error::NotCompiled {
                    backend: "postgres",
                    feature: "postgres",
                })
            }
            #[cfg(feature = "elasticsearch")]
            Dsn::Elasticsearch(url) => Backend::Elastic(elastic::ElasticStore::open(&url).await?),
            #[cfg(not(feature = "elasticsearch"))]
            Dsn::Elasticsearch(_) => {
                return Err(Error::NotCompiled {
                    backend: "elasticsearch",
                    feature: "elasticsearch",
                })
            }
        };
        Ok(Store { inner })
    }

    /// The backend's name: `sqlite`, `postgres` or `elasticsearch`.
    pub fn backend(&self) -> &'static str {
        backend_name(&self.inner)
    }

    /// Merges a batch on the key (rrname, rrtype, rdata): first seen = min, last seen = max,
    /// count = sum (saturating at `i64::MAX`), sources = union, TTL = max, bailiwick = the
    /// longer (byte-wise smaller on a tie), exactly as [`yapdns_core::Association::merge`];
    /// name sightings likewise on (rrname, rrtype). Returns once the batch is durable. A batch
    /// whose id was applied before changes nothing and returns `applied: false` with zero
    /// counts; otherwise the counts are those of the batch as sent.
    pub async fn write(&self, batch: &Batch) -> Result<WriteReceipt> {
        dispatch!(self, s => s.write(batch).await)
    }

    /// One page of the associations matching `q`, in the order of
    /// [`semantics::compare_associations`]; `truncated` when more follow.
    pub async fn lookup(&self, q: &QueryRequest) -> Result<Page> {
        dispatch!(self, s => s.lookup(q).await)
    }

    /// Totals over every association matching `q`, ignoring limit and offset.
    pub async fn summarize(&self, q: &QueryRequest) -> Result<Summary> {
        dispatch!(self, s => s.summarize(q).await)
    }

    /// Name sightings matching `q`, in the order of [`semantics::compare_names`].
    pub async fn names(&self, q: &NameQuery) -> Result<Vec<NameSighting>> {
        dispatch!(self, s => s.names(q).await)
    }

    /// Figures for the dashboard, as [`semantics::stats`] defines them. Scans the tables:
    /// cache the answer rather than call it per page view on a large store.
    pub async fn stats(&self) -> Result<StoreStats> {
        dispatch!(self, s => s.stats().await)
    }

    /// Retention: deletes associations and name sightings last seen strictly before
    /// `before`, and returns how many rows went (both kinds together).
    pub async fn delete_last_seen_before(&self, before: Timestamp) -> Result<u64> {
        dispatch!(self, s => s.delete_last_seen_before(before).await)
    }

    /// Forgets the ids of batches applied (by the store's clock) before `before`, so the
    /// table of batch ids does not grow for ever. A batch re-sent after its id is forgotten
    /// is applied again: keep ids for longer than any agent retries.
    pub async fn forget_batches_before(&self, before: Timestamp) -> Result<u64> {
        dispatch!(self, s => s.forget_batches_before(before).await)
    }

    /// Checks the store answers.
    pub async fn ping(&self) -> Result<()> {
        dispatch!(self, s => s.ping().await)
    }

    /// The registry rows of this backend, or why there are none.
    fn registry_rows(&self) -> Result<&dyn registry::RegistryRows> {
        dispatch!(self, s => Ok(s as &dyn registry::RegistryRows))
    }
}

fn backend_name(b: &Backend) -> &'static str {
    match b {
        #[cfg(feature = "sqlite")]
        Backend::Sqlite(_) => "sqlite",
        #[cfg(feature = "postgres")]
        Backend::Postgres(_) => "postgres",
        #[cfg(feature = "elasticsearch")]
        Backend::Elastic(_) => "elasticsearch",
        Backend::Never(never) => match *never {},
    }
}

#[async_trait]
impl Sink for Store {
    async fn write(&self, batch: &Batch) -> yapdns_core::Result<WriteReceipt> {
        Ok(Store::write(self, batch).await?)
    }

    async fn ping(&self) -> yapdns_core::Result<()> {
        Ok(Store::ping(self).await?)
    }
}

#[async_trait]
impl Query for Store {
    async fn lookup(&self, q: &QueryRequest) -> yapdns_core::Result<Page> {
        Ok(Store::lookup(self, q).await?)
    }

    async fn summarize(&self, q: &QueryRequest) -> yapdns_core::Result<Summary> {
        Ok(Store::summarize(self, q).await?)
    }

    async fn names(&self, q: &NameQuery) -> yapdns_core::Result<Vec<NameSighting>> {
        Ok(Store::names(self, q).await?)
    }

    async fn stats(&self) -> yapdns_core::Result<StoreStats> {
        Ok(Store::stats(self).await?)
    }
}

#[async_trait]
impl Registry for Store {
    async fn create_client(&self, name: &str, role: Role) -> Result<NewClient> {
        registry::create_client(self.registry_rows()?, name, role).await
    }

    async fn authenticate(&self, key: &str) -> Result<Option<ApiClient>> {
        registry::authenticate(self.registry_rows()?, key).await
    }

    async fn list_clients(&self) -> Result<Vec<ApiClient>> {
        self.registry_rows()?.clients().await
    }

    async fn revoke_client(&self, name: &str) -> Result<bool> {
        self.registry_rows()?
            .revoke_client(name, Timestamp::now())
            .await
    }

    async fn create_user(&self, name: &str, password: &str) -> Result<DashboardUser> {
        registry::create_user(self.registry_rows()?, name, password).await
    }

    async fn set_user_password(&self, name: &str, password: &str) -> Result<bool> {
        registry::set_user_password(self.registry_rows()?, name, password).await
    }

    async fn verify_user(&self, name: &str, password: &str) -> Result<bool> {
        registry::verify_user(self.registry_rows()?, name, password).await
    }

    async fn list_users(&self) -> Result<Vec<DashboardUser>> {
        self.registry_rows()?.users().await
    }

    async fn delete_user(&self, name: &str) -> Result<bool> {
        self.registry_rows()?.delete_user(name).await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dsn_forms() {
        assert_eq!(Dsn::parse("sqlite::memory:").unwrap(), Dsn::SqliteMemory);
        assert_eq!(
            Dsn::parse("sqlite:///var/lib/yapdns.db").unwrap(),
            Dsn::SqliteFile("/var/lib/yapdns.db".into())
        );
        assert_eq!(
            Dsn::parse("sqlite://data/y.db").unwrap(),
            Dsn::SqliteFile("data/y.db".into())
        );
        assert_eq!(
            Dsn::parse("sqlite:y.db").unwrap(),
            Dsn::SqliteFile("y.db".into())
        );
        assert!(matches!(
            Dsn::parse("postgresql://u@h/db").unwrap(),
            Dsn::Postgres(_)
        ));
        assert!(matches!(
            Dsn::parse("elasticsearch+https://h:9200").unwrap(),
            Dsn::Elasticsearch(_)
        ));
        assert!(matches!(
            Dsn::parse("sqlite://"),
            Err(Error::InvalidDsn { .. })
        ));
        let e = Dsn::parse("mysql://root:hunter2@db/x").unwrap_err();
        assert!(matches!(e, Error::UnknownScheme(_)));
        assert!(!e.to_string().contains("hunter2"));
        assert!(!redact("postgres://u:secret@h/db").contains("secret"));
    }

    #[tokio::test]
    async fn backends_left_out_are_named() {
        #[cfg(not(feature = "elasticsearch"))]
        {
            let e = open("elasticsearch+http://127.0.0.1:9200")
                .await
                .unwrap_err();
            assert!(matches!(
                e,
                Error::NotCompiled {
                    feature: "elasticsearch",
                    ..
                }
            ));
            assert!(e.to_string().contains("feature `elasticsearch`"));
        }
        #[cfg(not(feature = "postgres"))]
        assert!(matches!(
            open("postgres://127.0.0.1/x").await.unwrap_err(),
            Error::NotCompiled { .. }
        ));
    }
}

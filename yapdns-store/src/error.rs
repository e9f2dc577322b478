//! The one error type of `yapdns-store`, and how it crosses into `yapdns_core::Error`.

use yapdns_core::BoxError;

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong opening, writing or querying a store.
///
/// When it crosses the [`Sink`](yapdns_core::Sink) / [`Query`](yapdns_core::Query) boundary it
/// becomes [`yapdns_core::Error::Unavailable`] when the same call may succeed later (store
/// unreachable, busy, out of connections, deadlock) and
/// [`yapdns_core::Error::Backend`] otherwise; see [`Error::is_retryable`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The DSN's scheme names no backend this crate knows.
    #[error(
        "unknown store DSN scheme in {0:?}: expected sqlite://PATH, sqlite::memory:, \
         postgres://…, postgresql://… or elasticsearch+http(s)://…"
    )]
    UnknownScheme(String),
    /// The DSN names a backend that this build leaves out.
    #[error(
        "the {backend} backend is not compiled into this build: \
         rebuild yapdns-store with feature `{feature}`"
    )]
    NotCompiled {
        /// The backend the DSN asked for.
        backend: &'static str,
        /// The Cargo feature that brings it in.
        feature: &'static str,
    },
    /// A DSN of a known scheme that cannot be used (empty path, bad URL).
    #[error("invalid store DSN {dsn:?}: {reason}")]
    InvalidDsn {
        /// The DSN, with any password removed.
        dsn: String,
        /// Why it was refused.
        reason: String,
    },
    /// The database holds a schema newer than this build knows; an older binary must not
    /// write into it.
    #[error("the store's schema is version {found}, newer than this build's {supported}: upgrade yapdns")]
    SchemaTooNew {
        /// Version found in `schema_version`.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// A record the store cannot keep as given (a NUL byte in a string, a separator character
    /// in a source format); the whole batch is refused and nothing is written.
    #[error("record refused: {0}")]
    InvalidRecord(String),
    /// A query the store cannot answer (bad pattern, bailiwick that is not a name).
    #[error(transparent)]
    Core(#[from] yapdns_core::Error),
    /// A role name other than `ingest`, `query` or `admin`.
    #[error("unknown role {0:?}: expected ingest, query or admin")]
    InvalidRole(String),
    /// The backend does not offer this operation (the registry lives in the SQL stores).
    #[error("the {backend} backend does not support {what}")]
    Unsupported {
        /// The backend asked.
        backend: &'static str,
        /// What it cannot do.
        what: &'static str,
    },
    /// A registry entry that already exists (client or user name taken).
    #[error("{0} already exists")]
    Conflict(String),
    /// Stored data that does not decode (a hand-edited row, a foreign table).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// Password hashing failed (a bad stored hash string, bad parameters).
    #[error("password hash: {0}")]
    PasswordHash(String),
    /// The operating system's random source failed; no key can be made safely.
    #[error("random source: {0}")]
    Random(String),
    /// Creating the store's directory or file failed.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// A blocking task running the database call panicked or was cancelled.
    #[error("store task failed: {0}")]
    Task(String),
    /// An error from SQLite.
    #[cfg(feature = "sqlite")]
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// An error from PostgreSQL or the connection to it.
    #[cfg(feature = "postgres")]
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] sqlx::Error),
    /// The Elasticsearch/OpenSearch client failed: connection refused or reset, timeout, a
    /// body that did not arrive whole.
    #[cfg(feature = "elasticsearch")]
    #[error("Elasticsearch client: {0}")]
    ElasticClient(#[from] elasticsearch::Error),
    /// Elasticsearch/OpenSearch answered with an error status (for `_bulk`, the worst status
    /// of its failed items).
    #[error("Elasticsearch answered {status}: {reason}")]
    Elastic {
        /// HTTP status (429 = rejected under load, 409 = version conflict, 5xx = node trouble).
        status: u16,
        /// What the server said, shortened.
        reason: String,
    },
}

impl Error {
    /// True when retrying the same call later may succeed: the store is unreachable, busy,
    /// out of connections or space, or the transaction lost a deadlock.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Core(e) => e.is_retryable(),
            Error::Task(_) => true,
            Error::Io(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied
                    | std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::InvalidInput
            ),
            #[cfg(feature = "sqlite")]
            Error::Sqlite(e) => sqlite_retryable(e),
            #[cfg(feature = "postgres")]
            Error::Postgres(e) => postgres_retryable(e),
            // No status: the request never got an answer (connection, timeout).
            #[cfg(feature = "elasticsearch")]
            Error::ElasticClient(e) => e
                .status_code()
                .is_none_or(|s| s.as_u16() == 429 || s.is_server_error()),
            Error::Elastic { status, .. } => *status == 429 || *status == 409 || *status >= 500,
            _ => false,
        }
    }
}

#[cfg(feature = "sqlite")]
fn sqlite_retryable(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode;
    match e {
        rusqlite::Error::SqliteFailure(f, _) => matches!(
            f.code,
            ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::DiskFull
                | ErrorCode::SystemIoFailure
                | ErrorCode::CannotOpen
                | ErrorCode::OutOfMemory
        ),
        _ => false,
    }
}

#[cfg(feature = "postgres")]
fn postgres_retryable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|c| {
            // 08: connection exception; 53: insufficient resources; 57P01-03: shutdown or
            // cannot connect now; 40001/40P01: serialization failure, deadlock.
            c.starts_with("08")
                || c.starts_with("53")
                || matches!(&*c, "57P01" | "57P02" | "57P03" | "40001" | "40P01")
        }),
        _ => false,
    }
}

impl From<Error> for yapdns_core::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::Core(e) => e,
            e if e.is_retryable() => yapdns_core::Error::Unavailable(Box::new(e) as BoxError),
            e => yapdns_core::Error::Backend(Box::new(e) as BoxError),
        }
    }
}

impl From<tokio::task::JoinError> for Error {
    fn from(e: tokio::task::JoinError) -> Self {
        Error::Task(e.to_string())
    }
}

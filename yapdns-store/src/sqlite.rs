//! The embedded backend: one SQLite file, created on first use, for a single analyst or a
//! small sensor; or a database in memory for tests and one-shot reports.
//!
//! SQLite is synchronous, so every call runs on tokio's blocking pool. There is one writer
//! connection (SQLite allows one writer at a time anyway) and a small pool of read
//! connections, which WAL mode lets run beside the writer. `synchronous=FULL` makes every
//! commit durable across power loss, not only across a crash of the process (WAL with
//! `NORMAL` may lose the last transactions on power loss).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::types::ToSqlOutput;
use rusqlite::{
    params, params_from_iter, Connection, ErrorCode, OpenFlags, ToSql, TransactionBehavior,
};
use yapdns_core::{
    Batch, NameQuery, NameSighting, Page, QueryRequest, StoreStats, Summary, Timestamp,
    WriteReceipt,
};

use crate::codec::{self, union_sources, Prepared, StoredAssoc, StoredName};
use crate::error::{Error, Result};
use crate::registry::{ApiClient, DashboardUser, RegistryRows};
use crate::semantics::Resolved;
use crate::sql::{self, Arg, Dialect, RawStats};

/// Read connections kept open between calls.
const MAX_IDLE_READERS: usize = 4;

/// The schema, one entry per version; applied in order on open, each in the same transaction
/// as its row in `schema_version`.
const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    "CREATE TABLE associations (
        id INTEGER PRIMARY KEY,
        key_hash BLOB NOT NULL,
        rrname TEXT NOT NULL,
        rrname_rev TEXT NOT NULL,
        rrtype INTEGER NOT NULL,
        rdata TEXT NOT NULL,
        rdata_name TEXT,
        rdata_name_rev TEXT,
        rdata_ip BLOB,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        count INTEGER NOT NULL,
        ttl INTEGER,
        bailiwick TEXT,
        sources TEXT NOT NULL
    );
    CREATE UNIQUE INDEX associations_key ON associations (key_hash);
    CREATE INDEX associations_rrname ON associations (rrname, rrtype);
    CREATE INDEX associations_rrname_rev ON associations (rrname_rev);
    CREATE INDEX associations_rdata_name ON associations (rdata_name)
        WHERE rdata_name IS NOT NULL;
    CREATE INDEX associations_rdata_name_rev ON associations (rdata_name_rev)
        WHERE rdata_name_rev IS NOT NULL;
    CREATE INDEX associations_rdata_ip ON associations (rrtype, rdata_ip)
        WHERE rdata_ip IS NOT NULL;
    CREATE TABLE names (
        id INTEGER PRIMARY KEY,
        rrname TEXT NOT NULL,
        rrname_rev TEXT NOT NULL,
        rrtype INTEGER NOT NULL,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        count INTEGER NOT NULL,
        sources TEXT NOT NULL
    );
    CREATE UNIQUE INDEX names_key ON names (rrname, rrtype);
    CREATE INDEX names_rrname_rev ON names (rrname_rev);
    CREATE TABLE batches (
        id TEXT PRIMARY KEY,
        applied_at INTEGER NOT NULL
    );
    CREATE TABLE api_clients (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        key_hash BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
    );
    CREATE TABLE dashboard_users (
        name TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );",
)];

/// Merge on write: min, max, saturating sum, TTL max (NULL = unknown), the bailiwick rule of
/// `Association::merge` (longer wins, the byte-wise smaller on a tie), sources union (skipped
/// when the new list is already a run inside the stored one, the common case).
const UPSERT_ASSOCIATION: &str = "INSERT INTO associations (key_hash, rrname, rrname_rev, rrtype, rdata,
        rdata_name, rdata_name_rev, rdata_ip, first_seen, last_seen, count, ttl, bailiwick, sources)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
    ON CONFLICT (key_hash) DO UPDATE SET
        first_seen = min(associations.first_seen, excluded.first_seen),
        last_seen = max(associations.last_seen, excluded.last_seen),
        count = CASE WHEN associations.count > 9223372036854775807 - excluded.count
                     THEN 9223372036854775807 ELSE associations.count + excluded.count END,
        ttl = CASE WHEN excluded.ttl IS NULL THEN associations.ttl
                   WHEN associations.ttl IS NULL THEN excluded.ttl
                   ELSE max(associations.ttl, excluded.ttl) END,
        bailiwick = CASE
            WHEN excluded.bailiwick IS NULL THEN associations.bailiwick
            WHEN associations.bailiwick IS NULL THEN excluded.bailiwick
            WHEN length(CAST(excluded.bailiwick AS BLOB)) > length(CAST(associations.bailiwick AS BLOB))
              OR (length(CAST(excluded.bailiwick AS BLOB)) = length(CAST(associations.bailiwick AS BLOB))
                  AND excluded.bailiwick < associations.bailiwick)
            THEN excluded.bailiwick ELSE associations.bailiwick END,
        sources = CASE
            WHEN instr(char(30) || associations.sources || char(30),
                       char(30) || excluded.sources || char(30)) > 0 THEN associations.sources
            ELSE yapdns_sources_union(associations.sources, excluded.sources) END";

const UPSERT_NAME: &str =
    "INSERT INTO names (rrname, rrname_rev, rrtype, first_seen, last_seen, count, sources)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
    ON CONFLICT (rrname, rrtype) DO UPDATE SET
        first_seen = min(names.first_seen, excluded.first_seen),
        last_seen = max(names.last_seen, excluded.last_seen),
        count = CASE WHEN names.count > 9223372036854775807 - excluded.count
                     THEN 9223372036854775807 ELSE names.count + excluded.count END,
        sources = CASE
            WHEN instr(char(30) || names.sources || char(30),
                       char(30) || excluded.sources || char(30)) > 0 THEN names.sources
            ELSE yapdns_sources_union(names.sources, excluded.sources) END";

/// A SQLite store. Cheap to clone; clones share the connections.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// `None` for a database in memory, which has only the writer connection.
    path: Option<PathBuf>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.inner.path)
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves the connection usable: rusqlite rolls back the
    // open transaction when it is dropped during the unwind.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ToSql for Arg {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Arg::Int(i) => ToSqlOutput::from(*i),
            Arg::Text(s) => ToSqlOutput::from(s.as_str()),
            Arg::Blob(b) => ToSqlOutput::from(b.as_slice()),
        })
    }
}

/// `yapdns_sum(x)`: the sum of non-negative integers as decimal text, saturating at
/// `u64::MAX` (SQLite's `sum` fails on overflow and `total` loses precision).
struct SaturatingSum;

impl Aggregate<u64, String> for SaturatingSum {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<u64> {
        Ok(0)
    }

    fn step(&self, ctx: &mut Context<'_>, acc: &mut u64) -> rusqlite::Result<()> {
        let v: Option<i64> = ctx.get(0)?;
        *acc = acc.saturating_add(v.and_then(|v| u64::try_from(v).ok()).unwrap_or(0));
        Ok(())
    }

    fn finalize(&self, _: &mut Context<'_>, acc: Option<u64>) -> rusqlite::Result<String> {
        Ok(acc.unwrap_or(0).to_string())
    }
}

fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("yapdns_sources_union", 2, flags, |ctx| {
        let a: String = ctx.get(0)?;
        let b: String = ctx.get(1)?;
        Ok(union_sources(&a, &b))
    })?;
    conn.create_aggregate_function("yapdns_sum", 1, flags, SaturatingSum)
}

fn configure(conn: &Connection, writer: bool) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    if writer {
        // Returns the new mode; an in-memory database stays in "memory" mode.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
    } else {
        conn.pragma_update(None, "query_only", true)?;
    }
    conn.pragma_update(None, "cache_size", -32_768)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    register_functions(conn)?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY,
            applied_at INTEGER NOT NULL
        )",
    )?;
    let current: i64 = tx.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_version",
        [],
        |r| r.get(0),
    )?;
    let supported = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > supported {
        return Err(Error::SchemaTooNew {
            found: current,
            supported,
        });
    }
    for (version, ddl) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        tx.execute_batch(ddl)?;
        tx.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
            params![version, Timestamp::now().millis()],
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn read_assoc(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredAssoc> {
    Ok(StoredAssoc {
        rrname: r.get(0)?,
        rrtype: r.get(1)?,
        rdata: r.get(2)?,
        first_seen: r.get(3)?,
        last_seen: r.get(4)?,
        count: r.get(5)?,
        ttl: r.get(6)?,
        bailiwick: r.get(7)?,
        sources: r.get(8)?,
    })
}

fn read_name(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredName> {
    Ok(StoredName {
        rrname: r.get(0)?,
        rrtype: r.get(1)?,
        first_seen: r.get(2)?,
        last_seen: r.get(3)?,
        count: r.get(4)?,
        sources: r.get(5)?,
    })
}

fn unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::ConstraintViolation)
}

fn write_prepared(
    conn: &mut Connection,
    p: &Prepared,
    batch_id: Option<&str>,
) -> Result<WriteReceipt> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(id) = batch_id {
        let inserted = tx.execute(
            "INSERT INTO batches (id, applied_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![id, Timestamp::now().millis()],
        )?;
        if inserted == 0 {
            // Applied before: dropping the transaction rolls it back, nothing changes.
            return Ok(WriteReceipt {
                applied: false,
                associations: 0,
                names: 0,
            });
        }
    }
    {
        let mut st = tx.prepare_cached(UPSERT_ASSOCIATION)?;
        for r in &p.assocs {
            st.execute(params![
                r.key_hash,
                r.rrname,
                r.rrname_rev,
                r.rrtype,
                r.rdata,
                r.rdata_name,
                r.rdata_name_rev,
                r.rdata_ip,
                r.first_seen,
                r.last_seen,
                r.count,
                r.ttl,
                r.bailiwick,
                r.sources
            ])?;
        }
    }
    {
        let mut st = tx.prepare_cached(UPSERT_NAME)?;
        for r in &p.names {
            st.execute(params![
                r.rrname,
                r.rrname_rev,
                r.rrtype,
                r.first_seen,
                r.last_seen,
                r.count,
                r.sources
            ])?;
        }
    }
    tx.commit()?;
    Ok(WriteReceipt {
        applied: true,
        associations: p.sent_assocs,
        names: p.sent_names,
    })
}

fn raw_stats(conn: &mut Connection) -> Result<RawStats> {
    // One read transaction, so the figures agree with each other.
    let tx = conn.transaction()?;
    let (associations, sightings) = tx.query_row(
        "SELECT COUNT(*), yapdns_sum(count) FROM associations",
        [],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
    )?;
    let names: i64 = tx.query_row("SELECT COUNT(*) FROM names", [], |r| r.get(0))?;
    let pairs_i = |sql: &str| -> Result<Vec<(i64, i64)>> {
        let mut st = tx.prepare(sql)?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    };
    let by_rrtype = pairs_i(sql::STATS_BY_RRTYPE)?;
    let new_names_per_day = pairs_i(&sql::stats_new_names())?;
    let by_sources = {
        let mut st = tx.prepare(sql::STATS_BY_SOURCES)?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    Ok(RawStats {
        associations,
        sightings,
        names,
        by_rrtype,
        by_sources,
        new_names_per_day,
    })
}

impl SqliteStore {
    /// Opens (creating the file and its directory on first use) the store at `path`, and
    /// brings its schema up to date.
    pub async fn open(path: impl AsRef<Path>) -> Result<SqliteStore> {
        let path = path.as_ref().to_path_buf();
        tokio::task::spawn_blocking(move || {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let mut writer = Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            configure(&writer, true)?;
            migrate(&mut writer)?;
            Ok(SqliteStore {
                inner: Arc::new(Inner {
                    writer: Mutex::new(writer),
                    readers: Mutex::new(Vec::new()),
                    path: Some(path),
                }),
            })
        })
        .await?
    }

    /// A store in memory, gone when the last clone is dropped.
    pub async fn open_in_memory() -> Result<SqliteStore> {
        tokio::task::spawn_blocking(|| {
            let mut writer = Connection::open_in_memory()?;
            configure(&writer, true)?;
            migrate(&mut writer)?;
            Ok(SqliteStore {
                inner: Arc::new(Inner {
                    writer: Mutex::new(writer),
                    readers: Mutex::new(Vec::new()),
                    path: None,
                }),
            })
        })
        .await?
    }

    /// The database file, `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }

    async fn with_writer<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || f(&mut lock(&inner.writer))).await?
    }

    async fn with_reader<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let Some(path) = &inner.path else {
                return f(&mut lock(&inner.writer));
            };
            let idle = lock(&inner.readers).pop();
            let mut conn = match idle {
                Some(c) => c,
                None => {
                    let c = Connection::open_with_flags(
                        path,
                        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )?;
                    configure(&c, false)?;
                    c
                }
            };
            let out = f(&mut conn);
            let mut pool = lock(&inner.readers);
            if pool.len() < MAX_IDLE_READERS {
                pool.push(conn);
            }
            out
        })
        .await?
    }

    /// Merges a batch; see [`Store::write`](crate::Store::write).
    pub async fn write(&self, batch: &Batch) -> Result<WriteReceipt> {
        let prepared = codec::prepare(batch)?;
        let id = batch.id.as_ref().map(|b| b.0.clone());
        self.with_writer(move |c| write_prepared(c, &prepared, id.as_deref()))
            .await
    }

    /// One page of associations; see [`Store::lookup`](crate::Store::lookup).
    pub async fn lookup(&self, q: &QueryRequest) -> Result<Page> {
        let r = Resolved::new(q, Timestamp::now())?;
        let stmt = sql::lookup(Dialect::Sqlite, &r);
        let limit = r.limit;
        self.with_reader(move |c| {
            let mut st = c.prepare_cached(&stmt.text)?;
            let rows = st.query_map(params_from_iter(stmt.args.iter()), read_assoc)?;
            let mut associations = Vec::new();
            for row in rows {
                associations.push(row?.into_association()?);
            }
            let truncated = associations.len() > limit;
            associations.truncate(limit);
            Ok(Page {
                associations,
                truncated,
            })
        })
        .await
    }

    /// Totals over a query; see [`Store::summarize`](crate::Store::summarize).
    pub async fn summarize(&self, q: &QueryRequest) -> Result<Summary> {
        let r = Resolved::new(q, Timestamp::now())?;
        let stmt = sql::summarize(Dialect::Sqlite, &r);
        self.with_reader(move |c| {
            let mut st = c.prepare_cached(&stmt.text)?;
            let (sum, n, first, last) = st.query_row(params_from_iter(stmt.args.iter()), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                ))
            })?;
            Ok(Summary {
                count: sql::parse_sum(&sum)?,
                num_results: u64::try_from(n).unwrap_or(0),
                time_first: first.map(Timestamp::from_millis),
                time_last: last.map(Timestamp::from_millis),
            })
        })
        .await
    }

    /// Name sightings; see [`Store::names`](crate::Store::names).
    pub async fn names(&self, q: &NameQuery) -> Result<Vec<NameSighting>> {
        let fence = q.fence.resolve(Timestamp::now());
        let stmt = sql::names(Dialect::Sqlite, q, &fence);
        self.with_reader(move |c| {
            let mut st = c.prepare_cached(&stmt.text)?;
            let rows = st.query_map(params_from_iter(stmt.args.iter()), read_name)?;
            let mut out = Vec::new();
            for row in rows {
                out.push(row?.into_sighting()?);
            }
            Ok(out)
        })
        .await
    }

    /// Dashboard figures; see [`Store::stats`](crate::Store::stats).
    pub async fn stats(&self) -> Result<StoreStats> {
        self.with_reader(|c| raw_stats(c)?.into_stats()).await
    }

    /// Retention; see [`Store::delete_last_seen_before`](crate::Store::delete_last_seen_before).
    pub async fn delete_last_seen_before(&self, before: Timestamp) -> Result<u64> {
        self.with_writer(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let a = tx.execute(
                "DELETE FROM associations WHERE last_seen < ?1",
                [before.millis()],
            )?;
            let n = tx.execute("DELETE FROM names WHERE last_seen < ?1", [before.millis()])?;
            tx.commit()?;
            Ok((a + n) as u64)
        })
        .await
    }

    /// Forgets batch ids; see [`Store::forget_batches_before`](crate::Store::forget_batches_before).
    pub async fn forget_batches_before(&self, before: Timestamp) -> Result<u64> {
        self.with_writer(move |c| {
            Ok(c.execute(
                "DELETE FROM batches WHERE applied_at < ?1",
                [before.millis()],
            )? as u64)
        })
        .await
    }

    /// SQLite's plan for a lookup (`EXPLAIN QUERY PLAN`), one step per line: shows which index
    /// a query form uses.
    pub async fn explain(&self, q: &QueryRequest) -> Result<String> {
        let r = Resolved::new(q, Timestamp::now())?;
        let stmt = sql::lookup(Dialect::Sqlite, &r);
        self.with_reader(move |c| {
            let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {}", stmt.text))?;
            let rows = st.query_map(params_from_iter(stmt.args.iter()), |r| {
                r.get::<_, String>(3)
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.join("\n"))
        })
        .await
    }

    /// Checks the database answers.
    pub async fn ping(&self) -> Result<()> {
        self.with_reader(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?))
            .await
            .map(|_| ())
    }

    /// The schema version of the open database.
    pub async fn schema_version(&self) -> Result<i64> {
        self.with_reader(|c| {
            Ok(c.query_row("SELECT MAX(version) FROM schema_version", [], |r| r.get(0))?)
        })
        .await
    }
}

fn client_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ApiClient, Vec<u8>)> {
    let role: String = r.get(2)?;
    let role = role.parse().map_err(|e: Error| {
        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok((
        ApiClient {
            id: r.get(0)?,
            name: r.get(1)?,
            role,
            created: Timestamp::from_millis(r.get(4)?),
            revoked: r.get::<_, Option<i64>>(5)?.map(Timestamp::from_millis),
        },
        r.get(3)?,
    ))
}

const CLIENT_COLUMNS: &str = "id, name, role, key_hash, created_at, revoked_at";

#[async_trait]
impl RegistryRows for SqliteStore {
    async fn insert_client(&self, c: &ApiClient, key_hash: &[u8]) -> Result<()> {
        let (c, hash) = (c.clone(), key_hash.to_vec());
        self.with_writer(move |conn| {
            conn.execute(
                "INSERT INTO api_clients (id, name, role, key_hash, created_at, revoked_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
                params![c.id, c.name, c.role.as_str(), hash, c.created.millis()],
            )
            .map_err(|e| {
                if unique_violation(&e) {
                    Error::Conflict(format!("API client {:?}", c.name))
                } else {
                    e.into()
                }
            })?;
            Ok(())
        })
        .await
    }

    async fn client_by_id(&self, id: &str) -> Result<Option<(ApiClient, Vec<u8>)>> {
        let id = id.to_string();
        self.with_reader(move |c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {CLIENT_COLUMNS} FROM api_clients WHERE id = ?1"
            ))?;
            let mut rows = st.query_map([id], client_from_row)?;
            Ok(rows.next().transpose()?)
        })
        .await
    }

    async fn clients(&self) -> Result<Vec<ApiClient>> {
        self.with_reader(|c| {
            let mut st = c.prepare(&format!(
                "SELECT {CLIENT_COLUMNS} FROM api_clients ORDER BY name"
            ))?;
            let rows = st.query_map([], client_from_row)?;
            Ok(rows
                .map(|r| r.map(|(c, _)| c))
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn revoke_client(&self, name: &str, at: Timestamp) -> Result<bool> {
        let name = name.to_string();
        self.with_writer(move |c| {
            Ok(c.execute(
                "UPDATE api_clients SET revoked_at = ?1 WHERE name = ?2 AND revoked_at IS NULL",
                params![at.millis(), name],
            )? > 0)
        })
        .await
    }

    async fn insert_user(&self, user: &DashboardUser, hash: &str) -> Result<()> {
        let (user, hash) = (user.clone(), hash.to_string());
        self.with_writer(move |c| {
            c.execute(
                "INSERT INTO dashboard_users (name, password_hash, created_at) VALUES (?1, ?2, ?3)",
                params![user.name, hash, user.created.millis()],
            )
            .map_err(|e| {
                if unique_violation(&e) {
                    Error::Conflict(format!("dashboard user {:?}", user.name))
                } else {
                    e.into()
                }
            })?;
            Ok(())
        })
        .await
    }

    async fn user_hash(&self, name: &str) -> Result<Option<String>> {
        let name = name.to_string();
        self.with_reader(move |c| {
            let mut st =
                c.prepare_cached("SELECT password_hash FROM dashboard_users WHERE name = ?1")?;
            let mut rows = st.query_map([name], |r| r.get(0))?;
            Ok(rows.next().transpose()?)
        })
        .await
    }

    async fn update_user_hash(&self, name: &str, hash: &str) -> Result<bool> {
        let (name, hash) = (name.to_string(), hash.to_string());
        self.with_writer(move |c| {
            Ok(c.execute(
                "UPDATE dashboard_users SET password_hash = ?1 WHERE name = ?2",
                params![hash, name],
            )? > 0)
        })
        .await
    }

    async fn users(&self) -> Result<Vec<DashboardUser>> {
        self.with_reader(|c| {
            let mut st = c.prepare("SELECT name, created_at FROM dashboard_users ORDER BY name")?;
            let rows = st.query_map([], |r| {
                Ok(DashboardUser {
                    name: r.get(0)?,
                    created: Timestamp::from_millis(r.get(1)?),
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn delete_user(&self, name: &str) -> Result<bool> {
        let name = name.to_string();
        self.with_writer(move |c| {
            Ok(c.execute("DELETE FROM dashboard_users WHERE name = ?1", [name])? > 0)
        })
        .await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_newer_schema_is_refused() {
        let dir = std::env::temp_dir().join(format!("yapdns-schema-{}", std::process::id()));
        let path = dir.join("s.db");
        drop(SqliteStore::open(&path).await.unwrap());
        // Pretend a newer yapdns migrated this file.
        Connection::open(&path)
            .unwrap()
            .execute("INSERT INTO schema_version VALUES (99, 0)", [])
            .unwrap();
        let e = SqliteStore::open(&path).await.unwrap_err();
        assert!(
            matches!(
                e,
                Error::SchemaTooNew {
                    found: 99,
                    supported: 1
                }
            ),
            "{e}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn every_lookup_form_uses_an_index() {
        let s = SqliteStore::open_in_memory().await.unwrap();
        for (query, index) in [
            ("www.example.com", "associations_rrname"),
            ("*.example.com", "associations_rrname_rev"),
            ("www.example.*", "associations_rrname"),
        ] {
            let q = QueryRequest::new(yapdns_core::Lookup::Rrset(query.parse().unwrap()));
            let plan = s.explain(&q).await.unwrap();
            assert!(plan.contains(&format!("INDEX {index} ")), "{query}: {plan}");
        }
        for (query, index) in [
            ("ns1.example.net", "associations_rdata_name"),
            ("*.example.net", "associations_rdata_name_rev"),
        ] {
            let q = QueryRequest::new(yapdns_core::Lookup::RdataName(query.parse().unwrap()));
            let plan = s.explain(&q).await.unwrap();
            assert!(plan.contains(&format!("INDEX {index} ")), "{query}: {plan}");
        }
        for query in [
            "192.0.2.1",
            "198.51.100.0/24",
            "2001:db8::/32",
            "10.0.0.1-10.0.0.9",
        ] {
            let q = QueryRequest::new(yapdns_core::Lookup::RdataIp(query.parse().unwrap()));
            let plan = s.explain(&q).await.unwrap();
            assert!(
                plan.contains(
                    "INDEX associations_rdata_ip (rrtype=? AND rdata_ip>? AND rdata_ip<?)"
                ),
                "{query}: {plan}"
            );
        }
    }

    #[test]
    fn saturating_sum_and_union_functions() {
        let c = Connection::open_in_memory().unwrap();
        register_functions(&c).unwrap();
        let s: String = c
            .query_row(
                "SELECT yapdns_sum(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 9223372036854775807 UNION ALL SELECT 5)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(s, u64::MAX.to_string());
        let u: String = c
            .query_row(
                "SELECT yapdns_sources_union('b', 'a' || char(30) || 'b')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(u, "a\u{1e}b");
    }
}

//! The PostgreSQL backend, for a team: one server, many agents and analysts.
//!
//! Text columns are declared `COLLATE "C"` so comparisons, ordering and the index range scans
//! for wildcards are byte-wise, the same as SQLite and [`semantics`](crate::semantics). A batch
//! is merged with one `INSERT … SELECT FROM UNNEST(…) ON CONFLICT DO UPDATE` per table, inside
//! one transaction with the batch id; rows are sent sorted by key hash so that concurrent
//! writers take row locks in the same order. A write returns after `COMMIT`, which is
//! durable under the server's default `synchronous_commit = on`.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgArguments, PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::query::Query;
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, PgPool, Postgres, Row};
use yapdns_core::{
    Batch, NameQuery, NameSighting, Page, QueryRequest, StoreStats, Summary, Timestamp,
    WriteReceipt,
};

use crate::codec::{self, Prepared, StoredAssoc, StoredName};
use crate::error::{Error, Result};
use crate::registry::{ApiClient, DashboardUser, RegistryRows};
use crate::semantics::Resolved;
use crate::sql::{self, Arg, Dialect, RawStats};

/// Connections in the pool.
const MAX_CONNECTIONS: u32 = 8;

/// Serialises concurrent migrations (several servers starting at once): an advisory lock
/// held for the migration transaction. The number is arbitrary but fixed ("yapdns" in ASCII).
const MIGRATION_LOCK: i64 = 0x0000_7961_7064_6e73;

/// The schema, one entry per version; applied in order on open, each in the same transaction
/// as its row in `schema_version`.
const MIGRATIONS: &[(i64, &str)] = &[(
    1,
    r#"CREATE TABLE associations (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key_hash bytea NOT NULL,
        rrname text COLLATE "C" NOT NULL,
        rrname_rev text COLLATE "C" NOT NULL,
        rrtype integer NOT NULL,
        rdata text COLLATE "C" NOT NULL,
        rdata_name text COLLATE "C",
        rdata_name_rev text COLLATE "C",
        rdata_ip bytea,
        first_seen bigint NOT NULL,
        last_seen bigint NOT NULL,
        count bigint NOT NULL,
        ttl bigint,
        bailiwick text COLLATE "C",
        sources text COLLATE "C" NOT NULL
    ) WITH (fillfactor = 80);
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
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        rrname text COLLATE "C" NOT NULL,
        rrname_rev text COLLATE "C" NOT NULL,
        rrtype integer NOT NULL,
        first_seen bigint NOT NULL,
        last_seen bigint NOT NULL,
        count bigint NOT NULL,
        sources text COLLATE "C" NOT NULL
    ) WITH (fillfactor = 80);
    CREATE UNIQUE INDEX names_key ON names (rrname, rrtype);
    CREATE INDEX names_rrname_rev ON names (rrname_rev);
    CREATE TABLE batches (
        id text PRIMARY KEY,
        applied_at bigint NOT NULL
    );
    CREATE TABLE api_clients (
        id text PRIMARY KEY,
        name text NOT NULL UNIQUE,
        role text NOT NULL,
        key_hash bytea NOT NULL,
        created_at bigint NOT NULL,
        revoked_at bigint
    );
    CREATE TABLE dashboard_users (
        name text PRIMARY KEY,
        password_hash text NOT NULL,
        created_at bigint NOT NULL
    );
    -- The union of two stored source lists (tags joined by U+001E), sorted byte-wise.
    CREATE FUNCTION yapdns_sources_union(a text, b text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN a = b OR b = '' THEN a WHEN a = '' THEN b ELSE
            (SELECT string_agg(s, chr(30) ORDER BY s COLLATE "C")
             FROM (SELECT DISTINCT unnest(string_to_array(a || chr(30) || b, chr(30))) AS s) AS t
             WHERE s <> '')
        END
    $$;
    -- Association::merge's bailiwick rule: the longer wins, the byte-wise smaller on a tie.
    CREATE FUNCTION yapdns_bailiwick(a text, b text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN b IS NULL THEN a WHEN a IS NULL THEN b
            WHEN octet_length(b) > octet_length(a)
              OR (octet_length(b) = octet_length(a) AND b COLLATE "C" < a COLLATE "C") THEN b
            ELSE a END
    $$;"#,
)];

/// Merge on write (rules in `Store::write`). The source union is skipped when the new list is
/// already a run inside the stored one (the common case: a source seen before), which makes
/// the stored list a superset; otherwise `yapdns_sources_union` computes it.
const UPSERT_ASSOCIATIONS: &str =
    "INSERT INTO associations (key_hash, rrname, rrname_rev, rrtype, rdata,
        rdata_name, rdata_name_rev, rdata_ip, first_seen, last_seen, count, ttl, bailiwick, sources)
    SELECT * FROM UNNEST($1::bytea[], $2::text[], $3::text[], $4::int4[], $5::text[], $6::text[],
        $7::text[], $8::bytea[], $9::int8[], $10::int8[], $11::int8[], $12::int8[], $13::text[],
        $14::text[])
    ON CONFLICT (key_hash) DO UPDATE SET
        first_seen = LEAST(associations.first_seen, EXCLUDED.first_seen),
        last_seen = GREATEST(associations.last_seen, EXCLUDED.last_seen),
        count = CASE WHEN associations.count > 9223372036854775807 - EXCLUDED.count
                     THEN 9223372036854775807 ELSE associations.count + EXCLUDED.count END,
        ttl = GREATEST(associations.ttl, EXCLUDED.ttl),
        bailiwick = yapdns_bailiwick(associations.bailiwick, EXCLUDED.bailiwick),
        sources = CASE
            WHEN strpos(chr(30) || associations.sources || chr(30),
                        chr(30) || EXCLUDED.sources || chr(30)) > 0 THEN associations.sources
            ELSE yapdns_sources_union(associations.sources, EXCLUDED.sources) END";

const UPSERT_NAMES: &str =
    "INSERT INTO names (rrname, rrname_rev, rrtype, first_seen, last_seen, count, sources)
    SELECT * FROM UNNEST($1::text[], $2::text[], $3::int4[], $4::int8[], $5::int8[], $6::int8[],
        $7::text[])
    ON CONFLICT (rrname, rrtype) DO UPDATE SET
        first_seen = LEAST(names.first_seen, EXCLUDED.first_seen),
        last_seen = GREATEST(names.last_seen, EXCLUDED.last_seen),
        count = CASE WHEN names.count > 9223372036854775807 - EXCLUDED.count
                     THEN 9223372036854775807 ELSE names.count + EXCLUDED.count END,
        sources = CASE
            WHEN strpos(chr(30) || names.sources || chr(30),
                        chr(30) || EXCLUDED.sources || chr(30)) > 0 THEN names.sources
            ELSE yapdns_sources_union(names.sources, EXCLUDED.sources) END";

/// A PostgreSQL store. Cheap to clone; clones share the connection pool.
#[derive(Clone, Debug)]
pub struct PostgresStore {
    pool: PgPool,
}

fn bind_all(
    mut q: Query<'_, Postgres, PgArguments>,
    args: Vec<Arg>,
) -> Query<'_, Postgres, PgArguments> {
    for a in args {
        q = match a {
            Arg::Int(i) => q.bind(i),
            Arg::Text(s) => q.bind(s),
            Arg::Blob(b) => q.bind(b),
        };
    }
    q
}

fn read_assoc(r: &PgRow) -> Result<StoredAssoc> {
    Ok(StoredAssoc {
        rrname: r.try_get(0)?,
        rrtype: i64::from(r.try_get::<i32, _>(1)?),
        rdata: r.try_get(2)?,
        first_seen: r.try_get(3)?,
        last_seen: r.try_get(4)?,
        count: r.try_get(5)?,
        ttl: r.try_get(6)?,
        bailiwick: r.try_get(7)?,
        sources: r.try_get(8)?,
    })
}

fn read_name(r: &PgRow) -> Result<StoredName> {
    Ok(StoredName {
        rrname: r.try_get(0)?,
        rrtype: i64::from(r.try_get::<i32, _>(1)?),
        first_seen: r.try_get(2)?,
        last_seen: r.try_get(3)?,
        count: r.try_get(4)?,
        sources: r.try_get(5)?,
    })
}

fn conflict(e: sqlx::Error, what: String) -> Error {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => Error::Conflict(what),
        _ => e.into(),
    }
}

/// A name safe to write into `CREATE DATABASE` (identifiers cannot be bound).
fn check_database_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
        && !name.as_bytes()[0].is_ascii_digit();
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidDsn {
            dsn: name.to_string(),
            reason: "database names must be 1-63 of [a-z0-9_], not starting with a digit".into(),
        })
    }
}

/// Creates database `name` through the server `url` points at (any database on it), for
/// set-up scripts and test fixtures; the role needs `CREATEDB`. Returns the URL of the new
/// database.
pub async fn create_database(url: &str, name: &str) -> Result<String> {
    check_database_name(name)?;
    let opts = PgConnectOptions::from_str(url)?;
    let mut conn = opts.connect().await?;
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(with_database(url, name))
}

/// Drops database `name` (if it exists) through the server `url` points at.
pub async fn drop_database(url: &str, name: &str) -> Result<()> {
    check_database_name(name)?;
    let opts = PgConnectOptions::from_str(url)?;
    let mut conn = opts.connect().await?;
    sqlx::query(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
    )))
    .execute(&mut conn)
    .await?;
    conn.close().await?;
    Ok(())
}

/// `url` with its database (the URL path) replaced by `name`, query string kept.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl PostgresStore {
    /// Connects to `url` and brings the schema up to date.
    pub async fn open(url: &str) -> Result<PostgresStore> {
        let opts = PgConnectOptions::from_str(url)?.application_name("yapdns");
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await?;
        let store = PostgresStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *tx)
            .await?;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_version (
                version bigint PRIMARY KEY,
                applied_at bigint NOT NULL
            )",
        )
        .execute(&mut *tx)
        .await?;
        let current: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(version), 0)::bigint FROM schema_version")
                .fetch_one(&mut *tx)
                .await?;
        let supported = MIGRATIONS.last().map_or(0, |m| m.0);
        if current > supported {
            return Err(Error::SchemaTooNew {
                found: current,
                supported,
            });
        }
        for (version, ddl) in MIGRATIONS.iter().filter(|m| m.0 > current) {
            sqlx::raw_sql(*ddl).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)")
                .bind(version)
                .bind(Timestamp::now().millis())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The schema version of the database.
    pub async fn schema_version(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT MAX(version)::bigint FROM schema_version")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Merges a batch; see [`Store::write`](crate::Store::write).
    pub async fn write(&self, batch: &Batch) -> Result<WriteReceipt> {
        let p = codec::prepare(batch)?;
        let mut tx = self.pool.begin().await?;
        if let Some(id) = &batch.id {
            let done = sqlx::query(
                "INSERT INTO batches (id, applied_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(&id.0)
            .bind(Timestamp::now().millis())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                tx.rollback().await?;
                return Ok(WriteReceipt {
                    applied: false,
                    associations: 0,
                    names: 0,
                });
            }
        }
        if !p.assocs.is_empty() {
            upsert_associations(&p).execute(&mut *tx).await?;
        }
        if !p.names.is_empty() {
            upsert_names(&p).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(WriteReceipt {
            applied: true,
            associations: p.sent_assocs,
            names: p.sent_names,
        })
    }

    /// One page of associations; see [`Store::lookup`](crate::Store::lookup).
    pub async fn lookup(&self, q: &QueryRequest) -> Result<Page> {
        let r = Resolved::new(q, Timestamp::now())?;
        let stmt = sql::lookup(Dialect::Postgres, &r);
        let rows = bind_all(sqlx::query(AssertSqlSafe(stmt.text)), stmt.args)
            .fetch_all(&self.pool)
            .await?;
        let mut associations = rows
            .iter()
            .map(|row| read_assoc(row)?.into_association())
            .collect::<Result<Vec<_>>>()?;
        let truncated = associations.len() > r.limit;
        associations.truncate(r.limit);
        Ok(Page {
            associations,
            truncated,
        })
    }

    /// Totals over a query; see [`Store::summarize`](crate::Store::summarize).
    pub async fn summarize(&self, q: &QueryRequest) -> Result<Summary> {
        let r = Resolved::new(q, Timestamp::now())?;
        let stmt = sql::summarize(Dialect::Postgres, &r);
        let row = bind_all(sqlx::query(AssertSqlSafe(stmt.text)), stmt.args)
            .fetch_one(&self.pool)
            .await?;
        let sum: String = row.try_get(0)?;
        let n: i64 = row.try_get(1)?;
        let first: Option<i64> = row.try_get(2)?;
        let last: Option<i64> = row.try_get(3)?;
        Ok(Summary {
            count: sql::parse_sum(&sum)?,
            num_results: u64::try_from(n).unwrap_or(0),
            time_first: first.map(Timestamp::from_millis),
            time_last: last.map(Timestamp::from_millis),
        })
    }

    /// Name sightings; see [`Store::names`](crate::Store::names).
    pub async fn names(&self, q: &NameQuery) -> Result<Vec<NameSighting>> {
        let fence = q.fence.resolve(Timestamp::now());
        let stmt = sql::names(Dialect::Postgres, q, &fence);
        let rows = bind_all(sqlx::query(AssertSqlSafe(stmt.text)), stmt.args)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| read_name(row)?.into_sighting())
            .collect()
    }

    /// Dashboard figures; see [`Store::stats`](crate::Store::stats).
    pub async fn stats(&self) -> Result<StoreStats> {
        // One snapshot, so the figures agree with each other.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
        let row = sqlx::query("SELECT COUNT(*), COALESCE(SUM(count), 0)::text FROM associations")
            .fetch_one(&mut *tx)
            .await?;
        let associations: i64 = row.try_get(0)?;
        let sightings: String = row.try_get(1)?;
        let names: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM names")
            .fetch_one(&mut *tx)
            .await?;
        let by_rrtype = sqlx::query(sql::STATS_BY_RRTYPE)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| Ok((i64::from(r.try_get::<i32, _>(0)?), r.try_get(1)?)))
            .collect::<Result<Vec<_>>>()?;
        let by_sources = sqlx::query(sql::STATS_BY_SOURCES)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<Vec<_>>>()?;
        let new_names_per_day = sqlx::query(AssertSqlSafe(sql::stats_new_names()))
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<Vec<_>>>()?;
        tx.commit().await?;
        RawStats {
            associations,
            sightings,
            names,
            by_rrtype,
            by_sources,
            new_names_per_day,
        }
        .into_stats()
    }

    /// Retention; see [`Store::delete_last_seen_before`](crate::Store::delete_last_seen_before).
    pub async fn delete_last_seen_before(&self, before: Timestamp) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let a = sqlx::query("DELETE FROM associations WHERE last_seen < $1")
            .bind(before.millis())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let n = sqlx::query("DELETE FROM names WHERE last_seen < $1")
            .bind(before.millis())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(a + n)
    }

    /// Forgets batch ids; see [`Store::forget_batches_before`](crate::Store::forget_batches_before).
    pub async fn forget_batches_before(&self, before: Timestamp) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM batches WHERE applied_at < $1")
            .bind(before.millis())
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    /// PostgreSQL's plan for a lookup (`EXPLAIN`), one node per line: shows which index a
    /// query form uses on the data as it is now.
    pub async fn explain(&self, q: &QueryRequest) -> Result<String> {
        let r = Resolved::new(q, Timestamp::now())?;
        let stmt = sql::lookup(Dialect::Postgres, &r);
        let rows = bind_all(
            sqlx::query(AssertSqlSafe(format!("EXPLAIN {}", stmt.text))),
            stmt.args,
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<std::result::Result<Vec<_>, _>>()?
            .join("\n"))
    }

    /// Checks the server answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

fn upsert_associations(p: &Prepared) -> Query<'static, Postgres, PgArguments> {
    let a = &p.assocs;
    sqlx::query(UPSERT_ASSOCIATIONS)
        .bind(a.iter().map(|r| r.key_hash.clone()).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.rrname.clone()).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.rrname_rev.clone()).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.rrtype).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.rdata.clone()).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.rdata_name.clone()).collect::<Vec<_>>())
        .bind(
            a.iter()
                .map(|r| r.rdata_name_rev.clone())
                .collect::<Vec<_>>(),
        )
        .bind(a.iter().map(|r| r.rdata_ip.clone()).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.first_seen).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.last_seen).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.count).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.ttl).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.bailiwick.clone()).collect::<Vec<_>>())
        .bind(a.iter().map(|r| r.sources.clone()).collect::<Vec<_>>())
}

fn upsert_names(p: &Prepared) -> Query<'static, Postgres, PgArguments> {
    let n = &p.names;
    sqlx::query(UPSERT_NAMES)
        .bind(n.iter().map(|r| r.rrname.clone()).collect::<Vec<_>>())
        .bind(n.iter().map(|r| r.rrname_rev.clone()).collect::<Vec<_>>())
        .bind(n.iter().map(|r| r.rrtype).collect::<Vec<_>>())
        .bind(n.iter().map(|r| r.first_seen).collect::<Vec<_>>())
        .bind(n.iter().map(|r| r.last_seen).collect::<Vec<_>>())
        .bind(n.iter().map(|r| r.count).collect::<Vec<_>>())
        .bind(n.iter().map(|r| r.sources.clone()).collect::<Vec<_>>())
}

const CLIENT_COLUMNS: &str = "id, name, role, key_hash, created_at, revoked_at";

fn client_from_row(r: &PgRow) -> Result<(ApiClient, Vec<u8>)> {
    let role: String = r.try_get(2)?;
    Ok((
        ApiClient {
            id: r.try_get(0)?,
            name: r.try_get(1)?,
            role: role
                .parse()
                .map_err(|_| Error::Corrupt(format!("role {role:?}")))?,
            created: Timestamp::from_millis(r.try_get(4)?),
            revoked: r.try_get::<Option<i64>, _>(5)?.map(Timestamp::from_millis),
        },
        r.try_get(3)?,
    ))
}

#[async_trait]
impl RegistryRows for PostgresStore {
    async fn insert_client(&self, c: &ApiClient, key_hash: &[u8]) -> Result<()> {
        sqlx::query(
            "INSERT INTO api_clients (id, name, role, key_hash, created_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, NULL)",
        )
        .bind(&c.id)
        .bind(&c.name)
        .bind(c.role.as_str())
        .bind(key_hash)
        .bind(c.created.millis())
        .execute(&self.pool)
        .await
        .map_err(|e| conflict(e, format!("API client {:?}", c.name)))?;
        Ok(())
    }

    async fn client_by_id(&self, id: &str) -> Result<Option<(ApiClient, Vec<u8>)>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {CLIENT_COLUMNS} FROM api_clients WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(client_from_row).transpose()
    }

    async fn clients(&self) -> Result<Vec<ApiClient>> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {CLIENT_COLUMNS} FROM api_clients ORDER BY name"
        )))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| client_from_row(r).map(|(c, _)| c))
        .collect()
    }

    async fn revoke_client(&self, name: &str, at: Timestamp) -> Result<bool> {
        Ok(sqlx::query(
            "UPDATE api_clients SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL",
        )
        .bind(at.millis())
        .bind(name)
        .execute(&self.pool)
        .await?
        .rows_affected()
            > 0)
    }

    async fn insert_user(&self, user: &DashboardUser, hash: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO dashboard_users (name, password_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(&user.name)
        .bind(hash)
        .bind(user.created.millis())
        .execute(&self.pool)
        .await
        .map_err(|e| conflict(e, format!("dashboard user {:?}", user.name)))?;
        Ok(())
    }

    async fn user_hash(&self, name: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT password_hash FROM dashboard_users WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn update_user_hash(&self, name: &str, hash: &str) -> Result<bool> {
        Ok(
            sqlx::query("UPDATE dashboard_users SET password_hash = $1 WHERE name = $2")
                .bind(hash)
                .bind(name)
                .execute(&self.pool)
                .await?
                .rows_affected()
                > 0,
        )
    }

    async fn users(&self) -> Result<Vec<DashboardUser>> {
        sqlx::query("SELECT name, created_at FROM dashboard_users ORDER BY name")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(DashboardUser {
                    name: r.try_get(0)?,
                    created: Timestamp::from_millis(r.try_get(1)?),
                })
            })
            .collect()
    }

    async fn delete_user(&self, name: &str) -> Result<bool> {
        Ok(sqlx::query("DELETE FROM dashboard_users WHERE name = $1")
            .bind(name)
            .execute(&self.pool)
            .await?
            .rows_affected()
            > 0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn database_urls() {
        assert_eq!(
            with_database(
                "postgres://u:p@127.0.0.1:5433/postgres?sslmode=disable",
                "t1"
            ),
            "postgres://u:p@127.0.0.1:5433/t1?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "t1"), "postgres://h/t1");
        assert!(check_database_name("yapdns_test_1").is_ok());
        assert!(check_database_name("x\"; DROP").is_err());
        assert!(check_database_name("1x").is_err());
    }
}

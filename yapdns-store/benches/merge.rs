//! Merge throughput: associations per second merged into each store, next to a plain INSERT
//! of the same rows into an unindexed table in the same run (issue 3's "Speed").
//!
//! Sizes come from the environment so that a quick run and the full one use the same code:
//! `YAPDNS_BENCH_ROWS` (default 1 000 000 associations), `YAPDNS_BENCH_KEYS` (default
//! 100 000 distinct keys), `YAPDNS_BENCH_BATCH` (default 10 000 per batch). PostgreSQL is
//! measured when `YAPDNS_TEST_POSTGRES` is set (`scripts/with-postgres.sh cargo bench …`).
//! After criterion's report, a summary line per backend gives the median rates and the
//! ratio merge / plain insert.
#![allow(missing_docs, clippy::unwrap_used)]

use std::cell::RefCell;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use yapdns_core::{Association, Batch, RrType, SourceTag, Timestamp};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// `rows` sightings of `keys` distinct associations (70% A, 10% AAAA, 10% CNAME, 10% TXT),
/// at random times over a month, from four sources.
fn workload(rows: usize, keys: usize) -> Vec<Association> {
    let mut r = Lcg(2024);
    let tags = [
        SourceTag::new("bind", Some("ns1")),
        SourceTag::new("bind", Some("ns2")),
        SourceTag::new("squid", None),
        SourceTag::new("zeek", Some("s1")),
    ];
    (0..rows)
        .map(|_| {
            let k = r.next() as usize % keys.max(1);
            let name = format!("h{}.d{}.bench.test", k, k % 997);
            let (t, rdata) = match k % 10 {
                0 => (
                    RrType::Aaaa,
                    format!("2001:db8::{:x}:{:x}", k >> 16, k & 0xffff),
                ),
                1 => (RrType::CNAME, format!("c{}.cdn.bench.test", k % 5000)),
                2 => (
                    RrType::TXT,
                    format!("\"v=spf1 ip4:198.51.100.{} -all\"", k % 256),
                ),
                _ => (
                    RrType::A,
                    format!("10.{}.{}.{}", (k >> 16) & 255, (k >> 8) & 255, k & 255),
                ),
            };
            let seen =
                Timestamp::from_millis(1_700_000_000_000 + (r.next() % (30 * 86_400_000)) as i64);
            Association::new(&name, t, &rdata, seen, tags[r.next() as usize % 4].clone())
                .unwrap()
                .with_ttl(Some((r.next() % 3600) as u32))
        })
        .collect()
}

fn batches(data: &[Association], size: usize) -> Vec<Batch> {
    data.chunks(size.max(1))
        .map(|c| Batch {
            id: None,
            associations: c.to_vec(),
            names: Vec::new(),
        })
        .collect()
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn temp_dir(tag: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "yapdns-bench-{tag}-{}-{}",
        std::process::id(),
        nanos()
    ))
}

/// Median seconds of the recorded runs.
fn median(v: &RefCell<Vec<f64>>) -> f64 {
    let mut v = v.borrow().clone();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Merges every batch into a fresh store opened from `dsn`.
fn run_store(rt: &tokio::runtime::Runtime, dsn: &str, data: &[Batch]) -> Duration {
    rt.block_on(async {
        let store = yapdns_store::open(dsn).await.unwrap();
        let t = Instant::now();
        for b in data {
            store.write(b).await.unwrap();
        }
        t.elapsed()
    })
}

/// The same rows, each batch one transaction of plain INSERTs (prepared statement) into an
/// unindexed table with the same columns, with the store's pragmas (WAL, synchronous=FULL).
fn run_sqlite_plain(path: &std::path::Path, data: &[Batch]) -> Duration {
    let mut c = rusqlite::Connection::open(path).unwrap();
    let _: String = c
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    c.pragma_update(None, "synchronous", "FULL").unwrap();
    c.execute_batch(
        "CREATE TABLE plain (rrname TEXT, rrname_rev TEXT, rrtype INTEGER, rdata TEXT,
            first_seen INTEGER, last_seen INTEGER, count INTEGER, ttl INTEGER, bailiwick TEXT,
            sources TEXT)",
    )
    .unwrap();
    let t = Instant::now();
    for b in data {
        let tx = c.transaction().unwrap();
        {
            let mut st = tx
                .prepare_cached(
                    "INSERT INTO plain VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .unwrap();
            for a in &b.associations {
                let rev: String = a.rrname.rsplit('.').collect::<Vec<_>>().join(".");
                let src = a
                    .sources
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join(",");
                st.execute(rusqlite::params![
                    a.rrname,
                    rev,
                    a.rrtype.to_u16(),
                    a.rdata,
                    a.first_seen.millis(),
                    a.last_seen.millis(),
                    a.count as i64,
                    a.ttl,
                    a.bailiwick,
                    src
                ])
                .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    t.elapsed()
}

#[cfg(feature = "postgres")]
fn run_postgres_plain(rt: &tokio::runtime::Runtime, url: &str, data: &[Batch]) -> Duration {
    use sqlx::Connection;
    rt.block_on(async {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query(
            "CREATE TABLE plain (rrname text, rrname_rev text, rrtype integer, rdata text,
                first_seen bigint, last_seen bigint, count bigint, ttl bigint, bailiwick text,
                sources text)",
        )
        .execute(&mut c)
        .await
        .unwrap();
        let t = Instant::now();
        for b in data {
            let a = &b.associations;
            let mut tx = c.begin().await.unwrap();
            sqlx::query(
                "INSERT INTO plain SELECT * FROM UNNEST($1::text[], $2::text[], $3::int4[],
                    $4::text[], $5::int8[], $6::int8[], $7::int8[], $8::int8[], $9::text[],
                    $10::text[])",
            )
            .bind(a.iter().map(|a| a.rrname.clone()).collect::<Vec<_>>())
            .bind(
                a.iter()
                    .map(|a| a.rrname.rsplit('.').collect::<Vec<_>>().join("."))
                    .collect::<Vec<_>>(),
            )
            .bind(
                a.iter()
                    .map(|a| i32::from(a.rrtype.to_u16()))
                    .collect::<Vec<_>>(),
            )
            .bind(a.iter().map(|a| a.rdata.clone()).collect::<Vec<_>>())
            .bind(a.iter().map(|a| a.first_seen.millis()).collect::<Vec<_>>())
            .bind(a.iter().map(|a| a.last_seen.millis()).collect::<Vec<_>>())
            .bind(a.iter().map(|a| a.count as i64).collect::<Vec<_>>())
            .bind(a.iter().map(|a| a.ttl.map(i64::from)).collect::<Vec<_>>())
            .bind(a.iter().map(|a| a.bailiwick.clone()).collect::<Vec<_>>())
            .bind(
                a.iter()
                    .map(|a| {
                        a.sources
                            .iter()
                            .map(|s| s.to_string())
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                    .collect::<Vec<_>>(),
            )
            .execute(&mut *tx)
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        t.elapsed()
    })
}

fn merge_throughput(c: &mut Criterion) {
    let rows = env("YAPDNS_BENCH_ROWS", 1_000_000);
    let keys = env("YAPDNS_BENCH_KEYS", 100_000);
    let batch = env("YAPDNS_BENCH_BATCH", 10_000);
    let data = batches(&workload(rows, keys), batch);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut g = c.benchmark_group(format!("merge/{rows}rows-{keys}keys-{batch}batch"));
    g.throughput(Throughput::Elements(rows as u64));
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(1));
    g.measurement_time(Duration::from_secs(1));

    let mut summary = Vec::new();

    let sqlite_merge = RefCell::new(Vec::new());
    g.bench_function("sqlite/merge", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let dir = temp_dir("sqlite");
                let dsn = format!("sqlite://{}", dir.join("store.db").display());
                let d = run_store(&rt, &dsn, &data);
                sqlite_merge.borrow_mut().push(d.as_secs_f64());
                total += d;
                let _ = std::fs::remove_dir_all(dir);
            }
            total
        })
    });
    let sqlite_plain = RefCell::new(Vec::new());
    g.bench_function("sqlite/plain-insert", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let dir = temp_dir("plain");
                std::fs::create_dir_all(&dir).unwrap();
                let d = run_sqlite_plain(&dir.join("plain.db"), &data);
                sqlite_plain.borrow_mut().push(d.as_secs_f64());
                total += d;
                let _ = std::fs::remove_dir_all(dir);
            }
            total
        })
    });
    summary.push(("sqlite", median(&sqlite_merge), median(&sqlite_plain)));

    #[cfg(feature = "postgres")]
    if let Ok(admin) = std::env::var("YAPDNS_TEST_POSTGRES") {
        let fresh = |tag: &str| {
            let name = format!("yapdns_bench_{tag}_{}", nanos());
            let url = rt
                .block_on(yapdns_store::postgres::create_database(&admin, &name))
                .unwrap();
            (name, url)
        };
        let pg_merge = RefCell::new(Vec::new());
        g.bench_function("postgres/merge", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (name, url) = fresh("merge");
                    let d = run_store(&rt, &url, &data);
                    pg_merge.borrow_mut().push(d.as_secs_f64());
                    total += d;
                    rt.block_on(yapdns_store::postgres::drop_database(&admin, &name))
                        .unwrap();
                }
                total
            })
        });
        let pg_plain = RefCell::new(Vec::new());
        g.bench_function("postgres/plain-insert", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (name, url) = fresh("plain");
                    let d = run_postgres_plain(&rt, &url, &data);
                    pg_plain.borrow_mut().push(d.as_secs_f64());
                    total += d;
                    rt.block_on(yapdns_store::postgres::drop_database(&admin, &name))
                        .unwrap();
                }
                total
            })
        });
        summary.push(("postgres", median(&pg_merge), median(&pg_plain)));
    }
    g.finish();

    for (backend, merge, plain) in summary {
        eprintln!(
            "SUMMARY {backend}: {rows} associations ({keys} keys, batches of {batch}): \
             merge {:.0}/s, plain insert {:.0}/s, ratio {:.2}",
            rows as f64 / merge,
            rows as f64 / plain,
            plain / merge
        );
    }
}

criterion_group!(benches, merge_throughput);
criterion_main!(benches);

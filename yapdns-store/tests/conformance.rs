//! The conformance battery run against every backend compiled in, plus the few checks that
//! only make sense for one backend (files on disk, DSNs, schema versions).
//!
//! PostgreSQL tests need a server: `scripts/with-postgres.sh cargo test -p yapdns-store
//! --all-features` starts a throw-away one and sets `YAPDNS_TEST_POSTGRES`. Without it they
//! print "skipped" and pass, unless `YAPDNS_REQUIRE_BACKENDS=1`, which makes them fail.
//! Elasticsearch/OpenSearch likewise: `scripts/with-opensearch.sh cargo test -p yapdns-store
//! --features elasticsearch --test conformance elastic` starts a real OpenSearch node and
//! sets `YAPDNS_TEST_ELASTICSEARCH`; each test gets its own index prefix.
#![allow(clippy::unwrap_used)]
// With a backend left out, parts of the battery have nothing to run against.
#![cfg_attr(
    not(all(feature = "sqlite", feature = "postgres", feature = "elasticsearch")),
    allow(unused, irrefutable_let_patterns, clippy::drop_non_drop)
)]

#[macro_use]
mod battery;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use yapdns_store::Store;

/// A store for one test, and what to clean up after it.
pub struct Fixture {
    /// The store under test.
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    #[cfg(feature = "sqlite")]
    None,
    #[cfg(feature = "sqlite")]
    Dir(PathBuf),
    #[cfg(feature = "postgres")]
    Database { admin_url: String, name: String },
    #[cfg(feature = "elasticsearch")]
    Indices(yapdns_store::elastic::ElasticStore),
}

impl Fixture {
    /// Cleans up after a test that passed (a failed one leaves its store to look at).
    pub async fn finish(self) {
        let Fixture { store, cleanup } = self;
        drop(store);
        match cleanup {
            #[cfg(feature = "sqlite")]
            Cleanup::None => {}
            #[cfg(feature = "sqlite")]
            Cleanup::Dir(d) => {
                let _ = std::fs::remove_dir_all(d);
            }
            #[cfg(feature = "postgres")]
            Cleanup::Database { admin_url, name } => {
                yapdns_store::postgres::drop_database(&admin_url, &name)
                    .await
                    .unwrap();
            }
            #[cfg(feature = "elasticsearch")]
            Cleanup::Indices(es) => es.delete_all().await.unwrap(),
        }
    }
}

/// A name no other test (in this or a concurrent run) uses.
fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(any(feature = "postgres", feature = "elasticsearch"))]
fn required<T>(var: &str) -> Option<T> {
    if std::env::var("YAPDNS_REQUIRE_BACKENDS").as_deref() == Ok("1") {
        panic!("YAPDNS_REQUIRE_BACKENDS=1 but {var} is not set");
    }
    eprintln!(
        "skipped: set {var} (scripts/with-postgres.sh or scripts/with-opensearch.sh does) \
         to run this test"
    );
    None
}

#[cfg(feature = "sqlite")]
async fn sqlite_file() -> Option<Fixture> {
    let dir = std::env::temp_dir().join(unique("yapdns-store-test"));
    // A directory that does not exist yet: the store creates it and the file.
    let path = dir.join("nested").join("store.db");
    let store = yapdns_store::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    Some(Fixture {
        store,
        cleanup: Cleanup::Dir(dir),
    })
}

#[cfg(feature = "sqlite")]
async fn sqlite_memory() -> Option<Fixture> {
    Some(Fixture {
        store: yapdns_store::open("sqlite::memory:").await.unwrap(),
        cleanup: Cleanup::None,
    })
}

#[cfg(feature = "postgres")]
async fn postgres() -> Option<Fixture> {
    let Ok(admin_url) = std::env::var("YAPDNS_TEST_POSTGRES") else {
        return required("YAPDNS_TEST_POSTGRES");
    };
    let name = unique("yapdns_test");
    let url = yapdns_store::postgres::create_database(&admin_url, &name)
        .await
        .unwrap();
    let store = yapdns_store::open(&url).await.unwrap();
    assert_eq!(store.backend(), "postgres");
    Some(Fixture {
        store,
        cleanup: Cleanup::Database { admin_url, name },
    })
}

#[cfg(feature = "elasticsearch")]
async fn elastic() -> Option<Fixture> {
    let Ok(base) = std::env::var("YAPDNS_TEST_ELASTICSEARCH") else {
        return required("YAPDNS_TEST_ELASTICSEARCH");
    };
    // A fresh set of indices per test: the prefix is unique and lowercase.
    let prefix = unique("yapdns-test").replace('_', "-");
    let sep = if base.contains('?') { '&' } else { '?' };
    let dsn = format!("{base}{sep}prefix={prefix}");
    let store = yapdns_store::open(&dsn).await.unwrap();
    assert_eq!(store.backend(), "elasticsearch");
    let es = yapdns_store::elastic::ElasticStore::open(&dsn)
        .await
        .unwrap();
    Some(Fixture {
        store,
        cleanup: Cleanup::Indices(es),
    })
}

#[cfg(feature = "sqlite")]
conformance!(sqlite_file, crate::sqlite_file, registry);
#[cfg(feature = "sqlite")]
conformance!(sqlite_memory, crate::sqlite_memory, registry);
#[cfg(feature = "postgres")]
conformance!(postgres, crate::postgres, registry);
#[cfg(feature = "elasticsearch")]
conformance!(elastic, crate::elastic, registry);

#[test]
fn required_backends_are_compiled_in() {
    if std::env::var("YAPDNS_REQUIRE_BACKENDS").as_deref() == Ok("1") {
        let mut missing = Vec::new();
        if !cfg!(feature = "sqlite") {
            missing.push("sqlite");
        }
        if !cfg!(feature = "postgres") {
            missing.push("postgres");
        }
        if !cfg!(feature = "elasticsearch") {
            missing.push("elasticsearch");
        }
        assert!(
            missing.is_empty(),
            "YAPDNS_REQUIRE_BACKENDS=1 but features {missing:?} are not compiled in"
        );
    }
}

#[cfg(feature = "sqlite")]
mod sqlite_only {
    use super::*;
    use battery::{corpus, load, rrset};
    use yapdns_core::Timestamp;
    use yapdns_store::sqlite::SqliteStore;

    #[tokio::test]
    async fn data_survives_reopening_and_schema_is_versioned() {
        let fx = sqlite_file().await.unwrap();
        let Cleanup::Dir(dir) = &fx.cleanup else {
            unreachable!()
        };
        let path = dir.join("nested").join("store.db");
        assert!(path.exists(), "file created on first use");
        let all = load(&fx.store, corpus()).await;
        let again = SqliteStore::open(&path).await.unwrap();
        assert_eq!(again.schema_version().await.unwrap(), 1);
        let page = again.lookup(&rrset("*.com")).await.unwrap();
        let now = Timestamp::now();
        assert_eq!(
            page,
            yapdns_store::semantics::lookup(&all, &rrset("*.com"), now).unwrap()
        );
        // Opening twice at once works (one writer at a time, readers beside it).
        let third = yapdns_store::open(&format!("sqlite:{}", path.display()))
            .await
            .unwrap();
        assert_eq!(
            third.stats().await.unwrap(),
            fx.store.stats().await.unwrap()
        );
        fx.finish().await;
    }

    #[tokio::test]
    async fn unusable_paths_and_schemes_are_clear_errors() {
        let e = yapdns_store::open("sqlite:///proc/no/such/dir/x.db")
            .await
            .unwrap_err();
        assert!(!e.to_string().is_empty());
        let e = yapdns_store::open("redis://localhost").await.unwrap_err();
        assert!(matches!(e, yapdns_store::Error::UnknownScheme(_)), "{e}");
        #[cfg(not(feature = "postgres"))]
        {
            let e = yapdns_store::open("postgres://localhost/x")
                .await
                .unwrap_err();
            assert!(e.to_string().contains("feature `postgres`"), "{e}");
        }
    }
}

#[cfg(feature = "postgres")]
mod postgres_only {
    use super::*;

    #[tokio::test]
    async fn reopening_keeps_the_schema() {
        let Some(fx) = postgres().await else {
            return;
        };
        let Cleanup::Database { admin_url, name } = &fx.cleanup else {
            unreachable!()
        };
        let url = yapdns_store::postgres::with_database(admin_url, name);
        let again = yapdns_store::postgres::PostgresStore::open(&url)
            .await
            .unwrap();
        assert_eq!(again.schema_version().await.unwrap(), 1);
        drop(again);
        fx.finish().await;
    }

    #[tokio::test]
    async fn every_lookup_form_uses_an_index() {
        use yapdns_core::{Association, Batch, Lookup, QueryRequest, RrType, SourceTag, Timestamp};
        let Some(fx) = postgres().await else {
            return;
        };
        let Cleanup::Database { admin_url, name } = &fx.cleanup else {
            unreachable!()
        };
        let store = yapdns_store::postgres::PostgresStore::open(
            &yapdns_store::postgres::with_database(admin_url, name),
        )
        .await
        .unwrap();
        // Enough rows that a sequential scan is not the cheap way.
        let tag = SourceTag::new("bind", None);
        let mut v = Vec::new();
        for i in 0..20_000u32 {
            let seen = Timestamp::from_secs(1_700_000_000 + i64::from(i));
            let name = format!("h{i}.d{}.example", i % 500);
            let (t, rdata) = match i % 3 {
                0 => (RrType::A, format!("10.0.{}.{}", i / 256 % 256, i % 256)),
                1 => (RrType::Aaaa, format!("2001:db8::{i:x}")),
                _ => (RrType::CNAME, format!("c{}.cdn.example", i % 1000)),
            };
            v.push(Association::new(&name, t, &rdata, seen, tag.clone()).unwrap());
        }
        store
            .write(&Batch {
                associations: v,
                ..Batch::default()
            })
            .await
            .unwrap();
        let cases = [
            (
                Lookup::Rrset("h5.d5.example".parse().unwrap()),
                "associations_rrname ",
            ),
            (
                Lookup::Rrset("*.d7.example".parse().unwrap()),
                "associations_rrname_rev",
            ),
            (
                Lookup::Rrset("h77.*".parse().unwrap()),
                "associations_rrname ",
            ),
            (
                Lookup::RdataName("c5.cdn.example".parse().unwrap()),
                "associations_rdata_name ",
            ),
            (
                Lookup::RdataName("*.cdn.example".parse().unwrap()),
                "associations_rdata_name_rev",
            ),
            (
                Lookup::RdataIp("10.0.3.0/24".parse().unwrap()),
                "associations_rdata_ip",
            ),
            (
                Lookup::RdataIp("10.0.3.7".parse().unwrap()),
                "associations_rdata_ip",
            ),
            (
                Lookup::RdataIp("2001:db8::/120".parse().unwrap()),
                "associations_rdata_ip",
            ),
        ];
        for (lookup, index) in cases {
            let mut q = QueryRequest::new(lookup);
            q.limit = 100;
            let plan = store.explain(&q).await.unwrap();
            assert!(plan.contains(index), "{q:?}: {plan}");
        }
        drop(store);
        fx.finish().await;
    }

    #[tokio::test]
    async fn an_unreachable_server_is_retryable() {
        // A port nothing listens on (bound, then released).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let e = yapdns_store::open(&format!("postgres://u:p@127.0.0.1:{port}/db"))
            .await
            .unwrap_err();
        assert!(e.is_retryable(), "{e:?}");
        assert!(yapdns_core::Error::from(e).is_retryable());
    }
}

#[cfg(feature = "elasticsearch")]
mod elastic_only {
    use super::*;
    use battery::{rec, rrset};
    use yapdns_core::{Batch, BatchId, Timestamp};
    use yapdns_store::elastic::ElasticStore;

    /// The second handle the fixture opened on the same prefix (indices already there).
    fn second(fx: &Fixture) -> &ElasticStore {
        let Cleanup::Indices(es) = &fx.cleanup else {
            unreachable!()
        };
        es
    }

    #[tokio::test]
    async fn reopening_keeps_the_schema() {
        let Some(fx) = elastic().await else {
            return;
        };
        assert_eq!(second(&fx).schema_version().await.unwrap(), 1);
        fx.finish().await;
    }

    /// A write whose items were applied but whose id was never recorded (the process died
    /// between the two) is re-sent: the documents remember the id and do not count twice,
    /// while keys the first attempt never reached are applied.
    #[tokio::test]
    async fn a_lost_batch_record_does_not_count_twice() {
        let Some(fx) = elastic().await else {
            return;
        };
        let batch = Batch {
            id: Some(BatchId("agent-9/lost/0-10".into())),
            associations: vec![rec("lost.test", "A", "192.0.2.1", 0, 10)],
            ..Batch::default()
        };
        assert!(fx.store.write(&batch).await.unwrap().applied);
        // Drop the batch record, as if the write had stopped before making it.
        let now = Timestamp::from_millis(Timestamp::now().millis() + 60_000);
        assert_eq!(fx.store.forget_batches_before(now).await.unwrap(), 1);
        let mut retry = batch.clone();
        retry
            .associations
            .push(rec("lost.test", "A", "192.0.2.2", 0, 10));
        assert!(fx.store.write(&retry).await.unwrap().applied);
        let page = fx.store.lookup(&rrset("lost.test")).await.unwrap();
        let counts: Vec<(String, u64)> = page
            .associations
            .iter()
            .map(|a| (a.rdata.clone(), a.count))
            .collect();
        assert_eq!(
            counts,
            [("192.0.2.1".to_string(), 1), ("192.0.2.2".to_string(), 1)]
        );
        // Now recorded: the whole batch is skipped.
        assert!(!fx.store.write(&retry).await.unwrap().applied);
        fx.finish().await;
    }

    /// Pages past `index.max_result_window` (10 000) go through `search_after`.
    #[tokio::test]
    async fn deep_pages_match_the_reference() {
        let Some(fx) = elastic().await else {
            return;
        };
        let records: Vec<_> = (0..10_050u32)
            .map(|i| {
                rec(
                    &format!("h{i}.deep.test"),
                    "A",
                    &format!("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255),
                    0,
                    i64::from(i % 97),
                )
            })
            .collect();
        let all = battery::load(&fx.store, records).await;
        for (offset, limit) in [(9_990, 20), (10_000, 100), (10_040, 100), (0, 10_049)] {
            let mut q = rrset("*.deep.test");
            q.offset = offset;
            q.limit = limit;
            let want = yapdns_store::semantics::lookup(&all, &q, Timestamp::now()).unwrap();
            let got = fx.store.lookup(&q).await.unwrap();
            assert_eq!(got, want, "offset {offset} limit {limit}");
        }
        fx.finish().await;
    }

    /// A keyword longer than Lucene indexes would fail one item inside a half-applied bulk;
    /// the batch is refused whole before anything is sent.
    #[tokio::test]
    async fn overlong_terms_are_refused_whole() {
        let Some(fx) = elastic().await else {
            return;
        };
        let mut long = rec("x.overlong.test", "A", "192.0.2.1", 0, 0);
        long.rrname = format!("{}.overlong.test", "a".repeat(40_000));
        let batch = Batch {
            associations: vec![rec("ok.overlong.test", "A", "192.0.2.1", 0, 0), long],
            ..Batch::default()
        };
        let e = fx.store.write(&batch).await.unwrap_err();
        assert!(matches!(e, yapdns_store::Error::InvalidRecord(_)), "{e}");
        assert!(fx
            .store
            .lookup(&rrset("*.overlong.test"))
            .await
            .unwrap()
            .associations
            .is_empty());
        fx.finish().await;
    }

    /// Indicative merge throughput (not an assertion; the criterion bench is the reference):
    /// `YAPDNS_ES_ROWS` associations (default 100 000) over a tenth as many keys, batches of
    /// 10 000. Run with `--ignored --nocapture`.
    #[tokio::test]
    #[ignore]
    async fn merge_throughput() {
        let Some(fx) = elastic().await else {
            return;
        };
        let rows: u32 = std::env::var("YAPDNS_ES_ROWS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(100_000);
        let keys = (rows / 10).max(1);
        let all: Vec<_> = (0..rows)
            .map(|i| {
                let k = i % keys;
                rec(
                    &format!("h{k}.d{}.bench.test", k % 1000),
                    "A",
                    &format!("10.{}.{}.{}", k >> 16, (k >> 8) & 255, k & 255),
                    i64::from(i % 5000),
                    i64::from(i % 5000) + 10,
                )
            })
            .collect();
        let start = std::time::Instant::now();
        for chunk in all.chunks(10_000) {
            fx.store
                .write(&Batch {
                    associations: chunk.to_vec(),
                    ..Batch::default()
                })
                .await
                .unwrap();
        }
        let secs = start.elapsed().as_secs_f64();
        eprintln!(
            "merged {rows} associations ({keys} keys) in {secs:.1} s: {:.0} assoc/s",
            f64::from(rows) / secs
        );
        fx.finish().await;
    }

    #[tokio::test]
    async fn an_unreachable_node_is_retryable() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let e = yapdns_store::open(&format!("elasticsearch+http://127.0.0.1:{port}"))
            .await
            .unwrap_err();
        assert!(e.is_retryable(), "{e:?}");
        assert!(yapdns_core::Error::from(e).is_retryable());
    }

    #[tokio::test]
    async fn bad_dsns_are_refused() {
        for dsn in [
            "elasticsearch+http://127.0.0.1:9200?prefix=UPPER",
            "elasticsearch+http://127.0.0.1:9200?shards=3",
        ] {
            let e = yapdns_store::open(dsn).await.unwrap_err();
            assert!(matches!(e, yapdns_store::Error::InvalidDsn { .. }), "{e}");
        }
    }
}

//! The conformance battery run against every backend compiled in, plus the few checks that
//! only make sense for one backend (files on disk, DSNs, schema versions).
//!
//! PostgreSQL tests need a server: `scripts/with-postgres.sh cargo test -p yapdns-store
//! --all-features` starts a throw-away one and sets `YAPDNS_TEST_POSTGRES`. Without it they
//! print "skipped" and pass, unless `YAPDNS_REQUIRE_BACKENDS=1`, which makes them fail.
#![allow(clippy::unwrap_used)]
// With a backend left out, parts of the battery have nothing to run against.
#![cfg_attr(
    not(all(feature = "sqlite", feature = "postgres")),
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

#[cfg(feature = "postgres")]
fn required<T>(var: &str) -> Option<T> {
    if std::env::var("YAPDNS_REQUIRE_BACKENDS").as_deref() == Ok("1") {
        panic!("YAPDNS_REQUIRE_BACKENDS=1 but {var} is not set");
    }
    eprintln!("skipped: set {var} (scripts/with-postgres.sh does) to run this test");
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

#[cfg(feature = "sqlite")]
conformance!(sqlite_file, crate::sqlite_file, registry);
#[cfg(feature = "sqlite")]
conformance!(sqlite_memory, crate::sqlite_memory, registry);
#[cfg(feature = "postgres")]
conformance!(postgres, crate::postgres, registry);

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

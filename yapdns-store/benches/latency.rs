//! Query latency on a generated store (issue 3's "Speed"): exact rrset, left-hand wildcard,
//! rdata IP and /24 CIDR, p50 and p99 over repeated random queries, through the public
//! `Store` API (so the blocking-pool hop and row decoding are included).
//!
//! `YAPDNS_BENCH_LATENCY_ROWS` distinct associations (default 10 000 000, the size;
//! loading that many takes a long time on a small machine, so set fewer for a quick look),
//! `YAPDNS_BENCH_QUERIES` queries per form (default 1 000). SQLite always; PostgreSQL when
//! `YAPDNS_TEST_POSTGRES` is set. The store is built in a temporary file or database and
//! removed afterwards.
#![allow(missing_docs, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use yapdns_core::{Association, Batch, Lookup, QueryRequest, RrType, SourceTag, Timestamp};
use yapdns_store::Store;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Domains: every name `h{i}.d{i % domains}.example.com`, so `*.dK.example.com` has about
/// 50 names.
fn domains(rows: usize) -> usize {
    (rows / 50).max(1)
}

/// The address of association `i`: spread over 10.0.0.0/8 so a /24 holds rows/65 536 of them.
fn ip(i: usize) -> [u8; 4] {
    let x = (i as u64).wrapping_mul(2_654_435_761) as u32 & 0x00ff_ffff;
    [10, (x >> 16) as u8, (x >> 8) as u8, x as u8]
}

fn record(i: usize, rows: usize) -> Association {
    let name = format!("h{i}.d{}.example.com", i % domains(rows));
    let (t, rdata) = match i % 5 {
        0 => (
            RrType::Aaaa,
            format!("2001:db8::{:x}:{:x}", i >> 16, i & 0xffff),
        ),
        1 => (RrType::CNAME, format!("c{}.cdn.example.net", i % 10_000)),
        _ => {
            let [a, b, c, d] = ip(i);
            (RrType::A, format!("{a}.{b}.{c}.{d}"))
        }
    };
    let seen = Timestamp::from_secs(1_700_000_000 + (i % 2_592_000) as i64);
    Association::new(&name, t, &rdata, seen, SourceTag::new("bench", None)).unwrap()
}

async fn fill(store: &Store, rows: usize) {
    let t = Instant::now();
    let mut i = 0;
    while i < rows {
        let end = (i + 10_000).min(rows);
        let b = Batch {
            associations: (i..end).map(|k| record(k, rows)).collect(),
            ..Batch::default()
        };
        store.write(&b).await.unwrap();
        i = end;
    }
    eprintln!(
        "  loaded {rows} associations in {:.1} s",
        t.elapsed().as_secs_f64()
    );
}

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Makes a random lookup of one form.
type MakeLookup<'a> = Box<dyn Fn(&mut Lcg) -> Lookup + 'a>;

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

async fn measure(store: &Store, backend: &str, rows: usize, queries: usize) {
    let mut r = Lcg(7);
    let forms: [(&str, MakeLookup<'_>); 4] = [
        (
            "exact rrset",
            Box::new(|r: &mut Lcg| {
                let i = r.below(rows);
                Lookup::Rrset(
                    format!("h{i}.d{}.example.com", i % domains(rows))
                        .parse()
                        .unwrap(),
                )
            }),
        ),
        (
            "left-hand wildcard",
            Box::new(|r: &mut Lcg| {
                Lookup::Rrset(
                    format!("*.d{}.example.com", r.below(domains(rows)))
                        .parse()
                        .unwrap(),
                )
            }),
        ),
        (
            "rdata IP",
            Box::new(|r: &mut Lcg| {
                // An index that holds an A record (i % 5 >= 2).
                let i = r.below(rows / 5).saturating_mul(5) + 2;
                let [a, b, c, d] = ip(i.min(rows.saturating_sub(1)));
                Lookup::RdataIp(format!("{a}.{b}.{c}.{d}").parse().unwrap())
            }),
        ),
        (
            "/24 CIDR",
            Box::new(|r: &mut Lcg| {
                let [a, b, c, _] = ip(r.below(rows));
                Lookup::RdataIp(format!("{a}.{b}.{c}.0/24").parse().unwrap())
            }),
        ),
    ];
    for (label, make) in &forms {
        let mut times = Vec::with_capacity(queries);
        let mut results = 0usize;
        for _ in 0..queries {
            let mut q = QueryRequest::new(make(&mut r));
            q.limit = 100;
            let t = Instant::now();
            let page = store.lookup(&q).await.unwrap();
            times.push(t.elapsed());
            results += page.associations.len();
        }
        times.sort();
        eprintln!(
            "LATENCY {backend} {rows} rows, {label}: p50 {:.3} ms, p99 {:.3} ms \
             (mean {:.1} results of at most 100)",
            pct(&times, 0.50),
            pct(&times, 0.99),
            results as f64 / queries as f64
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this once with nothing to do.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let rows = env("YAPDNS_BENCH_LATENCY_ROWS", 10_000_000);
    let queries = env("YAPDNS_BENCH_QUERIES", 1_000);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let dir = std::env::temp_dir().join(format!("yapdns-latency-{}", std::process::id()));
        let store = yapdns_store::open(&format!("sqlite://{}", dir.join("l.db").display()))
            .await
            .unwrap();
        eprintln!("sqlite:");
        fill(&store, rows).await;
        measure(&store, "sqlite", rows, queries).await;
        drop(store);
        let _ = std::fs::remove_dir_all(dir);

        #[cfg(feature = "postgres")]
        if let Ok(admin) = std::env::var("YAPDNS_TEST_POSTGRES") {
            let name = format!("yapdns_latency_{}", std::process::id());
            let url = yapdns_store::postgres::create_database(&admin, &name)
                .await
                .unwrap();
            let store = yapdns_store::open(&url).await.unwrap();
            eprintln!("postgres:");
            fill(&store, rows).await;
            measure(&store, "postgres", rows, queries).await;
            drop(store);
            yapdns_store::postgres::drop_database(&admin, &name)
                .await
                .unwrap();
        }
    });
}

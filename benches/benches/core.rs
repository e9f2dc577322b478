//! Core hot paths: normalisation, aggregation and COF serialisation.

#![allow(missing_docs)] // criterion_group! generates undocumented functions

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use yapdns_core::{Aggregator, Association, RrType, SourceTag, Timestamp};

fn sample(n: usize, distinct: usize) -> Vec<Association> {
    let src = SourceTag::new("bench", None);
    (0..n)
        .filter_map(|i| {
            let k = i % distinct;
            Association::new(
                &format!("host{k}.example.com"),
                RrType::A,
                &format!("10.{}.{}.{}", (k >> 16) & 255, (k >> 8) & 255, k & 255),
                Timestamp::from_secs(1_700_000_000 + i as i64),
                src.clone(),
            )
            .ok()
        })
        .collect()
}

fn core(c: &mut Criterion) {
    let mut g = c.benchmark_group("core");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(3));
    let recs = sample(100_000, 10_000);
    g.throughput(Throughput::Elements(recs.len() as u64));
    g.bench_function("aggregate_100k_into_10k", |b| {
        b.iter(|| {
            let mut agg = Aggregator::default();
            for a in recs.iter().cloned() {
                agg.add(a);
            }
            black_box(agg.take_associations().len())
        })
    });
    g.bench_function("cof_serialise", |b| {
        let mut out = Vec::with_capacity(16 << 20);
        b.iter(|| {
            out.clear();
            for a in &recs {
                let _ = a.write_cof(&mut out);
            }
            black_box(out.len())
        })
    });
    let names: Vec<String> = (0..100_000)
        .map(|i| format!("Host{i}.Example.COM."))
        .collect();
    g.bench_function("normalize_name", |b| {
        b.iter(|| {
            names
                .iter()
                .filter_map(|n| yapdns_core::normalize_name(n).ok())
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, core);
criterion_main!(benches);

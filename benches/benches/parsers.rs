//! Parser throughput per format, next to a raw newline scan of the same bytes in the same
//! run. `cargo run -p yapdns-benches --bin perf-report` turns the figures into the ratios of
//! docs/performance.md.

#![allow(missing_docs)] // criterion_group! generates undocumented functions

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use yapdns_benches::{
    documents, is_json_document, json_sample, json_value_scan, line_sample, newline_scan,
    parse_count, parse_owned_count,
};
use yapdns_parsers::Format;

fn parsers(c: &mut Criterion) {
    for &format in Format::ALL {
        let mut g = c.benchmark_group(format!("parse/{}", format.name()));
        g.sample_size(10);
        g.warm_up_time(Duration::from_secs(1));
        g.measurement_time(Duration::from_secs(4));
        if format.is_document() {
            let docs = documents(format);
            let bytes: usize = docs.iter().map(Vec::len).sum();
            if bytes == 0 {
                continue;
            }
            g.throughput(Throughput::Bytes(bytes as u64));
            g.bench_function("newline_scan", |b| {
                b.iter(|| {
                    docs.iter()
                        .map(|d| newline_scan(black_box(d)))
                        .sum::<usize>()
                })
            });
            g.bench_function("parse", |b| {
                b.iter(|| {
                    docs.iter()
                        .map(|d| parse_count(format, black_box(d)))
                        .sum::<u64>()
                })
            });
            g.bench_function("parse_owned", |b| {
                b.iter(|| {
                    docs.iter()
                        .map(|d| parse_owned_count(format, black_box(d)))
                        .sum::<u64>()
                })
            });
            if docs.iter().all(|d| is_json_document(d)) {
                g.bench_function("serde_json_value", |b| {
                    b.iter(|| {
                        docs.iter()
                            .filter(|d| {
                                serde_json::from_slice::<serde_json::Value>(black_box(d)).is_ok()
                            })
                            .count()
                    })
                });
            }
        } else {
            let data = line_sample(format);
            if data.is_empty() {
                continue;
            }
            g.throughput(Throughput::Bytes(data.len() as u64));
            g.bench_function("newline_scan", |b| {
                b.iter(|| newline_scan(black_box(&data)))
            });
            g.bench_function("parse", |b| {
                b.iter(|| parse_count(format, black_box(&data)))
            });
            g.bench_function("parse_owned", |b| {
                b.iter(|| parse_owned_count(format, black_box(&data)))
            });
        }
        g.finish();
        if format.is_document() {
            continue;
        }
        let json = json_sample(format);
        if json.is_empty() {
            continue;
        }
        let mut g = c.benchmark_group(format!("parse-json/{}", format.name()));
        g.sample_size(10);
        g.warm_up_time(Duration::from_secs(1));
        g.measurement_time(Duration::from_secs(4));
        g.throughput(Throughput::Bytes(json.len() as u64));
        g.bench_function("serde_json_value", |b| {
            b.iter(|| json_value_scan(black_box(&json)))
        });
        g.bench_function("parse", |b| {
            b.iter(|| parse_count(format, black_box(&json)))
        });
        g.bench_function("parse_owned", |b| {
            b.iter(|| parse_owned_count(format, black_box(&json)))
        });
        g.finish();
    }
}

criterion_group!(benches, parsers);
criterion_main!(benches);

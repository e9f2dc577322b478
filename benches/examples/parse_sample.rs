//! Parses one format's bench sample, for profilers:
//! `cargo run --release -p yapdns-benches --example parse_sample -- bind [ROUNDS [views]]`. Each round
//! times the view path, the owned-record path and the newline scan; with more than one round
//! the best of each is printed (the least disturbed by other work on the machine). Document
//! formats parse each fixture document over and over, next to `serde_json::Value` of the same
//! documents.

use yapdns_benches::{
    cpu_ns, documents, is_json_document, json_sample, json_value_scan, line_sample, newline_scan,
    parse_count, parse_owned_count, SAMPLE_BYTES,
};
use yapdns_parsers::Format;

fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "bind".into());
    let Ok(format) = name.parse::<Format>() else {
        eprintln!("unknown format {name}");
        std::process::exit(2);
    };
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    // A third argument `views` skips the owned-record path (for a profile of the views alone).
    let views_only = std::env::args().nth(3).as_deref() == Some("views");
    if format.is_document() {
        return document_sample(format, rounds);
    }
    json_lines(format, rounds);
    let data = line_sample(format);
    // Time on the CPU (this thread's, from /proc), not on the wall: other work on the machine
    // then slows neither side, and the ratio holds under load. Wall time where /proc lacks it.
    let time = |f: &mut dyn FnMut() -> u64| {
        let (c, t) = (cpu_ns(), std::time::Instant::now());
        let n = f();
        let wall = t.elapsed().as_secs_f64();
        match (c, cpu_ns()) {
            (Some(a), Some(b)) if b > a => (n, (b - a) as f64 / 1e9),
            _ => (n, wall),
        }
    };
    let (mut dt, mut owned, mut scan) = (f64::MAX, f64::MAX, f64::MAX);
    let (mut n, mut lines) = (0, 0);
    // Each parse is repeated too, so that a round is long next to the CPU clock's steps (4 ms
    // on some machines, several percent of one parse).
    const PARSES: u32 = 4;
    for _ in 0..rounds.max(1) {
        let (k, t) = time(&mut || {
            (0..PARSES)
                .map(|_| parse_count(format, std::hint::black_box(&data)))
                .max()
                .unwrap_or(0)
        });
        (n, dt) = (k, dt.min(t / f64::from(PARSES)));
        if !views_only {
            let (_, t) = time(&mut || {
                (0..PARSES)
                    .map(|_| parse_owned_count(format, std::hint::black_box(&data)))
                    .max()
                    .unwrap_or(0)
            });
            owned = owned.min(t / f64::from(PARSES));
        }
        // The scan is short: repeated so that the CPU clock's steps (4 ms on some machines,
        // a tenth of sixteen scans) do not show.
        const SCANS: u32 = 128;
        let (k, t) = time(&mut || {
            (0..SCANS)
                .map(|_| newline_scan(std::hint::black_box(&data)) as u64)
                .max()
                .unwrap_or(0)
        });
        (lines, scan) = (k, scan.min(t / f64::from(SCANS)));
    }
    let mib = |s: f64| data.len() as f64 / s / (1 << 20) as f64;
    println!(
        "{n} records from {lines} lines: {:.1} MiB/s ({:.1}% of scan), owned records {:.1} MiB/s ({:.1}%), newline scan {:.0} MiB/s",
        mib(dt),
        100.0 * scan / dt,
        mib(owned),
        100.0 * scan / owned,
        mib(scan),
    );
}

/// Each fixture document of a document format parsed until [`SAMPLE_BYTES`] are read, per
/// round, next to `serde_json::Value` of the same documents.
fn document_sample(format: Format, rounds: usize) {
    let docs: Vec<Vec<u8>> = documents(format)
        .into_iter()
        .filter(|d| !d.is_empty())
        .collect();
    let bytes: usize = docs.iter().map(Vec::len).sum();
    if bytes == 0 {
        eprintln!("no documents");
        return;
    }
    let reps = SAMPLE_BYTES.div_ceil(bytes);
    let json = docs.iter().all(|d| is_json_document(d));
    let cpu = |f: &mut dyn FnMut() -> u64| {
        let a = cpu_ns().unwrap_or(0);
        let n = f();
        (n, cpu_ns().unwrap_or(0).saturating_sub(a) as f64 / 1e9)
    };
    let (mut views, mut owned, mut value) = (f64::MAX, f64::MAX, f64::MAX);
    let mut n = 0;
    for _ in 0..rounds.max(1) {
        let (k, t) = cpu(&mut || {
            (0..reps)
                .map(|_| docs.iter().map(|d| parse_count(format, d)).sum::<u64>())
                .sum()
        });
        (n, views) = (k, views.min(t));
        let (_, t) = cpu(&mut || {
            (0..reps)
                .map(|_| {
                    docs.iter()
                        .map(|d| parse_owned_count(format, d))
                        .sum::<u64>()
                })
                .sum()
        });
        owned = owned.min(t);
        if json {
            let (_, t) = cpu(&mut || {
                (0..reps)
                    .map(|_| {
                        docs.iter()
                            .filter(|d| serde_json::from_slice::<serde_json::Value>(d).is_ok())
                            .count() as u64
                    })
                    .sum()
            });
            value = value.min(t);
        }
    }
    let mib = |s: f64| (bytes * reps) as f64 / s / (1 << 20) as f64;
    println!(
        "{n} records from {} documents: {:.1} MiB/s, owned records {:.1} MiB/s, serde_json::Value {:.1} MiB/s (views {:.2}x, owned {:.2}x)",
        docs.len() * reps,
        mib(views),
        mib(owned),
        mib(value),
        value / views,
        value / owned,
    );
}

/// The JSON lines of a line format's fixtures, parsed next to `serde_json::Value` of the same
/// bytes; nothing for formats without JSON lines.
fn json_lines(format: Format, rounds: usize) {
    let data = json_sample(format);
    if data.is_empty() {
        return;
    }
    let cpu = |f: &mut dyn FnMut() -> u64| {
        let a = cpu_ns().unwrap_or(0);
        let n = f();
        (n, cpu_ns().unwrap_or(0).saturating_sub(a) as f64 / 1e9)
    };
    let (mut views, mut owned, mut value) = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..rounds.max(1) {
        views = views.min(cpu(&mut || parse_count(format, &data)).1);
        owned = owned.min(cpu(&mut || parse_owned_count(format, &data)).1);
        value = value.min(cpu(&mut || json_value_scan(&data) as u64).1);
    }
    let mib = |s: f64| data.len() as f64 / s / (1 << 20) as f64;
    println!(
        "JSON lines: {:.1} MiB/s, owned records {:.1} MiB/s, serde_json::Value {:.1} MiB/s (views {:.2}x, owned {:.2}x)",
        mib(views),
        mib(owned),
        mib(value),
        value / views,
        value / owned,
    );
}

//! Parses one format's bench sample once, for profilers:
//! `cargo run --release -p yapdns-benches --example parse_sample -- bind`.

use yapdns_benches::{line_sample, newline_scan, parse_count, parse_owned_count};
use yapdns_parsers::Format;

fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "bind".into());
    let Ok(format) = name.parse::<Format>() else {
        eprintln!("unknown format {name}");
        std::process::exit(2);
    };
    let data = line_sample(format);
    let t = std::time::Instant::now();
    let n = parse_count(format, &data);
    let dt = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    parse_owned_count(format, &data);
    let owned = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    let lines = newline_scan(std::hint::black_box(&data));
    let scan = t.elapsed().as_secs_f64();
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

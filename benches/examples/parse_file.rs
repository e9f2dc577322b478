//! Parses one file, repeated to 8 MiB, as one format through the view path, for profilers that
//! count instructions per file (the per-fixture tables of `docs/performance.md`):
//!
//! ```sh
//! cargo build --release -p yapdns-benches --example parse_file
//! valgrind --tool=callgrind --toggle-collect='parse_file::run*' \
//!     target/release/examples/parse_file bind-zone FILE
//! ```
//!
//! Prints the records, lines and bytes read; divide the instruction count by them. A third
//! argument `ROUNDS` also times that many parses (CPU time, best round) against the newline scan
//! of the same bytes, to tell which layout of a format costs the time, not only the instructions.

use yapdns_benches::{cpu_ns, newline_scan, parse_count, repeat_to};
use yapdns_parsers::Format;

/// Size the file is repeated to.
const BYTES: usize = 8 << 20;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(format), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: parse_file FORMAT FILE");
        std::process::exit(2);
    };
    let Ok(format) = format.parse::<Format>() else {
        eprintln!("unknown format {format}");
        std::process::exit(2);
    };
    let data = match std::fs::read(&path) {
        Ok(b) => repeat_to(&b, BYTES),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let records = run(format, &data);
    let lines = data.iter().filter(|&&c| c == b'\n').count();
    println!("{records} records, {lines} lines, {} bytes", data.len());
    if let Some(rounds) = args.next().and_then(|r| r.parse::<u32>().ok()) {
        let best = |f: &dyn Fn() -> usize| {
            (0..rounds.max(1))
                .filter_map(|_| {
                    let a = cpu_ns()?;
                    std::hint::black_box(f());
                    Some(cpu_ns()?.saturating_sub(a))
                })
                .min()
                .unwrap_or(0)
        };
        // Each round long next to the CPU clock's steps (4 ms on some machines).
        let parse = best(&|| {
            (0..16)
                .map(|_| run(format, std::hint::black_box(&data)) as usize)
                .sum()
        }) / 16;
        let scan = best(&|| {
            (0..256)
                .map(|_| newline_scan(std::hint::black_box(&data)))
                .sum()
        }) / 256;
        let mib = |ns: u64| data.len() as f64 / (ns.max(1) as f64 / 1e9) / f64::from(1 << 20);
        println!(
            "{:.1} MiB/s, {:.2}% of the newline scan ({:.0} MiB/s)",
            mib(parse),
            100.0 * scan as f64 / parse.max(1) as f64,
            mib(scan)
        );
    }
}

/// The part to profile.
#[inline(never)]
fn run(format: Format, data: &[u8]) -> u64 {
    parse_count(format, data)
}

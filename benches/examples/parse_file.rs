//! Parses one file, repeated to 8 MiB, as one format through the view path, for profilers that
//! count instructions per file (the per-fixture tables of `docs/performance.md`):
//!
//! ```sh
//! cargo build --release -p yapdns-benches --example parse_file
//! valgrind --tool=callgrind --toggle-collect='parse_file::run*' \
//!     target/release/examples/parse_file bind-zone FILE
//! ```
//!
//! Prints the records, lines and bytes read; divide the instruction count by them.

use yapdns_benches::{parse_count, repeat_to};
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
}

/// The part to profile.
#[inline(never)]
fn run(format: Format, data: &[u8]) -> u64 {
    parse_count(format, data)
}

//! Shared pieces of the YAPDNS benchmarks: the sample inputs (real fixtures repeated to a size
//! that gives stable figures) and the reference every parser is measured against, a raw
//! newline scan of the same bytes.

use std::fs;
use std::path::{Path, PathBuf};

use yapdns_core::{AssociationView, NameView};
use yapdns_parsers::{Emit, Format, ParseOptions, Record, Records};

/// Size the line-format samples are repeated to.
pub const SAMPLE_BYTES: usize = 32 << 20;

/// The fixture files of a format, from the parsers' test fixtures.
pub fn fixture_files(format: Format) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../yapdns-parsers/tests/fixtures")
        .join(format.name());
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && !p
                    .extension()
                    .is_some_and(|e| e == "snap" || e == "md" || e == "gz")
        })
        .collect();
    files.sort();
    files
}

/// Repeats `sample` (whole lines) until the result is at least `target` bytes.
pub fn repeat_to(sample: &[u8], target: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(target + sample.len());
    if sample.is_empty() {
        return out;
    }
    while out.len() < target {
        out.extend_from_slice(sample);
        if !sample.ends_with(b"\n") {
            out.push(b'\n');
        }
    }
    out
}

/// The bench input of a line format: every fixture of the format, concatenated and repeated to
/// [`SAMPLE_BYTES`]. Files that start with a header block (zone `$ORIGIN`) keep it, since
/// repetition replays it like a new file would.
pub fn line_sample(format: Format) -> Vec<u8> {
    let mut all = Vec::new();
    for f in fixture_files(format) {
        if let Ok(b) = fs::read(&f) {
            // UTF-16 fixtures are a test of decoding, not of the parser's speed.
            if b.starts_with(&[0xff, 0xfe]) || b.starts_with(&[0xfe, 0xff]) {
                continue;
            }
            all.extend_from_slice(&b);
            if !all.ends_with(b"\n") {
                all.push(b'\n');
            }
        }
    }
    repeat_to(&all, SAMPLE_BYTES)
}

/// The JSON lines (those starting with `{`) of a line format's fixtures, repeated to
/// [`SAMPLE_BYTES`]; empty for formats without JSON lines. JSON formats are measured on these
/// next to [`json_value_scan`] of the same bytes.
pub fn json_sample(format: Format) -> Vec<u8> {
    let mut all = Vec::new();
    for f in fixture_files(format) {
        let Ok(b) = fs::read(&f) else { continue };
        for line in b.split(|&c| c == b'\n') {
            if line.first() == Some(&b'{') {
                all.extend_from_slice(line);
                all.push(b'\n');
            }
        }
    }
    repeat_to(&all, SAMPLE_BYTES)
}

/// The JSON reference: every line parsed into a `serde_json::Value`, the least a reader that
/// understands the JSON does. Returns how many lines parsed.
pub fn json_value_scan(data: &[u8]) -> usize {
    data.split(|&c| c == b'\n')
        .filter(|l| serde_json::from_slice::<serde_json::Value>(l).is_ok())
        .count()
}

/// True when a document is JSON (its first byte that is not white space opens an object or an
/// array), so it has a `serde_json::Value` reference.
pub fn is_json_document(doc: &[u8]) -> bool {
    matches!(
        doc.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// The documents of a whole-document format, each parsed on its own.
pub fn documents(format: Format) -> Vec<Vec<u8>> {
    fixture_files(format)
        .iter()
        .filter_map(|f| fs::read(f).ok())
        .collect()
}

/// Parses `data` as `format` the fast way, [`Records::for_each_view`]: every record built as a
/// borrowed view and read (its name and data lengths summed, so the work is not optimised
/// away), none copied. Returns how many records came out.
pub fn parse_count(format: Format, data: &[u8]) -> u64 {
    let opts = ParseOptions::default();
    let mut tally = Tally::default();
    Records::new(data, format, &opts, "bench").for_each_view(&mut tally, |_| {});
    std::hint::black_box(tally.bytes);
    tally.records
}

/// Parses `data` as `format` through the iterator, which builds an owned [`Record`] for each
/// record (what a consumer that keeps every record pays). Returns how many came out.
pub fn parse_owned_count(format: Format, data: &[u8]) -> u64 {
    let opts = ParseOptions::default();
    let mut n = 0u64;
    for r in Records::new(data, format, &opts, "bench") {
        if let Ok(Record::Association(_) | Record::Name(_)) = r {
            n += 1;
        }
    }
    n
}

/// Counts the records it is handed and the bytes of their text.
#[derive(Default)]
struct Tally {
    records: u64,
    bytes: usize,
}

impl Emit for Tally {
    fn association(&mut self, a: AssociationView<'_>) {
        self.records += 1;
        self.bytes += a.rrname.len() + a.rdata.len() + a.sources.len();
    }
    fn name(&mut self, n: NameView<'_>) {
        self.records += 1;
        self.bytes += n.rrname.len() + n.sources.len();
    }
}

/// Nanoseconds this thread has run on a CPU (`/proc/thread-self/schedstat`, first field):
/// other work on the machine slows neither side of a ratio measured in it. `None` where
/// `/proc` lacks it.
pub fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The reference: count the lines of `data` with `memchr`, the least any line parser must do.
pub fn newline_scan(data: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', data).count()
}

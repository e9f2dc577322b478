//! Reads the criterion results of `cargo bench -p yapdns-benches --bench parsers` and prints the
//! table of docs/performance.md: each format's MiB/s and lines/s, as a ratio to the newline
//! scan of the same bytes measured in the same run, and to the Python regex baselines
//! (run here, on the same bytes) for the formats that have one; then, for every format with
//! JSON input, its speed as a ratio to `serde_json::Value` parsing of the same bytes.
//!
//! `parse` is the view path (`Records::for_each_view`: every record built as a borrowed
//! view, none copied); `owned` the iterator, which builds an owned record for each.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use yapdns_benches::{line_sample, newline_scan};
use yapdns_parsers::Format;

fn mean_ns(dir: &Path) -> Option<f64> {
    let text = fs::read_to_string(dir.join("new/estimates.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["mean"]["point_estimate"].as_f64()
}

fn bytes(dir: &Path) -> Option<f64> {
    let text = fs::read_to_string(dir.join("new/benchmark.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["throughput"]["Bytes"].as_f64()
}

fn python_mib_s(script: &str, data: &[u8]) -> Option<f64> {
    let tmp = std::env::temp_dir().join(format!("yapdns-bench-{}", std::process::id()));
    fs::write(&tmp, data).ok()?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("python3")
        .arg(root.join("python").join(script))
        .arg(&tmp)
        .output();
    let _ = fs::remove_file(&tmp);
    let out = out.ok()?;
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn main() {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let crit = target.join("criterion");
    println!("| format | parse MiB/s | lines/s | newline scan MiB/s | ratio to scan | owned records MiB/s (ratio to scan) | Python `re` MiB/s | ratio to Python |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for &f in Format::ALL {
        let group = crit.join(format!("parse_{}", f.name()));
        let (Some(p), Some(s), Some(b)) = (
            mean_ns(&group.join("parse")),
            mean_ns(&group.join("newline_scan")),
            bytes(&group.join("parse")),
        ) else {
            println!("| {} | not measured | | | | | | |", f.name());
            continue;
        };
        let mib = |ns: f64| b / (1 << 20) as f64 / (ns / 1e9);
        let (lines, py) = if f.is_document() {
            (String::from("(document)"), None)
        } else {
            let data = line_sample(f);
            let lines = newline_scan(&data) as f64 / (p / 1e9);
            let script = match f {
                Format::Squid => Some("baseline_squid.py"),
                Format::Bind => Some("baseline_bind.py"),
                _ => None,
            };
            (
                format!("{:.0}", lines),
                script.and_then(|s| python_mib_s(s, &data)),
            )
        };
        let (py_col, py_ratio) = match py {
            Some(v) => (format!("{v:.1}"), format!("{:.0}×", mib(p) / v)),
            None => (String::from("—"), String::from("—")),
        };
        let owned = match mean_ns(&group.join("parse_owned")) {
            Some(o) => format!("{:.1} ({:.1}%)", mib(o), 100.0 * s / o),
            None => String::from("—"),
        };
        println!(
            "| {} | {:.1} | {} | {:.0} | {:.1}% | {} | {} | {} |",
            f.name(),
            mib(p),
            lines,
            mib(s),
            100.0 * s / p,
            owned,
            py_col,
            py_ratio
        );
    }
    json_table(&crit);
}

/// JSON inputs: the JSON lines of line formats (`parse-json/<format>`) and JSON documents
/// (`parse/<format>`'s `serde_json_value`), against `serde_json::Value` on the same bytes.
fn json_table(crit: &Path) {
    println!();
    println!("| format | input | parse MiB/s | `serde_json::Value` MiB/s | ratio | owned records: MiB/s, ratio |");
    println!("|---|---|---:|---:|---:|---:|");
    for &f in Format::ALL {
        let (group, input) = if f.is_document() {
            (crit.join(format!("parse_{}", f.name())), "documents")
        } else {
            (crit.join(format!("parse-json_{}", f.name())), "JSON lines")
        };
        let (Some(p), Some(v), Some(b)) = (
            mean_ns(&group.join("parse")),
            mean_ns(&group.join("serde_json_value")),
            bytes(&group.join("parse")),
        ) else {
            continue;
        };
        let mib = |ns: f64| b / (1 << 20) as f64 / (ns / 1e9);
        let owned = match mean_ns(&group.join("parse_owned")) {
            Some(o) => format!("{:.1}, {:.2}×", mib(o), v / o),
            None => String::from("—"),
        };
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.2}× | {} |",
            f.name(),
            input,
            mib(p),
            mib(v),
            v / p,
            owned
        );
    }
}

//! `yapdns-agent parse` as a user runs it: what it prints for the bundled sample logs, its
//! summary, its exit status, and its behaviour when the reader of its output goes away.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use yapdns_core::Aggregator;
use yapdns_parsers::{parse_path, ParseOptions, Record};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/logs")
        .join(name)
}

fn parse(args: &[&str], paths: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yapdns-agent"))
        .arg("parse")
        .args(args)
        .args(paths)
        .output()
        .expect("run yapdns-agent")
}

fn stdout_lines(o: &Output) -> Vec<String> {
    String::from_utf8(o.stdout.clone())
        .expect("UTF-8 output")
        .lines()
        .map(String::from)
        .collect()
}

/// What the library yields for `path`, one owned record at a time, as COF lines.
fn library_cof(path: &Path) -> Vec<String> {
    let records = parse_path(path, None, &ParseOptions::default()).expect("open sample");
    records
        .filter_map(|r| match r {
            Ok(Record::Association(a)) => Some(a.to_cof_json()),
            _ => None,
        })
        .collect()
}

#[test]
fn prints_every_association_of_every_sample_as_the_library_yields_it() {
    for name in [
        "bind-query.log",
        "squid-access.log",
        "cuckoo-dnsdump.tsv",
        "windows-dns.log",
        "zeek-dns.log",
        "suricata-eve.json",
        "dnsmasq.log",
        "circl-cof.ndjson",
    ] {
        let path = sample(name);
        let out = parse(&[], &[&path]);
        assert!(out.status.success(), "{name}: {out:?}");
        let lines = stdout_lines(&out);
        assert_eq!(lines, library_cof(&path), "{name}");
        for l in &lines {
            let v: serde_json::Value = serde_json::from_str(l).expect("each line is JSON");
            assert!(
                v["rrname"].is_string() && v["time_first"].is_i64(),
                "{name}: {l}"
            );
        }
    }
}

#[test]
fn aggregate_and_names_and_the_json_summary() {
    let path = sample("squid-access.log");
    let out = parse(&["--aggregate", "--stats-json"], &[&path]);
    assert!(out.status.success());
    let mut agg = Aggregator::default();
    let records = parse_path(&path, None, &ParseOptions::default()).expect("open sample");
    for r in records.flatten() {
        if let Record::Association(a) = r {
            agg.add(a);
        }
    }
    let want: Vec<String> = agg
        .take_associations()
        .iter()
        .map(|a| a.to_cof_json())
        .collect();
    let mut got = stdout_lines(&out);
    got.sort();
    let mut want_sorted = want.clone();
    want_sorted.sort();
    assert_eq!(got, want_sorted);

    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary: serde_json::Value =
        serde_json::from_str(stderr.lines().last().expect("a summary")).expect("JSON summary");
    let lines = std::fs::read_to_string(&path)
        .expect("sample")
        .lines()
        .count() as u64;
    assert_eq!(summary["lines"], lines);
    assert!(summary["associations"].as_u64() >= Some(want.len() as u64));

    let names = parse(&["--names"], &[&sample("bind-query.log")]);
    assert!(names.status.success());
    let names = stdout_lines(&names);
    assert!(!names.is_empty());
    for l in names {
        let v: serde_json::Value = serde_json::from_str(&l).expect("JSON");
        assert!(v["rrname"].is_string() && v.get("rdata").is_none(), "{l}");
    }
}

#[test]
fn bad_lines_are_counted_and_fail_only_under_strict() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("mixed.tsv");
    std::fs::write(
        &path,
        "1458130003\ta.test\tA\t192.0.2.1\nnot a line of this log\n1458130004\tb.test\tA\t192.0.2.2\n",
    )
    .expect("write");
    let out = parse(&["--format", "cuckoo-dnsdump", "--stats-json"], &[&path]);
    assert!(out.status.success());
    assert_eq!(stdout_lines(&out).len(), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("mixed.tsv:2"), "{stderr}");
    let summary: serde_json::Value =
        serde_json::from_str(stderr.lines().last().expect("summary")).expect("JSON");
    assert_eq!(summary["errors"]["syntax"], 1, "{summary}");
    let strict = parse(&["--format", "cuckoo-dnsdump", "--strict"], &[&path]);
    assert_eq!(strict.status.code(), Some(1));
}

/// A file given with a format none of whose lines is of it (a Squid log read as dnsmasq) is
/// said to be so, beside the summary; a file of the format is not.
#[test]
fn a_file_none_of_whose_lines_is_of_the_format_is_warned_of() {
    let out = parse(
        &["--format", "dnsmasq", "--stats-json"],
        &[&sample("squid-access.log")],
    );
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("squid-access.log: none of its") && stderr.contains("read as dnsmasq"),
        "{stderr}"
    );
    // The JSON summary stays the last line.
    let summary: serde_json::Value =
        serde_json::from_str(stderr.lines().last().expect("summary")).expect("JSON");
    assert_eq!(summary["associations"], 0, "{summary}");
    let out = parse(&["--format", "dnsmasq"], &[&sample("dnsmasq.log")]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"));
}

/// An input that cannot be read fails the command with one line that names the file and says
/// why, once.
#[test]
fn an_unreadable_input_is_named_with_its_reason_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.log");
    let out = parse(&["--format", "squid"], &[&missing]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("yapdns-agent: "), "{stderr}");
    assert!(stderr.contains("missing.log: "), "{stderr}");
    assert_eq!(stderr.matches("(os error").count(), 1, "{stderr}");
    assert_eq!(stderr.matches("missing.log").count(), 1, "{stderr}");
}

/// `yapdns-agent parse big.log | head` ends when `head` does, quietly and successfully,
/// instead of reading the rest of the input for nobody.
#[test]
fn stops_when_the_reader_goes_away() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.tsv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    for i in 0..2_000_000u32 {
        writeln!(f, "1458130003\thost{i}.example\tA\t192.0.2.{}", i % 250).expect("write");
    }
    f.flush().expect("flush");
    drop(f);
    let t = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_yapdns-agent"))
        .args(["parse", "--format", "cuckoo-dnsdump"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("read a line");
    assert!(first.contains("host0.example"), "{first}");
    // The reader is dropped here: the pipe closes.
    let status = child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err)
        .expect("stderr");
    assert!(!err.contains("Broken pipe"), "{err}");
    assert!(t.elapsed() < Duration::from_secs(60));
}

/// The README's command reads the whole folder of samples, its README among them: a file no
/// format recognises is named and skipped, and the others are read (an error only with
/// `--strict`).
#[test]
fn a_file_of_no_format_is_skipped_not_fatal() {
    let readme = sample("README.md");
    let dns = sample("dnsmasq.log");
    let out = parse(&["--aggregate"], &[&readme, &dns]);
    assert!(out.status.success(), "{out:?}");
    assert!(!stdout_lines(&out).is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("README.md") && err.contains("skipped"),
        "{err}"
    );
    let out = parse(&["--strict"], &[&readme, &dns]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

//! End-to-end, with `[output.store]`: the real agent binary over real files, writing into a
//! real SQLite store, killed with SIGKILL at random moments, while files rotate, get
//! truncated and get compressed. After each scenario the store must hold exactly the lines
//! written: every sighting counted once.

#![allow(clippy::unwrap_used)] // helpers beside the tests: a panic is a failed test

mod common;

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;

fn store_output(dir: &std::path::Path) -> (String, String) {
    let dsn = format!("sqlite://{}", dir.join("pdns.db").display());
    (
        dsn.clone(),
        format!("[output.store]\ndsn = {dsn:?}\nretry_initial = \"50ms\"\nretry_max = \"1s\"\n"),
    )
}

#[test]
fn kill9_during_rename_rotation_loses_and_repeats_nothing() {
    let mut rng = Rng::new("kill9_rename");
    let dir = scratch();
    let (dsn, out) = store_output(dir.path());
    let cfg = agent_config(dir.path(), &["app.log*"], &out);
    let log = dir.path().join("agent.log");
    let mut w = Writer::new(&dir.path().join("app.log"), "kr", 500);
    let mut agent = start_agent(&cfg, &log);
    let t = Instant::now();
    let mut rotations = 0;
    let mut kills = 0;
    let mut next_kill = Instant::now() + Duration::from_millis(rng.range(300, 1500));
    let mut next_rotate = Instant::now() + Duration::from_millis(rng.range(200, 1000));
    while t.elapsed() < Duration::from_secs(15) {
        w.write(rng.range(1, 300));
        std::thread::sleep(Duration::from_millis(rng.range(0, 60)));
        if Instant::now() >= next_rotate {
            rotations += 1;
            fs::rename(&w.path, dir.path().join(format!("app.log.{rotations}"))).unwrap();
            // The daemon writes on into the renamed file until it reopens.
            w.write(rng.range(0, 50));
            w.reopen();
            next_rotate = Instant::now() + Duration::from_millis(rng.range(200, 1000));
        }
        if Instant::now() >= next_kill {
            kills += 1;
            agent.kill9();
            std::thread::sleep(Duration::from_millis(rng.range(0, 300)));
            agent = start_agent(&cfg, &log);
            next_kill = Instant::now() + Duration::from_millis(rng.range(300, 1500));
        }
    }
    eprintln!(
        "wrote {} lines, {rotations} rotations, {kills} kills",
        w.lines
    );
    let (sightings, assocs) = settle_store(&dsn, w.lines, Duration::from_secs(25));
    if sightings != w.lines || assocs != w.keys.len() as u64 {
        dump(&agent);
    }
    assert_eq!(sightings, w.lines, "every line counted exactly once");
    assert_eq!(assocs, w.keys.len() as u64);
    let status = agent
        .term(Duration::from_secs(7))
        .expect("agent exits within shutdown_timeout");
    assert!(status.success(), "{status:?}");
}

#[test]
fn truncation_and_recreation_are_new_content() {
    let dir = scratch();
    let (dsn, out) = store_output(dir.path());
    let cfg = agent_config(dir.path(), &["app.log"], &out);
    let log = dir.path().join("agent.log");
    let mut agent = start_agent(&cfg, &log);
    let path = dir.path().join("app.log");
    let mut w = Writer::new(&path, "tr", 50);
    w.write(400);
    settle_store(&dsn, w.lines, Duration::from_secs(15));
    // Truncated, then refilled past the old size before the agent looks: only the changed
    // first bytes reveal it.
    OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(0)
        .unwrap();
    w.write(800);
    settle_store(&dsn, w.lines, Duration::from_secs(15));
    // Truncated, then a few lines: shorter than the read position.
    OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(0)
        .unwrap();
    w.write(5);
    settle_store(&dsn, w.lines, Duration::from_secs(15));
    // Deleted and created again (possibly on the same inode).
    fs::remove_file(&path).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let mut w2 = Writer::new(&path, "tr2", 50);
    w2.write(300);
    let total = w.lines + w2.lines;
    let (sightings, assocs) = settle_store(&dsn, total, Duration::from_secs(15));
    if sightings != total {
        dump(&agent);
    }
    assert_eq!(sightings, total);
    assert_eq!(assocs, (w.keys.len() + w2.keys.len()) as u64);
    assert!(
        agent.log_text().contains("truncated"),
        "truncation was noticed and logged"
    );
    assert!(agent
        .term(Duration::from_secs(7))
        .is_some_and(|s| s.success()));
}

#[test]
fn gzip_rotation_is_read_from_where_the_plain_file_was_left() {
    let dir = scratch();
    let (dsn, out) = store_output(dir.path());
    let cfg = agent_config(dir.path(), &["app.log*"], &out);
    let text = fs::read_to_string(&cfg)
        .unwrap()
        .replace("sensor = \"e2e\"", "sensor = \"e2e\"\ngzip = true");
    fs::write(&cfg, text).unwrap();
    let log = dir.path().join("agent.log");
    let path = dir.path().join("app.log");
    let mut w = Writer::new(&path, "gz", 100);
    w.write(1000);
    let mut agent = start_agent(&cfg, &log);
    settle_store(&dsn, w.lines, Duration::from_secs(15));
    // Agent down; more lines; rotation and compression (logrotate without delaycompress).
    agent.kill9();
    w.write(700);
    let rotated = dir.path().join("app.log.1");
    fs::rename(&path, &rotated).unwrap();
    let st = std::process::Command::new("gzip")
        .arg(&rotated)
        .status()
        .unwrap();
    assert!(st.success());
    let mut w2 = Writer::new(&path, "gz2", 100);
    w2.write(50);
    agent = start_agent(&cfg, &log);
    let total = w.lines + w2.lines;
    let (sightings, _) = settle_store(&dsn, total, Duration::from_secs(20));
    if sightings != total {
        dump(&agent);
    }
    assert_eq!(
        sightings, total,
        "the .gz was read from the old checkpoint, not from its start"
    );
    assert!(agent
        .term(Duration::from_secs(7))
        .is_some_and(|s| s.success()));
}

#[test]
fn sigterm_delivers_what_was_read_and_exits_in_time() {
    let dir = scratch();
    let (dsn, out) = store_output(dir.path());
    let cfg = agent_config(dir.path(), &["app.log"], &out);
    // A long window: only the shutdown flush can deliver in time.
    let text = fs::read_to_string(&cfg)
        .unwrap()
        .replace("window = \"300ms\"", "window = \"1h\"");
    fs::write(&cfg, text).unwrap();
    let log = dir.path().join("agent.log");
    let mut w = Writer::new(&dir.path().join("app.log"), "st", 20);
    let mut agent = start_agent(&cfg, &log);
    w.write(2000);
    std::thread::sleep(Duration::from_millis(800));
    let t = Instant::now();
    let status = agent
        .term(Duration::from_secs(7))
        .expect("exits within shutdown_timeout");
    assert!(status.success(), "{status:?}");
    assert!(t.elapsed() < Duration::from_secs(6));
    assert_eq!(
        store_figures(&dsn).0,
        w.lines,
        "the open window was flushed at SIGTERM"
    );
}

fn http_get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut r = String::new();
    s.read_to_string(&mut r).unwrap();
    r
}

#[test]
fn long_lines_are_cut_counted_and_exported() {
    let dir = scratch();
    let (dsn, out) = store_output(dir.path());
    let port = free_port();
    let cfg = agent_config(
        dir.path(),
        &["app.log"],
        &format!("{out}\n[metrics]\nlisten = \"127.0.0.1:{port}\"\n"),
    );
    let text = fs::read_to_string(&cfg).unwrap().replace(
        "batch_size = 500",
        "batch_size = 500\nmax_line_bytes = \"1KiB\"",
    );
    fs::write(&cfg, text).unwrap();
    let path = dir.path().join("app.log");
    let mut w = Writer::new(&path, "ll", 10);
    w.write(10);
    {
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(&vec![b'x'; 5 << 20]).unwrap();
        f.write_all(b"\n").unwrap();
    }
    w.write(10);
    let log = dir.path().join("agent.log");
    let mut agent = start_agent(&cfg, &log);
    let (sightings, _) = settle_store(&dsn, w.lines, Duration::from_secs(15));
    assert_eq!(sightings, w.lines);
    let m = http_get(port, "/metrics");
    assert!(
        m.contains("yapdns_agent_parse_errors_total{input=\"e2e\",kind=\"too_long\"} 1"),
        "{m}"
    );
    assert!(
        m.contains("yapdns_agent_lines_read_total{input=\"e2e\"} 21"),
        "{m}"
    );
    assert!(m.contains("yapdns_agent_spool_batches 0"), "{m}");
    assert!(agent
        .term(Duration::from_secs(7))
        .is_some_and(|s| s.success()));
}

#[test]
fn check_config_validates_and_explains() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/agent.toml");
    let out = std::process::Command::new(agent_bin())
        .args(["check-config", "--config"])
        .arg(&example)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("input \"squid\""), "{text}");
    assert!(text.contains("/var/log/squid/access.log"), "{text}");

    let dir = scratch();
    let bad = dir.path().join("bad.toml");
    fs::write(&bad, "data_dir = \"/tmp/x\"\n[[input]]\npaths = [\"/x\"]\nformt = \"squid\"\n[output.store]\ndsn = \"sqlite:///tmp/x\"\n").unwrap();
    let out = std::process::Command::new(agent_bin())
        .args(["check-config", "--config"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown field `formt`"), "{err}");

    let (_, store) = store_output(dir.path());
    let good = agent_config(dir.path(), &["app.log"], &store);
    fs::write(
        dir.path().join("app.log"),
        "1458130003.61\twww.google.com\tA\t216.58.220.36\n",
    )
    .unwrap();
    let out = std::process::Command::new(agent_bin())
        .args(["check-config", "--config"])
        .arg(&good)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("1 file(s) now"), "{text}");
}

/// Sum of association counts one pass of the parser finds in a file.
fn expected_sightings(path: &std::path::Path, format: yapdns_parsers::Format) -> u64 {
    let opts = yapdns_parsers::ParseOptions::default();
    let recs = yapdns_parsers::parse_path(path, Some(format), &opts).unwrap();
    recs.filter_map(Result::ok)
        .map(|r| match r {
            yapdns_parsers::Record::Association(a) => a.count,
            yapdns_parsers::Record::Name(_) => 0,
        })
        .sum()
}

#[test]
fn cuckoo_reports_are_read_once_when_complete() {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/logs/cuckoo-report.json");
    let per_doc = expected_sightings(&sample, yapdns_parsers::Format::Cuckoo);
    assert!(per_doc > 0);
    // Real reports differ at least by their task id (`info.id`); the sample has only its
    // `network` section, so each copy gets its own `info`.
    let base: serde_json::Value = serde_json::from_slice(&fs::read(&sample).unwrap()).unwrap();
    let doc_for = |n: u32| {
        let mut v = base.clone();
        v["info"] = serde_json::json!({ "id": n });
        serde_json::to_vec_pretty(&v).unwrap()
    };
    let dir = scratch();
    let (dsn, out) = store_output(dir.path());
    let cfg = agent_config(dir.path(), &["analyses/*/reports/report.json"], &out);
    let text = fs::read_to_string(&cfg)
        .unwrap()
        .replace("format = \"cuckoo-dnsdump\"", "format = \"cuckoo\"")
        .replace("settle = \"300ms\"", "settle = \"1s\"");
    fs::write(&cfg, text).unwrap();
    let report = |n: u32| {
        let d = dir.path().join(format!("analyses/{n}/reports"));
        fs::create_dir_all(&d).unwrap();
        d.join("report.json")
    };
    fs::write(report(1), doc_for(1)).unwrap();
    let log = dir.path().join("agent.log");
    let mut agent = start_agent(&cfg, &log);
    // Written in two parts, the second after a pause shorter than `settle`: it must be read
    // whole, once.
    let doc = doc_for(2);
    let half = doc.len() / 2;
    fs::write(report(2), &doc[..half]).unwrap();
    std::thread::sleep(Duration::from_millis(400));
    OpenOptions::new()
        .append(true)
        .open(report(2))
        .unwrap()
        .write_all(&doc[half..])
        .unwrap();
    let (s, _) = settle_store(&dsn, 2 * per_doc, Duration::from_secs(15));
    assert_eq!(s, 2 * per_doc);
    // A restart does not read them again; a new report is read.
    agent.kill9();
    agent = start_agent(&cfg, &log);
    fs::write(report(3), doc_for(3)).unwrap();
    // A copy of a report already read is not read again.
    fs::create_dir_all(dir.path().join("analyses/4/reports")).unwrap();
    fs::write(report(4), doc_for(1)).unwrap();
    let (s, _) = settle_store(&dsn, 3 * per_doc, Duration::from_secs(15));
    if s != 3 * per_doc {
        dump(&agent);
    }
    assert_eq!(s, 3 * per_doc);
    assert!(
        !agent.log_text().contains("bad line"),
        "{}",
        agent.log_text()
    );
    assert!(agent
        .term(Duration::from_secs(7))
        .is_some_and(|s| s.success()));
}

/// A UTF-16LE log with a byte-order mark (as Windows writes logs "as Unicode"), appended in
/// pieces cut anywhere — inside lines and inside code units — with SIGKILL between appends:
/// every line is counted once.
#[test]
fn utf16_log_is_tailed_exactly_once() {
    let mut rng = Rng::new("utf16");
    let dir = scratch();
    let (dsn, out) = store_output(dir.path());
    let cfg = agent_config(dir.path(), &["app.log"], &out);
    let log = dir.path().join("agent.log");
    // The usual lines, written to a file outside the globs, then re-encoded.
    let mut w = Writer::new(&dir.path().join("lines.utf8"), "u16", 300);
    w.write(4000);
    let text = fs::read_to_string(&w.path).unwrap();
    let mut data = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        data.extend_from_slice(&u.to_le_bytes());
    }
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.path().join("app.log"))
        .unwrap();
    let mut agent = start_agent(&cfg, &log);
    let (mut pos, mut kills) = (0, 0);
    while pos < data.len() {
        let n = (rng.range(1, 20_000) as usize).min(data.len() - pos);
        f.write_all(&data[pos..pos + n]).unwrap();
        pos += n;
        std::thread::sleep(Duration::from_millis(rng.range(0, 80)));
        if rng.range(0, 5) == 0 {
            agent.kill9();
            kills += 1;
            agent = start_agent(&cfg, &log);
        }
    }
    eprintln!("wrote {} lines in UTF-16, {kills} kills", w.lines);
    let (sightings, assocs) = settle_store(&dsn, w.lines, Duration::from_secs(25));
    if sightings != w.lines || assocs != w.keys.len() as u64 {
        dump(&agent);
    }
    assert_eq!(sightings, w.lines, "every line counted exactly once");
    assert_eq!(assocs, w.keys.len() as u64);
    assert!(agent
        .term(Duration::from_secs(7))
        .is_some_and(|s| s.success()));
}

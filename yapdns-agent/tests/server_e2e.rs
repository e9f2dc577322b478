//! End-to-end through the real server: `yapdns-server serve` on loopback with SQLite, the real
//! agent binary, Debian's `logrotate`, SIGKILL at random moments, the server stopped and
//! started again. After each scenario the store holds exactly the lines written.
//!
//! Needs `cargo build -p yapdns-server` (the binary beside the agent's) and `logrotate`;
//! `scripts/agent-tests.sh` provides both. Without them the tests say SKIPPED, or fail when
//! `YAPDNS_REQUIRE_E2E=1`.

#![allow(clippy::unwrap_used)] // helpers beside the tests: a panic is a failed test

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;

fn setup(name: &str) -> Option<(tempfile::TempDir, Server, PathBuf, Rng)> {
    let bin = server_bin()?;
    let dir = scratch();
    let mut server = Server::new(bin, dir.path());
    // Creates the store, so `client add` finds it.
    server.start();
    let key = server.ingest_key("e2e-agent");
    let key_file = dir.path().join("agent.key");
    fs::write(&key_file, format!("{key}\n")).unwrap();
    let rng = Rng::new(name);
    Some((dir, server, key_file, rng))
}

fn server_output(server: &Server, key_file: &Path) -> String {
    format!(
        "[output.server]\nurl = {:?}\napi_key_file = {:?}\ntimeout = \"5s\"\nretry_initial = \"50ms\"\nretry_max = \"1s\"\n",
        server.url(),
        key_file.display().to_string()
    )
}

fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut r = String::new();
    s.read_to_string(&mut r).unwrap();
    r
}

fn finish(dir: &Path, server: &mut Server, agent: &mut Proc, lines: u64, keys: usize) {
    let (sightings, assocs) = settle_store(&server.dsn, lines, Duration::from_secs(25));
    if sightings != lines || assocs != keys as u64 {
        dump(agent);
        eprintln!(
            "{}",
            fs::read_to_string(dir.join("server.log"))
                .unwrap_or_default()
                .chars()
                .rev()
                .take(4000)
                .collect::<String>()
                .chars()
                .rev()
                .collect::<String>()
        );
    }
    assert_eq!(sightings, lines, "every line counted exactly once");
    assert_eq!(assocs, keys as u64);
    let st = agent
        .term(Duration::from_secs(7))
        .expect("agent exits within shutdown_timeout");
    assert!(st.success(), "{st:?}");
    server.stop();
}

#[test]
fn logrotate_create_with_kill9() {
    let Some(lr) = logrotate_bin() else { return };
    let Some((dir, mut server, key_file, mut rng)) = setup("logrotate_create") else {
        return;
    };
    let cfg = agent_config(
        dir.path(),
        &["app.log*"],
        &server_output(&server, &key_file),
    );
    let log = dir.path().join("agent.log");
    let path = dir.path().join("app.log");
    let mut w = Writer::new(&path, "lc", 700);
    let mut agent = start_agent(&cfg, &log);
    let t = Instant::now();
    let (mut rot, mut kills) = (0, 0);
    let mut next_kill = Instant::now() + Duration::from_millis(rng.range(400, 2000));
    while t.elapsed() < Duration::from_secs(15) {
        w.write(rng.range(1, 200));
        std::thread::sleep(Duration::from_millis(rng.range(0, 50)));
        if rng.range(0, 15) == 0 {
            logrotate(&lr, dir.path(), &path, "create");
            rot += 1;
            // Lines the daemon writes before its SIGHUP land in the renamed file.
            w.write(rng.range(0, 40));
            w.reopen();
        }
        if Instant::now() >= next_kill {
            agent.kill9();
            kills += 1;
            std::thread::sleep(Duration::from_millis(rng.range(0, 300)));
            agent = start_agent(&cfg, &log);
            next_kill = Instant::now() + Duration::from_millis(rng.range(400, 2000));
        }
    }
    eprintln!(
        "wrote {} lines, {rot} logrotate runs, {kills} kills",
        w.lines
    );
    finish(dir.path(), &mut server, &mut agent, w.lines, w.keys.len());
}

#[test]
fn logrotate_copytruncate_with_kill9() {
    let Some(lr) = logrotate_bin() else { return };
    let Some((dir, mut server, key_file, mut rng)) = setup("logrotate_copytruncate") else {
        return;
    };
    // The copies (app.log.1, then renamed app.log.2, …) are in the glob: the agent reads what
    // the original held past its read position from the copy, even if it was down meanwhile.
    let cfg = agent_config(
        dir.path(),
        &["app.log*"],
        &server_output(&server, &key_file),
    );
    let log = dir.path().join("agent.log");
    let path = dir.path().join("app.log");
    // One descriptor for the whole test, as a daemon that never reopens its log.
    let mut w = Writer::new(&path, "ct", 900);
    let mut agent = start_agent(&cfg, &log);
    let t = Instant::now();
    let (mut rot, mut kills) = (0, 0);
    let mut next_kill = Instant::now() + Duration::from_millis(rng.range(400, 2000));
    while t.elapsed() < Duration::from_secs(15) {
        w.write(rng.range(1, 200));
        std::thread::sleep(Duration::from_millis(rng.range(0, 50)));
        if rng.range(0, 12) == 0 {
            // Writes pause while logrotate copies and truncates: lines written in between
            // are lost by copytruncate itself (see docs/agent.md), which this test does not
            // measure. The agent must then neither lose nor repeat anything.
            logrotate(&lr, dir.path(), &path, "copytruncate");
            rot += 1;
        }
        if Instant::now() >= next_kill {
            agent.kill9();
            kills += 1;
            std::thread::sleep(Duration::from_millis(rng.range(0, 300)));
            agent = start_agent(&cfg, &log);
            next_kill = Instant::now() + Duration::from_millis(rng.range(400, 2000));
        }
    }
    eprintln!(
        "wrote {} lines, {rot} copytruncate runs, {kills} kills",
        w.lines
    );
    finish(dir.path(), &mut server, &mut agent, w.lines, w.keys.len());
}

#[test]
fn server_outages_spool_and_recover() {
    let Some((dir, mut server, key_file, mut rng)) = setup("server_outage") else {
        return;
    };
    let cfg = agent_config(dir.path(), &["app.log"], &server_output(&server, &key_file));
    let log = dir.path().join("agent.log");
    let mut w = Writer::new(&dir.path().join("app.log"), "so", 400);
    let mut agent = start_agent(&cfg, &log);
    let t = Instant::now();
    let mut outages = 0;
    let mut next = Instant::now() + Duration::from_millis(rng.range(500, 1500));
    let mut down_until: Option<Instant> = None;
    while t.elapsed() < Duration::from_secs(15) {
        w.write(rng.range(1, 200));
        std::thread::sleep(Duration::from_millis(rng.range(0, 50)));
        match down_until {
            Some(u) if Instant::now() >= u => {
                server.start();
                down_until = None;
                next = Instant::now() + Duration::from_millis(rng.range(500, 1500));
            }
            None if Instant::now() >= next => {
                // Half the time a clean stop, half the time SIGKILL mid-request.
                if rng.range(0, 1) == 0 {
                    server.kill9();
                } else {
                    server.stop();
                }
                outages += 1;
                down_until = Some(Instant::now() + Duration::from_millis(rng.range(300, 2500)));
            }
            _ => {}
        }
        if rng.range(0, 40) == 0 {
            agent.kill9();
            agent = start_agent(&cfg, &log);
        }
    }
    if down_until.is_some() {
        server.start();
    }
    eprintln!("wrote {} lines, {outages} outages", w.lines);
    assert!(
        agent.log_text().contains("delivery failed"),
        "outages were noticed"
    );
    finish(dir.path(), &mut server, &mut agent, w.lines, w.keys.len());
}

#[test]
fn refused_key_keeps_data_until_fixed() {
    let Some((dir, mut server, key_file, _rng)) = setup("refused_key") else {
        return;
    };
    let good = fs::read_to_string(&key_file).unwrap();
    fs::write(&key_file, "not-a-valid-key\n").unwrap();
    let cfg = agent_config(dir.path(), &["app.log"], &server_output(&server, &key_file));
    let log = dir.path().join("agent.log");
    let mut w = Writer::new(&dir.path().join("app.log"), "rk", 100);
    w.write(500);
    let mut agent = start_agent(&cfg, &log);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(store_figures(&server.dsn).0, 0);
    assert!(
        agent.log_text().contains("refuses our credentials"),
        "{}",
        agent.log_text()
    );
    agent.term(Duration::from_secs(7));
    fs::write(&key_file, good).unwrap();
    let mut agent = start_agent(&cfg, &log);
    w.write(100);
    finish(dir.path(), &mut server, &mut agent, w.lines, w.keys.len());
}

/// The server refuses requests over its body limit (413) and lines over its line limit
/// (400 with the line number): the agent splits the first, and drops, logs and counts the
/// bad lines while every other line is still delivered once.
#[test]
fn oversized_requests_are_split_and_bad_lines_dropped() {
    let Some((dir, mut server, key_file, mut rng)) = setup("limits") else {
        return;
    };
    server.stop();
    let conf = dir.path().join("server.toml");
    fs::write(&conf, "max_body_bytes = 20000\nmax_line_bytes = 400\n").unwrap();
    server.config = Some(conf);
    server.start();
    let metrics_port = free_port();
    let out = format!(
        "{}\n[metrics]\nlisten = \"127.0.0.1:{metrics_port}\"\n",
        server_output(&server, &key_file)
    );
    let cfg = agent_config(dir.path(), &["app.log"], &out);
    let path = dir.path().join("app.log");
    let mut w = Writer::new(&path, "lim", 3000);
    let mut long = 0u64;
    for i in 0..40 {
        w.write(rng.range(50, 400));
        // A TXT answer whose COF line is over the server's line limit.
        let mut f = fs::OpenOptions::new().append(true).open(&path).unwrap();
        let text = format!("v=long{i} {}", "x".repeat(600));
        std::io::Write::write_all(
            &mut f,
            format!("1700000000.5\tlong{i}.lim.test\tTXT\t{text}\n").as_bytes(),
        )
        .unwrap();
        long += 1;
    }
    w.write(100);
    let log = dir.path().join("agent.log");
    let mut agent = start_agent(&cfg, &log);
    let (s, a) = settle_store(&server.dsn, w.lines, Duration::from_secs(25));
    if s != w.lines {
        dump(&agent);
    }
    assert_eq!(s, w.lines, "every good line delivered once");
    assert_eq!(a, w.keys.len() as u64, "no long TXT record stored");
    let text = agent.log_text();
    assert_eq!(
        text.matches("refused by the output").count() as u64,
        long,
        "each bad line logged"
    );
    let m = http_get(metrics_port, "/metrics");
    assert!(
        m.contains("yapdns_agent_requests_total{status=\"400\"} 40"),
        "{m}"
    );
    assert!(
        m.contains("yapdns_agent_requests_total{status=\"413\"}"),
        "{m}"
    );
    assert!(
        m.contains("yapdns_agent_records_rejected_total{reason=\"bad_record\"} 40"),
        "{m}"
    );
    assert!(agent
        .term(Duration::from_secs(7))
        .is_some_and(|s| s.success()));
    server.stop();
}

/// Resident memory of a process, from /proc.
fn rss_kib(pid: u32) -> u64 {
    let s = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// A bounded soak: 1,000 files written at a steady rate for 30 s, shipped to the server.
/// The agent's memory stays under 64 MiB and does not creep; every line arrives exactly once.
#[test]
fn soak_1000_files_bounded_memory() {
    let Some((dir, mut server, key_file, mut rng)) = setup("soak") else {
        return;
    };
    let cfg = agent_config(
        dir.path(),
        &["logs/*.log"],
        &server_output(&server, &key_file),
    );
    fs::create_dir_all(dir.path().join("logs")).unwrap();
    let mut writers: Vec<Writer> = (0..1000)
        .map(|i| {
            Writer::new(
                &dir.path().join(format!("logs/f{i:04}.log")),
                &format!("s{i}"),
                50,
            )
        })
        .collect();
    let log = dir.path().join("agent.log");
    let mut agent = start_agent(&cfg, &log);
    let t = Instant::now();
    let mut samples = Vec::new();
    let mut last_sample = Instant::now();
    while t.elapsed() < Duration::from_secs(30) {
        // About 3,000 lines a second, spread over random files.
        for _ in 0..10 {
            let i = rng.range(0, 999) as usize;
            writers[i].write(rng.range(1, 5));
        }
        std::thread::sleep(Duration::from_millis(10));
        if last_sample.elapsed() >= Duration::from_secs(1) {
            last_sample = Instant::now();
            samples.push(rss_kib(agent.pid()));
        }
    }
    let lines: u64 = writers.iter().map(|w| w.lines).sum();
    let keys: usize = writers.iter().map(|w| w.keys.len()).sum();
    let (s, a) = settle_store(&server.dsn, lines, Duration::from_secs(20));
    let max = samples.iter().copied().max().unwrap_or(0);
    let half = samples.len() / 2;
    let first_max = samples[..half].iter().copied().max().unwrap_or(0);
    let second_max = samples[half..].iter().copied().max().unwrap_or(0);
    eprintln!("{lines} lines over 1000 files; RSS samples (KiB): {samples:?}; max {max} KiB");
    if s != lines {
        dump(&agent);
    }
    assert_eq!(s, lines);
    assert_eq!(a, keys as u64);
    assert!(max < 64 * 1024, "RSS {max} KiB is over 64 MiB");
    assert!(
        second_max <= first_max + 8 * 1024,
        "RSS grows: {first_max} then {second_max} KiB"
    );
    assert!(agent
        .term(Duration::from_secs(7))
        .is_some_and(|s| s.success()));
    server.stop();
}

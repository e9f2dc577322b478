//! End-to-end speed of the agent, against `yapdns-agent parse` of the same files in the same
//! run: lines per second from files on disk to batches acknowledged by a real `yapdns-server`
//! (SQLite), with the agent's CPU time and peak resident memory (from `/proc`); and the
//! agent's memory while it follows 1,000 files.
//!
//! Ignored by default (they take about a minute and want a release build):
//!
//! ```sh
//! scripts/agent-bench.sh            # builds both binaries in release and runs these
//! ```
//!
//! Sizes: `YAPDNS_BENCH_LINES` (default 2,000,000), `YAPDNS_BENCH_KEYS` (distinct names,
//! default 200,000), `YAPDNS_BENCH_FILES` (default 4); agent settings `YAPDNS_BENCH_WINDOW`,
//! `YAPDNS_BENCH_BATCH`, `YAPDNS_BENCH_MAX_ENTRIES`; `YAPDNS_BENCH_SECS` (default 30) for how
//! long the 1,000 files are appended to.

#![allow(clippy::unwrap_used)] // a panic is a failed benchmark

mod common;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// CPU time (user + system) and peak resident memory of a live process.
#[derive(Debug, Clone, Copy, Default)]
struct Usage {
    cpu_s: f64,
    peak_kib: u64,
    rss_kib: u64,
}

fn usage(pid: u32) -> Option<Usage> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 of `rest`.
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    Some(Usage {
        cpu_s: ticks / clock_ticks(),
        peak_kib: kib("VmHWM:"),
        rss_kib: kib("VmRSS:"),
    })
}

fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// Writes `lines` passivedns lines over `files` files. Names follow a skewed distribution
/// over `keys` distinct names (a few very frequent, a long tail), as resolver traffic does;
/// each name has one address.
fn write_passivedns(dir: &Path, lines: u64, keys: u64, files: u64) -> Vec<PathBuf> {
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let paths: Vec<PathBuf> = (0..files)
        .map(|i| dir.join(format!("pdns-{i:02}.log")))
        .collect();
    let mut outs: Vec<std::io::BufWriter<fs::File>> = paths
        .iter()
        .map(|p| std::io::BufWriter::with_capacity(1 << 20, fs::File::create(p).unwrap()))
        .collect();
    for i in 0..lines {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let u = (rng >> 11) as f64 / (1u64 << 53) as f64;
        let k = ((keys as f64) * u * u * u) as u64;
        let t = 1_795_000_000.0 + i as f64 * 0.000_5;
        writeln!(
            outs[(i % files) as usize],
            "{t:.6}||10.0.{}.{}||10.0.0.53||IN||h{k}.d{}.bench.test.||A||198.{}.{}.{}||300||1",
            (i >> 8) & 255,
            i & 255,
            k % 977,
            (k >> 16) & 255,
            (k >> 8) & 255,
            k & 255
        )
        .unwrap();
    }
    for mut o in outs {
        o.flush().unwrap();
    }
    paths
}

/// Runs `yapdns-agent parse` over `paths` (output discarded); (seconds, usage).
fn parse_baseline(paths: &[PathBuf]) -> (f64, Usage) {
    let t = Instant::now();
    let mut child = Command::new(agent_bin())
        .arg("parse")
        .arg("--format")
        .arg("passivedns")
        .args(paths)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut last = Usage::default();
    loop {
        // A process that has exited (a zombie until reaped) no longer shows its memory.
        if let Some(u) = usage(pid).filter(|u| u.peak_kib > 0) {
            last = u;
        }
        if let Ok(Some(st)) = child.try_wait() {
            assert!(st.success(), "parse failed: {st:?}");
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    (t.elapsed().as_secs_f64(), last)
}

/// The agent's configuration: the defaults, but for a merge window of `YAPDNS_BENCH_WINDOW`
/// (default 1 s: the default 10 s would add up to 10 s of latency to the last lines of a run
/// this short), `batch_size` and `aggregate.max_entries` from `YAPDNS_BENCH_BATCH` and
/// `YAPDNS_BENCH_MAX_ENTRIES` (defaults 5000 and 100,000, the agent's) and the metrics endpoint
/// on `metrics_port`.
fn bench_config(
    dir: &Path,
    paths: &str,
    server: &Server,
    key_file: &Path,
    metrics_port: u16,
) -> PathBuf {
    let window = std::env::var("YAPDNS_BENCH_WINDOW").unwrap_or_else(|_| "1s".into());
    let batch = env_u64("YAPDNS_BENCH_BATCH", 5000);
    let max_entries = env_u64("YAPDNS_BENCH_MAX_ENTRIES", 100_000);
    let text = format!(
        r#"
data_dir = {data:?}
batch_size = {batch}
[[input]]
name = "bench"
paths = [{paths:?}]
format = "passivedns"
[aggregate]
window = {window:?}
max_entries = {max_entries}
[metrics]
listen = "127.0.0.1:{metrics_port}"
[output.server]
url = {url:?}
api_key_file = {key:?}
"#,
        data = dir.join("data").display().to_string(),
        url = server.url(),
        key = key_file.display().to_string(),
    );
    let p = dir.join("agent.toml");
    fs::write(&p, text).unwrap();
    p
}

fn start_server(dir: &Path) -> Option<(Server, PathBuf)> {
    let bin = server_bin()?;
    let mut server = Server::new(bin, dir);
    server.start();
    let key = server.ingest_key("bench");
    let key_file = dir.join("agent.key");
    fs::write(&key_file, format!("{key}\n")).unwrap();
    Some((server, key_file))
}

fn start_quiet_agent(cfg: &Path, log: &Path) -> Proc {
    let mut cmd = Command::new(agent_bin());
    cmd.arg("run").arg("--config").arg(cfg).env(
        "RUST_LOG",
        std::env::var("YAPDNS_BENCH_RUST_LOG").unwrap_or_else(|_| "warn".into()),
    );
    Proc::spawn("agent", cmd, log)
}

/// A few of the agent's own figures, from its metrics endpoint.
fn metric_lines(port: u16) -> String {
    use std::io::Read;
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = write!(
        s,
        "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    );
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    text.lines()
        .filter(|l| {
            [
                "yapdns_agent_records_sent_total",
                "yapdns_agent_windows_sealed_total",
                "yapdns_agent_batches_sent_total",
                "yapdns_agent_requests_total",
            ]
            .iter()
            .any(|m| l.starts_with(m))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
#[ignore = "benchmark: scripts/agent-bench.sh"]
fn bench_files_to_server_vs_parse() {
    let lines = env_u64("YAPDNS_BENCH_LINES", 2_000_000);
    let keys = env_u64("YAPDNS_BENCH_KEYS", 200_000);
    let files = env_u64("YAPDNS_BENCH_FILES", 4).max(1);
    let dir = scratch();
    let Some((mut server, key_file)) = start_server(dir.path()) else {
        return;
    };
    let logs = dir.path().join("logs");
    fs::create_dir_all(&logs).unwrap();
    let paths = write_passivedns(&logs, lines, keys, files);
    let bytes: u64 = paths.iter().map(|p| fs::metadata(p).unwrap().len()).sum();

    // The reference: the same files through the same parser, once to warm the page cache.
    parse_baseline(&paths);
    let (parse_s, parse_use) = parse_baseline(&paths);

    let metrics_port = free_port();
    let cfg = bench_config(
        dir.path(),
        &logs.join("*.log").display().to_string(),
        &server,
        &key_file,
        metrics_port,
    );
    let t = Instant::now();
    let mut agent = start_quiet_agent(&cfg, &dir.path().join("agent.log"));
    let pid = agent.pid();
    let mut at_end = Usage::default();
    let mut sightings = 0;
    while t.elapsed() < Duration::from_secs(600) {
        if let Some(u) = usage(pid) {
            at_end = u;
        }
        sightings = store_figures(&server.dsn).0;
        if sightings >= lines {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let agent_s = t.elapsed().as_secs_f64();
    if let Some(u) = usage(pid) {
        at_end = u;
    }
    let server_use = server.proc.as_ref().and_then(|p| usage(p.pid()));
    let metrics = metric_lines(metrics_port);
    let (_, assocs) = store_figures(&server.dsn);
    assert_eq!(sightings, lines, "every line acknowledged once");
    assert!(agent
        .term(Duration::from_secs(15))
        .is_some_and(|s| s.success()));
    server.stop();

    let parse_lps = lines as f64 / parse_s;
    let agent_lps = lines as f64 / agent_s;
    let mib = bytes as f64 / (1 << 20) as f64;
    println!(
        "\nagent end-to-end benchmark: {lines} passivedns lines ({mib:.0} MiB, {files} files, \
         {keys} names skewed), {assocs} associations stored"
    );
    println!(
        "  yapdns-agent parse: {parse_s:.2} s  {parse_lps:.0} lines/s  cpu {:.2} s  peak RSS {} KiB",
        parse_use.cpu_s, parse_use.peak_kib
    );
    println!(
        "  agent -> server:    {agent_s:.2} s  {agent_lps:.0} lines/s  cpu {:.2} s ({:.2} us/line)  \
         peak RSS {} KiB",
        at_end.cpu_s,
        at_end.cpu_s * 1e6 / lines as f64,
        at_end.peak_kib
    );
    if let Some(s) = server_use {
        println!(
            "  server (same run):  cpu {:.2} s  peak RSS {} KiB",
            s.cpu_s, s.peak_kib
        );
    }
    println!("  agent metrics: {metrics}");
    println!(
        "  ratio agent/parse lines/s: {:.2} (target >= 0.5); agent CPU / parse CPU: {:.2}",
        agent_lps / parse_lps,
        at_end.cpu_s / parse_use.cpu_s.max(1e-9)
    );
}

#[test]
#[ignore = "benchmark: scripts/agent-bench.sh"]
fn bench_rss_following_1000_files() {
    let dir = scratch();
    let Some((mut server, key_file)) = start_server(dir.path()) else {
        return;
    };
    let logs = dir.path().join("logs");
    fs::create_dir_all(&logs).unwrap();
    // 1,000 files of 1,000 lines each to read first, then appends to random files.
    let mut writers: Vec<Writer> = (0..1000)
        .map(|i| Writer::new(&logs.join(format!("f{i:04}.log")), &format!("r{i}"), 300))
        .collect();
    for w in &mut writers {
        w.write(1000);
    }
    let cfg = agent_config(
        dir.path(),
        &["logs/*.log"],
        &format!(
            "[output.server]\nurl = {:?}\napi_key_file = {:?}\n",
            server.url(),
            key_file.display().to_string()
        ),
    );
    let mut agent = start_quiet_agent(&cfg, &dir.path().join("agent.log"));
    let pid = agent.pid();
    let mut rng = Rng::new("bench_rss");
    let t = Instant::now();
    let mut samples = Vec::new();
    let mut last = Instant::now();
    let secs = env_u64("YAPDNS_BENCH_SECS", 30);
    while t.elapsed() < Duration::from_secs(secs) {
        for _ in 0..20 {
            let i = rng.range(0, 999) as usize;
            writers[i].write(rng.range(1, 5));
        }
        std::thread::sleep(Duration::from_millis(10));
        if last.elapsed() >= Duration::from_secs(1) {
            last = Instant::now();
            if let Some(u) = usage(pid) {
                samples.push(u);
            }
        }
    }
    let lines: u64 = writers.iter().map(|w| w.lines).sum();
    let (s, _) = settle_store(&server.dsn, lines, Duration::from_secs(60));
    let end = usage(pid).unwrap_or_default();
    assert_eq!(s, lines, "every line acknowledged once");
    assert!(agent
        .term(Duration::from_secs(15))
        .is_some_and(|s| s.success()));
    server.stop();
    let rss: Vec<u64> = samples.iter().map(|u| u.rss_kib).collect();
    let max_rss = rss.iter().copied().max().unwrap_or(0);
    println!(
        "\nagent following 1000 files: {lines} lines; RSS samples (KiB, 1/s): {rss:?}\n  \
         max RSS {max_rss} KiB, peak (VmHWM) {} KiB, {:.1} MiB (target < 64 MiB); cpu {:.2} s",
        end.peak_kib,
        end.peak_kib as f64 / 1024.0,
        end.cpu_s
    );
}

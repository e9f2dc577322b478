//! Real processes and real files for the agent's end-to-end tests: the agent binary, the
//! server binary, a writer that appends log lines, logrotate, and a look into the store.
#![allow(dead_code)] // each test file uses its part
#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A small deterministic random source; the seed is printed so a failure can be replayed.
pub struct Rng(u64);

impl Rng {
    pub fn new(name: &str) -> Rng {
        let seed = std::env::var("YAPDNS_E2E_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            });
        eprintln!("[{name}] seed {seed} (YAPDNS_E2E_SEED={seed} replays it)");
        Rng(seed | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// A scratch directory, kept (and its path printed) when `YAPDNS_E2E_KEEP=1`, to read the
/// agent's and server's logs after a run.
pub fn scratch() -> tempfile::TempDir {
    let mut b = tempfile::Builder::new();
    b.prefix("yapdns-e2e-");
    if std::env::var("YAPDNS_E2E_KEEP").as_deref() == Ok("1") {
        b.disable_cleanup(true);
    }
    let d = b.tempdir().unwrap();
    eprintln!("scratch directory {}", d.path().display());
    d
}

pub fn agent_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_yapdns-agent"))
}

/// The server binary: `YAPDNS_SERVER_BIN`, or `yapdns-server` beside the agent binary (built
/// by `cargo build -p yapdns-server` into the same target directory). `None` when missing:
/// the server tests then skip, unless `YAPDNS_REQUIRE_E2E=1` makes that a failure.
pub fn server_bin() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("YAPDNS_SERVER_BIN") {
        return Some(PathBuf::from(p));
    }
    let p = agent_bin().with_file_name("yapdns-server");
    if p.exists() {
        return Some(p);
    }
    if std::env::var("YAPDNS_REQUIRE_E2E").as_deref() == Ok("1") {
        panic!("yapdns-server binary not found (build it with cargo build -p yapdns-server or set YAPDNS_SERVER_BIN)");
    }
    eprintln!("SKIPPED: yapdns-server is not built (cargo build -p yapdns-server); set YAPDNS_REQUIRE_E2E=1 to fail instead");
    None
}

pub fn logrotate_bin() -> Option<PathBuf> {
    for p in [
        "/usr/sbin/logrotate",
        "/sbin/logrotate",
        "/usr/bin/logrotate",
    ] {
        if Path::new(p).exists() {
            return Some(PathBuf::from(p));
        }
    }
    if std::env::var("YAPDNS_REQUIRE_E2E").as_deref() == Ok("1") {
        panic!("logrotate not installed (apt-get install -y logrotate)");
    }
    eprintln!("SKIPPED: logrotate is not installed (apt-get install -y logrotate)");
    None
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Appends cuckoo-dnsdump lines (`time TAB name TAB A TAB address`), one association each.
/// Names repeat (every `distinct` lines), so the agent's merge window has work to do; the
/// store must end with `lines` sightings over the distinct keys, exactly.
pub struct Writer {
    pub path: PathBuf,
    file: Option<File>,
    pub lines: u64,
    pub keys: HashSet<(String, String)>,
    tag: String,
    distinct: u64,
}

impl Writer {
    pub fn new(path: &Path, tag: &str, distinct: u64) -> Writer {
        let mut w = Writer {
            path: path.to_path_buf(),
            file: None,
            lines: 0,
            keys: HashSet::new(),
            tag: tag.to_string(),
            distinct,
        };
        w.reopen();
        w
    }

    /// Opens the path again (what a daemon does on SIGHUP after logrotate `create`).
    pub fn reopen(&mut self) {
        self.file = Some(
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .unwrap(),
        );
    }

    pub fn write(&mut self, n: u64) {
        let mut buf = String::new();
        for _ in 0..n {
            let i = self.lines;
            let k = i % self.distinct;
            let name = format!("h{k}.{}.test", self.tag);
            let addr = format!("10.{}.{}.{}", (k >> 16) & 255, (k >> 8) & 255, k & 255);
            buf.push_str(&format!(
                "{}.{:03}\t{name}\tA\t{addr}\n",
                1_700_000_000 + i,
                i % 1000
            ));
            self.keys.insert((name, addr));
            self.lines += 1;
        }
        let f = self.file.as_mut().unwrap();
        f.write_all(buf.as_bytes()).unwrap();
        f.flush().unwrap();
    }
}

pub struct Proc {
    pub name: &'static str,
    pub child: Option<Child>,
    log: PathBuf,
}

impl Proc {
    pub fn spawn(name: &'static str, mut cmd: Command, log: &Path) -> Proc {
        let out = OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let err = out.try_clone().unwrap();
        let child = cmd
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap();
        Proc {
            name,
            child: Some(child),
            log: log.to_path_buf(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM, and the exit status within `limit` (killed and `None` past it).
    pub fn term(&mut self, limit: Duration) -> Option<ExitStatus> {
        let mut c = self.child.take()?;
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(c.id().to_string())
            .status();
        let t = Instant::now();
        while t.elapsed() < limit {
            if let Ok(Some(s)) = c.try_wait() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = c.kill();
        let _ = c.wait();
        None
    }

    pub fn log_text(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Fast settings so each scenario fits well under a minute.
pub fn agent_config(dir: &Path, paths: &[&str], output: &str) -> PathBuf {
    let paths: Vec<String> = paths
        .iter()
        .map(|p| format!("{:?}", dir.join(p).display().to_string()))
        .collect();
    let text = format!(
        r#"
data_dir = {data:?}
batch_size = 500
flush_interval = "50ms"
shutdown_timeout = "5s"
[[input]]
name = "e2e"
paths = [{paths}]
format = "cuckoo-dnsdump"
sensor = "e2e"
[aggregate]
window = "300ms"
max_entries = 2000
[tail]
scan_interval = "100ms"
rotate_wait = "1s"
settle = "300ms"
{output}
"#,
        data = dir.join("data").display().to_string(),
        paths = paths.join(", "),
    );
    let p = dir.join("agent.toml");
    fs::write(&p, text).unwrap();
    p
}

pub fn start_agent(cfg: &Path, log: &Path) -> Proc {
    let mut cmd = Command::new(agent_bin());
    cmd.arg("run")
        .arg("--config")
        .arg(cfg)
        .env("RUST_LOG", "yapdns_agent=debug,info");
    Proc::spawn("agent", cmd, log)
}

/// Sum of counts and number of associations in the store.
pub fn store_figures(dsn: &str) -> (u64, u64) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = yapdns_store::open(dsn).await.unwrap();
        let s = store.stats().await.unwrap();
        (s.sightings, s.associations)
    })
}

/// Waits until the store holds `lines` sightings (or `limit` passes), then a little longer
/// to catch late duplicates; returns the final figures.
pub fn settle_store(dsn: &str, lines: u64, limit: Duration) -> (u64, u64) {
    let t = Instant::now();
    let mut f = (0, 0);
    while t.elapsed() < limit {
        f = store_figures(dsn);
        if f.0 >= lines {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_millis(1500));
    let g = store_figures(dsn);
    assert!(g.0 >= f.0);
    g
}

pub fn logrotate(bin: &Path, dir: &Path, file: &Path, mode: &str) {
    let conf = dir.join("logrotate.conf");
    fs::write(
        &conf,
        format!(
            "{} {{\n    {mode}\n    rotate 50\n    missingok\n    nocompress\n}}\n",
            file.display()
        ),
    )
    .unwrap();
    let out = Command::new(bin)
        .arg("-f")
        .arg("-s")
        .arg(dir.join("logrotate.state"))
        .arg(&conf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "logrotate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Prints the tail of a process log when a test fails, so CI shows why.
pub fn dump(p: &Proc) {
    let t = p.log_text();
    let start = t.len().saturating_sub(8000);
    let start = (start..t.len())
        .find(|i| t.is_char_boundary(*i))
        .unwrap_or(t.len());
    eprintln!("---- {} log (tail) ----\n{}", p.name, &t[start..]);
}

/// A real `yapdns-server serve` on loopback with SQLite.
pub struct Server {
    pub bin: PathBuf,
    pub dsn: String,
    pub port: u16,
    pub log: PathBuf,
    pub proc: Option<Proc>,
    /// A `serve --config` file, if any.
    pub config: Option<PathBuf>,
}

impl Server {
    pub fn new(bin: PathBuf, dir: &Path) -> Server {
        Server {
            bin,
            dsn: format!("sqlite://{}", dir.join("server.db").display()),
            port: free_port(),
            log: dir.join("server.log"),
            proc: None,
            config: None,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn start(&mut self) {
        let mut cmd = Command::new(&self.bin);
        cmd.args([
            "serve",
            "--store",
            &self.dsn,
            "--listen",
            &format!("127.0.0.1:{}", self.port),
        ]);
        if let Some(c) = &self.config {
            cmd.arg("--config").arg(c);
        }
        let p = Proc::spawn("server", cmd, &self.log);
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(15) {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                self.proc = Some(p);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        dump(&p);
        panic!("server did not start");
    }

    pub fn kill9(&mut self) {
        if let Some(mut p) = self.proc.take() {
            p.kill9();
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut p) = self.proc.take() {
            p.term(Duration::from_secs(10));
        }
    }

    /// A new client with the ingest role; its key is the last line printed.
    pub fn ingest_key(&self, name: &str) -> String {
        let out = Command::new(&self.bin)
            .args([
                "client", "add", name, "--role", "ingest", "--store", &self.dsn,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "client add: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let key = text
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        let key = key
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or(key)
            .to_string();
        assert!(!key.is_empty(), "no key in {text:?}");
        key
    }
}

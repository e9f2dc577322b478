//! A deterministic model of the reader under logrotate `copytruncate`, crashes and a store
//! that applies each batch id once.
//!
//! A writer appends unique lines to `app.log`; logrotate's `copytruncate` is replayed one
//! system call at a time (the renames of the older copies, the creation of the copy, the copy
//! in chunks, the truncation), and between any two of them the reader may read, scan, seal,
//! deliver, be killed (its memory lost, its checkpoints and spool kept), or scan with a list
//! of files taken *before* the step (a scan racing with logrotate's renames). At the end every
//! line must have been counted exactly once — except lines written between the end of the
//! copy and the truncation, which `copytruncate` itself may lose (never count twice).
//!
//! Each seed is a different interleaving; a failing seed prints the operations it ran
//! (`YAPDNS_MODEL_SEED=S YAPDNS_MODEL_TRACE=1` replays one with the agent's log;
//! `YAPDNS_MODEL_SEEDS=N` runs seeds 1 to N).

use std::collections::{HashMap, HashSet, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use super::*;
use crate::metrics::Metrics;
use crate::registry::Registry;
use crate::spool::Spool;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
}

#[derive(Debug)]
enum Step {
    /// `app.log.N` → `app.log.N+1`.
    Rename(u32),
    /// `app.log.1` created empty.
    Create,
    /// The next chunk of the copy (repeated until the copy reaches the end of `app.log`).
    Copy,
    /// `app.log` truncated to 0.
    Truncate,
}

struct Model {
    dir: PathBuf,
    cfg: Arc<Config>,
    shared: Option<Arc<Shared>>,
    tailer: Option<Tailer>,
    writer: File,
    written: u64,
    /// Lines in `app.log` since its last truncation: (line, end offset).
    current: Vec<(u64, u64)>,
    /// Lines written after the copy had passed them: `copytruncate` may lose them.
    window: HashSet<u64>,
    rotated: u32,
    pending: VecDeque<Step>,
    copy: Option<(File, u64)>,
    /// Allow writes while a rotation is in progress.
    write_during_rotation: bool,
    applied: HashSet<String>,
    counts: HashMap<u64, u64>,
    /// Which batch counted each line (for failure reports).
    by_batch: HashMap<u64, Vec<String>>,
    ops: Vec<String>,
}

fn config(dir: &std::path::Path, window: &str) -> Config {
    let text = format!(
        r#"
data_dir = {data:?}
batch_size = 50
flush_interval = "1ms"
[[input]]
name = "m"
paths = [{paths:?}]
format = "cuckoo-dnsdump"
[aggregate]
window = {window:?}
max_entries = 40
[tail]
scan_interval = "1h"
rotate_wait = "1h"
[output.store]
dsn = "sqlite:///nonexistent/model.db"
"#,
        data = dir.join("data").display().to_string(),
        paths = dir.join("app.log*").display().to_string(),
    );
    Config::from_toml(&text).unwrap()
}

impl Model {
    fn new(dir: PathBuf, window: &str, write_during_rotation: bool) -> Model {
        let cfg = Arc::new(config(&dir, window));
        std::fs::create_dir_all(&cfg.data_dir).unwrap();
        let writer = OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("app.log"))
            .unwrap();
        let mut m = Model {
            dir,
            cfg,
            shared: None,
            tailer: None,
            writer,
            written: 0,
            current: Vec::new(),
            window: HashSet::new(),
            rotated: 0,
            pending: VecDeque::new(),
            copy: None,
            write_during_rotation,
            applied: HashSet::new(),
            counts: HashMap::new(),
            by_batch: HashMap::new(),
            ops: Vec::new(),
        };
        m.start();
        m
    }

    /// Records an operation (printed as it happens with `YAPDNS_MODEL_TRACE=1`).
    fn op(&mut self, what: String) {
        if trace() {
            eprintln!("== {what}");
        }
        self.ops.push(what);
    }

    fn start(&mut self) {
        let registry = Registry::load(&self.cfg.data_dir).unwrap();
        let (spool, _) = Spool::open(
            &self.cfg.data_dir,
            self.cfg.spool_limit,
            self.cfg.batch_size,
        )
        .unwrap();
        let shared = Arc::new(Shared {
            registry: Mutex::new(registry),
            spool,
            metrics: Arc::new(Metrics::default()),
            stop: AtomicBool::new(false),
            reader_done: AtomicBool::new(false),
        });
        self.tailer = Some(Tailer::new(self.cfg.clone(), shared.clone()));
        self.shared = Some(shared);
    }

    /// SIGKILL: memory is lost, what is on disk stays.
    fn kill(&mut self) {
        self.op("kill".into());
        self.tailer = None;
        self.shared = None;
        self.start();
    }

    fn path(&self, n: u32) -> PathBuf {
        if n == 0 {
            self.dir.join("app.log")
        } else {
            self.dir.join(format!("app.log.{n}"))
        }
    }

    fn write(&mut self, n: u64) {
        let mut buf = String::new();
        for _ in 0..n {
            let i = self.written;
            buf.push_str(&format!(
                "{}.{:03}\tl{i}.m.test\tA\t10.{}.{}.{}\n",
                1_700_000_000 + i,
                i % 1000,
                (i >> 16) & 255,
                (i >> 8) & 255,
                i & 255
            ));
            self.written += 1;
            let end = self.writer.metadata().unwrap().len() + buf.len() as u64;
            self.current.push((i, end));
        }
        self.writer.write_all(buf.as_bytes()).unwrap();
        self.op(format!("write {n}"));
    }

    /// One file-system step: a write, or the next system call of a rotation.
    fn fs_step(&mut self, rng: &mut Rng) {
        let writing = self.pending.is_empty() || (self.write_during_rotation && rng.one_in(3));
        if writing {
            if self.pending.is_empty() && rng.one_in(5) {
                for n in (1..=self.rotated).rev() {
                    self.pending.push_back(Step::Rename(n));
                }
                self.pending.push_back(Step::Create);
                self.pending.push_back(Step::Copy);
                self.pending.push_back(Step::Truncate);
                self.op("logrotate starts".into());
            } else {
                // Mostly a few lines; sometimes less than a fingerprint's worth.
                let n = if rng.one_in(4) { 1 } else { 1 + rng.below(60) };
                self.write(n);
            }
            return;
        }
        let Some(step) = self.pending.pop_front() else {
            return;
        };
        match step {
            Step::Rename(n) => {
                std::fs::rename(self.path(n), self.path(n + 1)).unwrap();
            }
            Step::Create => {
                let f = OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(self.path(1))
                    .unwrap();
                self.copy = Some((f, 0));
                self.rotated += 1;
            }
            Step::Copy => {
                let src = std::fs::read(self.path(0)).unwrap();
                let (f, done) = self.copy.as_mut().unwrap();
                let chunk = 1 + rng.below(3000) as usize;
                let start = *done as usize;
                let end = (start + chunk).min(src.len());
                f.write_all(&src[start..end]).unwrap();
                *done = end as u64;
                if end < src.len() {
                    self.pending.push_front(Step::Copy);
                }
            }
            Step::Truncate => {
                let copied = self.copy.take().map_or(0, |c| c.1);
                for &(line, end) in &self.current {
                    if end > copied {
                        self.window.insert(line);
                    }
                }
                self.current.clear();
                self.writer.set_len(0).unwrap();
            }
        }
        self.op(format!("{step:?}"));
    }

    fn tailer(&mut self) -> &mut Tailer {
        self.tailer.as_mut().unwrap()
    }

    fn tick(&mut self, scan: bool) {
        self.op(format!("tick scan={scan}"));
        let t = self.tailer();
        if scan {
            t.scan_now = true;
        }
        t.tick();
    }

    /// A scan whose list of files was taken before `steps` file-system steps.
    fn stale_scan(&mut self, rng: &mut Rng, steps: u64) {
        self.op(format!("stale scan over {steps} steps"));
        let cands = self.tailer().collect();
        for _ in 0..steps {
            self.fs_step(rng);
        }
        self.tailer().scan_with(cands);
    }

    /// The output applies the oldest spooled batch (once per batch id); then either the
    /// acknowledgement is recorded, or the agent dies first.
    fn deliver(&mut self, die_before_ack: bool) -> bool {
        let shared = self.shared.clone().unwrap();
        let Some(e) = shared.spool.front() else {
            return false;
        };
        self.op(format!(
            "deliver {} {:?}{}",
            &e.header.id[..8],
            e.header
                .ranges
                .iter()
                .map(|r| (r.entry % 1000, r.start, r.end))
                .collect::<Vec<_>>(),
            if die_before_ack { " then die" } else { "" }
        ));
        if !e.is_empty() && self.applied.insert(e.header.id.clone()) {
            let body = e.body().unwrap();
            for line in body.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                let v: serde_json::Value = serde_json::from_slice(line).unwrap();
                let name = v["rrname"].as_str().unwrap();
                let i: u64 = name
                    .trim_start_matches('l')
                    .split('.')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                *self.counts.entry(i).or_default() += v["count"].as_u64().unwrap();
                self.by_batch
                    .entry(i)
                    .or_default()
                    .push(e.header.id[..8].to_string());
            }
        }
        if die_before_ack {
            self.kill();
        } else {
            shared.acknowledge(&e).unwrap();
        }
        true
    }

    fn step(&mut self, rng: &mut Rng) {
        match rng.below(100) {
            0..=39 => self.fs_step(rng),
            40..=69 => {
                let scan = rng.one_in(2);
                self.tick(scan);
            }
            70..=75 => {
                let steps = 1 + rng.below(4);
                self.stale_scan(rng, steps);
            }
            76..=85 => {
                self.deliver(false);
            }
            86..=87 => {
                self.deliver(true);
            }
            88..=91 => self.kill(),
            _ => {
                self.op("seal".into());
                self.tailer().seal();
            }
        }
    }

    /// Lets logrotate finish, then the reader catch up and the output drain.
    fn settle(&mut self, rng: &mut Rng) {
        while !self.pending.is_empty() {
            self.fs_step(rng);
        }
        self.op("settle".into());
        for _ in 0..40 {
            self.tailer().scan_now = true;
            for _ in 0..6 {
                self.tailer().tick();
            }
            self.tailer().seal();
            while self.deliver(false) {}
        }
    }

    /// (lost, counted twice or more, window lines counted twice) — each a list of lines.
    fn verdict(&self) -> (Vec<u64>, Vec<(u64, u64)>) {
        let mut lost = Vec::new();
        let mut twice = Vec::new();
        for i in 0..self.written {
            let c = self.counts.get(&i).copied().unwrap_or(0);
            if c > 1 {
                twice.push((i, c));
            } else if c == 0 && !self.window.contains(&i) {
                lost.push(i);
            }
        }
        (lost, twice)
    }
}

fn trace() -> bool {
    std::env::var("YAPDNS_MODEL_TRACE").as_deref() == Ok("1")
}

fn run_seed(seed: u64, steps: usize, window: &str, write_during_rotation: bool) -> Option<String> {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        tempfile::Builder::new()
            .prefix("yapdns-model-")
            .tempdir_in("/dev/shm")
    } else {
        tempfile::tempdir()
    }
    .unwrap();
    if trace() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("yapdns_agent=debug")
            .with_writer(std::io::stderr)
            .without_time()
            .try_init();
    }
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut m = Model::new(base.path().to_path_buf(), window, write_during_rotation);
    for _ in 0..steps {
        m.step(&mut rng);
    }
    m.settle(&mut rng);
    let (lost, twice) = m.verdict();
    if lost.is_empty() && twice.is_empty() {
        return None;
    }
    Some(format!(
        "seed {seed} (window {window}, writes during rotation: {write_during_rotation}): {} lines \
         written, {} in copytruncate windows; lost {:?}; counted more than once {:?} (first by \
         batches {:?})\noperations:\n{}",
        m.written,
        m.window.len(),
        &lost[..lost.len().min(20)],
        &twice[..twice.len().min(20)],
        twice.first().and_then(|(i, _)| m.by_batch.get(i)),
        m.ops.join("\n")
    ))
}

/// Seeds 1..=40, or `YAPDNS_MODEL_SEEDS=N` for 1..=N, or `YAPDNS_MODEL_SEED=S` for S alone.
fn seeds() -> std::ops::Range<u64> {
    let var = |name: &str| std::env::var(name).ok().and_then(|s| s.parse::<u64>().ok());
    match (var("YAPDNS_MODEL_SEED"), var("YAPDNS_MODEL_SEEDS")) {
        (Some(s), _) => s..s + 1,
        (None, Some(n)) => 1..n + 1,
        (None, None) => 1..41,
    }
}

fn check(window: &str, write_during_rotation: bool) {
    let mut failures = Vec::new();
    for seed in seeds() {
        if let Some(f) = run_seed(seed, 400, window, write_during_rotation) {
            failures.push((seed, f));
        }
    }
    if let Some((_, first)) = failures.first() {
        panic!(
            "{} of {} seeds failed ({:?}); the first:\n{first}",
            failures.len(),
            seeds().count(),
            failures.iter().map(|f| f.0).collect::<Vec<_>>()
        );
    }
}

/// Writes pause during the rotation (as in the end-to-end test): every line exactly once.
#[test]
fn copytruncate_kills_and_racing_scans_count_each_line_once() {
    check("1h", false);
}

/// Windows sealed at every read, so batches are small and many.
#[test]
fn copytruncate_with_tiny_windows_counts_each_line_once() {
    check("0s", false);
}

/// The writer keeps writing during the rotation: lines written after the copy passed them
/// may be lost (copytruncate's own window), but no line is ever counted twice.
#[test]
fn copytruncate_with_writes_during_rotation_never_counts_twice() {
    check("1h", true);
}

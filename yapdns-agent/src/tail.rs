//! Following log files: discovery, identity, rotation, reading, and sealing windows.
//!
//! The tailer runs on its own thread. Every `tail.scan_interval` it expands the input globs;
//! every `flush_interval` (or at once, while there is data) it reads what files gained, feeds
//! their parsers, and seals the merge window into the spool when it is due.
//!
//! **Identity.** A *lineage* is the content the agent follows, with a checkpoint entry. The
//! file carrying it is found by device and inode, checked against a fingerprint of its first
//! bytes ([`FP_BYTES`]); the fingerprint grows with the file until it covers those bytes.
//!
//! | event | what the agent sees | what it does |
//! |---|---|---|
//! | rename (logrotate `create`) | the inode is at another path, or at none | keeps reading it through the open descriptor to its end, then `rotate_wait` longer for late lines, then lets it go; the new file at the old path is a new lineage |
//! | deletion | the inode is at no path | same as a rename |
//! | truncation (`copytruncate`, `> file`) | size below the read position or the fingerprint, or the first bytes changed (checked after every read) | the old lineage is detached and a new one starts at byte 0 of the same inode |
//! | copy (`copytruncate`'s `file.1`, a move across file systems) | a new inode whose first bytes are those a followed file holds now (all, or a prefix while the copy is written), or those of a truncated one | while the original still holds those bytes, the copy is a *shadow* (held open, not read); once the original is truncated or gone, the copy carries the lineage on from its read position — or, shorter than that, is remembered as read |
//! | re-creation, inode reuse | a known inode with another fingerprint | a new lineage |
//! | gzip'd rotated file | gzip magic | skipped unless the input sets `gzip = true`; then read once, from where the uncompressed lineage was left |
//!
//! Files are listed by glob, then opened by name and checked through the descriptor to be the
//! inode listed: logrotate renames files while the agent scans, and a name may lead to another
//! file by the time it is opened. Empty files are not followed until they hold something.
//!
//! Whole-document formats (Cuckoo `report.json`, Thug logs) and zone files are read once
//! their size and modification time have been stable for `tail.settle`.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Read};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tracing::{debug, error, info, warn};
use yapdns_core::{AssociationView, NameView};
use yapdns_parsers::formats::FormatParser;
use yapdns_parsers::input::container::Unwrapped;
use yapdns_parsers::{
    detect_head, Emit, ErrorKind, Format, ParseError, ParseOptions, Record, Wrapper, DETECT_BYTES,
};

use crate::config::{Config, FormatChoice, ReadFrom, SpoolFull};
use crate::lines::{Encoding, FeedOut, LineFeeder, Mode};
use crate::registry::{
    now_ms, read_gz_head, read_head, Entry, Fingerprint, PositionedReader, FP_BYTES, MIN_FP_MATCH,
};
use crate::shared::Shared;
use crate::window::{Range, Sealed, Window};

/// Bytes read from one file per pass, so one busy file does not starve the others or delay
/// a due window.
const READ_BUDGET: u64 = 4 << 20;
/// Read size.
const CHUNK: usize = 256 * 1024;
/// Parse errors logged per file before they are only counted.
const ERRORS_LOGGED: u32 = 10;

struct InputRt {
    name: String,
    patterns: Vec<String>,
    exclude: Vec<glob::Pattern>,
    format: FormatChoice,
    opts: ParseOptions,
    read_from: ReadFrom,
    gzip: bool,
}

/// How a lineage is read.
enum Reader {
    /// `auto` input: the format is not known yet; reading starts at `start` once it is.
    Undetected { start: u64 },
    /// A growing file read line by line.
    Lines(LineFeeder),
    /// Read once when stable: documents, zone files, gzip'd files. `done_at` is the end
    /// offset once read.
    Whole { start: u64, done_at: Option<u64> },
    /// Not readable (format unknown); reported once.
    Skip,
}

struct Carrier {
    path: PathBuf,
    dev: u64,
    ino: u64,
    file: Option<File>,
    /// When the inode was last found at no matching path.
    gone_since: Option<Instant>,
    size: u64,
    mtime: Option<SystemTime>,
    nlink: u64,
    last_change: Instant,
    gzip: bool,
}

struct Lineage {
    entry: u64,
    input: usize,
    fp: Fingerprint,
    /// The bytes `fp` was made of (at most [`FP_BYTES`]): a copy is recognised by them even
    /// while it is being written, when it holds fewer bytes than the fingerprint covers.
    head: Vec<u8>,
    format: Option<Format>,
    reader: Reader,
    /// End of the ranges already sealed into the spool.
    sealed: u64,
    carrier: Option<Carrier>,
    /// Detached by a truncation and waiting for a copy to carry it on.
    orphan_since: Option<Instant>,
    /// When `seen_ms` was last written to the checkpoint.
    seen_recorded: i64,
    errors_logged: u32,
}

impl Lineage {
    fn read_pos(&self) -> u64 {
        match &self.reader {
            Reader::Lines(f) => f.read_pos(),
            Reader::Whole { start, done_at } => done_at.unwrap_or(*start),
            Reader::Undetected { start } => *start,
            Reader::Skip => self.sealed,
        }
    }

    fn safe(&self) -> u64 {
        match &self.reader {
            Reader::Lines(f) => f.safe(),
            _ => self.read_pos(),
        }
    }

    fn path(&self) -> &Path {
        self.carrier
            .as_ref()
            .map_or(Path::new("?"), |c| c.path.as_path())
    }
}

/// A copy of a lineage that is still read from its original: not read itself, but held open
/// (by descriptor, so a rename by logrotate cannot swap it for another file) to carry the
/// lineage on once the original is truncated or removed.
struct Shadow {
    path: PathBuf,
    input: usize,
    target: u64,
    file: File,
}

/// What became of a lineage offered a copy to carry it on.
#[derive(Debug, PartialEq, Eq)]
enum Adopted {
    /// The copy carries the lineage on from its read position.
    Carried,
    /// The copy holds nothing the lineage has not read (it is shorter than the read
    /// position): the lineage is finished, and the copy is remembered as read.
    Finished,
    /// Not a copy of this lineage (any more), or unreadable.
    No,
}

/// True when a file's first bytes are those of a followed file still holding them (its first
/// bytes as they are now): a copy being written holds a prefix of them, a finished copy all
/// of them. A file holding *more* than the original is not its copy (two files sharing a
/// header line are not copies of each other).
fn copy_of_live(copy: &[u8], original: &[u8]) -> bool {
    !copy.is_empty() && original.starts_with(copy)
}

/// A copy's first bytes are trusted to be those of a truncated lineage when they hold all of
/// the lineage's first bytes, or a prefix of them long enough not to be a coincidence (or
/// ending with a whole line).
fn copy_of_orphan(copy: &[u8], lineage: &[u8]) -> bool {
    if copy.is_empty() || lineage.is_empty() {
        return false;
    }
    copy.starts_with(lineage)
        || (lineage.starts_with(copy)
            && (copy.len() >= MIN_FP_MATCH as usize || copy.ends_with(b"\n")))
}

struct Candidate {
    input: usize,
    path: PathBuf,
    dev: u64,
    ino: u64,
    size: u64,
    mtime: Option<SystemTime>,
}

/// The reading half of the agent.
pub struct Tailer {
    cfg: Arc<Config>,
    shared: Arc<Shared>,
    inputs: Vec<InputRt>,
    agent_id: String,
    lineages: HashMap<u64, Lineage>,
    by_inode: HashMap<(u64, u64), u64>,
    shadows: HashMap<(u64, u64), Shadow>,
    /// Furthest sealed end per entry, including entries no longer followed.
    sealed_end: HashMap<u64, u64>,
    /// Safe offset handed to the window by lineages no longer followed (released, finished):
    /// if the file comes back before that window is sealed, it resumes there, not before.
    handed: HashMap<u64, u64>,
    skipped: HashSet<(u64, u64)>,
    window: Window,
    out: FeedOut,
    buf: Vec<u8>,
    unsaved: Option<Sealed>,
    last_scan: Option<Instant>,
    scan_now: bool,
    first_scan: bool,
    last_gauges: Instant,
    last_spool_error: Option<Instant>,
    /// False when the server output was told not to take name sightings.
    ship_names: bool,
    /// Inputs that had checkpoints at start-up: `read_from = "end"` does not apply to them
    /// (a file that appeared while the agent was stopped is new, and read whole).
    known_inputs: HashSet<String>,
}

fn mtime_of(m: &fs::Metadata) -> Option<SystemTime> {
    m.modified().ok()
}

fn ms_of(t: Option<SystemTime>) -> i64 {
    t.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis() as i64)
}

fn is_gzip(path: &Path, file: &File) -> bool {
    if path.extension().and_then(|e| e.to_str()) == Some("gz") {
        return true;
    }
    let mut m = [0u8; 2];
    matches!(file.read_at(&mut m, 0), Ok(2)) && m == [0x1f, 0x8b]
}

/// The encoding of a file: UTF-16 when it starts with a UTF-16 byte-order mark (Windows DNS
/// logs written "as Unicode"), else bytes as the parsers read them.
fn encoding_of(file: &File) -> Encoding {
    let mut m = [0u8; 2];
    match file.read_at(&mut m, 0) {
        Ok(2) if m == [0xff, 0xfe] => Encoding::Utf16 { big_endian: false },
        Ok(2) if m == [0xfe, 0xff] => Encoding::Utf16 { big_endian: true },
        _ => Encoding::Bytes,
    }
}

/// The container runtime's wrapper of a file's lines, told by its first line (decompressed).
fn wrapper_of(file: &File) -> Option<Wrapper> {
    let file = file.try_clone().ok()?;
    let mut head = Vec::new();
    yapdns_parsers::input::decode_input(PositionedReader { file, pos: 0 })
        .and_then(|r| r.take(DETECT_BYTES as u64).read_to_end(&mut head))
        .ok()?;
    Wrapper::detect(&head)
}

/// Multi-line formats need the safe-offset rule of [`Mode::MultiLine`].
fn mode_of(f: Format) -> Mode {
    match f {
        Format::MsDns => Mode::MultiLine(msdns_record_start),
        _ => Mode::Line,
    }
}

/// Where a Microsoft DNS record starts: a packet line (`<date> <time> <thread> PACKET …`) or
/// a log file header, the lines at which the parser closes the open packet dump. Indented
/// lines, `UDP response info at …` and other timestamped lines (events, notes) belong to the
/// dump before them.
fn msdns_record_start(line: &[u8]) -> bool {
    match line.first() {
        Some(b) if b.is_ascii_digit() => memchr::memmem::find(line, b" PACKET ").is_some(),
        _ => {
            line.starts_with(b"DNS Server log file creation at")
                || line.starts_with(b"Log file wrap at")
        }
    }
}

/// Formats read once as a whole when the file is stable.
fn is_whole(f: Format) -> bool {
    f.is_document() || f == Format::BindZone
}

/// The end of the last complete line at or before `size`: where `read_from = "end"` starts.
fn last_line_end(file: &File, size: u64) -> u64 {
    if let Encoding::Utf16 { big_endian } = encoding_of(file) {
        return last_line_end_utf16(file, size, big_endian);
    }
    let mut pos = size;
    let mut buf = vec![0u8; 64 * 1024];
    while pos > 0 {
        let n = (pos as usize).min(buf.len());
        let start = pos - n as u64;
        match file.read_exact_at(&mut buf[..n], start) {
            Ok(()) => {}
            Err(_) => return size,
        }
        if let Some(i) = memchr::memrchr(b'\n', &buf[..n]) {
            return start + i as u64 + 1;
        }
        pos = start;
    }
    0
}

/// [`last_line_end`] for UTF-16: the end of the last U+000A code unit.
fn last_line_end_utf16(file: &File, size: u64, big_endian: bool) -> u64 {
    let nl: [u8; 2] = if big_endian { [0, b'\n'] } else { [b'\n', 0] };
    let mut end = size & !1;
    let mut buf = vec![0u8; 64 * 1024];
    while end > 0 {
        let n = (end as usize).min(buf.len());
        let start = end - n as u64;
        if file.read_exact_at(&mut buf[..n], start).is_err() {
            return size & !1;
        }
        let mut i = n;
        while i >= 2 {
            if buf[i - 2..i] == nl {
                return start + i as u64;
            }
            i -= 2;
        }
        end = start;
    }
    0
}

impl Tailer {
    /// A tailer for `cfg`, resuming from the checkpoints and the spool in `shared`.
    pub fn new(cfg: Arc<Config>, shared: Arc<Shared>) -> Tailer {
        let inputs = cfg
            .inputs
            .iter()
            .enumerate()
            .map(|(i, inp)| InputRt {
                name: inp.display_name(i),
                patterns: inp.paths.clone(),
                exclude: inp
                    .exclude
                    .iter()
                    .filter_map(|p| glob::Pattern::new(p).ok())
                    .collect(),
                format: inp.format,
                opts: ParseOptions {
                    sensor: inp.sensor.clone(),
                    timezone: inp.timezone,
                    ..ParseOptions::default()
                },
                read_from: inp.read_from,
                gzip: inp.gzip,
            })
            .collect();
        let mut sealed_end: HashMap<u64, u64> = HashMap::new();
        {
            let mut reg = shared.registry();
            for e in shared.spool.entries() {
                for r in &e.header.ranges {
                    let end = sealed_end.entry(r.entry).or_default();
                    *end = (*end).max(r.end);
                    // An entry the spool knows but the checkpoints lost (they are written
                    // after the spool) is rebuilt from the range.
                    if reg.get(r.entry).is_none() {
                        reg.insert(Entry {
                            id: r.entry,
                            input: String::new(),
                            path: r.path.clone(),
                            dev: r.dev,
                            ino: r.ino,
                            fp: r.fp.clone(),
                            format: None,
                            offset: 0,
                            done: false,
                            size: 0,
                            mtime_ms: 0,
                            seen_ms: now_ms(),
                        });
                    }
                }
            }
        }
        let agent_id = shared.registry().agent_id.clone();
        let known_inputs = shared
            .registry()
            .entries()
            .map(|e| e.input.clone())
            .collect();
        Tailer {
            known_inputs,
            ship_names: cfg.output.server.as_ref().is_none_or(|s| s.names),
            cfg,
            shared,
            inputs,
            agent_id,
            lineages: HashMap::new(),
            by_inode: HashMap::new(),
            shadows: HashMap::new(),
            sealed_end,
            handed: HashMap::new(),
            skipped: HashSet::new(),
            window: Window::default(),
            out: FeedOut::default(),
            buf: vec![0u8; CHUNK],
            unsaved: None,
            last_scan: None,
            scan_now: true,
            first_scan: true,
            last_gauges: Instant::now(),
            last_spool_error: None,
        }
    }

    /// Runs until shutdown is requested, then seals what was read and returns.
    pub fn run(mut self) {
        while !self.shared.stopping() {
            let progressed = self.tick();
            if !progressed {
                // Sleep in slices so a shutdown request is seen quickly.
                let until = Instant::now() + self.cfg.flush_interval;
                while Instant::now() < until && !self.shared.stopping() && !self.scan_now {
                    std::thread::sleep(Duration::from_millis(20).min(self.cfg.flush_interval));
                }
            }
        }
        self.seal();
        if self.unsaved.is_some() {
            error!("shutting down with a window that could not be written to the spool; its lines will be read again at the next start");
        }
        self.persist();
        info!("reader stopped; everything read is sealed into the spool");
        self.shared
            .reader_done
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// One pass: scan if due, read every file once, seal if due. True when anything was read.
    pub fn tick(&mut self) -> bool {
        let now = Instant::now();
        if self.scan_now
            || self
                .last_scan
                .is_none_or(|t| now.duration_since(t) >= self.cfg.tail.scan_interval)
        {
            self.scan_now = false;
            self.last_scan = Some(now);
            self.scan();
        }
        if self.unsaved.is_some() {
            self.retry_unsaved();
        }
        let paused = self.unsaved.is_some()
            || (self.cfg.on_spool_full == SpoolFull::Pause && self.shared.spool.is_full());
        self.shared.metrics.reading_paused.set(u64::from(paused));
        let mut progressed = false;
        let mut ids: Vec<u64> = self.lineages.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            if self.shared.stopping() {
                break;
            }
            let Some(mut lin) = self.lineages.remove(&id) else {
                continue;
            };
            let (keep, p) = self.poll(&mut lin, paused);
            progressed |= p;
            if keep {
                self.lineages.insert(id, lin);
            }
            if self.window.due(
                Instant::now(),
                self.cfg.aggregate.window,
                self.cfg.aggregate.max_entries,
            ) {
                self.seal();
            }
        }
        if self.window.due(
            Instant::now(),
            self.cfg.aggregate.window,
            self.cfg.aggregate.max_entries,
        ) {
            self.seal();
        }
        if now.duration_since(self.last_gauges) >= Duration::from_secs(1) {
            self.gauges();
        }
        progressed && !paused
    }

    fn persist(&self) {
        if let Err(e) = self.shared.registry().persist() {
            error!(error = %e, "cannot write checkpoints");
        }
    }

    // ---- discovery -------------------------------------------------------------------

    fn collect(&self) -> Vec<Candidate> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (i, inp) in self.inputs.iter().enumerate() {
            for pat in &inp.patterns {
                let paths = match glob::glob(pat) {
                    Ok(p) => p,
                    Err(e) => {
                        warn!(input = %inp.name, pattern = %pat, error = %e, "bad glob");
                        continue;
                    }
                };
                for p in paths {
                    let path = match p {
                        Ok(p) => p,
                        Err(e) => {
                            debug!(input = %inp.name, error = %e, "cannot list a directory");
                            continue;
                        }
                    };
                    if inp.exclude.iter().any(|x| x.matches_path(&path)) {
                        continue;
                    }
                    let Ok(m) = fs::metadata(&path) else { continue };
                    if !m.is_file() || !seen.insert((m.dev(), m.ino())) {
                        continue;
                    }
                    out.push(Candidate {
                        input: i,
                        path,
                        dev: m.dev(),
                        ino: m.ino(),
                        size: m.len(),
                        mtime: mtime_of(&m),
                    });
                }
            }
        }
        out
    }

    fn scan(&mut self) {
        let cands = self.collect();
        self.scan_with(cands);
    }

    /// The scan after the globs were expanded. `cands` may already be stale — logrotate
    /// renames files while the agent scans — so a file is only ever opened by name and then
    /// checked, through its descriptor, to be the inode it was listed as; if it is not, it is
    /// looked at again at the next scan.
    fn scan_with(&mut self, cands: Vec<Candidate>) {
        let now = Instant::now();
        let seen: HashSet<(u64, u64)> = cands.iter().map(|c| (c.dev, c.ino)).collect();
        self.shadows.retain(|k, _| seen.contains(k));
        let reg_index: HashMap<(u64, u64), u64> = self
            .shared
            .registry()
            .entries()
            .filter(|e| e.dev != 0 || e.ino != 0)
            .map(|e| ((e.dev, e.ino), e.id))
            .collect();
        let mut fresh = Vec::new();
        for mut c in cands {
            let key = (c.dev, c.ino);
            if let Some(&id) = self.by_inode.get(&key) {
                self.seen_at(id, &c);
                continue;
            }
            if let Some(s) = self.shadows.get_mut(&key) {
                s.path = c.path.clone();
                continue;
            }
            if self.skipped.contains(&key) {
                continue;
            }
            if let Some(&id) = reg_index.get(&key) {
                if !self.lineages.contains_key(&id) && self.resume_known(id, &mut c) {
                    continue;
                }
            }
            fresh.push(c);
        }
        if !self.shadows.is_empty() || fresh.iter().any(|c| c.size > 0) {
            self.check_carriers();
            self.check_shadows();
        }
        for c in fresh {
            self.discover(c, &seen);
        }
        for lin in self.lineages.values_mut() {
            if let Some(car) = &mut lin.carrier {
                if !seen.contains(&(car.dev, car.ino)) && car.gone_since.is_none() {
                    car.gone_since = Some(now);
                    car.last_change = now;
                    info!(path = %car.path.display(), "file renamed away or deleted; reading it to its end");
                }
            }
        }
        self.resolve_shadows();
        self.skipped.retain(|k| seen.contains(k));
        self.prune();
        self.first_scan = false;
        self.persist();
    }

    /// A followed inode met at a path.
    fn seen_at(&mut self, id: u64, c: &Candidate) {
        let Some(lin) = self.lineages.get_mut(&id) else {
            return;
        };
        let Some(car) = &mut lin.carrier else { return };
        let renamed = car.path != c.path;
        if renamed {
            info!(from = %car.path.display(), to = %c.path.display(), "file renamed");
            car.path = c.path.clone();
        }
        if car.gone_since.take().is_some() {
            debug!(path = %car.path.display(), "file matches the globs again");
        }
        // The checkpoint records the path and, hourly, that the file is still there.
        let now = now_ms();
        if renamed || now - lin.seen_recorded > 3_600_000 {
            lin.seen_recorded = now;
            let path = car.path.clone();
            self.shared.registry().update(id, |e| {
                e.path = path;
                e.seen_ms = now;
            });
        }
    }

    /// Opens a listed file and checks, through the descriptor, that it is still the inode it
    /// was listed as; refreshes its size and modification time. `None` when it cannot be
    /// opened (reported, and skipped while it stays) or is now another file, or gone (looked
    /// at again at the next scan).
    fn open_checked(&mut self, c: &mut Candidate) -> Option<File> {
        let file = match File::open(&c.path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.scan_now = true;
                return None;
            }
            Err(e) => {
                warn!(path = %c.path.display(), error = %e, "cannot open");
                self.shared
                    .metrics
                    .files_skipped
                    .add(&[("reason", "unreadable")], 1);
                self.skipped.insert((c.dev, c.ino));
                return None;
            }
        };
        let m = file.metadata().ok()?;
        if (m.dev(), m.ino()) != (c.dev, c.ino) {
            debug!(path = %c.path.display(),
                   "another file took this name during the scan (a rotation); looked at again at the next scan");
            self.scan_now = true;
            return None;
        }
        c.size = m.len();
        c.mtime = mtime_of(&m);
        Some(file)
    }

    /// The first bytes of an open file (decompressed for gzip).
    fn head_of(file: &File, gz: bool) -> io::Result<Vec<u8>> {
        if gz {
            read_gz_head(file)
        } else {
            read_head(file)
        }
    }

    /// Where a lineage resumes: after everything acknowledged, spooled, or handed to the
    /// window by an earlier carrier.
    fn resume_point(&self, id: u64, offset: u64) -> u64 {
        offset
            .max(self.sealed_end.get(&id).copied().unwrap_or(0))
            .max(self.handed.get(&id).copied().unwrap_or(0))
    }

    /// An inode the checkpoints know but nobody follows now (after a restart, or a finished
    /// document). True when handled (for this scan).
    fn resume_known(&mut self, id: u64, c: &mut Candidate) -> bool {
        let Some(e) = self.shared.registry().get(id).cloned() else {
            return false;
        };
        if e.done && e.size == c.size && e.mtime_ms == ms_of(c.mtime) {
            // Still there: keep its checkpoint, or it would be read again once forgotten.
            let now = now_ms();
            if now - e.seen_ms > 3_600_000 {
                self.shared.registry().update(id, |x| x.seen_ms = now);
            }
            return true;
        }
        let Some(file) = self.open_checked(c) else {
            return true;
        };
        let gz = is_gzip(&c.path, &file);
        let Ok(head) = Self::head_of(&file, gz) else {
            return false;
        };
        if !e.fp.matches(&head) {
            info!(path = %c.path.display(), "inode reused by a new file");
            self.shared.registry().update(id, |e| {
                e.dev = 0;
                e.ino = 0;
            });
            return false;
        }
        if e.done {
            if c.size != e.size {
                warn!(path = %c.path.display(), "a document changed after it was read; it is not read again");
            }
            self.shared.registry().update(id, |x| {
                x.size = c.size;
                x.mtime_ms = ms_of(c.mtime);
                x.seen_ms = now_ms();
            });
            return true;
        }
        let resume = self.resume_point(id, e.offset);
        if !gz && c.size < resume && e.size == c.size && e.mtime_ms == ms_of(c.mtime) {
            // Unchanged since it was found to be a copy holding only lines already read (see
            // `remember_read_copy`). Once those lines are all acknowledged it is simply done.
            if e.offset >= c.size {
                self.shared.registry().update(id, |x| {
                    x.done = true;
                    x.seen_ms = now_ms();
                });
            }
            return true;
        }
        if !gz && c.size < resume {
            warn!(path = %c.path.display(), offset = resume, size = c.size,
                  "file is shorter than its checkpoint: truncated while the agent was away; reading it from the start");
            self.shared.registry().update(id, |e| {
                e.dev = 0;
                e.ino = 0;
            });
            self.discover_opened(c, file, head, gz, Some(0));
            return true;
        }
        let format = e.format.as_deref().and_then(|f| f.parse::<Format>().ok());
        debug!(path = %c.path.display(), offset = resume, "resuming");
        self.follow(id, c, file, gz, resume, format, head);
        let now = now_ms();
        self.shared.registry().update(id, |x| {
            x.path = c.path.clone();
            x.seen_ms = now;
        });
        true
    }

    /// The lineage a new file is a copy of, by its first bytes: one still read from its
    /// original (`false`: the copy is a shadow), or one whose original was truncated (`true`:
    /// the copy carries it on).
    fn copy_target(&self, head: &[u8]) -> Option<(u64, bool)> {
        self.lineages.values().find_map(|l| match &l.carrier {
            None => copy_of_orphan(head, &l.head).then_some((l.entry, true)),
            Some(car) => ((car.gone_since.is_none() || car.file.is_some())
                && copy_of_live(head, &l.head))
            .then_some((l.entry, false)),
        })
    }

    /// A checkpoint entry no file follows whose first bytes `head` starts with.
    fn known_by_content(&self, head: &[u8]) -> Option<Entry> {
        let short = Fingerprint::short_of(head);
        let reg = self.shared.registry();
        let found = reg
            .entries()
            .find(|e| {
                if self.lineages.contains_key(&e.id) || e.fp.len == 0 {
                    return false;
                }
                let detached = e.dev == 0 && e.ino == 0;
                if e.fp.len >= MIN_FP_MATCH {
                    short.as_deref() == Some(e.fp.short.as_str())
                        && (e.fp.matches(head)
                            // A copy holding fewer bytes than the fingerprint of a file since
                            // truncated (the agent read lines written after the copy was
                            // made): recognised by the bytes the short hash covers.
                            || (detached && head.len() < e.fp.len as usize))
                } else {
                    // A file too young for a trusted fingerprint is only recognised once its
                    // original is gone (truncated or deleted), by whole lines.
                    detached
                        && head.get(e.fp.len as usize - 1) == Some(&b'\n')
                        && e.fp.matches(head)
                }
            })
            .cloned();
        found
    }

    fn discover(&mut self, mut c: Candidate, seen: &HashSet<(u64, u64)>) {
        if c.size == 0 {
            // Nothing to read yet; and an empty new file may be a copy about to be written.
            return;
        }
        let Some(file) = self.open_checked(&mut c) else {
            return;
        };
        let gz = is_gzip(&c.path, &file);
        if gz && !self.inputs[c.input].gzip {
            debug!(path = %c.path.display(), "compressed file skipped (set gzip = true to read it)");
            self.shared
                .metrics
                .files_skipped
                .add(&[("reason", "gzip")], 1);
            self.skipped.insert((c.dev, c.ino));
            return;
        }
        let head = match Self::head_of(&file, gz) {
            Ok(h) => h,
            Err(e) => {
                warn!(path = %c.path.display(), error = %e, "cannot read");
                return;
            }
        };
        if head.is_empty() {
            return;
        }
        let key = (c.dev, c.ino);
        if let Some((id, orphan)) = self.copy_target(&head) {
            if !orphan {
                let of = self
                    .lineages
                    .get(&id)
                    .map(|l| l.path().to_path_buf())
                    .unwrap_or_default();
                info!(path = %c.path.display(), of = %of.display(),
                      "file is a copy of one being read; it takes over if the original is truncated or removed");
                self.shadows.insert(
                    key,
                    Shadow {
                        path: c.path.clone(),
                        input: c.input,
                        target: id,
                        file,
                    },
                );
                return;
            }
            // The copy of a file that was truncated: it carries the lineage on.
            if let Some(mut lin) = self.lineages.remove(&id) {
                let r = self.adopt(&mut lin, &file, &c.path, key, c.input);
                if r != Adopted::Finished {
                    self.lineages.insert(id, lin);
                }
                if r != Adopted::No {
                    return;
                }
            }
        }
        // A lineage known from the checkpoints whose file is gone (moved, or truncated while
        // the agent was away) or a copy of a finished document.
        if let Some(e) = self.known_by_content(&head) {
            if e.done {
                debug!(path = %c.path.display(), of = %e.path.display(), "copy of a file already read; skipped");
                self.skipped.insert(key);
                return;
            }
            if (e.dev != 0 || e.ino != 0) && seen.contains(&(e.dev, e.ino)) {
                // Its original is there but not followed yet (it changed name during this
                // scan): the next scan decides.
                self.scan_now = true;
                return;
            }
            let resume = self.resume_point(e.id, e.offset);
            if gz || c.size >= resume {
                info!(path = %c.path.display(), of = %e.path.display(), offset = resume,
                      "file carries on a known file (moved or copied); reading it from its checkpoint");
                let format = e.format.as_deref().and_then(|f| f.parse::<Format>().ok());
                self.follow(e.id, &c, file, gz, resume, format, head);
                self.shared.registry().update(e.id, |x| {
                    x.dev = c.dev;
                    x.ino = c.ino;
                    x.path = c.path.clone();
                    x.seen_ms = now_ms();
                });
                return;
            }
            // Shorter than what was read: a copy taken before the lines the agent then read
            // from the original (copytruncate while the writer kept writing). Nothing in it
            // is new; it is remembered as read.
            info!(path = %c.path.display(), of = %e.path.display(), offset = resume, size = c.size,
                  "file is a copy of lines already read; not read again");
            self.remember_read_copy(e.id, &c, &head);
            return;
        }
        self.discover_opened(&c, file, head, gz, None);
    }

    /// `entry` is finished and carried by the copy `c`, which holds nothing unread: the
    /// checkpoint now points at the copy with its size and modification time, so that no
    /// later scan or restart reads it again (see `resume_known`). It is not marked done
    /// before its lines are acknowledged: should the agent die first, the copy is read
    /// again from the checkpoint.
    fn remember_read_copy(&mut self, entry: u64, c: &Candidate, head: &[u8]) {
        let now = now_ms();
        self.shared.registry().update(entry, |x| {
            if head.len() < x.fp.len as usize {
                // The copy holds fewer first bytes than the original showed: it is the
                // reference now.
                x.fp = Fingerprint::of(head);
            }
            x.dev = c.dev;
            x.ino = c.ino;
            x.path = c.path.clone();
            x.size = c.size;
            x.mtime_ms = ms_of(c.mtime);
            x.seen_ms = now;
        });
        self.shadows.remove(&(c.dev, c.ino));
        self.persist();
    }

    /// A new lineage for an opened file.
    fn discover_opened(
        &mut self,
        c: &Candidate,
        file: File,
        head: Vec<u8>,
        gz: bool,
        start: Option<u64>,
    ) {
        let inp = &self.inputs[c.input];
        let start = start.unwrap_or_else(|| {
            if self.first_scan
                && inp.read_from == ReadFrom::End
                && !gz
                && !self.known_inputs.contains(&inp.name)
            {
                last_line_end(&file, c.size)
            } else {
                0
            }
        });
        let id;
        {
            let mut reg = self.shared.registry();
            id = reg.new_id();
            reg.insert(Entry {
                id,
                input: inp.name.clone(),
                path: c.path.clone(),
                dev: c.dev,
                ino: c.ino,
                fp: Fingerprint::of(&head),
                format: None,
                offset: start,
                done: false,
                size: c.size,
                mtime_ms: ms_of(c.mtime),
                seen_ms: now_ms(),
            });
        }
        info!(input = %inp.name, path = %c.path.display(), offset = start, "following new file");
        // Written with the other changes at the end of the scan.
        self.follow(id, c, file, gz, start, None, head);
    }

    /// Follows entry `id` in the opened file `c` from `start`. `head` is the file's first
    /// bytes, already checked to belong to the entry.
    #[allow(clippy::too_many_arguments)]
    fn follow(
        &mut self,
        id: u64,
        c: &Candidate,
        file: File,
        gz: bool,
        start: u64,
        format: Option<Format>,
        mut head: Vec<u8>,
    ) {
        let inp = &self.inputs[c.input];
        let format = format.or(match inp.format {
            FormatChoice::Fixed(f) => Some(f),
            FormatChoice::Auto => None,
        });
        head.truncate(FP_BYTES);
        let mut fp = self
            .shared
            .registry()
            .get(id)
            .map(|e| e.fp.clone())
            .unwrap_or_default();
        // The file's first bytes as they are now: more than when the entry was made (a young
        // file grew), or fewer (a copy taken before lines the original then gained).
        if !head.is_empty() && (head.len() != fp.len as usize || !fp.matches(&head)) {
            fp = Fingerprint::of(&head);
            let f2 = fp.clone();
            self.shared.registry().update(id, |e| e.fp = f2);
        }
        let reader = match format {
            Some(f) => self.make_reader(f, c.input, start, gz, &file),
            None => Reader::Undetected { start },
        };
        let lin = Lineage {
            entry: id,
            input: c.input,
            fp,
            head,
            format,
            reader,
            sealed: start,
            carrier: Some(Carrier {
                path: c.path.clone(),
                dev: c.dev,
                ino: c.ino,
                file: Some(file),
                gone_since: None,
                size: c.size,
                mtime: c.mtime,
                nlink: 1,
                last_change: Instant::now(),
                gzip: gz,
            }),
            orphan_since: None,
            seen_recorded: now_ms(),
            errors_logged: 0,
        };
        if let Some(f) = format {
            self.shared
                .registry()
                .update(id, |e| e.format = Some(f.name().to_string()));
        }
        self.handed.remove(&id);
        self.by_inode.insert((c.dev, c.ino), id);
        self.lineages.insert(id, lin);
    }

    fn make_reader(&self, f: Format, input: usize, start: u64, gz: bool, file: &File) -> Reader {
        if gz || is_whole(f) {
            return Reader::Whole {
                start,
                done_at: None,
            };
        }
        let encoding = encoding_of(file);
        let max = usize::try_from(self.cfg.max_line_bytes).unwrap_or(usize::MAX);
        // UTF-16 lines end on code units: a checkpoint is always even.
        let start = match encoding {
            Encoding::Utf16 { .. } => start & !1,
            Encoding::Bytes => start,
        };
        let wrapper = wrapper_of(file);
        // A container runtime's records are lines of their own: a multi-line format's record
        // start is not told from them, so each record is taken as safe to resume after.
        let mode = match wrapper {
            Some(_) => Mode::Line,
            None => mode_of(f),
        };
        let parser = self.parser(f, input, wrapper);
        Reader::Lines(LineFeeder::new(parser, mode, start, max).with_encoding(encoding))
    }

    /// The parser of `input`'s files in format `f`, taking the lines out of `wrapper`'s
    /// records first when they are a container runtime's log.
    fn parser(&self, f: Format, input: usize, wrapper: Option<Wrapper>) -> Box<dyn FormatParser> {
        let parser = f.parser(&self.inputs[input].opts);
        match wrapper {
            Some(w) => {
                let max = usize::try_from(self.cfg.max_line_bytes).unwrap_or(usize::MAX);
                Box::new(Unwrapped::new(w, parser, max))
            }
            None => parser,
        }
    }

    /// Offers `lin` (an orphan, or a lineage whose file is going away) the copy open as
    /// `file`: the copy carries it on from its read position, or — when the copy is shorter
    /// than that (it was taken before lines the agent then read from the original) — holds
    /// nothing new, and the lineage is finished (the caller drops it).
    fn adopt(
        &mut self,
        lin: &mut Lineage,
        file: &File,
        path: &Path,
        key: (u64, u64),
        input: usize,
    ) -> Adopted {
        let Ok(m) = file.metadata() else {
            return Adopted::No;
        };
        let gz = is_gzip(path, file);
        let Ok(head) = Self::head_of(file, gz) else {
            return Adopted::No;
        };
        if !copy_of_orphan(&head, &lin.head) {
            return Adopted::No;
        }
        let old = lin.path().to_path_buf();
        if !gz && m.len() < lin.read_pos() {
            self.finish_into_copy(lin, path, key, &m, &head);
            return Adopted::Finished;
        }
        let Ok(file) = file.try_clone() else {
            return Adopted::No;
        };
        if let Some(old) = &lin.carrier {
            self.by_inode.remove(&(old.dev, old.ino));
        }
        info!(path = %path.display(), of = %old.display(), offset = lin.read_pos(),
              "copy takes over the lineage of a truncated or removed file");
        lin.carrier = Some(Carrier {
            path: path.to_path_buf(),
            dev: key.0,
            ino: key.1,
            file: Some(file),
            gone_since: None,
            size: m.len(),
            mtime: mtime_of(&m),
            nlink: m.nlink(),
            last_change: Instant::now(),
            gzip: gz,
        });
        if gz {
            if let Reader::Lines(_) = lin.reader {
                let start = lin.read_pos();
                lin.reader = Reader::Whole {
                    start,
                    done_at: None,
                };
            }
        }
        // The copy may hold fewer first bytes than the original showed (lines written after
        // the copy): from now on the copy is the reference.
        if head.len() < lin.head.len() {
            lin.head = head;
            lin.fp = Fingerprint::of(&lin.head);
        }
        lin.input = input;
        lin.orphan_since = None;
        self.by_inode.insert(key, lin.entry);
        self.shadows.remove(&key);
        let fp = lin.fp.clone();
        self.shared.registry().update(lin.entry, |e| {
            e.dev = key.0;
            e.ino = key.1;
            e.path = path.to_path_buf();
            e.fp = fp;
            e.seen_ms = now_ms();
        });
        self.persist();
        Adopted::Carried
    }

    /// The copy of `lin` holds only lines already read: what the lineage has read is handed
    /// to the window, an unfinished last line is dropped (its end was lost with the
    /// original), and the checkpoint moves to the copy, marked read.
    fn finish_into_copy(
        &mut self,
        lin: &mut Lineage,
        path: &Path,
        key: (u64, u64),
        m: &fs::Metadata,
        head: &[u8],
    ) {
        let dropped = match &mut lin.reader {
            Reader::Lines(f) => f.abandon(&mut self.out),
            _ => 0,
        };
        if dropped > 0 {
            self.shared
                .metrics
                .bytes_lost
                .add(&[("reason", "truncated")], dropped);
            warn!(path = %path.display(), bytes = dropped,
                  "the end of a line was lost when its file was truncated");
        }
        info!(path = %path.display(), of = %lin.path().display(), read_offset = lin.read_pos(), size = m.len(),
              "copy of a truncated file holds only lines already read; nothing more to read from it");
        self.absorb(lin);
        self.hand_over(lin);
        if let Some(old) = lin.carrier.take() {
            self.by_inode.remove(&(old.dev, old.ino));
        }
        let c = Candidate {
            input: lin.input,
            path: path.to_path_buf(),
            dev: key.0,
            ino: key.1,
            size: m.len(),
            mtime: mtime_of(m),
        };
        self.remember_read_copy(lin.entry, &c, head);
    }

    /// `lin` stops being followed: remember how far it handed lines to the window.
    fn hand_over(&mut self, lin: &Lineage) {
        let end = self.handed.entry(lin.entry).or_default();
        *end = (*end).max(lin.safe());
    }

    /// Before new files are matched against followed ones, each followed file is checked
    /// against the first bytes it is known by: one truncated since its last read is handled
    /// now (so that a copy of what it holds *now* is not taken for a new file), and a young
    /// one's first bytes are brought up to date (so that a copy of it is recognised).
    fn check_carriers(&mut self) {
        let ids: Vec<u64> = self.lineages.keys().copied().collect();
        for id in ids {
            let Some(mut lin) = self.lineages.remove(&id) else {
                continue;
            };
            if self.check_carrier(&mut lin) {
                self.lineages.insert(id, lin);
            }
        }
    }

    /// See [`Tailer::check_carriers`]. Returns whether the lineage is kept.
    fn check_carrier(&mut self, lin: &mut Lineage) -> bool {
        if !matches!(lin.reader, Reader::Lines(_)) {
            return true;
        }
        let Some(file) = lin.carrier.as_ref().and_then(|c| c.file.as_ref()) else {
            return true;
        };
        let (Ok(m), Ok(head)) = (file.metadata(), read_head(file)) else {
            return true;
        };
        if m.len() < lin.read_pos() || !head.starts_with(&lin.head) {
            return self.truncated(lin, "its first bytes changed");
        }
        if head.len() > lin.head.len() {
            lin.head = head;
            lin.fp = Fingerprint::of(&lin.head);
            let fp = lin.fp.clone();
            self.shared.registry().update(lin.entry, |e| e.fp = fp);
        }
        true
    }

    /// Drops shadows that turned out not to be copies: a file that started like a followed
    /// one (a copy being written holds a prefix of it) but then differed from it.
    fn check_shadows(&mut self) {
        let mut drop = Vec::new();
        for (key, s) in &self.shadows {
            match self.lineages.get(&s.target) {
                Some(l) if l.carrier.is_some() => {
                    let head =
                        Self::head_of(&s.file, is_gzip(&s.path, &s.file)).unwrap_or_default();
                    if !copy_of_live(&head, &l.head) {
                        debug!(path = %s.path.display(), "not a copy after all; read as a file of its own");
                        drop.push(*key);
                    }
                }
                Some(_) => {}
                // The original was read to its end and let go: the copy is known by content
                // (and skipped, or read from the checkpoint).
                None => drop.push(*key),
            }
        }
        for k in drop {
            self.shadows.remove(&k);
        }
    }

    /// Shadows whose original no longer holds their bytes take over.
    fn resolve_shadows(&mut self) {
        let keys: Vec<(u64, u64)> = self.shadows.keys().copied().collect();
        for key in keys {
            let orphan = self
                .shadows
                .get(&key)
                .and_then(|s| self.lineages.get(&s.target))
                .is_some_and(|l| l.carrier.is_none());
            if orphan {
                self.adopt_shadow(key);
            }
        }
    }

    /// Offers the shadow `key` to its target lineage. Returns what happened; the shadow is
    /// gone either way (a copy that did not fit is looked at again at the next scan).
    fn adopt_shadow(&mut self, key: (u64, u64)) -> Adopted {
        let Some(s) = self.shadows.remove(&key) else {
            return Adopted::No;
        };
        let Some(mut lin) = self.lineages.remove(&s.target) else {
            return Adopted::No;
        };
        let r = self.adopt(&mut lin, &s.file, &s.path, key, s.input);
        if r != Adopted::Finished {
            self.lineages.insert(s.target, lin);
        }
        r
    }

    fn prune(&mut self) {
        let horizon = now_ms() - self.cfg.tail.forget_after.as_millis() as i64;
        let mut reg = self.shared.registry();
        let stale: Vec<u64> = reg
            .entries()
            .filter(|e| e.seen_ms < horizon && !self.lineages.contains_key(&e.id))
            .filter(|e| self.sealed_end.get(&e.id).is_none_or(|s| *s <= e.offset))
            .map(|e| e.id)
            .collect();
        for id in stale {
            if let Some(e) = reg.remove(id) {
                debug!(path = %e.path.display(), "forgetting the checkpoint of a file gone for long");
            }
            self.sealed_end.remove(&id);
        }
    }

    // ---- reading ---------------------------------------------------------------------

    /// Reads what `lin` gained. Returns (keep the lineage, something was read).
    fn poll(&mut self, lin: &mut Lineage, paused: bool) -> (bool, bool) {
        let now = Instant::now();
        if lin.carrier.is_none() {
            let expired = lin
                .orphan_since
                .is_none_or(|t| now.duration_since(t) >= self.cfg.tail.rotate_wait);
            if expired {
                self.abandon(lin);
                return (false, true);
            }
            return (true, false);
        }
        if !self.ensure_open(lin) {
            // Closed (idle, or read whole) and no longer at a matching path: nothing more
            // will be read from it.
            if lin.carrier.as_ref().is_some_and(|c| c.gone_since.is_some()) {
                return (self.release(lin), true);
            }
            return (true, false);
        }
        let Some(car) = lin.carrier.as_mut() else {
            return (true, false);
        };
        let Some(file) = car.file.as_ref() else {
            return (true, false);
        };
        let m = match file.metadata() {
            Ok(m) => m,
            Err(e) => {
                warn!(path = %car.path.display(), error = %e, "cannot stat an open file");
                return (true, false);
            }
        };
        let (size, mtime) = (m.len(), mtime_of(&m));
        car.nlink = m.nlink();
        if size != car.size || mtime != car.mtime {
            car.size = size;
            car.mtime = mtime;
            car.last_change = now;
        }
        let quiet = now.duration_since(car.last_change);
        let gone = car.gone_since.is_some();
        match &mut lin.reader {
            Reader::Skip
            | Reader::Whole {
                done_at: Some(_), ..
            } if gone => (self.release(lin), false),
            Reader::Undetected { .. } if gone && quiet >= self.cfg.tail.rotate_wait => {
                (self.release(lin), false)
            }
            Reader::Skip => (true, false),
            Reader::Undetected { .. } => (true, self.detect(lin, quiet)),
            Reader::Whole {
                done_at: Some(_), ..
            } => (!gone, false),
            Reader::Whole { .. } => {
                if paused || size == 0 || quiet < self.cfg.tail.settle {
                    return (true, false);
                }
                self.read_whole(lin);
                (true, true)
            }
            Reader::Lines(feeder) => {
                let pos = feeder.read_pos();
                if size < pos {
                    return (self.truncated(lin, "shorter than the read position"), true);
                }
                if size < u64::from(lin.fp.len) {
                    // Shorter than the first bytes it was known by, though not read yet.
                    return (self.truncated(lin, "shorter than its fingerprint"), true);
                }
                if size > pos {
                    if paused {
                        return (true, false);
                    }
                    if !self.read_lines(lin) {
                        return (self.truncated(lin, "its first bytes changed"), true);
                    }
                    return (true, true);
                }
                // At the end of the file.
                let mut flushed = false;
                if feeder.is_pending() && quiet >= self.cfg.tail.multiline_timeout {
                    feeder.flush_record(&mut self.out);
                    flushed = true;
                }
                let idle_close = !gone
                    && quiet >= self.cfg.tail.close_idle
                    && feeder.partial_len() == 0
                    && !feeder.is_pending();
                if flushed {
                    self.absorb(lin);
                }
                if gone && quiet >= self.cfg.tail.rotate_wait {
                    return (self.release(lin), true);
                }
                if idle_close {
                    if let Some(car) = lin.carrier.as_mut() {
                        if car.file.take().is_some() {
                            debug!(path = %car.path.display(), "closing idle file");
                        }
                    }
                }
                (true, false)
            }
        }
    }

    /// Reopens a carrier closed for idleness if its path still leads to it and it grew.
    /// False when it stays closed.
    fn ensure_open(&mut self, lin: &mut Lineage) -> bool {
        let fp = lin.fp.clone();
        let pos = lin.read_pos();
        let Some(car) = lin.carrier.as_mut() else {
            return false;
        };
        if car.file.is_some() {
            return true;
        }
        if car.gone_since.is_some() {
            return false;
        }
        let Ok(m) = fs::metadata(&car.path) else {
            return false;
        };
        if (m.dev(), m.ino()) != (car.dev, car.ino) || m.len() == pos {
            return false;
        }
        let Ok(f) = File::open(&car.path) else {
            return false;
        };
        match f.metadata() {
            Ok(m2) if (m2.dev(), m2.ino()) == (car.dev, car.ino) => {}
            _ => return false,
        }
        let head = read_head(&f).unwrap_or_default();
        if fp.len > 0 && !fp.matches(&head) && m.len() >= pos {
            // Rewritten while closed: the poll sees the changed fingerprint.
        }
        car.file = Some(f);
        true
    }

    /// Reads what the carrier gained. After each read the file is checked to still start
    /// with the lineage's first bytes, so bytes read after a truncation (copytruncate racing
    /// with the read) are never taken for the lineage's: they are dropped unread and `false`
    /// is returned — the file was truncated.
    fn read_lines(&mut self, lin: &mut Lineage) -> bool {
        let Some(car) = lin.carrier.as_ref() else {
            return true;
        };
        let Some(file) = car.file.as_ref() else {
            return true;
        };
        let Reader::Lines(feeder) = &mut lin.reader else {
            return true;
        };
        let mut read = 0u64;
        let mut pos = feeder.read_pos();
        let mut intact = true;
        let mut grown = false;
        while read < READ_BUDGET {
            let n = match file.read_at(&mut self.buf, pos) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    warn!(path = %car.path.display(), error = %e, "read failed");
                    break;
                }
            };
            if lin.fp.len == 0 && pos == 0 {
                // A lineage born empty: its first bytes are these.
                lin.head = self.buf[..n.min(FP_BYTES)].to_vec();
                lin.fp = Fingerprint::of(&lin.head);
                grown = true;
            }
            let head = read_head(file).unwrap_or_default();
            if !head.starts_with(&lin.head) {
                intact = false;
                break;
            }
            // The fingerprint grows with a young file until it covers FP_BYTES.
            if lin.head.len() < FP_BYTES && head.len() > lin.head.len() {
                lin.head = head;
                lin.fp = Fingerprint::of(&lin.head);
                grown = true;
            }
            let mut sink = WindowSink {
                window: &mut self.window,
                ship_names: self.ship_names,
            };
            feeder.feed_into(&self.buf[..n], &mut self.out, Some(&mut sink));
            pos += n as u64;
            read += n as u64;
        }
        let name = &self.inputs[lin.input].name;
        self.shared.metrics.bytes_read.add(&[("input", name)], read);
        if grown {
            let fp = lin.fp.clone();
            self.shared.registry().update(lin.entry, |e| e.fp = fp);
        }
        self.absorb(lin);
        intact
    }

    /// Moves parsed records into the window (those the feeder did not hand it directly)
    /// and extends the lineage's range.
    fn absorb(&mut self, lin: &mut Lineage) {
        let m = &self.shared.metrics;
        let input = self.inputs[lin.input].name.as_str();
        let lines = self.out.lines;
        m.lines_read.add(&[("input", input)], lines);
        let path = lin.path().to_path_buf();
        for e in self.out.errors.drain(..) {
            m.parse_errors
                .add(&[("input", input), ("kind", e.kind.as_str())], 1);
            if lin.errors_logged < ERRORS_LOGGED {
                lin.errors_logged += 1;
                warn!(input, path = %path.display(), kind = %e.kind, reason = %e.reason,
                      "bad line ({} of the first {ERRORS_LOGGED} logged for this file; all are counted)", lin.errors_logged);
            }
        }
        let (mut na, mut nn) = (self.out.sent_associations, self.out.sent_names);
        for r in self.out.records.drain(..) {
            match &r {
                Record::Association(_) => na += 1,
                Record::Name(_) => {
                    nn += 1;
                    if !self.ship_names {
                        continue;
                    }
                }
            }
            self.window.add(r);
        }
        m.associations.add(&[("input", input)], na);
        m.names.add(&[("input", input)], nn);
        self.out.clear();
        let (dev, ino) = lin.carrier.as_ref().map_or((0, 0), |c| (c.dev, c.ino));
        self.window.cover(
            Range {
                entry: lin.entry,
                path,
                dev,
                ino,
                fp: lin.fp.clone(),
                start: lin.sealed,
                end: lin.safe(),
            },
            lines,
        );
    }

    fn detect(&mut self, lin: &mut Lineage, quiet: Duration) -> bool {
        let Reader::Undetected { start } = lin.reader else {
            return false;
        };
        let Some(car) = lin.carrier.as_ref() else {
            return false;
        };
        let Some(file) = car.file.as_ref() else {
            return false;
        };
        let mut head = Vec::with_capacity(DETECT_BYTES);
        let found = yapdns_parsers::input::decode_input(PositionedReader {
            file: match file.try_clone() {
                Ok(f) => f,
                Err(_) => return false,
            },
            pos: 0,
        })
        .and_then(|mut r| detect_head(&mut r, &mut head));
        let Ok(found) = found else {
            return false;
        };
        if head.is_empty() {
            return false;
        }
        match found {
            Some(f) => {
                info!(path = %car.path.display(), format = f.name(), "format detected");
                lin.format = Some(f);
                let gz = car.gzip;
                lin.reader = self.make_reader(f, lin.input, start, gz, file);
                self.shared
                    .registry()
                    .update(lin.entry, |e| e.format = Some(f.name().to_string()));
                true
            }
            None if head.len() >= DETECT_BYTES || quiet >= self.cfg.tail.settle => {
                warn!(path = %car.path.display(),
                      "cannot detect the format of this file; set `format` in its [[input]] (see `yapdns-agent formats`)");
                self.shared
                    .metrics
                    .files_skipped
                    .add(&[("reason", "undetected")], 1);
                lin.reader = Reader::Skip;
                false
            }
            None => false,
        }
    }

    fn read_whole(&mut self, lin: &mut Lineage) {
        let Reader::Whole { start, .. } = lin.reader else {
            return;
        };
        let Some(car) = lin.carrier.as_ref() else {
            return;
        };
        let Some(file) = car.file.as_ref().and_then(|f| f.try_clone().ok()) else {
            return;
        };
        let Some(format) = lin.format else { return };
        let input = lin.input;
        let path = car.path.clone();
        let (size, mtime, gz) = (car.size, car.mtime, car.gzip);
        let max_doc = self.cfg.tail.max_document_bytes;
        let end = if format.is_document() {
            if start > 0 {
                // Read (and spooled) before a restart.
                start
            } else if !gz && size > max_doc {
                self.out.errors.push(ParseError::new(
                    1,
                    ErrorKind::TooLong,
                    format!("document of {size} bytes is over max_document_bytes ({max_doc})"),
                ));
                size
            } else {
                let mut data = Vec::new();
                let r = yapdns_parsers::input::decode_input(PositionedReader { file, pos: 0 })
                    .and_then(|r| r.take(max_doc + 1).read_to_end(&mut data));
                match r {
                    Err(e) => {
                        self.out
                            .errors
                            .push(ParseError::new(1, ErrorKind::Io, e.to_string()));
                    }
                    Ok(n) if n as u64 > max_doc => {
                        self.out.errors.push(ParseError::new(
                            1,
                            ErrorKind::TooLong,
                            "document over max_document_bytes",
                        ));
                    }
                    Ok(_) => {
                        self.out.lines += memchr::memchr_iter(b'\n', &data).count() as u64
                            + u64::from(!data.is_empty() && !data.ends_with(b"\n"));
                        let mut parser = self.parser(format, input, Wrapper::detect(&data));
                        if let Err(e) = parser.document(&data, &mut self.out.records) {
                            self.out.errors.push(e);
                        }
                    }
                }
                if gz {
                    // Offsets of compressed files are in uncompressed bytes.
                    (data.len() as u64).max(1)
                } else {
                    size
                }
            }
        } else {
            // Zone files and compressed line files: every line, from the lineage's position.
            let max = usize::try_from(self.cfg.max_line_bytes).unwrap_or(usize::MAX);
            let parser = self.parser(format, input, wrapper_of(&file));
            let mut feeder = LineFeeder::new(parser, Mode::Line, start, max);
            let r = yapdns_parsers::input::decode_input(PositionedReader { file, pos: 0 })
                .and_then(|mut r| {
                    io::copy(&mut (&mut r).take(start), &mut io::sink())?;
                    let mut buf = vec![0u8; CHUNK];
                    loop {
                        let n = r.read(&mut buf)?;
                        if n == 0 {
                            return Ok(());
                        }
                        let mut sink = WindowSink {
                            window: &mut self.window,
                            ship_names: self.ship_names,
                        };
                        feeder.feed_into(&buf[..n], &mut self.out, Some(&mut sink));
                    }
                });
            if let Err(e) = r {
                self.out
                    .errors
                    .push(ParseError::new(0, ErrorKind::Io, e.to_string()));
            }
            feeder.finish(&mut self.out);
            feeder.read_pos()
        };
        debug!(path = %path.display(), records = self.out.records.len(), "read whole file");
        lin.reader = Reader::Whole {
            start,
            done_at: Some(end),
        };
        self.absorb(lin);
        if let Some(car) = lin.carrier.as_mut() {
            car.file = None;
        }
        self.shared.registry().update(lin.entry, |e| {
            e.size = size;
            e.mtime_ms = ms_of(mtime);
        });
    }

    /// The carrier's file no longer holds the lineage's bytes. Returns whether the lineage
    /// is kept (it waits for its copy, or a copy carries it on).
    fn truncated(&mut self, lin: &mut Lineage, why: &str) -> bool {
        let Some(car) = lin.carrier.take() else {
            return true;
        };
        let pos = lin.read_pos();
        warn!(path = %car.path.display(), read_offset = pos, size = car.size, why,
              "file truncated (copytruncate, or emptied); reading it again from the start");
        self.by_inode.remove(&(car.dev, car.ino));
        lin.orphan_since = Some(Instant::now());
        self.shared.registry().update(lin.entry, |e| {
            e.dev = 0;
            e.ino = 0;
        });
        // The same inode, from byte 0, is a new lineage.
        if let Some(file) = car.file {
            let head = read_head(&file).unwrap_or_default();
            let size = file.metadata().map_or(car.size, |m| m.len());
            let c = Candidate {
                input: lin.input,
                path: car.path.clone(),
                dev: car.dev,
                ino: car.ino,
                size,
                mtime: car.mtime,
            };
            let format = lin.format;
            let id;
            {
                let mut reg = self.shared.registry();
                id = reg.new_id();
                reg.insert(Entry {
                    id,
                    input: self.inputs[lin.input].name.clone(),
                    path: car.path.clone(),
                    dev: car.dev,
                    ino: car.ino,
                    fp: Fingerprint::of(&head),
                    format: format.map(|f| f.name().to_string()),
                    offset: 0,
                    done: false,
                    size,
                    mtime_ms: ms_of(car.mtime),
                    seen_ms: now_ms(),
                });
            }
            self.follow(id, &c, file, car.gzip, 0, format, head);
        }
        // Its copy may already be known as a shadow.
        let keep = match self.take_shadow_of(lin.entry) {
            Some((key, s)) => match self.adopt(lin, &s.file, &s.path, key, s.input) {
                Adopted::Carried => true,
                Adopted::Finished => false,
                Adopted::No => {
                    self.scan_now = true;
                    true
                }
            },
            None => {
                self.scan_now = true;
                true
            }
        };
        self.persist();
        keep
    }

    /// Removes and returns a shadow of `entry`, if any.
    fn take_shadow_of(&mut self, entry: u64) -> Option<((u64, u64), Shadow)> {
        let key = self
            .shadows
            .iter()
            .find(|(_, s)| s.target == entry)
            .map(|(k, _)| *k)?;
        self.shadows.remove(&key).map(|s| (key, s))
    }

    /// An orphan no copy came to carry: what it held unread is lost, and said so.
    fn abandon(&mut self, lin: &mut Lineage) {
        let lost = match &mut lin.reader {
            Reader::Lines(f) => f.abandon(&mut self.out),
            _ => 0,
        };
        if lost > 0 {
            self.shared
                .metrics
                .bytes_lost
                .add(&[("reason", "truncated")], lost);
        }
        let old = self
            .shared
            .registry()
            .get(lin.entry)
            .map(|e| e.path.clone())
            .unwrap_or_default();
        if lost > 0 {
            warn!(path = %old.display(), bytes = lost,
                  "a truncated file held lines that were not read and no copy of it was found; \
                   with copytruncate, add the rotated name (e.g. file.1) to paths");
        } else {
            debug!(path = %old.display(), "truncated lineage closed; nothing was left unread");
        }
        self.absorb(lin);
        self.hand_over(lin);
    }

    /// A file renamed away or deleted, read to its end and quiet for `rotate_wait`: hand it to
    /// a copy if one exists, else finish it. Returns whether the lineage is kept.
    fn release(&mut self, lin: &mut Lineage) -> bool {
        if let Some((key, s)) = self.take_shadow_of(lin.entry) {
            match self.adopt(lin, &s.file, &s.path, key, s.input) {
                Adopted::Carried => return true,
                Adopted::Finished => return false,
                Adopted::No => {}
            }
        }
        if let Reader::Lines(f) = &mut lin.reader {
            f.finish(&mut self.out);
        }
        self.absorb(lin);
        self.hand_over(lin);
        if let Some(car) = lin.carrier.take() {
            info!(path = %car.path.display(), "rotated file read to its end; released");
            self.by_inode.remove(&(car.dev, car.ino));
            if car.nlink == 0 {
                self.shared.registry().update(lin.entry, |e| {
                    e.dev = 0;
                    e.ino = 0;
                });
            }
        }
        false
    }

    // ---- sealing ---------------------------------------------------------------------

    fn seal(&mut self) {
        if self.unsaved.is_some() {
            return;
        }
        let t = Instant::now();
        let Some(s) = self.window.seal(&self.agent_id) else {
            return;
        };
        let merged = t.elapsed();
        self.shared.metrics.windows_sealed.add(1);
        self.unsaved = Some(s);
        self.retry_unsaved();
        debug!(
            merge_ms = merged.as_millis() as u64,
            total_ms = t.elapsed().as_millis() as u64,
            "window sealed and spooled"
        );
    }

    fn retry_unsaved(&mut self) {
        let Some(s) = self.unsaved.take() else { return };
        match self.shared.spool.push(&s) {
            Ok(e) => {
                self.last_spool_error = None;
                for r in &s.ranges {
                    let end = self.sealed_end.entry(r.entry).or_default();
                    *end = (*end).max(r.end);
                    if let Some(l) = self.lineages.get_mut(&r.entry) {
                        l.sealed = l.sealed.max(r.end);
                    }
                    let whole_done = self
                        .lineages
                        .get(&r.entry)
                        .is_some_and(|l| matches!(l.reader, Reader::Whole { done_at: Some(d), .. } if d <= r.end));
                    if whole_done {
                        self.shared.registry().update(r.entry, |x| x.done = true);
                    }
                }
                debug!(id = %e.header.id, associations = e.header.associations, names = e.header.names,
                       lines = e.header.lines, "window sealed");
                self.after_push();
                // Finished whole files need no memory any more.
                let done: Vec<u64> = self
                    .lineages
                    .iter()
                    .filter(|(_, l)| matches!(l.reader, Reader::Whole { done_at: Some(d), .. } if l.sealed >= d))
                    .map(|(id, _)| *id)
                    .collect();
                for id in done {
                    if let Some(l) = self.lineages.remove(&id) {
                        if let Some(c) = l.carrier {
                            self.by_inode.remove(&(c.dev, c.ino));
                        }
                    }
                }
                self.persist();
            }
            Err(e) => {
                let log = self
                    .last_spool_error
                    .is_none_or(|t| t.elapsed() >= Duration::from_secs(30));
                if log {
                    error!(error = %e, dir = %self.cfg.data_dir.display(),
                           "cannot write to the spool; reading is paused until it can");
                    self.last_spool_error = Some(Instant::now());
                }
                self.unsaved = Some(s);
            }
        }
    }

    fn after_push(&mut self) {
        let m = &self.shared.metrics;
        if self.cfg.on_spool_full == SpoolFull::DropOldest {
            for e in self.shared.spool.over_limit() {
                m.spool_dropped_batches.add(1);
                m.spool_dropped_records
                    .add(e.header.associations + e.header.names);
                m.spool_dropped_lines.add(e.header.lines);
                for r in &e.header.ranges {
                    error!(path = %r.path.display(), start = r.start, end = r.end, batch = %e.header.id,
                           "spool full: dropping the oldest batch; the lines in this byte range are not delivered \
                            (re-ingest them with `yapdns-agent parse` if needed)");
                }
                if let Err(err) = self.shared.acknowledge(&e) {
                    error!(error = %err, "cannot drop a spooled batch");
                }
            }
        }
        m.spool_bytes.set(self.shared.spool.bytes());
        m.spool_batches.set(self.shared.spool.len() as u64);
    }

    fn gauges(&mut self) {
        self.last_gauges = Instant::now();
        let m = &self.shared.metrics;
        let mut open = 0;
        let mut lag = std::collections::BTreeMap::new();
        for l in self.lineages.values() {
            if let Some(c) = &l.carrier {
                if c.file.is_some() {
                    open += 1;
                }
                if let Reader::Lines(f) = &l.reader {
                    lag.insert(
                        vec![("path", c.path.display().to_string())],
                        c.size.saturating_sub(f.read_pos()),
                    );
                }
            }
        }
        m.files_open.set(open);
        m.files_tracked.set(self.lineages.len() as u64);
        m.lag_bytes.replace(lag);
        m.window_entries.set(self.window.entries() as u64);
        m.spool_bytes.set(self.shared.spool.bytes());
        m.spool_batches.set(self.shared.spool.len() as u64);
    }
}

#[cfg(test)]
#[path = "tail_model_tests.rs"]
mod model_tests;

/// The window as the sink of a line format's records: each merges in as a view
/// ([`Window::add_view`]); name sightings only when they are shipped.
struct WindowSink<'a> {
    window: &'a mut Window,
    ship_names: bool,
}

impl Emit for WindowSink<'_> {
    fn association(&mut self, a: AssociationView<'_>) {
        self.window.add_view(a);
    }
    fn name(&mut self, n: NameView<'_>) {
        if self.ship_names {
            self.window.add_name_view(n);
        }
    }
    fn push(&mut self, r: Record) {
        if self.ship_names || matches!(r, Record::Association(_)) {
            self.window.add(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(data: &[u8], from: u64, finish: bool) -> (Vec<String>, u64) {
        let mut f = LineFeeder::new(
            Format::MsDns.parser(&ParseOptions::default()),
            mode_of(Format::MsDns),
            from,
            1 << 20,
        );
        let mut out = FeedOut::default();
        f.feed(data, &mut out);
        if finish {
            f.finish(&mut out);
        }
        let recs = out.records.iter().map(|r| format!("{r:?}")).collect();
        (recs, f.safe())
    }

    /// The real Microsoft DNS parser, cut at every line of a real log and resumed from the
    /// safe offset with a fresh parser, yields exactly what one pass yields.
    #[test]
    fn msdns_resumes_from_safe_offsets_exactly() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/logs/windows-dns.log"
        );
        let text = std::fs::read(path).unwrap();
        let (mut whole, _) = run(&text, 0, true);
        whole.sort();
        assert!(whole.len() >= 4, "{whole:?}");
        let mut cuts: Vec<usize> = memchr::memchr_iter(b'\n', &text).map(|i| i + 1).collect();
        cuts.extend([0, 1, text.len() / 2, text.len()]);
        for cut in cuts {
            let (mut first, safe) = run(&text[..cut], 0, false);
            let (second, _) = run(&text[safe as usize..], safe, true);
            first.extend(second);
            first.sort();
            assert_eq!(first, whole, "cut at {cut}, resumed at {safe}");
        }
    }

    /// The same for the log written "as Unicode" (UTF-16LE with a byte-order mark), as
    /// Windows writes it when asked: cut after every line, resumed from the safe offset.
    #[test]
    fn msdns_utf16_resumes_from_safe_offsets_exactly() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/logs/windows-dns.log"
        );
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let mut data = vec![0xff, 0xfe];
        for u in text.encode_utf16() {
            data.extend_from_slice(&u.to_le_bytes());
        }
        let enc = Encoding::Utf16 { big_endian: false };
        let feed = |bytes: &[u8], from: u64, finish: bool| {
            let mut f = LineFeeder::new(
                Format::MsDns.parser(&ParseOptions::default()),
                mode_of(Format::MsDns),
                from,
                1 << 20,
            )
            .with_encoding(enc);
            let mut out = FeedOut::default();
            f.feed(bytes, &mut out);
            if finish {
                f.finish(&mut out);
            }
            let recs: Vec<String> = out.records.iter().map(|r| format!("{r:?}")).collect();
            (recs, f.safe())
        };
        let (mut whole, _) = feed(&data, 0, true);
        whole.sort();
        let (mut utf8, _) = run(text.as_bytes(), 0, true);
        utf8.sort();
        assert_eq!(whole, utf8, "UTF-16 yields what UTF-8 yields");
        let mut cuts: Vec<usize> = (2..data.len())
            .step_by(2)
            .filter(|&i| data[i - 2..i] == [b'\n', 0])
            .collect();
        cuts.extend([0, 3, data.len() / 2, data.len()]);
        for cut in cuts {
            let (mut first, safe) = feed(&data[..cut], 0, false);
            assert_eq!(safe % 2, 0);
            let (second, _) = feed(&data[safe as usize..], safe, true);
            first.extend(second);
            first.sort();
            assert_eq!(first, whole, "cut at {cut}, resumed at {safe}");
        }
    }

    /// A container runtime's log, as the tailer reads it (a file told wrapped by its first
    /// line, fed in reads that cut records anywhere), yields what the program's own file does.
    #[test]
    fn wrapped_files_are_read_as_the_programs_own() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../yapdns-parsers/tests");
        let name = "dnsmasq/dnsmasq-2.90-log-queries.log";
        let feed = |data: &[u8], parser: Box<dyn FormatParser>, step: usize| {
            let mut f = LineFeeder::new(parser, Mode::Line, 0, 1 << 20);
            let mut out = FeedOut::default();
            for chunk in data.chunks(step) {
                f.feed(chunk, &mut out);
            }
            f.finish(&mut out);
            let errors: Vec<String> = out.errors.iter().map(|e| e.to_string()).collect();
            (out.records, errors, out.lines)
        };
        let plain = std::fs::read(format!("{dir}/fixtures/{name}")).unwrap();
        let opts = ParseOptions::default();
        let want = feed(&plain, Format::Dnsmasq.parser(&opts), plain.len());
        assert!(!want.0.is_empty());
        for wrapper in ["docker-json-file", "cri"] {
            let path = format!("{dir}/container/{wrapper}/{name}");
            let file = File::open(&path).unwrap();
            let w = wrapper_of(&file).unwrap();
            assert_eq!(w.name(), wrapper);
            let data = std::fs::read(&path).unwrap();
            for step in [7, 1000, data.len()] {
                let parser = Box::new(Unwrapped::new(w, Format::Dnsmasq.parser(&opts), 1 << 20));
                assert_eq!(
                    feed(&data, parser, step),
                    want,
                    "{wrapper}, reads of {step}"
                );
            }
        }
        let plain = File::open(format!("{dir}/fixtures/{name}")).unwrap();
        assert_eq!(wrapper_of(&plain), None);
    }

    /// dnsmasq under daemontools, s6 or runit (`-k --log-facility=-`: no stamp of its own),
    /// its lines stamped by the log service: the same records as its own timed file.
    #[test]
    fn a_log_services_file_is_dated_by_its_labels() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../yapdns-parsers/tests");
        let plain = std::fs::read(format!(
            "{dir}/fixtures/dnsmasq/dnsmasq-2.90-log-queries.log"
        ))
        .unwrap();
        let opts = ParseOptions {
            year: yapdns_parsers::YearRule::Fixed(2026),
            ..ParseOptions::default()
        };
        // `Nov 29 19:15:52 dnsmasq[…]: …` → `@<TAI64N of 2026-11-29T19:15:52Z> dnsmasq[…]: …`.
        let mut labelled = Vec::new();
        for line in plain.split_inclusive(|&c| c == b'\n') {
            let stamp = std::str::from_utf8(&line[..15]).unwrap();
            let day: u32 = stamp[4..6].trim().parse().unwrap();
            assert!(stamp.starts_with("Nov "));
            let hms: Vec<i64> = stamp[7..].split(':').map(|x| x.parse().unwrap()).collect();
            let secs = yapdns_core::days_from_civil(2026, 11, day).unwrap() * 86_400
                + hms[0] * 3600
                + hms[1] * 60
                + hms[2];
            let label = (1u64 << 62) + 10 + secs as u64;
            labelled.extend_from_slice(format!("@{label:016x}{:08x}", 0).as_bytes());
            labelled.extend_from_slice(&line[15..]);
        }
        let feed = |data: &[u8], parser: Box<dyn FormatParser>| {
            let mut f = LineFeeder::new(parser, Mode::Line, 0, 1 << 20);
            let mut out = FeedOut::default();
            for chunk in data.chunks(1000) {
                f.feed(chunk, &mut out);
            }
            f.finish(&mut out);
            (out.records, out.errors.len(), out.lines)
        };
        let want = feed(&plain, Format::Dnsmasq.parser(&opts));
        assert!(!want.0.is_empty());
        let path = std::env::temp_dir().join(format!("yapdns-tai64n-{}", std::process::id()));
        std::fs::write(&path, &labelled).unwrap();
        let w = wrapper_of(&File::open(&path).unwrap());
        std::fs::remove_file(&path).unwrap();
        assert_eq!(w, Some(Wrapper::Tai64n));
        let parser = Box::new(Unwrapped::new(
            Wrapper::Tai64n,
            Format::Dnsmasq.parser(&opts),
            1 << 20,
        ));
        assert_eq!(feed(&labelled, parser), want);
    }

    #[test]
    fn msdns_record_starts() {
        assert!(msdns_record_start(
            b"7/15/2015 11:59:59 PM 106C PACKET  0000000002048020 UDP Snd 10.3.73.5 1fba R Q [9384 A  R NXDOMAIN] AAAA (2)jp(0)"
        ));
        assert!(!msdns_record_start(
            b"UDP response info at 0000000002048020"
        ));
        assert!(!msdns_record_start(b"    Name      \"(0)\""));
        assert!(!msdns_record_start(
            b"7/15/2015 11:59:59 PM 106C EVENT   The DNS server has started."
        ));
        assert!(msdns_record_start(
            b"DNS Server log file creation at 7/15/2015 11:59:59 PM"
        ));
    }
}

//! Checkpoints: which files the agent follows and how far each is acknowledged.
//!
//! One entry per *lineage*: the content of a file as it moves through renames and copies. An
//! entry is found again by device and inode, checked against a fingerprint of the file's first
//! bytes (so a reused inode is not taken for the old file), or — for a copy made by
//! `copytruncate`, or a file moved across file systems — by the fingerprint alone.
//!
//! `offset` is the acknowledged position: every line before it was acknowledged by the output
//! (or carried nothing to ship). The file `checkpoints.json` is rewritten atomically after
//! every acknowledgement and every change of identity.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::fsutil::write_atomic;

/// Bytes at the start of a file that make up its fingerprint.
pub const FP_BYTES: usize = 1024;

/// The shortest fingerprint trusted to recognise a file by content alone (a copy or a moved
/// file): shorter prefixes are too often shared by unrelated files (a constant header line).
pub const MIN_FP_MATCH: u32 = 64;

/// A hash of a file's first `len` bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Fingerprint {
    /// How many bytes were hashed (`FP_BYTES`, or the whole file when it was shorter).
    pub len: u32,
    /// Hex SHA-256 of those bytes, cut to 128 bits.
    pub hash: String,
    /// Hash of the first [`MIN_FP_MATCH`] bytes (empty for shorter files): it does not change
    /// as the fingerprint grows, so it indexes files for recognition by content.
    #[serde(default)]
    pub short: String,
}

fn hex128(data: &[u8]) -> String {
    let digest = Sha256::digest(data);
    let mut hash = String::with_capacity(32);
    for b in digest.iter().take(16) {
        hash.push_str(&format!("{b:02x}"));
    }
    hash
}

impl Fingerprint {
    /// The fingerprint of `head` (at most [`FP_BYTES`] are used).
    pub fn of(head: &[u8]) -> Fingerprint {
        let head = &head[..head.len().min(FP_BYTES)];
        Fingerprint {
            len: head.len() as u32,
            hash: hex128(head),
            short: Fingerprint::short_of(head).unwrap_or_default(),
        }
    }

    /// The short hash of `head`, when it has at least [`MIN_FP_MATCH`] bytes.
    pub fn short_of(head: &[u8]) -> Option<String> {
        let n = MIN_FP_MATCH as usize;
        (head.len() >= n).then(|| hex128(&head[..n]))
    }

    /// True when `head` (a file's first bytes, at least as many as this fingerprint covers)
    /// starts with the bytes this fingerprint was made of.
    pub fn matches(&self, head: &[u8]) -> bool {
        let n = self.len as usize;
        head.len() >= n && hex128(&head[..n]) == self.hash
    }
}

/// Reads up to [`FP_BYTES`] from the start of `file`, whatever its read position.
pub fn read_head(file: &File) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; FP_BYTES];
    let mut got = 0;
    while got < buf.len() {
        match file.read_at(&mut buf[got..], got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(got);
    Ok(buf)
}

/// Reads up to [`FP_BYTES`] of the decompressed start of a gzip file.
pub fn read_gz_head(file: &File) -> io::Result<Vec<u8>> {
    let mut dec = decoded_reader(file)?;
    let mut buf = Vec::with_capacity(FP_BYTES);
    (&mut dec).take(FP_BYTES as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

fn decoded_reader(file: &File) -> io::Result<Box<dyn Read + Send>> {
    let f = file.try_clone()?;
    let r = PositionedReader { file: f, pos: 0 };
    yapdns_parsers::input::decode_input(r).map(|b| Box::new(b) as Box<dyn Read + Send>)
}

/// Reads a file from a position without moving a shared cursor.
pub struct PositionedReader {
    /// The file.
    pub file: File,
    /// Next byte to read.
    pub pos: u64,
}

impl Read for PositionedReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// One followed lineage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Random, stable id; batches name their byte ranges by it.
    pub id: u64,
    /// The input it belongs to (by name).
    pub input: String,
    /// Last path it was seen at.
    pub path: PathBuf,
    /// Device of the file carrying it (0 once detached: truncated away or deleted).
    pub dev: u64,
    /// Inode of the file carrying it (0 once detached).
    pub ino: u64,
    /// Fingerprint of its first bytes.
    pub fp: Fingerprint,
    /// The format it is read as, once known (`auto` inputs detect it once per lineage).
    #[serde(default)]
    pub format: Option<String>,
    /// Acknowledged position: the byte every line before which was delivered.
    pub offset: u64,
    /// Whole documents and compressed files: read completely, never read again.
    #[serde(default)]
    pub done: bool,
    /// Size and modification time (ms) last seen, so a finished document can be passed over
    /// without opening it.
    #[serde(default)]
    pub size: u64,
    /// See `size`.
    #[serde(default)]
    pub mtime_ms: i64,
    /// When the file was last seen at a path matching its input (ms since the epoch); entries
    /// not seen for `tail.forget_after` are dropped.
    pub seen_ms: i64,
}

#[derive(Serialize, Deserialize)]
struct OnDisk {
    version: u32,
    agent_id: String,
    entries: Vec<Entry>,
}

/// All checkpoints, and the agent's own id.
#[derive(Debug)]
pub struct Registry {
    path: PathBuf,
    /// A random id made at the first start and kept, so batch ids differ between agents.
    pub agent_id: String,
    entries: HashMap<u64, Entry>,
    dirty: bool,
}

/// A random 64-bit number (ids, jitter).
pub fn random_u64() -> u64 {
    // getrandom only fails when the OS has no entropy source, which Linux always has; a
    // time-based fallback keeps ids distinct even then.
    getrandom::u64().unwrap_or_else(|_| {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        (t.as_nanos() as u64) ^ u64::from(std::process::id()).rotate_left(32)
    })
}

impl Registry {
    /// Loads `data_dir/checkpoints.json`, or starts empty with a new agent id.
    pub fn load(data_dir: &Path) -> io::Result<Registry> {
        let path = data_dir.join("checkpoints.json");
        match std::fs::read(&path) {
            Ok(bytes) => {
                let d: OnDisk = serde_json::from_slice(&bytes).map_err(|e| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "{} is damaged ({e}); move it away to start over",
                            path.display()
                        ),
                    )
                })?;
                Ok(Registry {
                    path,
                    agent_id: d.agent_id,
                    entries: d.entries.into_iter().map(|e| (e.id, e)).collect(),
                    dirty: false,
                })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let mut r = Registry {
                    path,
                    agent_id: format!("{:016x}", random_u64()),
                    entries: HashMap::new(),
                    dirty: true,
                };
                r.persist()?;
                Ok(r)
            }
            Err(e) => Err(e),
        }
    }

    /// Writes the checkpoints (atomically) if anything changed since the last write.
    pub fn persist(&mut self) -> io::Result<()> {
        if !self.dirty {
            return Ok(());
        }
        let mut entries: Vec<Entry> = self.entries.values().cloned().collect();
        entries.sort_by_key(|e| e.id);
        let d = OnDisk {
            version: 1,
            agent_id: self.agent_id.clone(),
            entries,
        };
        let bytes = serde_json::to_vec(&d).map_err(io::Error::other)?;
        write_atomic(&self.path, &bytes)?;
        self.dirty = false;
        Ok(())
    }

    /// The entry with this id.
    pub fn get(&self, id: u64) -> Option<&Entry> {
        self.entries.get(&id)
    }

    /// Changes an entry; the change is written at the next [`Registry::persist`].
    pub fn update(&mut self, id: u64, f: impl FnOnce(&mut Entry)) {
        if let Some(e) = self.entries.get_mut(&id) {
            let before = e.clone();
            f(e);
            if *e != before {
                self.dirty = true;
            }
        }
    }

    /// Adds (or replaces) an entry.
    pub fn insert(&mut self, e: Entry) {
        self.entries.insert(e.id, e);
        self.dirty = true;
    }

    /// Removes an entry.
    pub fn remove(&mut self, id: u64) -> Option<Entry> {
        let e = self.entries.remove(&id);
        self.dirty |= e.is_some();
        e
    }

    /// A fresh id no entry uses.
    pub fn new_id(&self) -> u64 {
        loop {
            let id = random_u64();
            if id != 0 && !self.entries.contains_key(&id) {
                return id;
            }
        }
    }

    /// Every entry.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// The entry carried by this device and inode, if any.
    pub fn by_inode(&self, dev: u64, ino: u64) -> Option<&Entry> {
        if dev == 0 && ino == 0 {
            return None;
        }
        self.entries.values().find(|e| e.dev == dev && e.ino == ino)
    }

    /// Records that everything before `end` in entry `id` was acknowledged.
    pub fn ack(&mut self, id: u64, end: u64) {
        self.update(id, |e| e.offset = e.offset.max(end));
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no file is followed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Milliseconds since the epoch, now.
pub fn now_ms() -> i64 {
    yapdns_core::Timestamp::now().millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: u64) -> Entry {
        Entry {
            id,
            input: "in".into(),
            path: "/x".into(),
            dev: 1,
            ino: id,
            fp: Fingerprint::of(b"hello"),
            format: Some("squid".into()),
            offset: 0,
            done: false,
            size: 0,
            mtime_ms: 0,
            seen_ms: 0,
        }
    }

    #[test]
    fn survives_a_reload_with_its_agent_id() {
        let d = tempfile::tempdir().unwrap();
        let mut r = Registry::load(d.path()).unwrap();
        let id = r.agent_id.clone();
        r.insert(entry(7));
        r.ack(7, 100);
        r.ack(7, 50);
        r.persist().unwrap();
        let r2 = Registry::load(d.path()).unwrap();
        assert_eq!(r2.agent_id, id);
        assert_eq!(r2.get(7).unwrap().offset, 100);
        assert_eq!(r2.by_inode(1, 7).unwrap().id, 7);
    }

    #[test]
    fn fingerprint_matches_prefixes_only() {
        let fp = Fingerprint::of(b"abcdef");
        assert!(fp.matches(b"abcdefghi"));
        assert!(!fp.matches(b"abcde"));
        assert!(!fp.matches(b"abcdeX"));
        assert_eq!(Fingerprint::of(&[7u8; 5000]).len, FP_BYTES as u32);
    }

    #[test]
    fn damaged_file_is_an_error_not_a_reset() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("checkpoints.json"), b"{not json").unwrap();
        assert!(Registry::load(d.path())
            .unwrap_err()
            .to_string()
            .contains("damaged"));
    }
}

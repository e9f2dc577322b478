//! The spool: sealed windows on disk, in order, until the output acknowledges them.
//!
//! Every sealed window is written here (temporary file, fsync, rename, directory fsync) before
//! it is sent, so the spool is the agent's write-ahead log: what is in it survives a crash and
//! is sent again, with the same batch id, at the next start; and the read position of each
//! file at start-up is the furthest of its checkpoint and the ends of its spooled ranges, so
//! nothing in the spool is read twice. A window that carries nothing to ship (only comments,
//! errors or bare queries) is not written: it only advances checkpoints, and losing it in a
//! crash only means reading those lines again.
//!
//! File layout, `spool/<seq>.batch`: one JSON header line ([`Header`]), then the body sent to
//! the server: COF lines for the associations, then YAPDNS JSON lines for the name sightings.

use std::collections::VecDeque;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

use crate::fsutil::{ensure_dir, sync_dir};
use crate::window::{Range, Sealed};

/// The first line of a spool file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    /// Layout version.
    pub v: u32,
    /// Batch id (the idempotency key's stem).
    pub id: String,
    /// Order of sealing.
    pub seq: u64,
    /// When it was sealed (ms since the epoch).
    pub created_ms: i64,
    /// The byte ranges it covers.
    pub ranges: Vec<Range>,
    /// Lines those ranges hold.
    pub lines: u64,
    /// Association lines in the body (they come first).
    pub associations: u64,
    /// Name sighting lines in the body.
    pub names: u64,
    /// Lines per request, fixed when the entry is written: a request re-sent after a restart
    /// must hold the same lines as before to be recognised by its idempotency key, even if
    /// `batch_size` was changed in between.
    #[serde(default)]
    pub chunk_lines: usize,
}

/// One sealed window waiting for its acknowledgement.
#[derive(Debug)]
pub struct Entry {
    /// Its header.
    pub header: Header,
    /// Its file, `None` when it carries nothing to ship.
    pub file: Option<PathBuf>,
    /// Its size on disk.
    pub bytes: u64,
    /// Set while the sender works on it, so it is not dropped under its feet.
    pub in_flight: AtomicBool,
}

impl Entry {
    /// True when there is nothing to send, only checkpoints to advance.
    pub fn is_empty(&self) -> bool {
        self.file.is_none()
    }

    /// Reads the body (the NDJSON to send).
    pub fn body(&self) -> io::Result<Vec<u8>> {
        let Some(path) = &self.file else {
            return Ok(Vec::new());
        };
        let mut r = BufReader::new(File::open(path)?);
        let mut header = Vec::new();
        r.read_until(b'\n', &mut header)?;
        let mut body = Vec::new();
        r.read_to_end(&mut body)?;
        Ok(body)
    }
}

/// The queue of sealed windows and its files.
#[derive(Debug)]
pub struct Spool {
    dir: PathBuf,
    queue: Mutex<VecDeque<Arc<Entry>>>,
    bytes: AtomicU64,
    next_seq: AtomicU64,
    limit: u64,
    chunk_lines: usize,
    /// Wakes the sender when an entry is added.
    pub notify: tokio::sync::Notify,
}

impl Spool {
    /// Opens `data_dir/spool`, loading what a previous run left (oldest first). Unfinished
    /// temporary files are removed; damaged files are renamed `*.damaged` and reported.
    pub fn open(
        data_dir: &Path,
        limit: u64,
        chunk_lines: usize,
    ) -> io::Result<(Spool, Vec<String>)> {
        let dir = data_dir.join("spool");
        ensure_dir(&dir)?;
        let mut warnings = Vec::new();
        let mut loaded = Vec::new();
        for e in fs::read_dir(&dir)? {
            let path = e?.path();
            let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
            if ext == "tmp" {
                fs::remove_file(&path)?;
                continue;
            }
            if ext != "batch" {
                continue;
            }
            match read_header(&path) {
                Ok(h) => {
                    let bytes = fs::metadata(&path)?.len();
                    loaded.push(Entry {
                        header: h,
                        file: Some(path),
                        bytes,
                        in_flight: AtomicBool::new(false),
                    });
                }
                Err(err) => {
                    let mut damaged = path.clone().into_os_string();
                    damaged.push(".damaged");
                    fs::rename(&path, &damaged)?;
                    warnings.push(format!(
                        "spool file {} is damaged ({err}); moved to {}: the lines it held may be \
                         read again",
                        path.display(),
                        PathBuf::from(damaged).display()
                    ));
                }
            }
        }
        loaded.sort_by_key(|e| e.header.seq);
        let next_seq = loaded.last().map_or(1, |e| e.header.seq + 1);
        let bytes = loaded.iter().map(|e| e.bytes).sum();
        let spool = Spool {
            dir,
            queue: Mutex::new(loaded.into_iter().map(Arc::new).collect()),
            bytes: AtomicU64::new(bytes),
            next_seq: AtomicU64::new(next_seq),
            limit,
            chunk_lines: chunk_lines.max(1),
            notify: tokio::sync::Notify::new(),
        };
        Ok((spool, warnings))
    }

    fn queue(&self) -> MutexGuard<'_, VecDeque<Arc<Entry>>> {
        // A panic while holding the lock leaves a consistent queue (every change is one
        // push or remove), so a poisoned lock is still usable.
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes a sealed window durably and queues it.
    pub fn push(&self, sealed: &Sealed) -> io::Result<Arc<Entry>> {
        let seq = self.next_seq.fetch_add(1, Ordering::SeqCst);
        let header = Header {
            v: 1,
            id: sealed.id.clone(),
            seq,
            created_ms: crate::registry::now_ms(),
            ranges: sealed.ranges.clone(),
            lines: sealed.lines,
            associations: sealed.associations.len() as u64,
            names: sealed.names.len() as u64,
            chunk_lines: self.chunk_lines,
        };
        let (file, bytes) = if sealed.associations.is_empty() && sealed.names.is_empty() {
            (None, 0)
        } else {
            let mut data = serde_json::to_vec(&header).map_err(io::Error::other)?;
            data.push(b'\n');
            for a in &sealed.associations {
                a.write_cof(&mut data)?;
            }
            for n in &sealed.names {
                serde_json::to_writer(&mut data, n).map_err(io::Error::other)?;
                data.push(b'\n');
            }
            let path = self.dir.join(format!("{seq:020}.batch"));
            let tmp = self.dir.join(format!("{seq:020}.tmp"));
            {
                let mut f = File::create(&tmp)?;
                f.write_all(&data)?;
                f.sync_all()?;
            }
            fs::rename(&tmp, &path)?;
            sync_dir(&self.dir)?;
            (Some(path), data.len() as u64)
        };
        let entry = Arc::new(Entry {
            header,
            file,
            bytes,
            in_flight: AtomicBool::new(false),
        });
        self.bytes.fetch_add(bytes, Ordering::SeqCst);
        self.queue().push_back(entry.clone());
        self.notify.notify_one();
        Ok(entry)
    }

    /// The oldest entry.
    pub fn front(&self) -> Option<Arc<Entry>> {
        self.queue().front().cloned()
    }

    /// Every queued entry, oldest first.
    pub fn entries(&self) -> Vec<Arc<Entry>> {
        self.queue().iter().cloned().collect()
    }

    /// Removes an acknowledged (or dropped) entry and its file.
    pub fn remove(&self, seq: u64) -> io::Result<()> {
        let removed = {
            let mut q = self.queue();
            let pos = q.iter().position(|e| e.header.seq == seq);
            pos.and_then(|i| q.remove(i))
        };
        if let Some(e) = removed {
            self.bytes.fetch_sub(e.bytes, Ordering::SeqCst);
            if let Some(p) = &e.file {
                match fs::remove_file(p) {
                    Ok(()) => {}
                    Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                    Err(err) => return Err(err),
                }
            }
        }
        Ok(())
    }

    /// Total size of the spooled files.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::SeqCst)
    }

    /// Queued entries.
    pub fn len(&self) -> usize {
        self.queue().len()
    }

    /// True when nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.queue().is_empty()
    }

    /// True when the spool holds at least its limit.
    pub fn is_full(&self) -> bool {
        self.bytes() >= self.limit
    }

    /// Entries to drop so the spool fits its limit again: the oldest ones that carry data and
    /// are not being sent. They are not removed here; the caller advances their checkpoints
    /// first, then removes them.
    pub fn over_limit(&self) -> Vec<Arc<Entry>> {
        let q = self.queue();
        let mut excess = self.bytes().saturating_sub(self.limit);
        let mut out = Vec::new();
        for e in q.iter() {
            if excess == 0 {
                break;
            }
            if e.is_empty() || e.in_flight.load(Ordering::SeqCst) {
                continue;
            }
            excess = excess.saturating_sub(e.bytes);
            out.push(e.clone());
        }
        out
    }
}

fn read_header(path: &Path) -> io::Result<Header> {
    let mut r = BufReader::new(File::open(path)?);
    let mut line = Vec::new();
    r.read_until(b'\n', &mut line)?;
    let h: Header = serde_json::from_slice(&line).map_err(io::Error::other)?;
    // A complete file was renamed into place after fsync; check the body is all there.
    let mut body = Vec::new();
    r.read_to_end(&mut body)?;
    let lines = memchr::memchr_iter(b'\n', &body).count() as u64;
    if lines != h.associations + h.names {
        return Err(io::Error::other(format!(
            "body has {lines} lines, header says {}",
            h.associations + h.names
        )));
    }
    Ok(h)
}

/// Splits an NDJSON body into groups of at most `n` lines, as byte ranges.
pub fn chunks(body: &[u8], n: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut count = 0;
    for i in memchr::memchr_iter(b'\n', body) {
        count += 1;
        if count == n {
            out.push(&body[start..=i]);
            start = i + 1;
            count = 0;
        }
    }
    if start < body.len() {
        out.push(&body[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Fingerprint;
    use yapdns_core::{Association, NameSighting, RrType, SourceTag, Timestamp};

    fn sealed(n: usize) -> Sealed {
        let t = Timestamp::from_secs(1_700_000_000);
        Sealed {
            id: format!("id{n}"),
            ranges: vec![Range {
                entry: 1,
                path: "/x".into(),
                dev: 1,
                ino: 1,
                fp: Fingerprint::of(b"x"),
                start: 0,
                end: 10,
            }],
            associations: (0..n)
                .map(|i| {
                    Association::new(
                        &format!("h{i}.test"),
                        RrType::A,
                        "192.0.2.1",
                        t,
                        SourceTag::new("t", None),
                    )
                    .unwrap()
                })
                .collect(),
            names: vec![NameSighting::new("q.test", None, t, SourceTag::new("t", None)).unwrap()],
            lines: 3,
        }
    }

    #[test]
    fn entries_survive_a_restart_in_order() {
        let d = tempfile::tempdir().unwrap();
        let (s, w) = Spool::open(d.path(), 1 << 20, 100).unwrap();
        assert!(w.is_empty());
        s.push(&sealed(2)).unwrap();
        s.push(&sealed(3)).unwrap();
        let bytes = s.bytes();
        drop(s);
        fs::write(d.path().join("spool/00000000000000000099.tmp"), b"half").unwrap();
        let (s, _) = Spool::open(d.path(), 1 << 20, 100).unwrap();
        let e = s.entries();
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[0].header.id.as_str(), e[1].header.id.as_str()),
            ("id2", "id3")
        );
        assert_eq!(s.bytes(), bytes);
        let body = e[1].body().unwrap();
        assert_eq!(memchr::memchr_iter(b'\n', &body).count(), 4);
        assert!(!d.path().join("spool/00000000000000000099.tmp").exists());
        s.remove(e[0].header.seq).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s.push(&sealed(1)).unwrap().header.seq, 3);
    }

    #[test]
    fn damaged_file_is_set_aside_and_reported() {
        let d = tempfile::tempdir().unwrap();
        let (s, _) = Spool::open(d.path(), 1 << 20, 100).unwrap();
        let e = s.push(&sealed(2)).unwrap();
        let p = e.file.clone().unwrap();
        let data = fs::read(&p).unwrap();
        fs::write(&p, &data[..data.len() - 5]).unwrap();
        drop(s);
        let (s, w) = Spool::open(d.path(), 1 << 20, 100).unwrap();
        assert!(s.is_empty());
        assert_eq!(w.len(), 1, "{w:?}");
    }

    #[test]
    fn chunking_by_lines() {
        assert_eq!(chunks(b"a\nb\nc\n", 2), vec![&b"a\nb\n"[..], &b"c\n"[..]]);
        assert_eq!(chunks(b"a\nb\n", 2), vec![&b"a\nb\n"[..]]);
        assert!(chunks(b"", 2).is_empty());
    }

    #[test]
    fn over_limit_picks_oldest_idle_entries() {
        let d = tempfile::tempdir().unwrap();
        let (s, _) = Spool::open(d.path(), 1 << 16, 100).unwrap();
        let first = s.push(&sealed(300)).unwrap();
        s.push(&sealed(300)).unwrap();
        assert!(s.is_full());
        first.in_flight.store(true, Ordering::SeqCst);
        let drop = s.over_limit();
        assert_eq!(drop.len(), 1);
        assert_ne!(drop[0].header.seq, first.header.seq);
    }
}

//! The merge window: records are merged by key in memory, and the byte ranges of the files
//! they came from are remembered with them, so that acknowledging a sealed window advances
//! exactly the checkpoints of the lines it holds — never those of lines still in memory.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use yapdns_core::{Aggregator, Association, AssociationView, NameSighting, NameView};
use yapdns_parsers::Record;

use crate::registry::Fingerprint;

/// The part of one lineage a batch covers: bytes `start..end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// The lineage (checkpoint entry) id.
    pub entry: u64,
    /// The file it was read from, for logs.
    pub path: PathBuf,
    /// Device and inode of that file.
    pub dev: u64,
    /// See `dev`.
    pub ino: u64,
    /// Fingerprint of the lineage.
    pub fp: Fingerprint,
    /// First byte covered.
    pub start: u64,
    /// Byte after the last one covered.
    pub end: u64,
}

/// A window being filled.
#[derive(Debug, Default)]
pub struct Window {
    agg: Aggregator,
    ranges: BTreeMap<u64, Range>,
    opened: Option<Instant>,
    lines: u64,
}

/// A sealed window: what one spool entry holds.
#[derive(Debug)]
pub struct Sealed {
    /// Stable id, from the agent id and the ranges.
    pub id: String,
    /// The byte ranges covered, one per lineage.
    pub ranges: Vec<Range>,
    /// Merged associations.
    pub associations: Vec<Association>,
    /// Merged name sightings.
    pub names: Vec<NameSighting>,
    /// Lines the ranges hold.
    pub lines: u64,
}

impl Window {
    /// Adds a record.
    pub fn add(&mut self, r: Record) {
        self.opened.get_or_insert_with(Instant::now);
        match r {
            Record::Association(a) => self.agg.add(a),
            Record::Name(n) => self.agg.add_name(n),
        }
    }

    /// Adds a borrowed association: merged without a copy when its key is held.
    pub fn add_view(&mut self, a: AssociationView<'_>) {
        self.opened.get_or_insert_with(Instant::now);
        self.agg.add_view(a);
    }

    /// Adds a borrowed name sighting, as [`Window::add_view`].
    pub fn add_name_view(&mut self, n: NameView<'_>) {
        self.opened.get_or_insert_with(Instant::now);
        self.agg.add_name_view(n);
    }

    /// Extends the range of `range.entry` to `range.end` (its `start` is used only when the
    /// lineage is new in this window). Empty ranges are ignored.
    pub fn cover(&mut self, range: Range, lines: u64) {
        if range.end <= range.start {
            return;
        }
        self.opened.get_or_insert_with(Instant::now);
        self.lines += lines;
        match self.ranges.get_mut(&range.entry) {
            Some(r) => {
                r.end = r.end.max(range.end);
                r.path = range.path;
                r.dev = range.dev;
                r.ino = range.ino;
                r.fp = range.fp;
            }
            None => {
                self.ranges.insert(range.entry, range);
            }
        }
    }

    /// Distinct associations and names held.
    pub fn entries(&self) -> usize {
        self.agg.len() + self.agg.names_len()
    }

    /// True when nothing was read since the last seal.
    pub fn is_empty(&self) -> bool {
        self.agg.is_empty() && self.ranges.is_empty()
    }

    /// True when the window should be sealed now.
    pub fn due(&self, now: Instant, window: Duration, max_entries: usize) -> bool {
        match self.opened {
            None => false,
            Some(t) => now.duration_since(t) >= window || self.entries() >= max_entries,
        }
    }

    /// Seals the window, leaving it empty; `None` when it was empty.
    pub fn seal(&mut self, agent_id: &str) -> Option<Sealed> {
        if self.is_empty() {
            return None;
        }
        self.opened = None;
        let ranges: Vec<Range> = std::mem::take(&mut self.ranges).into_values().collect();
        let associations = self.agg.take_associations();
        let names = self.agg.take_names();
        let lines = std::mem::take(&mut self.lines);
        Some(Sealed {
            id: batch_id(agent_id, &ranges),
            ranges,
            associations,
            names,
            lines,
        })
    }
}

/// The id of a batch: a hash of the agent id and of each lineage's id, fingerprint and byte
/// range. The same lines always give the same id; no two different batches share one.
pub fn batch_id(agent_id: &str, ranges: &[Range]) -> String {
    let mut h = Sha256::new();
    h.update(agent_id.as_bytes());
    for r in ranges {
        h.update(b"\0");
        h.update(r.entry.to_be_bytes());
        h.update(r.fp.hash.as_bytes());
        h.update(r.fp.len.to_be_bytes());
        h.update(r.start.to_be_bytes());
        h.update(r.end.to_be_bytes());
    }
    hex(&h.finalize())
}

fn hex(d: &[u8]) -> String {
    let mut s = String::with_capacity(32);
    for b in d.iter().take(16) {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Hex of the first 128 bits of the SHA-256 of `data`.
pub fn hex128(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yapdns_core::{RrType, SourceTag, Timestamp};

    fn range(entry: u64, start: u64, end: u64) -> Range {
        Range {
            entry,
            path: "/x".into(),
            dev: 1,
            ino: 2,
            fp: Fingerprint::of(b"x"),
            start,
            end,
        }
    }

    fn assoc(t: i64) -> Record {
        Record::Association(
            Association::new(
                "a.test",
                RrType::A,
                "192.0.2.1",
                Timestamp::from_secs(t),
                SourceTag::new("t", None),
            )
            .unwrap(),
        )
    }

    #[test]
    fn seal_merges_and_keeps_ranges() {
        let mut w = Window::default();
        assert!(w.seal("agent").is_none());
        w.add(assoc(1));
        w.cover(range(9, 0, 10), 1);
        w.add(assoc(2));
        w.cover(range(9, 10, 20), 1);
        w.cover(range(4, 5, 5), 0);
        let s = w.seal("agent").unwrap();
        assert_eq!(s.associations.len(), 1);
        assert_eq!(s.associations[0].count, 2);
        assert_eq!(s.ranges, vec![range(9, 0, 20)]);
        assert_eq!(s.lines, 2);
        assert!(w.is_empty());
    }

    #[test]
    fn ids_depend_on_ranges_and_agent() {
        let a = batch_id("a", &[range(1, 0, 10)]);
        assert_eq!(a, batch_id("a", &[range(1, 0, 10)]));
        assert_ne!(a, batch_id("b", &[range(1, 0, 10)]));
        assert_ne!(a, batch_id("a", &[range(1, 0, 11)]));
        assert_ne!(a, batch_id("a", &[range(2, 0, 10)]));
    }

    #[test]
    fn due_by_time_or_size() {
        let mut w = Window::default();
        let now = Instant::now();
        assert!(!w.due(now, Duration::ZERO, 10));
        w.add(assoc(1));
        assert!(w.due(Instant::now(), Duration::ZERO, 10));
        assert!(!w.due(Instant::now(), Duration::from_secs(60), 10));
        assert!(w.due(Instant::now(), Duration::from_secs(60), 1));
    }
}

//! Bulk loading of log files into a store (`yapdns-server import`, and the demo).
//!
//! Files are parsed on a blocking thread and merged into batches of up to
//! [`ImportOptions::batch_records`] records; batches are written while the next one is parsed.
//! Each batch carries an id derived from what it holds (format, sensor, byte range, the
//! associations and names themselves), so re-running an import — after an interruption, or
//! on a log that has grown — applies every batch already written once, and only the new ones
//! change the store.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use yapdns_core::{Aggregator, Batch, BatchId, Sink};
use yapdns_parsers::{parse_path, Format, ParseOptions, Record, Stats};

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The format; detected per file when `None`.
    pub format: Option<Format>,
    /// Parser options (sensor id, time zone, year rule).
    pub parse: ParseOptions,
    /// Records (associations and names, before merging) per batch.
    pub batch_records: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            format: None,
            parse: ParseOptions::default(),
            batch_records: 20_000,
        }
    }
}

/// Figures so far, for a progress line and the final summary.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// The file being read.
    pub file: String,
    /// Parse figures over every file so far.
    pub stats: Stats,
    /// Batches the store applied.
    pub batches_applied: u64,
    /// Batches the store had already applied (a re-run).
    pub batches_skipped: u64,
    /// Distinct associations written (after merging within batches).
    pub written_associations: u64,
    /// Distinct name sightings written.
    pub written_names: u64,
    /// Files that could not be read or whose format was not recognised, with why.
    pub failed_files: Vec<(PathBuf, String)>,
    /// Time since the import began.
    pub elapsed: Duration,
}

/// What can stop an import (a bad line never does: it is counted).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The store refused a batch.
    #[error("store: {0}")]
    Store(#[from] yapdns_core::Error),
}

/// 64-bit FNV-1a, twice with different offsets: a stable 128-bit content hash for batch ids
/// (std's hashers may change between Rust releases; these ids must not).
#[derive(Debug, Clone, Copy)]
struct Fnv2(u64, u64);

impl Fnv2 {
    fn new() -> Fnv2 {
        Fnv2(0xcbf2_9ce4_8422_2325, 0x6c62_272e_07bb_0142)
    }

    fn write(&mut self, bytes: &[u8]) {
        const P: u64 = 0x0000_0100_0000_01b3;
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(P);
            self.1 = (self.1 ^ u64::from(b)).wrapping_mul(P).rotate_left(5);
        }
        self.0 = (self.0 ^ 0xff).wrapping_mul(P);
        self.1 = (self.1 ^ 0xff).wrapping_mul(P);
    }
}

/// The id of a batch: a hash of its format, sensor, byte range and content.
pub fn batch_id(format: &str, sensor: Option<&str>, range: (u64, u64), batch: &Batch) -> BatchId {
    let mut h = Fnv2::new();
    h.write(format.as_bytes());
    h.write(sensor.unwrap_or("").as_bytes());
    h.write(&range.0.to_le_bytes());
    h.write(&range.1.to_le_bytes());
    for a in &batch.associations {
        h.write(a.to_cof_json().as_bytes());
    }
    for n in &batch.names {
        h.write(serde_json::to_string(n).unwrap_or_default().as_bytes());
    }
    BatchId(format!(
        "import:{format}:{}-{}:{:016x}{:016x}",
        range.0, range.1, h.0, h.1
    ))
}

enum Msg {
    File(String),
    Batch(Batch, Stats),
    Failed(PathBuf, String),
    Done(Stats),
}

fn parse_file(path: &Path, opts: &ImportOptions, tx: &tokio::sync::mpsc::Sender<Msg>) {
    let name = path.display().to_string();
    if tx.blocking_send(Msg::File(name.clone())).is_err() {
        return;
    }
    let mut records = match parse_path(path, opts.format, &opts.parse) {
        Ok(r) => r,
        Err(e) => {
            let _ = tx.blocking_send(Msg::Failed(path.to_path_buf(), e.to_string()));
            return;
        }
    };
    let format = records.format().name();
    let sensor = opts.parse.sensor.clone();
    let mut agg = Aggregator::default();
    let mut pending = 0usize;
    let mut start = 0u64;
    let mut last_stats = Stats::default();
    let flush =
        |agg: &mut Aggregator, start: &mut u64, end: u64, stats: &Stats, last: &mut Stats| {
            let mut batch = Batch {
                id: None,
                associations: agg.take_associations(),
                names: agg.take_names(),
            };
            batch.id = Some(batch_id(format, sensor.as_deref(), (*start, end), &batch));
            *start = end;
            let delta = stats_delta(stats, last);
            *last = stats.clone();
            tx.blocking_send(Msg::Batch(batch, delta)).is_ok()
        };
    loop {
        let next = records.next();
        match next {
            Some(Ok(Record::Association(a))) => {
                agg.add(a);
                pending += 1;
            }
            Some(Ok(Record::Name(n))) => {
                agg.add_name(n);
                pending += 1;
            }
            Some(Err(_)) => {}
            None => break,
        }
        if pending >= opts.batch_records {
            pending = 0;
            let end = records.offset();
            let stats = records.stats().clone();
            if !flush(&mut agg, &mut start, end, &stats, &mut last_stats) {
                return;
            }
        }
    }
    let end = records.offset();
    let stats = records.stats().clone();
    if !agg.is_empty() && !flush(&mut agg, &mut start, end, &stats, &mut last_stats) {
        return;
    }
    let _ = tx.blocking_send(Msg::Done(stats_delta(&stats, &last_stats)));
}

/// What `now` adds to `before` (both cumulative over one file).
fn stats_delta(now: &Stats, before: &Stats) -> Stats {
    let mut d = Stats {
        lines: now.lines - before.lines.min(now.lines),
        associations: now.associations - before.associations.min(now.associations),
        names: now.names - before.names.min(now.names),
        no_answer: now.no_answer - before.no_answer.min(now.no_answer),
        skipped: now.skipped - before.skipped.min(now.skipped),
        ..Stats::default()
    };
    for (k, v) in &now.errors {
        let b = before.errors.get(k).copied().unwrap_or(0);
        if *v > b {
            d.errors.insert(k.clone(), v - b);
        }
    }
    d.error_samples = now
        .error_samples
        .iter()
        .skip(before.error_samples.len())
        .cloned()
        .collect();
    d
}

/// Imports `paths` into `sink`, calling `progress` after every batch and file. Bad lines are
/// counted, unreadable files listed; only a store error stops the import.
pub async fn import(
    sink: &dyn Sink,
    paths: &[PathBuf],
    opts: &ImportOptions,
    mut progress: impl FnMut(&Progress),
) -> Result<Progress, ImportError> {
    let began = Instant::now();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Msg>(2);
    let paths_owned = paths.to_vec();
    let opts_owned = opts.clone();
    let parser = std::thread::spawn(move || {
        for p in &paths_owned {
            parse_file(p, &opts_owned, &tx);
        }
    });
    let mut p = Progress::default();
    let mut result = Ok(());
    while let Some(msg) = rx.recv().await {
        match msg {
            Msg::File(f) => p.file = f,
            Msg::Failed(path, why) => p.failed_files.push((path, why)),
            Msg::Batch(batch, delta) => {
                p.stats.add(&delta);
                match sink.write(&batch).await {
                    Ok(r) if r.applied => {
                        p.batches_applied += 1;
                        p.written_associations += batch.associations.len() as u64;
                        p.written_names += batch.names.len() as u64;
                    }
                    Ok(_) => p.batches_skipped += 1,
                    Err(e) => {
                        result = Err(e);
                        break;
                    }
                }
            }
            Msg::Done(delta) => p.stats.add(&delta),
        }
        p.elapsed = began.elapsed();
        progress(&p);
    }
    drop(rx);
    let _ = tokio::task::spawn_blocking(move || parser.join()).await;
    p.elapsed = began.elapsed();
    result?;
    Ok(p)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use yapdns_core::{Association, RrType, SourceTag, Timestamp};

    #[test]
    fn batch_ids_depend_on_content_and_range_only() {
        let a = Association::new(
            "x.test",
            RrType::A,
            "192.0.2.1",
            Timestamp::from_secs(1),
            SourceTag::new("bind", None),
        )
        .unwrap();
        let b = Batch {
            id: None,
            associations: vec![a.clone()],
            names: vec![],
        };
        let id1 = batch_id("bind", None, (0, 100), &b);
        assert_eq!(id1, batch_id("bind", None, (0, 100), &b));
        assert_ne!(id1, batch_id("bind", None, (0, 101), &b));
        assert_ne!(id1, batch_id("bind", Some("s"), (0, 100), &b));
        let mut a2 = a;
        a2.count = 2;
        let b2 = Batch {
            id: None,
            associations: vec![a2],
            names: vec![],
        };
        assert_ne!(id1, batch_id("bind", None, (0, 100), &b2));
        assert!(id1.0.starts_with("import:bind:0-100:"));
    }
}

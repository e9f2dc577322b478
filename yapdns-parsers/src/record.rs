//! What parsers produce and how it is counted.

use std::collections::BTreeMap;

use serde::Serialize;
use yapdns_core::{Association, NameSighting};

use crate::error::{ErrorKind, FileError};

/// One thing a log yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A name with its answer.
    Association(Association),
    /// A name seen without an answer.
    Name(NameSighting),
}

/// How a line was used, for the statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The line (or the record it completed) carried an answer and yielded associations.
    Answer,
    /// A line of the format that carries no answer: a bare query, a proxy hit with no server
    /// address, a negative answer. It may have yielded a name sighting.
    NoAnswer,
    /// A line with nothing to take: blank, a comment or header, another log category, or part
    /// of a multi-line record still being read.
    Skipped,
}

/// How many errors are kept with their line numbers for a report; past this they are only
/// counted.
pub const MAX_ERROR_SAMPLES: usize = 100;

/// What parsing an input (or several) gave.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Lines read.
    pub lines: u64,
    /// Associations yielded.
    pub associations: u64,
    /// Name sightings yielded.
    pub names: u64,
    /// Lines that carried no answer.
    pub no_answer: u64,
    /// Lines with nothing to take.
    pub skipped: u64,
    /// Bad lines by kind.
    pub errors: BTreeMap<String, u64>,
    /// The first bad lines, with file and line number.
    #[serde(skip)]
    pub error_samples: Vec<FileError>,
}

impl Stats {
    /// Total bad lines.
    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }

    /// Counts one bad line and keeps it as a sample while there is room.
    pub fn record_error(&mut self, e: FileError) {
        *self
            .errors
            .entry(e.error.kind.as_str().to_string())
            .or_default() += 1;
        if self.error_samples.len() < MAX_ERROR_SAMPLES {
            self.error_samples.push(e);
        }
    }

    /// Counts one bad line of `kind` without a sample.
    pub fn count_error(&mut self, kind: ErrorKind) {
        *self.errors.entry(kind.as_str().to_string()).or_default() += 1;
    }

    /// Adds another input's figures.
    pub fn add(&mut self, other: &Stats) {
        self.lines += other.lines;
        self.associations += other.associations;
        self.names += other.names;
        self.no_answer += other.no_answer;
        self.skipped += other.skipped;
        for (k, v) in &other.errors {
            *self.errors.entry(k.clone()).or_default() += v;
        }
        for e in &other.error_samples {
            if self.error_samples.len() < MAX_ERROR_SAMPLES {
                self.error_samples.push(e.clone());
            }
        }
    }
}

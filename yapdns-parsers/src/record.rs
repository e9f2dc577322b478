//! What parsers produce and how it is counted.

use std::collections::BTreeMap;

use serde::Serialize;
use yapdns_core::{Aggregator, Association, AssociationView, NameSighting, NameView};

use crate::error::{ErrorKind, FileError};

/// One thing a log yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A name with its answer.
    Association(Association),
    /// A name seen without an answer.
    Name(NameSighting),
}

/// Where a parser hands what it yields. Records arrive as borrowed views, valid for the call:
/// a consumer that keeps them copies them ([`Vec<Record>`] does), one that merges or counts
/// them copies nothing ([`Aggregator`] does). This is what makes a parser's cost the parsing
/// alone; see [`Records::for_each_view`](crate::Records::for_each_view).
///
/// ```
/// use yapdns_parsers::{Emit, Record};
/// use yapdns_core::{Association, RrType, SourceTag, Timestamp};
/// let a = Association::new("a.test", RrType::A, "192.0.2.1", Timestamp::from_secs(1),
///                          SourceTag::new("squid", None)).unwrap();
/// let mut out: Vec<Record> = Vec::new();
/// out.association(a.view());
/// out.push(Record::Association(a.clone()));
/// assert_eq!(out, vec![Record::Association(a.clone()), Record::Association(a)]);
/// ```
pub trait Emit {
    /// One association.
    fn association(&mut self, a: AssociationView<'_>);
    /// One name sighting.
    fn name(&mut self, n: NameView<'_>);
    /// An owned record, for parsers that built one anyway; consumers that keep records
    /// take it without a copy.
    fn push(&mut self, r: Record) {
        match &r {
            Record::Association(a) => self.association(a.view()),
            Record::Name(n) => self.name(n.view()),
        }
    }
    /// Whether the consumer wants no more (its output closed, its limit reached):
    /// [`Records::for_each_view`](crate::Records::for_each_view) then returns after the
    /// buffer of lines it is reading, instead of reading the input to its end.
    fn stopped(&self) -> bool {
        false
    }
}

impl Emit for Vec<Record> {
    fn association(&mut self, a: AssociationView<'_>) {
        Vec::push(self, Record::Association(a.to_association()));
    }
    fn name(&mut self, n: NameView<'_>) {
        Vec::push(self, Record::Name(n.to_sighting()));
    }
    fn push(&mut self, r: Record) {
        Vec::push(self, r);
    }
}

impl Emit for Aggregator {
    fn association(&mut self, a: AssociationView<'_>) {
        self.add_view(a);
    }
    fn name(&mut self, n: NameView<'_>) {
        self.add_name_view(n);
    }
    fn push(&mut self, r: Record) {
        match r {
            Record::Association(a) => self.add(a),
            Record::Name(n) => self.add_name(n),
        }
    }
}

/// Counts what passes through to another [`Emit`], for the statistics.
///
/// ```
/// use yapdns_parsers::{Counted, Emit, Record};
/// use yapdns_core::{Association, RrType, SourceTag, Timestamp};
/// let a = Association::new("a.test", RrType::A, "192.0.2.1", Timestamp::from_secs(1),
///                          SourceTag::new("squid", None)).unwrap();
/// let mut kept: Vec<Record> = Vec::new();
/// let mut counted = Counted::new(&mut kept);
/// counted.association(a.view());
/// assert_eq!((counted.associations, counted.names), (1, 0));
/// ```
pub struct Counted<'a> {
    /// Where the records go on to.
    pub inner: &'a mut dyn Emit,
    /// Associations passed on.
    pub associations: u64,
    /// Name sightings passed on.
    pub names: u64,
}

impl<'a> Counted<'a> {
    /// Counts what goes on to `inner`, from zero.
    pub fn new(inner: &'a mut dyn Emit) -> Counted<'a> {
        Counted {
            inner,
            associations: 0,
            names: 0,
        }
    }

    /// Records passed on so far.
    pub fn emitted(&self) -> u64 {
        self.associations + self.names
    }
}

impl Emit for Counted<'_> {
    fn association(&mut self, a: AssociationView<'_>) {
        self.associations += 1;
        self.inner.association(a);
    }
    fn name(&mut self, n: NameView<'_>) {
        self.names += 1;
        self.inner.name(n);
    }
    fn push(&mut self, r: Record) {
        match &r {
            Record::Association(_) => self.associations += 1,
            Record::Name(_) => self.names += 1,
        }
        self.inner.push(r);
    }
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
        self.count_error(e.error.kind);
        if self.error_samples.len() < MAX_ERROR_SAMPLES {
            self.error_samples.push(e);
        }
    }

    /// [`Stats::record_error`] of an error the caller keeps: copied only while samples are
    /// kept.
    pub(crate) fn record_error_ref(&mut self, e: &FileError) {
        self.count_error(e.error.kind);
        self.keep_sample(e);
    }

    /// Keeps a copy of `e` as a sample while there is room; counts nothing.
    #[inline]
    pub(crate) fn keep_sample(&mut self, e: &FileError) {
        if self.error_samples.len() < MAX_ERROR_SAMPLES {
            self.error_samples.push(e.clone());
        }
    }

    /// Counts one bad line of `kind` without a sample.
    pub fn count_error(&mut self, kind: ErrorKind) {
        self.count_errors(kind, 1);
    }

    /// Counts `n` bad lines of `kind` without samples.
    pub(crate) fn count_errors(&mut self, kind: ErrorKind, n: u64) {
        // Found without building the key: the kind is nearly always counted already.
        match self.errors.get_mut(kind.as_str()) {
            Some(c) => *c += n,
            None => {
                self.errors.insert(kind.as_str().to_string(), n);
            }
        }
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

//! Where raw records come from: files being tailed, uploads, stdin.

use serde::{Deserialize, Serialize};

/// Where a raw record sits in its origin, so a consumer can checkpoint exactly what it has
/// durably handed on and resume after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// The origin: a path, or a file fingerprint that survives renames.
    pub origin: String,
    /// 1-based line number of the record's first line.
    pub line: u64,
    /// Byte offset just past the record: where reading resumes.
    pub end_offset: u64,
}

/// One raw record: a line, or a whole document for document formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord {
    /// The bytes, without the line terminator.
    pub data: Vec<u8>,
    /// Where it came from.
    pub position: Position,
}

/// Yields raw records in order, in batches.
///
/// A source never skips silently: a record it had to cut (too long) or could not read is still
/// yielded or reported through the error type, so it is counted.
///
/// ```
/// use yapdns_core::{Position, RawRecord, Source};
///
/// /// Records from lines already in memory.
/// struct Lines { lines: Vec<&'static str>, next: usize, offset: u64 }
///
/// impl Source for Lines {
///     type Error = std::convert::Infallible;
///     fn next_batch(&mut self, max: usize) -> Result<Vec<RawRecord>, Self::Error> {
///         let mut out = Vec::new();
///         while out.len() < max && self.next < self.lines.len() {
///             let l = self.lines[self.next];
///             self.offset += l.len() as u64 + 1;
///             self.next += 1;
///             out.push(RawRecord { data: l.as_bytes().to_vec(),
///                 position: Position { origin: "mem".into(), line: self.next as u64, end_offset: self.offset } });
///         }
///         Ok(out)
///     }
/// }
///
/// let mut s = Lines { lines: vec!["a", "b", "c"], next: 0, offset: 0 };
/// assert_eq!(s.next_batch(2).unwrap().len(), 2);
/// assert_eq!(s.next_batch(2).unwrap()[0].position.end_offset, 6);
/// assert!(s.next_batch(2).unwrap().is_empty());
/// ```
pub trait Source {
    /// The source's error type.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Up to `max` records; an empty batch means nothing more is available now.
    fn next_batch(&mut self, max: usize) -> Result<Vec<RawRecord>, Self::Error>;
}

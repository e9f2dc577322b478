//! Typed parse errors: every bad line becomes one, with its line number and reason.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// What kind of problem a bad line had; errors are counted by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The line does not follow the format's grammar.
    Syntax,
    /// The timestamp is missing or cannot be read.
    Timestamp,
    /// A domain name cannot be normalised.
    Name,
    /// Record data does not fit its type.
    Rdata,
    /// An unknown record type.
    RrType,
    /// A JSON document or line does not parse, or lacks a required field.
    Json,
    /// Bytes that are not text in the format's encoding.
    Encoding,
    /// A line longer than the limit; it was cut and skipped.
    TooLong,
    /// A multi-line record or document ended early.
    Truncated,
    /// Reading the input failed.
    Io,
}

impl ErrorKind {
    /// Every kind, in the order of their discriminants (`kind as usize` indexes it).
    pub(crate) const ALL: [ErrorKind; 10] = [
        ErrorKind::Syntax,
        ErrorKind::Timestamp,
        ErrorKind::Name,
        ErrorKind::Rdata,
        ErrorKind::RrType,
        ErrorKind::Json,
        ErrorKind::Encoding,
        ErrorKind::TooLong,
        ErrorKind::Truncated,
        ErrorKind::Io,
    ];

    /// The kind's name in statistics and reports (`syntax`, `timestamp`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::Timestamp => "timestamp",
            ErrorKind::Name => "name",
            ErrorKind::Rdata => "rdata",
            ErrorKind::RrType => "rrtype",
            ErrorKind::Json => "json",
            ErrorKind::Encoding => "encoding",
            ErrorKind::TooLong => "too_long",
            ErrorKind::Truncated => "truncated",
            ErrorKind::Io => "io",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A line that could not be parsed. The rest of the input is still read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}: {reason}")]
pub struct ParseError {
    /// 1-based line number (of the first line, for multi-line records).
    pub line: u64,
    /// What went wrong.
    pub kind: ErrorKind,
    /// Why, for a person. Most reasons are fixed text, kept without a copy: a log full of
    /// bad lines (a channel logging without time stamps) costs no allocation per line for it.
    pub reason: Cow<'static, str>,
}

impl ParseError {
    /// An error of `kind` at `line`.
    pub fn new(line: u64, kind: ErrorKind, reason: impl Into<Cow<'static, str>>) -> ParseError {
        ParseError {
            line,
            kind,
            reason: reason.into(),
        }
    }

    /// The error of a JSON line at `line` that serde could not read: `truncated` when the
    /// line ends inside its object (a syslog relay that cuts messages at 1024 bytes, as
    /// pfSense's does, leaves EVE events so), `json` for anything else.
    pub fn from_json_line(line: u64, e: &serde_json::Error) -> ParseError {
        if e.is_eof() {
            return ParseError::new(
                line,
                ErrorKind::Truncated,
                format!("line ends inside its JSON object ({e})"),
            );
        }
        ParseError::new(line, ErrorKind::Json, e.to_string())
    }

    /// Maps a core normalisation error to a parse error at `line`.
    pub fn from_core(line: u64, e: yapdns_core::Error) -> ParseError {
        let kind = match e {
            yapdns_core::Error::InvalidName { .. } => ErrorKind::Name,
            yapdns_core::Error::InvalidRdata { .. } => ErrorKind::Rdata,
            yapdns_core::Error::InvalidRrType(_) => ErrorKind::RrType,
            yapdns_core::Error::Json(_) | yapdns_core::Error::Cof(_) => ErrorKind::Json,
            _ => ErrorKind::Syntax,
        };
        ParseError::new(line, kind, e.to_string())
    }
}

/// A bad line in a named file, for reports (`path:line: kind: reason`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}:{}: {}: {}", .error.line, .error.kind, .error.reason)]
pub struct FileError {
    /// The file (or `-` for stdin).
    pub origin: Arc<str>,
    /// The error.
    pub error: ParseError,
}

/// Errors of the parsers crate that are not about one line: unknown format names, files that
/// cannot be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A format name that no parser has.
    #[error("unknown format {0:?} (see `yapdns-agent formats`)")]
    UnknownFormat(String),
    /// The format could not be detected from the first lines.
    #[error("cannot detect the format of {0}; pass --format")]
    Undetected(String),
    /// The input cannot be read.
    #[error("{origin}: {source}")]
    Io {
        /// The file.
        origin: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An invalid option value (time zone, year).
    #[error("invalid option: {0}")]
    Option(String),
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_at_its_discriminant() {
        for (i, &k) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(k as usize, i, "{k:?}");
        }
    }
}

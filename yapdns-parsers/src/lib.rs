//! YAPDNS log parsers: one parser per log format, a format registry, and detection.
//!
//! Each format lives in its own module under [`formats`] with its grammar in the module's doc
//! comment. [`Format`] is the closed registry of them; [`detect`] picks one from a file's first
//! lines; [`Records`] drives a parser over any input as a streaming iterator, turning every bad
//! line into a counted [`FileError`] with its line number instead of stopping.
//!
//! ```no_run
//! use yapdns_parsers::{parse_path, ParseOptions, Record};
//!
//! let mut records = parse_path("access.log".as_ref(), None, &ParseOptions::default())?;
//! for r in records.by_ref() {
//!     match r {
//!         Ok(Record::Association(a)) => println!("{}", a.to_cof_json()),
//!         Ok(Record::Name(_)) => {}
//!         Err(bad) => eprintln!("{bad}"),
//!     }
//! }
//! eprintln!("{:?}", records.stats());
//! # Ok::<(), yapdns_parsers::Error>(())
//! ```
//!
//! The iterator builds an owned record for every sighting. A consumer that merges or counts
//! them does better with [`Records::for_each_view`], which hands each record to an [`Emit`] as
//! a view borrowed from the line — merged into an `Aggregator`, a record seen before costs no
//! allocation at all:
//!
//! ```no_run
//! use yapdns_core::Aggregator;
//! use yapdns_parsers::{parse_path, ParseOptions};
//!
//! let mut agg = Aggregator::default();
//! let mut records = parse_path("query.log".as_ref(), None, &ParseOptions::default())?;
//! records.for_each_view(&mut agg, |bad| eprintln!("{bad}"));
//! for a in agg.take_associations() {
//!     println!("{}", a.to_cof_json());
//! }
//! # Ok::<(), yapdns_parsers::Error>(())
//! ```
#![deny(missing_docs)]

mod bytes;
mod error;
mod format;
pub mod formats;
pub mod input;
mod options;
mod parse;
mod record;
mod view_buf;

pub use error::{Error, ErrorKind, FileError, ParseError, Result};
pub use format::{detect, Format};
pub use input::container::Wrapper;
pub use options::{month_from_abbr, parse_offset, ParseOptions, TimeZone, YearRule};
pub use parse::{
    detect_head, parse_path, parse_reader, parse_str, parse_str_with, DynReader, Records,
    DETECT_BYTES, DETECT_DOCUMENT_BYTES,
};
pub use record::{Counted, Emit, Outcome, Record, Stats, MAX_ERROR_SAMPLES};
pub use view_buf::ViewBuf;

//! Python bindings for the YAPDNS parsers: the extension module `yapdns._yapdns`, re-exported
//! by the pure-Python package `yapdns` (see `python/yapdns/`).
//!
//! Every function drives the same [`yapdns_parsers::Records`] iterator as `yapdns-agent
//! parse`, so Python sees exactly the associations the CLI prints. Parsing runs without the
//! GIL; Python objects are made afterwards (lists) or a batch at a time (iterators), and they
//! wrap the Rust values without copying them.
//!
//! ```python
//! import yapdns
//! for a in yapdns.iter_file("dnsdump.tsv.gz"):
//!     print(a.rrname, a.rrtype, a.rdata, a.first_seen)
//! ```
#![deny(missing_docs)]

mod driver;
mod errors;
mod json;
mod records;
mod stats;

use std::io::Cursor;
use std::path::PathBuf;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyMemoryView, PyString};
use yapdns_parsers::{
    parse_path, parse_reader, DynReader, Error, Format, ParseOptions, Records, TimeZone, YearRule,
};

use crate::driver::{Driver, OnError, RecordIterator, Want, BATCH};
use crate::errors::lib_error;
use crate::records::{PyAssociation, PyNameSighting};
use crate::stats::{set_last, PyStats};

/// Every record handed to Python owns its name and data, allocated one by one and freed when
/// Python drops the object, tens of thousands alive at once: the pattern glibc's allocator
/// serves worst (its per-thread cache holds seven blocks of a size). mimalloc serves it at a
/// fraction of the cost. It backs only the allocations of this module's Rust code; Python's
/// objects keep Python's allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The parse options every function takes, checked before any file is opened.
struct Opts {
    format: Option<Format>,
    parse: ParseOptions,
    on_error: OnError,
    aggregate: bool,
}

impl Opts {
    fn new(
        format: Option<&str>,
        aggregate: bool,
        sensor: Option<String>,
        errors: &str,
        timezone: &str,
        year: Option<i32>,
        origin: Option<&str>,
    ) -> PyResult<Opts> {
        let on_error = match errors {
            "skip" => OnError::Skip,
            "raise" => OnError::Raise,
            other => {
                return Err(PyValueError::new_err(format!(
                    "errors must be 'skip' or 'raise', not {}",
                    errors::quote(other)
                )))
            }
        };
        let format = format
            .map(|f| f.parse::<Format>())
            .transpose()
            .map_err(lib_error)?;
        let timezone: TimeZone = timezone.parse().map_err(lib_error)?;
        let mut parse = ParseOptions {
            sensor,
            timezone,
            ..ParseOptions::default()
        };
        if let Some(y) = year {
            parse.year = YearRule::Fixed(y);
        }
        if let Some(o) = origin {
            parse.set_origin(o).map_err(lib_error)?;
        }
        Ok(Opts {
            format,
            parse,
            on_error,
            aggregate,
        })
    }
}

/// Opens a file (gzip and UTF-16 decoded, format detected if unset) without the GIL.
fn open_path(py: Python<'_>, path: PathBuf, o: &Opts) -> PyResult<Records<DynReader<'static>>> {
    py.detach(|| parse_path(&path, o.format, &o.parse))
        .map_err(lib_error)
}

/// Opens bytes in memory like a file.
fn open_bytes(
    py: Python<'_>,
    data: Vec<u8>,
    origin: &str,
    o: &Opts,
) -> PyResult<Records<DynReader<'static>>> {
    py.detach(|| parse_reader(Cursor::new(data), o.format, &o.parse, origin))
        .map_err(lib_error)
}

/// Parses to the end without the GIL and returns the wanted records as a list, recording the
/// figures for `last_stats()`; raises the first bad line when asked to.
fn run_list<'py>(
    py: Python<'py>,
    records: Records<DynReader<'static>>,
    want: Want,
    o: &Opts,
) -> PyResult<Bound<'py, PyList>> {
    let mut d = Driver::new(records, want, o.on_error, o.aggregate);
    let list = PyList::empty(py);
    // Batch by batch, like the iterator: the Rust records of one batch become Python objects
    // while they are still in cache, and are never all held twice.
    loop {
        py.detach(|| d.fill(BATCH));
        if d.has_error() {
            break;
        }
        if d.queue_is_empty() {
            break;
        }
        d.drain_into(py, &list)?;
        // Ctrl-C stops a long parse between batches.
        if let Err(e) = py.check_signals() {
            set_last(&d.stats());
            return Err(e);
        }
    }
    set_last(&d.stats());
    if let Some(e) = d.take_error_now() {
        return Err(e);
    }
    Ok(list)
}

/// The bytes of a `bytes`, `bytearray` or `memoryview`.
fn bytes_of(data: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    if let Ok(b) = data.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = data.cast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    if data.is_instance_of::<PyMemoryView>() {
        let b = data.py().get_type::<PyBytes>().call1((data,))?;
        return Ok(b.cast::<PyBytes>()?.as_bytes().to_vec());
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be bytes, bytearray or memoryview, not {}",
        data.get_type().name()?
    )))
}

/// Parses a log file and returns its associations as a list.
///
/// `path` is a `str` or `os.PathLike` (`-` reads standard input); `.gz` files are read
/// transparently. `format=None` detects the format from the first lines (see `formats()`).
/// `aggregate=True` merges associations with the same key. `sensor` is recorded in every
/// association's sources. `errors="skip"` counts bad lines (see `last_stats()`);
/// `errors="raise"` raises `ParseError` on the first one. `timezone` (`"utc"`, `"local"`,
/// `"+02:00"`) and `year` apply to timestamps written without them; `origin` is the zone of
/// master files without `$ORIGIN`.
#[pyfunction]
#[pyo3(signature = (path, format=None, *, aggregate=false, sensor=None, errors="skip", timezone="utc", year=None, origin=None))]
#[allow(clippy::too_many_arguments)]
fn parse_file<'py>(
    py: Python<'py>,
    path: PathBuf,
    format: Option<&str>,
    aggregate: bool,
    sensor: Option<String>,
    errors: &str,
    timezone: &str,
    year: Option<i32>,
    origin: Option<&str>,
) -> PyResult<Bound<'py, PyList>> {
    let o = Opts::new(format, aggregate, sensor, errors, timezone, year, origin)?;
    let records = open_path(py, path, &o)?;
    run_list(py, records, Want::Associations, &o)
}

/// Like `parse_file`, as an iterator that reads the file as it goes, in constant memory
/// (except with `aggregate=True`, which holds one entry per distinct key until the end).
/// Its `stats` attribute gives the figures.
#[pyfunction]
#[pyo3(signature = (path, format=None, *, aggregate=false, sensor=None, errors="skip", timezone="utc", year=None, origin=None))]
#[allow(clippy::too_many_arguments)]
fn iter_file(
    py: Python<'_>,
    path: PathBuf,
    format: Option<&str>,
    aggregate: bool,
    sensor: Option<String>,
    errors: &str,
    timezone: &str,
    year: Option<i32>,
    origin: Option<&str>,
) -> PyResult<RecordIterator> {
    let o = Opts::new(format, aggregate, sensor, errors, timezone, year, origin)?;
    let records = open_path(py, path, &o)?;
    Ok(RecordIterator::new(Driver::new(
        records,
        Want::Associations,
        o.on_error,
        o.aggregate,
    )))
}

/// Parses a log file and returns the names seen without an answer (`NameSighting`s): queries
/// in a DNS server's query log, hosts a honeyclient contacted. Arguments as `parse_file`.
#[pyfunction]
#[pyo3(signature = (path, format=None, *, aggregate=false, sensor=None, errors="skip", timezone="utc", year=None, origin=None))]
#[allow(clippy::too_many_arguments)]
fn parse_names<'py>(
    py: Python<'py>,
    path: PathBuf,
    format: Option<&str>,
    aggregate: bool,
    sensor: Option<String>,
    errors: &str,
    timezone: &str,
    year: Option<i32>,
    origin: Option<&str>,
) -> PyResult<Bound<'py, PyList>> {
    let o = Opts::new(format, aggregate, sensor, errors, timezone, year, origin)?;
    let records = open_path(py, path, &o)?;
    run_list(py, records, Want::Names, &o)
}

/// Like `parse_names`, as a streaming iterator.
#[pyfunction]
#[pyo3(signature = (path, format=None, *, aggregate=false, sensor=None, errors="skip", timezone="utc", year=None, origin=None))]
#[allow(clippy::too_many_arguments)]
fn iter_names(
    py: Python<'_>,
    path: PathBuf,
    format: Option<&str>,
    aggregate: bool,
    sensor: Option<String>,
    errors: &str,
    timezone: &str,
    year: Option<i32>,
    origin: Option<&str>,
) -> PyResult<RecordIterator> {
    let o = Opts::new(format, aggregate, sensor, errors, timezone, year, origin)?;
    let records = open_path(py, path, &o)?;
    Ok(RecordIterator::new(Driver::new(
        records,
        Want::Names,
        o.on_error,
        o.aggregate,
    )))
}

/// Parses a log held in memory (`bytes`, `bytearray` or `memoryview`; gzip is decoded) and
/// returns its associations. A whole-document format such as a Cuckoo `report.json` is read
/// this way too. Other arguments as `parse_file`.
#[pyfunction]
#[pyo3(signature = (data, format=None, *, aggregate=false, sensor=None, errors="skip", timezone="utc", year=None, origin=None))]
#[allow(clippy::too_many_arguments)]
fn parse_bytes<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    format: Option<&str>,
    aggregate: bool,
    sensor: Option<String>,
    errors: &str,
    timezone: &str,
    year: Option<i32>,
    origin: Option<&str>,
) -> PyResult<Bound<'py, PyList>> {
    let o = Opts::new(format, aggregate, sensor, errors, timezone, year, origin)?;
    let data = bytes_of(data, "data")?;
    let records = open_bytes(py, data, "<bytes>", &o)?;
    run_list(py, records, Want::Associations, &o)
}

/// Parses an iterable of lines (`str` or `bytes`, with or without their newline: a list, an
/// open file, a generator) and returns their associations. Line numbers in errors count from
/// 1 over the iterable. Other arguments as `parse_file`.
#[pyfunction]
#[pyo3(signature = (lines, format=None, *, aggregate=false, sensor=None, errors="skip", timezone="utc", year=None, origin=None))]
#[allow(clippy::too_many_arguments)]
fn parse_lines<'py>(
    py: Python<'py>,
    lines: &Bound<'py, PyAny>,
    format: Option<&str>,
    aggregate: bool,
    sensor: Option<String>,
    errors: &str,
    timezone: &str,
    year: Option<i32>,
    origin: Option<&str>,
) -> PyResult<Bound<'py, PyList>> {
    let o = Opts::new(format, aggregate, sensor, errors, timezone, year, origin)?;
    if lines.is_instance_of::<PyString>()
        || lines.is_instance_of::<PyBytes>()
        || lines.is_instance_of::<PyByteArray>()
    {
        return Err(PyTypeError::new_err(
            "parse_lines takes an iterable of lines; for one text use parse_bytes(text.encode(), ...)",
        ));
    }
    let mut buf = Vec::new();
    for line in lines.try_iter()? {
        let line = line?;
        if let Ok(s) = line.cast::<PyString>() {
            buf.extend_from_slice(s.to_cow()?.as_bytes());
        } else if let Ok(b) = line.cast::<PyBytes>() {
            buf.extend_from_slice(b.as_bytes());
        } else {
            return Err(PyTypeError::new_err(format!(
                "lines must be str or bytes, not {}",
                line.get_type().name()?
            )));
        }
        if buf.last() != Some(&b'\n') {
            buf.push(b'\n');
        }
    }
    let records = open_bytes(py, buf, "<lines>", &o)?;
    run_list(py, records, Want::Associations, &o)
}

/// The format of a file (`str` or `os.PathLike`) or of bytes in memory, from their first
/// 64 KiB (gzip decoded), or up to 16 MiB of a JSON document those do not name; `None` when no
/// format recognises them.
#[pyfunction]
fn detect_format(
    py: Python<'_>,
    path_or_bytes: &Bound<'_, PyAny>,
) -> PyResult<Option<&'static str>> {
    let opts = ParseOptions::default();
    let opened = if path_or_bytes.is_instance_of::<PyBytes>()
        || path_or_bytes.is_instance_of::<PyByteArray>()
        || path_or_bytes.is_instance_of::<PyMemoryView>()
    {
        let mut data = bytes_of(path_or_bytes, "path_or_bytes")?;
        // Detection reads no further than this; do not copy more.
        data.truncate(yapdns_parsers::DETECT_DOCUMENT_BYTES);
        py.detach(|| parse_reader(Cursor::new(data), None, &opts, "<bytes>"))
    } else {
        let path: PathBuf = path_or_bytes.extract()?;
        py.detach(|| parse_path(&path, None, &opts))
    };
    match opened {
        Ok(r) => Ok(Some(r.format().name())),
        Err(Error::Undetected(_)) => Ok(None),
        Err(e) => Err(lib_error(e)),
    }
}

/// The formats YAPDNS reads, as `{name: description}` in the CLI's order. Any name (or alias,
/// such as `"named"` for `"bind"`) is a valid `format=` argument.
#[pyfunction]
fn formats(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    for f in Format::ALL {
        d.set_item(f.name(), f.description())?;
    }
    Ok(d)
}

/// The extension module `yapdns._yapdns`.
#[pymodule]
fn _yapdns(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<PyAssociation>()?;
    m.add_class::<PyNameSighting>()?;
    m.add_class::<PyStats>()?;
    m.add_class::<RecordIterator>()?;
    m.add_function(wrap_pyfunction!(parse_file, m)?)?;
    m.add_function(wrap_pyfunction!(iter_file, m)?)?;
    m.add_function(wrap_pyfunction!(parse_names, m)?)?;
    m.add_function(wrap_pyfunction!(iter_names, m)?)?;
    m.add_function(wrap_pyfunction!(parse_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(parse_lines, m)?)?;
    m.add_function(wrap_pyfunction!(detect_format, m)?)?;
    m.add_function(wrap_pyfunction!(formats, m)?)?;
    m.add_function(wrap_pyfunction!(stats::last_stats, m)?)?;
    Ok(())
}

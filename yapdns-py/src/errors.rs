//! The one map from Rust errors to Python exceptions.
//!
//! The exception classes live in Python (`yapdns/_errors.py`) so that they can inherit from
//! both `YapdnsError` and `ValueError` and carry attributes; Rust imports them by name.

use std::io;

use pyo3::exceptions::{
    PyFileNotFoundError, PyIsADirectoryError, PyOSError, PyPermissionError, PyValueError,
};
use pyo3::prelude::*;
use yapdns_parsers::FileError;

pyo3::import_exception!(yapdns._errors, YapdnsError);
pyo3::import_exception!(yapdns._errors, ParseError);
pyo3::import_exception!(yapdns._errors, FormatError);
pyo3::import_exception!(yapdns._errors, RecordError);

/// `yapdns.ParseError` for one bad line, with its path, line, kind and reason.
pub fn parse_error(e: &FileError) -> PyErr {
    ParseError::new_err((
        e.to_string(),
        e.origin.to_string(),
        e.error.line,
        e.error.kind.as_str(),
        e.error.reason.clone(),
    ))
}

/// The `ParseError` object itself (not raised), for `Stats.error_samples`.
pub fn parse_error_value<'py>(py: Python<'py>, e: &FileError) -> Bound<'py, PyAny> {
    parse_error(e).into_value(py).into_bound(py).into_any()
}

/// A file that cannot be read raises the `OSError` subclass `open()` would, with `filename`.
pub fn os_error(e: &io::Error, path: &str) -> PyErr {
    let code = e.raw_os_error();
    let mut msg = e.to_string();
    // Python prints `[Errno 2] No such file or directory: 'x'`; drop Rust's own `(os error 2)`.
    if let Some(c) = code {
        if let Some(stripped) = msg.strip_suffix(&format!(" (os error {c})")) {
            msg = stripped.to_string();
        }
    }
    let args = (code, msg, path.to_string());
    match e.kind() {
        io::ErrorKind::NotFound => PyFileNotFoundError::new_err(args),
        io::ErrorKind::PermissionDenied => PyPermissionError::new_err(args),
        io::ErrorKind::IsADirectory => PyIsADirectoryError::new_err(args),
        _ => PyOSError::new_err(args),
    }
}

/// Errors of the parsers crate that are not about one line.
pub fn lib_error(e: yapdns_parsers::Error) -> PyErr {
    use yapdns_parsers::Error as E;
    match e {
        E::UnknownFormat(name) => FormatError::new_err(format!(
            "unknown format {}; yapdns.formats() lists them",
            quote(&name)
        )),
        E::Undetected(origin) => FormatError::new_err(format!(
            "cannot detect the format of {origin}; pass format="
        )),
        E::Io { origin, source } => os_error(&source, &origin),
        E::Option(msg) => PyValueError::new_err(msg),
        other => YapdnsError::new_err(other.to_string()),
    }
}

/// Errors of the model (an invalid name, rdata or record type; a bad COF dict).
pub fn core_error(e: yapdns_core::Error) -> PyErr {
    RecordError::new_err(e.to_string())
}

/// `'text'`, the way Python quotes a string in messages.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

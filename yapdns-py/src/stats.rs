//! `yapdns.Stats`, and the per-thread record of the last list-returning call.

use std::cell::RefCell;

use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3::IntoPyObjectExt;
use yapdns_parsers::Stats;

use crate::errors::{parse_error_value, quote};

thread_local! {
    /// Figures of the last `parse_*` call made by this thread. Per thread, so that threads
    /// parsing at the same time never see each other's figures.
    static LAST: RefCell<Option<Stats>> = const { RefCell::new(None) };
}

/// Records the figures of a finished `parse_*` call for `last_stats()`.
pub fn set_last(s: &Stats) {
    LAST.with(|l| *l.borrow_mut() = Some(s.clone()));
}

/// What parsing one input gave: lines read, records yielded, lines without an answer, and bad
/// lines by kind, with the first ones kept as `ParseError` objects.
#[pyclass(frozen, name = "Stats", module = "yapdns")]
pub struct PyStats {
    pub inner: Stats,
}

#[pymethods]
impl PyStats {
    /// Lines read.
    #[getter]
    fn lines(&self) -> u64 {
        self.inner.lines
    }

    /// Associations yielded (before any aggregation).
    #[getter]
    fn associations(&self) -> u64 {
        self.inner.associations
    }

    /// Name sightings yielded.
    #[getter]
    fn names(&self) -> u64 {
        self.inner.names
    }

    /// Lines of the format that carried no answer (bare queries, negative answers).
    #[getter]
    fn no_answer(&self) -> u64 {
        self.inner.no_answer
    }

    /// Lines with nothing to take: blank, comments, other log categories.
    #[getter]
    fn skipped(&self) -> u64 {
        self.inner.skipped
    }

    /// Bad lines by kind (`"syntax"`, `"timestamp"`, `"name"`, `"rdata"`, …).
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (k, v) in &self.inner.errors {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    /// Total bad lines.
    #[getter]
    fn error_count(&self) -> u64 {
        self.inner.error_count()
    }

    /// The first bad lines (up to 100) as `ParseError` objects (not raised), with path, line,
    /// kind and reason.
    #[getter]
    fn error_samples<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(
            py,
            self.inner
                .error_samples
                .iter()
                .map(|e| parse_error_value(py, e)),
        )
    }

    /// The figures as a dict: the object `yapdns-agent parse --stats-json` prints.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("lines", self.inner.lines)?;
        d.set_item("associations", self.inner.associations)?;
        d.set_item("names", self.inner.names)?;
        d.set_item("no_answer", self.inner.no_answer)?;
        d.set_item("skipped", self.inner.skipped)?;
        d.set_item("errors", self.errors(py)?)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let s = &self.inner;
        format!(
            "Stats(lines={}, associations={}, names={}, no_answer={}, skipped={}, errors={{{}}})",
            s.lines,
            s.associations,
            s.names,
            s.no_answer,
            s.skipped,
            s.errors
                .iter()
                .map(|(k, v)| format!("{}: {v}", quote(k)))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let Ok(other) = other.cast::<PyStats>() else {
            return Ok(py.NotImplemented());
        };
        let eq = self.inner == other.get().inner;
        match op {
            CompareOp::Eq => eq.into_py_any(py),
            CompareOp::Ne => (!eq).into_py_any(py),
            _ => Ok(py.NotImplemented()),
        }
    }
}

/// The statistics of the last `parse_file`, `parse_names`, `parse_lines` or `parse_bytes`
/// call made by the current thread (also after it raised), or `None` before any. Iterators
/// from `iter_file` carry their own `stats` instead.
#[pyfunction]
pub fn last_stats() -> Option<PyStats> {
    LAST.with(|l| l.borrow().clone())
        .map(|inner| PyStats { inner })
}

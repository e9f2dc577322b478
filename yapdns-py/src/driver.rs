//! Pulling records out of the Rust `Records` iterator without the GIL, in batches, and
//! `yapdns.RecordIterator`, the streaming object `iter_file` returns.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, TryLockError};

use pyo3::prelude::*;
use pyo3::types::PyList;
use pyo3::IntoPyObjectExt;
use yapdns_core::{Aggregator, AssociationView, NameView};
use yapdns_parsers::{DynReader, Emit, FileError, Format, Record, Records, Stats};

use crate::errors::parse_error;
use crate::records::{PyAssociation, PyNameSighting};
use crate::stats::PyStats;

/// How many records one trip without the GIL fetches for an iterator: enough that the cost of
/// releasing and taking the GIL vanishes, few enough that memory stays flat.
pub const BATCH: usize = 4096;

/// Which records a call hands back; the others are only counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Associations (`parse_file`, `iter_file`, …).
    Associations,
    /// Name sightings (`parse_names`, `iter_names`).
    Names,
}

/// What to do with a bad line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// Count it and go on.
    Skip,
    /// Stop and raise `ParseError`.
    Raise,
}

/// A parse in progress: the Rust iterator, the optional aggregator, and the records fetched
/// but not yet handed to Python.
pub struct Driver {
    records: Option<Records<DynReader<'static>>>,
    format: Format,
    origin: String,
    want: Want,
    on_error: OnError,
    agg: Option<Aggregator>,
    queue: VecDeque<Record>,
    error: Option<FileError>,
    final_stats: Stats,
}

impl Driver {
    /// Drives `records`.
    pub fn new(
        records: Records<DynReader<'static>>,
        want: Want,
        on_error: OnError,
        aggregate: bool,
    ) -> Driver {
        Driver {
            format: records.format(),
            origin: records.origin().to_string(),
            records: Some(records),
            want,
            on_error,
            agg: aggregate.then(Aggregator::default),
            queue: VecDeque::new(),
            error: None,
            final_stats: Stats::default(),
        }
    }

    /// Figures so far; final once the input is exhausted.
    pub fn stats(&self) -> Stats {
        match &self.records {
            Some(r) => r.stats().clone(),
            None => self.final_stats.clone(),
        }
    }

    fn finish(&mut self) {
        if let Some(r) = self.records.take() {
            self.final_stats = r.stats().clone();
        }
    }

    /// Reads until `limit` records are queued, the input ends, or (when raising) a bad line
    /// comes. Takes no Python object: run it without the GIL.
    pub fn fill(&mut self, limit: usize) {
        if self.on_error == OnError::Skip {
            return self.fill_views(limit);
        }
        while self.queue.len() < limit && self.error.is_none() {
            let Some(recs) = self.records.as_mut() else {
                return;
            };
            match recs.next() {
                None => return self.end(),
                Some(Ok(Record::Association(a))) if self.want == Want::Associations => {
                    match self.agg.as_mut() {
                        Some(agg) => agg.add(a),
                        None => self.queue.push_back(Record::Association(a)),
                    }
                }
                Some(Ok(Record::Name(n))) if self.want == Want::Names => match self.agg.as_mut() {
                    Some(agg) => agg.add_name(n),
                    None => self.queue.push_back(Record::Name(n)),
                },
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    if self.on_error == OnError::Raise {
                        self.error = Some(e);
                        self.finish();
                        return;
                    }
                }
            }
        }
    }

    /// [`Driver::fill`] when bad lines are only counted: the records arrive as views, a
    /// buffer of lines at a time ([`Records::for_each_view`]), and only those handed back are
    /// copied — merged into the aggregator, one seen before costs no copy at all. (Raising
    /// needs the iterator, which stops at the bad line in order.)
    fn fill_views(&mut self, limit: usize) {
        let Some(recs) = self.records.as_mut() else {
            return;
        };
        let mut sink = Collect {
            want: self.want,
            agg: self.agg.as_mut(),
            queue: &mut self.queue,
            limit,
        };
        recs.for_each_view(&mut sink, |_| {});
        if sink.stopped() {
            return;
        }
        // Not stopped by the batch's size: the input is read to its end.
        self.end();
    }

    /// The input is read to its end: the final figures are kept, and what the aggregator
    /// merged is queued.
    fn end(&mut self) {
        self.finish();
        if let Some(agg) = self.agg.as_mut() {
            match self.want {
                Want::Associations => self
                    .queue
                    .extend(agg.take_associations().into_iter().map(Record::Association)),
                Want::Names => self
                    .queue
                    .extend(agg.take_names().into_iter().map(Record::Name)),
            }
        }
    }

    /// Appends everything queued to `list`, as Python objects.
    pub fn drain_into(&mut self, py: Python<'_>, list: &Bound<'_, PyList>) -> PyResult<()> {
        while let Some(r) = self.queue.pop_front() {
            list.append(to_py(py, r)?)?;
        }
        Ok(())
    }

    /// True when nothing is queued (at the end of the input, after a `fill`).
    pub fn queue_is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// True when a bad line stopped the parse (`errors="raise"`).
    pub fn has_error(&self) -> bool {
        self.error.is_some()
    }

    /// The bad line that stopped the parse, if any, whatever is still queued (for lists, which
    /// are all or nothing).
    pub fn take_error_now(&mut self) -> Option<PyErr> {
        self.error.take().map(|e| parse_error(&e))
    }

    /// The pending bad line, once every record before it was handed out.
    pub fn take_error(&mut self) -> Option<PyErr> {
        if self.queue.is_empty() {
            self.error.take().map(|e| parse_error(&e))
        } else {
            None
        }
    }
}

/// Where [`Driver::fill_views`] puts the records it wants: into the aggregator, or queued
/// as owned records until the batch is full.
struct Collect<'a> {
    want: Want,
    agg: Option<&'a mut Aggregator>,
    queue: &'a mut VecDeque<Record>,
    limit: usize,
}

impl Emit for Collect<'_> {
    fn association(&mut self, a: AssociationView<'_>) {
        if self.want == Want::Associations {
            match self.agg.as_deref_mut() {
                Some(agg) => agg.add_view(a),
                None => self
                    .queue
                    .push_back(Record::Association(a.to_association())),
            }
        }
    }
    fn name(&mut self, n: NameView<'_>) {
        if self.want == Want::Names {
            match self.agg.as_deref_mut() {
                Some(agg) => agg.add_name_view(n),
                None => self.queue.push_back(Record::Name(n.to_sighting())),
            }
        }
    }
    fn push(&mut self, r: Record) {
        match (r, self.agg.as_deref_mut()) {
            (Record::Association(a), Some(agg)) if self.want == Want::Associations => agg.add(a),
            (Record::Name(n), Some(agg)) if self.want == Want::Names => agg.add_name(n),
            (r @ Record::Association(_), None) if self.want == Want::Associations => {
                self.queue.push_back(r)
            }
            (r @ Record::Name(_), None) if self.want == Want::Names => self.queue.push_back(r),
            _ => {}
        }
    }
    fn stopped(&self) -> bool {
        self.queue.len() >= self.limit
    }
}

/// One record as its Python object.
fn to_py(py: Python<'_>, r: Record) -> PyResult<Bound<'_, PyAny>> {
    match r {
        Record::Association(a) => PyAssociation { inner: a }.into_bound_py_any(py),
        Record::Name(n) => PyNameSighting { inner: n }.into_bound_py_any(py),
    }
}

/// A streaming parse: yields `Association` (or `NameSighting`) objects as Rust reads the
/// input, a few thousand at a time without the GIL, in constant memory (unless aggregating).
///
/// `stats` gives the figures so far and the final ones once the iterator is exhausted. Use it
/// as a context manager, or call `close()`, to release the file before the end.
#[pyclass(frozen, name = "RecordIterator", module = "yapdns")]
pub struct RecordIterator {
    driver: Mutex<Driver>,
}

impl RecordIterator {
    /// Wraps a driver.
    pub fn new(driver: Driver) -> RecordIterator {
        RecordIterator {
            driver: Mutex::new(driver),
        }
    }

    /// The driver, for a short step that does not wait for the GIL; a thread that panicked
    /// while holding it leaves it usable (the state is a queue and counters).
    fn lock(&self) -> MutexGuard<'_, Driver> {
        self.driver.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The driver, from a thread holding the GIL: while another thread is filling (without the
    /// GIL), wait for it without the GIL too, so other Python threads run meanwhile.
    fn lock_py(&self, py: Python<'_>) -> MutexGuard<'_, Driver> {
        loop {
            match self.driver.try_lock() {
                Ok(g) => return g,
                Err(TryLockError::Poisoned(p)) => return p.into_inner(),
                Err(TryLockError::WouldBlock) => py.detach(|| drop(self.lock())),
            }
        }
    }
}

#[pymethods]
impl RecordIterator {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__<'py>(slf: &Bound<'py, Self>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let py = slf.py();
        let this = slf.get();
        loop {
            {
                let mut d = this.lock_py(py);
                if let Some(r) = d.queue.pop_front() {
                    return to_py(py, r).map(Some);
                }
                if let Some(e) = d.take_error() {
                    return Err(e);
                }
                if d.records.is_none() {
                    return Ok(None);
                }
            }
            // The lock is taken again without the GIL, so a thread blocked on it never holds
            // the GIL that this one needs.
            py.detach(|| this.lock().fill(BATCH));
        }
    }

    /// Figures so far; final once the iterator is exhausted.
    #[getter]
    fn stats(&self, py: Python<'_>) -> PyStats {
        PyStats {
            inner: self.lock_py(py).stats(),
        }
    }

    /// The format being read (given or detected).
    #[getter]
    fn format(&self, py: Python<'_>) -> &'static str {
        self.lock_py(py).format.name()
    }

    /// The input's name as used in errors (the path, or `<bytes>`).
    #[getter]
    fn path(&self, py: Python<'_>) -> String {
        self.lock_py(py).origin.clone()
    }

    /// Stops reading and closes the file; `stats` keeps the figures so far.
    fn close(&self, py: Python<'_>) {
        let mut d = self.lock_py(py);
        d.finish();
        d.queue.clear();
        d.error = None;
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let d = self.lock_py(py);
        format!(
            "<yapdns.RecordIterator {} format={}{}>",
            d.origin,
            d.format.name(),
            if d.records.is_none() && d.queue.is_empty() {
                " exhausted"
            } else {
                ""
            }
        )
    }
}

//! `yapdns.Association` and `yapdns.NameSighting`: thin, immutable Python views of the core
//! types. Python objects wrap the Rust values as they came out of the parser; datetimes and
//! dicts are only built when asked for, so returning a million associations costs one small
//! allocation each.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use chrono::{DateTime, Datelike, Timelike};
use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyDict, PyInt, PyList, PyString, PyTuple, PyTzInfo};
use pyo3::IntoPyObjectExt;
use yapdns_core::{Association, NameSighting, RrType, SourceTag, Sources, Timestamp};

use crate::errors::{core_error, quote, RecordError};
use crate::json;

/// An aware UTC `datetime` for a timestamp (millisecond precision).
pub fn datetime(py: Python<'_>, t: Timestamp) -> PyResult<Bound<'_, PyDateTime>> {
    let dt = DateTime::from_timestamp_millis(t.millis())
        .ok_or_else(|| PyOverflowError::new_err(format!("timestamp {t} is out of range")))?;
    let utc = PyTzInfo::utc(py)?.to_owned();
    PyDateTime::new(
        py,
        dt.year(),
        dt.month() as u8,
        dt.day() as u8,
        dt.hour() as u8,
        dt.minute() as u8,
        dt.second() as u8,
        dt.timestamp_subsec_micros(),
        Some(&utc),
    )
}

/// A time given by Python: an aware `datetime`, or Unix seconds as `int` or `float`.
fn timestamp(o: &Bound<'_, PyAny>) -> PyResult<Timestamp> {
    if o.is_instance_of::<PyDateTime>() {
        if o.getattr("tzinfo")?.is_none() || o.call_method0("utcoffset")?.is_none() {
            return Err(PyValueError::new_err(
                "naive datetime: pass an aware one (e.g. tzinfo=datetime.timezone.utc)",
            ));
        }
        let secs: f64 = o.call_method0("timestamp")?.extract()?;
        return Timestamp::from_secs_f64(secs)
            .ok_or_else(|| PyOverflowError::new_err("time out of range"));
    }
    if o.is_instance_of::<pyo3::types::PyBool>() {
        return Err(PyTypeError::new_err(
            "a time must be a datetime, int or float, not bool",
        ));
    }
    if o.is_instance_of::<PyInt>() {
        let s: i64 = o.extract()?;
        return s
            .checked_mul(1000)
            .map(Timestamp::from_millis)
            .ok_or_else(|| PyOverflowError::new_err("time out of range"));
    }
    if let Ok(f) = o.extract::<f64>() {
        return Timestamp::from_secs_f64(f)
            .ok_or_else(|| PyOverflowError::new_err("time out of range"));
    }
    Err(PyTypeError::new_err(format!(
        "a time must be a datetime, int or float, not {}",
        o.get_type().name()?
    )))
}

/// A record type given by Python: a mnemonic (`"AAAA"`, `"TYPE65"`) or a number.
fn rrtype(o: &Bound<'_, PyAny>) -> PyResult<RrType> {
    if let Ok(s) = o.cast::<PyString>() {
        return s.to_cow()?.parse().map_err(core_error);
    }
    if o.is_instance_of::<PyInt>() {
        let n: u16 = o
            .extract()
            .map_err(|_| RecordError::new_err("record type numbers are 0..=65535"))?;
        return Ok(RrType::from_u16(n));
    }
    Err(PyTypeError::new_err("rrtype must be a str or an int"))
}

/// `format` or `format/sensor`, as in COF `sources`.
fn source_tag(s: &str) -> SourceTag {
    match s.split_once('/') {
        Some((f, sensor)) => SourceTag::new(f.to_string(), Some(sensor)),
        None => SourceTag::new(s.to_string(), None),
    }
}

fn sources_tuple<'py>(py: Python<'py>, s: &Sources) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, s.iter().map(ToString::to_string))
}

fn hash_of<T: Hash>(t: &T) -> u64 {
    // DefaultHasher::new() has fixed keys: the same key hashes the same in every process.
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// A passive DNS association: `rrname` had a record of type `rrtype` with data `rdata`,
/// seen `count` times between `first_seen` and `last_seen`.
///
/// Immutable. Equal when every field is equal; hashed on the key `(rrname, rrtype, rdata)`,
/// so sets and dicts group by key and equal objects always hash alike.
#[pyclass(frozen, name = "Association", module = "yapdns")]
#[derive(Clone)]
pub struct PyAssociation {
    pub inner: Association,
}

#[pymethods]
impl PyAssociation {
    /// Builds an association; the name and the rdata are normalised as the parsers do.
    #[new]
    #[pyo3(signature = (rrname, rrtype, rdata, first_seen, last_seen=None, *, count=1, ttl=None, bailiwick=None, sources=Vec::new()))]
    #[allow(clippy::too_many_arguments)]
    fn py_new(
        rrname: &str,
        rrtype: &Bound<'_, PyAny>,
        rdata: &str,
        first_seen: &Bound<'_, PyAny>,
        last_seen: Option<&Bound<'_, PyAny>>,
        count: u64,
        ttl: Option<u32>,
        bailiwick: Option<&str>,
        sources: Vec<String>,
    ) -> PyResult<Self> {
        let rrtype = self::rrtype(rrtype)?;
        let first = timestamp(first_seen)?;
        let last = match last_seen {
            Some(t) => timestamp(t)?,
            None => first,
        };
        if last < first {
            return Err(PyValueError::new_err("last_seen is before first_seen"));
        }
        if count == 0 {
            return Err(PyValueError::new_err("count must be at least 1"));
        }
        let mut a = Association::new(rrname, rrtype, rdata, first, SourceTag::new("", None))
            .map_err(core_error)?
            .with_ttl(ttl);
        if let Some(b) = bailiwick {
            a = a.with_bailiwick(b).map_err(core_error)?;
        }
        a.last_seen = last;
        a.count = count;
        a.sources = sources.iter().map(|s| source_tag(s)).collect();
        Ok(PyAssociation { inner: a })
    }

    /// Owner name, normalised (lower case, no trailing dot, IDNs as A-labels).
    #[getter]
    fn rrname(&self) -> &str {
        &self.inner.rrname
    }

    /// Record type mnemonic (`"A"`, `"AAAA"`, `"TYPE65280"`).
    #[getter]
    fn rrtype(&self) -> String {
        self.inner.rrtype.to_string()
    }

    /// Record data, normalised for its type.
    #[getter]
    fn rdata(&self) -> &str {
        &self.inner.rdata
    }

    /// Earliest sighting, an aware UTC `datetime` (millisecond precision).
    #[getter]
    fn first_seen<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDateTime>> {
        datetime(py, self.inner.first_seen)
    }

    /// Latest sighting, an aware UTC `datetime`.
    #[getter]
    fn last_seen<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDateTime>> {
        datetime(py, self.inner.last_seen)
    }

    /// Earliest sighting in Unix seconds (COF `time_first`).
    #[getter]
    fn time_first(&self) -> i64 {
        self.inner.first_seen.secs()
    }

    /// Latest sighting in Unix seconds (COF `time_last`).
    #[getter]
    fn time_last(&self) -> i64 {
        self.inner.last_seen.secs()
    }

    /// Number of sightings.
    #[getter]
    fn count(&self) -> u64 {
        self.inner.count
    }

    /// The largest TTL seen, where the log has one.
    #[getter]
    fn ttl(&self) -> Option<u32> {
        self.inner.ttl
    }

    /// The zone the record was served from, where the log says.
    #[getter]
    fn bailiwick(&self) -> Option<&str> {
        self.inner.bailiwick.as_deref()
    }

    /// Who saw it: `"format"` or `"format/sensor"` strings, sorted.
    #[getter]
    fn sources<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        sources_tuple(py, &self.inner.sources)
    }

    /// The first sensor id among the sources (COF `sensor_id`).
    #[getter]
    fn sensor_id(&self) -> Option<&str> {
        self.inner.sources.iter().find_map(|s| s.sensor.as_deref())
    }

    /// The merge key `(rrname, rrtype, rdata)`.
    #[getter]
    fn key<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        (self.rrname(), self.rrtype(), self.rdata()).into_pyobject(py)
    }

    /// The COF record as a `dict`: the same object `yapdns-agent parse` prints, integer times.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        cof_dict(py, &self.inner)
    }

    /// The COF record as one line of JSON (no newline), byte for byte what the CLI prints.
    fn to_json(&self) -> String {
        self.inner.to_cof_json()
    }

    /// Reads a COF record (a dict as `to_dict()` gives, or from another passive DNS source).
    /// Records without `sources` are tagged with `default_format` and their `sensor_id`.
    #[staticmethod]
    #[pyo3(signature = (d, default_format="cof"))]
    fn from_dict(d: &Bound<'_, PyAny>, default_format: &str) -> PyResult<PyAssociation> {
        let v = json::from_py(d)?;
        let mut all = Association::from_cof_value(v, default_format).map_err(core_error)?;
        match all.len() {
            1 => Ok(PyAssociation {
                inner: all.remove(0),
            }),
            n => Err(RecordError::new_err(format!(
                "the record holds {n} rdata values; from_dict takes one"
            ))),
        }
    }

    /// A new association merging `other` into this one: earliest first seen, latest last seen,
    /// summed counts, united sources, the larger TTL. Raises `RecordError` when keys differ.
    fn merge(&self, other: &PyAssociation) -> PyResult<PyAssociation> {
        let mut a = self.inner.clone();
        a.merge(&other.inner).map_err(|_| {
            RecordError::new_err(format!(
                "cannot merge {} {} {} into {} {} {}: keys differ",
                other.inner.rrname,
                other.inner.rrtype,
                other.inner.rdata,
                a.rrname,
                a.rrtype,
                a.rdata
            ))
        })?;
        Ok(PyAssociation { inner: a })
    }

    fn __repr__(&self) -> String {
        let a = &self.inner;
        format!(
            "Association({}, {}, {}, first_seen={}, last_seen={}, count={}{}{}, sources={})",
            quote(&a.rrname),
            quote(&a.rrtype.to_string()),
            quote(&a.rdata),
            iso(a.first_seen),
            iso(a.last_seen),
            a.count,
            a.ttl.map(|t| format!(", ttl={t}")).unwrap_or_default(),
            a.bailiwick
                .as_ref()
                .map(|b| format!(", bailiwick={}", quote(b)))
                .unwrap_or_default(),
            tuple_repr(&a.sources),
        )
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let Ok(other) = other.cast::<PyAssociation>() else {
            return Ok(py.NotImplemented());
        };
        let eq = self.inner == other.get().inner;
        match op {
            CompareOp::Eq => eq.into_py_any(py),
            CompareOp::Ne => (!eq).into_py_any(py),
            _ => Ok(py.NotImplemented()),
        }
    }

    fn __hash__(&self) -> u64 {
        hash_of(&(&self.inner.rrname, self.inner.rrtype, &self.inner.rdata))
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyDict>,))> {
        let from_dict = slf.get_type().getattr("from_dict")?;
        Ok((from_dict, (slf.get().to_dict(slf.py())?,)))
    }
}

/// The COF object of [`Association::to_cof_value`], built straight into a `dict` (in the CLI's
/// key order) because going through a `serde_json::Value` costs several times more. The parity
/// tests compare it with the CLI's output for every fixture, so the two cannot drift apart.
fn cof_dict<'py>(py: Python<'py>, a: &Association) -> PyResult<Bound<'py, PyDict>> {
    use pyo3::intern;
    let d = PyDict::new(py);
    d.set_item(intern!(py, "rrname"), &a.rrname)?;
    d.set_item(intern!(py, "rrtype"), a.rrtype.to_string())?;
    d.set_item(intern!(py, "rdata"), &a.rdata)?;
    d.set_item(intern!(py, "time_first"), a.first_seen.secs())?;
    d.set_item(intern!(py, "time_last"), a.last_seen.secs())?;
    d.set_item(intern!(py, "count"), a.count)?;
    if let Some(b) = &a.bailiwick {
        d.set_item(intern!(py, "bailiwick"), b)?;
    }
    if let Some(s) = a.sources.iter().find_map(|s| s.sensor.as_deref()) {
        d.set_item(intern!(py, "sensor_id"), s)?;
    }
    // Milliseconds only when the source had them, as in COF output.
    if a.first_seen.subsec_millis() != 0 || a.last_seen.subsec_millis() != 0 {
        d.set_item(intern!(py, "time_first_ms"), a.first_seen.millis())?;
        d.set_item(intern!(py, "time_last_ms"), a.last_seen.millis())?;
    }
    if let Some(t) = a.ttl {
        d.set_item(intern!(py, "ttl"), t)?;
    }
    if !a.sources.is_empty() {
        let list = PyList::new(py, a.sources.iter().map(ToString::to_string))?;
        d.set_item(intern!(py, "sources"), list)?;
    }
    Ok(d)
}

/// `('squid/p1',)`: sources as the tuple the `sources` attribute returns.
fn tuple_repr(s: &Sources) -> String {
    let items: Vec<String> = s.iter().map(|t| quote(&t.to_string())).collect();
    match items.len() {
        1 => format!("({},)", items.join("")),
        _ => format!("({})", items.join(", ")),
    }
}

/// `'2026-11-29T19:24:38.043Z'`, for reprs.
fn iso(t: Timestamp) -> String {
    match DateTime::from_timestamp_millis(t.millis()) {
        Some(d) => d.format("'%Y-%m-%dT%H:%M:%S%.3fZ'").to_string(),
        None => t.to_string(),
    }
}

/// A name seen without an answer (a query in a DNS server's query log, a URL host).
///
/// Immutable; equal when every field is equal, hashed on the key `(rrname, rrtype)`.
#[pyclass(frozen, name = "NameSighting", module = "yapdns")]
#[derive(Clone)]
pub struct PyNameSighting {
    pub inner: NameSighting,
}

#[pymethods]
impl PyNameSighting {
    /// The name, normalised.
    #[getter]
    fn rrname(&self) -> &str {
        &self.inner.rrname
    }

    /// The queried type, where the log says.
    #[getter]
    fn rrtype(&self) -> Option<String> {
        self.inner.rrtype.map(|t| t.to_string())
    }

    /// Earliest sighting, an aware UTC `datetime`.
    #[getter]
    fn first_seen<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDateTime>> {
        datetime(py, self.inner.first_seen)
    }

    /// Latest sighting, an aware UTC `datetime`.
    #[getter]
    fn last_seen<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDateTime>> {
        datetime(py, self.inner.last_seen)
    }

    /// Number of sightings.
    #[getter]
    fn count(&self) -> u64 {
        self.inner.count
    }

    /// Who saw it: `"format"` or `"format/sensor"` strings, sorted.
    #[getter]
    fn sources<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        sources_tuple(py, &self.inner.sources)
    }

    /// The merge key `(rrname, rrtype)`.
    #[getter]
    fn key<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        (self.rrname(), self.rrtype()).into_pyobject(py)
    }

    /// The object `yapdns-agent parse --names` prints: times in Unix milliseconds, sources as
    /// `{"format": …, "sensor": …}` dicts.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v =
            serde_json::to_value(&self.inner).map_err(|e| PyValueError::new_err(e.to_string()))?;
        json::to_py(py, &v)
    }

    /// Reads the dict `to_dict()` gives (the CLI's `--names` JSON); the name is normalised.
    #[staticmethod]
    fn from_dict(d: &Bound<'_, PyAny>) -> PyResult<PyNameSighting> {
        let v = json::from_py(d)?;
        let mut n: NameSighting =
            serde_json::from_value(v).map_err(|e| RecordError::new_err(e.to_string()))?;
        n.rrname = yapdns_core::normalize_name(&n.rrname).map_err(core_error)?;
        if n.last_seen < n.first_seen || n.count == 0 {
            return Err(RecordError::new_err(
                "last_seen before first_seen, or count 0",
            ));
        }
        Ok(PyNameSighting { inner: n })
    }

    /// A new sighting merging `other` into this one (min, max, sum, union); raises
    /// `RecordError` when the keys differ.
    fn merge(&self, other: &PyNameSighting) -> PyResult<PyNameSighting> {
        let mut n = self.inner.clone();
        n.merge(&other.inner).map_err(core_error)?;
        Ok(PyNameSighting { inner: n })
    }

    fn __repr__(&self) -> String {
        let n = &self.inner;
        format!(
            "NameSighting({}, {}, first_seen={}, last_seen={}, count={}, sources={})",
            quote(&n.rrname),
            n.rrtype
                .map(|t| quote(&t.to_string()))
                .unwrap_or_else(|| "None".into()),
            iso(n.first_seen),
            iso(n.last_seen),
            n.count,
            tuple_repr(&n.sources),
        )
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let Ok(other) = other.cast::<PyNameSighting>() else {
            return Ok(py.NotImplemented());
        };
        let eq = self.inner == other.get().inner;
        match op {
            CompareOp::Eq => eq.into_py_any(py),
            CompareOp::Ne => (!eq).into_py_any(py),
            _ => Ok(py.NotImplemented()),
        }
    }

    fn __hash__(&self) -> u64 {
        hash_of(&(&self.inner.rrname, self.inner.rrtype))
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyAny>,))> {
        let from_dict = slf.get_type().getattr("from_dict")?;
        Ok((from_dict, (slf.get().to_dict(slf.py())?,)))
    }
}

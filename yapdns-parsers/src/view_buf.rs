//! What a parser needs to hand out borrowed records: its source tag, built once, and buffers
//! for names and data that are not in normal form as written.

use yapdns_core::{
    normalize_name_in, normalize_rdata_in, AssociationView, NameView, RrType, SourceTag, Sources,
    Timestamp,
};

use crate::error::ParseError;
use crate::record::Emit;

/// A parser's means to emit views: most names and data are normal as the log writes them and
/// are handed out borrowed from the line; the others are normalised into buffers kept from
/// record to record, so nothing is allocated per record.
///
/// ```
/// use yapdns_core::{RrType, Timestamp};
/// use yapdns_parsers::{Record, ViewBuf};
/// let mut views = ViewBuf::new("squid", None);
/// let mut out: Vec<Record> = Vec::new();
/// views.association(&mut out, "WWW.Example.com.", RrType::A, "192.0.2.1", Timestamp::from_secs(1), 7).unwrap();
/// let Record::Association(a) = &out[0] else { unreachable!() };
/// assert_eq!(a.rrname, "www.example.com");
/// assert!(views.association(&mut out, "a..b", RrType::A, "192.0.2.1", Timestamp::from_secs(1), 8).is_err());
/// ```
#[derive(Debug)]
pub struct ViewBuf {
    sources: Sources,
    name: String,
    rdata: String,
}

impl ViewBuf {
    /// Views tagged with `format` and `sensor`.
    pub fn new(format: &'static str, sensor: Option<&str>) -> ViewBuf {
        ViewBuf {
            sources: Sources::one(SourceTag::new(format, sensor)),
            name: String::new(),
            rdata: String::new(),
        }
    }

    /// The sources every record is tagged with.
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// Emits one sighting of `name rrtype rdata` at `seen`, normalised; a name or data that
    /// cannot be is the error of line `n`.
    pub fn association(
        &mut self,
        out: &mut dyn Emit,
        name: &str,
        rrtype: RrType,
        rdata: &str,
        seen: Timestamp,
        n: u64,
    ) -> Result<(), ParseError> {
        out.association(self.view(name, rrtype, rdata, seen, n)?);
        Ok(())
    }

    /// The view [`ViewBuf::association`] emits, for a caller that sets more of it (TTL,
    /// count, bailiwick) first.
    pub fn view<'a>(
        &'a mut self,
        name: &'a str,
        rrtype: RrType,
        rdata: &'a str,
        seen: Timestamp,
        n: u64,
    ) -> Result<AssociationView<'a>, ParseError> {
        let core = |e| ParseError::from_core(n, e);
        let name = normalize_name_in(name, &mut self.name).map_err(core)?;
        let rdata = normalize_rdata_in(rrtype, rdata, &mut self.rdata).map_err(core)?;
        Ok(AssociationView::one(
            name,
            rrtype,
            rdata,
            seen,
            &self.sources,
        ))
    }

    /// Emits one sighting of `name` (queried as `rrtype`, where known) at `seen`; none for a
    /// TKEY or TSIG query ([`RrType::is_transaction_security`]).
    pub fn name(
        &mut self,
        out: &mut dyn Emit,
        name: &str,
        rrtype: Option<RrType>,
        seen: Timestamp,
        n: u64,
    ) -> Result<(), ParseError> {
        if rrtype.is_some_and(RrType::is_transaction_security) {
            return Ok(());
        }
        let name =
            normalize_name_in(name, &mut self.name).map_err(|e| ParseError::from_core(n, e))?;
        out.name(NameView::one(name, rrtype, seen, &self.sources));
        Ok(())
    }
}

/// The source tag of a format whose records may name their sensor themselves (Suricata's and
/// passivedns's `host`, COF's `sensor_id`): [`ParseOptions::sensor`](crate::ParseOptions)
/// when it is set, else the record's own, built once for a run of records from one sensor.
#[derive(Debug)]
pub(crate) struct SensorTags {
    format: &'static str,
    /// The tag when the options name no sensor, or name one that wins over the records'.
    default: SourceTag,
    /// Whether the options named the sensor.
    fixed: bool,
    /// The last sensor a record named, and its tag.
    last: Option<(String, SourceTag)>,
}

impl SensorTags {
    /// Tags of `format`, with the options' `sensor` (which wins when set).
    pub(crate) fn new(format: &'static str, sensor: Option<&str>) -> SensorTags {
        SensorTags {
            format,
            default: SourceTag::new(format, sensor),
            fixed: sensor.is_some(),
            last: None,
        }
    }

    /// The tag of a record naming sensor `named` (if any).
    pub(crate) fn tag(&mut self, named: Option<&str>) -> SourceTag {
        match named {
            Some(n) if !self.fixed && !n.is_empty() => match &self.last {
                Some((name, tag)) if name == n => tag.clone(),
                _ => {
                    let tag = SourceTag::new(self.format, Some(n));
                    self.last = Some((n.to_string(), tag.clone()));
                    tag
                }
            },
            _ => self.default.clone(),
        }
    }
}

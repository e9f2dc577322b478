//! One module per format. Each holds the format's grammar in its doc comment, a `Parser`
//! implementing [`FormatParser`], and a `sniff` function for [`detect`](crate::detect).

use crate::error::ParseError;
use crate::record::{Emit, Outcome};

pub mod bind;
pub mod bind_zone;
pub mod cof;
pub mod cuckoo;
pub mod cuckoo_dnsdump;
pub mod dnsdb;
pub mod dnsmasq;
pub mod dnstap;
pub mod msdns;
pub mod passivedns;
pub mod squid;
pub mod suricata;
pub(crate) mod syslog_prefix;
pub mod thug;
pub mod unbound;
pub mod virustotal;
pub mod zeek;

/// The parser of one input in one format. A parser holds state across lines for multi-line
/// formats (zone files' `$ORIGIN`, Microsoft DNS packet dumps); a new one is made per input.
pub trait FormatParser: Send {
    /// Parses one line (without its terminator), pushing what it yields onto `out`.
    ///
    /// `line_no` is 1-based. A bad line returns an error and the next line is still read.
    fn line(
        &mut self,
        line: &[u8],
        line_no: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError>;

    /// Parses a whole document (for formats where [`Format::is_document`](crate::Format::is_document)).
    fn document(&mut self, data: &[u8], out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let _ = (data, out);
        Err(ParseError::new(
            0,
            crate::error::ErrorKind::Syntax,
            "this format is read line by line",
        ))
    }

    /// The further bad items of the document just read, after the one [`FormatParser::document`]
    /// returned: a document with several bad entries reports each, at its own line, and counts
    /// each. Taken (and so emptied) by the driver after every document.
    fn more_errors(&mut self) -> Vec<ParseError> {
        Vec::new()
    }

    /// End of input: yields what a multi-line record still held, or reports it cut short.
    fn finish(&mut self, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let _ = out;
        Ok(Outcome::Skipped)
    }
}

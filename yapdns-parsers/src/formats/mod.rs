//! One module per format. Each holds the format's grammar in its doc comment, a `Parser`
//! implementing [`FormatParser`], and a `sniff` function for [`detect`](crate::detect).

use crate::error::{ErrorKind, ParseError};
use crate::input::{for_each_line, for_each_text_line, strip_cr};
use crate::record::{Emit, Outcome};
use yapdns_core::Timestamp;

/// The `serde` `Visitor` methods of the JSON scalars (bool, numbers, string), each giving
/// `$value`: for a field that should hold an array or an object, where a scalar is a shape to
/// count as the document's error, not a reason to stop reading it.
macro_rules! scalars_are {
    ($value:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

pub mod bind;
pub mod bind_zone;
pub mod cof;
pub mod cuckoo;
pub mod cuckoo_dnsdump;
pub mod dnsdb;
pub mod dnsmasq;
pub mod dnstap;
pub mod dnstap_text;
pub mod msdns;
pub mod passivedns;
pub mod pdns_recursor;
pub(crate) mod presentation;
pub mod squid;
pub mod suricata;
pub(crate) mod svcb;
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

    /// Parses one line already known to be UTF-8, as [`FormatParser::line`] would its bytes.
    /// A parser that reads lines as text overrides this and [`FormatParser::reads_text`], and
    /// is then spared a UTF-8 check per line by [`FormatParser::block`].
    fn text_line(
        &mut self,
        line: &str,
        line_no: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        self.line(line.as_bytes(), line_no, out)
    }

    /// True when the parser overrides [`FormatParser::text_line`].
    fn reads_text(&self) -> bool {
        false
    }

    /// Parses a block of whole lines, every one ending in `\n`, as [`FormatParser::line`]
    /// would one by one: the driver's fast path for line formats. Lines are numbered from
    /// `tally.lines + 1` on and counted into `tally`; a bad line goes to `on_error` and the
    /// next is read.
    ///
    /// One virtual call reads a whole buffer of lines, and `line` is called statically from
    /// here (this body is compiled for each format), so the per-line driver costs a few
    /// instructions rather than a dispatch and a returned error the size of a `ParseError`
    /// moved for every line. For a parser that [reads text](FormatParser::reads_text), a
    /// block that is UTF-8 throughout (nearly every one) is checked once, a fast pass over
    /// ASCII, and goes to [`FormatParser::text_block`]; a block with any other byte goes
    /// line by line to [`FormatParser::line`]. There is no reason to override it.
    fn block(
        &mut self,
        block: &[u8],
        max_line: usize,
        tally: &mut LineTally,
        out: &mut dyn Emit,
        on_error: &mut dyn FnMut(ParseError),
    ) {
        if self.reads_text() {
            // Validated with SIMD where the CPU has it: a word at a time, this check was 4% of
            // the cost of reading a zone file.
            if let Ok(text) = simdutf8::basic::from_utf8(block) {
                return self.text_block(text, max_line, tally, out, on_error);
            }
        }
        line_by_line(self, block, max_line, tally, out, on_error);
    }

    /// [`FormatParser::block`] of a block that is UTF-8 throughout, for a parser that
    /// [reads text](FormatParser::reads_text): its lines go to [`FormatParser::text_line`]
    /// one by one. Zone files override it, to read a record spread over lines in one piece.
    fn text_block(
        &mut self,
        text: &str,
        max_line: usize,
        tally: &mut LineTally,
        out: &mut dyn Emit,
        on_error: &mut dyn FnMut(ParseError),
    ) {
        for_each_text_line(text, |line| {
            if tally.counted(line.len(), max_line, on_error) {
                let line = line.strip_suffix('\r').unwrap_or(line);
                let r = self.text_line(line, tally.lines, out);
                tally.count(r, on_error);
            }
        });
    }

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

    /// The time something around the program's log gave the next line: a container runtime
    /// stamps each record it stores, and a program that writes no time of its own there
    /// (dnsmasq in the foreground with `log-facility=-`, BIND with `print-time no`) would
    /// otherwise leave its lines undatable. Called before each line of a wrapped input (for a
    /// line joined from pieces, with the time of the first).
    ///
    /// A parser whose lines may lack a time takes it for such a line alone; a line's own stamp
    /// always wins, since it is the program's. Every other parser ignores it.
    fn wrapper_time(&mut self, time: Timestamp) {
        let _ = time;
    }

    /// End of input: yields what a multi-line record still held, or reports it cut short.
    ///
    /// The outcome is that of the line that opened the record, which was counted as
    /// [`Outcome::Skipped`] while the record was open: `NoAnswer`, `Answer` or an error moves
    /// that count, and `Skipped` says that no line was waiting for its outcome (records
    /// handed out here whose lines were counted already, such as held dig records, are not
    /// counted again).
    fn finish(&mut self, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let _ = out;
        Ok(Outcome::Skipped)
    }
}

/// The lines of `block` through `p`'s [`FormatParser::line`], each counted into `tally` and
/// held to `max_line`: the byte path of [`FormatParser::block`], and of parsers that override
/// it only to note the limit (the container reader). Inlined, so `line` stays a static call.
#[inline(always)]
pub(crate) fn line_by_line<P: FormatParser + ?Sized>(
    p: &mut P,
    block: &[u8],
    max_line: usize,
    tally: &mut LineTally,
    out: &mut dyn Emit,
    on_error: &mut dyn FnMut(ParseError),
) {
    for_each_line(block, |line| {
        if tally.counted(line.len(), max_line, on_error) {
            let r = p.line(strip_cr(line), tally.lines, out);
            tally.count(r, on_error);
        }
    });
}

/// What [`FormatParser::block`] counts of the lines it reads.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LineTally {
    /// Lines read, so also the number of the last one.
    pub lines: u64,
    /// Lines that carried no answer ([`Outcome::NoAnswer`]).
    pub no_answer: u64,
    /// Lines with nothing to take ([`Outcome::Skipped`]).
    pub skipped: u64,
}

impl LineTally {
    /// Counts a line of a block of `len` bytes (its number is then `lines`): true when it is
    /// to be read, false when it is over `max_line` bytes, which is reported to `on_error`.
    #[inline(always)]
    pub(crate) fn counted(
        &mut self,
        len: usize,
        max_line: usize,
        on_error: &mut dyn FnMut(ParseError),
    ) -> bool {
        self.lines += 1;
        if len > max_line {
            on_error(too_long(self.lines, len as u64 + 1));
            return false;
        }
        true
    }

    /// Counts what one line came to; its error goes to `on_error`.
    #[inline(always)]
    pub(crate) fn count(
        &mut self,
        r: Result<Outcome, ParseError>,
        on_error: &mut dyn FnMut(ParseError),
    ) {
        match r {
            Ok(Outcome::Answer) => {}
            Ok(Outcome::NoAnswer) => self.no_answer += 1,
            Ok(Outcome::Skipped) => self.skipped += 1,
            Err(e) => on_error(e),
        }
    }
}

/// The error of line `line_no`, `len` bytes long with its terminator, over the length limit.
pub(crate) fn too_long(line_no: u64, len: u64) -> ParseError {
    ParseError::new(
        line_no,
        ErrorKind::TooLong,
        format!("line of {len} bytes is over the limit"),
    )
}

/// Whether `name` is `zone` or a name under it, both normalised (no trailing dot; the root is
/// `.`): an answer's bailiwick is the zone only for names inside it.
pub(crate) fn in_zone(name: &str, zone: &str) -> bool {
    zone == "."
        || name == zone
        || name
            .strip_suffix(zone)
            .is_some_and(|head| head.ends_with('.'))
}

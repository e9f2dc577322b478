//! Driving a parser over an input: the streaming iterator every frontend uses.

use std::fs::File;
use std::io::{self, BufRead, Cursor, Read};
use std::path::Path;
use std::sync::Arc;

use yapdns_core::Timestamp;

use crate::error::{Error, ErrorKind, FileError, ParseError, Result};
use crate::format::{detect, Format};
use crate::formats::{too_long, FormatParser, LineTally};
use crate::input::container::{Unwrapped, Wrapper};
use crate::input::{decode_input, Line, LineReader, DEFAULT_MAX_DOCUMENT, DEFAULT_MAX_LINE};
use crate::options::{ParseOptions, YearRule};
use crate::record::{Counted, Emit, Outcome, Record, Stats};

/// How many bytes [`parse_path`] and [`parse_reader`] look at to detect a format.
pub const DETECT_BYTES: usize = 64 * 1024;

/// How far into a JSON document detection reads when its first [`DETECT_BYTES`] name no
/// format. A sandbox report can open with megabytes of static analysis (CAPE's `target`, with
/// every import of the sample) before the `info` and `network` sections that tell what it is.
pub const DETECT_DOCUMENT_BYTES: usize = 16 << 20;

/// Reads the head of a decoded input into `head` (cleared first) and detects its format: the
/// first [`DETECT_BYTES`], and, when they open a JSON object that no format recognises, up to
/// [`DETECT_DOCUMENT_BYTES`]. The caller replays `head` before the rest of the input.
///
/// ```
/// use yapdns_parsers::{detect_head, Format};
/// // A report whose `target` section pushes `network` past the first 64 KiB.
/// let pad = "\"x\",".repeat(40_000);
/// let report = format!("{{\"target\": {{\"strings\": [{pad} \"y\"]}},\n \"network\": {{\"dns\": []}}\n}}\n");
/// let mut head = Vec::new();
/// let found = detect_head(&mut report.as_bytes(), &mut head).unwrap();
/// assert_eq!(found, Some(Format::Cuckoo));
/// assert_eq!(head.len(), report.len());
/// ```
pub fn detect_head<R: Read>(r: &mut R, head: &mut Vec<u8>) -> io::Result<Option<Format>> {
    head.clear();
    r.by_ref().take(DETECT_BYTES as u64).read_to_end(head)?;
    if let Some(f) = detect(head) {
        return Ok(Some(f));
    }
    let opens_object = head
        .strip_prefix(b"\xef\xbb\xbf".as_slice())
        .unwrap_or(head)
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        == Some(&b'{');
    if head.len() < DETECT_BYTES || !opens_object {
        return Ok(None);
    }
    r.by_ref()
        .take((DETECT_DOCUMENT_BYTES - DETECT_BYTES) as u64)
        .read_to_end(head)?;
    Ok(detect(head))
}

/// The records of one input, read lazily with constant memory (except for whole-document
/// formats). Bad lines come out as `Err(FileError)` and reading goes on after them.
///
/// ```
/// use yapdns_parsers::{Format, ParseOptions, Records, Record};
/// let log = "1458130003.61\twww.google.com\tA\t216.58.220.36\nbroken line\n";
/// let mut recs = Records::new(log.as_bytes(), Format::CuckooDnsdump, &ParseOptions::default(), "inline");
/// let (ok, bad): (Vec<_>, Vec<_>) = recs.by_ref().partition(|r| r.is_ok());
/// assert_eq!((ok.len(), bad.len()), (1, 1));
/// assert_eq!(recs.stats().lines, 2);
/// assert_eq!(recs.stats().errors["syntax"], 1);
/// ```
pub struct Records<R> {
    format: Format,
    wrapper: Option<Wrapper>,
    parser: Box<dyn FormatParser>,
    reader: LineReader<R>,
    origin: Arc<str>,
    /// What the parser yielded and the iterator has not handed out yet, in reverse order so
    /// each record leaves by `pop` (one move; a queue in front of the parser's output vector
    /// cost a second).
    pending: Vec<Record>,
    /// Further bad items of a document, handed out after its first error.
    more_errors: Vec<FileError>,
    stats: Stats,
    done: bool,
    max_document: u64,
}

impl<R: BufRead> Records<R> {
    /// Records of `reader` (already decoded; see [`decode_input`]) in `format`. The lines of
    /// a container runtime's log ([`Wrapper`]), told by the first line in the reader's buffer,
    /// are unwrapped for the format's parser; any other input is read as it is.
    pub fn new(mut reader: R, format: Format, opts: &ParseOptions, origin: &str) -> Records<R> {
        // Once per input: the parser of a wrapped one reads the runtime's records, and the
        // driver's loop is the same for both.
        let wrapper = match format.frames() {
            None => reader.fill_buf().ok().and_then(Wrapper::detect),
            Some(_) => None,
        };
        let parser = match wrapper {
            Some(w) => Box::new(Unwrapped::new(w, format.parser(opts), DEFAULT_MAX_LINE)),
            None => format.parser(opts),
        };
        Records {
            format,
            wrapper,
            parser,
            reader: LineReader::new(reader, DEFAULT_MAX_LINE),
            origin: Arc::from(origin),
            pending: Vec::new(),
            more_errors: Vec::new(),
            stats: Stats::default(),
            done: false,
            max_document: DEFAULT_MAX_DOCUMENT,
        }
    }

    /// Changes the longest line accepted (default 1 MiB); longer lines are skipped and counted.
    pub fn with_max_line(mut self, max: usize) -> Self {
        self.reader = LineReader::new(self.reader.into_inner(), max);
        self
    }

    /// The format being read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The container runtime's wrapper the input's lines were taken out of, if any.
    pub fn wrapper(&self) -> Option<Wrapper> {
        self.wrapper
    }

    /// The origin (file name) used in errors.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Figures so far; final once the iterator returned `None`.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Byte offset of the input consumed so far.
    pub fn offset(&self) -> u64 {
        self.reader.offset()
    }

    fn error(&mut self, e: ParseError) -> FileError {
        let fe = FileError {
            origin: self.origin.clone(),
            error: e,
        };
        self.stats.record_error_ref(&fe);
        fe
    }

    /// Counts how a line was used and what it yielded.
    fn count(&mut self, outcome: Option<Outcome>, out: &Counted<'_>) {
        match outcome {
            Some(Outcome::NoAnswer) => self.stats.no_answer += 1,
            Some(Outcome::Skipped) => self.stats.skipped += 1,
            Some(Outcome::Answer) | None => {}
        }
        self.stats.associations += out.associations;
        self.stats.names += out.names;
    }

    /// Reads to the end of the input (or until `out` is [`Emit::stopped`]), handing every
    /// record to `out` as it is parsed, and every bad line to `on_error`. The fast way to consume an input: records arrive as
    /// borrowed views (see [`Emit`]), so a consumer that merges or counts them copies
    /// nothing, where the iterator builds an owned [`Record`] for each.
    ///
    /// ```
    /// use yapdns_core::Aggregator;
    /// use yapdns_parsers::{Format, ParseOptions, Records};
    /// let log = "1458130003\ta.test\tA\t192.0.2.1\n1458130009\ta.test\tA\t192.0.2.1\nbad\n";
    /// let mut recs = Records::new(log.as_bytes(), Format::CuckooDnsdump, &ParseOptions::default(), "inline");
    /// let mut agg = Aggregator::default();
    /// let mut bad = Vec::new();
    /// recs.for_each_view(&mut agg, |e| bad.push(e));
    /// assert_eq!(agg.take_associations()[0].count, 2);
    /// assert_eq!((bad.len(), recs.stats().associations), (1, 2));
    /// ```
    pub fn for_each_view(&mut self, out: &mut dyn Emit, mut on_error: impl FnMut(FileError)) {
        // Records the iterator had not handed out yet go first.
        while let Some(r) = self.pending.pop() {
            out.push(r);
        }
        for e in self.more_errors.drain(..).rev() {
            on_error(e);
        }
        let by_line = !self.format.is_document() && self.format.frames().is_none();
        while !self.done && !out.stopped() {
            // Lines whole in the reader's buffer are read a buffer at a time; anything else
            // (a line across refills, the end of input, documents, frames) one step at a time.
            if by_line && self.buffered(out, &mut on_error) > 0 {
                continue;
            }
            if let Some(e) = self.step(out) {
                on_error(e);
            }
            for e in self.more_errors.drain(..).rev() {
                on_error(e);
            }
        }
    }

    /// Parses every complete line in the reader's buffer into `out`, as [`Records::step`]
    /// does one; returns how many lines there were (0 also after a read error, which is left
    /// for `step` to meet and report).
    fn buffered(&mut self, out: &mut dyn Emit, on_error: &mut dyn FnMut(FileError)) -> usize {
        let max_line = self.reader.max_line();
        let Records {
            reader,
            parser,
            stats,
            origin,
            ..
        } = self;
        let Ok(block) = reader.buffered_block() else {
            return 0;
        };
        if block.is_empty() {
            return 0;
        }
        let len = block.len();
        let mut counted = Counted::new(out);
        // Every line is counted, so the count is the line number.
        let mut tally = LineTally {
            lines: stats.lines,
            ..LineTally::default()
        };
        // Bad lines are counted by kind here and into the statistics' map once per buffer:
        // a file of bad lines (a zone without its origin) costs no map lookup per line.
        let mut by_kind = [0u64; ErrorKind::ALL.len()];
        parser.block(block, max_line, &mut tally, &mut counted, &mut |e| {
            match by_kind.get_mut(e.kind as usize) {
                Some(n) => *n += 1,
                None => stats.count_error(e.kind),
            }
            let fe = FileError {
                origin: origin.clone(),
                error: e,
            };
            stats.keep_sample(&fe);
            on_error(fe);
        });
        for (&kind, n) in ErrorKind::ALL.iter().zip(by_kind) {
            if n > 0 {
                stats.count_errors(kind, n);
            }
        }
        let lines = tally.lines - stats.lines;
        stats.lines = tally.lines;
        stats.no_answer += tally.no_answer;
        stats.skipped += tally.skipped;
        stats.associations += counted.associations;
        stats.names += counted.names;
        reader.consume_block(len, lines);
        usize::try_from(lines).unwrap_or(usize::MAX)
    }

    /// Reads one line, frame or document into `out`; `Some(err)` for a bad one.
    fn step(&mut self, out: &mut dyn Emit) -> Option<FileError> {
        let mut out = Counted::new(out);
        // Binary formats made of frames are read frame by frame, each frame counted as a line.
        let frames = self.format.frames();
        if self.format.is_document() && frames.is_none() {
            self.done = true;
            let data = match self.reader.read_rest(self.max_document) {
                Ok(Some(d)) => d,
                Ok(None) => {
                    let e =
                        ParseError::new(1, ErrorKind::TooLong, "document larger than the limit");
                    return Some(self.error(e));
                }
                Err(e) => {
                    return Some(self.error(ParseError::new(1, ErrorKind::Io, e.to_string())))
                }
            };
            self.stats.lines += memchr::memchr_iter(b'\n', &data).count() as u64
                + u64::from(!data.is_empty() && !data.ends_with(b"\n"));
            let result = self.parser.document(&data, &mut out);
            let more = self.parser.more_errors();
            // After an error, what the document yielded before it still stands.
            self.count(result.as_ref().ok().copied(), &out);
            return match result {
                Ok(_) => None,
                Err(e) => {
                    let first = self.error(e);
                    // Kept in reverse, so each leaves by `pop` in document order.
                    for e in more.into_iter().rev() {
                        let fe = self.error(e);
                        self.more_errors.push(fe);
                    }
                    Some(first)
                }
            };
        }
        let next = match frames {
            Some(split) => self.reader.next_frame(split),
            None => self.reader.next_line(),
        };
        let line = match next {
            Ok(Some(l)) => l,
            Ok(None) => {
                self.done = true;
                let result = self.parser.finish(&mut out);
                // The end of input is not a line. What it completes is the outcome of a line
                // read before it and counted as skipped while its record was open (a packet
                // line of a dump, the first line of a spread record): that count moves to the
                // outcome, or to the error, so that each line is counted once.
                let pending = !matches!(result, Ok(Outcome::Skipped));
                if pending {
                    self.stats.skipped = self.stats.skipped.saturating_sub(1);
                }
                let outcome = result.as_ref().ok().copied().filter(|_| pending);
                self.count(outcome, &out);
                return result.err().map(|e| self.error(e));
            }
            Err(e) => {
                self.done = true;
                let line = self.reader.line_no() + 1;
                return Some(self.error(ParseError::new(line, ErrorKind::Io, e.to_string())));
            }
        };
        // Every line is counted, so the count is the line number.
        self.stats.lines += 1;
        let line_no = self.stats.lines;
        let result = parse_line(&mut *self.parser, line, line_no, &mut out);
        // After an error, what a multi-line record yielded before it failed still stands.
        self.count(result.as_ref().ok().copied(), &out);
        result.err().map(|e| self.error(e))
    }

    /// Reads until something is queued or the input ends; `Some(err)` for a bad line.
    fn fill(&mut self) -> Option<FileError> {
        let mut pending = std::mem::take(&mut self.pending);
        let mut err = None;
        while pending.is_empty() && !self.done && err.is_none() {
            err = self.step(&mut pending);
        }
        // Handed out by `pop`, so in reverse.
        pending.reverse();
        self.pending = pending;
        err
    }
}

/// One line (or frame) through the parser; one over the length limit or cut short is the
/// error of its line.
fn parse_line(
    parser: &mut dyn FormatParser,
    line: Line<'_>,
    line_no: u64,
    out: &mut dyn Emit,
) -> std::result::Result<Outcome, ParseError> {
    match line {
        Line::Text(t) => parser.line(t, line_no, out),
        Line::TooLong(n) => Err(too_long(line_no, n)),
        Line::Truncated(n) => Err(ParseError::new(
            line_no,
            ErrorKind::Truncated,
            format!("frame cut short by the end of the input after {n} bytes"),
        )),
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = std::result::Result<Record, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(e) = self.more_errors.pop() {
                return Some(Err(e));
            }
            if let Some(r) = self.pending.pop() {
                return Some(Ok(r));
            }
            if self.done {
                return None;
            }
            if let Some(e) = self.fill() {
                return Some(Err(e));
            }
        }
    }
}

/// A decoded input whose first bytes were read for detection and are replayed.
pub type Input = Cursor<Vec<u8>>;

/// The boxed reader [`parse_path`] and [`parse_reader`] iterate over.
pub type DynReader<'a> = io::BufReader<io::Chain<Input, Box<dyn BufRead + Send + 'a>>>;

/// Opens any readable stream (gzip and UTF-16 decoded), detects the format when `format` is
/// `None`, and returns its records.
pub fn parse_reader<'a, R: Read + Send + 'a>(
    raw: R,
    format: Option<Format>,
    opts: &ParseOptions,
    origin: &str,
) -> Result<Records<DynReader<'a>>> {
    let io_err = |source| Error::Io {
        origin: origin.to_string(),
        source,
    };
    let mut decoded = decode_input(raw).map_err(io_err)?;
    let mut head = Vec::with_capacity(DETECT_BYTES);
    let format = match format {
        Some(f) => {
            (&mut decoded)
                .take(DETECT_BYTES as u64)
                .read_to_end(&mut head)
                .map_err(io_err)?;
            f
        }
        None => detect_head(&mut decoded, &mut head)
            .map_err(io_err)?
            .ok_or_else(|| Error::Undetected(origin.to_string()))?,
    };
    let reader = io::BufReader::with_capacity(64 * 1024, Cursor::new(head).chain(decoded));
    Ok(Records::new(reader, format, opts, origin))
}

/// Opens a file (or `-` for standard input) and returns its records; see [`parse_reader`].
///
/// For year-less timestamps the default year rule is anchored at the file's modification time
/// rather than the clock, so old logs get their own year.
pub fn parse_path<'a>(
    path: &Path,
    format: Option<Format>,
    opts: &ParseOptions,
) -> Result<Records<DynReader<'a>>> {
    let origin = path.display().to_string();
    if origin == "-" {
        return parse_reader(io::stdin(), format, opts, "-");
    }
    let io_err = |source| Error::Io {
        origin: origin.clone(),
        source,
    };
    let file = File::open(path).map_err(io_err)?;
    let mut opts = opts.clone();
    if let (YearRule::Before(_), Ok(meta)) = (opts.year, file.metadata()) {
        if let Ok(mtime) = meta.modified() {
            if let Ok(d) = mtime.duration_since(std::time::UNIX_EPOCH) {
                opts.year = YearRule::Before(Timestamp::from_millis(d.as_millis() as i64));
            }
        }
    }
    parse_reader(file, format, &opts, &origin)
}

/// Parses text already in memory; handy in tests and small tools.
///
/// ```
/// use yapdns_parsers::{parse_str, Format};
/// let (records, stats) = parse_str(Format::CuckooDnsdump, "1458130003.61\tgoogle.com\tA\t216.58.220.46\n");
/// assert_eq!(records.len(), 1);
/// assert_eq!(stats.associations, 1);
/// ```
pub fn parse_str(format: Format, text: &str) -> (Vec<Record>, Stats) {
    parse_str_with(format, text, &ParseOptions::default())
}

/// [`parse_str`] with options.
pub fn parse_str_with(format: Format, text: &str, opts: &ParseOptions) -> (Vec<Record>, Stats) {
    let mut recs = Records::new(text.as_bytes(), format, opts, "<memory>");
    let out: Vec<Record> = recs.by_ref().filter_map(|r| r.ok()).collect();
    (out, recs.stats().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `for_each_view` reads a buffer at a time and falls back to one line at a time: with
    /// small buffers, lines cross refills everywhere, and it must still match the iterator
    /// (a line over the limit included).
    #[test]
    fn views_match_the_iterator_whatever_the_buffer_size() {
        let text = "1458130003.61\twww.Example.com\tA\t192.0.2.1\nbad line\n\n\
                    1458130004\ta.test\tAAAA\t2001:DB8::1\r\n1458130005\tb.test\tMX\t10 mx.b.test.\n\
                    1458130006\tc.test\tA\tnot-an-address\n\
                    1458130008\tvery-long-name.example.test\tA\t192.0.2.8\n1458130007\td.test\tA\t192.0.2.7";
        let opts = ParseOptions::default();
        for cap in [1, 5, 16, 40, 4096] {
            let reader = || io::BufReader::with_capacity(cap, text.as_bytes());
            let mut it =
                Records::new(reader(), Format::CuckooDnsdump, &opts, "t").with_max_line(40);
            let (mut want, mut want_errors) = (Vec::new(), Vec::new());
            for r in it.by_ref() {
                match r {
                    Ok(r) => want.push(r),
                    Err(e) => want_errors.push(e),
                }
            }
            let mut v = Records::new(reader(), Format::CuckooDnsdump, &opts, "t").with_max_line(40);
            let (mut got, mut errors) = (Vec::<Record>::new(), Vec::new());
            v.for_each_view(&mut got, |e| errors.push(e));
            assert_eq!(got, want, "buffer of {cap}");
            assert_eq!(errors, want_errors, "buffer of {cap}");
            assert_eq!(v.stats(), it.stats(), "buffer of {cap}");
            assert_eq!(v.offset(), text.len() as u64, "buffer of {cap}");
            assert_eq!((it.stats().lines, it.stats().associations), (8, 3));
            assert_eq!(it.stats().errors.get("too_long"), Some(&2));
        }
    }
}

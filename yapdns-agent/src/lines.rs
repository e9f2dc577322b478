//! Turning the bytes of a growing file into parsed records, and knowing where it is safe to
//! resume.
//!
//! A [`LineFeeder`] is fed whatever bytes a read returned; it cuts them into lines (keeping an
//! unfinished last line for the next read), bounds line length, hands each line to the format's
//! parser — the same parser for the whole file, so multi-line records that straddle two reads
//! are parsed whole — and tracks the **safe offset**: the position from which a fresh parser
//! would yield exactly what this one has not yielded yet. Checkpoints and batch ranges end at
//! safe offsets, never in the middle of a record.
//!
//! - Line formats: every line stands alone, so the safe offset is the end of the last line.
//! - Multi-line formats (Microsoft DNS packet dumps): a record starts at a line the format
//!   recognises (a packet line), and the parser may yield parts of a record before it ends
//!   (one answer as soon as the next one starts). A fresh parser can only start at a record's
//!   first line, so the safe offset is the start of the latest record-start line, and what the
//!   parser yields after it is *held* — not handed on — until the next record starts (or the
//!   file ends, or goes quiet): otherwise a restart from the safe offset would yield those
//!   records a second time. A record-start line itself may make the parser yield the end of
//!   the previous record; those records are released with it.

use yapdns_parsers::formats::{FormatParser, LineTally};
use yapdns_parsers::{Counted, Emit, ErrorKind, ParseError, Record};

/// How the bytes of a file encode its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 or an 8-bit code page, as the parsers read it: lines end at `\n`.
    Bytes,
    /// UTF-16, little-endian (`big_endian: false`) or big-endian, with or without a byte-order
    /// mark: lines end at the code unit U+000A, and each is transcoded to UTF-8 for the
    /// parser. Offsets (read position, safe offset, checkpoints) stay in the file's own bytes.
    Utf16 {
        /// Byte order.
        big_endian: bool,
    },
}

/// How records relate to lines.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// One line, one record (or none).
    Line,
    /// A record spans several lines and starts at a line for which the function is true;
    /// see the module documentation.
    MultiLine(fn(&[u8]) -> bool),
}

/// What feeding produced.
#[derive(Debug, Default)]
pub struct FeedOut {
    /// Records, in order (those not handed straight to a sink: see [`LineFeeder::feed_into`]).
    pub records: Vec<Record>,
    /// Bad lines, in order.
    pub errors: Vec<ParseError>,
    /// Complete lines read.
    pub lines: u64,
    /// Associations handed straight to a sink.
    pub sent_associations: u64,
    /// Name sightings handed straight to a sink.
    pub sent_names: u64,
}

impl FeedOut {
    /// Empties it for reuse.
    pub fn clear(&mut self) {
        self.records.clear();
        self.errors.clear();
        self.lines = 0;
        self.sent_associations = 0;
        self.sent_names = 0;
    }
}

/// Feeds the bytes of one file, in order, to one parser.
pub struct LineFeeder {
    parser: Box<dyn FormatParser>,
    mode: Mode,
    max_line: usize,
    /// The unfinished current line.
    buf: Vec<u8>,
    /// Offset of the current line's first byte.
    line_start: u64,
    /// Next byte expected from the file.
    consumed: u64,
    /// Inside a line longer than `max_line`: its bytes are dropped until its end.
    skipping: bool,
    line_no: u64,
    safe: u64,
    /// Multi-line: lines were fed since the last record start (a record may be open).
    pending: bool,
    /// Multi-line: records of the open record, yielded early.
    held: Vec<Record>,
    encoding: Encoding,
    /// UTF-16: the first byte of a code unit whose second byte has not been read yet.
    half: Option<u8>,
    /// UTF-16: the current line transcoded to UTF-8.
    utf8: Vec<u8>,
}

impl LineFeeder {
    /// A feeder for a file whose next byte is at `offset` (the start of a line: a checkpoint is
    /// always one).
    pub fn new(
        parser: Box<dyn FormatParser>,
        mode: Mode,
        offset: u64,
        max_line: usize,
    ) -> LineFeeder {
        LineFeeder {
            parser,
            mode,
            max_line,
            buf: Vec::new(),
            line_start: offset,
            consumed: offset,
            skipping: false,
            line_no: 0,
            safe: offset,
            pending: false,
            held: Vec::new(),
            encoding: Encoding::Bytes,
            half: None,
            utf8: Vec::new(),
        }
    }

    /// Reads the file as `encoding` (the default is [`Encoding::Bytes`]). For UTF-16 the
    /// starting offset must be that of a code unit (even, counted from the start of the file).
    pub fn with_encoding(mut self, encoding: Encoding) -> LineFeeder {
        self.encoding = encoding;
        self
    }

    /// Next byte to read from the file.
    pub fn read_pos(&self) -> u64 {
        self.consumed
    }

    /// Where a fresh parser would resume without losing or repeating anything.
    pub fn safe(&self) -> u64 {
        self.safe
    }

    /// True when a multi-line record may be open in the parser.
    pub fn is_pending(&self) -> bool {
        self.pending
    }

    /// Bytes of an unfinished last line held.
    pub fn partial_len(&self) -> u64 {
        self.consumed - self.line_start
    }

    /// Feeds the next `data` of the file (it continues at [`LineFeeder::read_pos`]).
    pub fn feed(&mut self, data: &[u8], out: &mut FeedOut) {
        self.feed_into(data, out, None);
    }

    /// Like [`LineFeeder::feed`], but the records of a line format's whole lines go to
    /// `sink` as they are parsed (counted in `out.sent_*`), not into `out.records`. The
    /// agent's window is the sink: a record whose key it holds merges as a view, without an
    /// owned copy of it made and dropped. Whole lines of a read are parsed where they lie,
    /// a buffer at a time ([`FormatParser::block`]); only a line split between two reads is
    /// assembled first.
    pub fn feed_into(&mut self, data: &[u8], out: &mut FeedOut, sink: Option<&mut dyn Emit>) {
        if let Encoding::Utf16 { big_endian } = self.encoding {
            self.feed_utf16(data, big_endian, out);
            return;
        }
        let mut rest = data;
        if matches!(self.mode, Mode::Line) {
            // The end of a line begun in an earlier read.
            if self.consumed > self.line_start {
                let Some(i) = memchr::memchr(b'\n', rest) else {
                    self.push_bytes(rest);
                    self.consumed += rest.len() as u64;
                    return;
                };
                self.push_bytes(&rest[..i]);
                self.consumed += i as u64 + 1;
                self.end_line(out);
                rest = &rest[i + 1..];
            }
            let whole = memchr::memrchr(b'\n', rest).map_or(0, |i| i + 1);
            if whole > 0 {
                let mut tally = LineTally {
                    lines: self.line_no,
                    ..LineTally::default()
                };
                let block = &rest[..whole];
                let errors = &mut out.errors;
                let mut on_error = |e| errors.push(e);
                match sink {
                    Some(sink) => {
                        let mut counting = Counted::new(sink);
                        self.parser.block(
                            block,
                            self.max_line,
                            &mut tally,
                            &mut counting,
                            &mut on_error,
                        );
                        out.sent_associations += counting.associations;
                        out.sent_names += counting.names;
                    }
                    None => self.parser.block(
                        block,
                        self.max_line,
                        &mut tally,
                        &mut out.records,
                        &mut on_error,
                    ),
                }
                out.lines += tally.lines - self.line_no;
                self.line_no = tally.lines;
                self.consumed += whole as u64;
                self.line_start = self.consumed;
                self.safe = self.consumed;
                rest = &rest[whole..];
            }
        }
        while !rest.is_empty() {
            match memchr::memchr(b'\n', rest) {
                Some(i) => {
                    let (part, tail) = rest.split_at(i + 1);
                    self.push_bytes(&part[..i]);
                    self.consumed += part.len() as u64;
                    self.end_line(out);
                    rest = tail;
                }
                None => {
                    self.push_bytes(rest);
                    self.consumed += rest.len() as u64;
                    rest = &[];
                }
            }
        }
    }

    /// UTF-16: cuts at the code unit U+000A (the newline unit is not part of the line).
    fn feed_utf16(&mut self, data: &[u8], big_endian: bool, out: &mut FeedOut) {
        let unit = |a: u8, b: u8| {
            if big_endian {
                u16::from_be_bytes([a, b])
            } else {
                u16::from_le_bytes([a, b])
            }
        };
        let mut i = 0;
        if let Some(first) = self.half.take() {
            // The first byte of this unit is already in the line and counted.
            let Some(&second) = data.first() else {
                self.half = Some(first);
                return;
            };
            self.consumed += 1;
            i = 1;
            if unit(first, second) == 0x0A {
                // Drop the half of the newline unit already taken into the line.
                if !self.skipping {
                    self.buf.pop();
                }
                self.end_line(out);
            } else {
                self.push_bytes(&data[..1]);
            }
        }
        let mut seg = i;
        while i + 1 < data.len() {
            if unit(data[i], data[i + 1]) == 0x0A {
                self.push_bytes(&data[seg..i]);
                self.consumed += (i + 2 - seg) as u64;
                self.end_line(out);
                seg = i + 2;
            }
            i += 2;
        }
        self.push_bytes(&data[seg..]);
        self.consumed += (data.len() - seg) as u64;
        if i < data.len() {
            self.half = data.last().copied();
        }
    }

    /// UTF-16: the current line (raw, in `buf`) as UTF-8 in `utf8`, without a byte-order mark
    /// at the start of the file; unpaired surrogates become U+FFFD.
    fn transcode(&mut self, big_endian: bool) {
        self.utf8.clear();
        let mut raw: &[u8] = &self.buf;
        if self.line_start == 0
            && (raw.starts_with(&[0xff, 0xfe]) || raw.starts_with(&[0xfe, 0xff]))
        {
            raw = &raw[2..];
        }
        let units = raw.chunks_exact(2).map(|c| {
            if big_endian {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        let mut tmp = [0u8; 4];
        for ch in char::decode_utf16(units) {
            let ch = ch.unwrap_or(char::REPLACEMENT_CHARACTER);
            self.utf8
                .extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
        }
    }

    fn push_bytes(&mut self, b: &[u8]) {
        if self.skipping {
            return;
        }
        if self.buf.len() + b.len() > self.max_line {
            self.skipping = true;
            self.buf = Vec::new();
        } else {
            self.buf.extend_from_slice(b);
        }
    }

    fn end_line(&mut self, out: &mut FeedOut) {
        let start = self.line_start;
        let end = self.consumed;
        self.line_no += 1;
        out.lines += 1;
        let before = out.records.len();
        let result = if self.skipping {
            Err(ParseError::new(
                self.line_no,
                ErrorKind::TooLong,
                // As the parsers' driver words it, so that the message does not depend on
                // where a read ended.
                format!("line of {} bytes is over the limit", end - start),
            ))
        } else {
            if let Encoding::Utf16 { big_endian } = self.encoding {
                self.transcode(big_endian);
            }
            let mut line: &[u8] = match self.encoding {
                Encoding::Bytes => &self.buf,
                Encoding::Utf16 { .. } => &self.utf8,
            };
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            self.parser.line(line, self.line_no, &mut out.records)
        };
        if let Err(e) = result {
            out.errors.push(e);
        }
        match self.mode {
            Mode::Line => self.safe = end,
            Mode::MultiLine(starts) => {
                let line: &[u8] = match self.encoding {
                    Encoding::Bytes => &self.buf,
                    Encoding::Utf16 { .. } => &self.utf8,
                };
                if !self.skipping && starts(line) {
                    // Everything before this line is closed: release what was held, then what
                    // this line made the parser yield (the end of the previous record).
                    let closing = out.records.split_off(before);
                    out.records.append(&mut self.held);
                    out.records.extend(closing);
                    self.safe = start;
                } else {
                    self.held.extend(out.records.drain(before..));
                }
                self.pending = true;
            }
        }
        self.buf.clear();
        if self.buf.capacity() > 64 * 1024 {
            self.buf.shrink_to(64 * 1024);
        }
        if self.utf8.capacity() > 64 * 1024 {
            self.utf8 = Vec::new();
        }
        self.skipping = false;
        self.line_start = end;
    }

    /// The file will not grow any more (it was rotated away and its writer is done): an
    /// unfinished last line is taken as a line, the parser yields what it still holds, and
    /// everything read is safe.
    pub fn finish(&mut self, out: &mut FeedOut) {
        if self.consumed > self.line_start {
            self.end_line(out);
        }
        self.close_record(out);
    }

    /// Multi-line: the file has been quiet for a while, so the open record is complete as it
    /// is. The parser closes it (and is kept, with what it remembers across records); an
    /// unfinished line stays.
    pub fn flush_record(&mut self, out: &mut FeedOut) {
        if matches!(self.mode, Mode::MultiLine(_)) && self.pending {
            self.close_record(out);
            self.safe = self.line_start;
        }
    }

    /// The rest of the file is gone (truncated away, no copy found): an unfinished last line
    /// is dropped, the parser yields what it holds. Returns the bytes dropped.
    pub fn abandon(&mut self, out: &mut FeedOut) -> u64 {
        let dropped = self.partial_len();
        self.buf.clear();
        self.half = None;
        self.skipping = false;
        self.line_start = self.consumed;
        self.close_record(out);
        dropped
    }

    fn close_record(&mut self, out: &mut FeedOut) {
        out.records.append(&mut self.held);
        match self.parser.finish(&mut out.records) {
            Ok(_) => {}
            Err(e) => out.errors.push(e),
        }
        self.pending = false;
        self.safe = self.consumed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yapdns_core::{NameSighting, SourceTag, Timestamp};
    use yapdns_parsers::{Emit, Outcome};

    fn name(n: &str) -> Record {
        Record::Name(
            NameSighting::new(n, None, Timestamp::from_secs(1), SourceTag::new("t", None)).unwrap(),
        )
    }

    /// One name per line; "bad" is an error.
    struct OnePerLine;
    impl FormatParser for OnePerLine {
        fn line(&mut self, l: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
            let s = std::str::from_utf8(l).unwrap();
            if s == "bad" {
                return Err(ParseError::new(n, ErrorKind::Syntax, "bad"));
            }
            out.push(name(s));
            Ok(Outcome::Answer)
        }
    }

    /// Records start with a line "H name" and take indented lines after it. A body line " !"
    /// yields an early record at once (as Microsoft DNS dumps yield each answer when the next
    /// part starts); the record itself (its name plus the number of its lines) is yielded at
    /// the next header or at finish.
    #[derive(Default)]
    struct Blocks {
        open: Option<(String, usize)>,
    }
    impl Blocks {
        fn emit(&mut self, out: &mut dyn Emit) {
            if let Some((n, k)) = self.open.take() {
                out.push(name(&format!("{n}-{k}.test")));
            }
        }
    }
    impl FormatParser for Blocks {
        fn line(&mut self, l: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
            let s = std::str::from_utf8(l).unwrap();
            if let Some(h) = s.strip_prefix("H ") {
                self.emit(out);
                self.open = Some((h.to_string(), 1));
                return Ok(Outcome::Answer);
            }
            match &mut self.open {
                Some((h, k)) if s.starts_with(' ') => {
                    *k += 1;
                    if s == " !" {
                        out.push(name(&format!("{h}-early{k}.test")));
                    }
                    Ok(Outcome::Skipped)
                }
                _ => Err(ParseError::new(n, ErrorKind::Syntax, "body without header")),
            }
        }
        fn finish(&mut self, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
            self.emit(out);
            Ok(Outcome::Answer)
        }
    }

    fn header(l: &[u8]) -> bool {
        l.starts_with(b"H ")
    }

    fn names(out: &FeedOut) -> Vec<String> {
        out.records
            .iter()
            .map(|r| match r {
                Record::Name(n) => n.rrname.clone(),
                Record::Association(a) => a.rrname.clone(),
            })
            .collect()
    }

    fn line_feeder(offset: u64, max: usize) -> LineFeeder {
        LineFeeder::new(Box::new(OnePerLine), Mode::Line, offset, max)
    }

    /// Whole lines go to the sink and lines split between reads to `out.records`, whatever
    /// the reads' sizes: together they are what `feed` gives, with the same errors, line
    /// count and offsets.
    #[test]
    fn a_sink_gets_what_feed_gives() {
        let mut input = b"a.test\nb.test\r\nbad\n".to_vec();
        input.extend_from_slice(&[b'x'; 40]);
        input.extend_from_slice(b"\nc.test\nd.test\npartial");
        for read in 1..=input.len() {
            let (mut plain, mut direct) = (line_feeder(0, 20), line_feeder(0, 20));
            let (mut want, mut got) = (FeedOut::default(), FeedOut::default());
            let mut sink: Vec<Record> = Vec::new();
            for chunk in input.chunks(read) {
                plain.feed(chunk, &mut want);
                direct.feed_into(chunk, &mut got, Some(&mut sink));
            }
            let sent = sink.len() as u64;
            sink.append(&mut got.records);
            got.records = sink;
            // In another order: lines split between reads went to `records`.
            let (mut g, mut w) = (names(&got), names(&want));
            g.sort();
            w.sort();
            assert_eq!(g, w, "reads of {read}");
            assert_eq!(got.errors, want.errors, "reads of {read}");
            assert_eq!(
                (got.lines, got.sent_names),
                (want.lines, sent),
                "reads of {read}"
            );
            assert_eq!(
                (direct.safe(), direct.read_pos()),
                (plain.safe(), plain.read_pos())
            );
            assert_eq!(direct.partial_len(), 7);
        }
    }

    #[test]
    fn lines_split_across_reads_are_parsed_whole() {
        let mut f = line_feeder(0, 100);
        let mut out = FeedOut::default();
        f.feed(b"a.test\nb.te", &mut out);
        assert_eq!(names(&out), ["a.test"]);
        assert_eq!((f.safe(), f.read_pos(), f.partial_len()), (7, 11, 4));
        f.feed(b"st\r\nbad\n", &mut out);
        assert_eq!(names(&out), ["a.test", "b.test"]);
        assert_eq!(out.errors.len(), 1);
        assert_eq!(f.safe(), 19);
    }

    #[test]
    fn long_lines_are_cut_counted_and_never_buffered() {
        let mut f = line_feeder(0, 10);
        let mut out = FeedOut::default();
        for _ in 0..1000 {
            f.feed(&[b'x'; 1000], &mut out);
            assert!(f.buf.capacity() <= 64 * 1024);
        }
        f.feed(b"\nok.test\n", &mut out);
        assert_eq!(names(&out), ["ok.test"]);
        assert_eq!(out.errors[0].kind, ErrorKind::TooLong);
        assert_eq!(out.lines, 2);
        assert_eq!(f.safe(), 1_000_000 + 1 + 8);
    }

    #[test]
    fn unfinished_last_line_counts_at_finish() {
        let mut f = line_feeder(5, 100);
        let mut out = FeedOut::default();
        f.feed(b"x.test", &mut out);
        assert!(out.records.is_empty());
        assert_eq!(f.safe(), 5);
        f.finish(&mut out);
        assert_eq!(names(&out), ["x.test"]);
        assert_eq!(f.safe(), 11);
    }

    fn blocks(offset: u64) -> LineFeeder {
        LineFeeder::new(
            Box::<Blocks>::default(),
            Mode::MultiLine(header),
            offset,
            100,
        )
    }

    /// Resuming from the safe offset with a fresh parser yields exactly the records not yet
    /// handed on, wherever the input was cut: the property checkpoints rely on.
    #[test]
    fn multiline_safe_offset_resumes_without_loss_or_repeat() {
        let text = b"H a\n x\n !\n x\nH b\n y\nH c\nH d\n !\n z\n !\n z\n";
        let mut whole = blocks(0);
        let mut all = FeedOut::default();
        whole.feed(text, &mut all);
        whole.finish(&mut all);
        let mut expect = names(&all);
        expect.sort();
        assert_eq!(expect.len(), 7, "{expect:?}");
        for cut in 0..=text.len() {
            let mut f = blocks(0);
            let mut first = FeedOut::default();
            f.feed(&text[..cut], &mut first);
            let safe = f.safe() as usize;
            assert!(safe <= cut);
            // Crash here; restart from the safe offset with a fresh parser.
            let mut g = blocks(safe as u64);
            let mut second = FeedOut::default();
            g.feed(&text[safe..], &mut second);
            g.finish(&mut second);
            let mut got = names(&first);
            got.extend(names(&second));
            got.sort();
            assert_eq!(got, expect, "cut at {cut}, safe {safe}");
            assert!(
                first.errors.is_empty() && second.errors.is_empty(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn quiet_multiline_record_is_flushed() {
        let mut f = blocks(0);
        let mut out = FeedOut::default();
        f.feed(b"H a\n !\n", &mut out);
        assert!(out.records.is_empty(), "the early record is held");
        assert_eq!(f.safe(), 0);
        f.flush_record(&mut out);
        assert_eq!(names(&out), ["a-early2.test", "a-2.test"]);
        assert_eq!(f.safe(), 7);
        f.feed(b"H b\n", &mut out);
        f.finish(&mut out);
        assert_eq!(names(&out), ["a-early2.test", "a-2.test", "b-1.test"]);
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if big_endian {
                &[0xfe, 0xff]
            } else {
                &[0xff, 0xfe]
            });
        }
        for u in text.encode_utf16() {
            out.extend_from_slice(&if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    /// UTF-16 text (both byte orders, with a byte-order mark, CRLF, a non-ASCII name and a
    /// character outside the BMP) fed in pieces of every size from 1 to 7 bytes — so code
    /// units and newline units are split between reads — yields the lines of the UTF-8
    /// text, and offsets stay in the file's bytes, at the end of each newline unit.
    #[test]
    fn utf16_lines_are_cut_on_code_units_and_transcoded() {
        let text = "a.test\r\nbad\ncaf\u{e9}.test\n\u{1f600}.test\nlast.te";
        for big_endian in [false, true] {
            let data = utf16(text, big_endian, true);
            for step in 1..=7 {
                let enc = Encoding::Utf16 { big_endian };
                let mut f = line_feeder(0, 100).with_encoding(enc);
                let mut out = FeedOut::default();
                for piece in data.chunks(step) {
                    f.feed(piece, &mut out);
                }
                // Names are stored in their ASCII (IDNA) form.
                assert_eq!(
                    names(&out),
                    ["a.test", "xn--caf-dma.test", "xn--e28h.test"],
                    "step {step}"
                );
                assert_eq!(out.errors.len(), 1);
                assert_eq!(out.lines, 4);
                let whole = utf16(
                    "a.test\r\nbad\ncaf\u{e9}.test\n\u{1f600}.test\n",
                    big_endian,
                    true,
                );
                assert_eq!(f.safe(), whole.len() as u64, "step {step}");
                assert_eq!(f.read_pos(), data.len() as u64);
                f.finish(&mut out);
                assert_eq!(names(&out).last().map(String::as_str), Some("last.te"));
            }
        }
    }

    /// Resuming a UTF-16 file from a checkpoint (no byte-order mark there) reads on.
    #[test]
    fn utf16_resumes_at_a_checkpoint() {
        let data = utf16("one.test\ntwo.test\n", false, true);
        let mut f = line_feeder(0, 100).with_encoding(Encoding::Utf16 { big_endian: false });
        let mut out = FeedOut::default();
        f.feed(&data[..22], &mut out);
        let safe = f.safe() as usize;
        assert_eq!(names(&out), ["one.test"]);
        let mut g =
            line_feeder(safe as u64, 100).with_encoding(Encoding::Utf16 { big_endian: false });
        let mut out2 = FeedOut::default();
        g.feed(&data[safe..], &mut out2);
        assert_eq!(names(&out2), ["two.test"]);
        assert_eq!(g.safe(), data.len() as u64);
    }
}

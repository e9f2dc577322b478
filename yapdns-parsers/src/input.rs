//! Opening inputs: gzip, byte-order marks, UTF-16, container runtimes' wrappers, and lines
//! with a length limit.

pub mod container;

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read};

/// Lines longer than this are cut and counted as errors, never held in memory whole.
pub const DEFAULT_MAX_LINE: usize = 1 << 20;

/// Largest whole document (Cuckoo `report.json`, Thug logs) read into memory.
pub const DEFAULT_MAX_DOCUMENT: u64 = 1 << 30;

/// Wraps a raw byte stream so that parsers see UTF-8-ish text: gzip is decompressed (by its
/// magic bytes, whatever the file is called), a UTF-8 byte-order mark is dropped, and UTF-16
/// (by its byte-order mark, as Windows writes `dns.log` when asked for Unicode) is transcoded to
/// UTF-8.
pub fn decode_input<'a, R: Read + Send + 'a>(raw: R) -> io::Result<Box<dyn BufRead + Send + 'a>> {
    let mut r = BufReader::with_capacity(64 * 1024, raw);
    let head = r.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::read::MultiGzDecoder::new(r);
        return decode_text(BufReader::with_capacity(64 * 1024, gz));
    }
    decode_text(r)
}

fn decode_text<'a, R: BufRead + Send + 'a>(mut r: R) -> io::Result<Box<dyn BufRead + Send + 'a>> {
    let head = r.fill_buf()?;
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        let dec = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .bom_sniffing(true)
            .strip_bom(true)
            .build(r);
        return Ok(Box::new(BufReader::with_capacity(64 * 1024, dec)));
    }
    if head.starts_with(&[0xef, 0xbb, 0xbf]) {
        r.consume(3);
    }
    Ok(Box::new(r))
}

/// A line's text: UTF-8 as it is, anything else read as Windows-1252 (what Windows tools and
/// older proxies write), so no byte is lost and nothing panics. Inlined into the parsers
/// that call it on every line, whichever part of the crate the compiler builds them in.
#[inline]
pub fn text(line: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(line) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(line)
                .0
        }
    }
}

/// `b` without the ASCII white space at its end (a line's trailing `\r` or blanks).
pub(crate) fn trim_end(b: &[u8]) -> &[u8] {
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    b.get(..end).unwrap_or_default()
}

/// One line read by [`LineReader`].
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// The line, without `\n` or `\r\n`.
    Text(&'a [u8]),
    /// A line longer than the limit; its bytes were skipped.
    TooLong(u64),
    /// A frame of a binary format cut short by the end of the input (a file still being
    /// written); its bytes were read and dropped.
    Truncated(u64),
}

/// How long the next frame of a binary format is, told from its first bytes: the splitter of a
/// framed format (see [`LineReader::next_frame`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameLen {
    /// At least this many bytes (counted from the frame's start) are needed to tell.
    Need(usize),
    /// The whole frame, header included, is this many bytes.
    Len(usize),
}

/// A framed format's splitter: given the bytes at the start of a frame, its length.
pub type FrameSplitter = fn(&[u8]) -> FrameLen;

/// Reads lines with a length limit, counting line numbers and byte offsets.
pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    max: usize,
    line_no: u64,
    offset: u64,
    /// Bytes of the line last returned in place, consumed on the next call.
    pending: usize,
}

impl<R: BufRead> LineReader<R> {
    /// A reader cutting lines at `max` bytes.
    pub fn new(inner: R, max: usize) -> LineReader<R> {
        LineReader {
            inner,
            buf: Vec::new(),
            max,
            line_no: 0,
            offset: 0,
            pending: 0,
        }
    }

    /// The wrapped reader.
    pub fn into_inner(mut self) -> R {
        if self.pending > 0 {
            self.inner.consume(self.pending);
        }
        self.inner
    }

    /// The longest line accepted, in bytes.
    pub fn max_line(&self) -> usize {
        self.max
    }

    /// The 1-based number of the line last returned.
    pub fn line_no(&self) -> u64 {
        self.line_no
    }

    /// Bytes consumed so far (the end of the line last returned).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The next line, or `None` at the end of input.
    ///
    /// A line that lies whole in the reader's buffer is returned in place, without a copy; only
    /// lines split across buffer refills are assembled in a side buffer.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        if self.pending > 0 {
            self.inner.consume(self.pending);
            self.pending = 0;
        }
        self.buf.clear();
        let mut total: u64 = 0;
        let mut too_long = false;
        loop {
            let avail = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                if total == 0 {
                    return Ok(None);
                }
                break;
            }
            let (take, done) = match memchr::memchr(b'\n', avail) {
                Some(i) => (i, true),
                None => (avail.len(), false),
            };
            if done && total == 0 && take <= self.max {
                // Fast path: the whole line is in the buffer. Consume it on the next call.
                self.pending = take + 1;
                self.line_no += 1;
                self.offset += (take + 1) as u64;
                let line = strip_cr(&self.inner.fill_buf()?[..take]);
                return Ok(Some(Line::Text(line)));
            }
            if !too_long {
                if self.buf.len() + take > self.max {
                    too_long = true;
                    self.buf.clear();
                } else {
                    self.buf.extend_from_slice(&avail[..take]);
                }
            }
            let consumed = if done { take + 1 } else { take };
            total += consumed as u64;
            self.inner.consume(consumed);
            if done {
                break;
            }
        }
        self.line_no += 1;
        self.offset += total;
        if too_long {
            return Ok(Some(Line::TooLong(total)));
        }
        Ok(Some(Line::Text(strip_cr(&self.buf))))
    }

    /// The complete lines already in the reader's buffer, as one block ending in `\n` (empty
    /// when the buffer holds no complete line: a line longer than the buffer, the last line
    /// without its `\n`, or the end of input). The block stays in the buffer until
    /// [`LineReader::consume_block`] says how many lines it held.
    pub fn buffered_block(&mut self) -> io::Result<&[u8]> {
        if self.pending > 0 {
            self.inner.consume(self.pending);
            self.pending = 0;
        }
        let avail = fill(&mut self.inner)?;
        let end = memchr::memrchr(b'\n', avail).map_or(0, |i| i + 1);
        Ok(avail.get(..end).unwrap_or_default())
    }

    /// Consumes the block [`LineReader::buffered_block`] returned, `len` bytes of `lines`
    /// lines.
    pub fn consume_block(&mut self, len: usize, lines: u64) {
        self.line_no += lines;
        self.offset += len as u64;
        self.inner.consume(len);
    }

    /// Hands every complete line already in the reader's buffer to `f`, in order and in
    /// place, with its 1-based number; returns how many there were. Zero means the buffer
    /// holds no complete line (a line longer than the buffer, the last line without its
    /// `\n`, or the end of input): [`LineReader::next_line`] then reads the next one. Reading
    /// a buffer at a time costs one `memchr` pass over it instead of a call per line.
    pub fn buffered_lines(&mut self, mut f: impl FnMut(Line<'_>, u64)) -> io::Result<usize> {
        let (max, mut line_no) = (self.max, self.line_no);
        let block = self.buffered_block()?;
        let len = block.len();
        for_each_line(block, |line| {
            line_no += 1;
            let line = if line.len() > max {
                Line::TooLong(line.len() as u64 + 1)
            } else {
                Line::Text(strip_cr(line))
            };
            f(line, line_no);
        });
        let n = line_no - self.line_no;
        self.consume_block(len, n);
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// The next frame of a binary format (header included) as `split` delimits it, or `None`
    /// at the end of input. Frames are counted as lines; a frame over the length limit is
    /// skipped unread ([`Line::TooLong`]), and one cut short by the end of the input is
    /// [`Line::Truncated`].
    ///
    /// A frame that lies whole in the reader's buffer is returned in place, without a copy.
    pub fn next_frame(&mut self, split: FrameSplitter) -> io::Result<Option<Line<'_>>> {
        if self.pending > 0 {
            self.inner.consume(self.pending);
            self.pending = 0;
        }
        self.buf.clear();
        let avail = fill(&mut self.inner)?;
        if avail.is_empty() {
            return Ok(None);
        }
        if let FrameLen::Len(n) = split(avail) {
            if n > 0 && n <= avail.len() && n <= self.max {
                // Fast path: the whole frame is in the buffer. Consume it on the next call.
                self.pending = n;
                self.line_no += 1;
                self.offset += n as u64;
                return Ok(Some(Line::Text(&self.inner.fill_buf()?[..n])));
            }
        }
        // Slow path: gather the header, then the frame, across buffer refills.
        self.line_no += 1;
        let mut total: u64 = 0;
        let want = loop {
            let need = match split(&self.buf) {
                FrameLen::Len(n) => break n.max(self.buf.len()).max(1),
                FrameLen::Need(k) => k.max(self.buf.len() + 1),
            };
            let avail = fill(&mut self.inner)?;
            if avail.is_empty() {
                self.offset += total;
                return Ok(Some(Line::Truncated(total)));
            }
            let take = (need - self.buf.len()).min(avail.len());
            self.buf.extend_from_slice(&avail[..take]);
            self.inner.consume(take);
            total += take as u64;
        };
        let too_long = want > self.max;
        if too_long {
            self.buf.clear();
        }
        let mut left = (want as u64).saturating_sub(total);
        while left > 0 {
            let avail = fill(&mut self.inner)?;
            if avail.is_empty() {
                self.offset += total;
                return Ok(Some(Line::Truncated(total)));
            }
            let take = usize::try_from(left).unwrap_or(usize::MAX).min(avail.len());
            if !too_long {
                self.buf.extend_from_slice(&avail[..take]);
            }
            self.inner.consume(take);
            total += take as u64;
            left -= take as u64;
        }
        self.offset += total;
        if too_long {
            return Ok(Some(Line::TooLong(total)));
        }
        Ok(Some(Line::Text(&self.buf)))
    }

    /// Reads the rest of the input, up to `max` bytes; `Ok(None)` when it is larger.
    pub fn read_rest(&mut self, max: u64) -> io::Result<Option<Vec<u8>>> {
        if self.pending > 0 {
            self.inner.consume(self.pending);
            self.pending = 0;
        }
        // Sized for what is buffered already (all of it for input in memory), so a small
        // document is read without growing the vector step by step.
        let buffered = fill(&mut self.inner)?.len();
        let mut out = Vec::with_capacity(buffered.min(max as usize).saturating_add(64));
        let n = (&mut self.inner).take(max + 1).read_to_end(&mut out)?;
        self.offset += n as u64;
        Ok(if n as u64 > max { None } else { Some(out) })
    }
}

/// `fill_buf`, retried when interrupted.
fn fill<R: BufRead>(r: &mut R) -> io::Result<&[u8]> {
    loop {
        match r.fill_buf() {
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    r.fill_buf()
}

/// Calls `f` with every line of `block` (which ends in `\n`; a tail without one is not a
/// line), in order, without its `\n`.
///
/// `memchr` finds a newline far away at memory speed, but each call costs a few dozen
/// instructions to set up: on logs of short lines (Microsoft DNS dumps, zone files, 30–60
/// bytes) that setup cost more than some parsers' work on a line. So every 64 bytes become
/// one bit mask of their newlines (four SSE2 compares), whose set bits are the line ends:
/// a cost per byte, at about the speed of `memchr` on long lines and several times it on
/// short ones. Without SSE2, `memchr` finds each line.
#[inline(always)]
pub fn for_each_line<'a>(block: &'a [u8], mut f: impl FnMut(&'a [u8])) {
    line_bounds(block, |start, end| {
        f(block.get(start..end).unwrap_or_default())
    });
}

/// [`for_each_line`] of text already known to be UTF-8, its lines as `&str`: a reader that
/// checks a whole buffer at once (a fast pass over ASCII) then spares every line its own
/// check. A line ends at a `\n`, which is a character boundary.
#[inline(always)]
pub fn for_each_text_line<'a>(block: &'a str, mut f: impl FnMut(&'a str)) {
    line_bounds(block.as_bytes(), |start, end| {
        f(block.get(start..end).unwrap_or_default())
    });
}

/// Where the lines of a block start and end (the `\n`'s index), found as [`for_each_line`]
/// finds them, for a reader that takes several lines at once (a zone record spread over
/// lines) and then passes over them ([`LineSpans::skip_to`]).
///
/// ```
/// use yapdns_parsers::input::LineSpans;
/// let block = b"a (\n b\n )\nc\n";
/// let mut lines = LineSpans::new(block);
/// assert_eq!(lines.next(), Some((0, 3)));
/// // The reader took the record's three lines at once.
/// lines.skip_to(10);
/// assert_eq!(lines.next(), Some((10, 11)));
/// assert_eq!(lines.next(), None);
/// ```
#[derive(Debug, Clone)]
pub struct LineSpans<'a> {
    block: &'a [u8],
    /// The newlines of the bytes from `base` on, not yet handed out, one bit per byte.
    mask: u64,
    base: usize,
    /// Where the bytes the mask has not covered start.
    next: usize,
    /// Where the next line starts.
    start: usize,
}

impl<'a> LineSpans<'a> {
    /// The lines of `block`.
    pub fn new(block: &'a [u8]) -> LineSpans<'a> {
        LineSpans {
            block,
            mask: 0,
            base: 0,
            next: 0,
            start: 0,
        }
    }

    /// Passes over the lines that start before `to`, itself the start of a line.
    pub fn skip_to(&mut self, to: usize) {
        self.start = to;
        if to >= self.next {
            self.mask = 0;
            self.next = to;
        } else if let Some(below) = 1u64.checked_shl((to - self.base) as u32) {
            self.mask &= !(below - 1);
        }
    }
}

impl Iterator for LineSpans<'_> {
    type Item = (usize, usize);

    #[inline(always)]
    fn next(&mut self) -> Option<(usize, usize)> {
        while self.mask == 0 {
            let at = self.next;
            let rest = self.block.get(at..).filter(|r| !r.is_empty())?;
            self.mask = match rest.get(..64) {
                #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
                Some(chunk) => newline_mask(chunk),
                _ => memchr::memchr_iter(b'\n', rest.get(..64).unwrap_or(rest))
                    .fold(0, |m, i| m | 1 << i),
            };
            self.base = at;
            self.next = at + 64;
        }
        let end = self.base + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        let start = std::mem::replace(&mut self.start, end + 1);
        Some((start, end))
    }
}

/// Calls `f` with the start and end (the `\n`'s index) of every line of `block`.
#[inline(always)]
fn line_bounds(block: &[u8], mut f: impl FnMut(usize, usize)) {
    let mut start = 0usize;
    let mut line_end = |at: usize| {
        f(start, at);
        start = at + 1;
    };
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        let mut chunks = block.chunks_exact(64);
        let mut at = 0;
        for chunk in &mut chunks {
            let mut mask = newline_mask(chunk);
            while mask != 0 {
                line_end(at + mask.trailing_zeros() as usize);
                mask &= mask - 1;
            }
            at += 64;
        }
        for i in memchr::memchr_iter(b'\n', chunks.remainder()) {
            line_end(at + i);
        }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    for i in memchr::memchr_iter(b'\n', block) {
        line_end(i);
    }
}

/// Bit `i` set where `chunk[i]` (of 64 bytes) is a newline.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn newline_mask(chunk: &[u8]) -> u64 {
    use safe_arch::{cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i};
    let newlines = safe_arch::set_splat_i8_m128i(b'\n' as i8);
    let mut mask = 0u64;
    for (k, part) in chunk.chunks_exact(16).enumerate() {
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(part);
        let eq = cmp_eq_mask_i8_m128i(load_unaligned_m128i(&bytes), newlines);
        // One bit per byte, in the low 16 bits.
        mask |= u64::from(move_mask_i8_m128i(eq) as u16) << (16 * k);
    }
    mask
}

/// A line without the CR of a CRLF ending.
#[inline]
pub(crate) fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of `block` as `split` sees them (the reference `for_each_line` must match).
    fn naive_lines(block: &[u8]) -> Vec<&[u8]> {
        let mut v: Vec<&[u8]> = block.split(|&b| b == b'\n').collect();
        v.pop(); // the tail after the last `\n` is not a line
        v
    }

    #[test]
    fn for_each_line_finds_every_newline_in_both_modes() {
        // Bytes next to a newline's value (0x0a), and with the high bit set.
        let alphabet = [b'\n', 0x0b, 0x09, 0x8a, 0x00, 0xff, 0x01, b'a'];
        let mut rng = yapdns_core::test_rng::TestRng::new(0x2545_f491_4f6c_dd1d);
        let mut rand = || rng.next_u64();
        for round in 0..200 {
            let len = (rand() % 20_000) as usize;
            // Some inputs dense in newlines, some sparse, some changing from one to the other.
            let sparse = round % 3;
            let block: Vec<u8> = (0..len)
                .map(|i| {
                    let r = rand();
                    let nl_odds: u64 = match (sparse, (i / 5000) % 2) {
                        (0, _) | (2, 0) => 8,
                        _ => 300,
                    };
                    if r % nl_odds == 0 {
                        b'\n'
                    } else {
                        alphabet[(r >> 32) as usize % alphabet.len()]
                    }
                })
                .collect();
            let mut got = Vec::new();
            for_each_line(&block, |l| got.push(l));
            assert_eq!(got, naive_lines(&block), "round {round}");
        }
        for block in [&b""[..], b"\n", b"\n\n", b"no newline", &[b'\n'; 200][..]] {
            let mut got = Vec::new();
            for_each_line(block, |l| got.push(l));
            assert_eq!(got, naive_lines(block));
        }
    }

    #[test]
    fn line_spans_are_the_lines_and_pass_over_those_taken() {
        let mut rng = yapdns_core::test_rng::TestRng::new(0x1f83_d9ab_fb41_bd6b);
        for round in 0..300 {
            let len = rng.below(3_000);
            // Short lines and long ones, so that skips land inside the mask and past it.
            let odds = if round % 2 == 0 { 6 } else { 90 };
            let mut block: Vec<u8> = (0..len)
                .map(|_| if rng.below(odds) == 0 { b'\n' } else { b'x' })
                .collect();
            if round % 3 != 0 {
                block.push(b'\n');
            }
            let mut want = Vec::new();
            let mut start = 0;
            for (i, &c) in block.iter().enumerate() {
                if c == b'\n' {
                    want.push((start, i));
                    start = i + 1;
                }
            }
            // Read every line, or pass over a few lines now and then.
            let mut lines = LineSpans::new(&block);
            let mut got = Vec::new();
            let mut at = 0;
            while let Some(span) = lines.next() {
                assert_eq!(Some(&span), want.get(at), "round {round}");
                got.push(span);
                at += 1;
                if rng.below(4) == 0 {
                    at += rng.below(5);
                    match want.get(at) {
                        Some(&(next, _)) => lines.skip_to(next),
                        None => {
                            lines.skip_to(block.len());
                            at = want.len();
                        }
                    }
                }
            }
            assert_eq!(at, want.len(), "round {round}");
            assert!(!got.is_empty() || want.is_empty());
        }
    }

    #[test]
    fn text_lines_are_the_byte_lines() {
        // Characters of one to four bytes next to newlines, across 64-byte chunks.
        let pieces = ["a", "é", "\n", "€", "😀", "\r\n", "zone."];
        let mut text = String::new();
        for i in 0..3000usize {
            text.push_str(pieces[(i * 7 + i / 5) % pieces.len()]);
        }
        let mut bytes = Vec::new();
        for_each_line(text.as_bytes(), |l| bytes.push(l));
        let mut lines = Vec::new();
        for_each_text_line(&text, |l| lines.push(l.as_bytes()));
        assert_eq!(lines, bytes);
        assert_eq!(lines, naive_lines(text.as_bytes()));
    }

    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    #[test]
    fn newline_mask_is_exact() {
        for fill in [0u8, 0x0b, 0x8a, 0x09, 0xff, 0x01] {
            for at in 0..64 {
                let mut chunk = [fill; 64];
                chunk[at] = b'\n';
                assert_eq!(newline_mask(&chunk), 1u64 << at, "fill {fill:#x} at {at}");
            }
        }
        assert_eq!(newline_mask(&[b'\n'; 64]), u64::MAX);
    }

    #[test]
    fn buffered_lines_agree_with_next_line() {
        let input = b"a\r\nbb\n\ntoo-long-line\nc\nlast-without-newline";
        for cap in [1, 3, 7, 16, 64] {
            // One line at a time ...
            let mut r = LineReader::new(std::io::BufReader::with_capacity(cap, &input[..]), 8);
            let mut want = Vec::new();
            while let Some(l) = r.next_line().unwrap() {
                want.push(format!("{l:?}"));
            }
            // ... and a buffer at a time, falling back to `next_line` as `Records` does.
            let mut r = LineReader::new(std::io::BufReader::with_capacity(cap, &input[..]), 8);
            let mut got = Vec::new();
            let mut numbers = Vec::new();
            loop {
                let n = r
                    .buffered_lines(|l, no| {
                        got.push(format!("{l:?}"));
                        numbers.push(no);
                    })
                    .unwrap();
                if n == 0 {
                    match r.next_line().unwrap() {
                        Some(l) => {
                            got.push(format!("{l:?}"));
                            numbers.push(r.line_no());
                        }
                        None => break,
                    }
                }
            }
            assert_eq!(got, want, "buffer of {cap}");
            assert_eq!(numbers, (1..=want.len() as u64).collect::<Vec<_>>());
            assert_eq!(r.offset(), input.len() as u64);
        }
    }

    fn lines(input: &[u8], max: usize) -> Vec<String> {
        let mut r = LineReader::new(input, max);
        let mut out = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            out.push(match l {
                Line::Text(t) => String::from_utf8_lossy(t).into_owned(),
                Line::TooLong(n) => format!("<{n}>"),
                Line::Truncated(n) => format!("<cut {n}>"),
            });
        }
        out
    }

    /// A splitter of 1-byte-length frames, for the frame reader's tests.
    fn split1(head: &[u8]) -> FrameLen {
        match head.first() {
            Some(&n) => FrameLen::Len(1 + usize::from(n)),
            None => FrameLen::Need(1),
        }
    }

    fn frames(input: &[u8], buf: usize, max: usize) -> (Vec<String>, u64) {
        let mut r = LineReader::new(BufReader::with_capacity(buf, input), max);
        let mut out = Vec::new();
        while let Some(l) = r.next_frame(split1).unwrap() {
            out.push(match l {
                Line::Text(t) => String::from_utf8_lossy(&t[1..]).into_owned(),
                Line::TooLong(n) => format!("<{n}>"),
                Line::Truncated(n) => format!("<cut {n}>"),
            });
        }
        (out, r.offset())
    }

    #[test]
    fn frames_across_buffer_refills_limits_and_a_cut_end() {
        let data = b"\x03abc\x00\x05hello\x02hi\x04ab";
        for buf in [1, 2, 3, 5, 64] {
            let (got, offset) = frames(data, buf, 100);
            assert_eq!(got, ["abc", "", "hello", "hi", "<cut 3>"], "buffer {buf}");
            assert_eq!(offset, data.len() as u64);
            let (got, _) = frames(data, buf, 4);
            assert_eq!(got, ["abc", "", "<6>", "hi", "<cut 3>"], "buffer {buf}");
        }
    }

    #[test]
    fn crlf_last_line_and_limits() {
        assert_eq!(lines(b"a\r\nbb\nccc", 10), ["a", "bb", "ccc"]);
        assert_eq!(
            lines(b"short\nmuch too long\nok\n", 5),
            ["short", "<14>", "ok"]
        );
        assert!(lines(b"", 5).is_empty());
    }

    #[test]
    fn utf16_and_gzip_are_decoded() {
        let mut utf16 = vec![0xff, 0xfe];
        for c in "x\ny\n".encode_utf16() {
            utf16.extend_from_slice(&c.to_le_bytes());
        }
        let mut s = String::new();
        decode_input(&utf16[..])
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "x\ny\n");

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"hello\n").unwrap();
        let gz = gz.finish().unwrap();
        let mut s = String::new();
        decode_input(&gz[..])
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "hello\n");
    }

    #[test]
    fn windows_1252_fallback() {
        assert_eq!(text(b"caf\xe9"), "café");
        assert_eq!(text("café".as_bytes()), "café");
    }
}

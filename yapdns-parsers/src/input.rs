//! Opening inputs: gzip, byte-order marks, UTF-16, and lines with a length limit.

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
/// older proxies write), so no byte is lost and nothing panics.
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

/// One line read by [`LineReader`].
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// The line, without `\n` or `\r\n`.
    Text(&'a [u8]),
    /// A line longer than the limit; its bytes were skipped.
    TooLong(u64),
}

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

    /// Reads the rest of the input, up to `max` bytes; `Ok(None)` when it is larger.
    pub fn read_rest(&mut self, max: u64) -> io::Result<Option<Vec<u8>>> {
        if self.pending > 0 {
            self.inner.consume(self.pending);
            self.pending = 0;
        }
        let mut out = Vec::new();
        let n = (&mut self.inner).take(max + 1).read_to_end(&mut out)?;
        self.offset += n as u64;
        Ok(if n as u64 > max { None } else { Some(out) })
    }
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<String> {
        let mut r = LineReader::new(input, max);
        let mut out = Vec::new();
        while let Some(l) = r.next_line().unwrap() {
            out.push(match l {
                Line::Text(t) => String::from_utf8_lossy(t).into_owned(),
                Line::TooLong(n) => format!("<{n}>"),
            });
        }
        out
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

//! A JSON lexer for the scanners that read one known shape of JSON (a COF line, a VirusTotal
//! response) faster than `serde`'s visitors can: white space, literals, strings borrowed
//! unless they hold escapes, numbers and whole values skipped with their grammar checked.
//!
//! It reads exactly what `serde_json` reads, or gives up: every method returns `None` both on
//! a JSON error and on what it leaves to `serde_json` (a lone surrogate, an integer it does
//! not take, deep nesting). A scanner built on it then reads the input with `serde_json` from
//! the start, which gives the result or the error; so a scanner only ever returns what
//! `serde_json` would.

use std::borrow::Cow;

/// The bytes that stand for themselves inside a JSON string: not `"`, `\`, or a control
/// character.
static PLAIN: [bool; 256] = {
    let mut t = [true; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = false;
        i += 1;
    }
    t[b'"' as usize] = false;
    t[b'\\' as usize] = false;
    t
};

/// Where the run of bytes that stand for themselves in a JSON string that starts at `i` ends,
/// eight bytes at a time (the lowest byte flagged in a word is always a true match), and
/// whether a byte of the run is above 0x7F.
#[inline]
fn plain_run(b: &[u8], mut i: usize) -> (usize, bool) {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    let mut high = 0u64;
    while let Some(Ok(word)) = b.get(i..i + 8).map(<[u8; 8]>::try_from) {
        let w = u64::from_le_bytes(word);
        let ctrl = w.wrapping_sub(ONES * 0x20) & !w;
        let q = w ^ (ONES * u64::from(b'"'));
        let quote = q.wrapping_sub(ONES) & !q;
        let s = w ^ (ONES * u64::from(b'\\'));
        let slash = s.wrapping_sub(ONES) & !s;
        let hit = (ctrl | quote | slash) & HIGH;
        if hit != 0 {
            let at = hit.trailing_zeros() / 8;
            // The bytes of the word before the stop (`at` is at most 7).
            high |= w & ((1u64 << (8 * at)) - 1);
            return (i + at as usize, high & HIGH != 0);
        }
        high |= w;
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if !PLAIN[usize::from(c)] {
            break;
        }
        high |= u64::from(c);
        i += 1;
    }
    (i, high & HIGH != 0)
}

/// The number the eight bytes at `i` write, when they are all ASCII digits (the first the
/// most significant).
#[inline]
fn eight_digits(b: &[u8], i: usize) -> Option<u64> {
    const ONES: u64 = u64::MAX / 255;
    let w = u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?);
    // Every byte is 0x30..=0x39: its high nibble is 3, and adding 6 leaves it 3.
    let high = ONES * 0xf0;
    if w & high != ONES * 0x30 || w.wrapping_add(ONES * 6) & high != ONES * 0x30 {
        return None;
    }
    let d = w - ONES * 0x30;
    // Pairs, then fours, then the eight: each step adds the higher-order part times 10^k.
    let pairs = d.wrapping_mul(10).wrapping_add(d >> 8);
    const MASK: u64 = 0x0000_00ff_0000_00ff;
    const MUL1: u64 = 100 + (1_000_000 << 32);
    const MUL2: u64 = 1 + (10_000 << 32);
    Some(
        ((pairs & MASK)
            .wrapping_mul(MUL1)
            .wrapping_add(((pairs >> 16) & MASK).wrapping_mul(MUL2)))
            >> 32,
    )
}

/// How deep skipped values may nest before a scanner leaves the input to `serde_json`.
pub const SKIP_DEPTH: u32 = 64;

/// The position of a scanner in its input.
///
/// ```
/// use yapdns_core::JsonLex;
/// let mut lx = JsonLex::new(r#"  {"a": [1, {"b": null}], "c": "d\u00e9"}"#);
/// assert_eq!(lx.ws(), Some(b'{'));
/// lx.i += 1;
/// assert_eq!(lx.key().as_deref(), Some("a"));
/// lx.skip(8).unwrap();
/// lx.eat(b',').unwrap();
/// assert_eq!(lx.key().as_deref(), Some("c"));
/// lx.ws();
/// assert_eq!(lx.string().as_deref(), Some("dé"));
/// ```
#[derive(Debug, Clone)]
pub struct JsonLex<'a> {
    /// The input.
    pub s: &'a str,
    /// The current byte.
    pub i: usize,
}

impl<'a> JsonLex<'a> {
    /// A lexer at the start of `s`.
    pub fn new(s: &'a str) -> JsonLex<'a> {
        JsonLex { s, i: 0 }
    }

    /// Skips JSON white space; the next byte, if any.
    #[inline]
    pub fn ws(&mut self) -> Option<u8> {
        let b = self.s.as_bytes();
        while let Some(&c) = b.get(self.i) {
            match c {
                b' ' | b'\n' | b'\t' | b'\r' => self.i += 1,
                _ => return Some(c),
            }
        }
        None
    }

    /// Skips white space and `c`.
    #[inline]
    pub fn eat(&mut self, c: u8) -> Option<()> {
        if self.ws()? == c {
            self.i += 1;
            Some(())
        } else {
            None
        }
    }

    /// True (and skipped) when the next value is `null`, as serde reads an `Option`.
    #[inline]
    pub fn null(&mut self) -> Option<bool> {
        if self.ws()? == b'n' {
            self.literal(b"null")?;
            Some(true)
        } else {
            Some(false)
        }
    }

    /// `literal` (`null`, `true`, `false`) at the current byte.
    pub fn literal(&mut self, literal: &[u8]) -> Option<()> {
        let end = self.i.checked_add(literal.len())?;
        if self.s.as_bytes().get(self.i..end)? == literal {
            self.i = end;
            Some(())
        } else {
            None
        }
    }

    /// A non-negative integer of at most 18 digits, without fraction or exponent.
    pub fn uint(&mut self) -> Option<u64> {
        let b = self.s.as_bytes();
        let start = self.i;
        let mut v = 0u64;
        // Epoch times and the like: their first eight digits at once.
        if let Some(eight) = eight_digits(b, start) {
            v = eight;
            self.i += 8;
        }
        while let Some(&c) = b.get(self.i) {
            if !c.is_ascii_digit() {
                break;
            }
            if self.i - start == 18 {
                return None;
            }
            v = v * 10 + u64::from(c - b'0');
            self.i += 1;
        }
        let digits = self.i - start;
        if digits == 0
            || (digits > 1 && b.get(start) == Some(&b'0'))
            || matches!(b.get(self.i), Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        Some(v)
    }

    /// A string whose opening quote is the current byte, borrowed unless it holds escapes,
    /// decoded as `serde_json` decodes it into a `str` (surrogates must pair).
    pub fn string(&mut self) -> Option<Cow<'a, str>> {
        let b = self.s.as_bytes();
        let start = self.i + 1;
        let (i, _) = plain_run(b, start);
        self.i = i;
        match *b.get(i)? {
            b'"' => {
                self.i += 1;
                self.s.get(start..i).map(Cow::Borrowed)
            }
            b'\\' => self.unescape(start).map(Cow::Owned),
            _ => None,
        }
    }

    /// A string whose opening quote is the current byte, when it holds neither escapes nor
    /// bytes above 0x7F (a member name, a number or a time written as a string): its bytes.
    /// `None` for any other string, as for a JSON error.
    #[inline]
    pub fn ascii_string(&mut self) -> Option<&'a [u8]> {
        let b = self.s.as_bytes();
        let start = self.i + 1;
        let (end, high) = plain_run(b, start);
        if high || b.get(end) != Some(&b'"') {
            return None;
        }
        self.i = end + 1;
        b.get(start..end)
    }

    /// The rest of a string holding escapes, from `start`; the current byte is a backslash.
    fn unescape(&mut self, start: usize) -> Option<String> {
        let b = self.s.as_bytes();
        let mut out = String::with_capacity(self.i - start + 16);
        out.push_str(self.s.get(start..self.i)?);
        loop {
            match *b.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    let e = *b.get(self.i + 1)?;
                    self.i += 2;
                    out.push(match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => match self.hex4()? {
                            n @ 0xD800..=0xDBFF => {
                                if b.get(self.i..self.i + 2)? != b"\\u" {
                                    return None;
                                }
                                self.i += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..=0xDFFF).contains(&low) {
                                    return None;
                                }
                                let c = 0x1_0000
                                    + ((u32::from(n) - 0xD800) << 10)
                                    + (u32::from(low) - 0xDC00);
                                char::from_u32(c)?
                            }
                            0xDC00..=0xDFFF => return None,
                            n => char::from_u32(u32::from(n))?,
                        },
                        _ => return None,
                    });
                }
                0..=0x1f => return None,
                _ => {
                    let run = self.i;
                    self.i = plain_run(b, run).0;
                    out.push_str(self.s.get(run..self.i)?);
                }
            }
        }
    }

    /// Four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Option<u16> {
        let d = self.s.as_bytes().get(self.i..self.i + 4)?;
        let mut n = 0u16;
        for &c in d {
            n = n * 16 + u16::from(char::from(c).to_digit(16)? as u8);
        }
        self.i += 4;
        Some(n)
    }

    /// Skips a string as `serde_json` skips one: no control characters, known escapes, four
    /// hex digits after `\u` (whatever they encode).
    pub fn skip_string(&mut self) -> Option<()> {
        let b = self.s.as_bytes();
        let mut i = self.i + 1;
        loop {
            i = plain_run(b, i).0;
            match *b.get(i)? {
                b'"' => {
                    self.i = i + 1;
                    return Some(());
                }
                b'\\' => {
                    let e = *b.get(i + 1)?;
                    i += 2;
                    match e {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                        b'u' => {
                            self.i = i;
                            self.hex4()?;
                            i = self.i;
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    /// Skips a number (`-` or a digit first), checking its grammar.
    pub fn skip_number(&mut self) -> Option<()> {
        let b = self.s.as_bytes();
        if b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        match *b.get(self.i)? {
            b'0' => {
                self.i += 1;
                if b.get(self.i).is_some_and(u8::is_ascii_digit) {
                    return None;
                }
            }
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if matches!(b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    /// Skips digits; how many.
    fn digits(&mut self) -> usize {
        let b = self.s.as_bytes();
        let start = self.i;
        while b.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i - start
    }

    /// Skips any value, checking it as `serde_json` does when it skips one (object keys are
    /// read as strings, which is stricter: a lone surrogate in a key leaves the document to
    /// `serde_json`).
    pub fn skip(&mut self, depth: u32) -> Option<()> {
        match self.ws()? {
            b'"' => self.skip_string(),
            b'n' => self.literal(b"null"),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'-' | b'0'..=b'9' => self.skip_number(),
            open @ (b'{' | b'[') => {
                let depth = depth.checked_sub(1)?;
                let close = if open == b'{' { b'}' } else { b']' };
                self.i += 1;
                if self.ws()? == close {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    if open == b'{' {
                        self.key()?;
                    }
                    self.skip(depth)?;
                    match self.ws()? {
                        b',' => self.i += 1,
                        c if c == close => {
                            self.i += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            _ => None,
        }
    }

    /// A member name and its colon.
    pub fn key(&mut self) -> Option<Cow<'a, str>> {
        if self.ws()? != b'"' {
            return None;
        }
        let k = self.string()?;
        if self.ws()? != b':' {
            return None;
        }
        self.i += 1;
        Some(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uint_reads_what_the_digit_loop_reads() {
        let naive = |t: &str| -> Option<u64> {
            let d = t.bytes().take_while(u8::is_ascii_digit).count();
            let rest = &t[d..];
            if d == 0
                || d > 18
                || (d > 1 && t.starts_with('0'))
                || rest.starts_with(['.', 'e', 'E'])
            {
                return None;
            }
            t[..d].parse().ok()
        };
        let mut rng = crate::test_rng::TestRng::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let x = rng.next_u64();
            let len = (x % 23) as usize;
            let t: String = (0..len)
                .map(|k| {
                    let r = (x >> (k * 2 % 60)) % 16;
                    match r {
                        0 => '/',
                        1 => ':',
                        2 => '.',
                        3 => 'e',
                        4 => ',',
                        _ => char::from(b'0' + (r as u8 * 7 + k as u8) % 10),
                    }
                })
                .collect();
            let mut lx = JsonLex::new(&t);
            let got = lx.uint();
            assert_eq!(got, naive(&t), "{t:?}");
            if got.is_some() {
                assert_eq!(
                    lx.i,
                    t.bytes().take_while(u8::is_ascii_digit).count(),
                    "{t:?}"
                );
            }
        }
        for t in [
            "12345678",
            "123456789012345678",
            "1234567890123456789",
            "00000000",
            "99999999,",
        ] {
            assert_eq!(JsonLex::new(t).uint(), naive(t), "{t}");
        }
        assert_eq!(eight_digits(b"12345678", 0), Some(12_345_678));
        assert_eq!(eight_digits(b"1234567:", 0), None);
        assert_eq!(eight_digits(b"1234567/", 0), None);
        assert_eq!(eight_digits(b"\xb2\xb3345678", 0), None);
        assert_eq!(eight_digits(b"1234567", 0), None);
    }

    #[test]
    fn plain_run_stops_at_the_first_quote_backslash_or_control_character() {
        let naive = |b: &[u8], i: usize| {
            (i..b.len())
                .find(|&j| b[j] == b'"' || b[j] == b'\\' || b[j] < 0x20)
                .unwrap_or(b.len())
        };
        let mut rng = crate::test_rng::TestRng::new(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2000 {
            let b: Vec<u8> = (0..40)
                .map(|_| {
                    let x = rng.next_u64();
                    // Mostly plain, with some of each stop byte and bytes next to them.
                    [
                        b'a', b'a', b'a', b'a', b'"', b'\\', 0x1f, 0x20, 0x00, 0x80, 0xff, b'!',
                        b']',
                    ][(x % 13) as usize]
                })
                .collect();
            for i in 0..=b.len() {
                let high = b[i..naive(&b, i)].iter().any(|&c| c >= 0x80);
                assert_eq!(plain_run(&b, i), (naive(&b, i), high), "{b:?} from {i}");
            }
        }
    }
}

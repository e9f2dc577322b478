//! BIND's `$GENERATE` directive: the range it counts over, and the `$` templates of its owner
//! and data, expanded as BIND 9 does (`genname` and `nibbles` in `lib/dns/master.c`).
//!
//! ```text
//! $GENERATE range owner [ttl] [class] type data [; comment]
//! range     = start "-" stop [ "/" step ]             ; 0 <= start <= stop, step >= 1
//! template  = *( "$" / "${" offset [ "," width [ "," base ] ] "}" / "$$" / "\" char / char )
//! base      = "d" / "o" / "x" / "X" / "n" / "N"       ; n, N: nibbles, for ip6.arpa names
//! ```
//!
//! `$` is the value counted, `${offset,width,base}` the value plus `offset`, zero-padded to
//! `width` characters, in `base`; `$$` is a `$`; a `\` and the character after it are kept as
//! they are (so `\$` reaches the name as an escaped `$`). An offset holds for the plain `$`s
//! after it in the same template too (`e${1}-$` is `e2-2` at 1), as BIND writes them. The data
//! is one token: data of several fields is quoted (`"10 mail$.corp.test."`), and in quotes `\"`
//! is a quote.

use std::borrow::Cow;

/// Most records one `$GENERATE` line may make: a /16 of reverse names. BIND sets no limit, but
/// a range of millions is a mistake, and reading it would hold up the file for minutes.
pub(super) const MAX_RECORDS: u64 = 1 << 16;

/// The widest number a template may write (BIND's buffer holds 127 characters).
const MAX_NUMBER: usize = 127;

/// Longest owner a template may make (BIND's buffer for it).
pub(super) const MAX_OWNER: usize = 2048;

/// Longest data a template may make (BIND's buffer for it).
pub(super) const MAX_DATA: usize = 65535;

/// Most text one `$GENERATE` line may make, owners and data together: many times what a /16 of
/// reverse names needs, and a bound on the time one line can take.
pub(super) const MAX_TEXT: usize = 8 << 20;

/// The values a `$GENERATE` range counts over: `start-stop` or `start-stop/step`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Range {
    pub start: u32,
    pub stop: u32,
    pub step: u32,
}

impl Range {
    /// Reads a range as BIND does: both ends at least 0 and at most 2³¹ − 1, the stop not
    /// below the start, a step of at least 1; and, here, at most [`MAX_RECORDS`] values.
    pub(super) fn parse(s: &str) -> Result<Range, String> {
        let bad = || format!("$GENERATE range {s:?} is not start-stop or start-stop/step");
        let number = |t: &str| -> Option<u32> {
            let v: u32 = t
                .parse()
                .ok()
                .filter(|_| t.bytes().all(|b| b.is_ascii_digit()))?;
            (v <= i32::MAX as u32).then_some(v)
        };
        let (ends, step) = match s.split_once('/') {
            Some((ends, step)) => (ends, number(step).ok_or_else(bad)?),
            None => (s, 1),
        };
        let (start, stop) = ends.split_once('-').ok_or_else(bad)?;
        let (start, stop) = (
            number(start).ok_or_else(bad)?,
            number(stop).ok_or_else(bad)?,
        );
        if step == 0 || stop < start {
            return Err(bad());
        }
        let r = Range { start, stop, step };
        if r.len() > MAX_RECORDS {
            return Err(format!(
                "$GENERATE range {s:?} makes {} records, over the limit of {MAX_RECORDS}",
                r.len()
            ));
        }
        Ok(r)
    }

    /// How many values it counts.
    pub(super) fn len(&self) -> u64 {
        u64::from((self.stop - self.start) / self.step) + 1
    }

    /// Its values, in order.
    pub(super) fn values(&self) -> impl Iterator<Item = u32> {
        (self.start..=self.stop).step_by(self.step as usize)
    }
}

/// Writes `template` into `out` with each `$` replaced for the value `it`.
///
/// ```text
/// host-$          , 7  -> host-7
/// ${-1,3,d}       , 7  -> 006
/// ${0,4,x}        , 255 -> 00ff
/// ${0,4,n}        , 26 -> a.1.
/// ```
///
/// Fails when the text would be over `max` bytes.
pub(super) fn expand(template: &str, it: u32, max: usize, out: &mut String) -> Result<(), String> {
    out.clear();
    let mut rest = template;
    // BIND keeps the last offset for the `$`s after it.
    let mut offset = 0;
    while let Some(at) = rest.find(['$', '\\']) {
        out.push_str(rest.get(..at).unwrap_or_default());
        let tail = rest.get(at..).unwrap_or_default();
        if let Some(escaped) = tail.strip_prefix('\\') {
            // The backslash and what it escapes, as written.
            let len = escaped.chars().next().map_or(0, char::len_utf8);
            out.push('\\');
            out.push_str(escaped.get(..len).unwrap_or_default());
            rest = escaped.get(len..).unwrap_or_default();
            continue;
        }
        let after = tail.get(1..).unwrap_or_default();
        if let Some(after) = after.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        let (spec, after) = match after.strip_prefix('{') {
            Some(inner) => {
                let close = inner.find('}').ok_or_else(|| {
                    format!("$GENERATE modifier without its '}}' in {template:?}")
                })?;
                let spec = Spec::parse(inner.get(..close).unwrap_or_default())
                    .ok_or_else(|| format!("bad $GENERATE modifier in {template:?}"))?;
                offset = spec.offset;
                (spec, inner.get(close + 1..).unwrap_or_default())
            }
            None => (
                Spec {
                    offset,
                    ..Spec::default()
                },
                after,
            ),
        };
        spec.write(it, out)
            .ok_or_else(|| format!("$GENERATE value out of range in {template:?} at {it}"))?;
        if out.len() > max {
            break;
        }
        rest = after;
    }
    out.push_str(rest);
    if out.len() > max {
        return Err(format!("$GENERATE {it}: text over {max} bytes"));
    }
    Ok(())
}

/// What follows a `$` in braces: `offset[,width[,base]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Spec {
    offset: i64,
    width: usize,
    base: u8,
}

impl Default for Spec {
    fn default() -> Spec {
        Spec {
            offset: 0,
            width: 0,
            base: b'd',
        }
    }
}

impl Spec {
    /// The text between the braces: one, two or three fields.
    fn parse(s: &str) -> Option<Spec> {
        let mut fields = s.split(',');
        let offset = fields.next()?;
        let digits = offset.strip_prefix(['-', '+']).unwrap_or(offset);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let offset: i64 = offset.parse().ok()?;
        if i32::try_from(offset).is_err() {
            return None;
        }
        let mut spec = Spec {
            offset,
            ..Spec::default()
        };
        if let Some(width) = fields.next() {
            if width.is_empty() || !width.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            spec.width = width.parse().ok()?;
            if let Some(base) = fields.next() {
                match base.as_bytes() {
                    [b @ (b'd' | b'o' | b'x' | b'X' | b'n' | b'N')] => spec.base = *b,
                    _ => return None,
                }
            }
        }
        fields.next().is_none().then_some(spec)
    }

    /// Writes `it` plus the offset; `None` when the sum is above 2³¹ − 1, which BIND does not
    /// write, or the text would be over [`MAX_NUMBER`] characters.
    fn write(&self, it: u32, out: &mut String) -> Option<()> {
        use std::fmt::Write as _;
        let v = i64::from(it) + self.offset;
        let v = i32::try_from(v).ok()?;
        let w = self.width;
        if w > MAX_NUMBER {
            return None;
        }
        let start = out.len();
        // As C's printf writes an `int`: `%0*d` counts the sign in the width, and the other
        // bases write its bits unsigned.
        let _ = match self.base {
            b'o' => write!(out, "{:0w$o}", v as u32),
            b'x' => write!(out, "{:0w$x}", v as u32),
            b'X' => write!(out, "{:0w$X}", v as u32),
            b'n' | b'N' => {
                nibbles(v as u32, w, self.base == b'N', out);
                Ok(())
            }
            _ => write!(out, "{v:0w$}"),
        };
        (out.len() - start <= MAX_NUMBER).then_some(())
    }
}

/// `v` as hexadecimal digits from the lowest, one a label (`26` → `a.1`), and zero digits
/// after them until the text is `width` characters long, dots counted (`26`, 6 → `a.1.0.`),
/// as BIND's `nibbles` writes it.
fn nibbles(mut v: u32, mut width: usize, upper: bool, out: &mut String) {
    const DIGITS: &[u8; 32] = b"0123456789abcdef0123456789ABCDEF";
    loop {
        let digit = DIGITS
            .get((v & 0xf) as usize + if upper { 16 } else { 0 })
            .copied()
            .unwrap_or(b'0');
        out.push(char::from(digit));
        v >>= 4;
        width = width.saturating_sub(1);
        if width > 0 || v != 0 {
            out.push('.');
            width = width.saturating_sub(1);
        }
        if v == 0 && width == 0 {
            break;
        }
    }
}

/// The text of a `$GENERATE` data token: a quoted one without its quotes and with each `\"`
/// in it a `"`, as BIND's lexer reads a quoted string (other escapes stay as written).
pub(super) fn data_text(token: &str) -> Cow<'_, str> {
    let Some(inner) = token.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
        return token.into();
    };
    if !inner.contains("\\\"") {
        return inner.into();
    }
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for c in inner.chars() {
        if c == '"' && escaped {
            out.pop();
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen(template: &str, it: u32) -> Result<String, String> {
        let mut out = String::new();
        expand(template, it, MAX_DATA, &mut out).map(|()| out)
    }

    #[test]
    fn ranges() {
        let r = |s| Range::parse(s);
        assert_eq!(
            r("1-10"),
            Ok(Range {
                start: 1,
                stop: 10,
                step: 1
            })
        );
        assert_eq!(
            r("0-10/5").map(|r| r.values().collect::<Vec<_>>()),
            Ok(vec![0, 5, 10])
        );
        assert_eq!(r("3-3").map(|r| r.len()), Ok(1));
        assert_eq!(r("0-65535").map(|r| r.len()), Ok(65536));
        for bad in [
            "10-1",
            "1-2/0",
            "-1-2",
            "1",
            "1-",
            "a-b",
            "1-2/",
            "1-2x",
            "0-65536",
            "0-2147483648",
        ] {
            assert!(r(bad).is_err(), "{bad}");
        }
        // A step that overshoots stops before the end, as BIND's loop does.
        assert_eq!(
            r("1-10/4").map(|r| r.values().collect::<Vec<_>>()),
            Ok(vec![1, 5, 9])
        );
    }

    #[test]
    fn templates_as_bind_writes_them() {
        assert_eq!(gen("host-$", 7).as_deref(), Ok("host-7"));
        assert_eq!(gen("$.$", 12).as_deref(), Ok("12.12"));
        assert_eq!(gen("no-dollar", 3).as_deref(), Ok("no-dollar"));
        assert_eq!(gen("$$x$", 3).as_deref(), Ok("$x3"));
        assert_eq!(gen("a\\$b$", 3).as_deref(), Ok("a\\$b3"));
        assert_eq!(gen("trailing\\", 3).as_deref(), Ok("trailing\\"));
        assert_eq!(gen("${10}", 5).as_deref(), Ok("15"));
        assert_eq!(gen("${-20,3,d}", 25).as_deref(), Ok("005"));
        assert_eq!(gen("${-20,3}", 18).as_deref(), Ok("-02"));
        assert_eq!(gen("${0,4,x}", 255).as_deref(), Ok("00ff"));
        assert_eq!(gen("${0,0,X}", 255).as_deref(), Ok("FF"));
        assert_eq!(gen("${0,3,o}", 8).as_deref(), Ok("010"));
        assert_eq!(gen("${-1,0,x}", 0).as_deref(), Ok("ffffffff"));
        assert_eq!(gen("${0,0,n}", 26).as_deref(), Ok("a.1"));
        assert_eq!(gen("${0,4,N}", 26).as_deref(), Ok("A.1."));
        assert_eq!(gen("${0,5,n}", 26).as_deref(), Ok("a.1.0"));
        assert_eq!(gen("${0,3,n}", 0).as_deref(), Ok("0.0"));
        assert_eq!(gen("${0,0,n}", 0).as_deref(), Ok("0"));
        // A value below 0 is written as C writes an unsigned int: its 32 bits.
        assert_eq!(gen("${-1,0,N}", 0).as_deref(), Ok("F.F.F.F.F.F.F.F"));
        assert_eq!(gen("x${1}y${2,2}z", 1).as_deref(), Ok("x2y03z"));
        // An offset holds for the plain `$`s after it.
        assert_eq!(gen("e${1}-$-${2}-$", 1).as_deref(), Ok("e2-2-3-3"));
        assert_eq!(gen("${10,0,d} mail$", 0).as_deref(), Ok("10 mail10"));
    }

    #[test]
    fn quoted_data() {
        assert_eq!(data_text("10.0.0.$"), "10.0.0.$");
        assert_eq!(data_text(r#""10 mail$""#), "10 mail$");
        assert_eq!(data_text(r#""\"pool-$\"""#), r#""pool-$""#);
        assert_eq!(data_text(r#""\"x $\" \"y\"""#), r#""x $" "y""#);
        // An escaped backslash before a quote leaves the quote's escape out.
        assert_eq!(data_text(r#""a\\\"b""#), r#"a\\"b"#);
        assert_eq!(data_text(r#""a\$b""#), r#"a\$b"#);
    }

    #[test]
    fn bad_templates() {
        for bad in [
            "${",
            "${}",
            "${x}",
            "${1,}",
            "${1,2,}",
            "${1,2,q}",
            "${1,2,d,}",
            "${1,-2}",
            "${1,200}",
        ] {
            assert!(gen(bad, 1).is_err(), "{bad}");
        }
        // Out of range: above 2³¹ − 1.
        assert!(gen("${2147483647}", 1).is_err());
        // Over the length of data BIND takes.
        assert!(gen(&"${0,127}".repeat(600), 1).is_err());
        assert!(gen(&"${0,127}".repeat(500), 1).is_ok());
    }
}

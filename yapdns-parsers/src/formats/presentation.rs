//! Character strings as DNS master files, BIND and dig write them: the one form every format
//! that renders TXT, HINFO, NAPTR, CAA or URI data uses, so that the same string read from a
//! zone file, a dnstap capture or a Zeek log is the same association.

use std::fmt::Write as _;

/// Appends one byte of a character string: `"` and `\` escaped with a backslash, printable
/// ASCII as it is, any other byte as `\DDD` (three decimal digits).
#[inline]
pub(crate) fn push_string_byte(out: &mut String, c: u8) {
    match c {
        b'"' | b'\\' => {
            out.push('\\');
            out.push(char::from(c));
        }
        0x20..=0x7e => out.push(char::from(c)),
        _ => {
            let _ = write!(out, "\\{c:03}");
        }
    }
}

/// Appends `b` as one quoted character string ([`push_string_byte`] for each byte).
#[inline]
pub(crate) fn quote_into(out: &mut String, b: &[u8]) {
    out.push('"');
    for &c in b {
        push_string_byte(out, c);
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_as_bind_writes_them() {
        let mut out = String::new();
        quote_into(&mut out, b"a \"b\" \\ \x01\x7f\xc3\xa9");
        assert_eq!(out, r#""a \"b\" \\ \001\127\195\169""#);
    }
}

//! Character strings as DNS master files, BIND and dig write them: the one form every format
//! that renders TXT, HINFO, NAPTR, CAA or URI data uses, so that the same string read from a
//! zone file, a dnstap capture or a Zeek log is the same association. With them, the labels of
//! names and base64 as BIND writes them, which `dnstap` and the SVCB writer ([`super::svcb`])
//! share.

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

/// Appends one label of a name, escaping as BIND does: `"().;\@$` with a backslash, bytes outside
/// `!`..`~` as `\DDD`.
pub(crate) fn push_label(label: &[u8], out: &mut String) {
    for &c in label {
        match c {
            b'"' | b'(' | b')' | b'.' | b';' | b'\\' | b'@' | b'$' => {
                out.push('\\');
                out.push(c as char);
            }
            0x21..=0x7e => out.push(c as char),
            _ => {
                let _ = write!(out, "\\{c:03}");
            }
        }
    }
}

/// Appends `b` in base64 (RFC 4648, padded), as BIND writes keys, signatures and `ech`.
pub(crate) fn base64(b: &[u8], out: &mut String) {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in b.chunks(3) {
        let v = (u32::from(chunk[0]) << 16)
            | (u32::from(chunk.get(1).copied().unwrap_or(0)) << 8)
            | u32::from(chunk.get(2).copied().unwrap_or(0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(v >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
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

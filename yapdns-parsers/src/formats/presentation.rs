//! Character strings as DNS master files, BIND and dig write them: the one form every format
//! that renders TXT, HINFO, NAPTR, CAA or URI data uses, so that the same string read from a
//! zone file, a dnstap capture or a Zeek log is the same association. With them, the labels of
//! names and base64 as BIND writes them, which `dnstap` and the SVCB writer ([`super::svcb`])
//! share; and the fields of CERT and LOC data, which `dnstap` writes from the wire and
//! `bind-zone` reads from text, so that both give BIND's one text of a record.

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

/// Certificate types BIND prints by name in CERT data (RFC 4398, `dns_cert_totext`).
const CERT_TYPES: &[(u16, &str)] = &[
    (1, "PKIX"),
    (2, "SPKI"),
    (3, "PGP"),
    (4, "IPKIX"),
    (5, "ISPKI"),
    (6, "IPGP"),
    (7, "ACPKIX"),
    (8, "IACPKIX"),
    (253, "URI"),
    (254, "OID"),
];

/// DNSSEC algorithms as BIND 9.18 prints them in CERT data (`dns_secalg_totext`): the first
/// name of a number is the one printed, later ones are only read (`ECDSA256`).
const SECALGS: &[(u8, &str)] = &[
    (1, "RSAMD5"),
    (2, "DH"),
    (3, "DSA"),
    (5, "RSASHA1"),
    (6, "NSEC3DSA"),
    (7, "NSEC3RSASHA1"),
    (8, "RSASHA256"),
    (10, "RSASHA512"),
    (12, "ECCGOST"),
    (13, "ECDSAP256SHA256"),
    (13, "ECDSA256"),
    (14, "ECDSAP384SHA384"),
    (14, "ECDSA384"),
    (15, "ED25519"),
    (16, "ED448"),
    (252, "INDIRECT"),
    (253, "PRIVATEDNS"),
    (254, "PRIVATEOID"),
];

/// A value of a BIND mnemonic table as BIND reads it (`dns_mnemonic_fromtext`): a name in
/// any case, or a decimal number up to `max`.
fn mnemonic_value<T: Copy + Into<u32>>(table: &[(T, &str)], s: &str, max: u32) -> Option<u32> {
    if s.bytes().next().is_some_and(|c| c.is_ascii_digit()) {
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let v = s.bytes().try_fold(0u32, |v, c| {
            v.checked_mul(10)?.checked_add(u32::from(c - b'0'))
        })?;
        return (v <= max).then_some(v);
    }
    table
        .iter()
        .find(|(_, name)| name.eq_ignore_ascii_case(s))
        .map(|&(v, _)| v.into())
}

/// Appends a mnemonic table's value as BIND prints it: its first name, else the number.
fn push_mnemonic<T: Copy + Into<u32> + PartialEq>(table: &[(T, &str)], v: T, out: &mut String) {
    match table.iter().find(|(n, _)| *n == v) {
        Some((_, name)) => out.push_str(name),
        None => {
            let _ = write!(out, "{}", v.into());
        }
    }
}

/// Appends the three numbers before a CERT record's certificate as BIND prints them: the type
/// and the algorithm by name where they have one, the key tag in decimal.
pub(crate) fn push_cert_head(cert_type: u16, key_tag: u16, alg: u8, out: &mut String) {
    push_mnemonic(CERT_TYPES, cert_type, out);
    let _ = write!(out, " {key_tag} ");
    push_mnemonic(SECALGS, alg, out);
}

/// The fields of a CERT record's head as written in a master file — the type and algorithm by
/// name or number, as BIND reads them — or why BIND refuses them.
pub(crate) fn cert_head(
    cert_type: &str,
    key_tag: &str,
    alg: &str,
) -> Result<(u16, u16, u8), &'static str> {
    let t = mnemonic_value(CERT_TYPES, cert_type, 0xffff).ok_or("not a certificate type")?;
    let tag = mnemonic_value::<u16>(&[], key_tag, 0xffff).ok_or("the key tag is not a number")?;
    let a = mnemonic_value(SECALGS, alg, 0xff).ok_or("not a DNSSEC algorithm")?;
    match (u16::try_from(t), u16::try_from(tag), u8::try_from(a)) {
        (Ok(t), Ok(tag), Ok(a)) => Ok((t, tag, a)),
        _ => Err("a number out of range"),
    }
}

/// LOC data (RFC 1876, version 0) in wire form, the 16 bytes BIND reads and prints.
pub(crate) type Loc = [u8; 16];

/// Appends LOC data as BIND's `totext_loc` prints it, every field and its default written:
/// `d m s.fff N|S d m s.fff E|W [-]m.ccm size hp vp`, the last three as `Nm`, or `0.NNm` under
/// a metre. `Err` for what BIND does not print (a precision digit over 9, an angle past the
/// pole or the antimeridian).
pub(crate) fn push_loc(b: &Loc, out: &mut String) -> Result<(), &'static str> {
    fn precision(x: u8, out: &mut String) -> Result<(), &'static str> {
        let (man, exp) = (u64::from(x >> 4), u32::from(x & 0x0f));
        if man > 9 || exp > 9 {
            return Err("LOC precision");
        }
        let _ = if exp > 1 {
            write!(out, " {}m", man * 10u64.pow(exp - 2))
        } else {
            write!(out, " 0.{:02}m", man * 10u64.pow(exp))
        };
        Ok(())
    }
    fn angle(v: u32, max: u32, hemi: [char; 2], out: &mut String) -> Result<(), &'static str> {
        let (mut a, hemi) = if v >= 0x8000_0000 {
            (v - 0x8000_0000, hemi[0])
        } else {
            (0x8000_0000 - v, hemi[1])
        };
        let ms = a % 1000;
        a /= 1000;
        let s = a % 60;
        a /= 60;
        let m = a % 60;
        a /= 60;
        if a > max {
            return Err("LOC angle");
        }
        let _ = write!(out, "{a} {m} {s}.{ms:03} {hemi}");
        Ok(())
    }
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    if b[0] != 0 {
        return Err("LOC version");
    }
    angle(be(4), 90, ['N', 'S'], out)?;
    out.push(' ');
    angle(be(8), 180, ['E', 'W'], out)?;
    let alt = be(12);
    let (sign, alt) = if alt < 10_000_000 {
        ("-", 10_000_000 - alt)
    } else {
        ("", alt - 10_000_000)
    };
    let _ = write!(out, " {sign}{}.{:02}m", alt / 100, alt % 100);
    for &p in &b[1..4] {
        precision(p, out)?;
    }
    Ok(())
}

/// LOC data as a master file writes it, read as BIND's `fromtext_loc` reads it: degrees, then
/// optionally minutes and seconds (up to three decimals; more are dropped), the hemisphere;
/// the same for the longitude; the altitude in metres (two decimals, `m` optional); then
/// optionally the size and the horizontal and vertical precision (1m, 10000m and 10m when left
/// out). `Err` names what BIND refuses.
pub(crate) fn loc_from_text(text: &str) -> Result<Loc, &'static str> {
    let mut toks = text.split_ascii_whitespace().peekable();
    let mut coordinate = |max: u32, hemi: [&str; 2]| -> Result<u32, &'static str> {
        let mut parts = [0u32; 3];
        let mut sign = None;
        for (k, part) in parts.iter_mut().enumerate() {
            let t = toks.next().ok_or("LOC data cut short")?;
            if k > 0 {
                if let Some(s) = hemi.iter().position(|h| h.eq_ignore_ascii_case(t)) {
                    sign = Some(s);
                    break;
                }
            }
            *part = match k {
                0 => whole(t, max).ok_or("bad LOC degrees")?,
                1 => whole(t, 59).ok_or("bad LOC minutes")?,
                _ => decimal(t, 3)
                    .and_then(|v| u32::try_from(v).ok())
                    .filter(|&v| v < 60_000)
                    .ok_or("bad LOC seconds")?,
            };
        }
        let sign = match sign {
            Some(s) => s,
            None => {
                let t = toks.next().ok_or("LOC data cut short")?;
                hemi.iter()
                    .position(|h| h.eq_ignore_ascii_case(t))
                    .ok_or("no LOC hemisphere")?
            }
        };
        let [d, m, s] = parts;
        // Seconds are thousandths when given, whole otherwise.
        let ms = (d * 60 + m) * 60_000 + s;
        if ms > max * 3_600_000 {
            return Err("LOC angle out of range");
        }
        Ok(if sign == 0 {
            0x8000_0000 + ms
        } else {
            0x8000_0000 - ms
        })
    };
    let lat = coordinate(90, ["N", "S"])?;
    let lon = coordinate(180, ["E", "W"])?;
    let alt = {
        let t = toks.next().ok_or("LOC data without altitude")?;
        let t = t.strip_suffix(['m', 'M']).unwrap_or(t);
        let (neg, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let cm = decimal(t, 2).ok_or("bad LOC altitude")?;
        // -100000.00m to 42849672.95m, the range of the wire's 32 bits.
        let wire = if neg {
            10_000_000u64.checked_sub(cm)
        } else {
            Some(10_000_000 + cm)
        };
        wire.and_then(|v| u32::try_from(v).ok())
            .ok_or("LOC altitude out of range")?
    };
    let mut b = [0u8; 16];
    // Size 1m, horizontal precision 10000m, vertical 10m when left out (RFC 1876).
    let defaults = [0x12, 0x16, 0x13];
    for (i, d) in defaults.into_iter().enumerate() {
        b[1 + i] = match toks.next() {
            Some(t) => precision_value(t)?,
            None => d,
        };
    }
    if toks.peek().is_some() {
        return Err("more LOC data than its fields");
    }
    b[4..8].copy_from_slice(&lat.to_be_bytes());
    b[8..12].copy_from_slice(&lon.to_be_bytes());
    b[12..16].copy_from_slice(&alt.to_be_bytes());
    Ok(b)
}

/// Digits up to `max`, leading zeros allowed.
fn whole(t: &str, max: u32) -> Option<u32> {
    if t.is_empty() || t.len() > 10 || !t.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse::<u32>().ok().filter(|&v| v <= max)
}

/// `digits[.digits]` in units of 10^-`places`, the decimals past `places` dropped as BIND
/// drops them (with a warning).
fn decimal(t: &str, places: u32) -> Option<u64> {
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit()) || int.len() > 8 {
        return None;
    }
    let mut v: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut digits = frac.bytes();
    for _ in 0..places {
        let d = digits.next().map_or(0, |c| u64::from(c - b'0'));
        v = v.checked_mul(10)?.checked_add(d)?;
    }
    Some(v)
}

/// A size or precision in metres (`10m`, `0.5`, up to 90000000m) as its wire byte, mantissa
/// and power of ten of centimetres, rounded down as BIND's `loc_getprecision` rounds it.
fn precision_value(t: &str) -> Result<u8, &'static str> {
    let t = t.strip_suffix(['m', 'M']).unwrap_or(t);
    let cm = decimal(t, 2).ok_or("bad LOC size or precision")?;
    if cm > 9_000_000_000 {
        return Err("LOC size or precision out of range");
    }
    let (m, cm) = (cm / 100, cm % 100);
    let (man, exp) = if m > 0 {
        let mut exp = 0;
        while exp < 7 && m >= 10u64.pow(exp + 1) {
            exp += 1;
        }
        (m / 10u64.pow(exp), u64::from(exp) + 2)
    } else if cm >= 10 {
        (cm / 10, 1)
    } else {
        (cm, 0)
    };
    u8::try_from(man << 4 | exp).map_err(|_| "LOC size or precision out of range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loc_text_read_and_written_as_bind_does() {
        let again = |text: &str| {
            let mut out = String::new();
            push_loc(&loc_from_text(text)?, &mut out)?;
            Ok::<_, &str>(out)
        };
        // BIND's own test zone (lib/dns/tests, RFC 1876 examples).
        assert_eq!(
            again("42 21 54 N 71 06 18 W -24m 30m"),
            Ok("42 21 54.000 N 71 6 18.000 W -24.00m 30m 10000m 10m".into())
        );
        assert_eq!(
            again("42 21 43.952 N 71 5 6.344 W -24m 1m 200m"),
            Ok("42 21 43.952 N 71 5 6.344 W -24.00m 1m 200m 10m".into())
        );
        assert_eq!(
            again("52 14 05 N 00 08 50 E 10m"),
            Ok("52 14 5.000 N 0 8 50.000 E 10.00m 1m 10000m 10m".into())
        );
        assert_eq!(
            again("32 7 19 S 116 2 25 E 10m"),
            Ok("32 7 19.000 S 116 2 25.000 E 10.00m 1m 10000m 10m".into())
        );
        // Sizes keep one significant digit, rounded down; under a metre, centimetres.
        assert_eq!(
            again("0 N 0 E 0 99m 0.09 123456.78m"),
            Ok("0 0 0.000 N 0 0 0.000 E 0.00m 90m 0.09m 100000m".into())
        );
        // What is printed reads back the same.
        let printed = "89 59 59.999 S 179 59 59.999 W -100000.00m 90000000m 0.00m 0.10m";
        assert_eq!(again(printed), Ok(printed.into()));
        assert!(again("52 N 4 E").is_err());
        assert!(again("52 N 181 E 0").is_err());
        assert!(again("52 x N 4 E 0").is_err());
        assert!(again("").is_err());
    }

    #[test]
    fn cert_heads_by_name_or_number() {
        assert_eq!(cert_head("pgp", "0", "0"), Ok((3, 0, 0)));
        assert_eq!(cert_head("254", "65535", "ECDSA384"), Ok((254, 65535, 14)));
        assert!(cert_head("PGP", "0x1", "0").is_err());
        assert!(cert_head("65536", "0", "0").is_err());
        let mut out = String::new();
        push_cert_head(254, 7, 14, &mut out);
        assert_eq!(out, "OID 7 ECDSAP384SHA384");
    }

    #[test]
    fn strings_as_bind_writes_them() {
        let mut out = String::new();
        quote_into(&mut out, b"a \"b\" \\ \x01\x7f\xc3\xa9");
        assert_eq!(out, r#""a \"b\" \\ \001\127\195\169""#);
    }
}

//! Normalisation of owner names and record data, done once when a record is built so that
//! the same association always has the same key, whichever log it came from.

use std::net::Ipv6Addr;

use crate::error::{Error, Result};
use crate::rrtype::RrType;

/// Longest name in presentation form, without the trailing dot (RFC 1035: 255 octets on the
/// wire, which is 253 characters of dotted text).
pub const MAX_NAME_LEN: usize = 253;
/// Longest label (RFC 1035).
pub const MAX_LABEL_LEN: usize = 63;

/// Normalises a domain name: ASCII lower case, no trailing dot, IDNs as A-labels (punycode),
/// escaped bytes (`\032`, `\.`) kept escaped. The root is `.`.
///
/// ```
/// use yapdns_core::normalize_name;
/// assert_eq!(normalize_name("WWW.Example.COM.").unwrap(), "www.example.com");
/// assert_eq!(normalize_name("bücher.test").unwrap(), "xn--bcher-kva.test");
/// assert_eq!(normalize_name(".").unwrap(), ".");
/// assert!(normalize_name("a..b").is_err());
/// ```
pub fn normalize_name(name: &str) -> Result<String> {
    let mut buf = String::new();
    Ok(match name_in(name, &mut buf)? {
        Normal::Input(r) => name[r].to_string(),
        Normal::Buf => buf,
    })
}

/// [`normalize_name`] without allocating when it can: the normal form is a piece of `name`
/// itself when that is already normal (the common case in logs), else it is written into
/// `buf`, a buffer the caller keeps from record to record. This is what lets a parser hand out
/// borrowed records (see [`AssociationView`](crate::AssociationView)).
///
/// ```
/// use yapdns_core::normalize_name_in;
/// let mut buf = String::new();
/// assert_eq!(normalize_name_in("www.example.com.", &mut buf).unwrap(), "www.example.com");
/// assert_eq!(normalize_name_in("WWW.Example.com", &mut buf).unwrap(), "www.example.com");
/// assert!(normalize_name_in("a..b", &mut buf).is_err());
/// ```
pub fn normalize_name_in<'a>(name: &'a str, buf: &'a mut String) -> Result<&'a str> {
    Ok(match name_in(name, buf)? {
        Normal::Input(r) => &name[r],
        Normal::Buf => buf.as_str(),
    })
}

/// Where a normal form is: a range of the input, or the caller's buffer.
enum Normal {
    Input(std::ops::Range<usize>),
    Buf,
}

impl Normal {
    /// Shifts a range of a piece of the input to a range of the whole.
    fn shifted(self, by: usize) -> Normal {
        match self {
            Normal::Input(r) => Normal::Input(r.start + by..r.end + by),
            Normal::Buf => Normal::Buf,
        }
    }
}

/// The range `inner` (a sub-slice of `outer`) covers in `outer`.
fn range_in(outer: &str, inner: &str) -> std::ops::Range<usize> {
    let start = inner.as_ptr() as usize - outer.as_ptr() as usize;
    start..start + inner.len()
}

/// `str::trim`, skipped when the ends are visible ASCII as they nearly always are.
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

fn name_in(name: &str, buf: &mut String) -> Result<Normal> {
    let trimmed = trim(name);
    if trimmed == "." {
        return Ok(Normal::Input(range_in(name, trimmed)));
    }
    let body = strip_trailing_dot(trimmed);
    if body.is_empty() {
        return Err(invalid(name, "empty name"));
    }
    match plain_name(body.as_bytes()) {
        Some(false) => return Ok(Normal::Input(range_in(name, body))),
        Some(true) => {
            buf.clear();
            buf.push_str(body);
            buf.make_ascii_lowercase();
            return Ok(Normal::Buf);
        }
        None => {}
    }
    if body.is_ascii() {
        buf.clear();
        buf.push_str(body);
        buf.make_ascii_lowercase();
    } else {
        *buf = idna::domain_to_ascii(body).map_err(|e| invalid(name, &format!("IDN: {e}")))?;
    }
    check_labels(name, buf)?;
    Ok(Normal::Buf)
}

/// The common case in one pass: a name of letters, digits, `-`, `_` and `*` between single
/// dots, with its lengths checked. `Some(true)` when it holds upper-case letters to lower,
/// `Some(false)` when it is normal as it is, `None` for anything else (escapes, non-ASCII,
/// empty labels, over-long names), which takes the general path and gets its precise error
/// there.
fn plain_name(bytes: &[u8]) -> Option<bool> {
    if bytes.len() > MAX_NAME_LEN {
        return None;
    }
    // One table lookup a byte and no branch: the classes OR-ed together say what the name
    // holds, and a dot after a dot (or first, or last) marks an empty label.
    let (mut seen, mut empty, mut prev) = (0u8, 0u8, DOT);
    for &b in bytes {
        let class = NAME_CLASS[usize::from(b)];
        seen |= class;
        let dot = class & DOT;
        empty |= prev & dot;
        prev = dot;
    }
    if seen & OTHER != 0 || empty != 0 || prev != 0 {
        return None;
    }
    // Only a name longer than a label can hold an over-long one.
    if bytes.len() > MAX_LABEL_LEN
        && bytes
            .split(|&b| b == b'.')
            .any(|label| label.len() > MAX_LABEL_LEN)
    {
        return None;
    }
    Some(seen & UPPER != 0)
}

/// Byte classes of [`plain_name`].
const PLAIN: u8 = 0;
const UPPER: u8 = 1;
const DOT: u8 = 2;
const OTHER: u8 = 4;

const NAME_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'*' => PLAIN,
            b'A'..=b'Z' => UPPER,
            b'.' => DOT,
            _ => OTHER,
        };
        b += 1;
    }
    t
};

/// True when `name` is already in the form [`normalize_name`] returns, so a hot path can
/// skip the allocation.
pub fn is_normalized(name: &str) -> bool {
    !name.is_empty()
        && !name.ends_with('.')
        && name
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*'))
        && check_labels(name, name).is_ok()
}

fn strip_trailing_dot(s: &str) -> &str {
    match s.strip_suffix('.') {
        // A dot preceded by an odd number of backslashes is an escaped dot inside a label.
        Some(rest) if rest.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 0 => rest,
        _ => s,
    }
}

/// Checks label and name lengths on the decoded form and refuses empty labels and control
/// characters, which no log writes into a real name.
fn check_labels(orig: &str, name: &str) -> Result<()> {
    let bytes = name.as_bytes();
    let mut wire_len = 1usize;
    let mut label_len = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'.' => {
                if label_len == 0 {
                    return Err(invalid(orig, "empty label"));
                }
                wire_len += label_len + 1;
                label_len = 0;
                i += 1;
                continue;
            }
            b'\\' => {
                // `\DDD` or `\X`
                let rest = &bytes[i + 1..];
                if rest.len() >= 3 && rest[..3].iter().all(u8::is_ascii_digit) {
                    i += 4;
                } else if !rest.is_empty() {
                    i += 2;
                } else {
                    return Err(invalid(orig, "dangling escape"));
                }
            }
            0..=0x20 | 0x7f => return Err(invalid(orig, "control or space character")),
            _ => i += 1,
        }
        label_len += 1;
        if label_len > MAX_LABEL_LEN {
            return Err(invalid(orig, "label longer than 63 octets"));
        }
    }
    if label_len == 0 {
        return Err(invalid(orig, "empty label"));
    }
    wire_len += label_len + 1;
    if wire_len > MAX_NAME_LEN + 2 {
        return Err(invalid(orig, "name longer than 255 octets"));
    }
    Ok(())
}

fn invalid(name: &str, reason: &str) -> Error {
    Error::InvalidName {
        name: name.to_string(),
        reason: reason.to_string(),
    }
}

fn invalid_rdata(rrtype: RrType, rdata: &str, reason: &str) -> Error {
    Error::InvalidRdata {
        rrtype: rrtype.to_string(),
        rdata: rdata.to_string(),
        reason: reason.to_string(),
    }
}

/// Normalises record data for its type: canonical IPv4 and IPv6 text (RFC 5952), normalised
/// names inside CNAME, NS, PTR, DNAME, MX, KX, SRV and SOA data, single spaces between fields
/// of those types. MX data written without its preference (as sandbox reports do), and SRV or
/// SOA data reduced to its one name (as passivedns logs them), is kept as that bare name. Other types keep their text as the source wrote it, trimmed, because their
/// presentation (TXT quoting, base64 keys) carries meaning.
///
/// ```
/// use yapdns_core::{normalize_rdata, RrType};
/// assert_eq!(normalize_rdata(RrType::Aaaa, "2001:0DB8:0:0::1").unwrap(), "2001:db8::1");
/// assert_eq!(normalize_rdata(RrType::MX, "10  Mail.Example.com.").unwrap(), "10 mail.example.com");
/// assert!(normalize_rdata(RrType::A, "example.com").is_err());
/// ```
pub fn normalize_rdata(rrtype: RrType, rdata: &str) -> Result<String> {
    let mut buf = String::new();
    Ok(match rdata_in(rrtype, rdata, &mut buf)? {
        Normal::Input(r) => rdata[r].to_string(),
        Normal::Buf => buf,
    })
}

/// [`normalize_rdata`] without allocating when it can, as [`normalize_name_in`] does for names.
///
/// ```
/// use yapdns_core::{normalize_rdata_in, RrType};
/// let mut buf = String::new();
/// assert_eq!(normalize_rdata_in(RrType::A, "192.0.2.1", &mut buf).unwrap(), "192.0.2.1");
/// assert_eq!(normalize_rdata_in(RrType::CNAME, "Edge.Example.net.", &mut buf).unwrap(), "edge.example.net");
/// ```
pub fn normalize_rdata_in<'a>(
    rrtype: RrType,
    rdata: &'a str,
    buf: &'a mut String,
) -> Result<&'a str> {
    Ok(match rdata_in(rrtype, rdata, buf)? {
        Normal::Input(r) => &rdata[r],
        Normal::Buf => buf.as_str(),
    })
}

fn rdata_in(rrtype: RrType, rdata: &str, buf: &mut String) -> Result<Normal> {
    let r = trim(rdata);
    let at = range_in(rdata, r);
    match rrtype {
        // Only the canonical dotted quad is accepted (no leading zeros, no short forms), so
        // text that passes needs no re-formatting.
        RrType::A => {
            if is_canonical_ipv4(r.as_bytes()) {
                Ok(Normal::Input(at))
            } else {
                Err(invalid_rdata(rrtype, rdata, "not an IPv4 address"))
            }
        }
        RrType::Aaaa => {
            let ip =
                parse_ipv6(r).ok_or_else(|| invalid_rdata(rrtype, rdata, "not an IPv6 address"))?;
            buf.clear();
            ipv6_text(ip, buf);
            Ok(Normal::Buf)
        }
        RrType::CNAME | RrType::NS | RrType::PTR | RrType::DNAME => {
            Ok(name_in(r, buf)?.shifted(at.start))
        }
        // Some sources (sandbox reports) log the exchange without its preference; keep what is
        // there rather than invent a number.
        // Likewise, passive DNS sensors (gamelinux passivedns) log only the SRV target and the
        // SOA primary server: a lone name is kept as that name.
        RrType::MX | RrType::KX | RrType::AFSDB | RrType::SRV | RrType::SOA
            if !has_whitespace(r) =>
        {
            Ok(name_in(r, buf)?.shifted(at.start))
        }
        RrType::MX | RrType::KX | RrType::AFSDB => {
            fields_with_names(rrtype, rdata, &[false, true], buf)?;
            Ok(Normal::Buf)
        }
        RrType::SRV => {
            fields_with_names(rrtype, rdata, &[false, false, false, true], buf)?;
            Ok(Normal::Buf)
        }
        RrType::SOA => {
            fields_with_names(
                rrtype,
                rdata,
                &[true, true, false, false, false, false, false],
                buf,
            )?;
            Ok(Normal::Buf)
        }
        _ => {
            if r.is_empty() {
                Err(invalid_rdata(rrtype, rdata, "empty"))
            } else {
                Ok(Normal::Input(at))
            }
        }
    }
}

/// `Ipv6Addr`'s parser, with the common forms (hex groups and one `::`) read in one pass
/// without its generic machinery; text with an embedded IPv4 part goes to the standard parser.
/// Accepts exactly what the standard parser accepts.
fn parse_ipv6(s: &str) -> Option<Ipv6Addr> {
    let b = s.as_bytes();
    if b.contains(&b'.') {
        return s.parse().ok();
    }
    let (mut head, mut tail) = ([0u16; 8], [0u16; 8]);
    let (mut nh, mut nt, mut gap) = (0usize, 0usize, false);
    let mut i = 0;
    if b.starts_with(b"::") {
        gap = true;
        i = 2;
        if b.len() == 2 {
            return Some(Ipv6Addr::UNSPECIFIED);
        }
    }
    loop {
        let start = i;
        let mut v = 0u16;
        while let Some(&d) = b.get(i).map(|&c| &HEX[usize::from(c)]) {
            if d > 15 {
                break;
            }
            if i - start == 4 {
                return None;
            }
            v = (v << 4) | u16::from(d);
            i += 1;
        }
        if i == start {
            return None;
        }
        if gap {
            if nh + nt == 7 {
                return None;
            }
            tail[nt] = v;
            nt += 1;
        } else {
            if nh == 8 {
                return None;
            }
            head[nh] = v;
            nh += 1;
        }
        match b.get(i) {
            None => break,
            Some(b':') => i += 1,
            Some(_) => return None,
        }
        if b.get(i) == Some(&b':') {
            if gap || nh == 8 {
                return None;
            }
            gap = true;
            i += 1;
            if i == b.len() {
                break;
            }
        }
    }
    if gap {
        if nh + nt > 7 {
            return None;
        }
    } else if nh != 8 {
        return None;
    }
    let mut seg = [0u16; 8];
    seg[..nh].copy_from_slice(&head[..nh]);
    seg[8 - nt..].copy_from_slice(&tail[..nt]);
    Some(Ipv6Addr::from(seg))
}

/// The value of each hexadecimal digit; 0xff for any other byte.
const HEX: [u8; 256] = {
    let mut t = [0xff; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = match c as u8 {
            d @ b'0'..=b'9' => d - b'0',
            d @ b'a'..=b'f' => d - b'a' + 10,
            d @ b'A'..=b'F' => d - b'A' + 10,
            _ => 0xff,
        };
        c += 1;
    }
    t
};

/// `s.contains(char::is_whitespace)`, by bytes when `s` is ASCII (nearly always).
fn has_whitespace(s: &str) -> bool {
    if s.is_ascii() {
        s.bytes().any(|b| b.is_ascii_whitespace() || b == 0x0b)
    } else {
        s.contains(char::is_whitespace)
    }
}

/// True for exactly the text `Ipv4Addr`'s parser accepts (four decimal octets of at most
/// 255, no leading zeros), read in one pass without building the address.
fn is_canonical_ipv4(b: &[u8]) -> bool {
    let mut octets = 0;
    let mut i = 0;
    while octets < 4 {
        if octets > 0 {
            if b.get(i) != Some(&b'.') {
                return false;
            }
            i += 1;
        }
        let start = i;
        let mut v = 0u32;
        while let Some(&c) = b.get(i) {
            if !c.is_ascii_digit() || i - start == 3 {
                break;
            }
            v = v * 10 + u32::from(c - b'0');
            i += 1;
        }
        let len = i - start;
        if len == 0 || v > 255 || (len > 1 && b[start] == b'0') {
            return false;
        }
        octets += 1;
    }
    i == b.len()
}

/// The RFC 5952 text of an address, exactly as `Ipv6Addr`'s `Display` writes it, without the
/// formatting machinery: AAAA rdata is a large share of some imports, and `Display` was a
/// fifth of their time.
fn ipv6_text(ip: Ipv6Addr, out: &mut String) {
    let seg = ip.segments();
    if ip.to_ipv4_mapped().is_some() {
        use std::fmt::Write;
        let _ = write!(out, "{ip}");
        return;
    }
    // The longest run of two or more zero groups (the first of equal runs) becomes `::`.
    let (mut best, mut best_len, mut run, mut run_len) = (0usize, 0usize, 0usize, 0usize);
    for (i, &g) in seg.iter().enumerate() {
        if g == 0 {
            if run_len == 0 {
                run = i;
            }
            run_len += 1;
            if run_len > best_len {
                best = run;
                best_len = run_len;
            }
        } else {
            run_len = 0;
        }
    }
    let hex = |out: &mut String, g: u16| {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut started = false;
        for shift in [12u16, 8, 4, 0] {
            let d = usize::from((g >> shift) & 0xf);
            if d != 0 || started || shift == 0 {
                started = true;
                out.push(char::from(DIGITS[d]));
            }
        }
    };
    if best_len < 2 {
        for (i, &g) in seg.iter().enumerate() {
            if i > 0 {
                out.push(':');
            }
            hex(out, g);
        }
        return;
    }
    for (i, &g) in seg[..best].iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        hex(out, g);
    }
    out.push_str("::");
    for (i, &g) in seg[best + best_len..].iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        hex(out, g);
    }
}

/// Appends the normal form of `name` to `out`, copying it once in the common case.
fn push_name(name: &str, out: &mut String) -> Result<()> {
    let body = strip_trailing_dot(name);
    match plain_name(body.as_bytes()) {
        Some(false) => out.push_str(body),
        Some(true) => out.extend(body.chars().map(|c| c.to_ascii_lowercase())),
        None => out.push_str(&normalize_name(name)?),
    }
    Ok(())
}

/// Rebuilds whitespace-separated rdata with single spaces, normalising the fields marked as
/// names and checking the others are numbers.
fn fields_with_names(
    rrtype: RrType,
    rdata: &str,
    is_name: &[bool],
    out: &mut String,
) -> Result<()> {
    // One pass: fields are written while counted; a wrong count is the error to report
    // before any bad field, as it says more.
    out.clear();
    let mut found = 0;
    let mut bad = None;
    for field in rdata.split_ascii_whitespace() {
        let Some(&name) = is_name.get(found) else {
            found += 1;
            continue;
        };
        found += 1;
        if bad.is_some() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if name {
            if let Err(e) = push_name(field, out) {
                bad = Some(e);
            }
        } else if field.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(field);
        } else {
            bad = Some(invalid_rdata(
                rrtype,
                rdata,
                &format!("{field:?} is not a number"),
            ));
        }
    }
    if found != is_name.len() {
        return Err(invalid_rdata(
            rrtype,
            rdata,
            &format!("expected {} fields, found {found}", is_name.len()),
        ));
    }
    bad.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn escaped_trailing_dot_is_part_of_the_label() {
        assert_eq!(normalize_name("a\\.").unwrap(), "a\\.");
        assert_eq!(normalize_name("a\\\\.").unwrap(), "a\\\\");
    }

    #[test]
    fn escapes_are_kept_and_counted_as_one_octet() {
        let label = "\\065".repeat(63);
        assert_eq!(normalize_name(&label).unwrap(), label);
        assert!(normalize_name(&"\\065".repeat(64)).is_err());
    }

    #[test]
    fn name_length_limits() {
        let l = "a".repeat(63);
        let ok = format!("{l}.{l}.{l}.{}", "a".repeat(61));
        assert_eq!(ok.len(), 253);
        assert!(normalize_name(&ok).is_ok());
        assert!(normalize_name(&format!("{ok}a")).is_err());
        assert!(normalize_name(&"a".repeat(64)).is_err());
    }

    #[test]
    fn a_labels_and_wildcards_and_underscores_pass() {
        assert_eq!(
            normalize_name("XN--BCHER-KVA.test").unwrap(),
            "xn--bcher-kva.test"
        );
        assert_eq!(normalize_name("*.Example.com").unwrap(), "*.example.com");
        assert_eq!(
            normalize_name("_sip._tcp.example.com").unwrap(),
            "_sip._tcp.example.com"
        );
        assert!(normalize_name("a b").is_err());
        assert!(normalize_name("").is_err());
    }

    #[test]
    fn ipv4_text_accepted_is_canonical() {
        for t in ["0.0.0.0", "192.0.2.1", "255.255.255.255"] {
            assert_eq!(
                normalize_rdata(RrType::A, t).unwrap(),
                t.parse::<Ipv4Addr>().unwrap().to_string()
            );
        }
        for bad in ["010.0.0.1", "1.2.3", "1.2.3.4.5", "0x7f.0.0.1", " 1.2.3.4x"] {
            assert!(normalize_rdata(RrType::A, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ipv6_is_canonical() {
        let n = |s| normalize_rdata(RrType::Aaaa, s).unwrap();
        assert_eq!(n("2001:DB8:0000:0000:0000:0000:0000:0001"), "2001:db8::1");
        assert_eq!(n("::FFFF:192.0.2.1"), "::ffff:192.0.2.1");
        assert_eq!(n("2001:db8:0:1:0:0:0:1"), "2001:db8:0:1::1");
    }

    #[test]
    fn srv_and_soa() {
        assert_eq!(
            normalize_rdata(RrType::SRV, "0 5 5060 SIP.Example.com.").unwrap(),
            "0 5 5060 sip.example.com"
        );
        assert_eq!(
            normalize_rdata(RrType::SOA, "NS1.x. hostmaster.x. 1 2 3 4 5").unwrap(),
            "ns1.x hostmaster.x 1 2 3 4 5"
        );
        assert!(normalize_rdata(RrType::SRV, "0 5 sip.example.com").is_err());
        assert_eq!(
            normalize_rdata(RrType::SRV, "Sip.Example.com.").unwrap(),
            "sip.example.com"
        );
        assert_eq!(normalize_rdata(RrType::SOA, "NS1.x.").unwrap(), "ns1.x");
    }

    #[test]
    fn txt_is_kept_verbatim() {
        let t = "\"v=spf1  include:x\" \"two\"";
        assert_eq!(normalize_rdata(RrType::TXT, t).unwrap(), t);
    }

    #[test]
    fn is_normalized_agrees_with_normalize() {
        for n in [
            "www.example.com",
            "WWW.example.com",
            "a.",
            "a..b",
            "xn--bcher-kva.test",
        ] {
            if is_normalized(n) {
                assert_eq!(normalize_name(n).unwrap(), n);
            }
        }
        assert!(is_normalized("www.example.com"));
        assert!(!is_normalized("WWW.example.com"));
    }

    #[test]
    fn ipv6_text_matches_display() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            let r = next();
            // Mostly zero groups, so runs of every length and position come up.
            let seg: [u16; 8] = std::array::from_fn(|i| {
                if (r >> (i * 2)) & 3 == 0 {
                    (next() & 0xffff) as u16
                } else if (r >> (16 + i)) & 1 == 1 {
                    (next() & 0xf) as u16
                } else {
                    0
                }
            });
            let ip = Ipv6Addr::from(seg);
            assert_eq!(
                normalize_rdata(RrType::Aaaa, &ip.to_string()).unwrap(),
                ip.to_string(),
                "{seg:?}"
            );
            let mut t = String::new();
            ipv6_text(ip, &mut t);
            assert_eq!(t, ip.to_string(), "{seg:?}");
        }
        for t in [
            "::",
            "::1",
            "1::",
            "::ffff:192.0.2.1",
            "::192.0.2.1",
            "2001:db8::1:0:0:1",
        ] {
            let ip: Ipv6Addr = t.parse().unwrap();
            let mut out = String::new();
            ipv6_text(ip, &mut out);
            assert_eq!(out, ip.to_string());
        }
    }

    #[test]
    fn canonical_ipv4_check_agrees_with_std() {
        let mut cases: Vec<String> = [
            "",
            ".",
            "1.2.3.4",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "01.1.1.1",
            "1.2.3.04",
            "1.2.3",
            "1.2.3.4.",
            ".1.2.3.4",
            "1..2.3",
            "1.2.3.4 ",
            "1234.1.1.1",
            "1.2.3.-4",
            "+1.2.3.4",
            "1.2.3.4a",
            "00.0.0.0",
            "0.0.0.00",
            "199.99.9.0",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let parts = [
            "0", "00", "1", "9", "10", "99", "100", "255", "256", "999", "0255", "", "x",
        ];
        for a in parts {
            for b in parts {
                cases.push(format!("{a}.{b}.1.{a}"));
                cases.push(format!("{b}.2.{a}.3"));
            }
        }
        for c in cases {
            assert_eq!(
                is_canonical_ipv4(c.as_bytes()),
                c.parse::<Ipv4Addr>().is_ok(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn ipv6_parser_agrees_with_std() {
        let mut cases: Vec<String> = [
            "",
            ":",
            "::",
            ":::",
            "::1",
            "1::",
            "1::2",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1::3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8::",
            "::1:2:3:4:5:6:7:8",
            "1::2::3",
            "12345::",
            "0000:0:00:000::",
            "ABCD:ef01::",
            "1:2:3:4:5:6:7:",
            ":1:2:3:4:5:6:7",
            "1:2:3:4::5:6:7:8",
            "g::",
            "::ffff:192.0.2.1",
            "1:2:3:4:5:6:1.2.3.4",
            "::1.2.3",
            "1:",
            " ::1",
            "::1 ",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let alphabet = b"0aF9:::::.";
        for _ in 0..50_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 24) as usize;
            let s: String = (0..len)
                .map(|k| {
                    char::from(alphabet[((x >> (k * 2 % 60)) % alphabet.len() as u64) as usize])
                })
                .collect();
            cases.push(s);
        }
        let mut valid = 0;
        for c in cases {
            let std = c.parse::<Ipv6Addr>().ok();
            valid += usize::from(std.is_some());
            assert_eq!(parse_ipv6(&c), std, "{c:?}");
        }
        // The generated strings must hit the accepting paths too, not only refusals.
        assert!(valid > 200, "only {valid} valid cases");
    }

    #[test]
    fn in_place_forms_agree_with_owned_ones() {
        let mut buf = String::new();
        for n in [
            "www.example.com",
            "WWW.Example.COM.",
            " a.b ",
            ".",
            "a..b",
            "",
            "bücher.test",
            "a\\.",
            "_sip._tcp.X",
            "*.EXAMPLE.com",
        ] {
            assert_eq!(
                normalize_name_in(n, &mut buf).map(str::to_string).ok(),
                normalize_name(n).ok(),
                "{n:?}"
            );
        }
        for (t, d) in [
            (RrType::A, " 192.0.2.1 "),
            (RrType::A, "192.0.2.01"),
            (RrType::Aaaa, "2001:DB8::1"),
            (RrType::CNAME, " Edge.Example.NET. "),
            (RrType::MX, "10 MX.example.com."),
            (RrType::MX, "MX.example.com."),
            (RrType::SOA, "a. b. 1 2 3 4 5"),
            (RrType::TXT, " \"x\" "),
            (RrType::TXT, "  "),
            (RrType::SOA, "a. b. 1 2 x 4 5 6"),
            (RrType::SOA, "a. b. 1 2 x 4 5"),
            (RrType::SOA, "a..b b. 1 2 3 4 5"),
            (RrType::MX, "10\u{a0}mx.example.com"),
            (RrType::MX, "10\x0bmx.example.com"),
        ] {
            assert_eq!(
                normalize_rdata_in(t, d, &mut buf).map(str::to_string).ok(),
                normalize_rdata(t, d).ok(),
                "{t} {d:?}"
            );
        }
    }
}

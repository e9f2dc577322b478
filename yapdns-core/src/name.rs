//! Normalisation of owner names and record data, done once when a record is built so that
//! the same association always has the same key, whichever log it came from.

use std::net::{Ipv4Addr, Ipv6Addr};

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
    let trimmed = name.trim();
    if trimmed == "." {
        return Ok(".".to_string());
    }
    let body = strip_trailing_dot(trimmed);
    if body.is_empty() {
        return Err(invalid(name, "empty name"));
    }
    if let Some(out) = plain_name(body) {
        return Ok(out);
    }
    let out = if body.is_ascii() {
        let mut s = body.to_string();
        s.make_ascii_lowercase();
        s
    } else {
        idna::domain_to_ascii(body).map_err(|e| invalid(name, &format!("IDN: {e}")))?
    };
    check_labels(name, &out)?;
    Ok(out)
}

/// The common case in one pass: a name of letters, digits, `-`, `_` and `*` between single
/// dots is lower-cased and its lengths checked while it is copied. `None` for anything else
/// (escapes, non-ASCII, empty labels, over-long names), which takes the general path and gets
/// its precise error there.
fn plain_name(body: &str) -> Option<String> {
    let bytes = body.as_bytes();
    if bytes.len() > MAX_NAME_LEN {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut label = 0usize;
    for &b in bytes {
        match b {
            b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'*' => label += 1,
            b'A'..=b'Z' => {
                out.push(b | 0x20);
                label += 1;
                if label > MAX_LABEL_LEN {
                    return None;
                }
                continue;
            }
            b'.' if label > 0 => {
                label = 0;
                out.push(b);
                continue;
            }
            _ => return None,
        }
        if label > MAX_LABEL_LEN {
            return None;
        }
        out.push(b);
    }
    if label == 0 {
        return None;
    }
    // Every byte pushed is ASCII.
    String::from_utf8(out).ok()
}

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
    let r = rdata.trim();
    match rrtype {
        // Rust's IPv4 parser accepts only the canonical dotted quad (no leading zeros, no
        // short forms), so text it accepts needs no re-formatting.
        RrType::A => match r.parse::<Ipv4Addr>() {
            Ok(_) => Ok(r.to_string()),
            Err(_) => Err(invalid_rdata(rrtype, rdata, "not an IPv4 address")),
        },
        RrType::Aaaa => r
            .parse::<Ipv6Addr>()
            .map(ipv6_text)
            .map_err(|_| invalid_rdata(rrtype, rdata, "not an IPv6 address")),
        RrType::CNAME | RrType::NS | RrType::PTR | RrType::DNAME => normalize_name(r),
        // Some sources (sandbox reports) log the exchange without its preference; keep what is
        // there rather than invent a number.
        // Likewise, passive DNS sensors (gamelinux passivedns) log only the SRV target and the
        // SOA primary server: a lone name is kept as that name.
        RrType::MX | RrType::KX | RrType::AFSDB | RrType::SRV | RrType::SOA
            if !r.contains(char::is_whitespace) =>
        {
            normalize_name(r)
        }
        RrType::MX | RrType::KX | RrType::AFSDB => fields_with_names(rrtype, rdata, &[false, true]),
        RrType::SRV => fields_with_names(rrtype, rdata, &[false, false, false, true]),
        RrType::SOA => fields_with_names(
            rrtype,
            rdata,
            &[true, true, false, false, false, false, false],
        ),
        _ => {
            if r.is_empty() {
                Err(invalid_rdata(rrtype, rdata, "empty"))
            } else {
                Ok(r.to_string())
            }
        }
    }
}

/// The RFC 5952 text of an address, exactly as `Ipv6Addr`'s `Display` writes it, without the
/// formatting machinery: AAAA rdata is a large share of some imports, and `Display` was a
/// fifth of their time.
fn ipv6_text(ip: Ipv6Addr) -> String {
    let seg = ip.segments();
    if ip.to_ipv4_mapped().is_some() {
        return ip.to_string();
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
    let mut out = String::with_capacity(39);
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
            hex(&mut out, g);
        }
        return out;
    }
    for (i, &g) in seg[..best].iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        hex(&mut out, g);
    }
    out.push_str("::");
    for (i, &g) in seg[best + best_len..].iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        hex(&mut out, g);
    }
    out
}

/// Rebuilds whitespace-separated rdata with single spaces, normalising the fields marked as
/// names and checking the others are numbers.
fn fields_with_names(rrtype: RrType, rdata: &str, is_name: &[bool]) -> Result<String> {
    let fields: Vec<&str> = rdata.split_ascii_whitespace().collect();
    if fields.len() != is_name.len() {
        return Err(invalid_rdata(
            rrtype,
            rdata,
            &format!("expected {} fields, found {}", is_name.len(), fields.len()),
        ));
    }
    let mut out = String::with_capacity(rdata.len());
    for (field, &name) in fields.iter().zip(is_name) {
        if !out.is_empty() {
            out.push(' ');
        }
        if name {
            out.push_str(&normalize_name(field)?);
        } else if field.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(field);
        } else {
            return Err(invalid_rdata(
                rrtype,
                rdata,
                &format!("{field:?} is not a number"),
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(ipv6_text(ip), ip.to_string(), "{seg:?}");
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
            assert_eq!(ipv6_text(ip), ip.to_string());
        }
    }
}

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
/// escaped bytes (`\032`, `\.`) kept escaped, and the bytes master-file text escapes
/// (`"();@$`) escaped where a tool printed them raw. The root is `.`.
///
/// ```
/// use yapdns_core::normalize_name;
/// assert_eq!(normalize_name("WWW.Example.COM.").unwrap(), "www.example.com");
/// assert_eq!(normalize_name("@at.Example.").unwrap(), "\\@at.example");
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
#[inline(always)]
pub fn normalize_name_in<'a>(name: &'a str, buf: &'a mut String) -> Result<&'a str> {
    // The common case answered here (inlined into the parsers' loops), without the range the
    // general path returns.
    match plain(name.as_bytes()) {
        Plain::Normal(end) => {
            if let Some(normal) = name.get(..end) {
                return Ok(normal);
            }
        }
        Plain::Upper(end) => {
            if let Some(upper) = name.get(..end) {
                buf.clear();
                buf.push_str(upper);
                buf.make_ascii_lowercase();
                return Ok(buf.as_str());
            }
        }
        Plain::Other => {}
    }
    name_in_general_str(name, buf)
}

/// [`normalize_name_in`] for every name [`plain`] leaves.
#[inline(never)]
fn name_in_general_str<'a>(name: &'a str, buf: &'a mut String) -> Result<&'a str> {
    Ok(match name_in_general(name, buf)? {
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

#[inline]
fn name_in(name: &str, buf: &mut String) -> Result<Normal> {
    match plain(name.as_bytes()) {
        Plain::Normal(end) => Ok(Normal::Input(0..end)),
        Plain::Upper(end) => {
            buf.clear();
            buf.push_str(name.get(..end).unwrap_or(name));
            buf.make_ascii_lowercase();
            Ok(Normal::Buf)
        }
        Plain::Other => name_in_general(name, buf),
    }
}

/// What [`plain`] found.
enum Plain {
    /// `name[..end]` is the normal form (`end` leaves out a trailing dot).
    Normal(usize),
    /// `name[..end]` lowered is the normal form.
    Upper(usize),
    /// Anything else: the general path decides.
    Other,
}

/// The common case of a whole name as written, trailing dot and all, in one pass and before
/// any trimming: a name of letters, digits, `-`, `_` and `*` between single dots, with its
/// lengths checked, needs no other step (no white space to trim, no escape to weigh before a
/// trailing dot). Its answer is the general path's for every such name.
#[inline(always)]
fn plain(b: &[u8]) -> Plain {
    decide(b, classes(b))
}

/// The byte classes of `b` OR-ed together (of them, [`decide`] reads only [`OTHER`],
/// [`SPACE`] and [`UPPER`]), whether a label is empty (a leading dot, or two dots in a row),
/// and whether the last byte is a dot. On x86-64, sixteen bytes at a time (SSE2).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn classes(b: &[u8]) -> (u8, u8, u8) {
    let n = b.len();
    if n < 4 {
        return byte_classes(b);
    }
    let (mut allowed, mut upper, mut empty) = (true, false, false);
    let mut add = |w: [u8; 16], carry: u16| {
        let (ok, up, dots) = window_classes(w);
        allowed &= ok == u16::MAX;
        upper |= up != 0;
        // A dot after a dot, or after the start (`carry`, the bit of the byte before).
        empty |= dots & ((dots << 1) | carry) != 0;
        dots
    };
    let last_dot = if n <= 16 {
        let dots = add(padded16(b), 1);
        dots >> (n - 1) & 1
    } else {
        // Whole windows, then the last sixteen bytes, which may overlap the window before:
        // pairs of bytes across its start then lie in that window.
        let (mut at, mut carry) = (0, 1);
        while n - at > 16 {
            let Some(w) = b
                .get(at..at + 16)
                .and_then(|w| <[u8; 16]>::try_from(w).ok())
            else {
                return byte_classes(b);
            };
            carry = add(w, carry) >> 15;
            at += 16;
        }
        let Some(w) = b.get(n - 16..).and_then(|w| <[u8; 16]>::try_from(w).ok()) else {
            return byte_classes(b);
        };
        add(w, if at == n - 16 { carry } else { 0 }) >> 15
    };
    let seen = if allowed { 0 } else { OTHER } | if upper { UPPER } else { 0 };
    (
        seen,
        if empty { DOT } else { 0 },
        if last_dot != 0 { DOT } else { 0 },
    )
}

/// `b`, of 4 to 16 bytes, as sixteen, `a` after it: overlapping loads, no copy.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn padded16(b: &[u8]) -> [u8; 16] {
    let n = b.len();
    let word = |at: usize, len: usize| -> u128 {
        match len {
            8 => b
                .get(at..at + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok())
                .map_or(0, |w| u128::from(u64::from_le_bytes(w))),
            _ => b
                .get(at..at + 4)
                .and_then(|w| <[u8; 4]>::try_from(w).ok())
                .map_or(0, |w| u128::from(u32::from_le_bytes(w))),
        }
    };
    let half = if n >= 8 { 8 } else { 4 };
    // The two loads overlap where `n` is under twice `half`: the same bytes, OR-ed.
    let text = word(0, half) | word(n - half, half) << (8 * (n - half));
    let pad = u128::from_le_bytes([b'a'; 16])
        .checked_shl(8 * n as u32)
        .unwrap_or(0);
    (text | pad).to_le_bytes()
}

/// Of sixteen bytes: those a plain name may hold (letters, digits, `-`, `_`, `*`, `.`), the
/// capitals, and the dots, one bit a byte.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn window_classes(w: [u8; 16]) -> (u16, u16, u16) {
    use safe_arch::{
        bitand_m128i, bitor_m128i, cmp_eq_mask_i8_m128i, cmp_gt_mask_i8_m128i,
        cmp_lt_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i,
    };
    let v = load_unaligned_m128i(&w);
    let splat = |c: u8| set_splat_i8_m128i(c as i8);
    // Signed compares: bytes from 0x80 are negative, in no range.
    let range = |a: u8, z: u8| {
        bitand_m128i(
            cmp_gt_mask_i8_m128i(v, splat(a - 1)),
            cmp_lt_mask_i8_m128i(v, splat(z + 1)),
        )
    };
    let eq = |c: u8| cmp_eq_mask_i8_m128i(v, splat(c));
    let upper = range(b'A', b'Z');
    let allowed = bitor_m128i(
        bitor_m128i(range(b'a', b'z'), range(b'0', b'9')),
        bitor_m128i(
            bitor_m128i(upper, range(b'-', b'.')),
            bitor_m128i(eq(b'_'), eq(b'*')),
        ),
    );
    (
        move_mask_i8_m128i(allowed) as u16,
        move_mask_i8_m128i(upper) as u16,
        move_mask_i8_m128i(eq(b'.')) as u16,
    )
}

/// [`classes`] without SSE2.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn classes(b: &[u8]) -> (u8, u8, u8) {
    byte_classes(b)
}

/// [`classes`] a byte at a time: one table lookup a byte and no branch.
#[inline(always)]
fn byte_classes(b: &[u8]) -> (u8, u8, u8) {
    let (mut seen, mut pairs, mut prev) = (0u8, 0u8, DOT);
    for &c in b {
        let class = NAME_CLASS[usize::from(c)];
        seen |= class;
        // Classes two bytes in a row share; only the dot's bit is read from it.
        pairs |= prev & class;
        prev = class;
    }
    (seen, pairs & DOT, prev & DOT)
}

/// [`plain`] from the [`classes`] of `b`.
#[inline(always)]
fn decide(b: &[u8], (seen, empty, last_dot): (u8, u8, u8)) -> Plain {
    if b == b"." {
        return Plain::Normal(1);
    }
    if b.is_empty() || seen & (OTHER | SPACE) != 0 || empty != 0 {
        return Plain::Other;
    }
    let end = b.len() - usize::from(last_dot != 0);
    if end > MAX_NAME_LEN {
        return Plain::Other;
    }
    if end > MAX_LABEL_LEN
        && b.get(..end)
            .unwrap_or(b)
            .split(|&c| c == b'.')
            .any(|label| label.len() > MAX_LABEL_LEN)
    {
        return Plain::Other;
    }
    if seen & UPPER != 0 {
        Plain::Upper(end)
    } else {
        Plain::Normal(end)
    }
}

/// Every name [`plain`] leaves: white space, escapes, IDNs, bad names and their errors.
#[inline(never)]
fn name_in_general(name: &str, buf: &mut String) -> Result<Normal> {
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
        if buf.bytes().any(|b| SPECIAL.contains(&b)) {
            escape_specials(buf);
        }
    } else {
        *buf = idna::domain_to_ascii(body).map_err(|e| invalid(name, &format!("IDN: {e}")))?;
    }
    check_labels(name, buf)?;
    Ok(Normal::Buf)
}

/// Label bytes that master-file text escapes (BIND's `"().;\@$`, without the dot and the
/// backslash, which structure the name): tools that print labels raw (ldns, Zeek, dnsmasq,
/// PowerDNS) then give the name dig, named and dnstap give (`@at` is `\@at`).
const SPECIAL: &[u8] = b"\"();@$";

/// Escapes the [`SPECIAL`] bytes of `name` that are not escaped yet.
#[cold]
fn escape_specials(name: &mut String) {
    let mut out = String::with_capacity(name.len() + 4);
    let mut bytes = name.chars();
    while let Some(c) = bytes.next() {
        match c {
            '\\' => {
                // An escape stays as written: `\X`, or `\DDD` (its digits are plain bytes).
                out.push(c);
                if let Some(next) = bytes.next() {
                    out.push(next);
                }
            }
            c if c.is_ascii() && SPECIAL.contains(&(c as u8)) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    *name = out;
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
    // The classes OR-ed together say what the name holds, and a dot after a dot (or first,
    // or last) marks an empty label.
    let (seen, empty, prev) = classes(bytes);
    if seen & (OTHER | SPACE) != 0 || empty != 0 || prev != 0 {
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

/// Byte classes of [`classes`]: digits have none.
const DIGIT: u8 = 0;
const UPPER: u8 = 1;
const DOT: u8 = 2;
const OTHER: u8 = 4;
/// A space: no name holds one, but the fields of MX, SRV and SOA data are split by them.
const SPACE: u8 = 8;
/// Lower-case letters and the other name bytes that are no digit, so that a run of bytes of
/// no class at all is a number.
const LETTER: u8 = 16;

const NAME_CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b'0'..=b'9' => DIGIT,
            b'a'..=b'z' | b'-' | b'_' | b'*' => LETTER,
            b'A'..=b'Z' => UPPER,
            b'.' => DOT,
            b' ' => SPACE,
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
/// names inside CNAME, NS, PTR, DNAME, MX, KX, AFSDB, SRV and SOA data, single spaces between
/// fields of those types and their numbers as their value (`010` is `10`, as on the wire). MX
/// data written without its preference (as sandbox reports do), and SRV or SOA data reduced
/// to its one name (as passivedns logs them), is kept as that bare name. The hexadecimal
/// digests of DS, CDS, TA, DLV, SSHFP, TLSA, SMIMEA and ZONEMD, and the salt and next hash of
/// NSEC3 and NSEC3PARAM, are written as BIND prints them: in upper case, a digest split by
/// spaces joined, fields one space apart (data of another shape, such as RFC 3597 `\#` data,
/// is kept). Other types keep their text as the source wrote it, trimmed, because their
/// presentation (TXT quoting, base64 keys) carries meaning.
///
/// ```
/// use yapdns_core::{normalize_rdata, RrType};
/// assert_eq!(normalize_rdata(RrType::Aaaa, "2001:0DB8:0:0::1").unwrap(), "2001:db8::1");
/// assert_eq!(normalize_rdata(RrType::MX, "10  Mail.Example.com.").unwrap(), "10 mail.example.com");
/// assert_eq!(normalize_rdata(RrType::DS, "60485 5 1 2bb1 83af").unwrap(), "60485 5 1 2BB183AF");
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
#[inline]
pub fn normalize_rdata_in<'a>(
    rrtype: RrType,
    rdata: &'a str,
    buf: &'a mut String,
) -> Result<&'a str> {
    // The most common data of all answered here (inlined into the parsers' loops), without
    // the range `rdata_in` returns.
    if rrtype == RrType::A && is_canonical_ipv4(rdata.as_bytes()) {
        return Ok(rdata);
    }
    rdata_in_str(rrtype, rdata, buf)
}

/// [`normalize_rdata_in`] for all but canonical IPv4 text.
#[inline(never)]
fn rdata_in_str<'a>(rrtype: RrType, rdata: &'a str, buf: &'a mut String) -> Result<&'a str> {
    Ok(match rdata_in(rrtype, rdata, buf)? {
        Normal::Input(r) => &rdata[r],
        Normal::Buf => buf.as_str(),
    })
}

/// Field shapes of the types whose data holds names among numbers: `true` marks a name.
const MX_FIELDS: &[bool] = &[false, true];
const SRV_FIELDS: &[bool] = &[false, false, false, true];
const SOA_FIELDS: &[bool] = &[true, true, false, false, false, false, false];

#[inline]
fn rdata_in(rrtype: RrType, rdata: &str, buf: &mut String) -> Result<Normal> {
    // Data already in normal form (most of every log) is recognised in one pass over it,
    // before any trimming: what passes holds no white space, and is what the general path
    // would return.
    let b = rdata.as_bytes();
    let whole = 0..b.len();
    match rrtype {
        RrType::A => {
            if is_canonical_ipv4(b) {
                return Ok(Normal::Input(whole));
            }
        }
        RrType::Aaaa => {
            // Text in normal form (most of it) is recognised as such without being read into
            // groups and written back.
            if is_canonical_ipv6(b) {
                return Ok(Normal::Input(whole));
            }
            // Text with an embedded IPv4 part, or white space, takes the general path.
            if let Some(seg) = ipv6_groups(b) {
                return Ok(ipv6_normal(&seg, rdata, buf));
            }
        }
        RrType::CNAME
        | RrType::NS
        | RrType::PTR
        | RrType::DNAME
        | RrType::MX
        | RrType::KX
        | RrType::AFSDB
        | RrType::SRV
        | RrType::SOA => {
            let shape = match rrtype {
                RrType::MX | RrType::KX | RrType::AFSDB => MX_FIELDS,
                RrType::SRV => SRV_FIELDS,
                RrType::SOA => SOA_FIELDS,
                _ => &[],
            };
            // A space means several fields (a name never holds one); one field is a name.
            let name = if !shape.is_empty() && find_space(b).is_some() {
                if fields_normal(b, shape) {
                    return Ok(Normal::Input(whole));
                }
                None
            } else {
                Some(classes(b))
            };
            match name.map(|classes| decide(b, classes)) {
                Some(Plain::Normal(end)) => return Ok(Normal::Input(0..end)),
                Some(Plain::Upper(end)) => {
                    buf.clear();
                    buf.push_str(rdata.get(..end).unwrap_or(rdata));
                    buf.make_ascii_lowercase();
                    return Ok(Normal::Buf);
                }
                Some(Plain::Other) | None => {}
            }
        }
        _ => {
            if let (Some(f), Some(l)) = (b.first(), b.last()) {
                // Types with a digest are read in full by the general path, which keeps data
                // already in BIND's form; they are rare, and asked about only here.
                if f.is_ascii_graphic() && l.is_ascii_graphic() && digest_of(rrtype).is_none() {
                    return Ok(Normal::Input(whole));
                }
            }
        }
    }
    rdata_in_general(rrtype, rdata, buf)
}

/// True when MX, SRV or SOA data with spaces is already what [`fields_with_names`] writes:
/// split by single spaces, as many fields as `is_name` says, each name in normal form
/// without a trailing dot and each number digits.
fn fields_normal(b: &[u8], is_name: &[bool]) -> bool {
    let mut rest = b;
    for (k, &name) in is_name.iter().enumerate() {
        // The last field is the rest: a space in it fails the checks below.
        let field = if k + 1 < is_name.len() {
            let Some(sp) = find_space(rest) else {
                return false;
            };
            let field = rest.get(..sp).unwrap_or_default();
            rest = rest.get(sp + 1..).unwrap_or_default();
            field
        } else {
            rest
        };
        let ok = if name {
            matches!(plain(field), Plain::Normal(end) if end == field.len())
        } else {
            // Without an early exit, so that the compiler checks many digits at a time; a
            // leading zero is written away by the general path.
            !field.is_empty()
                && field.iter().fold(true, |ok, c| ok & c.is_ascii_digit())
                && (field.len() == 1 || field.first() != Some(&b'0'))
        };
        if !ok {
            return false;
        }
    }
    true
}

/// The first space in `b`, eight bytes at a time; the last bytes are read in the word that
/// ends with them (its bytes already read hold no space).
fn find_space(b: &[u8]) -> Option<usize> {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const SPACES: u64 = 0x2020_2020_2020_2020;
    // 0x80 in each byte of the word that is a space, exactly (no carry crosses a byte).
    let spaces = |at: usize| -> Option<u64> {
        let word = b.get(at..at + 8)?;
        let x = u64::from_le_bytes(word.try_into().ok()?) ^ SPACES;
        Some(!(((x & LOW7) + LOW7) | x | LOW7))
    };
    let first = |at: usize, mask: u64| at + (mask.trailing_zeros() / 8) as usize;
    if b.len() < 8 {
        return b.iter().position(|&c| c == b' ');
    }
    let mut at = 0;
    while at + 8 <= b.len() {
        let mask = spaces(at)?;
        if mask != 0 {
            return Some(first(at, mask));
        }
        at += 8;
    }
    if at == b.len() {
        return None;
    }
    let last = b.len() - 8;
    let mask = spaces(last)?;
    (mask != 0).then(|| first(last, mask))
}

/// The normal form of the address whose groups [`ipv6_groups`] read from `text`: `text`
/// itself when it is that form already, else written into `buf`.
fn ipv6_normal(seg: &[u16; 8], text: &str, buf: &mut String) -> Normal {
    buf.clear();
    if seg[..6] == [0, 0, 0, 0, 0, 0xffff] {
        // IPv4-mapped, written with its dotted quad.
        ipv6_text(Ipv6Addr::from(*seg), buf);
        return Normal::Buf;
    }
    let mut chars = [0u8; 64];
    let len = ipv6_chars(seg, &mut chars);
    let chars = chars.get(..len).unwrap_or_default();
    if chars == text.as_bytes() {
        return Normal::Input(0..len);
    }
    buf.extend(chars.iter().map(|&c| char::from(c)));
    Normal::Buf
}

/// Every record data [`rdata_in`] leaves: white space to trim or collapse, names to lower or
/// encode, addresses to rewrite, and every error.
#[inline(never)]
fn rdata_in_general(rrtype: RrType, rdata: &str, buf: &mut String) -> Result<Normal> {
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
            fields_with_names(rrtype, rdata, MX_FIELDS, buf)?;
            Ok(Normal::Buf)
        }
        RrType::SRV => {
            fields_with_names(rrtype, rdata, SRV_FIELDS, buf)?;
            Ok(Normal::Buf)
        }
        RrType::SOA => {
            fields_with_names(rrtype, rdata, SOA_FIELDS, buf)?;
            Ok(Normal::Buf)
        }
        _ if r.is_empty() => Err(invalid_rdata(rrtype, rdata, "empty")),
        _ => Ok(match digest_of(rrtype) {
            Some(digest) => upper_digest(digest, r, buf).shifted(at.start),
            None => Normal::Input(at),
        }),
    }
}

/// Type numbers of TA and DLV, which [`RrType`] knows only by number.
const TA: u16 = 32768;
const DLV: u16 = 32769;

/// Where the data of a type holds hexadecimal that BIND prints in upper case (the dnstap
/// reader's `hex_upper`). Sources write it in lower case too (`ssh-keygen -r`, `ldns-key2ds`,
/// `ldns-signzone`, PowerDNS zones), and the same record would else be two associations.
#[derive(Clone, Copy)]
enum Digest {
    /// One digest after this many fields, which presentation may split by spaces
    /// (`dig +multi`, `ldns-key2ds`).
    After(usize),
    /// The NSEC3 and NSEC3PARAM salt, the fourth field (`-` when empty), then, when true, the
    /// NSEC3 next hashed owner in base32hex.
    Salt(bool),
}

/// The [`Digest`] of a type; `None` for the types without one.
fn digest_of(rrtype: RrType) -> Option<Digest> {
    match rrtype {
        RrType::SSHFP => Some(Digest::After(2)),
        RrType::DS
        | RrType::CDS
        | RrType::TLSA
        | RrType::SMIMEA
        | RrType::ZONEMD
        | RrType::Other(TA | DLV) => Some(Digest::After(3)),
        RrType::NSEC3 => Some(Digest::Salt(true)),
        RrType::NSEC3PARAM => Some(Digest::Salt(false)),
        _ => None,
    }
}

/// `r` (trimmed, not empty), of a type with `digest`, as BIND prints it: fields one space
/// apart, the pieces of a digest joined, its hexadecimal (and an NSEC3 hash) in upper case;
/// `r` itself when it is that already. A field is changed only where the type has its digest,
/// only when it is all hex digits (base32hex for the hash), and only when the fields before it
/// are words (numbers, or mnemonics such as `RSASHA256`). Data of another shape — RFC 3597
/// `\#` data, a digest `dig +nocrypto` left out (`[omitted]`) — is kept as written.
fn upper_digest(digest: Digest, r: &str, buf: &mut String) -> Normal {
    let whole = Normal::Input(0..r.len());
    if in_bind_form(digest, r.as_bytes()) {
        return whole;
    }
    let word = |t: &str| {
        t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let hex = |t: &str| t.bytes().all(|b| b.is_ascii_hexdigit());
    let base32hex = |t: &str| {
        t.bytes()
            .all(|b| matches!(b.to_ascii_uppercase(), b'0'..=b'9' | b'A'..=b'V'))
    };
    buf.clear();
    let mut fields = r.split_ascii_whitespace();
    match digest {
        Digest::After(before) => {
            for _ in 0..before {
                match fields.next() {
                    Some(f) if word(f) => {
                        buf.push_str(f);
                        buf.push(' ');
                    }
                    _ => return whole,
                }
            }
            let at = buf.len();
            for f in fields {
                if !hex(f) {
                    return whole;
                }
                buf.push_str(f);
            }
            match buf.get_mut(at..) {
                Some(d) if !d.is_empty() => d.make_ascii_uppercase(),
                _ => return whole,
            }
        }
        Digest::Salt(hash) => {
            let upper = if hash { 3..=4 } else { 3..=3 };
            let mut n = 0;
            for f in fields {
                let ok = match n {
                    0..=2 => word(f),
                    3 => f == "-" || hex(f),
                    4 if hash => base32hex(f),
                    // The type bitmap of NSEC3, as written.
                    _ => true,
                };
                if !ok {
                    return whole;
                }
                if n > 0 {
                    buf.push(' ');
                }
                let at = buf.len();
                buf.push_str(f);
                if upper.contains(&n) {
                    if let Some(v) = buf.get_mut(at..) {
                        v.make_ascii_uppercase();
                    }
                }
                n += 1;
            }
            // The salt, and the hash of NSEC3, are not optional.
            if n <= *upper.end() {
                return whole;
            }
        }
    }
    if buf.as_str() == r {
        whole
    } else {
        Normal::Buf
    }
}

/// Whether `b` is already as [`upper_digest`] would write it, as BIND and dig write it (most
/// data): no lower-case letter, fields one space apart, and a digest in one piece. Counted in
/// passes the compiler makes vector code of, not field by field.
fn in_bind_form(digest: Digest, b: &[u8]) -> bool {
    let odd = b
        .iter()
        .map(|&c| u8::from(c.is_ascii_lowercase()) | u8::from(c < b' '))
        .fold(0, |a, x| a | x);
    if odd != 0 {
        return false;
    }
    let doubled: usize = b
        .iter()
        .zip(b.get(1..).unwrap_or_default())
        .map(|(&x, &y)| usize::from(x == b' ') & usize::from(y == b' '))
        .sum();
    doubled == 0
        && match digest {
            // As many spaces as fields before the digest: the digest is in one piece.
            Digest::After(before) => {
                b.iter().map(|&c| usize::from(c == b' ')).sum::<usize>() == before
            }
            // The type bitmap after the salt and hash has any number of fields.
            Digest::Salt(_) => true,
        }
}

/// `Ipv6Addr`'s parser, with the common forms (hex groups and one `::`) read in one pass
/// without its generic machinery; text with an embedded IPv4 part goes to the standard parser.
/// Accepts exactly what the standard parser accepts.
fn parse_ipv6(s: &str) -> Option<Ipv6Addr> {
    let b = s.as_bytes();
    match ipv6_groups(b) {
        // It reads only hex digits and colons, so what it accepts holds no dot.
        Some(seg) => Some(Ipv6Addr::from(seg)),
        None if b.contains(&b'.') => s.parse().ok(),
        None => None,
    }
}

/// Hex groups and at most one `::`, as the standard parser reads them, as the address's
/// eight groups; `None` for anything else, an embedded IPv4 part included.
fn ipv6_groups(b: &[u8]) -> Option<[u16; 8]> {
    let mut seg = [0u16; 8];
    // Groups read, and how many of them came before the `::`.
    let (mut n, mut gap) = (0usize, None::<usize>);
    let mut i = 0;
    if b.starts_with(b"::") {
        gap = Some(0);
        i = 2;
        if b.len() == 2 {
            return Some(seg);
        }
    }
    let hex = |i: usize| {
        let d = HEX[usize::from(*b.get(i)?)];
        (d < 16).then_some(u16::from(d))
    };
    loop {
        // One to four hex digits (unrolled: most groups have four).
        let mut v = hex(i)?;
        i += 1;
        for _ in 0..3 {
            match hex(i) {
                Some(d) => {
                    v = (v << 4) | d;
                    i += 1;
                }
                None => break,
            }
        }
        if hex(i).is_some() {
            return None;
        }
        // Eight groups at most; seven beside a `::`, which stands for one or more.
        if n == if gap.is_some() { 7 } else { 8 } {
            return None;
        }
        seg[n & 7] = v;
        n += 1;
        match b.get(i) {
            None => break,
            Some(b':') => i += 1,
            Some(_) => return None,
        }
        if b.get(i) == Some(&b':') {
            if gap.is_some() || n == 8 {
                return None;
            }
            gap = Some(n);
            i += 1;
            if i == b.len() {
                break;
            }
        }
    }
    match gap {
        None if n == 8 => Some(seg),
        None => None,
        Some(g) => {
            // The groups after the `::` move to the end, zeros fill the run.
            let tail = n - g;
            for k in (0..tail).rev() {
                seg[(8 - tail + k) & 7] = seg[(g + k) & 7];
            }
            for k in g..8 - tail {
                seg[k & 7] = 0;
            }
            Some(seg)
        }
    }
}

/// True when `b` is an address in the RFC 5952 form [`ipv6_text`] writes, read in one pass:
/// lower-case hex groups without leading zeros, and `::` for the longest run of two or more
/// zero groups (the first of equal runs) and for nothing else. IPv4-mapped addresses, which
/// are written with their dotted quad, are never so. A `false` is only "not known to be": the
/// caller reads the address in full then.
fn is_canonical_ipv6(b: &[u8]) -> bool {
    if b == b"::" {
        return true;
    }
    // Explicit groups read; how many came before the `::`; the longest run of explicit zero
    // groups before it and after it; the current run, and whether the group before the `::`
    // was a zero.
    let (mut groups, mut gap) = (0usize, None::<usize>);
    let (mut run_before, mut run_after, mut run) = (0usize, 0usize, 0usize);
    let mut first_is_ffff = false;
    let mut i = 0;
    if b.starts_with(b"::") {
        gap = Some(0);
        i = 2;
    }
    // The value of a lower-case hex digit, 16 or more for any other byte.
    let digit = |i: usize| b.get(i).map_or(16, |&c| LOWER_HEX[usize::from(c)]);
    loop {
        // One to four lower-case hex digits, the first not a zero unless it is the group.
        let start = i;
        let mut v = 0u32;
        while let (d @ 0..=15, true) = (digit(i), i - start < 4) {
            v = (v << 4) | u32::from(d);
            i += 1;
        }
        let len = i - start;
        if len == 0 || (len > 1 && v >> (4 * (len - 1)) == 0) {
            return false;
        }
        if v == 0 {
            // A zero group next to the `::` belongs in it.
            if gap == Some(groups) {
                return false;
            }
            run += 1;
        } else {
            run = 0;
        }
        if groups == 0 && gap == Some(0) {
            first_is_ffff = v == 0xffff;
        }
        groups += 1;
        if gap.is_some() {
            run_after = run_after.max(run);
        } else {
            run_before = run_before.max(run);
        }
        match b.get(i) {
            None => break,
            Some(b':') => i += 1,
            Some(_) => return false,
        }
        if b.get(i) == Some(&b':') {
            if gap.is_some() || run > 0 {
                return false;
            }
            gap = Some(groups);
            run = 0;
            i += 1;
            if i == b.len() {
                break;
            }
        }
    }
    match gap {
        None => groups == 8 && run_before < 2,
        Some(at) => {
            let squeezed = 8usize.saturating_sub(groups);
            let mapped = at == 0 && groups == 3 && first_is_ffff;
            groups <= 6
                && squeezed >= 2
                && run_before < squeezed
                && run_after <= squeezed
                && !mapped
        }
    }
}

/// The value of each lower-case hexadecimal digit; 0xff for any other byte.
const LOWER_HEX: [u8; 256] = {
    let mut t = [0xff; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = match c as u8 {
            d @ b'0'..=b'9' => d - b'0',
            d @ b'a'..=b'f' => d - b'a' + 10,
            _ => 0xff,
        };
        c += 1;
    }
    t
};

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
#[inline(always)]
fn is_canonical_ipv4(b: &[u8]) -> bool {
    let digit = |i: usize| -> Option<u32> {
        let d = b.get(i)?.wrapping_sub(b'0');
        (d < 10).then_some(u32::from(d))
    };
    let mut i = 0;
    for octet in 0..4 {
        if octet > 0 {
            if b.get(i) != Some(&b'.') {
                return false;
            }
            i += 1;
        }
        let Some(d0) = digit(i) else {
            return false;
        };
        i += 1;
        let Some(d1) = digit(i) else {
            continue;
        };
        // A leading zero.
        if d0 == 0 {
            return false;
        }
        i += 1;
        let Some(d2) = digit(i) else {
            continue;
        };
        if d0 * 100 + d1 * 10 + d2 > 255 {
            return false;
        }
        // A fourth digit is caught as a missing dot, or as text after the address.
        i += 1;
    }
    i == b.len()
}

/// The RFC 5952 text of an address, exactly as `Ipv6Addr`'s `Display` writes it, without the
/// formatting machinery: AAAA rdata is a large share of some imports, and `Display` was a
/// fifth of their time.
fn ipv6_text(ip: Ipv6Addr, out: &mut String) {
    if ip.to_ipv4_mapped().is_some() {
        use std::fmt::Write;
        let _ = write!(out, "{ip}");
        return;
    }
    let mut chars = [0u8; 64];
    let len = ipv6_chars(&ip.segments(), &mut chars);
    out.extend(chars.iter().take(len).map(|&c| char::from(c)));
}

/// The RFC 5952 text of an address (its groups) that is not IPv4-mapped, written into `out`;
/// returns its length (eight groups of four hex digits and seven colons at most). Indices are
/// masked to the buffer, so no write is checked.
fn ipv6_chars(seg: &[u16; 8], out: &mut [u8; 64]) -> usize {
    // The longest run of two or more zero groups (the first of equal runs) becomes `::`:
    // runs of zero groups as bits, shortened by one group a step until none is left.
    let zeros = seg
        .iter()
        .enumerate()
        .fold(0u32, |z, (i, &g)| z | (u32::from(g == 0) << i));
    let (mut runs, mut longest) = (zeros, 0);
    let mut starts = zeros;
    while runs != 0 {
        // Where the runs of the current length start, kept from the step before.
        starts = runs;
        runs &= runs >> 1;
        longest += 1;
    }
    // `starts` now holds the groups that begin a run of `longest` zero groups (bit `i` is
    // group `i`): the lowest is the first run.
    let (best, best_len) = if longest >= 2 {
        (starts.trailing_zeros() as usize, longest)
    } else {
        // No run: `best` is past the last group.
        (8, 0)
    };
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digit = |v: u16| DIGITS[usize::from(v & 0xf)];
    let mut n = 0usize;
    let mut i = 0;
    while i < 8 {
        if i == best {
            out[n & 63] = b':';
            out[(n + 1) & 63] = b':';
            n += 2;
            i += best_len;
            continue;
        }
        // A group right after `::` needs no colon of its own.
        if i > 0 && i != best + best_len {
            out[n & 63] = b':';
            n += 1;
        }
        // Hex digits without leading zeros; one digit for a zero group.
        let g = seg[i & 7];
        if g >= 0x1000 {
            out[n & 63] = digit(g >> 12);
            n += 1;
        }
        if g >= 0x100 {
            out[n & 63] = digit(g >> 8);
            n += 1;
        }
        if g >= 0x10 {
            out[n & 63] = digit(g >> 4);
            n += 1;
        }
        out[n & 63] = digit(g);
        n += 1;
        i += 1;
    }
    n
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
            // A number is its value: `010` and `10` are one preference, as on the wire.
            let digits = field.trim_start_matches('0');
            out.push_str(if digits.is_empty() { "0" } else { digits });
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

    /// Bytes master-file text escapes are escaped where a tool printed them raw, and escapes
    /// already written are kept (ldns writes `@at.survey.test.`, dig `\@at.survey.test.`).
    #[test]
    fn special_bytes_are_escaped_once() {
        for (raw, normal) in [
            ("@at.survey.test.", "\\@at.survey.test"),
            ("\\@at.survey.test.", "\\@at.survey.test"),
            ("quo\"te.Test", "quo\\\"te.test"),
            ("semi;colon.test", "semi\\;colon.test"),
            ("a(b)c$.test", "a\\(b\\)c\\$.test"),
            ("a\\\\@b.test", "a\\\\\\@b.test"),
            ("a\\064b.test", "a\\064b.test"),
            ("weird|pipe.test", "weird|pipe.test"),
        ] {
            assert_eq!(normalize_name(raw).unwrap(), normal, "{raw}");
            assert_eq!(normalize_name(normal).unwrap(), normal, "{normal}");
        }
    }

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
    fn numbers_are_written_as_their_value() {
        // `MX 010 x` and `MX 10 x` are one record on the wire; BIND writes both as `10`.
        let n = |t, s| normalize_rdata(t, s).unwrap();
        assert_eq!(n(RrType::MX, "010 mail.x."), "10 mail.x");
        assert_eq!(n(RrType::MX, "00 mail.x"), "0 mail.x");
        assert_eq!(n(RrType::MX, "0 mail.x"), "0 mail.x");
        assert_eq!(n(RrType::SRV, "00 0100 0443 s.x"), "0 100 443 s.x");
        assert_eq!(n(RrType::SOA, "a.x b.x 0001 2 3 4 05"), "a.x b.x 1 2 3 4 5");
        let mut buf = String::new();
        assert_eq!(
            normalize_rdata_in(RrType::MX, "10 mail.x", &mut buf).unwrap(),
            "10 mail.x"
        );
    }

    #[test]
    fn digests_are_upper_case_hex_as_bind_prints_them() {
        let n = |t, s: &str| normalize_rdata(t, s).unwrap();
        // `ldns-key2ds` (Linode's NSD guide), two spaces after the key tag as it printed them,
        // and BIND's dig of the same shape.
        assert_eq!(
            n(
                RrType::DS,
                "6274  13 2 044783c65c032a0ae25a1de626e341c483a89601c766e812a001bc512145fc81"
            ),
            "6274 13 2 044783C65C032A0AE25A1DE626E341C483A89601C766E812A001BC512145FC81"
        );
        // dig splits long digests by spaces: one digest, joined.
        assert_eq!(
            n(
                RrType::DS,
                "26974 8 2 4FEDE294C53F438A158C41D39489CD78A86BEB0D8A0AEAFF14745C0D 16E1DE32"
            ),
            "26974 8 2 4FEDE294C53F438A158C41D39489CD78A86BEB0D8A0AEAFF14745C0D16E1DE32"
        );
        // dnspython's and PowerDNS's test zones.
        assert_eq!(
            n(
                RrType::SSHFP,
                "1 1 aa549bfe898489c02d1715d97d79c57ba2fa76ab"
            ),
            "1 1 AA549BFE898489C02D1715D97D79C57BA2FA76AB"
        );
        assert_eq!(
            n(
                RrType::DS,
                "28129 8 1 caf1eaaecdabe7616670788f9022454bf5fd9fda"
            ),
            "28129 8 1 CAF1EAAECDABE7616670788F9022454BF5FD9FDA"
        );
        // Mail-in-a-Box's TLSA; CDS, SMIMEA, ZONEMD, TA and DLV alike.
        let tlsa = "5e92b2f8150bf467449a0e41f2d03db1dccfaddb076342404176b446ff5b30bb";
        for t in [
            RrType::TLSA,
            RrType::SMIMEA,
            RrType::CDS,
            RrType::ZONEMD,
            RrType::Other(TA),
            RrType::Other(DLV),
        ] {
            assert_eq!(
                n(t, &format!("3 1 1 {tlsa}")),
                format!("3 1 1 {}", tlsa.to_ascii_uppercase()),
                "{t}"
            );
        }
        // Data already in BIND's form is the input itself, as every other normal form.
        let mut buf = String::new();
        let ds = "12892 5 1 7AA4A3F416C2F2391FB7AB0D434F762CD62D1390";
        assert!(std::ptr::eq(
            normalize_rdata_in(RrType::DS, ds, &mut buf).unwrap(),
            ds
        ));
        // Fields that are not the digest are never touched; data of another shape is kept.
        for (t, d) in [
            (
                RrType::DS,
                "60485 RSASHA1 1 2bb183af5f22588179a53b0a98631fad1a292118",
            ),
            (RrType::DS, "\\# 4 0001abcd"),
            (RrType::DS, "12345 8 2 [omitted]"),
            (RrType::DS, "12345 8 2"),
            (RrType::SSHFP, "1 1 not-hex"),
            (RrType::NSEC3PARAM, "1 0 10"),
            (RrType::TXT, "abc def"),
        ] {
            let kept = d.replace(
                "2bb183af5f22588179a53b0a98631fad1a292118",
                "2BB183AF5F22588179A53B0A98631FAD1A292118",
            );
            assert_eq!(n(t, d), kept, "{t} {d}");
        }
    }

    #[test]
    fn nsec3_salt_and_hash_are_upper_case() {
        let n = |t, s: &str| normalize_rdata(t, s).unwrap();
        // BIND's own test zone (genzone.sh) in BIND's form stays as it is.
        let bind = "1 0 10 D2CF0294C020CE6C 8FPNS2UCT7FBS643THP2B77PEQ77K6IU A NS SOA MX AAAA RRSIG DNSKEY NSEC3PARAM";
        assert_eq!(n(RrType::NSEC3, bind), bind);
        // Lower-case salt and hash (ldns-signzone), its spaces as written, read the same.
        assert_eq!(
            n(
                RrType::NSEC3,
                "1 0 10 d2cf0294c020ce6c  8fpns2uct7fbs643thp2b77peq77k6iu  A NS SOA MX AAAA RRSIG DNSKEY NSEC3PARAM"
            ),
            bind
        );
        assert_eq!(
            n(RrType::NSEC3PARAM, "1 0 1 868bcf7ed4108929"),
            "1 0 1 868BCF7ED4108929"
        );
        assert_eq!(n(RrType::NSEC3PARAM, "1 0 0 -"), "1 0 0 -");
        // A hash that is not base32hex, or none, keeps the data as written.
        assert_eq!(n(RrType::NSEC3, "1 0 10 abcd"), "1 0 10 abcd");
        assert_eq!(n(RrType::NSEC3, "1 0 10 abcd wxyz A"), "1 0 10 abcd wxyz A");
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
    fn name_classes_agree_with_the_byte_table() {
        // What `decide` reads of the classes: the bytes no plain name holds, the capitals,
        // an empty label and a last dot.
        let read = |(seen, empty, last): (u8, u8, u8)| {
            (seen & (OTHER | SPACE) != 0, seen & UPPER != 0, empty, last)
        };
        let mut rng = crate::test_rng::TestRng::new(0x51a7_c1a5_5e5f_0123);
        // Every class, and the bytes at the edges of each range.
        const SOME: &[u8] = b"a.zA.Z0.9-_*./:@`[{ \t\x80\xff.";
        for round in 0..200_000u32 {
            let x = rng.next_u64();
            let n = (x % 70) as usize;
            let b: Vec<u8> = (0..n)
                .map(|k| {
                    let y = rng.next_u64();
                    match (y >> 8) % 8 {
                        0 => (y >> 16) as u8,
                        1..=3 => SOME[(y >> 24) as usize % SOME.len()],
                        _ => b"abc.xyz09-"[(y as usize + k) % 10],
                    }
                })
                .collect();
            assert_eq!(read(classes(&b)), read(byte_classes(&b)), "{round} {b:?}");
        }
    }

    #[test]
    fn ipv6_text_matches_display() {
        let mut rng = crate::test_rng::TestRng::new(0x9e37_79b9_7f4a_7c15);
        let mut next = || rng.next_u64();
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
    fn canonical_ipv6_check_agrees_with_reading_and_writing() {
        // True exactly for the text an address is written as.
        let canonical = |t: &str| -> bool {
            match ipv6_groups(t.as_bytes()) {
                Some(seg) => {
                    let mut out = String::new();
                    ipv6_text(Ipv6Addr::from(seg), &mut out);
                    out == t
                }
                None => false,
            }
        };
        let mut cases: Vec<String> = [
            "::",
            "::1",
            "1::",
            "1::2",
            "::ffff",
            "::ffff:1:2",
            "::ffff:0:0",
            "::fffe:1:2",
            "1:0::2",
            "1::0:2",
            "0::1",
            "1::0",
            ":1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "1:2:3:4:5:6::",
            "1:0:0:2::",
            "1::2:0:0",
            "1:0:0:2:0:0:3:4",
            "1:0:0:2::3",
            "2001:db8::1",
            "2001:DB8::1",
            "2001:0db8::1",
            "2607:f8b0:400f:801::200e",
            "1:2:3:4:5:6:7:8:9",
            "12345::",
            ":::",
            "1:::2",
            "1:2",
            "",
            ":",
            "0:0:0:0:0:0:0:1",
            "::0:1",
            "1:0:0:0:0:0:0:0",
            "0:0:1::",
            "0:1::",
            "::1:0:0:0",
            "::1:0:0",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // The written forms of addresses with runs of zeros of every length and place, and
        // those texts edited: a zero group added, a letter raised, a leading zero.
        let mut rng = crate::test_rng::TestRng::new(0x2545_f491_4f6c_dd1d);
        for _ in 0..30_000 {
            let x = rng.next_u64();
            let seg: [u16; 8] = std::array::from_fn(|i| match (x >> (i * 3)) & 7 {
                0..=3 => 0,
                4 => 1,
                5 => 0xffff,
                6 => 0xabc,
                _ => (x >> 40) as u16,
            });
            let t = Ipv6Addr::from(seg).to_string();
            cases.push(t.replacen("::", ":0::", 1));
            cases.push(t.replacen("::", "::0:", 1));
            cases.push(t.replacen('a', "A", 1));
            cases.push(t.replacen(':', ":0", 1));
            cases.push(t);
        }
        let mut yes = 0;
        for c in cases {
            let fast = is_canonical_ipv6(c.as_bytes());
            assert_eq!(fast, canonical(&c), "{c:?}");
            yes += usize::from(fast);
        }
        assert!(yes > 10_000, "{yes}");
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
        // Digits and dots in every arrangement of up to seventeen bytes, mostly four groups
        // of one to four digits.
        let mut rng = crate::test_rng::TestRng::new(0x9e37_79b9_7f4a_7c15);
        for _ in 0..200_000 {
            let x = rng.next_u64();
            let mut s = String::new();
            let groups = 3 + (x % 3) as usize;
            for g in 0..groups {
                if g > 0 {
                    s.push(if (x >> (50 + g)) & 15 == 0 { 'x' } else { '.' });
                }
                let len = ((x >> (g * 5)) % 5) as usize;
                for k in 0..len {
                    let d = ((x >> (g * 7 + k * 3)) % 11) as u8;
                    s.push(if d == 10 { '.' } else { char::from(b'0' + d) });
                }
            }
            cases.push(s);
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
        let mut rng = crate::test_rng::TestRng::new(0x2545_f491_4f6c_dd1d);
        let alphabet = b"0aF9:::::.";
        for _ in 0..50_000 {
            let x = rng.next_u64();
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

    /// What a normalisation gave, comparable: the text, or the error's debug form.
    fn outcome(r: Result<Normal>, input: &str, buf: &str) -> std::result::Result<String, String> {
        match r {
            Ok(Normal::Input(range)) => Ok(input[range].to_string()),
            Ok(Normal::Buf) => Ok(buf.to_string()),
            Err(e) => Err(format!("{e:?}")),
        }
    }

    #[test]
    fn space_search_finds_what_a_byte_loop_finds() {
        for len in 0..40 {
            for at in (0..len).chain([usize::MAX]) {
                for other in [b'x', 0xa0, 0x60, 0x00] {
                    let mut b = vec![other; len];
                    if let Some(slot) = b.get_mut(at) {
                        *slot = b' ';
                    }
                    assert_eq!(
                        find_space(&b),
                        b.iter().position(|&c| c == b' '),
                        "{len} {at}"
                    );
                    // A second space after the first changes nothing.
                    if let Some(slot) = at.checked_add(3).and_then(|j| b.get_mut(j)) {
                        *slot = b' ';
                        assert_eq!(find_space(&b), Some(at));
                    }
                }
            }
        }
    }

    #[test]
    fn fast_paths_agree_with_the_general_ones() {
        let pieces = [
            "a",
            "Z",
            "0",
            "9",
            "-",
            "_",
            "*",
            ".",
            ".",
            ".",
            "..",
            "\\",
            "\\.",
            "\\065",
            "é",
            "ü",
            " ",
            "  ",
            "\t",
            "\r",
            "\u{a0}",
            "\u{b}",
            ":",
            "::",
            "f",
            "F",
            "10",
            "255",
            "256",
            "01",
            "0",
            "www",
            "EXAMPLE",
            "com",
            "xn--bcher-kva",
            "\u{7f}",
            "\0",
            "/",
            "@",
            "[",
            "`",
            "{",
            ",",
            "A",
            "ffff",
            "1.2.3.4",
        ];
        // Address-like text, so that A and AAAA data pass as well as fail.
        let address_pieces = [
            "1", "25", "255", "256", "0", "01", "9", "1", "25", "255", "0", "9", ".", ":", "::",
            "f", "abcd", "ABCD", "0000", "12345", " ",
        ];
        let long = "a".repeat(63);
        let longer = "b".repeat(64);
        let mut rng = crate::test_rng::TestRng::new(0x9e37_79b9_7f4a_7c15);
        let mut next = || rng.next_u64();
        let types = [
            RrType::A,
            RrType::Aaaa,
            RrType::CNAME,
            RrType::NS,
            RrType::PTR,
            RrType::DNAME,
            RrType::MX,
            RrType::KX,
            RrType::AFSDB,
            RrType::SRV,
            RrType::SOA,
            RrType::TXT,
            RrType::Other(65280),
            RrType::DS,
            RrType::SSHFP,
            RrType::NSEC3,
        ];
        let (mut buf, mut general_buf) = (String::new(), String::new());
        let mut accepted = [0u32; 16];
        for round in 0..100_000 {
            let r = next();
            let mut s = String::new();
            if r & (3 << 44) == 0 {
                // Dotted or colon-separated numbers, mostly well formed.
                let sep = if r & (1 << 46) != 0 { "." } else { ":" };
                let groups = match sep {
                    "." => 4 + u64::from(r % 7 == 0) - u64::from(r % 11 == 0),
                    _ => 3 + r % 6,
                };
                for k in 0..groups {
                    let p = next();
                    if k > 0 {
                        s.push_str(if p % 13 == 0 { "::" } else { sep });
                    }
                    s.push_str(address_pieces[(p >> 8) as usize % address_pieces.len()]);
                }
            }
            for k in 0..(r % 17) * u64::from(s.is_empty()) {
                let p = next();
                match p % 41 {
                    _ if r & (1 << 40) != 0 => {
                        s.push_str(address_pieces[(p >> 8) as usize % address_pieces.len()])
                    }
                    0 => s.push_str(&long),
                    1 => s.push_str(&longer),
                    _ => s.push_str(pieces[(p >> 8) as usize % pieces.len()]),
                }
                if k % 3 == 2 && p & (1 << 20) != 0 {
                    s.push(' ');
                }
            }
            let fast = outcome(name_in(&s, &mut buf), &s, &buf);
            let general = outcome(name_in_general(&s, &mut general_buf), &s, &general_buf);
            assert_eq!(fast, general, "name {s:?}");
            // Every round one type in turn, and the address types for address-like text.
            let address = [0, 1].into_iter().filter(|_| r & (3 << 44) == 0);
            for i in std::iter::once(round % types.len()).chain(address) {
                let t = types[i];
                let fast = outcome(rdata_in(t, &s, &mut buf), &s, &buf);
                let general = outcome(rdata_in_general(t, &s, &mut general_buf), &s, &general_buf);
                if fast.is_ok() {
                    accepted[i] += 1;
                }
                assert_eq!(fast, general, "{t} {s:?}");
            }
        }
        // The accepting paths are reached for every type, not only refusals.
        assert!(accepted.iter().all(|&n| n > 100), "{accepted:?}");
        // The shapes the fast paths take, each beside its near misses.
        for (t, d) in [
            (
                RrType::SOA,
                "ns4.google.com dns-admin.google.com 149128478 900 900 1800 60",
            ),
            (
                RrType::SOA,
                "ns4.google.com dns-admin.google.com 149128478 900 900 1800",
            ),
            (
                RrType::SOA,
                "ns4.google.com dns-admin.google.com 149128478 900 900 1800 60 1",
            ),
            (
                RrType::SOA,
                "ns4.google.com. dns-admin.google.com 1 2 3 4 5",
            ),
            (RrType::SOA, ". . 1 2 3 4 5"),
            (RrType::SOA, "a b 1 2 3 4 5 "),
            (RrType::SOA, "a b 1 2 3 4 x5"),
            (RrType::SOA, "a B 1 2 3 4 5"),
            (RrType::MX, "10 mx.example.com"),
            (RrType::MX, "10 mx.example.com."),
            (RrType::MX, "10 Mx.example.com"),
            (RrType::MX, "10\tmx.example.com"),
            (RrType::MX, "mx.example.com"),
            (RrType::SRV, "0 5 5060 sip.example.com"),
            (RrType::SRV, "0 5 sip.example.com"),
            (RrType::Aaaa, "2607:f8b0:400f:801::200e"),
            (RrType::Aaaa, "2607:F8B0:400F:801::200E"),
            (RrType::Aaaa, "2607:f8b0:400f:801:0:0:0:200e"),
            (RrType::Aaaa, "::ffff:192.0.2.1"),
            (RrType::Aaaa, "::ffff:c000:201"),
            (RrType::Aaaa, "::1.2.3.4"),
            (RrType::Aaaa, " ::1"),
            (RrType::Aaaa, "::"),
            (RrType::A, "192.0.2.1"),
            (RrType::A, " 192.0.2.1"),
            (RrType::A, "192.0.2.1000"),
            (RrType::A, "192.0.2.01"),
            (RrType::TXT, "v=spf1 -all"),
            (RrType::TXT, " x"),
            (RrType::TXT, ""),
            (RrType::DS, "370 13 2 BE7435 9954"),
            (RrType::DS, " 370 13 2 be7435 "),
            (RrType::DS, "370 13 2 BE7435"),
            (RrType::SSHFP, "1 2 ab"),
            (RrType::NSEC3, "1 0 10 - vgr5 A"),
            (RrType::NSEC3, ""),
        ] {
            let fast = outcome(rdata_in(t, d, &mut buf), d, &buf);
            let general = outcome(rdata_in_general(t, d, &mut general_buf), d, &general_buf);
            assert_eq!(fast, general, "{t} {d:?}");
        }
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

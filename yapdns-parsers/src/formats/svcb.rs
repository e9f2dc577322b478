//! SVCB and HTTPS record data (RFC 9460) in the one presentation form BIND 9.18 writes, whatever
//! form it was read in: master-file text (`bind-zone`: zone files, `named-compilezone`, `dig`)
//! or wire format (`dnstap`). The same record then has one text, and one association.
//!
//! The form, as `generic_totext_in_svcb` of BIND's `lib/dns/rdata/in_1/svcb_64.c` writes it:
//!
//! ```text
//! data     = priority SP target *( SP param )
//! target   = the name, absolute (trailing dot), escaped as BIND escapes names; here lower-cased
//! param    = key [ "=" value ]           ; by key number, ascending; no "=" for an empty value
//! key      = "mandatory" / "alpn" / "no-default-alpn" / "port" / "ipv4hint" / "ech"
//!          / "ipv6hint" / "key" 1*DIGIT  ; keys 0-6 by name, every other (dohpath = 7 too) as keyN
//! mandatory= key *( "," key )            ; by key number
//! alpn     = DQUOTE id *( "," id ) DQUOTE; in an id: "," as \\, and "\" as \\\\, '"' as \",
//!                                        ; bytes outside "!".."~" as \DDD
//! port     = decimal
//! ipv4hint = address *( "," address )
//! ech      = base64, unquoted
//! ipv6hint = address *( "," address )    ; as glibc's inet_ntop writes it
//! keyN     = a quoted string             ; as TXT strings: \" \\ and \DDD
//! ```
//!
//! Text is read as BIND's `generic_fromtext_in_svcb` reads it, with its checks: what BIND
//! refuses to load (`named-compilezone` fails on it) is refused here too, as an rdata error —
//! an unknown key, a key twice, a mandatory key missing, `no-default-alpn` without `alpn`,
//! a bad address, port or base64, parameters on an AliasMode (priority 0) record. Text this
//! module cannot read with certainty (a quote inside an unquoted value or glued to the end of
//! a quoted one, a quoted target) is kept as written.
//!
//! The parameters are written by one writer, [`push_params`], from their wire format: the
//! text is first turned into wire format, as BIND does, and `dnstap` hands it the wire format
//! of the records it reads.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::formats::presentation::{base64, push_label, quote_into};

/// Why BIND refuses the data: the reason of the rdata error.
pub(crate) type Reason = &'static str;

/// What [`canonical`] made of presentation data.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Canonical {
    /// The canonical form is in the output buffer.
    Written,
    /// BIND refuses the data (it would not load the zone): an rdata error.
    Refused(Reason),
    /// Text this module does not read with certainty: the caller keeps it as written.
    AsWritten,
}

/// `mandatory`: the keys a client must understand.
const MANDATORY: u16 = 0;
/// `alpn`: the protocols, a list of character strings.
const ALPN: u16 = 1;
/// `no-default-alpn`: no value.
const NO_DEFAULT_ALPN: u16 = 2;
/// `port`: 16 bits.
const PORT: u16 = 3;
/// `ipv4hint`: IPv4 addresses.
const IPV4HINT: u16 = 4;
/// `ech`: an ECHConfigList, base64 in text.
const ECH: u16 = 5;
/// `ipv6hint`: IPv6 addresses.
const IPV6HINT: u16 = 6;
/// `dohpath` (RFC 9461): BIND 9.18 reads the name but writes `key7`.
const DOHPATH: u16 = 7;

/// The key names BIND 9.18 reads (its `sbpr` table). Those it writes are the first seven
/// ([`key_name`]).
const NAMES: [(&str, u16); 8] = [
    ("mandatory", MANDATORY),
    ("alpn", ALPN),
    ("no-default-alpn", NO_DEFAULT_ALPN),
    ("port", PORT),
    ("ipv4hint", IPV4HINT),
    ("ech", ECH),
    ("ipv6hint", IPV6HINT),
    ("dohpath", DOHPATH),
];

/// SVCB or HTTPS data as presentation text (names absolute, as `bind-zone` builds it) written
/// into `out` in BIND's canonical form; see the module's documentation for what is refused
/// and what is kept as written. `out` is cleared first; its content is meaningful only for
/// [`Canonical::Written`].
pub(crate) fn canonical(data: &str, out: &mut String) -> Canonical {
    out.clear();
    let b = data.as_bytes();
    let mut at = 0;
    let Some(priority) = word(b, &mut at) else {
        return Canonical::Refused("SVCB data without a priority");
    };
    let Some(priority) = decimal_u16(priority) else {
        return Canonical::Refused("SVCB priority is not a number up to 65535");
    };
    let Some(target) = word(b, &mut at) else {
        return Canonical::Refused("SVCB data without a target name");
    };
    let _ = write!(out, "{priority} ");
    match push_target(target, out) {
        Ok(true) => {}
        Ok(false) => return Canonical::AsWritten,
        Err(why) => return Canonical::Refused(why),
    }
    // The parameters in wire format, then their places in it, to sort by key.
    let mut wire = Vec::new();
    let mut params: Vec<(u16, usize, usize)> = Vec::new();
    loop {
        while b.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if at >= b.len() {
            break;
        }
        let (key, raw) = match param_text(b, &mut at) {
            Ok(Some(kv)) => kv,
            Ok(None) => return Canonical::AsWritten,
            Err(why) => return Canonical::Refused(why),
        };
        let start = wire.len();
        match param_from_text(key, raw, &mut wire) {
            Ok(k) => params.push((k, start, wire.len())),
            Err(why) => return Canonical::Refused(why),
        }
    }
    params.sort_by_key(|&(k, _, _)| k);
    if params.windows(2).any(|w| w[0].0 == w[1].0) {
        return Canonical::Refused("SVCB key given twice");
    }
    let mut sorted = Vec::with_capacity(wire.len() + 4 * params.len());
    for &(k, a, z) in &params {
        let value = wire.get(a..z).unwrap_or_default();
        let Ok(len) = u16::try_from(value.len()) else {
            return Canonical::Refused("SVCB value over 65535 bytes");
        };
        sorted.extend_from_slice(&k.to_be_bytes());
        sorted.extend_from_slice(&len.to_be_bytes());
        sorted.extend_from_slice(value);
    }
    match push_params(priority, &sorted, out) {
        Ok(()) => Canonical::Written,
        Err(why) => Canonical::Refused(why),
    }
}

/// Whole SVCB or HTTPS data in wire format (RFC 3597 `\#` data) written as [`canonical`]
/// writes it; the reason BIND refuses it otherwise.
pub(crate) fn from_wire(rdata: &[u8], out: &mut String) -> Result<(), Reason> {
    let [p0, p1, rest @ ..] = rdata else {
        return Err("SVCB data shorter than its priority");
    };
    let priority = u16::from_be_bytes([*p0, *p1]);
    let _ = write!(out, "{priority} ");
    let mut i = 0;
    let mut wire_len = 1;
    loop {
        let Some(&len) = rest.get(i) else {
            return Err("SVCB target name cut short");
        };
        i += 1;
        if len == 0 {
            break;
        }
        if len > 63 {
            return Err("SVCB target name: not an uncompressed name");
        }
        let Some(label) = rest.get(i..i + usize::from(len)) else {
            return Err("SVCB target name cut short");
        };
        wire_len += 1 + label.len();
        if wire_len > 255 {
            return Err("SVCB target name over 255 bytes");
        }
        push_lower_label(label, out);
        out.push('.');
        i += label.len();
    }
    if i == 1 {
        out.push('.');
    }
    push_params(priority, rest.get(i..).unwrap_or_default(), out)
}

/// Appends the SvcParams of one record, given in wire format (`params`: key, length, value,
/// …), each as ` key=value` in BIND's form: the one writer of SvcParams, for text read by
/// [`canonical`] and for `dnstap`'s wire format. Checks them as BIND's `fromwire` does (keys
/// ascending, mandatory keys present, values well formed); the reason it fails otherwise,
/// with `out` partly written.
pub(crate) fn push_params(priority: u16, params: &[u8], out: &mut String) -> Result<(), Reason> {
    if priority == 0 && !params.is_empty() {
        return Err("SvcParams on an AliasMode (priority 0) record");
    }
    let mut rest = params;
    let mut last: Option<u16> = None;
    let mut have_alpn = false;
    // The mandatory keys not yet met, in order.
    let mut mandatory: &[u8] = &[];
    while !rest.is_empty() {
        let [k0, k1, l0, l1, tail @ ..] = rest else {
            return Err("SvcParam cut short");
        };
        let key = u16::from_be_bytes([*k0, *k1]);
        let len = usize::from(u16::from_be_bytes([*l0, *l1]));
        let Some(value) = tail.get(..len) else {
            return Err("SvcParam value cut short");
        };
        rest = tail.get(len..).unwrap_or_default();
        if last.is_some_and(|l| key <= l) {
            return Err("SvcParam keys not in ascending order, or one twice");
        }
        last = Some(key);
        if let [m0, m1, more @ ..] = mandatory {
            let next = u16::from_be_bytes([*m0, *m1]);
            if key > next {
                return Err("a mandatory SvcParam key is missing");
            }
            if key == next {
                mandatory = more;
            }
        }
        if key == ALPN {
            have_alpn = true;
        } else if key == NO_DEFAULT_ALPN && !have_alpn {
            return Err("no-default-alpn without alpn");
        }
        if key == MANDATORY {
            if value.len() < 2 {
                return Err("mandatory without keys");
            }
            if value.starts_with(&[0, 0]) {
                return Err("mandatory lists itself");
            }
            mandatory = value;
        }
        validate(key, value)?;
        out.push(' ');
        push_key(key, out);
        if value.is_empty() {
            continue;
        }
        out.push('=');
        push_value(key, value, out);
    }
    if !mandatory.is_empty() {
        return Err("a mandatory SvcParam key is missing");
    }
    Ok(())
}

/// A key's value checked as BIND's `svcb_validate` checks it, wire format against the key.
fn validate(key: u16, v: &[u8]) -> Result<(), Reason> {
    let ok = match key {
        MANDATORY => {
            v.len().is_multiple_of(2)
                && !v.is_empty()
                && v.chunks_exact(2)
                    .zip(v.chunks_exact(2).skip(1))
                    .all(|(a, b)| a < b)
        }
        ALPN => {
            let mut r = v;
            let mut ok = !r.is_empty();
            while let [l, tail @ ..] = r {
                let l = usize::from(*l);
                if l == 0 || l > tail.len() {
                    ok = false;
                    break;
                }
                r = tail.get(l..).unwrap_or_default();
            }
            ok
        }
        NO_DEFAULT_ALPN => v.is_empty(),
        PORT => v.len() == 2,
        IPV4HINT => v.len().is_multiple_of(4) && !v.is_empty(),
        IPV6HINT => v.len().is_multiple_of(16) && !v.is_empty(),
        DOHPATH => {
            // Relative, UTF-8, with `{?dns}` (looked for as C's `strnstr` does: up to a NUL).
            let upto_nul = v.split(|&c| c == 0).next().unwrap_or_default();
            v.len() >= 7
                && v.first() == Some(&b'/')
                && std::str::from_utf8(v).is_ok()
                && upto_nul.windows(6).any(|w| w == b"{?dns}")
        }
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(match key {
            MANDATORY => "mandatory: keys not in ascending order, or one twice",
            ALPN => "alpn: an empty or cut short protocol",
            NO_DEFAULT_ALPN => "no-default-alpn with a value",
            PORT => "port: not 2 bytes",
            IPV4HINT => "ipv4hint: not IPv4 addresses",
            IPV6HINT => "ipv6hint: not IPv6 addresses",
            _ => "dohpath: not a relative UTF-8 template with {?dns}",
        })
    }
}

/// Appends a key as BIND 9.18 writes it: the first seven by name, the others as `keyN`.
pub(crate) fn push_key(key: u16, out: &mut String) {
    match key_name(key) {
        Some(n) => out.push_str(n),
        None => {
            let _ = write!(out, "key{key}");
        }
    }
}

/// The name BIND 9.18 writes for a key: keys 0 to 6 (`dohpath`, 7, is written `key7`).
fn key_name(key: u16) -> Option<&'static str> {
    NAMES
        .iter()
        .take(7)
        .find(|&&(_, k)| k == key)
        .map(|&(n, _)| n)
}

/// Appends a value checked by [`validate`], as BIND's `generic_totext_in_svcb` writes it.
fn push_value(key: u16, v: &[u8], out: &mut String) {
    match key {
        MANDATORY => {
            for (i, k) in v.chunks_exact(2).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_key(u16::from_be_bytes([k[0], k[1]]), out);
            }
        }
        ALPN => {
            out.push('"');
            let mut r = v;
            let mut first = true;
            while let [l, tail @ ..] = r {
                let l = usize::from(*l).min(tail.len());
                if !first {
                    out.push(',');
                }
                first = false;
                for &c in tail.get(..l).unwrap_or_default() {
                    push_alpn_byte(c, out);
                }
                r = tail.get(l..).unwrap_or_default();
            }
            out.push('"');
        }
        PORT => {
            if let [a, b] = v {
                let _ = write!(out, "{}", u16::from_be_bytes([*a, *b]));
            }
        }
        IPV4HINT => {
            for (i, a) in v.chunks_exact(4).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{}", Ipv4Addr::new(a[0], a[1], a[2], a[3]));
            }
        }
        ECH => base64(v, out),
        IPV6HINT => {
            for (i, a) in v.chunks_exact(16).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Ok(a) = <[u8; 16]>::try_from(a) {
                    push_ipv6(a, out);
                }
            }
        }
        _ => quote_into(out, v),
    }
}

/// One byte of an ALPN id as BIND's `commatxt_totext` writes it inside the quoted list: the
/// string escapes (`\"`, `\\`) and then the comma escapes over them, so that `,` is `\\,` and
/// `\` is `\\\\`; bytes outside `!`..`~`, the space too, as `\DDD`.
fn push_alpn_byte(c: u8, out: &mut String) {
    match c {
        b',' => out.push_str("\\\\,"),
        b'\\' => out.push_str("\\\\\\\\"),
        b'"' => out.push_str("\\\""),
        0x21..=0x7e => out.push(char::from(c)),
        _ => {
            let _ = write!(out, "\\{c:03}");
        }
    }
}

/// An IPv6 address as glibc's `inet_ntop` writes it (BIND calls it): RFC 5952's form, with
/// the IPv4-compatible addresses (`::a.b.c.d`) and the IPv4-mapped ones (`::ffff:a.b.c.d`)
/// in dotted form.
fn push_ipv6(a: [u8; 16], out: &mut String) {
    let addr = Ipv6Addr::from(a);
    let s = addr.segments();
    if s[..6] == [0; 6] && s[6] != 0 {
        let _ = write!(out, "::{}.{}.{}.{}", a[12], a[13], a[14], a[15]);
    } else {
        let _ = write!(out, "{addr}");
    }
}

/// Appends a label lower-cased (ASCII), escaped as BIND escapes names.
fn push_lower_label(label: &[u8], out: &mut String) {
    let mut lower = [0u8; 63];
    let n = label.len().min(lower.len());
    for (l, c) in lower.iter_mut().zip(label) {
        *l = c.to_ascii_lowercase();
    }
    push_label(lower.get(..n).unwrap_or_default(), out);
}

/// The next run of bytes without white space from `at`, which moves past it.
fn word<'a>(b: &'a [u8], at: &mut usize) -> Option<&'a [u8]> {
    while b.get(*at).is_some_and(u8::is_ascii_whitespace) {
        *at += 1;
    }
    let start = *at;
    while b.get(*at).is_some_and(|c| !c.is_ascii_whitespace()) {
        *at += 1;
    }
    b.get(start..*at).filter(|w| !w.is_empty())
}

/// Decimal digits (leading zeros allowed, as BIND's lexer reads a number) up to 65535.
fn decimal_u16(t: &[u8]) -> Option<u16> {
    if t.is_empty() || !t.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = t.iter().try_fold(0u32, |v, &d| {
        let v = v * 10 + u32::from(d - b'0');
        (v <= 0xffff).then_some(v)
    })?;
    u16::try_from(v).ok()
}

/// The target name, absolute, into `out` lower-cased and escaped as BIND writes names, as its
/// labels: `Ok(false)` for a name that is not absolute (which `bind-zone` never hands over)
/// or holds a quote not escaped (a quoted target, which BIND reads but `bind-zone` does not
/// make absolute), the reason BIND refuses a bad one.
fn push_target(name: &[u8], out: &mut String) -> Result<bool, Reason> {
    if name == b"." {
        out.push('.');
        return Ok(true);
    }
    let mut label: Vec<u8> = Vec::with_capacity(63);
    let mut wire_len = 1;
    let mut i = 0;
    let mut absolute = false;
    while i < name.len() {
        let c = name.get(i).copied().unwrap_or_default();
        let byte = match c {
            b'.' => {
                if label.is_empty() {
                    return Err("SVCB target name with an empty label");
                }
                wire_len += 1 + label.len();
                if wire_len > 255 {
                    return Err("SVCB target name over 255 bytes");
                }
                push_lower_label(&label, out);
                out.push('.');
                label.clear();
                i += 1;
                absolute = i == name.len();
                continue;
            }
            b'"' => return Ok(false),
            b'\\' => {
                let (byte, used) = escape(name.get(i + 1..).unwrap_or_default())
                    .ok_or("SVCB target name with a bad escape")?;
                i += 1 + used;
                byte
            }
            _ => {
                i += 1;
                c
            }
        };
        if label.len() == 63 {
            return Err("SVCB target name with a label over 63 bytes");
        }
        label.push(byte);
    }
    Ok(absolute)
}

/// The byte of the escape after a backslash (`DDD` up to 255, or any other character as
/// itself) and the bytes it used; `None` for an escape cut short or over 255.
fn escape(after: &[u8]) -> Option<(u8, usize)> {
    let first = *after.first()?;
    if !first.is_ascii_digit() {
        return Some((first, 1));
    }
    let d = after
        .get(..3)
        .filter(|d| d.iter().all(u8::is_ascii_digit))?;
    let v = d.iter().fold(0u32, |v, &x| v * 10 + u32::from(x - b'0'));
    Some((u8::try_from(v).ok()?, 3))
}

/// A parameter's key and raw value as the text holds them (see [`param_text`]).
type KeyValue<'a> = (&'a [u8], &'a [u8]);

/// One parameter of the text from `at` (past white space), which moves past it: the key and
/// its raw value (quotes taken off, escapes left in, empty when there is none), as BIND's
/// lexer cuts a `key`, `key=value` or `key="value"` token. `Ok(None)` where a quote makes the
/// cut uncertain; the reason BIND refuses it otherwise.
fn param_text<'a>(b: &'a [u8], at: &mut usize) -> Result<Option<KeyValue<'a>>, Reason> {
    let start = *at;
    if b.get(start) == Some(&b'"') {
        return Err("SvcParam in quotes as a whole");
    }
    let mut i = start;
    while let Some(&c) = b.get(i) {
        if c == b'=' || c.is_ascii_whitespace() {
            break;
        }
        if c == b'"' {
            return Ok(None);
        }
        i += 1;
    }
    let key = b.get(start..i).unwrap_or_default();
    if b.get(i) != Some(&b'=') {
        *at = i;
        return Ok(Some((key, &[])));
    }
    i += 1;
    if b.get(i) == Some(&b'"') {
        // To the closing quote, past `\x` escapes.
        let open = i + 1;
        let mut j = open;
        loop {
            match b.get(j) {
                None => return Err("SvcParam value: a quote not closed"),
                Some(b'\\') => j += 2,
                Some(b'"') => break,
                Some(_) => j += 1,
            }
        }
        let value = b.get(open..j).unwrap_or_default();
        *at = j + 1;
        return match b.get(*at) {
            None => Ok(Some((key, value))),
            Some(c) if c.is_ascii_whitespace() => Ok(Some((key, value))),
            Some(_) => Ok(None),
        };
    }
    let open = i;
    loop {
        match b.get(i) {
            None => break,
            Some(c) if c.is_ascii_whitespace() => break,
            Some(b'\\') => i += 2,
            Some(b'"') => return Ok(None),
            Some(_) => i += 1,
        }
    }
    let i = i.min(b.len());
    *at = i;
    Ok(Some((key, b.get(open..i).unwrap_or_default())))
}

/// One parameter's key and raw value read as BIND's `svc_fromtext` reads them, its value in
/// wire format appended to `wire`; the key, or the reason BIND refuses it.
fn param_from_text(key: &[u8], raw: &[u8], wire: &mut Vec<u8>) -> Result<u16, Reason> {
    let exact = NAMES
        .iter()
        .find(|(n, _)| n.as_bytes() == key)
        .map(|&(_, k)| k);
    let Some(k) = exact else {
        // A name in another case, or `keyN`: the value is read as a string, then checked as
        // the key's wire format.
        let k = key_from_text(key)?;
        let start = wire.len();
        unescape(raw, wire)?;
        validate(k, wire.get(start..).unwrap_or_default())?;
        return Ok(k);
    };
    match k {
        MANDATORY => {
            if raw.is_empty() {
                return Err("mandatory without keys");
            }
            let mut keys = raw
                .split(|&c| c == b',')
                .map(key_from_text)
                .collect::<Result<Vec<u16>, Reason>>()?;
            keys.sort_unstable();
            if keys.windows(2).any(|w| w[0] == w[1]) {
                return Err("mandatory: a key twice");
            }
            for key in keys {
                wire.extend_from_slice(&key.to_be_bytes());
            }
        }
        ALPN => alpn_from_text(raw, wire)?,
        NO_DEFAULT_ALPN => {
            if !raw.is_empty() {
                return Err("no-default-alpn with a value");
            }
        }
        PORT => {
            let port = decimal_u16(raw).ok_or("port: not a number up to 65535")?;
            wire.extend_from_slice(&port.to_be_bytes());
        }
        IPV4HINT => {
            for a in raw.split(|&c| c == b',') {
                let a: Ipv4Addr = std::str::from_utf8(a)
                    .ok()
                    .and_then(|a| a.parse().ok())
                    .ok_or("ipv4hint: not an IPv4 address")?;
                wire.extend_from_slice(&a.octets());
            }
        }
        ECH => base64_decode(raw, wire)?,
        IPV6HINT => {
            for a in raw.split(|&c| c == b',') {
                let a: Ipv6Addr = std::str::from_utf8(a)
                    .ok()
                    .and_then(|a| a.parse().ok())
                    .ok_or("ipv6hint: not an IPv6 address")?;
                wire.extend_from_slice(&a.octets());
            }
        }
        _ => {
            let start = wire.len();
            unescape(raw, wire)?;
            validate(k, wire.get(start..).unwrap_or_default())?;
        }
    }
    Ok(k)
}

/// A key as BIND's `svc_keyfromregion` reads it: a name in any case, or `keyN` with `N`
/// decimal, without a sign or a leading zero, up to 65535.
fn key_from_text(t: &[u8]) -> Result<u16, Reason> {
    if let Some(&(_, k)) = NAMES
        .iter()
        .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(t))
    {
        return Ok(k);
    }
    let digits = t.strip_prefix(b"key").ok_or("unknown SvcParam key")?;
    if digits.len() > 1 && digits.first() == Some(&b'0') {
        return Err("SvcParam key number with a leading zero");
    }
    decimal_u16(digits).ok_or("unknown SvcParam key")
}

/// A string's escapes undone (`\DDD` up to 255, `\X` as `X`), as BIND's `multitxt_fromtext`.
fn unescape(raw: &[u8], out: &mut Vec<u8>) -> Result<(), Reason> {
    let mut i = 0;
    while let Some(&c) = raw.get(i) {
        if c == b'\\' {
            let (byte, used) = escape(raw.get(i + 1..).unwrap_or_default())
                .ok_or("SvcParam value with a bad escape")?;
            out.push(byte);
            i += 1 + used;
        } else {
            out.push(c);
            i += 1;
        }
    }
    Ok(())
}

/// An `alpn` value as BIND's `commatxt_fromtext` reads it, in wire format (each id behind its
/// length): the string escapes undone first, then the commas between ids cut, `\,` and `\\`
/// of that second level keeping a comma or a backslash in an id. So `h1\\,h2` is one id
/// `h1,h2`, while `h1\,h2` is two. Empty ids, ids over 255 bytes and escapes cut short are
/// refused.
fn alpn_from_text(raw: &[u8], wire: &mut Vec<u8>) -> Result<(), Reason> {
    const EMPTY: Reason = "alpn: an empty protocol";
    if raw.is_empty() {
        return Err(EMPTY);
    }
    let mut i = 0;
    let mut len_at = wire.len();
    wire.push(0);
    let mut comma_escape = false;
    while let Some(&c) = raw.get(i) {
        let c = if c == b'\\' {
            let (byte, used) =
                escape(raw.get(i + 1..).unwrap_or_default()).ok_or("alpn: a bad escape")?;
            i += 1 + used;
            byte
        } else {
            i += 1;
            c
        };
        if !comma_escape && c == b',' {
            if wire.len() == len_at + 1 {
                return Err(EMPTY);
            }
            if i >= raw.len() {
                return Err(EMPTY);
            }
            len_at = wire.len();
            wire.push(0);
            continue;
        }
        if !comma_escape && c == b'\\' {
            comma_escape = true;
            continue;
        }
        comma_escape = false;
        let Some(len) = wire.get_mut(len_at) else {
            return Err(EMPTY);
        };
        if *len == u8::MAX {
            return Err("alpn: a protocol over 255 bytes");
        }
        *len += 1;
        wire.push(c);
    }
    if comma_escape {
        return Err("alpn: a bad escape");
    }
    if wire.len() == len_at + 1 {
        return Err(EMPTY);
    }
    Ok(())
}

/// Base64 as BIND's `isc_base64_decodestring` reads it: white space skipped, padding to whole
/// quads required, nothing after it, and the bits the padding leaves over zero.
fn base64_decode(text: &[u8], out: &mut Vec<u8>) -> Result<(), Reason> {
    const BAD: Reason = "ech: bad base64";
    let mut quad = [0u8; 4];
    let mut n = 0;
    let mut ended = false;
    for &c in text {
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            continue;
        }
        if ended {
            return Err(BAD);
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => 64,
            _ => return Err(BAD),
        };
        if let Some(q) = quad.get_mut(n) {
            *q = v;
        }
        n += 1;
        if n < 4 {
            continue;
        }
        n = 0;
        let [a, b, c, d] = quad;
        if a == 64 || b == 64 || (c == 64 && d != 64) {
            return Err(BAD);
        }
        if (c == 64 && b & 0xf != 0) || (d == 64 && c & 0x3 != 0) {
            return Err(BAD);
        }
        let bits = |x: u8| u32::from(x & 63);
        let v = bits(a) << 18 | bits(b) << 12 | bits(c) << 6 | bits(d);
        let [_, x, y, z] = v.to_be_bytes();
        out.push(x);
        if c == 64 {
            ended = true;
            continue;
        }
        out.push(y);
        if d == 64 {
            ended = true;
            continue;
        }
        out.push(z);
    }
    if n != 0 {
        return Err(BAD);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use yapdns_core::test_rng::TestRng;

    /// The canonical form of `data`, or what else [`canonical`] answered.
    fn canon(data: &str) -> Result<String, Canonical> {
        let mut out = String::new();
        match canonical(data, &mut out) {
            Canonical::Written => Ok(out),
            other => Err(other),
        }
    }

    fn refused(data: &str) -> bool {
        matches!(canon(data), Err(Canonical::Refused(_)))
    }

    #[test]
    fn bind_good_svcb_zone_reads_as_bind_writes_it() {
        // bin/tests/system/checkzone/zones/good-svcb.db, as `named-compilezone` writes it.
        for (zone, bind) in [
            ("0 example.net.", "0 example.net."),
            (
                r#"1 . port=60 alpn=h3 ech="ZWFzdGVyIGVnZyE=""#,
                r#"1 . alpn="h3" port=60 ech=ZWFzdGVyIGVnZyE="#,
            ),
            (
                "2 . no-default-alpn alpn=alpn",
                r#"2 . alpn="alpn" no-default-alpn"#,
            ),
            (r#"3 . ipv4hint="10.10.10.10""#, "3 . ipv4hint=10.10.10.10"),
            (r#"4 . ipv6hint="feed:a::bee""#, "4 . ipv6hint=feed:a::bee"),
            (r#"5 . key9999="something""#, r#"5 . key9999="something""#),
            (
                "6 . mandatory=port,alpn port=60 alpn=h3",
                r#"6 . mandatory=alpn,port alpn="h3" port=60"#,
            ),
            (
                "7 . mandatory=port,alpn port=60 alpn=h1,h3",
                r#"7 . mandatory=alpn,port alpn="h1,h3" port=60"#,
            ),
            (
                r#"8 . mandatory=port,alpn port=60 alpn="h1\\,h2,h3""#,
                r#"8 . mandatory=alpn,port alpn="h1\\,h2,h3" port=60"#,
            ),
            ("0 44._svbc.example.net.", "0 44._svbc.example.net."),
        ] {
            assert_eq!(canon(zone).as_deref(), Ok(bind), "{zone}");
            // What BIND writes reads back as itself.
            assert_eq!(canon(bind).as_deref(), Ok(bind), "{bind}");
        }
    }

    #[test]
    fn values_as_bind_writes_them() {
        for (zone, bind) in [
            // Keys by number; numbered forms of named keys by name, their values as wire.
            (
                r#"1 Svc.Example.NET. key3="\000\060" key1="\002h2""#,
                r#"1 svc.example.net. alpn="h2" port=60"#,
            ),
            ("01 . port=0080", "1 . port=80"),
            // dohpath (key 7) is written `key7` by BIND 9.18.
            (
                r#"1 . alpn=h2 dohpath=/dns-query{?dns}"#,
                r#"1 . alpn="h2" key7="/dns-query{?dns}""#,
            ),
            // Value-less keys, whatever the spelling.
            ("1 . key65535 key123=\"\" ech", "1 . ech key123 key65535"),
            (
                "1 . ipv6hint=2001:DB8:0:0:0:0:0:1,::ffff:192.0.2.1,::192.0.2.1",
                "1 . ipv6hint=2001:db8::1,::ffff:192.0.2.1,::192.0.2.1",
            ),
            (
                "1 . ipv4hint=192.0.2.1,198.51.100.2",
                "1 . ipv4hint=192.0.2.1,198.51.100.2",
            ),
            // The two escape levels of alpn: `\,` cuts, `\\,` keeps a comma; `\\\\` is a
            // backslash; other bytes as \DDD.
            (r#"1 . alpn=a\,b"#, r#"1 . alpn="a,b""#),
            (r#"1 . alpn="a\\\\b""#, r#"1 . alpn="a\\\\b""#),
            (
                r#"1 . alpn=part1\044part3\092,part4"#,
                r#"1 . alpn="part1,part3\\,part4""#,
            ),
            (r#"1 . alpn="h\"2" "#, r#"1 . alpn="h\"2""#),
            (r#"1 . alpn="h 2""#, r#"1 . alpn="h\0322""#),
            (
                r#"1 . key7000="a b\"c\\d\255""#,
                r#"1 . key7000="a b\"c\\d\255""#,
            ),
            // Names: lower case, escapes as BIND writes them.
            (r#"1 A\.b.\067. alpn=h2"#, r#"1 a\.b.c. alpn="h2""#),
            (r#"1 a\032b. alpn=h2"#, r#"1 a\032b. alpn="h2""#),
            (
                r#"1 MANDATORY.com. mandatory=Port,ALPN alpn=h2 port=1"#,
                r#"1 mandatory.com. mandatory=alpn,port alpn="h2" port=1"#,
            ),
            ("1 . ech=\"ZWFz dGVy\"", "1 . ech=ZWFzdGVy"),
        ] {
            assert_eq!(canon(zone).as_deref(), Ok(bind), "{zone}");
            assert_eq!(canon(bind).as_deref(), Ok(bind), "{bind}");
        }
    }

    #[test]
    fn what_bind_refuses_is_refused() {
        for bad in [
            "",
            "1",
            "x .",
            "65536 .",
            "1 . alpn=h2 alpn=h3",
            "1 . alpn=h2 key1=\"\\002h3\"",
            "1 . unknown=wha",
            "1 . key01=x",
            "1 . key65536",
            "1 . key+1",
            "1 . mandatory=alpn",
            "1 . mandatory",
            "1 . mandatory=alpn, alpn=h2",
            "1 . mandatory=alpn,alpn alpn=h2",
            "1 . mandatory=mandatory alpn=h2",
            "1 . mandatory=port alpn=h2",
            // A named key in another case is read as `keyN`: its value as wire format.
            "1 . MANDATORY=port alpn=h2 port=1",
            "1 . no-default-alpn",
            "1 . no-default-alpn=x alpn=h2",
            "1 . alpn",
            "1 . alpn=",
            "1 . alpn=,h2",
            "1 . alpn=h2,",
            "1 . alpn=h2,,h3",
            "1 . alpn=h2\\",
            "1 . alpn=h\\2",
            "1 . alpn=h\\256",
            "1 . ALPN=h2",
            "1 . port",
            "1 . port=65536",
            "1 . port=-1",
            "1 . port=\\060",
            "1 . ipv4hint",
            "1 . ipv4hint=1.2.3",
            "1 . ipv4hint=01.2.3.4",
            "1 . ipv4hint=1.2.3.4,",
            "1 . ipv4hint=\"1.2.3.4, 5.6.7.8\"",
            "1 . ipv6hint=1::2::3",
            "1 . ipv6hint=1.2.3.4",
            "1 . ech=ZWFzdGVy=",
            "1 . ech=ZWFzdGVyIGVnZyE",
            "1 . ech=ZWE=ZWE=",
            "1 . ech=ZWF=",
            "1 . ech=!!!!",
            "1 . dohpath=/q",
            "1 . dohpath=q{?dns}",
            "1 . key7=x",
            "1 . key3=\"1\"",
            "1 . \"alpn=h2\"",
            "1 . key9=\"unclosed",
            "1 a..b. alpn=h2",
            "1 a\\25. alpn=h2",
            "0 . alpn=h2",
        ] {
            assert!(refused(bad), "{bad:?}: {:?}", canon(bad));
        }
        let long_label = format!("1 {}. alpn=h2", "a".repeat(64));
        assert!(refused(&long_label));
        let long_name = format!("1 {}alpn=h2", "abcdefghi.".repeat(26));
        assert!(refused(&long_name));
    }

    #[test]
    fn uncertain_text_is_kept() {
        for keep in [
            "1 \"quoted.\" alpn=h2",
            "1 . key9=a\"b",
            "1 . key9=\"a\"b",
            "1 relative alpn=h2",
        ] {
            assert_eq!(canon(keep), Err(Canonical::AsWritten), "{keep:?}");
        }
    }

    #[test]
    fn wire_data_reads_as_its_text() {
        let mut out = String::new();
        let wire = [
            0, 1, 3, b'S', b'v', b'C', 0, 0, 1, 0, 3, 2, b'h', b'2', 0, 3, 0, 2, 0x1f, 0x90,
        ];
        from_wire(&wire, &mut out).unwrap();
        assert_eq!(out, r#"1 svc. alpn="h2" port=8080"#);
        for bad in [
            &[0u8][..],
            &[0, 1, 3, b'a'],
            &[0, 0, 0, 0, 3, 0, 2, 0, 80],
            &[0, 1, 0, 0, 3, 0, 2, 0, 80, 0, 1, 0, 3, 2, b'h', b'2'],
            &[0, 1, 0, 0, 0, 0, 2, 0, 3],
            &[0, 1, 0, 0, 2, 0, 0],
            &[0, 1, 0, 0, 3, 0, 3, 0, 80, 0],
        ] {
            out.clear();
            assert!(from_wire(bad, &mut out).is_err(), "{bad:?}");
        }
    }

    /// Random parameters written from wire format read back as the same text, and as the
    /// same wire format: the reader and the writer agree.
    #[test]
    fn written_text_reads_back_as_itself() {
        let mut rng = TestRng::new(0x5ecb);
        let mut checked = 0;
        for _ in 0..20_000 {
            let mut wire = vec![0, 1 + rng.below(3) as u8];
            for _ in 0..rng.below(3) {
                let len = 1 + rng.below(4);
                wire.push(len as u8);
                for _ in 0..len {
                    wire.push(rng.below(256) as u8);
                }
            }
            wire.push(0);
            let mut key = 0u16;
            for _ in 0..rng.below(5) {
                // Keys rise; the last key, 65535, ends the list.
                let Some(next) = key.checked_add(1 + rng.below(4) as u16) else {
                    break;
                };
                key = next;
                if rng.below(8) == 0 {
                    key = key.saturating_add(rng.below(60_000) as u16);
                }
                let value: Vec<u8> = match key {
                    1 => {
                        let mut v = Vec::new();
                        for _ in 0..1 + rng.below(3) {
                            let l = 1 + rng.below(4);
                            v.push(l as u8);
                            for _ in 0..l {
                                v.push(rng.below(256) as u8);
                            }
                        }
                        v
                    }
                    2 => Vec::new(),
                    3 => vec![rng.below(256) as u8, rng.below(256) as u8],
                    4 => (0..4 * (1 + rng.below(2)))
                        .map(|_| rng.below(256) as u8)
                        .collect(),
                    6 => (0..16 * (1 + rng.below(2)))
                        .map(|_| {
                            if rng.below(2) == 0 {
                                0
                            } else {
                                rng.below(256) as u8
                            }
                        })
                        .collect(),
                    7 => b"/q{?dns}".to_vec(),
                    _ => (0..rng.below(6)).map(|_| rng.below(256) as u8).collect(),
                };
                wire.extend_from_slice(&key.to_be_bytes());
                wire.extend_from_slice(&(value.len() as u16).to_be_bytes());
                wire.extend_from_slice(&value);
            }
            let mut text = String::new();
            if from_wire(&wire, &mut text).is_err() {
                continue;
            }
            assert_eq!(canon(&text).as_deref(), Ok(text.as_str()), "{wire:?}");
            checked += 1;
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn garbage_never_panics() {
        let mut rng = TestRng::new(7);
        let alphabet = b" .=,\"\\019aklnptvy-+AH{}?/";
        let mut out = String::new();
        for _ in 0..50_000 {
            let s: String = (0..rng.below(40))
                .map(|_| char::from(alphabet[rng.below(alphabet.len())]))
                .collect();
            let _ = canonical(&format!("1 . {s}"), &mut out);
            let _ = canonical(&s, &mut out);
            let b: Vec<u8> = (0..rng.below(30)).map(|_| rng.below(256) as u8).collect();
            out.clear();
            let _ = from_wire(&b, &mut out);
        }
    }
}

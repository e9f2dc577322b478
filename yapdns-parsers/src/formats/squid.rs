//! Squid `access.log`: the name a client asked the proxy for, and the address Squid connected to
//! for it — the result of Squid's own DNS lookup.
//!
//! Grammar, one request per line (fields separated by one or more spaces; `elapsed` is
//! right-aligned):
//!
//! ```text
//! line      = native / custom / common / splunk / syslog-hdr ": " ( native / custom / common / splunk )
//!           / rfc5424-hdr ( native / custom / common / splunk )   ; OPNsense's remote syslog
//! native    = time SP elapsed SP client SP action "/" status SP bytes SP method SP url
//!             SP user SP hierarchy [ SP type [ SP extra ... ] ]        ; logformat squid
//! time      = epoch-seconds [ "." milliseconds ]                      ; 1458125386.123
//! custom    = time *( SP field ) SP action "/" status *( SP field ) SP method SP url
//!             *( SP field ) SP hierarchy *( SP field )                ; fields added or moved
//! common    = client SP ident SP user SP "[" clf-time "]" SP DQUOTE method SP url [ SP version ] DQUOTE
//!             SP status SP bytes [ ... ] [ SP hierarchy ] [ SP "[" headers "]" SP "[" headers "]" ]
//! clf-time  = dd "/" Mon "/" yyyy ":" hh ":" mm ":" ss [ "." fraction ] SP ( "+" / "-" ) hhmm
//! splunk    = time " logformat=splunk_recommended_squid" *( SP key "=" value )   ; Splunk's add-on
//!             ; read: dest_ip (%<a), http_method, url="…", dest_status (%Sh), the last one
//! hierarchy = [ "TIMEOUT_" ] code "/" peer                             ; HIER_DIRECT/93.184.216.34
//! peer      = IPv4 / IPv6 / "[" IPv6 "]" / host-name / "-"
//! url       = scheme "://" [ userinfo "@" ] host [ ":" port ] [ path ]
//!           / host ":" port                                           ; CONNECT, intercepted TLS
//!           / "error:" detail / "-"                                   ; requests Squid could not parse
//! ```
//!
//! `custom` is a `logformat` of Squid's own that keeps the native fields in their order but adds
//! others among them (Elastic's test log adds the client port and four sizes): it is taken only
//! when the line is not native (its ninth field is no `CODE/peer`), and only with all four
//! marks, a known hierarchy code among them. A line that is neither is a `syntax` error, never a
//! line without an answer.
//!
//! `common` is Squid's `logformat common` / `combined` (or an Apache-style custom format); the
//! hierarchy field is the line's last field, before any `log_mime_hdrs` blocks. Squid's own
//! built-in common and combined formats end with `%Ss:%Sh` (`TCP_MISS:HIER_DIRECT`), which names
//! no address, so only custom formats that append `%Sh/%<a` yield associations.
//!
//! What a line yields: one association `host A|AAAA peer` at the line's time, where `host` is
//! the URL's host (or the CONNECT target's) and `peer` the server address in the hierarchy
//! field; the record type follows the address family (an IPv4-mapped IPv6 peer is an A record).
//! The association says "Squid resolved this name to this address": behind a CNAME chain the
//! address belongs to the chain's target, which Squid does not log.
//!
//! Only hierarchy codes whose peer is the origin server yield: `HIER_DIRECT` / `DIRECT`,
//! `CLOSEST_DIRECT`, `SOURCE_FASTEST`, `NO_PARENT_DIRECT`, `NO_CACHE_DIGEST_DIRECT`,
//! `ORIGINAL_DST` (intercepted traffic: the address the client itself connected to, which Squid
//! checks against the Host header unless `host_verify_strict off` let a mismatch through) and
//! `PINNED` (a server connection pinned by SSL-Bump or connection-oriented authentication; it
//! names a `cache_peer` only when such authentication is forwarded to a parent with
//! `connection-auth=on`), each with an optional `TIMEOUT_` prefix. Parents and siblings
//! (`FIRSTUP_PARENT`, `DEFAULT_PARENT`, `CARP`, `STANDBY_POOL`, … and any unknown code) are
//! proxies, not the origin server, and yield nothing.
//!
//! What a line cannot yield, counted as [`Outcome::NoAnswer`] without a record: cache hits and
//! denials (`HIER_NONE/-`, `NONE/-`), parent and sibling fetches, a peer written as a host name
//! (Squid before v5 with `log_ip_on_direct off` logs the origin's name instead of its address),
//! URLs whose host is an IP literal (`http://[::1]/`, `CONNECT 10.0.0.1:443`; dotted, short and
//! decimal IPv4 forms alike), and requests with no host (`error:invalid-request`). The
//! `common`/`combined` formats without a `%Sh/%<a` field never carry an address.

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use chrono::NaiveDate;
use memchr::{memchr, memmem, memrchr};
use nom::bytes::complete::{take_till, take_till1};
use nom::character::complete::{char, space0, space1};
use nom::sequence::delimited;
use nom::IResult;
use std::fmt::Write as _;

use yapdns_core::{
    normalize_name, normalize_name_in, normalize_rdata_in, AssociationView, RrType, SourceTag,
    Sources, Timestamp,
};

use crate::bytes::{byte_mask, has_upper};
use crate::error::{ErrorKind, ParseError};
use crate::formats::{syslog_prefix, FormatParser};
use crate::options::{month_from_abbr, ParseOptions};
use crate::record::{Emit, Outcome};

/// Parser state: the source tag and buffers for text that needs normalising (every line
/// stands alone).
pub struct Parser {
    sources: Sources,
    name_buf: String,
    rdata_buf: String,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`. Squid writes UTC epoch times or
    /// times with an offset, so the time-zone and year rules do not apply.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            sources: Sources::one(SourceTag::new("squid", opts.sensor.as_deref())),
            name_buf: String::new(),
            rdata_buf: String::new(),
        }
    }
}

/// The fields of one line that matter here.
#[derive(Debug, PartialEq, Eq)]
struct Entry<'a> {
    time: Timestamp,
    /// `ACTION/status` in native lines; empty in common lines.
    action: &'a [u8],
    method: &'a [u8],
    url: &'a [u8],
    /// The `code/peer` field, when the line has one.
    hierarchy: Option<&'a [u8]>,
}

/// One field: bytes up to a space or tab.
fn field(i: &[u8]) -> IResult<&[u8], &[u8]> {
    take_till1(|b| b == b' ' || b == b'\t')(i)
}

/// A whole field `epoch-seconds [ "." fraction ]` as a timestamp (the fraction read as
/// milliseconds, at most twelve digits of seconds); `None` for anything else, a dot without
/// digits after it included.
#[inline(always)]
fn epoch(field: &[u8]) -> Option<Timestamp> {
    // `%ts.%03tu`, Squid's own format: ten digits of seconds (from 2001 to 2286) and three of
    // milliseconds, the first eight read at once.
    if let (14, Some(head), Some(b'.')) = (field.len(), field.get(..8), field.get(10)) {
        let d = |i: usize| {
            let d = field.get(i).map_or(0xff, |c| c.wrapping_sub(b'0'));
            (d < 10).then_some(i64::from(d))
        };
        if let (Some(high), Some(s9), Some(s10), Some(m1), Some(m2), Some(m3)) =
            (eight_digits(head), d(8), d(9), d(11), d(12), d(13))
        {
            let secs = high as i64 * 100 + s9 * 10 + s10;
            return Some(Timestamp::from_millis(
                secs * 1000 + m1 * 100 + m2 * 10 + m3,
            ));
        }
    }
    let digit = |i: usize| {
        field
            .get(i)
            .map(|c| c.wrapping_sub(b'0'))
            .filter(|&d| d < 10)
    };
    // Twelve digits at most, so no sum below can overflow.
    let mut secs = 0i64;
    let mut i = 0;
    while let Some(d) = digit(i) {
        if i == 12 {
            return None;
        }
        secs = secs * 10 + i64::from(d);
        i += 1;
    }
    if i == 0 {
        return None;
    }
    let mut ms = secs * 1000;
    match field.get(i) {
        None => {}
        Some(b'.') => {
            let frac = field.get(i + 1..).unwrap_or_default();
            if frac.is_empty() {
                return None;
            }
            // Milliseconds: the first three digits; the others are checked and dropped.
            for (k, &c) in frac.iter().enumerate() {
                let d = c.wrapping_sub(b'0');
                if d > 9 {
                    return None;
                }
                let scale = match k {
                    0 => 100,
                    1 => 10,
                    2 => 1,
                    _ => 0,
                };
                ms += i64::from(d) * scale;
            }
        }
        Some(_) => return None,
    }
    Some(Timestamp::from_millis(ms))
}

/// The value of eight ASCII digits, read as one word; `None` unless all eight are digits.
fn eight_digits(b: &[u8]) -> Option<u64> {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    const HIGH: u64 = 0xf0f0_f0f0_f0f0_f0f0;
    let w = u64::from_le_bytes(b.try_into().ok()?);
    // Each byte is 0x30 to 0x39: its high half is 3, and stays 3 when 6 is added.
    if w & HIGH != ZEROS || w.wrapping_add(0x0606_0606_0606_0606) & HIGH != ZEROS {
        return None;
    }
    // The first digit is the lowest byte: pairs, then fours, then all eight.
    let d = w - ZEROS;
    let d = (d * 10 + (d >> 8)) & 0x00ff_00ff_00ff_00ff;
    let d = (d * 100 + (d >> 16)) & 0x0000_ffff_0000_ffff;
    Some((d * 10_000 + (d >> 32)) & 0xffff_ffff)
}

/// The value of a run of ASCII digits (callers bound its length).
fn digits_value(d: &[u8]) -> i64 {
    d.iter().fold(0i64, |n, &b| {
        n.saturating_mul(10).saturating_add(i64::from(b - b'0'))
    })
}

/// `0x80` in every byte of `chunk` that is a space, `0` in the others.
fn space_mask(chunk: &[u8]) -> u64 {
    byte_mask(chunk, b' ')
}

/// The first nine fields of `line` (runs of spaces separate fields; `elapsed` is
/// right-aligned), `None` when there are fewer. Spaces are found eight bytes at a time: the
/// fields are too short for `memchr`'s set-up to pay off and too long for a byte loop. Field
/// bounds are kept as numbers while scanning (no slice is made
/// and checked at every space), in slots of which a line fills at most twelve: at most four
/// fields end in the eight bytes read after the eighth.
fn nine_fields(line: &[u8]) -> Option<[&[u8]; 9]> {
    let (mut starts, mut ends) = ([0usize; 16], [0usize; 16]);
    let mut n = 0;
    let mut start = 0;
    let mut chunks = line.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let mut mask = space_mask(c);
        while mask != 0 {
            let p = at + (mask.trailing_zeros() / 8) as usize;
            mask &= mask - 1;
            starts[n & 15] = start;
            ends[n & 15] = p;
            // A space after a space ends no field.
            n += usize::from(p > start);
            start = p + 1;
        }
        if n >= 9 {
            break;
        }
        at += 8;
    }
    if n < 9 {
        let rest = chunks.remainder().iter().enumerate();
        for p in rest.filter(|&(_, &b)| b == b' ').map(|(j, _)| at + j) {
            starts[n & 15] = start;
            ends[n & 15] = p;
            n += usize::from(p > start);
            start = p + 1;
        }
        starts[n & 15] = start;
        ends[n & 15] = line.len();
        n += usize::from(line.len() > start);
    }
    if n < 9 {
        return None;
    }
    let field = |k: usize| line.get(starts[k]..ends[k]);
    Some([
        field(0)?,
        field(1)?,
        field(2)?,
        field(3)?,
        field(4)?,
        field(5)?,
        field(6)?,
        field(7)?,
        field(8)?,
    ])
}

/// `logformat squid`: time and eight more fields; anything after them is ignored.
fn native(line: &[u8]) -> Option<Entry<'_>> {
    let [time, _elapsed, _client, action, _bytes, method, url, _user, hierarchy] =
        nine_fields(line)?;
    let time = epoch(time)?;
    Some(Entry {
        time,
        action,
        method,
        url,
        hierarchy: Some(hierarchy),
    })
}

/// `dd/Mon/yyyy:hh:mm:ss[.fff] +zzzz` as a timestamp: Squid's `%tl`, or with milliseconds
/// where a custom format writes them (frontier-squid's `%{%d/%b/%Y:%H:%M:%S.%03tu %z}tl`).
fn clf_time(s: &[u8]) -> Option<Timestamp> {
    let num = |r: &[u8]| -> Option<u32> {
        if r.is_empty() || r.len() > 9 || !r.iter().all(u8::is_ascii_digit) {
            return None;
        }
        u32::try_from(digits_value(r)).ok()
    };
    // 0123456789012345678901234567
    // 29/Nov/2026:19:24:38 +0100
    // 29/Nov/2026:19:24:38.010 +0100
    let space = memchr(b' ', s)?;
    let (date, zone) = (s.get(..space)?, s.get(space + 1..)?);
    if date.len() < 20
        || zone.len() != 5
        || date.get(2) != Some(&b'/')
        || date.get(6) != Some(&b'/')
    {
        return None;
    }
    let day = num(date.get(0..2)?)?;
    let month = month_from_abbr(date.get(3..6)?)?;
    let year = i32::try_from(num(date.get(7..11)?)?).ok()?;
    if date.get(11) != Some(&b':') || date.get(14) != Some(&b':') || date.get(17) != Some(&b':') {
        return None;
    }
    let (h, m, sec) = (
        num(date.get(12..14)?)?,
        num(date.get(15..17)?)?,
        num(date.get(18..20)?)?,
    );
    // Milliseconds: the first three digits of a fraction; the others are checked and dropped.
    let ms = match date.get(20..) {
        Some([]) => 0,
        Some([b'.', frac @ ..]) if !frac.is_empty() && frac.len() <= 9 => {
            num(frac)?;
            frac.iter()
                .chain([b'0'; 3].iter())
                .take(3)
                .fold(0i64, |ms, &d| ms * 10 + i64::from(d - b'0'))
        }
        _ => return None,
    };
    let sign = match zone.first()? {
        b'+' => 1i64,
        b'-' => -1,
        _ => return None,
    };
    let (oh, om) = (num(zone.get(1..3)?)?, num(zone.get(3..5)?)?);
    if oh > 23 || om > 59 {
        return None;
    }
    let dt = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(h, m, sec)?;
    let offset_ms = sign * (i64::from(oh) * 3600 + i64::from(om) * 60) * 1000;
    Some(Timestamp::from_millis(
        dt.and_utc().timestamp_millis() + ms - offset_ms,
    ))
}

/// `logformat common` / `combined` and custom Apache-style formats.
fn common(i: &[u8]) -> IResult<&[u8], Entry<'_>> {
    let (i, _) = space0(i)?;
    let (i, _client) = field(i)?;
    let (i, _) = space1(i)?;
    let (i, _ident) = field(i)?;
    let (i, _) = space1(i)?;
    let (i, _user) = field(i)?;
    let (i, _) = space1(i)?;
    let start = i;
    let (i, date) = delimited(char('['), take_till1(|b| b == b']'), char(']'))(i)?;
    let time = clf_time(date).ok_or_else(|| {
        nom::Err::Error(nom::error::Error::new(start, nom::error::ErrorKind::Verify))
    })?;
    let (i, _) = space1(i)?;
    let (rest, request) = delimited(char('"'), take_till(|b| b == b'"'), char('"'))(i)?;
    let mut words = request.split(|&b| b == b' ').filter(|w| !w.is_empty());
    let method = words.next().unwrap_or_default();
    let url = words.next().unwrap_or_default();
    Ok((
        &[],
        Entry {
            time,
            action: &[],
            method,
            url,
            hierarchy: last_field(rest),
        },
    ))
}

/// The last field of `rest`, past any `log_mime_hdrs` blocks.
fn last_word(rest: &[u8]) -> Option<&[u8]> {
    let mut r = trim(rest);
    // `[request headers] [reply headers]`: Squid %-encodes brackets inside them.
    while r.last() == Some(&b']') {
        let open = memrchr(b'[', r)?;
        r = trim(r.get(..open)?);
    }
    let start = r
        .iter()
        .rposition(|&b| b == b' ' || b == b'\t')
        .map_or(0, |p| p + 1);
    r.get(start..)
}

/// The last field of the rest of a common-format line, past any `log_mime_hdrs` blocks.
fn last_field(rest: &[u8]) -> Option<&[u8]> {
    let last = last_word(rest)?;
    // The field must be `CODE/peer` to be a hierarchy field; `%Ss:%Sh` carries no peer.
    let slash = memchr(b'/', last)?;
    is_code(last.get(..slash)?).then_some(last)
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |p| p + 1);
    s.get(start..end).unwrap_or_default()
}

/// Reads a line in any of the supported layouts.
fn entry(line: &[u8]) -> Option<Entry<'_>> {
    if let Some(e) = layout(line) {
        return Some(e);
    }
    // `<PRI>1 2026-03-24T00:17:39+01:00 fw (squid-1) 6802 - [meta …] <line>`: RFC 5424, as
    // OPNsense sends it to a remote collector when asked to.
    if line.starts_with(b"<") {
        let h = syslog_prefix::head(line);
        if h.tag.is_some() {
            if let Some(e) = layout(h.rest) {
                return Some(e);
            }
        }
    }
    // `Nov 17 22:12:41 proxy (squid-1): <line>` from `access_log syslog:`.
    let colon = memmem::find(line, b": ")?;
    layout(line.get(colon + 2..)?)
}

fn layout(line: &[u8]) -> Option<Entry<'_>> {
    let first = trim(line).first()?;
    if first.is_ascii_digit() {
        if let Some(mut e) = native(line).filter(|e| e.hierarchy.is_some_and(is_hierarchy)) {
            // A later hierarchy field is the line's own: the ninth field was part of a URL
            // with spaces in it (`uri_whitespace allow`), text the client chose.
            if let Some(h) = e.hierarchy {
                let rest = line.get(offset(line, h) + h.len()..).unwrap_or_default();
                if let Some(last) = has_upper(rest).then(|| last_hierarchy(rest)).flatten() {
                    e.hierarchy = Some(last);
                }
            }
            return Some(e);
        }
        if let Some(e) = custom(line) {
            return Some(e);
        }
    }
    common(line).ok().map(|(_, e)| e)
}

/// 1973-03-03, the first time of nine digits: a smaller first number is no record's time (the
/// elapsed time of a line whose time was cut off).
const MIN_EPOCH: i64 = 100_000_000;

/// Fields of a custom `logformat` that keeps Squid's native fields but adds or moves some
/// (`%>p`, request and reply sizes, `%<a` beside `%Sh/%<a`, quoted headers…): an epoch time
/// first (of nine digits at least, 1973 on: a smaller number is the elapsed time of a line
/// whose time was cut off, such as the excerpts in OSSEC's docs), then, in this order among the next 64 fields, an `ACTION/status` field, a method
/// followed by its URL, and a `code/peer` hierarchy field. A line without all four is no
/// Squid line this reader knows, and is reported, never taken as a line without an answer.
#[cold]
#[inline(never)]
fn custom(line: &[u8]) -> Option<Entry<'_>> {
    let mut fields = line
        .split(|&b| b == b' ' || b == b'\t')
        .filter(|f| !f.is_empty())
        .take(64);
    let time = epoch(fields.next()?).filter(|t| t.secs() >= MIN_EPOCH)?;
    let action = fields.by_ref().find(|f| is_action(f))?;
    let mut prev: &[u8] = &[];
    let (method, url) = loop {
        let f = fields.next()?;
        // `- error:transaction-end-before-headers`: a client that connected and closed.
        if is_method(prev) || (prev == b"-" && f.starts_with(b"error:")) {
            break (prev, f);
        }
        prev = f;
    };
    let url_end = offset(line, url) + url.len();
    let hierarchy = last_hierarchy(line.get(url_end..)?)?;
    Some(Entry {
        time,
        action,
        method,
        url,
        hierarchy: Some(hierarchy),
    })
}

/// The last field of `rest` with a known hierarchy code, outside quoted strings and the
/// `[…]` blocks of `log_mime_hdrs`: text a client chose (a header, a URL with spaces in it
/// under `uri_whitespace allow`) can hold one, and comes before the real field in every
/// layout Squid writes, or inside quotes or brackets.
fn last_hierarchy(rest: &[u8]) -> Option<&[u8]> {
    let mut last = None;
    // The byte that closes the quoted string or block a field opened, while inside one.
    let mut inside: Option<u8> = None;
    for f in rest
        .split(|&b| b == b' ' || b == b'\t')
        .filter(|f| !f.is_empty())
    {
        if let Some(close) = inside {
            if f.last() == Some(&close) {
                inside = None;
            }
            continue;
        }
        match f.first() {
            Some(&b'"') if f.len() == 1 || f.last() != Some(&b'"') => inside = Some(b'"'),
            Some(&b'[') if f.last() != Some(&b']') => inside = Some(b']'),
            Some(&(b'"' | b'[')) => {}
            _ if is_known_hierarchy(f) => last = Some(f),
            _ => {}
        }
    }
    last
}

/// `ACTION/status`: `TCP_MISS/200`, `NONE_NONE/000`, `TCP_DENIED/403`.
fn is_action(f: &[u8]) -> bool {
    split(f, b'/').is_some_and(|(a, st)| {
        is_upper_word(a) && !st.is_empty() && st.iter().all(u8::is_ascii_digit)
    })
}

/// A request method: `GET`, `CONNECT`, `PROPFIND`, `NONE` (requests Squid could not parse),
/// `VERSION-CONTROL`.
fn is_method(f: &[u8]) -> bool {
    (3..=24).contains(&f.len()) && is_upper_word(f)
}

/// Upper-case letters, `_` and `-`, at least one.
fn is_upper_word(s: &[u8]) -> bool {
    !s.is_empty()
        && s.iter()
            .all(|c| c.is_ascii_uppercase() || *c == b'_' || *c == b'-')
}

/// `CODE/peer`: `HIER_DIRECT/192.0.2.1`, `HIER_NONE/-`, or a code a later Squid may add
/// (which yields nothing, see the module documentation).
#[inline(always)]
fn is_hierarchy(f: &[u8]) -> bool {
    // One pass over the code (a dozen bytes): cheaper than a search for the slash first.
    for (i, &c) in f.iter().enumerate() {
        match c {
            b'/' => return i > 0,
            b'A'..=b'Z' | b'_' | b'-' => {}
            _ => return false,
        }
    }
    false
}

/// [`is_hierarchy`] with a code Squid is known to write: where a field's place is not known
/// ([`custom`]), only a known code marks it.
fn is_known_hierarchy(f: &[u8]) -> bool {
    split(f, b'/').is_some_and(|(code, _)| is_code(code))
}

/// Squid's hierarchy codes (`hier_code.h`, Squid 2 to 7), for telling a hierarchy field from
/// any other `word/word` token.
const HIERARCHY_CODES: &[&[u8]] = &[
    b"NONE",
    b"DIRECT",
    b"SIBLING_HIT",
    b"PARENT_HIT",
    b"DEFAULT_PARENT",
    b"SINGLE_PARENT",
    b"FIRSTUP_PARENT",
    b"FIRST_UP_PARENT",
    b"NO_PARENT_DIRECT",
    b"FIRST_PARENT_MISS",
    b"CLOSEST_PARENT_MISS",
    b"CLOSEST_PARENT",
    b"CLOSEST_DIRECT",
    b"NO_DIRECT_FAIL",
    b"SOURCE_FASTEST",
    b"ROUNDROBIN_PARENT",
    b"CD_PARENT_HIT",
    b"CD_SIBLING_HIT",
    b"CACHE_DIGEST_HIT",
    b"NO_CACHE_DIGEST_DIRECT",
    b"CARP",
    b"ANY_PARENT",
    b"ANY_OLD_PARENT",
    b"USERHASH_PARENT",
    b"SOURCEHASH_PARENT",
    b"PINNED",
    b"ORIGINAL_DST",
    b"STANDBY_POOL",
];

/// The code without its `TIMEOUT_` and `HIER_` prefixes.
fn bare_code(code: &[u8]) -> &[u8] {
    let c = code.strip_prefix(b"TIMEOUT_".as_slice()).unwrap_or(code);
    c.strip_prefix(b"HIER_".as_slice()).unwrap_or(c)
}

/// True for a known hierarchy code.
fn is_code(code: &[u8]) -> bool {
    HIERARCHY_CODES.contains(&bare_code(code))
}

/// True for the codes whose peer is the origin server (see the module documentation).
fn is_origin(code: &[u8]) -> bool {
    matches!(
        bare_code(code),
        b"DIRECT"
            | b"CLOSEST_DIRECT"
            | b"SOURCE_FASTEST"
            | b"NO_PARENT_DIRECT"
            | b"NO_CACHE_DIGEST_DIRECT"
            | b"ORIGINAL_DST"
            | b"PINNED"
    )
}

/// The origin server's address in a hierarchy field, as written.
#[derive(Debug, PartialEq, Eq)]
enum Peer<'a> {
    /// Dotted IPv4 text (checked when normalised).
    V4(&'a str),
    /// IPv6 text (checked and made canonical when normalised).
    V6(&'a str),
    /// An IPv4-mapped IPv6 address: the record was an A record.
    Mapped(Ipv4Addr),
}

/// The peer of a hierarchy field whose code names the origin server, as written (without the
/// brackets of an IPv6 address); `None` for other codes and an empty peer.
fn origin_peer_text(hierarchy: &[u8]) -> Option<&[u8]> {
    // The two codes of nearly every origin fetch (Squid 3 and later, and Squid 2), compared
    // whole before any search for the slash.
    let peer = if let Some(peer) = hierarchy.strip_prefix(b"HIER_DIRECT/".as_slice()) {
        peer
    } else if let Some(peer) = hierarchy.strip_prefix(b"DIRECT/".as_slice()) {
        peer
    } else {
        let slash = hierarchy.iter().position(|&b| b == b'/')?;
        if !is_origin(hierarchy.get(..slash)?) {
            return None;
        }
        hierarchy.get(slash + 1..)?
    };
    let peer = peer
        .strip_prefix(b"[".as_slice())
        .and_then(|p| p.strip_suffix(b"]".as_slice()))
        .unwrap_or(peer);
    (!peer.is_empty()).then_some(peer)
}

/// The origin server's address in a hierarchy field, when the code names the origin server and
/// the peer is an address (not `-`, not a host name).
fn origin_peer(hierarchy: &[u8]) -> Option<Peer<'_>> {
    peer_address(origin_peer_text(hierarchy)?)
}

/// A peer as written, when it is an address.
#[inline(always)]
fn peer_address(peer: &[u8]) -> Option<Peer<'_>> {
    // Only ASCII passes these tests, so the UTF-8 check cannot fail.
    if peer.iter().all(|b| b.is_ascii_digit() || *b == b'.') {
        return std::str::from_utf8(peer).ok().map(Peer::V4);
    }
    if peer.contains(&b':')
        && peer
            .iter()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.'))
    {
        let text = std::str::from_utf8(peer).ok()?;
        if peer.contains(&b'.') {
            if let Ok(v6) = text.parse::<Ipv6Addr>() {
                if let Some(v4) = v6.to_ipv4_mapped() {
                    return Some(Peer::Mapped(v4));
                }
            }
        }
        return Some(Peer::V6(text));
    }
    // A host name (`log_ip_on_direct off`) or something else that is no address.
    None
}

/// What the host part of a URL is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Host<'a> {
    /// A name, as written (maybe percent-encoded, maybe with a trailing dot).
    Name(&'a [u8]),
    /// An IP literal: no DNS was involved.
    Ip,
    /// No host: `error:…`, `data:…`, relative URLs, `file:///`.
    None,
}

/// The host of `url`: `scheme://[userinfo@]host[:port]…`, or, when `authority_form` (a CONNECT
/// request) or when followed by a numeric port, a bare `host[:port]`.
pub(crate) fn url_host(url: &[u8], authority_form: bool) -> Host<'_> {
    // `http://`, the scheme of most logged URLs, is known at once.
    let http = url.starts_with(b"http://");
    let scheme_end = if http {
        Some(4)
    } else {
        url.iter()
            .position(|&b| b == b':')
            .filter(|&c| url.get(c + 1..c + 3) == Some(b"//".as_slice()))
    };
    let (rest, need_port) = match scheme_end {
        Some(p) if http => (url.get(p + 3..).unwrap_or_default(), false),
        Some(p) => {
            let scheme = url.get(..p).unwrap_or_default();
            let scheme_ok = scheme.first().is_some_and(u8::is_ascii_alphabetic)
                && scheme
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
            if !scheme_ok {
                return Host::None;
            }
            (url.get(p + 3..).unwrap_or_default(), false)
        }
        None => (url, !authority_form),
    };
    // One pass over the authority: where it ends, its last `@`, its last `:` and how many
    // colons follow that `@` (two or more put one in the host). Most bytes are none of these,
    // which one table lookup says.
    let (mut end, mut at, mut colon, mut colons) = (rest.len(), None, None, 0);
    let class = |i: usize| rest.get(i).map(|&b| URL_BYTE[usize::from(b)]);
    let mut i = 0;
    loop {
        while class(i) == Some(URL_PLAIN) {
            i += 1;
        }
        match class(i) {
            None => break,
            Some(URL_END) if scheme_end.is_some() => {
                end = i;
                break;
            }
            Some(URL_AT) => {
                at = Some(i);
                colons = 0;
            }
            Some(URL_COLON) => {
                colon = Some(i);
                colons += 1;
            }
            Some(_) => {}
        }
        i += 1;
    }
    let host_start = at.map_or(0, |a| a + 1);
    let authority = rest.get(host_start..end).unwrap_or_default();
    if authority.first() == Some(&b'[') {
        return Host::Ip;
    }
    let (host, port) = match colon.filter(|&c| c >= host_start) {
        Some(c) => (
            rest.get(host_start..c).unwrap_or_default(),
            rest.get(c + 1..end),
        ),
        None => (authority, None),
    };
    if need_port && !port.is_some_and(|p| !p.is_empty() && p.iter().all(u8::is_ascii_digit)) {
        return Host::None;
    }
    if host.is_empty() {
        return Host::None;
    }
    // An unbracketed IPv6 address (`CONNECT 2001:db8::1:443`): a colon before the last one.
    if colons > 1 {
        return Host::Ip;
    }
    if is_ipv4_form(host) {
        return Host::Ip;
    }
    Host::Name(host)
}

/// Classes of URL bytes for [`url_host`]'s scan of the authority.
const URL_PLAIN: u8 = 0;
/// `/`, `?`, `#` and `\`, which end the authority after a scheme.
const URL_END: u8 = 1;
const URL_AT: u8 = 2;
const URL_COLON: u8 = 3;

const URL_BYTE: [u8; 256] = {
    let mut t = [URL_PLAIN; 256];
    t[b'/' as usize] = URL_END;
    t[b'?' as usize] = URL_END;
    t[b'#' as usize] = URL_END;
    t[b'\\' as usize] = URL_END;
    t[b'@' as usize] = URL_AT;
    t[b':' as usize] = URL_COLON;
    t
};

/// True when the last label is a number (`10.0.0.1`, `127.1`, `2130706433`, `0x7f.1`): URL
/// parsers read such hosts as IPv4 addresses, and no top-level domain is numeric.
fn is_ipv4_form(host: &[u8]) -> bool {
    let h = host.strip_suffix(b".".as_slice()).unwrap_or(host);
    let last = match h.iter().rposition(|&b| b == b'.') {
        Some(d) => h.get(d + 1..).unwrap_or_default(),
        None => h,
    };
    if last.is_empty() {
        return false;
    }
    if let Some(hex) = last
        .strip_prefix(b"0x".as_slice())
        .or_else(|| last.strip_prefix(b"0X".as_slice()))
    {
        return hex.iter().all(u8::is_ascii_hexdigit);
    }
    last.iter().all(u8::is_ascii_digit)
}

/// A URL host as text: percent escapes decoded, non-UTF-8 bytes read as Windows-1252. `None`
/// when the escapes decode to bytes that are not UTF-8.
pub(crate) fn host_text(raw: &[u8]) -> Option<Cow<'_, str>> {
    if memchr::memchr(b'%', raw).is_none() {
        return Some(crate::input::text(raw));
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        let hex = |j: usize| raw.get(j).and_then(|c| char::from(*c).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

/// Where `part`, a piece of `whole`, starts in it.
fn offset(whole: &[u8], part: &[u8]) -> usize {
    (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize)
}

/// The most Squid writes of one record in its own layouts: `logfilePrintf` formats a record
/// into 8 KiB, so a longer one (a long URL, or headers under `log_mime_hdrs`) is cut here.
const SQUID_RECORD_MAX: usize = 8191;

impl FormatParser for Parser {
    fn line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        if let Some(done) = self.common_line(line, out) {
            return Ok(done);
        }
        // A line Squid glued to a cut record never reads on the common path: the record after
        // the cut has an upper-case action where the common path wants none.
        if line.len() >= SQUID_RECORD_MAX {
            return self.long_line(line, n, out);
        }
        self.any_line(line, n, out)
    }
}

impl Parser {
    /// A native line that reads without a fault (or names no origin address), in the order
    /// and with the answers of [`Parser::any_line`], but with the text from the URL's host to
    /// the peer checked as UTF-8 once. `None` for anything else (other layouts, IPv6 or
    /// mapped peers, percent-encoded hosts, text that is not UTF-8, bad fields), which
    /// `any_line` then reads and reports; nothing was emitted by then.
    fn common_line(&mut self, line: &[u8], out: &mut dyn Emit) -> Option<Outcome> {
        // `any_line` reads a line starting with a digit as native first.
        if !line.first()?.is_ascii_digit() {
            return None;
        }
        let e = native(line)?;
        // Only a field with an upper-case code can be a second hierarchy field
        // ([`last_hierarchy`]); the general path looks for it. A media type is lower case.
        let h = e.hierarchy?;
        let rest = line.get(offset(line, h) + h.len()..)?;
        if has_upper(rest) {
            return None;
        }
        let Some(peer) = e.hierarchy.and_then(origin_peer_text) else {
            // A ninth field that is no hierarchy field is a line of another layout.
            return e
                .hierarchy
                .is_some_and(is_hierarchy)
                .then_some(Outcome::NoAnswer);
        };
        // Dotted text, read as IPv4 (`origin_peer`); others take the general path. (A fold
        // without an early exit: the compiler checks many bytes at a time.)
        let dotted = peer
            .iter()
            .fold(true, |ok, &b| ok & (b.is_ascii_digit() | (b == b'.')));
        if !dotted {
            return None;
        }
        let raw = match url_host(e.url, e.method == b"CONNECT") {
            Host::Name(h) => h,
            Host::Ip | Host::None => return Some(Outcome::NoAnswer),
        };
        // The host comes before the peer on the line; both are text when this span is.
        let start = offset(line, raw);
        let peer_at = offset(line, peer);
        let span = std::str::from_utf8(line.get(start..peer_at + peer.len())?).ok()?;
        let host = span.get(..raw.len())?;
        let peer = span.get(peer_at.checked_sub(start)?..)?;
        let rdata = normalize_rdata_in(RrType::A, peer, &mut self.rdata_buf).ok()?;
        let rrname = normalize_name_in(host, &mut self.name_buf).ok()?;
        // A host that is its own normal form from its first byte holds no `%` (no name in
        // normal form does); any other may hold escapes, which the general path decodes.
        if rrname.as_ptr() != host.as_ptr() && raw.contains(&b'%') {
            return None;
        }
        out.association(AssociationView::one(
            rrname,
            RrType::A,
            rdata,
            e.time,
            &self.sources,
        ));
        Some(Outcome::Answer)
    }

    /// A line of [`SQUID_RECORD_MAX`] bytes or more. Squid cuts a longer record there; in its
    /// native layout the cut record ends with a NUL and no newline (or, through the log
    /// daemon, with nothing), so the records after it follow on the same line. Each cut
    /// record is split off and counted as `truncated` (its hierarchy field is lost with its
    /// end, and the fields of the next record must not be taken for it); the record the line
    /// ends with is read as a line of its own.
    #[cold]
    #[inline(never)]
    fn long_line(
        &mut self,
        line: &[u8],
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        let mut rest = line;
        let mut cut = 0;
        while let Some(&after) = rest.get(SQUID_RECORD_MAX) {
            let next = if after == 0 {
                SQUID_RECORD_MAX + 1
            } else {
                // The log daemon drops the NUL: a record's epoch time follows at once.
                let head = rest.get(SQUID_RECORD_MAX..).unwrap_or_default();
                let time = head.split(|&b| b == b' ').next().unwrap_or_default();
                if !time.contains(&b'.') || epoch(time).is_none_or(|t| t.secs() < MIN_EPOCH) {
                    break;
                }
                SQUID_RECORD_MAX
            };
            cut += 1;
            rest = rest.get(next..).unwrap_or_default();
        }
        let whole = rest.len() == SQUID_RECORD_MAX;
        let r = if rest.contains(&0) {
            Err(ParseError::new(
                n,
                ErrorKind::Syntax,
                "a NUL byte in the line",
            ))
        } else {
            self.any_line(rest, n, out)
        };
        match r {
            Err(e) if e.kind == ErrorKind::Syntax && whole => Err(ParseError::new(
                n,
                ErrorKind::Truncated,
                "a record of 8191 bytes, where Squid cuts what it logs: its end is lost",
            )),
            Ok(_) if cut > 0 => Err(ParseError::new(
                n,
                ErrorKind::Truncated,
                format!(
                    "{cut} record(s) cut by Squid at 8191 bytes, the next written on the same line; only the last was read"
                ),
            )),
            r => r,
        }
    }

    /// Any line; every error is reported here. (Inlined into [`FormatParser::line`], as it was
    /// written there, also now that the reader of long lines calls it too.)
    #[inline(always)]
    fn any_line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let first = line.iter().find(|b| !b.is_ascii_whitespace());
        match first {
            None | Some(b'#') => return Ok(Outcome::Skipped),
            Some(_) => {}
        }
        let Some(e) = entry(line) else {
            return self.splunk_line(line, n, out);
        };
        let peer = e.hierarchy.and_then(origin_peer);
        self.answer(&e, peer, n, out)
    }

    /// A line of the `logformat` Splunk's add-on for Squid recommends ([`splunk`]), or the
    /// error of a line of no layout this reader knows.
    #[cold]
    #[inline(never)]
    fn splunk_line(
        &mut self,
        line: &[u8],
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        let Some((e, peer)) = splunk(line) else {
            return Err(ParseError::new(
                n,
                ErrorKind::Syntax,
                "expected a Squid native line (time elapsed client action/code size method URL user hierarchy/peer …), a common/combined line or Splunk's key=value line",
            ));
        };
        self.answer(&e, peer.and_then(peer_address), n, out)
    }

    /// The association of a line read into `e`, whose origin server is `peer` (inlined into
    /// `any_line`, as it was written there: a call costs the native lines that take it 0.6%).
    #[inline(always)]
    fn answer(
        &mut self,
        e: &Entry<'_>,
        peer: Option<Peer<'_>>,
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        let Some(peer) = peer else {
            return Ok(Outcome::NoAnswer);
        };
        let raw = match url_host(e.url, e.method == b"CONNECT") {
            Host::Name(h) => h,
            Host::Ip | Host::None => return Ok(Outcome::NoAnswer),
        };
        let host = host_text(raw).ok_or_else(|| {
            ParseError::new(
                n,
                ErrorKind::Name,
                "URL host is percent-encoded bytes that are not UTF-8",
            )
        })?;
        let core = |err| ParseError::from_core(n, err);
        let rdata_buf = &mut self.rdata_buf;
        let (rrtype, rdata) = match peer {
            Peer::V4(t) => (RrType::A, normalize_rdata_in(RrType::A, t, rdata_buf)),
            Peer::V6(t) => (RrType::Aaaa, normalize_rdata_in(RrType::Aaaa, t, rdata_buf)),
            Peer::Mapped(v4) => {
                rdata_buf.clear();
                let _ = write!(rdata_buf, "{v4}");
                (RrType::A, Ok(rdata_buf.as_str()))
            }
        };
        let rdata = rdata.map_err(core)?;
        // Most hosts are plain text in normal form: borrowed from the line.
        let rrname = match &host {
            Cow::Borrowed(h) => normalize_name_in(h, &mut self.name_buf),
            Cow::Owned(h) => normalize_name(h).map(|norm| {
                self.name_buf = norm;
                self.name_buf.as_str()
            }),
        }
        .map_err(core)?;
        out.association(AssociationView::one(
            rrname,
            rrtype,
            rdata,
            e.time,
            &self.sources,
        ));
        Ok(Outcome::Answer)
    }
}

/// What Splunk's add-on for Squid has Squid write (`logformat splunk_recommended_squid %ts.%03tu
/// logformat=splunk_recommended_squid duration=%tr src_ip=%>a src_port=%>p dest_ip=%<a
/// dest_port=%<p user_ident="%[ui" user="%[un" local_time=[%tl] http_method=%rm …
/// url="%ru" http_referrer="%{Referer}>h" http_user_agent="%{User-Agent}>h" status=%>Hs
/// vendor_action=%Ss dest_status=%Sh …`): the time, method, URL and hierarchy code, and the
/// server address `dest_ip` when the code names the origin server. The fields before
/// `http_referrer` hold no space (the user fields are written escaped), so the first of each
/// key is the line's own; `dest_status` comes after the client's headers, which may hold any
/// text, and is the last of its key. `None` for a line without the layout's mark.
fn splunk(line: &[u8]) -> Option<(Entry<'_>, Option<&[u8]>)> {
    const MARK: &[u8] = b" logformat=splunk_recommended_squid ";
    let at = memmem::find(line, MARK)?;
    // The time is the field before the mark (after a syslog header, if any).
    let time = epoch(line.get(..at)?.rsplit(|&c| c == b' ').next()?)?;
    let rest = line.get(at + MARK.len() - 1..)?;
    // `key` is ` name=`.
    let value = |key: &[u8], from_end: bool| -> Option<&[u8]> {
        let i = if from_end {
            memmem::rfind(rest, key)?
        } else {
            memmem::find(rest, key)?
        } + key.len();
        let v = rest.get(i..)?;
        match v.strip_prefix(b"\"") {
            Some(q) => q.get(..memchr(b'"', q)?),
            None => v.get(..v.iter().position(|&c| c == b' ').unwrap_or(v.len())),
        }
    };
    let method = value(b" http_method=", false)?;
    let url = value(b" url=", false)?;
    let code = value(b" dest_status=", true)?;
    let peer = value(b" dest_ip=", false).filter(|_| is_origin(code));
    Some((
        Entry {
            time,
            action: &[],
            method,
            url,
            hierarchy: Some(code),
        },
        peer,
    ))
}

/// True when `line` is a Squid line: a native line with an `ACTION/status` field and a known
/// hierarchy code, or a common/combined line ending in a hierarchy field or in Squid's
/// `%Ss:%Sh` (`TCP_MISS:HIER_DIRECT`).
fn sniff_line(line: &str) -> bool {
    let b = line.as_bytes();
    sniff_layout(b)
        || (b.starts_with(b"<") && {
            let h = syslog_prefix::head(b);
            h.tag.is_some() && sniff_layout(h.rest)
        })
        || memmem::find(b, b": ")
            .and_then(|c| b.get(c + 2..))
            .is_some_and(sniff_layout)
}

/// `s` cut in two at the first `c`.
fn split(s: &[u8], c: u8) -> Option<(&[u8], &[u8])> {
    let i = memchr(c, s)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

fn sniff_layout(b: &[u8]) -> bool {
    let upper = |s: &[u8]| !s.is_empty() && s.iter().all(|x| x.is_ascii_uppercase() || *x == b'_');
    if splunk(b).is_some() {
        return true;
    }
    if let Some(e) = native(b) {
        if is_action(e.action) && e.hierarchy.is_some_and(is_hierarchy) {
            return true;
        }
        return custom(b).is_some();
    }
    match common(b) {
        Ok((
            _,
            Entry {
                hierarchy: Some(_), ..
            },
        )) => true,
        Ok(_) => {
            let last = last_word(b).unwrap_or_default();
            split(last, b':').is_some_and(|(s, h)| upper(s) && is_code(h))
        }
        Err(_) => false,
    }
}

/// Certain when the first lines are Squid access-log lines: native lines with an
/// `ACTION/status` field and a known hierarchy code, or common/combined lines ending in a
/// Squid hierarchy field.
pub fn sniff(sample: &str) -> u8 {
    let (mut yes, mut no) = (0u32, 0u32);
    for l in crate::format::first_lines(sample, 20) {
        if sniff_line(l) {
            yes += 1;
        } else {
            no += 1;
        }
    }
    match (yes, no) {
        (0, _) => 0,
        (_, 0) => 95,
        (y, n) if y >= 4 * n => 70,
        _ => 0,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Record;
    use crate::{parse_str, Format};
    use yapdns_core::normalize_rdata;

    fn assoc(r: &Record) -> (&str, RrType, &str, i64) {
        match r {
            Record::Association(a) => (
                a.rrname.as_str(),
                a.rrtype,
                a.rdata.as_str(),
                a.first_seen.millis(),
            ),
            Record::Name(_) => panic!("expected an association"),
        }
    }

    #[test]
    fn native_direct_lines_yield_the_peer_address() {
        let (r, s) = parse_str(
            Format::Squid,
            "1458125386.123      5 10.0.0.1 TCP_MISS/200 1024 GET http://WWW.Example.com./a?b - HIER_DIRECT/93.184.216.34 text/html\n\
             1458125387.9 5 10.0.0.1 TCP_TUNNEL/200 1 CONNECT example.org:443 - HIER_DIRECT/2001:DB8::1 -\n\
             1157689312.049   5006 10.105.21.199 TCP_MISS/200 19763 CONNECT login.yahoo.com:443 badeyek DIRECT/209.73.177.115 -\n",
        );
        assert_eq!(s.associations, 3, "{s:?}");
        assert_eq!(
            assoc(&r[0]),
            (
                "www.example.com",
                RrType::A,
                "93.184.216.34",
                1_458_125_386_123
            )
        );
        assert_eq!(
            assoc(&r[1]),
            (
                "example.org",
                RrType::Aaaa,
                "2001:db8::1",
                1_458_125_387_900
            )
        );
        assert_eq!(assoc(&r[2]).0, "login.yahoo.com");
    }

    #[test]
    fn proxies_hits_denials_and_ip_hosts_are_no_answer() {
        let (r, s) = parse_str(
            Format::Squid,
            "1 0 c TCP_MISS/200 1 GET http://a.test/ - FIRSTUP_PARENT/10.0.0.1 -\n\
             1 0 c TCP_HIT/200 1 GET http://a.test/ - NONE/- -\n\
             1 0 c TCP_DENIED/403 1 GET http://a.test/ - HIER_NONE/- -\n\
             1 0 c TCP_MISS/200 1 GET http://10.1.2.3/ - HIER_DIRECT/10.1.2.3 -\n\
             1 0 c TCP_MISS/200 1 GET http://[::1]:8080/ - HIER_DIRECT/::1 -\n\
             1 0 c TCP_MISS/200 1 GET http://www.sample.com/ - DIRECT/www.sample.com -\n\
             1 0 c NONE_NONE/000 0 - error:transaction-end-before-headers - HIER_NONE/- -\n\
             1 0 c TCP_MISS/200 1 GET http://a.test/ - CARP/10.0.0.2 -\n\
             1 0 c TCP_MISS/200 1 GET http://a.test/ - STANDBY_POOL/10.0.0.2 -\n\
             1 0 c TCP_MISS/200 1 GET http://a.test/ - SOMETHING_NEW/10.0.0.2 -\n",
        );
        assert!(r.is_empty(), "{r:?}");
        assert_eq!((s.no_answer, s.error_count()), (10, 0));
    }

    #[test]
    fn logstash_pattern_samples() {
        // logstash-plugins/logstash-patterns-core spec/patterns/squid_spec.rb: a CONNECT, and a
        // peer logged as a host name followed by an extra field.
        let (r, s) = parse_str(
            Format::Squid,
            "1525344856.899  16867 10.170.72.111 TCP_TUNNEL/200 6256 CONNECT logs.ap-southeast-2.amazonaws.com:443 - HIER_DIRECT/53.140.206.134 -\n\
             1525334330.556      3 120.65.1.1 TCP_REFRESH_MISS/200 2014 GET http://www.sample.com/hellow_world.txt public-user DIRECT/www.sample.com text/plain 902351708.872\n",
        );
        assert_eq!(
            assoc(&r[0]),
            (
                "logs.ap-southeast-2.amazonaws.com",
                RrType::A,
                "53.140.206.134",
                1_525_344_856_899
            )
        );
        assert_eq!((r.len(), s.no_answer), (1, 1));
    }

    #[test]
    fn origin_codes_with_prefixes() {
        for code in [
            "TIMEOUT_CLOSEST_DIRECT",
            "ORIGINAL_DST",
            "PINNED",
            "SOURCE_FASTEST",
            "TIMEOUT_HIER_DIRECT",
        ] {
            let line = format!("1 0 c TCP_MISS/200 1 GET https://a.test/ - {code}/192.0.2.7 -\n");
            let (r, _) = parse_str(Format::Squid, &line);
            assert_eq!(r.len(), 1, "{code}");
        }
        let (r, _) = parse_str(
            Format::Squid,
            "1 0 c TCP_MISS/200 1 GET http://a.test/ - HIER_DIRECT/::ffff:192.0.2.1 -\n",
        );
        assert_eq!(assoc(&r[0]).1, RrType::A);
        assert_eq!(assoc(&r[0]).2, "192.0.2.1");
    }

    #[test]
    fn url_hosts() {
        assert_eq!(
            url_host(b"http://user:pw@Host.test:8080/x", false),
            Host::Name(b"Host.test")
        );
        assert_eq!(
            url_host(b"https://h.test?x=1", false),
            Host::Name(b"h.test")
        );
        assert_eq!(url_host(b"h.test:443", true), Host::Name(b"h.test"));
        assert_eq!(url_host(b"h.test", true), Host::Name(b"h.test"));
        assert_eq!(url_host(b"h.test:443", false), Host::Name(b"h.test"));
        assert_eq!(url_host(b"[2001:db8::1]:443", true), Host::Ip);
        assert_eq!(url_host(b"2001:db8::1:443", true), Host::Ip);
        assert_eq!(url_host(b"http://[2001:db8::1]/", false), Host::Ip);
        assert_eq!(url_host(b"http://127.1/", false), Host::Ip);
        assert_eq!(url_host(b"http://2130706433/", false), Host::Ip);
        assert_eq!(url_host(b"http://0x7f.1/", false), Host::Ip);
        assert_eq!(url_host(b"error:invalid-request", false), Host::None);
        assert_eq!(url_host(b"-", false), Host::None);
        assert_eq!(url_host(b"file:///etc/passwd", false), Host::None);
        assert_eq!(url_host(b"1http://x/", false), Host::None);
        assert_eq!(
            url_host(b"http://a.test.:80", false),
            Host::Name(b"a.test.")
        );
    }

    #[test]
    fn idn_and_percent_encoded_hosts() {
        let (r, s) = parse_str(
            Format::Squid,
            "1 0 c TCP_MISS/200 1 GET http://bücher.test/ - HIER_DIRECT/192.0.2.1 -\n\
             1 0 c TCP_MISS/200 1 GET http://b%C3%BCcher.test/ - HIER_DIRECT/192.0.2.1 -\n\
             1 0 c TCP_MISS/200 1 GET http://b%FF.test/ - HIER_DIRECT/192.0.2.1 -\n",
        );
        assert_eq!(assoc(&r[0]).0, "xn--bcher-kva.test");
        assert_eq!(assoc(&r[1]).0, "xn--bcher-kva.test");
        assert_eq!(s.errors["name"], 1);
    }

    #[test]
    fn common_and_combined_with_a_hierarchy_field() {
        let (r, s) = parse_str(
            Format::Squid,
            "10.0.0.1 - bob [29/Nov/2026:19:24:38 +0100] \"GET http://a.test/x HTTP/1.1\" 200 512 HIER_DIRECT/192.0.2.5\n\
             10.0.0.1 - - [29/Nov/2026:19:24:38 -0000] \"GET http://a.test/x HTTP/1.1\" 200 512 \"http://r.test/\" \"Mozilla/5.0 (X11; \"odd\")\" TCP_MISS:HIER_DIRECT\n\
             10.0.0.1 - - [29/Nov/2026:19:24:38 +0000] \"CONNECT b.test:443 HTTP/1.1\" 200 512 \"-\" \"curl/8\" HIER_DIRECT/2001:db8::5 [Host: b.test\\r\\n] [HTTP/1.1 200 OK\\r\\n]\n",
        );
        assert_eq!(s.associations, 2, "{s:?}");
        let t = NaiveDate::from_ymd_opt(2026, 11, 29)
            .unwrap()
            .and_hms_opt(18, 24, 38)
            .unwrap();
        assert_eq!(
            assoc(&r[0]),
            (
                "a.test",
                RrType::A,
                "192.0.2.5",
                t.and_utc().timestamp_millis()
            )
        );
        assert_eq!(assoc(&r[1]).0, "b.test");
        assert_eq!(s.no_answer, 1);
    }

    /// Real lines of formats beyond `logformat squid` (`tests/reference/squid/`): Elastic's
    /// test log of a custom format that adds the client port and four sizes, and
    /// frontier-squid's common format with milliseconds in its date.
    /// OSSEC's docs quote Squid lines with their time cut off: the elapsed time then comes
    /// first, and must not be read as a time in 1970.
    #[test]
    fn a_line_without_its_time_is_an_error() {
        let (r, s) = parse_str(
            Format::Squid,
            "  644 1.2.3.4 TCP_CLIENT_REFRESH_MISS/404 4456 GET http://www.ossec.net/x1 - DIRECT/2.3.4.5 text/html\n",
        );
        assert!(r.is_empty(), "{r:?}");
        assert_eq!(s.errors["syntax"], 1, "{s:?}");
    }

    #[test]
    fn custom_formats_and_dates_with_milliseconds() {
        let (r, s) = parse_str(
            Format::Squid,
            include_str!(
                "../../tests/reference/squid/elastic-integrations-squid-access-extensive.log"
            ),
        );
        assert_eq!((s.lines, s.associations, s.no_answer), (11, 9, 2), "{s:?}");
        assert!(s.errors.is_empty(), "{s:?}");
        assert_eq!(
            assoc(&r[0]),
            ("example.com", RrType::A, "203.0.113.10", 1_773_416_922_391)
        );
        assert_eq!(
            assoc(&r[1]),
            (
                "www.google.com",
                RrType::A,
                "198.51.100.20",
                1_773_416_922_568
            )
        );
        let (_, s) = parse_str(
            Format::Squid,
            include_str!("../../tests/reference/squid/frontier-squid-common-milliseconds.log"),
        );
        // `TCP_MISS:HIER_DIRECT` names no address.
        assert_eq!((s.lines, s.no_answer), (2, 2), "{s:?}");
        assert!(s.errors.is_empty(), "{s:?}");
        // 03/Dec/2025:12:42:15.010 -0700
        assert_eq!(
            clf_time(b"03/Dec/2025:12:42:15.010 -0700"),
            Some(Timestamp::from_millis(1_764_790_935_010))
        );
        assert_eq!(
            clf_time(b"03/Dec/2025:12:42:15.5 +0000"),
            Some(Timestamp::from_millis(1_764_765_735_500))
        );
        assert_eq!(clf_time(b"03/Dec/2025:12:42:15. +0000"), None);
        assert_eq!(clf_time(b"03/Dec/2025:12:42:15.01x +0000"), None);
    }

    /// Real Squid 5.7 logs (`tests/reference/squid/`): a record longer than 8191 bytes is cut
    /// there, and in the native layout the next records follow on its line, after a NUL or
    /// (through the log daemon) straight after it. The cut record's host must not be paired
    /// with a later record's address; the record that ends the line is read.
    #[test]
    fn records_squid_cut_at_8191_bytes() {
        for log in [
            include_str!("../../tests/reference/squid/squid-5.7-native-cut-records.log"),
            include_str!("../../tests/reference/squid/squid-5.7-native-daemon-cut-records.log"),
        ] {
            let (r, s) = parse_str(Format::Squid, log);
            assert_eq!((s.lines, s.associations), (61, 39), "{s:?}");
            assert_eq!(s.errors["truncated"], 2, "{s:?}");
            let a: Vec<_> = r.iter().map(assoc).collect();
            // Line 32: a cut request for www (127.0.0.2), a cut one for cdn (127.0.0.3), then
            // api's whole record.
            assert!(a.contains(&(
                "api.example.test",
                RrType::A,
                "127.0.0.4",
                1_796_104_431_869
            )));
            assert!(a.contains(&(
                "api.example.test",
                RrType::A,
                "127.0.0.4",
                1_796_104_432_499
            )));
            for (name, _, addr, _) in &a {
                let right = match *name {
                    "www.example.test" => "127.0.0.2",
                    "cdn.example.test" => "127.0.0.3",
                    "api.example.test" => "127.0.0.4",
                    _ => continue,
                };
                assert_eq!(*addr, right, "{name}");
            }
        }
        // A custom format's record cut at 8191 bytes ends with a newline: it is `truncated`,
        // not a line of an unknown layout.
        let mut cut =
            b"1796104431.240      0 127.0.0.1 54526 TCP_MISS/200 0 0 GET http://a.test/".to_vec();
        cut.resize(SQUID_RECORD_MAX, b'c');
        let (_, s) = parse_str(Format::Squid, std::str::from_utf8(&cut).unwrap());
        assert_eq!(s.errors["truncated"], 1, "{s:?}");
    }

    /// Text a client chose — a URL with spaces (`uri_whitespace allow`), a quoted User-Agent
    /// before the hierarchy field — may hold `HIER_DIRECT/…`; the line's own field is the last
    /// one outside quotes and header blocks (real Squid 5.7 logs).
    #[test]
    fn client_text_never_names_the_address() {
        let (r, s) = parse_str(
            Format::Squid,
            include_str!("../../tests/reference/squid/squid-5.7-native-uri-whitespace-allow.log"),
        );
        assert!(s.errors.is_empty(), "{s:?}");
        let a: Vec<_> = r.iter().map(assoc).collect();
        assert_eq!(
            a,
            [
                (
                    "www.example.test",
                    RrType::A,
                    "127.0.0.2",
                    1_796_104_532_205
                ),
                (
                    "www.example.test",
                    RrType::A,
                    "127.0.0.2",
                    1_796_104_532_634
                ),
                (
                    "cdn.example.test",
                    RrType::A,
                    "127.0.0.3",
                    1_796_104_533_055
                ),
                (
                    "www.example.test",
                    RrType::A,
                    "127.0.0.2",
                    1_796_104_533_486
                ),
            ]
        );
        let (r, s) = parse_str(
            Format::Squid,
            include_str!(
                "../../tests/reference/squid/squid-5.7-custom-user-agent-before-hierarchy.log"
            ),
        );
        assert_eq!(s.associations, 3, "{s:?}");
        assert!(r.iter().all(|r| assoc(r).2 == "127.0.0.2"), "{r:?}");
    }

    /// Clients that connect and close (`- error:transaction-end-before-headers`) are lines
    /// without an answer in custom formats too; a log that starts with them is still detected.
    #[test]
    fn aborted_connections_in_custom_formats() {
        let log = include_str!(
            "../../tests/reference/squid/squid-5.7-custom-aborted-connections-first.log"
        );
        let (_, s) = parse_str(Format::Squid, log);
        assert_eq!((s.associations, s.no_answer), (6, 6), "{s:?}");
        assert!(s.errors.is_empty(), "{s:?}");
        assert_eq!(crate::detect(log.as_bytes()), Some(Format::Squid));
    }

    /// Squid's built-in common format with `log_mime_hdrs on` ends in its header blocks, after
    /// `%Ss:%Sh`: detected, as the same format without them is (a line of Squid 5.7).
    #[test]
    fn common_lines_with_header_blocks_are_detected() {
        let line = "127.0.0.1 - - [30/Nov/2026:22:54:39 -0700] \"GET http://www.example.test/ HTTP/1.1\" 200 340 TCP_MISS:HIER_DIRECT [User-Agent: curl/7.88.1\\r\\nAccept: */*\\r\\n] [HTTP/1.1 200 OK\\r\\n\\r\\n]\n";
        assert_eq!(crate::detect(line.as_bytes()), Some(Format::Squid));
    }

    /// A line whose ninth field is no hierarchy field is not read as `logformat squid` (its
    /// fields would be the wrong ones): it is read as a custom format when it can be, else
    /// reported, never counted as a line without an answer.
    #[test]
    fn lines_of_another_layout_are_reported_not_taken_as_no_answer() {
        let (_, s) = parse_str(
            Format::Squid,
            "1773416922.391 104 10.0.0.1 58938 TCP_MISS/200 904 123 364 123 528 GET http://a.test/ 1.1 - - 80\n",
        );
        assert_eq!(s.errors["syntax"], 1, "{s:?}");
        assert_eq!(s.no_answer, 0);
    }

    #[test]
    fn syslog_wrapped_lines() {
        let (r, _) = parse_str(
            Format::Squid,
            "Nov 17 22:12:41 192.168.1.1 (squid-1): 1510956761.029 181845 192.168.1.103 TCP_TUNNEL/200 16464 CONNECT etherpad.fr:443 - ORIGINAL_DST/195.154.57.241 -\n",
        );
        assert_eq!(
            assoc(&r[0]),
            (
                "etherpad.fr",
                RrType::A,
                "195.154.57.241",
                1_510_956_761_029
            )
        );
    }

    /// The same line through RFC 5424 syslog, as OPNsense forwards it when its remote logging
    /// is set to RFC 5424 (header and structured data as in its Unbound lines quoted in pfelk
    /// issue #574; the message is the classic-syslog line of pfelk issue #155).
    #[test]
    fn rfc5424_wrapped_lines() {
        let (r, s) = parse_str(
            Format::Squid,
            "<166>1 2020-08-21T22:08:13+02:00 myfirewall.my-domain.tld (squid-1) 6802 - [meta sequenceId=\"42\"] 1598040493.253    325 172.16.17.119 TCP_MISS/304 2912 GET https://github.com/3ilson/pfelk/file-list/master - HIER_DIRECT/140.82.121.4 -\n",
        );
        assert_eq!(s.error_count(), 0, "{s:?}");
        assert_eq!(
            assoc(&r[0]),
            ("github.com", RrType::A, "140.82.121.4", 1_598_040_493_253)
        );
        assert_eq!(
            crate::detect(b"<166>1 2020-08-21T22:08:13+02:00 fw (squid-1) 6802 - - 1598040493.253    325 172.16.17.119 TCP_MISS/304 2912 GET https://github.com/ - HIER_DIRECT/140.82.121.4 -\n"),
            Some(Format::Squid)
        );
    }

    /// Splunk's recommended `logformat` (the line of a Splunk integration's README, its syslog
    /// header taken off there; put back here as Squid's `access_log syslog:` writes one).
    #[test]
    fn splunk_key_value_lines() {
        let line = r#"1637507985.865 logformat=splunk_recommended_squid duration=74 src_ip=192.168.1.43 src_port=61745 dest_ip=117.18.237.29 dest_port=80 user_ident="-" user="-" local_time=[21/Nov/2021:15:19:45 +0000] http_method=GET request_method_from_client=GET request_method_to_server=GET url="http://ocsp.digicert.com/MFEwTzBNMEswSTAJBgUrDgMCGgUABBQ50otx%2Fh0Ztl%2Bz8SiPI7wEWVxDlQQUTiJUIBiV5uNu5g%2F6%2BrkS7QYXjzkCEAxq6XzO1ZmDhpCgCp6lMhQ%3D" http_referrer="-" http_user_agent="Microsoft-CryptoAPI/10.0" status=200 vendor_action=TCP_MISS dest_status=HIER_DIRECT total_time_milliseconds=52 http_content_type="application/ocsp-response" bytes=1172 bytes_in=270 bytes_out=902 sni="-""#;
        let want = (
            "ocsp.digicert.com",
            RrType::A,
            "117.18.237.29",
            1_637_507_985_865,
        );
        for text in [
            line.to_string(),
            format!("Nov 21 15:19:45 proxy squid[812]: {line}"),
        ] {
            let (r, s) = parse_str(Format::Squid, &format!("{text}\n"));
            assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
            assert_eq!(assoc(&r[0]), want);
            assert_eq!(crate::detect(text.as_bytes()), Some(Format::Squid));
        }
        // A hit names no server; a CONNECT's URL is its target; the client's headers cannot
        // pose as the hierarchy code, which comes after them.
        let hit = line
            .replace("HIER_DIRECT", "HIER_NONE")
            .replace("dest_ip=117.18.237.29", "dest_ip=-");
        let connect = line
            .replace("http_method=GET", "http_method=CONNECT")
            .replace(r#"url="http://ocsp.digicert.com/MFEwTzBNMEswSTAJBgUrDgMCGgUABBQ50otx%2Fh0Ztl%2Bz8SiPI7wEWVxDlQQUTiJUIBiV5uNu5g%2F6%2BrkS7QYXjzkCEAxq6XzO1ZmDhpCgCp6lMhQ%3D""#, r#"url="www.example.org:443""#);
        let forged = line
            .replace("HIER_DIRECT", "FIRSTUP_PARENT")
            .replace("CryptoAPI/10.0", "x dest_status=HIER_DIRECT y");
        let (r, s) = parse_str(Format::Squid, &format!("{hit}\n{connect}\n{forged}\n"));
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        assert_eq!((r.len(), s.no_answer), (1, 2));
        assert_eq!(assoc(&r[0]).0, "www.example.org");
    }

    #[test]
    fn bad_lines_are_typed_errors() {
        let (_, s) = parse_str(
            Format::Squid,
            "garbage\n1 0 c TCP_MISS/200\n10.0.0.1 - - [31/Feb/2026:00:00:00 +0000] \"GET http://a/ HTTP/1.1\" 200 1 HIER_DIRECT/1.2.3.4\n1 0 c TCP_MISS/200 1 GET http://a..b/ - HIER_DIRECT/1.2.3.4 -\n\n# comment\n",
        );
        assert_eq!(s.errors["syntax"], 3, "{s:?}");
        assert_eq!(s.errors["name"], 1);
        assert_eq!(s.skipped, 2);
    }

    #[test]
    fn sniffing() {
        let native = "1795979771.210      4 127.0.50.1 TCP_MISS/200 385 GET http://www.corp.test/ - HIER_DIRECT/127.0.60.1 text/html\n";
        assert_eq!(sniff(native), 95);
        let builtin_combined = "10.0.0.1 - - [29/Nov/2026:19:24:38 +0000] \"GET http://a.test/ HTTP/1.1\" 200 5 \"-\" \"curl\" TCP_MISS:HIER_DIRECT\n";
        assert_eq!(sniff(builtin_combined), 95);
        let apache =
            "10.0.0.1 - - [29/Nov/2026:19:24:38 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"\n";
        assert_eq!(sniff(apache), 0);
        assert_eq!(
            sniff("1458130003.61\twww.google.com\tA\t216.58.220.36\n"),
            0
        );
        assert_eq!(sniff("29-Nov-2026 19:25:11.368 client @0x7f 127.0.0.1#5353 (a.test): query: a.test IN A +E(0) (127.0.0.1)\n"), 0);
    }

    #[test]
    fn field_split_matches_a_plain_split() {
        let lines: [&[u8]; 8] = [
            b"1795979771.210      4 127.0.50.1 TCP_MISS/200 385 GET http://www.corp.test/ - HIER_DIRECT/127.0.60.1 text/html",
            b"  a  b ",
            b"",
            b"        ",
            b"a b c d e f g h i j k l",
            b"\xa0\x20\xa0 \x00\x21\x1f\x60 x",
            b"12345678 12345678 123456781234567812345678 1",
            b"x",
        ];
        // Nine fields exactly as the plain split finds them, or none when there are fewer;
        // every length, so each field boundary falls in every place of an eight-byte chunk.
        let mut lines: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
        for len in 0..40 {
            for gap in ["", " ", "   ", "\u{a0}", "\t"] {
                let l: String = (0..len)
                    .map(|i| if i % 4 == 3 { ' ' } else { 'x' })
                    .collect();
                lines.push(format!("{gap}{l}{gap}").into_bytes());
                lines.push(format!("1 2 3 4 5 6 7{gap}{l}").into_bytes());
            }
        }
        for l in &lines {
            let want: Vec<&[u8]> = l
                .split(|&b| b == b' ')
                .filter(|f| !f.is_empty())
                .take(9)
                .collect();
            let got = nine_fields(l);
            match got {
                Some(f) => assert_eq!(&f[..], &want[..], "{:?}", String::from_utf8_lossy(l)),
                None => assert!(want.len() < 9, "{:?}", String::from_utf8_lossy(l)),
            }
        }
        for b in 0..=255u8 {
            let mut chunk = [b'x'; 8];
            chunk[3] = b;
            assert_eq!(space_mask(&chunk) != 0, b == b' ', "{b}");
        }
    }

    #[test]
    fn canonical_ipv4_text_is_kept() {
        // Every text Rust's parser accepts is the canonical form normalize_rdata returns.
        for t in [
            "0.0.0.0",
            "255.255.255.255",
            "10.0.0.1",
            "1.22.133.4",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "1.2.3.04",
            "0x1.2.3.4",
        ] {
            if t.parse::<Ipv4Addr>().is_ok() {
                assert_eq!(normalize_rdata(RrType::A, t).unwrap(), t);
            }
        }
        for a in (0u32..=u32::MAX).step_by(7_919_999) {
            let t = Ipv4Addr::from(a).to_string();
            assert_eq!(
                t.parse::<Ipv4Addr>().map(|ip| ip.to_string()).as_deref(),
                Ok(t.as_str())
            );
        }
        let (r, s) = parse_str(
            Format::Squid,
            "1 0 c TCP_MISS/200 1 GET http://a.test/ - HIER_DIRECT/010.1.1.1 -\n",
        );
        assert!(r.is_empty());
        assert_eq!(s.errors["rdata"], 1);
    }

    #[test]
    fn common_lines_read_as_the_general_path_reads_them() {
        let lines = [
            "1157689320.327   2864 10.105.21.199 TCP_MISS/200 10182 GET http://www.goonernews.com/ badeyek DIRECT/207.58.145.61 text/html",
            "1795979771.229      1 127.0.50.1 TCP_MISS/200 385 GET http://WWW.Corp.test./i?u=a - HIER_DIRECT/127.0.60.1 text/html",
            "1157689312.049   5006 10.105.21.199 TCP_MISS/200 19763 CONNECT login.yahoo.com:443 badeyek DIRECT/209.73.177.115 -",
            "1 0 c TCP_MISS/200 1 GET http://u:p@b%C3%BCcher.test:80/ - TIMEOUT_HIER_DIRECT/[::ffff:192.0.2.1]",
            "1157689321.315      1 10.105.21.199 TCP_HIT/200 1464 GET http://www.goonernews.com/styles.css badeyek NONE/- text/css",
        ];
        // Edits at every position: separators, URL and address punctuation, digits, bytes of
        // other encodings.
        let edits: [&[u8]; 14] = [
            b" ",
            b"\t",
            b"%",
            b"/",
            b":",
            b".",
            b"@",
            b"[",
            b"\xc3\xa9",
            b"\xff",
            b"A",
            b"0",
            b"",
            b"  ",
        ];
        let o = ParseOptions::default();
        let (mut fast, mut general) = (Parser::new(&o), Parser::new(&o));
        let mut read = 0;
        for l in lines {
            let l = l.as_bytes();
            let mut variants: Vec<Vec<u8>> = vec![l.to_vec(), [l, b"\r"].concat()];
            for at in 0..l.len() {
                variants.push(l[..at].to_vec());
                for e in edits {
                    variants.push([&l[..at], e, &l[at + 1..]].concat());
                }
            }
            for v in variants {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                let ra = fast.line(&v, 3, &mut a);
                let rb = general.any_line(&v, 3, &mut b);
                assert_eq!((&ra, &a), (&rb, &b), "{:?}", String::from_utf8_lossy(&v));
                read += usize::from(!a.is_empty());
            }
        }
        // Many edits leave a line that still yields, so both paths are compared on those too.
        assert!(read > 500, "{read}");
    }

    #[test]
    fn squid_time_read_at_once_reads_as_digit_by_digit() {
        // The general loop, for reference.
        let slow = |f: &[u8]| -> Option<i64> {
            let (secs, frac) = match f.iter().position(|&c| c == b'.') {
                Some(d) => (&f[..d], Some(&f[d + 1..])),
                None => (f, None),
            };
            if secs.is_empty() || secs.len() > 12 || !secs.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let mut ms = digits_value(secs) * 1000;
            if let Some(frac) = frac {
                if frac.is_empty() || !frac.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                for (k, &d) in frac.iter().take(3).enumerate() {
                    ms += i64::from(d - b'0') * [100, 10, 1][k];
                }
            }
            Some(ms)
        };
        let mut cases: Vec<Vec<u8>> = [
            "1157689320.327",
            "0000000000.000",
            "9999999999.999",
            "1795979771.210",
            "1157689320.32",
            "1157689320.3270",
            "115768932.0327",
            "1157689320,327",
            "11576893200327",
            "1157689320.",
            "1",
            "1.5",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        // Every byte of the common shape replaced by every byte.
        for at in 0..14 {
            for c in 0..=255u8 {
                let mut v = b"1795979771.210".to_vec();
                v[at] = c;
                cases.push(v);
            }
        }
        for c in cases {
            assert_eq!(
                epoch(&c).map(Timestamp::millis),
                slow(&c),
                "{:?}",
                String::from_utf8_lossy(&c)
            );
        }
        assert_eq!(eight_digits(b"12345678"), Some(12_345_678));
        assert_eq!(eight_digits(b"1234567:"), None);
        assert_eq!(eight_digits(b"1234567/"), None);
        assert_eq!(eight_digits(b"\xb1234567"), None);
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        for l in [
            &b"1."[..],
            b"1.1 ",
            b"\xff\xfe",
            b"1 2 3 4 5 6 7 8 /",
            b"a b c [",
            b"a b c [x] \"",
            b": 1 2",
            b"1 0 c X/1 1 GET http://a%/ - DIRECT/1.2.3.4",
        ] {
            let mut p = Parser::new(&ParseOptions::default());
            let _ = p.line(l, 1, &mut Vec::new());
        }
    }
}

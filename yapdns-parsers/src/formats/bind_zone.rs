//! DNS master-file text (RFC 1035 §5, RFC 2308 `$TTL`, RFC 3597 unknown types): hand-written
//! zone files, `named-compilezone -o -` / `named-checkzone -D` output, `dig` and `dig AXFR`
//! output, and `rndc dumpdb` cache dumps.
//!
//! Grammar, read line by line with state carried across lines:
//!
//! ```text
//! line       = directive / record / comment / blank / tool-line
//! directive  = "$ORIGIN" SP name / "$TTL" SP ttl / "$DATE" SP YYYYMMDDHHMMSS
//!            / "$INCLUDE" SP file [ SP name ]
//!            / "$GENERATE" SP range SP owner [ SP ttl ] [ SP class ] SP type SP data
//!                                                      ; see `generate`, expanded as BIND does
//! record     = ( owner / WSP ) [ ttl SP ] [ class SP ] type SP rdata      ; ttl and class
//!            / ( owner / WSP ) [ class SP ] [ ttl SP ] type SP rdata      ; in either order
//! owner      = "@" / absolute-name / relative-name     ; blank (leading space) = previous owner
//! ttl        = 1*DIGIT / 1*( 1*DIGIT ( "w" / "d" / "h" / "m" / "s" ) ) [ 1*DIGIT ]  ; 1h30m
//! class      = "IN" / "CH" / "HS" / "CS" / "NONE" / "ANY" / "CLASS" 1*DIGIT
//! type       = mnemonic / "TYPE" 1*DIGIT
//! rdata      = *( token / quoted-string / "(" / ")" )  ; parentheses let a record span lines
//!            / "\#" SP length *( SP hex )              ; RFC 3597 generic form
//! comment    = ";" to end of line, outside quoted strings
//! tool-line  = "zone" SP name "/" class ":" … / "OK" / "dump zone to" …  ; named-checkzone chatter
//!            / "loading" SP quoted " from " quoted " class " quoted      ; its -d chatter
//!            / "dumping" SP quoted [ " to " quoted ]
//! ```
//!
//! What it yields: one association per record of class IN, of any type, with the record's TTL
//! (`.with_ttl`: the explicit one, else `$TTL`, else the previous record's, else — for a SOA —
//! its MINIMUM field; in dig output the explicit one alone, as `dig +nottlid` prints none) and,
//! where the zone is known, its bailiwick. Owner names and the names inside CNAME, NS, PTR,
//! DNAME, MX, KX, AFSDB, SRV, SOA, RP, NAPTR, NSEC, RRSIG, SVCB/HTTPS and a few rarer types are
//! made absolute against `$ORIGIN`. The strings of TXT, SPF and HINFO are written as BIND and
//! dig write them (each quoted, `\"` and `\\` escaped, other bytes that are not printable ASCII
//! as `\DDD`, no other escape), so a zone file's `TXT plain` is dig's `TXT "plain"`; SVCB and
//! HTTPS data is written as BIND 9.18 writes it, parameters sorted by key (see
//! `formats/svcb.rs`, whose writer `dnstap` shares; what BIND refuses to load is an
//! [`ErrorKind::Rdata`] error); CAA data is written as `dnstap` writes it, the value always one
//! quoted string escaped as TXT strings are (a zone file's `0 issue letsencrypt.org` and dig's
//! `"ca.example.net\; policy=ev"` are `0 issue "letsencrypt.org"` and `"ca.example.net;
//! policy=ev"`; what BIND refuses is an [`ErrorKind::Rdata`] error); NAPTR, CERT and LOC data
//! are written as BIND prints them and `dnstap` writes them from the wire (NAPTR strings
//! always quoted, CERT types and algorithms by name, LOC with every field and its default),
//! since a zone file may write one record in several ways and YAPDNS merges records by their
//! text (what BIND refuses is an [`ErrorKind::Rdata`] error); the type bitmaps of NSEC, NSEC3
//! and CSYNC are kept as written, as signers write them in type order; the hexadecimal digests
//! of DS, SSHFP, TLSA and their kin, and NSEC3 salts, are in upper case, as the core writes
//! them for every format; other types keep their text as written with single spaces between
//! fields; SOA timers written with units (`1h`) become seconds; base64/hex blobs split over
//! lines (`dig +multi`, DNSKEY, RRSIG, DS, TLSA…) are joined; `\# len hex` data of A, AAAA,
//! name types, SVCB, HTTPS and LOC (version 0) is decoded, of other types kept in the generic
//! form with lower-case hex.
//!
//! What it cannot yield:
//!
//! - Records of class CH or HS (`version.bind CH TXT`) are read to keep the owner and TTL state
//!   but yield nothing ([`Outcome::Skipped`]): passive DNS is about the Internet class.
//! - `$INCLUDE` is not followed (the parser sees one input, and following paths named inside a
//!   file is not something a log reader should do): the line is a
//!   [`ErrorKind::Syntax`] error naming the file, so a user sees what is missing and can parse
//!   that file on its own. (`$GENERATE` is expanded, as BIND does.)
//! - A file without `$ORIGIN` whose names are relative (`@`, `www`) — BIND takes the origin from
//!   the zone statement in `named.conf` — cannot be placed: each such record is an
//!   [`ErrorKind::Name`] error unless the caller gives the origin: [`ParseOptions::origin`]
//!   (`--origin` on the command lines, `origin=` in Python) or [`Parser::with_origin`].
//! - Negative cache entries of cache dumps (`\-AAAA ;-$NXRRSET`) carry no data:
//!   [`Outcome::NoAnswer`]. So do DNSSEC records whose key, signature or digest
//!   `dig +nocrypto` left out (`[omitted]`, `[key id = N]`).
//! - The true TTLs and time of a cache dump written with a stale window (`; using a N second
//!   stale ttl`) by BIND 9.12 to the early 9.16 releases: those dumped the cache as of N
//!   seconds before (`masterdump.c` moved its `now` back), so `$DATE` is N seconds early and
//!   every TTL N seconds long. Later releases print the same line and shift nothing, and the
//!   file does not say which wrote it: `$DATE` and the TTLs are kept as printed.
//!
//! Bailiwick: the zone the file describes — the owner of its SOA record, or before any SOA the
//! first `$ORIGIN` (the root excepted) or the zone named by a `named-checkzone` "loaded serial"
//! line. In dig output the zone is known only when a response starts with a SOA (AXFR, SOA
//! queries). Records outside that zone get no bailiwick.
//!
//! Time: master files record no time of observation. The rule, most specific first:
//!
//! 1. dig output (recognised by its `; <<>> DiG` header, `;; Got answer:` or `;; ->>HEADER<<-`
//!    line; output without them, `+nocmd +nocomments`, reads as a plain master file): the
//!    `;; WHEN:` line printed after each response. Records are held until it
//!    (at most 100 000 per response; beyond that they take rule 3). A line dig never writes,
//!    a directive (`$TTL`, `$ORIGIN`…) or the `; File written on` header of `dnssec-signzone`,
//!    ends dig output: the text after it is a master file (files concatenated). Its zone abbreviation is
//!    read for UTC/GMT, numeric zones and common unambiguous abbreviations (CET, EST, PDT…);
//!    others are read as local time by [`ParseOptions::timezone`].
//! 2. `$DATE` (RFC 2540; written by BIND in cache dumps), for the records after it.
//! 3. Otherwise the reference instant of [`ParseOptions::year`] when it is
//!    [`YearRule::Before`] — the file's modification time when read with
//!    [`parse_path`](crate::parse_path), the current time for standard input — since the file
//!    held these records when it was last written. With [`YearRule::Fixed`] (`--year Y`, the
//!    override), 1 January of that year at 00:00 in [`ParseOptions::timezone`].
//!
//! The SOA serial is not used as a time: it is a date only by convention, and it says when the
//! zone last changed, not when its records were seen.

mod generate;

use std::borrow::Cow;

use chrono::NaiveDate;
use yapdns_core::{
    normalize_name, normalize_name_in, normalize_rdata_in, AssociationView, RrType, SourceTag,
    Sources, Timestamp,
};

use crate::bytes::has_lower;
use crate::error::{ErrorKind, ParseError};
use crate::formats::presentation::{
    cert_head, loc_from_text, push_cert_head, push_loc, push_string_byte,
};
use crate::formats::svcb;
use crate::formats::{in_zone, FormatParser, LineTally};
use crate::input::{text, LineSpans};
use crate::options::{month_from_abbr, parse_offset, ParseOptions, YearRule};
use crate::record::{Emit, Outcome};

/// Records of one dig response held until its `;; WHEN:` line.
const HOLD_MAX: usize = 100_000;

/// Longest record accepted across parenthesised lines; an unclosed `(` would otherwise read the
/// rest of the file into memory.
const MAX_RECORD: usize = 1 << 20;

/// Parser state carried across lines: origin, default TTL, previous owner, open parentheses,
/// and the records of a dig response waiting for its time; and scratch buffers, kept from
/// record to record, for the text of the record being read.
pub struct Parser {
    sources: Sources,
    opts: ParseOptions,
    /// The time of records with no better one (rule 3 of the module doc).
    fallback: Option<Timestamp>,
    /// `$DATE`.
    date: Option<Timestamp>,
    /// Current `$ORIGIN`, absolute with its trailing dot.
    origin: Option<String>,
    /// The zone, normalised: the bailiwick of in-zone records.
    zone: Option<String>,
    default_ttl: Option<u32>,
    last_ttl: Option<u32>,
    last_class_in: bool,
    /// Previous owner, absolute; empty when unknown.
    owner: String,
    /// The normal form of `owner`, when `owner_normal` says it is made.
    owner_norm: String,
    owner_normal: bool,
    /// Whether `owner_norm` is in `zone`, once asked: records of one owner come in runs.
    /// Forgotten when either changes.
    owner_in_zone: Option<bool>,
    /// Counts the changes of `owner_norm` and `zone`: while it stands, records have the same
    /// name and bailiwick, which dig records held keep once ([`Held::push`]).
    names: u64,
    /// The owner of the line being read, made absolute.
    qualified: String,
    /// A record spanning lines: its lines' content, with parentheses blanked out unless
    /// `spans_ok`.
    pending: String,
    /// When `spans_ok`, the tokens of `pending`, found by masks as its lines came
    /// ([`Parser::continue_lexed`]), so that the whole is not read again.
    spans: Vec<(usize, usize)>,
    spans_ok: bool,
    pending_line: u64,
    pending_blank_owner: bool,
    depth: usize,
    /// Reading dig output: records wait for `;; WHEN:`.
    dig: bool,
    /// The next record is the first of a dig response.
    block_first: bool,
    held: Held,
    /// The record's data as written, names made absolute.
    rdata: String,
    /// The owner's normal form, when it is not a piece of `owner`.
    name_buf: String,
    /// The data's normal form, when it is not a piece of `rdata`.
    rdata_buf: String,
    /// One name field of the data, normalised.
    field_buf: String,
    /// A one-line record with its parentheses blanked out.
    clean: String,
    /// Set while [`FormatParser::text_block`] reads a block: a line with quotes,
    /// parentheses or a comment is then only noted in `odd_line`, and the block reads it with
    /// the lines after it.
    in_block: bool,
    /// The line just read is left to the block; whether its owner is blank.
    odd_line: Option<bool>,
    /// Every line through the general reader, to check the mask readers and the shortcut
    /// against it (in the tests, and in the fuzz target `bind_zone_readers`).
    #[cfg(any(test, fuzzing))]
    general_only: bool,
    /// Lines [`Parser::quick`] read, for the tests to see that it is used.
    #[cfg(test)]
    quick_taken: usize,
    /// Records the block reader read in one piece ([`Parser::spread_record`]), likewise.
    #[cfg(test)]
    spreads: usize,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`, timing them by its year rule.
    pub fn new(opts: &ParseOptions) -> Parser {
        let fallback = match opts.year {
            YearRule::Before(t) => Some(t),
            YearRule::Fixed(y) => NaiveDate::from_ymd_opt(y, 1, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .and_then(|dt| opts.local_time(dt)),
        };
        let mut parser = Parser {
            sources: Sources::one(SourceTag::new("bind-zone", opts.sensor.as_deref())),
            opts: opts.clone(),
            fallback,
            date: None,
            origin: None,
            zone: None,
            default_ttl: None,
            last_ttl: None,
            last_class_in: true,
            owner: String::new(),
            owner_norm: String::new(),
            owner_normal: false,
            owner_in_zone: None,
            names: 0,
            qualified: String::new(),
            pending: String::new(),
            spans: Vec::new(),
            spans_ok: false,
            pending_line: 0,
            pending_blank_owner: false,
            depth: 0,
            dig: false,
            block_first: true,
            held: Held::default(),
            rdata: String::new(),
            name_buf: String::new(),
            rdata_buf: String::new(),
            field_buf: String::new(),
            clean: String::new(),
            in_block: false,
            odd_line: None,
            #[cfg(any(test, fuzzing))]
            general_only: false,
            #[cfg(test)]
            quick_taken: 0,
            #[cfg(test)]
            spreads: 0,
        };
        // `set_origin` checked the name; one set by hand that is not a name is ignored, and
        // relative names then fail per record as without an origin.
        if let Some(o) = &opts.origin {
            let _ = parser.set_origin(o);
        }
        parser
    }

    /// Sets the origin (and zone) of a file that has no `$ORIGIN`, as BIND takes it from the
    /// zone statement: `Parser::new(&opts).with_origin("corp.test")`.
    pub fn with_origin(mut self, origin: &str) -> Result<Parser, yapdns_core::Error> {
        self.set_origin(origin)?;
        Ok(self)
    }

    fn set_origin(&mut self, origin: &str) -> Result<(), yapdns_core::Error> {
        let zone = normalize_name(origin)?;
        self.origin = Some(if zone == "." {
            ".".to_string()
        } else {
            format!("{zone}.")
        });
        self.set_zone(Some(zone));
        Ok(())
    }

    fn set_zone(&mut self, zone: Option<String>) {
        self.zone = zone;
        self.names += 1;
        self.owner_in_zone = None;
    }

    /// Ends dig output at a line dig never writes (a directive, the header of a signed zone
    /// file): the text from there on is a master file, whose records are not held, and whose
    /// `$TTL` counts. Records held since the last response's `;; WHEN:` belong to no response,
    /// and take the fallback time, as at the end of input.
    fn end_dig(&mut self, out: &mut dyn Emit) {
        if self.dig {
            self.flush(None, out);
            self.dig = false;
            self.block_first = true;
        }
    }

    /// Hands the held records of a dig response out, at `time` (or the fallback time).
    fn flush(&mut self, time: Option<Timestamp>, out: &mut dyn Emit) {
        let t = time.or(self.fallback).unwrap_or_default();
        self.held.flush(t, &self.sources, out);
    }

    fn comment(&mut self, c: &str, n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let semicolons = c.bytes().take_while(|&b| b == b';').count();
        let body = trim_start(c.get(semicolons..).unwrap_or_default());
        // Most comments (`; resign=`, dig's `;; flags:`…) mean nothing here: told apart by
        // their first letter.
        if !matches!(
            body.as_bytes().first(),
            Some(b'<' | b'G' | b'-' | b'W' | b'w' | b'F' | b'T' | b'A' | b'I')
        ) {
            return Ok(Outcome::Skipped);
        }
        if body.starts_with("File written on") {
            // The header of a file `dnssec-signzone` wrote.
            self.end_dig(out);
            return Ok(Outcome::Skipped);
        }
        if body.starts_with("<<>> DiG")
            || body.starts_with("Got answer:")
            // kdig's transfer, which has no header: its records come as dig's do, its time
            // after them.
            || body.starts_with("AXFR for ")
            || body.starts_with("IXFR for ")
        {
            self.flush(None, out);
            self.dig = true;
            self.block_first = true;
            self.set_zone(None);
        } else if body.starts_with("->>HEADER<<-") && !self.dig {
            self.dig = true;
            self.block_first = self.held.is_empty();
            self.set_zone(None);
        } else if body.starts_with("Time ") && self.dig {
            // kdig's `;; Time 2024-03-27 19:12:34 UTC`, where dig writes `;; WHEN:`.
            let when = body.get(5..).unwrap_or_default();
            return self.response_time(kdig_time(when, &self.opts), "kdig", when, n, out);
        } else if body.len() >= 5
            && body
                .get(..5)
                .is_some_and(|w| w.eq_ignore_ascii_case("WHEN:"))
            && self.dig
        {
            let when = body.get(5..).unwrap_or_default();
            return self.response_time(dig_when(when, &self.opts), "dig", when, n, out);
        }
        Ok(Outcome::Skipped)
    }

    /// The end of a dig (or kdig) response: its records held so far go out at `t`, read from
    /// `when`, the text of the `tool`'s time line; unreadable, they take the fallback time and
    /// the line is an error.
    fn response_time(
        &mut self,
        t: Option<Timestamp>,
        tool: &str,
        when: &str,
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        self.flush(t, out);
        self.block_first = true;
        self.set_zone(None);
        if t.is_none() {
            return Err(ParseError::new(
                n,
                ErrorKind::Timestamp,
                format!(
                    "cannot read the {tool} time {:?}; its records take the file's time",
                    when.trim()
                ),
            ));
        }
        Ok(Outcome::Skipped)
    }

    fn directive(&mut self, line: &str, n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        self.end_dig(out);
        let content = line.get(..scan(line).end).unwrap_or(line);
        let mut toks = Tokens::new(content);
        let name = toks.next().unwrap_or_default();
        let arg = toks.next();
        let syntax = |why: String| ParseError::new(n, ErrorKind::Syntax, why);
        if name.eq_ignore_ascii_case("$ORIGIN") {
            let o = arg.ok_or_else(|| syntax("$ORIGIN without a name".into()))?;
            let mut abs = String::with_capacity(o.len() + 1);
            qualify(o, self.origin.as_deref(), &mut abs)
                .map_err(|(k, why)| ParseError::new(n, k, why))?;
            let zone = normalize_name(&abs).map_err(|e| ParseError::from_core(n, e))?;
            if self.zone.is_none() && !self.dig && zone != "." {
                self.set_zone(Some(zone));
            }
            self.origin = Some(abs);
        } else if name.eq_ignore_ascii_case("$TTL") {
            let t = arg.ok_or_else(|| syntax("$TTL without a value".into()))?;
            self.default_ttl = Some(parse_ttl(t).ok_or_else(|| syntax(format!("bad $TTL {t:?}")))?);
        } else if name.eq_ignore_ascii_case("$DATE") {
            let t = arg.and_then(date_directive).ok_or_else(|| {
                ParseError::new(
                    n,
                    ErrorKind::Timestamp,
                    format!("bad $DATE {:?}", arg.unwrap_or_default()),
                )
            })?;
            self.date = Some(t);
        } else if name.eq_ignore_ascii_case("$INCLUDE") {
            return Err(syntax(format!(
                "$INCLUDE {} is not followed; parse that file on its own",
                arg.unwrap_or_default()
            )));
        } else if name.eq_ignore_ascii_case("$GENERATE") {
            let range = arg.ok_or_else(|| syntax("$GENERATE without a range".into()))?;
            return self.generate(range, toks, n, out);
        } else {
            return Err(syntax(format!("unknown directive {name}")));
        }
        Ok(Outcome::Skipped)
    }

    /// `$GENERATE range owner [ttl] [class] type data`: a record for each value of the range,
    /// its owner and data expanded from their templates ([`generate::expand`]) and read as a
    /// record written out would be, with the line's TTL and class. As in BIND, the records it
    /// makes do not become the owner of the blank-owner lines after it, and its data is one
    /// token (quoted when it has several fields). The first record that fails ends it, with
    /// its error; those before it are kept.
    fn generate(
        &mut self,
        range: &str,
        mut toks: Tokens<'_>,
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        let syntax = |why: String| ParseError::new(n, ErrorKind::Syntax, why);
        let range = generate::Range::parse(range).map_err(syntax)?;
        let missing = || syntax("$GENERATE without its owner, type or data".into());
        let owner = toks.next().ok_or_else(missing)?;
        // The TTL and class as `record` tells them apart, then the type: handed to it as they
        // are.
        let mut head = Vec::with_capacity(3);
        let (mut ttl, mut class) = (false, false);
        loop {
            let t = toks.next().ok_or_else(missing)?;
            head.push(t);
            if !ttl && t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
                ttl = true;
            } else if !class && is_class(t.as_bytes()) {
                class = true;
            } else {
                break;
            }
        }
        let data = toks.next().ok_or_else(missing)?;
        if toks.next().is_some() {
            return Err(syntax(
                "text after $GENERATE's data: quote data of several fields".into(),
            ));
        }
        let data = generate::data_text(data);
        // The owner of the lines after it stays the one before it.
        let kept = (
            std::mem::take(&mut self.owner),
            std::mem::take(&mut self.owner_norm),
            self.owner_normal,
            self.owner_in_zone,
        );
        let (mut name, mut rdata, mut clean) = (String::new(), String::new(), String::new());
        let mut answered = false;
        let mut result = Ok(());
        let mut made = 0;
        for it in range.values() {
            if let Err(why) = generate::expand(owner, it, generate::MAX_OWNER, &mut name)
                .and_then(|()| generate::expand(&data, it, generate::MAX_DATA, &mut rdata))
            {
                result = Err(syntax(why));
                break;
            }
            made += name.len() + rdata.len();
            if made > generate::MAX_TEXT {
                result = Err(syntax(format!(
                    "$GENERATE {it}: over {} bytes of records made by one line",
                    generate::MAX_TEXT
                )));
                break;
            }
            // The data read as a record's is: to a comment, parentheses blanked.
            let s = scan(&rdata);
            if s.unterminated {
                result = Err(syntax(format!(
                    "$GENERATE {it}: quoted string not closed in {rdata:?}"
                )));
                break;
            }
            clean.clear();
            push_clean(&mut clean, rdata.get(..s.end).unwrap_or_default());
            let toks = std::iter::once(name.as_str())
                .chain(head.iter().copied())
                .chain(Tokens::new(&clean));
            match self.record(toks, false, n, out) {
                Ok(Outcome::Answer) => answered = true,
                Ok(_) => {}
                Err(e) => {
                    result = Err(ParseError::new(
                        n,
                        e.kind,
                        format!("$GENERATE {it}: {}", e.reason),
                    ));
                    break;
                }
            }
        }
        (
            self.owner,
            self.owner_norm,
            self.owner_normal,
            self.owner_in_zone,
        ) = kept;
        // Records held for a dig response compare this count, not the name.
        self.names += 1;
        result?;
        Ok(if answered {
            Outcome::Answer
        } else {
            Outcome::Skipped
        })
    }

    /// Reads the next line of a record that spans lines.
    fn continued(&mut self, line: &str, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        if self.spans_ok {
            let b = line.as_bytes();
            if b.len() <= 128 {
                if let Some(lexed) = lex::<2>(b) {
                    return self.continue_lexed(line, lexed, out);
                }
            } else if let Some(lexed) = lex::<WIDE>(b) {
                return self.continue_lexed(line, lexed, out);
            }
            // A line the masks do not take: the record read so far becomes what the general
            // reader would have made of it, and it goes on from there.
            let raw = std::mem::take(&mut self.pending);
            push_clean(&mut self.pending, &raw);
            self.spans.clear();
            self.spans_ok = false;
        }
        let s = scan(line);
        let content = line.get(..s.end).unwrap_or(line);
        if s.open + s.close == 0 {
            // No parenthesis to blank out (the middle lines of a record).
            self.pending.push_str(content);
        } else {
            push_clean(&mut self.pending, content);
        }
        self.pending.push(' ');
        if !self.line_added(s.open, s.close, s.unterminated)? {
            return Ok(Outcome::Skipped);
        }
        let first = self.pending_line;
        let content = std::mem::take(&mut self.pending);
        let blank_owner = self.pending_blank_owner;
        // A record of `dig +multi` or a signed zone joined is short enough for the masks.
        let masks = if self.fast() {
            line_masks::<WIDE>(content.as_bytes())
        } else {
            None
        };
        let r = match masks {
            Some(bounds) => {
                self.wide_record::<WIDE, ()>(&content, bounds, (), blank_owner, first, out)
            }
            None => self.record(Tokens::new(&content), blank_owner, first, out),
        };
        self.pending = content;
        self.pending.clear();
        r
    }

    /// The checks of a record spread over lines once a line is added, and its depth after it:
    /// true when the line closes it. A failure drops the record and is reported at its first
    /// line.
    fn line_added(
        &mut self,
        open: usize,
        close: usize,
        unterminated: bool,
    ) -> Result<bool, ParseError> {
        let why = if unterminated {
            "quoted string not closed on its line"
        } else if close > self.depth + open {
            "unbalanced ')'"
        } else if self.pending.len() > MAX_RECORD {
            "record over 1 MiB: unclosed '('?"
        } else {
            self.depth = self.depth + open - close;
            return Ok(self.depth == 0);
        };
        self.depth = 0;
        self.pending.clear();
        self.spans.clear();
        Err(ParseError::new(self.pending_line, ErrorKind::Syntax, why))
    }

    /// Leaves the line to the block being read, which reads it with the lines after it.
    #[inline]
    fn leave_odd(&mut self, blank: bool) -> Outcome {
        self.odd_line = Some(blank);
        Outcome::Skipped
    }

    /// Starts a record spread over lines with its first line, cut by masks.
    fn open_lexed<const W: usize>(&mut self, line: &str, lexed: Lexed<W>, blank: bool, n: u64) {
        self.pending.clear();
        self.spans.clear();
        self.spans_ok = true;
        self.append_lexed(line, lexed);
        self.pending_line = n;
        self.pending_blank_owner = blank;
        self.depth = lexed.open - lexed.close;
    }

    /// Adds a line cut by masks to the record being read: its content as it is, and where its
    /// tokens are.
    fn append_lexed<const W: usize>(&mut self, line: &str, lexed: Lexed<W>) {
        let base = self.pending.len();
        self.pending.push_str(line.get(..lexed.end).unwrap_or(line));
        self.pending.push(' ');
        let mut toks = MaskTokens::new(line, lexed.bounds);
        while let Some((a, z)) = toks.next_span() {
            self.spans.push((base + a, base + z));
        }
    }

    /// [`Parser::continued`] of a line cut by masks, the record's tokens so far in `spans`.
    fn continue_lexed<const W: usize>(
        &mut self,
        line: &str,
        lexed: Lexed<W>,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        // The length the general reader would see: parentheses are blanked, not removed.
        self.append_lexed(line, lexed);
        if !self.line_added(lexed.open, lexed.close, false)? {
            return Ok(Outcome::Skipped);
        }
        let first = self.pending_line;
        let content = std::mem::take(&mut self.pending);
        let spans = std::mem::take(&mut self.spans);
        let toks = SpanTokens {
            s: &content,
            spans: spans.iter(),
        };
        let r = self.spans_record(&content, toks, self.pending_blank_owner, first, out);
        self.pending = content;
        self.pending.clear();
        self.spans = spans;
        self.spans.clear();
        r
    }

    /// Reads the record that starts `rest` at line `n`, on its first line or spread over
    /// lines, in one piece when [`lex_spread`] takes it: where its last line ends, how many
    /// lines come after the first, and what the record came to.
    #[inline(never)]
    fn spread_record(
        &mut self,
        rest: &str,
        blank: bool,
        max_line: usize,
        n: u64,
        out: &mut dyn Emit,
    ) -> Option<(usize, u64, Result<Outcome, ParseError>)> {
        let spread = lex_spread(rest.as_bytes(), max_line)?;
        let record = rest.get(..spread.end)?;
        #[cfg(test)]
        {
            self.spreads += 1;
        }
        let r = match spread.bounds.narrow::<MID>(spread.end) {
            Some(bounds) => self.wide_record::<MID, ()>(record, bounds, (), blank, n, out),
            None => self.wide_record::<WIDE, ()>(record, spread.bounds, (), blank, n, out),
        };
        Some((spread.end, spread.lines - 1, r))
    }

    /// Makes `o` the owner of the line, absolute. Records of one owner come in runs: its normal
    /// form is made once per run, and an absolute owner equal to the last one costs a compare.
    fn set_owner(&mut self, o: &str, n: u64) -> Result<(), ParseError> {
        if is_absolute(o) {
            if o != self.owner {
                self.owner.clear();
                self.owner.push_str(o);
                self.owner_normal = false;
            }
            return Ok(());
        }
        let Some(origin) = self.origin.as_deref() else {
            self.owner.clear();
            self.owner_normal = false;
            return Err(ParseError::new(n, ErrorKind::Name, NO_ORIGIN));
        };
        self.qualified.clear();
        if let Err((k, why)) = qualify(o, Some(origin), &mut self.qualified) {
            self.owner.clear();
            self.owner_normal = false;
            return Err(ParseError::new(n, k, why));
        }
        if self.qualified != self.owner {
            std::mem::swap(&mut self.qualified, &mut self.owner);
            self.owner_normal = false;
        }
        Ok(())
    }

    /// The common record read straight to its association: a whole record cut by masks (see
    /// [`line_masks`]; `text` is the line, or the lines of a parenthesised record joined) of
    /// class IN, with an owner already known or given, of any type but DNAME, KX and AFSDB,
    /// whose names the core normalises, and NAPTR, CERT and LOC, whose fields BIND prints
    /// anew. It does what [`Parser::record`] does for such a record, with no token read twice
    /// and no data built only to be split again (data written with single spaces is a piece of
    /// `text`, see [`Joiner`]); and it answers the errors at the owner (a relative one without
    /// origin, a blank one with no owner before), the only errors of a file without
    /// `$ORIGIN`.
    ///
    /// `None` leaves the line to [`Parser::record`], which reads it from its start: any line
    /// this does not take, and every other error, so that those have one author. Before it
    /// answers `None` this changes nothing but the owner and its normal form, which `record`
    /// makes the same way from the same token.
    fn quick<'t>(
        &mut self,
        line: &'t str,
        mut toks: impl TokenSpans<'t>,
        blank_owner: bool,
        n: u64,
        out: &mut dyn Emit,
    ) -> Option<Result<Outcome, ParseError>> {
        // dig output: the time comes with the response's `;; WHEN:`, after its records.
        let seen = if self.dig {
            Timestamp::default()
        } else {
            self.date.or(self.fallback)?
        };
        if !blank_owner {
            let o = toks.next()?;
            if !self.is_owner(o) {
                if is_absolute(o) {
                    self.owner.clear();
                    self.owner.push_str(o);
                } else if self.origin.is_none() {
                    self.owner.clear();
                    self.owner_normal = false;
                    return Some(Err(ParseError::new(n, ErrorKind::Name, NO_ORIGIN)));
                } else {
                    self.set_owner(o, n).ok()?;
                }
                self.owner_normal = false;
            }
        }
        if !self.owner_normal {
            if self.owner.is_empty() {
                return Some(Err(ParseError::new(n, ErrorKind::Name, NO_OWNER)));
            }
            let v = normalize_name_in(&self.owner, &mut self.name_buf).ok()?;
            self.owner_norm.clear();
            self.owner_norm.push_str(v);
            self.owner_normal = true;
            self.owner_in_zone = None;
            self.names += 1;
        }
        let (mut ttl, mut class) = (None, false);
        // Read as bytes: no character boundary to check.
        let rtype = loop {
            let (a, z) = toks.next_span()?;
            let t = line.as_bytes().get(a..z)?;
            if ttl.is_none() && t.first().is_some_and(u8::is_ascii_digit) {
                ttl = Some(ttl_value(t)?);
            } else if !class && t.eq_ignore_ascii_case(b"IN") {
                class = true;
            } else if !class && is_class(t) {
                // CH, HS and the rest: `record` reads what they change.
                return None;
            } else {
                break t;
            }
        };
        if !class && !self.last_class_in {
            return None;
        }
        let rrtype = presentation_type(rtype)?;
        let origin = self.origin.as_deref();
        let mut minimum = None;
        let data: &str = match rrtype {
            RrType::A | RrType::Aaaa | RrType::NS | RrType::CNAME | RrType::PTR => {
                let t = toks.next()?;
                if toks.next().is_some() {
                    return None;
                }
                let t = if rrtype == RrType::A || rrtype == RrType::Aaaa || is_absolute(t) {
                    t
                } else {
                    self.rdata.clear();
                    qualify(t, origin, &mut self.rdata).ok()?;
                    self.rdata.as_str()
                };
                normalize_rdata_in(rrtype, t, &mut self.rdata_buf).ok()?
            }
            RrType::MX | RrType::SRV | RrType::SOA => {
                let numbers = match rrtype {
                    RrType::MX => 1,
                    RrType::SRV => 3,
                    _ => 0,
                };
                let buf = &mut self.rdata_buf;
                buf.clear();
                for _ in 0..numbers {
                    let t = toks.next()?;
                    if !plain_number(t) {
                        return None;
                    }
                    buf.push_str(t);
                    buf.push(' ');
                }
                let names = if rrtype == RrType::SOA { 2 } else { 1 };
                for k in 0..names {
                    if k > 0 {
                        buf.push(' ');
                    }
                    let t = toks.next()?;
                    buf.push_str(name_field(t, origin, &mut self.rdata, &mut self.field_buf)?);
                }
                if rrtype == RrType::SOA {
                    // The serial without leading zeros (`plain_number`), the timers in seconds.
                    let serial = toks.next()?;
                    if !plain_number(serial) {
                        return None;
                    }
                    buf.push(' ');
                    buf.push_str(serial);
                    for _ in 0..4 {
                        let v = parse_ttl(toks.next()?)?;
                        buf.push(' ');
                        push_u32(buf, v);
                        minimum = Some(v);
                    }
                }
                if toks.next().is_some() {
                    return None;
                }
                buf.as_str()
            }
            // The names of these the core normalises, SVCB/HTTPS data, which `svcb` writes in
            // BIND's form, and the digests and salts the core writes in upper case: `record`
            // reads them, away from the common types.
            RrType::DNAME | RrType::KX | RrType::AFSDB | RrType::SVCB | RrType::HTTPS => {
                return None
            }
            // The rest (TXT, RRSIG, NSEC, DNSKEY, DS, NSEC3…): the fields as written, one space
            // apart, names made absolute, the pieces of a blob glued, as `build_rdata` does.
            _ => {
                let calm = toks.calm_data(line, rrtype, &mut self.rdata);
                let data = match calm {
                    Some(data) => data,
                    None => {
                        // Shifted a field at a time: its lowest bit is the field's.
                        let mut names = name_fields(rrtype);
                        // Fields from here on are pieces of a blob.
                        let glued_from = blob_from(rrtype).map_or(usize::MAX, |b| b + 1);
                        let mut joined = Joiner::new(line, &mut self.rdata);
                        let field_buf = &mut self.field_buf;
                        let bytes = line.as_bytes();
                        // The run of the text not yet copied (none while `ra` is `NO_RUN`): kept
                        // here, where it stays in registers, and handed to `joined` when it ends.
                        let (mut ra, mut rz) = (NO_RUN, 0);
                        let mut i = 0;
                        let whole = toks.spans_while(|a, z| {
                            let name = names & 1 != 0;
                            names >>= 1;
                            let glued = i >= glued_from;
                            i += 1;
                            if name {
                                let Some(t) = line.get(a..z) else {
                                    return false;
                                };
                                if !is_absolute(t) {
                                    field_buf.clear();
                                    if qualify(t, origin, field_buf).is_err() {
                                        return false;
                                    }
                                    joined.owned(ra, rz, field_buf);
                                    ra = NO_RUN;
                                    return true;
                                }
                            }
                            if glued {
                                joined.flush(ra, rz);
                                (ra, rz) = (a, z);
                            } else if ra != NO_RUN && a == rz + 1 && bytes.get(rz) == Some(&b' ') {
                                // One space from the run: the run goes on.
                                rz = z;
                            } else {
                                joined.field(ra, rz);
                                (ra, rz) = (a, z);
                            }
                            true
                        });
                        if !whole {
                            return None;
                        }
                        joined.finish(ra, rz)?
                    }
                };
                // Whether the data holds hexadecimal the core writes in upper case (the digests
                // of DS, SSHFP, TLSA and their kin, NSEC3 salts and hashes), found by the one
                // match on the type the strings need anyway.
                let digest = match rrtype {
                    // Strings, or a CAA value, to write as BIND and dnstap do: `record` writes
                    // them.
                    RrType::TXT | RrType::HINFO | RrType::SPF if !strings_canonical(data) => {
                        return None
                    }
                    RrType::CAA if !caa_plain(data) => return None,
                    // Fields BIND prints anew (NAPTR strings quoted, CERT mnemonics, LOC in
                    // full): `record` writes them. Matched here, in a match made anyway, not
                    // with DNAME and the rest above: there the three types cost every record
                    // 5%, the token closure going out of line.
                    RrType::NAPTR | RrType::CERT | RrType::LOC => return None,
                    RrType::DS
                    | RrType::CDS
                    | RrType::SSHFP
                    | RrType::TLSA
                    | RrType::SMIMEA
                    | RrType::ZONEMD
                    | RrType::NSEC3
                    | RrType::NSEC3PARAM
                    | RrType::Other(32768 | 32769) => true,
                    _ => false,
                };
                // The core keeps the data of the other types as written when it starts and
                // ends with a visible character, as joined data of ASCII tokens does: no call.
                match (data.as_bytes().first(), data.as_bytes().last()) {
                    // Maybe a key or signature `dig +nocrypto` left out: `record` tells.
                    (_, Some(b']')) => return None,
                    // Data joined here is one space between fields, digests in one piece: only
                    // a lower-case letter makes the core write it anew.
                    (Some(f), Some(l))
                        if f.is_ascii_graphic()
                            && l.is_ascii_graphic()
                            && !(digest && has_lower(data.as_bytes())) =>
                    {
                        data
                    }
                    _ => normalize_rdata_in(rrtype, data, &mut self.rdata_buf).ok()?,
                }
            }
        };
        // dig prints every record's TTL but with `+nottlid`, and then it is not known.
        let ttl = if self.dig {
            ttl
        } else {
            ttl.or(self.default_ttl).or(self.last_ttl).or(minimum)
        };
        if ttl.is_some() {
            self.last_ttl = ttl;
        }
        if class {
            self.last_class_in = true;
        }
        let first_of_block = std::mem::replace(&mut self.block_first, false);
        if rrtype == RrType::SOA
            && (!self.dig || first_of_block)
            && self.zone.as_deref() != Some(self.owner_norm.as_str())
        {
            self.zone = Some(self.owner_norm.clone());
            self.names += 1;
            self.owner_in_zone = Some(true);
        }
        let inside = owner_in_zone(
            &mut self.owner_in_zone,
            &self.owner_norm,
            self.zone.as_deref(),
        );
        let a = AssociationView {
            ttl,
            bailiwick: self.zone.as_deref().filter(|_| inside),
            ..AssociationView::one(&self.owner_norm, rrtype, data, seen, &self.sources)
        };
        if hand_out(self.dig, self.names, &mut self.held, a, out) {
            self.flush(None, out);
        }
        Some(Ok(Outcome::Answer))
    }

    /// Whether lines may take the mask readers and [`Parser::quick`]: always, but in the tests
    /// that check them against the general reader.
    #[inline]
    fn fast(&self) -> bool {
        #[cfg(any(test, fuzzing))]
        return !self.general_only;
        #[cfg(not(any(test, fuzzing)))]
        true
    }

    /// A whole record cut into tokens by masks: [`Parser::quick`] when it takes it, else
    /// [`Parser::record`].
    #[inline(always)]
    fn one_record<'t>(
        &mut self,
        text: &'t str,
        toks: impl TokenSpans<'t>,
        blank_owner: bool,
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        if let Some(done) = self.quick(text, toks.clone(), blank_owner, n, out) {
            #[cfg(test)]
            {
                self.quick_taken += 1;
            }
            return done;
        }
        self.record(toks, blank_owner, n, out)
    }

    /// [`Parser::one_record`] of a long record, or of one spread over lines and read in one
    /// piece, kept out of the path of the short lines.
    #[inline(never)]
    fn wide_record<const W: usize, C: Calm>(
        &mut self,
        text: &str,
        bounds: Bounds<W>,
        calm: C,
        blank_owner: bool,
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        self.one_record(
            text,
            WideTokens::<W, C>::new(text, bounds, calm),
            blank_owner,
            n,
            out,
        )
    }

    /// [`Parser::one_record`] of a record spread over lines, its tokens found line by line.
    #[inline(never)]
    fn spans_record<'t>(
        &mut self,
        text: &'t str,
        toks: SpanTokens<'t>,
        blank_owner: bool,
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        self.one_record(text, toks, blank_owner, n, out)
    }

    /// True when `o`, an owner as written, names the previous record's owner.
    #[inline(always)]
    fn is_owner(&self, o: &str) -> bool {
        let owner = self.owner.as_str();
        if owner.is_empty() {
            return false;
        }
        if is_absolute(o) {
            return o == owner;
        }
        let Some(origin) = self.origin.as_deref() else {
            return false;
        };
        if o == "@" {
            return owner == origin;
        }
        // `qualify`: the name, a dot, and the origin unless it is the root.
        let origin = if origin == "." { "" } else { origin };
        owner.len() == o.len() + 1 + origin.len()
            && owner.starts_with(o)
            && owner.as_bytes().get(o.len()) == Some(&b'.')
            && owner.ends_with(origin)
    }

    /// One whole record, parentheses removed, as its tokens.
    fn record<'t>(
        &mut self,
        mut toks: impl Iterator<Item = &'t str>,
        blank_owner: bool,
        n: u64,
        out: &mut dyn Emit,
    ) -> Result<Outcome, ParseError> {
        if blank_owner {
            if self.owner.is_empty() {
                return Err(ParseError::new(n, ErrorKind::Name, NO_OWNER));
            }
        } else {
            let Some(o) = toks.next() else {
                return Ok(Outcome::Skipped);
            };
            self.set_owner(o, n)?;
        }
        let mut ttl = None;
        let mut class = None;
        let rtype = loop {
            let Some(t) = toks.next() else {
                return Err(ParseError::new(
                    n,
                    ErrorKind::Syntax,
                    "record without a type",
                ));
            };
            if ttl.is_none() && t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
                ttl = Some(parse_ttl(t).ok_or_else(|| {
                    ParseError::new(n, ErrorKind::Syntax, quoted_message("bad TTL ", t, ""))
                })?);
            } else if class.is_none() && is_class(t.as_bytes()) {
                class = Some(t);
            } else {
                break t;
            }
        };
        if rtype.starts_with("\\-") {
            // A cache dump's negative entry: the name or type does not exist.
            return Ok(Outcome::NoAnswer);
        }
        let rrtype = zone_type(rtype).ok_or_else(|| {
            ParseError::new(
                n,
                ErrorKind::RrType,
                quoted_message("unknown record type ", rtype, ""),
            )
        })?;
        let class_in = match class {
            Some(c) => {
                self.last_class_in =
                    c.eq_ignore_ascii_case("IN") || c.eq_ignore_ascii_case("CLASS1");
                self.last_class_in
            }
            None => self.last_class_in,
        };
        self.rdata.clear();
        let single = build_rdata(rrtype, toks, self.origin.as_deref(), &mut self.rdata)
            .map_err(|(k, why)| ParseError::new(n, k, why))?;
        let data: &str = single.unwrap_or(&self.rdata);
        if data.is_empty() {
            return Err(ParseError::new(n, ErrorKind::Rdata, "record without data"));
        }
        let ttl = if self.dig {
            ttl
        } else {
            ttl.or(self.default_ttl).or(self.last_ttl).or_else(|| {
                if rrtype == RrType::SOA {
                    soa_minimum(data)
                } else {
                    None
                }
            })
        };
        if ttl.is_some() {
            self.last_ttl = ttl;
        }
        if !class_in {
            return Ok(Outcome::Skipped);
        }
        if crypto_omitted(rrtype, data) {
            return Ok(Outcome::NoAnswer);
        }
        let first_of_block = std::mem::replace(&mut self.block_first, false);
        if !self.owner_normal {
            if let Ok(v) = normalize_name_in(&self.owner, &mut self.name_buf) {
                self.owner_norm.clear();
                self.owner_norm.push_str(v);
                self.owner_normal = true;
                self.owner_in_zone = None;
                self.names += 1;
            }
        }
        // The error again, for an owner that is not a name.
        let rrname = if self.owner_normal {
            Ok(self.owner_norm.as_str())
        } else {
            normalize_name_in(&self.owner, &mut self.name_buf)
        };
        if rrtype == RrType::SOA && (!self.dig || first_of_block) {
            match &rrname {
                Ok(z) if self.zone.as_deref() == Some(*z) => {}
                Ok(z) => {
                    self.zone = Some((*z).to_string());
                    self.owner_in_zone = None;
                    self.names += 1;
                }
                Err(_) => {
                    self.zone = None;
                    self.owner_in_zone = None;
                    self.names += 1;
                }
            }
        }
        let seen = if self.dig {
            Timestamp::default()
        } else {
            self.date.or(self.fallback).ok_or_else(|| {
                ParseError::new(
                    n,
                    ErrorKind::Timestamp,
                    "no time for the records: year out of range",
                )
            })?
        };
        let rrname = rrname.map_err(|e| ParseError::from_core(n, e))?;
        let rdata = normal_rdata(rrtype, data, &mut self.rdata_buf, &mut self.field_buf)
            .map_err(|e| ParseError::from_core(n, e))?;
        let a = AssociationView {
            ttl,
            bailiwick: self
                .zone
                .as_deref()
                .filter(|_| owner_in_zone(&mut self.owner_in_zone, rrname, self.zone.as_deref())),
            ..AssociationView::one(rrname, rrtype, rdata, seen, &self.sources)
        };
        if hand_out(self.dig, self.names, &mut self.held, a, out) {
            self.flush(None, out);
        }
        Ok(Outcome::Answer)
    }
}

/// No run of the text (see [`Joiner`]).
const NO_RUN: usize = usize::MAX;

/// Record data joined from the tokens of one text as [`build_rdata`] joins them — fields one
/// space apart, the pieces of a blob glued — in runs: tokens of the text already one space
/// apart are one piece of it, so that data written that way (most of it) is a piece of the
/// text, not a copy. The caller keeps the run being read, from `ra` to `rz` (`ra` is
/// [`NO_RUN`] when there is none), and hands it over when it ends.
struct Joiner<'t, 'b> {
    text: &'t str,
    /// Whether anything was copied into `out`, in which the data is then built.
    copied: bool,
    out: &'b mut String,
}

impl<'t: 'b, 'b> Joiner<'t, 'b> {
    fn new(text: &'t str, out: &'b mut String) -> Joiner<'t, 'b> {
        out.clear();
        Joiner {
            text,
            copied: false,
            out,
        }
    }

    /// Copies the run into `out`.
    #[inline]
    fn flush(&mut self, ra: usize, rz: usize) {
        if ra != NO_RUN {
            self.out.push_str(self.text.get(ra..rz).unwrap_or_default());
            self.copied = true;
        }
    }

    /// Ends the run before a field that does not go on with it: the field comes after a
    /// space if anything came before.
    fn field(&mut self, ra: usize, rz: usize) {
        let space = ra != NO_RUN || !self.out.is_empty();
        self.flush(ra, rz);
        if space {
            self.out.push(' ');
            self.copied = true;
        }
    }

    /// Ends the run, and adds a field that is not a piece of the text, after a space.
    fn owned(&mut self, ra: usize, rz: usize, s: &str) {
        self.field(ra, rz);
        self.out.push_str(s);
        self.copied = true;
    }

    /// The data, `None` when no token came.
    fn finish(mut self, ra: usize, rz: usize) -> Option<&'b str> {
        if !self.copied {
            return (ra != NO_RUN).then(|| self.text.get(ra..rz)).flatten();
        }
        self.flush(ra, rz);
        Some(self.out.as_str())
    }
}

/// The data the generic arm of [`Parser::quick`] joins from the tokens of `line` that `bounds`
/// has left from bit `word` of word `at` on, when every gap from the first of them on is one
/// space (`calm`, [`Lexed::calm`]) and the names among them are absolute; `None` otherwise.
/// One space apart, a token ends a byte before the next one starts: only the starts of the
/// names and of the pieces of a blob are looked for, and the fields between them are skipped.
#[inline(never)]
fn calm_data<'t: 'b, 'b, const W: usize>(
    bounds: &Bounds<W>,
    calm: usize,
    mut word: u64,
    mut at: usize,
    line: &'t str,
    rrtype: RrType,
    out: &'b mut String,
) -> Option<&'b str> {
    let edges = &bounds.edges;
    let a0 = next_bit(edges, &mut word, &mut at)?;
    if a0 < calm {
        return None;
    }
    // The end of the last token: the line's, or a byte before it (one space).
    let end = line.len() - usize::from(line.ends_with(' '));
    // The token from `a`, which ends a byte before the next one starts, or at the end.
    let token = |a: usize, next: Option<usize>| line.get(a..next.map_or(end, |n| n - 1));
    // The fields of names, the lowest bit the token's at `a`; and the first piece of a blob.
    let mut names = name_fields(rrtype);
    let glued_from = blob_from(rrtype).map_or(usize::MAX, |b| b + 1);
    let (mut i, mut a) = (0, a0);
    while i < glued_from {
        let skip = if names & 1 != 0 {
            // A name: it ends where the next token starts, less the space.
            let next = nth_bit(edges, &mut word, &mut at, 1);
            if !is_absolute(token(a, next)?) {
                return None;
            }
            let Some(n) = next else {
                return line.get(a0..end);
            };
            (i, a, names) = (i + 1, n, names >> 1);
            continue;
        } else if names == 0 && glued_from == usize::MAX {
            // Nothing more to look at: the rest is one run.
            return line.get(a0..end);
        } else {
            (names.trailing_zeros() as usize).min(glued_from - i)
        };
        // To the start of the next name or piece, over the starts and ends before it.
        let Some(n) = nth_bit(edges, &mut word, &mut at, 2 * skip - 1) else {
            return line.get(a0..end);
        };
        (i, a) = (i + skip, n);
        names = names.checked_shr(skip as u32).unwrap_or(0);
    }
    // The fields before the blob's pieces, then each piece.
    out.clear();
    out.push_str(line.get(a0..a - 1)?);
    loop {
        let next = nth_bit(edges, &mut word, &mut at, 1);
        out.push_str(token(a, next)?);
        match next {
            Some(n) => a = n,
            None => return Some(out.as_str()),
        }
    }
}

/// [`next_bit`] after `n` bits skipped.
#[inline(always)]
fn nth_bit<const W: usize>(
    all: &[u64; W],
    word: &mut u64,
    at: &mut usize,
    n: usize,
) -> Option<usize> {
    for _ in 0..n {
        next_bit(all, word, at)?;
    }
    next_bit(all, word, at)
}

/// Hands a record out, or in dig output holds it until its response's `;; WHEN:` line; true
/// when [`HOLD_MAX`] records are held, which are then to be flushed without waiting.
#[inline]
fn hand_out(
    dig: bool,
    names: u64,
    held: &mut Held,
    a: AssociationView<'_>,
    out: &mut dyn Emit,
) -> bool {
    if dig {
        held.push(&a, names);
        held.len() >= HOLD_MAX
    } else {
        out.association(a);
        false
    }
}

/// The records of a dig response waiting for its time, their texts in one buffer: a transfer
/// holds thousands, and an owned record each would be two allocations a record.
#[derive(Default)]
struct Held {
    /// The texts of the records, in the order held: a record's name and bailiwick when they
    /// are not the record before's, then its data. Read back in the same order, each piece
    /// is split off with one character-boundary check.
    text: String,
    records: Vec<HeldRecord>,
    /// [`Parser::names`] when the last record was held.
    names: u64,
}

/// One held record: the lengths of its texts in [`Held::text`], and the rest of it.
struct HeldRecord {
    /// The name's and the bailiwick's, when the record has its own (else it has the record
    /// before's).
    names: Option<(usize, Option<usize>)>,
    rdata: usize,
    rrtype: RrType,
    ttl: Option<u32>,
}

impl Held {
    /// Holds a record. `names` is [`Parser::names`]: while it stands, the name and bailiwick
    /// of the last record held are this one's, and are not copied again.
    fn push(&mut self, a: &AssociationView<'_>, names: u64) {
        let same = names == self.names && !self.records.is_empty();
        self.names = names;
        let own = if same {
            None
        } else {
            self.text.push_str(a.rrname);
            if let Some(b) = a.bailiwick {
                self.text.push_str(b);
            }
            Some((a.rrname.len(), a.bailiwick.map(str::len)))
        };
        self.text.push_str(a.rdata);
        self.records.push(HeldRecord {
            names: own,
            rdata: a.rdata.len(),
            rrtype: a.rrtype,
            ttl: a.ttl,
        });
    }

    fn len(&self) -> usize {
        self.records.len()
    }

    fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The held records with their texts, in the order held: each one's name, bailiwick and
    /// data.
    fn entries(&self) -> impl Iterator<Item = (&str, Option<&str>, &HeldRecord, &str)> {
        let mut rest = self.text.as_str();
        let mut take = move |len: usize| {
            let (piece, after) = rest.split_at_checked(len).unwrap_or((rest, ""));
            rest = after;
            piece
        };
        let (mut rrname, mut bailiwick) = ("", None);
        self.records.iter().map(move |r| {
            if let Some((name, zone)) = r.names {
                rrname = take(name);
                bailiwick = zone.map(&mut take);
            }
            (rrname, bailiwick, r, take(r.rdata))
        })
    }

    /// Hands every held record out, seen at `t`, and forgets them; of an incremental
    /// transfer, only what the zone holds after it ([`Held::ixfr_kept`]).
    fn flush(&mut self, t: Timestamp, sources: &Sources, out: &mut dyn Emit) {
        let kept = self.ixfr_kept();
        for (i, (rrname, bailiwick, r, rdata)) in self.entries().enumerate() {
            if kept
                .as_ref()
                .is_some_and(|k| !k.get(i).copied().unwrap_or(true))
            {
                continue;
            }
            out.association(AssociationView {
                ttl: r.ttl,
                bailiwick,
                ..AssociationView::one(rrname, r.rrtype, rdata, t, sources)
            });
        }
        self.records.clear();
        self.text.clear();
    }

    /// The records an incremental transfer (`dig IXFR=N`, kdig's `;; IXFR for`; RFC 1995)
    /// leaves in the zone, as flags over the held records; `None` for any other response.
    /// Such a transfer opens with the zone's SOA and then an older SOA of the same zone; each
    /// difference after that is an old SOA and the records it deletes, then a newer SOA and
    /// the records it adds, and the current SOA closes it. The records deleted were not served
    /// at the response's time and are dropped, with those an earlier difference of the same
    /// transfer added and a later one deleted; the current SOA is kept once.
    #[cold]
    fn ixfr_kept(&self) -> Option<Vec<bool>> {
        let r = &self.records;
        if r.len() < 3 || r.first()?.rrtype != RrType::SOA || r.get(1)?.rrtype != RrType::SOA {
            return None;
        }
        let recs: Vec<(&str, RrType, &str)> = self
            .entries()
            .map(|(name, _, h, data)| (name, h.rrtype, data))
            .collect();
        let serial = |data: &str| data.split_ascii_whitespace().nth(2).map(str::to_owned);
        let (zone, _, current) = *recs.first()?;
        let (second, _, older) = *recs.get(1)?;
        if second != zone || serial(older) == serial(current) {
            return None;
        }
        let mut kept = vec![false; recs.len()];
        if let Some(k) = kept.first_mut() {
            *k = true;
        }
        let (mut soas, mut adding) = (0usize, false);
        for (i, &(name, rrtype, data)) in recs.iter().enumerate().skip(1) {
            if rrtype == RrType::SOA && name == zone {
                adding = soas % 2 == 1;
                soas += 1;
            } else if adding {
                kept[i] = true;
            } else {
                for (k, rec) in kept.iter_mut().zip(&recs).take(i) {
                    if *rec == (name, rrtype, data) {
                        *k = false;
                    }
                }
            }
        }
        Some(kept)
    }
}

/// What reading a text line by line gives ([`FormatParser::line`]): each line's result and
/// records, then the end of input's.
#[cfg(any(test, fuzzing))]
type LineTrace = Vec<(Result<Outcome, ParseError>, Vec<crate::Record>)>;

/// Runs `text` through `p` line by line, every result and record kept.
#[cfg(any(test, fuzzing))]
fn read_by_lines(p: &mut Parser, text: &[u8]) -> LineTrace {
    let mut got = Vec::new();
    for (i, l) in text.split(|&c| c == b'\n').enumerate() {
        let mut out = Vec::new();
        let r = p.line(l, i as u64 + 1, &mut out);
        got.push((r, out));
    }
    let mut out = Vec::new();
    let r = p.finish(&mut out);
    got.push((r, out));
    got
}

/// What reading a text block by block gives ([`FormatParser::block`], as the driver reads a
/// file): the records, the errors, the count of lines and the end of input.
#[cfg(any(test, fuzzing))]
type BlockTrace = (
    Vec<crate::Record>,
    Vec<ParseError>,
    LineTally,
    Result<Outcome, ParseError>,
);

/// Runs `text` through `p` in blocks of `lines` lines each, with lines of at most `max_line`
/// bytes.
#[cfg(any(test, fuzzing))]
fn read_by_blocks(p: &mut Parser, text: &[u8], lines: usize, max_line: usize) -> BlockTrace {
    let mut text = text.to_vec();
    if !text.ends_with(b"\n") {
        text.push(b'\n');
    }
    let all: Vec<&[u8]> = text.split_inclusive(|&c| c == b'\n').collect();
    let (mut out, mut errors, mut tally) = (Vec::new(), Vec::new(), LineTally::default());
    for block in all.chunks(lines.max(1)) {
        p.block(&block.concat(), max_line, &mut tally, &mut out, &mut |e| {
            errors.push(e)
        });
    }
    let end = p.finish(&mut out);
    (out, errors, tally, end)
}

/// Reads `data` twice, through the mask readers and the shortcut and through the general
/// reader alone, and panics unless both give the same: the fuzz target `bind_zone_readers`.
/// Line by line, every line's result and records (and so the state each leaves for the lines
/// after it); block by block, as the driver reads (records spread over lines read in one
/// piece), in one block and in blocks of three lines. The first byte, when odd, gives the
/// reader an origin.
#[cfg(fuzzing)]
pub fn readers_agree(data: &[u8]) {
    let opts = ParseOptions::default();
    let parser = |general_only: bool| {
        let mut p = Parser::new(&opts);
        if data.first().is_some_and(|b| b % 2 == 1) {
            p = p.with_origin("corp.test.").ok()?;
        }
        p.general_only = general_only;
        Some(p)
    };
    let by_lines = |general_only| parser(general_only).map(|mut p| read_by_lines(&mut p, data));
    assert_eq!(by_lines(false), by_lines(true));
    for per_block in [usize::MAX, 3] {
        let by_blocks = |general_only| {
            parser(general_only).map(|mut p| read_by_blocks(&mut p, data, per_block, 1 << 20))
        };
        assert_eq!(by_blocks(false), by_blocks(true));
    }
}

impl FormatParser for Parser {
    fn line(&mut self, raw: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        match text(raw) {
            Cow::Borrowed(line) => excuse_chatter(line, self.text_line(line, n, out)),
            Cow::Owned(line) => excuse_chatter(&line, self.text_line(&line, n, out)),
        }
    }

    fn reads_text(&self) -> bool {
        true
    }

    /// The lines of a block as [`FormatParser::text_block`] reads them, except that a line with
    /// quotes, parentheses or a comment is cut by masks together with the lines after it
    /// (`lex_spread`): a record spread over lines is read in one piece, its lines cut once and
    /// none copied. What the masks cannot take whole goes line by line.
    fn text_block(
        &mut self,
        text: &str,
        max_line: usize,
        tally: &mut LineTally,
        out: &mut dyn Emit,
        on_error: &mut dyn FnMut(ParseError),
    ) {
        let mut lines = LineSpans::new(text.as_bytes());
        self.in_block = self.fast();
        // Counted here, in registers, and handed back at the end.
        let mut t = *tally;
        // The text from the next line on: each line is split off it, one character boundary
        // checked rather than two.
        let mut rest = text;
        while let Some((start, end)) = lines.next() {
            let Some((line, after)) = rest.split_at_checked(end + 1 - start) else {
                break;
            };
            let line = line.strip_suffix('\n').unwrap_or(line);
            let here = std::mem::replace(&mut rest, after);
            if !t.counted(line.len(), max_line, on_error) {
                continue;
            }
            let line = line.strip_suffix('\r').unwrap_or(line);
            let r = self.text_line(line, t.lines, out);
            if self.odd_line.is_none() {
                t.count(excuse_chatter(line, r), on_error);
                continue;
            }
            let blank = self.odd_line.take().unwrap_or_default();
            // The line is read with the lines after it, as one record, when the masks take
            // them; else on its own.
            match self.spread_record(here, blank, max_line, t.lines, out) {
                Some((end, lines_after, r)) => {
                    lines.skip_to(start + end + 1);
                    rest = text.get(start + end + 1..).unwrap_or_default();
                    // The lines before the last have nothing of their own.
                    t.lines += lines_after;
                    t.skipped += lines_after;
                    t.count(excuse_chatter(line, r), on_error);
                }
                None => {
                    self.in_block = false;
                    let r = self.text_line(line, t.lines, out);
                    self.in_block = true;
                    t.count(excuse_chatter(line, r), on_error);
                }
            }
        }
        *tally = t;
        self.in_block = false;
    }

    fn text_line(&mut self, line: &str, n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let fast = self.fast();
        // Plain lines are cut into tokens by bit masks, and the common records among them read
        // straight to their association.
        let b = line.as_bytes();
        if self.depth == 0 && fast {
            if let Some(blank_owner) = plain_start(b) {
                // In a block, a line with quotes, parentheses or a comment is read with the
                // lines after it ([`lex_spread`]), in case it opens a record spread over them.
                if b.len() <= 128 {
                    let lexed = match lex_plain::<2>(b) {
                        Ok(lexed) => Some(lexed),
                        Err(Odd) if self.in_block => return Ok(self.leave_odd(blank_owner)),
                        Err(Odd) => lex_odd::<2>(b),
                    };
                    if let Some(lexed) = lexed {
                        if lexed.open == lexed.close {
                            let toks = MaskTokens::new(line, lexed.bounds);
                            return self.one_record(line, toks, blank_owner, n, out);
                        }
                        if lexed.open > lexed.close {
                            self.open_lexed(line, lexed, blank_owner, n);
                            return Ok(Outcome::Skipped);
                        }
                    }
                } else {
                    // Four mask words for a line of up to 256 bytes (the one-line signed records
                    // of short keys), eight beyond.
                    let plain = if b.len() <= 64 * MID {
                        match lex_plain::<MID>(b) {
                            Ok(lexed) => {
                                return self.wide_record::<MID, usize>(
                                    line,
                                    lexed.bounds,
                                    lexed.calm,
                                    blank_owner,
                                    n,
                                    out,
                                )
                            }
                            Err(odd) => Err(odd),
                        }
                    } else {
                        lex_plain::<WIDE>(b)
                    };
                    let lexed = match plain {
                        Ok(lexed) => Some(lexed),
                        Err(Odd) if self.in_block => return Ok(self.leave_odd(blank_owner)),
                        Err(Odd) => lex_odd::<WIDE>(b),
                    };
                    if let Some(lexed) = lexed {
                        if lexed.open == lexed.close {
                            return self.wide_record::<WIDE, usize>(
                                line,
                                lexed.bounds,
                                lexed.calm,
                                blank_owner,
                                n,
                                out,
                            );
                        }
                        if lexed.open > lexed.close {
                            self.open_lexed(line, lexed, blank_owner, n);
                            return Ok(Outcome::Skipped);
                        }
                    }
                }
            }
        }
        if self.depth > 0 {
            return self.continued(line, out);
        }
        let trimmed = trim_start(line);
        if trimmed.is_empty() {
            return Ok(Outcome::Skipped);
        }
        if trimmed.starts_with(';') {
            return self.comment(trimmed, n, out);
        }
        if line.starts_with('$') {
            return self.directive(line, n, out);
        }
        if let Some(hint) = tool_line(line) {
            if let (None, Some(z)) = (&self.zone, hint) {
                self.set_zone(normalize_name(z).ok());
            }
            return Ok(Outcome::Skipped);
        }
        let blank_owner = trimmed.len() != line.len();
        let s = scan(line);
        let content = line.get(..s.end).unwrap_or(line);
        if s.unterminated {
            return Err(ParseError::new(
                n,
                ErrorKind::Syntax,
                "quoted string not closed on its line",
            ));
        }
        if s.close > s.open {
            return Err(ParseError::new(n, ErrorKind::Syntax, "unbalanced ')'"));
        }
        if s.open > s.close {
            self.pending.clear();
            self.spans_ok = false;
            push_clean(&mut self.pending, content);
            self.pending.push(' ');
            self.pending_line = n;
            self.pending_blank_owner = blank_owner;
            self.depth = s.open - s.close;
            return Ok(Outcome::Skipped);
        }
        if s.open > 0 {
            let mut clean = std::mem::take(&mut self.clean);
            clean.clear();
            push_clean(&mut clean, content);
            let r = self.record(Tokens::new(&clean), blank_owner, n, out);
            self.clean = clean;
            return r;
        }
        self.record(Tokens::new(content), blank_owner, n, out)
    }

    fn finish(&mut self, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        // Held dig records: their lines were counted as they were read.
        self.flush(None, out);
        if self.depth > 0 {
            self.depth = 0;
            self.pending.clear();
            self.spans.clear();
            return Err(ParseError::new(
                self.pending_line,
                ErrorKind::Truncated,
                "input ended inside a parenthesised record",
            ));
        }
        Ok(Outcome::Skipped)
    }
}

/// Whether the one-line reader ([`line_masks`]) may take a line, and if so
/// whether its owner is blank: a line that is neither blank, a comment, a directive nor
/// `named-checkzone` chatter ([`tool_line`]), and whose start needs no Unicode white space rule.
/// Only ASCII bytes decide, so the raw line and its decoded text get the same answer.
#[inline]
fn plain_start(b: &[u8]) -> Option<bool> {
    match *b.first()? {
        b' ' | b'\t' => b
            .iter()
            .find(|&&c| c != b' ' && c != b'\t')
            .is_some_and(|&c| matches!(c, b'!'..=b'~') && c != b';')
            .then_some(true),
        b';' | b'$' => None,
        b'O' if b == b"OK" => None,
        b'z' if b.starts_with(b"zone ") => None,
        // `dumping "zone"` and `loading "zone" …`: no record has a quoted string after its
        // owner, so these never hold one.
        b'd' if b.starts_with(b"dump zone to ") || b.starts_with(b"dumping \"") => None,
        b'l' if b.starts_with(b"loading \"") => None,
        b'!'..=b'~' => Some(false),
        _ => None,
    }
}

/// The tokens of a one-line record, from bit masks of the line built sixteen bytes at a time
/// ([`line_masks`], [`lex`]): what [`scan`], [`push_clean`] and [`Tokens`] find in
/// it, runs of bytes between spaces, tabs and unquoted parentheses, quoted strings whole. `W`
/// words of 64 bits cover the line: two for the short lines of most records, [`WIDE`] for the
/// long ones of signed zones.
#[derive(Debug, Clone, Copy)]
struct MaskTokens<'a, const W: usize> {
    s: &'a str,
    bounds: Bounds<W>,
    /// The words of `bounds` before this one are taken: the next token starts and ends in it
    /// or after it.
    word: usize,
}

impl<'a, const W: usize> MaskTokens<'a, W> {
    fn new(s: &'a str, bounds: Bounds<W>) -> MaskTokens<'a, W> {
        MaskTokens { s, bounds, word: 0 }
    }
}

/// `Iterator` for a reader of tokens that has their text in `s` and implements
/// [`TokenSpans`]: its tokens as pieces of `s`. Tokens end at ASCII bytes or the end, so
/// their ends are character boundaries.
macro_rules! token_iterator {
    ([$($generics:tt)*] $reader:ty) => {
        impl<$($generics)*> Iterator for $reader {
            type Item = &'a str;

            #[inline]
            fn next(&mut self) -> Option<&'a str> {
                token(self.s, self.next_span())
            }
        }
    };
}

/// The piece of `s` from the start to the end of `span`.
#[inline(always)]
fn token(s: &str, span: Option<(usize, usize)>) -> Option<&str> {
    let (a, z) = span?;
    s.get(a..z)
}

token_iterator!(['a, const W: usize] MaskTokens<'a, W>);
token_iterator!(['a, const W: usize, C: Calm] WideTokens<'a, W, C>);
token_iterator!(['a] SpanTokens<'a>);

/// [`MaskTokens`] of masks of `W` words ([`MID`] or [`WIDE`]): the word being read is kept
/// apart, where it stays in a register, and the others are read once each.
///
/// `C` holds the line's [`Lexed::calm`] when its text is one line (see
/// [`TokenSpans::calm_data`]); records spread over lines have none, and their reader no look
/// for it compiled in.
#[derive(Debug, Clone, Copy)]
struct WideTokens<'a, const W: usize, C: Calm = ()> {
    s: &'a str,
    bounds: Bounds<W>,
    /// The bits not yet taken of the word `at` of the edges.
    edges: u64,
    at: usize,
    calm: C,
}

/// Where a line's [`Lexed::calm`] is kept by [`WideTokens`]: in a number for a line, in
/// nothing for a record spread over lines.
trait Calm: Copy + std::fmt::Debug {
    fn calm(self) -> Option<usize>;
}

impl Calm for usize {
    #[inline(always)]
    fn calm(self) -> Option<usize> {
        Some(self)
    }
}

impl Calm for () {
    #[inline(always)]
    fn calm(self) -> Option<usize> {
        None
    }
}

impl<'a, const W: usize, C: Calm> WideTokens<'a, W, C> {
    fn new(s: &'a str, bounds: Bounds<W>, calm: C) -> WideTokens<'a, W, C> {
        WideTokens {
            s,
            bounds,
            edges: bounds.edges[0],
            at: 0,
            calm,
        }
    }
}

/// The lowest bit set in `word`, cleared, at its place in the words `all`: `at` is the word
/// `word` came from, and moves on when it runs out.
#[inline(always)]
fn next_bit<const W: usize>(all: &[u64; W], word: &mut u64, at: &mut usize) -> Option<usize> {
    while *word == 0 {
        *at += 1;
        *word = *all.get(*at)?;
    }
    let b = word.trailing_zeros() as usize;
    *word &= *word - 1;
    Some(64 * *at + b)
}

impl<'t, const W: usize, C: Calm> TokenSpans<'t> for WideTokens<'t, W, C> {
    #[inline(always)]
    fn calm_data<'b>(&self, line: &'t str, rrtype: RrType, out: &'b mut String) -> Option<&'b str>
    where
        't: 'b,
    {
        calm_data(
            &self.bounds,
            self.calm.calm()?,
            self.edges,
            self.at,
            line,
            rrtype,
            out,
        )
    }

    #[inline]
    fn next_span(&mut self) -> Option<(usize, usize)> {
        let edges = &self.bounds.edges;
        let a = next_bit(edges, &mut self.edges, &mut self.at)?;
        let z = next_bit(edges, &mut self.edges, &mut self.at).unwrap_or(64 * W);
        Some((a, z))
    }

    /// With the place in the masks in locals, not in `self`.
    #[inline(always)]
    fn spans_while(self, mut f: impl FnMut(usize, usize) -> bool) -> bool {
        let edges = &self.bounds.edges;
        let (mut word, mut at) = (self.edges, self.at);
        while let Some(a) = next_bit(edges, &mut word, &mut at) {
            let z = next_bit(edges, &mut word, &mut at).unwrap_or(64 * W);
            if !f(a, z) {
                return false;
            }
        }
        true
    }
}

/// Tokens of a record's text, as pieces of it or as where they are in it: the data of a
/// record is then built from where its fields are ([`Joiner`]).
trait TokenSpans<'t>: Iterator<Item = &'t str> + Clone {
    /// Where the next token starts and ends.
    fn next_span(&mut self) -> Option<(usize, usize)>;

    /// The data of a record of type `rrtype` from the tokens left, as the generic arm of
    /// [`Parser::quick`] joins them, when they are known to be one space apart and its names
    /// are absolute ([`calm_data`]); `None` when they are not, or not known to be.
    #[inline(always)]
    fn calm_data<'b>(&self, line: &'t str, rrtype: RrType, out: &'b mut String) -> Option<&'b str>
    where
        't: 'b,
    {
        let _ = (line, rrtype, out);
        None
    }

    /// Calls `f` with where each token starts and ends, while it answers true; whether it
    /// always did.
    #[inline(always)]
    fn spans_while(mut self, mut f: impl FnMut(usize, usize) -> bool) -> bool {
        while let Some((a, z)) = self.next_span() {
            if !f(a, z) {
                return false;
            }
        }
        true
    }
}

impl<'t, const W: usize> TokenSpans<'t> for MaskTokens<'t, W> {
    #[inline]
    fn next_span(&mut self) -> Option<(usize, usize)> {
        let edges = &mut self.bounds.edges;
        let a = take_lowest(edges, &mut self.word)?;
        let z = take_lowest(edges, &mut self.word).unwrap_or(64 * W);
        Some((a, z))
    }
}

/// The tokens of a record, read from a table of where they are, filled line by line for a
/// record spread over lines ([`Parser::append_lexed`]) when it is not read in one piece.
#[derive(Debug, Clone)]
struct SpanTokens<'a> {
    s: &'a str,
    spans: std::slice::Iter<'a, (usize, usize)>,
}

impl<'a> TokenSpans<'a> for SpanTokens<'a> {
    #[inline]
    fn next_span(&mut self) -> Option<(usize, usize)> {
        self.spans.next().copied()
    }
}

/// Words of the masks of a long line: lines of up to 512 bytes (an RRSIG or DNSKEY record of a
/// 2048-bit RSA key on one line, a record of `dig +multi` joined) are cut by masks.
const WIDE: usize = 8;

/// Words of the masks of a line of up to 256 bytes (an RRSIG record of an ECDSA key on one
/// line): fewer words to clear, build and copy than [`WIDE`].
const MID: usize = 4;

/// Where the tokens of a line of at most `64 * W` bytes start and end, one bit per byte, in
/// words of 64 bits (cheaper to walk than wider numbers).
#[derive(Debug, Clone, Copy)]
struct Bounds<const W: usize> {
    /// The bytes where text follows white space or white space text: each token's first
    /// byte, and the byte after its last. Tokens never touch, so the bits come in pairs, but
    /// for a token that runs to the last bit of the words, whose end has no bit: one mask and
    /// one place in it to walk, not two.
    edges: [u64; W],
}

impl<const W: usize> Bounds<W> {
    /// The same bounds in `V` words, when the text they cut, of `end` bytes, fits in them.
    fn narrow<const V: usize>(&self, end: usize) -> Option<Bounds<V>> {
        if end > 64 * V {
            return None;
        }
        let mut edges = [0; V];
        for (n, &e) in edges.iter_mut().zip(&self.edges) {
            *n = e;
        }
        Some(Bounds { edges })
    }
}

/// The lowest bit set in `m`, cleared; its words before `word` are all clear, and `word` moves
/// to the word of the bit.
#[inline]
fn take_lowest<const W: usize>(m: &mut [u64; W], word: &mut usize) -> Option<usize> {
    if W == 2 {
        // Two words, the short lines: no loop.
        let (lo, hi) = (m[0], m[1]);
        return if lo != 0 {
            m[0] = lo & (lo - 1);
            Some(lo.trailing_zeros() as usize)
        } else if hi != 0 {
            m[1] = hi & (hi - 1);
            Some(64 + hi.trailing_zeros() as usize)
        } else {
            None
        };
    }
    while let Some(w) = m.get_mut(*word) {
        if *w != 0 {
            let b = w.trailing_zeros() as usize;
            *w &= *w - 1;
            return Some(64 * *word + b);
        }
        *word += 1;
    }
    None
}

/// Where the tokens of a line [`MaskTokens`] can take start and end, as bit masks ([`Bounds`]):
/// one of at most `64 * W` bytes whose parentheses balance, whose quoted strings are closed and
/// stand as tokens of their own (white space or a parenthesis on each side), with no `\\`
/// outside quotes and no control character or white space other than spaces and tabs outside
/// quotes, up to an optional `;` comment. `None` for any other line, left to [`scan`].
#[inline(always)]
fn line_masks<const W: usize>(b: &[u8]) -> Option<Bounds<W>> {
    lex(b).filter(|l| l.open == l.close).map(|l| l.bounds)
}

/// A line cut by masks ([`lex`]): its tokens, the parentheses it opens and closes, and where
/// its content ends (before a comment).
#[derive(Debug, Clone, Copy)]
struct Lexed<const W: usize> {
    bounds: Bounds<W>,
    open: usize,
    close: usize,
    end: usize,
    /// From this byte on, every gap between tokens is one space: no tab, no two white space
    /// bytes in a row. `usize::MAX` when not known: only [`lex_plain`] of long lines looks.
    calm: usize,
}

/// [`line_masks`] without the balance of the parentheses: the lines of a record spread over
/// lines open and close them apart.
#[inline]
fn lex<const W: usize>(b: &[u8]) -> Option<Lexed<W>> {
    lex_plain(b).ok().or_else(|| lex_odd(b))
}

/// A line [`lex_plain`] leaves to [`lex_odd`]: it has quotes, parentheses, a comment, a
/// byte the masks do not take, or fewer than 16 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Odd;

/// [`lex`] of a line of at most `64 * W` bytes with none of the bytes [`Odd`] names: most
/// lines, at a few instructions per sixteen bytes.
#[inline(always)]
fn lex_plain<const W: usize>(b: &[u8]) -> Result<Lexed<W>, Odd> {
    if b.len() > 64 * W || b.len() < 16 {
        return Err(Odd);
    }
    // Spaces and tabs, one bit per byte; and whether any byte is one `Odd` names, looked at
    // once at the end (a line that has one is rare).
    let mut gaps = [0u64; W];
    // Tabs, for long lines alone (see `Lexed::calm`).
    let mut tabs = [0u64; W];
    let mut odd = 0u16;
    let mut put = |at: usize, gap: u16, tab: u16| {
        if W > 2 {
            if let Some(t) = tabs.get_mut(at / 64) {
                *t |= u64::from(tab) << (at % 64);
            }
        }
        let gap = u64::from(gap) << (at % 64);
        // Sixteen bits at a multiple of sixteen never straddle two words. Two words are named
        // by constants, so that they stay in registers.
        if W == 2 {
            if at < 64 {
                gaps[0] |= gap;
            } else {
                gaps[1] |= gap;
            }
        } else if let Some(g) = gaps.get_mut(at / 64) {
            *g |= gap;
        }
    };
    let (chunks, rest) = b.as_chunks::<16>();
    for (k, &w) in chunks.iter().enumerate() {
        let (gap, o, tab) = classify16(w);
        odd |= o;
        put(16 * k, gap, tab);
    }
    if !rest.is_empty() {
        // The last sixteen bytes stand for the rest: those already seen drop out.
        let seen = 16 - rest.len();
        let w = b
            .get(b.len() - 16..)
            .and_then(|c| <[u8; 16]>::try_from(c).ok())
            .ok_or(Odd)?;
        let (gap, o, tab) = classify16(w);
        odd |= o >> seen;
        put(16 * chunks.len(), gap >> seen, tab >> seen);
    }
    if odd != 0 {
        // Quotes, parentheses, a comment…
        return Err(Odd);
    }
    Ok(Lexed {
        bounds: bounds(gaps, b.len()),
        open: 0,
        close: 0,
        end: b.len(),
        calm: if W > 2 {
            calm_from(&gaps, &tabs)
        } else {
            usize::MAX
        },
    })
}

/// [`Lexed::calm`] of a line whose spaces and tabs are `gaps` and whose tabs are `tabs`: the
/// byte after the last tab, or after the first of the last two white space bytes in a row.
#[inline]
fn calm_from<const W: usize>(gaps: &[u64; W], tabs: &[u64; W]) -> usize {
    let mut above = 0;
    for k in (0..W).rev() {
        let (g, t) = (
            gaps.get(k).copied().unwrap_or(0),
            tabs.get(k).copied().unwrap_or(0),
        );
        let odd = t | (g & ((g >> 1) | (above << 63)));
        if odd != 0 {
            return 64 * k + 64 - odd.leading_zeros() as usize;
        }
        above = g;
    }
    0
}

/// [`line_masks`] of any line of at most `64 * W` bytes, the one the lines with quotes,
/// parentheses or a comment take.
#[cfg(test)]
fn line_masks_odd<const W: usize>(b: &[u8]) -> Option<Bounds<W>> {
    lex_odd(b).filter(|l| l.open == l.close).map(|l| l.bounds)
}

/// [`lex`] of a line with quotes, parentheses, a comment, or of fewer than 16 bytes; and of
/// any line of at most `64 * W` bytes.
#[cold]
fn lex_odd<const W: usize>(b: &[u8]) -> Option<Lexed<W>> {
    if b.len() > 64 * W {
        return None;
    }
    // Spaces and tabs, one bit per byte.
    let mut gaps = [0u64; W];
    // Unquoted parentheses, which separate tokens; and the bytes of quoted strings.
    let (mut parens, mut quoted) = ([0u64; W], [0u64; W]);
    let (mut open, mut close) = (0usize, 0usize);
    let mut quote_at: Option<usize> = None;
    let mut escaped = usize::MAX;
    let mut end = b.len();
    let mut i = 0;
    'chunks: while i < b.len() {
        let (gap, mut odd, _) = classify16(chunk16(b, i));
        // Sixteen bits at a multiple of sixteen never straddle two words.
        if let Some(g) = gaps.get_mut(i / 64) {
            *g |= u64::from(gap) << (i % 64);
        }
        // Quotes, parentheses, `;`, `\\` and control characters, in order: few or none.
        while odd != 0 {
            let at = i + odd.trailing_zeros() as usize;
            odd &= odd - 1;
            let Some(&c) = b.get(at) else { break };
            if at == escaped {
                continue;
            }
            match (quote_at, c) {
                (Some(_), b'\\') => escaped = at + 1,
                (Some(q), b'"') => {
                    if !ends_quote(b.get(at + 1)) {
                        return None;
                    }
                    set_bits(&mut quoted, q, at);
                    quote_at = None;
                }
                // Anything else in quotes is text.
                (Some(_), _) => {}
                (None, b'"') => {
                    if !starts_quote(b, at) {
                        return None;
                    }
                    quote_at = Some(at);
                }
                (None, b'(' | b')') => {
                    if c == b'(' {
                        open += 1;
                    } else {
                        close += 1;
                    }
                    if let Some(p) = parens.get_mut(at / 64) {
                        *p |= 1 << (at % 64);
                    }
                }
                (None, b';') => {
                    end = at;
                    break 'chunks;
                }
                _ => return None,
            }
        }
        i += 16;
    }
    if quote_at.is_some() {
        return None;
    }
    for ((g, p), q) in gaps.iter_mut().zip(parens).zip(quoted) {
        *g = (*g | p) & !q;
    }
    Some(Lexed {
        bounds: bounds(gaps, end),
        open,
        close,
        end,
        calm: usize::MAX,
    })
}

/// A record spread over lines, cut by masks as one piece ([`lex_spread`]).
#[derive(Debug, Clone, Copy)]
struct Spread {
    /// Its tokens, in the text from its first line's start to `end`.
    bounds: Bounds<WIDE>,
    /// Where its last line's newline is.
    end: usize,
    /// How many lines it has.
    lines: u64,
}

/// The record spread over lines that starts `b`, its first line already read and found to
/// open it, cut by masks as one piece: what [`lex`] would find line by line, with newlines
/// and comments as white space. `None` unless it is whole in `b` and in [`WIDE`] words, each
/// of its lines is at most `max_line` bytes, and each line is one that [`lex`] takes and that
/// [`Parser::line_added`] accepts (quotes closed on their line, no `)` without its `(`): any
/// other is left to the line-by-line readers, which report what is wrong with it.
fn lex_spread(b: &[u8], max_line: usize) -> Option<Spread> {
    let b = b.get(..b.len().min(64 * WIDE).min(max_line))?;
    // Spaces, tabs and the other separators (parentheses, newlines), one bit per byte.
    let mut gaps = [0u64; WIDE];
    // The bytes of quoted strings and of comments, which may cross words.
    let (mut quoted, mut comments) = ([0u64; WIDE], [0u64; WIDE]);
    let (mut open, mut close, mut lines) = (0usize, 0usize, 0u64);
    let mut quote_at: Option<usize> = None;
    let mut escaped = usize::MAX;
    // Bytes before this one are in a comment.
    let mut comment_to = 0;
    for ((k, word), bytes) in gaps.iter_mut().enumerate().zip(b.chunks(64)) {
        let base = 64 * k;
        // A word at a time, its flags in registers.
        let (mut gap, mut odd) = match <&[u8; 64]>::try_from(bytes) {
            Ok(full) => classify64(full),
            Err(_) => {
                let mut last = [b' '; 64];
                for (d, &c) in last.iter_mut().zip(bytes) {
                    *d = c;
                }
                classify64(&last)
            }
        };
        while odd != 0 {
            let bit = odd & odd.wrapping_neg();
            let at = base + odd.trailing_zeros() as usize;
            odd &= odd - 1;
            if at < comment_to {
                continue;
            }
            let c = *b.get(at)?;
            if at == escaped && c != b'\n' {
                continue;
            }
            match (quote_at, c) {
                (None, b'\n') => {
                    lines += 1;
                    if close > open {
                        return None;
                    }
                    gap |= bit;
                    if open == close {
                        *word = gap;
                        for ((g, q), c) in gaps.iter_mut().zip(quoted).zip(comments) {
                            *g = (*g & !q) | c;
                        }
                        return Some(Spread {
                            bounds: bounds(gaps, at),
                            end: at,
                            lines,
                        });
                    }
                }
                // The newline of a line ending in CR LF.
                (None, b'\r') if b.get(at + 1) == Some(&b'\n') => gap |= bit,
                (Some(_), b'\n') => return None,
                (Some(_), b'\\') => escaped = at + 1,
                (Some(q), b'"') => {
                    if !ends_quote(b.get(at + 1)) {
                        return None;
                    }
                    set_bits(&mut quoted, q, at);
                    quote_at = None;
                }
                (Some(_), _) => {}
                (None, b'"') => {
                    if !starts_quote(b, at) {
                        return None;
                    }
                    quote_at = Some(at);
                }
                (None, b'(' | b')') => {
                    if c == b'(' {
                        open += 1;
                    } else {
                        close += 1;
                    }
                    gap |= bit;
                }
                (None, b';') => {
                    // To the end of the line, whatever it holds.
                    let nl = at + memchr::memchr(b'\n', b.get(at..)?)?;
                    set_bits(&mut comments, at, nl - 1);
                    comment_to = nl;
                }
                _ => return None,
            }
        }
        *word = gap;
    }
    None
}

/// Whether a `"` closing a quoted string may be followed by `next`: a quoted string is a token
/// of its own, so white space, a parenthesis, a comment or the end comes after it.
#[inline]
fn ends_quote(next: Option<&u8>) -> bool {
    !next.is_some_and(|&n| !matches!(n, b' ' | b'\t' | b'(' | b')' | b';' | b'\r' | b'\n'))
}

/// Whether the `"` at `at` in `b` may open a quoted string: it starts a token.
#[inline]
fn starts_quote(b: &[u8], at: usize) -> bool {
    at == 0 || matches!(b.get(at - 1), Some(b' ' | b'\t' | b'(' | b')' | b'\n'))
}

/// Sets bits `a` to `z` (both included) of the words `m`.
fn set_bits<const W: usize>(m: &mut [u64; W], a: usize, z: usize) {
    for (k, w) in m.iter_mut().enumerate() {
        let (lo, hi) = (64 * k, 64 * k + 63);
        if z < lo || a > hi {
            continue;
        }
        let from = a.max(lo) - lo;
        let to = z.min(hi) - lo;
        *w |= (u64::MAX >> (63 - to)) & (u64::MAX << from);
    }
}

/// The bounds of the tokens of content of `end` bytes whose separators are `gaps`.
#[inline]
fn bounds<const W: usize>(gaps: [u64; W], end: usize) -> Bounds<W> {
    let low_bits = |n: usize| if n >= 64 { u64::MAX } else { (1 << n) - 1 };
    // The words past the end hold no text, and the one after them at most the end of the
    // last token.
    let used = if W == 2 { W } else { (end / 64 + 1).min(W) };
    let mut b = Bounds { edges: [0; W] };
    let mut below = 0;
    for (k, (e, g)) in b.edges.iter_mut().zip(gaps).enumerate().take(used) {
        let t = !g & low_bits(end.saturating_sub(64 * k));
        *e = t ^ ((t << 1) | below);
        below = t >> 63;
    }
    b
}

/// Flags for sixteen bytes, one bit per byte: the spaces and tabs; the bytes a plain line
/// cannot hold (quotes, parentheses, `;`, `\\`, control characters and white space other than
/// tabs); and the tabs alone (for [`Lexed::calm`]; callers that do not ask for them do not
/// pay for them). On x86-64 a compare per class covers all sixteen bytes (SSE2).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn classify16(w: [u8; 16]) -> (u16, u16, u16) {
    use safe_arch::{
        bitandnot_m128i, bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, min_u8_m128i,
        move_mask_i8_m128i, set_splat_i8_m128i,
    };
    let v = load_unaligned_m128i(&w);
    let splat = |c: u8| set_splat_i8_m128i(c as i8);
    let eq = |c: u8| cmp_eq_mask_i8_m128i(v, splat(c));
    let tab = eq(b'\t');
    let gap = bitor_m128i(eq(b' '), tab);
    // `(` and `)` differ in their lowest bit alone.
    let paren = cmp_eq_mask_i8_m128i(bitor_m128i(v, splat(1)), splat(b')'));
    // Control characters are the bytes no greater than 0x1f.
    let control = cmp_eq_mask_i8_m128i(min_u8_m128i(v, splat(0x1f)), v);
    let odd = bitor_m128i(
        bitor_m128i(eq(b'"'), paren),
        bitor_m128i(
            bitor_m128i(eq(b';'), eq(b'\\')),
            bitandnot_m128i(tab, control),
        ),
    );
    (
        move_mask_i8_m128i(gap) as u16,
        move_mask_i8_m128i(odd) as u16,
        move_mask_i8_m128i(tab) as u16,
    )
}

/// [`classify16`] without SSE2: written without branches so that the compiler makes vector
/// code of it where it can; the flags are then gathered into bits by a multiplication.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn classify16(w: [u8; 16]) -> (u16, u16, u16) {
    let (mut gap, mut odd, mut tabs) = ([0u8; 16], [0u8; 16], [0u8; 16]);
    for (((g, o), t), &c) in gap
        .iter_mut()
        .zip(odd.iter_mut())
        .zip(tabs.iter_mut())
        .zip(w.iter())
    {
        let tab = c == b'\t';
        *t = u8::from(tab);
        *g = u8::from((c == b' ') | tab);
        // `(` and `)` differ in their lowest bit alone.
        *o = u8::from(
            (c == b'"') | ((c | 1) == b')') | (c == b';') | (c == b'\\') | ((c < 0x20) & !tab),
        );
    }
    (gather(gap), gather(odd), gather(tabs))
}

/// The lowest bits of sixteen bytes (each 0 or 1) as the bits of one number.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn gather(flags: [u8; 16]) -> u16 {
    let x = u128::from_le_bytes(flags);
    let half = |h: u64| u16::from((h.wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8);
    half(x as u64) | half((x >> 64) as u64) << 8
}

/// [`classify16`] of sixteen bytes four times.
#[inline(always)]
fn classify64(bytes: &[u8; 64]) -> (u64, u64) {
    let (chunks, _) = bytes.as_chunks::<16>();
    let (mut gap, mut odd) = (0u64, 0u64);
    for (j, &c) in chunks.iter().enumerate() {
        let (g, o, _) = classify16(c);
        gap |= u64::from(g) << (16 * j);
        odd |= u64::from(o) << (16 * j);
    }
    (gap, odd)
}

/// The sixteen bytes of `b` from `i`, spaces past the end.
#[inline]
fn chunk16(b: &[u8], i: usize) -> [u8; 16] {
    if let Some(w) = b.get(i..i + 16).and_then(|c| <[u8; 16]>::try_from(c).ok()) {
        return w;
    }
    let past = (i + 16).saturating_sub(b.len());
    if let (Some(w), true) = (
        b.len()
            .checked_sub(16)
            .and_then(|s| b.get(s..))
            .and_then(|c| <[u8; 16]>::try_from(c).ok()),
        past < 16,
    ) {
        // The line's last sixteen bytes, shifted so that byte `i` comes first.
        let spaces = u128::from_le_bytes([b' '; 16]) << (8 * (16 - past));
        return ((u128::from_le_bytes(w) >> (8 * past)) | spaces).to_le_bytes();
    }
    let mut w = [b' '; 16];
    for (d, &c) in w.iter_mut().zip(b.get(i..).unwrap_or_default()) {
        *d = c;
    }
    w
}

/// Where a line's content ends (before an unquoted `;`) and its unquoted parentheses.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Scan {
    end: usize,
    open: usize,
    close: usize,
    unterminated: bool,
}

/// Reads a line's quotes, `\` escapes, comment and parentheses; the bytes before the first of
/// them are skipped sixteen at a time ([`classify16`]) on short lines — the lines of a record
/// spread over lines, most with none of them — and with memchr on long ones.
fn scan(line: &str) -> Scan {
    let b = line.as_bytes();
    let mut s = Scan::default();
    let mut quoted = false;
    let first = if b.len() <= 64 {
        first_odd(b)
    } else {
        let first = memchr::memchr3(b'"', b';', b'\\', b);
        memchr::memchr2(b'(', b')', b.get(..first.unwrap_or(b.len())).unwrap_or(b)).or(first)
    };
    let Some(mut i) = first else {
        s.end = b.len();
        return s;
    };
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => {
                i += 2;
                continue;
            }
            b'"' => quoted = !quoted,
            b';' if !quoted => {
                s.end = i;
                s.unterminated = false;
                return s;
            }
            b'(' if !quoted => s.open += 1,
            b')' if !quoted => s.close += 1,
            _ => {}
        }
        i += 1;
    }
    s.end = b.len();
    s.unterminated = quoted;
    s
}

/// The first byte of `b` that [`classify16`] calls odd (a quote, parenthesis, `;`, `\\` or
/// control character), sixteen bytes at a time.
#[inline]
fn first_odd(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < b.len() {
        let (_, odd, _) = classify16(chunk16(b, i));
        if odd != 0 {
            return Some(i + odd.trailing_zeros() as usize);
        }
        i += 16;
    }
    None
}

/// Appends `s` with its unquoted parentheses turned into spaces. The bytes between quotes,
/// escapes and parentheses are copied in runs, found sixteen bytes at a time.
fn push_clean(dst: &mut String, s: &str) {
    let b = s.as_bytes();
    let mut quoted = false;
    // Bytes before this one are in `dst`; the byte at `escaped` is taken as it is.
    let mut copied = 0;
    let mut escaped = usize::MAX;
    let mut i = 0;
    while i < b.len() {
        let (_, mut odd, _) = classify16(chunk16(b, i));
        while odd != 0 {
            let at = i + odd.trailing_zeros() as usize;
            odd &= odd - 1;
            if at == escaped {
                continue;
            }
            match b.get(at) {
                Some(b'\\') => escaped = at + 1,
                Some(b'"') => quoted = !quoted,
                Some(b'(' | b')') if !quoted => {
                    // A paren is one ASCII byte: both ends are character boundaries.
                    dst.push_str(s.get(copied..at).unwrap_or_default());
                    dst.push(' ');
                    copied = at + 1;
                }
                _ => {}
            }
        }
        i += 16;
    }
    dst.push_str(s.get(copied..).unwrap_or_default());
}

/// Whitespace-separated tokens; a quoted string (with `\"` escapes) is one token, quotes kept.
///
/// Text of more than 64 bytes with no quote and no backslash — the data of RRSIG, DNSKEY and
/// NSEC records, read from several lines or one long line — is cut by masks of its white
/// space, 64 bytes at a time ([`WsWindow`]), into the same tokens.
struct Tokens<'a> {
    s: &'a str,
    pos: usize,
    plain: Option<WsWindow>,
}

impl<'a> Tokens<'a> {
    fn new(s: &'a str) -> Tokens<'a> {
        let b = s.as_bytes();
        let plain =
            (b.len() > 64 && memchr::memchr2(b'"', b'\\', b).is_none()).then(|| WsWindow::at(b, 0));
        Tokens { s, pos: 0, plain }
    }

    /// The next token of text without quotes or backslashes, from its white-space masks.
    fn next_plain(&mut self) -> Option<&'a str> {
        let b = self.s.as_bytes();
        let w = self.plain.as_mut()?;
        // The first byte that is not white space (bits past the end are white space).
        let mut at = self.pos;
        loop {
            if at >= b.len() {
                self.pos = b.len();
                return None;
            }
            w.cover(b, at);
            let text = !w.ws >> (at - w.base);
            if text != 0 {
                at += text.trailing_zeros() as usize;
                break;
            }
            at = w.base + 64;
        }
        let start = at;
        // The first white space after it, or the end.
        loop {
            if at >= b.len() {
                at = b.len();
                break;
            }
            w.cover(b, at);
            let ws = w.ws >> (at - w.base);
            if ws != 0 {
                at += ws.trailing_zeros() as usize;
                break;
            }
            at = w.base + 64;
        }
        self.pos = at;
        self.s.get(start..at)
    }
}

/// The ASCII white space (as [`u8::is_ascii_whitespace`]) of 64 bytes of a text, one bit a
/// byte, with every bit past the text's end set.
struct WsWindow {
    base: usize,
    ws: u64,
}

impl WsWindow {
    fn at(b: &[u8], base: usize) -> WsWindow {
        let mut ws = 0u64;
        for k in 0..4 {
            ws |= u64::from(ascii_ws16(chunk16(b, base + 16 * k))) << (16 * k);
        }
        WsWindow { base, ws }
    }

    /// Moves the window to the 64 bytes holding byte `at`.
    #[inline]
    fn cover(&mut self, b: &[u8], at: usize) {
        let base = at & !63;
        if base != self.base {
            *self = WsWindow::at(b, base);
        }
    }
}

/// The ASCII white space of sixteen bytes (space, tab, newline, form feed, carriage return),
/// one bit a byte.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn ascii_ws16(w: [u8; 16]) -> u16 {
    use safe_arch::{
        bitandnot_m128i, bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, min_u8_m128i,
        move_mask_i8_m128i, set_splat_i8_m128i, sub_i8_m128i,
    };
    let v = load_unaligned_m128i(&w);
    let splat = |c: u8| set_splat_i8_m128i(c as i8);
    // Tab to carriage return are 9 to 13, vertical tab (11) aside.
    let low = sub_i8_m128i(v, splat(b'\t'));
    let controls = cmp_eq_mask_i8_m128i(min_u8_m128i(low, splat(4)), low);
    let ws = bitor_m128i(
        cmp_eq_mask_i8_m128i(v, splat(b' ')),
        bitandnot_m128i(cmp_eq_mask_i8_m128i(v, splat(0x0b)), controls),
    );
    move_mask_i8_m128i(ws) as u16
}

/// [`ascii_ws16`] without SSE2.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn ascii_ws16(w: [u8; 16]) -> u16 {
    w.iter()
        .enumerate()
        .fold(0, |m, (k, c)| m | u16::from(c.is_ascii_whitespace()) << k)
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.plain.is_some() {
            return self.next_plain();
        }
        let b = self.s.as_bytes();
        let mut start = self.pos;
        while b.get(start).is_some_and(u8::is_ascii_whitespace) {
            start += 1;
        }
        let tail = b.get(start..).unwrap_or_default();
        let len = match tail.first() {
            None => {
                self.pos = b.len();
                return None;
            }
            // Up to the closing quote, past `\x` escapes; or the end.
            Some(b'"') => {
                let mut i = 1;
                loop {
                    match tail.get(i..).and_then(|t| memchr::memchr2(b'"', b'\\', t)) {
                        Some(at) if tail.get(i + at) == Some(&b'\\') => i += at + 2,
                        Some(at) => break i + at + 1,
                        None => break tail.len(),
                    }
                }
            }
            // Up to white space, except right after a backslash.
            Some(_) => {
                let mut i = 0;
                loop {
                    let at = i + space_or_escape(tail.get(i..).unwrap_or_default());
                    match tail.get(at) {
                        Some(b'\\') => i = at + 2,
                        _ => break at.min(tail.len()),
                    }
                }
            }
        };
        // Token ends only at ASCII bytes or the end, so these are character boundaries.
        let end = (start + len).min(b.len());
        self.pos = end;
        self.s.get(start..end).or_else(|| self.s.get(start..))
    }
}

/// The index of the first ASCII white space or backslash in `b`, or its length: eight bytes at
/// a time, the bytes below `!` and the backslashes flagged in one word, each flag then checked
/// (control characters other than white space end nothing).
fn space_or_escape(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = b.chunks_exact(8);
    let mut base = 0;
    for c in &mut chunks {
        let Ok(w) = <[u8; 8]>::try_from(c) else {
            break;
        };
        let x = u64::from_le_bytes(w);
        // A flag is exact for the lowest flagged byte and never missing; above that byte a
        // borrow may raise a false one, which the check drops.
        let below = x.wrapping_sub(ONES * 0x21) & !x;
        let y = x ^ (ONES * u64::from(b'\\'));
        let slash = y.wrapping_sub(ONES) & !y;
        let mut m = (below | slash) & HIGH;
        while m != 0 {
            let k = (m.trailing_zeros() / 8) as usize;
            if w.get(k)
                .is_some_and(|&c| c.is_ascii_whitespace() || c == b'\\')
            {
                return base + k;
            }
            m &= m - 1;
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c.is_ascii_whitespace() || c == b'\\')
        .map_or(b.len(), |k| base + k)
}

/// `str::trim_start`, with leading spaces and tabs skipped as bytes when a visible ASCII byte
/// follows them (nearly always): the Unicode pattern of `trim_start` cost comment lines ~60
/// instructions each.
#[inline]
fn trim_start(s: &str) -> &str {
    if s.as_bytes().first().is_some_and(u8::is_ascii_graphic) {
        return s;
    }
    let lead = s.bytes().take_while(|&b| b == b' ' || b == b'\t').count();
    match s.as_bytes().get(lead) {
        Some(b) if b.is_ascii_graphic() => s.get(lead..).unwrap_or(s),
        _ => s.trim_start(),
    }
}

/// True when `name` ends with a dot that is not escaped.
#[inline]
fn is_absolute(name: &str) -> bool {
    match name.as_bytes() {
        [.., b'\\', b'.'] => escaped_dot_is_absolute(name),
        [.., b'.'] => true,
        _ => false,
    }
}

/// [`is_absolute`] of a name ending in `\\.`: the backslashes before the dot are counted.
#[cold]
fn escaped_dot_is_absolute(name: &str) -> bool {
    let rest = name.strip_suffix('.').unwrap_or(name);
    rest.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 0
}

/// A name field of record data made absolute (into `scratch` when it is relative) and
/// normalised; `None` where either step fails.
#[inline]
fn name_field<'a>(
    t: &'a str,
    origin: Option<&str>,
    scratch: &'a mut String,
    buf: &'a mut String,
) -> Option<&'a str> {
    if is_absolute(t) {
        return normalize_name_in(t, buf).ok();
    }
    scratch.clear();
    qualify(t, origin, scratch).ok()?;
    normalize_name_in(scratch, buf).ok()
}

/// Appends `name` made absolute against `origin` (`@` is the origin itself).
fn qualify(name: &str, origin: Option<&str>, out: &mut String) -> Result<(), (ErrorKind, String)> {
    if is_absolute(name) {
        out.push_str(name);
        return Ok(());
    }
    let Some(o) = origin else {
        return Err((ErrorKind::Name, NO_ORIGIN.to_string()));
    };
    if name == "@" {
        out.push_str(o);
        return Ok(());
    }
    out.push_str(name);
    out.push('.');
    if o != "." {
        out.push_str(o);
    }
    Ok(())
}

/// The reason of a blank owner (a line starting with white space) before any owner.
const NO_OWNER: &str = "blank owner, and the previous record's owner is unknown";

/// The reason of a relative name met without an origin. A file without `$ORIGIN` has one for
/// nearly every record, so it is fixed text, which costs no allocation per line: the line
/// number shows the name, and the reason says what to do.
const NO_ORIGIN: &str =
    "relative name, and no $ORIGIN: the zone's name is unknown; give it as the origin";

/// True when the `Debug` form of `s` is `s` in quotes: printable ASCII, no `"` or `\\`.
fn plain_debug(s: &[u8]) -> bool {
    s.iter()
        .all(|&b| matches!(b, b' '..=b'~') && b != b'"' && b != b'\\')
}

/// `format!("{head}{s:?}{tail}")` without the formatting machinery for the usual `s`, whose
/// `Debug` form is itself in quotes: error messages are built for every bad line, and a file
/// without `$ORIGIN` is nothing but bad lines.
fn quoted_message(head: &str, s: &str, tail: &str) -> String {
    if !plain_debug(s.as_bytes()) {
        return format!("{head}{s:?}{tail}");
    }
    let mut m = String::with_capacity(head.len() + s.len() + tail.len() + 2);
    m.push_str(head);
    m.push('"');
    m.push_str(s);
    m.push('"');
    m.push_str(tail);
    m
}

/// Whether `owner`, the current owner's normal form, is in `zone`, asked once per owner and
/// zone (`cache`, which the parser forgets when either changes).
#[inline]
fn owner_in_zone(cache: &mut Option<bool>, owner: &str, zone: Option<&str>) -> bool {
    *cache.get_or_insert_with(|| zone.is_some_and(|z| in_zone(owner, z)))
}

/// [`normalize_rdata_in`] of record data built by [`build_rdata`]. The types whose data has
/// several fields among them names (MX, SRV, SOA…) are rebuilt here into `buf`, each name
/// normalised through `field`, as the core does it; whatever this does not take as it is
/// (a field count or a field the core refuses) goes to the core for its verdict.
fn normal_rdata<'a>(
    rrtype: RrType,
    rdata: &'a str,
    buf: &'a mut String,
    field: &mut String,
) -> Result<&'a str, yapdns_core::Error> {
    let is_name: &[bool] = match rrtype {
        RrType::MX | RrType::KX | RrType::AFSDB => &[false, true],
        RrType::SRV => &[false, false, false, true],
        RrType::SOA => &[true, true, false, false, false, false, false],
        // Parameters sorted by key and written as BIND writes them, the target lower-cased.
        RrType::SVCB | RrType::HTTPS => {
            return match svcb::canonical(rdata, buf) {
                svcb::Canonical::Written => Ok(buf.as_str()),
                svcb::Canonical::Refused(reason) => Err(yapdns_core::Error::InvalidRdata {
                    rrtype: rrtype.to_string(),
                    rdata: rdata.to_string(),
                    reason: reason.into(),
                }),
                svcb::Canonical::AsWritten => normalize_rdata_in(rrtype, rdata, buf),
            };
        }
        RrType::CAA => {
            return match canonical_caa(rdata, buf) {
                Ok(()) => Ok(buf.as_str()),
                Err(reason) => Err(yapdns_core::Error::InvalidRdata {
                    rrtype: rrtype.to_string(),
                    rdata: rdata.to_string(),
                    reason: reason.into(),
                }),
            };
        }
        // RFC 3597 data stays generic.
        RrType::NAPTR | RrType::CERT | RrType::LOC if rdata.starts_with("\\#") => {
            return normalize_rdata_in(rrtype, rdata, buf)
        }
        RrType::NAPTR | RrType::CERT | RrType::LOC => {
            let written = match rrtype {
                RrType::NAPTR => canonical_naptr(rdata, buf),
                RrType::CERT => canonical_cert(rdata, buf),
                _ => canonical_loc(rdata, buf),
            };
            return match written {
                Ok(()) => Ok(buf.as_str()),
                Err(reason) => Err(yapdns_core::Error::InvalidRdata {
                    rrtype: rrtype.to_string(),
                    rdata: rdata.to_string(),
                    reason: reason.into(),
                }),
            };
        }
        _ if strings_only(rrtype) && !strings_canonical(rdata) => {
            return match canonical_strings(rdata, buf) {
                Some(()) => Ok(buf.as_str()),
                None => Err(yapdns_core::Error::InvalidRdata {
                    rrtype: rrtype.to_string(),
                    rdata: rdata.to_string(),
                    reason: "a quoted string not closed, or a bad \\ escape".into(),
                }),
            };
        }
        _ => return normalize_rdata_in(rrtype, rdata, buf),
    };
    if fields_with_names_in(rdata, is_name, buf, field) {
        Ok(buf.as_str())
    } else {
        normalize_rdata_in(rrtype, rdata, buf)
    }
}

/// NAPTR data (RFC 3403) as BIND prints it and `dnstap` writes it: order and preference as
/// their value, flags, services and regexp each one quoted string escaped as TXT strings are,
/// the replacement as written (made absolute). A zone file's `100 10 u e2u+sip …` is then
/// dig's `100 10 "u" "e2u+sip" …`. `Err` names what BIND refuses.
fn canonical_naptr(data: &str, out: &mut String) -> Result<(), &'static str> {
    let b = data.as_bytes();
    out.clear();
    let mut at = 0;
    for _ in 0..2 {
        at = skip_blanks(b, at);
        let end = b
            .get(at..)
            .and_then(|r| r.iter().position(|c| matches!(c, b' ' | b'\t')))
            .map_or(b.len(), |e| at + e);
        let n = data
            .get(at..end)
            .filter(|f| !f.is_empty() && f.len() <= 5 && f.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|f| f.parse::<u16>().ok())
            .ok_or("order and preference are not numbers up to 65535")?;
        push_u32(out, u32::from(n));
        out.push(' ');
        at = end;
    }
    for _ in 0..3 {
        at = skip_blanks(b, at);
        if at >= b.len() {
            return Err("NAPTR data cut short");
        }
        at = push_string(b, at, out).ok_or("a quoted string not closed, or a bad \\ escape")?;
        out.push(' ');
    }
    at = skip_blanks(b, at);
    let replacement = data.get(at..).unwrap_or_default().trim_end();
    if replacement.is_empty() || replacement.contains([' ', '\t']) {
        return Err("not one replacement name");
    }
    out.push_str(replacement);
    Ok(())
}

/// CERT data (RFC 4398) as BIND prints it and `dnstap` writes it: the certificate type and the
/// algorithm by name where BIND has one, whether the file gives the name or the number (`3 0
/// 8` is `PGP 0 RSASHA256`), the key tag as its value, then the certificate.
fn canonical_cert(data: &str, out: &mut String) -> Result<(), &'static str> {
    let mut fields = data.split_ascii_whitespace();
    let (Some(t), Some(tag), Some(alg)) = (fields.next(), fields.next(), fields.next()) else {
        return Err("CERT data cut short");
    };
    let (t, tag, alg) = cert_head(t, tag, alg)?;
    out.clear();
    push_cert_head(t, tag, alg, out);
    // The certificate's pieces are glued already; `dig +multi` writes none other.
    for piece in fields {
        out.push(' ');
        out.push_str(piece);
    }
    Ok(())
}

/// LOC data (RFC 1876) as BIND prints it and `dnstap` writes it: every field, defaults and
/// decimals included, so that `52 22 N 4 53 E 0m` is `52 22 0.000 N 4 53 0.000 E 0.00m 1m
/// 10000m 10m`.
fn canonical_loc(data: &str, out: &mut String) -> Result<(), &'static str> {
    let wire = loc_from_text(data)?;
    out.clear();
    push_loc(&wire, out)
}

/// The core's rebuilding of several-field data (single spaces, names normalised, the other
/// fields digits only) into `out`; false where it would refuse the data.
fn fields_with_names_in(
    rdata: &str,
    is_name: &[bool],
    out: &mut String,
    field: &mut String,
) -> bool {
    out.clear();
    let mut fields = rdata.split_ascii_whitespace();
    for &name in is_name {
        let Some(f) = fields.next() else {
            return false;
        };
        if !out.is_empty() {
            out.push(' ');
        }
        if name {
            match normalize_name_in(f, field) {
                Ok(v) => out.push_str(v),
                Err(_) => return false,
            }
        } else if f.bytes().all(|b| b.is_ascii_digit()) {
            // As the core writes a number: its value, without leading zeros.
            let digits = f.trim_start_matches('0');
            out.push_str(if digits.is_empty() { "0" } else { digits });
        } else {
            return false;
        }
    }
    fields.next().is_none()
}

/// Digits without a leading zero: a number [`Parser::quick`] copies as it is. `010` goes the
/// general way, which writes it as the core does, `10`.
#[inline]
fn plain_number(t: &str) -> bool {
    let b = t.as_bytes();
    b.iter().all(|c| c.is_ascii_digit()) && (b.len() == 1 || b.first() != Some(&b'0'))
}

/// [`parse_ttl`] of a token's bytes: nine digits or fewer (nearly every TTL) summed at once.
#[inline(always)]
fn ttl_value(t: &[u8]) -> Option<u32> {
    if (1..=9).contains(&t.len()) {
        let mut v = 0u32;
        for &d in t {
            let d = d.wrapping_sub(b'0');
            if d > 9 {
                return parse_ttl(std::str::from_utf8(t).ok()?);
            }
            v = v * 10 + u32::from(d);
        }
        return Some(v);
    }
    parse_ttl(std::str::from_utf8(t).ok()?)
}

/// A TTL: seconds, or units `w d h m s` in any case (`1h30m`, `2D`).
pub(crate) fn parse_ttl(s: &str) -> Option<u32> {
    let mut total: u64 = 0;
    let mut cur: u64 = 0;
    let mut have_digit = false;
    for c in s.bytes() {
        if c.is_ascii_digit() {
            cur = cur * 10 + u64::from(c - b'0');
            if cur > u64::from(u32::MAX) {
                return None;
            }
            have_digit = true;
        } else {
            let unit = match c.to_ascii_lowercase() {
                b'w' => 604_800,
                b'd' => 86_400,
                b'h' => 3_600,
                b'm' => 60,
                b's' => 1,
                _ => return None,
            };
            if !have_digit {
                return None;
            }
            total += cur * unit;
            cur = 0;
            have_digit = false;
        }
    }
    if !have_digit && total == 0 && s.is_empty() {
        return None;
    }
    total += cur;
    u32::try_from(total).ok()
}

fn is_class(b: &[u8]) -> bool {
    let is = |c: &[u8]| b.eq_ignore_ascii_case(c);
    let numbered = || {
        b.len() > 5
            && b.get(..5).is_some_and(|p| p.eq_ignore_ascii_case(b"CLASS"))
            && b.iter().skip(5).all(u8::is_ascii_digit)
    };
    // By length first: a type or a TTL is rejected after one compare at most.
    match b.len() {
        2 => is(b"IN") || is(b"CH") || is(b"HS") || is(b"CS"),
        3 => is(b"ANY"),
        4 => is(b"NONE"),
        5 => is(b"CHAOS"),
        6 => is(b"HESIOD") || numbered(),
        _ => numbered(),
    }
}

/// A record type in a master file: a mnemonic or `TYPEn`, never a bare number (which would be
/// a TTL).
fn zone_type(t: &str) -> Option<RrType> {
    presentation_type(t.as_bytes())
}

/// A record type as BIND writes it, in zone files and query logs alike (and Unbound and
/// dnsmasq after it): a mnemonic or `TYPEn`, starting with a letter. The types logs are full
/// of are matched on their bytes first, without the general lookup.
pub(crate) fn presentation_type(t: &[u8]) -> Option<RrType> {
    let common = match t {
        b"A" => Some(RrType::A),
        b"AAAA" => Some(RrType::Aaaa),
        b"NS" => Some(RrType::NS),
        b"CNAME" => Some(RrType::CNAME),
        b"SOA" => Some(RrType::SOA),
        b"MX" => Some(RrType::MX),
        b"TXT" => Some(RrType::TXT),
        b"SRV" => Some(RrType::SRV),
        b"PTR" => Some(RrType::PTR),
        b"HTTPS" => Some(RrType::HTTPS),
        b"CAA" => Some(RrType::CAA),
        b"DS" => Some(RrType::DS),
        b"RRSIG" => Some(RrType::RRSIG),
        b"NSEC" => Some(RrType::NSEC),
        b"DNSKEY" => Some(RrType::DNSKEY),
        _ => None,
    };
    if common.is_some() {
        return common;
    }
    let t = std::str::from_utf8(t).ok()?;
    if !t.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    t.parse::<RrType>().ok()
}

/// Positions of the rdata fields that are domain names, per type: bit `i` for field `i`
/// (a mask, which a loop over the fields shifts as it goes).
fn name_fields(t: RrType) -> u32 {
    match t {
        RrType::CNAME | RrType::NS | RrType::PTR | RrType::DNAME | RrType::NSEC => 1,
        RrType::MX | RrType::KX | RrType::AFSDB | RrType::SVCB | RrType::HTTPS => 1 << 1,
        RrType::SRV => 1 << 3,
        RrType::SOA | RrType::RP => 1 | 1 << 1,
        RrType::NAPTR => 1 << 5,
        RrType::RRSIG | RrType::SIG => 1 << 7,
        RrType::Other(3 | 4 | 7 | 8 | 9 | 23) => 1,
        RrType::Other(14 | 58) => 1 | 1 << 1,
        RrType::Other(21 | 107) => 1 << 1,
        RrType::Other(26) => 1 << 1 | 1 << 2,
        _ => 0,
    }
}

/// Whether field `i` is a name by the mask of [`name_fields`].
fn is_name_field(names: u32, i: usize) -> bool {
    u32::try_from(i)
        .ok()
        .and_then(|i| names.checked_shr(i))
        .is_some_and(|m| m & 1 != 0)
}

/// The field from which the rest of the rdata is one base64 or hex blob that presentation
/// may split with spaces.
fn blob_from(t: RrType) -> Option<usize> {
    match t {
        RrType::OPENPGPKEY | RrType::DHCID => Some(0),
        RrType::SSHFP => Some(2),
        RrType::DNSKEY
        | RrType::CDNSKEY
        | RrType::KEY
        | RrType::DS
        | RrType::CDS
        | RrType::TLSA
        | RrType::SMIMEA
        | RrType::CERT
        | RrType::ZONEMD
        | RrType::Other(32768 | 32769) => Some(3),
        RrType::IPSECKEY => Some(4),
        RrType::RRSIG | RrType::SIG => Some(8),
        _ => None,
    }
}

/// Builds the presentation rdata of one record into `out`; or, for data of one field that
/// stays as written (an address, a key, an absolute name where no name is expected), returns
/// that field and leaves `out` alone.
fn build_rdata<'a>(
    rrtype: RrType,
    mut toks: impl Iterator<Item = &'a str>,
    origin: Option<&str>,
    out: &mut String,
) -> Result<Option<&'a str>, (ErrorKind, String)> {
    let Some(mut t) = toks.next() else {
        return Ok(None);
    };
    if t == "\\#" {
        generic(rrtype, toks, out)?;
        return Ok(None);
    }
    let names = name_fields(rrtype);
    let mut next = toks.next();
    // One field stays as written, a name too when it is already absolute.
    if next.is_none() && (!is_name_field(names, 0) || is_absolute(t)) {
        return Ok(Some(t));
    }
    let blob = blob_from(rrtype);
    let mut i = 0;
    loop {
        let glued = blob.is_some_and(|b| i > b);
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        if is_name_field(names, i) {
            qualify(t, origin, out)?;
        } else if rrtype == RrType::SOA && (3..=6).contains(&i) {
            match parse_ttl(t) {
                Some(v) => push_u32(out, v),
                None => out.push_str(t),
            }
        } else {
            out.push_str(t);
        }
        let Some(n) = next else {
            return Ok(None);
        };
        t = n;
        next = toks.next();
        i += 1;
    }
}

/// Appends `v` in decimal.
fn push_u32(out: &mut String, v: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut v = v;
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (v % 10) as u8;
        }
        v /= 10;
        if v == 0 || at == 0 {
            break;
        }
    }
    for &d in digits.get(at..).unwrap_or_default() {
        out.push(char::from(d));
    }
}

/// RFC 3597 `\# length hex…`: decoded for the types that have a text form, else kept generic.
fn generic<'a>(
    rrtype: RrType,
    mut toks: impl Iterator<Item = &'a str>,
    out: &mut String,
) -> Result<(), (ErrorKind, String)> {
    let bad = |why: &str| (ErrorKind::Rdata, format!("\\# data: {why}"));
    let len: usize = toks
        .next()
        .and_then(|l| l.parse().ok())
        .ok_or_else(|| bad("no length"))?;
    // The length is the file's word: room for at most what RDATA can hold (RFC 1035: 16 bits).
    let mut bytes = Vec::with_capacity(len.min(usize::from(u16::MAX)));
    let mut half: Option<u8> = None;
    for t in toks {
        for c in t.bytes() {
            let v = (c as char)
                .to_digit(16)
                .ok_or_else(|| bad("not hexadecimal"))? as u8;
            match half.take() {
                Some(h) => bytes.push(h << 4 | v),
                None => half = Some(v),
            }
        }
    }
    if half.is_some() || bytes.len() != len {
        return Err(bad("length does not match the data"));
    }
    // Known types are written as BIND loads them and dnstap writes them (TXT strings, SOA
    // fields, CAA values…); the others stay generic, in lower-case hex.
    if matches!(rrtype, RrType::SVCB | RrType::HTTPS) {
        svcb::from_wire(&bytes, out).map_err(bad)?;
    } else {
        crate::formats::dnstap::present_rdata(rrtype.to_u16(), &bytes, out)
            .map_err(|e| bad(&format!("not {rrtype} data ({e})")))?;
    }
    Ok(())
}

/// The MINIMUM field of SOA rdata, the TTL BIND uses for a SOA when nothing else gives one.
fn soa_minimum(rdata: &str) -> Option<u32> {
    rdata.split_ascii_whitespace().nth(6).and_then(parse_ttl)
}

/// Types whose data is character-strings alone: TXT, SPF, HINFO.
#[inline]
fn strings_only(rrtype: RrType) -> bool {
    matches!(rrtype, RrType::TXT | RrType::HINFO | RrType::SPF)
}

/// True when character-strings are written as BIND and dig write them: each quoted, one space
/// apart, printable ASCII inside with `"` and `\` escaped (`\"`, `\\`), other bytes as `\DDD`,
/// and nothing else escaped. Data read from dig output, and most zone files, is. Out of line:
/// inlined, it weighed on the code of every record.
#[inline(never)]
fn strings_canonical(data: &str) -> bool {
    let b = data.as_bytes();
    if b.first() != Some(&b'"') {
        return false;
    }
    let mut i = 1;
    loop {
        // To the string's closing quote, over the bytes that need no look.
        let close = next_special(b, i);
        match b.get(close) {
            Some(b'"') => {}
            // Escapes are rare: written out and compared.
            Some(b'\\') => {
                let mut written = String::with_capacity(data.len());
                return canonical_strings(data, &mut written).is_some() && written == data;
            }
            _ => return false,
        }
        match b.get(close + 1) {
            None => return true,
            Some(b' ') if b.get(close + 2) == Some(&b'"') => i = close + 3,
            _ => return false,
        }
    }
}

/// Where the first byte of `b` from `from` on is a quote, a `\` or not printable ASCII (or
/// `b.len()`), sixteen bytes at a time ([`specials16`]).
fn next_special(b: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < b.len() {
        // Past the end the chunk holds spaces, which are not special.
        let m = specials16(chunk16(b, i));
        if m != 0 {
            return i + m.trailing_zeros() as usize;
        }
        i += 16;
    }
    b.len()
}

/// Flags for sixteen bytes, one bit per byte: quotes, `\` and the bytes that are not printable
/// ASCII (below 0x20, or 0x7f and above). On x86-64 a compare per class (SSE2).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn specials16(w: [u8; 16]) -> u16 {
    use safe_arch::{
        bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, max_u8_m128i, min_u8_m128i,
        move_mask_i8_m128i, set_splat_i8_m128i,
    };
    let v = load_unaligned_m128i(&w);
    let splat = |c: u8| set_splat_i8_m128i(c as i8);
    let eq = |c: u8| cmp_eq_mask_i8_m128i(v, splat(c));
    let control = cmp_eq_mask_i8_m128i(min_u8_m128i(v, splat(0x1f)), v);
    let high = cmp_eq_mask_i8_m128i(max_u8_m128i(v, splat(0x7f)), v);
    let m = bitor_m128i(bitor_m128i(eq(b'"'), eq(b'\\')), bitor_m128i(control, high));
    move_mask_i8_m128i(m) as u16
}

/// [`specials16`] without SSE2.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn specials16(w: [u8; 16]) -> u16 {
    let mut flags = [0u8; 16];
    for (f, &c) in flags.iter_mut().zip(w.iter()) {
        *f = u8::from((c == b'"') | (c == b'\\') | (c < 0x20) | (c >= 0x7f));
    }
    gather(flags)
}

/// Character-strings as presentation text writes them — quoted or not, with `\X` and `\DDD`
/// escapes — written into `out` as BIND and dig write them ([`strings_canonical`]), so that a
/// zone file's `TXT plain` and `TXT "\112lain"` are dig's `TXT "plain"`, and non-ASCII bytes
/// are `\DDD`. `None` for a quoted string not closed or an escape cut short.
fn canonical_strings(data: &str, out: &mut String) -> Option<()> {
    let b = data.as_bytes();
    out.clear();
    let mut i = 0;
    loop {
        i = skip_blanks(b, i);
        if i >= b.len() {
            return Some(());
        }
        if !out.is_empty() {
            out.push(' ');
        }
        i = push_string(b, i, out)?;
    }
}

/// The index of the first byte of `b` from `at` that is neither a space nor a tab.
fn skip_blanks(b: &[u8], mut at: usize) -> usize {
    while matches!(b.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    at
}

/// Reads the one character-string that starts at `b[at]` (quoted or not, with `\X` and `\DDD`
/// escapes) and appends it to `out` quoted, each byte as [`push_string_byte`] writes it;
/// returns the index just past it. `None` for a quoted string not closed or an escape cut
/// short.
fn push_string(b: &[u8], mut i: usize, out: &mut String) -> Option<usize> {
    out.push('"');
    let quoted = b.get(i) == Some(&b'"');
    if quoted {
        i += 1;
    }
    loop {
        let c = match b.get(i) {
            None if quoted => return None,
            None => break,
            Some(b'"') if quoted => {
                i += 1;
                break;
            }
            Some(b' ' | b'\t') if !quoted => break,
            Some(b'\\') => {
                let digits = b
                    .get(i + 1..i + 4)
                    .filter(|d| d.iter().all(u8::is_ascii_digit));
                if let Some(d) = digits {
                    i += 4;
                    u8::try_from(d.iter().fold(0u32, |v, &x| v * 10 + u32::from(x - b'0'))).ok()?
                } else {
                    i += 2;
                    *b.get(i - 1)?
                }
            }
            Some(&c) => {
                i += 1;
                c
            }
        };
        push_string_byte(out, c);
    }
    out.push('"');
    Some(i)
}

/// True when CAA data is in the form [`canonical_caa`] writes, as dig prints most of it: flags
/// without a leading zero, a tag of letters and digits, and a quoted value of printable ASCII
/// with nothing to escape, one space apart. Other data, rare, takes [`canonical_caa`].
#[inline(never)]
fn caa_plain(data: &str) -> bool {
    let mut fields = data.splitn(3, ' ');
    let (Some(flags), Some(tag), Some(value)) = (fields.next(), fields.next(), fields.next())
    else {
        return false;
    };
    let v = value.as_bytes();
    plain_number(flags)
        && flags.parse::<u8>().is_ok()
        && !tag.is_empty()
        && tag.bytes().all(|c| c.is_ascii_alphanumeric())
        && v.len() >= 2
        && v.first() == Some(&b'"')
        && next_special(v, 1) == v.len() - 1
        && v.last() == Some(&b'"')
}

/// CAA data (RFC 8659: flags, tag, value) as the `dnstap` reader writes it from wire format:
/// the flags as their value, the tag as written, the value always one quoted string with the
/// escapes of TXT strings ([`push_string_byte`]), so that a zone file's `0 issue
/// letsencrypt.org` and `"ca.example.net; policy=ev"`, and dig's `"ca.example.net\; policy=ev"`
/// (as BIND's own transfer test prints it), are the record dnstap writes. BIND keeps the tag
/// as it was written, and so does the wire: it is not lower-cased. What BIND refuses to load is
/// the reason of an `Err`: flags that are not a number up to 255, a tag that is not letters and
/// digits, no value, or more than one.
fn canonical_caa(data: &str, out: &mut String) -> Result<(), &'static str> {
    let b = data.as_bytes();
    out.clear();
    let mut fields = data.split_ascii_whitespace();
    let flags = fields
        .next()
        .filter(|f| f.len() <= 3 && f.bytes().all(|c| c.is_ascii_digit()))
        .and_then(|f| f.parse::<u8>().ok())
        .ok_or("the flags are not a number from 0 to 255")?;
    let tag = fields
        .next()
        .filter(|t| t.bytes().all(|c| c.is_ascii_alphanumeric()))
        .ok_or("the tag is not letters and digits")?;
    push_u32(out, u32::from(flags));
    out.push(' ');
    out.push_str(tag);
    out.push(' ');
    // The value starts after the tag, which is a piece of `data`.
    let after_tag = tag.as_ptr() as usize - data.as_ptr() as usize + tag.len();
    let at = skip_blanks(b, after_tag);
    if at >= b.len() {
        return Err("no value");
    }
    let end = push_string(b, at, out).ok_or("a quoted value not closed, or a bad \\ escape")?;
    if skip_blanks(b, end) < b.len() {
        return Err("more than one value");
    }
    Ok(())
}

/// True for the data of a DNSSEC record whose key, signature or digest `dig +nocrypto` left
/// out: `[omitted]` where a signature or digest was, `[key id = N]` where a key was (its words
/// glued, as the pieces of a key are).
fn crypto_omitted(rrtype: RrType, data: &str) -> bool {
    // SIG, KEY, DS, RRSIG, DNSKEY, CDS, CDNSKEY, TA, DLV.
    matches!(
        rrtype.to_u16(),
        24 | 25 | 43 | 46 | 48 | 59 | 60 | 32768 | 32769
    ) && (data.ends_with("[omitted]") || data.ends_with(']') && data.contains("[key"))
}

/// `named-checkzone` / `named-compilezone` chatter mixed into their output. `Some(zone)` for
/// `zone NAME/CLASS: loaded serial N`, which names the zone. With `-d` (as in `-dD`) they also
/// print `loading "ZONE" from "FILE" class "CLASS"` before loading and `dumping "ZONE"` (or
/// `dumping "ZONE" to "FILE"`) before the dump (`check-tool.c`): told apart from records by the
/// quoted zone name after the word and the quoted words that follow it.
fn tool_line(line: &str) -> Option<Option<&str>> {
    if line == "OK" || line.starts_with("dump zone to ") {
        return Some(None);
    }
    if let Some(rest) = line.strip_prefix("loading \"") {
        let quoted = rest.ends_with('"') && rest.contains("\" from \"");
        return (quoted && rest.contains("\" class \"")).then_some(None);
    }
    if let Some(rest) = line.strip_prefix("dumping \"") {
        let zone_only = rest.find('"') == Some(rest.len().saturating_sub(1));
        let to_file = rest.ends_with('"') && rest.contains("\" to \"");
        return (zone_only || to_file).then_some(None);
    }
    let rest = line.strip_prefix("zone ")?;
    let (tok, tail) = rest.split_once(' ').unwrap_or((rest, ""));
    let (name, _class) = tok.strip_suffix(':')?.split_once('/')?;
    Some(tail.starts_with("loaded serial").then_some(name))
}

/// A line that failed to read as a record is skipped when a tool printed it among its records
/// ([`chatter`]): looked at only after the failure, off the path of records.
#[inline]
fn excuse_chatter(line: &str, r: Result<Outcome, ParseError>) -> Result<Outcome, ParseError> {
    match r {
        Err(_) if chatter(line) => Ok(Outcome::Skipped),
        r => r,
    }
}

/// What `host -v` (`host -a`, `host -l -a`) prints around dig's layout of a response (`Trying
/// "NAME"`, `Using domain server:`, the server's `Name:`, `Address:` and `Aliases:`, `Received N
/// bytes from ADDR in N ms`), and the warnings `named-checkzone` and `named-compilezone` print
/// before their output when their standard error is kept with it (`FILE:LINE: MESSAGE`).
#[cold]
fn chatter(line: &str) -> bool {
    let host = match line.as_bytes().first() {
        Some(b'T') => line.starts_with("Trying \""),
        Some(b'U') => line == "Using domain server:",
        Some(b'N') => line.starts_with("Name: "),
        Some(b'A') => line.starts_with("Address: ") || line.starts_with("Aliases:"),
        Some(b'R') => {
            line.starts_with("Received ") && line.ends_with(" ms") && line.contains(" bytes from ")
        }
        _ => false,
    };
    // `/etc/bind/db.example:12: a\.b.example: bad owner name (check-names)`: a first word
    // `FILE:LINE:`.
    host || {
        let b = line.as_bytes();
        let word = b
            .iter()
            .position(|&c| c == b' ' || c == b'\t')
            .map_or(b, |end| b.get(..end).unwrap_or_default());
        word.strip_suffix(b":")
            .and_then(|w| Some(w.split_at(memchr::memrchr(b':', w)?)))
            .is_some_and(|(file, number)| {
                !file.is_empty()
                    && number.len() > 1
                    && number
                        .get(1..)
                        .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            })
    }
}

/// `$DATE YYYYMMDDHHMMSS`, UTC.
fn date_directive(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.len() != 14 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num = |a: usize, z: usize| s.get(a..z).and_then(|x| x.parse::<u32>().ok());
    let dt = NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(4, 6)?, num(6, 8)?)?.and_hms_opt(
        num(8, 10)?,
        num(10, 12)?,
        num(12, 14)?,
    )?;
    Some(Timestamp::from_millis(dt.and_utc().timestamp_millis()))
}

/// dig's `;; WHEN:` value: `Sat Nov 29 19:16:01 UTC 2026` (`%a %b %d %H:%M:%S %Z %Y`), or the
/// `ctime` form without a zone that older dig wrote.
fn dig_when(s: &str, opts: &ParseOptions) -> Option<Timestamp> {
    let mut it = s.split_ascii_whitespace();
    let _weekday = it.next()?;
    let month = month_from_abbr(it.next()?.as_bytes())?;
    let day: u32 = it.next()?.parse().ok()?;
    let mut hms = it.next()?.split(':').map(|x| x.parse::<u32>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    let a = it.next()?;
    let (zone, year) = match it.next() {
        Some(y) => (Some(a), y),
        None => (None, a),
    };
    let year: i32 = year.parse().ok()?;
    let naive = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(h, m, sec)?;
    in_zone_named(naive, zone, opts)
}

/// The instant of a wall-clock time printed with a zone abbreviation (dig's and kdig's
/// `%Z`): by [`zone_offset`] when it names one zone, else local time by the options' rule.
fn in_zone_named(
    naive: chrono::NaiveDateTime,
    zone: Option<&str>,
    opts: &ParseOptions,
) -> Option<Timestamp> {
    match zone.and_then(zone_offset) {
        Some(off) => Some(Timestamp::from_millis(
            naive.and_utc().timestamp_millis() - i64::from(off) * 1000,
        )),
        None => opts.local_time(naive),
    }
}

/// The time of kdig's footer, `2024-03-27 19:12:34 UTC` (`strftime("%Y-%m-%d %H:%M:%S %Z")` of
/// the local time): the zone read as [`dig_when`] reads it.
fn kdig_time(s: &str, opts: &ParseOptions) -> Option<Timestamp> {
    let mut it = s.split_ascii_whitespace();
    let mut ymd = it.next()?.split('-').map(|x| x.parse::<u32>().ok());
    let (y, mo, d) = (ymd.next()??, ymd.next()??, ymd.next()??);
    let mut hms = it.next()?.split(':').map(|x| x.parse::<u32>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    let zone = it.next();
    if it.next().is_some() || ymd.next().is_some() || hms.next().is_some() {
        return None;
    }
    let naive = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, mo, d)?.and_hms_opt(h, m, sec)?;
    in_zone_named(naive, zone, opts)
}

/// Seconds east of UTC of a zone abbreviation `strftime("%Z")` prints, for the unambiguous
/// common ones and numeric forms (`+03`, `-0530`). Abbreviations that name several zones
/// (`IST`: India, Ireland or Israel; `CST`: China or the US) are left to the time-zone rule.
fn zone_offset(z: &str) -> Option<i32> {
    const H: i32 = 3600;
    let off = match z.to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "UCT" | "Z" | "UT" | "WET" => 0,
        "CET" | "WEST" | "WAT" | "BST" => H,
        "CEST" | "EET" | "SAST" | "CAT" => 2 * H,
        "EEST" | "MSK" | "EAT" | "TRT" => 3 * H,
        "PKT" => 5 * H,
        "NPT" => 5 * H + 2700,
        "ICT" | "WIB" => 7 * H,
        "SGT" | "WITA" => 8 * H,
        "WIT" => 9 * H,
        "BRT" | "ART" => -3 * H,
        "AST" => -4 * H,
        "ADT" => -3 * H,
        "NST" => -3 * H - 1800,
        "NDT" => -2 * H - 1800,
        "EST" => -5 * H,
        "EDT" => -4 * H,
        "CDT" => -5 * H,
        "MST" => -7 * H,
        "MDT" => -6 * H,
        "PST" => -8 * H,
        "PDT" => -7 * H,
        "AKST" => -9 * H,
        "AKDT" => -8 * H,
        "HST" => -10 * H,
        "JST" | "KST" => 9 * H,
        "HKT" => 8 * H,
        "AWST" => 8 * H,
        "ACST" => 9 * H + 1800,
        "ACDT" => 10 * H + 1800,
        "AEST" => 10 * H,
        "AEDT" => 11 * H,
        "NZST" => 12 * H,
        "NZDT" => 13 * H,
        _ => return parse_offset(z),
    };
    Some(off)
}

/// How a line looks like a resource record: `owner [ttl] [class] type data`, with a known type.
#[derive(Debug, Clone, Copy)]
struct RrLook {
    /// It has a TTL or a class: few other texts have a number or `IN` before a record type.
    explicit: bool,
    soa: bool,
}

/// Whether a line looks like a resource record ([`RrLook`]); a cache dump's negative entry
/// (`\-AAAA`) counts as one with its type.
fn looks_like_rr(content: &str, blank_owner: bool) -> Option<RrLook> {
    let mut toks = Tokens::new(content).filter(|t| *t != "(" && *t != ")");
    if !blank_owner {
        toks.next()?;
    }
    let mut explicit = false;
    let mut ttl_seen = false;
    let mut class_seen = false;
    let t = loop {
        let t = toks.next()?;
        if !ttl_seen && t.starts_with(|c: char| c.is_ascii_digit()) {
            parse_ttl(t)?;
            ttl_seen = true;
            explicit = true;
        } else if !class_seen && is_class(t.as_bytes()) {
            class_seen = true;
            explicit = true;
        } else {
            break t;
        }
    };
    // A negative entry has no data.
    let negative = t.strip_prefix("\\-").filter(|_| ttl_seen);
    let rrtype = zone_type(negative.unwrap_or(t))?;
    if negative.is_none() {
        toks.next()?;
    }
    Some(RrLook {
        explicit,
        soa: rrtype == RrType::SOA,
    })
}

/// Sure for dig output (`; <<>> DiG` header); very sure when nearly every line is a directive
/// or a record and the file has a directive or a SOA with an explicit class or TTL; fairly
/// sure for records with an explicit TTL or class alone. Records without either (`www A
/// 192.0.2.1`, as most hand-written zones have them after `$TTL`) count only beside a
/// directive or such a SOA: alone, they are too like other formats' text (dnsdbq's).
pub fn sniff(sample: &str) -> u8 {
    let mut lines = 0u32;
    let mut good = 0u32;
    let mut records = 0u32;
    // Records without TTL or class, counted apart.
    let mut implicit = 0u32;
    let mut strong = false;
    let mut depth = 0usize;
    for l in crate::format::first_lines(sample, 40) {
        let t = l.trim_start();
        if t.starts_with(';') {
            if t.starts_with("; <<>> DiG") {
                return 95;
            }
            // dig's layout of a response, also as `host -v` prints it.
            strong |= t.starts_with(";; ->>HEADER<<-");
            continue;
        }
        let s = scan(l);
        if depth > 0 {
            depth = (depth + s.open).saturating_sub(s.close);
            continue;
        }
        depth = s.open.saturating_sub(s.close);
        lines += 1;
        if l.starts_with('$') {
            let d = Tokens::new(l)
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase();
            if matches!(
                d.as_str(),
                "$ORIGIN" | "$TTL" | "$INCLUDE" | "$DATE" | "$GENERATE"
            ) {
                good += 1;
                strong = true;
            }
            continue;
        }
        if tool_line(l).is_some() || chatter(l) {
            good += 1;
            continue;
        }
        let content = l.get(..s.end).unwrap_or(l);
        match looks_like_rr(content, t.len() != l.len()) {
            Some(RrLook {
                explicit: true,
                soa,
            }) => {
                good += 1;
                records += 1;
                strong |= soa;
            }
            Some(RrLook {
                explicit: false, ..
            }) => implicit += 1,
            None => {}
        }
    }
    if strong {
        good += implicit;
        records += implicit;
    }
    if records == 0 || good * 10 < lines * 9 {
        0
    } else if strong {
        90
    } else {
        80
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_str_with, Format, Record, Stats, TimeZone};
    use yapdns_core::test_rng::TestRng;

    fn opts() -> ParseOptions {
        ParseOptions {
            sensor: None,
            timezone: TimeZone::Utc,
            year: YearRule::Fixed(2026),
            origin: None,
        }
    }

    /// 2026-01-01T00:00:00Z, the fallback time under `YearRule::Fixed(2026)`.
    const Y2026: i64 = 1_767_225_600_000;

    /// (rrname, type, rdata, ttl, bailiwick, first_seen ms)
    type Row = (String, String, String, Option<u32>, Option<String>, i64);

    fn rows(recs: Vec<Record>) -> Vec<Row> {
        recs.into_iter()
            .filter_map(|r| match r {
                Record::Association(a) => Some((
                    a.rrname,
                    a.rrtype.to_string(),
                    a.rdata,
                    a.ttl,
                    a.bailiwick,
                    a.first_seen.millis(),
                )),
                Record::Name(_) => None,
            })
            .collect()
    }

    fn run(text: &str) -> (Vec<Row>, Stats) {
        let (recs, stats) = parse_str_with(Format::BindZone, text, &opts());
        (rows(recs), stats)
    }

    fn short(r: &[Row]) -> Vec<String> {
        r.iter()
            .map(|(n, t, d, ttl, _, _)| format!("{n} {} {t} {d}", ttl.unwrap_or(0)))
            .collect()
    }

    /// A signed zone as `dnssec-signzone` writes it, and the same through
    /// `named-compilezone` (see the fixtures' README).
    const SIGNED: &str =
        include_str!("../../tests/fixtures/bind-zone/dnssec-signzone-9.18-corp.test.zone.signed");
    const SIGNED_COMPILED: &str =
        include_str!("../../tests/fixtures/bind-zone/named-compilezone-9.18-corp.test.signed.txt");

    /// `dig corp.test AXFR` of the signed zone, and the same with `+multi`.
    const DIG_AXFR: &str =
        include_str!("../../tests/fixtures/bind-zone/dig-9.18-axfr-corp.test.txt");
    const DIG_AXFR_MULTI: &str =
        include_str!("../../tests/fixtures/bind-zone/dig-9.18-axfr-multi-corp.test.txt");

    #[test]
    fn a_transfer_by_dig_reads_as_the_zone_timed_by_its_when_line() {
        // 2026-11-30T08:55:10Z, the transfer's `;; WHEN:`.
        const WHEN: i64 = 1_796_028_910_000;
        let (mut zone, _) = run(SIGNED);
        for text in [DIG_AXFR, DIG_AXFR_MULTI] {
            let (rows, stats) = run(text);
            assert_eq!(stats.error_count(), 0);
            // A transfer ends with the SOA it started with.
            assert_eq!(rows.len(), 107);
            assert_eq!(rows.first().map(|r| &r.1), Some(&"SOA".to_string()));
            assert_eq!(rows.first(), rows.last());
            assert!(rows
                .iter()
                .all(|r| r.5 == WHEN && r.4.as_deref() == Some("corp.test")));
            let mut got: Vec<_> = rows
                .into_iter()
                .map(|(n, t, d, ttl, ..)| (n, t, d, ttl))
                .collect();
            got.sort();
            got.dedup();
            zone.sort();
            let want: Vec<_> = zone
                .iter()
                .map(|(n, t, d, ttl, ..)| (n.clone(), t.clone(), d.clone(), *ttl))
                .collect();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn signed_zone_reads_the_same_in_both_layouts() {
        let (mut signed, s1) = run(SIGNED);
        let (mut compiled, s2) = run(SIGNED_COMPILED);
        assert_eq!((s1.error_count(), s2.error_count()), (0, 0));
        assert_eq!(signed.len(), 106);
        signed.sort();
        compiled.sort();
        assert_eq!(signed, compiled);
        // RRSIG data joined from its lines, its signer kept absolute as written.
        assert!(signed.iter().any(|(n, t, d, ..)| n == "corp.test"
            && t == "RRSIG"
            && d.starts_with("SOA 13 2 300 20261230072518 20261130072518 16024 corp.test. /nFz")
            && d.ends_with("cJ6lJHuuPsiDCjKMvmg==")));
    }

    /// Strings are left as they are exactly when writing them as dig does changes nothing.
    #[test]
    fn lower_case_letters_are_found_in_any_byte() {
        for len in 0..40 {
            for at in 0..len {
                for c in 0..=255u8 {
                    let mut b = vec![b'A'; len];
                    b[at] = c;
                    assert_eq!(
                        has_lower(&b),
                        c.is_ascii_lowercase(),
                        "{c} at {at} of {len}"
                    );
                }
            }
        }
    }

    #[test]
    fn canonical_strings_are_recognised_as_such() {
        const PIECES: &[&str] = &[
            "\"",
            " ",
            "a",
            "b c",
            "\\",
            "\\\"",
            "\\\\",
            "\\065",
            "\u{e9}",
            "\t",
            "\u{1}",
            "\u{7f}",
            "~",
            "abcdefghij",
            ";",
            "\"\"",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut out = String::new();
        for _ in 0..200_000 {
            let mut data = String::new();
            for _ in 0..=next(12) {
                data.push_str(PIECES[next(PIECES.len())]);
            }
            // Records without data are refused before this.
            if data.trim().is_empty() {
                continue;
            }
            let same = canonical_strings(&data, &mut out).is_some() && out == data;
            assert_eq!(strings_canonical(&data), same, "{data:?} -> {out:?}");
            // What is written is canonical.
            if canonical_strings(&data, &mut out).is_some() && !out.is_empty() {
                assert!(strings_canonical(&out), "{data:?} -> {out:?}");
            }
        }
    }

    /// Real tool output of `tests/reference/bind-zone-tools/` (see its README).
    fn tool_output(f: &str) -> String {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/reference/bind-zone-tools");
        std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"))
    }

    /// The records of `rows` as a set, without TTL and time.
    fn record_set(rows: &[Row]) -> std::collections::BTreeSet<(String, String, String)> {
        rows.iter()
            .map(|(n, t, d, _, _, _)| (n.clone(), t.clone(), d.clone()))
            .collect()
    }

    /// `dig +unknownformat` prints every record in RFC 3597's `\#` form; BIND loads that form
    /// of known types as their text. The transfer reads to the records of the same transfer
    /// printed as text, TXT, HINFO, SOA and CAA included (they were made-up strings or errors).
    #[test]
    fn generic_data_reads_as_its_text() {
        let (generic, s) = run(&tool_output("dig-9.18-axfr-unknownformat-survey.test.txt"));
        assert!(s.errors.is_empty(), "{s:?}");
        let (text, s) = run(&tool_output("dig-9.18-axfr-onesoa-survey.test.txt"));
        assert!(s.errors.is_empty(), "{s:?}");
        assert_eq!(record_set(&generic).len(), 189);
        assert_eq!(record_set(&generic), record_set(&text));
        // And in a zone file: a `\#` TXT is its strings, a CAA its tag and value.
        let (r, _) = run("$ORIGIN g.test.\n$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\nt TXT \\# 6 0568656c6c6f\nc CAA \\# 13 0005697373756561 2e7465 7374\nx TYPE65280 \\# 2 ABCD\n");
        assert_eq!(
            short(&r)[1..],
            [
                "t.g.test 300 TXT \"hello\"",
                "c.g.test 300 CAA 0 issue \"a.test\"",
                "x.g.test 300 TYPE65280 \\# 2 abcd"
            ]
        );
    }

    /// An incremental transfer (`dig IXFR=3`, `kdig IXFR=3`) lists the records it deletes
    /// before those it adds: what it leaves is the zone as its full transfer afterwards shows
    /// it; the address `www` had before is not among them.
    #[test]
    fn incremental_transfer_yields_what_the_zone_holds_after_it() {
        let (after, _) = run(&tool_output("dig-9.18-axfr-nsec.test-after-ixfr.txt"));
        let after = record_set(&after);
        for f in [
            "dig-9.18-ixfr-3-nsec.test.txt",
            "kdig-3.2-ixfr-3-nsec.test.txt",
        ] {
            let (rows, s) = run(&tool_output(f));
            assert!(s.errors.is_empty(), "{f}: {s:?}");
            let got = record_set(&rows);
            assert_eq!((rows.len(), got.len()), (10, 10), "{f}: {rows:?}");
            assert!(got.is_subset(&after), "{f}: {:?}", got.difference(&after));
            let has = |n: &str, t: &str, d: &str| got.contains(&(n.into(), t.into(), d.into()));
            assert!(has("www.nsec.test", "A", "192.0.2.111"), "{f}");
            assert!(!has("www.nsec.test", "A", "192.0.2.11"), "{f}");
            assert!(has("new.nsec.test", "A", "192.0.2.12"), "{f}");
            let soas: Vec<_> = rows.iter().filter(|r| r.1 == "SOA").collect();
            assert_eq!(soas.len(), 1, "{f}");
            assert!(soas[0].2.contains(" 4 3600 "), "{f}: {soas:?}");
        }
    }

    /// `host -v` wraps dig's layout in lines of its own; `named-checkzone -D` with its standard
    /// error kept prints warnings first. Both are detected and read without an error.
    #[test]
    fn host_and_checkzone_chatter_is_skipped() {
        for (f, records) in [
            ("host-9.18-v-mx-survey.test.txt", 8),
            ("named-checkzone-9.18-D-relative-survey.test.txt", 189),
        ] {
            let text = tool_output(f);
            assert_eq!(
                crate::detect(text.as_bytes()),
                Some(Format::BindZone),
                "{f}"
            );
            let (rows, s) = run(&text);
            assert!(s.errors.is_empty(), "{f}: {s:?}");
            assert_eq!(rows.len(), records, "{f}");
        }
        assert!(!chatter("www 300 IN A 192.0.2.1"));
        assert!(chatter(
            "zones/db.x:7: a\\.b.x: bad owner name (check-names)"
        ));
    }

    /// dig's `+nocrypto` and `+nottlid` transfers of the zone of [`DIG_AXFR`]
    /// (`tests/reference/bind-zone-dig/`).
    #[test]
    fn dig_without_crypto_or_ttls() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/bind-zone-dig");
        let read = |f: &str| {
            let text = std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
            run(&text)
        };
        // Records without their time: each transfer has its own `;; WHEN:`.
        let timeless = |rows: Vec<Row>| {
            let mut r: Vec<_> = rows
                .into_iter()
                .map(|(n, t, d, ttl, b, _)| (n, t, d, ttl, b))
                .collect();
            r.sort();
            r
        };
        let (full, _) = run(DIG_AXFR);
        let full = timeless(full);
        let dnssec = |t: &str| t == "RRSIG" || t == "DNSKEY";
        let without: Vec<_> = full.iter().filter(|r| !dnssec(&r.1)).cloned().collect();
        let left_out = full.len() - without.len();
        assert_eq!(left_out, 54);
        for f in [
            "dig-9.18-axfr-nocrypto-corp.test.txt",
            "dig-9.18-axfr-multi-nocrypto-corp.test.txt",
        ] {
            let (rows, s) = read(f);
            assert_eq!(timeless(rows), without, "{f}");
            assert_eq!(s.no_answer, left_out as u64, "{f}");
            assert_eq!(s.error_count(), 0, "{f}");
        }
        let (rows, s) = read("dig-9.18-axfr-nottlid-corp.test.txt");
        let no_ttl: Vec<_> = full
            .iter()
            .map(|(n, t, d, _, b)| (n.clone(), t.clone(), d.clone(), None, b.clone()))
            .collect();
        assert_eq!(timeless(rows), no_ttl);
        assert_eq!(s.error_count(), 0);
    }

    /// Each zone file of `tests/reference/bind-zone-generate/` reads to what BIND 9.18's
    /// `named-compilezone` expanded it to.
    #[test]
    fn generate_expands_as_bind_does() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/reference/bind-zone-generate");
        for (zone, records) in [
            ("generate-corp.test", 47),
            ("generate-0.0.192.in-addr.arpa", 131),
            ("generate-ip6.arpa", 49),
        ] {
            let read = |ext: &str| {
                let text = std::fs::read_to_string(dir.join(format!("{zone}.{ext}")))
                    .unwrap_or_else(|e| panic!("{zone}.{ext}: {e}"));
                let (mut rows, stats) = run(&text);
                assert_eq!(
                    stats.error_count(),
                    0,
                    "{zone}.{ext}: {:?}",
                    stats.error_samples
                );
                rows.sort();
                rows
            };
            let (ours, bind) = (read("zone"), read("txt"));
            assert_eq!(ours.len(), records, "{zone}");
            assert_eq!(ours, bind, "{zone}");
        }
    }

    #[test]
    fn generate_keeps_the_owner_before_it_and_stops_at_a_bad_record() {
        let (r, s) = run(concat!(
            "$ORIGIN corp.test.\n",
            "$TTL 300\n",
            "www A 192.0.2.1\n",
            "$GENERATE 254-256 h$ 60 A 192.0.2.$\n",
            "  AAAA ::1\n",
            "$GENERATE 1-2 m$ MX \"10 mail$\" ; a comment\n",
            "$GENERATE 1-2 $$x$ TXT \"a;b\"\n",
        ));
        // As BIND 9.18 reads them: the blank owner after a `$GENERATE` is the one before it;
        // `$$` is a `$`; a `;` in quoted data starts a comment, as it does in the data of a
        // record (BIND: `\$x1.corp.test. 300 IN TXT "a"`).
        assert_eq!(
            short(&r),
            [
                "www.corp.test 300 A 192.0.2.1",
                "h254.corp.test 60 A 192.0.2.254",
                "h255.corp.test 60 A 192.0.2.255",
                "www.corp.test 300 AAAA ::1",
                "m1.corp.test 300 MX 10 mail1.corp.test",
                "m2.corp.test 300 MX 10 mail2.corp.test",
                "\\$x1.corp.test 300 TXT \"a\"",
                "\\$x2.corp.test 300 TXT \"a\"",
            ]
        );
        // 256 is not an octet: the record fails, and the line with it, after the two before.
        assert_eq!(s.error_count(), 1, "{:?}", s.error_samples);
        assert_eq!(s.errors["rdata"], 1);
        assert!(s.error_samples[0]
            .error
            .reason
            .starts_with("$GENERATE 256: "));
    }

    /// A line's records stop at a bound on the text they make: one line cannot hold up a file.
    #[test]
    fn generate_stops_at_its_bound_on_text() {
        let big = "${0,127}".repeat(100);
        let (r, s) = run(&format!(
            "$ORIGIN corp.test.\n$TTL 300\n$GENERATE 0-65535 h$ TXT \"{big}\"\n"
        ));
        assert_eq!(s.errors["syntax"], 1);
        assert!(s.error_samples[0]
            .error
            .reason
            .contains("bytes of records made by one line"));
        assert!(!r.is_empty() && r.len() < 700, "{}", r.len());
    }

    #[test]
    fn generate_lines_that_are_not_read() {
        for (line, why) in [
            ("$GENERATE 10-1 h$ A 192.0.2.$", "range"),
            ("$GENERATE 1-2/0 h$ A 192.0.2.$", "range"),
            ("$GENERATE 0-65536 h$ A 192.0.2.1", "limit"),
            ("$GENERATE 1-2 h$ MX 10 mail$", "text after"),
            ("$GENERATE 1-2 h${x} A 192.0.2.$", "modifier"),
            ("$GENERATE 1-2 h$", "without"),
            ("$GENERATE", "without a range"),
        ] {
            let (r, s) = run(&format!("$ORIGIN corp.test.\n$TTL 300\n{line}\n"));
            assert!(r.is_empty(), "{line}");
            assert_eq!(s.errors["syntax"], 1, "{line}");
            assert!(
                s.error_samples[0].error.reason.contains(why),
                "{line}: {}",
                s.error_samples[0].error.reason
            );
        }
    }

    // Hand-written test inputs below, not samples of real files.

    #[test]
    fn origin_ttl_blank_owner_at_and_relative_names() {
        let (r, s) = run(concat!(
            "$ORIGIN Example.COM.\n",
            "$TTL 1h30m\n",
            "@ IN SOA ns1 hostmaster ( 2026010101 ; serial\n",
            "        1h ; refresh\n",
            "        15M 1W 300 )\n",
            "    IN NS ns1\n",
            "    IN MX 10 mail.other.test.\n",
            "ns1 60 IN A 192.0.2.1\n",
            "www IN 120 AAAA 2001:DB8:0:0::1 ; ttl after class\n",
            "    CNAME @\n",
            "$ORIGIN sub\n",
            "_sip._tcp SRV 0 5 5060 sip\n",
        ));
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        assert_eq!(
            short(&r),
            [
                "example.com 5400 SOA ns1.example.com hostmaster.example.com 2026010101 3600 900 604800 300",
                "example.com 5400 NS ns1.example.com",
                "example.com 5400 MX 10 mail.other.test",
                "ns1.example.com 60 A 192.0.2.1",
                "www.example.com 120 AAAA 2001:db8::1",
                "www.example.com 5400 CNAME example.com",
                "_sip._tcp.sub.example.com 5400 SRV 0 5 5060 sip.sub.example.com",
            ]
        );
        assert!(r
            .iter()
            .all(|x| x.4.as_deref() == Some("example.com") && x.5 == Y2026));
        // The SOA's three lines count as one answer.
        assert_eq!((s.associations, s.skipped), (7, 5));
    }

    #[test]
    fn without_ttl_directive_the_previous_ttl_and_then_the_soa_minimum_apply() {
        let (r, _) = run(concat!(
            "example.com. IN SOA ns. h. 1 2 3 4 77\n",
            "example.com. IN NS ns.example.com.\n",
            "a.example.com. 30 IN A 192.0.2.1\n",
            "b.example.com. IN A 192.0.2.2\n",
        ));
        let ttls: Vec<_> = r.iter().map(|x| x.3).collect();
        assert_eq!(ttls, [Some(77), Some(77), Some(30), Some(30)]);
    }

    #[test]
    fn txt_strings_are_written_as_dig_writes_them() {
        let (r, s) = run(concat!(
            "$ORIGIN example.com.\n",
            "t1 300 IN TXT \"v=spf1  ip4:192.0.2.0/24 -all\"   \"two ; not a comment\" ; comment\n",
            "t2 300 IN TXT ( \"a (b)\"\n",
            "    \"c\\\"d\" )\n",
            "t3 300 IN TXT plain\n",
            "t4 300 IN CAA 0 issue \"letsencrypt.org\"\n",
            // As BIND 9.18's named-compilezone writes them (checked): strings quoted, escapes
            // of printable characters undone, other bytes as `\DDD`.
            "t5 TXT \"dec\\065imal\" plain\\\"q\n",
            "t6 TXT \"h\u{e9}llo\"\n",
            "t7 TXT a\\ b \"x\\\\y\" \"\\a\" \"\"\n",
            "t8 HINFO PC Linux\n",
            "t9 SPF \"v=spf1 -all\"\n",
        ));
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        let d: Vec<_> = r.iter().map(|x| x.2.as_str()).collect();
        assert_eq!(
            d,
            [
                "\"v=spf1  ip4:192.0.2.0/24 -all\" \"two ; not a comment\"",
                "\"a (b)\" \"c\\\"d\"",
                "\"plain\"",
                "0 issue \"letsencrypt.org\"",
                "\"decAimal\" \"plain\\\"q\"",
                "\"h\\195\\169llo\"",
                "\"a b\" \"x\\\\y\" \"a\" \"\"",
                "\"PC\" \"Linux\"",
                "\"v=spf1 -all\"",
            ]
        );
        // A string cut short is the record's error.
        let (r, s) = run("$ORIGIN example.com.\nt 300 TXT \"a\" b\\\nu 300 TXT \\999\n");
        assert!(r.is_empty());
        assert_eq!(s.errors["rdata"], 2, "{:?}", s.error_samples);
    }

    #[test]
    fn unknown_types_and_generic_data() {
        let (r, s) = run(concat!(
            "$ORIGIN example.com.\n",
            "a 300 IN TYPE1 \\# 4 C0000201\n",
            "b 300 IN AAAA \\# 16 20010db8 00000000 00000000 00000001\n",
            "c 300 IN CNAME \\# 17 03777777076578616d706c6503636f6d00\n",
            "d 300 IN TYPE65 \\# 3 0001 00\n",
            "e 300 IN TYPE65534 \\# 0\n",
            "f 300 IN HTTPS 1 . alpn=h2\n",
            "g 300 IN EUI48 00-00-5e-00-53-2a\n",
            "h 300 IN DNSKEY 257 3 13 ( AwEAAb+c\n",
            "                           dGhpcw== )\n",
        ));
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        assert_eq!(
            short(&r),
            [
                "a.example.com 300 A 192.0.2.1",
                "b.example.com 300 AAAA 2001:db8::1",
                "c.example.com 300 CNAME www.example.com",
                "d.example.com 300 HTTPS 1 .",
                "e.example.com 300 TYPE65534 \\# 0",
                "f.example.com 300 HTTPS 1 . alpn=\"h2\"",
                "g.example.com 300 TYPE108 00-00-5e-00-53-2a",
                "h.example.com 300 DNSKEY 257 3 13 AwEAAb+cdGhpcw==",
            ]
        );
    }

    #[test]
    fn svcb_data_is_the_text_dnstap_writes() {
        // The SVCB and HTTPS records of the dnstap fixture `unbound-1.17.1-lab-alltypes`, as
        // a zone file may write them, as dig writes them, and in RFC 3597 form.
        let (r, s) = run(concat!(
            "$ORIGIN lab.test.\n",
            "svcb 300 IN SVCB 1 SVC ( ipv4hint=\"192.0.2.10\"\n",
            "                        port=08443 alpn=h2,h3 )\n",
            "svcb.lab.test. 300 IN SVCB 1 svc.lab.test. alpn=\"h2,h3\" port=8443 ipv4hint=192.0.2.10\n",
            "https 300 HTTPS 1 . key6=\"\\032\\001\\013\\184\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000\\016\" key1=\"\\002h2\"\n",
            "https 300 HTTPS 1 . ipv6hint=2001:DB8:0::10 alpn=h2\n",
            "https 300 HTTPS \\# 30 0001 00 0001 0003 026832 0006 0010 20010db8000000000000000000000010\n",
        ));
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        let mut svcb = vec![
            0, 1, 3, b's', b'v', b'c', 3, b'l', b'a', b'b', 4, b't', b'e', b's', b't', 0,
        ];
        svcb.extend_from_slice(&[0, 1, 0, 6, 2, b'h', b'2', 2, b'h', b'3']);
        svcb.extend_from_slice(&[0, 3, 0, 2, 0x20, 0xfb, 0, 4, 0, 4, 192, 0, 2, 10]);
        let mut https = vec![0, 1, 0, 0, 1, 0, 3, 2, b'h', b'2', 0, 6, 0, 16];
        https.extend_from_slice(&[0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10]);
        let tap = |t: u16, wire: &[u8]| crate::formats::dnstap::rdata_text(t, wire).unwrap();
        let (svcb, https) = (tap(64, &svcb), tap(65, &https));
        // As the dnstap snapshot has them.
        assert_eq!(
            svcb,
            r#"1 svc.lab.test. alpn="h2,h3" port=8443 ipv4hint=192.0.2.10"#
        );
        assert_eq!(https, r#"1 . alpn="h2" ipv6hint=2001:db8::10"#);
        let data: Vec<&str> = r.iter().map(|r| r.2.as_str()).collect();
        assert_eq!(data, [&svcb, &svcb, &https, &https, &https]);
        // What BIND refuses is the record's error; text not read with certainty stays.
        let (r, s) = run(concat!(
            "$ORIGIN lab.test.\n",
            "a 300 SVCB 1 . alpn=h2 alpn=h3\n",
            "b 300 SVCB 0 . alpn=h2\n",
            "c 300 SVCB 1 . port=60 mandatory=alpn\n",
            "d 300 SVCB 1 . key9=\"a\"b\n",
        ));
        assert_eq!(s.errors["rdata"], 3, "{:?}", s.error_samples);
        assert_eq!(
            short(&r),
            ["d.lab.test 300 SVCB 1 . key9=\"a\"b"],
            "{:?}",
            s.error_samples
        );
    }

    /// Digests as zone tools write them — in lower case (`ldns-key2ds`, PowerDNS, dnspython,
    /// Mail-in-a-Box), split over lines (BIND's own test zone, `genzone.sh`) — read as the
    /// upper-case hex BIND's dig prints and `dnstap` writes (lines copied from them).
    #[test]
    fn digests_are_the_upper_case_hex_dig_prints_and_dnstap_writes() {
        let mut o = opts();
        o.set_origin("example").expect("valid origin");
        let read = |text: &str| {
            let (recs, stats) = parse_str_with(Format::BindZone, text, &o);
            assert_eq!(stats.error_count(), 0, "{:?}", stats.error_samples);
            rows(recs)
                .into_iter()
                .map(|r| (r.0, r.1, r.2))
                .collect::<Vec<_>>()
        };
        // genzone.sh's TLSA and SMIMEA, and BIND's `dig axfr` of the TLSA (xfer/dig1.good).
        let zone = read(concat!(
            "tlsa\t\t\tTLSA\t( 1 1 2 92003ba34942dc74152e2f2c408d29ec\n",
            "\t\t\t\ta5a520e7f2e06bb944f4dca346baf63c\n",
            "\t\t\t\t1b177615d466f6c4b71c216a50292bd5\n",
            "\t\t\t\t8c9ebdd2f74e38fe51ffd48c43326cbc )\n",
            "smimea\t\t\tSMIMEA\t( 1 1 2 92003ba34942dc74152e2f2c408d29ec\n",
            "\t\t\t\ta5a520e7f2e06bb944f4dca346baf63c\n",
            "\t\t\t\t1b177615d466f6c4b71c216a50292bd5\n",
            "\t\t\t\t8c9ebdd2f74e38fe51ffd48c43326cbc )\n",
        ));
        let dig = read(
            "tlsa.example.\t\t3600\tIN\tTLSA\t1 1 2 92003BA34942DC74152E2F2C408D29ECA5A520E7F2E06BB944F4DCA3 46BAF63C1B177615D466F6C4B71C216A50292BD58C9EBDD2F74E38FE 51FFD48C43326CBC\n",
        );
        let digest = "92003BA34942DC74152E2F2C408D29ECA5A520E7F2E06BB944F4DCA346BAF63C\
                      1B177615D466F6C4B71C216A50292BD58C9EBDD2F74E38FE51FFD48C43326CBC";
        let mut wire = vec![1, 1, 2];
        for k in (0..digest.len()).step_by(2) {
            wire.push(u8::from_str_radix(&digest[k..k + 2], 16).expect("hex"));
        }
        let tap = crate::formats::dnstap::rdata_text(52, &wire).expect("TLSA");
        assert_eq!(tap, format!("1 1 2 {digest}"));
        assert_eq!(zone[0], ("tlsa.example".into(), "TLSA".into(), tap.clone()));
        assert_eq!(
            zone[1],
            ("smimea.example".into(), "SMIMEA".into(), tap.clone())
        );
        assert_eq!(dig, [zone[0].clone()]);
        // ldns-key2ds (Linode's NSD guide), PowerDNS's and dnspython's test zones, Mail-in-a-Box.
        let data: Vec<String> = read(concat!(
            "yourdomainhere.com.\t3600\tIN\tDS\t6274  13 2 044783c65c032a0ae25a1de626e341c483a89601c766e812a001bc512145fc81\n",
            "secure-delegated\tIN\tDS\t54319 8 2 a0b9c38cd324182af0ef66830d0a0e85a1d58979c9834e18c871779e040857b7\n",
            "ds01\t\t\tDS\t12345 3 1 123456789abcdef67890123456789abcdef67890\n",
            "sshfp1\t\t\tSSHFP\t1 1 aa549bfe898489c02d1715d97d79c57ba2fa76ab\n",
            "_25._tcp.box\tIN\tTLSA\t3 1 1 5e92b2f8150bf467449a0e41f2d03db1dccfaddb076342404176b446ff5b30bb\n",
        ))
        .into_iter()
        .map(|r| r.2)
        .collect();
        assert_eq!(
            data,
            [
                "6274 13 2 044783C65C032A0AE25A1DE626E341C483A89601C766E812A001BC512145FC81",
                "54319 8 2 A0B9C38CD324182AF0EF66830D0A0E85A1D58979C9834E18C871779E040857B7",
                "12345 3 1 123456789ABCDEF67890123456789ABCDEF67890",
                "1 1 AA549BFE898489C02D1715D97D79C57BA2FA76AB",
                "3 1 1 5E92B2F8150BF467449A0E41F2D03DB1DCCFADDB076342404176B446FF5B30BB",
            ]
        );
        // The record shortcut, which keeps joined data as written unless it holds a lower-case
        // letter, writes what the general reader writes.
        blocks_agree(concat!(
            "$ORIGIN example.\n",
            "yourdomainhere.com.\t3600\tIN\tDS\t6274  13 2 044783c65c032a0ae25a1de626e341c483a89601c766e812a001bc512145fc81\n",
            "ds01\t3600\tIN\tDS\t12345 3 1 123456789ABCDEF67890123456789ABCDEF67890\n",
            "ds02\t3600\tIN\tDS\t12345 3 1 12345678 9abcdef67890123456789ABCDEF67890\n",
            "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom 3600 IN NSEC3 1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr NS SOA RRSIG\n",
            "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom 3600 IN NSEC3 1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG\n",
            "example. 0 IN NSEC3PARAM 1 0 10 -\n",
        ).as_bytes());
        // The DS digest dnstap writes from the wire form of the first.
        let mut ds = vec![0x18, 0x82, 13, 2];
        let hex = "044783c65c032a0ae25a1de626e341c483a89601c766e812a001bc512145fc81";
        for k in (0..hex.len()).step_by(2) {
            ds.push(u8::from_str_radix(&hex[k..k + 2], 16).expect("hex"));
        }
        assert_eq!(
            crate::formats::dnstap::rdata_text(43, &ds).expect("DS"),
            data[0]
        );
    }

    /// The rare types of the dnstap fixture `unbound-1.17.1-lab-alltypes` that BIND prints
    /// anew (NAPTR, LOC, CERT), as a zone file may write them — strings unquoted, numbers for
    /// mnemonics, LOC fields left out — and as dig prints them, read as the text `dnstap`
    /// writes from the same records on the wire.
    #[test]
    fn rare_types_are_the_text_dnstap_writes() {
        let data = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/dnstap/unbound-1.17.1-lab-alltypes.dnstap.fstrm"
        ))
        .expect("fixture");
        let mut tap = std::collections::BTreeSet::new();
        for r in crate::parse_reader(&data[..], Some(Format::Dnstap), &opts(), "t").expect("open") {
            if let Ok(Record::Association(a)) = r {
                tap.insert((a.rrname, a.rrtype.to_string(), a.rdata));
            }
        }
        let wanted = |owner: &str| -> Vec<(String, String, String)> {
            tap.iter()
                .filter(|r| r.0 == owner && r.1 != "RRSIG")
                .cloned()
                .collect()
        };
        let zone = concat!(
            "$ORIGIN lab.test.\n",
            "naptr 300 IN NAPTR 100 10 S SIP+D2U \"\" _sip._udp\n",
            "naptr 300 IN NAPTR 0100 20 \"U\" E2U+sip \"!^.*$!sip:info@lab.test!\" .\n",
            "loc 300 IN LOC 52 22 23 N 4 53 32 E -2m\n",
            "cert 300 IN CERT 3 0 0 ( AQNRU3mG7TVTO2BkR47usntb102u\n",
            "                         FJtugbo6BSGvgqt4AQ== )\n",
        );
        // As `dnstap-read -p` (BIND 9.18) prints them from the same file.
        let dig = concat!(
            "naptr.lab.test.\t\t300\tIN\tNAPTR\t100 10 \"S\" \"SIP+D2U\" \"\" _sip._udp.lab.test.\n",
            "naptr.lab.test.\t\t300\tIN\tNAPTR\t100 20 \"U\" \"E2U+sip\" \"!^.*$!sip:info@lab.test!\" .\n",
            "loc.lab.test.\t\t300\tIN\tLOC\t52 22 23.000 N 4 53 32.000 E -2.00m 1m 10000m 10m\n",
            "cert.lab.test.\t\t300\tIN\tCERT\tPGP 0 0 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==\n",
        );
        for text in [zone, dig] {
            let (r, s) = run(text);
            assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
            let mut got: Vec<(String, String, String)> =
                r.into_iter().map(|r| (r.0, r.1, r.2)).collect();
            got.sort();
            got.dedup();
            let mut want = Vec::new();
            for owner in ["naptr", "loc", "cert"] {
                let w = wanted(&format!("{owner}.lab.test"));
                assert!(!w.is_empty(), "{owner} in the dnstap fixture");
                want.extend(w);
            }
            want.sort();
            assert_eq!(got, want);
            // The record shortcut writes what the general reader writes.
            blocks_agree(format!("$ORIGIN lab.test.\n{text}").as_bytes());
        }
    }

    /// NAPTR strings as BIND prints them: each quoted, escaped as TXT strings are.
    #[test]
    fn naptr_strings_are_quoted_as_bind_prints_them() {
        let (r, s) = run(concat!(
            "$ORIGIN example.test.\n",
            "@ 60 NAPTR 10 100 u E2U+sip !^.*$!sip:info@example.test! .\n",
            "@ 60 NAPTR 10 100 \"s\" \"SIPS+D2T\" \"\" _sips._tcp\n",
            "@ 60 NAPTR 10 100 \"u\" \"E2U+web:http\" \"!^.*$!http://x.test/a\\\\ b!\" .\n",
            "@ 60 NAPTR 10 100 \"a\" \"b c\" \"\\099\" .\n",
            // What BIND refuses: a number past 65535, a missing field, a string not closed.
            "@ 60 NAPTR 65536 100 \"u\" \"E2U+sip\" \"\" .\n",
            "@ 60 NAPTR 10 100 \"u\" \"E2U+sip\" \"\"\n",
            "@ 60 NAPTR 10 100 \"u\" \"E2U+sip \"\" .\n",
        ));
        assert_eq!(s.errors.get("rdata"), Some(&2), "{:?}", s.error_samples);
        assert_eq!(s.errors.get("syntax"), Some(&1), "{:?}", s.error_samples);
        let data: Vec<&str> = r.iter().map(|r| r.2.as_str()).collect();
        assert_eq!(
            data,
            [
                r#"10 100 "u" "E2U+sip" "!^.*$!sip:info@example.test!" ."#,
                r#"10 100 "s" "SIPS+D2T" "" _sips._tcp.example.test."#,
                r#"10 100 "u" "E2U+web:http" "!^.*$!http://x.test/a\\ b!" ."#,
                r#"10 100 "a" "b c" "c" ."#,
            ]
        );
        let mut wire = vec![0, 10, 0, 100, 1, b'u', 7];
        wire.extend_from_slice(b"E2U+sip");
        let regexp = b"!^.*$!sip:info@example.test!";
        wire.push(regexp.len() as u8);
        wire.extend_from_slice(regexp);
        wire.push(0);
        assert_eq!(
            crate::formats::dnstap::rdata_text(35, &wire).expect("NAPTR"),
            data[0]
        );
    }

    /// CERT types and algorithms by the names BIND prints, whether written by name, in any
    /// case, or by number; numbers without a name stay numbers.
    #[test]
    fn cert_fields_are_the_names_bind_prints() {
        let (r, s) = run(concat!(
            "$ORIGIN example.test.\n",
            "@ 60 CERT 3 0 0 AQID\n",
            "@ 60 CERT PGP 0 0 AQID\n",
            "@ 60 CERT pkix 012 8 AQID\n",
            "@ 60 CERT 1 12 RSASHA256 AQID\n",
            "@ 60 CERT 9 65535 ecdsa256 ( AQ ID )\n",
            "@ 60 CERT URI 1 200 AQID\n",
            // What BIND refuses.
            "@ 60 CERT PGPX 0 0 AQID\n",
            "@ 60 CERT PGP 65536 0 AQID\n",
            "@ 60 CERT PGP 0 256 AQID\n",
            "@ 60 CERT PGP 0\n",
        ));
        assert_eq!(s.errors.get("rdata"), Some(&4), "{:?}", s.error_samples);
        let data: Vec<&str> = r.iter().map(|r| r.2.as_str()).collect();
        assert_eq!(
            data,
            [
                "PGP 0 0 AQID",
                "PGP 0 0 AQID",
                "PKIX 12 RSASHA256 AQID",
                "PKIX 12 RSASHA256 AQID",
                "9 65535 ECDSAP256SHA256 AQID",
                "URI 1 200 AQID",
            ]
        );
        let tap = |wire: &[u8]| crate::formats::dnstap::rdata_text(37, wire).expect("CERT");
        assert_eq!(tap(&[0, 3, 0, 0, 0, 1, 2, 3]), data[0]);
        assert_eq!(tap(&[0, 1, 0, 12, 8, 1, 2, 3]), data[2]);
        assert_eq!(tap(&[0, 9, 0xff, 0xff, 13, 1, 2, 3]), data[4]);
        assert_eq!(tap(&[0, 253, 0, 1, 200, 1, 2, 3]), data[5]);
    }

    /// LOC data as BIND's `loc_totext` prints it: every field, with its default when left
    /// out, and the sizes rounded down to the one digit the wire keeps.
    #[test]
    fn loc_data_is_every_field_bind_prints() {
        let (r, s) = run(concat!(
            "$ORIGIN example.test.\n",
            "@ 60 LOC 52 22 N 4 53 E 0m\n",
            "@ 60 LOC 52 22 0 N 4 53 0.000 E 0.00m 1m 10000m 10m\n",
            "@ 60 LOC 42 21 54.5 s 71 6 18 w -24M 30 15m\n",
            "@ 60 LOC 90 S 180 W 42849672.95 90000000m 0.5 0.03m\n",
            "@ 60 LOC 37 46 30.0001 N 122 25 10.9999 W 10.123m 150m 1234m 9.99m\n",
            "@ 60 LOC \\# 16 001216138b3c9640 810c3fe000989680\n",
            // What BIND refuses.
            "@ 60 LOC 91 N 4 E 0m\n",
            "@ 60 LOC 90 0 1 N 4 E 0m\n",
            "@ 60 LOC 52 60 N 4 E 0m\n",
            "@ 60 LOC 52 N 4 X 0m\n",
            "@ 60 LOC 52 N 4 E\n",
            "@ 60 LOC 52 N 4 E -100000.01m\n",
            "@ 60 LOC 52 N 4 E 0m 90000000.01m\n",
            "@ 60 LOC 52 N 4 E 0m 1m 1m 1m 1m\n",
        ));
        assert_eq!(s.errors.get("rdata"), Some(&8), "{:?}", s.error_samples);
        let data: Vec<&str> = r.iter().map(|r| r.2.as_str()).collect();
        assert_eq!(
            data,
            [
                "52 22 0.000 N 4 53 0.000 E 0.00m 1m 10000m 10m",
                "52 22 0.000 N 4 53 0.000 E 0.00m 1m 10000m 10m",
                "42 21 54.500 S 71 6 18.000 W -24.00m 30m 10m 10m",
                "90 0 0.000 S 180 0 0.000 W 42849672.95m 90000000m 0.50m 0.03m",
                "37 46 30.000 N 122 25 10.999 W 10.12m 100m 1000m 9m",
                "52 22 0.000 N 4 53 0.000 E 0.00m 1m 10000m 10m",
            ]
        );
        // The wire form of the first, as dnstap writes it.
        let mut wire = vec![0, 0x12, 0x16, 0x13];
        let lat: u32 = 0x8000_0000 + (52 * 60 + 22) * 60_000;
        let lon: u32 = 0x8000_0000 + (4 * 60 + 53) * 60_000;
        wire.extend_from_slice(&lat.to_be_bytes());
        wire.extend_from_slice(&lon.to_be_bytes());
        wire.extend_from_slice(&10_000_000u32.to_be_bytes());
        assert_eq!(
            crate::formats::dnstap::rdata_text(29, &wire).expect("LOC"),
            data[0]
        );
    }

    /// CAA values as zone files write them — quoted with a bare `;` (BIND's genzone.sh),
    /// unquoted (a Nix zone writer's expected output) — and as BIND's dig prints them (`\;`,
    /// xfer/dig1.good) read as the text `dnstap` writes from the wire: one quoted string.
    #[test]
    fn caa_values_are_the_quoted_string_dnstap_writes() {
        let mut o = opts();
        o.set_origin("example").expect("valid origin");
        let read = |text: &str| {
            let (recs, stats) = parse_str_with(Format::BindZone, text, &o);
            (rows(recs), stats)
        };
        let (zone, s1) = read(concat!(
            "caa01\t\t\tCAA\t0 issue \"ca.example.net; policy=ev\"\n",
            "caa02\t\t\tCAA\t128 tbs \"Unknown\"\n",
            "caa03\t\t\tCAA\t128 tbs \"\"\n",
            "example.com. IN 60 CAA 0 issue letsencrypt.org\n",
        ));
        let (dig, s2) = read(concat!(
            "caa01.example.\t\t3600\tIN\tCAA\t0 issue \"ca.example.net\\; policy=ev\"\n",
            "caa02.example.\t\t3600\tIN\tCAA\t128 tbs \"Unknown\"\n",
        ));
        assert_eq!((s1.error_count(), s2.error_count()), (0, 0));
        let tap = |flags: u8, tag: &[u8], value: &[u8]| {
            let mut wire = vec![flags, tag.len() as u8];
            wire.extend_from_slice(tag);
            wire.extend_from_slice(value);
            crate::formats::dnstap::rdata_text(257, &wire).expect("CAA")
        };
        let caa01 = tap(0, b"issue", b"ca.example.net; policy=ev");
        assert_eq!(caa01, r#"0 issue "ca.example.net; policy=ev""#);
        let data: Vec<&str> = zone.iter().map(|r| r.2.as_str()).collect();
        assert_eq!(
            data,
            [
                caa01.as_str(),
                &tap(128, b"tbs", b"Unknown"),
                &tap(128, b"tbs", b""),
                &tap(0, b"issue", b"letsencrypt.org"),
            ]
        );
        assert_eq!(dig[0].2, caa01);
        assert_eq!(dig[1].2, data[1]);
        // Escapes read as BIND reads them, the tag kept as written (BIND keeps it, the wire
        // holds it); what BIND refuses to load is the record's error.
        let (r, s) = read(concat!(
            "a CAA 00 Issue \"\\099a\\\"\\\\\"\n",
            "b CAA 256 issue \"x\"\n",
            "c CAA 0 is-sue \"x\"\n",
            "d CAA 0 issue \"x\" \"y\"\n",
            "e CAA 0 issue\n",
            "f CAA 0 issue \"x\n",
        ));
        assert_eq!(short(&r), ["a.example 0 CAA 0 Issue \"ca\\\"\\\\\""]);
        assert_eq!(s.error_count(), 5, "{:?}", s.error_samples);
        assert_eq!(s.errors["rdata"], 4, "{:?}", s.error_samples);
    }

    #[test]
    fn canonical_and_relative_compilezone_styles_agree() {
        // The layout of `named-compilezone -s relative`: `$ORIGIN .`, names relative to it.
        let (r, s) = run(concat!(
            "$ORIGIN .\n",
            "$TTL 300\t; 5 minutes\n",
            "corp.test\t\tIN SOA\tns1.corp.test. hostmaster.corp.test. (\n",
            "\t\t\t\t2024060101 ; serial\n",
            "\t\t\t\t3600       ; refresh (1 hour)\n",
            "\t\t\t\t600        ; retry (10 minutes)\n",
            "\t\t\t\t86400      ; expire (1 day)\n",
            "\t\t\t\t300        ; minimum (5 minutes)\n",
            "\t\t\t\t)\n",
            "\t\t\tNS\tns1.corp.test.\n",
            "$ORIGIN corp.test.\n",
            "www\t\t\tA\t127.0.60.1\n",
        ));
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        assert_eq!(
            short(&r),
            [
                "corp.test 300 SOA ns1.corp.test hostmaster.corp.test 2024060101 3600 600 86400 300",
                "corp.test 300 NS ns1.corp.test",
                "www.corp.test 300 A 127.0.60.1",
            ]
        );
        assert!(r.iter().all(|x| x.4.as_deref() == Some("corp.test")));
    }

    #[test]
    fn dig_output_is_timed_by_its_when_line() {
        let (r, s) = run(concat!(
            "\n",
            "; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @127.0.10.1 corp.test AXFR\n",
            "; (1 server found)\n",
            ";; global options: +cmd\n",
            "corp.test.\t\t300\tIN\tSOA\tns1.corp.test. hostmaster.corp.test. 2024060101 3600 600 86400 300\n",
            "www.corp.test.\t\t300\tIN\tA\t127.0.60.1\n",
            "other.test.\t\t300\tIN\tA\t127.0.60.2\n",
            "version.bind.\t\t0\tCH\tTXT\t\"9.18\"\n",
            ";; Query time: 0 msec\n",
            ";; SERVER: 127.0.10.1#53(127.0.10.1) (TCP)\n",
            ";; WHEN: Sun Nov 29 20:16:01 CET 2026\n",
            ";; XFR size: 31 records (messages 1, bytes 942)\n",
            "\n",
            "; <<>> DiG 9.18.49 <<>> www.corp.test\n",
            ";; Got answer:\n",
            ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\n",
            ";; QUESTION SECTION:\n",
            ";www.corp.test.\t\t\tIN\tA\n",
            "\n",
            ";; ANSWER SECTION:\n",
            "www.corp.test.\t\t250\tIN\tA\t127.0.60.1\n",
            "\n",
            ";; WHEN: Sun Nov 29 19:16:05 2026\n",
            ";; MSG SIZE  rcvd: 58\n",
        ));
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        // 2026-11-29T19:16:01Z and :05Z.
        let t = 1_795_979_761_000;
        let got: Vec<_> = r
            .iter()
            .map(|x| (x.0.as_str(), x.3, x.4.as_deref(), x.5))
            .collect();
        assert_eq!(
            got,
            [
                ("corp.test", Some(300), Some("corp.test"), t),
                ("www.corp.test", Some(300), Some("corp.test"), t),
                ("other.test", Some(300), None, t),
                ("www.corp.test", Some(250), None, t + 4000),
            ]
        );
    }

    /// kdig's transfer, as Knot's `print_header_xfr` and `print_footer` write it: no header
    /// line, `;; AXFR for NAME`, the records, then `;; Time` in local time with its zone.
    #[test]
    fn a_transfer_by_kdig_is_timed_by_its_time_line() {
        let (r, s) = run(concat!(
            ";; AXFR for corp.test.\n",
            "corp.test.          \t300\tIN\tSOA\tns1.corp.test. hostmaster.corp.test. 2024060101 3600 600 86400 300\n",
            "www.corp.test.      \t300\tIN\tA\t127.0.60.1\n",
            "corp.test.          \t300\tIN\tSOA\tns1.corp.test. hostmaster.corp.test. 2024060101 3600 600 86400 300\n",
            ";; Received 142 B (1 messages, 3 records)\n",
            ";; Time 2026-11-29 20:16:01 CET\n",
            ";; From 127.0.10.1@53(TCP) in 0.4 ms\n",
        ));
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        let t = 1_795_979_761_000;
        let got: Vec<_> = r
            .iter()
            .map(|x| (x.0.as_str(), x.4.as_deref(), x.5))
            .collect();
        assert_eq!(
            got,
            [
                ("corp.test", Some("corp.test"), t),
                ("www.corp.test", Some("corp.test"), t),
                ("corp.test", Some("corp.test"), t),
            ]
        );
        // An unreadable time is the line's error; the records take the file's time.
        let (r, s) = run(";; AXFR for x.test.\nx.test. 5 IN A 192.0.2.1\n;; Time soon\n");
        assert_eq!((r[0].5, s.error_count()), (Y2026, 1));
    }

    #[test]
    fn dig_output_without_when_takes_the_fallback_time() {
        let (r, _) = run("; <<>> DiG 9.18 <<>> x\nx.test. 5 IN A 192.0.2.1\n");
        assert_eq!(r[0].5, Y2026);
    }

    /// Files concatenated: dig output, then zone files. A directive, or the header of a signed
    /// zone, ends the dig output: the zone's records are not held for a `;; WHEN:` that will not
    /// come, and its `$TTL` counts (dig output takes no default TTL).
    #[test]
    fn a_zone_file_after_dig_output_reads_as_a_zone_file() {
        let dig = concat!(
            "; <<>> DiG 9.18 <<>> x.test\n",
            ";; ANSWER SECTION:\n",
            "x.test. 5 IN A 192.0.2.1\n",
            ";; WHEN: Sun Nov 29 19:16:05 UTC 2026\n",
            "\n",
        );
        let when = 1_795_979_765_000;
        for (zone, after) in [
            (
                "$TTL 300\n$ORIGIN corp.test.\nwww A 192.0.2.2\n",
                "www.corp.test",
            ),
            (
                "; File written on Mon Nov 30 08:25:18 2026\nwww.corp.test. 300 IN A 192.0.2.2\n",
                "www.corp.test",
            ),
        ] {
            let mut out = Vec::new();
            let mut p = Parser::new(&opts());
            for (i, line) in format!("{dig}{zone}").lines().enumerate() {
                let before = out.len();
                let r = p.line(line.as_bytes(), i as u64 + 1, &mut out);
                if line.ends_with("192.0.2.2") {
                    // Handed out as read: not held.
                    assert_eq!((r, out.len()), (Ok(Outcome::Answer), before + 1), "{zone}");
                }
            }
            assert!(matches!(p.finish(&mut out), Ok(Outcome::Skipped)));
            let got: Vec<_> = rows(out)
                .into_iter()
                .map(|(n, _, _, ttl, _, t)| (n, ttl, t))
                .collect();
            assert_eq!(
                got,
                [
                    ("x.test".to_string(), Some(5), when),
                    (after.to_string(), Some(300), Y2026)
                ],
                "{zone}"
            );
        }
        // Records after a `;; WHEN:` and before such a line belong to no response: the
        // fallback time, as at the end of input.
        let (r, _) = run(&format!("{dig}y.test. 5 IN A 192.0.2.3\n$TTL 60\n"));
        assert_eq!(r[1].0, "y.test");
        assert_eq!(r[1].5, Y2026);
    }

    #[test]
    fn year_rule_reference_is_the_time_of_plain_zone_files() {
        let o = ParseOptions {
            year: YearRule::Before(Timestamp::from_secs(1_795_980_311)),
            ..opts()
        };
        let (recs, _) = parse_str_with(Format::BindZone, "x.test. 5 IN A 192.0.2.1\n", &o);
        assert_eq!(rows(recs)[0].5, 1_795_980_311_000);
    }

    #[test]
    fn cache_dump_date_and_negative_entries() {
        let (r, s) = run(concat!(
            ";\n; Start view _default\n;\n",
            "$DATE 20261129191601\n",
            "; authanswer\n",
            "www.corp.test.\t297\tA\t127.0.60.1\n",
            "nx.corp.test.\t10\t\\-ANY\t;-$NXDOMAIN\n",
        ));
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].5, 1_795_979_761_000);
        assert_eq!(s.no_answer, 1);
    }

    /// A cache dump's stale window (the SEED DNS lab's BIND 9.16.1): BIND 9.12 to the early
    /// 9.16 releases dumped the cache as of that window before, so this `$DATE` is a week early
    /// and the root NS TTL 1123199 is 518399 + 604800; later releases print the same line and
    /// shift nothing. The file cannot tell them apart, so both are read as printed (see the
    /// module doc).
    #[test]
    fn a_cache_dump_stale_window_is_read_as_printed() {
        let (r, s) = run(concat!(
            "; using a 604800 second stale ttl\n",
            "$DATE 20260327050002\n",
            "; authanswer\n",
            ".\t\t\t1123199\tIN NS\ta.root-servers.net.\n",
            "\t\t\t1123199\tIN NS\tb.root-servers.net.\n",
        ));
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        assert_eq!(
            short(&r),
            [
                ". 1123199 NS a.root-servers.net",
                ". 1123199 NS b.root-servers.net"
            ]
        );
        // 2026-03-27T05:00:02Z, the `$DATE` as written.
        assert!(r.iter().all(|x| x.5 == 1_774_587_602_000));
    }

    #[test]
    fn named_checkzone_chatter_is_skipped_and_names_the_zone() {
        let (r, s) = run(concat!(
            "zone corp.test/IN: loaded serial 2024060101\n",
            "www.corp.test. 300 IN A 127.0.60.1\n",
            "zone corp.test/IN: NS 'ns1.corp.test' has no address records (A or AAAA)\n",
            "dump zone to - ...done\n",
            "OK\n",
        ));
        assert_eq!(s.error_count(), 0);
        assert_eq!(r[0].4.as_deref(), Some("corp.test"));
        assert_eq!(s.skipped, 4);
    }

    /// `named-checkzone -dD` output of BIND 9.9.4 (Red Hat): the lines `-d` adds around the
    /// dump are chatter, not records of owners `loading` and `dumping`; records of those
    /// owners are still records.
    #[test]
    fn named_checkzone_debug_lines_are_skipped() {
        let (r, s) = run(concat!(
            "loading \"vmg.com\" from \"/var/named/named.vmg\" class \"IN\"\n",
            "zone vmg.com/IN: loaded serial 0\n",
            "dumping \"vmg.com\"\n",
            "vmg.com.\t\t\t\t      86400 IN SOA\tdns.vmg.com. root.vmg.com. 0 86400 3600 604800 10800\n",
            "vmg.com.\t\t\t\t      86400 IN NS\tdns.vmg.com.\n",
            "OK\n",
        ));
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        assert_eq!(s.skipped, 4);
        assert_eq!(r.len(), 2);
        assert!(r.iter().all(|x| x.4.as_deref() == Some("vmg.com")));
        // `dumping "zone" to "file"` (`-o file`) is chatter too; owners named `loading` or
        // `dumping` are records, and a quoted token after one stays the record's error.
        let (r, s) = run(concat!(
            "dumping \"corp.test\" to \"/tmp/corp.test.db\"\n",
            "$ORIGIN corp.test.\n",
            "loading 300 IN TXT \"from\"\n",
            "dumping 300 IN A 192.0.2.2\n",
            "loading \"corp.test\" 300 IN A 192.0.2.3\n",
        ));
        assert_eq!(s.skipped, 2);
        assert_eq!(
            short(&r),
            [
                "loading.corp.test 300 TXT \"from\"",
                "dumping.corp.test 300 A 192.0.2.2"
            ]
        );
        assert_eq!(s.errors["rrtype"], 1, "{:?}", s.error_samples);
    }

    #[test]
    fn origin_from_the_options_places_relative_names() {
        let mut o = opts();
        o.set_origin("Corp.Test.").expect("valid origin");
        let zone = "@ 300 IN SOA ns1 h ( 1 2 3 4 5 )\nwww 300 IN A 127.0.60.1\n";
        let (r, s) = crate::parse_str_with(crate::Format::BindZone, zone, &o);
        assert_eq!(s.error_count(), 0, "{s:?}");
        let Some(Record::Association(a)) = r.get(1) else {
            panic!("{r:?}")
        };
        assert_eq!(
            (a.rrname.as_str(), a.bailiwick.as_deref()),
            ("www.corp.test", Some("corp.test"))
        );
    }

    #[test]
    fn zone_file_without_origin_fails_per_record_unless_given_one() {
        let zone = "$TTL 300\n@ IN SOA ns1.corp.test. h.corp.test. ( 1 2 3 4 5 )\n  IN NS ns1.corp.test.\nwww IN A 127.0.60.1\nabs.corp.test. IN A 127.0.60.2\n";
        let (r, s) = run(zone);
        assert_eq!(r.len(), 1, "only the absolute owner is placed");
        assert_eq!(s.errors["name"], 3);
        let mut p = Parser::new(&opts())
            .with_origin("corp.test")
            .expect("valid origin");
        let mut out = Vec::new();
        for (i, l) in zone.lines().enumerate() {
            assert!(
                p.line(l.as_bytes(), i as u64 + 1, &mut out).is_ok(),
                "line {l}"
            );
        }
        assert!(p.finish(&mut out).is_ok());
        let r = rows(out);
        assert_eq!(r.len(), 4);
        assert_eq!(r[0].0, "corp.test");
        assert_eq!(r[2].2, "127.0.60.1");
        assert!(r.iter().all(|x| x.4.as_deref() == Some("corp.test")));
    }

    #[test]
    fn each_error_kind() {
        let (_, s) = run(concat!(
            "$INCLUDE other.zone\n",
            "$GENERATE 1-10 host-$ A 10.0.0.$ extra\n",
            "$FOO bar\n",
            "$TTL 1x\n",
            "$DATE 2026\n",
            "x.test. 300 IN BOGUS 1\n",
            "x.test. 300 IN A 300.1.1.1\n",
            "x.test. 300 IN MX ten mail.test.\n",
            "x..test. 300 IN A 192.0.2.1\n",
            "x.test. 99999999999 IN A 192.0.2.1\n",
            "x.test. 300 IN\n",
            "x.test. 300 IN TXT \"open\n",
            "x.test. 300 IN A 192.0.2.1 )\n",
            "rel 300 IN A 192.0.2.1\n",
            "x.test. 300 IN TYPE1 \\# 5 C0000201\n",
            "x.test. 300 IN SOA ns. h. (\n",
            "  1 2 3 4 5\n",
        ));
        assert_eq!(s.errors["syntax"], 8, "{:?}", s.error_samples);
        assert_eq!(s.errors["timestamp"], 1);
        assert_eq!(s.errors["rrtype"], 1);
        assert_eq!(s.errors["rdata"], 3);
        assert_eq!(s.errors["name"], 2);
        assert_eq!(s.errors["truncated"], 1);
        let trunc = s
            .error_samples
            .iter()
            .find(|e| e.error.kind == ErrorKind::Truncated);
        assert_eq!(trunc.map(|e| e.error.line), Some(16));
    }

    /// Runs `text` line by line through a parser, every result and record kept.
    fn trace(text: &[u8], general_only: bool) -> LineTrace {
        let mut p = Parser::new(&opts());
        p.general_only = general_only;
        read_by_lines(&mut p, text)
    }

    /// Runs `text` through [`FormatParser::block`] in blocks of `lines` lines each, with lines
    /// of at most `max_line` bytes.
    fn block_trace(text: &[u8], general_only: bool, lines: usize, max_line: usize) -> BlockTrace {
        let mut p = Parser::new(&opts());
        p.general_only = general_only;
        read_by_blocks(&mut p, text, lines, max_line)
    }

    /// Checks that the block reader, which reads a record spread over lines in one piece,
    /// gives what the general reader gives line by line: in one block, in blocks that cut
    /// records, and with a line limit that some lines pass.
    fn blocks_agree(text: &[u8]) {
        for (lines, max_line) in [(usize::MAX, 1 << 20), (3, 1 << 20), (1 << 20, 60)] {
            assert_eq!(
                block_trace(text, false, lines, max_line),
                block_trace(text, true, lines, max_line),
                "blocks of {lines} lines, {max_line} bytes at most: {:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn the_block_reader_reads_odd_records_as_the_general_reader() {
        const RECORDS: &[&str] = &[
            "x 300 IN TXT ( \"a\"\n\t\"b\" )\n",
            "x 300 IN TXT ( \"a\n b\" )\n",
            "x 300 IN TXT ( \"a\\\n\" )\n",
            "x 300 IN TXT ( \"a\\\" b\" ; c \"\n \"d\" )\n",
            "x 300 IN TXT ( \"a\"\r\n \"b\" )\r\n",
            "x 300 IN A ( 127.0.0.1\r )\n",
            "x 300 IN A ( 127.0.0.1 \r\r\n )\n",
            "x 300 IN TXT ( \"q\"r\n )\n",
            "x 300 IN TXT ( \"q\" r\n )\n",
            "x 300 IN TXT (\n\"a\"\n)\n",
            "x 300 IN TXT (\"a\"\n\"b\")\n",
            "x 300 IN SOA ns. h. ( 1 ; serial (1)\n 2 ; ( )) \"\n 3 4 5 )\n",
            "x 300 IN SOA ns. h. ( 1 2\n ) ( 3 4\n 5 )\n",
            "x 300 IN A ( 127.0.0.1 ) )\n",
            "x 300 IN A ( 127.0.0.1\n ) )\n",
            "x 300 IN TXT ( \"a\" ) \"b\"\n",
            "x 300 IN A 127.0.0.1 ; (\n",
            "x 300 IN TXT ( \"a\";c\n )\n",
            "x 300 IN TXT ( a\\ b\n c )\n",
            "x 300 IN TXT ( a\x01b\n c )\n",
            "x 300 IN TXT ( a\x0bb\n c )\n",
            "x 300 IN TXT ( \"\u{3000}\"\n\u{3000} )\n",
            "x 300 IN MX ( 10\n\n; only a comment ( \"\n mail )\n",
            "\t300 IN NS ( ns1\n )\n",
            "x 300 IN TXT ( \"open\n",
            "x 300 IN TXT \"a\" ; ok\n",
            "x IN TXT \"a\"\n",
            "( x 300 IN A 127.0.0.1 )\n",
        ];
        let long = format!("x 300 IN TXT ( {} )\n", "\"abcdefgh\"\n".repeat(60));
        let mut rng = TestRng::new(0x5eed_0bad);
        for round in 0..400 {
            let mut text = String::new();
            if round % 2 == 0 {
                text.push_str("$ORIGIN corp.test.\n");
            }
            for _ in 0..1 + rng.below(6) {
                text.push_str(RECORDS[rng.below(RECORDS.len())]);
                if rng.below(4) == 0 {
                    text.push_str("y 300 IN A 127.0.0.2\n");
                }
            }
            if round % 50 == 0 {
                text.push_str(&long);
            }
            blocks_agree(text.as_bytes());
        }
    }

    #[test]
    fn one_line_reader_agrees_with_the_general_one() {
        const STARTS: &[&str] = &[
            "", "", "", " ", "\t", "  \t", "\u{3000}", " \u{a0}", "\x0b", " \x0b", ";", " ;",
        ];
        const WORDS: &[&str] = &[
            "www",
            "@",
            "corp.test.",
            "a.b.",
            "x\\.y.",
            "x\\",
            "\"q s\"",
            "é.test.",
            "*.w",
            "Caf\u{e9}",
            "300",
            "1h",
            "99999999999",
            "IN",
            "in",
            "CH",
            "CLASS1",
            "A",
            "AAAA",
            "MX",
            "SOA",
            "TXT",
            "CNAME",
            "NS",
            "SRV",
            "TYPE65",
            "\\-AAAA",
            "BOGUS",
            "127.0.0.1",
            "::1",
            "10",
            "mail",
            "mail.test.",
            "\"a b\"",
            "\"x;y\"",
            "\"p(q)\"",
            "\"e\\\"f\"",
            "(",
            ")",
            "((",
            "))",
            ";c",
            "; (",
            "\"open",
            "a\"b",
            "\\#",
            "4",
            "C0000201",
            "\r",
            "\x0b",
            "\x01",
            "\x7f",
            "é",
            "!x",
            "$",
            "'",
            "#",
            "%&",
            "a(b",
            "c)d",
            "e;f",
            "\"\"",
            "2024060101",
            "ns1",
            "h.",
            "\u{ff}\u{fe}",
            "\u{85}",
            "\u{a0}",
            "\u{3000}",
            "\"a\\\" b\"",
        ];
        // Not UTF-8: read as Windows-1252.
        const RAW: &[&[u8]] = &[
            b"\xe9t\xe9",
            b"www\xff",
            b"\x85",
            b"\xa0",
            b"a.\xe9.",
            b"\xff.",
        ];
        const SEPS: &[&str] = &[
            " ",
            " ",
            " ",
            "\t",
            "",
            "  \t",
            "\t\t\t\t      ",
            "\r",
            "\x0c",
        ];
        const LINES: &[&str] = &[
            "$ORIGIN corp.test.",
            "$TTL 300",
            "$ORIGIN .",
            "zone corp.test/IN: loaded serial 1",
            "OK",
            "",
            "; <<>> DiG 9.18 <<>> x",
            ";; WHEN: Sun Nov 29 19:16:01 UTC 2026",
        ];
        let mut rng = TestRng::new(0x2545_f491);
        let mut rnd = |n: usize| rng.below(n);
        for _ in 0..1000 {
            let mut text = Vec::new();
            for _ in 0..30 {
                if rnd(8) == 0 {
                    text.extend_from_slice(LINES[rnd(LINES.len())].as_bytes());
                } else {
                    text.extend_from_slice(STARTS[rnd(STARTS.len())].as_bytes());
                    for k in 0..1 + rnd(9) {
                        if k > 0 {
                            text.extend_from_slice(SEPS[rnd(SEPS.len())].as_bytes());
                        }
                        if rnd(10) == 0 {
                            text.extend_from_slice(RAW[rnd(RAW.len())]);
                        } else {
                            text.extend_from_slice(WORDS[rnd(WORDS.len())].as_bytes());
                        }
                    }
                    if rnd(4) == 0 {
                        text.extend_from_slice(SEPS[rnd(SEPS.len())].as_bytes());
                    }
                }
                text.push(b'\n');
            }
            assert_eq!(
                trace(&text, false),
                trace(&text, true),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
            blocks_agree(&text);
        }
        // The fixtures too.
        for f in [
            include_str!("../../tests/fixtures/bind-zone/lab-bind-9.18-corp.test.zone"),
            include_str!("../../tests/fixtures/bind-zone/named-compilezone-9.18-corp.test.txt"),
            SIGNED,
            SIGNED_COMPILED,
            DIG_AXFR,
            DIG_AXFR_MULTI,
            include_str!("../../tests/fixtures/bind-zone/dig-9.18-queries-corp.test.txt"),
            include_str!(
                "../../tests/reference/bind-zone-dig/dig-9.18-axfr-nocrypto-corp.test.txt"
            ),
            include_str!(
                "../../tests/reference/bind-zone-dig/dig-9.18-axfr-multi-nocrypto-corp.test.txt"
            ),
            include_str!("../../tests/reference/bind-zone-dig/dig-9.18-axfr-nottlid-corp.test.txt"),
            include_str!("../../tests/reference/bind-zone-generate/generate-corp.test.zone"),
            include_str!(
                "../../tests/reference/bind-zone-tools/dig-9.18-axfr-unknownformat-survey.test.txt"
            ),
            include_str!("../../tests/reference/bind-zone-tools/dig-9.18-ixfr-3-nsec.test.txt"),
            include_str!("../../tests/reference/bind-zone-tools/host-9.18-v-mx-survey.test.txt"),
            include_str!(
                "../../tests/reference/bind-zone-tools/named-checkzone-9.18-D-relative-survey.test.txt"
            ),
        ] {
            assert_eq!(trace(f.as_bytes(), false), trace(f.as_bytes(), true));
            blocks_agree(f.as_bytes());
        }
        // Signed zones' records spread over lines are read in one piece.
        for f in [SIGNED, DIG_AXFR_MULTI] {
            let mut p = Parser::new(&opts());
            let mut tally = LineTally::default();
            p.block(
                f.as_bytes(),
                1 << 20,
                &mut tally,
                &mut Vec::new(),
                &mut |_| {},
            );
            assert!(p.spreads > 50, "{}", p.spreads);
        }
    }

    /// Records built from their grammar, most well formed and some not in one field, so that
    /// [`Parser::quick`] reads them to their end: what it yields, and the state it leaves for
    /// the lines after, are what [`Parser::record`] gives.
    /// An unclosed `(` reads lines until the record passes 1 MiB, then fails at its first line
    /// and reading goes on: the same line in both readers, and in the general one when a line
    /// the masks do not take comes in the middle.
    #[test]
    fn an_unclosed_parenthesis_fails_past_one_mebibyte_in_both_readers() {
        for odd in ["", "a\\ b\n"] {
            let mut text = String::from("$ORIGIN corp.test.\nx 300 IN TXT ( \"a\"\n");
            text.push_str(odd);
            let filler = format!("\t\t{}\n", "abcdefgh ".repeat(10));
            while text.len() < MAX_RECORD + 4096 {
                text.push_str(&filler);
            }
            text.push_str("y 300 IN A 127.0.0.1\n");
            let fast = trace(text.as_bytes(), false);
            assert_eq!(fast, trace(text.as_bytes(), true));
            let errors: Vec<_> = fast.iter().filter_map(|(r, _)| r.as_ref().err()).collect();
            assert!(
                errors
                    .iter()
                    .any(|e| e.line == 2 && e.reason.contains("over 1 MiB")),
                "{errors:?}"
            );
            assert!(fast.iter().any(|(_, recs)| !recs.is_empty()));
        }
    }

    #[test]
    fn record_reader_agrees_with_the_general_one() {
        // Each list starts with the well-formed values, taken three times in four.
        const OWNERS: (usize, &[&str]) = (
            9,
            &[
                "corp.test.",
                "www.corp.test.",
                "www",
                "@",
                "*.wild",
                "_sip._udp",
                "x.",
                "www.other.lab.",
                "ns1",
                "WWW.Corp.Test.",
                "a..b.",
                ".",
                "a\\.b.",
                "-.",
                "caf\u{e9}.test.",
            ],
        );
        const NAMES: (usize, &[&str]) = (
            6,
            &[
                "ns1.corp.test.",
                "ns1",
                "@",
                "mail",
                "edge.example.lab.",
                "x-y.z.",
                "Mail.Corp.Test.",
                ".",
                "a..b.",
                "bad_label.",
                "LONG",
                "e\u{301}.",
                "\\@.",
            ],
        );
        const NUMBERS: (usize, &[&str]) = (
            4,
            &[
                "0",
                "10",
                "65535",
                "2024060101",
                "1h",
                "x",
                "007",
                "4294967296",
            ],
        );
        const TTLS: (usize, &[&str]) =
            (4, &["", "", "300", "0", "1h30m", "2D", "99999999999", "1x"]);
        const CLASSES: (usize, &[&str]) = (3, &["", "IN", "in", "In", "CH", "HS", "CLASS1", "ANY"]);
        const A: (usize, &[&str]) = (
            2,
            &[
                "127.0.60.1",
                "10.0.0.255",
                "01.2.3.4",
                "1.2.3",
                "256.1.1.1",
                "::1",
            ],
        );
        const AAAA: (usize, &[&str]) = (
            2,
            &[
                "::1",
                "2001:db8::7",
                "2001:DB8::7",
                "2001:0db8::1",
                "::ffff:1.2.3.4",
                "1.2.3.4",
                "gg::1",
            ],
        );
        const NAME_TYPES: (usize, &[&str]) = (3, &["NS", "CNAME", "PTR", "ns", "cname"]);
        const SEPS: &[&str] = &["\t", " ", "\t\t      "];
        const BETWEEN: &[&str] = &["$ORIGIN other.lab.", "$TTL 60", "x CH TXT \"v\"", ""];
        let long_label = "l".repeat(64);
        let mut rng = TestRng::new(0x9e37_79b9);
        let mut rnd = |n: usize| rng.below(n);
        let mut pick = |(good, set): (usize, &[&'static str])| {
            let r = rnd(4 * set.len());
            set[if r % 4 == 0 { r / 4 } else { r % good }]
        };
        for round in 0..600 {
            let mut text = String::new();
            if round % 3 != 0 {
                text.push_str("$ORIGIN corp.test.\n");
            }
            if round % 4 == 0 {
                text.push_str("$TTL 1h\n");
            }
            for line in 0..40 {
                let owner = if line % 4 == 1 { "" } else { pick(OWNERS) };
                let ttl = pick(TTLS);
                let class = pick(CLASSES);
                let mut f: Vec<String> = vec![owner.to_string()];
                f.extend(
                    [ttl, class]
                        .iter()
                        .filter(|t| !t.is_empty())
                        .map(|t| t.to_string()),
                );
                // DNSSEC data: a blob of a length from a few bytes to past the masks' reach,
                // in pieces.
                let blob = {
                    const B64: &[u8] =
                        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                    let len = 4 + (round * 7 + line * 13) % 600;
                    let chars: String = (0..len)
                        .map(|k| char::from(B64[(k * 31 + line) % B64.len()]))
                        .collect();
                    let piece = [44, 56, 1000][line % 3];
                    let pieces: Vec<&str> = chars
                        .as_bytes()
                        .chunks(piece)
                        .filter_map(|c| std::str::from_utf8(c).ok())
                        .collect();
                    pieces.join(" ")
                };
                let case = pick((10, &["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]));
                match case {
                    "9" => match line % 4 {
                        0 => f.extend(
                            [
                                "RRSIG",
                                pick((5, &["A", "SOA", "NSEC", "DNSKEY", "TXT"])),
                                "13",
                                "2",
                                "300",
                                "20261230072518",
                                "20261130072518",
                                "16024",
                                pick(NAMES),
                                blob.as_str(),
                            ]
                            .map(String::from),
                        ),
                        1 => f.extend(
                            ["DNSKEY", pick((2, &["256", "257", "x"])), "3", "13", &blob]
                                .map(String::from),
                        ),
                        2 => f.extend(["DS", "16024", "13", "2", &blob].map(String::from)),
                        _ => f.extend(
                            ["NSEC", pick(NAMES), "A", "NS", "SOA", "RRSIG", "NSEC"]
                                .map(String::from),
                        ),
                    },
                    "0" => f.extend(["A".into(), pick(A).to_string()]),
                    "1" => f.extend(["AAAA".into(), pick(AAAA).to_string()]),
                    "2" => f.extend([pick(NAME_TYPES).to_string(), pick(NAMES).to_string()]),
                    "3" => f.extend([
                        "MX".into(),
                        pick(NUMBERS).to_string(),
                        pick(NAMES).to_string(),
                    ]),
                    "4" => {
                        f.push("SRV".into());
                        f.extend((0..3).map(|_| pick(NUMBERS).to_string()));
                        f.push(pick(NAMES).to_string());
                    }
                    "5" => {
                        f.push("SOA".into());
                        f.extend((0..2).map(|_| pick(NAMES).to_string()));
                        f.extend((0..5).map(|_| pick(NUMBERS).to_string()));
                    }
                    "6" => f.extend(["CNAME".into(), format!("{long_label}.test.")]),
                    "7" => f.extend(match line % 5 {
                        0 => vec!["TXT".into(), "\"t\"".into()],
                        1 => vec!["TXT".into(), "\"a b\"".into(), "\"c;d\"".into()],
                        2 => vec![
                            "CAA".into(),
                            "0".into(),
                            "issue".into(),
                            "\"ca.test\"".into(),
                        ],
                        3 => vec!["HINFO".into(), "\"PC\"".into(), "\"Linux\"".into()],
                        _ => vec!["TYPE65534".into(), "\\#".into(), "0".into()],
                    }),
                    _ => f.push(pick((5, &["A", "MX", "SOA", "SRV", "NS"])).to_string()),
                }
                // Sometimes a field too many, or two fields swapped.
                if line % 13 == 5 {
                    f.push("extra".into());
                }
                if line % 11 == 7 && f.len() > 3 {
                    f.swap(1, 2);
                }
                let sep = pick((3, SEPS));
                if case == "9" && line % 3 != 1 && f.len() > 4 {
                    // Spread over lines, as `dig +multi` and `dnssec-signzone` write it.
                    let (head, data) = f.split_at(4);
                    text.push_str(&head.join(sep));
                    text.push_str(" (\n\t\t\t\t");
                    text.push_str(&data.join(["\n\t\t\t\t", " ", "\t"][line % 3]));
                    text.push_str(if line % 2 == 0 { " )" } else { "\n\t\t\t\t)" });
                } else {
                    text.push_str(&f.join(sep));
                    // Sometimes white space after the last field.
                    if line % 7 == 2 {
                        text.push_str([" ", "\t", "  "][round % 3]);
                    }
                }
                text.push('\n');
                if line % 17 == 3 {
                    text.push_str(pick((4, BETWEEN)));
                    text.push('\n');
                }
            }
            assert_eq!(
                trace(text.as_bytes(), false),
                trace(text.as_bytes(), true),
                "{text}"
            );
            blocks_agree(text.as_bytes());
            // The shortcut takes a good part of these lines (when they have an origin).
            let mut p = Parser::new(&opts());
            for (i, l) in text.lines().enumerate() {
                let _ = p.text_line(l, i as u64 + 1, &mut Vec::new());
            }
            let taken = p.quick_taken;
            assert!(round % 3 == 0 || taken > 5, "{taken}: {text}");
        }
    }

    #[test]
    fn white_space_masks_cut_the_tokens_the_byte_reader_cuts() {
        // Long texts of words among every white space byte (and the vertical tab, which is
        // not one), non-ASCII characters, across 64-byte windows.
        const PIECES: &[&str] = &[
            "a",
            "RRSIG",
            " ",
            "  ",
            "\t",
            "\n",
            "\r",
            "\x0c",
            "\x0b",
            "é",
            "😀",
            "x",
            "+/=",
            "20261230072518",
            " \t ",
        ];
        let mut rng = TestRng::new(0x5eed);
        for round in 0..3000 {
            let mut s = String::new();
            let len = 65 + rng.below(400);
            while s.len() < len {
                s.push_str(PIECES[rng.below(PIECES.len())]);
            }
            if round % 7 == 0 {
                // Ending at a window's edge.
                let edge = (0..=128).rev().find(|&i| s.is_char_boundary(i));
                s.truncate(edge.unwrap_or(0));
            }
            let fast = Tokens::new(&s);
            let uses_masks = fast.plain.is_some();
            let got: Vec<&str> = fast.collect();
            let general = Tokens {
                s: &s,
                pos: 0,
                plain: None,
            };
            assert_eq!(got, general.collect::<Vec<_>>(), "{s:?}");
            assert_eq!(uses_masks, s.len() > 64, "{s:?}");
        }
        // Quotes and backslashes take the byte reader.
        let quoted = format!("{} \"a b\" c", "x ".repeat(40));
        assert!(Tokens::new(&quoted).plain.is_none());
        assert!(Tokens::new(&format!("{} a\\ b", "x ".repeat(40)))
            .plain
            .is_none());
    }

    #[test]
    fn mask_tokens_are_the_tokens_the_general_reader_finds() {
        fn toks(l: &str) -> Option<Vec<&str>> {
            let walk = |bounds| MaskTokens::<2>::new(l, bounds).collect::<Vec<_>>();
            let got = line_masks::<2>(l.as_bytes()).map(walk);
            // The reader of the lines with quotes or parentheses takes the others too.
            assert_eq!(got, line_masks_odd(l.as_bytes()).map(walk), "{l:?}");
            // And more words change nothing but the length of the lines taken.
            if l.len() <= 128 {
                assert_eq!(got, wide(l), "{l:?}");
            }
            got
        }
        fn wide(l: &str) -> Option<Vec<&str>> {
            let walk = |bounds| MaskTokens::<WIDE>::new(l, bounds).collect::<Vec<_>>();
            let got = line_masks::<WIDE>(l.as_bytes()).map(walk);
            assert_eq!(got, line_masks_odd(l.as_bytes()).map(walk), "{l:?}");
            // The reader of the long records finds them too, with either width.
            let walk = |bounds| WideTokens::<WIDE>::new(l, bounds, ()).collect::<Vec<_>>();
            assert_eq!(got, line_masks::<WIDE>(l.as_bytes()).map(walk), "{l:?}");
            if l.len() <= 64 * MID {
                let walk = |bounds| WideTokens::<MID>::new(l, bounds, ()).collect::<Vec<_>>();
                assert_eq!(got, line_masks::<MID>(l.as_bytes()).map(walk), "{l:?}");
            }
            got
        }
        fn general(l: &str) -> Vec<String> {
            let s = scan(l);
            assert!(!s.unterminated && s.open == s.close, "{l:?}");
            let mut clean = String::new();
            push_clean(&mut clean, l.get(..s.end).unwrap_or(l));
            Tokens::new(&clean).map(str::to_string).collect()
        }
        let long = format!("{} x", "a".repeat(126));
        let over = format!("{} x", "a".repeat(127));
        let edge = format!("{} ;x", "b".repeat(125));
        let quoted = format!("t \"{}\" u", "q ".repeat(50));
        for l in [
            "corp.test.\t\t\t\t      300 IN A\t\t127.0.60.1",
            "",
            " ",
            "a",
            " a ",
            "www     IN A   127.0.60.1",
            "\u{e9}t\u{e9} x\u{e9}",
            "x.\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t1\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t2",
            "a b ; c \"d",
            "a b;c",
            ";",
            "a*+,-./:<=>?@[]^_`{|}~\x7f b",
            "a!b #$%&' c",
            long.as_str(),
            edge.as_str(),
            quoted.as_str(),
            "a \"b\"",
            "a ( b )",
            "a(b)c",
            "(a)",
            "@ IN SOA ns1.corp.test. hostmaster.corp.test. ( 2024060101 3600 600 86400 300 )",
            "t IN TXT \"v=spf1 ip4:127.0.60.0/24 -all\"",
            "t IN TXT \"hello world\" \"second string\"",
            "t IN TXT \"a (b) ; c\" ; (x \"",
            "t IN TXT \"e\\\"f\" \"g\\\\\"",
            "t IN TXT (\"a\")\"b\"",
            "t \"\x01\r\t\\\u{e9}\" u",
            "\"q s\" IN A 1.2.3.4",
            "t \"\";x",
            "0123456789abcdef",
            "0123456789abcdef0",
            "0123456789abcde f",
            "0123456789abcdef 0123456789abcdef 0123456789abcdef 0123456789abcdef 0123456789",
        ] {
            assert_eq!(
                toks(l),
                Some(general(l).iter().map(String::as_str).collect()),
                "{l:?}"
            );
        }
        // Long lines, to the last byte the widest masks hold, across their words.
        let signed = format!(
            "x. 300 IN RRSIG A 13 2 300 ( 2026 x. {} ) ; k",
            "AbC+/= ".repeat(60)
        );
        let words = (1..120).map(|k| "w".repeat(k % 7 + 1)).collect::<Vec<_>>();
        let mut texts = vec![over.clone(), signed, quoted.repeat(3)];
        for end in [129, 191, 192, 255, 256, 300, 511, 512] {
            let mut t = words.join(["\t", " ", " ( ", " \"q r\" "][end % 4]);
            t.truncate(end);
            texts.push(t);
        }
        for l in &texts {
            if l.len() > 512 {
                assert!(wide(l).is_none(), "{l:?}");
                continue;
            }
            let Some(got) = wide(l) else {
                // A line cut inside a quoted string or parentheses.
                let s = scan(l);
                assert!(s.unterminated || s.open != s.close, "{l:?}");
                continue;
            };
            assert_eq!(got, general(l), "{l:?}");
        }
        assert!(texts.iter().filter(|l| wide(l).is_some()).count() >= 6);
        // Lines left to the general reader.
        for l in [
            over.as_str(),
            "a\\ b",
            "a\rb",
            "a\x0cb",
            "a\x0bb",
            "a\x01b",
            "a\x1fb",
            "a\x00b",
            "a)b",
            "a (b",
            "a ((b)",
            "a \"b",
            "a \"b\\\"",
            "a\"b\"",
            "a \"b\"c",
            "a \"b\"\"c\"",
            "a \"b\"\\",
        ] {
            assert!(toks(l).is_none(), "{l:?}");
        }
        #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
        {
            assert_eq!(gather([1; 16]), 0xffff);
            assert_eq!(gather([0; 16]), 0);
            let mut f = [0; 16];
            f[0] = 1;
            f[9] = 1;
            f[15] = 1;
            assert_eq!(gather(f), 0x8201);
        }
        let b = b"0123456789abcdefghij";
        assert_eq!(&chunk16(b, 0), b"0123456789abcdef");
        assert_eq!(&chunk16(b, 10), b"abcdefghij      ");
        assert_eq!(&chunk16(b, 19), b"j               ");
        assert_eq!(&chunk16(b"abc", 1), b"bc              ");
    }

    #[test]
    fn clean_copies_runs_as_a_character_loop_would() {
        fn by_chars(s: &str) -> String {
            let (mut dst, mut quoted, mut escaped) = (String::new(), false, false);
            for c in s.chars() {
                if escaped {
                    escaped = false;
                    dst.push(c);
                    continue;
                }
                match c {
                    '\\' => escaped = true,
                    '"' => quoted = !quoted,
                    '(' | ')' if !quoted => {
                        dst.push(' ');
                        continue;
                    }
                    _ => {}
                }
                dst.push(c);
            }
            dst
        }
        const PIECES: &[&str] = &[
            "a",
            "(",
            ")",
            "\"",
            "\\",
            " ",
            "é",
            "\u{3000}",
            ";",
            "\t",
            "x.y",
            "0123456789abcdef",
            "\\(",
            "\\\\",
            "\x01",
        ];
        let mut rng = TestRng::new(7);
        for _ in 0..20_000 {
            let mut s = String::new();
            let x = rng.next_u64();
            for k in 0..x % 40 {
                s.push_str(PIECES[((x >> (k % 20)) as usize + k as usize) % PIECES.len()]);
            }
            let mut got = String::from("kept");
            push_clean(&mut got, &s);
            assert_eq!(got, format!("kept{}", by_chars(&s)), "{s:?}");
        }
    }

    #[test]
    fn the_byte_trim_is_str_trim_start() {
        for s in [
            "",
            " ",
            "\t \t",
            "; resign=1",
            "  ;; WHEN: x",
            "\t\u{a0}x",
            " \u{3000};",
            "\u{e9}t\u{e9}",
            "\r\n x",
            " \x0cx",
            "\x7f",
        ] {
            assert_eq!(trim_start(s), s.trim_start(), "{s:?}");
        }
    }

    #[test]
    fn a_name_is_absolute_when_its_last_dot_is_not_escaped() {
        for (name, absolute) in [
            ("corp.test.", true),
            (".", true),
            ("corp.test", false),
            ("", false),
            ("a\\.", false),
            ("\\.", false),
            ("a\\\\.", true),
            ("a\\\\\\.", false),
            ("a\\..", true),
        ] {
            assert_eq!(is_absolute(name), absolute, "{name:?}");
        }
        // An escaped dot at the end makes a relative name, which takes the origin.
        let (rows, stats) = run("$ORIGIN corp.test.\nwww\\. 300 IN A 127.0.0.1\n");
        assert_eq!(stats.error_count(), 0);
        assert_eq!(short(&rows), ["www\\..corp.test 300 A 127.0.0.1"]);
    }

    #[test]
    fn byte_flags_agree_with_a_byte_loop() {
        let want = |w: &[u8; 16]| {
            let (mut gap, mut odd, mut tab) = (0u16, 0u16, 0u16);
            for (k, &c) in w.iter().enumerate() {
                if c == b' ' || c == b'\t' {
                    gap |= 1 << k;
                }
                if c == b'\t' {
                    tab |= 1 << k;
                }
                if matches!(c, b'"' | b'(' | b')' | b';' | b'\\') || (c < 0x20 && c != b'\t') {
                    odd |= 1 << k;
                }
            }
            (gap, odd, tab)
        };
        let mut rng = TestRng::new(0x9e37_79b9_7f4a_7c15);
        for round in 0..50_000u32 {
            let mut w = [0u8; 16];
            for (k, c) in w.iter_mut().enumerate() {
                let x = rng.next_u64();
                // Every byte value, and often the ones that matter here.
                const SOME: &[u8] = b" \t\"();\\\x00\x1f\x0b\r a.\x80\xff)*!";
                *c = match (x >> 8) % 4 {
                    0 => (x >> 16) as u8,
                    _ => SOME[((x >> 24) as usize + k) % SOME.len()],
                };
            }
            if round == 0 {
                w = *b"x \t\"();\\\x00\x1f\x7f\x80\xffA!\r";
            }
            assert_eq!(classify16(w), want(&w), "{w:?}");
        }
    }

    #[test]
    fn word_at_a_time_search_finds_what_a_byte_loop_finds() {
        let bytes = [
            b'a', b' ', b'\t', b'\\', 0, 0x0b, 0x20, 0x21, 0x80, 0xff, b'\r', 0x1f,
        ];
        let mut rng = TestRng::new(1);
        for _ in 0..20_000 {
            let mut v = Vec::new();
            let x = rng.next_u64();
            for k in 0..(x % 40) {
                v.push(bytes[((x >> (k % 24)) as usize + k as usize) % bytes.len()]);
            }
            let want = v
                .iter()
                .position(|&c| c.is_ascii_whitespace() || c == b'\\')
                .unwrap_or(v.len());
            assert_eq!(space_or_escape(&v), want, "{v:?}");
        }
    }

    #[test]
    fn common_types_read_as_the_general_path_reads_them() {
        for t in [
            "A", "AAAA", "NS", "CNAME", "SOA", "MX", "TXT", "SRV", "PTR", "HTTPS", "CAA", "DS",
            "RRSIG", "NSEC", "DNSKEY", "ANY", "TYPE65",
        ] {
            assert_eq!(zone_type(t), t.parse::<RrType>().ok(), "{t}");
        }
        assert_eq!(presentation_type(b"NSAP-PTR"), Some(RrType::from_u16(23)));
        assert_eq!(presentation_type(b"ANY"), Some(RrType::ANY));
        assert_eq!(presentation_type(b"3600"), None);
        assert_eq!(presentation_type(b"\xff"), None);
    }

    #[test]
    fn classes_by_length_are_the_classes() {
        let by_list = |t: &str| {
            ["IN", "CH", "CHAOS", "HS", "HESIOD", "CS", "NONE", "ANY"]
                .iter()
                .any(|c| c.eq_ignore_ascii_case(t))
                || (t.len() > 5
                    && t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("CLASS"))
                    && t.bytes().skip(5).all(|b| b.is_ascii_digit()))
        };
        for t in [
            "",
            "I",
            "IN",
            "in",
            "iN",
            "CH",
            "chaos",
            "HS",
            "hesiod",
            "CS",
            "NONE",
            "none",
            "ANY",
            "any",
            "A",
            "NS",
            "MX",
            "SOA",
            "TXT",
            "300",
            "CLASS",
            "CLASS1",
            "class255",
            "CLASS1x",
            "CLASSX",
            "CLASS65535",
            "INN",
            "ANYY",
            "HESIO",
            "\u{e9}N",
            "\u{130}N",
            "CLASS\u{e9}",
        ] {
            assert_eq!(is_class(t.as_bytes()), by_list(t), "{t:?}");
        }
    }

    #[test]
    fn bailiwick_follows_the_zone_as_it_changes_under_one_owner() {
        let (r, s) = run(concat!(
            "www.a.test. 300 IN A 192.0.2.1\n",
            "$ORIGIN a.test.\n",
            "  300 IN A 192.0.2.2\n",
            "a.test. 300 IN A 192.0.2.3\n",
            "a.test. 300 IN SOA ns. h. 1 2 3 4 5\n",
            "a.test. 300 IN A 192.0.2.4\n",
            "b.test. 300 IN SOA ns. h. 1 2 3 4 5\n",
            "  300 IN A 192.0.2.5\n",
            "; <<>> DiG 9.18 <<>> b.test\n",
            "b.test. 300 IN A 192.0.2.6\n",
            ";; WHEN: Sun Nov 29 19:16:01 UTC 2026\n",
            "b.test. 300 IN SOA ns. h. 1 2 3 4 5\n",
            "b.test. 300 IN A 192.0.2.7\n",
        ));
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        let got: Vec<_> = r.iter().map(|x| (x.2.as_str(), x.4.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("192.0.2.1", None),
                ("192.0.2.2", Some("a.test")),
                ("192.0.2.3", Some("a.test")),
                ("ns h 1 2 3 4 5", Some("a.test")),
                ("192.0.2.4", Some("a.test")),
                ("ns h 1 2 3 4 5", Some("b.test")),
                ("192.0.2.5", Some("b.test")),
                ("192.0.2.6", None),
                ("ns h 1 2 3 4 5", Some("b.test")),
                ("192.0.2.7", Some("b.test")),
            ]
        );
    }

    /// Held dig records share their name and bailiwick with the one before while neither
    /// changes ([`Held::push`]); when either does, even with no line between that hands them
    /// out, each keeps its own.
    #[test]
    fn held_dig_records_keep_their_own_name_and_bailiwick() {
        let text = concat!(
            "; <<>> DiG 9.18 <<>> b.test AXFR\n",
            "b.test. 300 IN A 192.0.2.1\n",
            "b.test. 300 IN A 192.0.2.2\n",
            "zone b.test/IN: loaded serial 1\n",
            "b.test. 300 IN A 192.0.2.3\n",
            "c.b.test. 300 IN A 192.0.2.4\n",
            "c.b.test. 300 IN A 192.0.2.5\n",
            "B.test. 300 IN A 192.0.2.6\n",
            "b.test. 300 IN TXT \"t\"\n",
            "other.test. 300 IN A 192.0.2.7\n",
            ";; WHEN: Sun Nov 29 19:16:01 UTC 2026\n",
        );
        let (r, s) = run(text);
        assert_eq!(s.error_count(), 0, "{:?}", s.error_samples);
        // And through the general reader alone, which makes the names itself.
        let general = rows(
            trace(text.as_bytes(), true)
                .into_iter()
                .flat_map(|(_, recs)| recs)
                .collect(),
        );
        for r in [r, general] {
            let got: Vec<_> = r
                .iter()
                .map(|x| (x.0.as_str(), x.2.as_str(), x.4.as_deref()))
                .collect();
            assert_eq!(
                got,
                [
                    ("b.test", "192.0.2.1", None),
                    ("b.test", "192.0.2.2", None),
                    ("b.test", "192.0.2.3", Some("b.test")),
                    ("c.b.test", "192.0.2.4", Some("b.test")),
                    ("c.b.test", "192.0.2.5", Some("b.test")),
                    ("b.test", "192.0.2.6", Some("b.test")),
                    ("b.test", "\"t\"", Some("b.test")),
                    ("other.test", "192.0.2.7", None),
                ]
            );
        }
    }

    #[test]
    fn decimal_digits() {
        for v in [0, 7, 10, 300, 86_400, 2_024_060_101, u32::MAX] {
            let mut s = String::from("x");
            push_u32(&mut s, v);
            assert_eq!(s, format!("x{v}"));
        }
    }

    #[test]
    fn a_huge_generic_length_is_an_error_not_an_allocation() {
        let (r, s) = run("x. 300 IN TYPE1 \\# 99999999999 00\n");
        assert!(r.is_empty());
        assert_eq!(s.errors["rdata"], 1);
    }

    #[test]
    fn ttl_units() {
        assert_eq!(parse_ttl("300"), Some(300));
        assert_eq!(parse_ttl("1h30m"), Some(5400));
        assert_eq!(parse_ttl("1W2d"), Some(777_600));
        assert_eq!(parse_ttl("1h30"), Some(3630));
        assert_eq!(parse_ttl("h"), None);
        assert_eq!(parse_ttl("1x"), None);
        assert_eq!(parse_ttl("4294967296"), None);
        assert_eq!(parse_ttl(""), None);
        for t in [
            "",
            "0",
            "300",
            "007",
            "999999999",
            "4294967295",
            "4294967296",
            "1h",
            "1h30",
            "x",
            "3OO",
            "1d2",
            "99999999999",
        ] {
            assert_eq!(ttl_value(t.as_bytes()), parse_ttl(t), "{t:?}");
        }
    }

    #[test]
    fn dig_when_forms() {
        let o = opts();
        let t = Some(Timestamp::from_secs(1_795_979_761));
        assert_eq!(dig_when(" Sun Nov 29 19:16:01 UTC 2026", &o), t);
        assert_eq!(dig_when("Sun Nov 29 14:16:01 EST 2026", &o), t);
        assert_eq!(dig_when("Sun Nov 29 22:16:01 +03 2026", &o), t);
        assert_eq!(dig_when("Sun Nov 29 19:16:01 2026", &o), t);
        assert_eq!(dig_when("Sun Nov 29 11:16:01 PST 2026", &o), t);
        assert_eq!(dig_when("Sun Nov 29 14:16:01 CDT 2026", &o), t);
        assert_eq!(dig_when("Sun Nov 29 20:16:01 WAT 2026", &o), t);
        assert_eq!(dig_when("Sun Nov 29 16:16:01 BRT 2026", &o), t);
        assert_eq!(dig_when("Sun Nov 29 15:46:01 NST 2026", &o), t);
        // Several zones by this name: the time-zone rule (UTC in these options).
        assert_eq!(dig_when("Sun Nov 29 19:16:01 IST 2026", &o), t);
        assert_eq!(dig_when("yesterday", &o), None);
    }

    #[test]
    fn kdig_time_forms() {
        let o = opts();
        let t = Some(Timestamp::from_secs(1_711_566_754));
        assert_eq!(kdig_time(" 2024-03-27 19:12:34 UTC", &o), t);
        assert_eq!(kdig_time("2024-03-27 21:12:34 CEST", &o), t);
        // A zone abbreviation of several zones, or none: the time-zone rule (UTC here).
        assert_eq!(kdig_time("2024-03-27 19:12:34 IST", &o), t);
        assert_eq!(kdig_time("2024-03-27 19:12:34", &o), t);
        for bad in [
            "2024-03-27",
            "2024-02-30 19:12:34 UTC",
            "2024-03-27 19:12 UTC",
            "x y z",
            "",
        ] {
            assert_eq!(kdig_time(bad, &o), None, "{bad}");
        }
    }

    #[test]
    fn garbage_never_panics() {
        for l in [
            "\\",
            "\"",
            "(",
            ")",
            "@",
            "$",
            "$ORIGIN",
            "$ORIGIN \\",
            "a \\# 1",
            "a IN TYPE1 \\#",
            "a. IN A \\# 4 zz",
            "a. IN CNAME \\# 2 0500",
            "a. IN SRV \\# 2 0001",
            "é IN A 1.2.3.4",
            "a\\é. IN A 1.2.3.4",
            " ; x",
            ";; WHEN: ",
            "a. 1 IN MX \\# 3 000a00",
            "\"a b\" IN A 1.1.1.1",
        ] {
            let _ = run(&format!("{l}\n"));
            let _ = run(&format!("; <<>> DiG\n{l}\n;; WHEN: x\n"));
            let _ = sniff(l);
        }
    }

    #[test]
    fn sniff_scores() {
        assert_eq!(sniff("; <<>> DiG 9.18 <<>> x\n"), 95);
        assert_eq!(
            sniff("$TTL 300\n@ IN SOA ns. h. ( 1 2 3 4 5 )\nwww IN A 1.2.3.4\n"),
            90
        );
        assert_eq!(
            sniff("corp.test. 300 IN SOA ns. h. 1 2 3 4 5\nx.corp.test. 300 IN A 1.2.3.4\n"),
            90
        );
        assert_eq!(sniff("x.corp.test. 300 IN A 1.2.3.4\n"), 80);
        // A hand-written zone: records without TTL or class, beside a directive or a SOA.
        let zone = "$TTL 86400\n@ IN SOA ns1 admin ( 1 2 3 4 5 )\n  IN NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\nmail MX 10 ns1\n";
        assert_eq!(sniff(zone), 90);
        assert_eq!(sniff(&zone.replace("$TTL 86400\n", "")), 90);
        assert_eq!(sniff(&zone.replace("@ IN SOA", "@ SOA")), 90);
        // Alone, such records are too like other text.
        assert_eq!(sniff("ns1 A 192.0.2.1\nwww A 192.0.2.2\n"), 0);
        // A cache dump, its negative entries among the records.
        assert_eq!(
            sniff(
                "; answer\nns.a.test.\t615595\t\\-AAAA\t;-$NXRRSET\n\t\t\t863995\tA\t10.9.0.153\n"
            ),
            80
        );
        // dnsdbq text, TSV, a BIND query log: not master files.
        assert_eq!(
            sniff(";; record times: x\nwww.example.com  AAAA  2001:db8::1\n"),
            0
        );
        assert_eq!(
            sniff("1458130003.61\twww.google.com\tA\t216.58.220.36\n"),
            0
        );
        assert_eq!(
            sniff(
                "29-Nov-2026 19:15:53.102 client @0x1 1.2.3.4#5 (a): query: a IN A + (1.2.3.4)\n"
            ),
            0
        );
    }
}

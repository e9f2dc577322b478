//! The Microsoft DNS Server debug log (`dns.log`), as Windows Server 2000–2022 writes it when
//! "Log packets for debugging" is on, with or without "Details".
//!
//! Grammar (whitespace between fields is one or more spaces; the columns are padded, not fixed):
//!
//! ```text
//! file     = *( header / packet [ details ] / other / blank )
//! header   = "DNS Server log file creation at " ... / "Log file wrap at " ...
//!          / "Message logging key " ... followed by its indented field table
//! packet   = when SP thread SP "PACKET" SP [ packet-id SP ] proto SP dir SP remote-ip SP xid
//!            SP [ "R" SP ] opcode SP "[" flags-hex *flag-char rcode "]" SP [ qtype SP ] qname
//! when     = date SP time [ SP designator ]          ; the server's locale, see below
//! proto    = "UDP" / "TCP"          dir = "Snd" / "Rcv"      opcode = "Q" / "N" / "U" / "?"
//! qname    = 1*( "(" len ")" label ) "(0)"            ; (3)www(6)google(3)com(0)
//!          / "." dotted-name "."                      ; Windows 2000/2003: .ns1.example.com.
//! details  = ( "UDP" / "TCP" ) SP kind " info at " hex  ; then indented lines:
//!            Socket, Remote addr, Time Query, Buf length, Msg length, "Message:", XID, Flags
//!            and its bits, QCOUNT ACOUNT NSCOUNT ARCOUNT, then four sections:
//! section  = ( "QUESTION" / "ANSWER" / "AUTHORITY" / "ADDITIONAL" ) " SECTION:" ( "empty" / *rr )
//! rr       = "Offset = 0x" hex ", RR count = " n
//!            "Name" SP DQUOTE wire-name DQUOTE        ; may hold "[C00C]" compression marks
//!            "TYPE" SP mnemonic SP "(" number ")"  "CLASS" SP n  "TTL" SP n  "DLEN" SP n
//!            "DATA" SP [ value ] *continuation       ; SOA, OPT and friends continue on
//!                                                      ; lines indented by tabs or spaces
//! other    = when SP thread SP context text           ; "Note: ...", "EVENT ..." lines
//! ```
//!
//! **What it yields.** The ANSWER SECTION of a detailed response yields one association per
//! record (owner from the record's `Name`, type from `TYPE`'s number, `TTL`, and the data read
//! per type: A, AAAA, CNAME, NS, PTR, DNAME as names or addresses; MX, KX, AFSDB, RT as
//! preference and exchange; SRV; SOA from its `PrimaryServer:`/`SerialNo =` lines; TXT, SPF and
//! HINFO as quoted strings; any other type as written). Compression marks `[Cxxx]` are dropped
//! (Windows prints the name they point to right after them). Label bytes that are not printable
//! ASCII are kept as `\DDD` escapes, so the name is the one on the wire.
//!
//! A packet line alone carries no answer: a client's query (`Rcv`, no `R`) yields a name
//! sighting; so does a response sent to a client (`Snd R`) that carried no answer, unless the
//! client's query was already seen (same remote address, XID and question within a minute),
//! so one client transaction is one sighting. The server's own traffic upstream (`Snd` queries to forwarders
//! or authorities, `Rcv` responses from them) yields no sighting, since the client's question
//! already named it. Notify, update and unknown opcodes yield nothing.
//!
//! **Rcv and Snd answers.** A recursive server logs the same answer twice: received from the
//! forwarder or authority (`Rcv R`) and sent on to the client (`Snd R`). Both are read, because
//! a server may be set to log only one direction; an answer read from a `Snd` response is
//! dropped as the relay of one read from a `Rcv` response less than five seconds earlier with
//! the same name, type and data (each upstream answer cancels at most one relay). Answers
//! served from cache or from the server's own zones come only in `Snd` responses, and count.
//!
//! **Time.** Each record takes its packet line's time, local time of the server with no zone
//! ([`ParseOptions::local_time`]). The date follows the server's locale: `M/D/YYYY h:mm:ss AM`
//! (en-US), `D/M/YYYY HH:MM:SS`, `D.M.YYYY`, `D-M-YYYY`, `YYYY/MM/DD`, `YYYY-MM-DD` and
//! `YYYYMMDD` (Windows 2000/2003), with an optional AM/PM designator (also `a.m.`, 午前/午後,
//! 上午/下午, 오전/오후) before or after the time. A date with a field over 12 settles its order
//! and teaches it to the rest of the file; an ambiguous slashed date then follows the order
//! learned, or, before anything was learned, is month first when the time has a designator and
//! day first when it does not. Dotted and dashed day-month dates are day first.
//!
//! **Cannot yield.** Answers when "Details" is off (the packet line has only the question);
//! records of a dump whose packet line is missing (a dump cut at its start has no time); the
//! AUTHORITY and ADDITIONAL sections (referrals and glue are not answers to the question);
//! records of other classes than IN. A dump cut short (end of file, the next packet line, or an
//! unexpected line) keeps every answer read in full and counts one `truncated` error.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime};
use memchr::memmem;
use yapdns_core::{
    normalize_name_in, normalize_rdata_in, AssociationView, NameView, RrType, SourceTag, Sources,
    Timestamp,
};

use crate::bytes::find_byte;
use crate::error::{ErrorKind, ParseError};
use crate::formats::FormatParser;
use crate::input::{text, trim_end};
use crate::options::ParseOptions;
use crate::record::{Emit, Outcome};

/// How long after a client's query its response still pairs with it (one transaction).
const PAIR_WINDOW_MS: i64 = 60_000;
/// How long after an answer received upstream the same answer sent to a client is its relay.
const RELAY_WINDOW_MS: i64 = 5_000;
/// Bound on the queries and upstream answers remembered for pairing, to keep memory constant.
const MAX_REMEMBERED: usize = 1 << 16;

/// Every packet line has this; searched with a finder built once.
static PACKET: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b" PACKET "));
static INFO_AT: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b" info at "));

/// The day/month order of slashed dates, learned from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    MonthFirst,
    DayFirst,
}

/// What the lines that are not packet lines mean at this point of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Indented lines belong to the open packet's dump.
    Normal,
    /// Inside the header's field table.
    Header,
    /// Details of a packet that could not be read, or without a packet line: skipped.
    Ignore,
}

/// Dump sections, in the order Windows prints them; the numbers are the dump's phases.
const PHASE_INFO: u8 = 1;
const PHASE_CONN: u8 = 2;
const PHASE_MESSAGE: u8 = 3;
const PHASE_QUESTION: u8 = 4;
const PHASE_ANSWER: u8 = 5;
const PHASE_ADDITIONAL: u8 = 7;

/// Parser state: the packet being read, the learned date order, and what pairs queries with
/// responses and upstream answers with their relays.
pub struct Parser {
    opts: ParseOptions,
    sources: Sources,
    mode: Mode,
    order: Option<Order>,
    /// Boxed: it is taken and put back on every dump line, and moving a box is cheap.
    block: Option<Box<Block>>,
    /// The last closed block, kept so the next packet reuses its allocation and buffers.
    spare: Option<Box<Block>>,
    /// Client queries by (client, XID): hash of the question and time, for pairing responses.
    queries: HashMap<(IpAddr, u16), (u64, i64)>,
    /// Answers received upstream by hash of (name, type, data): how many and when.
    relayed: HashMap<u64, (u32, i64)>,
    /// The first error met while handling the current line.
    err: Option<ParseError>,
    /// Whether the current line yielded associations.
    answered: bool,
    /// The date and time text of the last packet line read, when it read, and its time:
    /// packet lines come many to the second, and the same text always gives the same time.
    when_text: Vec<u8>,
    when_seen: Option<Timestamp>,
    /// Scratch: a name decoded from its `(n)label` form.
    decoded: String,
    /// Scratch: a name held while the rest of a record's data is read.
    held: String,
    /// Scratch: record data in presentation form.
    rdata: String,
    /// Scratch: normalised owner name and record data, when not borrowed from the above.
    name_norm: String,
    rdata_norm: String,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            opts: opts.clone(),
            sources: Sources::one(SourceTag::new("msdns", opts.sensor.as_deref())),
            mode: Mode::Normal,
            order: None,
            block: None,
            spare: None,
            queries: HashMap::new(),
            relayed: HashMap::new(),
            err: None,
            answered: false,
            when_text: Vec::new(),
            when_seen: None,
            decoded: String::new(),
            held: String::new(),
            rdata: String::new(),
            name_norm: String::new(),
            rdata_norm: String::new(),
        }
    }

    fn note(&mut self, e: ParseError) {
        note(&mut self.err, e);
    }
}

/// Keeps the first error of a line.
fn note(err: &mut Option<ParseError>, e: ParseError) {
    if err.is_none() {
        *err = Some(e);
    }
}

/// One packet line and what its dump said so far.
#[derive(Default)]
struct Block {
    line: u64,
    seen: Timestamp,
    snd: bool,
    response: bool,
    /// Opcode Q: the only packets whose questions and answers are resolutions.
    query_op: bool,
    /// Whether to yield the sighting of `sight_name` if the packet carries no answer.
    sighting: bool,
    /// The question name, normalised, and its type.
    sight_name: String,
    sight_type: Option<RrType>,
    detail: bool,
    phase: u8,
    section_empty: bool,
    /// Records of the current section whose DATA line was read.
    section_rrs: u32,
    /// ARCOUNT, to know when the dump is complete.
    arcount: Option<u32>,
    /// The record being read, when `rr.open`.
    rr: Rr,
    /// Answers found (yielded or dropped as relays).
    answers: u32,
}

impl Block {
    /// True when nothing more is expected: a packet without details, or a dump whose
    /// ADDITIONAL section holds all its records.
    fn complete(&self) -> bool {
        if !self.detail {
            return true;
        }
        if self.phase < PHASE_ADDITIONAL {
            return false;
        }
        self.section_empty || self.section_rrs >= self.arcount.unwrap_or(1)
    }

    /// True while reading the answer section of a response worth reading.
    fn in_answers(&self) -> bool {
        self.phase == PHASE_ANSWER && self.response && self.query_op
    }

    /// True when ending the record being read yields and reports nothing: none is open, it
    /// is not an answer, or it was yielded or given up already.
    fn nothing_to_finish(&self) -> bool {
        !(self.rr.open && self.in_answers() && !self.rr.done)
    }
}

/// One resource record of the answer section being read. Its buffers are kept from record to
/// record.
#[derive(Default)]
struct Rr {
    /// A record is being read.
    open: bool,
    line: u64,
    /// `owner` holds the decoded `Name`.
    has_owner: bool,
    owner: String,
    rrtype: Option<RrType>,
    class: Option<u16>,
    ttl: Option<u32>,
    data: bool,
    /// Emitted, or given up (bad owner or type): further lines of it are ignored.
    done: bool,
    /// The DATA line's value.
    inline: Vec<u8>,
    /// Continuation values, one per line, each ended by `\n`.
    cont: Vec<u8>,
}

impl Rr {
    /// Starts a new record at line `n`.
    fn start(&mut self, n: u64) {
        self.open = true;
        self.line = n;
        self.has_owner = false;
        self.owner.clear();
        self.rrtype = None;
        self.class = None;
        self.ttl = None;
        self.data = false;
        self.done = false;
        self.inline.clear();
        self.cont.clear();
    }
}

impl FormatParser for Parser {
    fn line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        if let Some(outcome) = self.quick_detail(line, n) {
            return Ok(outcome);
        }
        self.any_line(line, n, out)
    }

    fn finish(&mut self, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        self.answered = false;
        let outcome = self.close(out).unwrap_or(Outcome::Skipped);
        self.mode = Mode::Normal;
        match self.err.take() {
            Some(e) => Err(e),
            None => Ok(outcome),
        }
    }
}

impl Parser {
    /// Most lines of a log are dump lines that only move the open dump along or are skipped:
    /// those are read here, inline, and yield nothing and no error. `None` sends the line
    /// to [`Parser::any_line`], which reads every line (these too) the full way.
    #[inline(always)]
    fn quick_detail(&mut self, line: &[u8], n: u64) -> Option<Outcome> {
        if !matches!(line.first(), Some(b' ' | b'\t'))
            || line.last().is_none_or(u8::is_ascii_whitespace)
            || self.mode != Mode::Normal
        {
            return None;
        }
        let b = self.block.as_deref_mut()?;
        let phase = b.phase;
        let (t, end, key) = match indented_word(line) {
            Some((start, end, key)) => (line.get(start..)?, end, key),
            None => {
                let t = trim_start(line);
                let end = find_ws(t);
                (t, end, if end <= 8 { line_key(t, end) } else { 0 })
            }
        };
        match classify_word(t, end, key) {
            Kind::Skip => {}
            Kind::Empty => b.section_empty = true,
            Kind::Conn if phase <= PHASE_CONN => {
                b.detail = true;
                b.phase = PHASE_CONN;
            }
            Kind::Message if phase <= PHASE_MESSAGE => {
                b.detail = true;
                b.phase = PHASE_MESSAGE;
            }
            Kind::Header(key, value) if phase <= PHASE_MESSAGE => {
                b.detail = true;
                b.phase = PHASE_MESSAGE;
                if key == b"ARCOUNT" || key == b"ADCOUNT" {
                    b.arcount = parse_u32(value);
                }
            }
            Kind::Type(_) | Kind::Class(_) | Kind::Ttl(_) | Kind::Other(_) if !b.in_answers() => {}
            // The fields of an answer: a type that cannot be read is reported the full way.
            kind @ (Kind::Type(v) | Kind::Class(v) | Kind::Ttl(v)) => {
                let v = trim_start(v);
                let rr = &mut b.rr;
                if rr.open && !rr.done && !rr.data {
                    match kind {
                        Kind::Type(_) => rr.rrtype = Some(parse_type(v)?),
                        Kind::Class(_) => {
                            rr.class = parse_u32(v).and_then(|c| u16::try_from(c).ok())
                        }
                        _ => rr.ttl = parse_u32(v),
                    }
                }
            }
            Kind::Offset | Kind::Name(_) | Kind::Data(_) if phase < PHASE_QUESTION => {}
            // Where a record starts, when the one before it needs no finishing.
            Kind::Offset if b.nothing_to_finish() => {
                b.rr.open = false;
                b.rr.start(n);
            }
            Kind::Name(_) if !b.in_answers() => {
                let rr = &b.rr;
                if !rr.open || rr.has_owner || rr.data || rr.done {
                    b.rr.open = false;
                    b.rr.start(n);
                }
            }
            Kind::Data(_) if !b.in_answers() => {
                b.section_rrs += 1;
                if b.rr.open {
                    b.rr.data = true;
                }
            }
            Kind::Section(s) if s > phase && b.nothing_to_finish() => {
                b.rr.open = false;
                b.detail = true;
                b.phase = s;
                b.section_empty = false;
                b.section_rrs = 0;
            }
            _ => return None,
        }
        Some(Outcome::Skipped)
    }

    /// Any line, the full way: what it yields, and its error if any.
    #[inline(never)]
    fn any_line(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        self.answered = false;
        let outcome = self.dispatch(line, n, out);
        // Checked before taking: most lines have no error, and taking moves the whole slot.
        if self.err.is_some() {
            if let Some(e) = self.err.take() {
                return Err(e);
            }
        }
        if self.answered && outcome == Outcome::Skipped {
            Ok(Outcome::Answer)
        } else {
            Ok(outcome)
        }
    }

    fn dispatch(&mut self, raw: &[u8], n: u64, out: &mut dyn Emit) -> Outcome {
        let line = trim_end(raw);
        let Some(&first) = line.first() else {
            return Outcome::Skipped;
        };
        if first.is_ascii_digit() {
            if let Some(packet) = parse_packet(line) {
                return self.packet(packet, n, out);
            }
        } else if first == b' ' || first == b'\t' {
            return self.detail(classify(trim_start(line)), n, out);
        } else if is_info_at(line) {
            // What `classify` makes of it, known already.
            return self.detail(Kind::InfoAt, n, out);
        } else if is_header(line) {
            // A new log file's header (creation, or wrap at the size limit).
            let closed = self.close(out);
            self.mode = Mode::Header;
            return closed.unwrap_or(Outcome::Skipped);
        }
        self.foreign(line, n, out)
    }

    /// A line that is neither a packet line nor indented: another context ("Note:",
    /// "EVENT"), header text, or something that is not the format at all.
    fn foreign(&mut self, line: &[u8], n: u64, out: &mut dyn Emit) -> Outcome {
        if self.mode == Mode::Header {
            return Outcome::Skipped;
        }
        if self.block.as_ref().is_some_and(|b| !b.complete()) {
            // The dump was cut by this line; what was read in full stands. Dump lines after
            // it have lost their packet line, and the first of them says so.
            let closed = self.close(out);
            self.mode = Mode::Normal;
            return closed.unwrap_or(Outcome::Skipped);
        }
        let timestamped = line
            .split(|b| *b == b' ' || *b == b'\t')
            .next()
            .is_some_and(|d| parse_date(d, false, &mut None).is_some());
        if !timestamped {
            self.note(ParseError::new(
                n,
                ErrorKind::Syntax,
                "not a line of a DNS server log",
            ));
        }
        Outcome::Skipped
    }

    fn packet(
        &mut self,
        packet: Result<Packet<'_>, &'static str>,
        n: u64,
        out: &mut dyn Emit,
    ) -> Outcome {
        let closed = self.close(out);
        self.mode = Mode::Normal;
        match packet {
            Ok(p) => self.open(&p, n),
            Err(reason) => {
                self.note(ParseError::new(n, ErrorKind::Syntax, reason));
                self.mode = Mode::Ignore;
            }
        }
        closed.unwrap_or(Outcome::Skipped)
    }

    /// The time of a packet line. The text of the last one that read is remembered: the same
    /// text read right after it gives the same time (the date order it may have taught is
    /// already learned, and nothing else read a date in between).
    fn when(&mut self, p: &Packet<'_>) -> Option<Timestamp> {
        if let Some(seen) = self.when_seen {
            if self.when_text == p.when_text {
                return Some(seen);
            }
        }
        self.when_seen = None;
        let seen = parse_when(&p.when[..p.when_len], &mut self.order)
            .and_then(|naive| self.opts.local_time(naive))?;
        self.when_text.clear();
        self.when_text.extend_from_slice(p.when_text);
        self.when_seen = Some(seen);
        Some(seen)
    }

    /// Starts the record of a packet line.
    fn open(&mut self, p: &Packet<'_>, n: u64) {
        let Some(seen) = self.when(p) else {
            let shown = p.when[..p.when_len]
                .iter()
                .map(|t| text(t).into_owned())
                .collect::<Vec<_>>();
            self.note(ParseError::new(
                n,
                ErrorKind::Timestamp,
                format!("cannot read the date and time {:?}", shown.join(" ")),
            ));
            self.mode = Mode::Ignore;
            return;
        };
        let query_op = p.opcode == b'Q';
        let mut paired = false;
        if query_op && p.snd == p.response {
            // A client's query (Rcv, no R) or the response to a client (Snd R).
            if let Some(ip) = parse_ip(p.remote) {
                let key = (ip, p.xid);
                let now = seen.millis();
                if p.response {
                    // The question's digest only when there is a query to compare it with.
                    if let Some((q, t)) = self.queries.remove(&key) {
                        paired = q == question_hash(p.qname, p.qtype)
                            && (0..=PAIR_WINDOW_MS).contains(&(now - t));
                    }
                } else {
                    prune(&mut self.queries, |v| now - v.1 <= PAIR_WINDOW_MS);
                    self.queries
                        .insert(key, (question_hash(p.qname, p.qtype), now));
                }
            }
        }
        let mut b = self.spare.take().unwrap_or_default();
        b.line = n;
        b.seen = seen;
        b.snd = p.snd;
        b.response = p.response;
        b.query_op = query_op;
        b.sighting = false;
        b.sight_name.clear();
        b.sight_type = None;
        b.detail = false;
        b.phase = 0;
        b.section_empty = false;
        b.section_rrs = 0;
        b.arcount = None;
        b.rr.open = false;
        b.answers = 0;
        if query_op && p.snd == p.response && !paired {
            // Rcv Q (client's question) or Snd R (answer to a client) not yet counted.
            match decode_name_into(p.qname, &mut self.decoded) {
                Ok(_) => match normalize_name_in(&self.decoded, &mut self.name_norm) {
                    Ok(name) => {
                        b.sight_name.push_str(name);
                        b.sight_type = p.qtype.and_then(qtype);
                        b.sighting = true;
                    }
                    Err(e) => note(&mut self.err, ParseError::from_core(n, e)),
                },
                Err(r) => self.note(ParseError::new(n, ErrorKind::Name, r)),
            }
        }
        self.block = Some(b);
    }

    /// Ends the open record: yields its last answer if certain, its sighting if it carried
    /// no answer, and reports a dump cut short. `None` when no record was open.
    fn close(&mut self, out: &mut dyn Emit) -> Option<Outcome> {
        let mut b = self.block.take()?;
        let outcome = self.close_block(&mut b, out);
        self.spare = Some(b);
        Some(outcome)
    }

    fn close_block(&mut self, b: &mut Block, out: &mut dyn Emit) -> Outcome {
        let complete = b.complete();
        if b.rr.open {
            b.rr.open = false;
            if b.in_answers() {
                self.finish_rr(b, complete, out);
            }
        }
        if !complete {
            self.note(ParseError::new(
                b.line,
                ErrorKind::Truncated,
                "packet dump cut short",
            ));
        }
        if !b.query_op {
            return Outcome::Skipped;
        }
        if b.answers > 0 {
            return Outcome::Answer;
        }
        if b.sighting && !b.sight_type.is_some_and(RrType::is_transaction_security) {
            out.name(NameView::one(
                &b.sight_name,
                b.sight_type,
                b.seen,
                &self.sources,
            ));
        }
        Outcome::NoAnswer
    }

    /// A line of a packet dump (indented, or the `... info at` line), of the kind `classify`
    /// found.
    fn detail(&mut self, kind: Kind<'_>, n: u64, out: &mut dyn Emit) -> Outcome {
        if self.mode != Mode::Normal {
            return Outcome::Skipped;
        }
        let Some(mut b) = self.block.take() else {
            self.mode = Mode::Ignore;
            self.note(ParseError::new(
                n,
                ErrorKind::Truncated,
                "packet details without their packet line",
            ));
            return Outcome::Skipped;
        };
        // A line of an earlier part of a dump starts another dump whose packet line is missing.
        let restart = match kind {
            Kind::InfoAt => b.phase >= PHASE_INFO,
            Kind::Conn => b.phase > PHASE_CONN,
            Kind::Message | Kind::Header(..) => b.phase > PHASE_MESSAGE,
            Kind::Section(s) => s <= b.phase,
            _ => false,
        };
        if restart {
            self.block = Some(b);
            return self.orphan_details(n, out);
        }
        match kind {
            Kind::InfoAt => {
                b.detail = true;
                b.phase = PHASE_INFO;
            }
            Kind::Conn => {
                b.detail = true;
                b.phase = PHASE_CONN;
            }
            Kind::Message => {
                b.detail = true;
                b.phase = PHASE_MESSAGE;
            }
            Kind::Header(key, value) => {
                b.detail = true;
                b.phase = PHASE_MESSAGE;
                if key == b"ARCOUNT" || key == b"ADCOUNT" {
                    b.arcount = parse_u32(value);
                }
            }
            Kind::Section(s) => {
                self.end_rr(&mut b, out);
                b.detail = true;
                b.phase = s;
                b.section_empty = false;
                b.section_rrs = 0;
            }
            Kind::Empty => b.section_empty = true,
            Kind::Offset if b.phase >= PHASE_QUESTION => {
                self.end_rr(&mut b, out);
                b.rr.start(n);
            }
            Kind::Name(raw) if b.phase >= PHASE_QUESTION => {
                let rr = &b.rr;
                if !rr.open || rr.has_owner || rr.data || rr.done {
                    self.end_rr(&mut b, out);
                    b.rr.start(n);
                }
                if b.in_answers() {
                    match decode_name_into(raw, &mut b.rr.owner) {
                        Ok(_) => b.rr.has_owner = true,
                        Err(r) => {
                            self.note(ParseError::new(n, ErrorKind::Name, r));
                            b.rr.owner.clear();
                            b.rr.done = true;
                        }
                    }
                }
            }
            Kind::Data(value) if b.phase >= PHASE_QUESTION => {
                b.section_rrs += 1;
                let answers = b.in_answers();
                if b.rr.open {
                    b.rr.data = true;
                    if answers && !b.rr.done {
                        b.rr.inline.extend_from_slice(trim_start(value));
                        if self.immediate(&b.rr) {
                            b.rr.open = false;
                            self.finish_rr(&mut b, true, out);
                            b.rr.start(n);
                            b.rr.data = true;
                            b.rr.done = true;
                        }
                    }
                }
            }
            Kind::Type(v) | Kind::Class(v) | Kind::Ttl(v) if b.in_answers() => {
                let v = trim_start(v);
                let rr = &mut b.rr;
                if rr.open && !rr.done && !rr.data {
                    match kind {
                        Kind::Type(_) => match parse_type(v) {
                            Some(t) => rr.rrtype = Some(t),
                            None => {
                                rr.done = true;
                                self.note(ParseError::new(
                                    n,
                                    ErrorKind::RrType,
                                    format!("cannot read the record type {:?}", text(v)),
                                ));
                            }
                        },
                        Kind::Class(_) => {
                            rr.class = parse_u32(v).and_then(|c| u16::try_from(c).ok())
                        }
                        _ => rr.ttl = parse_u32(v),
                    }
                }
            }
            Kind::Other(line) if b.in_answers() => {
                let rr = &mut b.rr;
                if rr.open && rr.data && !rr.done {
                    let value = if is_text_type(rr.rrtype) {
                        trim(line)
                    } else {
                        cont_value(line)
                    };
                    rr.cont.extend_from_slice(value);
                    rr.cont.push(b'\n');
                }
            }
            _ => {}
        }
        self.block = Some(b);
        Outcome::Skipped
    }

    /// A dump line of an earlier part than the one being read: another dump starts whose
    /// packet line is missing. The open one ends.
    #[cold]
    #[inline(never)]
    fn orphan_details(&mut self, n: u64, out: &mut dyn Emit) -> Outcome {
        let closed = self.close(out);
        self.mode = Mode::Ignore;
        self.note(ParseError::new(
            n,
            ErrorKind::Truncated,
            "packet details without their packet line",
        ));
        closed.unwrap_or(Outcome::Skipped)
    }

    /// The record being read ends because another part of the dump starts.
    fn end_rr(&mut self, b: &mut Block, out: &mut dyn Emit) {
        if b.rr.open {
            b.rr.open = false;
            if b.in_answers() {
                self.finish_rr(b, true, out);
            }
        }
    }

    /// True when the record's data is known in full from the DATA line alone.
    fn immediate(&mut self, rr: &Rr) -> bool {
        if trim(&rr.inline).is_empty() {
            return false;
        }
        match rr.rrtype {
            Some(RrType::A | RrType::Aaaa) => true,
            Some(t) if is_name_type(t) => true,
            Some(RrType::MX | RrType::KX | RrType::AFSDB | RrType::Other(21)) => {
                let (mut nums, mut names) = (0, 0);
                each_value(&rr.inline, b"", &mut self.decoded, |v| {
                    match v {
                        Value::Name(_) => names += 1,
                        Value::Token(t) => nums += usize::from(digits(t).is_some()),
                    }
                    true
                });
                nums == 1 && names == 1
            }
            _ => false,
        }
    }

    /// Yields the association of the answer record `b.rr` (closed by the caller). `over` says
    /// the record is known to be complete; otherwise (a dump cut inside it) it is yielded only
    /// if its data can be seen to be whole.
    #[inline(never)]
    fn finish_rr(&mut self, b: &mut Block, over: bool, out: &mut dyn Emit) {
        let rr = &b.rr;
        if rr.done {
            return;
        }
        if !rr.data {
            if !over {
                return; // the dump's truncation is reported once, by close()
            }
            self.note(ParseError::new(
                rr.line,
                ErrorKind::Syntax,
                "answer record without DATA",
            ));
            return;
        }
        if rr.class.is_some_and(|c| c != 1) {
            return;
        }
        let (true, Some(rrtype)) = (rr.has_owner, rr.rrtype) else {
            self.note(ParseError::new(
                rr.line,
                ErrorKind::Syntax,
                "answer record without Name or TYPE",
            ));
            return;
        };
        if rrtype == RrType::OPT {
            return;
        }
        let scratch = Scratch {
            decoded: &mut self.decoded,
            held: &mut self.held,
        };
        if !rdata(rrtype, &rr.inline, &rr.cont, over, scratch, &mut self.rdata) {
            if over {
                let reason = format!("incomplete {rrtype} data");
                self.note(ParseError::new(rr.line, ErrorKind::Rdata, reason));
            }
            return;
        }
        let name = match normalize_name_in(&rr.owner, &mut self.name_norm) {
            Ok(name) => name,
            Err(e) => return note(&mut self.err, ParseError::from_core(rr.line, e)),
        };
        let data = match normalize_rdata_in(rrtype, &self.rdata, &mut self.rdata_norm) {
            Ok(data) => data,
            Err(e) => return note(&mut self.err, ParseError::from_core(rr.line, e)),
        };
        let ttl = rr.ttl;
        b.answers += 1;
        self.answered = true;
        let key = answer_hash(name, rrtype, data);
        let now = b.seen.millis();
        if b.snd {
            // Sent to a client: drop it if it relays an answer just received upstream.
            if let Some(entry) = self.relayed.get_mut(&key) {
                if entry.0 > 0 && (0..=RELAY_WINDOW_MS).contains(&(now - entry.1)) {
                    entry.0 -= 1;
                    return;
                }
            }
        } else {
            prune(&mut self.relayed, |v| now - v.1 <= RELAY_WINDOW_MS);
            let entry = self.relayed.entry(key).or_insert((0, now));
            if now - entry.1 > RELAY_WINDOW_MS {
                entry.0 = 0;
            }
            entry.0 = entry.0.saturating_add(1);
            entry.1 = now;
        }
        out.association(AssociationView {
            ttl,
            ..AssociationView::one(name, rrtype, data, b.seen, &self.sources)
        });
    }
}

/// Keeps a pairing map bounded: at [`MAX_REMEMBERED`] entries the stale ones go, and if more
/// than half are still fresh, all go (pairing is then lost for a moment, never memory).
fn prune<K, V>(map: &mut HashMap<K, V>, fresh: impl Fn(&V) -> bool) {
    if map.len() >= MAX_REMEMBERED {
        map.retain(|_, v| fresh(v));
        if map.len() >= MAX_REMEMBERED / 2 {
            map.clear();
        }
    }
}

/// A fast 64-bit digest (the Fx hash of rustc) for comparing questions and answers; the maps
/// keyed by these digests keep std's randomised hasher.
#[derive(Default)]
struct Digest(u64);

impl Digest {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Digest {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The question's digest: its name in 8-byte words, ASCII lower-cased, the last one padded
/// with zeros; then its type.
fn question_hash(qname: &[u8], qtype: Option<&[u8]>) -> u64 {
    let mut h = Digest::default();
    let mut words = qname.chunks_exact(8);
    for word in &mut words {
        if let Some(w) = word.first_chunk::<8>() {
            h.add(ascii_lower_word(u64::from_le_bytes(*w)));
        }
    }
    let last = words.remainder();
    if !last.is_empty() {
        let mut w = [0u8; 8];
        for (d, s) in w.iter_mut().zip(last) {
            *d = s.to_ascii_lowercase();
        }
        h.add(u64::from_le_bytes(w));
    }
    qtype.hash(&mut h);
    h.finish()
}

/// `u8::to_ascii_lowercase` of each byte of `w`.
#[inline(always)]
fn ascii_lower_word(w: u64) -> u64 {
    let low7 = w & splat(0x7f);
    let from_a = low7.wrapping_add(splat(0x80 - b'A'));
    let past_z = low7.wrapping_add(splat(0x80 - b'Z' - 1));
    let upper = from_a & !past_z & !w & HIGH_BITS;
    w | upper >> 2
}

fn answer_hash(name: &str, rrtype: RrType, data: &str) -> u64 {
    let mut h = Digest::default();
    (name, rrtype.to_u16(), data).hash(&mut h);
    h.finish()
}

/// The remote address of a packet line.
fn parse_ip(t: &[u8]) -> Option<IpAddr> {
    if let Some(v4) = dotted_quad(t) {
        return Some(IpAddr::V4(v4));
    }
    std::str::from_utf8(t).ok()?.parse().ok()
}

/// The common IPv4 address, read without going through `str`: four octets of one to three
/// digits, without leading zeros, at most 255 — a subset of what `Ipv4Addr::from_str` takes,
/// with the same value. `None` leaves the text to it.
fn dotted_quad(t: &[u8]) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = t.split(|b| *b == b'.');
    for o in &mut octets {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || (p.len() > 1 && p.first() == Some(&b'0')) {
            return None;
        }
        *o = u8::try_from(digits(p)?).ok()?;
    }
    parts.next().is_none().then(|| Ipv4Addr::from(octets))
}

fn is_name_type(t: RrType) -> bool {
    matches!(
        t,
        RrType::CNAME | RrType::NS | RrType::PTR | RrType::DNAME | RrType::Other(3 | 4 | 7 | 8 | 9)
    )
}

fn is_text_type(t: Option<RrType>) -> bool {
    matches!(t, Some(RrType::TXT | RrType::SPF | RrType::HINFO))
}

/// Buffers [`rdata`] works in, kept by the parser.
struct Scratch<'a> {
    /// Where names are decoded.
    decoded: &'a mut String,
    /// Names held until the fields before them are known.
    held: &'a mut String,
}

/// Reads the first `nums.len()` numbers of the data into `nums` and its first `max_names`
/// names into `s.held` (a space between them); returns how many numbers and names there
/// were, counting past those kept.
fn numbers_and_names(
    inline: &[u8],
    cont: &[u8],
    s: &mut Scratch<'_>,
    nums: &mut [u64],
    max_names: usize,
) -> (usize, usize) {
    let (mut n, mut names) = (0, 0);
    s.held.clear();
    each_value(inline, cont, s.decoded, |v| {
        match v {
            Value::Name(t) if names < max_names => {
                if names > 0 {
                    s.held.push(' ');
                }
                s.held.push_str(t);
                names += 1;
            }
            Value::Token(t) => {
                if let Some(d) = digits(t) {
                    if let Some(slot) = nums.get_mut(n) {
                        *slot = d;
                    }
                    n += 1;
                }
            }
            _ => {}
        }
        true
    });
    (n, names)
}

/// Writes the presentation form of an answer's data into `out`; false when fields are
/// missing. `over` false means the dump was cut, so data whose end cannot be seen is not taken.
fn rdata(
    rrtype: RrType,
    inline: &[u8],
    cont: &[u8],
    over: bool,
    mut s: Scratch<'_>,
    out: &mut String,
) -> bool {
    out.clear();
    let inline = trim(inline);
    match rrtype {
        RrType::A | RrType::Aaaa => {
            let v = if inline.is_empty() {
                first_line(cont)
            } else {
                inline
            };
            out.push_str(&text(v));
            !v.is_empty()
        }
        t if is_name_type(t) => {
            each_value(inline, cont, s.decoded, |v| match v {
                Value::Name(name) => {
                    out.push_str(name);
                    false
                }
                Value::Token(_) => true,
            });
            !out.is_empty()
        }
        RrType::MX | RrType::KX | RrType::AFSDB | RrType::Other(21) => {
            // The first number and the first name.
            let mut num = [0u64; 1];
            let (n, names) = numbers_and_names(inline, cont, &mut s, &mut num, 1);
            if n < 1 || names < 1 {
                return false;
            }
            push_num(out, num[0]);
            out.push(' ');
            out.push_str(s.held);
            true
        }
        RrType::SRV => {
            // Priority, weight and port: the first three numbers; the target: the first name.
            let mut nums = [0u64; 3];
            let (n, names) = numbers_and_names(inline, cont, &mut s, &mut nums, 1);
            if n < 3 || names < 1 {
                return false;
            }
            for d in nums {
                push_num(out, d);
                out.push(' ');
            }
            out.push_str(s.held);
            true
        }
        RrType::SOA => {
            // The first two names and the first five numbers.
            let mut nums = [0u64; 5];
            let (n, names) = numbers_and_names(inline, cont, &mut s, &mut nums, 2);
            if n < 5 || names < 2 {
                return false;
            }
            out.push_str(s.held);
            for d in nums {
                out.push(' ');
                push_num(out, d);
            }
            true
        }
        // The end of these cannot be checked: only a dump read past them is certain.
        _ if !over => false,
        RrType::TXT | RrType::SPF | RrType::HINFO => text_strings(inline, cont, out),
        _ => {
            each_value(inline, cont, s.decoded, |v| {
                if !out.is_empty() {
                    out.push(' ');
                }
                match v {
                    Value::Name(n) => out.push_str(n),
                    Value::Token(t) => out.push_str(&text(t)),
                }
                true
            });
            !out.is_empty()
        }
    }
}

/// Appends a number in decimal.
fn push_num(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &buf[i..] {
        out.push(char::from(d));
    }
}

fn first_line(cont: &[u8]) -> &[u8] {
    trim(cont.split(|b| *b == b'\n').next().unwrap_or_default())
}

/// One value of record data.
enum Value<'a> {
    /// A name, decoded.
    Name(&'a str),
    /// Any other token.
    Token(&'a [u8]),
}

/// Hands `f` the values of record data in order (the DATA line's, then each continuation
/// line's), names decoded into `decoded`, until `f` returns false.
fn each_value(
    inline: &[u8],
    cont: &[u8],
    decoded: &mut String,
    mut f: impl FnMut(Value<'_>) -> bool,
) {
    for piece in std::iter::once(inline).chain(cont.split(|b| *b == b'\n')) {
        let mut s = trim(piece);
        while !s.is_empty() {
            if starts_name(s) {
                if let Ok(used) = decode_name_into(s, decoded) {
                    if !f(Value::Name(decoded)) {
                        return;
                    }
                    s = trim_start(s.get(used..).unwrap_or_default());
                    continue;
                }
            }
            let end = s
                .iter()
                .position(u8::is_ascii_whitespace)
                .unwrap_or(s.len());
            let (tok, rest) = s.split_at(end);
            if !f(Value::Token(tok)) {
                return;
            }
            s = trim_start(rest);
        }
    }
}

/// TXT-like data as quoted character strings: `(n)` length-prefixed strings, strings already
/// quoted, or one string per line. False when there is none.
fn text_strings(inline: &[u8], cont: &[u8], out: &mut String) -> bool {
    for piece in std::iter::once(inline).chain(cont.split(|b| *b == b'\n')) {
        let p = trim(piece);
        if p.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if p.first() == Some(&b'"') {
            out.push_str(&text(p));
        } else if label_len(p).is_some() {
            // Character strings with their length: (5)hello(5)world.
            let mut s = p;
            let mut first = true;
            while let Some((after, n)) = label_len(s) {
                let take = n.min(after.len());
                if !first {
                    out.push(' ');
                }
                first = false;
                quote_into(out, &text(&after[..take]));
                s = &after[take..];
            }
            let tail = trim(s);
            if !tail.is_empty() {
                out.push(' ');
                quote_into(out, &text(tail));
            }
        } else {
            quote_into(out, &text(p));
        }
    }
    !out.is_empty()
}

fn quote_into(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// The value of a continuation line: after `key:` or `key =`, or from the first name, or past
/// leading words (`PREFERENCE 10`).
fn cont_value(line: &[u8]) -> &[u8] {
    let line = trim(line);
    let marker = (0..line.len()).find(|&i| starts_name(&line[i..]));
    let sep = line.iter().position(|b| *b == b':' || *b == b'=');
    match (sep, marker) {
        (Some(s), m) if m.is_none_or(|m| s < m) => trim(&line[s + 1..]),
        (_, Some(m)) => &line[m..],
        _ => {
            let mut s = line;
            loop {
                let end = s
                    .iter()
                    .position(u8::is_ascii_whitespace)
                    .unwrap_or(s.len());
                let rest = trim_start(&s[end..]);
                if rest.is_empty() || !s[..end].iter().all(u8::is_ascii_alphabetic) {
                    return s;
                }
                s = rest;
            }
        }
    }
}

/// The kinds of dump lines. The values of `Type`, `Class`, `Ttl` and `Data` are the text after
/// the keyword, white space first: most are never read, so they are trimmed where they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind<'a> {
    InfoAt,
    Conn,
    Message,
    Header(&'a [u8], &'a [u8]),
    Section(u8),
    Empty,
    Offset,
    Name(&'a [u8]),
    Type(&'a [u8]),
    Class(&'a [u8]),
    Ttl(&'a [u8]),
    Data(&'a [u8]),
    Skip,
    Other(&'a [u8]),
}

/// A word of at most 8 bytes as one number: its bytes, little-endian, zero above. Matched
/// with the word's length, so that a word holding NUL bytes is not taken for a shorter one.
const fn key(w: &[u8]) -> u64 {
    let mut k = 0;
    let mut i = 0;
    while i < w.len() && i < 8 {
        k |= (w[i] as u64) << (8 * i);
        i += 1;
    }
    k
}

const K_UDP: u64 = key(b"UDP");
const K_TCP: u64 = key(b"TCP");
const K_SOCKET: u64 = key(b"Socket");
const K_BUF: u64 = key(b"Buf");
const K_MSG: u64 = key(b"Msg");
const K_REMOTE: u64 = key(b"Remote");
const K_TIME: u64 = key(b"Time");
const K_MESSAGE: u64 = key(b"Message:");
const K_EMPTY: u64 = key(b"empty");
const K_OFFSET: u64 = key(b"Offset");
const K_NAME: u64 = key(b"Name");
const K_QTYPE: u64 = key(b"QTYPE");
const K_QCLASS: u64 = key(b"QCLASS");
const K_DLEN: u64 = key(b"DLEN");
const K_TYPE: u64 = key(b"TYPE");
const K_CLASS: u64 = key(b"CLASS");
const K_TTL: u64 = key(b"TTL");
const K_DATA: u64 = key(b"DATA");
const K_XID: u64 = key(b"XID");
const K_FLAGS: u64 = key(b"Flags");
const K_QR: u64 = key(b"QR");
const K_OPCODE: u64 = key(b"OPCODE");
const K_AA: u64 = key(b"AA");
const K_TC: u64 = key(b"TC");
const K_RD: u64 = key(b"RD");
const K_RA: u64 = key(b"RA");
const K_Z: u64 = key(b"Z");
const K_CD: u64 = key(b"CD");
const K_AD: u64 = key(b"AD");
const K_RCODE: u64 = key(b"RCODE");
const K_QCOUNT: u64 = key(b"QCOUNT");
const K_ACOUNT: u64 = key(b"ACOUNT");
const K_NSCOUNT: u64 = key(b"NSCOUNT");
const K_ARCOUNT: u64 = key(b"ARCOUNT");
const K_ZOCOUNT: u64 = key(b"ZOCOUNT");
const K_PRCOUNT: u64 = key(b"PRCOUNT");
const K_UPCOUNT: u64 = key(b"UPCOUNT");
const K_ADCOUNT: u64 = key(b"ADCOUNT");
const K_QUESTION: u64 = key(b"QUESTION");
const K_ZONE: u64 = key(b"ZONE");
const K_ANSWER: u64 = key(b"ANSWER");
const K_UPDATE: u64 = key(b"UPDATE");

/// [`key`] of `t[..end]` (`end` at most 8), read from the line's first 8 bytes at once where
/// it has them.
fn line_key(t: &[u8], end: usize) -> u64 {
    match t.first_chunk::<8>() {
        Some(head) => {
            let mask = u64::MAX.checked_shr(64 - 8 * end as u32).unwrap_or(0);
            u64::from_le_bytes(*head) & mask
        }
        None => {
            let mut buf = [0u8; 8];
            if let (Some(dst), Some(src)) = (buf.get_mut(..end), t.get(..end)) {
                dst.copy_from_slice(src);
            }
            u64::from_le_bytes(buf)
        }
    }
}

/// What a dump line is, by its first word (`t` starts with it: the indentation is gone, and
/// so is white space at its end).
fn classify(t: &[u8]) -> Kind<'_> {
    let end = find_ws(t);
    classify_word(t, end, if end <= 8 { line_key(t, end) } else { 0 })
}

/// The indentation of a dump line and its first word, as [`classify_word`] takes them (where
/// the word starts, its length and its key), read from a word of the line or two: `None` when
/// that does not do (indentation of eight bytes or more, or of spaces and tabs mixed; a control
/// byte in the first word; a line of fewer than eight bytes), and the line is to be read the
/// general way. `line` starts with a space or a tab and ends with neither.
#[inline(always)]
fn indented_word(line: &[u8]) -> Option<(usize, usize, u64)> {
    let w0 = word_at(line, 0)?;
    let pad = if line.first() == Some(&b'\t') {
        splat(b'\t')
    } else {
        splat(b' ')
    };
    let lead = w0 ^ pad;
    if lead == 0 {
        return None;
    }
    let start = (lead.trailing_zeros() / 8) as usize;
    // The eight bytes from the word, or, near the end of the line, the last eight bytes
    // shifted so that the word comes first (zeros after the line's end).
    let w = match word_at(line, start) {
        Some(w) => w,
        None => word_at(line, line.len() - 8)? >> (8 * (start + 8 - line.len())),
    };
    let low = bytes_below(w, 0x21);
    // The word must start at once, not with a tab after spaces.
    if low & 0x80 != 0 {
        return None;
    }
    if low == 0 {
        // A word of eight bytes or more.
        let end = 8 + find_ws(line.get(start + 8..)?);
        return Some((start, end, if end == 8 { w } else { 0 }));
    }
    let end = (low.trailing_zeros() / 8) as usize;
    // Ended by white space, or by the end of the line; not by a control byte.
    if !line.get(start + end).is_none_or(u8::is_ascii_whitespace) {
        return None;
    }
    Some((start, end, w & ((1u64 << (8 * end)) - 1)))
}

/// [`classify`] of `t`, whose first word is `end` bytes long and has the [`key`] `key` (0 if
/// longer than 8 bytes).
#[inline(always)]
fn classify_word(t: &[u8], end: usize, key: u64) -> Kind<'_> {
    let (word, after) = t.split_at(end.min(t.len()));
    // Most lines need only their first word: the rest is trimmed where it is read. `after`
    // is empty or starts with white space, and as the line ends with none, it is empty
    // exactly when its trimmed form is.
    let rest = || after_gap(after);
    if end > 8 {
        return match word {
            b"PREREQUISITE" if rest() == b"SECTION:" => Kind::Section(PHASE_ANSWER),
            b"AUTHORITY" if rest() == b"SECTION:" => Kind::Section(PHASE_ANSWER + 1),
            b"ADDITIONAL" if rest() == b"SECTION:" => Kind::Section(PHASE_ADDITIONAL),
            _ => Kind::Other(t),
        };
    }
    // One comparison of numbers per keyword rather than of byte strings.
    match (end, key) {
        (3, K_UDP | K_TCP) if is_info_at(t) => Kind::InfoAt,
        (6, K_SOCKET) | (3, K_BUF | K_MSG)
            if rest().starts_with(b"=") || rest().starts_with(b"length") =>
        {
            Kind::Conn
        }
        (6, K_REMOTE) if rest().starts_with(b"addr") => Kind::Conn,
        (4, K_TIME) if rest().starts_with(b"Query=") => Kind::Conn,
        (8, K_MESSAGE) if after.is_empty() => Kind::Message,
        (5, K_EMPTY) if after.is_empty() => Kind::Empty,
        (6, K_OFFSET) if rest().starts_with(b"= 0x") => Kind::Offset,
        (4, K_NAME) => match rest().split_first() {
            // The closing quote ends the line, so it is looked for from the end.
            Some((b'"', inner)) => {
                let close = inner
                    .iter()
                    .rposition(|b| *b == b'"')
                    .unwrap_or(inner.len());
                Kind::Name(inner.get(..close).unwrap_or_default())
            }
            _ => Kind::Other(t),
        },
        (5, K_QTYPE) | (6, K_QCLASS) | (4, K_DLEN) => Kind::Skip,
        (4, K_TYPE) => Kind::Type(after),
        (5, K_CLASS) => Kind::Class(after),
        (3, K_TTL) => Kind::Ttl(after),
        (4, K_DATA) => Kind::Data(after),
        // Message header keys print as `KEY  value`; continuation lines such as OPT's
        // `Flags        = 80 DO` have an `=`.
        (3, K_XID)
        | (5, K_FLAGS | K_RCODE)
        | (2, K_QR | K_AA | K_TC | K_RD | K_RA | K_CD | K_AD)
        | (6, K_OPCODE | K_QCOUNT | K_ACOUNT)
        | (1, K_Z)
        | (7, K_NSCOUNT | K_ARCOUNT | K_ZOCOUNT | K_PRCOUNT | K_UPCOUNT | K_ADCOUNT)
            if !contains_byte(after, b'=') =>
        {
            Kind::Header(word, after)
        }
        (8, K_QUESTION) | (4, K_ZONE) if rest() == b"SECTION:" => Kind::Section(PHASE_QUESTION),
        (6, K_ANSWER) if rest() == b"SECTION:" => Kind::Section(PHASE_ANSWER),
        (6, K_UPDATE) if rest() == b"SECTION:" => Kind::Section(PHASE_ANSWER + 1),
        _ => Kind::Other(t),
    }
}

/// `after` (empty, or white space first) without its leading white space; a gap of one
/// byte, the usual one between a key and its value, is seen without a search.
#[inline(always)]
fn after_gap(after: &[u8]) -> &[u8] {
    match after.get(1..) {
        Some(rest) if rest.first().is_some_and(|b| !b.is_ascii_whitespace()) => rest,
        _ => trim_start(after),
    }
}

fn is_info_at(t: &[u8]) -> bool {
    (t.starts_with(b"UDP ") || t.starts_with(b"TCP ")) && INFO_AT.find(t).is_some()
}

fn is_header(t: &[u8]) -> bool {
    t.starts_with(b"DNS Server log file creation at")
        || t.starts_with(b"Log file wrap at")
        || t.starts_with(b"Message logging key")
}

/// The fields of a packet line, borrowed from it.
struct Packet<'a> {
    when: [&'a [u8]; 4],
    when_len: usize,
    /// The line from its start to the end of the date and time tokens.
    when_text: &'a [u8],
    snd: bool,
    response: bool,
    opcode: u8,
    remote: &'a [u8],
    xid: u16,
    qtype: Option<&'a [u8]>,
    qname: &'a [u8],
}

#[inline]
fn next_token<'a>(s: &mut &'a [u8]) -> Option<&'a [u8]> {
    let t = trim_start(s);
    let end = find_ws(t);
    *s = &t[end..];
    (end > 0).then(|| &t[..end])
}

/// `"[" flags "]"`: the hex flags, flag letters and response code of a packet line; returns
/// what follows.
#[inline]
fn bracket(i: &[u8]) -> Option<&[u8]> {
    let inner = i.strip_prefix(b"[")?;
    let close = find_byte(inner, b']')?;
    inner.get(close + 1..)
}

/// A forward reader of the tokens of a packet line, in one pass: gaps (mostly one space) a
/// byte at a time, tokens eight bytes at a time.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    #[inline(always)]
    fn skip_ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    /// The next token, `None` at the end of the line.
    #[inline(always)]
    fn token(&mut self) -> Option<&'a [u8]> {
        self.skip_ws();
        let start = self.i;
        let tail = self.s.get(start..)?;
        self.i = start + find_ws(tail);
        tail.get(..self.i - start).filter(|t| !t.is_empty())
    }

    fn rest(&self) -> &'a [u8] {
        self.s.get(self.i..).unwrap_or_default()
    }
}

/// Reads a packet line: `None` when it has no `" PACKET "`, else its fields or why they
/// cannot be read.
///
/// `" PACKET "` is a token `PACKET` with a space on each side, so the tokens before it are
/// read while looking for it. A valid line has at most five; past that the line is a packet
/// line with too many fields if `" PACKET "` comes later, and not a packet line otherwise.
#[inline(always)]
fn parse_packet(line: &[u8]) -> Option<Result<Packet<'_>, &'static str>> {
    let mut c = Cursor { s: line, i: 0 };
    let mut toks: [&[u8]; 5] = [b""; 5];
    let mut ends = [0usize; 5];
    let mut k = 0;
    loop {
        let tok = c.token()?;
        let start = c.i - tok.len();
        if tok == b"PACKET"
            && start > 0
            && line.get(start - 1) == Some(&b' ')
            && line.get(c.i) == Some(&b' ')
        {
            break;
        }
        if k == toks.len() {
            return PACKET
                .find(line)
                .map(|_| Err("too many fields before PACKET"));
        }
        toks[k] = tok;
        ends[k] = c.i;
        k += 1;
    }
    Some(packet_fields(c, &toks, &ends, k))
}

/// The fields of a packet line after its `PACKET` (where `c` is), the `k` tokens before it
/// being `toks` (ending at `ends`).
fn packet_fields<'a>(
    mut c: Cursor<'a>,
    toks: &[&'a [u8]; 5],
    ends: &[usize; 5],
    k: usize,
) -> Result<Packet<'a>, &'static str> {
    if k < 3 || !is_hex(toks[k - 1]) {
        return Err("expected date, time and thread id before PACKET");
    }
    // The first `k - 1`: the date, the time and its designator, if any.
    let when = [toks[0], toks[1], toks[2], toks[3]];

    let mut proto = c.token().ok_or("nothing after PACKET")?;
    if proto != b"UDP" && proto != b"TCP" {
        if !is_hex(proto) {
            return Err("expected the packet id or UDP/TCP after PACKET");
        }
        proto = c.token().unwrap_or_default();
        if proto != b"UDP" && proto != b"TCP" {
            return Err("expected UDP or TCP");
        }
    }
    let snd = match c.token() {
        Some(b"Snd") => true,
        Some(b"Rcv") => false,
        _ => return Err("expected Snd or Rcv"),
    };
    let remote = c.token().ok_or("expected the remote address")?;
    let xid = c.token().and_then(hex_u16).ok_or("expected a hex XID")?;
    let mut op = c.token().ok_or("expected the opcode")?;
    let response = op == b"R";
    if response {
        op = c.token().ok_or("expected the opcode")?;
    }
    let opcode = match op {
        [c @ (b'Q' | b'N' | b'U' | b'?')] => *c,
        _ => return Err("expected the opcode Q, N, U or ?"),
    };
    c.skip_ws();
    let after = bracket(c.rest()).ok_or("expected [flags rcode]")?;
    c.i = c.s.len() - after.len();
    c.skip_ws();
    let tail = trim_end(c.rest());
    let (qtype, qname) = match tail.first() {
        None => return Err("no question name"),
        Some(b'(' | b'.' | b'[') => (None, tail),
        Some(_) => {
            let t = c.token();
            c.skip_ws();
            let name = trim_end(c.rest());
            if name.is_empty() {
                return Err("no question name");
            }
            (t, name)
        }
    };
    Ok(Packet {
        when,
        when_len: k - 1,
        when_text: c.s.get(..ends[k - 2]).unwrap_or_default(),
        snd,
        response,
        opcode,
        remote,
        xid,
        qtype,
        qname,
    })
}

/// The question type column; Windows spells a few types its own way.
fn qtype(t: &[u8]) -> Option<RrType> {
    match t {
        b"ALL" | b"*" => Some(RrType::ANY),
        b"TEXT" => Some(RrType::TXT),
        b"WINS" => Some(RrType::Other(0xff01)),
        b"WINSR" | b"NBSTAT" => Some(RrType::Other(0xff02)),
        _ => std::str::from_utf8(t).ok()?.parse().ok(),
    }
}

/// `TYPE   A  (1)`: the number in parentheses, else the mnemonic.
fn parse_type(v: &[u8]) -> Option<RrType> {
    if let Some(open) = v.iter().rposition(|b| *b == b'(') {
        let num = v[open + 1..].strip_suffix(b")").unwrap_or_default();
        if let Some(n) = digits(trim(num)).and_then(|n| u16::try_from(n).ok()) {
            return Some(RrType::from_u16(n));
        }
    }
    let mut r = v;
    qtype(next_token(&mut r)?)
}

fn parse_u32(v: &[u8]) -> Option<u32> {
    let mut r = v;
    u32::try_from(digits(next_token(&mut r)?)?).ok()
}

/// A decimal number of at most 19 digits, without going through `str`.
fn digits(t: &[u8]) -> Option<u64> {
    if t.is_empty() || t.len() > 19 {
        return None;
    }
    t.iter().try_fold(0u64, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
    })
}

/// One to four hex digits.
fn hex_u16(t: &[u8]) -> Option<u16> {
    if t.is_empty() || t.len() > 4 {
        return None;
    }
    t.iter().try_fold(0u16, |x, &b| {
        let d = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => return None,
        };
        Some(x << 4 | u16::from(d))
    })
}

/// `(n)`: a label's length, and what follows. A length too long to read is `usize::MAX`.
fn label_len(i: &[u8]) -> Option<(&[u8], usize)> {
    let (d, rest) = delimited_run(i, b'(', b')', u8::is_ascii_digit)?;
    let n = digits(d)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(usize::MAX);
    Some((rest, n))
}

/// `[C00C]`: a compression mark, followed in the log by the name it points to; returns what
/// follows.
fn pointer(i: &[u8]) -> Option<&[u8]> {
    delimited_run(i, b'[', b']', u8::is_ascii_hexdigit).map(|(_, rest)| rest)
}

/// `open`, one or more bytes of `class`, `close`: the run, and what follows.
fn delimited_run(i: &[u8], open: u8, close: u8, class: fn(&u8) -> bool) -> Option<(&[u8], &[u8])> {
    let inner = i.strip_prefix(&[open])?;
    let end = inner.iter().position(|b| !class(b))?;
    if end == 0 || inner[end] != close {
        return None;
    }
    Some((&inner[..end], &inner[end + 1..]))
}

fn starts_name(s: &[u8]) -> bool {
    label_len(s).is_some() || pointer(s).is_some()
}

/// Decodes a name as Windows prints it — `(3)www(6)google(3)com(0)` with `[Cxxx]` marks, or
/// dotted (`.ns1.example.com.`) — into presentation form in `out` (cleared first; left
/// unspecified on error), and returns the bytes it took.
fn decode_name_into(s: &[u8], out: &mut String) -> Result<usize, &'static str> {
    out.clear();
    if !matches!(s.first(), Some(b'(' | b'[')) {
        let end = s
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'"')
            .unwrap_or(s.len());
        let dotted = &s[..end];
        if dotted == b"." {
            out.push('.');
            return Ok(end);
        }
        let dotted = dotted.strip_prefix(b".").unwrap_or(dotted);
        if dotted.is_empty() {
            return Err("empty name");
        }
        out.push_str(&text(dotted));
        return Ok(end);
    }
    // Labels are written escaped, so in ASCII: built as bytes (the string's own buffer) and
    // checked as text once, not label by label.
    let mut bytes = std::mem::take(out).into_bytes();
    let taken = decode_labels(s, &mut bytes);
    *out = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    taken
}

/// The `(n)label` form of [`decode_name_into`], into `out` (empty on entry).
fn decode_labels(s: &[u8], out: &mut Vec<u8>) -> Result<usize, &'static str> {
    let mut i = 0;
    // The common label is read here: `(n)` with one or two digits, `n` bytes copied as they
    // are, then the next `(n)` — whose length is carried to the next round — or `[Cxxx]` or
    // the end of the text. Anything else is read by `label_step`, the same way.
    let mut prefix = short_label_len(s);
    loop {
        if let Some((n, open)) = prefix {
            if n == 0 {
                i += open;
                break;
            }
            let start = i + open;
            let stop = start + n;
            if let Some(label) = s.get(start..stop) {
                let next = s.get(stop..).unwrap_or_default();
                let (boundary, next_prefix) = match next.first() {
                    None => (true, None),
                    Some(b'(') => {
                        let p = short_label_len(next);
                        (p.is_some(), p)
                    }
                    Some(b'[') => (pointer(next).is_some(), None),
                    Some(_) => (false, None),
                };
                if boundary && is_plain_label(label) {
                    if !out.is_empty() {
                        out.push(b'.');
                    }
                    out.extend_from_slice(label);
                    i = stop;
                    prefix = next_prefix;
                    if prefix.is_some() {
                        continue;
                    }
                }
            }
        }
        match label_step(s, i, out)? {
            Step::Next(j) => i = j,
            Step::End(j) => {
                i = j;
                break;
            }
        }
        prefix = s.get(i..).and_then(short_label_len);
    }
    if out.is_empty() {
        out.push(b'.');
    }
    Ok(i)
}

/// Where [`label_step`] leaves a name: at its next label, or past its end.
enum Step {
    Next(usize),
    End(usize),
}

/// Reads the label of `s` at `i` (after any compression marks) into `out`, the general way.
#[inline(never)]
fn label_step(s: &[u8], mut i: usize, out: &mut Vec<u8>) -> Result<Step, &'static str> {
    while let Some(rest) = pointer(s.get(i..).unwrap_or_default()) {
        i = s.len() - rest.len();
    }
    let Some((rest, n)) = label_len(s.get(i..).unwrap_or_default()) else {
        if s.get(i)
            .is_none_or(|b| b.is_ascii_whitespace() || *b == b'"')
            && !out.is_empty()
        {
            return Ok(Step::End(i)); // printed without its final (0)
        }
        return Err("expected a (length) label prefix");
    };
    i = s.len() - rest.len();
    if n == 0 {
        return Ok(Step::End(i));
    }
    let (label, used) = take_label(rest, n)?;
    if !out.is_empty() {
        out.push(b'.');
    }
    escape_into(out, &label);
    Ok(Step::Next(i + used))
}

/// [`decode_name_into`] into a new string.
#[cfg(test)]
fn decode_name(s: &[u8]) -> Result<(String, usize), &'static str> {
    let mut out = String::new();
    decode_name_into(s, &mut out).map(|used| (out, used))
}

/// True where a label may end: at the next `(n)` or `[Cxxx]`, or at the end of the name.
fn label_boundary(rest: &[u8]) -> bool {
    rest.is_empty() || starts_name(rest)
}

/// The `n` bytes of a label. Windows writes label bytes as they are; when the file was UTF-16,
/// each byte became a character, so `n` characters are read back into Windows-1252 bytes.
/// Failing both, the label runs to the next length prefix.
fn take_label(s: &[u8], n: usize) -> Result<(Cow<'_, [u8]>, usize), &'static str> {
    if let Some(label) = s.get(..n) {
        if label_boundary(&s[n..]) {
            return Ok((Cow::Borrowed(label), n));
        }
    }
    let valid = match std::str::from_utf8(s) {
        Ok(v) => v,
        Err(e) => std::str::from_utf8(&s[..e.valid_up_to()]).unwrap_or_default(),
    };
    // `n` comes from the log: never let it size an allocation beyond what the line holds.
    let mut bytes = Vec::with_capacity(n.min(s.len()));
    let mut end = 0;
    for (count, (at, c)) in valid.char_indices().enumerate() {
        if count == n {
            break;
        }
        let mut buf = [0u8; 4];
        let (enc, _, bad) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
        if bad || enc.len() != 1 {
            break;
        }
        bytes.extend_from_slice(&enc);
        end = at + c.len_utf8();
    }
    if bytes.len() == n && label_boundary(&s[end..]) {
        return Ok((Cow::Owned(bytes), end));
    }
    let end = (1..s.len())
        .find(|&i| starts_name(&s[i..]))
        .unwrap_or(s.len());
    if end == 0 {
        return Err("empty label");
    }
    Ok((Cow::Borrowed(&s[..end]), end))
}

/// `(n)` with one or two digits: `n` and the bytes it takes. What [`label_len`] reads of it.
#[inline]
fn short_label_len(s: &[u8]) -> Option<(usize, usize)> {
    match *s {
        [b'(', d @ b'0'..=b'9', b')', ..] => Some((usize::from(d - b'0'), 3)),
        [b'(', d @ b'0'..=b'9', e @ b'0'..=b'9', b')', ..] => {
            Some((usize::from(d - b'0') * 10 + usize::from(e - b'0'), 4))
        }
        _ => None,
    }
}

/// A label that [`escape_into`] copies as it is.
#[inline(always)]
fn is_plain_label(label: &[u8]) -> bool {
    label.iter().all(|&b| PLAIN[usize::from(b)])
}

/// The bytes [`escape_into`] copies as they are: printable ASCII but `.` and `\`.
static PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0x21;
    while b <= 0x7e {
        t[b] = b != b'.' as usize && b != b'\\' as usize;
        b += 1;
    }
    t
};

/// Appends a label in presentation form: printable ASCII as is, `.` and `\` escaped, other
/// bytes as `\DDD`.
fn escape_into(out: &mut Vec<u8>, label: &[u8]) {
    if is_plain_label(label) {
        // The common label: all of it as it is.
        out.extend_from_slice(label);
        return;
    }
    for &b in label {
        match b {
            b'.' => out.extend_from_slice(b"\\."),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x21..=0x7e => out.push(b),
            _ => out.extend_from_slice(&[b'\\', b'0' + b / 100, b'0' + b / 10 % 10, b'0' + b % 10]),
        }
    }
}

/// Reads the date and time tokens of a packet line (see the module doc for the rules).
fn parse_when(toks: &[&[u8]], order: &mut Option<Order>) -> Option<NaiveDateTime> {
    let (&date, rest) = toks.split_first()?;
    let mut time = None;
    let mut pm = None;
    for &t in rest {
        if t.first()?.is_ascii_digit() {
            if time.replace(t).is_some() {
                return None;
            }
        } else {
            pm = Some(designator(t)?);
        }
    }
    let (h, m, s) = parse_time(time?)?;
    let h = match pm {
        Some(pm) if (1..=12).contains(&h) => h % 12 + if pm { 12 } else { 0 },
        _ => h,
    };
    parse_date(date, pm.is_some(), order)?.and_hms_opt(h, m, s)
}

/// AM (`false`) or PM (`true`) in the designators Windows locales write.
fn designator(t: &[u8]) -> Option<bool> {
    const AM: &[&str] = &["AM", "A.M.", "午前", "上午", "오전"];
    const PM: &[&str] = &["PM", "P.M.", "午後", "下午", "오후"];
    match t {
        b"AM" => return Some(false),
        b"PM" => return Some(true),
        _ => {}
    }
    let s = std::str::from_utf8(t).ok()?;
    if AM.iter().any(|d| d.eq_ignore_ascii_case(s)) {
        Some(false)
    } else if PM.iter().any(|d| d.eq_ignore_ascii_case(s)) {
        Some(true)
    } else {
        None
    }
}

fn parse_time(t: &[u8]) -> Option<(u32, u32, u32)> {
    let mut parts = t.split(|b| *b == b':' || *b == b'.');
    let mut next = || -> Option<u32> {
        let p = parts.next()?;
        if p.len() > 2 {
            return None;
        }
        u32::try_from(digits(p)?).ok()
    };
    let hms = (next()?, next()?, next()?);
    parts.next().is_none().then_some(hms)
}

/// Reads a date in one of the locale forms; learns the day/month order of slashed dates.
fn parse_date(d: &[u8], designator: bool, order: &mut Option<Order>) -> Option<NaiveDate> {
    let num = |p: &[u8]| -> Option<u32> {
        if p.len() > 4 {
            return None;
        }
        u32::try_from(digits(p)?).ok()
    };
    if d.len() == 8 && d.iter().all(u8::is_ascii_digit) {
        let y = num(&d[..4])?;
        return NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, num(&d[4..6])?, num(&d[6..])?);
    }
    let sep = *d.iter().find(|b| matches!(b, b'/' | b'.' | b'-'))?;
    let d = d.strip_suffix(b".").unwrap_or(d);
    let mut parts = d.split(|b| *b == sep);
    let (p0, p1, p2) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (a, b, c) = (num(p0)?, num(p1)?, num(p2)?);
    let (y, m, day) = if p0.len() == 4 {
        (a, b, c)
    } else {
        let y = match p2.len() {
            4 => c,
            2 => 2000 + c,
            _ => return None,
        };
        let day_first = if a > 12 {
            true
        } else if b > 12 {
            false
        } else if sep != b'/' {
            true
        } else {
            match order {
                Some(o) => *o == Order::DayFirst,
                None => !designator,
            }
        };
        if sep == b'/' && (a > 12 || b > 12) {
            *order = Some(if day_first {
                Order::DayFirst
            } else {
                Order::MonthFirst
            });
        }
        if day_first {
            (y, b, a)
        } else {
            (y, a, b)
        }
    };
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, day)
}

fn is_hex(t: &[u8]) -> bool {
    if t.is_empty() || t.len() > 16 {
        return false;
    }
    // Packet ids are 16 digits: eight at a time.
    let mut words = t.chunks_exact(8);
    let whole = words.by_ref().all(|w| {
        w.first_chunk::<8>()
            .is_some_and(|w| is_hex_word(u64::from_le_bytes(*w)))
    });
    whole && words.remainder().iter().all(u8::is_ascii_hexdigit)
}

/// Whether the 8 bytes of `w` are all ASCII hex digits.
fn is_hex_word(w: u64) -> bool {
    // The high bit of each byte in `lo..=hi`, for bytes below 0x80 (no carry crosses bytes).
    let within = |x: u64, lo: u8, hi: u8| {
        x.wrapping_add(splat(0x80 - lo)) & !x.wrapping_add(splat(0x7f - hi)) & HIGH_BITS
    };
    let letters = w | splat(0x20);
    w & HIGH_BITS == 0 && within(w, b'0', b'9') | within(letters, b'a', b'f') == HIGH_BITS
}

/// Eight copies of a byte, for the word-at-a-time searches below.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

const LOW_BITS: u64 = splat(0x01);
const HIGH_BITS: u64 = splat(0x80);

/// The 8 bytes of `s` from `at`, little-endian, if it has them.
#[inline]
fn word_at(s: &[u8], at: usize) -> Option<u64> {
    s.get(at..)?
        .first_chunk::<8>()
        .map(|w| u64::from_le_bytes(*w))
}

/// The high bit of each byte of `w` below `n` (`n` at most 0x80) and below 0x80. Exact for the
/// lowest such byte; bytes above it may be flagged too, by the borrow.
#[inline]
fn bytes_below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(splat(n)) & !w & HIGH_BITS
}

/// Whether any byte of `w` is zero (exact).
#[inline]
fn has_zero(w: u64) -> bool {
    w.wrapping_sub(LOW_BITS) & !w & HIGH_BITS != 0
}

/// Leading white space skipped eight spaces at a time: dump lines are indented by runs of
/// spaces, and packet lines pad their columns with them.
#[inline(always)]
fn trim_start(s: &[u8]) -> &[u8] {
    let mut i = 0;
    while let Some(w) = word_at(s, i) {
        let other = w ^ splat(b' ');
        if other != 0 {
            i += (other.trailing_zeros() / 8) as usize;
            break;
        }
        i += 8;
    }
    let rest = s.get(i..).unwrap_or_default();
    match rest.first() {
        Some(b) if b.is_ascii_whitespace() => trim_start_bytes(rest),
        _ => rest,
    }
}

/// [`trim_start`] a byte at a time, for white space other than spaces.
fn trim_start_bytes(s: &[u8]) -> &[u8] {
    let i = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    s.get(i..).unwrap_or_default()
}

/// Where the first white space of `s` is, or its length; eight bytes at a time, since a byte
/// that is white space is below 0x21.
#[inline(always)]
fn find_ws(s: &[u8]) -> usize {
    let mut i = 0;
    while let Some(w) = word_at(s, i) {
        let low = bytes_below(w, 0x21);
        if low != 0 {
            let at = i + (low.trailing_zeros() / 8) as usize;
            if s.get(at).is_some_and(u8::is_ascii_whitespace) {
                return at;
            }
            // A control byte that is not white space: on byte by byte.
            i = at + 1;
            break;
        }
        i += 8;
    }
    let rest = s.get(i..).unwrap_or_default();
    i + rest
        .iter()
        .position(u8::is_ascii_whitespace)
        .unwrap_or(rest.len())
}

/// Whether `s` holds `b`, eight bytes at a time: the spans searched are a few dozen bytes,
/// where `memchr`'s setup would cost more than the search.
#[inline]
fn contains_byte(s: &[u8], b: u8) -> bool {
    let Some(last) = s.len().checked_sub(8) else {
        return s.contains(&b);
    };
    let mut i = 0;
    while i < last {
        if word_at(s, i).is_some_and(|w| has_zero(w ^ splat(b))) {
            return true;
        }
        i += 8;
    }
    // The last eight bytes, overlapping those already seen.
    word_at(s, last).is_some_and(|w| has_zero(w ^ splat(b)))
}

fn trim(s: &[u8]) -> &[u8] {
    trim_end(trim_start(s))
}

/// Certain on the log header; sure on a packet line that reads; fairly sure on packet details
/// alone (a file cut at its start).
pub fn sniff(sample: &str) -> u8 {
    let mut details = false;
    for l in crate::format::first_lines(sample, 200) {
        let b = l.as_bytes();
        if is_header(b) {
            return 100;
        }
        if b.first().is_some_and(u8::is_ascii_digit) && matches!(parse_packet(b), Some(Ok(_))) {
            return 95;
        }
        let t = trim_start(b);
        details |= is_info_at(t) || t.starts_with(b"Remote addr ");
    }
    if details {
        60
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    //! Inputs here are hand-written in the shape of the real samples in
    //! `tests/fixtures/msdns/` (column padding, indentation and key spelling copied from them);
    //! they are not captures of a real server.
    use super::*;
    use crate::record::Record;
    use crate::{parse_reader, FileError, Format, Records, Stats};

    /// (rrname, rrtype, rdata, ttl, seconds)
    type Row = (String, String, String, Option<u32>, i64);

    fn run_bytes(data: &[u8]) -> (Vec<Record>, Stats, Vec<FileError>) {
        let mut recs = Records::new(data, Format::MsDns, &ParseOptions::default(), "t");
        let (mut ok, mut bad) = (Vec::new(), Vec::new());
        for r in recs.by_ref() {
            match r {
                Ok(r) => ok.push(r),
                Err(e) => bad.push(e),
            }
        }
        (ok, recs.stats().clone(), bad)
    }

    fn run(text: &str) -> (Vec<Record>, Stats, Vec<FileError>) {
        run_bytes(text.as_bytes())
    }

    fn rows(recs: &[Record]) -> Vec<Row> {
        recs.iter()
            .filter_map(|r| match r {
                Record::Association(a) => Some((
                    a.rrname.clone(),
                    a.rrtype.to_string(),
                    a.rdata.clone(),
                    a.ttl,
                    a.first_seen.secs(),
                )),
                Record::Name(_) => None,
            })
            .collect()
    }

    fn names(recs: &[Record]) -> Vec<(String, Option<String>)> {
        recs.iter()
            .filter_map(|r| match r {
                Record::Name(n) => Some((n.rrname.clone(), n.rrtype.map(|t| t.to_string()))),
                Record::Association(_) => None,
            })
            .collect()
    }

    fn kinds(errs: &[FileError]) -> Vec<(u64, ErrorKind)> {
        errs.iter().map(|e| (e.error.line, e.error.kind)).collect()
    }

    fn row(name: &str, t: &str, data: &str, ttl: u32, secs: i64) -> Row {
        (name.into(), t.into(), data.into(), Some(ttl), secs)
    }

    /// 11/28/2015 3:26:46 PM, read as UTC.
    const T0: i64 = 1_448_724_406;

    /// A packet dump as Windows prints it: header, message, then the sections.
    fn dump(packet: &str, answers: &[&str], additional: &str) -> String {
        let mut s = format!(
            "{packet}\r\nUDP response info at 0000000004D2E250\r\n  Socket = 512\r\n  Remote addr 8.8.8.8, port 53\r\n  Time Query=0, Queued=0, Expire=0\r\n  Buf length = 0x0fa0 (4000)\r\n  Msg length = 0x0054 (84)\r\n  Message:\r\n    XID       0x51f2\r\n    Flags     0x8180\r\n      QR        1 (RESPONSE)\r\n      OPCODE    0 (QUERY)\r\n      RCODE     0 (NOERROR)\r\n    QCOUNT    1\r\n    ACOUNT    {}\r\n    NSCOUNT   0\r\n    ARCOUNT   {}\r\n    QUESTION SECTION:\r\n    Offset = 0x000c, RR count = 0\r\n    Name      \"(3)www(6)google(3)com(0)\"\r\n      QTYPE   A (1)\r\n      QCLASS  1\r\n    ANSWER SECTION:\r\n",
            answers.len(),
            u32::from(!additional.is_empty()),
        );
        if answers.is_empty() {
            s.push_str("      empty\r\n");
        }
        for (i, a) in answers.iter().enumerate() {
            s.push_str(&format!(
                "    Offset = 0x{:04x}, RR count = {i}\r\n{a}",
                0x20 + 16 * i
            ));
        }
        s.push_str("    AUTHORITY SECTION:\r\n      empty\r\n    ADDITIONAL SECTION:\r\n");
        if additional.is_empty() {
            s.push_str("      empty\r\n");
        } else {
            s.push_str(additional);
        }
        s.push_str("\r\n");
        s
    }

    fn rr(name: &str, t: &str, num: u16, ttl: u32, data: &str) -> String {
        format!(
            "    Name      \"{name}\"\r\n      TYPE   {t}  ({num})\r\n      CLASS  1\r\n      TTL    {ttl}\r\n      DLEN   4\r\n      DATA   {data}\r\n"
        )
    }

    const OPT: &str = "    Offset = 0x0050, RR count = 0\r\n    Name      \"(0)\"\r\n      TYPE   OPT  (41)\r\n      CLASS  4000\r\n      TTL    32768\r\n      DLEN   0\r\n      DATA   \r\n\t\tBuffer Size  = 4000\r\n\t\tRcode Ext    = 0\r\n\t\tRcode Full   = 0\r\n\t\tVersion      = 0\r\n\t\tFlags        = 80 DO\r\n";

    fn google_answers() -> Vec<String> {
        vec![
            rr(
                "[C00C](3)www(6)google(3)com(0)",
                "CNAME",
                5,
                300,
                "(3)www(1)l[C010](6)google(3)com(0)",
            ),
            rr(
                "[C02C](3)www(1)l[C010](6)google(3)com(0)",
                "A",
                1,
                60,
                "142.250.1.1",
            ),
            rr(
                "[C02C](3)www(1)l[C010](6)google(3)com(0)",
                "A",
                1,
                60,
                "142.250.1.2",
            ),
        ]
    }

    fn recursive_exchange() -> String {
        let a = google_answers();
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let mut s = String::from("DNS Server log file creation at 11/28/2015 3:26:41 PM\r\n\r\nMessage logging key (for packets - other items use a subset of these fields):\r\n\tField #  Information         Values\r\n\t-------  -----------         ------\r\n\t   1     Date\r\n\t  16     Question Name\r\n\r\n");
        s.push_str("11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Rcv 192.168.1.100   8e0c   Q [0001   D   NOERROR] A      (3)www(6)google(3)com(0)\r\n");
        s.push_str("11/28/2015 3:26:46 PM 0A48 PACKET  0000000004C1A010 UDP Snd 8.8.8.8         51f2   Q [0001   D   NOERROR] A      (3)www(6)google(3)com(0)\r\n");
        s.push_str(&dump("11/28/2015 3:26:46 PM 0A4C PACKET  0000000004D2E250 UDP Rcv 8.8.8.8         51f2 R Q [8081   DR  NOERROR] A      (3)www(6)google(3)com(0)", &a, OPT));
        s.push_str(&dump("11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Snd 192.168.1.100   8e0c R Q [8081   DR  NOERROR] A      (3)www(6)google(3)com(0)", &a, ""));
        s
    }

    #[test]
    fn forwarded_answer_is_counted_once_and_the_transaction_named_once() {
        let (recs, stats, errs) = run(&recursive_exchange());
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(
            rows(&recs),
            vec![
                row("www.google.com", "CNAME", "www.l.google.com", 300, T0),
                row("www.l.google.com", "A", "142.250.1.1", 60, T0),
                row("www.l.google.com", "A", "142.250.1.2", 60, T0),
            ]
        );
        assert_eq!(
            names(&recs),
            vec![("www.google.com".into(), Some("A".into()))]
        );
        assert_eq!(
            (stats.associations, stats.names, stats.no_answer),
            (3, 1, 2)
        );
    }

    #[test]
    fn answers_from_cache_count_each_time_they_are_sent() {
        let a = google_answers();
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let mut s = recursive_exchange();
        // Ten seconds later another client gets the cached answer: a new sighting of each.
        s.push_str(&dump("11/28/2015 3:26:56 PM 0A48 PACKET  0000000004B7B9D0 UDP Snd 192.168.1.7     0101 R Q [8081   DR  NOERROR] A      (3)www(6)google(3)com(0)", &a, ""));
        let (recs, _, errs) = run(&s);
        assert!(errs.is_empty(), "{errs:?}");
        let r = rows(&recs);
        assert_eq!(r.len(), 6);
        assert_eq!(
            r[3],
            row("www.google.com", "CNAME", "www.l.google.com", 300, T0 + 10)
        );
    }

    #[test]
    fn responses_logged_in_one_direction_only_still_yield_their_answers() {
        // "Outgoing" only: the Snd response to the client carries the answer.
        let a = google_answers();
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let snd = dump("11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Snd 192.168.1.100   8e0c R Q [8081   DR  NOERROR] A      (3)www(6)google(3)com(0)", &a, "");
        let (recs, _, errs) = run(&snd);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(rows(&recs).len(), 3);
        assert!(names(&recs).is_empty());
        // "Incoming" only: the Rcv response from the forwarder does.
        let rcv = dump("11/28/2015 3:26:46 PM 0A4C PACKET  0000000004D2E250 UDP Rcv 8.8.8.8         51f2 R Q [8081   DR  NOERROR] A      (3)www(6)google(3)com(0)", &a, OPT);
        let (recs, _, errs) = run(&rcv);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(rows(&recs).len(), 3);
    }

    #[test]
    fn one_line_packets_yield_one_sighting_per_client_transaction() {
        let log = "\
6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.161.60.71    5b47   Q [0001   D   NOERROR] A      (12)somecomputer(6)domain(3)com(0)
6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Snd 10.161.60.71    5b47 R Q [8081   DR  NOERROR] A      (12)somecomputer(6)domain(3)com(0)
6/5/2013 10:00:33 AM 0E70 PACKET  00000000033397A0 UDP Snd 10.161.60.72    0042 R Q [8385 A DR NXDOMAIN] AAAA   (4)nope(6)domain(3)com(0)
6/5/2013 10:00:34 AM 0E70 PACKET  00000000033397A0 UDP Snd 8.8.8.8         3434   Q [1001   D   NOERROR] A      (3)cdn(7)example(3)net(0)
6/5/2013 10:00:34 AM 0E70 PACKET  00000000033397A0 UDP Rcv 8.8.8.8         3434 R Q [8081   DR  NOERROR] A      (3)cdn(7)example(3)net(0)
6/5/2013 10:00:35 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.0.0.9        7822   U [0028       NOERROR] SOA    (4)home(4)gell(3)one(0)
";
        let (recs, stats, errs) = run(log);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(
            names(&recs),
            vec![
                ("somecomputer.domain.com".into(), Some("A".into())),
                ("nope.domain.com".into(), Some("AAAA".into())),
            ]
        );
        assert!(rows(&recs).is_empty());
        assert_eq!(stats.no_answer, 5);
    }

    #[test]
    fn a_query_repeated_with_another_question_is_not_paired() {
        let log = "\
6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.161.60.71    5b47   Q [0001   D   NOERROR] A      (1)a(3)com(0)
6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Snd 10.161.60.71    5b47 R Q [8081   DR  NOERROR] A      (1)b(3)com(0)
";
        let (recs, _, _) = run(log);
        assert_eq!(names(&recs).len(), 2);
    }

    fn when(line_head: &str) -> Result<i64, ErrorKind> {
        let line = format!("{line_head} 0A48 PACKET  0000000004B7B9D0 UDP Rcv 10.0.0.1 0001   Q [0001   D   NOERROR] A      (1)a(0)\n");
        let (recs, _, errs) = run(&line);
        match (recs.first(), errs.first()) {
            (Some(Record::Name(n)), _) => Ok(n.first_seen.secs()),
            (_, Some(e)) => Err(e.error.kind),
            _ => Err(ErrorKind::Syntax),
        }
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, mi, s))
            .map_or(0, |t| t.and_utc().timestamp())
    }

    #[test]
    fn dates_in_the_server_locales() {
        assert_eq!(
            when("11/28/2015 3:26:46 PM"),
            Ok(utc(2015, 11, 28, 15, 26, 46))
        );
        assert_eq!(when("7/15/2015 12:05:01 AM"), Ok(utc(2015, 7, 15, 0, 5, 1)));
        assert_eq!(
            when("7/15/2015 12:05:01 PM"),
            Ok(utc(2015, 7, 15, 12, 5, 1))
        );
        assert_eq!(
            when("22/12/2021 17:32:59"),
            Ok(utc(2021, 12, 22, 17, 32, 59))
        );
        // 24 h without designator and nothing learned yet: day first (en-GB, es, fr ...).
        assert_eq!(
            when("05/11/2021 17:32:59"),
            Ok(utc(2021, 11, 5, 17, 32, 59))
        );
        // With a designator: month first (en-US).
        assert_eq!(
            when("05/11/2021 5:32:59 PM"),
            Ok(utc(2021, 5, 11, 17, 32, 59))
        );
        // ja-JP (transcribed from a public Japanese write-up), sv-SE / ISO, Windows 2003.
        assert_eq!(
            when("2019/08/20 11:48:27"),
            Ok(utc(2019, 8, 20, 11, 48, 27))
        );
        assert_eq!(
            when("2019-08-20 11:48:27"),
            Ok(utc(2019, 8, 20, 11, 48, 27))
        );
        assert_eq!(when("20140816 16:08:57"), Ok(utc(2014, 8, 16, 16, 8, 57)));
        // de-DE, nl-NL, ko-KR (designator before the time).
        assert_eq!(
            when("05.11.2021 17:32:59"),
            Ok(utc(2021, 11, 5, 17, 32, 59))
        );
        assert_eq!(
            when("05-11-2021 17:32:59"),
            Ok(utc(2021, 11, 5, 17, 32, 59))
        );
        assert_eq!(
            when("2015-11-28 오후 3:26:46"),
            Ok(utc(2015, 11, 28, 15, 26, 46))
        );
        assert_eq!(when("13/13/2021 17:32:59"), Err(ErrorKind::Timestamp));
        assert_eq!(when("11/28/2015 3:26:46 XM"), Err(ErrorKind::Timestamp));
    }

    #[test]
    fn an_unambiguous_date_teaches_the_order_to_the_rest_of_the_file() {
        // en-AU: day first with AM/PM. The default for a designator is month first, until a
        // day over 12 shows the order.
        let log = "\
28/11/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Rcv 10.0.0.1 0001   Q [0001   D   NOERROR] A      (1)a(0)
05/12/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Rcv 10.0.0.1 0002   Q [0001   D   NOERROR] A      (1)b(0)
";
        let (recs, _, errs) = run(log);
        assert!(errs.is_empty(), "{errs:?}");
        let secs: Vec<i64> = recs
            .iter()
            .filter_map(|r| match r {
                Record::Name(n) => Some(n.first_seen.secs()),
                Record::Association(_) => None,
            })
            .collect();
        assert_eq!(
            secs,
            vec![utc(2015, 11, 28, 15, 26, 46), utc(2015, 12, 5, 15, 26, 46)]
        );
    }

    #[test]
    fn local_time_follows_the_zone_option() {
        let opts = ParseOptions {
            timezone: crate::TimeZone::Fixed(3600),
            ..ParseOptions::default()
        };
        let line = "11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Rcv 10.0.0.1 0001   Q [0001   D   NOERROR] A      (1)a(0)\n";
        let mut p = Parser::new(&opts);
        let mut out = Vec::new();
        assert!(p.line(line.trim_end().as_bytes(), 1, &mut out).is_ok());
        assert!(p.finish(&mut out).is_ok());
        let Some(Record::Name(n)) = out.first() else {
            panic!("no sighting: {out:?}")
        };
        assert_eq!(n.first_seen.secs(), T0 - 3600);
    }

    #[test]
    fn wire_names_decode_with_odd_bytes_escaped() {
        let d = |s: &[u8]| decode_name(s).map(|(n, _)| n);
        assert_eq!(d(b"(3)www(6)google(3)com(0)"), Ok("www.google.com".into()));
        assert_eq!(d(b"(0)"), Ok(".".into()));
        assert_eq!(
            d(b"[C00C](3)100(2)42(7)in-addr(4)arpa(0)"),
            Ok("100.42.in-addr.arpa".into())
        );
        assert_eq!(
            d(b"(11)twvmdcadc01[C054](2)tw(3)org(0)"),
            Ok("twvmdcadc01.tw.org".into())
        );
        // Labels holding parentheses, dots, spaces and high bytes.
        assert_eq!(d(b"(5)a(2)b(3)com(0)"), Ok("a(2)b.com".into()));
        assert_eq!(d(b"(3)a.b(3)com(0)"), Ok("a\\.b.com".into()));
        assert_eq!(d(b"(3)a b(3)com(0)"), Ok("a\\032b.com".into()));
        assert_eq!(d(b"(4)caf\xe9(3)com(0)"), Ok("caf\\233.com".into()));
        // A wrong length: the label runs to the next prefix.
        assert_eq!(d(b"(20)abc(3)com(0)"), Ok("abc.com".into()));
        // A length that fits is believed, even when the label looks like more labels.
        assert_eq!(d(b"(9)abc(3)com(0)"), Ok("abc(3)com".into()));
        assert_eq!(
            d(b".ns1.offeringsmislead.com."),
            Ok("ns1.offeringsmislead.com.".into())
        );
        assert!(d(b"(x)").is_err());
    }

    #[test]
    fn windows_1252_bytes_in_a_name_stay_the_wire_bytes() {
        let mut line = b"11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Rcv 10.0.0.1 0001   Q [0001   D   NOERROR] A      (4)caf".to_vec();
        line.extend_from_slice(b"\xe9(3)com(0)\r\n");
        let (recs, _, errs) = run_bytes(&line);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(
            names(&recs),
            vec![("caf\\233.com".into(), Some("A".into()))]
        );
    }

    fn utf16le(text: &str) -> Vec<u8> {
        let mut b = vec![0xff, 0xfe];
        for u in text.encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        b
    }

    #[test]
    fn utf16le_file_is_detected_and_read() {
        let mut text = recursive_exchange();
        text.push_str("11/28/2015 3:27:00 PM 0A48 PACKET  0000000004B7B9D0 UDP Rcv 192.168.1.100   8e0d   Q [0001   D   NOERROR] A      (4)caf\u{e9}(3)com(0)\r\n");
        let data = utf16le(&text);
        let recs = match parse_reader(
            std::io::Cursor::new(data),
            None,
            &ParseOptions::default(),
            "u16",
        ) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(recs.format(), Format::MsDns);
        let mut recs = recs;
        let all: Vec<Record> = recs.by_ref().filter_map(Result::ok).collect();
        assert_eq!(recs.stats().error_count(), 0);
        assert_eq!(rows(&all).len(), 3);
        // The é was one byte on the wire and one UTF-16 unit in the file: the same name as
        // when the file is ANSI.
        assert_eq!(names(&all)[1], ("caf\\233.com".into(), Some("A".into())));
    }

    #[test]
    fn record_types_read_from_their_data() {
        let answers = [
            rr("(4)mail(7)example(3)com(0)", "AAAA", 28, 300, "2001:0db8:0:0::1"),
            // MX as one line, and as continuation lines.
            rr("(7)example(3)com(0)", "MX", 15, 300, "10 (4)mail(7)example(3)com(0)"),
            format!("{}\t\tPreference = 20\r\n\t\tMailExchange: (5)mail2(7)example(3)com(0)\r\n", rr("(7)example(3)com(0)", "MX", 15, 300, "").trim_end_matches("\r\n").to_string() + "\r\n"),
            format!("{}\t\tPriority     = 0\r\n\t\tWeight       = 100\r\n\t\tPort         = 389\r\n\t\tTarget Host  (3)dc1(7)example(3)com(0)\r\n", rr("(5)_ldap(4)_tcp(7)example(3)com(0)", "SRV", 33, 600, "")),
            format!("{}\t\tPrimaryServer: (3)ns1[C00C](7)example(3)com(0)\r\n\t\tAdministrator: (10)hostmaster(7)example(3)com(0)\r\n\t\tSerialNo     = 40\r\n\t\tRefresh      = 900\r\n\t\tRetry        = 600\r\n\t\tExpire       = 86400\r\n\t\tMinimumTTL   = 3600\r\n", rr("(7)example(3)com(0)", "SOA", 6, 3600, "")),
            rr("(7)example(3)com(0)", "TXT", 16, 300, "(11)v=spf1 -all(5)hello"),
            rr("(7)example(3)com(0)", "NS", 2, 300, "(3)ns1(7)example(3)com(0)"),
            rr("(7)example(3)com(0)", "CAA", 257, 300, "0 issue \"letsencrypt.org\""),
        ];
        let answers: Vec<&str> = answers.iter().map(String::as_str).collect();
        let log = dump("11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Snd 10.0.0.1        8e0c R Q [8581 A DR  NOERROR] ANY    (7)example(3)com(0)", &answers, "");
        let (recs, _, errs) = run(&log);
        assert!(errs.is_empty(), "{errs:?}");
        let got: Vec<(String, String)> = rows(&recs).into_iter().map(|r| (r.1, r.2)).collect();
        let want = [
            ("AAAA", "2001:db8::1"),
            ("MX", "10 mail.example.com"),
            ("MX", "20 mail2.example.com"),
            ("SRV", "0 100 389 dc1.example.com"),
            (
                "SOA",
                "ns1.example.com hostmaster.example.com 40 900 600 86400 3600",
            ),
            ("TXT", "\"v=spf1 -all\" \"hello\""),
            ("NS", "ns1.example.com"),
            ("CAA", "0 issue \"letsencrypt.org\""),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_dump_cut_at_end_of_file_keeps_the_answers_read_in_full() {
        let a = google_answers();
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let full = dump("11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Snd 192.168.1.100   8e0c R Q [8081   DR  NOERROR] A      (3)www(6)google(3)com(0)", &a, "");
        // Cut inside the third answer, before its DATA line.
        let at = full.rfind("      DATA   142.250.1.2").unwrap_or(0);
        let (recs, stats, errs) = run(&full[..at]);
        assert_eq!(rows(&recs).len(), 2);
        assert_eq!(kinds(&errs), vec![(1, ErrorKind::Truncated)]);
        assert_eq!(stats.errors.get("truncated"), Some(&1));
        assert!(names(&recs).is_empty(), "answers were seen: no sighting");
    }

    #[test]
    fn a_dump_cut_by_the_next_packet_line_is_reported_and_the_rest_read() {
        let cut = "\
11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Snd 10.0.0.1        8e0c R Q [8081   DR  NOERROR] SOA    (7)example(3)com(0)
UDP response info at 0000000004B7B9D0
  Socket = 512
  Message:
    ACOUNT    1
    ARCOUNT   0
    QUESTION SECTION:
    Offset = 0x000c, RR count = 0
    Name      \"(7)example(3)com(0)\"
      QTYPE   SOA (6)
      QCLASS  1
    ANSWER SECTION:
    Offset = 0x0020, RR count = 0
    Name      \"[C00C](7)example(3)com(0)\"
      TYPE   SOA  (6)
      CLASS  1
      TTL    3600
      DLEN   46
      DATA   
\t\tPrimaryServer: (3)ns1[C00C](7)example(3)com(0)
\t\tAdministrator: (10)hostmaster(7)example(3)com(0)
\t\tSerialNo     = 40
11/28/2015 3:26:47 PM 0A48 PACKET  0000000004B7B9D0 UDP Rcv 10.0.0.2        8e0d   Q [0001   D   NOERROR] A      (3)www(7)example(3)com(0)
";
        let (recs, _, errs) = run(cut);
        // The SOA data was cut: not certain, not yielded.
        assert!(rows(&recs).is_empty());
        assert_eq!(kinds(&errs), vec![(1, ErrorKind::Truncated)]);
        assert_eq!(
            names(&recs),
            vec![
                ("example.com".into(), Some("SOA".into())),
                ("www.example.com".into(), Some("A".into())),
            ]
        );
        // Cut after its last field, the SOA is whole and is kept.
        let whole = cut.replace(
            "\t\tSerialNo     = 40\n",
            "\t\tSerialNo     = 40\n\t\tRefresh      = 900\n\t\tRetry        = 600\n\t\tExpire       = 86400\n\t\tMinimumTTL   = 3600\n",
        );
        let (recs, _, errs) = run(&whole);
        assert_eq!(rows(&recs).len(), 1);
        assert_eq!(kinds(&errs), vec![(1, ErrorKind::Truncated)]);
    }

    #[test]
    fn details_without_their_packet_line_are_skipped_with_one_error() {
        // As in a grep excerpt: a whole dump, the "--" separator, then the tail of another
        // dump starting at "Msg length".
        let a = google_answers();
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let first = dump("11/28/2015 3:26:46 PM 0A4C PACKET  0000000004D2E250 UDP Rcv 8.8.8.8         51f2 R Q [8081   DR  NOERROR] A      (3)www(6)google(3)com(0)", &a, OPT);
        let second = dump("11/28/2015 3:26:50 PM 0A4C PACKET  0000000004D2E250 UDP Rcv 8.8.8.8         51f3 R Q [8081   DR  NOERROR] A      (3)www(6)google(3)com(0)", &a, "");
        let tail_at = second.find("  Msg length").unwrap_or(0);
        let log = format!("{first}--\r\n{}", &second[tail_at..]);
        let (recs, _, errs) = run(&log);
        assert_eq!(rows(&recs).len(), 3, "only the dump with its packet line");
        let k = kinds(&errs);
        assert_eq!(k.len(), 2, "{errs:?}");
        assert_eq!(k[0].1, ErrorKind::Syntax, "the separator");
        assert_eq!(k[1].1, ErrorKind::Truncated, "the orphan tail");
        // The first dump cut short by the separator too (a grep excerpt that ends inside its
        // ANSWER SECTION): the dump is reported, and so is the tail after it.
        let cut = first.find("    AUTHORITY SECTION").unwrap_or(first.len());
        let log = format!("{}--\r\n{}", &first[..cut], &second[tail_at..]);
        let (recs, _, errs) = run(&log);
        assert_eq!(rows(&recs).len(), 3, "the answers read in full");
        let k = kinds(&errs);
        assert_eq!(k.len(), 2, "{errs:?}");
        assert_eq!(k[0], (1, ErrorKind::Truncated), "the cut dump");
        assert_eq!(k[1].1, ErrorKind::Truncated, "the orphan tail");
        assert!(k[1].0 > 1);
        // A file that starts in the middle of a dump.
        let (recs, _, errs) = run(&second[tail_at..]);
        assert!(recs.is_empty());
        assert_eq!(kinds(&errs), vec![(1, ErrorKind::Truncated)]);
    }

    #[test]
    fn other_contexts_and_headers_are_skipped() {
        let log = "\
DNS Server log file creation at 4/11/2026 3:29:00 PM
Log file wrap at 4/11/2026 3:29:00 PM

Message logging key (for packets - other items use a subset of these fields):
\tField #  Information         Values
\t  10     Query/Response      R = Response
\t                             blank = Query
4/11/2026 3:29:17 PM 0294 Note: got GQCS failure on a dead socket context status=995, socket=876
4/11/2026 3:29:17 PM 0294 PACKET  000002DAEC36D650 UDP Rcv 127.0.0.1       d07e   Q [0001   D   NOERROR] SOA    (4)home(4)gell(3)one(0)
4/11/2026 8:33:19 PM 0294 PACKET  000002DAECB28D10 UDP Snd 192.168.2.9     131a R Q [8081   DR  NOERROR] NS     (0)
";
        let (recs, stats, errs) = run(log);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(
            names(&recs),
            vec![
                ("home.gell.one".into(), Some("SOA".into())),
                (".".into(), Some("NS".into()))
            ]
        );
        assert_eq!(stats.no_answer, 2);
    }

    #[test]
    fn bad_packet_lines_are_typed_and_their_details_skipped() {
        let log = "\
11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Xyz 10.0.0.1 0001   Q [0001   D   NOERROR] A      (1)a(0)
UDP question info at 0000000004B7B9D0
  Socket = 512
11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Rcv 10.0.0.1 0001   Q [0001   D   NOERROR] A
11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Rcv 10.0.0.1 0001   Q [0001   D   NOERROR] A      (64)aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(3)com(0)
hello world
";
        let (recs, _, errs) = run(log);
        assert_eq!(
            kinds(&errs),
            vec![
                (1, ErrorKind::Syntax),
                (4, ErrorKind::Syntax),
                (5, ErrorKind::Name),
                (6, ErrorKind::Syntax)
            ]
        );
        assert!(recs.is_empty());
    }

    #[test]
    fn sniff_is_specific() {
        assert_eq!(
            sniff("DNS Server log file creation at 11/28/2015 3:26:41 PM\n"),
            100
        );
        assert_eq!(
            sniff(
                "\nMessage logging key (for packets - other items use a subset of these fields):\n"
            ),
            100
        );
        assert_eq!(
            sniff("6/5/2013 10:00:32 AM 0E70 PACKET  00000000033397A0 UDP Rcv 10.161.60.71    5b47   Q [0001   D   NOERROR] A      (12)somecomputer(6)domain(3)com(0)\n"),
            95
        );
        assert_eq!(
            sniff("  Msg length = 0x0054 (84)\n  Message:\nUDP response info at 00000000\n"),
            60
        );
        assert_eq!(sniff("29-Nov-2026 19:25:11.368 client @0x7f 10.0.0.1#5353 (a.com): query: a.com IN A +E(0)K (10.0.0.2)\n"), 0);
        assert_eq!(
            sniff("1458130003.61\twww.google.com\tA\t216.58.220.36\n"),
            0
        );
        assert_eq!(sniff("1448724406.123    12 10.0.0.1 TCP_MISS/200 1234 GET http://a.com/ - HIER_DIRECT/1.2.3.4 text/html\n"), 0);
    }

    /// The shortcuts taken for speed, each against the general reading it stands for.
    mod fast_paths {
        use super::*;
        use proptest::prelude::*;

        /// Bytes of dump and packet lines, white space of every kind, control and high bytes.
        fn line_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
            let common = prop::sample::select(
                b" \t\r\n\x0b\x0c\x00\x01\x1f!=\"()[]09aAfFgGzZ.:-/\\\x7f\x80\xe9\xff".to_vec(),
            );
            proptest::collection::vec(prop_oneof![3 => common, 1 => any::<u8>()], 0..max)
        }

        fn word() -> impl Strategy<Value = [u8; 8]> {
            let common = prop::sample::select(
                b"0123456789abcdefABCDEFgG@`[{/:\x00 \x7f\x80\xc1\xe6".to_vec(),
            );
            prop::array::uniform8(prop_oneof![3 => common, 1 => any::<u8>()])
        }

        /// `decode_name_into` with every label read by `label_step`, the general way.
        fn decode_general(s: &[u8]) -> Result<(String, usize), &'static str> {
            if !matches!(s.first(), Some(b'(' | b'[')) {
                return decode_name(s);
            }
            let (mut out, mut i) = (Vec::new(), 0);
            let end = loop {
                match label_step(s, i, &mut out)? {
                    Step::Next(j) => i = j,
                    Step::End(j) => break j,
                }
            };
            if out.is_empty() {
                out.push(b'.');
            }
            Ok((String::from_utf8_lossy(&out).into_owned(), end))
        }

        /// What each line yields (its result and records), read by `line` or, with `full`,
        /// every line the full way, as the driver hands them over (without `\n` or `\r\n`).
        fn read(data: &[u8], full: bool) -> Vec<String> {
            let mut p = Parser::new(&ParseOptions::default());
            let mut seen = Vec::new();
            for (i, raw) in data.split(|b| *b == b'\n').enumerate() {
                let line = raw.strip_suffix(b"\r").unwrap_or(raw);
                let mut out: Vec<Record> = Vec::new();
                let n = i as u64 + 1;
                let r = if full {
                    p.any_line(line, n, &mut out)
                } else {
                    p.line(line, n, &mut out)
                };
                seen.push(format!("{n} {r:?} {out:?}"));
            }
            let mut out: Vec<Record> = Vec::new();
            let r = p.finish(&mut out);
            seen.push(format!("end {r:?} {out:?}"));
            seen
        }

        /// Lines of real and hand-written dumps, whole and in pieces.
        fn dump_lines() -> Vec<Vec<u8>> {
            let mut text = Vec::new();
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/msdns");
            for f in [
                "msdns-2015-trendnet-detailed-records.log",
                "msdns-usiem-windns-readme-lines.log",
            ] {
                text.extend(std::fs::read(format!("{dir}/{f}")).unwrap_or_default());
            }
            text.extend(recursive_exchange().bytes());
            let a = google_answers();
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            text.extend(dump("11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Snd 192.168.1.100   8e0c R Q [8081   DR  NOERROR] A      (3)www(6)google(3)com(0)", &a, OPT).bytes());
            text.extend(dump("28/11/2015 15:26:47 0A48 PACKET  0000000004B7B9D0 TCP Snd 2001:db8::1     8e0d R Q [8081   DR  NOERROR] A      (3)www(6)google(3)com(0)", &a[..1], OPT).bytes());
            // Several additional records, as many as ARCOUNT says and one short.
            let glue: String = (1..=2)
                .map(|i| {
                    let name = format!("(3)ns{i}(7)example(3)com(0)");
                    let rr = rr(&name, "A", 1, 300, &format!("10.0.0.{i}"));
                    format!("    Offset = 0x00{i}0, RR count = {i}\r\n{rr}")
                })
                .collect();
            for count in ["ARCOUNT   3", "ARCOUNT   4"] {
                let d = dump("11/28/2015 3:26:48 PM 0A48 PACKET  0000000004B7B9D0 UDP Rcv 8.8.8.8         51f3 R Q [8081   DR  NOERROR] A      (3)www(6)google(3)com(0)", &a, &format!("{glue}{OPT}"));
                text.extend(d.replace("ARCOUNT   1", count).bytes());
            }
            text.split(|b| *b == b'\n')
                .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
                .collect()
        }

        #[test]
        fn lines_read_inline_read_as_the_full_way_reads_them() {
            let lines = dump_lines();
            let whole = lines.join(&b'\n');
            assert_eq!(read(&whole, false), read(&whole, true));
            // CRLF line ends, and lines ending with white space.
            let crlf = lines.join(&b"\r\n"[..]);
            assert_eq!(read(&crlf, false), read(&crlf, true));
            let padded = lines.join(&b" \n\t"[..]);
            assert_eq!(read(&padded, false), read(&padded, true));
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

            #[test]
            fn edited_dumps_read_inline_read_as_the_full_way_reads_them(
                start in any::<prop::sample::Index>(),
                len in 1usize..150,
                edits in proptest::collection::vec(
                    (any::<prop::sample::Index>(), any::<prop::sample::Index>(), line_bytes(6), 0usize..4),
                    0..12,
                ),
            ) {
                let lines = dump_lines();
                let from = start.index(lines.len());
                let mut picked: Vec<Vec<u8>> = lines.iter().cycle().skip(from).take(len).cloned().collect();
                for (which, at, bytes, how) in edits {
                    let l = which.get_mut(&mut picked);
                    let at = at.index(l.len() + 1);
                    match how {
                        0 => { l.splice(at..at, bytes); }
                        1 => { let end = (at + bytes.len()).min(l.len()); l.splice(at..end, bytes); }
                        2 => l.truncate(at),
                        _ => { let end = (at + bytes.len()).min(l.len()); l.drain(at..end); }
                    }
                }
                let data = picked.join(&b'\n');
                prop_assert_eq!(read(&data, false), read(&data, true));
            }

            #[test]
            fn words_and_spans_searched_at_once_as_byte_by_byte(s in line_bytes(40), b in any::<u8>()) {
                let lead = s.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(s.len());
                prop_assert_eq!(trim_start(&s), &s[lead..]);
                prop_assert_eq!(find_ws(&s), s.iter().position(u8::is_ascii_whitespace).unwrap_or(s.len()));
                prop_assert_eq!(find_byte(&s, b), s.iter().position(|c| *c == b));
                prop_assert_eq!(contains_byte(&s, b), s.contains(&b));
                prop_assert_eq!(
                    is_hex(&s),
                    !s.is_empty() && s.len() <= 16 && s.iter().all(u8::is_ascii_hexdigit)
                );
                let hex = (!s.is_empty() && s.len() <= 4 && s.iter().all(u8::is_ascii_hexdigit))
                    .then(|| u16::from_str_radix(std::str::from_utf8(&s).unwrap_or("x"), 16).ok())
                    .flatten();
                prop_assert_eq!(hex_u16(&s), hex);
            }

            #[test]
            fn eight_bytes_at_once_as_byte_by_byte(w in word()) {
                let x = u64::from_le_bytes(w);
                prop_assert_eq!(is_hex_word(x), w.iter().all(u8::is_ascii_hexdigit));
                prop_assert_eq!(ascii_lower_word(x).to_le_bytes(), w.map(|b| b.to_ascii_lowercase()));
            }

            #[test]
            fn question_digest_is_the_lower_cased_name_in_words(name in line_bytes(40)) {
                let mut h = Digest::default();
                for chunk in name.chunks(8) {
                    let mut w = [0u8; 8];
                    for (d, s) in w.iter_mut().zip(chunk) {
                        *d = s.to_ascii_lowercase();
                    }
                    h.add(u64::from_le_bytes(w));
                }
                None::<&[u8]>.hash(&mut h);
                prop_assert_eq!(question_hash(&name, None), h.finish());
            }

            #[test]
            fn addresses_read_as_the_standard_parser_reads_them(s in "[0-9.:a-fA-F%]{0,20}") {
                prop_assert_eq!(parse_ip(s.as_bytes()), s.parse::<IpAddr>().ok());
                if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                    prop_assert_eq!(dotted_quad(s.as_bytes()), s.parse::<Ipv4Addr>().ok());
                }
            }

            #[test]
            fn first_words_read_at_once_as_the_general_reading(
                indent in prop::sample::select(vec![" ", "  ", "    ", "      ", "       ", "        ", "\t", "\t\t", " \t", "\t ", "           "]),
                word in prop::sample::select(vec![
                    "XID", "Flags", "QR", "Z", "ARCOUNT", "ADCOUNT", "Message:", "QUESTION", "AUTHORITY",
                    "ADDITIONAL", "PREREQUISITE", "empty", "Offset", "Name", "TYPE", "CLASS", "TTL",
                    "DATA", "DLEN", "Socket", "Remote", "Time", "UDP", "PrimaryServer:", "SerialNo",
                    "Q\0R", "QR\x01", "\u{e9}t\u{e9}", "x",
                ]),
                rest in line_bytes(30),
            ) {
                let mut line = [indent.as_bytes(), word.as_bytes(), &rest].concat();
                while line.last().is_some_and(u8::is_ascii_whitespace) {
                    line.pop();
                }
                if let Some((start, end, key)) = indented_word(&line) {
                    let t = trim_start(&line);
                    prop_assert_eq!(start, line.len() - t.len());
                    prop_assert_eq!(end, find_ws(t));
                    prop_assert_eq!(classify_word(t, end, key), classify(t));
                }
            }

            #[test]
            fn common_labels_decode_as_the_general_reading(
                parts in proptest::collection::vec(
                    prop_oneof![
                        "\\([0-9]{1,3}\\)".prop_map(String::into_bytes),
                        "[a-z0-9-]{0,12}".prop_map(String::into_bytes),
                        Just(b"[C00C]".to_vec()),
                        Just(b"(0)".to_vec()),
                        line_bytes(4),
                    ],
                    0..10,
                ),
            ) {
                let s = parts.concat();
                prop_assert_eq!(decode_name(&s), decode_general(&s));
            }

            #[test]
            fn packet_lines_found_as_a_search_for_packet_finds_them(line in line_bytes(60), at in any::<prop::sample::Index>(), pad in 0usize..3) {
                // Lines with " PACKET " somewhere, and lines without.
                let mut l = line.clone();
                let at = at.index(l.len() + 1);
                if pad > 0 {
                    l.splice(at..at, b" PACKET ".iter().copied());
                }
                prop_assert_eq!(parse_packet(&l).is_some(), PACKET.find(&l).is_some());
            }
        }

        #[test]
        fn a_packet_line_with_a_tab_or_more_fields_is_read_as_before() {
            fn read(s: &str) -> Option<Result<(), &'static str>> {
                parse_packet(s.as_bytes()).map(|p| p.map(|_| ()))
            }
            assert_eq!(read("11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Snd 10.0.0.1  8e0c R Q [8081   DR  NOERROR] A      (3)www(0)"), Some(Ok(())));
            // A tab before PACKET: not the " PACKET " of a packet line.
            assert_eq!(read("11/28/2015 3:26:46 PM 0A48\tPACKET  0000000004B7B9D0 UDP Snd 10.0.0.1  8e0c R Q [8081 ] A (3)www(0)"), None);
            assert_eq!(
                read("1 2 3 4 5 6 PACKET UDP Snd 10.0.0.1 8e0c Q [0] A (1)a(0)"),
                Some(Err("too many fields before PACKET"))
            );
            assert_eq!(read("1 2 3 4 5 6 7 8"), None);
        }
    }

    mod never_panics {
        use super::*;
        use proptest::prelude::*;

        const PIECES: &[&str] = &[
            "11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Snd 10.0.0.1        8e0c R Q [8081   DR  NOERROR] A      (3)www(6)google(3)com(0)",
            "11/28/2015 3:26:46 PM 0A48 PACKET  0000000004B7B9D0 UDP Rcv 10.0.0.1        8e0c   Q [0001   D   NOERROR] A      (3)www(6)google(3)com(0)",
            "UDP response info at 0000000004B7B9D0", "  Socket = 512", "  Msg length = 0x0054 (84)",
            "  Message:", "    ARCOUNT   1", "    ACOUNT    2", "    QUESTION SECTION:", "    ANSWER SECTION:",
            "    AUTHORITY SECTION:", "    ADDITIONAL SECTION:", "      empty", "    Offset = 0x0020, RR count = 0",
            "    Name      \"[C00C](3)www(6)google(3)com(0)\"", "    Name      \"(99)x\"", "      TYPE   A  (1)",
            "      TYPE   SOA  (6)", "      TYPE   MX  (15)", "      TYPE   TXT  (16)", "      TYPE   ZZZ",
            "      CLASS  1", "      TTL    300", "      DATA   142.250.1.1", "      DATA   (3)www(0)",
            "      DATA   ", "\t\tPrimaryServer: (3)ns1(0)", "\t\tSerialNo     = 40", "--", "",
            "DNS Server log file creation at 11/28/2015 3:26:41 PM", "\t   1     Date",
        ];

        proptest! {
            #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

            #[test]
            fn shuffled_pieces_of_dumps(picks in proptest::collection::vec(any::<prop::sample::Index>(), 0..80),
                                        cut in any::<prop::sample::Index>()) {
                let mut text: Vec<u8> = Vec::new();
                for p in picks {
                    text.extend_from_slice(PIECES[p.index(PIECES.len())].as_bytes());
                    text.extend_from_slice(b"\r\n");
                }
                text.truncate(cut.index(text.len() + 1));
                let (recs, stats, errs) = run_bytes(&text);
                let assoc = recs.iter().filter(|r| matches!(r, Record::Association(_))).count() as u64;
                prop_assert_eq!(stats.associations, assoc);
                prop_assert_eq!(stats.error_count(), errs.len() as u64);
            }

            #[test]
            fn any_line(line in proptest::collection::vec(any::<u8>(), 0..300)) {
                let mut p = Parser::new(&ParseOptions::default());
                let mut out = Vec::new();
                let _ = p.line(&line, 1, &mut out);
                let _ = p.line(b"  Socket = 1", 2, &mut out);
                let _ = p.finish(&mut out);
                let _ = sniff(&String::from_utf8_lossy(&line));
            }
        }
    }
}

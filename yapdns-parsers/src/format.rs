//! The closed set of formats: adding one is one module in `formats/` and one arm here, and the
//! compiler lists every other place.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::formats::{self, FormatParser};
use crate::input::container::Wrapper;
use crate::options::ParseOptions;

/// A log format YAPDNS reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Format {
    /// BIND `named` query log (name sightings).
    Bind,
    /// DNS master-file text: zone files, `dig AXFR`, `named-compilezone -o -`.
    BindZone,
    /// Microsoft DNS Server debug log (`dns.log`).
    MsDns,
    /// Squid native `access.log`.
    Squid,
    /// Cuckoo / CAPE sandbox `report.json`.
    Cuckoo,
    /// The TSV of the old cuckoo-dnsdump reporting module.
    CuckooDnsdump,
    /// Thug honeyclient JSON log (name sightings).
    Thug,
    /// gamelinux PassiveDNS `||` text or JSON log, and its NXDOMAIN/error log.
    PassiveDns,
    /// dnsmasq `log-queries` log, its own file or through syslog.
    Dnsmasq,
    /// Unbound `log-queries` / `log-replies` / `log-local-actions` log (name sightings).
    Unbound,
    /// PowerDNS Recursor's own log with `quiet=no`, classic or logfmt (name sightings).
    PdnsRecursor,
    /// Suricata EVE JSON `dns` events (v1, v2 and v3).
    Suricata,
    /// dnstap in a Frame Streams file (BIND, Unbound, Knot, PowerDNS, CoreDNS).
    Dnstap,
    /// The text `dnstap-read` (BIND) and `dnstap-ldns` print from dnstap files.
    DnstapText,
    /// Passive DNS Common Output Format NDJSON (CIRCL, DNSDB API v1/v2, `dnsdbq -j`).
    Cof,
    /// dnsdbq's text (`-p text`) and CSV (`-p csv`) presentation of DNSDB results.
    Dnsdb,
    /// VirusTotal passive DNS resolutions (API v3 JSON).
    VirusTotal,
    /// Zeek (Bro) `dns.log`, TSV with `#fields` headers or JSON.
    Zeek,
}

impl Format {
    /// Every format, in the order `yapdns-agent formats` lists them.
    pub const ALL: &'static [Format] = &[
        Format::Bind,
        Format::BindZone,
        Format::MsDns,
        Format::Squid,
        Format::Cuckoo,
        Format::CuckooDnsdump,
        Format::Thug,
        Format::PassiveDns,
        Format::Dnsmasq,
        Format::Unbound,
        Format::PdnsRecursor,
        Format::Suricata,
        Format::Dnstap,
        Format::DnstapText,
        Format::Cof,
        Format::Dnsdb,
        Format::VirusTotal,
        Format::Zeek,
    ];

    /// The short name used on command lines, in configs and in `sources`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Bind => "bind",
            Format::BindZone => "bind-zone",
            Format::MsDns => "msdns",
            Format::Squid => "squid",
            Format::Cuckoo => "cuckoo",
            Format::CuckooDnsdump => "cuckoo-dnsdump",
            Format::Thug => "thug",
            Format::PassiveDns => "passivedns",
            Format::Dnsmasq => "dnsmasq",
            Format::Unbound => "unbound",
            Format::PdnsRecursor => "pdns-recursor",
            Format::Suricata => "suricata",
            Format::Dnstap => "dnstap",
            Format::DnstapText => "dnstap-text",
            Format::Cof => "cof",
            Format::Dnsdb => "dnsdb",
            Format::VirusTotal => "virustotal",
            Format::Zeek => "zeek",
        }
    }

    /// One line for `yapdns-agent formats`: what the format is and what it yields.
    pub fn description(self) -> &'static str {
        match self {
            Format::Bind => "BIND named query log (name sightings), and Infoblox NIOS response lines",
            Format::BindZone => {
                "DNS master-file text: zone files, dig AXFR, named-compilezone output"
            }
            Format::MsDns => "Microsoft DNS Server debug log (dns.log), packet lines and details",
            Format::Squid => "Squid native access.log: URL host and hierarchy peer address",
            Format::Cuckoo => "Cuckoo / CAPE sandbox report.json, network.dns section",
            Format::CuckooDnsdump => "cuckoo-dnsdump TSV: timestamp, domain, rtype, rdata",
            Format::Thug => "Thug honeyclient JSON log (name sightings: URLs carry no address)",
            Format::PassiveDns => {
                "gamelinux passivedns log, text or JSON (-j), and its NXDOMAIN/error log (-L)"
            }
            Format::Dnsmasq => {
                "dnsmasq log-queries log (file or syslog, =extra): answers, CNAME chains, queries"
            }
            Format::Unbound => {
                "Unbound query, reply and local-action log (name sightings: no answer data logged)"
            }
            Format::PdnsRecursor => {
                "PowerDNS Recursor quiet=no log, classic or logfmt (name sightings: no answer data)"
            }
            Format::Suricata => {
                "Suricata EVE JSON (eve.json) dns events, every version; other events skipped"
            }
            Format::Dnstap => {
                "dnstap Frame Streams file (BIND, Unbound, Knot, PowerDNS, CoreDNS): answers and queries"
            }
            Format::DnstapText => {
                "dnstap-read (-p, -y) and dnstap-ldns (-q, -y) text of dnstap files: answers where printed"
            }
            Format::Cof => {
                "Passive DNS Common Output Format NDJSON (CIRCL, DNSDB v1/v2 SAF, dnsdbq -j), own times"
            }
            Format::Dnsdb => {
                "dnsdbq text (-p text) and CSV (-p csv) output of DNSDB lookups, own times"
            }
            Format::VirusTotal => {
                "VirusTotal resolutions JSON (API v3 domain and IP resolutions, vt-cli)"
            }
            Format::Zeek => {
                "Zeek (Bro) dns.log, TSV with #fields headers or JSON, CNAME chains followed"
            }
        }
    }

    /// Other names accepted for the format.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Format::Bind => &["named", "bind-query", "bind9"],
            Format::BindZone => &["zone", "axfr", "master"],
            Format::MsDns => &["windows-dns", "microsoft-dns", "dns.log"],
            Format::Squid => &["squid-access"],
            Format::Cuckoo => &["cape", "cuckoo-report"],
            Format::CuckooDnsdump => &["dnsdump"],
            Format::Thug => &[],
            Format::PassiveDns => &["passive-dns", "gamelinux-passivedns", "pdns"],
            Format::Dnsmasq => &[],
            Format::Unbound => &[],
            Format::PdnsRecursor => &["powerdns-recursor", "pdns_recursor"],
            Format::Suricata => &["eve", "eve-json", "suricata-eve"],
            Format::Dnstap => &["fstrm", "frame-streams"],
            Format::DnstapText => &["dnstap-read", "dnstap-ldns"],
            Format::Cof => &["dnsdb-json", "dnsdb-saf", "circl-pdns"],
            Format::Dnsdb => &["dnsdbq", "dnsdb-text", "dnsdb-csv"],
            Format::VirusTotal => &["vt", "virustotal-resolutions"],
            Format::Zeek => &["bro", "zeek-dns", "bro-dns"],
        }
    }

    /// True for formats read as one whole document rather than line by line.
    pub fn is_document(self) -> bool {
        // An exhaustive match, so that a new format must answer.
        match self {
            // dnstap is binary: readers that cannot follow its frames (the agent's tailer) take
            // the file whole once it is stable; `Records` reads it frame by frame (`frames`).
            Format::Cuckoo | Format::Thug | Format::Dnstap | Format::VirusTotal => true,
            Format::Bind
            | Format::BindZone
            | Format::MsDns
            | Format::DnstapText
            | Format::Squid
            | Format::CuckooDnsdump
            | Format::PassiveDns
            | Format::Dnsmasq
            | Format::Unbound
            | Format::PdnsRecursor
            | Format::Suricata
            | Format::Cof
            | Format::Dnsdb
            | Format::Zeek => false,
        }
    }

    /// A fresh parser for one input.
    pub fn parser(self, opts: &ParseOptions) -> Box<dyn FormatParser> {
        match self {
            Format::Bind => Box::new(formats::bind::Parser::new(opts)),
            Format::BindZone => Box::new(formats::bind_zone::Parser::new(opts)),
            Format::MsDns => Box::new(formats::msdns::Parser::new(opts)),
            Format::Squid => Box::new(formats::squid::Parser::new(opts)),
            Format::Cuckoo => Box::new(formats::cuckoo::Parser::new(opts)),
            Format::CuckooDnsdump => Box::new(formats::cuckoo_dnsdump::Parser::new(opts)),
            Format::Thug => Box::new(formats::thug::Parser::new(opts)),
            Format::PassiveDns => Box::new(formats::passivedns::Parser::new(opts)),
            Format::Dnsmasq => Box::new(formats::dnsmasq::Parser::new(opts)),
            Format::Unbound => Box::new(formats::unbound::Parser::new(opts)),
            Format::PdnsRecursor => Box::new(formats::pdns_recursor::Parser::new(opts)),
            Format::Suricata => Box::new(formats::suricata::Parser::new(opts)),
            Format::Dnstap => Box::new(formats::dnstap::Parser::new(opts)),
            Format::DnstapText => Box::new(formats::dnstap_text::Parser::new(opts)),
            Format::Cof => Box::new(formats::cof::Parser::new(opts)),
            Format::Dnsdb => Box::new(formats::dnsdb::Parser::new(opts)),
            Format::VirusTotal => Box::new(formats::virustotal::Parser::new(opts)),
            Format::Zeek => Box::new(formats::zeek::Parser::new(opts)),
        }
    }

    /// How sure the format is that `sample` (up to the first 64 KiB of a file, decoded) is its own,
    /// from 0 (not mine) to 100 (certain).
    pub(crate) fn sniff(self, sample: &str) -> u8 {
        match self {
            Format::Bind => formats::bind::sniff(sample),
            Format::BindZone => formats::bind_zone::sniff(sample),
            Format::MsDns => formats::msdns::sniff(sample),
            Format::Squid => formats::squid::sniff(sample),
            Format::Cuckoo => formats::cuckoo::sniff(sample),
            Format::CuckooDnsdump => formats::cuckoo_dnsdump::sniff(sample),
            Format::Thug => formats::thug::sniff(sample),
            Format::PassiveDns => formats::passivedns::sniff(sample),
            Format::Dnsmasq => formats::dnsmasq::sniff(sample),
            Format::Unbound => formats::unbound::sniff(sample),
            Format::PdnsRecursor => formats::pdns_recursor::sniff(sample),
            Format::Suricata => formats::suricata::sniff(sample),
            Format::Dnstap => formats::dnstap::sniff(sample),
            Format::DnstapText => formats::dnstap_text::sniff(sample),
            Format::Cof => formats::cof::sniff(sample),
            Format::Dnsdb => formats::dnsdb::sniff(sample),
            Format::VirusTotal => formats::virustotal::sniff(sample),
            Format::Zeek => formats::zeek::sniff(sample),
        }
    }

    /// The frame splitter of binary formats that [`Records`](crate::Records) reads frame by
    /// frame (each frame handed to the parser's `line()` and counted as a line), or `None` for
    /// text formats. Such formats also answer `document()`, for readers that take a file whole.
    pub(crate) fn frames(self) -> Option<crate::input::FrameSplitter> {
        match self {
            Format::Dnstap => Some(formats::dnstap::frame_len),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Format::ALL
            .iter()
            .copied()
            .find(|f| {
                f.name().eq_ignore_ascii_case(t)
                    || f.aliases().iter().any(|a| a.eq_ignore_ascii_case(t))
            })
            .ok_or_else(|| Error::UnknownFormat(s.to_string()))
    }
}

/// Picks the format of a file from its first bytes (up to 64 KiB is plenty), or `None` when no
/// format recognises them. A container runtime's log ([`Wrapper`]) is judged by the lines the
/// program wrote, as the parsers then read them.
///
/// ```
/// use yapdns_parsers::{detect, Format};
/// let tsv = b"1458130003.61\twww.google.com\tA\t216.58.220.36\n";
/// assert_eq!(detect(tsv), Some(Format::CuckooDnsdump));
/// assert_eq!(detect(b"hello world\n"), None);
/// let cri = b"2016-03-16T12:06:43.61Z stdout F 1458130003.61\twww.google.com\tA\t216.58.220.36\n";
/// assert_eq!(detect(cri), Some(Format::CuckooDnsdump));
/// ```
pub fn detect(sample: &[u8]) -> Option<Format> {
    match Wrapper::detect(sample) {
        Some(w) => detect_text(&w.unwrap_sample(sample)),
        None => detect_text(sample),
    }
}

fn detect_text(sample: &[u8]) -> Option<Format> {
    // Cut at the last complete line so a partial line at the end of the sample does not
    // mislead line formats.
    let end = match memchr::memrchr(b'\n', sample) {
        Some(i) if i + 1 < sample.len() && sample.len() >= 4096 => i + 1,
        _ => sample.len(),
    };
    let text = crate::input::text(&sample[..end]);
    let mut best: Option<(u8, Format)> = None;
    for &f in Format::ALL {
        let score = f.sniff(&text);
        if score > 0 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, f));
        }
    }
    best.map(|(_, f)| f)
}

/// The first `n` lines of `sample` that are not blank, for sniffers.
pub(crate) fn first_lines(sample: &str, n: usize) -> impl Iterator<Item = &str> {
    sample
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .take(n)
}

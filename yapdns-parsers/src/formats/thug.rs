//! Thug honeyclient JSON log (`analysis/json/analysis.json`): the hosts of the URLs Thug
//! visited, as name sightings.
//!
//! Grammar (JSON, as `thug/Logging/modules/JSON.py` writes it with `json.dump(indent=4)`; only
//! the members used are shown, everything else is skipped unread):
//!
//! ```text
//! log         = { "url": url / null, "timestamp": py-time, "logtype": "json-log",
//!                 "connections": [ connection* ], "locations": [ location* ],
//!                 "behavior": [ behavior* ], … }
//! connection  = { "source": url, "destination": url, "method": text, "flags": {…} }
//! location    = { "url": url, "content": …, "status": …, "md5": …, … }
//! behavior    = { "description": text, "timestamp": py-time, … }
//! py-time     = "YYYY-MM-DD HH:MM:SS[.ffffff]"      ; str(datetime.now()): local, no zone
//! ```
//!
//! What it yields: a [`NameSighting`] (no record type) for the host of the analysed `url`, of
//! every connection's `source` and `destination` and of every location's `url` — one per host
//! and document, first and last seen spanning the times it was seen at, counted once per
//! distinct URL naming it. Thug never logs the addresses it connected to (name resolution is
//! left to the HTTP library and not recorded), so a Thug log yields no association; the
//! document's outcome is [`Outcome::NoAnswer`].
//!
//! Time: Thug writes naive local times, read with the time-zone rule of [`ParseOptions`]. A
//! connection takes the time of its own behavior entry — `log_connection` writes one just
//! before it, described `"<source> -- <method> --> <destination>"` (with an `[Exploit] ` prefix
//! for exploits; older versions put two spaces after it). A location takes the time of its
//! fetch: `Navigator.fetch` writes `"[HTTP] URL: <url> (Content-type: …)"` just before
//! `log_location`, naming the URL the content came from, and `"[HTTP] URL: <url> (Status: …)"`
//! for the URL asked for; the first unused entry of either, in that order, dates it (a page
//! fetched twice is two locations and two entries). Anything else takes the log's `timestamp`,
//! the start of the analysis. A log without a readable `timestamp` uses its earliest behavior
//! time; with no time at all it yields nothing and reports a timestamp error.
//!
//! What it cannot yield: addresses, record types, and hosts that are IP literals (an IP
//! involves no DNS). URLs without a host (`about:blank`, `data:`, `javascript:`, relative
//! references) are passed over; a host that is not a valid domain name is an error of the
//! document, which still yields every other host (see [`crate::formats::cuckoo`] for the rule).

use std::collections::{HashMap, HashSet};

use yapdns_core::{normalize_name, NameSighting, SourceTag, Timestamp};

use crate::error::{ErrorKind, ParseError};
use crate::formats::cuckoo::{has_key, json_object, offset_of, parse_json, Errors, List, Scalar};
use crate::formats::cuckoo_dnsdump::timestamp as text_time;
use crate::formats::squid::{host_text, url_host, Host};
use crate::formats::FormatParser;
use crate::options::ParseOptions;
use crate::record::{Emit, Outcome, Record};

/// Parser state: the options (for the zone of Thug's local times) and the source tag.
pub struct Parser {
    opts: ParseOptions,
    source: SourceTag,
    /// The bad items of the last document after the first, for `more_errors`.
    more: Vec<ParseError>,
}

impl Parser {
    /// A parser tagging records with the sensor of `opts`.
    pub fn new(opts: &ParseOptions) -> Parser {
        Parser {
            opts: opts.clone(),
            source: SourceTag::new("thug", opts.sensor.as_deref()),
            more: Vec::new(),
        }
    }
}

json_object!(
    /// The log's top level.
    Log {
        url: Scalar<'a> = "url",
        timestamp: Scalar<'a> = "timestamp",
        connections: List<Connection<'a>> = "connections",
        locations: List<Location<'a>> = "locations",
        behavior: List<Behavior<'a>> = "behavior",
    }
);

json_object!(
    /// A link, redirect or frame from one page to another.
    Connection {
        source: Scalar<'a> = "source",
        destination: Scalar<'a> = "destination",
        method: Scalar<'a> = "method",
    }
);

json_object!(
    /// A URL Thug fetched.
    Location {
        url: Scalar<'a> = "url",
    }
);

json_object!(
    /// A behavior entry: what happened, and when.
    Behavior {
        description: Scalar<'a> = "description",
        timestamp: Scalar<'a> = "timestamp",
    }
);

/// One host, merged over the document.
struct Seen<'a> {
    sighting: NameSighting,
    /// The distinct URLs naming the host.
    urls: HashSet<&'a str>,
}

impl FormatParser for Parser {
    fn line(&mut self, _line: &[u8], n: u64, _out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        Err(ParseError::new(
            n,
            ErrorKind::Syntax,
            "a Thug log is read as a whole document",
        ))
    }

    fn more_errors(&mut self) -> Vec<ParseError> {
        std::mem::take(&mut self.more)
    }

    fn document(&mut self, data: &[u8], out: &mut dyn Emit) -> Result<Outcome, ParseError> {
        let mut decoded = None;
        let (log, base): (Log<'_>, &[u8]) = parse_json(data, &mut decoded)?;
        if !log.is_object {
            return Err(ParseError::new(
                1,
                ErrorKind::Json,
                "a Thug log is a JSON object",
            ));
        }
        let time_of = |s: &Scalar<'_>| s.as_str().and_then(|t| text_time(t, &self.opts));

        // The behavior entries written by `log_connection`, by description, in order.
        let mut behavior: HashMap<&str, Vec<Option<Timestamp>>> = HashMap::new();
        for b in log.behavior.items() {
            if let Some(d) = b.description.as_str() {
                behavior.entry(d).or_default().push(time_of(&b.timestamp));
            }
        }
        // The fetches `Navigator.fetch` describes, by URL, in order: the `Content-type` entry
        // names the URL the content came from (after redirects), as `log_location` then logs
        // it; the `Status` entry the URL asked for.
        let mut fetched: HashMap<&str, Vec<Option<Timestamp>>> = HashMap::new();
        let mut asked: HashMap<&str, Vec<Option<Timestamp>>> = HashMap::new();
        for b in log.behavior.items() {
            let Some(rest) = b
                .description
                .as_str()
                .and_then(|d| d.strip_prefix("[HTTP] URL: "))
            else {
                continue;
            };
            let (map, url) = if let Some(i) = rest.rfind(" (Content-type: ") {
                (&mut fetched, rest.get(..i))
            } else if let Some(i) = rest.rfind(" (Status: ") {
                (&mut asked, rest.get(..i))
            } else {
                continue;
            };
            if let Some(url) = url {
                map.entry(url).or_default().push(time_of(&b.timestamp));
            }
        }
        for times in behavior
            .values_mut()
            .chain(fetched.values_mut())
            .chain(asked.values_mut())
        {
            times.reverse();
        }
        let earliest = log
            .behavior
            .items()
            .iter()
            .filter_map(|b| time_of(&b.timestamp))
            .min();
        let start = time_of(&log.timestamp).or(earliest);

        let mut errors = Errors::default();
        for (name, list) in [
            ("connections", log.connections.is_invalid()),
            ("locations", log.locations.is_invalid()),
            ("behavior", log.behavior.is_invalid()),
        ] {
            if list {
                errors.push(
                    ParseError::new(1, ErrorKind::Json, format!("\"{name}\" is not a list")),
                    None,
                );
            }
        }

        // Every URL with the time it was seen at, if it has its own.
        let mut urls: Vec<(&str, Option<Timestamp>)> = Vec::new();
        urls.extend(log.url.as_str().map(|u| (u, None)));
        for c in log.connections.items() {
            if !c.is_object {
                errors.push(
                    ParseError::new(1, ErrorKind::Json, "a connection is not an object"),
                    None,
                );
                continue;
            }
            let at = match (c.source.as_str(), c.method.as_str(), c.destination.as_str()) {
                (Some(s), Some(m), Some(d)) => {
                    let desc = format!("{s} -- {m} --> {d}");
                    // Thug marks an exploit's connection `[Exploit] ` (6.x), or with two
                    // spaces (older versions).
                    take_time(&mut behavior, &desc)
                        .or_else(|| take_time(&mut behavior, &format!("[Exploit] {desc}")))
                        .or_else(|| take_time(&mut behavior, &format!("[Exploit]  {desc}")))
                }
                _ => None,
            };
            urls.extend(c.source.as_str().map(|u| (u, at)));
            urls.extend(c.destination.as_str().map(|u| (u, at)));
        }
        for l in log.locations.items() {
            if !l.is_object {
                errors.push(
                    ParseError::new(1, ErrorKind::Json, "a location is not an object"),
                    None,
                );
                continue;
            }
            // A location is dated by its fetch, where the behavior entries name it.
            urls.extend(l.url.as_str().map(|u| {
                let at = take_time(&mut fetched, u).or_else(|| take_time(&mut asked, u));
                (u, at)
            }));
        }

        let mut seen: Vec<Seen<'_>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (u, at) in urls {
            self.note(u, at.or(start), base, &mut seen, &mut index, &mut errors);
        }
        let sighted = !seen.is_empty();
        for s in seen {
            out.push(Record::Name(s.sighting));
        }
        let outcome = if sighted {
            Outcome::NoAnswer
        } else {
            Outcome::Skipped
        };
        errors.finish(base, outcome, &mut self.more)
    }
}

/// The time of the next unused behavior entry described `desc`.
fn take_time(
    behavior: &mut HashMap<&str, Vec<Option<Timestamp>>>,
    desc: &str,
) -> Option<Timestamp> {
    behavior.get_mut(desc).and_then(Vec::pop).flatten()
}

impl Parser {
    /// Adds the host of `url`, seen at `at`, to the document's sightings.
    fn note<'a>(
        &self,
        url: &'a str,
        at: Option<Timestamp>,
        base: &[u8],
        seen: &mut Vec<Seen<'a>>,
        index: &mut HashMap<String, usize>,
        errors: &mut Errors,
    ) {
        let here = offset_of(base, url);
        let raw = match url_host(url.trim().as_bytes(), false) {
            Host::Name(h) => h,
            Host::Ip | Host::None => return,
        };
        let name = match host_text(raw) {
            Some(h) => normalize_name(&h).map_err(|e| ParseError::from_core(0, e)),
            None => Err(ParseError::new(
                0,
                ErrorKind::Name,
                format!("URL {url}: host is not UTF-8"),
            )),
        };
        let name = match name {
            Ok(n) => n,
            Err(e) => return errors.push(e, here),
        };
        let Some(at) = at else {
            return errors.push(
                ParseError::new(
                    0,
                    ErrorKind::Timestamp,
                    "the log has no readable timestamp (neither its own nor a behavior entry's)",
                ),
                here,
            );
        };
        if let Some(&i) = index.get(&name) {
            if let Some(s) = seen.get_mut(i) {
                s.sighting.first_seen = s.sighting.first_seen.min(at);
                s.sighting.last_seen = s.sighting.last_seen.max(at);
                if s.urls.insert(url) {
                    s.sighting.count += 1;
                }
            }
            return;
        }
        match NameSighting::new(&name, None, at, self.source.clone()) {
            Ok(sighting) => {
                index.insert(name, seen.len());
                seen.push(Seen {
                    sighting,
                    urls: HashSet::from([url]),
                });
            }
            Err(e) => errors.push(ParseError::from_core(0, e), here),
        }
    }
}

/// Certain when the sample opens a JSON object with Thug's `"logtype": "json-log"`; likely
/// when it has Thug's `thug`/`personality` block or its `connections`/`locations` lists.
pub fn sniff(sample: &str) -> u8 {
    let t = sample.trim_start();
    if !t.starts_with('{') {
        return 0;
    }
    let b = t.as_bytes();
    let logtype = memchr::memmem::find_iter(b, b"\"logtype\"").any(|i| {
        let rest = b.get(i + 9..).unwrap_or_default();
        let rest = trim_json(rest);
        rest.strip_prefix(b":".as_slice())
            .map(trim_json)
            .is_some_and(|r| r.starts_with(b"\"json-log\""))
    });
    if logtype {
        return 95;
    }
    if has_key(t, "thug") && has_key(t, "personality") {
        return 90;
    }
    if has_key(t, "connections") && has_key(t, "locations") && has_key(t, "behavior") {
        return 70;
    }
    0
}

fn trim_json(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    b.get(start..).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::{parse_str, parse_str_with, Format};

    fn names(json: &str) -> (Vec<String>, crate::Stats) {
        let (r, s) = parse_str(Format::Thug, json);
        let v = r
            .iter()
            .map(|r| match r {
                Record::Name(n) => format!(
                    "{} {} {} {}",
                    n.rrname,
                    n.first_seen.millis(),
                    n.last_seen.millis(),
                    n.count
                ),
                Record::Association(_) => panic!("Thug yields no association"),
            })
            .collect();
        (v, s)
    }

    #[test]
    fn hosts_of_every_url_field() {
        let (r, s) = names(
            r#"{
    "url": "http://Start.example.test/index.html",
    "timestamp": "2026-11-29 19:24:38.043900",
    "logtype": "json-log",
    "behavior": [
        {"description": "http://start.example.test/index.html -- iframe --> http://ads.example.test/f", "cve": "", "snippet": "", "method": "Dynamic Analysis", "timestamp": "2026-11-29 19:24:40.000001"},
        {"description": "[Exploit]  http://ads.example.test/f -- href --> http://198.51.100.7/x.exe", "cve": "", "snippet": "", "method": "Dynamic Analysis", "timestamp": "2026-11-29 19:24:41"}
    ],
    "code": [],
    "connections": [
        {"source": "http://start.example.test/index.html", "destination": "http://ads.example.test/f", "method": "iframe", "flags": {}},
        {"source": "http://ads.example.test/f", "destination": "http://198.51.100.7/x.exe", "method": "href", "flags": {"exploit": true}}
    ],
    "locations": [
        {"url": "http://start.example.test/index.html", "content": "NOT AVAILABLE", "status": 200, "content-type": "text/html", "md5": "x", "sha256": "y", "flags": {}, "size": 10, "mimetype": "text/html"},
        {"url": "https://user@ads.example.test:8443/f?x=1", "content": "NOT AVAILABLE"},
        {"url": "about:blank"},
        {"url": "data:text/html,hi"}
    ]
}"#,
        );
        assert_eq!(
            r,
            [
                "start.example.test 1795980278043 1795980280000 2",
                "ads.example.test 1795980278043 1795980281000 2"
            ]
        );
        assert_eq!((s.names, s.no_answer, s.error_count()), (2, 1, 0));
    }

    /// Thug 6.22's entries, as `Navigator.fetch` and `log_connection` write them: a location is
    /// dated by its `Content-type` entry (the URL the content came from), else by its `Status`
    /// entry; an exploit's connection by its one-space `[Exploit] ` entry.
    #[test]
    fn locations_take_their_fetch_and_exploits_their_entry() {
        let (r, s) = names(
            r#"{
    "url": "http://a.test/",
    "timestamp": "2026-11-29 19:24:38.000000",
    "behavior": [
        {"description": "[HTTP] URL: http://a.test/ (Status: 200,  Referer: None)", "timestamp": "2026-11-29 19:24:39.000000"},
        {"description": "[HTTP] URL: http://a.test/ (Content-type: text/html, MD5: x)", "timestamp": "2026-11-29 19:24:40.000000"},
        {"description": "[Exploit] http://a.test/ -- iframe --> http://x.test/e", "timestamp": "2026-11-29 19:24:41.000000"},
        {"description": "[HTTP] URL: http://late.test/p (Status: 200,  Referer: http://a.test/)", "timestamp": "2026-11-29 19:24:45.000000"},
        {"description": "[HTTP] URL: http://late.test/p (Status: 200,  Referer: http://a.test/)", "timestamp": "2026-11-29 19:24:50.000000"}
    ],
    "connections": [
        {"source": "http://a.test/", "destination": "http://x.test/e", "method": "iframe", "flags": {"exploit": true}}
    ],
    "locations": [
        {"url": "http://a.test/"},
        {"url": "http://late.test/p"},
        {"url": "http://late.test/p"},
        {"url": "http://never.test/"}
    ]
}"#,
        );
        assert_eq!(
            r,
            [
                "a.test 1795980278000 1795980281000 1",
                "x.test 1795980281000 1795980281000 1",
                "late.test 1795980285000 1795980290000 1",
                "never.test 1795980278000 1795980278000 1"
            ]
        );
        assert_eq!(s.error_count(), 0);
    }

    #[test]
    fn local_time_rule_applies() {
        let json = r#"{"url": "http://a.test/", "timestamp": "2026-11-29 19:24:38", "logtype": "json-log", "connections": [], "locations": []}"#;
        let opts = ParseOptions {
            timezone: "+01:00".parse().unwrap(),
            ..Default::default()
        };
        let (r, _) = parse_str_with(Format::Thug, json, &opts);
        let Record::Name(n) = &r[0] else { panic!() };
        assert_eq!(n.first_seen.secs(), 1_795_980_278 - 3600);
    }

    #[test]
    fn errors_keep_the_good_hosts() {
        let (r, s) = names(
            "{\"url\": \"http://a..b/\", \"timestamp\": \"2026-11-29 19:24:38\",\n \"connections\": 5, \"locations\": [{\"url\": \"http://ok.test/\"}, 7, {\"url\": \"http://bad%FF.test/\"}]}",
        );
        assert_eq!(r, ["ok.test 1795980278000 1795980278000 1"]);
        // Every bad item is an error of its own: `connections` not a list, `a..b`, the 7,
        // and `bad%FF`.
        assert_eq!(s.error_count(), 4, "{s:?}");
        let doc = "{\"url\": \"http://a..b/\", \"timestamp\": \"2026-11-29 19:24:38\", \"connections\": 5, \"locations\": [7, {\"url\": \"http://bad%FF.test/\"}]}";
        let errs: Vec<_> =
            crate::Records::new(doc.as_bytes(), Format::Thug, &ParseOptions::default(), "t")
                .filter_map(Result::err)
                .collect();
        assert_eq!(errs.len(), 4, "{errs:?}");
        let (r, s) = names(r#"{"url": "http://a.test/", "connections": [], "locations": []}"#);
        assert!(r.is_empty());
        assert_eq!(s.errors["timestamp"], 1);
        let (_, s) = names("[]");
        assert_eq!(s.errors["json"], 1);
        let (r, s) =
            names(r#"{"url": null, "timestamp": "2026-11-29 19:24:38", "logtype": "json-log"}"#);
        assert!(r.is_empty());
        assert_eq!(s.skipped, 1);
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff("{\n    \"url\": \"http://a.test/\",\n    \"timestamp\": \"2026-11-29 19:24:38\",\n    \"logtype\": \"json-log\",\n"), 95);
        assert_eq!(
            sniff("{\"thug\": {\"version\": \"1\", \"personality\": {}}}"),
            90
        );
        assert_eq!(sniff("{\"network\": {\"dns\": []}}"), 0);
        assert_eq!(sniff("url logtype json-log"), 0);
    }
}

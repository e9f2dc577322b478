//! The conformance battery: what every backend must answer, record for record.
//!
//! Each test is an `async fn(&Store)` written once; [`conformance!`] stamps them out as
//! `#[tokio::test]`s for one backend (hickory-dns's zone-handler battery does the same). Most
//! tests compare the backend with [`yapdns_store::semantics`], the in-memory statement of the
//! query rules, and also with expectations written out by hand, so a mistake shared by the
//! reference and a backend still shows.

use std::collections::BTreeSet;

use yapdns_core::{
    Aggregator, Association, Batch, BatchId, IpFilter, Lookup, NamePattern, NameQuery,
    NameSighting, Page, QueryRequest, RrType, Sink, SourceTag, Sources, TimeFence, Timestamp,
};
use yapdns_store::{semantics, Error, Registry, Role, Store};

/// Stamps the battery out for one backend: `conformance!(name, fixture)` where `fixture` is
/// an `async fn() -> Option<Fixture>` (`None` = backend not available, test skipped). Add
/// `registry` after the fixture for backends that keep the server's registry.
macro_rules! conformance {
    ($backend:ident, $fixture:path $(, $group:ident)*) => {
        mod $backend {
            conformance!(@tests $fixture;
                rrset_exact, rrset_left_wildcard, rrset_right_wildcard, rrtype_filter_and_any,
                rdata_name_lookups, rdata_ip_ipv4, rdata_ip_ipv6, time_fences_absolute,
                time_fences_relative, bailiwick_filter, paging_order_and_truncation,
                order_uses_milliseconds_then_key, summaries, name_sightings, stats_figures,
                merge_matches_aggregator, merge_rules_ttl_bailiwick_sources,
                counts_saturate_at_i64_max, batch_id_is_idempotent,
                refused_batch_leaves_no_trace, concurrent_writers_merge, retention,
                edge_idn, edge_long_name_and_big_rdata, edge_txt_quotes_and_spaces,
                edge_unknown_rrtypes, edge_cname_chain, empty_store_and_empty_batch,
                invalid_queries_are_refused);
            $( conformance!(@group $group $fixture); )*
        }
    };
    (@group registry $fixture:path) => {
        conformance!(@tests $fixture; registry_api_clients, registry_dashboard_users);
    };
    (@tests $fixture:path; $($test:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $test() {
                if let Some(fx) = $fixture().await {
                    crate::battery::$test(&fx.store).await;
                    fx.finish().await;
                }
            }
        )*
    };
}

/// All corpus times are seconds after this instant (2023-11-14T22:13:20Z).
pub const T0: i64 = 1_700_000_000;

pub fn tag(format: &str, sensor: Option<&str>) -> SourceTag {
    SourceTag::new(format.to_string(), sensor)
}

/// An association seen from `first` to `last`, in seconds after [`T0`], once, by `bind`.
pub fn rec(name: &str, rrtype: &str, rdata: &str, first: i64, last: i64) -> Association {
    let t: RrType = rrtype.parse().unwrap();
    let mut a = Association::new(
        name,
        t,
        rdata,
        Timestamp::from_secs(T0 + first),
        tag("bind", None),
    )
    .unwrap();
    a.last_seen = Timestamp::from_secs(T0 + last);
    a
}

/// Builder-style tweaks for test records.
pub trait Tweak: Sized {
    fn count(self, n: u64) -> Self;
    fn src(self, t: SourceTag) -> Self;
    fn ttl(self, t: u32) -> Self;
    fn bw(self, b: &str) -> Self;
    fn last_ms(self, ms: i64) -> Self;
}

impl Tweak for Association {
    fn count(mut self, n: u64) -> Self {
        self.count = n;
        self
    }
    fn src(mut self, t: SourceTag) -> Self {
        self.sources = Sources::one(t);
        self
    }
    fn ttl(self, t: u32) -> Self {
        self.with_ttl(Some(t))
    }
    fn bw(self, b: &str) -> Self {
        self.with_bailiwick(b).unwrap()
    }
    fn last_ms(mut self, ms: i64) -> Self {
        self.last_seen = Timestamp::from_millis(ms);
        self
    }
}

/// The shared corpus: every query form has hits and near misses in it.
pub fn corpus() -> Vec<Association> {
    let squid = tag("squid", Some("proxy-1"));
    let ns1 = tag("bind", Some("ns1"));
    let cuckoo = tag("cuckoo", None);
    vec![
        rec("www.example.com", "A", "192.0.2.1", 0, 5000)
            .count(7)
            .src(squid.clone())
            .ttl(300),
        // The same key again: merged inside the batch.
        rec("www.example.com", "A", "192.0.2.1", 2000, 2500)
            .src(ns1.clone())
            .ttl(3600),
        rec("www.example.com", "A", "192.0.2.2", 100, 4000),
        rec("www.example.com", "AAAA", "2001:db8::1", 200, 4000),
        rec("example.com", "A", "192.0.2.10", 0, 3000),
        rec("example.com", "NS", "ns1.example.net", 0, 9000).bw("com"),
        rec("example.com", "NS", "ns2.example.net", 0, 9000).bw("com"),
        rec("example.com", "MX", "10 mail.example.com", 50, 2500),
        rec("example.com", "TXT", "\"v=spf1 -all\"", 60, 2500),
        rec(
            "example.com",
            "SOA",
            "ns1.example.net hostmaster.example.com 2023111401 7200 3600 1209600 300",
            0,
            9000,
        )
        .bw("example.com"),
        rec("mail.example.com", "A", "192.0.2.25", 10, 2000).src(cuckoo.clone()),
        rec("a.b.example.com", "CNAME", "www.example.com", 300, 3500),
        rec(
            "_sip._tcp.example.com",
            "SRV",
            "0 5 5060 sip.example.net",
            400,
            1500,
        ),
        rec("d.example.com", "DNAME", "example.net", 500, 1500),
        rec("1.2.0.192.in-addr.arpa", "PTR", "www.example.com", 0, 600),
        rec("notexample.com", "A", "192.0.2.1", 0, 700),
        rec("example.com.evil.test", "A", "198.51.100.7", 0, 800),
        rec("www.example.org", "A", "198.51.100.9", 1000, 1000),
        rec("www.example.org", "A", "198.51.100.10", 1000, 1000),
        rec("www.example.org", "A", "198.51.100.15", 1000, 1000),
        rec("www.example.org", "A", "198.51.100.20", 1000, 1000),
        rec("www.example.org", "A", "198.51.100.21", 1000, 1000),
        rec("www.example.net", "A", "198.51.101.0", 1000, 1000),
        rec("www.example.co.uk", "A", "198.51.100.255", 900, 1000),
        rec("www.examples.com", "A", "203.0.113.1", 0, 1000),
        rec("www.example", "A", "203.0.113.2", 0, 1000),
        rec("mx2.example.org", "MX", "mail.example.net", 0, 1100),
        rec("host6.example.com", "AAAA", "2001:db8:0:1::5", 0, 1200),
        rec("host6.example.com", "AAAA", "2001:db8:ffff::1", 0, 1200),
        rec("mapped.example.com", "AAAA", "::ffff:192.0.2.1", 0, 1200),
        rec("v6.example.org", "AAAA", "2001:db9::1", 0, 1200),
        rec("low.example.org", "A", "0.0.0.0", 0, 1300),
        rec("high.example.org", "A", "255.255.255.255", 0, 1300),
        rec("v6edge.example.org", "AAAA", "::", 0, 1300),
        rec(
            "v6edge.example.org",
            "AAAA",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            0,
            1300,
        ),
        // Same owner, same last_seen: ordered by the rrtype's number (TYPE3 before CAA=257).
        rec("tie.example.com", "CAA", "0 issue \"ca.example\"", 0, 1400),
        rec("tie.example.com", "TYPE3", "\\# 0", 0, 1400),
        rec("tie.example.com", "TYPE65280", "\\# 4 0a000001", 0, 1400),
        rec("tie.example.com", "A", "192.0.2.99", 0, 1400),
        // Last seen 999 ms after the tie records' second: sorts first, same fence second.
        rec("ms.example.com", "A", "192.0.2.50", 0, 0).last_ms((T0 + 1400) * 1000 + 999),
    ]
}

pub fn merged(records: &[Association]) -> Vec<Association> {
    let mut agg = Aggregator::default();
    for a in records {
        agg.add(a.clone());
    }
    agg.take_associations()
}

pub fn merged_names(records: &[NameSighting]) -> Vec<NameSighting> {
    let mut agg = Aggregator::default();
    for n in records {
        agg.add_name(n.clone());
    }
    agg.take_names()
}

/// Writes `records` as one batch and returns what the store must now hold.
pub async fn load(store: &Store, records: Vec<Association>) -> Vec<Association> {
    let all = merged(&records);
    let receipt = store
        .write(&Batch {
            associations: records,
            ..Batch::default()
        })
        .await
        .unwrap();
    assert!(receipt.applied);
    all
}

pub fn q(lookup: Lookup) -> QueryRequest {
    QueryRequest::new(lookup)
}

pub fn rrset(p: &str) -> QueryRequest {
    q(Lookup::Rrset(p.parse().unwrap()))
}

pub fn rdata_name(p: &str) -> QueryRequest {
    q(Lookup::RdataName(p.parse().unwrap()))
}

pub fn rdata_ip(f: &str) -> QueryRequest {
    q(Lookup::RdataIp(f.parse::<IpFilter>().unwrap()))
}

/// Asks the store and the reference the same question; they must agree, page and summary.
pub async fn same(store: &Store, all: &[Association], query: &QueryRequest) -> Page {
    let now = Timestamp::now();
    let want = semantics::lookup(all, query, now).unwrap();
    let got = store.lookup(query).await.unwrap();
    assert_eq!(
        triples(&got),
        triples(&want),
        "lookup {query:?} differs from the reference"
    );
    assert_eq!(
        got, want,
        "lookup {query:?}: records differ from the reference"
    );
    let want_s = semantics::summarize(all, query, now).unwrap();
    let got_s = store.summarize(query).await.unwrap();
    assert_eq!(got_s, want_s, "summarize {query:?}");
    got
}

/// `rrname TYPE rdata` per record, in page order.
pub fn triples(p: &Page) -> Vec<String> {
    p.associations
        .iter()
        .map(|a| format!("{} {} {}", a.rrname, a.rrtype, a.rdata))
        .collect()
}

fn sorted(v: Vec<String>) -> Vec<String> {
    let mut v = v;
    v.sort();
    v
}

fn strs(v: &[&str]) -> Vec<String> {
    sorted(v.iter().map(|s| s.to_string()).collect())
}

pub async fn rrset_exact(store: &Store) {
    let all = load(store, corpus()).await;
    let p = same(store, &all, &rrset("www.example.com")).await;
    assert_eq!(
        triples(&p),
        [
            "www.example.com A 192.0.2.1",
            "www.example.com A 192.0.2.2",
            "www.example.com AAAA 2001:db8::1",
        ]
    );
    // The merged record: counts summed, times widened, TTL max, sources united.
    let a = &p.associations[0];
    assert_eq!(a.count, 8);
    assert_eq!((a.first_seen.secs(), a.last_seen.secs()), (T0, T0 + 5000));
    assert_eq!(a.ttl, Some(3600));
    assert_eq!(
        a.sources,
        Sources::from([tag("squid", Some("proxy-1")), tag("bind", Some("ns1"))])
    );
    // Patterns are normalised like names.
    let p2 = same(store, &all, &rrset("WWW.Example.COM.")).await;
    assert_eq!(p2, p);
    assert!(same(store, &all, &rrset("nowhere.example.com"))
        .await
        .associations
        .is_empty());
}

pub async fn rrset_left_wildcard(store: &Store) {
    let all = load(store, corpus()).await;
    let p = same(store, &all, &rrset("*.example.com")).await;
    let names: BTreeSet<&str> = p.associations.iter().map(|a| a.rrname.as_str()).collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "www.example.com",
            "mail.example.com",
            "a.b.example.com",
            "_sip._tcp.example.com",
            "d.example.com",
            "host6.example.com",
            "mapped.example.com",
            "tie.example.com",
            "ms.example.com",
        ])
    );
    // DNSDB's other spelling, and deeper.
    same(store, &all, &rrset(".example.com")).await;
    let deep = same(store, &all, &rrset("*.b.example.com")).await;
    assert_eq!(triples(&deep), ["a.b.example.com CNAME www.example.com"]);
    let tld = same(store, &all, &rrset("*.org")).await;
    assert_eq!(tld.associations.len(), 11);
    same(store, &all, &rrset("*.arpa")).await;
    same(store, &all, &rrset("*.in-addr.arpa")).await;
}

pub async fn rrset_right_wildcard(store: &Store) {
    let all = load(store, corpus()).await;
    let p = same(store, &all, &rrset("www.example.*")).await;
    let names: BTreeSet<&str> = p.associations.iter().map(|a| a.rrname.as_str()).collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "www.example.com",
            "www.example.org",
            "www.example.net",
            "www.example.co.uk"
        ])
    );
    same(store, &all, &rrset("www.*")).await;
    same(store, &all, &rrset("example.*")).await;
    let evil = same(store, &all, &rrset("example.com.*")).await;
    assert_eq!(triples(&evil), ["example.com.evil.test A 198.51.100.7"]);
}

pub async fn rrtype_filter_and_any(store: &Store) {
    let all = load(store, corpus()).await;
    let mut query = rrset("example.com");
    let every = same(store, &all, &query).await;
    assert_eq!(every.associations.len(), 6);
    query.rrtype = Some(RrType::ANY);
    assert_eq!(same(store, &all, &query).await, every);
    query.rrtype = Some(RrType::NS);
    let ns = same(store, &all, &query).await;
    assert_eq!(
        triples(&ns),
        [
            "example.com NS ns1.example.net",
            "example.com NS ns2.example.net"
        ]
    );
    let mut wild = rrset("*.example.com");
    wild.rrtype = Some(RrType::Aaaa);
    let aaaa = same(store, &all, &wild).await;
    assert_eq!(aaaa.associations.len(), 4);
    // A type filter that contradicts an IP lookup's family matches nothing.
    let mut ip = rdata_ip("192.0.2.1");
    ip.rrtype = Some(RrType::Aaaa);
    assert!(same(store, &all, &ip).await.associations.is_empty());
    ip.rrtype = Some(RrType::A);
    assert_eq!(same(store, &all, &ip).await.associations.len(), 2);
}

pub async fn rdata_name_lookups(store: &Store) {
    let all = load(store, corpus()).await;
    let p = same(store, &all, &rdata_name("www.example.com")).await;
    assert_eq!(
        sorted(triples(&p)),
        strs(&[
            "1.2.0.192.in-addr.arpa PTR www.example.com",
            "a.b.example.com CNAME www.example.com",
        ])
    );
    let ns = same(store, &all, &rdata_name("ns1.example.net")).await;
    assert_eq!(triples(&ns), ["example.com NS ns1.example.net"]);
    let mx = same(store, &all, &rdata_name("mail.example.com")).await;
    assert_eq!(triples(&mx), ["example.com MX 10 mail.example.com"]);
    let mx_bare = same(store, &all, &rdata_name("mail.example.net")).await;
    assert_eq!(triples(&mx_bare), ["mx2.example.org MX mail.example.net"]);
    let srv = same(store, &all, &rdata_name("sip.example.net")).await;
    assert_eq!(
        triples(&srv),
        ["_sip._tcp.example.com SRV 0 5 5060 sip.example.net"]
    );
    let under = same(store, &all, &rdata_name("*.example.net")).await;
    assert_eq!(
        sorted(triples(&under)),
        strs(&[
            "_sip._tcp.example.com SRV 0 5 5060 sip.example.net",
            "example.com NS ns1.example.net",
            "example.com NS ns2.example.net",
            "mx2.example.org MX mail.example.net",
        ])
    );
    // The SOA names its primary server, but SOA is not a name-valued type for this lookup.
    let dname = same(store, &all, &rdata_name("example.net")).await;
    assert_eq!(triples(&dname), ["d.example.com DNAME example.net"]);
    let prefix = same(store, &all, &rdata_name("ns1.*")).await;
    assert_eq!(triples(&prefix), ["example.com NS ns1.example.net"]);
    // TXT and A rdata are never names.
    assert!(same(store, &all, &rdata_name("192.0.2.1"))
        .await
        .associations
        .is_empty());
}

pub async fn rdata_ip_ipv4(store: &Store) {
    let all = load(store, corpus()).await;
    let one = same(store, &all, &rdata_ip("192.0.2.1")).await;
    // Not the AAAA record holding ::ffff:192.0.2.1: families never mix.
    assert_eq!(
        sorted(triples(&one)),
        strs(&["notexample.com A 192.0.2.1", "www.example.com A 192.0.2.1"])
    );
    let net = same(store, &all, &rdata_ip("198.51.100.0/24")).await;
    assert_eq!(net.associations.len(), 7);
    assert_eq!(same(store, &all, &rdata_ip("198.51.100.0,24")).await, net);
    let range = same(store, &all, &rdata_ip("198.51.100.10-198.51.100.20")).await;
    assert_eq!(
        sorted(triples(&range)),
        strs(&[
            "www.example.org A 198.51.100.10",
            "www.example.org A 198.51.100.15",
            "www.example.org A 198.51.100.20",
        ])
    );
    same(store, &all, &rdata_ip("198.51.100.0/23")).await;
    same(store, &all, &rdata_ip("198.51.100.255/32")).await;
    same(store, &all, &rdata_ip("192.0.2.0/24")).await;
    let everything = same(store, &all, &rdata_ip("0.0.0.0/0")).await;
    assert!(triples(&everything).contains(&"low.example.org A 0.0.0.0".to_string()));
    assert!(triples(&everything).contains(&"high.example.org A 255.255.255.255".to_string()));
    assert!(everything
        .associations
        .iter()
        .all(|a| a.rrtype == RrType::A));
    same(store, &all, &rdata_ip("255.255.255.255")).await;
}

pub async fn rdata_ip_ipv6(store: &Store) {
    let all = load(store, corpus()).await;
    let one = same(store, &all, &rdata_ip("2001:db8::1")).await;
    assert_eq!(triples(&one), ["www.example.com AAAA 2001:db8::1"]);
    let net = same(store, &all, &rdata_ip("2001:db8::/32")).await;
    assert_eq!(net.associations.len(), 3);
    assert_eq!(same(store, &all, &rdata_ip("2001:db8::,32")).await, net);
    let slash64 = same(store, &all, &rdata_ip("2001:db8:0:1::/64")).await;
    assert_eq!(
        triples(&slash64),
        ["host6.example.com AAAA 2001:db8:0:1::5"]
    );
    let range = same(store, &all, &rdata_ip("2001:db8::2-2001:db8:ffff::1")).await;
    assert_eq!(range.associations.len(), 2);
    let mapped = same(store, &all, &rdata_ip("::ffff:192.0.2.0/120")).await;
    assert_eq!(
        triples(&mapped),
        ["mapped.example.com AAAA ::ffff:192.0.2.1"]
    );
    let every = same(store, &all, &rdata_ip("::/0")).await;
    assert_eq!(every.associations.len(), 7);
    same(store, &all, &rdata_ip("::")).await;
    same(
        store,
        &all,
        &rdata_ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"),
    )
    .await;
}

fn fence(fb: Option<i64>, fa: Option<i64>, lb: Option<i64>, la: Option<i64>) -> TimeFence {
    TimeFence {
        time_first_before: fb.map(|t| T0 + t),
        time_first_after: fa.map(|t| T0 + t),
        time_last_before: lb.map(|t| T0 + t),
        time_last_after: la.map(|t| T0 + t),
    }
}

pub async fn time_fences_absolute(store: &Store) {
    let all = load(store, corpus()).await;
    let mut query = rrset("*.org");
    // Strict: seen only inside [1000, 1000].
    query.fence = fence(None, Some(1000), Some(1000), None);
    let strict = same(store, &all, &query).await;
    assert_eq!(strict.associations.len(), 5);
    query = rrset("*.net");
    query.fence = fence(None, Some(1000), Some(1000), None);
    assert_eq!(
        triples(&same(store, &all, &query).await),
        ["www.example.net A 198.51.101.0"]
    );
    // Loose: overlapping [100, 5000] means first <= 100 and last >= 5000 ... as DNSDB has it,
    // time_first_before and time_last_after.
    let mut loose = rrset("*.com");
    loose.fence = fence(Some(100), None, None, Some(5000));
    let l = same(store, &all, &loose).await;
    assert_eq!(
        triples(&l),
        [
            "example.com NS ns1.example.net",
            "example.com NS ns2.example.net",
            "example.com SOA ns1.example.net hostmaster.example.com 2023111401 7200 3600 1209600 300",
            "www.example.com A 192.0.2.1",
        ]
    );
    // Inclusive bounds, whole seconds: last_seen 1400.999 passes time_last_before = 1400.
    let mut edge = rrset("*.example.com");
    edge.fence = fence(None, None, Some(1400), Some(1400));
    let e = same(store, &all, &edge).await;
    assert_eq!(e.associations.len(), 5);
    assert_eq!(e.associations[0].rrname, "ms.example.com");
    // Every single fence alone, across the corpus.
    for t in [0, 1, 99, 100, 999, 1000, 1001, 2500, 5000, 9000, 9001] {
        for f in [
            fence(Some(t), None, None, None),
            fence(None, Some(t), None, None),
            fence(None, None, Some(t), None),
            fence(None, None, None, Some(t)),
        ] {
            for lookup in ["*.com", "*.org", "example.com"] {
                let mut query = rrset(lookup);
                query.fence = f;
                same(store, &all, &query).await;
            }
            let mut ip = rdata_ip("0.0.0.0/0");
            ip.fence = f;
            same(store, &all, &ip).await;
        }
    }
}

pub async fn time_fences_relative(store: &Store) {
    let now = Timestamp::now().secs();
    let mut recent = rec("recent.rel.test", "A", "192.0.2.1", 0, 0);
    recent.first_seen = Timestamp::from_secs(now - 7200);
    recent.last_seen = Timestamp::from_secs(now - 60);
    let mut old = rec("old.rel.test", "A", "192.0.2.2", 0, 0);
    old.first_seen = Timestamp::from_secs(now - 10 * 86_400);
    old.last_seen = Timestamp::from_secs(now - 5 * 86_400);
    let all = load(store, vec![recent, old]).await;
    let mut query = rrset("*.rel.test");
    query.fence.time_last_after = Some(-3600);
    assert_eq!(
        triples(&same(store, &all, &query).await),
        ["recent.rel.test A 192.0.2.1"]
    );
    query.fence = TimeFence {
        time_first_before: Some(-86_400),
        ..TimeFence::default()
    };
    assert_eq!(
        triples(&same(store, &all, &query).await),
        ["old.rel.test A 192.0.2.2"]
    );
    query.fence = TimeFence {
        time_first_after: Some(-86_400),
        time_last_before: Some(-1),
        ..TimeFence::default()
    };
    assert_eq!(
        triples(&same(store, &all, &query).await),
        ["recent.rel.test A 192.0.2.1"]
    );
    // Names take relative fences too.
    let mut n = NameSighting::new(
        "recent.rel.test",
        None,
        Timestamp::from_secs(now - 30),
        tag("bind", None),
    )
    .unwrap();
    n.first_seen = Timestamp::from_secs(now - 100);
    store
        .write(&Batch {
            names: vec![n],
            ..Batch::default()
        })
        .await
        .unwrap();
    let nq = NameQuery {
        pattern: "*.rel.test".parse().unwrap(),
        fence: TimeFence {
            time_last_after: Some(-3600),
            ..TimeFence::default()
        },
        limit: 10,
        offset: 0,
    };
    assert_eq!(store.names(&nq).await.unwrap().len(), 1);
}

pub async fn bailiwick_filter(store: &Store) {
    let all = load(store, corpus()).await;
    let mut query = rrset("example.com");
    query.bailiwick = Some("com".into());
    let p = same(store, &all, &query).await;
    assert_eq!(p.associations.len(), 2);
    query.bailiwick = Some("Example.COM.".into());
    assert_eq!(
        triples(&same(store, &all, &query).await),
        ["example.com SOA ns1.example.net hostmaster.example.com 2023111401 7200 3600 1209600 300"]
    );
}

/// A set of records with many ties on last_seen, for paging.
fn paging_records() -> Vec<Association> {
    let types = ["A", "AAAA", "TXT", "TYPE65280", "CNAME", "NS"];
    let mut v = Vec::new();
    for i in 0..57i64 {
        let t = types[(i % 6) as usize];
        let rdata = match t {
            "A" => format!("192.0.2.{i}"),
            "AAAA" => format!("2001:db8::{i:x}"),
            "TXT" => format!("\"record {i}\""),
            "TYPE65280" => format!("\\# 1 {i:02x}"),
            _ => format!("t{i}.page.test"),
        };
        let name = format!("n{}.page.test", i % 4);
        v.push(rec(&name, t, &rdata, 0, i % 5));
    }
    v
}

pub async fn paging_order_and_truncation(store: &Store) {
    let all = load(store, paging_records()).await;
    let mut query = rrset("*.page.test");
    let full = same(store, &all, &query).await;
    assert_eq!(full.associations.len(), 57);
    assert!(!full.truncated);
    let mut sorted_full = full.associations.clone();
    sorted_full.sort_by(semantics::compare_associations);
    assert_eq!(full.associations, sorted_full, "documented order");
    let mut pages = Vec::new();
    query.limit = 10;
    for page in 0..6 {
        query.offset = page * 10;
        let p = same(store, &all, &query).await;
        assert_eq!(p.truncated, page < 5, "page {page}");
        pages.extend(p.associations);
    }
    assert_eq!(pages, full.associations, "pages concatenate to the whole");
    query.offset = 57;
    let past = same(store, &all, &query).await;
    assert!(past.associations.is_empty() && !past.truncated);
    query.offset = 56;
    assert!(!same(store, &all, &query).await.truncated);
    query.offset = 0;
    query.limit = 57;
    assert!(!same(store, &all, &query).await.truncated);
    query.limit = 56;
    assert!(same(store, &all, &query).await.truncated);
    query.limit = 0;
    let zero = same(store, &all, &query).await;
    assert!(zero.associations.is_empty() && zero.truncated);
    query.limit = usize::MAX;
    query.offset = usize::MAX;
    same(store, &all, &query).await;
    query.offset = 3;
    same(store, &all, &query).await;
}

pub async fn order_uses_milliseconds_then_key(store: &Store) {
    let all = load(store, corpus()).await;
    let mut query = rrset("*.example.com");
    query.fence.time_last_before = Some(T0 + 1400);
    let p = same(store, &all, &query).await;
    let firsts: Vec<String> = triples(&p).into_iter().take(5).collect();
    assert_eq!(
        firsts,
        [
            "ms.example.com A 192.0.2.50",
            "tie.example.com A 192.0.2.99",
            "tie.example.com TYPE3 \\# 0",
            "tie.example.com CAA 0 issue \"ca.example\"",
            "tie.example.com TYPE65280 \\# 4 0a000001",
        ]
    );
}

pub async fn summaries(store: &Store) {
    let all = load(store, corpus()).await;
    let s = store.summarize(&rrset("www.example.com")).await.unwrap();
    assert_eq!(s.count, 10);
    assert_eq!(s.num_results, 3);
    assert_eq!(s.time_first, Some(Timestamp::from_secs(T0)));
    assert_eq!(s.time_last, Some(Timestamp::from_secs(T0 + 5000)));
    let none = store.summarize(&rrset("nowhere.test")).await.unwrap();
    assert_eq!(none, yapdns_core::Summary::default());
    for query in [
        rrset("*.example.com"),
        rrset("www.example.*"),
        rdata_name("*.example.net"),
        rdata_ip("198.51.100.0/24"),
        rdata_ip("2001:db8::/32"),
    ] {
        let mut query = query;
        // Summaries ignore paging.
        query.limit = 1;
        query.offset = 1;
        same(store, &all, &query).await;
        let full = store.summarize(&query).await.unwrap();
        query.limit = 10_000;
        query.offset = 0;
        assert_eq!(store.summarize(&query).await.unwrap(), full);
    }
}

fn name_corpus() -> Vec<NameSighting> {
    let n = |name: &str, t: Option<RrType>, s: i64, f: &str| {
        NameSighting::new(name, t, Timestamp::from_secs(T0 + s), tag(f, None)).unwrap()
    };
    vec![
        n("www.example.com", Some(RrType::A), 10, "bind"),
        n("www.example.com", None, 20, "squid"),
        n("www.example.com", Some(RrType::A), 30, "msdns"),
        n("evil.example.net", None, 40, "thug"),
        n("www.example.org", Some(RrType::Aaaa), 50, "bind"),
        n("bücher.example", None, 60, "squid"),
        n("a.b.example.com", Some(RrType::MX), 30, "bind"),
        n("a.b.example.com", Some(RrType::from_u16(65280)), 30, "bind"),
        n("example.com", None, 86_400 * 3, "bind"),
        n("late.example.net", None, 86_400 * 3, "bind"),
    ]
}

pub async fn name_sightings(store: &Store) {
    let names = name_corpus();
    let receipt = store
        .write(&Batch {
            names: names.clone(),
            ..Batch::default()
        })
        .await
        .unwrap();
    assert_eq!((receipt.associations, receipt.names), (0, 10));
    let all = merged_names(&names);
    let now = Timestamp::now();
    let check = |pattern: &str, fence: TimeFence, limit: usize, offset: usize| NameQuery {
        pattern: pattern.parse().unwrap(),
        fence,
        limit,
        offset,
    };
    let exact = check("www.example.com", TimeFence::default(), 100, 0);
    let got = store.names(&exact).await.unwrap();
    assert_eq!(got, semantics::names(&all, &exact, now));
    assert_eq!(got.len(), 2);
    assert_eq!((got[0].rrtype, got[0].count), (Some(RrType::A), 2));
    assert_eq!(got[0].first_seen.secs(), T0 + 10);
    assert_eq!(got[0].last_seen.secs(), T0 + 30);
    assert_eq!(got[1].rrtype, None);
    // Same last_seen: "no type" first, then by number (MX=15 before 65280).
    let ab = store
        .names(&check("*.example.com", TimeFence::default(), 100, 0))
        .await
        .unwrap();
    let order: Vec<(String, Option<RrType>)> =
        ab.iter().map(|n| (n.rrname.clone(), n.rrtype)).collect();
    assert_eq!(
        order,
        [
            ("a.b.example.com".to_string(), Some(RrType::MX)),
            ("a.b.example.com".to_string(), Some(RrType::from_u16(65280))),
            ("www.example.com".to_string(), Some(RrType::A)),
            ("www.example.com".to_string(), None),
        ]
    );
    for (pattern, fence) in [
        ("*.example.com", TimeFence::default()),
        ("www.example.*", TimeFence::default()),
        ("*.bücher.example", TimeFence::default()),
        ("bücher.example", TimeFence::default()),
        ("*.com", fence(None, Some(20), None, None)),
        ("*.com", fence(None, None, Some(29), None)),
        ("*.com", fence(Some(10), None, None, Some(30))),
        ("*.net", fence(None, None, None, Some(41))),
    ] {
        for (limit, offset) in [(100, 0), (1, 0), (1, 1), (2, 1), (0, 0), (5, 10)] {
            let nq = check(pattern, fence, limit, offset);
            assert_eq!(
                store.names(&nq).await.unwrap(),
                semantics::names(&all, &nq, now),
                "{nq:?}"
            );
        }
    }
}

pub async fn stats_figures(store: &Store) {
    let all = load(store, corpus()).await;
    let names = name_corpus();
    store
        .write(&Batch {
            names: names.clone(),
            ..Batch::default()
        })
        .await
        .unwrap();
    let got = store.stats().await.unwrap();
    let want = semantics::stats(&all, &merged_names(&names));
    assert_eq!(got, want);
    assert_eq!(got.associations, 39);
    assert_eq!(got.names, 9);
    assert_eq!(got.by_rrtype[0], ("A".to_string(), 19));
    assert!(got.by_rrtype.contains(&("TYPE65280".to_string(), 1)));
    assert!(got.by_rrtype.contains(&("TYPE3".to_string(), 1)));
    assert_eq!(got.by_source[0], ("bind".to_string(), 37));
    assert!(got.by_source.contains(&("squid/proxy-1".to_string(), 1)));
    assert_eq!(
        got.new_names_per_day
            .iter()
            .map(|(d, _)| d.as_str())
            .collect::<Vec<_>>(),
        ["2023-11-14", "2023-11-17"]
    );
    // example.com was first seen as an association on day one: it is not new on day four.
    assert_eq!(got.new_names_per_day[1].1, 1);
}

/// A small deterministic generator, so the merge test is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_sightings(seed: u64, n: usize) -> (Vec<Association>, Vec<NameSighting>) {
    let mut r = Lcg(seed);
    let tags = [
        tag("bind", None),
        tag("bind", Some("ns1")),
        tag("squid", Some("proxy/1")),
        tag("zeek", Some("sensor-é")),
    ];
    let bailiwicks = [None, Some("test"), Some("merge.test"), Some("mergf.test")];
    let mut assocs = Vec::new();
    let mut names = Vec::new();
    for _ in 0..n {
        let k = r.below(150);
        let name = format!("h{}.merge.test", k % 40);
        let (t, rdata) = match k % 3 {
            0 => ("A", format!("192.0.2.{}", k)),
            1 => ("TXT", format!("\"k {k}\"")),
            _ => ("CNAME", format!("t{}.merge.test", k % 7)),
        };
        let first = r.below(100_000) as i64;
        let mut a = rec(&name, t, &rdata, 0, 0)
            .src(tags[r.below(4) as usize].clone())
            .count(1 + r.below(5));
        a.first_seen = Timestamp::from_millis((T0 + first) * 1000 + r.below(1000) as i64);
        a.last_seen = Timestamp::from_millis(a.first_seen.millis() + r.below(50_000_000) as i64);
        if r.below(3) > 0 {
            a.ttl = Some(r.below(86_400) as u32);
        }
        if let Some(b) = bailiwicks[r.below(4) as usize] {
            a = a.bw(b);
        }
        assocs.push(a);
        if r.below(4) == 0 {
            let t = [None, Some(RrType::A), Some(RrType::MX)][r.below(3) as usize];
            let mut s = NameSighting::new(
                &name,
                t,
                Timestamp::from_secs(T0 + first),
                tags[r.below(4) as usize].clone(),
            )
            .unwrap();
            s.count = 1 + r.below(3);
            names.push(s);
        }
    }
    (assocs, names)
}

/// Everything under `*.merge.test`, in the documented order.
async fn dump(store: &Store, under: &str) -> Vec<Association> {
    let mut query = rrset(under);
    query.limit = 1_000_000;
    let p = store.lookup(&query).await.unwrap();
    assert!(!p.truncated);
    p.associations
}

pub async fn merge_matches_aggregator(store: &Store) {
    let (assocs, names) = random_sightings(42, 2_000);
    // Uneven batches; keys repeat across batches, so the store merges what the batch
    // could not.
    let mut i = 0;
    let mut j = 0;
    let mut size = 1;
    while i < assocs.len() {
        let end = (i + size).min(assocs.len());
        let nend = (j + size / 4).min(names.len());
        store
            .write(&Batch {
                id: None,
                associations: assocs[i..end].to_vec(),
                names: names[j..nend].to_vec(),
            })
            .await
            .unwrap();
        i = end;
        j = nend;
        size = size * 3 + 1;
    }
    if j < names.len() {
        store
            .write(&Batch {
                names: names[j..].to_vec(),
                ..Batch::default()
            })
            .await
            .unwrap();
    }
    let mut want = merged(&assocs);
    want.sort_by(semantics::compare_associations);
    let got = dump(store, "*.merge.test").await;
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
    let mut want_names = merged_names(&names);
    want_names.sort_by(semantics::compare_names);
    let nq = NameQuery {
        pattern: "*.merge.test".parse().unwrap(),
        fence: TimeFence::default(),
        limit: 1_000_000,
        offset: 0,
    };
    assert_eq!(store.names(&nq).await.unwrap(), want_names);
    assert_eq!(
        store.stats().await.unwrap(),
        semantics::stats(&merged(&assocs), &merged_names(&names))
    );
}

pub async fn merge_rules_ttl_bailiwick_sources(store: &Store) {
    let base = || rec("m.rules.test", "A", "192.0.2.7", 100, 100);
    let steps = [
        base(),
        base().ttl(60).bw("rules.test"),
        base().bw("test"),
        base().ttl(30).bw("zz.test").src(tag("squid", None)),
        base().bw("aa.test").src(tag("bind", Some("x"))),
        base().ttl(90).bw("aaa.rules.test"),
    ];
    let mut expect = base();
    expect.count = 0;
    expect.sources.clear();
    for (i, step) in steps.iter().enumerate() {
        store
            .write(&Batch {
                associations: vec![step.clone()],
                ..Batch::default()
            })
            .await
            .unwrap();
        if i == 0 {
            expect = step.clone();
        } else {
            expect.merge(step).unwrap();
        }
        let got = dump(store, "*.rules.test").await;
        assert_eq!(got, vec![expect.clone()], "after step {i}");
    }
    let last = &dump(store, "*.rules.test").await[0];
    assert_eq!(last.ttl, Some(90));
    assert_eq!(last.bailiwick.as_deref(), Some("aaa.rules.test"));
    assert_eq!(last.count, 6);
    assert_eq!(last.sources.len(), 3);
    // Ties on length: the byte-wise smaller wins, whichever arrives first.
    for (k, order) in [["bb.test", "ab.test"], ["ab.test", "bb.test"]]
        .iter()
        .enumerate()
    {
        let name = format!("tie{k}.rules.test");
        for b in order {
            let r = rec(&name, "A", "192.0.2.8", 0, 0).bw(b);
            store
                .write(&Batch {
                    associations: vec![r],
                    ..Batch::default()
                })
                .await
                .unwrap();
        }
        let got = store.lookup(&rrset(&name)).await.unwrap();
        assert_eq!(
            got.associations[0].bailiwick.as_deref(),
            Some("ab.test"),
            "{name}"
        );
    }
}

pub async fn counts_saturate_at_i64_max(store: &Store) {
    let big = 1u64 << 62;
    let r = rec("big.count.test", "A", "192.0.2.9", 0, 0).count(big);
    for _ in 0..3 {
        store
            .write(&Batch {
                associations: vec![r.clone()],
                ..Batch::default()
            })
            .await
            .unwrap();
    }
    let got = store.lookup(&rrset("big.count.test")).await.unwrap();
    assert_eq!(got.associations[0].count, i64::MAX as u64);
    let s = store.summarize(&rrset("*.count.test")).await.unwrap();
    assert_eq!(s.count, i64::MAX as u64);
    // A count beyond i64 in one record is stored saturated too.
    let huge = rec("huge.count.test", "A", "192.0.2.9", 0, 0).count(u64::MAX);
    store
        .write(&Batch {
            associations: vec![huge],
            ..Batch::default()
        })
        .await
        .unwrap();
    let s = store.summarize(&rrset("*.count.test")).await.unwrap();
    assert_eq!(s.count, 2 * (i64::MAX as u64));
    assert_eq!(
        store.stats().await.unwrap().sightings,
        2 * (i64::MAX as u64)
    );
}

pub async fn batch_id_is_idempotent(store: &Store) {
    let batch = Batch {
        id: Some(BatchId("agent-1/fp-abc/0-4096".into())),
        associations: vec![
            rec("idem.test", "A", "192.0.2.1", 0, 10),
            rec("idem.test", "A", "192.0.2.1", 5, 20),
        ],
        names: vec![NameSighting::new(
            "q.idem.test",
            None,
            Timestamp::from_secs(T0),
            tag("bind", None),
        )
        .unwrap()],
    };
    let first = store.write(&batch).await.unwrap();
    assert!(first.applied);
    assert_eq!((first.associations, first.names), (2, 1));
    let again = Sink::write(store, &batch).await.unwrap();
    assert!(!again.applied);
    assert_eq!((again.associations, again.names), (0, 0));
    let got = store.lookup(&rrset("idem.test")).await.unwrap();
    assert_eq!(got.associations[0].count, 2);
    let names = store
        .names(&NameQuery {
            pattern: "q.idem.test".parse().unwrap(),
            fence: TimeFence::default(),
            limit: 10,
            offset: 0,
        })
        .await
        .unwrap();
    assert_eq!(names[0].count, 1);
    // Another id, or none, applies again.
    let mut other = batch.clone();
    other.id = Some(BatchId("agent-1/fp-abc/4096-8192".into()));
    assert!(store.write(&other).await.unwrap().applied);
    other.id = None;
    assert!(store.write(&other).await.unwrap().applied);
    assert!(store.write(&other).await.unwrap().applied);
    let got = store.lookup(&rrset("idem.test")).await.unwrap();
    assert_eq!(got.associations[0].count, 8);
    // An empty batch with an id is remembered too.
    let empty = Batch {
        id: Some(BatchId("empty".into())),
        ..Batch::default()
    };
    assert!(store.write(&empty).await.unwrap().applied);
    assert!(!store.write(&empty).await.unwrap().applied);
    // Forgetting old ids: a re-sent batch applies again.
    let forgotten = store
        .forget_batches_before(Timestamp::from_millis(Timestamp::now().millis() + 60_000))
        .await
        .unwrap();
    assert_eq!(forgotten, 3);
    assert!(store.write(&batch).await.unwrap().applied);
}

pub async fn refused_batch_leaves_no_trace(store: &Store) {
    let good = rec("ok.refused.test", "A", "192.0.2.1", 0, 0);
    let bad = rec("bad.refused.test", "TXT", "nul\0inside", 0, 0);
    let batch = Batch {
        id: Some(BatchId("refused-1".into())),
        associations: vec![good.clone(), bad],
        names: Vec::new(),
    };
    let e = store.write(&batch).await.unwrap_err();
    assert!(matches!(e, Error::InvalidRecord(_)), "{e}");
    let core_err = Sink::write(store, &batch).await.unwrap_err();
    assert!(!core_err.is_retryable(), "{core_err}");
    assert!(dump(store, "*.refused.test").await.is_empty());
    // The id was not used up: the corrected batch applies.
    let fixed = Batch {
        associations: vec![good],
        ..batch
    };
    assert!(store.write(&fixed).await.unwrap().applied);
    assert_eq!(dump(store, "*.refused.test").await.len(), 1);
    let bad_source = Batch {
        associations: vec![rec("s.refused.test", "A", "192.0.2.1", 0, 0).src(tag("a\u{1f}b", None))],
        ..Batch::default()
    };
    assert!(matches!(
        store.write(&bad_source).await,
        Err(Error::InvalidRecord(_))
    ));
}

pub async fn concurrent_writers_merge(store: &Store) {
    let (assocs, names) = random_sightings(7, 1_200);
    let chunks: Vec<(Vec<Association>, Vec<NameSighting>)> = assocs
        .chunks(100)
        .zip(names.chunks(25).chain(std::iter::repeat(&[][..])))
        .map(|(a, n)| (a.to_vec(), n.to_vec()))
        .collect();
    let mut tasks = Vec::new();
    for (k, (a, n)) in chunks.into_iter().enumerate() {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            s.write(&Batch {
                id: Some(BatchId(format!("concurrent-{k}"))),
                associations: a,
                names: n,
            })
            .await
        }));
    }
    for t in tasks {
        assert!(t.await.unwrap().unwrap().applied);
    }
    let mut want = merged(&assocs);
    want.sort_by(semantics::compare_associations);
    assert_eq!(dump(store, "*.merge.test").await, want);
}

pub async fn retention(store: &Store) {
    let all = load(store, corpus()).await;
    let names = name_corpus();
    store
        .write(&Batch {
            names: names.clone(),
            ..Batch::default()
        })
        .await
        .unwrap();
    let cut = Timestamp::from_secs(T0 + 1000);
    let deleted = store.delete_last_seen_before(cut).await.unwrap();
    let keep: Vec<Association> = all.iter().filter(|a| a.last_seen >= cut).cloned().collect();
    let keep_names: Vec<NameSighting> = merged_names(&names)
        .into_iter()
        .filter(|n| n.last_seen >= cut)
        .collect();
    let gone = (all.len() - keep.len()) + (merged_names(&names).len() - keep_names.len());
    assert_eq!(deleted, gone as u64);
    assert_eq!(deleted, 3 + 7);
    for query in [
        rrset("*.com"),
        rrset("*.org"),
        rrset("*.test"),
        rdata_ip("0.0.0.0/0"),
    ] {
        same(store, &keep, &query).await;
    }
    assert_eq!(
        store.stats().await.unwrap(),
        semantics::stats(&keep, &keep_names)
    );
    assert_eq!(store.delete_last_seen_before(cut).await.unwrap(), 0);
}

pub async fn edge_idn(store: &Store) {
    let all = load(
        store,
        vec![
            rec("www.bücher.example", "A", "192.0.2.1", 0, 10),
            rec("BÜCHER.example", "CNAME", "www.Bücher.example", 0, 10),
            rec("xn--mnchen-3ya.example", "A", "192.0.2.2", 0, 10),
        ],
    )
    .await;
    let p = same(store, &all, &rrset("*.bücher.example")).await;
    assert_eq!(triples(&p), ["www.xn--bcher-kva.example A 192.0.2.1"]);
    same(store, &all, &rrset("www.xn--bcher-kva.example")).await;
    let c = same(store, &all, &rdata_name("www.bücher.example")).await;
    assert_eq!(
        triples(&c),
        ["xn--bcher-kva.example CNAME www.xn--bcher-kva.example"]
    );
    let m = same(store, &all, &rrset("münchen.example")).await;
    assert_eq!(m.associations.len(), 1);
    same(store, &all, &rrset("*.example")).await;
}

fn long_name() -> String {
    let l = "a".repeat(63);
    format!("{l}.{l}.{l}.{}", "b".repeat(61))
}

pub async fn edge_long_name_and_big_rdata(store: &Store) {
    let name = long_name();
    assert_eq!(name.len(), 253);
    // 10 KB of varied text, so nothing can compress it away.
    let mut r = Lcg(9);
    let big: String = (0..10_240)
        .map(|_| char::from(b' ' + r.below(94) as u8 + 1))
        .collect();
    let all = load(
        store,
        vec![
            rec(&name, "A", "192.0.2.1", 0, 10),
            rec(&name, "TXT", &big, 0, 10),
            rec("cname.long.test", "CNAME", &name, 0, 10),
            rec("big.long.test", "TXT", &big, 0, 10),
            rec("big.long.test", "TXT", &format!("{big}x"), 0, 11),
        ],
    )
    .await;
    let p = same(store, &all, &rrset(&name)).await;
    assert_eq!(p.associations.len(), 2);
    assert!(p.associations.iter().any(|a| a.rdata == big));
    let under = format!("*.{}", "b".repeat(61));
    assert_eq!(
        same(store, &all, &rrset(&under)).await.associations.len(),
        2
    );
    let prefix = format!("{}.*", "a".repeat(63));
    assert_eq!(
        same(store, &all, &rrset(&prefix)).await.associations.len(),
        2
    );
    let c = same(store, &all, &rdata_name(&name)).await;
    assert_eq!(c.associations.len(), 1);
    let b = same(store, &all, &rrset("big.long.test")).await;
    assert_eq!(b.associations.len(), 2);
    assert_eq!(b.associations[0].rdata.len(), 10_241);
    // Re-sent: merges on the long key rather than duplicating it.
    load(store, vec![rec("big.long.test", "TXT", &big, 0, 10)]).await;
    let again = store.lookup(&rrset("big.long.test")).await.unwrap();
    assert_eq!(again.associations.len(), 2);
    assert_eq!(again.associations[1].count, 2);
}

pub async fn edge_txt_quotes_and_spaces(store: &Store) {
    let texts = [
        "\"v=spf1 include:_spf.example.com ~all\"",
        "\"two  spaces\" \"and \\\"escaped quotes\\\"\"",
        "\"two spaces\" \"and \\\"escaped quotes\\\"\"",
        "unquoted text with 'single' quotes; semicolons, and % _ wildcards",
        "\"tab\there\"",
        "\"ünïcödé ✓\"",
    ];
    let all = load(
        store,
        texts
            .iter()
            .map(|t| rec("txt.quotes.test", "TXT", t, 0, 10))
            .collect(),
    )
    .await;
    let p = same(store, &all, &rrset("txt.quotes.test")).await;
    let got: BTreeSet<&str> = p.associations.iter().map(|a| a.rdata.as_str()).collect();
    assert_eq!(got, texts.iter().copied().collect());
}

pub async fn edge_unknown_rrtypes(store: &Store) {
    let all = load(
        store,
        vec![
            rec("u.unknown.test", "TYPE65280", "\\# 4 0a000001", 0, 10),
            rec("u.unknown.test", "TYPE65535", "\\# 0", 0, 10),
            rec("u.unknown.test", "TYPE0", "\\# 0", 0, 10),
            rec("u.unknown.test", "HTTPS", "1 . alpn=h2", 0, 10),
        ],
    )
    .await;
    let mut query = rrset("u.unknown.test");
    let p = same(store, &all, &query).await;
    assert_eq!(
        p.associations
            .iter()
            .map(|a| a.rrtype.to_string())
            .collect::<Vec<_>>(),
        ["TYPE0", "HTTPS", "TYPE65280", "TYPE65535"]
    );
    query.rrtype = Some("TYPE65280".parse().unwrap());
    assert_eq!(
        triples(&same(store, &all, &query).await),
        ["u.unknown.test TYPE65280 \\# 4 0a000001"]
    );
    query.rrtype = Some("type65".parse().unwrap());
    assert_eq!(same(store, &all, &query).await.associations.len(), 1);
    let stats = store.stats().await.unwrap();
    assert!(stats.by_rrtype.contains(&("TYPE65535".to_string(), 1)));
}

pub async fn edge_cname_chain(store: &Store) {
    let all = load(
        store,
        vec![
            rec("c1.chain.test", "CNAME", "c2.chain.test", 0, 10),
            rec("c2.chain.test", "CNAME", "c3.chain.test", 0, 10),
            rec("c3.chain.test", "CNAME", "edge.cdn.test", 0, 10),
            rec("edge.cdn.test", "A", "203.0.113.3", 0, 10),
            rec("edge.cdn.test", "AAAA", "2001:db8::3", 0, 10),
        ],
    )
    .await;
    // Walking the chain backwards from the address, one hop per lookup.
    let hop0 = same(store, &all, &rdata_ip("203.0.113.3")).await;
    assert_eq!(triples(&hop0), ["edge.cdn.test A 203.0.113.3"]);
    let mut name = "edge.cdn.test".to_string();
    let mut chain = Vec::new();
    loop {
        let p = same(store, &all, &rdata_name(&name)).await;
        let Some(a) = p.associations.first() else {
            break;
        };
        chain.push(a.rrname.clone());
        name = a.rrname.clone();
    }
    assert_eq!(chain, ["c3.chain.test", "c2.chain.test", "c1.chain.test"]);
    let under = same(store, &all, &rdata_name("*.chain.test")).await;
    assert_eq!(under.associations.len(), 2);
}

pub async fn empty_store_and_empty_batch(store: &Store) {
    assert!(store
        .lookup(&rrset("*.example.com"))
        .await
        .unwrap()
        .associations
        .is_empty());
    let stats = store.stats().await.unwrap();
    assert_eq!(stats, yapdns_core::StoreStats::default());
    let r = store.write(&Batch::default()).await.unwrap();
    assert!(r.applied);
    assert_eq!((r.associations, r.names), (0, 0));
    assert_eq!(
        store
            .delete_last_seen_before(Timestamp::now())
            .await
            .unwrap(),
        0
    );
    store.ping().await.unwrap();
    Sink::ping(store).await.unwrap();
}

pub async fn invalid_queries_are_refused(store: &Store) {
    load(store, corpus()).await;
    let mut query = rrset("example.com");
    query.bailiwick = Some("a..b".into());
    let e = store.lookup(&query).await.unwrap_err();
    assert!(
        matches!(e, Error::Core(yapdns_core::Error::InvalidName { .. })),
        "{e}"
    );
    let e = yapdns_core::Query::summarize(store, &query)
        .await
        .unwrap_err();
    assert!(!e.is_retryable());
    // Patterns built by hand are compared as given: nothing matches these.
    for p in [
        NamePattern::Under(String::new()),
        NamePattern::Prefix(String::new()),
        NamePattern::Exact(String::new()),
        NamePattern::Under(".".into()),
    ] {
        let all = corpus();
        same(store, &merged(&all), &q(Lookup::Rrset(p.clone()))).await;
        same(store, &merged(&all), &q(Lookup::RdataName(p))).await;
    }
}

pub async fn registry_api_clients(store: &Store) {
    let agent = store.create_client("agent-1", Role::Ingest).await.unwrap();
    assert!(agent.key.starts_with("yapdns_"));
    assert_eq!(agent.key.len(), "yapdns_".len() + 16 + 1 + 64);
    assert_eq!(agent.client.role, Role::Ingest);
    let analyst = store.create_client("analyst", Role::Query).await.unwrap();
    assert_ne!(agent.key, analyst.key);
    assert_ne!(agent.client.id, analyst.client.id);
    let who = store.authenticate(&agent.key).await.unwrap().unwrap();
    assert_eq!(who, agent.client);
    assert_eq!(
        store
            .authenticate(&analyst.key)
            .await
            .unwrap()
            .unwrap()
            .role,
        Role::Query
    );
    // A changed secret, a foreign id, junk: unknown.
    let mut forged = agent.key.clone();
    let last = if forged.ends_with('0') { "1" } else { "0" };
    forged.replace_range(forged.len() - 1.., last);
    assert_eq!(store.authenticate(&forged).await.unwrap(), None);
    let swapped = format!(
        "yapdns_{}_{}",
        analyst.client.id,
        &agent.key[agent.key.len() - 64..]
    );
    assert_eq!(store.authenticate(&swapped).await.unwrap(), None);
    for junk in ["", "yapdns_", "Bearer x", "yapdns_zz_zz", &agent.key[..20]] {
        assert_eq!(store.authenticate(junk).await.unwrap(), None, "{junk:?}");
    }
    assert!(matches!(
        store.create_client("agent-1", Role::Admin).await,
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        store.create_client("", Role::Admin).await,
        Err(Error::InvalidRecord(_))
    ));
    let listed = store.list_clients().await.unwrap();
    assert_eq!(
        listed.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["agent-1", "analyst"]
    );
    assert!(store.revoke_client("agent-1").await.unwrap());
    assert!(!store.revoke_client("agent-1").await.unwrap());
    assert!(!store.revoke_client("nobody").await.unwrap());
    assert_eq!(store.authenticate(&agent.key).await.unwrap(), None);
    let listed = store.list_clients().await.unwrap();
    assert!(listed[0].revoked.is_some());
    assert!(listed[1].revoked.is_none());
    assert!(store.authenticate(&analyst.key).await.unwrap().is_some());
}

pub async fn registry_dashboard_users(store: &Store) {
    let alice = store
        .create_user("alice", "correct horse battery staple")
        .await
        .unwrap();
    assert_eq!(alice.name, "alice");
    assert!(store
        .verify_user("alice", "correct horse battery staple")
        .await
        .unwrap());
    assert!(!store.verify_user("alice", "Correct horse").await.unwrap());
    assert!(!store
        .verify_user("bob", "correct horse battery staple")
        .await
        .unwrap());
    assert!(matches!(
        store.create_user("alice", "x").await,
        Err(Error::Conflict(_))
    ));
    assert!(store
        .set_user_password("alice", "tr0ub4dor&3")
        .await
        .unwrap());
    assert!(!store
        .verify_user("alice", "correct horse battery staple")
        .await
        .unwrap());
    assert!(store.verify_user("alice", "tr0ub4dor&3").await.unwrap());
    assert!(!store.set_user_password("bob", "whatever").await.unwrap());
    assert_eq!(store.list_users().await.unwrap(), vec![alice]);
    assert!(store.delete_user("alice").await.unwrap());
    assert!(!store.delete_user("alice").await.unwrap());
    assert!(!store.verify_user("alice", "tr0ub4dor&3").await.unwrap());
    assert!(store.list_users().await.unwrap().is_empty());
}

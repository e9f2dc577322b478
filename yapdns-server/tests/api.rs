//! The HTTP API end to end: a real server on loopback over a real store (SQLite always;
//! PostgreSQL when `YAPDNS_TEST_POSTGRES` is set), exercised the way clients use it.

#![allow(clippy::unwrap_used)] // helpers beside the tests: a panic is a failed test

mod common;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use base64::Engine as _;
use common::*;
use serde_json::Value;
use yapdns_server::ServerConfig;
use yapdns_store::Role;

fn corpus() -> String {
    let mut s = String::from(concat!(
        r#"{"rrname":"www.example.test","rrtype":"A","rdata":"192.0.2.1","time_first":1700000000,"time_last":1700000100,"count":3,"bailiwick":"example.test"}"#,
        "\n",
        r#"{"rrname":"www.example.test","rrtype":"AAAA","rdata":"2001:db8::1","time_first":1700000000,"time_last":1700000200,"count":2}"#,
        "\n",
        r#"{"rrname":"mail.example.test","rrtype":"A","rdata":"192.0.2.2","time_first":1600000000,"time_last":1600000500,"count":1}"#,
        "\n",
        r#"{"rrname":"example.test","rrtype":"MX","rdata":"10 mail.example.test","time_first":1700000000,"time_last":1700000000,"count":4}"#,
        "\n",
        r#"{"rrname":"alias.example.test","rrtype":"CNAME","rdata":"www.example.test","time_first":1700000300,"time_last":1700000400,"count":1}"#,
        "\n",
        r#"{"rrname":"xss.example.test","rrtype":"TXT","rdata":"<script>alert(1)</script>","time_first":1700000000,"time_last":1700000000,"count":1}"#,
        "\n",
        r#"{"rrname":"q.example.test","rrtype":"MX","first_seen":1700000000000,"last_seen":1700000005000,"count":2,"sources":[{"format":"bind"}]}"#,
        "\n",
    ));
    for i in 1..=25 {
        s.push_str(&format!(
            "{{\"rrname\":\"h{i}.bulk.test\",\"rrtype\":\"A\",\"rdata\":\"203.0.113.{i}\",\"time_first\":{},\"time_last\":{},\"count\":1}}\n",
            1_700_000_000 + i,
            1_700_000_000 + i
        ));
    }
    s
}

fn basic(user: &str, key: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{key}"))
    )
}

/// SAF body: begin, the objects, and the final condition.
fn saf(r: &Resp) -> (Vec<Value>, String) {
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/x-ndjson"));
    let lines = r.lines();
    assert_eq!(lines.first().unwrap()["cond"], "begin", "{}", r.text());
    let last = lines.last().unwrap();
    let cond = last["cond"].as_str().unwrap().to_string();
    let objs = lines[1..lines.len() - 1]
        .iter()
        .map(|l| l["obj"].clone())
        .collect();
    (objs, cond)
}

async fn battery(fx: &Fixture) {
    let store = &fx.store;
    let ingest = key(store, "agent-1", Role::Ingest).await;
    let query = key(store, "analyst", Role::Query).await;
    let admin = key(store, "root", Role::Admin).await;
    let srv = start(store, ServerConfig::default()).await;
    let a = srv.addr;
    let post = |h: Vec<(&'static str, String)>, body: String| async move {
        let hs: Vec<(&str, &str)> = h.iter().map(|(k, v)| (*k, v.as_str())).collect();
        send(a, "POST", "/api/v1/associations", &hs, body.as_bytes()).await
    };

    // --- ingestion: keys and roles
    assert_eq!(post(vec![], corpus()).await.status, 401);
    assert_eq!(
        post(vec![("authorization", bearer(&query))], corpus())
            .await
            .status,
        403
    );
    assert_eq!(
        post(
            vec![("authorization", bearer("yapdns_0000000000000000_00"))],
            corpus()
        )
        .await
        .status,
        401
    );
    let r = post(vec![("authorization", bearer(&ingest))], corpus()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["associations"], 31);
    assert_eq!(r.json()["names"], 1);

    // --- all or nothing: line 2 is bad, line 1 is not written
    let bad =
        "{\"rrname\":\"never.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.9\",\"time_first\":1}\n\
               {\"rrname\":\"never2.test\",\"rrtype\":\"A\",\"rdata\":\"nope\",\"time_first\":1}\n";
    let r = post(vec![("authorization", bearer(&ingest))], bad.into()).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        (r.json()["error"].as_str(), r.json()["line"].as_u64()),
        (Some("invalid_line"), Some(2))
    );
    let r = get(
        a,
        "/api/v1/search?q=never.test",
        &[("authorization", &bearer(&query))],
    )
    .await;
    assert_eq!(r.json()["results"].as_array().unwrap().len(), 0);

    // --- idempotency: the same batch id twice counts once
    let one = "{\"rrname\":\"idem.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.50\",\"time_first\":1700000000,\"count\":5}\n";
    for (i, applied) in [(0, true), (1, false)] {
        let r = post(
            vec![
                ("authorization", bearer(&admin)),
                ("idempotency-key", "batch-42".into()),
            ],
            one.into(),
        )
        .await;
        assert_eq!(r.status, 200, "attempt {i}: {}", r.text());
        assert_eq!(r.json()["applied"], applied);
    }
    let r = get(
        a,
        "/api/v1/search?q=idem.test",
        &[("authorization", &bearer(&query))],
    )
    .await;
    assert_eq!(r.json()["results"][0]["count"], 5);

    // --- DNSDB v2: rrset, types, wildcards, SAF framing, names with their dot
    let k = [("x-api-key", query.as_str())];
    let (objs, cond) = saf(&get(a, "/dnsdb/v2/lookup/rrset/name/www.example.test", &k).await);
    assert_eq!((objs.len(), cond.as_str()), (2, "succeeded"));
    assert!(objs
        .iter()
        .all(|o| o["rrname"] == "www.example.test." && o["rdata"].is_array()));
    let (objs, _) = saf(&get(
        a,
        "/dnsdb/v2/lookup/rrset/name/www.example.test/A/example.test?swclient=dnsdbq&version=2.6.4",
        &[("X-API-KEY", &query)],
    )
    .await);
    assert_eq!(objs.len(), 1);
    assert_eq!(
        (objs[0]["count"].as_u64(), objs[0]["bailiwick"].as_str()),
        (Some(3), Some("example.test."))
    );
    let (objs, _) = saf(&get(a, "/dnsdb/v2/lookup/rrset/name/%2A.example.test", &k).await);
    assert_eq!(objs.len(), 5);
    let (objs, _) = saf(&get(
        a,
        "/dnsdb/v2/lookup/rrset/name/%2A.example.test?time_last_after=1650000000",
        &k,
    )
    .await);
    assert_eq!(
        objs.len(),
        4,
        "mail.example.test was last seen before the fence"
    );
    let (objs, _) = saf(&get(a, "/dnsdb/v2/lookup/rrset/name/%2A.example.test?time_first_after=1700000001&time_last_before=1700000500", &k).await);
    assert_eq!(objs.len(), 1, "strict fence: {objs:?}");
    assert_eq!(objs[0]["rrname"], "alias.example.test.");
    let (objs, _) = saf(&get(a, "/dnsdb/v2/lookup/rdata/name/www.example.test", &k).await);
    assert_eq!((objs.len(), objs[0]["rrtype"].as_str()), (1, Some("CNAME")));
    let (objs, _) = saf(&get(a, "/dnsdb/v2/lookup/rdata/name/mail.example.test/MX", &k).await);
    assert_eq!(objs[0]["rdata"][0], "10 mail.example.test.");
    let (objs, _) = saf(&get(a, "/dnsdb/v2/lookup/rdata/ip/192.0.2.0,24", &k).await);
    assert_eq!(objs.len(), 3);
    let (objs, _) = saf(&get(a, "/dnsdb/v2/lookup/rdata/ip/203.0.113.3-203.0.113.5", &k).await);
    assert_eq!(objs.len(), 3);
    let (objs, _) = saf(&get(a, "/dnsdb/v2/lookup/rdata/ip/2001:db8::,32", &k).await);
    assert_eq!(objs.len(), 1);
    let (objs, cond) = saf(&get(a, "/dnsdb/v2/lookup/rrset/name/nothing.test", &k).await);
    assert_eq!((objs.len(), cond.as_str()), (0, "succeeded"));
    let (objs, _) = saf(&get(
        a,
        "/dnsdb/v2/lookup/rrset/name/www.example.test/A?humantime=t",
        &k,
    )
    .await);
    assert_eq!(objs[0]["time_first"], "2023-11-14T22:13:20Z");

    // --- limits, offsets, limited
    let (objs, cond) = saf(&get(a, "/dnsdb/v2/lookup/rrset/name/%2A.bulk.test?limit=10", &k).await);
    assert_eq!((objs.len(), cond.as_str()), (10, "limited"));
    let lines = get(a, "/dnsdb/v2/lookup/rrset/name/%2A.bulk.test?limit=10", &k)
        .await
        .lines();
    assert_eq!(lines.last().unwrap()["msg"], "Result limit reached");
    let (objs, cond) = saf(&get(a, "/dnsdb/v2/lookup/rrset/name/%2A.bulk.test?limit=0", &k).await);
    assert_eq!((objs.len(), cond.as_str()), (25, "succeeded"));
    let (objs, _) = saf(&get(a, "/dnsdb/v2/lookup/rrset/name/%2A.bulk.test?offset=20", &k).await);
    assert_eq!(objs.len(), 5);
    let r = get(
        a,
        "/dnsdb/v2/lookup/rrset/name/%2A.bulk.test?offset=2000000",
        &k,
    )
    .await;
    assert_eq!(r.status, 416, "{}", r.text());

    // --- summarize
    let (objs, cond) = saf(&get(a, "/dnsdb/v2/summarize/rrset/name/%2A.bulk.test", &k).await);
    assert_eq!(
        (
            objs[0]["count"].as_u64(),
            objs[0]["num_results"].as_u64(),
            cond.as_str()
        ),
        (Some(25), Some(25), "succeeded")
    );
    assert_eq!(
        (
            objs[0]["time_first"].as_i64(),
            objs[0]["time_last"].as_i64()
        ),
        (Some(1_700_000_001), Some(1_700_000_025))
    );
    let (objs, cond) = saf(&get(
        a,
        "/dnsdb/v2/summarize/rrset/name/%2A.bulk.test?limit=10",
        &k,
    )
    .await);
    assert_eq!(
        (objs[0]["num_results"].as_u64(), cond.as_str()),
        (Some(10), "limited")
    );
    let (objs, _) = saf(&get(
        a,
        "/dnsdb/v2/summarize/rrset/name/%2A.bulk.test?max_count=5",
        &k,
    )
    .await);
    assert_eq!(objs[0]["count"], 5);
    assert_eq!(
        get(
            a,
            "/dnsdb/v2/summarize/rrset/name/%2A.bulk.test?offset=1",
            &k
        )
        .await
        .status,
        416
    );

    // --- DNSDB errors as DNSDB documents them
    assert_eq!(
        get(a, "/dnsdb/v2/lookup/rrset/name/www.example.test", &[])
            .await
            .status,
        403
    );
    assert_eq!(
        get(
            a,
            "/dnsdb/v2/lookup/rrset/name/www.example.test",
            &[("x-api-key", &ingest)]
        )
        .await
        .status,
        403
    );
    assert_eq!(
        get(a, "/dnsdb/v2/lookup/rrset/raw/0377777700", &k)
            .await
            .status,
        400
    );
    assert_eq!(
        get(a, "/dnsdb/v2/lookup/rdata/ip/999.1.1.1", &k)
            .await
            .status,
        400
    );
    assert_eq!(
        get(a, "/dnsdb/v2/lookup/rrset/name/x.test?limit=lots", &k)
            .await
            .status,
        400
    );
    assert_eq!(
        get(a, "/dnsdb/v2/lookup/rrset/name/x.test?unknown=1", &k)
            .await
            .status,
        400
    );
    let r = get(a, "/dnsdb/v2/ping", &[]).await;
    assert_eq!(r.json()["ping"], "ok");
    let r = get(a, "/dnsdb/v2/rate_limit", &k).await;
    assert_eq!(r.json()["rate"]["results_max"], 100_000);
    assert_eq!(r.json()["rate"]["limit"], "unlimited");

    // --- DNSDB v1: bare objects, 404 when nothing matched
    let r = get(a, "/lookup/rrset/name/www.example.test/AAAA", &k).await;
    let lines = r.lines();
    assert_eq!(
        (lines.len(), lines[0]["rdata"][0].as_str()),
        (1, Some("2001:db8::1"))
    );
    let r = get(a, "/lookup/rdata/ip/192.0.2.1", &k).await;
    assert_eq!(r.lines()[0]["rdata"], "192.0.2.1");
    assert_eq!(
        get(a, "/lookup/rrset/name/nothing.test", &k).await.status,
        404
    );
    assert_eq!(get(a, "/lookup/rate_limit", &k).await.status, 200);

    // --- CIRCL COF: names, addresses, type filter, pagination with the cursor
    let circl = basic("analyst", &query);
    let h = [("authorization", circl.as_str())];
    let r = get(a, "/pdns/query/www.example.test", &h).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let lines = r.lines();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["rrname"], "www.example.test");
    assert!(lines[0]["time_first"].is_i64() && lines[0]["rrtype"].is_string());
    assert!(r.header("x-dribble-cursor").is_none());
    let r = get(
        a,
        "/pdns/query/192.0.2.2",
        &[("authorization", query.as_str())],
    )
    .await;
    assert_eq!(r.lines()[0]["rrname"], "mail.example.test");
    let r = get(
        a,
        "/pdns/query/www.example.test",
        &[("authorization", &circl), ("dribble-filter-rrtype", "AAAA")],
    )
    .await;
    assert_eq!(r.lines().len(), 1);
    let mut seen = std::collections::BTreeSet::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut hs = vec![
            ("authorization", circl.as_str()),
            ("dribble-paginate-count", "10"),
        ];
        if let Some(c) = cursor.as_deref() {
            hs.push(("dribble-paginate-cursor", c));
        }
        let r = get(a, "/pdns/query/*.bulk.test", &hs).await;
        pages += 1;
        for l in r.lines() {
            assert!(seen.insert(l["rrname"].as_str().unwrap().to_string()));
        }
        match r.header("x-dribble-cursor") {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!((seen.len(), pages), (25, 3));
    assert_eq!(
        get(
            a,
            "/pdns/query/www.example.test",
            &[("authorization", &basic("someone-else", &query))]
        )
        .await
        .status,
        401
    );
    assert_eq!(
        get(a, "/pdns/query/www.example.test", &[]).await.status,
        401
    );

    // --- native JSON API
    let q = [("authorization", bearer(&query))];
    let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = get(a, "/api/v1/search?q=*.example.test&rrtype=A&limit=1", &q).await;
    let j = r.json();
    assert_eq!(
        (j["lookup"].as_str(), j["truncated"].as_bool()),
        (Some("rrset"), Some(true))
    );
    assert_eq!(j["results"].as_array().unwrap().len(), 1);
    let r = get(a, "/api/v1/search?q=www.example.test&rdata=true", &q).await;
    assert_eq!(r.json()["results"][0]["rrname"], "alias.example.test");
    let r = get(a, "/api/v1/search?q=192.0.2.0/24", &q).await;
    assert_eq!(r.json()["results"].as_array().unwrap().len(), 3);
    assert_eq!(get(a, "/api/v1/search?q=bad%20name", &q).await.status, 400);
    assert_eq!(get(a, "/api/v1/search", &q).await.status, 400);
    let r = get(a, "/api/v1/names?q=q.example.test", &q).await;
    assert_eq!(r.json()["results"][0]["count"], 2);
    assert_eq!(r.json()["results"][0]["rrtype"], "MX");
    let r = get(a, "/api/v1/stats", &q).await;
    assert!(
        r.json()["associations"].as_u64().unwrap() >= 32,
        "{}",
        r.text()
    );

    // --- the search page escapes what the store holds
    let r = get(
        a,
        "/?q=xss.example.test",
        &[("authorization", &basic("analyst", &query))],
    )
    .await;
    assert_eq!(r.status, 200);
    let html = r.text();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>"));
    let r = get(
        a,
        "/?q=%22%3E%3Cimg%20src%3Dx%3E",
        &[("authorization", &basic("analyst", &query))],
    )
    .await;
    assert!(!r.text().contains("<img"));
    let r = get(a, "/", &[]).await;
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().starts_with("Basic"));

    // --- the old beat's endpoints, HTTP Basic client_id:secret
    let beat_key = key(store, "beat-1", Role::Ingest).await;
    let b = basic("beat-1", &beat_key);
    let one = r#"{"timestamp":"2016-06-20T10:11:12.000Z","domain":"beat.test","rtype":"A","rdata":"192.0.2.77","ttl":60,"client":{"service_type":"bind","ip":"10.0.0.1"}}"#;
    let r = send(
        a,
        "POST",
        "/api/v1/dns",
        &[("authorization", &b)],
        one.as_bytes(),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["status"].as_u64()),
        (200, Some(200)),
        "{}",
        r.text()
    );
    let bulk = format!("[{one},{}]", one.replace("192.0.2.77", "192.0.2.78"));
    let r = send(
        a,
        "POST",
        "/api/v1/dns/bulk",
        &[("authorization", &b)],
        bulk.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = send(
        a,
        "POST",
        "/api/v1/dns/bulk",
        &[("authorization", &b)],
        b"[{\"domain\":\"x.test\"}]",
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["message"]
        .as_str()
        .unwrap()
        .contains("Required fields"));
    assert_eq!(
        send(
            a,
            "POST",
            "/api/v1/dns",
            &[("authorization", &basic("beat-2", &beat_key))],
            one.as_bytes()
        )
        .await
        .status,
        401
    );
    let r = get(a, "/api/v1/search?q=beat.test", &q).await;
    let res = r.json()["results"].as_array().unwrap().clone();
    assert_eq!(res.len(), 2);
    let a77 = res.iter().find(|x| x["rdata"] == "192.0.2.77").unwrap();
    assert_eq!(
        (a77["count"].as_u64(), a77["sources"][0].as_str()),
        (Some(2), Some("beat/beat-1"))
    );

    // --- revoked keys stop working
    assert!(yapdns_store::Registry::revoke_client(store, "beat-1")
        .await
        .unwrap());
    assert_eq!(
        send(
            a,
            "POST",
            "/api/v1/dns",
            &[("authorization", &b)],
            one.as_bytes()
        )
        .await
        .status,
        401
    );

    // --- health and metrics
    assert_eq!(get(a, "/healthz", &[]).await.status, 200);
    let m = get(a, "/metrics", &[]).await.text();
    assert!(m.contains("yapdns_http_requests_total{route=\"/dnsdb/v2/lookup/{*rest}\",method=\"GET\",status=\"200\"}"), "{m}");
    assert!(m.contains("yapdns_ingested_associations_total 35"), "{m}");
    assert!(m.contains(
        "yapdns_http_request_duration_seconds_bucket{route=\"/api/v1/associations\",le=\"+Inf\"}"
    ));
    assert_eq!(get(a, "/no/such/thing", &[]).await.status, 404);
    srv.stop().await;
}

#[tokio::test]
async fn api_battery_sqlite() {
    let fx = sqlite().await;
    battery(&fx).await;
    fx.close().await;
}

#[cfg(feature = "postgres")]
#[tokio::test]
async fn api_battery_postgres() {
    let Some(fx) = postgres().await else { return };
    battery(&fx).await;
    fx.close().await;
}

/// What real clients met (a survey with `dnsdb-python`, PyPDNS, MISP's modules and `dnsdb2`):
/// the CIRCL answer names its `origin` and gives a type without a mnemonic as a number (the
/// COF draft's rule, which PyPDNS follows); a CIDR may be written with its slash; any printable
/// `swclient` is taken; Flex search says it is not offered.
#[tokio::test]
async fn what_real_clients_expect() {
    let fx = sqlite().await;
    let ingest = key(&fx.store, "agent", Role::Ingest).await;
    let query = key(&fx.store, "analyst", Role::Query).await;
    let srv = start(&fx.store, ServerConfig::default()).await;
    let a = srv.addr;
    let body = concat!(
        r#"{"rrname":"gen.unknown.test","rrtype":"TYPE65400","rdata":"\\# 2 abcd","time_first":1700000000,"time_last":1700000000,"count":1,"sources":["dnstap/ns1"]}"#,
        "\n",
        r#"{"rrname":"www.unknown.test","rrtype":"A","rdata":"198.51.100.7","time_first":1700000000,"time_last":1700000000,"count":1}"#,
        "\n",
    );
    let r = send(
        a,
        "POST",
        "/api/v1/associations",
        &[("authorization", &bearer(&ingest))],
        body.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let h = [("authorization", query.as_str())];
    let r = get(a, "/pdns/query/gen.unknown.test", &h).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let line = &r.lines()[0];
    assert_eq!(line["rrtype"], 65400, "{line}");
    assert_eq!(line["origin"], "dnstap/ns1", "{line}");
    let r = get(a, "/pdns/query/www.unknown.test", &h).await;
    assert_eq!(r.lines()[0]["rrtype"], "A");
    assert!(r.lines()[0]["origin"].is_string());
    let r = get(a, "/pdns/query/198.51.100.0/24", &h).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.lines()[0]["rrname"], "www.unknown.test");
    let k = [("x-api-key", query.as_str())];
    let r = get(
        a,
        "/lookup/rrset/name/www.unknown.test?swclient=dnsdb-python&version=1.2.4",
        &k,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let r = get(a, "/dnsdb/v2/regex/rrnames/unknown", &k).await;
    assert_eq!(r.status, 501);
    assert!(r.text().contains("Flex search"), "{}", r.text());
    fx.close().await;
}

#[tokio::test]
async fn limits_rate_body_headers_and_anonymous_queries() {
    let fx = sqlite().await;
    let ingest = key(&fx.store, "a", Role::Ingest).await;
    let query = key(&fx.store, "q", Role::Query).await;
    let config = ServerConfig {
        max_body_bytes: 1000,
        max_line_bytes: 100,
        rate_limit_burst: 3,
        rate_limit_per_sec: 0.01,
        allow_anonymous_query: true,
        ..ServerConfig::default()
    };
    let srv = start(&fx.store, config).await;
    let a = srv.addr;
    let auth = bearer(&ingest);
    let big = "x".repeat(2000);
    let r = send(
        a,
        "POST",
        "/api/v1/associations",
        &[("authorization", &auth)],
        big.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.text());
    let long_line = format!("{{\"rrname\":\"{}.test\"}}\n", "a".repeat(150));
    let r = send(
        a,
        "POST",
        "/api/v1/associations",
        &[("authorization", &auth)],
        long_line.as_bytes(),
    )
    .await;
    assert_eq!((r.status, r.json()["line"].as_u64()), (400, Some(1)));
    // Burst of 3: the third token went on the 413 above... count from a fresh key.
    let k2 = key(&fx.store, "q2", Role::Query).await;
    let h = bearer(&k2);
    for _ in 0..3 {
        assert_eq!(
            get(a, "/api/v1/search?q=x.test", &[("authorization", &h)])
                .await
                .status,
            200
        );
    }
    let r = get(a, "/api/v1/search?q=x.test", &[("authorization", &h)]).await;
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
    let r = get(
        a,
        "/dnsdb/v2/lookup/rrset/name/x.test",
        &[("x-api-key", &k2)],
    )
    .await;
    assert_eq!(r.status, 429);
    // Anonymous: queries yes, ingestion no; a given key is still checked.
    assert_eq!(get(a, "/api/v1/search?q=x.test", &[]).await.status, 200);
    let r = get(a, "/dnsdb/v2/lookup/rrset/name/x.test", &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        send(a, "POST", "/api/v1/associations", &[], b"")
            .await
            .status,
        401
    );
    assert_eq!(
        get(
            a,
            "/api/v1/search?q=x.test",
            &[("authorization", "Bearer wrong")]
        )
        .await
        .status,
        401
    );
    let _ = query;
    // Request head over the limit: 431 from hyper.
    let huge = "v".repeat(20_000);
    let r = get(a, "/healthz", &[("x-padding", &huge)]).await;
    assert_eq!(r.status, 431);
    srv.stop().await;
    fx.close().await;
}

#[tokio::test]
async fn store_outage_gives_503_and_recovers() {
    let fx = sqlite().await;
    let ingest = key(&fx.store, "a", Role::Ingest).await;
    let query = key(&fx.store, "q", Role::Query).await;
    let faulty = Arc::new(Faulty::new(fx.store.clone()));
    let srv = start_with(
        faulty.clone(),
        fx.store.clone(),
        ServerConfig::default(),
        None,
    )
    .await;
    let a = srv.addr;
    let line =
        b"{\"rrname\":\"o.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1}\n";
    faulty.down.store(true, Ordering::SeqCst);
    let r = send(
        a,
        "POST",
        "/api/v1/associations",
        &[("authorization", &bearer(&ingest))],
        line,
    )
    .await;
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(r.header("retry-after").is_some());
    assert_eq!(
        get(
            a,
            "/dnsdb/v2/lookup/rrset/name/o.test",
            &[("x-api-key", &query)]
        )
        .await
        .status,
        503
    );
    assert_eq!(
        get(a, "/pdns/query/o.test", &[("authorization", &query)])
            .await
            .status,
        503
    );
    assert_eq!(get(a, "/healthz", &[]).await.status, 503);
    let r = send(a, "POST", "/api/v1/dns", &[("authorization", &bearer(&ingest))],
        br#"{"timestamp":1,"domain":"o.test","rtype":"A","rdata":"192.0.2.1","client":{"service_type":"x","ip":"10.0.0.1"}}"#).await;
    assert_eq!((r.status, r.json()["status"].as_u64()), (503, Some(503)));
    assert!(get(a, "/metrics", &[])
        .await
        .text()
        .contains("yapdns_store_errors_total{kind=\"unavailable\"} 5"));
    faulty.down.store(false, Ordering::SeqCst);
    let r = send(
        a,
        "POST",
        "/api/v1/associations",
        &[("authorization", &bearer(&ingest))],
        line,
    )
    .await;
    assert_eq!(r.status, 200);
    let (objs, _) = saf(&get(
        a,
        "/dnsdb/v2/lookup/rrset/name/o.test",
        &[("x-api-key", &query)],
    )
    .await);
    assert_eq!(objs.len(), 1);
    srv.stop().await;
    fx.close().await;
}

#[tokio::test]
async fn shutdown_finishes_the_batch_in_flight() {
    let fx = sqlite().await;
    let ingest = key(&fx.store, "a", Role::Ingest).await;
    let faulty = Arc::new(Faulty::new(fx.store.clone()));
    faulty.write_delay_ms.store(1500, Ordering::SeqCst);
    let srv = start_with(
        faulty.clone(),
        fx.store.clone(),
        ServerConfig::default(),
        None,
    )
    .await;
    let a = srv.addr;
    let auth = bearer(&ingest);
    let inflight = tokio::spawn(async move {
        send(a, "POST", "/api/v1/associations", &[("authorization", &auth)],
            b"{\"rrname\":\"late.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1}\n").await
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    srv.stop().await; // returns only once the write is done
    let r = inflight.await.unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    let page = yapdns_core::Query::lookup(
        &fx.store,
        &yapdns_core::QueryRequest::new(yapdns_core::Lookup::Rrset("late.test".parse().unwrap())),
    )
    .await
    .unwrap();
    assert_eq!(page.associations.len(), 1);
    // And the listener is closed.
    assert!(tokio::net::TcpStream::connect(a).await.is_err());
    fx.close().await;
}

#[tokio::test]
async fn slow_requests_time_out_with_503() {
    let fx = sqlite().await;
    let ingest = key(&fx.store, "a", Role::Ingest).await;
    let faulty = Arc::new(Faulty::new(fx.store.clone()));
    faulty.write_delay_ms.store(2500, Ordering::SeqCst);
    let config = ServerConfig {
        request_timeout_secs: 1,
        shutdown_grace_secs: 5,
        ..ServerConfig::default()
    };
    let srv = start_with(faulty, fx.store.clone(), config, None).await;
    let r = send(
        srv.addr,
        "POST",
        "/api/v1/associations",
        &[("authorization", &bearer(&ingest))],
        b"{\"rrname\":\"slow.test\",\"rrtype\":\"A\",\"rdata\":\"192.0.2.1\",\"time_first\":1}\n",
    )
    .await;
    assert_eq!(r.status, 503);
    srv.stop().await;
    fx.close().await;
}

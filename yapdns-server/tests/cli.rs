//! The command line: import (and re-import), query, client add/list/revoke, serve, demo —
//! the real binary over a real SQLite store.

#![allow(clippy::unwrap_used)] // helpers beside the tests: a panic is a failed test

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::unique;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yapdns-server"));
    c.env("RUST_LOG", "warn");
    c
}

fn logs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/logs")
}

fn sample_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(logs())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .collect();
    v.sort();
    v
}

fn run(c: &mut Command) -> (String, String) {
    let out = c.output().unwrap();
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {o}\nstderr: {e}",
        out.status
    );
    (o, e)
}

#[test]
fn import_is_safe_to_rerun_and_query_prints_cof() {
    let dir = std::env::temp_dir().join(unique("yapdns-cli"));
    let dsn = format!("sqlite://{}", dir.join("y.db").display());
    // One batch per sample file: each is far below the batch size.
    let n = sample_files().len();
    let (_, e1) = run(bin()
        .arg("import")
        .arg("--store")
        .arg(&dsn)
        .args(sample_files()));
    assert!(
        e1.contains(&format!("batches: {n} written, 0 already")),
        "{e1}"
    );
    let (all1, _) = run(bin().args(["query", "--store", &dsn, "--rdata", "0.0.0.0/0"]));
    let (_, e2) = run(bin()
        .arg("import")
        .arg("--store")
        .arg(&dsn)
        .args(sample_files()));
    assert!(
        e2.contains(&format!("batches: 0 written, {n} already in the store")),
        "{e2}"
    );
    let (all2, _) = run(bin().args(["query", "--store", &dsn, "0.0.0.0/0"]));
    assert_eq!(all1, all2, "a re-run changes nothing");
    assert!(all1.lines().count() > 10);
    for l in all1.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(v["rrname"].is_string() && v["time_first"].is_i64());
    }
    let (one, _) = run(bin().args([
        "query",
        "--store",
        &dsn,
        "--rrtype",
        "AAAA",
        "www.corp.test",
    ]));
    assert_eq!(one.lines().count(), 1, "{one}");
    let (lim, err) = run(bin().args(["query", "--store", &dsn, "--limit", "2", "*.corp.test"]));
    assert_eq!(lim.lines().count(), 2);
    assert!(err.contains("more results"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn clients_add_list_revoke_and_serve() {
    let dir = std::env::temp_dir().join(unique("yapdns-cli"));
    let dsn = format!("sqlite://{}", dir.join("y.db").display());
    let (key, _) = run(bin().args(["client", "add", "--store", &dsn, "--role", "query", "alice"]));
    let key = key.trim().to_string();
    assert!(key.starts_with("yapdns_") && key.len() > 64);
    let out = bin()
        .args(["client", "add", "--store", &dsn, "--role", "query", "alice"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "a name is taken once");
    let (list, _) = run(bin().args(["client", "list", "--store", &dsn]));
    assert!(list.contains("alice") && list.contains("query") && !list.contains(&key));

    // Serve on a free port; read the address from the stable stderr line.
    let mut child = bin()
        .args(["serve", "--store", &dsn, "--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let url = loop {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0, "server exited");
        if let Some(u) = line.trim().strip_prefix("yapdns-server listening on ") {
            break u.to_string();
        }
    };
    let addr: std::net::SocketAddr = url.trim_start_matches("http://").parse().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let status = |k: &str| {
        rt.block_on(common::get(
            addr,
            "/dnsdb/v2/lookup/rrset/name/x.test",
            &[("x-api-key", k)],
        ))
        .status
    };
    assert_eq!(status(&key), 200);
    run(bin().args(["client", "revoke", "--store", &dsn, "alice"]));
    assert_eq!(
        status(&key),
        403,
        "revoked in the store: refused by the running server"
    );
    let out = bin()
        .args(["client", "revoke", "--store", &dsn, "alice"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    // SIGTERM: a graceful stop.
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let st = child.wait().unwrap();
    assert!(st.success(), "{st:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn demo_imports_the_samples_and_serves_them() {
    let dir = std::env::temp_dir().join(unique("yapdns-demo"));
    let mut child = bin()
        .arg("demo")
        .arg("--dir")
        .arg(&dir)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let mut text = String::new();
    for l in out.lines() {
        let l = l.unwrap();
        text.push_str(&l);
        text.push('\n');
        if l.starts_with("Ctrl-C") {
            break;
        }
    }
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .map(|s| s.split_whitespace().next().unwrap_or("").to_string())
            .unwrap_or_else(|| panic!("no {name} in {text}"))
    };
    let url = field("URL:");
    let key = field("key:");
    assert!(
        text.contains("curl ") && text.contains("dnsdbq ") && text.contains("pypdns"),
        "{text}"
    );
    let addr: std::net::SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    // The first example query, as printed, answers with data.
    let curl = text
        .lines()
        .find(|l| l.trim().starts_with("curl "))
        .unwrap();
    let path = curl
        .split('\'')
        .nth(3)
        .unwrap()
        .trim_start_matches(&format!("http://{addr}"))
        .to_string();
    let r = rt.block_on(common::get(addr, &path, &[("x-api-key", &key)]));
    let lines = r.lines();
    assert!(lines.len() >= 3, "{}", r.text());
    assert_eq!(lines.last().unwrap()["cond"], "succeeded");
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

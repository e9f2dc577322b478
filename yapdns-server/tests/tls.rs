//! HTTPS: a throw-away CA signs the server's certificate; a client that trusts only that CA
//! talks to the server, and one that trusts nothing, or speaks plain HTTP, does not get in.

#![allow(clippy::unwrap_used)] // helpers beside the tests: a panic is a failed test

mod common;

use std::sync::Arc;

use common::*;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls_pki_types::{CertificateDer, ServerName};
use yapdns_server::ServerConfig;
use yapdns_store::Role;

struct Pki {
    ca_der: CertificateDer<'static>,
    dir: std::path::PathBuf,
}

fn make_pki() -> Pki {
    let dir = std::env::temp_dir().join(unique("yapdns-tls"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "yapdns test CA");
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
    // The chain file: leaf then CA, as operators usually ship it.
    std::fs::write(
        dir.join("cert.pem"),
        format!("{}{}", leaf.pem(), ca_cert.pem()),
    )
    .unwrap();
    std::fs::write(dir.join("key.pem"), leaf_key.serialize_pem()).unwrap();
    Pki {
        ca_der: ca_cert.der().clone(),
        dir,
    }
}

fn client(roots: rustls::RootCertStore) -> tokio_rustls::TlsConnector {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    tokio_rustls::TlsConnector::from(Arc::new(cfg))
}

#[tokio::test]
async fn https_with_a_throwaway_ca() {
    let pki = make_pki();
    let fx = sqlite().await;
    let query = key(&fx.store, "q", Role::Query).await;
    let acceptor =
        yapdns_server::tls::acceptor(&pki.dir.join("cert.pem"), &pki.dir.join("key.pem")).unwrap();
    let srv = start_with(
        Arc::new(fx.store.clone()),
        fx.store.clone(),
        ServerConfig::default(),
        Some(acceptor),
    )
    .await;

    let mut roots = rustls::RootCertStore::empty();
    roots.add(pki.ca_der.clone()).unwrap();
    let good = client(roots);
    for name in ["localhost", "127.0.0.1"] {
        let tcp = tokio::net::TcpStream::connect(srv.addr).await.unwrap();
        let tls = good
            .connect(ServerName::try_from(name.to_string()).unwrap(), tcp)
            .await
            .unwrap();
        let r = send_on(
            tls,
            name,
            "GET",
            "/dnsdb/v2/lookup/rrset/name/x.test",
            &[("x-api-key", &query)],
            b"",
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.lines().last().unwrap()["cond"], "succeeded");
    }

    // A client that does not trust the CA refuses the handshake.
    let bad = client(rustls::RootCertStore::empty());
    let tcp = tokio::net::TcpStream::connect(srv.addr).await.unwrap();
    assert!(bad
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .is_err());

    // Plain HTTP to the TLS port gets no HTTP answer.
    let tcp = tokio::net::TcpStream::connect(srv.addr).await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake::<
        _,
        http_body_util::Empty<bytes::Bytes>,
    >(hyper_util::rt::TokioIo::new(tcp))
    .await
    .unwrap();
    tokio::spawn(conn);
    let req = axum::http::Request::get("/healthz")
        .header("host", "localhost")
        .body(http_body_util::Empty::new())
        .unwrap();
    assert!(sender.send_request(req).await.is_err());

    srv.stop().await;
    fx.close().await;
    let _ = std::fs::remove_dir_all(&pki.dir);
}

#[test]
fn unusable_certificates_are_reported() {
    let dir = std::env::temp_dir().join(unique("yapdns-tls-bad"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("empty.pem"), "").unwrap();
    let e = yapdns_server::tls::acceptor(&dir.join("empty.pem"), &dir.join("empty.pem"));
    assert!(e.is_err());
    let e = yapdns_server::tls::acceptor(&dir.join("missing.pem"), &dir.join("missing.pem"));
    assert!(e.err().unwrap().to_string().contains("missing.pem"));
    let _ = std::fs::remove_dir_all(&dir);
}

//! Test harness: a real server on loopback over a real store, and a small HTTP client.
#![allow(dead_code, clippy::unwrap_used)] // test helpers: a panic is a failed test

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use axum::http::{HeaderMap, Request};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use yapdns_core::{
    Batch, NameQuery, NameSighting, Page, Query, QueryRequest, Sink, StoreStats, Summary,
    WriteReceipt,
};
use yapdns_server::app::AppState;
use yapdns_server::{serve, Backend, ServerConfig};
use yapdns_store::Store;

pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A store and what to remove after the test.
pub struct Fixture {
    pub store: Store,
    pub dsn: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(std::path::PathBuf),
    Database { admin_url: String, name: String },
}

impl Fixture {
    pub async fn close(self) {
        drop(self.store);
        match self.cleanup {
            Cleanup::Dir(d) => {
                let _ = std::fs::remove_dir_all(d);
            }
            Cleanup::Database { admin_url, name } => {
                #[cfg(feature = "postgres")]
                {
                    let _ = yapdns_store::postgres::drop_database(&admin_url, &name).await;
                }
                let _ = (admin_url, name);
            }
        }
    }
}

/// A new SQLite file store in a temporary directory.
pub async fn sqlite() -> Fixture {
    let dir = std::env::temp_dir().join(unique("yapdns-server-test"));
    let dsn = format!("sqlite://{}", dir.join("store.db").display());
    let store = yapdns_store::open(&dsn).await.unwrap();
    Fixture {
        store,
        dsn,
        cleanup: Cleanup::Dir(dir),
    }
}

/// A new PostgreSQL database, when `YAPDNS_TEST_POSTGRES` names a server
/// (scripts/with-postgres.sh sets it); `None` (skip) otherwise, or a failure with
/// `YAPDNS_REQUIRE_BACKENDS=1`.
#[cfg(feature = "postgres")]
pub async fn postgres() -> Option<Fixture> {
    let Ok(admin_url) = std::env::var("YAPDNS_TEST_POSTGRES") else {
        if std::env::var("YAPDNS_REQUIRE_BACKENDS").as_deref() == Ok("1") {
            panic!("YAPDNS_REQUIRE_BACKENDS=1 but YAPDNS_TEST_POSTGRES is not set");
        }
        eprintln!("skipped: set YAPDNS_TEST_POSTGRES (scripts/with-postgres.sh does)");
        return None;
    };
    let name = unique("yapdns_server_test");
    let url = yapdns_store::postgres::create_database(&admin_url, &name)
        .await
        .unwrap();
    let store = yapdns_store::open(&url).await.unwrap();
    Some(Fixture {
        store,
        dsn: url,
        cleanup: Cleanup::Database { admin_url, name },
    })
}

/// A server running in this process.
pub struct Server {
    pub addr: SocketAddr,
    pub state: AppState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Asks for a graceful shutdown and waits for `serve` to return.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        self.handle.await.unwrap().unwrap();
    }
}

pub async fn start_with(
    backend: Arc<dyn Backend>,
    store: Store,
    config: ServerConfig,
    tls: Option<yapdns_server::tls::TlsAcceptor>,
) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(backend, Arc::new(store), config);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let st = state.clone();
    let handle = tokio::spawn(async move {
        serve::serve(listener, st, tls, async {
            let _ = rx.await;
        })
        .await
    });
    Server {
        addr,
        state,
        stop: Some(tx),
        handle,
    }
}

pub async fn start(store: &Store, config: ServerConfig) -> Server {
    start_with(Arc::new(store.clone()), store.clone(), config, None).await
}

/// An answer.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The lines of an NDJSON body, each checked to end in `\n`.
    pub fn lines(&self) -> Vec<serde_json::Value> {
        let t = self.text();
        if t.is_empty() {
            return vec![];
        }
        assert!(t.ends_with('\n'), "body does not end in a newline: {t:?}");
        t.split_terminator('\n')
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
            .collect()
    }
}

/// Sends one request over a fresh connection (HTTP/1.1).
pub async fn send_on<IO>(
    io: IO,
    host: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header("host", host);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let req = b.body(Full::new(Bytes::copy_from_slice(body))).unwrap();
    let resp = sender.send_request(req).await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let io = tokio::net::TcpStream::connect(addr).await.unwrap();
    send_on(io, &addr.to_string(), method, path, headers, body).await
}

pub async fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Resp {
    send(addr, "GET", path, headers, b"").await
}

/// A store decorator for failure tests: switched "down", every call fails as a store outage
/// does (`Error::Unavailable`); `write_delay` slows writes so a shutdown can catch one in
/// flight. The data still goes to the real store underneath.
pub struct Faulty {
    pub inner: Store,
    pub down: AtomicBool,
    pub write_delay_ms: AtomicU64,
}

impl Faulty {
    pub fn new(inner: Store) -> Faulty {
        Faulty {
            inner,
            down: AtomicBool::new(false),
            write_delay_ms: AtomicU64::new(0),
        }
    }

    fn check(&self) -> yapdns_core::Result<()> {
        if self.down.load(Ordering::SeqCst) {
            return Err(yapdns_core::Error::Unavailable("injected outage".into()));
        }
        Ok(())
    }
}

#[async_trait]
impl Sink for Faulty {
    async fn write(&self, batch: &Batch) -> yapdns_core::Result<WriteReceipt> {
        self.check()?;
        let d = self.write_delay_ms.load(Ordering::SeqCst);
        if d > 0 {
            tokio::time::sleep(Duration::from_millis(d)).await;
        }
        Sink::write(&self.inner, batch).await
    }

    async fn ping(&self) -> yapdns_core::Result<()> {
        self.check()?;
        Sink::ping(&self.inner).await
    }
}

#[async_trait]
impl Query for Faulty {
    async fn lookup(&self, q: &QueryRequest) -> yapdns_core::Result<Page> {
        self.check()?;
        Query::lookup(&self.inner, q).await
    }
    async fn summarize(&self, q: &QueryRequest) -> yapdns_core::Result<Summary> {
        self.check()?;
        Query::summarize(&self.inner, q).await
    }
    async fn names(&self, q: &NameQuery) -> yapdns_core::Result<Vec<NameSighting>> {
        self.check()?;
        Query::names(&self.inner, q).await
    }
    async fn stats(&self) -> yapdns_core::Result<StoreStats> {
        self.check()?;
        Query::stats(&self.inner).await
    }
}

/// Creates a client and returns its key.
pub async fn key(store: &Store, name: &str, role: yapdns_store::Role) -> String {
    yapdns_store::Registry::create_client(store, name, role)
        .await
        .unwrap()
        .key
}

pub fn bearer(key: &str) -> String {
    format!("Bearer {key}")
}

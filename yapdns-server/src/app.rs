//! The application: shared state, the route table and the middleware around it.

use std::ops::Deref;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::sync::Notify;
use yapdns_core::{Batch, WriteReceipt};

use crate::auth::{self, Denied, Principal, Registry, Role};
use crate::backend::Backend;
use crate::config::ServerConfig;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;
use crate::{circl, dnsdb, ingest, web};

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The shared parts of [`AppState`].
pub struct Inner {
    /// The store.
    pub store: Arc<dyn Backend>,
    /// Who owns which key.
    pub registry: Arc<dyn Registry>,
    /// Settings.
    pub config: ServerConfig,
    /// Counters for `/metrics`.
    pub metrics: Metrics,
    /// Per-key token buckets.
    pub limiter: RateLimiter,
    /// Store writes still running (shutdown waits for them).
    pub writes: WriteTracker,
}

impl Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// State over a store and a registry.
    pub fn new(
        store: Arc<dyn Backend>,
        registry: Arc<dyn Registry>,
        config: ServerConfig,
    ) -> AppState {
        let limiter = RateLimiter::new(config.rate_limit_per_sec, config.rate_limit_burst);
        AppState(Arc::new(Inner {
            store,
            registry,
            config,
            metrics: Metrics::default(),
            limiter,
            writes: WriteTracker::default(),
        }))
    }

    /// Authenticates the request for an endpoint needing `need` and takes a token from the
    /// client's bucket: 401, 403, 429 or 503 (store down) otherwise.
    pub async fn authorize(&self, headers: &HeaderMap, need: Role) -> Result<Principal, ApiError> {
        let p = self.authenticate(headers, need).await?;
        self.limiter
            .check(&p.client)
            .map_err(ApiError::rate_limited)?;
        Ok(p)
    }

    /// Like [`AppState::authorize`] without spending a token (for `rate_limit` itself).
    pub async fn authenticate(
        &self,
        headers: &HeaderMap,
        need: Role,
    ) -> Result<Principal, ApiError> {
        match auth::authorize(
            self.registry.as_ref(),
            headers,
            need,
            self.config.allow_anonymous_query,
        )
        .await
        {
            Ok(Ok(p)) => Ok(p),
            Ok(Err(Denied::Unauthenticated)) => Err(ApiError::unauthorized()),
            Ok(Err(Denied::Forbidden)) => Err(ApiError::forbidden()),
            Err(e) => Err(self.store_error(&e)),
        }
    }

    /// Counts a store error and turns it into its answer.
    pub fn store_error(&self, e: &yapdns_core::Error) -> ApiError {
        self.metrics.store_error(e);
        tracing::warn!(error = %e, "store error");
        ApiError::from_store(e)
    }

    /// Writes a batch. The write runs in its own task, so a client that hangs up does not
    /// cancel it half-way, and shutdown waits for it ([`WriteTracker`]).
    pub async fn write(&self, batch: Batch) -> Result<WriteReceipt, ApiError> {
        let (na, nn) = (batch.associations.len() as u64, batch.names.len() as u64);
        if batch.is_empty() {
            return Ok(WriteReceipt {
                applied: true,
                associations: 0,
                names: 0,
            });
        }
        let store = self.store.clone();
        let guard = self.writes.start();
        let task = tokio::spawn(async move {
            let r = store.write(&batch).await;
            drop(guard);
            r
        });
        match task.await {
            Ok(Ok(receipt)) => {
                self.metrics.ingested(receipt.applied, na, nn);
                Ok(receipt)
            }
            Ok(Err(e)) => Err(self.store_error(&e)),
            Err(join) => {
                let e = yapdns_core::Error::Unavailable(Box::new(join));
                Err(self.store_error(&e))
            }
        }
    }
}

/// Counts store writes in progress, so that shutdown can wait for every acknowledged (or
/// about to be acknowledged) batch to be durable.
#[derive(Debug, Default)]
pub struct WriteTracker {
    running: Arc<(AtomicUsize, Notify)>,
}

/// One running write; dropping it ends it.
#[derive(Debug)]
pub struct WriteGuard(Arc<(AtomicUsize, Notify)>);

impl Drop for WriteGuard {
    fn drop(&mut self) {
        if self.0 .0.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0 .1.notify_waiters();
        }
    }
}

impl WriteTracker {
    /// Marks a write as started.
    pub fn start(&self) -> WriteGuard {
        self.running.0.fetch_add(1, Ordering::AcqRel);
        WriteGuard(self.running.clone())
    }

    /// Writes in progress.
    pub fn running(&self) -> usize {
        self.running.0.load(Ordering::Acquire)
    }

    /// Waits until no write is running, or `timeout`; true when idle.
    pub async fn idle(&self, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.running.1.notified();
            if self.running() == 0 {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.running() == 0;
            }
        }
    }
}

/// Counts and times every request under its route template.
async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let method = req.method().as_str().to_string();
    let start = Instant::now();
    state.metrics.in_flight(1);
    let resp = next.run(req).await;
    state.metrics.in_flight(-1);
    state
        .metrics
        .request(&route, &method, resp.status().as_u16(), start.elapsed());
    resp
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            state.metrics.store_error(&e);
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("store unavailable: {e}\n"),
            )
                .into_response()
        }
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/yaml")],
        include_str!("../../docs/openapi.yaml"),
    )
        .into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
}

/// The whole route table with its limits: body size, request timeout, concurrency, metrics.
pub fn router(state: AppState) -> Router {
    let c = &state.config;
    let api = Router::new()
        .route("/api/v1/associations", post(ingest::associations))
        .route("/api/v1/dns", post(ingest::beat_one))
        .route("/api/v1/dns/bulk", post(ingest::beat_bulk))
        .route("/api/v1/search", get(web::search))
        .route("/api/v1/names", get(web::names))
        .route("/api/v1/stats", get(web::stats))
        .route("/api/v1/openapi.yaml", get(openapi))
        .route("/", get(web::page))
        .route("/pdns/query/{*q}", get(circl::query))
        .route("/dnsdb/v2/ping", get(dnsdb::ping))
        .route("/dnsdb/v2/rate_limit", get(dnsdb::rate_limit_v2))
        .route("/dnsdb/v2/lookup/{*rest}", get(dnsdb::lookup_v2))
        .route("/dnsdb/v2/summarize/{*rest}", get(dnsdb::summarize_v2))
        .route("/dnsdb/v2/regex/{*rest}", get(dnsdb::flex))
        .route("/dnsdb/v2/glob/{*rest}", get(dnsdb::flex))
        .route("/lookup/rate_limit", get(dnsdb::rate_limit_v1))
        .route("/lookup/{*rest}", get(dnsdb::lookup_v1))
        .route("/summarize/{*rest}", get(dnsdb::summarize_v1))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(c.max_body_bytes));
    let timeout = c.request_timeout();
    let limit = c.max_concurrent_requests;
    api.layer(
        tower::ServiceBuilder::new()
            .layer(middleware::from_fn_with_state(state.clone(), track))
            .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                timeout,
            ))
            .layer(tower::limit::GlobalConcurrencyLimitLayer::new(limit)),
    )
    .with_state(state)
}

//! Errors at the edge: every failure of a native endpoint becomes a status code and a JSON body
//! `{"error": CODE, "reason": TEXT, "line": N}` (`line` only for ingestion).
//!
//! The DNSDB and CIRCL endpoints answer errors the way those services do (plain text); they
//! build their responses from the same [`ApiError`] through [`ApiError::plain`].

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A short machine-readable code (`bad_request`, `unauthorized`, …).
    pub error: &'static str,
    /// What went wrong, for a person.
    pub reason: String,
    /// The 1-based line of the request body at fault (ingestion).
    pub line: Option<u64>,
    /// Seconds before a retry may succeed (429 and 503 send `Retry-After`).
    pub retry_after: Option<u64>,
    /// Ask the browser for HTTP Basic credentials (the search page).
    pub basic_challenge: bool,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
}

impl ApiError {
    /// An error with this status, code and reason.
    pub fn new(status: StatusCode, error: &'static str, reason: impl Into<String>) -> ApiError {
        ApiError {
            status,
            error,
            reason: reason.into(),
            line: None,
            retry_after: None,
            basic_challenge: false,
        }
    }

    /// 400: the request itself is wrong.
    pub fn bad_request(reason: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", reason)
    }

    /// 400 naming the body line at fault.
    pub fn bad_line(line: u64, reason: impl Into<String>) -> ApiError {
        ApiError {
            line: Some(line),
            ..ApiError::new(StatusCode::BAD_REQUEST, "invalid_line", reason)
        }
    }

    /// 401: no key, or a key nobody owns.
    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid API key is required",
        )
    }

    /// 403: the key's role does not cover this endpoint.
    pub fn forbidden() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "this key's role may not use this endpoint",
        )
    }

    /// 413: the body is over the limit.
    pub fn too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the request body is larger than {limit} bytes"),
        )
    }

    /// 429: the key's rate limit is used up for now.
    pub fn rate_limited(retry_after: u64) -> ApiError {
        ApiError {
            retry_after: Some(retry_after.max(1)),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "rate limit exceeded for this key",
            )
        }
    }

    /// 503 (the store is unreachable or busy: retry) or 500 (anything else the store refused).
    pub fn from_store(e: &yapdns_core::Error) -> ApiError {
        use yapdns_core::Error as E;
        match e {
            e if e.is_retryable() => ApiError {
                retry_after: Some(5),
                ..ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "store_unavailable",
                    format!("the store is unavailable, retry later: {e}"),
                )
            },
            E::InvalidQuery(_)
            | E::InvalidName { .. }
            | E::InvalidRdata { .. }
            | E::InvalidRrType(_)
            | E::Cof(_)
            | E::Json(_) => ApiError::bad_request(e.to_string()),
            // A record the store cannot keep as given (a NUL byte, say): the sender's to fix.
            E::Backend(b)
                if matches!(
                    b.downcast_ref::<yapdns_store::Error>(),
                    Some(yapdns_store::Error::InvalidRecord(_))
                ) =>
            {
                ApiError::bad_request(e.to_string())
            }
            e => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "store_error",
                e.to_string(),
            ),
        }
    }

    /// The same error as a `text/plain` response `Error: REASON` (DNSDB, CIRCL).
    pub fn plain(self) -> Response {
        let mut r = (self.status, format!("Error: {}\n", self.reason)).into_response();
        self.add_headers(&mut r);
        r
    }

    fn add_headers(&self, r: &mut Response) {
        if let Some(s) = self.retry_after {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        if self.basic_challenge {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"yapdns\", charset=\"UTF-8\""),
            );
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: self.error,
            reason: &self.reason,
            line: self.line,
        };
        let mut r = (self.status, axum::Json(body)).into_response();
        self.add_headers(&mut r);
        r
    }
}

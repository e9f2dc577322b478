//! API keys and roles: where a request's key is read from, and who it belongs to.
//!
//! Keys are checked by a [`Registry`] (the store keeps them hashed and compares in constant
//! time); this module only finds the key in the request. Clients send it in whichever way their
//! protocol uses, and every endpoint accepts all of them:
//!
//! | header | used by |
//! |---|---|
//! | `Authorization: Bearer KEY` | agents, curl |
//! | `X-API-Key: KEY` (any case) | DNSDB clients (dnsdbq) |
//! | `Authorization: Basic base64(NAME:KEY)` | CIRCL clients (PyPDNS `basic_auth`), the old beat (`client_id:secret`), browsers |
//! | `Authorization: KEY` | CIRCL clients (PyPDNS `auth_token`) |
//!
//! With HTTP Basic the password is the key; a non-empty user name must be the key's client name.

use async_trait::async_trait;
use base64::Engine as _;
use http::HeaderMap;

use axum::http;

/// What a client may do (the store's registry roles): `Admin` may do everything, `Ingest` and
/// `Query` only their own part.
pub use yapdns_store::Role;

/// The client a key belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The client's name (`yapdns-server client add NAME`); rate limits are per client.
    pub client: String,
    /// What it may do.
    pub role: Role,
}

impl Principal {
    /// The principal of requests without a key when `--allow-anonymous-query` is set.
    pub fn anonymous() -> Principal {
        Principal {
            client: "anonymous".to_string(),
            role: Role::Query,
        }
    }
}

/// Checks API keys. Every `yapdns_store::Registry` (the SQL stores) is one: keys are stored
/// hashed and compared in constant time there; the server never sees a stored key, only the
/// answer.
#[async_trait]
pub trait Registry: Send + Sync + 'static {
    /// The client owning `key`, or `None` for an unknown or revoked key. Errors are store
    /// errors (the request gets a 503 when they are retryable).
    async fn authenticate(&self, key: &str) -> yapdns_core::Result<Option<Principal>>;
}

#[async_trait]
impl<T: yapdns_store::Registry + 'static> Registry for T {
    async fn authenticate(&self, key: &str) -> yapdns_core::Result<Option<Principal>> {
        let found = yapdns_store::Registry::authenticate(self, key).await?;
        Ok(found.map(|c| Principal {
            client: c.name,
            role: c.role,
        }))
    }
}

/// A key found in a request, with the user name HTTP Basic carried, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The key.
    pub key: String,
    /// The Basic user name, which must then match the client name.
    pub user: Option<String>,
}

/// The longest key accepted; anything longer is not a key of ours and is not sent to the store.
pub const MAX_KEY_LEN: usize = 512;

/// Finds the key in the request headers (see the module documentation for the forms), or
/// `None` when the request carries none. `X-API-Key` wins over `Authorization`.
pub fn credentials(headers: &HeaderMap) -> Option<Credentials> {
    if let Some(v) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        let key = v.trim();
        if !key.is_empty() && key.len() <= MAX_KEY_LEN {
            return Some(Credentials {
                key: key.to_string(),
                user: None,
            });
        }
    }
    let auth = headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
    let (scheme, rest) = match auth.split_once(' ') {
        Some((s, r)) => (s, r.trim()),
        None => ("", auth),
    };
    let cred = if scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token") {
        Credentials {
            key: rest.to_string(),
            user: None,
        }
    } else if scheme.eq_ignore_ascii_case("basic") {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(rest.as_bytes())
            .ok()?;
        let text = String::from_utf8(raw).ok()?;
        let (user, pass) = text.split_once(':')?;
        Credentials {
            key: pass.to_string(),
            user: (!user.is_empty()).then(|| user.to_string()),
        }
    } else if scheme.is_empty() {
        if ["bearer", "basic", "token"]
            .iter()
            .any(|s| rest.eq_ignore_ascii_case(s))
        {
            return None; // a scheme with nothing after it
        }
        // A raw key, as PyPDNS sends its `auth_token`.
        Credentials {
            key: rest.to_string(),
            user: None,
        }
    } else {
        return None;
    };
    (!cred.key.is_empty() && cred.key.len() <= MAX_KEY_LEN).then_some(cred)
}

/// Why a request was not let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// No key, an unknown or revoked key, or a Basic user name that is not the key's client.
    Unauthenticated,
    /// A valid key whose role does not cover the endpoint.
    Forbidden,
}

/// Decides who a request is and whether it may use an endpoint needing `need`.
///
/// `Ok(Err(denied))` is a refusal; `Err` is a store error while checking the key.
pub async fn authorize(
    registry: &dyn Registry,
    headers: &HeaderMap,
    need: Role,
    allow_anonymous_query: bool,
) -> yapdns_core::Result<Result<Principal, Denied>> {
    let Some(cred) = credentials(headers) else {
        if need == Role::Query && allow_anonymous_query {
            return Ok(Ok(Principal::anonymous()));
        }
        return Ok(Err(Denied::Unauthenticated));
    };
    let Some(p) = registry.authenticate(&cred.key).await? else {
        return Ok(Err(Denied::Unauthenticated));
    };
    if cred.user.as_deref().is_some_and(|u| u != p.client) {
        return Ok(Err(Denied::Unauthenticated));
    }
    if !p.role.allows(need) {
        return Ok(Err(Denied::Forbidden));
    }
    Ok(Ok(p))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn h(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        m
    }

    #[test]
    fn every_header_form_gives_the_key() {
        let k = |m: HeaderMap| credentials(&m).map(|c| (c.key, c.user));
        assert_eq!(
            k(h(&[("authorization", "Bearer abc")])),
            Some(("abc".into(), None))
        );
        assert_eq!(k(h(&[("x-api-key", " abc ")])), Some(("abc".into(), None)));
        assert_eq!(k(h(&[("X-Api-Key", "abc")])), Some(("abc".into(), None)));
        assert_eq!(
            k(h(&[("authorization", "abc")])),
            Some(("abc".into(), None))
        );
        // base64("beat-1:s3cret")
        assert_eq!(
            k(h(&[("authorization", "Basic YmVhdC0xOnMzY3JldA==")])),
            Some(("s3cret".into(), Some("beat-1".into())))
        );
        // base64(":s3cret"): no user name.
        assert_eq!(
            k(h(&[("authorization", "basic OnMzY3JldA==")])),
            Some(("s3cret".into(), None))
        );
        assert_eq!(k(h(&[("authorization", "Basic !!!")])), None);
        assert_eq!(k(h(&[("authorization", "Digest x=1")])), None);
        assert_eq!(k(h(&[("authorization", "Bearer ")])), None);
        assert_eq!(k(HeaderMap::new()), None);
        let long = "k".repeat(MAX_KEY_LEN + 1);
        assert_eq!(k(h(&[("authorization", &format!("Bearer {long}"))])), None);
    }

    #[test]
    fn admin_allows_everything_and_others_only_themselves() {
        assert!(Role::Admin.allows(Role::Ingest));
        assert!(Role::Admin.allows(Role::Query));
        assert!(Role::Query.allows(Role::Query));
        assert!(!Role::Query.allows(Role::Ingest));
        assert!(!Role::Ingest.allows(Role::Query));
        assert!(!Role::Ingest.allows(Role::Admin));
    }
}

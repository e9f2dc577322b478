//! The server's settings: a TOML file (`serve --config F`), overridden by command-line flags.
//!
//! Every field has a default, so an empty file (or none) gives a working loopback server.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Settings of `yapdns-server serve`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// The store DSN: `sqlite://PATH` or `postgres://…`.
    pub store: String,
    /// PEM certificate chain; with `tls_key`, the server speaks HTTPS only.
    pub tls_cert: Option<PathBuf>,
    /// PEM private key (PKCS#8, PKCS#1 or SEC1) for `tls_cert`.
    pub tls_key: Option<PathBuf>,
    /// Let requests without a key use the query endpoints (ingestion always needs a key).
    pub allow_anonymous_query: bool,
    /// Largest request body accepted, in bytes; larger bodies get 413.
    pub max_body_bytes: usize,
    /// Longest NDJSON line accepted by ingestion, in bytes; a longer one rejects the request.
    pub max_line_bytes: usize,
    /// Largest request head (request line and headers), in bytes.
    pub max_header_bytes: usize,
    /// Most headers in one request.
    pub max_headers: usize,
    /// Requests handled at once; more wait for a slot (up to the request timeout).
    pub max_concurrent_requests: usize,
    /// Time allowed for a whole request, in seconds; slower ones get 503.
    pub request_timeout_secs: u64,
    /// Time allowed for a client to send its request head, in seconds.
    pub header_read_timeout_secs: u64,
    /// Sustained requests per second allowed per client key (token bucket rate).
    pub rate_limit_per_sec: f64,
    /// Requests a client key may send in a burst (token bucket size).
    pub rate_limit_burst: u32,
    /// Most results one lookup returns (DNSDB `results_max`; `limit=0` asks for this many).
    pub results_max: usize,
    /// Largest `offset` accepted (DNSDB `offset_max`); larger gives 416.
    pub offset_max: usize,
    /// Time given to in-flight requests to finish on shutdown, in seconds.
    pub shutdown_grace_secs: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8053)),
            store: "sqlite://yapdns.db".to_string(),
            tls_cert: None,
            tls_key: None,
            allow_anonymous_query: false,
            max_body_bytes: 32 * 1024 * 1024,
            max_line_bytes: 64 * 1024,
            max_header_bytes: 16 * 1024,
            max_headers: 64,
            max_concurrent_requests: 256,
            request_timeout_secs: 60,
            header_read_timeout_secs: 10,
            rate_limit_per_sec: 50.0,
            rate_limit_burst: 200,
            results_max: 100_000,
            offset_max: 1_000_000,
            shutdown_grace_secs: 30,
        }
    }
}

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for [`ServerConfig`] (unknown keys are errors).
    #[error("{path}: {source}")]
    Toml {
        /// The file.
        path: PathBuf,
        /// Why.
        source: toml::de::Error,
    },
    /// Values that cannot work together.
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl ServerConfig {
    /// Reads a TOML file.
    pub fn load(path: &Path) -> Result<ServerConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let c: ServerConfig = toml::from_str(&text).map_err(|source| ConfigError::Toml {
            path: path.to_path_buf(),
            source,
        })?;
        c.validate()?;
        Ok(c)
    }

    /// Checks values that serde cannot.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |m: &str| Err(ConfigError::Invalid(m.to_string()));
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            return bad("tls_cert and tls_key go together");
        }
        if !(self.rate_limit_per_sec > 0.0 && self.rate_limit_per_sec.is_finite()) {
            return bad("rate_limit_per_sec must be a positive number");
        }
        if self.rate_limit_burst == 0 {
            return bad("rate_limit_burst must be at least 1");
        }
        if self.max_concurrent_requests == 0 || self.results_max == 0 {
            return bad("max_concurrent_requests and results_max must be at least 1");
        }
        if self.max_line_bytes == 0 || self.max_body_bytes == 0 {
            return bad("max_line_bytes and max_body_bytes must be at least 1");
        }
        if self.max_header_bytes < 8192 {
            return bad("max_header_bytes must be at least 8192");
        }
        Ok(())
    }

    /// [`ServerConfig::request_timeout_secs`] as a duration.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs.max(1))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_is_the_default_and_unknown_keys_are_refused() {
        let c: ServerConfig = toml::from_str("").unwrap();
        assert_eq!(c, ServerConfig::default());
        assert!(toml::from_str::<ServerConfig>("listne = \"1.2.3.4:1\"").is_err());
        let c: ServerConfig =
            toml::from_str("listen = \"0.0.0.0:9000\"\nallow_anonymous_query = true").unwrap();
        assert_eq!(c.listen.port(), 9000);
        assert!(c.allow_anonymous_query);
    }

    #[test]
    fn the_example_config_loads() {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("server.example.toml");
        ServerConfig::load(&p).unwrap();
    }

    #[test]
    fn half_a_tls_pair_is_refused() {
        let c = ServerConfig {
            tls_cert: Some("c.pem".into()),
            ..ServerConfig::default()
        };
        assert!(c.validate().is_err());
    }
}

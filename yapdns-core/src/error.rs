//! The one error type of `yapdns-core`.

use std::error::Error as StdError;

/// A boxed error from a backend or frontend that `yapdns-core` does not know.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the model, its normalisation and behind its traits.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A domain name that cannot be normalised (bad label, too long, invalid IDN).
    #[error("invalid name {name:?}: {reason}")]
    InvalidName {
        /// The name as given.
        name: String,
        /// Why it was refused.
        reason: String,
    },
    /// Record data that does not fit its record type (e.g. `A` rdata that is not an IPv4 address).
    #[error("invalid {rrtype} rdata {rdata:?}: {reason}")]
    InvalidRdata {
        /// The record type the rdata was checked against.
        rrtype: String,
        /// The rdata as given.
        rdata: String,
        /// Why it was refused.
        reason: String,
    },
    /// A record type that is neither a known mnemonic, nor `TYPEnnn`, nor a number.
    #[error("unknown record type {0:?}")]
    InvalidRrType(String),
    /// A query argument (pattern, CIDR, range, time fence) that cannot be understood.
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// A record that does not follow the Passive DNS Common Output Format.
    #[error("invalid COF record: {0}")]
    Cof(String),
    /// JSON that does not parse.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The store or peer is unreachable or overloaded; the same call may succeed later.
    #[error("unavailable: {0}")]
    Unavailable(#[source] BoxError),
    /// The store refused the operation; retrying the same call will fail again.
    #[error("backend: {0}")]
    Backend(#[source] BoxError),
}

impl Error {
    /// True when retrying the same operation later may succeed (the agent spools and retries on it).
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::Unavailable(_))
    }
}

/// An error and its causes as one line, `outer: cause: cause`, each cause left out when the
/// text before it already holds it. Many errors write their cause into their own message and
/// also hand it out as their `source()`, so printing the whole chain would say it twice
/// (`x.log: Is a directory (os error 21): Is a directory (os error 21)`); this is what the
/// binaries print at their edge, and what the agent reports of a failed delivery.
///
/// ```
/// use std::io;
/// #[derive(Debug, thiserror::Error)]
/// #[error("x.log: {source}")]
/// struct Open { source: io::Error }
/// let e = Open { source: io::Error::other("Is a directory") };
/// assert_eq!(yapdns_core::error_text(&e), "x.log: Is a directory");
/// ```
pub fn error_text(e: &dyn StdError) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let c_text = c.to_string();
        if !text.contains(&c_text) {
            text.push_str(": ");
            text.push_str(&c_text);
        }
        cause = c.source();
    }
    text
}

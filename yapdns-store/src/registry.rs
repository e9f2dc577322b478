//! The server's registry: API clients with their keys, and dashboard users with their
//! passwords. Only hashes are stored.
//!
//! API keys are 256-bit random tokens from the operating system's CSPRNG, so a single SHA-256
//! is the right hash for them: nothing can be guessed, and checking a key stays cheap enough
//! for every request. Each key carries a non-secret id (`yapdns_<id>_<secret>`) that finds the
//! row; the hashes are then compared in constant time. Dashboard passwords are chosen by
//! people, so they get Argon2id (PHC strings, parameters stored with the hash).

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use async_trait::async_trait;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use yapdns_core::Timestamp;

use crate::error::{Error, Result};

/// What an API client may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Send batches (agents).
    Ingest,
    /// Run queries (analysts' tools).
    Query,
    /// Everything, including managing clients and users.
    Admin,
}

impl Role {
    /// The role's name as stored and as the CLI spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Ingest => "ingest",
            Role::Query => "query",
            Role::Admin => "admin",
        }
    }

    /// True when a client with this role may do what `needed` allows: admin may do
    /// everything, the other roles only their own thing.
    pub fn allows(self, needed: Role) -> bool {
        self == Role::Admin || self == needed
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;

    fn from_str(s: &str) -> Result<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ingest" => Ok(Role::Ingest),
            "query" => Ok(Role::Query),
            "admin" => Ok(Role::Admin),
            _ => Err(Error::InvalidRole(s.to_string())),
        }
    }
}

/// An API client as listed (never with its key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    /// The key's non-secret id (the part after `yapdns_`), unique.
    pub id: String,
    /// A name chosen by the operator, unique.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// When it was created.
    pub created: Timestamp,
    /// When it was revoked; a revoked client never authenticates again.
    pub revoked: Option<Timestamp>,
}

/// A client just created, with its key: the only time the plaintext key exists.
#[derive(Clone, PartialEq, Eq)]
pub struct NewClient {
    /// The client as stored.
    pub client: ApiClient,
    /// The key to hand to the client (`yapdns_<16 hex id>_<64 hex secret>`).
    pub key: String,
}

impl fmt::Debug for NewClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewClient")
            .field("client", &self.client)
            .field("key", &"<redacted>")
            .finish()
    }
}

/// A dashboard user as listed (never with the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardUser {
    /// Login name, unique.
    pub name: String,
    /// When the user was created.
    pub created: Timestamp,
}

/// Who may use the server: API clients and dashboard users. Every backend implements it on
/// [`Store`](crate::Store), so a server keeps its clients beside its data.
#[async_trait]
pub trait Registry: Send + Sync {
    /// Creates a client and returns it with its key, which is shown only this once.
    /// [`Error::Conflict`] when the name is taken (revoked clients keep their names).
    async fn create_client(&self, name: &str, role: Role) -> Result<NewClient>;
    /// The client a key belongs to; `None` for an unknown, malformed or revoked key.
    async fn authenticate(&self, key: &str) -> Result<Option<ApiClient>>;
    /// Every client, revoked ones included, by name.
    async fn list_clients(&self) -> Result<Vec<ApiClient>>;
    /// Revokes the named client; false when no such client is active.
    async fn revoke_client(&self, name: &str) -> Result<bool>;
    /// Creates a dashboard user; [`Error::Conflict`] when the name is taken.
    async fn create_user(&self, name: &str, password: &str) -> Result<DashboardUser>;
    /// Replaces a user's password; false when there is no such user.
    async fn set_user_password(&self, name: &str, password: &str) -> Result<bool>;
    /// True when the name and password match a user. Takes as long for an unknown user as
    /// for a wrong password.
    async fn verify_user(&self, name: &str, password: &str) -> Result<bool>;
    /// Every user, by name.
    async fn list_users(&self) -> Result<Vec<DashboardUser>>;
    /// Deletes a user; false when there is no such user.
    async fn delete_user(&self, name: &str) -> Result<bool>;
}

/// The rows a backend keeps for the registry; the key and password logic above them lives
/// here once.
#[async_trait]
pub(crate) trait RegistryRows: Send + Sync {
    async fn insert_client(&self, c: &ApiClient, key_hash: &[u8]) -> Result<()>;
    async fn client_by_id(&self, id: &str) -> Result<Option<(ApiClient, Vec<u8>)>>;
    async fn clients(&self) -> Result<Vec<ApiClient>>;
    async fn revoke_client(&self, name: &str, at: Timestamp) -> Result<bool>;
    async fn insert_user(&self, user: &DashboardUser, hash: &str) -> Result<()>;
    async fn user_hash(&self, name: &str) -> Result<Option<String>>;
    async fn update_user_hash(&self, name: &str, hash: &str) -> Result<bool>;
    async fn users(&self) -> Result<Vec<DashboardUser>>;
    async fn delete_user(&self, name: &str) -> Result<bool>;
}

const KEY_PREFIX: &str = "yapdns_";
const ID_BYTES: usize = 8;
const SECRET_BYTES: usize = 32;

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| Error::Random(e.to_string()))?;
    Ok(buf)
}

/// SHA-256 of a whole key.
fn hash_key(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// The id inside a well-formed key, or `None`.
fn key_id(key: &str) -> Option<&str> {
    let rest = key.strip_prefix(KEY_PREFIX)?;
    let (id, secret) = rest.split_once('_')?;
    let is_hex = |s: &str, n: usize| {
        s.len() == n * 2 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    (is_hex(id, ID_BYTES) && is_hex(secret, SECRET_BYTES)).then_some(id)
}

fn check_name(what: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() || name.len() > 128 || name.chars().any(char::is_control) {
        return Err(Error::InvalidRecord(format!(
            "{what} name {name:?} must be 1 to 128 characters without control characters"
        )));
    }
    Ok(())
}

async fn hash_password(password: String) -> Result<String> {
    if password.is_empty() {
        return Err(Error::PasswordHash("empty password".into()));
    }
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| Error::PasswordHash(e.to_string()))
    })
    .await?
}

/// A hash of a random password, verified against when the user does not exist so that the
/// answer takes as long as for a wrong password.
fn dummy_hash() -> Option<&'static str> {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    DUMMY
        .get_or_init(|| {
            let pw = hex(&random::<16>().ok()?);
            Argon2::default()
                .hash_password(pw.as_bytes())
                .ok()
                .map(|h| h.to_string())
        })
        .as_deref()
}

async fn verify_password(hash: Option<String>, password: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let Some(stored) = hash.or_else(|| dummy_hash().map(str::to_string)) else {
            return Ok(false);
        };
        let parsed = PasswordHash::new(&stored).map_err(|e| Error::PasswordHash(e.to_string()))?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && ok)
    })
    .await?
}

/// The registry logic over a backend's rows.
pub(crate) async fn create_client(
    rows: &dyn RegistryRows,
    name: &str,
    role: Role,
) -> Result<NewClient> {
    check_name("client", name)?;
    let id = hex(&random::<ID_BYTES>()?);
    let key = format!("{KEY_PREFIX}{id}_{}", hex(&random::<SECRET_BYTES>()?));
    let client = ApiClient {
        id,
        name: name.to_string(),
        role,
        created: Timestamp::now(),
        revoked: None,
    };
    rows.insert_client(&client, &hash_key(&key)).await?;
    Ok(NewClient { client, key })
}

pub(crate) async fn authenticate(rows: &dyn RegistryRows, key: &str) -> Result<Option<ApiClient>> {
    let Some(id) = key_id(key) else {
        return Ok(None);
    };
    let Some((client, stored)) = rows.client_by_id(id).await? else {
        return Ok(None);
    };
    let matches: bool = stored.as_slice().ct_eq(&hash_key(key)).into();
    Ok((matches && client.revoked.is_none()).then_some(client))
}

pub(crate) async fn create_user(
    rows: &dyn RegistryRows,
    name: &str,
    password: &str,
) -> Result<DashboardUser> {
    check_name("user", name)?;
    let hash = hash_password(password.to_string()).await?;
    let user = DashboardUser {
        name: name.to_string(),
        created: Timestamp::now(),
    };
    rows.insert_user(&user, &hash).await?;
    Ok(user)
}

pub(crate) async fn set_user_password(
    rows: &dyn RegistryRows,
    name: &str,
    password: &str,
) -> Result<bool> {
    let hash = hash_password(password.to_string()).await?;
    rows.update_user_hash(name, &hash).await
}

pub(crate) async fn verify_user(
    rows: &dyn RegistryRows,
    name: &str,
    password: &str,
) -> Result<bool> {
    let hash = rows.user_hash(name).await?;
    verify_password(hash, password.to_string()).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_parse_only_well_formed_keys() {
        let id = "0123456789abcdef";
        let secret = "ab".repeat(32);
        let key = format!("yapdns_{id}_{secret}");
        assert_eq!(key_id(&key), Some(id));
        assert_eq!(key_id(&key[1..]), None);
        assert_eq!(key_id(&format!("yapdns_{id}_{}", &secret[1..])), None);
        assert_eq!(
            key_id(&format!("yapdns_{}_{secret}", id.to_uppercase())),
            None
        );
        assert_eq!(key_id(""), None);
    }

    #[test]
    fn roles() {
        assert!(Role::Admin.allows(Role::Ingest));
        assert!(!Role::Ingest.allows(Role::Query));
        assert_eq!("Query".parse::<Role>().unwrap(), Role::Query);
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn new_client_debug_hides_the_key() {
        let c = NewClient {
            client: ApiClient {
                id: "x".into(),
                name: "n".into(),
                role: Role::Query,
                created: Timestamp::from_secs(0),
                revoked: None,
            },
            key: "yapdns_secret".into(),
        };
        assert!(!format!("{c:?}").contains("secret"));
    }
}

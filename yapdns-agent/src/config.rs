//! The agent's configuration file (TOML).
//!
//! Every field has a default except the inputs and the output, and every field is documented
//! here with that default; `docs/agent.md` is the operator's copy of these comments. Unknown
//! keys are errors (`deny_unknown_fields`), so a typo never silently means "use the default".
//!
//! ```
//! let cfg = yapdns_agent::config::Config::from_toml(r#"
//!     data_dir = "/var/lib/yapdns-agent"
//!     [[input]]
//!     paths = ["/var/log/squid/access.log"]
//!     format = "squid"
//!     sensor = "proxy-1"
//!     [output.server]
//!     url = "https://pdns.example.net"
//!     api_key_file = "/etc/yapdns/agent.key"
//! "#).unwrap();
//! assert_eq!(cfg.inputs[0].read_from, yapdns_agent::config::ReadFrom::Beginning);
//! assert_eq!(cfg.aggregate.window.as_secs(), 10);
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use yapdns_parsers::{Format, TimeZone};

/// A configuration that cannot be used, with the reason for a person.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The TOML does not parse or does not fit the schema (the message says where and why).
    #[error("{0}")]
    Toml(#[from] toml::de::Error),
    /// The TOML fits the schema but a value is not usable.
    #[error("{0}")]
    Invalid(String),
}

fn invalid<T>(msg: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError::Invalid(msg.into()))
}

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Directory for the checkpoints (`checkpoints.json`), the spool (`spool/`) and the agent
    /// id. It must be on a local file system and survive reboots.
    /// Default: `/var/lib/yapdns-agent`.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// The files to read, one `[[input]]` table each. At least one is required.
    #[serde(rename = "input", default)]
    pub inputs: Vec<Input>,
    /// Where batches go: exactly one of `[output.server]` or `[output.store]`. Required.
    pub output: Output,
    /// The merge window (`[aggregate]`).
    #[serde(default)]
    pub aggregate: Aggregate,
    /// Most records in one request to the output; a larger window is sent in several
    /// requests. Default: `5000`.
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// How often the agent reads files that grew, seals a window that is due, and hands it to
    /// the output. The floor of the delivery latency. Default: `"1s"`.
    #[serde(default = "default_flush_interval", deserialize_with = "de_duration")]
    pub flush_interval: Duration,
    /// Largest total size of the spool on disk (sealed batches not yet acknowledged).
    /// Default: `"256MiB"`.
    #[serde(default = "default_spool_limit", deserialize_with = "de_size")]
    pub spool_limit: u64,
    /// What to do when the spool is full: `"pause"` stops reading (lines wait in the log files,
    /// nothing is dropped unless a file disappears before it is read) or `"drop_oldest"` drops
    /// the oldest spooled batch to make room (counted in `yapdns_agent_spool_dropped_*` and
    /// logged with the file and byte range it covered). Default: `"pause"`.
    #[serde(default)]
    pub on_spool_full: SpoolFull,
    /// Longest line kept; a longer line is cut, skipped and counted as a `too_long` parse
    /// error, and never held in memory whole. Default: `"1MiB"`.
    #[serde(default = "default_max_line", deserialize_with = "de_size")]
    pub max_line_bytes: u64,
    /// On SIGTERM or SIGINT: how long to keep trying to deliver what was read before exiting.
    /// What is not acknowledged by then stays in the spool for the next start.
    /// Default: `"10s"`.
    #[serde(default = "default_shutdown_timeout", deserialize_with = "de_duration")]
    pub shutdown_timeout: Duration,
    /// File discovery and rotation handling (`[tail]`).
    #[serde(default)]
    pub tail: Tail,
    /// The Prometheus endpoint (`[metrics]`).
    #[serde(default)]
    pub metrics: Metrics,
    /// Logging (`[log]`).
    #[serde(default)]
    pub log: Log,
}

/// One set of files read the same way.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    /// A name for metrics and logs. Default: `input-N` (N from 1, in file order).
    #[serde(default)]
    pub name: Option<String>,
    /// Glob patterns of the files to read (`*`, `?`, `[…]`, `**`), re-scanned every
    /// `tail.scan_interval`. Required, at least one.
    pub paths: Vec<String>,
    /// Glob patterns of files never to read, matched against the full path. Default: none.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The log format (see `yapdns-agent formats`), or `"auto"` to detect it from each file's
    /// first lines. Default: `"auto"`.
    #[serde(default)]
    pub format: FormatChoice,
    /// The sensor id recorded in every association's sources (COF `sensor_id`).
    /// Default: none.
    #[serde(default)]
    pub sensor: Option<String>,
    /// Free `key = "value"` labels attached to this input's metrics and log lines. They are
    /// not shipped: COF has no field for them. Default: none.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Where to start in a file seen for the first time when the agent starts and that has no
    /// checkpoint: `"beginning"` or `"end"`. Files that appear while the agent runs are
    /// always read from their beginning (all their lines are new). Default: `"beginning"`.
    #[serde(default)]
    pub read_from: ReadFrom,
    /// Zone of timestamps written without one: `"utc"`, `"local"` or `"±HH:MM"`.
    /// Default: `"utc"`.
    #[serde(default, deserialize_with = "de_timezone")]
    pub timezone: TimeZone,
    /// Read gzip-compressed rotated files (`*.gz`) that match `paths`. They are read once,
    /// from where the uncompressed file they came from was left. Default: `false` (skipped).
    #[serde(default)]
    pub gzip: bool,
}

impl Input {
    /// The input's name, or `input-N` for the `index`-th input (0-based).
    pub fn display_name(&self, index: usize) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("input-{}", index + 1))
    }
}

/// A format named in the configuration, or automatic detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormatChoice {
    /// Detect each file's format from its first lines.
    #[default]
    Auto,
    /// Always this format.
    Fixed(Format),
}

impl fmt::Display for FormatChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatChoice::Auto => f.write_str("auto"),
            FormatChoice::Fixed(x) => f.write_str(x.name()),
        }
    }
}

impl<'de> Deserialize<'de> for FormatChoice {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim().eq_ignore_ascii_case("auto") {
            return Ok(FormatChoice::Auto);
        }
        s.parse::<Format>().map(FormatChoice::Fixed).map_err(|_| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            serde::de::Error::custom(format!(
                "unknown format {s:?}; use \"auto\" or one of {}",
                names.join(", ")
            ))
        })
    }
}

/// Where to start reading a file met for the first time at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReadFrom {
    /// From its first byte.
    #[default]
    Beginning,
    /// From its current end: only lines written from now on.
    End,
}

/// What to do when the spool reaches its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpoolFull {
    /// Stop reading until the output catches up.
    #[default]
    Pause,
    /// Drop the oldest spooled batch, counting and logging it.
    DropOldest,
}

/// The output: exactly one of the two tables.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Output {
    /// Ship to a YAPDNS server over HTTP(S).
    #[serde(default)]
    pub server: Option<ServerOutput>,
    /// Write straight into a store (no server).
    #[serde(default)]
    pub store: Option<StoreOutput>,
}

/// `[output.server]`: a YAPDNS server's ingestion API.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerOutput {
    /// Base URL of the server, `http://` or `https://` (the agent posts associations and
    /// name sightings to `/api/v1/associations` under it). Required.
    pub url: String,
    /// The API key of a client with the `ingest` role. Prefer `api_key_file`, which keeps
    /// the secret out of the configuration. One of the two is required.
    #[serde(default)]
    pub api_key: Option<String>,
    /// A file holding the API key (surrounding white space is ignored). Default: none.
    #[serde(default)]
    pub api_key_file: Option<PathBuf>,
    /// PEM file of the certificate authorities to trust for `https://`, in addition to the
    /// bundled public roots (for a private CA). Default: none.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Time limit of one request, connection included. Default: `"30s"`.
    #[serde(default = "default_timeout", deserialize_with = "de_duration")]
    pub timeout: Duration,
    /// First wait before retrying a failed request; it doubles on each failure, with random
    /// jitter, up to `retry_max`. Default: `"500ms"`.
    #[serde(default = "default_retry_initial", deserialize_with = "de_duration")]
    pub retry_initial: Duration,
    /// Longest wait between retries. Default: `"60s"`.
    #[serde(default = "default_retry_max", deserialize_with = "de_duration")]
    pub retry_max: Duration,
    /// Also ship name sightings (names seen without an answer, e.g. BIND queries), as
    /// YAPDNS JSON lines in the same requests. Default: `true`.
    #[serde(default = "default_true")]
    pub names: bool,
}

impl ServerOutput {
    /// The API key, from `api_key` or read from `api_key_file`.
    pub fn resolve_key(&self) -> Result<String, ConfigError> {
        match (&self.api_key, &self.api_key_file) {
            (Some(_), Some(_)) => invalid("[output.server]: set api_key or api_key_file, not both"),
            (Some(k), None) => Ok(k.trim().to_string()),
            (None, Some(p)) => {
                let k = std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
                    path: p.clone(),
                    source,
                })?;
                let k = k.trim();
                if k.is_empty() {
                    return invalid(format!(
                        "[output.server] api_key_file {} is empty",
                        p.display()
                    ));
                }
                Ok(k.to_string())
            }
            (None, None) => invalid("[output.server]: api_key or api_key_file is required"),
        }
    }
}

/// `[output.store]`: a store opened by the agent itself.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreOutput {
    /// The store, by URL: `sqlite:///path/to/pdns.db`, `postgres://user@host/db`, … Required.
    pub dsn: String,
    /// First wait before retrying a failed write; doubles up to `retry_max`.
    /// Default: `"500ms"`.
    #[serde(default = "default_retry_initial", deserialize_with = "de_duration")]
    pub retry_initial: Duration,
    /// Longest wait between retries. Default: `"60s"`.
    #[serde(default = "default_retry_max", deserialize_with = "de_duration")]
    pub retry_max: Duration,
}

/// `[aggregate]`: the merge window (the original client's "cache"). Sightings of the same
/// association within one window are shipped as one, with the summed count.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// How long a window collects before it is sealed and shipped; the first line read
    /// starts it. `"0s"` seals at every `flush_interval`. Default: `"10s"`.
    #[serde(default = "default_window", deserialize_with = "de_duration")]
    pub window: Duration,
    /// A window holding this many distinct associations and names is sealed early, which
    /// bounds the agent's memory. Default: `100000`.
    #[serde(default = "default_max_entries")]
    pub max_entries: usize,
}

impl Default for Aggregate {
    fn default() -> Self {
        Aggregate {
            window: default_window(),
            max_entries: default_max_entries(),
        }
    }
}

/// `[tail]`: how files are found and followed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tail {
    /// How often the `paths` globs are expanded again to find new files. Default: `"5s"`.
    #[serde(default = "default_scan_interval", deserialize_with = "de_duration")]
    pub scan_interval: Duration,
    /// After a file is renamed away or deleted, how long it is kept open once read to its end,
    /// for the lines its writer still adds before reopening (logrotate `create`).
    /// Default: `"30s"`.
    #[serde(default = "default_rotate_wait", deserialize_with = "de_duration")]
    pub rotate_wait: Duration,
    /// A file read to its end that has not grown for this long is closed (its checkpoint is
    /// kept; it is reopened when it grows). Bounds open file descriptors. Default: `"5m"`.
    #[serde(default = "default_close_idle", deserialize_with = "de_duration")]
    pub close_idle: Duration,
    /// Checkpoints of files gone (deleted, or out of every glob) for this long are forgotten.
    /// Default: `"7d"`.
    #[serde(default = "default_forget_after", deserialize_with = "de_duration")]
    pub forget_after: Duration,
    /// Whole-document files (Cuckoo `report.json`, Thug logs, zone files) are read once their
    /// size and modification time have not changed for this long. Default: `"5s"`.
    #[serde(default = "default_settle", deserialize_with = "de_duration")]
    pub settle: Duration,
    /// A multi-line record (Microsoft DNS packet dumps) still open when its file has not grown
    /// for this long is completed as it is. Default: `"5s"`.
    #[serde(default = "default_settle", deserialize_with = "de_duration")]
    pub multiline_timeout: Duration,
    /// Largest whole document read into memory; a larger one is skipped and counted.
    /// Default: `"256MiB"`.
    #[serde(default = "default_max_document", deserialize_with = "de_size")]
    pub max_document_bytes: u64,
}

impl Default for Tail {
    fn default() -> Self {
        Tail {
            scan_interval: default_scan_interval(),
            rotate_wait: default_rotate_wait(),
            close_idle: default_close_idle(),
            forget_after: default_forget_after(),
            settle: default_settle(),
            multiline_timeout: default_settle(),
            max_document_bytes: default_max_document(),
        }
    }
}

/// `[metrics]`: the Prometheus endpoint.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// Address to serve `GET /metrics` on, e.g. `"127.0.0.1:9477"`. Default: none (off).
    #[serde(default)]
    pub listen: Option<SocketAddr>,
}

/// `[log]`: the agent's own logs (on standard error; journald keeps them under systemd).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Log {
    /// Minimum level, or a `tracing` filter such as `"info,yapdns_agent=debug"`; the
    /// `RUST_LOG` variable overrides it. Default: `"info"`.
    #[serde(default = "default_level")]
    pub level: String,
    /// `"text"` or `"json"` (one JSON object a line). Default: `"text"`.
    #[serde(default)]
    pub format: LogFormat,
}

impl Default for Log {
    fn default() -> Self {
        Log {
            level: default_level(),
            format: LogFormat::default(),
        }
    }
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("/var/lib/yapdns-agent")
}
fn default_batch_size() -> usize {
    5000
}
fn default_flush_interval() -> Duration {
    Duration::from_secs(1)
}
fn default_spool_limit() -> u64 {
    256 << 20
}
fn default_max_line() -> u64 {
    1 << 20
}
fn default_shutdown_timeout() -> Duration {
    Duration::from_secs(10)
}
fn default_timeout() -> Duration {
    Duration::from_secs(30)
}
fn default_retry_initial() -> Duration {
    Duration::from_millis(500)
}
fn default_retry_max() -> Duration {
    Duration::from_secs(60)
}
fn default_true() -> bool {
    true
}
fn default_window() -> Duration {
    Duration::from_secs(10)
}
fn default_max_entries() -> usize {
    100_000
}
fn default_scan_interval() -> Duration {
    Duration::from_secs(5)
}
fn default_rotate_wait() -> Duration {
    Duration::from_secs(30)
}
fn default_close_idle() -> Duration {
    Duration::from_secs(300)
}
fn default_forget_after() -> Duration {
    Duration::from_secs(7 * 24 * 3600)
}
fn default_settle() -> Duration {
    Duration::from_secs(5)
}
fn default_max_document() -> u64 {
    256 << 20
}
fn default_level() -> String {
    "info".to_string()
}

/// Reads `"250ms"`, `"5s"`, `"2m"`, `"1h"`, `"7d"` (one number and one unit).
pub fn parse_duration(s: &str) -> Option<Duration> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit() && c != '.')?;
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let secs = match unit.trim() {
        "ms" => n / 1000.0,
        "s" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86400.0,
        _ => return None,
    };
    (secs.is_finite() && (0.0..1e12).contains(&secs)).then(|| Duration::from_secs_f64(secs))
}

/// Reads a byte size: an integer, or a number with `B`, `KB`, `MB`, `GB` (powers of 1000) or
/// `KiB`, `MiB`, `GiB` (powers of 1024).
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match unit.trim() {
        "" | "B" => 1.0,
        "KB" | "kB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let v = (n * mult).round();
    (v.is_finite() && (0.0..1.8e19).contains(&v)).then_some(v as u64)
}

fn de_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let s = String::deserialize(d)?;
    parse_duration(&s).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "invalid duration {s:?}: use a number and a unit, e.g. \"250ms\", \"5s\", \"2m\", \"1h\", \"7d\""
        ))
    })
}

fn de_size<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(u64),
        Str(String),
    }
    match Raw::deserialize(d)? {
        Raw::Int(n) => Ok(n),
        Raw::Str(s) => parse_size(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid size {s:?}: use bytes or a number with KB, MB, GB, KiB, MiB or GiB"
            ))
        }),
    }
}

fn de_timezone<'de, D: Deserializer<'de>>(d: D) -> Result<TimeZone, D::Error> {
    let s = String::deserialize(d)?;
    s.parse::<TimeZone>().map_err(serde::de::Error::custom)
}

impl Config {
    /// Parses and validates a configuration.
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let cfg: Config = toml::from_str(text)?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Reads, parses and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::from_toml(&text)
    }

    /// Checks what the schema alone cannot: one output, usable globs and limits. It reads
    /// no file and touches no network, so it is the same on any machine.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.inputs.is_empty() {
            return invalid("no [[input]]: add at least one input with paths = [\"...\"]");
        }
        let mut names = std::collections::BTreeSet::new();
        for (i, input) in self.inputs.iter().enumerate() {
            let name = input.display_name(i);
            if !names.insert(name.clone()) {
                return invalid(format!(
                    "two inputs are named {name:?}; names must be unique"
                ));
            }
            if input.paths.is_empty() {
                return invalid(format!("input {name:?}: paths is empty"));
            }
            for p in input.paths.iter().chain(&input.exclude) {
                if let Err(e) = glob::Pattern::new(p) {
                    return invalid(format!("input {name:?}: bad glob {p:?}: {e}"));
                }
            }
            for p in &input.paths {
                if !Path::new(p).is_absolute() {
                    return invalid(format!(
                        "input {name:?}: path {p:?} is relative; use an absolute path (the agent's \
                         working directory is not stable under systemd)"
                    ));
                }
            }
            if input.sensor.as_deref().is_some_and(|s| s.contains('/')) {
                return invalid(format!("input {name:?}: a sensor id cannot contain '/'"));
            }
        }
        match (&self.output.server, &self.output.store) {
            (Some(_), Some(_)) => {
                return invalid("set one output: [output.server] or [output.store], not both")
            }
            (None, None) => return invalid("no output: add [output.server] or [output.store]"),
            (Some(s), None) => {
                if !(s.url.starts_with("http://") || s.url.starts_with("https://")) {
                    return invalid(format!(
                        "[output.server] url {:?} must start with http:// or https://",
                        s.url
                    ));
                }
                if s.api_key.is_some() && s.api_key_file.is_some() {
                    return invalid("[output.server]: set api_key or api_key_file, not both");
                }
                if s.api_key.is_none() && s.api_key_file.is_none() {
                    return invalid("[output.server]: api_key or api_key_file is required");
                }
                if s.timeout.is_zero() {
                    return invalid("[output.server] timeout must be more than 0");
                }
                if s.retry_initial.is_zero() || s.retry_max < s.retry_initial {
                    return invalid("[output.server]: need 0 < retry_initial <= retry_max");
                }
            }
            (None, Some(s)) => {
                if !s.dsn.contains("://") {
                    return invalid(format!(
                        "[output.store] dsn {:?} needs a scheme, e.g. sqlite:///var/lib/yapdns/pdns.db",
                        s.dsn
                    ));
                }
                if s.retry_initial.is_zero() || s.retry_max < s.retry_initial {
                    return invalid("[output.store]: need 0 < retry_initial <= retry_max");
                }
            }
        }
        if self.batch_size == 0 {
            return invalid("batch_size must be at least 1");
        }
        if self.aggregate.max_entries == 0 {
            return invalid("[aggregate] max_entries must be at least 1");
        }
        if self.flush_interval.is_zero() {
            return invalid("flush_interval must be more than 0");
        }
        if self.tail.scan_interval.is_zero() {
            return invalid("[tail] scan_interval must be more than 0");
        }
        if self.max_line_bytes < 64 {
            return invalid("max_line_bytes must be at least 64");
        }
        if self.spool_limit < 1 << 16 {
            return invalid("spool_limit must be at least 64KiB");
        }
        if !self.data_dir.is_absolute() {
            return invalid(format!(
                "data_dir {:?} must be an absolute path",
                self.data_dir
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
        data_dir = "/tmp/x"
        [[input]]
        paths = ["/var/log/*.log"]
        [output.store]
        dsn = "sqlite:///tmp/x.db"
    "#;

    #[test]
    fn defaults_are_the_documented_ones() {
        let c = Config::from_toml(MINIMAL).unwrap();
        assert_eq!(c.batch_size, 5000);
        assert_eq!(c.flush_interval, Duration::from_secs(1));
        assert_eq!(c.spool_limit, 256 << 20);
        assert_eq!(c.max_line_bytes, 1 << 20);
        assert_eq!(c.on_spool_full, SpoolFull::Pause);
        assert_eq!(c.aggregate.window, Duration::from_secs(10));
        assert_eq!(c.aggregate.max_entries, 100_000);
        assert_eq!(c.tail.scan_interval, Duration::from_secs(5));
        assert_eq!(c.tail.rotate_wait, Duration::from_secs(30));
        assert_eq!(c.inputs[0].format, FormatChoice::Auto);
        assert_eq!(c.inputs[0].read_from, ReadFrom::Beginning);
        assert!(!c.inputs[0].gzip);
        assert!(c.metrics.listen.is_none());
        assert_eq!(c.log.format, LogFormat::Text);
    }

    #[test]
    fn unknown_keys_are_errors_with_their_place() {
        let e = Config::from_toml(&MINIMAL.replace("[[input]]", "[[input]]\nformt = \"squid\""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `formt`"), "{e}");
        assert!(e.contains("line"), "{e}");
    }

    #[test]
    fn one_output_exactly() {
        let both = format!("{MINIMAL}\n[output.server]\nurl=\"http://x\"\napi_key=\"k\"\n");
        assert!(Config::from_toml(&both)
            .unwrap_err()
            .to_string()
            .contains("not both"));
        let none = MINIMAL.replace(
            "[output.store]\n        dsn = \"sqlite:///tmp/x.db\"",
            "[output]",
        );
        assert!(Config::from_toml(&none)
            .unwrap_err()
            .to_string()
            .contains("no output"));
    }

    #[test]
    fn bad_values_are_explained() {
        let e = Config::from_toml(&MINIMAL.replace("[[input]]", "[[input]]\nformat = \"nope\""))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown format") && e.contains("squid"), "{e}");
        let e = Config::from_toml(&format!("flush_interval = \"5 parsecs\"\n{MINIMAL}"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("invalid duration"), "{e}");
        let e = Config::from_toml(&MINIMAL.replace("/var/log/*.log", "logs/*.log"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("relative"), "{e}");
    }

    #[test]
    fn units() {
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("5"), None);
        assert_eq!(parse_duration("-5s"), None);
        assert_eq!(parse_size("1MiB"), Some(1 << 20));
        assert_eq!(parse_size("64KB"), Some(64_000));
        assert_eq!(parse_size("17"), Some(17));
        assert_eq!(parse_size("1XB"), None);
    }

    /// Every configuration shipped in `examples/` must load: operators copy them.
    #[test]
    fn every_example_config_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) == Some("toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                // Only agent configurations: the server's examples have their own test.
                if !text.contains("[[input]]") {
                    continue;
                }
                Config::from_toml(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                seen += 1;
            }
        }
        assert!(
            seen >= 1,
            "no agent example config found in {}",
            dir.display()
        );
    }
}

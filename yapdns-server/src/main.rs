//! `yapdns-server`: the command-line edge of the server. Wiring, arguments and output only;
//! the HTTP server, import and everything else live in the library.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};
use yapdns_core::{IpFilter, Lookup, NamePattern, QueryRequest, RrType, TimeFence};
use yapdns_parsers::{Format, ParseOptions, TimeZone, YearRule};
use yapdns_server::app::AppState;
use yapdns_server::import::{import, ImportOptions, Progress};
use yapdns_server::{serve, tls, ServerConfig};
use yapdns_store::{Registry as _, Role, Store};

/// YAPDNS server: ingestion, passive DNS query APIs (COF, DNSDB v2) and a search page.
#[derive(Parser)]
#[command(name = "yapdns-server", version, about)]
struct Cli {
    /// Log as JSON lines instead of text (stderr either way).
    #[arg(long, global = true)]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve(ServeArgs),
    /// Load log files into the store (safe to interrupt and re-run).
    Import(ImportArgs),
    /// Look up the store and print COF NDJSON.
    Query(QueryArgs),
    /// Manage API clients and their keys.
    #[command(subcommand)]
    Client(ClientCmd),
    /// Create a store from the sample logs, make a query key, and serve it.
    Demo(DemoArgs),
}

#[derive(Args)]
struct StoreArg {
    /// Store DSN: sqlite://PATH (default sqlite://yapdns.db) or postgres://USER:PASS@HOST/DB.
    #[arg(long, value_name = "DSN")]
    store: Option<String>,
}

impl StoreArg {
    fn dsn(&self) -> String {
        self.store
            .clone()
            .unwrap_or_else(|| ServerConfig::default().store)
    }
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Address to listen on (default 127.0.0.1:8053).
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// PEM certificate chain (HTTPS only when given, with --tls-key).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// TOML configuration file (see server.example.toml); flags override it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Let requests without a key use the query endpoints.
    #[arg(long)]
    allow_anonymous_query: bool,
}

#[derive(Args)]
struct ImportArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Log format (detected per file when unset); see `yapdns-agent formats`.
    #[arg(long, short)]
    format: Option<Format>,
    /// Sensor id recorded in every association (COF sensor_id).
    #[arg(long)]
    sensor: Option<String>,
    /// Zone of timestamps written without one: utc (default), local, or ±HH:MM.
    #[arg(long, default_value = "utc")]
    timezone: TimeZone,
    /// Year of timestamps written without one.
    #[arg(long)]
    year: Option<i32>,
    /// Origin of DNS master files without `$ORIGIN` (the zone their relative names belong to).
    #[arg(long)]
    origin: Option<String>,
    /// Records per batch written to the store.
    #[arg(long, default_value_t = 20_000)]
    batch: usize,
    /// Log files (`.gz` read transparently; `-` for standard input).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

#[derive(Args)]
struct QueryArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Only this record type.
    #[arg(long)]
    rrtype: Option<RrType>,
    /// Most results.
    #[arg(long, default_value_t = 10_000)]
    limit: usize,
    /// Results to skip.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Search names in rdata (CNAME, NS, MX… targets) instead of owner names. An IP, CIDR or
    /// range always searches rdata.
    #[arg(long)]
    rdata: bool,
    /// Only records first seen at or before this Unix time (negative: seconds before now).
    #[arg(long, allow_hyphen_values = true)]
    time_first_before: Option<i64>,
    /// Only records first seen at or after this Unix time.
    #[arg(long, allow_hyphen_values = true)]
    time_first_after: Option<i64>,
    /// Only records last seen at or before this Unix time.
    #[arg(long, allow_hyphen_values = true)]
    time_last_before: Option<i64>,
    /// Only records last seen at or after this Unix time.
    #[arg(long, allow_hyphen_values = true)]
    time_last_after: Option<i64>,
    /// A name, *.name, name.*, an IP, a CIDR (a.b.c.d/n) or a range (lo-hi).
    query: String,
}

#[derive(Subcommand)]
enum ClientCmd {
    /// Create a client and print its key (shown only this once).
    Add {
        #[command(flatten)]
        store: StoreArg,
        /// The client's name.
        name: String,
        /// What it may do: ingest, query or admin.
        #[arg(long)]
        role: Role,
    },
    /// List clients (never their keys).
    List {
        #[command(flatten)]
        store: StoreArg,
    },
    /// Revoke a client's key.
    Revoke {
        #[command(flatten)]
        store: StoreArg,
        /// The client's name.
        name: String,
    },
}

#[derive(Args)]
struct DemoArgs {
    /// Directory for the demo store (default: a new temporary directory).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Directory of sample logs (default: examples/logs of the repository).
    #[arg(long, value_name = "DIR")]
    logs: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8053")]
    listen: SocketAddr,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_json);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("yapdns-server: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = rt.block_on(async move {
        match cli.command {
            Command::Serve(a) => cmd_serve(a).await,
            Command::Import(a) => cmd_import(a).await,
            Command::Query(a) => cmd_query(a).await,
            Command::Client(c) => cmd_client(c).await,
            Command::Demo(a) => cmd_demo(a).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("yapdns-server: {}", yapdns_core::error_text(e.as_ref()));
            ExitCode::from(2)
        }
    }
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours only on a terminal: journald and files get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    if json {
        b.json().init();
    } else {
        b.init();
    }
}

async fn open_store(dsn: &str) -> anyhow::Result<Store> {
    yapdns_store::open(dsn)
        .await
        .with_context(|| format!("cannot open store {}", redact(dsn)))
}

/// A DSN without its password, for messages.
fn redact(dsn: &str) -> String {
    match (dsn.split_once("://"), dsn.rfind('@')) {
        (Some((scheme, _)), Some(at)) => format!("{scheme}://…{}", &dsn[at..]),
        _ => dsn.to_string(),
    }
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

async fn run_server(store: Store, config: ServerConfig) -> anyhow::Result<()> {
    let acceptor = match (&config.tls_cert, &config.tls_key) {
        (Some(c), Some(k)) => Some(tls::acceptor(c, k)?),
        _ => None,
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let scheme = if acceptor.is_some() { "https" } else { "http" };
    // A stable line that scripts (and the tests) read the address from.
    eprintln!("yapdns-server listening on {scheme}://{addr}");
    let store = Arc::new(store);
    let state = AppState::new(store.clone(), store, config);
    serve::serve(listener, state, acceptor, shutdown_signal()).await?;
    eprintln!("yapdns-server stopped");
    Ok(())
}

async fn cmd_serve(a: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut config = match &a.config {
        Some(p) => ServerConfig::load(p)?,
        None => ServerConfig::default(),
    };
    if let Some(s) = a.store.store {
        config.store = s;
    }
    if let Some(l) = a.listen {
        config.listen = l;
    }
    if a.tls_cert.is_some() {
        config.tls_cert = a.tls_cert;
        config.tls_key = a.tls_key;
    }
    if a.allow_anonymous_query {
        config.allow_anonymous_query = true;
    }
    config.validate()?;
    let store = open_store(&config.store).await?;
    tracing::info!(store = %redact(&config.store), backend = store.backend(), "store open");
    run_server(store, config).await?;
    Ok(ExitCode::SUCCESS)
}

fn print_progress(p: &Progress, last: &mut Instant, tty: bool) {
    if !tty || last.elapsed() < Duration::from_millis(200) {
        return;
    }
    *last = Instant::now();
    let secs = p.elapsed.as_secs_f64().max(0.001);
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "\r\x1b[K{}: {} lines, {} associations, {} names, {:.0} lines/s",
        p.file,
        p.stats.lines,
        p.stats.associations,
        p.stats.names,
        p.stats.lines as f64 / secs
    );
    let _ = err.flush();
}

fn print_summary(p: &Progress, tty: bool) {
    let secs = p.elapsed.as_secs_f64().max(0.001);
    if tty {
        eprint!("\r\x1b[K");
    }
    eprintln!(
        "imported {} lines in {:.1}s ({:.0} lines/s): {} associations, {} name sightings \
         ({} distinct written); {} lines without an answer, {} skipped, {} bad",
        p.stats.lines,
        secs,
        p.stats.lines as f64 / secs,
        p.stats.associations,
        p.stats.names,
        p.written_associations + p.written_names,
        p.stats.no_answer,
        p.stats.skipped,
        p.stats.error_count()
    );
    eprintln!(
        "batches: {} written, {} already in the store (re-run)",
        p.batches_applied, p.batches_skipped
    );
    for (kind, n) in &p.stats.errors {
        eprintln!("  {kind}: {n}");
    }
    for e in p.stats.error_samples.iter().take(10) {
        eprintln!("  {e}");
    }
    for (path, why) in &p.failed_files {
        eprintln!("skipped {}: {why}", path.display());
    }
}

async fn cmd_import(a: ImportArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(&a.store.dsn()).await?;
    let mut parse = ParseOptions {
        sensor: a.sensor,
        timezone: a.timezone,
        ..ParseOptions::default()
    };
    if let Some(y) = a.year {
        parse.year = YearRule::Fixed(y);
    }
    if let Some(origin) = &a.origin {
        parse.set_origin(origin)?;
    }
    let opts = ImportOptions {
        format: a.format,
        parse,
        batch_records: a.batch.max(1),
    };
    let tty = std::io::stderr().is_terminal();
    let mut last = Instant::now();
    let p = import(&store, &a.paths, &opts, |p| {
        print_progress(p, &mut last, tty)
    })
    .await?;
    print_summary(&p, tty);
    Ok(if p.failed_files.len() == a.paths.len() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The store request for a query argument, as `query` and the search API read it.
fn query_request(a: &QueryArgs) -> anyhow::Result<QueryRequest> {
    let lookup = if let Ok(f) = a.query.parse::<IpFilter>() {
        Lookup::RdataIp(f)
    } else {
        let p: NamePattern = a.query.parse()?;
        if a.rdata {
            Lookup::RdataName(p)
        } else {
            Lookup::Rrset(p)
        }
    };
    let mut q = QueryRequest::new(lookup);
    q.rrtype = a.rrtype;
    q.limit = a.limit;
    q.offset = a.offset;
    q.fence = TimeFence {
        time_first_before: a.time_first_before,
        time_first_after: a.time_first_after,
        time_last_before: a.time_last_before,
        time_last_after: a.time_last_after,
    };
    Ok(q)
}

async fn cmd_query(a: QueryArgs) -> anyhow::Result<ExitCode> {
    let q = query_request(&a)?;
    let store = open_store(&a.store.dsn()).await?;
    let page = store.lookup(&q).await?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for assoc in &page.associations {
        assoc.write_cof(&mut out)?;
    }
    out.flush()?;
    if page.truncated {
        eprintln!(
            "more results past {} (use --limit/--offset)",
            q.offset + page.associations.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn time_text(t: yapdns_core::Timestamp) -> String {
    chrono::DateTime::from_timestamp(t.secs(), 0)
        .map(|d| d.format("%Y-%m-%d %H:%M:%SZ").to_string())
        .unwrap_or_default()
}

async fn cmd_client(c: ClientCmd) -> anyhow::Result<ExitCode> {
    match c {
        ClientCmd::Add { store, name, role } => {
            let s = open_store(&store.dsn()).await?;
            let new = s.create_client(&name, role).await?;
            eprintln!(
                "created client {:?} (role {}); its key is shown only this once:",
                new.client.name, new.client.role
            );
            println!("{}", new.key);
        }
        ClientCmd::List { store } => {
            let s = open_store(&store.dsn()).await?;
            println!("{:<24} {:<7} {:<20} revoked", "name", "role", "created");
            for c in s.list_clients().await? {
                println!(
                    "{:<24} {:<7} {:<20} {}",
                    c.name,
                    c.role,
                    time_text(c.created),
                    c.revoked.map(time_text).unwrap_or_else(|| "-".into())
                );
            }
        }
        ClientCmd::Revoke { store, name } => {
            let s = open_store(&store.dsn()).await?;
            if !s.revoke_client(&name).await? {
                bail!("no active client named {name:?}");
            }
            eprintln!("revoked client {name:?}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `examples/logs` next to the current directory or above the executable (a cargo build).
fn find_sample_logs() -> Option<PathBuf> {
    let mut bases: Vec<PathBuf> = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        bases.extend(cwd.ancestors().map(Path::to_path_buf));
    }
    if let Ok(exe) = std::env::current_exe() {
        bases.extend(exe.ancestors().map(Path::to_path_buf));
    }
    bases.push(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    bases
        .into_iter()
        .map(|b| b.join("examples").join("logs"))
        .find(|p| p.is_dir())
}

async fn cmd_demo(a: DemoArgs) -> anyhow::Result<ExitCode> {
    let logs = match a.logs {
        Some(l) => l,
        None => find_sample_logs()
            .context("cannot find examples/logs: run from the repository or pass --logs DIR")?,
    };
    let dir = match a.dir {
        Some(d) => d,
        None => {
            let stamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default();
            std::env::temp_dir().join(format!("yapdns-demo-{}-{stamp}", std::process::id()))
        }
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let dsn = format!("sqlite://{}", dir.join("yapdns.db").display());
    let store = open_store(&dsn).await?;

    let mut files: Vec<PathBuf> = std::fs::read_dir(&logs)
        .with_context(|| format!("cannot read {}", logs.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    eprintln!(
        "importing {} sample logs from {}",
        files.len(),
        logs.display()
    );
    let p = import(&store, &files, &ImportOptions::default(), |_| {}).await?;
    print_summary(&p, false);

    let mut name = "demo".to_string();
    let mut n = 1;
    let key = loop {
        match store.create_client(&name, Role::Query).await {
            Ok(c) => break c.key,
            Err(yapdns_store::Error::Conflict(_)) if n < 100 => {
                n += 1;
                name = format!("demo-{n}");
            }
            Err(e) => return Err(e.into()),
        }
    };

    // Pick an A record and a network from the data for the examples.
    let sample = {
        let mut q = QueryRequest::new(Lookup::RdataIp("0.0.0.0/0".parse()?));
        q.limit = 200;
        store
            .lookup(&q)
            .await?
            .associations
            .into_iter()
            .filter(|a| !a.rrname.contains('*'))
            .max_by_key(|a| a.count)
    };
    let (name_ex, ip_ex) = sample
        .map(|a| (a.rrname, a.rdata))
        .unwrap_or_else(|| ("example.com".into(), "192.0.2.1".into()));
    let net_ex = ip_ex
        .parse::<std::net::Ipv4Addr>()
        .map(|ip| {
            let o = ip.octets();
            format!("{}.{}.{}.0,24", o[0], o[1], o[2])
        })
        .unwrap_or_else(|_| ip_ex.clone());
    let listener_probe = std::net::TcpListener::bind(a.listen);
    let listen = match listener_probe {
        Ok(l) => {
            drop(l);
            a.listen
        }
        Err(_) => {
            eprintln!("{} is busy; picking a free port", a.listen);
            SocketAddr::new(a.listen.ip(), 0)
        }
    };
    let config = ServerConfig {
        listen,
        store: dsn.clone(),
        ..ServerConfig::default()
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}");
    println!("YAPDNS demo");
    println!("  store:  {dsn}");
    println!("  URL:    {url}/   (search page; log in as the client below, or with no user name, the key as password)");
    println!("  key:    {key}   (client {name:?}, role query)");
    println!();
    println!("Try:");
    println!("  curl -H 'X-API-Key: {key}' '{url}/dnsdb/v2/lookup/rrset/name/{name_ex}'");
    println!("  DNSDB_SERVER={url} DNSDB_API_KEY={key} dnsdbq -i {net_ex}");
    println!(
        "  python3 -c \"from pypdns import PyPDNS; print(PyPDNS(url='{url}/pdns/query', basic_auth=('{name}', '{key}')).rfc_query('{ip_ex}'))\""
    );
    println!();
    println!(
        "Ctrl-C stops the server; the store stays in {}",
        dir.display()
    );
    let _ = std::io::stdout().flush();
    eprintln!("yapdns-server listening on {url}");
    let store = Arc::new(store);
    let state = AppState::new(store.clone(), store, config);
    serve::serve(listener, state, None, shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

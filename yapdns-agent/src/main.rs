//! `yapdns-agent`: the command-line edge of the agent. Logic lives in the library
//! (`yapdns_agent`) and in `yapdns-parsers`; this file holds argument parsing and output.

mod parse_cmd;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use yapdns_agent::config::{Config, LogFormat};

/// YAPDNS agent: passive DNS from the logs you already have.
#[derive(Parser)]
#[command(name = "yapdns-agent", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse logs and print COF NDJSON on stdout, a summary on stderr.
    Parse(parse_cmd::ParseArgs),
    /// List the log formats YAPDNS reads.
    Formats,
    /// Follow the configured log files and ship what they yield (until SIGTERM/SIGINT).
    Run(ConfigArg),
    /// Validate a configuration and explain what it would do on this machine.
    CheckConfig(ConfigArg),
}

#[derive(Args)]
struct ConfigArg {
    /// The configuration file (TOML).
    #[arg(long, short, default_value = "/etc/yapdns/agent.toml")]
    config: PathBuf,
}

fn init_logging(cfg: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(&cfg.log.level))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours only on a terminal: journald and files get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    match cfg.log.format {
        LogFormat::Json => b.json().init(),
        LogFormat::Text => b.init(),
    }
}

fn run(args: ConfigArg) -> anyhow::Result<std::process::ExitCode> {
    let cfg = Config::load(&args.config)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.config.display()))?;
    init_logging(&cfg);
    yapdns_agent::agent::run(cfg)?;
    Ok(std::process::ExitCode::SUCCESS)
}

fn check_config(args: ConfigArg) -> anyhow::Result<std::process::ExitCode> {
    let cfg = match Config::load(&args.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}: invalid configuration\n{e}", args.config.display());
            return Ok(std::process::ExitCode::from(1));
        }
    };
    let report = yapdns_agent::check::check(&cfg);
    print!("{}", report.text);
    for w in &report.warnings {
        println!("warning: {w}");
    }
    for e in &report.errors {
        println!("error: {e}");
    }
    if report.errors.is_empty() {
        println!("\n{}: OK", args.config.display());
        Ok(std::process::ExitCode::SUCCESS)
    } else {
        println!(
            "\n{}: {} error(s)",
            args.config.display(),
            report.errors.len()
        );
        Ok(std::process::ExitCode::from(1))
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse_cmd::run(args),
        Command::Formats => {
            for f in yapdns_parsers::Format::ALL {
                println!("{:<16} {}", f.name(), f.description());
            }
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Run(args) => run(args),
        Command::CheckConfig(args) => check_config(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("yapdns-agent: {}", yapdns_core::error_text(e.as_ref()));
            std::process::ExitCode::from(2)
        }
    }
}

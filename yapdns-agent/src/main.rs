//! `yapdns-agent`: the command-line edge of the agent. Logic lives in the libraries; this file
//! holds argument parsing and output.

mod parse_cmd;

use clap::{Parser, Subcommand};

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
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("yapdns-agent: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}

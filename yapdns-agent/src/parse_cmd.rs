//! `yapdns-agent parse`: what a log yields, as COF NDJSON.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use yapdns_core::{Aggregator, AssociationView, NameView};
use yapdns_parsers::{parse_path, Emit, Format, ParseOptions, Stats, TimeZone, YearRule};

/// Arguments of `parse`.
#[derive(Args)]
pub struct ParseArgs {
    /// Log files to read; `-` for standard input. `.gz` files are read transparently.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The format (see `yapdns-agent formats`); detected from each file's first lines if unset.
    #[arg(long, short)]
    format: Option<Format>,
    /// Merge associations with the same key (rrname, rrtype, rdata) before printing.
    #[arg(long)]
    aggregate: bool,
    /// Sensor id recorded in every association (COF `sensor_id`).
    #[arg(long)]
    sensor: Option<String>,
    /// Print the name sightings (names seen without an answer) instead of associations.
    #[arg(long)]
    names: bool,
    /// End the summary on stderr with one JSON object of the figures.
    #[arg(long)]
    stats_json: bool,
    /// Exit with status 1 when any line could not be parsed.
    #[arg(long)]
    strict: bool,
    /// Zone of timestamps written without one: `utc` (default), `local`, or `±HH:MM`.
    #[arg(long, default_value = "utc")]
    timezone: TimeZone,
    /// Year of timestamps written without one (default: the latest year that does not put a
    /// line after the file's modification time).
    #[arg(long)]
    year: Option<i32>,
    /// Origin of DNS master files without `$ORIGIN` (the zone their relative names belong to).
    #[arg(long)]
    origin: Option<String>,
    /// Print every bad line (file:line: kind: reason) on stderr, not only the first ones.
    #[arg(long)]
    show_errors: bool,
}

pub fn run(args: ParseArgs) -> anyhow::Result<ExitCode> {
    let mut opts = ParseOptions {
        sensor: args.sensor.clone(),
        timezone: args.timezone,
        ..ParseOptions::default()
    };
    if let Some(y) = args.year {
        opts.year = YearRule::Fixed(y);
    }
    if let Some(origin) = &args.origin {
        opts.set_origin(origin)?;
    }
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(OUT_BUFFER, stdout.lock());
    let mut agg = Aggregator::default();
    let mut total = Stats::default();
    let mut shown = 0usize;
    const SHOW_FIRST: usize = 10;
    // Files no format recognised: skipped, as `yapdns-server import` skips them, so that a
    // glob over a folder (`examples/logs/*`, with its README) reads the rest.
    let mut undetected = 0usize;
    for path in &args.paths {
        // The error names the file already.
        let mut records = match parse_path(path, args.format, &opts) {
            Ok(r) => r,
            Err(e @ yapdns_parsers::Error::Undetected(_)) => {
                eprintln!("yapdns-agent: {e}; skipped");
                undetected += 1;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let on_error = |e: yapdns_parsers::FileError| {
            if args.show_errors || shown < SHOW_FIRST {
                eprintln!("{e}");
                shown += 1;
            }
        };
        if args.aggregate {
            // Views merge into the window without a copy for every record seen before.
            let mut only = OneKind {
                names: args.names,
                agg: &mut agg,
            };
            records.for_each_view(&mut only, on_error);
            warn_if_unread(path, records.format(), records.stats());
            total.add(records.stats());
            continue;
        }
        // Each record is written from its view, with no owned copy of it.
        let mut printer = Printer {
            names: args.names,
            out: &mut out,
            buf: Vec::with_capacity(OUT_BUFFER),
            error: None,
        };
        records.for_each_view(&mut printer, on_error);
        printer.write_out();
        match printer.error {
            // The reader went away (`| head`): nothing more is wanted, and nothing is wrong.
            Some(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
            Some(e) => return Err(e).context("writing stdout"),
            None => {}
        }
        warn_if_unread(path, records.format(), records.stats());
        total.add(records.stats());
    }
    if args.aggregate {
        if args.names {
            for n in agg.take_names() {
                serde_json::to_writer(&mut out, &n).context("writing stdout")?;
                out.write_all(b"\n").context("writing stdout")?;
            }
        } else {
            for a in agg.take_associations() {
                a.write_cof(&mut out).context("writing stdout")?;
            }
        }
    }
    out.flush().context("writing stdout")?;
    report(&total, shown, args.stats_json);
    Ok(
        if args.strict && (total.error_count() > 0 || undetected > 0) {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}

/// Passes only associations, or with `--names` only name sightings, to the aggregator.
struct OneKind<'a> {
    names: bool,
    agg: &'a mut Aggregator,
}

impl Emit for OneKind<'_> {
    fn association(&mut self, a: AssociationView<'_>) {
        if !self.names {
            self.agg.add_view(a);
        }
    }
    fn name(&mut self, n: NameView<'_>) {
        if self.names {
            self.agg.add_name_view(n);
        }
    }
}

/// Bytes of output gathered before each write.
const OUT_BUFFER: usize = 256 * 1024;

/// Writes every association as a COF line (with `--names`, every name sighting as JSON)
/// into a buffer, written out whenever it fills. After a failed write (a closed pipe) it
/// stops the parser rather than read the rest of the input for nothing.
struct Printer<W: Write> {
    names: bool,
    out: W,
    buf: Vec<u8>,
    error: Option<io::Error>,
}

impl<W: Write> Printer<W> {
    fn write_out(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.out.write_all(&self.buf) {
                self.error = Some(e);
            }
        }
        self.buf.clear();
    }

    fn written(&mut self) {
        if self.buf.len() >= OUT_BUFFER - 1024 {
            self.write_out();
        }
    }
}

impl<W: Write> Emit for Printer<W> {
    fn association(&mut self, a: AssociationView<'_>) {
        if !self.names {
            a.append_cof(&mut self.buf);
            self.written();
        }
    }
    fn name(&mut self, n: NameView<'_>) {
        if self.names {
            // Writing into a `Vec` cannot fail.
            let _ = serde_json::to_writer(&mut self.buf, &n.to_sighting());
            self.buf.push(b'\n');
            self.written();
        }
    }
    fn stopped(&self) -> bool {
        self.error.is_some()
    }
}

/// A file of which no line was read as its format (every line skipped, none an error) is most
/// likely of another format or layout: said on stderr, since nothing else would show it.
fn warn_if_unread(path: &std::path::Path, format: yapdns_parsers::Format, s: &Stats) {
    if unread(s) {
        eprintln!(
            "warning: {}: none of its {} lines was read as {format}; is it that format (see `yapdns-agent formats`)?",
            path.display(),
            s.lines
        );
    }
}

/// Every line skipped: none yielded, none was a line without an answer, none was an error.
fn unread(s: &Stats) -> bool {
    s.lines > 0 && s.skipped == s.lines && s.error_count() == 0
}

fn report(s: &Stats, shown: usize, json: bool) {
    let errors: Vec<String> = s.errors.iter().map(|(k, v)| format!("{k}={v}")).collect();
    eprintln!(
        "lines={} associations={} names={} no_answer={} skipped={} errors={}{}",
        s.lines,
        s.associations,
        s.names,
        s.no_answer,
        s.skipped,
        s.error_count(),
        if errors.is_empty() {
            String::new()
        } else {
            format!(" ({})", errors.join(" "))
        }
    );
    if (s.error_count() as usize) > shown {
        eprintln!(
            "({} more bad lines not shown; use --show-errors)",
            s.error_count() as usize - shown
        );
    }
    if json {
        let v = serde_json::json!({
            "lines": s.lines,
            "associations": s.associations,
            "names": s.names,
            "no_answer": s.no_answer,
            "skipped": s.skipped,
            "errors": s.errors,
        });
        eprintln!("{v}");
    }
}

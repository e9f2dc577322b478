//! `yapdns-agent check-config`: validates a configuration and explains what it will do on
//! this machine — which files each input matches now, in which format, where data goes.

use std::fmt::Write as _;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use yapdns_parsers::detect;

use crate::config::{Config, FormatChoice, ReadFrom, SpoolFull};

/// The verdict: what is wrong (the configuration cannot run), what is odd (it can, but look),
/// and the explanation.
#[derive(Debug, Default)]
pub struct Report {
    /// Problems that stop the agent.
    pub errors: Vec<String>,
    /// Things that may not be what the operator meant.
    pub warnings: Vec<String>,
    /// The effective configuration, in words.
    pub text: String,
}

fn human(n: u64) -> String {
    const U: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1024.0 && i < U.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", U.get(i).unwrap_or(&"B"))
    }
}

fn dir_writable(dir: &Path) -> Result<&'static str, String> {
    let mut d = dir;
    loop {
        match std::fs::metadata(d) {
            Ok(m) if m.is_dir() => {
                let probe = d.join(format!(".yapdns-agent-check-{}", std::process::id()));
                return match std::fs::write(&probe, b"") {
                    Ok(()) => {
                        let _ = std::fs::remove_file(&probe);
                        Ok(if d == dir {
                            "exists, writable"
                        } else {
                            "will be created"
                        })
                    }
                    Err(e) => Err(format!("{} is not writable: {e}", d.display())),
                };
            }
            Ok(_) => return Err(format!("{} is not a directory", d.display())),
            Err(_) => match d.parent() {
                Some(p) => d = p,
                None => return Err(format!("no existing parent of {}", dir.display())),
            },
        }
    }
}

/// Checks `cfg` against this machine.
pub fn check(cfg: &Config) -> Report {
    let mut r = Report::default();
    let t = &mut r.text;
    match dir_writable(&cfg.data_dir) {
        Ok(state) => {
            let _ = writeln!(t, "data_dir      {} ({state})", cfg.data_dir.display());
        }
        Err(e) => r.errors.push(format!("data_dir: {e}")),
    }
    if let Some(s) = &cfg.output.server {
        let key = match (&s.api_key, &s.api_key_file) {
            (Some(_), _) => "api_key inline (prefer api_key_file)".to_string(),
            (_, Some(p)) => match s.resolve_key() {
                Ok(_) => format!("api key from {}", p.display()),
                Err(e) => {
                    r.errors.push(e.to_string());
                    format!("api key from {} (unreadable)", p.display())
                }
            },
            _ => String::new(),
        };
        let _ = writeln!(
            t,
            "output        server {} — POST /api/v1/associations, {key}",
            s.url
        );
        if let Some(ca) = &s.ca_file {
            match std::fs::read(ca) {
                Ok(pem) => match reqwest::Certificate::from_pem_bundle(&pem) {
                    Ok(c) if !c.is_empty() => {
                        let _ = writeln!(
                            t,
                            "              trusting {} certificate(s) from {}",
                            c.len(),
                            ca.display()
                        );
                    }
                    Ok(_) => r
                        .errors
                        .push(format!("ca_file {} holds no PEM certificate", ca.display())),
                    Err(e) => r.errors.push(format!("ca_file {}: {e}", ca.display())),
                },
                Err(e) => r
                    .errors
                    .push(format!("cannot read ca_file {}: {e}", ca.display())),
            }
            if s.url.starts_with("http://") {
                r.warnings
                    .push("ca_file is set but the url is http://: it is not used".into());
            }
        }
        if s.url.starts_with("http://")
            && !(s.url.starts_with("http://127.")
                || s.url.starts_with("http://localhost")
                || s.url.starts_with("http://[::1]"))
        {
            r.warnings.push(format!(
                "{} is plain HTTP: the API key and the data travel unencrypted",
                s.url
            ));
        }
        let _ = writeln!(
            t,
            "              timeout {:?}, retries back off from {:?} to {:?}; names {}",
            s.timeout,
            s.retry_initial,
            s.retry_max,
            if s.names { "shipped" } else { "not shipped" }
        );
    }
    if let Some(s) = &cfg.output.store {
        match yapdns_store::Dsn::parse(&s.dsn) {
            Ok(_) => {
                let _ = writeln!(
                    t,
                    "output        store {}",
                    s.dsn.split('@').next_back().unwrap_or("")
                );
            }
            Err(e) => r.errors.push(format!("[output.store] dsn: {e}")),
        }
    }
    let _ = writeln!(
        t,
        "aggregate     window {:?} or {} entries; batches of {} records; flush every {:?}",
        cfg.aggregate.window, cfg.aggregate.max_entries, cfg.batch_size, cfg.flush_interval
    );
    let _ = writeln!(
        t,
        "spool         up to {}; when full: {}",
        human(cfg.spool_limit),
        match cfg.on_spool_full {
            SpoolFull::Pause => "pause reading (nothing dropped while the files exist)",
            SpoolFull::DropOldest => "drop the oldest batch (counted and logged)",
        }
    );
    let _ = writeln!(
        t,
        "tail          rescan every {:?}; renamed/deleted files kept {:?} after their end; lines over {} cut",
        cfg.tail.scan_interval,
        cfg.tail.rotate_wait,
        human(cfg.max_line_bytes)
    );
    match cfg.metrics.listen {
        Some(a) => {
            let _ = writeln!(t, "metrics       http://{a}/metrics");
        }
        None => {
            let _ = writeln!(t, "metrics       off (set [metrics] listen)");
        }
    }
    for (i, inp) in cfg.inputs.iter().enumerate() {
        let name = inp.display_name(i);
        let _ = writeln!(
            t,
            "\ninput {name:?}: format {}, sensor {}, new files read from the {}{}",
            inp.format,
            inp.sensor.as_deref().unwrap_or("(none)"),
            match inp.read_from {
                ReadFrom::Beginning => "beginning",
                ReadFrom::End => "end (at first start only)",
            },
            if inp.gzip {
                ", .gz files read"
            } else {
                ", .gz files skipped"
            }
        );
        if !inp.labels.is_empty() {
            let l: Vec<String> = inp.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let _ = writeln!(t, "  labels {}", l.join(" "));
        }
        let exclude: Vec<glob::Pattern> = inp
            .exclude
            .iter()
            .filter_map(|p| glob::Pattern::new(p).ok())
            .collect();
        for pat in &inp.paths {
            let mut matched = Vec::new();
            if let Ok(paths) = glob::glob(pat) {
                for p in paths.flatten() {
                    if exclude.iter().any(|x| x.matches_path(&p)) {
                        continue;
                    }
                    if let Ok(m) = std::fs::metadata(&p) {
                        if m.is_file() {
                            matched.push((p, m));
                        }
                    }
                }
            }
            let _ = writeln!(t, "  {pat}: {} file(s) now", matched.len());
            if matched.is_empty() {
                r.warnings.push(format!(
                    "input {name:?}: {pat} matches no file now (it is watched; files appearing later are read)"
                ));
            }
            for (p, m) in matched.iter().take(20) {
                let gz = p.extension().and_then(|e| e.to_str()) == Some("gz");
                let detected = if gz && !inp.gzip {
                    "skipped: compressed".to_string()
                } else {
                    let mut head = Vec::new();
                    let ok = std::fs::File::open(p).and_then(|f| {
                        let r = yapdns_parsers::input::decode_input(f)?;
                        std::io::Read::read_to_end(
                            &mut std::io::Read::take(r, 64 * 1024),
                            &mut head,
                        )
                    });
                    match (ok, detect(&head), inp.format) {
                        (Err(e), _, _) => {
                            r.warnings
                                .push(format!("{}: cannot read: {e}", p.display()));
                            "unreadable".to_string()
                        }
                        (Ok(_), d, FormatChoice::Fixed(f)) => match d {
                            Some(d) if d != f => {
                                r.warnings.push(format!(
                                    "{}: configured as {f} but looks like {d}",
                                    p.display()
                                ));
                                format!("{f} (looks like {d})")
                            }
                            _ => f.name().to_string(),
                        },
                        (Ok(_), Some(d), FormatChoice::Auto) => format!("{d} (detected)"),
                        (Ok(_), None, FormatChoice::Auto) if head.is_empty() => {
                            "empty; format detected when lines arrive".to_string()
                        }
                        (Ok(_), None, FormatChoice::Auto) => {
                            r.warnings.push(format!(
                                "{}: format not recognised; set format in input {name:?}",
                                p.display()
                            ));
                            "format not recognised".to_string()
                        }
                    }
                };
                let _ = writeln!(
                    t,
                    "    {} ({}, inode {}) {detected}",
                    p.display(),
                    human(m.len()),
                    m.ino()
                );
            }
            if matched.len() > 20 {
                let _ = writeln!(t, "    … and {} more", matched.len() - 20);
            }
        }
    }
    r
}

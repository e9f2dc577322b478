//! Snapshot tests over real log samples.
//!
//! Every file in `tests/fixtures/<format>/` (except `*.snap` and `*.md`) is parsed with that
//! format, and the result — COF lines, name sightings, bad lines and the figures — is compared
//! with the reviewed `<file>.snap` beside it. Each file must also be detected as its format.
//!
//! After a deliberate change, regenerate with `YAPDNS_BLESS=1 cargo test -p yapdns-parsers
//! --test fixtures` and review the diff of the `.snap` files like code.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use yapdns_parsers::{parse_path, Format, ParseOptions, Record, TimeZone, YearRule};

fn fixture_files() -> Vec<(Format, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for dir in fs::read_dir(&root).expect("fixtures dir") {
        let dir = dir.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let format: Format = name
            .parse()
            .unwrap_or_else(|_| panic!("folder {name} is no format"));
        for f in fs::read_dir(&dir).expect("format dir") {
            let p = f.expect("entry").path();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
            if p.is_file() && ext != "snap" && ext != "md" {
                out.push((format, p));
            }
        }
    }
    out.sort();
    out
}

/// The snapshot text of one fixture, stable across runs and machines.
fn render(format: Format, path: &Path) -> String {
    let opts = ParseOptions {
        sensor: None,
        timezone: TimeZone::Utc,
        year: YearRule::Fixed(2026),
        origin: None,
    };
    let mut recs = parse_path(path, Some(format), &opts).expect("open");
    let mut out = String::new();
    for r in recs.by_ref() {
        match r {
            Ok(Record::Association(a)) => {
                let _ = writeln!(out, "{}", a.to_cof_json());
            }
            Ok(Record::Name(n)) => {
                let _ = writeln!(out, "name {}", serde_json::to_string(&n).expect("json"));
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "error line {}: {}: {}",
                    e.error.line, e.error.kind, e.error.reason
                );
            }
        }
    }
    let s = recs.stats();
    // Each line is counted once: as an answer, without one, skipped, or bad (a bad line may
    // hold several errors, and an answer line is not counted apart, hence at most).
    assert!(
        s.no_answer + s.skipped <= s.lines,
        "{}: {} lines, but {} without an answer and {} skipped",
        path.display(),
        s.lines,
        s.no_answer,
        s.skipped
    );
    let _ = writeln!(out, "stats {}", serde_json::to_string(s).expect("json"));
    out
}

#[test]
fn fixtures_match_their_snapshots() {
    let bless = std::env::var_os("YAPDNS_BLESS").is_some();
    let files = fixture_files();
    assert!(!files.is_empty(), "no fixtures found");
    let mut failures = Vec::new();
    for (format, path) in files {
        let got = render(format, &path);
        let snap = PathBuf::from(format!("{}.snap", path.display()));
        if bless {
            fs::write(&snap, &got).expect("write snapshot");
            continue;
        }
        match fs::read_to_string(&snap) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!(
                "{}: output differs from {}\n--- want\n{want}\n--- got\n{got}",
                path.display(),
                snap.display()
            )),
            Err(_) => failures.push(format!(
                "{}: no snapshot (run with YAPDNS_BLESS=1)",
                path.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn fixtures_are_detected_as_their_format() {
    let mut wrong = Vec::new();
    for (format, path) in fixture_files() {
        match parse_path(&path, None, &ParseOptions::default()) {
            Ok(r) if r.format() == format => {}
            Ok(r) => wrong.push(format!("{}: detected as {}", path.display(), r.format())),
            Err(e) => wrong.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The borrowed path (`for_each_view`) yields exactly what the iterator yields, errors and
/// figures included, and merging views gives what merging owned records gives.
#[test]
fn views_yield_what_the_iterator_yields() {
    use yapdns_core::Aggregator;
    let opts = ParseOptions {
        sensor: None,
        timezone: TimeZone::Utc,
        year: YearRule::Fixed(2026),
        origin: None,
    };
    for (format, path) in fixture_files() {
        let mut it = parse_path(&path, Some(format), &opts).expect("open");
        let (mut owned, mut owned_errors) = (Vec::new(), Vec::new());
        for r in it.by_ref() {
            match r {
                Ok(r) => owned.push(r),
                Err(e) => owned_errors.push(e),
            }
        }
        let mut recs = parse_path(&path, Some(format), &opts).expect("open");
        let (mut viewed, mut errors) = (Vec::<Record>::new(), Vec::new());
        recs.for_each_view(&mut viewed, |e| errors.push(e));
        let p = path.display();
        assert_eq!(owned, viewed, "{p}");
        assert_eq!(owned_errors, errors, "{p}");
        assert_eq!(it.stats(), recs.stats(), "{p}");

        let mut by_owned = Aggregator::default();
        for r in owned {
            match r {
                Record::Association(a) => by_owned.add(a),
                Record::Name(n) => by_owned.add_name(n),
            }
        }
        let mut by_view = Aggregator::default();
        parse_path(&path, Some(format), &opts)
            .expect("open")
            .for_each_view(&mut by_view, |_| {});
        assert_eq!(
            by_owned.take_associations(),
            by_view.take_associations(),
            "{p}"
        );
        assert_eq!(by_owned.take_names(), by_view.take_names(), "{p}");
    }
}

//! No input makes a parser panic, and the figures always add up.
//!
//! The fuzz targets in `fuzz/` search for such inputs with libFuzzer (nightly); this test runs
//! on stable in every `cargo test`: random bytes, random mutations of every real fixture, and
//! every input the fuzzers ever found (`fuzz/regressions/<target>/`), through every format.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use yapdns_parsers::{parse_reader, Format, ParseOptions, Record};

fn check(format: Format, data: &[u8]) {
    let opts = ParseOptions::default();
    let Ok(mut recs) = parse_reader(data, Some(format), &opts, "test") else {
        return;
    };
    let (mut assoc, mut names, mut errors) = (0u64, 0u64, 0u64);
    for r in recs.by_ref() {
        match r {
            Ok(Record::Association(_)) => assoc += 1,
            Ok(Record::Name(_)) => names += 1,
            Err(_) => errors += 1,
        }
    }
    let s = recs.stats();
    assert_eq!(
        (s.associations, s.names, s.error_count()),
        (assoc, names, errors)
    );
    // The view path (a buffer of lines at a time) yields what the iterator yields.
    let Ok(mut views) = parse_reader(data, Some(format), &opts, "test") else {
        return;
    };
    let mut viewed: Vec<Record> = Vec::new();
    let mut view_errors = 0u64;
    views.for_each_view(&mut viewed, |_| view_errors += 1);
    assert_eq!(views.stats(), s);
    assert_eq!((viewed.len() as u64, view_errors), (assoc + names, errors));
}

fn fixtures() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for dir in fs::read_dir(root).into_iter().flatten().flatten() {
        for f in fs::read_dir(dir.path()).into_iter().flatten().flatten() {
            let p = f.path();
            if p.extension().is_some_and(|e| e == "snap" || e == "md") {
                continue;
            }
            if let Ok(b) = fs::read(&p) {
                out.push(b);
            }
        }
    }
    out
}

#[test]
fn fuzz_regressions_replay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    for dir in fs::read_dir(root).into_iter().flatten().flatten() {
        let name = dir.file_name().to_string_lossy().replace('_', "-");
        let Ok(format) = name.parse::<Format>() else {
            panic!("fuzz/regressions/{name} is not named after a format");
        };
        for f in fs::read_dir(dir.path()).into_iter().flatten().flatten() {
            let data = fs::read(f.path()).unwrap_or_default();
            check(format, &data);
        }
    }
}

#[test]
fn every_fixture_through_every_format() {
    for data in fixtures() {
        for &f in Format::ALL {
            check(f, &data);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for &f in Format::ALL {
            check(f, &data);
        }
    }

    #[test]
    fn mutated_fixtures(pick in any::<prop::sample::Index>(),
                        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
                        cut in any::<prop::sample::Index>()) {
        let all = fixtures();
        prop_assume!(!all.is_empty());
        let mut data = all[pick.index(all.len())].clone();
        prop_assume!(!data.is_empty());
        for (at, byte) in flips {
            let i = at.index(data.len());
            data[i] = byte;
        }
        data.truncate(cut.index(data.len() + 1));
        for &f in Format::ALL {
            check(f, &data);
        }
    }
}

/// Every format has a fuzz target, and `fuzz/Cargo.toml` declares each one as its own
/// `[[bin]]` (the fuzz crate is built by `cargo fuzz` only, so nothing else would notice a
/// manifest that merges garbled).
#[test]
fn every_format_has_a_declared_fuzz_target() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).expect("fuzz/Cargo.toml");
    let mut declared = Vec::new();
    for section in manifest.split("[[bin]]").skip(1) {
        let section = section.split("\n[").next().unwrap_or_default();
        let value = |key: &str| -> Vec<String> {
            section
                .lines()
                .filter_map(|l| l.trim().strip_prefix(key))
                .filter_map(|rest| rest.trim_start().strip_prefix('='))
                .map(|v| v.trim().trim_matches('"').to_string())
                .collect()
        };
        let (names, paths) = (value("name"), value("path"));
        assert!(
            names.len() == 1 && paths.len() == 1,
            "a [[bin]] of fuzz/Cargo.toml needs one name and one path: {section}"
        );
        assert_eq!(paths[0], format!("fuzz_targets/{}.rs", names[0]));
        assert!(fuzz.join(&paths[0]).is_file(), "{} is missing", paths[0]);
        declared.push(names[0].replace('_', "-"));
    }
    for f in Format::ALL {
        assert!(
            declared.iter().any(|d| d == f.name()),
            "format {} has no fuzz target in fuzz/Cargo.toml",
            f.name()
        );
    }
}

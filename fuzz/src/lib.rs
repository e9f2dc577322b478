//! Shared body of the fuzz targets: feed arbitrary bytes to one format's parser through the
//! same driver the agent uses, and check the figures add up.

use yapdns_parsers::{parse_reader, Format, ParseOptions, Record};

/// Parses `data` as `format`; panics only if the parser panics or its figures disagree.
pub fn run(format: Format, data: &[u8]) {
    let opts = ParseOptions::default();
    let Ok(mut recs) = parse_reader(data, Some(format), &opts, "fuzz") else {
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
    assert_eq!(s.associations, assoc);
    assert_eq!(s.names, names);
    assert_eq!(s.error_count(), errors);

    // The view path (a buffer of lines at a time) must yield exactly what the iterator did.
    let Ok(mut views) = parse_reader(data, Some(format), &opts, "fuzz") else {
        return;
    };
    let mut viewed: Vec<Record> = Vec::new();
    let mut view_errors = 0u64;
    views.for_each_view(&mut viewed, |_| view_errors += 1);
    assert_eq!(views.stats(), s);
    assert_eq!(viewed.len() as u64, assoc + names);
    assert_eq!(view_errors, errors);
}

//! Logs of DNS servers run in containers, as Docker's json-file driver and the CRI runtimes
//! (containerd, CRI-O) store them: detected through the wrapper, and read to the very records
//! of the program's own file.
//!
//! `tests/container/<wrapper>/<format>/<file>` wraps `tests/fixtures/<format>/<file>` line for
//! line (`tests/container/wrap.py` wrote them; see the README beside it).

use std::fs;
use std::io::{Cursor, Write as _};
use std::path::{Path, PathBuf};

use yapdns_parsers::{
    detect, month_from_abbr, parse_path, parse_reader, Format, ParseOptions, Record, Records,
    Stats, TimeZone, Wrapper, YearRule,
};

fn opts() -> ParseOptions {
    ParseOptions {
        sensor: None,
        timezone: TimeZone::Utc,
        year: YearRule::Fixed(2026),
        origin: None,
    }
}

/// Every wrapped fixture: its wrapper, format, path, and the program's own file.
fn wrapped_files() -> Vec<(Wrapper, Format, PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut out = Vec::new();
    for (wrapper, dir) in [
        (Wrapper::DockerJson, "docker-json-file"),
        (Wrapper::Cri, "cri"),
    ] {
        for fdir in fs::read_dir(root.join("container").join(dir)).expect("wrapper dir") {
            let fdir = fdir.expect("entry").path();
            let name = fdir
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let format: Format = name.parse().expect("folder named after a format");
            for f in fs::read_dir(&fdir).expect("format dir") {
                let p = f.expect("entry").path();
                let twin = root
                    .join("fixtures")
                    .join(format.name())
                    .join(p.file_name().expect("name"));
                out.push((wrapper, format, p, twin));
            }
        }
    }
    out.sort();
    assert!(out.len() >= 10, "wrapped fixtures missing");
    out
}

/// What reading gives: records, errors (line, kind, reason) and the figures.
type Read = (Vec<Record>, Vec<(u64, String, String)>, Stats);

fn read_all<R: std::io::BufRead>(recs: &mut Records<R>) -> Read {
    let (mut records, mut errors) = (Vec::new(), Vec::new());
    for r in recs.by_ref() {
        match r {
            Ok(r) => records.push(r),
            Err(e) => errors.push((
                e.error.line,
                e.error.kind.to_string(),
                e.error.reason.to_string(),
            )),
        }
    }
    (records, errors, recs.stats().clone())
}

fn read_bytes(data: Vec<u8>, format: Option<Format>) -> (Read, Option<Wrapper>, Format) {
    let mut recs = parse_reader(Cursor::new(data), format, &opts(), "t").expect("open");
    let (w, f) = (recs.wrapper(), recs.format());
    (read_all(&mut recs), w, f)
}

#[test]
fn each_format_is_detected_through_each_wrapper() {
    for (wrapper, format, path, _) in wrapped_files() {
        let head = fs::read(&path).expect("read");
        assert_eq!(Wrapper::detect(&head), Some(wrapper), "{}", path.display());
        assert_eq!(detect(&head), Some(format), "{}", path.display());
        let recs = parse_path(&path, None, &opts()).expect("open");
        assert_eq!(
            (recs.wrapper(), recs.format()),
            (Some(wrapper), format),
            "{}",
            path.display()
        );
    }
}

#[test]
fn wrapped_files_yield_the_records_of_the_programs_own_file() {
    for (_, format, path, twin) in wrapped_files() {
        let want = read_all(&mut parse_path(&twin, Some(format), &opts()).expect("twin"));
        assert!(!want.0.is_empty(), "{}", twin.display());
        let got = read_all(&mut parse_path(&path, None, &opts()).expect("open"));
        // One record per line: the line numbers, errors and figures are those of the twin.
        assert_eq!(got.0, want.0, "{}", path.display());
        assert_eq!(got.1, want.1, "{}", path.display());
        assert_eq!(got.2, want.2, "{}", path.display());

        // The borrowed path, gzip and a reader (standard input) give the same.
        let mut recs = parse_path(&path, None, &opts()).expect("open");
        let (mut viewed, mut errors) = (Vec::<Record>::new(), 0);
        recs.for_each_view(&mut viewed, |_| errors += 1);
        assert_eq!(viewed, want.0, "{} (views)", path.display());
        assert_eq!((errors, recs.stats()), (want.1.len(), &want.2));

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&fs::read(&path).expect("read")).expect("gzip");
        let (got, wrapper, f) = read_bytes(gz.finish().expect("gzip"), None);
        assert!(
            wrapper.is_some() && f == format,
            "{} (gzip)",
            path.display()
        );
        assert_eq!(got, want, "{} (gzip)", path.display());
    }
}

/// The program's lines of a wrapped fixture, each without its newline.
fn program_lines(twin: &Path) -> Vec<Vec<u8>> {
    let data = fs::read(twin).expect("twin");
    let mut lines: Vec<Vec<u8>> = data.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect();
    if lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    lines
}

/// A record of `wrapper` holding `piece` of a line on `stream`, ending the line when `last`.
fn record(wrapper: Wrapper, stream: &str, piece: &[u8], last: bool) -> Vec<u8> {
    let time = "2026-11-29T19:15:52.123456789Z";
    match wrapper {
        Wrapper::DockerJson => {
            let mut log = String::from_utf8(piece.to_vec()).expect("UTF-8 fixture");
            if last {
                log.push('\n');
            }
            let json = serde_json::json!({"log": log, "stream": stream, "time": time});
            let mut out = serde_json::to_vec(&json).expect("json");
            out.push(b'\n');
            out
        }
        _ => {
            let tag = if last { "F" } else { "P" };
            let mut out = format!("{time} {stream} {tag} ").into_bytes();
            out.extend_from_slice(piece);
            out.push(b'\n');
            out
        }
    }
}

#[test]
fn split_lines_are_joined_per_stream_in_the_files_order() {
    for (wrapper, format, path, twin) in wrapped_files() {
        let lines = program_lines(&twin);
        let want = read_all(&mut parse_path(&twin, Some(format), &opts()).expect("twin"));
        // Lines two by two, one on stdout and one on stderr, cut into pieces of 23 bytes
        // whose records alternate, each line's last piece in the program's order (the order
        // the parser must see them in).
        let mut file = Vec::new();
        let mut first_record = Vec::new(); // the record number each line starts at
        let mut n = 0u64;
        let mut push = |file: &mut Vec<u8>, r: Vec<u8>| {
            file.extend_from_slice(&r);
            n += 1;
            n
        };
        for pair in lines.chunks(2) {
            let cut = |l: &Vec<u8>| -> Vec<Vec<u8>> {
                if l.is_empty() {
                    return vec![Vec::new()];
                }
                l.chunks(23).map(<[u8]>::to_vec).collect()
            };
            let pieces: Vec<Vec<Vec<u8>>> = pair.iter().map(cut).collect();
            let streams = ["stdout", "stderr"];
            let longest = pieces.iter().map(Vec::len).max().unwrap_or(0);
            let mut starts = vec![0u64; pair.len()];
            for k in 0..longest - 1 {
                for (i, p) in pieces.iter().enumerate() {
                    if k < p.len() - 1 {
                        let at = push(&mut file, record(wrapper, streams[i], &p[k], false));
                        if k == 0 {
                            starts[i] = at;
                        }
                    }
                }
            }
            for (i, p) in pieces.iter().enumerate() {
                let at = push(
                    &mut file,
                    record(wrapper, streams[i], &p[p.len() - 1], true),
                );
                if p.len() == 1 {
                    starts[i] = at;
                }
            }
            first_record.extend(starts);
        }
        let pieces = n;
        let (got, w, f) = read_bytes(file, None);
        assert_eq!((w, f), (Some(wrapper), format), "{}", path.display());
        assert_eq!(got.0, want.0, "{}", path.display());
        // An error is reported at the record its line starts at.
        let moved: Vec<_> = want
            .1
            .iter()
            .map(|(line, k, r)| (first_record[*line as usize - 1], k.clone(), r.clone()))
            .collect();
        assert_eq!(got.1, moved, "{}", path.display());
        let (g, w) = (&got.2, &want.2);
        assert_eq!(g.lines, pieces);
        assert_eq!(
            (g.associations, g.names, g.no_answer),
            (w.associations, w.names, w.no_answer)
        );
        // Pieces before a line's last have nothing to take.
        assert_eq!(
            g.skipped,
            w.skipped + pieces - w.lines,
            "{}",
            path.display()
        );
        assert_eq!(g.errors, w.errors);
    }
}

#[test]
fn a_bad_record_is_an_error_of_its_line_and_reading_goes_on() {
    for (wrapper, format, path, twin) in wrapped_files() {
        let data = fs::read(&path).expect("read");
        let mut lines: Vec<&[u8]> = data.split(|&c| c == b'\n').collect();
        lines.pop();
        // Record 4 cut inside its time, 6 without its stream.
        let cut = &lines[3][..25];
        let no_stream = match wrapper {
            Wrapper::DockerJson => br#"{"log":"x\n","time":"2026-11-29T19:15:52Z"}"#.as_slice(),
            _ => b"2026-11-29T19:15:52Z F x".as_slice(),
        };
        lines[3] = cut;
        lines[5] = no_stream;
        let bad: Vec<u8> = lines
            .iter()
            .flat_map(|l| l.iter().chain(b"\n"))
            .copied()
            .collect();
        let (got, w, f) = read_bytes(bad, Some(format));
        assert_eq!((w, f), (Some(wrapper), format));
        let twin = read_all(&mut parse_path(&twin, Some(format), &opts()).expect("twin"));
        let wrapper_errors: Vec<u64> = got
            .1
            .iter()
            .filter(|(line, ..)| !twin.1.iter().any(|(l, ..)| l == line))
            .map(|(l, ..)| *l)
            .collect();
        assert_eq!(wrapper_errors, [4, 6], "{}: {:?}", path.display(), got.1);
        assert_eq!(got.2.lines, twin.2.lines, "{}", path.display());
    }
}

#[test]
fn plain_logs_are_never_taken_for_a_wrapper() {
    // Every fixture of every format: JSON lines (Suricata, Zeek, COF, passivedns), RFC 3339
    // stamps (BIND, rsyslog), binary dnstap.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut n = 0;
    for dir in fs::read_dir(&root).expect("fixtures") {
        for f in fs::read_dir(dir.expect("dir").path()).expect("format dir") {
            let p = f.expect("entry").path();
            let data = fs::read(&p).expect("read");
            assert_eq!(Wrapper::detect(&data), None, "{}", p.display());
            n += 1;
        }
    }
    assert!(n > 50);
    // Lines that look the part but are a program's own.
    for line in [
        &br#"{"log":"query[A] a.test from 127.0.0.1\n","stream":"stdout"}"#[..],
        br#"{"log":"x\n","stream":"console","time":"2024-01-20T13:48:31.555661554Z"}"#,
        br#"{"log":"x\n","stream":"stdout","time":"yesterday"}"#,
        br#"{"timestamp":"2024-01-20T13:48:31.555661+0000","event_type":"dns"}"#,
        b"2024-01-20T13:48:31.555661554Z named[1]: client @0x1 192.0.2.1#53 (a.test): query: a.test IN A +",
        b"2024-01-20T13:48:31.555Z stdout named[1]: started",
        b"2024-01-20T13:48:31.555+01:00 stdout X y",
        b"2024-01-20 13:48:31.555Z stdout F y",
        b"2024-13-20T13:48:31Z stdout F y",
        b"2024-01-20T13:48:31.1234567891Z stdout F y",
        b"2024-01-20T13:48:31Z stdout F",
        // Not quite a supervisor's stamp.
        b"@400000006929c6a30c6f1e3 dnsmasq[1]: started",
        b"@400000006929c6a30c6f1e3g dnsmasq[1]: started",
        b"@400000006929c6a30c6f1e34dnsmasq[1]: started",
        b"@000000006929c6a30c6f1e34 dnsmasq[1]: started",
        b"@4000000069 dnsmasq[1]: started",
        b"2026-11-29_19:16:03.1dnsmasq[1]: started",
        b"2026-11-29_25:16:03.1 dnsmasq[1]: started",
        b"2026-11-29_19:16 dnsmasq[1]: started",
    ] {
        assert_eq!(Wrapper::detect(line), None, "{}", String::from_utf8_lossy(line));
    }
    // A CRI-O stamp with an offset, and a Docker record with attrs, are records.
    assert_eq!(
        Wrapper::detect(b"2024-01-20T13:48:31.5+01:00 stderr F:x "),
        Some(Wrapper::Cri)
    );
    assert_eq!(
        Wrapper::detect(br#"{"log":"a\n","stream":"stderr","attrs":{"tag":"dns"},"time":"2024-01-20T13:48:31Z"}"#),
        Some(Wrapper::DockerJson)
    );
}

/// A line of a timed fixture as the program writes it with no time of its own, and the time it
/// wrote, as a runtime stamps it (RFC 3339, UTC: the tests read stamps in UTC, year 2026).
fn untimed(format: Format, line: &[u8]) -> (Vec<u8>, String) {
    let s = std::str::from_utf8(line).expect("UTF-8 fixture");
    match format {
        // `29-Nov-2026 19:15:53.102 ` (BIND `print-time yes`).
        Format::Bind => {
            let (d, rest) = s.split_at(24);
            let m = month_from_abbr(&d.as_bytes()[3..6]).expect("month");
            let t = format!("{}-{m:02}-{}T{}Z", &d[7..11], &d[..2], &d[12..24]);
            (rest.trim_start().as_bytes().to_vec(), t)
        }
        // `Nov 29 19:15:52 ` (dnsmasq's and PowerDNS Recursor's own files).
        _ => {
            let (d, rest) = s.split_at(15);
            let m = month_from_abbr(&d.as_bytes()[..3]).expect("month");
            let day: u32 = d[4..6].trim().parse().expect("day");
            let t = format!("2026-{m:02}-{day:02}T{}Z", &d[7..15]);
            (rest.trim_start().as_bytes().to_vec(), t)
        }
    }
}

/// A record of `wrapper` holding a whole `line` written at `time` (RFC 3339), on stderr.
fn stamped(wrapper: Wrapper, line: &[u8], time: &str) -> Vec<u8> {
    let t = chrono::DateTime::parse_from_rfc3339(time).expect("time");
    let stamp = match wrapper {
        // TAI64N: 2^62 + 10 + Unix seconds, then nanoseconds, in hexadecimal.
        Wrapper::Tai64n => format!(
            "@{:016x}{:08x}",
            (1u64 << 62) + 10 + t.timestamp() as u64,
            t.timestamp_subsec_nanos()
        ),
        Wrapper::SvlogdUtc => t.format("%Y-%m-%d_%H:%M:%S%.9f").to_string(),
        Wrapper::JournalJson => return journal_entry(line, &t),
        _ => {
            let r = record(wrapper, "stderr", line, true);
            // `record` stamps a fixed time: this line's goes in its place.
            let fixed = b"2026-11-29T19:15:52.123456789Z";
            let at = r
                .windows(fixed.len())
                .position(|w| w == fixed)
                .expect("time");
            return [&r[..at], time.as_bytes(), &r[at + fixed.len()..]].concat();
        }
    };
    [stamp.as_bytes(), b" ", line, b"\n"].concat()
}

/// `line` as `journalctl -o json` exports it: the program's name and process id from its
/// syslog tag (`dnsmasq[13762]: `), else BIND's and PowerDNS's own names, apart from the
/// message, and the time in microseconds.
fn journal_entry(line: &[u8], t: &chrono::DateTime<chrono::FixedOffset>) -> Vec<u8> {
    let text = std::str::from_utf8(line).expect("UTF-8 fixture");
    let tag = text.split_once(": ").and_then(|(tag, msg)| {
        let (name, pid) = tag.strip_suffix(']')?.split_once('[')?;
        Some((name, pid, msg))
    });
    let (name, pid, message) = match tag {
        Some(t) if !t.0.contains(' ') => t,
        _ if text.starts_with("client ") => ("named", "712", text),
        _ => ("pdns_recursor", "713", text),
    };
    let entry = serde_json::json!({
        "__CURSOR": "s=0f1e;i=1",
        "__REALTIME_TIMESTAMP": (t.timestamp_micros()).to_string(),
        "__MONOTONIC_TIMESTAMP": "709512285",
        "PRIORITY": "6",
        "SYSLOG_FACILITY": "3",
        "SYSLOG_IDENTIFIER": name,
        "_PID": pid,
        "_COMM": name,
        "MESSAGE": message,
    });
    let mut out = serde_json::to_vec(&entry).expect("json");
    out.push(b'\n');
    out
}

/// A program run in a container, or under a supervisor's log service, that writes no time of
/// its own — dnsmasq `-k --log-facility=-` (its `log.c` leaves the stamp out when it logs to
/// stderr in the foreground, "the default daemontools situation"), BIND with a `print-time no`
/// channel, PowerDNS Recursor with `log-timestamp=no` — is dated by the record or stamp that
/// wraps each line (Docker, CRI, TAI64N, `svlogd -tt`, the journal's export). Built from real files: each timed
/// line without its stamp (for BIND, the real `print-time no` file written beside the timed
/// one from the same queries), wrapped at the time the stamp said. The records are then exactly
/// the timed file's; unwrapped, each such line is a `timestamp` error.
#[test]
fn lines_without_a_time_take_the_wrappers() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for (format, timed, bare) in [
        (
            Format::Bind,
            "bind/bind-9.18.49-querylog-time-only.log",
            Some("bind/bind-9.18.49-querylog-bare.log"),
        ),
        (
            Format::Dnsmasq,
            "dnsmasq/dnsmasq-2.90-log-queries.log",
            None,
        ),
        (
            Format::PdnsRecursor,
            "pdns-recursor/pdns-recursor-4.8.8-classic.log",
            None,
        ),
    ] {
        let timed = fixtures.join(timed);
        let want = read_all(&mut parse_path(&timed, Some(format), &opts()).expect("timed"));
        assert!(
            !want.0.is_empty() && want.1.is_empty(),
            "{}",
            timed.display()
        );
        let mut lines: Vec<(Vec<u8>, String)> = program_lines(&timed)
            .iter()
            .map(|l| untimed(format, l))
            .collect();
        if let Some(bare) = bare {
            let real = program_lines(&fixtures.join(bare));
            assert_eq!(real.len(), lines.len());
            for ((line, _), real) in lines.iter_mut().zip(real) {
                // The stamp left out is all that differs.
                assert_eq!(*line, real);
            }
        }
        for &wrapper in Wrapper::ALL {
            let file: Vec<u8> = lines
                .iter()
                .flat_map(|(line, time)| stamped(wrapper, line, time))
                .collect();
            let (got, w, f) = read_bytes(file, None);
            assert_eq!((w, f), (Some(wrapper), format), "{}", timed.display());
            assert_eq!(got.0, want.0, "{} in {wrapper}", timed.display());
            assert_eq!(got.1, want.1, "{} in {wrapper}", timed.display());
            assert_eq!(got.2, want.2, "{} in {wrapper}", timed.display());
        }
        // Unwrapped, the same lines cannot be dated.
        let plain: Vec<u8> = lines
            .iter()
            .flat_map(|(l, _)| l.iter().chain(b"\n"))
            .copied()
            .collect();
        let (got, ..) = read_bytes(plain, Some(format));
        assert!(got.0.is_empty(), "{}", timed.display());
        assert!(
            got.1.iter().all(|(_, kind, _)| kind == "timestamp"),
            "{}",
            timed.display()
        );
    }
}

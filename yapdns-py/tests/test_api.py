"""The Python API: arguments, objects, errors, statistics, threads."""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import io
import json
import os
import pickle
import threading
from pathlib import Path
from typing import Iterator, List

import pytest

import yapdns
from yapdns import Association

from conftest import DNSDUMP, MIXED

UTC = dt.timezone.utc
GOOD = "1458130003.61\twww.Google.com.\tA\t216.58.220.36\n"
BAD_LINES = (
    "1458130003.61\tgood.example\tA\t192.0.2.1\n"
    "x\ty\n"  # syntax
    "1\tname.example\tBOGUS\t1.2.3.4\n"  # rrtype
    "1458130004\tafter.example\tAAAA\t2001:DB8::1\n"
)


class MyPath(os.PathLike):  # type: ignore[type-arg]
    """A PathLike that is not a pathlib.Path."""

    def __init__(self, p: Path) -> None:
        self.p = p

    def __fspath__(self) -> str:
        return str(self.p)


@pytest.fixture()
def bad_file(tmp_path: Path) -> Path:
    p = tmp_path / "bad.tsv"
    p.write_text(BAD_LINES)
    return p


# --- arguments ---------------------------------------------------------------------------


def test_str_pathlib_and_pathlike_give_the_same() -> None:
    a = yapdns.parse_file(str(MIXED))
    assert len(a) == 11
    assert yapdns.parse_file(MIXED) == a
    assert yapdns.parse_file(MyPath(MIXED)) == a
    assert list(yapdns.iter_file(MyPath(MIXED))) == a
    assert yapdns.detect_format(MyPath(MIXED)) == "cuckoo-dnsdump"


def test_format_names_and_aliases() -> None:
    fmts = yapdns.formats()
    assert list(fmts)[:2] == ["bind", "bind-zone"]
    assert "cuckoo-dnsdump" in fmts and all(isinstance(v, str) and v for v in fmts.values())
    assert yapdns.parse_file(MIXED, "dnsdump") == yapdns.parse_file(MIXED, "CUCKOO-DNSDUMP")


def test_unknown_or_undetectable_format_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(yapdns.FormatError, match="unknown format 'nope'"):
        yapdns.parse_file(MIXED, "nope")
    junk = tmp_path / "junk.txt"
    junk.write_text("hello world\n")
    with pytest.raises(yapdns.FormatError, match="cannot detect"):
        yapdns.parse_file(junk)
    assert yapdns.detect_format(junk) is None
    assert issubclass(yapdns.FormatError, ValueError)
    assert issubclass(yapdns.FormatError, yapdns.YapdnsError)


def test_bad_errors_value_is_refused_before_opening_anything() -> None:
    with pytest.raises(ValueError, match="errors must be 'skip' or 'raise', not 'ignore'"):
        yapdns.parse_file("/does/not/exist", errors="ignore")
    with pytest.raises(ValueError):
        yapdns.iter_file(MIXED, errors="RAISE")
    with pytest.raises(ValueError, match="time zone"):
        yapdns.parse_file(MIXED, timezone="mars")
    with pytest.raises(TypeError):
        yapdns.parse_file(MIXED, sensor=5)  # type: ignore[arg-type]


def test_missing_files_raise_the_usual_oserrors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as e:
        yapdns.parse_file(tmp_path / "missing.log")
    assert e.value.filename == str(tmp_path / "missing.log")
    assert e.value.errno == 2
    with pytest.raises(FileNotFoundError):
        yapdns.iter_file(tmp_path / "missing.log")
    with pytest.raises(FileNotFoundError):
        yapdns.detect_format(tmp_path / "missing.log")
    with pytest.raises(IsADirectoryError):
        yapdns.parse_file(tmp_path, "cuckoo-dnsdump")


def test_gzip_is_read_whatever_the_name(tmp_path: Path) -> None:
    p = tmp_path / "log.bin"
    p.write_bytes(gzip.compress(MIXED.read_bytes()))
    assert yapdns.parse_file(p, year=2026) == yapdns.parse_file(MIXED, year=2026)
    assert yapdns.detect_format(p) == "cuckoo-dnsdump"
    assert yapdns.detect_format(p.read_bytes()) == "cuckoo-dnsdump"


def test_bytes_like_inputs() -> None:
    data = MIXED.read_bytes()
    want = yapdns.parse_bytes(data, "cuckoo-dnsdump")
    assert len(want) == 11
    assert yapdns.parse_bytes(bytearray(data), "cuckoo-dnsdump") == want
    assert yapdns.parse_bytes(memoryview(data), "cuckoo-dnsdump") == want
    assert yapdns.parse_bytes(gzip.compress(data)) == want  # detected
    with pytest.raises(TypeError, match="bytes"):
        yapdns.parse_bytes(data.decode(), "cuckoo-dnsdump")  # type: ignore[arg-type]
    assert yapdns.last_stats() is not None
    assert yapdns.parse_bytes(b"", "cuckoo-dnsdump") == []


def test_lines_from_lists_files_and_generators() -> None:
    text = MIXED.read_text()
    want = yapdns.parse_bytes(text.encode(), "cuckoo-dnsdump")
    no_newlines = text.splitlines()
    assert yapdns.parse_lines(no_newlines, "cuckoo-dnsdump") == want
    assert yapdns.parse_lines(text.splitlines(keepends=True), "cuckoo-dnsdump") == want
    assert yapdns.parse_lines([s.encode() for s in no_newlines], "cuckoo-dnsdump") == want
    assert yapdns.parse_lines(io.StringIO(text), "cuckoo-dnsdump") == want
    assert yapdns.parse_lines((s for s in no_newlines), "cuckoo-dnsdump") == want
    assert yapdns.parse_lines(no_newlines) == want  # detected
    with pytest.raises(TypeError, match="iterable of lines"):
        yapdns.parse_lines(text, "cuckoo-dnsdump")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str or bytes"):
        yapdns.parse_lines([GOOD, 5], "cuckoo-dnsdump")  # type: ignore[list-item]


def test_sensor_timezone_and_year() -> None:
    [a] = yapdns.parse_lines([GOOD], "cuckoo-dnsdump", sensor="sandbox-7")
    assert a.sources == ("cuckoo-dnsdump/sandbox-7",)
    assert a.sensor_id == "sandbox-7"
    assert a.to_dict()["sensor_id"] == "sandbox-7"
    iso = "2026-11-29T19:24:38.043900\tgoogle.nl\tA\t216.58.212.195\n"
    [utc] = yapdns.parse_lines([iso], "cuckoo-dnsdump")
    [plus1] = yapdns.parse_lines([iso], "cuckoo-dnsdump", timezone="+01:00")
    assert utc.first_seen == dt.datetime(2026, 11, 29, 19, 24, 38, 43000, tzinfo=UTC)
    assert (utc.first_seen - plus1.first_seen) == dt.timedelta(hours=1)
    # The year rule only matters for year-less formats; it is accepted everywhere.
    assert yapdns.parse_lines([iso], "cuckoo-dnsdump", year=1999) == [utc]


# --- errors and statistics ---------------------------------------------------------------


def test_skip_counts_bad_lines(bad_file: Path) -> None:
    got = yapdns.parse_file(bad_file, "cuckoo-dnsdump")
    assert [a.rrname for a in got] == ["good.example", "after.example"]
    s = yapdns.last_stats()
    assert s is not None
    assert (s.lines, s.associations, s.error_count) == (4, 2, 2)
    assert s.errors == {"syntax": 1, "rrtype": 1}
    first, second = s.error_samples
    assert isinstance(first, yapdns.ParseError)
    assert (first.path, first.line, first.kind) == (str(bad_file), 2, "syntax")
    assert (second.line, second.kind) == (3, "rrtype")
    assert str(first).startswith(f"{bad_file}:2: syntax: ")
    assert "Stats(lines=4" in repr(s)


def test_raise_stops_at_the_first_bad_line(bad_file: Path) -> None:
    with pytest.raises(yapdns.ParseError) as e:
        yapdns.parse_file(bad_file, "cuckoo-dnsdump", errors="raise")
    err = e.value
    assert (err.path, err.line, err.kind) == (str(bad_file), 2, "syntax")
    assert err.reason and "tab" in err.reason
    assert isinstance(err, ValueError) and isinstance(err, yapdns.YapdnsError)
    # The figures up to the error are still there.
    s = yapdns.last_stats()
    assert s is not None and (s.lines, s.associations, s.error_count) == (2, 1, 1)
    # An iterator hands out what came before the bad line, then raises, then stops.
    it = yapdns.iter_file(bad_file, "cuckoo-dnsdump", errors="raise")
    assert next(it).rrname == "good.example"
    with pytest.raises(yapdns.ParseError):
        next(it)
    with pytest.raises(StopIteration):
        next(it)


def test_a_truncated_gzip_is_an_io_error_after_what_could_be_read() -> None:
    data = "".join(f"{1458130003 + i}\th{i}.example\tA\t192.0.2.{i % 250}\n" for i in range(20_000))
    gz = gzip.compress(data.encode())[:-2000]
    got = yapdns.parse_bytes(gz, "cuckoo-dnsdump")
    s = yapdns.last_stats()
    assert s is not None and s.errors == {"io": 1}
    assert 0 < len(got) < 20_000
    assert repr(s).endswith("errors={'io': 1})")
    with pytest.raises(yapdns.ParseError) as e:
        yapdns.parse_bytes(gz, "cuckoo-dnsdump", errors="raise")
    assert e.value.kind == "io" and e.value.path == "<bytes>"


def test_parse_errors_pickle() -> None:
    with pytest.raises(yapdns.ParseError) as e:
        yapdns.parse_lines(["x\ty"], "cuckoo-dnsdump", errors="raise")
    back = pickle.loads(pickle.dumps(e.value))
    assert (back.path, back.line, back.kind, back.reason) == (
        "<lines>",
        1,
        "syntax",
        e.value.reason,
    )
    assert str(back) == str(e.value)


def test_last_stats_is_per_thread(bad_file: Path) -> None:
    yapdns.parse_file(MIXED)
    mine = yapdns.last_stats()
    seen: List[object] = []

    def other() -> None:
        seen.append(yapdns.last_stats())  # nothing parsed in this thread yet
        yapdns.parse_file(bad_file, "cuckoo-dnsdump")
        seen.append(yapdns.last_stats())

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert seen[0] is None
    assert getattr(seen[1], "error_count") == 2
    assert yapdns.last_stats() == mine


# --- the objects -------------------------------------------------------------------------


def test_association_attributes() -> None:
    [a] = yapdns.parse_lines([GOOD], "cuckoo-dnsdump")
    assert (a.rrname, a.rrtype, a.rdata) == ("www.google.com", "A", "216.58.220.36")
    assert a.first_seen == dt.datetime(2016, 3, 16, 12, 6, 43, 610000, tzinfo=UTC)
    assert a.first_seen.tzinfo is not None and a.first_seen.utcoffset() == dt.timedelta(0)
    assert a.last_seen == a.first_seen
    assert (a.time_first, a.time_last, a.count, a.ttl, a.bailiwick) == (
        1458130003,
        1458130003,
        1,
        None,
        None,
    )
    assert a.sources == ("cuckoo-dnsdump",)
    assert a.sensor_id is None
    assert a.key == ("www.google.com", "A", "216.58.220.36")
    assert a.to_dict() == {
        "rrname": "www.google.com",
        "rrtype": "A",
        "rdata": "216.58.220.36",
        "time_first": 1458130003,
        "time_last": 1458130003,
        "count": 1,
        "time_first_ms": 1458130003610,
        "time_last_ms": 1458130003610,
        "sources": ["cuckoo-dnsdump"],
    }
    assert list(a.to_dict()) == list(json.loads(a.to_json()))  # the CLI's key order
    assert json.loads(a.to_json()) == a.to_dict()
    assert repr(a) == (
        "Association('www.google.com', 'A', '216.58.220.36', "
        "first_seen='2016-03-16T12:06:43.610Z', last_seen='2016-03-16T12:06:43.610Z', "
        "count=1, sources=('cuckoo-dnsdump',))"
    )
    with pytest.raises(AttributeError):
        a.count = 5  # type: ignore[misc]


def test_equality_hashing_and_merge() -> None:
    early, late = yapdns.parse_lines(
        ["100\tx.example\tA\t192.0.2.1", "200\tX.Example.\tA\t192.0.2.1"],
        "cuckoo-dnsdump",
    )
    other = Association("x.example", "A", "192.0.2.2", 100, sources=["cuckoo-dnsdump"])
    assert early != late  # different times
    assert early.key == late.key and hash(early) == hash(late)
    assert early == copy.copy(early) and early == pickle.loads(pickle.dumps(early))
    assert len({early, late, other}) == 3
    assert early != "x.example" and (early == 1) is False
    merged = early.merge(late)
    assert (merged.count, merged.time_first, merged.time_last) == (2, 100, 200)
    assert late.merge(early) == merged  # commutative
    assert early.count == 1  # immutable: merge returns a new object
    with pytest.raises(yapdns.RecordError, match="keys differ"):
        early.merge(other)
    agg = yapdns.parse_lines(
        ["100\tx.example\tA\t192.0.2.1", "200\tX.Example.\tA\t192.0.2.1"],
        "cuckoo-dnsdump",
        aggregate=True,
    )
    assert agg == [merged]


def test_association_constructor_normalises_and_validates() -> None:
    a = Association(
        "WWW.Bücher.example.",
        "aaaa",
        "2001:0DB8:0:0::1",
        dt.datetime(2024, 1, 1, tzinfo=UTC),
        dt.datetime(2024, 1, 2, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        count=3,
        ttl=300,
        bailiwick="Example.",
        sources=["squid/proxy-1", "bind"],
    )
    assert (a.rrname, a.rrtype, a.rdata) == ("www.xn--bcher-kva.example", "AAAA", "2001:db8::1")
    assert a.last_seen == dt.datetime(2024, 1, 2, 0, tzinfo=UTC)
    assert (a.count, a.ttl, a.bailiwick, a.sources) == (3, 300, "example", ("bind", "squid/proxy-1"))
    assert Association.from_dict(a.to_dict()) == a
    assert Association("a.test", 1, "192.0.2.1", 1.5).to_dict()["time_first_ms"] == 1500
    assert Association("a.test", 65280, "\\# 0", 1).rrtype == "TYPE65280"
    with pytest.raises(ValueError, match="naive"):
        Association("a.test", "A", "192.0.2.1", dt.datetime(2024, 1, 1))
    with pytest.raises(yapdns.RecordError):
        Association("a.test", "A", "not-an-ip", 1)
    with pytest.raises(yapdns.RecordError):
        Association("a.test", "BOGUS", "x", 1)
    with pytest.raises(ValueError, match="before"):
        Association("a.test", "A", "192.0.2.1", 10, 5)
    with pytest.raises(ValueError, match="count"):
        Association("a.test", "A", "192.0.2.1", 10, count=0)
    with pytest.raises(TypeError):
        Association("a.test", "A", "192.0.2.1", "yesterday")  # type: ignore[arg-type]


def test_from_dict_reads_cof_from_elsewhere() -> None:
    a = Association.from_dict(
        {"rrname": "Example.com.", "rrtype": "NS", "rdata": "a.iana-servers.net.",
         "time_first": 1, "time_last": 2, "count": 5, "bailiwick": "com."},
        default_format="dnsdb",
    )
    assert (a.rrname, a.rdata, a.count, a.bailiwick, a.sources) == (
        "example.com", "a.iana-servers.net", 5, "com", ("dnsdb",),
    )
    with pytest.raises(yapdns.RecordError):
        Association.from_dict({"rrname": "x.test", "rrtype": "A"})
    with pytest.raises(yapdns.RecordError, match="2 rdata"):
        Association.from_dict(
            {"rrname": "x.test", "rrtype": "A", "rdata": ["192.0.2.1", "192.0.2.2"], "time_first": 1}
        )


# --- iterators, threads ------------------------------------------------------------------


def test_iterator_protocol_stats_and_close() -> None:
    it = yapdns.iter_file(MIXED)
    assert iter(it) is it
    assert (it.format, it.path) == ("cuckoo-dnsdump", str(MIXED))
    first = next(it)
    assert isinstance(first, Association)
    assert it.stats.lines == 11  # one batch read the whole small file
    rest = list(it)
    assert len(rest) == 10
    assert it.stats.associations == 11
    assert "exhausted" in repr(it)
    with pytest.raises(StopIteration):
        next(it)
    with yapdns.iter_file(MIXED) as it2:
        next(it2)
    assert list(it2) == []  # closed
    it3 = yapdns.iter_file(MIXED)
    it3.close()
    assert list(it3) == []


def big_dnsdump(path: Path, lines: int) -> None:
    with open(path, "w") as f:
        for i in range(lines):
            f.write(f"{1458130003 + i}.25\thost{i % 5000}.example\tA\t192.0.2.{i % 250}\n")


def test_iterator_batches_and_aggregation_on_many_lines(tmp_path: Path) -> None:
    p = tmp_path / "many.tsv"
    big_dnsdump(p, 20_000)
    n = sum(1 for _ in yapdns.iter_file(p))
    assert n == 20_000
    agg = yapdns.parse_file(p, aggregate=True)
    assert len(agg) == 5000  # host i%5000 pairs with one address each
    assert sum(a.count for a in agg) == 20_000
    assert [a.key for a in agg] == sorted(a.key for a in agg)


def test_the_gil_is_released_while_rust_parses(tmp_path: Path) -> None:
    p = tmp_path / "big.tsv"
    big_dnsdump(p, 400_000)
    done = threading.Event()
    started = threading.Event()
    result: List[int] = []

    def work() -> None:
        started.set()
        # Returns only a count: nearly all the time is Rust parsing without the GIL.
        it = yapdns.iter_file(p, aggregate=True)
        result.append(sum(1 for _ in it))
        done.set()

    t = threading.Thread(target=work)
    t.start()
    started.wait()
    ticks = 0
    while not done.is_set():
        ticks += 1
    t.join()
    assert result == [5000]
    # Had the GIL been held, this loop would only have run between switch intervals.
    assert ticks > 100_000, ticks


def test_threads_can_share_one_iterator(tmp_path: Path) -> None:
    p = tmp_path / "many.tsv"
    big_dnsdump(p, 50_000)
    it = yapdns.iter_file(p)
    counts: List[int] = []

    def drain(source: Iterator[Association]) -> None:
        counts.append(sum(1 for _ in source))

    threads = [threading.Thread(target=drain, args=(it,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 50_000


def test_names_api_on_a_format_without_names() -> None:
    assert yapdns.parse_names(MIXED) == []
    s = yapdns.last_stats()
    assert s is not None and (s.associations, s.names) == (11, 0)
    assert list(yapdns.iter_names(MIXED)) == []


def test_every_dnsdump_fixture_parses_cleanly() -> None:
    for p in sorted(DNSDUMP.glob("*.tsv")):
        got = yapdns.parse_file(p, errors="raise")
        assert got, p


def some_names() -> List[yapdns.NameSighting]:
    """Name sightings from whichever fixture yields some (query logs: bind, thug, …)."""
    from conftest import fixture_files

    for fmt, path in fixture_files():
        names = yapdns.parse_names(path, fmt)
        if names:
            return names
    pytest.skip("no fixture yields name sightings yet")


def test_name_sightings() -> None:
    names = some_names()
    n = names[0]
    assert isinstance(n.rrname, str) and n.rrname == n.rrname.lower()
    assert n.rrtype is None or isinstance(n.rrtype, str)
    assert n.first_seen.utcoffset() == dt.timedelta(0) and n.first_seen <= n.last_seen
    assert n.count >= 1 and n.sources and n.key == (n.rrname, n.rrtype)
    assert repr(n).startswith(f"NameSighting('{n.rrname}', ")
    d = n.to_dict()
    assert d["rrname"] == n.rrname and isinstance(d["first_seen"], int)
    assert yapdns.NameSighting.from_dict(d) == n
    assert pickle.loads(pickle.dumps(n)) == n and hash(pickle.loads(pickle.dumps(n))) == hash(n)
    twice = n.merge(n)
    assert twice.count == 2 * n.count and twice != n and hash(twice) == hash(n)
    other = next((m for m in names if m.key != n.key), None)
    if other is not None:
        with pytest.raises(yapdns.RecordError):
            n.merge(other)
    with pytest.raises(yapdns.RecordError):
        yapdns.NameSighting.from_dict({"rrname": "x.test"})

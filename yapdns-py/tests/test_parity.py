"""Python gives what `yapdns-agent parse` gives, for every sample of every format.

The list of samples is read from yapdns-parsers/tests/fixtures/<format>/ at collection time,
so a format whose fixtures land is covered without touching this file.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from typing import Any, Dict, List

import pytest

import yapdns

from conftest import fixture_files, run_cli

FILES = fixture_files()
IDS = [f"{fmt}/{p.name}" for fmt, p in FILES]


def dicts(records: List[Any]) -> List[Dict[str, Any]]:
    return [r.to_dict() for r in records]


def test_there_are_fixtures() -> None:
    assert FILES, "no fixtures found under yapdns-parsers/tests/fixtures"
    assert any(fmt == "cuckoo-dnsdump" for fmt, _ in FILES)


@pytest.mark.parametrize(("fmt", "path"), FILES, ids=IDS)
def test_associations_and_stats_match_the_cli(agent: Path, fmt: str, path: Path) -> None:
    cli = run_cli(agent, "--format", fmt, "--stats-json", str(path))
    assert cli.code == 0, cli.stderr
    got = yapdns.parse_file(path, fmt)
    stats = yapdns.last_stats()
    assert dicts(got) == cli.records
    # Byte for byte, too: to_json() is the CLI's line.
    assert b"".join(a.to_json().encode() + b"\n" for a in got) == cli.stdout
    assert stats is not None
    assert stats.to_dict() == cli.stats()


@pytest.mark.parametrize(("fmt", "path"), FILES, ids=IDS)
def test_iterator_gives_the_same_as_the_list(fmt: str, path: Path) -> None:
    listed = yapdns.parse_file(path, fmt)
    listed_stats = yapdns.last_stats()
    it = yapdns.iter_file(path, fmt)
    assert list(it) == listed
    assert it.stats == listed_stats


@pytest.mark.parametrize(("fmt", "path"), FILES, ids=IDS)
def test_aggregate_and_sensor_match_the_cli(agent: Path, fmt: str, path: Path) -> None:
    cli = run_cli(agent, "--format", fmt, "--aggregate", "--sensor", "s-1", str(path))
    assert cli.code == 0, cli.stderr
    assert dicts(yapdns.parse_file(path, fmt, aggregate=True, sensor="s-1")) == cli.records
    assert dicts(list(yapdns.iter_file(path, fmt, aggregate=True, sensor="s-1"))) == cli.records


@pytest.mark.parametrize(("fmt", "path"), FILES, ids=IDS)
def test_names_match_the_cli(agent: Path, fmt: str, path: Path) -> None:
    cli = run_cli(agent, "--format", fmt, "--names", str(path))
    assert cli.code == 0, cli.stderr
    assert dicts(yapdns.parse_names(path, fmt)) == cli.records
    cli = run_cli(agent, "--format", fmt, "--names", "--aggregate", str(path))
    assert dicts(yapdns.parse_names(path, fmt, aggregate=True)) == cli.records


@pytest.mark.parametrize(("fmt", "path"), FILES, ids=IDS)
def test_detection_matches_the_cli(agent: Path, fmt: str, path: Path) -> None:
    """Without a format both detect the same one, or both refuse the file."""
    cli = run_cli(agent, str(path))
    detected = yapdns.detect_format(path)
    if cli.code != 0:
        assert "cannot detect" in cli.stderr
        assert detected is None
        with pytest.raises(yapdns.FormatError):
            yapdns.parse_file(path)
        return
    assert detected is not None
    assert dicts(yapdns.parse_file(path)) == cli.records
    assert yapdns.detect_format(path.read_bytes()) == detected


@pytest.mark.parametrize(("fmt", "path"), FILES, ids=IDS)
def test_gzip_bytes_and_lines_give_the_same(tmp_path: Path, fmt: str, path: Path) -> None:
    # A fixed year: year-less timestamps otherwise take the year from the file's mtime.
    want = dicts(yapdns.parse_file(path, fmt, year=2026))
    data = path.read_bytes()
    assert dicts(yapdns.parse_bytes(data, fmt, year=2026)) == want
    if data.startswith(b"\x1f\x8b"):
        return  # already gzip: one layer is decoded, not two
    gz = tmp_path / (path.name + ".gz")
    with open(path, "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert dicts(yapdns.parse_file(gz, fmt, year=2026)) == want
    assert dicts(yapdns.parse_bytes(gz.read_bytes(), fmt, year=2026)) == want
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return  # UTF-16 / Windows-1252 files are not lines of str
    lines = data.splitlines(keepends=True)
    assert dicts(yapdns.parse_lines(lines, fmt, year=2026)) == want

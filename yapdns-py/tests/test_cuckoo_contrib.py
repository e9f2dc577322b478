"""yapdns.contrib.cuckoo: extraction with the Rust parser, NDJSON files, and the HTTP request
it sends (checked on the wire with a local http.server that records what it receives)."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import yapdns
from yapdns.contrib import cuckoo

from conftest import FIXTURES, MIXED, run_cli

CUCKOO_REPORTS = sorted((FIXTURES / "cuckoo").glob("*.json")) if (FIXTURES / "cuckoo").is_dir() else []


# --- extraction --------------------------------------------------------------------------


@pytest.mark.parametrize("path", CUCKOO_REPORTS, ids=[p.name for p in CUCKOO_REPORTS])
def test_reports_give_what_the_cli_gives(agent: Path, path: Path) -> None:
    cli = run_cli(agent, "--format", "cuckoo", str(path))
    assert cli.code == 0, cli.stderr
    from_path = cuckoo.associations(path)
    assert [a.to_dict() for a in from_path] == cli.records
    # A reporting module gets the results dict, not the file: the same parser reads it.
    results = json.loads(path.read_text())
    from_dict = cuckoo.associations(results)
    assert [a.to_dict() for a in from_dict] == cli.records


def test_there_are_cuckoo_reports_to_test_with() -> None:
    if not CUCKOO_REPORTS:
        pytest.skip("no yapdns-parsers/tests/fixtures/cuckoo/*.json yet")
    assert all(p.stat().st_size > 0 for p in CUCKOO_REPORTS)


def test_results_dicts_keep_only_what_the_parser_reads() -> None:
    import datetime as dt

    results = {
        "info": {"id": 7, "started": dt.datetime(2026, 11, 29, 19, 24, 38)},
        "network": {"dns": []},
        "behavior": {"huge": "x" * 1000},
    }
    doc = json.loads(cuckoo._results_bytes(results))
    assert doc == {"info": {"id": 7, "started": "2026-11-29 19:24:38"}, "network": {"dns": []}}


# --- NDJSON ------------------------------------------------------------------------------


def test_write_ndjson_to_a_path_and_a_file_object(tmp_path: Path, agent: Path) -> None:
    assocs = yapdns.parse_file(MIXED)
    out = tmp_path / "42.cof.ndjson"
    assert cuckoo.write_ndjson(assocs, out) == 11
    cli = run_cli(agent, "--format", "cuckoo-dnsdump", str(MIXED))
    assert out.read_bytes() == cli.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["42.cof.ndjson"]  # no temporary left
    with open(tmp_path / "b.ndjson", "wb") as f:
        assert cuckoo.write_ndjson(assocs, f) == 11
    assert (tmp_path / "b.ndjson").read_bytes() == cli.stdout
    assert cuckoo.write_ndjson([], tmp_path / "empty.ndjson") == 0


def test_report_needs_a_destination() -> None:
    with pytest.raises(ValueError, match="url"):
        cuckoo.report({"network": {}})


# --- HTTP --------------------------------------------------------------------------------


class Recorder:
    """A local HTTP server that records each request and answers from a script of
    (status, body) replies, then 200."""

    def __init__(self, replies: List[Tuple[int, bytes]], delay: float = 0.0) -> None:
        self.requests: List[Dict[str, Any]] = []
        self.replies = list(replies)
        self.delay = delay
        rec = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                rec.requests.append(
                    {"path": self.path, "headers": dict(self.headers.items()), "body": body}
                )
                if rec.delay:
                    time.sleep(rec.delay)
                status, reply = rec.replies.pop(0) if rec.replies else (200, b'{"written":1}')
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def recorder() -> Iterator[Recorder]:
    r = Recorder([])
    yield r
    r.close()


def test_post_sends_cof_ndjson_with_auth_and_a_stable_idempotency_key(recorder: Recorder) -> None:
    assocs = yapdns.parse_file(MIXED, sensor="cuckoo-1")
    answers = cuckoo.post_associations(assocs, recorder.url, "k3y", timeout=5)
    assert answers == [{"written": 1}]
    [req] = recorder.requests
    assert req["path"] == "/api/v1/associations"
    h = {k.lower(): v for k, v in req["headers"].items()}
    assert h["authorization"] == "Bearer k3y"
    assert h["content-type"] == "application/x-ndjson"
    assert h["user-agent"].startswith("yapdns-python/")
    body: bytes = req["body"]
    assert body == b"".join(a.to_json().encode() + b"\n" for a in assocs)
    assert [json.loads(line) for line in body.splitlines()] == [a.to_dict() for a in assocs]
    key = h["idempotency-key"]
    assert key.startswith("cuckoo-") and len(key) <= 200 and key.isascii()
    # The same batch sent again carries the same key; another batch another one.
    cuckoo.post_associations(assocs, recorder.url, "k3y", timeout=5)
    cuckoo.post_associations(assocs[:3], recorder.url, "k3y", timeout=5)
    keys = [{k.lower(): v for k, v in r["headers"].items()}["idempotency-key"] for r in recorder.requests]
    assert keys[0] == keys[1] != keys[2]


def test_post_splits_batches(recorder: Recorder) -> None:
    assocs = yapdns.parse_file(MIXED)
    cuckoo.post_associations(assocs, recorder.url, None, batch_size=4, timeout=5)
    assert [r["body"].count(b"\n") for r in recorder.requests] == [4, 4, 3]
    assert all("Authorization" not in r["headers"] for r in recorder.requests)
    with pytest.raises(ValueError):
        cuckoo.post_associations(assocs, recorder.url, None, batch_size=0)


def test_post_retries_5xx_with_the_same_key_and_raises_on_4xx() -> None:
    flaky = Recorder([(503, b"busy"), (200, b'{"ok":true}')])
    try:
        assocs = yapdns.parse_file(MIXED)
        assert cuckoo.post_associations(assocs, flaky.url, "k", timeout=5) == [{"ok": True}]
        a, b = flaky.requests
        assert a["body"] == b["body"]
        assert a["headers"]["Idempotency-Key"] == b["headers"]["Idempotency-Key"]
    finally:
        flaky.close()
    denied = Recorder([(401, b'{"error":"unauthorized"}')])
    try:
        with pytest.raises(cuckoo.PostError) as e:
            cuckoo.post_associations(yapdns.parse_file(MIXED), denied.url, "bad", timeout=5)
        assert e.value.status == 401 and "unauthorized" in e.value.body
        assert isinstance(e.value, yapdns.YapdnsError)
        assert len(denied.requests) == 1  # no retry on 4xx
    finally:
        denied.close()


def test_post_times_out_and_reports_unreachable_servers() -> None:
    slow = Recorder([], delay=2.0)
    try:
        t0 = time.monotonic()
        with pytest.raises(cuckoo.PostError) as e:
            cuckoo.post_associations(yapdns.parse_file(MIXED), slow.url, "k", timeout=0.3, retries=0)
        assert e.value.status is None
        assert time.monotonic() - t0 < 2.0
    finally:
        slow.close()
    # A port nobody listens on (bound, then closed).
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(cuckoo.PostError):
        cuckoo.post_associations(yapdns.parse_file(MIXED), f"http://127.0.0.1:{port}", "k", timeout=2, retries=0)


def test_run_report_posts_and_writes(recorder: Recorder, tmp_path: Path) -> None:
    """What the reporting module runs, with reporting.conf options and the task."""
    report = CUCKOO_REPORTS[0] if CUCKOO_REPORTS else None
    results: Dict[str, Any] = json.loads(report.read_text()) if report else {"network": {"dns": []}}
    got = cuckoo.run_report(
        results,
        {"url": recorder.url, "key": "k", "output_path": str(tmp_path), "sensor": "sb1", "timeout": "5"},
        {"id": 42},
    )
    out = tmp_path / "42.cof.ndjson"
    assert out.read_bytes() == cuckoo.to_ndjson(got)
    assert len(recorder.requests) == (1 if got else 0)
    assert all(a.sources == ("cuckoo/sb1",) for a in got)


def test_command_line_writes_ndjson(tmp_path: Path) -> None:
    if not CUCKOO_REPORTS:
        pytest.skip("no cuckoo fixtures yet")
    out = tmp_path / "out.ndjson"
    proc = subprocess.run(
        [sys.executable, "-m", "yapdns.contrib.cuckoo", str(CUCKOO_REPORTS[0]), "--output", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == cuckoo.to_ndjson(cuckoo.associations(CUCKOO_REPORTS[0]))


def test_the_reporting_class_exists_only_inside_a_sandbox(tmp_path: Path) -> None:
    """No Cuckoo or CAPE is installable here (Cuckoo 2 is Python 2; CAPE is not on PyPI), so
    the class is checked against a two-line `lib.cuckoo.common` with the same names, in a
    subprocess: the subclass is defined, its run() writes the NDJSON file and wraps failures in
    CuckooReportError, which is what Cuckoo's reporting loop expects."""
    assert not hasattr(cuckoo, "YapdnsReport")
    pkg = tmp_path / "lib" / "cuckoo" / "common"
    pkg.mkdir(parents=True)
    for d in (tmp_path / "lib", tmp_path / "lib" / "cuckoo", pkg):
        (d / "__init__.py").write_text("")
    (pkg / "abstracts.py").write_text(
        "class Report:\n    options = {}\n    task = {}\n"
    )
    (pkg / "exceptions.py").write_text("class CuckooReportError(Exception):\n    pass\n")
    script = textwrap.dedent(
        f"""
        import json, sys
        from yapdns.contrib.cuckoo import YapdnsReport
        from lib.cuckoo.common.abstracts import Report
        from lib.cuckoo.common.exceptions import CuckooReportError
        assert issubclass(YapdnsReport, Report)
        r = YapdnsReport()
        r.options = {{"output_path": {str(tmp_path)!r}, "sensor": "sb"}}
        r.task = {{"id": 9}}
        r.run({{"network": {{"dns": []}}}})
        r.options = {{}}
        try:
            r.run({{}})
        except CuckooReportError as e:
            print("refused:", e)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "9.cof.ndjson").exists()
    assert "refused: yapdns: give url" in proc.stdout

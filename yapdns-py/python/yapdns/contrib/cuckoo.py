"""Cuckoo / CAPE sandbox reporting for YAPDNS, the successor of cuckoo-dnsdump.

The old module wrote one TSV line per DNS request, timed when the report was written, for a
log shipper to pick up. This one reads the analysis' ``network.dns`` section with the same Rust
parser as ``yapdns-agent parse --format cuckoo`` (so every answer of a CNAME chain and the DNS
time are kept), and either posts the associations to a YAPDNS server or writes them as COF
NDJSON for an agent to ship.

As a library::

    from yapdns.contrib import cuckoo
    assocs = cuckoo.associations("storage/analyses/42/reports/report.json")
    cuckoo.post_associations(assocs, "https://yapdns.example:8443", key)   # or:
    cuckoo.write_ndjson(assocs, "/var/spool/yapdns/42.cof.ndjson")

As a Cuckoo / CAPE reporting module (when ``lib.cuckoo.common.abstracts`` is importable, that
is inside the sandbox's process), put this line in ``modules/reporting/yapdns.py``::

    from yapdns.contrib.cuckoo import YapdnsReport  # noqa: F401

and a section named after that file in ``conf/reporting.conf``::

    [yapdns]
    enabled = yes
    url = https://yapdns.example:8443
    key = <API key with the ingest role>
    # and/or: output_path = /var/spool/yapdns   (writes <task id>.cof.ndjson)
    sensor = cuckoo-1
    timeout = 30

From a shell (re-processing old analyses)::

    python -m yapdns.contrib.cuckoo report.json --url https://yapdns.example:8443  # key: $YAPDNS_KEY
    python -m yapdns.contrib.cuckoo report.json --output 42.cof.ndjson

Only the standard library is used (``urllib`` for HTTP).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any, List, Optional, Union

from yapdns import Association, YapdnsError, __version__, parse_bytes, parse_file

__all__ = [
    "API_PATH",
    "PostError",
    "associations",
    "batch_id",
    "main",
    "post_associations",
    "report",
    "run_report",
    "to_ndjson",
    "write_ndjson",
]

API_PATH = "/api/v1/associations"
"""Where a YAPDNS server takes NDJSON batches of COF records."""

DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for the server to connect and answer, per request."""

DEFAULT_BATCH_SIZE = 5000
"""Associations per request: one Cuckoo analysis is usually one request."""

DEFAULT_RETRIES = 3
"""Further tries after a connection error or a 5xx/429 answer. Safe, since every batch carries
the same ``Idempotency-Key`` each time it is sent."""

_REPORT_KEYS = ("info", "network")
"""The parts of a results dict the parser reads; the rest (behaviour, memory, strings, …) can
weigh hundreds of megabytes and is not serialised."""

_PathLike = Union[str, "os.PathLike[str]"]


class PostError(YapdnsError):
    """The server refused a batch (``status`` is its HTTP status) or could not be reached
    (``status`` is ``None``)."""

    def __init__(self, message: str, url: str, status: Optional[int] = None, body: str = "") -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.body = body


def _json_default(obj: object) -> object:
    """Serialises what Cuckoo's results hold besides JSON types, as its JSON report does."""
    if isinstance(obj, _dt.datetime):
        return obj.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(obj, (bytes, bytearray)):
        return bytes(obj).decode("utf-8", "replace")
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    return str(obj)


def _results_bytes(results: Mapping[str, Any]) -> bytes:
    doc = {k: results[k] for k in _REPORT_KEYS if k in results}
    return json.dumps(doc, default=_json_default).encode("utf-8")


def associations(
    results: Union[Mapping[str, Any], _PathLike],
    *,
    sensor: Optional[str] = None,
    errors: str = "skip",
) -> List[Association]:
    """The associations of one analysis: ``results`` is Cuckoo's results dict (as a reporting
    module receives it) or the path of its ``report.json`` (``.gz`` too).

    The dict's ``info`` and ``network`` parts are serialised to JSON and read by the same Rust
    parser as a ``report.json`` file (format ``cuckoo``)."""
    if isinstance(results, Mapping):
        return parse_bytes(_results_bytes(results), "cuckoo", sensor=sensor, errors=errors)
    return parse_file(results, "cuckoo", sensor=sensor, errors=errors)


def to_ndjson(assocs: Iterable[Association]) -> bytes:
    """COF NDJSON: one JSON object per line, exactly as ``yapdns-agent parse`` prints them."""
    return b"".join(a.to_json().encode("utf-8") + b"\n" for a in assocs)


def write_ndjson(assocs: Iterable[Association], dest: Union[_PathLike, IO[bytes]]) -> int:
    """Writes COF NDJSON to a binary file object, or to a path atomically (a temporary file in
    the same folder, renamed when complete, so that an agent tailing the folder never reads
    half a file). Returns the number of associations written."""
    data = to_ndjson(assocs)
    count = data.count(b"\n")
    if hasattr(dest, "write"):
        dest.write(data)
        return count
    path = os.fspath(dest)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".yapdns-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return count


def batch_id(body: bytes, prefix: str = "cuckoo") -> str:
    """A stable id for a batch: the same body always gets the same id, so a server that sees
    the batch twice (a retry, a re-run of the report) applies it once."""
    return f"{prefix}-{hashlib.sha256(body).hexdigest()[:40]}"


def _post_once(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> Any:
    req = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8", "replace")
        raise PostError(f"{url}: HTTP {e.code}: {text[:500]}", url, e.code, text) from e
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise PostError(f"{url}: {reason}", url) from e
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode("utf-8", "replace")


def _retryable(e: PostError) -> bool:
    return e.status is None or e.status == 429 or e.status >= 500


def post_associations(
    assocs: Iterable[Association],
    url: str,
    key: Optional[str],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    id_prefix: str = "cuckoo",
) -> List[Any]:
    """Posts associations to a YAPDNS server, ``batch_size`` per request.

    Each request is ``POST {url}/api/v1/associations`` with a COF NDJSON body,
    ``Authorization: Bearer {key}`` (omitted when ``key`` is ``None``) and an
    ``Idempotency-Key`` derived from the body (see :func:`batch_id`). Connection errors, 429
    and 5xx answers are retried ``retries`` times with backoff; other non-2xx answers raise
    :class:`PostError` at once. Returns the server's JSON answers, one per request."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    endpoint = url.rstrip("/") + API_PATH
    items = list(assocs)
    answers: List[Any] = []
    for start in range(0, len(items), batch_size):
        body = to_ndjson(items[start : start + batch_size])
        headers = {
            "Content-Type": "application/x-ndjson",
            "Idempotency-Key": batch_id(body, id_prefix),
            "User-Agent": f"yapdns-python/{__version__}",
        }
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        attempt = 0
        while True:
            try:
                answers.append(_post_once(endpoint, body, headers, timeout))
                break
            except PostError as e:
                if attempt >= retries or not _retryable(e):
                    raise
                time.sleep(min(30.0, 0.5 * 2**attempt))
                attempt += 1
    return answers


def report(
    results: Union[Mapping[str, Any], _PathLike],
    *,
    url: Optional[str] = None,
    key: Optional[str] = None,
    output: Union[_PathLike, IO[bytes], None] = None,
    sensor: Optional[str] = None,
    timeout: float = DEFAULT_TIMEOUT,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> List[Association]:
    """Extracts the associations of an analysis and posts them to ``url`` and/or writes them
    to ``output`` (at least one). Returns the associations."""
    if url is None and output is None:
        raise ValueError("give url (a YAPDNS server) or output (a COF NDJSON file), or both")
    assocs = associations(results, sensor=sensor)
    if output is not None:
        write_ndjson(assocs, output)
    if url is not None and assocs:
        post_associations(assocs, url, key, batch_size=batch_size, timeout=timeout)
    return assocs


def run_report(
    results: Mapping[str, Any], options: Mapping[str, Any], task: Mapping[str, Any]
) -> List[Association]:
    """What the Cuckoo reporting module does, for any caller holding Cuckoo's ``results``, the
    module's ``reporting.conf`` options (``url``, ``key``, ``output_path``, ``sensor``,
    ``timeout``, ``batch_size``) and the ``task`` (its ``id`` names the output file)."""
    output_path = options.get("output_path")
    output = None
    if output_path:
        output = os.path.join(str(output_path), f"{task.get('id', 'task')}.cof.ndjson")
    return report(
        results,
        url=options.get("url") or None,
        key=options.get("key") or None,
        output=output,
        sensor=options.get("sensor") or None,
        timeout=float(options.get("timeout") or DEFAULT_TIMEOUT),
        batch_size=int(options.get("batch_size") or DEFAULT_BATCH_SIZE),
    )


def _cuckoo_base() -> Any:
    """Cuckoo's (or CAPE's) ``Report`` base class and ``CuckooReportError``, or ``None``
    outside a sandbox."""
    for abstracts, exceptions in (
        ("lib.cuckoo.common.abstracts", "lib.cuckoo.common.exceptions"),  # CAPE, Cuckoo 1.x
        ("cuckoo.common.abstracts", "cuckoo.common.exceptions"),  # Cuckoo 2.x package
    ):
        try:
            base = __import__(abstracts, fromlist=["Report"]).Report
            error = __import__(exceptions, fromlist=["CuckooReportError"]).CuckooReportError
        except (ImportError, AttributeError):
            continue
        return base, error
    return None


_base = _cuckoo_base()

if _base is not None:
    _Report, _ReportError = _base

    class YapdnsReport(_Report):  # type: ignore[misc, valid-type]
        """Cuckoo / CAPE reporting module: posts the analysis' DNS associations to a YAPDNS
        server and/or writes them as COF NDJSON (see this module's documentation)."""

        def run(self, results: Mapping[str, Any]) -> None:
            try:
                run_report(results, self.options, self.task)
            except (YapdnsError, OSError, ValueError) as e:
                raise _ReportError(f"yapdns: {e}") from e


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m yapdns.contrib.cuckoo``: reads ``report.json`` files and posts or writes
    their associations."""
    p = argparse.ArgumentParser(
        prog="python -m yapdns.contrib.cuckoo",
        description="Send the DNS associations of Cuckoo/CAPE report.json files to YAPDNS.",
    )
    p.add_argument("reports", nargs="+", help="report.json files (.gz too)")
    p.add_argument("--url", help="YAPDNS server, e.g. https://yapdns.example:8443")
    p.add_argument("--key", default=os.environ.get("YAPDNS_KEY"), help="API key (default: $YAPDNS_KEY)")
    p.add_argument("--output", help="write COF NDJSON here ('-' for standard output)")
    p.add_argument("--sensor", help="sensor id recorded in every association")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    args = p.parse_args(argv)
    if args.url is None and args.output is None:
        p.error("give --url or --output")
    assocs: List[Association] = []
    for path in args.reports:
        assocs.extend(associations(path, sensor=args.sensor))
    if args.output == "-":
        write_ndjson(assocs, sys.stdout.buffer)
    elif args.output is not None:
        write_ndjson(assocs, args.output)
    if args.url is not None and assocs:
        post_associations(assocs, args.url, args.key, timeout=args.timeout)
    print(f"{len(assocs)} associations from {len(args.reports)} report(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Throughput of `yapdns.parse_file` against the Rust CLI and a plain Python `re` parser.

    python yapdns-py/bench/bench_parse.py [--size-mb 64] [--agent target/release/yapdns-agent]

Generates a cuckoo-dnsdump TSV (the format the old module wrote: ISO timestamps without a
zone, a mix of A, AAAA, CNAME, MX and TXT records over repeating names), then times, best of
`--repeat` runs:

* the CLI: `yapdns-agent parse --format cuckoo-dnsdump FILE > /dev/null` (COF NDJSON out);
* `yapdns.parse_file(FILE)`: a list of `Association` objects;
* `yapdns.iter_file(FILE)` consumed by a `for` loop;
* `[a.to_dict() for a in parse_file(FILE)]`: what a DataFrame is built from;
* a plain Python parser of the same format with `re`, `datetime` and `ipaddress` that builds
  the same COF dicts (lower-cased names, canonical IPs, integer times).

Both CPU time (user + sys of the process doing the work) and wall time are reported; on a
shared machine CPU time is the steadier figure and the ratios use it. Build the wheel and the
agent in release mode first (scripts/python-tests.sh builds the wheel in release mode; the
agent: `cargo build --release -p yapdns-agent`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import yapdns

UTC = dt.timezone.utc


def generate(path: Path, size: int, epoch: bool = False) -> int:
    """Writes about `size` bytes of cuckoo-dnsdump lines; returns the line count. Timestamps
    are ISO 8601 without a zone (what the module writes), or epoch seconds with `epoch`."""
    kinds = [
        ("A", lambda i: f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"),
        ("A", lambda i: f"192.0.{(i >> 8) & 255}.{i & 255}"),
        ("AAAA", lambda i: f"2001:db8:{i & 0xffff:x}::{(i >> 4) & 0xfff:x}"),
        ("CNAME", lambda i: f"edge{i % 97}.cdn.example.net"),
        ("MX", lambda i: f"mx{i % 5}.mail.example.org"),
        ("TXT", lambda i: f"v=spf1 include:_spf{i % 13}.example.com -all"),
    ]
    block = []
    for i in range(10_000):
        rtype, rdata = kinds[i % len(kinds)]
        sec, micro = divmod(i * 7919, 1_000_000)
        if epoch:
            ts = f"{1795980278 + sec}.{micro // 1000:03d}"
        else:
            ts = f"2026-11-29T{(sec // 3600) % 24:02d}:{(sec // 60) % 60:02d}:{sec % 60:02d}.{micro:06d}"
        block.append(f"{ts}\tHost{i % 3000}.Zone{i % 41}.example.com\t{rtype}\t{rdata(i)}\n")
    chunk = "".join(block).encode()
    lines = 0
    with open(path, "wb") as f:
        while f.tell() < size:
            f.write(chunk)
            lines += len(block)
    return lines


# --- the plain Python parser -------------------------------------------------------------

LINE = re.compile(r"([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)")
EPOCH = re.compile(r"[0-9.]+")
NAME_TYPES = {"CNAME", "NS", "PTR", "DNAME"}


def re_parse(path: Path) -> List[Dict[str, Any]]:
    """A straightforward pure-Python cuckoo-dnsdump reader producing COF dicts."""
    out: List[Dict[str, Any]] = []
    errors = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.fullmatch(line.rstrip("\r\n"))
            if m is None:
                errors += 1
                continue
            ts, name, rtype, rdata = m.groups()
            try:
                if EPOCH.fullmatch(ts):
                    ms = round(float(ts) * 1000)
                else:
                    t = dt.datetime.fromisoformat(ts)
                    if t.tzinfo is None:
                        t = t.replace(tzinfo=UTC)
                    ms = int(t.timestamp() * 1000)
                rtype = rtype.upper()
                rrname = name.lower().rstrip(".")
                if rtype in ("A", "AAAA"):
                    rdata = str(ipaddress.ip_address(rdata))
                elif rtype in NAME_TYPES:
                    rdata = rdata.lower().rstrip(".")
                elif rtype == "MX":
                    rdata = rdata.lower().rstrip(".")
            except ValueError:
                errors += 1
                continue
            rec: Dict[str, Any] = {
                "rrname": rrname,
                "rrtype": rtype,
                "rdata": rdata,
                "time_first": ms // 1000,
                "time_last": ms // 1000,
                "count": 1,
            }
            if ms % 1000:
                rec["time_first_ms"] = ms
                rec["time_last_ms"] = ms
            rec["sources"] = ["cuckoo-dnsdump"]
            out.append(rec)
    return out


# --- timing ------------------------------------------------------------------------------


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def best(runs: int, fn: Callable[[], Tuple[float, float, int]]) -> Tuple[float, float, int]:
    results = [fn() for _ in range(runs)]
    cpu = min(r[0] for r in results)
    wall = min(r[1] for r in results)
    return cpu, wall, results[0][2]


def time_cli(agent: str, path: Path) -> Tuple[float, float, int]:
    c0, w0 = children_cpu(), time.perf_counter()
    proc = subprocess.run(
        [agent, "parse", "--format", "cuckoo-dnsdump", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=True,
    )
    wall, cpu = time.perf_counter() - w0, children_cpu() - c0
    m = re.search(rb"associations=(\d+)", proc.stderr)
    return cpu, wall, int(m.group(1)) if m else -1


def time_py(fn: Callable[[], int]) -> Tuple[float, float, int]:
    c0, w0 = self_cpu(), time.perf_counter()
    n = fn()
    return self_cpu() - c0, time.perf_counter() - w0, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, default=64.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--re-repeat", type=int, default=1, help="runs of the slow re parser")
    ap.add_argument("--agent", default=os.environ.get("YAPDNS_AGENT", "target/release/yapdns-agent"))
    ap.add_argument(
        "--timestamps", choices=("iso", "epoch"), default="iso",
        help="iso: 2026-11-29T19:24:38.043900 (default, as the module writes); epoch: 1795980278.043",
    )
    ap.add_argument("--file", type=Path, help="use this cuckoo-dnsdump file instead of generating one")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.file or Path(tmp) / "bench.tsv"
        if args.file is None:
            lines = generate(path, int(args.size_mb * (1 << 20)), args.timestamps == "epoch")
        else:
            lines = sum(1 for _ in open(path, "rb"))
        size = path.stat().st_size
        print(
            f"file: {size / 1e6:.1f} MB, {lines} lines (cuckoo-dnsdump, {args.timestamps} timestamps), "
            f"yapdns {yapdns.__version__}"
        )
        print(f"agent: {args.agent}")

        def py_list() -> int:
            return len(yapdns.parse_file(path, "cuckoo-dnsdump"))

        def py_iter() -> int:
            n = 0
            for _a in yapdns.iter_file(path, "cuckoo-dnsdump"):
                n += 1
            return n

        def py_dicts() -> int:
            return len([a.to_dict() for a in yapdns.parse_file(path, "cuckoo-dnsdump")])

        def py_re() -> int:
            return len(re_parse(path))

        results = {
            "yapdns-agent parse (Rust CLI, NDJSON to /dev/null)": best(
                args.repeat, lambda: time_cli(args.agent, path)
            ),
            "yapdns.parse_file → list[Association]": best(args.repeat, lambda: time_py(py_list)),
            "for a in yapdns.iter_file(...)": best(args.repeat, lambda: time_py(py_iter)),
            "[a.to_dict() for a in parse_file(...)]": best(args.repeat, lambda: time_py(py_dicts)),
            "plain Python re parser → list[dict]": best(args.re_repeat, lambda: time_py(py_re)),
        }
        counts = {n for (_, _, n) in results.values()}
        if len(counts) != 1:
            print(f"warning: record counts differ: {counts}", file=sys.stderr)

        cli_cpu = results["yapdns-agent parse (Rust CLI, NDJSON to /dev/null)"][0]
        re_cpu = results["plain Python re parser → list[dict]"][0]
        print()
        print("| what | CPU s | wall s | MB/s (CPU) | lines/s (CPU) | vs CLI | vs re |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, (cpu, wall, _n) in results.items():
            print(
                f"| {name} | {cpu:.2f} | {wall:.2f} | {size / 1e6 / cpu:.1f} | "
                f"{lines / cpu / 1e6:.2f} M | {cli_cpu / cpu:.2f}× | {re_cpu / cpu:.1f}× |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

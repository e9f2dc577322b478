#!/usr/bin/env python3
"""The BIND query-log parser an analyst would write: one regex per line, a dict per query.

Prints the throughput in MiB/s and the number of queries, so `perf-report` can set YAPDNS
against it on the same bytes.
"""
import os
import re
import sys
import time
from datetime import datetime, timezone

LINE = re.compile(
    r"^(?P<ts>\d{2}-\w{3}-\d{4} \d{2}:\d{2}:\d{2}\.\d{3}|\d{4}-\d{2}-\d{2}T[\d:.]+Z?)?\s*"
    r"(?:queries: )?(?:info: )?client (?:@0x[0-9a-f]+ )?(?P<client>[^#\s]+)#(?P<port>\d+)"
    r"(?: \([^)]*\))?(?: view [^:]+)?: query: (?P<name>\S+) (?P<cls>\S+) (?P<type>\S+)"
)


def parse_time(s):
    if not s:
        return None
    if "T" in s:
        return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
    return datetime.strptime(s, "%d-%b-%Y %H:%M:%S.%f").replace(tzinfo=timezone.utc).timestamp()


def parse(path):
    out = []
    with open(path, "rb") as f:
        for raw in f:
            m = LINE.match(raw.decode("utf-8", "replace"))
            if not m:
                continue
            out.append({"rrname": m["name"].lower().rstrip("."), "rrtype": m["type"],
                        "time": parse_time(m["ts"])})
    return out


if __name__ == "__main__":
    path = sys.argv[1]
    size = os.path.getsize(path)
    t0 = time.perf_counter()
    n = len(parse(path))
    dt = time.perf_counter() - t0
    print(f"{size / dt / (1 << 20):.3f} MiB/s {n} queries")

#!/usr/bin/env python3
"""The Squid parser an analyst would write: one regex per line, a dict per association.

Prints the throughput in MiB/s and the number of associations, so `perf-report` can set
YAPDNS against it on the same bytes.
"""
import ipaddress
import re
import sys
import time
from urllib.parse import urlsplit

LINE = re.compile(
    r"^(?P<ts>\d+\.\d+)\s+(?P<elapsed>\d+)\s+(?P<client>\S+)\s+(?P<action>\S+)\s+(?P<size>\d+)\s+"
    r"(?P<method>\S+)\s+(?P<url>\S+)\s+(?P<user>\S+)\s+(?P<hier>[^/\s]+)/(?P<peer>\S+)"
)


def host_of(method, url):
    if method == "CONNECT":
        return url.rsplit(":", 1)[0].strip("[]")
    return urlsplit(url).hostname


def parse(path):
    out = []
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace")
            m = LINE.match(line)
            if not m or m["peer"] == "-":
                continue
            host = host_of(m["method"], m["url"])
            if not host:
                continue
            try:
                ipaddress.ip_address(host)
                continue
            except ValueError:
                pass
            try:
                ip = ipaddress.ip_address(m["peer"])
            except ValueError:
                continue
            out.append({"rrname": host.lower().rstrip("."), "rrtype": "A" if ip.version == 4 else "AAAA",
                        "rdata": str(ip), "time": int(float(m["ts"]))})
    return out


if __name__ == "__main__":
    path = sys.argv[1]
    size = __import__("os").path.getsize(path)
    t0 = time.perf_counter()
    n = len(parse(path))
    dt = time.perf_counter() - t0
    print(f"{size / dt / (1 << 20):.3f} MiB/s {n} associations")

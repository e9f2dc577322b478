#!/usr/bin/env python3
"""Wraps real log fixtures the way container runtimes store a program's output.

    python3 wrap-container.py        # from yapdns-parsers/tests/container/

Writes `docker-json-file/<format>/<file>` and `cri/<format>/<file>` from
`../fixtures/<format>/<file>`, every line taken byte for byte. Docker's json-file driver
(moby `daemon/logger/jsonfilelog/jsonlog/jsonlogbytes.go`, `MarshalJSONBuf`) writes
`{"log":…,"stream":…,"time":…}` with its own string escaping: `\\"` and `\\\\`, `\\n` and
`\\r`, every other byte below 0x20 (tab too) as `\\u00XX`, `<`, `>` and `&` as `\\u003c`,
`\\u003e`, `\\u0026`, U+2028 and U+2029 escaped, bytes that are not UTF-8 as `\\ufffd`.
containerd's CRI logger (`internal/cri/io/logger.go`, `redirectLogs`) writes
`<time> <stream> F <line>`. Both stamp Go's `time.RFC3339Nano` (UTC, trailing zeros of the
fraction dropped). The times here are made up: one record every 1.000137 ms from 19:15:52 UTC
on the day the fixtures were generated.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")

# (format, file, stream): the stream each program writes its log to in a container.
SOURCES = [
    ("bind", "bind-9.18.49-querylog-iso8601-category-severity.log", "stderr"),  # named -g
    # dnsmasq -k --log-facility=/dev/stderr (a file name: dnsmasq writes its stamp)
    ("dnsmasq", "dnsmasq-2.90-log-queries.log", "stderr"),
    ("unbound", "unbound-1.17.1-log-time-ascii-tag-queryreply.log", "stderr"),  # logfile: ""
    ("pdns-recursor", "pdns-recursor-4.8.8-classic.log", "stderr"),  # disable-syslog
    ("squid", "squid-5.7-access-direct.log", "stdout"),  # access_log stdio:/dev/stdout
]

START_NS = 1795979752 * 10**9  # 2026-11-29T19:15:52Z
STEP_NS = 1_000_137


def rfc3339nano(ns):
    """Go's time.RFC3339Nano of a UTC time: the fraction without its trailing zeros."""
    import datetime

    secs, frac = divmod(ns, 10**9)
    t = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc)
    out = t.strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        out += "." + ("%09d" % frac).rstrip("0")
    return out + "Z"


def docker_string(b):
    """moby's ffjsonWriteJSONBytesAsString, byte for byte."""
    out = bytearray(b'"')
    i = 0
    while i < len(b):
        c = b[i]
        if c < 0x80:
            if c >= 0x20 and c not in b'\\"<>&':
                out.append(c)
            elif c in b'\\"':
                out += b"\\" + bytes([c])
            elif c == 0x0A:
                out += b"\\n"
            elif c == 0x0D:
                out += b"\\r"
            else:
                out += b"\\u00%02x" % c
            i += 1
            continue
        # One UTF-8 sequence, or one byte that starts none.
        for size in (4, 3, 2):
            try:
                ch = b[i : i + size].decode("utf-8")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:
                break
        else:
            out += b"\\ufffd"
            i += 1
            continue
        if ch in "\u2028\u2029":
            out += b"\\u202%x" % (ord(ch) & 0xF)
        else:
            out += ch.encode("utf-8")
        i += size
    out += b'"'
    return bytes(out)


def lines_of(data):
    """The program's lines, each with its newline (a last one without it gets none)."""
    lines = data.split(b"\n")
    tail = lines.pop()
    out = [l + b"\n" for l in lines]
    if tail:
        out.append(tail)
    return out


def main():
    for fmt, name, stream in SOURCES:
        with open(os.path.join(FIXTURES, fmt, name), "rb") as f:
            data = f.read()
        docker, cri = bytearray(), bytearray()
        for i, line in enumerate(lines_of(data)):
            t = rfc3339nano(START_NS + i * STEP_NS).encode()
            docker += b'{"log":' + docker_string(line) + b',"stream":"' + stream.encode()
            docker += b'","time":"' + t + b'"}\n'
            cri += t + b" " + stream.encode() + b" F " + line.rstrip(b"\n") + b"\n"
        for wrapper, text in (("docker-json-file", docker), ("cri", cri)):
            d = os.path.join(HERE, wrapper, fmt)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, name), "wb") as f:
                f.write(text)


if __name__ == "__main__":
    main()

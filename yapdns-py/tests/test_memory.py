"""`iter_file` reads a file of any size in constant memory.

The issue asks for a 1 GB file, which is the default here (YAPDNS_BIG_MB changes it). Writing
and reading it takes about a minute on an idle 2-core machine with the release build that
scripts/python-tests.sh makes.
"""

from __future__ import annotations

import gc
import os
import resource
from pathlib import Path

import yapdns

MB = 1 << 20


def rss() -> int:
    """Resident set size now, in bytes (Linux), or the peak elsewhere."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def write_big(path: Path, size: int) -> int:
    """cuckoo-dnsdump lines until `size` bytes, every name different (a block of 20,000 lines
    whose `@@@@@@` marker takes the block's number); returns the line count."""
    block_lines = 20_000
    template = "".join(
        f"{1458130003 + i // 1000}.{i % 1000:03d}\th{i}.b@@@@@@.example\tA\t"
        f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}\n"
        for i in range(block_lines)
    ).encode()
    n = 0
    written = 0
    with open(path, "wb") as f:
        while written < size:
            block = template.replace(b"@@@@@@", b"%06d" % (n // block_lines))
            f.write(block)
            written += len(block)
            n += block_lines
    return n


def test_iterating_a_big_file_keeps_memory_flat(tmp_path: Path) -> None:
    size = int(os.environ.get("YAPDNS_BIG_MB", "1024")) * MB
    path = tmp_path / "big.tsv"
    lines = write_big(path, size)
    assert path.stat().st_size >= size

    gc.collect()
    # Warm up: the first batch allocates the buffers that are reused afterwards.
    it = yapdns.iter_file(path)
    next(it)
    base = rss()
    peak = base
    count = 1
    for a in it:
        count += 1
        if count % 200_000 == 0:
            peak = max(peak, rss())
    peak = max(peak, rss())
    assert count == lines
    s = it.stats
    assert (s.lines, s.associations, s.error_count) == (lines, lines, 0)
    growth = peak - base
    # One batch of 4096 records is well under a megabyte; 32 MiB leaves room for the
    # allocator's fragmentation and nothing else. A leak of one record per line would be
    # gigabytes.
    assert growth < 32 * MB, f"RSS grew by {growth / MB:.1f} MiB over {count} records"

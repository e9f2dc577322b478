"""YAPDNS for Python: passive DNS associations from logs, parsed by the Rust parsers.

>>> import yapdns
>>> for a in yapdns.iter_file("dnsdump.tsv.gz"):          # doctest: +SKIP
...     print(a.rrname, a.rrtype, a.rdata, a.first_seen)

See ``docs/python.md`` for the guide and the API reference.
"""

from yapdns._errors import FormatError, ParseError, RecordError, YapdnsError
from yapdns._yapdns import (
    Association,
    NameSighting,
    RecordIterator,
    Stats,
    __version__,
    detect_format,
    formats,
    iter_file,
    iter_names,
    last_stats,
    parse_bytes,
    parse_file,
    parse_lines,
    parse_names,
)

__all__ = [
    "Association",
    "FormatError",
    "NameSighting",
    "ParseError",
    "RecordError",
    "RecordIterator",
    "Stats",
    "YapdnsError",
    "__version__",
    "detect_format",
    "formats",
    "iter_file",
    "iter_names",
    "last_stats",
    "parse_bytes",
    "parse_file",
    "parse_lines",
    "parse_names",
]

"""The exceptions yapdns raises, rooted in :class:`YapdnsError`.

Files that cannot be opened raise the built-in ``OSError`` subclasses (``FileNotFoundError``,
``PermissionError``), as ``open()`` does; arguments of the wrong type or value raise
``TypeError`` / ``ValueError``. Everything about the content of a log is a ``YapdnsError``.
"""

from __future__ import annotations

from typing import Any, Optional, Tuple


class YapdnsError(Exception):
    """Root of the errors about logs, formats and records."""


class FormatError(YapdnsError, ValueError):
    """An unknown format name, or a file whose format cannot be detected (pass ``format=``)."""


class RecordError(YapdnsError, ValueError):
    """A record that cannot be built: an invalid name, rdata or record type, a COF dict that
    lacks a field, or a merge of two records with different keys."""


class ParseError(YapdnsError, ValueError):
    """A line that could not be parsed, raised with ``errors="raise"`` and kept in
    ``Stats.error_samples``.

    ``str(e)`` reads ``path:line: kind: reason``.
    """

    path: Optional[str]
    """The file (``<bytes>`` or ``<lines>`` for data in memory)."""
    line: Optional[int]
    """The 1-based line number (of the first line, for multi-line records)."""
    kind: Optional[str]
    """What kind of error: ``syntax``, ``timestamp``, ``name``, ``rdata``, ``rrtype``,
    ``json``, ``encoding``, ``too_long``, ``truncated`` or ``io``."""
    reason: Optional[str]
    """Why, for a person."""

    def __init__(
        self,
        message: str,
        path: Optional[str] = None,
        line: Optional[int] = None,
        kind: Optional[str] = None,
        reason: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.kind = kind
        self.reason = reason

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (str(self), self.path, self.line, self.kind, self.reason))


# Shown as yapdns.ParseError in tracebacks, where users catch them from.
for _cls in (YapdnsError, FormatError, RecordError, ParseError):
    _cls.__module__ = "yapdns"
del _cls

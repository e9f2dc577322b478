"""Type stub of the Rust extension module ``yapdns._yapdns`` (checked by ``mypy.stubtest``)."""

import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from types import TracebackType
from typing import Any, Generic, Optional, TypeVar, Union, final

from yapdns._errors import ParseError

__all__ = [
    "__version__",
    "Association",
    "NameSighting",
    "Stats",
    "RecordIterator",
    "parse_file",
    "iter_file",
    "parse_names",
    "iter_names",
    "parse_bytes",
    "parse_lines",
    "detect_format",
    "formats",
    "last_stats",
]

__version__: str

_Path = Union[str, "os.PathLike[str]"]
_Bytes = Union[bytes, bytearray, memoryview]
_Time = Union[datetime, int, float]
_R = TypeVar("_R", "Association", "NameSighting")

@final
class Association:
    """A passive DNS association: ``rrname`` had a record of type ``rrtype`` with data
    ``rdata``, seen ``count`` times between ``first_seen`` and ``last_seen``."""

    def __new__(
        cls,
        rrname: str,
        rrtype: Union[str, int],
        rdata: str,
        first_seen: _Time,
        last_seen: Optional[_Time] = None,
        *,
        count: int = 1,
        ttl: Optional[int] = None,
        bailiwick: Optional[str] = None,
        sources: Iterable[str] = ...,
    ) -> Association: ...
    @property
    def rrname(self) -> str: ...
    @property
    def rrtype(self) -> str: ...
    @property
    def rdata(self) -> str: ...
    @property
    def first_seen(self) -> datetime: ...
    @property
    def last_seen(self) -> datetime: ...
    @property
    def time_first(self) -> int: ...
    @property
    def time_last(self) -> int: ...
    @property
    def count(self) -> int: ...
    @property
    def ttl(self) -> Optional[int]: ...
    @property
    def bailiwick(self) -> Optional[str]: ...
    @property
    def sources(self) -> tuple[str, ...]: ...
    @property
    def sensor_id(self) -> Optional[str]: ...
    @property
    def key(self) -> tuple[str, str, str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_dict(d: dict[str, Any], default_format: str = "cof") -> Association: ...
    def merge(self, other: Association) -> Association: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]: ...

@final
class NameSighting:
    """A name seen without an answer (a query in a query log, a URL host)."""

    @property
    def rrname(self) -> str: ...
    @property
    def rrtype(self) -> Optional[str]: ...
    @property
    def first_seen(self) -> datetime: ...
    @property
    def last_seen(self) -> datetime: ...
    @property
    def count(self) -> int: ...
    @property
    def sources(self) -> tuple[str, ...]: ...
    @property
    def key(self) -> tuple[str, Optional[str]]: ...
    def to_dict(self) -> dict[str, Any]: ...
    @staticmethod
    def from_dict(d: dict[str, Any]) -> NameSighting: ...
    def merge(self, other: NameSighting) -> NameSighting: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]: ...

@final
class Stats:
    """What parsing one input gave."""

    @property
    def lines(self) -> int: ...
    @property
    def associations(self) -> int: ...
    @property
    def names(self) -> int: ...
    @property
    def no_answer(self) -> int: ...
    @property
    def skipped(self) -> int: ...
    @property
    def errors(self) -> dict[str, int]: ...
    @property
    def error_count(self) -> int: ...
    @property
    def error_samples(self) -> list[ParseError]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class RecordIterator(Iterator[_R], Generic[_R]):
    """A streaming parse; yields ``Association`` (``iter_file``) or ``NameSighting``
    (``iter_names``) objects."""

    def __iter__(self) -> RecordIterator[_R]: ...
    def __next__(self) -> _R: ...
    @property
    def stats(self) -> Stats: ...
    @property
    def format(self) -> str: ...
    @property
    def path(self) -> str: ...
    def close(self) -> None: ...
    def __enter__(self) -> RecordIterator[_R]: ...
    def __exit__(
        self,
        *_args: Union[type[BaseException], BaseException, TracebackType, None],
    ) -> bool: ...

def parse_file(
    path: _Path,
    format: Optional[str] = None,
    *,
    aggregate: bool = False,
    sensor: Optional[str] = None,
    errors: str = "skip",
    timezone: str = "utc",
    year: Optional[int] = None,
    origin: Optional[str] = None,
) -> list[Association]: ...
def iter_file(
    path: _Path,
    format: Optional[str] = None,
    *,
    aggregate: bool = False,
    sensor: Optional[str] = None,
    errors: str = "skip",
    timezone: str = "utc",
    year: Optional[int] = None,
    origin: Optional[str] = None,
) -> RecordIterator[Association]: ...
def parse_names(
    path: _Path,
    format: Optional[str] = None,
    *,
    aggregate: bool = False,
    sensor: Optional[str] = None,
    errors: str = "skip",
    timezone: str = "utc",
    year: Optional[int] = None,
    origin: Optional[str] = None,
) -> list[NameSighting]: ...
def iter_names(
    path: _Path,
    format: Optional[str] = None,
    *,
    aggregate: bool = False,
    sensor: Optional[str] = None,
    errors: str = "skip",
    timezone: str = "utc",
    year: Optional[int] = None,
    origin: Optional[str] = None,
) -> RecordIterator[NameSighting]: ...
def parse_bytes(
    data: _Bytes,
    format: Optional[str] = None,
    *,
    aggregate: bool = False,
    sensor: Optional[str] = None,
    errors: str = "skip",
    timezone: str = "utc",
    year: Optional[int] = None,
    origin: Optional[str] = None,
) -> list[Association]: ...
def parse_lines(
    lines: Iterable[Union[str, bytes]],
    format: Optional[str] = None,
    *,
    aggregate: bool = False,
    sensor: Optional[str] = None,
    errors: str = "skip",
    timezone: str = "utc",
    year: Optional[int] = None,
    origin: Optional[str] = None,
) -> list[Association]: ...
def detect_format(path_or_bytes: Union[_Path, _Bytes]) -> Optional[str]: ...
def formats() -> dict[str, str]: ...
def last_stats() -> Optional[Stats]: ...

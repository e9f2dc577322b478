"""Shared paths and helpers: the repository's fixtures and the `yapdns-agent` binary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "yapdns-parsers" / "tests" / "fixtures"
DNSDUMP = FIXTURES / "cuckoo-dnsdump"
MIXED = DNSDUMP / "cuckoo-dnsdump-pcap__mixed-traffic.pcap.tsv"


def fixture_files() -> List[Tuple[str, Path]]:
    """Every sample under yapdns-parsers/tests/fixtures/<format>/ (not the .snap/.md beside
    them), as (format, path), the way the Rust snapshot test lists them."""
    out = []
    for d in sorted(FIXTURES.iterdir()):
        if not d.is_dir():
            continue
        for f in sorted(d.iterdir()):
            if f.is_file() and f.suffix not in (".snap", ".md"):
                out.append((d.name, f))
    return out


def _find_agent() -> Optional[Path]:
    env = os.environ.get("YAPDNS_AGENT")
    if env:
        return Path(env)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    for p in (target / "debug" / "yapdns-agent", target / "release" / "yapdns-agent"):
        if p.exists():
            return p
    found = shutil.which("yapdns-agent")
    return Path(found) if found else None


@pytest.fixture(scope="session")
def agent() -> Path:
    """The CLI to compare with. scripts/python-tests.sh builds it and sets YAPDNS_AGENT, so
    there it is never skipped; a bare `pytest` without a built agent skips the parity tests."""
    p = _find_agent()
    if p is None or not p.exists():
        if os.environ.get("YAPDNS_AGENT"):
            pytest.fail(f"YAPDNS_AGENT={p} does not exist")
        pytest.skip("yapdns-agent not built (cargo build -p yapdns-agent, or set YAPDNS_AGENT)")
    return p


class CliResult:
    """What one `yapdns-agent parse` run gave."""

    def __init__(self, proc: "subprocess.CompletedProcess[bytes]") -> None:
        self.code = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr.decode("utf-8", "replace")
        self.records: List[Dict[str, Any]] = [
            json.loads(line) for line in proc.stdout.decode("utf-8").splitlines() if line
        ]

    def stats(self) -> Dict[str, Any]:
        """The `--stats-json` object (the last line of stderr)."""
        last = self.stderr.strip().splitlines()[-1]
        return dict(json.loads(last))


def run_cli(agent: Path, *args: str) -> CliResult:
    proc = subprocess.run(
        [str(agent), "parse", *args], capture_output=True, timeout=300, check=False
    )
    return CliResult(proc)

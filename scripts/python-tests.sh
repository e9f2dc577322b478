#!/usr/bin/env bash
# Builds the `yapdns` Python module as a wheel, installs it into a fresh-or-reused venv
# (.venv at the repository root), and checks it:
#   1. pytest over yapdns-py/tests (parity with `yapdns-agent parse` on every fixture,
#      error modes, PathLike, gzip, streaming memory, contrib.cuckoo);
#   2. mypy's stubtest: the .pyi stub matches the compiled module;
#   3. mypy --strict over the package (contrib included).
# Needs only python3 (>= 3.9, with venv) and cargo; packages come from PyPI.
#
# Environment:
#   PYTHON            interpreter that creates the venv (default: python3)
#   YAPDNS_VENV       the venv (default: <repo>/.venv)
#   CARGO_TARGET_DIR  cargo's target dir (default: <repo>/target)
#   YAPDNS_BIG_MB     size of the generated file of the memory test (default in the test)
#   PYTEST_ARGS       extra pytest arguments, e.g. "-k parity -x"
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${YAPDNS_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_TARGET_DIR="$TARGET"
# Keep caches out of the work tree.
export MYPY_CACHE_DIR="$TARGET/mypy-cache"
export PYTHONDONTWRITEBYTECODE=1

step() { printf '\n==> %s\n' "$*"; }

step "venv $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
VPY="$VENV/bin/python"
"$VPY" -m pip install --quiet --disable-pip-version-check "maturin>=1.7,<2" "pytest>=7" "mypy>=1.10"

step "build the wheel (release) and install it"
WHEELS="$TARGET/yapdns-py-wheels"
rm -rf "$WHEELS"
(cd "$ROOT/yapdns-py" && "$VENV/bin/maturin" build --release --interpreter "$VPY" --out "$WHEELS")
"$VPY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$WHEELS"/yapdns-*.whl

step "build yapdns-agent (for the parity tests)"
(cd "$ROOT" && cargo build --quiet -p yapdns-agent)
export YAPDNS_AGENT="$TARGET/debug/yapdns-agent"
test -x "$YAPDNS_AGENT"

status=0

step "pytest"
# Run from the tests folder so that `import yapdns` finds the installed wheel, never the
# source tree.
# shellcheck disable=SC2086
(cd "$ROOT/yapdns-py/tests" && "$VPY" -m pytest -p no:cacheprovider -ra ${PYTEST_ARGS:-} .) || status=1

# stubtest writes .mypy_cache in the current directory whatever MYPY_CACHE_DIR says: run the
# type checks from a folder under the target dir (where no `yapdns` source folder shadows the
# installed wheel either).
CHECK_DIR="$TARGET/yapdns-py-check"
mkdir -p "$CHECK_DIR"

step "stubtest"
(cd "$CHECK_DIR" && "$VPY" -m mypy.stubtest yapdns \
    --allowlist "$ROOT/yapdns-py/stubtest-allowlist.txt") || status=1

step "mypy --strict"
(cd "$CHECK_DIR" && "$VPY" -m mypy --strict --no-incremental -p yapdns) || status=1

if [ "$status" -ne 0 ]; then
    echo "python-tests: FAILED" >&2
fi
exit "$status"

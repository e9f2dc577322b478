#!/usr/bin/env bash
# The whole YAPDNS test suite: what the README calls "run all tests" and what CI runs.
#
# It installs and starts everything the tests need, and tears it down again:
#   - a throw-away PostgreSQL cluster (Debian's packages)         scripts/with-postgres.sh
#   - a real OpenSearch node (Maven Central artifacts, Java 17)    scripts/with-opensearch.sh
#   - a Python venv with maturin, pytest and mypy                  scripts/python-tests.sh
#   - the real passive DNS clients and headless Chromium           scripts/server-tests.sh
#   - Debian's logrotate, for the agent's end-to-end tests          scripts/agent-tests.sh
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR=never
# Backend tests fail, rather than skip, when their service is missing.
export YAPDNS_REQUIRE_BACKENDS=1

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, all features)"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "Rust tests, with PostgreSQL and OpenSearch running"
scripts/with-postgres.sh scripts/with-opensearch.sh \
    cargo test --workspace --all-features --exclude yapdns-py --exclude yapdns-agent

step "Agent, end to end (real agent and server processes, logrotate, kill -9)"
scripts/agent-tests.sh

step "Python bindings"
scripts/python-tests.sh

step "Real clients against the server"
scripts/server-tests.sh

step "all tests passed"

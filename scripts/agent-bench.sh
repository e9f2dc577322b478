#!/usr/bin/env bash
# The agent's end-to-end benchmarks (see docs/performance.md, "Agent"): builds yapdns-server
# and the agent in release, then runs the ignored benchmarks of yapdns-agent/tests/bench_e2e.rs:
#   - lines/s from files to batches acknowledged by a real yapdns-server (SQLite), as a ratio to
#     `yapdns-agent parse` of the same files in the same run, with CPU time and peak RSS;
#   - resident memory while following 1,000 files.
#
#   scripts/agent-bench.sh                              # both
#   YAPDNS_BENCH_LINES=5000000 scripts/agent-bench.sh   # more lines (also _KEYS, _FILES)
#   scripts/agent-bench.sh bench_rss                    # extra arguments filter the tests
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> building yapdns-server (release; the benchmark starts it)"
cargo build --release -p yapdns-server --bin yapdns-server

export YAPDNS_REQUIRE_E2E=1
echo "==> cargo test --release -p yapdns-agent --test bench_e2e"
cargo test --release -p yapdns-agent --test bench_e2e -- --ignored --nocapture --test-threads=1 "$@"

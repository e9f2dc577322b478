#!/usr/bin/env bash
# Server speed on loopback into SQLite, in one run on one machine:
#
#   1. ingestion over HTTP (POST /api/v1/associations, 5 000-line NDJSON requests, 1 and 8
#      concurrent clients) against `yapdns-server import` of the same records (a
#      cuckoo-dnsdump TSV), each into a fresh store: associations/s and the ratio;
#   2. queries on a store of QUERY_N associations (default 1 000 000): DNSDB v2 rrset and
#      rdata-ip lookups/s and latency percentiles under 16 concurrent connections (wrk).
#
#   yapdns-server/bench/speed.sh            # release build, INGEST_N=200000 QUERY_N=1000000
#   INGEST_N=50000 QUERY_N=200000 DURATION=10s yapdns-server/bench/speed.sh
#
# Needs curl, python3 and wrk (Debian package `wrk`; installed with apt-get if missing).
# Prints a Markdown table for docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET=${CARGO_TARGET_DIR:-target}
INGEST_N=${INGEST_N:-200000}
QUERY_N=${QUERY_N:-1000000}
DURATION=${DURATION:-20s}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/yapdns-speed.XXXXXX")
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build -q --release -p yapdns-server
BIN=$TARGET/release/yapdns-server

# gen N PREFIX: the same N A records as a cuckoo-dnsdump TSV and as COF NDJSON chunks.
gen() {
    python3 - "$1" "$2" "$WORK" <<'EOF'
import json, os, sys
n, prefix, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
os.makedirs(f"{work}/{prefix}-chunks", exist_ok=True)
with open(f"{work}/{prefix}.tsv", "w") as tsv:
    chunk, k = [], 0
    for i in range(n):
        name = f"h{i}.d{i % 1000}.{prefix}.test"
        ip = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
        t = 1700000000 + i // 10
        tsv.write(f"{t}.{i % 1000:03d}\t{name}\tA\t{ip}\n")
        chunk.append(json.dumps({"rrname": name, "rrtype": "A", "rdata": ip,
                                 "time_first": t, "time_last": t, "count": 1,
                                 "time_first_ms": t * 1000 + i % 1000, "time_last_ms": t * 1000 + i % 1000}))
        if len(chunk) == 5000 or i == n - 1:
            with open(f"{work}/{prefix}-chunks/{k:06d}.ndjson", "w") as f:
                f.write("\n".join(chunk) + "\n")
            chunk, k = [], k + 1
EOF
}

now() { date +%s.%N; }
rate() { python3 -c "print(round($1 / ($3 - $2)))"; }

start_server() { # DSN -> sets URL
    local log=$WORK/server-$RANDOM.log
    printf 'rate_limit_per_sec = 1000000.0\nrate_limit_burst = 1000000\nresults_max = 100000\n' >"$WORK/speed.toml"
    RUST_LOG=warn "$BIN" serve --store "$1" --listen 127.0.0.1:0 --config "$WORK/speed.toml" >/dev/null 2>"$log" &
    PIDS+=($!)
    for _ in $(seq 1 200); do
        URL=$(sed -n 's/^yapdns-server listening on //p' "$log" | head -1)
        [[ -n $URL ]] && return 0
        sleep 0.05
    done
    cat "$log" >&2
    return 1
}

echo "generating $INGEST_N records for ingestion" >&2
gen "$INGEST_N" ing

# --- import
t0=$(now)
RUST_LOG=warn "$BIN" import --store "sqlite://$WORK/import.db" --format cuckoo-dnsdump "$WORK/ing.tsv" 2>/dev/null
t1=$(now)
IMPORT_RATE=$(rate "$INGEST_N" "$t0" "$t1")

# --- HTTP with C concurrent clients, each into a fresh store (sets RATE; not run in a
# subshell, so the server started here is stopped on exit)
http_rate() {
    local c=$1 dsn="sqlite://$WORK/http-$1.db"
    "$BIN" client add --store "$dsn" --role ingest bench >"$WORK/key-$c" 2>/dev/null
    local key
    key=$(cat "$WORK/key-$c")
    start_server "$dsn"
    local s e
    s=$(now)
    # shellcheck disable=SC2016
    find "$WORK/ing-chunks" -name '*.ndjson' | sort | xargs -P "$c" -I{} sh -c \
        'code=$(curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $0" -H "Idempotency-Key: $(basename {})" --data-binary @{} "$1/api/v1/associations"); [ "$code" = 200 ] || { echo "HTTP $code for {}" >&2; exit 255; }' "$key" "$URL"
    e=$(now)
    RATE=$(rate "$INGEST_N" "$s" "$e")
}
http_rate 1
HTTP1=$RATE
http_rate 8
HTTP8=$RATE
RATIO1=$(python3 -c "print(f'{$HTTP1 / $IMPORT_RATE:.2f}')")
RATIO8=$(python3 -c "print(f'{$HTTP8 / $IMPORT_RATE:.2f}')")

# --- queries on a large store
echo "generating and importing $QUERY_N records for queries" >&2
gen "$QUERY_N" q
rm -rf "$WORK/q-chunks"
QDSN="sqlite://$WORK/query.db"
t0=$(now)
RUST_LOG=warn "$BIN" import --store "$QDSN" --format cuckoo-dnsdump "$WORK/q.tsv" 2>/dev/null
t1=$(now)
BIG_IMPORT_RATE=$(rate "$QUERY_N" "$t0" "$t1")
QKEY=$("$BIN" client add --store "$QDSN" --role query bench 2>/dev/null)
start_server "$QDSN"
cat >"$WORK/rrset.lua" <<EOF
wrk.headers["X-API-Key"] = "$QKEY"
math.randomseed(42)
request = function()
  local i = math.random(0, $QUERY_N - 1)
  return wrk.format("GET", "/dnsdb/v2/lookup/rrset/name/h" .. i .. ".d" .. (i % 1000) .. ".q.test")
end
EOF
cat >"$WORK/rdata.lua" <<EOF
wrk.headers["X-API-Key"] = "$QKEY"
math.randomseed(7)
request = function()
  local i = math.random(0, $QUERY_N - 1)
  local ip = "10." .. ((i >> 16) & 255) .. "." .. ((i >> 8) & 255) .. "." .. (i & 255)
  return wrk.format("GET", "/dnsdb/v2/lookup/rdata/ip/" .. ip)
end
EOF
# Lua 5.1 (wrk's LuaJIT) has no bit operators: compute the address arithmetically.
sed -i 's|((i >> 16) \& 255) .. "." .. ((i >> 8) \& 255) .. "." .. (i \& 255)|(math.floor(i / 65536) % 256) .. "." .. (math.floor(i / 256) % 256) .. "." .. (i % 256)|' "$WORK/rdata.lua"
# Check both scripts hit data before measuring.
curl -fsS -H "X-API-Key: $QKEY" "$URL/dnsdb/v2/lookup/rrset/name/h5.d5.q.test" | grep -q '"obj"'
curl -fsS -H "X-API-Key: $QKEY" "$URL/dnsdb/v2/lookup/rdata/ip/10.0.0.5" | grep -q '"obj"'
wrk_run() {
    wrk -t2 -c16 -d"$DURATION" --latency -s "$1" "$URL" >"$WORK/wrk.out"
    local rps p50 p99 errs
    rps=$(awk '/^Requests\/sec/ {print int($2)}' "$WORK/wrk.out")
    p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk.out")
    p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.out")
    errs=$(grep -c 'Non-2xx' "$WORK/wrk.out" || true)
    [[ $errs == 0 ]] || { cat "$WORK/wrk.out" >&2; echo "non-2xx answers" >&2; exit 1; }
    echo "$rps $p50 $p99"
}
read -r RRSET_RPS RRSET_P50 RRSET_P99 < <(wrk_run "$WORK/rrset.lua")
read -r RDATA_RPS RDATA_P50 RDATA_P99 < <(wrk_run "$WORK/rdata.lua")

cat <<EOF

| measure (loopback, SQLite, $(nproc) cores) | figure |
|---|---|
| \`import\` of $INGEST_N records (cuckoo-dnsdump TSV) | $IMPORT_RATE associations/s |
| HTTP ingestion, 1 client (5 000-line NDJSON requests) | $HTTP1 associations/s (ratio $RATIO1) |
| HTTP ingestion, 8 clients | $HTTP8 associations/s (ratio $RATIO8) |
| \`import\` of $QUERY_N records (the query store) | $BIG_IMPORT_RATE associations/s |
| DNSDB v2 rrset lookups, 16 connections, $DURATION | $RRSET_RPS lookups/s, p50 $RRSET_P50, p99 $RRSET_P99 |
| DNSDB v2 rdata/ip lookups, 16 connections, $DURATION | $RDATA_RPS lookups/s, p50 $RDATA_P50, p99 $RDATA_P99 |
EOF

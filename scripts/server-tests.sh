#!/usr/bin/env bash
# Real clients against a real yapdns-server on loopback, over a real SQLite store holding the
# sample logs (examples/logs):
#   - dnsdbq (Debian package): DNSDB API v2, v1 and CIRCL mode     yapdns-server/tests/clients/
#   - PyPDNS (PyPI, in a venv): CIRCL COF with pagination             check_clients.py
#   - schemathesis (PyPI): the native API against docs/openapi.yaml
#   - headless Chromium (Debian package): the search page, rendered and escaped
#
# Installs what is missing (apt-get, pip in a venv under target/), starts the servers on free
# ports and stops them on exit. Ends with "N passed, N failed".
#
# Environment: CARGO_TARGET_DIR (default target), SERVER_TESTS_SKIP="chromium schemathesis"
# to leave parts out.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/yapdns-server-tests.XXXXXX")
VENV=$TARGET/server-tests-venv
PASSED=0
FAILED=0
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n--> %s\n' "$*"; }
pass() { PASSED=$((PASSED + 1)); echo "ok   $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }
skip() { [[ " ${SERVER_TESTS_SKIP:-} " == *" $1 "* ]]; }

# --- tools -------------------------------------------------------------------------------
need_apt=()
command -v dnsdbq >/dev/null || need_apt+=(dnsdbq)
if ! skip chromium; then command -v chromium >/dev/null || need_apt+=(chromium); fi
command -v python3 >/dev/null || need_apt+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if ((${#need_apt[@]})); then
    step "apt-get install ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import pypdns, schemathesis' 2>/dev/null; then
    step "venv with pypdns and schemathesis ($VENV)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q pypdns schemathesis requests
fi

step "build yapdns-server"
cargo build -q -p yapdns-server
BIN=$TARGET/debug/yapdns-server

# --- a store with the sample logs, keys ---------------------------------------------------
DSN="sqlite://$WORK/store.db"
step "import examples/logs into $DSN"
SAMPLES=()
for f in examples/logs/*; do [[ $f == *.md ]] || SAMPLES+=("$f"); done
"$BIN" import --store "$DSN" "${SAMPLES[@]}"
QCLIENT=analyst
QKEY=$("$BIN" client add --store "$DSN" --role query "$QCLIENT" 2>/dev/null)
IKEY=$("$BIN" client add --store "$DSN" --role ingest agent 2>/dev/null)
AKEY=$("$BIN" client add --store "$DSN" --role admin schemathesis 2>/dev/null)

# start_server LOGFILE ARGS...: starts `serve` on a free port, sets URL.
start_server() {
    local log=$1
    shift
    "$BIN" serve --store "$DSN" --listen 127.0.0.1:0 "$@" 2>"$log" &
    PIDS+=($!)
    for _ in $(seq 1 100); do
        URL=$(sed -n 's/^yapdns-server listening on //p' "$log" | head -1)
        [[ -n $URL ]] && return 0
        sleep 0.1
    done
    echo "server did not start:" >&2
    cat "$log" >&2
    return 1
}

start_server "$WORK/server.log"
MAIN_URL=$URL
echo "server at $MAIN_URL"

# --- dnsdbq and PyPDNS --------------------------------------------------------------------
step "dnsdbq $(dnsdbq -v 2>&1 | awk '{print $NF}') and PyPDNS $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("pypdns"))')"
if "$VENV/bin/python" yapdns-server/tests/clients/check_clients.py \
    "$MAIN_URL" "$DSN" "$BIN" "$QCLIENT" "$QKEY" "$IKEY" | tee "$WORK/clients.out"; then
    :
fi
read -r p f < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$WORK/clients.out" | tail -1)
PASSED=$((PASSED + ${p:-0}))
FAILED=$((FAILED + ${f:-1}))

# --- schemathesis against the OpenAPI document -------------------------------------------
if ! skip schemathesis; then
    step "schemathesis: docs/openapi.yaml against the running server"
    # A generous rate limit: schemathesis sends thousands of requests with one key.
    printf 'rate_limit_per_sec = 100000.0\nrate_limit_burst = 100000\n' >"$WORK/fuzz.toml"
    start_server "$WORK/fuzz.log" --config "$WORK/fuzz.toml"
    if "$VENV/bin/schemathesis" run docs/openapi.yaml --url "$URL" \
        -H "Authorization: Bearer $AKEY" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
        --max-examples 40 --suppress-health-check all --no-color >"$WORK/schemathesis.out" 2>&1; then
        pass "schemathesis: every native operation conforms to docs/openapi.yaml"
        grep -E 'generated|passed|[Ww]arning' "$WORK/schemathesis.out" | tail -8
    else
        fail "schemathesis"
        tail -60 "$WORK/schemathesis.out"
    fi
fi

# --- headless Chromium: the search page --------------------------------------------------
if ! skip chromium; then
    step "headless Chromium: GET / renders results and escapes them"
    start_server "$WORK/anon.log" --allow-anonymous-query
    # A record whose rdata is markup: it must show as text, never run.
    curl -fsS -X POST "$URL/api/v1/associations" -H "Authorization: Bearer $IKEY" \
        --data-binary '{"rrname":"xss.corp.test","rrtype":"TXT","rdata":"<img src=x onerror=alert(1)><script>document.title=\"pwned\"</script>","time_first":1700000000}' >/dev/null
    chrome() {
        chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
            --disable-component-update --disable-sync --no-first-run \
            --user-data-dir="$(mktemp -d "$WORK/chrome.XXXXXX")" "$@" 2>>"$WORK/chromium.err"
    }
    chrome --dump-dom "$URL/?q=*.corp.test" >"$WORK/page.html" || true
    if grep -q '<table>' "$WORK/page.html" && grep -q '<td>www.corp.test</td>' "$WORK/page.html" \
        && grep -q '&lt;script&gt;document.title' "$WORK/page.html" \
        && ! grep -q '<script>' "$WORK/page.html" && ! grep -q 'pwned' <(grep -o '<title>[^<]*' "$WORK/page.html"); then
        pass "chromium: results table rendered, markup in rdata escaped, no script ran"
    else
        fail "chromium page"
        head -c 3000 "$WORK/page.html"
        tail -20 "$WORK/chromium.err"
    fi
    SHOT=${SERVER_TESTS_SCREENSHOT:-$TARGET/server-tests-search.png}
    if chrome --screenshot="$SHOT" --window-size=1200,900 "$URL/?q=*.corp.test" >/dev/null && [[ -s $SHOT ]]; then
        pass "chromium: screenshot of the search page ($SHOT)"
    else
        fail "chromium screenshot"
    fi
fi

echo
echo "server tests: $PASSED passed, $FAILED failed"
((FAILED == 0))

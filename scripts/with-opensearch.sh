#!/usr/bin/env bash
# with-opensearch.sh CMD [ARGS...]
#
# Runs CMD with a real, throw-away OpenSearch 2.19 node on a free loopback port, then
# stops the node and exits with CMD's exit status.
#
# The node is tools/opensearch-node (OpenSearch's server jar and modules from Maven
# Central, embedded by a small Java launcher). This script builds it with Maven when
# needed (offline when ~/.m2 already holds everything, online otherwise), starts it in a
# temporary directory, waits for GET /_cluster/health?wait_for_status=yellow, and exports
#
#   YAPDNS_TEST_ELASTICSEARCH=elasticsearch+http://127.0.0.1:PORT
#
# for CMD. The node is always stopped (SIGTERM, then SIGKILL after a grace period) and
# its directory removed, whatever CMD does.
#
# Environment knobs (all optional):
#   OPENSEARCH_HEAP             heap size for -Xms/-Xmx (default 512m)
#   OPENSEARCH_HTTP_PORT        fixed HTTP port (default 0: the kernel picks a free one)
#   OPENSEARCH_START_TIMEOUT    seconds to wait for the node to become healthy (default 180)
#   OPENSEARCH_BUILD_TIMEOUT    seconds allowed for the Maven build (default 900)
#   OPENSEARCH_KEEP_DIR=1       keep the node's temporary directory (data + log) afterwards
#   OPENSEARCH_JAVA_OPTS        extra JVM options
#   OPENSEARCH_FULL_JIT=1       use the C2 JIT and G1 (for benchmarks); by default the node
#                               runs C1-only with the serial GC, which halves the CPU time a
#                               start costs (about 7 s instead of 14 s on this machine)
#   JAVA_HOME                   JDK 17+ to use (default: java on PATH)
set -u -o pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOL="$ROOT/tools/opensearch-node"
HEAP=${OPENSEARCH_HEAP:-512m}
HTTP_PORT=${OPENSEARCH_HTTP_PORT:-0}
START_TIMEOUT=${OPENSEARCH_START_TIMEOUT:-180}
BUILD_TIMEOUT=${OPENSEARCH_BUILD_TIMEOUT:-900}

log() { echo "with-opensearch: $*" >&2; }

# --- tools -------------------------------------------------------------------------
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA="$JAVA_HOME/bin/java"
else
    JAVA=$(command -v java || true)
fi
if [ -z "$JAVA" ] || ! command -v mvn >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "installing JDK 17 / Maven / curl from Debian"
        if ! { timeout 600 apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq \
                openjdk-17-jdk-headless maven curl; } >&2; then
            log "apt-get install failed"
            exit 1
        fi
        JAVA=$(command -v java)
    else
        log "need java (17+), mvn and curl on PATH"
        exit 1
    fi
fi

# --- build (only when the launcher sources changed since the last build) -------------
# Serialised with flock, so that parallel runs do not build into target/ at once.
STAMP="$TOOL/target/.yapdns-build-stamp"
SRC="$TOOL/src/main/java/org/yapdns/tools/OpenSearchNode.java"
needs_build() {
    [ ! -f "$STAMP" ] || [ ! -d "$TOOL/target/lib" ] || [ ! -d "$TOOL/target/classes" ] ||
        [ "$TOOL/pom.xml" -nt "$STAMP" ] || [ "$SRC" -nt "$STAMP" ]
}
build() {
    local t0
    t0=$(date +%s)
    log "building $TOOL"
    rm -f "$STAMP"
    # Offline first: quick and network-free when ~/.m2 already has every artifact.
    if ! (cd "$TOOL" && timeout "$BUILD_TIMEOUT" mvn -B -q -o compile >"$TOOL/target/build-offline.log" 2>&1); then
        log "offline build not possible, building online (Maven Central)"
        if ! (cd "$TOOL" && timeout "$BUILD_TIMEOUT" mvn -B -q compile >"$TOOL/target/build.log" 2>&1); then
            log "Maven build failed:"
            tail -n 60 "$TOOL/target/build.log" >&2
            return 1
        fi
    fi
    rm -f "$TOOL/target/build-offline.log" "$TOOL/target/build.log"
    touch "$STAMP"
    log "built in $(( $(date +%s) - t0 )) s"
}
if needs_build; then
    mkdir -p "$TOOL/target"
    exec 9>"$TOOL/target/.build.lock"
    if ! flock -w "$BUILD_TIMEOUT" 9; then
        log "could not get the build lock within $BUILD_TIMEOUT s"
        exit 1
    fi
    if needs_build; then
        build || exit 1
    fi
    exec 9>&-
fi

# --- start ---------------------------------------------------------------------------
NODE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/yapdns-opensearch.XXXXXX")
NODE_LOG="$NODE_DIR/node.log"
PORT_FILE="$NODE_DIR/http.port"
NODE_PID=""
CMD_PID=""

stop_node() {
    [ -n "$NODE_DIR" ] || return 0
    if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then
        kill -TERM "$NODE_PID" 2>/dev/null
        for _ in $(seq 1 60); do
            kill -0 "$NODE_PID" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$NODE_PID" 2>/dev/null; then
            log "node $NODE_PID did not stop within 30 s, killing it"
            kill -KILL "$NODE_PID" 2>/dev/null
        fi
        wait "$NODE_PID" 2>/dev/null
    fi
    NODE_PID=""
    if [ "${OPENSEARCH_KEEP_DIR:-0}" = 1 ]; then
        log "node directory kept: $NODE_DIR"
    else
        rm -rf "$NODE_DIR"
    fi
    NODE_DIR=""
}
# On INT/TERM: pass the signal on to CMD (if running), then exit; the EXIT trap stops
# the node. CMD runs in the background and the script waits for it, so that the traps
# fire at once instead of after CMD finishes.
# shellcheck disable=SC2317 # invoked by the traps below
on_signal() {
    if [ -n "$CMD_PID" ]; then
        kill "-$1" "$CMD_PID" 2>/dev/null
        wait "$CMD_PID" 2>/dev/null
    fi
    exit "$2"
}
trap stop_node EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

if [ "${OPENSEARCH_FULL_JIT:-0}" = 1 ]; then
    JIT_OPTS=""
else
    JIT_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
fi

t0=$(date +%s)
# shellcheck disable=SC2086 # JIT_OPTS and OPENSEARCH_JAVA_OPTS are lists of options
"$JAVA" -Xms"$HEAP" -Xmx"$HEAP" \
    -XX:+ExitOnOutOfMemoryError -XX:-OmitStackTraceInFastThrow \
    -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djna.nosys=true \
    -Djava.locale.providers=SPI,COMPAT \
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true \
    -Dio.netty.recycler.maxCapacityPerThread=0 \
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true \
    -Djava.io.tmpdir="$NODE_DIR" \
    $JIT_OPTS ${OPENSEARCH_JAVA_OPTS:-} \
    -cp "$TOOL/target/classes:$TOOL/target/lib/*" org.yapdns.tools.OpenSearchNode \
    --home "$NODE_DIR" --http-port "$HTTP_PORT" --port-file "$PORT_FILE" --exit-with-parent \
    >"$NODE_LOG" 2>&1 </dev/null &
NODE_PID=$!

fail_start() {
    log "$1"
    log "last lines of $NODE_LOG:"
    tail -n 80 "$NODE_LOG" >&2
    exit 1
}

deadline=$(( t0 + START_TIMEOUT ))
PORT=""
healthy=0
while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! kill -0 "$NODE_PID" 2>/dev/null; then
        wait "$NODE_PID"
        fail_start "node exited during start-up (exit status $?)"
    fi
    if [ -z "$PORT" ] && [ -s "$PORT_FILE" ]; then
        PORT=$(tr -dc '0-9' <"$PORT_FILE")
    fi
    if [ -n "$PORT" ]; then
        status=$(curl -s --max-time 10 \
            "http://127.0.0.1:$PORT/_cluster/health?wait_for_status=yellow&timeout=5s" |
            sed -n 's/.*"status"[[:space:]]*:[[:space:]]*"\([a-z]*\)".*/\1/p')
        if [ "$status" = green ] || [ "$status" = yellow ]; then
            healthy=1
            break
        fi
    fi
    sleep 1
done
[ "$healthy" = 1 ] || fail_start "node not healthy within $START_TIMEOUT s"
log "OpenSearch $(curl -s --max-time 10 "http://127.0.0.1:$PORT/" | sed -n 's/.*"number"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p') up on 127.0.0.1:$PORT ($status) in $(( $(date +%s) - t0 )) s"

export YAPDNS_TEST_ELASTICSEARCH="elasticsearch+http://127.0.0.1:$PORT"

# --- run CMD -------------------------------------------------------------------------
"$@" <&0 &
CMD_PID=$!
wait "$CMD_PID"
rc=$?
CMD_PID=""
stop_node
exit "$rc"

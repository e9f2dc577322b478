#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL cluster:
#
#   scripts/with-postgres.sh cargo test -p yapdns-store --all-features
#
# Starts a fresh cluster (Debian's PostgreSQL; installed with apt-get if missing) in a temporary
# directory, listening on a free loopback port with its unix socket inside that directory,
# creates database `yapdns`, exports
#
#   YAPDNS_TEST_POSTGRES=postgres://postgres:PASSWORD@127.0.0.1:PORT/yapdns
#
# runs the command, and always stops the cluster and deletes its directory afterwards, even
# when the command fails or the script is interrupted. Exits with the command's status.
#
# Password authentication (SCRAM) is used on TCP so the client's real login path is tested.
# The cluster keeps PostgreSQL's durable defaults (fsync, synchronous_commit), so timings
# taken against it are honest. Set YAPDNS_PG_KEEP_LOG=1 to print the server log at the end.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

log() { echo "with-postgres: $*" >&2; }

find_bindir() {
    # The newest installed major version.
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

BINDIR="$(find_bindir)"
if [ -z "$BINDIR" ] || [ ! -x "$BINDIR/initdb" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        log "PostgreSQL server binaries not found and not root: install the 'postgresql' package"
        exit 1
    fi
    log "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    # The package starts its own cluster on 5432; ours does not need it.
    if command -v pg_ctlcluster >/dev/null 2>&1; then
        for c in /etc/postgresql/*/main; do
            [ -d "$c" ] || continue
            v="$(basename "$(dirname "$c")")"
            pg_ctlcluster "$v" main stop >/dev/null 2>&1 || true
        done
    fi
    BINDIR="$(find_bindir)"
fi
if [ -z "$BINDIR" ] || [ ! -x "$BINDIR/initdb" ]; then
    log "no initdb under /usr/lib/postgresql/*/bin after installing"
    exit 1
fi

# Run server programs as the postgres user when we are root (PostgreSQL refuses to run as
# root), as ourselves otherwise.
if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        log "no 'postgres' user to run the server as"
        exit 1
    fi
    as_pg() { runuser -u postgres -- "$@"; }
    PG_USER=postgres
else
    as_pg() { "$@"; }
    PG_USER="$(id -un)"
fi

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        # Nothing answers on it (bash's /dev/tcp connects; failure means free).
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

TMP="$(mktemp -d /tmp/yapdns-pg.XXXXXX)"
DATA="$TMP/data"
PASSWORD="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
STARTED=0

cleanup() {
    local status=$?
    if [ "$STARTED" -eq 1 ]; then
        as_pg "$BINDIR/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ "${YAPDNS_PG_KEEP_LOG:-0}" = "1" ] && [ -f "$TMP/server.log" ]; then
        cat "$TMP/server.log" >&2
    fi
    rm -rf "$TMP"
    return "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

chmod 700 "$TMP"
if [ "$(id -u)" -eq 0 ]; then
    chown "$PG_USER" "$TMP"
fi
printf '%s\n' "$PASSWORD" >"$TMP/pwfile"
if [ "$(id -u)" -eq 0 ]; then
    chown "$PG_USER" "$TMP/pwfile"
fi

as_pg "$BINDIR/initdb" -D "$DATA" -U postgres --pwfile="$TMP/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
    >"$TMP/initdb.log" 2>&1 || {
    cat "$TMP/initdb.log" >&2
    log "initdb failed"
    exit 1
}
rm -f "$TMP/pwfile"

PORT=""
for attempt in 1 2 3 4 5; do
    PORT="$(free_port)" || { log "no free port found"; exit 1; }
    if as_pg "$BINDIR/pg_ctl" -D "$DATA" -l "$TMP/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$TMP -c max_connections=200" \
        start >/dev/null 2>&1; then
        STARTED=1
        break
    fi
    log "start on port $PORT failed (attempt $attempt)"
    tail -n 5 "$TMP/server.log" >&2 || true
done
if [ "$STARTED" -ne 1 ]; then
    log "could not start PostgreSQL"
    exit 1
fi

as_pg "$BINDIR/createdb" -h "$TMP" -p "$PORT" -U postgres yapdns
export YAPDNS_TEST_POSTGRES="postgres://postgres:${PASSWORD}@127.0.0.1:${PORT}/yapdns"
log "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (data in $DATA)"

# The command runs in the background with our stdin, so that a TERM or INT sent to this script
# alone is passed on to it (bash would otherwise run traps only after the command ends).
CHILD=""
forward() {
    if [ -n "$CHILD" ]; then
        kill "-$1" "$CHILD" 2>/dev/null || true
        wait "$CHILD" 2>/dev/null || true
    fi
    exit "$2"
}
trap 'forward INT 130' INT
trap 'forward TERM 143' TERM
set +e
"$@" 0<&0 &
CHILD=$!
wait "$CHILD"
status=$?
set -e
exit "$status"

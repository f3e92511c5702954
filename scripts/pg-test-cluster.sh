#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (no Docker): Debian's postgresql, a data directory
# in /tmp (the postgres user must reach it, and a checkout under /root is not reachable), a local
# port, trust authentication on loopback only. Prints the database URL.
#   scripts/pg-test-cluster.sh start   # create if needed, start, create the database; print its URL
#   scripts/pg-test-cluster.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PACELINE_PG_PORT:-54329}"
DIR="${PACELINE_PG_DIR:-/tmp/paceline-pg-test-$PORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$BIN" ]; then
    echo "PostgreSQL is not installed (make test-deps installs Debian's postgresql)" >&2
    exit 2
fi
# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
start)
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
        run "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! run "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
        # Test settings: fsync stays on (the durability the app relies on), small and quick otherwise.
        run "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -o \
            "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=128MB -c max_locks_per_transaction=512 -c max_pred_locks_per_transaction=512" \
            start >/dev/null
    fi
    # A new database each time (the tests make a schema each, and leave them) — unless another run on
    # this machine is using it: then that one goes on undisturbed and this one shares the database
    # (every test's schema is its own).
    run "$BIN/dropdb" -h 127.0.0.1 -p "$PORT" -U postgres --if-exists paceline_test 2>/dev/null || true
    run "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres paceline_test 2>/dev/null || true
    echo "postgres://postgres@127.0.0.1:$PORT/paceline_test"
    ;;
stop)
    run "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Runs a command with a private PostgreSQL cluster: initdb in a temporary folder, a server on
# 127.0.0.1 at a free port, an empty database; STORE_URL names it for the command (the
# `store:` setting). Stopped and deleted afterwards. For the benchmarks in BENCHMARKS.md:
#
#   store/bench/with-postgres.sh sh -c 'bin/hackable-email bench --store "$STORE_URL"'
#   store/bench/with-postgres.sh sh -c 'bin/hackable-email plugin bench --store "$STORE_URL"'
#   store/bench/with-postgres.sh sh -c 'STORE="$STORE_URL" postfix-filter/bench/cold-start.sh'
#
# Needs Debian's postgresql (.ci/install-postgresql.sh); as root, the server runs as postgres.
set -euo pipefail

bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$bin/initdb" ] || { echo "with-postgres.sh: no PostgreSQL (run .ci/install-postgresql.sh)" >&2; exit 2; }
dir=$(mktemp -d /tmp/hackable-pg-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
cleanup() {
    as_pg "$bin/pg_ctl -D $dir/data -m fast -w stop" >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
as_pg "$bin/initdb -D $dir/data -A trust -U postgres -E UTF8" >/dev/null
as_pg "$bin/pg_ctl -D $dir/data -l $dir/server.log -o '-p $port -k $dir -c listen_addresses=127.0.0.1' -w start" >/dev/null
as_pg "$bin/createdb -h 127.0.0.1 -p $port -U postgres hackable"
export STORE_URL="postgresql://postgres@127.0.0.1:$port/hackable"
echo "with-postgres.sh: $("$bin/postgres" --version), $STORE_URL" >&2
"$@"

#!/usr/bin/env bash
# Installs Debian's PostgreSQL server binaries for the store tests (PostgresCluster starts a
# private cluster of its own under /tmp; the system cluster is neither needed nor started).
#
# Idempotent. Needs root.
#   bash .ci/install-postgresql.sh
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
    echo "install-postgresql.sh: must run as root" >&2
    exit 1
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=600)
    if ! apt-get install "${apt_opts[@]}" postgresql >/dev/null; then
        apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null
        apt-get install "${apt_opts[@]}" postgresql >/dev/null
    fi
fi

bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
echo "install-postgresql.sh: $("$bin/postgres" --version) at $bin"

#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster, then stops and deletes the cluster.
#
#   Plugins/TaskworksPostgres/scripts/with-postgres.sh swift test
#
# The cluster lives in a new temporary directory, listens on a free loopback port and trusts
# local connections; the command gets its URL in TASKWORKS_TEST_POSTGRES_URL. PostgreSQL is
# installed from Debian's packages when it is missing. initdb refuses to run as root, so as root
# the cluster runs as the `postgres` system user (made by the package), or `nobody`.
set -euo pipefail

find_bin() {
    if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
    local candidate
    for candidate in /usr/lib/postgresql/*/bin/"$1"; do
        if [ -x "$candidate" ]; then echo "$candidate"; return; fi
    done
}

if [ -z "$(find_bin initdb)" ]; then
    echo "with-postgres: installing PostgreSQL from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
fi
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)
if [ -z "$INITDB" ] || [ -z "$PG_CTL" ]; then
    echo "with-postgres: initdb/pg_ctl not found even after installing PostgreSQL" >&2
    exit 1
fi

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DIR=$(mktemp -d /tmp/taskworks-pg.XXXXXX)
chmod 755 "$DIR"
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
    OWNER=postgres
    id postgres >/dev/null 2>&1 || OWNER=nobody
    chown "$OWNER" "$DIR"
    RUN_AS=(runuser -u "$OWNER" --)
fi

stop_cluster() {
    "${RUN_AS[@]}" "$PG_CTL" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap stop_cluster EXIT

"${RUN_AS[@]}" "$INITDB" -D "$DIR/data" -U taskworks --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$PG_CTL" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-h 127.0.0.1 -p $PORT -k $DIR -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
echo "with-postgres: PostgreSQL $("$(find_bin postgres)" --version | awk '{print $3}') on 127.0.0.1:$PORT ($DIR)" >&2

export TASKWORKS_TEST_POSTGRES_URL="postgres://taskworks@127.0.0.1:$PORT/postgres"
export TASKWORKS_TEST_POSTGRES_LOG="$DIR/server.log"
export TASKWORKS_TEST_POSTGRES_DATA="$DIR/data"
"$@"

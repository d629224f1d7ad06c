#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests and benchmarks, from
# Debian's packages, listening only on a Unix socket in DIR.
#
#   scripts/pg-server.sh start DIR   # prints the socket directory
#   scripts/pg-server.sh stop DIR
#
# As root the server runs as the `postgres` user (initdb refuses root).
# Databases are reached as postgresql:///NAME?host=DIR&user=postgres.
set -euo pipefail
cmd=${1:?usage: pg-server.sh start|stop DIR}
dir=${2:?usage: pg-server.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "pg-server: PostgreSQL is not installed (scripts/install-deps.sh test)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      echo "$dir"
      exit 0
    fi
    # No TCP; durability off is fine for a throw-away server (fsync=off),
    # but synchronous_commit stays on so commits behave as in production.
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "$dir"
    ;;
  stop)
    dir=$(cd "$dir" && pwd)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "pg-server: unknown command '$cmd'; expected start or stop" >&2
    exit 2
    ;;
esac

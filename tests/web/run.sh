#!/bin/sh
# Browser tests of `kiemdiem serve`: a demo database, the server on a free
# port, the given tests/web/*.test.mjs (default: every one) with node
# --test, then the server stopped (it must exit 0: a sanitizer build fails
# on a leak). Builds nothing: $KIEMDIEM is the binary to test.
# Screenshots go to $KD_ARTIFACTS (default tests/web/artifacts).
#
# KD_SERVERS=2 starts a second `kiemdiem serve` process on the same
# database (KD_URL2), as two app processes behind a proxy would run; the
# second believes X-Forwarded-For from 127.0.0.1 (KIEMDIEM_TRUSTED_PROXY),
# as it would from nginx (docs/deploy.md).
# KD_PG_HOST (the socket directory of scripts/pg-server.sh) puts the
# database on that PostgreSQL server, a fresh one per run, in place of a
# SQLite file in a temporary directory.
set -eu
: "${KIEMDIEM:?set KIEMDIEM to the kiemdiem binary}"
here=$(cd "$(dirname "$0")" && pwd)
KIEMDIEM=$(cd "$(dirname "$KIEMDIEM")" && pwd)/$(basename "$KIEMDIEM")
export KIEMDIEM
export KD_ARTIFACTS="${KD_ARTIFACTS:-$here/artifacts}"
servers=${KD_SERVERS:-1}
tmp=$(mktemp -d)
pids=
pgdb=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	if [ -n "$pgdb" ]; then
		psql -h "$KD_PG_HOST" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $pgdb" >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

if [ ! -d "$here/node_modules/playwright-core" ]; then
	(cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund >/dev/null)
fi

if [ -n "${KD_PG_HOST:-}" ]; then
	pgdb="kd_web_$$_$(date +%s)"
	psql -h "$KD_PG_HOST" -U postgres -d postgres -qc "CREATE DATABASE $pgdb" >/dev/null
	export KD_DB="postgresql:///$pgdb?host=$KD_PG_HOST&user=postgres"
else
	export KD_DB="$tmp/kd.db"
fi
"$KIEMDIEM" demo --db "$KD_DB" >/dev/null

# Start server $1 (1, 2 ...) in this shell, so that it can be waited for.
start_server() {
	trusted=
	[ "$1" -eq 2 ] && trusted=127.0.0.1
	KIEMDIEM_TRUSTED_PROXY=$trusted "$KIEMDIEM" serve --db "$KD_DB" --port 0 >"$tmp/serve$1.out" 2>"$tmp/serve$1.log" &
	pids="$pids $!"
	echo "$!" >"$tmp/serve$1.pid"
}
# The address of server $1, once it answers.
address_of() {
	pid=$(cat "$tmp/serve$1.pid")
	for _ in $(seq 1 100); do
		u=$(sed -n 's/.*\(http:[^ ]*\).*/\1/p' "$tmp/serve$1.out")
		[ -n "$u" ] && curl -fs -o /dev/null "$u/login" && { echo "$u"; return 0; }
		kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve$1.log" >&2; echo "run.sh: kiemdiem serve exited" >&2; return 1; }
		sleep 0.1
	done
	echo "run.sh: kiemdiem serve did not answer" >&2
	return 1
}
for i in $(seq 1 "$servers"); do start_server "$i"; done
KD_URL=$(address_of 1)
export KD_URL
if [ "$servers" -ge 2 ]; then
	KD_URL2=$(address_of 2)
	export KD_URL2
fi

status=0
(cd "$here" && node --test --test-concurrency=1 "$@") || status=$?

for i in $(seq 1 "$servers"); do
	pid=$(cat "$tmp/serve$i.pid")
	kill -TERM "$pid"
	server=0
	wait "$pid" || server=$?
	pids=$(echo "$pids" | sed "s/ $pid\b//")
	if [ "$server" -ne 0 ]; then
		echo "run.sh: kiemdiem serve ($i) exited with status $server; its log:" >&2
		tail -n 60 "$tmp/serve$i.log" >&2
		[ "$status" -ne 0 ] || status=$server
	fi
done
exit "$status"

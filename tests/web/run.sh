#!/bin/sh
# Browser tests of `kiemdiem serve`: a demo database in a temporary
# directory, the server on a free port, every tests/web/*.test.mjs with
# node --test, then the server stopped (it must exit 0: a sanitizer build
# fails on a leak). Builds nothing: $KIEMDIEM is the binary to test.
# Screenshots go to $KD_ARTIFACTS (default tests/web/artifacts).
set -eu
: "${KIEMDIEM:?set KIEMDIEM to the kiemdiem binary}"
here=$(cd "$(dirname "$0")" && pwd)
KIEMDIEM=$(cd "$(dirname "$KIEMDIEM")" && pwd)/$(basename "$KIEMDIEM")
export KIEMDIEM
export KD_ARTIFACTS="${KD_ARTIFACTS:-$here/artifacts}"
tmp=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

if [ ! -d "$here/node_modules/playwright-core" ]; then
	(cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund >/dev/null)
fi

export KD_DB="$tmp/kd.db"
"$KIEMDIEM" demo --db "$KD_DB" >/dev/null
"$KIEMDIEM" serve --db "$KD_DB" --port 0 >"$tmp/serve.out" 2>"$tmp/serve.log" &
pid=$!
KD_URL=
for _ in $(seq 1 100); do
	KD_URL=$(sed -n 's/.*\(http:[^ ]*\).*/\1/p' "$tmp/serve.out")
	[ -n "$KD_URL" ] && curl -fs -o /dev/null "$KD_URL/login" && break
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; echo "run.sh: kiemdiem serve exited" >&2; exit 1; }
	sleep 0.1
done
[ -n "$KD_URL" ] || { echo "run.sh: kiemdiem serve did not answer" >&2; exit 1; }
export KD_URL

status=0
(cd "$here" && node --test --test-concurrency=1 "$@") || status=$?

kill -TERM "$pid"
server=0
wait "$pid" || server=$?
pid=
if [ "$server" -ne 0 ]; then
	echo "run.sh: kiemdiem serve exited with status $server; its log:" >&2
	tail -n 60 "$tmp/serve.log" >&2
	[ "$status" -ne 0 ] || status=$server
fi
exit "$status"

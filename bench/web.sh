#!/usr/bin/env bash
# bench/web.sh: the web benchmarks of BENCHMARKS.md ("Web (issue 4)").
#
# Needs a release build ($KIEMDIEM, default build/kiemdiem, as `make` leaves
# it), wrk, curl and nginx (nginx-light). In a temporary directory:
#  1. `kiemdiem demo`, then `kiemdiem serve --quiet --threads $THREADS` on a
#     free port;
#  2. reopen $SAVE_USER's review (dv33) so it is a draft again; sign in
#     with curl as $DASH_USER (dv01, the bí thư: the fullest dashboard)
#     and as $SAVE_USER;
#  3. nginx on another port, pid, logs and temp files in the temporary
#     directory, serving a static file as large as the dashboard page;
#  4. wrk -t2 -c64 -d$DURATION --latency, one after the other:
#     - the static file from nginx (the floor),
#     - GET / signed in (the dashboard),
#     - POST /review (save the draft: levels, self-rating and a section,
#       with the session's CSRF token) from a generated Lua script; every
#       request is one audited transaction (one fsync, synchronous=FULL).
# Standard output: a markdown table (requests/s, p50, p99, non-2xx/3xx);
# progress on standard error. Exit status: 0 when it ran, 2 when it could not.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
KIEMDIEM=${KIEMDIEM:-$root/build/kiemdiem}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
THREADS=${THREADS:-2}
DASH_USER=${DASH_USER:-dv01}
SAVE_USER=${SAVE_USER:-dv33}

for tool in wrk curl nginx; do
	command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "web.sh: $tool is missing" >&2; exit 2; }
done
[ -x "$KIEMDIEM" ] || { echo "web.sh: $KIEMDIEM is not built (make)" >&2; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d)
kd_pid=
cleanup() {
	[ -n "$kd_pid" ] && kill "$kd_pid" 2>/dev/null && wait "$kd_pid" 2>/dev/null
	[ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "web.sh: demo database and server" >&2
"$KIEMDIEM" demo --db "$tmp/kd.db" >/dev/null
# The save needs a draft: reopen $SAVE_USER's review (no-op when it is one).
"$KIEMDIEM" review reopen "$SAVE_USER" --by dv01 --reason "Đo tốc độ lưu bản nháp" --db "$tmp/kd.db" \
	>/dev/null 2>&1 || true
"$KIEMDIEM" serve --db "$tmp/kd.db" --port 0 --quiet --threads "$THREADS" >"$tmp/serve.out" 2>"$tmp/serve.log" &
kd_pid=$!
base=
for _ in $(seq 1 100); do
	base=$(sed -n 's/.*\(http:[^ ]*\).*/\1/p' "$tmp/serve.out")
	[ -n "$base" ] && curl -fs -o /dev/null "$base/login" && break
	sleep 0.1
done
[ -n "$base" ] || { echo "web.sh: kiemdiem serve did not start" >&2; cat "$tmp/serve.log" >&2; exit 2; }

# Sign in as $1 with curl; the cookie jar is $tmp/cj.$1.
login() {
	local jar="$tmp/cj.$1" csrf
	csrf=$(curl -fs -c "$jar" -b "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "login=$1" \
		--data-urlencode "password=demo-$1" "$base/login"
	awk '$6 == "kd_session" { print "kd_session=" $7 }' "$jar"
}
dash_cookie=$(login "$DASH_USER")
save_cookie=$(login "$SAVE_USER")
[ -n "$dash_cookie" ] && [ -n "$save_cookie" ] || { echo "web.sh: could not sign in" >&2; exit 2; }

curl -fs -H "Cookie: $dash_cookie" "$base/" -o "$tmp/dashboard.html"
dash_bytes=$(wc -c <"$tmp/dashboard.html")

# The review form of $SAVE_USER: its token and field names, as a browser sends them.
curl -fs -H "Cookie: $save_cookie" "$base/review" -o "$tmp/review.html"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$tmp/review.html" | head -n 1)
levels=$(grep -o 'name="level\.[^"]*"' "$tmp/review.html" | sort -u | sed 's/name="\(.*\)"/\1/' || true)
[ -n "$csrf" ] && [ -n "$levels" ] || { echo "web.sh: the review form of $SAVE_USER has no token or levels" >&2; exit 2; }
body="csrf=$csrf&action=save&self_rating=HTTNV"
for l in $levels; do body="$body&$l=T"; done
text=$(python3 -c 'import urllib.parse; print(urllib.parse.quote_plus("Luôn giữ vững lập trường chính trị, chấp hành nghiêm chủ trương của Đảng; hoàn thành tốt nhiệm vụ được giao. " * 8))')
body="$body&section.uu_diem=$text"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $save_cookie" \
	-H 'Content-Type: application/x-www-form-urlencoded' --data "$body" "$base/review")
[ "$status" = 303 ] || { echo "web.sh: a review save answered $status, not 303" >&2; exit 2; }
# Each request's text differs (a counter), so every save changes the
# review and writes its audit entry: an unchanged save writes nothing.
cat >"$tmp/save.lua" <<EOF
local n = 0
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "$save_cookie" }
request = function()
	n = n + 1
	return wrk.format("POST", "/review", headers, "$body" .. "+" .. n)
end
EOF

echo "web.sh: nginx with a $dash_bytes-byte static file" >&2
mkdir -p "$tmp/www" "$tmp/nginx-tmp"
chmod a+rx "$tmp" "$tmp/www"      # nginx started as root serves as nobody
head -c "$dash_bytes" /dev/zero | tr '\0' 'x' >"$tmp/www/page.html"
ngx_port=$(free_port)
cat >"$tmp/nginx.conf" <<EOF
worker_processes $THREADS;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $tmp/nginx-tmp/body;
	proxy_temp_path $tmp/nginx-tmp/proxy;
	fastcgi_temp_path $tmp/nginx-tmp/fastcgi;
	uwsgi_temp_path $tmp/nginx-tmp/uwsgi;
	scgi_temp_path $tmp/nginx-tmp/scgi;
	default_type text/html;
	server { listen 127.0.0.1:$ngx_port; root $tmp/www; }
}
EOF
"$NGINX" -e "$tmp/nginx-error.log" -p "$tmp" -c "$tmp/nginx.conf"
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$ngx_port/page.html" && break; sleep 0.1; done

# wrk's figures for one run: requests/s, p50, p99 (ms), errors.
run_wrk() {
	local label=$1; shift
	echo "web.sh: $label" >&2
	wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" >"$tmp/wrk.out" 2>&1
	awk -v label="$label" '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		/^ *50%/ { p50 = ms($2) } /^ *99%/ { p99 = ms($2) }
		/Requests\/sec/ { rps = $2 } /Non-2xx or 3xx/ { bad = $NF } /Socket errors/ { sock = $0 }
		END { printf "| %s | %.0f | %.2f | %.2f | %d |\n", label, rps, p50, p99, bad + 0 }' "$tmp/wrk.out"
}

echo "| what | requests/s | p50 (ms) | p99 (ms) | non-2xx/3xx |"
echo "|---|---:|---:|---:|---:|"
run_wrk "nginx: static file of $dash_bytes bytes (floor)" "http://127.0.0.1:$ngx_port/page.html"
run_wrk "kiemdiem: GET / signed in as $DASH_USER ($dash_bytes bytes)" -H "Cookie: $dash_cookie" "$base/"
run_wrk "kiemdiem: POST /review, save the draft of $SAVE_USER (one audited transaction each)" \
	-s "$tmp/save.lua" "$base/review"
entries=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM audit_log").fetchone()[0])' "$tmp/kd.db")
echo
echo "wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency; kiemdiem serve --threads $THREADS;" \
	"nginx worker_processes $THREADS; audit entries afterwards: $entries."

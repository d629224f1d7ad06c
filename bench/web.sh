#!/usr/bin/env bash
# bench/web.sh: the web benchmarks of BENCHMARKS.md ("Web (issue 4)" and,
# with MODE=pg, "PostgreSQL web (issue 6)").
#
# Needs a release build ($KIEMDIEM, default build/kiemdiem, as `make` leaves
# it), wrk, curl and nginx (nginx-light); MODE=pg also PostgreSQL's server
# (postgresql-15) and python3.
#
# MODE=sqlite (the default), in a temporary directory:
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
#       request is one audited transaction (one fsync, synchronous=FULL);
#  5. the disk's own commit rate beside it: one-row transactions into a
#     SQLite file in WAL mode with synchronous=FULL, as fast as they go
#     ($FLOOR_TX of them), in the same directory.
#
# MODE=pg (issue 6: 1,000 signed-in users on two app processes against
# PostgreSQL), in a temporary directory:
#  1. a throw-away PostgreSQL server on a Unix socket there, durable
#     (fsync and synchronous_commit on, unlike the tests' server);
#  2. `kiemdiem demo` on it, every member's review reopened (drafts);
#  3. two `kiemdiem serve --threads $THREADS` processes, and nginx in front
#     of both (upstream with keepalive, X-Forwarded-For, as docs/deploy.md
#     configures it; the app processes trust it);
#  4. $USERS sessions signed in through nginx, round robin over the 33
#     members (each with its own cookie and CSRF token);
#  5. through nginx, wrk -c$PG_CONNECTIONS, each request from the next
#     session: review saves for $DURATION, dashboard GETs for $DURATION,
#     then a mixed run (one save in ten requests) for $SOAK, sampling each
#     app process's resident memory every $SAMPLE seconds. With THINK=ms
#     each connection of the mixed run waits a random 0 to 2 x THINK ms
#     before each request, as people reading a page do: the latencies at
#     that offered load (about PG_CONNECTIONS x 1000 / THINK requests/s)
#     rather than at saturation.
#
# MODE=pg with PG_DATADIR=DIR PG_DBNAME=NAME: the same on an existing
# database instead of the demo (issue 6: "on the same data", the country
# of `kiemdiem gen --members 5600000`, bench/national.sh): the server is
# started durable on that data directory (stop any other server on it
# first), $PG_PEOPLE members whose reviews are drafts, each in a different
# cell, get an account (password bench-LOGIN), and the $USERS sessions go
# round robin over them.
#
# Standard output: markdown tables (requests/s, p50, p99, non-2xx/3xx; for
# MODE=pg also the memory samples); progress on standard error. Exit
# status: 0 when it ran, 2 when it could not.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
KIEMDIEM=${KIEMDIEM:-$root/build/kiemdiem}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
THREADS=${THREADS:-2}
DASH_USER=${DASH_USER:-dv01}
SAVE_USER=${SAVE_USER:-dv33}
MODE=${MODE:-sqlite}
FLOOR_TX=${FLOOR_TX:-3000}
PG_CONNECTIONS=${PG_CONNECTIONS:-1000}
USERS=${USERS:-1000}
SOAK=${SOAK:-10m}
SAMPLE=${SAMPLE:-30}
THINK=${THINK:-0}
PG_DATADIR=${PG_DATADIR:-}
PG_DBNAME=${PG_DBNAME:-kiemdiem}
PG_PEOPLE=${PG_PEOPLE:-100}

for tool in wrk curl nginx python3; do
	command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "web.sh: $tool is missing" >&2; exit 2; }
done
[ -x "$KIEMDIEM" ] || { echo "web.sh: $KIEMDIEM is not built (make)" >&2; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
case "$MODE" in sqlite|pg) ;; *) echo "web.sh: MODE=$MODE; expected sqlite or pg" >&2; exit 2 ;; esac

tmp=$(mktemp -d)
kd_pids=
pg_bin=
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
	for p in $kd_pids; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	[ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null
	[ -n "$pg_bin" ] && as_pg "$pg_bin/pg_ctl" -D "${PG_DATADIR:-$tmp/pg/data}" -m fast -w stop >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
chmod a+rx "$tmp"      # nginx's workers and PostgreSQL run as other users under root

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Start `kiemdiem serve` on the database $1, its output in $tmp/serve$2.*;
# it believes X-Forwarded-For from nginx (MODE=pg puts nginx in front).
serve() {
	KIEMDIEM_TRUSTED_PROXY=127.0.0.1 "$KIEMDIEM" serve --db "$1" --port 0 --quiet --threads "$THREADS" \
		>"$tmp/serve$2.out" 2>"$tmp/serve$2.log" &
	kd_pids="$kd_pids $!"
	echo $! >"$tmp/serve$2.pid"
}
# The address of server $1 once it answers.
address_of() {
	local u=
	for _ in $(seq 1 100); do
		u=$(sed -n 's/.*\(http:[^ ]*\).*/\1/p' "$tmp/serve$1.out")
		[ -n "$u" ] && curl -fs -o /dev/null "$u/login" && { echo "$u"; return 0; }
		sleep 0.1
	done
	echo "web.sh: kiemdiem serve did not start" >&2
	cat "$tmp/serve$1.log" >&2
	exit 2
}

# Sign in as $1 with curl at $2; the cookie jar is $tmp/cj.$1.
login() {
	local jar="$tmp/cj.$1" csrf
	csrf=$(curl -fs -c "$jar" -b "$jar" "$2/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "login=$1" \
		--data-urlencode "password=demo-$1" "$2/login"
	awk '$6 == "kd_session" { print "kd_session=" $7 }' "$jar"
}

# The review form's fields as a browser sends them (without the token),
# from the review page $1: levels, self-rating and a 1 KB section.
save_fields() {
	local levels body text
	levels=$(grep -o 'name="level\.[^"]*"' "$1" | sort -u | sed 's/name="\(.*\)"/\1/' || true)
	[ -n "$levels" ] || { echo "web.sh: the review form has no levels" >&2; exit 2; }
	body="action=save&self_rating=HTTNV"
	for l in $levels; do body="$body&$l=T"; done
	text=$(python3 -c 'import urllib.parse; print(urllib.parse.quote_plus("Luôn giữ vững lập trường chính trị, chấp hành nghiêm chủ trương của Đảng; hoàn thành tốt nhiệm vụ được giao. " * 8))')
	echo "$body&section.uu_diem=$text"
}

# wrk's figures for one run: requests/s, p50, p99 (ms), errors.
run_wrk() {
	local label=$1 conns=$2
	shift 2
	echo "web.sh: $label" >&2
	wrk -t"$WRK_THREADS" -c"$conns" -d"$DURATION" --latency "$@" >"$tmp/wrk.out" 2>&1
	wrk_row "$label"
}
wrk_row() {
	awk -v label="$1" '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		/^ *50%/ { p50 = ms($2) } /^ *99%/ { p99 = ms($2) }
		/Requests\/sec/ { rps = $2 } /Non-2xx or 3xx/ { bad = $NF } /Socket errors/ { sock = $0 }
		END { printf "| %s | %.0f | %.2f | %.2f | %d |\n", label, rps, p50, p99, bad + 0
		      if (sock) print "web.sh: " label ": " sock > "/dev/stderr" }' "$tmp/wrk.out"
}

# nginx with $1 as the http block's servers (and upstream).
nginx_start() {
	mkdir -p "$tmp/nginx-tmp"
	cat >"$tmp/nginx.conf" <<EOF
worker_processes $THREADS;
worker_rlimit_nofile 16384;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 8192; }
http {
	access_log off;
	client_body_temp_path $tmp/nginx-tmp/body;
	proxy_temp_path $tmp/nginx-tmp/proxy;
	fastcgi_temp_path $tmp/nginx-tmp/fastcgi;
	uwsgi_temp_path $tmp/nginx-tmp/uwsgi;
	scgi_temp_path $tmp/nginx-tmp/scgi;
	default_type text/html;
	$1
}
EOF
	"$NGINX" -e "$tmp/nginx-error.log" -p "$tmp" -c "$tmp/nginx.conf"
}

# ------------------------------------------------------------ MODE=pg

if [ "$MODE" = pg ]; then
	pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	[ -n "$pg_bin" ] || { echo "web.sh: PostgreSQL is not installed" >&2; exit 2; }
	ulimit -n 16384 2>/dev/null || ulimit -n 4096
	mkdir -p "$tmp/pg"
	if [ "$(id -u)" -eq 0 ]; then chown postgres "$tmp/pg"; fi
	datadir=${PG_DATADIR:-$tmp/pg/data}
	if [ -z "$PG_DATADIR" ]; then
		echo "web.sh: PostgreSQL server (durable) in $tmp/pg" >&2
		as_pg "$pg_bin/initdb" -D "$datadir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 \
			|| { cat "$tmp/initdb.log" >&2; exit 2; }
	else
		echo "web.sh: PostgreSQL server (durable) on $datadir, database $PG_DBNAME" >&2
	fi
	as_pg "$pg_bin/pg_ctl" -D "$datadir" -l "$tmp/pg/server.log" -w -t 300 \
		-o "-k $tmp/pg -c listen_addresses='' -c max_connections=100 -c shared_buffers=256MB -c fsync=on \
		    -c synchronous_commit=on -c full_page_writes=on" start >/dev/null \
		|| { cat "$tmp/pg/server.log" >&2; exit 2; }
	db="postgresql:///$PG_DBNAME?host=$tmp/pg&user=postgres"
	if [ -z "$PG_DATADIR" ]; then
		psql -h "$tmp/pg" -U postgres -d postgres -qc "CREATE DATABASE $PG_DBNAME" >/dev/null
		echo "web.sh: demo database, every review a draft" >&2
		"$KIEMDIEM" demo --db "$db" >/dev/null
		for m in $(seq -f 'dv%02g' 1 33); do
			"$KIEMDIEM" review reopen "$m" --by dv01 --reason "Đo tốc độ lưu bản nháp" --db "$db" >/dev/null 2>&1 || true
		done
		seq -f 'dv%02g' 1 33 >"$tmp/logins"
		pw_prefix=demo-
	else
		echo "web.sh: $PG_PEOPLE accounts of members with a draft review, one per cell" >&2
		psql -h "$tmp/pg" -U postgres -d "$PG_DBNAME" -tAc "SELECT code FROM (SELECT DISTINCT ON (p.cell_id) p.code, p.id
			FROM person p JOIN review r ON r.person_id = p.id AND r.status = 'draft'
			LEFT JOIN account a ON a.person_id = p.id WHERE a.id IS NULL ORDER BY p.cell_id, p.id) x
			ORDER BY id LIMIT $PG_PEOPLE" >"$tmp/logins"
		while read -r m; do
			"$KIEMDIEM" user add "$m" --person "$m" --db "$db" >/dev/null
			echo "bench-$m" | "$KIEMDIEM" user passwd "$m" --no-change --db "$db" >/dev/null
		done <"$tmp/logins"
		pw_prefix=bench-
	fi
	serve "$db" 1
	serve "$db" 2
	a1=$(address_of 1)
	a2=$(address_of 2)
	ngx_port=$(free_port)
	nginx_start "upstream kiemdiem { server ${a1#http://}; server ${a2#http://}; keepalive 64; keepalive_timeout 10s; }
	server {
		listen 127.0.0.1:$ngx_port;
		location / {
			proxy_pass http://kiemdiem;
			proxy_http_version 1.1;
			proxy_set_header Connection \"\";
			proxy_set_header Host \$host;
			proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
		}
	}"
	base="http://127.0.0.1:$ngx_port"
	for _ in $(seq 1 50); do curl -fs -o /dev/null "$base/login" && break; sleep 0.1; done

	echo "web.sh: $USERS sessions through nginx" >&2
	python3 - "$base" "$USERS" "$tmp" "$pw_prefix" <<'PY'
import http.client, re, sys, urllib.parse
from concurrent.futures import ThreadPoolExecutor
base, users, tmp, pw_prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
host, port = base[len("http://"):].split(":")
logins = open(tmp + "/logins").read().split()

def sign_in(i):
    login = logins[i % len(logins)]
    c = http.client.HTTPConnection(host, int(port))
    c.request("GET", "/login")
    r = c.getresponse()
    page = r.read().decode()
    pre = [h.split(";")[0] for k, h in r.getheaders() if k.lower() == "set-cookie"]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf": csrf, "login": login, "password": pw_prefix + login})
    c.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "; ".join(pre)})
    r = c.getresponse()
    r.read()
    cookie = [h.split(";")[0] for k, h in r.getheaders()
              if k.lower() == "set-cookie" and h.startswith("kd_session=")][0]
    c.request("GET", "/review", headers={"Cookie": cookie})
    r = c.getresponse()
    token = re.search(r'name="csrf" value="([^"]+)"', r.read().decode()).group(1)
    return cookie, token, login

with ThreadPoolExecutor(8) as ex:
    sessions = list(ex.map(sign_in, range(users)))
with open(tmp + "/sessions.lua", "w") as f:
    f.write("sessions = {\n")
    for cookie, token, login in sessions:
        f.write('  { c = "%s", t = "%s" },\n' % (cookie, token))
    f.write("}\n")
print("web.sh: %d sessions of %d people" % (len(sessions), len({s[2] for s in sessions})), file=sys.stderr)
PY
	first=$(sed -n '2s/.*c = "\([^"]*\)".*/\1/p' "$tmp/sessions.lua")
	curl -fs -H "Cookie: $first" "$base/review" -o "$tmp/review.html"
	fields=$(save_fields "$tmp/review.html")
	# Each request comes from the next session; KD_SAVE_EVERY=k makes
	# every k-th request a save (1: all, 0: none), the others GET /.
	cat >"$tmp/mix.lua" <<EOF
$(cat "$tmp/sessions.lua")
local i = 0
local form = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local save_every = tonumber(os.getenv("KD_SAVE_EVERY") or "1")
local think = tonumber(os.getenv("KD_THINK") or "0")
if think > 0 then
	delay = function() return math.random(0, 2 * think) end
end
init = function(args)
	math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
	i = math.random(#sessions)
end
request = function()
	i = i + 1
	local s = sessions[i % #sessions + 1]
	if save_every > 0 and i % save_every == 0 then
		form["Cookie"] = s.c
		return wrk.format("POST", "/review", form, "csrf=" .. s.t .. "&$fields+" .. i)
	end
	return wrk.format("GET", "/", { ["Cookie"] = s.c })
end
EOF
	rss() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$(cat "$tmp/serve$1.pid")/status"; }
	echo "| what | requests/s | p50 (ms) | p99 (ms) | non-2xx/3xx |"
	echo "|---|---:|---:|---:|---:|"
	KD_SAVE_EVERY=1 run_wrk "POST /review: saves by $USERS signed-in users (one audited transaction each)" \
		"$PG_CONNECTIONS" -s "$tmp/mix.lua" "$base/"
	KD_SAVE_EVERY=0 run_wrk "GET /: the dashboards of $USERS signed-in users" "$PG_CONNECTIONS" \
		-s "$tmp/mix.lua" "$base/"
	echo "web.sh: mixed run for $SOAK, memory every ${SAMPLE}s" >&2
	samples="| after (s) | app process 1 RSS (MiB) | app process 2 RSS (MiB) |
|---:|---:|---:|
| 0 | $(rss 1) | $(rss 2) |"
	KD_SAVE_EVERY=10 KD_THINK=$THINK wrk -t"$WRK_THREADS" -c"$PG_CONNECTIONS" -d"$SOAK" --latency -s "$tmp/mix.lua" "$base/" \
		>"$tmp/wrk.out" 2>&1 &
	wrk_pid=$!
	t=0
	while sleep "$SAMPLE" && kill -0 "$wrk_pid" 2>/dev/null; do
		t=$((t + SAMPLE))
		samples="$samples
| $t | $(rss 1) | $(rss 2) |"
	done
	wait "$wrk_pid"
	wrk_row "mixed: one save in ten requests, the others GET /, for $SOAK$([ "$THINK" -gt 0 ] && echo ", each user pausing 0–$((2 * THINK)) ms between requests")"
	echo
	echo "$samples"
	entries=$(psql -h "$tmp/pg" -U postgres -d "$PG_DBNAME" -tAc "SELECT count(*) FROM audit_log")
	members=$(psql -h "$tmp/pg" -U postgres -d "$PG_DBNAME" -tAc "SELECT count(*) FROM person")
	echo
	echo "wrk -t$WRK_THREADS -c$PG_CONNECTIONS --latency (-d$DURATION, then -d$SOAK; think time ${THINK} ms) through nginx (worker_processes" \
		"$THREADS, upstream keepalive 64) to two kiemdiem serve --threads $THREADS; PostgreSQL" \
		"$("$pg_bin/postgres" --version | awk '{print $3}') on a Unix socket, fsync on; database $PG_DBNAME of $members members;" \
		"sessions of $(wc -l <"$tmp/logins") people; audit entries afterwards: $entries."
	exit 0
fi

# ------------------------------------------------------------ MODE=sqlite

echo "web.sh: demo database and server" >&2
"$KIEMDIEM" demo --db "$tmp/kd.db" >/dev/null
# The save needs a draft: reopen $SAVE_USER's review (no-op when it is one).
"$KIEMDIEM" review reopen "$SAVE_USER" --by dv01 --reason "Đo tốc độ lưu bản nháp" --db "$tmp/kd.db" \
	>/dev/null 2>&1 || true
serve "$tmp/kd.db" 1
base=$(address_of 1)
dash_cookie=$(login "$DASH_USER" "$base")
save_cookie=$(login "$SAVE_USER" "$base")
[ -n "$dash_cookie" ] && [ -n "$save_cookie" ] || { echo "web.sh: could not sign in" >&2; exit 2; }

curl -fs -H "Cookie: $dash_cookie" "$base/" -o "$tmp/dashboard.html"
dash_bytes=$(wc -c <"$tmp/dashboard.html")

# The review form of $SAVE_USER: its token and field names, as a browser sends them.
curl -fs -H "Cookie: $save_cookie" "$base/review" -o "$tmp/review.html"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$tmp/review.html" | head -n 1)
[ -n "$csrf" ] || { echo "web.sh: the review form of $SAVE_USER has no token" >&2; exit 2; }
body="csrf=$csrf&$(save_fields "$tmp/review.html")"
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
mkdir -p "$tmp/www"
chmod a+rx "$tmp/www"
head -c "$dash_bytes" /dev/zero | tr '\0' 'x' >"$tmp/www/page.html"
ngx_port=$(free_port)
nginx_start "server { listen 127.0.0.1:$ngx_port; root $tmp/www; }"
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$ngx_port/page.html" && break; sleep 0.1; done

echo "| what | requests/s | p50 (ms) | p99 (ms) | non-2xx/3xx |"
echo "|---|---:|---:|---:|---:|"
run_wrk "nginx: static file of $dash_bytes bytes (floor)" "$CONNECTIONS" "http://127.0.0.1:$ngx_port/page.html"
run_wrk "kiemdiem: GET / signed in as $DASH_USER ($dash_bytes bytes)" "$CONNECTIONS" -H "Cookie: $dash_cookie" "$base/"
run_wrk "kiemdiem: POST /review, save the draft of $SAVE_USER (one audited transaction each)" "$CONNECTIONS" \
	-s "$tmp/save.lua" "$base/review"
entries=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM audit_log").fetchone()[0])' "$tmp/kd.db")
echo "web.sh: the disk's commit rate (SQLite, WAL, synchronous=FULL)" >&2
floor=$(python3 - "$tmp/floor.db" "$FLOOR_TX" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode=WAL")
c.execute("PRAGMA synchronous=FULL")
c.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
n = int(sys.argv[2])
t = time.monotonic()
for i in range(n):
    c.execute("BEGIN IMMEDIATE")
    c.execute("INSERT INTO t (v) VALUES (?)", ("x" * 1024,))
    c.execute("COMMIT")
print("%.0f" % (n / (time.monotonic() - t)))
PY
)
echo "| SQLite alone: one-row transactions (WAL, synchronous=FULL) one after the other: the disk's commit rate | $floor | | | |"
echo
echo "wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency; kiemdiem serve --threads $THREADS;" \
	"nginx worker_processes $THREADS; audit entries afterwards: $entries."

#!/usr/bin/env bash
# National-scale benchmarks of the upper levels (issue 6), on PostgreSQL:
# `kiemdiem gen` of a whole country, `rollup classify` of every cell of
# the country (results stored), the national and a city roll-up, and
# `rollup recheck` (every cell loaded, classified by the engine and compared
# with its stored decisions). Prints a markdown section for BENCHMARKS.md.
#
#   bench/national.sh                   # 5.6 million members
#   BENCH_MEMBERS=500000 bench/national.sh
#
# Environment: BENCH_MEMBERS (5600000), BENCH_BIN (build/kiemdiem, a
# release build), BENCH_PG_DIR (a scratch directory for the server,
# /tmp/kiemdiem-bench-pg), BENCH_KEEP=1 to keep an existing database
# (skip gen), BENCH_RECHECK_UNDER (the org the recheck covers; default a
# city, T02: a recheck of the whole country is members / rate seconds).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
members=${BENCH_MEMBERS:-5600000}
bin=${BENCH_BIN:-$root/build/kiemdiem}
pgdir=${BENCH_PG_DIR:-/tmp/kiemdiem-bench-pg}
under=${BENCH_RECHECK_UNDER:-T02}
[ -x "$bin" ] || { echo "national.sh: $bin is not built (make)" >&2; exit 1; }
sock=$("$root/scripts/pg-server.sh" start "$pgdir")
name=kd_national_$members
url="postgresql:///$name?host=$sock&user=postgres"
psql() { command psql -h "$sock" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

# wall seconds and peak RSS (KiB) of one run, stdout to /dev/null
timed() { /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1; }

if [ "${BENCH_KEEP:-0}" != 1 ] || [ "$(psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" != 1 ]; then
  psql -d postgres -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
  echo "gen --members $members ..." >&2
  gen=$( { /usr/bin/time -f '%e %M' "$bin" gen --members "$members" --seed 1 --db "$url" >/dev/null; } 2>&1 | tail -1)
else
  gen="(kept) 0"
fi
# Bring the schema up to date first (a kept database may predate the
# counters of migration 6, whose back-fill is not part of any figure),
# then fresh statistics after the bulk load.
"$bin" audit log --db "$url" >/dev/null 2>&1 || true
psql -d "$name" -c "VACUUM ANALYZE"

# Classify every cell of the country, results stored (twice: the first
# run writes every result, the second finds them unchanged).
echo "rollup classify ..." >&2
cls=$(timed "$bin" rollup classify --db "$url")
cls2=$(timed "$bin" rollup classify --db "$url")

cells=$(psql -d "$name" -c "SELECT count(*) FROM org WHERE kind = 'cell'")
people=$(psql -d "$name" -c "SELECT count(*) FROM person")
city=$(psql -d "$name" -c "SELECT count(*) FROM person p JOIN org b ON b.id = p.cell_id WHERE b.code LIKE 'T01.%'")
size=$(psql -d "$name" -c "SELECT pg_size_pretty(pg_database_size('$name'))")

"$bin" rollup --json --db "$url" >/dev/null          # warm the cache
nat=(); top=(); cit=()
for i in 1 2 3; do
  nat+=("$(timed "$bin" rollup --json --db "$url")")
  top+=("$(timed "$bin" rollup --depth 3 --db "$url")")
  cit+=("$(timed "$bin" rollup --json --under T01 --db "$url")")
done
median() { printf '%s\n' "$@" | awk '{print $1}' | sort -n | sed -n 2p; }
rc_members=$(psql -d "$name" -c "SELECT count(*) FROM person p JOIN org b ON b.id = p.cell_id WHERE b.code LIKE '$under.%'")
rechk=$(timed "$bin" rollup recheck --under "$under" --db "$url" || true)
rsec=$(echo "$rechk" | awk '{print $1}')

cat <<EOF
### Cấp trên / national scale (issue 6), $(date +%F), commit $(git -C "$root" rev-parse --short HEAD)

PostgreSQL $(psql -d postgres -c "SHOW server_version"), scripts/pg-server.sh (fsync off), release build; $(nproc) cores.
Database: $people members, $cells cells, $size.

| step | wall | peak RSS | rate |
|---|---|---|---|
| \`gen --members $members\` | $(echo "$gen" | awk '{print $1}') s | $(echo "$gen" | awk '{printf "%d MB", $2/1024}') | $(echo "$gen" | awk -v n="$members" '$1 > 0 {printf "%d members/s", n/$1}') |
| \`rollup classify\` (country: every cell classified, results stored) | $(echo "$cls" | awk '{print $1}') s | $(echo "$cls" | awk '{printf "%d MB", $2/1024}') | $(echo "$cls" | awk -v n="$people" '$1 > 0 {printf "%d members/s", n/$1}') |
| \`rollup classify\` again (results unchanged: nothing written) | $(echo "$cls2" | awk '{print $1}') s | $(echo "$cls2" | awk '{printf "%d MB", $2/1024}') | $(echo "$cls2" | awk -v n="$people" '$1 > 0 {printf "%d members/s", n/$1}') |
| \`rollup --json\` (country), median of 3 | $(median "${nat[@]}") s | $(echo "${nat[0]}" | awk '{printf "%d MB", $2/1024}') | |
| \`rollup --depth 3\` (country, provinces, districts; every unfinished cell listed), median of 3 | $(median "${top[@]}") s | $(echo "${top[0]}" | awk '{printf "%d MB", $2/1024}') | |
| \`rollup --json --under T01\` (city, $city members), median of 3 | $(median "${cit[@]}") s | $(echo "${cit[0]}" | awk '{printf "%d MB", $2/1024}') | |
| \`rollup recheck --under $under\` ($rc_members members) | $rsec s | $(echo "$rechk" | awk '{printf "%d MB", $2/1024}') | $(awk -v n="$rc_members" -v s="$rsec" 'BEGIN {if (s > 0) printf "%d members/s", n/s}') |
EOF

#!/usr/bin/env bash
# bench/store.sh: the storage benchmarks of BENCHMARKS.md ("Storage (issue 3)").
# Run from anywhere; bench/run.sh runs it at the end (BENCH_STORE=0 skips it).
#
# Needs a release build at build/ (build/kiemdiem, build/bench/sqlite_floor and
# build/bench/classify_cells, as `make` leaves them), python3, taskset, GNU
# time (/usr/bin/time) and hyperfine.
#
#  1. Roster import. Generates bench/out/roster-$N.csv (N = 100,000 people in
#     G = 3000 party groups) with bench/gen_roster.py when it is missing or older
#     than the generator. Setup, timed once and apart: `kiemdiem init` and G
#     `kiemdiem group add` runs (the groups must exist before an import). A first
#     import checks that everything is accepted and warms the page cache. Then,
#     $RUNS times each, alternating, pinned to one core: the floor
#     (build/bench/sqlite_floor: the same rows into a fresh file with one
#     prepared INSERT in one transaction), `kiemdiem import roster` into a fresh
#     copy of the setup database, `kiemdiem audit verify` of the result, and
#     the same import again (nothing changes: the documented idempotent case).
#  2. Classify every cell. build/bench/classify_cells, $RUNS times, pinned,
#     for each K in PER_DB: CELLS cells of MEMBERS members, K to a database file
#     (CELLS: all in one file; 1: one cell per file, as kiemdiem keeps them);
#     the program times its own phases.
#  3. One cell as a process: hyperfine -N of `kiemdiem classify --campaign` on a
#     database holding one such cell (results already stored, so each run
#     replaces them with the same), beside /bin/true, same core.
#  4. PostgreSQL (issue 6), for each N in STORE_PG_SIZES: a throw-away server
#     (scripts/pg-server.sh, under STORE_PG_DIR), a roster of N people in
#     STORE_PG_GROUPS groups (bench/gen_roster.py), a fresh database with
#     `kiemdiem init` and the groups (setup, timed apart); then, once each:
#     the floor, a plain `psql \copy` of the same CSV into a bare table of 14
#     text columns (COPY, no checks); `kiemdiem import roster --db
#     postgresql://...` (the file streamed: each row checked and COPYed to
#     a TEMP staging table, the checks across rows as SQL over it, the new
#     people in one INSERT ... SELECT, every row audited in audit_row);
#     `kiemdiem audit verify`. Peak RSS of the client (GNU time) shows
#     whether its memory grows with N. The server is not pinned; the client
#     is. The server is stopped at the end (STORE_PG_KEEP=1 keeps it).
#
# Standard output: a markdown section to paste into BENCHMARKS.md (medians,
# and each run's figures). Progress goes to standard error.
# Exit status: 0 when the benchmarks ran, 2 when they could not.
#
# Environment: STORE_N (100000), STORE_GROUPS (3000), STORE_CELLS (3030),
#              STORE_MEMBERS (33), STORE_PER_DB ("$STORE_CELLS 1": one table
#              each), STORE_RUNS (3), STORE_CPU (1), STORE_HF_RUNS (100),
#              STORE_HF_WARMUP (10), STORE_PARTS ("import cells one pg": which
#              of 1-4 to run), STORE_BUILD (build: the release build's
#              directory), STORE_PG_SIZES ("100000 1000000"), STORE_PG_GROUPS
#              (300), STORE_PG_DIR (/tmp/kiemdiem-store-pg), STORE_PG_KEEP
#              (0: stop the server at the end).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${STORE_N:-100000}
NGROUPS=${STORE_GROUPS:-3000}
CELLS=${STORE_CELLS:-3030}
MEMBERS=${STORE_MEMBERS:-33}
PER_DB=${STORE_PER_DB:-$CELLS 1}
RUNS=${STORE_RUNS:-3}
CPU=${STORE_CPU:-1}
HF_RUNS=${STORE_HF_RUNS:-100}
HF_WARMUP=${STORE_HF_WARMUP:-10}
PARTS=" ${STORE_PARTS:-import cells one pg} "
BUILD=${STORE_BUILD:-build}
PG_SIZES=${STORE_PG_SIZES:-100000 1000000}
PG_GROUPS=${STORE_PG_GROUPS:-300}
PG_DIR=${STORE_PG_DIR:-/tmp/kiemdiem-store-pg}
KD=$BUILD/kiemdiem
FLOOR=$BUILD/bench/sqlite_floor
CELLS_BIN=$BUILD/bench/classify_cells
part() { [[ "$PARTS" == *" $1 "* ]]; }
OUT=bench/out
CSV=$OUT/roster-$N.csv

die() { echo "store: $*" >&2; exit 2; }
log() { echo "store: $*" >&2; }

for f in "$KD" "$FLOOR" "$CELLS_BIN"; do
  [ -x "$f" ] || die "$f not found: build first (make)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) not found: scripts/install-deps.sh bench"
for t in python3 taskset hyperfine; do
  command -v "$t" >/dev/null || die "$t not found: scripts/install-deps.sh bench"
done
if [ -f "$BUILD/CMakeCache.txt" ] &&
   ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD/CMakeCache.txt"; then
  log "warning: $BUILD/ does not look like a Release build"
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

mkdir -p "$OUT"
if part import && { [ ! -s "$CSV" ] || [ bench/gen_roster.py -nt "$CSV" ]; }; then
  log "generating $CSV ($N people, $NGROUPS groups)"
  python3 bench/gen_roster.py "$N" "$CSV.tmp" --groups "$NGROUPS"
  mv "$CSV.tmp" "$CSV"
fi
BYTES=$(stat -L -c %s "$CSV" 2>/dev/null || echo 0)

# one_run LABEL CMD...: appends "wall_secs peak_kbytes cpu_secs" to $TMP/LABEL
one_run() {
  local label=$1; shift
  if ! /usr/bin/time -f '%e %M %U %S' -o "$TMP/time" taskset -c "$CPU" "$@" >"$TMP/stdout"; then
    cat "$TMP/time" "$TMP/stdout" >&2
    die "failed: $*"
  fi
  tail -n 1 "$TMP/time" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' >>"$TMP/$label"
}

# --- 1. roster import ---------------------------------------------------------
IMP_DB_BYTES=0 FLOOR_DB_BYTES=0
if part import; then
log "setup: kiemdiem init and $NGROUPS kiemdiem group add"
SETUP=$TMP/setup.db
"$KD" init --db "$SETUP" --cell "Chi bộ trường THPT Nguyễn Thị Minh Khai (bench)" >/dev/null ||
  die "kiemdiem init failed"
# shellcheck disable=SC2016 # expanded by the inner bash
one_run setup bash -c 'for ((g = 1; g <= $3; g++)); do
    "$1" group add "$(printf "to%04d" "$g")" --name "Tổ đảng $g" --db "$2" >/dev/null || exit 1
  done' bash "$KD" "$SETUP" "$NGROUPS"
[ ! -e "$SETUP-wal" ] || die "$SETUP-wal left behind"

log "checking that kiemdiem import roster accepts $CSV"
cp "$SETUP" "$TMP/imp.db"
"$KD" import roster --db "$TMP/imp.db" "$CSV" >/dev/null || die "kiemdiem import roster $CSV failed"
got=$("$KD" export roster --db "$TMP/imp.db" | wc -l)
[ "$got" -eq $((N + 1)) ] || die "export roster has $got lines after the import; expected $((N + 1))"
"$KD" audit verify --db "$TMP/imp.db" >&2 || die "kiemdiem audit verify failed"
"$FLOOR" "$CSV" "$TMP/floor.db" "$NGROUPS" >"$TMP/stdout" || die "sqlite_floor failed"
read -r _ got _ <"$TMP/stdout"
[ "$got" -eq "$N" ] || die "sqlite_floor wrote $got rows; expected $N"

for ((i = 1; i <= RUNS; i++)); do
  log "roster import, run $i/$RUNS"
  one_run floor "$FLOOR" "$CSV" "$TMP/floor.db" "$NGROUPS"
  cp "$SETUP" "$TMP/imp.db"
  one_run import "$KD" import roster --db "$TMP/imp.db" "$CSV"
  one_run verify "$KD" audit verify --db "$TMP/imp.db"
  one_run reimport "$KD" import roster --db "$TMP/imp.db" "$CSV"
done
IMP_DB_BYTES=$(stat -c %s "$TMP/imp.db")
FLOOR_DB_BYTES=$(stat -c %s "$TMP/floor.db")
rm -f "$TMP"/imp.db* "$TMP"/floor.db*
fi

# --- 2. classify every cell -----------------------------------------------------
part cells || PER_DB=""
for k in $PER_DB; do
  for ((i = 1; i <= RUNS; i++)); do
    log "classify every cell: $CELLS cells of $MEMBERS, $k per database file, run $i/$RUNS"
    one_run "cells_time.$k" "$CELLS_BIN" --raw --per-db "$k" "$CELLS" "$TMP/cells.db" "$MEMBERS"
    cp "$TMP/stdout" "$TMP/cells.$k.$i"
    rm -f "$TMP"/cells.db*
  done
done

# --- 3. one cell as a process ---------------------------------------------------------
if part one; then
log "one cell as a process: hyperfine ($HF_RUNS runs, $HF_WARMUP warm-up)"
"$CELLS_BIN" 1 "$TMP/one.db" "$MEMBERS" >/dev/null 2>&1 || die "classify_cells 1 $TMP/one.db failed"
taskset -c "$CPU" hyperfine -N --warmup "$HF_WARMUP" --runs "$HF_RUNS" --style basic \
  --export-json "$TMP/hf.json" "$KD classify --campaign --db $TMP/one.db" "/bin/true" >&2
"$KD" audit verify --db "$TMP/one.db" >&2 || die "kiemdiem audit verify $TMP/one.db failed"
fi

# --- 4. PostgreSQL (issue 6) ----------------------------------------------------------
PG_VERSION=""
if part pg; then
  command -v psql >/dev/null || die "psql not found: scripts/install-deps.sh test"
  SOCK=$(scripts/pg-server.sh start "$PG_DIR") || die "scripts/pg-server.sh start $PG_DIR failed"
  PG_VERSION=$(psql -h "$SOCK" -U postgres -d postgres -tAqc "SHOW server_version")
  pg() { psql -h "$SOCK" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
  for n in $PG_SIZES; do
    pcsv=$OUT/roster-$n-g$PG_GROUPS.csv
    if [ ! -s "$pcsv" ] || [ bench/gen_roster.py -nt "$pcsv" ]; then
      log "generating $pcsv ($n people, $PG_GROUPS groups)"
      python3 bench/gen_roster.py "$n" "$pcsv.tmp" --groups "$PG_GROUPS"
      mv "$pcsv.tmp" "$pcsv"
    fi
    echo "$n $(stat -L -c %s "$pcsv") $pcsv" >>"$TMP/pg_files"
    name=kd_store_bench_$n
    url="postgresql:///$name?host=$SOCK&user=postgres"
    pg -d postgres -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
    log "PostgreSQL $n: setup (kiemdiem init, $PG_GROUPS kiemdiem group add)"
    "$KD" init --db "$url" --cell "Chi bộ trường THPT Nguyễn Thị Minh Khai (bench)" >/dev/null ||
      die "kiemdiem init --db $url failed"
    # shellcheck disable=SC2016 # expanded by the inner bash
    one_run "pg_setup.$n" bash -c 'for ((g = 1; g <= $3; g++)); do
        "$1" group add "$(printf "to%04d" "$g")" --name "Tổ đảng $g" --db "$2" >/dev/null || exit 1
      done' bash "$KD" "$url" "$PG_GROUPS"
    cols=$(head -n 1 "$pcsv" | sed 's/,/ text, /g; s/$/ text/')
    pg -d "$name" -c "CREATE TABLE bare ($cols)"
    pg -d "$name" -c "CHECKPOINT"
    log "PostgreSQL $n: plain COPY of the CSV into a bare table"
    one_run "pg_copy.$n" psql -h "$SOCK" -U postgres -d "$name" -v ON_ERROR_STOP=1 -qc \
      "\\copy bare FROM '$pcsv' WITH (FORMAT csv, HEADER true)"
    got=$(pg -d "$name" -c "SELECT count(*) FROM bare")
    [ "$got" -eq "$n" ] || die "bare has $got rows after COPY; expected $n"
    pg -d "$name" -c "DROP TABLE bare" -c "CHECKPOINT"
    log "PostgreSQL $n: kiemdiem import roster"
    one_run "pg_import.$n" "$KD" import roster --db "$url" "$pcsv"
    got=$(pg -d "$name" -c "SELECT count(*) FROM person")
    [ "$got" -eq "$n" ] || die "person has $got rows after the import; expected $n"
    got=$(pg -d "$name" -c "SELECT row_count FROM audit_log ORDER BY seq DESC LIMIT 1")
    [ "$got" -eq "$n" ] || die "the import's audit entry has $got rows; expected $n"
    log "PostgreSQL $n: kiemdiem audit verify"
    one_run "pg_verify.$n" "$KD" audit verify --db "$url"
    pg -d postgres -c "SELECT pg_database_size('$name')" >"$TMP/pg_size.$n"
    pg -d postgres -c "DROP DATABASE $name"
  done
  [ "${STORE_PG_KEEP:-0}" = 1 ] || scripts/pg-server.sh stop "$PG_DIR" >/dev/null ||
    log "warning: scripts/pg-server.sh stop $PG_DIR failed"
fi

# --- report -----------------------------------------------------------------------
REV=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
[ -n "$(git status --porcelain 2>/dev/null | head -n 1)" ] && REV="$REV, uncommitted changes"
DATE=$(date +%Y-%m-%d); NPROC=$(nproc); KERNEL=$(uname -r)
SQLITE=$(pkg-config --modversion sqlite3 2>/dev/null || echo '?')
CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
export N NGROUPS CELLS MEMBERS PER_DB RUNS CPU CSV BYTES REV DATE NPROC KERNEL SQLITE CPU_MODEL \
  IMP_DB_BYTES FLOOR_DB_BYTES HF_RUNS HF_WARMUP PARTS PG_SIZES PG_GROUPS PG_VERSION
python3 - "$TMP" <<'EOF'
import json, os, statistics, sys
e, tmp = os.environ, sys.argv[1]
N, RUNS, CELLS = int(e["N"]), int(e["RUNS"]), int(e["CELLS"])

def runs(label):
    with open(os.path.join(tmp, label)) as f:
        return [tuple(float(x) for x in line.split()) for line in f if line.strip()]

def med(rows, col):
    return statistics.median(r[col] for r in rows)

def raw(path):
    d = {}
    with open(path) as f:
        for line in f:
            k, *v = line.split()
            d[k] = tuple(float(x) for x in v)
    return d

mb = lambda b: b / 1e6
per = lambda a, b: a / b if b > 0 else float("nan")
print("### Storage (issue 3), %s" % e["DATE"])
print()
print("Machine: %s, %s cores (benchmarks pinned to core %s), Linux %s; SQLite %s; kiemdiem at %s." %
      (e["CPU_MODEL"], e["NPROC"], e["CPU"], e["KERNEL"], e["SQLITE"], e["REV"]))
print()
if " import " in e["PARTS"]:
    setup = runs("setup")[0]
    print("Roster import: `%s`, %d people in %s party groups, %.1f MB. Setup, once: `kiemdiem init` and %s runs of"
          " `kiemdiem group add`, %.2f s wall (%.1f ms a run). Median of %d runs each (floor, import, verify and"
          " import again alternate)." % (e["CSV"], N, e["NGROUPS"], mb(int(e["BYTES"])), e["NGROUPS"], setup[0],
                                        setup[0] * 1000 / max(int(e["NGROUPS"]), 1), RUNS))
    print()
    print("| pass | wall time (s) | CPU time (s) | peak RSS (MB) | rows/s | × floor |")
    print("|---|---:|---:|---:|---:|---:|")
    fl = runs("floor")
    fw = med(fl, 0)
    rows = [
        ("floor: `sqlite_floor` (one prepared INSERT, one transaction)", fl),
        ("**`kiemdiem import roster`** (fresh: 100% added)", runs("import")),
        ("`kiemdiem audit verify` of the imported database", runs("verify")),
        ("`kiemdiem import roster` of the same file again (nothing changes)", runs("reimport")),
    ]
    for label, r in rows:
        w = med(r, 0)
        print("| %s | %.2f | %.2f | %.0f | %.0f | %.2f× |" % (label, w, med(r, 2), mb(med(r, 1) * 1024), per(N, w),
                                                             per(w, fw)))
    print()
    print("Database files: the import's %.1f MB, the floor's %.1f MB. Each run (wall s): floor %s; import %s;"
          " verify %s; again %s." % (mb(int(e["IMP_DB_BYTES"])), mb(int(e["FLOOR_DB_BYTES"])),
                                     ", ".join("%.2f" % r[0] for r in fl),
                                     ", ".join("%.2f" % r[0] for r in runs("import")),
                                     ", ".join("%.2f" % r[0] for r in runs("verify")),
                                     ", ".join("%.2f" % r[0] for r in runs("reimport"))))
    print()

phases = [
    ("fill", "fill (setup): `kd_db_open` + `kd_tx_insert`, one transaction per cell"),
    ("load", "load: `kd_campaign_load` of every campaign (read only)"),
    ("classify", "floor: `kd_classify` in memory"),
    ("reasons", "`kd_classify` + every reason (`kd_explain_*`), in memory"),
    ("store", "**`classify --campaign` per cell**: load + classify + `kd_results_store` in one `kd_tx`"),
    ("store_again", "the same again (results unchanged: updated, no audit entry)"),
    ("verify", "`kd_audit_verify`"),
    ("close", "`kd_db_close` (WAL checkpoint)"),
]
for K in e["PER_DB"].split():
    cr = [raw(os.path.join(tmp, "cells.%s.%d" % (K, i))) for i in range(1, RUNS + 1)]
    members = int(cr[0]["members"][0])
    files = int(cr[0]["files"][0])
    ct = runs("cells_time." + K)
    print("Classify every cell, %s: `build/bench/classify_cells --per-db %s %d DB %s`: %d cells of %s members"
          " (%d members, %d leaders, %d rows) in %d database file%s; peak RSS %.0f MB. Median of %d runs; each phase"
          " timed inside the program and summed over the files; the last column is the process's peak RSS when"
          " the phase ended (in the last file)." %
          ("all in one database file" if files == 1 else "%s per database file" % ("one cell" if K == "1" else K + " cells"),
           K, CELLS, e["MEMBERS"], CELLS, e["MEMBERS"], members, int(cr[0]["leaders"][0]), int(cr[0]["rows"][0]),
           files, "" if files == 1 else "s", mb(med(ct, 1) * 1024), RUNS))
    print()
    print("| pass | wall time (s) | CPU time (s) | ms per cell | cells/s | members/s | × floor | peak RSS after (MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    floor_w = statistics.median(c["classify"][0] for c in cr)
    for key, label in phases:
        w = statistics.median(c[key][0] for c in cr)
        cpu = statistics.median(c[key][1] for c in cr)
        rss = statistics.median(c[key][2] for c in cr)
        print("| %s | %.3f | %.3f | %.3f | %.0f | %.0f | %.0f× | %.0f |" %
              (label, w, cpu, w * 1000 / CELLS, per(CELLS, w), per(members, w), per(w, floor_w), mb(rss * 1024)))
    print()
    print("Each run, `classify --campaign` per cell (wall s): %s; floor: %s." %
          (", ".join("%.3f" % c["store"][0] for c in cr), ", ".join("%.4f" % c["classify"][0] for c in cr)))
    print()
if " one " in e["PARTS"]:
    print("One cell as a process: `kiemdiem classify --campaign` on a database holding one cell of %s members"
          " (results already stored), `hyperfine -N`, %s runs after %s warm-up runs, same core." %
          (e["MEMBERS"], e["HF_RUNS"], e["HF_WARMUP"]))
    print()
    hf = json.load(open(os.path.join(tmp, "hf.json")))["results"]
    true = [r for r in hf if r["command"] == "/bin/true"][0]
    kd = [r for r in hf if r["command"] != "/bin/true"][0]
    ms = lambda s: s * 1000.0
    print("| command | mean (ms) | σ (ms) | min (ms) | max (ms) |")
    print("|---|---:|---:|---:|---:|")
    print("| `/bin/true` (process start) | %.2f | %.2f | %.2f | %.2f |" %
          (ms(true["mean"]), ms(true["stddev"] or 0), ms(true["min"]), ms(true["max"])))
    print("| `kiemdiem classify --campaign --db ONE_CELL.db` | %.2f | %.2f | %.2f | %.2f |" %
          (ms(kd["mean"]), ms(kd["stddev"] or 0), ms(kd["min"]), ms(kd["max"])))
    print("| difference (classify minus process start) | %.2f | | | |" % ms(kd["mean"] - true["mean"]))

if " pg " in e["PARTS"]:
    files = {}
    with open(os.path.join(tmp, "pg_files")) as f:
        for line in f:
            n, size, path = line.split()
            files[int(n)] = (int(size), path)
    print()
    print("### PostgreSQL (issue 6), %s" % e["DATE"])
    print()
    print("Machine: %s, %s cores (the client pinned to core %s, the server not), Linux %s; PostgreSQL %s"
          " (scripts/pg-server.sh: Unix socket, fsync off, shared_buffers 256 MB); kiemdiem at %s." %
          (e["CPU_MODEL"], e["NPROC"], e["CPU"], e["KERNEL"], e["PG_VERSION"], e["REV"]))
    print()
    print("One run each. rows/s = N / wall time. Peak RSS is the client's (`psql` or `kiemdiem`), not the server's;"
          " client CPU is user + system time of the client alone.")
    print()
    print("| N | file (MB) | pass | wall time (s) | client CPU (s) | client peak RSS (MB) | rows/s | × COPY |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    for n in sorted(files):
        size, path = files[n]
        cp = runs("pg_copy.%d" % n)[0]
        for label, key in (("plain `psql \\copy` into a bare table (14 text columns, no index)", "pg_copy"),
                           ("**`kiemdiem import roster --db postgresql://...`**", "pg_import"),
                           ("`kiemdiem audit verify`", "pg_verify")):
            r = runs("%s.%d" % (key, n))[0]
            print("| %d | %.1f | %s | %.2f | %.2f | %.0f | %.0f | %.2f× |" %
                  (n, mb(size), label, r[0], r[2], mb(r[1] * 1024), per(n, r[0]), per(r[0], cp[0])))
    print()
    for n in sorted(files):
        st = runs("pg_setup.%d" % n)[0]
        with open(os.path.join(tmp, "pg_size.%d" % n)) as f:
            dbsize = int(f.read().strip())
        print("N = %d: `%s`; setup (`kiemdiem init` and %s `kiemdiem group add`) %.1f s; database after the import"
              " %.0f MB." % (n, files[n][1], e["PG_GROUPS"], st[0], mb(dbsize)))

EOF

#!/usr/bin/env bash
# bench/run.sh: the benchmarks of BENCHMARKS.md. Run from anywhere; `make bench`
# builds first and then runs this.
#
# Needs a release build at build/ (build/kiemdiem and build/bench/json_floor, as
# `make` leaves them), python3, taskset, GNU time (/usr/bin/time) and hyperfine.
#
#  1. Large document: generates bench/out/classify-$N.json (N = 1,000,000) with
#     bench/gen_classify.py when it is missing or older than the generator;
#     checks once that `kiemdiem classify` accepts it and that its summary counts
#     N members; then runs the floor (build/bench/json_floor: jansson parse and
#     compact print of the same file) and `kiemdiem classify` over it, each
#     pinned to one core (taskset -c $CPU), stdout to /dev/null, alternating,
#     $RUNS times each, measuring wall time and peak RSS with /usr/bin/time, and
#     takes the median of each.
#  2. One cell: hyperfine -N of `kiemdiem classify examples/minh-khai-2021.json`
#     beside /bin/true (the cost of starting a process), same core.
#  3. Storage (issue 3): bench/store.sh (roster import, classify every cell of
#     a store), its section printed after this one; BENCH_STORE=0 skips it.
#  4. Documents (issue 5): bench/docs.sh (the demo cell's dossier, one Mẫu 02
#     PDF, LibreOffice converting the same DOCX); BENCH_DOCS=0 skips it.
#
# Standard output: a markdown section to paste into BENCHMARKS.md. Progress
# and the tools' own output go to standard error.
# Exit status: 0 when every target is met, 1 when a target is missed (the table
# is printed either way), 2 when the benchmark could not run.
#
# Environment: BENCH_N (1000000), BENCH_RUNS (3), BENCH_CPU (1),
#              BENCH_HF_RUNS (200), BENCH_HF_WARMUP (20), BENCH_STORE (1);
#              bench/store.sh reads its own (STORE_*).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_N:-1000000}
RUNS=${BENCH_RUNS:-3}
CPU=${BENCH_CPU:-1}
HF_RUNS=${BENCH_HF_RUNS:-200}
HF_WARMUP=${BENCH_HF_WARMUP:-20}
KD=build/kiemdiem
FLOOR=build/bench/json_floor
EXAMPLE=examples/minh-khai-2021.json
OUT=bench/out
DOC=$OUT/classify-$N.json
# Targets (from the issue): 1M members in under 10 s and 2 GB; one cell under 5 ms.
T_SECS=10
T_BYTES=2000000000
T_CELL_MS=5

die() { echo "bench: $*" >&2; exit 2; }
log() { echo "bench: $*" >&2; }

[ -x "$KD" ] || die "$KD not found: build first (make)"
[ -x "$FLOOR" ] || die "$FLOOR not found: build first (make)"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) not found: scripts/install-deps.sh bench"
for t in python3 taskset hyperfine awk; do
  command -v "$t" >/dev/null || die "$t not found: scripts/install-deps.sh bench"
done
if [ -f build/CMakeCache.txt ] &&
   ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' build/CMakeCache.txt; then
  log "warning: build/ does not look like a Release build"
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

mkdir -p "$OUT"
if [ ! -s "$DOC" ] || [ bench/gen_classify.py -nt "$DOC" ]; then
  log "generating $DOC ($N members)"
  python3 bench/gen_classify.py "$N" "$DOC.tmp"
  mv "$DOC.tmp" "$DOC"
fi
BYTES=$(stat -L -c %s "$DOC")

# --- sanity (also warms the page cache) ---------------------------------------
log "checking that kiemdiem classify accepts $EXAMPLE and $DOC"
"$KD" classify "$EXAMPLE" >/dev/null || die "kiemdiem classify $EXAMPLE failed"
rc=0; "$KD" classify "$DOC" >"$TMP/big.out" || rc=$?
[ "$rc" -eq 0 ] || die "kiemdiem classify $DOC failed (exit status $rc)"
tail -c 4096 "$TMP/big.out" | python3 -c '
import json, re, sys
n = int(sys.argv[1])
m = re.search(r"\"summary\"\s*:\s*(\{[^{}]*\})", sys.stdin.read())
if not m:
    sys.exit("bench: no summary at the end of the classify output")
s = json.loads(m.group(1))
if sum(s.values()) != n:
    sys.exit("bench: summary counts %d members, expected %d: %s" % (sum(s.values()), n, s))
print("bench: summary " + json.dumps(s), file=sys.stderr)
' "$N" || exit 2
rm -f "$TMP/big.out"
"$FLOOR" "$DOC" >/dev/null || die "json_floor $DOC failed"

# --- 1. large document ----------------------------------------------------------
# one_run LABEL CMD...: appends "wall_secs peak_kbytes cpu_secs" to $TMP/LABEL
# (cpu = user + system: on a busy machine, wall time much above it means the
# run waited for the core)
one_run() {
  local label=$1; shift
  if ! /usr/bin/time -f '%e %M %U %S' -o "$TMP/time" taskset -c "$CPU" "$@" >/dev/null; then
    cat "$TMP/time" >&2
    die "failed: $*"
  fi
  tail -n 1 "$TMP/time" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' >>"$TMP/$label"
}
for ((i = 1; i <= RUNS; i++)); do
  log "large document, run $i/$RUNS"
  one_run floor "$FLOOR" "$DOC"
  one_run engine "$KD" classify "$DOC"
done
median() { # FILE COLUMN
  sort -g -k "$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print v[int((NR + 1) / 2)] }'
}
F_S=$(median "$TMP/floor" 1); F_KB=$(median "$TMP/floor" 2); F_CPU=$(median "$TMP/floor" 3)
E_S=$(median "$TMP/engine" 1); E_KB=$(median "$TMP/engine" 2); E_CPU=$(median "$TMP/engine" 3)
log "floor runs: $(tr '\n' ';' <"$TMP/floor")  engine runs: $(tr '\n' ';' <"$TMP/engine")"

# --- 2. one cell ------------------------------------------------------------------
log "one cell: hyperfine ($HF_RUNS runs, $HF_WARMUP warm-up)"
taskset -c "$CPU" hyperfine -N --warmup "$HF_WARMUP" --runs "$HF_RUNS" --style basic \
  --export-json "$TMP/hf.json" "$KD classify $EXAMPLE" "/bin/true" >&2

# --- report -----------------------------------------------------------------------
REV=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
[ -n "$(git status --porcelain 2>/dev/null | head -n 1)" ] && REV="$REV, uncommitted changes"
export N BYTES RUNS CPU HF_RUNS HF_WARMUP KD EXAMPLE DOC F_S F_KB F_CPU E_S E_KB E_CPU T_SECS T_BYTES T_CELL_MS REV
DATE=$(date +%Y-%m-%d); NPROC=$(nproc); KERNEL=$(uname -r)
JANSSON=$(pkg-config --modversion jansson 2>/dev/null || echo '?')
CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
export DATE NPROC KERNEL JANSSON CPU_MODEL
status=0
python3 - "$TMP/hf.json" <<'EOF' || status=$?
import json, os, sys
e = os.environ
N, BYTES, RUNS = int(e["N"]), int(e["BYTES"]), int(e["RUNS"])
f_s, f_kb, e_s, e_kb = float(e["F_S"]), int(e["F_KB"]), float(e["E_S"]), int(e["E_KB"])
f_cpu, e_cpu = float(e["F_CPU"]), float(e["E_CPU"])
T_SECS, T_BYTES, T_CELL_MS = float(e["T_SECS"]), int(e["T_BYTES"]), float(e["T_CELL_MS"])
cell_cmd = "%s classify %s" % (e["KD"], e["EXAMPLE"])
hf = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
cell, true = hf[cell_cmd], hf["/bin/true"]
ms = lambda s: s * 1000.0
mb = lambda b: b / 1e6
def rate(secs):
    return ("%.0f" % (N / secs), "%.1f" % (mb(BYTES) / secs)) if secs > 0 else ("n/a", "n/a")
ok_time, ok_mem = e_s < T_SECS, e_kb * 1024 < T_BYTES
ok_cell = ms(cell["mean"]) < T_CELL_MS
pf = lambda ok: "**pass**" if ok else "**FAIL**"
fr, er = rate(f_s), rate(e_s)
print("### Results %s" % e["DATE"])
print()
print("Machine: %s, %s cores (benchmarks pinned to core %s), Linux %s; jansson %s; kiemdiem at %s." %
      (e["CPU_MODEL"], e["NPROC"], e["CPU"], e["KERNEL"], e["JANSSON"], e["REV"]))
print()
print("Large document: `%s`, %d members, %.1f MB; median of %d runs each (floor and engine alternate)." %
      (e["DOC"], N, mb(BYTES), RUNS))
print()
print("| pass over the document | wall time (s) | CPU time (s) | peak RSS (MB) | members/s | MB/s | target | result |")
print("|---|---:|---:|---:|---:|---:|---|---|")
print("| floor: `json_floor` (jansson parse + compact print) | %.2f | %.2f | %.0f | %s | %s | | |" %
      (f_s, f_cpu, mb(f_kb * 1024), fr[0], fr[1]))
print("| `kiemdiem classify` | %.2f | %.2f | %.0f | %s | %s | < %g s, < %.0f MB | time %s, memory %s |" %
      (e_s, e_cpu, mb(e_kb * 1024), er[0], er[1], T_SECS, mb(T_BYTES), pf(ok_time), pf(ok_mem)))
ratio = lambda a, b: "%.2f×" % (a / b) if b > 0 else "n/a"
print("| ratio engine / floor | %s | %s | %s | | | | |" % (ratio(e_s, f_s), ratio(e_cpu, f_cpu), ratio(e_kb, f_kb)))
print()
print("One cell: `%s`, `hyperfine -N`, %s runs after %s warm-up runs, same core." %
      (e["EXAMPLE"], e["HF_RUNS"], e["HF_WARMUP"]))
print()
print("| command | mean (ms) | σ (ms) | min (ms) | max (ms) | target | result |")
print("|---|---:|---:|---:|---:|---|---|")
print("| `/bin/true` (process start) | %.2f | %.2f | %.2f | %.2f | | |" %
      (ms(true["mean"]), ms(true["stddev"] or 0), ms(true["min"]), ms(true["max"])))
print("| `%s` | %.2f | %.2f | %.2f | %.2f | < %g ms per call | %s |" %
      (cell_cmd, ms(cell["mean"]), ms(cell["stddev"] or 0), ms(cell["min"]), ms(cell["max"]), T_CELL_MS, pf(ok_cell)))
print("| difference (classify minus process start) | %.2f | | | | | |" % ms(cell["mean"] - true["mean"]))
sys.exit(0 if ok_time and ok_mem and ok_cell else 1)
EOF
[ "$status" -le 1 ] || exit "$status"

# --- 3. storage -------------------------------------------------------------------
if [ "${BENCH_STORE:-1}" != 0 ]; then
  echo
  STORE_CPU=${STORE_CPU:-$CPU} bench/store.sh || exit 2
fi

# --- 4. documents -----------------------------------------------------------------
if [ "${BENCH_DOCS:-1}" != 0 ]; then
  echo
  docs_status=0
  KD=$KD DOCS_CPU=${DOCS_CPU:-$CPU} bench/docs.sh || docs_status=$?
  [ "$docs_status" -le 1 ] || exit 2
  [ "$docs_status" -eq 0 ] || status=1
fi
exit "$status"

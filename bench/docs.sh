#!/usr/bin/env bash
# bench/docs.sh: the documents (issue 5), a section of BENCHMARKS.md.
#
#  1. The demo cell's whole dossier: `kiemdiem dossier` (every document in
#     DOCX, PDF and, for tables, XLSX; campaign.json; README) - target < 1 s.
#  2. One Mẫu 02 (a member's review) as PDF: `kiemdiem doc review --member
#     dv01 --format pdf` - target < 20 ms.
#     Timed twice: as a whole process (`kiemdiem doc`, which includes the
#     process start: loading 75 shared libraries, ICU and fontconfig), and
#     as served by a warm `kiemdiem serve` (GET /docs/review?format=pdf,
#     through curl, beside curl fetching the style sheet from the same
#     server: the difference is the server's work). The target is judged
#     on the served figure; the process start is shown as
#     `kiemdiem rules list`.
#  3. Beside it, LibreOffice converting the same Mẫu 02 as DOCX to PDF
#     (soffice --headless --convert-to pdf), what one would run without a PDF
#     renderer of our own.
#
# Each with hyperfine -N (no shell), pinned to one core (taskset -c $CPU).
# Standard output: a markdown section; progress to standard error. Exit 0
# when both targets are met, 1 when one is missed, 2 when it cannot run.
#
# Environment: KD (build/kiemdiem, a Release build), DOCS_CPU (BENCH_CPU or 1),
# DOCS_RUNS (30: dossier), DOCS_PDF_RUNS (200), DOCS_LO_RUNS (5).
set -euo pipefail
cd "$(dirname "$0")/.."

KD=${KD:-build/kiemdiem}
CPU=${DOCS_CPU:-${BENCH_CPU:-1}}
RUNS=${DOCS_RUNS:-30}
PDF_RUNS=${DOCS_PDF_RUNS:-200}
LO_RUNS=${DOCS_LO_RUNS:-5}
T_DOSSIER_MS=1000
T_PDF_MS=20

die() { echo "bench/docs: $*" >&2; exit 2; }
[ -x "$KD" ] || die "$KD not found: build first (make)"
for t in hyperfine taskset python3 soffice unzip curl; do
  command -v "$t" >/dev/null || die "$t not found: scripts/install-deps.sh bench"
done

TMP=$(mktemp -d)
SERVE_PID=
trap '[ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; rm -rf "$TMP"' EXIT
DB=$TMP/demo.db
"$KD" demo --db "$DB" >/dev/null || die "kiemdiem demo failed"
"$KD" dossier --db "$DB" --out "$TMP/check.zip" || die "kiemdiem dossier failed"
ENTRIES=$(unzip -Z1 "$TMP/check.zip" | wc -l)
ZIP_BYTES=$(stat -c %s "$TMP/check.zip")
"$KD" doc review --member dv01 --format docx --out "$TMP/mau02.docx" --db "$DB" || die "doc review (docx) failed"
"$KD" doc review --member dv01 --format pdf --out "$TMP/mau02.pdf" --db "$DB" || die "doc review (pdf) failed"
mkdir -p "$TMP/lo-out"
LO="soffice -env:UserInstallation=file://$TMP/lo-profile --headless --convert-to pdf --outdir $TMP/lo-out $TMP/mau02.docx"
# The first start of soffice creates its profile: not part of the figure.
$LO >/dev/null 2>&1 || die "soffice could not convert $TMP/mau02.docx"

# A warm server on the same database, signed in as dv01 (the bí thư).
"$KD" serve --db "$DB" --port 0 --quiet --threads 1 >"$TMP/serve.out" 2>"$TMP/serve.log" &
SERVE_PID=$!
URL=
for _ in $(seq 1 100); do
  URL=$(sed -n 's/.*\(http:[^ ]*\).*/\1/p' "$TMP/serve.out")
  [ -n "$URL" ] && curl -fs -o /dev/null "$URL/login" && break
  sleep 0.1
done
[ -n "$URL" ] || die "kiemdiem serve did not start"
JAR=$TMP/cookies
curl -fs -c "$JAR" -b "$JAR" -o "$TMP/login.html" "$URL/login"
TOKEN=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$TMP/login.html" | head -n 1)
curl -fs -c "$JAR" -b "$JAR" -o /dev/null --data "csrf=$TOKEN&login=dv01&password=demo-dv01" "$URL/login" \
  || die "could not sign in as dv01"
curl -fs -b "$JAR" -o "$TMP/served.pdf" "$URL/docs/review?member=dv01&format=pdf" || die "GET of the Mẫu 02 PDF failed"
SERVED="curl -fs -b $JAR -o $TMP/s.pdf $URL/docs/review?member=dv01&format=pdf"
CURL0="curl -fs -b $JAR -o $TMP/s.css $URL/static/style.css"
START="$KD rules list"

DOSSIER="$KD dossier --db $DB --out $TMP/d.zip"
PDF="$KD doc review --member dv01 --format pdf --out $TMP/r.pdf --db $DB"
hf() { # JSON RUNS WARMUP CMD
  echo "bench/docs: hyperfine $4 ($2 runs)" >&2
  taskset -c "$CPU" hyperfine -N --style basic --runs "$2" --warmup "$3" --export-json "$1" "$4" >&2
}
hf "$TMP/dossier.json" "$RUNS" 3 "$DOSSIER"
hf "$TMP/pdf.json" "$PDF_RUNS" 20 "$PDF"
hf "$TMP/served.json" "$PDF_RUNS" 20 "$SERVED"
hf "$TMP/curl0.json" "$PDF_RUNS" 20 "$CURL0"
hf "$TMP/start.json" "$PDF_RUNS" 20 "$START"
hf "$TMP/lo.json" "$LO_RUNS" 1 "$LO"

REV=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
[ -n "$(git status --porcelain 2>/dev/null | head -n 1)" ] && REV="$REV, uncommitted changes"
export KD CPU REV ENTRIES ZIP_BYTES T_DOSSIER_MS T_PDF_MS DOSSIER PDF LO
export DATE=$(date +%Y-%m-%d) CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
export LO_VERSION=$(soffice --version 2>/dev/null | head -n 1)
python3 - "$TMP" <<'EOF'
import json, os, sys
e, tmp = os.environ, sys.argv[1]
def res(name):
    return json.load(open(os.path.join(tmp, name + ".json")))["results"][0]
d, p, lo = res("dossier"), res("pdf"), res("lo")
sv, c0, st = res("served"), res("curl0"), res("start")
ms = lambda s: s * 1000.0
served_ms = ms(sv["mean"] - c0["mean"])
ok_d, ok_p = ms(d["mean"]) < float(e["T_DOSSIER_MS"]), served_ms < float(e["T_PDF_MS"])
pf = lambda ok: "**pass**" if ok else "**FAIL**"
short = lambda c: c.replace(tmp, "$TMP")
print("### Documents %s" % e["DATE"])
print()
print("Machine: %s, pinned to core %s; kiemdiem at %s; %s." % (e["CPU_MODEL"], e["CPU"], e["REV"], e["LO_VERSION"]))
print("The demo cell (`kiemdiem demo`: 33 members, 4 party groups, 5 meetings); its dossier holds %s entries, "
      "%.1f MB." % (e["ENTRIES"], int(e["ZIP_BYTES"]) / 1e6))
print()
print("| what | command | runs | mean (ms) | σ (ms) | min (ms) | max (ms) | target | result |")
print("|---|---|---:|---:|---:|---:|---:|---|---|")
row = lambda what, r, target, ok: print("| %s | `%s` | %d | %.1f | %.1f | %.1f | %.1f | %s | %s |" % (
    what, short(r["command"]), len(r["times"]), ms(r["mean"]), ms(r["stddev"] or 0), ms(r["min"]), ms(r["max"]),
    target, ok))
row("whole dossier (ZIP)", d, "< %s ms" % e["T_DOSSIER_MS"], pf(ok_d))
row("one Mẫu 02 as PDF, whole process", p, "", "")
row("process start alone (`rules list`)", st, "", "")
row("one Mẫu 02 as PDF served (curl to a warm `kiemdiem serve`)", sv, "", "")
row("curl fetching the style sheet from the same server", c0, "", "")
print("| **one Mẫu 02 as PDF: the server's work** (served − style sheet) | | | **%.1f** | | | | < %s ms | %s |"
      % (served_ms, e["T_PDF_MS"], pf(ok_p)))
row("LibreOffice: the same Mẫu 02, DOCX to PDF", lo, "", "")
print()
print("LibreOffice takes %.0f× as long as kiemdiem for the same page." % (lo["mean"] / p["mean"]))
sys.exit(0 if ok_d and ok_p else 1)
EOF

#!/usr/bin/env bash
# Installs the Debian packages kiemdiem needs to build, test and benchmark.
# Idempotent: asks apt-get only for what is missing, and runs apt-get update
# only when something is. Usage: scripts/install-deps.sh [build|test|bench]...
set -euo pipefail

build_pkgs=(build-essential cmake pkg-config libjansson-dev libicu-dev libsqlite3-dev libsodium-dev libcsv-dev
            libzip-dev libcairo2-dev libpango1.0-dev libxlsxwriter-dev fonts-liberation2 libmicrohttpd-dev libpq-dev)
# Tests read the documents back (poppler-utils, LibreOffice), drive the web
# interface in Debian's Chromium through Playwright (npm), and run the
# storage tests again on a throw-away PostgreSQL server.
test_pkgs=(libcmocka-dev python3 python3-psycopg2 sqlite3 postgresql poppler-utils libreoffice-writer-nogui chromium)
bench_pkgs=(time hyperfine wrk nginx-light)

want=("${build_pkgs[@]}")
for set in "$@"; do
  case "$set" in
    build) ;;
    test) want+=("${test_pkgs[@]}") ;;
    bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
    *) echo "install-deps: unknown set '$set'; expected build, test or bench" >&2; exit 2 ;;
  esac
done

# Node.js and npm (for Playwright) may come from elsewhere than Debian
# (NodeSource on some machines); ask Debian for them only when absent.
case " ${want[*]} " in
  *" chromium "*) command -v npm >/dev/null 2>&1 || want+=(nodejs npm) ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

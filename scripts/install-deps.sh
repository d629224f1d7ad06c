#!/usr/bin/env bash
# Installs the Debian packages kiemdiem needs to build, test and benchmark.
# Idempotent: asks apt-get only for what is missing, and runs apt-get update
# only when something is. Usage: scripts/install-deps.sh [build|test|bench]...
set -euo pipefail

build_pkgs=(build-essential cmake pkg-config libjansson-dev libicu-dev libsqlite3-dev libsodium-dev libcsv-dev)
test_pkgs=(libcmocka-dev python3 sqlite3)
bench_pkgs=(time hyperfine)

want=("${build_pkgs[@]}")
for set in "$@"; do
  case "$set" in
    build) ;;
    test) want+=("${test_pkgs[@]}") ;;
    bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
    *) echo "install-deps: unknown set '$set'; expected build, test or bench" >&2; exit 2 ;;
  esac
done

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

#!/usr/bin/env bash
# Installs what VectoBeat needs on Debian 12, idempotently: apt packages (skipped when
# all are present) and, with --tests, the npm test peers (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
for a in "$@"; do
  case "$a" in
    --tests) want_tests=1 ;;
    *) echo "usage: scripts/setup.sh [--tests]" >&2; exit 2 ;;
  esac
done

export DEBIAN_FRONTEND=noninteractive
BUILD_PKGS=(build-essential cmake ninja-build pkg-config ccache mold git ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev zlib1g-dev libzstd-dev libsodium-dev
  libopus-dev libavformat-dev libavcodec-dev libswresample-dev libavutil-dev libsoundtouch-dev
  libsqlite3-dev libmariadb-dev libhiredis-dev
  libspdlog-dev libfmt-dev libyaml-cpp-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev)
TEST_PKGS=(clang-14 libclang-rt-14-dev lld-14 ffmpeg redis-server mariadb-server openssl)

want=("${BUILD_PKGS[@]}")
if [[ $want_tests == 1 ]]; then want+=("${TEST_PKGS[@]}"); fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  [[ $want_tests == 1 ]] && want+=(nodejs npm)
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  if [[ $(id -u) != 0 ]]; then echo "setup: run as root (apt-get)" >&2; exit 1; fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all Debian packages present"
fi

if [[ $want_tests == 1 && -f tests/interop/package-lock.json ]]; then
  if [[ ! -d tests/interop/node_modules ]] || ! cmp -s tests/interop/package-lock.json tests/interop/node_modules/.package-lock.json 2>/dev/null; then
    echo "setup: npm ci (tests/interop)"
    (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
  else
    echo "setup: npm test peers up to date"
  fi
fi

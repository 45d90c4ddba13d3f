#!/usr/bin/env bash
# Configures and builds. Usage: scripts/build.sh [release|asan] [ninja targets...]
#   release -> build/       (g++ -O2, no debug info; what `up` runs)
#   asan    -> build-asan/  (clang-14, ASan+UBSan, libFuzzer targets)
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-release}"
shift || true
jobs="${VB_JOBS:-$(nproc)}"
case "$kind" in
  release)
    dir=build
    [[ -f $dir/build.ninja ]] || cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    ;;
  asan)
    dir=build-asan
    [[ -f $dir/build.ninja ]] || CC=clang-14 CXX=clang++-14 cmake -S . -B $dir -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g0" -DVB_SANITIZE=ON -DVB_FUZZ=ON -DVB_BUILD_BENCH=OFF >/dev/null
    ;;
  *) echo "usage: scripts/build.sh [release|asan] [targets...]" >&2; exit 2 ;;
esac
start=$(date +%s)
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
cmake --build $dir -j "$jobs" -- "$@"
echo "build: $kind build finished in $(( $(date +%s) - start )) s"

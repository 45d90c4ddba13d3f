#!/usr/bin/env bash
# Sets up (apt, npm ci), builds, and runs every test: the release build's unit,
# integration and interop tests, then the ASan+UBSan build's tests and short fuzz runs.
# VB_SKIP_ASAN=1 skips the sanitizer pass (local iteration only; CI runs everything).
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
bash scripts/setup.sh --tests

bash scripts/build.sh release
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 300
echo "test: release tests passed ($(( $(date +%s) - t0 )) s so far)"

if [[ "${VB_SKIP_ASAN:-0}" != 1 ]]; then
  bash scripts/build.sh asan
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$(nproc)" --timeout 600 -LE interop
  bash scripts/fuzz.sh 20
fi
echo "test: all tests passed in $(( $(date +%s) - t0 )) s"

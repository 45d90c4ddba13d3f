#!/usr/bin/env bash
# Runs every libFuzzer target for N seconds (default 60) from its seed corpus.
# The seed is fixed (VB_FUZZ_SEED, default 1) so a CI run explores the same inputs each time;
# set VB_FUZZ_SEED=0 locally for a random one. A crash prints the log and the input path.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shopt -s nullglob
targets=(build-asan/fuzz/fuzz_*)
if ((${#targets[@]} == 0)); then echo "fuzz: no targets (build with scripts/build.sh asan)"; exit 0; fi
for t in "${targets[@]}"; do
  name=$(basename "$t")
  corpus="fuzz/corpus/${name#fuzz_}"
  work=$(mktemp -d)
  [[ -d $corpus ]] && cp -r "$corpus/." "$work/"
  echo "fuzz: $name for ${secs}s"
  ASAN_OPTIONS=detect_leaks=1 "$t" -max_total_time="$secs" -max_len=4096 -print_final_stats=0 -seed="${VB_FUZZ_SEED:-1}" -artifact_prefix="$work.crash-" "$work" >"$work.log" 2>&1 || { tail -60 "$work.log"; ls "$work".crash-* 2>/dev/null; echo "fuzz: $name FAILED"; exit 1; }
  tail -2 "$work.log"; rm -f "$work.log"
  rm -rf "$work"
done

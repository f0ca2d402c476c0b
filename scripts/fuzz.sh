#!/usr/bin/env bash
# Bounded fuzzing: builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) into build-fuzz/
# and runs each for the given number of seconds (default 30) on a scratch copy of its seed corpus, so the
# repository's corpus only changes when someone copies a new seed in on purpose. Fails on any crash,
# sanitizer report, broken invariant, leak or timeout; the input that failed is kept and its path printed.
#
#   scripts/fuzz.sh [seconds]            every target
#   FUZZ_TARGETS="fuzz_csv" scripts/fuzz.sh 600     one target, longer (see README: Guarantees)
#
# LEDGER_BUILD_ROOT puts build-fuzz/ elsewhere (default: the repository root).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-30}"
build_dir="${LEDGER_BUILD_ROOT:-$root}/build-fuzz"
targets="${FUZZ_TARGETS:-fuzz_csv fuzz_decimal fuzz_instant fuzz_replay}"
jobs="${LEDGER_JOBS:-2}"

CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEDGER_FUZZ=ON \
  -DBUILD_TESTING=OFF >/dev/null
# shellcheck disable=SC2086
cmake --build "$build_dir" -j"$jobs" --target $targets >/dev/null

scratch="$(mktemp -d "${TMPDIR:-/tmp}/ledger-fuzz.XXXXXX")"
keep_scratch=0
trap '[ "$keep_scratch" = 1 ] || rm -rf "$scratch"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=""
for target in $targets; do
  corpus="$scratch/$target"
  mkdir -p "$corpus" "$scratch/artifacts-$target"
  cp "$root/tests/fuzz/corpus/$target/"* "$corpus/"
  started=$SECONDS
  if "$build_dir/tests/fuzz/$target" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -print_final_stats=1 -artifact_prefix="$scratch/artifacts-$target/" >"$scratch/$target.log" 2>&1; then
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$scratch/$target.log" | grep -oE '[0-9]+$' || echo "?")
    echo "$target: ok, $runs inputs in $((SECONDS - started)) s"
  else
    failed="$failed $target"
    keep_scratch=1
    echo "$target: FAILED; log $scratch/$target.log" >&2
    grep -E 'fuzz invariant broken|ERROR: |runtime error|Test unit written' "$scratch/$target.log" | head -5 >&2 || true
  fi
done
if [ -n "$failed" ]; then
  echo "fuzzing found problems in:$failed (inputs kept under $scratch)" >&2
  exit 1
fi

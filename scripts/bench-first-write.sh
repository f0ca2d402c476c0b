#!/usr/bin/env bash
# Benchmark of the first write to fresh memory, the cost under most of ledger's read+parse stage on the
# machines this project runs on: a virtual machine whose host takes back the memory the guest frees, so
# that writing it again costs a fault on the host too. ledger-first-write populates room for N records
# the way the parse does (2 MiB pages, one MADV_POPULATE_WRITE) and prints the seconds and the bytes.
# Each size runs
#   cold: after IDLE seconds in which nothing was freed, so the host has taken the memory back;
#   warm: right after another run of the same size freed its memory.
# Prints one table: records, MiB, median seconds cold and warm, and milliseconds per MiB.
#   scripts/bench-first-write.sh                   M's records at np 2 (10M) and at np 1 (20M)
#   COUNTS="10000000" RUNS=5 IDLE=10 scripts/bench-first-write.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/bench/common.sh"
build="${LEDGER_BUILD_DIR:-$root/build}"
first_write="$build/tools/ledger-first-write"
[ -x "$first_write" ] || bash "$root/scripts/build.sh" >/dev/null
counts="${COUNTS:-10000000 20000000}"
runs="${RUNS:-3}"
idle="${IDLE:-5}"

echo "machine: $(machine_description); runs per cell: $runs (median); idle before a cold run: ${idle} s"
echo "records | MiB | cold s | warm s | cold ms/MiB | warm ms/MiB"
echo "--- | --- | --- | --- | --- | ---"
for n in $counts; do
  cold=() warm=()
  for _ in $(seq "$runs"); do
    sleep "$idle"
    out=$("$first_write" "$n")
    read -r seconds bytes <<<"$out"
    cold+=("$seconds")
    out=$("$first_write" "$n")
    read -r seconds bytes <<<"$out"
    warm+=("$seconds")
  done
  python3 - "$n" "$bytes" "$(median_of "${cold[@]}")" "$(median_of "${warm[@]}")" <<'PY'
import sys
n, populated, cold, warm = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
mib = populated / 2**20
print(f"{n} | {mib:.0f} | {cold:.3f} | {warm:.3f} | {cold * 1000 / mib:.2f} | {warm * 1000 / mib:.2f}")
PY
done

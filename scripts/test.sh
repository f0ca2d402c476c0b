#!/usr/bin/env bash
# Command two (what CI runs): install what is missing, build, and run the whole test suite.
#   1. CTest on the Release build: unit tests, MPI end-to-end at 1-4 ranks, bad and hostile input, faults,
#      memory limit, operations, Slurm, benchmark smoke.
#   2. The builds that guard the code rather than its behaviour (scripts/check-builds.sh): -Werror with gcc
#      and clang, then ASan+UBSan running the unit and MPI tests again.
#   3. A bounded libFuzzer run of every target (scripts/fuzz.sh, LEDGER_FUZZ_SECONDS each, default 30).
# LEDGER_QUICK=1 stops after stage 1 (a few minutes instead of about forty on two cores) for local work;
# extra arguments go to ctest (e.g. -L unit, -R bad_input).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
source "$root/scripts/mpi-env.sh"
started=$SECONDS
(cd "$root/build" && ctest --output-on-failure --timeout 900 -j"$(nproc)" "$@")
echo "== stage 1 (CTest, Release) passed in $((SECONDS - started)) s"
[ "${LEDGER_QUICK:-0}" = 1 ] && exit 0
started=$SECONDS
bash "$root/scripts/check-builds.sh" all
echo "== stage 2 (-Werror, ASan+UBSan) passed in $((SECONDS - started)) s"
started=$SECONDS
bash "$root/scripts/fuzz.sh" "${LEDGER_FUZZ_SECONDS:-30}"
echo "== stage 3 (fuzzing) passed in $((SECONDS - started)) s"

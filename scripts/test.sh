#!/usr/bin/env bash
# Command two: install what is missing, build, and run the whole test suite through CTest (unit, MPI
# end-to-end at 1-4 ranks, bad and hostile input, faults, memory limit, operations, Slurm, benchmark
# smoke). With LEDGER_FULL=1 it then runs the builds that guard the code rather than its behaviour:
# ASan+UBSan (unit and MPI tests), -Werror with gcc and clang, and a bounded libFuzzer run of every target.
#   LEDGER_FULL=1 scripts/test.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
source "$root/scripts/mpi-env.sh"
(cd "$root/build" && ctest --output-on-failure --timeout 900 -j"$(nproc)" "$@")
if [ "${LEDGER_FULL:-0}" = 1 ]; then
  bash "$root/scripts/check-builds.sh" all
  bash "$root/scripts/fuzz.sh" "${LEDGER_FUZZ_SECONDS:-30}"
fi

#!/usr/bin/env bash
# Command two: install what is missing, build, and run the whole test suite through CTest; then the
# builds that guard the code rather than its behaviour: ASan+UBSan (unit and MPI tests), -Werror with
# gcc and clang, and a bounded libFuzzer run of every fuzz target.
#   LEDGER_QUICK=1 scripts/test.sh    only the main build and its CTest suite
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
source "$root/scripts/mpi-env.sh"
(cd "$root/build" && ctest --output-on-failure --timeout 900 -j"$(nproc)" "$@")
if [ "${LEDGER_QUICK:-0}" != 1 ]; then
  bash "$root/scripts/check-builds.sh" all
  bash "$root/scripts/fuzz.sh" "${LEDGER_FUZZ_SECONDS:-30}"
fi

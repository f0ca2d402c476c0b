#!/usr/bin/env bash
# The builds CI runs beside the normal one:
#   asan    Debug with AddressSanitizer + UndefinedBehaviorSanitizer (-DLEDGER_SANITIZE=ON) of the whole
#           project into build-asan/, then its unit tests and the MPI end-to-end tests through CTest. Open
#           MPI leaks by design at exit, so leak detection is off for the MPI runs only (every other ASan
#           and UBSan check stays on, and any report aborts the rank); the unit tests keep it on.
#   werror  -Werror builds (-DLEDGER_WERROR=ON) with gcc and with clang++-14 into build-werror-gcc/ and
#           build-werror-clang/ (build only: they are about warnings, not behaviour).
#
#   scripts/check-builds.sh [asan|werror|all]     (default all)
#
# LEDGER_BUILD_ROOT puts the build directories elsewhere (default: the repository root); LEDGER_JOBS
# sets the build parallelism (default 2). ASAN_E2E_EXCLUDE is a CTest regex of end-to-end tests not run
# under ASan: those that need services or a cluster rather than the job, memory_limit, whose
# address-space limit cannot hold ASan's shadow memory, and the checks of the release's products (the
# README's commands, the install tree, the Debian package, whose Depends a sanitizer build's libasan
# would not match).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
what="${1:-all}"
build_root="${LEDGER_BUILD_ROOT:-$root}"
jobs="${LEDGER_JOBS:-2}"
exclude="${ASAN_E2E_EXCLUDE:-slurm_cluster|ops_pushgateway|ops_promtool_rules|reference_selfcheck|memory_limit|readme_commands|install_tree|deb_package}"
source "$root/scripts/mpi-env.sh"

configure_and_build() {  # DIR CC CXX CMAKE_ARGS...
  local dir="$1" cc="$2" cxx="$3"
  shift 3
  echo "== building $dir with $cxx $*"
  CC="$cc" CXX="$cxx" cmake -S "$root" -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
}

check_asan() {
  local dir="$build_root/build-asan"
  configure_and_build "$dir" gcc g++ -DCMAKE_BUILD_TYPE=Debug -DLEDGER_SANITIZE=ON -DLEDGER_WERROR=OFF
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  echo "== unit tests under ASan + UBSan (leak detection on)"
  (cd "$dir" && ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1" \
    ctest --output-on-failure -L unit -j"$jobs")
  echo "== MPI layer and end-to-end tests under ASan + UBSan (leak detection off: Open MPI leaks)"
  (cd "$dir" && ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1" \
    ctest --output-on-failure -L "mpi|e2e" -E "$exclude" --timeout 1800)
}

check_werror() {
  configure_and_build "$build_root/build-werror-gcc" gcc g++ -DCMAKE_BUILD_TYPE=Release -DLEDGER_WERROR=ON
  configure_and_build "$build_root/build-werror-clang" clang-14 clang++-14 -DCMAKE_BUILD_TYPE=Release -DLEDGER_WERROR=ON
}

case "$what" in
  asan) check_asan ;;
  werror) check_werror ;;
  # Two commands, not `check_werror && check_asan`: inside an && list bash ignores set -e in the
  # function, so a failed build there would not stop the script.
  all)
    check_werror
    check_asan
    ;;
  *) echo "usage: $0 [asan|werror|all]" >&2; exit 2 ;;
esac
echo "== check-builds ($what): ok"

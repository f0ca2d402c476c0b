# shellcheck shell=bash
# Sourced by the benchmarks (bench*.sh): what their tables and set-up share.

# The median of the numbers given.
median_of() { python3 -c "import statistics,sys; print(statistics.median(map(float, sys.argv[1:])))" "$@"; }

# The machine a table was measured on, for its first line.
machine_description() { echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"; }

# The binaries a benchmark runs, from LEDGER_BUILD_DIR (default build/), built first if either is missing:
# sets build, ledger and gen. Needs root (the repository) set by the caller.
use_build() {
  build="${LEDGER_BUILD_DIR:-$root/build}"
  ledger="$build/ledger" gen="$build/tools/ledger-gen"
  [ -x "$ledger" ] && [ -x "$gen" ] || bash "$root/scripts/build.sh" >/dev/null
}

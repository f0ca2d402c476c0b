# shellcheck shell=bash
# Sourced by the benchmarks (bench.sh, bench-first-write.sh): what their tables share.

# The median of the numbers given.
median_of() { python3 -c "import statistics,sys; print(statistics.median(map(float, sys.argv[1:])))" "$@"; }

# The machine a table was measured on, for its first line.
machine_description() { echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"; }

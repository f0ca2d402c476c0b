#!/usr/bin/env bash
# Command two: install what is missing, build, and run the whole test suite through CTest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
source "$root/scripts/mpi-env.sh"
cd "$root/build"
ctest --output-on-failure --timeout 900 -j"$(nproc)" "$@"

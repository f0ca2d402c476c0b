#!/usr/bin/env bash
# Installs every Debian package that building, running and testing ledger needs. Idempotent: packages
# already present are left alone, and apt is not touched at all when nothing is missing.
set -euo pipefail

packages=(
  # build
  cmake g++ make pkg-config help2man
  # the job (libboost1.74-dev: the Boost headers, for Boost.Sort; libboost-mpi-dev pulls the same version)
  openmpi-bin libopenmpi-dev libboost1.74-dev libboost-mpi-dev libboost-program-options-dev
  libspdlog-dev nlohmann-json3-dev libcurl4-openssl-dev
  # the input digests of the run report (XXH3-128)
  libxxhash-dev
  # database mode (--db): libpq, and libcrypto for the run id's SHA-256 (libpq links it already)
  libpq-dev libssl-dev
  # tests
  libgtest-dev python3 clang-14 libclang-rt-14-dev
  # xxhash: xxhsum, the input digests checked against another implementation; jq: the README's day chaining
  xxhash jq
  prometheus prometheus-pushgateway
  postgresql-15 postgresql-client-15
  slurmd slurmctld slurm-client munge
  # benchmarks and plots
  gnuplot-nox hyperfine time gawk coreutils
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

#!/usr/bin/env bash
# Command one: install what is missing, build, and run the job on the example in data/ with 2 ranks.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh" >/dev/null
source "$root/scripts/mpi-env.sh"
out="${1:-$root/out}"
mkdir -p "$out"
ranks="${LEDGER_RANKS:-2}"
mpirun -np "$ranks" "$root/build/ledger" \
  --accounts "$root/data/accounts.csv" --transactions "$root/data/transactions.csv" \
  --output "$out/balances.csv" --rejected "$out/rejected.csv" --report "$out/report.json" \
  --metrics-file "$out/ledger.prom"
echo
echo "balances:   $out/balances.csv ($(($(wc -l <"$out/balances.csv") - 1)) accounts)"
echo "rejected:   $out/rejected.csv ($(($(wc -l <"$out/rejected.csv") - 1)) transfers)"
echo "report:     $out/report.json"
echo "metrics:    $out/ledger.prom"
if cmp -s "$out/balances.csv" "$root/data/expected/balances.csv" && cmp -s "$out/rejected.csv" "$root/data/expected/rejected.csv"; then
  echo "check:      identical to data/expected/"
else
  echo "check:      DIFFERENT from data/expected/" >&2
  exit 1
fi

#!/usr/bin/env bash
# Regenerates data/: a small example workload in the spec's format and the outputs the job must give for
# it, as computed by the reference implementation (tests/reference/reference_ledger.py).
#
# Usage: scripts/make-example-data.sh        (uses $LEDGER_GEN if set, else builds ledger-gen with g++)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/data"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

gen="${LEDGER_GEN:-}"
if [[ -z "$gen" ]]; then
  # ledger-gen needs only the standard library, so this works before the rest of the project builds.
  gen="$scratch/ledger-gen"
  g++ -O2 -std=c++20 "$root"/tools/ledger_gen/*.cpp -o "$gen"
fi

mkdir -p "$data/expected"
"$gen" --out-dir "$data" --seed 42 --accounts 300 --countries 4 --transactions 3000 --decimals 2 --zipf 1.0 \
  --disorder 0.02 --equal-timestamps 0.05 --cross-country 0.02 --unknown 0.01 --invalid-amount 0.01 --self 0.01

# A few hand-written rows at the end of the file, each showing one rule with accounts picked from the
# generated file: a (first account), b (another account of a's country), c (an account elsewhere).
read -r a b c < <(awk -F, 'NR == 2 { a = $1; country = $2; next }
  NR > 2 && $2 == country && b == "" { b = $1 }
  NR > 2 && $2 != country && c == "" { c = $1 }
  END { print a, b, c }' "$data/accounts.csv")
cat >>"$data/transactions.csv" <<EOF
2001-01-01T00:30:00Z,$a,25.00,$b
2001-01-01T01:30:00+01:00,$b,25.00,$a
2001-01-01T00:30:00,$a,1.00,$a
2001-01-01T00:30:00,$a,0.00,$b
2001-01-01T00:30:00,$a,5.00,$c
2001-01-01T00:30:00,0$a,5.00,$b
2001-01-01T00:30:00,$a,99999999.99,$b
EOF
# Out of order (the file reaches 2001-01-02), one instant written three ways (equal instants replay in
# line order): a->b and back, then in turn same_account, invalid_amount, cross_country, unknown_account
# ("0" + a is not a), insufficient_funds.

python3 "$root/tests/reference/reference_ledger.py" --accounts "$data/accounts.csv" \
  --transactions "$data/transactions.csv" --output "$data/expected/balances.csv" \
  --rejected "$data/expected/rejected.csv"

for reason in unknown_account invalid_amount same_account cross_country insufficient_funds; do
  grep -q ",$reason\$" "$data/expected/rejected.csv" || { echo "make-example-data: no $reason in the example" >&2; exit 1; }
done
echo "make-example-data: $(($(wc -l <"$data/transactions.csv") - 1)) transfers," \
  "$(($(wc -l <"$data/expected/rejected.csv") - 1)) rejected; data/ regenerated"

# Shared by the end-to-end tests: where the binaries are, a scratch directory that is removed on exit,
# and small checks that print what they expected and what they got.
set -euo pipefail

: "${LEDGER_BIN:?set by CTest}" "${LEDGER_GEN:?set by CTest}" "${LEDGER_SOURCE_DIR:?set by CTest}"
MPIEXEC="${MPIEXEC:-mpiexec}"
REFERENCE="python3 $LEDGER_SOURCE_DIR/tests/reference/reference_ledger.py"
source "$LEDGER_SOURCE_DIR/scripts/mpi-env.sh"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ledger-e2e.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

failures=0
checks=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

pass() { checks=$((checks + 1)); }

# ledger_np N ARGS...: runs the job on N ranks; stdout/stderr go where the caller redirects them.
ledger_np() {
  local n="$1"
  shift
  "$MPIEXEC" -np "$n" "$LEDGER_BIN" "$@"
}

expect_same_file() {  # expected actual what
  if cmp -s "$1" "$2"; then pass; else
    fail "$3: $2 differs from $1"
    diff "$1" "$2" | head -5 >&2 || true
  fi
}

# expect_example_runs WHAT: the job at $LEDGER_BIN runs the example in data/ on 2 ranks and gives the
# expected balances and rejected files (for binaries installed or packaged rather than built).
expect_example_runs() {
  local data="$LEDGER_SOURCE_DIR/data" out="$WORK/example-$1"
  mkdir -p "$out"
  if ledger_np 2 --accounts "$data/accounts.csv" --transactions "$data/transactions.csv" \
    --output "$out/balances.csv" --rejected "$out/rejected.csv" --log-level warn; then
    expect_same_file "$data/expected/balances.csv" "$out/balances.csv" "$1 ledger balances"
    expect_same_file "$data/expected/rejected.csv" "$out/rejected.csv" "$1 ledger rejected"
  else
    fail "the $1 ledger did not run the example"
  fi
}

finish() {
  echo "$checks passed, $failures failed"
  [ "$failures" -eq 0 ]
}

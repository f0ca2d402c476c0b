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

finish() {
  echo "$checks passed, $failures failed"
  [ "$failures" -eq 0 ]
}

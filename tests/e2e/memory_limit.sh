#!/usr/bin/env bash
# Resource limits: a run that will not fit in memory is refused before any heavy work, with exit 4, one
# line naming the need, the limit and what to do, no output (an older one untouched) and a report that
# says it failed; a run that fits is never refused. Without the check, a rank would die mid-run (OOM
# killer: signal 9) or fail an allocation deep in a stage with a message that does not say what to do.
#   1. LEDGER_MEMORY_LIMIT_BYTES below even the accounts table: refused at np 1 and np 2 (one line, not
#      one per rank), told that more ranks will not help;
#   2. the advice is true: a per-rank budget that np 1 exceeds fits at np 2 with the parallel ingest, while
#      --ingest root still needs everything on rank 0 and is told to use --ingest parallel;
#   3. a real limit the kernel enforces (RLIMIT_AS via prlimit): refused when too low, and the same input
#      runs to the same balances under a limit that fits;
#   4. LEDGER_MEMORY_LIMIT_BYTES=0 turns the check off.
# The input is 250,000 transfers (about 11 MiB): per the model in src/app/memory_budget.cpp it needs
# about 53 MiB resident at np 1, 47 MiB per rank at np 2 (parallel), 62 MiB on rank 0 with --ingest root,
# and about 275 MiB of address space at np 1 (measured: 244 MiB).
source "$(dirname "$0")/lib.sh"
cd "$WORK"

"$LEDGER_GEN" --out-dir in --accounts 10000 --countries 50 --transactions 250000 --seed 5 >/dev/null
IN=(--accounts in/accounts.csv --transactions in/transactions.csv)
MiB=1048576

ledger_np 1 "${IN[@]}" --output expected.csv --log-level error || fail "the input does not run without a limit"

# expect_refused NAME NP PATTERN ENV_OR_PREFIX... -- ARGS...: exit 4, one line matching, no output, report failed.
expect_refused() {
  local name="$1" n="$2" pattern="$3"
  shift 3
  local prefix=()
  while [ "$1" != "--" ]; do prefix+=("$1"); shift; done
  shift
  printf 'yesterday\n' >out.csv
  rm -f report.json
  local got=0
  "${prefix[@]}" "$MPIEXEC" -np "$n" "$LEDGER_BIN" "${IN[@]}" --output out.csv --report report.json "$@" \
    >stdout.txt 2>stderr.txt || got=$?
  [ "$got" -eq 4 ] && pass || fail "$name: exit $got, expected 4"
  [ "$(wc -l <stderr.txt)" -eq 1 ] && pass || { fail "$name: $(wc -l <stderr.txt) lines on stderr, expected 1"; cat stderr.txt >&2; }
  grep -qE -- "^ledger: error: not enough memory: $pattern" stderr.txt && pass ||
    { fail "$name: stderr does not match /$pattern/"; cat stderr.txt >&2; }
  [ "$(cat out.csv)" = yesterday ] && pass || fail "$name: the older out.csv was changed"
  if find . -maxdepth 1 -name '*ledger-tmp*' | grep -q .; then fail "$name: a temporary file was left"; else pass; fi
  python3 -c "
import json, sys
r = json.load(open('report.json'))
sys.exit(0 if r['status'] == 'failed' and r['exit_code'] == 4 and 'not enough memory' in r['error'] else 1)" &&
    pass || fail "$name: the report does not say the run failed for lack of memory"
}

# expect_fits NAME NP PREFIX... -- ARGS...: exit 0, silent, the same balances as without a limit.
expect_fits() {
  local name="$1" n="$2"
  shift 2
  local prefix=()
  while [ "$1" != "--" ]; do prefix+=("$1"); shift; done
  shift
  rm -f out.csv
  if "${prefix[@]}" "$MPIEXEC" -np "$n" "$LEDGER_BIN" "${IN[@]}" --output out.csv --log-level error "$@" 2>stderr.txt; then
    pass
    expect_same_file expected.csv out.csv "$name balances"
  else
    fail "$name: refused or failed: $(head -c 600 stderr.txt)"
  fi
}

# 1. An override far below the need.
for n in 1 2; do
  expect_refused "1 MiB override, np $n" "$n" \
    "this run \(1 MiB of accounts, 12 MiB of transactions, $n ranks?\) needs about [0-9]+ MiB on rank 0, 1 MiB available \(LEDGER_MEMORY_LIMIT_BYTES\); the accounts table alone needs about 27 MiB on every rank; use nodes with more memory per rank$" \
    env LEDGER_MEMORY_LIMIT_BYTES=$MiB -- --ingest parallel
done

# 2. 50 MiB per rank: np 1 does not fit, np 2 does; root ingest does not, and is told why.
expect_refused "50 MiB at np 1" 1 "this run .* needs about 5[0-9] MiB on rank 0, 50 MiB available .*; use more ranks or nodes$" \
  env LEDGER_MEMORY_LIMIT_BYTES=$((50 * MiB)) --
expect_fits "50 MiB at np 2 (parallel)" 2 env LEDGER_MEMORY_LIMIT_BYTES=$((50 * MiB)) -- --ingest parallel
expect_refused "50 MiB at np 2 (root)" 2 "this run .*--ingest root\) needs about 6[0-9] MiB on rank 0, .*; use --ingest parallel with more ranks or nodes$" \
  env LEDGER_MEMORY_LIMIT_BYTES=$((50 * MiB)) -- --ingest root

# 3. A limit the kernel enforces: the address space (ulimit -v). mpirun runs under it too.
expect_refused "RLIMIT_AS 200 MiB" 1 "this run .* needs about [0-9]+ MiB of address space on rank 0, 200 MiB allowed \(RLIMIT_AS, ulimit -v\); raise ulimit -v or use more ranks or nodes$" \
  env -u LEDGER_MEMORY_LIMIT_BYTES prlimit --as=$((200 * MiB)) --
expect_fits "RLIMIT_AS 400 MiB" 1 env -u LEDGER_MEMORY_LIMIT_BYTES prlimit --as=$((400 * MiB)) --

# 4. Off.
expect_fits "check turned off" 1 env LEDGER_MEMORY_LIMIT_BYTES=0 --
finish
